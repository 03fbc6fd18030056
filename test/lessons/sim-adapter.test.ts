/**
 * The lessons' WorldDriver/WorldView over the real simulation (src/lessons/sim-adapter.ts):
 * typing at the shell and into interactive programs, world actions, waitUntil and the
 * snapshot it refreshes, the trace as lesson events, and the load generator's counters.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import { NodeWorkerRuntime } from '../../src/sim/runtime/node-worker-runtime';
import { createSimLessonWorld, simWorldFactory, simWorldOptions, REFRESH_EVERY_MS } from '../../src/lessons/sim-adapter';
import type { HostSpec, LoadgenSpec, ScheduledFault, WorldDriver, WorldSpec } from '../../src/lessons/world-view';
import { programs } from '../sim/programs';

const CONF = 'port 6379\nprotected-mode no\nsave ""\nappendonly no\nlogfile /var/log/redis.log\ndir /var/redis\n';

function host(name: string, ip: string, extra: Partial<HostSpec> = {}): HostSpec {
  return { name, ips: [ip], disk: 'ssd', files: {}, dirs: [], boot: [], ...extra };
}

function spec(opts: { loadgen?: LoadgenSpec; faults?: ScheduledFault[]; boot?: boolean } = {}): WorldSpec {
  return {
    hosts: [
      host('cache01', '10.0.0.1', { files: { '/etc/redis/6379.conf': CONF }, dirs: ['/var/redis'], boot: opts.boot === false ? [] : ['redis-server /etc/redis/6379.conf'] }),
      host('app01', '10.0.0.9'),
    ],
    network: { latencyMs: 1, bandwidthBytesPerSec: null },
    faults: opts.faults ?? [],
    loadgen: opts.loadgen ?? null,
  };
}

/** A driver over a world whose registry also has the test programs (`ask`, `redis-cmds`...). */
async function withTestPrograms(s: WorldSpec, seed = 1): Promise<WorldDriver> {
  return createSimLessonWorld(new World({ ...simWorldOptions(s, seed), programs }), s);
}

const up = (d: WorldDriver) => d.view.redis('cache01', 6379) !== null;

