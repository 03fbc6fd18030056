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
import type { ClusterView } from '../../src/engine/cluster/inspect';
import { keyHashSlot } from '../../src/engine/cluster/crc16';
import { keyForSlot } from './helpers';

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
    // Watch the heir's failover machine (read-only inspection) through the whole failover.
    const heirPid = w.processes(hostOf(heir)).find((p) => p.argv[0] === 'redis-server')!.pid;
    const failoverView = () => (w.inspectNow(heirPid, [{ fn: 'redis', query: { op: 'cluster' } }]) as [ClusterView])[0].failover;
    expect(failoverView().state).toBe('idle');
    const seen: string[] = [];
    let maxVotes = 0;
    await sh(w, hostOf(victim), 'pkill -9 redis-server');
    const killedAt = w.now;
    for (let t = 0; t < 200; t++) {
      const f = failoverView();
      if (seen[seen.length - 1] !== f.state) seen.push(f.state);
      maxVotes = Math.max(maxVotes, f.votes);
      if (f.state === 'promoted') break;
      await w.advance(50);
    }
    const tookMs = w.now - killedAt;
    expect(seen[0]).toBe('idle');
    expect(seen).toContain('waiting_delay');
    expect(seen[seen.length - 1]).toBe('promoted');
    expect(seen.filter((x) => !['idle', 'waiting_delay', 'waiting_votes', 'promoted'].includes(x))).toEqual([]);
    expect(maxVotes).toBe(2);
    expect(failoverView().votesNeeded).toBe(2);
    expect((await nodes(w, hostOf(heir))).find((l) => l.id === heir.id)!.flags).toContain('master');
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
    await sh(w, hostOf(victim), 'redis-server /etc/redis.conf &');
    await until(w, 'the old master to become a replica', async () => {
      // Nothing yet while the server is still starting (redis-cli cannot connect).
      const me = (await nodes(w, hostOf(victim))).find((l) => l.flags.includes('myself'));
      return me !== undefined && me.flags.includes('slave') && me.master === heir.id;
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

/** The cluster's masters and, for each, its replica (from node-1's view). */
async function pairs(w: World): Promise<{ master: Line; replica: Line }[]> {
  const view = await nodes(w, host(1));
  return view.filter((l) => l.flags.includes('master')).map((m) => ({ master: m, replica: view.find((r) => r.master === m.id)! }));
}

async function roleOf(w: World, h: string, id: string): Promise<Line> {
  return (await nodes(w, h)).find((l) => l.id === id)!;
}

describe('lab D3: CLUSTER FAILOVER on a replica', () => {
  it('default (handshake with the master), FORCE (master dead), TAKEOVER (no election)', async () => {
    const w = world(33);
    await createCluster(w);
    const [p1, p2, p3] = await pairs(w);
    const all = [1, 2, 3, 4, 5, 6].map(host);

    // Errors first.
    expect(await sh(w, hostOf(p1.master), 'redis-cli -p 7000 cluster failover')).toBe('ERR You should send CLUSTER FAILOVER to a replica\n\n');
    expect(await sh(w, hostOf(p1.replica), 'redis-cli -p 7000 cluster failover soon')).toBe('ERR syntax error\n\n');
    expect(await sh(w, hostOf(p1.replica), 'redis-cli -p 7000 cluster failover force now')).toMatch(/^ERR unknown subcommand or wrong number of arguments for 'failover'/);

    // Default: the master pauses writes, the replica catches up, then an election with FORCEACK.
    for (let i = 0; i < 20; i++) await sh(w, host(1), `redis-cli -c -p 7000 set k${i} v${i}`);
    expect(await sh(w, hostOf(p1.replica), 'redis-cli -p 7000 cluster failover')).toBe('OK\n');
    await until(w, 'roles swapped', async () => (await roleOf(w, hostOf(p1.master), p1.master.id)).flags.includes('slave'), 10000);
    const rlog = log(w, hostOf(p1.replica));
    const mlog = log(w, hostOf(p1.master));
    expect(rlog).toContain('Manual failover user request accepted.');
    expect(mlog).toContain(`Manual failover requested by replica ${p1.replica.id}.`);
    const off = rlog.match(/Received replication offset for paused master manual failover: (\d+)/);
    expect(off).not.toBeNull();
    expect(rlog).toContain('All master replication stream processed, manual failover can start.');
    expect(rlog).toContain(`Start of election delayed for 0 milliseconds (rank #0, offset ${off![1]}).`);
    expect(rlog).toContain("Failover election won: I'm the new master.");
    expect(mlog).toContain(`Configuration change detected. Reconfiguring myself as a replica of ${p1.replica.id}`);
    expect(mlog).not.toContain('Manual failover timed out.');
    // The promoted replica closes its replication link at once and its PONG leaves after
    // beforeSleep (the bus queues packets): the old master logs the lost replica first.
    const lost = mlog.indexOf(`Connection with replica ${p1.replica.addr.split('@')[0]} lost.`);
    expect(lost).toBeGreaterThan(-1);
    expect(lost).toBeLessThan(mlog.indexOf('Configuration change detected.'));
    // The new master kept the old replication ID as replid2: the demoted master resyncs partially.
    await until(w, 'the demoted master resynced', async () => log(w, hostOf(p1.master)).includes('Successful partial resynchronization with master.'), 5000);
    // Both other masters voted although the old master never failed (FORCEACK).
    for (const p of [p2, p3]) expect(log(w, hostOf(p.master))).toMatch(new RegExp(`Failover auth granted to ${p1.replica.id} for epoch \\d+`));
    await until(w, 'cluster_state:ok', () => stateOk(w, all));
    // Writes go to the new master and reach the demoted one.
    expect(await sh(w, host(1), 'redis-cli -c -p 7000 set k0 changed')).toBe('OK\n');
    await w.advance(500);
    expect(await sh(w, hostOf(p1.master), 'redis-cli -p 7000 -c get k0')).toBe('changed\n');

    // FORCE: the master's process is gone; before it is flagged FAIL the replica is told to
    // use FORCE, which needs no handshake with the master.
    await sh(w, hostOf(p2.master), 'pkill -9 redis-server');
    await w.advance(200);
    expect(await sh(w, hostOf(p2.replica), 'redis-cli -p 7000 cluster failover')).toBe('ERR Master is down or failed, please use CLUSTER FAILOVER FORCE\n\n');
    expect(await sh(w, hostOf(p2.replica), 'redis-cli -p 7000 cluster failover force')).toBe('OK\n');
    await until(w, 'FORCE promoted the replica', async () => (await roleOf(w, hostOf(p3.master), p2.replica.id)).flags.includes('master'), 5000);
    const flog = log(w, hostOf(p2.replica));
    expect(flog).toContain('Forced failover user request accepted.');
    expect(flog).toContain("Failover election won: I'm the new master.");
    // Promoted before anyone could flag the old master FAIL (that takes node_timeout).
    expect(log(w, hostOf(p3.master))).not.toContain(`as failing (quorum reached)`);

    // TAKEOVER: no election at all, just a new configEpoch.
    await sh(w, hostOf(p2.master), 'redis-server /etc/redis.conf &');
    await until(w, 'cluster_state:ok', () => stateOk(w, all));
    const before = (await roleOf(w, host(1), p3.master.id)).epoch;
    expect(await sh(w, hostOf(p3.replica), 'redis-cli -p 7000 cluster failover takeover')).toBe('OK\n');
    await until(w, 'TAKEOVER visible', async () => (await roleOf(w, hostOf(p3.master), p3.master.id)).flags.includes('slave'), 5000);
    const tlog = log(w, hostOf(p3.replica));
    expect(tlog).toContain('Taking over the master (user request).');
    expect(tlog).toMatch(/New configEpoch set to \d+/);
    expect(tlog).not.toContain('Starting a failover election');
    for (const p of [p1, p2]) expect(log(w, hostOf(p.replica))).not.toContain(`Failover auth granted to ${p3.replica.id}`);
    expect((await roleOf(w, host(1), p3.replica.id)).epoch).toBeGreaterThan(before);
    await until(w, 'cluster_state:ok', () => stateOk(w, all));
  }, 120000);
});

describe('lab D4: managing the cluster', () => {
  it('add-node, reshard to it with an ASK window, then empty it and del-node', async () => {
    const w = world(44);
    await createCluster(w);
    for (let i = 0; i < 50; i++) await sh(w, host(1), `redis-cli -c -p 7000 set user:${i} ${i}`);
    // A seventh server, started now, joins by add-node.
    await sh(w, host(7), 'redis-server /etc/redis.conf &');
    await w.advance(200);
    const out = await sh(w, host(1), 'redis-cli --cluster add-node 10.0.0.7:7000 10.0.0.1:7000');
    expect(out).toContain('[OK] New node added correctly.');
    await until(w, 'node-7 known everywhere', async () => (await sh(w, host(4), 'redis-cli -p 7000 cluster info')).includes('cluster_known_nodes:7'));
    await until(w, 'node-7 sees the cluster ok', () => stateOk(w, [host(7)]));
    const newId = (await sh(w, host(7), 'redis-cli -p 7000 cluster myid')).trim();

    // By hand first: slot of "user:0" moves to node-7 with an ASK window.
    const slot = Number((await sh(w, host(1), 'redis-cli -p 7000 cluster keyslot user:0')).trim());
    const src = (await pairs(w)).find((p) => p.master.slots.some((r) => { const [a, b] = r.split('-').map(Number); return a <= slot && slot <= (b ?? a); }))!.master;
    const srcHost = hostOf(src);
    const keys = (await sh(w, srcHost, `redis-cli -p 7000 cluster getkeysinslot ${slot} 100`)).split('\n').filter(Boolean);
    expect(keys).toContain('user:0');
    expect(await sh(w, host(7), `redis-cli -p 7000 cluster setslot ${slot} importing ${src.id}`)).toBe('OK\n');
    expect(await sh(w, srcHost, `redis-cli -p 7000 cluster setslot ${slot} migrating ${newId}`)).toBe('OK\n');
    expect(await sh(w, srcHost, `redis-cli -p 7000 migrate 10.0.0.7 7000 user:0 0 5000`)).toBe('OK\n');
    expect(await sh(w, srcHost, 'redis-cli -p 7000 get user:0')).toBe(`ASK ${slot} 10.0.0.7:7000\n\n`);
    expect(await sh(w, host(7), 'redis-cli -p 7000 get user:0')).toBe(`MOVED ${slot} ${src.addr.split('@')[0]}\n\n`);
    expect(await sh(w, host(2), 'redis-cli -c -p 7000 get user:0')).toBe('0\n');
    for (const k of keys.filter((k) => k !== 'user:0')) await sh(w, srcHost, `redis-cli -p 7000 migrate 10.0.0.7 7000 ${k} 0 5000`);
    expect(await sh(w, host(7), `redis-cli -p 7000 cluster setslot ${slot} node ${newId}`)).toBe('OK\n');
    expect(await sh(w, srcHost, `redis-cli -p 7000 cluster setslot ${slot} node ${newId}`)).toBe('OK\n');
    expect(await sh(w, srcHost, 'redis-cli -p 7000 get user:0')).toBe(`MOVED ${slot} 10.0.0.7:7000\n\n`);

    // Then the tool: 100 more slots to node-7.
    const re = await sh(w, host(1), `redis-cli --cluster reshard 10.0.0.1:7000 --cluster-from all --cluster-to ${newId} --cluster-slots 100 --cluster-yes`);
    expect(re).toContain('Moving slot');
    await until(w, 'reshard seen', async () => (await roleOf(w, host(3), newId)).slots.length > 0);
    await w.advance(2000);
    const check = await sh(w, host(1), 'redis-cli --cluster check 10.0.0.1:7000');
    expect(check).toContain('[OK] All 16384 slots covered.');
    expect(check).toMatch(/10\.0\.0\.7:7000 \(\w+\.\.\.\) -> \d+ keys \| 101 slots \| 0 slaves\./);
    for (let i = 0; i < 50; i++) expect(await sh(w, host(2), `redis-cli -c -p 7000 get user:${i}`)).toBe(`${i}\n`);

    // Empty node-7 again and remove it.
    const target = (await pairs(w))[0].master.id;
    const back = await sh(w, host(1), `redis-cli --cluster reshard 10.0.0.1:7000 --cluster-from ${newId} --cluster-to ${target} --cluster-slots 101 --cluster-yes`);
    expect(back).toContain('Moving slot');
    await w.advance(2000);
    const del = await sh(w, host(1), `redis-cli --cluster del-node 10.0.0.1:7000 ${newId}`);
    expect(del).toContain('>>> Sending CLUSTER RESET SOFT to the deleted node.');
    await until(w, 'node-7 forgotten', async () => (await sh(w, host(4), 'redis-cli -p 7000 cluster info')).includes('cluster_known_nodes:6'));
    await until(w, 'cluster_state:ok', () => stateOk(w, [1, 2, 3, 4, 5, 6].map(host)));
    for (let i = 0; i < 50; i++) expect(await sh(w, host(5), `redis-cli -c -p 7000 get user:${i}`)).toBe(`${i}\n`);
  }, 120000);
});

it('the failover machine definition has exactly the states the derived state can take', async () => {
  const { replicaFailoverMachine, FAILOVER_STATES } = await import('../../src/engine/cluster/failover-machine');
  expect(Object.keys(replicaFailoverMachine.config.states!).sort()).toEqual([...FAILOVER_STATES].sort());
  // Every state is reachable from idle.
  const reach = new Set(['idle']);
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, st] of Object.entries(replicaFailoverMachine.config.states!)) {
      if (!reach.has(name)) continue;
      for (const t of Object.values((st as { on?: Record<string, string> }).on ?? {})) if (!reach.has(t)) { reach.add(t); changed = true; }
    }
  }
  expect([...reach].sort()).toEqual([...FAILOVER_STATES].sort());
});

