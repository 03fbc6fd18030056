/**
 * The parameter table: every config Redis 7.0 knows, with its type, range and default.
 * Special multi-word parameters (save, bind, client-output-buffer-limit, ...) have their own
 * parse/format functions below.
 */
import {
  boolParam, enumParam, intParam, stringParam, type ParamDef, formatMemoryForRewrite, parseMemory,
} from './types';

const INT_MAX = 2147483647;
const LONG_MAX = 9223372036854775807;

/** `save <seconds> <changes> [<seconds> <changes> ...]` or `save ""`. */
export interface SavePoint { seconds: number; changes: number }

const saveParam: ParamDef<SavePoint[]> = {
  name: 'save', flags: ['multi-arg'],
  default: [{ seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }, { seconds: 60, changes: 10000 }],
  parse(args, ctx) {
    // In a config file `save ""` resets; each `save` line appends (handled by the loader).
    if (args.length === 1 && args[0] === '') return { value: [] };
    if (args.length % 2 !== 0 || args.length === 0) return { error: 'Invalid save parameters' };
    const out: SavePoint[] = [];
    for (let i = 0; i < args.length; i += 2) {
      const s = /^-?\d+$/.test(args[i]) ? Number(args[i]) : NaN;
      const c = /^-?\d+$/.test(args[i + 1]) ? Number(args[i + 1]) : NaN;
      if (!(s >= 1) || !(c >= 0)) return { error: 'Invalid save parameters' };
      out.push({ seconds: s, changes: c });
    }
    void ctx;
    return { value: out };
  },
  format: (v) => v.map((p) => `${p.seconds} ${p.changes}`).join(' '),
  rewriteLines: (v) => (v.length === 0 ? ['""'] : v.map((p) => `${p.seconds} ${p.changes}`)),
  equals: (a, b) => a.length === b.length && a.every((p, i) => p.seconds === b[i].seconds && p.changes === b[i].changes),
};

const bindParam: ParamDef<string[]> = {
  name: 'bind', flags: ['multi-arg'],
  default: ['*', '-::*'],
  parse(args) {
    if (args.length > 16) return { error: 'Too many bind addresses specified.' };
    return { value: args.length === 1 && args[0] === '' ? [] : [...args] };
  },
  format: (v) => v.join(' '),
  equals: (a, b) => a.join(' ') === b.join(' '),
};

export interface OutputBufferLimit { hard: number; soft: number; softSeconds: number }
export type OutputBufferLimits = Record<'normal' | 'replica' | 'pubsub', OutputBufferLimit>;

const clientOutputBufferLimitParam: ParamDef<OutputBufferLimits> = {
  name: 'client-output-buffer-limit', flags: ['multi-arg'],
  default: {
    normal: { hard: 0, soft: 0, softSeconds: 0 },
    replica: { hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, softSeconds: 60 },
    pubsub: { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, softSeconds: 60 },
  },
  parse(args) {
    if (args.length % 4 !== 0 || args.length === 0) {
      return { error: 'Wrong number of arguments in buffer limit configuration.' };
    }
    const out = structuredCloneLimits(this.default);
    for (let i = 0; i < args.length; i += 4) {
      const cls = args[i].toLowerCase();
      const key = cls === 'normal' ? 'normal' : cls === 'replica' || cls === 'slave' ? 'replica' : cls === 'pubsub' ? 'pubsub' : null;
      if (!key) return { error: 'Invalid client class specified in buffer limit configuration.' };
      const hard = parseMemory(args[i + 1]);
      const soft = parseMemory(args[i + 2]);
      const secs = /^\d+$/.test(args[i + 3]) ? Number(args[i + 3]) : null;
      if (hard === null || soft === null || secs === null) {
        return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
      }
      out[key] = { hard, soft, softSeconds: secs };
    }
    return { value: out };
  },
  format: (v) => (['normal', 'replica', 'pubsub'] as const)
    .map((k) => `${k === 'replica' ? 'slave' : k} ${v[k].hard} ${v[k].soft} ${v[k].softSeconds}`).join(' '),
  rewriteLines: (v) => (['normal', 'replica', 'pubsub'] as const)
    .map((k) => `${k} ${formatMemoryForRewrite(v[k].hard)} ${formatMemoryForRewrite(v[k].soft)} ${v[k].softSeconds}`),
  equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
};

