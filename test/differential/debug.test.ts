/**
 * DEBUG against real Redis 7.0.15: DIGEST / DIGEST-VALUE equality on the same dataset (strings
 * through commands; lists, sets, hashes and sorted sets built with commands on the real server
 * and directly in our engine's keyspace, since those command families live elsewhere), SLEEP
 * timing, the reply of every subcommand that has a deterministic one, error texts, and the
 * enable-debug-command gate.
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';
import { RHash, RList, RSet, RZSet } from '../../src/engine/keyspace/values';
import type { RedisServer } from '../../src/engine/server/server';

/** Put aggregates into db `dbId` of our server, with the encodings Redis would choose. */
function buildAggregates(s: RedisServer, dbId: number): void {
  const db = s.dbs[dbId];
  db.add('list', new RList(['a', 'b', 'c', '1', '', 'a']));
  const small = new RSet(); for (const m of ['3', '1', '2', '-5']) small.set.add(m); db.add('intset', small);
  const big = new RSet(); big.encoding = 'hashtable'; for (const m of ['x', 'y', 'zz', '1']) big.set.add(m); db.add('set', big);
  const h = new RHash(); for (const [f, v] of [['f1', 'v1'], ['f2', ''], ['', 'empty field'], ['n', '12']]) h.map.set(f, v); db.add('hash', h);
  const z = new RZSet(); for (const [m, sc] of [['a', 1], ['b', 2.5], ['c', -0.125], ['d', 1e20], ['e', 0]] as [string, number][]) z.set(m, sc); db.add('zset', z);
  const zs = new RZSet(); zs.encoding = 'skiplist'; for (const [m, sc] of [['m1', 3], ['m2', 1 / 3]] as [string, number][]) zs.set(m, sc); db.add('zsetsk', zs);
}

const REAL_AGGREGATES = [
  ['RPUSH', 'list', 'a', 'b', 'c', '1', '', 'a'], ['SADD', 'intset', '3', '1', '2', '-5'],
  ['SADD', 'set', 'x', 'y', 'zz', '1'], ['HSET', 'hash', 'f1', 'v1', 'f2', '', '', 'empty field', 'n', '12'],
  ['ZADD', 'zset', '1', 'a', '2.5', 'b', '-0.125', 'c', '1e20', 'd', '0', 'e'],
  ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'], ['ZADD', 'zsetsk', '3', 'm1', String(1 / 3), 'm2'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
];