describe('sim adapter: building', () => {
  it('builds the topology: hosts, IPs, files, directories, boot lines, link latency', async () => {
    const d = await simWorldFactory(spec(), 3);
    expect(d.view.hosts()).toEqual([{ name: 'cache01', ips: ['10.0.0.1'], up: true }, { name: 'app01', ips: ['10.0.0.9'], up: true }]);
    expect(d.view.file('cache01', '/etc/redis/6379.conf')?.text()).toBe(CONF);
    expect(d.view.file('cache01', '/nope')).toBeNull();
    expect(await d.waitUntil(() => up(d), 5000)).toBe(true);
    expect(d.view.redisPorts('cache01')).toEqual([6379]);
    expect(d.view.processes('cache01').some((p) => p.name === 'redis-server' && p.argv.join(' ') === 'redis-server /etc/redis/6379.conf')).toBe(true);
    const r = await d.type('app01', 'ping -c 1 10.0.0.1; echo $?', 5000);
    // The round trip crosses the 1 ms link twice.
    expect(r.output).toMatch(/^64 bytes from 10\.0\.0\.1: icmp_seq=1 ttl=64 time=2\.\d+ ms$/m);
    expect(r.output).toMatch(/1 packets transmitted, 1 received, 0% packet loss.*\n[^]*\n0\n$/);
    d.dispose();
  });

  it('a loadgen that follows the sentinels writes to the master they name, and to the new one after a failover', async () => {
    const sent = 'port 26379\nsentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 1000\nsentinel failover-timeout mymaster 10000\n';
    const replica = `${CONF}replicaof 10.0.0.1 6379\n`;
    const node = (name: string, ip: string, conf: string) => host(name, ip, {
      files: { '/etc/redis/6379.conf': conf, '/etc/redis/sentinel.conf': sent }, dirs: ['/var/redis'],
      boot: ['redis-server /etc/redis/6379.conf', 'redis-sentinel /etc/redis/sentinel.conf'],
    });
    const s: WorldSpec = {
      hosts: [node('cache01', '10.0.0.1', CONF), node('cache02', '10.0.0.2', replica), node('cache03', '10.0.0.3', replica), host('app01', '10.0.0.9')],
      network: { latencyMs: 1, bandwidthBytesPerSec: null },
      faults: [],
      loadgen: { host: 'app01', target: { sentinels: ['10.0.0.1:26379', '10.0.0.2:26379', '10.0.0.3:26379'], master: 'mymaster' }, ratePerSec: 20, keys: 10, autostart: true },
    };
    const d = await simWorldFactory(s, 1);
    expect(await d.waitUntil(() => d.view.loadgen().acked > 20, 10_000)).toBe(true);
    expect(d.view.loadgen().lost).toBe(0);
    expect(d.view.processes('app01').find((p) => p.name === 'halab-loadgen')?.argv.join(' '))
      .toBe('halab-loadgen --sentinels 10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379 --master mymaster --rate 20 --keys 10');
    // Kill only once both replicas are in sync: writes acknowledged during their first full
    // synchronization never reach them and are really lost (that is lesson C6's point).
    const inSync = () => ['cache02', 'cache03'].every((h) => d.view.redis(h, 6379)?.info('replication').master_link_status === 'up');
    expect(await d.waitUntil(inSync, 20_000)).toBe(true);
    const synced = d.view.loadgen().acked;
    expect(await d.waitUntil(() => d.view.loadgen().acked > synced + 20, 10_000)).toBe(true);
    await d.type('cache01', 'pkill -9 redis-server', 5000);
    const promoted = () => ['cache02', 'cache03'].some((h) => d.view.redis(h, 6379)?.role() === 'master');
    expect(await d.waitUntil(promoted, 30_000)).toBe(true);
    const before = d.view.loadgen().acked;
    expect(await d.waitUntil(() => d.view.loadgen().acked > before + 40, 30_000)).toBe(true);
    // What a SIGKILL can lose is what was acknowledged and not yet replicated: a handful at most.
    expect(d.view.loadgen().lost).toBeLessThanOrEqual(2);
    d.dispose();
  }, 60_000);
});

describe('sim adapter: split brain', () => {
  it('writes a partitioned master acknowledged are counted lost once the partition heals and it follows the new master', async () => {
    const sent = 'port 26379\nsentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 1000\nsentinel failover-timeout mymaster 10000\n';
    const replica = `${CONF}replicaof 10.0.0.1 6379\n`;
    const node = (name: string, ip: string, conf: string) => host(name, ip, {
      files: { '/etc/redis/6379.conf': conf, '/etc/redis/sentinel.conf': sent }, dirs: ['/var/redis'],
      boot: ['redis-server /etc/redis/6379.conf', 'redis-sentinel /etc/redis/sentinel.conf'],
    });
    const s: WorldSpec = {
      hosts: [node('cache01', '10.0.0.1', CONF), node('cache02', '10.0.0.2', replica), node('cache03', '10.0.0.3', replica), host('app01', '10.0.0.9')],
      network: { latencyMs: 1, bandwidthBytesPerSec: null },
      faults: [],
      // The client was given the master's address and keeps writing there, whatever happens.
      loadgen: { host: 'app01', target: { address: '10.0.0.1:6379' }, ratePerSec: 20, keys: 10, autostart: true },
    };
    const d = await simWorldFactory(s, 2);
    expect(await d.waitUntil(() => d.view.loadgen().acked > 20, 10_000)).toBe(true);
    await d.act({ kind: 'partition', groups: [['cache01', 'app01'], ['cache02', 'cache03']] });
    const promoted = () => ['cache02', 'cache03'].some((h) => d.view.redis(h, 6379)?.role() === 'master');
    expect(await d.waitUntil(promoted, 30_000)).toBe(true);
    const ackedInMinority = d.view.loadgen().acked;
    expect(await d.waitUntil(() => d.view.loadgen().acked > ackedInMinority + 60, 10_000)).toBe(true);
    expect(d.view.loadgen().lost).toBe(0);
    await d.act({ kind: 'heal' });
    expect(await d.waitUntil(() => d.view.redis('cache01', 6379)?.role() === 'slave', 30_000)).toBe(true);
    // Every key got writes during the split that the new master never saw.
    expect(await d.waitUntil(() => d.view.loadgen().lost >= 10, 30_000)).toBe(true);
    d.dispose();
  }, 60_000);
});

