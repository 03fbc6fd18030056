/**
 * Configuration epochs decide who owns a slot: a master coming back with a stale view is told
 * about the newer owner with UPDATE messages and gives the slot up; BUMPEPOCH and
 * SET-CONFIG-EPOCH behave like Redis; a transaction's keys are routed as a whole.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { haveRealRedis } from '../support/real-redis';
import { RawClient } from '../support/raw-client';
import { clusterInfo, clusterNodes, keyForSlot, myId, startClusterNodes, startOurRedisAt, stopNodes, waitFor, type Node } from './helpers';
import { getNodeByQuery, REDIR_CROSS_SLOT, REDIR_MOVED, REDIR_NONE } from '../../src/engine/cluster/redirect';
import { keyHashSlot } from '../../src/engine/cluster/crc16';

const NODE_TIMEOUT_MS = 1000;

describe.skipIf(!haveRealRedis())('configuration epochs', () => {
  let nodes: Node[];
  let ids: string[];
  beforeAll(async () => {
    nodes = await startClusterNodes(3, NODE_TIMEOUT_MS);
    ids = await Promise.all(nodes.map((n) => myId(n.cli)));
    await nodes[0].cli.call('CLUSTER', 'MEET', '127.0.0.1', String(nodes[1].port));
    await nodes[0].cli.call('CLUSTER', 'MEET', '127.0.0.1', String(nodes[2].port));
    await nodes[0].cli.call('CLUSTER', 'ADDSLOTSRANGE', '0', '8191');
    await nodes[1].cli.call('CLUSTER', 'ADDSLOTSRANGE', '8192', '16383');
    await waitFor('cluster ok', async () => {
      for (const n of nodes) if ((await clusterInfo(n.cli)).cluster_state !== 'ok' || (await clusterInfo(n.cli)).cluster_known_nodes !== '3') return false;
      return true;
    });
  }, 30000);
  afterAll(async () => { await stopNodes(nodes); });

  it('a master back with a stale configuration gets UPDATE messages and gives up the slot', async () => {
    const [a, b, c] = nodes;
    const dir = a.srv.dir, port = a.port;
    a.cli.close();
    a.srv.server.terminate(0);
    // Meanwhile B takes slot 100 with a newer configEpoch, and C learns it.
    expect(await b.cli.call('CLUSTER', 'SETSLOT', '100', 'NODE', ids[1])).toBe('+OK\r\n');
    // BUMPED, or STILL when B's configEpoch already is the greatest: either way it beats A's.
    expect(await b.cli.call('CLUSTER', 'BUMPEPOCH')).toMatch(/^\+(BUMPED|STILL) \d+\r\n$/);
    const view = await clusterNodes(b.cli);
    expect(view.find((l) => l.id === ids[1])!.epoch).toBeGreaterThan(view.find((l) => l.id === ids[0])!.epoch);
    await waitFor('C sees B owning slot 100', async () => (await clusterNodes(c.cli)).find((l) => l.id === ids[1])!.slots.includes('100'));
    const again = await startOurRedisAt(port, dir, ['--cluster-enabled', 'yes', '--cluster-node-timeout', String(NODE_TIMEOUT_MS)]);
    const cli = await RawClient.connect(port);
    try {
      await waitFor('A gave up slot 100', async () => {
        const view = await clusterNodes(cli);
        return view.find((l) => l.id === ids[0])!.slots.join(' ') === '0-99 101-8191' && view.find((l) => l.id === ids[1])!.slots.includes('100');
      });
      const sent = Number((await clusterInfo(b.cli)).cluster_stats_messages_update_sent ?? 0) + Number((await clusterInfo(c.cli)).cluster_stats_messages_update_sent ?? 0);
      expect(sent).toBeGreaterThan(0);
      expect(Number((await clusterInfo(cli)).cluster_stats_messages_update_received ?? 0)).toBeGreaterThan(0);
      await waitFor('A writable again', async () => (await clusterInfo(cli)).cluster_state === 'ok');
      const k100 = keyForSlot(100, keyHashSlot);
      expect(await cli.call('GET', k100)).toBe(`-MOVED 100 127.0.0.1:${b.port}\r\n`);
    } finally {
      cli.close();
      again.stop();
    }
  });

  it('BUMPEPOCH and SET-CONFIG-EPOCH', async () => {
    const c = nodes[2];
    // BUMPED, or STILL when C's configEpoch already is the greatest: masters that collide on an
    // epoch move apart in node-ID order (the one with the smaller ID takes a new, greatest
    // epoch), so where C ends up depends on the random IDs and on when the gossip arrived.
    const first = await c.cli.call('CLUSTER', 'BUMPEPOCH');
    const m = /^\+(BUMPED|STILL) (\d+)\r\n$/.exec(first);
    expect(m, first).not.toBeNull();
    const epoch = Number(m![2]);
    if (m![1] === 'STILL') expect(Math.max(...(await clusterNodes(c.cli)).map((l) => l.epoch))).toBe(epoch);
    expect(await c.cli.call('CLUSTER', 'BUMPEPOCH')).toBe(`+STILL ${epoch}\r\n`);
    expect((await clusterInfo(c.cli)).cluster_my_epoch).toBe(String(epoch));
    expect(await c.cli.call('CLUSTER', 'SET-CONFIG-EPOCH', '99')).toBe('-ERR The user can assign a config epoch only when the node does not know any other node.\r\n');
  });

  it('EXEC routes the queued commands as a whole', async () => {
    // Node B (A was restarted by the first test): 'foo' is in B's slot 12182, 'bar' in A's 5061.
    const cl = nodes[1].srv.server.cluster!;
    const server = nodes[1].srv.server;
    const c = server.createFakeClient();
    const exec = { name: 'exec', arity: 1, flags: [], firstKey: 0, lastKey: 0, step: 0, group: 'transactions', since: '1.2.0', summary: '' } as never;
    const get = server.table.get('get')!;
    expect(cl.slots[keyHashSlot('foo')]).toBe(cl.myself);
    c.inMulti = true;
    c.multiQueue = [{ cmd: get, argv: ['GET', 'foo'] }, { cmd: get, argv: ['GET', '{foo}2'] }];
    expect(getNodeByQuery(cl, c, exec, ['EXEC']).code).toBe(REDIR_NONE);
    c.multiQueue.push({ cmd: get, argv: ['GET', 'bar'] });
    expect(getNodeByQuery(cl, c, exec, ['EXEC']).code).toBe(REDIR_CROSS_SLOT);
    c.multiQueue = [{ cmd: get, argv: ['GET', 'bar'] }];
    const r = getNodeByQuery(cl, c, exec, ['EXEC']);
    expect(r.code).toBe(REDIR_MOVED);
    expect(r.slot).toBe(5061);
    c.inMulti = false;
    expect(getNodeByQuery(cl, c, exec, ['EXEC']).code).toBe(REDIR_NONE);
  });
});
