/**
 * Interop on the native host: the real Debian redis-server 7.0.15 and our engine replicate
 * from each other over real TCP, so the handshake, the RDB transfer forms, the command
 * stream, the offsets, PSYNC/PSYNC2 and the INFO fields are the real protocol.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { startOurRedis, type OurRedis } from '../support/our-server';
import { haveRealRedis, startRealRedis, type RealRedis } from '../support/real-redis';
import type { RawClient } from '../support/raw-client';
import { cmd, info, infoPairs, waitFor, linkUp, fieldNames, replicaLineKeys, text, sleep } from './helpers';
import * as fs from 'node:fs';
import * as nodeOs from 'node:os';
import * as path from 'node:path';
import { NativeOs } from '../../src/native/os';
import { redisServerMain } from '../../src/engine/programs/redis-server';
import { RawClient as Raw } from '../support/raw-client';
import { freePort } from '../support/ports';

const suite = haveRealRedis() ? describe : describe.skip;

/** Things to stop after each test. */
let running: { stop(): Promise<void> }[] = [];
let clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await Promise.all(running.map((r) => r.stop()));
  running = [];
});

async function ours(args: string[] = []): Promise<[OurRedis, RawClient]> {
  const s = await startOurRedis(args);
  running.push(s);
  const c = await s.client();
  clients.push(c);
  return [s, c];
}

async function real(args: string[] = []): Promise<[RealRedis, RawClient]> {
  const s = await startRealRedis(args);
  running.push(s);
  const c = await s.client();
  clients.push(c);
  return [s, c];
}

/** A dataset of every type in two dbs, with a TTL. */
async function fill(c: RawClient): Promise<void> {
  for (let i = 0; i < 50; i++) await cmd(c, 'SET', `s:${i}`, `v${i}`);
  await cmd(c, 'RPUSH', 'list', 'a', 'b', 'c');
  await cmd(c, 'HSET', 'hash', 'f1', 'v1', 'f2', 'v2');
  await cmd(c, 'SADD', 'set', '1', '2', '3');
  await cmd(c, 'ZADD', 'zset', '1', 'a', '2.5', 'b');
  await cmd(c, 'SET', 'ttl', 'x', 'EX', '1000');
  await cmd(c, 'SELECT', '3');
  await cmd(c, 'SET', 'in3', 'yes');
  await cmd(c, 'SELECT', '0');
}

/** Some writes of every kind: they must arrive in the same form, in the same dbs. */
async function writeMore(c: RawClient): Promise<void> {
  await cmd(c, 'INCR', 'counter');
  await cmd(c, 'EXPIRE', 's:1', '500');
  await cmd(c, 'LPUSH', 'list', 'z');
  await cmd(c, 'DEL', 's:2');
  await cmd(c, 'SELECT', '5');
  await cmd(c, 'SET', 'in5', 'v', 'PX', '100000');
  await cmd(c, 'GETDEL', 'nothing');
  await cmd(c, 'SELECT', '0');
  await cmd(c, 'HINCRBY', 'hash', 'n', '7');
}

async function digest(c: RawClient): Promise<string> {
  return text(await cmd(c, 'DEBUG', 'DIGEST'));
}

/** Wait until `replica` applied everything `master` produced (its ACKed offset). */
async function caughtUp(master: RawClient, replica: RawClient): Promise<void> {
  await waitFor('replica caught up', async () => {
    const m = await info(master, 'replication');
    const r = await info(replica, 'replication');
    return r.master_link_status === 'up' && r.slave_repl_offset === m.master_repl_offset;
  });
}

/** CLIENT KILL TYPE replica on one of our servers: the replica links drop, like on real Redis. */
async function killReplicaLinks(c: RawClient): Promise<void> {
  expect(text(await cmd(c, 'CLIENT', 'KILL', 'TYPE', 'replica'))).toBe('1');
}

