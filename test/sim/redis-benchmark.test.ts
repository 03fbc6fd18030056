/**
 * redis-benchmark inside the simulated machine room: typed in a host's shell, it benchmarks
 * our server over the simulated network, and its figures come from the virtual clock, so the
 * simulated costs show (fsync on every write on an HDD is slow).
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import { DISK_PRESETS } from '../../src/sim/protocol';
import { bytesToUtf8, strToBytes } from '../../src/engine/bytes';

function newWorld(): World {
  return new World({
    seed: 11,
    hosts: [
      { name: 'redis-1', ip: '10.0.0.11', disk: DISK_PRESETS.hdd },
      { name: 'client', ip: '10.0.0.20' },
    ],
  });
}

const text = (s: string) => bytesToUtf8(strToBytes(s));

async function startServer(w: World, args: string): Promise<void> {
  await w.exec('redis-1', 'mkdir -p /data');
  await w.exec('redis-1', `redis-server --port 6379 --protected-mode no --dir /data --save '' --logfile /data/redis.log ${args} &`);
  await w.advance(500);
}

/** The -q lines with the progress lines (ending in '\r') removed. */
function quietLines(output: string): string[] {
  return text(output).replace(/[^\n\r]*\r/g, '').split('\n').filter((l) => l !== '');
}

function rpsOf(line: string): number {
  const m = /^[A-Z_0-9]+(?: \([^)]*\))?: ([\d.]+) requests per second, p50=([\d.]+) msec$/.exec(line);
  expect(m, line).not.toBeNull();
  return Number(m![1]);
}

async function setRps(fsyncPolicy: string): Promise<number> {
  const w = newWorld();
  await startServer(w, `--appendonly yes --appendfsync ${fsyncPolicy}`);
  const r = await w.exec('client', 'redis-benchmark -h 10.0.0.11 -q -t set -n 200 -c 20');
  expect(r.code).toBe(0);
  const lines = quietLines(r.output);
  expect(lines).toHaveLength(1);
  return rpsOf(lines[0]);
}

