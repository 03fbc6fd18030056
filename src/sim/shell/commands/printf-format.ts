/**
 * bash's `printf` builtin: its format language (flags, `*` widths and precisions, length
 * modifiers skipped, backslash escapes, %b and %q) and C's conversions. Numbers are read as bash
 * reads them — strtoimax with 0x/0 prefixes and `'c` character codes for integers, strtold for
 * floats — and floats are rounded exactly as glibc rounds an 80-bit long double (bash's
 * floatmax_t), so `printf '%.1f' 0.15` prints 0.2 as on Linux, not 0.1 as a JS double would.
 * The output is bytes (the simulation's strings are byte strings).
 */
import { utf8Chars } from './operands';
import { type ConvSpec, type FloatValue, formatFloat, formatInt, pad } from '../../../engine/util/c-printf';
import { ansiCQuote } from '../xtrace';

export interface PrintfResult {
  /**
   * What to write, in order: diagnostics (fd 2, without the `bash: printf: ` prefix) as they
   * happen, the output (fd 1) as bash's line-buffered stdout lets it out.
   */
  pieces: { fd: 1 | 2; text: string }[];
  status: number;
}

// ---- numbers as bash reads them -----------------------------------------------------------

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/** The code of the character after a leading quote (`'A` is 65), as a UTF-8 locale decodes it. */
function charCode(arg: string): bigint {
  const c = utf8Chars(arg.slice(1))[0];
  if (c === undefined) return 0n;
  if (c.length === 1) return BigInt(c.charCodeAt(0));
  const bytes = Array.from(c, (x) => x.charCodeAt(0));
  const lead = bytes[0] & (c.length === 2 ? 0x1f : c.length === 3 ? 0x0f : 0x07);
  return BigInt(bytes.slice(1).reduce((v, b) => (v << 6) | (b & 0x3f), lead));
}

/** strtoimax/strtoumax with base 0: the value of the longest valid prefix and what is left. */
function strtoint(s: string): { value: bigint; rest: string } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?=[0-9a-fA-F])[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (!m) return { value: 0n, rest: s };
  const digits = m[2];
  let v: bigint;
  if (/^0[xX]/.test(digits)) v = BigInt(digits);
  else if (digits.length > 1 && digits[0] === '0') v = BigInt('0o' + digits.slice(1));
  else v = BigInt(digits);
  return { value: m[1] === '-' ? -v : v, rest: s.slice(m[0].length) };
}

/** bash's message for an argument that is not entirely a number. */
function invalidNumber(arg: string): string {
  if (arg[0] === '0' && /[0-9]/.test(arg[1] ?? '')) return `${arg}: invalid octal number`;
  if (arg[0] === '0' && arg[1] === 'x') return `${arg}: invalid hex number`;
  return `${arg}: invalid number`;
}


const bitLength = (n: bigint) => (n === 0n ? 0 : n.toString(2).length);

/** Round num/den (both positive) to a 64-bit significand, halves to even: the nearest long double. */
function toLongDouble(neg: boolean, num: bigint, den: bigint): { value: FloatValue; range: boolean } {
  if (num === 0n) return { value: { kind: 'finite', neg, m: 0n, e: 0 }, range: false };
  let e = bitLength(num) - bitLength(den) - 64;
  let q = 0n;
  let r = 0n;
  let d = den;
  for (;;) {
    const n = e < 0 ? num << BigInt(-e) : num;
    d = e > 0 ? den << BigInt(e) : den;
    q = n / d;
    r = n % d;
    if (q >= 1n << 64n) { e++; continue; }
    if (q < 1n << 63n) { e--; continue; }
    break;
  }
  if (2n * r > d || (2n * r === d && (q & 1n) === 1n)) q++;
  if (q === 1n << 64n) { q >>= 1n; e++; }
  // The long double's range: 2^16384 overflows; below the smallest subnormal it is zero.
  if (e + 64 > 16384) return { value: { kind: 'inf', neg }, range: true };
  if (e + 64 < -16445) return { value: { kind: 'finite', neg, m: 0n, e: 0 }, range: true };
  return { value: { kind: 'finite', neg, m: q, e }, range: false };
}

