/**
 * Read-only inspection of a running server, for observers outside the protocol: the lesson
 * checks (role, INFO fields, keys, config, log) and the UI (its topology's per-server summary,
 * its inspector's INFO sections, keyspace listing and log). An observer is not a
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
import { serverMachines, type MachineInstance } from './machine-watch';
import { replState, replicaInfo } from './replication/state';
import { CLUSTER_OK } from './cluster/cluster';
import { genInfoString } from './commands/info';
import { typeName, type RedisValue } from './keyspace/values';
import { stringEncoding, type Entry } from './keyspace/db';
import { withoutMemoryBookkeeping } from './server/memory-stats';
import { clusterView } from './cluster/inspect';
import { sentinelInfoString } from './sentinel/info';
import { sentinelStateOf } from './sentinel/registry';
import { recordedEventsSince } from './sentinel/events';
import { sentinelSummary } from './sentinel/summary';

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
  return parseInfoText(infoText(s, [section]));
}

/**
 * The text `INFO <sections...>` prints (section titles included), with the same care for the
 * memory bookkeeping as `infoFields`. No sections: INFO's default ones.
 */
export function infoText(s: RedisServer, sections: readonly string[]): string {
  // A sentinel's INFO has its own sections (sentinelInfoCommand), among them `sentinel`.
  if (s.sentinelMode) return withoutMemoryBookkeeping(s, () => sentinelInfoString(s, sections));
  return withoutMemoryBookkeeping(s, () => genInfoString(s, [...sections]));
}

function parseInfoText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

/** What a watcher shows of a server at a glance (the UI's topology and plots), from its INFO. */
export interface ServerSummary {
  role: Role;
  port: number;
  /** Replication offset: master_repl_offset on a master, slave_repl_offset on a replica. */
  replOffset: number;
  masterHost: string | null;
  masterPort: number | null;
  linkStatus: string | null;
  connectedSlaves: number;
  connectedClients: number;
  opsPerSec: number;
  totalCommands: number;
  /** Keys over every database (as DBSIZE counts them). */
  keys: number;
  usedMemory: number;
  loading: boolean;
  bgsave: boolean;
  aofRewrite: boolean;
  aofEnabled: boolean;
  /** The engine's state machines this server runs, with their live states (machine-watch.ts). */
  machines: MachineInstance[];
  /** Long work in progress, from INFO and the transfer's own counters. */
  progress: WorkProgress;
  /** The replication backlog (INFO repl_backlog_*). */
  backlog: { active: boolean; sizeBytes: number; firstByteOffset: number; histlenBytes: number };
  /** CLUSTER INFO at a glance, or null when cluster mode is off. */
  cluster: { state: 'ok' | 'fail'; knownNodes: number; size: number; myEpoch: number } | null;
}

/** Work that takes a while, as INFO reports it (-1 / null: not in progress). */
export interface WorkProgress {
  /** A replica receiving the RDB (master_sync_read_bytes / master_sync_total_bytes; total -1 while unknown, or for a diskless transfer). */
  syncReadBytes: number;
  syncTotalBytes: number;
  /** A master sending an RDB to its replicas (bytes of the payload sent so far, per replica). */
  sending: { replica: string; sentBytes: number; totalBytes: number }[];
  /** Loading the RDB or AOF (loading_loaded_bytes / loading_total_bytes, loading_loaded_perc). */
  loadingLoadedBytes: number;
  loadingTotalBytes: number;
  loadingPerc: number;
  /** Seconds the current BGSAVE / AOF rewrite has run (rdb_current_bgsave_time_sec, aof_current_rewrite_time_sec). */
  bgsaveSeconds: number;
  aofRewriteSeconds: number;
  /** current_save_keys_processed / current_save_keys_total. */
  saveKeysProcessed: number;
  saveKeysTotal: number;
}