describe('redis-benchmark in the simulation', () => {
  it('-q -t set,get prints one line per test, and the commands reached the server', async () => {
    const w = newWorld();
    await startServer(w, '');
    const r = await w.exec('client', 'redis-benchmark -h 10.0.0.11 -q -t set,get -n 2000');
    expect(r.code).toBe(0);
    const lines = quietLines(r.output);
    expect(lines.map((l) => l.split(':')[0])).toEqual(['SET', 'GET']);
    for (const l of lines) expect(rpsOf(l)).toBeGreaterThan(0);
    // The progress line is printed too, as the real tool does (terminal or not).
    expect(text(r.output)).toMatch(/SET: rps=[\d.]+ \(overall: [\d.na-]+\) avg_msec=/);
    const stats = await w.exec('client', 'redis-cli -h 10.0.0.11 info commandstats');
    expect(text(stats.output)).toMatch(/cmdstat_set:calls=2000,/);
    expect(text(stats.output)).toMatch(/cmdstat_get:calls=2000,/);
    const dbsize = await w.exec('client', 'redis-cli -h 10.0.0.11 dbsize');
    expect(text(dbsize.output).trim()).toBe('1');
  });

  it('the full report names the server settings it fetched', async () => {
    const w = newWorld();
    await startServer(w, '--appendonly yes');
    const r = await w.exec('client', 'redis-benchmark -h 10.0.0.11 -t ping_mbulk -n 200 -c 5');
    expect(r.code).toBe(0);
    const out = text(r.output);
    expect(out).toContain('====== PING_MBULK ======\n  200 requests completed in ');
    expect(out).toContain('  5 parallel clients\n  3 bytes payload\n  keep alive: 1\n  host configuration "save": \n  host configuration "appendonly": yes\n  multi-thread: no\n');
    expect(out).toMatch(/\n100\.000% <= [\d.]+ milliseconds \(cumulative count 200\)\n/);
    expect(out).toMatch(/Summary:\n  throughput summary: [\d.]+ requests per second\n/);
  });

  it('with appendfsync always on an HDD, SET is clearly slower than with appendfsync no', async () => {
    const always = await setRps('always');
    const never = await setRps('no');
    expect(always * 3).toBeLessThan(never);
  });

  it('appendfsync always: the writes of all the clients served in one event-loop turn share one fsync, as in Redis', async () => {
    const w = newWorld();
    await startServer(w, '--appendonly yes --appendfsync always');
    let fsyncs = 0;
    w.on('trace', (r) => { if (r.kind === 'fsync' && r.detail.includes('incr.aof')) fsyncs++; });
    const one = rpsOf(quietLines((await w.exec('client', 'redis-benchmark -h 10.0.0.11 -q -t set -n 100 -c 1')).output)[0]);
    // One client: each write waits for its own fsync (10 ms on the HDD preset).
    expect(one).toBeLessThanOrEqual(100);
    expect(fsyncs).toBeGreaterThanOrEqual(100);
    fsyncs = 0;
    const fifty = rpsOf(quietLines((await w.exec('client', 'redis-benchmark -h 10.0.0.11 -q -t set -n 2000 -c 50')).output)[0]);
    // Fifty clients: the writes that arrive during an fsync are served together after it, and
    // beforeSleep writes them to the AOF and fsyncs once for all of them.
    expect(fifty).toBeGreaterThan(10 * one);
    expect(fsyncs).toBeLessThan(2000 / 10);
    const aof = await w.exec('client', 'redis-cli -h 10.0.0.11 info persistence');
    expect(text(aof.output)).toMatch(/aof_last_write_status:ok/);
    w.dispose();
  });

  it("the CPU costs: ~7 µs of the server's and ~11 µs of the client's per request, so 50 clients do ~90k SET/s; several times more with 16 pipelined", async () => {
    const w = newWorld();
    await startServer(w, '');
    const serverCpuMs = async () => {
      const info = text((await w.exec('client', 'redis-cli -h 10.0.0.11 info cpu')).output);
      return 1000 * (Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_user:([\d.]+)/.exec(info)![1]));
    };
    const before = await serverCpuMs();
    const run = await w.exec('client', 'TIMEFORMAT="%6U %6S"; time redis-benchmark -h 10.0.0.11 -q -t set -n 20000 -c 50');
    const lines = quietLines(run.output);
    const plain = rpsOf(lines[0]);
    // The server: a read(2), the command and a write(2) per request (src/engine/server/cpu-cost.ts)...
    const serverUsPerRequest = (await serverCpuMs() - before) * 1000 / 20000;
    expect(serverUsPerRequest).toBeGreaterThan(6);
    expect(serverUsPerRequest).toBeLessThan(8);
    // ...and the client a write, a read and their epoll round (src/engine/tools/client-cpu-cost.ts),
    // with its start (src/sim/runtime/exec-cost.ts): the slower of the two, as measured against a
    // real server (-c 50: 7.9 µs of the server's, 11.6 µs of redis-benchmark's per request).
    const [userS, sysS] = /^([\d.]+) ([\d.]+)$/m.exec(run.output)!.slice(1).map(Number);
    expect(sysS * 1e6 / 20000).toBeGreaterThan(9);
    expect(sysS * 1e6 / 20000).toBeLessThan(12);
    expect(userS * 1e6 / 20000).toBeGreaterThan(0.5);
    expect(userS * 1e6 / 20000).toBeLessThan(1.5);
    expect(plain).toBeGreaterThan(70_000);
    expect(plain).toBeLessThan(120_000);
    // Sixteen commands share one read and one write, on both sides.
    const pipelined = rpsOf(quietLines((await w.exec('client', 'redis-benchmark -h 10.0.0.11 -q -t set -n 50000 -c 50 -P 16')).output)[0]);
    expect(pipelined).toBeGreaterThan(3 * plain);
    // Each SET's own microsecond shows in its statistics (the µs clock is the virtual clock
    // rounded down, so floating-point rounding makes a few calls measure 0).
    const stats = text((await w.exec('client', 'redis-cli -h 10.0.0.11 info commandstats')).output);
    const m = /cmdstat_set:calls=70000,usec=(\d+),usec_per_call=([\d.]+),/.exec(stats);
    expect(m, stats).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(0.9);
    expect(Number(m![2])).toBeLessThanOrEqual(1);
    w.dispose();
  });

  it('a reply costs per element: LRANGE_100 and LRANGE_600 are slower than SET in the proportions of a real server', async () => {
    const w = newWorld();
    await startServer(w, '');
    const lines = quietLines((await w.exec('client', 'redis-benchmark -h 10.0.0.11 -q -t set,lrange_100,lrange_600 -n 5000 -c 50')).output);
    const rps = Object.fromEntries(lines.filter((l) => !l.includes('needed')).map((l) => [l.split(/[: ]/)[0], rpsOf(l)]));
    // Redis 7 on one core: ~150k SET, ~85k LRANGE_100, ~22k LRANGE_600 a second.
    expect(rps.LRANGE_100 / rps.SET).toBeGreaterThan(0.45);
    expect(rps.LRANGE_100 / rps.SET).toBeLessThan(0.75);
    expect(rps.LRANGE_600 / rps.SET).toBeGreaterThan(0.1);
    expect(rps.LRANGE_600 / rps.SET).toBeLessThan(0.25);
    w.dispose();
  });

  it('KEYS on 200k keys holds the event loop for ~24 ms, DEBUG POPULATE of them ~80 ms: SLOWLOG and commandstats show it', async () => {
    const w = newWorld();
    await startServer(w, '--enable-debug-command yes --slowlog-log-slower-than 10000');
    await w.exec('client', 'redis-cli -h 10.0.0.11 debug populate 200000');
    await w.exec('client', 'redis-cli -h 10.0.0.11 keys "*" > /tmp/keys.txt');
    expect((w.readText('client', '/tmp/keys.txt') ?? '').split('\n').filter(Boolean)).toHaveLength(200_000);
    const slow = text((await w.exec('client', 'redis-cli -h 10.0.0.11 slowlog get')).output).split('\n');
    // DEBUG POPULATE (~80 ms) and KEYS (a visit and a reply element per key, ~24 ms).
    const entries = [...slow.join('\n').matchAll(/^\d+\n\d+\n(\d+)\n(\w+)\n/gm)].map((m) => [m[2], Number(m[1])] as const);
    const us = Object.fromEntries(entries);
    expect(us.keys).toBeGreaterThan(20_000);
    expect(us.keys).toBeLessThan(30_000);
    expect(us.debug).toBeGreaterThan(70_000);
    expect(text((await w.exec('client', 'redis-cli -h 10.0.0.11 info commandstats')).output)).toMatch(/cmdstat_keys:calls=1,usec=2\d{4},/);
    w.dispose();
  });

  it('INFO cpu and ps report the CPU time charged: system for reads and writes, user for commands, a BGSAVE child under _children, DEBUG SLEEP none', async () => {
    const w = newWorld();
    await startServer(w, '--enable-debug-command yes');
    const cpu = async () => {
      const f: Record<string, number> = {};
      for (const l of text((await w.exec('client', 'redis-cli -h 10.0.0.11 info cpu')).output).split(/\r?\n/)) {
        const m = /^(used_cpu_\w+):(\d+\.\d{6})$/.exec(l);
        if (m) f[m[1]] = Number(m[2]);
      }
      return f;
    };
    const idle = await cpu();
    expect(Object.keys(idle)).toEqual(['used_cpu_sys', 'used_cpu_user', 'used_cpu_sys_children', 'used_cpu_user_children', 'used_cpu_sys_main_thread', 'used_cpu_user_main_thread']);
    await w.exec('client', 'redis-benchmark -h 10.0.0.11 -q -t set -n 20000 -c 50');
    const loaded = await cpu();
    // 20000 requests: a read and a write (3 µs each) and the command (1 µs) per request.
    expect(loaded.used_cpu_sys - idle.used_cpu_sys).toBeGreaterThan(0.1);
    expect(loaded.used_cpu_sys - idle.used_cpu_sys).toBeLessThan(0.14);
    expect(loaded.used_cpu_user - idle.used_cpu_user).toBeGreaterThan(0.015);
    expect(loaded.used_cpu_user - idle.used_cpu_user).toBeLessThan(0.04);
    expect(loaded.used_cpu_user_main_thread).toBe(loaded.used_cpu_user);
    // ps shows the same CPU time (%CPU over the process's life so far).
    const psLine = text((await w.exec('redis-1', 'ps aux')).output).split('\n').find((l) => l.includes('redis-server'))!.split(/\s+/);
    const elapsedS = (w.now - w.processes('redis-1').find((p) => p.argv[0] === 'redis-server')!.startT) / 1000;
    expect(Number(psLine[2])).toBeCloseTo(((loaded.used_cpu_user + loaded.used_cpu_sys) / elapsedS) * 100, 0);
    await w.exec('client', 'redis-cli -h 10.0.0.11 debug sleep 2');
    expect((await cpu()).used_cpu_user - loaded.used_cpu_user).toBeLessThan(0.01);
    expect(loaded.used_cpu_user_children).toBe(0);
    await w.exec('client', 'redis-cli -h 10.0.0.11 debug populate 100000');
    await w.exec('client', 'redis-cli -h 10.0.0.11 bgsave');
    await w.advance(3000);
    expect((await cpu()).used_cpu_user_children).toBeGreaterThan(0);
    w.dispose();
  });

  it('no server: the CONFIG warning, then it waits (like the real one) until Ctrl-C', async () => {
    const w = newWorld();
    const id = w.openTerminal('client');
    w.type(id, 'redis-benchmark -h 10.0.0.11 -q -n 10\n');
    await w.advance(3000);
    expect(w.terminal(id)!.text()).toContain('Could not connect to Redis at 10.0.0.11:6379: Connection refused\nWARNING: Could not fetch server CONFIG\n');
    expect(w.processes('client').some((p) => p.argv[0] === 'redis-benchmark')).toBe(true);
    w.interrupt(id);
    await w.advance(100);
    expect(w.processes('client').some((p) => p.argv[0] === 'redis-benchmark')).toBe(false);
  });
});
