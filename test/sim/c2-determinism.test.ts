/**
 * Lab C2's automatic failover (three hosts, a redis-server and a sentinel on each, the master
 * killed with kill -9) played twice inline (checking every macrotask turn the runners skip, and
 * skipping them unchecked), once inline with the conductor ignoring quiet cron ticks, and once
 * with one worker thread per process: the same seed and the same inputs give
 * the same trace hash. The sentinels' randomness (hello
 * jitter, election timeouts) comes from the world's seeded streams, so even the elected leader
 * is the same every time; another seed gives another trace.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import { NodeWorkerRuntime } from '../../src/sim/runtime/node-worker-runtime';
import type { Runtime } from '../../src/sim/runtime/runtime';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { turnCheck } from '../../src/sim/runtime/runner';

const HOSTS = [
  { name: 'cache01', ip: '10.0.0.11' }, { name: 'cache02', ip: '10.0.0.12' }, { name: 'cache03', ip: '10.0.0.13' },
];

async function c2Failover(opts: { seed?: number; runtime?: Runtime; quietTimers?: boolean } = {}): Promise<World> {
  const w = new World({ seed: opts.seed ?? 3, hosts: HOSTS, programs: STANDARD_PROGRAMS, runtime: opts.runtime, quietTimers: opts.quietTimers });
  for (const h of HOSTS) {
    const replicaof = h.name === 'cache01' ? '' : 'replicaof 10.0.0.11 6379\n';
    await w.exec(h.name, 'mkdir -p /etc/redis /var/redis/6379');
    await w.exec(h.name, `cat > /etc/redis/6379.conf << 'EOF'\nport 6379\nbind 0.0.0.0\nprotected-mode no\ndir /var/redis/6379\nlogfile /var/log/redis_6379.log\n${replicaof}EOF`);
    await w.exec(h.name, 'redis-server /etc/redis/6379.conf &');
  }
  for (const h of HOSTS) {
    await w.exec(h.name, `cat > /etc/redis/sentinel.conf << 'EOF'\nport 26379\nlogfile /var/log/sentinel.log\ndir /tmp\nsentinel monitor mymaster 10.0.0.11 6379 2\nsentinel down-after-milliseconds mymaster 5000\nsentinel failover-timeout mymaster 15000\nEOF`);
    await w.exec(h.name, 'redis-sentinel /etc/redis/sentinel.conf &');
  }
  await w.advance(15_000);
  await w.exec('cache01', 'redis-cli set before-failover 1');
  const master = w.processes('cache01').find((p) => p.argv[0] === 'redis-server')!;
  w.kill('cache01', master.pid, 'SIGKILL');
  await w.advance(40_000);
  return w;
}

describe('sim determinism: lab C2', () => {
  it('the sentinels fail over the same way inline twice and in worker threads, with the same trace hash', async () => {
    const summary = (w: World) => ({ hash: w.trace.hash(), count: w.trace.count, fp: w.fingerprint() });
    const a = await c2Failover();
    const logs = HOSTS.map((h) => a.readText(h.name, '/var/log/sentinel.log') ?? '').join('\n');
    // It really failed over: an objective down, a leader, and the switch to a replica.
    expect(logs).toMatch(/\+odown master mymaster 10\.0\.0\.11 6379 #quorum \d\/2/);
    expect(logs).toMatch(/\+elected-leader master mymaster 10\.0\.0\.11 6379/);
    expect(logs).toMatch(/\+switch-master mymaster 10\.0\.0\.11 6379 10\.0\.0\.1[23] 6379/);
    const sa = summary(a);
    const rounds = a.stats().windows;
    a.dispose();
    // Again with the runners skipping the macrotask turns nothing needs, as outside tests (the
    // test setup makes every skipped turn a checked one; worker threads below skip them too).
    turnCheck.enabled = false;
    let b: World;
    try { b = await c2Failover(); } finally { turnCheck.enabled = true; }
    expect(summary(b)).toEqual(sa);
    b.dispose();

    // The sentinels' and servers' quiet cron ticks (Os.setTimer's quietUntil) only save rounds.
    const plain = await c2Failover({ quietTimers: false });
    expect(summary(plain)).toEqual(sa);
    expect(rounds).toBeLessThan(plain.stats().windows * 0.7);
    plain.dispose();

    const runtime = new NodeWorkerRuntime(new URL('./programs.ts', import.meta.url).href);
    try {
      const c = await c2Failover({ runtime });
      expect(summary(c)).toEqual(sa);
      c.dispose();
    } finally {
      runtime.dispose();
    }

    const d = await c2Failover({ seed: 4 });
    expect(d.trace.hash()).not.toBe(sa.hash);
    d.dispose();
  }, 180_000);
});
