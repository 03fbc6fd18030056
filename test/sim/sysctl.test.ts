/**
 * Kernel tunables in the simulated hosts: /proc/sys files, `sysctl` in procps-ng 4.0.2's
 * formats, defaults again after a reboot unless /etc/sysctl.conf sets them, and redis-server's
 * start-up warnings about vm.overcommit_memory and net.core.somaxconn.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { World } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { OVERCOMMIT_WARNING } from '../../src/engine/server/linux-checks';

function newWorld(): World {
  return new World({ seed: 3, hosts: [{ name: 'h', ip: '10.0.0.1', dirs: ['/d'] }], programs: STANDARD_PROGRAMS });
}

/** The log lines of a redis-server started in /d, without pid and time. */
async function startupLog(w: World, extra = ''): Promise<string[]> {
  await w.exec('h', `redis-server --daemonize yes --dir /d --logfile /d/r.log --save '' ${extra}`);
  await w.advance(300);
  await w.exec('h', 'redis-cli SHUTDOWN NOSAVE');
  await w.advance(300);
  return (w.readText('h', '/d/r.log') ?? '').split('\n').filter(Boolean).map((l) => l.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ /, ''));
}

const haveRealSysctl = (() => { try { execFileSync('sysctl', ['-V']); return fs.existsSync('/proc/sys/vm/overcommit_memory'); } catch { return false; } })();
/**
 * Root on a machine whose /proc/sys takes writes: the differential test of refused writes runs
 * there, writing only values the kernel refuses, so the machine's settings never change.
 */
const canWriteRealProcSys = (() => {
  if (!haveRealSysctl) return false;
  try { execFileSync('bash', ['-c', 'echo abc > /proc/sys/vm/overcommit_memory'], { stdio: 'pipe' }); return false; } catch (e) {
    return String((e as { stderr: Buffer }).stderr).includes('Invalid argument');
  }
})();
/** Real procps sysctl's output for a read-only invocation (stdout+stderr, exit code). */
function realSysctl(args: string[]): { out: string; err: string; code: number } {
  try {
    const out = execFileSync('sysctl', args, { encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] });
    return { out, err: '', code: 0 };
  } catch (e) {
    const x = e as { stdout: string; stderr: string; status: number };
    return { out: x.stdout, err: x.stderr, code: x.status };
  }
}

