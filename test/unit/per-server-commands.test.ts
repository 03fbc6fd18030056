/**
 * Several servers share one JS context in the simulation's inline runtime (and in tests): their
 * command tables must not share state, or INFO commandstats and renames would leak between
 * processes and break the inline/worker equivalence.
 */
import { it, expect, afterEach } from 'vitest';
import { startOurRedis, type OurRedis } from '../support/our-server';

const running: OurRedis[] = [];
afterEach(async () => { for (const r of running.splice(0)) await r.stop(); });

it('command statistics are per server', async () => {
  const a = await startOurRedis();
  running.push(a);
  const b = await startOurRedis();
  running.push(b);
  const ca = await a.client();
  const cb = await b.client();
  for (let i = 0; i < 5; i++) await ca.call('SET', `k${i}`, 'v');
  expect(await ca.call('INFO', 'commandstats')).toMatch(/cmdstat_set:calls=5,/);
  expect(await cb.call('INFO', 'commandstats')).not.toMatch(/cmdstat_set:/);
  expect(a.server.table.get('set')).not.toBe(b.server.table.get('set'));
  ca.close();
  cb.close();
});

it('the cross-protocol warning is rate-limited per server, not per JS context', async () => {
  const servers = [await startOurRedis(), await startOurRedis()];
  running.push(...servers);
  for (const s of servers) {
    const c = await s.client();
    c.write('POST / HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => s.log.join('').includes('Possible SECURITY ATTACK detected'), { timeout: 2000 }).toBe(true);
    c.close();
  }
});
