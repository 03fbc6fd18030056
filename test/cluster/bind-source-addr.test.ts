/**
 * bind-source-addr on the cluster bus, ours against real Redis 7.0.15: a node whose bus links
 * leave from 127.0.0.2 MEETs a real node at 127.0.0.1, and the real node learns it at
 * 127.0.0.2 (a MEET's sender with no announced address is known by its link's peer address).
 * Both nodes also listen on 127.0.0.2 so that the real node can connect back.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as net from 'node:net';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { startOurRedis } from '../support/our-server';
import type { RawClient } from '../support/raw-client';
import { clusterNodes, myId, waitFor } from './helpers';

function canBindLoopback2(): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(0, '127.0.0.2', () => srv.close(() => resolve(true)));
  });
}

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => { for (const f of cleanup.reverse()) await f(); });

async function node(kind: 'real' | 'ours', extra: string[] = []): Promise<{ port: number; cli: RawClient }> {
  const args = ['--cluster-enabled', 'yes', '--cluster-node-timeout', '5000', '--bind', '127.0.0.1 127.0.0.2', ...extra];
  const s = kind === 'real' ? await startRealRedis(args) : await startOurRedis(args);
  const cli = await s.client();
  cleanup.push(async () => { cli.close(); await s.stop(); });
  return { port: s.port, cli };
}

(haveRealRedis() ? describe : describe.skip)('cluster bus from bind-source-addr (differential)', () => {
  it('the real peer knows the MEETing node by the source address its links leave from', async () => {
    if (!(await canBindLoopback2())) return;
    const seenAs = async (kind: 'real' | 'ours') => {
      const a = await node(kind, ['--bind-source-addr', '127.0.0.2']);
      const b = await node('real');
      const aId = await myId(a.cli);
      expect(await a.cli.call('CLUSTER', 'MEET', '127.0.0.1', String(b.port))).toBe('+OK\r\n');
      let addr = '';
      await waitFor('the peer knows the node', async () => {
        const line = (await clusterNodes(b.cli)).find((l) => l.id === aId);
        addr = line?.addr ?? '';
        return !!line && line.link === 'connected' && !line.flags.includes('handshake');
      });
      return addr.replace(/:\d+@\d+$/, '');
    };
    const real = await seenAs('real');
    expect(real).toBe('127.0.0.2');
    expect(await seenAs('ours')).toBe(real);
  });
});
