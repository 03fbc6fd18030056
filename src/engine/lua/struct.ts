/**
 * Roberto Ierusalimschy's struct library (deps/lua/src/lua_struct.c) as Redis 7.0 loads it on
 * x86-64: struct.pack / struct.unpack / struct.size with the format characters
 *   > < ! (big/little endian, alignment)  b B h H l L T i[n] I[n]  f d  c[n] s  x  ' '
 * Native sizes: short 2, int 4, long and size_t 8; native order little-endian; integers are
 * handled in a 64-bit unsigned long, as the C code does.
 */
import {
  LuaTable, LuaFunction, checkNumber, checkString, optInt, toNumber,
  type LuaCallContext, type LuaValue, type NativeFn,
} from './value';
import { doubleToInt64, doubleToUint64 } from './cformat';

const MAXINTSIZE = 32;
/** MAXALIGN: the larger of a double's alignment (8) and sizeof(int). */
const MAXALIGN = 8;
const BIG = 0;
const LITTLE = 1;
const INT_MAX = 2147483647;

interface Header { endian: number; align: number }

/** A cursor over the format string (a C string: it ends at its first NUL). */
class Fmt {
  i = 0;
  constructor(readonly s: string) {}
  peek(): number { return this.i < this.s.length ? this.s.charCodeAt(this.i) : 0; }
}

const isdigit = (c: number) => c >= 48 && c <= 57;
const isalnum = (c: number) => isdigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

function getnum(L: LuaCallContext, f: Fmt, df: number): number {
  if (!isdigit(f.peek())) return df;
  let a = 0;
  do {
    const d = f.peek() - 48;
    if (a > Math.floor(INT_MAX / 10) || a * 10 > INT_MAX - d) L.error('integral size overflow');
    a = a * 10 + d;
    f.i++;
  } while (isdigit(f.peek()));
  return a;
}

