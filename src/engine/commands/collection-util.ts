/**
 * Helpers shared by the set and sorted-set families: storing a computed value under a key the
 * way Redis's setKey() does, exact int64 range checks where JS numbers would round, and the
 * SSCAN/ZSCAN option parsing and cursor bookkeeping (scanGenericCommand in db.c).
 */
import type { Client } from '../server/client';
import type { RedisValue } from '../keyspace/values';
import { ScanCursors } from '../keyspace/scan';
import { string2bigint, string2ll } from '../util/numbers';
import { getLongLongOrReply, optEq } from './util';

/**
 * setKey(): create or overwrite `key` with `v`, dropping any TTL. Only a key that did not
 * exist counts as "added", which is what wakes clients blocked on it (dbAdd →
 * signalKeyAsReady); overwriting an existing key never does in Redis 7.0.
 */
export function setKey(c: Client, key: string, v: RedisValue, signalReady: boolean): void {
  const db = c.db, s = c.server;
  const existed = db.lookupWrite(key) !== undefined;
  db.set(key, v);
  if (!existed && signalReady) s.signalKeyAsReady(db, key);
  s.signalModifiedKey(db, key);
}

/**
 * dbAdd() of a brand-new aggregate: add the key and, for types that can unblock clients,
 * mark it ready.
 */
export function addKey(c: Client, key: string, v: RedisValue, signalReady: boolean): void {
  c.db.add(key, v);
  if (signalReady) c.server.signalKeyAsReady(c.db, key);
}

/** dbDelete of a STORE destination that ended up empty, with the usual side effects. */
export function deleteStoreDestination(c: Client, key: string): void {
  const db = c.db, s = c.server;
  if (db.delete(key)) {
    s.signalModifiedKey(db, key);
    s.notifyKeyspaceEvent('g', 'del', key, db.id);
    s.dirty++;
  }
}

const LONG_MAX_BIG = 9223372036854775807n;

/**
 * getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX) with exact int64 bounds (JS numbers would
 * round LLONG_MIN into range and print the bounds wrongly). Returns a bigint or null.
 */
export function getSymmetricLongOrReply(c: Client, s: string): bigint | null {
  const v = string2bigint(s);
  if (v === null) { c.replyNotInteger(); return null; }
  if (v < -LONG_MAX_BIG) {
    c.replyError('value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    return null;
  }
  return v;
}

/** Per-collection SCAN snapshots, kept beside the value without touching its class. */
const cursorsByValue = new WeakMap<object, ScanCursors>();

export function scanCursorsFor(value: object): ScanCursors {
  let cur = cursorsByValue.get(value);
  if (!cur) { cur = new ScanCursors(); cursorsByValue.set(value, cur); }
  return cur;
}

/** SSCAN/ZSCAN/HSCAN options after the cursor: [MATCH pattern] [COUNT count]; null after replying. */
export function parseCollectionScanOptions(c: Client, argv: string[]): { count: number; pattern: string | null } | null {
  let count = 10;
  let pattern: string | null = null;
  for (let i = 3; i < argv.length;) {
    const more = argv.length - i;
    if (optEq(argv[i], 'count') && more >= 2) {
      const v = getLongLongOrReply(c, argv[i + 1]);
      if (v === null) return null;
      if (v < 1) { c.replySyntaxError(); return null; }
      count = v;
      i += 2;
    } else if (optEq(argv[i], 'match') && more >= 2) {
      pattern = argv[i + 1] === '*' ? null : argv[i + 1];
      i += 2;
    } else {
      c.replySyntaxError();
      return null;
    }
  }
  return { count, pattern };
}

/** The SCAN reply: the next cursor and a flat list of elements. */
export function replyScan(c: Client, cursor: number, items: string[]): void {
  c.replyArrayLen(2);
  c.replyBulk(String(cursor));
  c.replyBulks(items);
}

/** A missing key scans as an empty collection with cursor 0 (shared.emptyscan). */
export function replyEmptyScan(c: Client): void {
  replyScan(c, 0, []);
}

/**
 * getKeys for "numkeys key [key ...]" commands (SINTERCARD, ZUNION, ZMPOP, ...): the keys
 * after argv[numkeysIdx], preceded by fixed key positions such as a STORE destination. An
 * invalid numkeys yields just the fixed positions.
 */
export function numkeysKeys(numkeysIdx: number, fixedBefore: number[] = []) {
  return (argv: string[]): number[] => {
    const n = string2ll(argv[numkeysIdx] ?? '');
    if (n === null || n < 1 || numkeysIdx + n >= argv.length) return fixedBefore;
    const keys = [...fixedBefore];
    for (let i = 0; i < n; i++) keys.push(numkeysIdx + 1 + i);
    return keys;
  };
}
