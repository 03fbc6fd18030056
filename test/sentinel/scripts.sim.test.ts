/**
 * Sentinel's notification and client-reconfiguration scripts in the simulated machine room:
 * the sentinel forks a child that execs the script (the host's shell, by its #! line), with the
 * arguments of the event; a file that cannot be executed ends the child with status 2.
 */
import { describe, it, expect } from 'vitest';
import { SentinelLab, lines } from './sim-helpers';
import { World, type WorldOptions } from '../../src/sim/world';
import { NodeWorkerRuntime } from '../../src/sim/runtime/node-worker-runtime';
import { borrowed } from '../../src/sim/runtime/runtime';
import { programs } from '../sim/programs';

const HOSTS = [{ name: 'cache01', ip: '10.0.0.11' }, { name: 'cache02', ip: '10.0.0.12' }, { name: 'cache03', ip: '10.0.0.13' }];
const OPEN = ['bind 0.0.0.0', 'protected-mode no'];

const cli = async (lab: SentinelLab, host: string, args: string) => (await lab.cli(host, args)).trim();

/** Write an executable file (a heredoc, then chmod +x). */
async function script(lab: SentinelLab, host: string, path: string, text: string, mode = '+x'): Promise<void> {
  await lab.w.exec(host, `mkdir -p /etc/redis && cat > ${path} << 'EOF'\n${text}EOF\nchmod ${mode} ${path}`);
}

