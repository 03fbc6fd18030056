/**
 * The digest family of GNU coreutils 9.1: md5sum, sha1sum, sha256sum. Each prints a checksum
 * line per file (GNU's form, or --tag's BSD one, -z ending lines with NUL), a name holding a
 * backslash, a newline or a carriage return escaped behind a leading backslash, with
 * getopt_long's options (prefixes, their ambiguities) and digest.c's checks of which options
 * go together; -c reads such lines back (GNU's, BSD's tagged or reversed form) and says OK or
 * FAILED for each file, with --quiet, --status, --warn, --strict and --ignore-missing.
 */
import type { CmdCtx, Command } from '../context';
import { ERRNO, quotef, readAllInput } from '../context';
import { latin1Bytes } from '../../kernel/kernel';
import type { TaskGen } from '../../kernel/tasks';
import { md5Hex } from '../md5';
import { sha1, sha256, toHex } from '../../../engine/util/sha';
import { badOption, parseOpts } from './operands';
import { openFile } from './stdio';

/** One tool: its name, its tag (`SHA1 (f) = …`), its help text's details, and the digest. */
interface Algorithm {
  name: string;
  tag: string;
  bits: number;
  standard: string;
  infoNode: string;
  hex: (bytes: Uint8Array) => string;
}

const LONG = [
  { name: 'check', key: 'c', arg: false }, { name: 'ignore-missing', key: 'ignore-missing', arg: false },
  { name: 'quiet', key: 'quiet', arg: false }, { name: 'status', key: 'status', arg: false }, { name: 'warn', key: 'w', arg: false },
  { name: 'strict', key: 'strict', arg: false }, { name: 'tag', key: 'tag', arg: false }, { name: 'zero', key: 'z', arg: false },
  { name: 'binary', key: 'b', arg: false }, { name: 'text', key: 't', arg: false },
  { name: 'help', key: 'help', arg: false }, { name: 'version', key: 'version', arg: false },
] as const;

const help = ({ name, tag: algo, bits, standard, infoNode }: Algorithm) => `Usage: ${name} [OPTION]... [FILE]...
Print or check ${algo} (${bits}-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in ${standard}.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/${name}>
or available locally via: info '(coreutils) ${infoNode}'
`;

const version = (name: string) => `${name} (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Ulrich Drepper, Scott Miller, and David Madore.
`;

/** A name GNU escapes in a checksum line (so that -c can read it back). */
const PROBLEMATIC = /[\\\n\r]/;

function escapedName(name: string): string {
  return name.replace(/[\\\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : '\\r'));
}

/** output_file: one checksum line. */
function checksumLine(algo: Algorithm, digest: string, name: string, binary: boolean, tagged: boolean, delim: string): string {
  const escape = delim === '\n' && PROBLEMATIC.test(name);
  const shown = escape ? escapedName(name) : name;
  const lead = escape ? '\\' : '';
  if (tagged) return `${lead}${algo.tag} (${shown}) = ${digest}${delim}`;
  return `${lead}${digest} ${binary ? '*' : ' '}${shown}${delim}`;
}

/** The bytes of a file (or standard input for `-`), or why it cannot be read. */
function* readOperand(ctx: CmdCtx, operand: string): TaskGen<Uint8Array | { errno: keyof typeof ERRNO }> {
  if (operand === '-') return latin1Bytes(yield* readAllInput(ctx));
  const opened = openFile(ctx, operand);
  if (typeof opened === 'string') return { errno: opened };
  if (opened.kind === 'file' && opened.type === 'directory') return { errno: 'EISDIR' };
  return latin1Bytes(opened.kind === 'file' ? opened.bytes() : '');
}

// ---- -c: checking the lines of a checksum file ---------------------------------------------

interface CheckOptions {
  status: boolean;
  warn: boolean;
  quiet: boolean;
  strict: boolean;
  ignoreMissing: boolean;
  /**
   * Whether the lines are BSD's reversed form (`DIGEST NAME`, one blank) rather than GNU's
   * (`DIGEST  NAME`, `DIGEST *NAME`): -1 until a line decides, then fixed for the whole run.
   */
  bsdReversed: -1 | 0 | 1;
}

const isWhite = (c: string | undefined) => c === ' ' || c === '\t';

/** filename_unescape: \\, \n and \r; anything else after a backslash, or a NUL, is not a name. */
function unescapeName(s: string): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\0') return null;
    if (c !== '\\') { out += c; continue; }
    if (i === s.length - 1) return null;
    const e = s[++i];
    if (e === 'n') out += '\n';
    else if (e === 'r') out += '\r';
    else if (e === '\\') out += '\\';
    else return null;
  }
  return out;
}

