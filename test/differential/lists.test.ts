import { it, expect } from 'vitest';
import { describeDifferential, expectSame, type Step } from '../support/differential';
import { recordKeyspaceEvents } from '../support/keyspace-events';
import { expectSameScenario } from '../support/scenario';
import { attachOurReplica, attachRealReplica, settle } from '../support/repl-stream';

const BIN = 'a\0b\xffc\r\n';

describeDifferential('lists (differential)', (pair) => {
  it('push/pop basics, LLEN, encodings, binary values', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['LPUSH', 'l', 'a', 'b', 'c'], ['RPUSH', 'l', 'd', 'e'], ['LRANGE', 'l', '0', '-1'], ['LLEN', 'l'],
    ['OBJECT', 'ENCODING', 'l'], ['TYPE', 'l'],
    ['LPOP', 'l'], ['RPOP', 'l'], ['LRANGE', 'l', '0', '-1'],
    ['LPUSHX', 'nolist', 'x'], ['RPUSHX', 'nolist', 'x'], ['EXISTS', 'nolist'],
    ['LPUSHX', 'l', 'x', 'y'], ['RPUSHX', 'l', 'z'], ['LRANGE', 'l', '0', '-1'],
    ['RPUSH', 'bin', BIN, '', '\0', '\xff\xfe'], ['LRANGE', 'bin', '0', '-1'], ['LPOP', 'bin'], ['LPOS', 'bin', ''], ['LPOS', 'bin', '\0'],
    ['LINDEX', 'bin', '-1'], ['LLEN', 'bin'],
    ['RPUSH', 'ints', '1', '-1', '9223372036854775807', '-9223372036854775808', '01', '1.5', ' 2'], ['LRANGE', 'ints', '0', '-1'],
    ['RPUSH', 'big', 'x'.repeat(70000), 'y'], ['LINDEX', 'big', '1'], ['STRLEN', 'big'], ['OBJECT', 'ENCODING', 'big'],
    ['LPOP', 'nolist'], ['RPOP', 'nolist'], ['LLEN', 'nolist'],
    ['RPUSH', 'one', 'v'], ['RPOP', 'one'], ['EXISTS', 'one'], ['RPOP', 'one'],
  ]));

  it('LPOP/RPOP with count', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
    ['LPOP', 'l', '2'], ['RPOP', 'l', '2'], ['LPOP', 'l', '0'], ['LRANGE', 'l', '0', '-1'], ['RPOP', 'l', '10'], ['EXISTS', 'l'],
    ['LPOP', 'l', '1'], ['LPOP', 'l', '0'], ['RPOP', 'nokey', '5'],
    ['RPUSH', 'l', 'a'], ['LPOP', 'l', '-1'], ['LPOP', 'l', 'x'], ['LPOP', 'l', '1.5'], ['LPOP', 'l', '9223372036854775807'],
    ['RPUSH', 'l', 'b'], ['RPOP', 'l', '9223372036854775808'], ['LPOP', 'l', '1', '2'], ['LPOP'], ['RPOP', 'l', ''],
    ['LPOP', 'l', '-9223372036854775808'], ['LRANGE', 'l', '0', '-1'],
  ]));

  it('errors: wrong type, arity, syntax', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 's', 'v'], ['HSET', 'h', 'f', 'v'],
    ['LPUSH', 's', 'x'], ['RPUSH', 'h', 'x'], ['LPUSHX', 's', 'x'], ['RPUSHX', 's', 'x'], ['LPOP', 's'], ['RPOP', 's', '2'], ['LLEN', 's'],
    ['LINDEX', 's', '0'], ['LSET', 's', '0', 'x'], ['LRANGE', 's', '0', '1'], ['LTRIM', 's', '0', '1'], ['LREM', 's', '0', 'x'],
    ['LINSERT', 's', 'BEFORE', 'a', 'b'], ['LPOS', 's', 'x'], ['RPOPLPUSH', 's', 'd'], ['LMOVE', 's', 'd', 'LEFT', 'RIGHT'],
    ['LMPOP', '1', 's', 'LEFT'], ['BLPOP', 's', '0'], ['BRPOP', 'nokey', 's', '0'], ['BLMOVE', 's', 'd', 'LEFT', 'LEFT', '0'],
    ['BRPOPLPUSH', 's', 'd', '0'], ['BLMPOP', '0', '1', 's', 'LEFT'],
    ['RPUSH', 'l', 'a'], ['RPOPLPUSH', 'l', 's'], ['LMOVE', 'l', 'h', 'RIGHT', 'LEFT'], ['LRANGE', 'l', '0', '-1'],
    ['LPUSH'], ['LPUSH', 'l'], ['RPUSH', 'l'], ['LLEN'], ['LLEN', 'a', 'b'], ['LINDEX', 'l'], ['LSET', 'l', '0'], ['LRANGE', 'l', '0'],
    ['LTRIM', 'l'], ['LREM', 'l', '0'], ['LINSERT', 'l', 'BEFORE', 'a'], ['LPOS', 'l'], ['RPOPLPUSH', 'l'], ['LMOVE', 'l', 'd', 'LEFT'],
    ['LMPOP', '1', 'l'], ['BLPOP', 'l'], ['BRPOP'], ['BLMOVE', 'l', 'd', 'LEFT', 'LEFT'], ['BRPOPLPUSH', 'l', 'd'], ['BLMPOP', '0', '1', 'l'],
    ['LINSERT', 'l', 'MIDDLE', 'a', 'b'], ['LINSERT', 'nokey', 'MIDDLE', 'a', 'b'], ['LINSERT', 's', 'after\0x', 'a', 'b'],
    ['LMOVE', 'l', 'd', 'UP', 'LEFT'], ['LMOVE', 'l', 'd', 'LEFT', 'DOWN'], ['LMOVE', 'nokey', 'd', 'UP', 'LEFT'],
    ['lpush', 'l', 'lower'], ['LpUsH', 'l', 'mixed'], ['LRANGE', 'l', '0', '-1'],
  ]));

  it('LINDEX, LSET, LRANGE and LTRIM index arithmetic', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['RPUSH', 'l', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    ['LINDEX', 'l', '0'], ['LINDEX', 'l', '-1'], ['LINDEX', 'l', '-10'], ['LINDEX', 'l', '-11'], ['LINDEX', 'l', '10'],
    ['LINDEX', 'l', '9223372036854775807'], ['LINDEX', 'l', '-9223372036854775808'], ['LINDEX', 'l', 'x'], ['LINDEX', 'nokey', 'x'],
    ['LINDEX', 'l', '9223372036854775808'], ['LINDEX', 'l', '+1'], ['LINDEX', 'l', ' 1'],
    ['LSET', 'l', '0', 'first'], ['LSET', 'l', '-1', 'last'], ['LSET', 'l', '10', 'x'], ['LSET', 'l', '-11', 'x'], ['LSET', 'nokey', '0', 'x'],
    ['LSET', 'l', 'x', 'y'], ['LSET', 'nokey', 'x', 'y'], ['LSET', 'l', '5', BIN], ['LINDEX', 'l', '5'],
    ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'l', '-3', '-1'], ['LRANGE', 'l', '2', '4'], ['LRANGE', 'l', '5', '2'], ['LRANGE', 'l', '-100', '100'],
    ['LRANGE', 'l', '10', '20'], ['LRANGE', 'l', '-1', '-5'], ['LRANGE', 'l', '0', '0'], ['LRANGE', 'l', '9223372036854775807', '-9223372036854775808'],
    ['LRANGE', 'l', '-9223372036854775808', '9223372036854775807'], ['LRANGE', 'l', 'a', '1'], ['LRANGE', 'l', '1', 'b'], ['LRANGE', 'nokey', '0', '-1'],
    ['LRANGE', 'nokey', 'a', '1'],
    ['LTRIM', 'l', '1', '-2'], ['LRANGE', 'l', '0', '-1'], ['LTRIM', 'l', '-3', '100'], ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', '0', '0'], ['LRANGE', 'l', '0', '-1'], ['LTRIM', 'l', '5', '2'], ['EXISTS', 'l'], ['LTRIM', 'nokey', '0', '1'],
    ['RPUSH', 'l', 'a', 'b'], ['LTRIM', 'l', 'x', '1'], ['LTRIM', 'l', '-9223372036854775808', '9223372036854775807'], ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', '1', '0'], ['EXISTS', 'l'],
  ]));

  it('LREM, LINSERT, LPOS', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'b', 'a'],
    ['LREM', 'l', '2', 'a'], ['LRANGE', 'l', '0', '-1'], ['LREM', 'l', '-1', 'a'], ['LRANGE', 'l', '0', '-1'],
    ['LREM', 'l', '0', 'b'], ['LRANGE', 'l', '0', '-1'], ['LREM', 'l', '0', 'zz'], ['LREM', 'nokey', '0', 'a'], ['LREM', 'l', 'x', 'a'],
    ['LREM', 'l', '0', 'a'], ['LREM', 'l', '0', 'c'], ['EXISTS', 'l'],
    ['RPUSH', 'm', 'x', 'y', 'x', 'y', 'x'], ['LREM', 'm', '-9223372036854775808', 'x'], ['LRANGE', 'm', '0', '-1'],
    ['RPUSH', 'm', 'x', 'x'], ['LREM', 'm', '9223372036854775807', 'x'], ['LRANGE', 'm', '0', '-1'], ['LREM', 'm', '-9223372036854775807', 'y'],
    ['RPUSH', 'i', 'a', 'b', 'c', 'b'],
    ['LINSERT', 'i', 'BEFORE', 'b', 'X'], ['LINSERT', 'i', 'AFTER', 'b', 'Y'], ['LINSERT', 'i', 'after', 'c', 'Z'], ['LINSERT', 'i', 'before', 'a', '0'],
    ['LINSERT', 'i', 'AFTER', 'nope', 'Q'], ['LINSERT', 'nokey', 'AFTER', 'a', 'Q'], ['LRANGE', 'i', '0', '-1'], ['EXISTS', 'nokey'],
    ['LINSERT', 'i', 'BEFORE', '', BIN], ['RPUSH', 'i', ''], ['LINSERT', 'i', 'AFTER', '', 'after-empty'], ['LRANGE', 'i', '0', '-1'],
    ['DEL', 'p'], ['RPUSH', 'p', 'a', 'b', 'c', 'a', 'b', 'c', 'a'],
    ['LPOS', 'p', 'a'], ['LPOS', 'p', 'c'], ['LPOS', 'p', 'z'], ['LPOS', 'p', 'a', 'RANK', '2'], ['LPOS', 'p', 'a', 'RANK', '-1'],
    ['LPOS', 'p', 'a', 'RANK', '-2'], ['LPOS', 'p', 'a', 'RANK', '4'], ['LPOS', 'p', 'a', 'RANK', '0'], ['LPOS', 'p', 'a', 'COUNT', '0'],
    ['LPOS', 'p', 'a', 'COUNT', '2'], ['LPOS', 'p', 'a', 'COUNT', '2', 'RANK', '2'], ['LPOS', 'p', 'a', 'COUNT', '0', 'RANK', '-1'],
    ['LPOS', 'p', 'a', 'COUNT', '0', 'MAXLEN', '4'], ['LPOS', 'p', 'c', 'MAXLEN', '2'], ['LPOS', 'p', 'a', 'RANK', '-1', 'MAXLEN', '1'],
    ['LPOS', 'p', 'a', 'COUNT', '-1'], ['LPOS', 'p', 'a', 'MAXLEN', '-1'], ['LPOS', 'p', 'a', 'RANK', 'x'], ['LPOS', 'p', 'a', 'RANK'],
    ['LPOS', 'p', 'a', 'FOO', '1'], ['LPOS', 'nokey', 'a'], ['LPOS', 'nokey', 'a', 'COUNT', '1'], ['LPOS', 'nokey', 'a', 'RANK', '0'],
    ['LPOS', 'p', 'a', 'RANK', '-9223372036854775808'], ['LPOS', 'p', 'a', 'RANK', '-9223372036854775808', 'COUNT', '1'],
    ['LPOS', 'p', 'a', 'RANK', '-9223372036854775807'], ['LPOS', 'p', 'a', 'RANK', '9223372036854775807', 'COUNT', '0'],
    ['LPOS', 'p', 'a', 'COUNT', '9223372036854775807'], ['LPOS', 'p', 'a', 'RANK', '1', 'RANK', '2'], ['LPOS', 'p', 'a', 'count', '1', 'maxlen', '0'],
  ]));

  it('LMOVE, RPOPLPUSH, LMPOP', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['RPUSH', 'src', '1', '2', '3'],
    ['RPOPLPUSH', 'src', 'dst'], ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'], ['LMOVE', 'src', 'dst', 'right', 'left'], ['EXISTS', 'src'],
    ['LRANGE', 'dst', '0', '-1'], ['RPOPLPUSH', 'src', 'dst'], ['LMOVE', 'nokey', 'dst', 'LEFT', 'LEFT'],
    ['LMOVE', 'dst', 'dst', 'LEFT', 'RIGHT'], ['LRANGE', 'dst', '0', '-1'], ['RPOPLPUSH', 'dst', 'dst'], ['LRANGE', 'dst', '0', '-1'],
    ['RPUSH', 'solo', 'x'], ['LMOVE', 'solo', 'solo', 'LEFT', 'LEFT'], ['LRANGE', 'solo', '0', '-1'],
    ['RPUSH', 'a', 'a1', 'a2', 'a3'], ['RPUSH', 'b', 'b1'],
    ['LMPOP', '2', 'nokey', 'a', 'LEFT'], ['LMPOP', '2', 'a', 'b', 'RIGHT', 'COUNT', '5'], ['LMPOP', '2', 'a', 'b', 'RIGHT', 'COUNT', '5'],
    ['LMPOP', '2', 'a', 'b', 'LEFT'], ['LMPOP', '1', 'nokey', 'LEFT'], ['LMPOP', '0', 'a', 'LEFT'], ['LMPOP', '-1', 'a', 'LEFT'],
    ['LMPOP', 'x', 'a', 'LEFT'], ['LMPOP', '3', 'a', 'LEFT'], ['LMPOP', '1', 'a', 'UP'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT'],
    ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '0'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '-1'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '2'],
    ['LMPOP', '1', 'a', 'LEFT', 'FOO'], ['LMPOP', '2', 'a', 'LEFT'], ['RPUSH', 'c', 'x'], ['LMPOP', '1', 'c', 'left', 'count', '9223372036854775807'],
  ]));

  it('RESP3 replies', () => expectSame(pair(), [
    ['FLUSHALL'], ['HELLO', '3'],
    ['LPOP', 'nokey'], ['LPOP', 'nokey', '2'], ['RPOP', 'nokey', '0'], ['LINDEX', 'nokey', '0'], ['LPOS', 'nokey', 'a'], ['LMOVE', 'nokey', 'd', 'LEFT', 'LEFT'],
    ['LMPOP', '1', 'nokey', 'LEFT'], ['BLPOP', 'nokey', '0.01'], ['BLMPOP', '0.01', '1', 'nokey', 'LEFT'], ['BRPOPLPUSH', 'nokey', 'd', '0.01'],
    ['BLMOVE', 'nokey', 'd', 'LEFT', 'LEFT', '0.01'],
    ['RPUSH', 'l', 'a', 'b', 'c'], ['LPOP', 'l', '2'], ['LRANGE', 'l', '0', '-1'], ['LPOS', 'l', 'c', 'COUNT', '0'], ['LPOS', 'l', 'zz'],
    ['RPUSH', 'l', 'd', 'e'], ['BLPOP', 'x', 'l', '0'], ['LMPOP', '1', 'l', 'LEFT'], ['LINDEX', 'l', '5'], ['LRANGE', 'nokey', '0', '-1'],
    ['BLMPOP', '0', '1', 'l', 'RIGHT', 'COUNT', '2'], ['EXISTS', 'l'],
    ['HELLO', '2'],
  ]));

  it('blocking commands answered at once, timeouts and timeout syntax', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['RPUSH', 'l1', 'a', 'b'], ['RPUSH', 'l2', 'c'],
    ['BLPOP', 'nokey', 'l1', 'l2', '0'], ['BRPOP', 'l2', 'l1', '0'], ['BRPOP', 'l2', 'l1', '0'], ['EXISTS', 'l1', 'l2'],
    ['RPUSH', 'l1', 'x', 'y', 'z'], ['BLMPOP', '0', '2', 'nokey', 'l1', 'RIGHT', 'COUNT', '2'], ['BLMPOP', '0', '1', 'l1', 'LEFT', 'COUNT', '9'],
    ['RPUSH', 's', '1', '2'], ['BRPOPLPUSH', 's', 'd', '0'], ['BLMOVE', 's', 'd', 'LEFT', 'RIGHT', '0'], ['LRANGE', 'd', '0', '-1'], ['EXISTS', 's'],
    ['BLPOP', 'nokey', '0.05'], ['BRPOP', 'nokey', '0.01'], ['BLMPOP', '0.01', '1', 'nokey', 'RIGHT'],
    ['BRPOPLPUSH', 'nokey', 'd', '0.01'], ['BLMOVE', 'nokey', 'd', 'RIGHT', 'LEFT', '0.01'],
    ['BLPOP', 'nokey', '-1'], ['BLPOP', 'nokey', 'abc'], ['BLPOP', 'nokey', ''], ['BLPOP', 'nokey', ' 1'], ['BLPOP', 'nokey', '1 '],
    ['BLPOP', 'nokey', 'nan'], ['BLPOP', 'nokey', 'inf'], ['BLPOP', 'nokey', '-inf'], ['BLPOP', 'nokey', '1e400'], ['BLPOP', 'nokey', '1e16'],
    ['BLPOP', 'nokey', '-0.0011'], ['BLPOP', 'nokey', '9223372036854775.808'], ['BLPOP', 'nokey', '1e-400'], ['BLPOP', 'nokey', '0x1p-20'], ['BLPOP', 'nokey', '1e-9999'],
    ['BRPOPLPUSH', 'nokey', 'd', '-1'], ['BLMOVE', 'nokey', 'd', 'LEFT', 'LEFT', 'x'], ['BLMOVE', 'nokey', 'd', 'UP', 'LEFT', 'x'],
    ['BLMPOP', 'x', '1', 'nokey', 'LEFT'], ['BLMPOP', '-1', '1', 'nokey', 'LEFT'], ['BLMPOP', '0', '0', 'nokey', 'LEFT'], ['BLMPOP', 'x', '1', 'nokey', 'UP'],
    ['BLMPOP', '0', '2', 'nokey', 'LEFT'], ['BLMPOP', '0.01', '1', 'nokey', 'LEFT', 'COUNT', '0'],
  ] as Step[]));

  // ---- blocking scenarios with several connections ------------------------------------

  it('BLPOP is served by a later push, FIFO across clients', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), b = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    t.send(a, 'BLPOP', 'k', '0');
    await t.blocked(1);
    t.send(b, 'BLPOP', 'k', '0');
    await t.blocked(2);
    await t.call(c, 'push', 'RPUSH', 'k', 'x', 'y', 'z');
    await t.reply(a, 'a');
    await t.reply(b, 'b');
    await t.call(c, 'rest', 'LRANGE', 'k', '0', '-1');
  }));

  it('blocking on several keys, served by whichever is pushed', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    t.send(a, 'BRPOP', 'k1', 'k2', 'k3', '0');
    await t.blocked(1);
    await t.call(c, 'push', 'LPUSH', 'k2', 'v1', 'v2');
    await t.reply(a, 'a');
    await t.call(c, 'rest', 'LRANGE', 'k2', '0', '-1');
    t.send(a, 'BLPOP', 'k1', 'k1', '0');
    await t.blocked(1);
    await t.call(c, 'push2', 'RPUSH', 'k1', 'only');
    await t.reply(a, 'a2');
    await t.call(c, 'gone', 'EXISTS', 'k1');
  }));

  it('timeouts reply with null arrays (RESP2 and RESP3) and let the pipeline continue', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open();
    await t.call(a, 'flush', 'FLUSHALL');
    await t.call(a, 'blpop', 'BLPOP', 'k', '0.1');
    await t.call(a, 'brpoplpush', 'BRPOPLPUSH', 'k', 'd', '0.05');
    await t.call(a, 'blmove', 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.05');
    await t.call(a, 'blmpop', 'BLMPOP', '0.05', '2', 'k', 'k2', 'LEFT', 'COUNT', '3');
    t.send(a, 'BRPOP', 'k', '0.05');
    t.send(a, 'PING');
    await t.reply(a, 'brpop-pipelined');
    await t.reply(a, 'ping-after');
    t.send(a, 'HELLO', '3');
    await a.reply(); // carries the connection id, which differs between the servers
    await t.call(a, 'blpop3', 'BLPOP', 'k', '0.05');
    await t.call(a, 'brpoplpush3', 'BRPOPLPUSH', 'k', 'd', '0.05');
    await t.call(a, 'blmpop3', 'BLMPOP', '0.05', '1', 'k', 'RIGHT');
  }));

  it('pipelined commands after a blocked command wait for it', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), b = await t.open();
    await t.call(b, 'flush', 'FLUSHALL');
    t.send(a, 'BLPOP', 'q', '0');
    t.send(a, 'RPUSH', 'q', 'from-a');
    t.send(a, 'LRANGE', 'q', '0', '-1');
    await t.blocked(1);
    await t.call(b, 'len-before', 'LLEN', 'q');
    await t.call(b, 'push', 'RPUSH', 'q', 'from-b');
    await t.reply(a, 'blpop');
    await t.reply(a, 'rpush');
    await t.reply(a, 'lrange');
  }));

  it('a served client does not overtake the next blocked client', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), b = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    // a blocks, then pipelines another BLPOP; b blocks after a.
    t.send(a, 'BLPOP', 'k', '0');
    t.send(a, 'BLPOP', 'k', '0');
    await t.blocked(1);
    t.send(b, 'BLPOP', 'k', '0');
    await t.blocked(2);
    await t.call(c, 'push', 'RPUSH', 'k', '1', '2');
    await t.reply(a, 'a1');
    await t.reply(b, 'b1');
    await t.call(c, 'push2', 'RPUSH', 'k', '3');
    await t.reply(a, 'a2');
  }));

  it('a push followed by a pop in the same pipeline still serves the blocked client first', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), b = await t.open();
    await t.call(b, 'flush', 'FLUSHALL');
    t.send(a, 'BLPOP', 'k', '0');
    await t.blocked(1);
    t.send(b, 'RPUSH', 'k', 'v');
    t.send(b, 'LPOP', 'k');
    t.send(b, 'EXISTS', 'k');
    await t.reply(b, 'rpush');
    await t.reply(b, 'lpop');
    await t.reply(b, 'exists');
    await t.reply(a, 'a');
  }));

  it('BLMOVE/BRPOPLPUSH served later, and chains into clients blocked on the destination', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), b = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    t.send(a, 'BLMOVE', 's1', 's2', 'RIGHT', 'LEFT', '0');
    await t.blocked(1);
    t.send(b, 'BLPOP', 's2', '0');
    await t.blocked(2);
    await t.call(c, 'push', 'RPUSH', 's1', 'x', 'y');
    await t.reply(a, 'blmove');
    await t.reply(b, 'blpop');
    await t.call(c, 's1', 'LRANGE', 's1', '0', '-1');
    await t.call(c, 's2', 'EXISTS', 's2');
    t.send(a, 'BRPOPLPUSH', 'q', 'r', '0');
    await t.blocked(1);
    await t.call(c, 'push-q', 'LPUSH', 'q', 'q1', 'q2');
    await t.reply(a, 'brpoplpush');
    await t.call(c, 'r', 'LRANGE', 'r', '0', '-1');
    await t.call(c, 'q', 'LRANGE', 'q', '0', '-1');
  }));

  it('LMOVE and RPOPLPUSH into a key someone is blocked on serve them', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    await t.call(c, 'seed', 'RPUSH', 'src', 'v1', 'v2');
    t.send(a, 'BLPOP', 'dst', '0');
    await t.blocked(1);
    await t.call(c, 'lmove', 'LMOVE', 'src', 'dst', 'LEFT', 'LEFT');
    await t.reply(a, 'a1');
    t.send(a, 'BRPOP', 'dst2', '0');
    await t.blocked(1);
    await t.call(c, 'rpoplpush', 'RPOPLPUSH', 'src', 'dst2');
    await t.reply(a, 'a2');
    await t.call(c, 'keys', 'EXISTS', 'src', 'dst', 'dst2');
  }));

  it('RENAME, MOVE and COPY of a list onto a key someone is blocked on serve them', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    await t.call(c, 'seed', 'RPUSH', 'src', 'r1', 'r2');
    t.send(a, 'BLPOP', 'renamed', '0');
    await t.blocked(1);
    await t.call(c, 'rename', 'RENAME', 'src', 'renamed');
    await t.reply(a, 'after-rename');
    t.send(a, 'BRPOP', 'copied', '0');
    await t.blocked(1);
    await t.call(c, 'copy', 'COPY', 'renamed', 'copied');
    await t.reply(a, 'after-copy');
    await t.call(a, 'select', 'SELECT', '7');
    t.send(a, 'BLPOP', 'renamed', '0');
    await t.blocked(1);
    await t.call(c, 'move', 'MOVE', 'renamed', '7');
    await t.reply(a, 'after-move');
    await t.call(c, 'left', 'EXISTS', 'renamed', 'copied');
    await t.call(c, 'hset-no-wake', 'HSET', 'hashkey', 'f', 'v');
    t.send(a, 'BLPOP', 'hashkey', '0.1');
    await t.reply(a, 'other-db-times-out');
  }));

  it('BLMOVE into a destination of the wrong type ends with WRONGTYPE and keeps the source', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    t.send(a, 'BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0');
    await t.blocked(1);
    await t.call(c, 'set', 'SET', 'dst', 'string');
    await t.call(c, 'push', 'RPUSH', 'src', 'a');
    await t.reply(a, 'a');
    await t.call(c, 'src', 'LRANGE', 'src', '0', '-1');
    await t.call(a, 'a-works', 'PING');
  }));

  it('a blocked client keeps waiting while the key holds another type', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    t.send(a, 'BLPOP', 'k', '0');
    await t.blocked(1);
    await t.call(c, 'set', 'SET', 'k', 'str');
    await t.call(c, 'hset', 'DEL', 'k');
    await t.call(c, 'hset2', 'HSET', 'k', 'f', 'v');
    await t.sleep(50);
    await t.call(c, 'del', 'DEL', 'k');
    await t.call(c, 'push', 'RPUSH', 'k', 'finally');
    await t.reply(a, 'a');
    await t.call(c, 'gone', 'EXISTS', 'k');
  }));

  it('blocked client served in its own db, SWAPDB wakes it', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    await t.call(a, 'select', 'SELECT', '3');
    t.send(a, 'BLPOP', 'k', '0');
    await t.blocked(1);
    await t.call(c, 'push-db0', 'RPUSH', 'k', 'db0');
    await t.call(c, 'select', 'SELECT', '4');
    await t.call(c, 'push-db4', 'RPUSH', 'k', 'db4');
    await t.call(c, 'swap', 'SWAPDB', '3', '4');
    await t.reply(a, 'a');
    await t.call(c, 'db4-now', 'LLEN', 'k');
  }));

  it('BLMPOP served later pops a range; disconnect while blocked leaves data in place', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), b = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    t.send(a, 'BLMPOP', '0', '2', 'k1', 'k2', 'RIGHT', 'COUNT', '2');
    await t.blocked(1);
    await t.call(c, 'push', 'RPUSH', 'k2', 'a', 'b', 'c');
    await t.reply(a, 'a');
    t.send(b, 'BLPOP', 'gone', '0');
    await t.blocked(1);
    b.close();
    await t.blocked(0);
    await t.call(c, 'push-gone', 'RPUSH', 'gone', 'kept');
    await t.call(c, 'still', 'LRANGE', 'gone', '0', '-1');
  }));

  it('same key as source and destination of a blocked BLMOVE', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), b = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    t.send(a, 'BLMOVE', 'k', 'k', 'LEFT', 'RIGHT', '0');
    await t.blocked(1);
    t.send(b, 'BLPOP', 'k', '0');
    await t.blocked(2);
    await t.call(c, 'push', 'RPUSH', 'k', 'x');
    await t.reply(a, 'a');
    await t.reply(b, 'b');
    await t.call(c, 'k', 'EXISTS', 'k');
  }));

  it('blocked client with a timeout is served before the timeout, another times out', () => expectSameScenario(pair(), async (t) => {
    const a = await t.open(), b = await t.open(), c = await t.open();
    await t.call(c, 'flush', 'FLUSHALL');
    t.send(a, 'BLPOP', 'k', '5');
    t.send(b, 'BLPOP', 'other', '0.2');
    await t.blocked(2);
    await t.call(c, 'push', 'RPUSH', 'k', 'v');
    await t.reply(a, 'a');
    await t.reply(b, 'b-timeout');
    await t.call(b, 'b-ok', 'PING');
  }));

  it('keyspace events of list commands and served blocked clients', async () => {
    const p = pair();
    const events = await recordKeyspaceEvents(p, () => expectSameScenario(p, async (t) => {
      const a = await t.open(), c = await t.open();
      await t.call(c, 'flush', 'FLUSHALL');
      await t.call(c, 'cfg', 'CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
      t.send(a, 'BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0');
      await t.blocked(1);
      await t.call(c, 'rpush', 'RPUSH', 'src', 'a', 'b');
      await t.reply(a, 'a');
      await t.call(c, 'lpop', 'LPOP', 'src');
      await t.call(c, 'linsert', 'LINSERT', 'dst', 'BEFORE', 'a', 'z');
      await t.call(c, 'lset', 'LSET', 'dst', '0', 'y');
      await t.call(c, 'lrem', 'LREM', 'dst', '0', 'y');
      await t.call(c, 'ltrim', 'LTRIM', 'dst', '1', '0');
      await t.call(c, 'rpushx', 'RPUSHX', 'dst', 'no');
      await t.call(c, 'lpush', 'LPUSH', 'l', '1', '2', '3');
      await t.call(c, 'lmpop', 'LMPOP', '1', 'l', 'RIGHT', 'COUNT', '2');
      await t.call(c, 'lmove', 'LMOVE', 'l', 'l2', 'RIGHT', 'LEFT');
      t.send(a, 'BLPOP', 'w', '0');
      await t.blocked(1);
      await t.call(c, 'push-w', 'RPUSH', 'w', 'x');
      await t.reply(a, 'served');
      await t.call(c, 'cfg0', 'CONFIG', 'SET', 'notify-keyspace-events', '');
    }));
    expect(events.real.length).toBeGreaterThan(20);
    expect(events.ours).toEqual(events.real);
  });

  it('blocking commands inside EXEC behave like a timeout (real MULTI vs our deny-blocking flag)', async () => {
    const p = pair();
    const real = await p.real.client();
    const ours = await p.ours.client();
    try {
      await real.call('FLUSHALL');
      await ours.call('FLUSHALL');
      await real.call('MULTI');
      for (const cmd of [['BLPOP', 'nokey', '0'], ['BRPOPLPUSH', 'nokey', 'd', '0'], ['BLMOVE', 'nokey', 'd', 'LEFT', 'LEFT', '0'], ['BLMPOP', '0', '1', 'nokey', 'LEFT']]) {
        await real.call(...cmd);
      }
      const execReply = await real.call('EXEC');
      // Our side: MULTI belongs to another module; flag the connection the way EXEC does.
      const client = [...p.ours.server.clients.values()].pop()!;
      client.denyBlocking = true;
      let ourReplies = '';
      for (const cmd of [['BLPOP', 'nokey', '0'], ['BRPOPLPUSH', 'nokey', 'd', '0'], ['BLMOVE', 'nokey', 'd', 'LEFT', 'LEFT', '0'], ['BLMPOP', '0', '1', 'nokey', 'LEFT']]) {
        ourReplies += await ours.call(...cmd);
      }
      expect(`*4\r\n${ourReplies}`).toBe(execReply);
    } finally {
      real.close();
      ours.close();
    }
  });

  it('propagation: blocking commands become LPOP/RPOP/LMOVE/RPOPLPUSH in the replication stream', async () => {
    const p = pair();
    const realStream = await attachRealReplica(p.real.port);
    const ourStream = attachOurReplica(p);
    try {
      await expectSameScenario(p, async (t) => {
        const a = await t.open(), c = await t.open();
        await t.call(c, 'flush', 'FLUSHALL');
        await t.call(c, 'rpush', 'RPUSH', 'l', 'a', 'b', 'c', 'd');
        await t.call(c, 'blpop-now', 'BLPOP', 'l', '0');
        await t.call(c, 'brpop-now', 'BRPOP', 'l', '0');
        await t.call(c, 'blmpop-now', 'BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '5');
        await t.call(c, 'rpush2', 'RPUSH', 's', 'x', 'y');
        await t.call(c, 'blmove-now', 'BLMOVE', 's', 'd', 'LeFt', 'RIGHT', '0');
        await t.call(c, 'brpoplpush-now', 'BRPOPLPUSH', 's', 'd', '0');
        await t.call(c, 'lpop-count', 'LPOP', 'd', '1');
        await t.call(c, 'timeout', 'BLPOP', 'none', '0.01');
        t.send(a, 'BLPOP', 'w', '0');
        await t.blocked(1);
        await t.call(c, 'push-w', 'RPUSH', 'w', '1', '2');
        await t.reply(a, 'served-blpop');
        t.send(a, 'BLMPOP', '0', '1', 'w2', 'RIGHT', 'COUNT', '10');
        await t.blocked(1);
        await t.call(c, 'push-w2', 'RPUSH', 'w2', '1', '2');
        await t.reply(a, 'served-blmpop');
        t.send(a, 'BLMOVE', 'm', 'n', 'RIGHT', 'LEFT', '0');
        await t.blocked(1);
        await t.call(c, 'push-m', 'RPUSH', 'm', '1');
        await t.reply(a, 'served-blmove');
        t.send(a, 'BRPOPLPUSH', 'm2', 'n', '0');
        await t.blocked(1);
        await t.call(c, 'select', 'SELECT', '2');
        await t.call(c, 'push-m2-db2', 'RPUSH', 'm2', 'other-db');
        await t.call(c, 'select0', 'SELECT', '0');
        await t.call(c, 'push-m2', 'RPUSH', 'm2', 'z');
        await t.reply(a, 'served-brpoplpush');
        await t.call(c, 'lmove-same', 'LMOVE', 'n', 'n', 'LEFT', 'RIGHT');
        await t.call(c, 'ltrim-noop', 'LTRIM', 'n', '0', '-1');
        await t.call(c, 'lrem-none', 'LREM', 'n', '0', 'nothing');
        await t.call(c, 'linsert', 'LINSERT', 'n', 'AFTER', 'z', 'q');
      });
      await settle(realStream, ourStream);
      expect(ourStream.commands()).toEqual(realStream.commands());
    } finally {
      realStream.close();
      ourStream.close();
    }
  });
});
