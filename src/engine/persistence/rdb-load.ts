/**
 * Loading an RDB image into the server's databases (rdbLoadRio) and what happens when that
 * fails (rdbReportError): Redis logs the error, runs redis-check-rdb on the file, printing
 * its report to stdout, and exits.
 *
 * The log lines are Redis's: "Loading RDB produced by version ...", "RDB age N seconds",
 * "RDB memory usage when created X Mb", "Done loading RDB, keys loaded: N, keys expired: M."
 */
import { extractLibMetadata } from '../server/function-lua';
import type { RedisServer } from '../server/server';
import { Entry, StrEnc, type Db } from '../keyspace/db';
import { RdbReader, RdbEof, RdbReportedError, RDB_C_LINE, EMPTY_KEY, isSkipped } from './rdb/decoder';
import { RdbWalker, RdbHeaderError, RdbInvalidTypeError, RdbFunctionError, RdbChecksumError } from './rdb/file-reader';
import { checkRdbImage } from '../tools/redis-check-rdb';
import { loadLimits, skipChecksumValidation } from './snapshot';
import { persistenceOf, unixtime } from './state';
import { rdbLoadingStepBytes } from './loading';
import type { ReplSaveInfo } from './rdb/file-writer';

export interface RdbLoadFlags {
  /** The RDB is an AOF base/preamble: expired keys are kept (the AOF tail expects them). */
  aofPreamble?: boolean;
  /** DEBUG RELOAD MERGE: a key already present is replaced instead of being fatal. */
  allowDup?: boolean;
  /**
   * DEBUG RELOAD NOFLUSH: the libraries loaded join the ones already there (one of the same
   * name fails the load unless allowDup) instead of replacing them.
   */
  keepFunctions?: boolean;
  /**
   * A replica loading the RDB straight from its master's socket (diskless load): errors are
   * logged the way Redis logs them for sockets and no file is re-checked.
   */
  fromSocket?: boolean;
  /**
   * rdbLoadingCtx: load into these dbs and this function library list instead of the
   * server's (a `repl-diskless-load swapdb` replica fills a temp db, swapped in on success).
   */
  into?: { dbs: Db[]; functions: string[] };
}

export interface RdbLoadStats {
  keysLoaded: number;
  keysExpired: number;
  emptyKeysSkipped: number;
  /** Replication info found in AUX fields (repl-id, repl-offset, repl-stream-db). */
  repl: Partial<ReplSaveInfo>;
  /** Where the RDB ended (an old-style AOF continues with commands from there). */
  end: number;
}

/** A load failure that ends the process (the caller exits after this). */
/** A library in the RDB that is already loaded (DEBUG RELOAD NOFLUSH without MERGE). */
class DuplicateLibrary extends Error {}

export class RdbLoadFatal extends Error {
  /** For 'report': the file redis-check-rdb must be run on before exiting. */
  checkFile: string | null = null;
  constructor(message: string, readonly kind: 'header' | 'report' | 'fatal') { super(message); }
}

/**
 * rdbLoadRio over `bytes`, adding keys to server.dbs. On corruption the report has already
 * been written (log + redis-check-rdb output) when RdbLoadFatal is thrown; `fileName` is the
 * name Redis would re-check (rdbFileBeingLoaded).
 */
export function loadRdbIntoServer(server: RedisServer, bytes: Uint8Array, fileName: string, flags: RdbLoadFlags = {}): RdbLoadStats {
  const load = startRdbLoad(server, fileName, flags);
  load.feed(bytes, true);
  return load.stats;
}

/** An RDB load fed as its bytes arrive (see startRdbLoad). */
export interface RdbLoad {
  readonly stats: RdbLoadStats;
  /** Bytes of the image parsed so far (the records reported). */
  readonly parsed: number;
  /**
   * Parse what `bytes` (the image from its first byte, so far) holds past what was parsed:
   * true once the image ended (EOF opcode and checksum), false when it needs more bytes.
   * `final`: there are no more, so a record cut short is an error. Throws RdbLoadFatal as
   * loadRdbIntoServer does. `stopAt`: stop (false) after the record that reaches this offset.
   */
  feed(bytes: Uint8Array, final: boolean, stopAt?: number): boolean;
}

/**
 * rdbLoadRio over a connection: the keys of each record are added as soon as the record has
 * arrived (a diskless replica loads while its master sends).
 */
