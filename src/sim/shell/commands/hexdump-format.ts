/**
 * hexdump's format strings (util-linux 2.38's, from BSD): `-e '"%07.7_ax " 8/2 "%04x " "\n"'`.
 * A format string is a list of format units — an optional `reps/bytes` count and a quoted
 * printf-like format — and each unit is cut into print units, one per conversion with the
 * text before it (text after the last conversion is a unit of its own). The predefined -b -c
 * -C -d -o -x are such strings. Conversions: %d %i %o %u %x %X on 1, 2, 4 or 8 bytes, %e %f %g
 * %E %G on 4 or 8, %c, %s with a precision or a byte count, and hexdump's own %_a[dox] (the
 * address), %_A[dox] (the address after the end), %_c, %_p, %_u.
 */
import type { ConvSpec, FloatValue } from '../../../engine/util/c-printf';
import { formatFloat, formatInt, pad } from '../../../engine/util/c-printf';
import { decodeFloat } from './od-format';

export type PrintKind = 'text' | 'address' | 'blank' | 'escaped' | 'char' | 'float' | 'int' | 'printable' | 'string' | 'uint' | 'named';

export interface PrintUnit {
  kind: PrintKind;
  /** The text before the conversion (all of it for a text unit). */
  text: string;
  /** The conversion as printf reads it (null for text). */
  spec: ConvSpec | null;
  /** Bytes it consumes. */
  bytes: number;
  /** The last character is a blank left out on the unit's last repetition (text only). */
  noSpaceLast: boolean;
}

export interface FormatUnit {
  reps: number;
  /** Bytes per repetition (0 until counted). */
  bytes: number;
  /** A repetition count was written (the last unit is not stretched to the block). */
  repsGiven: boolean;
  /** Holds %_A: printed once, after the data, not with each block. */
  atEnd: boolean;
  format: string;
  units: PrintUnit[];
}

export interface FormatString { units: FormatUnit[]; bytes: number }

/** A message hexdump dies with (`bad format {x}`). */
export class FormatError extends Error {}

