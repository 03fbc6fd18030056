/**
 * In the simulation too, a signal's shutdown whose final save lasts (rdb-key-save-delay) still
 * handles signals during the save, as Redis's signal handler does: a second SIGINT exits at
 * once with status 1, removing the temp file. (The native host's differential test:
 * test/differential/shutdown-second-signal.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { world } from './helpers';

describe('a second SIGINT during the final save (simulation)', () => {
  it('exits at once, without the snapshot or its temp file', async () => {
    const w = world();
    // 10 keys at 100 ms each: the final save takes a second.
    await w.exec('redis-1', 'cd /tmp && redis-server --port 6390 --save "3600 1" --logfile /tmp/r.log --rdb-key-save-delay 100000 &');
    await w.advance(300);
    await w.exec('redis-1', 'for i in 0 1 2 3 4 5 6 7 8 9; do redis-cli -p 6390 set k$i v > /dev/null; done');
    const pid = w.processes('redis-1').find((p) => p.title.startsWith('redis-server'))!.pid;
    w.kill('redis-1', pid, 'SIGINT');
    await w.advance(300);
    expect((await w.exec('redis-1', 'ls /tmp')).output).toContain(`temp-${pid}.rdb`);
    w.kill('redis-1', pid, 'SIGINT');
    await w.advance(50);
    expect(w.processes('redis-1').some((p) => p.pid === pid)).toBe(false);
    expect((await w.exec('redis-1', 'ls /tmp')).output).not.toContain('.rdb');
    const log = w.readText('redis-1', '/tmp/r.log');
    expect(log).toMatch(/Saving the final RDB snapshot before exiting\.\n.*signal-handler \(\d+\) You insist\.\.\. exiting now\.\n$/);
    expect(log).not.toContain('DB saved on disk');
  });
});
