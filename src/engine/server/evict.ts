/**
 * maxmemory enforcement (performEvictions in evict.c), run by processCommand before each
 * command when `maxmemory` is set.
 *
 * Used memory is the server's used_memory estimate (memory-stats.ts) minus what Redis does not
 * count against maxmemory (replica output buffers). Over the limit, `noeviction` fails at once;
 * the other policies delete keys until enough memory is estimated to be freed:
 * - *-random: a random key (of all keys, or of keys with a TTL), db after db;
 * - *-lru / *-lfu: of `maxmemory-samples` sampled keys per db, the one idle the longest
 *   (we keep one access clock per key, so LFU is approximated by recency too);
 * - volatile-ttl: of the sampled keys with a TTL, the one expiring first.
 * Each eviction is a DEL/UNLINK propagated on its own, an `evicted` keyspace event and an
 * `evicted_keys` count. When nothing can be evicted the command may be refused with OOM.
 *
 * The figure is INFO's used_memory (whose dataset walk is cached for 100 ms but follows the key
 * count meanwhile), so what a client reads in INFO is what eviction keeps under the limit.
 */
import type { RedisServer } from './server';
import { memoryOverhead } from './memory-stats';
import { keyMemoryUsage } from '../keyspace/memory-usage';
import { checkPauseTimeout } from './pause';
import { latencyAddSampleIfNeeded } from './latency-monitor';
import { applyClientMaxMemoryUsage, forgetClientMemory } from './client-eviction';
import { lazyfreeBusyRemainingMs } from './lazyfree';

export type EvictResult = 'ok' | 'fail';

/** used_memory minus what maxmemory does not count (getMaxmemoryState's freeMemoryGetNotCountedMemory). */
function usedMemory(server: RedisServer): number {
  const m = memoryOverhead(server);
  return m.total - m.clientsSlaves - m.aofBuffer;
}

/** Pick the key to evict, or null when there is none. */
function bestKey(server: RedisServer, policy: string, dbCursor: { next: number }): { dbId: number; key: string } | null {
  const allKeys = policy.startsWith('allkeys');
  const samples = server.config.get<number>('maxmemory-samples');
  if (policy.endsWith('random')) {
    for (let i = 0; i < server.dbs.length; i++) {
      const db = server.dbs[(++dbCursor.next) % server.dbs.length];
      const pool = allKeys ? [...db.dict.keys()] : [...db.volatile];
      if (pool.length) return { dbId: db.id, key: pool[Math.floor(server.os.random() * pool.length)] };
    }
    return null;
  }
  let best: { dbId: number; key: string; score: number } | null = null;
  const clock = server.lruClock();
  for (const db of server.dbs) {
    const pool = allKeys ? [...db.dict.keys()] : [...db.volatile];
    if (pool.length === 0) continue;
    for (let i = 0; i < Math.min(samples, pool.length); i++) {
      const key = pool[Math.floor(server.os.random() * pool.length)];
      const e = db.getEntry(key);
      if (!e) continue;
      // Higher score = better candidate.
      const score = policy === 'volatile-ttl' ? -e.exp : ((clock - e.lru) & 0xffffff);
      if (!best || score > best.score) best = { dbId: db.id, key, score };
    }
  }
  return best;
}

/**
 * startEvictionTimeProc(): after CONFIG SET maxmemory, evict right away (on a 0 ms timer)
 * instead of waiting for the next command, like updateMaxmemory() does.
 */
export function installEviction(server: RedisServer): void {
  server.hooks.clientClosed.push((c) => forgetClientMemory(server, c));
  server.config.onApply('maxmemory-clients', () => { applyClientMaxMemoryUsage(server); return null; });
  server.config.onApply('maxmemory', () => {
    if (server.config.get<number>('maxmemory')) {
      server.os.setTimer(0, () => server.event(() => { performEvictions(server); }));
    }
    return null;
  });
}

