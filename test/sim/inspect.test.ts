/**
 * world.inspect: read-only queries inside a process's memory. Inspecting must leave the world
 * exactly as it would have been (same trace hash, same files), in both runtimes, and the answers
 * must be what a client would see.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import type { Runtime } from '../../src/sim/runtime/runtime';
import { NodeWorkerRuntime } from '../../src/sim/runtime/node-worker-runtime';
import type { InspectQuery } from '../../src/sim/runtime/inspectors';
import type { KeyListing, KeyState, ServerSummary } from '../../src/engine/inspect';
import { programs } from './programs';

const HOSTS = [
  { name: 'redis-1', ip: '10.0.0.11', files: { '/etc/redis.conf': 'port 6379\nprotected-mode no\nsave ""\nlogfile /var/log/redis.log\nmaxmemory-policy allkeys-lru\n' } },
  { name: 'client', ip: '10.0.0.20' },
];

const QUERIES: InspectQuery[] = [
  { fn: 'redis', query: { op: 'role' } },
  { fn: 'redis', query: { op: 'info', section: 'everything' } },
  { fn: 'redis', query: { op: 'key', db: 0, key: 'k:3' } },
  { fn: 'redis', query: { op: 'key', db: 0, key: 'ttl:3' } },
  { fn: 'redis', query: { op: 'values', db: 0, keys: ['k:1', 'k:2', 'nope'] } },
  { fn: 'redis', query: { op: 'dbsize', db: 0 } },
  { fn: 'redis', query: { op: 'config', name: 'maxmemory-policy' } },
  { fn: 'redis', query: { op: 'log' } },
  // The UI's: its topology's summary, its inspector's INFO sections and keyspace listing.
  { fn: 'redis', query: { op: 'summary' } },
  { fn: 'redis', query: { op: 'infoText', sections: ['everything'] } },
  { fn: 'redis', query: { op: 'keys', db: 0, limit: 5 } },
  { fn: 'process' },
];

/**
 * A server and a client that keeps writing plain keys and keys with a 1 s TTL, and asks for
 * INFO (whose memory section has state of its own: the peak).
 */
async function session(opts: { runtime?: Runtime; inspect: boolean }): Promise<{ w: World; answers: unknown[][] }> {
  const w = new World({ seed: 5, hosts: HOSTS, programs, runtime: opts.runtime });
  await w.exec('redis-1', 'redis-server /etc/redis.conf &');
  await w.advance(200);
  await w.exec('client', 'redis-cmds 10.0.0.11 6379 20 SET k:%N v%N -- SET ttl:%N x PX 1000 -- INFO memory -- GET k:%N > /tmp/out &');
  const pid = w.processes('redis-1').find((p) => p.argv[0] === 'redis-server')!.pid;
  const answers: unknown[][] = [];
  for (let i = 0; i < 20; i++) {
    await w.advance(150);
    if (opts.inspect) answers.push((await w.inspectAll(pid, QUERIES))!);
  }
  return { w, answers };
}

