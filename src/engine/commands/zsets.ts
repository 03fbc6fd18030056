/**
 * The sorted-set family (t_zset.c), and its command table.
 *
 * This file holds the single-key commands: ZADD/ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE,
 * ZRANK/ZREVRANK, ZCOUNT/ZLEXCOUNT, the whole ZRANGE family (7.0's unified ZRANGE with
 * BYSCORE/BYLEX/REV/LIMIT, ZRANGESTORE, and the older ZREVRANGE/Z[REV]RANGEBY{SCORE,LEX}),
 * ZREMRANGEBY{RANK,SCORE,LEX}, ZRANDMEMBER and ZSCAN. Multi-key algebra (ZUNION & co) is in
 * zset-algebra.ts, pops and blocking pops in zset-pop.ts, shared pieces in zset-core.ts.
 *
 * Scores print through Client.replyDouble ("%.17g", RESP3 doubles). Encodings follow
 * zset-max-listpack-entries/-value; see RZSet for the one place where they show (-0).
 */
import type { Client } from '../server/client';
import { cmd, type ArgDoc, type CommandSpec, type KeySpec } from './table';
import { keySpecKeynum, keySpecRange } from './key-specs';
import type { SkipNode } from '../keyspace/skiplist';
import { RZSet } from '../keyspace/values';
import { parseScanCursor } from '../keyspace/scan';
import { stringMatch } from '../util/glob';
import { fmtG17 } from '../util/numbers';
import { getDoubleOrReply, getLongLongOrReply, optEq, wrongType } from './util';
import {
  addKey, deleteStoreDestination, getSymmetricLongOrReply, numkeysKeys, parseCollectionScanOptions,
  replyEmptyScan, replyScan, scanCursorsFor, setKey,
} from './collection-util';
import {
  ZADD_GT, ZADD_INCR, ZADD_LT, ZADD_NX, ZADD_XX, countInRange, createZsetFor, lexCount, listpackScoreString, nodesByLex,
  nodesByRank, nodesByScore, parseLexRange, parseScoreRange, replyNodes, zsetAdd, zsetLimits,
} from './zset-core';
import { zunionInterDiff } from './zset-algebra';
import { bzmpop, bzpop, zmpop, zpopMinMax } from './zset-pop';

const G = { group: 'sorted-set', acl: ['@sortedset'] };

// ---- ZADD / ZINCRBY --------------------------------------------------------------------------

export function zaddGeneric(c: Client, argv: string[], baseFlags: number): void {
  const key = argv[1], db = c.db, s = c.server;
  let flags = baseFlags, ch = false;
  let scoreIdx = 2;
  for (; scoreIdx < argv.length; scoreIdx++) {
    const opt = argv[scoreIdx];
    if (optEq(opt, 'nx')) flags |= ZADD_NX;
    else if (optEq(opt, 'xx')) flags |= ZADD_XX;
    else if (optEq(opt, 'ch')) ch = true;
    else if (optEq(opt, 'incr')) flags |= ZADD_INCR;
    else if (optEq(opt, 'gt')) flags |= ZADD_GT;
    else if (optEq(opt, 'lt')) flags |= ZADD_LT;
    else break;
  }
  const incr = !!(flags & ZADD_INCR), nx = !!(flags & ZADD_NX), xx = !!(flags & ZADD_XX);
  const gt = !!(flags & ZADD_GT), lt = !!(flags & ZADD_LT);
  const rest = argv.length - scoreIdx;
  if (rest % 2 || !rest) { c.replySyntaxError(); return; }
  const elements = rest / 2;
  if (nx && xx) { c.replyError('XX and NX options at the same time are not compatible'); return; }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    c.replyError('GT, LT, and/or NX options at the same time are not compatible');
    return;
  }
  if (incr && elements > 1) { c.replyError('INCR option supports a single increment-element pair'); return; }
  const scores: number[] = [];
  for (let j = 0; j < elements; j++) {
    const v = getDoubleOrReply(c, argv[scoreIdx + j * 2]);
    if (v === null) return;
    scores.push(v);
  }

  const lim = zsetLimits(c);
  const o = db.lookupWrite(key);
  if (wrongType(c, o, 'zset')) return;
  let z = o as RZSet | undefined;
  let added = 0, updated = 0, processed = 0;
  let score = 0;
  if (!z) {
    if (xx) { replyZadd(c, incr, ch, 0, 0, 0, 0); return; }
    z = createZsetFor(argv[scoreIdx + 1], lim);
    addKey(c, key, z, true);
  }
  let failed = false;
  for (let j = 0; j < elements; j++) {
    const r = zsetAdd(z, scores[j], argv[scoreIdx + 1 + j * 2], flags, lim);
    if (r.nan) { c.replyError('resulting score is not a number (NaN)'); failed = true; break; }
    if (r.added) added++;
    if (r.updated) updated++;
    if (!r.nop) processed++;
    score = r.newScore;
  }
  if (!failed) {
    s.dirty += added + updated;
    replyZadd(c, incr, ch, added, updated, processed, score);
  }
  if (added || updated) {
    s.signalModifiedKey(db, key);
    s.notifyKeyspaceEvent('z', incr ? 'zincr' : 'zadd', key, db.id);
  }
}

