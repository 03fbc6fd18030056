/**
 * WATCH bookkeeping (optimistic locking for MULTI/EXEC), following multi.c.
 *
 * The server maps every watched (db, key) to its watching clients in WATCH order; each client
 * keeps one record per watched key. A record remembers whether the key was already logically
 * expired when WATCH ran: such a key "changing" by being deleted (lazily or by a flush) is no
 * change at all, so the record just forgets the expired state instead of failing the
 * transaction.
 *
 * - A write to the key (signalModifiedKey) marks every watcher dirty (CAS failure) and drops
 *   all of that client's watches, except records of already-expired keys: if the key is now
 *   gone the record is reset, otherwise the walk stops there (Redis 7.0 breaks out of the
 *   loop at that point, leaving later watchers of the same key untouched).
 * - FLUSHDB/FLUSHALL/SWAPDB touch every watched key that exists in the emptied db (or in the
 *   db replacing it), with the expired-key nuances of touchAllWatchedKeysInDb().
 * - EXEC fails when a watched key that was not expired at WATCH time has expired since.
 */
import type { Client } from './client';
import type { Db } from '../keyspace/db';
import type { RedisServer } from './server';

/** One client's watch of one key. */
export interface WatchedKey {
  db: Db;
  key: string;
  /** The key was already logically expired when WATCH was called. */
  expired?: boolean;
}

function regKey(db: Db, key: string): string {
  return `${db.id}\0${key}`;
}

/** keyIsExpired(): the key exists with a TTL in the past. */
function keyIsExpired(db: Db, key: string): boolean {
  const e = db.getEntry(key);
  return !!e && db.isExpired(e);
}

function recordOf(c: Client, db: Db, key: string): WatchedKey | undefined {
  for (const wk of c.watchedKeys) if (wk.db === db && wk.key === key) return wk;
  return undefined;
}

/** watchForKey(). */
export function watchKey(server: RedisServer, c: Client, db: Db, key: string): void {
  if (recordOf(c, db, key)) return;
  const k = regKey(db, key);
  let set = server.watchedKeys.get(k);
  if (!set) { set = new Set(); server.watchedKeys.set(k, set); }
  set.add(c);
  c.watchedKeys.push({ db, key, expired: keyIsExpired(db, key) });
}

/** unwatchAllKeys(). */
export function unwatchAllKeys(server: RedisServer, c: Client): void {
  if (c.watchedKeys.length === 0) return;
  for (const wk of c.watchedKeys) {
    const k = regKey(wk.db, wk.key);
    const set = server.watchedKeys.get(k);
    if (!set) continue;
    set.delete(c);
    if (set.size === 0) server.watchedKeys.delete(k);
  }
  c.watchedKeys = [];
}

/** isWatchedKeyExpired(): checked by EXEC. */
export function isWatchedKeyExpired(c: Client): boolean {
  for (const wk of c.watchedKeys) {
    if (wk.expired) continue;
    if (keyIsExpired(wk.db, wk.key)) return true;
  }
  return false;
}

/** touchWatchedKey(): a key was modified. */
export function touchWatchedKey(server: RedisServer, db: Db, key: string): void {
  if (server.watchedKeys.size === 0) return;
  const set = server.watchedKeys.get(regKey(db, key));
  if (!set) return;
  for (const c of [...set]) {
    const wk = recordOf(c, db, key);
    if (wk?.expired) {
      if (!db.getEntry(key)) {
        wk.expired = false;
        continue;
      }
      break;
    }
    c.dirtyCas = true;
    unwatchAllKeys(server, c);
  }
}

/**
 * touchAllWatchedKeysInDb(): `emptied` is being flushed (replacedWith null) or swapped with
 * `replacedWith` (SWAPDB). Call it before the db changes.
 */
export function touchAllWatchedKeysInDb(server: RedisServer, emptied: Db, replacedWith: Db | null): void {
  if (server.watchedKeys.size === 0) return;
  const prefix = `${emptied.id}\0`;
  for (const [k, set] of server.watchedKeys) {
    if (!k.startsWith(prefix)) continue;
    const key = k.slice(prefix.length);
    const existsInEmptied = !!emptied.getEntry(key);
    const existsInReplacement = !!replacedWith && !!replacedWith.getEntry(key);
    if (!existsInEmptied && !existsInReplacement) continue;
    for (const c of set) {
      const wk = recordOf(c, emptied, key);
      if (wk?.expired) {
        if (!existsInReplacement) {
          wk.expired = false;
          continue;
        } else if (keyIsExpired(replacedWith!, key)) {
          continue;
        }
      } else if (!existsInEmptied && keyIsExpired(replacedWith!, key)) {
        if (wk) wk.expired = true;
        continue;
      }
      c.dirtyCas = true;
    }
  }
}