describeDifferential('DEBUG (differential)', (pair) => {
  it('DIGEST and DIGEST-VALUE of strings, TTLs and several databases', () => expectSame(pair(), [
    ['FLUSHALL'], ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE'], ['DEBUG', 'DIGEST-VALUE', 'nokey'],
    ['SET', 'a', '1'], ['DEBUG', 'DIGEST'], ['SET', 'b', 'hello'], ['SET', 'c', 'x'.repeat(100)], ['SET', 'd', '-123456789012'],
    ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE', 'a', 'b', 'c', 'nokey', 'd'],
    ['EXPIRE', 'b', '1000'], ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE', 'b'], ['PERSIST', 'b'], ['DEBUG', 'DIGEST'],
    ['SELECT', '3'], ['SET', 'a', '1'], ['DEBUG', 'DIGEST'], ['MOVE', 'a', '5'], ['DEBUG', 'DIGEST'], ['SELECT', '0'],
    ['APPEND', 'b', ' world'], ['SET', 'bin', '\x00\xff\r\n'], ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE', 'b', 'bin'],
    ['DEBUG', 'POPULATE', '100'], ['DEBUG', 'DIGEST'], ['DEBUG', 'POPULATE', '10', 'p', '20'], ['DEBUG', 'DIGEST'], ['GET', 'p:3'],
    ['DEBUG', 'POPULATE', '-1'], ['DEBUG', 'POPULATE', 'x'], ['DEBUG', 'POPULATE', '5', 'p', '-3'], ['DBSIZE'],
    ['DEBUG', 'POPULATE', '3', 'L'.repeat(130), '3'], ['DBSIZE'], ['GET', 'L'.repeat(127)], ['DEBUG', 'POPULATE', '2', 'n\0ul', '10'], ['GET', 'n:1'], ['DBSIZE'],
    ['DEBUG', 'POPULATE', '2', 'Q'.repeat(124)], ['EXISTS', `${'Q'.repeat(124)}:1`, `${'Q'.repeat(124)}:0`], ['DEBUG', 'POPULATE', '1', 'x', '2', 'y'],
  ]));

  it('DIGEST over lists, sets, hashes and sorted sets is the same as real Redis', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ['SELECT', '2']]);
    for (const argv of REAL_AGGREGATES) await p.realClient.call(...argv);
    buildAggregates(p.ours.server, 2);
    await expectSame(p, [
      ['DEBUG', 'DIGEST'],
      ['DEBUG', 'DIGEST-VALUE', 'list', 'intset', 'set', 'hash', 'zset', 'zsetsk'],
      ['OBJECT', 'ENCODING', 'intset'], ['OBJECT', 'ENCODING', 'set'], ['OBJECT', 'ENCODING', 'zsetsk'],
      ['SELECT', '0'],
    ]);
  });

  it('SLEEP blocks the whole server for the given time', async () => {
    const p = pair();
    const t0 = Date.now();
    expect(await p.ourClient.call('DEBUG', 'SLEEP', '0.25')).toBe('+OK\r\n');
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(240);
    expect(took).toBeLessThan(2000);
    await expectSame(p, [['DEBUG', 'SLEEP', '0'], ['DEBUG', 'SLEEP', 'abc'], ['DEBUG', 'SLEEP', '-1'], ['DEBUG', 'SLEEP'], ['DEBUG', 'SLEEP', '0.01']]);
  });

  it('deterministic subcommands, RESP2 and RESP3', () => expectSame(pair(), [
    ['DEBUG', 'HELP'], ['DEBUG', 'help'], ['DEBUG', 'HELP', 'x'], ['DEBUG', 'JMAP'], ['DEBUG', 'nope'], ['DEBUG'],
    ['DEBUG', 'LOG', 'hello'], ['DEBUG', 'LOG'], ['DEBUG', 'LEAK', 'x'], ['DEBUG', 'ERROR', 'MYERR custom\r\nmessage'], ['DEBUG', 'ERROR', 'plain'],
    ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'], ['DEBUG', 'SET-ACTIVE-EXPIRE'],
    ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '5gb'], ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', 'x'], ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '100'],
    ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'], ['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '1'], ['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '0'],
    ['DEBUG', 'AOF-FLUSH-SLEEP', '0'], ['DEBUG', 'STRUCTSIZE'], ['DEBUG', 'CHANGE-REPL-ID'],
    ['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '0'], ['DEBUG', 'PAUSE-CRON', '0'], ['DEBUG', 'REPLYBUFFER', 'RESIZING', '1'],
    ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'RESET'], ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'x'], ['DEBUG', 'REPLYBUFFER', 'bogus', '1'],
    ['DEBUG', 'CLIENT-EVICTION'], ['DEBUG', 'DROP-CLUSTER-PACKET-FILTER', '-1'], ['DEBUG', 'DROP-CLUSTER-PACKET-FILTER', 'x'],
    ['DEBUG', 'CLUSTERLINK', 'KILL', 'to', 'abc'], ['DEBUG', 'RESTART', 'x'], ['DEBUG', 'RELOAD', 'BOGUS'],
    ['DEBUG', 'OBJECT', 'nokey'], ['DEBUG', 'SDSLEN', 'nokey'], ['SET', 'int', '5'], ['DEBUG', 'SDSLEN', 'int'],
    ['SET', 'str', 'hello'], ['DEBUG', 'SDSLEN', 'str'], ['SET', 'raw', 'x'.repeat(100)], ['DEBUG', 'SDSLEN', 'raw'],
    ['DEBUG', 'HTSTATS', '99'], ['DEBUG', 'HTSTATS', 'x'], ['DEBUG', 'HTSTATS', '5'], ['DEBUG', 'HTSTATS-KEY', 'str'], ['DEBUG', 'HTSTATS-KEY', 'nokey'],
    ['DEBUG', 'LISTPACK', 'str'], ['DEBUG', 'QUICKLIST', 'str'], ['DEBUG', 'LISTPACK', 'nokey'],
    ...['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'verbatim', 'true', 'false', 'bogus'].map((t) => ['DEBUG', 'PROTOCOL', t]),
    { raw: '*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n', replies: 1 },
    ...['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'true', 'false', 'verbatim'].map((t) => ['DEBUG', 'PROTOCOL', t]),
    { raw: '*3\r\n$5\r\nDEBUG\r\n$8\r\nPROTOCOL\r\n$4\r\npush\r\n', replies: 2 },
    { raw: '*2\r\n$5\r\nHELLO\r\n$1\r\n2\r\n', replies: 1 },
  ]));

  it('HTSTATS table size: no rehash while a child process runs, then the table grows', async () => {
    const p = pair();
    const run = async (cl: ReturnType<typeof pair>['realClient']): Promise<string[]> => {
      // A growing Redis table shows both sizes (the rehashing target, 8192, until the cron has
      // moved every bucket): ask, as Redis's test does, whether 8192 shows.
      const size = async () => `grown: ${(await cl.call('DEBUG', 'HTSTATS', '9')).split('[Expires HT]')[0].includes('table size: 8192')}`;
      const inProgress = async () => /rdb_bgsave_in_progress:1/.test(await cl.call('INFO', 'persistence'));
      const out: string[] = [];
      for (const argv of [['SELECT', '9'], ['FLUSHDB'], ['DEBUG', 'POPULATE', '4096', '', '1'], ['CONFIG', 'SET', 'rdb-key-save-delay', '150']]) await cl.call(...argv);
      out.push(await size(), await cl.call('BGSAVE'));
      await cl.call('MSET', 'k1', 'v1', 'k2', 'v2');
      out.push(`child running: ${await inProgress()}`, await size());
      const deadline = Date.now() + 10_000;
      while (await inProgress() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await cl.call('SET', 'k3', 'v3');
      out.push(await size());
      for (const argv of [['CONFIG', 'SET', 'rdb-key-save-delay', '0'], ['FLUSHDB'], ['SELECT', '0']]) await cl.call(...argv);
      return out;
    };
    const real = await run(p.realClient);
    expect(real).toEqual(['grown: false', '+Background saving started\r\n', 'child running: true', 'grown: false', 'grown: true']);
    expect(await run(p.ourClient)).toEqual(real);
  });

  it('STRINGMATCH-TEST (real Redis fuzzes for seconds; ours runs a shorter fuzz and answers the same)', async () => {
    expect(await pair().ourClient.call('DEBUG', 'STRINGMATCH-TEST')).toBe('+Apparently Redis did not crash: test passed\r\n');
  });

  it('DEBUG OBJECT: the 7.0 format, encodings and refcounts', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ['SET', 'n', '123'], ['SET', 'big', '123456'], ['SET', 's', 'hello'], ['SET', 'r', 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX']]);
    // (A compressible string would show the LZF-compressed length in Redis; the engine's estimate has no LZF.)
    for (const key of ['n', 'big', 's', 'r']) {
      const real = await p.realClient.call('DEBUG', 'OBJECT', key);
      const ours = await p.ourClient.call('DEBUG', 'OBJECT', key);
      const re = /^\+Value at:0x[0-9a-f]+ refcount:(\d+) encoding:(\w+) serializedlength:(\d+) lru:(\d+) lru_seconds_idle:(\d+)\r\n$/;
      const mr = re.exec(real), mo = re.exec(ours);
      expect(mo, ours).not.toBeNull();
      // Pointer and LRU clock are per-process; refcount, encoding and (uncompressed) length must agree.
      expect([mo![1], mo![2], mo![3]]).toEqual([mr![1], mr![2], mr![3]]);
      expect(Math.abs(Number(mo![4]) - Number(mr![4]))).toBeLessThan(5);
    }
  });

  it('DEBUG OBJECT and MEMORY USAGE on lists: quicklist nodes for byte and count fills and a PLAIN node', async () => {
    // A quicklist keeps the fill it was created with, so each list is looked at under its own.
    const p = pair();
    const cases: [config: string[][], key: string, items: string[]][] = [
      [[], 'ints', Array.from({ length: 300 }, (_, i) => String(i + 1))],
      [[], 'words', Array.from({ length: 2000 }, (_, i) => `value-${i + 1}`)],
      [[], 'mixed', Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? 'w'.repeat(i % 300) : String(i * 37)))],
      [[['CONFIG', 'SET', 'list-max-listpack-size', '5']], 'fives', Array.from({ length: 23 }, (_, i) => `x${i + 1}`)],
      [[['CONFIG', 'SET', 'list-max-listpack-size', '-2']], 'wide', ['a'.repeat(9000), 's1', 's2']],
      [[['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '100']], 'plain', ['b'.repeat(150), 'c', 'd'.repeat(200)]],
    ];
    const ql = (s: string): string => / (ql_nodes:.*)\r\n$/.exec(s)?.[1] ?? s;
    for (const [config, key, items] of cases) {
      await expectSame(p, [...config, ['DEL', key], ['RPUSH', key, ...items],
        ['MEMORY', 'USAGE', key], ['MEMORY', 'USAGE', key, 'SAMPLES', '1'], ['MEMORY', 'USAGE', key, 'SAMPLES', '0']]);
      const [real, ours] = await Promise.all([p.realClient.call('DEBUG', 'OBJECT', key), p.ourClient.call('DEBUG', 'OBJECT', key)]);
      expect(ql(ours), key).toBe(ql(real));
    }
    await expectSame(p, [['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0']]);
  });

  it('MEMORY USAGE and DEBUG SDSLEN count the spare room strings grow in place', async () => {
    const x = (n: number): string => 'x'.repeat(n);
    const steps: string[][] = [['FLUSHALL'],
      ['SET', 'a', 'hello'], ['APPEND', 'a', 'world'], ['APPEND', 'a', '!'],
      ['SET', 'b', x(50)], ['APPEND', 'b', 'y'], ['APPEND', 'b', x(300)],
      ['SET', 'i', '12345'], ['APPEND', 'i', '6'],
      ['APPEND', 'new', x(100)], ['APPEND', 'new', 'z'],
      ['SETRANGE', 'r', '100', 'x'], ['SETRANGE', 'r', '0', 'abc'], ['SETRANGE', 'r', '150', 'y'],
      ['SET', 's', x(60)], ['SETRANGE', 's', '10', 'q'],
      ['SETBIT', 'sb', '1000', '1'], ['SETBIT', 'sb', '1200', '1'], ['SET', 'sc', 'abc'], ['SETBIT', 'sc', '3', '0'],
      ['BITFIELD', 'bf', 'SET', 'u8', '400', '7'], ['BITFIELD', 'bf', 'SET', 'u8', '900', '7'],
      ['PFADD', 'h', 'a'], ['PFADD', 'h2', 'a', 'b', 'c', 'd', 'e', 'f', 'g'], ['PFADD', 'h2', 'a'],
      ['PFMERGE', 'hm', 'h', 'h2'], ['PFADD', 'hd', ...Array.from({ length: 400 }, (_, i) => `e${i}`)],
      ['SET', 'g', x(80)], ['APPEND', 'g', 'w'], ['SET', 'g', x(80)],
    ];
    const keys = ['a', 'b', 'i', 'new', 'r', 's', 'sb', 'sc', 'bf', 'h', 'h2', 'hm', 'hd', 'g'];
    for (const k of keys) steps.push(['MEMORY', 'USAGE', k], ['DEBUG', 'SDSLEN', k]);
    await expectSame(pair(), steps);
  });

  it('DEBUG RELOAD keeps the dataset (and drops expired keys); CHANGE-REPL-ID renews master_replid', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ['SET', 'a', '1'], ['SET', 'b', '2'], ['PEXPIRE', 'b', '1'], { sleepMs: 20 },
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['DEBUG', 'RELOAD'], ['DBSIZE'], ['GET', 'a'], ['DEBUG', 'DIGEST'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']]);
    const replid = async () => /master_replid:([0-9a-f]{40})/.exec(await p.ourClient.call('INFO', 'replication'))![1];
    const before = await replid();
    expect(await p.ourClient.call('DEBUG', 'CHANGE-REPL-ID')).toBe('+OK\r\n');
    expect(await replid()).not.toBe(before);
  });
});

describeDifferential('DEBUG when enable-debug-command is no (differential)', (pair) => {
  it('is refused with the same text', () => expectSame(pair(), [['DEBUG', 'DIGEST'], ['DEBUG', 'HELP'], ['DEBUG']]));
}, ['--enable-debug-command', 'no']);
