import { it } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';

describeDifferential('strings (differential)', (pair) => {
  it('GET/SET and options', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 'foo', 'bar'], ['GET', 'foo'], ['GET', 'nokey'],
    ['SET', 'foo', 'baz', 'NX'], ['SET', 'foo', 'baz', 'XX'], ['GET', 'foo'],
    ['SET', 'n', 'v', 'XX'], ['SET', 'foo', 'x', 'NX', 'XX'], ['SET', 'foo', 'x', 'EX', '10', 'PX', '100'],
    ['SET', 'foo', 'x', 'EX', 'abc'], ['SET', 'foo', 'x', 'EX', '0'], ['SET', 'foo', 'x', 'EX', '-5'],
    ['SET', 'foo', 'x', 'EX', '9223372036854775807'], ['SET', 'foo', 'x', 'KEEPTTL', 'EX', '5'],
    ['SET', 'foo', 'new', 'GET'], ['SET', 'nokey2', 'v', 'GET'], ['SET', 'foo', 'x', 'bogus'],
    ['SET', 'foo'], ['SET', 'foo', 'x', 'EX'], ['SET', 'foo', 'x', 'ex\0junk', '10'],
    ['SETNX', 'foo', '1'], ['SETNX', 'fresh', '1'],
    ['SETEX', 'se', '100', 'v'], ['TTL', 'se'], ['SETEX', 'se', '0', 'v'], ['PSETEX', 'pse', '100000', 'v'], { cmd: ['PTTL', 'pse'], compare: 'type' },
    ['GETEX', 'se', 'PERSIST'], ['TTL', 'se'], ['GETEX', 'se', 'EX', '50'], ['TTL', 'se'], ['GETEX', 'nokey'], ['GETEX', 'se', 'PERSIST', 'EX', '1'],
    ['GETDEL', 'se'], ['GETDEL', 'se'], ['GETSET', 'foo', 'g'], ['GETSET', 'newk', 'g'],
  ]));

  it('ranges, append, strlen', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 'k', 'Hello World'], ['GETRANGE', 'k', '0', '4'], ['GETRANGE', 'k', '-5', '-1'], ['GETRANGE', 'k', '5', '2'],
    ['GETRANGE', 'k', '0', '-100'], ['GETRANGE', 'k', '-100', '100'], ['GETRANGE', 'nokey', '0', '1'], ['GETRANGE', 'k', 'a', '1'],
    ['SUBSTR', 'k', '0', '2'],
    ['SETRANGE', 'k', '6', 'Redis'], ['GET', 'k'], ['SETRANGE', 'pad', '5', 'x'], ['GET', 'pad'], ['SETRANGE', 'k', '-1', 'x'],
    ['SETRANGE', 'k', '0', ''], ['SETRANGE', 'empty', '0', ''], ['EXISTS', 'empty'], ['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'], ['SETRANGE', 'k', '1048576', 'x'], ['SETRANGE', 'k', '1048575', 'x'], ['STRLEN', 'k'], ['APPEND', 'k', 'yy'], ['CONFIG', 'SET', 'proto-max-bulk-len', '512mb'],
    ['APPEND', 'a', 'abc'], ['APPEND', 'a', 'def'], ['GET', 'a'], ['STRLEN', 'a'], ['STRLEN', 'nokey'],
    ['OBJECT', 'ENCODING', 'a'], ['SET', 'i', '123'], ['OBJECT', 'ENCODING', 'i'], ['APPEND', 'i', '4'], ['OBJECT', 'ENCODING', 'i'],
    ['SET', 'long', 'x'.repeat(45)], ['OBJECT', 'ENCODING', 'long'], ['SET', 'e', 'x'.repeat(44)], ['OBJECT', 'ENCODING', 'e'],
  ]));

  it('counters', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['INCR', 'c'], ['INCR', 'c'], ['DECR', 'c'], ['INCRBY', 'c', '100'], ['DECRBY', 'c', '50'], ['INCRBY', 'c', 'x'],
    ['SET', 'big', '9223372036854775806'], ['INCR', 'big'], ['INCR', 'big'], ['SET', 'small', '-9223372036854775807'], ['DECR', 'small'], ['DECR', 'small'],
    ['DECRBY', 'c', '-9223372036854775808'], ['INCRBY', 'c', '9223372036854775808'],
    ['SET', 's', ' 1'], ['INCR', 's'], ['SET', 's', '01'], ['INCR', 's'], ['SET', 's', '1.5'], ['INCR', 's'],
    ['INCRBYFLOAT', 'f', '0.1'], ['INCRBYFLOAT', 'f', '0.1'], ['INCRBYFLOAT', 'f', '0.1'], ['INCRBYFLOAT', 'f', '10.5'],
    ['INCRBYFLOAT', 'f', '5.0e3'], ['INCRBYFLOAT', 'f', '-5000'], ['INCRBYFLOAT', 'f', 'abc'], ['INCRBYFLOAT', 'f', 'inf'],
    ['SET', 'f2', '1'], ['INCRBYFLOAT', 'f2', '1.1'], ['OBJECT', 'ENCODING', 'f2'], ['INCRBYFLOAT', 'f2', '-2.1'], ['GET', 'f2'],
  ]));

  it('MGET/MSET/MSETNX/LCS', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['MSET', 'a', '1', 'b', '2'], ['MGET', 'a', 'b', 'c'], ['MSET', 'a'], ['MSET', 'a', '1', 'b'],
    ['MSETNX', 'a', '5', 'z', '6'], ['MSETNX', 'y', '5', 'z', '6'], ['MGET', 'y', 'z'],
    ['SET', 'k1', 'ohmytext'], ['SET', 'k2', 'mynewtext'], ['LCS', 'k1', 'k2'], ['LCS', 'k1', 'k2', 'LEN'],
    ['LCS', 'k1', 'k2', 'IDX'], ['LCS', 'k1', 'k2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'], ['LCS', 'k1', 'k2', 'LEN', 'IDX'],
    ['LCS', 'k1', 'nokey'], ['LCS', 'k1', 'k2', 'FOO'],
  ]));
});