/** valid_digits: exactly the digest's hex digits. */
const validDigits = (algo: Algorithm, d: string) => d.length === algo.bits / 4 && /^[0-9a-fA-F]*$/.test(d);

/** bsd_split_3: `NAME) = DIGEST` after `TAG (`. */
function splitBsd(algo: Algorithm, s: string, escaped: boolean): { digest: string; name: string } | null {
  const close = s.lastIndexOf(')');
  if (close < 0) return null;
  let name: string | null = s.slice(0, close);
  if (escaped) { name = unescapeName(name); if (name === null) return null; }
  let i = close + 1;
  while (isWhite(s[i])) i++;
  if (s[i] !== '=') return null;
  i++;
  while (isWhite(s[i])) i++;
  const digest = s.slice(i);
  return validDigits(algo, digest) ? { digest, name } : null;
}

/** split_3: a line's digest and file name, in GNU's, BSD's tagged or BSD's reversed form. */
function splitLine(algo: Algorithm, s: string, opts: CheckOptions): { digest: string; name: string } | null {
  let i = 0;
  while (isWhite(s[i])) i++;
  let escaped = false;
  if (s[i] === '\\') { i++; escaped = true; }
  if (s.startsWith(algo.tag, i)) {
    i += algo.tag.length;
    if (s[i] === ' ') i++;
    if (s[i] !== '(') return null;
    return splitBsd(algo, s.slice(i + 1), escaped);
  }
  const minLength = algo.bits / 4 + 2;
  if (s.length - i < minLength + (s[i] === '\\' ? 1 : 0)) return null;
  const start = i;
  while (i < s.length && s[i] !== '\0' && !isWhite(s[i])) i++;
  if (i === s.length) return null;
  const digest = s.slice(start, i);
  i++;
  if (!validDigits(algo, digest)) return null;
  if (s.length - i === 1 || (s[i] !== ' ' && s[i] !== '*')) {
    // Forms are not mixed: once GNU's, a reversed BSD line is not read (a name with a blank first).
    if (opts.bsdReversed === 0) return null;
    opts.bsdReversed = 1;
  } else if (opts.bsdReversed !== 1) {
    opts.bsdReversed = 0;
    i++;
  }
  const name = escaped ? unescapeName(s.slice(i)) : s.slice(i);
  return name === null ? null : { digest, name };
}

/** `N line(s)` in digest.c's warnings. */
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** digest_check: verify every line of one checksum file; whether all of it checked out. */
function* checkFile(ctx: CmdCtx, algo: Algorithm, file: string, opts: CheckOptions): TaskGen<boolean> {
  const name = algo.name;
  const fromStdin = file === '-';
  const shownFile = quotef(fromStdin ? 'standard input' : file);
  // error() flushes stdout first; our output is never held back, so the order is kept.
  const say = (msg: string) => ctx.err(`${name}: ${msg}\n`);
  let text: string;
  if (fromStdin) text = yield* readAllInput(ctx);
  else {
    const opened = openFile(ctx, file);
    if (typeof opened === 'string') { say(`${quotef(file)}: ${ERRNO[opened]}`); return false; }
    if (opened.kind === 'file' && opened.type === 'directory') { say(`${shownFile}: read error`); return false; }
    text = opened.kind === 'file' ? opened.bytes() : '';
  }
  let misformatted = 0;
  let mismatched = 0;
  let unreadable = 0;
  let formatted = false;
  let matched = false;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const [index, raw] of lines.entries()) {
    if (raw[0] === '#') continue;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') continue;
    const split = splitLine(algo, line, opts);
    if (split === null || (fromStdin && split.name === '-')) {
      misformatted++;
      if (opts.warn) say(`${shownFile}: ${index + 1}: improperly formatted ${algo.tag} checksum line`);
      continue;
    }
    formatted = true;
    // 9.1 escapes a reported name only for a newline (a line of output per file).
    const escape = !opts.status && split.name.includes('\n');
    const shown = (escape ? '\\' : '') + (escape ? escapedName(split.name) : split.name);
    const bytes: Uint8Array | { errno: keyof typeof ERRNO } = yield* readOperand(ctx, split.name);
    if (!(bytes instanceof Uint8Array)) {
      if (opts.ignoreMissing && bytes.errno === 'ENOENT') continue;
      say(`${quotef(split.name)}: ${ERRNO[bytes.errno]}`);
      unreadable++;
      if (!opts.status) ctx.out(`${shown}: FAILED open or read\n`);
      continue;
    }
    const match = algo.hex(bytes) === split.digest.toLowerCase();
    if (match) matched = true; else mismatched++;
    if (!opts.status) {
      if (!match) ctx.out(`${shown}: FAILED\n`);
      else if (!opts.quiet) ctx.out(`${shown}: OK\n`);
    }
  }
  if (!formatted) say(`${shownFile}: no properly formatted checksum lines found`);
  else if (!opts.status) {
    if (misformatted) say(`WARNING: ${plural(misformatted, 'line is', 'lines are')} improperly formatted`);
    if (unreadable) say(`WARNING: ${plural(unreadable, 'listed file', 'listed files')} could not be read`);
    if (mismatched) say(`WARNING: ${plural(mismatched, 'computed checksum', 'computed checksums')} did NOT match`);
    if (opts.ignoreMissing && !matched) say(`${shownFile}: no file was verified`);
  }
  return formatted && matched && mismatched === 0 && unreadable === 0 && (!opts.strict || misformatted === 0);
}

