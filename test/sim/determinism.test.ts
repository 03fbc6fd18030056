/**
 * Same seed + same inputs ⇒ same trace, whether processes run inline or one per worker thread.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from './scenario';
import { NodeWorkerRuntime } from '../../src/sim/runtime/node-worker-runtime';

describe('sim determinism', () => {
  it('three redis-servers under client load with faults: identical trace hash inline twice and in worker threads', async () => {
    const a = await runScenario();
    const b = await runScenario();
    const summary = (w: Awaited<ReturnType<typeof runScenario>>) => ({ hash: w.trace.hash(), count: w.trace.count, fp: w.fingerprint() });
    const sa = summary(a);
    expect(sa.count).toBeGreaterThan(2000);
    expect(a.readText('client', '/tmp/a.log')).toMatch(/^done 300 ok 0 errors\n$/);
    // The client of the killed server saw its connection end.
    expect(a.readText('client', '/tmp/c.log')).toMatch(/done 300|connection closed: eof/);
    expect(a.trace.recent().some((r) => r.kind === 'stall')).toBe(true);
    expect(a.readText('redis-1', '/tmp/forker.log')).toContain('child exited 7');
    expect(a.readText('client', '/tmp/piped.log')).toBe('PIPED\n');
    // The partition cost the ping some of its replies.
    expect(a.readText('client', '/tmp/ping.log')).toMatch(/\n12 packets transmitted, [1-9]\d* received, [\d.]+% packet loss, time 2200ms\nrtt /);
    expect(a.readText('client', '/tmp/ping.log')).not.toContain(' 12 received');
    expect(a.readText('redis-2', '/var/log/redis.log')).toContain('Ready to accept connections');
    expect(summary(b)).toEqual(sa);

    const runtime = new NodeWorkerRuntime(new URL('./programs.ts', import.meta.url).href);
    try {
      const c = await runScenario({ runtime });
      expect(summary(c)).toEqual(sa);
      c.dispose();
    } finally {
      runtime.dispose();
    }

    const d = await runScenario({ seed: 7 });
    expect(d.trace.hash()).not.toBe(sa.hash);
  }, 60_000);
});
