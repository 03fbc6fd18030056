/**
 * Lua 5.1's base library (lbaselib.c) as Redis 7.0 loads it. Redis then hides some globals
 * (print, dofile, loadfile, getfenv, setfenv, newproxy): that is the scripting layer's job.
 */

import { LuaState } from './state';
import {
  checkAny, checkInt, checkString, checkTable, LuaError, LuaFunction, LuaTable, LuaUserdata, luaType,
  numberToString, optInt, optString, str2number, tostringBasic, type LuaCallContext, type LuaValue,
} from './value';

function st(L: LuaCallContext): LuaState {
  return L as LuaState;
}

/** Runs fn protected; returns [true, ...results] or [false, error value]. */
export function protectedCall(L: LuaState, fn: LuaValue, args: LuaValue[], handler?: LuaValue): LuaValue[] {
  const depth = L.depth;
  const ccalls = L.ccalls;
  try {
    const r = L.call(fn, args);
    const out: LuaValue[] = [true];
    for (let i = 0; i < r.length; i++) out.push(r[i]);
    return out;
  } catch (e) {
    let v: LuaValue;
    if (e instanceof LuaError) v = e.value;
    else if (e instanceof RangeError) v = (L.normalizeError(e) as LuaError).value;
    else throw e;
    if (handler !== undefined) {
      // The handler runs where the error happened (Lua calls it before unwinding).
      try {
        v = L.call(handler, [v])[0];
      } catch (e2) {
        L.depth = depth;
        L.ccalls = ccalls;
        if (e2 instanceof LuaError || e2 instanceof RangeError) return [false, undefined];
        throw e2;
      }
    }
    L.depth = depth;
    L.ccalls = ccalls;
    return [false, v];
  }
}

/** strtoul(s, &end, base) over the whole string, as tonumber(s, base) uses it. */
function strtoulWhole(s: string, base: number): number | undefined {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  let i = 0;
  const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  if (base === 16 && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X')) i += 2;
  let n = 0n;
  const start = i;
  const B = BigInt(base);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 122) d = c - 87;
    else if (c >= 65 && c <= 90) d = c - 55;
    else break;
    if (d >= base) break;
    n = n * B + BigInt(d);
  }
  if (i === start) return undefined;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  if (i !== s.length) return undefined;
  const MAX = (1n << 64n) - 1n;
  if (n > MAX) n = MAX;
  else if (neg) n = (MAX + 1n - n) & MAX;
  return Number(n);
}

let gcCountKB = 30;

