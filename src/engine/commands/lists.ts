/**
 * The list family (t_list.c): pushes and pops at both ends, ranges, LINSERT/LREM/LSET/LPOS,
 * LMOVE, LMPOP and the blocking variants BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP.
 *
 * Blocking follows blocked.c: a blocking pop on keys that are all missing parks the client
 * in the server's per-key FIFO (server.blockClient). When a list is created at one of those
 * keys (Db.add signals it), the server calls each waiting client's `tryServe` after the
 * command (or the whole MULTI/EXEC) that created it, oldest client first; `tryServe` pops
 * only if the key still holds a non-empty list, so a list that came and went inside one
 * transaction, or a key replaced by another type, leaves the client waiting, as in Redis 7.0.
 *
 * Propagation matches Redis so the AOF and replicas see deterministic commands: a blocking
 * pop that is answered at once is rewritten to LPOP/RPOP (with a COUNT for BLMPOP/LMPOP),
 * BLMOVE to LMOVE, BRPOPLPUSH to RPOPLPUSH; a client served later propagates the same
 * commands itself. Inside MULTI/EXEC (and for scripts) a blocking command that would block
 * replies at once with its timeout reply instead.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec, type KeySpec } from './table';
import { keySpecKeynum, keySpecRange } from './key-specs';
import { RList } from '../keyspace/values';
import { Lookup } from '../keyspace/db';
import { string2bigint, string2ll } from '../util/numbers';
import {
  getLongLongOrReply, getPositiveLongOrReply, getRangeLongOrReply, getTimeoutOrReply, optEq, wrongType, LONG_MAX,
} from './util';

const G = { group: 'list', acl: ['@list'] };

/** LIST_HEAD / LIST_TAIL. */
type End = 'head' | 'tail';

const popName = (where: End) => (where === 'head' ? 'LPOP' : 'RPOP');

/** getListPositionFromObjectOrReply: LEFT → head, RIGHT → tail. */
function getListPosition(c: Client, arg: string): End | null {
  if (optEq(arg, 'right')) return 'tail';
  if (optEq(arg, 'left')) return 'head';
  c.replySyntaxError();
  return null;
}

/** True when a client may not block right now (CLIENT_DENY_BLOCKING, or inside EXEC). */
function denyBlocking(c: Client): boolean {
  return c.denyBlocking || c.inMulti;
}

function popEnd(l: RList, where: End): string {
  return (where === 'head' ? l.popHead() : l.popTail())!;
}

/**
 * addListRangeReply: elements [start, end] with Redis's index clamping; `reverse` returns
 * them from end to start (what a tail pop of several elements yields).
 */
function replyListRange(c: Client, l: RList, start: number, end: number, reverse: boolean): void {
  const llen = l.length;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) { c.replyArrayLen(0); return; }
  if (end >= llen) end = llen - 1;
  c.replyArrayLen(end - start + 1);
  if (reverse) for (let i = end; i >= start; i--) c.replyBulk(l.get(i));
  else for (let i = start; i <= end; i++) c.replyBulk(l.get(i));
}

/**
 * listElementsRemoved: the pop event, deletion of a list that became empty, WATCH
 * invalidation and the dirty counter. Uses the client's db (a blocked client's db is the
 * one it blocked in).
 */
function listElementsRemoved(c: Client, key: string, where: End, l: RList, count: number): void {
  const db = c.db, s = c.server;
  s.notifyKeyspaceEvent('l', where === 'head' ? 'lpop' : 'rpop', key, db.id);
  if (l.length === 0) {
    db.delete(key);
    s.notifyKeyspaceEvent('g', 'del', key, db.id);
  }
  s.signalModifiedKey(db, key);
  s.dirty += count;
}

