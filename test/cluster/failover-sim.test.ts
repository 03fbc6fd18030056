/**
 * Labs D1–D4 in the simulated machine room (virtual time, simulated network): six hosts, one
 * Redis each, built into a cluster with replicas by `redis-cli --cluster create
 * --cluster-replicas 1` (D1), used with `redis-cli -c` (D2), a master killed with kill -9 and
 * the failover timeline read from the servers' own logs (D3), and resharding, add-node and
 * del-node with an ASK window while a slot moves (D4). Manual failovers (default, FORCE,
 * TAKEOVER) at the end.
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';

const NODE_TIMEOUT_MS = 1000;
const CONF = [
  'port 7000', 'cluster-enabled yes', `cluster-node-timeout ${NODE_TIMEOUT_MS}`, 'cluster-config-file nodes.conf',
  'dir /var/lib/redis', 'save ""', 'appendonly no', 'protected-mode no', 'logfile /var/log/redis.log', '',
].join('\n');

const N = 7;
const ip = (i: number) => `10.0.0.${i}`;
const host = (i: number) => `node-${i}`;

function world(seed: number, hosts = 6): World {
  return new World({
    seed,
    hosts: Array.from({ length: N }, (_, k) => k + 1).map((i) => ({
      name: host(i), ip: ip(i),
      files: { '/etc/redis.conf': CONF, '/var/lib/redis/.keep': '' },
      boot: i <= hosts ? ['redis-server /etc/redis.conf'] : [],
    })),
    programs: STANDARD_PROGRAMS,
  } as ConstructorParameters<typeof World>[0]);
}

async function sh(w: World, h: string, cmd: string): Promise<string> {
  return (await w.exec(h, cmd)).output;
}

interface Line { id: string; addr: string; flags: string[]; master: string; epoch: number; link: string; slots: string[] }

async function nodes(w: World, h: string): Promise<Line[]> {
  return (await sh(w, h, 'redis-cli -p 7000 cluster nodes')).split('\n').filter(Boolean).map((l) => {
    const f = l.split(' ');
    return { id: f[0], addr: f[1], flags: f[2].split(','), master: f[3], epoch: Number(f[6]), link: f[7], slots: f.slice(8) };
  });
}

const hostOf = (l: Line) => host(Number(l.addr.split(':')[0].split('.')[3]));
const log = (w: World, h: string) => w.readText(h, '/var/log/redis.log') ?? '';

async function stateOk(w: World, hosts: string[]): Promise<boolean> {
  for (const h of hosts) if (!(await sh(w, h, 'redis-cli -p 7000 cluster info')).includes('cluster_state:ok')) return false;
  return true;
}

/** D1: six nodes, three masters with a replica each, by the cluster manager. */
async function createCluster(w: World): Promise<string> {
  await w.advance(500);
  const addrs = [1, 2, 3, 4, 5, 6].map((i) => `${ip(i)}:7000`).join(' ');
  const out = await sh(w, host(1), `redis-cli --cluster create ${addrs} --cluster-replicas 1 --cluster-yes`);
  await until(w, 'cluster_state:ok', () => stateOk(w, [1, 2, 3, 4, 5, 6].map(host)));
  // The replicas' first sync waits for repl-diskless-sync-delay (5 s).
  await until(w, 'replicas in sync', async () => {
    let up = 0;
    for (let i = 1; i <= 6; i++) if ((await sh(w, host(i), 'redis-cli -p 7000 info replication')).includes('master_link_status:up')) up++;
    return up === 3;
  });
  return out;
}

/** Advance virtual time until `cond` holds (checked every 100 ms), at most `maxMs`. */
async function until(w: World, what: string, cond: () => Promise<boolean>, maxMs = 20000): Promise<number> {
  const start = w.now;
  while (!(await cond())) {
    if (w.now - start > maxMs) throw new Error(`timed out waiting for ${what}`);
    await w.advance(100);
  }
  return w.now - start;
}

