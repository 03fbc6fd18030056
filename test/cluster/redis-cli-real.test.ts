/**
 * The real `redis-cli --cluster` (7.0.15) builds and checks clusters made of our nodes, and
 * its output is the same as when it drives real redis-server nodes (after replacing node IDs,
 * ports and the number of "waiting" dots, and sorting the node listings, whose order follows
 * each server's node table order).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { haveRealRedis, startRealRedis, type RealRedis } from '../support/real-redis';
import { bulkText, clusterInfo, clusterNodes, myId, normalizeTranscript, runRealCli, startClusterNodes, stopNodes, stripColors, waitFor, type Node } from './helpers';
import type { RawClient } from '../support/raw-client';
import { keyHashSlot } from '../../src/engine/cluster/crc16';

const NODE_TIMEOUT_MS = 2000;

async function idsOf(clients: RawClient[]): Promise<string[]> {
  return Promise.all(clients.map((c) => myId(c)));
}

describe.skipIf(!haveRealRedis())('real redis-cli --cluster against our nodes', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => { for (const f of cleanup) await f(); });

  async function realNodes(n: number): Promise<{ nodes: RealRedis[]; clients: RawClient[] }> {
    const nodes: RealRedis[] = [];
    for (let i = 0; i < n; i++) nodes.push(await startRealRedis(['--cluster-enabled', 'yes', '--cluster-node-timeout', String(NODE_TIMEOUT_MS)]));
    const clients = await Promise.all(nodes.map((x) => x.client()));
    cleanup.push(async () => { clients.forEach((c) => c.close()); for (const x of nodes) await x.stop(); });
    return { nodes, clients };
  }

  async function ourNodes(n: number): Promise<Node[]> {
    const nodes = await startClusterNodes(n, NODE_TIMEOUT_MS);
    cleanup.push(() => stopNodes(nodes));
    return nodes;
  }

  it('create --cluster-replicas 1 succeeds on six of our nodes, with the same transcript as on real nodes', async () => {
    const ours = await ourNodes(6);
    const real = await realNodes(6);
    const ourPorts = ours.map((n) => n.port);
    const realPorts = real.nodes.map((n) => n.port);
    const create = (ports: number[]) => runRealCli(['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1'], 'yes\n');
    const [a, b] = await Promise.all([create(ourPorts), create(realPorts)]);
    expect(b.code).toBe(0);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(stripColors(a.stdout)).toContain('[OK] All 16384 slots covered.');
    expect(stripColors(a.stdout)).toContain("Can I set the above configuration? (type 'yes' to accept): ");
    const ourIds = await idsOf(ours.map((n) => n.cli));
    const realIds = await idsOf(real.clients);
    expect(normalizeTranscript(a.stdout, ourPorts, ourIds)).toBe(normalizeTranscript(b.stdout, realPorts, realIds));

    // Three masters with slots, three replicas recorded against them.
    await waitFor('cluster ok and replicas known on our nodes', async () => {
      for (const n of ours) {
        if ((await clusterInfo(n.cli)).cluster_state !== 'ok') return false;
        if ((await clusterNodes(n.cli)).filter((l) => l.flags.includes('slave')).length !== 3) return false;
      }
      return true;
    });
    const view = await clusterNodes(ours[0].cli);
    const masters = view.filter((l) => l.flags.includes('master'));
    const slaves = view.filter((l) => l.flags.includes('slave'));
    expect(masters.map((m) => m.slots.join(' ')).sort()).toEqual(['0-5460', '10923-16383', '5461-10922']);
    expect(slaves).toHaveLength(3);
    for (const s of slaves) expect(masters.map((m) => m.id)).toContain(s.master);
    for (const n of ours.slice(3)) expect(await n.cli.call('ROLE')).toMatch(/^\*5\r\n\$5\r\nslave\r\n/);

    // --cluster check and info: same transcripts too.
    const check = (port: number) => runRealCli(['--cluster', 'check', `127.0.0.1:${port}`]);
    await waitFor('all nodes agree (real)', async () => (await check(realPorts[0])).stdout.includes('[OK] All nodes agree about slots configuration.'));
    const [c1, c2] = await Promise.all([check(ourPorts[0]), check(realPorts[0])]);
    expect(c1.code).toBe(0);
    expect(normalizeTranscript(c1.stdout, ourPorts, ourIds)).toBe(normalizeTranscript(c2.stdout, realPorts, realIds));

    // CLUSTER REPLICATE started real replication links: writes through redis-cli -c reach the
    // replicas, which answer MOVED to their master, or the value after READONLY.
    const replicas = ours.filter((n) => slaves.some((s) => s.id === ourIds[ours.indexOf(n)]));
    expect(replicas).toHaveLength(3);
    await waitFor('replication links up', async () => {
      for (const n of replicas) if (!bulkText(await n.cli.call('INFO', 'replication')).includes('master_link_status:up')) return false;
      return true;
    });
    const keys = Array.from({ length: 30 }, (_, i) => `rk:${i}`);
    const set = await runRealCli(['-c', '-p', String(ourPorts[0])], keys.map((k) => `SET ${k} v-${k}\n`).join(''));
    expect(set.code).toBe(0);
    for (const n of replicas) {
      const line = view.find((l) => l.id === ourIds[ours.indexOf(n)])!;
      const master = masters.find((m) => m.id === line.master)!;
      const [lo, hi] = master.slots[0].split('-').map(Number);
      const mine = keys.filter((k) => keyHashSlot(k) >= lo && keyHashSlot(k) <= hi);
      expect(mine.length).toBeGreaterThan(0);
      expect(await n.cli.call('GET', mine[0])).toBe(`-MOVED ${keyHashSlot(mine[0])} ${master.addr.split('@')[0]}\r\n`);
      expect(await n.cli.call('READONLY')).toBe('+OK\r\n');
      await waitFor('the replica has its master\'s writes', async () => {
        for (const k of mine) if (await n.cli.call('GET', k) !== `$${`v-${k}`.length}\r\nv-${k}\r\n`) return false;
        return true;
      });
      expect(await n.cli.call('SET', mine[0], 'x')).toBe(`-MOVED ${keyHashSlot(mine[0])} ${master.addr.split('@')[0]}\r\n`);
      expect(await n.cli.call('READWRITE')).toBe('+OK\r\n');
    }
  });

  it('reshard with keys: the real redis-cli moves keys between our nodes with MIGRATE (lab D4)', async () => {
    const ours = await ourNodes(3);
    const ports = ours.map((n) => n.port);
    const r = await runRealCli(['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-yes']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await waitFor('cluster ok', async () => {
      for (const n of ours) if ((await clusterInfo(n.cli)).cluster_state !== 'ok') return false;
      return true;
    });
    const keys = Array.from({ length: 2000 }, (_, i) => `user:${i}`);
    const push = await runRealCli(['-c', '-p', String(ports[0])], keys.map((k) => `RPUSH ${k} a ${k}\n`).join(''));
    expect(push.stdout.split('\n').filter((l) => l === '2')).toHaveLength(keys.length);
    const ids = await idsOf(ours.map((n) => n.cli));
    const rs = await runRealCli(['--cluster', 'reshard', `127.0.0.1:${ports[0]}`, '--cluster-from', `${ids[0]},${ids[1]}`, '--cluster-to', ids[2], '--cluster-slots', '400', '--cluster-yes']);
    expect(rs.code, rs.stdout + rs.stderr).toBe(0);
    expect(rs.stdout).toMatch(/Moving slot \d+ from 127\.0\.0\.1:\d+ to 127\.0\.0\.1:\d+: \.+\n/);
    await waitFor('check passes', async () => (await runRealCli(['--cluster', 'check', `127.0.0.1:${ports[1]}`])).code === 0);
    const get = await runRealCli(['-c', '-p', String(ports[1])], keys.map((k) => `LINDEX ${k} 1\n`).join(''));
    expect(get.stdout.split('\n').filter((l) => l.startsWith('user:'))).toEqual(keys);
    const sizes = await Promise.all(ours.map(async (n) => Number((await n.cli.call('DBSIZE')).slice(1, -2))));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(keys.length);
    const info = await runRealCli(['--cluster', 'info', `127.0.0.1:${ports[0]}`]);
    expect(stripColors(info.stdout)).toContain(`[OK] ${keys.length} keys in 3 masters.`);
  }, 120000);

  it('create --cluster-replicas 0 on three of our nodes, then check/info', async () => {
    const ours = await ourNodes(3);
    const ports = ours.map((n) => n.port);
    const r = await runRealCli(['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = stripColors(r.stdout);
    expect(out).toContain('>>> Performing hash slots allocation on 3 nodes...');
    expect(out).toContain('[OK] All nodes agree about slots configuration.');
    expect(out).toContain('[OK] All 16384 slots covered.');
    const info = await runRealCli(['--cluster', 'info', `127.0.0.1:${ports[1]}`]);
    expect(info.code).toBe(0);
    expect(stripColors(info.stdout)).toMatch(/\[OK\] 0 keys in 3 masters\.\n0\.00 keys per slot on average\.\n$/);
  });
});