function optsize(L: LuaCallContext, opt: number, f: Fmt): number {
  switch (String.fromCharCode(opt)) {
    case 'B': case 'b': return 1;
    case 'H': case 'h': return 2;
    case 'L': case 'l': case 'T': return 8;
    case 'f': return 4;
    case 'd': return 8;
    case 'x': return 1;
    case 'c': return getnum(L, f, 1);
    case 'i': case 'I': {
      const sz = getnum(L, f, 4);
      if (sz > MAXINTSIZE) L.error(`integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
      return sz;
    }
    default: return 0;
  }
}

/** Padding needed to align an item of `size` bytes at offset `len` (bit tricks as in C). */
function gettoalign(len: number, h: Header, opt: number, size: number): number {
  if (size === 0 || opt === 99) return 0; // 'c'
  if (size > h.align) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

function controloptions(L: LuaCallContext, opt: number, f: Fmt, h: Header): void {
  switch (opt) {
    case 32: return; // ' '
    case 62: h.endian = BIG; return; // '>'
    case 60: h.endian = LITTLE; return; // '<'
    case 33: { // '!'
      const a = getnum(L, f, MAXALIGN);
      if (!(a > 0 && (a & (a - 1)) === 0)) L.error(`alignment ${a} is not a power of 2`);
      h.align = a;
      return;
    }
    default:
      // lua_pushfstring's %c of a NUL byte prints nothing.
      L.argError(1, `invalid format option '${opt === 0 ? '' : String.fromCharCode(opt)}'`);
  }
}

const U64 = (1n << 64n) - 1n;

function putinteger(L: LuaCallContext, a: LuaValue[], arg: number, endian: number, size: number): string {
  const n = checkNumber(L, a, arg);
  let value = n < 0 ? BigInt.asUintN(64, doubleToInt64(n)) : doubleToUint64(n);
  const bytes: number[] = new Array(size);
  for (let k = 0; k < size; k++) {
    const idx = endian === LITTLE ? k : size - 1 - k;
    bytes[idx] = Number(value & 0xffn);
    value >>= 8n;
  }
  return String.fromCharCode(...bytes);
}

function getinteger(data: string, pos: number, endian: number, signed: boolean, size: number): number {
  let l = 0n;
  for (let k = 0; k < size; k++) {
    const idx = endian === BIG ? k : size - 1 - k;
    l = ((l << 8n) | BigInt(data.charCodeAt(pos + idx))) & U64;
  }
  if (!signed) return Number(l);
  // The sign mask: x86 masks a 64-bit shift count to its low 6 bits (sizes above 8 bytes).
  const mask = (U64 << BigInt((size * 8 - 1) & 63)) & U64;
  if (l & mask) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

const f32 = new Float32Array(1);
const f32b = new Uint8Array(f32.buffer);
const f64 = new Float64Array(1);
const f64b = new Uint8Array(f64.buffer);

/** Native (little-endian) bytes of a float/double, reversed for big-endian. */
function floatBytes(d: number, size: number, endian: number): string {
  let b: number[];
  if (size === 4) { f32[0] = d; b = [...f32b]; } else { f64[0] = d; b = [...f64b]; }
  if (endian === BIG) b.reverse();
  return String.fromCharCode(...b);
}

function readFloat(data: string, pos: number, size: number, endian: number): number {
  const b: number[] = [];
  for (let k = 0; k < size; k++) b.push(data.charCodeAt(pos + k));
  if (endian === BIG) b.reverse();
  if (size === 4) { f32b.set(b); return f32[0]; }
  f64b.set(b);
  return f64[0];
}

function pack(L: LuaCallContext, args: LuaValue[]): LuaValue[] {
  // b_pack pushes a nil mark after its arguments: the first missing value reads as nil.
  const a = [...args, undefined];
  const f = new Fmt(cstr(checkString(L, a, 0)));
  const h: Header = { endian: LITTLE, align: 1 };
  let arg = 1;
  let totalsize = 0;
  const out: string[] = [];
  while (f.peek() !== 0) {
    const opt = f.s.charCodeAt(f.i++);
    let size = optsize(L, opt, f);
    const toalign = gettoalign(totalsize, h, opt, size);
    totalsize += toalign;
    if (toalign > 0) out.push('\0'.repeat(toalign));
    switch (String.fromCharCode(opt)) {
      case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I':
        out.push(putinteger(L, a, arg++, h.endian, size));
        break;
      case 'x':
        out.push('\0');
        break;
      case 'f': case 'd':
        out.push(floatBytes(checkNumber(L, a, arg++), size, h.endian));
        break;
      case 'c': case 's': {
        const s = checkString(L, a, arg++);
        if (size === 0) size = s.length;
        if (!(s.length >= size)) L.argError(arg + 1, 'string too short'); // C's arg is already the next one
        out.push(s.slice(0, size));
        if (opt === 115) { out.push('\0'); size++; }
        break;
      }
      default:
        controloptions(L, opt, f, h);
    }
    totalsize += size;
  }
  return [out.join('')];
}

function unpack(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  const f = new Fmt(cstr(checkString(L, a, 0)));
  const data = checkString(L, a, 1);
  const ld = data.length;
  const pos0 = optInt(L, a, 2, 1);
  // size_t arithmetic: a negative offset is a huge one, which then fails the length check.
  if (pos0 === 0) L.argError(3, 'offset must be 1 or greater');
  let pos = pos0 - 1;
  const h: Header = { endian: LITTLE, align: 1 };
  const res: LuaValue[] = [];
  while (f.peek() !== 0) {
    const opt = f.s.charCodeAt(f.i++);
    let size = optsize(L, opt, f);
    pos += gettoalign(pos, h, opt, size);
    if (!(size <= ld && pos >= 0 && pos <= ld - size)) L.argError(2, 'data string too short');
    switch (String.fromCharCode(opt)) {
      case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I':
        res.push(getinteger(data, pos, h.endian, opt >= 97, size));
        break;
      case 'x':
        break;
      case 'f': case 'd':
        res.push(readFloat(data, pos, size, h.endian));
        break;
      case 'c': {
        if (size === 0) {
          const prev = res.length ? toNumber(res[res.length - 1]) : undefined;
          if (prev === undefined) L.error("format 'c0' needs a previous size");
          size = Math.trunc(prev as number);
          res.pop();
          if (!(size >= 0 && size <= ld && pos <= ld - size)) L.argError(2, 'data string too short');
        }
        res.push(data.slice(pos, pos + size));
        break;
      }
      case 's': {
        const e = data.indexOf('\0', pos);
        if (e < 0) L.error('unfinished string in data');
        size = e - pos + 1;
        res.push(data.slice(pos, e));
        break;
      }
      default:
        controloptions(L, opt, f, h);
    }
    pos += size;
  }
  res.push(pos + 1);
  return res;
}

function size(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  const f = new Fmt(cstr(checkString(L, a, 0)));
  const h: Header = { endian: LITTLE, align: 1 };
  let pos = 0;
  while (f.peek() !== 0) {
    const opt = f.s.charCodeAt(f.i++);
    const sz = optsize(L, opt, f);
    pos += gettoalign(pos, h, opt, sz);
    if (opt === 115) L.argError(1, "option 's' has no fixed size");
    else if (opt === 99 && sz === 0) L.argError(1, "option 'c0' has no fixed size");
    if (!isalnum(opt)) controloptions(L, opt, f, h);
    pos += sz;
  }
  return [pos];
}

function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

const FUNCTIONS: Record<string, NativeFn> = { pack, unpack, size };

/** luaopen_struct: the `struct` table. */
export function openStruct(L: { globals: LuaTable }): LuaTable {
  const lib = new LuaTable();
  for (const [name, fn] of Object.entries(FUNCTIONS)) lib.set(name, new LuaFunction(name, fn));
  L.globals.set('struct', lib);
  return lib;
}
