/**
 * DEBUG: the developer's toolbox (debug.c), gated by `enable-debug-command` in dispatch.
 *
 * Persistence and replication own some subcommands' real work: DEBUG RELOAD and LOADAOF call
 * the hooks in `debugHooks(server)` that the persistence module registers; without them the
 * server behaves like one whose RDB file round-trips the dataset unchanged (RELOAD drops
 * expired keys like loading does) and like one without an AOF (LOADAOF empties the dataset and
 * exits, as Redis does when there is no AOF to load).
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';
import { cmd, type CommandSpec } from './table';
import { addReplyHelp, subcommandSyntaxError } from './help';
import { getPositiveLongOrReply, optEq } from './util';
import { stringEncoding, type Entry } from '../keyspace/db';
import { datasetDigest, keyDigest } from '../keyspace/digest';
import { toHex } from '../util/sha';
import { randomHex } from '../util/random';
import { string2ll, isInt64String } from '../util/numbers';
import { memtoull } from '../config/types';
import { stringMatch } from '../util/glob';
import { rewriteConfigFile } from '../config/rewrite';
import { aclRewriteLines } from './acl';
import { replyAfter } from '../server/async-reply';
import { sdsAllocSize, jemallocSize } from '../keyspace/memory-usage';
import { cFixed } from '../util/printf';
import { quicklistLayout } from '../keyspace/quicklist-layout';
import { sdsAvail, storedValueSds } from '../keyspace/sds';
import { KEY_CREATE_CPU_MS } from '../server/cpu-cost';
import { dbTableSlots } from '../server/memory-stats';
import { crashReport } from '../server/bug-report';

/** Hooks other subsystems register for the DEBUG subcommands they implement. */
export interface DebugHooks {
  /** DEBUG RELOAD: save (unless nosave), flush (unless noflush), load. Resolves to an error reply or null. */
  reload?: (opts: { merge: boolean; noflush: boolean; nosave: boolean }) => Promise<string | null>;
  /** DEBUG LOADAOF: flush the AOF, empty the dataset and load the AOF back. */
  loadAof?: () => Promise<string | null>;
  /** DEBUG CHANGE-REPL-ID: replication renews its IDs (and backlog bookkeeping). */
  changeReplId?: () => void;
  /** DEBUG REPLICATE: send a command to the replicas only. */
  replicate?: (argv: string[]) => void;
  /** rdbSavedObjectLen for DEBUG OBJECT (exact with LZF compression). */
  serializedLength?: (key: string, e: Entry) => number;
}

/** Settings DEBUG changes that other modules read. */
export interface DebugState {
  quicklistPackedThreshold: number;
  skipChecksumValidation: boolean;
  aofFlushSleepUs: number;
  disableDenyScripts: boolean;
  replyBufferPeakResetTimeMs: number;
  replyBufferResizing: boolean;
  clusterDropPacketFilter: number;
}

const hooks = new WeakMap<RedisServer, DebugHooks>();
const states = new WeakMap<RedisServer, DebugState>();

export function debugHooks(s: RedisServer): DebugHooks {
  let h = hooks.get(s);
  if (!h) { h = {}; hooks.set(s, h); }
  return h;
}

export function debugState(s: RedisServer): DebugState {
  let st = states.get(s);
  if (!st) {
    st = {
      quicklistPackedThreshold: 1 << 30, skipChecksumValidation: false, aofFlushSleepUs: 0, disableDenyScripts: false,
      replyBufferPeakResetTimeMs: 5000, replyBufferResizing: true, clusterDropPacketFilter: -1,
    };
    states.set(s, st);
  }
  return st;
}

/** atoi(): leading whitespace, sign, digits; anything else stops; no digits is 0. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(BigInt.asIntN(32, BigInt(m[1]))) : 0;
}

/** strtod() prefix parse (DEBUG SLEEP 0.5, "1abc" is 1). */
function strtod(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(s);
  if (m) return Number(m[1]);
  const inf = /^[ \t\n\v\f\r]*([+-]?)(inf|infinity)/i.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return 0;
}

/** Bytes of an RDB length prefix. */
function rdbLenBytes(n: number): number {
  return n < 64 ? 1 : n < 16384 ? 2 : n <= 0xffffffff ? 5 : 9;
}

