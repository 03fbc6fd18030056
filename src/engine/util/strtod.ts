/**
 * C's strtod() applied to a whole NUL-terminated argument, for the places where Redis calls
 * strtod directly instead of its stricter string2d (zslParseRange: ZRANGEBYSCORE, ZCOUNT,
 * ZREMRANGEBYSCORE, ZRANGE BYSCORE).
 *
 * What that admits, unlike string2d: leading white space, an empty string (0, because strtod
 * leaves the end pointer on the terminating NUL), anything after an embedded NUL byte, values
 * that overflow to ±inf or underflow to 0. It still rejects trailing garbage and NaN.
 */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/;
const INF = /^[+-]?(inf|infinity)$/i;

const isCSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** The value strtod gives when it consumes the whole C string, or null (NaN included). */
export function strtodWhole(arg: string): number | null {
  const nul = arg.indexOf('\0');
  const s0 = nul >= 0 ? arg.slice(0, nul) : arg;
  if (s0.length === 0) return 0; // no conversion, but the end pointer already sits on the NUL
  let i = 0;
  while (i < s0.length && isCSpace(s0.charCodeAt(i))) i++;
  const s = s0.slice(i);
  if (DECIMAL.test(s)) return Number(s);
  if (INF.test(s)) return s.charCodeAt(0) === 45 ? -Infinity : Infinity;
  const hex = HEX.exec(s);
  if (hex && (hex[2].length > 0 || hex[3].length > 0)) {
    const digits = hex[2] + hex[3];
    const mantissa = Number(BigInt('0x' + digits));
    const exp = (hex[4] ? Number(hex[4]) : 0) - 4 * hex[3].length;
    const v = ldexp(mantissa, exp);
    return hex[1] === '-' ? -v : v;
  }
  return null;
}

/** m · 2^e without the intermediate power of two overflowing or underflowing. */
function ldexp(m: number, e: number): number {
  while (e > 1000 && Number.isFinite(m)) { m *= 2 ** 1000; e -= 1000; }
  while (e < -1000 && m !== 0) { m *= 2 ** -1000; e += 1000; }
  return m * 2 ** e;
}