function replyZadd(c: Client, incr: boolean, ch: boolean, added: number, updated: number, processed: number, score: number): void {
  if (incr) {
    if (processed) c.replyDouble(score);
    else c.replyNull();
  } else {
    c.replyInt(ch ? added + updated : added);
  }
}

// ---- simple reads and removals ---------------------------------------------------------------

function zrem(c: Client, argv: string[]): void {
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'zset')) return;
  const z = o as RZSet;
  let deleted = 0, keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (z.delete(argv[j])) deleted++;
    if (z.length === 0) { db.delete(key); keyRemoved = true; break; }
  }
  if (deleted) {
    s.notifyKeyspaceEvent('z', 'zrem', key, db.id);
    if (keyRemoved) s.notifyKeyspaceEvent('g', 'del', key, db.id);
    s.signalModifiedKey(db, key);
    s.dirty += deleted;
  }
  c.replyInt(deleted);
}

function zcard(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'zset')) return;
  c.replyInt((o as RZSet).length);
}

function zscore(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyNull(); return; }
  if (wrongType(c, o, 'zset')) return;
  const sc = (o as RZSet).score(argv[2]);
  if (sc === undefined) c.replyNull();
  else c.replyDouble(sc);
}

function zmscore(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (wrongType(c, o, 'zset')) return;
  const z = o as RZSet | undefined;
  c.replyArrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const sc = z?.score(argv[j]);
    if (sc === undefined) c.replyNull();
    else c.replyDouble(sc);
  }
}

function zrank(c: Client, argv: string[], reverse: boolean): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyNull(); return; }
  if (wrongType(c, o, 'zset')) return;
  const z = o as RZSet;
  const sc = z.score(argv[2]);
  if (sc === undefined) { c.replyNull(); return; }
  const rank = z.zsl.getRank(sc, argv[2]);
  c.replyInt(reverse ? z.length - rank : rank - 1);
}

function zcount(c: Client, argv: string[]): void {
  const range = parseScoreRange(argv[2], argv[3]);
  if (!range) { c.replyError('min or max is not a float'); return; }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'zset')) return;
  const z = o as RZSet;
  c.replyInt(countInRange(z, z.zsl.firstInRange(range), z.zsl.lastInRange(range)));
}

function zlexcount(c: Client, argv: string[]): void {
  const range = parseLexRange(argv[2], argv[3]);
  if (!range) { c.replyError('min or max not valid string range item'); return; }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'zset')) return;
  const z = o as RZSet;
  c.replyInt(lexCount(z, range));
}

type RangeType = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

function zremrange(c: Client, argv: string[], type: 'rank' | 'score' | 'lex'): void {
  const db = c.db, s = c.server, key = argv[1];
  let start = 0, end = 0;
  let nodes: SkipNode[] = [];
  const scoreRange = type === 'score' ? parseScoreRange(argv[2], argv[3]) : null;
  const lexRange = type === 'lex' ? parseLexRange(argv[2], argv[3]) : null;
  if (type === 'rank') {
    const a = getLongLongOrReply(c, argv[2]);
    if (a === null) return;
    const b = getLongLongOrReply(c, argv[3]);
    if (b === null) return;
    start = a; end = b;
  } else if (type === 'score' && !scoreRange) {
    c.replyError('min or max is not a float');
    return;
  } else if (type === 'lex' && !lexRange) {
    c.replyError('min or max not valid string range item');
    return;
  }
  const o = db.lookupWrite(key);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'zset')) return;
  const z = o as RZSet;
  if (type === 'rank') {
    const len = z.length;
    if (start < 0) start = len + start;
    if (end < 0) end = len + end;
    if (start < 0) start = 0;
    if (start > end || start >= len) { c.replyInt(0); return; }
    if (end >= len) end = len - 1;
    nodes = nodesByRank(z, start, end, false);
  } else if (type === 'score') {
    nodes = nodesByScore(z, scoreRange!, 0, -1, false);
  } else {
    nodes = nodesByLex(z, lexRange!, 0, -1, false);
  }
  const members = nodes.map((n) => n.member);
  for (const m of members) z.delete(m);
  let keyRemoved = false;
  if (z.length === 0) { db.delete(key); keyRemoved = true; }
  const deleted = members.length;
  if (deleted) {
    s.signalModifiedKey(db, key);
    s.notifyKeyspaceEvent('z', `zremrangeby${type}`, key, db.id);
    if (keyRemoved) s.notifyKeyspaceEvent('g', 'del', key, db.id);
  }
  s.dirty += deleted;
  c.replyInt(deleted);
}

