/**
 * oom-score-adj: on Linux the server writes its own /proc/<pid>/oom_score_adj from
 * oom-score-adj-values (master, replica, background child), relative to the score it started
 * with or absolute, restores that score when turned off, and a forked child (BGSAVE) sets its
 * own. Our native host does it through the Os (Node's process, the child's stand-in process).
 * Side by side with the real redis-server, each as its own process (unit/oom-score-adj).
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { haveRealRedis, OUR_SERVER_COMMAND, REAL_REDIS, startServerProcess } from '../support/real-redis';
import { closedAfterAll, cmd, waitFor, text } from '../replication/helpers';

const suite = haveRealRedis() && process.platform === 'linux' ? describe : describe.skip;

const { stops, clients } = closedAfterAll();

const score = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/oom_score_adj`, 'latin1'));

async function scenario(command: string[]): Promise<(string | number)[]> {
  const s = await startServerProcess(command);
  stops.push(() => s.stop());
  const c = await s.client();
  clients.push(c);
  const pid = s.proc.pid!;
  const seen: (string | number)[] = [];
  // The score the process starts with (inherited from the test runner) is the relative base.
  fs.writeFileSync(`/proc/${pid}/oom_score_adj`, '5\n');
  await cmd(c, 'CONFIG', 'SET', 'oom-score-adj-values', '10 20 30');
  seen.push(score(pid), text(await cmd(c, 'CONFIG', 'SET', 'oom-score-adj', 'yes')), score(pid));
  await cmd(c, 'CONFIG', 'SET', 'oom-score-adj-values', '15 20 30');
  seen.push(score(pid));
  await cmd(c, 'REPLICAOF', '127.0.0.1', '1');
  seen.push(score(pid));
  await cmd(c, 'REPLICAOF', 'NO', 'ONE');
  seen.push(score(pid));
  await cmd(c, 'CONFIG', 'SET', 'oom-score-adj', 'absolute');
  seen.push(score(pid));
  // A value past 1000 is clamped; out of range is refused.
  await cmd(c, 'CONFIG', 'SET', 'oom-score-adj-values', '1500 20 30');
  seen.push(score(pid), text(await cmd(c, 'CONFIG', 'SET', 'oom-score-adj-values', '2001 0 0')));
  await cmd(c, 'CONFIG', 'SET', 'oom-score-adj-values', '15 20 30', 'oom-score-adj', 'relative');
  // The BGSAVE child sets its own score (its class: the third value).
  await cmd(c, 'SET', 'k', 'v');
  await cmd(c, 'CONFIG', 'SET', 'rdb-key-save-delay', '1000000');
  await cmd(c, 'BGSAVE');
  // The child is the server's child process whose score became 35 (polled: under load the
  // child can take a moment to start, and pgrep may list another child first).
  let child = 0;
  const children = () => spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
  const scoreOrNull = (p: number) => { try { return score(p); } catch { return null; } };
  await waitFor(`the child's score (${command[0]})`, () => (child = children().find((p) => scoreOrNull(p) === 35) ?? 0) > 0, 10_000);
  seen.push(score(child), score(pid));
  await cmd(c, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
  process.kill(child, 'SIGKILL');
  // Off: the score from before is put back once; then the file is left alone.
  await cmd(c, 'CONFIG', 'SET', 'oom-score-adj', 'no');
  seen.push(score(pid));
  fs.writeFileSync(`/proc/${pid}/oom_score_adj`, '7\n');
  await cmd(c, 'CONFIG', 'SET', 'oom-score-adj-values', '1 1 1');
  seen.push(score(pid));
  return seen;
}

suite('oom-score-adj writes /proc/<pid>/oom_score_adj (native, vs real redis-server)', () => {
  it('relative and absolute, replica class, clamping, the BGSAVE child, restored when off', async () => {
    const [real, ours] = await Promise.all([scenario([REAL_REDIS!]), scenario(OUR_SERVER_COMMAND)]);
    expect(real).toEqual([5, 'OK', 15, 20, 25, 20, 15, 1000,
      "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - Invalid oom-score-adj-values, elements must be between -2000 and 2000.",
      35, 20, 5, 7]);
    expect(ours).toEqual(real);
  }, 40_000);
});
