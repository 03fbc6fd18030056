/**
 * The set family (t_set.c): SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SPOP,
 * SRANDMEMBER, SMOVE, SINTER/SINTERCARD/SINTERSTORE, SUNION/SUNIONSTORE, SDIFF/SDIFFSTORE, SSCAN.
 *
 * Encodings follow Redis exactly because OBJECT ENCODING and reply order depend on them: a set
 * starts as an intset when its first member is a canonical integer, and turns into a hashtable
 * (never back) when a non-integer joins or it grows past set-max-intset-entries. The STORE
 * commands build their result the way Redis does — a fresh intset fed member by member — so the
 * destination ends up with the same encoding. Intsets iterate in ascending numeric order, so
 * their replies match Redis byte for byte; hashtable order is Redis's hash order, which no client
 * can rely on (it differs between Redis processes too), and ours is insertion order.
 *
 * Propagation: SPOP becomes SREM (one element), a MULTI/EXEC of SREMs (count smaller than the
 * set) or DEL (count covering the whole set).
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec, type KeySpec } from './table';
import { keySpecKeynum, keySpecRange } from './key-specs';
import { RSet } from '../keyspace/values';
import { parseScanCursor } from '../keyspace/scan';
import { stringMatch } from '../util/glob';
import { getPositiveLongOrReply, getRangeLongOrReply, optEq, wrongType, LONG_MAX } from './util';
import {
  deleteStoreDestination, getSymmetricLongOrReply, parseCollectionScanOptions, replyEmptyScan, replyScan,
  scanCursorsFor, setKey, addKey, numkeysKeys,
} from './collection-util';

const G = { group: 'set', acl: ['@set'] };

function maxIntset(c: Client): number { return c.server.config.get<number>('set-max-intset-entries'); }
function rnd(c: Client): () => number { return () => c.server.os.random(); }

function sadd(c: Client, argv: string[]): void {
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (wrongType(c, o, 'set')) return;
  let set = o as RSet | undefined;
  if (!set) {
    set = RSet.createFor(argv[2]);
    addKey(c, key, set, false);
  }
  const max = maxIntset(c);
  let added = 0;
  for (let j = 2; j < argv.length; j++) if (set.insert(argv[j], max)) added++;
  if (added) {
    s.signalModifiedKey(db, key);
    s.notifyKeyspaceEvent('s', 'sadd', key, db.id);
  }
  s.dirty += added;
  c.replyInt(added);
}

function srem(c: Client, argv: string[]): void {
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'set')) return;
  const set = o as RSet;
  let deleted = 0, keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (set.delete(argv[j])) {
      deleted++;
      if (set.size === 0) { db.delete(key); keyRemoved = true; break; }
    }
  }
  if (deleted) {
    s.signalModifiedKey(db, key);
    s.notifyKeyspaceEvent('s', 'srem', key, db.id);
    if (keyRemoved) s.notifyKeyspaceEvent('g', 'del', key, db.id);
    s.dirty += deleted;
  }
  c.replyInt(deleted);
}

function smove(c: Client, argv: string[]): void {
  const db = c.db, s = c.server, srcKey = argv[1], dstKey = argv[2], ele = argv[3];
  const src = db.lookupWrite(srcKey);
  const dst = db.lookupWrite(dstKey);
  if (src === undefined) { c.replyInt(0); return; }
  if (wrongType(c, src, 'set') || wrongType(c, dst, 'set')) return;
  const srcSet = src as RSet;
  let dstSet = dst as RSet | undefined;
  if (srcSet === dstSet) { c.replyInt(srcSet.has(ele) ? 1 : 0); return; }
  if (!srcSet.delete(ele)) { c.replyInt(0); return; }
  s.notifyKeyspaceEvent('s', 'srem', srcKey, db.id);
  if (srcSet.size === 0) {
    db.delete(srcKey);
    s.notifyKeyspaceEvent('g', 'del', srcKey, db.id);
  }
  if (!dstSet) {
    dstSet = RSet.createFor(ele);
    addKey(c, dstKey, dstSet, false);
  }
  s.signalModifiedKey(db, srcKey);
  s.dirty++;
  if (dstSet.insert(ele, maxIntset(c))) {
    s.dirty++;
    s.signalModifiedKey(db, dstKey);
    s.notifyKeyspaceEvent('s', 'sadd', dstKey, db.id);
  }
  c.replyInt(1);
}

function sismember(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'set')) return;
  c.replyInt((o as RSet).has(argv[2]) ? 1 : 0);
}

function smismember(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (wrongType(c, o, 'set')) return;
  const set = o as RSet | undefined;
  c.replyArrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) c.replyInt(set && set.has(argv[j]) ? 1 : 0);
}

function scard(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'set')) return;
  c.replyInt((o as RSet).size);
}

/** SPOP_MOVE_STRATEGY_MUL: when few members would remain, rebuild the set from those instead. */
const SPOP_MOVE_STRATEGY_MUL = 5;

