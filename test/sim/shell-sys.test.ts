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
});
