import { describe, expect, it } from 'vitest';
import { world } from './helpers';
import { DISK_PRESETS } from '../../src/sim/protocol';

const RECORDS = Array.from({ length: 5 }, (_, i) => `record-${i};`).join('');

async function writeThen(pattern: string, crash: 'kill -9' | 'power-off', opts: { waitMs?: number } = {}) {
  const w = world();
  await w.exec('redis-1', `disk-writer /root/data.aof ${pattern} 5 > /tmp/writer.log &`);
  await w.advance(opts.waitMs ?? 100);
  const pid = w.processes('redis-1').find((p) => p.argv[0] === 'disk-writer')!.pid;
  if (crash === 'kill -9') await w.exec('redis-1', `kill -9 ${pid}`);
  else {
    w.powerOff('redis-1');
    w.powerOn('redis-1');
    await w.advance(10);
  }
  return { w, text: w.readText('redis-1', '/root/data.aof') };
}

describe('sim disk durability', () => {
  it('kill -9 keeps the page cache for every write pattern', async () => {
    for (const pattern of ['nosync', 'fsync', 'bgfsync']) {
      const { text, w } = await writeThen(pattern, 'kill -9');
      expect(text, pattern).toBe(RECORDS);
      expect(w.processes('redis-1').some((p) => p.argv[0] === 'disk-writer')).toBe(false);
    }
  });

  it('power-off loses unsynced writes, keeps fsynced ones and completed background fsyncs', async () => {
    expect((await writeThen('nosync', 'power-off')).text).toBe('');
    expect((await writeThen('fsync', 'power-off')).text).toBe(RECORDS);
    expect((await writeThen('bgfsync', 'power-off')).text).toBe(RECORDS);
    const { w } = await writeThen('writefile-fsync', 'power-off');
    expect(w.readText('redis-1', '/root/data.aof')).toBe('whole-file\n');
  });

  it('a background fsync not yet done when the power goes loses the data', async () => {
    const w = world({ hosts: [{ name: 'redis-1', ip: '10.0.0.11', disk: DISK_PRESETS.hdd }] });
    await w.exec('redis-1', 'disk-writer /root/data.aof bgfsync 5 > /tmp/writer.log &');
    await w.advance(1);
    expect(w.readText('redis-1', '/tmp/writer.log')).not.toContain('bg fsync done');
    w.powerOff('redis-1');
    w.powerOn('redis-1');
    await w.advance(10);
    expect(w.readText('redis-1', '/root/data.aof')).toBe('');
  });

  it('the kernel flusher makes data durable 30 s after it was dirtied (checked every 5 s)', async () => {
    const early = await writeThen('nosync', 'power-off', { waitMs: 25_000 });
    expect(early.text).toBe('');
    const late = await writeThen('nosync', 'power-off', { waitMs: 36_000 });
    expect(late.text).toBe(RECORDS);
    expect(late.w.trace.recent().some((r) => r.kind === 'writeback')).toBe(true);
  });

  it('a torn write at power-off leaves a partial last record', async () => {
    const w = world();
    await w.exec('redis-1', 'disk-writer /root/data.aof fsync 3 > /tmp/w1.log &');
    await w.advance(10);
    await w.exec('redis-1', 'disk-writer /root/data.aof nosync 1 > /tmp/w2.log &');
    await w.advance(10);
    w.powerOff('redis-1', 1);
    w.powerOn('redis-1');
    await w.advance(10);
    const text = w.readText('redis-1', '/root/data.aof')!;
    const synced = 'record-0;record-1;record-2;';
    expect(text.startsWith(synced)).toBe(true);
    expect(text.length).toBeGreaterThan(synced.length);
    expect(text.length).toBeLessThan(synced.length + 'record-0;'.length);
  });

  it('fsync costs virtual time from the disk model (HDD much slower than SSD)', async () => {
    const times: number[] = [];
    for (const disk of [DISK_PRESETS.ssd, DISK_PRESETS.hdd]) {
      const w = world({ hosts: [{ name: 'redis-1', ip: '10.0.0.11', disk }] });
      const start = w.now;
      await w.exec('redis-1', 'disk-writer /root/a.aof fsync 20 > /tmp/w.log &');
      await w.advance(1000);
      const at = Number(/at ([\d.]+)/.exec(w.readText('redis-1', '/tmp/w.log')!)![1]);
      times.push(at - start);
    }
    // 20 fsyncs: ≈ 20 ms on the SSD preset, ≈ 200 ms on the HDD preset.
    expect(times[0]).toBeGreaterThan(19);
    expect(times[0]).toBeLessThan(25);
    expect(times[1]).toBeGreaterThan(199);
    expect(times[1]).toBeLessThan(210);
  });

  it('reads are asynchronous and cost disk time when the page cache is cold', async () => {
    const w = world({ hosts: [{ name: 'redis-1', ip: '10.0.0.11', disk: DISK_PRESETS.hdd, files: { '/data/big.rdb': 'x'.repeat(12 * 1024 * 1024) } }] });
    w.powerOff('redis-1');
    w.powerOn('redis-1');
    const t0 = w.now;
    const r = await w.exec('redis-1', 'reader /data/big.rdb');
    expect(r.output).toBe(`read ${12 * 1024 * 1024} bytes\n`);
    // 12 MB at 120 MB/s + 8 ms seek ≈ 108 ms
    expect(w.now - t0).toBeGreaterThan(100);
    const t1 = w.now;
    await w.exec('redis-1', 'reader /data/big.rdb');
    expect(w.now - t1).toBeLessThan(10);
    expect((await w.exec('redis-1', 'reader /nope')).output).toBe('error ENOENT\n');
  });

  it('processes see other processes\' files synchronously through the metadata mirror', async () => {
    const w = world();
    await w.exec('redis-1', 'echo hello > /tmp/x');
    const info = w.fileInfo('redis-1', '/tmp/x')!;
    expect(info.size).toBe(6);
    expect(info.dirty).toBe(true);
    expect(info.durableSize).toBe(0);
    await w.exec('redis-1', 'sync');
    expect(w.fileInfo('redis-1', '/tmp/x')!.durableSize).toBe(6);
  });
});
