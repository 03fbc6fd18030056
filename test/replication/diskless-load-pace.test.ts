/**
 * A diskless replica loads the RDB as it reads it from the socket (rdbLoadRio over the
 * connection), so a slow loader (key-load-delay) reads slowly: the master's writes back up in
 * the kernel's buffers, its pipe fills, and its fork child waits (rdb_bgsave_in_progress stays
 * 1). Meanwhile loading_loaded_bytes counts what was parsed, not what arrived. We used to
 * read the whole payload as fast as it came and parse it at the end: the child finished at
 * once and loading_loaded_bytes was the whole transfer.
 *
 * 20 MB of keys (more than the loopback socket buffers hold), parsed at 20 ms a key.
 */
import { describe, it, expect } from 'vitest';
import { startOurRedis } from '../support/our-server';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { cmd, info, waitFor, linkUp, text, sleep, closedAfterAll } from './helpers';

const suite = haveRealRedis() ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

const KEYS = 2000;
const KEY_BYTES = 10_000;

async function slowLoader(kind: 'real' | 'ours') {
  const start = kind === 'real' ? startRealRedis : startOurRedis;
  const [m, r] = await Promise.all([
    start(['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0', '--rdbcompression', 'no']),
    start(['--repl-diskless-load', 'swapdb', '--loading-process-events-interval-bytes', '1024', '--key-load-delay', '20000']),
  ]);
  stops.push(() => m.stop(), () => r.stop());
  const [master, replica] = await Promise.all([m.client(), r.client()]);
  clients.push(master, replica);
  await cmd(master, 'DEBUG', 'POPULATE', String(KEYS), 'key', String(KEY_BYTES));
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(m.port));
  await waitFor('loading', async () => (await info(replica, 'persistence')).loading === '1', 5000);
  // A fast reader would have had all of it by now.
  await sleep(1200);
  const p = await info(replica, 'persistence');
  const loadedBytes = Number(p.loading_loaded_bytes);
  const during = {
    loading: p.loading,
    // Some keys parsed (and reported), most of the 20 MB not read yet.
    loadedSome: loadedBytes > 0 && loadedBytes < (KEYS * KEY_BYTES) / 4,
    childWaiting: (await info(master, 'persistence')).rdb_bgsave_in_progress,
    link: (await info(replica, 'replication')).master_link_status,
  };
  const t0 = Date.now();
  await cmd(replica, 'CONFIG', 'SET', 'key-load-delay', '0');
  // The replica answers between keys (every 1 KB read).
  const configAnsweredQuickly = Date.now() - t0 < 500;
  await waitFor('link up', () => linkUp(replica), 20_000);
  // The child is reaped by the master's next cron tick.
  await waitFor('child done', async () => (await info(master, 'persistence')).rdb_bgsave_in_progress === '0', 5000);
  return { during, configAnsweredQuickly, dbsize: text(await cmd(replica, 'DBSIZE')) };
}

/**
 * Values bigger than what the loader lets wait unparsed (256 KB): it must go on reading until
 * such a record is all there (we once stopped reading for good in the middle of one).
 */
async function bigValues(kind: 'real' | 'ours') {
  const start = kind === 'real' ? startRealRedis : startOurRedis;
  const [m, r] = await Promise.all([
    start(['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0', '--rdbcompression', 'no']),
    start(['--repl-diskless-load', 'swapdb']),
  ]);
  stops.push(() => m.stop(), () => r.stop());
  const [master, replica] = await Promise.all([m.client(), r.client()]);
  clients.push(master, replica);
  for (let i = 0; i < 4; i++) await cmd(master, 'SET', `big${i}`, String(i).repeat(3_000_000));
  await cmd(master, 'DEBUG', 'POPULATE', '1000', 'small', '100');
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(m.port));
  await waitFor('link up', () => linkUp(replica), 10_000);
  return { dbsize: text(await cmd(replica, 'DBSIZE')), strlen: text(await cmd(replica, 'STRLEN', 'big3')) };
}

suite('diskless load paced by the loader (native, vs real redis-server)', () => {
  it('values larger than the unparsed limit load', async () => {
    const [real, ours] = await Promise.all([bigValues('real'), bigValues('ours')]);
    expect(real).toEqual({ dbsize: '1004', strlen: '3000000' });
    expect(ours).toEqual(real);
  }, 30_000);

  it('a slow diskless loader holds back the master\'s child; loading_loaded_bytes counts what was parsed', async () => {
    const [real, ours] = await Promise.all([slowLoader('real'), slowLoader('ours')]);
    expect(real).toEqual({
      during: { loading: '1', loadedSome: true, childWaiting: '1', link: 'down' },
      configAnsweredQuickly: true,
      dbsize: String(KEYS),
    });
    expect(ours).toEqual(real);
  }, 30_000);
});
