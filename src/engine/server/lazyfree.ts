/**
 * Lazy freeing (lazyfree.c): UNLINK, FLUSHALL/FLUSHDB ASYNC and the deletes that the
 * lazyfree-lazy-* options make asynchronous hand big values to Redis's lazyfree bio thread.
 * INFO shows the thread's work: lazyfree_pending_objects while a job waits, lazyfreed_objects
 * (reset by CONFIG RESETSTAT) once it ran.
 *
 * The engine has no threads: the bio thread is a FIFO of jobs, each finishing after a time
 * proportional to what it frees (the thread frees one job after another), delivered as a timer
 * event. The value itself is already gone from the keyspace when the job is queued, as in Redis.
 */
import type { RedisServer } from './server';
import type { RedisValue } from '../keyspace/values';
import { quicklistLayout } from '../keyspace/quicklist-layout';
import { encodeOptions } from '../persistence/snapshot';
import { KEY_FREE_CPU_MS } from './cpu-cost';

/** LAZYFREE_THRESHOLD: values whose free effort is at most this are freed at once. */
export const LAZYFREE_THRESHOLD = 64;

/** The bio thread's state, one per server. */
interface LazyfreeState {
  /** lazyfree_objects: objects queued and not yet freed. */
  pending: number;
  /** When (os.now() ms) the thread finishes the last job queued so far. */
  busyUntilMs: number;
  /** Jobs waiting on a timer (long ones, and any queued behind them). */
  timedJobs: number;
}

const states = new WeakMap<RedisServer, LazyfreeState>();

function stateOf(server: RedisServer): LazyfreeState {
  let st = states.get(server);
  if (!st) { st = { pending: 0, busyUntilMs: 0, timedJobs: 0 }; states.set(server, st); }
  return st;
}

/** lazyfreeGetPendingObjectsCount (INFO lazyfree_pending_objects). */
export function lazyfreePending(server: RedisServer): number {
  return states.get(server)?.pending ?? 0;
}

/**
 * How long (ms) the bio thread still works on the jobs queued so far (0 when it is idle): what
 * bioPendingJobsOfType(BIO_LAZY_FREE) stays true for.
 */
export function lazyfreeBusyRemainingMs(server: RedisServer): number {
  const st = states.get(server);
  if (!st || st.pending === 0) return 0;
  return Math.max(0, st.busyUntilMs - server.os.now());
}

/**
 * lazyfreeGetFreeEffort: roughly the number of allocations freeing the value takes. A list
 * counts its quicklist nodes, hashtable-encoded sets and hashes and skiplist sorted sets their
 * elements, a stream its radix tree nodes plus, per consumer group, one plus the first group's
 * PEL size; everything else (strings, listpack and intset encodings) is one allocation.
 */
export function freeEffort(server: RedisServer, v: RedisValue): number {
  if (typeof v === 'string') return 1;
  switch (v.type) {
    case 'list':
      // A quicklist has at most one node per element: short lists need no node split.
      if (v.length <= LAZYFREE_THRESHOLD) return 1;
      const opts = encodeOptions(server);
      return quicklistLayout(v, opts.listFill, opts.packedThreshold).length;
    case 'set': return v.encoding === 'hashtable' ? v.size : 1;
    case 'hash': return v.encoding === 'hashtable' ? v.map.size : 1;
    case 'zset': return v.encoding === 'skiplist' ? v.length : 1;
    case 'stream': {
      let effort = v.raxNodes();
      if (v.groups && v.groups.size > 0) {
        // The rax of groups is ordered by name: the "first" group is the smallest name.
        let first: string | null = null;
        for (const name of v.groups.keys()) if (first === null || name < first) first = name;
        effort += v.groups.size * (1 + v.groups.get(first!)!.pel.size);
      }
      return effort;
    }
  }
}

/**
 * Below this modelled duration a job is done by the end of the current event-loop turn: the
 * real thread frees a few thousand allocations in less time than a client needs to see the
 * reply and send its next request, so that request already sees the job finished.
 */
const SAME_TURN_MS = 1;

/** Queue a job for the bio thread that frees `objects` objects with `effort` allocations. */
function queueJob(server: RedisServer, objects: number, effort: number): void {
  const st = stateOf(server);
  st.pending += objects;
  const now = server.os.now();
  st.busyUntilMs = Math.max(st.busyUntilMs, now) + effort * KEY_FREE_CPU_MS;
  const delayMs = st.busyUntilMs - now;
  const done = (): void => {
    st.pending -= objects;
    server.stats.lazyfreedObjects += objects;
  };
  // Jobs finish in queue order: a short job behind a timed one waits for a timer too.
  if (delayMs < SAME_TURN_MS && st.timedJobs === 0 && server.os.whenIdle) {
    server.os.whenIdle(() => { if (!server.exiting) done(); });
    return;
  }
  st.timedJobs++;
  server.os.setTimer(delayMs, () => server.event(() => { st.timedJobs--; done(); }));
}

/**
 * freeObjAsync: a value just removed from the keyspace goes to the bio thread when freeing it
 * is worth a thread hop (effort above LAZYFREE_THRESHOLD); otherwise it is freed right here.
 */
export function freeObjAsync(server: RedisServer, v: RedisValue): void {
  const effort = freeEffort(server, v);
  if (effort > LAZYFREE_THRESHOLD) queueJob(server, 1, effort);
}

/**
 * Freeing a value on the main thread (a DEL, an expiry or eviction, an overwrite, without
 * lazyfree): a big value's allocations take the event loop's time, which is why DEL of a
 * million-element set blocks Redis and UNLINK does not. A small value's free is part of the
 * command's own cost.
 */
export function freeObjSync(server: RedisServer, v: RedisValue): void {
  if (typeof v === 'string') return;
  const effort = freeEffort(server, v);
  if (effort > LAZYFREE_THRESHOLD) server.os.cpu?.(effort * KEY_FREE_CPU_MS);
}

/** emptyDbAsync: a database's old dict of `keys` keys goes to the bio thread whole. */
export function emptyDbAsync(server: RedisServer, keys: number): void {
  queueJob(server, keys, keys);
}

/** freeLuaScriptsAsync: SCRIPT FLUSH ASYNC hands a cache of more than 64 scripts to the bio thread. */
export function freeLuaScriptsAsync(server: RedisServer, scripts: number): void {
  if (scripts > LAZYFREE_THRESHOLD) queueJob(server, scripts, scripts);
}
