/**
 * File permissions: chmod (octal and symbolic), ls -l / stat showing them, cp keeping them, and
 * running a script by path needing an x bit — the same lines in the simulated shell and in the
 * machine's bash and coreutils (in a fresh temporary directory each), compared byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { world } from './helpers';
import { promptStyle } from './shell-differential';

const SETUP = "printf 'b 2\\n' > f.txt && printf 'echo ran $1\\n' > s.sh && mkdir -p d/e && echo x > d/e/y";

function realBash(line: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'halab-modes-'));
  try {
    return execFileSync('bash', ['--norc', '-c', `${SETUP}\n{ ${line}\n} 2>&1`], { cwd: dir, encoding: 'latin1', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' } });
  } catch (e) {
    return (e as { stdout: string }).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CASES = [
  './s.sh; echo $?; chmod +x s.sh; ./s.sh one; ls -l s.sh | cut -c1-10',
  'chmod 600 f.txt; ls -l f.txt | cut -c1-10; chmod u+x,g+w f.txt; ls -l f.txt | cut -c1-10; chmod a=r f.txt; ls -l f.txt | cut -c1-10',
  'chmod go-rx d; ls -ld d | cut -c1-10; chmod -R 700 d; ls -l d | tail -1 | cut -c1-10; ls -ld d/e/y | cut -c1-10',
  'chmod; chmod 755; chmod abc f.txt; chmod 755 nofile; echo $?',
  'chmod =rw f.txt; stat -c "%a %A" f.txt; chmod -w f.txt; stat -c %a f.txt; chmod +X f.txt; stat -c %a f.txt; chmod +X d; stat -c %a d',
  'chmod +x f.txt; [[ -x f.txt ]] && echo exec; test -x s.sh || echo not-exec; cp f.txt h.txt; stat -c %a h.txt; cp -r d d2; stat -c %a d2/e',
  'chmod 4755 f.txt; stat -c "%a %A" f.txt; chmod 1777 d; stat -c "%a %A" d; chmod 2640 s.sh; stat -c "%A" s.sh',
  'chmod o+w,u-w,g=x f.txt; stat -c %A f.txt; chmod 0 f.txt; ls -l f.txt | cut -c1-10; cat f.txt',
];

describe('file permissions, the same as real bash and coreutils', () => {
  it.each(CASES)('%s', async (line) => {
    const w = world();
    await w.exec('redis-1', `mkdir -p /tmp/m && cd /tmp/m && ${SETUP}`);
    const sim = (await w.exec('redis-1', `cd /tmp/m; ${line}`)).output;
    // bash -c names its errors `bash: line 2: `; a line run in the simulation reads as typed (`bash: `).
    expect(promptStyle(sim)).toBe(promptStyle(realBash(line)));
  });
});