const isSpace = (c: string | undefined) => c !== undefined && ' \t\n\v\f\r'.includes(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function skipSpace(s: string, i: number): number {
  while (isSpace(s[i])) i++;
  return i;
}

/** add_fmt: split a -e string into format units. */
export function parseFormat(fmt: string): FormatString {
  const fs: FormatString = { units: [], bytes: 0 };
  const bad = () => new FormatError(`bad format {${fmt}}`);
  let p = 0;
  for (;;) {
    p = skipSpace(fmt, p);
    if (p >= fmt.length) break;
    const fu: FormatUnit = { reps: 1, bytes: 0, repsGiven: false, atEnd: false, format: '', units: [] };
    fs.units.push(fu);
    if (isDigit(fmt[p])) {
      const start = p;
      while (isDigit(fmt[p])) p++;
      if (!isSpace(fmt[p]) && fmt[p] !== '/') throw bad();
      fu.reps = atoi(fmt.slice(start, p));
      fu.repsGiven = true;
      p = skipSpace(fmt, p + 1);
    }
    if (fmt[p] === '/') p = skipSpace(fmt, p + 1);
    if (isDigit(fmt[p])) {
      const start = p;
      while (isDigit(fmt[p])) p++;
      if (!isSpace(fmt[p])) throw bad();
      fu.bytes = atoi(fmt.slice(start, p));
      p = skipSpace(fmt, p + 1);
    }
    if (fmt[p] !== '"') throw bad();
    const end = fmt.indexOf('"', p + 1);
    if (end < 0) throw bad();
    fu.format = unescape(fmt.slice(p + 1, end));
    p = end + 1;
  }
  fs.bytes = blockSize(fs);
  return fs;
}

/** atoi: the digits as an int (wrapping past 2^31, as C's does in practice). */
function atoi(digits: string): number {
  return Number(BigInt.asIntN(32, BigInt(digits)));
}

/**
 * Backslash escapes in a format, done in place as hexdump does: \a \b \f \n \r \t \v, any
 * other escaped character stands for itself. Once an escape has shortened the text, a plain
 * character is not moved back (hexdump's copy only writes escapes), so `"a\tb\\"` comes out as
 * a, a tab, t and a backslash: the old character stays where the write position lags.
 */
function unescape(s: string): string {
  const named: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  const buf = [...s];
  let p1 = 0;
  let p2 = 0;
  while (p1 < buf.length) {
    if (buf[p1] === '\\') {
      p1++;
      // A backslash at the very end: the terminator is "escaped", and the text ends there.
      if (p1 >= buf.length) return buf.slice(0, p2).join('');
      buf[p2] = named[buf[p1]] ?? buf[p1];
    }
    p1++;
    p2++;
  }
  return buf.slice(0, p2).join('');
}

/** The flags, width and precision hexdump skips over to find a conversion character. */
const SPEC_CHARS = '.#-+ 0123456789';

/** block_size: the bytes one pass of the format string consumes, as counted before rewrite. */
function blockSize(fs: FormatString): number {
  let size = 0;
  for (const fu of fs.units) {
    if (fu.bytes) { size += fu.bytes * fu.reps; continue; }
    let count = 0;
    const f = fu.format;
    for (let i = 0; i < f.length; i++) {
      if (f[i] !== '%') continue;
      i++;
      while (i < f.length && SPEC_CHARS.slice(1).includes(f[i])) i++;
      let prec = 0;
      if (f[i] === '.' && isDigit(f[i + 1])) {
        i++;
        const start = i;
        while (isDigit(f[i])) i++;
        prec = atoi(f.slice(start, i));
      }
      const c = f[i];
      if (c !== undefined && 'diouxX'.includes(c)) count += 4;
      else if (c !== undefined && 'efgEG'.includes(c)) count += 8;
      else if (c === 's') count += prec;
      else if (c === 'c') count++;
      else if (c === '_') { i++; if (f[i] !== undefined && 'cpu'.includes(f[i])) count++; }
    }
    size += count * fu.reps;
  }
  return size;
}

/** printf's reading of a conversion's flags, width and precision. */
function convSpec(body: string, conv: string): ConvSpec {
  const m = /^([-+ #0]*)(\d*)(?:\.(\d*))?/.exec(body)!;
  return { flags: m[1], width: m[2] ? Number(m[2]) : null, prec: m[3] !== undefined ? Number(m[3] || 0) : null, conv };
}

/**
 * rewrite_rules: cut each format unit into print units, check the conversions and byte counts
 * (FormatError with hexdump's words), stretch the last unit over the block, and mark the blank
 * a repeated unit leaves off at its end.
 */
export function rewrite(fs: FormatString, blocksize: number): void {
  for (const fu of fs.units) {
    let nconv = 0;
    let rest = fu.format;
    while (rest !== '') {
      const pct = rest.indexOf('%');
      if (pct < 0) { fu.units.push({ kind: 'text', text: rest, spec: null, bytes: 0, noSpaceLast: false }); break; }
      const text = rest.slice(0, pct);
      let p = pct + 1;
      let prec: number | null = null;
      if (fu.bytes) {
        while (p < rest.length && SPEC_CHARS.includes(rest[p])) p++;
      } else {
        while (p < rest.length && SPEC_CHARS.slice(1).includes(rest[p])) p++;
        if (rest[p] === '.' && isDigit(rest[p + 1])) {
          p++;
          const start = p;
          while (isDigit(rest[p])) p++;
          prec = atoi(rest.slice(start, p));
        } else if (rest[p] === '.') p++;
      }
      const body = rest.slice(pct + 1, p);
      const c = rest[p] ?? '';
      let next = p + 1;
      const unit: PrintUnit = { kind: 'text', text, spec: null, bytes: 0, noSpaceLast: false };
      const byteCount = (allowed: number[], fallback: number, shown: string) => {
        if (fu.bytes === 0) return fallback;
        if (allowed.includes(fu.bytes)) return fu.bytes;
        throw new FormatError(`bad byte count for conversion character ${shown}`);
      };
      if (c === 'c') {
        unit.kind = 'char';
        unit.bytes = byteCount([1], 1, c);
        unit.spec = convSpec(body, 'c');
      } else if (c === 'd' || c === 'i' || c === 'o' || c === 'u' || c === 'x' || c === 'X') {
        unit.kind = c === 'd' || c === 'i' ? 'int' : 'uint';
        unit.bytes = byteCount([1, 2, 4, 8], 4, c);
        unit.spec = convSpec(body, c);
      } else if (c === 'e' || c === 'f' || c === 'g' || c === 'E' || c === 'G') {
        unit.kind = 'float';
        unit.bytes = byteCount([4, 8], 8, c);
        unit.spec = convSpec(body, c);
      } else if (c === 's') {
        unit.kind = 'string';
        if (fu.bytes) unit.bytes = fu.bytes;
        else if (prec !== null) unit.bytes = prec;
        else throw new FormatError('%s requires a precision or a byte count');
        unit.spec = convSpec(body, 's');
      } else if (c === '_') {
        const d = rest[p + 1] ?? '';
        next = p + 2;
        if (d === 'A' || d === 'a') {
          if (d === 'A') fu.atEnd = true;
          const radix = rest[p + 2] ?? '';
          if (radix === '' || !'dox'.includes(radix)) throw new FormatError(`bad conversion character %_${d}${radix}`);
          next = p + 3;
          unit.kind = 'address';
          unit.spec = convSpec(body, radix);
        } else if (d === 'c' || d === 'p' || d === 'u') {
          unit.kind = d === 'c' ? 'escaped' : d === 'p' ? 'printable' : 'named';
          unit.bytes = byteCount([1], 1, `_${d}`);
          unit.spec = convSpec(body, 'c');
        } else if (d === 'L') {
          throw new FormatError('color specifications (%_L) are not available on this simulated host');
        } else throw new FormatError(`bad conversion character %_${d}`);
      } else {
        throw new FormatError(`bad conversion character %${c}`);
      }
      fu.units.push(unit);
      rest = rest.slice(next);
      if (unit.kind !== 'address' && fu.bytes && nconv++) throw new FormatError('byte count with multiple conversion characters');
    }
    if (!fu.bytes) fu.bytes = fu.units.reduce((n, u) => n + u.bytes, 0);
  }
  fs.units.forEach((fu, i) => {
    if (i === fs.units.length - 1 && fs.bytes < blocksize && !fu.repsGiven && fu.bytes) fu.reps += Math.trunc((blocksize - fs.bytes) / fu.bytes);
    const last = fu.units[fu.units.length - 1];
    if (fu.reps > 1 && last && isSpace(last.spec === null ? last.text[last.text.length - 1] : undefined)) last.noSpaceLast = true;
  });
}

/**
 * bpad: past the end of the data, a conversion prints blanks as wide as its field (its flags
 * dropped, `%s` of nothing).
 */
export function toBlank(unit: PrintUnit): void {
  unit.kind = 'blank';
  unit.spec = { flags: '', width: unit.spec?.width ?? null, prec: unit.spec?.prec ?? null, conv: 's' };
}

/** isprint() in the C.UTF-8 locale, for a byte. */
const printable = (b: number) => b >= 32 && b < 127;

const ESCAPES: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
const NAMES = ['nul', 'soh', 'stx', 'etx', 'eot', 'enq', 'ack', 'bel', 'bs', 'ht', 'lf', 'vt', 'ff', 'cr', 'so', 'si',
  'dle', 'dc1', 'dc2', 'dc3', 'dc4', 'nak', 'syn', 'etb', 'can', 'em', 'sub', 'esc', 'fs', 'gs', 'rs', 'us'];

/**
 * One print unit's text for the bytes at `at` of the block (`bytes` runs past the unit: %s
 * reads on to a NUL), or for the address.
 */
export function printUnit(unit: PrintUnit, bytes: Uint8Array, at: number, address: bigint, noSpace: boolean): string {
  const spec = unit.spec;
  const text = unit.text;
  if (spec === null) return noSpace ? text.slice(0, -1) : text;
  const b = bytes[at] ?? 0;
  const str = (s: string) => pad(spec, '', spec.prec !== null ? s.slice(0, spec.prec) : s, false);
  // %c: glibc pads a character and ignores a precision.
  const chr = (code: number) => pad(spec, '', String.fromCharCode(code), false);
  switch (unit.kind) {
    case 'address': return text + formatInt(spec, address);
    case 'blank': return text + str('');
    case 'char': return text + chr(b);
    case 'printable': return text + chr(printable(b) ? b : 46);
    case 'escaped': {
      if (ESCAPES[b] !== undefined) return text + str(ESCAPES[b]);
      return printable(b) ? text + chr(b) : text + str(b.toString(8).padStart(3, '0'));
    }
    case 'named': {
      if (b <= 0x1f) return text + str(NAMES[b]);
      if (b === 0x7f) return text + str('del');
      if (printable(b)) return text + chr(b);
      return text + formatInt({ ...spec, conv: 'x' }, BigInt(b));
    }
    case 'string': {
      let end = at;
      while (end < bytes.length && bytes[end] !== 0) end++;
      return text + str(String.fromCharCode(...bytes.subarray(at, end)));
    }
    case 'int': case 'uint': {
      let v = 0n;
      for (let k = unit.bytes - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[at + k] ?? 0);
      // Signed conversions see the value sign-extended, as the C code's casts do.
      if (unit.kind === 'int') v = BigInt.asIntN(unit.bytes * 8, v);
      return text + formatInt(spec, v);
    }
    case 'float': {
      const raw = new Uint8Array(unit.bytes);
      for (let k = 0; k < unit.bytes; k++) raw[k] = bytes[at + k] ?? 0;
      const v: FloatValue = decodeFloat(raw, unit.bytes);
      return text + formatFloat(spec, v);
    }
    default: return text;
  }
}
