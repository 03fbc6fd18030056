/**
 * The hidden rdb-key-save-delay (microseconds the child sleeps after each key) keeps a BGSAVE
 * or a diskless transfer running, as Redis's own integration tests rely on: the replica's ROLE
 * says "sync" meanwhile and the master's child is still in progress. Checked side by side
 * against the real redis-server on the native host. Before, our native children ignored the
 * delay (os.busy is a no-op there) and the diskless RDB reached the replicas at once.
 */
import { describe, it, expect } from 'vitest';
import type { RawClient } from '../support/raw-client';
import { startOurRedis } from '../support/our-server';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { cmd, info, waitFor, linkUp, sleep, text, closedAfterAll } from './helpers';

const suite = haveRealRedis() ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

async function pair(kind: 'real' | 'ours'): Promise<{ master: RawClient; replica: RawClient; masterPort: number }> {
  const start = kind === 'real' ? startRealRedis : startOurRedis;
  const [m, r] = await Promise.all([start(['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0']), start()]);
  stops.push(() => m.stop(), () => r.stop());
  const [master, replica] = await Promise.all([m.client(), r.client()]);
  clients.push(master, replica);
  return { master, replica, masterPort: m.port };
}

/** 10 keys, 120 ms after each: about 1.2 s of child time. */
async function slowChild(master: RawClient): Promise<void> {
  for (let i = 0; i < 10; i++) await cmd(master, 'SET', `k${i}`, 'v');
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '120000');
}

/** What the test sees 300 ms into the child's run, and how long the child took. */
async function observeDisklessSync(kind: 'real' | 'ours') {
  const { master, replica, masterPort } = await pair(kind);
  await slowChild(master);
  const t0 = Date.now();
  await cmd(replica, 'REPLICAOF', '127.0.0.1', String(masterPort));
  await sleep(300);
  const role = await cmd(replica, 'ROLE');
  const during = {
    role: role.type === 'array' && role.value ? text(role.value[3]) : '',
    link: (await info(replica, 'replication')).master_link_status,
    bgsave: (await info(master, 'persistence')).rdb_bgsave_in_progress,
    state: /state=([a-z_]+)/.exec((await info(master, 'replication')).slave0 ?? '')?.[1],
  };
  await waitFor('link up', () => linkUp(replica), 10_000);
  const tookMs = Date.now() - t0;
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
  const keys = text(await cmd(replica, 'DBSIZE'));
  // A BGSAVE to disk with the same delay, once the diskless child is reaped.
  await waitFor('child reaped', async () => (await info(master, 'persistence')).rdb_bgsave_in_progress === '0', 10_000);
  await cmd(master, 'CONFIG', 'SET', 'rdb-key-save-delay', '120000');
  const t1 = Date.now();
  expect(text(await cmd(master, 'BGSAVE'))).toBe('Background saving started');
  await sleep(300);
  const bgsaveDuring = (await info(master, 'persistence')).rdb_bgsave_in_progress;
  await waitFor('bgsave done', async () => (await info(master, 'persistence')).rdb_bgsave_in_progress === '0', 10_000);
  const bgsaveTookMs = Date.now() - t1;
  return { during, keys, tookMs, bgsaveDuring, bgsaveTookMs };
}

suite('rdb-key-save-delay (native, vs real redis-server)', () => {
  it('slows the diskless transfer and the BGSAVE child: ROLE says sync meanwhile', async () => {
    const [real, ours] = await Promise.all([observeDisklessSync('real'), observeDisklessSync('ours')]);
    expect(real.during).toEqual({ role: 'sync', link: 'down', bgsave: '1', state: 'wait_bgsave' });
    expect(ours.during).toEqual(real.during);
    expect(ours.keys).toBe('10');
    expect(ours.bgsaveDuring).toBe('1');
    expect(real.bgsaveDuring).toBe('1');
    // 10 keys x 120 ms: neither finishes much sooner than 1.2 s.
    for (const r of [real, ours]) {
      expect(r.tookMs).toBeGreaterThan(1000);
      expect(r.bgsaveTookMs).toBeGreaterThan(1000);
    }
  }, 30_000);
});
