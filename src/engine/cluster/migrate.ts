/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw]
 * [KEYS key...] (migrateCommand in cluster.c).
 *
 * The keys are serialized with DUMP's format and sent to the target as RESTORE commands
 * (RESTORE-ASKING in cluster mode, so an importing target accepts them), preceded by AUTH and
 * by SELECT when the cached connection is not already on that db. Each reply is read back; the
 * keys the target acknowledged are deleted here (unless COPY) and the command propagates as
 * DEL of those keys. Connections are cached per host:port (at most 64) and closed after 10 s
 * unused. A socket error before the first reply is retried once on a fresh connection.
 *
 * Redis does this synchronously, freezing the whole server for the round trip. Here the calling
 * client waits (see async-reply.ts) and every other client's commands are postponed by a pause
 * of their own purpose ('migrate', type ALL) until the keys the target took are deleted: a
 * write that slipped in between reading a value and deleting it would be lost (Redis's own
 * cluster suite, 04-resharding, lost list elements that way under load). The replication link
 * and the cluster bus go on meanwhile.
 *
 * Values are serialized with DUMP's own code (the RDB codec of src/engine/persistence), and
 * RESTORE-ASKING, the target side in cluster mode, is RESTORE's handler flagged "asking".
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';
import type { RedisValue } from '../keyspace/values';
import type { Os, Socket } from '../os';
import { cmd, type CommandSpec } from '../commands/table';
import { optEq } from '../commands/util';
import { string2ll } from '../util/numbers';
import { encodeCommand } from '../resp/reply-parser';
import { bytesToStr, strToBytes } from '../bytes';
import { replyAfter } from '../server/async-reply';
import { pauseClients, unpauseClients } from '../server/pause';
import { createDumpPayload } from '../persistence/rdb/file-writer';
import { encodeOptions } from '../persistence/snapshot';
import { dumpCommands } from '../commands/dump';

/** The DUMP payload (RDB value encoding + RDB version + CRC64) of a value, as a byte string. */
function dumpPayload(server: RedisServer, value: RedisValue): string {
  return bytesToStr(createDumpPayload(value, encodeOptions(server)));
}

const SOCKET_CACHE_ITEMS = 64;
const SOCKET_CACHE_TTL_SEC = 10;

/** A blocking-style connection over an Os socket: connect, write, read a line, with timeouts. */
class MigrateSocket {
  private buf = '';
  private waiting: (() => void) | null = null;
  closed = false;
  /** The connection attempt timed out (errno ETIMEDOUT: no retry). */
  timedOut = false;
  lastDbid = -1;
  lastUseSec = 0;

  private constructor(private readonly os: Os, readonly socket: Socket) {
    socket.onData = (b) => { this.buf += bytesToStr(b); this.wake(); };
    socket.onClose = () => { this.closed = true; this.wake(); };
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  /**
   * connBlockingConnect. Like Redis 7.0's, it only fails when the connection cannot even be
   * attempted (null): a refused or timed-out connection still yields a socket, closed, so
   * the failure shows up when writing ("error or timeout writing to target instance").
   */
  static connect(os: Os, host: string, port: number, timeoutMs: number): Promise<MigrateSocket | null> {
    return new Promise((resolve) => {
      let socket: Socket;
      try {
        socket = os.connect(host, port, { timeoutMs });
      } catch {
        resolve(null);
        return;
      }
      let done = false;
      const settle = (failed: 'refused' | 'timeout' | null) => {
        if (done) return;
        done = true;
        os.clearTimer(timer);
        const cs = new MigrateSocket(os, socket);
        if (failed) {
          cs.closed = true;
          cs.timedOut = failed === 'timeout';
          socket.destroy();
        }
        resolve(cs);
      };
      const timer = os.setTimer(timeoutMs, () => settle('timeout'));
      socket.onConnect = () => settle(null);
      socket.onClose = () => settle('refused');
    });
  }

  write(bytes: Uint8Array): boolean {
    return !this.closed && this.socket.write(bytes);
  }

  /** One reply line without CRLF; null on timeout ('timeout') or a closed socket ('closed'). */
  async readLine(timeoutMs: number): Promise<string | 'timeout' | 'closed'> {
    const deadline = this.os.now() + timeoutMs;
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        let line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        return line;
      }
      if (this.closed) return 'closed';
      const left = deadline - this.os.now();
      if (left <= 0) return 'timeout';
      let timedOut = false;
      await new Promise<void>((resolve) => {
        const t = this.os.setTimer(left, () => { timedOut = true; this.waiting = null; resolve(); });
        this.waiting = () => { this.os.clearTimer(t); resolve(); };
      });
      if (timedOut && this.buf.indexOf('\n') < 0) return 'timeout';
    }
  }

  close(): void {
    this.closed = true;
    this.socket.onData = null;
    this.socket.onClose = null;
    this.socket.destroy();
  }
}

