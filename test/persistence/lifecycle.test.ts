/**
 * Persistence over (virtual) time on a deterministic Os: save points and their retry delay,
 * a failing BGSAVE turning writes into MISCONF, the LOADING state of a big load, rewrite
 * scheduling around BGSAVE, automatic rewrites on growth, AOF write errors, and shutdown
 * saves.
 */
import { describe, it, expect } from 'vitest';
import { MemoryOs, type MemoryFs } from '../support/memory-os';
import { createServer } from '../../src/engine/programs/redis-server';
import { Config } from '../../src/engine/config/config';
import type { RedisServer } from '../../src/engine/server/server';
import { persistenceOf } from '../../src/engine/persistence/state';
import { persistenceInfoFields } from '../../src/engine/persistence/info';
import type { SavePoint } from '../../src/engine/config/params';

interface Booted { os: MemoryOs; server: RedisServer; send: (...argv: string[]) => string; log: () => string }

async function boot(settings: Record<string, unknown>, fs?: MemoryFs, awaitLoad = true): Promise<Booted & { loaded: Promise<void> }> {
  const os = new MemoryOs({ fs, nowMs: 1_800_000_000_000 });
  const config = new Config();
  config.setRaw('save', []);
  for (const [k, v] of Object.entries(settings)) config.setRaw(k, v);
  const server = createServer(os, { config });
  server.startCron();
  os.onSignal((sig) => server.event(() => server.handleSignal(sig)));
  const loaded = server.loadDataFromDisk();
  if (awaitLoad) await loaded;
  const sock = os.fakeSocket();
  const c = server.createClient(sock);
  const send = (...argv: string[]) => {
    const before = sock.sent.length;
    const req = `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
    server.event(() => server.readFromClient(c, Uint8Array.from(req, (ch) => ch.charCodeAt(0))));
    return sock.sent.slice(before).join('');
  };
  return { os, server, send, loaded, log: () => os.out.join('') };
}

const info = (s: RedisServer) => Object.fromEntries(persistenceInfoFields(s).map(([k, v]) => [k, String(v)]));
const forks = (os: MemoryOs) => os.ops.filter((o) => o.startsWith('fork'));

describe('save points', () => {
  it('BGSAVE fires when both the time and the number of changes are reached', async () => {
    const { os, server, send, log } = await boot({ save: [{ seconds: 5, changes: 2 }] as SavePoint[] });
    send('SET', 'a', '1');
    await os.advance(10_000);
    expect(forks(os)).toEqual([]); // 1 change is not enough
    send('SET', 'b', '2');
    await os.advance(200);
    expect(forks(os)).toEqual(['fork redis-rdb-bgsave 1001']);
    expect(log()).toContain('2 changes in 5 seconds. Saving...');
    expect(log()).toContain('Background saving started by pid 1001');
    await os.advance(500);
    expect(log()).toContain('1001:C 15 Jan 2027 08:00:10.');
    expect(log()).toContain('Background saving terminated with success');
    expect(info(server).rdb_changes_since_last_save).toBe('0');
    expect(info(server).rdb_last_bgsave_status).toBe('ok');
    expect(os.fs.text('/data/dump.rdb', 'durable')).toMatch(/^REDIS0010/);
    expect(os.fs.existsSync('/data/temp-1001.rdb')).toBe(false);
  });

  it('a failed BGSAVE makes writes fail with MISCONF and is retried after 5 seconds', async () => {
    const { os, server, send, log } = await boot({ save: [{ seconds: 1, changes: 1 }] as SavePoint[] });
    send('SET', 'a', '1');
    os.fs.failWrites = 'ENOSPC';
    await os.advance(2_100);
    await os.advance(200);
    expect(log()).toContain('Write error saving DB on disk(rdbSaveRio): No space left on device');
    expect(log()).toContain('Background saving error');
    expect(info(server).rdb_last_bgsave_status).toBe('err');
    expect(send('SET', 'b', '2')).toMatch(/^-MISCONF Redis is configured to save RDB snapshots/);
    expect(send('PING')).toMatch(/^-MISCONF/);
    expect(send('GET', 'a')).toBe('$1\r\n1\r\n');
    const tries = () => forks(os).length;
    expect(tries()).toBe(1);
    await os.advance(4_000);
    expect(tries()).toBe(1); // not before CONFIG_BGSAVE_RETRY_DELAY
    os.fs.failWrites = null;
    await os.advance(1_500);
    expect(tries()).toBe(1); // 7.8 s: still within 5 s of the failed try at second 2
    await os.advance(500);
    expect(tries()).toBe(2);
    await os.advance(500);
    expect(info(server).rdb_last_bgsave_status).toBe('ok');
    expect(send('SET', 'b', '2')).toBe('+OK\r\n');
  });
});

describe('loading', () => {
  it('clients get -LOADING while a big RDB loads, and INFO shows the progress', async () => {
    const first = await boot({ rdbcompression: false });
    first.send('SET', 'big', 'x'.repeat(5 * 1024 * 1024));
    first.send('SET', 'small', 'v');
    expect(first.send('SAVE')).toBe('+OK\r\n');
    const second = await boot({}, first.os.fs, false);
    let done = false;
    void second.loaded.then(() => { done = true; });
    await Promise.resolve();
    expect(second.server.loading).toBe(true);
    expect(second.send('GET', 'small')).toBe('-LOADING Redis is loading the dataset in memory\r\n');
    const during = info(second.server);
    expect(during.loading).toBe('1');
    expect(Number(during.loading_total_bytes)).toBeGreaterThan(5 * 1024 * 1024);
    expect(during.loading_loaded_perc).toMatch(/^\d+\.\d\d$/);
    while (!done) await second.os.advance(1);
    expect(second.os.busyMs).toBeGreaterThan(40); // ~5 MB at the modelled load speed
    expect(second.send('GET', 'small')).toBe('$1\r\nv\r\n');
    expect(info(second.server).loading).toBe('0');
    expect(info(second.server)).not.toHaveProperty('loading_total_bytes');
    expect(second.log()).toContain('Done loading RDB, keys loaded: 2, keys expired: 0.');
  });

  it('key-load-delay pauses after each key, and loading-process-events-interval-bytes says how often clients are served', async () => {
    const first = await boot({});
    for (let i = 0; i < 400; i++) first.send('SET', `key:${i}`, `value:${i}`);
    expect(first.send('SAVE')).toBe('+OK\r\n');
    const size = first.os.fs.statSync('dump.rdb')!.size;
    const second = await boot({ 'key-load-delay': 1500, 'loading-process-events-interval-bytes': 1024 }, first.os.fs, false);
    const start = 1_800_000_000_000; // boot's clock: the load starts at once
    let done = false;
    void second.loaded.then(() => { done = true; });
    let served = 0;
    let steps = 0;
    while (!done) {
      if (second.server.loading) {
        expect(second.send('PING')).toBe('-LOADING Redis is loading the dataset in memory\r\n');
        served++;
      }
      await second.os.advance(1);
      steps++;
    }
    // 400 keys x 1.5 ms of sleep (debugDelay), plus at most the test's advance(1) steps.
    const elapsedMs = second.os.now() - start;
    expect(elapsedMs).toBeGreaterThanOrEqual(600);
    expect(elapsedMs).toBeLessThanOrEqual(600 + steps);
    // Clients get a turn each time another 1024 bytes are read.
    expect(served).toBeGreaterThanOrEqual(Math.floor(size / 1024) - 1);
    expect(second.send('DBSIZE')).toBe(':400\r\n');
  });
});

describe('AOF rewrite scheduling', () => {
  it('BGREWRITEAOF during a BGSAVE is scheduled and runs when the BGSAVE ends; BGSAVE during a rewrite is refused', async () => {
    const { os, server, send, log } = await boot({ appendonly: true });
    send('SET', 'k', 'v');
    expect(send('BGSAVE')).toBe('+Background saving started\r\n');
    expect(send('BGREWRITEAOF')).toBe('+Background append only file rewriting scheduled\r\n');
    expect(info(server).aof_rewrite_scheduled).toBe('1');
    expect(info(server).aof_pending_rewrite).toBe('1');
    expect(info(server).rdb_bgsave_in_progress).toBe('1');
    while (!log().includes('Background append only file rewriting started by pid')) await os.advance(10);
    expect(log()).toContain('Background saving terminated with success');
    expect(info(server).aof_rewrite_scheduled).toBe('0');
    expect(info(server).aof_rewrite_in_progress).toBe('1');
    expect(send('BGSAVE')).toBe("-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.\r\n");
    expect(send('BGREWRITEAOF')).toBe('-ERR Background append only file rewriting already in progress\r\n');
    await os.advance(300);
    expect(log()).toContain('Background AOF rewrite finished successfully');
    expect(os.fs.readdirSync('/data/appendonlydir')).toEqual(['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    expect(info(server).aof_rewrites).toBe('1');
  });

  it('rewrites automatically when the AOF grew by auto-aof-rewrite-percentage over auto-aof-rewrite-min-size', async () => {
    const { os, server, send, log } = await boot({ appendonly: true, 'auto-aof-rewrite-min-size': 200, 'auto-aof-rewrite-percentage': 100 });
    for (let i = 0; i < 5; i++) send('SET', 'k', String(i));
    await os.advance(300);
    expect(log()).not.toContain('Starting automatic rewriting');
    for (let i = 0; i < 10; i++) send('SET', 'k', String(i));
    await os.advance(300);
    expect(log()).toMatch(/Starting automatic rewriting of AOF on \d+% growth/);
    await os.advance(500);
    const st = persistenceOf(server);
    expect(st.statAofRewrites).toBe(1);
    expect(st.aofRewriteBaseSize).toBe(st.aofCurrentSize);
  });
});

describe('AOF write errors', () => {
  it('everysec: a failing write turns writes into MISCONF until a retry succeeds', async () => {
    const { os, server, send, log } = await boot({ appendonly: true });
    send('SET', 'a', '1');
    os.fs.failWrites = 'ENOSPC';
    expect(send('SET', 'b', '2')).toBe('+OK\r\n'); // the write fails after the command ran
    expect(log()).toContain('Error writing to the AOF file: No space left on device');
    expect(info(server).aof_last_write_status).toBe('err');
    expect(send('SET', 'c', '3')).toBe('-MISCONF Errors writing to the AOF file: No space left on device\r\n');
    os.fs.failWrites = null;
    await os.advance(1_100);
    expect(log()).toContain('AOF write error looks solved, Redis can write again.');
    expect(send('SET', 'c', '3')).toBe('+OK\r\n');
    expect(os.fs.text('/data/appendonlydir/appendonly.aof.1.incr.aof')).toContain('$1\r\nb\r\n');
  });

  it('always: a failing write stops the server', async () => {
    const { os, send, log } = await boot({ appendonly: true, appendfsync: 'always' });
    os.fs.failWrites = 'EIO';
    send('SET', 'a', '1');
    expect(log()).toContain("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
    expect(os.exitCode).toBe(1);
  });
});

describe('shutdown', () => {
  it('SIGTERM saves the final snapshot when save points are set', async () => {
    const { os, send, log } = await boot({ save: [{ seconds: 3600, changes: 1 }] as SavePoint[] });
    send('SET', 'a', '1');
    os.signal('SIGTERM');
    await os.advance(200);
    expect(log()).toContain('Received SIGTERM scheduling shutdown...');
    expect(log()).toContain('Saving the final RDB snapshot before exiting.');
    expect(log()).toContain('Redis is now ready to exit, bye bye...');
    expect(os.exitCode).toBe(0);
    expect(os.fs.text('/data/dump.rdb', 'durable')).toContain('a');
  });

  it('a failing final save aborts the shutdown unless it is forced', async () => {
    const { os, server, log } = await boot({ save: [{ seconds: 3600, changes: 1 }] as SavePoint[] });
    os.fs.failWrites = 'ENOSPC';
    expect(server.shutdown({})).toBe('Errors trying to SHUTDOWN. Check logs.');
    expect(log()).toContain("Error trying to save the DB, can't exit.");
    expect(os.exitCode).toBe(null);
    expect(server.shutdown({ nosave: true })).toBe(null);
    expect(os.exitCode).toBe(0);
  });

  it('with AOF on, the AOF is flushed and fsynced before exiting', async () => {
    const { os, server, send, log } = await boot({ appendonly: true, appendfsync: 'no' });
    send('SET', 'a', '1');
    expect(os.fs.text('/data/appendonlydir/appendonly.aof.1.incr.aof', 'durable')).toBe('');
    server.shutdown({});
    expect(log()).toContain('Calling fsync() on the AOF file.');
    expect(os.fs.text('/data/appendonlydir/appendonly.aof.1.incr.aof', 'durable')).toContain('$1\r\na\r\n');
  });
});

describe('entry points for DEBUG and replication', () => {
  it('reloadFromRdbSync saves and loads back (DEBUG RELOAD), MERGE/NOFLUSH keep what is there', async () => {
    const { os, server, send, log } = await boot({});
    send('SET', 'a', '1');
    send('SET', 'b', '2');
    const { reloadFromRdbSync } = await import('../../src/engine/persistence/debug-api');
    expect(reloadFromRdbSync(server)).toBe(null);
    expect(log()).toContain('DB reloaded by DEBUG RELOAD');
    expect([...server.dbs[0].dict.keys()].sort()).toEqual(['a', 'b']);
    expect(os.fs.text('/data/dump.rdb', 'durable')).toMatch(/^REDIS0010/);
    send('SET', 'c', '3');
    expect(reloadFromRdbSync(server, { noflush: true, merge: true })).toBe(null);
    expect([...server.dbs[0].dict.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(reloadFromRdbSync(server, { nosave: true })).toBe(undefined);
  });

  it('loadAofNow replays the AOF from disk (DEBUG LOADAOF)', async () => {
    const { server, send, log } = await boot({ appendonly: true });
    send('SET', 'a', '1');
    send('INCR', 'a');
    server.dbs[0].clear();
    const { loadAofNow } = await import('../../src/engine/persistence/debug-api');
    expect(await loadAofNow(server)).toBe(null);
    expect(send('GET', 'a')).toBe('$1\r\n2\r\n');
    expect(log()).toContain('Append Only File loaded by DEBUG LOADAOF');
    expect(server.dirty).toBe(0);
  });

  it('rdb-del-sync-files removes a dump.rdb written only to feed replicas', async () => {
    const { os, server, send, log } = await boot({ 'rdb-del-sync-files': true });
    const { noteRdbGeneratedForReplicas, removeRdbUsedToSyncReplicas } = await import('../../src/engine/persistence/rdb-sync-files');
    const { rdbSaveBackground } = await import('../../src/engine/persistence/rdb-save');
    send('SET', 'a', '1');
    expect(rdbSaveBackground(server)).toBe(true);
    await os.advance(300);
    // Flagged once written: replicationCron (which runs this check itself) must not get to it first.
    noteRdbGeneratedForReplicas(server);
    expect(os.fs.existsSync('/data/dump.rdb')).toBe(true);
    removeRdbUsedToSyncReplicas(server, true);
    expect(os.fs.existsSync('/data/dump.rdb')).toBe(true);
    removeRdbUsedToSyncReplicas(server, false);
    expect(os.fs.existsSync('/data/dump.rdb')).toBe(false);
    expect(log()).toContain('Removing the RDB file used to feed replicas in a persistence-less instance');
  });
});
