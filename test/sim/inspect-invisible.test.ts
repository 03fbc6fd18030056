/**
 * An observer changes nothing, whatever it asks and whenever it asks it: the same world played
 * twice inline, once with every kind of inspection query asked of every process between every
 * two rounds (so also right after each process starts, before its first cron tick, and all
 * through a failover), once with no observer, ends with the same trace hash, files and
 * processes, and the same answers to the same final questions.
 *
 * This is what a rewind relies on: its replay in workers has no observer and must reproduce
 * the replies the log recorded (src/sim/run-log.ts), while the page's summaries, inspector,
 * plots and statecharts ask the servers as soon as they listen. A read that creates or changes
 * state (a series started at the reader's time, a cache filled at the reader's time, a peak
 * raised) shows up here as another INFO reply to a sentinel, another eviction, another trace.
 *
 * Two worlds: lab C2's shape (three redis-servers, a master and two replicas, a sentinel on
 * each host, a sentinel-aware writer, the master killed with SIGKILL), and a six-node cluster
 * made by `redis-cli --cluster create`, a master killed and its replica elected.
 */
import { describe, expect, it } from 'vitest';
import { World, type InspectBetweenRounds } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import type { InspectQuery } from '../../src/sim/runtime/inspectors';
import type { RedisQuery } from '../../src/engine/inspect';

const INFO_SECTIONS = [
  '', 'default', 'all', 'everything', 'server', 'clients', 'memory', 'persistence', 'stats', 'replication',
  'cpu', 'commandstats', 'errorstats', 'latencystats', 'cluster', 'keyspace', 'sentinel',
];
const KEYS = ['loadgen:0', 'loadgen:1', 'k1', 'k2', 'nope'];

/** Every kind of query the inspection channel answers (src/sim/runtime/inspectors.ts). */
const REDIS_QUERIES: RedisQuery[] = [
  { op: 'role' },
  ...INFO_SECTIONS.map((section) => ({ op: 'info', section }) as const),
  { op: 'infoText', sections: [] },
  { op: 'infoText', sections: ['everything'] },
  { op: 'summary' },
  { op: 'keys', db: 0, limit: 3 },
  ...KEYS.map((key) => ({ op: 'key', db: 0, key }) as const),
  { op: 'values', db: 0, keys: KEYS },
  { op: 'sentinelEvents', since: 0 },
  { op: 'dbsize', db: 0 },
  ...['maxmemory', 'dir', 'save', 'logfile', 'hz', 'slaveof'].map((name) => ({ op: 'config', name }) as const),
  { op: 'log' },
  { op: 'cluster' },
  { op: 'sentinel' },
];
const QUERIES: InspectQuery[] = [...REDIS_QUERIES.map((query) => ({ fn: 'redis', query }) as const), { fn: 'loadgen' }, { fn: 'process' }];
const SUMMARY = REDIS_QUERIES.findIndex((q) => q.op === 'summary');

/**
 * The observer of one world: between every two rounds (runUntil's predicate), each running
 * process is asked one query kind, in turn; every query kind during its first rounds (a server
 * that just started, before its first cron tick: the page's summaries ask as soon as it
 * listens) and every `fullEvery` rounds (asking everything every round of lab C2 costs minutes).
 */
const FIRST_ROUNDS = 5;

interface Observer {
  ask(w: World, inspect: InspectBetweenRounds): Promise<boolean>;
  /** Servers' answers to a summary, as a check that it asked them. */
  summaries: number;
}

function observer(fullEvery: number): Observer {
  let round = 0;
  const seen = new Map<number, number>();
  const o: Observer = {
    summaries: 0,
    async ask(world, inspect) {
      round++;
      for (const p of world.processes()) {
        const rounds = (seen.get(p.pid) ?? 0) + 1;
        seen.set(p.pid, rounds);
        const all = rounds <= FIRST_ROUNDS || round % fullEvery === 0;
        const answers = await inspect(p.pid, all ? QUERIES : [QUERIES[(round + p.pid) % QUERIES.length]]);
        if (all && answers?.[SUMMARY] != null) o.summaries++;
      }
      return false;
    },
  };
  return o;
}

/** Advance `ms` of virtual time through `runUntil`, asking between rounds when `watch` is given. */
async function play(w: World, ms: number, watch: Observer | null): Promise<void> {
  await w.runUntil(watch ? (world, inspect) => watch.ask(world, inspect) : () => false, { timeoutMs: ms });
}

// Exec ids are part of the trace: each world numbers its own.
const execIds = new WeakMap<World, number>();
function exec(w: World, host: string, command: string): void {
  const id = (execIds.get(w) ?? 1_000) + 1;
  execIds.set(w, id);
  w.input({ kind: 'exec', host, command, id });
}
const serverPid = (w: World, host: string, port: number) =>
  w.processes(host).find((p) => p.argv[0] === 'redis-server' && p.title.includes(`:${port}`))!.pid;

/**
 * What the world is at the end, and what the same final questions get from each process. A
 * machine's last transition is the observer's own record (machine-watch.ts: remembered from
 * its first look on), so it is left out: the unobserved world's first look is this one.
 */
async function finalState(w: World): Promise<unknown> {
  const answers: Record<string, unknown> = {};
  for (const p of w.processes()) {
    const got = await w.inspectAll(p.pid, QUERIES);
    answers[`${p.host}:${p.pid}:${p.title}`] = JSON.parse(JSON.stringify(got, (k, v) => (k === 'last' ? undefined : v)));
  }
  return { now: w.now, fingerprint: w.fingerprint(), answers };
}

