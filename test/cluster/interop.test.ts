/**
 * Our cluster bus speaks Redis 7.0's binary protocol: a real redis-server 7.0.15 node and our
 * nodes share one bus, agree on CLUSTER NODES, and detect each other's failures.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as net from 'node:net';
import { haveRealRedis, startRealRedis, type RealRedis } from '../support/real-redis';
import { freePort } from '../support/ports';
import { RawClient } from '../support/raw-client';
import { decodeMessage, encodePing, MSG_MEET, HEADER_LEN, MFLAG0_EXT_DATA, type MsgHeader } from '../../src/engine/cluster/message';
import { clusterInfo, clusterNodes, myId, startClusterNodes, stopNodes, waitFor, type Node } from './helpers';

const NODE_TIMEOUT_MS = 1000;

describe.skipIf(!haveRealRedis())('a real redis-server 7.0.15 on our bus', () => {
  let ours: Node[];
  let real: RealRedis;
  let realCli: RawClient;

  beforeAll(async () => {
    ours = await startClusterNodes(2, NODE_TIMEOUT_MS);
    real = await startRealRedis(['--cluster-enabled', 'yes', '--cluster-node-timeout', String(NODE_TIMEOUT_MS)]);
    realCli = await real.client();
  }, 30000);
  afterAll(async () => {
    realCli?.close();
    await real?.stop();
    await stopNodes(ours);
  });

  it('the real node MEETs ours: all three agree on members, addresses, flags and slots', async () => {
    const ids = [...await Promise.all(ours.map((n) => myId(n.cli))), await myId(realCli)];
    expect(await realCli.call('CLUSTER', 'MEET', '127.0.0.1', String(ours[0].port))).toBe('+OK\r\n');
    expect(await ours[0].cli.call('CLUSTER', 'MEET', '127.0.0.1', String(ours[1].port))).toBe('+OK\r\n');
    expect(await ours[0].cli.call('CLUSTER', 'ADDSLOTSRANGE', '0', '5460')).toBe('+OK\r\n');
    expect(await ours[1].cli.call('CLUSTER', 'ADDSLOTSRANGE', '5461', '10922')).toBe('+OK\r\n');
    expect(await realCli.call('CLUSTER', 'ADDSLOTSRANGE', '10923', '16383')).toBe('+OK\r\n');
    const all = [...ours.map((n) => n.cli), realCli];
    const ports = [...ours.map((n) => n.port), real.port];
    await waitFor('cluster_state:ok on the real node and ours', async () => {
      for (const c of all) {
        const info = await clusterInfo(c);
        if (info.cluster_state !== 'ok' || info.cluster_known_nodes !== '3') return false;
      }
      return true;
    });
    await waitFor('one view of the epochs', async () => {
      const views = await Promise.all(all.map((c) => clusterNodes(c)));
      const key = (v: typeof views[0]) => JSON.stringify(v.map((l) => [l.id, l.epoch, l.slots, l.master]).sort());
      return views.every((v) => key(v) === key(views[0])) && new Set(views[0].map((l) => l.epoch)).size === 3;
    });
    const slots = [['0-5460'], ['5461-10922'], ['10923-16383']];
    for (let i = 0; i < 3; i++) {
      const view = await clusterNodes(all[i]);
      expect(view.map((l) => l.id).sort()).toEqual([...ids].sort());
      for (const l of view) {
        const j = ids.indexOf(l.id);
        expect(l.addr).toBe(`127.0.0.1:${ports[j]}@${ports[j] + 10000}`);
        expect(l.flags).toEqual(i === j ? ['myself', 'master'] : ['master']);
        expect(l.slots).toEqual(slots[j]);
        expect(l.link).toBe('connected');
      }
    }
    // INFO counts the bus connections and their memory the same way.
    const infoField = async (c: RawClient, section: string, field: string) => (await c.call('INFO', section)).match(new RegExp(`${field}:(\\d+)`))![1];
    for (const c of ours.map((n) => n.cli)) {
      expect(await infoField(c, 'clients', 'cluster_connections')).toBe(await infoField(realCli, 'clients', 'cluster_connections'));
    }
    // Redis refreshes mem_cluster_links in its cron; with every link up it is 4 × 1088 bytes.
    await waitFor('all links up', async () => {
      for (const c of all) if (await infoField(c, 'memory', 'mem_cluster_links') !== '4352') return false;
      return true;
    });
    // Redirections computed by the real node point at our nodes and back.
    expect(await realCli.call('GET', 'key:0')).toMatch(new RegExp(`^-MOVED \\d+ 127\\.0\\.0\\.1:(${ours[0].port}|${ours[1].port})\\r\\n$`));
    expect(await ours[0].cli.call('GET', 'foo')).toBe(`-MOVED 12182 127.0.0.1:${real.port}\r\n`);
  });

  it('PUBLISH crosses the bus both ways (PUBLISH messages)', async () => {
    const subReal = await real.client();
    const subOurs = await RawClient.connect(ours[1].port);
    try {
      expect(await subReal.call('SUBSCRIBE', 'news')).toBe('*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n');
      expect(await subOurs.call('SUBSCRIBE', 'news')).toBe('*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n');
      // The publisher's node counts only its local receivers.
      expect(await ours[0].cli.call('PUBLISH', 'news', 'from-ours')).toBe(':0\r\n');
      const msg = (m: string) => `*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$${m.length}\r\n${m}\r\n`;
      expect((await subReal.reply(3000)).bytes).toBe(msg('from-ours'));
      expect((await subOurs.reply(3000)).bytes).toBe(msg('from-ours'));
      expect(await realCli.call('PUBLISH', 'news', 'from-real')).toBe(':1\r\n');
      expect((await subOurs.reply(3000)).bytes).toBe(msg('from-real'));
    } finally {
      subReal.close();
      subOurs.close();
    }
  });

  it('the real node and ours agree our killed node is FAIL (gossip failure reports both ways)', async () => {
    const victimId = await myId(ours[1].cli);
    ours[1].cli.close();
    ours[1].srv.server.terminate(0);
    await waitFor('FAIL on the real node and on ours', async () => {
      for (const c of [realCli, ours[0].cli]) {
        const line = (await clusterNodes(c)).find((l) => l.id === victimId)!;
        if (!line.flags.includes('fail')) return false;
      }
      return true;
    }, NODE_TIMEOUT_MS * 10);
    expect((await clusterInfo(realCli)).cluster_state).toBe('fail');
    expect(await realCli.call('GET', 'foo')).toBe('-CLUSTERDOWN The cluster is down\r\n');
    expect(await ours[0].cli.call('GET', 'foo')).toBe('-CLUSTERDOWN The cluster is down\r\n');
  });
});

describe.skipIf(!haveRealRedis())('bus packets of a real redis-server', () => {
  let real: RealRedis;
  beforeAll(async () => { real = await startRealRedis(['--cluster-enabled', 'yes', '--cluster-announce-hostname', 'real-host']); });
  afterAll(async () => { await real?.stop(); });

  it('decodes the MEET a real node sends, and the real node accepts our PONG reply', async () => {
    const client = await real.client();
    const realId = await myId(client);
    const port = await freePort();
    const packets: Uint8Array[] = [];
    const sockets: net.Socket[] = [];
    let sock: net.Socket | null = null;
    const srv = net.createServer((s) => {
      sockets.push(s);
      let buf = Buffer.alloc(0);
      s.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 8 && buf.length >= buf.readUInt32BE(4)) {
          const len = buf.readUInt32BE(4);
          const packet = new Uint8Array(buf.subarray(0, len));
          packets.push(packet);
          const d = decodeMessage(packet);
          if (!('drop' in d) && d.header.type === MSG_MEET) sock = s;
          buf = buf.subarray(len);
        }
      });
    });
    await new Promise<void>((r) => srv.listen(port + 10000, '127.0.0.1', () => r()));
    try {
      expect(await client.call('CLUSTER', 'MEET', '127.0.0.1', String(port))).toBe('+OK\r\n');
      // Only the real node's packets count: with test workers in parallel, a node of another
      // test may still be reconnecting to a dead node's bus port that is this one now.
      const fromReal = () => packets.map((b) => decodeMessage(b)).filter((x) => !('drop' in x) && x.header.sender === realId);
      await waitFor('a packet from the real node', async () => fromReal().length > 0, 5000);
      const m = fromReal()[0];
      if ('drop' in m) throw new Error(m.drop);
      expect(m.header.type).toBe(MSG_MEET);
      // During the handshake the real node still calls us by a random name but sends its own.
      expect(m.header.sender).toBe(realId);
      expect(m.header.port).toBe(real.port);
      expect(m.header.cport).toBe(real.port + 10000);
      expect(m.header.flags & 1).toBe(1); // master
      expect(m.header.mflags0 & MFLAG0_EXT_DATA).toBe(MFLAG0_EXT_DATA);
      expect(m.body.kind === 'ping' && m.body.hostname).toBe('real-host');
      expect(m.totlen).toBe(packets[0].length);
      expect(m.totlen).toBeGreaterThanOrEqual(HEADER_LEN);

      // Answer with a PONG from "our" node: the real node completes the handshake with our name.
      const ourName = 'f'.repeat(40);
      const header: MsgHeader = {
        type: 1, port, count: 0, currentEpoch: 0, configEpoch: 0, offset: 0, sender: ourName, myslots: new Uint8Array(2048),
        slaveof: '\0'.repeat(40), myip: '', extensions: 0, pport: 0, cport: port + 10000, flags: 1, state: 1, mflags0: 0,
      };
      sock!.write(encodePing(header, [], 'our-host'));
      await waitFor('the real node knows our node by name', async () => (await clusterNodes(client)).some((l) => l.id === ourName), 5000);
      // The handshake PONG comes from a not-yet-known sender, so its extensions are ignored; the
      // next one carries our hostname to the real node.
      expect((await clusterNodes(client)).find((l) => l.id === ourName)!.addr).toBe(`127.0.0.1:${port}@${port + 10000}`);
      sock!.write(encodePing(header, [], 'our-host'));
      await waitFor('our hostname on the real node', async () => (await clusterNodes(client)).some((l) => l.addr.endsWith(',our-host')), 5000);
      const line = (await clusterNodes(client)).find((l) => l.id === ourName)!;
      expect(line.addr).toBe(`127.0.0.1:${port}@${port + 10000},our-host`);
      expect(line.flags).toEqual(['master']);
    } finally {
      for (const x of sockets) x.destroy();
      srv.close();
      client.close();
    }
  });
});