export function startRdbLoad(server: RedisServer, fileName: string, flags: RdbLoadFlags = {}): RdbLoad {
  const st = persistenceOf(server);
  const log = server.log;
  let r = new RdbReader(new Uint8Array(0));
  const stats: RdbLoadStats = { keysLoaded: 0, keysExpired: 0, emptyKeysSkipped: 0, repl: {}, end: 0 };
  const now = server.os.now();
  const iAmMaster = server.iAmMaster();
  const lfu = server.config.get<string>('maxmemory-policy').endsWith('-lfu');
  const lruClock = server.lruClock();
  const lfuMinutesNow = Math.floor(now / 60000) & 65535;
  const dbs = flags.into?.dbs ?? server.dbs;
  let db = dbs[0];
  const functions: string[] = [];
  /** With keepFunctions: the libraries already loaded that stay. */
  let kept = flags.keepFunctions ? [...st.functions] : [];
  const walker = new RdbWalker({
    aux: (key, val) => {
      const k = key.toLowerCase();
      if (key.startsWith('%')) log.notice(`RDB '${key}': ${val}`);
      else if (k === 'repl-stream-db') stats.repl.replStreamDb = atoi(val);
      else if (k === 'repl-id') { if (val.length === 40) stats.repl.replId = val; }
      else if (k === 'repl-offset') stats.repl.replOffset = atoi(val);
      else if (k === 'lua') { /* scripts are not loaded back */ }
      else if (k === 'redis-ver') log.notice(`Loading RDB produced by version ${val}`);
      else if (k === 'ctime') log.notice(`RDB age ${Math.max(0, unixtime(server) - atoi(val))} seconds`);
      else if (k === 'used-mem') {
        const used = atoi(val);
        log.notice(`RDB memory usage when created ${(used / (1024 * 1024)).toFixed(2)} Mb`);
        st.loadingRdbUsedMem = used;
      } else if (k === 'aof-preamble') { if (atoi(val)) log.notice('RDB has an AOF tail'); }
      else if (k === 'aof-base') { if (atoi(val)) log.notice('RDB is base AOF'); }
      else if (k === 'redis-bits') { /* ignored */ }
      else log.debug(`Unrecognized RDB AUX field: '${key}'`);
    },
    selectDb: (id) => {
      if (id >= dbs.length) {
        log.warning(`FATAL: Data file was created with a Redis server configured to handle more than ${dbs.length} databases. Exiting\n`);
        throw new RdbLoadFatal('too many databases', 'fatal');
      }
      db = dbs[id];
    },
    moduleAux: (name) => {
      log.warning(`The RDB file contains AUX module data I can't load: no matching module '${name}'`);
      throw new RdbLoadFatal('module aux', 'fatal');
    },
    functionLibrary: (payload) => {
      if (flags.keepFunctions) {
        const md = extractLibMetadata(payload);
        const name = 'error' in md ? undefined : md.name;
        const same = (code: string) => { const m = extractLibMetadata(code); return !('error' in m) && m.name === name; };
        if (name !== undefined && kept.some(same)) {
          if (!flags.allowDup) throw new DuplicateLibrary(`Library '${name}' already exists`);
          kept = kept.filter((code) => !same(code));
        }
      }
      functions.push(payload);
    },
    key: (key, value, expireMs, lruIdle, lfuFreq, expireExact) => {
      if (value === EMPTY_KEY) {
        if (stats.emptyKeysSkipped++ < 10) log.warning(`rdbLoadObject skipping empty key: ${key}`);
        return;
      }
      if (isSkipped(value)) {
        // The engine has no stream type: the key is left out, and said so.
        log.warning(`Skipping key '${key}' in DB ${db.id}: ${value.skipped} values are not supported by this engine`);
        return;
      }
      if (iAmMaster && !flags.aofPreamble && expireMs !== -1 && expireMs < now) {
        st.feedExpiredAtLoad?.(db.id, key);
        stats.keysExpired++;
        st.rdbLastLoadKeysExpired++;
        return;
      }
      stats.keysLoaded++;
      st.rdbLastLoadKeysLoaded++;
      if (db.dict.has(key)) {
        if (flags.allowDup) {
          db.delete(key, 'sync');
        } else {
          log.warning(`RDB has duplicated key '${key}' in DB ${db.id}`);
          log.warning(`Guru Meditation: Duplicated key found in RDB file #rdb.c:${RDB_C_LINE.duplicateKey}`);
          throw new RdbLoadFatal('duplicated key', 'fatal');
        }
      }
      // objectSetLRUOrLFU: an LFU counter (with the current minute) or an LRU idle time.
      let lru: number;
      if (lfu) lru = lfuFreq >= 0 ? (lfuMinutesNow << 8) | lfuFreq : db.initialLru();
      else lru = lruIdle >= 0 ? (lruClock - lruIdle + 0x1000000) % 0x1000000 : lruClock;
      const entry = new Entry(value, expireMs, lru, StrEnc.Auto);
      if (expireExact !== undefined) entry.expExact = expireExact;
      db.dict.set(key, entry);
      if (expireMs !== -1) db.volatile.add(key);
    },
  }, {
    limits: loadLimits(server),
    deep: server.config.lookup('sanitize-dump-payload') ? server.config.get<string>('sanitize-dump-payload') === 'yes' : false,
    checkMode: false,
    verifyChecksum: server.config.get<boolean>('rdbchecksum') && !skipChecksumValidation(server),
  });
  const feed = (bytes: Uint8Array, final: boolean, stopAt = Infinity): boolean => {
    r = new RdbReader(bytes, r.pos);
    try {
      if (walker.walk(r, final, stopAt) === 'more') return false;
    } catch (e) {
      if (e instanceof RdbLoadFatal) throw e;
      if (e instanceof DuplicateLibrary) {
        // rdbLoad fails (the same lines as a short read) but nothing is checked or exited: the
        // DEBUG RELOAD gets its error and the server goes on with what it has.
        log.warning(`Failed loading library, ${e.message}`);
        log.warning('Short read or OOM loading DB. Unrecoverable error, aborting now.');
        throw new RdbLoadFatal(e.message, 'header');
      }
      reportLoadError(server, e, r, fileName, !!flags.fromSocket);
    }
    if (flags.into) flags.into.functions = functions;
    else if (flags.keepFunctions) st.functions = [...kept, ...functions];
    else if (functions.length) st.functions = functions;
    stats.end = r.pos;
    return true;
  };
  return { stats, get parsed() { return r.pos; }, feed };
}

