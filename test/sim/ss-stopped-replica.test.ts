/**
 * A replica stopped with SIGSTOP while its master takes writes, seen with `ss -tn`: the same
 * scenario on a simulated pair and on a real pair (Redis 7.0.15 on the loopback, iproute2
 * 6.1.0's ss; skipped without them), held to the same bounds. The replica's socket fills its
 * receive buffer (Recv-Q about 128 KB: the simulation's window is 131 072 bytes of payload; the
 * real one, which counts each packet's overhead, measured 111 596 with these 0.8 KB writes and
 * 129 997–130 021 with larger ones, and more once receive autotuning has grown the buffer), the
 * rest waits in the master's socket (Send-Q); after SIGCONT both drain. The simulated master's socket
 * takes at most about 1 MB (the send buffer Redis's writers model) where Linux's grows to 4 MB,
 * so the bounds stay below that.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { world } from './helpers';
import type { World } from '../../src/sim/world';
import { REAL_REDIS, startRealRedis } from '../support/real-redis';

const WRITES = 800;
const VALUE = '0'.repeat(800);

/**
 * The bounds both pairs must keep; `written`: the replication stream's length. The replica's
 * socket holds about a receive buffer (at most `recvMaxBytes`), and the rest of the stream
 * waits in the master's socket: the two queues hold it all, but for what may still be in
 * flight or in Redis's own buffer.
 */
function expectStoppedQueues(replicaRecvQ: number, masterSendQ: number, written: number, recvMaxBytes: number): void {
  expect(replicaRecvQ).toBeGreaterThan(100_000);
  expect(replicaRecvQ).toBeLessThan(recvMaxBytes);
  expect(replicaRecvQ + masterSendQ).toBeLessThanOrEqual(written);
  expect(replicaRecvQ + masterSendQ).toBeGreaterThan(written - 65_536);
}

/** Recv-Q and Send-Q of the line of `ss -Htn` output whose local and peer ports are these. */
function queuesOf(ssOutput: string, localPort: number, peerPort: number): [number, number] {
  for (const line of ssOutput.split('\n')) {
    // Recv-Q, Send-Q, local, peer: the last four fields (a State column comes first unless the
    // query names a single state).
    const w = line.trim().split(/ +/).slice(-4);
    if (w.length < 4) continue;
    if (w[2].endsWith(`:${localPort}`) && w[3].endsWith(`:${peerPort}`)) return [Number(w[0]), Number(w[1])];
  }
  throw new Error(`no line ${localPort} -> ${peerPort} in:\n${ssOutput}`);
}

/** A simulated master (with `masterArgs`) and its replica on redis-2, in sync, the replica then stopped with SIGSTOP. */
async function stoppedReplica(masterArgs: string): Promise<{ w: World; replica: number }> {
  const w = world();
  await w.exec('redis-1', `redis-server --port 6379 --protected-mode no --save "" --daemonize yes --repl-diskless-sync-delay 0${masterArgs}`);
  await w.exec('redis-2', 'redis-server --port 6379 --protected-mode no --save "" --daemonize yes --replicaof 10.0.0.11 6379');
  await w.advance(2437);
  const replica = w.processes('redis-2').find((p) => p.argv[0] === 'redis-server')!.pid;
  w.kill('redis-2', replica, 'SIGSTOP');
  return { w, replica };
}

