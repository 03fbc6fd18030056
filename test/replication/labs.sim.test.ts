/**
 * Labs B1–B8 (replication) in the simulated world: each test plays the lab with the shell and
 * redis-cli and checks what the learner is meant to observe (replies, INFO fields, log lines,
 * timings on the virtual clock).
 */
import { describe, it, expect } from 'vitest';
import { Lab, lines } from './sim-helpers';

const CACHE = [{ name: 'eshop-cache01', ip: '10.0.0.11' }, { name: 'eshop-cache02', ip: '10.0.0.12' }, { name: 'eshop-cache03', ip: '10.0.0.13' }];
const OPEN = ['bind 0.0.0.0', 'protected-mode no'];

describe('lab B1: one master, one replica across hosts', () => {
  it('replicaof in the config file: full sync copies the keys written before the link, INFO on both sides, READONLY', async () => {
    const lab = new Lab(CACHE);
    await lab.start('eshop-cache01', 6379, OPEN);
    for (let i = 0; i < 20; i++) await lab.cli('eshop-cache01', `set product:${i} price${i}`);
    await lab.start('eshop-cache02', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
    await lab.until('link up', async () => (await lab.info('eshop-cache02', 6379)).master_link_status === 'up');
    expect((await lab.cli('eshop-cache02', 'dbsize')).trim()).toBe('20');
    expect((await lab.cli('eshop-cache02', 'get product:7')).trim()).toBe('price7');
    expect((await lab.cli('eshop-cache02', 'set product:7 free')).trim()).toBe("READONLY You can't write against a read only replica.");

    await lab.cli('eshop-cache01', 'set product:99 new');
    await lab.advance(1500); // one replicationCron: the replica ACKs the new offset
    const m = await lab.info('eshop-cache01', 6379);
    const r = await lab.info('eshop-cache02', 6379);
    expect(m.role).toBe('master');
    expect(m.connected_slaves).toBe('1');
    expect(m.slave0).toBe(`ip=10.0.0.12,port=6379,state=online,offset=${m.master_repl_offset},lag=${m.slave0.split('lag=')[1]}`);
    expect(Number(m.slave0.split('lag=')[1])).toBeLessThanOrEqual(1);
    expect(r.role).toBe('slave');
    expect(r.master_host).toBe('10.0.0.11');
    expect(r.master_link_status).toBe('up');
    expect(Number(r.master_last_io_seconds_ago)).toBeLessThanOrEqual(1);
    expect(r.slave_repl_offset).toBe(m.master_repl_offset);
    expect(r.slave_priority).toBe('100');
    expect(r.slave_read_only).toBe('1');
    expect(r.master_replid).toBe(m.master_replid);
    expect(r.master_replid2).toBe('0'.repeat(40));
    expect(r.second_repl_offset).toBe('-1');
    expect(r.repl_backlog_active).toBe('1');
    expect(r.repl_backlog_first_byte_offset).toBe('1');
    expect((await lab.cli('eshop-cache02', 'get product:99')).trim()).toBe('new');
    // The master's log tells the full sync story.
    const mlog = lab.log('eshop-cache01', 6379);
    expect(mlog).toContain('Replica 10.0.0.12:6379 asks for synchronization');
    expect(mlog).toContain('Full resync requested by replica 10.0.0.12:6379');
    expect(mlog).toContain('Synchronization with replica 10.0.0.12:6379 succeeded');
    const rlog = lab.log('eshop-cache02', 6379);
    expect(rlog).toContain('Connecting to MASTER 10.0.0.11:6379');
    expect(rlog).toContain('Partial resynchronization not possible (no cached master)');
    expect(rlog).toMatch(/Full resync from master: [0-9a-f]{40}:0/);
    expect(rlog).toContain('MASTER <-> REPLICA sync: Finished with success');
  });

  it('SLAVEOF typed in redis-cli: the same sync, and ROLE from both sides', async () => {
    const lab = new Lab(CACHE);
    await lab.start('eshop-cache01', 6379, OPEN);
    await lab.cli('eshop-cache01', 'set a 1');
    await lab.start('eshop-cache02', 6379, OPEN);
    expect((await lab.cli('eshop-cache02', 'slaveof 10.0.0.11 6379')).trim()).toBe('OK');
    expect((await lab.cli('eshop-cache02', 'slaveof 10.0.0.11 6379')).trim()).toBe('OK Already connected to specified master');
    await lab.until('link up', async () => (await lab.info('eshop-cache02', 6379)).master_link_status === 'up');
    await lab.advance(1200);
    expect((await lab.cli('eshop-cache02', 'role')).split('\n').map((l) => l.trim()).filter(Boolean)).toEqual(['slave', '10.0.0.11', '6379', 'connected', '0']);
    expect((await lab.cli('eshop-cache01', 'role')).split('\n').map((l) => l.trim()).filter(Boolean)).toEqual(['master', '0', '10.0.0.12', '6379', '0']);
  });
});

describe('lab B2: the bind trap and authentication', () => {
  it('bind 127.0.0.1 on the master: the replica on another host gets Connection refused every second', async () => {
    const lab = new Lab(CACHE);
    await lab.start('eshop-cache01', 6379, ['bind 127.0.0.1', 'protected-mode no']);
    await lab.start('eshop-cache02', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
    await lab.advance(5000);
    const r = await lab.info('eshop-cache02', 6379);
    expect(r.master_link_status).toBe('down');
    expect(r.master_link_down_since_seconds).toBe('-1');
    const log = lab.log('eshop-cache02', 6379);
    const refused = lines(log, /Error condition on socket for SYNC: Connection refused/);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused.length).toBeLessThanOrEqual(6);
    expect(lines(log, /\* Connecting to MASTER 10\.0\.0\.11:6379/).length).toBe(refused.length);
    // Fix it: listen on the LAN address too; the next retry syncs.
    await lab.cli('eshop-cache01', 'config set bind "127.0.0.1 10.0.0.11"');
    await lab.until('link up', async () => (await lab.info('eshop-cache02', 6379)).master_link_status === 'up', 10_000);
  });

  it('protected mode on the master: the replica logs the DENIED reply to its PING (cut at 255 bytes)', async () => {
    const lab = new Lab(CACHE);
    await lab.start('eshop-cache01', 6379, ['bind 0.0.0.0']);
    await lab.start('eshop-cache02', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
    await lab.advance(2500);
    const denied = lines(lab.log('eshop-cache02', 6379), /Error reply to PING from master/);
    expect(denied.length).toBeGreaterThanOrEqual(2);
    expect(denied[0]).toMatch(/# Error reply to PING from master: '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user\. In this mode connections are only accepted from the loopback interface\. If you want to connect from external computers to Redis you m'$/);
  });

  it('requirepass without masterauth: NOAUTH at every step, then CONFIG SET masterauth fixes it', async () => {
    const lab = new Lab(CACHE);
    await lab.start('eshop-cache01', 6379, [...OPEN, 'requirepass s3cret']);
    await lab.cli('eshop-cache01', '-a s3cret --no-auth-warning set k v');
    await lab.start('eshop-cache02', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
    await lab.advance(1000);
    const log = lab.log('eshop-cache02', 6379);
    const cycle = [
      '* Master replied to PING, replication can continue...',
      '* (Non critical) Master does not understand REPLCONF listening-port: -NOAUTH Authentication required.',
      '* (Non critical) Master does not understand REPLCONF capa: -NOAUTH Authentication required.',
      '* Partial resynchronization not possible (no cached master)',
      '# Unexpected reply to PSYNC from master: -NOAUTH Authentication required.',
      '* Retrying with SYNC...',
      '# MASTER aborted replication with an error: NOAUTH Authentication required.',
      '* Reconnecting to MASTER 10.0.0.11:6379 after failure',
    ];
    const body = log.split('\n').map((l) => l.replace(/^\d+:S \d\d \w{3} \d{4} [\d:.]+ /, ''));
    const start = body.indexOf(cycle[0]);
    expect(start).toBeGreaterThan(0);
    expect(body.slice(start, start + cycle.length)).toEqual(cycle);
    expect(lines(log, /MASTER aborted replication with an error: NOAUTH/).length).toBeGreaterThan(3);
    expect((await lab.info('eshop-cache02', 6379)).master_link_status).toBe('down');
    // A wrong password fails AUTH itself; the right one lets the handshake through.
    await lab.cli('eshop-cache02', 'config set masterauth wrong');
    await lab.advance(300);
    expect(lab.log('eshop-cache02', 6379)).toContain('# Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.');
    await lab.cli('eshop-cache02', 'config set masterauth s3cret');
    await lab.until('link up', async () => (await lab.info('eshop-cache02', 6379)).master_link_status === 'up', 15_000);
    expect((await lab.cli('eshop-cache02', 'get k')).trim()).toBe('v');
  });
});

describe('lab B3: master down, no automatic promotion', () => {
  it('kill -9 the master: replicas stay replicas, the link is down since N seconds, reads still work', async () => {
    const lab = new Lab(CACHE);
    await lab.start('eshop-cache01', 6379, OPEN);
    await lab.cli('eshop-cache01', 'set stock 42');
    await lab.start('eshop-cache02', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
    await lab.start('eshop-cache03', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
    await lab.until('both up', async () => (await lab.info('eshop-cache01', 6379)).slave1?.includes('state=online') ?? false);
    await lab.w.exec('eshop-cache01', `kill -9 ${lab.pid('eshop-cache01', 6379)}`);
    await lab.advance(10_000);
    for (const h of ['eshop-cache02', 'eshop-cache03']) {
      const r = await lab.info(h, 6379);
      expect(r.role).toBe('slave');
      expect(r.master_link_status).toBe('down');
      expect(Number(r.master_link_down_since_seconds)).toBeGreaterThanOrEqual(9);
      expect((await lab.cli(h, 'get stock')).trim()).toBe('42');
      const log = lab.log(h, 6379);
      expect(log).toContain('# Connection with master lost.');
      expect(log).toContain('* Caching the disconnected master state.');
      expect(log).toContain('* Reconnecting to MASTER 10.0.0.11:6379');
      expect(log).toContain('# Error condition on socket for SYNC: Connection refused');
    }
  });
});

describe('lab B4: manual failover with SLAVEOF NO ONE and PSYNC2', () => {
  it('promote 7001: new replid, the old one as replid2 up to offset+1; 7002 follows it with +CONTINUE, no full copy', async () => {
    const lab = new Lab([{ name: 'lab', ip: '10.0.0.5' }]);
    await lab.start('lab', 7000, OPEN);
    await lab.start('lab', 7001, [...OPEN, 'replicaof 127.0.0.1 7000']);
    await lab.start('lab', 7002, [...OPEN, 'replicaof 127.0.0.1 7000']);
    await lab.until('both online', async () => (await lab.info('lab', 7000, 'replication', '127.0.0.1')).slave1?.includes('state=online') ?? false);
    for (let i = 0; i < 10; i++) await lab.cli('lab', `-p 7000 set k${i} ${i}`);
    await lab.advance(1500);
    const before = await lab.info('lab', 7001);
    expect((await lab.cli('lab', '-p 7001 slaveof no one')).trim()).toBe('OK');
    const after = await lab.info('lab', 7001);
    expect(after.role).toBe('master');
    expect(after.master_replid).not.toBe(before.master_replid);
    expect(after.master_replid2).toBe(before.master_replid);
    expect(after.second_repl_offset).toBe(String(Number(before.master_repl_offset) + 1));
    expect(lab.log('lab', 7001)).toContain(`# Setting secondary replication ID to ${before.master_replid}, valid up to offset: ${after.second_repl_offset}. New replication ID is ${after.master_replid}`);

    expect((await lab.cli('lab', '-p 7002 slaveof 127.0.0.1 7001')).trim()).toBe('OK');
    await lab.until('7002 on 7001', async () => (await lab.info('lab', 7002)).master_link_status === 'up', 10_000);
    const log2 = lab.log('lab', 7002);
    expect(log2).toContain(`Trying a partial resynchronization (request ${before.master_replid}:${after.second_repl_offset}).`);
    expect(log2).toContain('* Successful partial resynchronization with master.');
    expect(log2).toContain(`# Master replication ID changed to ${after.master_replid}`);
    expect(lab.log('lab', 7001)).toMatch(/Partial resynchronization request from 127\.0\.0\.1:7002 accepted\. Sending 0 bytes of backlog starting from offset \d+\./);
    const stats = await lab.info('lab', 7001, 'stats');
    expect([stats.sync_full, stats.sync_partial_ok]).toEqual(['0', '1']);
    await lab.cli('lab', '-p 7001 set after failover');
    await lab.advance(100);
    expect((await lab.cli('lab', '-p 7002 get after')).trim()).toBe('failover');
    expect((await lab.cli('lab', '-p 7002 dbsize')).trim()).toBe('11');
  });
});

describe('lab B5: a replica\'s role is not remembered', () => {
  it('made a replica by command and restarted: back as a master with its data; with CONFIG REWRITE it stays a replica', async () => {
    const lab = new Lab(CACHE);
    await lab.start('eshop-cache01', 6379, OPEN);
    await lab.cli('eshop-cache01', 'set a 1');
    await lab.start('eshop-cache02', 6379, [...OPEN, 'save 3600 1']);
    await lab.cli('eshop-cache02', 'replicaof 10.0.0.11 6379');
    await lab.until('link up', async () => (await lab.info('eshop-cache02', 6379)).master_link_status === 'up');
    await lab.cli('eshop-cache02', 'shutdown');
    await lab.advance(500);
    await lab.w.exec('eshop-cache02', 'redis-server /etc/redis/6379.conf &');
    await lab.advance(2000);
    const r = await lab.info('eshop-cache02', 6379);
    expect(r.role).toBe('master');
    expect(r.connected_slaves).toBe('0');
    expect((await lab.cli('eshop-cache02', 'get a')).trim()).toBe('1');

    // Again, but this time the role is written to the config file.
    await lab.cli('eshop-cache02', 'replicaof 10.0.0.11 6379');
    await lab.until('link up', async () => (await lab.info('eshop-cache02', 6379)).master_link_status === 'up');
    expect((await lab.cli('eshop-cache02', 'config rewrite')).trim()).toBe('OK');
    expect(lab.w.readText('eshop-cache02', '/etc/redis/6379.conf')).toContain('replicaof 10.0.0.11 6379');
    await lab.cli('eshop-cache02', 'shutdown');
    await lab.advance(500);
    await lab.w.exec('eshop-cache02', 'redis-server /etc/redis/6379.conf &');
    await lab.until('link up after restart', async () => (await lab.info('eshop-cache02', 6379)).master_link_status === 'up');
    // The RDB written at shutdown carried the replication ID and offset: a partial resync.
    expect(lab.log('eshop-cache02', 6379)).toContain('* MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
  });
});

describe('lab B6: chained replication', () => {
  it('6379 -> 12345 -> 6789: a write on 6379 reaches 6789; promoting 12345 keeps 6789 replicating from it', async () => {
    const lab = new Lab([{ name: 'lab', ip: '10.0.0.5' }]);
    await lab.start('lab', 6379, OPEN);
    await lab.start('lab', 12345, [...OPEN, 'replicaof 127.0.0.1 6379']);
    await lab.start('lab', 6789, [...OPEN, 'replicaof 127.0.0.1 12345']);
    await lab.until('6789 up', async () => (await lab.info('lab', 6789)).master_link_status === 'up', 60_000);
    await lab.cli('lab', '-p 6379 set chained yes');
    await lab.advance(200);
    expect((await lab.cli('lab', '-p 6789 get chained')).trim()).toBe('yes');
    const mid = await lab.info('lab', 12345);
    expect(mid.role).toBe('slave');
    expect(mid.connected_slaves).toBe('1');
    expect(mid.slave0).toMatch(/^ip=127\.0\.0\.1,port=6789,state=online,/);
    await lab.advance(1500);
    const top = await lab.info('lab', 6379), end = await lab.info('lab', 6789);
    expect(end.master_replid).toBe(top.master_replid);
    expect(end.slave_repl_offset).toBe(top.master_repl_offset);

    expect((await lab.cli('lab', '-p 12345 replicaof no one')).trim()).toBe('OK');
    await lab.until('6789 back', async () => (await lab.info('lab', 6789)).master_link_status === 'up', 10_000);
    await lab.cli('lab', '-p 12345 set promoted yes');
    await lab.advance(200);
    expect((await lab.cli('lab', '-p 6789 get promoted')).trim()).toBe('yes');
    expect(lab.log('lab', 6789)).toContain('* Successful partial resynchronization with master.');
    expect((await lab.info('lab', 12345, 'stats')).sync_partial_ok).toBe('1');
  });
});

describe('lab B7: full vs partial resync', () => {
  const REPLICA = [...OPEN, 'replicaof 10.0.0.11 6379', 'repl-timeout 5'];

  it('a short break resyncs from the backlog (+CONTINUE); a break longer than the backlog forces a full resync', async () => {
    const lab = new Lab(CACHE);
    await lab.start('eshop-cache01', 6379, [...OPEN, 'repl-timeout 5', 'repl-backlog-size 16kb', 'repl-diskless-sync no']);
    await lab.start('eshop-cache02', 6379, REPLICA);
    await lab.until('link up', async () => (await lab.info('eshop-cache02', 6379)).master_link_status === 'up');

    // Short break: the link times out on both sides, a few writes fit in the backlog.
    lab.w.partition(['eshop-cache01'], ['eshop-cache02']);
    await lab.until('replica notices', () => lab.log('eshop-cache02', 6379).includes('MASTER timeout: no data nor PING received...'), 30_000);
    for (let i = 0; i < 5; i++) await lab.cli('eshop-cache01', `set short:${i} x`);
    lab.w.heal();
    await lab.until('link up again', async () => (await lab.info('eshop-cache02', 6379)).master_link_status === 'up', 30_000);
    let rlog = lab.log('eshop-cache02', 6379);
    expect(rlog).toMatch(/\* Trying a partial resynchronization \(request [0-9a-f]{40}:\d+\)\./);
    expect(rlog).toContain('* MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
    expect(lab.log('eshop-cache01', 6379)).toMatch(/Disconnecting timedout replica \(streaming sync\): 10\.0\.0\.12:6379/);
    expect((await lab.cli('eshop-cache02', 'get short:4')).trim()).toBe('x');
    const s1 = await lab.info('eshop-cache01', 6379, 'stats');
    expect([s1.sync_full, s1.sync_partial_ok]).toEqual(['1', '1']);

    // Long break: more than 16 KB of writes, the backlog no longer has the replica's offset.
    lab.w.partition(['eshop-cache01'], ['eshop-cache02']);
    await lab.until('replica notices again', () => lines(lab.log('eshop-cache02', 6379), /MASTER timeout/).length === 2, 30_000);
    for (let i = 0; i < 60; i++) await lab.cli('eshop-cache01', `set long:${i} ${'v'.repeat(1000)}`);
    // The backlog keeps whole 20 KB blocks: more than 16 KB, but not what the replica needs.
    const m = await lab.info('eshop-cache01', 6379);
    expect(Number(m.repl_backlog_histlen)).toBeGreaterThanOrEqual(16384);
    expect(Number(m.repl_backlog_first_byte_offset)).toBeGreaterThan(1);
    lab.w.heal();
    await lab.until('link up after full resync', async () => (await lab.info('eshop-cache02', 6379)).master_link_status === 'up', 60_000);
    expect(lab.log('eshop-cache01', 6379)).toMatch(/Unable to partial resync with replica 10\.0\.0\.12:6379 for lack of backlog \(Replica request was: \d+\)\./);
    rlog = lab.log('eshop-cache02', 6379);
    expect(lines(rlog, /Full resync from master/).length).toBe(2);
    expect((await lab.cli('eshop-cache02', 'get long:59')).trim()).toBe('v'.repeat(1000));
    const s2 = await lab.info('eshop-cache01', 6379, 'stats');
    expect([s2.sync_full, s2.sync_partial_ok, s2.sync_partial_err]).toEqual(['2', '1', '1']);
  });

  it('the RDB transfer takes time in proportion to the data and the link bandwidth', async () => {
    const transferMs = async (keys: number) => {
      const lab = new Lab(CACHE, { link: { bandwidthBps: 8e6, latencyMs: 0.5 } });
      await lab.start('eshop-cache01', 6379, [...OPEN, 'repl-diskless-sync no', 'enable-debug-command yes', 'rdbcompression no']);
      expect((await lab.cli('eshop-cache01', `debug populate ${keys} key 100`)).trim()).toBe('OK');
      await lab.start('eshop-cache02', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
      await lab.until('transfer starts', async () => (await lab.info('eshop-cache02', 6379)).master_sync_in_progress === '1', 20_000, 20);
      const inProgress = await lab.info('eshop-cache02', 6379);
      expect(inProgress.master_sync_total_bytes).toMatch(/^\d+$/);
      return lab.until('transfer done', async () => (await lab.info('eshop-cache02', 6379)).master_link_status === 'up', 60_000, 20);
    };
    const small = await transferMs(5000);
    const large = await transferMs(20000);
    // ~0.6 MB and ~2.4 MB of RDB at 1 MB/s.
    expect(small).toBeGreaterThan(300);
    expect(large).toBeGreaterThan(small * 3);
    expect(large).toBeLessThan(small * 5);
  });
});

describe('lab B8: master persistence is mandatory', () => {
  it('a master without persistence restarts empty and its replicas faithfully copy the empty dataset', async () => {
    const lab = new Lab(CACHE);
    const master = [...OPEN, 'save ""', 'appendonly no'];
    await lab.start('eshop-cache01', 6379, master);
    for (let i = 0; i < 10; i++) await lab.cli('eshop-cache01', `set order:${i} paid`);
    await lab.start('eshop-cache02', 6379, [...OPEN, 'replicaof 10.0.0.11 6379']);
    await lab.until('synced', async () => (await lab.cli('eshop-cache02', 'dbsize')).trim() === '10');
    await lab.w.exec('eshop-cache01', `kill -9 ${lab.pid('eshop-cache01', 6379)}`);
    await lab.advance(1000);
    expect((await lab.cli('eshop-cache02', 'dbsize')).trim()).toBe('10');
    await lab.w.exec('eshop-cache01', 'redis-server /etc/redis/6379.conf &');
    await lab.until('replica copied the empty master', async () => (await lab.cli('eshop-cache02', 'dbsize')).trim() === '0', 30_000);
    const rlog = lab.log('eshop-cache02', 6379);
    expect(rlog).toContain('* MASTER <-> REPLICA sync: Flushing old data');
    expect(rlog).toContain('Done loading RDB, keys loaded: 0, keys expired: 0.');
    expect(lab.log('eshop-cache01', 6379)).toMatch(/Partial resynchronization not accepted: Replication ID mismatch/);
  });
});
