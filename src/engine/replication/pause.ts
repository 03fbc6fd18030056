/**
 * The write pauses replication takes (pauseClients(PAUSE_DURING_FAILOVER / _SHUTDOWN,
 * LLONG_MAX, CLIENT_PAUSE_WRITE) in Redis), through the server's purpose-based pauses
 * (server/pause.ts): a FAILOVER or a SHUTDOWN waiting for replicas pauses writes without
 * disturbing a CLIENT PAUSE, and ending one does not end the other.
 */
import type { RedisServer } from '../server/server';
import { pauseClients, unpauseClients } from '../server/pause';

export type ReplicationPause = 'failover' | 'shutdown';

/** Pause writes until `unpauseWrites` with the same purpose. */
export function pauseWrites(server: RedisServer, purpose: ReplicationPause): void {
  pauseClients(server, purpose, Number.MAX_SAFE_INTEGER, 'write');
}

/** End the pause of `purpose`. */
export function unpauseWrites(server: RedisServer, purpose: ReplicationPause): void {
  unpauseClients(server, purpose);
}
