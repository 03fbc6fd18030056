/**
 * `od` as GNU coreutils 9.1 prints it: the default octal words, `-t` types (a, c, d/o/u/x with
 * sizes 1 2 4 8 or C S I L, f with F D L, a `z` text trailer) and the traditional -a -b -c -d
 * -f -i -l -o -s -x (and their obsolete capitals), several types aligned under each other,
 * -A d/o/x/n, -j and -N with their suffixes, -v (else a repeated line is a `*`), -w, --endian,
 * -S strings, and the traditional operands (`od FILE +OFFSET`, --traditional's label). Several
 * files are one input (InputChain): a missing file is reported when od gets to it, after the
 * lines made before (error() flushes stdout first). Floats print as gnulib's ftoastr does, the
 * shortest %g that reads back (od-format.ts).
 */
import type { Command } from '../context';
import { quoted, quotef } from '../context';
import type { TaskGen } from '../../kernel/tasks';
import { badOption, parseOpts } from './operands';
import { decodeTypes, formatFields, isPrintable, type OdSpec } from './od-format';
import { InputChain, StdioOut } from './stdio';
import { xstrtolMessage, xstrtoumax } from './xstrtol';

const HELP = `Usage: od [OPTION]... [FILE]...
  or:  od [-abcdfilosx]... [FILE] [[+]OFFSET[.][b]]
  or:  od --traditional [OPTION]... [FILE] [[+]OFFSET[.][b] [+][LABEL][.][b]]

Write an unambiguous representation, octal bytes by default,
of FILE to standard output.  With more than one FILE argument,
concatenate them in the listed order to form the input.

With no FILE, or when FILE is -, read standard input.

If first and second call formats both apply, the second format is assumed
if the last operand begins with + or (if there are 2 operands) a digit.
An OFFSET operand means -j OFFSET.  LABEL is the pseudo-address
at first byte printed, incremented when dump is progressing.
For OFFSET and LABEL, a 0x or 0X prefix indicates hexadecimal;
suffixes may be . for octal and b for multiply by 512.

Mandatory arguments to long options are mandatory for short options too.
  -A, --address-radix=RADIX   output format for file offsets; RADIX is one
                                of [doxn], for Decimal, Octal, Hex or None
      --endian={big|little}   swap input bytes according the specified order
  -j, --skip-bytes=BYTES      skip BYTES input bytes first
  -N, --read-bytes=BYTES      limit dump to BYTES input bytes
  -S BYTES, --strings[=BYTES]  output strings of at least BYTES graphic chars;
                                3 is implied when BYTES is not specified
  -t, --format=TYPE           select output format or formats
  -v, --output-duplicates     do not use * to mark line suppression
  -w[BYTES], --width[=BYTES]  output BYTES bytes per output line;
                                32 is implied when BYTES is not specified
      --traditional           accept arguments in third form above
      --help        display this help and exit
      --version     output version information and exit


Traditional format specifications may be intermixed; they accumulate:
  -a   same as -t a,  select named characters, ignoring high-order bit
  -b   same as -t o1, select octal bytes
  -c   same as -t c,  select printable characters or backslash escapes
  -d   same as -t u2, select unsigned decimal 2-byte units
  -f   same as -t fF, select floats
  -i   same as -t dI, select decimal ints
  -l   same as -t dL, select decimal longs
  -o   same as -t o2, select octal 2-byte units
  -s   same as -t d2, select decimal 2-byte units
  -x   same as -t x2, select hexadecimal 2-byte units


TYPE is made up of one or more of these specifications:
  a          named character, ignoring high-order bit
  c          printable character or backslash escape
  d[SIZE]    signed decimal, SIZE bytes per integer
  f[SIZE]    floating point, SIZE bytes per float
  o[SIZE]    octal, SIZE bytes per integer
  u[SIZE]    unsigned decimal, SIZE bytes per integer
  x[SIZE]    hexadecimal, SIZE bytes per integer

SIZE is a number.  For TYPE in [doux], SIZE may also be C for
sizeof(char), S for sizeof(short), I for sizeof(int) or L for
sizeof(long).  If TYPE is f, SIZE may also be F for sizeof(float), D
for sizeof(double) or L for sizeof(long double).

Adding a z suffix to any type displays printable characters at the end of
each output line.


BYTES is hex with 0x or 0X prefix, and may have a multiplier suffix:
  b    512
  KB   1000
  K    1024
  MB   1000*1000
  M    1024*1024
and so on for G, T, P, E, Z, Y.
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/od>
or available locally via: info '(coreutils) od invocation'
`;

