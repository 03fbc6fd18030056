/**
 * Line filters and a line generator: `rev` (util-linux), `tac`, `nl`, `fold` and `yes` (GNU
 * coreutils). Their messages are the real ones, odd wording included (`rev: d: 0: Is a
 * directory` is what util-linux prints on Debian).
 */
import type { Command } from '../context';
import { ERRNO, sleepWait, quoted, usage, quotef } from '../context';
import { breToJs } from './text';
import { alive, badOption, eachOperand, lineSplitter, parseOpts, utf8Chars } from './operands';

export const rev: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, { flags: '', withArg: '' });
  if ('error' in parsed) return badOption(ctx, 'rev', parsed.error);
  const ok = yield* eachOperand(ctx, parsed.operands, (f, e) => (e === 'EISDIR' ? `rev: ${f}: 0: ${ERRNO[e]}` : `rev: cannot open ${f}: ${ERRNO[e]}`), () => {
    let out = '';
    // Characters, not bytes: util-linux reverses wide characters under a UTF-8 locale.
    const split = lineSplitter((line, nl) => { out += utf8Chars(line).reverse().join('') + (nl ? '\n' : ''); });
    const flush = () => { if (out) { ctx.out(out); out = ''; } };
    return { chunk(t) { split.chunk(t); flush(); }, end() { split.end(); flush(); } };
  }, false);
  return ok ? 0 : 1;
};

/** Records of `text` ended (or, with `before`, started) by `sep`, separators kept. */
function records(text: string, sep: string, before: boolean): string[] {
  const out: string[] = [];
  let start = 0;
  for (let at = text.indexOf(sep); at >= 0; at = text.indexOf(sep, at + sep.length)) {
    if (before) {
      if (at > start) out.push(text.slice(start, at));
      start = at;
    } else {
      out.push(text.slice(start, at + sep.length));
      start = at + sep.length;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

export const tac: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, { flags: 'b', withArg: 's', long: { before: { key: 'b', arg: false }, separator: { key: 's', arg: true } } });
  if ('error' in parsed) return badOption(ctx, 'tac', parsed.error);
  let sep = '\n';
  let before = false;
  for (const { key, value } of parsed.opts) {
    if (key === 'b') before = true;
    // An empty separator is the NUL byte (GNU matches the string's terminator).
    else sep = value === '' ? '\0' : value;
  }
  const ok = yield* eachOperand(ctx, parsed.operands, (f, e) => (e === 'EISDIR' ? `tac: ${f}: read error: ${ERRNO.EINVAL}` : `tac: failed to open '${f}' for reading: ${ERRNO[e]}`), () => {
    let text = '';
    return { chunk(t) { text += t; }, end() { if (text) ctx.out(records(text, sep, before).reverse().join('')); } };
  });
  return ok ? 0 : 1;
};

/** An integer option value as GNU's xstrtoimax accepts it (sign, decimal digits). */
function intArg(v: string): number | null {
  return /^[+-]?\d+$/.test(v.trim()) ? Number(v) : null;
}

export const nl: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, {
    flags: 'p', withArg: 'bhfdilnsvw',
    // In coreutils' table order (an ambiguous prefix lists them so).
    long: {
      'header-numbering': { key: 'h', arg: true }, 'body-numbering': { key: 'b', arg: true }, 'footer-numbering': { key: 'f', arg: true },
      'starting-line-number': { key: 'v', arg: true }, 'line-increment': { key: 'i', arg: true }, 'no-renumber': { key: 'p', arg: false },
      'join-blank-lines': { key: 'l', arg: true }, 'number-separator': { key: 's', arg: true }, 'number-width': { key: 'w', arg: true },
      'number-format': { key: 'n', arg: true }, 'section-delimiter': { key: 'd', arg: true },
    },
  });
  if ('error' in parsed) return badOption(ctx, 'nl', parsed.error);
  let style: 'a' | 't' | 'n' | RegExp = 't';
  let format = 'rn';
  let width = 6;
  let separator = '\t';
  let start = 1;
  let increment = 1;
  for (const { key, value } of parsed.opts) {
    switch (key) {
      case 'b':
        if (value === 'a' || value === 't' || value === 'n') style = value;
        else if (value.startsWith('p')) {
          try { style = new RegExp(breToJs(value.slice(1))); } catch { ctx.err('nl: invalid regular expression\n'); return 1; }
        } else return usage(ctx, 'nl', `invalid body numbering style: ${quoted(value)}`);
        break;
      case 'n':
        if (!['ln', 'rn', 'rz'].includes(value)) return usage(ctx, 'nl', `invalid line numbering format: ${quoted(value)}`);
        format = value;
        break;
      case 'w': {
        const n = intArg(value);
        if (n === null) { ctx.err(`nl: invalid line number field width: ${quoted(value)}\n`); return 1; }
        if (n < 1) { ctx.err(`nl: invalid line number field width: ${quoted(value)}: Numerical result out of range\n`); return 1; }
        width = n;
        break;
      }
      case 'v': {
        const n = intArg(value);
        if (n === null) { ctx.err(`nl: invalid starting line number: ${quoted(value)}\n`); return 1; }
        start = n;
        break;
      }
      case 'i': {
        const n = intArg(value);
        if (n === null) { ctx.err(`nl: invalid line number increment: ${quoted(value)}\n`); return 1; }
        increment = n;
        break;
      }
      case 's': separator = value; break;
      // Header/footer styles, section delimiters and -l only matter for nl's logical pages.
      default: break;
    }
  }
  const number = (n: number): string => {
    if (format === 'ln') return String(n).padEnd(width);
    if (format === 'rn') return String(n).padStart(width);
    // %0*d: the sign first, then zeros up to the width.
    const digits = String(Math.abs(n));
    return n < 0 ? '-' + digits.padStart(width - 1, '0') : digits.padStart(width, '0');
  };
  const blank = ' '.repeat(width + separator.length);
  // Numbering goes on from one file to the next; a file's unterminated last line is a line.
  let next = start;
  const ok = yield* eachOperand(ctx, parsed.operands, (f, e) => `nl: ${quotef(f)}: ${ERRNO[e]}`, () => {
    let out = '';
    const split = lineSplitter((line) => {
      const numbered = style === 'a' || (style === 't' ? line !== '' : style === 'n' ? false : style.test(line));
      if (numbered) { out += number(next) + separator + line + '\n'; next += increment; }
      else out += blank + line + '\n';
    });
    const flush = () => { if (out) { ctx.out(out); out = ''; } };
    return { chunk(t) { split.chunk(t); flush(); }, end() { split.end(); flush(); } };
  });
  return ok ? 0 : 1;
};