describe('a replica stopped with SIGSTOP under writes (ss -tn)', () => {
  it('simulated: Recv-Q about 128 KB on the replica, the rest in the master\'s Send-Q; SIGCONT drains both', async () => {
    const { w, replica } = await stoppedReplica('');
    await w.advance(100);
    await w.exec('redis-1', `for i in $(seq 1 ${WRITES}); do redis-cli set k$i ${VALUE} > /dev/null; done`);
    await w.advance(1000);
    const link = /10\.0\.0\.12:(\d+)/.exec((await w.exec('redis-1', 'ss -Htn')).output)!;
    const replicaPort = Number(link[1]);
    const [recvQ] = queuesOf((await w.exec('redis-2', 'ss -Htn')).output, replicaPort, 6379);
    const [, sendQ] = queuesOf((await w.exec('redis-1', 'ss -Htn')).output, 6379, replicaPort);
    const written = Number(/master_repl_offset:(\d+)/.exec((await w.exec('redis-1', 'redis-cli info replication')).output)![1]);
    expectStoppedQueues(recvQ, sendQ, written, 131_072 + 1000);
    w.kill('redis-2', replica, 'SIGCONT');
    await w.advance(1000);
    expect(queuesOf((await w.exec('redis-2', 'ss -Htn')).output, replicaPort, 6379)).toEqual([0, 0]);
    expect(queuesOf((await w.exec('redis-1', 'ss -Htn')).output, 6379, replicaPort)).toEqual([0, 0]);
  });

  it('simulated: a master that drops the stopped replica (output buffer limit) leaves its socket in FIN-WAIT-1, owned by nobody; after SIGCONT, TIME-WAIT (one state: no State column)', async () => {
    const { w, replica } = await stoppedReplica(' --client-output-buffer-limit "replica 1mb 0 0"');
    await w.exec('redis-1', 'v=$(printf "%08000d" 0); for i in $(seq 1 400); do redis-cli set k$i $v > /dev/null; done');
    await w.advance(1000);
    const master = (await w.exec('redis-1', 'ss -Htnp state fin-wait-1')).output;
    const [, sendQ] = master.trim().split(/ +/).map(Number);
    expect(sendQ).toBeGreaterThan(1_000_000);
    expect(master).not.toContain('users');
    expect((await w.exec('redis-1', 'ss -Htn state established')).output).toBe('');
    w.kill('redis-2', replica, 'SIGCONT');
    await w.advance(1000);
    expect((await w.exec('redis-1', "ss -Htan state time-wait dst 10.0.0.12 | awk '{print $3}'")).output).toBe('10.0.0.11:6379\n');
    expect((await w.exec('redis-1', 'ss -Htn state fin-wait-1')).output).toBe('');
  });

  const haveSs = (spawnSync('ss', ['-V'], { encoding: 'utf8' }).stdout ?? '').includes('iproute2-6.1.0');
  it.skipIf(!haveSs || !REAL_REDIS)('real: the same bounds', async () => {
    const master = await startRealRedis();
    const replica = await startRealRedis();
    try {
      const rc = await replica.client();
      await rc.call('REPLICAOF', '127.0.0.1', String(master.port));
      rc.close();
      // Streaming: after a diskless sync the master says state=online at once but sends the
      // stream only once the replica's first ACK came (repl_start_cmd_stream_on_ack), which a
      // busy machine can delay past the SIGSTOP: the writes then stay in the master's own
      // buffer, both sockets empty. An acknowledged offset above 0 shows that ACK (a first write
      // makes the master's offset, and so any later ACK's, above 0).
      const mc = await master.client();
      await mc.call('SET', 'warm', '1');
      const deadline = Date.now() + 15_000;
      while (!/slave0:[^\r\n]*state=online,offset=[1-9]/.test(await mc.call('INFO', 'replication'))) {
        if (Date.now() > deadline) throw new Error('the real replica did not sync');
        await new Promise((r) => setTimeout(r, 50));
      }
      // Established sockets only: an earlier test's server on a reused port can leave orphans
      // (FIN-WAIT-2 for a minute) whose local port is this one.
      const ss = () => spawnSync('ss', ['-Htn', 'state', 'established', `( sport = :${master.port} or dport = :${master.port} )`], { encoding: 'utf8' }).stdout;
      // The replica's link, as the master names it.
      const linkPort = Number(/addr=127\.0\.0\.1:(\d+)/.exec(await mc.call('CLIENT', 'LIST', 'TYPE', 'replica'))![1]);
      replica.proc.kill('SIGSTOP');
      for (let i = 1; i <= WRITES; i++) await mc.call('SET', `k${i}`, VALUE);
      await new Promise((r) => setTimeout(r, 300));
      const out = ss();
      const [recvQ] = queuesOf(out, linkPort, master.port);
      const [, sendQ] = queuesOf(out, master.port, linkPort);
      const written = Number(/master_repl_offset:(\d+)/.exec(await mc.call('INFO', 'replication'))![1]);
      // Linux starts the receive buffer at 128 KB and may have grown it (receive autotuning:
      // 158 711 bytes queued once the first write had been read before the stop).
      expectStoppedQueues(recvQ, sendQ, written, 4 * 131_072);
      replica.proc.kill('SIGCONT');
      // Both drain once the replica runs (how soon depends on this machine's load).
      const drained = Date.now() + 15_000;
      let after = ss();
      while (Date.now() < drained && [...queuesOf(after, linkPort, master.port), ...queuesOf(after, master.port, linkPort)].some((q) => q > 0)) {
        await new Promise((r) => setTimeout(r, 50));
        after = ss();
      }
      expect(queuesOf(after, linkPort, master.port)).toEqual([0, 0]);
      expect(queuesOf(after, master.port, linkPort)).toEqual([0, 0]);
      mc.close();
    } finally {
      replica.proc.kill('SIGCONT');
      await replica.stop();
      await master.stop();
    }
  });
});
