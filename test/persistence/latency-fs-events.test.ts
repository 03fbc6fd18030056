/**
 * Latency monitor events of the server's file system calls and of eviction's wait for the
 * lazyfree thread, on a deterministic Os whose slow calls move the clock: Redis 7.0 records
 * "aof-fstat" (getAppendOnlyFileSize), "aof-rename" (the rewrite's base and incr renames),
 * "rdb-unlink-temp-file" (a BGSAVE child killed by a signal) and "eviction-lazyfree" (out of
 * keys to evict, waiting for pending lazy frees within the eviction time limit).
 */
import { describe, it, expect } from 'vitest';
import { MemoryOs } from '../support/memory-os';
import { createServer } from '../../src/engine/programs/redis-server';
import { Config } from '../../src/engine/config/config';
import type { RedisServer } from '../../src/engine/server/server';
import { persistenceOf } from '../../src/engine/persistence/state';

/** How long each slowed file system call takes. */
const SLOW_FS_MS = 7;

interface Booted { os: MemoryOs; server: RedisServer; send: (...argv: string[]) => string; slow: Set<string> }

async function boot(settings: Record<string, unknown>): Promise<Booted> {
  const os = new MemoryOs({ nowMs: 1_800_000_000_000 });
  // The calls named in `slow` take SLOW_FS_MS of the clock, whether they succeed or not.
  const slow = new Set<string>();
  for (const op of ['rename', 'unlink', 'statSync'] as const) {
    const real = os.fs[op].bind(os.fs) as (...a: string[]) => unknown;
    (os.fs as unknown as Record<string, unknown>)[op] = (...a: string[]) => {
      if (slow.has(op)) os.nowMs += SLOW_FS_MS;
      return real(...a);
    };
  }
  const config = new Config();
  config.setRaw('save', []);
  config.setRaw('latency-monitor-threshold', 1);
  for (const [k, v] of Object.entries(settings)) config.setRaw(k, v);
  const server = createServer(os, { config });
  server.startCron();
  await server.loadDataFromDisk();
  const sock = os.fakeSocket();
  const c = server.createClient(sock);
  const send = (...argv: string[]) => {
    const before = sock.sent.length;
    const req = `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
    server.event(() => server.readFromClient(c, Uint8Array.from(req, (ch) => ch.charCodeAt(0))));
    return sock.sent.slice(before).join('');
  };
  return { os, server, send, slow };
}

/** LATENCY LATEST as event → latest ms. */
function latest(send: Booted['send']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of send('LATENCY', 'LATEST').matchAll(/\*4\r\n\$\d+\r\n([a-z-]+)\r\n:\d+\r\n:(\d+)\r\n/g)) out[m[1]] = Number(m[2]);
  return out;
}

describe('latency events of file system calls and eviction', () => {
  it('a rewrite\'s renames are "aof-rename", its stat of the new base "aof-fstat"', async () => {
    const { os, send, slow } = await boot({ appendonly: true });
    send('SET', 'k', 'v');
    expect(latest(send)).toEqual({});
    slow.add('rename');
    slow.add('statSync');
    expect(send('BGREWRITEAOF')).toBe('+Background append only file rewriting started\r\n');
    await os.advance(2_000);
    const events = latest(send);
    // Two renames (the base, then the incr file opened during the rewrite), each recorded alone.
    expect(events['aof-rename']).toBe(SLOW_FS_MS);
    expect(events['aof-fstat']).toBe(SLOW_FS_MS);
  });

  it('the AOF opened at startup is stat\'ed ("aof-fstat")', async () => {
    const os0 = await boot({ appendonly: true });
    expect(latest(os0.send)).toEqual({});
    // Slow from the start: the stat of the incr file when the server opens it.
    const os = new MemoryOs({ nowMs: 1_800_000_000_000, fs: os0.os.fs });
    const realStat = os.fs.statSync.bind(os.fs);
    os.fs.statSync = (p: string) => { os.nowMs += SLOW_FS_MS; return realStat(p); };
    const config = new Config();
    config.setRaw('save', []);
    config.setRaw('latency-monitor-threshold', 1);
    config.setRaw('appendonly', true);
    const server = createServer(os, { config });
    await server.loadDataFromDisk();
    expect(server.latencyEvents.get('aof-fstat')?.maxMs).toBeGreaterThanOrEqual(SLOW_FS_MS);
  });

  it('a BGSAVE child killed by a signal: removing its temp file is "rdb-unlink-temp-file"', async () => {
    // A child that takes a while (1 s a key) is still writing when it is killed.
    const { os, server, send, slow } = await boot({ 'rdb-key-save-delay': 1_000_000 });
    send('SET', 'k', 'v');
    expect(send('BGSAVE')).toBe('+Background saving started\r\n');
    slow.add('unlink');
    persistenceOf(server).child!.proc.kill('SIGKILL');
    await os.advance(200);
    expect(persistenceOf(server).child).toBeNull();
    expect(os.out.join('')).toContain('Background saving terminated by signal 9');
    expect(latest(send)['rdb-unlink-temp-file']).toBe(SLOW_FS_MS);
  });

  it('out of keys to evict, waiting for the lazyfree thread is "eviction-lazyfree"', async () => {
    const { os, send } = await boot({ 'lazyfree-lazy-eviction': true, 'maxmemory-policy': 'allkeys-random', 'maxmemory-eviction-tenacity': 100 });
    const members = Array.from({ length: 100_000 }, (_, i) => String(i));
    send('SADD', 'big', ...members);
    expect(send('SCARD', 'big')).toBe(':100000\r\n');
    send('CONFIG', 'SET', 'maxmemory', '1');
    expect(send('SET', 'k', 'v')).toMatch(/^-OOM/);
    await os.advance(100);
    expect(send('EXISTS', 'big')).toBe(':0\r\n');
    const events = latest(send);
    // The set's 100,000 allocations keep the lazyfree thread busy ~15 ms; tenacity 100 has no time limit.
    expect(events['eviction-lazyfree']).toBeGreaterThanOrEqual(10);
    expect(events['eviction-cycle']).toBeGreaterThanOrEqual(events['eviction-lazyfree']);
  });

  it('with the default tenacity the wait stops at the 500 µs eviction time limit', async () => {
    const { os, send } = await boot({ 'lazyfree-lazy-eviction': true, 'maxmemory-policy': 'allkeys-random' });
    send('SADD', 'big', ...Array.from({ length: 100_000 }, (_, i) => String(i)));
    const before = os.nowMs;
    send('CONFIG', 'SET', 'maxmemory', '1');
    await os.advance(0);
    expect(os.nowMs - before).toBeCloseTo(0.5);
    expect(send('EXISTS', 'big')).toBe(':0\r\n');
    expect(latest(send)['eviction-lazyfree']).toBeUndefined();
  });
});
