/**
 * What an observer may ask a process (`world.inspect`): named, read-only query functions run
 * inside the process, between rounds, with the process's clock at the world's time. Queries
 * and answers are plain data so they cross worker boundaries; a worker imports this table
 * itself (functions cannot be sent to it).
 *
 * - `redis`: the server the process runs (src/engine/inspect.ts: role, INFO, keys, config, log);
 * - `loadgen`: the counters of `halab-loadgen` (src/sim/loadgen.ts);
 * - `process`: the process's own bookkeeping (clock, sockets, children).
 *
 * An answer of null means the process has nothing of that kind (not a server, not started yet).
 */
import type { Os } from '../../engine/os';
import { runRedisQuery, type RedisQuery } from '../../engine/inspect';
import { loadgenStateOf } from '../loadgen';
import type { ProcCtx } from './process-os';

export type InspectQuery =
  | { fn: 'redis'; query: RedisQuery }
  | { fn: 'loadgen' }
  | { fn: 'process' };

export interface LoadgenSnapshot {
  target: string;
  running: boolean;
  connected: boolean;
  attempted: number;
  acked: number;
  errors: number;
  /** [key, seq of its latest acknowledged write]. */
  lastAcked: [string, number][];
  /** Through sentinels: the master written to now ("ip:port"), reads from replicas. */
  master: string | null;
  reads: number;
  readErrors: number;
}

export interface ProcessSnapshot {
  pid: number;
  clock: number;
  busyUntil: number;
  sockets: number;
  listeners: number;
  children: number[];
}

export function runInspectQuery(ctx: ProcCtx, q: InspectQuery, nowMs: number): unknown {
  const os: Os = ctx;
  switch (q.fn) {
    case 'redis': return runRedisQuery(os, q.query, nowMs);
    case 'loadgen': {
      const s = loadgenStateOf(os);
      if (!s) return null;
      return {
        target: s.target, running: s.running, connected: s.connected, attempted: s.attempted, acked: s.acked, errors: s.errors,
        lastAcked: [...s.lastAcked], master: s.master, reads: s.reads, readErrors: s.readErrors,
      } satisfies LoadgenSnapshot;
    }
    case 'process':
      return {
        pid: ctx.pid, clock: ctx.clock, busyUntil: ctx.busyUntil, sockets: ctx.sockets.size, listeners: ctx.listeners.size, children: [...ctx.children.keys()],
      } satisfies ProcessSnapshot;
  }
}
