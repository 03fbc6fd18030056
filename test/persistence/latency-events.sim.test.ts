/**
 * What the latency monitor and INFO report about the server's own slow work, in the simulation
 * where that work has a cost: freeing a big value without lazyfree (DEL, the active expire
 * cycle), fsync with appendfsync always on an HDD, fork, and used memory staying over
 * maxmemory. Redis 7.0 records these as the "command", "expire-cycle"/"expire-del",
 * "aof-fsync-always"/"aof-write*" and "fork" events, and as latest_fork_usec,
 * expire_cycle_cpu_milliseconds and the eviction-exceeded times.
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import { DISK_PRESETS } from '../../src/sim/protocol';

const SET_SIZE = 100_000;

async function server(args: string): Promise<{ w: World; cli: (cmd: string) => Promise<string> }> {
  const w = new World({ seed: 5, hosts: [{ name: 'redis-1', ip: '10.0.0.11', disk: DISK_PRESETS.hdd }] });
  await w.exec('redis-1', `redis-server --port 6379 --save "" --latency-monitor-threshold 1 --logfile /var/log/r.log ${args} &`);
  await w.advance(500);
  const cli = async (cmd: string) => (await w.exec('redis-1', `redis-cli ${cmd}`)).output;
  return { w, cli };
}

/** A hashtable-encoded set of SET_SIZE members, built by a script. */
const fill = (key: string) => `EVAL "for i=1,${SET_SIZE} do redis.call('sadd', KEYS[1], i) end" 1 ${key}`;

/** LATENCY LATEST as event → latest ms. */
async function latest(cli: (cmd: string) => Promise<string>): Promise<Record<string, number>> {
  const lines = (await cli('--no-raw LATENCY LATEST')).split('\n');
  const out: Record<string, number> = {};
  for (let i = 0; i < lines.length; i++) {
    const ev = lines[i].match(/^\s*\d+\) 1\) "([a-z-]+)"$/);
    if (ev) out[ev[1]] = Number(lines[i + 2].match(/\(integer\) (\d+)/)![1]);
  }
  return out;
}

const info = async (cli: (cmd: string) => Promise<string>, field: string) => Number((await cli('INFO')).match(new RegExp(`^${field}:(\\d+)`, 'm'))![1]);

describe('latency events of the server\'s own work (simulation)', () => {
  it('DEL and expiry of a big set take the event loop\'s time; UNLINK does not', async () => {
    const { w, cli } = await server('--appendonly no');
    await cli(fill('a'));
    await cli(fill('b'));
    expect(await cli('SCARD a')).toBe(`${SET_SIZE}\n`);
    await cli('LATENCY RESET');
    await cli('UNLINK b');
    expect(await latest(cli)).toEqual({});
    await cli('DEL a');
    const del = await latest(cli);
    // 100,000 allocations freed at 0.15 µs each.
    expect(del.command).toBeGreaterThanOrEqual(14);
    expect(del.command).toBeLessThan(30);

    await cli(fill('c'));
    await cli('LATENCY RESET');
    const cpuBefore = await info(cli, 'expire_cycle_cpu_milliseconds');
    await cli('PEXPIRE c 10');
    // The active expire cycle (10 times a second) finds it first.
    await w.advance(500);
    expect(await info(cli, 'expired_keys')).toBe(1);
    const expiry = await latest(cli);
    expect(expiry['expire-cycle']).toBeGreaterThanOrEqual(14);
    expect(expiry['expire-del']).toBeGreaterThanOrEqual(14);
    expect(await info(cli, 'expire_cycle_cpu_milliseconds') - cpuBefore).toBeGreaterThanOrEqual(14);
  }, 60_000);

  it('appendfsync always on an HDD: aof-fsync-always and aof-write; a fork sets latest_fork_usec', async () => {
    const { cli } = await server('--appendonly yes --appendfsync always');
    expect(await info(cli, 'latest_fork_usec')).toBe(0);
    await cli('SET k v');
    const events = await latest(cli);
    expect(events['aof-fsync-always']).toBeGreaterThanOrEqual(10);
    await cli('BGSAVE');
    const forkUs = await info(cli, 'latest_fork_usec');
    expect(forkUs).toBeGreaterThan(0);
    expect(await info(cli, 'total_forks')).toBe(1);
    await cli('CONFIG RESETSTAT');
    expect(await info(cli, 'latest_fork_usec')).toBe(0);
  }, 60_000);

  it('used memory over maxmemory with noeviction: current and total eviction-exceeded time in virtual time', async () => {
    const { w, cli } = await server('--appendonly no');
    await cli('CONFIG SET maxmemory 1');
    expect(await cli('SET k v')).toMatch(/OOM command not allowed/);
    await w.advance(2000);
    // performEvictions runs before every command while maxmemory is set.
    await cli('SET k v');
    const current = await info(cli, 'current_eviction_exceeded_time');
    expect(current).toBeGreaterThanOrEqual(2000);
    expect(current).toBeLessThan(2100);
    await cli('CONFIG SET maxmemory 1gb');
    await cli('SET k v');
    expect(await info(cli, 'current_eviction_exceeded_time')).toBe(0);
    expect(await info(cli, 'total_eviction_exceeded_time')).toBeGreaterThanOrEqual(current);
  }, 60_000);
});