/** listPopRangeAndReplyWithKey: [key, [elements...]] for LMPOP/BLMPOP. */
function popRangeWithKey(c: Client, l: RList, key: string, where: End, count: number): void {
  const rangelen = Math.min(count, l.length);
  c.replyArrayLen(2);
  c.replyBulk(key);
  c.replyArrayLen(rangelen);
  for (let i = 0; i < rangelen; i++) c.replyBulk(popEnd(l, where));
  listElementsRemoved(c, key, where, l, rangelen);
}

// ---- pushes ----------------------------------------------------------------------------

function pushGeneric(c: Client, argv: string[], where: End, onlyIfExists: boolean): void {
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (wrongType(c, o, 'list')) return;
  let l = o as RList | undefined;
  if (!l) {
    if (onlyIfExists) { c.replyInt(0); return; }
    l = new RList();
    db.add(key, l);
  }
  for (let j = 2; j < argv.length; j++) {
    if (where === 'head') l.pushHead(argv[j]); else l.pushTail(argv[j]);
    s.dirty++;
  }
  c.replyInt(l.length);
  s.signalModifiedKey(db, key);
  s.notifyKeyspaceEvent('l', where === 'head' ? 'lpush' : 'rpush', key, db.id);
}

function linsert(c: Client, argv: string[]): void {
  let after: boolean;
  if (optEq(argv[2], 'after')) after = true;
  else if (optEq(argv[2], 'before')) after = false;
  else { c.replySyntaxError(); return; }
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'list')) return;
  const l = o as RList;
  const pivot = l.indexOf(argv[3]);
  if (pivot < 0) { c.replyInt(-1); return; }
  l.insertAt(after ? pivot + 1 : pivot, argv[4]);
  s.signalModifiedKey(db, key);
  s.notifyKeyspaceEvent('l', 'linsert', key, db.id);
  s.dirty++;
  c.replyInt(l.length);
}

// ---- reads -----------------------------------------------------------------------------

function llen(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'list')) return;
  c.replyInt((o as RList).length);
}

function lindex(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyNull(); return; }
  if (wrongType(c, o, 'list')) return;
  const l = o as RList;
  let index = getLongLongOrReply(c, argv[2]);
  if (index === null) return;
  if (index < 0) index = l.length + index;
  if (index < 0 || index >= l.length) c.replyNull();
  else c.replyBulk(l.get(index));
}

function lset(c: Client, argv: string[]): void {
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (o === undefined) { c.replyError('no such key'); return; }
  if (wrongType(c, o, 'list')) return;
  const l = o as RList;
  let index = getLongLongOrReply(c, argv[2]);
  if (index === null) return;
  if (index < 0) index = l.length + index;
  if (index < 0 || index >= l.length) { c.replyError('index out of range'); return; }
  l.set(index, argv[3]);
  c.replyOk();
  s.signalModifiedKey(db, key);
  s.notifyKeyspaceEvent('l', 'lset', key, db.id);
  s.dirty++;
}

function lrange(c: Client, argv: string[]): void {
  const start = getLongLongOrReply(c, argv[2]);
  if (start === null) return;
  const end = getLongLongOrReply(c, argv[3]);
  if (end === null) return;
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyArrayLen(0); return; }
  if (wrongType(c, o, 'list')) return;
  replyListRange(c, o as RList, start, end, false);
}

function ltrim(c: Client, argv: string[]): void {
  let start = getLongLongOrReply(c, argv[2]);
  if (start === null) return;
  let end = getLongLongOrReply(c, argv[3]);
  if (end === null) return;
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (o === undefined) { c.replyOk(); return; }
  if (wrongType(c, o, 'list')) return;
  const l = o as RList;
  const len = l.length;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  let ltrimN: number, rtrimN: number;
  if (start > end || start >= len) {
    ltrimN = len;
    rtrimN = 0;
  } else {
    if (end >= len) end = len - 1;
    ltrimN = start;
    rtrimN = len - end - 1;
  }
  l.removeHead(ltrimN);
  l.removeTail(rtrimN);
  s.notifyKeyspaceEvent('l', 'ltrim', key, db.id);
  if (l.length === 0) {
    db.delete(key);
    s.notifyKeyspaceEvent('g', 'del', key, db.id);
  }
  s.signalModifiedKey(db, key);
  s.dirty += ltrimN + rtrimN;
  c.replyOk();
}

