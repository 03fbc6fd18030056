/**
 * The read-only inspector of a redis-server (or sentinel) process: what the UI's inspector and
 * topology show and what lesson checks read, answered from the server's own state without a
 * client connection, so asking costs no virtual time, sends nothing and changes no statistic.
 *
 * Queries are small plain objects (they cross to the process's Web Worker and back):
 *
 *   { q: 'summary' }                      role, port, offsets, clients... (topology, plots)
 *   { q: 'info', section?: string }       the INFO text, exactly as INFO <section> prints it
 *   { q: 'keys', db?, limit? }            keys with type, length, TTL, encoding (first `limit`)
 *   { q: 'key', db?, key }                one key: type, string value, length, TTL
 *   { q: 'dbsize', db? }
 *   { q: 'config', name }                 CONFIG GET text of one parameter, or null
 *
 * Keys and values are byte strings inside the engine; answers decode them as UTF-8 (lossily
 * for binary data). Logically expired keys are reported as missing, and are not deleted:
 * deleting is what a client's read would do, and the inspector is not a client.
 */
import type { RedisServer } from '../../engine/server/server';
import { genInfoString } from '../../engine/commands/info';
import { typeName, RList, RHash, RSet, RZSet, type RedisValue } from '../../engine/keyspace/values';
import { stringEncoding, type Entry } from '../../engine/keyspace/db';
import { strToUtf8, utf8ToStr } from '../../engine/bytes';
import type { Inspector } from '../runtime/inspectors';
import { parseInfo } from './info-text';

export { parseInfo };

export type RedisQuery =
  | { q: 'summary' }
  | { q: 'info'; section?: string }
  | { q: 'keys'; db?: number; limit?: number }
  | { q: 'key'; db?: number; key: string }
  | { q: 'dbsize'; db?: number }
  | { q: 'config'; name: string };

export interface RedisSummary {
  role: 'master' | 'slave' | 'sentinel';
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
  /** Keys over every database. */
  keys: number;
  usedMemory: number;
  loading: boolean;
  bgsave: boolean;
  aofRewrite: boolean;
  aofEnabled: boolean;
}

export interface KeyInfo {
  key: string;
  type: 'string' | 'list' | 'hash' | 'set' | 'zset';
  /** STRLEN / LLEN / HLEN / SCARD / ZCARD. */
  length: number;
  ttlMs: number | null;
  encoding: string;
}

export interface KeyDetail extends KeyInfo {
  /** The value of a string key (UTF-8 decoded); null for other types. */
  value: string | null;
}

function lengthOf(v: RedisValue): number {
  if (typeof v === 'string') return v.length;
  if (v instanceof RList) return v.length;
  if (v instanceof RHash) return v.map.size;
  if (v instanceof RSet) return v.size;
  if (v instanceof RZSet) return v.length;
  return 0;
}

function encodingOf(e: Entry): string {
  const v = e.v;
  if (typeof v === 'string') return stringEncoding(e);
  return v.encoding;
}

function describeKey(s: RedisServer, key: string, e: Entry): KeyInfo {
  const now = s.os.now();
  return {
    key: strToUtf8(key),
    type: typeName(e.v),
    length: lengthOf(e.v),
    ttlMs: e.exp === -1 ? null : Math.max(0, e.exp - now),
    encoding: encodingOf(e),
  };
}

function live(s: RedisServer, e: Entry | undefined): e is Entry {
  return !!e && !(e.exp !== -1 && !s.loading && s.os.now() > e.exp);
}

export function summarize(s: RedisServer): RedisSummary {
  const f = parseInfo(genInfoString(s, ['server', 'clients', 'memory', 'persistence', 'stats', 'replication']));
  const role = s.sentinelMode ? 'sentinel' : s.isReplica() ? 'slave' : 'master';
  let keys = 0;
  for (const db of s.dbs) keys += db.size;
  const num = (k: string) => (f[k] === undefined ? 0 : Number(f[k]) || 0);
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
  };
}

export function redisInspector(s: RedisServer): Inspector {
  return (raw) => {
    const query = raw as RedisQuery;
    const dbOf = (n: number | undefined) => s.dbs[n ?? 0];
    switch (query?.q) {
      case 'summary':
        return summarize(s);
      case 'info':
        return genInfoString(s, query.section ? [query.section] : []);
      case 'dbsize': {
        const db = dbOf(query.db);
        if (!db) return null;
        let n = 0;
        for (const e of db.dict.values()) if (live(s, e)) n++;
        return n;
      }
      case 'keys': {
        const db = dbOf(query.db);
        if (!db) return null;
        const limit = query.limit ?? 200;
        const keys: KeyInfo[] = [];
        let total = 0;
        for (const [k, e] of db.dict) {
          if (!live(s, e)) continue;
          total++;
          if (keys.length < limit) keys.push(describeKey(s, k, e));
        }
        return { total, keys };
      }
      case 'key': {
        const db = dbOf(query.db);
        const e = db?.getEntry(utf8ToStr(query.key));
        if (!live(s, e)) return null;
        const info = describeKey(s, utf8ToStr(query.key), e);
        const detail: KeyDetail = { ...info, value: typeof e.v === 'string' ? strToUtf8(e.v) : null };
        return detail;
      }
      case 'config': {
        const def = s.config.lookup(query.name);
        return def ? s.config.format(def.name) : null;
      }
      default:
        return { error: `unknown query ${JSON.stringify(raw)}` };
    }
  };
}
