/**
 * Configuration parameters: the typed table behind redis.conf, CONFIG GET/SET/REWRITE and the
 * command-line `--name value` options.
 *
 * Each parameter knows how to parse the words of a config line (or a CONFIG SET value), how to
 * print itself for CONFIG GET, how to write itself into a rewritten redis.conf, its default and
 * its flags. The parameter kinds mirror config.c's: bool, string (with "empty means unset"
 * variants), enum (single value or a set of flag words), numeric (with memory, percent and
 * octal notations and the signed/unsigned range check of the C type behind it) and special
 * parameters with their own parsers (save, bind, client-output-buffer-limit, ...). Error texts
 * follow config.c exactly because users see them in redis-cli and in the start-up FATAL block.
 */
import { string2ll } from '../util/numbers';
import { repr } from '../util/repr';

export type ParamFlag =
  /** Cannot be changed with CONFIG SET. */
  | 'immutable'
  /** Value is redacted from logs, SLOWLOG and MONITOR (passwords). */
  | 'sensitive'
  /** Printed in crash reports (DEBUG_CONFIG in config.c); informational only here. */
  | 'debug'
  /** Only matched by CONFIG GET with its exact name, never by a pattern. */
  | 'hidden'
  /** CONFIG SET refused unless enable-protected-configs allows it. */
  | 'protected'
  /** CONFIG SET refused with -LOADING while the dataset is loading. */
  | 'deny-loading'
  /** Setting the same value again still counts as a change (runs apply hooks). */
  | 'volatile'
  /** Accepts several words (save, client-output-buffer-limit, ...). */
  | 'multi-arg';

/** Side effects some parameters have while being set (dir changes the working directory). */
export interface ConfigEnv {
  cwd(): string;
  /** chdir(2); returns strerror text on failure. */
  chdir(path: string): string | null;
}

export interface ParamContext {
  /** Reading redis.conf / command-line options (true) vs a runtime CONFIG SET (false). */
  loading: boolean;
  sentinel: boolean;
  env?: ConfigEnv;
  /** The parameter's running value (client-output-buffer-limit changes only named classes). */
  current?: unknown;
}

/** What CONFIG REWRITE needs from a parameter (see rewrite.ts). */
export interface RewriteSink {
  /** Replace the option's next old line, or append `line` when `force` (value not default). */
  line(option: string, line: string, force: boolean): void;
  /** The option was handled even though no line is written (its old lines are removed). */
  processed(option: string): void;
}

/**
 * A parsed value, or an error. Numeric values beyond 2^53 (maxmemory 18446744073709551615)
 * also carry their exact integer so CONFIG GET and REWRITE print what was set.
 */
export type ParseResult<T> = { value: T; exact?: bigint } | { error: string };

export interface ParamDef<T = unknown> {
  name: string;
  /** Old name kept working (slaveof, slave-priority, min-slaves-to-write, ...). */
  alias?: string;
  flags: ParamFlag[];
  default: T;
  /** Parse config words into a value, or return an error string (config.c's *err text). */
  parse(args: string[], ctx: ParamContext): ParseResult<T>;
  /** CONFIG GET text. */
  format(value: T, exact?: bigint): string;
  /** Emit this parameter's lines into a CONFIG REWRITE. */
  rewrite(sink: RewriteSink, value: T, exact?: bigint): void;
  equals(a: T, b: T): boolean;
  /** A value that lives outside the table (dir is the process's working directory). */
  read?(env: ConfigEnv): T;
}

/** Parse "yes"/"no" the way config.c does (yesnotoi: case-insensitive). */
export function parseYesNo(s: string): boolean | null {
  const l = s.toLowerCase();
  if (l === 'yes') return true;
  if (l === 'no') return false;
  return null;
}

const U64 = 1n << 64n;

/**
 * memtoull: digits with an optional unit b/k/kb/m/mb/g/gb (case-insensitive); "1k" is 1000,
 * "1kb" is 1024. Like the C code, no digits at all ("" or "mb") reads as 0, and the product
 * wraps around 2^64. Returns null for anything else.
 */
export function memtoull(s: string): bigint | null {
  if (s.startsWith('-')) return null;
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const unit = s.slice(i).toLowerCase();
  const mul: Record<string, bigint> = {
    '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n,
  };
  if (!(unit in mul)) return null;
  if (i >= 128) return null;
  let v = i === 0 ? 0n : BigInt(s.slice(0, i));
  if (v >= U64) v = U64 - 1n; // strtoull saturates on overflow
  return (v * mul[unit]) % U64;
}

/** memtoull as a JS number (null on error); used for limits that are far below 2^53. */
export function parseMemory(s: string): number | null {
  const v = memtoull(s);
  return v === null ? null : Number(v);
}

