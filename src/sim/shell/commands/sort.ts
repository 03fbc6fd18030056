/**
 * sort as GNU coreutils 9.1's in the C.UTF-8 locale: its ordering options, keys, checks,
 * merging and output.
 */
import type { Command } from '../context';
import { ERRNO, readAllInput, readText, writeText, quoted, quotef, quoteaf } from '../context';
import { md5Hex } from '../md5';
import { argmatch, argmatchError, type ArgList } from './argmatch';
import { parseOpts, type NamedLongOpt, type ParsedOpt } from './operands';
import { SORT_HELP, SORT_VERSION } from './sort-help';
import { lines } from './text';

/** How one sort key (or the whole line) orders: GNU's ordering options. */
interface SortOrder { b: boolean; d: boolean; f: boolean; g: boolean; h: boolean; i: boolean; M: boolean; n: boolean; R: boolean; r: boolean; V: boolean }

const NO_ORDER: SortOrder = { b: false, d: false, f: false, g: false, h: false, i: false, M: false, n: false, R: false, r: false, V: false };

/** The ordering letters, in the order GNU names a key's options (key_to_opts). */
const ORDER_LETTERS = ['d', 'f', 'g', 'h', 'i', 'M', 'n', 'R', 'r', 'V'] as const;

/** A -k key: fields and characters are 0-based; `endField` Infinity means the end of the line. */
interface SortKey extends SortOrder { startField: number; startChar: number; endField: number; endChar: number; skipStartBlanks: boolean; skipEndBlanks: boolean }

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/** Parse the ordering letters after a key position; returns the index of the first other character. */
function parseOrdering(spec: string, i: number, key: SortOrder, onBlanks: () => void): number {
  for (; i < spec.length && 'bdfghiMnRrV'.includes(spec[i]); i++) {
    if (spec[i] === 'b') onBlanks();
    else key[spec[i] as keyof SortOrder] = true;
  }
  return i;
}

/** -k POS1[,POS2] as GNU sort parses it, with its messages. */
function parseSortKey(spec: string): SortKey | string {
  const key: SortKey = { ...NO_ORDER, startField: 0, startChar: 0, endField: Infinity, endChar: 0, skipStartBlanks: false, skipEndBlanks: false };
  const bad = (why: string) => `${why}: invalid field specification ${quoted(spec)}`;
  const count = (at: number, what: string): [number, number] | string => {
    const m = /^\d+/.exec(spec.slice(at));
    if (!m) return `${what}: invalid count at start of ${quoted(spec.slice(at))}`;
    return [Number(m[0]), at + m[0].length];
  };
  let r = count(0, 'invalid number at field start');
  if (typeof r === 'string') return r;
  let [n, i] = r;
  if (n === 0) return bad('field number is zero');
  key.startField = n - 1;
  if (spec[i] === '.') {
    r = count(i + 1, "invalid number after '.'");
    if (typeof r === 'string') return r;
    [n, i] = r;
    if (n === 0) return bad('character offset is zero');
    key.startChar = n - 1;
  }
  i = parseOrdering(spec, i, key, () => { key.skipStartBlanks = true; });
  if (spec[i] === ',') {
    r = count(i + 1, "invalid number after ','");
    if (typeof r === 'string') return r;
    [n, i] = r;
    if (n === 0) return bad('field number is zero');
    key.endField = n - 1;
    if (spec[i] === '.') {
      r = count(i + 1, "invalid number after '.'");
      if (typeof r === 'string') return r;
      [n, i] = r;
      key.endChar = n;
    }
    i = parseOrdering(spec, i, key, () => { key.skipEndBlanks = true; });
  }
  if (i < spec.length) return bad('stray character in field spec');
  return key;
}

