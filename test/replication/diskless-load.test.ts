/**
 * `repl-diskless-load` as Redis 7.0.15 does it, side by side with the real redis-server on
 * the native host: a diskless replica loads the RDB from the socket while it arrives, so it
 * is LOADING during the transfer (we used to read the whole payload first, then flush and
 * load in one step, so no client ever saw it). With `swapdb` the old data survives a failed
 * transfer, and when the master sends the same history again (our replid is its replid) the
 * old data is even served meanwhile: `async_loading:1`, and only the commands flagged
 * no_async_loading (REPLICAOF, ...) and the deny-loading configs (appendonly) get -LOADING.
 *
 * The master's rdb-key-save-delay keeps its child writing for a second or two, and the
 * replica's loading-process-events-interval-bytes is the minimum (1 KB), so the real one
 * answers clients during its blocking load.
 */
import { describe, it, expect } from 'vitest';
import type { RawClient } from '../support/raw-client';
import { startOurRedis } from '../support/our-server';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { cmd, info, waitFor, linkUp, text, sleep, closedAfterAll } from './helpers';

const suite = haveRealRedis() ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

type Kind = 'real' | 'ours';

interface Pair { master: RawClient; replica: RawClient; masterPort: number; replicaLog: () => string }

async function pair(kind: Kind, replicaArgs: string[]): Promise<Pair> {
  const start = kind === 'real' ? startRealRedis : startOurRedis;
  const [m, r] = await Promise.all([
    start(['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0', '--rdbcompression', 'no']),
    start(['--loading-process-events-interval-bytes', '1024', ...replicaArgs]),
  ]);
  stops.push(() => m.stop(), () => r.stop());
  const [master, replica] = await Promise.all([m.client(), r.client()]);
  clients.push(master, replica);
  const replicaLog = 'output' in r ? () => r.output() : () => r.log.join('');
  return { master, replica, masterPort: m.port, replicaLog };
}

const loadingFields = async (c: RawClient) => {
  const p = await info(c, 'persistence');
  return `loading:${p.loading} async_loading:${p.async_loading}`;
};

/** The replica's "MASTER <-> REPLICA sync:" lines, in order, without the byte counts. */
function syncLines(log: string): string[] {
  return log.split('\n').map((l) => /MASTER <-> REPLICA sync: (.*)$/.exec(l)?.[1]?.trim())
    .filter((l): l is string => !!l && !l.startsWith('receiving'));
}

/** What the replica logs when its diskless load fails, in order (offsets, ports, errno out). */
function failureLines(log: string): string[] {
  const wanted = /Short read|Internal error in RDB|Failed trying to load|Reconnecting to MASTER|sync started|Discarding temporary/;
  return log.split('\n').filter((l) => wanted.test(l))
    .map((l) => l.replace(/^.*?[0-9:.]+ [*#.-] /, '').replace(/offset \d+/, 'offset N').replace(/:\d+ after/, ':PORT after')
      // strerror(errno) of whatever call last failed: 'Success', 'Operation now in progress', ...
      .replace(/from socket: .*/, 'from socket: <errno>'));
}

const FN = (v: string) => `#!lua name=test\nredis.register_function('test', function() return '${v}' end)`;

/** swapdb with a new history: LOADING while the RDB arrives, the old data back on failure. */
async function swapdbNewHistory(kind: Kind) {
  const { master, replica, masterPort, replicaLog } = await pair(kind, ['--repl-diskless-load', 'swapdb']);
  await cmd(replica, 'DEBUG', 'POPULATE', '20', 'slave', '10');
  await cmd(replica, 'SET', 'mykey', 'myvalue');
  await cmd(master, 'DEBUG', 'POPULATE', '40', 'master', '4000');
  // 40 keys x 25 ms: about a second of transfer.
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '25000');
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(masterPort));
  await waitFor('loading', async () => (await info(replica, 'persistence')).loading === '1', 5000);
  const during = { fields: await loadingFields(replica), get: text(await cmd(replica, 'GET', 'mykey')) };
  // The next sync waits, so the replica is seen between the two.
  await cmd(master, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '5');
  await cmd(master, 'CLIENT', 'KILL', 'TYPE', 'replica');
  await waitFor('loading stops', async () => (await info(replica, 'persistence')).loading === '0', 5000);
  const after = {
    fields: await loadingFields(replica),
    get: text(await cmd(replica, 'GET', 'mykey')),
    dbsize: text(await cmd(replica, 'DBSIZE')),
  };
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
  return { during, after, lines: syncLines(replicaLog()), failure: failureLines(replicaLog()) };
}

