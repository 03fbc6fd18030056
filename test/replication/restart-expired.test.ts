/**
 * A master restarted from its RDB drops the keys that expired while it was down and puts
 * their DELs in a backlog that continues the RDB's offset (loadDataFromDisk's
 * RDBFLAGS_FEED_REPL), so its replica's PSYNC succeeds and drops them too. Before, ours
 * dropped them silently: the replica kept them, its dataset differed from the master's
 * (Redis's integration/psync2-master-restart). Side by side with the real redis-server.
 */
import { describe, it, expect } from 'vitest';
import { startOurRedis } from '../support/our-server';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { cmd, info, waitFor, linkUp, sleep, text, closedAfterAll } from './helpers';

const suite = haveRealRedis() ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

async function restartWithExpiredKeys(kind: 'real' | 'ours') {
  const start = kind === 'real' ? startRealRedis : startOurRedis;
  const [m1, r] = await Promise.all([start(['--repl-diskless-sync-delay', '0']), start()]);
  stops.push(() => m1.stop(), () => r.stop());
  const [master, replica] = await Promise.all([m1.client(), r.client()]);
  clients.push(master, replica);
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(m1.port));
  await waitFor('link up', () => linkUp(replica));
  await cmd(master, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  for (let j = 0; j < 12; j++) {
    await cmd(master, 'SELECT', String(j % 3));
    await cmd(master, 'SET', `k${j}`, 'v', 'PX', '10');
  }
  await cmd(master, 'SET', 'keep', '1');
  await sleep(30);
  const offset = (await info(master, 'replication')).master_repl_offset;
  await waitFor('replica caught up', async () => (await info(replica, 'replication')).master_repl_offset === offset);
  // And the master has its ACK: a lagging replica would get a GETACK at shutdown (more offset).
  await waitFor('master has the ack', async () => ((await info(master, 'replication')).slave0 ?? '').includes(`offset=${offset},`));
  master.write('*2\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n');
  await waitFor('link down', async () => !(await linkUp(replica)));
  const m2 = await start(['--dir', m1.dir, '--repl-diskless-sync-delay', '0']);
  stops.push(() => m2.stop());
  const master2 = await m2.client();
  clients.push(master2);
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(m2.port));
  await waitFor('link up again', () => linkUp(replica));
  const repl = await info(master2, 'replication');
  const stats = await info(master2, 'stats');
  return {
    expired: (await info(master2, 'persistence')).rdb_last_load_keys_expired,
    partialOk: stats.sync_partial_ok,
    full: stats.sync_full,
    // The DELs (and their SELECTs) since the RDB's offset.
    histlen: Number(repl.repl_backlog_histlen),
    continues: Number(repl.master_repl_offset) === Number(offset) + Number(repl.repl_backlog_histlen),
    firstByte: Number(repl.repl_backlog_first_byte_offset) - Number(offset),
    replicaKeys: text(await cmd(replica, 'INFO', 'keyspace')).split('\r\n').filter((l) => l.startsWith('db')).map((l) => l.replace(/,avg_ttl=\d+/, '')),
  };
}

suite('a master restarted with expired keys in its RDB (vs real redis-server)', () => {
  it('feeds their DELs to the backlog: the replica PSYNCs and drops them too', async () => {
    const [real, ours] = await Promise.all([restartWithExpiredKeys('real'), restartWithExpiredKeys('ours')]);
    expect(real).toMatchObject({ expired: '12', partialOk: '1', full: '0', continues: true, firstByte: 1, replicaKeys: ['db2:keys=1,expires=0'] });
    expect(real.histlen).toBeGreaterThan(0);
    expect(ours).toEqual(real);
  }, 30_000);
});
