/**
 * Number parsing and formatting with Redis's exact rules (util.c).
 *
 * Redis integers are 64-bit; JS numbers are exact only up to 2^53. Counts, indexes and
 * timeouts are parsed into JS numbers (values beyond 2^53 get clamped by the callers' range
 * checks anyway). Arithmetic that must be exact over the whole int64 range (INCR and friends)
 * goes through BigInt when the operands are large.
 */

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;
/** Longest decimal int64 plus sign and NUL (LONG_STR_SIZE). */
const LONG_STR_SIZE = 21;

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }

/** Validate `s` as string2ll would, without converting. */
function string2llValid(s: string): boolean {
  const n = s.length;
  if (n === 0 || n >= LONG_STR_SIZE) return false;
  if (n === 1 && s === '0') return true;
  let i = 0;
  if (s.charCodeAt(0) === 45) { i = 1; if (n === 1) return false; }
  const c0 = s.charCodeAt(i);
  if (c0 < 49 || c0 > 57) return false;
  for (i++; i < n; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** Exact string2ll: a canonical int64 (no '+', no leading zeros, no spaces) or null. */
export function string2bigint(s: string): bigint | null {
  if (!string2llValid(s)) return null;
  const v = BigInt(s);
  if (v > LLONG_MAX || v < LLONG_MIN) return null;
  return v;
}

/**
 * string2ll into a JS number. Exact for |v| <= 2^53; larger int64 values are returned rounded
 * (fine for counts and indexes, which callers clamp). Null when not a canonical int64.
 */
export function string2ll(s: string): number | null {
  if (!string2llValid(s)) return null;
  if (s.length <= 15) return +s;
  const v = BigInt(s);
  if (v > LLONG_MAX || v < LLONG_MIN) return null;
  return Number(v);
}

/** True when `s` is the canonical int64 form (what OBJECT ENCODING reports as "int"). */
export function isInt64String(s: string): boolean {
  if (!string2llValid(s)) return false;
  if (s.length <= 18) return true;
  const v = BigInt(s);
  return v <= LLONG_MAX && v >= LLONG_MIN;
}

/**
 * `a + b` over int64 where `a` and `b` are canonical integer strings/values.
 * Returns the decimal result or null on overflow.
 */
export function addInt64(a: string, b: number | bigint): string | null {
  if (typeof b === 'number' && a.length <= 15 && Math.abs(b) < 2 ** 52) {
    const r = +a + b;
    if (Number.isSafeInteger(r)) return String(r);
  }
  const r = BigInt(a) + BigInt(b);
  if (r > LLONG_MAX || r < LLONG_MIN) return null;
  return r.toString();
}

const isCSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^[+-]?(inf|infinity)$/i;

/**
 * strtod-compatible parse of the whole string, with string2d's extra rules: no leading
 * space, no trailing garbage, no NaN, no overflow to ±HUGE_VAL, no underflow to zero.
 * Returns null when Redis would say "value is not a valid float".
 */
export function string2d(s: string): number | null {
  if (s.length === 0 || isCSpace(s.charCodeAt(0))) return null;
  if (DECIMAL_RE.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return null; // ERANGE overflow
    if (v === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return null; // ERANGE underflow
    return v;
  }
  if (INF_RE.test(s)) return s.charCodeAt(0) === 45 ? -Infinity : Infinity;
  const hex = HEX_RE.exec(s);
  if (hex && (hex[2].length > 0 || hex[3].length > 0)) {
    let v = 0;
    for (const ch of hex[2]) v = v * 16 + parseInt(ch, 16);
    let scale = 1 / 16;
    for (const ch of hex[3]) { v += parseInt(ch, 16) * scale; scale /= 16; }
    if (hex[4]) v *= 2 ** Number(hex[4]);
    if (!Number.isFinite(v)) return null;
    return hex[1] === '-' ? -v : v;
  }
  return null;
}

/** printf("%.17g", d) for finite d; "inf"/"-inf"/"nan" otherwise. */
export function fmtG17(d: number): string {
  return fmtG(d, 17);
}

/** printf("%.<precision>g", d). */
export function fmtG(d: number, precision: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const p = precision === 0 ? 1 : precision;
  const exp = d.toExponential(p - 1); // "d.dddde±x"
  const ePos = exp.indexOf('e');
  const x = Number(exp.slice(ePos + 1));
  let mantissa = exp.slice(0, ePos);
  if (x < -4 || x >= p) {
    if (mantissa.includes('.')) mantissa = mantissa.replace(/0+$/, '').replace(/\.$/, '');
    const ax = Math.abs(x);
    return `${mantissa}e${x < 0 ? '-' : '+'}${ax < 10 ? '0' : ''}${ax}`;
  }
  let fixed = d.toFixed(Math.max(0, p - 1 - x));
  if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}

/**
 * d2string: integers print as integers when exactly representable, otherwise %.17g.
 * Used when storing scores as text.
 */
export function d2string(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  if (Number.isInteger(d) && Math.abs(d) <= 4611686018427387903) {
    return Math.abs(d) <= Number.MAX_SAFE_INTEGER ? String(d) : BigInt(d).toString();
  }
  return fmtG17(d);
}

/** ll2string for a JS number that holds an integer. */
export function ll2string(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}

// ---------------------------------------------------------------------------------------------
// x87 80-bit long double emulation, for INCRBYFLOAT / HINCRBYFLOAT.
//
// Redis adds the increment to the stored value in `long double` and prints the sum with
// "%.17Lf", then strips trailing zeros. The extra 11 bits of mantissa are why
// INCRBYFLOAT 0.1 three times prints "0.3" in Redis and not "0.30000000000000004". We emulate
// it exactly with BigInt: a value is ±m·2^e with a 64-bit mantissa m, rounded half to even.
// ---------------------------------------------------------------------------------------------

interface LongDouble { neg: boolean; m: bigint; e: number; inf?: boolean }

const TWO63 = 1n << 63n;
const TWO64 = 1n << 64n;
/** Largest finite long double exponent: values ≥ 2^16384 overflow. */
const LD_MAX_EXP2 = 16384;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Round the exact rational num/den (> 0) to a 64-bit mantissa: returns {m, e}. */
function roundRational(num: bigint, den: bigint): { m: bigint; e: number } {
  let k = 64 - (bitLength(num) - bitLength(den));
  for (;;) {
    const n2 = k >= 0 ? num << BigInt(k) : num;
    const d2 = k >= 0 ? den : den << BigInt(-k);
    let q = n2 / d2;
    const r = n2 % d2;
    if (q >= TWO64) { k--; continue; }
    if (q < TWO63) { k++; continue; }
    const twice = 2n * r;
    if (twice > d2 || (twice === d2 && (q & 1n) === 1n)) q++;
    if (q === TWO64) return { m: q >> 1n, e: -k + 1 };
    return { m: q, e: -k };
  }
}

function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= 5 * 1024 || isCSpace(s.charCodeAt(0))) return null;
  if (INF_RE.test(s)) return { neg: s[0] === '-', m: 0n, e: 0, inf: true };
  const hexV = HEX_RE.test(s) ? string2d(s) : null;
  if (hexV !== null) return fromDouble(hexV);
  const mt = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!mt || (mt[2].length === 0 && mt[3].length === 0) || !DECIMAL_RE.test(s)) return null;
  const digits = (mt[2] + mt[3]).replace(/^0+/, '');
  const exp10 = (mt[4] ? Number(mt[4]) : 0) - mt[3].length;
  const neg = mt[1] === '-';
  if (digits.length === 0) return { neg, m: 0n, e: 0 };
  if (exp10 + digits.length > 4940) return null; // overflow (ERANGE)
  if (exp10 + digits.length < -4950) return null; // underflow to zero (ERANGE)
  const D = BigInt(digits);
  const r = exp10 >= 0 ? roundRational(D * 10n ** BigInt(exp10), 1n) : roundRational(D, 10n ** BigInt(-exp10));
  if (r.e + 64 > LD_MAX_EXP2) return null;
  return { neg, m: r.m, e: r.e };
}