/** An RDB string (integer encoded when it fits 32 bits), without LZF compression. */
function rdbStringLen(s: string): number {
  if (s.length <= 11 && isInt64String(s)) {
    const v = Number(s);
    if (v >= -128 && v <= 127) return 2;
    if (v >= -32768 && v <= 32767) return 3;
    if (v >= -2147483648 && v <= 2147483647) return 5;
  }
  return rdbLenBytes(s.length) + s.length;
}

/** rdbSavedObjectLen, uncompressed: what the value would take in an RDB file. */
function serializedLength(e: Entry): number {
  const v = e.v;
  if (typeof v === 'string') return rdbStringLen(v);
  switch (v.type) {
    case 'list': {
      let lp = 7;
      for (const el of v.toArray()) lp += 2 + el.length;
      return rdbLenBytes(1) + rdbLenBytes(2) + rdbLenBytes(lp) + lp;
    }
    case 'set': {
      if (v.encoding === 'intset') { const n = 8 + 8 * v.set.size; return rdbLenBytes(n) + n; }
      let n = rdbLenBytes(v.set.size);
      for (const m of v.set) n += rdbStringLen(m);
      return n;
    }
    case 'hash': {
      if (v.encoding === 'listpack') {
        let lp = 7;
        for (const [f, val] of v.map) lp += 4 + f.length + val.length;
        return rdbLenBytes(lp) + lp;
      }
      let n = rdbLenBytes(v.map.size);
      for (const [f, val] of v.map) n += rdbStringLen(f) + rdbStringLen(val);
      return n;
    }
    case 'zset': {
      if (v.encoding === 'listpack') {
        let lp = 7;
        for (const [m, sc] of v.dict) lp += 4 + m.length + String(sc).length;
        return rdbLenBytes(lp) + lp;
      }
      let n = rdbLenBytes(v.dict.size);
      for (const [m] of v.dict) n += rdbStringLen(m) + 8;
      return n;
    }
    default: return 0;
  }
}

function encodingOf(e: Entry): string {
  const v = e.v;
  if (typeof v === 'string') return stringEncoding(e);
  return (v as { encoding?: string }).encoding ?? 'unknown';
}

/** A plausible heap address for a key's value object, stable for the key. */
function fakePointer(key: string, db: number): string {
  let h = 0x811c9dc5 ^ db;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return `0x7f${(h & 0xffffff).toString(16).padStart(6, '0')}${((h >>> 4) & 0xfff0).toString(16).padStart(4, '0')}`;
}

function debugObject(c: Client, key: string): void {
  const s = c.server;
  const e = c.db.getEntry(key);
  if (!e) { c.replyError('no such key'); return; }
  const enc = encodingOf(e);
  let refcount = 1;
  if (enc === 'int' && typeof e.v === 'string') {
    const n = Number(e.v);
    const policy = s.config.get<string>('maxmemory-policy');
    if (n >= 0 && n < 10000 && (s.config.get<number>('maxmemory') === 0 || !(policy.includes('lru') || policy.includes('lfu')))) refcount = 2147483647;
  }
  let extra = '';
  if (enc === 'quicklist' && typeof e.v !== 'string' && e.v.type === 'list') {
    const nodes = quicklistLayout(e.v, s.config.get<number>('list-max-listpack-size'), debugState(s).quicklistPackedThreshold);
    let size = 0;
    for (const node of nodes) size += node.bytes;
    extra = ` ql_nodes:${nodes.length} ql_avg_node:${cFixed(e.v.length / nodes.length, 2)} ql_listpack_max:${s.config.get<number>('list-max-listpack-size')} ql_compressed:${s.config.get<number>('list-compress-depth') !== 0 ? 1 : 0} ql_uncompressed_size:${size}`;
  }
  const len = debugHooks(s).serializedLength?.(key, e) ?? serializedLength(e);
  const idle = Math.max(0, ((s.lruClock() - e.lru) & 0xffffff));
  c.replyStatus(`Value at:${fakePointer(key, c.db.id)} refcount:${refcount} encoding:${enc} serializedlength:${len} lru:${e.lru} lru_seconds_idle:${idle}${extra}`);
}