// ---- the ZRANGE family -----------------------------------------------------------------------

/**
 * zrangeGenericCommand: ZRANGE/ZRANGESTORE (`auto` type and direction, chosen by BYSCORE/BYLEX/
 * REV) and the fixed-mode legacy commands. `argStart` is the index of the source key.
 */
function zrangeGeneric(c: Client, argv: string[], argStart: number, store: boolean, rangeType: RangeType, direction: Direction): void {
  const key = argv[argStart];
  let minIdx = argStart + 1, maxIdx = argStart + 2;
  let withScores = false, offset = 0, limit = -1;
  for (let j = argStart + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (!store && optEq(a, 'withscores')) {
      withScores = true;
    } else if (optEq(a, 'limit') && left >= 2) {
      const off = getLongLongOrReply(c, argv[j + 1]);
      if (off === null) return;
      const lim = getLongLongOrReply(c, argv[j + 2]);
      if (lim === null) return;
      offset = off; limit = lim;
      j += 2;
    } else if (direction === 'auto' && optEq(a, 'rev')) {
      direction = 'reverse';
    } else if (rangeType === 'auto' && optEq(a, 'bylex')) {
      rangeType = 'lex';
    } else if (rangeType === 'auto' && optEq(a, 'byscore')) {
      rangeType = 'score';
    } else {
      c.replySyntaxError();
      return;
    }
  }
  if (direction === 'auto') direction = 'forward';
  if (rangeType === 'auto') rangeType = 'rank';
  if (limit !== -1 && rangeType === 'rank') {
    c.replyError('syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    return;
  }
  if (withScores && rangeType === 'lex') {
    c.replyError('syntax error, WITHSCORES not supported in combination with BYLEX');
    return;
  }
  const reverse = direction === 'reverse';
  if (reverse && rangeType !== 'rank') [minIdx, maxIdx] = [maxIdx, minIdx];

  let start = 0, end = 0;
  const scoreRange = rangeType === 'score' ? parseScoreRange(argv[minIdx], argv[maxIdx]) : null;
  const lexRange = rangeType === 'lex' ? parseLexRange(argv[minIdx], argv[maxIdx]) : null;
  if (rangeType === 'rank') {
    const a = getLongLongOrReply(c, argv[minIdx]);
    if (a === null) return;
    const b = getLongLongOrReply(c, argv[maxIdx]);
    if (b === null) return;
    start = a; end = b;
  } else if (rangeType === 'score' && !scoreRange) {
    c.replyError('min or max is not a float');
    return;
  } else if (rangeType === 'lex' && !lexRange) {
    c.replyError('min or max not valid string range item');
    return;
  }

  const o = c.db.lookupRead(key);
  if (o === undefined) {
    if (store) storeRange(c, argv[1], [], -1);
    else c.replyArrayLen(0);
    return;
  }
  if (wrongType(c, o, 'zset')) return;
  const z = o as RZSet;
  let nodes: SkipNode[];
  let lengthHint = -1;
  if (rangeType === 'rank') {
    const len = z.length;
    if (start < 0) start = len + start;
    if (end < 0) end = len + end;
    if (start < 0) start = 0;
    if (start > end || start >= len) {
      nodes = [];
      lengthHint = 0;
    } else {
      if (end >= len) end = len - 1;
      nodes = nodesByRank(z, start, end, reverse);
      lengthHint = nodes.length;
    }
  } else if (rangeType === 'score') {
    nodes = nodesByScore(z, scoreRange!, offset, limit, reverse);
  } else {
    nodes = nodesByLex(z, lexRange!, offset, limit, reverse);
  }
  if (store) storeRange(c, argv[1], nodes, lengthHint);
  else replyNodes(c, nodes, withScores);
}

/**
 * The ZRANGESTORE result handler: the destination starts as a skiplist only when the rank range
 * is known to be longer than zset-max-listpack-entries, otherwise as a listpack that converts
 * while members are added (which is why a -0 score may or may not survive, as in Redis).
 */
function storeRange(c: Client, dstKey: string, nodes: SkipNode[], lengthHint: number): void {
  const s = c.server, lim = zsetLimits(c);
  const dst = new RZSet();
  if (lengthHint > lim.maxEntries) dst.encoding = 'skiplist';
  for (const n of nodes) zsetAdd(dst, n.score, n.member, 0, lim);
  if (nodes.length) {
    setKey(c, dstKey, dst, true);
    c.replyInt(nodes.length);
    s.notifyKeyspaceEvent('z', 'zrangestore', dstKey, c.db.id);
    s.dirty++;
  } else {
    c.replyInt(0);
    deleteStoreDestination(c, dstKey);
  }
}

// ---- ZRANDMEMBER -----------------------------------------------------------------------------

const ZRANDMEMBER_SUB_STRATEGY_MUL = 3;

function randomNode(c: Client, z: RZSet): SkipNode {
  return z.zsl.getByRank(1 + Math.floor(c.server.os.random() * z.length))!;
}

function zrandmember(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const l = getSymmetricLongOrReply(c, argv[2]);
    if (l === null) return;
    let withScores = false;
    if (argv.length > 4 || (argv.length === 4 && !optEq(argv[3], 'withscores'))) { c.replySyntaxError(); return; }
    if (argv.length === 4) {
      withScores = true;
      if (l < -4611686018427387903n || l > 4611686018427387903n) { c.replyError('value is out of range'); return; }
    }
    zrandmemberWithCount(c, argv[1], l, withScores);
    return;
  }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyNull(); return; }
  if (wrongType(c, o, 'zset')) return;
  c.replyBulk(randomNode(c, o as RZSet).member);
}

