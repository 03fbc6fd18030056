/**
 * Column commands: `cut` (select bytes, characters or fields of each line) and `paste` (join
 * lines of files side by side, or one file's lines into one). Messages and edge cases follow
 * GNU coreutils 9 (checked against it), e.g. a line without the delimiter is printed whole
 * unless `-s`, and adjacent `-c` ranges stay separate ranges for `--output-delimiter`.
 */
import type { Command } from '../context';
import { abs, ERRNO, quoted, usage, quotef } from '../context';
import { badOption, eachOperand, lineSplitter, parseOpts } from './operands';

/** A closed range of 1-based positions; `hi` is Infinity for `N-`. */
interface Range { lo: number; hi: number }

/**
 * Parse a cut LIST (`1,3-5,7-`, items separated by commas or blanks) the way GNU's set_fields
 * scans it, so the same mistakes get the same messages. Returns the sorted ranges, overlapping
 * ones merged (adjacent ones are kept apart: they matter for --output-delimiter).
 */
function parseList(list: string, fields: boolean): Range[] | string {
  const numberedFrom1 = fields ? 'fields are numbered from 1' : 'byte/character positions are numbered from 1';
  const ranges: Range[] = [];
  let value = 0;
  let initial = 1;
  let lhs = false;
  let rhs = false;
  let dash = false;
  let digitsAt = -1;
  for (let i = 0; ; i++) {
    const c = list[i] ?? '';
    if (c === '-') {
      digitsAt = -1;
      if (dash) return fields ? 'invalid field range' : 'invalid byte or character range';
      dash = true;
      if (lhs && value === 0) return numberedFrom1;
      initial = lhs ? value : 1;
      value = 0;
    } else if (c === ',' || c === ' ' || c === '\t' || c === '') {
      digitsAt = -1;
      if (dash) {
        dash = false;
        if (!lhs && !rhs) return 'invalid range with no endpoint: -';
        if (!rhs) ranges.push({ lo: initial, hi: Infinity });
        else {
          if (value < initial) return 'invalid decreasing range';
          ranges.push({ lo: initial, hi: value });
        }
      } else {
        if (value === 0) return numberedFrom1;
        ranges.push({ lo: value, hi: value });
      }
      value = 0;
      if (c === '') break;
      lhs = false;
      rhs = false;
    } else if (c >= '0' && c <= '9') {
      if (digitsAt < 0) digitsAt = i;
      if (dash) rhs = true; else lhs = true;
      value = value * 10 + Number(c);
      // GNU keeps positions in a size_t; anything this large is a typo.
      if (value >= Number.MAX_SAFE_INTEGER) {
        const digits = /^\d+/.exec(list.slice(digitsAt))![0];
        return fields ? `field number ${quoted(digits)} is too large` : `byte/character offset ${quoted(digits)} is too large`;
      }
    } else {
      return fields ? `invalid field value ${quoted(list.slice(i))}` : `invalid byte/character position ${quoted(list.slice(i))}`;
    }
  }
  ranges.sort((a, b) => a.lo - b.lo || a.hi - b.hi);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.lo <= last.hi) last.hi = Math.max(last.hi, r.hi);
    else merged.push({ ...r });
  }
  return merged;
}

/** The positions a LIST does not select (--complement). */
function complement(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 1;
  for (const r of ranges) {
    if (r.lo > next) out.push({ lo: next, hi: r.lo - 1 });
    next = r.hi + 1;
  }
  if (next !== Infinity) out.push({ lo: next, hi: Infinity });
  return out;
}

const CUT_LONG = {
  bytes: { key: 'b', arg: true }, characters: { key: 'c', arg: true }, fields: { key: 'f', arg: true },
  delimiter: { key: 'd', arg: true }, 'only-delimited': { key: 's', arg: false }, complement: { key: 'complement', arg: false },
  'output-delimiter': { key: 'output-delimiter', arg: true }, 'zero-terminated': { key: 'z', arg: false },
};

