/**
 * Generic keyspace commands (db.c): DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, DBSIZE,
 * FLUSHDB, FLUSHALL, SWAPDB, MOVE, COPY, RENAME, RENAMENX, TOUCH, OBJECT.
 */
import type { Client } from '../server/client';
import { cmd, type ArgDoc, type CommandSpec, type KeySpec } from './table';
import { keySpecRange } from './key-specs';
import { Lookup, stringEncoding, type Entry } from '../keyspace/db';
import { cloneValue, typeName } from '../keyspace/values';
import { parseScanCursor } from '../keyspace/scan';
import { stringMatch } from '../util/glob';
import { getIntOrReply, optEq, parseScanOptions } from './util';
import { KEY_FREE_CPU_MS, KEY_VISIT_CPU_MS } from '../server/cpu-cost';
import { forgetReplicaKeysWithExpire } from '../keyspace/replica-expire';

const G = { group: 'generic', acl: ['@keyspace'] };

function delGeneric(c: Client, argv: string[], lazy: boolean): void {
  const db = c.db, s = c.server;
  let n = 0;
  for (let j = 1; j < argv.length; j++) {
    // Expire first (a master deletes and propagates it, so it does not count); a writable
    // replica leaves the expired key in place and the DEL below then counts it, like Redis.
    db.expireIfNeededKey(argv[j]);
    if (db.delete(argv[j], lazy ? 'lazy' : 'sync')) {
      s.signalModifiedKey(db, argv[j]);
      s.notifyKeyspaceEvent('g', 'del', argv[j], db.id);
      s.dirty++;
      n++;
    }
  }
  c.replyInt(n);
}

function exists(c: Client, argv: string[]): void {
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (c.db.lookup(argv[j], Lookup.NoTouch) !== undefined) n++;
  c.replyInt(n);
}

function type(c: Client, argv: string[]): void {
  const v = c.db.lookup(argv[1], Lookup.NoTouch);
  c.replyStatus(v === undefined ? 'none' : typeName(v));
}

function keys(c: Client, argv: string[]): void {
  const pattern = argv[1];
  const all = pattern === '*';
  const db = c.db;
  c.server.os.cpu?.(db.dict.size * KEY_VISIT_CPU_MS);
  // The count is known at the end (addReplyDeferredLen): the reply goes to the reply list.
  const lenPos = c.replyDeferredLen();
  let n = 0;
  for (const [k, e] of db.dict) {
    if (!all && !stringMatch(pattern, k)) continue;
    // keyIsExpired only: KEYS hides logically expired keys but does not delete them.
    if (db.isExpired(e)) continue;
    c.replyBulk(k);
    n++;
  }
  c.setDeferredLen(lenPos, '*', n);
}

function scan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[1]);
  if (cursor === null) { c.replyError('invalid cursor'); return; }
  const opts = parseScanOptions(c, argv, 2, true);
  if (!opts) return;
  const db = c.db;
  const { next, batch } = db.scan.step(cursor, opts.count, () => db.dict.keys());
  c.server.os.cpu?.(batch.length * KEY_VISIT_CPU_MS);
  const out: string[] = [];
  for (const k of batch) {
    if (!db.getEntry(k)) continue; // deleted since the iteration started
    if (opts.pattern !== null && !stringMatch(opts.pattern, k)) continue;
    if (opts.type !== null) {
      // Like Redis: a plain lookup (counts hits/misses, may expire the key), then strcasecmp.
      const v = db.lookup(k, Lookup.NoTouch);
      if (!optEq(opts.type, v === undefined ? 'none' : typeName(v))) continue;
    }
    if (db.expireIfNeededKey(k)) continue;
    out.push(k);
  }
  c.replyArrayLen(2);
  c.replyBulk(String(next));
  c.replyBulks(out);
}

function randomkey(c: Client): void {
  const k = c.db.randomKey(() => c.server.os.random());
  c.replyBulkOrNull(k);
}

/**
 * forceCommandPropagation: FLUSHDB/FLUSHALL reach the AOF and replicas even when nothing was
 * removed (and so `dirty` did not move).
 */
function forcePropagation(c: Client): void {
  c.preventPropagation = true;
  c.server.alsoPropagate(c.db.id, c.argv);
}

function flushdb(c: Client, argv: string[]): void {
  if (!parseFlushFlags(c, argv)) return;
  const s = c.server;
  s.touchAllWatchedKeysInDb(c.db, true);
  const freed = c.db.clear(flushAsync(c, argv));
  chargeFlush(c, argv, freed);
  s.dirty += freed;
  s.afterFlush?.();
  forcePropagation(c);
  c.replyOk();
}