const LLONG_MIN_BIG = -9223372036854775808n;

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
function lpos(c: Client, argv: string[]): void {
  const ele = argv[2];
  let rank = 1, count = -1, maxlen = 0;
  // -LLONG_MIN overflows in C and stays negative: every match then satisfies the rank.
  let rankIsMin = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    const moreargs = argv.length - 1 - j;
    if (optEq(opt, 'rank') && moreargs) {
      j++;
      const r = string2bigint(argv[j]);
      if (r === null) { c.replyNotInteger(); return; }
      if (r === 0n) {
        c.replyError("RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
        return;
      }
      rank = Number(r);
      rankIsMin = r === LLONG_MIN_BIG;
    } else if (optEq(opt, 'count') && moreargs) {
      j++;
      const v = getPositiveLongOrReply(c, argv[j], "COUNT can't be negative");
      if (v === null) return;
      count = v;
    } else if (optEq(opt, 'maxlen') && moreargs) {
      j++;
      const v = getPositiveLongOrReply(c, argv[j], "MAXLEN can't be negative");
      if (v === null) return;
      maxlen = v;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  let fromTail = false;
  if (rank < 0) {
    fromTail = true;
    rank = rankIsMin ? -Infinity : -rank;
  }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) {
    if (count !== -1) c.replyArrayLen(0); else c.replyNull();
    return;
  }
  if (wrongType(c, o, 'list')) return;
  const l = o as RList;
  const len = l.length;
  const found: number[] = [];
  let matches = 0;
  let single = -1;
  for (let index = 0; index < len && (maxlen === 0 || index < maxlen); index++) {
    const pos = fromTail ? len - index - 1 : index;
    if (l.get(pos) !== ele) continue;
    matches++;
    if (matches < rank) continue;
    if (count === -1) { single = pos; break; }
    found.push(pos);
    // With RANK LLONG_MIN the C expression overflows and never reaches COUNT.
    if (count && !rankIsMin && matches - rank + 1 >= count) break;
  }
  if (count !== -1) {
    c.replyArrayLen(found.length);
    for (const p of found) c.replyInt(p);
  } else if (single !== -1) {
    c.replyInt(single);
  } else {
    c.replyNull();
  }
}

function lrem(c: Client, argv: string[]): void {
  const toremove = getLongLongOrReply(c, argv[2]);
  if (toremove === null) return;
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'list')) return;
  const l = o as RList;
  const removed = l.removeMatching(argv[3], Math.abs(toremove), toremove < 0);
  if (removed) {
    s.dirty += removed;
    s.signalModifiedKey(db, key);
    s.notifyKeyspaceEvent('l', 'lrem', key, db.id);
  }
  if (l.length === 0) {
    db.delete(key);
    s.notifyKeyspaceEvent('g', 'del', key, db.id);
  }
  c.replyInt(removed);
}

// ---- pops ------------------------------------------------------------------------------

function popGeneric(c: Client, argv: string[], where: End): void {
  const hascount = argv.length === 3;
  let count = 0;
  if (argv.length > 3) { c.replyArityError(); return; }
  if (hascount) {
    const v = getPositiveLongOrReply(c, argv[2]);
    if (v === null) return;
    count = v;
  }
  const o = c.db.lookupWrite(argv[1]);
  if (o === undefined) {
    if (hascount) c.replyNullArray(); else c.replyNull();
    return;
  }
  if (wrongType(c, o, 'list')) return;
  const l = o as RList;
  if (hascount && count === 0) { c.replyArrayLen(0); return; }
  if (!hascount) {
    c.replyBulk(popEnd(l, where));
    listElementsRemoved(c, argv[1], where, l, 1);
    return;
  }
  const rangelen = Math.min(count, l.length);
  c.replyArrayLen(rangelen);
  for (let i = 0; i < rangelen; i++) c.replyBulk(popEnd(l, where));
  listElementsRemoved(c, argv[1], where, l, rangelen);
}

