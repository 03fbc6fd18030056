/**
 * Expiring the keys a writable replica created itself (expire.c's slaveKeysWithExpire).
 *
 * A replica never expires keys on its own: its master sends a DEL when one of the master's
 * keys expires. But with `replica-read-only no` clients may write to the replica, and a key
 * they give a TTL there is unknown to the master, which will never send its DEL. So the
 * replica remembers the names of such keys, with the databases they were set in, and its cron
 * (where a master runs the active expire cycle) checks them: an expired one is deleted, one
 * with no TTL any more (or gone) is forgotten, and a key still waiting keeps its place.
 *
 * As in Redis the list is best effort: it is keyed by name, so a key the master later writes
 * under the same name is expired by the replica too when its TTL passes; FLUSHALL, a full
 * sync, SWAPDB and a reload forget the whole list (FLUSHDB does not); keys in databases above
 * 63 are not tracked. Redis checks random entries until it meets more than 3 that are not yet
 * due or spends 1 ms; we walk the list with a cursor kept between runs (deterministic, and
 * fair to every key), with a fixed number of entries standing in for the time limit.
 */
import type { RedisServer } from '../server/server';
import type { Db } from './db';

/** Entries checked per run at most (Redis stops after 1 ms, checking the time every 64). */
const MAX_CHECKS_PER_RUN = 640;

interface Tracked {
  /** Key name → the ids of the databases where it was given a TTL by a client. */
  keys: Map<string, Set<number>>;
  cursor: Iterator<[string, Set<number>]> | null;
}

const tracked = new WeakMap<RedisServer, Tracked>();

/**
 * setExpire()'s rememberSlaveKeyWithExpire: a client (not the master's link, not a load) set a
 * TTL on a writable replica.
 */
export function rememberReplicaKeyWithExpire(server: RedisServer, db: Db, key: string): void {
  if (server.masterHost === null || server.loading || server.config.get<boolean>('replica-read-only')) return;
  const c = server.currentClient;
  if (!c || c.isMaster || db.id > 63) return;
  let t = tracked.get(server);
  if (!t) tracked.set(server, t = { keys: new Map(), cursor: null });
  let dbs = t.keys.get(key);
  if (!dbs) t.keys.set(key, dbs = new Set());
  dbs.add(db.id);
}

/** INFO's slave_expires_tracked_keys. */
export function replicaKeysWithExpireCount(server: RedisServer): number {
  return tracked.get(server)?.keys.size ?? 0;
}

/** flushSlaveKeysWithExpireList(): the data was replaced, the names mean nothing now. */
export function forgetReplicaKeysWithExpire(server: RedisServer): void {
  tracked.delete(server);
}

/** Whether expireReplicaKeys has nothing to look at. */
export function replicaExpireQuiet(server: RedisServer): boolean {
  return replicaKeysWithExpireCount(server) === 0;
}

/** expireSlaveKeys(), from the cron of a server that is a replica. */
export function expireReplicaKeys(server: RedisServer): void {
  const t = tracked.get(server);
  if (!t || t.keys.size === 0) return;
  const now = server.nowMs();
  let checks = 0;
  let notYetDue = 0;
  server.propagateNoMulti = true;
  try {
    while (t.keys.size > 0 && checks < MAX_CHECKS_PER_RUN && notYetDue <= 3) {
      if (!t.cursor) t.cursor = t.keys.entries();
      const n = t.cursor.next();
      if (n.done) { t.cursor = null; continue; }
      const [key, dbs] = n.value;
      checks++;
      for (const id of [...dbs]) {
        const db = server.dbs[id];
        const e = db?.getEntry(key);
        if (!e || e.exp === -1) { dbs.delete(id); continue; }
        if (now > e.exp) {
          db.deleteExpired(key);
          dbs.delete(id);
        } else {
          notYetDue++;
        }
      }
      // Deleting the entry the cursor stands on is safe for a Map iterator.
      if (dbs.size === 0) t.keys.delete(key);
    }
  } finally {
    // Writable replicas feed nothing to their own replicas, but the DELs reach their AOF.
    server.propagatePendingCommands(true);
    server.propagateNoMulti = false;
  }
}
