/**
 * Rewinding a worker world replays its run log (run-log.ts): the kernel takes the logged
 * answers while the workers are fed the same batches without a round trip. The rewound world
 * must be the one an inline re-execution gives, and its processes' memory must be right too:
 * going on from the rewound state must give what going on from the original gave.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { World, type WorldOptions } from '../../src/sim/world';
import { NodeWorkerRuntime } from '../../src/sim/runtime/node-worker-runtime';
import { borrowed, type Runtime, type RunnerHandle } from '../../src/sim/runtime/runtime';
import type { Batch, BatchResult } from '../../src/sim/protocol';
import type { LogOp, RunLog } from '../../src/sim/run-log';
import { MAX_FORWARD_AHEAD_MS } from '../../src/sim/protocol';
import { programs } from './programs';

const HOSTS = [{ name: 'redis-1', ip: '10.0.0.11' }, { name: 'redis-2', ip: '10.0.0.12' }, { name: 'client', ip: '10.0.0.20' }];
const OPTIONS: WorldOptions = { seed: 7, hosts: HOSTS, programs };
const runtime = new NodeWorkerRuntime(new URL('./programs.ts', import.meta.url).href);
afterAll(() => runtime.dispose());

/** The shared worker runtime, counting how its runners were used: batches run (waiting for the answer) and fed. */
function countingRuntime(): Runtime & { calls: { run: number; feed: number } } {
  const calls = { run: 0, feed: 0 };
  return {
    ...borrowed(runtime),
    calls,
    createRunner: async () => {
      const h = await runtime.createRunner();
      const feed = h.feed!.bind(h);
      const run = h.run.bind(h);
      return Object.assign(Object.create(h) as RunnerHandle, {
        run: (b: Batch) => { calls.run++; return run(b); },
        feed: (b: Batch, r: BatchResult) => { calls.feed++; feed(b, r); },
      });
    },
  };
}

/** The state a test compares: trace hash and length, files, processes. */
function state(w: World) { return { t: w.now, ...w.fingerprint() }; }

/** What the inline runtime gives for the same inputs up to `t`. */
async function inlineAt(w: World, t: number) {
  // The inputs before `t`, as a rewind to `t` keeps them.
  const inline = await World.replay(OPTIONS, w.recordedInputs().filter((r) => r.t < t), t);
  try { return state(inline); } finally { inline.dispose(); }
}

/**
 * A session as the page drives one: advances of uneven lengths (play slices), a replica,
 * a counter incremented from a client in the background, a terminal, a kill and a partition.
 */
async function session(w: World): Promise<void> {
  w.input({ kind: 'exec', host: 'redis-1', command: 'redis-server --port 6379 --protected-mode no --save "" --logfile /var/log/r.log &', id: 1 });
  await w.advance(137);
  w.input({ kind: 'exec', host: 'redis-2', command: 'redis-server --port 6379 --protected-mode no --save "" --replicaof 10.0.0.11 6379 --logfile /var/log/r.log &', id: 2 });
  await w.advance(1911);
  w.input({ kind: 'exec', host: 'client', command: 'for i in 1 2 3 4 5 6 7 8; do redis-cli -h 10.0.0.11 INCR n; sleep 0.7; done > /tmp/incr.out &', id: 3 });
  w.input({ kind: 'open-terminal', host: 'client', id: 1 });
  for (const ms of [333, 1500, 47, 2200]) await w.advance(ms);
  w.input({ kind: 'type', terminal: 1, line: 'redis-cli -h 10.0.0.12 GET n' });
  await w.advance(905);
  w.partition(['redis-1'], ['redis-2']);
  await w.advance(3000);
  w.heal();
  await w.advance(2500);
}