function flushall(c: Client, argv: string[]): void {
  if (!parseFlushFlags(c, argv)) return;
  const s = c.server;
  s.touchAllWatchedKeysInDb(null, true);
  let freed = 0;
  const async = flushAsync(c, argv);
  for (const db of s.dbs) freed += db.clear(async);
  forgetReplicaKeysWithExpire(s);
  chargeFlush(c, argv, freed);
  s.dirty += freed;
  s.afterFlushAll?.();
  forcePropagation(c);
  c.replyOk();
}

/** Freeing the keys takes the event loop's time unless a lazyfree thread does it (ASYNC). */
function chargeFlush(c: Client, argv: string[], keys: number): void {
  if (!flushAsync(c, argv)) c.server.os.cpu?.(keys * KEY_FREE_CPU_MS);
}

/** getFlushCommandFlags: ASYNC, SYNC, or lazyfree-lazy-user-flush when neither is given. */
function flushAsync(c: Client, argv: string[]): boolean {
  return argv.length === 2 ? optEq(argv[1], 'async') : c.server.config.get<boolean>('lazyfree-lazy-user-flush');
}

/** FLUSHDB/FLUSHALL [ASYNC|SYNC]. */
function parseFlushFlags(c: Client, argv: string[]): boolean {
  if (argv.length > 2) { c.replySyntaxError(); return false; }
  if (argv.length === 2 && !optEq(argv[1], 'sync') && !optEq(argv[1], 'async')) { c.replySyntaxError(); return false; }
  return true;
}

function swapdb(c: Client, argv: string[]): void {
  const s = c.server;
  if (s.clusterEnabled()) { c.replyError('SWAPDB is not allowed in cluster mode'); return; }
  const a = getIntOrReply(c, argv[1], 'invalid first DB index');
  if (a === null) return;
  const b = getIntOrReply(c, argv[2], 'invalid second DB index');
  if (b === null) return;
  if (a < 0 || a >= s.dbs.length || b < 0 || b >= s.dbs.length) { c.replyError('DB index is out of range'); return; }
  if (a !== b) {
    const da = s.dbs[a], db = s.dbs[b];
    // WATCHed keys that exist on either side change value (touchAllWatchedKeysInDb), checked
    // before the swap.
    s.touchAllWatchedKeysInDb(da, db);
    s.touchAllWatchedKeysInDb(db, da);
    da.swapWith(db);
    forgetReplicaKeysWithExpire(s);
    // Clients blocked on a key that now holds a list, zset or stream can be served
    // (scanDatabaseForReadyKeys).
    // A blocked XREADGROUP whose stream went away with the swap is unblocked with an error
    // (scanDatabaseForDeletedStreams): the db's old content is now in the other db.
    for (const [k] of s.blockingKeys) {
      const sep = k.indexOf('\0');
      const id = Number(k.slice(0, sep));
      if (id !== a && id !== b) continue;
      const name = k.slice(sep + 1);
      const v = s.dbs[id].getEntry(name)?.v;
      const was = s.dbs[id === a ? b : a].getEntry(name)?.v;
      const blockable = v !== undefined && typeof v !== 'string' && (v.type === 'list' || v.type === 'zset' || v.type === 'stream');
      const wasStream = was !== undefined && typeof was !== 'string' && was.type === 'stream';
      if (blockable || wasStream) s.signalKeyAsReady(s.dbs[id], name);
    }
  }
  s.dirty++;
  c.replyOk();
}

function move(c: Client, argv: string[]): void {
  const s = c.server;
  if (s.clusterEnabled()) { c.replyError('MOVE is not allowed in cluster mode'); return; }
  const src = c.db;
  const dbid = getIntOrReply(c, argv[2]);
  if (dbid === null) return;
  if (dbid < 0 || dbid >= s.dbs.length) { c.replyError('DB index is out of range'); return; }
  const dst = s.dbs[dbid];
  if (src === dst) { c.replyError('source and destination objects are the same'); return; }
  const key = argv[1];
  const v = src.lookupWrite(key);
  if (v === undefined) { c.replyInt(0); return; }
  const e = src.getEntry(key)!;
  if (dst.lookupWrite(key) !== undefined) { c.replyInt(0); return; }
  moveEntry(e, dst.add(key, v, e.enc));
  if (e.exp !== -1) dst.setExpire(key, e.expExact ?? e.exp);
  // The value lives on in dst (Redis holds a second reference): nothing to free.
  src.delete(key, 'keep');
  s.signalModifiedKey(src, key);
  s.signalModifiedKey(dst, key);
  s.notifyKeyspaceEvent('g', 'move_from', key, src.id);
  s.notifyKeyspaceEvent('g', 'move_to', key, dst.id);
  s.dirty++;
  c.replyInt(1);
}

