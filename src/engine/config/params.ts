/**
 * The parameter table: every config Redis 7.0.15 knows (a build with TLS, like Debian's), with
 * its type, range, default and flags, in the order of config.c's static table. Special
 * multi-word parameters (save, bind, client-output-buffer-limit, ...) have their own parse,
 * format and rewrite functions below.
 */
import {
  boolParam, enumParam, numericParam, stringParam, type ParamDef, type RewriteSink,
  formatMemoryForRewrite, fmtTrimmedDouble, memtoull, strtollWhole,
} from './types';
import { string2d } from '../util/numbers';
import { repr } from '../util/repr';

const INT_MAX = 2147483647n;
const INT_MIN = -2147483648n;
const UINT_MAX = 4294967295n;
const LONG_MAX = 9223372036854775807n;
const LLONG_MAX = LONG_MAX;
const ULLONG_MAX = 18446744073709551615n;
const SSIZE_MAX = LONG_MAX;

/** `save <seconds> <changes> [<seconds> <changes> ...]` or `save ""`. */
export interface SavePoint { seconds: number; changes: number }

export const DEFAULT_SAVE_POINTS: SavePoint[] = [
  { seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }, { seconds: 60, changes: 10000 },
];

const saveParam: ParamDef<SavePoint[]> = {
  name: 'save', flags: ['multi-arg'], default: DEFAULT_SAVE_POINTS,
  parse(args) {
    // A single "" means no save points. The config-file loader implements "first save line
    // replaces the defaults, later ones append" on top of this.
    if (args.length === 1 && args[0] === '') return { value: [] };
    if (args.length % 2 !== 0) return { error: 'Invalid save parameters' };
    const out: SavePoint[] = [];
    for (let j = 0; j < args.length; j += 2) {
      const s = strtollWhole(args[j]);
      const c = strtollWhole(args[j + 1]);
      if (s === null || s < 1n || c === null || c < 0n) return { error: 'Invalid save parameters' };
      out.push({ seconds: Number(s), changes: Number(BigInt.asIntN(32, c)) });
    }
    return { value: out };
  },
  format: (v) => v.map((p) => `${p.seconds} ${p.changes}`).join(' '),
  rewrite(sink, v) {
    // In Sentinel mode save points are not rewritten (handled by the caller marking it processed).
    if (v.length === 0) sink.line('save', 'save ""', true);
    else for (const p of v) sink.line('save', `save ${p.seconds} ${p.changes}`, true);
    sink.processed('save');
  },
  equals: (a, b) => a.length === b.length && a.every((p, i) => p.seconds === b[i].seconds && p.changes === b[i].changes),
};

export const DEFAULT_BIND = ['*', '-::*'];

const bindParam: ParamDef<string[]> = {
  name: 'bind', flags: ['multi-arg'], default: DEFAULT_BIND,
  parse(args) {
    if (args.length > 16) return { error: 'Too many bind addresses specified.' };
    return { value: args.length === 1 && args[0] === '' ? [] : [...args] };
  },
  format: (v) => v.join(' '),
  rewrite(sink, v) {
    if (v.join(' ') === DEFAULT_BIND.join(' ') && v.length === DEFAULT_BIND.length) { sink.processed('bind'); return; }
    sink.line('bind', `bind ${v.length ? v.join(' ') : '""'}`, true);
  },
  equals: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
};

export interface OutputBufferLimit { hard: number; soft: number; softSeconds: number }
export type OutputBufferLimits = Record<'normal' | 'replica' | 'pubsub', OutputBufferLimit>;
const OBUF_CLASSES = ['normal', 'replica', 'pubsub'] as const;

const OBUF_DEFAULTS: OutputBufferLimits = {
  normal: { hard: 0, soft: 0, softSeconds: 0 },
  replica: { hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, softSeconds: 60 },
  pubsub: { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, softSeconds: 60 },
};

