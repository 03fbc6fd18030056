import { it, expect } from 'vitest';
import { describeDifferential, expectSame, type Pair } from '../support/differential';
import { recordKeyspaceEvents } from '../support/keyspace-events';
import { expectSameScenario } from '../support/scenario';
import { attachOurReplica, attachRealReplica, normalizeTimes, settle } from '../support/repl-stream';

/** Read an integer reply from both servers and check they are within `tolerance`. */
async function closeInts(p: Pair, argv: string[], tolerance: number): Promise<[bigint, bigint]> {
  const [a, b] = await Promise.all([p.realClient.call(...argv), p.ourClient.call(...argv)]);
  const ra = /^:(-?\d+)\r\n$/.exec(a), rb = /^:(-?\d+)\r\n$/.exec(b);
  expect(rb, `${argv.join(' ')}: ours ${JSON.stringify(b)} real ${JSON.stringify(a)}`).not.toBeNull();
  expect(ra).not.toBeNull();
  const x = BigInt(ra![1]), y = BigInt(rb![1]);
  const diff = x > y ? x - y : y - x;
  expect(Number(diff), `${argv.join(' ')}: real ${x} ours ${y}`).toBeLessThanOrEqual(tolerance);
  return [x, y];
}

describeDifferential('expire commands (differential)', (pair) => {
  it('EXPIRE family basics, TTL/PTTL/EXPIRETIME/PEXPIRETIME, PERSIST', async () => {
    await expectSame(pair(), [
      ['FLUSHALL'],
      ['SET', 'k', 'v'], ['TTL', 'k'], ['PTTL', 'k'], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'],
      ['TTL', 'nokey'], ['PTTL', 'nokey'], ['EXPIRETIME', 'nokey'], ['PEXPIRETIME', 'nokey'],
      ['EXPIRE', 'k', '100'], ['TTL', 'k'], ['EXPIRE', 'nokey', '100'], ['PEXPIRE', 'k', '200000'], ['TTL', 'k'],
      ['EXPIREAT', 'k', '4102444800'], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'], ['PEXPIREAT', 'k', '4102444800123'], ['PEXPIRETIME', 'k'], ['EXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', '4102444800499'], ['EXPIRETIME', 'k'], ['PEXPIREAT', 'k', '4102444800500'], ['EXPIRETIME', 'k'],
      ['PERSIST', 'k'], ['TTL', 'k'], ['PERSIST', 'k'], ['PERSIST', 'nokey'],
      ['SET', 'k', 'v', 'EX', '100'], ['SET', 'k', 'v2'], ['TTL', 'k'], ['SET', 'k', 'v', 'EX', '100'], ['SET', 'k', 'v3', 'KEEPTTL'], ['TTL', 'k'],
      ['RPUSH', 'l', 'a'], ['EXPIRE', 'l', '50'], ['RPUSH', 'l', 'b'], ['TTL', 'l'], ['HSET', 'h', 'f', 'v'], ['PEXPIRE', 'h', '60000'], ['HDEL', 'h', 'f'], ['TTL', 'h'],
      ['EXPIRE', 'k'], ['EXPIRE'], ['TTL'], ['TTL', 'a', 'b'], ['PERSIST'], ['EXPIRETIME', 'a', 'b'],
      ['EXPIRE', 'k', 'abc'], ['EXPIRE', 'k', '1.5'], ['EXPIRE', 'k', ''], ['PEXPIRE', 'k', ' 1'], ['EXPIREAT', 'k', '9223372036854775808'],
    ]);
    const p = pair();
    for (const c of [p.realClient, p.ourClient]) await c.call('SET', 'k', 'v', 'PX', '50000');
    await closeInts(p, ['PTTL', 'k'], 100);
    await closeInts(p, ['PEXPIRETIME', 'k'], 100);
  });

  it('zero, negative and past expire times delete the key', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 'a', 'v'], ['EXPIRE', 'a', '0'], ['EXISTS', 'a'], ['SET', 'a', 'v'], ['EXPIRE', 'a', '-10'], ['EXISTS', 'a'],
    ['SET', 'a', 'v'], ['PEXPIRE', 'a', '-1'], ['EXISTS', 'a'], ['SET', 'a', 'v'], ['EXPIREAT', 'a', '1'], ['EXISTS', 'a'],
    ['SET', 'a', 'v'], ['PEXPIREAT', 'a', '0'], ['EXISTS', 'a'], ['SET', 'a', 'v'], ['PEXPIREAT', 'a', '-9223372036854770000'], ['TTL', 'a'],
    ['SET', 'a', 'v'], ['EXPIREAT', 'a', '-100'], ['EXISTS', 'a'], ['EXPIRE', 'a', '-1'],
  ]));

  it('overflow checks on expire times (the Redis test-suite cases and neighbours)', () => expectSame(pair(), [
    ['FLUSHALL'], ['SET', 'foo', 'bar'],
    ['EXPIRE', 'foo', '9223370399119966'], ['EXPIRE', 'foo', '9223372036854776'], ['EXPIRE', 'foo', '10000000000000000'],
    ['EXPIRE', 'foo', '18446744073709561'], ['TTL', 'foo'], ['PEXPIRE', 'foo', '9223372036854770000'],
    ['EXPIRE', 'foo', '-9223372036854776'], ['EXPIRE', 'foo', '-9999999999999999'], ['TTL', 'foo'],
    ['EXPIREAT', 'foo', '9223372036854775'], ['EXPIRETIME', 'foo'], ['PEXPIRETIME', 'foo'], ['EXPIREAT', 'foo', '9223372036854776'],
    ['EXPIREAT', 'foo', '9223372036854775807'], ['EXPIREAT', 'foo', '-9223372036854775'], ['EXISTS', 'foo'], ['SET', 'foo', 'bar'],
    ['PEXPIREAT', 'foo', '9223372036854770000'], ['PEXPIRETIME', 'foo'], ['EXPIRETIME', 'foo'], ['TTL', 'foo'],
    ['PEXPIREAT', 'foo', '9223372036854775807'], ['PEXPIRETIME', 'foo'], ['PEXPIREAT', 'foo', '9007199254740993'], ['PEXPIRETIME', 'foo'],
    ['PEXPIREAT', 'foo', '9007199254740993', 'GT'], ['PEXPIREAT', 'foo', '9007199254740994', 'GT'], ['PEXPIRETIME', 'foo'],
    ['PEXPIREAT', 'foo', '9007199254740993', 'LT'], ['PEXPIRETIME', 'foo'],
    ['PEXPIRE', 'foo', '9223372036854775807'], ['SET', 'foo', 'bar', 'EX', '10000000000000000'], ['SET', 'foo', 'bar', 'EX', '-9999999999999999'],
    ['GETEX', 'foo', 'EX', '10000000000000000'], ['GETEX', 'foo', 'EX', '-9999999999999999'],
  ]));

  it('NX / XX / GT / LT', () => expectSame(pair(), [
    ['FLUSHALL'], ['SET', 'k', 'v'],
    ['EXPIRE', 'k', '100', 'XX'], ['EXPIRE', 'k', '100', 'GT'], ['EXPIRE', 'k', '100', 'LT'], ['TTL', 'k'],
    ['EXPIRE', 'k', '100', 'NX'], ['EXPIRE', 'k', '200', 'NX'], ['TTL', 'k'],
    ['EXPIRE', 'k', '200', 'XX'], ['TTL', 'k'], ['EXPIRE', 'k', '100', 'GT'], ['EXPIRE', 'k', '300', 'GT'], ['TTL', 'k'],
    ['EXPIRE', 'k', '400', 'LT'], ['EXPIRE', 'k', '50', 'LT'], ['TTL', 'k'], ['EXPIRE', 'k', '40', 'GT'], ['EXPIRE', 'k', '50', 'LT'],
    ['EXPIRE', 'k', '60', 'XX', 'GT'], ['TTL', 'k'], ['EXPIRE', 'k', '10', 'XX', 'LT'], ['TTL', 'k'], ['EXPIRE', 'k', '10', 'xx', 'lt'],
    ['EXPIRE', 'k', '10', 'NX', 'XX'], ['EXPIRE', 'k', '10', 'NX', 'GT'], ['EXPIRE', 'k', '10', 'NX', 'LT'], ['EXPIRE', 'k', '10', 'GT', 'LT'],
    ['EXPIRE', 'k', '10', 'NX', 'NX'], ['EXPIRE', 'k', '10', 'FOO'], ['EXPIRE', 'k', '10', 'nx\0bar'], ['EXPIRE', 'k', '10', 'NX', 'FOO', 'XX'],
    ['EXPIRE', 'k', 'abc', 'NX', 'XX'], ['EXPIRE', 'k', 'abc', 'FOO'], ['EXPIRE', 'nokey', '10', 'NX', 'XX'], ['EXPIRE', 'nokey', '10', 'XX'],
    ['EXPIRE', 'k', '-1', 'GT'], ['EXISTS', 'k'], ['EXPIRE', 'k', '-1', 'LT'], ['EXISTS', 'k'],
    ['SET', 'p', 'v'], ['EXPIRE', 'p', '-1', 'LT'], ['EXISTS', 'p'], ['SET', 'p', 'v'], ['EXPIRE', 'p', '-1', 'NX'], ['EXISTS', 'p'],
    ['SET', 'q', 'v'], ['PEXPIREAT', 'q', '4102444800000', 'NX'], ['PEXPIREAT', 'q', '4102444800000', 'GT'], ['PEXPIREAT', 'q', '4102444800001', 'GT'],
    ['PEXPIREAT', 'q', '4102444800001', 'LT'], ['PEXPIREAT', 'q', '4102444800000', 'LT'], ['PEXPIRETIME', 'q'],
    ['EXPIREAT', 'q', '4102444800', 'XX'], ['EXPIRETIME', 'q'], ['PEXPIRE', 'q', '1000000', 'GT'], ['PEXPIRE', 'q', '1000000', 'LT'], ['TTL', 'q'],
  ]));

  it('lazy expiry on access', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 'a', 'v', 'PX', '30'], ['RPUSH', 'l', 'x'], ['PEXPIRE', 'l', '30'], ['HSET', 'h', 'f', 'v'], ['PEXPIRE', 'h', '30'],
    ['SET', 'b', 'v', 'PX', '30'], ['SET', 'c', 'v', 'PX', '30'], ['SET', 'd', 'v', 'PX', '30'], ['SET', 'e', 'v', 'PX', '30'],
    ['SET', 'keep', 'v'], { sleepMs: 80 },
    ['GET', 'a'], ['LRANGE', 'l', '0', '-1'], ['HGETALL', 'h'], ['EXISTS', 'b'], ['TTL', 'c'], ['TYPE', 'd'], ['KEYS', '*'],
    ['RENAME', 'e', 'e2'], ['EXISTS', 'a', 'b', 'c', 'd', 'e', 'l', 'h'], ['DBSIZE'],
    ['SET', 'x', 'v', 'PX', '30'], { sleepMs: 80 }, ['SET', 'x', 'new', 'NX'], ['TTL', 'x'],
    ['SET', 'y', '5', 'PX', '30'], { sleepMs: 80 }, ['INCR', 'y'], ['TTL', 'y'],
    ['RPUSH', 'bl', 'a'], ['PEXPIRE', 'bl', '30'], { sleepMs: 80 }, ['LPUSHX', 'bl', 'z'], ['EXISTS', 'bl'],
  ]));

  it('active expiry removes keys nobody reads', async () => {
    const p = pair();
    const args: string[] = [];
    for (let i = 0; i < 200; i++) args.push(`k${i}`);
    for (const c of [p.realClient, p.ourClient]) {
      await c.call('FLUSHALL');
      for (const k of args) await c.call('SET', k, 'v', 'PX', String(50 + (Number(k.slice(1)) % 50)));
      await c.call('SET', 'long', 'v', 'EX', '1000');
      await c.call('SET', 'persist', 'v');
    }
    const deadline = Date.now() + 4000;
    let sizes: string[] = [];
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      sizes = await Promise.all([p.realClient.call('DBSIZE'), p.ourClient.call('DBSIZE')]);
      if (sizes[0] === ':2\r\n' && sizes[1] === ':2\r\n') break;
    }
    expect(sizes).toEqual([':2\r\n', ':2\r\n']);
    await expectSame(p, [['TTL', 'long'], ['TTL', 'persist'], { cmd: ['KEYS', '*'], compare: 'sorted' }]);
  });

  it('expire keyspace events (expire, expired, del, persist)', async () => {
    const p = pair();
    const events = await recordKeyspaceEvents(p, () => expectSame(p, [
      ['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
      ['SET', 'k', 'v'], ['EXPIRE', 'k', '100'], ['EXPIRE', 'k', '100', 'NX'], ['PERSIST', 'k'], ['PERSIST', 'k'], ['PEXPIRE', 'k', '-1'],
      ['SET', 'lazy', 'v', 'PX', '20'], { sleepMs: 60 }, ['GET', 'lazy'], ['EXPIREAT', 'nokey', '1'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ]));
    expect(events.real.length).toBeGreaterThan(8);
    expect(events.ours).toEqual(events.real);
  });

  it('propagation: relative expires become PEXPIREAT, past ones DEL, expired keys DEL', async () => {
    const p = pair();
    // Lazy expiry must win the race against the active cycle on both sides: switch the
    // cycle off (DEBUG SET-ACTIVE-EXPIRE on real Redis; DEBUG is another module here).
    await p.realClient.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    p.ours.server.activeExpireEnabled = false;
    const realStream = await attachRealReplica(p.real.port);
    const ourStream = attachOurReplica(p);
    try {
      await expectSameScenario(p, async (t) => {
        const c = await t.open();
        await t.call(c, 'flush', 'FLUSHALL');
        await t.call(c, 'set', 'SET', 'k', 'v');
        await t.call(c, 'expire', 'EXPIRE', 'k', '100');
        await t.call(c, 'pexpire', 'PEXPIRE', 'k', '200000', 'GT');
        await t.call(c, 'expire-nx-fails', 'EXPIRE', 'k', '100', 'NX');
        await t.call(c, 'expireat', 'EXPIREAT', 'k', '4102444800');
        await t.call(c, 'pexpireat', 'PEXPIREAT', 'k', '4102444800123', 'LT');
        await t.call(c, 'pexpireat-big', 'PEXPIREAT', 'k', '9223372036854770000', 'XX');
        await t.call(c, 'persist', 'PERSIST', 'k');
        await t.call(c, 'persist-noop', 'PERSIST', 'k');
        await t.call(c, 'expire-missing', 'EXPIRE', 'nokey', '10');
        await t.call(c, 'expire-past', 'EXPIRE', 'k', '-5');
        await t.call(c, 'set2', 'SET', 'k2', 'v', 'EX', '100');
        await t.call(c, 'getex', 'GETEX', 'k2', 'PX', '5000');
        await t.call(c, 'set3', 'SET', 'k3', 'v', 'PX', '20');
        await t.sleep(60);
        await t.call(c, 'lazy-get', 'GET', 'k3');
        await t.call(c, 'select', 'SELECT', '5');
        await t.call(c, 'set-db5', 'SET', 'k5', 'v', 'PX', '20');
        await t.sleep(60);
        await t.call(c, 'exists-db5', 'EXISTS', 'k5');
      });
      await settle(realStream, ourStream);
      expect(normalizeTimes(ourStream.commands())).toEqual(normalizeTimes(realStream.commands()));
    } finally {
      realStream.close();
      ourStream.close();
      await p.realClient.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      p.ours.server.activeExpireEnabled = true;
    }
  });
});
