/**
 * Lua 5.1.5's string library (lstrlib.c) as Redis 7.0 loads it: byte strings, Lua patterns
 * (lpattern.ts), string.format with C printf semantics (cformat.ts) and the string metatable
 * whose __index is the library, so ("x"):upper() works.
 */
import {
  LuaError, LuaFunction, LuaTable, checkInt, checkNumber, checkString, luaType, numberToString, optInt,
  truthy, type LuaCallContext, type LuaValue, type NativeFn,
} from './value';
import { LuaClosure } from './state';
import { MatchState, cString, isPlainPattern, memFind, cIsDigit, type Capture } from './lpattern';
import { doubleToInt64, doubleToUint64, formatChar, formatFloat, formatInteger, formatString } from './cformat';
import type { ConvSpec } from '../util/c-printf';

/** LUAI_MAXCSTACK: lua_checkstack refuses to grow a C function's stack past this many slots. */
const MAX_C_STACK = 8000;
/** V8's string length limit (2^29 - 24 characters). */
const MAX_STRING_LENGTH = 2 ** 29 - 24;

/** posrelat: a negative position counts back from the end. */
function posrelat(pos: number, len: number): number {
  if (pos < 0) pos += len + 1;
  return pos >= 0 ? pos : 0;
}

/** (int) of a lua_Integer: the low 32 bits, signed (luaL_checkint, luaL_optint). */
const toCInt = (n: number): number => Number(BigInt.asIntN(32, BigInt(n)));

const lowerAscii = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
const upperAscii = (s: string) => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

function strLen(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  return [checkString(L, a, 0).length];
}

function strSub(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  const s = checkString(L, a, 0);
  const l = s.length;
  let start = posrelat(checkInt(L, a, 1), l);
  let end = posrelat(optInt(L, a, 2, -1), l);
  if (start < 1) start = 1;
  if (end > l) end = l;
  return [start <= end ? s.slice(start - 1, end) : ''];
}

function strReverse(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  const s = checkString(L, a, 0);
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) out += s[i];
  return [out];
}

function strRep(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  const s = checkString(L, a, 0);
  const n = toCInt(checkInt(L, a, 1));
  if (n <= 0 || s.length === 0) return [''];
  // Past V8's longest string, C Lua's allocation is what would fail: a memory error.
  if (s.length * n > MAX_STRING_LENGTH) throw new LuaError('not enough memory');
  return [s.repeat(n)];
}

function strByte(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  const s = checkString(L, a, 0);
  const l = s.length;
  let posi = posrelat(optInt(L, a, 1, 1), l);
  let pose = posrelat(optInt(L, a, 2, posi), l);
  if (posi <= 0) posi = 1;
  if (pose > l) pose = l;
  if (posi > pose) return [];
  const n = pose - posi + 1;
  if (n + a.length > MAX_C_STACK) L.error('stack overflow (string slice too long)');
  const out: LuaValue[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = s.charCodeAt(posi + i - 1);
  return out;
}

function strChar(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  let out = '';
  for (let i = 0; i < a.length; i++) {
    const c = toCInt(checkInt(L, a, i));
    if ((c & 0xff) !== c) L.argError(i + 1, 'invalid value');
    out += String.fromCharCode(c);
  }
  return [out];
}

function strDump(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  if (!(a[0] instanceof LuaFunction)) L.typeError(a, 1, 'function');
  // lua_dump fails for C functions.
  if (!(a[0] instanceof LuaClosure)) return L.error('unable to dump given function');
  // We have no bytecode: the Lua 5.1 header (x86-64 layout) stands for the chunk. Redis's Lua
  // refuses to load binary chunks anyway, so nothing can tell the body apart.
  return ['\x1bLuaQ\x00\x01\x04\x08\x04\x08\x00'];
}

// ---------------------------------------------------------------------------------------------
// Pattern matching

function matcher(L: LuaCallContext, src: string, pat: string): MatchState {
  return new MatchState(src, pat, (msg) => L.error(msg));
}

/**
 * Runs a pattern operation. The matcher recurses like the C code (one level per pattern
 * item), so a pattern with thousands of items can exhaust the JS stack where C's deeper
 * stack copes: that becomes a Lua error instead of escaping as a RangeError.
 */
function guarded<T>(L: LuaCallContext, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof RangeError) return L.error('stack overflow');
    throw e;
  }
}

