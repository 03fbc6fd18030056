/**
 * Client pausing (CLIENT PAUSE, and the pauses SHUTDOWN and FAILOVER take), as in
 * networking.c's pauseClients()/unpauseClients().
 *
 * Each purpose holds its own pause (type WRITE or ALL, and an end time); the effective pause is
 * the most restrictive type among the live ones, ending at the furthest end of that type. A
 * paused server postpones commands in processCommand (all of them, or only those that may
 * write) and runs them again, in arrival order, when the pause becomes less restrictive or
 * ends. Expiry is noticed by the cron (or the next pause change), as in Redis, so commands
 * arriving just after the end time still wait for that moment.
 */
import type { RedisServer } from './server';

/**
 * 'migrate' stands for Redis blocking the whole server while MIGRATE talks to its target: see
 * cluster/migrate.ts.
 */
export type PausePurpose = 'client' | 'shutdown' | 'failover' | 'migrate';
export type PauseType = 'write' | 'all';

const RANK = { off: 0, write: 1, all: 2 } as const;

/** updateClientPauseTypeAndEndTime(). */
export function updatePause(server: RedisServer): void {
  const now = server.nowMs();
  const old = server.pauseType;
  let type: 'off' | PauseType = 'off';
  for (const [purpose, p] of server.pausePurposes) {
    if (p.endMs < now) server.pausePurposes.delete(purpose);
    else if (RANK[p.type] > RANK[type]) type = p.type;
  }
  let end = 0;
  for (const p of server.pausePurposes.values()) if (p.type === type && p.endMs > end) end = p.endMs;
  server.pauseType = type;
  server.pauseEndMs = type === 'off' ? 0 : end;
  server.pauseWriteOnly = type === 'write';
  if (RANK[type] < RANK[old]) server.unblockPostponedClients();
}

/** pauseClients(): extend (never shorten or relax) the pause of `purpose`. */
export function pauseClients(server: RedisServer, purpose: PausePurpose, endMs: number, type: PauseType): void {
  const p = server.pausePurposes.get(purpose);
  if (!p) server.pausePurposes.set(purpose, { type, endMs });
  else {
    if (RANK[type] > RANK[p.type]) p.type = type;
    if (endMs > p.endMs) p.endMs = endMs;
  }
  updatePause(server);
}

/** unpauseClients(). */
export function unpauseClients(server: RedisServer, purpose: PausePurpose): void {
  if (!server.pausePurposes.delete(purpose)) return;
  updatePause(server);
}

/** checkClientPauseTimeoutAndReturnIfPaused(). */
export function checkPauseTimeout(server: RedisServer): boolean {
  if (server.pauseType === 'off') return false;
  if (server.pauseEndMs < server.nowMs()) updatePause(server);
  return server.clientsPaused();
}