describe('sim adapter: typing', () => {
  it('runs shell lines until the prompt is back, with their output and exit status', async () => {
    const d = await simWorldFactory(spec({ boot: false }), 1);
    const a = await d.type('cache01', 'echo hello; ls /var/redis', 5000);
    expect(a).toEqual({ output: 'hello\n', exitCode: 0, state: 'shell' });
    const b = await d.type('cache01', 'cat /nope', 5000);
    expect(b).toEqual({ output: 'cat: /nope: No such file or directory\n', exitCode: 1, state: 'shell' });
    const start = d.view.now();
    const c = await d.type('cache01', 'sleep 2', 10_000);
    expect(c.state).toBe('shell');
    expect(d.view.now() - start).toBeGreaterThanOrEqual(2000);
    expect(d.view.now() - start).toBeLessThan(2100);
    // A server in the foreground never gives the prompt back: busy after the timeout.
    const t0 = d.view.now();
    const e = await d.type('cache01', 'redis-server /etc/redis/6379.conf', 3000);
    expect(e.state).toBe('busy');
    expect(e.exitCode).toBeNull();
    expect(d.view.now() - t0).toBeGreaterThanOrEqual(3000);
    expect(up(d)).toBe(true);
    d.dispose();
  });

  it('typed text is sent as UTF-8 and read back as text: paths, output, processes and events', async () => {
    const s = spec({ boot: false });
    s.hosts[0] = { ...s.hosts[0], files: { ...s.hosts[0].files, '/root/备份/redis_master.conf': CONF.replace('6379', '6380') } };
    const d = await simWorldFactory(s, 1);
    expect(await d.type('cache01', 'cd /root/备份 && ls && pwd', 5000)).toEqual({ output: 'redis_master.conf\n/root/备份\n', exitCode: 0, state: 'shell' });
    expect((await d.type('cache01', 'redis-server /root/备份/redis_master.conf &', 5000)).state).toBe('shell');
    expect(await d.waitUntil(() => d.view.redis('cache01', 6380) !== null, 5000)).toBe(true);
    expect(d.view.processes('cache01').find((p) => p.name === 'redis-server')?.argv).toEqual(['redis-server', '/root/备份/redis_master.conf']);
    expect(d.view.trace().some((e) => e.kind === 'spawn' && e.text === 'redis-server /root/备份/redis_master.conf')).toBe(true);
    expect(d.view.file('cache01', '/root/备份/redis_master.conf')?.text()).toContain('port 6380');
    d.dispose();
  });

  it('lines typed while an interactive program waits in readLine go to the program (state "program")', async () => {
    const d = await withTestPrograms(spec({ boot: false }));
    const a = await d.type('app01', 'ask', 5000);
    expect(a).toEqual({ output: '', exitCode: null, state: 'program' });
    const b = await d.type('app01', 'hello there', 5000);
    expect(b).toEqual({ output: 'you said hello there\n', exitCode: null, state: 'program' });
    const c = await d.type('app01', 'quit', 5000);
    expect(c).toEqual({ output: '', exitCode: 0, state: 'shell' });
    const events = d.view.trace().filter((e) => e.kind === 'command' && e.host === 'app01').map((e) => e.text);
    expect(events).toEqual(['ask', 'hello there', 'quit']);
    d.dispose();
  });
});