function structuredCloneLimits(v: OutputBufferLimits): OutputBufferLimits {
  return { normal: { ...v.normal }, replica: { ...v.replica }, pubsub: { ...v.pubsub } };
}

/** notify-keyspace-events: flags string, normalised like keyspaceEventsFlagsToString. */
const notifyParam: ParamDef<string> = {
  name: 'notify-keyspace-events', default: '',
  parse(args) {
    if (args.length !== 1) return { error: 'wrong number of arguments' };
    for (const ch of args[0]) {
      if (!'Ag$lshzxeKEtmdn'.includes(ch)) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
    }
    return { value: normaliseNotifyFlags(args[0]) };
  },
  format: (v) => v,
};

export function normaliseNotifyFlags(s: string): string {
  const set = new Set<string>();
  for (const ch of s) {
    if (ch === 'A') for (const a of 'g$lshzxetd') set.add(a);
    else set.add(ch);
  }
  let out = '';
  const all = 'g$lshzxetd';
  if ([...all].every((ch) => set.has(ch))) out += 'A';
  else for (const ch of all) if (set.has(ch)) out += ch;
  for (const ch of 'KEmn') if (set.has(ch)) out += ch;
  return out;
}

const replicaofParam: ParamDef<{ host: string; port: number } | null> = {
  name: 'replicaof', alias: 'slaveof', flags: ['multi-arg', 'volatile'], default: null,
  parse(args) {
    if (args.length !== 2) return { error: 'wrong number of arguments' };
    if (args[0].toLowerCase() === 'no' && args[1].toLowerCase() === 'one') return { value: null };
    const port = /^\d+$/.test(args[1]) ? Number(args[1]) : NaN;
    if (!(port >= 0 && port <= 65535)) return { error: 'Invalid master port' };
    return { value: { host: args[0], port } };
  },
  format: (v) => (v ? `${v.host} ${v.port}` : ''),
  equals: (a, b) => (a === null && b === null) || (!!a && !!b && a.host === b.host && a.port === b.port),
};

const dirParam: ParamDef<string> = stringParam('dir', '', { flags: ['volatile'] });

