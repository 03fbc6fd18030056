/**
 * Labs C1–C10 (Sentinel) in the simulated machine room: each test plays the lab with the shell,
 * redis-server, redis-sentinel and redis-cli, and checks what the learner is meant to observe
 * (log lines, events, replies, INFO fields, sentinel.conf, timings on the virtual clock).
 */
import { describe, it, expect } from 'vitest';
import { SentinelLab, lines } from './sim-helpers';
import { loadgenStateOf } from '../../src/sim/loadgen';

const OPEN = ['bind 0.0.0.0', 'protected-mode no'];
const CACHE = [
  { name: 'cache01', ip: '10.0.0.11' }, { name: 'cache02', ip: '10.0.0.12' }, { name: 'cache03', ip: '10.0.0.13' },
];
const MONITOR = (quorum: number, downAfter = 3000, failoverTimeout = 10_000) => [
  `sentinel monitor mymaster 10.0.0.11 6379 ${quorum}`,
  `sentinel down-after-milliseconds mymaster ${downAfter}`,
  `sentinel failover-timeout mymaster ${failoverTimeout}`,
];

/** 004's layout: a Redis and a sentinel on each of three hosts, the master on cache01. */
async function threeHosts(opts: { quorum?: number; downAfter?: number; failoverTimeout?: number; seed?: number; extraHosts?: { name: string; ip: string }[]; masterConf?: string[] } = {}): Promise<SentinelLab> {
  const lab = new SentinelLab([...CACHE, ...(opts.extraHosts ?? [])], { seed: opts.seed });
  await lab.start('cache01', 6379, [...OPEN, ...(opts.masterConf ?? [])]);
  await lab.start('cache02', 6379, [...OPEN, 'replicaof 10.0.0.11 6379', ...(opts.masterConf ?? [])]);
  await lab.start('cache03', 6379, [...OPEN, 'replicaof 10.0.0.11 6379', ...(opts.masterConf ?? [])]);
  for (const h of CACHE) await lab.startSentinel(h.name, 26379, MONITOR(opts.quorum ?? 2, opts.downAfter ?? 3000, opts.failoverTimeout ?? 10_000));
  // Replicas in sync first (7.0 syncs disklessly after repl-diskless-sync-delay, 5 s).
  await lab.until('replicas in sync', async () => (await lab.info('cache02', 6379)).master_link_status === 'up'
    && (await lab.info('cache03', 6379)).master_link_status === 'up', 30_000);
  await lab.until('discovery', async () => {
    for (const h of CACHE) {
      if (!(await lab.cli(h.name, '-p 26379 info sentinel')).includes('slaves=2,sentinels=3')) return false;
    }
    return true;
  }, 30_000);
  return lab;
}

