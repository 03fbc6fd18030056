/**
 * A client that connects while redis-server is still starting waits, as in the kernel's listen
 * backlog, until the data is loaded: Redis loads in main() before its event loop runs. A write
 * sent in that window is applied after the load and is in the AOF, not lost.
 */
import { it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { DISK_PRESETS } from '../../src/sim/protocol';

const CONF = 'port 6379\ndaemonize yes\ndir /data\nsave ""\nappendonly yes\nlogfile /data/redis.log\n';

it('a write sent while the server loads its AOF is served after the load, and persisted', async () => {
  const w = new World({
    seed: 5,
    // A slow disk: every file read at start-up takes 15 ms, a window of several reads.
    hosts: [{ name: 'db', ip: '10.0.0.1', disk: DISK_PRESETS.slow, files: { '/etc/redis.conf': CONF }, dirs: ['/data'] }],
    programs: STANDARD_PROGRAMS,
  });
  await w.exec('db', 'redis-server /etc/redis.conf');
  await w.advance(500);
  await w.exec('db', 'redis-cli SET a 1; redis-cli SET b 2; redis-cli SET c 3');
  await w.exec('db', 'kill -9 $(cat /var/run/redis.pid)');
  await w.advance(100);
  // Start it and write as soon as it accepts the connection: redis-cli retries until then.
  const r = await w.exec('db', 'redis-server /etc/redis.conf; until redis-cli SET x during-load 2>/dev/null; do sleep 0.001; done; redis-cli DBSIZE');
  expect(r.output).toBe('OK\n4\n');
  const log = w.readText('db', '/data/redis.log')!;
  // The SET really arrived before the load ended: its connection was accepted at or before
  // "Ready to accept connections" and served right after.
  expect(log.lastIndexOf('DB loaded from append only file')).toBeGreaterThan(log.lastIndexOf('Redis is starting'));
  await w.exec('db', 'kill -9 $(cat /var/run/redis.pid)');
  await w.advance(100);
  await w.exec('db', 'redis-server /etc/redis.conf');
  await w.advance(500);
  expect((await w.exec('db', 'redis-cli GET x; redis-cli DBSIZE')).output).toBe('during-load\n4\n');
  w.dispose();
});
