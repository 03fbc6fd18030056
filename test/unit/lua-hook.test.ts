/**
 * The Lua interpreter's embedding API: the count hook (charging, aborting) and resumable runs
 * that a hook can suspend and the embedder resume later.
 */
import { describe, expect, it } from 'vitest';
import { getRandomState, newLuaState, LuaError, LuaTable, setRandomState, type LuaValue } from '../../src/engine/lua/index';

const LOOP = 'local t = {} local s = 0 for i = 1, 20000 do s = s + i % 7 t[i % 10 + 1] = s end return s';

function run(src: string): LuaValue[] {
  const L = newLuaState();
  return L.callProtected(L.load(src, '@user_script'), []);
}

describe('lua count hook', () => {
  it('calls the hook about every N instructions', () => {
    const L = newLuaState();
    let calls = 0;
    L.setHook(() => { calls++; }, 1000);
    const r = L.callProtected(L.load(LOOP, '@user_script'), []);
    expect(r[0]).toBe(run(LOOP)[0]);
    expect(calls).toBeGreaterThan(20);
    expect(L.instructionsRun()).toBeGreaterThan(20000);
  });

  it('lets the hook see the running line (where(0))', () => {
    const L = newLuaState();
    const seen = new Set<string>();
    L.setHook((L) => { seen.add(L.where(0)); }, 100);
    L.callProtected(L.load('local i = 0\nwhile i < 5000 do i = i + 1 end\nfor j = 1, 5000 do i = i - 1 end\nreturn i', '@user_script'), []);
    expect([...seen].sort()).toEqual(['user_script:2: ', 'user_script:3: ']);
  });

  it('aborts the script when the hook throws, even under pcall', () => {
    const L = newLuaState();
    class Abort extends Error {}
    let n = 0;
    L.setHook(() => { if (++n > 5) throw new Abort('killed'); }, 100);
    const fn = L.load('local ok = pcall(function() while true do end end) return ok', '@user_script');
    expect(() => L.callProtected(fn, [])).toThrow(Abort);
    // The state stays usable after an abort.
    L.setHook(undefined);
    expect(L.callProtected(L.load('return 1 + 1', '@x'), [])).toEqual([2]);
  });

  it('a LuaError thrown by the hook is a script error pcall can catch', () => {
    const L = newLuaState();
    let fired = false;
    L.setHook(() => { if (!fired) { fired = true; throw new LuaError('Script killed'); } }, 50);
    const r = L.callProtected(L.load('local ok, e = pcall(function() for i = 1, 1000 do end end) return e', '@user_script'), []);
    expect(r).toEqual(['Script killed']);
  });
});

describe('lua resumable runs', () => {
  const SCRIPTS = [
    LOOP,
    'local function f(n) if n < 2 then return n end return f(n - 1) + f(n - 2) end return f(15)',
    'local ok, v = pcall(function() local s = 0 for i = 1, 5000 do s = s + i end return s end) return v',
    'local co = coroutine.wrap(function() for i = 1, 3000 do coroutine.yield(i) end end) local s = 0 for i = 1, 3000 do s = s + co() end return s',
    'local t = {} for i = 1, 2000 do t[i] = (i * 7919) % 1009 end table.sort(t) local s = 0 for i = 1, 2000 do s = s + t[i] end return s',
    'local ok, e = pcall(function() local x = nil; for i = 1, 3000 do end return x.y end) return e',
  ];
  for (const src of SCRIPTS) {
    it(`suspends and resumes to the same result: ${src.slice(0, 50)}`, () => {
      const L = newLuaState();
      L.setHook((L) => L.requestSuspend(), 500);
      const runner = L.startResumable(L.load(src, '@user_script'), []);
      let suspensions = 0;
      for (;;) {
        const r = runner.resume();
        if (r.done) {
          expect(r.values).toEqual(run(src));
          break;
        }
        suspensions++;
        // Other work between suspensions: another chunk on the same state.
        expect(L.callProtected(L.load('return 40 + 2', '@other'), [])).toEqual([42]);
      }
      expect(suspensions).toBeGreaterThan(0);
      expect(L.depth).toBe(0);
    });
  }

  it('keeps calling the hook while code that cannot suspend runs (a sort comparator loop)', () => {
    const L = newLuaState();
    class Abort extends Error {}
    let calls = 0;
    L.setHook((L) => {
      L.requestSuspend();
      if (++calls > 10) throw new Abort('killed');
    }, 1000);
    const runner = L.startResumable(L.load('table.sort({3, 2, 1}, function(a, b) while true do end end)', '@user_script'), []);
    expect(() => { while (!runner.resume().done) { /* resume */ } }).toThrow(Abort);
    expect(calls).toBe(11);
  });

  it('counts instructions across suspensions', () => {
    const L = newLuaState();
    L.setHook((L) => L.requestSuspend(), 100);
    const runner = L.startResumable(L.load('local s = 0 for i = 1, 10000 do s = s + i end return s', '@user_script'), []);
    while (!runner.resume().done) { /* resume */ }
    expect(L.instructionsRun()).toBeGreaterThanOrEqual(10000);
    expect(L.instructionsRun()).toBeLessThan(40000);
  });

  it('reports script errors from resume()', () => {
    const L = newLuaState();
    L.setHook((L) => L.requestSuspend(), 100);
    const runner = L.startResumable(L.load('for i = 1, 1000 do end local t = nil return t.x', '@user_script'), []);
    let err: unknown;
    try {
      while (!runner.resume().done) { /* resume until it fails */ }
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LuaError);
    expect((err as LuaError).value).toBe("user_script:1: attempt to index local 't' (a nil value)");
  });

  it('coroutine.yield in the main run is refused as in Redis', () => {
    const L = newLuaState();
    const runner = L.startResumable(L.load('return pcall(coroutine.yield, 1)', '@user_script'), []);
    const r = runner.resume();
    expect(r.done && r.values).toEqual([false, 'attempt to yield across metamethod/C-call boundary']);
    void LuaTable;
  });
});

describe('lua math.random', () => {
  it("starts from rand.c's initial state, as a fresh redis-server's first script sees it", () => {
    // Measured on a fresh redis-server 7.0.15: EVAL 'return {math.random(100), tostring(math.random()), math.random(5,10)}' 0
    expect(run('return math.random(100), tostring(math.random()), math.random(5, 10)')).toEqual([40, '0.84048536971234', 7]);
  });

  it('carries its state to a new Lua state (Redis keeps one PRNG per server)', () => {
    const L1 = newLuaState();
    L1.callProtected(L1.load('math.random()', '@x'), []);
    const L2 = newLuaState();
    setRandomState(L2, getRandomState(L1));
    const a = L1.callProtected(L1.load('return math.random(1000000)', '@x'), []);
    const b = L2.callProtected(L2.load('return math.random(1000000)', '@x'), []);
    expect(b).toEqual(a);
  });
});