describe('sysctl and /proc/sys', () => {
  it('defaults as Debian 12: overcommit 0, somaxconn 4096; cat, sysctl, -n, -N, a subtree', async () => {
    const w = newWorld();
    expect((await w.exec('h', 'cat /proc/sys/vm/overcommit_memory /proc/sys/net/core/somaxconn')).output).toBe('0\n4096\n');
    expect((await w.exec('h', 'sysctl vm.overcommit_memory net.core.somaxconn; sysctl -n vm.overcommit_memory; sysctl -N vm/overcommit_memory')).output)
      .toBe('vm.overcommit_memory = 0\nnet.core.somaxconn = 4096\n0\nvm.overcommit_memory\n');
    expect((await w.exec('h', 'sysctl -a | grep overcommit')).output).toBe('vm.overcommit_memory = 0\nvm.overcommit_ratio = 50\n');
    expect((await w.exec('h', 'sysctl vm')).output).toBe('vm.overcommit_memory = 0\nvm.overcommit_ratio = 50\nvm.swappiness = 60\n');
    w.dispose();
  });

  it('writes: -w key=value, key=value, -q, echo into the file; bad values and keys fail as procps says', async () => {
    const w = newWorld();
    let r = await w.exec('h', 'sysctl -w vm.overcommit_memory=1');
    expect(r).toMatchObject({ code: 0, output: 'vm.overcommit_memory = 1\n' });
    expect(w.readText('h', '/proc/sys/vm/overcommit_memory')).toBe('1\n');
    r = await w.exec('h', 'sysctl vm.overcommit_memory=2; sysctl -q vm.swappiness=10; cat /proc/sys/vm/overcommit_memory /proc/sys/vm/swappiness');
    expect(r.output).toBe('vm.overcommit_memory = 2\n2\n10\n');
    r = await w.exec('h', 'echo 1 > /proc/sys/vm/overcommit_memory; sysctl vm.overcommit_memory');
    expect(r.output).toBe('vm.overcommit_memory = 1\n');
    r = await w.exec('h', 'sysctl -w vm.overcommit_memory=5; echo $?; sysctl vm.overcommit_memory=abc; sysctl -n vm.overcommit_memory');
    expect(r.output).toBe('sysctl: setting key "vm.overcommit_memory": Invalid argument\n1\nsysctl: setting key "vm.overcommit_memory": Invalid argument\n1\n');
    r = await w.exec('h', 'sysctl x.y; echo $?; sysctl -w x.y=1; sysctl -w vm.overcommit_memory; echo $?; sysctl -e x.y; echo $?');
    expect(r.output).toBe('sysctl: cannot stat /proc/sys/x/y: No such file or directory\n1\nsysctl: cannot stat /proc/sys/x/y: No such file or directory\nsysctl: command line(0): invalid syntax, continuing...\n1\n0\n');
    w.dispose();
  });

  it('-p loads /etc/sysctl.conf (or the files named): syntax errors first, then each setting', async () => {
    const w = newWorld();
    let r = await w.exec('h', 'sysctl -p; echo $?');
    expect(r.output).toBe('sysctl: cannot open "/etc/sysctl.conf": No such file or directory\n1\n');
    r = await w.exec('h', "printf '# c\\n; d\\n\\nvm.overcommit_memory = 1\\nnet.core.somaxconn\\nx.y=1\\n' > /etc/sysctl.conf; sysctl -p; echo $?");
    expect(r.output).toBe('sysctl: /etc/sysctl.conf(5): invalid syntax, continuing...\nvm.overcommit_memory = 1\nsysctl: cannot stat /proc/sys/x/y: No such file or directory\n1\n');
    w.dispose();
  });

  it('a reboot brings back the defaults, except what /etc/sysctl.conf sets', async () => {
    const w = newWorld();
    await w.exec('h', 'sysctl -w vm.overcommit_memory=1; sysctl -w net.core.somaxconn=100');
    w.type(w.openTerminal('h'), 'reboot');
    await w.advance(15_000);
    expect(w.host('h').up).toBe(true);
    expect((await w.exec('h', 'sysctl -n vm.overcommit_memory net.core.somaxconn')).output).toBe('0\n4096\n');
    await w.exec('h', "echo 'vm.overcommit_memory = 1' >> /etc/sysctl.conf; sync");
    w.powerOff('h');
    w.powerOn('h');
    await w.advance(1000);
    expect((await w.exec('h', 'sysctl -n vm.overcommit_memory')).output).toBe('1\n');
    w.dispose();
  });

  it('redis-server warns about overcommit after "Server initialized", and not once it is 1', async () => {
    const w = newWorld();
    const before = await startupLog(w);
    const i = before.indexOf('# Server initialized');
    expect(i).toBeGreaterThan(0);
    expect(before[i + 1]).toBe(`# ${OVERCOMMIT_WARNING}`);
    await w.exec('h', 'rm /d/r.log; sysctl vm.overcommit_memory=1');
    const after = await startupLog(w);
    expect(after.some((l) => l.includes('overcommit'))).toBe(false);
    expect(after[after.indexOf('# Server initialized') + 1]).toBe('* Ready to accept connections');
    w.dispose();
  });

  it('redis-server warns when tcp-backlog exceeds somaxconn, before "Server initialized"', async () => {
    const w = newWorld();
    await w.exec('h', 'sysctl -w net.core.somaxconn=128');
    const log = await startupLog(w);
    const i = log.indexOf('# WARNING: The TCP backlog setting of 511 cannot be enforced because /proc/sys/net/core/somaxconn is set to the lower value of 128.');
    expect(i).toBeGreaterThan(0);
    expect(log[i + 1]).toBe('# Server initialized');
    w.dispose();
  });

  (haveRealSysctl ? it : it.skip)('the same texts as the real procps sysctl (read-only invocations)', async () => {
    const w = newWorld();
    const real = fs.readFileSync('/proc/sys/vm/overcommit_memory', 'latin1').trim();
    await w.exec('h', `sysctl -q vm.overcommit_memory=${real}`);
    for (const args of [['vm.overcommit_memory'], ['-n', 'vm.overcommit_memory'], ['-N', 'vm/overcommit_memory'], ['x.y'], ['-w', 'x.y=1'], ['-w', 'vm.overcommit_memory'], ['-e', 'x.y'], ['-p', '/nonexistent'], []]) {
      const r = realSysctl(args);
      const ours = await w.exec('h', `sysctl ${args.join(' ')} 2>/tmp/e >/tmp/o; echo $?; cat /tmp/o; echo --; cat /tmp/e`);
      expect(ours.output).toBe(`${r.code}\n${r.out}--\n${r.err}`);
    }
    w.dispose();
  });

  it('a write the kernel refuses fails with EINVAL and leaves the value: echo, cat, tee, sysctl', async () => {
    const w = newWorld();
    let r = await w.exec('h', 'echo abc > /proc/sys/vm/overcommit_memory; echo $?; cat /proc/sys/vm/overcommit_memory');
    expect(r.output).toBe('bash: echo: write error: Invalid argument\n1\n0\n');
    r = await w.exec('h', 'echo 3 > /proc/sys/vm/overcommit_memory; echo 201 > /proc/sys/vm/swappiness; echo -1 > /proc/sys/net/core/somaxconn; sysctl -n vm.overcommit_memory vm.swappiness net.core.somaxconn');
    expect(r.output).toBe('bash: echo: write error: Invalid argument\n'.repeat(3) + '0\n60\n4096\n');
    r = await w.exec('h', 'echo abc > /tmp/v; cat /tmp/v > /proc/sys/vm/swappiness; echo $?; echo abc | tee /proc/sys/vm/swappiness; echo $?');
    expect(r.output).toBe('cat: write error: Invalid argument\n1\nabc\ntee: /proc/sys/vm/swappiness: Invalid argument\n1\n');
    r = await w.exec('h', "sysctl -w vm.swappiness=300; sysctl -w vm.swappiness=; echo $?; sysctl -n vm.swappiness");
    expect(r.output).toBe('sysctl: setting key "vm.swappiness": Invalid argument\n'.repeat(2) + '1\n60\n');
    w.dispose();
  });

  it('what the kernel does take: blanks around, 0x and 0 prefixes, the first of several numbers, negative ratios', async () => {
    const w = newWorld();
    const set = async (value: string, name = 'vm/overcommit_memory') => (await w.exec('h', `printf -- '${value}' > /proc/sys/${name}; cat /proc/sys/${name}`)).output;
    expect(await set('  2\\n')).toBe('2\n');
    expect(await set('0x1')).toBe('1\n');
    expect(await set('02 junk')).toBe('2\n');
    expect(await set('1\\t7')).toBe('1\n');
    // What it refuses, printf says so (as bash's does).
    const refused = 'bash: printf: write error: Invalid argument\n';
    expect(await set('08')).toBe(`${refused}1\n`);
    expect(await set('+1')).toBe(`${refused}1\n`);
    expect(await set('-5', 'vm/overcommit_ratio')).toBe('-5\n');
    expect(await set('2147483648', 'net/core/somaxconn')).toBe(`${refused}4096\n`);
    expect(await set('2147483647', 'net/core/somaxconn')).toBe('2147483647\n');
    // Appending is writing: there is nothing to append to.
    expect((await w.exec('h', 'echo 1 >> /proc/sys/vm/overcommit_memory; cat /proc/sys/vm/overcommit_memory')).output).toBe('1\n');
    w.dispose();
  });

  it('/proc is the kernel\'s: no new files, no unlinking', async () => {
    const w = newWorld();
    const r = await w.exec('h', 'echo 1 > /proc/sys/vm/nope; echo 1 > /proc/nope; rm /proc/sys/vm/swappiness; echo $?; cat /proc/sys/vm/swappiness');
    expect(r.output).toBe("bash: /proc/sys/vm/nope: No such file or directory\nbash: /proc/nope: No such file or directory\nrm: cannot remove '/proc/sys/vm/swappiness': Permission denied\n1\n60\n");
    w.dispose();
  });

  (canWriteRealProcSys ? it : it.skip)('refused writes as the real kernel and bash refuse them (only values it refuses are written)', async () => {
    const w = newWorld();
    const lines = [
      'echo abc > /proc/sys/vm/overcommit_memory', 'echo 3 > /proc/sys/vm/overcommit_memory', 'echo -1 > /proc/sys/vm/overcommit_memory',
      "echo '' > /proc/sys/vm/overcommit_memory", 'echo +1 > /proc/sys/vm/overcommit_memory', 'echo 1abc > /proc/sys/vm/overcommit_memory',
      'echo 08 > /proc/sys/vm/overcommit_memory', 'echo 99999999999999999999999 > /proc/sys/vm/overcommit_memory',
      'echo 201 > /proc/sys/vm/swappiness', 'echo -1 > /proc/sys/vm/swappiness', 'echo 2147483648 > /proc/sys/net/core/somaxconn',
      'echo x > /proc/sys/vm/overcommit_ratio', 'echo abc > /tmp/halab-v; cat /tmp/halab-v > /proc/sys/vm/swappiness',
      'echo abc | tee /proc/sys/vm/swappiness', 'sysctl -w vm.overcommit_memory=abc', 'sysctl -w vm.swappiness=300', 'sysctl -w vm.swappiness=',
      'echo 1 > /proc/sys/vm/nope', 'rm /proc/sys/vm/swappiness',
      // printf (run by the shell itself, and in a pipeline's subshell): its line-buffered output
      // goes out at a newline or when it is done; a refused write ends it.
      'printf abc > /proc/sys/vm/overcommit_memory', "printf '%s\\n' abc def > /proc/sys/vm/overcommit_memory",
      "printf '3\\n' > /proc/sys/vm/overcommit_memory", "printf '%s %s\\n' 201 x > /proc/sys/vm/swappiness",
      "printf '' > /proc/sys/vm/swappiness", 'printf -v x abc > /proc/sys/vm/swappiness', 'printf x%d abc > /proc/sys/vm/swappiness',
      "printf '%d\\n' 2147483648 > /proc/sys/net/core/somaxconn", "true | printf '%s\\n' abc > /proc/sys/vm/overcommit_memory",
    ];
    // Should another kernel take one of these values after all, this machine gets its own back.
    const touched = ['vm/overcommit_memory', 'vm/swappiness', 'net/core/somaxconn', 'vm/overcommit_ratio'].map((n) => `/proc/sys/${n}`);
    const saved = touched.map((f) => fs.readFileSync(f, 'latin1'));
    try {
      for (const line of lines) {
        const real = execFileSync('bash', ['-c', `{ ${line}; } 2>&1; echo "rc=$?"`], { encoding: 'latin1' }).replace(/^bash: line \d+: /gm, 'bash: ');
        const ours = (await w.exec('h', `{ ${line}; } 2>&1; echo "rc=$?"`)).output;
        expect(ours, line).toBe(real);
      }
    } finally {
      touched.forEach((f, i) => { if (fs.readFileSync(f, 'latin1') !== saved[i]) fs.writeFileSync(f, saved[i]); });
      w.dispose();
    }
  });
});
