import { describe, it, expect } from 'vitest';
import { RSet, RZSet, cloneValue } from '../../src/engine/keyspace/values';
import { strtodWhole } from '../../src/engine/util/strtod';
import { parseLexRange, parseScoreRange, listpackScoreString, zsetAdd, ZADD_GT, ZADD_INCR, ZADD_NX, ZADD_XX } from '../../src/engine/commands/zset-core';

describe('RSet', () => {
  it('chooses intset or hashtable like setTypeCreate/setTypeAdd', () => {
    const s = RSet.createFor('10');
    expect(s.encoding).toBe('intset');
    expect(s.size).toBe(0); // createFor only picks the encoding; the caller adds
    expect(s.insert('10', 512)).toBe(true);
    expect(s.insert('-5', 512)).toBe(true);
    expect(s.insert('10', 512)).toBe(false);
    expect(s.members()).toEqual(['-5', '10']);
    expect(s.insert('007', 512)).toBe(true); // not canonical: hashtable from now on
    expect(s.encoding).toBe('hashtable');
    s.delete('007');
    expect(s.encoding).toBe('hashtable');
    expect(RSet.createFor('x').encoding).toBe('hashtable');
    const big = RSet.createFor('1');
    for (let i = 1; i <= 3; i++) big.insert(String(i), 3);
    expect(big.encoding).toBe('intset');
    big.insert('4', 3);
    expect(big.encoding).toBe('hashtable');
  });

  it('iterates an intset in numeric order across the whole int64 range', () => {
    const s = new RSet();
    for (const m of ['9223372036854775807', '-1', '-9223372036854775808', '10', '9', '0']) s.insert(m, 512);
    expect(s.members()).toEqual(['-9223372036854775808', '-1', '0', '9', '10', '9223372036854775807']);
  });

  it('random picks stay uniform-ish and consistent with deletions', () => {
    const s = new RSet();
    for (let i = 0; i < 50; i++) s.insert(`m${i}`, 512);
    let seed = 1;
    const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
    const seen = new Set<string>();
    while (s.size > 0) {
      const m = s.randomMember(rnd);
      expect(s.has(m)).toBe(true);
      expect(seen.has(m)).toBe(false);
      seen.add(m);
      s.delete(m);
      if (seen.size === 10) s.add('late');
    }
    expect(seen.size).toBe(51);
  });

  it('is cloned with its encoding', () => {
    const s = RSet.createFor('1');
    s.insert('1', 512);
    s.insert('2', 512);
    const c = cloneValue(s) as RSet;
    expect(c.encoding).toBe('intset');
    expect(c.members()).toEqual(['1', '2']);
    c.insert('3', 512);
    expect(s.size).toBe(2);
  });
});

describe('RZSet and zsetAdd', () => {
  const lim = { maxEntries: 3, maxValue: 4 };

  it('stores -0 as 0 in a listpack but keeps it in a skiplist', () => {
    const lp = new RZSet();
    lp.set('a', -0);
    expect(Object.is(lp.score('a'), 0)).toBe(true);
    const sl = new RZSet();
    sl.encoding = 'skiplist';
    sl.set('a', -0);
    expect(Object.is(sl.score('a'), -0)).toBe(true);
    sl.set('a', 0); // equal scores: no update, like C's score != curscore
    expect(Object.is(sl.score('a'), -0)).toBe(true);
    sl.convert('listpack');
    expect(Object.is(sl.score('a'), 0)).toBe(true);
    expect(Object.is(sl.zsl.first()!.score, 0)).toBe(true);
  });

  it('converts to skiplist before an insert that would not fit', () => {
    const z = new RZSet();
    for (const [m, s] of [['a', 1], ['b', 2], ['c', 3]] as const) zsetAdd(z, s, m, 0, lim);
    expect(z.encoding).toBe('listpack');
    zsetAdd(z, 9, 'a', 0, lim); // update, no growth
    expect(z.encoding).toBe('listpack');
    zsetAdd(z, 4, 'd', ZADD_XX, lim); // XX on a new member: nothing
    expect(z.encoding).toBe('listpack');
    zsetAdd(z, 4, 'd', 0, lim);
    expect(z.encoding).toBe('skiplist');
    const v = new RZSet();
    zsetAdd(v, 1, 'abcde', 0, lim);
    expect(v.encoding).toBe('skiplist');
  });

  it('implements NX/XX/GT/INCR and NaN detection', () => {
    const z = new RZSet();
    expect(zsetAdd(z, 1, 'a', 0, lim).added).toBe(true);
    expect(zsetAdd(z, 5, 'a', ZADD_NX, lim).nop).toBe(true);
    expect(zsetAdd(z, 0, 'a', ZADD_GT, lim).nop).toBe(true);
    const r = zsetAdd(z, 2, 'a', ZADD_GT | ZADD_INCR, lim);
    expect(r.updated).toBe(true);
    expect(r.newScore).toBe(3);
    zsetAdd(z, Infinity, 'b', 0, lim);
    expect(zsetAdd(z, -Infinity, 'b', ZADD_INCR, lim).nan).toBe(true);
    expect(z.score('b')).toBe(Infinity);
    expect(zsetAdd(z, NaN, 'c', 0, lim).nan).toBe(true);
  });
});

describe('range parsing', () => {
  it('parses score ranges with strtod rules', () => {
    expect(parseScoreRange('(1.5', '+inf')).toEqual({ min: 1.5, minex: true, max: Infinity, maxex: false });
    expect(parseScoreRange('', '(')).toEqual({ min: 0, minex: false, max: 0, maxex: true });
    expect(parseScoreRange(' 1', '1e999')).toEqual({ min: 1, minex: false, max: Infinity, maxex: false });
    expect(parseScoreRange('nan', '1')).toBeNull();
    expect(parseScoreRange('1 ', '1')).toBeNull();
    expect(parseScoreRange('((1', '1')).toBeNull();
    expect(strtodWhole('0x1p4')).toBe(16);
    expect(strtodWhole('1\0garbage')).toBe(1);
    expect(strtodWhole('   ')).toBeNull();
    expect(strtodWhole('+')).toBeNull();
    expect(strtodWhole('-Infinity')).toBe(-Infinity);
    expect(strtodWhole('1e')).toBeNull();
  });

  it('parses lex ranges as C strings', () => {
    expect(parseLexRange('-', '+')).toEqual({ min: '', minex: true, minInf: -1, max: '', maxex: true, maxInf: 1 });
    expect(parseLexRange('[a', '(b\0c')).toEqual({ min: 'a', minex: false, minInf: undefined, max: 'b\0c', maxex: true, maxInf: undefined });
    expect(parseLexRange('+\0x', '-')).not.toBeNull();
    expect(parseLexRange('', '+')).toBeNull();
    expect(parseLexRange('a', '+')).toBeNull();
    expect(parseLexRange('-x', '+')).toBeNull();
  });

  it('prints listpack scores as integers when they fit', () => {
    expect(listpackScoreString(1e18)).toBe('1000000000000000000');
    expect(listpackScoreString(-0)).toBe('0');
    expect(listpackScoreString(0.1)).toBe('0.10000000000000001');
    expect(listpackScoreString(1e19)).toBe('1e+19');
    expect(listpackScoreString(-Infinity)).toBe('-inf');
  });
});
