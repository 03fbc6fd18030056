/**
 * Our redis-benchmark against the real one, both talking to the same real redis-server with
 * the same arguments: the same lines (measured figures masked, see normaliseBenchmarkOutput),
 * the same errors and exit codes, and the same effect on the server (keys, values, and how
 * many times each command ran according to INFO commandstats).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as nodeOs from 'node:os';
import * as path from 'node:path';
import { haveTools, startRealRedis, REAL_REDIS, type RealRedis } from '../support/real-redis';
import { REAL_REDIS_BENCHMARK, normaliseBenchmarkOutput, runOurBenchmark, runRealBenchmark, type BenchResult, type BenchRunOptions } from '../support/benchmark-runner';
import type { RawClient } from '../support/raw-client';
import { ReplyParser, toJs } from '../../src/engine/resp/reply-parser';
import { strToBytes } from '../../src/engine/bytes';

const enabled = haveTools(REAL_REDIS, REAL_REDIS_BENCHMARK);

async function query(c: RawClient, ...argv: string[]): Promise<unknown> {
  const bytes = await c.call(...argv);
  const p = new ReplyParser();
  p.feed(strToBytes(bytes));
  return toJs(p.next()!.value);
}

describe.skipIf(!enabled)('redis-benchmark: ours = real, against the same real server', () => {
  let real: RealRedis;
  let client: RawClient;

  // The real server also listens on a unix socket (redis-benchmark -s).
  const sock = path.join(nodeOs.tmpdir(), `halab-bench-${process.pid}.sock`);

  beforeAll(async () => {
    real = await startRealRedis(['--unixsocket', sock]);
    client = await real.client();
  });
  afterAll(async () => {
    client?.close();
    await real?.stop();
  });

  const both = async (args: string[], opts: BenchRunOptions = {}): Promise<[BenchResult, BenchResult]> => {
    const r = await runRealBenchmark(args, opts);
    const o = await runOurBenchmark(args, opts);
    return [r, o];
  };

  /** The same output, exactly (no server needed or nothing measured). */
  async function sameExactly(args: string[], opts: BenchRunOptions = {}): Promise<void> {
    const [r, o] = await both(args, opts);
    expect(o).toEqual(r);
  }

  /** The same output with measured figures masked, against the real server. */
  async function sameMasked(args: string[], opts: BenchRunOptions = {}): Promise<BenchResult> {
    const full = ['-p', String(real.port), ...args];
    const [r, o] = await both(full, opts);
    const mask = (x: BenchResult) => ({ code: x.code, stdout: normaliseBenchmarkOutput(x.stdout), stderr: x.stderr.split(String(real.port)).join('PORT') });
    expect(mask(o)).toEqual(mask(r));
    return o;
  }

  it('--help, --version and bad options print what the real one prints', async () => {
    await sameExactly(['--help']);
    await sameExactly(['--version']);
    await sameExactly(['-v']);
    await sameExactly(['-z']);
    await sameExactly(['-c']);
    await sameExactly(['-n', '10', '--dbnum']);
    await sameExactly(['-r', '-t']);
    await sameExactly(['-r', 'abc', '--nope']);
    await sameExactly(['-e', '--threads', '1000', '--help']);
    await sameExactly(['-u', 'foo://x']);
    await sameExactly(['-u', 'redis://%zz@host']);
  });

  it('-s <unixsocket>: the tests run over the socket', async () => {
    const o = await sameMasked(['-q', '-t', 'set,get', '-n', '200', '-c', '5', '-s', sock]);
    expect(normaliseBenchmarkOutput(o.stdout)).toBe('SET: # requests per second, p50=# msec\nGET: # requests per second, p50=# msec\n\n');
  });

  it('-q: one line per test', async () => {
    const o = await sameMasked(['-q', '-t', 'set,get,incr', '-n', '200', '-c', '5']);
    expect(normaliseBenchmarkOutput(o.stdout)).toBe('SET: # requests per second, p50=# msec\nGET: # requests per second, p50=# msec\nINCR: # requests per second, p50=# msec\n\n');
  });

  it('-q over the whole default suite, in its order', async () => {
    await sameMasked(['-q', '-n', '40', '-c', '4']);
  });

  it('--csv: the header and one row per test', async () => {
    await sameMasked(['--csv', '-t', 'ping,lpush,lpop,mset', '-n', '100', '-c', '5']);
  });

  it('the full report (percentiles, cumulative distribution, summary)', async () => {
    await sameMasked(['-t', 'set,lrange_100', '-n', '300', '-c', '7']);
    await sameMasked(['-t', 'get', '-n', '100', '-c', '3', '-d', '100', '-P', '4', '--threads', '2', '--precision', '2']);
    await real.client().then(async (c) => { await c.call('CONFIG', 'SET', 'save', '3600 1'); c.close(); });
    await sameMasked(['-t', 'incr', '-n', '50', '-c', '2', '-k', '0']);
    await real.client().then(async (c) => { await c.call('CONFIG', 'SET', 'save', ''); c.close(); });
  });

  it('a command given on the command line, with __rand_int__ and -x', async () => {
    await sameMasked(['-n', '100', '-c', '5', '-r', '10', 'lpush', 'benchlist', '__rand_int__']);
    await sameMasked(['-q', '-n', '30', '-c', '3', '-t', 'get', 'set', 'k', 'v']);
    await sameMasked(['--csv', '-n', '20', '-c', '2', '-x', 'set', 'kx'], { stdin: 'from\nstdin' });
  });

  it('errors: from the server, AUTH, no server, unix sockets, an unknown host, --precision 0', async () => {
    await sameMasked(['-q', '-n', '10', '-c', '2', 'foo', 'bar']);
    await sameMasked(['-q', '-n', '10', '-a', 'pw', '-t', 'get']);
    await sameMasked(['-q', '-n', '10', '-t', 'nothing']);
    await sameMasked(['-q', '-n', '10', '-c', '2', '-e', '-t', 'ping_mbulk']);
    await sameMasked(['-q', '-n', '10', '-s', '/nonexistent/redis.sock']);
    // A file that is no socket: connect(2) refuses at once, for the CONFIG fetch and the clients.
    fs.writeFileSync(path.join(real.dir, 'not-a-socket'), '');
    await sameMasked(['-q', '-n', '10', '-s', path.join(real.dir, 'not-a-socket')]);
    await sameMasked(['-q', '-n', '10', '-t', 'ping', '--precision', '0']);
    await sameExactly(['-q', '-n', '10', '-h', 'nohost.invalid']);
    // A refused port: both report the CONFIG fetch, then never end (the real one spins).
    const [r, o] = await both(['-q', '-n', '10', '-p', '1'], { timeoutMs: 700 });
    expect(o).toEqual(r);
    expect(r.code).toBe(-1);
  });

  /** What a run did to the server: keys per db, chosen values, calls per command. */
  async function serverEffect(run: () => Promise<BenchResult>, inspect: string[][]): Promise<unknown> {
    await query(client, 'FLUSHALL');
    await query(client, 'CONFIG', 'RESETSTAT');
    const result = await run();
    expect(result.code).toBe(0);
    const info = String(await query(client, 'INFO', 'commandstats'));
    const calls: Record<string, number> = {};
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1]] = Number(m[2]);
    const keys: Record<string, unknown> = {};
    for (const db of ['0', '3']) {
      await query(client, 'SELECT', db);
      keys[db] = (await query(client, 'KEYS', '*') as string[]).sort();
    }
    await query(client, 'SELECT', '0');
    const values = [];
    for (const cmd of inspect) values.push(await query(client, ...cmd));
    return { calls, keys, values };
  }

  async function sameEffect(args: string[], inspect: string[][] = [], opts: BenchRunOptions = {}): Promise<unknown> {
    const full = ['-p', String(real.port), ...args];
    const r = await serverEffect(() => runRealBenchmark(full, opts), inspect);
    const o = await serverEffect(() => runOurBenchmark(full, opts), inspect);
    expect(o).toEqual(r);
    return o;
  }

  it('the same effect on the server: commands run -n times, keys from -r, payloads', async () => {
    const e = await sameEffect(['-q', '-t', 'set,incr,sadd,hset,zadd,mset', '-n', '300', '-c', '6', '-r', '7'],
      [['GET', 'key:000000000003'], ['SCARD', 'myset'], ['HLEN', 'myhash'], ['ZCARD', 'myzset']]) as { calls: Record<string, number> };
    expect(e.calls.set).toBe(300);
    expect(e.calls.mset).toBe(300);
    await sameEffect(['-q', '-t', 'set,get,lpush,rpush,lpop,rpop,spop,zpopmin', '-n', '200', '-c', '5'],
      [['GET', 'key:__rand_int__'], ['LLEN', 'mylist']]);
    await sameEffect(['-q', '-t', 'lrange', '-n', '60', '-c', '3', '-d', '10'], [['LLEN', 'mylist'], ['LINDEX', 'mylist', '0']]);
    // Pipelining issues whole batches: 100 requests in batches of 16 send 112.
    const p = await sameEffect(['-q', '-t', 'set', '-n', '100', '-c', '3', '-P', '16'], [['GET', 'key:__rand_int__']]) as { calls: Record<string, number> };
    expect(p.calls.set).toBe(112);
    const d = await sameEffect(['-q', '-t', 'set', '-n', '50', '-c', '4', '--dbnum', '3', '-r', '2']) as { calls: Record<string, number> };
    expect(d.calls.select).toBe(4);
    const l = await sameEffect(['-n', '80', '-c', '4', '-r', '5', '-q', 'rpush', 'l:__rand_int__', '__rand_int__']) as { calls: Record<string, number>; keys: Record<string, string[]> };
    expect(l.calls.rpush).toBe(80);
    expect(l.keys['0']).toEqual(['l:000000000000', 'l:000000000001', 'l:000000000002', 'l:000000000003', 'l:000000000004']);
    await sameEffect(['-n', '10', '-c', '2', '-q', '-x', 'set', 'kx'], [['GET', 'kx']], { stdin: 'piped value' });
  });

  it('AUTH with --user/-a and CLIENT TRACKING, HELLO 3 prefixes', async () => {
    await query(client, 'ACL', 'SETUSER', 'bench', 'on', '>secret', '+@all', '~*', '&*');
    try {
      await sameEffect(['-q', '-t', 'get', '-n', '20', '-c', '2', '--user', 'bench', '-a', 'secret', '--enable-tracking', '-3']);
      await sameMasked(['-q', '-t', 'get', '-n', '20', '-c', '2', '--user', 'bench', '-a', 'wrong']);
    } finally {
      await query(client, 'ACL', 'DELUSER', 'bench');
    }
  });
});