/**
 * strtoll(s, &end, base) followed by a `*end == '\0'` check, as config.c uses for save points,
 * ports and oom values: leading whitespace and a sign are accepted, an empty string is 0, and
 * overflow is an error only where the caller checks errno (`strictRange`).
 */
export function strtollWhole(s: string, base = 10, strictRange = false): bigint | null {
  let i = 0;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') { neg = s[i] === '-'; i++; }
  const start = i;
  let v = 0n;
  const B = BigInt(base);
  for (; i < s.length; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d < 0 || d >= base) break;
    v = v * B + BigInt(d);
  }
  if (i === start) {
    // No digits: strtoll sets end to the start of the string.
    return s.length === 0 ? 0n : null;
  }
  if (i !== s.length) return null;
  if (neg) v = -v;
  const max = (1n << 63n) - 1n, min = -(1n << 63n);
  if (v > max || v < min) {
    if (strictRange) return null;
    v = v > max ? max : min;
  }
  return v;
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return -1;
}

/** rewriteConfigFormatMemory: the largest exact unit among gb, mb, kb. */
export function formatMemoryForRewrite(n: number | bigint): string {
  const b = BigInt(n);
  const GB = 1073741824n, MB = 1048576n, KB = 1024n;
  if (b !== 0n && b % GB === 0n) return `${b / GB}gb`;
  if (b !== 0n && b % MB === 0n) return `${b / MB}mb`;
  if (b !== 0n && b % KB === 0n) return `${b / KB}kb`;
  return b.toString();
}

