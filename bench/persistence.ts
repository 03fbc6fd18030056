/**
 * RDB save/load throughput and 1M-key save/load wall time, run inline (no child process) on
 * a server whose Os is the in-memory test Os, so only the engine's own work is measured.
 */
import { createServer } from '../src/engine/programs/redis-server';
import { Config } from '../src/engine/config/config';
import { snapshotRdb } from '../src/engine/persistence/snapshot';
import { loadRdbIntoServer } from '../src/engine/persistence/rdb-load';
import { RHash, RList, RSet, RZSet } from '../src/engine/keyspace/values';
import { MemoryOs } from '../test/support/memory-os';
import type { RedisServer } from '../src/engine/server/server';

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

function measure(label: string, keys: number, fill: (s: RedisServer, n: number) => void): void {
  const src = newServer();
  fill(src, keys);
  const t0 = performance.now();
  const bytes = snapshotRdb(src, { aofBase: false, withReplInfo: false });
  const saveMs = performance.now() - t0;
  const dst = newServer();
  const t1 = performance.now();
  const stats = loadRdbIntoServer(dst, bytes, 'dump.rdb');
  const loadMs = performance.now() - t1;
  const mb = bytes.length / (1024 * 1024);
  console.log(`${label}: ${keys} keys, ${mb.toFixed(1)} MB RDB`);
  console.log(`  save ${saveMs.toFixed(0)} ms (${(mb / (saveMs / 1000)).toFixed(1)} MB/s, ${(keys / (saveMs / 1000) / 1e6).toFixed(2)} M keys/s)`);
  console.log(`  load ${loadMs.toFixed(0)} ms (${(mb / (loadMs / 1000)).toFixed(1)} MB/s, ${(keys / (loadMs / 1000) / 1e6).toFixed(2)} M keys/s), ${stats.keysLoaded} keys loaded`);
}

export async function run(): Promise<void> {
  measure('1M string keys', 1_000_000, fillStrings);
  measure('200k mixed keys (strings, small hashes/lists/sets/zsets)', 200_000, fillMixed);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
