/**
 * The write pauses replication takes (pauseClients(PAUSE_DURING_FAILOVER / _SHUTDOWN,
 * LLONG_MAX, CLIENT_PAUSE_WRITE) in Redis), in one place: this branch's server has a single
 * pause (pauseEndMs / pauseWriteOnly); the purpose-based pauses of server/pause.ts (branch
 * server-core) map one to one: pauseClients(server, purpose, Infinity, 'write') and
 * unpauseClients(server, purpose).
 */
import type { RedisServer } from '../server/server';

export type ReplicationPause = 'failover' | 'shutdown';

const held = new WeakMap<RedisServer, Set<ReplicationPause>>();

/** Pause writes until `unpauseWrites` with the same purpose. */
export function pauseWrites(server: RedisServer, purpose: ReplicationPause): void {
  let set = held.get(server);
  if (!set) { set = new Set(); held.set(server, set); }
  set.add(purpose);
  server.pauseEndMs = Number.MAX_SAFE_INTEGER;
  server.pauseWriteOnly = true;
}

/** End the pause of `purpose`; writes resume when no other replication pause holds. */
export function unpauseWrites(server: RedisServer, purpose: ReplicationPause): void {
  const set = held.get(server);
  if (!set?.delete(purpose) || set.size > 0) return;
  if (server.pauseEndMs === Number.MAX_SAFE_INTEGER) server.unpauseClients();
}
