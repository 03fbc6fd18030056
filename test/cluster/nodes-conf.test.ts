/**
 * The cluster config file and cluster start-up against real Redis 7.0.15: the file a new node
 * writes, the start-up log, the refusals (port above 55535, corrupted file), and nodes.conf
 * files exchanged both ways: a real redis-server restarts from the file our node wrote and
 * rejoins our cluster as the same node, and our node restarts from a real node's file.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { haveRealRedis, REAL_REDIS, startRealRedis, type RealRedis } from '../support/real-redis';
import { normaliseLog, runOurs, runReal, tempDir } from '../support/program-run';
import { freePort } from '../support/ports';
import { RawClient } from '../support/raw-client';
import { clusterInfo, clusterNodes, myId, startClusterNodes, startOurRedisAt, stopNodes, waitFor, type Node } from './helpers';

const dropHostWarnings = (s: string) => s.split('\n').filter((l) => !l.includes('Memory overcommit')).join('\n');
const ID = /[0-9a-f]{40}/g;

describe.skipIf(!haveRealRedis())('cluster start-up and the cluster config file', () => {
  it('a new node writes the same nodes.conf and logs the same lines', async () => {
    const [da, db] = [tempDir('halab-cc-real-'), tempDir('halab-cc-ours-')];
    const [pa, pb] = [await freePort(), await freePort()];
    const args = (p: number) => ['--port', String(p), '--cluster-enabled', 'yes', '--save', ''];
    const real = await runReal(args(pa), da, { readyText: 'Ready to accept connections' });
    const ours = await runOurs(args(pb), db);
    const norm = (s: string, pid: number, port: number) => dropHostWarnings(normaliseLog(s, [pid])).replace(ID, '<id>').split(String(port)).join('PORT');
    expect(norm(ours.stdout, ours.pid, pb)).toBe(norm(real.stdout, real.pid, pa));
    const confReal = fs.readFileSync(path.join(da, 'nodes.conf'), 'latin1');
    const confOurs = fs.readFileSync(path.join(db, 'nodes.conf'), 'latin1');
    expect(confOurs.replace(ID, '<id>')).toBe(confReal.replace(ID, '<id>'));
    expect(confOurs).toMatch(/^[0-9a-f]{40} :0@0 myself,master - 0 0 0 connected\nvars currentEpoch 0 lastVoteEpoch 0\n$/);
    // Restarting loads the same identity.
    const again = await runOurs(args(pb), db);
    expect(again.stdout).toContain(`Node configuration loaded, I'm ${confOurs.slice(0, 40)}`);
  });

  it('refusals (a port above 55535, corrupted files) and an unknown vars entry', async () => {
    const cases: { files: Record<string, string>; args: (p: number) => string[] }[] = [
      { files: {}, args: () => ['--port', '55536', '--cluster-enabled', 'yes'] },
      { files: { 'nodes.conf': 'garbage line\n' }, args: (p) => ['--port', String(p), '--cluster-enabled', 'yes'] },
      { files: { 'nodes.conf': `${'a'.repeat(40)} 127.0.0.1:1@2 master - 0 0 0 connected\nvars currentEpoch 0 lastVoteEpoch 0\n` }, args: (p) => ['--port', String(p), '--cluster-enabled', 'yes'] },
      { files: { 'nodes.conf': `${'a'.repeat(40)} 127.0.0.1:1@2 myself,master - 0 0 0 connected 0-99999\n` }, args: (p) => ['--port', String(p), '--cluster-enabled', 'yes'] },
      { files: { 'nodes.conf': `${'a'.repeat(40)} 127.0.0.1:1@2 myself,master - 0 0 0 connected\nvars currentEpoch\n` }, args: (p) => ['--port', String(p), '--cluster-enabled', 'yes'] },
      { files: { 'nodes.conf': `${'a'.repeat(40)} :0@0 myself,master - 0 0 7 connected 5 [5->-${'b'.repeat(40)}]\nvars currentEpoch 3 lastVoteEpoch 2 extra 1\n` }, args: (p) => ['--port', String(p), '--cluster-enabled', 'yes'] },
    ];
    for (const c of cases) {
      const [da, db] = [tempDir('halab-cc-real-'), tempDir('halab-cc-ours-')];
      for (const [f, t] of Object.entries(c.files)) { fs.writeFileSync(path.join(da, f), t); fs.writeFileSync(path.join(db, f), t); }
      const [pa, pb] = [await freePort(), await freePort()];
      const real = await runReal(c.args(pa), da, { readyText: 'Ready to accept connections' });
      const ours = await runOurs(c.args(pb), db);
      const norm = (s: string, pid: number, port: number) => dropHostWarnings(normaliseLog(s, [pid])).replace(ID, '<id>').split(String(port)).join('PORT');
      expect(ours.code, JSON.stringify(c.files)).toBe(real.code);
      expect(norm(ours.stdout, ours.pid, pb), JSON.stringify(c.files)).toBe(norm(real.stdout, real.pid, pa));
    }
  });
});

describe.skipIf(!haveRealRedis())('a dataset that disagrees with the cluster configuration', () => {
  /** An RDB made by a standalone real server with the given keys per db. */
  async function makeRdb(dbs: Record<number, string[]>): Promise<Buffer> {
    const r = await startRealRedis([]);
    const c = await r.client();
    for (const [db, keys] of Object.entries(dbs)) {
      await c.call('SELECT', db);
      for (const k of keys) await c.call('SET', k, 'v');
    }
    await c.call('SAVE');
    const rdb = fs.readFileSync(path.join(r.dir, 'dump.rdb'));
    c.close();
    await r.stop();
    return rdb;
  }

  it('keys in unassigned slots are claimed (same log as Redis)', async () => {
    for (const dbs of [{ 0: ['foo', 'bar'] }]) {
      const rdb = await makeRdb(dbs);
      const [da, db] = [tempDir('halab-cc-real-'), tempDir('halab-cc-ours-')];
      fs.writeFileSync(path.join(da, 'dump.rdb'), rdb);
      fs.writeFileSync(path.join(db, 'dump.rdb'), rdb);
      const [pa, pb] = [await freePort(), await freePort()];
      const args = (p: number) => ['--port', String(p), '--cluster-enabled', 'yes'];
      const real = await runReal(args(pa), da, { readyText: 'Ready to accept connections' });
      const ours = await runOurs(args(pb), db);
      // The RDB loading lines (ages, sizes, durations) are persistence's business, not compared here.
      const rdbLine = /Loading RDB produced by|RDB age|RDB memory usage|Done loading RDB|DB loaded from disk/;
      const norm = (t: string, pid: number, port: number) => dropHostWarnings(normaliseLog(t, [pid])).replace(ID, '<id>').split(String(port)).join('PORT')
        .split('\n').filter((l) => !rdbLine.test(l)).join('\n');
      expect(ours.code, JSON.stringify(dbs)).toBe(real.code);
      expect(norm(ours.stdout, ours.pid, pb), JSON.stringify(dbs)).toBe(norm(real.stdout, real.pid, pa));
    }
  });

  it('keys outside db 0 stop the server (real 7.0.15 crashes in slotToKeyAddEntry instead)', async () => {
    const rdb = await makeRdb({ 0: ['foo'], 3: ['x'] });
    const d = tempDir('halab-cc-ours-');
    fs.writeFileSync(path.join(d, 'dump.rdb'), rdb);
    const ours = await runOurs(['--port', String(await freePort()), '--cluster-enabled', 'yes'], d);
    expect(ours.code).toBe(1);
    expect(ours.stdout).toContain("# You can't have keys in a DB different than DB 0 when in Cluster mode. Exiting.\n");
    expect(ours.stdout).not.toContain('Ready to accept connections');
  });
});

