/** Text commands: echo, printf, grep, head, tail, wc, uniq (sort is in sort.ts, sed in sed.ts). */
import type { Command, CmdCtx } from '../context';
import { abs, ERRNO, getopt, sleepWait, readAllInput, readChunk, readText, takeWriteError, usage, quoted, quotef } from '../context';
import type { TaskGen } from '../../kernel/tasks';
import { bashPrintf } from './printf-format';
import { alive, badOption, parseOpts, type LongOpt } from './operands';
import { globMatch } from '../glob';
import { bytesToLatin1 } from '../../kernel/kernel';

function unescape(s: string): string {
  return s.replace(/\\(n|t|\\|r|a|b|e|0[0-7]{0,3}|c)/g, (_m, c: string) => {
    switch (c[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'e': return '\x1b';
      case '\\': return '\\';
      case '0': return String.fromCharCode(parseInt(c.slice(1) || '0', 8));
      default: return '';
    }
  });
}

export const echo: Command = function* (ctx, argv) {
  let i = 1;
  let newline = true;
  let escapes = false;
  while (i < argv.length && /^-[neE]+$/.test(argv[i])) {
    for (const c of argv[i].slice(1)) { if (c === 'n') newline = false; else if (c === 'e') escapes = true; else escapes = false; }
    i++;
  }
  let text = argv.slice(i).join(' ');
  if (escapes) text = unescape(text);
  ctx.out(text + (newline ? '\n' : ''));
  // bash's echo reports a write the file refused (a bad value for a /proc/sys tunable).
  const e = takeWriteError(ctx);
  if (e !== null) { ctx.err(`bash: echo: write error: ${ERRNO[e] ?? e}\n`); return 1; }
  return 0;
};

const PRINTF_USAGE = 'printf: usage: printf [-v var] format [arguments]\n';

/**
 * printf's command line: `-v NAME` (or `-vNAME`; the last one counts) names a variable to
 * assign the output to instead of writing it; `--` ends the options. An error is bash's text
 * (`bash: printf: …`, status 2).
 */
export function printfCall(argv: string[]): { name: string | null; format: string; args: string[] } | { error: string } {
  let name: string | null = null;
  let i = 1;
  for (; i < argv.length && argv[i].startsWith('-') && argv[i] !== '-'; i++) {
    if (argv[i] === '--') { i++; break; }
    if (!argv[i].startsWith('-v')) return { error: `bash: printf: ${argv[i].slice(0, 2)}: invalid option\n${PRINTF_USAGE}` };
    const value = argv[i].length > 2 ? argv[i].slice(2) : argv[++i];
    if (value === undefined) return { error: `bash: printf: -v: option requires an argument\n${PRINTF_USAGE}` };
    name = value;
  }
  if (i >= argv.length) return { error: PRINTF_USAGE };
  // A variable or an array element (the subscript is checked when it is assigned).
  if (name !== null && !/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]+\])?$/.test(name)) return { error: `bash: printf: \`${name}': not a valid identifier\n` };
  return { name, format: argv[i], args: argv.slice(i + 1) };
}

/**
 * bash's printf builtin (see printf-format.ts) where it runs as a process of its own: in a
 * pipeline, a subshell, where `-v` assigns in that subshell only, that is nowhere. Elsewhere
 * the shell runs it itself (runBuiltin in builtins.ts), so that `-v` sets its variable.
 */
export const printf: Command = function* (ctx, argv) {
  const call = printfCall(argv);
  if ('error' in call) { ctx.err(call.error); return 2; }
  const r = bashPrintf(call.format, call.args);
  if (call.name !== null) {
    for (const p of r.pieces) if (p.fd === 2) ctx.err(`bash: printf: ${p.text}\n`);
    return r.status;
  }
  return writePrintf(r.pieces, r.status, (text) => { ctx.out(text); return takeWriteError(ctx); }, ctx.err);
};

/**
 * What printf prints, written as bash writes it: its standard output is line-buffered, so
 * what a piece brings up to its last newline goes out at once, the rest when printf is done;
 * its errors (fd 2) as they come, behind `bash: printf: `. A write the file refuses (a bad
 * value for a /proc/sys tunable) ends it with `bash: printf: write error: …` and status 1.
 * `write` writes on standard output and says the errno of a refused write.
 */