export const cut: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, { flags: 'nsz', withArg: 'bcdf', long: CUT_LONG });
  if ('error' in parsed) return badOption(ctx, 'cut', parsed.error);
  let mode: 'b' | 'c' | 'f' | null = null;
  let ranges: Range[] = [];
  let delim: string | null = null;
  let outDelim: string | null = null;
  let onlyDelimited = false;
  let complementList = false;
  let sep = '\n';
  for (const { key, value } of parsed.opts) {
    switch (key) {
      case 'b': case 'c': case 'f': {
        if (mode) return usage(ctx, 'cut', 'only one list may be specified');
        mode = key;
        const r = parseList(value, key === 'f');
        if (typeof r === 'string') return usage(ctx, 'cut', r);
        ranges = r;
        break;
      }
      case 'd':
        // `-d ''` means the NUL byte, as in GNU.
        if (value.length > 1) return usage(ctx, 'cut', 'the delimiter must be a single character');
        delim = value === '' ? '\0' : value;
        break;
      case 's': onlyDelimited = true; break;
      case 'z': sep = '\0'; break;
      case 'complement': complementList = true; break;
      case 'output-delimiter': outDelim = value; break;
    }
  }
  if (!mode) return usage(ctx, 'cut', 'you must specify a list of bytes, characters, or fields');
  if (mode !== 'f' && delim !== null) return usage(ctx, 'cut', 'an input delimiter may be specified only when operating on fields');
  if (mode !== 'f' && onlyDelimited) return usage(ctx, 'cut', 'suppressing non-delimited lines makes sense\n\tonly when operating on fields');
  if (complementList) ranges = complement(ranges);
  const selected = (n: number) => ranges.some((r) => n >= r.lo && n <= r.hi);
  const rangeStart = (n: number) => ranges.some((r) => r.lo === n);
  const inDelim = delim ?? '\t';
  const joinWith = outDelim ?? inDelim;

  const cutLine = (line: string): string | null => {
    if (mode === 'f') {
      if (!line.includes(inDelim)) return onlyDelimited ? null : line;
      return line.split(inDelim).filter((_f, i) => selected(i + 1)).join(joinWith);
    }
    // Bytes and characters are the same here, as in GNU cut 9 (no multibyte support).
    let out = '';
    let printed = false;
    for (let i = 0; i < line.length; i++) {
      if (!selected(i + 1)) continue;
      if (outDelim !== null && printed && rangeStart(i + 1)) out += outDelim;
      out += line[i];
      printed = true;
    }
    return out;
  };

  const ok = yield* eachOperand(ctx, parsed.operands, (f, e) => `cut: ${quotef(f)}: ${ERRNO[e]}`, () => {
    let out = '';
    const split = lineSplitter((line) => {
      const r = cutLine(line);
      if (r !== null) out += r + sep;
    }, sep);
    const flush = () => { if (out) { ctx.out(out); out = ''; } };
    return { chunk(t) { split.chunk(t); flush(); }, end() { split.end(); flush(); } };
  });
  return ok ? 0 : 1;
};

/** paste's delimiter list: `\n \t \\ \0` (empty) and friends; a trailing lone backslash is an error. */
function pasteDelims(list: string): string[] | string {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c !== '\\') { out.push(c); continue; }
    if (i + 1 >= list.length) return `delimiter list ends with an unescaped backslash: ${list}`;
    const n = list[++i];
    const map: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', '0': '', b: '\b', f: '\f', r: '\r', v: '\v' };
    out.push(map[n] ?? n);
  }
  return out.length > 0 ? out : [''];
}

function splitLines(text: string, sep: string): string[] {
  if (text === '') return [];
  const l = text.split(sep);
  if (l[l.length - 1] === '') l.pop();
  return l;
}

export const paste: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, {
    flags: 'sz', withArg: 'd',
    long: { delimiters: { key: 'd', arg: true }, serial: { key: 's', arg: false }, 'zero-terminated': { key: 'z', arg: false } },
  });
  if ('error' in parsed) return badOption(ctx, 'paste', parsed.error);
  let delims = ['\t'];
  let serial = false;
  let sep = '\n';
  for (const { key, value } of parsed.opts) {
    if (key === 'd') {
      const d = pasteDelims(value);
      if (typeof d === 'string') { ctx.err(`paste: ${d}\n`); return 1; }
      delims = d;
    } else if (key === 's') serial = true;
    else sep = '\0';
  }
  const files = parsed.operands.length > 0 ? parsed.operands : ['-'];

  if (serial) {
    // One output line per file, its lines joined by the delimiters in turn.
    let ok = true;
    for (const f of files) {
      if (f !== '-' && ctx.host.disk.lookup(abs(ctx, f))?.isDir) {
        // GNU opens a directory fine and fails on the first read, after starting the line.
        ctx.out(sep);
        ctx.err(`paste: ${f}: ${ERRNO.EISDIR}\n`);
        ok = false;
        continue;
      }
      let text = '';
      const read = yield* eachOperand(ctx, [f], (file, e) => `paste: ${quotef(file)}: ${ERRNO[e]}`, () => ({ chunk(t) { text += t; }, end() { /* whole file */ } }));
      if (!read) {
        ok = false;
        continue;
      }
      const ls = splitLines(text, sep);
      ctx.out(ls.map((l, i) => (i === 0 ? l : delims[(i - 1) % delims.length] + l)).join('') + sep);
    }
    return ok ? 0 : 1;
  }

  // Side by side: GNU opens every file first and gives up at the first one it cannot read.
  const columns: { lines: string[]; next: number }[] = [];
  let stdinLines: { lines: string[]; next: number } | null = null;
  for (const f of files) {
    if (f === '-') {
      if (!stdinLines) {
        let text = '';
        yield* eachOperand(ctx, ['-'], () => '', () => ({ chunk(t) { text += t; }, end() { /* whole input */ } }));
        stdinLines = { lines: splitLines(text, sep), next: 0 };
      }
      // Every `-` takes the next line of the same standard input (`paste - - < f`).
      columns.push(stdinLines);
      continue;
    }
    let text = '';
    const read = yield* eachOperand(ctx, [f], (file, e) => `paste: ${quotef(file)}: ${ERRNO[e]}`, () => ({ chunk(t) { text += t; }, end() { /* whole file */ } }));
    if (!read) return 1;
    columns.push({ lines: splitLines(text, sep), next: 0 });
  }
  let out = '';
  for (;;) {
    let any = false;
    let row = '';
    columns.forEach((col, i) => {
      if (col.next < col.lines.length) { row += col.lines[col.next++]; any = true; }
      if (i < columns.length - 1) row += delims[i % delims.length];
    });
    if (!any) break;
    out += row + sep;
  }
  ctx.out(out);
  return 0;
};
