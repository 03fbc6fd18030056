/**
 * Per-server persistence state: the fields server.h keeps for RDB snapshots, the AOF and
 * loading, owned by this module and attached to a RedisServer without widening its class.
 * Names follow the INFO fields and server.h so the C source stays easy to compare.
 */
import type { ChildProcess, FileHandle } from '../os';
import type { RedisServer } from '../server/server';
import type { ReplSaveInfo } from './rdb/file-writer';
import { ByteBuffer } from '../bytes';
import { AofManifest } from './aof/manifest';

export type ChildType = 'rdb' | 'aof';
export type AofState = 'off' | 'on' | 'wait_rewrite';

export interface ActiveChild {
  type: ChildType;
  pid: number;
  proc: ChildProcess;
  startMs: number;
  /** Set when the child exited; serverCron's checkChildrenDone handles it. */
  exit: { code: number; signal: string | null } | null;
  /** Temp file names the child writes (removed if it is killed). */
  tempFiles: string[];
  /** Keys in the snapshot (current_save_keys_total). */
  keysTotal: number;
  /** How long the child's work takes in the cost model (its progress in INFO); 0: unknown. */
  workMs: number;
  /** Called once after the done handler (replication waits for BGSAVE this way). */
  onDone: ((ok: boolean) => void)[];
  /**
   * Copy-on-write: bytes of the parent's pages copied since the fork (each write the parent
   * makes meanwhile dirties a page, up to the memory it had), with when each total was
   * reached, for the child's once-a-second reports.
   */
  cow: { bytes: number; capBytes: number; log: { atMs: number; bytes: number }[] };
}

/** A page of memory: the unit copy-on-write copies. */
export const PAGE_BYTES = 4096;

/**
 * The parent's writes while a child runs copy the pages they touch (one each, at least):
 * the child's private memory grows by that much (its Private_Dirty, which Redis reports).
 */
export function noteParentWrites(server: RedisServer, writes: number): void {
  const child = persistenceOf(server).child;
  if (!child || child.exit || writes <= 0) return;
  const cow = child.cow;
  cow.bytes = Math.min(cow.capBytes, cow.bytes + writes * PAGE_BYTES);
  const atMs = server.os.now();
  const last = cow.log[cow.log.length - 1];
  if (last && Math.floor((last.atMs - child.startMs) / 1000) === Math.floor((atMs - child.startMs) / 1000)) last.bytes = cow.bytes;
  else cow.log.push({ atMs, bytes: cow.bytes });
}

/**
 * The copy-on-write size the child last reported (it reports once a second: current_cow_size)
 * and when, or null before its first report.
 */
export function reportedCow(child: ActiveChild, nowMs: number): { bytes: number; atMs: number } | null {
  const reportAtMs = child.startMs + Math.floor((nowMs - child.startMs) / 1000) * 1000;
  if (reportAtMs <= child.startMs) return null;
  let bytes = 0;
  for (const e of child.cow.log) if (e.atMs <= reportAtMs) bytes = e.bytes;
  return { bytes, atMs: reportAtMs };
}

export class PersistenceState {
  // ---- children (server.child_type, child_pid) ----
  child: ActiveChild | null = null;

  // ---- RDB ----
  dirtyBeforeBgsave = 0;
  /** Seconds (server.lastbgsave_try). */
  lastBgsaveTry = 0;
  lastBgsaveOk = true;
  /** rdb_last_cow_size / aof_last_cow_size: the last successful child's final report. */
  rdbLastCowBytes = 0;
  aofLastCowBytes = 0;
  /** Seconds; -1 when no BGSAVE is running. */
  rdbSaveTimeStart = -1;
  rdbSaveTimeLast = -1;
  statRdbSaves = 0;
  rdbBgsaveScheduled = false;
  rdbLastLoadKeysExpired = 0;
  rdbLastLoadKeysLoaded = 0;
  /** FUNCTION libraries read from a file, written back on save. */
  functions: string[] = [];
  /** The replication module sets this: repl-* AUX fields (rdbPopulateSaveInfo). */
  replInfo: (() => ReplSaveInfo | null) | null = null;
  /**
   * Kills replication's diskless-transfer child (set by replication): in Redis both kinds of
   * RDB child are CHILD_TYPE_RDB, so killRDBChild() (FLUSHALL, a replica about to load) ends
   * either.
   */
  killSocketRdbChild: (() => void) | null = null;
  /**
   * Set by replication while a master loads its RDB at start-up (RDBFLAGS_FEED_REPL): a key
   * found already expired is dropped and its DEL goes to the replication backlog, so replicas
   * that PSYNC after the restart drop it too.
   */
  feedExpiredAtLoad: ((dbId: number, key: string) => void) | null = null;
  /** dump.rdb was written to feed replicas (rdb-del-sync-files may delete it). */
  rdbGeneratedByReplication = false;
  /** repl-* AUX fields of the RDB loaded at start-up, for the replication module. */
  loadedReplInfo: Partial<ReplSaveInfo> | null = null;

  // ---- loading ----
  loadingStartTime = 0;
  loadingTotalBytes = 0;
  loadingLoadedBytes = 0;
  loadingRdbUsedMem = 0;

  // ---- AOF ----
  aofState: AofState = 'off';
  aofFd: FileHandle | null = null;
  readonly aofBuf = new ByteBuffer(1024);
  aofSelectedDb = -1;
  aofManifest = new AofManifest();
  aofCurrentSize = 0;
  aofRewriteBaseSize = 0;
  aofLastIncrSize = 0;
  aofLastIncrFsyncOffset = 0;
  /** Seconds of the last fsync (server.aof_last_fsync). */
  aofLastFsync = 0;
  /** Seconds; 0 when no flush is postponed. */
  aofFlushPostponedStart = 0;
  aofDelayedFsync = 0;
  /** Background fsyncs not yet finished (bioPendingJobsOfType(BIO_AOF_FSYNC)). */
  aofPendingBioFsync = 0;
  aofLastWriteOk = true;
  aofLastWriteErrno = '';
  aofBioFsyncOk = true;
  aofBioFsyncErrno = '';
  aofRewriteScheduled = false;
  aofRewriteTimeStart = -1;
  aofRewriteTimeLast = -1;
  aofLastBgrewriteOk = true;
  statAofRewrites = 0;
  statAofrwConsecutiveFailures = 0;
  aofCurTimestamp = 0;
  /** aofRewriteLimited() statics. */
  rewriteLimitNextDelayMin = 0;
  rewriteLimitNextTime = 0;
  /** Last time a write error was logged (rate limit). */
  lastWriteErrorLog = 0;
}

const states = new WeakMap<RedisServer, PersistenceState>();

/** The persistence state of a server (created on first use). */
export function persistenceOf(server: RedisServer): PersistenceState {
  let s = states.get(server);
  if (!s) {
    s = new PersistenceState();
    states.set(server, s);
  }
  return s;
}

/** server.unixtime. */
export function unixtime(server: RedisServer): number {
  return Math.floor(server.os.now() / 1000);
}

/** hasActiveChildProcess(). */
export function hasActiveChild(server: RedisServer): boolean {
  return persistenceOf(server).child !== null || server.children.size > 0;
}