function debugSdslen(c: Client, key: string): void {
  const e = c.db.getEntry(key);
  if (!e) { c.replyError('no such key'); return; }
  if (typeof e.v !== 'string' || stringEncoding(e) === 'int') { c.replyError('Not an sds encoded string.'); return; }
  const v = e.v;
  const embstr = stringEncoding(e) === 'embstr';
  // An embstr's sds lives inside its robj allocation: no spare room, zmalloc minus the robj.
  const sds = embstr ? undefined : e.sds ?? storedValueSds(v.length);
  const valZmalloc = sds ? sds.usableBytes : jemallocSize(16 + 3 + v.length + 1) - 16;
  c.replyStatus(`key_sds_len:${key.length}, key_sds_avail:0, key_zmalloc: ${sdsAllocSize(key.length)}, `
    + `val_sds_len:${v.length}, val_sds_avail:${sds ? sdsAvail(sds, v.length) : 0}, val_zmalloc: ${valZmalloc}`);
}

/**
 * dictGetStats text for a table of `n` keys (hashed with FNV-1a into a power-of-two table);
 * `size` is the table's buckets when known (a db's tables, as memory-stats models them).
 */
function htStats(keys: Iterable<string>, n: number, size = 0, idx = 0): string {
  const title = `Hash table ${idx} stats (${idx === 0 ? 'main hash table' : 'rehashing target'}):\n`;
  if (n === 0) return `${title}No stats available for empty dictionaries\n`;
  if (size === 0) {
    size = 4;
    while (size < n) size *= 2;
  }
  const chains = new Array<number>(size).fill(0);
  for (const k of keys) {
    let h = 0x811c9dc5;
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193) >>> 0;
    chains[h & (size - 1)]++;
  }
  const vect = new Array<number>(50).fill(0);
  let slots = 0, maxchain = 0, tot = 0;
  for (const len of chains) {
    if (len === 0) { vect[0]++; continue; }
    slots++;
    vect[Math.min(len, 49)]++;
    maxchain = Math.max(maxchain, len);
    tot += len;
  }
  let out = `${title} table size: ${size}\n number of elements: ${n}\n different slots: ${slots}\n max chain length: ${maxchain}\n`
    + ` avg chain length (counted): ${cFixed(Math.fround(tot / slots), 2)}\n avg chain length (computed): ${cFixed(Math.fround(n / slots), 2)}\n Chain length distribution:\n`;
  for (let i = 0; i < 49; i++) {
    if (vect[i] === 0) continue;
    out += `   ${i}: ${vect[i]} (${cFixed(Math.fround(vect[i] / size) * 100, 2)}%)\n`;
  }
  return out;
}