function spopWithCount(c: Client, argv: string[]): void {
  const count = getPositiveLongOrReply(c, argv[2]);
  if (count === null) return;
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (o === undefined) { c.replySetLen(0); return; }
  if (wrongType(c, o, 'set')) return;
  if (count === 0) { c.replySetLen(0); return; }
  const set = o as RSet;
  const size = set.size;
  s.notifyKeyspaceEvent('s', 'spop', key, db.id);
  s.dirty += count >= size ? size : count;

  if (count >= size) {
    // The whole set, replied as SUNION of itself would (so through a fresh intset).
    sunionDiffGeneric(c, [key], null, 'union');
    db.delete(key);
    s.notifyKeyspaceEvent('g', 'del', key, db.id);
    c.propagateArgv = ['DEL', key];
    s.signalModifiedKey(db, key);
    return;
  }

  c.replySetLen(count);
  let remaining = size - count;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (let i = 0; i < count; i++) {
      const m = set.randomMember(rnd(c));
      c.replyBulk(m);
      set.delete(m);
      s.alsoPropagate(db.id, ['SREM', key, m]);
    }
  } else {
    // Move the survivors into a new set, then hand out what is left in the old one.
    let newSet: RSet | null = null;
    const max = maxIntset(c);
    while (remaining--) {
      const m = set.randomMember(rnd(c));
      if (!newSet) newSet = RSet.createFor(m);
      newSet.insert(m, max);
      set.delete(m);
    }
    for (const m of set.members()) {
      c.replyBulk(m);
      s.alsoPropagate(db.id, ['SREM', key, m]);
    }
    db.overwrite(key, newSet!);
  }
  c.preventPropagation = true;
  s.signalModifiedKey(db, key);
}

function spop(c: Client, argv: string[]): void {
  if (argv.length === 3) { spopWithCount(c, argv); return; }
  if (argv.length > 3) { c.replySyntaxError(); return; }
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (o === undefined) { c.replyNull(); return; }
  if (wrongType(c, o, 'set')) return;
  const set = o as RSet;
  const m = set.randomMember(rnd(c));
  set.delete(m);
  s.notifyKeyspaceEvent('s', 'spop', key, db.id);
  c.propagateArgv = ['SREM', key, m];
  c.replyBulk(m);
  if (set.size === 0) {
    db.delete(key);
    s.notifyKeyspaceEvent('g', 'del', key, db.id);
  }
  s.signalModifiedKey(db, key);
  s.dirty++;
}

/** SRANDMEMBER_SUB_STRATEGY_MUL: above this ratio, copy the set and remove random members. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

function srandmemberWithCount(c: Client, argv: string[]): void {
  const l = getSymmetricLongOrReply(c, argv[2]);
  if (l === null) return;
  const uniq = l >= 0n;
  const count = Number(uniq ? l : -l);
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyArrayLen(0); return; }
  if (wrongType(c, o, 'set')) return;
  const set = o as RSet;
  const size = set.size;
  if (count === 0) { c.replyArrayLen(0); return; }

  // Case 1: repetitions allowed (or a single member): independent draws.
  if (!uniq || count === 1) {
    c.replyArrayLen(count);
    for (let i = 0; i < count; i++) {
      c.replyBulk(set.randomMember(rnd(c)));
      if (c.closeAsap) break;
    }
    return;
  }
  // Case 2: asking for at least the whole set returns it in iteration order.
  if (count >= size) {
    c.replyBulks(set.members());
    return;
  }
  // Cases 3 and 4: `count` distinct random members, in no particular order.
  let picked: string[];
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    picked = set.members();
    const random = rnd(c);
    for (let n = picked.length; n > count; n--) {
      const i = Math.floor(random() * n);
      picked[i] = picked[n - 1];
      picked.pop();
    }
  } else {
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(set.randomMember(rnd(c)));
    picked = [...chosen];
  }
  c.replyBulks(picked);
}

function srandmember(c: Client, argv: string[]): void {
  if (argv.length === 3) { srandmemberWithCount(c, argv); return; }
  if (argv.length > 3) { c.replySyntaxError(); return; }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyNull(); return; }
  if (wrongType(c, o, 'set')) return;
  c.replyBulk((o as RSet).randomMember(rnd(c)));
}

/**
 * sinterGenericCommand: SINTER, SMEMBERS (one key), SINTERSTORE and SINTERCARD (count only,
 * stopping at `limit` when it is not 0). Iterates the smallest set and probes the others.
 */