describe.skipIf(!haveRealRedis())('nodes.conf exchanged between our nodes and real ones', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => { for (const f of cleanup.reverse()) await f(); });

  /** A real redis-server started on a given port and directory (reusing its nodes.conf). */
  async function realAt(port: number, dir: string): Promise<{ proc: ChildProcess; cli: RawClient }> {
    const proc = spawn(REAL_REDIS!, ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-node-timeout', '1000', '--save', '', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d) => { out += d; });
    await waitFor('real redis-server ready', async () => out.includes('Ready to accept connections'), 10000);
    cleanup.push(() => { proc.kill('SIGKILL'); });
    expect(out).toMatch(/Node configuration loaded, I'm [0-9a-f]{40}/);
    return { proc, cli: await RawClient.connect(port) };
  }

  it("a real redis-server restarts from our node's nodes.conf and rejoins as the same node", async () => {
    const nodes: Node[] = await startClusterNodes(3, 1000);
    cleanup.push(() => stopNodes(nodes));
    const ids = await Promise.all(nodes.map((n) => myId(n.cli)));
    await nodes[0].cli.call('CLUSTER', 'MEET', '127.0.0.1', String(nodes[1].port));
    await nodes[0].cli.call('CLUSTER', 'MEET', '127.0.0.1', String(nodes[2].port));
    await nodes[0].cli.call('CLUSTER', 'ADDSLOTSRANGE', '0', '8000');
    await nodes[1].cli.call('CLUSTER', 'ADDSLOTSRANGE', '8001', '16383');
    await waitFor('three known nodes', async () => (await clusterInfo(nodes[2].cli)).cluster_known_nodes === '3');
    expect(await nodes[2].cli.call('CLUSTER', 'REPLICATE', ids[0])).toBe('+OK\r\n');
    expect(await nodes[0].cli.call('CLUSTER', 'SETSLOT', '7000', 'MIGRATING', ids[1])).toBe('+OK\r\n');
    await waitFor('cluster ok', async () => (await clusterInfo(nodes[1].cli)).cluster_state === 'ok');
    const before = (await clusterNodes(nodes[0].cli)).find((l) => l.id === ids[0])!;

    // Replace our node 0 by a real redis-server on the same port and directory.
    const { dir, port } = { dir: nodes[0].srv.dir, port: nodes[0].port };
    nodes[0].cli.close();
    nodes[0].srv.server.terminate(0);
    const conf = fs.readFileSync(path.join(dir, 'nodes.conf'), 'latin1');
    expect(conf).toContain(`${ids[2]} 127.0.0.1:${nodes[2].port}@${nodes[2].port + 10000} slave ${ids[0]} 0 `);
    const real = await realAt(port, dir);
    expect(await myId(real.cli)).toBe(ids[0]);
    const mine = (await clusterNodes(real.cli)).find((l) => l.id === ids[0])!;
    expect(mine.flags).toEqual(['myself', 'master']);
    expect(mine.slots).toEqual(before.slots);
    expect(mine.slots).toContain(`[7000->-${ids[1]}]`);
    await waitFor('the real node rejoined our cluster', async () => {
      for (const c of [real.cli, nodes[1].cli, nodes[2].cli]) {
        const view = await clusterNodes(c);
        if (view.length !== 3 || view.some((l) => l.link !== 'connected' || l.flags.includes('fail') || l.flags.includes('fail?'))) return false;
        if (view.find((l) => l.id === ids[2])!.master !== ids[0]) return false;
      }
      return (await clusterInfo(real.cli)).cluster_state === 'ok';
    });
    real.cli.close();
  });

  it("our node restarts from a real node's nodes.conf and rejoins the real cluster", async () => {
    const reals: RealRedis[] = [];
    for (let i = 0; i < 3; i++) reals.push(await startRealRedis(['--cluster-enabled', 'yes', '--cluster-node-timeout', '1000']));
    const clients = await Promise.all(reals.map((r) => r.client()));
    // Node 2 is killed by the test itself (its directory is reused), the others stopped at the end.
    cleanup.push(async () => { clients.forEach((c) => c.close()); for (const r of reals.slice(0, 2)) await r.stop(); fs.rmSync(reals[2].dir, { recursive: true, force: true }); });
    const ids = await Promise.all(clients.map((c) => myId(c)));
    await clients[0].call('CLUSTER', 'MEET', '127.0.0.1', String(reals[1].port));
    await clients[0].call('CLUSTER', 'MEET', '127.0.0.1', String(reals[2].port));
    await clients[0].call('CLUSTER', 'ADDSLOTSRANGE', '0', '5000');
    await clients[1].call('CLUSTER', 'ADDSLOTSRANGE', '5001', '10000');
    await clients[2].call('CLUSTER', 'ADDSLOTSRANGE', '10001', '16383');
    // Settled: every node knows the others and the epoch the collisions of configEpoch 0 led to
    // (gossip carries it; a node may lag a moment behind the one it compares with below).
    await waitFor('real cluster ok', async () => {
      const infos = await Promise.all(clients.map((c) => clusterInfo(c)));
      return infos.every((i) => i.cluster_state === 'ok' && i.cluster_known_nodes === '3' && i.cluster_current_epoch === infos[0].cluster_current_epoch);
    });
    expect(await clients[2].call('CLUSTER', 'SETSLOT', '1', 'IMPORTING', ids[0])).toBe('+OK\r\n');
    const before = (await clusterNodes(clients[2])).find((l) => l.id === ids[2])!;
    // Kill real node 2 and start ours from its directory.
    clients[2].close();
    reals[2].proc.kill('SIGKILL');
    await new Promise((r) => reals[2].proc.once('exit', r));
    const ours = await startOurRedisAt(reals[2].port, reals[2].dir, ['--cluster-enabled', 'yes', '--cluster-node-timeout', '1000']);
    cleanup.push(() => ours.stop());
    expect(ours.log.join('')).toContain(`Node configuration loaded, I'm ${ids[2]}`);
    const cli = await RawClient.connect(reals[2].port);
    const mine = (await clusterNodes(cli)).find((l) => l.id === ids[2])!;
    expect(mine.slots).toEqual(before.slots);
    expect(mine.slots).toContain(`[1-<-${ids[0]}]`);
    expect((await clusterInfo(cli)).cluster_current_epoch).toBe((await clusterInfo(clients[0])).cluster_current_epoch);
    await waitFor('our node rejoined the real cluster', async () => {
      for (const c of [clients[0], clients[1], cli]) {
        const view = await clusterNodes(c);
        if (view.length !== 3 || view.some((l) => l.link !== 'connected' || l.flags.includes('fail') || l.flags.includes('fail?'))) return false;
        if ((await clusterInfo(c)).cluster_state !== 'ok') return false;
      }
      return true;
    });
    cli.close();
  });
});
