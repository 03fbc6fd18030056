/**
 * redis-server --check-system (syscheck.c, 7.0.15) and the start-up warnings about transparent
 * huge pages and the xen clock source, on simulated hosts: the clock sources of
 * /sys/devices/system/clocksource (a slow one makes every clock read a system call), THP's mode
 * in /sys/kernel/mm/transparent_hugepage/enabled, vm.overcommit_memory. The differential test
 * builds a host like this machine and compares everything but the slow-clocksource check, which
 * the real server measures (it comes out either way on a busy virtual machine).
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { World } from '../../src/sim/world';
import type { HostSpec } from '../../src/sim/kernel/host';
import type { ThpMode } from '../../src/sim/kernel/hugepages';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { OVERCOMMIT_MESSAGE, THP_MESSAGE, XEN_CLOCKSOURCE_MESSAGE, slowClocksourceMessage } from '../../src/engine/server/linux-checks';
import { REAL_REDIS } from '../support/real-redis';

function newWorld(host: Partial<HostSpec> = {}): World {
  return new World({ seed: 4, hosts: [{ name: 'h', ip: '10.0.0.1', dirs: ['/d'], ...host }], programs: STANDARD_PROGRAMS });
}

const CS = '/sys/devices/system/clocksource/clocksource0';
const THP = '/sys/kernel/mm/transparent_hugepage/enabled';

/** The output without the [slow-clocksource] check (its line, and its message when it warns). */
function withoutSlowClock(text: string): string {
  return text.replace(/^\[slow-clocksource\]\.\.\.(OK|skipped)\n|^\[slow-clocksource\]\.\.\.WARNING:\n.*\n/m, '');
}

/** The log lines of a redis-server started in /d, without pid and time. */
async function startupLog(w: World, extra = ''): Promise<string[]> {
  await w.exec('h', `rm -f /d/r.log; redis-server --daemonize yes --dir /d --logfile /d/r.log --save '' ${extra}`);
  await w.advance(300);
  await w.exec('h', 'redis-cli SHUTDOWN NOSAVE');
  await w.advance(300);
  return (w.readText('h', '/d/r.log') ?? '').split('\n').filter(Boolean).map((l) => l.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ /, ''));
}