function sameLimit(a: OutputBufferLimit, b: OutputBufferLimit): boolean {
  return a.hard === b.hard && a.soft === b.soft && a.softSeconds === b.softSeconds;
}

/**
 * client-output-buffer-limit <class> <hard> <soft> <seconds> [...]: only the classes named
 * change, and a single bad group rejects the whole value. `current` is the value the groups
 * apply to (the running configuration).
 */
export function parseOutputBufferLimits(args: string[], current: OutputBufferLimits): { value: OutputBufferLimits } | { error: string } {
  if (args.length % 4) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const out: OutputBufferLimits = { normal: { ...current.normal }, replica: { ...current.replica }, pubsub: { ...current.pubsub } };
  for (let j = 0; j < args.length; j += 4) {
    const cls = args[j].toLowerCase();
    const key = cls === 'normal' ? 'normal' : cls === 'slave' || cls === 'replica' ? 'replica' : cls === 'pubsub' ? 'pubsub' : null;
    if (!key) return { error: 'Invalid client class specified in buffer limit configuration.' };
    const hard = memtoull(args[j + 1]);
    const soft = memtoull(args[j + 2]);
    const secs = strtollWhole(args[j + 3]);
    if (hard === null || soft === null || secs === null || BigInt.asIntN(32, secs) < 0n) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    out[key] = { hard: Number(hard), soft: Number(soft), softSeconds: Number(BigInt.asIntN(32, secs)) };
  }
  return { value: out };
}

const clientOutputBufferLimitParam: ParamDef<OutputBufferLimits> = {
  name: 'client-output-buffer-limit', flags: ['multi-arg'], default: OBUF_DEFAULTS,
  parse: (args, ctx) => parseOutputBufferLimits(args, (ctx.current as OutputBufferLimits | undefined) ?? OBUF_DEFAULTS),
  format: (v) => OBUF_CLASSES.map((k) => `${k === 'replica' ? 'slave' : k} ${v[k].hard} ${v[k].soft} ${v[k].softSeconds}`).join(' '),
  rewrite(sink, v) {
    for (const k of OBUF_CLASSES) {
      const line = `client-output-buffer-limit ${k} ${formatMemoryForRewrite(v[k].hard)} ${formatMemoryForRewrite(v[k].soft)} ${v[k].softSeconds}`;
      sink.line('client-output-buffer-limit', line, !sameLimit(v[k], OBUF_DEFAULTS[k]));
    }
  },
  equals: (a, b) => OBUF_CLASSES.every((k) => sameLimit(a[k], b[k])),
};

const OOM_DEFAULTS = [0, 200, 800];