function findAux(L: LuaCallContext, a: LuaValue[], find: boolean): LuaValue[] {
  const s = checkString(L, a, 0);
  const p = checkString(L, a, 1);
  const l1 = s.length;
  let init = posrelat(optInt(L, a, 2, 1), l1) - 1;
  if (init < 0) init = 0;
  else if (init > l1) init = l1;
  const cp = cString(p);
  if (find && (truthy(a[3]) || isPlainPattern(cp))) {
    const at = memFind(s, p, init);
    if (at >= 0) return [at + 1, at + p.length];
    return [undefined];
  }
  const anchor = cp.charCodeAt(0) === 94;
  const ms = matcher(L, s, anchor ? cp.slice(1) : cp);
  return guarded(L, () => {
    let s1 = init;
    do {
      ms.level = 0;
      const res = ms.match(s1, 0);
      if (res !== -1) {
        if (find) return [s1 + 1, res, ...ms.captures(s1, res, false)];
        return ms.captures(s1, res, true);
      }
    } while (s1++ < l1 && !anchor);
    return [undefined];
  });
}

function gmatch(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  const s = checkString(L, a, 0);
  const p = cString(checkString(L, a, 1));
  let pos = 0;
  const iter = new LuaFunction('gmatch_aux', (L2) => {
    const ms = matcher(L2, s, p);
    for (let src = pos; src <= s.length; src++) {
      ms.level = 0;
      const e = guarded(L2, () => ms.match(src, 0));
      if (e !== -1) {
        pos = e === src ? e + 1 : e; // an empty match moves on by at least one
        return ms.captures(src, e, true);
      }
    }
    return [];
  });
  return [iter];
}

/** luaL_addvalue's conversion of a number or string result. */
const capText = (c: Capture): string => (typeof c === 'number' ? numberToString(c) : c);

function gsub(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  const src = checkString(L, a, 0);
  let p = cString(checkString(L, a, 1));
  const repl = a[2];
  const tr = a.length < 3 ? 'no value' : luaType(repl);
  const maxS = a[3] === undefined ? src.length + 1 : toCInt(checkInt(L, a, 3));
  const anchor = p.charCodeAt(0) === 94;
  if (anchor) p = p.slice(1);
  if (tr !== 'number' && tr !== 'string' && tr !== 'function' && tr !== 'table') {
    L.argError(3, 'string/function/table expected');
  }
  const news = tr === 'number' ? numberToString(repl as number) : tr === 'string' ? (repl as string) : '';
  const ms = matcher(L, src, p);
  const out: string[] = [];
  let n = 0;
  let s = 0;
  const addValue = (st: number, e: number) => {
    if (tr === 'number' || tr === 'string') {
      for (let i = 0; i < news.length; i++) {
        const c = news.charCodeAt(i);
        if (c !== 37) { out.push(news[i]); continue; }
        i++;
        // A trailing '%' reads the string's terminating NUL, which is then copied.
        const d = i < news.length ? news.charCodeAt(i) : 0;
        if (!cIsDigit(d)) out.push(String.fromCharCode(d));
        else if (d === 48) out.push(src.slice(st, e));
        else out.push(capText(ms.capture(d - 49, st, e)));
      }
      return;
    }
    let v: LuaValue;
    if (tr === 'function') v = L.call(repl, ms.captures(st, e, true))[0];
    else v = L.index(repl, ms.capture(0, st, e));
    if (!truthy(v)) out.push(src.slice(st, e));
    else if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number') out.push(numberToString(v));
    else L.error(`invalid replacement value (a ${luaType(v)})`);
  };
  while (n < maxS) {
    ms.level = 0;
    const e = guarded(L, () => ms.match(s, 0));
    if (e !== -1) {
      n++;
      addValue(s, e);
    }
    if (e !== -1 && e > s) s = e;
    else if (s < src.length) out.push(src[s++]);
    else break;
    if (anchor) break;
  }
  out.push(src.slice(s));
  return [out.join(''), n];
}

// ---------------------------------------------------------------------------------------------
// string.format

const FLAGS = '-+ #0';

function addQuoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === '\\' || c === '\n') out += '\\' + c;
    else if (c === '\r') out += '\\r';
    else if (c === '\0') out += '\\000';
    else out += c;
  }
  return out + '"';
}