const C2_HOSTS = [
  { name: 'redis-1', ip: '10.0.0.11' }, { name: 'redis-2', ip: '10.0.0.12' }, { name: 'redis-3', ip: '10.0.0.13' },
  { name: 'client', ip: '10.0.0.20' },
];

/**
 * Lab C2 with a sentinel-aware writer, the master under a maxmemory that makes it evict, a
 * BGSAVE and an AOF rewrite; then its master killed.
 */
async function c2(observed: boolean): Promise<unknown> {
  const w = new World({ seed: 7, hosts: C2_HOSTS, programs: STANDARD_PROGRAMS });
  const watch = observed ? observer(10) : null;
  try {
    for (const [i, h] of ['redis-1', 'redis-2', 'redis-3'].entries()) {
      const role = i ? '--replicaof 10.0.0.11 6379' : '--maxmemory 1100000 --maxmemory-policy allkeys-lru';
      exec(w, h, `redis-server --port 6379 --protected-mode no --save "" --logfile /var/log/r.log ${role} &`);
      exec(w, h, `printf 'port 26379\\nlogfile /var/log/s.log\\nsentinel monitor mymaster 10.0.0.11 6379 2\\nsentinel down-after-milliseconds mymaster 3000\\n' > /etc/s.conf; redis-sentinel /etc/s.conf &`);
    }
    await play(w, 1500, watch);
    exec(w, 'client', 'halab-loadgen --sentinels 10.0.0.11:26379,10.0.0.12:26379,10.0.0.13:26379 --master mymaster --reads --rate 200 --keys 2000 &');
    await play(w, 4000, watch);
    // Forked children while observed: an AOF rewrite on a replica, a BGSAVE on the master.
    exec(w, 'client', 'redis-cli -h 10.0.0.12 config set appendonly yes; redis-cli -h 10.0.0.11 bgsave');
    await play(w, 4000, watch);
    // Asked in both runs alike: the master really evicted (its used_memory estimate mattered).
    const [stats] = (await w.inspectAll(serverPid(w, 'redis-1', 6379), [{ fn: 'redis', query: { op: 'info', section: 'stats' } }]))! as Record<string, string>[];
    expect(Number(stats.evicted_keys)).toBeGreaterThan(0);
    w.kill('redis-1', serverPid(w, 'redis-1', 6379), 'SIGKILL');
    await play(w, 20_000, watch);
    const logs = ['redis-2', 'redis-3'].map((h) => w.readText(h, '/var/log/s.log') ?? '').join('');
    // It really failed over, and the children really ran.
    expect(logs).toContain('+switch-master mymaster 10.0.0.11 6379');
    expect(w.readText('redis-1', '/var/log/r.log')).toContain('Background saving started by pid');
    expect(w.readText('redis-2', '/var/log/r.log')).toContain('Background append only file rewriting started by pid');
    if (watch) expect(watch.summaries).toBeGreaterThan(500);
    return await finalState(w);
  } finally {
    w.dispose();
  }
}

const CLUSTER_CONF = [
  'port 7000', 'cluster-enabled yes', 'cluster-node-timeout 1000', 'cluster-config-file nodes.conf',
  'dir /var/lib/redis', 'save ""', 'appendonly no', 'protected-mode no', 'logfile /var/log/redis.log', '',
].join('\n');

/** Six nodes made a cluster with a replica per master, written to, a master killed. */
async function cluster(observed: boolean): Promise<unknown> {
  const w = new World({
    seed: 7,
    hosts: [1, 2, 3, 4, 5, 6].map((i) => ({
      name: `node-${i}`, ip: `10.0.0.${i}`,
      files: { '/etc/redis.conf': CLUSTER_CONF, '/var/lib/redis/.keep': '' },
      boot: ['redis-server /etc/redis.conf'],
    })),
    programs: STANDARD_PROGRAMS,
  } as ConstructorParameters<typeof World>[0]);
  const watch = observed ? observer(1) : null;
  try {
    await play(w, 500, watch);
    const addrs = [1, 2, 3, 4, 5, 6].map((i) => `10.0.0.${i}:7000`).join(' ');
    exec(w, 'node-1', `redis-cli --cluster create ${addrs} --cluster-replicas 1 --cluster-yes > /tmp/create`);
    await play(w, 8000, watch);
    exec(w, 'node-2', 'for i in $(seq 1 40); do redis-cli -c -p 7000 set k$i v$i; done > /tmp/sets');
    await play(w, 2000, watch);
    w.kill('node-1', serverPid(w, 'node-1', 7000), 'SIGKILL');
    await play(w, 6000, watch);
    expect(w.readText('node-1', '/tmp/create')).toContain('[OK] All 16384 slots covered.');
    // node-1's replica took over.
    const logs = [2, 3, 4, 5, 6].map((i) => w.readText(`node-${i}`, '/var/log/redis.log') ?? '').join('');
    expect(logs).toContain("Failover election won: I'm the new master.");
    if (watch) expect(watch.summaries).toBeGreaterThan(500);
    return await finalState(w);
  } finally {
    w.dispose();
  }
}

describe('an observer changes nothing', () => {
  it('lab C2 through a failover: the same world with every query asked between every two rounds as without', async () => {
    const plain = await c2(false);
    const watched = await c2(true);
    expect(watched).toEqual(plain);
  }, 240_000);

  it('a cluster made, written to and failed over: the same world with every query asked between every two rounds as without', async () => {
    const plain = await cluster(false);
    const watched = await cluster(true);
    expect(watched).toEqual(plain);
  }, 240_000);
});
