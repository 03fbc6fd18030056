/**
 * The inspection channel's view of the engine's own state machines and long work (the UI's
 * statecharts and progress bars): a replica's link machine state and its last transition, a
 * cluster node's failure detectors, the full sync's byte counters. Watching changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import type { ServerSummary } from '../../src/engine/inspect';

const CONF = (port: number, master: number | null) =>
  `port ${port}\nsave ""\nenable-debug-command local\nappendonly no\nlogfile /var/log/redis_${port}.log\ndir /var/redis/${port}\n${master ? `replicaof 127.0.0.1 ${master}\n` : ''}`;

function world(): World {
  return new World({
    seed: 3,
    hosts: [{
      name: 'redis-1', ip: '10.0.0.11',
      files: { '/etc/7000.conf': CONF(7000, null), '/etc/7001.conf': CONF(7001, 7000) },
      dirs: ['/var/redis/7000', '/var/redis/7001', '/var/log'],
      boot: ['redis-server /etc/7000.conf', 'redis-server /etc/7001.conf'],
    }],
    programs: STANDARD_PROGRAMS,
  } as ConstructorParameters<typeof World>[0]);
}

const pidOf = (w: World, port: number) => w.processes('redis-1').find((p) => p.argv[0] === 'redis-server' && p.argv.join(' ').includes(`${port}`))!.pid;
const summary = async (w: World, pid: number) => (await w.inspect(pid, { fn: 'redis', query: { op: 'summary' } })) as ServerSummary;

describe('inspection of the engine machines', () => {
  it("reports a replica's link state and the transition it took when its master died, and changes nothing", async () => {
    const watched = world();
    const plain = world();
    // The master waits repl-diskless-sync-delay (5 s) before it starts the transfer.
    for (const w of [watched, plain]) await w.advance(7000);
    const replica = pidOf(watched, 7001);
    const before = await summary(watched, replica);
    expect(before.machines[0]).toMatchObject({ kind: 'replica-link', subject: '127.0.0.1:7000', value: 'connected' });
    const master = await summary(watched, pidOf(watched, 7000));
    expect(master.machines).toEqual([{ kind: 'replica-link', subject: '', value: 'none', last: null }]);
    expect(master.backlog.active).toBe(true);
    expect(master.backlog.sizeBytes).toBe(1024 * 1024);

    for (const w of [watched, plain]) {
      w.kill('redis-1', pidOf(w, 7000), 'SIGKILL');
      await w.advance(300);
    }
    const after = await summary(watched, replica);
    const link = after.machines[0];
    // It left connected (MASTER_LOST) and keeps retrying: the last transition ends where it is.
    expect(['connect', 'connecting']).toContain(link.value);
    expect(link.last?.to).toBe(link.value);
    expect(['connected', 'connect', 'connecting']).toContain(link.last?.from);
    expect(link.last!.atMs).toBeGreaterThan(watched.now - 400);
    expect(after.linkStatus).toBe('down');
    // The watched world is the same world as the unwatched one.
    for (const w of [watched, plain]) await w.advance(2000);
    expect(watched.trace.hash()).toBe(plain.trace.hash());
    watched.dispose();
    plain.dispose();
  }, 60_000);

  it('shows a full sync in progress: bytes read of the RDB on the replica, bytes sent on the master', async () => {
    const w = world();
    await w.advance(1000);
    // A big dataset, then a new replica that needs a full sync (disk-based: a BGSAVE, then the
    // file with its length), on a slow loopback.
    expect((await w.exec('redis-1', 'redis-cli -p 7000 debug populate 200000 key 100; redis-cli -p 7000 config set repl-diskless-sync no')).output).toBe('OK\nOK\n');
    w.setLink('redis-1', 'redis-1', { bandwidthBps: 160e6 });
    await w.exec('redis-1', 'redis-server --port 7003 --save "" --replicaof 127.0.0.1 7000 &');
    const replica = pidOf(w, 7003);
    const master = pidOf(w, 7000);
    let sawReplicaProgress = false;
    let sawMasterProgress = false;
    let sawBgsave = false;
    for (let i = 0; i < 300 && !(sawReplicaProgress && sawMasterProgress); i++) {
      await w.advance(50);
      const r = await summary(w, replica);
      const m = await summary(w, master);
      if (m.progress.bgsaveSeconds >= 0) sawBgsave = true;
      if (r.progress.syncTotalBytes > 0 && r.progress.syncReadBytes > 0 && r.progress.syncReadBytes < r.progress.syncTotalBytes) {
        sawReplicaProgress = true;
        expect(r.machines[0].value).toBe('transfer');
      }
      if (m.progress.sending.some((s) => s.totalBytes > 0 && s.sentBytes > 0 && s.sentBytes < s.totalBytes)) sawMasterProgress = true;
    }
    expect(sawBgsave).toBe(true);
    expect(sawReplicaProgress).toBe(true);
    expect(sawMasterProgress).toBe(true);
    w.dispose();
  }, 60_000);
});
