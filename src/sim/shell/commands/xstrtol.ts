/**
 * gnulib's xstrtoumax and xstrtol_fatal, how coreutils reads a size with its suffixes
 * (`od -j 1k`, `-N 0x10`, `-S 2`) and what it says about a bad one.
 */

export type XstrtolError = 'invalid' | 'suffix' | 'overflow';

const UINTMAX_MAX = (1n << 64n) - 1n;
/** Each suffix's power of the base (1024, or 1000 after `KB`); `b` and `c` are fixed factors. */
const POWERS: Record<string, number> = { E: 6, G: 3, g: 3, K: 1, k: 1, M: 2, m: 2, P: 5, T: 4, t: 4, Y: 8, Z: 7, Q: 10, R: 9 };
const FIXED: Record<string, bigint> = { b: 512n, B: 1024n, c: 1n, w: 2n };

/**
 * xstrtoumax(text, NULL, base, &value, suffixes): blanks, an optional `+` (a `-` is invalid),
 * the number in the base (0: 0x hex, 0 octal), then at most one suffix from `suffixes` — with
 * `0` among them, a suffix may be followed by `B` (powers of 1000) or `iB` (1024). A suffix
 * alone counts as 1 of it (`k` is 1024).
 */
export function xstrtoumax(text: string, base: number, suffixes: string): { value: bigint } | { error: XstrtolError } {
  const blanks = /^[ \t\n\v\f\r]*/.exec(text)![0].length;
  if (text[blanks] === '-') return { error: 'invalid' };
  const m = numberPrefix(text.slice(blanks), base);
  let value: bigint;
  let rest: string;
  let overflow = false;
  if (m === null) {
    const first = text[blanks];
    if (!(first !== undefined && suffixes.includes(first))) return { error: 'invalid' };
    value = 1n;
    rest = text.slice(blanks);
  } else {
    value = m.value;
    rest = text.slice(blanks + m.length);
    if (value > UINTMAX_MAX) { value = UINTMAX_MAX; overflow = true; }
  }
  if (rest === '') return overflow ? { error: 'overflow' } : { value };
  if (!suffixes.includes(rest[0])) return { error: 'suffix' };
  let thousand = false;
  let used = 1;
  if (suffixes.includes('0')) {
    if (rest[1] === 'i' && rest[2] === 'B') used += 2;
    else if (rest[1] === 'B' || rest[1] === 'D') { thousand = true; used++; }
  }
  const factor = FIXED[rest[0]] ?? (POWERS[rest[0]] !== undefined ? (thousand ? 1000n : 1024n) ** BigInt(POWERS[rest[0]]) : null);
  if (factor === null) return { error: 'suffix' };
  value *= factor;
  if (value > UINTMAX_MAX) { value = UINTMAX_MAX; overflow = true; }
  if (rest.length > used) return { error: 'suffix' };
  return overflow ? { error: 'overflow' } : { value };
}

/** strtoumax's digits: the value (unbounded) and how many characters it took; null when none. */
function numberPrefix(s: string, base: number): { value: bigint; length: number } | null {
  let i = 0;
  if (s[0] === '+') i = 1;
  let b = base;
  if ((b === 0 || b === 16) && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) { b = 16; i += 2; }
  else if (b === 0) b = s[i] === '0' ? 8 : 10;
  const digits = b === 16 ? /^[0-9a-fA-F]*/ : b === 8 ? /^[0-7]*/ : /^[0-9]*/;
  const d = digits.exec(s.slice(i))![0];
  if (d === '') return null;
  const value = d.split('').reduce((v, c) => v * BigInt(b) + BigInt(parseInt(c, 16)), 0n);
  return { value, length: i + d.length };
}

/**
 * xstrtol_fatal's line (without the program's name): `option` as given, `-j` or
 * `--skip-bytes`.
 */
export function xstrtolMessage(error: XstrtolError, option: string, arg: string): string {
  if (error === 'invalid') return `invalid ${option} argument '${arg}'`;
  if (error === 'suffix') return `invalid suffix in ${option} argument '${arg}'`;
  return `${option} argument '${arg}' too large`;
}
