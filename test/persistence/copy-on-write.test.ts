/**
 * Copy-on-write while a BGSAVE child runs: the parent's writes copy pages, the child reports
 * its private memory once a second (INFO current_cow_size, current_cow_peak), and the last
 * report of a successful save stays as rdb_last_cow_size. Redis's integration/rdb "Test child
 * sending info" watches these grow. Compared with the real redis-server by shape, not by byte
 * (the real figure depends on the allocator's layout). Before, ours always said 0.
 */
import { describe, it, expect } from 'vitest';
import { startOurRedis } from '../support/our-server';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { cmd, info, waitFor, sleep, closedAfterAll } from '../replication/helpers';

const suite = haveRealRedis() ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

const FIELDS = ['current_cow_size', 'current_cow_peak', 'rdb_last_cow_size'] as const;

async function cowDuringBgsave(kind: 'real' | 'ours') {
  const s = await (kind === 'real' ? startRealRedis : startOurRedis)();
  stops.push(() => s.stop());
  const c = await s.client();
  clients.push(c);
  const value = 'A'.repeat(500);
  for (let i = 0; i < 500; i++) await cmd(c, 'SET', `key${i}`, value);
  const pick = async () => {
    const p = await info(c, 'persistence');
    return Object.fromEntries(FIELDS.map((f) => [f, Number(p[f])]));
  };
  const before = await pick();
  // 500 keys x 4 ms: a child of about 2 s.
  await cmd(c, 'CONFIG', 'SET', 'rdb-key-save-delay', '4000');
  await cmd(c, 'BGSAVE');
  for (let i = 0; i < 64; i++) await cmd(c, 'SETRANGE', `key${i}`, '0', 'B'.repeat(500));
  // The child reports once a second.
  await sleep(1300);
  const during = await pick();
  await waitFor('bgsave done', async () => (await info(c, 'persistence')).rdb_bgsave_in_progress === '0', 10_000);
  const after = await pick();
  return { before, during, after };
}

suite('copy-on-write of a BGSAVE child (vs real redis-server)', () => {
  it('grows with the writes made while the child runs, and stays as rdb_last_cow_size', async () => {
    const [real, ours] = await Promise.all([cowDuringBgsave('real'), cowDuringBgsave('ours')]);
    for (const r of [real, ours]) {
      expect(r.before).toEqual({ current_cow_size: 0, current_cow_peak: 0, rdb_last_cow_size: 0 });
      expect(r.during.current_cow_size).toBeGreaterThanOrEqual(8192);
      expect(r.during.current_cow_peak).toBeGreaterThanOrEqual(r.during.current_cow_size);
      expect(r.after.current_cow_size).toBe(0);
      expect(r.after.current_cow_peak).toBe(0);
      expect(r.after.rdb_last_cow_size).toBeGreaterThan(0);
    }
  }, 30_000);
});