describe('sentinel scripts', () => {
  it('a failover runs client-reconfig-script on every sentinel and notification-script for warning events', async () => {
    const lab = new SentinelLab(HOSTS, { seed: 3 });
    await lab.start('cache01', 6379, OPEN);
    await lab.start('cache02', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
    await lab.start('cache03', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
    for (const h of HOSTS) {
      await script(lab, h.name, '/etc/redis/reconfig.sh', '#!/bin/bash\necho "$(hostname) $*" >> /var/log/reconfig.log\n');
      await script(lab, h.name, '/etc/redis/notify.sh', '#!/bin/sh\necho "$1|$2" >> /var/log/notify.log\nexit 0\n');
      await lab.startSentinel(h.name, 26379, [
        'sentinel monitor mymaster 10.0.0.11 6379 2', 'sentinel down-after-milliseconds mymaster 3000',
        'sentinel failover-timeout mymaster 10000',
        'sentinel client-reconfig-script mymaster /etc/redis/reconfig.sh',
        'sentinel notification-script mymaster /etc/redis/notify.sh',
      ]);
    }
    await lab.until('discovery', async () => {
      for (const h of HOSTS) if (!(await lab.cli(h.name, '-p 26379 info sentinel')).includes('slaves=2,sentinels=3')) return false;
      return true;
    }, 30_000);
    expect(await cli(lab, 'cache01', '-p 26379 sentinel master mymaster')).toContain('/etc/redis/reconfig.sh');
    await lab.w.exec('cache01', 'pkill -9 redis-server');
    await lab.until('switch-master everywhere', () => HOSTS.every((h) => lab.sentinelLog(h.name, 26379).includes('+switch-master')), 60_000);
    await lab.advance(2000);
    const promoted = /\+switch-master mymaster 10\.0\.0\.11 6379 (\S+) 6379/.exec(lab.sentinelLog('cache02', 26379))![1];
    const leader = HOSTS.find((h) => lab.sentinelLog(h.name, 26379).includes('+elected-leader'))!.name;
    for (const h of HOSTS) {
      // Each sentinel ran the script once, as the leader or as an observer, with Redis's arguments.
      const role = h.name === leader ? 'leader' : 'observer';
      expect(lab.w.readText(h.name, '/var/log/reconfig.log')).toBe(`${h.name} mymaster ${role} start 10.0.0.11 6379 ${promoted} 6379\n`);
      // Warning-level events with their message; debug ones (+script-child) are not sent.
      const notified = (lab.w.readText(h.name, '/var/log/notify.log') ?? '').split('\n');
      expect(notified).toContain('+sdown|master mymaster 10.0.0.11 6379');
      expect(notified).toContain(`+switch-master|mymaster 10.0.0.11 6379 ${promoted} 6379`);
      expect(notified.some((l) => l.startsWith('+script-child'))).toBe(false);
      // The children ran and ended well: no -script-error, and the queue is empty again.
      expect(lab.sentinelLog(h.name, 26379)).not.toContain('-script-error');
      expect(await cli(lab, h.name, '-p 26379 sentinel pending-scripts')).toBe('');
      expect(await cli(lab, h.name, '-p 26379 info sentinel')).toContain('sentinel_running_scripts:0');
    }
  }, 120_000);

  it('a running script is a child of the sentinel in ps, killed after 60 s; a failing one is retried, an unexecutable one is an error', async () => {
    const lab = new SentinelLab([HOSTS[0]], { seed: 5 });
    await lab.start('cache01', 6379, OPEN);
    await script(lab, 'cache01', '/etc/redis/slow.sh', '#!/bin/sh\necho "started $1" >> /var/log/slow.log\nsleep 100\n');
    await script(lab, 'cache01', '/etc/redis/fail.sh', '#!/bin/bash\necho try >> /var/log/fail.log\nexit 1\n');
    await script(lab, 'cache01', '/etc/redis/plain.sh', 'echo no interpreter line\n');
    await script(lab, 'cache01', '/etc/redis/noexec.sh', '#!/bin/sh\necho hi\n', '-x');
    await lab.startSentinel('cache01', 26379, ['sentinel deny-scripts-reconfig no', 'sentinel monitor slow 10.0.0.11 6379 1', 'sentinel notification-script slow /etc/redis/slow.sh']);
    // Configuring a script that cannot be executed is refused, as access(X_OK) fails.
    expect(await cli(lab, 'cache01', '-p 26379 sentinel set slow notification-script /etc/redis/noexec.sh')).toBe('ERR Notification script seems non existing or non executable');
    expect(await cli(lab, 'cache01', '-p 26379 sentinel set slow client-reconfig-script /etc/redis/none.sh')).toBe('ERR Client reconfiguration script seems non existing or non executable');

    // +monitor at startup is a warning event: the slow script started then and is still running.
    await lab.advance(1500);
    expect(lab.w.readText('cache01', '/var/log/slow.log')).toBe('started +monitor\n');
    const sentinelPid = lab.pidOf('cache01', 'redis-sentinel');
    const ps = await lab.w.exec('cache01', 'ps -ef');
    const row = lines(ps.output, /\/bin\/sh \/etc\/redis\/slow\.sh \+monitor master slow 10\.0\.0\.11 6379 quorum 1$/);
    expect(row).toHaveLength(1);
    expect(row[0].split(/\s+/)[2]).toBe(String(sentinelPid));
    expect(await cli(lab, 'cache01', '-p 26379 info sentinel')).toContain('sentinel_running_scripts:1');
    await lab.advance(60_000);
    expect(lab.sentinelLog('cache01', 26379)).toMatch(/# -script-timeout \/etc\/redis\/slow\.sh \d+/);
    // Killed by SIGKILL: retried 30 s later (the first retry delay), so it starts again.
    await lab.advance(32_000);
    expect(lab.w.readText('cache01', '/var/log/slow.log')).toBe('started +monitor\nstarted +monitor\n');

    // Exit status 1 is retried with doubling delays; a file without #! cannot be executed: status 2, an error, no retry.
    await lab.w.exec('cache01', 'redis-cli -p 26379 sentinel monitor other 10.0.0.11 6379 1');
    await lab.w.exec('cache01', 'redis-cli -p 26379 sentinel set other notification-script /etc/redis/fail.sh');
    await lab.w.exec('cache01', 'redis-cli -p 26379 sentinel monitor third 10.0.0.11 6379 1');
    await lab.w.exec('cache01', 'redis-cli -p 26379 sentinel set third notification-script /etc/redis/plain.sh');
    await lab.w.exec('cache01', 'redis-cli -p 26379 sentinel reset other');
    await lab.w.exec('cache01', 'redis-cli -p 26379 sentinel reset third');
    await lab.advance(100_000);
    // +set (SENTINEL SET is a warning event too) and +reset-master ran each script twice. Each
    // fail.sh job was tried at 0, +30 s and +90 s by now (the delay doubles: the next is at +210 s).
    expect(lab.w.readText('cache01', '/var/log/fail.log')).toBe('try\n'.repeat(6));
    expect(lines(lab.sentinelLog('cache01', 26379), /# -script-error \/etc\/redis\/plain\.sh 0 2$/)).toHaveLength(2);
    expect(lab.sentinelLog('cache01', 26379)).not.toContain('-script-error /etc/redis/fail.sh');
  }, 120_000);

  it('a burst of warnings in one tick starts that many scripts (no fork fails)', async () => {
    const lab = new SentinelLab([HOSTS[0]], { seed: 4 });
    // protected-mode (the default) answers the sentinel's PINGs with an error: after
    // down-after-milliseconds +sdown, +odown, +new-epoch, +try-failover, +vote-for-leader,
    // +elected-leader and +failover-state-select-slave come within a tick.
    await lab.start('cache01', 6379, []);
    await script(lab, 'cache01', '/etc/redis/n.sh', '#!/bin/sh\necho "$1" >> /var/log/n.log\n');
    await lab.startSentinel('cache01', 26379, ['sentinel monitor m 10.0.0.11 6379 1', 'sentinel down-after-milliseconds m 1000', 'sentinel notification-script m /etc/redis/n.sh']);
    await lab.advance(3000);
    const log = lab.sentinelLog('cache01', 26379);
    const [sdownAt, selectAt] = lab.timesOf('cache01', 26379, /\+sdown|\+failover-state-select-slave/);
    expect(selectAt - sdownAt).toBeLessThan(5);
    expect(log).not.toContain('-script-error');
    expect((lab.w.readText('cache01', '/var/log/n.log') ?? '').split('\n').filter(Boolean)).toEqual(['+monitor', '+sdown', '+odown', '+new-epoch',
      '+try-failover', '+vote-for-leader', '+elected-leader', '+failover-state-select-slave', '-failover-abort-no-good-slave']);
  }, 60_000);

  it('in worker threads the scripts run as they do inline, and a rewind replays them', async () => {
    const runtime = new NodeWorkerRuntime(new URL('../sim/programs.ts', import.meta.url).href);
    const options: WorldOptions = { seed: 9, hosts: [HOSTS[0]], programs };
    const session = async (w: World) => {
      await w.exec('cache01', "redis-server --port 6379 --save '' --daemonize yes --logfile /var/log/r.log");
      await w.exec('cache01', "printf '#!/bin/bash\\necho \"$$ $1\" >> /tmp/n.log\\nsleep 50\\n' > /tmp/n.sh; chmod 755 /tmp/n.sh");
      await w.exec('cache01', "printf 'port 26379\\nlogfile /var/log/s.log\\nsentinel monitor m 10.0.0.11 6379 1\\nsentinel down-after-milliseconds m 2000\\nsentinel notification-script m /tmp/n.sh\\n' > /tmp/s.conf");
      await w.exec('cache01', 'redis-sentinel /tmp/s.conf --daemonize yes');
      await w.advance(3000);
      await w.exec('cache01', 'redis-cli -p 6379 shutdown nosave');
      await w.advance(40_000);
    };
    const fingerprint = (w: World) => ({ t: w.now, ...w.fingerprint() });
    const inline = new World(options);
    const inWorkers = new World({ ...options, runtime: borrowed(runtime) });
    try {
      await session(inline);
      await session(inWorkers);
      expect(fingerprint(inWorkers)).toEqual(fingerprint(inline));
      // +monitor, then the warnings of the master's end and of the failover attempt with no replica.
      const started = inline.readText('cache01', '/tmp/n.log')!.split('\n').filter(Boolean);
      expect(started.map((l) => l.split(' ')[1])).toEqual(['+monitor', '+sdown', '+odown', '+new-epoch', '+try-failover',
        '+vote-for-leader', '+elected-leader', '+failover-state-select-slave', '-failover-abort-no-good-slave']);
      // A burst of warnings in one tick forks that many children: no fork failed (-script-error … 99 0).
      expect(inline.readText('cache01', '/var/log/s.log')).not.toContain('-script-error');
      // All still sleeping, each with the pid its sentinel forked ($$ is the pid ps shows).
      const running = inline.processes('cache01').filter((p) => p.argv[0] === '/tmp/n.sh').map((p) => p.pid);
      expect(running).toEqual(started.map((l) => Number(l.split(' ')[0])).sort((a, b) => a - b));
      const mid = inline.now - 20_000;
      await inWorkers.rewind(mid);
      expect(inWorkers.rewoundBy).toBe('log');
      const replayed = await World.replay(options, inline.recordedInputs(), mid);
      try {
        expect(fingerprint(inWorkers)).toEqual(fingerprint(replayed));
      } finally {
        replayed.dispose();
      }
    } finally {
      inline.dispose();
      inWorkers.dispose();
      runtime.dispose();
    }
  }, 120_000);
});