describe('replica migration (cluster-migration-barrier 1)', () => {
  it('a spare replica moves to a master left without a working replica', async () => {
    const w = world(55, 7);
    await w.advance(500);
    const addrs = [1, 2, 3, 4, 5, 6, 7].map((i) => `${ip(i)}:7000`).join(' ');
    const out = await sh(w, host(1), `redis-cli --cluster create ${addrs} --cluster-replicas 1 --cluster-yes`);
    expect(out).toContain('[OK] All 16384 slots covered.');
    const all = [1, 2, 3, 4, 5, 6, 7].map(host);
    await until(w, 'cluster_state:ok', () => stateOk(w, all));
    await until(w, 'four replicas known', async () => (await nodes(w, host(1))).filter((l) => l.flags.includes('slave') && l.master !== '-').length === 4);
    const view = await nodes(w, host(1));
    const masters = view.filter((l) => l.flags.includes('master'));
    expect(masters).toHaveLength(3);
    const replicasOf = (m: Line) => view.filter((l) => l.master === m.id);
    const rich = masters.find((m) => replicasOf(m).length === 2)!;
    const poor = masters.find((m) => replicasOf(m).length === 1)!;
    // The replica with the smallest name among the rich master's replicas is the one that moves.
    const mover = replicasOf(rich).sort((a, b) => (a.id < b.id ? -1 : 1))[0];
    const stayer = replicasOf(rich).find((r) => r !== mover)!;
    await sh(w, hostOf(replicasOf(poor)[0]), 'pkill -9 redis-server');
    // FAIL after node_timeout, then the master must stay orphaned for 5 s.
    await until(w, 'the spare replica migrated', async () => (await roleOf(w, hostOf(mover), mover.id)).master === poor.id, 15000);
    expect(log(w, hostOf(mover))).toContain(`Migrating to orphaned master ${poor.id}`);
    expect(log(w, hostOf(stayer))).not.toContain('Migrating to orphaned master');
    await until(w, 'everyone sees the move', async () => {
      for (const h of all.filter((h) => h !== hostOf(replicasOf(poor)[0]))) if ((await roleOf(w, h, mover.id)).master !== poor.id) return false;
      return true;
    });
    await until(w, 'the migrated replica syncs', async () => (await sh(w, hostOf(mover), 'redis-cli -p 7000 info replication')).includes(`master_host:${poor.addr.split(':')[0]}`)
      && (await sh(w, hostOf(mover), 'redis-cli -p 7000 info replication')).includes('master_link_status:up'));
  }, 120000);
});