/** strtold: the longest valid prefix as a long double, what is left, and whether it was out of range. */
export function strtold(s: string): { value: FloatValue; rest: string; range: boolean } {
  let m = /^[ \t\n\v\f\r]*([+-]?)(inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)/i.exec(s);
  if (m) return { value: { kind: m[2][0].toLowerCase() === 'i' ? 'inf' : 'nan', neg: m[1] === '-' }, rest: s.slice(m[0].length), range: false };
  m = /^[ \t\n\v\f\r]*([+-]?)0[xX]((?:[0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/.exec(s);
  if (m) {
    const [whole, frac = ''] = m[2].split('.');
    const mant = BigInt('0x' + ((whole + frac) || '0'));
    const exp2 = Number(m[3] ?? 0) - 4 * frac.length;
    const r = exp2 >= 0 ? toLongDouble(m[1] === '-', mant << BigInt(Math.min(exp2, 20000)), 1n) : toLongDouble(m[1] === '-', mant, 1n << BigInt(Math.min(-exp2, 20000)));
    return { ...r, rest: s.slice(m[0].length) };
  }
  m = /^[ \t\n\v\f\r]*([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?/.exec(s);
  if (!m) return { value: { kind: 'finite', neg: false, m: 0n, e: 0 }, rest: s, range: false };
  const neg = m[1] === '-';
  const [whole, frac = ''] = m[2].split('.');
  const digits = BigInt((whole + frac) || '0');
  const exp10 = Number(m[3] ?? 0) - frac.length;
  const rest = s.slice(m[0].length);
  const magnitude = (whole + frac).replace(/^0+/, '').length + exp10;
  // Far outside the long double's range (about 1e±4932): no need for huge powers of ten.
  if (digits !== 0n && magnitude > 4940) return { value: { kind: 'inf', neg }, rest, range: true };
  if (digits !== 0n && magnitude < -4960) return { value: { kind: 'finite', neg, m: 0n, e: 0 }, rest, range: true };
  const r = exp10 >= 0 ? toLongDouble(neg, digits * 10n ** BigInt(exp10), 1n) : toLongDouble(neg, digits, 10n ** BigInt(-exp10));
  return { ...r, rest };
}

// ---- escapes ------------------------------------------------------------------------------

/** A code point as UTF-8 bytes (LANG is C.UTF-8). */
function utf8Bytes(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/**
 * One backslash escape at s[i] (a backslash). In the format `\NNN` has up to three octal
 * digits; in a %b argument `\0NNN` has up to three after the 0, and `\c` ends all output.
 * Returns the bytes, how many characters were used, and whether output stops.
 */
function escapeAt(s: string, i: number, inArg: boolean, errors: { push(text: string): void }): { text: string; used: number; stop: boolean } {
  const c = s[i + 1];
  if (c === undefined) return { text: '\\', used: 1, stop: false };
  if (c in SIMPLE_ESCAPES) return { text: SIMPLE_ESCAPES[c], used: 2, stop: false };
  if (inArg && c === 'c') return { text: '', used: 2, stop: true };
  if (c >= '0' && c <= '7') {
    const start = inArg && c === '0' ? i + 2 : i + 1;
    const m = /^[0-7]{0,3}/.exec(s.slice(start, start + 3))![0];
    return { text: String.fromCharCode(parseInt(m || '0', 8) & 0xff), used: start - i + m.length, stop: false };
  }
  if (c === 'x' || c === 'u' || c === 'U') {
    const max = c === 'x' ? 2 : c === 'u' ? 4 : 8;
    const m = new RegExp(`^[0-9a-fA-F]{0,${max}}`).exec(s.slice(i + 2))![0];
    if (!m) {
      errors.push(c === 'x' ? 'missing hex digit for \\x' : `missing unicode digit for \\${c}`);
      return { text: '\\' + c, used: 2, stop: false };
    }
    const v = parseInt(m, 16);
    return { text: c === 'x' ? String.fromCharCode(v) : utf8Bytes(v), used: 2 + m.length, stop: false };
  }
  return { text: '\\' + c, used: 2, stop: false };
}

function expandEscapes(s: string, errors: { push(text: string): void }): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') { out += s[i]; continue; }
    const e = escapeAt(s, i, true, errors);
    out += e.text;
    if (e.stop) return { text: out, stop: true };
    i += e.used - 1;
  }
  return { text: out, stop: false };
}

/** %q: quote for reuse as shell input, with backslashes, or $'…' when there are control characters. */
function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/[\x00-\x1f\x7f]/.test(s)) return ansiCQuote(s);
  return Array.from(s, (c, i) => (/[ \t'"\\|&;()<>!{}*[\]?$`^,]/.test(c) || ((c === '~' || c === '#') && i === 0) ? '\\' + c : c)).join('');
}

// ---- the builtin --------------------------------------------------------------------------

export function bashPrintf(format: string, args: string[]): PrintfResult {
  const pieces: PrintfResult['pieces'] = [];
  let out = '';
  // bash's stdout is line-buffered: the complete lines written so far go out before a message.
  const errors = {
    push: (text: string) => {
      const upTo = out.lastIndexOf('\n') + 1;
      if (upTo > 0) { pieces.push({ fd: 1, text: out.slice(0, upTo) }); out = out.slice(upTo); }
      pieces.push({ fd: 2, text });
    },
  };
  let status = 0;
  const done = (code: number): PrintfResult => {
    if (out) pieces.push({ fd: 1, text: out });
    return { pieces, status: code };
  };
  let ai = 0;
  const nextArg = (): string | undefined => (ai < args.length ? args[ai++] : undefined);
  const intArg = (unsigned: boolean): bigint => {
    const a = nextArg();
    if (a === undefined) return 0n;
    if (a[0] === "'" || a[0] === '"') return charCode(a);
    const { value, rest } = strtoint(a);
    let v = value;
    if (rest !== '') { errors.push(invalidNumber(a)); status = 1; }
    const [lo, hi] = unsigned ? [-UINT64_MAX, UINT64_MAX] : [INT64_MIN, INT64_MAX];
    if (v > hi || v < lo) {
      v = unsigned ? UINT64_MAX : v > hi ? INT64_MAX : INT64_MIN;
      if (rest === '') errors.push(`warning: ${a}: Numerical result out of range`);
    }
    return v;
  };
  const floatArg = (): FloatValue => {
    const a = nextArg();
    if (a === undefined) return { kind: 'finite', neg: false, m: 0n, e: 0 };
    if (a[0] === "'" || a[0] === '"') {
      const code = charCode(a);
      return code === 0n ? { kind: 'finite', neg: false, m: 0n, e: 0 } : toLongDouble(false, code, 1n).value;
    }
    const r = strtold(a);
    if (r.rest !== '') { errors.push(invalidNumber(a)); status = 1; }
    else if (r.range) errors.push(`warning: ${a}: Numerical result out of range`);
    return r.value;
  };
  /** A `*` width or precision: an int argument (bash's getint). */
  const starArg = (): number => Number(BigInt.asIntN(32, intArg(false)));

  for (;;) {
    const before = ai;
    for (let i = 0; i < format.length; i++) {
      const ch = format[i];
      if (ch === '\\') {
        const e = escapeAt(format, i, false, errors);
        out += e.text;
        i += e.used - 1;
        continue;
      }
      if (ch !== '%') { out += ch; continue; }
      const start = i;
      i++;
      if (format[i] === '%') { out += '%'; continue; }
      let flags = '';
      while (i < format.length && "#'-+ 0".includes(format[i])) flags += format[i++];
      let width: number | null = null;
      if (format[i] === '*') {
        i++;
        width = starArg();
        if (width < 0) { flags += '-'; width = -width; }
      } else {
        const m = /^\d*/.exec(format.slice(i))![0];
        if (m) width = Number(m);
        i += m.length;
      }
      let prec: number | null = null;
      if (format[i] === '.') {
        i++;
        if (format[i] === '*') {
          i++;
          prec = starArg();
          // A negative precision counts as none.
          if (prec < 0) prec = null;
        } else {
          const m = /^\d*/.exec(format.slice(i))![0];
          prec = Number(m || '0');
          i += m.length;
        }
      }
      while (i < format.length && 'hjlLtz'.includes(format[i])) i++;
      if (i >= format.length) {
        errors.push(`\`${format.slice(start)}': missing format character`);
        return done(1);
      }
      const spec: ConvSpec = { flags, width, prec, conv: format[i] };
      switch (spec.conv) {
        case 's': {
          const a = nextArg() ?? '';
          out += pad(spec, '', spec.prec === null ? a : a.slice(0, spec.prec), false);
          break;
        }
        case 'b': {
          const e = expandEscapes(nextArg() ?? '', errors);
          out += pad(spec, '', spec.prec === null ? e.text : e.text.slice(0, spec.prec), false);
          // bash returns success here, even after an invalid number.
          if (e.stop) return done(0);
          break;
        }
        case 'q': {
          const q = shellQuote(nextArg() ?? '');
          out += pad(spec, '', spec.prec === null ? q : q.slice(0, spec.prec), false);
          break;
        }
        case 'c': {
          const a = nextArg();
          // The first byte; a missing or empty argument gives a NUL byte, as in bash.
          out += pad(spec, '', a ? a[0] : '\0', false);
          break;
        }
        // The argument is read (which may report an error, flushing `out`) before `out` grows.
        case 'd': case 'i': {
          const v = intArg(false);
          out += formatInt(spec, v);
          break;
        }
        case 'o': case 'u': case 'x': case 'X': {
          const v = intArg(true);
          out += formatInt(spec, v);
          break;
        }
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A': {
          const v = floatArg();
          out += formatFloat(spec, v);
          break;
        }
        default:
          errors.push(`\`${spec.conv}': invalid format character`);
          return done(1);
      }
    }
    // The format is reused while arguments remain, as long as it consumes some.
    if (ai >= args.length || ai === before) break;
  }
  return done(status);
}
