/**
 * Fast-forwarding (World.advance): processes whose cron ticks promise quiet run up to
 * MAX_FORWARD_AHEAD_MS per round instead of MAX_QUIET_AHEAD_MS, never past the forward's end.
 * An idle world then takes a round per thing that happens, not per tick, with the same trace;
 * inputs made meanwhile wait for the end, and a rewind into a forward leaves nobody ahead.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import { NodeWorkerRuntime } from '../../src/sim/runtime/node-worker-runtime';
import { borrowed, type Runtime, type RunnerHandle } from '../../src/sim/runtime/runtime';
import type { Batch } from '../../src/sim/protocol';
import { programs } from './programs';
import { THREE_HOSTS, world } from './helpers';

const HOUR_MS = 3_600_000;

describe('sim: fast-forward', () => {
  let workers: NodeWorkerRuntime | null = null;
  afterAll(() => workers?.dispose());

  it('an idle master with an AOF and an unused backlog: an hour in a few hundred rounds, the trace of a world without promises', async () => {
    const run = async (quietTimers: boolean) => {
      const w = world({ quietTimers });
      await w.exec('redis-1', 'redis-server --port 6379 --protected-mode no --appendonly yes --repl-backlog-ttl 60 --logfile /var/log/r.log &');
      await w.exec('redis-2', 'redis-server --port 6379 --protected-mode no --replicaof 10.0.0.11 6379 --logfile /var/log/r.log &');
      await w.advance(3000);
      // A write the AOF fsyncs a second later, then the replica goes: the backlog is freed 60 s on.
      await w.exec('client', 'redis-cli -h 10.0.0.11 set k v');
      await w.exec('redis-2', 'pkill redis-server');
      const before = w.stats().windows;
      await w.advance(HOUR_MS);
      const r = {
        hash: w.trace.hash(),
        count: w.trace.count,
        log: w.readText('redis-1', '/var/log/r.log'),
        aof: w.readText('redis-1', '/root/appendonlydir/appendonly.aof.1.incr.aof'),
        rounds: w.stats().windows - before,
      };
      w.dispose();
      return r;
    };
    const quiet = await run(true);
    const plain = await run(false);
    expect(quiet.log).toContain('Replication backlog freed after 60 seconds without connected replicas.');
    expect(quiet.aof).toContain('$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n');
    expect({ ...quiet, rounds: 0 }).toEqual({ ...plain, rounds: 0 });
    // 36 000 ticks of serverCron at hz 10, each a round without promises.
    expect(plain.rounds).toBeGreaterThan(36_000);
    expect(quiet.rounds).toBeLessThan(1000);
  }, 60_000);

  it("the trace's memory keeps what an idle hour did, not its cron ticks (hashed and counted all the same)", async () => {
    const w = world();
    let timers = 0;
    const off = w.on('trace', (r) => { if (r.kind === 'timer') timers++; });
    for (const h of ['redis-1', 'redis-2']) await w.exec(h, 'redis-server --port 6379 --protected-mode no --logfile /var/log/r.log &');
    await w.advance(HOUR_MS);
    off();
    // 72 000 ticks: more than the 50 000 records the memory holds.
    expect(timers).toBeGreaterThanOrEqual(72_000);
    const kept = w.trace.recent();
    expect(kept.some((r) => r.kind === 'timer')).toBe(false);
    expect(kept[0].i).toBe(0);
    // Each server listens on 0.0.0.0 and ::, at the start of the hour (besides each host's sshd on 22).
    expect(kept.filter((r) => r.kind === 'listen' && r.detail.endsWith(':6379')).length).toBe(4);
    expect(w.trace.count).toBe(kept.length + timers);
    // Indexes count every record: the records from an index on are those kept after it.
    const from = kept[kept.length - 3].i;
    expect(w.trace.recent(from)).toEqual(kept.slice(-3));
    w.dispose();
  });

  it('an input made during a fast-forward takes effect at its end, and reaches nobody late', async () => {
    const w = world();
    await w.exec('redis-1', 'redis-server --port 6379 --protected-mode no --logfile /var/log/r.log &');
    const start = w.now;
    let typedAt = 0;
    const off = w.on('time', ({ now }) => {
      if (typedAt || now < start + 100_000) return;
      typedAt = now;
      w.input({ kind: 'exec', host: 'client', command: 'redis-cli -h 10.0.0.11 ping > /tmp/ping', id: 99 });
    });
    await w.advance(600_000);
    off();
    expect(typedAt).toBeGreaterThan(start);
    expect(typedAt).toBeLessThan(start + 600_000);
    const rec = w.recordedInputs().find((r) => r.input.kind === 'exec' && r.input.id === 99);
    expect(rec?.t).toBe(start + 600_000);
    await w.advance(1000);
    expect(w.readText('client', '/tmp/ping')).toBe('PONG\n');
    expect(w.stats().lateDeliveries).toBe(0);
    w.dispose();
  });

  it.each(['inline', 'worker threads'])('a world rewound into a fast-forward (%s): the re-executed state, and nobody left running ahead', async (runtime) => {
    const options = { seed: 5, hosts: THREE_HOSTS, programs };
    if (runtime !== 'inline') workers ??= new NodeWorkerRuntime(new URL('./programs.ts', import.meta.url).href);
    const w = new World({ ...options, runtime: runtime === 'inline' ? undefined : borrowed(workers!) });
    try {
      // An idle server: nothing holds it back during a forward (a replica's ACKs would).
      await w.exec('redis-1', 'redis-server --port 6379 --protected-mode no --logfile /var/log/r.log &');
      await w.advance(60_000);
      const mid = w.now - 24_000;
      await w.rewind(mid);
      expect(w.rewoundBy).toBe(runtime === 'inline' ? 're-executed' : 'log');
      const inline = await World.replay(options, w.recordedInputs(), mid);
      expect({ t: w.now, ...w.fingerprint() }).toEqual({ t: inline.now, ...inline.fingerprint() });
      inline.dispose();
      // Had the server gone on with the old forward's 10 s rounds, this would reach it late.
      w.input({ kind: 'exec', host: 'client', command: 'redis-cli -h 10.0.0.11 ping > /tmp/ping', id: 99 });
      await w.advance(1000);
      expect(w.readText('client', '/tmp/ping')).toBe('PONG\n');
      expect(w.stats().lateDeliveries).toBe(0);
    } finally {
      w.dispose();
    }
  }, 60_000);

  it('a worker world with a replica rewound into a fast-forward replays the log up to 10 s before, and only the rest round by round', async () => {
    workers ??= new NodeWorkerRuntime(new URL('./programs.ts', import.meta.url).href);
    const pool = workers;
    // The rounds whose answers a worker computed while the kernel waited (not fed from the log).
    let waited = 0;
    const counting: Runtime = {
      ...borrowed(pool),
      createRunner: async () => {
        const h = await pool.createRunner();
        return Object.assign(Object.create(h) as RunnerHandle, { run: (b: Batch) => { waited++; return h.run(b); } });
      },
    };
    const options = { seed: 5, hosts: THREE_HOSTS, programs };
    const w = new World({ ...options, runtime: counting });
    try {
      await w.exec('redis-1', 'redis-server --port 6379 --protected-mode no --logfile /var/log/r.log &');
      await w.exec('redis-2', 'redis-server --port 6379 --protected-mode no --replicaof 10.0.0.11 6379 --logfile /var/log/r.log &');
      await w.advance(5000);
      await w.advance(60_000);
      const mid = w.now - 20_000;
      waited = 0;
      await w.rewind(mid);
      expect(w.rewoundBy).toBe('log');
      const rounds = w.stats().windows;
      // The replica's ACK every second (and the master's PINGs) keep the rounds short: the last
      // 10 s before `mid` ran round by round, the 50 s before them came from the log.
      expect(waited).toBeGreaterThan(10);
      expect(waited).toBeLessThan(rounds / 3);
      const inline = await World.replay(options, w.recordedInputs(), mid);
      expect({ t: w.now, ...w.fingerprint() }).toEqual({ t: inline.now, ...inline.fingerprint() });
      inline.dispose();
      await w.exec('client', 'redis-cli -h 10.0.0.11 set k v');
      await w.advance(1000);
      expect((await w.exec('client', 'redis-cli -h 10.0.0.12 get k')).output).toBe('v\n');
      expect(w.stats().lateDeliveries).toBe(0);
    } finally {
      w.dispose();
    }
  }, 60_000);
});
