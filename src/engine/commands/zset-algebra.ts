/**
 * Sorted-set algebra (zunionInterDiffGenericCommand in t_zset.c): ZUNION, ZINTER, ZDIFF, their
 * STORE variants and ZINTERCARD. Inputs may be sorted sets or plain sets (whose members all
 * score 1).
 *
 * The algorithm, in Redis's order so that floating-point results match bit for bit:
 * - inputs are sorted by cardinality (stable, smallest first) for UNION and INTER;
 * - INTER walks the smallest input and aggregates the weighted score of each member found in
 *   every other input, in input order; a NaN product (0 × inf) starts as 0;
 * - UNION accumulates members input by input; SUM turns inf + -inf into 0;
 * - DIFF keeps the members of the first input found in no other (all of them gone if the first
 *   key is repeated).
 * A stored result is built as a skiplist and converted to a listpack when it is small enough
 * (zsetConvertToListpackIfNeeded), unlike ZADD which starts small and grows.
 */
import type { Client } from '../server/client';
import { RZSet, type RSet } from '../keyspace/values';
import { getDoubleOrReply, getLongLongOrReply, getPositiveLongOrReply, optEq } from './util';
import { deleteStoreDestination, setKey } from './collection-util';
import { zsetLimits } from './zset-core';

type Aggregate = 'sum' | 'min' | 'max';

interface Source { value: RZSet | RSet | null; weight: number }

function sourceLength(s: Source): number {
  if (!s.value) return 0;
  return s.value.type === 'zset' ? s.value.length : s.value.size;
}

/** Members and scores of an input, in its iteration order. */
function* sourceEntries(s: Source): Generator<[string, number]> {
  const v = s.value;
  if (!v) return;
  if (v.type === 'zset') {
    for (const n of v.zsl) yield [n.member, n.score];
  } else {
    for (const m of v.members()) yield [m, 1];
  }
}

function sourceFind(s: Source, member: string): number | undefined {
  const v = s.value;
  if (!v) return undefined;
  if (v.type === 'zset') return v.score(member);
  return v.has(member) ? 1 : undefined;
}

function aggregate(target: number, val: number, how: Aggregate): number {
  if (how === 'sum') {
    const r = target + val;
    return Number.isNaN(r) ? 0 : r;
  }
  if (how === 'min') return val < target ? val : target;
  return val > target ? val : target;
}

export function zunionInterDiff(c: Client, argv: string[], dstKey: string | null, numkeysIdx: number,
  op: 'union' | 'inter' | 'diff', cardinalityOnly: boolean): void {
  const setnum = getLongLongOrReply(c, argv[numkeysIdx]);
  if (setnum === null) return;
  if (setnum < 1) { c.replyError(`at least 1 input key is needed for '${c.cmd!.fullname}' command`); return; }
  if (setnum > argv.length - (numkeysIdx + 1)) { c.replySyntaxError(); return; }

  const src: Source[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const o = c.db.lookupRead(argv[j]);
    if (o !== undefined && (typeof o === 'string' || (o.type !== 'zset' && o.type !== 'set'))) {
      c.replyWrongType();
      return;
    }
    src.push({ value: (o as RZSet | RSet | undefined) ?? null, weight: 1 });
  }

  let how: Aggregate = 'sum';
  let withScores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining) {
    if (op !== 'diff' && !cardinalityOnly && remaining >= setnum + 1 && optEq(argv[j], 'weights')) {
      j++; remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = getDoubleOrReply(c, argv[j], 'weight value is not a float');
        if (w === null) return;
        src[i].weight = w;
      }
    } else if (op !== 'diff' && !cardinalityOnly && remaining >= 2 && optEq(argv[j], 'aggregate')) {
      j++; remaining--;
      const a = argv[j];
      if (optEq(a, 'sum')) how = 'sum';
      else if (optEq(a, 'min')) how = 'min';
      else if (optEq(a, 'max')) how = 'max';
      else { c.replySyntaxError(); return; }
      j++; remaining--;
    } else if (remaining >= 1 && dstKey === null && !cardinalityOnly && optEq(argv[j], 'withscores')) {
      j++; remaining--;
      withScores = true;
    } else if (cardinalityOnly && remaining >= 2 && optEq(argv[j], 'limit')) {
      j++; remaining--;
      const l = getPositiveLongOrReply(c, argv[j], "LIMIT can't be negative");
      if (l === null) return;
      limit = l;
      j++; remaining--;
    } else {
      c.replySyntaxError();
      return;
    }
  }

  if (op !== 'diff') src.sort((a, b) => sourceLength(a) - sourceLength(b));

  const dst = new RZSet();
  dst.encoding = 'skiplist';
  let cardinality = 0;
  if (op === 'inter') {
    if (sourceLength(src[0]) > 0) {
      for (const [member, sc] of sourceEntries(src[0])) {
        let score = src[0].weight * sc;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < src.length; k++) {
          if (src[k].value === src[0].value) {
            score = aggregate(score, sc * src[k].weight, how);
            continue;
          }
          const found = sourceFind(src[k], member);
          if (found === undefined) break;
          score = aggregate(score, found * src[k].weight, how);
        }
        if (k !== src.length) continue;
        if (cardinalityOnly) {
          cardinality++;
          if (limit && cardinality >= limit) break;
        } else {
          dst.set(member, score);
        }
      }
    }
  } else if (op === 'union') {
    const acc = new Map<string, number>();
    for (const s of src) {
      if (sourceLength(s) === 0) continue;
      for (const [member, sc] of sourceEntries(s)) {
        let score = s.weight * sc;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(member);
        acc.set(member, cur === undefined ? score : aggregate(cur, score, how));
      }
    }
    for (const [member, score] of acc) dst.set(member, score);
  } else if (sourceLength(src[0]) > 0 && !src.slice(1).some((s) => s.value === src[0].value)) {
    for (const [member, sc] of sourceEntries(src[0])) {
      if (!src.slice(1).some((s) => sourceFind(s, member) !== undefined)) dst.set(member, sc);
    }
  }

  if (dstKey !== null) {
    const s = c.server;
    if (dst.length) {
      const lim = zsetLimits(c);
      const { max, total } = dst.memberLengths();
      if (dst.length <= lim.maxEntries && max <= lim.maxValue && total <= 2 ** 30) dst.convert('listpack');
      setKey(c, dstKey, dst, true);
      c.replyInt(dst.length);
      s.notifyKeyspaceEvent('z', op === 'union' ? 'zunionstore' : op === 'inter' ? 'zinterstore' : 'zdiffstore', dstKey, c.db.id);
      s.dirty++;
    } else {
      c.replyInt(0);
      deleteStoreDestination(c, dstKey);
    }
  } else if (cardinalityOnly) {
    c.replyInt(cardinality);
  } else {
    c.replyArrayLen(withScores && c.resp === 2 ? dst.length * 2 : dst.length);
    for (const n of dst.zsl) {
      if (withScores && c.resp > 2) c.replyArrayLen(2);
      c.replyBulk(n.member);
      if (withScores) c.replyDouble(n.score);
    }
  }
}