/** Where the cursor is after `c`, counting columns as GNU fold does (tabs to multiples of 8). */
function advance(column: number, c: string, bytes: boolean): number {
  if (bytes) return column + 1;
  if (c === '\b') return column > 0 ? column - 1 : 0;
  if (c === '\r') return 0;
  if (c === '\t') return column + 8 - (column % 8);
  return column + 1;
}

export const fold: Command = function* (ctx, argv) {
  // The obsolete `fold -80` means `fold -w 80`.
  const args = argv.map((a, i) => (i > 0 && /^-\d+$/.test(a) ? `-w${a.slice(1)}` : a));
  const parsed = parseOpts(args, { flags: 'bs', withArg: 'w', long: { bytes: { key: 'b', arg: false }, spaces: { key: 's', arg: false }, width: { key: 'w', arg: true } } });
  if ('error' in parsed) return badOption(ctx, 'fold', parsed.error);
  let width = 80;
  let bytes = false;
  let spaces = false;
  for (const { key, value } of parsed.opts) {
    if (key === 'b') bytes = true;
    else if (key === 's') spaces = true;
    else {
      const n = intArg(value);
      if (n === null) { ctx.err(`fold: invalid number of columns: ${quoted(value)}\n`); return 1; }
      if (n < 1) { ctx.err(`fold: invalid number of columns: ${quoted(value)}: Numerical result out of range\n`); return 1; }
      width = n;
    }
  }
  const ok = yield* eachOperand(ctx, parsed.operands, (f, e) => `fold: ${quotef(f)}: ${ERRNO[e]}`, () => {
    let line = '';
    let column = 0;
    let out = '';
    const put = (c: string) => {
      if (c === '\n') { out += line + '\n'; line = ''; column = 0; return; }
      for (;;) {
        column = advance(column, c, bytes);
        if (column <= width) { line += c; return; }
        if (spaces) {
          // Break after the last blank when there is one; what follows it starts the next line.
          let at = line.length - 1;
          while (at >= 0 && line[at] !== ' ' && line[at] !== '\t') at--;
          if (at >= 0) {
            out += line.slice(0, at + 1) + '\n';
            line = line.slice(at + 1);
            column = 0;
            for (const x of line) column = advance(column, x, bytes);
            continue;
          }
        }
        // A character wider than the whole width goes alone on its line.
        if (line === '') { line = c; return; }
        out += line + '\n';
        line = '';
        column = 0;
      }
    };
    return {
      chunk(t) { for (const c of t) put(c); if (out) { ctx.out(out); out = ''; } },
      end() { if (out + line) ctx.out(out + line); out = ''; line = ''; },
    };
  });
  return ok ? 0 : 1;
};

/** How much `yes` writes at a time, and how often: its pipe reader gets a turn in between. */
const YES_CHUNK_BYTES = 8192;
const YES_INTERVAL_MS = 10;

export const yes: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, { flags: '', withArg: '' });
  if ('error' in parsed) return badOption(ctx, 'yes', parsed.error);
  const words = parsed.operands;
  const line = (words.length > 0 ? words.join(' ') : 'y') + '\n';
  const chunk = line.repeat(Math.max(1, Math.floor(YES_CHUNK_BYTES / line.length)));
  // Endless, as on Linux: it stops when its reader goes away (SIGPIPE) or it is killed.
  while (alive(ctx)) {
    ctx.out(chunk);
    yield sleepWait(ctx.kernel, YES_INTERVAL_MS);
  }
  return 0;
};
