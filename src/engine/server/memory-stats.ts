/**
 * The server's memory accounting in Redis's terms (getMemoryOverheadData): used_memory is the
 * start-up baseline plus client buffers plus the dataset, where the dataset is estimated key by
 * key the way MEMORY USAGE does (keyspace/memory-usage.ts). RSS and allocator figures are
 * derived from it with fixed, plausible ratios: the engine has no allocator of its own to ask.
 *
 * Large keyspaces are sampled (1000 random keys per db, extrapolated) so INFO stays cheap.
 */
import type { RedisServer } from './server';
import { keyMemoryUsage } from '../keyspace/memory-usage';
import { encodeOptions } from '../persistence/snapshot';
import { scriptCacheOf } from './script-cache';
import { functionsMemoryBytes } from './function-lua';

/** used_memory right after start-up of a real 7.0 server. */
export const STARTUP_ALLOCATED = 876040;
/** Memory of an idle connected client (query buffer, reply buffer, struct). */
const CLIENT_BASE = 22272;
const SAMPLE_LIMIT = 1000;
/** Keyspaces up to this many keys are walked on every call instead of from the 100 ms cache. */
const FRESH_WALK_KEYS = 256;

export interface MemoryOverhead {
  total: number;
  startup: number;
  replBacklog: number;
  clientsSlaves: number;
  clientsNormal: number;
  clusterLinks: number;
  aofBuffer: number;
  luaCaches: number;
  functionsCaches: number;
  dbs: { id: number; overheadMain: number; overheadExpires: number }[];
  overheadTotal: number;
  keysCount: number;
  bytesPerKey: number;
  dataset: number;
  datasetPerc: number;
  peakPerc: number;
  peak: number;
}

const cache = new WeakMap<RedisServer, { atMs: number; bytes: number; keys: number }>();

/**
 * Σ MEMORY USAGE over the keyspace (sampled for big dbs). The walk is cached for 100 ms;
 * meanwhile the figure follows the key count at the walk's bytes per key, so keys written or
 * evicted in between show at once (maxmemory checks before every command, and a client adding
 * keys in a loop must see eviction keep used_memory under the limit, as zmalloc's counter does).
 */
export function datasetBytes(server: RedisServer): number {
  const now = server.os.now();
  const c = cache.get(server);
  let keys = 0;
  for (const db of server.dbs) keys += db.dict.size;
  // A small keyspace is walked every time: one big value (SETBIT far out) shows at once.
  if (c && keys > FRESH_WALK_KEYS && now - c.atMs < 100 && c.keys > 0) return c.keys === keys ? c.bytes : Math.round((c.bytes / c.keys) * keys);
  const layout = encodeOptions(server);
  let total = 0;
  for (const db of server.dbs) {
    if (db.dict.size === 0) continue;
    if (db.dict.size <= SAMPLE_LIMIT) {
      for (const [k, e] of db.dict) total += keyMemoryUsage(k, e, 5, layout);
    } else {
      let sum = 0, n = 0;
      const stride = db.dict.size / SAMPLE_LIMIT;
      let next = 0, i = 0;
      for (const [k, e] of db.dict) {
        if (i++ < next) continue;
        sum += keyMemoryUsage(k, e, 5, layout);
        n++;
        next += stride;
      }
      total += Math.floor((sum / n) * db.dict.size);
    }
  }
  cache.set(server, { atMs: now, bytes: total, keys });
  return total;
}

/**
 * Run an observer (src/engine/inspect.ts) so that it leaves no trace in the memory
 * bookkeeping: the dataset-size cache and the peak are what they were before.
 */
export function withoutMemoryBookkeeping<T>(server: RedisServer, fn: () => T): T {
  const cached = cache.get(server);
  const peak = server.peakMemory;
  try {
    return fn();
  } finally {
    if (cached) cache.set(server, cached);
    else cache.delete(server);
    server.peakMemory = peak;
  }
}

/** Hash table sizes (buckets) of each db's keys and expires dicts, as they grew. */
const tableSlots = new WeakMap<object, { main: number; expires: number }>();

/** The buckets a dict of `n` entries wants: the power of two (at least 4) that holds them. */
function wantedSlots(n: number): number {
  if (n === 0) return 0;
  let slots = 4;
  while (slots < n) slots *= 2;
  return slots;
}

/**
 * A dict's buckets after `n` entries, from `prev`: it shrinks when under 10% full
 * (htNeedsResize), and grows unless the bigger table would push used memory past maxmemory
 * while the load factor is still under 1.618 (dictExpandAllowed): a full server evicts
 * instead of spending 64 KB on a rehash.
 */
function nextSlots(prev: number, n: number, mayGrowBy: (bytes: number) => boolean, canResize: boolean): number {
  const want = wantedSlots(n);
  if (prev === 0 || want === 0) return want;
  if (want <= prev) return canResize && n * 10 < prev ? want : prev;
  // updateDictResizePolicy: while a child shares the parent's pages, a rehash would copy them
  // all, so tables grow only past dict_force_resize_ratio (5 entries a bucket) and never shrink.
  if (!canResize && Math.floor(n / prev) <= DICT_FORCE_RESIZE_RATIO) return prev;
  if (n > prev * 1.618 || mayGrowBy((want - prev) * 8)) return want;
  return prev;
}

