/**
 * System commands against this machine's bash and coreutils where their output does not depend
 * on the machine: `date` on given dates (UTC, as the simulated hosts keep it), `kill -l`, and
 * their usage errors. Same lines, same bytes, same exit statuses.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ShellDifferential } from './shell-differential';

let t: ShellDifferential;

beforeAll(() => {
  t = new ShellDifferential('shell-sys', {});
});

afterAll(() => t.dispose());

const expectSame = (cmds: string[]) => t.expectSame(cmds);

describe('kill -l (differential)', () => {
  it('the signal table, names and numbers, usage', async () => {
    await expectSame([
      'kill -l', 'kill -L', 'kill -l 9', 'kill -l KILL', 'kill -l SIGTERM', 'kill -l 137', 'kill -l foo', 'kill -l 9 15 hup', 'kill -l 0',
      'kill', 'kill -9', 'kill -s', 'kill -s FOO 1', 'kill -FOO 1', 'kill abc',
    ]);
  });
});
