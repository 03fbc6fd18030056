/**
 * od's output types (`-t TYPE`, and the traditional -a -b -c -d -f -i -l -o -s -x…): how a
 * type string decodes into specs, and how one spec prints a block's fields, as GNU od 9.1 on
 * x86-64 does (int 4 bytes, long 8, long double the x87 80-bit format in 16 bytes).
 */
import type { FloatValue } from '../../../engine/util/c-printf';
import { formatFloat } from '../../../engine/util/c-printf';
import { decomposeDouble } from '../../../engine/util/exact-decimal';
import { strtold } from './printf-format';
import { quoted } from '../context';

export type OdKind = 'd' | 'u' | 'o' | 'x' | 'f' | 'a' | 'c';

export interface OdSpec {
  kind: OdKind;
  /** Bytes per value. */
  size: number;
  /** The widest a value can print, without the blank before it. */
  width: number;
  /** `z`: the bytes as text at the end of the line. */
  trailer: boolean;
  /** Blanks to spread among a line's fields, set once the line width is known. */
  pad: number;
}

/** Digits a value of N bytes needs in each base (od's bytes_to_*_digits tables). */
const WIDTHS: Record<'d' | 'u' | 'o' | 'x', Record<number, number>> = {
  d: { 1: 4, 2: 6, 4: 11, 8: 20 },
  u: { 1: 3, 2: 5, 4: 10, 8: 20 },
  o: { 1: 3, 2: 6, 4: 11, 8: 22 },
  x: { 1: 2, 2: 4, 4: 8, 8: 16 },
};
/** The longest %g a float, a double and a long double can need (FLT/DBL/LDBL_STRLEN_BOUND). */
const FLOAT_WIDTHS: Record<number, number> = { 4: 15, 8: 24, 16: 29 };
const INT_SIZES: Record<string, number> = { C: 1, S: 2, I: 4, L: 8 };
const FLOAT_SIZES: Record<string, number> = { F: 4, D: 8, L: 16 };

/** Decode a whole type string (`x1z`, `dIc`); the error line (without `od: `) when it is bad. */
export function decodeTypes(text: string): OdSpec[] | string {
  const specs: OdSpec[] = [];
  let s = text;
  while (s !== '') {
    const kind = s[0];
    let size: number;
    let rest = s.slice(1);
    if (kind === 'd' || kind === 'o' || kind === 'u' || kind === 'x' || kind === 'f') {
      const named = kind === 'f' ? FLOAT_SIZES : INT_SIZES;
      const m = /^\d*/.exec(rest)![0];
      if (rest[0] !== undefined && named[rest[0]] !== undefined) { size = named[rest[0]]; rest = rest.slice(1); }
      else if (m === '') size = kind === 'f' ? 8 : 4;
      else {
        // Read as an unsigned long: beyond it, the short message.
        const n = BigInt(m);
        if (n > (1n << 64n) - 1n) return `invalid type string ${quoted(text)}`;
        const valid = kind === 'f' ? n === 4n || n === 8n || n === 16n : n === 1n || n === 2n || n === 4n || n === 8n;
        if (!valid) return `invalid type string ${quoted(text)};\nthis system doesn't provide a ${n}-byte ${kind === 'f' ? 'floating point' : 'integral'} type`;
        size = Number(n);
        rest = rest.slice(m.length);
      }
      const width = kind === 'f' ? FLOAT_WIDTHS[size] : WIDTHS[kind][size];
      specs.push({ kind, size, width, trailer: false, pad: 0 });
    } else if (kind === 'a' || kind === 'c') {
      specs.push({ kind, size: 1, width: 3, trailer: false, pad: 0 });
    } else {
      return `invalid character '${kind}' in type string ${quoted(text)}`;
    }
    if (rest[0] === 'z') { specs[specs.length - 1].trailer = true; rest = rest.slice(1); }
    s = rest;
  }
  return specs;
}

/** Names of the control characters for `-t a` (and `sp`). */
const CHAR_NAMES = ['nul', 'soh', 'stx', 'etx', 'eot', 'enq', 'ack', 'bel', 'bs', 'ht', 'nl', 'vt', 'ff', 'cr', 'so', 'si',
  'dle', 'dc1', 'dc2', 'dc3', 'dc4', 'nak', 'syn', 'etb', 'can', 'em', 'sub', 'esc', 'fs', 'gs', 'rs', 'us', 'sp'];
const C_ESCAPES: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

/** isprint() in the C.UTF-8 locale, for a byte: ASCII's printable characters only. */
export const isPrintable = (b: number) => b >= 32 && b < 127;

/**
 * The fields of one spec for a block: `fields` per line, of which the last `blank` are not
 * printed (the end of the input), the line's blanks spread among them as od does: each field
 * right-aligned in its width plus its share of `pad`.
 */
export function formatFields(spec: OdSpec, block: Uint8Array, fields: number, blank: number, swap: boolean): string {
  let out = '';
  let padLeft = spec.pad;
  for (let i = fields, p = 0; i > blank; i--, p += spec.size) {
    const nextPad = Math.floor((spec.pad * (i - 1)) / fields);
    const width = padLeft - nextPad + spec.width;
    out += fieldText(spec, block.subarray(p, p + spec.size), swap).padStart(width);
    padLeft = nextPad;
  }
  return out;
}