/** performEvictions(). */
export function performEvictions(server: RedisServer): EvictResult {
  const maxmemory = server.config.get<number>('maxmemory');
  if (!maxmemory || server.loading) return 'ok';
  if (server.masterHost && server.config.get<boolean>('replica-ignore-maxmemory')) return 'ok';
  if (checkPauseTimeout(server)) return 'ok';
  const used = usedMemory(server);
  if (used <= maxmemory) return evictionMetrics(server, 'ok');
  const policy = server.config.get<string>('maxmemory-policy');
  if (policy === 'noeviction') return evictionMetrics(server, 'fail');
  const toFree = used - maxmemory;
  const cycleStartUs = server.os.nowUs();
  let freed = 0;
  const cursor = { next: 0 };
  const lazy = server.config.get<boolean>('lazyfree-lazy-eviction');
  while (freed < toFree) {
    const pick = bestKey(server, policy, cursor);
    if (!pick) break;
    const db = server.dbs[pick.dbId];
    const e = db.getEntry(pick.key)!;
    freed += keyMemoryUsage(pick.key, e);
    const delStartUs = server.os.nowUs();
    db.delete(pick.key, lazy ? 'lazy' : 'sync');
    latencyAddSampleIfNeeded(server, 'eviction-del', Math.floor((server.os.nowUs() - delStartUs) / 1000));
    server.stats.evictedKeys++;
    server.signalModifiedKey(db, pick.key);
    server.notifyKeyspaceEvent('e', 'evicted', pick.key, db.id);
    server.propagateDeletion(db.id, pick.key, lazy);
  }
  const result = freed >= toFree ? 'ok' : 'fail';
  if (result === 'fail') waitForLazyfree(server, cycleStartUs);
  latencyAddSampleIfNeeded(server, 'eviction-cycle', Math.floor((server.os.nowUs() - cycleStartUs) / 1000));
  return evictionMetrics(server, result);
}

/**
 * evictionTimeLimitUs: how long one performEvictions may run, by maxmemory-eviction-tenacity
 * (0..10: 50 µs a step; then 15% more a step, about 2 minutes at 99; 100: no limit).
 */
function evictionTimeLimitUs(server: RedisServer): number {
  const tenacity = server.config.get<number>('maxmemory-eviction-tenacity');
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return Math.floor(500 * Math.pow(1.15, tenacity - 10));
  return Infinity;
}

/**
 * performEvictions' cant_free: out of keys to evict, Redis waits (within the eviction time limit)
 * for the lazyfree thread's pending frees, and records that wait as "eviction-lazyfree". Here
 * an evicted value leaves used memory at once, so the wait cannot bring memory back under the
 * limit: it lasts until the thread is idle or the time limit is reached.
 */
function waitForLazyfree(server: RedisServer, cycleStartUs: number): void {
  const startUs = server.os.nowUs();
  const leftUs = evictionTimeLimitUs(server) - (startUs - cycleStartUs);
  const waitMs = Math.min(lazyfreeBusyRemainingMs(server), Math.max(0, leftUs) / 1000);
  if (waitMs > 0) server.os.sleep(waitMs);
  latencyAddSampleIfNeeded(server, 'eviction-lazyfree', Math.floor((server.os.nowUs() - startUs) / 1000));
}

/**
 * performEvictions' update_metrics: how long used memory has stayed over maxmemory without
 * eviction bringing it back (INFO total_eviction_exceeded_time, current_eviction_exceeded_time).
 */
function evictionMetrics(server: RedisServer, result: EvictResult): EvictResult {
  if (result === 'fail') {
    if (server.stats.evictionExceededSinceUs === 0) server.stats.evictionExceededSinceUs = server.os.nowUs();
  } else if (server.stats.evictionExceededSinceUs !== 0) {
    server.stats.totalEvictionExceededUs += server.os.nowUs() - server.stats.evictionExceededSinceUs;
    server.stats.evictionExceededSinceUs = 0;
  }
  return result;
}
