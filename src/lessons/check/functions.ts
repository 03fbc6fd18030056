/**
 * The fixed whitelist of functions a check may call. Each has a signature the type checker
 * uses, optional static checks for literal arguments (addresses and host names must exist in
 * the topology, INFO sections and sentinel event names must exist), and an evaluator that only
 * reads the WorldView. Nothing here can change the world.
 */
import { didYouMean } from '../diagnostics';
import { SENTINEL_EVENTS } from '../catalog';
import {
  resolveAddress,
  resolveFilePath,
  resolveHost,
  resolveHostOrAddress,
  type HostNames,
  type Resolved,
} from '../addresses';
import type { RedisView, WorldView } from '../world-view';
import { INFO_SECTION_NAMES } from './info-fields';
import {
  BOOL,
  CLUSTER_INFO,
  DURATION,
  EVENTS,
  FILE,
  NUMBER,
  PROCESS,
  STRING,
  infoFieldTypeOf,
  infoListField,
  infoRecord,
  stringOf,
  type Type,
} from './types';
import { EventList, Unknown, recordOf, type RecordValue, type Value } from './values';

/** What validation knows about the lesson; null parts are unknown (broken front matter). */
export interface StaticContext {
  hosts: readonly HostNames[] | null;
  hasLoadgen: boolean | null;
}

export interface EvalContext {
  view: WorldView;
  /** Virtual time at which the current step started (`step_start()`). */
  stepStartMs: number;
}

/** How a literal argument is validated. */
export type LiteralKind = 'address' | 'host' | 'file' | 'host-or-address' | 'event-name' | 'section' | 'db';

export interface ParamSpec {
  name: string;
  type: Type;
  optional?: boolean;
  /** Only accepted as `name=value`. */
  namedOnly?: boolean;
  /** Must be written as a literal (the type depends on it). */
  mustBeLiteral?: boolean;
  literal?: LiteralKind;
}

export interface FunctionSpec {
  name: string;
  params: ParamSpec[];
  /** Result type; `literals[i]` is the literal text of argument i when it is a string literal. */
  returns(literals: (string | number | null)[]): Type;
  needsLoadgen?: boolean;
  doc: string;
  /** Arguments by parameter index (undefined when an optional one is missing); never Unknown. */
  evaluate(args: (Value | undefined)[], ctx: EvalContext): Value;
}

// ---------------------------------------------------------------------------------------------
// Static checks of literal arguments

export function checkLiteral(kind: LiteralKind, value: string | number, ctx: StaticContext): string | null {
  const hosts = ctx.hosts;
  const msg = <T>(r: Resolved<T>) => (r.ok ? null : r.message);
  switch (kind) {
    case 'address':
      return hosts ? msg(resolveAddress(String(value), hosts)) : null;
    case 'host':
      return hosts ? msg(resolveHost(String(value), hosts)) : null;
    case 'file':
      return hosts ? msg(resolveFilePath(String(value), hosts)) : null;
    case 'host-or-address':
      return hosts ? msg(resolveHostOrAddress(String(value), hosts)) : null;
    case 'event-name': {
      const name = String(value);
      if (name === '') return 'the event name is empty';
      if ((name.startsWith('+') || name.startsWith('-')) && !SENTINEL_EVENTS.includes(name)) {
        return `unknown sentinel event "${name}"${didYouMean(name, SENTINEL_EVENTS)}`;
      }
      return null;
    }
    case 'section':
      return INFO_SECTION_NAMES.includes(String(value))
        ? null
        : `unknown INFO section "${value}"${didYouMean(String(value), INFO_SECTION_NAMES)}; sections are ${INFO_SECTION_NAMES.join(', ')}`;
    case 'db':
      return Number.isInteger(value) && (value as number) >= 0 ? null : `db must be a whole number >= 0`;
  }
}

// ---------------------------------------------------------------------------------------------
// Run-time helpers

function hostsOf(view: WorldView): HostNames[] {
  return view.hosts().map((h) => ({ name: h.name, ips: h.ips }));
}

