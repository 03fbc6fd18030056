/**
 * The sandbox presets boot what they say, on the real simulation (inline runtime): the master
 * with its two replicas linked, the six-node cluster formed by its boot script, the sentinels
 * watching (and failing over) their master.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { presetById } from '../../src/ui/world/presets';
import type { ServerSummary } from '../../src/engine/inspect';

function boot(id: string): World {
  const p = presetById(id)!;
  return new World({ seed: p.seed, hosts: p.hosts, programs: STANDARD_PROGRAMS } as ConstructorParameters<typeof World>[0]);
}

const servers = (w: World) => w.processes().filter((p) => p.argv[0] === 'redis-server');
const summary = async (w: World, pid: number) => (await w.inspect(pid, { fn: 'redis', query: { op: 'summary' } })) as ServerSummary;

describe('sandbox presets', () => {
  it('1 master + 2 replicas: both replicas link to 127.0.0.1:7000', async () => {
    const w = boot('master-replicas');
    await w.advance(8000);
    const sums = await Promise.all(servers(w).map((p) => summary(w, p.pid)));
    expect(sums.map((s) => [s.port, s.role, s.linkStatus]).sort()).toEqual([[7000, 'master', null], [7001, 'slave', 'up'], [7002, 'slave', 'up']]);
    w.dispose();
  }, 60_000);

  it('6-node cluster: the boot script creates it with one replica per master, cluster_state:ok everywhere', async () => {
    const w = boot('cluster-6');
    // Create at ~1 s, then the replicas' full syncs (diskless, after a 5 s delay).
    await w.advance(12_000);
    const ps = servers(w);
    expect(ps).toHaveLength(6);
    const sums = await Promise.all(ps.map((p) => summary(w, p.pid)));
    expect(sums.every((s) => s.cluster?.state === 'ok' && s.cluster.knownNodes === 6 && s.cluster.size === 3)).toBe(true);
    expect(sums.filter((s) => s.role === 'master')).toHaveLength(3);
    expect(sums.filter((s) => s.role === 'slave' && s.linkStatus === 'up')).toHaveLength(3);
    // Every node watches the five others, all reachable.
    for (const s of sums) {
      const detectors = s.machines.filter((m) => m.kind === 'cluster-failure-detector');
      expect(detectors).toHaveLength(5);
      expect(detectors.every((m) => m.value === 'reachable')).toBe(true);
    }
    const log = w.readText('node1', '/var/log/redis/cluster-create.log');
    expect(log).toContain('[OK] All 16384 slots covered.');
    // A master dies: the others suspect it, then fail it by majority.
    const victim = ps.find((p, i) => sums[i].role === 'master' && p.host !== 'node1')!;
    const addr = `${w.hosts().find((h) => h.name === victim.host)!.ip}:${sums[ps.indexOf(victim)].port}`;
    w.kill(victim.host, victim.pid, 'SIGKILL');
    await w.advance(9000);
    const watcher = ps.find((p) => p.host === 'node1')!;
    const fd = (await summary(w, watcher.pid)).machines.find((m) => m.subject === addr)!;
    expect(fd.value).toBe('failed');
    expect(fd.last?.to).toBe('failed');
    // The victim's replica won the election: its failover chart went from idle to promoted.
    await w.advance(5000);
    const elections = await Promise.all(servers(w).map(async (p) => (await summary(w, p.pid)).machines.find((m) => m.kind === 'cluster-replica-failover')!));
    const promoted = elections.filter((m) => m.value === 'promoted');
    expect(promoted).toHaveLength(1);
    expect(promoted[0].last?.to).toBe('promoted');
    expect(elections.filter((m) => m.value === 'idle')).toHaveLength(4);
    w.dispose();
  }, 120_000);
});

describe('sandbox presets with sentinels', () => {
  it('3 hosts with sentinels: each sentinel reports its view of every instance and its failover machine; a killed master is failed over', async () => {
    const w = boot('three-hosts-sentinels');
    await w.advance(15_000);
    const sentinels = w.processes().filter((p) => p.argv[0] === 'redis-sentinel');
    expect(sentinels).toHaveLength(3);
    for (const p of sentinels) {
      const ms = (await summary(w, p.pid)).machines;
      expect(ms[0]).toMatchObject({ kind: 'sentinel-failover', subject: 'mymaster', value: 'none' });
      const views = ms.filter((m) => m.kind === 'sentinel-instance');
      // The master, its two replicas and the two other sentinels, all up.
      expect(views.map((m) => m.subject.split(' ')[0]).sort()).toEqual(['mymaster', 'replica', 'replica', 'sentinel', 'sentinel']);
      expect(views.every((m) => m.value === 'up')).toBe(true);
    }
    const master = servers(w).find((p) => p.host === 'redis01')!;
    w.kill('redis01', master.pid, 'SIGKILL');
    // down-after-milliseconds 30000, then the vote and the failover.
    await w.advance(45_000);
    const after = await Promise.all(sentinels.map((p) => summary(w, p.pid)));
    const failovers = after.map((s) => s.machines.find((m) => m.kind === 'sentinel-failover')!);
    // The leader's failover machine went through its states and is back at none; it was seen leaving one.
    expect(failovers.some((m) => m.last !== null)).toBe(true);
    const roles = await Promise.all(servers(w).map((p) => summary(w, p.pid)));
    expect(roles.filter((s) => s.role === 'master')).toHaveLength(1);
    w.dispose();
  }, 120_000);
});
