/**
 * System commands against this machine's bash and coreutils where their output does not depend
 * on the machine: `date` on given dates (UTC, as the simulated hosts keep it), `kill -l`, and
 * their usage errors. Same lines, same bytes, same exit statuses.
 */
import { describe, it } from 'vitest';
import { useShellDifferential } from './shell-differential';

const { expectSame } = useShellDifferential('shell-sys');

describe('date (differential)', () => {
  it('formats of given dates, and option and operand errors', async () => {
    await expectSame([
      "date -u -d '2024-05-01 10:00:00' '+%F %T'", 'date -u -d 2024-05-01 +%Y%m%d%H', 'date -u -d @0', 'date -u -d @1714557600 +%s',
      'date -u -d 2024-05-01 +%A', 'date -u --date=2024-05-01 +%j', 'date -u -d2024-05-01 +%D', 'date -u -R -d @0', 'date -u -I -d @0',
      'date -d', 'date --date', 'date +%F +%T', 'date -R +%F', 'date foo bar', 'date -u +%F foo', 'date foo', 'date -x', "date -d 'bogus'",
      'date -u -d @0 -d @86400 +%F',
    ]);
  });
});

describe('kill -l (differential)', () => {
  it('the signal table, names and numbers, usage', async () => {
    await expectSame([
      'kill -l', 'kill -L', 'kill -l 9', 'kill -l KILL', 'kill -l SIGTERM', 'kill -l 137', 'kill -l foo', 'kill -l 9 15 hup', 'kill -l 0',
      'kill', 'kill -9', 'kill -s', 'kill -s FOO 1', 'kill -FOO 1', 'kill abc',
    ]);
  });

  it('every standard signal by name and number, the real-time ones, the pseudo-signals, bad specifications', async () => {
    await expectSame([
      'kill -l 21', 'kill -l SIGTTIN', 'kill -l ttin', 'kill -l sigttin', 'kill -l 149', 'kill -l 16 STKFLT 29 IO 30 PWR 31 SYS',
      'for n in $(seq 1 31); do kill -l $n; done', 'for s in $(kill -l | tr -s "\t " "\n\n" | grep ^SIG); do kill -l $s; done',
      'kill -l 32 33 34 50 64 65 128 160 192 193', 'kill -l RTMIN SIGRTMAX RTMIN+1 RTMAX-1', 'kill -l 0 EXIT exit', 'kill -l SIG sig SIGSIGHUP',
      'kill -s BOGUS 1', 'kill -BOGUS 1', 'kill -n 99 1', 'kill -99 1', 'kill -s "" 1', 'kill -n', 'kill -s TTIN abc',
    ]);
  });

  it('reads its options as bash does (-l anywhere, -sSIG, -nNUM, --, -N once a signal is named), fails only if every operand did', async () => {
    await expectSame([
      'kill -; echo $?', 'kill - 1; echo $?', 'kill -9 -l; echo $?', 'kill -HUP -l 1; echo $?', 'kill -x -l; echo $?', 'kill -sFOO 1; echo $?',
      'kill -n99 1; echo $?', 'kill -sHUP; echo $?', 'kill -xyz 1; echo $?', 'kill --; echo $?', 'kill -?; echo $?',
      'kill -0 -- $$; echo $?', 'kill -0 $$ -1234567; echo $?', 'kill -0 -9999999; echo $?', 'kill -0 -- -999999 $$; echo $?',
      'kill -0 x $$; echo $?', 'kill -0 x y; echo $?', 'kill -0 %4 $$; echo $?', 'kill -s0 -999999; echo $?',
    ]);
  });
});

describe('trap and wait (differential)', () => {
  it('trap -l, signal specifications trap takes and refuses; wait on what is no child', async () => {
    await expectSame([
      'trap -l', 'trap "echo x" BOGUS TERM', 'trap "" debug err Return exit sigexit SIGDEBUG', 'trap "" 32 33 64 65 sigrtmin', 'trap - 99 INT',
      'trap -- "" USR1 21 sigttou', 'wait 999999', 'wait abc', 'wait %3',
      // A non-interactive bash reports the signal on stderr (bash: line 1: PID User defined signal 1 …), the simulated shell does not.
      'sleep 0.1 & p=$!; kill -USR1 $p; wait $p 2>/dev/null; echo $?', 'sleep 0.1 & p=$!; kill -s ALRM $p; wait $p 2>/dev/null; echo $?',
      'sleep 0.1 & p=$!; kill -n 12 $p; wait $p 2>/dev/null; echo $?', 'sleep 0.1 & p=$!; kill -HUP $p; wait $p 2>/dev/null; echo $?',
      'sleep 0.1 & p=$!; kill -0 $p; echo $?; kill -s EXIT $p; echo $?; wait $p; echo $?', '(exit 3) & p=$!; sleep 0.1; wait $p; echo $?',
    ]);
  });
});
