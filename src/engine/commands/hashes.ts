/**
 * The hash family (t_hash.c): HSET/HSETNX/HMSET, HGET/HMGET/HGETALL/HKEYS/HVALS, HDEL,
 * HLEN, HSTRLEN, HEXISTS, HINCRBY, HINCRBYFLOAT, HRANDFIELD, HSCAN.
 *
 * Encoding: a hash starts as a listpack (insertion-ordered, which RHash's Map preserves) and
 * becomes a hashtable for good once it holds more than `hash-max-listpack-entries` fields or
 * a field or value longer than `hash-max-listpack-value` bytes. Like hashTypeTryConversion,
 * HSET/HMSET/HSETNX look at the lengths of all their arguments before writing anything, so a
 * long value converts the hash even if that field already had it; HINCRBY* check at write.
 *
 * HSCAN on a listpack hash returns everything in one call with cursor 0 (Redis walks the
 * whole listpack whatever the cursor and COUNT); a hashtable hash is walked with snapshot
 * cursors (see keyspace/scan.ts). HINCRBYFLOAT uses long-double arithmetic and is propagated
 * as HSET with the resulting value.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec, type KeySpec } from './table';
import { keySpecRange } from './key-specs';
import { RHash } from '../keyspace/values';
import { ScanCursors, parseScanCursor } from '../keyspace/scan';
import { stringMatch } from '../util/glob';
import { incrByFloatString, isLongDoubleString, string2bigint, LLONG_MAX, LLONG_MIN } from '../util/numbers';
import { parseScanOptions, wrongType } from './util';

const G = { group: 'hash', acl: ['@hash'] };

const INF_RE = /^[+-]?(inf|infinity)$/i;

/** Scan cursors of hashtable-encoded hashes, kept with the value they walk. */
const hashScanCursors = new WeakMap<RHash, ScanCursors>();

function maxListpackValue(c: Client): number { return c.server.config.get<number>('hash-max-listpack-value'); }
function maxListpackEntries(c: Client): number { return c.server.config.get<number>('hash-max-listpack-entries'); }

/** hashTypeConvert(listpack → hashtable). One way: Redis never converts back. */
function convert(h: RHash): void {
  h.encoding = 'hashtable';
}

/** hashTypeTryConversion: any argument in argv[start..end] too long for a listpack. */
function tryConversion(c: Client, h: RHash, argv: string[], start: number, end: number): void {
  if (h.encoding !== 'listpack') return;
  const max = maxListpackValue(c);
  for (let i = start; i <= end; i++) {
    if (argv[i].length > max) { convert(h); return; }
  }
}

/** hashTypeSet: returns true when the field already existed (an update). */
function hashSet(c: Client, h: RHash, field: string, value: string): boolean {
  if (h.encoding === 'listpack') {
    const max = maxListpackValue(c);
    if (field.length > max || value.length > max) convert(h);
  }
  const update = h.map.has(field);
  h.map.set(field, value);
  if (h.encoding === 'listpack' && h.map.size > maxListpackEntries(c)) convert(h);
  return update;
}

/** hashTypeLookupWriteOrCreate: the hash at key (created empty if missing), null on WRONGTYPE. */
function lookupWriteOrCreate(c: Client, key: string): RHash | null {
  const o = c.db.lookupWrite(key);
  if (wrongType(c, o, 'hash')) return null;
  if (o !== undefined) return o as RHash;
  const h = new RHash();
  c.db.add(key, h);
  return h;
}

/** lookupKeyRead + checkType: the hash, undefined when missing, null after WRONGTYPE. */
function lookupRead(c: Client, key: string): RHash | undefined | null {
  const o = c.db.lookupRead(key);
  if (o === undefined) return undefined;
  if (wrongType(c, o, 'hash')) return null;
  return o as RHash;
}

function hsetnx(c: Client, argv: string[]): void {
  const h = lookupWriteOrCreate(c, argv[1]);
  if (!h) return;
  if (h.map.has(argv[2])) { c.replyInt(0); return; }
  tryConversion(c, h, argv, 2, 3);
  hashSet(c, h, argv[2], argv[3]);
  c.replyInt(1);
  const s = c.server;
  s.signalModifiedKey(c.db, argv[1]);
  s.notifyKeyspaceEvent('h', 'hset', argv[1], c.db.id);
  s.dirty++;
}