describe('run log', () => {
  it('a rewound worker world equals the inline re-execution, and goes on as the original did', async () => {
    const w = new World({ ...OPTIONS, runtime: borrowed(runtime) });
    try {
      await session(w);
      // No input after `mid`: the original's future is the rewound world's.
      const mid = w.now + 1500;
      await w.advance(6000);
      const end = state(w);
      expect(end).toEqual(await inlineAt(w, w.now));

      await w.rewind(mid);
      expect(w.rewoundBy).toBe('log');
      expect(state(w)).toEqual(await inlineAt(w, mid));
      // The workers were fed: their processes go on from the rewound state as the originals did.
      await w.advance(end.t - mid);
      expect(state(w)).toEqual(end);
      expect(w.readText('client', '/tmp/incr.out')).toBe('1\n2\n3\n4\n5\n6\n7\n8\n');
    } finally {
      w.dispose();
    }
  }, 120_000);

  it('after a rewind the log goes on from there: new inputs, then a rewind into them', async () => {
    const w = new World({ ...OPTIONS, runtime: borrowed(runtime) });
    try {
      await session(w);
      await w.rewind(w.now - 5000);
      // A different future from here.
      w.input({ kind: 'exec', host: 'client', command: 'redis-cli -h 10.0.0.11 SET k v', id: 9 });
      await w.advance(777);
      const t = w.now;
      await w.advance(3000);
      await w.rewind(t);
      expect(w.rewoundBy).toBe('log');
      expect(state(w)).toEqual(await inlineAt(w, t));
    } finally {
      w.dispose();
    }
  }, 120_000);

  it('a replay that does not match the log falls back to re-executing, and lands on the same state', async () => {
    for (const tamper of [
      // A batch that is not the logged one: caught by the kernel while replaying.
      (op: LogOp & { k: 'step' }) => { op.runs[0].deliveries++; },
      // An answer the worker does not give: caught by the digest at the sync.
      (op: LogOp & { k: 'step' }) => { op.runs[0].handled++; },
    ]) {
      const w = new World({ ...OPTIONS, runtime: borrowed(runtime) });
      try {
        await session(w);
        const t = w.now - 2000;
        const log = (w as unknown as { runLog: RunLog }).runLog;
        // A step of a process still running (its worker's digest is checked at the sync; a
        // process that has ended leaves nothing to check, nor anything that goes on).
        const live = (w as unknown as { kernel: { slots: Map<number, unknown> } }).kernel.slots;
        const steps = Array.from({ length: log.length }, (_, i) => log.op(i)).filter((op): op is LogOp & { k: 'step' } =>
          op.k === 'step' && op.frontier < t - 5000 && op.runs.length > 0 && live.has(op.runs[0].slot));
        tamper(steps[Math.floor(steps.length / 2)]);
        await w.rewind(t);
        expect(w.rewoundBy).toBe('diverged');
        expect(state(w)).toEqual(await inlineAt(w, t));
        // The log was recorded afresh by the re-execution.
        await w.rewind(t - 1000);
        expect(w.rewoundBy).toBe('log');
        expect(state(w)).toEqual(await inlineAt(w, t - 1000));
      } finally {
        w.dispose();
      }
    }
  }, 180_000);

  it('a replay that diverged after feeding answers the workers did not give leaves nothing in them: the next rewind replays its log', async () => {
    const w = new World({ ...OPTIONS, runtime: borrowed(runtime) });
    try {
      await session(w);
      const t = w.now - 2000;
      const log = (w as unknown as { runLog: RunLog }).runLog;
      // (`t` falls in a fast-forward: the log is replayed up to MAX_FORWARD_AHEAD_MS before it.)
      const steps = Array.from({ length: log.length }, (_, i) => log.op(i)).filter((op): op is LogOp & { k: 'step' } =>
        op.k === 'step' && op.runs.length > 0 && op.frontier < t - MAX_FORWARD_AHEAD_MS);
      // Every answer but the last step's is one no worker gives (fed, it is only caught at a
      // sync), and the last step's batch is not the logged one (caught at once, before the sync).
      for (const op of steps.slice(0, -1)) for (const run of op.runs) run.handled++;
      steps.at(-1)!.runs[0].deliveries++;
      await w.rewind(t);
      expect(w.rewoundBy).toBe('diverged');
      expect(state(w)).toEqual(await inlineAt(w, t));
      // The workers were reset and serve the re-executed world's processes: what they were fed
      // before the divergence must not count against them at the next sync.
      await w.advance(3000);
      await w.rewind(t);
      expect(w.rewoundBy).toBe('log');
      expect(state(w)).toEqual(await inlineAt(w, t));
    } finally {
      w.dispose();
    }
  }, 120_000);

  it('a call queued behind a rewind runs on the rewound world, after its replay; an input made at its reset takes effect where it lands', async () => {
    const w = new World({ ...OPTIONS, runtime: borrowed(runtime) });
    try {
      await session(w);
      const t = w.now - 3000;
      // As on the page: the learner fast-forwards, then rewinds while the forward runs, and the
      // lesson's autoplay, which was waiting, goes on with its next slice of time and a line.
      let typed = false;
      const off = w.on('reset', () => {
        if (typed) return;
        typed = true;
        w.input({ kind: 'type', terminal: 1, line: 'redis-cli -h 10.0.0.11 INCR n' });
      });
      const forward = w.advance(5000);
      const rewind = w.rewind(t);
      const slice = w.advance(100);
      await Promise.all([forward, rewind, slice]);
      off();
      expect(w.rewoundBy).toBe('log');
      expect(w.now).toBe(t + 100);
      const inputs = w.recordedInputs();
      expect(inputs.filter((r) => r.input.kind === 'type').map((r) => r.t)).toEqual([inputs.find((r) => r.input.kind === 'type')!.t, t]);
      expect(state(w)).toEqual(await inlineAt(w, w.now));
      // The log is this world's: the next rewind replays it.
      await w.advance(2000);
      await w.rewind(t + 1000);
      expect(w.rewoundBy).toBe('log');
      expect(state(w)).toEqual(await inlineAt(w, t + 1000));
    } finally {
      w.dispose();
    }
  }, 120_000);

  it('a log that filled up covers a prefix: a rewind into it replays it, a rewind past it is shadowed', async () => {
    const w = new World({ ...OPTIONS, runtime: borrowed(runtime), runLogMaxBytes: 100_000 });
    try {
      await session(w);
      const log = (w as unknown as { runLog: RunLog }).runLog;
      const logged = log.length;
      await w.advance(5000);
      // Full early in the session (inputs follow it): nothing more was recorded.
      expect(log.length).toBe(logged);
      // Where the logged prefix ends: its last step or idle jump.
      const ends = Array.from({ length: logged }, (_, i) => log.op(i)).map((op) => (op.k === 'step' ? op.frontier : op.k === 'idle' ? op.to : -Infinity));
      const end = Math.max(...ends);
      expect(end).toBeGreaterThan(w.checkpoints[0].t + 1000);
      expect(end).toBeLessThan(w.now - 5000);
      const t = w.now - 1000;
      await w.rewind(t);
      expect(w.rewoundBy).toBe('shadowed');
      expect(state(w)).toEqual(await inlineAt(w, t));
      await w.advance(1000);
      expect(state(w)).toEqual(await inlineAt(w, w.now));
      // The shadow recorded the log afresh (as far as it holds): a rewind into it replays it.
      await w.rewind(end - 100);
      expect(w.rewoundBy).toBe('log');
      expect(state(w)).toEqual(await inlineAt(w, end - 100));
    } finally {
      w.dispose();
    }
  }, 120_000);

  it('a worker world replaying recorded inputs (a restored workspace, a placement switch) runs them on this thread and feeds its workers: the inline state, the original future, and a log for the next rewind', async () => {
    const original = new World({ ...OPTIONS, runtime: borrowed(runtime) });
    try {
      await session(original);
      const mid = original.now + 1500;
      await original.advance(6000);
      const end = state(original);
      const counting = countingRuntime();
      const w = await World.replay({ ...OPTIONS, runtime: counting }, original.recordedInputs(), mid);
      try {
        // Every batch was fed (no round trip), none run with a wait for the answer.
        expect(counting.calls.run).toBe(0);
        expect(counting.calls.feed).toBeGreaterThan(100);
        expect(state(w)).toEqual(await inlineAt(original, mid));
        // The workers rebuilt their processes: they go on as the original's did.
        await w.advance(end.t - mid);
        expect(state(w)).toEqual(end);
        expect(w.readText('client', '/tmp/incr.out')).toBe('1\n2\n3\n4\n5\n6\n7\n8\n');
        expect(counting.calls.run).toBeGreaterThan(0);
        // The shadow filled the run log.
        await w.rewind(mid - 3000);
        expect(w.rewoundBy).toBe('log');
        expect(state(w)).toEqual(await inlineAt(original, mid - 3000));
      } finally {
        w.dispose();
      }
    } finally {
      original.dispose();
    }
  }, 120_000);

  it('with nothing logged a rewind is shadowed; a worker that computes another answer than its inline twin makes it re-execute', async () => {
    const w = new World({ ...OPTIONS, runtime: borrowed(runtime), runLogMaxBytes: 0 });
    try {
      await session(w);
      const t = w.now - 3000;
      await w.rewind(t);
      expect(w.rewoundBy).toBe('shadowed');
      expect(state(w)).toEqual(await inlineAt(w, t));

      w.input({ kind: 'exec', host: 'redis-2', command: 'thread-teller > /tmp/thread &', id: 20 });
      await w.advance(500);
      expect(w.readText('redis-2', '/tmp/thread')).toBe('worker\n');
      await w.rewind(w.now - 100);
      expect(w.rewoundBy).toBe('diverged');
      expect(w.readText('redis-2', '/tmp/thread')).toBe('worker\n');
    } finally {
      w.dispose();
    }
  }, 120_000);

  it('an observer that asks a server before its first cron tick changes nothing: the same state as without it, and a rewind replays the log', async () => {
    const w = new World({ ...OPTIONS, runtime: borrowed(runtime) });
    try {
      w.input({ kind: 'exec', host: 'redis-1', command: 'redis-server --port 6379 --protected-mode no --save "" --logfile /var/log/r.log &', id: 1 });
      const redis = () => w.listening('redis-1').find((l) => l.port === 6379);
      expect(await w.runUntil(() => redis() !== undefined, { timeoutMs: 1000 })).toBe(true);
      const server = redis()!.pid;
      // As the page's summaries do as soon as a server listens: its INFO, read-only. Before, the
      // first reading of the instantaneous rates started them, at the observer's time, so the
      // cron's first sample counted the commands since then instead of being the first.
      const [summary] = (await w.inspectAll(server, [{ fn: 'redis', query: { op: 'summary' } }]))! as { opsPerSec: number }[];
      expect(summary.opsPerSec).toBe(0);
      w.input({ kind: 'exec', host: 'client', command: 'for i in 1 2 3; do redis-cli -h 10.0.0.11 INCR n; done > /dev/null', id: 2 });
      await w.advance(700);
      w.input({ kind: 'exec', host: 'client', command: 'redis-cli -h 10.0.0.11 INFO stats > /tmp/stats', id: 3 });
      await w.advance(15_000);
      expect(w.readText('client', '/tmp/stats')).toContain('instantaneous_ops_per_sec:');
      const end = state(w);
      const t = w.now - 1000;
      await w.rewind(t);
      // Before, the workers answered the replay otherwise than the log (the INFO reply).
      expect(w.rewoundBy).toBe('log');
      expect(state(w)).toEqual(await inlineAt(w, t));
      // And the observed world is the one without the observer.
      await w.advance(1000);
      expect(state(w)).toEqual(end);
      expect(end).toEqual(await inlineAt(w, w.now));
    } finally {
      w.dispose();
    }
  }, 120_000);

  it('inline worlds keep no log: a rewind re-executes', async () => {
    const w = new World(OPTIONS);
    try {
      await session(w);
      await w.rewind(w.now - 3000);
      expect(w.rewoundBy).toBe('re-executed');
    } finally {
      w.dispose();
    }
  }, 60_000);
});
