/**
 * The harness of the shell's differential tests: the same files in a temporary directory and in
 * /root of a simulated host, the same command lines run by the real bash (there) and by the
 * simulated shell (here); output (stdout and stderr together, as bytes) and exit status must
 * be equal.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { World } from '../../src/sim/world';
import { world } from './helpers';

export interface Run { output: string; code: number | null }

/**
 * Errors as a line at the prompt prints them: `bash: ` where `bash -c` says `bash: line N: `.
 * The real side runs each line in a `bash -c`; a simulated world's line reads as typed. Applied
 * to both sides, as a `bash -c` the line itself runs says `line N` in both.
 */
export const promptStyle = (text: string): string => text.replace(/^bash: line \d+: /gm, 'bash: ');

export class ShellDifferential {
  readonly dir: string;
  readonly w: World = world();

  /** `files`: path (relative) → content (text, or bytes), created on both sides. */
  constructor(name: string, files: Record<string, string | Uint8Array>) {
    this.dir = mkdtempSync(join(tmpdir(), `${name}-`));
    for (const [path, text] of Object.entries(files)) this.writeBoth(path, text);
  }

  writeBoth(path: string, content: string | Uint8Array): void {
    mkdirSync(join(this.dir, path, '..'), { recursive: true });
    writeFileSync(join(this.dir, path), content);
    this.w.writeFile('redis-1', `/root/${path}`, content);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * The real bash over a batch of command lines, in one bash process (one per line would make
   * the suites slow) running two halves of the batch side by side: each line is eval'ed, its
   * stdout and stderr sharing one file so their order is kept, its status recorded after it.
   * Lines of a half share a shell, so they must not change anything but variables and scratch
   * files of their own (no cd, no exit).
   */
  real(cmds: string[]): Run[] {
    const work = mkdtempSync(join(tmpdir(), 'shell-out-'));
    try {
      const line = (c: string, i: number) => `{ eval '${c.replace(/'/g, "'\\''")}'; } >${work}/${i}.out 2>&1 </dev/null; echo $? >${work}/${i}.rc`;
      const half = Math.ceil(cmds.length / 2);
      const lines = cmds.map(line);
      const script = `( ${lines.slice(0, half).join('\n')}\n) &\n( ${lines.slice(half).join('\n') || ':'}\n) &\nwait`;
      spawnSync('bash', ['-c', script], {
        cwd: this.dir, stdio: 'ignore', timeout: 20_000,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', HOME: this.dir },
      });
      return cmds.map((_c, i) => ({
        // Byte strings, as the simulation's output is.
        output: promptStyle(readFileSync(join(work, `${i}.out`)).toString('latin1')),
        code: Number(readFileSync(join(work, `${i}.rc`), 'latin1')),
      }));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  async sim(cmd: string): Promise<Run> {
    const r = await this.w.exec('redis-1', cmd);
    return { output: promptStyle(r.output), code: r.code };
  }

  /** Every line must give the same output and status in the simulation as in the real bash. */
  async expectSame(cmds: string[]): Promise<void> {
    const expected = this.real(cmds);
    for (const [i, cmd] of cmds.entries()) expect.soft(await this.sim(cmd), cmd).toEqual(expected[i]);
  }
}

/**
 * The usual frame of a differential test file: a ShellDifferential named `name` over `files`,
 * made before the file's tests (`setup` may then add to it) and disposed after them. `harness()`
 * is that instance, for use inside tests; `expectSame` and `sim` are its methods.
 */
export function useShellDifferential(name: string, files: Record<string, string | Uint8Array> = {}, setup?: (t: ShellDifferential) => void): {
  harness: () => ShellDifferential; expectSame: (cmds: string[]) => Promise<void>; sim: (cmd: string) => Promise<Run>;
} {
  let t: ShellDifferential | undefined;
  beforeAll(() => {
    t = new ShellDifferential(name, files);
    setup?.(t);
  });
  afterAll(() => t?.dispose());
  const harness = () => {
    if (!t) throw new Error(`${name}: the differential harness is made in beforeAll, used only in tests`);
    return t;
  };
  return { harness, expectSame: (cmds) => harness().expectSame(cmds), sim: (cmd) => harness().sim(cmd) };
}