function sinterGeneric(c: Client, keys: string[], dstKey: string | null, cardinalityOnly: boolean, limit: number): void {
  const db = c.db;
  const sets: RSet[] = [];
  let empty = 0;
  for (const k of keys) {
    const o = db.lookupRead(k);
    if (o === undefined) { empty++; continue; }
    if (wrongType(c, o, 'set')) return;
    sets.push(o as RSet);
  }
  if (empty > 0) {
    if (dstKey !== null) {
      deleteStoreDestination(c, dstKey);
      c.replyInt(0);
    } else if (cardinalityOnly) {
      c.replyInt(0);
    } else {
      c.replySetLen(0);
    }
    return;
  }
  sets.sort((a, b) => a.size - b.size); // stable, like glibc's merge-sort qsort
  const max = maxIntset(c);
  const dst = dstKey !== null ? new RSet() : null;
  const out: string[] = [];
  let cardinality = 0;
  for (const m of sets[0].members()) {
    let inAll = true;
    for (let j = 1; j < sets.length; j++) {
      if (sets[j] === sets[0]) continue;
      if (!sets[j].has(m)) { inAll = false; break; }
    }
    if (!inAll) continue;
    if (cardinalityOnly) {
      cardinality++;
      if (limit && cardinality >= limit) break;
    } else if (dst) {
      dst.insert(m, max);
    } else {
      out.push(m);
    }
  }
  if (cardinalityOnly) {
    c.replyInt(cardinality);
  } else if (dst) {
    storeSetResult(c, dstKey!, dst, 'sinterstore');
  } else {
    c.replySetLen(out.length);
    for (const m of out) c.replyBulk(m);
  }
}

/** The end of every *STORE: store a non-empty result, or delete the destination. */
function storeSetResult(c: Client, dstKey: string, dst: RSet, event: string): void {
  const s = c.server;
  if (dst.size > 0) {
    setKey(c, dstKey, dst, false);
    c.replyInt(dst.size);
    s.notifyKeyspaceEvent('s', event, dstKey, c.db.id);
    s.dirty++;
  } else {
    c.replyInt(0);
    deleteStoreDestination(c, dstKey);
  }
}

/**
 * sunionDiffGenericCommand. DIFF picks between two algorithms by estimated work, like Redis:
 * (1) test each member of the first set against the others, or (2) add the first set and
 * remove the others' members. Both give the same members; the choice can still matter for the
 * encoding of a stored result (algorithm 2 may pass through a large intermediate set).
 */
function sunionDiffGeneric(c: Client, keys: string[], dstKey: string | null, op: 'union' | 'diff'): void {
  const db = c.db;
  const sets: (RSet | null)[] = [];
  let sameSet = false;
  for (let j = 0; j < keys.length; j++) {
    const o = db.lookupRead(keys[j]);
    if (o === undefined) { sets.push(null); continue; }
    if (wrongType(c, o, 'set')) return;
    sets.push(o as RSet);
    if (j > 0 && sets[0] === o) sameSet = true;
  }
  let diffAlgo = 1;
  if (op === 'diff' && sets[0] && !sameSet) {
    let algoOneWork = 0, algoTwoWork = 0;
    for (const set of sets) {
      if (!set) continue;
      algoOneWork += sets[0].size;
      algoTwoWork += set.size;
    }
    algoOneWork = Math.floor(algoOneWork / 2);
    diffAlgo = algoOneWork <= algoTwoWork ? 1 : 2;
    if (diffAlgo === 1 && sets.length > 1) {
      const rest = sets.slice(1).sort((a, b) => (b ? b.size : 0) - (a ? a.size : 0));
      sets.splice(1, rest.length, ...rest);
    }
  }

  const max = maxIntset(c);
  const dst = new RSet();
  if (op === 'union') {
    for (const set of sets) {
      if (!set) continue;
      for (const m of set.members()) dst.insert(m, max);
    }
  } else if (sameSet || !sets[0]) {
    // A key repeated as the first one, or a missing first key: the result is empty.
  } else if (diffAlgo === 1) {
    for (const m of sets[0].members()) {
      let found = false;
      for (let j = 1; j < sets.length; j++) {
        const other = sets[j];
        if (!other) continue;
        if (other === sets[0] || other.has(m)) { found = true; break; }
      }
      if (!found) dst.insert(m, max);
    }
  } else {
    for (let j = 0; j < sets.length; j++) {
      const set = sets[j];
      if (!set) continue;
      for (const m of set.members()) {
        if (j === 0) dst.insert(m, max);
        else dst.delete(m);
      }
      if (dst.size === 0) break;
    }
  }

  if (dstKey === null) {
    const members = dst.members();
    c.replySetLen(members.length);
    for (const m of members) c.replyBulk(m);
  } else {
    storeSetResult(c, dstKey, dst, op === 'union' ? 'sunionstore' : 'sdiffstore');
  }
}

