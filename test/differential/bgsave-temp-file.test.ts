/**
 * A BGSAVE child creates temp-<pid>.rdb before it writes the first key (rdbSave opens it, then
 * saves key by key), so during a slow save (rdb-key-save-delay) the temp file is there; a
 * SHUTDOWN NOSAVE kills the child and deletes it (unit/shutdown "Temp rdb will be deleted if we
 * use bg_unlink when shutdown"). Ours wrote the whole file only when the child's time was up.
 */
import { it, expect } from 'vitest';
import * as fs from 'node:fs';
import { describeDifferential } from '../support/differential';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const temps = (dir: string) => fs.readdirSync(dir).filter((f) => /^temp-\d+\.rdb$/.test(f)).length;

describeDifferential('BGSAVE temp file (differential)', (pair) => {
  it('exists while a slow child saves, and SHUTDOWN NOSAVE removes it', async () => {
    const p = pair();
    const seen: number[][] = [];
    for (const [srv, c] of [[p.real, p.realClient], [p.ours, p.ourClient]] as const) {
      for (let i = 0; i < 20; i++) await c.call('SET', `k${i}`, 'v');
      await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '100000');
      await c.call('BGSAVE');
      await sleep(150);
      const during = temps(srv.dir);
      c.write('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
      await c.readUntilClose(3000);
      await sleep(100);
      seen.push([during, temps(srv.dir), fs.existsSync(`${srv.dir}/dump.rdb`) ? 1 : 0]);
    }
    expect(seen[0]).toEqual([1, 0, 0]);
    expect(seen[1]).toEqual(seen[0]);
  });
});