const DICT_FORCE_RESIZE_RATIO = 5;

/** The buckets of a db's keys and expires tables as they stand now (DEBUG HTSTATS). */
export function dbTableSlots(server: RedisServer, db: object): { main: number; expires: number } {
  memoryOverhead(server);
  return tableSlots.get(db) ?? { main: 0, expires: 0 };
}

export function clientMemory(server: RedisServer, replicas: boolean): number {
  let total = 0;
  for (const c of server.clients.values()) {
    const isRepl = c.isReplica && !c.isMonitor;
    if (isRepl !== replicas) continue;
    total += CLIENT_BASE + c.parser.pendingBytes + c.parser.partialArgvBytes + c.out.len;
  }
  return total;
}

/** getMemoryOverheadData(). `extra` lets persistence/replication add their buffers. */
export function memoryOverhead(server: RedisServer, extra: { replBacklog?: number; aofBuffer?: number } = {}): MemoryOverhead {
  const maxmemory = server.config.get<number>('maxmemory');
  let growthBytes = 0;
  const canResize = !server.hasActiveChild();
  const sized = server.dbs.map((d) => {
    const prev = tableSlots.get(d) ?? { main: 0, expires: 0 };
    // Without optional growth first (a first sight, a shrink or a load over 1.618 still resize).
    const next = { main: nextSlots(prev.main, d.dict.size, () => false, canResize), expires: nextSlots(prev.expires, d.volatile.size, () => false, canResize) };
    return { d, prev, next };
  });
  const clientsNormal = clientMemory(server, false);
  const clientsSlaves = clientMemory(server, true);
  const replBacklog = extra.replBacklog ?? 0;
  const aofBuffer = extra.aofBuffer ?? 0;
  // stat_cluster_links_memory, summed by the cluster cron.
  const clusterLinks = server.cluster?.statLinksMemoryBytes ?? 0;
  const functionsCaches = functionsMemoryBytes(server);
  const luaCaches = scriptCacheOf(server).memoryBytes();
  const keysCount = server.dbs.reduce((n, d) => n + d.dict.size, 0);
  const keyBytes = datasetBytes(server);
  // The dict entries are already part of the per-db overhead.
  const dataset = Math.max(0, keyBytes - keysCount * 24);
  const entries = server.dbs.reduce((n, d) => n + (d.dict.size + d.volatile.size) * 24, 0);
  // Optional growth is decided against the memory used without it (overMaxmemoryAfterAlloc).
  let usedBefore = STARTUP_ALLOCATED + replBacklog + clientsSlaves + clientsNormal + clusterLinks + aofBuffer + functionsCaches + luaCaches + dataset + entries;
  for (const s of sized) usedBefore += (s.next.main + s.next.expires) * 8;
  const mayGrow = (bytes: number): boolean => !maxmemory || usedBefore + growthBytes + bytes - clientsSlaves - aofBuffer <= maxmemory;
  for (const s of sized) {
    for (const which of ['main', 'expires'] as const) {
      const n = which === 'main' ? s.d.dict.size : s.d.volatile.size;
      const grown = nextSlots(s.prev[which], n, mayGrow, canResize);
      if (grown > s.next[which]) growthBytes += (grown - s.next[which]) * 8;
      s.next[which] = grown;
    }
    tableSlots.set(s.d, s.next);
  }
  const dbs = sized.filter((s) => s.d.dict.size > 0 || s.d.volatile.size > 0)
    .map((s) => ({ id: s.d.id, overheadMain: s.next.main * 8 + s.d.dict.size * 24, overheadExpires: s.next.expires * 8 + s.d.volatile.size * 24 }));
  const dbOverhead = dbs.reduce((n, d) => n + d.overheadMain + d.overheadExpires, 0);
  const overheadTotal = STARTUP_ALLOCATED + replBacklog + clientsSlaves + clientsNormal + clusterLinks + aofBuffer + functionsCaches + luaCaches + dbOverhead;
  const total = overheadTotal + dataset;
  if (total > server.peakMemory) server.peakMemory = total;
  const net = total - STARTUP_ALLOCATED;
  return {
    total, startup: STARTUP_ALLOCATED, replBacklog, clientsSlaves, clientsNormal, clusterLinks, aofBuffer,
    luaCaches, functionsCaches, dbs, overheadTotal, keysCount,
    bytesPerKey: keysCount ? Math.floor(net / keysCount) : 0,
    dataset, datasetPerc: net > 0 ? (dataset * 100) / net : 0,
    peak: server.peakMemory, peakPerc: (total * 100) / server.peakMemory,
  };
}

/** Allocator and RSS figures derived from used_memory (no real allocator to ask). */
export function allocatorFigures(used: number): { allocated: number; active: number; resident: number; rss: number } {
  const allocated = used + 760_000;
  const active = Math.floor(allocated * 1.08);
  const resident = active + 2_600_000;
  const rss = resident + 7_800_000;
  return { allocated, active, resident, rss };
}
