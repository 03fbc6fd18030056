/**
 * Simulation speed, inline and in worker threads:
 *
 * - lab C2: 3 redis-servers (a master and two replicas) and 3 real redis-sentinels, monitoring,
 *   then the master killed and failed over (measured from the kill to 60 s later), the first
 *   time in the process (inline) or on fresh workers, and again once the code is warm: inline
 *   in fresh worlds, in workers on the same (reset, reused) worker threads;
 * - a sentinel-failover-shaped world: 3 redis-servers (10 Hz cron each) and 3 sentinel-like
 *   processes that PING every server every second and greet each other every two seconds;
 * - an idle world of 6 redis-servers;
 * - a busy world: 3 servers hammered by 3 back-to-back clients (SET/GET, one in flight each);
 * - rewinding 10 minutes of lab C2, inline (re-executed) and in workers (the run log).
 *
 * "Process events" are the items runners ran (a delivery handled or a timer fired). Ratios are
 * virtual time over wall time; CPU time is this process's (all threads), reported because the
 * wall clock of a shared machine is noisy.
 */
import { World } from '../src/sim/world';
import { borrowed, type Runtime } from '../src/sim/runtime/runtime';
import { NodeWorkerRuntime } from '../src/sim/runtime/node-worker-runtime';
import { programs } from '../test/sim/programs';
import type { Measurement } from './run';
import { C2_HOSTS, c2Failover, c2Restore, c2Rewind } from './c2-scenario';
import { reportRuns, type SimRun } from './sim-runs';

const HOSTS = [...C2_HOSTS, { name: 'client', ip: '10.0.0.20' }];

type Run = Required<SimRun>;

async function measure(w: World, body: () => Promise<void>): Promise<Run> {
  const s0 = w.stats();
  const v0 = w.now;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await body();
  const wallMs = performance.now() - t0;
  const cu = process.cpuUsage(c0);
  const s1 = w.stats();
  const virtualMs = w.now - v0;
  const events = s1.handled - s0.handled;
  return { virtualMs, wallMs, cpuMs: (cu.user + cu.system) / 1000, rounds: s1.windows - s0.windows, batches: s1.batches - s0.batches, events };
}

async function startServers(w: World, perHost: number): Promise<void> {
  for (const h of ['redis-1', 'redis-2', 'redis-3']) {
    for (let i = 0; i < perHost; i++) await w.exec(h, `redis-server --port ${6379 + i} --protected-mode no --save "" --logfile /var/log/r${i}.log &`);
  }
  await w.advance(1000);
}

/** 3 redis-servers + 3 sentinel-like processes, one of each per host. */
async function sentinelShaped(runtime: Runtime | undefined, virtualMs: number): Promise<Run> {
  const w = new World({ seed: 1, hosts: HOSTS.slice(0, 3), programs, runtime });
  await startServers(w, 1);
  for (const h of ['redis-1', 'redis-2', 'redis-3']) await w.exec(h, 'sentinel-like 26379 10.0.0.11,10.0.0.12,10.0.0.13 &');
  // Warm up (JIT, worker start-up) before measuring the steady state.
  await w.advance(runtime ? 20_000 : 120_000);
  const r = await measure(w, () => w.advance(virtualMs));
  w.dispose();
  return r;
}

/** Lab C2 (c2-scenario.ts), monitored 60 s inline and 20 s in workers before the kill. */
function labC2(runtime: Runtime | undefined): Promise<Run> {
  return c2Failover({ runtime, programs, warmupMs: runtime ? 20_000 : 60_000 }, measure);
}

/**
 * 6 idle redis-servers (hz 10 cron each), fast-forwarded (World.advance: quiet ticks run up to
 * 10 s per round) or played (the rounds of the time controls' play: 50 ms per round at most).
 */
async function idle(runtime: Runtime | undefined, virtualMs: number, how: 'forward' | 'play'): Promise<Run> {
  const w = new World({ seed: 1, hosts: HOSTS, programs, runtime });
  await startServers(w, 2);
  await w.advance(runtime ? 20_000 : 120_000);
  const r = await measure(w, async () => {
    if (how === 'forward') await w.advance(virtualMs);
    else await w.runUntil(() => false, { timeoutMs: virtualMs });
  });
  w.dispose();
  return r;
}

/** 3 servers hammered by 3 back-to-back clients. */
async function busy(runtime: Runtime | undefined, commands: number): Promise<Run> {
  const w = new World({ seed: 1, hosts: HOSTS, programs, runtime });
  await startServers(w, 1);
  // Warm up with a short burst, then measure a long one.
  await w.exec('client', 'load-client 10.0.0.11 6379 5000 w & load-client 10.0.0.12 6379 5000 w & wait', { timeoutMs: 600_000 });
  const cmd = `load-client 10.0.0.11 6379 ${commands} a & load-client 10.0.0.12 6379 ${commands} b & load-client 10.0.0.13 6379 ${commands} c & wait`;
  let out = '';
  const r = await measure(w, async () => { out = (await w.exec('client', cmd, { timeoutMs: 600_000 })).output; });
  if ((out.match(/done \d+ ok 0 errors/g) ?? []).length !== 3) throw new Error(`busy world: clients did not finish cleanly: ${out}`);
  w.dispose();
  return r;
}

