/**
 * The decimal digits C's printf prints for a binary floating-point value m·2^e, as glibc
 * prints them: from the value's exact decimal expansion, rounded to nearest with halves to
 * even (`%.0f` of 2.5 is 2, `%.2f` of 0.125 is 0.12, which JS's toFixed gets wrong). Shared by
 * redis-cli's and redis-benchmark's %f and by the simulated shell's printf and awk.
 */

/** A finite non-negative double as m·2^e with an integer m. */
export function decomposeDouble(x: number): { m: bigint; e: number } {
  if (x === 0) return { m: 0n, e: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) m |= 1n << 52n;
  return { m, e: (biased === 0 ? 1 : biased) - 1075 };
}

/** The exact decimal expansion of m·2^e: integer digits and fraction digits. */
function exactDecimal(m: bigint, e: number): { int: string; frac: string } {
  if (e >= 0) return { int: (m << BigInt(e)).toString(), frac: '' };
  const k = -e;
  const s = (m * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
  return { int: s.slice(0, s.length - k), frac: s.slice(s.length - k) };
}

/**
 * Keep the first `keep` digits of `digits`, rounding what is dropped to nearest, halves to
 * even. May return one digit more after a carry.
 */
function roundDigits(digits: string, keep: number): string {
  if (keep >= digits.length) return digits.padEnd(keep, '0');
  const kept = digits.slice(0, keep);
  const first = digits[keep];
  const tail = digits.slice(keep + 1);
  const lastOdd = keep > 0 && Number(kept[keep - 1]) % 2 === 1;
  const up = first > '5' || (first === '5' && (/[1-9]/.test(tail) || lastOdd));
  if (!up) return kept;
  if (keep === 0) return '1';
  return (BigInt(kept) + 1n).toString().padStart(keep, '0');
}

/** %f's digits: the integer part (at least "0") and `prec` fraction digits. */
export function fixedDigits(m: bigint, e: number, prec: number): { int: string; frac: string } {
  const { int, frac } = exactDecimal(m, e);
  const rounded = roundDigits(int + frac, int.length + prec);
  const intLen = rounded.length - prec;
  return { int: rounded.slice(0, intLen).replace(/^0+(?=\d)/, '') || '0', frac: rounded.slice(intLen) };
}

/** %e's digits: d followed by `prec` digits (no point), and the decimal exponent. */
export function scientificDigits(m: bigint, e: number, prec: number): { digits: string; exp: number } {
  if (m === 0n) return { digits: '0'.repeat(prec + 1), exp: 0 };
  const { int, frac } = exactDecimal(m, e);
  const all = int + frac;
  const first = all.search(/[1-9]/);
  let exp = int.length - 1 - first;
  let digits = roundDigits(all.slice(first), prec + 1);
  if (digits.length > prec + 1) { digits = digits.slice(0, prec + 1); exp++; }
  return { digits, exp };
}