/** HSET (replies the number of new fields) and HMSET (replies OK). */
function hset(c: Client, argv: string[], isHmset: boolean): void {
  if (argv.length % 2 === 1) { c.replyArityError(); return; }
  const h = lookupWriteOrCreate(c, argv[1]);
  if (!h) return;
  tryConversion(c, h, argv, 2, argv.length - 1);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) if (!hashSet(c, h, argv[i], argv[i + 1])) created++;
  if (isHmset) c.replyOk(); else c.replyInt(created);
  const s = c.server;
  s.signalModifiedKey(c.db, argv[1]);
  s.notifyKeyspaceEvent('h', 'hset', argv[1], c.db.id);
  s.dirty += (argv.length - 2) / 2;
}

function hincrby(c: Client, argv: string[]): void {
  const incr = string2bigint(argv[3]);
  if (incr === null) { c.replyNotInteger(); return; }
  const h = lookupWriteOrCreate(c, argv[1]);
  if (!h) return;
  let value = 0n;
  const cur = h.map.get(argv[2]);
  if (cur !== undefined) {
    const v = string2bigint(cur);
    if (v === null) { c.replyError('hash value is not an integer'); return; }
    value = v;
  }
  const next = value + incr;
  if (next > LLONG_MAX || next < LLONG_MIN) { c.replyError('increment or decrement would overflow'); return; }
  const text = next.toString();
  hashSet(c, h, argv[2], text);
  c.replyRaw(`:${text}\r\n`);
  const s = c.server;
  s.signalModifiedKey(c.db, argv[1]);
  s.notifyKeyspaceEvent('h', 'hincrby', argv[1], c.db.id);
  s.dirty++;
}

function hincrbyfloat(c: Client, argv: string[]): void {
  const incr = argv[3];
  if (!isLongDoubleString(incr)) { c.replyNotFloat(); return; }
  if (INF_RE.test(incr)) { c.replyError('value is NaN or Infinity'); return; }
  const h = lookupWriteOrCreate(c, argv[1]);
  if (!h) return;
  const cur = h.map.get(argv[2]);
  if (cur !== undefined && !isLongDoubleString(cur)) { c.replyError('hash value is not a float'); return; }
  const r = incrByFloatString(cur ?? '0', incr);
  if ('error' in r) {
    c.replyError(r.error === 'naninf' ? 'increment would produce NaN or Infinity' : 'value is not a valid float');
    return;
  }
  hashSet(c, h, argv[2], r.value);
  c.replyBulk(r.value);
  const s = c.server;
  s.signalModifiedKey(c.db, argv[1]);
  s.notifyKeyspaceEvent('h', 'hincrbyfloat', argv[1], c.db.id);
  s.dirty++;
  c.propagateArgv = ['HSET', argv[1], argv[2], r.value];
}

function hget(c: Client, argv: string[]): void {
  const h = lookupRead(c, argv[1]);
  if (h === null) return;
  c.replyBulkOrNull(h?.map.get(argv[2]));
}

function hmget(c: Client, argv: string[]): void {
  const h = lookupRead(c, argv[1]);
  if (h === null) return;
  c.replyArrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.replyBulkOrNull(h?.map.get(argv[i]));
}

function hdel(c: Client, argv: string[]): void {
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'hash')) return;
  const h = o as RHash;
  let deleted = 0, keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (!h.map.delete(argv[j])) continue;
    deleted++;
    if (h.map.size === 0) {
      db.delete(key);
      keyRemoved = true;
      break;
    }
  }
  if (deleted) {
    s.signalModifiedKey(db, key);
    s.notifyKeyspaceEvent('h', 'hdel', key, db.id);
    if (keyRemoved) s.notifyKeyspaceEvent('g', 'del', key, db.id);
    s.dirty += deleted;
  }
  c.replyInt(deleted);
}

function hlen(c: Client, argv: string[]): void {
  const h = lookupRead(c, argv[1]);
  if (h === null) return;
  c.replyInt(h ? h.map.size : 0);
}

function hstrlen(c: Client, argv: string[]): void {
  const h = lookupRead(c, argv[1]);
  if (h === null) return;
  c.replyInt(h?.map.get(argv[2])?.length ?? 0);
}

function hexists(c: Client, argv: string[]): void {
  const h = lookupRead(c, argv[1]);
  if (h === null) return;
  c.replyInt(h?.map.has(argv[2]) ? 1 : 0);
}

/** genericHgetallCommand: fields, values, or both as a map (RESP3) / flat array (RESP2). */
function hgetallGeneric(c: Client, argv: string[], keys: boolean, values: boolean): void {
  const h = lookupRead(c, argv[1]);
  if (h === null) return;
  const n = h ? h.map.size : 0;
  if (keys && values) c.replyMapLen(n); else c.replyArrayLen(n);
  if (!h) return;
  for (const [f, v] of h.map) {
    if (keys) c.replyBulk(f);
    if (values) c.replyBulk(v);
  }
}

function hscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]);
  if (cursor === null) { c.replyError('invalid cursor'); return; }
  const h = lookupRead(c, argv[1]);
  if (h === null) return;
  if (h === undefined) { c.replyRaw('*2\r\n$1\r\n0\r\n*0\r\n'); return; }
  const opts = parseScanOptions(c, argv, 3, false);
  if (!opts) return;
  let next = 0;
  let fields: Iterable<string>;
  if (h.encoding === 'listpack') {
    fields = h.map.keys();
  } else {
    let cursors = hashScanCursors.get(h);
    if (!cursors) { cursors = new ScanCursors(); hashScanCursors.set(h, cursors); }
    const step = cursors.step(cursor, opts.count, () => h.map.keys());
    next = step.next;
    fields = step.batch;
  }
  const out: string[] = [];
  for (const f of fields) {
    const v = h.map.get(f);
    if (v === undefined) continue;
    if (opts.pattern !== null && !stringMatch(opts.pattern, f)) continue;
    out.push(f, v);
  }
  c.replyArrayLen(2);
  c.replyBulk(String(next));
  c.replyBulks(out);
}

// ---- HRANDFIELD ------------------------------------------------------------------------

const LONG_MAX_BIG = 9223372036854775807n;

/** A uniformly random index in [0, n). */
function randomIndex(c: Client, n: number): number {
  return Math.floor(c.server.os.random() * n);
}

/** One field (and value) of a HRANDFIELD reply: [f, v] in RESP3, flat in RESP2. */
function replyPair(c: Client, f: string, v: string, withValues: boolean): void {
  if (withValues && c.resp > 2) c.replyArrayLen(2);
  c.replyBulk(f);
  if (withValues) c.replyBulk(v);
}

function hrandfieldWithCount(c: Client, argv: string[], l: bigint, withValues: boolean): void {
  const h = lookupRead(c, argv[1]);
  if (h === null) return;
  if (h === undefined) { c.replyArrayLen(0); return; }
  const size = h.map.size;
  const uniq = l >= 0n;
  const countBig = uniq ? l : -l;
  if (countBig === 0n) { c.replyArrayLen(0); return; }
  // Case 1: repeats allowed (negative count) or a single field: pick independently.
  if (!uniq || countBig === 1n) {
    const count = Number(countBig);
    c.replyArrayLen(withValues && c.resp === 2 ? count * 2 : count);
    const entries = [...h.map];
    for (let i = 0; i < count; i++) {
      const [f, v] = entries[randomIndex(c, size)];
      replyPair(c, f, v, withValues);
    }
    return;
  }
  const count = Number(countBig);
  const replySize = Math.min(count, size);
  c.replyArrayLen(withValues && c.resp === 2 ? replySize * 2 : replySize);
  // Case 2: the whole hash, in iteration order.
  if (count >= size) {
    for (const [f, v] of h.map) replyPair(c, f, v, withValues);
    return;
  }
  // Cases 3 and 4: `count` distinct fields (partial Fisher-Yates over a snapshot).
  const entries = [...h.map];
  for (let i = 0; i < count; i++) {
    const j = i + randomIndex(c, entries.length - i);
    [entries[i], entries[j]] = [entries[j], entries[i]];
    replyPair(c, entries[i][0], entries[i][1], withValues);
  }
}

function hrandfield(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const l = string2bigint(argv[2]);
    if (l === null) { c.replyNotInteger(); return; }
    if (l < -LONG_MAX_BIG || l > LONG_MAX_BIG) {
      c.replyError(`value is out of range, value must between ${-LONG_MAX_BIG} and ${LONG_MAX_BIG}`);
      return;
    }
    let withValues = false;
    if (argv.length > 4 || (argv.length === 4 && !optEqWithvalues(argv[3]))) { c.replySyntaxError(); return; }
    if (argv.length === 4) {
      withValues = true;
      if (l < -LONG_MAX_BIG / 2n || l > LONG_MAX_BIG / 2n) { c.replyError('value is out of range'); return; }
    }
    hrandfieldWithCount(c, argv, l, withValues);
    return;
  }
  const h = lookupRead(c, argv[1]);
  if (h === null) return;
  if (h === undefined) { c.replyNull(); return; }
  const i = randomIndex(c, h.map.size);
  let n = 0;
  for (const f of h.map.keys()) if (n++ === i) { c.replyBulk(f); return; }
}

/** strcasecmp(arg, "withvalues") on a C string. */
function optEqWithvalues(arg: string): boolean {
  const nul = arg.indexOf('\0');
  const a = nul >= 0 ? arg.slice(0, nul) : arg;
  return a.toLowerCase() === 'withvalues';
}

