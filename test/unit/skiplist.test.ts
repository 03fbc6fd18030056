import { describe, it, expect } from 'vitest';
import { SkipList, type SkipNode, type ScoreRange, type LexRange } from '../../src/engine/keyspace/skiplist';

/** A tiny deterministic PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Entry = { score: number; member: string };
const cmp = (a: Entry, b: Entry) => (a.score - b.score) || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0);

/** Check every structural invariant: order, spans, backward links, tail, length. */
function checkInvariants(zsl: SkipList): void {
  const nodes: SkipNode[] = [...zsl];
  expect(nodes.length).toBe(zsl.length);
  for (let i = 1; i < nodes.length; i++) expect(cmp(nodes[i - 1], nodes[i])).toBeLessThan(0);
  expect(zsl.tail).toBe(nodes.length ? nodes[nodes.length - 1] : null);
  for (let i = 0; i < nodes.length; i++) expect(nodes[i].backward).toBe(i === 0 ? null : nodes[i - 1]);
  const rankOf = new Map(nodes.map((n, i) => [n, i + 1]));
  for (let lvl = 0; lvl < zsl.level; lvl++) {
    let x: SkipNode = zsl.header;
    let rank = 0;
    while (x.forward[lvl]) {
      const next = x.forward[lvl]!;
      expect(x.span[lvl]).toBe(rankOf.get(next)! - rank);
      rank = rankOf.get(next)!;
      x = next;
    }
  }
}

describe('SkipList', () => {
  it('matches a sorted-array model under random inserts and deletes, with ranks and spans intact', () => {
    const rnd = prng(42);
    const zsl = new SkipList();
    const model: Entry[] = [];
    for (let step = 0; step < 3000; step++) {
      if (model.length && rnd() < 0.4) {
        const i = Math.floor(rnd() * model.length);
        const e = model.splice(i, 1)[0];
        expect(zsl.delete(e.score, e.member)).toBe(true);
      } else {
        const e = { score: Math.floor(rnd() * 50) - 25, member: `m${Math.floor(rnd() * 400)}` };
        if (model.some((m) => m.member === e.member)) continue;
        zsl.insert(e.score, e.member);
        model.push(e);
        model.sort(cmp);
      }
      if (step % 250 === 0) checkInvariants(zsl);
    }
    checkInvariants(zsl);
    model.forEach((e, i) => {
      expect(zsl.getRank(e.score, e.member)).toBe(i + 1);
      expect(zsl.getByRank(i + 1)!.member).toBe(e.member);
    });
    expect(zsl.getByRank(0)).toBeNull();
    expect(zsl.getByRank(model.length + 1)).toBeNull();
    expect(zsl.getRank(999, 'nope')).toBe(0);
    expect(zsl.delete(999, 'nope')).toBe(false);
  });

  it('delete needs the exact (score, member) pair', () => {
    const zsl = new SkipList();
    zsl.insert(1, 'a');
    expect(zsl.delete(2, 'a')).toBe(false);
    expect(zsl.delete(1, 'b')).toBe(false);
    expect(zsl.delete(1, 'a')).toBe(true);
    expect(zsl.length).toBe(0);
    expect(zsl.tail).toBeNull();
    expect(zsl.first()).toBeNull();
  });

  it('orders equal scores by member bytes (memcmp), including NUL and 0xff', () => {
    const zsl = new SkipList();
    for (const m of ['b', 'a\0', '\xff', '', 'a', 'A', 'ab']) zsl.insert(1, m);
    expect([...zsl].map((n) => n.member)).toEqual(['', 'A', 'a', 'a\0', 'ab', 'b', '\xff']);
  });

  it('finds the first/last node of score ranges, with exclusive bounds and infinities', () => {
    const zsl = new SkipList();
    const scores = [-Infinity, 1, 1.5, 2, 2, 3, Infinity];
    scores.forEach((s, i) => zsl.insert(s, `m${i}`));
    const r = (min: number, max: number, minex = false, maxex = false): ScoreRange => ({ min, max, minex, maxex });
    expect(zsl.firstInRange(r(1, 2))!.member).toBe('m1');
    expect(zsl.lastInRange(r(1, 2))!.member).toBe('m4');
    expect(zsl.firstInRange(r(1, 2, true))!.member).toBe('m2');
    expect(zsl.lastInRange(r(1, 2, false, true))!.member).toBe('m2');
    expect(zsl.firstInRange(r(2, 1))).toBeNull();
    expect(zsl.firstInRange(r(1.5, 1.5, true))).toBeNull();
    expect(zsl.firstInRange(r(-Infinity, Infinity))!.member).toBe('m0');
    expect(zsl.lastInRange(r(-Infinity, Infinity))!.member).toBe('m6');
    expect(zsl.firstInRange(r(-Infinity, Infinity, true, true))!.member).toBe('m1');
    expect(zsl.firstInRange(r(10, 20))).toBeNull();
  });

  it('finds lex range boundaries with - and + as infinities', () => {
    const zsl = new SkipList();
    for (const m of ['a', 'b', 'c', 'd']) zsl.insert(0, m);
    const lex = (min: string, max: string, minex: boolean, maxex: boolean, minInf?: -1 | 1, maxInf?: -1 | 1): LexRange => ({ min, max, minex, maxex, minInf, maxInf });
    expect(zsl.firstInLexRange(lex('b', 'c', false, false))!.member).toBe('b');
    expect(zsl.lastInLexRange(lex('b', 'c', false, false))!.member).toBe('c');
    expect(zsl.firstInLexRange(lex('b', 'c', true, true))).toBeNull();
    expect(zsl.firstInLexRange(lex('', '', true, true, -1, 1))!.member).toBe('a');
    expect(zsl.lastInLexRange(lex('', '', true, true, -1, 1))!.member).toBe('d');
    expect(zsl.firstInLexRange(lex('', '', true, true, 1, 1))).toBeNull();
    expect(zsl.lastInLexRange(lex('', '', true, true, -1, -1))).toBeNull();
  });
});