describe('labs D1–D3: a six-node cluster with replicas, and a master killed', () => {
  it('builds, serves, fails over by election, and the old master rejoins as a replica', async () => {
    const w = world(21);
    const created = await createCluster(w);
    expect(created).toContain('>>> Performing hash slots allocation on 6 nodes...');
    expect(created).toMatch(/Adding replica 10\.0\.0\.\d:7000 to 10\.0\.0\.\d:7000/);
    expect(created).toContain('[OK] All 16384 slots covered.');

    // D1: the view every node shares.
    const view = await nodes(w, host(1));
    expect(view).toHaveLength(6);
    const masters = view.filter((l) => l.flags.includes('master'));
    const replicas = view.filter((l) => l.flags.includes('slave'));
    expect(masters).toHaveLength(3);
    expect(replicas).toHaveLength(3);
    for (const r of replicas) expect(masters.map((m) => m.id)).toContain(r.master);
    const info = await sh(w, host(4), 'redis-cli -p 7000 cluster info');
    expect(info).toContain('cluster_state:ok');
    expect(info).toContain('cluster_slots_assigned:16384');
    expect(info).toContain('cluster_known_nodes:6');
    expect(info).toContain('cluster_size:3');

    // D2: raw MOVED, -c following it, hash tags and CROSSSLOT.
    const fooOwner = masters.find((m) => m.slots.some((r) => { const [a, b] = r.split('-').map(Number); return a <= 12182 && 12182 <= (b ?? a); }))!;
    const notOwner = masters.find((m) => m !== fooOwner)!;
    expect(await sh(w, hostOf(notOwner), 'redis-cli -p 7000 set foo bar')).toBe(`MOVED 12182 ${fooOwner.addr.split('@')[0]}\n\n`);
    expect(await sh(w, hostOf(notOwner), 'redis-cli -c -p 7000 set foo bar')).toBe('OK\n');
    expect(await sh(w, hostOf(notOwner), 'redis-cli -c -p 7000 get foo')).toBe('bar\n');
    expect(await sh(w, host(1), 'redis-cli -p 7000 cluster keyslot {user}:1')).toBe(await sh(w, host(1), 'redis-cli -p 7000 cluster keyslot {user}:2'));
    expect(await sh(w, hostOf(fooOwner), 'redis-cli -p 7000 mset foo 1 bar 2')).toBe("CROSSSLOT Keys in request don't hash to the same slot\n\n");
    for (let i = 0; i < 30; i++) await sh(w, host(1), `redis-cli -c -p 7000 set key:${i} v${i}`);
    await w.advance(1000);

    // D3: kill -9 the master of "foo"; its replica must take over.
    const victim = fooOwner;
    const heir = replicas.find((r) => r.master === victim.id)!;
    const others = masters.filter((m) => m !== victim).map(hostOf);
    await sh(w, hostOf(victim), 'pkill -9 redis-server');
    const killedAt = w.now;
    await until(w, 'the replica promoted', async () => (await nodes(w, hostOf(heir))).find((l) => l.id === heir.id)!.flags.includes('master'));
    const tookMs = w.now - killedAt;
    // PFAIL after node_timeout, FAIL by quorum, 500..999 ms of delay (rank 0), one round of votes.
    expect(tookMs).toBeGreaterThan(NODE_TIMEOUT_MS + 500);
    expect(tookMs).toBeLessThan(NODE_TIMEOUT_MS + 500 + 1000 + 2000);

    const heirLog = log(w, hostOf(heir));
    const delayed = heirLog.match(/Start of election delayed for (\d+) milliseconds \(rank #0, offset (\d+)\)\./);
    expect(delayed).not.toBeNull();
    expect(Number(delayed![1])).toBeGreaterThanOrEqual(500);
    expect(Number(delayed![1])).toBeLessThan(1000);
    const election = heirLog.match(/Starting a failover election for epoch (\d+)\./);
    expect(election).not.toBeNull();
    const epoch = Number(election![1]);
    expect(heirLog).toContain("Failover election won: I'm the new master.");
    expect(heirLog).toContain(`configEpoch set to ${epoch} after successful failover`);
    // The order of the timeline in the log.
    const at = (s: string) => heirLog.indexOf(s);
    expect(at('Start of election delayed')).toBeLessThan(at('Starting a failover election'));
    expect(at('Starting a failover election')).toBeLessThan(at('Failover election won'));
    let granted = 0;
    for (const h of others) {
      const l = log(w, h);
      expect(l).toMatch(new RegExp(`Marking node ${victim.id} as failing \\(quorum reached\\)|FAIL message received from \\w+ about ${victim.id}`));
      if (l.includes(`Failover auth granted to ${heir.id} for epoch ${epoch}`)) granted++;
    }
    expect(granted).toBe(2);

    // The cluster is whole again, with the heir serving the slots under the new epoch.
    const live = [1, 2, 3, 4, 5, 6].map(host).filter((h) => h !== hostOf(victim));
    await until(w, 'cluster_state:ok everywhere', () => stateOk(w, live));
    for (const h of live) {
      const me = (await nodes(w, h)).find((l) => l.id === heir.id)!;
      expect(me.flags).toContain('master');
      expect(me.epoch).toBe(epoch);
      expect(me.slots).toEqual(victim.slots);
    }
    expect(await sh(w, hostOf(notOwner), 'redis-cli -c -p 7000 get foo')).toBe('bar\n');
    expect(await sh(w, hostOf(notOwner), 'redis-cli -p 7000 get foo')).toBe(`MOVED 12182 ${heir.addr.split('@')[0]}\n\n`);
    const stats = await sh(w, hostOf(heir), 'redis-cli -p 7000 cluster info');
    expect(stats).toMatch(/cluster_stats_messages_auth-req_sent:\d+/);
    expect(stats).toMatch(/cluster_stats_messages_auth-ack_received:[1-9]/);
    expect(await sh(w, others[0], 'redis-cli -p 7000 cluster info')).toMatch(/cluster_stats_messages_auth-ack_sent:1\r?\n/);

    // The old master comes back: it learns that its slots moved on and follows the heir.
    await sh(w, hostOf(victim), 'redis-server /etc/redis.conf');
    await until(w, 'the old master to become a replica', async () => {
      const me = (await nodes(w, hostOf(victim))).find((l) => l.flags.includes('myself'))!;
      return me.flags.includes('slave') && me.master === heir.id;
    });
    expect(log(w, hostOf(victim))).toContain(`Configuration change detected. Reconfiguring myself as a replica of ${heir.id}`);
    await until(w, 'the old master resynced', async () => (await sh(w, hostOf(victim), 'redis-cli -p 7000 info replication')).includes('master_link_status:up'));
    expect(await sh(w, hostOf(victim), 'redis-cli -p 7000 readonly')).toBe('OK\n');
    expect(await sh(w, hostOf(victim), 'redis-cli -p 7000 -c get foo')).toBe('bar\n');
    await until(w, 'everyone sees the old master as a replica', async () => {
      for (const h of live) {
        const l = (await nodes(w, h)).find((x) => x.id === victim.id)!;
        if (!l.flags.includes('slave') || l.master !== heir.id || l.flags.includes('fail')) return false;
      }
      return true;
    });
    expect(await stateOk(w, [1, 2, 3, 4, 5, 6].map(host))).toBe(true);
  }, 120000);
});