/** The key's text in a line: GNU's begfield/limfield (fields split at -t, or before each run of blanks). */
function keyText(line: string, key: SortKey, tab: string | null): string {
  const lim = line.length;
  let p = 0;
  for (let f = key.startField; p < lim && f > 0; f--) {
    if (tab !== null) { while (p < lim && line[p] !== tab) p++; if (p < lim) p++; }
    else { while (p < lim && isBlank(line[p])) p++; while (p < lim && !isBlank(line[p])) p++; }
  }
  if (key.skipStartBlanks) while (p < lim && isBlank(line[p])) p++;
  const start = Math.min(lim, p + key.startChar);
  let end = lim;
  if (key.endField !== Infinity) {
    let q = 0;
    let fields = key.endField + (key.endChar === 0 ? 1 : 0);
    while (q < lim && fields-- > 0) {
      if (tab !== null) { while (q < lim && line[q] !== tab) q++; if (q < lim && (fields > 0 || key.endChar > 0)) q++; }
      else { while (q < lim && isBlank(line[q])) q++; while (q < lim && !isBlank(line[q])) q++; }
    }
    if (key.endChar > 0) {
      if (key.skipEndBlanks) while (q < lim && isBlank(line[q])) q++;
      q = Math.min(lim, q + key.endChar);
    }
    end = q;
  }
  return end > start ? line.slice(start, end) : '';
}

/** -n: leading blanks, an optional minus, digits, an optional fraction; anything else is 0. Compared exactly. */
function numericCompare(a: string, b: string): number {
  const parse = (s: string) => {
    const m = /^[ \t]*(-?)(\d*)(?:\.(\d*))?/.exec(s)!;
    const int = m[2].replace(/^0+/, '');
    const frac = (m[3] ?? '').replace(/0+$/, '');
    const zero = int === '' && frac === '';
    return { neg: m[1] === '-' && !zero, int, frac };
  };
  const x = parse(a);
  const y = parse(b);
  if (x.neg !== y.neg) return x.neg ? -1 : 1;
  const sign = x.neg ? -1 : 1;
  if (x.int.length !== y.int.length) return sign * (x.int.length - y.int.length);
  if (x.int !== y.int) return sign * (x.int < y.int ? -1 : 1);
  const len = Math.max(x.frac.length, y.frac.length);
  const fx = x.frac.padEnd(len, '0');
  const fy = y.frac.padEnd(len, '0');
  return fx === fy ? 0 : sign * (fx < fy ? -1 : 1);
}

