/**
 * Replication behaviours beyond the labs, in the simulated world: announced addresses, a
 * diskless load, WAIT with a partitioned replica, a slow replica overflowing its output
 * buffer, FAILOVER, repl-timeout while connecting and during the transfer, the link
 * statechart's states as the UI sees them, and a writable replica expiring the keys its own
 * clients gave a TTL.
 */
import { describe, it, expect } from 'vitest';
import { Lab, lines, logTimes } from './sim-helpers';
import type { LinkStateName } from '../../src/engine/replication/link-machine';

const HOSTS = [{ name: 'm', ip: '10.0.1.1' }, { name: 'r1', ip: '10.0.1.2' }, { name: 'r2', ip: '10.0.1.3' }];
const OPEN = ['bind 0.0.0.0', 'protected-mode no'];

describe('replication in the simulation', () => {
  it('replica-announce-ip/port: the master lists the replica where it says it is (NAT)', async () => {
    const lab = new Lab(HOSTS);
    await lab.start('m', 6379, OPEN);
    await lab.start('r1', 6379, [...OPEN, 'replicaof 10.0.1.1 6379', 'replica-announce-ip 203.0.113.7', 'replica-announce-port 16379']);
    await lab.until('online', async () => (await lab.info('m', 6379)).slave0?.includes('state=online') ?? false);
    expect((await lab.info('m', 6379)).slave0).toMatch(/^ip=203\.0\.113\.7,port=16379,state=online,/);
    expect(lab.log('m', 6379)).toContain('Replica 203.0.113.7:16379 asks for synchronization');
  });

  it('repl-diskless-load on-empty-db: an empty replica parses the RDB from the socket, nothing on disk', async () => {
    const lab = new Lab(HOSTS);
    await lab.start('m', 6379, [...OPEN, 'repl-diskless-sync-delay 0']);
    await lab.cli('m', 'set k v');
    await lab.start('r1', 6379, [...OPEN, 'replicaof 10.0.1.1 6379', 'repl-diskless-load on-empty-db']);
    await lab.until('up', async () => (await lab.info('r1', 6379)).master_link_status === 'up');
    const log = lab.log('r1', 6379);
    expect(log).toContain('* MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to parser');
    expect(lab.w.listDir('r1', '/var/redis/6379')).toEqual([]);
    expect((await lab.cli('r1', 'get k')).trim()).toBe('v');
  });

  it('repl-diskless-load swapdb: async loading serves the old data during a full sync of the same history', async () => {
    const lab = new Lab(HOSTS);
    await lab.start('m', 6379, [...OPEN, 'repl-diskless-sync-delay 0', 'enable-debug-command local', 'rdbcompression no']);
    await lab.start('r1', 6379, [...OPEN, 'replicaof 10.0.1.1 6379', 'repl-diskless-load swapdb', 'replica-read-only no']);
    await lab.until('up', async () => (await lab.info('r1', 6379)).master_link_status === 'up');
    await lab.cli('r1', 'set mine old');
    await lab.cli('m', 'debug populate 40 key 4000');
    await lab.cli('m', 'config set rdb-key-save-delay 25000');
    // Drop the replica and overflow the backlog: the PSYNC of the same replid becomes a full sync.
    await lab.cli('m', 'config set repl-backlog-size 16384');
    const sets = Array.from({ length: 6 }, (_, i) => `SET big${i} ${'A'.repeat(16384)}\\n`).join('');
    await lab.w.exec('m', `printf "MULTI\\nCLIENT KILL TYPE replica\\n${sets}EXEC\\n" | redis-cli`);
    await lab.until('async loading', async () => (await lab.info('r1', 6379, 'persistence')).async_loading === '1');
    const p = await lab.info('r1', 6379, 'persistence');
    expect([p.loading, p.async_loading]).toEqual(['0', '1']);
    expect((await lab.cli('r1', 'get mine')).trim()).toBe('old');
    expect((await lab.cli('r1', 'replicaof no one')).trim()).toBe('LOADING Redis is loading the dataset in memory');
    await lab.until('up again', async () => (await lab.info('r1', 6379)).master_link_status === 'up');
    expect((await lab.cli('r1', 'dbsize')).trim()).toBe('46');
    expect(lines(lab.log('r1', 6379), /REPLICA sync: (Loading|Swapping|Discarding|Flushing)/).map((l) => l.replace(/^.*sync: /, ''))).toEqual([
      'Loading DB in memory', 'Swapping active DB with loaded DB', 'Discarding old DB in background',
      'Loading DB in memory', 'Swapping active DB with loaded DB', 'Discarding old DB in background',
    ]);
  });

  it('a slow diskless loader holds back its master: the child waits while the replica parses at key-load-delay\'s pace', async () => {
    const lab = new Lab(HOSTS);
    await lab.start('m', 6379, [...OPEN, 'repl-diskless-sync-delay 0', 'enable-debug-command local', 'rdbcompression no']);
    await lab.cli('m', 'debug populate 600 key 10000');
    // 600 keys x 20 ms: 12 s of loading for 6 MB, more than the socket buffers on the way hold.
    await lab.start('r1', 6379, [...OPEN, 'replicaof 10.0.1.1 6379', 'repl-diskless-load swapdb', 'key-load-delay 20000',
      'loading-process-events-interval-bytes 1024']);
    await lab.until('loading', async () => (await lab.info('r1', 6379, 'persistence')).loading === '1');
    await lab.advance(2000);
    const loaded = Number((await lab.info('r1', 6379, 'persistence')).loading_loaded_bytes);
    expect(loaded).toBeGreaterThan(0);
    expect(loaded).toBeLessThan(3_000_000);
    expect((await lab.info('m', 6379, 'persistence')).rdb_bgsave_in_progress).toBe('1');
    await lab.cli('r1', 'config set key-load-delay 0');
    await lab.until('up', async () => (await lab.info('r1', 6379)).master_link_status === 'up');
    expect((await lab.cli('r1', 'dbsize')).trim()).toBe('600');
    await lab.until('child done', async () => (await lab.info('m', 6379, 'persistence')).rdb_bgsave_in_progress === '0');
  });

  it('a writable replica expires the keys its clients gave a TTL, and leaves the master\'s to the master', async () => {
    const lab = new Lab(HOSTS);
    await lab.start('m', 6379, [...OPEN, 'enable-debug-command local']);
    await lab.start('r1', 6379, [...OPEN, 'replicaof 10.0.1.1 6379', 'replica-read-only no']);
    await lab.until('up', async () => (await lab.info('r1', 6379)).master_link_status === 'up');
    const tracked = async () => (await lab.info('r1', 6379, 'stats')).slave_expires_tracked_keys;
    // The master's key with a TTL, with the master's expiry switched off: only its DEL may remove it.
    expect((await lab.cli('m', 'debug set-active-expire 0')).trim()).toBe('OK');
    await lab.cli('m', 'set from-master 1 ex 2');
    for (const k of ['a', 'b', 'c']) await lab.cli('r1', `set ${k} 1 ex 2`);
    await lab.cli('r1', 'set no-ttl 1');
    expect(await tracked()).toBe('3');
    await lab.advance(3000);
    // Gone from the replica's memory, not just hidden (DBSIZE counts what is stored).
    expect((await lab.cli('r1', 'dbsize')).trim()).toBe('2');
    expect((await lab.cli('r1', 'exists from-master no-ttl')).trim()).toBe('1');
    expect(await tracked()).toBe('0');
    expect((await lab.info('r1', 6379, 'stats')).expired_keys).toBe('3');
    // FLUSHALL forgets the list: a key of the same name the master sends later is not tracked.
    await lab.cli('r1', 'set d 1 ex 100');
    expect(await tracked()).toBe('1');
    await lab.cli('r1', 'flushall');
    expect(await tracked()).toBe('0');
  });

  it('WAIT counts only replicas that acknowledged; a partitioned one makes it time out', async () => {
    const lab = new Lab(HOSTS);
    await lab.start('m', 6379, [...OPEN, 'repl-diskless-sync-delay 0']);
    await lab.start('r1', 6379, [...OPEN, 'replicaof 10.0.1.1 6379']);
    await lab.start('r2', 6379, [...OPEN, 'replicaof 10.0.1.1 6379']);
    await lab.until('both online', async () => (await lab.info('m', 6379)).slave1?.includes('state=online') ?? false);
    // One connection: the write, then WAIT for its offset.
    expect((await lab.w.exec('m', 'printf "SET a 1\\nWAIT 2 1000\\n" | redis-cli')).output.split('\n').map((l) => l.trim())).toEqual(['OK', '2', '']);
    lab.w.partition(['m'], ['r2']);
    const t0 = lab.w.now;
    expect((await lab.w.exec('m', 'printf "SET a 2\\nWAIT 2 500\\n" | redis-cli')).output.split('\n').map((l) => l.trim())).toEqual(['OK', '1', '']);
    expect(lab.w.now - t0).toBeGreaterThanOrEqual(500);
    lab.w.heal();
  });

  it('a replica that cannot keep up is dropped at its output buffer limit, then resyncs', async () => {
    const lab = new Lab(HOSTS, { link: { bandwidthBps: 4e6, latencyMs: 0.5 } });
    await lab.start('m', 6379, [...OPEN, 'repl-diskless-sync-delay 0', 'client-output-buffer-limit replica 2mb 1mb 5', 'repl-backlog-size 1mb']);
    await lab.start('r1', 6379, [...OPEN, 'replicaof 10.0.1.1 6379']);
    await lab.until('online', async () => (await lab.info('m', 6379)).slave0?.includes('state=online') ?? false);
    // 6 MB of writes in a moment, over a 0.5 MB/s link.
    const big = 'x'.repeat(100_000);
    await lab.w.exec('m', `for i in $(seq 1 60); do redis-cli set k$i ${big} > /dev/null; done`);
    await lab.advance(2000);
    const mlog = lab.log('m', 6379);
    expect(mlog).toMatch(/# Client id=\d+ addr=10\.0\.1\.2:\d+ .* flags=S .* scheduled to be closed ASAP for overcoming of output buffer limits\./);
    expect(mlog).toContain('# Connection with replica 10.0.1.2:6379 lost.');
    await lab.until('back', async () => (await lab.cli('r1', 'strlen k60')).trim() === '100000', 120_000, 500);
    expect((await lab.info('r1', 6379)).master_link_status).toBe('up');
    expect(lab.log('m', 6379)).toMatch(/Unable to partial resync with replica 10\.0\.1\.2:6379 for lack of backlog/);
  });

  it('a replica stopped with SIGSTOP: past its receive window the master buffers, drops it at the limit; SIGCONT: it resyncs', async () => {
    const lab = new Lab(HOSTS);
    await lab.start('m', 6379, [...OPEN, 'repl-diskless-sync-delay 0', 'client-output-buffer-limit replica 4mb 0 0', 'repl-backlog-size 1mb']);
    await lab.start('r1', 6379, [...OPEN, 'replicaof 10.0.1.1 6379']);
    await lab.until('online', async () => (await lab.info('m', 6379)).slave0?.includes('state=online') ?? false);
    const replicaPid = lab.pid('r1', 6379);
    lab.w.kill('r1', replicaPid, 'SIGSTOP');
    await lab.advance(100);
    const big = 'x'.repeat(100_000);
    const write = async (from: number, to: number) => lab.w.exec('m', `for i in $(seq ${from} ${to}); do redis-cli set k$i ${big} > /dev/null; done`);
    // 2 MB: more than the replica's window and the master's socket take; under the limit.
    await write(1, 20);
    await lab.advance(1000);
    const omem = () => lab.cli('m', 'client list type replica').then((l) => Number(/ omem=(\d+) /.exec(l)?.[1] ?? -1));
    const buffered = await omem();
    expect(buffered).toBeGreaterThan(700_000);
    expect(buffered).toBeLessThan(2_000_000);
    expect((await lab.info('m', 6379)).slave0).toMatch(/state=online/);
    expect(lab.log('m', 6379)).not.toContain('overcoming of output buffer limits');
    // 4 MB more: what the master still owes it passes the 4 MB hard limit; it drops the replica.
    await write(21, 60);
    await lab.advance(1000);
    expect(lab.log('m', 6379)).toMatch(/# Client id=\d+ addr=10\.0\.1\.2:\d+ .* flags=S .* scheduled to be closed ASAP for overcoming of output buffer limits\./);
    expect((await lab.info('m', 6379)).connected_slaves).toBe('0');
    // The replica never saw any of it: it continues, finds its link closed, and resyncs.
    lab.w.kill('r1', replicaPid, 'SIGCONT');
    await lab.until('back', async () => (await lab.cli('r1', 'strlen k60')).trim() === '100000', 60_000, 500);
    expect(lab.log('r1', 6379)).toContain('Connection with master lost.');
  });

  it('diskless transfer to two replicas, one stopped: only that one times out, the other gets the RDB', async () => {
    const lab = new Lab(HOSTS);
    await lab.start('m', 6379, [...OPEN, 'repl-diskless-sync yes', 'repl-diskless-sync-delay 5', 'repl-diskless-sync-max-replicas 2',
      'enable-debug-command local', 'rdbcompression no', 'repl-timeout 2']);
    // 3 MB: more than a replica's receive window and the master's socket buffer take at once.
    await lab.cli('m', 'debug populate 300 k 10000');
    await lab.start('r1', 6379, [...OPEN, 'replicaof 10.0.1.1 6379']);
    await lab.start('r2', 6379, [...OPEN, 'replicaof 10.0.1.1 6379']);
    // r1 stops reading before the transfer begins (it starts when both have asked).
    await lab.until('both asked', () => lab.log('m', 6379).includes('Replica 10.0.1.3:6379 asks for synchronization'), 10_000, 1);
    lab.w.kill('r1', lab.pid('r1', 6379), 'SIGSTOP');
    await lab.until('r2 up', async () => (await lab.info('r2', 6379)).master_link_status === 'up', 20_000);
    const log = lab.log('m', 6379);
    expect(log).toContain('Disconnecting timedout replica (full sync): 10.0.1.2:6379');
    // r2 took all of it long before: it is not "timed out" for waiting on r1.
    expect(log).not.toContain('Disconnecting timedout replica (full sync): 10.0.1.3:6379');
    expect(log).toContain('Diskless rdb transfer, done reading from pipe, 1 replicas still up.');
    expect((await lab.cli('r2', 'dbsize')).trim()).toBe('300');
    lab.w.kill('r1', lab.pid('r1', 6379), 'SIGCONT');
  });

  it('FAILOVER hands the master role to the replica; the old master follows it', async () => {
    const lab = new Lab(HOSTS);
    await lab.start('m', 6379, [...OPEN, 'repl-diskless-sync-delay 0']);
    await lab.start('r1', 6379, [...OPEN, 'replicaof 10.0.1.1 6379']);
    await lab.until('online', async () => (await lab.info('m', 6379)).slave0?.includes('state=online') ?? false);
    await lab.cli('m', 'set before failover');
    expect((await lab.cli('m', 'failover to 10.0.1.2 6379 timeout 5000')).trim()).toBe('OK');
    await lab.until('swapped', async () => (await lab.info('r1', 6379)).role === 'master' && (await lab.info('m', 6379)).master_link_status === 'up', 10_000, 50);
    expect((await lab.cli('r1', 'set after failover')).trim()).toBe('OK');
    await lab.advance(100);
    expect((await lab.cli('m', 'get after')).trim()).toBe('failover');
    expect(lab.log('m', 6379)).toContain('* FAILOVER requested to 10.0.1.2:6379.');
    expect(lab.log('r1', 6379)).toMatch(/Failover request received for replid [0-9a-f]{40}\./);
    expect((await lab.info('r1', 6379, 'stats')).sync_partial_ok).toBe('1');
  });

  it('repl-timeout: a connect that gets no answer and a transfer that stalls both time out, and the replica reconnects', async () => {
    const lab = new Lab(HOSTS, { link: { bandwidthBps: 8e6, latencyMs: 0.5 } });
    await lab.start('m', 6379, [...OPEN, 'repl-diskless-sync no', 'enable-debug-command yes', 'rdbcompression no']);
    expect((await lab.cli('m', 'debug populate 20000 key 100')).trim()).toBe('OK');
    // The master's host drops the replica's packets: the connect is never answered.
    await lab.w.exec('m', 'iptables -A INPUT -s 10.0.1.2 -j DROP');
    await lab.start('r1', 6379, [...OPEN, 'replicaof 10.0.1.1 6379', 'repl-timeout 5']);
    const log = () => lab.log('r1', 6379);
    await lab.until('two connect timeouts', () => lines(log(), /Timeout connecting to the MASTER/).length === 2, 30_000, 100);
    expect((await lab.cli('r1', 'role')).split('\n')[3].trim()).toBe('connecting');
    const connects = logTimes(lab.w, log(), /\* (Re)?[Cc]onnecting to MASTER 10\.0\.1\.1:6379/);
    const timeouts = logTimes(lab.w, log(), /# Timeout connecting to the MASTER\.\.\./);
    // Redis's cron gives up once `now - last I/O > repl-timeout` in whole seconds: 5-6 s after
    // the attempt started, then reconnects at once (cancelReplicationHandshake(1)).
    for (let i = 0; i < 2; i++) {
      expect(timeouts[i] - connects[i]).toBeGreaterThan(5000);
      expect(timeouts[i] - connects[i]).toBeLessThanOrEqual(6000);
      expect(connects[i + 1]).toBe(timeouts[i]);
    }
    expect(lines(log(), /Reconnecting to MASTER 10\.0\.1\.1:6379 after failure/).length).toBe(2);

    // Let it through: the full sync of ~2.4 MB at 1 MB/s starts; cut the link in the middle.
    await lab.w.exec('m', 'iptables -F');
    await lab.until('transfer starts', async () => (await lab.info('r1', 6379)).master_sync_in_progress === '1', 20_000, 20);
    await lab.advance(500);
    const temps = () => lab.w.listDir('r1', '/var/redis/6379')!.filter((f) => f.startsWith('temp-'));
    expect(temps()).toHaveLength(1);
    lab.w.partition(['m'], ['r1']);
    // The replica's last I/O is the last byte that arrived; it gives up 5-6 s after it, as
    // Redis's cron would.
    let readBytes: string | undefined, lastReadAt = 0;
    await lab.until('transfer timeout', async () => {
      if (log().includes("# Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.")) return true;
      const read = (await lab.info('r1', 6379)).master_sync_read_bytes;
      if (read !== readBytes) { readBytes = read; lastReadAt = lab.w.now - lab.w.startTime; }
      return false;
    }, 20_000, 50);
    const stalled = logTimes(lab.w, log(), /# Timeout receiving bulk data/)[0] - lastReadAt;
    expect(stalled).toBeGreaterThan(4950);
    expect(stalled).toBeLessThanOrEqual(6050);
    // The partial RDB is removed (replicationAbortSyncTransfer).
    expect(temps()).toEqual([]);
    lab.w.heal();
    await lab.until('synced', async () => (await lab.info('r1', 6379)).master_link_status === 'up', 60_000, 250);
    expect((await lab.cli('r1', 'dbsize')).trim()).toBe('20000');
  });

  it('the link statechart walks through Redis\'s repl_state values', async () => {
    const lab = new Lab(HOSTS);
    await lab.start('m', 6379, [...OPEN, 'repl-diskless-sync-delay 0']);
    await lab.start('r1', 6379, OPEN);
    // Follow r1's link from its log: every state change is visible in INFO/ROLE as well.
    await lab.cli('r1', 'replicaof 10.0.1.1 6379');
    await lab.until('up', async () => (await lab.info('r1', 6379)).master_link_status === 'up');
    const role = (await lab.cli('r1', 'role')).split('\n').map((l) => l.trim());
    expect(role[3]).toBe('connected');
    const names: LinkStateName[] = ['none', 'connect', 'connecting', 'receive_ping_reply', 'send_handshake', 'receive_auth_reply', 'receive_port_reply',
      'receive_ip_reply', 'receive_capa_reply', 'send_psync', 'receive_psync_reply', 'transfer', 'loading', 'connected'];
    const { replicaLinkMachine } = await import('../../src/engine/replication/link-machine');
    expect(Object.keys(replicaLinkMachine.config.states ?? {})).toEqual(names);
    expect(lines(lab.log('r1', 6379), /MASTER <-> REPLICA sync started/).length).toBe(1);
  });
});