export default async function (): Promise<Measurement[]> {
  const out: Measurement[] = [];
  reportRuns(out, 'lab C2 failover (3 servers + 3 redis-sentinels), inline', [await labC2(undefined)], { ratio: 1000 });
  // The first failover of a process runs much of its code for the first time (the JIT has not
  // optimised it yet); the same scenario in fresh worlds once the code is warm. V8 may go on
  // optimising for several worlds, so the steady state is measured where the worker rows
  // measure it, at runs 6-8:
  const warm: Run[] = [];
  for (let i = 0; i < 7; i++) warm.push(await labC2(undefined));
  reportRuns(out, 'lab C2 failover, inline, JIT warm (mean of runs 6-8)', warm.slice(4), { ratio: 1000 });
  reportRuns(out, 'sentinel-shaped world (3 servers + 3 sentinel-like), inline', [await sentinelShaped(undefined, 600_000)], { ratio: 1000 });
  reportRuns(out, 'idle world, 6 redis-servers, inline, fast-forward', [await idle(undefined, 3_600_000, 'forward')], { ratio: 1000 });
  reportRuns(out, 'idle world, 6 redis-servers, inline, played', [await idle(undefined, 600_000, 'play')], { ratio: 1000 });
  reportRuns(out, 'busy world, 3 servers + 3 clients, inline', [await busy(undefined, 30_000)], { events: 200_000 });

  const registry = new URL('../test/sim/programs.ts', import.meta.url).href;
  {
    // Fresh worlds on the same worker threads: each world's processes get the workers the
    // previous world's left (worker-pool.ts). A worker's isolate optimises the engine only
    // after it has run a good deal of it, and each sees a sixth of the work, so it takes
    // longer to warm than the inline runtime.
    const rt = new NodeWorkerRuntime(registry);
    try {
      const runs: Run[] = [];
      for (let i = 0; i < 8; i++) runs.push(await labC2(borrowed(rt)));
      reportRuns(out, 'lab C2 failover, worker threads, fresh workers', runs.slice(0, 1), { ratio: 100 });
      reportRuns(out, `lab C2 failover, worker threads, workers reused (mean of runs 6-8; ${rt.workersStarted} workers in all)`, runs.slice(5), { ratio: 100 });
    } finally {
      rt.dispose();
    }
  }
  for (const [label, run] of [
    ['sentinel-shaped world, worker threads', (rt: Runtime) => sentinelShaped(rt, 120_000)],
    ['idle world, 6 redis-servers, worker threads, fast-forward', (rt: Runtime) => idle(rt, 3_600_000, 'forward')],
    ['idle world, 6 redis-servers, worker threads, played', (rt: Runtime) => idle(rt, 120_000, 'play')],
    ['busy world, worker threads', (rt: Runtime) => busy(rt, 3000)],
  ] as const) {
    const rt = new NodeWorkerRuntime(registry);
    try {
      reportRuns(out, label, [await run(rt)], label.startsWith('busy') ? undefined : { ratio: 100 });
    } finally {
      rt.dispose();
    }
  }

  // Rewinding 10 virtual minutes of lab C2: inline (re-executed), in worker threads (the run log).
  for (const [label, runtime] of [['inline', undefined], ['worker threads', new NodeWorkerRuntime(registry)]] as const) {
    try {
      const r = await c2Rewind({ runtime, programs }, 600_000);
      out.push({ name: `rewind of a 10-minute lab C2 session, ${label}`, value: r.wallMs, unit: 'ms wall', note: `${(r.virtualMs / r.wallMs).toFixed(0)}x real time (${r.rewoundBy})` });
    } finally {
      runtime?.dispose();
    }
  }
  // Replaying those inputs into a new worker-thread world (a workspace restored, a placement
  // switch): shadowed on this thread (the workers fed), and with the workers answering each round.
  for (const shadowReplays of [true, false]) {
    const runtime = new NodeWorkerRuntime(registry);
    try {
      const r = await c2Restore({ runtime, programs, shadowReplays }, 600_000);
      out.push({ name: `replay of a 10-minute lab C2 session into worker threads, ${shadowReplays ? 'shadowed' : 'workers answering'}`, value: r.wallMs, unit: 'ms wall', note: `${(r.virtualMs / r.wallMs).toFixed(0)}x real time` });
    } finally {
      runtime.dispose();
    }
  }
  return out;
}
