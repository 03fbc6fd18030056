/**
 * Client eviction (maxmemory-clients, evictClients in networking.c): when the normal and pub/sub
 * clients together use more memory than the limit, the biggest evictable ones are closed, one
 * after another, until they fit. A client is evictable unless it said CLIENT NO-EVICT on (or
 * has no connection: the script and AOF clients). Runs before each command (ahead of key
 * eviction) and before the server sleeps.
 *
 * Redis keeps the clients in power-of-two memory buckets and evicts from the top bucket down;
 * we sort by memory, which evicts the same clients except for the order within one bucket.
 */
import type { RedisServer } from './server';
import type { Client } from './client';
import { clientMemoryUsage, clientTypeName } from './client-info';

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

/** evictClients(). */
export function evictClients(server: RedisServer): void {
  const limit = clientEvictionLimitBytes(server);
  if (limit === 0) return;
  let total = 0;
  const pool: { c: Client; mem: number }[] = [];
  for (const c of server.clients.values()) {
    const type = clientTypeName(c);
    if (type !== 'normal' && type !== 'pubsub') continue;
    const mem = clientMemoryUsage(c);
    total += mem;
    if (!c.noEvict && c.socket && !c.closeAsap) pool.push({ c, mem });
  }
  if (total < limit) return;
  pool.sort((a, b) => b.mem - a.mem);
  for (const { c, mem } of pool) {
    if (total < limit) return;
    server.log.notice(`Evicting client: ${server.clientInfoString(c)}`);
    server.freeClient(c);
    server.stats.evictedClients++;
    total -= mem;
  }
  if (total >= limit) server.log.warning('Over client maxmemory after evicting all evictable clients');
}