// ---- table -----------------------------------------------------------------------------

const key = { name: 'key', type: 'key' as const };
const field = { name: 'field', type: 'string' as const };
/** Key specs (Redis 7.0.15's): RO without `access` reads no values; HINCRBY* read the field and write it back. */
const ro: KeySpec[] = [keySpecRange(1, 0, 1, ['RO'])];
const readModify: KeySpec[] = [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])];
const fieldValue = { name: 'field_value', type: 'block' as const, multiple: true, args: [field, { name: 'value', type: 'string' as const }] };

export const hashCommands: CommandSpec[] = [
  cmd('hset', -4, ['write', 'denyoom', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Set fields of a hash, creating it if needed.', complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.', args: [key, fieldValue] }, (c, a) => hset(c, a, false), { history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']] }),
  cmd('hsetnx', 4, ['write', 'denyoom', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Set a field of a hash only if it does not exist.', complexity: 'O(1)', args: [key, field, { name: 'value', type: 'string' }] }, hsetnx, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'insert'])] }),
  cmd('hmset', -4, ['write', 'denyoom', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Set fields of a hash (deprecated: HSET).', complexity: 'O(N) where N is the number of fields being set.', args: [key, fieldValue] }, (c, a) => hset(c, a, true), { docFlags: ['deprecated'], deprecatedSince: '4.0.0', replacedBy: '`HSET` with multiple field-value pairs' }),
  cmd('hget', 3, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'The value of a field of a hash.', complexity: 'O(1)', args: [key, field] }, hget),
  cmd('hmget', -3, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'The values of several fields of a hash.', complexity: 'O(N) where N is the number of fields being requested.', args: [key, { ...field, multiple: true }] }, hmget),
  cmd('hgetall', 2, ['readonly'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'All fields and values of a hash.', complexity: 'O(N) where N is the size of the hash.', tips: ['nondeterministic_output_order'], args: [key] }, (c, a) => hgetallGeneric(c, a, true, true)),
  cmd('hdel', -3, ['write', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Delete fields of a hash.', complexity: 'O(N) where N is the number of fields to be removed.', args: [key, { ...field, multiple: true }] }, hdel, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'delete'])], history: [['2.4.0', 'Accepts multiple `field` arguments.']] }),
  cmd('hlen', 2, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'The number of fields of a hash.', complexity: 'O(1)', args: [key] }, hlen, { keySpecs: ro }),
  cmd('hstrlen', 3, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '3.2.0', summary: 'The length of the value of a field of a hash.', complexity: 'O(1)', args: [key, field] }, hstrlen, { keySpecs: ro }),
  cmd('hexists', 3, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Whether a field exists in a hash.', complexity: 'O(1)', args: [key, field] }, hexists, { keySpecs: ro }),
  cmd('hkeys', 2, ['readonly'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'All fields of a hash.', complexity: 'O(N) where N is the size of the hash.', tips: ['nondeterministic_output_order'], args: [key] }, (c, a) => hgetallGeneric(c, a, true, false)),
  cmd('hvals', 2, ['readonly'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'All values of a hash.', complexity: 'O(N) where N is the size of the hash.', tips: ['nondeterministic_output_order'], args: [key] }, (c, a) => hgetallGeneric(c, a, false, true)),
  cmd('hincrby', 4, ['write', 'denyoom', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Increment the integer value of a field of a hash.', complexity: 'O(1)', args: [key, field, { name: 'increment', type: 'integer' }] }, hincrby, { keySpecs: readModify }),
  cmd('hincrbyfloat', 4, ['write', 'denyoom', 'fast'], [1, 1, 1], { ...G, since: '2.6.0', summary: 'Increment the floating point value of a field of a hash.', complexity: 'O(1)', args: [key, field, { name: 'increment', type: 'double' }] }, hincrbyfloat, { keySpecs: readModify }),
  cmd('hrandfield', -2, ['readonly'], [1, 1, 1], { ...G, since: '6.2.0', summary: 'Random fields (and values) of a hash.', complexity: 'O(N) where N is the number of fields returned', tips: ['nondeterministic_output'], args: [key, { name: 'options', type: 'block', optional: true, args: [{ name: 'count', type: 'integer' }, { name: 'withvalues', type: 'pure-token', token: 'WITHVALUES', optional: true }] }] }, hrandfield),
  cmd('hscan', -3, ['readonly'], [1, 1, 1], { ...G, since: '2.8.0', summary: 'Iterate over the fields and values of a hash.', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.', tips: ['nondeterministic_output'], args: [key, { name: 'cursor', type: 'integer' }, { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }] }, hscan),
];
