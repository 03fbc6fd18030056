/**
 * Moving a slot by hand between two of our nodes (lab D4): SETSLOT IMPORTING/MIGRATING, the
 * ASK and TRYAGAIN windows while keys move with MIGRATE, ASKING as a one-shot flag, then
 * SETSLOT NODE closing the migration. And MIGRATE itself against real Redis (differential).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { haveRealRedis, startRealRedis, type RealRedis } from '../support/real-redis';
import { describeDifferential, expectSame } from '../support/differential';
import { RawClient } from '../support/raw-client';
import { keyHashSlot } from '../../src/engine/cluster/crc16';
import { clusterInfo, clusterNodes, myId, runRealCli, startClusterNodes, stopNodes, waitFor, type Node } from './helpers';

describe.skipIf(!haveRealRedis())('a slot migration by hand between two of our masters', () => {
  let nodes: Node[];
  let a: Node, b: Node;
  let idA: string, idB: string;
  const slot = keyHashSlot('{mig}');
  const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;

  beforeAll(async () => {
    nodes = await startClusterNodes(2, 1000);
    [a, b] = nodes;
    [idA, idB] = await Promise.all(nodes.map((n) => myId(n.cli)));
    expect(await a.cli.call('CLUSTER', 'MEET', '127.0.0.1', String(b.port))).toBe('+OK\r\n');
    // The slot under test belongs to A.
    expect(await a.cli.call('CLUSTER', 'ADDSLOTSRANGE', '0', String(slot))).toBe('+OK\r\n');
    expect(await b.cli.call('CLUSTER', 'ADDSLOTSRANGE', String(slot + 1), '16383')).toBe('+OK\r\n');
    await waitFor('cluster ok', async () => (await clusterInfo(a.cli)).cluster_state === 'ok' && (await clusterInfo(b.cli)).cluster_state === 'ok');
  }, 30000);
  afterAll(async () => { await stopNodes(nodes); });

  it('ASK and TRYAGAIN while keys move, ASKING once, MIGRATE, then SETSLOT NODE', async () => {
    for (const k of ['k1', 'k2', 'k3']) expect(await a.cli.call('SET', `{mig}${k}`, `v-${k}`)).toBe('+OK\r\n');
    expect(await a.cli.call('RPUSH', '{mig}list', 'x', 'y', 'z')).toBe(':3\r\n');
    expect(await a.cli.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))).toBe(':4\r\n');

    expect(await b.cli.call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', idA)).toBe('+OK\r\n');
    expect(await a.cli.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', idB)).toBe('+OK\r\n');
    expect((await clusterNodes(a.cli)).find((l) => l.id === idA)!.slots).toContain(`[${slot}->-${idB}]`);
    expect((await clusterNodes(b.cli)).find((l) => l.id === idB)!.slots).toContain(`[${slot}-<-${idA}]`);

    // The source still serves keys it has; a missing key is asked for on the target.
    expect(await a.cli.call('GET', '{mig}k1')).toBe(bulk('v-k1'));
    expect(await a.cli.call('GET', '{mig}nope')).toBe(`-ASK ${slot} 127.0.0.1:${b.port}\r\n`);
    expect(await a.cli.call('SET', '{mig}new', 'x')).toBe(`-ASK ${slot} 127.0.0.1:${b.port}\r\n`);
    // The target redirects back unless the client says ASKING, for one command only.
    expect(await b.cli.call('GET', '{mig}k1')).toBe(`-MOVED ${slot} 127.0.0.1:${a.port}\r\n`);
    expect(await b.cli.call('ASKING')).toBe('+OK\r\n');
    expect(await b.cli.call('GET', '{mig}k1')).toBe('$-1\r\n');
    expect(await b.cli.call('GET', '{mig}k1')).toBe(`-MOVED ${slot} 127.0.0.1:${a.port}\r\n`);

    // Move one key: now the slot is split between the two nodes.
    expect(await a.cli.call('MIGRATE', '127.0.0.1', String(b.port), '', '0', '5000', 'KEYS', '{mig}k1')).toBe('+OK\r\n');
    expect(await a.cli.call('GET', '{mig}k1')).toBe(`-ASK ${slot} 127.0.0.1:${b.port}\r\n`);
    expect(await a.cli.call('MGET', '{mig}k1', '{mig}k2')).toBe('-TRYAGAIN Multiple keys request during rehashing of slot\r\n');
    expect(await a.cli.call('MGET', '{mig}k2', '{mig}k3')).toBe(`*2\r\n${bulk('v-k2')}${bulk('v-k3')}`);
    expect(await b.cli.call('ASKING')).toBe('+OK\r\n');
    expect(await b.cli.call('MGET', '{mig}k1', '{mig}k2')).toBe('-TRYAGAIN Multiple keys request during rehashing of slot\r\n');
    expect(await b.cli.call('ASKING')).toBe('+OK\r\n');
    expect(await b.cli.call('GET', '{mig}k1')).toBe(bulk('v-k1'));

    // The real redis-cli -c follows the ASK (sending ASKING) and MOVED redirections.
    const cli = await runRealCli(['-c', '-p', String(a.port)], 'GET {mig}k1\nGET {mig}k2\n');
    expect(cli.stdout).toBe(`-> Redirected to slot [${slot}] located at 127.0.0.1:${b.port}\nv-k1\n-> Redirected to slot [${slot}] located at 127.0.0.1:${a.port}\nv-k2\n`);

    // The rest of the slot, a list included (DUMP/RESTORE payloads).
    expect(await a.cli.call('MIGRATE', '127.0.0.1', String(b.port), '', '0', '5000', 'KEYS', '{mig}k2', '{mig}k3', '{mig}list')).toBe('+OK\r\n');
    expect(await a.cli.call('MIGRATE', '127.0.0.1', String(b.port), '', '0', '5000', 'KEYS', '{mig}k2')).toBe('+NOKEY\r\n');
    expect(await a.cli.call('CLUSTER', 'GETKEYSINSLOT', String(slot), '10')).toBe('*0\r\n');
    expect(await b.cli.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))).toBe(':4\r\n');

    // Close the migration: the target first, then the source.
    expect(await b.cli.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', idB)).toBe('+OK\r\n');
    expect(await a.cli.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', idB)).toBe('+OK\r\n');
    // Closing the import gives B the greatest configEpoch (a new one only if it had not
    // already), so its claim on the slot wins everywhere.
    const epochs = await clusterNodes(b.cli);
    expect(epochs.find((l) => l.id === idB)!.epoch).toBeGreaterThan(epochs.find((l) => l.id === idA)!.epoch);
    expect(await a.cli.call('GET', '{mig}k1')).toBe(`-MOVED ${slot} 127.0.0.1:${b.port}\r\n`);
    expect(await b.cli.call('LRANGE', '{mig}list', '0', '-1')).toBe(`*3\r\n${bulk('x')}${bulk('y')}${bulk('z')}`);
    await waitFor('both nodes agree B owns the slot', async () => {
      for (const n of [a, b]) {
        const lines = await clusterNodes(n.cli);
        const owner = lines.find((l) => l.id === idB)!;
        if (!owner.slots.includes(`${slot}-16383`) || owner.slots.some((s) => s.startsWith('['))) return false;
        if (lines.find((l) => l.id === idA)!.slots.join(' ') !== `0-${slot - 1}`) return false;
      }
      return true;
    });
  });

  it('a client blocked on a key of a slot that moved away gets MOVED', async () => {
    // Slot 0 belongs to A; a BLPOP there, then the slot moves to B.
    const c = await RawClient.connect(a.port);
    const key = '{b}q';
    const s = keyHashSlot(key);
    expect(s).toBeLessThan(slot);
    c.write(`*3\r\n$5\r\nBLPOP\r\n$${key.length}\r\n${key}\r\n$1\r\n0\r\n`);
    await new Promise((r) => setTimeout(r, 100));
    expect(await b.cli.call('CLUSTER', 'SETSLOT', String(s), 'NODE', idB)).toBe('+OK\r\n');
    expect(await a.cli.call('CLUSTER', 'SETSLOT', String(s), 'NODE', idB)).toBe('+OK\r\n');
    expect((await c.reply(3000)).bytes).toBe(`-MOVED ${s} 127.0.0.1:${b.port}\r\n`);
    c.close();
  });
});

/** MIGRATE between standalone servers: ours and the real one each migrate to a real target. */
let target: RealRedis | null = null;
describeDifferential('MIGRATE (differential)', (pair) => {
  beforeAll(async () => { target = await startRealRedis([]); });
  afterAll(async () => { await target?.stop(); });

  it('OK, NOKEY, BUSYKEY, REPLACE, COPY, KEYS, AUTH errors, connection errors', async () => {
    const p = pair();
    const t = String(target!.port);
    const closed = String(target!.port + 1);
    // Each side migrates into its own db of the shared target so their keys never collide.
    const steps = (db: string) => [
      ['SET', 'k', 'v'], ['EXPIRE', 'k', '100'], ['MIGRATE', '127.0.0.1', t, 'k', db, '5000'], ['EXISTS', 'k'],
      ['MIGRATE', '127.0.0.1', t, 'k', db, '5000'],
      ['SET', 'k', 'v2'], ['MIGRATE', '127.0.0.1', t, 'k', db, '5000'], ['EXISTS', 'k'],
      ['MIGRATE', '127.0.0.1', t, 'k', db, '5000', 'REPLACE'], ['EXISTS', 'k'],
      ['SADD', 's', 'a', 'b'], ['HSET', 'h', 'f', '1'], ['MIGRATE', '127.0.0.1', t, '', db, '5000', 'COPY', 'KEYS', 's', 'h', 'nokey'],
      ['EXISTS', 's', 'h'], ['MIGRATE', '127.0.0.1', t, '', db, '5000', 'COPY', 'REPLACE', 'KEYS', 's', 'h'],
      ['MIGRATE', '127.0.0.1', t, 's', db, '5000', 'AUTH', 'secret'],
      ['MIGRATE', '127.0.0.1', t, 's', db, '5000', 'AUTH2', 'user', 'secret'],
      ['MIGRATE', '127.0.0.1', closed, 's', db, '500'],
      ['MIGRATE', '127.0.0.1', t, 's', '99', '5000'],
    ];
    // The replies are compared pairwise: real (into db 1) versus ours (into db 2).
    const real = await p.real.client(), ours = await p.ours.client();
    try {
      const ra = steps('1'), rb = steps('2');
      for (let i = 0; i < ra.length; i++) {
        const [x, y] = await Promise.all([real.call(...ra[i]), ours.call(...rb[i])]);
        expect(y, rb[i].join(' ')).toBe(x);
      }
    } finally {
      real.close();
      ours.close();
    }
    const tc = await target!.client();
    for (const db of ['1', '2']) {
      expect(await tc.call('SELECT', db)).toBe('+OK\r\n');
      expect(await tc.call('GET', 'k')).toBe('$2\r\nv2\r\n');
      expect(await tc.call('SMEMBERS', 's')).toMatch(/^\*2\r\n/);
      expect(await tc.call('HGET', 'h', 'f')).toBe('$1\r\n1\r\n');
      expect(await tc.call('TTL', 'k')).toBe(':-1\r\n');
    }
    tc.close();
    await expectSame(p, [['DEBUG', 'SLEEP', '0']]);
  });
});
