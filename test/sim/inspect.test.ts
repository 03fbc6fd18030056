/**
 * The watcher-side additions to the world the UI builds on: the read-only process inspector,
 * the transmission observer, listening sockets, cuts and boot directories. Watching must never
 * change what happens: the trace hash is the same with and without watchers.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import type { RedisSummary, KeyInfo, KeyDetail } from '../../src/sim/inspect/redis-inspector';
import { programs } from './programs';

const conf = (port: number) => `port ${port}\nprotected-mode no\ndir /var/redis/${port}\n`;

function build(): World {
  return new World({
    seed: 7,
    hosts: [
      { name: 'redis-1', ip: '10.0.0.11', files: { '/etc/redis/7000.conf': conf(7000) }, dirs: ['/var/redis/7000'], boot: ['redis-server /etc/redis/7000.conf'] },
      { name: 'app', ip: '10.0.0.20' },
    ],
    programs,
  });
}

function serverPid(w: World): number {
  const l = w.listening('redis-1').find((x) => x.port === 7000);
  expect(l).toBeDefined();
  return l!.pid;
}

describe('world inspection for watchers', () => {
  it('creates boot directories so a server can use them as its dir', async () => {
    const w = build();
    await w.advance(1000);
    expect(w.fileInfo('redis-1', '/var/redis/7000')?.isDirectory).toBe(true);
    expect(w.listening('redis-1').map((l) => `${l.address}:${l.port}`).sort()).toEqual(['0.0.0.0:7000', ':::7000']);
    w.dispose();
  });

  it('answers INFO, summary and keyspace queries without a client', async () => {
    const w = build();
    await w.advance(500);
    const pid = serverPid(w);
    const before = (await w.inspect(pid, { q: 'summary' })) as RedisSummary;
    expect(before).toMatchObject({ role: 'master', port: 7000, keys: 0, connectedClients: 0 });

    w.input({ kind: 'exec', host: 'app', command: 'load-client 10.0.0.11 7000 6 k', id: 99 });
    await w.advance(2000);
    const after = (await w.inspect(pid, { q: 'summary' })) as RedisSummary;
    expect(after.keys).toBe(3);
    expect(after.totalCommands).toBe(6);
    const keys = (await w.inspect(pid, { q: 'keys' })) as { total: number; keys: KeyInfo[] };
    expect(keys.total).toBe(3);
    expect(keys.keys.map((k) => k.key).sort()).toEqual(['k:0', 'k:2', 'k:4']);
    expect(keys.keys.every((k) => k.type === 'string' && k.ttlMs === null)).toBe(true);
    const one = (await w.inspect(pid, { q: 'key', key: 'k:0' })) as KeyDetail;
    expect(one.value).toHaveLength(one.length);
    expect(await w.inspect(pid, { q: 'key', key: 'nope' })).toBeNull();
    const info = (await w.inspect(pid, { q: 'info', section: 'keyspace' })) as string;
    expect(info).toMatch(/^# Keyspace\r\ndb0:keys=3,expires=0,avg_ttl=0\r\n/);
    expect(await w.inspect(pid, { q: 'config', name: 'port' })).toBe('7000');
    expect(await w.inspect(pid, { q: 'config', name: 'no-such-thing' })).toBeNull();
    // Asking did not count as commands.
    const again = (await w.inspect(pid, { q: 'summary' })) as RedisSummary;
    expect(again.totalCommands).toBe(6);
    // Nothing to ask once the process is gone.
    w.kill('redis-1', pid, 'SIGKILL');
    await w.advance(10);
    expect(await w.inspect(pid, { q: 'summary' })).toBeNull();
    w.dispose();
  });

  it('reports transmissions with sizes and times, and watching changes nothing', async () => {
    const run = async (watch: boolean) => {
      const w = build();
      const seen: { from: string; to: string; bytes: number; sentT: number; arrivalT: number; head: string }[] = [];
      if (watch) w.on('message', (m) => seen.push(m));
      await w.advance(500);
      w.input({ kind: 'exec', host: 'app', command: 'load-client 10.0.0.11 7000 2 k', id: 1 });
      await w.advance(1000);
      const hash = w.trace.hash();
      w.dispose();
      return { hash, seen };
    };
    const watched = await run(true);
    const unwatched = await run(false);
    expect(watched.hash).toBe(unwatched.hash);
    const data = watched.seen.filter((m) => m.bytes > 0);
    expect(data.length).toBe(4); // SET, +OK, GET, bulk reply
    expect(data[0].head.startsWith('*3\r\n$3\r\nSET\r\n')).toBe(true);
    expect(data[1].head).toBe('+OK\r\n');
    for (const m of data) expect(m.arrivalT).toBeGreaterThan(m.sentT);
  });

  it('lists the cuts of a partition until it heals', async () => {
    const w = build();
    w.partition(['redis-1'], ['app']);
    expect(w.cuts().sort()).toEqual([['app', 'redis-1'], ['redis-1', 'app']]);
    w.heal();
    expect(w.cuts()).toEqual([]);
    w.dispose();
  });
});