// ---- the commands -----------------------------------------------------------------------------

function digestCommand(algo: Algorithm): Command {
  return function* (ctx, argv) {
    const name = algo.name;
    const parsed = parseOpts(argv, { flags: 'bctwz', withArg: '', long: LONG });
    if ('error' in parsed) return badOption(ctx, name, parsed.error);
    let check = false;
    let binary = -1;
    let tagged = false;
    let delim = '\n';
    let status = false;
    let warn = false;
    let quiet = false;
    let strict = false;
    let ignoreMissing = false;
    for (const { key } of parsed.opts) {
      switch (key) {
        case 'help': ctx.out(help(algo)); return 0;
        case 'version': ctx.out(version(name)); return 0;
        case 'c': check = true; break;
        case 'status': status = true; warn = false; quiet = false; break;
        case 'b': binary = 1; break;
        case 't': binary = 0; break;
        case 'w': status = false; warn = true; quiet = false; break;
        case 'ignore-missing': ignoreMissing = true; break;
        case 'quiet': status = false; warn = false; quiet = true; break;
        case 'strict': strict = true; break;
        case 'tag': tagged = true; binary = 1; break;
        case 'z': delim = '\0'; break;
      }
    }
    // digest.c's checks, in its order.
    const misuse = (msg: string) => badOption(ctx, name, `${name}: ${msg}`);
    if (tagged && !binary) return misuse('--tag does not support --text mode');
    if (delim !== '\n' && check) return misuse('the --zero option is not supported when verifying checksums');
    if (tagged && check) return misuse('the --tag option is meaningless when verifying checksums');
    if (binary >= 0 && check) return misuse('the --binary and --text options are meaningless when verifying checksums');
    if (ignoreMissing && !check) return misuse('the --ignore-missing option is meaningful only when verifying checksums');
    if (status && !check) return misuse('the --status option is meaningful only when verifying checksums');
    if (warn && !check) return misuse('the --warn option is meaningful only when verifying checksums');
    if (quiet && !check) return misuse('the --quiet option is meaningful only when verifying checksums');
    if (strict && !check) return misuse('the --strict option is meaningful only when verifying checksums');
    if (check) {
      const verify: CheckOptions = { status, warn, quiet, strict, ignoreMissing, bsdReversed: -1 };
      let ok = true;
      for (const file of parsed.operands.length ? parsed.operands : ['-']) ok = (yield* checkFile(ctx, algo, file, verify)) && ok;
      return ok ? 0 : 1;
    }
    let code = 0;
    for (const operand of parsed.operands.length ? parsed.operands : ['-']) {
      const bytes: Uint8Array | { errno: keyof typeof ERRNO } = yield* readOperand(ctx, operand);
      if (!(bytes instanceof Uint8Array)) { ctx.err(`${name}: ${quotef(operand)}: ${ERRNO[bytes.errno]}\n`); code = 1; continue; }
      ctx.out(checksumLine(algo, algo.hex(bytes), operand, binary === 1, tagged, delim));
    }
    return code;
  };
}

export const md5sum = digestCommand({ name: 'md5sum', tag: 'MD5', bits: 128, standard: 'RFC 1321', infoNode: 'md5sum invocation', hex: md5Hex });
export const sha1sum = digestCommand({ name: 'sha1sum', tag: 'SHA1', bits: 160, standard: 'FIPS-180-1', infoNode: 'sha1sum invocation', hex: (b) => toHex(sha1(b)) });
export const sha256sum = digestCommand({ name: 'sha256sum', tag: 'SHA256', bits: 256, standard: 'FIPS-180-2', infoNode: 'sha2 utilities', hex: (b) => toHex(sha256(b)) });