function fromDouble(d: number): LongDouble {
  if (!Number.isFinite(d)) return { neg: d < 0, m: 0n, e: 0, inf: true };
  if (d === 0) return { neg: Object.is(d, -0), m: 0n, e: 0 };
  const neg = d < 0;
  let a = Math.abs(d);
  let e = 0;
  while (a >= 2 ** 53) { a /= 2; e++; }
  while (!Number.isInteger(a)) { a *= 2; e--; }
  return { neg, m: BigInt(a), e };
}

function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.inf || b.inf) {
    if (a.inf && b.inf && a.neg !== b.neg) return { neg: false, m: 0n, e: 0, inf: true }; // NaN: caller rejects
    return a.inf ? a : b;
  }
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const emin = Math.min(a.e, b.e);
  const av = (a.neg ? -a.m : a.m) << BigInt(a.e - emin);
  const bv = (b.neg ? -b.m : b.m) << BigInt(b.e - emin);
  const sum = av + bv;
  if (sum === 0n) return { neg: false, m: 0n, e: 0 };
  const neg = sum < 0n;
  const r = roundRational(neg ? -sum : sum, 1n);
  const e = r.e + emin;
  if (e + 64 > LD_MAX_EXP2) return { neg, m: 0n, e: 0, inf: true };
  return { neg, m: r.m, e };
}