describe('world.inspect', () => {
  it('changes nothing: the same trace hash and files with and without inspecting, inline and in workers', async () => {
    const plain = await session({ inspect: false });
    const watched = await session({ inspect: true });
    expect(watched.w.trace.hash()).toBe(plain.w.trace.hash());
    expect(watched.w.fingerprint()).toEqual(plain.w.fingerprint());
    expect(plain.w.readText('client', '/tmp/out')).toContain('"# Memory');

    const runtime = new NodeWorkerRuntime(new URL('./programs.ts', import.meta.url).href);
    try {
      const inWorkers = await session({ runtime, inspect: true });
      expect(inWorkers.w.trace.hash()).toBe(plain.w.trace.hash());
      // Answers are plain data and the same from a worker (process-bookkeeping aside).
      const strip = (a: unknown[][]) => a.map((x) => x.slice(0, -1));
      expect(strip(inWorkers.answers)).toEqual(strip(watched.answers));
      inWorkers.w.dispose();
    } finally {
      runtime.dispose();
    }
    plain.w.dispose();
    watched.w.dispose();
  }, 60_000);

  it('inspectEach asks several processes at once: the answers of inspectAll, in order, the workers asked together', async () => {
    const runtime = new NodeWorkerRuntime(new URL('./programs.ts', import.meta.url).href);
    const w = new World({ seed: 5, hosts: HOSTS, programs, runtime });
    try {
      await w.exec('redis-1', 'redis-server /etc/redis.conf &');
      await w.exec('client', 'redis-server --port 7000 --save "" &');
      await w.advance(200);
      await w.exec('client', 'redis-cli -p 7000 SET k v');
      const pidOf = (host: string) => w.processes(host).find((p) => p.argv[0] === 'redis-server')!.pid;
      const [a, b] = [pidOf('redis-1'), pidOf('client')];
      const qa: InspectQuery[] = [{ fn: 'redis', query: { op: 'role' } }, { fn: 'redis', query: { op: 'dbsize', db: 0 } }];
      const qb: InspectQuery[] = [{ fn: 'redis', query: { op: 'key', db: 0, key: 'k' } }];
      // Count the queries in flight in the workers at once (each process has its own worker).
      let inFlight = 0;
      let most = 0;
      const kernel = (w as unknown as { kernel: { runnerHandle(slot: number): { query: (...x: unknown[]) => Promise<unknown> } | null; procs: Map<number, { slot: number }> } }).kernel;
      for (const pid of [a, b]) {
        const h = kernel.runnerHandle(kernel.procs.get(pid)!.slot)!;
        const query = h.query.bind(h);
        h.query = async (...x: unknown[]) => {
          most = Math.max(most, ++inFlight);
          try { return await query(...x); } finally { inFlight--; }
        };
      }
      const each = await w.inspectEach([{ pid: a, queries: qa }, { pid: 999_999, queries: qa }, { pid: b, queries: qb }]);
      expect(most).toBe(2);
      expect(each).toEqual([await w.inspectAll(a, qa), null, await w.inspectAll(b, qb)]);
      expect(each[0]).toEqual(['master', 0]);
      expect(each[2]).toMatchObject([{ type: 'string' }]);
    } finally {
      w.dispose();
      runtime.dispose();
    }
  }, 60_000);

  it('answers what a client would see: role, INFO, keys and their TTL, values, DBSIZE, CONFIG GET, the log', async () => {
    const { w, answers } = await session({ inspect: true });
    const [role, info, k3, ttl3, values, dbsize, policy, log, summary, infoText, listing, proc] = answers[answers.length - 1] as [
      string, Record<string, string>, KeyState, KeyState | null, (string | null)[], number, string, string[],
      ServerSummary, string, { total: number; keys: KeyListing[] }, { pid: number; clock: number },
    ];
    expect(role).toBe('master');
    expect(info.tcp_port).toBe('6379');
    expect(info.role).toBe('master');
    expect(Number(info.used_memory)).toBeGreaterThan(0);
    expect(info.db0).toMatch(/^keys=\d+,expires=\d+,avg_ttl=\d+$/);
    expect(k3).toEqual({ type: 'string', value: 'v3', length: 2, ttlMs: null });
    // ttl:3 was written about 2.8 s ago with a 1 s TTL: gone for a reader, whether or not reclaimed.
    expect(ttl3).toBeNull();
    expect(values).toEqual(['v1', 'v2', null]);
    expect(dbsize).toBeGreaterThan(10);
    expect(policy).toBe('allkeys-lru');
    expect(log.join('\n')).toContain('Ready to accept connections');
    expect(proc.clock).toBe(w.now);

    // The UI's queries: a summary from INFO, INFO's own text, a keyspace listing.
    expect(summary).toMatchObject({ role: 'master', port: 6379, masterHost: null, loading: false, aofEnabled: false });
    expect(summary.totalCommands).toBe(Number(info.total_commands_processed));
    expect(summary.keys).toBe(dbsize);
    expect(infoText).toMatch(/^# Server\r\nredis_version:7\.0\.15\r\n/);
    expect(infoText).toContain('\r\n# Keyspace\r\ndb0:keys=');
    expect(listing.keys).toHaveLength(5);
    // Live keys only: the k:* keys (ttl:* ones written more than a second ago are gone for a reader).
    const live = Number(/keys=(\d+)/.exec(info.db0)![1]) - Number(/expires=(\d+)/.exec(info.db0)![1]);
    expect(listing.total).toBeGreaterThanOrEqual(live);
    expect(listing.total).toBeLessThanOrEqual(dbsize);
    for (const k of listing.keys) {
      expect(k).toMatchObject({ type: 'string', encoding: 'embstr' });
      if (k.key.startsWith('k:')) expect(k).toMatchObject({ ttlMs: null, length: k.key.length - 1 });
      else expect(k.ttlMs).toBeGreaterThan(0);
    }

    // A key with a TTL still alive is seen with its remaining time, measured at world.now.
    const pid = w.processes('redis-1').find((p) => p.argv[0] === 'redis-server')!.pid;
    const fresh = (await w.inspectAll(pid, [{ fn: 'redis', query: { op: 'info', section: 'keyspace' } }]))![0] as Record<string, string>;
    expect(Number(/expires=(\d+)/.exec(fresh.db0)![1])).toBeGreaterThan(0);

    // Not a server, or no such process: null.
    const client = w.processes('client').find((p) => p.argv[0] === 'redis-cmds')!.pid;
    expect(await w.inspect(client, { fn: 'redis', query: { op: 'role' } })).toBeNull();
    expect(await w.inspect(999_999, { fn: 'redis', query: { op: 'role' } })).toBeNull();
    // Synchronously on the inline runtime, the same answers.
    expect(w.inspectsSynchronously).toBe(true);
    expect(w.inspectNow(pid, QUERIES.slice(0, 3))).toEqual((await w.inspectAll(pid, QUERIES.slice(0, 3))));
    w.dispose();
  });

  it('an observer that tries to change the process is stopped and leaves it untouched', async () => {
    const w = new World({ seed: 5, hosts: HOSTS, programs });
    await w.exec('redis-1', 'redis-server /etc/redis.conf &');
    await w.advance(200);
    const p = w.kernel.procs.get(w.processes('redis-1').find((x) => x.argv[0] === 'redis-server')!.pid)!;
    const ctx = w.kernel.runnerHandle(p.slot!)!.local!.context(p.pid)!;
    const before = w.trace.hash();
    const clock = ctx.clock;
    expect(() => ctx.observe(w.now, () => ctx.stdout('hello\n'))).toThrow(/must not change the process \(it tried: out\)/);
    expect(() => ctx.observe(w.now, () => ctx.setTimer(1, () => undefined))).toThrow(/setTimer/);
    expect(() => ctx.observe(w.now, () => ctx.random())).toThrow(/random/);
    expect(ctx.clock).toBe(clock);
    await w.advance(1000);
    const again = new World({ seed: 5, hosts: HOSTS, programs });
    await again.exec('redis-1', 'redis-server /etc/redis.conf &');
    await again.advance(1200);
    expect(before).not.toBe(w.trace.hash());
    expect(w.trace.hash()).toBe(again.trace.hash());
    w.dispose();
    again.dispose();
  });
});

/** The watcher-side additions the UI builds on: boot directories, transmissions, cuts, links. */
describe('world watchers', () => {
  const conf = (port: number) => `port ${port}\nprotected-mode no\ndir /var/redis/${port}\n`;
  const build = () => new World({
    seed: 7,
    hosts: [
      { name: 'redis-1', ip: '10.0.0.11', files: { '/etc/redis/7000.conf': conf(7000) }, dirs: ['/var/redis/7000'], boot: ['redis-server /etc/redis/7000.conf'] },
      { name: 'app', ip: '10.0.0.20' },
    ],
    programs,
  });

  it('creates boot directories so a server can use them as its dir; lists its sockets', async () => {
    const w = build();
    await w.advance(1000);
    expect(w.fileInfo('redis-1', '/var/redis/7000')?.isDirectory).toBe(true);
    // (and the host's sshd on 22)
    expect(w.listening('redis-1').filter((l) => l.port !== 22).map((l) => `${l.address}:${l.port}`).sort()).toEqual(['0.0.0.0:7000', ':::7000']);
    w.dispose();
  });

  it('reports transmissions with pids, sizes and times, and watching changes nothing', async () => {
    const run = async (watch: boolean) => {
      const w = build();
      const seen: { fromPid: number; toPid: number; bytes: number; sentT: number; arrivalT: number; head: string }[] = [];
      if (watch) w.on('message', (m) => seen.push(m));
      await w.advance(500);
      w.input({ kind: 'exec', host: 'app', command: 'load-client 10.0.0.11 7000 2 k', id: 1 });
      await w.advance(1000);
      const conns = w.connections();
      const hash = w.trace.hash();
      w.dispose();
      return { hash, seen, conns };
    };
    const watched = await run(true);
    const unwatched = await run(false);
    expect(watched.hash).toBe(unwatched.hash);
    const data = watched.seen.filter((m) => m.bytes > 0);
    expect(data.length).toBe(4); // SET, +OK, GET, bulk reply
    expect(data[0].head.startsWith('*3\r\n$3\r\nSET\r\n')).toBe(true);
    expect(data[1].head).toBe('+OK\r\n');
    expect(data[1].fromPid).toBe(data[0].toPid);
    expect(data[1].toPid).toBe(data[0].fromPid);
    for (const m of data) expect(m.arrivalT).toBeGreaterThan(m.sentT);
    expect(unwatched.seen).toEqual([]);
  });

  it('names the client and server pids of a connection', async () => {
    const w = build();
    await w.advance(500);
    w.input({ kind: 'exec', host: 'app', command: 'load-client 10.0.0.11 7000 1000 k 100', id: 1 });
    await w.advance(500);
    const [c] = w.connections();
    expect(c.serverPid).toBe(w.listening('redis-1').find((l) => l.port !== 22)!.pid);
    expect(w.processes('app').find((p) => p.pid === c.clientPid)?.argv[0]).toBe('load-client');
    w.dispose();
  });

  it('lists the cuts of a partition until it heals, and the link parameters in force', async () => {
    const w = build();
    w.partition(['redis-1'], ['app']);
    expect(w.cuts().sort()).toEqual([['app', 'redis-1'], ['redis-1', 'app']]);
    w.heal();
    expect(w.cuts()).toEqual([]);
    w.setLink('redis-1', 'app', { latencyMs: 200 });
    expect(w.linkParams('app', 'redis-1').latencyMs).toBe(200);
    w.dispose();
  });
});
