/**
 * INFO server's `executable`: server.c's main() makes argv[0] absolute against the directory
 * redis-server was started from, before the config's `dir` changes the working directory
 * (real Redis 7.0.15 started from /tmp with `--dir /var/tmp` reports /tmp/redis-server).
 * And INFO memory's total_system_memory: the host's RAM, as /proc/meminfo's MemTotal says.
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { shellOn } from './helpers';

describe('INFO executable', () => {
  it("is argv[0] made absolute against the shell's directory, not the config's dir", async () => {
    const w = new World({
      seed: 5,
      hosts: [{ name: 'h1', ip: '10.0.0.1', files: { '/etc/redis/6379.conf': 'port 6379\ndaemonize yes\ndir /var/redis/6379\nsave ""\n' }, dirs: ['/var/redis/6379', '/srv/work'] }],
      programs: STANDARD_PROGRAMS,
    });
    const typeLine = await shellOn(w, 'h1');
    await typeLine('cd /srv/work');
    await typeLine('redis-server /etc/redis/6379.conf');
    await w.advance(500);
    const out = await typeLine('redis-cli INFO server | grep -E "^(executable|config_file):"');
    expect(out).toContain('executable:/srv/work/redis-server\r\n');
    expect(out).toContain('config_file:/etc/redis/6379.conf\r\n');
    const meminfo = await typeLine("grep MemTotal /proc/meminfo");
    const memTotalKb = Number(meminfo.match(/MemTotal: +(\d+) kB/)![1]);
    expect(memTotalKb).toBeGreaterThan(3_000_000);
    const memory = await typeLine('redis-cli INFO memory | grep total_system_memory');
    expect(memory).toContain(`total_system_memory:${memTotalKb * 1024}\r\n`);
    expect(memory).toMatch(/total_system_memory_human:3\.\d\dG\r\n/);
    w.dispose();
  });
});
