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
