/**
 * awk's number ↔ text conversions and its printf, as mawk does them with C's: numbers read
 * with strtod (leading blanks, a sign, decimal or 0x hex, inf/nan), printed with glibc's
 * rounding (the exact binary value, halves to even — `%.0f` of 2.5 is 2, which JS's toFixed
 * gets wrong), and integers as a C `int` would hold them (mawk's %d clamps to ±2147483647).
 */
import { decomposeDouble } from '../../../engine/util/exact-decimal';
import { type ConvSpec, type FloatValue, formatFloat, formatInt, pad } from '../../../engine/util/c-printf';

/** mawk's largest integer: whole numbers within ±this print as integers, beyond it via OFMT. */
export const MAX_INT = 2147483647;

/** strtod's reading of a string: the value of its longest numeric prefix (0 if none). */
export function strtod(s: string): number {
  const m = /^[ \t\n\v\f\r]*([-+]?)(?:(0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][-+]?\d+)?)|((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(inf(?:inity)?|nan))/i.exec(s);
  if (!m) return 0;
  const neg = m[1] === '-';
  let v: number;
  if (m[2]) v = hexFloat(m[2]);
  else if (m[3]) v = Number(m[3]);
  else v = m[4].toLowerCase() === 'nan' ? NaN : Infinity;
  return neg ? -v : v;
}

function hexFloat(s: string): number {
  const m = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([-+]?\d+))?$/.exec(s)!;
  let v = 0;
  for (const d of m[1]) v = v * 16 + parseInt(d, 16);
  let scale = 1 / 16;
  for (const d of m[2]) { v += parseInt(d, 16) * scale; scale /= 16; }
  return v * 2 ** Number(m[3] ?? 0);
}

/** Whether a string from the input looks like a number (POSIX's "numeric string"): decimal only. */
export function looksNumeric(s: string): boolean {
  return /^[ \t\n\v\f\r]*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[ \t\n\v\f\r]*$/.test(s);
}

/** A double as mawk's %d takes it: truncated, clamped to a C int's range (but not INT_MIN). */
export function toCInt(v: number): number {
  if (Number.isNaN(v)) return MAX_INT;
  if (v >= MAX_INT) return MAX_INT;
  if (v <= -MAX_INT) return -MAX_INT;
  return Math.trunc(v);
}

/** %d %i %o %x %X %u of a double: %d/%i as a C int, the others clamped to an unsigned int (negatives are 0), as mawk converts. */
function formatAwkInt(spec: ConvSpec, v: number): string {
  const signed = spec.conv === 'd' || spec.conv === 'i';
  const n = signed ? toCInt(v) : Number.isNaN(v) || v <= 0 ? 0 : v >= 4294967295 ? 4294967295 : Math.trunc(v);
  return formatInt(spec, BigInt(n));
}

/** A double for %e %f %g: a NaN from arithmetic has its sign bit set on x86, and glibc prints it (-nan). */
function floatValue(v: number): FloatValue {
  if (Number.isNaN(v)) return { kind: 'nan', neg: true };
  const neg = v < 0 || Object.is(v, -0);
  if (!Number.isFinite(v)) return { kind: 'inf', neg };
  return { kind: 'finite', neg, ...decomposeDouble(Math.abs(v)) };
}

/** One printf argument: what %d/%f see and what %s/%c see. */
export interface FmtArg { num(): number; str(): string; isNumber: boolean }

export class FormatError extends Error {}

/** awk's printf/sprintf over `args`; throws FormatError when arguments run out (mawk stops there). */
export function awkSprintf(format: string, args: FmtArg[], onPartial?: (text: string) => void): string {
  let out = '';
  let argi = 0;
  const nextArg = (): FmtArg => {
    if (argi >= args.length) {
      onPartial?.(out);
      throw new FormatError(`not enough arguments passed to ${onPartial ? 'printf' : 'sprintf'}("${format}")`);
    }
    return args[argi++];
  };
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== '%') { out += ch; continue; }
    const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([hlLqjzt]*)([a-zA-Z%])?/.exec(format.slice(i));
    if (!m || !m[5]) { out += format.slice(i); break; }
    i += m[0].length - 1;
    const conv = m[5];
    if (conv === '%') { out += '%'; continue; }
    let flags = m[1];
    let width = 0;
    if (m[2] === '*') {
      width = toCInt(nextArg().num());
      if (width < 0) { flags += '-'; width = -width; }
    } else if (m[2]) width = Number(m[2]);
    let prec: number | null = null;
    if (m[3] !== undefined) {
      if (m[3] === '*') { prec = toCInt(nextArg().num()); if (prec < 0) prec = null; } else prec = Number(m[3] || '0');
    }
    const spec: ConvSpec = { flags, width, prec, conv };
    switch (conv) {
      case 'd': case 'i': case 'o': case 'x': case 'X': case 'u':
        out += formatAwkInt(spec, nextArg().num());
        break;
      case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        out += formatFloat(spec, floatValue(nextArg().num()));
        break;
      case 'c': {
        const a = nextArg();
        // A number is a character code; a string gives its first character (NUL for an empty one, as C's %c of its terminator).
        const text = a.isNumber ? String.fromCharCode(toCInt(a.num()) & 0xff) : a.str().slice(0, 1) || '\0';
        out += pad({ ...spec, prec: null }, '', text, false);
        break;
      }
      case 's': {
        let text = nextArg().str();
        if (prec !== null) text = text.slice(0, prec);
        out += pad(spec, '', text, false);
        break;
      }
      default:
        throw new FormatError(`bad conversion: ${m[0]}`);
    }
  }
  return out;
}

/** A number as text, the way mawk converts it for output (OFMT) or concatenation (CONVFMT). */
export function numberToString(v: number, fmt: string): string {
  if (Number.isInteger(v) && v >= -MAX_INT && v <= MAX_INT) return String(v === 0 ? 0 : v);
  if (Number.isNaN(v)) return '-nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  try {
    return awkSprintf(fmt, [{ num: () => v, str: () => String(v), isNumber: true }]);
  } catch {
    return String(v);
  }
}
