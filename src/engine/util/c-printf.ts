/**
 * C's printf conversions as glibc does them, for the simulated shell's printf engines (bash's
 * builtin: integers as intmax_t, floats as 80-bit long doubles; awk's, od's and hexdump's: C
 * ints and doubles) and Lua's string.format (lua/cformat.ts). Floats are printed from their
 * exact binary value (exact-decimal.ts).
 */
import { fixedDigits, scientificDigits } from './exact-decimal';

/** A float to print: ±m·2^e (m 0 for zero), or infinity/NaN with a sign. */
export type FloatValue = { kind: 'finite'; neg: boolean; m: bigint; e: number } | { kind: 'inf' | 'nan'; neg: boolean };

/** A printf exponent: sign and at least two digits. */
export const expText = (exp: number) => (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');

/** One conversion: its flags, width and precision (null when absent) and its letter. */
export interface ConvSpec { flags: string; width: number | null; prec: number | null; conv: string }

/** Pad a converted value to the width: left-justified, zero-filled after the sign/prefix, or right-justified. */
export function pad(spec: ConvSpec, sign: string, body: string, zeroOk: boolean): string {
  const width = spec.width ?? 0;
  const len = sign.length + body.length;
  if (len >= width) return sign + body;
  if (spec.flags.includes('-')) return sign + body + ' '.repeat(width - len);
  if (zeroOk && spec.flags.includes('0')) return sign + '0'.repeat(width - len) + body;
  return ' '.repeat(width - len) + sign + body;
}

export function signOf(spec: ConvSpec, negative: boolean): string {
  if (negative) return '-';
  if (spec.flags.includes('+')) return '+';
  return spec.flags.includes(' ') ? ' ' : '';
}

export function formatInt(spec: ConvSpec, v: bigint): string {
  const c = spec.conv;
  const signed = c === 'd' || c === 'i';
  const n = signed ? v : BigInt.asUintN(64, v);
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

export function formatFloat(spec: ConvSpec, v: FloatValue): string {
  const c = spec.conv;
  const upper = c === c.toUpperCase();
  const sign = signOf(spec, v.neg);
  if (v.kind !== 'finite') {
    const word = v.kind === 'inf' ? 'inf' : 'nan';
    return pad(spec, sign, upper ? word.toUpperCase() : word, false);
  }
  const alt = spec.flags.includes('#');
  let body: string;
  const lc = c.toLowerCase();
  if (lc === 'f') {
    const prec = spec.prec ?? 6;
    const { int, frac } = fixedDigits(v.m, v.e, prec);
    body = int + (prec > 0 || alt ? '.' + frac : '');
  } else if (lc === 'e') {
    const prec = spec.prec ?? 6;
    const { digits, exp } = scientificDigits(v.m, v.e, prec);
    body = digits[0] + (prec > 0 || alt ? '.' + digits.slice(1) : '') + 'e' + expText(exp);
  } else if (lc === 'g') {
    const p = spec.prec === null ? 6 : spec.prec === 0 ? 1 : spec.prec;
    const x = v.m === 0n ? 0 : scientificDigits(v.m, v.e, p - 1).exp;
    if (p > x && x >= -4) {
      const { int, frac } = fixedDigits(v.m, v.e, p - 1 - x);
      body = int + (frac || alt ? '.' + frac : '');
    } else {
      const { digits, exp } = scientificDigits(v.m, v.e, p - 1);
      body = digits[0] + (digits.length > 1 || alt ? '.' + digits.slice(1) : '') + 'e' + expText(exp);
    }
    // %g drops trailing zeros (and a bare point) unless #.
    if (!alt) body = body.replace(/\.(\d*?)0+(?=e|$)/, (_m, d: string) => (d ? '.' + d : ''));
  } else {
    body = hexFloat(v.m, v.e, spec.prec, alt);
  }
  if (upper) body = body.toUpperCase();
  // %a's 0x belongs with the sign: zeros go after it.
  if (lc === 'a') return pad(spec, sign + body.slice(0, 2), body.slice(2), true);
  return pad(spec, sign, body, true);
}

/** %a on a long double, the way glibc prints it: the 64-bit significand's first hex digit before the point. */
function hexFloat(m: bigint, e: number, prec: number | null, alt: boolean): string {
  if (m === 0n) return '0x0' + (prec ? '.' + '0'.repeat(prec) : alt ? '.' : '') + 'p+0';
  let hex = m.toString(16);
  let exp = e + 60;
  if (prec !== null && prec < 15) {
    // Round the 60 bits after the leading digit to `prec` hex digits, halves to even.
    const dropBits = BigInt(4 * (15 - prec));
    let kept = m >> dropBits;
    const rem = m & ((1n << dropBits) - 1n);
    const half = 1n << (dropBits - 1n);
    if (rem > half || (rem === half && (kept & 1n) === 1n)) kept++;
    hex = kept.toString(16);
    if (hex.length > prec + 1) { hex = (kept >> 4n).toString(16); exp += 4; }
  }
  let frac = hex.slice(1);
  if (prec === null) frac = frac.replace(/0+$/, '');
  else frac = frac.padEnd(prec, '0');
  return `0x${hex[0]}${frac || alt ? '.' + frac : ''}p${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
}
