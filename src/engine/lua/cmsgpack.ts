/**
 * lua-cmsgpack 0.4.0 (deps/lua/src/lua_cmsgpack.c) as Redis 7.0 loads it: cmsgpack.pack,
 * unpack, unpack_one and unpack_limit, byte for byte. Integers take the smallest encoding;
 * other numbers are a float when the float holds them exactly, else a double; a table is an
 * array when its keys are exactly 1..n, else a map (in `next` order); tables nested 16 deep
 * encode as nil.
 */
import {
  LuaError, LuaTable, LuaFunction, checkString, checkInt, optInt, toInteger,
  type LuaCallContext, type LuaValue, type NativeFn,
} from './value';

const MAX_NESTING = 16;
/** LUAI_MAXCSTACK: a C function's stack slots. */
const MAX_C_STACK = 8000;
const INT_MAX = 2147483647;

const f32 = new Float32Array(1);
const f32b = new Uint8Array(f32.buffer);
const f64 = new Float64Array(1);
const f64b = new Uint8Array(f64.buffer);

function beBytes(v: bigint, n: number): string {
  let s = '';
  for (let i = n - 1; i >= 0; i--) s += String.fromCharCode(Number((v >> BigInt(8 * i)) & 0xffn));
  return s;
}

function beNum(v: number, n: number): string {
  let s = '';
  for (let i = n - 1; i >= 0; i--) s += String.fromCharCode(Math.floor(v / 2 ** (8 * i)) & 0xff);
  return s;
}

function encodeBytes(s: string): string {
  const len = s.length;
  if (len < 32) return String.fromCharCode(0xa0 | len) + s;
  if (len <= 0xff) return '\xd9' + beNum(len, 1) + s;
  if (len <= 0xffff) return '\xda' + beNum(len, 2) + s;
  return '\xdb' + beNum(len, 4) + s;
}

function encodeDouble(d: number): string {
  if (d === Math.fround(d)) {
    f32[0] = d;
    return '\xca' + String.fromCharCode(f32b[3], f32b[2], f32b[1], f32b[0]);
  }
  f64[0] = d;
  return '\xcb' + String.fromCharCode(f64b[7], f64b[6], f64b[5], f64b[4], f64b[3], f64b[2], f64b[1], f64b[0]);
}

function encodeInt(n: number): string {
  if (n >= 0) {
    if (n <= 127) return String.fromCharCode(n);
    if (n <= 0xff) return '\xcc' + beNum(n, 1);
    if (n <= 0xffff) return '\xcd' + beNum(n, 2);
    if (n <= 0xffffffff) return '\xce' + beNum(n, 4);
    return '\xcf' + beBytes(BigInt(n), 8);
  }
  if (n >= -32) return String.fromCharCode(n & 0xff);
  if (n >= -128) return '\xd0' + String.fromCharCode(n & 0xff);
  if (n >= -32768) return '\xd1' + beBytes(BigInt.asUintN(16, BigInt(n)), 2);
  if (n >= -2147483648) return '\xd2' + beBytes(BigInt.asUintN(32, BigInt(n)), 4);
  return '\xd3' + beBytes(BigInt.asUintN(64, BigInt(n)), 8);
}

function encodeArrayHeader(n: number): string {
  if (n <= 15) return String.fromCharCode(0x90 | n);
  if (n <= 65535) return '\xdc' + beNum(n, 2);
  return '\xdd' + beNum(n % 2 ** 32, 4);
}

function encodeMapHeader(n: number): string {
  if (n <= 15) return String.fromCharCode(0x80 | n);
  if (n <= 65535) return '\xde' + beNum(n, 2);
  return '\xdf' + beNum(n % 2 ** 32, 4);
}

/** (int)n == n on x86-64 (cvttsd2si 32-bit gives INT_MIN out of range). */
function isIntEquivalent(n: number): boolean {
  if (!Number.isFinite(n)) return false;
  const i = n > -2147483649 && n < 2147483648 ? Math.trunc(n) : -2147483648;
  return i === n;
}

/** !isinf(x) && (int64_t)x == x. */
function isInt64Equivalent(n: number): boolean {
  if (!Number.isFinite(n)) return false;
  return toInteger(n) === n;
}

/** A list of all the table's keys in `next` order (raw traversal). */
function tableKeys(t: LuaTable): LuaValue[] {
  const keys: LuaValue[] = [];
  let k: LuaValue = undefined;
  for (;;) {
    const r = t.next(k);
    if (r === null || r[0] === undefined) return keys;
    k = r[0];
    keys.push(k);
  }
}