export function writePrintf(pieces: readonly { fd: number; text: string }[], status: number, write: (text: string) => string | null, err: (text: string) => void): number {
  let buffered = '';
  const flush = (upTo: number): string | null => {
    const text = buffered.slice(0, upTo);
    buffered = buffered.slice(upTo);
    return text === '' ? null : write(text);
  };
  const failed = (e: string) => { err(`bash: printf: write error: ${ERRNO[e] ?? e}\n`); return 1; };
  for (const p of pieces) {
    if (p.fd === 2) { err(`bash: printf: ${p.text}\n`); continue; }
    buffered += p.text;
    const e = flush(buffered.lastIndexOf('\n') + 1);
    if (e !== null) return failed(e);
  }
  const e = flush(buffered.length);
  return e === null ? status : failed(e);
}

/** Text of the operands (or standard input); reports unreadable files like GNU tools. */
function* inputs(ctx: CmdCtx, files: string[], name: string, openMsg: (f: string, e: string) => string): TaskGen<{ name: string; text: string }[] | number> {
  if (files.length === 0) return [{ name: '(standard input)', text: yield* readAllInput(ctx) }];
  const out: { name: string; text: string }[] = [];
  let failed = false;
  for (const f of files) {
    if (f === '-') { out.push({ name: '(standard input)', text: yield* readAllInput(ctx) }); continue; }
    const r = readText(ctx, f);
    if ('error' in r) { ctx.err(`${name}: ${openMsg(f, ERRNO[r.error])}\n`); failed = true; continue; }
    out.push({ name: f, text: r.text });
  }
  if (failed && out.length === 0) return 1;
  return failed ? [...out, { name: '\0failed', text: '' }] : out;
}