/** "%.17Lf" then strip trailing zeros / dot, "-0" → "0" (ld2string LD_STR_HUMAN). */
function formatLongDoubleHuman(v: LongDouble): string {
  if (v.inf) return v.neg ? '-inf' : 'inf';
  const P = 10n ** 17n;
  let q: bigint;
  if (v.e >= 0) {
    q = (v.m << BigInt(v.e)) * P;
  } else {
    const num = v.m * P;
    const den = 1n << BigInt(-v.e);
    q = num / den;
    const twice = 2n * (num % den);
    if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  }
  const intPart = (q / P).toString();
  const frac = (q % P).toString().padStart(17, '0').replace(/0+$/, '');
  let out = frac.length ? `${intPart}.${frac}` : intPart;
  if (v.neg) out = '-' + out;
  return out === '-0' ? '0' : out;
}

/**
 * INCRBYFLOAT arithmetic: `current + incr` as Redis computes and prints it.
 * Returns {error:'notfloat'} when either operand is not a valid float and {error:'naninf'}
 * when the result is NaN or infinite.
 */
export function incrByFloatString(current: string, incr: string):
  { value: string } | { error: 'current-notfloat' | 'incr-notfloat' | 'naninf' } {
  const a = parseLongDouble(current);
  if (!a) return { error: 'current-notfloat' };
  const b = parseLongDouble(incr);
  if (!b) return { error: 'incr-notfloat' };
  const r = addLongDouble(a, b);
  if (r.inf) return { error: 'naninf' };
  return { value: formatLongDoubleHuman(r) };
}

/**
 * Blocking-command timeouts: (long long)ceill(seconds * 1000.0L) for a long double `s`, as
 * getTimeoutFromObjectOrReply computes it. The product is rounded to a 64-bit mantissa
 * before ceill, which decides cases like "-0.001" (just above -1 after rounding: 0 ms).
 * Returns null when `s` is not a valid long double and 'overflow' when the result does not
 * fit a long long (the C conversion then yields LLONG_MIN).
 */
export function secondsToMillisCeil(s: string): bigint | null | 'overflow' {
  const v = parseLongDouble(s);
  if (!v) return null;
  if (v.inf) return 'overflow';
  if (v.m === 0n) return 0n;
  const p = roundRational(v.m * 1000n, 1n);
  const e = p.e + v.e;
  let mag: bigint;
  let inexact = false;
  if (e >= 0) {
    if (e > 70) return 'overflow';
    mag = p.m << BigInt(e);
  } else if (-e >= 128) {
    mag = 0n;
    inexact = true;
  } else {
    mag = p.m >> BigInt(-e);
    inexact = (mag << BigInt(-e)) !== p.m;
  }
  // ceil: round a positive value up, a negative one towards zero.
  const r = v.neg ? -mag : mag + (inexact ? 1n : 0n);
  if (r > LLONG_MAX || r < LLONG_MIN) return 'overflow';
  return r;
}

/** Is `s` a valid long double string (string2ld)? */
export function isLongDoubleString(s: string): boolean {
  return parseLongDouble(s) !== null;
}

/** Format a long double value given as a JS double with ld2string human mode. */
export function formatHumanDouble(d: number): string {
  return formatLongDoubleHuman(fromDouble(d));
}