function debugPopulate(c: Client, argv: string[]): void {
  const count = getPositiveLongOrReply(c, argv[2]);
  if (count === null) return;
  let valsize = 0;
  if (argv.length === 5) {
    const v = getPositiveLongOrReply(c, argv[4]);
    if (v === null) return;
    valsize = v;
  }
  // The key is snprintf'ed from a C string into a 128-byte buffer: the prefix ends at a NUL
  // and the key at 127 bytes (long prefixes make every key the same one).
  const rawPrefix = argv.length >= 4 ? argv[3] : 'key';
  const nul = rawPrefix.indexOf('\0');
  const prefix = nul >= 0 ? rawPrefix.slice(0, nul) : rawPrefix;
  const s = c.server;
  s.os.cpu?.(count * KEY_CREATE_CPU_MS);
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`.slice(0, 127);
    if (c.db.lookupWrite(key) !== undefined) continue;
    const base = `value:${j}`;
    const val = valsize === 0 ? base : (base + '\0'.repeat(Math.max(0, valsize - base.length))).slice(0, valsize);
    c.db.add(key, val);
    s.signalModifiedKey(c.db, key);
  }
  c.replyOk();
}

function debugReload(c: Client, argv: string[]): void {
  const s = c.server;
  const opts = { merge: false, noflush: false, nosave: false };
  for (let j = 2; j < argv.length; j++) {
    if (optEq(argv[j], 'merge')) opts.merge = true;
    else if (optEq(argv[j], 'noflush')) opts.noflush = true;
    else if (optEq(argv[j], 'nosave')) opts.nosave = true;
    else { c.replyError('DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.'); return; }
  }
  const hook = debugHooks(s).reload;
  if (hook) {
    replyAfter(c, hook(opts), (cl, err) => {
      if (err) { cl.replyError(err); return; }
      s.log.warning('DB reloaded by DEBUG RELOAD');
      cl.replyOk();
    });
    return;
  }
  if (opts.nosave) {
    // Without a persistence engine there is no RDB file to load from.
    if (!opts.noflush) for (const db of s.dbs) db.clear();
    c.replyError('Error trying to load the RDB dump');
    return;
  }
  // Save + load round trip: the data comes back as it was, minus keys that expired (loading
  // skips them on a master).
  if (!s.isReplica()) {
    const now = s.os.now();
    for (const db of s.dbs) for (const [k, e] of [...db.dict]) if (e.exp !== -1 && e.exp < now) db.delete(k);
  }
  s.log.warning('DB reloaded by DEBUG RELOAD');
  c.replyOk();
}

function debugLoadAof(c: Client): void {
  const s = c.server;
  const hook = debugHooks(s).loadAof;
  if (hook) {
    replyAfter(c, hook(), (cl, err) => {
      if (err) { cl.replyError(err); return; }
      s.dirty = 0;
      s.log.warning('Append Only File loaded by DEBUG LOADAOF');
      cl.replyOk();
    });
    return;
  }
  // No AOF to load: Redis empties the dataset, finds no AOF and exits.
  for (const db of s.dbs) db.clear();
  s.terminate(1);
}

function debugProtocol(c: Client, name: string): void {
  const n = name.toLowerCase();
  switch (n) {
    case 'string': c.replyBulk('Hello World'); break;
    case 'integer': c.replyInt(12345); break;
    case 'double': c.replyDouble(3.141); break;
    case 'bignum': c.replyRaw(c.resp === 2 ? '$37\r\n1234567999999999999999999999999999999\r\n' : '(1234567999999999999999999999999999999\r\n'); break;
    case 'null': c.replyNull(); break;
    case 'array': c.replyArrayLen(3); for (let j = 0; j < 3; j++) c.replyInt(j); break;
    case 'set': c.replySetLen(3); for (let j = 0; j < 3; j++) c.replyInt(j); break;
    case 'map': c.replyMapLen(3); for (let j = 0; j < 3; j++) { c.replyInt(j); c.replyBool(j === 1); } break;
    case 'attrib':
      if (c.resp >= 3) { c.replyRaw('|1\r\n'); c.replyBulk('key-popularity'); c.replyArrayLen(2); c.replyBulk('key:123'); c.replyInt(90); }
      c.replyBulk('Some real reply following the attribute');
      break;
    case 'push':
      if (c.resp < 3) { c.replyError('RESP2 is not supported by this command'); return; }
      c.replyPushLen(2); c.replyBulk('server-cpu-usage'); c.replyInt(42);
      c.replyBulk('Some real reply following the push reply');
      break;
    case 'true': c.replyBool(true); break;
    case 'false': c.replyBool(false); break;
    case 'verbatim': c.replyVerbatim('This is a verbatim\nstring', 'txt'); break;
    default:
      c.replyError('Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false');
  }
}

/** DEBUG STRINGMATCH-TEST: random patterns against random strings; the matcher must not blow up. */
function stringmatchFuzz(s: RedisServer): void {
  const alphabet = 'ab*?[]^-\\c';
  const rnd = (n: number) => Math.floor(s.os.random() * n);
  for (let i = 0; i < 1000; i++) {
    let p = '', str = '';
    for (let j = rnd(32); j > 0; j--) p += alphabet[rnd(alphabet.length)];
    for (let j = rnd(32); j > 0; j--) str += alphabet[rnd(alphabet.length)];
    stringMatch(p, str, rnd(2) === 1);
  }
}

const DEBUG_HELP = [
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT',
  '    Crash by assertion failed.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]',
  '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'HTSTATS <dbid>',
  '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>',
  '    Like HTSTATS but for the hash table stored at <key>\'s value.',
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>',
  '    Replicates the provided string to replicas, allowing data divergence.',
  'MALLCTL <key> [<val>]',
  '    Get or set a malloc tuning integer.',
  'MALLCTL-STR <key> [<val>]',
  '    Get or set a malloc tuning string.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>',
  '    Drop all packets that match the filtered type. Set to -1 allow all packets.',
  'OOM',
  '    Crash the server simulating an out-of-memory error.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'RESTART [<milliseconds>]',
  '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  '    Enables or disables checksum checks for RDB files and RESTORE\'s payload.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE',
  '    Return the size of different Redis core C structures.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'CLUSTERLINK KILL <to|from|all> <node-id>',
  '    Kills the link based on the direction to/from (both) with the provided node.',
];

/**
 * _serverPanic(): the Guru Meditation, the crash report while crash-log-enabled, then abort().
 * `at` is the file and line Redis 7.0.15 names.
 */
function panic(s: RedisServer, msg: string, at: string): void {
  const header = ['------------------------------------------------', '!!! Software Failure. Press left mouse button to continue', `Guru Meditation: ${msg} #${at}`];
  crashReport(s, header, null, s.config.get<boolean>('crash-log-enabled'));
}