/** A text's lines, cut at `sep` (a last one without it counts). */
export function lines(text: string, sep = '\n'): string[] {
  if (text === '') return [];
  const l = text.split(sep);
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** POSIX character classes inside brackets, as JavaScript class contents (the C locale's ASCII sets). */
const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\v\\f\\r', blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~', cntrl: '\\x00-\\x1f\\x7f', graph: '!-~', print: ' -~', xdigit: '0-9A-Fa-f',
};

/** POSIX basic regular expression → JavaScript. */
export function breToJs(re: string): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\' && i + 1 < re.length) {
      const n = re[++i];
      if ('(){}|+?'.includes(n)) out += n;
      else if (n === '<' || n === '>') out += '\\b';
      else out += '\\' + n;
      continue;
    }
    if ('(){}|+?'.includes(c)) { out += '\\' + c; continue; }
    // A `*` with nothing to repeat (at the start, after `\(`, `\|` or `^`) is an ordinary character.
    if (c === '*' && (out === '' || out === '^' || /(^|[^\\])[(|]$/.test(out) || out.endsWith('(^'))) { out += '\\*'; continue; }
    if (c === '[') {
      const end = re.indexOf(']', i + (re[i + 1] === '^' ? 3 : 2));
      if (end > 0) {
        out += re.slice(i, end + 1).replace(/\[:([a-z]+):\]/g, (m, name: string) => POSIX_CLASSES[name] ?? m);
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** Why a pattern does not compile, in GNU grep's words. */
export function regexError(pattern: string): string {
  if (/\[/.test(pattern.replace(/\[[^\]]*\]/g, ''))) return 'Unmatched [, [^, [:, [., or [=';
  return 'Unmatched ( or \\(';
}

/** In GNU grep 3.8's table order (an ambiguous prefix lists them so); the options it has that grep here does not are left out. */
const GREP_LONG: Record<string, LongOpt> = {
  'basic-regexp': { key: 'G', arg: false }, 'extended-regexp': { key: 'E', arg: false }, 'fixed-regexp': { key: 'F', arg: false },
  'fixed-strings': { key: 'F', arg: false }, 'perl-regexp': { key: 'P', arg: false }, 'after-context': { key: 'A', arg: true },
  'before-context': { key: 'B', arg: true }, context: { key: 'C', arg: true }, color: { key: 'color', arg: 'optional' },
  colour: { key: 'color', arg: 'optional' }, count: { key: 'c', arg: false }, exclude: { key: 'exclude', arg: true },
  'exclude-dir': { key: 'exclude-dir', arg: true }, file: { key: 'f', arg: true }, 'files-with-matches': { key: 'l', arg: false },
  'files-without-match': { key: 'L', arg: false }, include: { key: 'include', arg: true }, 'ignore-case': { key: 'i', arg: false },
  'line-number': { key: 'n', arg: false }, 'line-regexp': { key: 'x', arg: false }, 'max-count': { key: 'm', arg: true },
  'no-filename': { key: 'h', arg: false }, 'no-messages': { key: 's', arg: false }, 'only-matching': { key: 'o', arg: false },
  quiet: { key: 'q', arg: false }, recursive: { key: 'r', arg: false }, 'dereference-recursive': { key: 'R', arg: false },
  regexp: { key: 'e', arg: true }, 'invert-match': { key: 'v', arg: false }, silent: { key: 'q', arg: false },
  text: { key: 'a', arg: false }, 'with-filename': { key: 'H', arg: false }, 'word-regexp': { key: 'w', arg: false },
};

/**
 * grep as GNU grep 3 on Debian: BRE/ERE/fixed patterns (several with -e or -f), -i -v -w -x,
 * -c -l -L -q -s -o -n -h -H -m, context (-A -B -C, `--` between groups), and -r/-R over
 * directories (--include, --exclude, --exclude-dir). Exit: 0 when a line was selected, 1 when
 * none, 2 on an error (unless -q found one).
 */
export const grep: Command = function* (ctx, argv) {
  // `-2` is -C 2.
  const parsed = parseOpts(argv.map((a, i) => (i > 0 && /^-\d+$/.test(a) ? `-C${a.slice(1)}` : a)), {
    flags: 'vciyEFGPnqlLhHorRwxsaI', withArg: 'efmABC', long: GREP_LONG,
  });
  const usageTail = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";
  if ('error' in parsed) { ctx.err(`${parsed.error}\n${usageTail}`); return 2; }
  const on = new Set<string>();
  const patterns: string[] = [];
  const include: string[] = [];
  const exclude: string[] = [];
  const excludeDir: string[] = [];
  let after = 0;
  let before = 0;
  let maxCount: number | null = null;
  let mode: 'G' | 'E' | 'F' = 'G';
  let matcher: string | null = null;
  for (const { key, value } of parsed.opts) {
    switch (key) {
      case 'e': patterns.push(value); break;
      case 'f': {
        const r = readText(ctx, value);
        if ('error' in r) { ctx.err(`grep: ${value}: ${ERRNO[r.error]}\n`); return 2; }
        patterns.push(...lines(r.text));
        // An empty pattern file matches nothing; remember that it was given.
        on.add('f');
        break;
      }
      case 'm':
        if (!/^\d+$/.test(value)) { ctx.err('grep: invalid max count\n'); return 2; }
        maxCount = Number(value);
        break;
      case 'A': case 'B': case 'C': {
        if (!/^\d+$/.test(value)) { ctx.err(`grep: ${value}: invalid context length argument\n`); return 2; }
        const n = Number(value);
        if (key !== 'B') after = n;
        if (key !== 'A') before = n;
        break;
      }
      case 'E': case 'P': case 'F': case 'G': {
        const m = key === 'P' ? 'E' : key;
        if (matcher !== null && matcher !== key) { ctx.err('grep: conflicting matchers specified\n'); return 2; }
        matcher = key;
        mode = m;
        break;
      }
      case 'y': on.add('i'); break;
      case 'R': on.add('r'); break;
      case 'include': include.push(value); break;
      case 'exclude': exclude.push(value); break;
      case 'exclude-dir': excludeDir.push(value); break;
      // Of -l/-L, and of -H/-h, the last one counts.
      case 'l': case 'L': on.delete('l'); on.delete('L'); on.add(key); break;
      case 'H': case 'h': on.delete('H'); on.delete('h'); on.add(key); break;
      default: on.add(key);
    }
  }
  const operands = [...parsed.operands];
  if (patterns.length === 0 && !on.has('f')) {
    if (operands.length === 0) { ctx.err(usageTail); return 2; }
    patterns.push(...operands.shift()!.split('\n'));
  }
  const sources = patterns.map((p) => (mode === 'F' ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : mode === 'E' ? p : breToJs(p)));
  let source = sources.length > 0 ? sources.map((s) => `(?:${s})`).join('|') : '(?!)';
  // -w: the match must not touch a word character (letter, digit, underscore) on either side.
  if (on.has('w')) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
  if (on.has('x')) source = `^(?:${source})$`;
  let re: RegExp;
  try { re = new RegExp(source, on.has('i') ? 'i' : ''); } catch { ctx.err(`grep: ${regexError(patterns.join('\n'))}\n`); return 2; }
  const allMatches = new RegExp(re.source, re.flags + 'g');

  const recursive = on.has('r');
  const quiet = on.has('q');
  const listing = on.has('l') || on.has('L');
  const silent = on.has('s');
  const invert = on.has('v');
  const files = operands.length > 0 ? operands : recursive ? ['.'] : ['-'];
  const disk = ctx.host.disk;
  const isDir = (p: string) => p !== '-' && disk.lookup(abs(ctx, p))?.isDir === true;
  const withName = on.has('H') || (!on.has('h') && (files.length > 1 || (recursive && files.some(isDir))));
  // Listing files (-l/-L) overrides counting them (-c).
  const counting = on.has('c') && !listing;
  const context = !counting && !listing && (after > 0 || before > 0);
  let selectedAny = false;
  let failed = false;
  let printedGroup = false;
  let done = false;

  const searchText = (name: string, text: string): void => {
    const ls = lines(text);
    let count = 0;
    let lastPrinted = -1;
    let afterLeft = 0;
    let out = '';
    const prefix = (i: number, sep: string) => (withName ? name + sep : '') + (on.has('n') ? `${i + 1}${sep}` : '');
    const printLine = (i: number, sep: string) => {
      // A new group of lines (after a gap in this file, or after another file's) gets `--`.
      const newGroup = lastPrinted >= 0 ? i > lastPrinted + 1 : printedGroup;
      if (context && newGroup) out += '--\n';
      printedGroup = true;
      lastPrinted = i;
      if (sep === '-' && on.has('o')) return;
      if (sep === ':' && on.has('o')) {
        if (!invert) for (const m of ls[i].matchAll(allMatches)) if (m[0]) out += prefix(i, ':') + m[0] + '\n';
        return;
      }
      out += prefix(i, sep) + ls[i] + '\n';
    };
    for (let i = 0; i < ls.length; i++) {
      const reachedMax = maxCount !== null && count >= maxCount;
      if (reachedMax && afterLeft === 0) break;
      const hit = !reachedMax && re.test(ls[i]) !== invert;
      if (hit) {
        count++;
        selectedAny = true;
        if (quiet) { done = true; return; }
        if (listing) break;
        if (counting) continue;
        for (let j = Math.max(lastPrinted + 1, i - before); j < i; j++) printLine(j, '-');
        printLine(i, ':');
        afterLeft = after;
      } else if (afterLeft > 0 && !counting) {
        printLine(i, '-');
        afterLeft--;
      }
    }
    if (quiet) return;
    if (counting) out += (withName ? name + ':' : '') + count + '\n';
    if ((on.has('l') && count > 0) || (on.has('L') && count === 0)) out += name + '\n';
    if (out) ctx.out(out);
  };

  const matchesGlob = (globs: string[], name: string) => globs.some((g) => globMatch(g, name));
  const walk = (path: string, shown: string): void => {
    const names = disk.list(abs(ctx, path));
    if (typeof names === 'string') return;
    for (const n of [...names].sort()) {
      if (done) return;
      const childPath = path === '/' ? `/${n}` : `${path}/${n}`;
      const childShown = shown === '' ? n : shown.endsWith('/') ? shown + n : `${shown}/${n}`;
      const node = disk.lookup(abs(ctx, childPath));
      if (!node) continue;
      if (node.isDir) {
        if (!matchesGlob(excludeDir, n)) walk(childPath, childShown);
        continue;
      }
      if ((include.length > 0 && !matchesGlob(include, n)) || matchesGlob(exclude, n)) continue;
      searchText(childShown, bytesToLatin1(node.bytes()));
    }
  };

  for (const f of files) {
    if (done) break;
    if (f === '-') { searchText('(standard input)', yield* readAllInput(ctx)); continue; }
    const node = disk.lookup(abs(ctx, f));
    if (!node) { if (!silent) ctx.err(`grep: ${f}: ${ERRNO.ENOENT}\n`); failed = true; continue; }
    if (node.isDir) {
      if (!recursive) { if (!silent) ctx.err(`grep: ${f}: ${ERRNO.EISDIR}\n`); failed = true; continue; }
      // `grep -r pat` with no operand searches `.` but names files without the `./`.
      walk(f, operands.length === 0 ? '' : f);
      continue;
    }
    const base = f.slice(f.lastIndexOf('/') + 1);
    if ((include.length > 0 && !matchesGlob(include, base)) || matchesGlob(exclude, base)) continue;
    searchText(f, bytesToLatin1(node.bytes()));
  }
  if (quiet && selectedAny) return 0;
  if (failed) return 2;
  return selectedAny ? 0 : 1;
};

function headTail(which: 'head' | 'tail'): Command {
  return function* (ctx, argv) {
    let n = 10;
    let bytes: number | null = null;
    let fromStart = false;
    const files: string[] = [];
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i];
      let v: string | null = null;
      if (a === '-n' || a === '-c') v = argv[++i] ?? '';
      else if (/^-[nc].+/.test(a)) v = a.slice(2);
      else if (/^-\d+$/.test(a)) { n = Number(a.slice(1)); continue; }
      else if (a === '-f' || a === '-F') { ctx.err(`${which}: -f is not available in this terminal; run it again to see new lines\n`); return 1; }
      else if (a.startsWith('-') && a !== '-') return usage(ctx, which, `invalid option -- '${a.slice(1, 2)}'`);
      else { files.push(a); continue; }
      const isBytes = a.startsWith('-c');
      if (which === 'tail' && v.startsWith('+')) { fromStart = true; v = v.slice(1); }
      if (!/^-?\d+$/.test(v)) { ctx.err(`${which}: invalid number of ${isBytes ? 'bytes' : 'lines'}: ${quoted(v)}\n`); return 1; }
      if (isBytes) bytes = Number(v); else n = Number(v);
    }
    // head stops reading standard input once it has what it prints, and exits: the writer
    // then gets SIGPIPE, so `yes | head -3` ends as on Linux.
    const enough = which === 'head' && files.length === 0 && n >= 0 && (bytes === null || bytes >= 0)
      ? (t: string) => (bytes !== null ? t.length >= bytes : (t.match(/\n/g)?.length ?? 0) >= n)
      : null;
    // File by file, in order: several get headers; a missing one is reported without its
    // header, a directory after it (it opens, then cannot be read), as GNU does.
    const operands = files.length > 0 ? files : ['-'];
    let headers = 0;
    let code = 0;
    const header = (name: string) => {
      if (operands.length > 1) ctx.out(`${headers++ > 0 ? '\n' : ''}==> ${name} <==\n`);
    };
    for (const name of operands) {
      let text: string;
      if (name === '-') text = enough ? yield* readPrefix(ctx, enough) : yield* readAllInput(ctx);
      else {
        const r = readText(ctx, name);
        if ('error' in r && r.error !== 'EISDIR') { ctx.err(`${which}: cannot open '${name}' for reading: ${ERRNO[r.error]}\n`); code = 1; continue; }
        if ('error' in r) { header(name); ctx.err(`${which}: error reading '${name}': ${ERRNO[r.error]}\n`); code = 1; continue; }
        text = r.text;
      }
      header(name === '-' ? 'standard input' : name);
      if (bytes !== null) {
        ctx.out(which === 'head' ? text.slice(0, bytes) : fromStart ? text.slice(Math.max(0, bytes - 1)) : text.slice(-bytes || text.length));
        continue;
      }
      const ls = lines(text);
      let sel: string[];
      if (which === 'head') sel = n < 0 ? ls.slice(0, n) : ls.slice(0, n);
      else sel = fromStart ? ls.slice(Math.max(0, n - 1)) : n === 0 ? [] : ls.slice(-n);
      const lastIncluded = sel.length > 0 && (which === 'tail' || sel.length === ls.length);
      const noFinalNewline = !text.endsWith('\n') && lastIncluded;
      ctx.out(sel.join('\n') + (sel.length > 0 && !noFinalNewline ? '\n' : ''));
    }
    return code;
  };
}

/** Standard input until `enough` says the text read so far suffices (or it ends). */
function* readPrefix(ctx: CmdCtx, enough: (text: string) => boolean): TaskGen<string> {
  let s = '';
  while (!enough(s)) {
    const c: string | null = yield readChunk(ctx);
    if (c === null) break;
    s += c;
  }
  return s;
}

export const head = headTail('head');
export const tail = headTail('tail');

const WC_LONG: Record<string, LongOpt> = {
  bytes: { key: 'c', arg: false }, chars: { key: 'm', arg: false }, lines: { key: 'l', arg: false }, words: { key: 'w', arg: false },
  'max-line-length': { key: 'L', arg: false }, help: { key: 'help', arg: false }, version: { key: 'version', arg: false },
};

interface WcCounts { l: number; w: number; m: number; c: number; L: number }

/** Display width of a code point as wcwidth gives it in C.UTF-8: East Asian wide characters take 2 columns. */
export function charWidth(cp: number): number {
  if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) return 0;
  const wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff)
    || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/**
 * GNU wc's counts of a byte string under C.UTF-8: lines are newlines; characters are valid UTF-8
 * sequences (a stray byte is not one); a word is a run between white space that holds at least
 * one printable character; -L is the widest line in columns (tabs to multiples of 8, \r and \f
 * start over).
 */
