/**
 * CLUSTER FAILOVER and the replica election, ours and real Redis 7.0.15 side by side: the same
 * small clusters built of real nodes and of ours, the same commands, compared replies (after
 * replacing node IDs, ports and numbers), and the same failover log lines in the same order.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { startOurRedis } from '../support/our-server';
import type { RawClient } from '../support/raw-client';
import { clusterInfo, clusterNodes, myId, waitFor } from './helpers';

const NODE_TIMEOUT_MS = 1000;

interface Node { port: number; cli: RawClient; id: string; log(): string; kill(): Promise<void> }
type Kind = 'real' | 'ours';

async function startNode(kind: Kind, cleanup: (() => Promise<void>)[]): Promise<Node> {
  const args = ['--cluster-enabled', 'yes', '--cluster-node-timeout', String(NODE_TIMEOUT_MS), '--repl-diskless-sync-delay', '0'];
  if (kind === 'real') {
    const r = await startRealRedis(args);
    // The real server logs to its stdout; keep what it says from now on.
    let text = '';
    r.proc.stdout!.on('data', (d) => { text += d; });
    const cli = await r.client();
    cleanup.push(async () => { cli.close(); await r.stop(); });
    return { port: r.port, cli, id: await myId(cli), log: () => text, kill: async () => { cli.close(); r.proc.kill('SIGKILL'); await new Promise((f) => r.proc.once('exit', f)); } };
  }
  const s = await startOurRedis(args);
  const cli = await s.client();
  cleanup.push(async () => { cli.close(); await s.stop(); });
  return { port: s.port, cli, id: await myId(cli), log: () => s.log.join(''), kill: async () => { cli.close(); s.server.terminate(1); } };
}

/** `masters` nodes sharing the slots evenly, then one replica for the first master. */
async function buildCluster(kind: Kind, masters: number, cleanup: (() => Promise<void>)[]): Promise<Node[]> {
  const nodes: Node[] = [];
  for (let i = 0; i <= masters; i++) nodes.push(await startNode(kind, cleanup));
  for (const n of nodes.slice(1)) expect(await nodes[0].cli.call('CLUSTER', 'MEET', '127.0.0.1', String(n.port))).toBe('+OK\r\n');
  const per = Math.ceil(16384 / masters);
  for (let i = 0; i < masters; i++) {
    expect(await nodes[i].cli.call('CLUSTER', 'ADDSLOTSRANGE', String(i * per), String(Math.min(16383, (i + 1) * per - 1)))).toBe('+OK\r\n');
  }
  await waitFor(`${kind}: everyone knows everyone`, async () => {
    for (const n of nodes) {
      const view = await clusterNodes(n.cli);
      if (view.length !== nodes.length || view.some((l) => l.flags.includes('handshake'))) return false;
    }
    return true;
  });
  const replica = nodes[masters];
  expect(await replica.cli.call('CLUSTER', 'REPLICATE', nodes[0].id)).toBe('+OK\r\n');
  await waitFor(`${kind}: cluster ok, replica in sync`, async () => {
    for (const n of nodes) if ((await clusterInfo(n.cli)).cluster_state !== 'ok') return false;
    return (await replica.cli.call('INFO', 'replication')).includes('master_link_status:up');
  });
  return nodes;
}

/** Node IDs → <idA>…, ports → <portA>…, replication IDs → <replid>, other numbers → <n>. */
function normalizer(nodes: Node[]): (s: string) => string {
  return (s) => {
    let t = s;
    nodes.forEach((n, i) => { t = t.split(n.id).join(`<id${'ABCDEFGH'[i]}>`); });
    // Replication IDs go before ports: a random hex ID can hold a port's digits.
    t = t.replace(/\b[0-9a-f]{40}\b/g, '<replid>');
    nodes.forEach((n, i) => {
      const tag = 'ABCDEFGH'[i];
      t = t.split(String(n.port + 10000)).join(`<cport${tag}>`).split(String(n.port)).join(`<port${tag}>`);
    });
    return t.replace(/\d+/g, '<n>');
  };
}