const VERSION = `od (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jim Meyering.
`;

/** The suffixes od's sizes take (-j, -N, -S). */
const MULTIPLIERS = 'bEGKkMmPTYZ0';
const DEFAULT_BYTES_PER_LINE = 16;
const TRY_HELP = "Try 'od --help' for more information.\n";

/** The traditional format options and the type each stands for. */
const OLD_FORMATS: Record<string, string> = {
  a: 'a', b: 'o1', c: 'c', D: 'u4', d: 'u2', F: 'fD', e: 'fD', f: 'fF', X: 'x4', H: 'x4', i: 'dI',
  I: 'dL', L: 'dL', l: 'dL', O: 'o4', B: 'o2', o: 'o2', s: 'd2', h: 'x2', x: 'x2',
};

const LONG = {
  'skip-bytes': { key: 'j', arg: true }, 'address-radix': { key: 'A', arg: true }, 'read-bytes': { key: 'N', arg: true },
  format: { key: 't', arg: true }, 'output-duplicates': { key: 'v', arg: false }, strings: { key: 'S', arg: 'optional' },
  traditional: { key: 'traditional', arg: false }, width: { key: 'w', arg: 'optional' }, endian: { key: 'endian', arg: true },
  help: { key: 'help', arg: false }, version: { key: 'version', arg: false },
} as const;

/** How addresses print: the base and width, none (-A n), and --traditional's label after them. */
interface AddressFormat { base: 8 | 10 | 16 | null; width: number; pseudoOffset: bigint | null }

function formatAddress(a: AddressFormat, at: bigint, end: string): string {
  const std = (base: number, width: number, v: bigint, c: string) => BigInt.asUintN(64, v).toString(base).padStart(width, '0') + c;
  if (a.pseudoOffset === null) return a.base === null ? '' : std(a.base, a.width, at, end);
  // With -A n the parenthesized address is the true one; otherwise it follows it as the label.
  if (a.base === null) return `(${std(8, 7, at, ')')}${end}`;
  return std(a.base, a.width, at, ' ') + `(${std(a.base, a.width, at + a.pseudoOffset, ')')}${end}`;
}

/** A traditional offset operand: [+]N in octal, 0xN in hex, times 512 with b (1024 with B). */
function oldOffset(text: string): bigint | null {
  if (text === '') return null;
  const s = text[0] === '+' ? text.slice(1) : text;
  // A '.' asks for decimal, but xstrtoumax then stops at it: never an offset in od 9.1.
  const radix = s.includes('.') ? 10 : /^0[xX]/.test(s) ? 16 : 8;
  const r = xstrtoumax(s, radix, 'Bb');
  return 'value' in r ? r.value : null;
}

