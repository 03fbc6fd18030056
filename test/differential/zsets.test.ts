import { it, expect } from 'vitest';
import { describeDifferential, expectSame, type Step } from '../support/differential';
import type { RawClient } from '../support/raw-client';
import { encodeCommand } from '../../src/engine/resp/reply-parser';

const len = (...cmd: string[]): Step => ({ cmd, compare: 'length' });
const typ = (...cmd: string[]): Step => ({ cmd, compare: 'type' });

describeDifferential('sorted sets (differential)', (pair) => {
  it('ZADD options and their errors', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'z', '1', 'a'], ['ZADD', 'z', '10', 'a'], ['ZSCORE', 'z', 'a'],
    ['ZADD', 'z', 'CH', '11', 'a', '5', 'd'], ['ZADD', 'z', 'NX', '100', 'a', '6', 'e'], ['ZSCORE', 'z', 'a'],
    ['ZADD', 'z', 'XX', '100', 'a', '7', 'f'], ['ZSCORE', 'z', 'f'], ['ZADD', 'z', 'XX', 'CH', '101', 'a', '102', 'b'],
    ['ZADD', 'z', 'GT', 'CH', '50', 'a', '200', 'b', '1', 'new'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZADD', 'z', 'LT', 'CH', '500', 'a', '0', 'b'], ['ZADD', 'z', 'XX', 'GT', '1000', 'a', '5', 'zz'],
    ['ZADD', 'z', 'INCR', '5', 'a'], ['ZADD', 'z', 'INCR', '5', 'fresh'], ['ZADD', 'z', 'NX', 'INCR', '5', 'a'],
    ['ZADD', 'z', 'XX', 'INCR', '5', 'nope'], ['ZADD', 'z', 'GT', 'INCR', '-5', 'a'], ['ZADD', 'z', 'LT', 'INCR', '-5', 'a'],
    ['ZADD', 'z', 'GT', 'INCR', '0', 'a'],
    ['ZADD', 'z', 'NX', 'XX', '1', 'a'], ['ZADD', 'z', 'GT', 'LT', '1', 'a'], ['ZADD', 'z', 'GT', 'NX', '1', 'a'],
    ['ZADD', 'z', 'LT', 'NX', '1', 'a'], ['ZADD', 'z', 'NX', 'XX', 'GT', '1', 'a'], ['ZADD', 'z', 'INCR', '1', 'a', '2', 'b'],
    ['ZADD', 'z', 'INCR', 'NX', 'XX', '1', 'a', '2', 'b'], ['ZADD', 'z', 'CH'], ['ZADD', 'z', 'NX', '1'],
    ['ZADD', 'z', '1'], ['ZADD', 'z', '1', 'a', '2'], ['ZADD', 'z', 'x', 'a'], ['ZADD', 'z', 'nan', 'a'], ['ZADD', 'z', '1', 'a', 'y', 'b'],
    ['ZADD', 'z', 'FOO', '1', 'a'], ['ZADD', 'z', ' 1', 'a'], ['ZADD', 'z', '1 ', 'a'], ['ZADD', 'z', '', 'a'],
    ['ZADD', 'z', '0x10', 'hex'], ['ZSCORE', 'z', 'hex'], ['ZADD', 'z', '1e400', 'big'], ['ZADD', 'z', '1e-400', 'tiny'],
    ['ZADD', 'z', 'nx', 'ch', '1', 'lower'], ['ZCARD', 'z'],
    ['ZADD', 'nokey', 'XX', '1', 'a'], ['EXISTS', 'nokey'], ['ZADD', 'nokey', 'XX', 'INCR', '1', 'a'],
    ['SET', 'str', 'x'], ['ZADD', 'str', '1', 'a'], ['ZADD', 'str', 'x', 'a'], ['ZADD', 'str', 'NX', 'XX', '1', 'a'],
    ['ZADD', 'z'], ['ZADD', 'z', '1'],
  ]));

  it('ZINCRBY, infinities and NaN', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZINCRBY', 'z', '1.5', 'a'], ['ZINCRBY', 'z', '-0.5', 'a'], ['ZINCRBY', 'z', '0.1', 'b'], ['ZINCRBY', 'z', '0.2', 'b'],
    ['ZINCRBY', 'z', 'x', 'a'], ['ZINCRBY', 'z', '+inf', 'c'], ['ZINCRBY', 'z', '-inf', 'c'], ['ZSCORE', 'z', 'c'],
    ['ZADD', 'z', 'INCR', '-inf', 'c'], ['ZADD', 'z', '-inf', 'm', '+inf', 'p', 'inf', 'q', '-INF', 'r', 'Infinity', 's'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZINCRBY', 'z', '1', 'p'],
    ['ZINCRBY', 'z', 'nx', 'a'], ['ZINCRBY', 'z', '1e308', 'big'], ['ZINCRBY', 'z', '1e308', 'big'], ['ZSCORE', 'z', 'big'],
    ['ZADD', 'z', '1.0000000000000002', 'prec'], ['ZSCORE', 'z', 'prec'], ['ZADD', 'z', '123456789012345678', 'l'], ['ZSCORE', 'z', 'l'],
    ['ZADD', 'z', '0.30000000000000004', 'f'], ['ZSCORE', 'z', 'f'], ['ZADD', 'z', '-1e-300', 'neg'], ['ZSCORE', 'z', 'neg'],
    ['SET', 'str', 'x'], ['ZINCRBY', 'str', '1', 'a'], ['ZINCRBY', 'z', '1'],
  ]));

  it('-0 scores: listpack stores 0, skiplist keeps -0', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'lp', '-0', 'a'], ['ZSCORE', 'lp', 'a'], ['ZADD', 'lp', 'INCR', '-0', 'b'], ['ZSCORE', 'lp', 'b'],
    ['ZSCAN', 'lp', '0'], ['ZRANGE', 'lp', '0', '-1', 'WITHSCORES'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
    ['ZADD', 'sl', '-0', 'a'], ['ZSCORE', 'sl', 'a'], ['ZADD', 'sl', '0', 'a'], ['ZSCORE', 'sl', 'a'],
    ['ZADD', 'sl', '-0.0', 'b', '0', 'c'], ['ZRANGE', 'sl', '0', '-1', 'WITHSCORES'], ['ZSCAN', 'sl', '0', 'MATCH', 'a'], ['ZSCAN', 'sl', '0', 'MATCH', 'c'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ['ZUNIONSTORE', 'u', '1', 'sl'], ['OBJECT', 'ENCODING', 'u'], ['ZRANGE', 'u', '0', '-1', 'WITHSCORES'],
    ['ZUNION', '1', 'sl', 'WITHSCORES'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'],
    ['ZRANGESTORE', 'r1', 'sl', '0', '-1'], ['OBJECT', 'ENCODING', 'r1'], ['ZRANGE', 'r1', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'r2', 'sl', '-inf', '+inf', 'BYSCORE'], ['OBJECT', 'ENCODING', 'r2'], ['ZRANGE', 'r2', '0', '-1', 'WITHSCORES'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
  ]));

  it('ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '2', 'c', '3', 'd'], ['ZCARD', 'z'], ['ZCARD', 'nokey'],
    ['ZSCORE', 'z', 'b'], ['ZSCORE', 'z', 'nope'], ['ZSCORE', 'nokey', 'a'],
    ['ZMSCORE', 'z', 'a', 'nope', 'd'], ['ZMSCORE', 'nokey', 'a', 'b'],
    ['ZRANK', 'z', 'a'], ['ZRANK', 'z', 'c'], ['ZRANK', 'z', 'nope'], ['ZRANK', 'nokey', 'a'],
    ['ZREVRANK', 'z', 'a'], ['ZREVRANK', 'z', 'd'], ['ZREVRANK', 'z', 'nope'],
    ['ZREM', 'z', 'a', 'nope'], ['ZREM', 'z', 'nope'], ['ZREM', 'nokey', 'a'], ['ZREM', 'z', 'b', 'c', 'd', 'e'], ['EXISTS', 'z'],
    ['SET', 'str', 'x'], ['ZREM', 'str', 'a'], ['ZCARD', 'str'], ['ZSCORE', 'str', 'a'], ['ZMSCORE', 'str', 'a'],
    ['ZRANK', 'str', 'a'], ['ZREVRANK', 'str', 'a'], ['SADD', 'set', 'a'], ['ZSCORE', 'set', 'a'],
    ['ZREM', 'z'], ['ZCARD'], ['ZSCORE', 'z'], ['ZMSCORE', 'z'], ['ZRANK', 'z'], ['ZRANK', 'z', 'a', 'b'],
  ]));

  it('equal scores order by member bytes, binary members', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '1', 'b', '1', 'a', '1', 'ab', '1', '', '1', 'a\0', '1', '\xff', '1', 'A', '1', '\x7f', '0', 'zero'],
    ['ZRANGE', 'z', '0', '-1'], ['ZREVRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZRANK', 'z', 'a\0'], ['ZRANK', 'z', '\xff'],
    ['ZRANGEBYLEX', 'z', '[a', '(b'], ['ZRANGEBYLEX', 'z', '[a\0', '+'], ['ZSCORE', 'z', ''], ['ZREM', 'z', 'a\0'], ['ZRANGE', 'z', '0', '-1'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
    ['ZADD', 's', '1', 'b', '1', 'a', '1', 'ab', '1', '', '1', 'a\0', '1', '\xff', '1', 'A', '1', '\x7f'],
    ['ZRANGE', 's', '0', '-1'], ['ZRANK', 's', '\xff'], ['ZREVRANK', 's', ''], ['ZRANGEBYLEX', 's', '(a', '[b'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
  ]));

  it('ZRANGE by rank, REV, WITHSCORES, and the legacy ZREVRANGE', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    ['ZRANGE', 'z', '0', '-1'], ['ZRANGE', 'z', '1', '3', 'WITHSCORES'], ['ZRANGE', 'z', '-2', '-1'], ['ZRANGE', 'z', '3', '1'],
    ['ZRANGE', 'z', '10', '20'], ['ZRANGE', 'z', '-100', '100'], ['ZRANGE', 'z', '0', '0', 'REV'], ['ZRANGE', 'z', '0', '-1', 'REV', 'WITHSCORES'],
    ['ZRANGE', 'z', '0', '-1', 'withscores', 'rev'], ['ZRANGE', 'z', '-1', '-2'], ['ZRANGE', 'z', '0', '-6'], ['ZRANGE', 'z', '0', '-5'],
    ['ZREVRANGE', 'z', '0', '1'], ['ZREVRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZREVRANGE', 'z', '2', '100'],
    ['ZREVRANGE', 'z', '0', '1', 'REV'], ['ZREVRANGE', 'z', '0', '1', 'BYSCORE'], ['ZREVRANGE', 'z', '0', '1', 'LIMIT', '0', '1'],
    ['ZRANGE', 'nokey', '0', '-1'], ['ZRANGE', 'nokey', '0', '-1', 'WITHSCORES'],
    ['ZRANGE', 'z', 'a', '1'], ['ZRANGE', 'z', '0', 'b'], ['ZRANGE', 'z', '0', '1', 'FOO'], ['ZRANGE', 'z', '0', '1', 'LIMIT', '0', '1'],
    ['ZRANGE', 'z', '0', '1', 'LIMIT', '0', '-1'], ['ZRANGE', 'z', '0', '1', 'LIMIT', '0'], ['ZRANGE', 'z', '0', '1', 'LIMIT', 'x', '1'],
    ['ZRANGE', 'z', '0', '1', 'REV', 'REV'], ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'BYLEX'], ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'BYSCORE'],
    ['ZRANGE', 'z', '[a', '[c', 'BYLEX', 'WITHSCORES'], ['ZRANGE', 'z', '0', '1', 'LIMIT', '0', '1', 'BYLEX'],
    ['SET', 'str', 'x'], ['ZRANGE', 'str', '0', '1'], ['ZRANGE', 'str', 'x', '1'], ['ZRANGE', 'z', '0'], ['ZREVRANGE', 'z', '0'],
  ]));

  it('ZRANGEBYSCORE / ZREVRANGEBYSCORE / ZCOUNT / ZRANGE BYSCORE', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '-inf', 'ninf', '1', 'a', '1.5', 'b', '2', 'c', '3', 'd', '+inf', 'pinf'],
    ['ZRANGEBYSCORE', 'z', '-inf', '+inf'], ['ZRANGEBYSCORE', 'z', '1', '2'], ['ZRANGEBYSCORE', 'z', '(1', '2', 'WITHSCORES'],
    ['ZRANGEBYSCORE', 'z', '(1', '(2'], ['ZRANGEBYSCORE', 'z', '2', '1'], ['ZRANGEBYSCORE', 'z', '(1', '(1'], ['ZRANGEBYSCORE', 'z', '1', '1'],
    ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '1', '2'], ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '1', '-1'],
    ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '-1', '2'], ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '0', '0'],
    ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '6', '2'], ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '5', '2'],
    ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '1', '1', 'LIMIT', '2', '2'],
    ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'WITHSCORES', 'LIMIT', '0', '3'], ['ZRANGEBYSCORE', 'z', '(-inf', '(+inf'],
    ['ZREVRANGEBYSCORE', 'z', '+inf', '-inf'], ['ZREVRANGEBYSCORE', 'z', '2', '1', 'WITHSCORES'], ['ZREVRANGEBYSCORE', 'z', '1', '2'],
    ['ZREVRANGEBYSCORE', 'z', '+inf', '-inf', 'LIMIT', '1', '2'], ['ZREVRANGEBYSCORE', 'z', '(3', '(1'],
    ['ZRANGE', 'z', '1', '2', 'BYSCORE'], ['ZRANGE', 'z', '2', '1', 'BYSCORE', 'REV', 'WITHSCORES'], ['ZRANGE', 'z', '(1', '+inf', 'BYSCORE', 'LIMIT', '1', '2'],
    ['ZRANGEBYSCORE', 'z', ' 1', '2'], ['ZRANGEBYSCORE', 'z', '', '1'], ['ZRANGEBYSCORE', 'z', '(', '3'], ['ZRANGEBYSCORE', 'z', '1e500', '+inf'],
    ['ZRANGEBYSCORE', 'z', '0x1', '0x2'], ['ZRANGEBYSCORE', 'z', '1\0junk', '2'], ['ZRANGEBYSCORE', 'z', '1 ', '2'],
    ['ZRANGEBYSCORE', 'z', 'nan', '2'], ['ZRANGEBYSCORE', 'z', '1', 'x'], ['ZRANGEBYSCORE', 'z', '((1', '2'], ['ZRANGEBYSCORE', 'z', '1', '2', 'LIMIT', '1'],
    ['ZRANGEBYSCORE', 'z', '1', '2', 'WITHSCORES', 'FOO'], ['ZRANGEBYSCORE', 'z', '1', '2', 'REV'], ['ZRANGEBYSCORE', 'nokey', '1', '2'],
    ['ZRANGEBYSCORE', 'nokey', 'x', '2'],
    ['ZCOUNT', 'z', '-inf', '+inf'], ['ZCOUNT', 'z', '(1', '3'], ['ZCOUNT', 'z', '5', '1'], ['ZCOUNT', 'z', 'x', '1'], ['ZCOUNT', 'nokey', '0', '1'],
    ['ZCOUNT', 'nokey', 'x', '1'], ['ZCOUNT', 'z', '(1.5', '(1.5'], ['ZCOUNT', 'z', '1.5', '1.5'],
    ['SET', 'str', 'x'], ['ZCOUNT', 'str', '0', '1'], ['ZRANGEBYSCORE', 'str', '0', '1'], ['ZCOUNT', 'str', 'x', '1'],
  ]));

  it('lex ranges: ZRANGEBYLEX / ZREVRANGEBYLEX / ZLEXCOUNT / ZRANGE BYLEX', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'foo', '0', 'zap'],
    ['ZRANGEBYLEX', 'z', '-', '+'], ['ZRANGEBYLEX', 'z', '[b', '[d'], ['ZRANGEBYLEX', 'z', '(b', '(d'], ['ZRANGEBYLEX', 'z', '[f', '+'],
    ['ZRANGEBYLEX', 'z', '-', '(c'], ['ZRANGEBYLEX', 'z', '+', '-'], ['ZRANGEBYLEX', 'z', '-', '-'], ['ZRANGEBYLEX', 'z', '+', '+'],
    ['ZRANGEBYLEX', 'z', '[d', '[b'], ['ZRANGEBYLEX', 'z', '(b', '[b'], ['ZRANGEBYLEX', 'z', '[b', '[b'],
    ['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', '2', '3'], ['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', '-1', '3'], ['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', '2', '-1'],
    ['ZRANGEBYLEX', 'z', '[', '+'], ['ZRANGEBYLEX', 'z', '(', '(c'], ['ZRANGEBYLEX', 'z', '+\0x', '-'], ['ZRANGEBYLEX', 'z', '-\0', '+\0'],
    ['ZREVRANGEBYLEX', 'z', '+', '-'], ['ZREVRANGEBYLEX', 'z', '[d', '[b'], ['ZREVRANGEBYLEX', 'z', '+', '-', 'LIMIT', '1', '2'],
    ['ZRANGE', 'z', '[b', '(e', 'BYLEX'], ['ZRANGE', 'z', '(e', '[b', 'BYLEX', 'REV'], ['ZRANGE', 'z', '-', '+', 'BYLEX', 'LIMIT', '1', '1'],
    ['ZLEXCOUNT', 'z', '-', '+'], ['ZLEXCOUNT', 'z', '[b', '[d'], ['ZLEXCOUNT', 'z', '(b', '(b'], ['ZLEXCOUNT', 'nokey', '-', '+'],
    ['ZRANGEBYLEX', 'z', 'a', '+'], ['ZRANGEBYLEX', 'z', '-', 'b'], ['ZRANGEBYLEX', 'z', '', '+'], ['ZRANGEBYLEX', 'z', '++', '-'],
    ['ZRANGEBYLEX', 'z', '-x', '+'], ['ZRANGEBYLEX', 'z', '1', '2'], ['ZLEXCOUNT', 'z', 'a', 'b'], ['ZLEXCOUNT', 'nokey', 'a', 'b'],
    ['ZRANGEBYLEX', 'z', '-', '+', 'WITHSCORES'], ['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', '1'], ['ZRANGEBYLEX', 'nokey', '-', '+'],
    ['ZRANGEBYLEX', 'nokey', 'x', '+'],
    ['SET', 'str', 'x'], ['ZRANGEBYLEX', 'str', '-', '+'], ['ZLEXCOUNT', 'str', '-', '+'],
  ]));

  it('ZREMRANGEBYRANK / BYSCORE / BYLEX', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    ['ZREMRANGEBYRANK', 'z', '1', '2'], ['ZRANGE', 'z', '0', '-1'], ['ZREMRANGEBYRANK', 'z', '5', '10'], ['ZREMRANGEBYRANK', 'z', '2', '1'],
    ['ZREMRANGEBYRANK', 'z', '-1', '-1'], ['ZRANGE', 'z', '0', '-1'], ['ZREMRANGEBYRANK', 'z', '0', '-1'], ['EXISTS', 'z'],
    ['ZREMRANGEBYRANK', 'nokey', '0', '1'], ['ZREMRANGEBYRANK', 'z', 'a', '1'], ['ZREMRANGEBYRANK', 'nokey', 'a', '1'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    ['ZREMRANGEBYSCORE', 'z', '(1', '3'], ['ZRANGE', 'z', '0', '-1'], ['ZREMRANGEBYSCORE', 'z', '10', '20'], ['ZREMRANGEBYSCORE', 'z', 'x', '1'],
    ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'], ['EXISTS', 'z'], ['ZREMRANGEBYSCORE', 'nokey', 'x', '1'],
    ['ZADD', 'l', '0', 'a', '0', 'b', '0', 'c', '0', 'd'],
    ['ZREMRANGEBYLEX', 'l', '[b', '(d'], ['ZRANGE', 'l', '0', '-1'], ['ZREMRANGEBYLEX', 'l', 'b', 'c'], ['ZREMRANGEBYLEX', 'l', '-', '+'],
    ['EXISTS', 'l'], ['ZREMRANGEBYLEX', 'nokey', '-', '+'],
    ['SET', 'str', 'x'], ['ZREMRANGEBYRANK', 'str', '0', '1'], ['ZREMRANGEBYSCORE', 'str', '0', '1'], ['ZREMRANGEBYLEX', 'str', '-', '+'],
    ['ZREMRANGEBYLEX', 'str', 'x', '+'], ['ZREMRANGEBYRANK', 'z', '0'],
  ]));

  it('ZRANGESTORE', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
    ['ZRANGESTORE', 'd', 'z', '0', '1'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'd'],
    ['ZRANGESTORE', 'd', 'z', '(1', '+inf', 'BYSCORE', 'LIMIT', '0', '2'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'd', 'z', '+inf', '(1', 'BYSCORE', 'REV', 'LIMIT', '0', '1'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'd', 'z', '[b', '+', 'BYLEX'], ['ZRANGE', 'd', '0', '-1'],
    ['ZRANGESTORE', 'd', 'z', '5', '10'], ['EXISTS', 'd'], ['ZRANGESTORE', 'd', 'nokey', '0', '-1'],
    ['SET', 'dd', 'x'], ['ZRANGESTORE', 'dd', 'nokey', '0', '-1'], ['EXISTS', 'dd'],
    ['SET', 'ttl', 'x'], ['EXPIRE', 'ttl', '100'], ['ZRANGESTORE', 'ttl', 'z', '0', '0'], ['TTL', 'ttl'], ['TYPE', 'ttl'],
    ['ZRANGESTORE', 'd', 'z', '0', '1', 'WITHSCORES'], ['ZRANGESTORE', 'd', 'z', '0', '1', 'LIMIT', '0', '1'],
    ['ZRANGESTORE', 'd', 'z', 'x', '1'], ['SET', 'str', 'v'], ['ZRANGESTORE', 'd', 'str', '0', '1'], ['ZRANGESTORE', 'str', 'z', '0', '0'],
    ['TYPE', 'str'], ['ZRANGESTORE', 'z', 'z', '1', '2'], ['ZRANGE', 'z', '0', '-1'], ['ZRANGESTORE', 'd', 'z', '0'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'],
    ['ZADD', 'big', '1', 'a', '2', 'b', '3', 'c'], ['ZRANGESTORE', 'e1', 'big', '0', '1'], ['OBJECT', 'ENCODING', 'e1'],
    ['ZRANGESTORE', 'e2', 'big', '0', '-1'], ['OBJECT', 'ENCODING', 'e2'], ['ZRANGESTORE', 'e3', 'big', '-inf', '2', 'BYSCORE'], ['OBJECT', 'ENCODING', 'e3'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '3'],
    ['ZADD', 'lv', '1', 'abcd', '2', 'b'], ['OBJECT', 'ENCODING', 'lv'], ['ZRANGESTORE', 'e4', 'lv', '1', '1'], ['OBJECT', 'ENCODING', 'e4'],
    ['ZADD', 'lv2', '1', 'abc'], ['OBJECT', 'ENCODING', 'lv2'], ['ZADD', 'lv2', '2', 'abcd'], ['OBJECT', 'ENCODING', 'lv2'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '64'],
  ]));

  it('encodings: listpack → skiplist by entries and value length', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '3'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['OBJECT', 'ENCODING', 'z'], ['ZADD', 'z', '4', 'd'], ['OBJECT', 'ENCODING', 'z'],
    ['ZREM', 'z', 'a', 'b'], ['OBJECT', 'ENCODING', 'z'],
    ['ZADD', 'y', '1', 'a', '2', 'b', '3', 'c', '4', 'd'], ['OBJECT', 'ENCODING', 'y'],
    ['ZADD', 'x', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'x', 'XX', '4', 'd'], ['OBJECT', 'ENCODING', 'x'], ['ZADD', 'x', '5', 'a'], ['OBJECT', 'ENCODING', 'x'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'], ['CONFIG', 'SET', 'zset-max-ziplist-value', '5'],
    ['ZADD', 'v', '1', '12345'], ['OBJECT', 'ENCODING', 'v'], ['ZADD', 'v', '1', '123456'], ['OBJECT', 'ENCODING', 'v'],
    ['ZADD', 'w', '1', '123456'], ['OBJECT', 'ENCODING', 'w'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '64'],
    ['ZADD', 'a', '1', 'x', '2', 'y'], ['ZADD', 'b', '1', 'y', '5', 'z'],
    ['ZUNIONSTORE', 'u', '2', 'a', 'b'], ['OBJECT', 'ENCODING', 'u'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'], ['ZUNIONSTORE', 'u', '2', 'a', 'b'], ['OBJECT', 'ENCODING', 'u'],
    ['ZINTERSTORE', 'i', '2', 'a', 'b'], ['OBJECT', 'ENCODING', 'i'], ['ZDIFFSTORE', 'df', '1', 'u'], ['OBJECT', 'ENCODING', 'df'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
  ]));

  it('ZUNION / ZINTER / ZDIFF with WEIGHTS, AGGREGATE, WITHSCORES, sets as inputs', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'], ['ZADD', 'b', '10', 'y', '20', 'z', '30', 'w'], ['SADD', 's', 'x', 'w', 'q'],
    ['ZUNION', '2', 'a', 'b'], ['ZUNION', '2', 'a', 'b', 'WITHSCORES'], ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '2', '0.5', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'MIN', 'WITHSCORES'], ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'max', 'WITHSCORES'],
    ['ZUNION', '3', 'a', 'b', 's', 'WITHSCORES'], ['ZINTER', '2', 'a', 'b', 'WITHSCORES'], ['ZINTER', '2', 'a', 's', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'b', 'WEIGHTS', '1', '-1', 'AGGREGATE', 'SUM', 'WITHSCORES'], ['ZINTER', '2', 'a', 'a', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'nokey'], ['ZUNION', '2', 'nokey', 'nokey2'], ['ZINTER', '1', 'nokey'],
    ['ZDIFF', '2', 'a', 'b'], ['ZDIFF', '2', 'a', 'b', 'WITHSCORES'], ['ZDIFF', '2', 'a', 's', 'WITHSCORES'], ['ZDIFF', '1', 'a'],
    ['ZDIFF', '2', 'a', 'a'], ['ZDIFF', '2', 'nokey', 'a'], ['ZDIFF', '3', 'b', 'nokey', 'a', 'WITHSCORES'], ['ZDIFF', '2', 's', 'b', 'WITHSCORES'],
    ['ZADD', 'inf1', '+inf', 'm', '-inf', 'n', '0', 'o'], ['ZADD', 'inf2', '-inf', 'm', '+inf', 'n', '5', 'o'],
    ['ZUNION', '2', 'inf1', 'inf2', 'WITHSCORES'], ['ZINTER', '2', 'inf1', 'inf2', 'WITHSCORES'],
    ['ZUNION', '2', 'inf1', 'inf2', 'WEIGHTS', '0', '1', 'WITHSCORES'], ['ZINTER', '2', 'inf1', 'inf2', 'WEIGHTS', '0', '0', 'WITHSCORES'],
    ['ZINTER', '2', 'inf1', 'inf2', 'WEIGHTS', '0', '0', 'AGGREGATE', 'MIN', 'WITHSCORES'], ['ZUNION', '1', 'inf1', 'WEIGHTS', '-1', 'WITHSCORES'],
    ['ZADD', 'c', '0.1', 'x'], ['ZADD', 'd', '0.2', 'x'], ['ZADD', 'e', '0.3', 'x', '1', 'p'],
    ['ZUNION', '3', 'c', 'd', 'e', 'WITHSCORES'], ['ZUNION', '3', 'e', 'd', 'c', 'WITHSCORES'], ['ZINTER', '3', 'e', 'c', 'd', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', 'x'], ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1'], ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'AVG'],
    ['ZUNION', '2', 'a', 'b', 'AGGREGATE'], ['ZUNION', '0', 'a'], ['ZUNION', '-1', 'a'], ['ZUNION', 'x', 'a'], ['ZUNION', '3', 'a', 'b'],
    ['ZINTER', '0', 'a'], ['ZDIFF', '0', 'a'], ['ZDIFF', '2', 'a', 'b', 'WEIGHTS', '1', '2'], ['ZDIFF', '2', 'a', 'b', 'AGGREGATE', 'SUM'],
    ['ZUNION', '2', 'a', 'b', 'FOO'], ['ZUNION', '2', 'a', 'b', 'LIMIT', '1'], ['ZUNION', '1', 'a', 'WITHSCORES', 'WITHSCORES'],
    ['SET', 'str', 'x'], ['ZUNION', '2', 'a', 'str'], ['ZINTER', '2', 'nokey', 'str'], ['ZDIFF', '2', 'a', 'str'], ['ZUNION', '2', 'str', 'a', 'WEIGHTS', 'x'],
    ['ZUNION', '1'], ['ZUNION'],
  ]));

  it('ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE / ZINTERCARD', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'], ['ZADD', 'b', '10', 'y', '20', 'z', '30', 'w'], ['SADD', 's', 'x', 'w'],
    ['ZUNIONSTORE', 'u', '2', 'a', 'b'], ['ZRANGE', 'u', '0', '-1', 'WITHSCORES'],
    ['ZUNIONSTORE', 'u', '2', 'a', 'b', 'WEIGHTS', '1', '2', 'AGGREGATE', 'MAX'], ['ZRANGE', 'u', '0', '-1', 'WITHSCORES'],
    ['ZINTERSTORE', 'i', '2', 'a', 'b'], ['ZRANGE', 'i', '0', '-1', 'WITHSCORES'], ['ZINTERSTORE', 'i', '2', 'a', 'nokey'], ['EXISTS', 'i'],
    ['ZINTERSTORE', 'i', '2', 'a', 's'], ['ZRANGE', 'i', '0', '-1', 'WITHSCORES'],
    ['ZDIFFSTORE', 'd', '2', 'a', 'b'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'], ['ZDIFFSTORE', 'd', '2', 'a', 'a'], ['EXISTS', 'd'],
    ['ZUNIONSTORE', 'a', '2', 'a', 'b'], ['ZRANGE', 'a', '0', '-1', 'WITHSCORES'],
    ['ZUNIONSTORE', 'x', '2', 'a', 'b', 'WITHSCORES'], ['ZINTERSTORE', 'x', '0', 'a'], ['ZDIFFSTORE', 'x', '0', 'a'],
    ['ZUNIONSTORE', 'x', '3', 'a', 'b'], ['ZDIFFSTORE', 'x', '1', 'a', 'WEIGHTS', '1'],
    ['SET', 'str', 'v'], ['ZUNIONSTORE', 'str', '1', 'b'], ['TYPE', 'str'], ['ZUNIONSTORE', 'x', '1', 'str'],
    ['SET', 'ttl', 'v'], ['EXPIRE', 'ttl', '100'], ['ZUNIONSTORE', 'ttl', '1', 'b'], ['TTL', 'ttl'],
    ['ZUNIONSTORE', 'x'], ['ZUNIONSTORE', 'x', '1'],
    ['ZINTERCARD', '2', 'a', 'b'], ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '0'],
    ['ZINTERCARD', '2', 'a', 's'], ['ZINTERCARD', '1', 'nokey'], ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '-1'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', 'x'], ['ZINTERCARD', '2', 'a', 'b', 'WITHSCORES'], ['ZINTERCARD', '2', 'a', 'b', 'WEIGHTS', '1', '1'],
    ['ZINTERCARD', '2', 'a', 'b', 'AGGREGATE', 'SUM'], ['ZINTERCARD', '0', 'a'], ['ZINTERCARD', '3', 'a', 'b'], ['ZINTERCARD', '2', 'a', 'str'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT'], ['ZINTERCARD', '1'],
  ]));

  it('ZPOPMIN / ZPOPMAX / ZMPOP', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z'], ['ZPOPMIN', 'z', '2'], ['ZPOPMAX', 'z', '0'], ['ZPOPMAX', 'z', '10'], ['EXISTS', 'z'],
    ['ZPOPMIN', 'nokey'], ['ZPOPMIN', 'nokey', '3'], ['ZPOPMIN', 'z', '-1'], ['ZPOPMIN', 'z', 'x'], ['ZPOPMIN', 'z', '1', '2'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'y', '7', 'q'],
    ['ZMPOP', '2', 'nokey', 'z', 'MIN'], ['ZMPOP', '2', 'nokey', 'z', 'MAX', 'COUNT', '10'], ['ZMPOP', '2', 'nokey', 'z', 'MIN'],
    ['ZMPOP', '3', 'nokey', 'z', 'y', 'max', 'count', '1'], ['EXISTS', 'y'],
    ['ZADD', 'z', '1', 'a'], ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '0'], ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '-1'], ['ZMPOP', '1', 'z', 'MIN', 'COUNT', 'x'],
    ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '1', 'COUNT', '1'], ['ZMPOP', '1', 'z', 'MIN', 'COUNT'], ['ZMPOP', '1', 'z', 'FOO'],
    ['ZMPOP', '0', 'z', 'MIN'], ['ZMPOP', '-1', 'z', 'MIN'], ['ZMPOP', 'x', 'z', 'MIN'], ['ZMPOP', '2', 'z', 'MIN'], ['ZMPOP', '5', 'z', 'MIN'],
    ['ZMPOP', '1', 'z', 'MIN', 'BAR'], ['ZMPOP', '1', 'z'],
    ['SET', 'str', 'x'], ['ZPOPMIN', 'str'], ['ZMPOP', '2', 'nokey', 'str', 'MIN'], ['ZMPOP', '2', 'z', 'str', 'MIN'], ['ZPOPMIN'],
  ]));

  it('ZRANDMEMBER', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    typ('ZRANDMEMBER', 'z'), len('ZRANDMEMBER', 'z', '3'), len('ZRANDMEMBER', 'z', '-10'), len('ZRANDMEMBER', 'z', '3', 'WITHSCORES'),
    len('ZRANDMEMBER', 'z', '-7', 'WITHSCORES'), ['ZRANDMEMBER', 'z', '5'], ['ZRANDMEMBER', 'z', '50', 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', '0'], ['ZRANDMEMBER', 'z', '0', 'WITHSCORES'], len('ZRANDMEMBER', 'z', '4'), len('ZRANDMEMBER', 'z', '1', 'withscores'),
    ['ZRANDMEMBER', 'nokey'], ['ZRANDMEMBER', 'nokey', '3'], ['ZRANDMEMBER', 'nokey', '-3', 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', 'x'], ['ZRANDMEMBER', 'z', '1', 'FOO'], ['ZRANDMEMBER', 'z', '1', 'WITHSCORES', 'x'],
    ['ZRANDMEMBER', 'z', '-9223372036854775808'], ['ZRANDMEMBER', 'z', '4611686018427387904', 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', '-4611686018427387904', 'WITHSCORES'], ['ZRANDMEMBER', 'z', '-9223372036854775808', 'WITHSCORES'],
    ['ZADD', 'one', '7', 'only'], ['ZRANDMEMBER', 'one'], ['ZRANDMEMBER', 'one', '-3', 'WITHSCORES'],
    ['SET', 'str', 'x'], ['ZRANDMEMBER', 'str'], ['ZRANDMEMBER', 'str', '1'], ['ZRANDMEMBER'],
  ]));

  it('ZSCAN', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '1', 'a', '2.5', 'b', '1e18', 'c', '-inf', 'd', '0.1', 'e'], ['ZSCAN', 'z', '0'], ['ZSCAN', 'z', '0', 'MATCH', '[ab]'],
    ['ZSCAN', 'z', '0', 'COUNT', '1'], ['ZSCAN', 'nokey', '0'], ['ZSCAN', 'z', 'x'], ['ZSCAN', 'z', '0', 'COUNT', '0'], ['ZSCAN', 'z', '0', 'TYPE', 'zset'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
    ['ZADD', 's', '1', 'a', '2.5', 'b', '1e18', 'c', '-inf', 'd', '0.1', 'e'], ['ZSCAN', 's', '0', 'MATCH', 'c'], ['ZSCAN', 's', '0', 'MATCH', 'e'],
    ['ZSCAN', 's', '0', 'MATCH', 'd'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ['SET', 'str', 'x'], ['ZSCAN', 'str', '0'],
  ]));

  it('RESP3 replies', () => expectSame(pair(), [
    ['HELLO', '3'],
    ['FLUSHALL'],
    ['ZADD', 'z', '1', 'a', '2.5', 'b', '3', 'c', '+inf', 'd'], ['ZADD', 'z', 'INCR', '1', 'a'], ['ZADD', 'z', 'NX', 'INCR', '1', 'a'],
    ['ZINCRBY', 'z', '0.5', 'b'], ['ZSCORE', 'z', 'a'], ['ZSCORE', 'z', 'd'], ['ZSCORE', 'z', 'nope'], ['ZMSCORE', 'z', 'a', 'nope'],
    ['ZRANK', 'z', 'nope'], ['ZRANGE', 'z', '0', '-1'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'WITHSCORES'],
    ['ZREVRANGE', 'z', '0', '1', 'WITHSCORES'], ['ZUNION', '1', 'z', 'WITHSCORES'], ['ZINTER', '1', 'z', 'WITHSCORES'], ['ZDIFF', '1', 'z', 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', '10', 'WITHSCORES'], ['ZRANDMEMBER', 'z', '0', 'WITHSCORES'], ['ZRANDMEMBER', 'nokey'],
    ['ZSCAN', 'z', '0'], ['ZPOPMIN', 'z'], ['ZPOPMIN', 'z', '1'], ['ZPOPMAX', 'z', '5'], ['ZPOPMIN', 'nokey'], ['ZPOPMIN', 'nokey', '1'],
    ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZMPOP', '1', 'z', 'MIN'], ['ZMPOP', '1', 'z', 'MAX', 'COUNT', '5'], ['ZMPOP', '1', 'z', 'MIN'],
    ['ZADD', 'z', '1', 'a'], ['BZPOPMIN', 'z', '0'], ['BZMPOP', '0.01', '1', 'nokey', 'MIN'], ['BZPOPMIN', 'nokey', '0.01'],
    ['HELLO', '2'],
  ]));

  it('blocking pops served immediately, and their argument errors', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'y', '9', 'q'],
    ['BZPOPMIN', 'nokey', 'z', '0'], ['BZPOPMAX', 'z', 'y', '1'], ['BZMPOP', '1', '2', 'nokey', 'z', 'MIN', 'COUNT', '5'], ['EXISTS', 'z'],
    ['BZMPOP', '0', '1', 'y', 'MAX'], ['EXISTS', 'y'],
    ['BZPOPMIN', 'z', 'x'], ['BZPOPMIN', 'z', '-1'], ['BZPOPMIN', 'z', '1e500'], ['BZPOPMIN', 'z', 'nan'],
    ['BZMPOP', 'x', '1', 'z', 'MIN'], ['BZMPOP', '0', '0', 'z', 'MIN'], ['BZMPOP', '0', '1', 'z', 'FOO'], ['BZMPOP', '0', '2', 'z', 'MIN'],
    ['BZMPOP', '-1', '1', 'z', 'MIN'], ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '0'], ['BZMPOP', '0', '1', 'z'],
    ['SET', 'str', 'x'], ['BZPOPMIN', 'str', '0'], ['BZPOPMIN', 'nokey', 'str', '0'], ['BZMPOP', '0', '1', 'str', 'MIN'],
    ['BZPOPMIN', 'z'], ['BZPOPMAX'], ['BZMPOP', '0', '1', 'z'],
    ['BZPOPMIN', 'nokey', '0.01'], ['BZPOPMAX', 'nokey', 'nokey2', '0.02'], ['BZMPOP', '0.01', '1', 'nokey', 'MIN'],
  ]));

  // ---- blocking with two connections per server ------------------------------------------------

  /** `blocked(n)` resolves once the server has at least n clients blocked on keys. */
  interface Side { waiter: RawClient; pusher: RawClient; blocked: (n?: number) => Promise<void> }

  async function pollUntil(cond: () => Promise<boolean> | boolean): Promise<void> {
    const end = Date.now() + 5000;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error('client never blocked');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  function blockedProbe(which: 'real' | 'ours', probe: RawClient) {
    return (n = 1) => pollUntil(async () => {
      if (which === 'ours') return [...pair().ours.server.clients.values()].filter((c) => c.blocked).length >= n;
      const info = await probe.call('INFO', 'clients');
      return Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? 0) >= n;
    });
  }

  async function sides(): Promise<{ real: Side; ours: Side; close: () => void }> {
    const p = pair();
    const realProbe = await p.real.client();
    const rp = await p.real.client(), op = await p.ours.client();
    const real = { waiter: await p.real.client(), pusher: rp, blocked: blockedProbe('real', realProbe) };
    const ours = { waiter: await p.ours.client(), pusher: op, blocked: blockedProbe('ours', op) };
    return { real, ours, close: () => { realProbe.close(); for (const s of [real, ours]) { s.waiter.close(); s.pusher.close(); } } };
  }

  /** Run the same blocking scenario on both servers; return the exact reply bytes per step. */
  async function scenario(fn: (s: Side) => Promise<string[]>): Promise<void> {
    const s = await sides();
    try {
      const [a, b] = await Promise.all([fn(s.real), fn(s.ours)]);
      expect(b).toEqual(a);
    } finally {
      s.close();
    }
  }

  const send = (c: RawClient, ...argv: string[]) => c.write(encodeCommand(argv));

  it('BZPOPMIN blocks until ZADD, and the reply carries the key', () => scenario(async ({ waiter, pusher, blocked }) => {
    const out: string[] = [];
    out.push(await pusher.call('DEL', 'bk1', 'bk2'));
    send(waiter, 'BZPOPMIN', 'bk1', 'bk2', '0');
    await blocked();
    out.push(await pusher.call('ZADD', 'bk2', '5', 'x', '3', 'y'));
    out.push((await waiter.reply()).bytes);
    out.push(await pusher.call('ZRANGE', 'bk2', '0', '-1', 'WITHSCORES'));
    send(waiter, 'BZPOPMAX', 'bk1', '0');
    await blocked();
    out.push(await pusher.call('ZADD', 'bk1', '1', 'a', '2', 'b'));
    out.push((await waiter.reply()).bytes);
    return out;
  }));

  it('blocked clients are served FIFO, and one ZADD serves as many as it has members', async () => {
    const p = pair();
    for (const [which, srv] of [['real', p.real], ['ours', p.ours]] as const) {
      const w1 = await srv.client(), w2 = await srv.client(), w3 = await srv.client(), pu = await srv.client();
      const blocked = blockedProbe(which, pu);
      try {
        await pu.call('DEL', 'fifo');
        send(w1, 'BZPOPMIN', 'fifo', '0'); await blocked(1);
        send(w2, 'BZPOPMIN', 'fifo', '0'); await blocked(2);
        send(w3, 'BZPOPMIN', 'fifo', '0'); await blocked(3);
        expect(await pu.call('ZADD', 'fifo', '1', 'a', '2', 'b')).toBe(':2\r\n');
        expect((await w1.reply()).bytes).toBe('*3\r\n$4\r\nfifo\r\n$1\r\na\r\n$1\r\n1\r\n');
        expect((await w2.reply()).bytes).toBe('*3\r\n$4\r\nfifo\r\n$1\r\nb\r\n$1\r\n2\r\n');
        expect(await pu.call('EXISTS', 'fifo')).toBe(':0\r\n');
        expect(w3.pending()).toBe('');
        expect(await pu.call('ZADD', 'fifo', '9', 'c')).toBe(':1\r\n');
        expect((await w3.reply()).bytes).toBe('*3\r\n$4\r\nfifo\r\n$1\r\nc\r\n$1\r\n9\r\n');
      } finally {
        for (const c of [w1, w2, w3, pu]) c.close();
      }
    }
  });

  it('BZMPOP blocks and is served with COUNT, in RESP3 too', () => scenario(async ({ waiter, pusher, blocked }) => {
    const out: string[] = [];
    out.push(await pusher.call('DEL', 'mk'));
    send(waiter, 'BZMPOP', '0', '2', 'nokey', 'mk', 'MAX', 'COUNT', '2');
    await blocked();
    out.push(await pusher.call('ZADD', 'mk', '1', 'a', '2', 'b', '3', 'c'));
    out.push((await waiter.reply()).bytes);
    out.push(await waiter.call('HELLO', '3').then((r) => r.slice(0, 1)));
    send(waiter, 'BZMPOP', '0', '1', 'mk2', 'MIN');
    await blocked();
    out.push(await pusher.call('ZADD', 'mk2', '1.5', 'a'));
    out.push((await waiter.reply()).bytes);
    send(waiter, 'BZPOPMIN', 'mk3', '0');
    await blocked();
    out.push(await pusher.call('ZADD', 'mk3', '2', 'z'));
    out.push((await waiter.reply()).bytes);
    return out;
  }));

  it('timeouts reply a null array; other types under the key do not wake the client', () => scenario(async ({ waiter, pusher, blocked }) => {
    const out: string[] = [];
    out.push(await pusher.call('DEL', 'tk'));
    out.push(await waiter.call('BZPOPMIN', 'tk', '0.1'));
    out.push(await waiter.call('BZMPOP', '0.1', '1', 'tk', 'MIN'));
    send(waiter, 'BZPOPMIN', 'tk', '0.3');
    await blocked();
    out.push(await pusher.call('SADD', 'tk', 'a'));
    out.push(await pusher.call('DEL', 'tk'));
    out.push((await waiter.reply()).bytes);
    out.push(await waiter.call('HELLO', '3').then((r) => r.slice(0, 1)));
    out.push(await waiter.call('BZPOPMAX', 'tk', '0.05'));
    return out;
  }));

  it('a key created by ZUNIONSTORE / ZRANGESTORE wakes the client; overwriting does not', () => scenario(async ({ waiter, pusher, blocked }) => {
    const out: string[] = [];
    out.push(await pusher.call('DEL', 'wk', 'src'));
    out.push(await pusher.call('ZADD', 'src', '1', 'a', '2', 'b'));
    send(waiter, 'BZPOPMAX', 'wk', '0');
    await blocked();
    out.push(await pusher.call('ZUNIONSTORE', 'wk', '1', 'src'));
    out.push((await waiter.reply()).bytes);
    out.push(await pusher.call('DEL', 'wk'));
    send(waiter, 'BZPOPMIN', 'wk', '0');
    await blocked();
    out.push(await pusher.call('ZRANGESTORE', 'wk', 'src', '0', '0'));
    out.push((await waiter.reply()).bytes);
    out.push(await pusher.call('DEL', 'wk'));
    send(waiter, 'BZPOPMIN', 'wk', '0.4');
    await blocked();
    out.push(await pusher.call('SET', 'wk', 'string'));
    out.push(await pusher.call('ZUNIONSTORE', 'wk', '1', 'src'));
    out.push(await pusher.call('TYPE', 'wk'));
    out.push((await waiter.reply()).bytes);
    return out;
  }));

  it('clients that may not block (EXEC, scripts) get a null array at once', async () => {
    const p = pair();
    // Real Redis: inside MULTI/EXEC the blocking pops answer like a timeout.
    const real = await p.real.client();
    try {
      await real.call('MULTI');
      await real.call('BZPOPMIN', 'nb', '0');
      await real.call('BZMPOP', '0', '1', 'nb', 'MIN');
      expect(await real.call('EXEC')).toBe('*2\r\n*-1\r\n*-1\r\n');
    } finally { real.close(); }
    // Ours: the same answer whenever the client carries denyBlocking (set by EXEC / scripts).
    const ours = await p.ours.client();
    try {
      await ours.call('PING');
      const c = [...p.ours.server.clients.values()].reduce((a, b) => (b.id > a.id ? b : a)); // the newest connection
      c.denyBlocking = true;
      expect(await ours.call('BZPOPMIN', 'nb', '0')).toBe('*-1\r\n');
      expect(await ours.call('BZMPOP', '0', '1', 'nb', 'MIN')).toBe('*-1\r\n');
      expect(await ours.call('HELLO', '3')).toMatch(/^%/);
      expect(await ours.call('BZPOPMAX', 'nb', '0')).toBe('_\r\n');
      c.denyBlocking = false;
    } finally { ours.close(); }
  });

  it('large skiplist sets: ranks, ranges, removals and algebra', async () => {
    let seed = 7;
    const rnd = () => { seed = (seed * 48271) % 2147483647; return seed / 2147483647; };
    const add: string[] = [];
    for (let i = 0; i < 600; i++) add.push(String(Math.floor(rnd() * 200) / 4), `m${Math.floor(rnd() * 1000)}`);
    const lex: string[] = [];
    for (let i = 0; i < 300; i++) lex.push('0', `k${(i * 7919) % 1000}`);
    const steps: Step[] = [
      ['FLUSHALL'], ['ZADD', 'big', ...add], ['ZCARD', 'big'], ['OBJECT', 'ENCODING', 'big'], ['ZADD', 'lex', ...lex],
      ['ZRANGE', 'big', '0', '-1', 'WITHSCORES'], ['ZRANGE', 'big', '100', '130'], ['ZREVRANGE', 'big', '5', '40', 'WITHSCORES'],
      ['ZRANGEBYSCORE', 'big', '(10', '20.5', 'WITHSCORES', 'LIMIT', '3', '25'], ['ZREVRANGEBYSCORE', 'big', '40', '(30', 'LIMIT', '2', '7'],
      ['ZCOUNT', 'big', '10', '(20'], ['ZCOUNT', 'big', '-inf', '+inf'], ['ZRANGEBYLEX', 'lex', '[k100', '(k2'], ['ZLEXCOUNT', 'lex', '(k5', '+'],
      ['ZREVRANGEBYLEX', 'lex', '+', '[k9', 'LIMIT', '1', '5'], ['ZRANGE', 'lex', '[k3', '[k4', 'BYLEX', 'LIMIT', '2', '4'],
    ];
    for (let i = 0; i < 20; i++) steps.push(['ZRANK', 'big', `m${i * 37}`], ['ZREVRANK', 'big', `m${i * 41}`], ['ZSCORE', 'big', `m${i * 13}`]);
    steps.push(
      ['ZREMRANGEBYRANK', 'big', '10', '19'], ['ZREMRANGEBYSCORE', 'big', '(45', '47'], ['ZREMRANGEBYLEX', 'lex', '[k2', '(k3'],
      ['ZCARD', 'big'], ['ZCARD', 'lex'], ['ZRANGE', 'big', '0', '50', 'WITHSCORES'],
      ['ZUNIONSTORE', 'u', '2', 'big', 'lex', 'WEIGHTS', '2', '3'], ['OBJECT', 'ENCODING', 'u'], ['ZRANGE', 'u', '0', '-1', 'WITHSCORES'],
      ['ZINTERSTORE', 'i', '2', 'big', 'u', 'AGGREGATE', 'MAX'], ['ZRANGE', 'i', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'i'],
      ['ZDIFF', '2', 'u', 'big', 'WITHSCORES'], ['ZINTERCARD', '2', 'big', 'u', 'LIMIT', '100'],
      ['ZRANGESTORE', 'rs', 'big', '0', '99'], ['OBJECT', 'ENCODING', 'rs'], ['ZRANGESTORE', 'rs', 'big', '0', '200'], ['OBJECT', 'ENCODING', 'rs'],
      ['ZPOPMIN', 'big', '5'], ['ZPOPMAX', 'big', '5'], ['ZMPOP', '1', 'big', 'MIN', 'COUNT', '3'], ['ZRANGE', 'big', '0', '-1'],
      ['ZREMRANGEBYRANK', 'big', '0', '-100'], ['OBJECT', 'ENCODING', 'big'], ['ZRANGE', 'big', '0', '-1', 'WITHSCORES'],
    );
    await expectSame(pair(), steps);
  });
});
