/**
 * Cluster link send buffers, ours and real Redis 7.0.15 side by side: CLUSTER LINKS (the
 * fields, their order, the r/w events and the buffer sizes while packets are queued and once
 * the cron has shrunk them), the memory the links take (INFO mem_cluster_links, MEMORY STATS
 * cluster.links), and cluster-link-sendbuf-limit freeing the link to a peer that stopped
 * reading (Redis's tests/cluster/tests/24-links.tcl, with the peer a real redis-server we
 * SIGSTOP in both runs), and DEBUG CLUSTERLINK KILL (tests/unit/cluster/links.tcl).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { startOurRedis } from '../support/our-server';
import type { RawClient } from '../support/raw-client';
import { encodeCommand, type RespValue } from '../../src/engine/resp/reply-parser';
import { clusterInfo, clusterNodes, myId, waitFor } from './helpers';

type Kind = 'real' | 'ours';
interface Node { port: number; cli: RawClient; id: string; log(): string; signal?(sig: NodeJS.Signals): void }

async function startNode(kind: Kind, cleanup: (() => Promise<void>)[], extra: string[] = []): Promise<Node> {
  const args = ['--cluster-enabled', 'yes', '--cluster-node-timeout', '5000', ...extra];
  if (kind === 'real') {
    const r = await startRealRedis(args);
    let text = '';
    r.proc.stdout!.on('data', (d) => { text += d; });
    const cli = await r.client();
    cleanup.push(async () => { cli.close(); r.proc.kill('SIGCONT'); await r.stop(); });
    return { port: r.port, cli, id: await myId(cli), log: () => text, signal: (sig) => r.proc.kill(sig) };
  }
  const s = await startOurRedis(args);
  const cli = await s.client();
  cleanup.push(async () => { cli.close(); await s.stop(); });
  return { port: s.port, cli, id: await myId(cli), log: () => s.log.join('') };
}

/** `first` MEETs the others; resolves once every node knows every other (no handshake). */
async function join(nodes: Node[]): Promise<void> {
  for (const n of nodes.slice(1)) expect(await nodes[0].cli.call('CLUSTER', 'MEET', '127.0.0.1', String(n.port))).toBe('+OK\r\n');
  await waitFor('everyone knows everyone', async () => {
    for (const n of nodes) {
      const view = await clusterNodes(n.cli);
      if (view.length !== nodes.length || view.some((l) => l.flags.includes('handshake') || l.link !== 'connected')) return false;
    }
    return true;
  });
}

async function value(cli: RawClient, ...argv: string[]): Promise<RespValue> {
  cli.write(encodeCommand(argv));
  return (await cli.reply()).value;
}

/** A CLUSTER LINKS entry as [field, value] pairs, in the reply's order. */
type Link = [string, string][];

function parseLinks(v: RespValue): Link[] {
  if (v.type !== 'array') throw new Error(`CLUSTER LINKS: ${JSON.stringify(v)}`);
  return v.value.map((entry) => {
    if (entry.type !== 'array') throw new Error('link entry is not an array');
    const pairs: Link = [];
    for (let i = 0; i < entry.value.length; i += 2) {
      const [k, x] = [entry.value[i], entry.value[i + 1]];
      pairs.push([(k as { value: string }).value, String((x as { value: string | bigint }).value)]);
    }
    return pairs;
  });
}

const field = (l: Link, name: string) => l.find(([k]) => k === name)?.[1];
const idle = (links: Link[]) => links.every((l) => field(l, 'send-buffer-allocated') === '0' && field(l, 'send-buffer-used') === '0');

/** Node IDs → <idA>…, create times → <ctime>; links sorted (their order is the node table's). */
function describeLinks(links: Link[], nodes: Node[]): string[] {
  return links.map((l) => l.map(([k, x]) => {
    if (k === 'create-time') return `${k}=<ctime>`;
    const i = nodes.findIndex((n) => n.id === x);
    return `${k}=${i >= 0 ? `<id${'ABC'[i]}>` : x}`;
  }).join(' ')).sort();
}

function infoField(text: string, name: string): string | undefined {
  return text.match(new RegExp(`^${name}:(.*)\\r$`, 'm'))?.[1];
}

