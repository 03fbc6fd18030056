/**
 * Lab C2 as the speed benchmarks run it, shared by the Node benchmark (sim.ts: inline and
 * worker_threads) and the browser one (sim-browser.ts: the page and Web Workers), so both
 * measure the same world: a master and two replicas with a redis-sentinel on each host
 * (down-after 5 s), monitoring for `warmupMs`, then the master killed with SIGKILL and 60 s of
 * virtual time measured from the kill: SDOWN, ODOWN, the election, the promotion and the
 * replicas' resync. Throws when the sentinels did not fail over.
 */
import { World } from '../src/sim/world';
import { borrowed, type Runtime } from '../src/sim/runtime/runtime';
import type { ProgramRegistry } from '../src/sim/programs';

export const C2_HOSTS = [
  { name: 'redis-1', ip: '10.0.0.11' },
  { name: 'redis-2', ip: '10.0.0.12' },
  { name: 'redis-3', ip: '10.0.0.13' },
];

/** Virtual time measured after the kill. */
export const C2_MEASURED_MS = 60_000;

export async function c2Failover<T>(
  opts: { runtime?: Runtime; programs?: ProgramRegistry; warmupMs: number },
  measure: (w: World, body: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const w = await c2World(opts);
  await w.advance(opts.warmupMs);
  const r = await measure(w, async () => {
    killMaster(w);
    await w.advance(C2_MEASURED_MS);
  });
  checkFailedOver(w);
  w.dispose();
  return r;
}

/**
 * Rewind cost: lab C2 played for `sessionMs` of virtual time (the master killed half-way),
 * then rewound to where it stands. Inline the rewind re-executes every round; in workers it
 * replays the run log (src/sim/run-log.ts).
 */
export async function c2Rewind(opts: { runtime?: Runtime; programs?: ProgramRegistry }, sessionMs: number): Promise<{ wallMs: number; virtualMs: number; rewoundBy: string }> {
  const w = await c2World(opts);
  await w.advance(sessionMs / 2);
  killMaster(w);
  await w.advance(sessionMs / 2);
  const t0 = performance.now();
  await w.rewind(w.now);
  const wallMs = performance.now() - t0;
  checkFailedOver(w);
  const r = { wallMs, virtualMs: w.now - w.startTime, rewoundBy: String(w.rewoundBy) };
  w.dispose();
  return r;
}

/**
 * Restore cost (a saved workspace reloaded, a placement switch): lab C2's inputs for a
 * `sessionMs` session (the master killed half-way), recorded on an inline world, replayed into
 * a new world on `runtime`. A worker world shadows its workers (World.reexecute) unless
 * `shadowReplays` is false, when the workers answer every round. The runtime's workers are
 * started first (a world that replays the first seconds), as the page's are when it restores.
 */
export async function c2Restore(opts: { runtime: Runtime; programs?: ProgramRegistry; shadowReplays: boolean }, sessionMs: number): Promise<{ wallMs: number; virtualMs: number }> {
  const recorded = await c2World({ programs: opts.programs });
  await recorded.advance(sessionMs / 2);
  killMaster(recorded);
  await recorded.advance(sessionMs / 2);
  const inputs = recorded.recordedInputs();
  const until = recorded.now;
  const start = recorded.startTime;
  recorded.dispose();
  const options = { seed: 1, hosts: C2_HOSTS, programs: opts.programs, runtime: borrowed(opts.runtime), shadowReplays: opts.shadowReplays };
  (await World.replay(options, inputs, start + 5000)).dispose();
  const t0 = performance.now();
  const w = await World.replay(options, inputs, until);
  const wallMs = performance.now() - t0;
  checkFailedOver(w);
  const r = { wallMs, virtualMs: w.now - w.startTime };
  w.dispose();
  return r;
}

async function c2World(opts: { runtime?: Runtime; programs?: ProgramRegistry }): Promise<World> {
  const w = new World({ seed: 1, hosts: C2_HOSTS, programs: opts.programs, runtime: opts.runtime });
  for (const [i, h] of C2_HOSTS.map((x) => x.name).entries()) {
    await w.exec(h, `redis-server --port 6379 --protected-mode no --save "" --logfile /var/log/r.log ${i ? '--replicaof 10.0.0.11 6379' : ''} &`);
    await w.exec(h, `cat > /etc/sentinel.conf << 'EOF'\nport 26379\nlogfile /var/log/s.log\nsentinel monitor mymaster 10.0.0.11 6379 2\nsentinel down-after-milliseconds mymaster 5000\nEOF`);
    await w.exec(h, 'redis-sentinel /etc/sentinel.conf &');
  }
  return w;
}

function killMaster(w: World): void {
  const master = w.processes('redis-1').find((p) => p.argv[0] === 'redis-server')!;
  w.kill('redis-1', master.pid, 'SIGKILL');
}

function checkFailedOver(w: World): void {
  const logs = ['redis-2', 'redis-3'].map((h) => w.readText(h, '/var/log/s.log') ?? '').join('');
  if (!logs.includes('+switch-master')) throw new Error('lab C2 bench: the sentinels did not fail over');
}