function wcCount(text: string): WcCounts {
  const r: WcCounts = { l: 0, w: 0, m: 0, c: text.length, L: 0 };
  let inWord = false;
  let pos = 0;
  for (let i = 0; i < text.length; i++) {
    const b = text.charCodeAt(i);
    let cp = b;
    let len = 1;
    if (b >= 0x80) {
      len = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
      let valid = len > 1 && i + len <= text.length;
      cp = b & (0x7f >> len);
      for (let k = 1; valid && k < len; k++) {
        const cb = text.charCodeAt(i + k);
        if ((cb & 0xc0) !== 0x80) valid = false;
        else cp = (cp << 6) | (cb & 0x3f);
      }
      if (!valid) continue;
      i += len - 1;
    }
    r.m++;
    if (cp === 10 || cp === 13 || cp === 12) {
      if (cp === 10) r.l++;
      r.L = Math.max(r.L, pos);
      pos = 0;
      inWord = false;
    } else if (cp === 9) {
      pos += 8 - (pos % 8);
      inWord = false;
    } else if (cp === 32 || cp === 11) {
      if (cp === 32) pos++;
      inWord = false;
    } else {
      const width = charWidth(cp);
      pos += width;
      if (width > 0 && !inWord) { r.w++; inWord = true; }
    }
  }
  r.L = Math.max(r.L, pos);
  return r;
}