/** rdbReportError for a file being loaded: log, re-check the file, and give up. */
function reportLoadError(server: RedisServer, e: unknown, r: RdbReader, fileName: string, fromSocket: boolean): never {
  const log = server.log;
  if (fromSocket) {
    const line = e instanceof RdbReportedError ? e.line : RDB_C_LINE.unexpectedEof;
    const msg = e instanceof RdbReportedError || e instanceof RdbHeaderError ? e.message : 'Unexpected EOF reading RDB file';
    const corrupt = e instanceof RdbReportedError && e.corruption;
    const text = `Internal error in RDB reading offset 0, function at rdb.c:${line} -> ${msg}`;
    if (corrupt) {
      // Corrupt data from the master: the replica exits (the caller ends the process).
      log.warning(`${text}. Failure loading rdb format`);
      log.warning('Terminating server after rdb file reading failure.');
      throw new RdbLoadFatal(msg, 'fatal');
    }
    // A short read is taken for a broken connection: the caller retries the sync.
    log.warning(`${text}. Failure loading rdb format from socket, assuming connection error, resuming operation.`);
    throw new RdbLoadFatal(msg, 'report');
  }
  // The offset of the last progress report: the last multiple of the events interval read.
  const step = rdbLoadingStepBytes(server);
  const loaded = Math.floor(r.pos / step) * step;
  const internal = (line: number, msg: string) => `Internal error in RDB reading offset ${loaded}, function at rdb.c:${line} -> ${msg}`;
  if (e instanceof RdbHeaderError) {
    log.warning(e.message);
    throw new RdbLoadFatal(e.message, 'header');
  }
  if (e instanceof RdbChecksumError) {
    const { expected, got } = e.hex();
    log.warning(`Wrong RDB checksum expected: (${expected}) but got (${got}). Aborting now.`);
    log.warning(internal(e.line, e.message));
  } else if (e instanceof RdbReportedError) {
    log.warning(internal(e.line, e.message));
  } else if (e instanceof RdbFunctionError) {
    log.warning(`Failed loading library, ${e.message}`);
    log.warning('Short read or OOM loading DB. Unrecoverable error, aborting now.');
    log.warning(internal(RDB_C_LINE.unexpectedEof, 'Unexpected EOF reading RDB file'));
  } else if (e instanceof RdbInvalidTypeError) {
    // The loader reads it as a key type and rdbLoadObject reports the unknown type.
    log.warning(internal(RDB_C_LINE.unknownEncodingType, `Unknown RDB encoding type ${e.type}`));
  } else if (e instanceof RdbEof) {
    log.warning('Short read or OOM loading DB. Unrecoverable error, aborting now.');
    log.warning(internal(RDB_C_LINE.unexpectedEof, 'Unexpected EOF reading RDB file'));
  } else {
    throw e;
  }
  const fatal = new RdbLoadFatal(e instanceof Error ? e.message : String(e), 'report');
  fatal.checkFile = fileName;
  throw fatal;
}

/**
 * The end of a failed load: redis_check_rdb_main on the file (its report goes to stdout)
 * and exit with its verdict, 0 if it finds the file sane.
 */
export async function checkFileAndExit(server: RedisServer, fileName: string): Promise<void> {
  const os = server.os;
  let bytes: Uint8Array | null = null;
  try { bytes = await os.fs.readFile(fileName); } catch { bytes = null; }
  const res = checkRdbImage(bytes, fileName, os.now(), {
    out: (t) => os.stdout(t),
    terminate: (msg) => server.log.warning(msg),
  });
  server.terminate(res.ok ? 0 : 1);
}

/** "Done loading RDB ..." (with the empty-keys variant Redis logs at warning level). */
export function logDoneLoading(server: RedisServer, stats: RdbLoadStats): void {
  if (stats.emptyKeysSkipped) {
    server.log.warning(`Done loading RDB, keys loaded: ${stats.keysLoaded}, keys expired: ${stats.keysExpired}, empty keys skipped: ${stats.emptyKeysSkipped}.`);
  } else {
    server.log.notice(`Done loading RDB, keys loaded: ${stats.keysLoaded}, keys expired: ${stats.keysExpired}.`);
  }
}

/** atoi/strtoll: leading digits, 0 when none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}
