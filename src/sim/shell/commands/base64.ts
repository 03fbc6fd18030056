/**
 * `base64` as GNU coreutils 9.1: encoding in lines of -w columns (76; 0 for one line without
 * a newline), and -d decoding as gnulib's base64_decode_ctx does it, block by block: newlines
 * are skipped, padded groups may follow each other (`YQ==YQ==`), and at the first character
 * that is not base64 (or a group cut short at the end) the bytes decoded so far are written
 * and base64 stops with `invalid input`; -i drops every byte outside the alphabet and `=`.
 */
import type { Command } from '../context';
import { quoted, quotef, ERRNO } from '../context';
import { badOption, parseOpts } from './operands';
import { openFile, readAll, StdioOut, stdinInput } from './stdio';
import { xstrtoumax } from './xstrtol';

const HELP = `Usage: base64 [OPTION]... [FILE]
Base64 encode or decode FILE, or standard input, to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -d, --decode          decode data
  -i, --ignore-garbage  when decoding, ignore non-alphabet characters
  -w, --wrap=COLS       wrap encoded lines after COLS character (default 76).
                          Use 0 to disable line wrapping
      --help        display this help and exit
      --version     output version information and exit

The data are encoded as described for the base64 alphabet in RFC 4648.
When decoding, the input may contain newlines in addition to the bytes of
the formal base64 alphabet.  Use --ignore-garbage to attempt to recover
from any other non-alphabet bytes in the encoded stream.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/base64>
or available locally via: info '(coreutils) base64 invocation'
`;

const VERSION = `base64 (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Simon Josefsson.
`;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));
const isBase64 = (c: string | undefined) => c !== undefined && VALUE.has(c);

/** What base64 reads at a time when decoding: the base64 of its 3 KiB output block. */
const DECODE_INPUT_BLOCK = 4096;
const DEFAULT_WRAP = 76;

export const base64: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, {
    flags: 'di', withArg: 'w',
    long: { decode: { key: 'd', arg: false }, wrap: { key: 'w', arg: true }, 'ignore-garbage': { key: 'i', arg: false }, help: { key: 'help', arg: false }, version: { key: 'version', arg: false } },
  });
  let decode = false;
  let ignoreGarbage = false;
  let wrap = DEFAULT_WRAP;
  for (const { key, value } of 'error' in parsed ? parsed.parsed : parsed.opts) {
    if (key === 'help') { ctx.out(HELP); return 0; }
    if (key === 'version') { ctx.out(VERSION); return 0; }
    if (key === 'd') decode = true;
    if (key === 'i') ignoreGarbage = true;
    if (key === 'w') {
      const w = wrapColumns(value);
      if (w === null) { ctx.err(`base64: invalid wrap size: ${quoted(value)}\n`); return 1; }
      wrap = w;
    }
  }
  if ('error' in parsed) return badOption(ctx, 'base64', parsed.error);
  if (parsed.operands.length > 1) return badOption(ctx, 'base64', `base64: extra operand ${quoted(parsed.operands[1])}`);
  const file = parsed.operands[0] ?? '-';
  const input = file === '-' ? stdinInput(ctx) : openFile(ctx, file);
  if (typeof input === 'string') { ctx.err(`base64: ${quotef(file)}: ${ERRNO[input]}\n`); return 1; }
  if (input.kind === 'file' && input.type === 'directory') { ctx.err('base64: read error: Is a directory\n'); return 1; }
  const data: string = yield* readAll(ctx, input);
  const out = new StdioOut(ctx);
  if (!decode) {
    out.write(wrapLines(encode(data), wrap));
    out.close();
    return 0;
  }
  const ok = decodeStream(data, ignoreGarbage, (bytes) => out.write(bytes));
  // die() flushes what was decoded, then says why it stopped.
  out.close();
  if (!ok) { ctx.err('base64: invalid input\n'); return 1; }
  return 0;
};

/**
 * -w as xstrtoimax reads it (decimal, blanks before, no suffix): null when invalid or
 * negative; too big a number means no wrapping at all.
 */
function wrapColumns(text: string): number | null {
  const negative = /^[ \t\n\v\f\r]*-/.test(text);
  const r = xstrtoumax(negative ? text.replace('-', '') : text, 10, '');
  if ('error' in r) return r.error === 'overflow' && !negative ? 0 : null;
  if (negative && r.value !== 0n) return null;
  return r.value > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(r.value);
}

