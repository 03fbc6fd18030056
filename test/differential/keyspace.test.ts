import { it, expect } from 'vitest';
import { describeDifferential, expectSame, type Step } from '../support/differential';
import { recordKeyspaceEvents } from '../support/keyspace-events';
import { expectSameScenario, scanAll } from '../support/scenario';
import { attachOurReplica, attachRealReplica, normalizeTimes, settle } from '../support/repl-stream';

const BIN = 'k\0\xff\r\n';
const sorted = (cmd: string[]): Step => ({ cmd, compare: 'sorted' });

describeDifferential('generic keyspace commands (differential)', (pair) => {
  // Redis's unit/maxmemory "is the memory limit honoured": a client adding keys one by one and
  // reading INFO must see eviction keep used_memory within 4 KB of maxmemory, on both servers
  // (the figures themselves are each server's own).
  // Redis's unit/maxmemory "Don't rehash if used memory exceeds maxmemory after rehash": the
  // 4097th key would double the keys table (64 KB more); with 10 KB to spare the table stays
  // as it is (dictExpandAllowed) and nothing is evicted.
  it('a keys table that would outgrow maxmemory does not grow, so nothing is evicted for it', async () => {
    const p = pair();
    const sizes: string[] = [];
    for (const c of [p.realClient, p.ourClient]) {
      await c.call('FLUSHALL');
      await c.call('CONFIG', 'SET', 'latency-tracking', 'no'); // a first SET's histogram would take ~10 KB
      await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
      await c.call('DEBUG', 'POPULATE', '4096', 'key', '1');
      const used = Number(/used_memory:(\d+)/.exec(await c.call('INFO', 'memory'))![1]);
      await c.call('CONFIG', 'SET', 'maxmemory', String(used + 10 * 1024));
      await c.call('SET', 'k1', 'v1');
      await c.call('SET', 'k2', 'v2');
      sizes.push(await c.call('DBSIZE'));
      await c.call('CONFIG', 'SET', 'maxmemory', '0');
      await c.call('CONFIG', 'SET', 'latency-tracking', 'yes');
      await c.call('FLUSHALL');
    }
    expect(sizes).toEqual([':4098\r\n', ':4098\r\n']);
  });

  it('one big value (SETBIT far out) counts at once: the next command evicts', async () => {
    const p = pair();
    const seen: string[] = [];
    for (const c of [p.realClient, p.ourClient]) {
      await c.call('FLUSHALL');
      const used = Number(/used_memory:(\d+)/.exec(await c.call('INFO', 'memory'))![1]);
      await c.call('CONFIG', 'SET', 'maxmemory', String(used + 100 * 1024));
      await c.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-random');
      await c.call('SETEX', 'volatile-key', '10000', 'x');
      await c.call('SETBIT', 'big-key', '1600000', '0');
      seen.push(await c.call('EXISTS', 'volatile-key'));
      await c.call('CONFIG', 'SET', 'maxmemory', '0');
      await c.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      await c.call('FLUSHALL');
    }
    expect(seen).toEqual([':0\r\n', ':0\r\n']);
  });

  it('eviction keeps INFO used_memory under maxmemory while keys are added one by one (allkeys-lru, volatile-ttl)', async () => {
    const p = pair();
    for (const [side, c] of [['real', p.realClient], ['ours', p.ourClient]] as const) {
      for (const policy of ['allkeys-lru', 'volatile-ttl']) {
        const used = async (): Promise<number> => Number(/used_memory:(\d+)/.exec(await c.call('INFO', 'memory'))![1]);
        await c.call('FLUSHALL');
        const limit = (await used()) + 100 * 1024;
        await c.call('CONFIG', 'SET', 'maxmemory', String(limit));
        await c.call('CONFIG', 'SET', 'maxmemory-policy', policy);
        let n = 0;
        while ((await used()) + 4096 <= limit) await c.call('SETEX', `mm:${side}:${n++}`, '10000', 'x');
        for (let j = 0; j < n; j++) await c.call('SETEX', `mm2:${side}:${j}`, '10000', 'x');
        const after = await used();
        await c.call('CONFIG', 'SET', 'maxmemory', '0');
        await c.call('FLUSHALL');
        expect({ side, policy, over: after >= limit + 4096, enoughKeys: n > 10 }).toEqual({ side, policy, over: false, enoughKeys: true });
      }
    }
  });

  it('DEL, UNLINK, EXISTS, TYPE, DBSIZE, TOUCH', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 'a', '1'], ['SET', 'b', '2'], ['RPUSH', 'l', 'x'], ['HSET', 'h', 'f', 'v'], ['SET', BIN, 'bin'], ['SET', '', 'empty-key'],
    ['EXISTS', 'a'], ['EXISTS', 'a', 'a', 'b', 'nokey', 'l', 'h', BIN, ''], ['EXISTS', 'nokey'], ['DBSIZE'],
    ['TYPE', 'a'], ['TYPE', 'l'], ['TYPE', 'h'], ['TYPE', 'nokey'], ['TYPE', BIN], ['TYPE', ''],
    ['TOUCH', 'a', 'nokey', 'l', 'a'], ['TOUCH', 'nokey'],
    ['DEL', 'a', 'a', 'nokey'], ['DEL', 'a'], ['UNLINK', 'b', 'l', 'nokey'], ['UNLINK', 'b'], ['DEL', BIN, ''], ['DBSIZE'], ['EXISTS', 'h'],
    ['DEL'], ['UNLINK'], ['EXISTS'], ['TYPE'], ['TYPE', 'a', 'b'], ['TOUCH'], ['DBSIZE', 'x'],
    ['SELECT', '1'], ['DBSIZE'], ['SET', 'db1', 'v'], ['DBSIZE'], ['SELECT', '0'], ['DBSIZE'], ['EXISTS', 'db1'],
    ['SELECT', '16'], ['SELECT', '-1'], ['SELECT', 'x'], ['SELECT', '4294967296'],
  ]));

  it('KEYS patterns', () => expectSame(pair(), [
    ['FLUSHALL'], ['KEYS', '*'],
    ['MSET', 'hello', '1', 'hallo', '2', 'hxllo', '3', 'hllo', '4', 'heeeello', '5', 'h*llo', '6', 'x', '7', BIN, '8', 'H', '9'],
    sorted(['KEYS', '*']), sorted(['KEYS', 'h?llo']), sorted(['KEYS', 'h*llo']), sorted(['KEYS', 'h[ae]llo']), sorted(['KEYS', 'h[^e]llo']),
    sorted(['KEYS', 'h[a-b]llo']), sorted(['KEYS', 'h\\*llo']), sorted(['KEYS', 'k*']), sorted(['KEYS', 'k\0*']), sorted(['KEYS', 'h']),
    sorted(['KEYS', '[']), sorted(['KEYS', '[a-']), sorted(['KEYS', '\\']), sorted(['KEYS', 'nomatch*']), sorted(['KEYS', '*o']),
    sorted(['KEYS', '?']), sorted(['KEYS', '[h-H]']), sorted(['KEYS', '*[*']), ['KEYS'], ['KEYS', 'a', 'b'],
  ]));

  it('SCAN: cursor syntax, options, small databases answer in one call', async () => {
    await expectSame(pair(), [
      ['FLUSHALL'], ['SCAN', '0'],
      ['SCAN', 'x'], ['SCAN', '-1'], ['SCAN', ''], ['SCAN', ' 0'], ['SCAN', '0x'], ['SCAN', '+0'], ['SCAN', '18446744073709551616'], ['SCAN', '1.5'],
      ['SCAN', '0', 'COUNT', '0'], ['SCAN', '0', 'COUNT', '-1'], ['SCAN', '0', 'COUNT', 'x'], ['SCAN', '0', 'COUNT'], ['SCAN', '0', 'MATCH'],
      ['SCAN', '0', 'TYPE'], ['SCAN', '0', 'FOO', 'bar'], ['SCAN', 'x', 'COUNT', '0'], ['SCAN', '0', 'COUNT', '9223372036854775808'],
      ['SCAN'], ['SCAN', '0', 'count', '5', 'match', '*', 'type', 'string'],
      ['SET', 'only', 'v'], ['SCAN', '0'], ['SCAN', '0', 'TYPE', 'string'], ['SCAN', '0', 'TYPE', 'STRING'], ['SCAN', '0', 'TYPE', 'list'],
      ['SCAN', '0', 'MATCH', 'o*'], ['SCAN', '0', 'MATCH', 'x*'], ['SCAN', '0', 'TYPE', 'string\0junk'], ['SCAN', '0', 'TYPE', 'nosuchtype'],
      ['HELLO', '3'], ['SCAN', '0'], ['HELLO', '2'],
    ]);
    const p = pair();
    for (const c of [p.realClient, p.ourClient]) {
      await c.call('FLUSHALL');
      await c.call('MSET', 's1', '1', 's2', '2', 's3', '3');
      await c.call('RPUSH', 'l1', 'x');
      await c.call('HSET', 'h1', 'f', 'v');
    }
    for (const extra of [[], ['TYPE', 'string'], ['TYPE', 'list'], ['TYPE', 'hash'], ['MATCH', 's*'], ['TYPE', 'none'], ['MATCH', '*1', 'TYPE', 'STRING']]) {
      const [real, ours] = await Promise.all([
        scanAll(p.realClient, (cur) => ['SCAN', cur, ...extra]),
        scanAll(p.ourClient, (cur) => ['SCAN', cur, ...extra]),
      ]);
      expect(ours.items.sort(), extra.join(' ')).toEqual(real.items.sort());
      expect(ours.calls).toBe(real.calls);
    }
  });

  it('SCAN over a large keyspace returns every key exactly as real Redis (as a set)', async () => {
    const p = pair();
    const args: string[] = [];
    for (let i = 0; i < 1000; i++) args.push(`key:${i}`, String(i));
    for (const c of [p.realClient, p.ourClient]) {
      await c.call('FLUSHALL');
      await c.call('MSET', ...args);
      await c.call('RPUSH', 'key:list', 'a');
    }
    for (const extra of [['COUNT', '100'], ['MATCH', 'key:1*', 'COUNT', '50'], ['TYPE', 'list', 'COUNT', '200'], []]) {
      const [real, ours] = await Promise.all([
        scanAll(p.realClient, (cur) => ['SCAN', cur, ...extra]),
        scanAll(p.ourClient, (cur) => ['SCAN', cur, ...extra]),
      ]);
      // SCAN may return an element more than once; compare the distinct sets.
      expect([...new Set(ours.items)].sort(), extra.join(' ')).toEqual([...new Set(real.items)].sort());
      expect(ours.calls).toBeGreaterThan(1);
    }
  });

  it('RANDOMKEY', () => expectSame(pair(), [
    ['FLUSHALL'], ['RANDOMKEY'], ['SET', 'only', 'v'], ['RANDOMKEY'], ['RANDOMKEY', 'x'],
    ['MSET', 'a', '1', 'b', '2'], { cmd: ['RANDOMKEY'], compare: 'type' },
    ['DEL', 'a', 'b'], ['SET', 'gone', 'v', 'PX', '1'], { sleepMs: 20 }, ['RANDOMKEY'], ['RANDOMKEY'], ['EXISTS', 'gone'],
    ['HELLO', '3'], ['DEL', 'only'], ['RANDOMKEY'], ['HELLO', '2'],
  ]));

  it('RENAME and RENAMENX', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 'a', 'va'], ['SET', 'b', 'vb'], ['RPUSH', 'l', 'x'],
    ['RENAME', 'a', 'c'], ['GET', 'c'], ['EXISTS', 'a'], ['RENAME', 'nokey', 'x'], ['RENAMENX', 'nokey', 'x'],
    ['RENAME', 'c', 'b'], ['GET', 'b'], ['RENAME', 'b', 'b'], ['RENAMENX', 'b', 'b'], ['RENAME', 'nokey', 'nokey'], ['RENAMENX', 'nokey', 'nokey'],
    ['SET', 'x', '1'], ['RENAMENX', 'x', 'b'], ['RENAMENX', 'x', 'y'], ['GET', 'y'], ['RENAME', 'l', 'b'], ['TYPE', 'b'], ['LRANGE', 'b', '0', '-1'],
    ['SET', 't', 'v', 'EX', '100'], ['RENAME', 't', 't2'], ['TTL', 't2'], ['SET', 'u', 'v'], ['RENAME', 'u', 't2'], ['TTL', 't2'],
    ['SET', 'i', '123'], ['RENAME', 'i', 'j'], ['OBJECT', 'ENCODING', 'j'], ['APPEND', 'j', '4'], ['RENAME', 'j', 'k'], ['OBJECT', 'ENCODING', 'k'],
    ['RENAME', 'k', BIN], ['GET', BIN], ['RENAME', BIN, ''], ['GET', ''],
    ['RENAME', 'a'], ['RENAME', 'a', 'b', 'c'], ['RENAMENX', 'a'],
  ]));

  it('COPY', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 's', 'v'], ['SET', 'i', '12345'], ['SET', 'e', 'embstr'], ['APPEND', 'r', 'raw'],
    ['RPUSH', 'l', 'a', 'b'], ['HSET', 'h', 'f', 'v'], ['SET', 'ttl', 'v', 'EX', '100'],
    ['COPY', 's', 's2'], ['GET', 's2'], ['COPY', 's', 's2'], ['COPY', 's', 's2', 'REPLACE'], ['COPY', 'nokey', 'x'], ['COPY', 's', 's'],
    ['COPY', 's', 's', 'DB', '0'], ['COPY', 's', 's', 'DB', '1'], ['SELECT', '1'], ['GET', 's'], ['SELECT', '0'],
    ['COPY', 'i', 'i2'], ['OBJECT', 'ENCODING', 'i2'], ['COPY', 'e', 'e2'], ['OBJECT', 'ENCODING', 'e2'], ['COPY', 'r', 'r2'], ['OBJECT', 'ENCODING', 'r2'],
    ['COPY', 'l', 'l2'], ['RPUSH', 'l2', 'c'], ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'l2', '0', '-1'],
    ['COPY', 'h', 'h2'], ['HSET', 'h2', 'g', 'w'], ['HGETALL', 'h'], ['HGETALL', 'h2'], ['OBJECT', 'ENCODING', 'h2'],
    ['COPY', 'ttl', 'ttl2'], ['TTL', 'ttl2'], ['COPY', 'ttl', 's2', 'REPLACE'], ['TTL', 's2'], ['COPY', 's', 's2', 'REPLACE'], ['TTL', 's2'],
    ['COPY', 's', 'x', 'DB', '16'], ['COPY', 's', 'x', 'DB', '-1'], ['COPY', 's', 'x', 'DB', 'abc'], ['COPY', 's', 'x', 'DB', '4294967296'],
    ['COPY', 's', 'x', 'DB'], ['COPY', 's', 'x', 'FOO'], ['COPY', 's', 'x', 'REPLACE', 'REPLACE'], ['COPY', 'nokey', 'x', 'DB', '99'],
    ['COPY', 's', 'x', 'db', '2', 'replace'], ['SELECT', '2'], ['GET', 'x'], ['SELECT', '0'], ['COPY', 's'], ['COPY', 's', 'x', 'replace\0z'],
  ]));

  it('MOVE', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 'a', 'v'], ['SET', 'b', 'v', 'EX', '100'], ['RPUSH', 'l', 'x'],
    ['MOVE', 'a', '1'], ['EXISTS', 'a'], ['SELECT', '1'], ['GET', 'a'], ['SELECT', '0'],
    ['MOVE', 'b', '1'], ['SELECT', '1'], ['TTL', 'b'], ['SET', 'l', 'exists-here'], ['SELECT', '0'], ['MOVE', 'l', '1'], ['EXISTS', 'l'],
    ['MOVE', 'nokey', '1'], ['MOVE', 'l', '0'], ['MOVE', 'l', '16'], ['MOVE', 'l', '-1'], ['MOVE', 'l', 'x'], ['MOVE', 'l', '4294967296'],
    ['MOVE', 'nokey', '0'], ['MOVE', 'nokey', '99'], ['MOVE', 'l'], ['MOVE', 'l', '1', '2'],
  ]));

  it('SWAPDB, FLUSHDB, FLUSHALL', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 'a', 'db0'], ['SELECT', '1'], ['SET', 'a', 'db1'], ['SET', 'b', 'only1'], ['SELECT', '0'],
    ['SWAPDB', '0', '1'], ['GET', 'a'], ['GET', 'b'], ['DBSIZE'], ['SWAPDB', '0', '0'], ['SWAPDB', '1', '0'], ['GET', 'a'],
    ['SWAPDB', '0', '16'], ['SWAPDB', '-1', '0'], ['SWAPDB', 'x', '0'], ['SWAPDB', '0', 'y'], ['SWAPDB', 'x', 'y'], ['SWAPDB', '4294967296', '0'],
    ['SWAPDB', '0'], ['SWAPDB', '0', '1', '2'],
    ['FLUSHDB', 'x'], ['FLUSHDB', 'SYNC', 'ASYNC'], ['FLUSHALL', 'lazy'], ['FLUSHALL', 'ASYNC', 'x'],
    ['FLUSHDB'], ['DBSIZE'], ['SELECT', '1'], ['DBSIZE'], ['FLUSHDB', 'ASYNC'], ['DBSIZE'], ['SET', 'c', 'v'], ['FLUSHDB', 'sync'], ['DBSIZE'],
    ['SET', 'c', 'v'], ['SELECT', '0'], ['SET', 'd', 'v'], ['FLUSHALL', 'ASYNC'], ['DBSIZE'], ['SELECT', '1'], ['DBSIZE'], ['SELECT', '0'],
    ['SET', 'e', 'v'], ['FLUSHALL', 'SYNC'], ['DBSIZE'], ['FLUSHALL', 'async\0x'], ['FLUSHDB'], ['FLUSHALL'],
  ]));

  it('OBJECT subcommands', () => expectSame(pair(), [
    ['FLUSHALL'],
    ['SET', 'int', '42'], ['SET', 'bigint', '9223372036854775807'], ['SET', 'neg', '-5'], ['SET', 'emb', 'hello'], ['SET', 'raw', 'x'.repeat(45)],
    ['SET', 'notint', '007'], ['RPUSH', 'l', 'a'], ['HSET', 'h', 'f', 'v'],
    ['OBJECT', 'ENCODING', 'int'], ['OBJECT', 'ENCODING', 'bigint'], ['OBJECT', 'ENCODING', 'neg'], ['OBJECT', 'ENCODING', 'emb'],
    ['OBJECT', 'ENCODING', 'raw'], ['OBJECT', 'ENCODING', 'notint'], ['OBJECT', 'ENCODING', 'l'], ['OBJECT', 'ENCODING', 'h'], ['OBJECT', 'ENCODING', 'nokey'],
    ['OBJECT', 'REFCOUNT', 'int'], ['OBJECT', 'REFCOUNT', 'bigint'], ['OBJECT', 'REFCOUNT', 'emb'], ['OBJECT', 'REFCOUNT', 'l'], ['OBJECT', 'REFCOUNT', 'nokey'],
    ['SET', 'n9999', '9999'], ['SET', 'n10000', '10000'], ['OBJECT', 'REFCOUNT', 'n9999'], ['OBJECT', 'REFCOUNT', 'n10000'], ['OBJECT', 'REFCOUNT', 'neg'],
    { cmd: ['OBJECT', 'IDLETIME', 'emb'], compare: 'type' }, ['OBJECT', 'IDLETIME', 'nokey'], ['OBJECT', 'FREQ', 'emb'], ['OBJECT', 'FREQ', 'nokey'],
    ['OBJECT', 'HELP'], ['OBJECT', 'help'], ['OBJECT'], ['OBJECT', 'ENCODING'], ['OBJECT', 'ENCODING', 'a', 'b'], ['OBJECT', 'FOO', 'a'],
    ['OBJECT', 'HELP', 'x'], ['OBJECT', 'encoding', 'int'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['SET', 'lfu', 'v'], ['OBJECT', 'FREQ', 'lfu'], ['GET', 'lfu'], ['OBJECT', 'FREQ', 'lfu'],
    ['OBJECT', 'IDLETIME', 'lfu'], ['RPUSH', 'lfulist', 'a'], ['OBJECT', 'FREQ', 'lfulist'], ['LRANGE', 'lfulist', '0', '-1'], ['OBJECT', 'FREQ', 'lfulist'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu'], ['OBJECT', 'FREQ', 'lfu'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['OBJECT', 'FREQ', 'lfu'],
    ['CONFIG', 'SET', 'maxmemory', '100mb'], ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], ['SET', 'shared?', '7'], ['OBJECT', 'REFCOUNT', 'shared?'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['SET', 'shared2', '7'], ['OBJECT', 'REFCOUNT', 'shared2'], ['CONFIG', 'SET', 'maxmemory', '0'],
    ['HELLO', '3'], ['OBJECT', 'ENCODING', 'nokey'], ['OBJECT', 'HELP'], ['HELLO', '2'],
  ]));

  it('keyspace events of generic commands (including "new")', async () => {
    const p = pair();
    const events = await recordKeyspaceEvents(p, () => expectSame(p, [
      ['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEAn'],
      ['SET', 'a', '1'], ['SET', 'a', '2'], ['RPUSH', 'l', 'x'], ['HSET', 'h', 'f', 'v'], ['DEL', 'a', 'nokey'], ['UNLINK', 'l'],
      ['RENAME', 'h', 'h2'], ['SET', 'x', '1'], ['RENAME', 'x', 'h2'], ['COPY', 'h2', 'h3'], ['COPY', 'h2', 'h3', 'REPLACE'], ['MOVE', 'h3', '3'],
      ['COPY', 'h2', 'c', 'DB', '5'], ['GET', 'nokey'], ['MSET', 'm1', '1', 'm2', '2'], ['SWAPDB', '0', '1'], ['FLUSHDB'], ['SELECT', '1'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'Km'], ['GET', 'missing'], ['EXISTS', 'missing'], ['TYPE', 'missing'], ['HGET', 'missing', 'f'],
      ['LRANGE', 'missing', '0', '1'], ['OBJECT', 'ENCODING', 'missing'], ['TTL', 'missing'], ['SELECT', '0'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ]));
    expect(events.real.length).toBeGreaterThan(20);
    expect(events.ours).toEqual(events.real);
  });

  it('propagation of generic commands (FLUSHDB/FLUSHALL always, no-op DEL never)', async () => {
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
        await t.call(c, 'flushall', 'FLUSHALL');
        await t.call(c, 'flushall-empty', 'FLUSHALL', 'ASYNC');
        await t.call(c, 'flushdb-empty', 'FLUSHDB');
        await t.call(c, 'set', 'SET', 'a', '1');
        await t.call(c, 'del-noop', 'DEL', 'nokey');
        await t.call(c, 'del', 'DEL', 'a', 'nokey');
        await t.call(c, 'set2', 'MSET', 'b', '1', 'c', '2');
        await t.call(c, 'rename', 'RENAME', 'b', 'b2');
        await t.call(c, 'renamenx-noop', 'RENAMENX', 'b2', 'c');
        await t.call(c, 'copy', 'COPY', 'c', 'c2', 'DB', '3');
        await t.call(c, 'move', 'MOVE', 'c', '4');
        await t.call(c, 'move-noop', 'MOVE', 'nokey', '4');
        await t.call(c, 'swapdb', 'SWAPDB', '3', '4');
        await t.call(c, 'swapdb-same', 'SWAPDB', '2', '2');
        await t.call(c, 'select', 'SELECT', '3');
        await t.call(c, 'unlink', 'UNLINK', 'c');
        await t.call(c, 'touch', 'TOUCH', 'c2');
        await t.call(c, 'flushdb', 'FLUSHDB', 'SYNC');
        await t.call(c, 'exp', 'SET', 'e1', 'v', 'PX', '1');
        await t.sleep(20);
        await t.call(c, 'keys', 'KEYS', '*');
        await t.call(c, 'scan-expires', 'SCAN', '0');
        await t.call(c, 'exp3', 'SET', 'e3', 'v', 'PX', '1');
        await t.sleep(20);
        await t.call(c, 'write-after-expire', 'SET', 'e3', 'new');
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