/** The master side of full syncs in progress: each replica's bulk payload sent so far. */
function bulkSending(s: RedisServer): WorkProgress['sending'] {
  if (s.sentinelMode) return [];
  const out: WorkProgress['sending'] = [];
  const st = replState(s);
  // Diskless: the parent relays the child's payload to each replica of the transfer.
  const socket = st.socketTransfer;
  for (const c of st.replicas) {
    const r = replicaInfo(c);
    if (r.state !== 'send_bulk' && r.state !== 'wait_bgsave_end') continue;
    const ip = r.announcedIp ?? c.addr.slice(0, c.addr.lastIndexOf(':'));
    const replica = `${ip}:${r.listeningPort ?? 0}`;
    if (r.bulk) out.push({ replica, sentBytes: r.bulk.sent, totalBytes: r.bulk.bytes.length });
    else if (socket && socket.sent.has(c)) out.push({ replica, sentBytes: socket.sent.get(c)!, totalBytes: socket.payload.length });
    else out.push({ replica, sentBytes: 0, totalBytes: -1 });
  }
  return out;
}

export function serverSummary(s: RedisServer): ServerSummary {
  const f = parseInfoText(infoText(s, ['server', 'clients', 'memory', 'persistence', 'stats', 'replication']));
  const num = (k: string) => (f[k] === undefined ? 0 : Number(f[k]) || 0);
  const role = serverRole(s);
  let keys = 0;
  for (const db of s.dbs) keys += db.size;
  return {
    role,
    port: num('tcp_port'),
    replOffset: role === 'slave' ? num('slave_repl_offset') : num('master_repl_offset'),
    masterHost: f.master_host ?? null,
    masterPort: f.master_port === undefined ? null : num('master_port'),
    linkStatus: f.master_link_status ?? null,
    connectedSlaves: num('connected_slaves'),
    connectedClients: num('connected_clients'),
    opsPerSec: num('instantaneous_ops_per_sec'),
    totalCommands: num('total_commands_processed'),
    keys,
    usedMemory: num('used_memory'),
    loading: f.loading === '1',
    bgsave: f.rdb_bgsave_in_progress === '1',
    aofRewrite: f.aof_rewrite_in_progress === '1',
    aofEnabled: f.aof_enabled === '1',
    machines: serverMachines(s),
    progress: {
      syncReadBytes: f.master_sync_read_bytes === undefined ? -1 : num('master_sync_read_bytes'),
      syncTotalBytes: f.master_sync_total_bytes === undefined ? -1 : num('master_sync_total_bytes'),
      sending: bulkSending(s),
      loadingLoadedBytes: f.loading === '1' ? num('loading_loaded_bytes') : -1,
      loadingTotalBytes: f.loading === '1' ? num('loading_total_bytes') : -1,
      loadingPerc: f.loading === '1' ? num('loading_loaded_perc') : -1,
      bgsaveSeconds: f.rdb_current_bgsave_time_sec === undefined ? -1 : num('rdb_current_bgsave_time_sec'),
      aofRewriteSeconds: f.aof_current_rewrite_time_sec === undefined ? -1 : num('aof_current_rewrite_time_sec'),
      saveKeysProcessed: num('current_save_keys_processed'),
      saveKeysTotal: num('current_save_keys_total'),
    },
    backlog: {
      active: f.repl_backlog_active === '1',
      sizeBytes: num('repl_backlog_size'),
      firstByteOffset: num('repl_backlog_first_byte_offset'),
      histlenBytes: num('repl_backlog_histlen'),
    },
    cluster: s.cluster ? {
      state: s.cluster.state === CLUSTER_OK ? 'ok' : 'fail',
      knownNodes: s.cluster.nodes.size,
      size: s.cluster.size,
      myEpoch: s.cluster.myself.configEpoch,
    } : null,
  };
}

export interface KeyState {
  type: 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';
  /** A string key's value (byte string); null for other types. */
  value: string | null;
  /** STRLEN, LLEN, HLEN, SCARD, ZCARD or XLEN. */
  length: number;
  /** Milliseconds to live, or null without expiry. */
  ttlMs: number | null;
}