const strip = (l: string) => l.replace(/^\d+:X \d\d \w{3} \d{4} [\d:.]+ [#*.-] /, '');

/** The host whose sentinel led the failover. */
function leaderOf(lab: SentinelLab, hosts = CACHE.map((h) => h.name), port = 26379): string {
  const h = hosts.find((x) => lab.sentinelLog(x, port).includes('+elected-leader'));
  if (!h) throw new Error('no leader');
  return h;
}

async function cliLines(lab: SentinelLab, host: string, args: string): Promise<string[]> {
  return (await lab.cli(host, args)).split('\n').map((l) => l.trim()).filter(Boolean);
}

describe('lab C1: three sentinels, quorum 2', () => {
  it('001: one host, sentinels on 26379-26381 made with sed; discovery, INFO sentinel, the PING/INFO/hello schedule, sentinel.conf', async () => {
    const lab = new SentinelLab([{ name: 'redis-lab', ip: '10.0.0.5' }]);
    await lab.start('redis-lab', 6379, ['protected-mode no']);
    await lab.start('redis-lab', 6380, ['protected-mode no', 'replicaof 127.0.0.1 6379']);
    await lab.start('redis-lab', 6381, ['protected-mode no', 'replicaof 127.0.0.1 6379']);
    await lab.w.exec('redis-lab', 'mkdir -p /etc/redis /tmp');
    await lab.w.exec('redis-lab', `cat > /etc/redis/sentinel_26379.conf << 'EOF'
port 26379
logfile /var/log/sentinel_26379.log
dir /tmp
sentinel monitor mymaster 127.0.0.1 6379 2
sentinel down-after-milliseconds mymaster 30000
EOF`);
    for (const p of [26380, 26381]) {
      await lab.w.exec('redis-lab', `sed 's/26379/${p}/g' /etc/redis/sentinel_26379.conf > /etc/redis/sentinel_${p}.conf`);
    }
    await lab.w.exec('redis-lab', 'redis-sentinel /etc/redis/sentinel_26379.conf &');
    await lab.w.exec('redis-lab', 'redis-sentinel /etc/redis/sentinel_26380.conf &');
    // The other way to start one: redis-server in sentinel mode.
    await lab.w.exec('redis-lab', 'redis-server /etc/redis/sentinel_26381.conf --sentinel &');
    const t0 = lab.w.now;
    await lab.until('three sentinels know each other', async () => {
      for (const p of [26379, 26380, 26381]) {
        if (!(await lab.cli('redis-lab', `-p ${p} info sentinel`)).includes('master0:name=mymaster,status=ok,address=127.0.0.1:6379,slaves=2,sentinels=3')) return false;
      }
      return true;
    }, 20_000, 100);
    // Hellos every 2 s: everyone is known within a few seconds.
    expect(lab.w.now - t0).toBeLessThan(6000);
    for (const p of [26379, 26380, 26381]) {
      const log = lab.sentinelLog('redis-lab', p);
      expect(log).toMatch(/:X .* \* Running mode=sentinel, port=\d+\./);
      expect(log).toMatch(/# Sentinel ID is [0-9a-f]{40}/);
      expect(log).toContain('# +monitor master mymaster 127.0.0.1 6379 quorum 2');
      expect(lines(log, /\* \+slave slave 127\.0\.0\.1:638[01] 127\.0\.0\.1 638[01] @ mymaster 127\.0\.0\.1 6379$/)).toHaveLength(2);
      expect(lines(log, /\* \+sentinel sentinel [0-9a-f]{40} 127\.0\.0\.1 26(?:379|38[01]) @ mymaster 127\.0\.0\.1 6379$/)).toHaveLength(2);
      expect(lines(log, /Sentinel new configuration saved on disk/).length).toBeGreaterThanOrEqual(5);
    }
    const info = await cliLines(lab, 'redis-lab', '-p 26380 info sentinel');
    expect(info).toEqual([
      '# Sentinel', 'sentinel_masters:1', 'sentinel_tilt:0', 'sentinel_tilt_since_seconds:-1', 'sentinel_running_scripts:0',
      'sentinel_scripts_queue_length:0', 'sentinel_simulate_failure_flags:0',
      'master0:name=mymaster,status=ok,address=127.0.0.1:6379,slaves=2,sentinels=3',
    ]);
    expect((await lab.cli('redis-lab', '-p 26381 info server')).split(/\r?\n/)).toContain('redis_mode:sentinel');
    // The schedule, counted on the master over 20 s: PING every second, INFO every 10 s, a hello every 2 s, from each of the 3.
    const stats = async () => {
      const f = await lab.info('redis-lab', 6379, 'commandstats');
      const calls = (c: string) => Number(/calls=(\d+)/.exec(f[`cmdstat_${c}`] ?? 'calls=0')![1]);
      return { ping: calls('ping'), info: calls('info'), publish: calls('publish') };
    };
    const a = await stats();
    await lab.advance(20_000);
    const b = await stats();
    expect(b.ping - a.ping).toBeGreaterThanOrEqual(3 * 19);
    expect(b.ping - a.ping).toBeLessThanOrEqual(3 * 21);
    // Our own redis-cli INFO commandstats calls count too (2 of them in the window).
    expect(b.info - a.info - 1).toBeGreaterThanOrEqual(3 * 2);
    expect(b.info - a.info - 1).toBeLessThanOrEqual(3 * 2 + 3);
    expect(b.publish - a.publish).toBeGreaterThanOrEqual(3 * 9);
    expect(b.publish - a.publish).toBeLessThanOrEqual(3 * 11);
    // Clients on the master: each sentinel's named command and pub/sub connections.
    const clients = await lab.cli('redis-lab', 'client list');
    expect(lines(clients, /name=sentinel-[0-9a-f]{8}-cmd /)).toHaveLength(3);
    expect(lines(clients, /name=sentinel-[0-9a-f]{8}-pubsub .*sub=1 /)).toHaveLength(3);
    // sentinel.conf was rewritten with the sentinel's state.
    const conf = lab.sentinelConf('redis-lab', 26380);
    // Like Redis: paths quoted, the default down-after-milliseconds (30000) dropped, the state
    // after '# Generated by CONFIG REWRITE', a blank line before each known-replica/sentinel.
    expect(conf.startsWith('port 26380\nlogfile "/var/log/sentinel_26380.log"\ndir "/tmp"\nsentinel monitor mymaster 127.0.0.1 6379 2\n\n# Generated by CONFIG REWRITE\n')).toBe(true);
    expect(conf).not.toContain('down-after-milliseconds');
    expect(conf).toContain('\n\nsentinel known-replica mymaster 127.0.0.1 6380\n');
    expect(conf).toContain('\n# Generated by CONFIG REWRITE\n');
    expect(conf).toMatch(/\nsentinel myid [0-9a-f]{40}\n/);
    for (const l of ['protected-mode no', 'latency-tracking-info-percentiles 50 99 99.9', 'user default on nopass ~* &* +@all',
      'sentinel config-epoch mymaster 0', 'sentinel leader-epoch mymaster 0', 'sentinel current-epoch 0',
      'sentinel known-replica mymaster 127.0.0.1 6380', 'sentinel known-replica mymaster 127.0.0.1 6381']) {
      expect(conf.split('\n'), l).toContain(l);
    }
    expect(lines(conf, /^sentinel known-sentinel mymaster 127\.0\.0\.1 26(?:379|381) [0-9a-f]{40}$/)).toHaveLength(2);
    // The ID survives a restart (it is read back from the file).
    const id = /sentinel myid ([0-9a-f]{40})/.exec(conf)![1];
    await lab.w.exec('redis-lab', `redis-cli -p 26380 shutdown`);
    await lab.advance(500);
    await lab.w.exec('redis-lab', 'redis-sentinel /etc/redis/sentinel_26380.conf &');
    await lab.advance(500);
    expect(lab.sentinelLog('redis-lab', 26380)).toContain('# Sentinel is now ready to exit, bye bye...');
    expect((await lab.cli('redis-lab', '-p 26380 sentinel myid')).trim()).toBe(id);
    expect(lines(lab.sentinelLog('redis-lab', 26380), new RegExp(`Sentinel ID is ${id}`))).toHaveLength(2);
  }, 60_000);
});

describe('lab C2: automatic failover', () => {
  it('kill the master: the event sequence in each log, timing from down-after-milliseconds, the old master rejoins', async () => {
    const lab = await threeHosts();
    await lab.cli('cache01', 'set before-failover 1');
    // Watch the events of one sentinel on its pub/sub, like `redis-cli -p 26379 psubscribe '*'`.
    await lab.w.exec('cache03', `redis-cli -p 26379 psubscribe '*' > /tmp/events.txt &`);
    await lab.advance(1000);
    const killedAt = lab.w.now;
    await lab.w.exec('cache01', `kill -9 ${lab.pid('cache01', 6379)}`);
    await lab.until('failover done', () => CACHE.some((h) => lab.sentinelLog(h.name, 26379).includes('+switch-master')), 30_000, 100);
    await lab.advance(3000);
    const leader = leaderOf(lab);
    const events = lab.events(leader, 26379);
    const sequence = ['+sdown', '+odown', '+new-epoch', '+try-failover', '+vote-for-leader', '+elected-leader',
      '+failover-state-select-slave', '+selected-slave', '+failover-state-send-slaveof-noone', '+failover-state-wait-promotion',
      '+promoted-slave', '+failover-state-reconf-slaves', '+slave-reconf-sent', '+slave-reconf-inprog', '+slave-reconf-done',
      '+failover-end', '+switch-master'];
    const names = events.map((e) => e.split(' ')[0]).filter((n) => sequence.includes(n));
    const firsts = sequence.map((n) => names.indexOf(n));
    if (!firsts.every((i) => i >= 0)) console.log(leader, lab.sentinelLog(leader, 26379));
    expect(firsts.every((i) => i >= 0)).toBe(true);
    expect([...firsts].sort((x, y) => x - y)).toEqual(firsts);
    expect(events).toContain('+sdown master mymaster 10.0.0.11 6379');
    expect(events.find((e) => e.startsWith('+odown'))).toMatch(/^\+odown master mymaster 10\.0\.0\.11 6379 #quorum [23]\/2$/);
    expect(events).toContain('+new-epoch 1');
    const promoted = events.find((e) => e.startsWith('+selected-slave'))!.split(' ')[2];
    const [pip, pport] = promoted.split(':');
    expect(events).toContain(`+promoted-slave slave ${promoted} ${pip} ${pport} @ mymaster 10.0.0.11 6379`);
    expect(events).toContain(`+switch-master mymaster 10.0.0.11 6379 ${pip} ${pport}`);
    expect(events).toContain('+failover-end master mymaster 10.0.0.11 6379');
    // The followers learn the new configuration from the leader's hello.
    for (const h of CACHE.map((x) => x.name).filter((x) => x !== leader)) {
      const ev = lab.events(h, 26379);
      expect(ev).toContain('+sdown master mymaster 10.0.0.11 6379');
      expect(ev.find((e) => e.startsWith('+vote-for-leader'))).toMatch(/^\+vote-for-leader [0-9a-f]{40} 1$/);
      expect(ev.find((e) => e.startsWith('+config-update-from'))).toMatch(/^\+config-update-from sentinel [0-9a-f]{40} 10\.0\.0\.1\d 26379 @ mymaster 10\.0\.0\.11 6379$/);
      expect(ev).toContain(`+switch-master mymaster 10.0.0.11 6379 ${pip} ${pport}`);
    }
    // Timing: +sdown comes down-after-milliseconds (3 s) after the last PONG, i.e. 3-4 s after the kill.
    for (const h of CACHE) {
      const t = lab.timeOf(h.name, 26379, /\+sdown master/)! - (killedAt - lab.w.startTime);
      expect(t).toBeGreaterThan(3000);
      expect(t).toBeLessThan(4300);
    }
    const tSwitch = lab.timeOf(leader, 26379, /\+switch-master/)! - (killedAt - lab.w.startTime);
    expect(tSwitch).toBeLessThan(9000);
    // The promoted replica is a master with the data; the other follows it.
    const p = CACHE.find((h) => h.ip === pip)!.name;
    expect((await cliLines(lab, p, 'role'))[0]).toBe('master');
    expect((await lab.cli(p, 'get before-failover')).trim()).toBe('1');
    const other = CACHE.find((h) => h.name !== p && h.name !== 'cache01')!.name;
    await lab.until('the other replica follows', async () => (await lab.info(other, 6379)).master_host === pip && (await lab.info(other, 6379)).master_link_status === 'up', 20_000);
    // The events were published on the sentinel's pub/sub, channel = event name.
    const published = lab.w.readText('cache03', '/tmp/events.txt') ?? '';
    expect(published).toContain('pmessage\n*\n+switch-master\nmymaster 10.0.0.11 6379 ' + `${pip} ${pport}`);
    expect(published).toContain('pmessage\n*\n+sdown\nmaster mymaster 10.0.0.11 6379');
    // Every sentinel.conf follows the new master, epoch 1, the old master as a known replica.
    for (const h of CACHE) {
      const conf = lab.sentinelConf(h.name, 26379);
      expect(conf).toContain(`sentinel monitor mymaster ${pip} 6379 2`);
      expect(conf).toContain('sentinel config-epoch mymaster 1');
      expect(conf).toContain('sentinel current-epoch 1');
      expect(conf).toContain('sentinel known-replica mymaster 10.0.0.11 6379');
    }
    // The old master comes back: it is told to follow the new master (+convert-to-slave).
    await lab.w.exec('cache01', 'redis-server /etc/redis/6379.conf &');
    await lab.until('old master converted', async () => (await lab.info('cache01', 6379)).master_host === pip, 40_000);
    const all = CACHE.map((h) => lab.events(h.name, 26379)).flat();
    expect(all.filter((e) => e === `+convert-to-slave slave 10.0.0.11:6379 10.0.0.11 6379 @ mymaster ${pip} ${pport}`).length).toBeGreaterThanOrEqual(1);
    expect(all).toContain(`-sdown slave 10.0.0.11:6379 10.0.0.11 6379 @ mymaster ${pip} ${pport}`);
    await lab.until('old master in sync', async () => (await lab.info('cache01', 6379)).master_link_status === 'up', 20_000);
    expect((await lab.cli('cache01', 'get before-failover')).trim()).toBe('1');
    // The old master's redis.conf was rewritten by the sentinel (SLAVEOF + CONFIG REWRITE in one transaction).
    expect(lab.w.readText('cache01', '/etc/redis/6379.conf')).toContain(`replicaof ${pip} 6379`);
  }, 120_000);
});