function server(ctx: EvalContext, address: string): { redis: RedisView; label: string } | Unknown {
  const r = resolveAddress(address, hostsOf(ctx.view));
  if (!r.ok) return new Unknown(r.message);
  const redis = ctx.view.redis(r.value.host, r.value.port);
  if (!redis) return new Unknown(`nothing is running at ${address}`);
  return { redis, label: address };
}

function parseInfoList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

function convert(type: Type, raw: string, what: string): Value {
  if (type.kind === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : new Unknown(`${what} is "${raw}", not a number`);
  }
  return raw;
}

function infoValue(fields: Readonly<Record<string, string>>, section: string | null, label: string): RecordValue {
  return {
    kind: 'record',
    label,
    get(field) {
      const raw = fields[field];
      if (raw === undefined) return new Unknown(`${label} has no field ${field}`);
      const type = infoFieldTypeOf(section, field);
      if (type && type.kind === 'record' && infoListField(section, field)) {
        const list = infoListField(section, field)!;
        const parts = parseInfoList(raw);
        const entry: Record<string, () => Value> = {};
        for (const k of Object.keys(list.keys)) {
          const t = type.field(k)!;
          entry[k] = () => (parts[k] === undefined ? new Unknown(`${label}.${field} has no ${k}`) : convert(t, parts[k], `${label}.${field}.${k}`));
        }
        return recordOf(`${label}.${field}`, entry);
      }
      return convert(type ?? STRING, raw, `${label}.${field}`);
    },
  };
}

function keyOf(ctx: EvalContext, args: (Value | undefined)[]) {
  const s = server(ctx, args[0] as string);
  if (s instanceof Unknown) return s;
  const name = args[1] as string;
  const db = (args[2] as number | undefined) ?? 0;
  return { key: s.redis.key(db, name), label: `key "${name}" on ${s.label}${db ? ` db ${db}` : ''}` };
}

/** Sentinels' view of a master: the address reported by a majority of running sentinels. */
function masterOf(ctx: EvalContext, name: string, on: string | undefined): Value {
  const votes = new Map<string, number>();
  let sentinels = 0;
  const consider = (redis: RedisView) => {
    if (redis.role() !== 'sentinel') return;
    const info = redis.info('sentinel');
    for (const [field, raw] of Object.entries(info)) {
      if (!/^master\d+$/.test(field)) continue;
      const parts = parseInfoList(raw);
      if (parts.name === name && parts.address) {
        sentinels++;
        votes.set(parts.address, (votes.get(parts.address) ?? 0) + 1);
      }
    }
  };
  if (on !== undefined) {
    const s = server(ctx, on);
    if (s instanceof Unknown) return s;
    consider(s.redis);
  } else {
    for (const h of ctx.view.hosts()) {
      for (const port of ctx.view.redisPorts(h.name)) {
        const redis = ctx.view.redis(h.name, port);
        if (redis) consider(redis);
      }
    }
  }
  if (sentinels === 0) return new Unknown(`no running sentinel monitors "${name}"${on ? ` at ${on}` : ''}`);
  for (const [address, n] of votes) if (n * 2 > sentinels) return address;
  const tally = [...votes].map(([a, n]) => `${a} (${n})`).join(', ');
  return new Unknown(`the sentinels disagree about "${name}": ${tally}`);
}

// ---------------------------------------------------------------------------------------------
// The whitelist

const ADDRESS: ParamSpec = { name: 'address', type: STRING, literal: 'address' };
const KEY: ParamSpec = { name: 'key', type: STRING };
const DB: ParamSpec = { name: 'db', type: NUMBER, optional: true, literal: 'db' };

const KEY_TYPES = ['string', 'list', 'hash', 'set', 'zset', 'stream', 'none'];