function sintercard(c: Client, argv: string[]): void {
  const numkeys = getRangeLongOrReply(c, argv[1], 1, LONG_MAX, 'numkeys should be greater than 0');
  if (numkeys === null) return;
  if (numkeys > argv.length - 2) { c.replyError("Number of keys can't be greater than number of args"); return; }
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (optEq(argv[j], 'limit') && more) {
      j++;
      const v = getPositiveLongOrReply(c, argv[j], "LIMIT can't be negative");
      if (v === null) return;
      limit = v;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  sinterGeneric(c, argv.slice(2, 2 + numkeys), null, true, limit);
}

function sscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]);
  if (cursor === null) { c.replyError('invalid cursor'); return; }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { replyEmptyScan(c); return; }
  if (wrongType(c, o, 'set')) return;
  const opts = parseCollectionScanOptions(c, argv);
  if (!opts) return;
  const set = o as RSet;
  let next = 0;
  let batch: string[];
  if (set.encoding === 'intset') {
    batch = set.members();
  } else {
    const r = scanCursorsFor(set).step(cursor, opts.count, () => set.set.keys());
    next = r.next;
    batch = r.batch.filter((m) => set.has(m));
  }
  if (opts.pattern !== null) batch = batch.filter((m) => stringMatch(opts.pattern!, m));
  replyScan(c, next, batch);
}

const W = ['write', 'denyoom'] as const;
/** Key specs (Redis 7.0.15's): RO without `access` reads no members; SUNIONSTORE and SDIFFSTORE overwrite their destination. */
const ro: KeySpec[] = [keySpecRange(1, 0, 1, ['RO'])];
const store: KeySpec[] = [keySpecRange(1, 0, 1, ['OW', 'update']), keySpecRange(2, -1, 1, ['RO', 'access'])];

