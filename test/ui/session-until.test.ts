/**
 * "▶▶ until" a sentinel event: the session fast-forwards until a sentinel logs it (a sentinel
 * event is no kernel trace record), stops right after it, and the run is the one a plain
 * fast-forward to the same time gives (asking the sentinels changes nothing).
 */
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/ui/world/session.svelte';
import { InlineRuntime } from '../../src/sim/runtime/runtime';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { presetById } from '../../src/ui/world/presets';
import { SENTINEL_UNTIL_KINDS, TRACE_UNTIL_KINDS, isSentinelEventKind } from '../../src/ui/time/until-kinds';

function session(): Session {
  const p = presetById('three-hosts-sentinels')!;
  return new Session({ seed: p.seed, hosts: p.hosts }, { runtime: () => new InlineRuntime(STANDARD_PROGRAMS), programs: STANDARD_PROGRAMS, autoplayClock: false });
}

describe('until kinds', () => {
  it('offers the failover events, told apart from trace kinds', () => {
    for (const k of ['+sdown', '+odown', '+new-epoch', '+vote-for-leader', '+elected-leader', '+switch-master', '+failover-end']) {
      expect(SENTINEL_UNTIL_KINDS).toContain(k);
      expect(isSentinelEventKind(k)).toBe(true);
    }
    expect(TRACE_UNTIL_KINDS.some(isSentinelEventKind)).toBe(false);
  });
});

describe('Session.forwardUntil a sentinel event', () => {
  it('stops right after the sentinels log +sdown, then +switch-master, as a plain forward would run', async () => {
    const s = session();
    await s.start();
    await s.forward(15_000);
    const master = s.world.processes('redis01').find((p) => p.argv[0] === 'redis-server')!;
    s.kill('redis01', master.pid, 'SIGKILL');
    const killedAt = s.world.now;

    expect(await s.forwardUntil('+sdown', 120_000)).toBe(true);
    const sdown = s.sentinelEvents.filter((e) => e.kind === '+sdown' && e.t >= killedAt);
    expect(sdown.length).toBeGreaterThan(0);
    // down-after-milliseconds 30000: not before, and the forward stopped within a poll of it.
    expect(sdown[0].t - killedAt).toBeGreaterThanOrEqual(30_000);
    expect(s.world.now - sdown[0].t).toBeLessThan(50);

    expect(await s.forwardUntil('+switch-master', 120_000)).toBe(true);
    const switched = s.sentinelEvents.find((e) => e.kind === '+switch-master')!;
    expect(switched.detail).toMatch(/^mymaster \S+ 6379 \S+ 6379$/);
    expect(s.world.now - switched.t).toBeLessThan(50);
    const stoppedAt = s.world.now;
    const hash = s.world.trace.hash();

    // The same world, inputs and time without asking anyone: the same trace.
    const plain = session();
    await plain.start();
    await plain.forward(15_000);
    plain.kill('redis01', master.pid, 'SIGKILL');
    await plain.forward(stoppedAt - plain.world.now);
    expect(plain.world.now).toBe(stoppedAt);
    expect(plain.world.trace.hash()).toBe(hash);
    plain.dispose();
    s.dispose();
  }, 120_000);

  it('gives up at the timeout when no sentinel logs the event', async () => {
    const s = session();
    await s.start();
    const from = s.world.now;
    expect(await s.forwardUntil('+switch-master', 5000)).toBe(false);
    expect(s.world.now).toBe(from + 5000);
    s.dispose();
  }, 60_000);
});

describe('Session.stopUntil', () => {
  it('ends a fast-forward until what does not come, at once, and leaves the clock paused', async () => {
    for (const kind of ['power-off', '+switch-master']) {
      const s = session();
      await s.start();
      s.play();
      const from = s.world.now;
      const until = s.forwardUntil(kind, 600_000);
      // Stopped after the first rounds (a trace record or a sentinel poll).
      let stopped = false;
      const off = s.world.on('trace', () => {
        if (!stopped && s.world.now - from >= 2000) {
          stopped = true;
          s.stopUntil();
        }
      });
      expect(await until, kind).toBe(false);
      off();
      // Before, the only way out was the forward's timeout: 600 s of virtual time.
      expect(s.world.now - from, kind).toBeLessThan(10_000);
      expect(s.playing, kind).toBe(false);
      expect(s.world.speed, kind).toBeNull();
      s.dispose();
    }
  }, 60_000);
});