export const od: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, { flags: 'aBbcDdeFfHhIiLlOosvXx', withArg: 'AjNSt', optionalArg: 'w', long: LONG });
  const address: AddressFormat = { base: 8, width: 7, pseudoOffset: null };
  let skip = 0n;
  let limit: bigint | null = null;
  let stringMin: bigint | null = null;
  let verbose = false;
  let traditional = false;
  let swap = false;
  let width: bigint | null = null;
  let modern = false;
  let ok = true;
  const specs: OdSpec[] = [];
  const out = new StdioOut(ctx);
  // error() flushes stdout before it writes its message.
  const say = (line: string) => { out.flush(); ctx.err(`od: ${line}\n`); };
  const fail = (line: string) => { say(line); return 1; };
  const addTypes = (text: string) => {
    const r = decodeTypes(text);
    if (typeof r === 'string') { say(r); ok = false; } else specs.push(...r);
  };
  const size = (value: string, key: string, name: string | undefined): bigint | string => {
    const r = xstrtoumax(value, 0, MULTIPLIERS);
    return 'value' in r ? r.value : xstrtolMessage(r.error, name ? `--${name}` : `-${key}`, value);
  };
  for (const { key, value, name } of 'error' in parsed ? parsed.parsed : parsed.opts) {
    if (OLD_FORMATS[key] !== undefined) { addTypes(OLD_FORMATS[key]); continue; }
    switch (key) {
      case 'help': ctx.out(HELP); return 0;
      case 'version': ctx.out(VERSION); return 0;
      case 'A': {
        modern = true;
        const radix = value[0] ?? '\0';
        if (radix === 'd') Object.assign(address, { base: 10, width: 7 });
        else if (radix === 'o') Object.assign(address, { base: 8, width: 7 });
        else if (radix === 'x') Object.assign(address, { base: 16, width: 6 });
        else if (radix === 'n') Object.assign(address, { base: null, width: 0 });
        else return fail(`invalid output address radix '${radix}'; it must be one character from [doxn]`);
        break;
      }
      case 'j': case 'N': {
        modern = true;
        const r = size(value, key, name);
        if (typeof r === 'string') return fail(r);
        if (key === 'j') skip = r; else limit = r;
        break;
      }
      case 'S': {
        modern = true;
        if (value === '' && name !== undefined) stringMin = 3n;
        else {
          const r = size(value, key, name);
          if (typeof r === 'string') return fail(r);
          stringMin = r;
        }
        break;
      }
      case 't': modern = true; addTypes(value); break;
      case 'v': modern = true; verbose = true; break;
      case 'traditional': traditional = true; break;
      case 'endian': {
        // argmatch: the name, or a prefix of just one.
        const choice = ['little', 'big'].filter((e) => e.startsWith(value));
        if (choice.length !== 1) {
          const why = choice.length === 0 ? 'invalid' : 'ambiguous';
          ctx.err(`od: ${why} argument ${quoted(value)} for ${quoted('--endian')}\nValid arguments are:\n  - ${quoted('little')}\n  - ${quoted('big')}\n${TRY_HELP}`);
          return 1;
        }
        swap = choice[0] === 'big';
        break;
      }
      case 'w': {
        modern = true;
        if (value === '') { width = 32n; break; }
        const r = xstrtoumax(value, 10, '');
        if ('error' in r) return fail(xstrtolMessage(r.error, name ? `--${name}` : '-w', value));
        width = r.value;
        break;
      }
    }
  }
  if ('error' in parsed) return badOption(ctx, 'od', parsed.error);
  if (!ok) return 1;
  if (stringMin !== null && specs.length > 0) return fail('no type may be specified when dumping strings');

  // The traditional operands: `od [FILE] [[+]OFFSET[.][b]]` when no modern option was given
  // (or any form with --traditional), and a label with --traditional.
  let files = parsed.operands;
  if (!modern || traditional) {
    if (files.length === 1 && (traditional || files[0][0] === '+')) {
      const o = oldOffset(files[0]);
      if (o !== null) { skip = o; files = []; }
    } else if (files.length === 2 && (traditional || files[1][0] === '+' || /^[0-9]/.test(files[1]))) {
      const o2 = oldOffset(files[1]);
      if (o2 !== null) {
        const o1 = traditional ? oldOffset(files[0]) : null;
        if (o1 !== null) { skip = o1; address.pseudoOffset = o2 - o1; files = []; }
        else { skip = o2; files = [files[0]]; }
      }
    } else if (files.length === 3 && traditional) {
      const o1 = oldOffset(files[1]);
      const o2 = oldOffset(files[2]);
      if (o1 !== null && o2 !== null) { skip = o1; address.pseudoOffset = o2 - o1; files = [files[0]]; }
    }
    if (traditional && files.length > 1) {
      ctx.err(`od: extra operand ${quoted(files[1])}\nod: compatibility mode supports at most one file\n${TRY_HELP}`);
      return 1;
    }
  }
  if (address.pseudoOffset !== null && address.base === null) Object.assign(address, { width: 7 });
  if (limit !== null && skip + limit > (1n << 64n) - 1n) return fail('skip-bytes + read-bytes is too large');
  if (specs.length === 0) addTypes('oS');

  const input = new InputChain(ctx, files.length ? files : ['-'], (file, errno) => {
    say(`${file === '-' ? 'standard input' : quotef(file)}: ${ERRNO_TEXT[errno]}`);
  });
  if (!input.open()) { out.close(); return 1; }
  const left: bigint = yield* input.skip(skip);
  if (left > 0n) { out.close(); return fail('cannot skip past end of combined input'); }

  // Worked out (and -w warned about) with -S too, which then uses none of it.
  const perLine = lineWidth(ctx, specs, width);
  if (stringMin !== null) {
    yield* dumpStrings(input, out, address, skip, limit === null ? null : skip + limit, stringMin);
  } else {
    yield* dump(input, out, address, specs, perLine, skip, limit === null ? null : skip + limit, verbose, swap);
  }
  out.close();
  return input.ok ? 0 : 1;
};

const ERRNO_TEXT = { ENOENT: 'No such file or directory', ENOTDIR: 'Not a directory', EISDIR: 'Is a directory' } as const;

/**
 * Bytes per line: -w's if it is a multiple of every type's size (else their least common
 * multiple, with a warning), or the most that fits 16 bytes. Sets each spec's padding so the
 * types' lines line up.
 */