function encode(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes.charCodeAt(i);
    const b = i + 1 < bytes.length ? bytes.charCodeAt(i + 1) : 0;
    const c = i + 2 < bytes.length ? bytes.charCodeAt(i + 2) : 0;
    out += ALPHABET[a >> 2] + ALPHABET[((a & 3) << 4) | (b >> 4)];
    out += i + 1 < bytes.length ? ALPHABET[((b & 15) << 2) | (c >> 6)] : '=';
    out += i + 2 < bytes.length ? ALPHABET[c & 63] : '=';
  }
  return out;
}

/** wrap_write: a newline after every `columns` characters, and after a last partial line. */
function wrapLines(text: string, columns: number): string {
  if (columns === 0 || text === '') return text;
  let out = '';
  for (let i = 0; i < text.length; i += columns) out += text.slice(i, i + columns) + '\n';
  return out;
}

/** base64_decode_ctx's state across blocks: a group of four being gathered around newlines. */
interface DecodeContext { buf: string[]; i: number }

/**
 * Decode like base64's do_decode: blocks of DECODE_INPUT_BLOCK characters (after -i's
 * filtering), each through base64_decode_ctx, then a flush of a group left unfinished. Writes
 * what decodes; false at invalid input.
 */
function decodeStream(data: string, ignoreGarbage: boolean, write: (bytes: string) => void): boolean {
  const text = ignoreGarbage ? [...data].filter((c) => isBase64(c) || c === '=').join('') : data;
  const ctx: DecodeContext = { buf: [], i: 0 };
  let pos = 0;
  do {
    const block = text.slice(pos, pos + DECODE_INPUT_BLOCK);
    pos += block.length;
    const atEof = pos >= text.length;
    for (let k = 0; k < 1 + (atEof ? 1 : 0); k++) {
      if (k === 1 && ctx.i === 0) break;
      const r = decodeChunk(ctx, k === 0 ? block : '', write);
      if (!r) return false;
    }
  } while (pos < text.length);
  return true;
}

/**
 * decode_4: one group (up to four characters of `s` from `at`, `len` of them available). Its
 * bytes go out as they are known, even when the group then proves invalid.
 */
function decode4(s: string, at: number, len: number, out: number[]): boolean {
  if (len < 2) return false;
  const c0 = s[at];
  const c1 = s[at + 1];
  if (!isBase64(c0) || !isBase64(c1)) return false;
  const v = (c: string) => VALUE.get(c)!;
  out.push(((v(c0) << 2) | (v(c1) >> 4)) & 0xff);
  if (len === 2) return false;
  const c2 = s[at + 2];
  if (c2 === '=') {
    if (len !== 4) return false;
    if (s[at + 3] !== '=') return false;
    return true;
  }
  if (!isBase64(c2)) return false;
  out.push(((v(c1) << 4) & 0xf0) | (v(c2) >> 2));
  if (len === 3) return false;
  const c3 = s[at + 3];
  if (c3 === '=') return len === 4;
  if (!isBase64(c3)) return false;
  out.push(((v(c2) << 6) & 0xc0) | v(c3));
  return true;
}

/**
 * base64_decode_ctx over one block (empty: flush the gathered group). Four characters at a
 * time straight from the block while they decode; else skip a newline, or gather the next
 * four characters that are not newlines (across blocks) and decode those.
 */
function decodeChunk(ctx: DecodeContext, block: string, write: (bytes: string) => void): boolean {
  const flush = block.length === 0;
  const out: number[] = [];
  let at = 0;
  let inlen = block.length;
  for (;;) {
    let saved = out.length;
    if (ctx.i === 0 && !flush) {
      for (;;) {
        saved = out.length;
        if (!decode4(block, at, inlen, out)) break;
        at += 4;
        inlen -= 4;
      }
    }
    if (inlen === 0 && !flush) break;
    if (inlen > 0 && block[at] === '\n') { at++; inlen--; continue; }
    // The group that failed is taken back and read again from the gathered characters.
    out.length = saved;
    const end = block.length;
    let group: string;
    let groupAt: number;
    let available: number;
    if (ctx.i === 4) ctx.i = 0;
    if (ctx.i === 0 && end - at >= 4 && !block.slice(at, at + 4).includes('\n')) {
      group = block;
      groupAt = at;
      available = 4;
      at += 4;
    } else {
      while (at < end) {
        const c = block[at++];
        if (c !== '\n') {
          ctx.buf[ctx.i++] = c;
          if (ctx.i === 4) break;
        }
      }
      group = ctx.buf.slice(0, ctx.i).join('');
      groupAt = 0;
      available = ctx.i;
    }
    inlen = available;
    if (inlen === 0 || (inlen < 4 && !flush)) { inlen = 0; break; }
    if (!decode4(group, groupAt, inlen, out)) break;
    inlen = end - at;
  }
  write(String.fromCharCode(...out));
  return inlen === 0;
}