/**
 * wc as GNU coreutils 9.1: the counts in the order lines, words, characters, bytes, longest
 * line; each file's line as it is read (an unreadable one is reported in its place, a
 * directory with zero counts); a total for several operands. The column width is GNU's: the
 * digits of the operands' summed sizes when all are regular files, at least 7 when one is not
 * (a pipe), 1 for a single count of a single input.
 */
export const wc: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, { flags: 'clmwL', withArg: '', long: WC_LONG });
  if ('error' in parsed) return badOption(ctx, 'wc', parsed.error);
  const keys = new Set(parsed.opts.map((o) => o.key));
  if (keys.has('help')) { ctx.out('Usage: wc [OPTION]... [FILE]...\n  or:  wc [OPTION]... --files0-from=F\n'); return 0; }
  if (keys.has('version')) { ctx.out('wc (GNU coreutils) 9.1\n'); return 0; }
  const order: (keyof WcCounts)[] = ['l', 'w', 'm', 'c', 'L'];
  const show = keys.size === 0 ? (['l', 'w', 'c'] as (keyof WcCounts)[]) : order.filter((k) => keys.has(k));
  const operands = parsed.operands.length > 0 ? parsed.operands : ['-'];
  const named = parsed.operands.length > 0;
  const stdinSize = ctx.stdin.kind === 'text' && ctx.stdin.file ? (ctx.stdin.text ?? '').length : null;
  let width = 1;
  if (!(operands.length === 1 && show.length === 1)) {
    let minimum = 1;
    let total = 0;
    for (const f of operands) {
      if (f === '-') { if (stdinSize === null) minimum = 7; else total += stdinSize; continue; }
      const node = ctx.host.disk.lookup(abs(ctx, f));
      if (!node || f === '') continue;
      if (node.isDir) minimum = 7; else total += node.stat().size;
    }
    width = Math.max(minimum, String(total).length);
  }
  const line = (r: WcCounts, name: string | null) => {
    ctx.out(show.map((k) => String(r[k]).padStart(width)).join(' ') + (name !== null ? ` ${name}` : '') + '\n');
  };
  const sums: WcCounts = { l: 0, w: 0, m: 0, c: 0, L: 0 };
  let code = 0;
  for (const f of operands) {
    let counts: WcCounts;
    if (f === '-') counts = wcCount(yield* readAllInput(ctx));
    else if (f === '') { ctx.err('wc: invalid zero-length file name\n'); code = 1; continue; } else {
      const r = readText(ctx, f);
      if ('error' in r) {
        ctx.err(`wc: ${quotef(f)}: ${ERRNO[r.error]}\n`);
        code = 1;
        // A directory opens and fails to read: its (zero) counts are still printed.
        if (r.error !== 'EISDIR') continue;
        counts = { l: 0, w: 0, m: 0, c: 0, L: 0 };
      } else counts = wcCount(r.text);
    }
    for (const k of order) sums[k] = k === 'L' ? Math.max(sums.L, counts.L) : sums[k] + counts[k];
    line(counts, named ? f : null);
  }
  if (operands.length > 1) line(sums, 'total');
  return code;
};

