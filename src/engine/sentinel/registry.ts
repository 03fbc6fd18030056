/** Which server runs which sentinel (a process runs at most one). */
import type { RedisServer } from '../server/server';
import type { SentinelState } from './state';

const states = new WeakMap<RedisServer, SentinelState>();

export function registerSentinel(server: RedisServer, st: SentinelState): void {
  states.set(server, st);
}

/** The sentinel state of a server in Sentinel mode, or null. */
export function sentinelStateOf(server: RedisServer): SentinelState | null {
  return states.get(server) ?? null;
}