function copy(c: Client, argv: string[]): void {
  const s = c.server;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    if (optEq(argv[j], 'replace')) replace = true;
    else if (optEq(argv[j], 'db') && j < argv.length - 1) {
      const id = getIntOrReply(c, argv[j + 1]);
      if (id === null) return;
      if (id < 0 || id >= s.dbs.length) { c.replyError('DB index is out of range'); return; }
      dst = s.dbs[id];
      j++;
    } else { c.replySyntaxError(); return; }
  }
  if (s.clusterEnabled() && (c.db.id !== 0 || dst.id !== 0)) {
    c.replyError('Copying to another database is not allowed in cluster mode');
    return;
  }
  const src = c.db, key = argv[1], newkey = argv[2];
  if (src === dst && key === newkey) { c.replyError('source and destination objects are the same'); return; }
  const v = src.lookupRead(key);
  if (v === undefined) { c.replyInt(0); return; }
  const e = src.getEntry(key)!;
  if (dst.lookupWrite(newkey) !== undefined) {
    if (!replace) { c.replyInt(0); return; }
    dst.delete(newkey);
  }
  dst.add(newkey, cloneValue(v), e.enc);
  if (e.exp !== -1) dst.setExpire(newkey, e.expExact ?? e.exp);
  s.signalModifiedKey(dst, newkey);
  s.notifyKeyspaceEvent('g', 'copy_to', newkey, dst.id);
  s.dirty++;
  c.replyInt(1);
}

function renameGeneric(c: Client, argv: string[], nx: boolean): void {
  const db = c.db, s = c.server, key = argv[1], newkey = argv[2];
  const v = db.lookupWrite(key);
  if (v === undefined) { c.replyError('no such key'); return; }
  if (key === newkey) { if (nx) c.replyInt(0); else c.replyOk(); return; }
  const e = db.getEntry(key)!;
  if (db.lookupWrite(newkey) !== undefined) {
    if (nx) { c.replyInt(0); return; }
    db.delete(newkey);
  }
  moveEntry(e, db.add(newkey, v, e.enc));
  if (e.exp !== -1) db.setExpire(newkey, e.expExact ?? e.exp);
  // The value lives on under newkey: nothing to free.
  db.delete(key, 'keep');
  s.signalModifiedKey(db, key);
  s.signalModifiedKey(db, newkey);
  s.notifyKeyspaceEvent('g', 'rename_from', key, db.id);
  s.notifyKeyspaceEvent('g', 'rename_to', newkey, db.id);
  s.dirty++;
  if (nx) c.replyInt(1); else c.replyOk();
}

/** RENAME and MOVE re-link the same object: it keeps its LRU/LFU data. */
function moveEntry(from: Entry, to: Entry): void {
  to.lru = from.lru;
}

function touch(c: Client, argv: string[]): void {
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (c.db.lookupRead(argv[j]) !== undefined) n++;
  c.replyInt(n);
}

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

/** addReplyHelp: the subcommand help lines as status replies. */
export function replyHelp(c: Client, lines: string[]): void {
  c.replyArrayLen(lines.length);
  for (const l of lines) c.replyStatus(l);
}

function objectLookup(c: Client, key: string) {
  const e = c.db.getEntry(key);
  if (!e || c.db.lookup(key, Lookup.NoTouch | Lookup.NoNotify) === undefined) { c.replyNull(); return null; }
  return e;
}

function objectEncoding(c: Client, argv: string[]): void {
  const e = objectLookup(c, argv[2]);
  if (!e) return;
  c.replyBulk(typeof e.v === 'string' ? stringEncoding(e) : e.v.encoding);
}

function objectRefcount(c: Client, argv: string[]): void {
  const e = objectLookup(c, argv[2]);
  if (!e) return;
  // Small integers (0..9999) are shared objects in Redis and report INT_MAX references,
  // unless maxmemory is set with an LRU/LFU policy (which needs a per-key access clock).
  const policy = c.server.config.get<string>('maxmemory-policy');
  const shared = typeof e.v === 'string' && stringEncoding(e) === 'int' && /^\d{1,4}$/.test(e.v)
    && (c.server.config.get<number>('maxmemory') === 0 || !(policy.endsWith('-lru') || policy.endsWith('-lfu')));
  c.replyInt(shared ? 2147483647 : 1);
}