/** "%f" then trimDoubleString: 99.900000 → 99.9, 50.000000 → 50. */
export function fmtTrimmedDouble(d: number): string {
  let s = d.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

const WRONG_ARGS = 'wrong number of arguments';

interface CommonOpts { alias?: string; flags?: ParamFlag[] }

const eq = <T>(a: T, b: T): boolean => a === b;

export function boolParam(name: string, def: boolean, opts: CommonOpts = {}): ParamDef<boolean> {
  return {
    name, alias: opts.alias, flags: opts.flags ?? [], default: def,
    parse(args) {
      if (args.length !== 1) return { error: WRONG_ARGS };
      const v = parseYesNo(args[0]);
      return v === null ? { error: "argument must be 'yes' or 'no'" } : { value: v };
    },
    format: (v) => (v ? 'yes' : 'no'),
    rewrite: (sink, v) => sink.line(name, `${name} ${v ? 'yes' : 'no'}`, v !== def),
    equals: eq,
  };
}

/**
 * A string parameter. `emptyIsUnset` is config.c's EMPTY_STRING_IS_NULL: an empty value means
 * "not set", which CONFIG REWRITE expresses by removing the line. `def` null means unset.
 */
export function stringParam(
  name: string, def: string | null,
  opts: CommonOpts & { emptyIsUnset?: boolean; validate?: (v: string) => string | null } = {},
): ParamDef<string> {
  const defText = def ?? '';
  return {
    name, alias: opts.alias, flags: opts.flags ?? [], default: defText,
    parse(args) {
      if (args.length !== 1) return { error: WRONG_ARGS };
      const err = opts.validate?.(args[0]);
      return err ? { error: err } : { value: args[0] };
    },
    format: (v) => v,
    rewrite(sink, v) {
      if (opts.emptyIsUnset && v === '') { sink.processed(name); return; }
      sink.line(name, `${name} ${repr(v)}`, def === null || v !== def);
    },
    equals: eq,
  };
}

/**
 * An enum parameter: `values` in config.c's order (several names may share a value, like
 * oom-score-adj's yes/relative; GET prints the first). With `bitflags` (shutdown-on-sig*)
 * the value is a set of words, printed in table order.
 */
export function enumParam(
  name: string, def: string, values: [string, number][],
  opts: CommonOpts & { bitflags?: boolean; validate?: (bits: number) => string | null } = {},
): ParamDef<string> {
  const nameOf = (bits: number): string => {
    const exact = values.find(([, v]) => v === bits);
    if (exact) return exact[0];
    if (!opts.bitflags) return 'unknown';
    let unmatched = bits;
    const names: string[] = [];
    for (const [n, v] of values) {
      if (v && v === (unmatched & v)) { names.push(n); unmatched &= ~v; }
    }
    return names.length && !unmatched ? names.join(' ') : 'unknown';
  };
  const bitsOf = (s: string): number => {
    let bits = 0;
    for (const w of s.split(' ')) bits |= values.find(([n]) => n === w)?.[1] ?? 0;
    return bits;
  };
  const defBits = bitsOf(def);
  return {
    name, alias: opts.alias, flags: opts.flags ?? [], default: def,
    parse(args) {
      let bits = 0;
      let ok = args.length > 0 && (opts.bitflags || args.length === 1);
      for (const a of ok ? args : []) {
        const l = a.toLowerCase();
        const hit = values.filter(([n]) => n === l);
        if (hit.length === 0) { ok = false; break; }
        for (const [, v] of hit) bits |= v;
      }
      if (!ok) {
        const msg = `argument(s) must be one of the following: ${values.map(([n]) => n).join(', ')}`;
        return { error: msg.slice(0, 255) };
      }
      const err = opts.validate?.(bits);
      if (err) return { error: err };
      return { value: nameOf(bits) };
    },
    format: (v) => v,
    rewrite: (sink, v) => sink.line(name, `${name} ${v}`, bitsOf(v) !== defBits),
    equals: eq,
  };
}

/**
 * The C type behind a numeric parameter decides the range check: unsigned types compare the
 * parsed long long as unsigned (so "-1" is a huge number, out of range), signed ones as signed.
 */
export type NumericType = 'int' | 'uint' | 'long' | 'ulong' | 'longlong' | 'ulonglong' | 'size_t' | 'ssize_t' | 'off_t' | 'time_t';

const UNSIGNED = new Set<NumericType>(['uint', 'ulonglong', 'size_t']);

export interface NumericOpts extends CommonOpts {
  memory?: boolean;
  percent?: boolean;
  octal?: boolean;
}

const toSigned = (v: bigint): bigint => (v >= 1n << 63n ? v - U64 : v);
const toUnsigned = (v: bigint): bigint => (v < 0n ? v + U64 : v);

/** Store the C value the way the setter's cast does (uint truncates to 32 bits, ...). */
function castNumeric(type: NumericType, v: bigint): bigint {
  switch (type) {
    case 'int': return BigInt.asIntN(32, v);
    case 'uint': return BigInt.asUintN(32, v);
    case 'ulonglong': case 'size_t': case 'ulong': return BigInt.asUintN(64, v);
    default: return BigInt.asIntN(64, v);
  }
}

export function numericParam(
  name: string, type: NumericType, min: bigint | number, max: bigint | number, def: number, opts: NumericOpts = {},
): ParamDef<number> {
  const lo = BigInt(min), hi = BigInt(max);
  const unsigned = UNSIGNED.has(type);
  const parseWord = (s: string): bigint | null => {
    if (opts.memory) {
      const m = memtoull(s);
      if (m !== null) return toSigned(m);
    }
    if (opts.percent && s.length > 1 && s.endsWith('%')) {
      const p = string2ll(s.slice(0, -1));
      if (p !== null && p >= 0) return -BigInt(s.slice(0, -1));
    }
    if (opts.octal) {
      const o = strtollWhole(s, 8, true);
      if (o !== null) return o;
    }
    if (!opts.memory && !opts.percent && !opts.octal) {
      const n = string2ll(s);
      if (n !== null) return BigInt(s);
    }
    return null;
  };
  const parseError = opts.memory && opts.percent ? 'argument must be a memory or percent value'
    : opts.memory ? 'argument must be a memory value'
      : opts.octal ? "argument couldn't be parsed as an octal number"
        : "argument couldn't be parsed into an integer";
  return {
    name, alias: opts.alias, flags: opts.flags ?? [], default: def,
    parse(args) {
      if (args.length !== 1) return { error: WRONG_ARGS };
      const ll = parseWord(args[0]);
      if (ll === null) return { error: parseError };
      if (unsigned) {
        const u = toUnsigned(ll);
        if (u > toUnsigned(hi) || u < toUnsigned(lo)) {
          return {
            error: opts.octal
              ? `argument must be between ${toUnsigned(lo).toString(8)} and ${toUnsigned(hi).toString(8)} inclusive`
              : `argument must be between ${toUnsigned(lo)} and ${toUnsigned(hi)} inclusive`,
          };
        }
      } else if (opts.percent && ll < 0n) {
        if (ll < lo) return { error: `percentage argument must be less or equal to ${-lo}` };
      } else if (ll > hi || ll < lo) {
        return { error: `argument must be between ${lo} and ${hi} inclusive` };
      }
      const stored = castNumeric(type, ll);
      const value = Number(stored);
      return Number.isSafeInteger(value) ? { value } : { value, exact: stored };
    },
    format(v, exact) {
      const b = exact ?? BigInt(v);
      if (opts.percent && v < 0) return `${-b}%`;
      if (opts.memory) return toUnsigned(b).toString();
      if (opts.octal) return b.toString(8);
      return b.toString();
    },
    rewrite(sink, v, exact) {
      const b = exact ?? BigInt(v);
      const force = v !== def;
      if (opts.percent && v < 0) sink.line(name, `${name} ${-b}%`, force);
      else if (opts.memory) sink.line(name, `${name} ${formatMemoryForRewrite(BigInt.asIntN(64, b))}`, force);
      else if (opts.octal) sink.line(name, `${name} ${BigInt.asUintN(64, b).toString(8)}`, force);
      else sink.line(name, `${name} ${b}`, force);
    },
    equals: eq,
  };
}