function lineWidth(ctx: Parameters<Command>[0], specs: OdSpec[], width: bigint | null): number {
  const lcm = specs.reduce((l, s) => (l * s.size) / gcd(l, s.size), 1);
  let perLine: number;
  if (width !== null) {
    if (width !== 0n && width % BigInt(lcm) === 0n) perLine = Number(width);
    else {
      ctx.err(`od: warning: invalid width ${width}; using ${lcm} instead\n`);
      perLine = lcm;
    }
  } else perLine = lcm < DEFAULT_BYTES_PER_LINE ? lcm * Math.floor(DEFAULT_BYTES_PER_LINE / lcm) : lcm;
  let widest = 0;
  for (const s of specs) widest = Math.max(widest, (s.width + 1) * (perLine / s.size));
  for (const s of specs) s.pad = widest - s.width * (perLine / s.size);
  return perLine;
}

function gcd(a: number, b: number): number { return b === 0 ? a : gcd(b, a % b); }

/** The lines: a block of `perLine` bytes per line, each type on its own line, `*` for repeats. */
function* dump(input: InputChain, out: StdioOut, address: AddressFormat, specs: OdSpec[], perLine: number, start: bigint, end: bigint | null, verbose: boolean, swap: boolean): TaskGen<void> {
  let offset = start;
  let previous: string | null = null;
  let repeating = false;
  const lcm = specs.reduce((l, s) => (l * s.size) / gcd(l, s.size), 1);
  for (;;) {
    const want = end === null ? perLine : Number(end - offset < BigInt(perLine) ? end - offset : BigInt(perLine));
    if (want <= 0) break;
    const bytes: string = yield* input.read(want);
    if (bytes.length === 0) break;
    if (bytes.length === perLine && previous === bytes && !verbose) {
      if (!repeating) out.write('*\n');
      repeating = true;
    } else {
      repeating = false;
      // The last block is padded with zeros to a multiple of every type's size.
      const padded = new Uint8Array(Math.max(perLine, Math.ceil(bytes.length / lcm) * lcm));
      for (let k = 0; k < bytes.length; k++) padded[k] = bytes.charCodeAt(k);
      let text = '';
      specs.forEach((spec, i) => {
        const fields = perLine / spec.size;
        const blank = Math.floor((perLine - bytes.length) / spec.size);
        // Under the address, a blank as wide as an address is padded (a label is not counted).
        text += i === 0 ? formatAddress(address, offset, '') : ' '.repeat(address.width);
        text += formatFields(spec, padded, fields, blank, swap);
        if (spec.trailer) {
          text += ' '.repeat(blank * spec.width + Math.floor((spec.pad * blank) / fields));
          text += '  >' + [...bytes].map((c) => (isPrintable(c.charCodeAt(0)) ? c : '.')).join('') + '<';
        }
        text += '\n';
      });
      out.write(text);
    }
    previous = bytes;
    offset += BigInt(bytes.length);
    if (bytes.length < want || !out.alive) break;
  }
  out.write(formatAddress(address, offset, '\n'));
}

const STRING_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/**
 * -S: every run of at least `min` printable characters that a NUL ends, with its address (tabs
 * and newlines are not printable to isprint: they break a run; the escapes below never show).
 */
function* dumpStrings(input: InputChain, out: StdioOut, address: AddressFormat, start: bigint, end: bigint | null, min: bigint): TaskGen<void> {
  let at = start;
  let run = '';
  let pending = '';
  const next = function* (): TaskGen<number> {
    if (pending === '') {
      pending = yield* input.read(4096);
      if (pending === '') return -1;
    }
    const c = pending.charCodeAt(0);
    pending = pending.slice(1);
    at++;
    return c;
  };
  for (;;) {
    if (end !== null && (end < min || end - min <= at)) return;
    run = '';
    let broken = false;
    for (let i = 0n; i < min; i++) {
      const c: number = yield* next();
      if (c < 0) return;
      if (!isPrintable(c)) { broken = true; break; }
      run += String.fromCharCode(c);
    }
    if (broken) continue;
    // Then on to a NUL, which makes it a string; -N's end does too.
    while (end === null || at < end) {
      const c: number = yield* next();
      if (c < 0) return;
      if (c === 0) break;
      if (!isPrintable(c)) { broken = true; break; }
      run += String.fromCharCode(c);
    }
    if (broken) continue;
    const where = formatAddress(address, at - BigInt(run.length) - 1n, ' ');
    out.write(where + run.replace(/[\x07\b\f\n\r\t\v]/g, (ch) => STRING_ESCAPES[ch]) + '\n');
    if (!out.alive) return;
  }
}
