/**
 * GNU ls's many-per-line layouts: `-C` (sorted down the columns, the default at a terminal) and
 * `-x` (across), for a line width and a tab size.
 *
 * The number of columns: for every candidate count c (at most one per 3 columns of the line, as
 * no column is narrower than 3, and at most one per entry), the entries are dealt into c columns
 * (down: entry i in column i / ceil(n / c); across: column i % c); each column is as wide as its
 * widest entry plus a 2-space gap (the last column has no gap), never less than 3. A candidate
 * whose summed width reaches the line width is dropped; the largest remaining count wins (one
 * column when none fits). Entries are then padded to their column's width, with tabs where a
 * tab stop lies before the next column (when the tab size is not 0) and spaces for the rest.
 * A line width of 0 means no limit: the entries on one line, two spaces apart.
 */
import { charWidth } from './text';

const MIN_COLUMN_WIDTH = 3;

/** Columns a byte string takes at a UTF-8 terminal (a byte that is not valid UTF-8 takes one). */
export function displayWidth(bytes: string): number {
  let width = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    if (b < 0x80) { width += charWidth(b); continue; }
    const len = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    let cp = b & (0x7f >> len);
    let valid = len > 1 && i + len <= bytes.length;
    for (let k = 1; valid && k < len; k++) {
      const cb = bytes.charCodeAt(i + k);
      if ((cb & 0xc0) !== 0x80) valid = false;
      else cp = (cp << 6) | (cb & 0x3f);
    }
    if (!valid) { width++; continue; }
    width += charWidth(cp);
    i += len - 1;
  }
  return width;
}

/** Padding from column `from` to column `to`: a tab whenever one lands no further than `to`. */
function indent(from: number, to: number, tabSize: number): string {
  let out = '';
  while (from < to) {
    if (tabSize !== 0 && Math.floor(to / tabSize) > Math.floor((from + 1) / tabSize)) {
      out += '\t';
      from += tabSize - (from % tabSize);
    } else {
      out += ' ';
      from++;
    }
  }
  return out;
}

/** The widest layout that fits: its column count and each column's width (gap included). */
function chooseColumns(widths: number[], lineWidth: number, byColumns: boolean): number[] {
  const n = widths.length;
  const maxByWidth = Math.floor(lineWidth / MIN_COLUMN_WIDTH) + (lineWidth % MIN_COLUMN_WIDTH !== 0 ? 1 : 0);
  const maxCols = maxByWidth > 0 && maxByWidth < n ? maxByWidth : n;
  const candidates = Array.from({ length: maxCols }, (_, i) => ({
    fits: true, lineLen: (i + 1) * MIN_COLUMN_WIDTH, colWidths: new Array<number>(i + 1).fill(MIN_COLUMN_WIDTH),
  }));
  widths.forEach((width, entry) => {
    candidates.forEach((c, i) => {
      if (!c.fits) return;
      const cols = i + 1;
      const col = byColumns ? Math.floor(entry / Math.floor((n + i) / cols)) : entry % cols;
      const needed = width + (col === i ? 0 : 2);
      if (c.colWidths[col] < needed) {
        c.lineLen += needed - c.colWidths[col];
        c.colWidths[col] = needed;
        c.fits = c.lineLen < lineWidth;
      }
    });
  });
  let cols = maxCols;
  while (cols > 1 && !candidates[cols - 1].fits) cols--;
  return candidates[cols - 1].colWidths;
}

/**
 * The entries (already with whatever goes with each name: inode, size, indicator) laid out in
 * columns; `widths[i]` is the display width of `entries[i]`.
 */
export function layoutColumns(entries: string[], widths: number[], lineWidth: number, tabSize: number, byColumns: boolean): string {
  const n = entries.length;
  if (n === 0) return '';
  if (lineWidth === 0) return entries.join('  ') + '\n';
  const colWidths = chooseColumns(widths, lineWidth, byColumns);
  const cols = colWidths.length;
  let out = '';
  if (byColumns) {
    const rows = Math.ceil(n / cols);
    for (let row = 0; row < rows; row++) {
      let pos = 0;
      for (let entry = row, col = 0; ; col++) {
        out += entries[entry];
        const end = pos + widths[entry];
        entry += rows;
        if (entry >= n) break;
        out += indent(end, pos + colWidths[col], tabSize);
        pos += colWidths[col];
      }
      out += '\n';
    }
    return out;
  }
  let pos = 0;
  for (let entry = 0; entry < n; entry++) {
    const col = entry % cols;
    if (entry > 0) {
      if (col === 0) { out += '\n'; pos = 0; } else {
        out += indent(pos + widths[entry - 1], pos + colWidths[col - 1], tabSize);
        pos += colWidths[col - 1];
      }
    }
    out += entries[entry];
  }
  return out + '\n';
}

/**
 * A number as coreutils' xstrtoumax reads it with no suffixes allowed: decimal, 0x hex or 0
 * octal, after optional blanks; null when it is not one; Infinity when it is too big.
 */
export function parseUnsigned(text: string): number | null {
  const m = /^[ \t\n\v\f\r]*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return null;
  const digits = m[1];
  const value = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits[0] === '0' ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(value);
}
