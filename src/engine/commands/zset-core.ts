/**
 * Sorted-set building blocks shared by the zset commands (t_zset.c): zsetAdd with its
 * NX/XX/GT/LT/INCR semantics and listpack → skiplist conversion, score and lex range parsing
 * with Redis's exact acceptance rules, and range selection over the skiplist.
 *
 * Score ranges go through C strtod (so " 1", "" and "1e999" are accepted, NaN is not), lex
 * range items must start with '[' or '(' or be exactly '-' or '+' (compared as C strings).
 */
import type { Client } from '../server/client';
import { RZSet } from '../keyspace/values';
import type { LexRange, ScoreRange, SkipNode } from '../keyspace/skiplist';
import { valueGteMin, valueLteMax, lexGteMin, lexLteMax } from '../keyspace/skiplist';
import { strtodWhole } from '../util/strtod';
import { fmtG17 } from '../util/numbers';

export interface ZsetLimits { maxEntries: number; maxValue: number }

export function zsetLimits(c: Client): ZsetLimits {
  const cfg = c.server.config;
  return { maxEntries: cfg.get<number>('zset-max-listpack-entries'), maxValue: cfg.get<number>('zset-max-listpack-value') };
}

/** ZADD's choice for a new key: skiplist right away if the first member could never fit a listpack. */
export function createZsetFor(firstMember: string, lim: ZsetLimits): RZSet {
  const z = new RZSet();
  if (lim.maxEntries === 0 || lim.maxValue < firstMember.length) z.encoding = 'skiplist';
  return z;
}

export const ZADD_INCR = 1, ZADD_NX = 2, ZADD_XX = 4, ZADD_GT = 8, ZADD_LT = 16;

export interface ZaddResult { nan: boolean; added: boolean; updated: boolean; nop: boolean; newScore: number }

/**
 * zsetAdd(): add or update one member. `nan` means the (incremented) score is NaN and nothing
 * changed. A listpack converts to a skiplist before an insert that would exceed the entry count
 * or hold a member longer than zset-max-listpack-value.
 */
export function zsetAdd(z: RZSet, score: number, member: string, flags: number, lim: ZsetLimits): ZaddResult {
  const r: ZaddResult = { nan: false, added: false, updated: false, nop: false, newScore: score };
  if (Number.isNaN(score)) { r.nan = true; return r; }
  const cur = z.score(member);
  if (cur !== undefined) {
    if (flags & ZADD_NX) { r.nop = true; return r; }
    if (flags & ZADD_INCR) {
      score += cur;
      if (Number.isNaN(score)) { r.nan = true; return r; }
    }
    if ((flags & ZADD_LT && score >= cur) || (flags & ZADD_GT && score <= cur)) { r.nop = true; return r; }
    r.newScore = score;
    if (score !== cur) {
      z.set(member, score);
      r.updated = true;
    }
    return r;
  }
  if (flags & ZADD_XX) { r.nop = true; return r; }
  if (z.encoding === 'listpack' && (z.length + 1 > lim.maxEntries || member.length > lim.maxValue)) z.convert('skiplist');
  z.set(member, score);
  r.added = true;
  return r;
}

/** zslParseRange: "(1.5" is exclusive; null when Redis says "min or max is not a float". */
export function parseScoreRange(min: string, max: string): ScoreRange | null {
  const a = parseScoreItem(min), b = parseScoreItem(max);
  if (!a || !b) return null;
  return { min: a.v, minex: a.ex, max: b.v, maxex: b.ex };
}

function parseScoreItem(s: string): { v: number; ex: boolean } | null {
  const ex = s.charCodeAt(0) === 40; // '('
  const v = strtodWhole(ex ? s.slice(1) : s);
  return v === null ? null : { v, ex };
}

/** zslParseLexRange; null when Redis says "min or max not valid string range item". */
export function parseLexRange(min: string, max: string): LexRange | null {
  const a = parseLexItem(min), b = parseLexItem(max);
  if (!a || !b) return null;
  return { min: a.s, minex: a.ex, minInf: a.inf, max: b.s, maxex: b.ex, maxInf: b.inf };
}

function parseLexItem(s: string): { s: string; ex: boolean; inf?: -1 | 1 } | null {
  const c0 = s.length ? s[0] : '\0';
  const alone = s.length === 1 || s[1] === '\0';
  switch (c0) {
    case '+': return alone ? { s: '', ex: true, inf: 1 } : null;
    case '-': return alone ? { s: '', ex: true, inf: -1 } : null;
    case '(': return { s: s.slice(1), ex: true };
    case '[': return { s: s.slice(1), ex: false };
    default: return null;
  }
}

/** Nodes at ranks [start, end] (0-based, already clamped), in forward or reverse order. */
export function nodesByRank(z: RZSet, start: number, end: number, reverse: boolean): SkipNode[] {
  const out: SkipNode[] = [];
  const len = z.length;
  let n = reverse ? z.zsl.getByRank(len - start) : z.zsl.getByRank(start + 1);
  for (let i = start; i <= end && n; i++) {
    out.push(n);
    n = reverse ? n.backward : n.forward[0];
  }
  return out;
}

/**
 * Nodes in a score range with LIMIT semantics: skip `offset` nodes (a negative offset skips
 * everything, as the C loop `while (ln && offset--)` does), then take up to `limit` (negative
 * means no limit).
 */