export const uniq: Command = function* (ctx, argv) {
  const { flags, args } = getopt(argv, 'c');
  const ins = yield* inputs(ctx, args.slice(0, 1), 'uniq', (f, e) => `${quotef(f)}: ${e}`);
  if (typeof ins === 'number') return 1;
  const ls = ins.flatMap((f) => lines(f.text));
  let prev: string | null = null;
  let count = 0;
  const flush = () => { if (prev !== null) ctx.out(flags.has('c') ? `${String(count).padStart(7)} ${prev}\n` : prev + '\n'); };
  for (const l of ls) {
    if (l === prev) { count++; continue; }
    flush();
    prev = l;
    count = 1;
  }
  flush();
  return 0;
};

/**
 * `seq [-s SEP] [-w] [-f FMT] [FIRST [STEP]] LAST`, as GNU seq: values are FIRST + i * STEP
 * (no drift from adding), printed with as many decimals as FIRST and STEP have (less their
 * exponents: `1e2` prints 100), `-w` pads them with zeros to one width, `-f` takes one
 * floating-point directive.
 */
export const seq: Command = function* (ctx, argv) {
  let sep = '\n';
  let equalWidth = false;
  let format: string | null = null;
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    // A negative number is an operand, not an option.
    if (!a.startsWith('-') || a === '-' || /^-\.?\d/.test(a)) { operands.push(a); continue; }
    if (a === '--') { operands.push(...argv.slice(i + 1)); break; }
    const long = /^--(separator|format|equal-width)(?:=(.*))?$/.exec(a);
    if (long) {
      if (long[1] === 'equal-width') { equalWidth = true; continue; }
      const v = long[2] ?? argv[++i];
      if (v === undefined) return usage(ctx, 'seq', `option '--${long[1]}' requires an argument`);
      if (long[1] === 'separator') sep = v; else format = v;
      continue;
    }
    if (a.startsWith('--')) return usage(ctx, 'seq', `unrecognized option '${a}'`);
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'w') { equalWidth = true; continue; }
      if (c === 's' || c === 'f') {
        const v = a.slice(j + 1) || argv[++i];
        if (v === undefined) return usage(ctx, 'seq', `option requires an argument -- '${c}'`);
        if (c === 's') sep = v; else format = v;
        break;
      }
      return usage(ctx, 'seq', `invalid option -- '${c}'`);
    }
  }
  if (operands.length === 0) return usage(ctx, 'seq', 'missing operand');
  if (operands.length > 3) return usage(ctx, 'seq', `extra operand ${quoted(operands[3])}`);
  for (const o of operands) {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(o.trim())) return usage(ctx, 'seq', `invalid floating point argument: ${quoted(o)}`);
  }
  const texts = operands.length === 1 ? ['1', '1', operands[0]] : operands.length === 2 ? [operands[0], '1', operands[1]] : operands;
  const [first, step, last] = texts.map(Number);
  if (step === 0) return usage(ctx, 'seq', `invalid Zero increment value: ${quoted(texts[1])}`);
  if (format !== null) {
    const directives = format.replace(/%%/g, '').match(/%[-+ #0']*\d*(?:\.\d*)?[a-zA-Z]?/g) ?? [];
    if (directives.length === 0) { ctx.err(`seq: format ${quoted(format)} has no % directive\n`); return 1; }
    if (directives.length > 1) { ctx.err(`seq: format ${quoted(format)} has too many % directives\n`); return 1; }
    if (!/[eEfFgGaA]$/.test(directives[0] ?? '')) { ctx.err(`seq: format ${quoted(format)} has unknown ${directives[0] ?? ''} directive\n`); return 1; }
  }
  // Decimals shown: those of FIRST and STEP, each less its exponent.
  const decimals = (t: string) => {
    const m = /^[-+]?\d*(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(t.trim())!;
    return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0));
  };
  const precision = Math.max(decimals(texts[0]), decimals(texts[1]));
  const show = (v: number) => (format !== null ? bashPrintf(format, [String(v)]).pieces.filter((x) => x.fd === 1).map((x) => x.text).join('') : v.toFixed(precision));
  let width = 0;
  if (equalWidth && format === null) width = Math.max(show(first).length, show(last).length);
  const pad = (t: string) => (t.length >= width ? t : t.startsWith('-') ? '-' + t.slice(1).padStart(width - 1, '0') : t.padStart(width, '0'));
  // A little slack for binary fractions (0.1 + 4 * 0.1 must reach 0.5).
  const slack = Math.abs(step) * 1e-9;
  const done = (i: number) => { const v = first + i * step; return step > 0 ? v > last + slack : v < last - slack; };
  // Written in chunks, its reader getting a turn between them: `seq 1 inf | head` ends.
  let i = 0;
  while (!done(i) && alive(ctx)) {
    const out: string[] = [];
    for (; out.length < SEQ_CHUNK_LINES && !done(i); i++) out.push(pad(show(first + i * step)));
    ctx.out(out.join(sep) + (done(i) ? '\n' : sep));
    if (!done(i)) yield sleepWait(ctx.kernel, SEQ_CHUNK_INTERVAL_MS);
  }
  return 0;
};

