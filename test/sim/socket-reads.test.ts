/**
 * One read of a socket returns everything that arrived: bytes that reached a process while it
 * was busy (fsync, a slow command) come in one `onData`, as one read(2) of the socket buffer
 * returns them, up to READ_CHUNK_BYTES. This is what lets Redis with `appendfsync always` pay
 * one fsync for all the pipelined commands that came in during the previous fsync.
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import type { ProgramMain } from '../../src/engine/programs/program';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { DISK_PRESETS } from '../../src/sim/protocol';
import { READ_CHUNK_BYTES } from '../../src/sim/runtime/runner';
import { strToBytes } from '../../src/engine/bytes';

/** `slow-reader PORT BUSY_MS`: logs the size of every read, then stays busy BUSY_MS. */
const slowReader: ProgramMain = async ({ os, argv }) => {
  const busyMs = Number(argv[2]);
  await os.listen(Number(argv[1]), ['*'], (s) => {
    s.onData = (b) => { os.stdout(`read ${b.length}\n`); os.busy(busyMs); };
  });
};

/** `ticker HOST PORT INTERVAL_MS COUNT SIZE`: writes COUNT chunks of SIZE bytes, one every INTERVAL_MS. */
const ticker: ProgramMain = ({ os, argv }) => {
  const s = os.connect(argv[1], Number(argv[2]));
  const [interval, count, size] = [Number(argv[3]), Number(argv[4]), Number(argv[5])];
  let n = 0;
  const tick = () => {
    if (n++ >= count) return;
    s.write(strToBytes('x'.repeat(size)));
    os.setTimer(interval, tick);
  };
  s.onConnect = tick;
};

function newWorld(programs = { ...STANDARD_PROGRAMS, 'slow-reader': slowReader, ticker }): World {
  return new World({
    seed: 3,
    hosts: [{ name: 'db', ip: '10.0.0.1', disk: DISK_PRESETS.slow }, { name: 'app', ip: '10.0.0.2' }],
    programs,
  });
}

function reads(w: World): number[] {
  return [...w.readText('db', '/tmp/reads.log')!.matchAll(/read (\d+)/g)].map((m) => Number(m[1]));
}

describe('socket reads in the simulation', () => {
  it('a process that was busy reads what arrived meanwhile in one go', async () => {
    const w = newWorld();
    await w.exec('db', 'slow-reader 7000 40 > /tmp/reads.log &');
    await w.advance(10);
    await w.exec('app', 'ticker 10.0.0.1 7000 10 20 10 &');
    await w.advance(1000);
    const r = reads(w);
    expect(r.reduce((a, b) => a + b, 0)).toBe(200);
    // The first chunk finds the reader idle; after that each read holds the ~4 chunks that
    // arrived during the 40 ms it was busy.
    expect(r[0]).toBe(10);
    expect(r.length).toBeLessThanOrEqual(7);
    expect(Math.max(...r)).toBeGreaterThanOrEqual(40);
    w.dispose();
  });

  it('one read takes at most READ_CHUNK_BYTES; the rest comes in the next reads', async () => {
    const w = newWorld();
    await w.exec('db', 'slow-reader 7000 500 > /tmp/reads.log &');
    await w.advance(10);
    await w.exec('app', `ticker 10.0.0.1 7000 1 40 ${READ_CHUNK_BYTES / 4}`);
    await w.advance(5000);
    const r = reads(w);
    expect(r.reduce((a, b) => a + b, 0)).toBe(40 * (READ_CHUNK_BYTES / 4));
    expect(Math.max(...r)).toBe(READ_CHUNK_BYTES);
    w.dispose();
  });

  it('an idle reader sees each chunk when it arrives', async () => {
    const w = newWorld();
    await w.exec('db', 'slow-reader 7000 0 > /tmp/reads.log &');
    await w.advance(10);
    await w.exec('app', 'ticker 10.0.0.1 7000 10 20 10 &');
    await w.advance(1000);
    expect(reads(w)).toEqual(Array(20).fill(10));
    w.dispose();
  });

  it('appendfsync always on a slow disk keeps up with a pipelined writer: one fsync per batch', async () => {
    const w = newWorld();
    await w.exec('db', 'mkdir -p /data; redis-server --port 6379 --protected-mode no --dir /data --save "" --appendonly yes --appendfsync always --daemonize yes');
    await w.advance(500);
    await w.exec('app', 'halab-loadgen --target 10.0.0.1:6379 --rate 100 > /dev/null &');
    await w.advance(5000);
    const lg = w.processes('app').find((p) => p.argv[0] === 'halab-loadgen')!;
    const state = await w.inspect(lg.pid, { fn: 'loadgen' }) as { acked: number; errors: number };
    expect(state.acked).toBeGreaterThanOrEqual(480);
    expect(state.errors).toBe(0);
    // 40 ms per fsync: at most 25 fsyncs a second, for 100 writes a second.
    const fsyncs = w.trace.recent().filter((e) => e.kind === 'fsync' && e.detail.includes('incr.aof')).length;
    expect(fsyncs).toBeGreaterThan(50);
    expect(fsyncs).toBeLessThanOrEqual(5 * 25 + 5);
    w.dispose();
  });
});
