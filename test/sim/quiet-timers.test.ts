/**
 * Timers that promise to keep quiet (Os.setTimer's quietUntil): serverCron ticks with nothing
 * due let the conductor run the other processes ahead, which saves rounds and changes nothing
 * else; a promise a program breaks is counted, and what it sent still arrives.
 */
import { describe, expect, it } from 'vitest';
import { brokenQuiet } from '../../src/sim/kernel/kernel';
import { world } from './helpers';

describe('sim: quiet timers', () => {
  it('idle servers and a replica: the same trace as without promises, in fewer rounds', async () => {
    const run = async (quietTimers: boolean) => {
      const w = world({ quietTimers });
      // Started 30 ms apart, their 10 Hz crons tick at different moments.
      await w.exec('redis-1', 'redis-server --port 6379 --protected-mode no --logfile /var/log/r.log &');
      await w.advance(30);
      await w.exec('redis-2', 'redis-server --port 6379 --protected-mode no --replicaof 10.0.0.11 6379 --logfile /var/log/r.log &');
      await w.advance(30);
      await w.exec('client', 'redis-server --port 6379 --logfile /var/log/r.log &');
      await w.advance(2000);
      // Keys with a TTL keep the master's active expiry busy (its ticks may act) until they go.
      await w.exec('client', 'redis-cli -h 10.0.0.11 set a 1 px 1500 && redis-cli -h 10.0.0.11 set b 2');
      await w.advance(20_000);
      const out = (await w.exec('client', 'redis-cli -h 10.0.0.12 dbsize; redis-cli -h 10.0.0.12 get b')).output;
      const s = w.stats();
      const r = { hash: w.trace.hash(), count: w.trace.count, rounds: s.windows, events: s.handled, out };
      w.dispose();
      return r;
    };
    const quiet = await run(true);
    const plain = await run(false);
    expect(quiet.out).toBe('1\n2\n');
    expect({ ...quiet, rounds: 0 }).toEqual({ ...plain, rounds: 0 });
    // Three servers ticking 10 times a second each: every tick was a round of its own before.
    expect(plain.rounds).toBeGreaterThan(600);
    expect(quiet.rounds).toBeLessThan(plain.rounds * 0.7);
  });

  it('advance(ms) ends exactly ms later, though quiet ticks let the processes run further', async () => {
    const w = world();
    await w.exec('redis-1', 'redis-server --port 6379 --logfile /var/log/r.log &');
    await w.exec('redis-2', 'redis-server --port 6379 --logfile /var/log/r.log &');
    await w.advance(1000);
    for (const ms of [1, 37.5, 250, 999, 30_000, 7, 13, 3, 71]) {
      const before = w.now;
      await w.advance(ms);
      expect(w.now - before).toBeCloseTo(ms, 9);
    }
    w.dispose();
  });

  it('a timer that breaks its promise is counted, and what it sent arrives all the same', async () => {
    const w = world();
    const before = brokenQuiet.count;
    await w.exec('redis-1', 'echo-server 7000 > /tmp/echo.log &');
    await w.advance(10);
    const r = await w.exec('client', 'quiet-liar 10.0.0.11 7000', { timeoutMs: 5000 });
    expect(r.output).toBe('got hi\n');
    expect(w.stats().brokenQuiet).toBe(1);
    expect(brokenQuiet.count - before).toBe(1);
    expect(brokenQuiet.last).toMatch(/^quiet-liar \(pid \d+\): 'write' at /);
    // Expected here: the suite's check (test/support/conductor-promises.ts) must not count it.
    brokenQuiet.count = before;
    w.dispose();
  });
});
