/**
 * The active expire cycle (expire.c), run from serverCron on masters.
 *
 * Lazy expiry alone would leave never-read keys in memory forever, so every cron tick each
 * database samples keys that have a TTL and deletes the expired ones. If more than 10% of a
 * sample was expired the database is likely full of stale keys and is sampled again right
 * away, up to a work budget that stands in for Redis's 25%-of-CPU time limit.
 *
 * Redis samples random buckets; we walk the set of volatile keys with a cursor that survives
 * between cycles, which covers every key fairly and keeps the simulation deterministic. The
 * deletions are propagated as DELs without a MULTI wrapper, like Redis.
 */
import type { RedisServer } from '../server/server';
import { latencyAddSampleIfNeeded } from '../server/latency-monitor';

const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE_PERCENT = 10;
/** Work budget per cron tick per database (stands in for the CPU time limit). */
const MAX_LOOPS_PER_DB = 16;

/** Whether the cycle has nothing it could delete (no key has a TTL) or would not run. */
export function activeExpireQuiet(server: RedisServer): boolean {
  if (!server.activeExpireEnabled || !server.iAmMaster() || server.loading || server.clientsPaused()) return true;
  for (const db of server.dbs) if (db.volatile.size > 0) return false;
  return true;
}

export function activeExpireCycle(server: RedisServer, effort = 1): void {
  // databasesCron asks iAmMaster(): a cluster replica just restarted has no replication link
  // yet (the cluster cron sets it up) but must not expire what its master will DEL.
  if (!server.iAmMaster() || server.loading || server.clientsPaused()) return;
  const perLoop = KEYS_PER_LOOP + Math.floor(KEYS_PER_LOOP / 4) * (effort - 1);
  const acceptableStale = ACCEPTABLE_STALE_PERCENT - effort + 1;
  const startUs = server.os.nowUs();
  server.propagateNoMulti = true;
  let totalSampled = 0, totalExpired = 0;
  try {
    for (const db of server.dbs) {
      if (db.volatile.size === 0) { db.avgTtl = 0; continue; }
      for (let loop = 0; loop < MAX_LOOPS_PER_DB; loop++) {
        let sampled = 0, expired = 0, ttlSum = 0, ttlSamples = 0;
        const budget = Math.min(perLoop, db.volatile.size);
        const now = server.nowMs();
        while (sampled < budget) {
          if (!db.expireIter) db.expireIter = db.volatile.values();
          const n = db.expireIter.next();
          if (n.done) { db.expireIter = null; if (sampled === 0 && db.volatile.size === 0) break; continue; }
          const key = n.value;
          const e = db.getEntry(key);
          if (!e || e.exp === -1) continue;
          sampled++;
          if (now > e.exp) {
            db.deleteExpired(key);
            expired++;
          } else {
            ttlSum += e.exp - now;
            ttlSamples++;
          }
        }
        if (ttlSamples) {
          const avg = ttlSum / ttlSamples;
          db.avgTtl = db.avgTtl === 0 ? avg : (db.avgTtl / 50) * 49 + avg / 50;
        }
        totalSampled += sampled;
        totalExpired += expired;
        if (sampled === 0 || (expired * 100) / sampled <= acceptableStale) break;
      }
    }
  } finally {
    server.propagatePendingCommands(true);
    server.propagateNoMulti = false;
  }
  // Its time is INFO's expire_cycle_cpu_milliseconds and the "expire-cycle" latency event
  // (freeing big values without lazyfree-lazy-expire is what makes a cycle slow).
  const elapsedUs = Math.max(0, server.os.nowUs() - startUs);
  server.stats.expireCycleTimeUsedUs += elapsedUs;
  latencyAddSampleIfNeeded(server, 'expire-cycle', Math.floor(elapsedUs / 1000));
  const perc = totalSampled ? totalExpired / totalSampled : 0;
  server.stats.expiredStalePerc = perc * 0.05 + server.stats.expiredStalePerc * 0.95;
}