/** mpopGenericCommand: pop up to `count` from the first non-empty list among `keys`. */
function mpopGeneric(c: Client, keys: string[], where: End, count: number): void {
  for (const key of keys) {
    const o = c.db.lookupWrite(key);
    if (o === undefined) continue;
    if (wrongType(c, o, 'list')) return;
    const l = o as RList;
    const llenBefore = l.length;
    popRangeWithKey(c, l, key, where, count);
    c.propagateArgv = [popName(where), key, String(Math.min(count, llenBefore))];
    return;
  }
  c.replyNullArray();
}

// ---- LMOVE and friends -----------------------------------------------------------------

/** lmoveHandlePush: push onto the destination, creating it (which wakes its waiters). */
function lmoveHandlePush(c: Client, dstkey: string, dst: RList | undefined, value: string, whereto: End): void {
  const db = c.db, s = c.server;
  if (!dst) {
    dst = new RList();
    db.add(dstkey, dst);
  }
  s.signalModifiedKey(db, dstkey);
  if (whereto === 'head') dst.pushHead(value); else dst.pushTail(value);
  s.notifyKeyspaceEvent('l', whereto === 'head' ? 'lpush' : 'rpush', dstkey, db.id);
  c.replyBulk(value);
}

function lmoveGeneric(c: Client, src: string, dst: string, wherefrom: End, whereto: End, rewrite: string[] | null): void {
  const db = c.db, s = c.server;
  const so = db.lookupWrite(src);
  if (so === undefined) { c.replyNull(); return; }
  if (wrongType(c, so, 'list')) return;
  const sl = so as RList;
  const dobj = db.lookupWrite(dst);
  if (wrongType(c, dobj, 'list')) return;
  // Popping first matters when src == dst: the element goes back into the same list.
  const value = popEnd(sl, wherefrom);
  lmoveHandlePush(c, dst, dobj as RList | undefined, value, whereto);
  s.notifyKeyspaceEvent('l', wherefrom === 'head' ? 'lpop' : 'rpop', src, db.id);
  if (sl.length === 0) {
    db.delete(src);
    s.notifyKeyspaceEvent('g', 'del', src, db.id);
  }
  s.signalModifiedKey(db, src);
  s.dirty++;
  if (rewrite) c.propagateArgv = rewrite;
}

function lmove(c: Client, argv: string[]): void {
  const from = getListPosition(c, argv[3]);
  if (from === null) return;
  const to = getListPosition(c, argv[4]);
  if (to === null) return;
  lmoveGeneric(c, argv[1], argv[2], from, to, null);
}

// ---- blocking --------------------------------------------------------------------------

/**
 * blockingPopGenericCommand for BLPOP/BRPOP (count -1) and BLMPOP (count ≥ 1): pop at once
 * from the first non-empty list, otherwise block on all the keys.
 */
function blockingPopGeneric(c: Client, keys: string[], where: End, timeoutArg: string, count: number): void {
  const s = c.server;
  const timeout = getTimeoutOrReply(c, timeoutArg, s.nowMs());
  if (timeout === null) return;
  for (const key of keys) {
    const o = c.db.lookupWrite(key);
    if (o === undefined) continue;
    if (wrongType(c, o, 'list')) return;
    const l = o as RList;
    if (l.length === 0) continue;
    if (count !== -1) {
      const llenBefore = l.length;
      popRangeWithKey(c, l, key, where, count);
      c.propagateArgv = [popName(where), key, String(Math.min(count, llenBefore))];
      return;
    }
    const value = popEnd(l, where);
    c.replyArrayLen(2);
    c.replyBulk(key);
    c.replyBulk(value);
    listElementsRemoved(c, key, where, l, 1);
    c.propagateArgv = [popName(where), key];
    return;
  }
  if (denyBlocking(c)) { c.replyNullArray(); return; }
  const dbId = c.db.id;
  s.blockClient(c, {
    kind: 'keys', dbId, keys, timeoutMs: timeout, argv: c.argv, cmd: c.cmd!,
    onTimeout: () => c.replyNullArray(),
    tryServe: (key) => serveBlockedPop(c, key, where, count),
  });
}