/** The failover lines of a log, without the "pid:role date time level" prefix. */
const FAILOVER_LINE = /failover|election|configEpoch|auth granted|auth denied|Configuration change detected|Taking over|Received replication offset|replication stream processed|Replica rank/i;
function failoverLog(n: Node, norm: (s: string) => string): string[] {
  return n.log().split('\n')
    .map((l) => l.replace(/^\d+:[MSCX] \d+ \w+ \d+ [\d:.]+ [.\-*#] /, ''))
    .filter((l) => FAILOVER_LINE.test(l) && !/CLUSTER SET-CONFIG-EPOCH/.test(l))
    .map(norm);
}

describe.skipIf(!haveRealRedis())('CLUSTER FAILOVER and elections (differential)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  /** Run the same scenario on real nodes and ours, concurrently; returns both transcripts. */
  async function both(masters: number, scenario: (nodes: Node[], norm: (s: string) => string) => Promise<string[]>): Promise<[string[], string[]]> {
    const run = async (kind: Kind) => {
      const nodes = await buildCluster(kind, masters, cleanup);
      return scenario(nodes, normalizer(nodes));
    };
    const [real, ours] = await Promise.all([run('real'), run('ours')]);
    return [real, ours];
  }

  it('errors, then a default manual failover: replies and both nodes\' failover log lines', async () => {
    const [real, ours] = await both(1, async ([m, r], norm) => {
      const out: string[] = [];
      for (const [n, argv] of [
        [m, ['CLUSTER', 'FAILOVER']], [m, ['CLUSTER', 'FAILOVER', 'FORCE']], [m, ['CLUSTER', 'FAILOVER', 'TAKEOVER']],
        [r, ['CLUSTER', 'FAILOVER', 'bogus']], [r, ['CLUSTER', 'FAILOVER', 'FORCE', 'x']], [r, ['CLUSTER', 'failover', 'force', 'takeover']],
        [m, ['CLUSTER', 'FAILOVER', 'bogus']],
      ] as [Node, string[]][]) out.push(norm(await n.cli.call(...argv)));
      out.push(norm(await r.cli.call('CLUSTER', 'FAILOVER')));
      await waitFor('roles swapped', async () => {
        const [v, w] = [await clusterNodes(m.cli), await clusterNodes(r.cli)];
        return v.find((l) => l.id === m.id)!.flags.includes('slave') && w.find((l) => l.id === m.id)!.flags.includes('slave')
          && (await m.cli.call('INFO', 'replication')).includes('master_link_status:up');
      }, 10000);
      out.push(norm(await m.cli.call('CLUSTER', 'FAILOVER', 'bogus')));
      out.push(...(await clusterNodes(r.cli)).map((l) => norm(`${l.id} ${l.flags.join(',')} ${l.master} ${l.slots.join(' ')}`)).sort());
      const info = await clusterInfo(r.cli);
      out.push(`auth-req sent ${info['cluster_stats_messages_auth-req_sent']}, auth-ack received ${info['cluster_stats_messages_auth-ack_received']}`);
      const minfo = await clusterInfo(m.cli);
      out.push(`auth-req received ${minfo['cluster_stats_messages_auth-req_received']}, auth-ack sent ${minfo['cluster_stats_messages_auth-ack_sent']}, mfstart received ${minfo['cluster_stats_messages_mfstart_received']}`);
      // Real Redis logs "Currently unable to failover: Waiting for votes, ..." when some event
      // wakes the replica between its vote request and the ACK: 2 times in 3 in a trial, so not compared.
      // Our server runs inside the test runner's event loop: on a loaded CI machine a stall
      // longer than the 1 s node timeout can make it see its peers as failing for a moment and
      // log a brief "Cluster state changed: fail" / "ok" pair that the separate real process
      // does not. Those lines are left out of this comparison (the state itself is checked by
      // the other cluster tests).
      const racy = (l: string) => !l.startsWith('Currently unable to failover: Waiting for votes') && !l.startsWith('Cluster state changed: ');
      out.push('--- replica log', ...failoverLog(r, norm).filter(racy), '--- master log', ...failoverLog(m, norm));
      // Both whole logs from the manual failover on (replication's lines included), in order.
      // The bus queues packets and writes them after the event and beforeSleep, as Redis does,
      // so the old master sees its replica's replication link close before the PONG that says
      // it was promoted ("Connection with replica ... lost." before "Configuration change").
      for (const [name, n] of [['replica', r], ['master', m]] as const) {
        const lines = n.log().split('\n').map((l) => l.replace(/^\d+:[MSCX] \d+ \w+ \d+ [\d:.]+ [.\-*#] /, ''));
        const tail = lines.slice(lines.findIndex((l) => l.startsWith('Manual failover'))).filter((l) => l && racy(l)).map(norm);
        out.push(`--- ${name} log tail`, ...tail);
      }
      return out;
    });
    expect(ours).toEqual(real);
    expect(real).toContain("Failover election won: I'm the new master.");
    const masterTail = real.slice(real.indexOf('--- master log tail'));
    const lostAt = masterTail.findIndex((l) => l.startsWith('Connection with replica'));
    expect(lostAt).toBeGreaterThan(0);
    expect(lostAt).toBeLessThan(masterTail.findIndex((l) => l.startsWith('Configuration change detected.')));
  }, 60000);

  it('master killed: "Master is down", FORCE without a majority times out, TAKEOVER works', async () => {
    const [real, ours] = await both(1, async ([m, r], norm) => {
      const out: string[] = [];
      await m.kill();
      await waitFor('link gone', async () => (await clusterNodes(r.cli)).find((l) => l.id === m.id)!.link === 'disconnected');
      out.push(norm(await r.cli.call('CLUSTER', 'FAILOVER')));
      out.push(norm(await r.cli.call('CLUSTER', 'FAILOVER', 'FORCE')));
      // The only voter is dead: the manual failover times out after 5 s.
      await waitFor('manual failover timed out', async () => r.log().includes('Manual failover timed out.'), 10000);
      out.push(norm(await r.cli.call('CLUSTER', 'FAILOVER', 'TAKEOVER')));
      await waitFor('promoted', async () => (await clusterNodes(r.cli)).find((l) => l.id === r.id)!.flags.includes('master'));
      out.push(...(await clusterNodes(r.cli)).map((l) => norm(`${l.id} ${l.flags.join(',')} ${l.master} ${l.slots.join(' ')}`)).sort());
      out.push('--- replica log', ...failoverLog(r, norm).filter((l) => !/Currently unable to failover/.test(l)));
      return out;
    });
    expect(ours).toEqual(real);
    expect(real).toContain('Taking over the master (user request).');
  }, 60000);

  it('automatic failover: a killed master\'s replica logs the same election', async () => {
    const [real, ours] = await both(3, async (nodes, norm) => {
      const [m, m2, m3, r] = nodes;
      await m.kill();
      await waitFor('promoted', async () => (await clusterNodes(r.cli)).find((l) => l.id === r.id)!.flags.includes('master'), 15000);
      await waitFor('cluster ok', async () => {
        for (const n of [m2, m3, r]) if ((await clusterInfo(n.cli)).cluster_state !== 'ok') return false;
        return true;
      }, 10000);
      const out = (await clusterNodes(m2.cli)).map((l) => norm(`${l.id} ${l.flags.join(',')} ${l.master} ${l.slots.join(' ')}`)).sort();
      out.push('--- replica log', ...failoverLog(r, norm));
      // Everything the replica logs from its election on, except the reconnection attempts to the
      // dead master (one per second: how many fit depends on the random delay).
      const tail = r.log().split('\n').map((l) => l.replace(/^\d+:[MSCX] \d+ \w+ \d+ [\d:.]+ [.\-*#] /, ''));
      const reconnect = /^(Connecting to MASTER|MASTER <-> REPLICA sync started|Error condition on socket for SYNC)/;
      out.push('--- replica log tail', ...tail.slice(tail.findIndex((l) => l.startsWith('Start of election'))).filter((l) => l && !reconnect.test(l)).map(norm));
      const votes = [m2, m3].map((n) => failoverLog(n, norm).filter((l) => l.startsWith('Failover auth granted')));
      out.push('--- votes', ...votes.flat().sort());
      return out;
    });
    expect(ours).toEqual(real);
    expect(real.filter((l) => l.startsWith('Failover auth granted'))).toHaveLength(2);
  }, 60000);
});
