/**
 * A worker whose processes are gone is reset and serves the next process (worker-pool.ts):
 * nothing of the previous process may show, so the trace stays the inline one, and a rewind
 * (every worker reset at once, then the world re-executed on them) lands on the same state.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import { NodeWorkerRuntime } from '../../src/sim/runtime/node-worker-runtime';
import { programs } from './programs';

const HOSTS = [{ name: 'redis-1', ip: '10.0.0.11' }, { name: 'client', ip: '10.0.0.20' }];

/** Short-lived clients one after another, a server killed and another started in its place. */
async function churn(world: World): Promise<string> {
  await world.exec('redis-1', 'redis-server --port 6379 --protected-mode no --save "" --logfile /var/log/r.log &');
  await world.advance(200);
  let out = '';
  for (let i = 0; i < 6; i++) out += (await world.exec('client', `redis-cli -h 10.0.0.11 INCR n`)).output;
  const server = world.processes('redis-1').find((p) => p.argv[0] === 'redis-server')!;
  world.kill('redis-1', server.pid, 'SIGKILL');
  await world.advance(100);
  await world.exec('redis-1', 'redis-server --port 6380 --protected-mode no --save "" --logfile /var/log/r2.log &');
  await world.advance(200);
  for (let i = 0; i < 3; i++) out += (await world.exec('client', `redis-cli -h 10.0.0.11 -p 6380 INCR n`)).output;
  return out;
}

describe('worker reuse', () => {
  it('processes started one after another reuse reset workers; same trace as inline, and after a rewind', async () => {
    const inline = new World({ seed: 5, hosts: HOSTS, programs });
    const out = await churn(inline);
    expect(out).toBe('1\n2\n3\n4\n5\n6\n1\n2\n3\n');
    const checkpoint = { t: inline.now, hash: inline.trace.hash(), fp: inline.fingerprint() };
    inline.dispose();

    const runtime = new NodeWorkerRuntime(new URL('./programs.ts', import.meta.url).href);
    const world = new World({ seed: 5, hosts: HOSTS, programs, runtime });
    try {
      expect(await churn(world)).toBe(out);
      expect({ t: world.now, hash: world.trace.hash(), fp: world.fingerprint() }).toEqual(checkpoint);
      // 11 processes (2 servers, 9 clients), never more than 2 at once, plus the warm spare.
      const started = runtime.workersStarted;
      expect(started).toBeLessThanOrEqual(4);
      // Rewind: every worker reset and reused; the re-execution reaches the same state.
      await world.rewind(checkpoint.t);
      expect({ t: world.now, hash: world.trace.hash(), fp: world.fingerprint() }).toEqual(checkpoint);
      expect(runtime.workersStarted).toBe(started);
    } finally {
      world.dispose();
    }
  }, 60_000);
});