/** The list at `key` in a blocked client's db if it can serve it now, else undefined. */
function readyList(c: Client, key: string): RList | undefined {
  const o = c.db.lookup(key, Lookup.NoNotify | Lookup.NoStats);
  if (o === undefined || typeof o === 'string' || o.type !== 'list' || o.length === 0) return undefined;
  return o;
}

/** serveClientBlockedOnList without a destination (BLPOP, BRPOP, BLMPOP). */
function serveBlockedPop(c: Client, key: string, where: End, count: number): boolean {
  const l = readyList(c, key);
  if (!l) return false;
  const db = c.db, s = c.server;
  if (count !== -1) {
    s.alsoPropagate(db.id, [popName(where), key, String(Math.min(count, l.length))]);
    popRangeWithKey(c, l, key, where, count);
    return true;
  }
  s.alsoPropagate(db.id, [popName(where), key]);
  const value = popEnd(l, where);
  c.replyArrayLen(2);
  c.replyBulk(key);
  c.replyBulk(value);
  s.notifyKeyspaceEvent('l', where === 'head' ? 'lpop' : 'rpop', key, db.id);
  if (l.length === 0) {
    db.delete(key);
    s.notifyKeyspaceEvent('g', 'del', key, db.id);
  }
  return true;
}

/** serveClientBlockedOnList with a destination (BLMOVE, BRPOPLPUSH). */
function serveBlockedMove(c: Client, key: string, dstkey: string, wherefrom: End, whereto: End, isBrpoplpush: boolean): boolean {
  const l = readyList(c, key);
  if (!l) return false;
  const db = c.db, s = c.server;
  const dobj = db.lookupWrite(dstkey);
  // A destination of the wrong type ends the wait with WRONGTYPE and leaves the source alone.
  if (wrongType(c, dobj, 'list')) return true;
  const value = popEnd(l, wherefrom);
  lmoveHandlePush(c, dstkey, dobj as RList | undefined, value, whereto);
  s.alsoPropagate(db.id, isBrpoplpush ? ['RPOPLPUSH', key, dstkey]
    : ['LMOVE', key, dstkey, wherefrom === 'head' ? 'left' : 'right', whereto === 'head' ? 'left' : 'right']);
  s.notifyKeyspaceEvent('l', wherefrom === 'tail' ? 'rpop' : 'lpop', key, db.id);
  if (l.length === 0) {
    db.delete(key);
    s.notifyKeyspaceEvent('g', 'del', key, db.id);
  }
  return true;
}

function blmoveGeneric(c: Client, argv: string[], wherefrom: End, whereto: End, timeout: number, isBrpoplpush: boolean): void {
  const src = argv[1], dst = argv[2];
  const o = c.db.lookupWrite(src);
  if (wrongType(c, o, 'list')) return;
  if (o !== undefined) {
    const rewrite = isBrpoplpush ? ['RPOPLPUSH', src, dst] : ['LMOVE', src, dst, argv[3], argv[4]];
    lmoveGeneric(c, src, dst, wherefrom, whereto, rewrite);
    return;
  }
  if (denyBlocking(c)) { c.replyNull(); return; }
  c.server.blockClient(c, {
    kind: 'keys', dbId: c.db.id, keys: [src], timeoutMs: timeout, argv: c.argv, cmd: c.cmd!,
    // replyToBlockedClientTimedOut answers every list block with a null *array*.
    onTimeout: () => c.replyNullArray(),
    tryServe: (key) => serveBlockedMove(c, key, dst, wherefrom, whereto, isBrpoplpush),
  });
}

