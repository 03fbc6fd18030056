/**
 * Simulation speed: events per wall second in each runtime, and virtual seconds per wall
 * second for an idle 6-process world and a busy one.
 */
import { World } from '../src/sim/world';
import type { Runtime } from '../src/sim/runtime/runtime';
import { NodeWorkerRuntime } from '../src/sim/runtime/node-worker-runtime';
import { programs } from '../test/sim/programs';
import type { Measurement } from './run';

const HOSTS = [
  { name: 'redis-1', ip: '10.0.0.11' },
  { name: 'redis-2', ip: '10.0.0.12' },
  { name: 'redis-3', ip: '10.0.0.13' },
  { name: 'client', ip: '10.0.0.20' },
];

async function startServers(w: World, perHost: number): Promise<void> {
  for (const h of ['redis-1', 'redis-2', 'redis-3']) {
    for (let i = 0; i < perHost; i++) await w.exec(h, `redis-server --port ${6379 + i} --protected-mode no --save "" --logfile /var/log/r${i}.log &`);
  }
  await w.advance(1000);
}

/** 6 idle redis-servers (hz 10 cron each): virtual seconds per wall second. */
async function idle(runtime: Runtime | undefined, virtualMs: number): Promise<{ ratio: number; eventsPerSec: number }> {
  const w = new World({ seed: 1, hosts: HOSTS, programs, runtime });
  await startServers(w, 2);
  // Warm up (JIT, worker start-up) before measuring the steady state.
  await w.advance(30_000);
  const s0 = w.stats();
  const t0 = performance.now();
  await w.advance(virtualMs);
  const wall = performance.now() - t0;
  const s1 = w.stats();
  w.dispose();
  return { ratio: virtualMs / wall, eventsPerSec: ((s1.handled - s0.handled) / wall) * 1000 };
}

/** 3 servers hammered by 3 back-to-back clients: virtual s per wall s and events per wall s. */
async function busy(runtime: Runtime | undefined, commands: number): Promise<{ ratio: number; eventsPerSec: number; virtualMs: number }> {
  const w = new World({ seed: 1, hosts: HOSTS, programs, runtime });
  await startServers(w, 1);
  const s0 = w.stats();
  const v0 = w.now;
  const t0 = performance.now();
  w.input({ kind: 'exec', host: 'client', command: `load-client 10.0.0.11 6379 ${commands} a & load-client 10.0.0.12 6379 ${commands} b & load-client 10.0.0.13 6379 ${commands} c & wait`, id: 1000 });
  await w.runUntil(() => w.processes('client').filter((p) => p.argv[0] === 'load-client').length === 0 && w.now > v0 + 1, { timeoutMs: 600_000 });
  const wall = performance.now() - t0;
  const s1 = w.stats();
  const virtualMs = w.now - v0;
  w.dispose();
  return { ratio: virtualMs / wall, eventsPerSec: ((s1.handled - s0.handled) / wall) * 1000, virtualMs };
}

/** Rewind cost: re-execute a 60 s busy-ish session from the start. */
async function rewind(): Promise<{ wallMs: number; virtualMs: number }> {
  const w = new World({ seed: 1, hosts: HOSTS, programs });
  await startServers(w, 2);
  w.input({ kind: 'exec', host: 'client', command: 'load-client 10.0.0.11 6379 2000 a 10 &', id: 2000 });
  await w.advance(60_000);
  const target = w.now;
  const t0 = performance.now();
  await w.rewind(target);
  const wallMs = performance.now() - t0;
  w.dispose();
  return { wallMs, virtualMs: target - Date.UTC(2024, 4, 1, 10, 0, 0) };
}

export default async function (): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const idleInline = await idle(undefined, 600_000);
  out.push({ name: 'idle world, 6 redis-servers, inline: virtual s / wall s', value: idleInline.ratio, unit: 'x', target: 1000 });
  const busyInline = await busy(undefined, 3000);
  out.push({ name: 'busy world, 3 servers + 3 clients, inline: virtual s / wall s', value: busyInline.ratio, unit: 'x', note: `${(busyInline.virtualMs / 1000).toFixed(2)} virtual s` });
  out.push({ name: 'busy world, inline: process events / wall s', value: busyInline.eventsPerSec, unit: 'events/s' });
  out.push({ name: 'idle world, inline: process events / wall s', value: idleInline.eventsPerSec, unit: 'events/s' });

  const registry = new URL('../test/sim/programs.ts', import.meta.url).href;
  const rt1 = new NodeWorkerRuntime(registry);
  const idleWorker = await idle(rt1, 120_000);
  rt1.dispose();
  out.push({ name: 'idle world, 6 redis-servers, worker threads: virtual s / wall s', value: idleWorker.ratio, unit: 'x', target: 100 });
  const rt2 = new NodeWorkerRuntime(registry);
  const busyWorker = await busy(rt2, 1000);
  rt2.dispose();
  out.push({ name: 'busy world, worker threads: virtual s / wall s', value: busyWorker.ratio, unit: 'x', note: `${(busyWorker.virtualMs / 1000).toFixed(2)} virtual s` });
  out.push({ name: 'busy world, worker threads: process events / wall s', value: busyWorker.eventsPerSec, unit: 'events/s' });
  out.push({ name: 'idle world, worker threads: process events / wall s', value: idleWorker.eventsPerSec, unit: 'events/s' });

  const r = await rewind();
  out.push({ name: 'rewind (re-execution) of a 61 s session with 6 servers', value: r.wallMs, unit: 'ms wall', note: `${(r.virtualMs / r.wallMs).toFixed(0)}x real time` });
  return out;
}
