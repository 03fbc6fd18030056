/**
 * glibc's strtol and strtoul, for tools that read their numbers with them and accept whatever
 * prefix is a number (xxd's `-l 0x10`, `-c 010`, `-s -5`): leading blanks, a sign, then digits
 * in the base (0: `0x` hexadecimal, a leading `0` octal, else decimal); no digits at all is 0.
 */

const BLANKS = ' \t\n\v\f\r';
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);
const ULONG_MAX = (1n << 64n) - 1n;

/** The digits' value without a limit, its sign, and where the number ends (0 when there is none). */
function scan(s: string, base: number): { magnitude: bigint; negative: boolean; end: number } {
  let i = 0;
  while (i < s.length && BLANKS.includes(s[i])) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') { negative = s[i] === '-'; i++; }
  const hexPrefix = (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digitValue(s[i + 2] ?? '') < 16);
  if ((base === 0 || base === 16) && hexPrefix) { base = 16; i += 2; }
  else if (base === 0) base = s[i] === '0' ? 8 : 10;
  const start = i;
  let magnitude = 0n;
  while (i < s.length && digitValue(s[i]) < base) { magnitude = magnitude * BigInt(base) + BigInt(digitValue(s[i])); i++; }
  if (i === start) return { magnitude: 0n, negative: false, end: 0 };
  return { magnitude, negative, end: i };
}

function digitValue(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 87;
  if (c >= 'A' && c <= 'Z') return c.charCodeAt(0) - 55;
  return 99;
}

/** strtol: a long, clamped to its range as glibc does on overflow (ERANGE). */
export function strtol(s: string, base = 0): bigint {
  const { magnitude, negative } = scan(s, base);
  const v = negative ? -magnitude : magnitude;
  return v > LONG_MAX ? LONG_MAX : v < LONG_MIN ? LONG_MIN : v;
}

/** strtoul: an unsigned long; a `-` negates it modulo 2^64, and too big a magnitude is ULONG_MAX. */
export function strtoul(s: string, base = 0): bigint {
  const { magnitude, negative } = scan(s, base);
  if (magnitude > ULONG_MAX) return ULONG_MAX;
  return negative ? BigInt.asUintN(64, -magnitude) : magnitude;
}

/** A C `(int)` cast of a long: the low 32 bits, signed. */
export function toInt(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}