const oomScoreAdjValuesParam: ParamDef<number[]> = {
  name: 'oom-score-adj-values', flags: ['multi-arg'], default: OOM_DEFAULTS,
  parse(args) {
    if (args.length !== 3) return { error: 'wrong number of arguments' };
    const out: number[] = [];
    for (const a of args) {
      const v = strtollWhole(a);
      if (v === null || v < -2000n || v > 2000n) return { error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
      out.push(Number(v));
    }
    return { value: out };
  },
  format: (v) => v.join(' '),
  rewrite: (sink, v) => sink.line('oom-score-adj-values', `oom-score-adj-values ${v.join(' ')}`, v.some((x, i) => x !== OOM_DEFAULTS[i])),
  equals: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
};

/**
 * notify-keyspace-events. Stored as the set of single classes with 'A' expanded (so the
 * server's check is a simple `includes`), printed like keyspaceEventsFlagsToString, which
 * shows "A" for the full set and then drops 'n' (a quirk of 7.0 kept on purpose).
 */
const NOTIFY_ALL = 'g$lshzxetd';
export function parseNotifyFlags(s: string): string | null {
  const set = new Set<string>();
  for (const ch of s) {
    if (ch === 'A') for (const a of NOTIFY_ALL) set.add(a);
    else if ('g$lshzxeKEtmdn'.includes(ch)) set.add(ch);
    else return null;
  }
  return [...NOTIFY_ALL + 'nKEm'].filter((ch) => set.has(ch)).join('');
}

export function formatNotifyFlags(v: string): string {
  let out = '';
  if ([...NOTIFY_ALL].every((ch) => v.includes(ch))) out = 'A';
  else for (const ch of NOTIFY_ALL + 'n') if (v.includes(ch)) out += ch;
  for (const ch of 'KEm') if (v.includes(ch)) out += ch;
  return out;
}

const notifyParam: ParamDef<string> = {
  name: 'notify-keyspace-events', flags: [], default: '',
  parse(args) {
    if (args.length !== 1) return { error: 'wrong number of arguments' };
    const v = parseNotifyFlags(args[0]);
    return v === null ? { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." } : { value: v };
  },
  format: formatNotifyFlags,
  rewrite: (sink, v) => sink.line('notify-keyspace-events', `notify-keyspace-events ${repr(formatNotifyFlags(v))}`, v !== ''),
  equals: (a, b) => a === b,
};

export interface ReplicaOf { host: string; port: number }

const replicaofParam: ParamDef<ReplicaOf | null> = {
  name: 'replicaof', alias: 'slaveof', flags: ['immutable', 'multi-arg'], default: null,
  parse(args) {
    if (args.length !== 2) return { error: 'wrong number of arguments' };
    if (args[0].toLowerCase() === 'no' && args[1].toLowerCase() === 'one') return { value: null };
    const port = strtollWhole(args[1]);
    if (port === null || BigInt.asIntN(32, port) < 0n || BigInt.asIntN(32, port) > 65535n) return { error: 'Invalid master port' };
    return { value: { host: args[0], port: Number(port) } };
  },
  format: (v) => (v ? `${v.host} ${v.port}` : ''),
  // The live replication state is written by the caller (rewrite.ts) from the server.
  rewrite: (sink, v) => (v ? sink.line('replicaof', `replicaof ${v.host} ${v.port}`, true) : sink.processed('replicaof')),
  equals: (a, b) => (a === null && b === null) || (!!a && !!b && a.host === b.host && a.port === b.port),
};

const dirParam: ParamDef<string> = {
  name: 'dir', flags: ['protected', 'deny-loading'], default: '',
  parse(args, ctx) {
    if (args.length !== 1) return { error: 'wrong number of arguments' };
    const err = ctx.env ? ctx.env.chdir(args[0]) : null;
    if (err) return { error: err };
    return { value: ctx.env ? ctx.env.cwd() : args[0] };
  },
  format: (v) => v,
  read: (env) => env.cwd(),
  rewrite: (sink, v) => sink.line('dir', `dir ${repr(v)}`, true),
  equals: (a, b) => a === b,
};

const PERCENTILE_DEFAULTS = [50, 99, 99.9];

const latencyPercentilesParam: ParamDef<number[]> = {
  name: 'latency-tracking-info-percentiles', flags: ['multi-arg'], default: PERCENTILE_DEFAULTS,
  parse(args) {
    if (args.length === 1 && args[0] === '') return { value: [] };
    const out: number[] = [];
    for (const a of args) {
      const d = string2d(a);
      if (d === null) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
      if (d > 100 || d < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
      out.push(d);
    }
    return { value: out };
  },
  format: (v) => v.map(fmtTrimmedDouble).join(' '),
  rewrite: (sink, v) => sink.line('latency-tracking-info-percentiles',
    `latency-tracking-info-percentiles${v.length ? v.map((d) => ' ' + fmtTrimmedDouble(d)).join('') : ' ""'}`, true),
  equals: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
};

const SHUTDOWN_ENUM: [string, number][] = [['default', 0], ['save', 1], ['nosave', 2], ['now', 4], ['force', 8]];
const validShutdownFlags = (bits: number): string | null =>
  (bits & 1 && bits & 2 ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null);

const PROTECTED_ENUM: [string, number][] = [['no', 0], ['yes', 1], ['local', 2]];

function validHostname(v: string): string | null {
  if (v.length >= 256) return 'Hostnames must be less than 256 characters';
  if (!/^[A-Za-z0-9.-]*$/.test(v)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  return null;
}

/** Whether proc-title-template expands to something (validateProcTitleTemplate). */
function validProcTitle(v: string): string | null {
  const vars: Record<string, string> = { title: '', 'listen-addr': '*:6379', 'server-mode': '', 'config-file': '-', port: '6379', 'tls-port': '0', unixsocket: '' };
  let out = '';
  let p = 0;
  while (p < v.length) {
    const sv = v.indexOf('{', p);
    if (sv < 0) { out += v.slice(p); break; }
    out += v.slice(p, sv);
    if (sv + 1 >= v.length) return 'template format is invalid or contains unknown variables';
    if (v[sv + 1] === '{') { out += '{'; p = sv + 2; continue; }
    const ev = v.indexOf('}', sv + 1);
    if (ev < 0) return 'template format is invalid or contains unknown variables';
    const name = v.slice(sv + 1, ev);
    if (!(name in vars)) return 'template format is invalid or contains unknown variables';
    out += vars[name];
    p = ev + 1;
  }
  return out.replace(/^ +| +$/g, '') === '' ? 'template format is invalid or contains unknown variables' : null;
}

const baseName = (what: string) => (v: string): string | null =>
  (v.includes('/') || v.includes('\\') ? `${what} can't be a path, just a filename` : null);

export const PARAMS: ParamDef<any>[] = [
  // Bool configs
  boolParam('rdbchecksum', true, { flags: ['immutable'] }),
  boolParam('daemonize', false, { flags: ['immutable'] }),
  boolParam('io-threads-do-reads', false, { flags: ['debug', 'immutable'] }),
  boolParam('always-show-logo', false, { flags: ['immutable'] }),
  boolParam('protected-mode', true),
  boolParam('rdbcompression', true),
  boolParam('rdb-del-sync-files', false),
  boolParam('activerehashing', true),
  boolParam('stop-writes-on-bgsave-error', true),
  boolParam('set-proc-title', true, { flags: ['immutable'] }),
  boolParam('dynamic-hz', true),
  boolParam('lazyfree-lazy-eviction', false, { flags: ['debug'] }),
  boolParam('lazyfree-lazy-expire', false, { flags: ['debug'] }),
  boolParam('lazyfree-lazy-server-del', false, { flags: ['debug'] }),
  boolParam('lazyfree-lazy-user-del', false, { flags: ['debug'] }),
  boolParam('lazyfree-lazy-user-flush', false, { flags: ['debug'] }),
  boolParam('repl-disable-tcp-nodelay', false),
  boolParam('repl-diskless-sync', true, { flags: ['debug'] }),
  boolParam('aof-rewrite-incremental-fsync', true),
  boolParam('no-appendfsync-on-rewrite', false),
  boolParam('cluster-require-full-coverage', true),
  boolParam('rdb-save-incremental-fsync', true),
  boolParam('aof-load-truncated', true),
  boolParam('aof-use-rdb-preamble', true),
  boolParam('aof-timestamp-enabled', false),
  boolParam('cluster-replica-no-failover', false, { alias: 'cluster-slave-no-failover' }),
  boolParam('replica-lazy-flush', false, { alias: 'slave-lazy-flush' }),
  boolParam('replica-serve-stale-data', true, { alias: 'slave-serve-stale-data' }),
  boolParam('replica-read-only', true, { alias: 'slave-read-only', flags: ['debug'] }),
  boolParam('replica-ignore-maxmemory', true, { alias: 'slave-ignore-maxmemory' }),
  boolParam('jemalloc-bg-thread', true),
  {
    // Our allocator has no active defragmentation; Redis built without jemalloc says this.
    ...boolParam('activedefrag', false, { flags: ['debug'] }),
    parse(args) {
      if (args.length !== 1) return { error: 'wrong number of arguments' };
      const l = args[0].toLowerCase();
      if (l !== 'yes' && l !== 'no') return { error: "argument must be 'yes' or 'no'" };
      if (l === 'yes') {
        return { error: 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution' };
      }
      return { value: false };
    },
  },
  boolParam('syslog-enabled', false, { flags: ['immutable'] }),
  boolParam('cluster-enabled', false, { flags: ['immutable'] }),
  boolParam('appendonly', false, { flags: ['deny-loading'] }),
  boolParam('cluster-allow-reads-when-down', false),
  boolParam('cluster-allow-pubsubshard-when-down', true),
  boolParam('crash-log-enabled', true),
  boolParam('crash-memcheck-enabled', true),
  boolParam('use-exit-on-panic', false, { flags: ['hidden'] }),
  boolParam('disable-thp', true, { flags: ['immutable'] }),
  boolParam('cluster-allow-replica-migration', true),
  boolParam('replica-announced', true),
  boolParam('latency-tracking', true),
  boolParam('aof-disable-auto-gc', false),
  boolParam('replica-ignore-disk-write-errors', false),

  // String configs
  stringParam('aclfile', '', { flags: ['immutable'] }),
  stringParam('unixsocket', null, { flags: ['immutable'], emptyIsUnset: true }),
  stringParam('pidfile', null, { flags: ['immutable'], emptyIsUnset: true }),
  stringParam('replica-announce-ip', null, { alias: 'slave-announce-ip', emptyIsUnset: true }),
  stringParam('masteruser', null, { flags: ['sensitive'], emptyIsUnset: true }),
  stringParam('cluster-announce-ip', null, { emptyIsUnset: true }),
  stringParam('cluster-config-file', 'nodes.conf', { flags: ['immutable'] }),
  stringParam('cluster-announce-hostname', null, { emptyIsUnset: true, validate: validHostname }),
  stringParam('syslog-ident', 'redis', { flags: ['immutable'] }),
  stringParam('dbfilename', 'dump.rdb', { flags: ['protected'], validate: baseName('dbfilename') }),
  stringParam('appendfilename', 'appendonly.aof', {
    flags: ['immutable'],
    validate: (v) => (v === '' ? "appendfilename can't be empty" : baseName('appendfilename')(v)),
  }),
  stringParam('appenddirname', 'appendonlydir', {
    flags: ['immutable'],
    validate: (v) => (v === '' ? "appenddirname can't be empty" : v.includes('/') || v.includes('\\') ? "appenddirname can't be a path, just a dirname" : null),
  }),
  stringParam('server_cpulist', null, { flags: ['immutable'], emptyIsUnset: true }),
  stringParam('bio_cpulist', null, { flags: ['immutable'], emptyIsUnset: true }),
  stringParam('aof_rewrite_cpulist', null, { flags: ['immutable'], emptyIsUnset: true }),
  stringParam('bgsave_cpulist', null, { flags: ['immutable'], emptyIsUnset: true }),
  stringParam('ignore-warnings', ''),
  stringParam('proc-title-template', '{title} {listen-addr} {server-mode}', { validate: validProcTitle }),
  stringParam('bind-source-addr', null, { emptyIsUnset: true }),
  stringParam('logfile', '', { flags: ['immutable'] }),

  // SDS configs
  stringParam('masterauth', null, { flags: ['sensitive'], emptyIsUnset: true }),
  stringParam('requirepass', null, { flags: ['sensitive'], emptyIsUnset: true }),

  // Enum configs
  enumParam('supervised', 'no', [['upstart', 1], ['systemd', 2], ['auto', 3], ['no', 0]], { flags: ['immutable'] }),
  enumParam('syslog-facility', 'local0', [['user', 8], ['local0', 128], ['local1', 136], ['local2', 144], ['local3', 152], ['local4', 160], ['local5', 168], ['local6', 176], ['local7', 184]], { flags: ['immutable'] }),
  enumParam('repl-diskless-load', 'disabled', [['disabled', 0], ['on-empty-db', 1], ['swapdb', 2]], { flags: ['debug', 'deny-loading'] }),
  enumParam('loglevel', 'notice', [['debug', 0], ['verbose', 1], ['notice', 2], ['warning', 3]]),
  enumParam('maxmemory-policy', 'noeviction', [
    ['volatile-lru', 1], ['volatile-lfu', 2], ['volatile-random', 3], ['volatile-ttl', 4],
    ['allkeys-lru', 5], ['allkeys-lfu', 6], ['allkeys-random', 7], ['noeviction', 8]]),
  enumParam('appendfsync', 'everysec', [['everysec', 2], ['always', 1], ['no', 0]]),
  enumParam('oom-score-adj', 'no', [['no', 0], ['yes', 1], ['relative', 1], ['absolute', 2]]),
  enumParam('acl-pubsub-default', 'resetchannels', [['allchannels', 1], ['resetchannels', 0]]),
  enumParam('sanitize-dump-payload', 'no', [['no', 0], ['yes', 1], ['clients', 2]], { flags: ['debug'] }),
  enumParam('enable-protected-configs', 'no', PROTECTED_ENUM, { flags: ['immutable'] }),
  enumParam('enable-debug-command', 'no', PROTECTED_ENUM, { flags: ['immutable'] }),
  enumParam('enable-module-command', 'no', PROTECTED_ENUM, { flags: ['immutable'] }),
  enumParam('cluster-preferred-endpoint-type', 'ip', [['ip', 0], ['hostname', 1], ['unknown-endpoint', 2]]),
  enumParam('propagation-error-behavior', 'ignore', [['ignore', 0], ['panic', 1], ['panic-on-replicas', 2]]),
  enumParam('shutdown-on-sigint', 'default', SHUTDOWN_ENUM, { flags: ['multi-arg'], bitflags: true, validate: validShutdownFlags }),
  enumParam('shutdown-on-sigterm', 'default', SHUTDOWN_ENUM, { flags: ['multi-arg'], bitflags: true, validate: validShutdownFlags }),

  // Integer configs
  numericParam('databases', 'int', 1, INT_MAX, 16, { flags: ['immutable'] }),
  numericParam('port', 'int', 0, 65535, 6379),
  numericParam('io-threads', 'int', 1, 128, 1, { flags: ['debug', 'immutable'] }),
  numericParam('auto-aof-rewrite-percentage', 'int', 0, INT_MAX, 100),
  numericParam('cluster-replica-validity-factor', 'int', 0, INT_MAX, 10, { alias: 'cluster-slave-validity-factor' }),
  numericParam('list-max-listpack-size', 'int', INT_MIN, INT_MAX, -2, { alias: 'list-max-ziplist-size' }),
  numericParam('tcp-keepalive', 'int', 0, INT_MAX, 300),
  numericParam('cluster-migration-barrier', 'int', 0, INT_MAX, 1),
  numericParam('active-defrag-cycle-min', 'int', 1, 99, 1),
  numericParam('active-defrag-cycle-max', 'int', 1, 99, 25),
  numericParam('active-defrag-threshold-lower', 'int', 0, 1000, 10),
  numericParam('active-defrag-threshold-upper', 'int', 0, 1000, 100),
  numericParam('lfu-log-factor', 'int', 0, INT_MAX, 10),
  numericParam('lfu-decay-time', 'int', 0, INT_MAX, 1),
  numericParam('replica-priority', 'int', 0, INT_MAX, 100, { alias: 'slave-priority' }),
  numericParam('repl-diskless-sync-delay', 'int', 0, INT_MAX, 5),
  numericParam('maxmemory-samples', 'int', 1, INT_MAX, 5),
  numericParam('maxmemory-eviction-tenacity', 'int', 0, 100, 10),
  numericParam('timeout', 'int', 0, INT_MAX, 0),
  numericParam('replica-announce-port', 'int', 0, 65535, 0, { alias: 'slave-announce-port' }),
  numericParam('tcp-backlog', 'int', 0, INT_MAX, 511, { flags: ['immutable'] }),
  numericParam('cluster-port', 'int', 0, 65535, 0, { flags: ['immutable'] }),
  numericParam('cluster-announce-bus-port', 'int', 0, 65535, 0),
  numericParam('cluster-announce-port', 'int', 0, 65535, 0),
  numericParam('cluster-announce-tls-port', 'int', 0, 65535, 0),
  numericParam('repl-timeout', 'int', 1, INT_MAX, 60),
  numericParam('repl-ping-replica-period', 'int', 1, INT_MAX, 10, { alias: 'repl-ping-slave-period' }),
  numericParam('list-compress-depth', 'int', 0, INT_MAX, 0, { flags: ['debug'] }),
  numericParam('rdb-key-save-delay', 'int', INT_MIN, INT_MAX, 0, { flags: ['hidden'] }),
  numericParam('key-load-delay', 'int', INT_MIN, INT_MAX, 0, { flags: ['hidden'] }),
  numericParam('active-expire-effort', 'int', 1, 10, 1),
  numericParam('hz', 'int', 0, INT_MAX, 10),
  numericParam('min-replicas-to-write', 'int', 0, INT_MAX, 0, { alias: 'min-slaves-to-write' }),
  numericParam('min-replicas-max-lag', 'int', 0, INT_MAX, 10, { alias: 'min-slaves-max-lag' }),
  numericParam('watchdog-period', 'int', 0, INT_MAX, 0, { flags: ['hidden'] }),
  numericParam('shutdown-timeout', 'int', 0, INT_MAX, 10),
  numericParam('repl-diskless-sync-max-replicas', 'int', 0, INT_MAX, 0),

  // Unsigned int configs
  numericParam('maxclients', 'uint', 1, UINT_MAX, 10000),
  numericParam('unixsocketperm', 'uint', 0, 0o777, 0, { flags: ['immutable'], octal: true }),
  numericParam('socket-mark-id', 'uint', 0, UINT_MAX, 0, { flags: ['immutable'] }),

  // Unsigned long configs
  numericParam('active-defrag-max-scan-fields', 'ulong', 1, LONG_MAX, 1000),
  numericParam('slowlog-max-len', 'ulong', 0, LONG_MAX, 128),
  numericParam('acllog-max-len', 'ulong', 0, LONG_MAX, 128),

  // Long long configs
  numericParam('busy-reply-threshold', 'longlong', 0, LONG_MAX, 5000, { alias: 'lua-time-limit' }),
  numericParam('cluster-node-timeout', 'longlong', 0, LLONG_MAX, 15000),
  numericParam('slowlog-log-slower-than', 'longlong', -1, LLONG_MAX, 10000),
  numericParam('latency-monitor-threshold', 'longlong', 0, LLONG_MAX, 0),
  numericParam('proto-max-bulk-len', 'longlong', 1024 * 1024, LONG_MAX, 512 * 1024 * 1024, { flags: ['debug'], memory: true }),
  numericParam('stream-node-max-entries', 'longlong', 0, LLONG_MAX, 100),
  numericParam('repl-backlog-size', 'longlong', 1, LLONG_MAX, 1024 * 1024, { memory: true }),

  // Unsigned long long configs
  numericParam('maxmemory', 'ulonglong', 0, ULLONG_MAX, 0, { memory: true }),
  numericParam('cluster-link-sendbuf-limit', 'ulonglong', 0, ULLONG_MAX, 0, { memory: true }),

  // Size_t configs
  numericParam('hash-max-listpack-entries', 'size_t', 0, LONG_MAX, 512, { alias: 'hash-max-ziplist-entries' }),
  numericParam('set-max-intset-entries', 'size_t', 0, LONG_MAX, 512),
  numericParam('zset-max-listpack-entries', 'size_t', 0, LONG_MAX, 128, { alias: 'zset-max-ziplist-entries' }),
  numericParam('active-defrag-ignore-bytes', 'size_t', 1, LLONG_MAX, 100 << 20, { memory: true }),
  numericParam('hash-max-listpack-value', 'size_t', 0, LONG_MAX, 64, { alias: 'hash-max-ziplist-value', memory: true }),
  numericParam('stream-node-max-bytes', 'size_t', 0, LONG_MAX, 4096, { memory: true }),
  numericParam('zset-max-listpack-value', 'size_t', 0, LONG_MAX, 64, { alias: 'zset-max-ziplist-value', memory: true }),
  numericParam('hll-sparse-max-bytes', 'size_t', 0, LONG_MAX, 3000, { memory: true }),
  numericParam('tracking-table-max-keys', 'size_t', 0, LONG_MAX, 1000000),
  numericParam('client-query-buffer-limit', 'size_t', 1024 * 1024, LONG_MAX, 1024 * 1024 * 1024, { flags: ['debug'], memory: true }),
  numericParam('maxmemory-clients', 'ssize_t', -100, SSIZE_MAX, 0, { memory: true, percent: true }),

  // Other configs
  numericParam('repl-backlog-ttl', 'time_t', 0, LONG_MAX, 60 * 60),
  numericParam('auto-aof-rewrite-min-size', 'off_t', 0, LLONG_MAX, 64 * 1024 * 1024, { memory: true }),
  numericParam('loading-process-events-interval-bytes', 'off_t', 1024, INT_MAX, 1024 * 1024 * 2, { flags: ['hidden'] }),

  // TLS (Debian's redis-server is built with TLS; the settings exist but TLS is not modelled)
  numericParam('tls-port', 'int', 0, 65535, 0),
  numericParam('tls-session-cache-size', 'int', 0, INT_MAX, 20 * 1024),
  numericParam('tls-session-cache-timeout', 'int', 0, INT_MAX, 300),
  boolParam('tls-cluster', false),
  boolParam('tls-replication', false),
  enumParam('tls-auth-clients', 'yes', [['no', 0], ['yes', 1], ['optional', 2]]),
  boolParam('tls-prefer-server-ciphers', false),
  boolParam('tls-session-caching', true),
  stringParam('tls-cert-file', null, { flags: ['volatile'], emptyIsUnset: true }),
  stringParam('tls-key-file', null, { flags: ['volatile'], emptyIsUnset: true }),
  stringParam('tls-key-file-pass', null, { emptyIsUnset: true }),
  stringParam('tls-client-cert-file', null, { flags: ['volatile'], emptyIsUnset: true }),
  stringParam('tls-client-key-file', null, { flags: ['volatile'], emptyIsUnset: true }),
  stringParam('tls-client-key-file-pass', null, { emptyIsUnset: true }),
  stringParam('tls-dh-params-file', null, { flags: ['volatile'], emptyIsUnset: true }),
  stringParam('tls-ca-cert-file', null, { flags: ['volatile'], emptyIsUnset: true }),
  stringParam('tls-ca-cert-dir', null, { flags: ['volatile'], emptyIsUnset: true }),
  stringParam('tls-protocols', null, { emptyIsUnset: true }),
  stringParam('tls-ciphers', null, { emptyIsUnset: true }),
  stringParam('tls-ciphersuites', null, { emptyIsUnset: true }),

  // Special configs
  dirParam,
  saveParam,
  clientOutputBufferLimitParam,
  oomScoreAdjValuesParam,
  notifyParam,
  bindParam,
  replicaofParam,
  latencyPercentilesParam,
];

export type { RewriteSink };
