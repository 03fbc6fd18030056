/**
 * The file commands (ls, cp, mv, rm, mkdir, head, tail, cat) against this machine's GNU
 * coreutils: the same lines in the simulated shell and in the real bash, over the same files,
 * compared byte for byte with their exit statuses. Times differ (virtual clock against the real
 * one), so long listings are cut before the date. Lines that change files use names of their
 * own (the real lines run side by side).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ShellDifferential } from './shell-differential';

const FILES: Record<string, string> = {
  'redis.conf': 'port 6379\nbind 127.0.0.1\nappendonly no\n',
  'log.txt': 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n',
  'noeol.txt': 'one\ntwo',
  'run.sh': 'echo run\n',
  'data/dump.rdb': 'REDIS0009xxx',
  'data/sub/x.aof': '*1\r\n$4\r\nPING\r\n',
  'backup/20240101/dump.rdb': 'old',
  'backup/20240102/dump.rdb': 'old2',
};

let t: ShellDifferential;

beforeAll(() => {
  t = new ShellDifferential('shell-files', FILES);
});

afterAll(() => t.dispose());

const expectSame = (cmds: string[]) => t.expectSame(cmds);

describe('ls (differential)', () => {
  it('operands: files first, then directories in order, named when there are several', async () => {
    await expectSame([
      'ls data backup', 'ls backup data redis.conf', 'ls nope data', 'ls -l nope data | head -2', 'ls -d data backup', 'ls -1 data backup',
      'ls -R data', 'ls -a data', 'ls -r backup data',
    ]);
  });

  it('-h sizes, -S, -F and -p', async () => {
    await expectSame([
      "ls -lh data | awk '{print $1, $2, $5, $NF}'", "ls -lh data/dump.rdb | awk '{print $5, $NF}'", 'ls -S data', 'ls -Sr data', 'ls -F data', 'ls -p data',
      'ls -F run.sh', 'cp run.sh run2.sh && chmod +x run2.sh && ls -F run2.sh', "ls -lF data | awk '{print $1, $5, $NF}'", "ls -lSh backup/20240101 data | awk '{print $1, $5, $NF}'",
    ]);
  });
});