const caches = new WeakMap<RedisServer, Map<string, MigrateSocket>>();

function cacheOf(server: RedisServer): Map<string, MigrateSocket> {
  let m = caches.get(server);
  if (!m) {
    const cache = new Map<string, MigrateSocket>();
    m = cache;
    caches.set(server, cache);
    // Standalone servers MIGRATE too: the idle sweep runs from serverCron in either mode, and
    // wakes the process only when a cached connection falls due.
    server.hooks.cron.push({
      run: () => migrateCloseTimedOutSockets(server),
      quietUntil: (tick) => {
        let dueMs = Infinity;
        for (const cs of cache.values()) dueMs = Math.min(dueMs, (cs.lastUseSec + SOCKET_CACHE_TTL_SEC + 1) * 1000);
        return Math.max(tick.atMs, dueMs);
      },
    });
  }
  return m;
}

/** INFO's migrate_cached_sockets: the connections MIGRATE keeps open to reuse. */
export function migrateCachedSockets(server: RedisServer): number {
  return caches.get(server)?.size ?? 0;
}

/**
 * migrateCloseTimedoutSockets (serverCron, once a second): only idleness ends a cached
 * connection; one the target closed stays counted until then, or until MIGRATE next picks it
 * and finds it dead.
 */
export function migrateCloseTimedOutSockets(server: RedisServer): void {
  const cache = caches.get(server);
  if (!cache) return;
  const nowSec = Math.floor(server.os.now() / 1000);
  for (const [name, cs] of cache) {
    if (nowSec - cs.lastUseSec > SOCKET_CACHE_TTL_SEC) {
      cs.close();
      cache.delete(name);
    }
  }
}

function closeCached(server: RedisServer, name: string): void {
  const cache = cacheOf(server);
  const cs = cache.get(name);
  if (cs) { cs.close(); cache.delete(name); }
}

async function getSocket(server: RedisServer, host: string, port: string, timeoutMs: number): Promise<MigrateSocket | null> {
  const cache = cacheOf(server);
  const name = `${host}:${port}`;
  const cached = cache.get(name);
  if (cached && !cached.closed) {
    cached.lastUseSec = Math.floor(server.os.now() / 1000);
    return cached;
  }
  if (cached) cache.delete(name);
  if (cache.size >= SOCKET_CACHE_ITEMS) {
    const victims = [...cache.keys()];
    const victim = victims[Math.floor(server.os.random() * victims.length)];
    closeCached(server, victim);
  }
  const portNum = Number(/^\s*([+-]?\d+)/.exec(port)?.[1] ?? 0);
  const cs = await MigrateSocket.connect(server.os, host, portNum, timeoutMs);
  if (!cs) return null;
  cs.lastUseSec = Math.floor(server.os.now() / 1000);
  cache.set(name, cs);
  return cs;
}

interface MigrateRequest {
  host: string;
  port: string;
  dbid: number;
  timeoutMs: number;
  copy: boolean;
  replace: boolean;
  username: string | null;
  password: string | null;
  keys: string[];
  values: RedisValue[];
}

type MigrateOutcome =
  | { kind: 'ok'; moved: string[] }
  | { kind: 'target-error'; message: string; moved: string[] }
  | { kind: 'ioerr'; text: string; moved: string[] };