function blmove(c: Client, argv: string[]): void {
  const from = getListPosition(c, argv[3]);
  if (from === null) return;
  const to = getListPosition(c, argv[4]);
  if (to === null) return;
  const timeout = getTimeoutOrReply(c, argv[5], c.server.nowMs());
  if (timeout === null) return;
  blmoveGeneric(c, argv, from, to, timeout, false);
}

function brpoplpush(c: Client, argv: string[]): void {
  const timeout = getTimeoutOrReply(c, argv[3], c.server.nowMs());
  if (timeout === null) return;
  blmoveGeneric(c, argv, 'tail', 'head', timeout, true);
}

/** LMPOP numkeys key... LEFT|RIGHT [COUNT n] / BLMPOP timeout numkeys key... */
function lmpopGeneric(c: Client, argv: string[], numkeysIdx: number, isBlock: boolean): void {
  const numkeys = getRangeLongOrReply(c, argv[numkeysIdx], 1, LONG_MAX, 'numkeys should be greater than 0');
  if (numkeys === null) return;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) { c.replySyntaxError(); return; }
  const where = getListPosition(c, argv[whereIdx]);
  if (where === null) return;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (count === -1 && optEq(argv[j], 'count') && moreargs) {
      j++;
      const v = getRangeLongOrReply(c, argv[j], 1, LONG_MAX, 'count should be greater than 0');
      if (v === null) return;
      count = v;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIdx + 1, numkeysIdx + 1 + numkeys);
  if (isBlock) blockingPopGeneric(c, keys, where, argv[1], count);
  else mpopGeneric(c, keys, where, count);
}

/** Key positions for LMPOP (numkeys at 1) and BLMPOP (numkeys at 2). */
function mpopKeys(numkeysIdx: number): (argv: string[]) => number[] {
  return (argv) => {
    const n = string2ll(argv[numkeysIdx] ?? '');
    if (n === null || n < 1) return [];
    const out: number[] = [];
    for (let i = numkeysIdx + 1; i <= numkeysIdx + n && i < argv.length; i++) out.push(i);
    return out;
  };
}

// ---- table -----------------------------------------------------------------------------

const key = { name: 'key', type: 'key' as const };
const element = (multiple = false) => ({ name: 'element', type: 'string' as const, multiple });
const whereArg = (name: string) => ({ name, type: 'oneof' as const, args: [
  { name: 'left', type: 'pure-token' as const, token: 'LEFT' }, { name: 'right', type: 'pure-token' as const, token: 'RIGHT' }] });
const countOpt = { name: 'count', type: 'integer' as const, token: 'COUNT', optional: true };
const timeoutArg = { name: 'timeout', type: 'double' as const };

// COMMAND DOCS version history, in Redis 7.0.15's words.
const multiElements = (since: string): [string, string] => [since, 'Accepts multiple `element` arguments.'];
const countAdded: [string, string] = ['6.2.0', 'Added the `count` argument.'];
const doubleTimeout: [string, string] = ['6.0.0', '`timeout` is interpreted as a double instead of an integer.'];
/** Key specs (Redis 7.0.15's): how each command touches its lists. */
const push: KeySpec[] = [keySpecRange(1, 0, 1, ['RW', 'insert'])];
const pop: KeySpec[] = [keySpecRange(1, 0, 1, ['RW', 'access', 'delete'])];
const remove: KeySpec[] = [keySpecRange(1, 0, 1, ['RW', 'delete'])];
const move: KeySpec[] = [keySpecRange(1, 0, 1, ['RW', 'access', 'delete']), keySpecRange(2, 0, 1, ['RW', 'insert'])];
const blockingPop: KeySpec[] = [keySpecRange(1, -2, 1, ['RW', 'access', 'delete'])];

