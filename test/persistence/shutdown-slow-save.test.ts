/**
 * A final save slowed by rdb-key-save-delay (SHUTDOWN, or a signal's shutdown) blocks the event
 * loop on a timer: other clients wait, a failed save still answers SHUTDOWN with Redis's error
 * and the server goes on, then serves what waited. (The second-SIGINT behaviour, against real
 * Redis: test/differential/shutdown-second-signal.test.ts.)
 */
import { describe, it, expect } from 'vitest';
import { MemoryOs } from '../support/memory-os';
import { createServer } from '../../src/engine/programs/redis-server';
import { Config } from '../../src/engine/config/config';
import type { SavePoint } from '../../src/engine/config/params';

async function boot() {
  const os = new MemoryOs({ nowMs: 1_800_000_000_000 });
  const config = new Config();
  config.setRaw('save', [{ seconds: 3600, changes: 1 }] as SavePoint[]);
  config.setRaw('rdb-key-save-delay', 100_000);
  const server = createServer(os, { config });
  server.startCron();
  await server.loadDataFromDisk();
  const client = () => {
    const sock = os.fakeSocket();
    const c = server.createClient(sock);
    const send = (...argv: string[]) => {
      const req = `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
      server.event(() => server.readFromClient(c, Uint8Array.from(req, (ch) => ch.charCodeAt(0))));
    };
    return { send, sent: () => sock.sent.join('') };
  };
  return { os, server, client };
}

describe('a final save slowed by rdb-key-save-delay', () => {
  it('a failed one answers SHUTDOWN with the error once the delay is over; the other clients waited', async () => {
    const { os, server, client } = await boot();
    const a = client();
    const b = client();
    for (let i = 0; i < 5; i++) a.send('SET', `k${i}`, 'v');
    expect(a.sent()).toBe('+OK\r\n'.repeat(5));
    os.fs.failWrites = 'ENOSPC';
    a.send('SHUTDOWN');
    b.send('PING');
    await os.advance(300);
    // 5 keys at 100 ms: still saving, everyone waits.
    expect(a.sent()).toBe('+OK\r\n'.repeat(5));
    expect(b.sent()).toBe('');
    await os.advance(300);
    expect(a.sent()).toBe('+OK\r\n'.repeat(5) + '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
    expect(b.sent()).toBe('+PONG\r\n');
    expect(os.exitCode).toBeNull();
    expect(server.exiting).toBe(false);
    const log = os.out.join('');
    expect(log).toContain('Write error saving DB on disk(rdbSaveRio): No space left on device');
    expect(log).toContain("Error trying to save the DB, can't exit.");
    expect(log).toContain('Errors trying to shut down the server. Check the logs for more information.');
    os.fs.failWrites = null;
    a.send('SHUTDOWN');
    await os.advance(600);
    expect(os.exitCode).toBe(0);
    expect(os.fs.existsSync('/data/dump.rdb')).toBe(true);
  });

  it('a signal\'s shutdown: a second SIGTERM is logged during the save, the first one\'s shutdown then completes', async () => {
    const { os, server, client } = await boot();
    const a = client();
    a.send('SET', 'k', 'v');
    server.signal('SIGTERM');
    await os.advance(150);
    expect(os.fs.existsSync(`/data/temp-${os.pid}.rdb`)).toBe(true);
    server.signal('SIGTERM');
    expect(os.out.join('').match(/Received SIGTERM scheduling shutdown/g)).toHaveLength(2);
    expect(os.exitCode).toBeNull();
    await os.advance(200);
    expect(os.exitCode).toBe(0);
    expect(os.out.join('')).toMatch(/Received SIGTERM scheduling shutdown\.\.\.\n.*DB saved on disk\n/);
  });
});
