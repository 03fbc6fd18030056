/**
 * A fatal signal in the simulation: `kill -ABRT` (or -SEGV) of a redis-server writes Redis's
 * crash report to its log, and the process dies of the signal, as bash reports such a death
 * (exit status 128 + n). Before, the simulated server had no handler and died without a word.
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { shellOn } from './helpers';

describe('the crash report (simulation)', () => {
  it('kill -ABRT writes the report to the logfile and ends the server', async () => {
    const w = new World({
      seed: 3,
      hosts: [{ name: 'h1', ip: '10.0.0.1', files: { '/etc/redis.conf': 'port 6379\ndaemonize yes\nsave ""\nlogfile /var/log/redis.log\ncrash-memcheck-enabled no\n' }, dirs: ['/var/log'] }],
      programs: STANDARD_PROGRAMS,
    });
    const typeLine = await shellOn(w, 'h1');
    await typeLine('redis-server /etc/redis.conf');
    await w.advance(500);
    await typeLine('kill -ABRT $(pidof redis-server)');
    await w.advance(500);
    const log = w.readText('h1', '/var/log/redis.log') ?? '';
    expect(log).toContain('=== REDIS BUG REPORT START: Cut & paste starting from here ===');
    expect(log).toMatch(/# Redis 7\.0\.15 crashed by signal: 6, si_code: 0\n/);
    // INFO's own CRLF line ends, as Redis's log has them.
    expect(log).toContain('\n------ INFO OUTPUT ------\n# Server\r\nredis_version:7.0.15\r\n');
    expect(log).toContain('\n------ CONFIG DEBUG OUTPUT ------\n');
    expect(log).toContain('=== REDIS BUG REPORT END. Make sure to include from START to END. ===');
    expect(await typeLine('pidof redis-server; echo $?')).toMatch(/^1$/m);
    w.dispose();
  });
});