suite('replication interop with real Redis 7.0.15', () => {
  for (const diskless of ['yes', 'no']) {
    it(`a real replica of our master: full sync (diskless ${diskless}), streaming, offsets, and a partial resync after CLIENT KILL TYPE replica`, async () => {
      const [o, oc] = await ours(['--repl-diskless-sync', diskless, '--repl-diskless-sync-delay', '0']);
      await fill(oc);
      const [, rc] = await real(['--replicaof', '127.0.0.1', String(o.port)]);
      await waitFor('link up', () => linkUp(rc));
      expect(await digest(rc)).toBe(await digest(oc));
      expect((await info(rc, 'keyspace')).db3).toMatch(/^keys=1,/);
      await writeMore(oc);
      await caughtUp(oc, rc);
      expect(await digest(rc)).toBe(await digest(oc));
      expect(text(await cmd(rc, 'PTTL', 's:1'))).toMatch(/^4\d\d\d\d\d$/);
      const log = o.log.join('');
      expect(log).toContain(diskless === 'yes' ? 'Starting BGSAVE for SYNC with target: replicas sockets' : 'Starting BGSAVE for SYNC with target: disk');
      expect(log).toContain('Synchronization with replica 127.0.0.1:');

      await killReplicaLinks(oc);
      await cmd(oc, 'SET', 'during', 'gap');
      await waitFor('link up again', async () => (await info(oc, 'replication')).slave0?.includes('state=online') ?? false);
      await caughtUp(oc, rc);
      const stats = await info(oc, 'stats');
      expect([stats.sync_full, stats.sync_partial_ok, stats.sync_partial_err]).toEqual(['1', '1', '0']);
      expect(o.log.join('')).toMatch(/Partial resynchronization request from 127\.0\.0\.1:\d+ accepted\. Sending \d+ bytes of backlog starting from offset \d+\./);
      expect(text(await cmd(rc, 'GET', 'during'))).toBe('gap');
      expect(await digest(rc)).toBe(await digest(oc));
    }, 60000);
  }

  it('our replica of a real master: full sync, streaming, partial resync after the link drops, promotion like a real replica', async () => {
    const [, mc] = await real(['--repl-diskless-sync-delay', '0']);
    await fill(mc);
    const [o, oc] = await ours();
    const mPort = Number((await info(mc, 'server')).tcp_port);
    expect(text(await cmd(oc, 'REPLICAOF', '127.0.0.1', String(mPort)))).toBe('OK');
    // A real replica next to ours: it must end up in exactly the same replication state.
    const [, rc] = await real(['--replicaof', '127.0.0.1', String(mPort)]);
    await waitFor('our link up', () => linkUp(oc));
    await waitFor('real link up', () => linkUp(rc));
    expect(await digest(oc)).toBe(await digest(mc));
    await writeMore(mc);
    await caughtUp(mc, oc);
    await caughtUp(mc, rc);
    expect(await digest(oc)).toBe(await digest(mc));
    expect(text(await cmd(oc, 'SET', 'x', 'y'))).toBe("READONLY You can't write against a read only replica.");
    const role = await cmd(oc, 'ROLE');
    expect(role.type === 'array' && role.value.map(text)).toEqual(['slave', '127.0.0.1', String(mPort), 'connected', (await info(mc, 'replication')).master_repl_offset]);

    // The master drops every replica: both come back with PSYNC +CONTINUE.
    expect(text(await cmd(mc, 'CLIENT', 'KILL', 'TYPE', 'replica'))).toBe('2');
    await cmd(mc, 'SET', 'after', 'kill');
    await waitFor('our link back', () => linkUp(oc));
    await waitFor('real link back', () => linkUp(rc));
    await caughtUp(mc, oc);
    await caughtUp(mc, rc);
    expect((await info(mc, 'stats')).sync_partial_ok).toBe('2');
    const log = o.log.join('');
    expect(log).toContain('Connection with master lost.');
    expect(log).toContain('Caching the disconnected master state.');
    expect(log).toMatch(/Trying a partial resynchronization \(request [0-9a-f]{40}:\d+\)\./);
    expect(log).toContain('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');

    // Promotion: the same secondary ID and offset as the real replica.
    const before = await info(oc, 'replication');
    expect(text(await cmd(oc, 'REPLICAOF', 'NO', 'ONE'))).toBe('OK');
    expect(text(await cmd(rc, 'REPLICAOF', 'NO', 'ONE'))).toBe('OK');
    const ob = await info(oc, 'replication');
    const rb = await info(rc, 'replication');
    expect(ob.role).toBe('master');
    expect(ob.master_replid2).toBe(before.master_replid);
    expect(ob.master_replid2).toBe(rb.master_replid2);
    expect(ob.second_repl_offset).toBe(rb.second_repl_offset);
    expect(ob.second_repl_offset).toBe(String(Number(before.master_repl_offset) + 1));
    expect(ob.master_repl_offset).toBe(rb.master_repl_offset);
    expect(ob.master_replid).not.toBe(before.master_replid);
    expect(fieldNames(await infoPairs(oc, 'replication'))).toEqual(fieldNames(await infoPairs(rc, 'replication')));
    expect(o.log.join('')).toMatch(/Setting secondary replication ID to [0-9a-f]{40}, valid up to offset: \d+\. New replication ID is [0-9a-f]{40}/);
  }, 60000);

  it('chained real → ours → real: the middle proxies the stream with the same offsets; promoting it keeps the last one with +CONTINUE', async () => {
    const [, ac] = await real(['--repl-diskless-sync-delay', '0']);
    const aPort = Number((await info(ac, 'server')).tcp_port);
    await fill(ac);
    const [o, bc] = await ours(['--replicaof', '127.0.0.1', String(aPort), '--repl-diskless-sync-delay', '0']);
    await waitFor('B up', () => linkUp(bc));
    const [, cc] = await real(['--replicaof', '127.0.0.1', String(o.port)]);
    await waitFor('C up', () => linkUp(cc));
    await writeMore(ac);
    // A transaction counts at its EXEC; commands held by a CLIENT PAUSE on the middle count
    // when they run: the offsets along the chain still agree.
    await cmd(ac, 'MULTI'); await cmd(ac, 'SET', 'tx', '1'); await cmd(ac, 'INCR', 'counter'); await cmd(ac, 'EXEC');
    expect(text(await cmd(bc, 'CLIENT', 'PAUSE', '300', 'WRITE'))).toBe('OK');
    for (let i = 0; i < 3; i++) await cmd(ac, 'SET', `paused:${i}`, 'v');
    await caughtUp(ac, bc);
    await waitFor('C caught up', async () => (await info(cc, 'replication')).slave_repl_offset === (await info(ac, 'replication')).master_repl_offset);
    const a = await info(ac, 'replication'), b = await info(bc, 'replication'), c = await info(cc, 'replication');
    expect(b.master_replid).toBe(a.master_replid);
    expect(c.master_replid).toBe(a.master_replid);
    expect(b.master_repl_offset).toBe(a.master_repl_offset);
    expect(c.master_repl_offset).toBe(a.master_repl_offset);
    expect(await digest(cc)).toBe(await digest(ac));
    expect(b.connected_slaves).toBe('1');
    expect(b.slave0).toMatch(/^ip=127\.0\.0\.1,port=\d+,state=online,offset=\d+,lag=\d$/);

    // Promote B: C reconnects and continues with B's new ID (PSYNC2).
    expect(text(await cmd(bc, 'REPLICAOF', 'NO', 'ONE'))).toBe('OK');
    await waitFor('C back on B', () => linkUp(cc));
    await cmd(bc, 'SET', 'from', 'b');
    await caughtUp(bc, cc);
    const b2 = await info(bc, 'replication');
    const c2 = await info(cc, 'replication');
    expect(c2.master_replid).toBe(b2.master_replid);
    expect(c2.master_replid2).toBe(a.master_replid);
    expect((await info(bc, 'stats')).sync_partial_ok).toBe('1');
    expect(text(await cmd(cc, 'GET', 'from'))).toBe('b');
  }, 60000);

  it('INFO replication has the same fields in the same order as real Redis, in every role', async () => {
    // Master with one online replica: ours vs real, each with a real replica.
    const [o, oc] = await ours(['--repl-diskless-sync-delay', '0']);
    const [, mc] = await real(['--repl-diskless-sync-delay', '0']);
    const mPort = Number((await info(mc, 'server')).tcp_port);
    const [, r1] = await real(['--replicaof', '127.0.0.1', String(o.port)]);
    const [, r2] = await real(['--replicaof', '127.0.0.1', String(mPort)]);
    await waitFor('r1 up', () => linkUp(r1));
    await waitFor('r2 up', () => linkUp(r2));
    const om = await infoPairs(oc, 'replication');
    const rm = await infoPairs(mc, 'replication');
    expect(fieldNames(om)).toEqual(fieldNames(rm));
    // The shared replication buffer: same blocks, same memory figures.
    for (const c of [oc, mc]) await cmd(c, 'SET', 'k', 'x'.repeat(30000));
    const memFields = async (c: RawClient) => {
      const m = await info(c, 'memory');
      const r = await info(c, 'replication');
      return [m.mem_replication_backlog, m.mem_total_replication_buffers, r.master_repl_offset, r.repl_backlog_histlen];
    };
    expect(await memFields(oc)).toEqual(await memFields(mc));
    expect(replicaLineKeys(om.find(([k]) => k === 'slave0')![1])).toEqual(replicaLineKeys(rm.find(([k]) => k === 'slave0')![1]));
    // min-replicas-to-write adds min_slaves_good_slaves.
    for (const c of [oc, mc]) await cmd(c, 'CONFIG', 'SET', 'min-replicas-to-write', '1');
    expect(fieldNames(await infoPairs(oc, 'replication'))).toEqual(fieldNames(await infoPairs(mc, 'replication')));
    expect((await info(oc, 'replication')).min_slaves_good_slaves).toBe('1');
    // Replica with the link up: ours vs the real replica of the same real master.
    const [, ourReplica] = await ours(['--replicaof', '127.0.0.1', String(mPort)]);
    await waitFor('ours up', () => linkUp(ourReplica));
    expect(fieldNames(await infoPairs(ourReplica, 'replication'))).toEqual(fieldNames(await infoPairs(r2, 'replication')));
    // Replica with the link down (its master went away).
    await cmd(mc, 'SHUTDOWN', 'NOSAVE').catch(() => undefined);
    await waitFor('ours down', async () => !(await linkUp(ourReplica)));
    await waitFor('real down', async () => !(await linkUp(r2)));
    const od = await infoPairs(ourReplica, 'replication');
    const rd = await infoPairs(r2, 'replication');
    expect(fieldNames(od)).toEqual(fieldNames(rd));
    expect(Object.fromEntries(od).master_link_down_since_seconds).toMatch(/^\d+$/);
    void o;
  }, 60000);

  it('inline SYNC (the Tcl suite\'s needs:repl): newlines, a $<len> disk-style payload, then the command stream', async () => {
    const [, oc] = await ours();
    await cmd(oc, 'SET', 'k', 'v');
    const port = (await info(oc, 'server')).tcp_port;
    const net = await import('node:net');
    const sock = net.connect(Number(port), '127.0.0.1');
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => { buf = Buffer.concat([buf, d]); });
    await new Promise((r) => sock.once('connect', r));
    sock.write('SYNC\r\n');
    await waitFor('the $ line', () => buf.includes('$'.charCodeAt(0)) && buf.indexOf('\r\n', buf.indexOf('$'.charCodeAt(0))) > 0);
    const dollar = buf.indexOf('$'.charCodeAt(0));
    expect(buf.subarray(0, dollar).toString('latin1')).toMatch(/^\n*$/);
    const lineEnd = buf.indexOf('\r\n', dollar);
    const len = Number(buf.subarray(dollar + 1, lineEnd).toString('latin1'));
    await waitFor('the RDB', () => buf.length >= lineEnd + 2 + len);
    const rdb = buf.subarray(lineEnd + 2, lineEnd + 2 + len);
    expect(rdb.subarray(0, 9).toString('latin1')).toBe('REDIS0010');
    const start = lineEnd + 2 + len;
    await cmd(oc, 'SET', 'after', 'sync');
    await waitFor('the stream', () => buf.length > start + 40);
    expect(buf.subarray(start).toString('latin1')).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$4\r\nsync\r\n');
    sock.destroy();
    await sleep(50);
  }, 30000);

  it('FAILOVER on our master hands the role to a real replica (waiting-for-sync, then PSYNC ... FAILOVER)', async () => {
    const [o, oc] = await ours(['--repl-diskless-sync-delay', '0']);
    await fill(oc);
    const [r, rc] = await real(['--replicaof', '127.0.0.1', String(o.port)]);
    await waitFor('up', () => linkUp(rc));
    expect(text(await cmd(oc, 'FAILOVER', 'TO', '127.0.0.1', '1', 'TIMEOUT', '100'))).toBe('ERR FAILOVER target HOST and PORT is not a replica.');
    expect(text(await cmd(oc, 'FAILOVER', 'FORCE'))).toBe('ERR FAILOVER with force option requires both a timeout and target HOST and IP.');
    expect(text(await cmd(oc, 'FAILOVER'))).toBe('OK');
    expect(text(await cmd(oc, 'FAILOVER'))).toBe('ERR FAILOVER already in progress.');
    await waitFor('roles swapped', async () => (await info(oc, 'replication')).role === 'slave' && (await info(rc, 'replication')).role === 'master');
    await waitFor('our link up', () => linkUp(oc));
    const oi = await info(oc, 'replication'), ri = await info(rc, 'replication');
    expect(oi.master_port).toBe(String(r.port));
    expect(oi.master_failover_state).toBe('no-failover');
    expect(oi.master_replid).toBe(ri.master_replid);
    expect(ri.master_replid2).toBe(oi.master_replid2);
    expect(text(await cmd(oc, 'SET', 'x', 'y'))).toBe("READONLY You can't write against a read only replica.");
    await cmd(rc, 'SET', 'after', 'failover');
    await caughtUp(rc, oc);
    expect(text(await cmd(oc, 'GET', 'after'))).toBe('failover');
    const log = o.log.join('');
    expect(log).toContain('FAILOVER requested to any replica.');
    expect(log).toMatch(/Failover target 127\.0\.0\.1:\d+ is synced, failing over\./);
    expect(log).toContain('* MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
  }, 60000);

  it('FAILOVER on a real master promotes our replica through PSYNC <replid> <offset> FAILOVER', async () => {
    const [, mc] = await real(['--repl-diskless-sync-delay', '0']);
    await fill(mc);
    const mPort = Number((await info(mc, 'server')).tcp_port);
    const [o, oc] = await ours(['--replicaof', '127.0.0.1', String(mPort)]);
    await waitFor('up', () => linkUp(oc));
    // FAILOVER TO wants the replica online in the master's own view (after its first ACK).
    await waitFor('online at the master', async () => (await info(mc, 'replication')).slave0?.includes('state=online') ?? false);
    expect(text(await cmd(mc, 'FAILOVER', 'TO', '127.0.0.1', String(o.port), 'TIMEOUT', '5000'))).toBe('OK');
    await waitFor('roles swapped', async () => (await info(oc, 'replication')).role === 'master' && (await linkUp(mc)));
    await cmd(oc, 'SET', 'from', 'ours');
    await caughtUp(oc, mc);
    expect(text(await cmd(mc, 'GET', 'from'))).toBe('ours');
    expect((await info(oc, 'stats')).sync_partial_ok).toBe('1');
    const log = o.log.join('');
    expect(log).toMatch(/# Failover request received for replid [0-9a-f]{40}\./);
    expect(log).toMatch(/\* MASTER MODE enabled \(failover request from 'id=\d+ addr=127\.0\.0\.1:\d+ /);
  }, 60000);

  it('WAIT and min-replicas-to-write answer like a real master with the same replicas', async () => {
    const [o, oc] = await ours(['--repl-diskless-sync-delay', '0']);
    const [, mc] = await real(['--repl-diskless-sync-delay', '0']);
    const mPort = Number((await info(mc, 'server')).tcp_port);
    for (const port of [o.port, o.port, mPort, mPort]) {
      const [, c] = await real(['--replicaof', '127.0.0.1', String(port)]);
      await waitFor('replica up', () => linkUp(c));
    }
    for (const c of [oc, mc]) {
      await cmd(c, 'SET', 'k', 'v');
      expect(text(await cmd(c, 'WAIT', '2', '2000'))).toBe('2');
      const t0 = Date.now();
      expect(text(await cmd(c, 'WAIT', '3', '300'))).toBe('2');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
      expect(text(await cmd(c, 'WAIT', '0', '0'))).toBe('2');
      await cmd(c, 'CONFIG', 'SET', 'min-replicas-to-write', '3');
      expect(text(await cmd(c, 'SET', 'k', 'v'))).toBe('NOREPLICAS Not enough good replicas to write.');
      expect(text(await cmd(c, 'GET', 'k'))).toBe('v');
      await cmd(c, 'CONFIG', 'SET', 'min-replicas-to-write', '2');
      expect(text(await cmd(c, 'SET', 'k', 'v2'))).toBe('OK');
      expect((await info(c, 'replication')).min_slaves_good_slaves).toBe('2');
    }
    // Every WAIT above sent REPLCONF GETACK *: the offsets of both masters moved the same way.
    expect((await info(oc, 'replication')).master_repl_offset).toBe((await info(mc, 'replication')).master_repl_offset);
  }, 60000);

  it('a master restarted from its RDB keeps its history (psync2-master-restart): its replica continues with +CONTINUE', async () => {
    const dir = fs.mkdtempSync(path.join(nodeOs.tmpdir(), 'halab-restart-'));
    const port = await freePort();
    const start = async () => {
      const log: string[] = [];
      const nos = new NativeOs({ cwd: dir, syntheticPid: true, onExit: () => undefined, stdout: (t) => log.push(t), stderr: (t) => log.push(t) });
      const proc = await redisServerMain(nos, ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
        '--dir', dir, '--repl-diskless-sync-delay', '0', '--enable-debug-command', 'yes']);
      if (!proc) throw new Error(log.join(''));
      return { server: proc.server, log, client: () => Raw.connect(port) };
    };
    try {
      const first = await start();
      const fc = await first.client();
      clients.push(fc);
      await fill(fc);
      const [, rc] = await real(['--replicaof', '127.0.0.1', String(port)]);
      await waitFor('up', () => linkUp(rc));
      await writeMore(fc);
      await caughtUp(fc, rc);
      const before = await info(fc, 'replication');
      // A write and SHUTDOWN in one packet: the replica cannot have acknowledged the write, so
      // SHUTDOWN waits for it, asking with REPLCONF GETACK * (37 bytes, after the SET's 30).
      fc.write('*3\r\n$3\r\nSET\r\n$4\r\nlast\r\n$1\r\n1\r\n*2\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n');
      await fc.reply().catch(() => undefined);
      await waitFor('the first server exits', () => first.log.join('').includes('ready to exit'));
      const flog = first.log.join('');
      expect(flog).toContain('Waiting for replicas before shutting down.');
      expect(flog).toContain('1 of 1 replicas are in sync when shutting down.');
      const second = await start();
      running.push({ stop: async () => second.server.terminate(0) });
      const sc = await second.client();
      clients.push(sc);
      const after = await info(sc, 'replication');
      expect(after.master_replid2).toBe(before.master_replid);
      expect(after.master_repl_offset).toBe(String(Number(before.master_repl_offset) + 30 + 37));
      expect(after.second_repl_offset).toBe(String(Number(after.master_repl_offset) + 1));
      expect(after.repl_backlog_active).toBe('1');
      expect((await info(rc, 'replication')).slave_repl_offset).toBe(after.master_repl_offset);
      await waitFor('replica back', async () => (await info(sc, 'replication')).slave0?.includes('state=online') ?? false);
      expect((await info(sc, 'stats')).sync_partial_ok).toBe('1');
      await cmd(sc, 'SET', 'post', 'restart');
      await caughtUp(sc, rc);
      expect(await digest(rc)).toBe(await digest(sc));
      expect((await info(rc, 'replication')).master_replid).toBe(after.master_replid);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);
});
