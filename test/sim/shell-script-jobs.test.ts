/**
 * A script's list of background jobs against this machine's bash 5.2: `jobs` shows the ended
 * ones once (`Done`, no `&`; `+` on the current job, `-` on the previous one) and then forgets
 * them, `wait` forgets those it waited for (their statuses stay for `wait PID`), and a job's
 * number is free again once no later job holds one. A script that starts thousands of jobs and
 * never waits keeps a bounded list. `jobs` in a pipeline or a $(…) sees the script's jobs;
 * `jobs -l/-p/-n/-r`, jobspecs, `kill %N`, and a second `wait %N` before the script cleans up.
 */
import { describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';
import { world } from './helpers';

const FILES: Record<string, string> = {
  'jobs.sh': [
    'sleep 0.1 &',
    'sleep 0.1 &',
    'sleep 0.3',
    'jobs',
    'echo "--"',
    'jobs',
    'sleep 0.1 &',
    'wait',
    'jobs; echo "w $?"',
    'sleep 0.1 & p=$!; sleep 0.2; wait $p; echo "p $?"; wait $p; echo "p2 $?"; jobs; sleep 0.5 & jobs',
    'for i in 1 2 3; do sleep 0.1 & done; sleep 0.3; wait %2; echo "w2 $?"; jobs; sleep 0.2 & jobs',
    '',
  ].join('\n'),
  // `jobs` as a pipeline's command or in a $(…) lists this shell's jobs (bash's jobs_hack); in a
  // ( … ), a { …; } of a pipeline or in the background with no pipe after it, none. -p, -l, -n,
  // -r, jobspecs and a bad option.
  'listing.sh': [
    'sleep 1 &',
    'sleep 1 | cat &',
    'sleep 0.1 &',
    'sleep 0.3',
    'echo "pipe:"; jobs | cat',
    'echo "wc: $(jobs | wc -l)"',
    'echo "subst: [$(jobs)]"',
    'echo "more: [$(echo x; jobs -r)]"',
    'echo "again:"; jobs',
    'echo "none: [$( (jobs) )]"; { jobs; } | cat; jobs &',
    'wait $!',
    'echo "-p: $(jobs -p | wc -l) $(jobs -p %2 | wc -l)"',
    'jobs -l | sed -E \'s/ +[0-9]+ / PID /\'',
    'jobs -n; echo "n $?"; jobs %1 %9 %-; echo "s $?"; jobs -q; echo "q $?"',
    '',
  ].join('\n'),
  // `kill %N`: a job missing, ambiguous, every process of a pipeline's job.
  'kill.sh': [
    'sleep 1 & sleep 2 | cat &',
    'kill %4; echo "k $?"; kill %sl; echo "k2 $?"; kill -0 %; echo "k3 $?"',
    'kill %2; echo "k4 $?"; sleep 0.1; jobs',
    '',
  ].join('\n'),
  // A job `wait %1` waited for is there for a second `wait %1` until the script cleans up: it
  // waits for a child (a command, a $(…)) or starts a job.
  'wait-twice.sh': [
    '(exit 3) & sleep 0.1; wait %1; echo "e $?"; wait %1; echo "e2 $?"; true; wait %1; echo "e3 $?"; sleep 0.01; wait %1; echo "e4 $?"',
    'sleep 0.1 & sleep 0.2; wait %1; echo "f $?"; x=$(true); wait %1; echo "f2 $?"',
    'sleep 0.1 & wait %1; sleep 0.2 & jobs; wait',
    '',
  ].join('\n'),
};

const { expectSame } = useShellDifferential('shell-script-jobs', FILES);

describe('a script\'s background jobs (differential)', () => {
  it('are listed once ended, then forgotten, as are those waited for', async () => {
    await expectSame(['bash jobs.sh; echo "rc=$?"']);
  });

  it('are seen by `jobs` in a pipeline or a $(…), listed with -l, -p, -n, -r or by jobspec', async () => {
    await expectSame(['bash listing.sh']);
  });

  it('are named by `kill %N`, which says so of a missing one', async () => {
    await expectSame(['bash kill.sh']);
  });

  it('stay for a second `wait %N` until the script cleans up', async () => {
    await expectSame(['bash wait-twice.sh']);
  });
});

describe('a script starting thousands of background jobs', () => {
  it('keeps at most 4096 in its list, dropping ended ones; numbers go on', async () => {
    const w = world();
    w.writeFile('redis-1', '/root/many.sh', 'for i in $(seq 5000); do true & done\nsleep 1\njobs > /tmp/j.txt; wc -l < /tmp/j.txt; tail -1 /tmp/j.txt; true & jobs\n');
    const r = await w.exec('redis-1', 'bash many.sh');
    const [count, last, next] = r.output.split('\n');
    expect(Number(count)).toBeLessThanOrEqual(4096);
    expect(last).toBe('[5000]+  Done                    true');
    // `jobs` forgot every ended job: numbering starts again.
    expect(next).toBe('[1]+  Running                 true &');
  }, 60_000);
});
