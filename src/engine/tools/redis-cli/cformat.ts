/**
 * The bits of C's stdio and stdlib that redis-cli's output and option parsing depend on:
 * `printf("%.2f")` with glibc's exact round-half-even, `%-8s`-style padding, and the
 * forgiving prefix parsers `atoi`, `strtoll` and `atof` (which accept "12abc" as 12 and
 * "abc" as 0, so `-r abc` repeats zero times, exactly as redis-cli does).
 */
import { decomposeDouble, fixedDigits } from '../../util/exact-decimal';

/** `%.<prec>f` of a double, rounded exactly like glibc (the exact binary value, ties to even). */
export function fixed(x: number, prec: number): string {
  // x86's 0.0/0 is a NaN with the sign bit set, which glibc prints as "-nan"; JS NaN has no
  // observable sign, and every NaN redis-cli can print comes from such a division.
  if (Number.isNaN(x)) return '-nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const negative = x < 0 || Object.is(x, -0);
  const { m, e } = decomposeDouble(Math.abs(x));
  const { int, frac } = fixedDigits(m, e, prec);
  return (negative ? '-' : '') + int + (prec > 0 ? '.' + frac : '');
}

/** `%0<width>.<prec>f`. */
export function fixedZeroPad(x: number, width: number, prec: number): string {
  const s = fixed(x, prec);
  if (s.length >= width) return s;
  if (!Number.isFinite(x)) return s.padStart(width, ' ');
  if (s.startsWith('-')) return '-' + s.slice(1).padStart(width - 1, '0');
  return s.padStart(width, '0');
}

/** `%-<width>s`. */
export function padRight(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

/** `%<width>s`. */
export function padLeft(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

/** strtoll(s, NULL, 10): leading blanks, optional sign, digits; saturates at the int64 range. */
export function strtoll(s: string): bigint {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') { negative = s[i] === '-'; i++; }
  let v = 0n;
  const start = i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
    v = v * 10n + BigInt(s.charCodeAt(i) - 48);
    if (v > LLONG_MAX + 1n) v = LLONG_MAX + 1n;
    i++;
  }
  if (i === start) return 0n;
  if (negative) v = -v;
  if (v > LLONG_MAX) return LLONG_MAX;
  if (v < LLONG_MIN) return LLONG_MIN;
  return v;
}

/** strtol with its end pointer: the value and how many chars were consumed (0 = no digits). */
export function strtolEnd(s: string): { value: bigint; end: number; overflow: boolean } {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') { negative = s[i] === '-'; i++; }
  const start = i;
  let v = 0n;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
    v = v * 10n + BigInt(s.charCodeAt(i) - 48);
    i++;
  }
  if (i === start) return { value: 0n, end: 0, overflow: false };
  if (negative) v = -v;
  let overflow = false;
  if (v > LLONG_MAX) { v = LLONG_MAX; overflow = true; }
  if (v < LLONG_MIN) { v = LLONG_MIN; overflow = true; }
  return { value: v, end: i, overflow };
}

/** atoi: strtol truncated to a 32-bit int, as glibc's `(int)strtol(...)` does. */
export function atoi(s: string): number {
  return Number(BigInt.asIntN(32, strtoll(s)));
}

/** atof: the longest prefix that strtod accepts (decimal, hex not needed here, inf/nan). */
export function atof(s: string): number {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  const rest = s.slice(i);
  const special = /^[+-]?(inf(inity)?|nan)/i.exec(rest);
  if (special) {
    const neg = rest.startsWith('-');
    if (/nan/i.test(special[0])) return NaN;
    return neg ? -Infinity : Infinity;
  }
  const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(rest);
  return m ? Number(m[0]) : 0;
}

/** A C string view of a byte string: everything before the first NUL. */
export function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** ASCII-only lowercase, like tolower() in the C locale (bytes >= 0x80 are left alone). */
export function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** ASCII-only uppercase (sdstoupper in the C locale). */
export function upperAscii(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** strcasecmp(a, b) === 0. */
export function eqNoCase(a: string, b: string): boolean {
  return a.length === b.length && lowerAscii(a) === lowerAscii(b);
}

/** strcasecmp(a, b) as a sign (-1, 0, 1), comparing lowercased bytes. */
export function cmpNoCase(a: string, b: string): number {
  const x = lowerAscii(a);
  const y = lowerAscii(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** strncasecmp(a, prefix, prefix.length) === 0. */
export function startsNoCase(a: string, prefix: string): boolean {
  return a.length >= prefix.length && lowerAscii(a.slice(0, prefix.length)) === lowerAscii(prefix);
}

/** strcmp order on byte strings (JS string comparison is by code unit = by byte here). */
export function cmpBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