/** swapdb with the same history: the old data and functions served while the new loads. */
async function swapdbAsync(kind: Kind) {
  const { master, replica, masterPort, replicaLog } = await pair(kind, ['--repl-diskless-load', 'swapdb', '--replica-read-only', 'no']);
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(masterPort));
  await waitFor('first sync', () => linkUp(replica), 10_000);
  await cmd(replica, 'SET', 'mykey', 'myvalue');
  await cmd(replica, 'FUNCTION', 'LOAD', FN('hello1'));
  await cmd(master, 'FUNCTION', 'LOAD', FN('hello2'));
  await cmd(master, 'DEBUG', 'POPULATE', '120', 'master', '4000');
  // A real replica serves clients only as the RDB arrives (every loading-process-events-
  // interval-bytes), so each command below waits for the next key: keys come every 20 ms.
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '20000');
  // Drop the replica and overflow the backlog: its PSYNC becomes a full sync of the same replid.
  await cmd(master, 'MULTI');
  await cmd(master, 'CLIENT', 'KILL', 'TYPE', 'replica');
  await cmd(master, 'CONFIG', 'SET', 'repl-backlog-size', '16384');
  for (let i = 0; i < 4; i++) await cmd(master, 'SET', `big${i}`, 'A'.repeat(16384));
  await cmd(master, 'EXEC');
  await waitFor('async loading', async () => (await info(replica, 'persistence')).async_loading === '1', 5000);
  const during = {
    fields: await loadingFields(replica),
    get: text(await cmd(replica, 'GET', 'mykey')),
    fcall: text(await cmd(replica, 'FCALL', 'test', '0')),
    dbsize: text(await cmd(replica, 'DBSIZE')),
    setAppendonly: text(await cmd(replica, 'CONFIG', 'SET', 'appendonly', 'no')),
    replicaofNoOne: text(await cmd(replica, 'REPLICAOF', 'NO', 'ONE')),
    multiReplicaof: await (async () => {
      await cmd(replica, 'MULTI');
      await cmd(replica, 'REPLICAOF', 'NO', 'ONE');
      return text(await cmd(replica, 'EXEC'));
    })(),
    // A write on the writable replica goes to the old data, which the swap discards.
    set: text(await cmd(replica, 'SET', 'written', 'during')),
    // All of the above was seen during the async load (120 keys x 20 ms on the master).
    stillAsync: (await info(replica, 'persistence')).async_loading,
  };
  await waitFor('link up', () => linkUp(replica), 10_000);
  const after = {
    fields: await loadingFields(replica),
    get: text(await cmd(replica, 'GET', 'mykey')),
    written: text(await cmd(replica, 'EXISTS', 'written')),
    fcall: text(await cmd(replica, 'FCALL', 'test', '0')),
    dbsize: text(await cmd(replica, 'DBSIZE')),
  };
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
  return { during, after, lines: syncLines(replicaLog()) };
}

/** on-empty-db on an empty replica: flushed at the start and LOADING during the transfer. */
async function onEmptyDb(kind: Kind) {
  const { master, replica, masterPort, replicaLog } = await pair(kind, ['--repl-diskless-load', 'on-empty-db']);
  await cmd(master, 'DEBUG', 'POPULATE', '40', 'master', '4000');
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '50000');
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(masterPort));
  // Within the first 1.5 s of a transfer of about two seconds: the child is still writing.
  await waitFor('loading during the transfer', async () => (await info(replica, 'persistence')).loading === '1', 1500);
  const during = {
    fields: await loadingFields(replica),
    dbsize: text(await cmd(replica, 'DBSIZE')),
    childWriting: (await info(master, 'persistence')).rdb_bgsave_in_progress,
  };
  await waitFor('link up', () => linkUp(replica), 10_000);
  const after = { fields: await loadingFields(replica), dbsize: text(await cmd(replica, 'DBSIZE')) };
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
  return { during, after, lines: syncLines(replicaLog()) };
}

/**
 * The software watchdog (watchdog-period) while a diskless load blocks the replica: Redis's
 * serverCron, which re-arms the alarm, does not run inside rdbLoad, so the alarm goes off (the
 * EINTR that Redis's "replica can handle EINTR if use diskless load" test provokes). An idle
 * server with the same period never sees it.
 */
async function watchdogDuringLoad(kind: Kind) {
  const { master, replica, masterPort, replicaLog } = await pair(kind, ['--repl-diskless-load', 'on-empty-db']);
  // 400 ms: four cron ticks; an event loop stalled that long by the other servers of this
  // test process would set ours off, as a descheduled redis-server would be.
  await cmd(replica, 'CONFIG', 'SET', 'watchdog-period', '400');
  await sleep(900);
  const idle = replicaLog().includes('WATCHDOG TIMER EXPIRED');
  await cmd(master, 'DEBUG', 'POPULATE', '20', 'master', '4000');
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '60000');
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(masterPort));
  await waitFor('link up', () => linkUp(replica), 10_000);
  await cmd(replica, 'CONFIG', 'SET', 'watchdog-period', '0');
  const log = replicaLog();
  const loadingAt = log.indexOf('Loading DB in memory');
  const watchdogAt = log.indexOf('WATCHDOG TIMER EXPIRED', loadingAt);
  return {
    idle,
    firedDuringLoad: loadingAt >= 0 && watchdogAt > loadingAt && watchdogAt < log.indexOf('Finished with success'),
    reconnected: log.includes('Reconnecting to MASTER'),
    syncFull: (await info(master, 'stats')).sync_full,
  };
}

