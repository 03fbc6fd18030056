/**
 * Turning the live dataset into RDB bytes and back, with the server's configuration:
 * encoding options and load thresholds from the config, the used-memory figure for the
 * `used-mem` AUX field, and the modelled CPU cost of (de)serialising.
 */
import type { RedisServer } from '../server/server';
import type { Os } from '../os';
import type { EncodeOptions } from './rdb/encoder';
import type { LoadLimits } from './rdb/decoder';
import { writeRdbFile } from './rdb/file-writer';
import { persistenceOf, unixtime } from './state';
import { memoryOverhead } from '../server/memory-stats';
import { debugState } from '../commands/debug';

/**
 * Modelled CPU speeds, in bytes per millisecond. The simulation charges these through
 * os.busy so that saving and loading big datasets takes visible virtual time (the disk
 * transfer itself is charged by the simulated disk). Real Redis does roughly this order of
 * magnitude on one core.
 */
export const COST = {
  rdbSaveBytesPerMs: 200_000,
  rdbLoadBytesPerMs: 100_000,
  aofLoadBytesPerMs: 50_000,
  aofRewriteBytesPerMs: 150_000,
  /** Redis serves clients every 2 MB while loading (loading-process-events-interval-bytes). */
  loadingEventsIntervalBytes: 2 * 1024 * 1024,
};

export function encodeOptions(server: RedisServer): EncodeOptions {
  return {
    compression: server.config.get<boolean>('rdbcompression'),
    listFill: server.config.get<number>('list-max-listpack-size'),
    packedThreshold: debugState(server).quicklistPackedThreshold,
  };
}

/** DEBUG SET-SKIP-CHECKSUM-VALIDATION. */
export function skipChecksumValidation(server: RedisServer): boolean {
  return debugState(server).skipChecksumValidation;
}

export function loadLimits(server: RedisServer): LoadLimits {
  const c = server.config;
  return {
    hashMaxListpackEntries: c.get<number>('hash-max-listpack-entries'),
    hashMaxListpackValue: c.get<number>('hash-max-listpack-value'),
    setMaxIntsetEntries: c.get<number>('set-max-intset-entries'),
    zsetMaxListpackEntries: c.get<number>('zset-max-listpack-entries'),
    zsetMaxListpackValue: c.get<number>('zset-max-listpack-value'),
  };
}

/** A config value that may not exist in every build of the table (debug-only knobs). */
/**
 * The time a forked child sleeps for the hidden `rdb-key-save-delay` (microseconds after each
 * key, debugDelay()): a negative value sleeps 1 us once every |value| keys, statistically.
 * The tests use it to keep a BGSAVE, an AOF rewrite or a diskless transfer running for seconds.
 */
export function keySaveDelayMs(server: RedisServer, keys: number): number {
  const us = optionalConfig(server, 'rdb-key-save-delay', 0);
  if (us === 0 || keys === 0) return 0;
  return us > 0 ? keys * us / 1000 : keys / -us / 1000;
}

/**
 * A forked child spends `ms` (its CPU work, or debugDelay's sleeps): the simulation charges it
 * to the child's virtual clock through os.busy; the native host, whose busy() is a no-op (its
 * children run inside the parent's Node process, so they cannot block), waits what the clock
 * did not advance on a timer, so the child really lasts that long and the parent keeps serving.
 */
export async function childSpend(cos: Os, ms: number): Promise<void> {
  if (!(ms > 0)) return;
  const startMs = cos.now();
  cos.busy(ms);
  const leftMs = ms - (cos.now() - startMs);
  if (leftMs > 1) await new Promise<void>((resolve) => { cos.setTimer(leftMs, resolve); });
}

export function optionalConfig(server: RedisServer, name: string, fallback: number): number {
  return server.config.lookup(name) ? server.config.get<number>(name) : fallback;
}

/** used_memory as INFO reports it (for the `used-mem` AUX field and its load-time log line). */
export function usedMemory(server: RedisServer): number {
  return memoryOverhead(server, { aofBuffer: persistenceOf(server).aofBuf.len }).total;
}

function evictionHints(server: RedisServer): 'lru' | 'lfu' | null {
  const p = server.config.get<string>('maxmemory-policy');
  if (p.includes('lru')) return 'lru';
  if (p.includes('lfu')) return 'lfu';
  return null;
}

/** The RDB image of the current dataset (what a fork would see right now). */
export function snapshotRdb(server: RedisServer, opts: { aofBase: boolean; withReplInfo: boolean }): Uint8Array {
  const st = persistenceOf(server);
  return writeRdbFile(server.dbs, {
    encode: encodeOptions(server),
    aofBase: opts.aofBase,
    repl: opts.withReplInfo && st.replInfo ? st.replInfo() : null,
    ctimeSec: unixtime(server),
    usedMemory: usedMemory(server),
    checksum: server.config.get<boolean>('rdbchecksum'),
    evictionHints: evictionHints(server),
    lruClock: server.lruClock(),
    functions: st.functions,
  });
}

/** Number of keys in all databases (current_save_keys_total). */
export function totalKeys(server: RedisServer): number {
  let n = 0;
  for (const db of server.dbs) n += db.dict.size;
  return n;
}
