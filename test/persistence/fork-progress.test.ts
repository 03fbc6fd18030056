/**
 * A background save's progress in INFO persistence (current_save_keys_processed,
 * current_fork_perc): the child reports how many keys it wrote about once a second, in steps of
 * 1024 keys, and the parent shows the last report until the child is done.
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim/world';

function field(info: string, name: string): string {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  expect(m, name).not.toBeNull();
  return m![1].trim();
}

describe('fork progress in INFO persistence', () => {
  for (const [what, command, inProgress] of [
    ['BGSAVE', 'bgsave', 'rdb_bgsave_in_progress'],
    ['BGREWRITEAOF', 'bgrewriteaof', 'aof_rewrite_in_progress'],
  ] as const) {
    it(`${what}: keys processed in steps of 1024 about once a second, and the percentage of the total`, async () => {
      const w = new World({ seed: 3, hosts: [{ name: 'h', ip: '10.0.0.1' }] });
      await w.exec('h', 'redis-server --save "" --logfile /var/log/r.log --rdb-key-save-delay 200 --enable-debug-command yes &');
      await w.advance(200);
      expect((await w.exec('h', 'redis-cli debug populate 20000')).output).toBe('OK\n');
      const info = async () => (await w.exec('h', 'redis-cli info persistence')).output;
      expect(field(await info(), 'current_save_keys_processed')).toBe('0');
      await w.exec('h', `redis-cli ${command}`);
      // 20000 keys at 200 µs each: about 4 s of work.
      await w.advance(500);
      let i = await info();
      expect(field(i, inProgress)).toBe('1');
      expect(field(i, 'current_save_keys_total')).toBe('20000');
      expect(field(i, 'current_save_keys_processed')).toBe('0');
      expect(field(i, 'current_fork_perc')).toBe('0.00');
      const seen: number[] = [];
      for (let s = 0; s < 3; s++) {
        await w.advance(1000);
        i = await info();
        const processed = Number(field(i, 'current_save_keys_processed'));
        expect(processed % 1024).toBe(0);
        expect(field(i, 'current_fork_perc')).toBe(((processed / 20000) * 100).toFixed(2));
        seen.push(processed);
      }
      expect(seen[0]).toBeGreaterThan(0);
      expect(seen[2]).toBeGreaterThan(seen[0]);
      expect(seen[2]).toBeLessThan(20000);
      await w.advance(3000);
      i = await info();
      expect(field(i, inProgress)).toBe('0');
      expect(field(i, 'current_save_keys_processed')).toBe('0');
      expect(field(i, 'current_save_keys_total')).toBe('0');
      expect(field(i, 'current_fork_perc')).toBe('0.00');
      w.dispose();
    });
  }
});