function migrate(c: Client, argv: string[]): void {
  const s = c.server;
  let copy = false, replace = false;
  let username: string | null = null, password: string | null = null;
  let firstKey = 3, numKeys = 1;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (optEq(argv[j], 'copy')) {
      copy = true;
    } else if (optEq(argv[j], 'replace')) {
      replace = true;
    } else if (optEq(argv[j], 'auth')) {
      if (!more) { c.replySyntaxError(); return; }
      password = argv[++j];
      c.redactArg(j); // MONITOR and SLOWLOG must not show credentials (as Redis redacts them)
    } else if (optEq(argv[j], 'auth2')) {
      if (more < 2) { c.replySyntaxError(); return; }
      username = argv[++j];
      c.redactArg(j);
      password = argv[++j];
      c.redactArg(j);
    } else if (optEq(argv[j], 'keys')) {
      if (argv[3].length !== 0) { c.replyError('When using MIGRATE KEYS option, the key argument must be set to the empty string'); return; }
      firstKey = j + 1;
      numKeys = argv.length - j - 1;
      break;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  const timeoutArg = string2ll(argv[5]);
  const dbid = string2ll(argv[4]);
  if (timeoutArg === null || dbid === null) { c.replyNotInteger(); return; }
  const timeoutMs = timeoutArg <= 0 ? 1000 : timeoutArg;

  const keys: string[] = [];
  const values: RedisValue[] = [];
  for (let j = 0; j < numKeys; j++) {
    const v = c.db.lookupRead(argv[firstKey + j]);
    if (v !== undefined) { keys.push(argv[firstKey + j]); values.push(v); }
  }
  if (keys.length === 0) { c.replyStatus('NOKEY'); return; }
  const req: MigrateRequest = { host: argv[1], port: argv[2], dbid, timeoutMs, copy, replace, username, password, keys, values };
  const db = c.db;
  pauseClients(s, 'migrate', Infinity, 'all');
  const work = runMigrate(s, db.id, req);
  replyAfter(c, work, (cl, out) => finishMigrate(cl, req, out),
    (cl) => cl.replyError('-IOERR error or timeout reading to target instance'));
  // Registered after replyAfter's own handlers, so the keys are deleted before the postponed
  // commands run again; also when the caller is gone or the work failed.
  const resume = () => s.event(() => unpauseClients(s, 'migrate'));
  work.then(resume, resume);
}

/** Build the request stream and exchange it with the target (the try_again loop). */
async function runMigrate(s: RedisServer, dbId: number, req: MigrateRequest): Promise<MigrateOutcome> {
  const name = `${req.host}:${req.port}`;
  let mayRetry = true;
  for (;;) {
    const cs = await getSocket(s, req.host, req.port, req.timeoutMs);
    if (!cs) return { kind: 'ioerr', text: '-IOERR error or timeout connecting to the client', moved: [] };
    const parts: string[] = [];
    if (req.password !== null) parts.push(encodeCommand(req.username !== null ? ['AUTH', req.username, req.password] : ['AUTH', req.password]));
    const select = cs.lastDbid !== req.dbid;
    if (select) parts.push(encodeCommand(['SELECT', String(req.dbid)]));
    const sent: string[] = [];
    const db = s.dbs[dbId];
    for (let j = 0; j < req.keys.length; j++) {
      let ttl = 0;
      const expireAt = db.getExpire(req.keys[j]);
      if (expireAt !== -1) {
        ttl = expireAt - s.os.now();
        if (ttl < 0) continue;
        if (ttl < 1) ttl = 1;
      }
      sent.push(req.keys[j]);
      const argv = [s.clusterEnabled() ? 'RESTORE-ASKING' : 'RESTORE', req.keys[j], String(Math.floor(ttl)), dumpPayload(s, req.values[j])];
      if (req.replace) argv.push('REPLACE');
      parts.push(encodeCommand(argv));
    }
    if (!cs.write(strToBytes(parts.join('')))) {
      closeCached(s, name);
      if (mayRetry && !cs.timedOut) { mayRetry = false; continue; }
      return { kind: 'ioerr', text: '-IOERR error or timeout writing to target instance', moved: [] };
    }
    let authReply = '', selectReply = '';
    let socketError: 'timeout' | 'closed' | null = null;
    if (req.password !== null) {
      const r = await cs.readLine(req.timeoutMs);
      if (r === 'timeout' || r === 'closed') socketError = r; else authReply = r;
    }
    if (!socketError && select) {
      const r = await cs.readLine(req.timeoutMs);
      if (r === 'timeout' || r === 'closed') socketError = r; else selectReply = r;
    }
    if (socketError) {
      closeCached(s, name);
      if (socketError !== 'timeout' && mayRetry) { mayRetry = false; continue; }
      return { kind: 'ioerr', text: '-IOERR error or timeout reading to target instance', moved: [] };
    }
    const moved: string[] = [];
    let targetError: string | null = null;
    let readError: 'timeout' | 'closed' | null = null;
    let j = 0;
    for (; j < sent.length; j++) {
      const r = await cs.readLine(req.timeoutMs);
      if (r === 'timeout' || r === 'closed') { readError = r; break; }
      if ((req.password !== null && authReply[0] === '-') || (select && selectReply[0] === '-') || r[0] === '-') {
        if (targetError === null) {
          cs.lastDbid = -1;
          const errLine = req.password !== null && authReply[0] === '-' ? authReply : select && selectReply[0] === '-' ? selectReply : r;
          targetError = errLine.slice(1);
        }
      } else if (!req.copy) {
        moved.push(sent[j]);
      }
    }
    if (targetError === null && readError && j === 0 && mayRetry && readError !== 'timeout') {
      closeCached(s, name);
      mayRetry = false;
      continue;
    }
    if (readError) closeCached(s, name);
    if (targetError === null && readError) {
      return { kind: 'ioerr', text: '-IOERR error or timeout reading to target instance', moved };
    }
    if (targetError !== null) return { kind: 'target-error', message: targetError, moved };
    cs.lastDbid = req.dbid;
    return { kind: 'ok', moved };
  }
}

/** Delete what the target acknowledged, propagate it as DEL, and reply. */
function finishMigrate(c: Client, _req: MigrateRequest, out: MigrateOutcome): void {
  const s = c.server;
  if (out.moved.length) {
    for (const k of out.moved) {
      if (c.db.delete(k)) {
        s.signalModifiedKey(c.db, k);
        s.notifyKeyspaceEvent('g', 'del', k, c.db.id);
        s.dirty++;
      }
    }
    s.alsoPropagate(c.db.id, ['DEL', ...out.moved]);
  }
  if (out.kind === 'ok') c.replyOk();
  else if (out.kind === 'target-error') c.replyError(`Target instance replied with error: ${out.message}`);
  else c.replyError(out.text);
}

/** migrateGetKeys: the key argument, or everything after KEYS when the key is "". */
function migrateKeys(argv: string[]): number[] {
  let first = 3, num = 1;
  const skip: Record<string, number> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
  if (argv.length > 6) {
    for (let i = 6; i < argv.length; i++) {
      const a = argv[i].toLowerCase();
      if (a === 'keys') {
        if (argv[3].length > 0) num = 0;
        else { first = i + 1; num = argv.length - first; }
        break;
      }
      if (a in skip) i += skip[a];
    }
  }
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(first + i);
  return out;
}

/** RESTORE's handler: RESTORE-ASKING differs only by its "asking" flag (and being internal). */
const restoreHandler = dumpCommands.find((c) => c.name === 'restore')!.handler!;

export const migrateCommands: CommandSpec[] = [
  cmd('restore-asking', -4, ['write', 'denyoom', 'asking'], [1, 1, 1], {
    group: 'server', acl: ['@keyspace', '@dangerous'], since: '3.0.0', summary: 'An internal command for migrating keys in a cluster',
    complexity: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value.',
    args: [
      { name: 'key', type: 'key' }, { name: 'ttl', type: 'integer' }, { name: 'serialized-value', type: 'string' },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true, since: '3.0.0' },
      { name: 'absttl', type: 'pure-token', token: 'ABSTTL', optional: true, since: '5.0.0' },
      { name: 'seconds', type: 'integer', token: 'IDLETIME', optional: true, since: '5.0.0' },
      { name: 'frequency', type: 'integer', token: 'FREQ', optional: true, since: '5.0.0' },
    ],
  }, restoreHandler, {
    docFlags: ['syscmd'],
    keySpecs: [{ flags: ['OW', 'update'], beginSearch: { type: 'index', pos: 1 }, findKeys: { type: 'range', lastKey: 0, keyStep: 1, limit: 0 } }],
    history: [['3.0.0', 'Added the `REPLACE` modifier.'], ['5.0.0', 'Added the `ABSTTL` modifier.'], ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.']],
  }),
  cmd('migrate', -6, ['write'], [3, 3, 1], {
    group: 'generic', acl: ['@keyspace', '@dangerous'], since: '2.6.0', summary: 'Move keys to another Redis instance, atomically from the caller\'s point of view.',
    complexity: 'This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance.',
    tips: ['nondeterministic_output'],
    args: [
      { name: 'host', type: 'string' }, { name: 'port', type: 'integer' },
      { name: 'key_or_empty_string', type: 'oneof', args: [{ name: 'key', type: 'key', keySpecIndex: 0 }, { name: 'empty_string', type: 'pure-token', token: '' }] },
      { name: 'destination-db', type: 'integer' }, { name: 'timeout', type: 'integer' },
      { name: 'copy', type: 'pure-token', token: 'COPY', optional: true, since: '3.0.0' },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true, since: '3.0.0' },
      {
        name: 'authentication', type: 'oneof', optional: true, args: [
          { name: 'password', type: 'string', token: 'AUTH', optional: true, since: '4.0.7' },
          { name: 'username_password', type: 'block', token: 'AUTH2', optional: true, since: '6.0.0', args: [{ name: 'username', type: 'string' }, { name: 'password', type: 'string' }] },
        ],
      },
      { name: 'key', type: 'key', keySpecIndex: 1, token: 'KEYS', optional: true, multiple: true, since: '3.0.6' },
    ],
  }, migrate, {
    getKeys: migrateKeys,
    history: [['3.0.0', 'Added the `COPY` and `REPLACE` options.'], ['3.0.6', 'Added the `KEYS` option.'], ['4.0.7', 'Added the `AUTH` option.'], ['6.0.0', 'Added the `AUTH2` option.']],
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { type: 'index', pos: 3 }, findKeys: { type: 'range', lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RW', 'access', 'delete', 'incomplete'], beginSearch: { type: 'keyword', keyword: 'KEYS', startFrom: -2 }, findKeys: { type: 'range', lastKey: -1, keyStep: 1, limit: 0 } },
    ],
  }),
];

