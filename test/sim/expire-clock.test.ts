/**
 * The simulation's clock is fractional (a command can run at 10:00:00.200300...); Redis's
 * mstime() is whole milliseconds. EXPIRE and friends compute int64 times with BigInt and must
 * see whole milliseconds, and what they propagate to the AOF is an integer.
 */
import { it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';

it('EXPIRE, PEXPIRE, TTL and the AOF work on the fractional virtual clock', async () => {
  const w = new World({ seed: 1, hosts: [{ name: 'h', ip: '10.0.0.1', dirs: ['/d'] }], programs: STANDARD_PROGRAMS });
  await w.exec('h', "redis-server --daemonize yes --dir /d --save '' --appendonly yes");
  // Land the commands on a fractional instant.
  await w.advance(200.3);
  const t0 = w.now;
  const r = await w.exec('h', 'redis-cli SET a 1; redis-cli EXPIRE a 100; redis-cli PEXPIRE b 5; redis-cli TTL a; redis-cli SET c 1 EX 10; redis-cli EXPIRETIME c');
  const expireTime = Math.floor(w.now / 1000) + 10;
  expect(r.output).toBe(`OK\n1\n0\n100\nOK\n${expireTime}\n`);
  const aof = w.readText('h', '/d/appendonlydir/appendonly.aof.1.incr.aof')!;
  const at = /PEXPIREAT\r\n\$1\r\na\r\n\$(\d+)\r\n(\d+)\r\n/.exec(aof);
  expect(at).not.toBeNull();
  // A whole number of milliseconds (the regex took digits only), 100 s after the EXPIRE.
  expect(Number(at![2])).toBeGreaterThanOrEqual(Math.floor(t0) + 100_000);
  expect(Number(at![2])).toBeLessThan(t0 + 100_000 + 1000);
  w.dispose();
});
