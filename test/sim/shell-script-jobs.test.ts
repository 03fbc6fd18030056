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
import { typeAndRun, world } from './helpers';

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
  // `kill %N`: a job missing, ambiguous (by the start of its command or a part of it), every
  // process of a pipeline's job.
  'kill.sh': [
    'sleep 1 & sleep 2 | cat &',
    'kill %4; echo "k $?"; kill %sl; echo "k2 $?"; kill -0 %; echo "k3 $?"',
    'kill %2; echo "k4 $?"; sleep 0.1; jobs',
    // A `%?text` that more than one job's command holds is named without its `?`.
    'sleep 1 & sleep 2 &',
    'kill %?ee; echo "k5 $?"; wait %?ee; echo "w $?"; jobs %?ee; echo "j $?"; jobs -x echo %?ee; echo "x $?"',
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
  // `jobs -x command [args]`: jobspecs become the job's process group (without job control, the
  // script's own: not $!), the command runs as a function, a builtin or a program, traced; a
  // word naming no job stays as it is; -x after -l/-n/-p fails, an invalid letter after it too.
  'jobs-x.sh': [
    'sleep 2 &',
    'f() { echo "fn $*"; }',
    'jobs -x f %1 \'%1\' "a b" | sed "s/[0-9][0-9]*/N/g"',
    'jobs -x jobs -x echo %1 | sed "s/[0-9][0-9]*/N/"',
    'jobs -x nosuch %1; echo "ns $?"',
    'jobs -x -- echo %1 | sed "s/[0-9][0-9]*/N/"',
    'jobs -x -n echo; echo $?; jobs -xn echo; echo $?; jobs -nx echo; echo $?; jobs -rx echo; echo $?; jobs -x -x echo; echo $?',
    'jobs -x -z echo; echo $?; jobs -l -z -x echo; echo $?; jobs -px echo; echo $?; jobs -x; echo $?',
    'x=$(jobs -x echo %1); [ "$x" = "$(ps -o pgid= -p $$ | tr -d \' \')" ] && echo group; [ "$x" != "$!" ] && echo not-the-job',
    'sleep 0.6 & jobs -x echo %sl %- %+ % | sed "s/[0-9][0-9]*/N/g"; echo $?',
    'sleep 0.05 & sleep 0.4; jobs -x echo %3 | sed "s/[0-9][0-9]*/N/g"; jobs',
    'jobs -x echo %3 %?zz %zz %9',
    'jobs -x false; echo $?',
    'jobs -x exit 3',
    'echo after',
    '',
  ].join('\n'),
  // A script's `jobs` cleans up before it lists, so an ended job it listed is still there for the
  // rest of the line (`jobs %N` cleans up after its job); the next line read drops it.
  'listed.sh': [
    'sleep 0.05 & sleep 0.4; jobs; jobs -x echo %1 >/dev/null && echo kept; jobs %1',
    'jobs %1; echo "next $?"',
    'sleep 0.1 & sleep 0.4; jobs %1; jobs %1; echo "again $?"',
    '',
  ].join('\n'),
  // In a $(…), ended jobs are forgotten unseen but that of the last `&`; ones it cannot reap
  // (they are its parent's children) stay Running; with %+ or %- forgotten, the newest running
  // job is %+, or no job is.
  'subst.sh': [
    'sleep 0.1 & sleep 0.11 & x=$(sleep 0.4; jobs); echo "[$x]"',
    'sleep 0.1 & sleep 0.11 & sleep 0.4; x=$(jobs); echo "[$x]"',
    'sleep 0.1 & sleep 0.11 & sleep 0.4; x=$(true; jobs); echo "[$x]"',
    'sleep 0.1 & sleep 0.11 & sleep 0.4',
    'x=$(echo',
    'jobs); echo "[$x]"',
    'sleep 0.1 & sleep 0.3 & y=$(sleep 0.2; kill -9 %2; sleep 0.2; jobs); echo "[$y]"; jobs',
    '',
  ].join('\n'),
  // With job control (set -m) each job is a process group of its own, named by its first process.
  'jobs-x-m.sh': [
    'set -m',
    'sleep 0.3 & p=$!',
    'sleep 0.3 | sleep 0.3 & q=$!',
    '[ "$(jobs -x echo %1)" = "$p" ] && echo own-group',
    '[ "$(jobs -x echo %2)" = "$(jobs -p %2)" ] && [ "$(jobs -p %2)" != "$q" ] && echo first-of-pipe',
    '[ "$(ps -o pgid= -p $p | tr -d \' \')" = "$p" ] && echo ps-group',
    '( sleep 0.3 ) & r=$!',
    '[ "$(jobs -x echo %3)" = "$r" ] && echo sub-group',
    '[ "$(ps -o pgid= -p $$ | tr -d \' \')" != "$p" ] && echo shell-elsewhere',
    'wait',
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

  it('listed by `jobs` stay until the next cleanup, which `jobs %N` does at once', async () => {
    await expectSame(['bash listed.sh']);
  });

  it('are forgotten in a $(…) once ended, but for the last one started', async () => {
    await expectSame(['bash subst.sh', 'bash -c "$(cat subst.sh)"']);
  });

  it('under bash -c are forgotten at the next look once ended, said of only when a signal killed them', async () => {
    await expectSame([
      'bash -c \'sleep 0.1 & sleep 0.5; jobs; wait %1; echo $?\'',
      'bash -c \'sleep 0.1 & sleep 0.5; wait %1; echo $?; wait %1; echo $?; wait $!; echo "pid $?"\'',
      'bash -c \'(exit 3) & sleep 0.3; wait %1; echo "e $?"; wait $!; echo "e2 $?"\'',
      'bash -c \'sleep 0.1 & sleep 0.5 & wait %2; jobs; echo "[$(jobs)]"\'',
      'bash -c \'sleep 0.1 & sleep 0.11 & sleep 0.5; echo "[$(jobs)]"\'',
      'bash -c \'sleep 0.1 & x=1; sleep 1 & y=$(sleep 0.4); jobs\'',
      'bash -c \'sleep 0.1 & sleep 0.7 & (sleep 0.4; jobs; echo --; sleep 0.6; jobs)\'',
      'bash -c \'sleep 2 & p=$!; sleep 0.05; kill -9 $p; sleep 0.3; echo x; jobs\' 2>&1 | sed "s/: *[0-9]* Killed/: PID Killed/"',
      'bash -c \'sleep 0.1 & sleep 0.5\njobs; echo "[$?]"\'',
    ]);
  });

  it('are named by their process group in `jobs -x command`, which runs the command', async () => {
    await expectSame([
      'bash jobs-x.sh; echo "rc=$?"',
      'bash -c \'sleep 0.5 & set -x; jobs -x echo %1 x >/dev/null\' 2>&1 | sed "s/[0-9][0-9]*/N/g"',
      'bash jobs-x-m.sh',
    ]);
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

describe('`jobs -x` at the prompt', () => {
  it('names a job by its own process group, which job control made its first process\'s', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    await typeAndRun(w, t, 'sleep 5 | sleep 5 &', 50);
    const out = await typeAndRun(w, t, 'jobs -x echo %1; jobs -p; ps -o pgid= -p $$', 50);
    const [group, first, shellGroup] = out.split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l));
    expect(group).toBe(first);
    expect(shellGroup).not.toBe(group);
  });

  it('kill -- -PGID signals every process of the group', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    await typeAndRun(w, t, 'sleep 5 | sleep 6 &', 50);
    const out = await typeAndRun(w, t, 'g=$(jobs -p); kill -- -$g; echo "k $?"', 50);
    expect(out).toContain('k 0');
    expect(w.processes('redis-1').filter((p) => p.argv[0] === 'sleep')).toEqual([]);
    expect(await typeAndRun(w, t, 'kill -- -$g', 50)).toMatch(/kill: \(-\d+\) - No such process/);
  });
});
