/**
 * The bitmap family against real Redis 7.0.15: SETBIT/GETBIT (growth, encodings, errors),
 * BITCOUNT and BITPOS with BYTE and BIT ranges, BITOP, BITFIELD with every overflow policy
 * at the signed/unsigned limits, BITFIELD_RO.
 */
import { it } from 'vitest';
import { describeDifferential, expectSame, type Step } from '../support/differential';

/** Deterministic pseudo-random bytes (a small LCG), as a byte string. */
function noise(n: number, seed: number): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += String.fromCharCode(x >>> 24);
  }
  return s;
}

describeDifferential('bitmaps (differential)', (pair) => {
  it('SETBIT and GETBIT', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SETBIT', 'b', '1', '1'], ['GET', 'b'], ['SETBIT', 'b', '1', '1'], ['SETBIT', 'b', '1', '0'], ['SETBIT', 'b', '100', '1'], ['STRLEN', 'b'], ['GET', 'b'],
    ['GETBIT', 'b', '100'], ['GETBIT', 'b', '101'], ['GETBIT', 'b', '100000'], ['GETBIT', 'nokey', '5'],
    ['SET', 'e', 'abc'], ['OBJECT', 'ENCODING', 'e'], ['SETBIT', 'e', '0', '0'], ['OBJECT', 'ENCODING', 'e'], ['GET', 'e'],
    ['SET', 'i', '12'], ['GETBIT', 'i', '2'], ['GETBIT', 'i', '3'], ['SETBIT', 'i', '6', '1'], ['GET', 'i'], ['OBJECT', 'ENCODING', 'i'],
    ['SETBIT', 'b', '-1', '1'], ['SETBIT', 'b', 'x', '1'], ['SETBIT', 'b', '4294967296', '1'], ['SETBIT', 'b', '1', '2'], ['SETBIT', 'b', '1', '-1'], ['SETBIT', 'b', '1', 'x'],
    ['GETBIT', 'b', '-1'], ['GETBIT', 'b', '4294967296'], ['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'], ['SETBIT', 'b', String(8 * 1024 * 1024), '1'], ['CONFIG', 'SET', 'proto-max-bulk-len', '512mb'],
    ['LPUSH', 'l', 'x'], ['SETBIT', 'l', '0', '1'], ['GETBIT', 'l', '0'],
    ['SET', 't', 'x'], ['EXPIRE', 't', '100'], ['SETBIT', 't', '20', '1'], ['TTL', 't'],
  ]));

  it('BITCOUNT and BITPOS', () => {
    const data = noise(40, 7);
    const steps: Step[] = [
      ['FLUSHALL'], ['SET', 'r', data], ['SET', 'z', '\0\0\0'], ['SET', 'f', '\xff\xff\xff'], ['SET', 'm', '\x00\xff\xf0'],
      ['BITCOUNT', 'r'], ['BITCOUNT', 'nokey'], ['BITCOUNT', 'nokey', 'a', 'b'], ['BITCOUNT', 'r', '1'], ['BITCOUNT', 'r', '1', '2', '3'],
      ['BITCOUNT', 'r', 'x', '1'], ['BITCOUNT', 'r', '-1', '-2', 'BOGUS'], ['BITCOUNT', 'r', '0', '-1', 'BOGUS'],
      ['BITPOS', 'nokey', '1'], ['BITPOS', 'nokey', '0'], ['BITPOS', 'r', '2'], ['BITPOS', 'r', 'x'], ['BITPOS', 'r', '1', '0', '1', 'BOGUS'],
      ['BITPOS', 'z', '1'], ['BITPOS', 'z', '0'], ['BITPOS', 'f', '0'], ['BITPOS', 'f', '0', '0'], ['BITPOS', 'f', '0', '0', '-1'], ['BITPOS', 'f', '1', '1'],
      ['BITPOS', 'm', '1', '2', '-1', 'BIT'], ['BITPOS', 'm', '0', '8', '15', 'BIT'], ['BITPOS', 'm', '0', '8', '-1', 'BIT'], ['BITPOS', 'm', '1', '17', '19', 'BIT'],
      ['BITPOS', 'm', '0', '5', '3', 'BIT'], ['BITPOS', 'm', '1', '-100', '100', 'BIT'],
      ['SET', 'i', '12345'], ['BITCOUNT', 'i'], ['BITPOS', 'i', '1'], ['LPUSH', 'l', 'x'], ['BITCOUNT', 'l'], ['BITPOS', 'l', '1'],
    ];
    const ranges = [[0, -1], [1, 3], [-5, -1], [-1, -5], [3, 1], [10, 1000], [-1000, 2], [0, 0]];
    for (const [a, b] of ranges) {
      steps.push(['BITCOUNT', 'r', String(a), String(b)], ['BITCOUNT', 'r', String(a), String(b), 'BYTE']);
      steps.push(['BITPOS', 'r', '1', String(a), String(b)], ['BITPOS', 'r', '0', String(a), String(b)]);
      steps.push(['BITPOS', 'r', '1', String(a)], ['BITPOS', 'f', '0', String(a)]);
    }
    for (const [a, b] of [[0, -1], [3, 17], [5, 5], [9, 30], [-7, -2], [17, 3], [100, 319], [0, 2000], [-3, 7], [6, 9]]) {
      steps.push(['BITCOUNT', 'r', String(a), String(b), 'BIT'], ['BITPOS', 'r', '1', String(a), String(b), 'BIT'], ['BITPOS', 'r', '0', String(a), String(b), 'BIT']);
      steps.push(['BITPOS', 'z', '1', String(a), String(b), 'BIT'], ['BITPOS', 'f', '0', String(a), String(b), 'BIT'], ['BITPOS', 'm', '0', String(a), String(b), 'bit']);
    }
    return expectSame(pair(), steps);
  });

  it('BITOP', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 'a', noise(37, 1)], ['SET', 'b', noise(5, 2)], ['SET', 'c', noise(64, 3)],
    ['BITOP', 'AND', 'd', 'a', 'b', 'c'], ['GET', 'd'], ['OBJECT', 'ENCODING', 'd'], ['BITOP', 'or', 'd', 'a', 'b', 'c'], ['GET', 'd'],
    ['BITOP', 'XOR', 'd', 'a', 'b', 'c', 'nokey'], ['GET', 'd'], ['BITOP', 'NOT', 'd', 'a'], ['GET', 'd'], ['BITOP', 'NOT', 'd', 'a', 'b'],
    ['BITOP', 'AND', 'd', 'nokey1', 'nokey2'], ['EXISTS', 'd'], ['BITOP', 'NAND', 'd', 'a'], ['BITOP', 'and', 'd'],
    ['LPUSH', 'l', 'x'], ['BITOP', 'AND', 'd', 'a', 'l'], ['SET', 'n', '1'], ['BITOP', 'OR', 'd2', 'n'], ['OBJECT', 'ENCODING', 'd2'],
    ['SET', 'ttl', 'x'], ['EXPIRE', 'ttl', '100'], ['BITOP', 'OR', 'ttl', 'a'], ['TTL', 'ttl'],
  ]));

  it('BITFIELD and BITFIELD_RO', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['BITFIELD', 'k', 'SET', 'i8', '0', '-100', 'GET', 'u4', '0', 'GET', 'i4', '0', 'INCRBY', 'u2', '100', '1'], ['GET', 'k'],
    ['BITFIELD', 'k', 'SET', 'u8', '#1', '255', 'GET', 'u8', '#1', 'SET', 'i16', '#2', '-2', 'GET', 'i16', '#2'],
    ['BITFIELD', 'k', 'INCRBY', 'u8', '0', '300', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '0', '300', 'INCRBY', 'u8', '0', '-1000', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1000'],
    ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'u8', '0', '-1', 'SET', 'i8', '0', '200', 'SET', 'i8', '0', '-200', 'OVERFLOW', 'WRAP', 'SET', 'u8', '0', '-1', 'SET', 'i8', '0', '200'],
    ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'SET', 'u8', '0', '256', 'SET', 'i8', '0', '-129', 'GET', 'u8', '0'],
    ['BITFIELD', 'k', 'SET', 'i64', '0', '-9223372036854775808', 'INCRBY', 'i64', '0', '-1', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', '-1', 'INCRBY', 'i64', '0', '9223372036854775807', 'INCRBY', 'i64', '0', '9223372036854775807'],
    ['BITFIELD', 'k', 'SET', 'u63', '1', '9223372036854775807', 'GET', 'u63', '1', 'INCRBY', 'u63', '1', '1', 'OVERFLOW', 'SAT', 'INCRBY', 'u63', '1', '5', 'GET', 'i64', '0'],
    ['BITFIELD', 'k', 'INCRBY', 'i5', '3', '100', 'INCRBY', 'i5', '3', '-100', 'OVERFLOW', 'SAT', 'INCRBY', 'i5', '3', '100', 'INCRBY', 'i5', '3', '-100'],
    ['BITFIELD', 'k', 'GET', 'u64', '0'], ['BITFIELD', 'k', 'GET', 'i65', '0'], ['BITFIELD', 'k', 'GET', 'i0', '0'], ['BITFIELD', 'k', 'GET', 'x8', '0'], ['BITFIELD', 'k', 'GET', 'i8', '-1'],
    ['BITFIELD', 'k', 'GET', 'i8'], ['BITFIELD', 'k', 'BOGUS', 'i8', '0'], ['BITFIELD', 'k', 'OVERFLOW', 'MAYBE', 'GET', 'i8', '0'], ['BITFIELD', 'k', 'SET', 'i8', '0', 'x'],
    ['BITFIELD', 'k', 'GET', 'i8', '#x'], ['BITFIELD', 'k', 'GET', 'i8', '#-1'], ['BITFIELD', 'k', 'GET', 'i8', '4294967296'], ['BITFIELD', 'k'],
    ['BITFIELD', 'nokey', 'GET', 'u8', '100'], ['EXISTS', 'nokey'], ['BITFIELD', 'nokey', 'SET', 'u8', '100', '0'], ['STRLEN', 'nokey'],
    ['BITFIELD_RO', 'k', 'GET', 'i8', '0', 'GET', 'u3', '#5'], ['BITFIELD_RO', 'k', 'SET', 'i8', '0', '1'], ['BITFIELD_RO', 'nokey2', 'GET', 'i8', '0'],
    ['SET', 'e', 'abc'], ['BITFIELD', 'e', 'SET', 'u8', '0', '97'], ['OBJECT', 'ENCODING', 'e'], ['BITFIELD', 'e', 'GET', 'u8', '0'],
    ['LPUSH', 'l', 'x'], ['BITFIELD', 'l', 'GET', 'u8', '0'], ['BITFIELD', 'l', 'SET', 'u8', '0', '1'],
  ]));
});
