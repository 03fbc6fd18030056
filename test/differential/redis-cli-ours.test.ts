/**
 * The whole stack: our redis-cli talking to our redis-server must print exactly what the real
 * redis-cli prints talking to the real redis-server, for the commands our server implements.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { haveTools, startRealRedis, REAL_REDIS, REAL_REDIS_CLI, type RealRedis } from '../support/real-redis';
import { startOurRedis, type OurRedis } from '../support/our-server';
import { runOurCli, runRealCli } from '../support/cli-runner';

const enabled = haveTools(REAL_REDIS, REAL_REDIS_CLI);

describe.skipIf(!enabled)('our redis-cli + our server = real redis-cli + real server', () => {
  let real: RealRedis;
  let ours: OurRedis;

  beforeAll(async () => {
    [real, ours] = await Promise.all([startRealRedis(), startOurRedis()]);
  });
  afterAll(async () => {
    await Promise.all([real?.stop(), ours?.stop()]);
  });

  async function same(args: string[], stdin?: string): Promise<void> {
    const r = await runRealCli(['-p', String(real.port), ...args], { stdin });
    const o = await runOurCli(['-p', String(ours.port), ...args], { stdin });
    const portless = (s: string) => s.split(String(real.port)).join('PORT').split(String(ours.port)).join('PORT');
    expect({ ...o, stdout: portless(o.stdout), stderr: portless(o.stderr) })
      .toEqual({ ...r, stdout: portless(r.stdout), stderr: portless(r.stderr) });
  }

  const script = [
    'flushall', 'set foo bar', 'get foo', 'get nokey', 'set foo baz nx', 'set n 10', 'incr n', 'incrby n x',
    'mset a 1 b 2', 'mget a b c', 'append a "\\x00\\xff"', 'get a', 'strlen a', 'getrange foo 0 1',
    'expire foo 100', 'ttl foo', 'persist foo', 'ttl foo', 'type foo', 'exists foo nokey', 'del a b',
    'object encoding n', 'dbsize', 'select 3', 'set x y', 'dbsize', 'select 0', 'echo "multi\\nline"',
    'ping', 'ping hi', 'config get maxmemory', 'config set maxmemory abc', 'lcs foo foo idx', 'foo', 'get',
    'set k v ex 0', 'incrbyfloat f 1.5', 'getex f persist', 'copy foo foo2', 'rename nokey x', 'unlink foo2',
  ].join('\n') + '\n';

  it('a session of string/keyspace/expire/connection commands, raw', () => same([], script));
  it('the same session, tty formatting', () => same(['--no-raw'], script));
  it('the same session, CSV', () => same(['--csv'], script));
  it('the same session over RESP3', () => same(['-3', '--no-raw'], script));
  it('argv commands, -x, -r, -n', async () => {
    await same(['set', 'k', 'v']);
    await same(['--no-raw', 'get', 'k']);
    await same(['-x', 'set', 'k'], 'from\nstdin');
    await same(['--no-raw', 'get', 'k']);
    await same(['-r', '3', 'incr', 'cnt']);
    await same(['-n', '2', '--no-raw', 'dbsize']);
    await same(['--scan', '--pattern', 'k*']);
    await same(['--pipe'], '*3\r\n$3\r\nSET\r\n$2\r\npk\r\n$1\r\nv\r\n*1\r\n$3\r\nFOO\r\n');
  });
});
