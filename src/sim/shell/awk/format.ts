/**
 * awk's number ↔ text conversions and its printf, as mawk does them with C's: numbers read
 * with strtod (leading blanks, a sign, decimal or 0x hex, inf/nan), printed with glibc's
 * rounding (the exact binary value, halves to even — `%.0f` of 2.5 is 2, which JS's toFixed
 * gets wrong), and integers as a C `int` would hold them (mawk's %d clamps to ±2147483647).
 */

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

// ---- exact decimal digits of a double -----------------------------------------------------

/** A finite non-negative double as m·2^e with an integer m. */
function decompose(x: number): { m: bigint; e: number } {
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

/** round(x · 10^k) to an integer, halves to even, exactly. */
function scaledRound(x: number, k: number): bigint {
  const { m, e } = decompose(x);
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e); else den <<= BigInt(-e);
  if (k >= 0) num *= 10n ** BigInt(k); else den *= 10n ** BigInt(-k);
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** `prec` digits after the point. */
function fixedDigits(x: number, prec: number): string {
  const digits = scaledRound(x, prec).toString().padStart(prec + 1, '0');
  return prec === 0 ? digits : `${digits.slice(0, -prec)}.${digits.slice(-prec)}`;
}

/** d.ddd (prec digits after the point) and the decimal exponent. */
function scientificDigits(x: number, prec: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(prec + 1), exp: 0 };
  let exp = Math.floor(Math.log10(x));
  let n = scaledRound(x, prec - exp);
  // log10 can be off by one near powers of ten; the rounding can also carry into a new digit.
  if (n >= 10n ** BigInt(prec + 1)) { exp++; n = scaledRound(x, prec - exp); }
  if (n < 10n ** BigInt(prec)) { exp--; n = scaledRound(x, prec - exp); }
  if (n >= 10n ** BigInt(prec + 1)) { exp++; n = scaledRound(x, prec - exp); }
  return { digits: n.toString(), exp };
}

const expText = (exp: number) => (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');

interface Spec { flags: string; width: number; prec: number | null; conv: string }

function pad(spec: Spec, sign: string, body: string, zeroOk: boolean): string {
  const len = sign.length + body.length;
  if (len >= spec.width) return sign + body;
  if (spec.flags.includes('-')) return sign + body + ' '.repeat(spec.width - len);
  if (zeroOk && spec.flags.includes('0')) return sign + '0'.repeat(spec.width - len) + body;
  return ' '.repeat(spec.width - len) + sign + body;
}

function signOf(spec: Spec, negative: boolean): string {
  if (negative) return '-';
  if (spec.flags.includes('+')) return '+';
  return spec.flags.includes(' ') ? ' ' : '';
}

function formatFloat(spec: Spec, v: number): string {
  const c = spec.conv;
  const upper = c === 'E' || c === 'G' || c === 'F';
  // A NaN from arithmetic has its sign bit set on x86, and glibc prints it: -nan.
  const negative = Number.isNaN(v) || v < 0 || Object.is(v, -0);
  const sign = signOf(spec, negative);
  if (!Number.isFinite(v)) {
    const word = Number.isNaN(v) ? 'nan' : 'inf';
    return pad(spec, sign, upper ? word.toUpperCase() : word, false);
  }
  const x = Math.abs(v);
  const alt = spec.flags.includes('#');
  let body: string;
  const lc = c.toLowerCase();
  if (lc === 'f') {
    const prec = spec.prec ?? 6;
    body = fixedDigits(x, prec) + (prec === 0 && alt ? '.' : '');
  } else if (lc === 'e') {
    const prec = spec.prec ?? 6;
    const { digits, exp } = scientificDigits(x, prec);
    body = digits[0] + (prec > 0 || alt ? '.' + digits.slice(1) : '') + 'e' + expText(exp);
  } else {
    const p = spec.prec === null ? 6 : spec.prec === 0 ? 1 : spec.prec;
    const exp = x === 0 ? 0 : scientificDigits(x, p - 1).exp;
    if (p > exp && exp >= -4) {
      body = fixedDigits(x, p - 1 - exp);
      if (alt && !body.includes('.')) body += '.';
    } else {
      const { digits } = scientificDigits(x, p - 1);
      body = digits[0] + (digits.length > 1 || alt ? '.' + digits.slice(1) : '') + 'e' + expText(exp);
    }
    // %g drops trailing zeros (and a bare point) unless #.
    if (!alt) body = body.replace(/\.(\d*?)0+(?=e|$)/, (_m, d: string) => (d ? '.' + d : '')).replace(/\.(?=e|$)/, '');
  }
  if (upper) body = body.toUpperCase();
  return pad(spec, sign, body, true);
}

/** A double as mawk's %d takes it: truncated, clamped to a C int's range (but not INT_MIN). */
export function toCInt(v: number): number {
  if (Number.isNaN(v)) return MAX_INT;
  if (v >= MAX_INT) return MAX_INT;
  if (v <= -MAX_INT) return -MAX_INT;
  return Math.trunc(v);
}

function formatInt(spec: Spec, v: number): string {
  const c = spec.conv;
  let n: number;
  if (c === 'd' || c === 'i') n = toCInt(v);
  // mawk takes %o %x %u from an unsigned conversion that clamps: negatives are 0.
  else n = Number.isNaN(v) || v <= 0 ? 0 : v >= 4294967295 ? 4294967295 : Math.trunc(v);
  const mag = Math.abs(n);
  let digits = c === 'o' ? mag.toString(8) : c === 'x' ? mag.toString(16) : c === 'X' ? mag.toString(16).toUpperCase() : String(mag);
  if (spec.prec !== null) digits = spec.prec === 0 && mag === 0 ? '' : digits.padStart(spec.prec, '0');
  let prefix = c === 'd' || c === 'i' ? signOf(spec, n < 0) : '';
  if (spec.flags.includes('#')) {
    if (c === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    if ((c === 'x' || c === 'X') && mag !== 0) prefix = c === 'x' ? '0x' : '0X';
  }
  return pad(spec, prefix, digits, spec.prec === null);
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
    const spec: Spec = { flags, width, prec, conv };
    switch (conv) {
      case 'd': case 'i': case 'o': case 'x': case 'X': case 'u':
        out += formatInt(spec, nextArg().num());
        break;
      case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        out += formatFloat(spec, nextArg().num());
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