/** -g: as strtold reads them; what is not a number sorts first, then NaN, then numbers. */
function generalCompare(a: string, b: string): number {
  const val = (s: string) => {
    const m = /^[ \t]*[+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i.exec(s);
    return m ? Number(m[0].trim().replace(/^([+-]?)inf(inity)?$/i, '$1Infinity')) : null;
  };
  const x = val(a);
  const y = val(b);
  const rank = (v: number | null) => (v === null ? 0 : Number.isNaN(v) ? 1 : 2);
  if (rank(x) !== rank(y)) return rank(x) - rank(y);
  if (rank(x) < 2) return 0;
  return x! < y! ? -1 : x! > y! ? 1 : 0;
}

/**
 * -h: the SI suffix's order first (K 1, M 2 … Q 10; negative for a negative number; none unless
 * the number has a nonzero digit), then the numbers.
 */
function humanCompare(a: string, b: string): number {
  const unitOrder = (s: string) => {
    const m = /^[ \t]*(-?)(\d*)(?:\.(\d*))?(.?)/.exec(s)!;
    if (!/[1-9]/.test(m[2] + (m[3] ?? ''))) return 0;
    const order = m[4] === 'k' ? 1 : ' KMGTPEZYRQ'.indexOf(m[4] || ' ');
    return m[1] === '-' ? -Math.max(order, 0) : Math.max(order, 0);
  };
  return unitOrder(a) - unitOrder(b) || numericCompare(a, b);
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** -M: JAN…DEC by their first three letters (any case, after blanks); anything else before JAN. */
function monthCompare(a: string, b: string): number {
  const month = (s: string) => MONTHS.indexOf(s.replace(/^[ \t]*/, '').slice(0, 3).toUpperCase()) + 1;
  return month(a) - month(b);
}

/**
 * Version order as gnulib's verrevcmp defines it: runs of non-digits compare by a character
 * order where `~` sorts before everything (even the end) and letters before other characters;
 * runs of digits compare as numbers.
 */
function verrevcmp(a: string, b: string): number {
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const order = (s: string, i: number): number => {
    if (i >= s.length) return 0;
    const c = s[i];
    if (isDigit(c)) return 0;
    if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
    return c === '~' ? -1 : c.charCodeAt(0) + 256;
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const d = order(a, i) - order(b, j);
      if (d !== 0) return d;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let firstDiff = 0;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/** -V: gnulib's filevercmp — `.` and `..` and hidden names first, file suffixes (`.tar.gz`) weighed last. */
function versionCompare(a: string, b: string): number {
  if (a === '' || b === '') return a === b ? 0 : a === '' ? -1 : 1;
  if (a[0] === '.' || b[0] === '.') {
    if (a[0] !== b[0]) return a[0] === '.' ? -1 : 1;
    for (const special of ['.', '..']) {
      if (a === special || b === special) return a === b ? 0 : a === special ? -1 : 1;
    }
  }
  const prefix = (s: string) => /^(.+?)((?:\.[A-Za-z~][A-Za-z0-9~]*)*)$/s.exec(s)![1];
  const pa = prefix(a);
  const pb = prefix(b);
  const d = verrevcmp(pa, pb);
  if (d !== 0 || (pa === a && pb === b)) return d;
  return verrevcmp(a, b);
}

/** The key text as -d (blanks and alphanumerics only), -i (printable only) and -f (upper case) see it. */
function filterText(s: string, o: SortOrder): string {
  let t = '';
  for (const c of s) {
    if (o.d && !/[ \t\nA-Za-z0-9]/.test(c)) continue;
    if (o.i && !(c >= ' ' && c <= '~')) continue;
    t += o.f ? c.toUpperCase() : c;
  }
  return t;
}

function textCompare(a: string, b: string, o: SortOrder): number {
  if (o.d || o.f || o.i) { a = filterText(a, o); b = filterText(b, o); }
  // Bytewise: C.UTF-8 collates by code point, which is byte order in UTF-8.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * -R: keys in the order of their MD5 sums salted with 16 random bytes (compare_random: the
 * sum of the salt, the key as strxfrm leaves it in C.UTF-8 — unchanged — and a NUL), so equal
 * keys stay together; equal sums fall back on the keys' bytes.
 */
function randomCompare(a: string, b: string, salt: string): number {
  const sum = (key: string) => {
    const text = salt + (key === '' ? '' : key + '\0');
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return md5Hex(bytes);
  };
  const sa = sum(a);
  const sb = sum(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function orderCompare(a: string, b: string, o: SortOrder, salt: string): number {
  if ((o.V || o.R) && (o.d || o.f || o.i)) { a = filterText(a, o); b = filterText(b, o); }
  let d: number;
  if (o.n) d = numericCompare(a, b);
  else if (o.g) d = generalCompare(a, b);
  else if (o.h) d = humanCompare(a, b);
  else if (o.M) d = monthCompare(a, b);
  else if (o.R) d = randomCompare(a, b, salt);
  else if (o.V) d = versionCompare(a, b);
  else d = textCompare(a, b, o);
  return o.r ? -d : d;
}

/**
 * sort's long options in coreutils 9.1's table order (the order getopt lists an ambiguous
 * prefix's possibilities in). Its --debug is not modelled here.
 */
const SORT_LONG: readonly NamedLongOpt[] = [
  { name: 'ignore-leading-blanks', key: 'b', arg: false }, { name: 'check', key: 'check', arg: 'optional' },
  { name: 'compress-program', key: 'compress-program', arg: true }, { name: 'dictionary-order', key: 'd', arg: false },
  { name: 'ignore-case', key: 'f', arg: false }, { name: 'files0-from', key: 'files0-from', arg: true },
  { name: 'general-numeric-sort', key: 'g', arg: false }, { name: 'ignore-nonprinting', key: 'i', arg: false },
  { name: 'key', key: 'k', arg: true }, { name: 'merge', key: 'm', arg: false }, { name: 'month-sort', key: 'M', arg: false },
  { name: 'numeric-sort', key: 'n', arg: false }, { name: 'human-numeric-sort', key: 'h', arg: false },
  { name: 'version-sort', key: 'V', arg: false }, { name: 'random-sort', key: 'R', arg: false },
  { name: 'random-source', key: 'random-source', arg: true }, { name: 'sort', key: 'sort', arg: true },
  { name: 'output', key: 'o', arg: true }, { name: 'reverse', key: 'r', arg: false }, { name: 'stable', key: 's', arg: false },
  { name: 'batch-size', key: 'batch-size', arg: true }, { name: 'buffer-size', key: 'S', arg: true },
  { name: 'field-separator', key: 't', arg: true }, { name: 'temporary-directory', key: 'T', arg: true },
  { name: 'unique', key: 'u', arg: false }, { name: 'zero-terminated', key: 'z', arg: false },
  { name: 'parallel', key: 'parallel', arg: true }, { name: 'help', key: 'help', arg: false }, { name: 'version', key: 'version', arg: false },
];

/** --sort=WORD's words, and the ordering letter each stands for. */
const SORT_WORDS: ArgList<string> = [['general-numeric', 'g'], ['human-numeric', 'h'], ['month', 'M'], ['numeric', 'n'], ['random', 'R'], ['version', 'V']];

/** --check=WORD's words: quiet and silent are -C, diagnose-first -c. */
const CHECK_WORDS: ArgList<string> = [['quiet', 'C'], ['silent', 'C'], ['diagnose-first', 'c']];

/** The file descriptors a process may open (Debian's default soft RLIMIT_NOFILE): --batch-size's bound is 3 fewer. */
const OPEN_MAX = 1024;

/** How an option was given, for its messages: `--name` when given long, else `-c`. */
const optionName = (o: ParsedOpt) => (o.name !== undefined ? `--${o.name}` : `-${o.key}`);

/**
 * -S SIZE as xstrtoumax reads it: digits, then nothing (KiB), one of the suffixes
 * EgGkKmMPtTYZ, or, alone after the digits, `b` (bytes) or `%` (of memory). Null when valid,
 * else the message.
 */
function bufferSizeError(o: ParsedOpt): string | null {
  const m = /^\s*(\d+)(.*)$/s.exec(o.value);
  if (!m || o.value.trim().startsWith('-')) return `invalid ${optionName(o)} argument '${o.value}'`;
  const suffix = m[2];
  if (suffix === '' || suffix === 'b' || suffix === '%' || (suffix.length === 1 && 'EgGkKmMPtTYZ'.includes(suffix))) return null;
  return `invalid suffix in ${optionName(o)} argument '${o.value}'`;
}

/** A count option (--parallel, --batch-size) as xstrtoumax reads it: null when it is not one. */
function countArg(value: string): bigint | null {
  const m = /^\s*\+?(\d+)$/.exec(value);
  return m ? BigInt(m[1]) : null;
}

/** --files0-from=F: the names F holds, NUL-terminated (a last one without its NUL counts). */
function namesFrom(text: string): string[] {
  const names = text.split('\0');
  if (names[names.length - 1] === '') names.pop();
  return names;
}

/**
 * sort as GNU sort in the C.UTF-8 locale: keys (-k, -t) with their own or the global ordering
 * options (-b -d -f -g -h -i -M -n -R -r -V, --sort=WORD), -u on equal keys, -s, the
 * whole-line last resort, -c/-C (--check=WORD), -m merging sorted inputs, -o (may name an
 * input), -z, --files0-from, --random-source; -S, -T, --batch-size, --parallel and
 * --compress-program only checked (a sort here never spills to temporary files).
 */
export const sort: Command = function* (ctx, argv) {
  const die = (msg: string) => { ctx.err(`sort: ${msg}\n`); return 2; };
  const usageError = (msg: string) => { ctx.err(`${msg}\nTry 'sort --help' for more information.\n`); return 2; };
  const parsed = parseOpts(argv, { flags: 'bcCdfghiMmnRrsuVz', withArg: 'koStT', long: SORT_LONG });
  const given = 'error' in parsed ? parsed.parsed : parsed.opts;
  const global: SortOrder = { ...NO_ORDER };
  const keys: SortKey[] = [];
  let tab: string | null = null;
  let output: string | null = null;
  let check: 'c' | 'C' | null = null;
  let unique = false;
  let stable = false;
  let merge = false;
  let sep = '\n';
  let compressProgram: string | null = null;
  let randomSource: string | null = null;
  let filesFrom: string | null = null;
  // Each option as getopt hands it over: the first one in error ends sort.
  for (const o of given) {
    let { key } = o;
    const { value } = o;
    if (key === 'sort') {
      const m = argmatch(value, SORT_WORDS);
      if (typeof m === 'string') { ctx.err(argmatchError('sort', '--sort', value, m, SORT_WORDS)); return 1; }
      key = m.value;
    }
    if (key === 'check') {
      if (value !== '') {
        const m = argmatch(value, CHECK_WORDS);
        if (typeof m === 'string') { ctx.err(argmatchError('sort', '--check', value, m, CHECK_WORDS)); return 1; }
        key = m.value;
      } else key = 'c';
    }
    switch (key) {
      case 'k': {
        const k = parseSortKey(value);
        if (typeof k === 'string') return die(k);
        keys.push(k);
        break;
      }
      case 't': {
        if (value === '') return die('empty tab');
        if (value.length > 1 && value !== '\\0') return die(`multi-character tab ${quoted(value)}`);
        const newTab = value === '\\0' ? '\0' : value;
        if (tab !== null && tab !== newTab) return die('incompatible tabs');
        tab = newTab;
        break;
      }
      case 'o':
        if (output !== null && output !== value) return die('multiple output files specified');
        output = value;
        break;
      case 'c': case 'C':
        if (check !== null && check !== key) return die("options '-cC' are incompatible");
        check = key;
        break;
      case 'u': unique = true; break;
      case 's': stable = true; break;
      case 'm': merge = true; break;
      case 'z': sep = '\0'; break;
      case 'S': {
        const e = bufferSizeError(o);
        if (e) return die(e);
        break;
      }
      case 'T': break;
      case 'parallel': {
        const n = countArg(value);
        if (n === null) return die(`invalid --parallel argument '${value}'`);
        if (n === 0n) return die('number in parallel must be nonzero');
        break;
      }
      case 'batch-size': {
        const n = countArg(value);
        if (n === null) return die(`invalid --batch-size argument '${value}'`);
        if (n < 2n) { ctx.err(`sort: invalid --batch-size argument ${quoted(value)}\n`); return die(`minimum --batch-size argument is ${quoted('2')}`); }
        if (n > BigInt(OPEN_MAX - 3)) { ctx.err(`sort: --batch-size argument ${quoted(value)} too large\n`); return die(`maximum --batch-size argument with current rlimit is ${OPEN_MAX - 3}`); }
        break;
      }
      case 'compress-program':
        if (compressProgram !== null && compressProgram !== value) return die('multiple compress programs specified');
        compressProgram = value;
        break;
      case 'random-source':
        if (randomSource !== null && randomSource !== value) return die('multiple random sources specified');
        randomSource = value;
        break;
      case 'files0-from': filesFrom = value; break;
      case 'help': ctx.out(SORT_HELP); return 0;
      case 'version': ctx.out(SORT_VERSION); return 0;
      default: global[key as keyof SortOrder] = true;
    }
  }
  if ('error' in parsed) return usageError(parsed.error);
  let files = parsed.operands;
  if (filesFrom !== null) {
    if (files.length > 0) return usageError(`sort: extra operand ${quoteaf(files[0])}\nfile operands cannot be combined with --files0-from`);
    let list: string;
    if (filesFrom === '-') list = yield* readAllInput(ctx);
    else {
      const r = readText(ctx, filesFrom);
      if ('error' in r) return die(`open failed: ${quotef(filesFrom)}: ${ERRNO[r.error]}`);
      list = r.text;
    }
    files = namesFrom(list);
    if (files.length === 0) return die(`no input from ${quoteaf(filesFrom)}`);
    for (const [i, f] of files.entries()) {
      if (f === '-') return die(`when reading file names from stdin, no file name of ${quoteaf(f)} allowed`);
      if (f === '') return die(`${quotef(filesFrom)}:${i + 1}: invalid zero-length file name`);
    }
  }
  // A key with no ordering options of its own takes the global ones (-b included).
  for (const k of keys) {
    if (!(['b', ...ORDER_LETTERS] as const).some((o) => k[o]) && !k.skipStartBlanks && !k.skipEndBlanks) {
      Object.assign(k, { ...global, b: false });
      k.skipStartBlanks = global.b;
      k.skipEndBlanks = global.b;
    }
  }
  // Without -k, global ordering options (other than -r) make the whole line a key.
  const wholeLineKey = keys.length === 0 && (['b', ...ORDER_LETTERS] as const).some((o) => o !== 'r' && global[o]);
  if (wholeLineKey) keys.push({ ...global, b: false, startField: 0, startChar: 0, endField: Infinity, endChar: 0, skipStartBlanks: global.b, skipEndBlanks: global.b });
  // GNU checks the keys as they will be used: one kind of comparison each (-V, -d and -i
  // being one kind), and names all the key's options when it refuses.
  for (const k of keys) {
    const kinds = [k.g, k.h, k.M, k.n, k.V || k.R || k.d || k.i].filter(Boolean).length;
    if (kinds > 1) {
      const letters = (k.skipStartBlanks || k.skipEndBlanks ? 'b' : '') + ORDER_LETTERS.filter((o) => k[o]).join('');
      ctx.err(`sort: options '-${letters}' are incompatible\n`);
      return 2;
    }
  }
  // -R's salt: 16 bytes of --random-source, or random ones.
  let salt = '';
  if (keys.some((k) => k.R)) {
    if (randomSource !== null) {
      const r = readText(ctx, randomSource);
      if ('error' in r) return die(`open failed: ${quotef(randomSource)}: ${ERRNO[r.error]}`);
      if (r.text.length < 16) return die(`${quoted(randomSource)}: end of file`);
      salt = r.text.slice(0, 16);
    } else for (let i = 0; i < 16; i++) salt += String.fromCharCode(ctx.host.rng.int(256));
  }
  const compare = (a: string, b: string): number => {
    for (const k of keys) {
      const d = orderCompare(keyText(a, k, tab), keyText(b, k, tab), k, salt);
      if (d !== 0) return d;
    }
    if (keys.length > 0 && (unique || stable)) return 0;
    const d = a < b ? -1 : a > b ? 1 : 0;
    return global.r ? -d : d;
  };

  if (files.length === 0) files = ['-'];
  if (check) {
    if (files.length > 1) { ctx.err(`sort: extra operand ${quoted(files[1])} not allowed with -${check}\n`); return 2; }
    let text = '';
    const f = files[0];
    if (f === '-') text = yield* readAllInput(ctx);
    else {
      const r = readText(ctx, f);
      if ('error' in r) { ctx.err(`sort: ${r.error === 'EISDIR' ? 'read failed' : 'open failed'}: ${f}: ${ERRNO[r.error]}\n`); return 2; }
      text = r.text;
    }
    const ls = lines(text, sep);
    for (let i = 1; i < ls.length; i++) {
      const d = compare(ls[i - 1], ls[i]);
      if (d > 0 || (unique && d === 0)) {
        if (check === 'c') ctx.err(`sort: ${f}:${i + 1}: disorder: ${ls[i]}\n`);
        return 1;
      }
    }
    return 0;
  }
  // GNU reads every input before writing anything: one unreadable file means no output.
  const texts: string[] = [];
  for (const f of files) {
    if (f === '-') { texts.push(yield* readAllInput(ctx)); continue; }
    const r = readText(ctx, f);
    if ('error' in r) { ctx.err(`sort: ${r.error === 'EISDIR' ? 'read failed' : 'cannot read'}: ${quotef(f)}: ${ERRNO[r.error]}\n`); return 2; }
    texts.push(r.text);
  }
  let ls = merge ? mergeSorted(texts.map((t) => lines(t, sep)), compare) : texts.flatMap((t) => lines(t, sep)).sort(compare);
  if (unique) ls = ls.filter((l, i) => i === 0 || compare(ls[i - 1], l) !== 0);
  const text = ls.map((l) => l + sep).join('');
  if (output !== null) {
    if (output === '/dev/stdout' || output === '-') ctx.out(text);
    else {
      const e = writeText(ctx, output, text);
      if (e) { ctx.err(`sort: open failed: ${output}: ${ERRNO[e] ?? e}\n`); return 2; }
    }
    return 0;
  }
  ctx.out(text);
  return 0;
};

/**
 * -m: the inputs merged as sorted runs, the least head line first at each step (the earlier
 * input's on a tie), whatever order the inputs are really in.
 */
function mergeSorted(inputs: string[][], compare: (a: string, b: string) => number): string[] {
  const at = inputs.map(() => 0);
  const out: string[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < inputs.length; i++) {
      if (at[i] >= inputs[i].length) continue;
      if (best < 0 || compare(inputs[i][at[i]], inputs[best][at[best]]) < 0) best = i;
    }
    if (best < 0) return out;
    out.push(inputs[best][at[best]++]);
  }
}