const specs: FunctionSpec[] = [
  {
    name: 'role',
    params: [ADDRESS],
    returns: () => stringOf(['master', 'slave', 'sentinel']),
    doc: 'The first element of ROLE at the address: "master", "slave" or "sentinel".',
    evaluate: ([address], ctx) => {
      const s = server(ctx, address as string);
      return s instanceof Unknown ? s : s.redis.role();
    },
  },
  {
    name: 'up',
    params: [ADDRESS],
    returns: () => BOOL,
    doc: 'A Redis server or sentinel is running at the address.',
    evaluate: ([address], ctx) => {
      const r = resolveAddress(address as string, hostsOf(ctx.view));
      if (!r.ok) return new Unknown(r.message);
      return ctx.view.redis(r.value.host, r.value.port) !== null;
    },
  },
  {
    name: 'info',
    params: [ADDRESS, { name: 'section', type: STRING, optional: true, mustBeLiteral: true, literal: 'section' }],
    returns: ([, section]) => infoRecord(typeof section === 'string' ? section : null),
    doc: 'INFO of the server as a record: info("10.0.0.1:6379", "replication").connected_slaves. Without a section, every field.',
    evaluate: ([address, section], ctx) => {
      const s = server(ctx, address as string);
      if (s instanceof Unknown) return s;
      const sec = section === undefined ? null : (section as string);
      const label = `info("${address}"${sec ? `, "${sec}"` : ''})`;
      return infoValue(s.redis.info(sec ?? 'everything'), sec, label);
    },
  },
  {
    name: 'cluster_info',
    params: [ADDRESS],
    returns: () => CLUSTER_INFO,
    doc: 'CLUSTER INFO of a cluster node as a record: cluster_info("10.0.0.1:7000").cluster_state == "ok" (unknown when cluster mode is off).',
    evaluate: ([address], ctx) => {
      const s = server(ctx, address as string);
      if (s instanceof Unknown) return s;
      const fields = s.redis.clusterInfo();
      const label = `cluster_info("${address}")`;
      if (!fields) return new Unknown(`${address} is not in cluster mode`);
      const entry: Record<string, () => Value> = {};
      for (const name of CLUSTER_INFO.fieldNames()) {
        const t = CLUSTER_INFO.field(name)!;
        entry[name] = () => (fields[name] === undefined ? new Unknown(`${label} has no field ${name}`) : convert(t, fields[name], `${label}.${name}`));
      }
      return recordOf(label, entry);
    },
  },
  {
    name: 'config',
    params: [ADDRESS, { name: 'parameter', type: STRING }],
    returns: () => STRING,
    doc: 'CONFIG GET of one parameter, as text: config("10.0.0.1:6379", "appendonly") == "yes".',
    evaluate: ([address, name], ctx) => {
      const s = server(ctx, address as string);
      if (s instanceof Unknown) return s;
      const v = s.redis.config(name as string);
      return v === null ? new Unknown(`${address} has no config parameter "${name}"`) : v;
    },
  },
  {
    name: 'key',
    params: [ADDRESS, KEY, DB],
    returns: () => STRING,
    doc: 'The value of a string key (unknown if the key does not exist or is not a string).',
    evaluate: (args, ctx) => {
      const k = keyOf(ctx, args);
      if (k instanceof Unknown) return k;
      if (!k.key) return new Unknown(`${k.label} does not exist`);
      if (k.key.value === null) return new Unknown(`${k.label} holds a ${k.key.type}, not a string`);
      return k.key.value;
    },
  },
  {
    name: 'exists',
    params: [ADDRESS, KEY, DB],
    returns: () => BOOL,
    doc: 'The key exists (expired keys do not).',
    evaluate: (args, ctx) => {
      const k = keyOf(ctx, args);
      return k instanceof Unknown ? k : k.key !== null;
    },
  },
  {
    name: 'type',
    params: [ADDRESS, KEY, DB],
    returns: () => stringOf(KEY_TYPES),
    doc: 'TYPE of the key: "string", "list", "hash", "set", "zset", "stream" or "none".',
    evaluate: (args, ctx) => {
      const k = keyOf(ctx, args);
      return k instanceof Unknown ? k : (k.key?.type ?? 'none');
    },
  },
  {
    name: 'len',
    params: [ADDRESS, KEY, DB],
    returns: () => NUMBER,
    doc: 'Length of the key by its type (STRLEN, LLEN, HLEN, SCARD, ZCARD, XLEN); 0 if missing.',
    evaluate: (args, ctx) => {
      const k = keyOf(ctx, args);
      return k instanceof Unknown ? k : (k.key?.length ?? 0);
    },
  },
  {
    name: 'ttl',
    params: [ADDRESS, KEY, DB],
    returns: () => DURATION,
    doc: 'Remaining time to live of the key, a duration (unknown if missing or without expiry).',
    evaluate: (args, ctx) => {
      const k = keyOf(ctx, args);
      if (k instanceof Unknown) return k;
      if (!k.key) return new Unknown(`${k.label} does not exist`);
      return k.key.ttlMs === null ? new Unknown(`${k.label} has no expiry`) : k.key.ttlMs;
    },
  },
  {
    name: 'dbsize',
    params: [ADDRESS, DB],
    returns: () => NUMBER,
    doc: 'DBSIZE of a database (0 by default).',
    evaluate: ([address, db], ctx) => {
      const s = server(ctx, address as string);
      return s instanceof Unknown ? s : s.redis.dbsize((db as number | undefined) ?? 0);
    },
  },
  {
    name: 'log',
    params: [ADDRESS],
    returns: () => STRING,
    doc: 'Everything the server at the address has logged: log("10.0.0.2:6379").contains("MASTER <-> REPLICA sync").',
    evaluate: ([address], ctx) => {
      const s = server(ctx, address as string);
      return s instanceof Unknown ? s : s.redis.log();
    },
  },
  {
    name: 'file',
    params: [{ name: 'path', type: STRING, literal: 'file' }],
    returns: () => FILE,
    doc: 'A file: .exists, .size (bytes), .text, .contains("..."), .count("...").',
    evaluate: ([path], ctx) => {
      const label = `file("${path}")`;
      const r = resolveFilePath(path as string, hostsOf(ctx.view));
      if (!r.ok) return new Unknown(r.message);
      const f = ctx.view.file(r.value.host, r.value.path);
      const missing = () => new Unknown(`${path} does not exist`);
      return recordOf(label, {
        exists: () => f !== null,
        size: () => (f ? f.size : missing()),
        text: () => (f ? f.text() : missing()),
      });
    },
  },
  {
    name: 'process',
    params: [{ name: 'host', type: STRING, literal: 'host' }, { name: 'match', type: STRING }],
    returns: () => PROCESS,
    doc: 'Processes on a host whose name is `match` or whose command line contains it: .alive, .count, .pid.',
    evaluate: ([host, match], ctx) => {
      const h = resolveHost(host as string, hostsOf(ctx.view));
      if (!h.ok) return new Unknown(h.message);
      const m = match as string;
      const alive = ctx.view
        .processes(h.value)
        .filter((p) => p.alive && (p.name === m || p.argv.join(' ').includes(m)));
      return recordOf(`process("${host}", "${m}")`, {
        alive: () => alive.length > 0,
        count: () => alive.length,
        pid: () => (alive.length ? alive[0].pid : new Unknown(`no process "${m}" runs on ${host}`)),
      });
    },
  },
  {
    name: 'event',
    params: [
      { name: 'name', type: STRING, literal: 'event-name' },
      { name: 'on', type: STRING, optional: true, namedOnly: true, literal: 'host-or-address' },
      { name: 'after', type: DURATION, optional: true, namedOnly: true },
      { name: 'text', type: STRING, optional: true, namedOnly: true },
    ],
    returns: () => EVENTS,
    doc: 'Events of the trace with this name, optionally on a host or address, after a time, whose text contains `text` (any case). True when there is at least one.',
    evaluate: ([name, on, after, text], ctx) => {
      let where: { host: string; port: number | null } | null = null;
      if (on !== undefined) {
        const r = resolveHostOrAddress(on as string, hostsOf(ctx.view));
        if (!r.ok) return new Unknown(r.message);
        where = r.value;
      }
      const needle = text === undefined ? null : (text as string).toLowerCase();
      const events = ctx.view.trace().filter(
        (e) =>
          e.kind === name &&
          (where === null || (e.host === where.host && (where.port === null || e.port === where.port))) &&
          (after === undefined || e.atMs >= (after as number)) &&
          (needle === null || e.text.toLowerCase().includes(needle)),
      );
      const filters = [on !== undefined ? `on ${on}` : '', text !== undefined ? `with "${text}"` : ''].filter(Boolean).join(' ');
      return new EventList(events, `${name} events${filters ? ' ' + filters : ''}`);
    },
  },
  {
    name: 'count',
    params: [{ name: 'events', type: EVENTS }],
    returns: () => NUMBER,
    doc: 'How many events: count(event("+sdown")) >= 2.',
    evaluate: ([events]) => (events as EventList).events.length,
  },
  {
    name: 'master_of',
    params: [{ name: 'master', type: STRING }, { name: 'on', type: STRING, optional: true, namedOnly: true, literal: 'address' }],
    returns: () => STRING,
    doc: 'The "ip:port" the sentinels (a majority of those running, or the one given by on=) report for a master name.',
    evaluate: ([name, on], ctx) => masterOf(ctx, name as string, on as string | undefined),
  },
  {
    name: 'acked_writes',
    params: [],
    returns: () => NUMBER,
    needsLoadgen: true,
    doc: 'Writes the load generator got an OK for.',
    evaluate: (_a, ctx) => ctx.view.loadgen().acked,
  },
  {
    name: 'lost_writes',
    params: [{ name: 'after', type: DURATION, optional: true, namedOnly: true }],
    returns: () => NUMBER,
    needsLoadgen: true,
    doc: 'Acknowledged writes that are no longer in the current master\'s data; with after=, those found missing at or after that time: lost_writes(after=step_start()).',
    evaluate: ([after], ctx) => {
      const lg = ctx.view.loadgen();
      if (after === undefined) return lg.lost;
      if (!lg.lostAtMs) return new Unknown('this world does not record when writes were lost');
      return lg.lostAtMs.filter((t) => t >= (after as number)).length;
    },
  },
  {
    name: 'failed_writes',
    params: [],
    returns: () => NUMBER,
    needsLoadgen: true,
    doc: 'Writes that got an error (READONLY, NOREPLICAS, ...) or no answer.',
    evaluate: (_a, ctx) => ctx.view.loadgen().errors,
  },
  {
    name: 'loadgen_master',
    params: [],
    returns: () => STRING,
    needsLoadgen: true,
    doc: 'The "ip:port" of the master the load generator writes to now, when it goes through the sentinels (unknown while it has none).',
    evaluate: (_a, ctx) => {
      const m = ctx.view.loadgen().master;
      if (m === undefined) return new Unknown('this world does not report where the load generator writes');
      return m === null ? new Unknown('the load generator has no master right now') : m;
    },
  },
  {
    name: 'loadgen_reads',
    params: [],
    returns: () => NUMBER,
    needsLoadgen: true,
    doc: 'Reads the load generator made from replicas (halab-loadgen --reads).',
    evaluate: (_a, ctx) => {
      const r = ctx.view.loadgen().reads;
      return r === undefined ? new Unknown('this world does not count the load generator\'s reads') : r;
    },
  },
  {
    name: 'now',
    params: [],
    returns: () => DURATION,
    doc: 'Virtual time since the world was built.',
    evaluate: (_a, ctx) => ctx.view.now(),
  },
  {
    name: 'step_start',
    params: [],
    returns: () => DURATION,
    doc: 'Virtual time at which the current step started: event("+sdown", after=step_start()).',
    evaluate: (_a, ctx) => ctx.stepStartMs,
  },
  {
    name: 'number',
    params: [{ name: 'text', type: STRING }],
    returns: () => NUMBER,
    doc: 'Text as a number: number(config("10.0.0.1:6379", "maxmemory")) == 0.',
    evaluate: ([text]) => {
      const t = (text as string).trim();
      const n = Number(t);
      return t !== '' && Number.isFinite(n) ? n : new Unknown(`"${text}" is not a number`);
    },
  },
  {
    name: 'seconds',
    params: [{ name: 'n', type: NUMBER }],
    returns: () => DURATION,
    doc: 'A number of seconds as a duration: seconds(info(a, "server").uptime_in_seconds) < 10s.',
    evaluate: ([n]) => (n as number) * 1000,
  },
];

export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map(specs.map((s) => [s.name, s]));

/** `role(address)`, `event(name, on=, after=, text=)`: for docs and messages. */
export function signatureOf(spec: FunctionSpec): string {
  const params = spec.params.map((p) => (p.namedOnly ? `${p.name}=` : p.optional ? `[${p.name}]` : p.name));
  return `${spec.name}(${params.join(', ')})`;
}
