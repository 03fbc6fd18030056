/**
 * LuaBitOp 1.0 (deps/lua/src/lua_bit.c) as Redis 7.0 loads it: 32-bit operations on numbers,
 * results as signed 32-bit numbers.
 */
import { LuaTable, LuaFunction, toNumber, type LuaCallContext, type LuaValue, type NativeFn } from './value';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the low 32 bits of a double in u32 (little-endian hosts: 0). */
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/**
 * barg: the argument as 32 bits. lua_bit adds 2^52+2^51 and takes the low word of the double,
 * which rounds to the nearest integer (ties to even) modulo 2^32; non-numbers are 0, and a 0
 * result from something that is not a number is luaL_typerror's message.
 */
function arg(L: LuaCallContext, a: LuaValue[], i: number): number {
  const n = toNumber(a[i]) ?? 0;
  f64[0] = n + 6755399441055744.0;
  const b = u32[LOW];
  if (b === 0 && toNumber(a[i]) === undefined) L.typeError(a, i + 1, 'number');
  return b;
}
const ret = (b: number): LuaValue[] => [b | 0];

const FUNCTIONS: Record<string, NativeFn> = {
  tobit: (L, a) => ret(arg(L, a, 0)),
  bnot: (L, a) => ret(~arg(L, a, 0)),
  band: (L, a) => { let b = arg(L, a, 0); for (let i = a.length - 1; i > 0; i--) b &= arg(L, a, i); return ret(b); },
  bor: (L, a) => { let b = arg(L, a, 0); for (let i = a.length - 1; i > 0; i--) b |= arg(L, a, i); return ret(b); },
  bxor: (L, a) => { let b = arg(L, a, 0); for (let i = a.length - 1; i > 0; i--) b ^= arg(L, a, i); return ret(b); },
  lshift: (L, a) => { const b = arg(L, a, 0); const n = arg(L, a, 1) & 31; return ret(b << n); },
  rshift: (L, a) => { const b = arg(L, a, 0); const n = arg(L, a, 1) & 31; return ret(b >>> n); },
  arshift: (L, a) => { const b = arg(L, a, 0); const n = arg(L, a, 1) & 31; return ret(b >> n); },
  rol: (L, a) => { const b = arg(L, a, 0); const n = arg(L, a, 1) & 31; return ret((b << n) | (b >>> ((32 - n) & 31))); },
  ror: (L, a) => { const b = arg(L, a, 0); const n = arg(L, a, 1) & 31; return ret((b << ((32 - n) & 31)) | (b >>> n)); },
  bswap: (L, a) => {
    const b = arg(L, a, 0);
    return ret((b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
  },
  tohex: (L, a) => {
    let b = arg(L, a, 0);
    let n = a.length < 2 ? 8 : arg(L, a, 1) | 0;
    let digits = '0123456789abcdef';
    if (n < 0) { n = -n | 0; digits = '0123456789ABCDEF'; }
    if (n > 8) n = 8;
    let out = '';
    for (let i = 0; i < n; i++) { out = digits[b & 15] + out; b >>>= 4; }
    return [out];
  },
};

/** luaopen_bit: the `bit` table. */
export function openBit(L: { globals: LuaTable }): LuaTable {
  const lib = new LuaTable();
  for (const [name, fn] of Object.entries(FUNCTIONS)) lib.set(name, new LuaFunction(name, fn));
  L.globals.set('bit', lib);
  return lib;
}
