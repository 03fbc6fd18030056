/**
 * SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE, FLUSHALL with save points, MISCONF and the INFO
 * persistence fields, against real Redis 7.0.15.
 */
import { it, expect } from 'vitest';
import * as fs from 'node:fs';
import { describeDifferential, expectSame, type Pair } from '../support/differential';
import { persistenceInfoFields } from '../../src/engine/persistence/info';
import { encodeCommand } from '../../src/engine/resp/reply-parser';
import type { RawClient } from '../support/raw-client';

/** INFO persistence of one server as [name, value] pairs. */
async function info(c: RawClient): Promise<[string, string][]> {
  c.write(encodeCommand(['INFO', 'persistence']));
  const r = await c.reply();
  if (r.value.type !== 'bulk') throw new Error('INFO failed');
  return r.value.value.split('\r\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i), l.slice(i + 1)];
  });
}

/** Fields whose values both servers must agree on (the rest are times or sizes of different data). */
const STABLE = ['loading', 'async_loading', 'current_cow_peak', 'current_fork_perc', 'rdb_changes_since_last_save', 'rdb_bgsave_in_progress',
  'rdb_last_bgsave_status', 'rdb_saves', 'rdb_last_load_keys_expired', 'rdb_last_load_keys_loaded', 'aof_enabled',
  'aof_rewrite_in_progress', 'aof_rewrite_scheduled', 'aof_last_bgrewrite_status', 'aof_rewrites', 'aof_rewrites_consecutive_failures',
  'aof_last_write_status', 'module_fork_in_progress', 'module_fork_last_cow_size', 'aof_pending_rewrite',
  'aof_buffer_length', 'aof_delayed_fsync'];
// aof_pending_bio_fsync is not compared: it is 1 while a background fsync job is queued, which on
// a real server depends on when its bio thread gets the CPU.