/** A key as a client would see it now (a logically expired key does not exist), untouched. */
export function keyState(s: RedisServer, db: number, key: string, nowMs: number): KeyState | null {
  const d = s.dbs[db];
  const e = d?.getEntry(key);
  if (!e || !alive(s, e, nowMs)) return null;
  const v = e.v;
  return { type: typeName(v), value: typeof v === 'string' ? v : null, length: valueLength(v), ttlMs: e.exp === -1 ? null : e.exp - nowMs };
}

/** Whether a client would find the key (a logically expired one is gone for it). */
function alive(s: RedisServer, e: Entry, nowMs: number): boolean {
  return e.exp === -1 || s.loading || nowMs <= e.exp;
}

/** One key of a keyspace listing: what TYPE, STRLEN/LLEN/..., PTTL and OBJECT ENCODING say. */
export interface KeyListing {
  /** The key (byte string). */
  key: string;
  type: KeyState['type'];
  length: number;
  ttlMs: number | null;
  encoding: string;
}

/**
 * The first `limit` live keys of a database in the dictionary's order (no sorting: a big
 * keyspace costs `limit` descriptions, plus a walk to count the live keys), and how many live
 * keys there are in all.
 */
export function keyListing(s: RedisServer, db: number, limit: number, nowMs: number): { total: number; keys: KeyListing[] } {
  const d = s.dbs[db];
  if (!d) return { total: 0, keys: [] };
  const keys: KeyListing[] = [];
  let total = 0;
  for (const [key, e] of d.dict) {
    if (!alive(s, e, nowMs)) continue;
    total++;
    if (keys.length >= limit) continue;
    const v = e.v;
    keys.push({
      key,
      type: typeName(v),
      length: valueLength(v),
      ttlMs: e.exp === -1 ? null : e.exp - nowMs,
      encoding: typeof v === 'string' ? stringEncoding(e) : v.encoding,
    });
  }
  return { total, keys };
}

function valueLength(v: RedisValue): number {
  if (typeof v === 'string') return v.length;
  switch (v.type) {
    case 'list': return v.length;
    case 'hash': return v.map.size;
    case 'set': return v.size;
    case 'zset': return v.length;
    case 'stream': return v.length;
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
  | { op: 'infoText'; sections: string[] }
  | { op: 'summary' }
  | { op: 'keys'; db: number; limit: number }
  | { op: 'key'; db: number; key: string }
  | { op: 'values'; db: number; keys: string[] }
  /** A sentinel's events numbered `since` and later: `{ next, events }`; null if not a sentinel. */
  | { op: 'sentinelEvents'; since: number }
  | { op: 'dbsize'; db: number }
  | { op: 'config'; name: string }
  | { op: 'log' }
  | { op: 'cluster' }
  /** A sentinel's state per monitored master (src/engine/sentinel/summary.ts); null unless in Sentinel mode. */
  | { op: 'sentinel' };

/** Answer one query; null when the process runs no server. */
export function runRedisQuery(os: Os, q: RedisQuery, nowMs: number): unknown {
  const s = inspectedServer(os);
  if (!s) return null;
  switch (q.op) {
    case 'role': return serverRole(s);
    case 'info': return infoFields(s, q.section);
    case 'infoText': return infoText(s, q.sections);
    case 'summary': return serverSummary(s);
    case 'keys': return keyListing(s, q.db, q.limit, nowMs);
    case 'key': return keyState(s, q.db, q.key, nowMs);
    // Like MGET: no answer while the server loads its data or has not started serving.
    case 'values': return s.loading || !s.servingClients ? null : stringValues(s, q.db, q.keys, nowMs);
    case 'dbsize': return dbSize(s, q.db);
    case 'config': return configValue(s, q.name);
    case 'log': return recentLog(s);
    case 'cluster': return clusterView(s);
    case 'sentinelEvents': {
      const st = s.sentinelMode ? sentinelStateOf(s) : null;
      return st ? recordedEventsSince(st, q.since) : null;
    }
    case 'sentinel': return sentinelSummary(s);
  }
}