function fieldText(spec: OdSpec, bytes: Uint8Array, swap: boolean): string {
  const ordered = swap && spec.size > 1 ? bytes.slice().reverse() : bytes;
  switch (spec.kind) {
    case 'a': {
      const c = ordered[0] & 0x7f;
      return c === 127 ? 'del' : c <= 32 ? CHAR_NAMES[c] : String.fromCharCode(c);
    }
    case 'c': {
      const c = ordered[0];
      return C_ESCAPES[c] ?? (isPrintable(c) ? String.fromCharCode(c) : c.toString(8).padStart(3, '0'));
    }
    case 'f': return floatText(ordered, spec.size);
    default: {
      let v = 0n;
      for (let k = ordered.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(ordered[k]);
      if (spec.kind === 'd') return BigInt.asIntN(spec.size * 8, v).toString();
      if (spec.kind === 'u') return v.toString();
      // %*.Wo and %*.Wx: zero-padded to the width of the largest value.
      return v.toString(spec.kind === 'o' ? 8 : 16).padStart(spec.width, '0');
    }
  }
}

// ---- floats -----------------------------------------------------------------------------------

/** Decimal digits a float/double/long double surely round-trips in, and the least a normal one needs. */
const DIGITS: Record<number, { min: number; max: number }> = { 4: { min: 6, max: 9 }, 8: { min: 15, max: 17 }, 16: { min: 18, max: 21 } };

/**
 * gnulib's ftoastr: the shortest `%.Ng` (from the type's DIG digits; from 1 for a zero or a
 * subnormal) that reads back as the same value.
 */
function floatText(bytes: Uint8Array, size: number): string {
  const v = decodeFloat(bytes, size);
  if (v.kind !== 'finite') return formatFloat({ flags: '', width: null, prec: null, conv: 'g' }, v);
  const { min, max } = DIGITS[size];
  for (let prec = v.subnormal ? 1 : min; ; prec++) {
    const text = formatFloat({ flags: '', width: null, prec, conv: 'g' }, v);
    if (prec >= max || (!v.unreadable && readsBack(text, v, size))) return text;
  }
}

type Decoded = (FloatValue & { kind: 'inf' | 'nan' }) | (FloatValue & { kind: 'finite'; subnormal: boolean; unreadable?: boolean });

/** The value in the bytes (little-endian), sign of a NaN included, as glibc's printf sees it. */
export function decodeFloat(bytes: Uint8Array, size: number): Decoded {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 4 || size === 8) {
    const neg = (bytes[size - 1] & 0x80) !== 0;
    const x = size === 4 ? view.getFloat32(0, true) : view.getFloat64(0, true);
    if (Number.isNaN(x)) return { kind: 'nan', neg };
    if (!Number.isFinite(x)) return { kind: 'inf', neg };
    const smallest = size === 4 ? 2 ** -126 : 2 ** -1022;
    return { kind: 'finite', neg, ...decomposeDouble(Math.abs(x)), subnormal: Math.abs(x) < smallest };
  }
  // The x87 format: a 64-bit significand with an explicit integer bit, 15 bits of exponent.
  const m = view.getBigUint64(0, true);
  const top = view.getUint16(8, true);
  const neg = (top & 0x8000) !== 0;
  const exp = top & 0x7fff;
  const integerBit = (m >> 63n) === 1n;
  if (exp === 0x7fff) return integerBit && (m << 1n) % (1n << 64n) === 0n ? { kind: 'inf', neg } : { kind: 'nan', neg };
  // An exponent without the integer bit (an "unnormal") is an invalid operand: glibc prints nan.
  if (exp !== 0 && !integerBit) return { kind: 'nan', neg };
  // A zero exponent with the integer bit (a "pseudo-denormal"): printf reads the fraction
  // alone, while the FPU's compare sees the bit, so no text ever reads back as it.
  const pseudo = exp === 0 && integerBit;
  return { kind: 'finite', neg, m: pseudo ? m & ((1n << 63n) - 1n) : m, e: 1 - 16383 - 63 + (exp === 0 ? 0 : exp - 1), subnormal: exp === 0 && !pseudo, unreadable: pseudo };
}

/** Whether strtof/strtod/strtold of the text gives the value back. */
function readsBack(text: string, v: FloatValue & { kind: 'finite' }, size: number): boolean {
  if (size === 8 || size === 4) {
    const x = Number(text);
    const back = size === 4 ? Math.fround(x) : x;
    const { m, e } = decomposeDouble(Math.abs(back));
    return sameValue(m, e, v.m, v.e);
  }
  const r = strtold(text).value;
  if (r.kind !== 'finite') return false;
  const { m, e } = longDoubleSubnormal(r.m, r.e);
  return sameValue(m, e, v.m, v.e);
}

/** A long double below 2^-16382 keeps only the bits above 2^-16445: round there, halves to even. */
function longDoubleSubnormal(m: bigint, e: number): { m: bigint; e: number } {
  const floor = -16445;
  if (m === 0n || e >= floor) return { m, e };
  const drop = BigInt(floor - e);
  if (drop > 70n) return { m: 0n, e: 0 };
  let kept = m >> drop;
  const rest = m & ((1n << drop) - 1n);
  const half = 1n << (drop - 1n);
  if (rest > half || (rest === half && (kept & 1n) === 1n)) kept++;
  return { m: kept, e: floor };
}

/** m1·2^e1 = m2·2^e2. */
function sameValue(m1: bigint, e1: number, m2: bigint, e2: number): boolean {
  if (m1 === 0n || m2 === 0n) return m1 === m2;
  return e1 <= e2 ? m1 === m2 << BigInt(e2 - e1) : m1 << BigInt(e1 - e2) === m2;
}
