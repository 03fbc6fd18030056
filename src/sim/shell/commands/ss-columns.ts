/**
 * How iproute2's ss (6.1) lays out its table. Every field of every line is buffered first; a
 * column is as wide as its longest field (the header's included) plus its left delimiter, the
 * first shown column having none. Written to a terminal, the free width of the screen is then
 * shared out: columns are grouped into screen lines (a group ends where the next column would
 * not fit), and each group's spare room is divided equally among its columns, the remainder
 * going one column each from the group's last one backwards. Written to a pipe or a file the
 * columns keep their measured widths. Fields are left-aligned except the two address columns.
 *
 * Two quirks of ss's buffer are kept: every row ends with a tenth, empty and headerless field
 * after Process, and the last row's Process field is never measured (ss measures a field when
 * it moves on to the next one, and after the last there is none), so it only pads the others.
 */

export const COL = { netid: 0, state: 1, recvQ: 2, sendQ: 3, addr: 4, serv: 5, raddr: 6, rserv: 7, process: 8, tail: 9 } as const;

const COLUMNS: readonly { header: string; right: boolean; ldelim: string }[] = [
  { header: 'Netid', right: false, ldelim: '' },
  { header: 'State', right: false, ldelim: ' ' },
  { header: 'Recv-Q', right: false, ldelim: ' ' },
  { header: 'Send-Q', right: false, ldelim: ' ' },
  { header: 'Local Address:', right: true, ldelim: ' ' },
  { header: 'Port', right: false, ldelim: '' },
  { header: 'Peer Address:', right: true, ldelim: ' ' },
  { header: 'Port', right: false, ldelim: '' },
  { header: 'Process', right: false, ldelim: '' },
  { header: '', right: false, ldelim: '' },
];

export interface SsTable {
  /** Columns not shown at all (ss hides Netid with one socket table, State with one state). */
  disabled: ReadonlySet<number>;
  header: boolean;
  /** Each row's ten fields (COL order; the tail is empty). */
  rows: readonly string[][];
  /** The terminal's width when standard output is one, else null. */
  screenWidth: number | null;
}

export function renderSsTable(t: SsTable): string {
  const shown = COLUMNS.map((_, i) => !t.disabled.has(i));
  const lines: string[][] = [];
  if (t.header) lines.push(COLUMNS.map((c, i) => (i === COL.tail ? '' : c.header)));
  lines.push(...t.rows);
  if (lines.length === 0) return '';
  const maxLen = COLUMNS.map(() => 0);
  lines.forEach((fields, li) => {
    const lastRow = li === lines.length - 1 && t.rows.length > 0;
    for (let i = 0; i < COLUMNS.length; i++) {
      if (!shown[i] || (lastRow && i >= COL.process)) continue;
      maxLen[i] = Math.max(maxLen[i], fields[i].length);
    }
  });
  const screen = t.screenWidth ?? Infinity;
  const width = COLUMNS.map(() => 0);
  let first = true;
  for (let i = 0; i < COLUMNS.length; i++) {
    if (!shown[i]) continue;
    width[i] = !first && maxLen[i] > 0 ? maxLen[i] + COLUMNS[i].ldelim.length : maxLen[i];
    width[i] = Math.min(width[i], screen);
    if (width[i] > 0) first = false;
  }
  if (t.screenWidth !== null) spreadOverScreen(width, t.screenWidth);
  let out = '';
  for (const fields of lines) {
    let started = false;
    for (let i = 0; i < COLUMNS.length; i++) {
      if (!shown[i]) continue;
      const c = COLUMNS[i];
      let printed = 0;
      if (started) { out += c.ldelim; printed = c.ldelim.length; }
      started = true;
      const text = fields[i];
      if (width[i] > 0 && c.right) {
        const pad = width[i] - text.length - printed;
        if (pad > 0) { out += ' '.repeat(pad); printed += pad; }
      }
      out += text;
      printed += text.length;
      if (width[i] > 0 && !c.right && width[i] - printed > 0) out += ' '.repeat(width[i] - printed);
    }
    out += '\n';
  }
  return out;
}

/** ss's second pass on a terminal: break the columns into screen lines and share out the spare room. */
function spreadOverScreen(width: number[], screen: number): void {
  let len = 0;
  let lineCols = 0;
  let eol = -1;
  for (let c = 0; c < width.length; c++) {
    if (!width[c]) continue;
    lineCols++;
    len += width[c];
    let last = true;
    for (let k = c + 1; k < width.length; k++) if (width[k]) { last = false; break; }
    if (!last && len < screen) continue;
    if (len !== screen) {
      if (len > screen) {
        // This column starts the next screen line.
        len -= width[c];
        c--;
        lineCols--;
      }
      const pad = screen - len;
      const spacing = Math.floor(pad / lineCols);
      let rem = pad % lineCols;
      for (let k = c; k > eol; k--) {
        if (!width[k]) continue;
        width[k] += spacing;
        if (rem) { width[k]++; rem--; }
      }
    }
    eol = c;
    len = 0;
    lineCols = 0;
  }
}
