/**
 * C's sprintf as Lua 5.1's string.format calls it on x86-64 glibc: one conversion at a time,
 * with flags "-+ #0", a width and a precision of at most two digits each. Integers are the
 * double converted to long / unsigned long the way x86-64 does it (cvttsd2si: truncation, and
 * 0x8000000000000000 for NaN and out-of-range values); floats are printed from their exact
 * binary value with glibc's round-half-even (engine/util/exact-decimal).
 */
import { decomposeDouble } from '../util/exact-decimal';
import { expText, formatFloat as formatCFloat, formatInt, pad, type ConvSpec, type FloatValue } from '../util/c-printf';

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

/** %d %i (signed) and %o %u %x %X (unsigned) of a 64-bit value. */
export function formatInteger(spec: ConvSpec, v: bigint): string {
  return formatInt(spec, v);
}

/** The value printf sees for a double. NaN is "-nan": x86's 0/0, the usual source, has the sign bit set. */
function floatValue(d: number): FloatValue {
  if (Number.isNaN(d)) return { kind: 'nan', neg: true };
  if (!Number.isFinite(d)) return { kind: 'inf', neg: d < 0 };
  const { m, e } = decomposeDouble(Math.abs(d));
  return { kind: 'finite', neg: d < 0 || Object.is(d, -0), m, e };
}

/** %e %E %f %g %G of a double. */
export function formatFloat(spec: ConvSpec, d: number): string {
  return formatCFloat(spec, floatValue(d));
}

/** printf("%.<precision>g", d), as Lua's tostring (precision 14) and cjson print numbers. */
export function formatG(d: number, precision: number): string {
  const p = precision === 0 ? 1 : precision;
  // Fast path: an integer with at most p digits prints as itself.
  if (Number.isInteger(d) && Math.abs(d) < 10 ** p && p <= 15) return Object.is(d, -0) ? '-0' : String(d);
  if (Number.isFinite(d)) {
    const fast = gBodyFast(Math.abs(d), p);
    if (fast !== null) return (d < 0 || Object.is(d, -0) ? '-' : '') + fast;
  }
  return formatCFloat({ flags: '', width: null, prec: p, conv: 'g' }, floatValue(d));
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
export function formatChar(spec: ConvSpec, code: number): string {
  return pad(spec, '', String.fromCharCode(code & 0xff), false);
}

/** %s of a C string (already cut at its NUL), precision limiting the bytes taken. */
export function formatString(spec: ConvSpec, s: string): string {
  return pad(spec, '', spec.prec === null ? s : s.slice(0, spec.prec), false);
}
