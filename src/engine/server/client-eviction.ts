/**
 * Client eviction (maxmemory-clients, evictClients in networking.c): when the normal and pub/sub
 * clients together use more memory than the limit, the biggest evictable ones are closed, one
 * after another, until they fit. A client is evictable unless it said CLIENT NO-EVICT on (or
 * has no connection: the script and AOF clients). Runs before each command (ahead of key
 * eviction) and before the server sleeps.
 *
 * As Redis, the figures are the memory recorded for each client when its buffers last changed
 * (or the cron last measured it), and the evictable clients sit in power-of-two memory
 * buckets: the top bucket is emptied first, in the order its clients joined it.
 */
import type { RedisServer } from './server';
import type { Client } from './client';
import { clientMemoryUsage, clientTypeName } from './client-info';
import { closeOnOutputBufferLimit } from './clients-cron';

/** getClientEvictionLimit(): bytes, or a percentage of maxmemory; never under 128 KiB; 0 = off. */
export function clientEvictionLimitBytes(server: RedisServer): number {
  // Read before every command: the hot copies, not a lookup by name.
  const setting = server.hot.maxmemoryClients;
  const maxmemory = server.hot.maxmemory;
  let limit: number;
  if (setting < 0 && maxmemory > 0) limit = Math.floor(maxmemory * (-setting / 100));
  else if (setting > 0) limit = setting;
  else return 0;
  return Math.max(limit, 128 * 1024);
}

/** CLIENT_MEM_USAGE_BUCKET_MIN_LOG / MAX_LOG: buckets from "up to 32 KiB" to "4 GiB and more". */
const BUCKET_MIN_LOG = 15;
const BUCKET_MAX_LOG = 33;
const BUCKETS = 1 + BUCKET_MAX_LOG - BUCKET_MIN_LOG;

/**
 * The memory Redis last measured for each client (last_memory_usage) and the per-type sums
 * (stat_clients_type_memory), plus the memory usage buckets of the evictable clients: lists of
 * clients whose memory has the same bit length, a client joining the tail of its bucket's list
 * whenever it changes bucket. Eviction reads these recorded figures, not live ones.
 */
export class ClientMemoryTracking {
  readonly buckets: Set<Client>[] = Array.from({ length: BUCKETS }, () => new Set<Client>());
  readonly typeTotals = new Map<string, number>();
  readonly last = new Map<Client, { bytes: number; type: string; bucket: number }>();

  total(type: string): number { return this.typeTotals.get(type) ?? 0; }
}

/** getMemUsageBucket(): log2 of the size, clamped to the bucket range. */
export function memUsageBucket(bytes: number): number {
  const bits = bytes > 0 ? Math.floor(Math.log2(bytes)) + 1 : 0;
  return Math.min(BUCKET_MAX_LOG, Math.max(BUCKET_MIN_LOG, bits)) - BUCKET_MIN_LOG;
}

function tracked(server: RedisServer, c: Client): { bytes: number; type: string; bucket: number } {
  const m = server.clientMemory;
  let t = m.last.get(c);
  if (!t) { t = { bytes: 0, type: 'normal', bucket: -1 }; m.last.set(c, t); }
  return t;
}

/** updateClientMemoryUsage(): measure the client now and move its bytes to its current type. */
export function updateClientMemoryUsage(server: RedisServer, c: Client): void {
  const m = server.clientMemory;
  const t = tracked(server, c);
  const bytes = clientMemoryUsage(c);
  const type = clientTypeName(c);
  m.typeTotals.set(t.type, m.total(t.type) - t.bytes);
  m.typeTotals.set(type, m.total(type) + bytes);
  t.bytes = bytes;
  t.type = type;
}

/** clientEvictionAllowed(): eviction on, no NO-EVICT, a normal or pub/sub connection. */
function evictionAllowed(server: RedisServer, c: Client): boolean {
  if (server.hot.maxmemoryClients === 0 || c.noEvict || !c.socket) return false;
  const type = clientTypeName(c);
  return type === 'normal' || type === 'pubsub';
}

/** removeClientFromMemUsageBucket(c, 0). */
export function removeFromMemUsageBucket(server: RedisServer, c: Client): void {
  const t = server.clientMemory.last.get(c);
  if (!t || t.bucket < 0) return;
  server.clientMemory.buckets[t.bucket].delete(c);
  t.bucket = -1;
}

/**
 * updateClientMemUsageAndBucket(): after the client's buffers changed (a command processed,
 * input read, output written, a push delivered). A client that may not be evicted leaves its
 * bucket and keeps its recorded memory (the cron measures it); returns whether it may be.
 */
export function updateClientMemUsageAndBucket(server: RedisServer, c: Client): boolean {
  if (!evictionAllowed(server, c)) {
    removeFromMemUsageBucket(server, c);
    return false;
  }
  if (!server.clients.has(c.id)) return false;
  updateClientMemoryUsage(server, c);
  const t = tracked(server, c);
  const bucket = memUsageBucket(t.bytes);
  if (bucket !== t.bucket) {
    if (t.bucket >= 0) server.clientMemory.buckets[t.bucket].delete(c);
    server.clientMemory.buckets[bucket].add(c);
    t.bucket = bucket;
  }
  return true;
}

/**
 * A reply was appended for `c` (by its command, a push, a published message): as
 * _addReplyProtoToList, a reply list past the output buffer limits schedules the client to be
 * closed (no more replies are added to it), then its memory is recorded. Replicas are left to
 * the write path.
 */
export function afterReplyAppended(server: RedisServer, c: Client): void {
  if (!server.clients.has(c.id)) return;
  if (!c.isReplica && !c.isMaster) closeOnOutputBufferLimit(server, c, true);
  updateClientMemUsageAndBucket(server, c);
}

/** freeClient(): its recorded memory leaves the sums, and it leaves its bucket. */
export function forgetClientMemory(server: RedisServer, c: Client): void {
  const m = server.clientMemory;
  const t = m.last.get(c);
  if (!t) return;
  m.typeTotals.set(t.type, m.total(t.type) - t.bytes);
  if (t.bucket >= 0) m.buckets[t.bucket].delete(c);
  m.last.delete(c);
}

/** CONFIG SET maxmemory-clients: every client is measured into its bucket, or all leave them. */
export function applyClientMaxMemoryUsage(server: RedisServer): void {
  for (const c of server.clients.values()) {
    if (server.hot.maxmemoryClients === 0) removeFromMemUsageBucket(server, c);
    else updateClientMemUsageAndBucket(server, c);
  }
}

/**
 * evictClients(): while the recorded memory of the normal and pub/sub clients is at or over
 * the limit, close clients from the highest bucket down, each bucket in list order.
 */
export function evictClients(server: RedisServer): void {
  const limit = clientEvictionLimitBytes(server);
  if (limit === 0) return;
  const m = server.clientMemory;
  const over = () => m.total('normal') + m.total('pubsub') >= limit;
  if (!over()) return;
  for (let b = BUCKETS - 1; b >= 0; b--) {
    for (const c of m.buckets[b]) {
      if (!over()) return;
      server.log.notice(`Evicting client: ${server.clientInfoString(c)}`);
      server.freeClient(c);
      server.stats.evictedClients++;
    }
  }
  if (over()) server.log.warning('Over client maxmemory after evicting all evictable clients');
}