describe('failover eligibility', () => {
  it('cluster-replica-no-failover, then data too old (validity factor), then factor 0 lets it go', async () => {
    const w = world(66);
    await createCluster(w);
    const [p] = await pairs(w);
    const r = hostOf(p.replica);
    expect(await sh(w, r, 'redis-cli -p 7000 config set cluster-replica-no-failover yes')).toBe('OK\n');
    expect(await sh(w, r, 'redis-cli -p 7000 config set repl-ping-replica-period 1')).toBe('OK\n');
    expect(await sh(w, r, 'redis-cli -p 7000 config set cluster-replica-validity-factor 1')).toBe('OK\n');
    await w.advance(500);
    expect((await roleOf(w, host(1) === r ? host(2) : host(1), p.replica.id)).flags).toContain('nofailover');
    await sh(w, hostOf(p.master), 'pkill -9 redis-server');
    await w.advance(10000);
    // No election, no complaint: a replica told not to fail over has no reason to give.
    expect((await roleOf(w, r, p.master.id)).flags).toContain('fail');
    expect((await roleOf(w, r, p.replica.id)).flags).toContain('slave');
    expect(log(w, r)).not.toContain('election');
    expect(log(w, r)).not.toContain('Currently unable to failover');
    expect(await sh(w, r, 'redis-cli -p 7000 cluster info')).toContain('cluster_state:fail');

    // Allowed again, but its data is ~10 s old: more than 1 s × 1000 + node_timeout × 1.
    expect(await sh(w, r, 'redis-cli -p 7000 config set cluster-replica-no-failover no')).toBe('OK\n');
    await w.advance(1000);
    expect(log(w, r)).toContain("Currently unable to failover: Disconnected from master for longer than allowed. Please check the 'cluster-replica-validity-factor' configuration option.");
    expect(log(w, r)).not.toContain('election');
    // Logged once, not every cron tick.
    await w.advance(3000);
    expect(log(w, r).split('Currently unable to failover').length - 1).toBe(1);

    // Factor 0: data age no longer matters.
    expect(await sh(w, r, 'redis-cli -p 7000 config set cluster-replica-validity-factor 0')).toBe('OK\n');
    await until(w, 'promoted', async () => (await roleOf(w, r, p.replica.id)).flags.includes('master'), 5000);
    expect(log(w, r)).toContain("Failover election won: I'm the new master.");
  }, 120000);
});

