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

/** Levenshtein distance, for "did you mean" suggestions on misspelt names. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** ` (did you mean "x"?)` when a candidate is close enough to be a likely typo, else ''. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === null) return '';
  const allowed = Math.max(1, Math.floor(Math.max(name.length, best.length) / 3));
  return bestDistance <= allowed ? ` (did you mean "${best}"?)` : '';
}
