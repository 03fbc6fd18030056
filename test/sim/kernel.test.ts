import { describe, expect, it } from 'vitest';
import { TraceHash, fnv32, payloadHash } from '../../src/sim/kernel/hash';
import { Rng } from '../../src/sim/kernel/rng';
import { Heap } from '../../src/sim/kernel/heap';
import { Disk } from '../../src/sim/kernel/disk';
import { DISK_PRESETS } from '../../src/sim/protocol';
import { world } from './helpers';
import type { WallClock } from '../../src/sim/world';

describe('sim kernel primitives', () => {
  it('payload hash is FNV-1a 32; the trace hash depends on every field and on field boundaries', () => {
    expect(fnv32(new TextEncoder().encode('a'))).toBe(0xe40c292c);
    const h = (fields: (string | number)[][]) => {
      const x = new TraceHash();
      for (const rec of fields) { for (const f of rec) { if (typeof f === 'number') x.number(f); else x.string(f); } x.end(); }
      return x.hex();
    };
    const base = h([[1.5, 'host', 7, 'send', 'a b']]);
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(h([[1.5, 'host', 7, 'send', 'a b']])).toBe(base);
    for (const other of [[[1.5000001, 'host', 7, 'send', 'a b']], [[1.5, 'hosu', 7, 'send', 'a b']], [[1.5, 'host', 8, 'send', 'a b']],
      [[1.5, 'hos', 't', 7, 'send', 'a b']], [[1.5, 'host', 7, 'send', 'a b'], []], [[1.5, 'host', 7, 'send', 'a c']]]) {
      expect(h(other)).not.toBe(base);
    }
  });

  it('payload fingerprints: the same bytes at any alignment agree; a changed byte or length changes them', () => {
    const buf = new Uint8Array(1027);
    for (let i = 0; i < buf.length; i++) buf[i] = (i * 131 + 7) & 255;
    const bytes = buf.subarray(3, 1003);
    const base = payloadHash(bytes);
    expect(payloadHash(bytes.slice())).toBe(base);
    for (const at of [0, 1, 500, 996, 999]) {
      const other = bytes.slice();
      other[at] ^= 0x80;
      expect(payloadHash(other)).not.toBe(base);
    }
    expect(payloadHash(bytes.subarray(0, 999))).not.toBe(base);
    expect(payloadHash(new Uint8Array(0))).not.toBe(payloadHash(new Uint8Array(1)));
  });

  it('RNG streams are deterministic per (seed, name) and independent across names', () => {
    const a1 = new Rng(1, 'x');
    const a2 = new Rng(1, 'x');
    const b = new Rng(1, 'y');
    const c = new Rng(2, 'x');
    const xs = Array.from({ length: 5 }, () => a1.next());
    expect(Array.from({ length: 5 }, () => a2.next())).toEqual(xs);
    expect(b.next()).not.toBe(xs[0]);
    expect(c.next()).not.toBe(xs[0]);
    const r = new Rng(3, 'range');
    for (let i = 0; i < 1000; i++) { const v = r.next(); expect(v >= 0 && v < 1).toBe(true); }
  });

  it('the heap pops in order', () => {
    const h = new Heap<number>((a, b) => a < b);
    for (const x of [5, 1, 4, 2, 3, 0]) h.push(x);
    expect(Array.from({ length: 6 }, () => h.pop())).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('disk keeps durable bytes apart from the page cache (append, fsync, truncate, power loss)', () => {
    const d = new Disk(DISK_PRESETS.ssd, () => undefined);
    d.mkdir('/data', false, 0);
    const f = d.create('/data/a', false, 0) as Exclude<ReturnType<Disk['create']>, string>;
    f.append(new Uint8Array([1, 2, 3]), 0);
    f.sync();
    f.append(new Uint8Array([4]), 1);
    f.truncate(1, 2);
    expect([...f.bytes()]).toEqual([1]);
    expect([...f.durableBytes()]).toEqual([1, 2, 3]);
    d.powerLoss(0, new Rng(1, 't'));
    expect([...f.bytes()]).toEqual([1, 2, 3]);
    expect(d.rename('/data/a', '/nope/b', 3)).toBe('ENOENT');
    expect(d.rmdir('/data')).toBe('ENOTEMPTY');
  });
});

describe('sim conductor and time modes', () => {
  it('skips idle time: an hour of an idle world costs a handful of windows', async () => {
    const w = world();
    await w.advance(3_600_000);
    expect(w.now).toBe(Date.UTC(2024, 4, 1, 11, 0, 0));
    expect(w.stats().windows).toBeLessThan(5);
  });

  it('step runs one window; runUntil stops as soon as the predicate holds', async () => {
    const w = world();
    w.input({ kind: 'exec', host: 'redis-1', command: 'sleep 5; echo done > /tmp/d', id: 99 });
    expect(await w.step()).toBe(true);
    const ok = await w.runUntil(() => w.readText('redis-1', '/tmp/d') !== null, { timeoutMs: 10_000 });
    expect(ok).toBe(true);
    expect(w.now - Date.UTC(2024, 4, 1, 10, 0, 0)).toBeGreaterThanOrEqual(5000);
    expect(w.now - Date.UTC(2024, 4, 1, 10, 0, 0)).toBeLessThan(5001);
    expect(await w.runUntil(() => false, { timeoutMs: 1000 })).toBe(false);
  });

  it('real time × speed follows an injected wall clock', async () => {
    const w = world();
    let wallNow = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const wall: WallClock = { now: () => wallNow, setTimeout: (fn, ms) => { const t = { at: wallNow + ms, fn }; timers.push(t); return t; }, clearTimeout: (h) => { const i = timers.indexOf(h as never); if (i >= 0) timers.splice(i, 1); } };
    const start = w.now;
    w.play(10, wall);
    for (let i = 0; i < 50; i++) {
      wallNow += 20;
      const due = timers.splice(0).filter((t) => t.at <= wallNow);
      for (const t of due) t.fn();
      await new Promise((r) => setTimeout(r, 0));
    }
    // ~1 s of wall time at 10x ≈ 10 s of virtual time.
    expect(w.now - start).toBeGreaterThan(9000);
    expect(w.now - start).toBeLessThanOrEqual(10_000);
    // Too soon to tell the speed it runs at (speed-meter.ts: 2 s of wall time); later, it kept up.
    expect(w.achievedSpeed).toBe(null);
    for (let i = 0; i < 60; i++) {
      wallNow += 20;
      const due = timers.splice(0).filter((t) => t.at <= wallNow);
      for (const t of due) t.fn();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(w.achievedSpeed).toBeGreaterThan(9.5);
    expect(w.achievedSpeed).toBeLessThanOrEqual(10);
    w.pause();
    expect(w.speed).toBe(null);
    expect(w.achievedSpeed).toBe(null);
  });

  it('a new speed drops the old one\'s target: the clock neither jumps nor stands still', async () => {
    const w = world();
    for (const h of w.hosts().map((x) => x.name)) await w.exec(h, 'redis-server --port 6379 --save "" &');
    let wallNow = 0;
    let looks = 0;
    let switchAtLook = -1;
    let virtualAtSwitch = NaN;
    const timers: { at: number; fn: () => void }[] = [];
    const wall: WallClock = {
      now: () => {
        // Mid-slice (the world looks at the clock between rounds), the learner picks 1x.
        if (++looks === switchAtLook) { virtualAtSwitch = w.now; w.play(1, wall); }
        return wallNow;
      },
      setTimeout: (fn, ms) => { const t = { at: wallNow + ms, fn }; timers.push(t); return t; },
      clearTimeout: (h) => { const i = timers.indexOf(h as never); if (i >= 0) timers.splice(i, 1); },
    };
    const fireDue = async () => {
      for (const t of timers.splice(0).filter((x) => x.at <= wallNow)) t.fn();
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    };
    w.play(100, wall);
    await fireDue();
    // A second of wall time at 100x: the slice that starts now aims 100 virtual s ahead.
    wallNow += 1000;
    switchAtLook = looks + 6;
    await fireDue();
    expect(w.speed).toBe(1);
    // The 100x slice stopped within a round or two of the switch; it did not run to its target.
    expect(w.now - virtualAtSwitch).toBeLessThan(500);
    // At 1x the clock moves on with the wall clock at once: no debt, no stall.
    const v0 = w.now;
    for (let i = 0; i < 50; i++) { wallNow += 20; await fireDue(); }
    expect(w.now - v0).toBeGreaterThan(900);
    expect(w.now - v0).toBeLessThanOrEqual(1000);
    w.pause();
  });

  it('a world that falls behind works on at once, catches up a short lag and forgives a long one', async () => {
    const w = world();
    // Servers' crons make a round at least every 100 virtual ms.
    for (const h of w.hosts().map((x) => x.name)) await w.exec(h, 'redis-server --port 6379 --save "" &');
    // Every look at this wall clock costs `costMs` of wall time: with a cost, each round of the
    // world "takes" that long, so at 10x it cannot keep up.
    let wallNow = 0;
    let costMs = 0;
    const timers: { at: number; ms: number; fn: () => void }[] = [];
    const wall: WallClock = {
      now: () => (wallNow += costMs),
      setTimeout: (fn, ms) => { const t = { at: wallNow + ms, ms, fn }; timers.push(t); return t; },
      clearTimeout: (h) => { const i = timers.indexOf(h as never); if (i >= 0) timers.splice(i, 1); },
    };
    const fire = async () => {
      const t = timers.shift()!;
      if (t.at > wallNow) wallNow = t.at;
      t.fn();
      for (let i = 0; i < 50 && timers.length === 0; i++) await new Promise((r) => setTimeout(r, 0));
    };
    const start = w.now;
    w.play(10, wall);
    await fire();
    // Slow: the world falls behind; it never waits a frame, and its lag stays bounded.
    costMs = 20;
    const delays: number[] = [];
    for (let i = 0; i < 30; i++) { delays.push(timers[0].ms); await fire(); }
    expect(delays.slice(2).every((ms) => ms === 0)).toBe(true);
    // 30 rounds of 20 ms at 10x: the world fell far behind the original schedule...
    expect(wallNow - (w.now - start) / 10).toBeGreaterThan(500);
    // ...and, once it has played 2 s of wall time, reports the speed it really runs at, well
    // below the 10x asked for.
    while (wallNow < 2500) await fire();
    expect(w.achievedSpeed).not.toBeNull();
    expect(w.achievedSpeed!).toBeLessThan(9);
    expect(w.achievedSpeed!).toBeGreaterThan(0);
    // ...but when it is fast again it catches up only the last PLAY_MAX_LAG_MS (250 ms of wall
    // time) of that, not everything it missed.
    costMs = 0;
    const v0 = w.now;
    const wall0 = wallNow;
    for (let i = 0; i < 20; i++) await fire();
    const caughtUpMs = (w.now - v0) / 10 - (wallNow - wall0);
    expect(caughtUpMs).toBeGreaterThan(200);
    expect(caughtUpMs).toBeLessThanOrEqual(250);
    w.pause();
  });
});
