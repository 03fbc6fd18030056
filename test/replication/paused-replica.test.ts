/**
 * A replica paused with CLIENT PAUSE WRITE reads its master's writes but holds them: the
 * applied offset (slave_repl_offset) stays while the read one (slave_read_repl_offset)
 * grows. On CLIENT UNPAUSE the held write runs and counts as applied. Ours ran it but never
 * advanced the applied offset past it (Redis's unit/pause "Test replica offset would grow
 * after unpause"). Side by side with the real redis-server.
 */
import { describe, it, expect } from 'vitest';
import { startOurRedis } from '../support/our-server';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { cmd, info, waitFor, linkUp, text, closedAfterAll } from './helpers';

const suite = haveRealRedis() ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

async function pausedReplica(kind: 'real' | 'ours') {
  const start = kind === 'real' ? startRealRedis : startOurRedis;
  const [m, r] = await Promise.all([start(['--repl-diskless-sync-delay', '0', '--repl-ping-replica-period', '3600']), start()]);
  stops.push(() => m.stop(), () => r.stop());
  const [master, replica] = await Promise.all([m.client(), r.client()]);
  clients.push(master, replica);
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(m.port));
  await waitFor('link up', () => linkUp(replica));
  const offsets = async () => {
    const [mi, ri] = [await info(master, 'replication'), await info(replica, 'replication')];
    return { master: Number(mi.master_repl_offset), read: Number(ri.slave_read_repl_offset), applied: Number(ri.slave_repl_offset) };
  };
  await cmd(master, 'SET', 'foo', 'bar');
  await waitFor('in sync', async () => { const o = await offsets(); return o.applied === o.master; });
  const before = (await offsets()).master;
  await cmd(replica, 'CLIENT', 'PAUSE', '100000', 'WRITE');
  await cmd(master, 'SET', 'foo2', 'bar2');
  await waitFor('the write read', async () => { const o = await offsets(); return o.read === o.master; });
  const paused = await offsets();
  const heldValue = text(await cmd(replica, 'GET', 'foo2'));
  await cmd(replica, 'CLIENT', 'UNPAUSE');
  let after = await offsets();
  await waitFor('the held write applied', async () => { after = await offsets(); return after.applied === after.master; }, 3000).catch(() => undefined);
  return {
    pausedAppliedStayed: paused.applied === before,
    readGrew: paused.read > before,
    heldValue,
    appliedAfterUnpause: after.applied === after.master,
    value: text(await cmd(replica, 'GET', 'foo2')),
  };
}

suite('a replica paused with CLIENT PAUSE WRITE (vs real redis-server)', () => {
  it('holds its master\'s write, then applies it and advances its offset on UNPAUSE', async () => {
    const [real, ours] = await Promise.all([pausedReplica('real'), pausedReplica('ours')]);
    expect(real).toEqual({ pausedAppliedStayed: true, readGrew: true, heldValue: '{"type":"nil"}', appliedAfterUnpause: true, value: 'bar2' });
    expect(ours).toEqual(real);
  }, 30_000);
});