function objectIdletime(c: Client, argv: string[]): void {
  const e = objectLookup(c, argv[2]);
  if (!e) return;
  if (c.server.config.get<string>('maxmemory-policy').endsWith('-lfu')) {
    c.replyError('An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
    return;
  }
  let idle = c.server.lruClock() - e.lru;
  if (idle < 0) idle += 0xffffff; // LRU_CLOCK_MAX wrap-around, as estimateObjectIdleTime
  c.replyInt(idle);
}

function objectFreq(c: Client, argv: string[]): void {
  const e = objectLookup(c, argv[2]);
  if (!e) return;
  if (!c.server.config.get<string>('maxmemory-policy').endsWith('-lfu')) {
    c.replyError('An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
    return;
  }
  c.replyInt(c.db.lfuDecrAndReturn(e));
}

const objectSub = (name: string, summary: string, handler: (c: Client, a: string[]) => void): CommandSpec =>
  cmd(name, 3, ['readonly'], [2, 2, 1], { ...G, acl: ['@keyspace'], since: name === 'freq' ? '4.0.0' : '2.2.3', summary, complexity: 'O(1)', tips: ['nondeterministic_output'], args: [{ name: 'key', type: 'key' }] }, handler, {
    keySpecs: [keySpecRange(2, 0, 1, ['RO'])],
  });

/** Key specs (Redis 7.0.15's): DEL and UNLINK remove their keys; EXISTS and TOUCH read no values (RO without `access`). */
const removeKeys: KeySpec[] = [keySpecRange(1, -1, 1, ['RM', 'delete'])];
const checkKeys: KeySpec[] = [keySpecRange(1, -1, 1, ['RO'])];

/** FLUSHDB / FLUSHALL [ASYNC | SYNC], with the version history Redis 7.0.15 gives. */
const flushMode: ArgDoc = { name: 'async', type: 'oneof', optional: true, args: [{ name: 'async', type: 'pure-token', token: 'ASYNC', since: '4.0.0' }, { name: 'sync', type: 'pure-token', token: 'SYNC', since: '6.2.0' }] };
const flushHistory: [string, string][] = [['4.0.0', 'Added the `ASYNC` flushing mode modifier.'], ['6.2.0', 'Added the `SYNC` flushing mode modifier.']];

export const keyspaceCommands: CommandSpec[] = [
  cmd('del', -2, ['write'], [1, -1, 1], { ...G, since: '1.0.0', summary: 'Delete keys.', complexity: 'O(N) where N is the number of keys that will be removed.', tips: ['request_policy:multi_shard', 'response_policy:agg_sum'], args: [{ name: 'key', type: 'key', multiple: true }] }, (c, a) => delGeneric(c, a, c.server.config.get<boolean>('lazyfree-lazy-user-del')), { keySpecs: removeKeys }),
  cmd('unlink', -2, ['write', 'fast'], [1, -1, 1], { ...G, since: '4.0.0', summary: 'Delete keys, reclaiming memory in the background.', complexity: 'O(1) for each key removed regardless of its size.', tips: ['request_policy:multi_shard', 'response_policy:agg_sum'], args: [{ name: 'key', type: 'key', multiple: true }] }, (c, a) => delGeneric(c, a, true), { keySpecs: removeKeys }),
  cmd('exists', -2, ['readonly', 'fast'], [1, -1, 1], { ...G, since: '1.0.0', summary: 'Count how many of the given keys exist.', complexity: 'O(N) where N is the number of keys to check.', tips: ['request_policy:multi_shard', 'response_policy:agg_sum'], args: [{ name: 'key', type: 'key', multiple: true }] }, exists, { keySpecs: checkKeys, history: [['3.0.3', 'Accepts multiple `key` arguments.']] }),
  cmd('type', 2, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'The type of the value stored at a key.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }] }, type, { keySpecs: [keySpecRange(1, 0, 1, ['RO'])] }),
  cmd('keys', 2, ['readonly'], [0, 0, 0], { ...G, acl: ['@keyspace', '@dangerous'], since: '1.0.0', summary: 'All keys matching a glob-style pattern.', complexity: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.', tips: ['request_policy:all_shards', 'nondeterministic_output_order'], args: [{ name: 'pattern', type: 'pattern' }] }, keys),
  cmd('scan', -2, ['readonly'], [0, 0, 0], { ...G, since: '2.8.0', summary: 'Iterate over the keys of the database.', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.', tips: ['nondeterministic_output', 'request_policy:special'], args: [{ name: 'cursor', type: 'integer' }, { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }, { name: 'type', type: 'string', token: 'TYPE', optional: true, since: '6.0.0' }] }, scan, { history: [['6.0.0', 'Added the `TYPE` subcommand.']] }),
  cmd('randomkey', 1, ['readonly'], [0, 0, 0], { ...G, since: '1.0.0', summary: 'A random key from the database.', complexity: 'O(1)', tips: ['request_policy:all_shards', 'nondeterministic_output'] }, randomkey),
  cmd('dbsize', 1, ['readonly', 'fast'], [0, 0, 0], { ...G, group: 'server', since: '1.0.0', summary: 'The number of keys in the selected database.', complexity: 'O(1)', tips: ['request_policy:all_shards', 'response_policy:agg_sum'] }, (c) => c.replyInt(c.db.size)),
  cmd('flushdb', -1, ['write'], [0, 0, 0], { group: 'server', acl: ['@keyspace', '@dangerous'], since: '1.0.0', summary: 'Remove every key of the selected database.', complexity: 'O(N) where N is the number of keys in the selected database', tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], args: [flushMode] }, flushdb, { history: flushHistory }),
  cmd('flushall', -1, ['write'], [0, 0, 0], { group: 'server', acl: ['@keyspace', '@dangerous'], since: '1.0.0', summary: 'Remove every key of every database.', complexity: 'O(N) where N is the total number of keys in all databases', tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], args: [flushMode] }, flushall, { history: flushHistory }),
  cmd('swapdb', 3, ['write', 'fast'], [0, 0, 0], { group: 'server', acl: ['@keyspace', '@dangerous'], since: '4.0.0', summary: 'Swap the contents of two databases.', complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.', args: [{ name: 'index1', type: 'integer' }, { name: 'index2', type: 'integer' }] }, swapdb),
  cmd('move', 3, ['write', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Move a key to another database.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }, { name: 'db', type: 'integer' }] }, move, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])] }),
  cmd('copy', -3, ['write', 'denyoom'], [1, 2, 1], { ...G, since: '6.2.0', summary: 'Copy the value of a key to a new key.', complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.', args: [{ name: 'source', type: 'key', keySpecIndex: 0 }, { name: 'destination', type: 'key', keySpecIndex: 1 }, { name: 'destination-db', type: 'integer', token: 'DB', optional: true }, { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true }] }, copy, { keySpecs: [keySpecRange(1, 0, 1, ['RO', 'access']), keySpecRange(2, 0, 1, ['OW', 'update'])] }),
  cmd('rename', 3, ['write'], [1, 2, 1], { ...G, since: '1.0.0', summary: 'Rename a key, overwriting the destination.', complexity: 'O(1)', args: [{ name: 'key', type: 'key', keySpecIndex: 0 }, { name: 'newkey', type: 'key', keySpecIndex: 1 }] }, (c, a) => renameGeneric(c, a, false), { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete']), keySpecRange(2, 0, 1, ['OW', 'update'])] }),
  cmd('renamenx', 3, ['write', 'fast'], [1, 2, 1], { ...G, since: '1.0.0', summary: 'Rename a key only if the new name does not exist.', complexity: 'O(1)', args: [{ name: 'key', type: 'key', keySpecIndex: 0 }, { name: 'newkey', type: 'key', keySpecIndex: 1 }] }, (c, a) => renameGeneric(c, a, true), { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete']), keySpecRange(2, 0, 1, ['OW', 'insert'])],
    history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']],
  }),
  cmd('touch', -2, ['readonly', 'fast'], [1, -1, 1], { ...G, since: '3.2.1', summary: 'Update the last access time of keys; count the ones that exist.', complexity: 'O(N) where N is the number of keys that will be touched.', tips: ['request_policy:multi_shard', 'response_policy:agg_sum'], args: [{ name: 'key', type: 'key', multiple: true }] }, touch, { keySpecs: checkKeys }),
  cmd('object', -2, [], [0, 0, 0], { ...G, acl: [], since: '2.2.3', summary: 'A container for object introspection commands.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      objectSub('encoding', 'The internal encoding of a Redis object.', objectEncoding),
      objectSub('freq', 'The logarithmic access frequency counter of a Redis object.', objectFreq),
      objectSub('idletime', 'Seconds since the last access to a Redis object.', objectIdletime),
      objectSub('refcount', 'The reference count of the value of a key.', objectRefcount),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '6.2.0', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)' }, (c) => replyHelp(c, OBJECT_HELP)),
    ],
  }),
];
