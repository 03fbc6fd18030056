import { it, expect } from 'vitest';
import { describeDifferential, expectSame, type Step } from '../support/differential';
import { recordKeyspaceEvents } from '../support/keyspace-events';
import { expectSameScenario, scanAll } from '../support/scenario';
import { attachOurReplica, attachRealReplica, settle } from '../support/repl-stream';

const BIN = 'f\0\xff\r\n';
const sorted = (cmd: string[]): Step => ({ cmd, compare: 'sorted' });

describeDifferential('hashes (differential)', (pair) => {
  it('basic field operations (listpack order is insertion order)', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'], ['HSET', 'h', 'f1', 'new', 'f3', 'v3'], ['HGET', 'h', 'f1'], ['HGET', 'h', 'nope'], ['HGET', 'nokey', 'f'],
    ['HMGET', 'h', 'f1', 'nope', 'f3'], ['HMGET', 'nokey', 'a', 'b'], ['HLEN', 'h'], ['HLEN', 'nokey'],
    ['HEXISTS', 'h', 'f2'], ['HEXISTS', 'h', 'zz'], ['HEXISTS', 'nokey', 'f'], ['HSTRLEN', 'h', 'f1'], ['HSTRLEN', 'h', 'zz'], ['HSTRLEN', 'nokey', 'f'],
    ['HGETALL', 'h'], ['HKEYS', 'h'], ['HVALS', 'h'], ['HGETALL', 'nokey'], ['HKEYS', 'nokey'], ['HVALS', 'nokey'],
    ['HDEL', 'h', 'f2', 'zz', 'f2'], ['HGETALL', 'h'], ['HDEL', 'nokey', 'f'], ['HDEL', 'h', 'f1', 'f3', 'more'], ['EXISTS', 'h'],
    ['HSETNX', 'n', 'f', 'v'], ['HSETNX', 'n', 'f', 'other'], ['HGET', 'n', 'f'], ['HMSET', 'n', 'a', '1', 'b', '2'], ['HGETALL', 'n'],
    ['HSET', 'b', BIN, BIN, '', '', '\0', 'x'], ['HGETALL', 'b'], ['HGET', 'b', ''], ['HSTRLEN', 'b', BIN], ['HEXISTS', 'b', '\0'], ['HDEL', 'b', ''],
    ['HSET', 'num', '1', '100', '-5', '9223372036854775807', '01', '1.5'], ['HGETALL', 'num'], ['HSTRLEN', 'num', '-5'],
    ['OBJECT', 'ENCODING', 'n'], ['TYPE', 'n'],
    ['HSET', 'dup', 'f', '1', 'f', '2'], ['HGETALL', 'dup'], ['HLEN', 'dup'],
  ]));

  it('errors: wrong type, arity, syntax', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 's', 'v'], ['RPUSH', 'l', 'x'],
    ['HSET', 's', 'f', 'v'], ['HSETNX', 's', 'f', 'v'], ['HMSET', 'l', 'f', 'v'], ['HGET', 's', 'f'], ['HMGET', 's', 'f'], ['HGETALL', 's'],
    ['HKEYS', 'l'], ['HVALS', 's'], ['HDEL', 's', 'f'], ['HLEN', 's'], ['HSTRLEN', 's', 'f'], ['HEXISTS', 's', 'f'], ['HINCRBY', 's', 'f', '1'],
    ['HINCRBYFLOAT', 's', 'f', '1'], ['HRANDFIELD', 's'], ['HRANDFIELD', 's', '2'], ['HSCAN', 's', '0'],
    ['HSET', 'h', 'f'], ['HSET', 'h', 'f', 'v', 'g'], ['HMSET', 'h', 'f', 'v', 'g'], ['HSET', 'h'], ['HSETNX', 'h', 'f'], ['HGET', 'h'],
    ['HMGET', 'h'], ['HDEL', 'h'], ['HLEN'], ['HSTRLEN', 'h'], ['HEXISTS', 'h'], ['HKEYS'], ['HVALS', 'a', 'b'], ['HGETALL'],
    ['HINCRBY', 'h', 'f'], ['HINCRBYFLOAT', 'h', 'f'], ['HRANDFIELD'], ['HSCAN', 'h'], ['EXISTS', 'h'],
    ['hset', 'h', 'lower', 'x'], ['HsEt', 'h', 'Mixed', 'y'], ['HGETALL', 'h'],
  ]));

  it('HINCRBY and HINCRBYFLOAT', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['HINCRBY', 'h', 'c', '5'], ['HINCRBY', 'h', 'c', '-10'], ['HINCRBY', 'h', 'c', '0'], ['HGET', 'h', 'c'],
    ['HINCRBY', 'h', 'c', 'x'], ['HINCRBY', 'h', 'c', '1.5'], ['HINCRBY', 'h', 'c', ' 1'], ['HINCRBY', 'h', 'c', '9223372036854775808'],
    ['HSET', 'h', 'big', '9223372036854775806'], ['HINCRBY', 'h', 'big', '1'], ['HINCRBY', 'h', 'big', '1'],
    ['HSET', 'h', 'small', '-9223372036854775807'], ['HINCRBY', 'h', 'small', '-1'], ['HINCRBY', 'h', 'small', '-1'], ['HINCRBY', 'h', 'small', '9223372036854775807'],
    ['HSET', 'h', 'str', 'abc'], ['HINCRBY', 'h', 'str', '1'], ['HSET', 'h', 'sp', ' 1'], ['HINCRBY', 'h', 'sp', '1'], ['HSET', 'h', 'flt', '1.0'], ['HINCRBY', 'h', 'flt', '1'],
    ['HSET', 'h', 'lz', '007'], ['HINCRBY', 'h', 'lz', '1'], ['HINCRBY', 'nokey', 'f', 'x'], ['EXISTS', 'nokey'],
    ['HINCRBYFLOAT', 'f', 'x', '0.1'], ['HINCRBYFLOAT', 'f', 'x', '0.1'], ['HINCRBYFLOAT', 'f', 'x', '0.1'], ['HINCRBYFLOAT', 'f', 'x', '10.5'],
    ['HINCRBYFLOAT', 'f', 'x', '5.0e3'], ['HINCRBYFLOAT', 'f', 'x', '-5000'], ['HINCRBYFLOAT', 'f', 'x', '-10.8'], ['HGET', 'f', 'x'],
    ['HINCRBYFLOAT', 'f', 'x', 'abc'], ['HINCRBYFLOAT', 'f', 'x', 'inf'], ['HINCRBYFLOAT', 'f', 'x', '-Infinity'], ['HINCRBYFLOAT', 'f', 'x', 'nan'],
    ['HINCRBYFLOAT', 'f', 'x', ''], ['HINCRBYFLOAT', 'f', 'x', ' 1'], ['HINCRBYFLOAT', 'f', 'x', '1e5000'], ['HINCRBYFLOAT', 'f', 'x', '0x10'],
    ['HSET', 'f', 'huge', '1.5e308'], ['HINCRBYFLOAT', 'f', 'huge', '1.5e308'], ['HINCRBYFLOAT', 'f', 'huge', '1e4930'], ['HINCRBYFLOAT', 'f', 'huge', '1e4932'],
    ['HSET', 'f', 'nf', 'notafloat'], ['HINCRBYFLOAT', 'f', 'nf', '1'], ['HSET', 'f', 'inf', 'inf'], ['HINCRBYFLOAT', 'f', 'inf', '1'],
    ['HSET', 'f', 'int', '3'], ['HINCRBYFLOAT', 'f', 'int', '1'], ['HINCRBYFLOAT', 'f', 'int', '1.5'], ['HINCRBYFLOAT', 'f', 'int', '-4.5'], ['HGET', 'f', 'int'],
    ['HINCRBYFLOAT', 'f', 'tiny', '1e-20'], ['HINCRBYFLOAT', 'f', 'neg0', '-0'], ['OBJECT', 'ENCODING', 'f'], sorted(['HGETALL', 'f']),
  ]));

  it('listpack to hashtable conversion thresholds', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '4'], ['CONFIG', 'SET', 'hash-max-listpack-value', '8'],
    ['HSET', 'e', 'a', '1', 'b', '2', 'c', '3', 'd', '4'], ['OBJECT', 'ENCODING', 'e'], ['HSET', 'e', 'a', 'x'], ['OBJECT', 'ENCODING', 'e'],
    ['HSET', 'e', 'e', '5'], ['OBJECT', 'ENCODING', 'e'], ['HDEL', 'e', 'e', 'd'], ['OBJECT', 'ENCODING', 'e'],
    ['HSET', 'v', 'f', '12345678'], ['OBJECT', 'ENCODING', 'v'], ['HSET', 'v', 'f', '123456789'], ['OBJECT', 'ENCODING', 'v'],
    ['HSET', 'k', '123456789', 'x'], ['OBJECT', 'ENCODING', 'k'],
    // tryConversion looks at every argument, even when the field already had that value.
    ['HSET', 'same', 'f', 'short'], ['HSETNX', 'same', 'f', 'muchlongervalue'], ['OBJECT', 'ENCODING', 'same'],
    ['HSETNX', 'same', 'g', 'muchlongervalue'], ['OBJECT', 'ENCODING', 'same'],
    ['HSET', 'hm', 'a', '1'], ['HMSET', 'hm', 'a', '1', 'b', 'longer-than-8'], ['OBJECT', 'ENCODING', 'hm'],
    ['HINCRBY', 'inc', 'f', '123456789'], ['OBJECT', 'ENCODING', 'inc'], ['HINCRBY', 'inc', 'f', '1'], ['OBJECT', 'ENCODING', 'inc'],
    ['HINCRBY', 'inc2', 'longfieldname', '1'], ['OBJECT', 'ENCODING', 'inc2'],
    ['HINCRBYFLOAT', 'incf', 'f', '1.2345678'], ['OBJECT', 'ENCODING', 'incf'], ['HINCRBYFLOAT', 'incf', 'f', '0.00000001'], ['OBJECT', 'ENCODING', 'incf'],
    ['HSET', 'z', 'f', ''], ['CONFIG', 'SET', 'hash-max-listpack-value', '0'], ['HSET', 'z', 'g', ''], ['OBJECT', 'ENCODING', 'z'], ['HSET', 'z', 'h', 'x'],
    ['OBJECT', 'ENCODING', 'z'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '0'], ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
    ['HSET', 'zero', 'f', 'v'], ['OBJECT', 'ENCODING', 'zero'],
    sorted(['HGETALL', 'e']), sorted(['HKEYS', 'e']), sorted(['HVALS', 'e']), sorted(['HGETALL', 'zero']),
    ['COPY', 'e', 'ecopy'], ['OBJECT', 'ENCODING', 'ecopy'], ['COPY', 'v', 'vcopy'], ['OBJECT', 'ENCODING', 'vcopy'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '128'], ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
    ['HSET', 'back', 'f', 'v'], ['OBJECT', 'ENCODING', 'back'], ['OBJECT', 'ENCODING', 'e'],
  ]));

  it('big hash: 500 fields as a hashtable', async () => {
    const args: string[] = [];
    for (let i = 0; i < 500; i++) args.push(`field:${i}`, `value:${i}`);
    await expectSame(pair(), [
      ['FLUSHALL'], ['HSET', 'big', ...args], ['HLEN', 'big'], ['OBJECT', 'ENCODING', 'big'], ['HGET', 'big', 'field:499'],
      sorted(['HGETALL', 'big']), sorted(['HKEYS', 'big']), ['HDEL', 'big', 'field:0', 'field:1'], ['HLEN', 'big'],
      sorted(['HRANDFIELD', 'big', '1000']), { cmd: ['HRANDFIELD', 'big', '10'], compare: 'length' }, { cmd: ['HRANDFIELD', 'big', '-2000', 'WITHVALUES'], compare: 'length' },
      { cmd: ['HRANDFIELD', 'big', '400'], compare: 'length' }, { cmd: ['HRANDFIELD', 'big'], compare: 'type' },
    ]);
  });

  it('HRANDFIELD', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
    // count ≥ size returns the whole hash in listpack order: exact bytes.
    ['HRANDFIELD', 'h', '3'], ['HRANDFIELD', 'h', '10', 'WITHVALUES'], ['HRANDFIELD', 'h', '9223372036854775807'],
    ['HRANDFIELD', 'h', '0'], ['HRANDFIELD', 'h', '0', 'WITHVALUES'], ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'nokey', '5'], ['HRANDFIELD', 'nokey', '-5', 'WITHVALUES'],
    { cmd: ['HRANDFIELD', 'h'], compare: 'type' }, { cmd: ['HRANDFIELD', 'h', '2'], compare: 'length' }, { cmd: ['HRANDFIELD', 'h', '-7'], compare: 'length' },
    { cmd: ['HRANDFIELD', 'h', '-7', 'WITHVALUES'], compare: 'length' }, { cmd: ['HRANDFIELD', 'h', '1', 'WITHVALUES'], compare: 'length' },
    { cmd: ['HRANDFIELD', 'h', '-1'], compare: 'length' },
    ['HRANDFIELD', 'h', 'x'], ['HRANDFIELD', 'h', '1.5'], ['HRANDFIELD', 'h', '-9223372036854775808'], ['HRANDFIELD', 'h', '9223372036854775808'],
    ['HRANDFIELD', 'h', '2', 'WITHSCORES'], ['HRANDFIELD', 'h', '2', 'WITHVALUES', 'x'], ['HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES'],
    ['HRANDFIELD', 'h', '-4611686018427387904', 'WITHVALUES'], ['HRANDFIELD', 'h', '4611686018427387903', 'WITHVALUES'],
    ['HRANDFIELD', 'nokey', 'x'], ['HRANDFIELD', 'nokey', '1', 'bad'], ['HRANDFIELD', 'h', '3', 'withvalues\0junk'],
    ['HSET', 'one', 'only', 'v'], ['HRANDFIELD', 'one'], ['HRANDFIELD', 'one', '-3'], ['HRANDFIELD', 'one', '-2', 'WITHVALUES'], ['HRANDFIELD', 'one', '1'],
    ['HELLO', '3'], ['HRANDFIELD', 'h', '5', 'WITHVALUES'], ['HRANDFIELD', 'one', '-2', 'WITHVALUES'], ['HRANDFIELD', 'one', '1', 'WITHVALUES'],
    ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'nokey', '-2', 'WITHVALUES'], { cmd: ['HRANDFIELD', 'h', '-4', 'WITHVALUES'], compare: 'length' }, ['HELLO', '2'],
  ]));

  it('HSCAN on listpack and hashtable hashes', async () => {
    await expectSame(pair(), [
      ['FLUSHALL'],
      ['HSET', 'h', 'name', 'x', 'age', '3', 'nap', 'y', BIN, 'b'],
      ['HSCAN', 'h', '0'], ['HSCAN', 'h', '12345'], ['HSCAN', 'h', '0', 'COUNT', '1'], ['HSCAN', 'h', '0', 'MATCH', 'n*'], ['HSCAN', 'h', '0', 'MATCH', '*'],
      ['HSCAN', 'h', '0', 'MATCH', 'zz*', 'COUNT', '100'], ['HSCAN', 'h', '0', 'MATCH', 'f?*'], ['HSCAN', 'h', '0', 'match', 'a[g]e', 'count', '5'],
      ['HSCAN', 'nokey', '0'], ['HSCAN', 'nokey', '0', 'COUNT', '0'], ['HSCAN', 'nokey', 'x'], ['HSCAN', 'h', 'x'], ['HSCAN', 'h', '-1'], ['HSCAN', 'h', ''],
      ['HSCAN', 'h', '18446744073709551615'], ['HSCAN', 'h', '18446744073709551616'], ['HSCAN', 'h', ' 0'], ['HSCAN', 'h', '0x'], ['HSCAN', 'h', '+0'],
      ['HSCAN', 'h', '0', 'COUNT', '0'], ['HSCAN', 'h', '0', 'COUNT', '-1'], ['HSCAN', 'h', '0', 'COUNT', 'x'], ['HSCAN', 'h', '0', 'COUNT'],
      ['HSCAN', 'h', '0', 'TYPE', 'string'], ['HSCAN', 'h', '0', 'FOO', 'bar'], ['HSCAN', 'h', '0', 'MATCH'],
      ['HELLO', '3'], ['HSCAN', 'h', '0'], ['HSCAN', 'nokey', '0'], ['HELLO', '2'],
    ]);
    const p = pair();
    const args: string[] = [];
    for (let i = 0; i < 300; i++) args.push(`f${i}`, `v${i}`);
    for (const c of [p.realClient, p.ourClient]) await c.call('HSET', 'ht', ...args);
    const [real, ours] = await Promise.all([
      scanAll(p.realClient, (cur) => ['HSCAN', 'ht', cur, 'COUNT', '20']),
      scanAll(p.ourClient, (cur) => ['HSCAN', 'ht', cur, 'COUNT', '20']),
    ]);
    const pairs = (items: string[]) => {
      const out = new Set<string>();
      for (let i = 0; i < items.length; i += 2) out.add(`${items[i]}=${items[i + 1]}`);
      return [...out].sort();
    };
    expect(pairs(ours.items)).toEqual(pairs(real.items));
    expect(pairs(ours.items).length).toBe(300);
    expect(ours.calls).toBeGreaterThan(1);
    const [realM, oursM] = await Promise.all([
      scanAll(p.realClient, (cur) => ['HSCAN', 'ht', cur, 'MATCH', 'f1*']),
      scanAll(p.ourClient, (cur) => ['HSCAN', 'ht', cur, 'MATCH', 'f1*']),
    ]);
    expect(pairs(oursM.items)).toEqual(pairs(realM.items));
  });

  it('RESP3 replies', () => expectSame(pair(), [
    ['FLUSHALL'], ['HELLO', '3'],
    ['HSET', 'h', 'a', '1', 'b', '2'], ['HGETALL', 'h'], ['HGETALL', 'nokey'], ['HKEYS', 'nokey'], ['HVALS', 'h'], ['HGET', 'h', 'zz'],
    ['HMGET', 'h', 'a', 'zz'], ['HINCRBYFLOAT', 'h', 'a', '1.5'], ['HINCRBY', 'h', 'b', '1'], ['HSTRLEN', 'h', 'a'], ['HEXISTS', 'h', 'a'],
    ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'h', '2', 'WITHVALUES'], ['HDEL', 'h', 'a'], ['HSETNX', 'h', 'b', 'x'], ['HMSET', 'h', 'c', '3'],
    ['HELLO', '2'],
  ]));

  it('keyspace events of hash commands', async () => {
    const p = pair();
    const events = await recordKeyspaceEvents(p, () => expectSame(p, [
      ['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
      ['HSET', 'h', 'a', '1', 'b', '2'], ['HSETNX', 'h', 'a', 'x'], ['HSETNX', 'h', 'c', 'x'], ['HMSET', 'h', 'd', '4'], ['HINCRBY', 'h', 'a', '1'],
      ['HINCRBYFLOAT', 'h', 'b', '0.5'], ['HDEL', 'h', 'zz'], ['HDEL', 'h', 'a', 'b'], ['HDEL', 'h', 'c', 'd'], ['HGET', 'nokey', 'f'],
      ['HINCRBY', 'h2', 'f', 'x'], ['HSET', 'h2', 'f', 'v'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ]));
    expect(events.real.length).toBeGreaterThan(10);
    expect(events.ours).toEqual(events.real);
  });

  it('propagation: HINCRBYFLOAT becomes HSET, no-op writes are not propagated', async () => {
    const p = pair();
    const realStream = await attachRealReplica(p.real.port);
    const ourStream = attachOurReplica(p);
    try {
      await expectSameScenario(p, async (t) => {
        const c = await t.open();
        await t.call(c, 'flush', 'FLUSHALL');
        await t.call(c, 'hset', 'HSET', 'h', 'a', '1');
        await t.call(c, 'hincrbyfloat', 'HINCRBYFLOAT', 'h', 'a', '0.25');
        await t.call(c, 'hincrbyfloat2', 'HINCRBYFLOAT', 'h', 'new', '3e2');
        await t.call(c, 'hincrby', 'HINCRBY', 'h', 'n', '5');
        await t.call(c, 'hsetnx-noop', 'HSETNX', 'h', 'a', 'x');
        await t.call(c, 'hdel-noop', 'HDEL', 'h', 'zz');
        await t.call(c, 'hdel', 'HDEL', 'h', 'a');
        await t.call(c, 'hmset', 'HMSET', 'h', 'x', '1');
        await t.call(c, 'err', 'HINCRBY', 'h', 'x', 'bad');
      });
      await settle(realStream, ourStream);
      expect(ourStream.commands()).toEqual(realStream.commands());
    } finally {
      realStream.close();
      ourStream.close();
    }
  });
});
