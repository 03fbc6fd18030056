/**
 * WATCH bookkeeping (optimistic locking for MULTI/EXEC), following multi.c.
 *
 * Every watched (db, key) pair has an ordered list of watch records, one per watching client;
 * each client also keeps its own records. A record remembers whether the key was already
 * logically expired when WATCH ran: such a key "changing" by being deleted (lazily or by a
 * flush) is no change at all, so the record just forgets the expired state instead of failing
 * the transaction.
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

export interface WatchedKey {
  db: Db;
  key: string;
  client: Client;
  /** The key was already logically expired when WATCH was called. */
  expired: boolean;
}

function regKey(db: Db, key: string): string {
  return `${db.id}\0${key}`;
}

/** keyIsExpired(): the key exists with a TTL in the past. */
function keyIsExpired(db: Db, key: string): boolean {
  const e = db.getEntry(key);
  return !!e && db.isExpired(e);
}

/** watchForKey(). */
export function watchKey(server: RedisServer, c: Client, key: string): void {
  const db = c.db;
  for (const wk of c.watchedKeys) if (wk.db === db && wk.key === key) return;
  const k = regKey(db, key);
  let list = server.watchedKeys.get(k);
  if (!list) { list = []; server.watchedKeys.set(k, list); }
  const wk: WatchedKey = { db, key, client: c, expired: keyIsExpired(db, key) };
  c.watchedKeys.push(wk);
  list.push(wk);
}

/** unwatchAllKeys(). */
export function unwatchAllKeys(server: RedisServer, c: Client): void {
  if (c.watchedKeys.length === 0) return;
  for (const wk of c.watchedKeys) {
    const k = regKey(wk.db, wk.key);
    const list = server.watchedKeys.get(k);
    if (!list) continue;
    const i = list.indexOf(wk);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) server.watchedKeys.delete(k);
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
  const list = server.watchedKeys.get(regKey(db, key));
  if (!list) return;
  for (const wk of [...list]) {
    if (wk.expired) {
      if (!db.getEntry(key)) {
        wk.expired = false;
        continue;
      }
      break;
    }
    wk.client.dirtyCas = true;
    unwatchAllKeys(server, wk.client);
  }
}

/**
 * touchAllWatchedKeysInDb(): `emptied` is being flushed (replacedWith null) or swapped with
 * `replacedWith` (SWAPDB).
 */
export function touchAllWatchedKeysInDb(server: RedisServer, emptied: Db, replacedWith: Db | null): void {
  if (server.watchedKeys.size === 0) return;
  const prefix = `${emptied.id}\0`;
  for (const [k, list] of server.watchedKeys) {
    if (!k.startsWith(prefix)) continue;
    const key = k.slice(prefix.length);
    const existsInEmptied = !!emptied.getEntry(key);
    const existsInReplacement = !!replacedWith && !!replacedWith.getEntry(key);
    if (!existsInEmptied && !existsInReplacement) continue;
    for (const wk of list) {
      if (wk.expired) {
        if (!existsInReplacement) {
          wk.expired = false;
          continue;
        } else if (keyIsExpired(replacedWith!, key)) {
          continue;
        }
      } else if (!existsInEmptied && keyIsExpired(replacedWith!, key)) {
        wk.expired = true;
        continue;
      }
      wk.client.dirtyCas = true;
    }
  }
}
