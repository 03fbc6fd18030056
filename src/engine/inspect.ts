/**
 * Read-only inspection of a running server, for observers outside the protocol: the lesson
 * checks (role, INFO fields, keys, config, log) and the UI's inspector. An observer is not a
 * client: nothing here counts a command, touches a key's LRU clock, expires a key, counts a
 * keyspace hit or miss, propagates anything or writes a reply. Two runs of a world, one with an
 * observer and one without, stay identical.
 *
 * The simulation runs a query between rounds, in the process that owns the server (in the
 * browser, inside that process's worker), with the process's clock set to the world's time.
 * Servers are found through the process's Os: `createServer` registers each server it builds.
 *
 * Queries are plain data (`RedisQuery`) so they can cross a worker boundary; answers are plain
 * data too. Byte strings (keys, values) stay byte strings; callers decode them.
 */
import type { Os } from './os';
import type { RedisServer } from './server/server';
import { genInfoString } from './commands/info';
import { typeName, type RedisValue } from './keyspace/values';
import { withoutMemoryBookkeeping } from './server/memory-stats';

const servers = new WeakMap<Os, RedisServer>();

/** Called by createServer: the server this process runs (a process runs at most one). */
export function registerForInspection(os: Os, server: RedisServer): void {
  servers.set(os, server);
}

/** The server a process runs, or null (not a server, or not started yet). */
export function inspectedServer(os: Os): RedisServer | null {
  return servers.get(os) ?? null;
}

export type Role = 'master' | 'slave' | 'sentinel';

/** The first element of ROLE. */
export function serverRole(s: RedisServer): Role {
  if (s.sentinelMode) return 'sentinel';
  return s.isReplica() ? 'slave' : 'master';
}

/**
 * `INFO <section>` as field → value text, rendered by the INFO command's own code. The section
 * is one INFO argument ("server", "replication", "everything"...). Rendering INFO memory
 * updates the peak-memory estimate (as Redis's INFO does) and the engine's dataset-size cache;
 * an observer must not, so both are put back.
 */
export function infoFields(s: RedisServer, section: string): Record<string, string> {
  const text = withoutMemoryBookkeeping(s, () => genInfoString(s, [section]));
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

export interface KeyState {
  type: 'string' | 'list' | 'hash' | 'set' | 'zset';
  /** A string key's value (byte string); null for other types. */
  value: string | null;
  /** STRLEN, LLEN, HLEN, SCARD or ZCARD. */
  length: number;
  /** Milliseconds to live, or null without expiry. */
  ttlMs: number | null;
}

/** A key as a client would see it now (a logically expired key does not exist), untouched. */
export function keyState(s: RedisServer, db: number, key: string, nowMs: number): KeyState | null {
  const d = s.dbs[db];
  const e = d?.getEntry(key);
  if (!e) return null;
  if (e.exp !== -1 && !s.loading && nowMs > e.exp) return null;
  const v = e.v;
  return { type: typeName(v), value: typeof v === 'string' ? v : null, length: valueLength(v), ttlMs: e.exp === -1 ? null : e.exp - nowMs };
}

function valueLength(v: RedisValue): number {
  if (typeof v === 'string') return v.length;
  switch (v.type) {
    case 'list': return v.length;
    case 'hash': return v.map.size;
    case 'set': return v.size;
    case 'zset': return v.length;
  }
}

/** The values of string keys (null: missing, expired, or another type), like MGET without side effects. */
export function stringValues(s: RedisServer, db: number, keys: readonly string[], nowMs: number): (string | null)[] {
  return keys.map((k) => keyState(s, db, k, nowMs)?.value ?? null);
}

/** DBSIZE: the keys in the database, including expired ones not yet reclaimed (as Redis counts). */
export function dbSize(s: RedisServer, db: number): number {
  return s.dbs[db]?.size ?? 0;
}

/** CONFIG GET of one parameter by name or alias, or null when there is no such parameter. */
export function configValue(s: RedisServer, name: string): string | null {
  return s.config.lookupEntry(name) ? s.config.format(name) : null;
}

/** The server's recent log lines (the last thousand), oldest first. */
export function recentLog(s: RedisServer): string[] {
  return [...s.log.recent];
}

/** A query as data, so it can be sent to the process that owns the server. */
export type RedisQuery =
  | { op: 'role' }
  | { op: 'info'; section: string }
  | { op: 'key'; db: number; key: string }
  | { op: 'values'; db: number; keys: string[] }
  | { op: 'dbsize'; db: number }
  | { op: 'config'; name: string }
  | { op: 'log' };

/** Answer one query; null when the process runs no server. */
export function runRedisQuery(os: Os, q: RedisQuery, nowMs: number): unknown {
  const s = inspectedServer(os);
  if (!s) return null;
  switch (q.op) {
    case 'role': return serverRole(s);
    case 'info': return infoFields(s, q.section);
    case 'key': return keyState(s, q.db, q.key, nowMs);
    // Like MGET: no answer while the server loads its data or has not started serving.
    case 'values': return s.loading || !s.servingClients ? null : stringValues(s, q.db, q.keys, nowMs);
    case 'dbsize': return dbSize(s, q.db);
    case 'config': return configValue(s, q.name);
    case 'log': return recentLog(s);
  }
}