/** C strlen: sprintf's output is appended only up to its first NUL. */
const untilNul = (s: string) => cString(s);

function strFormat(L: LuaCallContext, a: LuaValue[]): LuaValue[] {
  const top = a.length;
  const fmt = checkString(L, a, 0);
  const at = (i: number) => (i < fmt.length ? fmt.charCodeAt(i) : 0);
  const out: string[] = [];
  let arg = 1; // 1-based Lua argument number of the last consumed argument
  let i = 0;
  while (i < fmt.length) {
    if (at(i) !== 37) { out.push(fmt[i++]); continue; }
    i++;
    if (at(i) === 37) { out.push('%'); i++; continue; }
    if (++arg > top) L.argError(arg, 'no value');
    // scanformat
    const start = i;
    while (at(i) !== 0 && FLAGS.includes(String.fromCharCode(at(i)))) i++;
    if (i - start >= FLAGS.length + 1) L.error('invalid format (repeated flags)');
    const flags = fmt.slice(start, i);
    const wStart = i;
    if (cIsDigit(at(i))) i++;
    if (cIsDigit(at(i))) i++;
    const width = i > wStart ? Number(fmt.slice(wStart, i)) : 0;
    let prec: number | null = null;
    if (at(i) === 46) {
      i++;
      const pStart = i;
      if (cIsDigit(at(i))) i++;
      if (cIsDigit(at(i))) i++;
      prec = i > pStart ? Number(fmt.slice(pStart, i)) : 0;
    }
    if (cIsDigit(at(i))) L.error('invalid format (width or precision too long)');
    const conv = String.fromCharCode(at(i++));
    const spec: ConvSpec = { flags, width, prec, conv };
    const ai = arg - 1;
    switch (conv) {
      case 'c':
        out.push(untilNul(formatChar(spec, doubleToInt32(checkNumber(L, a, ai)))));
        break;
      case 'd': case 'i':
        out.push(formatInteger(spec, doubleToInt64(checkNumber(L, a, ai))));
        break;
      case 'o': case 'u': case 'x': case 'X':
        out.push(formatInteger(spec, doubleToUint64(checkNumber(L, a, ai))));
        break;
      case 'e': case 'E': case 'f': case 'g': case 'G':
        out.push(formatFloat(spec, checkNumber(L, a, ai)));
        break;
      case 'q':
        out.push(addQuoted(checkString(L, a, ai)));
        break;
      case 's': {
        const s = checkString(L, a, ai);
        // Without a precision a long string is appended whole (NULs and all), width ignored.
        if (prec === null && s.length >= 100) out.push(s);
        else out.push(untilNul(formatString(spec, cString(s))));
        break;
      }
      default:
        // luaL_error's %c of a NUL byte prints nothing.
        L.error(`invalid option '%${conv === '\0' ? '' : conv}' to 'format'`);
    }
  }
  return [out.join('')];
}

/** (int)d on x86-64 (cvttsd2si, 32-bit): truncation, INT_MIN when NaN or out of range. */
function doubleToInt32(d: number): number {
  if (!(d > -2147483649 && d < 2147483648)) return -2147483648;
  return Math.trunc(d);
}

// ---------------------------------------------------------------------------------------------

const FUNCTIONS: Record<string, NativeFn> = {
  byte: strByte,
  char: strChar,
  dump: strDump,
  find: (L, a) => findAux(L, a, true),
  format: strFormat,
  gfind: gmatch,
  gmatch,
  gsub,
  len: strLen,
  lower: (L, a) => [lowerAscii(checkString(L, a, 0))],
  match: (L, a) => findAux(L, a, false),
  rep: strRep,
  reverse: strReverse,
  sub: strSub,
  upper: (L, a) => [upperAscii(checkString(L, a, 0))],
};

/** luaopen_string: the `string` table, registered as a global, and the string metatable. */
export function openString(L: { globals: LuaTable; stringMetatable: LuaTable | undefined }): LuaTable {
  const lib = new LuaTable();
  for (const [name, fn] of Object.entries(FUNCTIONS)) lib.set(name, new LuaFunction(name, fn));
  // LUA_COMPAT_GFIND: gfind is the very same function as gmatch.
  lib.set('gfind', lib.get('gmatch'));
  L.globals.set('string', lib);
  const meta = new LuaTable();
  meta.set('__index', lib);
  L.stringMetatable = meta;
  return lib;
}
