/**
 * A recorded session replays to the same state; rewinding re-executes up to a time and
 * reaches the state the live session had then.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import { THREE_HOSTS, typeAndRun, world } from './helpers';
import { programs } from './programs';

async function session(w: World): Promise<void> {
  const t = w.openTerminal('redis-1');
  await typeAndRun(w, t, 'redis-server --port 6379 --protected-mode no --save "" --logfile /var/log/redis.log &', 300);
  await typeAndRun(w, t, "cat > /root/note <<'EOF'\nhello\nEOF", 50);
  const c = w.openTerminal('client');
  await typeAndRun(w, c, 'load-client 10.0.0.11 6379 100 k 5 > /tmp/load.log &', 200);
  w.partition(['client'], ['redis-1']);
  await w.advance(1500);
  w.heal();
  await w.advance(2000);
  await typeAndRun(w, t, 'pkill -9 redis-server; echo $? >> /root/note', 100);
  w.powerOff('client');
  await w.advance(1000);
  w.powerOn('client');
  await w.advance(500);
}

describe('sim replay and rewind', () => {
  it('replaying the recorded inputs gives the same trace, files and processes', async () => {
    const live = world();
    await session(live);
    const inputs = live.recordedInputs();
    expect(inputs.length).toBeGreaterThan(8);
    const replayed = await World.replay({ seed: 42, hosts: THREE_HOSTS, programs }, inputs, live.now);
    expect(replayed.now).toBe(live.now);
    expect(replayed.fingerprint()).toEqual(live.fingerprint());
    expect(replayed.terminal(1)!.text()).toBe(live.terminal(1)!.text());
  });

  it('rewind to an earlier time reaches the state recorded at that time', async () => {
    const w = world({ checkpointEveryMs: 1000 });
    await session(w);
    const finalFp = w.fingerprint();
    const cp = w.checkpoints.find((c) => c.t >= w.checkpoints[0].t + 2000)!;
    const t0 = performance.now();
    await w.rewind(cp.t);
    const wallMs = performance.now() - t0;
    expect(w.now).toBe(cp.t);
    expect(w.trace.hash()).toBe(cp.hash);
    expect(w.trace.count).toBe(cp.traceCount);
    expect(wallMs).toBeLessThan(5000);
    expect(finalFp.hash).not.toBe(cp.hash);
  });

  it("recorded inputs keep their own copies of a caller's arrays (a UI passes proxies, or changes them later)", async () => {
    const w = world();
    const a = new Proxy(['client'], {});
    const b = ['redis-1'];
    w.partition(a, b);
    w.heal(new Proxy(['client'], {}), new Proxy(['redis-1'], {}));
    w.setLink('client', 'redis-1', new Proxy({ latencyMs: 5 }, {}));
    b.push('redis-2');
    await w.advance(10);
    const inputs = w.recordedInputs().map((r) => r.input);
    expect(inputs).toContainEqual({ kind: 'partition', a: ['client'], b: ['redis-1'], oneWay: false });
    expect(inputs).toContainEqual({ kind: 'heal', a: ['client'], b: ['redis-1'] });
    expect(inputs).toContainEqual({ kind: 'link', a: 'client', b: 'redis-1', params: { latencyMs: 5 }, oneWay: false });
    w.dispose();
  });
});
