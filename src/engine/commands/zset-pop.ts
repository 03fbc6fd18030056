/**
 * Popping from sorted sets (genericZpopCommand and friends in t_zset.c, serving in blocked.c):
 * ZPOPMIN, ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX, BZMPOP.
 *
 * Reply shapes differ per command and protocol: ZPOPMIN without a count is a flat
 * [member, score]; with a count it is flat in RESP2 and a list of pairs in RESP3; BZPOPMIN adds
 * the key in front (flat); ZMPOP/BZMPOP answer [key, [[member, score], ...]] or a null array.
 *
 * Blocking: when every key is missing the client waits through the server's blocking API, in
 * FIFO order per key, and is served after a command creates one of its keys (signalKeyAsReady
 * from the zset commands). Inside MULTI or a script (`denyBlocking`) it answers null instead.
 * Writes are always propagated as ZPOPMIN/ZPOPMAX, with the effective count when one was given.
 */
import type { Client } from '../server/client';
import type { RZSet } from '../keyspace/values';
import { Lookup } from '../keyspace/db';
import { getPositiveLongOrReply, getRangeLongOrReply, getTimeoutOrReply, optEq, wrongType, LONG_MAX } from './util';

type Where = 'min' | 'max';

const POP_CMD: Record<Where, string> = { min: 'ZPOPMIN', max: 'ZPOPMAX' };

/**
 * Pop from the first existing key of `keys`. `count` -1 means the single-pop form. Replies in
 * the shape chosen by `emitKey`/`nested`; when no key exists, replies a null array
 * (`nilWhenEmpty`) or an empty array. ZMPOP asks for the ZPOP rewrite (`rewriteForZmpop`).
 */
function genericZpop(c: Client, keys: string[], where: Where, emitKey: boolean, count: number,
  nested: boolean, nilWhenEmpty: boolean, rewriteForZmpop: boolean): void {
  const db = c.db, s = c.server;
  let key = '';
  let z: RZSet | undefined;
  for (const k of keys) {
    const o = db.lookupWrite(k);
    if (o === undefined) continue;
    if (wrongType(c, o, 'zset')) return;
    key = k;
    z = o as RZSet;
    break;
  }
  if (!z) {
    if (nilWhenEmpty) c.replyNullArray();
    else c.replyArrayLen(0);
    return;
  }
  if (count === 0) { c.replyArrayLen(0); return; }
  if (count === -1) count = 1;
  const llen = z.length;
  let rangeLen = Math.min(count, llen);
  if (!nested && !emitKey) {
    c.replyArrayLen(rangeLen * 2);
  } else if (nested && !emitKey) {
    c.replyArrayLen(rangeLen);
  } else if (!nested && emitKey) {
    c.replyArrayLen(rangeLen * 2 + 1);
    c.replyBulk(key);
  } else {
    c.replyArrayLen(2);
    c.replyBulk(key);
    c.replyArrayLen(rangeLen);
  }
  let first = true;
  while (rangeLen-- > 0) {
    const n = where === 'max' ? z.zsl.tail! : z.zsl.first()!;
    const member = n.member, score = n.score;
    z.delete(member);
    s.dirty++;
    if (first) {
      s.notifyKeyspaceEvent('z', where === 'max' ? 'zpopmax' : 'zpopmin', key, db.id);
      s.signalModifiedKey(db, key);
      first = false;
    }
    if (nested) c.replyArrayLen(2);
    c.replyBulk(member);
    c.replyDouble(score);
  }
  if (z.length === 0) {
    db.delete(key);
    s.notifyKeyspaceEvent('g', 'del', key, db.id);
  }
  if (rewriteForZmpop) c.propagateArgv = [POP_CMD[where], key, String(Math.min(count, llen))];
}

export function zpopMinMax(c: Client, argv: string[], where: Where): void {
  if (argv.length > 3) { c.replySyntaxError(); return; }
  let count = -1;
  if (argv.length === 3) {
    const v = getPositiveLongOrReply(c, argv[2]);
    if (v === null) return;
    count = v;
  }
  genericZpop(c, [argv[1]], where, false, count, c.resp > 2 && count !== -1, false, false);
}

/** ZPOP argv a blocking pop is propagated as. */
function popArgv(where: Where, key: string, count: number, llen: number): string[] {
  return count === -1 ? [POP_CMD[where], key] : [POP_CMD[where], key, String(Math.min(count, llen))];
}

/**
 * blockingGenericZpopCommand: pop right away from the first non-empty key, or block on all of
 * them until one gets a sorted set or the timeout fires (null array).
 */
function blockingZpop(c: Client, keys: string[], where: Where, timeoutArg: string, count: number,
  nested: boolean, nilWhenEmpty: boolean): void {
  const db = c.db;
  const timeoutMs = getTimeoutOrReply(c, timeoutArg, c.server.nowMs());
  if (timeoutMs === null) return;
  for (const key of keys) {
    const o = db.lookupWrite(key);
    if (o === undefined) continue;
    if (wrongType(c, o, 'zset')) return;
    const llen = (o as RZSet).length;
    if (llen === 0) continue;
    genericZpop(c, [key], where, true, count, nested, nilWhenEmpty, false);
    c.propagateArgv = popArgv(where, key, count, llen);
    return;
  }
  if (c.denyBlocking || c.inMulti) { c.replyNullArray(); return; }

  const s = c.server;
  s.blockClient(c, {
    kind: 'keys',
    dbId: db.id,
    keys: [...new Set(keys)],
    timeoutMs,
    argv: c.argv,
    cmd: c.cmd!,
    onTimeout: () => c.replyNullArray(),
    // serveClientsBlockedOnSortedSetKey: only a sorted set under the key serves us.
    tryServe: (key: string) => {
      const o = c.db.lookup(key, Lookup.NoNotify | Lookup.NoStats);
      if (o === undefined || typeof o === 'string' || o.type !== 'zset' || o.length === 0) return false;
      const llen = o.length;
      genericZpop(c, [key], where, true, count, nested, nilWhenEmpty, false);
      s.alsoPropagate(c.db.id, popArgv(where, key, count, llen));
      return true;
    },
  });
}

export function bzpop(c: Client, argv: string[], where: Where): void {
  blockingZpop(c, argv.slice(1, -1), where, argv[argv.length - 1], -1, false, false);
}

/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count], and BZMPOP with a timeout in front. */
function zmpopGeneric(c: Client, argv: string[], numkeysIdx: number, block: boolean): void {
  const numkeys = getRangeLongOrReply(c, argv[numkeysIdx], 1, LONG_MAX, 'numkeys should be greater than 0');
  if (numkeys === null) return;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) { c.replySyntaxError(); return; }
  let where: Where;
  if (optEq(argv[whereIdx], 'min')) where = 'min';
  else if (optEq(argv[whereIdx], 'max')) where = 'max';
  else { c.replySyntaxError(); return; }
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && optEq(argv[j], 'count') && more) {
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
  if (block) blockingZpop(c, keys, where, argv[1], count, true, true);
  else genericZpop(c, keys, where, true, count, true, true, true);
}

export function zmpop(c: Client, argv: string[]): void { zmpopGeneric(c, argv, 1, false); }
export function bzmpop(c: Client, argv: string[]): void { zmpopGeneric(c, argv, 2, true); }
