/**
 * FAILOVER TO a replica that refuses PSYNC (its user lacks +psync): the old master reads the
 * error reply to its PSYNC FAILOVER, aborts the failover ("Failover target rejected psync
 * request") and stays master, without falling back to SYNC. Ours retried with SYNC and stayed
 * in failover-in-progress (Redis's integration/failover "failover aborts if target rejects
 * sync request"). Side by side with the real redis-server.
 */
import { describe, it, expect } from 'vitest';
import { startOurRedis } from '../support/our-server';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { cmd, info, waitFor, linkUp, text, closedAfterAll } from './helpers';

const suite = haveRealRedis() ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

async function rejectedFailover(kind: 'real' | 'ours') {
  const start = kind === 'real' ? startRealRedis : startOurRedis;
  const [m, r] = await Promise.all([start(['--repl-diskless-sync-delay', '0']), start()]);
  stops.push(() => m.stop(), () => r.stop());
  const output = () => ('output' in m ? m.output() : m.log.join(''));
  const [master, replica] = await Promise.all([m.client(), r.client()]);
  clients.push(master, replica);
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(m.port));
  await waitFor('link up', () => linkUp(replica));
  await waitFor('replica online', async () => ((await info(master, 'replication')).slave0 ?? '').includes('state=online'));
  await cmd(replica, 'ACL', 'SETUSER', 'default', '-psync');
  const reply = text(await cmd(master, 'FAILOVER', 'TO', '127.0.0.1', String(r.port)));
  await waitFor('failover over', async () => (await info(master, 'replication')).master_failover_state === 'no-failover', 5000);
  await cmd(replica, 'ACL', 'SETUSER', 'default', '+psync');
  await waitFor('link up again', () => linkUp(replica));
  const log = output();
  return {
    reply,
    role: (await info(master, 'replication')).role,
    replicaRole: (await info(replica, 'replication')).role,
    rejected: log.split('Failover target rejected psync request').length - 1,
    retriedWithSync: log.includes('Retrying with SYNC'),
  };
}

suite('FAILOVER to a replica that refuses PSYNC (vs real redis-server)', () => {
  it('aborts the failover and the master stays master', async () => {
    const [real, ours] = await Promise.all([rejectedFailover('real'), rejectedFailover('ours')]);
    expect(real).toEqual({ reply: 'OK', role: 'master', replicaRole: 'slave', rejected: 1, retriedWithSync: false });
    expect(ours).toEqual(real);
  }, 30_000);
});