function zrandmemberWithCount(c: Client, key: string, l: bigint, withScores: boolean): void {
  const o = c.db.lookupRead(key);
  if (o === undefined) { c.replyArrayLen(0); return; }
  if (wrongType(c, o, 'zset')) return;
  const z = o as RZSet;
  const size = z.length;
  const uniq = l >= 0n;
  const count = Number(uniq ? l : -l);
  if (count === 0) { c.replyArrayLen(0); return; }
  const emit = (n: SkipNode) => {
    if (withScores && c.resp > 2) c.replyArrayLen(2);
    c.replyBulk(n.member);
    if (withScores) c.replyDouble(n.score);
  };
  // Case 1: repetitions allowed (or a single member): independent draws.
  if (!uniq || count === 1) {
    c.replyArrayLen(withScores && c.resp === 2 ? count * 2 : count);
    for (let i = 0; i < count; i++) {
      emit(randomNode(c, z));
      if (c.closeAsap) break;
    }
    return;
  }
  const replySize = Math.min(count, size);
  c.replyArrayLen(withScores && c.resp === 2 ? replySize * 2 : replySize);
  // Case 2: the whole set, walked like zuiNext does: from the highest score down.
  if (count >= size) {
    for (let n = z.zsl.tail; n; n = n.backward) emit(n);
    return;
  }
  const random = () => c.server.os.random();
  if (count * ZRANDMEMBER_SUB_STRATEGY_MUL > size) {
    // Case 3: copy everything, drop random members until `count` remain (hash order).
    const all = [...z.zsl];
    for (let n = all.length; n > count; n--) {
      const i = Math.floor(random() * n);
      all[i] = all[n - 1];
      all.pop();
    }
    for (const n of all) emit(n);
    return;
  }
  // Case 4: draw distinct ranks. A listpack hands them back in listpack (sorted) order.
  const ranks = new Set<number>();
  while (ranks.size < count) ranks.add(1 + Math.floor(random() * size));
  const order = [...ranks];
  if (z.encoding === 'listpack') order.sort((a, b) => a - b);
  for (const r of order) emit(z.zsl.getByRank(r)!);
}

// ---- ZSCAN -----------------------------------------------------------------------------------

function zscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]);
  if (cursor === null) { c.replyError('invalid cursor'); return; }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { replyEmptyScan(c); return; }
  if (wrongType(c, o, 'zset')) return;
  const opts = parseCollectionScanOptions(c, argv);
  if (!opts) return;
  const z = o as RZSet;
  const out: string[] = [];
  let next = 0;
  const match = (m: string) => opts.pattern === null || stringMatch(opts.pattern, m);
  if (z.encoding === 'listpack') {
    for (const n of z.zsl) if (match(n.member)) out.push(n.member, listpackScoreString(n.score));
  } else {
    const r = scanCursorsFor(z).step(cursor, opts.count, () => z.dict.keys());
    next = r.next;
    for (const m of r.batch) {
      const sc = z.score(m);
      if (sc !== undefined && match(m)) out.push(m, fmtG17(sc));
    }
  }
  replyScan(c, next, out);
}