/** Same fields in the same order; with `values`, same values for the stable fields. */
async function expectSameInfo(p: Pair, values = true): Promise<void> {
  const real = await info(p.realClient);
  const ours = await info(p.ourClient);
  // The provider registered in server.hooks.info and the exported field list agree.
  expect(persistenceInfoFields(p.ours.server).map(([k]) => k)).toEqual(ours.map(([k]) => k));
  expect(ours.map(([k]) => k)).toEqual(real.map(([k]) => k));
  if (!values) return;
  const pick = (f: [string, string][]) => f.filter(([k]) => STABLE.includes(k));
  expect(pick(ours)).toEqual(pick(real));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeDifferential('persistence commands (differential)', (pair) => {
  it('SAVE, LASTSAVE, BGSAVE and their errors; INFO persistence field by field', async () => {
    const p = pair();
    await expectSameInfo(p);
    await expectSame(p, [
      ['FLUSHALL'], ['SET', 'a', '1'], ['INCR', 'a'], ['SET', 'b', '2'],
      ['SAVE'], { cmd: ['LASTSAVE'], compare: 'type' }, ['SAVE', 'x'], ['LASTSAVE', 'x'],
      ['BGSAVE', 'FOO'], ['BGSAVE', 'SCHEDULE', 'x'], ['BGREWRITEAOF', 'x'],
    ]);
    await expectSameInfo(p);
    // Commands whose answer depends on a running child go in one packet, so no serverCron
    // (which reaps finished children) can run between them on either server.
    await expectSame(p, [['SET', 'c', '3'], ['DEL', 'a', 'b'], { raw: 'BGSAVE\r\nBGSAVE\r\nBGSAVE SCHEDULE\r\nSAVE\r\n', replies: 4 }]);
    // When each server notices its child has exited depends on its own cron phase.
    await expectSameInfo(p, false);
    await sleep(1000);
    await expectSameInfo(p);
    // While a rewrite child runs, BGSAVE is refused (or scheduled with SCHEDULE).
    await expectSame(p, [{ raw: 'BGREWRITEAOF\r\nBGSAVE\r\nBGREWRITEAOF\r\nBGSAVE SCHEDULE\r\nSAVE\r\n', replies: 5 }]);
    await expectSameInfo(p, false);
    await sleep(1200);
    await expectSameInfo(p);
  });

  it('FLUSHALL saves when save points are set, and still reaches the AOF', async () => {
    const p = pair();
    await expectSame(p, [
      ['CONFIG', 'SET', 'save', '3600 1'], ['SET', 'x', '1'], ['SET', 'y', '2'], ['FLUSHALL'], ['DBSIZE'],
    ]);
    await expectSameInfo(p);
    await expectSame(p, [['CONFIG', 'SET', 'save', ''], ['SET', 'x', '1'], ['FLUSHALL'], ['FLUSHALL']]);
    await expectSameInfo(p);
    // LFU counters travel in FREQ opcodes, huge expire times stay exact.
    await expectSame(p, [
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['SET', 'lfu', 'v'],
      ['DUMP', 'lfu'], ['PEXPIREAT', 'lfu', '9223372036854770000'],
    ]);
    p.realClient.write(encodeCommand(['DUMP', 's:str']));
    const pl = (await p.realClient.reply()).value;
    await expectSame(p, [
      ['RESTORE', 'freq', '0', pl.type === 'bulk' ? pl.value : '', 'FREQ', '100'], ['OBJECT', 'FREQ', 'freq'],
      ['DEBUG', 'RELOAD'], ['OBJECT', 'FREQ', 'freq'], ['PEXPIRETIME', 'lfu'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['DEL', 'freq', 'lfu'],
    ]);
    await expectSame(p, [['CONFIG', 'SET', 'appendonly', 'yes']]);
    await sleep(1200);
    await expectSameInfo(p);
    await expectSame(p, [['SET', 'k', 'v'], ['FLUSHALL'], ['SET', 'k2', 'v']]);
    await sleep(100);
    await expectSameInfo(p);
    const incr = (dir: string) => fs.readFileSync(`${dir}/appendonlydir/appendonly.aof.1.incr.aof`, 'latin1');
    expect(incr(p.ours.dir)).toBe(incr(p.real.dir));
    expect(incr(p.ours.dir)).toContain('*1\r\n$8\r\nFLUSHALL\r\n');
    await expectSame(p, [['CONFIG', 'SET', 'appendonly', 'no']]);
    await expectSameInfo(p);
  });

  it('CONFIG SET appendonly yes inside MULTI schedules the rewrite for the cron', async () => {
    const p = pair();
    const logs = () => [p.real.output(), p.ours.log.join('')];
    const forks = async (c: RawClient) => {
      c.write(encodeCommand(['INFO', 'stats']));
      return Number((await c.reply()).bytes.match(/total_forks:(\d+)/)![1]);
    };
    const forksBefore = [await forks(p.realClient), await forks(p.ourClient)];
    await expectSame(p, [['MULTI'], ['SET', 'foo', 'bar'], ['CONFIG', 'SET', 'appendonly', 'yes'], ['EXEC']]);
    for (const log of logs()) expect(log).toContain('AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    await sleep(1200);
    await expectSameInfo(p);
    expect([await forks(p.realClient) - forksBefore[0], await forks(p.ourClient) - forksBefore[1]]).toEqual([1, 1]);
    await expectSame(p, [['CONFIG', 'SET', 'appendonly', 'no'], ['DEL', 'foo']]);
  });

  it('DEBUG RELOAD and DEBUG LOADAOF round-trip every type; DEBUG OBJECT serializedlength', async () => {
    const p = pair();
    const big = (n: number, f: (i: number) => string[]) => Array.from({ length: n }, (_, i) => f(i)).flat();
    const data: string[][] = [
      ['FLUSHALL'], ['CONFIG', 'SET', 'save', ''],
      ['SET', 's:int', '42'], ['SET', 's:str', 'hello'], ['SET', 's:long', 'abc'.repeat(30)], ['SET', 's:ttl', 'v', 'EX', '10000'],
      ['SADD', 'set:int', '1', '2', '3'], ['SADD', 'set:big', ...big(600, (i) => [String(i)])], ['SADD', 'set:str', 'a', 'b'],
      ['ZADD', 'z:small', '1', 'a', '2.5', 'b'], ['ZADD', 'z:big', ...big(200, (i) => [String(i), `m${i}`])],
      ['SELECT', '4'], ['SET', 'db4', 'x'], ['SELECT', '0'],
    ];
    const checks: string[][] = [
      ['DBSIZE'], ['DEBUG', 'DIGEST'],
      ...['s:int', 's:str', 's:long', 'set:int', 'set:big', 'set:str', 'z:small', 'z:big'].map((k) => ['OBJECT', 'ENCODING', k]),
      ['SMEMBERS', 'set:int'], ['ZRANGE', 'z:small', '0', '-1', 'WITHSCORES'], ['GET', 's:long'],
    ];
    await expectSame(p, [...data, ...checks]);
    const serialized = async (c: RawClient, key: string) => {
      c.write(encodeCommand(['DEBUG', 'OBJECT', key]));
      const r = (await c.reply()).value;
      return r.type === 'status' ? /serializedlength:(\d+)/.exec(r.value)?.[1] : JSON.stringify(r);
    };
    for (const k of ['s:int', 's:str', 's:long', 'set:int', 'set:big', 'set:str', 'z:small', 'z:big']) {
      expect(await serialized(p.ourClient, k), k).toBe(await serialized(p.realClient, k));
    }
    await expectSame(p, [['DEBUG', 'RELOAD'], ...checks, ['DEBUG', 'RELOAD', 'MERGE', 'NOFLUSH'], ['DBSIZE'], ['DEBUG', 'RELOAD', 'NOSAVE'], ...checks]);
    // LFU counters travel in FREQ opcodes, huge expire times stay exact.
    await expectSame(p, [
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['SET', 'lfu', 'v'],
      ['DUMP', 'lfu'], ['PEXPIREAT', 'lfu', '9223372036854770000'],
    ]);
    p.realClient.write(encodeCommand(['DUMP', 's:str']));
    const pl = (await p.realClient.reply()).value;
    await expectSame(p, [
      ['RESTORE', 'freq', '0', pl.type === 'bulk' ? pl.value : '', 'FREQ', '100'], ['OBJECT', 'FREQ', 'freq'],
      ['DEBUG', 'RELOAD'], ['OBJECT', 'FREQ', 'freq'], ['PEXPIRETIME', 'lfu'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['DEL', 'freq', 'lfu'],
    ]);
    await expectSame(p, [['CONFIG', 'SET', 'appendonly', 'yes']]);
    await sleep(1200);
    await expectSame(p, [['SET', 'after', 'aof'], ['SADD', 'set:int', '99'], ['ZINCRBY', 'z:small', '5', 'a'], ['DEBUG', 'LOADAOF'], ...checks, ['GET', 'after']]);
    await expectSameInfo(p);
    await expectSame(p, [['CONFIG', 'SET', 'appendonly', 'no']]);
  });
  // Last: it removes the servers' directories (real Redis cannot recover its cwd).
  it('a failing BGSAVE with save points turns writes into MISCONF until fixed', async () => {
    const p = pair();
    await expectSame(p, [['CONFIG', 'SET', 'save', '3600 1'], ['SET', 'k', 'v']]);
    // Pull the directory from under both servers: the child cannot create its temp file.
    fs.rmSync(p.real.dir, { recursive: true, force: true });
    fs.rmSync(p.ours.dir, { recursive: true, force: true });
    await expectSame(p, [['BGSAVE']]);
    await sleep(1000);
    await expectSameInfo(p);
    await expectSame(p, [
      ['SET', 'k', 'v2'], ['PING'], ['GET', 'k'], ['INCR', 'n'], ['SAVE'],
      ['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no'], ['SET', 'k', 'v3'],
      ['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes'], ['SET', 'k', 'v4'],
      ['CONFIG', 'SET', 'save', ''], ['SET', 'k', 'v5'], ['CONFIG', 'SET', 'save', '3600 1'],
    ]);
    await expectSameInfo(p);
    // (Recreating the directory does not help real Redis: its cwd is the deleted inode.)
    fs.mkdirSync(p.real.dir, { recursive: true });
    fs.mkdirSync(p.ours.dir, { recursive: true });
  });

});
