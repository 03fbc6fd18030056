/**
 * A script's list of background jobs against this machine's bash 5.2: `jobs` shows the ended
 * ones once (`Done`, no `&`; `+` on the current job, `-` on the previous one) and then forgets
 * them, `wait` forgets those it waited for (their statuses stay for `wait PID`), and a job's
 * number is free again once no later job holds one. A script that starts thousands of jobs and
 * never waits keeps a bounded list.
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
};

const { expectSame } = useShellDifferential('shell-script-jobs', FILES);

describe('a script\'s background jobs (differential)', () => {
  it('are listed once ended, then forgotten, as are those waited for', async () => {
    await expectSame(['bash jobs.sh; echo "rc=$?"']);
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
