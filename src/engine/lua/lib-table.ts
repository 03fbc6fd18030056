/** Lua 5.1's table library (ltablib.c), including its exact quicksort. */

import type { LuaState } from './state';
import {
  checkInt, checkString, checkTable, LuaError, LuaFunction, LuaTable, luaType, numberToString, optInt, optString,
  truthy, type LuaCallContext, type LuaValue,
} from './value';

export function openTable(L: LuaState): void {
  const t = new LuaTable();
  const def = (name: string, fn: (L: LuaCallContext, args: LuaValue[]) => LuaValue[]) => t.set(name, new LuaFunction(name, fn));

  def('insert', (L, a) => {
    const tbl = checkTable(L, a, 0);
    let e = tbl.length() + 1;
    let pos: number;
    switch (a.length) {
      case 2:
        pos = e;
        break;
      case 3: {
        pos = checkInt(L, a, 1);
        if (pos > e) e = pos;
        for (let i = e; i > pos; i--) rawSetInt(L, tbl, i, tbl.getInt(i - 1));
        break;
      }
      default:
        return L.error("wrong number of arguments to 'insert'");
    }
    rawSetInt(L, tbl, pos, a[a.length - 1]);
    return [];
  });

  def('remove', (L, a) => {
    const tbl = checkTable(L, a, 0);
    const e = tbl.length();
    let pos = optInt(L, a, 1, e);
    if (!(1 <= pos && pos <= e)) return [];
    const v = tbl.getInt(pos);
    for (; pos < e; pos++) rawSetInt(L, tbl, pos, tbl.getInt(pos + 1));
    rawSetInt(L, tbl, e, undefined);
    return [v];
  });

  def('concat', (L, a) => {
    const tbl = checkTable(L, a, 0);
    const sep = optString(L, a, 1, '');
    const i0 = optInt(L, a, 2, 1);
    const last = a[3] === undefined ? tbl.length() : checkInt(L, a, 3);
    const parts: string[] = [];
    for (let i = i0; i <= last; i++) {
      const v = tbl.getInt(i);
      if (typeof v === 'string') parts.push(v);
      else if (typeof v === 'number') parts.push(numberToString(v));
      else L.error(`invalid value (${luaType(v)}) at index ${i} in table for 'concat'`);
    }
    return [parts.join(sep)];
  });

  def('getn', (L, a) => [checkTable(L, a, 0).length()]);

  def('setn', (L, a) => {
    checkTable(L, a, 0);
    return L.error("'setn' is obsolete");
  });

  def('maxn', (L, a) => {
    const tbl = checkTable(L, a, 0);
    let max = 0;
    let k: LuaValue = undefined;
    for (;;) {
      const r = tbl.next(k);
      if (r === null || r[0] === undefined) break;
      k = r[0];
      if (typeof k === 'number' && k > max) max = k;
    }
    return [max];
  });

  def('foreachi', (L, a) => {
    const tbl = checkTable(L, a, 0);
    if (!(a[1] instanceof LuaFunction)) L.typeError(a, 2, 'function');
    const n = tbl.length();
    for (let i = 1; i <= n; i++) {
      const r = L.call(a[1], [i, tbl.getInt(i)])[0];
      if (r !== undefined) return [r];
    }
    return [];
  });

  def('foreach', (L, a) => {
    const tbl = checkTable(L, a, 0);
    if (!(a[1] instanceof LuaFunction)) L.typeError(a, 2, 'function');
    let k: LuaValue = undefined;
    for (;;) {
      const r = tbl.next(k);
      if (r === null) throw L.error("invalid key to 'next'");
      if (r[0] === undefined) break;
      k = r[0];
      const res = L.call(a[1], [r[0], r[1]])[0];
      if (res !== undefined) return [res];
    }
    return [];
  });

  def('sort', (L, a) => {
    const tbl = checkTable(L, a, 0);
    const n = tbl.length();
    const comp = a[1];
    if (comp !== undefined && !(comp instanceof LuaFunction)) L.typeError(a, 2, 'function');
    const S = L as LuaState;
    const lt = comp !== undefined
      ? (x: LuaValue, y: LuaValue) => truthy(L.call(comp, [x, y])[0])
      : (x: LuaValue, y: LuaValue) => (typeof x === 'number' && typeof y === 'number' ? x < y : S.ltNoPosition(x, y));
    auxsort(L, tbl, 1, n, lt);
    return [];
  });

  L.globals.set('table', t);
  void checkString;
}

function rawSetInt(L: LuaCallContext, t: LuaTable, i: number, v: LuaValue): void {
  if (i !== i) L.error('table index is NaN');
  // lua_rawseti on a readonly table (Redis's patch): raised from C, so without a position.
  if (t.readonly) throw new LuaError('Attempt to modify a readonly table');
  t.set(i, v);
}

/** ltablib.c's auxsort, step for step (the comparison sequence decides unstable results). */
function auxsort(L: LuaCallContext, t: LuaTable, l: number, u: number, lt: (a: LuaValue, b: LuaValue) => boolean): void {
  const get = (i: number) => t.getInt(i);
  const set = (i: number, v: LuaValue) => rawSetInt(L, t, i, v);
  while (l < u) {
    let i: number;
    let j: number;
    {
      const al = get(l);
      const au = get(u);
      if (lt(au, al)) {
        set(l, au);
        set(u, al);
      }
    }
    if (u - l === 1) break;
    i = Math.trunc((l + u) / 2);
    {
      const ai = get(i);
      const al = get(l);
      if (lt(ai, al)) {
        set(i, al);
        set(l, ai);
      } else {
        const au = get(u);
        if (lt(au, ai)) {
          set(i, au);
          set(u, ai);
        }
      }
    }
    if (u - l === 2) break;
    const P = get(i);
    {
      const au1 = get(u - 1);
      set(i, au1);
      set(u - 1, P);
    }
    i = l;
    j = u - 1;
    for (;;) {
      let ai: LuaValue;
      let aj: LuaValue;
      while ((ai = get(++i), lt(ai, P))) {
        if (i > u) L.error('invalid order function for sorting');
      }
      while ((aj = get(--j), lt(P, aj))) {
        if (j < l) L.error('invalid order function for sorting');
      }
      if (j < i) break;
      set(i, aj);
      set(j, ai);
    }
    {
      const au1 = get(u - 1);
      const ai = get(i);
      set(u - 1, ai);
      set(i, au1);
    }
    if (i - l < u - i) {
      j = l;
      i = i - 1;
      l = i + 2;
    } else {
      j = i + 1;
      i = u;
      u = j - 2;
    }
    auxsort(L, t, j, i, lt);
  }
}