describe.skipIf(!haveRealRedis())('cluster link send buffers (differential)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  it('CLUSTER LINKS while packets are queued and once written; the links\' memory', async () => {
    const run = async (kind: Kind): Promise<string[]> => {
      const nodes = [await startNode(kind, cleanup), await startNode(kind, cleanup), await startNode(kind, cleanup)];
      await join(nodes);
      const a = nodes[0];
      const out: string[] = [];
      // Idle: every buffer written and given back by the cron.
      let links: Link[] = [];
      await waitFor(`${kind}: idle links`, async () => idle(links = parseLinks(await value(a.cli, 'CLUSTER', 'LINKS'))), 5000);
      out.push('--- idle', ...describeLinks(links, nodes));
      // A transaction sees what PUBLISH queued: nothing is written before the event loop polls.
      // Retried until no gossip was queued or left unshrunk just before (the first LINKS).
      let exec: RespValue | null = null;
      await waitFor(`${kind}: a transaction starting from idle links`, async () => {
        expect(await a.cli.call('MULTI')).toBe('+OK\r\n');
        for (const argv of [
          ['CLUSTER', 'LINKS'], ['PUBLISH', 'ch', 'hello'], ['CLUSTER', 'LINKS'], ['PUBLISH', 'ch', 'x'.repeat(3000)], ['CLUSTER', 'LINKS'],
          ['PUBLISH', 'ch', 'y'.repeat(128 * 1024)], ['CLUSTER', 'LINKS'],
        ]) {
          expect(await a.cli.call(...argv)).toBe('+QUEUED\r\n');
        }
        exec = await value(a.cli, 'EXEC');
        return exec.type === 'array' && idle(parseLinks(exec.value[0]));
      }, 10000);
      const replies = (exec as unknown as { value: RespValue[] }).value;
      out.push(`publish: ${[1, 3, 5].map((i) => String((replies[i] as { value: bigint }).value)).join(' ')}`);
      for (const i of [2, 4, 6]) out.push(`--- after publish ${i / 2}`, ...describeLinks(parseLinks(replies[i]), nodes));
      // Written at the end of the event; the allocation stays until the next cron shrinks it.
      await waitFor(`${kind}: buffers given back`, async () => idle(parseLinks(await value(a.cli, 'CLUSTER', 'LINKS'))), 2000);
      // The links' memory, summed by the cron: struct + send buffer + receive buffer per link.
      const info = bulk(await a.cli.call('INFO', 'memory'));
      const stats = await value(a.cli, 'MEMORY', 'STATS');
      const statsPairs = stats.type === 'array' ? stats.value : [];
      const statsLinks = statsPairs.findIndex((x) => x.type === 'bulk' && x.value === 'cluster.links');
      out.push(`mem_cluster_links:${infoField(info, 'mem_cluster_links')}`, `cluster.links ${String((statsPairs[statsLinks + 1] as { value: bigint }).value)}`);
      out.push(`limit exceeded: ${(await clusterInfo(a.cli)).total_cluster_links_buffer_limit_exceeded}`);
      return out;
    };
    const [real, ours] = await Promise.all([run('real'), run('ours')]);
    expect(ours).toEqual(real);
    // What the comparison covered: a queued PUBLISH shows up as a write handler and a used buffer.
    expect(real.join('\n')).toMatch(/events=rw send-buffer-allocated=[1-9]\d* send-buffer-used=2271/);
    expect(real).toContain('mem_cluster_links:4352');
  }, 60000);

  it('DEBUG CLUSTERLINK KILL frees the link to, from or both ways with a node, which the cron opens again', async () => {
    const run = async (kind: Kind): Promise<string[]> => {
      const nodes = [await startNode(kind, cleanup), await startNode(kind, cleanup)];
      await join(nodes);
      const [a, b] = nodes;
      const directions = async () => parseLinks(await value(a.cli, 'CLUSTER', 'LINKS')).map((l) => field(l, 'direction')).sort().join(',');
      const out: string[] = [`before: ${await directions()}`, `cluster_connections:${infoField(bulk(await a.cli.call('INFO', 'clients')), 'cluster_connections')}`];
      for (const direction of ['to', 'FROM', 'all']) {
        // In a transaction, CLUSTER LINKS sees the link gone before the cron can open it again.
        expect(await a.cli.call('MULTI')).toBe('+OK\r\n');
        expect(await a.cli.call('DEBUG', 'CLUSTERLINK', 'KILL', direction, b.id)).toBe('+QUEUED\r\n');
        expect(await a.cli.call('CLUSTER', 'LINKS')).toBe('+QUEUED\r\n');
        const exec = await value(a.cli, 'EXEC');
        const replies = exec.type === 'array' ? exec.value : [];
        out.push(`kill ${direction}: ${JSON.stringify(replies[0])} left ${parseLinks(replies[1]).map((l) => field(l, 'direction')).sort().join(',')}`);
        await waitFor(`${kind}: links back after kill ${direction}`, async () => (await directions()) === 'from,to', 10000);
      }
      // An unknown direction: Redis adds the error and then +OK, so two replies come back.
      a.cli.write(encodeCommand(['DEBUG', 'CLUSTERLINK', 'KILL', 'sideways', b.id]));
      out.push((await a.cli.reply()).bytes, (await a.cli.reply()).bytes);
      out.push(await a.cli.call('DEBUG', 'CLUSTERLINK', 'KILL', 'to', 'f'.repeat(40)));
      out.push(await a.cli.call('DEBUG', 'CLUSTERLINK', 'KILL', 'to', 'abc'));
      out.push(await a.cli.call('DEBUG', 'CLUSTERLINK', 'KILL', 'to'));
      return out;
    };
    const [real, ours] = await Promise.all([run('real'), run('ours')]);
    expect(ours).toEqual(real);
    expect(real).toContain('kill all: {"type":"status","value":"OK"} left ');
    expect(real).toContain('-ERR Unknown direction sideways\r\n');
    expect(real).toContain('cluster_connections:2');
  }, 60000);

  it('cluster-link-sendbuf-limit frees the link to a peer that stopped reading', async () => {
    const run = async (kind: Kind): Promise<string[]> => {
      // The peer is a real redis-server in both runs: a process we can SIGSTOP.
      const node = await startNode(kind, cleanup);
      const peer = await startNode('real', cleanup);
      await join([node, peer]);
      const norm = (s: string) => s.split(peer.id).join('<peer>').replace(/\d+/g, '<n>');
      const out: string[] = [];
      const linkOf = async (dir: string) => parseLinks(await value(node.cli, 'CLUSTER', 'LINKS')).find((l) => field(l, 'direction') === dir && field(l, 'node') === peer.id)!;
      // No ping timeout while the peer is stopped.
      expect(await node.cli.call('CONFIG', 'SET', 'cluster-node-timeout', String(3600 * 1000))).toBe('+OK\r\n');
      const to0 = await linkOf('to');
      const from0 = await linkOf('from');
      expect(await node.cli.call('CONFIG', 'SET', 'cluster-link-sendbuf-limit', String(256 * 1024))).toBe('+OK\r\n');
      out.push(`limit: ${JSON.stringify(await node.cli.call('CONFIG', 'GET', 'cluster-link-sendbuf-limit'))}`);
      out.push(`exceeded before: ${(await clusterInfo(node.cli)).total_cluster_links_buffer_limit_exceeded}`);
      peer.signal!('SIGSTOP');
      // 128 KB messages until the kernel's buffers are full and the link's own buffer passes
      // the limit at a cron.
      const message = 'x'.repeat(128 * 1024);
      let sent = 0;
      await waitFor(`${kind}: the link freed`, async () => {
        for (let i = 0; i < 8; i++, sent++) await node.cli.call('PUBLISH', 'channel', message);
        await new Promise((r) => setTimeout(r, 150));
        return Number((await clusterInfo(node.cli)).total_cluster_links_buffer_limit_exceeded) >= 1;
      }, 30000);
      out.push(`exceeded after: ${Number((await clusterInfo(node.cli)).total_cluster_links_buffer_limit_exceeded) >= 1}`);
      const freed = node.log().split('\n').filter((l) => l.includes('Freeing cluster link')).map((l) => norm(l.replace(/^\d+:[MSCX] \d+ \w+ \d+ [\d:.]+ /, '')));
      out.push(...new Set(freed));
      // The outbound link was freed and opened again; the inbound one is untouched.
      const to1 = await linkOf('to');
      const from1 = await linkOf('from');
      out.push(`new link to the peer: ${Number(field(to1, 'create-time')) > Number(field(to0, 'create-time'))}`);
      out.push(`same link from the peer: ${field(from1, 'create-time') === field(from0, 'create-time')}`);
      peer.signal!('SIGCONT');
      expect(sent).toBeGreaterThan(0);
      return out;
    };
    const [real, ours] = await Promise.all([run('real'), run('ours')]);
    expect(ours).toEqual(real);
    expect(real).toContain('# Freeing cluster link(to node <peer>, used memory: <n>) due to exceeding send buffer memory limit.');
    expect(real).toContain('new link to the peer: true');
  }, 90000);
});

/** The text of a bulk reply. */
function bulk(reply: string): string {
  const nl = reply.indexOf('\r\n');
  return reply.slice(nl + 2, reply.length - 2);
}
