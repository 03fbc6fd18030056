/**
 * Replica failover on the native host, with the real tools:
 * - the real `redis-cli --cluster create … --cluster-replicas 1` builds six of our servers into
 *   a cluster, the real `redis-cli -c` uses it, a killed master is replaced by its replica
 *   (an election among our nodes) and comes back as a replica of its successor;
 * - a mixed cluster of real redis-server 7.0.15 nodes and ours: our replica wins an election
 *   in which a real master votes (our FAILOVER_AUTH_REQUEST is understood, its ACK counted),
 *   then a real replica wins one in which our masters vote (and their ACKs are counted).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { haveTools, REAL_REDIS, REAL_REDIS_CLI, startRealRedis, type RealRedis } from '../support/real-redis';
import { startOurRedis, type OurRedis } from '../support/our-server';
import { RawClient } from '../support/raw-client';
import { freePort } from '../support/ports';
import { clusterInfo, clusterNodes, myId, runRealCli, startOurRedisAt, waitFor } from './helpers';

const NODE_TIMEOUT_MS = 1000;
const CLUSTER_ARGS = ['--cluster-enabled', 'yes', '--cluster-node-timeout', String(NODE_TIMEOUT_MS), '--repl-diskless-sync-delay', '0'];

async function isMaster(cli: RawClient, id: string): Promise<boolean> {
  return (await clusterNodes(cli)).find((l) => l.id === id)?.flags.includes('master') ?? false;
}

async function linkUp(cli: RawClient): Promise<boolean> {
  return (await cli.call('INFO', 'replication')).includes('master_link_status:up');
}

describe.skipIf(!haveTools(REAL_REDIS, REAL_REDIS_CLI))('replica failover with the real tools', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => { for (const f of cleanup.reverse()) await f(); });

  it('real redis-cli --cluster create on six of our servers; a killed master fails over to its replica', async () => {
    const servers: OurRedis[] = [];
    for (let i = 0; i < 6; i++) servers.push(await startOurRedis(CLUSTER_ARGS));
    const clis = await Promise.all(servers.map((s) => s.client()));
    cleanup.push(async () => { clis.forEach((c) => c.close()); for (const s of servers) await s.stop(); });
    const created = await runRealCli(['--cluster', 'create', ...servers.map((s) => `127.0.0.1:${s.port}`), '--cluster-replicas', '1', '--cluster-yes']);
    expect(created.code, created.stdout + created.stderr).toBe(0);
    expect(created.stdout).toContain('[OK] All 16384 slots covered.');
    await waitFor('cluster ok, replicas in sync', async () => {
      let up = 0;
      for (const c of clis) {
        if ((await clusterInfo(c)).cluster_state !== 'ok') return false;
        if (await linkUp(c)) up++;
      }
      return up === 3;
    });

    // The real redis-cli -c follows MOVED through our nodes.
    const p0 = String(servers[0].port);
    for (let i = 0; i < 20; i++) expect((await runRealCli(['-c', '-p', p0, 'set', `user:${i}`, `v${i}`])).stdout).toBe('OK\n');
    expect((await runRealCli(['-c', '-p', p0, 'get', 'user:7'])).stdout).toBe('v7\n');

    // Kill the master of user:7 (its process ends: every socket closes at once).
    const slot = Number((await clis[0].call('CLUSTER', 'KEYSLOT', 'user:7')).slice(1, -2));
    const view = await clusterNodes(clis[0]);
    const victim = view.find((l) => l.flags.includes('master') && l.slots.some((r) => { const [a, b] = r.split('-').map(Number); return a <= slot && slot <= (b ?? a); }))!;
    const heir = view.find((l) => l.master === victim.id)!;
    const vi = servers.findIndex((s) => victim.addr.startsWith(`127.0.0.1:${s.port}@`));
    const hi = servers.findIndex((s) => heir.addr.startsWith(`127.0.0.1:${s.port}@`));
    await waitFor('the heir has the data', async () => (await clis[hi].call('READONLY')) === '+OK\r\n' && (await clis[hi].call('GET', 'user:7')) === '$2\r\nv7\r\n');
    clis[vi].close();
    servers[vi].server.terminate(1);
    const killedAt = Date.now();
    const live = clis.filter((_, i) => i !== vi);
    await waitFor('the replica promoted', () => isMaster(clis[hi], heir.id), 15000);
    expect(Date.now() - killedAt).toBeGreaterThan(NODE_TIMEOUT_MS);
    const heirLog = servers[hi].log.join('');
    expect(heirLog).toMatch(/Start of election delayed for \d+ milliseconds \(rank #0, offset \d+\)\./);
    expect(heirLog).toMatch(/Starting a failover election for epoch \d+\./);
    expect(heirLog).toContain("Failover election won: I'm the new master.");
    await waitFor('cluster ok again', async () => {
      for (const c of live) if ((await clusterInfo(c)).cluster_state !== 'ok') return false;
      return true;
    }, 15000);
    const other = servers.find((_, i) => i !== vi && i !== hi)!;
    expect((await runRealCli(['-c', '-p', String(other.port), 'get', 'user:7'])).stdout).toBe('v7\n');
    expect((await runRealCli(['-c', '-p', String(other.port), 'set', 'user:7', 'after'])).stdout).toBe('OK\n');
    const check = await runRealCli(['--cluster', 'check', `127.0.0.1:${other.port}`]);
    expect(check.stdout).toContain('[OK] All 16384 slots covered.');

    // The old master restarts from its nodes.conf and becomes a replica of the heir. (On a
    // fresh port: parallel test files may have taken its old one; the others learn the new
    // address from its pings, as they would for a moved node.)
    const backPort = await freePort();
    const back = await startOurRedisAt(backPort, servers[vi].dir, CLUSTER_ARGS);
    cleanup.push(() => back.stop());
    const backCli = await RawClient.connect(backPort);
    cleanup.push(() => backCli.close());
    await waitFor('the old master follows the heir', async () => {
      const me = (await clusterNodes(backCli)).find((l) => l.flags.includes('myself'))!;
      return me.flags.includes('slave') && me.master === heir.id && await linkUp(backCli);
    }, 15000);
    expect(back.log.join('')).toContain(`Configuration change detected. Reconfiguring myself as a replica of ${heir.id}`);
    expect(await backCli.call('READONLY')).toBe('+OK\r\n');
    await waitFor('resynced', async () => (await backCli.call('GET', 'user:7')) === '$5\r\nafter\r\n');
  }, 90000);

  it('a mixed cluster: our replica is elected with a real master\'s vote, then a real replica with ours', async () => {
    const real: RealRedis[] = [];
    for (let i = 0; i < 3; i++) real.push(await startRealRedis(CLUSTER_ARGS));
    const ours: OurRedis[] = [];
    for (let i = 0; i < 2; i++) ours.push(await startOurRedis(CLUSTER_ARGS));
    const [r1, r2, rd] = real;
    const [a, c] = ours;
    const clis = {
      r1: await r1.client(), r2: await r2.client(), rd: await rd.client(), a: await a.client(), c: await c.client(),
    };
    cleanup.push(async () => {
      Object.values(clis).forEach((x) => x.close());
      for (const x of real) await x.stop();
      for (const x of ours) await x.stop();
    });
    // Masters: real r1, real r2, our a. Our c replicates r1; real rd replicates a.
    for (const p of [r2.port, rd.port, a.port, c.port]) expect(await clis.r1.call('CLUSTER', 'MEET', '127.0.0.1', String(p))).toBe('+OK\r\n');
    expect(await clis.r1.call('CLUSTER', 'ADDSLOTSRANGE', '0', '5460')).toBe('+OK\r\n');
    expect(await clis.r2.call('CLUSTER', 'ADDSLOTSRANGE', '5461', '10922')).toBe('+OK\r\n');
    expect(await clis.a.call('CLUSTER', 'ADDSLOTSRANGE', '10923', '16383')).toBe('+OK\r\n');
    const id = { r1: await myId(clis.r1), r2: await myId(clis.r2), rd: await myId(clis.rd), a: await myId(clis.a), c: await myId(clis.c) };
    await waitFor('everyone knows everyone', async () => {
      for (const x of Object.values(clis)) if ((await clusterInfo(x)).cluster_known_nodes !== '5') return false;
      return true;
    });
    expect(await clis.c.call('CLUSTER', 'REPLICATE', id.r1)).toBe('+OK\r\n');
    expect(await clis.rd.call('CLUSTER', 'REPLICATE', id.a)).toBe('+OK\r\n');
    await waitFor('cluster ok and replicas in sync', async () => {
      for (const x of Object.values(clis)) if ((await clusterInfo(x)).cluster_state !== 'ok') return false;
      return await linkUp(clis.c) && await linkUp(clis.rd);
    }, 20000);
    expect((await runRealCli(['-c', '-p', String(r1.port), 'set', '{a}x', 'one'])).stdout).toBe('OK\n');

    // Kill the real master r1: our c needs the votes of r2 (real) and a (ours).
    clis.r1.close();
    r1.proc.kill('SIGKILL');
    await waitFor('our replica promoted', () => isMaster(clis.r2, id.c), 15000);
    const cLog = c.log.join('');
    const epoch = Number(cLog.match(/Starting a failover election for epoch (\d+)\./)![1]);
    expect(cLog).toContain("Failover election won: I'm the new master.");
    expect(a.log.join('')).toContain(`Failover auth granted to ${id.c} for epoch ${epoch}`);
    // Two votes were needed (size 3): the real master's ACK was counted.
    expect(Number((await clusterInfo(clis.c))['cluster_stats_messages_auth-ack_received'])).toBe(2);
    expect(Number((await clusterInfo(clis.r2))['cluster_stats_messages_auth-ack_sent'])).toBe(1);
    await waitFor('the real nodes agree', async () => {
      const v = (await clusterNodes(clis.rd)).find((l) => l.id === id.c)!;
      return v.flags.includes('master') && v.epoch === epoch && v.slots.join() === '0-5460';
    }, 10000);
    await waitFor('cluster ok (without r1)', async () => {
      for (const x of [clis.r2, clis.rd, clis.a, clis.c]) if ((await clusterInfo(x)).cluster_state !== 'ok') return false;
      return true;
    }, 15000);
    expect((await runRealCli(['-c', '-p', String(r2.port), 'get', '{a}x'])).stdout).toBe('one\n');

    // Kill our master a: the masters with slots are c, r2 and a, so the real replica rd needs
    // the votes of both c (ours) and r2.
    clis.a.close();
    a.server.terminate(1);
    await waitFor('the real replica promoted', () => isMaster(clis.c, id.rd), 15000);
    expect(c.log.join('')).toMatch(new RegExp(`Failover auth granted to ${id.rd} for epoch \\d+`));
    expect(Number((await clusterInfo(clis.c))['cluster_stats_messages_auth-ack_sent'])).toBe(1);
    await waitFor('cluster ok (rd serving a\'s slots)', async () => {
      for (const x of [clis.r2, clis.rd, clis.c]) if ((await clusterInfo(x)).cluster_state !== 'ok') return false;
      return (await clusterNodes(clis.c)).find((l) => l.id === id.rd)!.slots.join() === '10923-16383';
    }, 15000);
  }, 120000);
});