describe('redis-server --check-system and the kernel it looks at', () => {
  it('a default Debian host: only overcommit warns, status 1; fixed, every check is OK, status 0', async () => {
    const w = newWorld();
    let r = await w.exec('h', 'redis-server --check-system; echo "rc=$?"');
    expect(r.output).toBe(`[slow-clocksource]...OK\n[xen-clocksource]...OK\n[overcommit]...WARNING:\n${OVERCOMMIT_MESSAGE}\n[THP]...OK\nrc=1\n`);
    r = await w.exec('h', 'sysctl -q vm.overcommit_memory=1; redis-server --check-system; echo "rc=$?"');
    expect(r.output).toBe('[slow-clocksource]...OK\n[xen-clocksource]...OK\n[overcommit]...OK\n[THP]...OK\nrc=0\n');
    w.dispose();
  });

  it('a slow clock source: every clock read a system call; the files say which ones there are', async () => {
    const w = newWorld();
    let r = await w.exec('h', `cat ${CS}/available_clocksource ${CS}/current_clocksource; echo hpet > ${CS}/current_clocksource; cat ${CS}/current_clocksource`);
    expect(r.output).toBe('tsc hpet acpi_pm \ntsc\nhpet\n');
    r = await w.exec('h', 'sysctl -q vm.overcommit_memory=1; redis-server --check-system; echo "rc=$?"');
    expect(r.output).toBe(`[slow-clocksource]...WARNING:\n${slowClocksourceMessage('hpet', 'tsc hpet acpi_pm')}\n[xen-clocksource]...OK\n[overcommit]...OK\n[THP]...OK\nrc=1\n`);
    // The check spins for five ticks of a 100 Hz clock: 50 ms of CPU, most of it in the kernel.
    const t0 = w.now;
    await w.exec('h', 'redis-server --check-system');
    expect(w.now - t0).toBeGreaterThanOrEqual(50);
    // A name the host does not have is taken and changes nothing but going back to the best one;
    // one of 32 bytes or more is refused.
    r = await w.exec('h', `echo nope > ${CS}/current_clocksource; echo "rc=$?"; cat ${CS}/current_clocksource; echo ${'x'.repeat(31)} > ${CS}/current_clocksource; echo > ${CS}/available_clocksource`);
    expect(r.output).toBe(`rc=0\ntsc\nbash: echo: write error: Invalid argument\nbash: ${CS}/available_clocksource: Permission denied\n`);
    w.dispose();
  });

  it('a xen host with THP always: both warn, and redis-server says so at start-up (THP only with disable-thp no)', async () => {
    const w = newWorld({ clocksources: ['xen', 'tsc', 'hpet', 'acpi_pm'], transparentHugepages: 'always' });
    let r = await w.exec('h', 'sysctl -q vm.overcommit_memory=1; redis-server --check-system; echo "rc=$?"');
    expect(r.output).toBe(`[slow-clocksource]...WARNING:\n${slowClocksourceMessage('xen', 'xen tsc hpet acpi_pm')}\n[xen-clocksource]...WARNING:\n${XEN_CLOCKSOURCE_MESSAGE}\n[overcommit]...OK\n[THP]...WARNING:\n${THP_MESSAGE}\nrc=1\n`);
    let log = await startupLog(w);
    let i = log.indexOf('# Server initialized');
    expect(log.slice(i + 1, i + 3)).toEqual([`# WARNING ${XEN_CLOCKSOURCE_MESSAGE}`, '* Ready to accept connections']);
    log = await startupLog(w, '--disable-thp no');
    i = log.indexOf('# Server initialized');
    expect(log.slice(i + 1, i + 4)).toEqual([`# WARNING ${THP_MESSAGE}`, `# WARNING ${XEN_CLOCKSOURCE_MESSAGE}`, '* Ready to accept connections']);
    // Back to madvise and tsc: nothing to say.
    r = await w.exec('h', `echo madvise > ${THP}; cat ${THP}; echo always2 > ${THP}; echo tsc > ${CS}/current_clocksource`);
    expect(r.output).toBe('always [madvise] never\nbash: echo: write error: Invalid argument\n');
    log = await startupLog(w, '--disable-thp no');
    i = log.indexOf('# Server initialized');
    expect(log[i + 1]).toBe('* Ready to accept connections');
    // A reboot brings back the host's own settings.
    w.type(w.openTerminal('h'), 'reboot');
    await w.advance(15_000);
    expect((await w.exec('h', `cat ${THP} ${CS}/current_clocksource`)).output).toBe('[always] madvise never\nxen\n');
    w.dispose();
  });

  (REAL_REDIS && fs.existsSync(`${CS}/current_clocksource`) && fs.existsSync(THP) ? it : it.skip)('the same checks as the real redis-server on a host like this machine', async () => {
    const current = fs.readFileSync(`${CS}/current_clocksource`, 'latin1').trim();
    const available = fs.readFileSync(`${CS}/available_clocksource`, 'latin1').trim().split(' ');
    const thp = /\[(\w+)\]/.exec(fs.readFileSync(THP, 'latin1'))![1] as ThpMode;
    const w = newWorld({ clocksources: [current, ...available.filter((c) => c !== current)], transparentHugepages: thp });
    await w.exec('h', `sysctl -q vm.overcommit_memory=${fs.readFileSync('/proc/sys/vm/overcommit_memory', 'latin1').trim()}`);
    const real = spawnSync(REAL_REDIS!, ['--check-system'], { encoding: 'latin1' });
    const ours = await w.exec('h', 'redis-server --check-system 2>&1; echo "rc=$?"');
    const oursText = ours.output.replace(/rc=\d+\n$/, '');
    expect(withoutSlowClock(oursText)).toBe(withoutSlowClock(real.stdout + real.stderr));
    // The status depends on the measured check only when nothing else warns.
    const slowWarned = (t: string) => t.startsWith('[slow-clocksource]...WARNING');
    if (slowWarned(oursText) === slowWarned(real.stdout)) expect(ours.output.endsWith(`rc=${real.status}\n`)).toBe(true);
    w.dispose();
  });
});