export const setCommands: CommandSpec[] = [
  cmd('sadd', -3, [...W, 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Add members to a set, creating it if needed.', complexity: 'O(1) for each member added.', args: [{ name: 'key', type: 'key' }, { name: 'member', type: 'string', multiple: true }] }, sadd, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'insert'])], history: [['2.4.0', 'Accepts multiple `member` arguments.']] }),
  cmd('srem', -3, ['write', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Remove members from a set; an emptied set is deleted.', complexity: 'O(N) where N is the number of members removed.', args: [{ name: 'key', type: 'key' }, { name: 'member', type: 'string', multiple: true }] }, srem, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'delete'])], history: [['2.4.0', 'Accepts multiple `member` arguments.']] }),
  cmd('smembers', 2, ['readonly'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Return every member of a set.', complexity: 'O(N) where N is the set cardinality.', tips: ['nondeterministic_output_order'], args: [{ name: 'key', type: 'key' }] }, (c, a) => sinterGeneric(c, [a[1]], null, false, 0)),
  cmd('sismember', 3, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Tell whether a value is a member of a set.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }, { name: 'member', type: 'string' }] }, sismember, { keySpecs: ro }),
  cmd('smismember', -3, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '6.2.0', summary: 'Tell for each of several values whether it is a member of a set.', complexity: 'O(N) where N is the number of values checked.', args: [{ name: 'key', type: 'key' }, { name: 'member', type: 'string', multiple: true }] }, smismember),
  cmd('scard', 2, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Return the number of members of a set.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }] }, scard, { keySpecs: ro }),
  cmd('spop', -2, ['write', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Remove and return random members of a set.', complexity: 'O(1) without a count, otherwise O(N) where N is the count.', tips: ['nondeterministic_output'], args: [{ name: 'key', type: 'key' }, { name: 'count', type: 'integer', optional: true, since: '3.2.0' }] }, spop, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete'])], history: [['3.2.0', 'Added the `count` argument.']] }),
  cmd('srandmember', -2, ['readonly'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Return random members of a set without removing them; a negative count allows repeats.', complexity: 'O(1) without a count, otherwise O(N) where N is the absolute count.', tips: ['nondeterministic_output'], args: [{ name: 'key', type: 'key' }, { name: 'count', type: 'integer', optional: true, since: '2.6.0' }] }, srandmember, { history: [['2.6.0', 'Added the optional `count` argument.']] }),
  cmd('smove', 4, ['write', 'fast'], [1, 2, 1], { ...G, since: '1.0.0', summary: 'Move a member from one set to another.', complexity: 'O(1)', args: [{ name: 'source', type: 'key', keySpecIndex: 0 }, { name: 'destination', type: 'key', keySpecIndex: 1 }, { name: 'member', type: 'string' }] }, smove, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete']), keySpecRange(2, 0, 1, ['RW', 'insert'])] }),
  cmd('sinter', -2, ['readonly'], [1, -1, 1], { ...G, since: '1.0.0', summary: 'Return the intersection of sets.', complexity: 'O(N*M) worst case, N the smallest set and M the number of sets.', tips: ['nondeterministic_output_order'], args: [{ name: 'key', type: 'key', multiple: true }] }, (c, a) => sinterGeneric(c, a.slice(1), null, false, 0)),
  cmd('sintercard', -3, ['readonly'], [0, 0, 0], { ...G, since: '7.0.0', summary: 'Return the size of the intersection of sets, optionally stopping at a limit.', complexity: 'O(N*M) worst case, N the smallest set and M the number of sets.', args: [{ name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', multiple: true }, { name: 'limit', type: 'integer', token: 'LIMIT', optional: true }] }, sintercard, { getKeys: numkeysKeys(1), keySpecs: [keySpecKeynum(1, 0, 1, 1, ['RO', 'access'])] }),
  cmd('sinterstore', -3, [...W], [1, -1, 1], { ...G, since: '1.0.0', summary: 'Store the intersection of sets in a key.', complexity: 'O(N*M) worst case, N the smallest set and M the number of sets.', args: [{ name: 'destination', type: 'key', keySpecIndex: 0 }, { name: 'key', type: 'key', keySpecIndex: 1, multiple: true }] }, (c, a) => sinterGeneric(c, a.slice(2), a[1], false, 0), { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'update']), keySpecRange(2, -1, 1, ['RO', 'access'])] }),
  cmd('sunion', -2, ['readonly'], [1, -1, 1], { ...G, since: '1.0.0', summary: 'Return the union of sets.', complexity: 'O(N) where N is the total number of members.', tips: ['nondeterministic_output_order'], args: [{ name: 'key', type: 'key', multiple: true }] }, (c, a) => sunionDiffGeneric(c, a.slice(1), null, 'union')),
  cmd('sunionstore', -3, [...W], [1, -1, 1], { ...G, since: '1.0.0', summary: 'Store the union of sets in a key.', complexity: 'O(N) where N is the total number of members.', args: [{ name: 'destination', type: 'key', keySpecIndex: 0 }, { name: 'key', type: 'key', keySpecIndex: 1, multiple: true }] }, (c, a) => sunionDiffGeneric(c, a.slice(2), a[1], 'union'), { keySpecs: store }),
  cmd('sdiff', -2, ['readonly'], [1, -1, 1], { ...G, since: '1.0.0', summary: 'Return the members of the first set that are in none of the others.', complexity: 'O(N) where N is the total number of members.', tips: ['nondeterministic_output_order'], args: [{ name: 'key', type: 'key', multiple: true }] }, (c, a) => sunionDiffGeneric(c, a.slice(1), null, 'diff')),
  cmd('sdiffstore', -3, [...W], [1, -1, 1], { ...G, since: '1.0.0', summary: 'Store the difference of sets in a key.', complexity: 'O(N) where N is the total number of members.', args: [{ name: 'destination', type: 'key', keySpecIndex: 0 }, { name: 'key', type: 'key', keySpecIndex: 1, multiple: true }] }, (c, a) => sunionDiffGeneric(c, a.slice(2), a[1], 'diff'), { keySpecs: store }),
  cmd('sscan', -3, ['readonly'], [1, 1, 1], { ...G, since: '2.8.0', summary: 'Iterate over the members of a set.', complexity: 'O(1) per call, O(N) for a full iteration.', tips: ['nondeterministic_output'], args: [{ name: 'key', type: 'key' }, { name: 'cursor', type: 'integer' }, { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }] }, sscan),
];
