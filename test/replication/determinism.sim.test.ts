/**
 * Replication is deterministic in the simulation: the link machines' timers run on the
 * processes' Os clock, so a replication scenario (full sync, chained replica, a partition
 * that times the link out, a promotion) gives the same trace inline twice and with one
 * worker thread per process.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import type { Runtime } from '../../src/sim/runtime/runtime';
import { NodeWorkerRuntime } from '../../src/sim/runtime/node-worker-runtime';
import { programs } from '../sim/programs';

async function scenario(runtime?: Runtime): Promise<World> {
  const w = new World({
    seed: 99, programs, runtime,
    hosts: [{ name: 'a', ip: '10.0.2.1' }, { name: 'b', ip: '10.0.2.2' }, { name: 'c', ip: '10.0.2.3' }],
    links: [{ a: 'a', b: 'b', params: { latencyMs: 0.4, jitterMs: 0.3 } }, { a: 'b', b: 'c', params: { latencyMs: 0.4, jitterMs: 0.3 } }],
  });
  const common = '--protected-mode no --save "" --logfile /tmp/redis.log --repl-timeout 4 --repl-diskless-sync-delay 1 --enable-debug-command yes';
  await w.exec('a', `redis-server ${common} &`);
  await w.exec('b', `redis-server ${common} --replicaof 10.0.2.1 6379 &`);
  await w.exec('c', `redis-server ${common} --replicaof 10.0.2.2 6379 &`);
  await w.exec('a', 'redis-cli set k0 v0');
  await w.advance(4000);
  const term = w.openTerminal('a');
  w.type(term, 'redis-cli debug populate 200 k 8 > /dev/null; for i in 1 2 3 4 5; do redis-cli set k$i v$i > /dev/null; done');
  await w.advance(500);
  w.partition(['a'], ['b']);
  await w.advance(7000);
  w.heal();
  await w.advance(3000);
  await w.exec('b', 'redis-cli replicaof no one');
  await w.exec('b', 'redis-cli set after promotion');
  await w.advance(2000);
  return w;
}

describe('replication determinism', () => {
  it('same trace inline twice and in worker threads', async () => {
    const a = await scenario();
    const summary = (w: World) => ({ hash: w.trace.hash(), count: w.trace.count, fp: w.fingerprint() });
    const sa = summary(a);
    const log = a.readText('c', '/tmp/redis.log')!;
    expect(log).toContain('MASTER <-> REPLICA sync: Finished with success');
    expect(a.readText('b', '/tmp/redis.log')).toContain('MASTER timeout: no data nor PING received...');
    expect((await a.exec('c', 'redis-cli get after')).output.trim()).toBe('promotion');
    expect(summary(await scenario())).toEqual(sa);
    const runtime = new NodeWorkerRuntime(new URL('../sim/programs.ts', import.meta.url).href);
    try {
      const c = await scenario(runtime);
      expect(summary(c)).toEqual(sa);
      c.dispose();
    } finally {
      runtime.dispose();
    }
  }, 120_000);
});