/**
 * FLUSHALL kills the RDB child, a diskless transfer's too (killRDBChild): the replicas of
 * that transfer are dropped and sync again at once, with the empty dataset.
 */
async function flushallDuringTransfer(kind: Kind) {
  const { master, replica, masterPort } = await pair(kind, ['--repl-diskless-load', 'swapdb']);
  await cmd(master, 'DEBUG', 'POPULATE', '40', 'master', '4000');
  // 40 keys x 100 ms: a 4 s transfer, unless the child is killed.
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '100000');
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(masterPort));
  await waitFor('loading', async () => (await info(replica, 'persistence')).loading === '1', 5000);
  const t0 = Date.now();
  await cmd(master, 'FLUSHALL');
  await waitFor('link up', () => linkUp(replica), 10_000);
  const quick = Date.now() - t0 < 2500;
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
  return { quick, syncFull: (await info(master, 'stats')).sync_full, dbsize: text(await cmd(replica, 'DBSIZE')) };
}

const LOADING = 'LOADING Redis is loading the dataset in memory';
const NIL = '{"type":"nil"}';

suite('repl-diskless-load (native, vs real redis-server)', () => {
  it('swapdb, new history: LOADING during the transfer, the old data back after a failure', async () => {
    const [real, ours] = await Promise.all([swapdbNewHistory('real'), swapdbNewHistory('ours')]);
    expect(real.during).toEqual({ fields: 'loading:1 async_loading:0', get: LOADING });
    expect(real.after).toEqual({ fields: 'loading:0 async_loading:0', get: 'myvalue', dbsize: '21' });
    expect(ours.during).toEqual(real.during);
    expect(ours.after).toEqual(real.after);
    expect(real.lines).toEqual(['Loading DB in memory', 'Discarding temporary DB in background']);
    expect(ours.lines).toEqual(real.lines);
    expect(real.failure.slice(1)).toEqual([
      'Short read or OOM loading DB. Unrecoverable error, aborting now.',
      'Internal error in RDB reading offset N, function at rdb.c:3249 -> Unexpected EOF reading RDB file. Failure loading rdb format from socket, assuming connection error, resuming operation.',
      'Failed trying to load the MASTER synchronization DB from socket: <errno>',
      'Reconnecting to MASTER 127.0.0.1:PORT after failure',
      'MASTER <-> REPLICA sync started',
      'MASTER <-> REPLICA sync: Discarding temporary DB in background',
    ]);
    expect(ours.failure).toEqual(real.failure);
  }, 30_000);

  it('swapdb, same history: async loading serves the old data, then swaps in the new', async () => {
    const [real, ours] = await Promise.all([swapdbAsync('real'), swapdbAsync('ours')]);
    expect(real.during).toEqual({
      fields: 'loading:0 async_loading:1', get: 'myvalue', fcall: 'hello1', dbsize: '1',
      setAppendonly: LOADING, replicaofNoOne: LOADING,
      multiReplicaof: 'EXECABORT Transaction discarded because of previous errors.', set: 'OK', stillAsync: '1',
    });
    expect(real.after).toEqual({ fields: 'loading:0 async_loading:0', get: NIL, written: '0', fcall: 'hello2', dbsize: '124' });
    expect(ours.during).toEqual(real.during);
    expect(ours.after).toEqual(real.after);
    const swap = ['Loading DB in memory', 'Swapping active DB with loaded DB', 'Discarding old DB in background', 'Finished with success'];
    expect(real.lines).toEqual([...swap, ...swap]);
    expect(ours.lines).toEqual(real.lines);
  }, 30_000);

  it('on-empty-db: flushed and LOADING from the first bytes of the transfer', async () => {
    const [real, ours] = await Promise.all([onEmptyDb('real'), onEmptyDb('ours')]);
    expect(real.during).toEqual({ fields: 'loading:1 async_loading:0', dbsize: LOADING, childWriting: '1' });
    expect(real.after).toEqual({ fields: 'loading:0 async_loading:0', dbsize: '40' });
    expect(ours.during).toEqual(real.during);
    expect(ours.after).toEqual(real.after);
    expect(real.lines).toEqual(['Flushing old data', 'Loading DB in memory', 'Finished with success']);
    expect(ours.lines).toEqual(real.lines);
  }, 30_000);

  it('watchdog-period: the alarm goes off while a diskless load blocks the replica, not when idle', async () => {
    const [real, ours] = await Promise.all([watchdogDuringLoad('real'), watchdogDuringLoad('ours')]);
    expect(real).toEqual({ idle: false, firedDuringLoad: true, reconnected: false, syncFull: '1' });
    expect(ours).toEqual(real);
  }, 30_000);

  it('FLUSHALL kills a diskless transfer\'s child: its replica syncs again at once', async () => {
    const [real, ours] = await Promise.all([flushallDuringTransfer('real'), flushallDuringTransfer('ours')]);
    expect(real).toEqual({ quick: true, syncFull: '2', dbsize: '0' });
    expect(ours).toEqual(real);
  }, 30_000);
});