function tableIsArray(t: LuaTable): boolean {
  let count = 0;
  let max = 0;
  for (const k of tableKeys(t)) {
    if (typeof k !== 'number' || k <= 0 || !isIntEquivalent(k)) return false;
    if (k > max) max = k;
    count++;
  }
  return max === count;
}

function encode(L: LuaCallContext, v: LuaValue, level: number, out: string[]): void {
  if (typeof v === 'string') { out.push(encodeBytes(v)); return; }
  if (typeof v === 'boolean') { out.push(v ? '\xc3' : '\xc2'); return; }
  if (typeof v === 'number') {
    out.push(isInt64Equivalent(v) ? encodeInt(toInteger(v)) : encodeDouble(v));
    return;
  }
  if (v instanceof LuaTable && level !== MAX_NESTING) {
    if (tableIsArray(v)) {
      const len = v.length();
      out.push(encodeArrayHeader(len));
      // lua_gettable: an __index metamethod is honoured here.
      for (let j = 1; j <= len; j++) encode(L, L.index(v, j), level + 1, out);
    } else {
      const keys = tableKeys(v);
      out.push(encodeMapHeader(keys.length));
      for (const k of keys) {
        encode(L, k, level + 1, out);
        encode(L, v.get(k), level + 1, out);
      }
    }
    return;
  }
  out.push('\xc0');
}

function pack(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  if (a.length === 0) L.argError(0, 'MessagePack pack needs input.');
  const out: string[] = [];
  for (const v of a) encode(L, v, 0, out);
  return [out.join('')];
}

// ---------------------------------------------------------------------------------------------
// Decoding

const EOF = 1;
const BADFMT = 2;

class Cursor {
  err = 0;
  constructor(readonly s: string, public p: number) {}
  get left(): number { return this.s.length - this.p; }
  byte(i: number): number { return this.s.charCodeAt(this.p + i); }
  /** mp_cur_need: false (and EOF) when fewer than n bytes are left. */
  need(n: number): boolean {
    if (this.left < n) { this.err = EOF; return false; }
    return true;
  }
  be(off: number, n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.byte(off + i);
    return v;
  }
  be64(off: number): bigint {
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(this.byte(off + i));
    return v;
  }
}

/**
 * Decodes one value; `sp` is the C stack slots in use (lua_checkstack's limit applies).
 * Returns the value; on error sets c.err and returns undefined.
 */
function decode(L: LuaCallContext, c: Cursor, sp: number): LuaValue {
  if (!c.need(1)) return undefined;
  if (sp + 1 > MAX_C_STACK) L.error('stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)');
  const t = c.byte(0);
  const fixed = (n: number, val: () => LuaValue): LuaValue => {
    if (!c.need(n)) return undefined;
    const r = val();
    c.p += n;
    return r;
  };
  switch (t) {
    case 0xcc: return fixed(2, () => c.byte(1));
    case 0xd0: return fixed(2, () => (c.byte(1) << 24) >> 24);
    case 0xcd: return fixed(3, () => c.be(1, 2));
    case 0xd1: return fixed(3, () => (c.be(1, 2) << 16) >> 16);
    case 0xce: return fixed(5, () => c.be(1, 4));
    case 0xd2: return fixed(5, () => c.be(1, 4) | 0);
    // lua_pushinteger of a uint64: the value as a signed 64-bit integer.
    case 0xcf: return fixed(9, () => Number(BigInt.asIntN(64, c.be64(1))));
    case 0xd3: return fixed(9, () => Number(BigInt.asIntN(64, c.be64(1))));
    case 0xc0: c.p += 1; return undefined;
    case 0xc3: c.p += 1; return true;
    case 0xc2: c.p += 1; return false;
    case 0xca: return fixed(5, () => { for (let i = 0; i < 4; i++) f32b[3 - i] = c.byte(1 + i); return f32[0]; });
    case 0xcb: return fixed(9, () => { for (let i = 0; i < 8; i++) f64b[7 - i] = c.byte(1 + i); return f64[0]; });
    case 0xd9: {
      if (!c.need(2)) return undefined;
      const l = c.byte(1);
      return fixed(2 + l, () => c.s.slice(c.p + 2, c.p + 2 + l));
    }
    case 0xda: {
      if (!c.need(3)) return undefined;
      const l = c.be(1, 2);
      return fixed(3 + l, () => c.s.slice(c.p + 3, c.p + 3 + l));
    }
    case 0xdb: {
      if (!c.need(5)) return undefined;
      const l = c.be(1, 4);
      c.p += 5;
      return fixed(l, () => c.s.slice(c.p, c.p + l));
    }
    case 0xdc: case 0xdd: case 0xde: case 0xdf: {
      const n = t === 0xdc || t === 0xde ? 2 : 4;
      if (!c.need(1 + n)) return undefined;
      const l = c.be(1, n);
      c.p += 1 + n;
      return t <= 0xdd ? decodeArray(L, c, l, sp) : decodeMap(L, c, l, sp);
    }
  }
  if ((t & 0x80) === 0) { c.p += 1; return t; }
  if ((t & 0xe0) === 0xe0) { c.p += 1; return (t << 24) >> 24; }
  if ((t & 0xe0) === 0xa0) {
    const l = t & 0x1f;
    return fixed(1 + l, () => c.s.slice(c.p + 1, c.p + 1 + l));
  }
  if ((t & 0xf0) === 0x90) { c.p += 1; return decodeArray(L, c, t & 0xf, sp); }
  if ((t & 0xf0) === 0x80) { c.p += 1; return decodeMap(L, c, t & 0xf, sp); }
  c.err = BADFMT;
  return undefined;
}

