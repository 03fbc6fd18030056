/**
 * A BGSAVE child is a process of the server's own: `pgrep -P <server pid>` finds it and a
 * `kill -9` from outside fails the save (rdb_last_bgsave_status:err, writes refused with
 * MISCONF), as Redis's integration/rdb "failed bgsave prevents writes" does. Our native host
 * runs the child inside the Node process and gives it a real stand-in process; before, the
 * child had a made-up pid nobody could find or kill. Side by side with the real redis-server,
 * each as its own process.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { haveRealRedis, OUR_SERVER_COMMAND, REAL_REDIS, startServerProcess } from '../support/real-redis';
import { closedAfterAll, cmd, info, waitFor, text } from '../replication/helpers';

const suite = haveRealRedis() ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

function childPids(pid: number): number[] {
  const r = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

async function killedBgsave(command: string[]) {
  // stop-writes-on-bgsave-error acts only where save points are set.
  const s = await startServerProcess(command, ['--save', '900 1']);
  stops.push(() => s.stop());
  const c = await s.client();
  clients.push(c);
  for (let i = 0; i < 20; i++) await cmd(c, 'SET', `k${i}`, 'v');
  // 20 keys x 10 s: the child would run for minutes.
  await cmd(c, 'CONFIG', 'SET', 'rdb-key-save-delay', '10000000');
  const before = childPids(s.proc.pid!);
  await cmd(c, 'BGSAVE');
  let children: number[] = [];
  await waitFor('a child process', () => (children = childPids(s.proc.pid!).filter((p) => !before.includes(p))).length === 1, 5000);
  process.kill(children[0], 'SIGKILL');
  await waitFor('bgsave over', async () => (await info(c, 'persistence')).rdb_bgsave_in_progress === '0', 5000);
  const p = await info(c, 'persistence');
  const set = text(await cmd(c, 'SET', 'x', 'y'));
  await cmd(c, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
  await cmd(c, 'BGSAVE');
  await waitFor('bgsave over', async () => (await info(c, 'persistence')).rdb_bgsave_in_progress === '0', 5000);
  const after = text(await cmd(c, 'SET', 'x', 'y'));
  return { status: p.rdb_last_bgsave_status, set: set.split(' ')[0], after, leftOver: childPids(s.proc.pid!).filter((q) => !before.includes(q)).length };
}

suite('a forked BGSAVE child is a real process (native, vs real redis-server)', () => {
  it('pgrep -P finds it, kill -9 fails the save and writes get MISCONF until a save succeeds', async () => {
    const [real, ours] = await Promise.all([killedBgsave([REAL_REDIS!]), killedBgsave(OUR_SERVER_COMMAND)]);
    expect(real).toEqual({ status: 'err', set: 'MISCONF', after: 'OK', leftOver: 0 });
    expect(ours).toEqual(real);
  }, 40_000);
});