export const PARAMS: ParamDef<any>[] = [
  // Network
  bindParam,
  intParam('port', 6379, 0, 65535),
  boolParam('protected-mode', true),
  intParam('tcp-backlog', 511, 0, INT_MAX, { flags: ['immutable'] }),
  intParam('timeout', 0, 0, INT_MAX),
  intParam('tcp-keepalive', 300, 0, INT_MAX),
  stringParam('unixsocket', '', { flags: ['immutable'] }),
  intParam('unixsocketperm', 0, 0, 0o777, { flags: ['immutable'], octal: true }),
  intParam('maxclients', 10000, 1, INT_MAX),
  intParam('databases', 16, 1, INT_MAX, { flags: ['immutable'] }),
  // General
  boolParam('daemonize', false, { flags: ['immutable'] }),
  enumParam('supervised', 'no', ['upstart', 'systemd', 'auto', 'no'], { flags: ['immutable'] }),
  stringParam('pidfile', '', { flags: ['immutable'] }),
  enumParam('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning']),
  stringParam('logfile', '', { flags: ['immutable'] }),
  boolParam('syslog-enabled', false, { flags: ['immutable'] }),
  stringParam('syslog-ident', 'redis', { flags: ['immutable'] }),
  boolParam('always-show-logo', false, { flags: ['immutable'] }),
  boolParam('set-proc-title', true, { flags: ['immutable'] }),
  intParam('hz', 10, 0, INT_MAX),
  boolParam('dynamic-hz', true),
  enumParam('enable-debug-command', 'no', ['no', 'yes', 'local'], { flags: ['immutable'] }),
  enumParam('enable-protected-configs', 'no', ['no', 'yes', 'local'], { flags: ['immutable'] }),
  enumParam('enable-module-command', 'no', ['no', 'yes', 'local'], { flags: ['immutable'] }),
  // Snapshotting
  saveParam,
  boolParam('stop-writes-on-bgsave-error', true),
  boolParam('rdbcompression', true),
  boolParam('rdbchecksum', true, { flags: ['immutable'] }),
  stringParam('dbfilename', 'dump.rdb', {
    flags: ['protected'],
    validate: (v) => (v.includes('/') ? "dbfilename can't be a path, just a filename" : null),
  }),
  boolParam('rdb-del-sync-files', false),
  dirParam,
  // Replication
  replicaofParam,
  stringParam('masterauth', '', { flags: ['sensitive'] }),
  stringParam('masteruser', ''),
  boolParam('replica-serve-stale-data', true, { alias: 'slave-serve-stale-data' }),
  boolParam('replica-read-only', true, { alias: 'slave-read-only' }),
  boolParam('repl-diskless-sync', true),
  intParam('repl-diskless-sync-delay', 5, 0, INT_MAX),
  intParam('repl-diskless-sync-max-replicas', 0, 0, INT_MAX),
  enumParam('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb']),
  intParam('repl-ping-replica-period', 10, 1, INT_MAX, { alias: 'repl-ping-slave-period' }),
  intParam('repl-timeout', 60, 1, INT_MAX),
  boolParam('repl-disable-tcp-nodelay', false),
  intParam('repl-backlog-size', 1024 * 1024, 1, LONG_MAX, { memory: true }),
  intParam('repl-backlog-ttl', 3600, 0, INT_MAX),
  intParam('replica-priority', 100, 0, INT_MAX, { alias: 'slave-priority' }),
  boolParam('replica-announced', true),
  intParam('min-replicas-to-write', 0, 0, INT_MAX, { alias: 'min-slaves-to-write' }),
  intParam('min-replicas-max-lag', 10, 0, INT_MAX, { alias: 'min-slaves-max-lag' }),
  stringParam('replica-announce-ip', '', { alias: 'slave-announce-ip' }),
  intParam('replica-announce-port', 0, 0, 65535, { alias: 'slave-announce-port' }),
  boolParam('replica-lazy-flush', false, { alias: 'slave-lazy-flush' }),
  boolParam('replica-ignore-maxmemory', true, { alias: 'slave-ignore-maxmemory' }),
  // Security
  stringParam('requirepass', '', { flags: ['sensitive'] }),
  stringParam('aclfile', '', { flags: ['immutable'] }),
  intParam('acllog-max-len', 128, 0, LONG_MAX),
  // Clients / memory
  intParam('maxmemory', 0, 0, LONG_MAX, { memory: true }),
  enumParam('maxmemory-policy', 'noeviction',
    ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction']),
  intParam('maxmemory-samples', 5, 1, 64),
  intParam('maxmemory-eviction-tenacity', 10, 0, 100),
  intParam('maxmemory-clients', 0, -100, LONG_MAX, { memory: true, percent: true }),
  boolParam('lazyfree-lazy-eviction', false),
  boolParam('lazyfree-lazy-expire', false),
  boolParam('lazyfree-lazy-server-del', false),
  boolParam('lazyfree-lazy-user-del', false),
  boolParam('lazyfree-lazy-user-flush', false),
  clientOutputBufferLimitParam,
  intParam('client-query-buffer-limit', 1024 * 1024 * 1024, 1024 * 1024, LONG_MAX, { memory: true }),
  intParam('proto-max-bulk-len', 512 * 1024 * 1024, 1024 * 1024, LONG_MAX, { memory: true }),
  // Append only file
  boolParam('appendonly', false),
  stringParam('appendfilename', 'appendonly.aof', {
    flags: ['immutable'],
    validate: (v) => (v === '' ? "appendfilename can't be empty" : v.includes('/') ? "appendfilename can't be a path, just a filename" : null),
  }),
  stringParam('appenddirname', 'appendonlydir', {
    flags: ['immutable'],
    validate: (v) => (v === '' ? "appenddirname can't be empty" : v.includes('/') ? "appenddirname can't be a path, just a dirname" : null),
  }),
  enumParam('appendfsync', 'everysec', ['always', 'everysec', 'no']),
  boolParam('no-appendfsync-on-rewrite', false),
  intParam('auto-aof-rewrite-percentage', 100, 0, INT_MAX),
  intParam('auto-aof-rewrite-min-size', 64 * 1024 * 1024, 0, LONG_MAX, { memory: true }),
  boolParam('aof-load-truncated', true),
  boolParam('aof-use-rdb-preamble', true),
  boolParam('aof-timestamp-enabled', false),
  boolParam('aof-rewrite-incremental-fsync', true),
  boolParam('rdb-save-incremental-fsync', true),
  boolParam('aof-disable-auto-gc', false, { flags: ['hidden'] }),
  // Slow log, latency
  intParam('slowlog-log-slower-than', 10000, -1, LONG_MAX),
  intParam('slowlog-max-len', 128, 0, LONG_MAX),
  intParam('latency-monitor-threshold', 0, 0, LONG_MAX),
  boolParam('latency-tracking', true),
  notifyParam,
  // Data structure encodings
  intParam('hash-max-listpack-entries', 128, 0, LONG_MAX, { alias: 'hash-max-ziplist-entries' }),
  intParam('hash-max-listpack-value', 64, 0, LONG_MAX, { alias: 'hash-max-ziplist-value' }),
  intParam('list-max-listpack-size', -2, -5, INT_MAX, { alias: 'list-max-ziplist-size' }),
  intParam('list-compress-depth', 0, 0, INT_MAX),
  intParam('set-max-intset-entries', 512, 0, LONG_MAX),
  intParam('zset-max-listpack-entries', 128, 0, LONG_MAX, { alias: 'zset-max-ziplist-entries' }),
  intParam('zset-max-listpack-value', 64, 0, LONG_MAX, { alias: 'zset-max-ziplist-value' }),
  intParam('hll-sparse-max-bytes', 3000, 0, LONG_MAX, { memory: true }),
  intParam('stream-node-max-bytes', 4096, 0, LONG_MAX, { memory: true }),
  intParam('stream-node-max-entries', 100, 0, LONG_MAX),
  boolParam('activerehashing', true),
  // Cluster
  boolParam('cluster-enabled', false, { flags: ['immutable'] }),
  stringParam('cluster-config-file', 'nodes.conf', { flags: ['immutable'] }),
  intParam('cluster-node-timeout', 15000, 0, LONG_MAX),
  intParam('cluster-port', 0, 0, 65535, { flags: ['immutable'] }),
  intParam('cluster-replica-validity-factor', 10, 0, INT_MAX, { alias: 'cluster-slave-validity-factor' }),
  intParam('cluster-migration-barrier', 1, 0, INT_MAX),
  boolParam('cluster-allow-replica-migration', true),
  boolParam('cluster-require-full-coverage', true),
  boolParam('cluster-replica-no-failover', false, { alias: 'cluster-slave-no-failover' }),
  boolParam('cluster-allow-reads-when-down', false),
  boolParam('cluster-allow-pubsubshard-when-down', true),
  stringParam('cluster-announce-ip', ''),
  intParam('cluster-announce-port', 0, 0, 65535),
  intParam('cluster-announce-bus-port', 0, 0, 65535),
  intParam('cluster-announce-tls-port', 0, 0, 65535),
  stringParam('cluster-announce-hostname', ''),
  enumParam('cluster-preferred-endpoint-type', 'ip', ['ip', 'hostname', 'unknown-endpoint']),
  intParam('cluster-link-sendbuf-limit', 0, 0, LONG_MAX, { memory: true }),
  // Misc
  intParam('lua-time-limit', 5000, 0, LONG_MAX, { alias: 'busy-reply-threshold' }),
  enumParam('shutdown-on-sigterm', 'default', ['default', 'save', 'nosave', 'now', 'force']),
  enumParam('shutdown-on-sigint', 'default', ['default', 'save', 'nosave', 'now', 'force']),
  intParam('shutdown-timeout', 10, 0, INT_MAX),
  boolParam('crash-log-enabled', true),
  boolParam('crash-memcheck-enabled', true),
  intParam('io-threads', 1, 1, 128, { flags: ['immutable'] }),
  boolParam('io-threads-do-reads', false, { flags: ['immutable'] }),
  enumParam('oom-score-adj', 'no', ['no', 'yes', 'relative', 'absolute']),
  boolParam('jemalloc-bg-thread', true),
  boolParam('activedefrag', false),
  intParam('tracking-table-max-keys', 1000000, 0, LONG_MAX),
  stringParam('ignore-warnings', ''),
  intParam('active-expire-effort', 1, 1, 10),
  boolParam('disable-thp', true, { flags: ['immutable'] }),
  stringParam('proc-title-template', '{title} {listen-addr} {server-mode}'),
  intParam('watchdog-period', 0, 0, INT_MAX, { flags: ['hidden'] }),
  intParam('lfu-log-factor', 10, 0, INT_MAX),
  intParam('lfu-decay-time', 1, 0, INT_MAX),
];

