/**
 * Every problem found in a lesson file is a Diagnostic pointing at a place in that file, printed
 * as `file:line:column: message` (1-based, like compilers do) so editors and terminals can jump
 * to it. Parsing collects as many diagnostics as it can instead of stopping at the first one.
 */

export interface SourcePos {
  /** 1-based line in the lesson file. */
  line: number;
  /** 1-based column (UTF-16 code units, which is what editors count for BMP text). */
  column: number;
}

export interface Diagnostic extends SourcePos {
  file: string;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

/** Collects diagnostics for one file. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  constructor(readonly file: string) {}

  error(pos: SourcePos, message: string): void {
    this.list.push({ file: this.file, line: pos.line, column: pos.column, message });
  }

  get ok(): boolean {
    return this.list.length === 0;
  }
}

/** The error thrown by helpers that want all of a file's diagnostics to travel together. */
export class LessonError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'LessonError';
  }
}

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment),
 * for "did you mean" suggestions on misspelt names: "stpe" is one edit from "step".
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * ` (did you mean "x"?)` when a candidate is close enough to be a likely typo, else ''. Ties go
 * to the candidate with the same first letter, then to the one closest in length.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const n = name.toLowerCase();
  let best: string | null = null;
  let bestScore = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const score = editDistance(n, lc) * 100 + (lc[0] === n[0] ? 0 : 10) + Math.abs(lc.length - n.length);
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  if (best === null) return '';
  const distance = Math.floor(bestScore / 100);
  const allowed = Math.max(1, Math.floor(Math.max(name.length, best.length) / 3));
  return distance <= allowed ? ` (did you mean "${best}"?)` : '';
}