describe('sim adapter: actions and waiting', () => {
  it('power off and on (boot lines run again), partitions and heal, link latency', async () => {
    const d = await withTestPrograms(spec());
    expect(await d.waitUntil(() => up(d), 5000)).toBe(true);
    await d.act({ kind: 'poweroff', host: 'cache01' });
    expect(d.view.hosts()[0].up).toBe(false);
    expect(d.view.processes('cache01')).toEqual([]);
    expect(d.view.redis('cache01', 6379)).toBeNull();
    expect(d.view.trace().some((e) => e.kind === 'poweroff' && e.host === 'cache01')).toBe(true);
    await d.act({ kind: 'poweron', host: 'cache01' });
    expect(await d.waitUntil(() => up(d), 5000)).toBe(true);

    // Across a partition a connect times out; after heal it works.
    await d.act({ kind: 'partition', groups: [['app01'], ['cache01']] });
    const cut = await d.type('app01', 'ping-once 10.0.0.1 6379 500', 5000);
    expect(cut.output).toBe('error ETIMEDOUT\n');
    await d.act({ kind: 'heal' });
    const ok = await d.type('app01', 'ping-once 10.0.0.1 6379 500', 5000);
    expect(ok.output).toBe('"PONG"\n');

    // 1 ms + 50 ms of added latency each way: a PING takes more than 100 ms.
    await d.act({ kind: 'latency', a: 'app01', b: 'cache01', ms: 50 });
    const t0 = d.view.now();
    await d.type('app01', 'ping-once 10.0.0.1 6379 5000', 5000);
    expect(d.view.now() - t0).toBeGreaterThan(100);
    await d.act({ kind: 'heal' });
    const t1 = d.view.now();
    await d.type('app01', 'ping-once 10.0.0.1 6379 5000', 5000);
    expect(d.view.now() - t1).toBeLessThan(20);
    d.dispose();
  });

  it('scheduled faults happen at their time, whatever the driver is doing', async () => {
    const d = await simWorldFactory(spec({ faults: [
      { atMs: 3000, action: { kind: 'shell', host: 'cache01', line: 'pkill -9 redis-server' } },
      { atMs: 5000, action: { kind: 'poweroff', host: 'app01' } },
    ] }), 1);
    expect(await d.waitUntil(() => up(d), 2000)).toBe(true);
    expect(await d.waitUntil(() => !up(d), 10_000)).toBe(true);
    expect(d.view.now()).toBeGreaterThanOrEqual(3000);
    expect(d.view.now()).toBeLessThan(3000 + REFRESH_EVERY_MS + 10);
    await d.act({ kind: 'wait', ms: 3000 });
    expect(d.view.hosts()[1].up).toBe(false);
    const off = d.view.trace().find((e) => e.kind === 'poweroff');
    expect(off?.atMs).toBeGreaterThanOrEqual(5000);
    expect(off?.atMs).toBeLessThan(5001);
    d.dispose();
  });

  it('a line whose host loses power returns at once, and the terminal logs in again after power-on', async () => {
    const d = await simWorldFactory(spec({ faults: [{ atMs: 1000, action: { kind: 'poweroff', host: 'app01' } }] }), 1);
    const r = await d.type('app01', 'sleep 100', 60_000);
    expect(r.state).toBe('busy');
    expect(d.view.now()).toBeGreaterThanOrEqual(1000);
    expect(d.view.now()).toBeLessThan(1100);
    await d.act({ kind: 'poweron', host: 'app01' });
    expect(await d.type('app01', 'echo back', 5000)).toEqual({ output: 'back\n', exitCode: 0, state: 'shell' });
    d.dispose();
  });

  it('waitUntil evaluates every REFRESH_EVERY_MS of virtual time and gives up after the timeout', async () => {
    const d = await simWorldFactory(spec(), 1);
    const seen: number[] = [];
    const held = await d.waitUntil(() => { seen.push(d.view.now()); return false; }, 1000);
    expect(held).toBe(false);
    expect(seen.length).toBe(11);
    for (let i = 1; i < seen.length; i++) expect(seen[i] - seen[i - 1]).toBeCloseTo(REFRESH_EVERY_MS, 0);
    d.dispose();
  });

  it('reads Redis state through the snapshot; on workers a first read is fetched by the next refresh', async () => {
    const registry = new URL('../sim/programs.ts', import.meta.url).href;
    const runtime = new NodeWorkerRuntime(registry);
    const s = spec();
    const d = await createSimLessonWorld(new World({ ...simWorldOptions(s, 1), programs, runtime }), s);
    try {
      expect(await d.waitUntil(() => up(d), 5000)).toBe(true);
      await d.type('app01', 'redis-cmds 10.0.0.1 6379 10 SET greeting hello > /dev/null &', 5000);
      await d.act({ kind: 'wait', ms: 200 });
      const r = d.view.redis('cache01', 6379)!;
      expect(r.role()).toBe('master');
      // Never asked before: the worker has not answered yet.
      expect(r.key(0, 'greeting')).toBeNull();
      expect(r.info('server')).toEqual({});
      // waitUntil notices the miss, refreshes and evaluates again without moving the clock.
      const t = d.view.now();
      expect(await d.waitUntil(() => d.view.redis('cache01', 6379)?.key(0, 'greeting')?.value === 'hello', 1000)).toBe(true);
      expect(d.view.now()).toBe(t);
      expect(d.view.redis('cache01', 6379)!.info('server').tcp_port).toBe('6379');
      // The UI's way: read, refresh, read again.
      const view = () => d.view.redis('cache01', 6379)!;
      expect([view().config('dir'), view().dbsize(0), view().log()]).toEqual([null, 0, '']);
      await d.refresh();
      expect(view().config('dir')).toBe('/var/redis');
      expect(view().dbsize(0)).toBe(1);
      expect(view().log()).toContain('Ready to accept connections');
    } finally {
      d.dispose();
      runtime.dispose();
    }
  }, 30_000);
});

