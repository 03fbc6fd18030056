/**
 * appendfsync always | everysec | no, on a deterministic Os whose files have a page cache
 * and a durable part: which acknowledged writes are only in the page cache and which are on
 * disk at each moment, in what order the write, the fsync and the reply happen, and which
 * writes a restart finds after a kill -9 (page cache kept) or a power-off (page cache lost).
 */
import { describe, it, expect } from 'vitest';
import { MemoryOs, type MemoryFs } from '../support/memory-os';
import { createServer } from '../../src/engine/programs/redis-server';
import { Config } from '../../src/engine/config/config';
import type { RedisServer } from '../../src/engine/server/server';
import type { Client } from '../../src/engine/server/client';
import { persistenceOf } from '../../src/engine/persistence/state';

const INCR = '/data/appendonlydir/appendonly.aof.1.incr.aof';
/** 2027-01-15 08:00:00.100 UTC: 100 ms past a second boundary. */
const START_MS = 1_800_000_000_100;

async function start(policy: string, fs?: MemoryFs, nowMs = START_MS): Promise<{ os: MemoryOs; server: RedisServer; c: Client; send: (...argv: string[]) => string[] }> {
  const os = new MemoryOs({ nowMs, fs });
  const config = new Config();
  config.setRaw('appendonly', true);
  config.setRaw('appendfsync', policy);
  config.setRaw('save', []);
  const server = createServer(os, { config });
  await server.loadDataFromDisk();
  server.startCron();
  const sock = os.fakeSocket();
  const c = server.createClient(sock);
  const send = (...argv: string[]) => {
    const before = sock.sent.length;
    const req = `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
    server.event(() => server.readFromClient(c, Uint8Array.from(req, (ch) => ch.charCodeAt(0))));
    return sock.sent.slice(before);
  };
  return { os, server, c, send };
}

const setCmd = (k: string) => `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$1\r\nv\r\n`;

/** Restart on the same disk and list the keys the AOF brings back. */
async function keysAfterRestart(fs: MemoryFs, policy: string): Promise<string[]> {
  const { server } = await start(policy, fs, START_MS + 60_000);
  return [...server.dbs[0].dict.keys()].sort();
}

describe('appendfsync policies', () => {
  it('always: the write is fsynced before the reply is sent', async () => {
    const { os, send, server } = await start('always');
    os.ops.length = 0;
    expect(send('SET', 'k1', 'v')).toEqual(['+OK\r\n']);
    expect(os.ops.filter((o) => !o.startsWith('fork'))).toEqual([
      `write appendonly.aof.1.incr.aof ${'*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n'.length + setCmd('k1').length}`,
      'fsync appendonly.aof.1.incr.aof',
      'reply "+OK\\r\\n"',
    ]);
    expect(os.fs.text(INCR, 'durable')).toBe(os.fs.text(INCR, 'cache'));
    send('SET', 'k2', 'v');
    expect(os.fs.text(INCR, 'durable')).toContain(setCmd('k2'));
    expect(persistenceOf(server).aofPendingBioFsync).toBe(0);
  });

  it('everysec: acknowledged writes sit in the page cache until the once-a-second background fsync completes', async () => {
    const { os, send, server } = await start('everysec');
    expect(send('SET', 'k1', 'v')).toEqual(['+OK\r\n']);
    expect(os.fs.text(INCR, 'cache')).toContain(setCmd('k1'));
    expect(os.fs.text(INCR, 'durable')).not.toContain(setCmd('k1'));
    expect(os.ops.some((o) => o.startsWith('fsync appendonly.aof.1.incr'))).toBe(false);
    // The next second: serverCron's beforeSleep hands the fsync to the background thread.
    await os.advance(1000);
    expect(os.ops.filter((o) => o.startsWith('bgfsync-start'))).toEqual(['bgfsync-start appendonly.aof.1.incr.aof']);
    expect(persistenceOf(server).aofPendingBioFsync).toBe(1);
    expect(os.fs.text(INCR, 'durable')).not.toContain(setCmd('k1'));
    os.fs.completeBackgroundFsync();
    expect(os.fs.text(INCR, 'durable')).toContain(setCmd('k1'));
    expect(persistenceOf(server).aofPendingBioFsync).toBe(0);
  });

  it('everysec: while a background fsync is stuck, writes wait in memory up to 2 s, then go out anyway', async () => {
    const { os, send, server } = await start('everysec');
    send('SET', 'k1', 'v');
    await os.advance(1000); // fsync of k1 starts and never completes (slow disk)
    const st = persistenceOf(server);
    expect(st.aofPendingBioFsync).toBe(1);
    expect(send('SET', 'k2', 'v')).toEqual(['+OK\r\n']); // acknowledged...
    expect(os.fs.text(INCR, 'cache')).not.toContain(setCmd('k2')); // ...but only in Redis's memory
    expect(st.aofBuf.len).toBeGreaterThan(0);
    await os.advance(1000);
    expect(os.fs.text(INCR, 'cache')).not.toContain(setCmd('k2'));
    await os.advance(1000);
    expect(os.fs.text(INCR, 'cache')).toContain(setCmd('k2'));
    expect(st.aofDelayedFsync).toBe(1);
    expect(os.out.join('')).toContain('Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.');
  });

  it('no: never fsyncs; the data reaches the disk only when the OS flushes it', async () => {
    const { os, send } = await start('no');
    for (let i = 0; i < 5; i++) { send('SET', `k${i}`, 'v'); await os.advance(1000); }
    expect(os.ops.filter((o) => o.includes('fsync') && o.includes('incr'))).toEqual([]);
    expect(os.fs.text(INCR, 'durable')).toBe('');
    expect(os.fs.text(INCR, 'cache')).toContain(setCmd('k4'));
  });
});

describe('which acknowledged writes survive', () => {
  /** Writes at 0.1 s, 0.6 s and (after the 1 s fsync completed) 1.3 s; then the fault at 1.5 s. */
  async function scenario(policy: string, fault: 'kill-9' | 'power-off'): Promise<string[]> {
    const { os, send } = await start(policy);
    send('SET', 'a', 'v');
    await os.advance(500);
    send('SET', 'b', 'v');
    await os.advance(500);
    while (os.fs.completeBackgroundFsync()) { /* the disk catches up */ }
    await os.advance(300);
    send('SET', 'c', 'v');
    await os.advance(200);
    if (fault === 'power-off') os.fs.powerOff(); else os.fs.crash();
    return keysAfterRestart(os.fs, policy);
  }

  const expected: Record<string, Record<string, string[]>> = {
    always: { 'kill-9': ['a', 'b', 'c'], 'power-off': ['a', 'b', 'c'] },
    everysec: { 'kill-9': ['a', 'b', 'c'], 'power-off': ['a', 'b'] },
    no: { 'kill-9': ['a', 'b', 'c'], 'power-off': [] },
  };
  for (const policy of ['always', 'everysec', 'no']) {
    for (const fault of ['kill-9', 'power-off'] as const) {
      it(`${policy} + ${fault}: ${JSON.stringify(expected[policy][fault])}`, async () => {
        expect(await scenario(policy, fault)).toEqual(expected[policy][fault]);
      });
    }
  }

  it('everysec + kill -9 while a write waits for a stuck fsync loses that write', async () => {
    const { os, send } = await start('everysec');
    send('SET', 'a', 'v');
    await os.advance(1000); // fsync of a starts, stuck
    send('SET', 'b', 'v'); // acknowledged, held in the AOF buffer
    os.fs.crash();
    expect(await keysAfterRestart(os.fs, 'everysec')).toEqual(['a']);
  });
});