export const listCommands: CommandSpec[] = [
  cmd('lpush', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Prepend elements to a list, creating it if needed.', complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', args: [key, element(true)] }, (c, a) => pushGeneric(c, a, 'head', false), { keySpecs: push, history: [multiElements('2.4.0')] }),
  cmd('rpush', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Append elements to a list, creating it if needed.', complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', args: [key, element(true)] }, (c, a) => pushGeneric(c, a, 'tail', false), { keySpecs: push, history: [multiElements('2.4.0')] }),
  cmd('lpushx', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], { ...G, since: '2.2.0', summary: 'Prepend elements to a list only if the list exists.', complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', args: [key, element(true)] }, (c, a) => pushGeneric(c, a, 'head', true), { keySpecs: push, history: [multiElements('4.0.0')] }),
  cmd('rpushx', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], { ...G, since: '2.2.0', summary: 'Append elements to a list only if the list exists.', complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', args: [key, element(true)] }, (c, a) => pushGeneric(c, a, 'tail', true), { keySpecs: push, history: [multiElements('4.0.0')] }),
  cmd('linsert', 5, ['write', 'denyoom'], [1, 1, 1], { ...G, since: '2.2.0', summary: 'Insert an element before or after the first occurrence of a pivot.', complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot.', args: [key, { name: 'where', type: 'oneof', args: [{ name: 'before', type: 'pure-token', token: 'BEFORE' }, { name: 'after', type: 'pure-token', token: 'AFTER' }] }, { name: 'pivot', type: 'string' }, element()] }, linsert, { keySpecs: push }),
  cmd('llen', 2, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'The length of a list.', complexity: 'O(1)', args: [key] }, llen, { keySpecs: [keySpecRange(1, 0, 1, ['RO'])] }),
  cmd('lindex', 3, ['readonly'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'The element at an index of a list.', complexity: 'O(N) where N is the number of elements to traverse to get to the element at index.', args: [key, { name: 'index', type: 'integer' }] }, lindex),
  cmd('lset', 4, ['write', 'denyoom'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Replace the element at an index of a list.', complexity: 'O(N) where N is the length of the list.', args: [key, { name: 'index', type: 'integer' }, element()] }, lset),
  cmd('lpop', -2, ['write', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Remove and return the first elements of a list.', complexity: 'O(N) where N is the number of elements returned', args: [key, { name: 'count', type: 'integer', optional: true, since: '6.2.0' }] }, (c, a) => popGeneric(c, a, 'head'), { keySpecs: pop, history: [countAdded] }),
  cmd('rpop', -2, ['write', 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Remove and return the last elements of a list.', complexity: 'O(N) where N is the number of elements returned', args: [key, { name: 'count', type: 'integer', optional: true, since: '6.2.0' }] }, (c, a) => popGeneric(c, a, 'tail'), { keySpecs: pop, history: [countAdded] }),
  cmd('lrange', 4, ['readonly'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'A range of elements of a list.', complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.', args: [key, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }] }, lrange),
  cmd('ltrim', 4, ['write'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Keep only a range of elements of a list.', complexity: 'O(N) where N is the number of elements to be removed by the operation.', args: [key, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }] }, ltrim, { keySpecs: remove }),
  cmd('lpos', -3, ['readonly'], [1, 1, 1], { ...G, since: '6.0.6', summary: 'The index of matching elements in a list.', complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.', args: [key, element(), { name: 'rank', type: 'integer', token: 'RANK', optional: true }, { name: 'num-matches', type: 'integer', token: 'COUNT', optional: true }, { name: 'len', type: 'integer', token: 'MAXLEN', optional: true }] }, lpos),
  cmd('lrem', 4, ['write'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Remove occurrences of an element from a list.', complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.', args: [key, { name: 'count', type: 'integer' }, element()] }, lrem, { keySpecs: remove }),
  cmd('rpoplpush', 3, ['write', 'denyoom'], [1, 2, 1], { ...G, since: '1.2.0', summary: 'Move the last element of a list to the head of another (deprecated: LMOVE).', complexity: 'O(1)', args: [{ name: 'source', type: 'key', keySpecIndex: 0 }, { name: 'destination', type: 'key', keySpecIndex: 1 }] }, (c, a) => lmoveGeneric(c, a[1], a[2], 'tail', 'head', null), {
    keySpecs: move, docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
  }),
  cmd('lmove', 5, ['write', 'denyoom'], [1, 2, 1], { ...G, since: '6.2.0', summary: 'Move an element from one end of a list to an end of another.', complexity: 'O(1)', args: [{ name: 'source', type: 'key', keySpecIndex: 0 }, { name: 'destination', type: 'key', keySpecIndex: 1 }, whereArg('wherefrom'), whereArg('whereto')] }, lmove, { keySpecs: move }),
  cmd('lmpop', -4, ['write'], [0, 0, 0], { ...G, since: '7.0.0', summary: 'Pop elements from the first non-empty list among several.', complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.', args: [{ name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', multiple: true }, whereArg('where'), countOpt] }, (c, a) => lmpopGeneric(c, a, 1, false), { getKeys: mpopKeys(1), keySpecs: [keySpecKeynum(1, 0, 1, 1, ['RW', 'access', 'delete'])] }),
  cmd('blpop', -3, ['write', 'noscript', 'blocking'], [1, -2, 1], { ...G, since: '2.0.0', summary: 'Pop the first element of the first non-empty list, or block until one is available.', complexity: 'O(N) where N is the number of provided keys.', args: [{ name: 'key', type: 'key', multiple: true }, timeoutArg] }, (c, a) => blockingPopGeneric(c, a.slice(1, -1), 'head', a[a.length - 1], -1), { keySpecs: blockingPop, history: [doubleTimeout] }),
  cmd('brpop', -3, ['write', 'noscript', 'blocking'], [1, -2, 1], { ...G, since: '2.0.0', summary: 'Pop the last element of the first non-empty list, or block until one is available.', complexity: 'O(N) where N is the number of provided keys.', args: [{ name: 'key', type: 'key', multiple: true }, timeoutArg] }, (c, a) => blockingPopGeneric(c, a.slice(1, -1), 'tail', a[a.length - 1], -1), { keySpecs: blockingPop, history: [doubleTimeout] }),
  cmd('brpoplpush', 4, ['write', 'denyoom', 'noscript', 'blocking'], [1, 2, 1], { ...G, since: '2.2.0', summary: 'RPOPLPUSH that blocks while the source is empty (deprecated: BLMOVE).', complexity: 'O(1)', args: [{ name: 'source', type: 'key', keySpecIndex: 0 }, { name: 'destination', type: 'key', keySpecIndex: 1 }, timeoutArg] }, brpoplpush, {
    keySpecs: move, docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments', history: [doubleTimeout],
  }),
  cmd('blmove', 6, ['write', 'denyoom', 'noscript', 'blocking'], [1, 2, 1], { ...G, since: '6.2.0', summary: 'LMOVE that blocks while the source is empty.', complexity: 'O(1)', args: [{ name: 'source', type: 'key', keySpecIndex: 0 }, { name: 'destination', type: 'key', keySpecIndex: 1 }, whereArg('wherefrom'), whereArg('whereto'), timeoutArg] }, blmove, { keySpecs: move }),
  cmd('blmpop', -5, ['write', 'blocking'], [0, 0, 0], { ...G, since: '7.0.0', summary: 'LMPOP that blocks while all the lists are empty.', complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.', args: [timeoutArg, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', multiple: true }, whereArg('where'), countOpt] }, (c, a) => lmpopGeneric(c, a, 2, true), { getKeys: mpopKeys(2), keySpecs: [keySpecKeynum(2, 0, 1, 1, ['RW', 'access', 'delete'])] }),
];