// ---- command table ---------------------------------------------------------------------------

const W = ['write', 'denyoom'] as const;
const key = (name = 'key'): ArgDoc => ({ name, type: 'key' });
const scoreRangeArgs: ArgDoc[] = [key(), { name: 'min', type: 'double' }, { name: 'max', type: 'double' }];
const limitArg: ArgDoc = { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, args: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] };
const withScoresArg: ArgDoc = { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true };
const numkeysArgs: ArgDoc[] = [{ name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', multiple: true }];
/** After a destination (key spec 0) the source keys are key spec 1. */
const storeNumkeysArgs: ArgDoc[] = [{ name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', keySpecIndex: 1, multiple: true }];
const algebraOpts: ArgDoc[] = [
  { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
  { name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true, args: [
    { name: 'sum', type: 'pure-token', token: 'SUM' }, { name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] },
];
/** Key specs (Redis 7.0.15's): how each command touches its sorted sets. */
const remove: KeySpec[] = [keySpecRange(1, 0, 1, ['RW', 'delete'])];
const pop: KeySpec[] = [keySpecRange(1, 0, 1, ['RW', 'access', 'delete'])];
const blockingPop: KeySpec[] = [keySpecRange(1, -2, 1, ['RW', 'access', 'delete'])];
const numkeysRead: KeySpec[] = [keySpecKeynum(1, 0, 1, 1, ['RO', 'access'])];
const numkeysStore: KeySpec[] = [keySpecRange(1, 0, 1, ['OW', 'update']), keySpecKeynum(2, 0, 1, 1, ['RO', 'access'])];
/** The range commands ZRANGE's options replaced in 6.2.0 (COMMAND DOCS deprecation, Redis's words). */
const deprecated = (replacedBy: string): Partial<CommandSpec> => ({ docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy });
const doubleTimeout: [string, string] = ['6.0.0', '`timeout` is interpreted as a double instead of an integer.'];
const minMaxArg: ArgDoc = { name: 'where', type: 'oneof', args: [{ name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] };

export const zsetCommands: CommandSpec[] = [
  cmd('zadd', -4, [...W, 'fast'], [1, 1, 1], {
    ...G, since: '1.2.0', summary: 'Add members with scores to a sorted set, or update their scores.', complexity: 'O(log(N)) for each member added or updated.',
    args: [key(),
      { name: 'condition', type: 'oneof', optional: true, since: '3.0.2', args: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }] },
      { name: 'comparison', type: 'oneof', optional: true, since: '6.2.0', args: [{ name: 'gt', type: 'pure-token', token: 'GT' }, { name: 'lt', type: 'pure-token', token: 'LT' }] },
      { name: 'change', type: 'pure-token', token: 'CH', optional: true, since: '3.0.2' },
      { name: 'increment', type: 'pure-token', token: 'INCR', optional: true, since: '3.0.2' },
      { name: 'score_member', type: 'block', multiple: true, args: [{ name: 'score', type: 'double' }, { name: 'member', type: 'string' }] }],
  }, (c, a) => zaddGeneric(c, a, 0), {
    history: [['2.4.0', 'Accepts multiple elements.'], ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'], ['6.2.0', 'Added the `GT` and `LT` options.']],
  }),
  cmd('zincrby', 4, [...W, 'fast'], [1, 1, 1], { ...G, since: '1.2.0', summary: 'Add to the score of a member of a sorted set.', complexity: 'O(log(N))', args: [key(), { name: 'increment', type: 'integer' }, { name: 'member', type: 'string' }] }, (c, a) => zaddGeneric(c, a, ZADD_INCR), { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])] }),
  cmd('zrem', -3, ['write', 'fast'], [1, 1, 1], { ...G, since: '1.2.0', summary: 'Remove members from a sorted set; an emptied set is deleted.', complexity: 'O(M*log(N)) for M members removed.', args: [key(), { name: 'member', type: 'string', multiple: true }] }, zrem, { keySpecs: remove, history: [['2.4.0', 'Accepts multiple elements.']] }),
  cmd('zcard', 2, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '1.2.0', summary: 'Return the number of members of a sorted set.', complexity: 'O(1)', args: [key()] }, zcard, { keySpecs: [keySpecRange(1, 0, 1, ['RO'])] }),
  cmd('zscore', 3, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '1.2.0', summary: 'Return the score of a member.', complexity: 'O(1)', args: [key(), { name: 'member', type: 'string' }] }, zscore),
  cmd('zmscore', -3, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '6.2.0', summary: 'Return the scores of several members.', complexity: 'O(N) for N members.', args: [key(), { name: 'member', type: 'string', multiple: true }] }, zmscore),
  cmd('zrank', 3, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Return the 0-based position of a member, lowest score first.', complexity: 'O(log(N))', args: [key(), { name: 'member', type: 'string' }] }, (c, a) => zrank(c, a, false)),
  cmd('zrevrank', 3, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Return the 0-based position of a member, highest score first.', complexity: 'O(log(N))', args: [key(), { name: 'member', type: 'string' }] }, (c, a) => zrank(c, a, true)),
  cmd('zcount', 4, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Count the members with scores in a range.', complexity: 'O(log(N))', args: scoreRangeArgs }, zcount),
  cmd('zlexcount', 4, ['readonly', 'fast'], [1, 1, 1], { ...G, since: '2.8.9', summary: 'Count the members in a lexicographical range (equal scores assumed).', complexity: 'O(log(N))', args: [key(), { name: 'min', type: 'string' }, { name: 'max', type: 'string' }] }, zlexcount),
  cmd('zrange', -4, ['readonly'], [1, 1, 1], {
    ...G, since: '1.2.0', summary: 'Return a range of members by rank, score or lexicographical order.', complexity: 'O(log(N)+M) with M the number of members returned.',
    args: [key(), { name: 'start', type: 'string' }, { name: 'stop', type: 'string' },
      { name: 'sortby', type: 'oneof', optional: true, since: '6.2.0', args: [{ name: 'byscore', type: 'pure-token', token: 'BYSCORE' }, { name: 'bylex', type: 'pure-token', token: 'BYLEX' }] },
      { name: 'rev', type: 'pure-token', token: 'REV', optional: true, since: '6.2.0' }, { ...limitArg, since: '6.2.0' }, withScoresArg],
  }, (c, a) => zrangeGeneric(c, a, 1, false, 'auto', 'auto'), { history: [['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.']] }),
  cmd('zrangestore', -5, [...W], [1, 2, 1], {
    ...G, since: '6.2.0', summary: 'Store a range of a sorted set in another key.', complexity: 'O(log(N)+M) with M the number of members stored.',
    args: [key('dst'), { name: 'src', type: 'key', keySpecIndex: 1 }, { name: 'min', type: 'string' }, { name: 'max', type: 'string' },
      { name: 'sortby', type: 'oneof', optional: true, args: [{ name: 'byscore', type: 'pure-token', token: 'BYSCORE' }, { name: 'bylex', type: 'pure-token', token: 'BYLEX' }] },
      { name: 'rev', type: 'pure-token', token: 'REV', optional: true }, limitArg],
  }, (c, a) => zrangeGeneric(c, a, 2, true, 'auto', 'auto'), { keySpecs: [keySpecRange(1, 0, 1, ['OW', 'update']), keySpecRange(2, 0, 1, ['RO', 'access'])] }),
  cmd('zrevrange', -4, ['readonly'], [1, 1, 1], { ...G, since: '1.2.0', summary: 'Return a range of members by rank, highest score first.', complexity: 'O(log(N)+M) with M the number of members returned.', args: [key(), { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }, withScoresArg] }, (c, a) => zrangeGeneric(c, a, 1, false, 'rank', 'reverse'), deprecated('`ZRANGE` with the `REV` argument')),
  cmd('zrangebyscore', -4, ['readonly'], [1, 1, 1], { ...G, since: '1.0.5', summary: 'Return the members with scores in a range, lowest first.', complexity: 'O(log(N)+M) with M the number of members returned.', args: [...scoreRangeArgs, { ...withScoresArg, since: '2.0.0' }, limitArg] }, (c, a) => zrangeGeneric(c, a, 1, false, 'score', 'forward'), {
    ...deprecated('`ZRANGE` with the `BYSCORE` argument'), history: [['2.0.0', 'Added the `WITHSCORES` modifier.']],
  }),
  cmd('zrevrangebyscore', -4, ['readonly'], [1, 1, 1], { ...G, since: '2.2.0', summary: 'Return the members with scores in a range, highest first.', complexity: 'O(log(N)+M) with M the number of members returned.', args: [key(), { name: 'max', type: 'double' }, { name: 'min', type: 'double' }, withScoresArg, limitArg] }, (c, a) => zrangeGeneric(c, a, 1, false, 'score', 'reverse'), {
    ...deprecated('`ZRANGE` with the `REV` and `BYSCORE` arguments'), history: [['2.1.6', '`min` and `max` can be exclusive.']],
  }),
  cmd('zrangebylex', -4, ['readonly'], [1, 1, 1], { ...G, since: '2.8.9', summary: 'Return the members in a lexicographical range.', complexity: 'O(log(N)+M) with M the number of members returned.', args: [key(), { name: 'min', type: 'string' }, { name: 'max', type: 'string' }, limitArg] }, (c, a) => zrangeGeneric(c, a, 1, false, 'lex', 'forward'), deprecated('`ZRANGE` with the `BYLEX` argument')),
  cmd('zrevrangebylex', -4, ['readonly'], [1, 1, 1], { ...G, since: '2.8.9', summary: 'Return the members in a lexicographical range, in reverse order.', complexity: 'O(log(N)+M) with M the number of members returned.', args: [key(), { name: 'max', type: 'string' }, { name: 'min', type: 'string' }, limitArg] }, (c, a) => zrangeGeneric(c, a, 1, false, 'lex', 'reverse'), deprecated('`ZRANGE` with the `REV` and `BYLEX` arguments')),
  cmd('zremrangebyrank', 4, ['write'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Remove the members in a range of ranks.', complexity: 'O(log(N)+M) with M the number of members removed.', args: [key(), { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }] }, (c, a) => zremrange(c, a, 'rank'), { keySpecs: remove }),
  cmd('zremrangebyscore', 4, ['write'], [1, 1, 1], { ...G, since: '1.2.0', summary: 'Remove the members with scores in a range.', complexity: 'O(log(N)+M) with M the number of members removed.', args: scoreRangeArgs }, (c, a) => zremrange(c, a, 'score'), { keySpecs: remove }),
  cmd('zremrangebylex', 4, ['write'], [1, 1, 1], { ...G, since: '2.8.9', summary: 'Remove the members in a lexicographical range.', complexity: 'O(log(N)+M) with M the number of members removed.', args: [key(), { name: 'min', type: 'string' }, { name: 'max', type: 'string' }] }, (c, a) => zremrange(c, a, 'lex'), { keySpecs: remove }),
  cmd('zunion', -3, ['readonly'], [0, 0, 0], { ...G, since: '6.2.0', summary: 'Return the union of sorted sets.', complexity: 'O(N)+O(M*log(M)), N the total input size and M the result size.', args: [...numkeysArgs, ...algebraOpts, withScoresArg] }, (c, a) => zunionInterDiff(c, a, null, 1, 'union', false), { getKeys: numkeysKeys(1), keySpecs: numkeysRead }),
  cmd('zinter', -3, ['readonly'], [0, 0, 0], { ...G, since: '6.2.0', summary: 'Return the intersection of sorted sets.', complexity: 'O(N*K)+O(M*log(M)) worst case.', args: [...numkeysArgs, ...algebraOpts, withScoresArg] }, (c, a) => zunionInterDiff(c, a, null, 1, 'inter', false), { getKeys: numkeysKeys(1), keySpecs: numkeysRead }),
  cmd('zdiff', -3, ['readonly'], [0, 0, 0], { ...G, since: '6.2.0', summary: 'Return the members of the first sorted set that are in none of the others.', complexity: 'O(L + (N-K)log(N)) worst case.', args: [...numkeysArgs, withScoresArg] }, (c, a) => zunionInterDiff(c, a, null, 1, 'diff', false), { getKeys: numkeysKeys(1), keySpecs: numkeysRead }),
  cmd('zunionstore', -4, [...W], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Store the union of sorted sets in a key.', complexity: 'O(N)+O(M log(M)), N the total input size and M the result size.', args: [key('destination'), ...storeNumkeysArgs, ...algebraOpts] }, (c, a) => zunionInterDiff(c, a, a[1], 2, 'union', false), { getKeys: numkeysKeys(2, [1]), keySpecs: numkeysStore }),
  cmd('zinterstore', -4, [...W], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Store the intersection of sorted sets in a key.', complexity: 'O(N*K)+O(M*log(M)) worst case.', args: [key('destination'), ...storeNumkeysArgs, ...algebraOpts] }, (c, a) => zunionInterDiff(c, a, a[1], 2, 'inter', false), { getKeys: numkeysKeys(2, [1]), keySpecs: numkeysStore }),
  cmd('zdiffstore', -4, [...W], [1, 1, 1], { ...G, since: '6.2.0', summary: 'Store the difference of sorted sets in a key.', complexity: 'O(L + (N-K)log(N)) worst case.', args: [key('destination'), ...storeNumkeysArgs] }, (c, a) => zunionInterDiff(c, a, a[1], 2, 'diff', false), { getKeys: numkeysKeys(2, [1]), keySpecs: numkeysStore }),
  cmd('zintercard', -3, ['readonly'], [0, 0, 0], { ...G, since: '7.0.0', summary: 'Return the size of the intersection of sorted sets, optionally stopping at a limit.', complexity: 'O(N*K) worst case.', args: [...numkeysArgs, { name: 'limit', type: 'integer', token: 'LIMIT', optional: true }] }, (c, a) => zunionInterDiff(c, a, null, 1, 'inter', true), { getKeys: numkeysKeys(1), keySpecs: numkeysRead }),
  cmd('zpopmin', -2, ['write', 'fast'], [1, 1, 1], { ...G, since: '5.0.0', summary: 'Remove and return the members with the lowest scores.', complexity: 'O(log(N)*M) for M members popped.', args: [key(), { name: 'count', type: 'integer', optional: true }] }, (c, a) => zpopMinMax(c, a, 'min'), { keySpecs: pop }),
  cmd('zpopmax', -2, ['write', 'fast'], [1, 1, 1], { ...G, since: '5.0.0', summary: 'Remove and return the members with the highest scores.', complexity: 'O(log(N)*M) for M members popped.', args: [key(), { name: 'count', type: 'integer', optional: true }] }, (c, a) => zpopMinMax(c, a, 'max'), { keySpecs: pop }),
  cmd('zmpop', -4, ['write'], [0, 0, 0], { ...G, since: '7.0.0', summary: 'Pop members with the lowest or highest scores from the first non-empty sorted set.', complexity: 'O(K) + O(M*log(N)).', args: [...numkeysArgs, minMaxArg, { name: 'count', type: 'integer', token: 'COUNT', optional: true }] }, zmpop, { getKeys: numkeysKeys(1), keySpecs: [keySpecKeynum(1, 0, 1, 1, ['RW', 'access', 'delete'])] }),
  cmd('bzpopmin', -3, ['write', 'noscript', 'fast', 'blocking'], [1, -2, 1], { ...G, since: '5.0.0', summary: 'Pop the member with the lowest score, waiting for one if all sets are empty.', complexity: 'O(log(N))', args: [{ name: 'key', type: 'key', multiple: true }, { name: 'timeout', type: 'double' }] }, (c, a) => bzpop(c, a, 'min'), { keySpecs: blockingPop, history: [doubleTimeout] }),
  cmd('bzpopmax', -3, ['write', 'noscript', 'fast', 'blocking'], [1, -2, 1], { ...G, since: '5.0.0', summary: 'Pop the member with the highest score, waiting for one if all sets are empty.', complexity: 'O(log(N))', args: [{ name: 'key', type: 'key', multiple: true }, { name: 'timeout', type: 'double' }] }, (c, a) => bzpop(c, a, 'max'), { keySpecs: blockingPop, history: [doubleTimeout] }),
  cmd('bzmpop', -5, ['write', 'blocking'], [0, 0, 0], { ...G, since: '7.0.0', summary: 'Like ZMPOP, waiting for a non-empty sorted set when all are empty.', complexity: 'O(K) + O(M*log(N)).', args: [{ name: 'timeout', type: 'double' }, ...numkeysArgs, minMaxArg, { name: 'count', type: 'integer', token: 'COUNT', optional: true }] }, bzmpop, { getKeys: numkeysKeys(2), keySpecs: [keySpecKeynum(2, 0, 1, 1, ['RW', 'access', 'delete'])] }),
  cmd('zrandmember', -2, ['readonly'], [1, 1, 1], { ...G, since: '6.2.0', summary: 'Return random members of a sorted set; a negative count allows repeats.', complexity: 'O(N) where N is the number of members returned.', tips: ['nondeterministic_output'], args: [key(), { name: 'options', type: 'block', optional: true, args: [{ name: 'count', type: 'integer' }, withScoresArg] }] }, zrandmember),
  cmd('zscan', -3, ['readonly'], [1, 1, 1], { ...G, since: '2.8.0', summary: 'Iterate over the members and scores of a sorted set.', complexity: 'O(1) per call, O(N) for a full iteration.', tips: ['nondeterministic_output'], args: [key(), { name: 'cursor', type: 'integer' }, { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }] }, zscan),
];