function decodeArray(L: LuaCallContext, c: Cursor, len: number, sp: number): LuaValue {
  const t = new LuaTable();
  if (sp + 2 > MAX_C_STACK) L.error('stack overflow (in function mp_decode_to_lua_array)');
  for (let i = 1; i <= len; i++) {
    const v = decode(L, c, sp + 2);
    if (c.err) return t;
    t.set(i, v);
  }
  return t;
}

function decodeMap(L: LuaCallContext, c: Cursor, len: number, sp: number): LuaValue {
  const t = new LuaTable();
  while (len-- > 0) {
    const k = decode(L, c, sp + 1);
    if (c.err) return t;
    const v = decode(L, c, sp + 2);
    if (c.err) return t;
    // lua_settable from C: luaG_runerror adds no "chunk:line:" when a C function runs.
    if (k === undefined) throw new LuaError('table index is nil');
    if (typeof k === 'number' && Number.isNaN(k)) throw new LuaError('table index is NaN');
    L.setIndex(t, k, v);
  }
  return t;
}

function unpackFull(L: LuaCallContext, s: string, limit: number, offset: number): LuaValue[] {
  const decodeAll = !limit && !offset;
  const len = s.length;
  if (offset < 0 || limit < 0) {
    L.error(`Invalid request to unpack with offset of ${toCInt(offset)} and limit of ${toCInt(len)}.`);
  } else if (offset > len) {
    L.error(`Start offset ${toCInt(offset)} greater than input length ${toCInt(len)}.`);
  }
  if (decodeAll) limit = INT_MAX;
  const c = new Cursor(s, offset);
  const out: LuaValue[] = [];
  for (let cnt = 0; c.left > 0 && cnt < limit; cnt++) {
    const v = decode(L, c, 1 + cnt) // the string argument, then the values so far;
    if (c.err === EOF) L.error('Missing bytes in input.');
    if (c.err === BADFMT) L.error('Bad data format in input.');
    out.push(v);
  }
  if (!decodeAll) out.unshift(c.left === 0 ? -1 : len - c.left);
  return out;
}

const toCInt = (n: number): number => Number(BigInt.asIntN(32, BigInt(Math.trunc(n))));

const FUNCTIONS: Record<string, NativeFn> = {
  pack,
  unpack: (L, a) => unpackFull(L, checkString(L, a, 0), 0, 0),
  unpack_one: (L, a) => {
    const offset = optInt(L, a, 1, 0);
    return unpackFull(L, checkString(L, a, 0), 1, offset);
  },
  unpack_limit: (L, a) => {
    const limit = checkInt(L, a, 1);
    const offset = optInt(L, a, 2, 0);
    return unpackFull(L, checkString(L, a, 0), limit, offset);
  },
};

/** luaopen_cmsgpack: the `cmsgpack` table. */
export function openCmsgpack(L: { globals: LuaTable }): LuaTable {
  const lib = new LuaTable();
  for (const [name, fn] of Object.entries(FUNCTIONS)) {
    lib.set(name, new LuaFunction(name, fn));
  }
  lib.set('_NAME', 'cmsgpack');
  lib.set('_VERSION', 'lua-cmsgpack 0.4.0');
  lib.set('_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo');
  lib.set('_DESCRIPTION', 'MessagePack C implementation for Lua');
  L.globals.set('cmsgpack', lib);
  return lib;
}
