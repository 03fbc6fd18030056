/**
 * Lua 5.1's coroutine library (in lbaselib.c). A coroutine runs its function as resumable
 * (generator) code, see compile.ts; its call frames live on the shared frame stack while it
 * runs and are set aside while it is suspended.
 */

import { genCall } from './compile';
import { Frame, LuaClosure, type LuaState } from './state';
import { LuaError, LuaFunction, LuaTable, LuaThread, type LuaCallContext, type LuaValue } from './value';

interface CoImpl {
  fn: LuaFunction;
  gen: Generator<LuaValue[], LuaValue[], LuaValue[]> | undefined;
  saved: Frame[];
  nonYieldable: number;
}

function resume(L: LuaState, co: LuaThread, args: LuaValue[]): [boolean, LuaValue[]] {
  const impl = co.impl as CoImpl;
  if (co.status === 'dead') return [false, ['cannot resume dead coroutine']];
  if (co.status !== 'suspended') return [false, ['cannot resume non-suspended coroutine']];
  const prev = L.currentThread;
  if (prev) prev.status = 'normal';
  co.status = 'running';
  L.currentThread = co;
  const base = L.depth;
  const ccalls = L.ccalls;
  const prevBase = L.threadBase;
  const prevNonYieldable = L.nonYieldable;
  L.threadBase = base;
  L.nonYieldable = impl.nonYieldable;
  for (const fr of impl.saved) L.frames[++L.depth] = fr;
  impl.saved = [];
  try {
    let r: IteratorResult<LuaValue[], LuaValue[]>;
    if (impl.gen === undefined) {
      impl.gen = genCall(L, impl.fn, args, undefined, '');
      r = impl.gen.next();
    } else {
      r = impl.gen.next(args);
    }
    if (r.done) {
      co.status = 'dead';
      L.depth = base;
      return [true, r.value];
    }
    impl.saved = L.frames.slice(base + 1, L.depth + 1);
    for (let i = base + 1; i <= L.depth; i++) L.frames[i] = new Frame();
    L.depth = base;
    co.status = 'suspended';
    return [true, r.value];
  } catch (e) {
    co.status = 'dead';
    L.depth = base;
    L.ccalls = ccalls;
    if (e instanceof LuaError) return [false, [e.value]];
    if (e instanceof RangeError) return [false, [(L.normalizeError(e) as LuaError).value]];
    throw e;
  } finally {
    impl.nonYieldable = L.nonYieldable;
    L.threadBase = prevBase;
    L.nonYieldable = prevNonYieldable;
    L.currentThread = prev;
    if (prev) prev.status = 'running';
  }
}

function checkCo(L: LuaCallContext, a: LuaValue[]): LuaThread {
  const co = a[0];
  if (!(co instanceof LuaThread)) return L.argError(1, 'coroutine expected');
  return co;
}

function create(L: LuaCallContext, a: LuaValue[]): LuaThread {
  const f = a[0];
  if (!(f instanceof LuaClosure)) L.argError(1, 'Lua function expected');
  const co = new LuaThread();
  co.impl = { fn: f, gen: undefined, saved: [], nonYieldable: 0 } satisfies CoImpl;
  return co;
}

export function openCoroutine(L: LuaState): void {
  const t = new LuaTable();
  const def = (name: string, fn: (L: LuaCallContext, args: LuaValue[]) => LuaValue[]) => {
    const f = new LuaFunction(name, fn);
    t.set(name, f);
    return f;
  };
  def('create', (L, a) => [create(L, a)]);
  def('resume', (L, a) => {
    const co = checkCo(L, a);
    const [ok, vs] = resume(L as LuaState, co, a.slice(1));
    return [ok, ...vs];
  });
  // Reached only when called directly (from a native, or from the main script, which Redis
  // itself runs from C): Lua 5.1's lua_yield refuses.
  const yieldFn = def('yield', () => {
    throw new LuaError('attempt to yield across metamethod/C-call boundary');
  });
  L.special.yieldFn = yieldFn;
  def('status', (L, a) => [checkCo(L, a).status]);
  def('running', (L) => [(L as LuaState).currentThread]);
  def('wrap', (L, a) => {
    const co = create(L, a);
    return [new LuaFunction('wrap', (L, args) => {
      const [ok, vs] = resume(L as LuaState, co, args);
      if (!ok) {
        let v = vs[0];
        if (typeof v === 'string' || typeof v === 'number') v = L.where(1) + (typeof v === 'number' ? L.tostring(v) : v);
        throw new LuaError(v);
      }
      return vs;
    })];
  });
  L.globals.set('coroutine', t);
}
