/**
 * C's sprintf as Lua 5.1's string.format calls it on x86-64 glibc: one conversion at a time,
 * with flags "-+ #0", a width and a precision of at most two digits each. Integers are the
 * double converted to long / unsigned long the way x86-64 does it (cvttsd2si: truncation, and
 * 0x8000000000000000 for NaN and out-of-range values); floats are printed from their exact
 * binary value with glibc's round-half-even (engine/util/exact-decimal).
 */
import { decomposeDouble, fixedDigits, scientificDigits } from '../util/exact-decimal';

export interface CSpec { flags: string; width: number; prec: number | null; conv: string }

const TWO63 = 2 ** 63;
const INT64_MIN = -(2n ** 63n);

/** (long)d on x86-64: truncation, INT64_MIN when NaN or out of range. */
export function doubleToInt64(d: number): bigint {
  if (!(d >= -TWO63 && d < TWO63)) return INT64_MIN; // NaN, ±inf, out of range
  return BigInt(Math.trunc(d));
}

/** (unsigned long)d as gcc compiles it on x86-64. */
export function doubleToUint64(d: number): bigint {
  if (d >= TWO63) return BigInt.asUintN(64, doubleToInt64(d - TWO63) ^ INT64_MIN);
  return BigInt.asUintN(64, doubleToInt64(d));
}

function pad(spec: CSpec, prefix: string, body: string, zeroOk: boolean): string {
  const len = prefix.length + body.length;
  if (len >= spec.width) return prefix + body;
  if (spec.flags.includes('-')) return prefix + body + ' '.repeat(spec.width - len);
  if (zeroOk && spec.flags.includes('0')) return prefix + '0'.repeat(spec.width - len) + body;
  return ' '.repeat(spec.width - len) + prefix + body;
}

function signOf(spec: CSpec, negative: boolean): string {
  if (negative) return '-';
  if (spec.flags.includes('+')) return '+';
  return spec.flags.includes(' ') ? ' ' : '';
}

/** %d %i (signed) and %o %u %x %X (unsigned) of a 64-bit value. */
export function formatInteger(spec: CSpec, v: bigint): string {
  const c = spec.conv;
  const signed = c === 'd' || c === 'i';
  const n = signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v);
  const mag = n < 0n ? -n : n;
  let digits = c === 'o' ? mag.toString(8) : c === 'x' ? mag.toString(16) : c === 'X' ? mag.toString(16).toUpperCase() : mag.toString();
  if (spec.prec !== null) digits = spec.prec === 0 && mag === 0n ? '' : digits.padStart(spec.prec, '0');
  let prefix = signed ? signOf(spec, n < 0n) : '';
  if (spec.flags.includes('#')) {
    if (c === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    if ((c === 'x' || c === 'X') && mag !== 0n) prefix = c === 'x' ? '0x' : '0X';
  }
  // With a precision the 0 flag is ignored, as in C.
  return pad(spec, prefix, digits, spec.prec === null);
}

const expText = (exp: number) => (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');

/** %e %E %f %g %G of a double. NaN prints as "-nan": x86's 0/0, the usual source, has the sign bit set. */
export function formatFloat(spec: CSpec, d: number): string {
  const c = spec.conv;
  const upper = c === 'E' || c === 'G';
  if (!Number.isFinite(d)) {
    const neg = Number.isNaN(d) || d < 0;
    const word = Number.isNaN(d) ? 'nan' : 'inf';
    return pad(spec, signOf(spec, neg), upper ? word.toUpperCase() : word, false);
  }
  const neg = d < 0 || Object.is(d, -0);
  const { m, e } = decomposeDouble(Math.abs(d));
  const alt = spec.flags.includes('#');
  const lc = c.toLowerCase();
  let body: string;
  if (lc === 'f') {
    const prec = spec.prec ?? 6;
    const { int, frac } = fixedDigits(m, e, prec);
    body = int + (prec > 0 || alt ? '.' + frac : '');
  } else if (lc === 'e') {
    const prec = spec.prec ?? 6;
    const { digits, exp } = scientificDigits(m, e, prec);
    body = digits[0] + (prec > 0 || alt ? '.' + digits.slice(1) : '') + 'e' + expText(exp);
  } else {
    body = gBody(m, e, spec.prec === null ? 6 : spec.prec === 0 ? 1 : spec.prec, alt);
  }
  if (upper) body = body.toUpperCase();
  return pad(spec, signOf(spec, neg), body, true);
}

function gBody(m: bigint, e: number, p: number, alt: boolean): string {
  const x = m === 0n ? 0 : scientificDigits(m, e, p - 1).exp;
  let body: string;
  if (p > x && x >= -4) {
    const { int, frac } = fixedDigits(m, e, p - 1 - x);
    body = int + (frac || alt ? '.' + frac : '');
  } else {
    const { digits, exp } = scientificDigits(m, e, p - 1);
    body = digits[0] + (digits.length > 1 || alt ? '.' + digits.slice(1) : '') + 'e' + expText(exp);
  }
  // %g drops trailing zeros (and a bare point) unless '#'.
  if (!alt) body = body.replace(/\.(\d*?)0+(?=e|$)/, (_m, dd: string) => (dd ? '.' + dd : '')).replace(/\.(?=e|$)/, '');
  return body;
}

/** printf("%.<precision>g", d), as Lua's tostring (precision 14) and cjson print numbers. */
export function formatG(d: number, precision: number): string {
  if (Number.isNaN(d)) return '-nan';
  if (!Number.isFinite(d)) return d < 0 ? '-inf' : 'inf';
  const p = precision === 0 ? 1 : precision;
  // Fast path: an integer with at most p digits prints as itself.
  if (Number.isInteger(d) && Math.abs(d) < 10 ** p && p <= 15) return Object.is(d, -0) ? '-0' : String(d);
  const neg = d < 0 || Object.is(d, -0);
  const fast = gBodyFast(Math.abs(d), p);
  if (fast !== null) return (neg ? '-' : '') + fast;
  const { m, e } = decomposeDouble(Math.abs(d));
  return (neg ? '-' : '') + gBody(m, e, p, false);
}

/**
 * %.<p>g from toExponential, which rounds correctly except that it breaks exact ties upward
 * where glibc rounds them to even: null (use the exact path) when the dropped digits might
 * be a tie.
 */
function gBodyFast(abs: number, p: number): string | null {
  const longer = abs.toExponential(Math.min(100, p + 24));
  const tail = longer.slice(p + 1, longer.indexOf('e')); // digits after the first p (point skipped)
  if (/^50*$/.test(tail) || /^49*$/.test(tail)) return null;
  const ex = abs.toExponential(p - 1);
  const ePos = ex.indexOf('e');
  const x = Number(ex.slice(ePos + 1));
  const digits = ex.slice(0, ePos).replace('.', '');
  if (x < -4 || x >= p) {
    const frac = digits.slice(1).replace(/0+$/, '');
    return digits[0] + (frac ? '.' + frac : '') + 'e' + expText(x);
  }
  let body: string;
  if (x >= 0) body = digits.slice(0, x + 1) + '.' + digits.slice(x + 1);
  else body = '0.' + '0'.repeat(-x - 1) + digits;
  return body.replace(/0+$/, '').replace(/\.$/, '');
}

/** %c of an int: the low byte. */
export function formatChar(spec: CSpec, code: number): string {
  return pad(spec, '', String.fromCharCode(code & 0xff), false);
}

/** %s of a C string (already cut at its NUL), precision limiting the bytes taken. */
export function formatString(spec: CSpec, s: string): string {
  return pad(spec, '', spec.prec === null ? s : s.slice(0, spec.prec), false);
}
