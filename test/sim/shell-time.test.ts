/**
 * The `time` keyword against this machine's bash. Where the numbers are fixed (formats that
 * print no measured time, errors, statuses, TIMEFORMAT empty) the bytes must be bash's; where
 * they are measured, bash's output must have the shape we check and the simulation, whose time
 * is virtual, must give the exact elapsed time (`time sleep 1`: real 1.000s).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';
import { formatTimes } from '../../src/sim/shell/time-format';

const { expectSame, sim, harness } = useShellDifferential('shell-time');

/** What real bash writes for `script` (stdout and stderr together). */
function realBash(script: string): string {
  const r = spawnSync('bash', ["-c", `{ ${script}; } 2>&1`], { encoding: 'latin1', timeout: 20_000 });
  return r.stdout;
}

describe('time, against bash', () => {
  it('formats without measured numbers, bad format characters, statuses', async () => {
    await expectSame([
      "TIMEFORMAT='%%|x%'; time true",
      "TIMEFORMAT='a\\tb\\n'; time true; echo \"st=$?\"",
      "TIMEFORMAT='%q'; time true; echo \"st=$?\"",
      "TIMEFORMAT='%lP'; time echo hi",
      "TIMEFORMAT='%0P'; time true",
      "TIMEFORMAT='%3lX'; time true",
      "TIMEFORMAT=; time (exit 3); echo \"st=$?\"; time ! true; echo \"st=$?\"; time false | true; echo \"st=$?\"",
      "TIMEFORMAT=; time echo out 2>/dev/null; time { echo a; echo b; } | cat",
      // (`time -p` ignores TIMEFORMAT and prints measured seconds, which a loaded machine can
      // make 0.01: its shape is checked below.)
      "TIMEFORMAT='ok'; time true 2>/dev/null; time true 2>/dev/null | cat",
      "f() { time \"$@\"; }; TIMEFORMAT=T; f echo x; type f",
      "TIMEFORMAT=T; ! time true; echo \"st=$?\"; ! ! true; echo \"st=$?\"; time time true; time -p ! false; echo \"st=$?\"",
    ]);
  });

  it('the default format and -p: bash measures, the simulation gives the virtual time exactly', async () => {
    const shapes: [string, RegExp, string][] = [
      ['time sleep 0.2', /^\nreal\t0m0\.2\d\ds\nuser\t0m0\.\d{3}s\nsys\t0m0\.\d{3}s\n$/, '\nreal\t0m0.200s\nuser\t0m0.000s\nsys\t0m0.000s\n'],
      ['time -p sleep 0.2', /^real 0\.2\d\nuser 0\.\d\d\nsys 0\.\d\d\n$/, 'real 0.20\nuser 0.00\nsys 0.00\n'],
      ["TIMEFORMAT='%R %1R %0lR %2lU %S|%P'; time sleep 0.2 | cat", /^0\.2\d\d 0\.2 0m0s 0m0\.\d\ds 0\.\d{3}\|\d+\.\d\d\n$/, '0.200 0.2 0m0s 0m0.00s 0.000|0.00\n'],
    ];
    for (const [script, shape, ours] of shapes) {
      expect(realBash(script), script).toMatch(shape);
      expect((await sim(script)).output, script).toBe(ours);
    }
  });

  it('time sleep 1 takes exactly one virtual second; minutes in the long format', async () => {
    expect((await sim('time sleep 1')).output).toBe('\nreal\t0m1.000s\nuser\t0m0.000s\nsys\t0m0.000s\n');
    const long = await harness().w.exec('redis-1', "TIMEFORMAT='%lR %R %3lS'; time sleep 61.5", { timeoutMs: 120_000 });
    expect(long.output).toBe('1m1.500s 61.500 0m0.000s\n');
  });

  it("a program's start and its system calls are CPU time: redis-cli PING costs ~2 ms user and ~2 ms sys, so a loop of them runs a few hundred a second", async () => {
    const w = harness().w;
    await w.exec('redis-1', 'redis-server --port 6390 --save "" --daemonize yes');
    // Its start (exec-cost.ts), then connect, one write and one read (client-cpu-cost.ts).
    expect((await w.exec('redis-1', "TIMEFORMAT='%3U %3S'; time redis-cli -p 6390 ping")).output).toBe('PONG\n0.001 0.002\n');
    const loop = await w.exec('redis-1', "TIMEFORMAT='%R %U %S'; time for i in $(seq 1 100); do redis-cli -p 6390 set k$i v > /dev/null; done");
    const [real, user, sys] = loop.output.trim().split(' ').map(Number);
    expect(user).toBeCloseTo(0.170, 2);
    expect(sys).toBeCloseTo(0.231, 2);
    expect(real).toBeGreaterThanOrEqual(user + sys);
    expect(real).toBeLessThan(0.6);
    await w.exec('redis-1', 'redis-cli -p 6390 shutdown');
  });

  it('formats as bash: truncated digits, precision at most 3, P with two decimals', () => {
    expect(formatTimes('%R %0R %1R %2lR %lR %4R %9lU', 61_239, 5, 0)).toEqual({ text: '61.239 61 61.2 1m1.23s 1m1.239s 61.239 0m0.005s\n' });
    expect(formatTimes('%P', 1000, 250, 125)).toEqual({ text: '37.50\n' });
    expect(formatTimes('x%5', 0, 0, 0)).toEqual({ badChar: '\0' });
  });
});