export function nodesByScore(z: RZSet, range: ScoreRange, offset: number, limit: number, reverse: boolean): SkipNode[] {
  const out: SkipNode[] = [];
  if (offset > 0 && offset >= z.length) return out;
  let n = reverse ? z.zsl.lastInRange(range) : z.zsl.firstInRange(range);
  if (offset < 0) return out;
  while (n && offset-- > 0) n = reverse ? n.backward : n.forward[0];
  while (n && limit-- !== 0) {
    if (reverse ? !valueGteMin(n.score, range) : !valueLteMax(n.score, range)) break;
    out.push(n);
    n = reverse ? n.backward : n.forward[0];
  }
  return out;
}

/** Nodes in a lex range, same LIMIT semantics as nodesByScore. */
export function nodesByLex(z: RZSet, range: LexRange, offset: number, limit: number, reverse: boolean): SkipNode[] {
  const out: SkipNode[] = [];
  let n = reverse ? lastInLex(z, range) : firstInLex(z, range);
  if (offset < 0) return out;
  while (n && offset-- > 0) n = reverse ? n.backward : n.forward[0];
  while (n && limit-- !== 0) {
    if (reverse ? !lexGteMin(n.member, range) : !lexLteMax(n.member, range)) break;
    out.push(n);
    n = reverse ? n.backward : n.forward[0];
  }
  return out;
}

/** sdscmplex between two range items ('-'/'+' are the infinities, equal to themselves). */
function cmpLexItems(a: string, aInf: -1 | 1 | undefined, b: string, bInf: -1 | 1 | undefined): number {
  if (aInf !== undefined && aInf === bInf) return 0;
  if (aInf === -1 || bInf === 1) return -1;
  if (aInf === 1 || bInf === -1) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * zslIsInLexRange / zzlIsInLexRange: false for a range that is empty by construction, or when
 * the last member is below min or the first member above max. Lex ranges are only meaningful
 * when all scores are equal; with mixed scores this early exit is observable, so keep it.
 */
export function isInLexRange(z: RZSet, r: LexRange): boolean {
  const cmp = cmpLexItems(r.min, r.minInf, r.max, r.maxInf);
  if (cmp > 0 || (cmp === 0 && (r.minex || r.maxex))) return false;
  const tail = z.zsl.tail, head = z.zsl.first();
  if (!tail || !lexGteMin(tail.member, r)) return false;
  if (!head || !lexLteMax(head.member, r)) return false;
  return true;
}

/**
 * First node in a lex range. A listpack is scanned linearly from the head (zzlFirstInLexRange),
 * a skiplist is descended; the two only differ when scores are mixed.
 */
export function firstInLex(z: RZSet, r: LexRange): SkipNode | null {
  if (!isInLexRange(z, r)) return null;
  if (z.encoding === 'skiplist') return z.zsl.firstInLexRange(r);
  for (let n = z.zsl.first(); n; n = n.forward[0]) {
    if (lexGteMin(n.member, r)) return lexLteMax(n.member, r) ? n : null;
  }
  return null;
}

/** Last node in a lex range (linear from the tail for a listpack). */
export function lastInLex(z: RZSet, r: LexRange): SkipNode | null {
  if (!isInLexRange(z, r)) return null;
  if (z.encoding === 'skiplist') return z.zsl.lastInLexRange(r);
  for (let n = z.zsl.tail; n; n = n.backward) {
    if (lexLteMax(n.member, r)) return lexGteMin(n.member, r) ? n : null;
  }
  return null;
}

/** ZLEXCOUNT: a listpack counts forward from the first match; a skiplist subtracts ranks. */
export function lexCount(z: RZSet, r: LexRange): number {
  const first = firstInLex(z, r);
  if (!first) return 0;
  if (z.encoding === 'listpack') {
    let count = 0;
    for (let n: SkipNode | null = first; n && lexLteMax(n.member, r); n = n.forward[0]) count++;
    return count;
  }
  return countInRange(z, first, lastInLex(z, r));
}

/** Number of nodes in a score range (ZCOUNT), from ranks like Redis does on a skiplist. */
export function countInRange(z: RZSet, first: SkipNode | null, last: SkipNode | null): number {
  if (!first || !last) return 0;
  return z.zsl.getRank(last.score, last.member) - z.zsl.getRank(first.score, first.member) + 1;
}

/**
 * A score as a listpack stores it (what ZSCAN shows for listpack sets): an integer when the
 * double converts to a long long losslessly within ±LLONG_MAX/2, otherwise "%.17g".
 */
export function listpackScoreString(d: number): string {
  if (Number.isInteger(d) && Math.abs(d) <= 4611686018427387904) {
    if (d === 0) return '0';
    return Math.abs(d) <= Number.MAX_SAFE_INTEGER ? String(d) : BigInt(d).toString();
  }
  return fmtG17(d);
}

/** Write a list of nodes as ZRANGE does: flat in RESP2, [member, score] pairs in RESP3. */
export function replyNodes(c: Client, nodes: SkipNode[], withScores: boolean): void {
  c.replyArrayLen(withScores && c.resp === 2 ? nodes.length * 2 : nodes.length);
  for (const n of nodes) {
    if (withScores && c.resp > 2) c.replyArrayLen(2);
    c.replyBulk(n.member);
    if (withScores) c.replyDouble(n.score);
  }
}