/** How many numbers `seq` writes at a time, and the pause that gives its reader a turn. */
const SEQ_CHUNK_LINES = 65_536;
const SEQ_CHUNK_INTERVAL_MS = 1;

/** test / [ : file tests, string and integer comparisons, !, -a, -o. */
export const test: Command = function* (ctx, argv) {
  let args = argv.slice(1);
  if (argv[0] === '[') {
    if (args[args.length - 1] !== ']') { ctx.err("bash: [: missing `]'\n"); return 2; }
    args = args.slice(0, -1);
  }
  const node = (p: string) => ctx.host.disk.lookup(abs(ctx, p));
  const evalExpr = (a: string[]): boolean | string => {
    const orAt = a.indexOf('-o');
    if (orAt > 0) { const l = evalExpr(a.slice(0, orAt)); const r = evalExpr(a.slice(orAt + 1)); return typeof l === 'string' ? l : typeof r === 'string' ? r : l || r; }
    const andAt = a.indexOf('-a', 1);
    if (andAt > 0 && a.length > 3) { const l = evalExpr(a.slice(0, andAt)); const r = evalExpr(a.slice(andAt + 1)); return typeof l === 'string' ? l : typeof r === 'string' ? r : l && r; }
    if (a[0] === '!') { const r = evalExpr(a.slice(1)); return typeof r === 'string' ? r : !r; }
    if (a.length === 0) return false;
    if (a.length === 1) return a[0] !== '';
    if (a.length === 2) {
      const [op, v] = a;
      switch (op) {
        case '-z': return v === '';
        case '-n': return v !== '';
        case '-e': return node(v) !== null;
        case '-f': return node(v)?.isDir === false;
        case '-d': return node(v)?.isDir === true;
        case '-s': { const n = node(v); return !!n && !n.isDir && n.len > 0; }
        case '-r': case '-w': return node(v) !== null;
        case '-x': { const n = node(v); return !!n && (n.mode & 0o111) !== 0; }
      }
      return `${op}: unary operator expected`;
    }
    const [l, op, r] = a;
    const ints = () => (/^-?\d+$/.test(l) && /^-?\d+$/.test(r) ? [Number(l), Number(r)] : null);
    switch (op) {
      case '=': case '==': return l === r;
      case '!=': return l !== r;
      case '-eq': case '-ne': case '-lt': case '-le': case '-gt': case '-ge': {
        const n = ints();
        if (!n) return `${/^-?\d+$/.test(l) ? r : l}: integer expression expected`;
        return { '-eq': n[0] === n[1], '-ne': n[0] !== n[1], '-lt': n[0] < n[1], '-le': n[0] <= n[1], '-gt': n[0] > n[1], '-ge': n[0] >= n[1] }[op];
      }
    }
    return `${op}: binary operator expected`;
  };
  const r = evalExpr(args);
  if (typeof r === 'string') { ctx.err(`bash: ${argv[0]}: ${r}\n`); return 2; }
  return r ? 0 : 1;
};

export { abs };
