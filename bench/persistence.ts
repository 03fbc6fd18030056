/**
 * RDB save/load throughput and 1M-key save/load wall time, run inline (no child process) on
 * a server whose Os is the in-memory test Os, so only the engine's own work is measured:
 * serialising the dataset into an RDB image, and parsing one into fresh databases. Mixed
 * keys are strings plus small hashes, lists, sets and sorted sets (10 elements each).
 */
import { createServer } from '../src/engine/programs/redis-server';
import { Config } from '../src/engine/config/config';
import { snapshotRdb } from '../src/engine/persistence/snapshot';
import { loadRdbIntoServer } from '../src/engine/persistence/rdb-load';
import { RHash, RList, RSet, RZSet } from '../src/engine/keyspace/values';
import { MemoryOs } from '../test/support/memory-os';
import type { RedisServer } from '../src/engine/server/server';
import type { Measurement } from './run';

function newServer(): RedisServer {
  const config = new Config();
  config.setRaw('save', []);
  return createServer(new MemoryOs(), { config });
}

function fillStrings(server: RedisServer, n: number): void {
  const db = server.dbs[0];
  for (let i = 0; i < n; i++) db.add(`key:${i}`, `value:${i}:${'x'.repeat(i % 16)}`);
}

function fillMixed(server: RedisServer, n: number): void {
  const db = server.dbs[0];
  for (let i = 0; i < n; i++) {
    switch (i % 5) {
      case 0: db.add(`s:${i}`, `value-${i}`); break;
      case 1: { const h = new RHash(); for (let j = 0; j < 10; j++) h.map.set(`f${j}`, `v${i}-${j}`); db.add(`h:${i}`, h); break; }
      case 2: db.add(`l:${i}`, new RList(Array.from({ length: 10 }, (_, j) => `e${i}-${j}`))); break;
      case 3: { const s = new RSet(); for (let j = 0; j < 10; j++) s.set.add(String(i * 10 + j)); db.add(`set:${i}`, s); break; }
      default: { const z = new RZSet(); for (let j = 0; j < 10; j++) z.set(`m${j}`, j * 1.5); db.add(`z:${i}`, z); }
    }
  }
}

function measure(label: string, keys: number, fill: (s: RedisServer, n: number) => void, targetMs?: number): Measurement[] {
  const src = newServer();
  fill(src, keys);
  const t0 = performance.now();
  const bytes = snapshotRdb(src, { aofBase: false, withReplInfo: false });
  const saveMs = performance.now() - t0;
  const dst = newServer();
  const t1 = performance.now();
  const stats = loadRdbIntoServer(dst, bytes, 'dump.rdb');
  const loadMs = performance.now() - t1;
  if (stats.keysLoaded !== keys) throw new Error(`loaded ${stats.keysLoaded} of ${keys} keys`);
  const mb = bytes.length / (1024 * 1024);
  const note = `${keys} keys, ${mb.toFixed(1)} MB RDB`;
  return [
    { name: `${label}: RDB save (serialise)`, value: saveMs, unit: 'ms', target: targetMs, note },
    { name: `${label}: RDB save throughput`, value: mb / (saveMs / 1000), unit: "MB/s" },
    { name: `${label}: RDB load (parse + insert)`, value: loadMs, unit: 'ms', target: targetMs, note },
    { name: `${label}: RDB load throughput`, value: mb / (loadMs / 1000), unit: 'MB/s' },
  ];
}

/** 1M small string keys (target: < 3 s each way) and a mixed dataset. */
export default async function run(): Promise<Measurement[]> {
  return [
    ...measure('1M string keys', 1_000_000, fillStrings, 3000),
    ...measure('200k mixed keys', 200_000, fillMixed),
  ];
}