describe('two replicas of a failed master', () => {
  it('exactly one wins; the other becomes a replica of the winner', async () => {
    const w = world(77, 7);
    await w.advance(500);
    const addrs = [1, 2, 3, 4, 5, 6, 7].map((i) => `${ip(i)}:7000`).join(' ');
    await sh(w, host(1), `redis-cli --cluster create ${addrs} --cluster-replicas 1 --cluster-yes`);
    const all = [1, 2, 3, 4, 5, 6, 7].map(host);
    await until(w, 'cluster_state:ok', () => stateOk(w, all));
    await until(w, 'four replicas known', async () => (await nodes(w, host(1))).filter((l) => l.flags.includes('slave') && l.master !== '-').length === 4);
    const view = await nodes(w, host(1));
    const victim = view.find((m) => m.flags.includes('master') && view.filter((l) => l.master === m.id).length === 2)!;
    const [ra, rb] = view.filter((l) => l.master === victim.id);
    await until(w, 'both replicas in sync', async () => {
      for (const r of [ra, rb]) if (!(await sh(w, hostOf(r), 'redis-cli -p 7000 info replication')).includes('master_link_status:up')) return false;
      return true;
    });
    for (let i = 0; i < 20; i++) await sh(w, host(1), `redis-cli -c -p 7000 set k${i} ${i}`);
    await w.advance(1000);
    await sh(w, hostOf(victim), 'pkill -9 redis-server');
    const live = all.filter((h) => h !== hostOf(victim));
    await until(w, 'one replica promoted and the other following it', async () => {
      const v = await nodes(w, host(1) === hostOf(victim) ? host(2) : host(1));
      const a = v.find((l) => l.id === ra.id)!, b = v.find((l) => l.id === rb.id)!;
      return (a.flags.includes('master') && b.master === a.id) || (b.flags.includes('master') && a.master === b.id);
    }, 15000);
    const v = await nodes(w, live[0]);
    const winner = [ra, rb].find((r) => v.find((l) => l.id === r.id)!.flags.includes('master'))!;
    const loser = winner === ra ? rb : ra;
    expect(log(w, hostOf(winner))).toContain("Failover election won: I'm the new master.");
    expect(log(w, hostOf(loser))).not.toContain('Failover election won');
    expect(log(w, hostOf(loser))).toContain(`Configuration change detected. Reconfiguring myself as a replica of ${winner.id}`);
    // Every master voted at most once for this master's replicas.
    for (const h of live) {
      const grants = log(w, h).split('\n').filter((l) => l.includes('Failover auth granted'));
      expect(grants.length).toBeLessThanOrEqual(1);
    }
    await until(w, 'cluster ok and the loser synced from the winner', async () => (await stateOk(w, live))
      && (await sh(w, hostOf(loser), 'redis-cli -p 7000 info replication')).includes(`master_host:${winner.addr.split(':')[0]}`)
      && (await sh(w, hostOf(loser), 'redis-cli -p 7000 info replication')).includes('master_link_status:up'));
    for (let i = 0; i < 20; i++) expect(await sh(w, live[0], `redis-cli -c -p 7000 get k${i}`)).toBe(`${i}\n`);
  }, 120000);
});