/**
 * serverAssertWithInfo(c, c->argv[0], ...) as DEBUG ASSERT fails it: the client's and the
 * object's context (argv[0] is an embstr: type 0, encoding 8), then _serverAssert().
 */
function assertFailed(c: Client, expr: string, at: string): void {
  const header = ['=== ASSERTION FAILED CLIENT CONTEXT ===', 'client->flags = 0', `client->conn = fd=${c.fd}`, `client->argc = ${c.argv.length}`];
  c.argv.forEach((a, j) => header.push(`client->argv[${j}] = "${a}" (refcount: 1)`));
  header.push('=== ASSERTION FAILED OBJECT CONTEXT ===', 'Object type: 0', 'Object encoding: 8', 'Object refcount: 1');
  header.push('=== ASSERTION FAILED ===', `==> ${at} '${expr}' is not true`);
  crashReport(c.server, header, null, c.server.config.get<boolean>('crash-log-enabled'));
}

function debug(c: Client, argv: string[]): void {
  const s = c.server;
  const sub = argv[1].toLowerCase();
  const argc = argv.length;
  const st = debugState(s);
  if (argc === 2 && sub === 'help') { addReplyHelp(c, argv, DEBUG_HELP); return; }
  switch (true) {
    case sub === 'segfault':
      // Redis writes to a read-only page: a real SIGSEGV (SEGV_ACCERR), which its handler reports.
      crashReport(s, ['Redis 7.0.15 crashed by signal: 11, si_code: 2'], 'SIGSEGV', true);
      return;
    case sub === 'panic':
      panic(s, `DEBUG PANIC called at Unix time ${Math.floor(s.os.now() / 1000)}`, 'debug.c:510');
      return;
    case sub === 'assert':
      assertFailed(c, '1 == 2', 'debug.c:530');
      return;
    case sub === 'restart' || sub === 'crash-and-recover':
      if (argc >= 3 && string2ll(argv[2]) === null) { c.replyNotInteger(); return; }
      // exec() of a new server image is not something the engine can do.
      s.log.warning("Can't restart: this server can't exec() itself");
      c.replyError('failed to restart the server. Check server logs.');
      return;
    case sub === 'oom':
      // zmalloc(ULONG_MAX) fails; redisOutOfMemoryHandler logs, then panics.
      s.log.warning('Out Of Memory allocating 9223372036854775807 bytes!');
      panic(s, 'Redis aborting for OUT OF MEMORY. Allocating 9223372036854775807 bytes!', 'server.c:6658');
      return;
    case sub === 'log' && argc === 3:
      s.log.warning(`DEBUG LOG: ${argv[2]}`);
      c.replyOk();
      return;
    case sub === 'leak' && argc === 3:
      c.replyOk();
      return;
    case sub === 'reload':
      debugReload(c, argv);
      return;
    case sub === 'loadaof':
      debugLoadAof(c);
      return;
    case sub === 'drop-cluster-packet-filter' && argc === 3: {
      const v = string2ll(argv[2]);
      if (v === null) { c.replyNotInteger(); return; }
      st.clusterDropPacketFilter = v;
      c.replyOk();
      return;
    }
    case sub === 'object' && argc === 3:
      debugObject(c, argv[2]);
      return;
    case sub === 'sdslen' && argc === 3:
      debugSdslen(c, argv[2]);
      return;
    case sub === 'listpack' && argc === 3:
    case sub === 'quicklist' && (argc === 3 || argc === 4): {
      const e = c.db.getEntry(argv[2]);
      if (!e || c.db.lookup(argv[2], 1 | 2) === undefined) { c.replyError('no such key'); return; }
      const want = sub === 'listpack' ? 'listpack' : 'quicklist';
      if (encodingOf(e) !== want) { c.replyError(`Not a ${want} encoded object.`); return; }
      s.os.stdout(`{${want} of ${argv[2]}: ${typeof e.v === 'string' ? 1 : 'aggregate'}}\n`);
      c.replyStatus(sub === 'listpack' ? 'Listpack structure printed on stdout' : 'Quicklist structure printed on stdout');
      return;
    }
    case sub === 'populate' && argc >= 3 && argc <= 5:
      debugPopulate(c, argv);
      return;
    case sub === 'digest' && argc === 2:
      c.replyStatus(toHex(datasetDigest(s.dbs)));
      return;
    case sub === 'digest-value' && argc >= 2:
      c.replyArrayLen(argc - 2);
      for (let j = 2; j < argc; j++) c.replyStatus(toHex(keyDigest(c.db, argv[j])));
      return;
    case sub === 'protocol' && argc === 3:
      debugProtocol(c, argv[2]);
      return;
    case sub === 'sleep' && argc === 3: {
      const us = Math.trunc(strtod(argv[2]) * 1e6);
      if (us > 0) s.os.sleep(us / 1000);
      c.replyOk();
      return;
    }
    case sub === 'set-active-expire' && argc === 3:
      s.activeExpireEnabled = atoi(argv[2]) !== 0;
      c.replyOk();
      return;
    case sub === 'quicklist-packed-threshold' && argc === 3: {
      const sz = memtoull(argv[2]);
      if (sz === null || sz > (1n << 32n) - (1n << 20n)) {
        c.replyError('argument must be a memory value bigger than 1 and smaller than 4gb');
        return;
      }
      st.quicklistPackedThreshold = sz === 0n ? 1 << 30 : Number(sz);
      c.replyOk();
      return;
    }
    case sub === 'set-skip-checksum-validation' && argc === 3:
      st.skipChecksumValidation = atoi(argv[2]) !== 0;
      c.replyOk();
      return;
    case sub === 'aof-flush-sleep' && argc === 3:
      st.aofFlushSleepUs = atoi(argv[2]);
      c.replyOk();
      return;
    case sub === 'replicate' && argc >= 3:
      debugHooks(s).replicate?.(argv.slice(2));
      c.replyOk();
      return;
    case sub === 'error' && argc === 3:
      c.replyError(`-${argv[2].replace(/[\r\n]/g, ' ')}`);
      return;
    case sub === 'structsize' && argc === 2:
      c.replyBulk('bits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 ');
      return;
    case sub === 'htstats' && argc === 3: {
      const id = string2ll(argv[2]);
      if (id === null) { c.replyNotInteger(); return; }
      if (id < 0 || id >= s.dbs.length) { c.replyError('Out of range database'); return; }
      const db = s.dbs[id];
      const slots = dbTableSlots(s, db);
      c.replyVerbatim(`[Dictionary HT]\n${htStats(db.dict.keys(), db.dict.size, slots.main)}[Expires HT]\n${htStats(db.volatile, db.volatile.size, slots.expires)}`, 'txt');
      return;
    }
    case sub === 'htstats-key' && argc === 3: {
      const e = c.db.getEntry(argv[2]);
      if (!e || c.db.lookup(argv[2], 1 | 2) === undefined) { c.replyError('no such key'); return; }
      const v = e.v;
      const keys = typeof v === 'string' ? null
        : v.type === 'set' && v.encoding === 'hashtable' ? [...v.set]
          : v.type === 'hash' && v.encoding === 'hashtable' ? [...v.map.keys()]
            : v.type === 'zset' && v.encoding === 'skiplist' ? [...v.dict.keys()] : null;
      if (!keys) { c.replyError('The value stored at the specified key is not represented using an hash table'); return; }
      c.replyVerbatim(htStats(keys, keys.length), 'txt');
      return;
    }
    case sub === 'change-repl-id' && argc === 2:
      s.log.warning('Changing replication IDs after receiving DEBUG change-repl-id');
      if (debugHooks(s).changeReplId) debugHooks(s).changeReplId!();
      else {
        s.replId = randomHex(s.os, 40);
        s.replId2 = '0000000000000000000000000000000000000000';
        s.secondReplOffset = -1;
      }
      c.replyOk();
      return;
    case sub === 'stringmatch-test' && argc === 2:
      stringmatchFuzz(s);
      c.replyStatus('Apparently Redis did not crash: test passed');
      return;
    case sub === 'set-disable-deny-scripts' && argc === 3:
      st.disableDenyScripts = atoi(argv[2]) !== 0;
      c.replyOk();
      return;
    case sub === 'config-rewrite-force-all' && argc === 2: {
      if (!s.config.configFile) { c.replyError('CONFIG-REWRITE-FORCE-ALL failed: Bad address'); return; }
      const work = rewriteConfigFile(s.os.fs, s.config.configFile, s.config, {
        sentinel: s.sentinelMode, clusterEnabled: s.clusterEnabled(),
        master: s.masterHost ? { host: s.masterHost, port: s.masterPort } : null,
        userLines: aclRewriteLines(s), extra: s.config.rewriters, forceAll: true,
      }, () => s.os.random());
      replyAfter(c, work, (cl, err) => (err ? cl.replyError(`CONFIG-REWRITE-FORCE-ALL failed: ${err}`) : cl.replyOk()), (cl) => cl.replyOk());
      return;
    }
    case sub === 'client-eviction' && argc === 2: {
      if (s.config.get<number>('maxmemory-clients') === 0) { c.replyError('maxmemory-clients is disabled.'); return; }
      let out = '';
      const buckets = s.clientMemory.buckets;
      for (let j = 0; j < buckets.length; j++) {
        const lo = j === 0 ? 'bucket          0' : `bucket ${String(2 ** (j - 1 + 15)).padStart(10)}`;
        const hi = j === buckets.length - 1 ? '+            : ' : ` - ${String(2 ** (j + 15) - 1).padStart(10)}: `;
        let sum = 0;
        for (const cl of buckets[j]) sum += s.clientMemory.last.get(cl)?.bytes ?? 0;
        out += `${lo}${hi}tot-mem: ${String(sum).padStart(10)}, clients: ${buckets[j].size}\n`;
      }
      c.replyVerbatim(out, 'txt');
      return;
    }
    case (sub === 'mallctl' || sub === 'mallctl-str') && argc >= 3:
      // No jemalloc behind the engine: every tuning key is unknown.
      if (sub === 'mallctl' && argc > 3 && string2ll(argv[3]) === null) { c.replyNotInteger(); return; }
      c.replyError('No such file or directory');
      return;
    case sub === 'pause-cron' && argc === 3:
      s.cronPaused = atoi(argv[2]) !== 0;
      c.replyOk();
      return;
    case sub === 'replybuffer' && argc === 4: {
      if (optEq(argv[2], 'peak-reset-time')) {
        if (optEq(argv[3], 'never')) st.replyBufferPeakResetTimeMs = -1;
        else if (optEq(argv[3], 'reset')) st.replyBufferPeakResetTimeMs = 5000;
        else {
          const v = string2ll(argv[3]);
          if (v === null) { c.replyNotInteger(); return; }
          st.replyBufferPeakResetTimeMs = v;
        }
      } else if (optEq(argv[2], 'resizing')) {
        st.replyBufferResizing = atoi(argv[3]) !== 0;
      } else {
        subcommandSyntaxError(c, argv);
        return;
      }
      c.replyOk();
      return;
    }
    case sub === 'clusterlink' && argc === 5 && optEq(argv[2], 'kill'): {
      if (!s.clusterEnabled()) { c.replyError('Debug option only available for cluster mode enabled setup!'); return; }
      const cl = s.cluster!;
      const node = cl.lookupNode(argv[4]);
      if (!node) { c.replyError(`Unknown node ${argv[4]}`); return; }
      const direction = argv[3].toLowerCase();
      if (direction === 'from' || direction === 'all') { if (node.inboundLink) cl.freeLink(node.inboundLink); }
      if (direction === 'to' || direction === 'all') { if (node.link) cl.freeLink(node.link); }
      // Redis adds the error and then its +OK anyway: the caller reads two replies.
      if (direction !== 'from' && direction !== 'to' && direction !== 'all') c.replyError(`Unknown direction ${argv[3]}`);
      c.replyOk();
      return;
    }
    default:
      subcommandSyntaxError(c, argv);
  }
}

export const debugCommands: CommandSpec[] = [
  cmd('debug', -2, ['admin', 'noscript', 'loading', 'stale', 'protected'], [0, 0, 0], {
    group: 'server', since: '1.0.0', summary: 'Tools for testing and debugging the server.', complexity: 'Depends on subcommand.',
  }, debug, { docFlags: ['syscmd'] }),
];
