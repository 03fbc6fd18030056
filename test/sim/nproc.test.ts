/**
 * `nproc` (GNU coreutils 9.1) and the CPU files of the simulated hosts (/proc/cpuinfo,
 * /sys/devices/system/cpu): the same lines in this shell and in the real one, on a simulated host
 * with as many CPUs as this machine has.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { World } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';

const realCpus = (() => { try { return Number(execFileSync('nproc', ['--all'], { encoding: 'latin1' })); } catch { return 0; } })();
const haveRealNproc = realCpus > 0 && (() => { try { return execFileSync('nproc', ['--version'], { encoding: 'latin1' }).startsWith('nproc (GNU coreutils) 9.1'); } catch { return false; } })();

function newWorld(cpus?: number): World {
  return new World({ seed: 2, hosts: [{ name: 'h', ip: '10.0.0.1', cpus }], programs: STANDARD_PROGRAMS });
}

/** A line in the real bash (no OMP_ variables inherited), stdout and stderr together, and its status. */
function realLine(line: string): string {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
  const r = spawnSync('bash', ['-c', `{ ${line}; } 2>&1; echo "rc=$?"`], { encoding: 'latin1', env });
  return r.stdout;
}

describe('nproc and the CPU files', () => {
  it('counts the host\'s CPUs; OMP_NUM_THREADS overrides, OMP_THREAD_LIMIT caps, --ignore subtracts', async () => {
    const w = newWorld(8);
    const r = await w.exec('h', 'nproc; nproc --all; OMP_NUM_THREADS=3 nproc; OMP_NUM_THREADS=3 nproc --all; OMP_THREAD_LIMIT=5 nproc; nproc --ignore=6; nproc --ignore=20; grep -c ^processor /proc/cpuinfo; cat /sys/devices/system/cpu/online');
    expect(r.output).toBe('8\n8\n3\n8\n5\n2\n1\n8\n0-7\n');
    const one = newWorld(1);
    expect((await one.exec('h', 'nproc; cat /sys/devices/system/cpu/possible')).output).toBe('1\n0\n');
    w.dispose();
    one.dispose();
  });

  (haveRealNproc ? it : it.skip)('the same output and status as the real nproc', async () => {
    const w = newWorld(realCpus);
    const lines = [
      'nproc', 'nproc --all', 'nproc --al', 'nproc --a', 'OMP_NUM_THREADS=4 nproc', "OMP_NUM_THREADS=' 3 ' nproc", 'OMP_NUM_THREADS=5,2 nproc',
      'OMP_NUM_THREADS=0 nproc', 'OMP_NUM_THREADS=x nproc', 'OMP_NUM_THREADS=-1 nproc', 'OMP_NUM_THREADS=2x nproc', "OMP_NUM_THREADS='' nproc",
      'OMP_NUM_THREADS=99999999999999999999 nproc', 'OMP_NUM_THREADS=8 OMP_THREAD_LIMIT=3 nproc', 'OMP_THREAD_LIMIT=1 nproc',
      'OMP_THREAD_LIMIT=1 nproc --all', 'OMP_NUM_THREADS=8 nproc --all', 'nproc --ignore=1', 'nproc --ignore 5', 'nproc --ignore=x',
      'nproc --ignore=-1', "nproc --ignore=' 1'", 'nproc --ignore=+1', 'nproc --ignore=', 'nproc --ignore=99999999999999999999', 'nproc --ignore=1k',
      'nproc --ignore=0x1', 'nproc foo', 'nproc -x', 'nproc --ignore', 'nproc --all=3', 'nproc --help', 'nproc --help foo', 'nproc --version',
      'nproc --bogus', 'nproc --bogus=1', 'nproc --ignore=1 --all', 'OMP_NUM_THREADS=9 nproc --ignore=2', 'nproc x --help',
    ];
    for (const line of lines) expect((await w.exec('h', `{ ${line}; } 2>&1; echo "rc=$?"`)).output, line).toBe(realLine(line));
    w.dispose();
  });

  (haveRealNproc && fs.existsSync('/proc/cpuinfo') ? it : it.skip)('/proc/cpuinfo: one block per CPU, each line laid out as the real file\'s', async () => {
    const w = newWorld(realCpus);
    const ours = (await w.exec('h', 'cat /proc/cpuinfo')).output;
    const real = fs.readFileSync('/proc/cpuinfo', 'latin1');
    const blocks = (t: string) => t.split('\n\n').filter(Boolean);
    expect(blocks(ours)).toHaveLength(blocks(real).length);
    const labels = (t: string) => new Map(t.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(0, l.indexOf(':') + 1)] as const));
    const theirs = labels(real);
    let compared = 0;
    for (const [name, label] of labels(ours)) {
      if (!theirs.has(name)) continue;
      expect(label, name).toBe(theirs.get(name));
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
    expect((await w.exec('h', 'grep -c ^processor /proc/cpuinfo; cat /sys/devices/system/cpu/present')).output)
      .toBe(`${realCpus}\n${fs.readFileSync('/sys/devices/system/cpu/present', 'latin1')}`);
    w.dispose();
  });
});
