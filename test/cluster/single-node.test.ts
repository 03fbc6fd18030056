/**
 * One cluster-enabled node, ours and real Redis 7.0.15 side by side: CLUSTER subcommands,
 * their errors, redirection errors a single node can produce, and the "cluster support
 * disabled" replies of a standalone server. Node IDs and times differ between the two servers,
 * so replies that contain them are compared after replacing them with placeholders.
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame, type Pair } from '../support/differential';
import type { RawClient } from '../support/raw-client';
import { keyHashSlot } from '../../src/engine/cluster/crc16';
import { keyForSlot } from './helpers';

/** Replace the node ID, the ports and millisecond times with stable placeholders. */
function normalize(bytes: string, ids: string[], port: number): string {
  let s = bytes;
  ids.forEach((id, i) => { s = s.split(id).join(`<id${i}>`); });
  s = s.split(`:${port}@${port + 10000}`).join(':<port>@<cport>').split(`:${port}\r\n`).join(':<port>\r\n');
  return s.replace(/\b1\d{12}\b/g, '<ms>');
}

const resp = (argv: string[]) => `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

async function myId(c: RawClient): Promise<string> {
  const r = await c.call('CLUSTER', 'MYID');
  return r.split('\r\n')[1];
}

async function sameNormalized(p: Pair, argv: string[]): Promise<void> {
  const [ra, rb] = await Promise.all([p.realClient.call(...argv), p.ourClient.call(...argv)]);
  const [ia, ib] = await Promise.all([myId(p.realClient), myId(p.ourClient)]);
  expect(normalize(rb, [ib], p.ours.port), argv.join(' ')).toBe(normalize(ra, [ia], p.real.port));
}

describeDifferential('cluster-enabled single node (differential)', (pair) => {
  it('CLUSTER KEYSLOT with and without hash tags', () => expectSame(pair(), [
    ['CLUSTER', 'KEYSLOT', 'foo'], ['CLUSTER', 'KEYSLOT', '{user1000}.following'], ['CLUSTER', 'KEYSLOT', 'user1000'],
    ['CLUSTER', 'KEYSLOT', '123456789'], ['CLUSTER', 'KEYSLOT', ''], ['CLUSTER', 'KEYSLOT', '{}'], ['CLUSTER', 'KEYSLOT', '{}x'],
    ['CLUSTER', 'KEYSLOT', 'a{b'], ['CLUSTER', 'KEYSLOT', 'a}b{c}'], ['CLUSTER', 'KEYSLOT', '{a}{b}'], ['CLUSTER', 'KEYSLOT', '{{a}}'],
    ['CLUSTER', 'KEYSLOT', 'x{}{y}'], ['CLUSTER', 'KEYSLOT', '\xff\x00\x80binary'], ['CLUSTER', 'KEYSLOT', 'k'.repeat(300)],
    ['CLUSTER', 'KEYSLOT'], ['CLUSTER', 'KEYSLOT', 'a', 'b'],
  ]));

  it('fresh node: MYID shape, INFO, NODES, SLOTS, SHARDS, LINKS', async () => {
    const p = pair();
    expect((await p.ourClient.call('CLUSTER', 'MYID'))).toMatch(/^\$40\r\n[0-9a-f]{40}\r\n$/);
    await sameNormalized(p, ['CLUSTER', 'INFO']);
    await sameNormalized(p, ['CLUSTER', 'NODES']);
    await sameNormalized(p, ['CLUSTER', 'SHARDS']);
    await expectSame(p, [['CLUSTER', 'SLOTS'], ['CLUSTER', 'LINKS'], ['CLUSTER', 'COUNT-FAILURE-REPORTS', 'x'.repeat(40)], ['INFO', 'cluster']]);
    await sameNormalized(p, ['CLUSTER', 'HELP']);
  });

  it('keys before any slot is assigned: CLUSTERDOWN Hash slot not served; keyless commands run', () => expectSame(pair(), [
    ['SET', 'foo', 'bar'], ['GET', 'foo'], ['MSET', 'a', '1', 'b', '2'], ['DEL', 'x'], ['PING'], ['DBSIZE'],
    ['MULTI'], ['SET', 'foo', 'bar'], ['PING'], ['EXEC'], ['MULTI'], ['PING'], ['EXEC'],
  ]));

  it('SELECT and the other db-switching commands are refused', () => expectSame(pair(), [
    ['SELECT', '0'], ['SELECT', '1'], ['SELECT', '16'], ['SELECT', 'x'], ['SWAPDB', '0', '1'], ['MOVE', 'k', '1'],
  ]));

  it('ADDSLOTS/ADDSLOTSRANGE/DELSLOTS/DELSLOTSRANGE argument errors', () => expectSame(pair(), [
    ['CLUSTER', 'ADDSLOTS', '16384'], ['CLUSTER', 'ADDSLOTS', '-1'], ['CLUSTER', 'ADDSLOTS', 'abc'], ['CLUSTER', 'ADDSLOTS', '1', '1'],
    ['CLUSTER', 'ADDSLOTS', '1', '16384'], ['CLUSTER', 'ADDSLOTS'], ['CLUSTER', 'DELSLOTS', '5'],
    ['CLUSTER', 'ADDSLOTSRANGE', '10', '5'], ['CLUSTER', 'ADDSLOTSRANGE', '0', '16384'], ['CLUSTER', 'ADDSLOTSRANGE', '0'],
    ['CLUSTER', 'ADDSLOTSRANGE', '0', '1', '2'], ['CLUSTER', 'ADDSLOTSRANGE', '0', '5', '3', '8'], ['CLUSTER', 'DELSLOTSRANGE', '0', '10'],
    ['CLUSTER', 'ADDSLOTS', '100', '101'], ['CLUSTER', 'ADDSLOTS', '100'], ['CLUSTER', 'ADDSLOTSRANGE', '99', '100'],
    ['CLUSTER', 'DELSLOTS', '100', '100'], ['CLUSTER', 'DELSLOTS', '100', '101'], ['CLUSTER', 'DELSLOTS', '100'],
    ['CLUSTER', 'ADDSLOTSRANGE', '200', '300', '400', '410'], ['CLUSTER', 'DELSLOTSRANGE', '200', '300', '405', '409'],
    ['CLUSTER', 'COUNTKEYSINSLOT', '16384'], ['CLUSTER', 'COUNTKEYSINSLOT', '-1'], ['CLUSTER', 'COUNTKEYSINSLOT', 'x'],
    ['CLUSTER', 'GETKEYSINSLOT', '0', '-1'], ['CLUSTER', 'GETKEYSINSLOT', '16384', '1'], ['CLUSTER', 'GETKEYSINSLOT', 'x', '1'],
    ['CLUSTER', 'GETKEYSINSLOT', '1', 'x'], ['CLUSTER', 'GETKEYSINSLOT', '0', '10'],
  ]));

  it('MEET, FORGET, REPLICATE, SETSLOT, FAILOVER, RESET, SET-CONFIG-EPOCH errors', () => expectSame(pair(), [
    ['CLUSTER', 'MEET', 'localhost', '7000'], ['CLUSTER', 'MEET', '127.0.0.1', 'x'], ['CLUSTER', 'MEET', '127.0.0.1', '7000', 'y'],
    ['CLUSTER', 'MEET', '127.0.0.1', '0'], ['CLUSTER', 'MEET', '127.0.0.1', '70000'], ['CLUSTER', 'MEET', '1.2.3', '7000'],
    ['CLUSTER', 'MEET', '127.0.0.1', '7000', '17000', 'x'], ['CLUSTER', 'MEET', '::1', '99999'],
    ['CLUSTER', 'FORGET', 'abc'], ['CLUSTER', 'FORGET', 'a'.repeat(40)], ['CLUSTER', 'REPLICATE', 'b'.repeat(40)],
    ['CLUSTER', 'SETSLOT', '1', 'MIGRATING', 'c'.repeat(40)], ['CLUSTER', 'SETSLOT', '99999', 'STABLE'], ['CLUSTER', 'SETSLOT', '1', 'BOGUS'],
    ['CLUSTER', 'SETSLOT', '1', 'STABLE', 'extra'], ['CLUSTER', 'SETSLOT', '1', 'NODE', 'd'.repeat(40)],
    ['CLUSTER', 'SETSLOT', '1', 'IMPORTING', 'e'.repeat(40)], ['CLUSTER', 'SETSLOT', '1', 'STABLE'],
    ['CLUSTER', 'FAILOVER'], ['CLUSTER', 'FAILOVER', 'FORCE'], ['CLUSTER', 'FAILOVER', 'TAKEOVER'], ['CLUSTER', 'FAILOVER', 'bogus'],
    ['CLUSTER', 'FAILOVER', 'a', 'b'], ['CLUSTER', 'RESET', 'bogus'], ['CLUSTER', 'RESET', 'a', 'b'],
    ['CLUSTER', 'SET-CONFIG-EPOCH', '-1'], ['CLUSTER', 'SET-CONFIG-EPOCH', 'x'], ['CLUSTER', 'REPLICAS', 'f'.repeat(40)],
    ['CLUSTER', 'SLAVES', 'f'.repeat(40)], ['CLUSTER', 'NOSUCH'], ['CLUSTER'], ['CLUSTER', 'NODES', 'x'], ['CLUSTER', 'SAVECONFIG'],
    ['READONLY'], ['READWRITE'], ['ASKING'], ['READONLY', 'x'],
  ]));

  it('myself-related errors: forget/replicate myself, epochs', async () => {
    const p = pair();
    const [ra, rb] = await Promise.all([myId(p.realClient), myId(p.ourClient)]);
    for (const argv of [['CLUSTER', 'FORGET'], ['CLUSTER', 'REPLICATE'], ['CLUSTER', 'REPLICAS'], ['CLUSTER', 'COUNT-FAILURE-REPORTS'],
      ['CLUSTER', 'SETSLOT', '5', 'MIGRATING'], ['CLUSTER', 'SETSLOT', '5', 'IMPORTING'], ['CLUSTER', 'SETSLOT', '5', 'NODE']]) {
      const [xa, xb] = await Promise.all([p.realClient.call(...argv, ra), p.ourClient.call(...argv, rb)]);
      expect(normalize(xb, [rb], p.ours.port), argv.join(' ')).toBe(normalize(xa, [ra], p.real.port));
    }
    await expectSame(p, [
      ['CLUSTER', 'SET-CONFIG-EPOCH', '5'], ['CLUSTER', 'SET-CONFIG-EPOCH', '6'], ['CLUSTER', 'BUMPEPOCH'], ['CLUSTER', 'BUMPEPOCH'],
    ]);
    await sameNormalized(p, ['CLUSTER', 'INFO']);
    await sameNormalized(p, ['CLUSTER', 'NODES']);
  });

  it('keys in owned slots, CROSSSLOT, COUNTKEYSINSLOT/GETKEYSINSLOT, CLUSTERDOWN while the state is fail', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ['CLUSTER', 'RESET', 'HARD'], ['CLUSTER', 'ADDSLOTSRANGE', '0', '16383']]);
    // The state stays fail for 2 s after start-up (CLUSTER_WRITABLE_DELAY) on both.
    await waitOk(p.realClient); await waitOk(p.ourClient);
    await expectSame(p, [
      ['SET', 'foo', 'bar'], ['GET', 'foo'], ['MSET', 'a', '1', 'b', '2'], ['MSET', '{t}a', '1', '{t}b', '2'], ['MGET', '{t}a', '{t}b', 'c'],
      ['DEL', 'a', 'foo'], ['EXISTS', '{t}a', '{t}b'],
      ['SET', '{s}1', 'x'], ['SET', '{s}2', 'x'], ['SET', '{s}3', 'x'], ['DEL', '{s}2'], ['SET', '{s}4', 'x'],
      ['CLUSTER', 'COUNTKEYSINSLOT', '7669'], ['CLUSTER', 'GETKEYSINSLOT', '7669', '10'], ['CLUSTER', 'GETKEYSINSLOT', '7669', '2'],
      ['CLUSTER', 'GETKEYSINSLOT', '7669', '0'], ['CLUSTER', 'COUNTKEYSINSLOT', '0'],
      ['MULTI'], ['SET', '{t}a', '1'], ['GET', '{t}b'], ['EXEC'],
      ['MULTI'], ['SET', 'a', '1'], ['SET', 'b', '2'], ['EXEC'], ['EXISTS', 'a', 'b'],
      ['MULTI'], ['MGET', 'a', 'b'], ['EXEC'],
      ['SUBSCRIBE', 'x'], ['UNSUBSCRIBE'], ['PUBLISH', 'chan', 'msg'], ['SPUBLISH', 'chan', 'msg'],
      ['SSUBSCRIBE', 'a', 'b'], { raw: resp(['SSUBSCRIBE', '{t}a', '{t}b']), replies: 2 }, { raw: resp(['SUNSUBSCRIBE', '{t}a', '{t}b']), replies: 2 },
      ['FLUSHALL'], ['CLUSTER', 'COUNTKEYSINSLOT', '7669'], ['CLUSTER', 'GETKEYSINSLOT', '7669', '10'],
      ['SET', 'k', 'v'], ['CLUSTER', 'FLUSHSLOTS'], ['CLUSTER', 'RESET'], ['DEL', 'k'],
      ['CLUSTER', 'DELSLOTSRANGE', '0', '100'], ['GET', 'k'], ['SET', 'foo', 'x'], ['CLUSTER', 'DELSLOTS', '0'],
      ['CONFIG', 'SET', 'cluster-allow-reads-when-down', 'yes'], ['GET', 'k'], ['SET', 'foo', 'x'], ['SET', 'k', 'x'], ['GET', 'x{0}'],
      ['CONFIG', 'SET', 'cluster-allow-reads-when-down', 'no'], ['GET', 'k'],
    ]);
    await sameNormalized(p, ['CLUSTER', 'SHARDS']);
    await sameNormalized(p, ['CLUSTER', 'SLOTS']);
    await sameNormalized(p, ['CLUSTER', 'NODES']);
  });

  it('CLUSTER RESET / FLUSHSLOTS / SETSLOT on an empty node', async () => {
    const p = pair();
    await expectSame(p, [['FLUSHALL'], ['CLUSTER', 'RESET', 'HARD'], ['CLUSTER', 'FLUSHSLOTS'], ['CLUSTER', 'ADDSLOTS', '5'], ['CLUSTER', 'SETSLOT', '5', 'STABLE']]);
    const [ra, rb] = await Promise.all([myId(p.realClient), myId(p.ourClient)]);
    const [xa, xb] = await Promise.all([p.realClient.call('CLUSTER', 'SETSLOT', '5', 'NODE', ra), p.ourClient.call('CLUSTER', 'SETSLOT', '5', 'NODE', rb)]);
    expect(xb).toBe(xa);
    await expectSame(p, [['CLUSTER', 'RESET', 'SOFT'], ['CLUSTER', 'RESET', 'HARD'], ['CLUSTER', 'SLOTS']]);
    await sameNormalized(p, ['CLUSTER', 'INFO']);
  });
}, ['--cluster-enabled', 'yes', '--cluster-node-timeout', '1000']);

async function waitOk(c: RawClient): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await c.call('CLUSTER', 'INFO')).includes('cluster_state:ok')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('cluster_state never became ok');
}

describeDifferential('standalone server: cluster commands refuse (differential)', (pair) => {
  it('CLUSTER, READONLY, READWRITE, ASKING answer "cluster support disabled"', () => expectSame(pair(), [
    ['CLUSTER', 'INFO'], ['CLUSTER', 'NODES'], ['CLUSTER', 'KEYSLOT', 'foo'], ['CLUSTER', 'HELP'], ['CLUSTER', 'NOSUCH'],
    ['CLUSTER', 'MEET', 'x', 'y'], ['READONLY'], ['READWRITE'], ['ASKING'], ['CLUSTER', 'ADDSLOTSRANGE', '1'],
    ['MIGRATE', '127.0.0.1', '1', 'nokey', '0', '100'], ['MIGRATE', '127.0.0.1', '1', 'k', '0', 'x'], ['MIGRATE', '127.0.0.1', '1', 'k', 'x', '10'],
    ['MIGRATE', '127.0.0.1', '1', 'k', '0', '10', 'BOGUS'], ['MIGRATE', '127.0.0.1', '1', 'k', '0', '10', 'AUTH'],
    ['MIGRATE', '127.0.0.1', '1', 'k', '0', '10', 'AUTH2', 'u'], ['MIGRATE', '127.0.0.1', '1', 'k', '0', '10', 'KEYS', 'a'],
    ['MIGRATE', '127.0.0.1', '1', '', '0', '10', 'KEYS', 'a', 'b'], ['MIGRATE', '127.0.0.1', '1', '', '0', '10', 'COPY', 'REPLACE', 'KEYS'],
  ]));
});

describeDifferential('cluster-enabled node with announce options (differential)', (pair) => {
  it('announced IP, ports and hostname show in NODES, SHARDS, SLOTS and redirections', async () => {
    const p = pair();
    await expectSame(p, [['CLUSTER', 'ADDSLOTSRANGE', '0', '100']]);
    for (const argv of [['CLUSTER', 'NODES'], ['CLUSTER', 'SHARDS'], ['CLUSTER', 'SLOTS']]) {
      const [ra, rb] = await Promise.all([p.realClient.call(...argv), p.ourClient.call(...argv)]);
      const [ia, ib] = await Promise.all([myId(p.realClient), myId(p.ourClient)]);
      expect(normalize(rb, [ib], p.ours.port), argv.join(' ')).toBe(normalize(ra, [ia], p.real.port));
    }
    for (const type of ['hostname', 'unknown-endpoint', 'ip']) {
      await expectSame(p, [['CONFIG', 'SET', 'cluster-preferred-endpoint-type', type]]);
      await sameNormalized(p, ['CLUSTER', 'SLOTS']);
      await sameNormalized(p, ['CLUSTER', 'SHARDS']);
    }
  });
}, ['--cluster-enabled', 'yes', '--cluster-announce-ip', '10.1.2.3', '--cluster-announce-port', '7000', '--cluster-announce-bus-port', '17777', '--cluster-announce-hostname', 'node-a.example']);

describeDifferential('cluster-require-full-coverage no (differential)', (pair) => {
  it('a node serving only part of the slots is ok; unassigned slots are "not served"', async () => {
    const p = pair();
    const low = keyForSlot(5, keyHashSlot);
    const high = keyForSlot(9000, keyHashSlot);
    await expectSame(p, [['CLUSTER', 'ADDSLOTSRANGE', '0', '100']]);
    await waitOk(p.realClient); await waitOk(p.ourClient);
    await expectSame(p, [['SET', low, 'v'], ['GET', low], ['GET', high], ['SET', high, 'x'], ['CLUSTER', 'COUNTKEYSINSLOT', '5']]);
    await sameNormalized(p, ['CLUSTER', 'INFO']);
  });
}, ['--cluster-enabled', 'yes', '--cluster-require-full-coverage', 'no']);