describe('election rank', () => {
  it('the replica with less data waits a second more per better replica, and the better one wins', async () => {
    const w = world(88, 7);
    await w.advance(500);
    const addrs = [1, 2, 3, 4, 5, 6, 7].map((i) => `${ip(i)}:7000`).join(' ');
    await sh(w, host(1), `redis-cli --cluster create ${addrs} --cluster-replicas 1 --cluster-yes`);
    const all = [1, 2, 3, 4, 5, 6, 7].map(host);
    await until(w, 'cluster_state:ok', () => stateOk(w, all));
    await until(w, 'four replicas known', async () => (await nodes(w, host(1))).filter((l) => l.flags.includes('slave') && l.master !== '-').length === 4);
    const view = await nodes(w, host(1));
    const victim = view.find((m) => m.flags.includes('master') && view.filter((l) => l.master === m.id).length === 2)!;
    const [behind, ahead] = view.filter((l) => l.master === victim.id);
    await until(w, 'both replicas in sync', async () => {
      for (const r of [behind, ahead]) if (!(await sh(w, hostOf(r), 'redis-cli -p 7000 info replication')).includes('master_link_status:up')) return false;
      return true;
    });
    // Cut one replica off its master (only), write, and let the other replica's offset spread.
    w.partition([hostOf(behind)], [hostOf(victim)]);
    const [lo] = victim.slots[0].split('-').map(Number);
    const key = keyForSlot(lo, keyHashSlot);
    for (let i = 0; i < 30; i++) expect(await sh(w, hostOf(victim), `redis-cli -p 7000 set {${key}}:${i} ${'x'.repeat(50)}`)).toBe('OK\n');
    await w.advance(1500);
    // (The partition stays: healing it would deliver the stream TCP still holds for it.)
    await sh(w, hostOf(victim), 'pkill -9 redis-server');
    const survivor = all.find((h) => h !== hostOf(victim))!;
    await until(w, 'the better replica promoted', async () => (await roleOf(w, survivor, ahead.id)).flags.includes('master'), 15000);
    const behindLog = log(w, hostOf(behind));
    const aheadLog = log(w, hostOf(ahead));
    expect(aheadLog).toMatch(/Start of election delayed for \d+ milliseconds \(rank #0, offset \d+\)\./);
    const slow = behindLog.match(/Start of election delayed for (\d+) milliseconds \(rank #1, offset \d+\)\.|Replica rank updated to #1, added 1000 milliseconds of delay\./);
    expect(slow).not.toBeNull();
    if (slow![1]) expect(Number(slow![1])).toBeGreaterThanOrEqual(1500);
    expect(behindLog).not.toContain('Failover election won');
    await until(w, 'the other replica follows the winner', async () => (await roleOf(w, survivor, behind.id)).master === ahead.id, 10000);
    w.heal();
    await until(w, 'the lagging replica catches up from the winner', async () => {
      const info = await sh(w, hostOf(behind), 'redis-cli -p 7000 info replication');
      return info.includes('master_link_status:up') && info.includes(`master_host:${ahead.addr.split(':')[0]}`);
    });
    expect(await sh(w, hostOf(behind), `redis-cli -p 7000 readonly`)).toBe('OK\n');
    expect(await sh(w, hostOf(behind), `redis-cli -p 7000 -c get {${key}}:29`)).toBe(`${'x'.repeat(50)}\n`);
  }, 120000);
});