describe('sim adapter: waits that read no process memory', () => {
  it('a wait on a file asks the processes nothing while no sentinel or load generator runs; one on Redis state refreshes every 100 ms', async () => {
    const runtime = new NodeWorkerRuntime(new URL('../sim/programs.ts', import.meta.url).href);
    const s = spec();
    const world = new World({ ...simWorldOptions(s, 1), programs, runtime });
    const d = await createSimLessonWorld(world, s);
    let asked = 0;
    for (const m of ['inspectAll', 'inspectEach'] as const) {
      const orig = world[m].bind(world) as (...a: unknown[]) => Promise<unknown>;
      (world as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => { asked++; return orig(...a); };
    }
    try {
      expect(await d.waitUntil(() => up(d), 5000)).toBe(true);
      await d.type('app01', 'sleep 30 && echo done > /tmp/done &', 5000);
      const t = d.view.now();
      asked = 0;
      const seen: number[] = [];
      const done = () => { seen.push(d.view.now()); return d.view.file('app01', '/tmp/done') !== null; };
      expect(await d.waitUntil(done, 60_000)).toBe(true);
      // Still evaluated every 100 ms, and it held at the first evaluation after the file came.
      expect(seen.length).toBeGreaterThan(300);
      for (let i = 1; i < seen.length; i++) expect(seen[i] - seen[i - 1]).toBeCloseTo(REFRESH_EVERY_MS, 0);
      expect(seen[seen.length - 1] - t).toBeGreaterThanOrEqual(30_000);
      expect(seen[seen.length - 1] - t).toBeLessThan(30_000 + 2 * REFRESH_EVERY_MS);
      // The first evaluation on a fresh snapshot, and a refresh once it held (for what follows).
      expect(asked).toBeLessThanOrEqual(4);
      expect(d.view.redis('cache01', 6379)!.role()).toBe('master');

      asked = 0;
      const t2 = d.view.now();
      expect(await d.waitUntil(() => up(d) && d.view.now() - t2 >= 1000, 5000)).toBe(true);
      expect(asked).toBeGreaterThanOrEqual(10);
    } finally {
      d.dispose();
      runtime.dispose();
    }
  }, 60_000);
});

describe('sim adapter: load generator', () => {
  const loadgen: LoadgenSpec = { host: 'app01', target: { address: '10.0.0.1:6379' }, ratePerSec: 50, keys: 1000, autostart: true };

  it('counts acknowledged writes; a restart without persistence loses them; stop and start', async () => {
    const d = await simWorldFactory(spec({ loadgen }), 1);
    await d.act({ kind: 'wait', ms: 2000 });
    const first = d.view.loadgen();
    expect(first.running).toBe(true);
    // 50/s for ~2 s, minus the writes tried before the server listened.
    expect(first.acked).toBeGreaterThan(80);
    expect(first.acked).toBeLessThanOrEqual(100);
    expect(first.lost).toBe(0);
    // Every acknowledged write is on the server (fewer writes than keys: one key each).
    expect(d.view.redis('cache01', 6379)!.dbsize(0)).toBe(first.acked);
    const r = d.view.redis('cache01', 6379)!;
    const sample = Array.from({ length: 100 }, (_, i) => r.key(0, `loadgen:${i}`)).filter((k) => k !== null);
    expect(sample.length).toBe(first.acked);
    for (const k of sample) expect(k.value).toMatch(/^\d+$/);

    // kill -9 and start again: no RDB, no AOF, so every acknowledged write is gone.
    const ackedBefore = d.view.loadgen().acked;
    const killedAt = d.view.now();
    await d.type('cache01', 'pkill -9 redis-server; redis-server /etc/redis/6379.conf &', 5000);
    await d.act({ kind: 'wait', ms: 1000 });
    const after = d.view.loadgen();
    expect(after.lost).toBeGreaterThanOrEqual(ackedBefore);
    expect(after.lost).toBeLessThanOrEqual(ackedBefore + 2);
    // Each lost write carries the time it was found missing: after the restart, not before.
    expect(after.lostAtMs).toHaveLength(after.lost);
    expect(Math.min(...after.lostAtMs!)).toBeGreaterThan(killedAt);
    expect(Math.max(...after.lostAtMs!)).toBeLessThanOrEqual(d.view.now());
    // Writes in flight or tried while it was down count as errors; writing goes on.
    expect(after.errors).toBeGreaterThan(0);
    expect(after.acked).toBeGreaterThan(ackedBefore + 20);

    // Lost stays lost even when the keys are written again later.
    await d.act({ kind: 'loadgen', run: false });
    expect(d.view.loadgen().running).toBe(false);
    // A write already on its way may still be answered; then nothing more.
    await d.act({ kind: 'wait', ms: 100 });
    const stopped = d.view.loadgen();
    await d.act({ kind: 'wait', ms: 1000 });
    expect(d.view.loadgen().acked).toBe(stopped.acked);
    expect(d.view.loadgen().lost).toBe(after.lost);
    await d.act({ kind: 'loadgen', run: true });
    await d.act({ kind: 'wait', ms: 1000 });
    expect(d.view.loadgen().running).toBe(true);
    expect(d.view.loadgen().acked).toBeGreaterThan(stopped.acked + 40);
    d.dispose();
  });

  it('does not start before `loadgen start` without autostart', async () => {
    const d = await simWorldFactory(spec({ loadgen: { ...loadgen, autostart: false } }), 1);
    await d.act({ kind: 'wait', ms: 1000 });
    expect(d.view.loadgen()).toEqual({ running: false, acked: 0, lost: 0, errors: 0, lostAtMs: [], master: null, reads: 0 });
    await d.act({ kind: 'loadgen', run: true });
    await d.act({ kind: 'wait', ms: 1000 });
    expect(d.view.loadgen().acked).toBeGreaterThan(40);
    d.dispose();
  });
});

describe('sim adapter: long waits', () => {
  it('keeps every event of a wait longer than the world\'s trace memory (50 000 records)', async () => {
    const d = await simWorldFactory(spec(), 1);
    await d.waitUntil(() => up(d), 5000);
    await d.type('cache01', "echo '* * * * * date >> /tmp/ticks' > /tmp/cron.txt; crontab /tmp/cron.txt", 5000);
    const start = d.view.now();
    // A server ticks 10 times a second: two hours are 72 000 timer records, and one cron event a minute.
    await d.act({ kind: 'wait', ms: 2 * 3600_000 });
    const crons = d.view.trace().filter((e) => e.kind === 'cron' && e.atMs >= start);
    expect(crons).toHaveLength(120);
    expect(d.view.file('cache01', '/tmp/ticks')!.text().split('\n').filter(Boolean)).toHaveLength(120);
    d.dispose();
  }, 60_000);
});

describe('sim adapter: torn writes', () => {
  const AOF_CONF = 'port 6379\nsave ""\nappendonly yes\nappendfsync everysec\ndir /var/redis\n';
  const INCR = '/var/redis/appendonlydir/appendonly.aof.1.incr.aof';

  for (const torn of [true, false]) {
    it(`torn_writes: ${torn}: a power-off right after a write ${torn ? 'keeps part of it' : 'drops what was not fsynced'}`, async () => {
      const s = spec({ boot: false });
      s.hosts[0] = { ...s.hosts[0], files: { '/etc/redis/6379.conf': AOF_CONF }, boot: ['redis-server /etc/redis/6379.conf'], tornWrites: torn };
      const d = await simWorldFactory(s, 1);
      expect(await d.waitUntil(() => up(d), 5000)).toBe(true);
      await d.type('cache01', 'redis-cli SET a 1', 5000);
      // Past the next everysec fsync: `a` is durable.
      await d.act({ kind: 'wait', ms: 2500 });
      const durable = d.view.file('cache01', INCR)!.size;
      await d.type('cache01', 'redis-cli SET b 2', 5000);
      const full = d.view.file('cache01', INCR)!.size;
      expect(full).toBeGreaterThan(durable);
      await d.act({ kind: 'poweroff', host: 'cache01' });
      const left = d.view.file('cache01', INCR)!.size;
      if (torn) {
        expect(left).toBeGreaterThan(durable);
        expect(left).toBeLessThan(full);
      } else {
        expect(left).toBe(durable);
      }
      d.dispose();
    });
  }
});

describe('sim adapter: determinism', () => {
  it('the same lesson actions on the same seed give the same trace, with or without reading the view', async () => {
    const run = async (look: boolean) => {
      const s = spec({ loadgen: { host: 'app01', target: { address: '10.0.0.1:6379' }, ratePerSec: 20, keys: 5, autostart: true } });
      const world = new World(simWorldOptions(s, 9));
      const d = await createSimLessonWorld(world, s);
      for (let i = 0; i < 5; i++) {
        await d.act({ kind: 'wait', ms: 300 });
        if (look) { d.view.redis('cache01', 6379)?.info('everything'); d.view.redis('cache01', 6379)?.key(0, 'loadgen:1'); d.view.loadgen(); }
      }
      const hash = world.trace.hash();
      d.dispose();
      return hash;
    };
    expect(await run(true)).toBe(await run(false));
  });
});

describe('sim adapter: a world its owner runs (the page)', () => {
  const hit: ScheduledFault = { atMs: 2000, action: { kind: 'shell', host: 'app01', line: 'echo hit >> /tmp/faults' } };
  const hits = (w: World) => (w.readText('app01', '/tmp/faults') ?? '').split('\n').filter(Boolean).length;

  it('types into the terminal it is given, the way it is given, and leaves the world to its owner', async () => {
    const s = spec();
    const world = new World(simWorldOptions(s, 1));
    const mine = world.openTerminal('cache01');
    const typed: string[] = [];
    const d = await createSimLessonWorld(world, s, {
      ownsWorld: false,
      terminalFor: (h) => (h === 'cache01' ? mine : undefined),
      typeLine: (t, line) => { typed.push(`${t}:${line}`); world.type(t, line); },
    });
    const r = await d.type('cache01', 'echo hello', 5000);
    expect(r).toEqual({ output: 'hello\n', exitCode: 0, state: 'shell' });
    expect(typed).toEqual([`${mine}:echo hello`]);
    expect(world.terminal(mine)!.text()).toContain('echo hello\nhello');
    // Another host: a terminal of the driver's own.
    await d.type('app01', 'true', 5000);
    expect(world.terminalIds()).toHaveLength(2);
    d.dispose();
    expect(world.host('cache01').up).toBe(true);
    expect(await world.exec('cache01', 'echo still here')).toMatchObject({ code: 0, output: 'still here\n' });
    world.dispose();
  });

  it('after a rewind, reads the rebuilt world and plays the faults after the rewind time again, once', async () => {
    const s = spec({ faults: [hit] });
    const world = new World(simWorldOptions(s, 1));
    const d = await createSimLessonWorld(world, s, { ownsWorld: false });
    await d.act({ kind: 'wait', ms: 3000 });
    expect(hits(world)).toBe(1);
    // The boot line's redis-server: its shell execs it (a service is its command's own process).
    const spawns = () => d.view.trace().filter((e) => e.kind === 'exec' && e.text.startsWith('redis-server')).length;
    expect(spawns()).toBe(1);

    await world.rewind(world.startTime + 1000);
    expect(world.readText('app01', '/tmp/faults')).toBeNull();
    // The events are the rebuilt world's: the boot's exec once, nothing after 1 s.
    expect(spawns()).toBe(1);
    expect(d.view.trace().every((e) => e.atMs <= 1000)).toBe(true);
    // The owner runs the clock past the fault; the page's next check catches up.
    await world.advance(1500);
    await d.catchUp();
    await world.advance(10);
    expect(hits(world)).toBe(1);
    await d.act({ kind: 'wait', ms: 2000 });
    expect(hits(world)).toBe(1);
    world.dispose();
  });

  it('a catch-up during the replay of a rewind applies nothing: a fault applied late is applied again after the rewind, and a later rewind keeps it', async () => {
    const s = spec({ faults: [hit] });
    const world = new World(simWorldOptions(s, 1));
    const d = await createSimLessonWorld(world, s, { ownsWorld: false });
    // The owner plays the clock past the fault (at 2 s); the page's check applies it at 3 s.
    await world.runUntil(() => false, { timeoutMs: 3000 });
    await d.catchUp();
    await world.advance(10);
    expect(hits(world)).toBe(1);
    // Rewinding to 2.9 s undoes it. The page checks again while the replay passes 2 s.
    let caught: Promise<void> | null = null;
    const off = world.on('time', () => {
      if (!caught && world.now - world.startTime > 2100) caught = d.catchUp();
    });
    await world.rewind(world.startTime + 2900);
    off();
    expect(caught).not.toBeNull();
    await caught;
    // Mid-replay, the fault would have been stamped with the replay's time (before 2.9 s) and
    // applied at 2.9 s; a rewind to 2.8 s then kept it as applied though nothing replays it.
    await d.catchUp();
    await world.advance(10);
    expect(hits(world)).toBe(1);
    await world.rewind(world.startTime + 2800);
    await d.catchUp();
    await world.advance(10);
    expect(hits(world)).toBe(1);
    world.dispose();
  });

  it('a wait ends at a rewind someone else made meanwhile: the rebuilt world is not run on towards the old end', async () => {
    const s = spec();
    const world = new World(simWorldOptions(s, 1));
    const d = await createSimLessonWorld(world, s, { ownsWorld: false });
    await d.act({ kind: 'wait', ms: 3000 });
    const to = world.startTime + 1000;
    // The learner rewinds while the autoplay waits (between two of its slices of time).
    let rewind: Promise<void> | null = null;
    const off = world.on('time', () => {
      if (rewind || world.now - world.startTime < 4000) return;
      rewind = world.rewind(to);
    });
    expect(await d.waitUntil(() => false, 10_000)).toBe(false);
    off();
    expect(rewind).not.toBeNull();
    await rewind;
    // Before, it went on waiting in the rebuilt world, up to 13 s.
    expect(world.now).toBe(to);
    world.dispose();
  });

  it('on a resumed world, neither starts the load generator again nor repeats the faults it replayed', async () => {
    const s = spec({ faults: [hit], loadgen: { host: 'app01', target: { address: '10.0.0.1:6379' }, ratePerSec: 20, keys: 5, autostart: true } });
    const first = new World(simWorldOptions(s, 1));
    const d1 = await createSimLessonWorld(first, s);
    await d1.act({ kind: 'wait', ms: 3000 });
    expect(hits(first)).toBe(1);
    const inputs = first.recordedInputs();
    const until = first.now;
    d1.dispose();

    const again = new World(simWorldOptions(s, 1));
    await again.replayInputs(inputs, until);
    const d2 = await createSimLessonWorld(again, s, { resumed: true });
    await d2.act({ kind: 'wait', ms: 2000 });
    expect(hits(again)).toBe(1);
    expect(again.processes('app01').filter((p) => p.argv[0] === 'halab-loadgen')).toHaveLength(1);
    expect(d2.view.loadgen().running).toBe(true);
    d2.dispose();
  });
});
