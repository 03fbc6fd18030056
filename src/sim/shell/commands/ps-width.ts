/**
 * procps ps's line width. The screen's size is the terminal's (asked of stdout, stderr, stdin,
 * then the controlling terminal; 80x24 without one); output that is not a terminal has no limit
 * (the output buffer's size); $COLUMNS and $LINES, when whole positive numbers below that size,
 * replace them; so does `--cols`/`--width`/`--columns N`; one `w` widens to at least 132, two
 * lift the limit. The line is then the smallest multiple of the screen's width that holds the
 * columns' nominal widths, the last, unlimited one (COMMAND) counted as 3; only that last column
 * is cut, where the line ends. Headers are not cut.
 */
import type { CmdCtx } from '../context';

/** procps's OUTBUF_SIZE: the widest line it prints, and "no limit". */
export const PS_OUTBUF_SIZE = 2 * 64 * 1024;

/** A C strtol(…, 0) of the whole text, as procps reads $COLUMNS and --cols: null if not all of it is a number. */
function strtolWhole(text: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return null;
  const v = /^0[xX]/.test(m[2]) ? parseInt(m[2], 16) : m[2].length > 1 && m[2][0] === '0' ? parseInt(m[2], 8) : Number(m[2]);
  return m[1] === '-' ? -v : v;
}

export interface PsWidthOptions {
  /** How many `w`s (BSD w, or -w) were given. */
  wCount: number;
  /** `--cols N` (already checked: a number above 0). */
  colsOption: number | null;
}

/** The screen width ps lays its lines out for, and the warning procps gives about a tiny screen. */
export function psScreenWidth(ctx: CmdCtx, opts: PsWidthOptions): { screenCols: number; warning: string | null } {
  const stdout = ctx.proc.stdout;
  const stderr = ctx.proc.stderr;
  const stdin = ctx.proc.stdin;
  const term = stdout.kind === 'tty' ? stdout.term : stderr.kind === 'tty' ? stderr.term : stdin.kind === 'tty' ? stdin.term : ctx.term;
  let cols = term && term.columns > 0 && term.lines > 0 ? term.columns : 80;
  let rows = term && term.columns > 0 && term.lines > 0 ? term.lines : 24;
  if (stdout.kind !== 'tty') cols = PS_OUTBUF_SIZE;
  const envNumber = (name: string): number | null => {
    const text = ctx.env[name];
    if (!text) return null;
    const t = strtolWhole(text);
    return t !== null && t > 0 && t < PS_OUTBUF_SIZE ? t : null;
  };
  cols = envNumber('COLUMNS') ?? cols;
  rows = envNumber('LINES') ?? rows;
  const warning = cols < 9 || rows < 2 ? `your ${cols}x${rows} screen size is bogus. expect trouble\n` : null;
  if (opts.colsOption !== null) cols = opts.colsOption;
  if (opts.wCount > 0 && cols < 132) cols = 132;
  if (opts.wCount > 1) cols = PS_OUTBUF_SIZE;
  return { screenCols: cols, warning };
}

/** `--cols`/`--width`/`--columns`'s value as procps takes it: a number from 1 below 2000000000. */
export function parseColsOption(text: string | undefined): number | null {
  if (!text) return null;
  const t = strtolWhole(text);
  return t !== null && t > 0 && t < 2000000000 ? t : null;
}

/**
 * A row of ps cut to the screen: `commandStart` is where the last (unlimited) column starts in
 * the header, `rowCommandStart` where it starts in this row, which it may not lose entirely.
 */
export function fitToScreen(screenCols: number, commandStart: number, row: string, rowCommandStart: number): string {
  const total = commandStart + 3;
  let active = screenCols;
  for (let i = 1; ; i++) {
    active = screenCols * i;
    if (active >= total || screenCols * i >= PS_OUTBUF_SIZE / 2) break;
  }
  if (row.length <= active) return row;
  return row.slice(0, Math.max(active, rowCommandStart));
}

/** Options that take the rest of their word or the next word: their letters end a word's scan for w. */
const TAKES_VALUE = 'opCuUgGtsqOkDN';

/**
 * ps's arguments without the width options: `--cols N` (also `=N`, `--width`, `--columns`) and
 * every `w` (BSD `w`, `ww`, `auxww`; UNIX `-w`, `-efww`), counted. `error` when --cols lacks a
 * valid number.
 */
export function psWidthArgs(argv: string[]): { argv: string[]; wCount: number; colsOption: number | null; error: boolean } {
  const out = [argv[0]];
  let wCount = 0;
  let colsOption: number | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const long = /^--(cols|width|columns)(=(.*))?$/.exec(a);
    if (long) {
      const value = long[2] !== undefined ? long[3] : argv[++i];
      colsOption = parseColsOption(value);
      if (colsOption === null) return { argv, wCount, colsOption, error: true };
      continue;
    }
    if (a.startsWith('--')) { out.push(a); continue; }
    const dash = a.startsWith('-');
    let kept = dash ? '-' : '';
    let j = dash ? 1 : 0;
    for (; j < a.length; j++) {
      const c = a[j];
      if (dash && TAKES_VALUE.includes(c)) break;
      if (c === 'w') wCount++;
      else kept += c;
    }
    kept += a.slice(j);
    if (kept !== '' && kept !== '-') out.push(kept);
    // A value-taking option at the end of its word takes the next word, which is kept as is.
    if (dash && j === a.length - 1 && i + 1 < argv.length) out.push(argv[++i]);
  }
  return { argv: out, wCount, colsOption, error: false };
}