export function openBase(L: LuaState): void {
  const G = L.globals;
  const def = (name: string, fn: (L: LuaCallContext, args: LuaValue[]) => LuaValue[]) => {
    const f = new LuaFunction(name, fn);
    G.set(name, f);
    return f;
  };
  G.set('_G', G);
  G.set('_VERSION', 'Lua 5.1');

  def('assert', (L, a) => {
    checkAny(L, a, 0);
    if (a[0] === undefined || a[0] === false) L.error(optString(L, a, 1, 'assertion failed!'));
    return a;
  });

  def('error', (L, a) => {
    const level = optInt(L, a, 1, 1);
    let v = a[0];
    // lua_isstring: numbers get the position too (and become strings).
    if ((typeof v === 'string' || typeof v === 'number') && level > 0) v = L.where(level) + (typeof v === 'number' ? numberToString(v) : v);
    throw new LuaError(v);
  });

  L.special.pcallFn = def('pcall', (L, a) => {
    checkAny(L, a, 0);
    const S = st(L);
    const r = protectedCall(S, a[0], a.slice(1));
    if (r[0] === false && S.pcallErrorFilter) r[1] = S.pcallErrorFilter(r[1]);
    return r;
  });

  L.special.xpcallFn = def('xpcall', (L, a) => {
    checkAny(L, a, 1);
    return protectedCall(st(L), a[0], [], a[1]);
  });

  def('select', (L, a) => {
    const n = a.length;
    if (typeof a[0] === 'string' && a[0].charCodeAt(0) === 35) return [n - 1];
    let i = checkInt(L, a, 0);
    if (i < 0) i = n + i;
    else if (i > n) i = n;
    if (i < 1) L.argError(1, 'index out of range');
    return a.slice(i);
  });

  def('type', (L, a) => {
    checkAny(L, a, 0);
    return [luaType(a[0])];
  });

  def('tostring', (L, a) => {
    checkAny(L, a, 0);
    // luaL_callmeta: whatever __tostring returns, unconverted.
    const h = (L as LuaState).metamethod(a[0], '__tostring');
    if (h !== undefined) return [L.call(h, [a[0]])[0]];
    return [tostringBasic(a[0])];
  });

  def('tonumber', (L, a) => {
    const base = optInt(L, a, 1, 10);
    if (base === 10) {
      checkAny(L, a, 0);
      const v = a[0];
      if (typeof v === 'number') return [v];
      if (typeof v === 'string') {
        const n = str2number(v);
        if (n !== undefined) return [n];
      }
      return [undefined];
    }
    const s = checkString(L, a, 0);
    if (!(base >= 2 && base <= 36)) L.argError(2, 'base out of range');
    return [strtoulWhole(s, base)];
  });

  const next = def('next', (L, a) => {
    const t = checkTable(L, a, 0);
    const r = t.next(a[1]);
    if (r === null) throw new LuaError('invalid key to \'next\'');
    return r;
  });

  def('pairs', (L, a) => {
    const t = checkTable(L, a, 0);
    return [next, t, undefined];
  });

  const ipairsAux = new LuaFunction('ipairs_aux', (L, a) => {
    const i = checkInt(L, a, 1) + 1;
    const t = checkTable(L, a, 0);
    const v = t.getInt(i);
    return v === undefined ? [] : [i, v];
  });
  def('ipairs', (L, a) => {
    const t = checkTable(L, a, 0);
    return [ipairsAux, t, 0];
  });

  def('rawget', (L, a) => {
    const t = checkTable(L, a, 0);
    checkAny(L, a, 1);
    return [t.get(a[1])];
  });

  def('rawset', (L, a) => {
    const t = checkTable(L, a, 0);
    checkAny(L, a, 1);
    checkAny(L, a, 2);
    st(L).rawSet(t, a[1], a[2]);
    return [t];
  });

  def('rawequal', (L, a) => {
    checkAny(L, a, 0);
    checkAny(L, a, 1);
    return [a[0] === a[1]];
  });

  def('setmetatable', (L, a) => {
    const t = checkTable(L, a, 0);
    const mt = a[1];
    if (!(mt === undefined || mt instanceof LuaTable)) L.argError(2, 'nil or table expected');
    if (t.metatable !== undefined && t.metatable.getStr('__metatable') !== undefined) L.error('cannot change a protected metatable');
    // lua_setmetatable on a readonly table (Redis's patch): raised from C, without a position.
    if (t.readonly) throw new LuaError('Attempt to modify a readonly table');
    t.metatable = mt as LuaTable | undefined;
    return [t];
  });

  def('getmetatable', (L, a) => {
    checkAny(L, a, 0);
    const mt = L.getMetatable(a[0]);
    if (mt === undefined) return [undefined];
    const protectedMt = mt.getStr('__metatable');
    return [protectedMt !== undefined ? protectedMt : mt];
  });

  def('unpack', (L, a) => {
    const t = checkTable(L, a, 0);
    const i = optInt(L, a, 1, 1);
    const e = a[2] === undefined ? t.length() : checkInt(L, a, 2);
    if (i > e) return [];
    const n = e - i + 1;
    // lua_checkstack(L, n) in a C function: its arguments and the results within LUAI_MAXCSTACK (8000).
    if (n <= 0 || n + a.length > 8000) L.error('too many results to unpack');
    const out: LuaValue[] = new Array(n);
    for (let k = 0; k < n; k++) out[k] = t.getInt(i + k);
    return out;
  });

  def('loadstring', (L, a) => {
    const s = checkString(L, a, 0);
    const name = optString(L, a, 1, s);
    try {
      return [st(L).load(s, name)];
    } catch (e) {
      if (e instanceof LuaError) return [undefined, e.value];
      throw e;
    }
  });

  def('load', (L, a) => {
    const f = a[0];
    if (!(f instanceof LuaFunction)) L.typeError(a, 1, 'function');
    const name = optString(L, a, 1, '=(load)');
    let src = '';
    for (;;) {
      const piece = L.call(f, [])[0];
      if (piece === undefined || piece === '') break;
      if (typeof piece !== 'string') return [undefined, 'reader function must return a string'];
      src += piece;
    }
    try {
      return [st(L).load(src, name)];
    } catch (e) {
      if (e instanceof LuaError) return [undefined, e.value];
      throw e;
    }
  });

  def('gcinfo', () => [gcCountKB]);

  def('collectgarbage', (L, a) => {
    const opts = ['stop', 'restart', 'collect', 'count', 'step', 'setpause', 'setstepmul'];
    const o = optString(L, a, 0, 'collect');
    const idx = opts.indexOf(o);
    if (idx < 0) L.argError(1, `invalid option '${o}'`);
    optInt(L, a, 1, 0);
    switch (o) {
      case 'count': return [gcCountKB + 0.5];
      case 'step': return [false];
      case 'setpause': return [200];
      case 'setstepmul': return [200];
      case 'collect':
        gcCountKB = 30;
        return [0];
      default: return [0];
    }
  });

  def('newproxy', (L, a) => {
    const u = new LuaUserdata();
    if (a[0] === true) u.metatable = new LuaTable();
    else if (a[0] instanceof LuaUserdata) u.metatable = a[0].metatable;
    else if (a[0] !== undefined && a[0] !== false) L.argError(1, 'boolean or proxy expected');
    return [u];
  });

  def('print', (L, a) => {
    // Redis removes print; kept for completeness (writes nowhere: the engine has no stdout).
    for (const v of a) L.tostring(v);
    return [];
  });

}
