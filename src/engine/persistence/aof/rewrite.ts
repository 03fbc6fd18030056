/**
 * AOF rewrite (BGREWRITEAOF, automatic rewrites, CONFIG SET appendonly yes), multi-part
 * style as in Redis 7.0:
 *
 *  1. The parent opens a new incr file and records it in the manifest, so writes made during
 *     the rewrite land in a file that will survive it (while turning the AOF on, a temp
 *     incr file is used instead, since there is no base yet).
 *  2. A forked child writes the dataset as it was at fork time: an RDB with aof-base 1
 *     (aof-use-rdb-preamble yes) or RESP commands (SELECT, SET, RPUSH/SADD/ZADD/HMSET in
 *     batches of 64, PEXPIREAT), to temp-rewriteaof-<pid>.aof, then renames it to
 *     temp-rewriteaof-bg-<pid>.aof.
 *  3. When the child exits successfully the parent moves it into the AOF directory as the
 *     next base, marks the old base and the older incr files as history, persists the
 *     manifest, and deletes the history files (unless aof-disable-auto-gc).
 *
 * Like BGSAVE, the dataset is serialised in the parent at fork time and the child only
 * writes bytes (see rdb-save.ts).
 */
import type { RedisServer } from '../../server/server';
import { persistenceOf, unixtime } from '../state';
import { COST, childSpend, keySaveDelayMs, snapshotRdb, totalKeys } from '../snapshot';
import { childLogger, forkChild } from '../fork';
import { strerror } from '../errno';
import { cowLine, trackChild, removeTempFiles } from '../rdb-save';
import { signalNumber } from '../../util/signals';
import { flushAppendOnlyFile } from './append';
import {
  aofDirname, aofFilename, aofPath, tempIncrName, dirCreateIfMissing, persistManifest, backgroundFsyncAndClose,
  deleteHistoryFiles, deleteTempIncrFile, removeRewriteTempFiles, aofFileSize,
} from './files';
import { latencyAddSampleIfNeeded } from '../../server/latency-monitor';
import { fmtG17 } from '../../util/numbers';
import { ID_MAX, ID_ZERO, idStr, type RStream } from '../../keyspace/stream';
import type { Os } from '../../os';
import type { Logger } from '../../server/log';
import type { ActiveChild } from '../state';
import { FOPEN_CREATE_MODE, REDIS_OPEN_CREATE_MODE } from '../../util/create-modes';

const ITEMS_PER_CMD = 64;

function bulk(s: string): string { return `$${s.length}\r\n${s}\r\n`; }

/** rewriteAppendOnlyFileRio: the dataset as the shortest list of commands that rebuilds it. */
export function rewriteDatasetAsResp(server: RedisServer): string {
  const parts: string[] = [];
  if (server.config.get<boolean>('aof-timestamp-enabled')) parts.push(`#TS:${unixtime(server)}\r\n`);
  for (const f of persistenceOf(server).functions) parts.push(`*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n${bulk(f)}`);
  for (const db of server.dbs) {
    if (db.dict.size === 0) continue;
    parts.push(`*2\r\n$6\r\nSELECT\r\n${bulk(String(db.id))}`);
    for (const [key, e] of db.dict) {
      const v = e.v;
      if (typeof v === 'string') {
        parts.push(`*3\r\n$3\r\nSET\r\n${bulk(key)}${bulk(v)}`);
      } else if (v.type === 'list') {
        batched(parts, 'RPUSH', key, v.toArray().map(bulk), 1);
      } else if (v.type === 'set') {
        batched(parts, 'SADD', key, v.members().map(bulk), 1);
      } else if (v.type === 'zset') {
        const items: string[] = [];
        for (const n of v.zsl) items.push(bulk(fmtG17(n.score)) + bulk(n.member));
        batched(parts, 'ZADD', key, items, 2);
      } else if (v.type === 'stream') {
        rewriteStream(parts, key, v);
      } else {
        const items: string[] = [];
        for (const [f, x] of v.map) items.push(bulk(f) + bulk(x));
        batched(parts, 'HMSET', key, items, 2);
      }
      if (e.exp !== -1) parts.push(`*3\r\n$9\r\nPEXPIREAT\r\n${bulk(key)}${bulk(String(e.expExact ?? e.exp))}`);
    }
  }
  return parts.join('');
}

/**
 * rewriteStreamObject: one XADD per entry (or an XADD + MAXLEN 0 for an empty stream, which
 * leaves the key in place), XSETID with the counters, then each group (XGROUP CREATE with
 * ENTRIESREAD), its consumers' pending entries as XCLAIM ... FORCE and consumers without any
 * as XGROUP CREATECONSUMER. Groups and consumers in byte order, as their radix trees iterate.
 */
function rewriteStream(parts: string[], key: string, v: RStream): void {
  const cmd = (argv: string[]): void => { parts.push(`*${argv.length}\r\n${argv.map(bulk).join('')}`); };
  if (v.length) {
    for (const e of v.range(ID_ZERO, ID_MAX)) cmd(['XADD', key, idStr(e.id), ...e.fv]);
  } else {
    cmd(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
  }
  cmd(['XSETID', key, idStr(v.lastId), 'ENTRIESADDED', String(v.entriesAdded), 'MAXDELETEDID', idStr(v.maxDeletedId)]);
  if (!v.groups) return;
  for (const name of [...v.groups.keys()].sort(byteOrder)) {
    const g = v.groups.get(name)!;
    cmd(['XGROUP', 'CREATE', key, name, idStr(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
    for (const cname of [...g.consumers.keys()].sort(byteOrder)) {
      const cons = g.consumers.get(cname)!;
      if (cons.pel.size === 0) { cmd(['XGROUP', 'CREATECONSUMER', key, name, cname]); continue; }
      for (const [id, nack] of cons.pel.range(ID_ZERO)) {
        cmd(['XCLAIM', key, name, cname, '0', idStr(id), 'TIME', String(nack.deliveryTime), 'RETRYCOUNT', String(nack.deliveryCount), 'JUSTID', 'FORCE']);
      }
    }
  }
}

function byteOrder(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

/** Emit `cmd key item...` in commands of at most 64 items (each item `width` arguments). */
function batched(parts: string[], cmd: string, key: string, items: string[], width: number): void {
  for (let i = 0; i < items.length; i += ITEMS_PER_CMD) {
    const chunk = items.slice(i, i + ITEMS_PER_CMD);
    parts.push(`*${2 + chunk.length * width}\r\n${bulk(cmd)}${bulk(key)}${chunk.join('')}`);
  }
}

/** The bytes of a new base file for the current dataset (RDB preamble or RESP). */
export function rewriteImage(server: RedisServer): Uint8Array {
  if (server.config.get<boolean>('aof-use-rdb-preamble')) return snapshotRdb(server, { aofBase: true, withReplInfo: false });
  const text = rewriteDatasetAsResp(server);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * rewriteAppendOnlyFile: write `bytes` to temp-rewriteaof-<pid>.aof, fsync, and rename it to
 * `filename`. Runs in the rewrite child, and in the server at start-up to create the first
 * base file.
 */
export function writeRewriteFile(os: Os, log: Logger, bytes: Uint8Array, filename: string): boolean {
  const tmpfile = `temp-rewriteaof-${os.pid}.aof`;
  let fh;
  try {
    fh = os.fs.open(tmpfile, 'write', { createMode: FOPEN_CREATE_MODE });
  } catch (e) {
    log.warning(`Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): ${strerror(e)}`);
    return false;
  }
  try {
    fh.write(bytes);
    fh.fsync();
    fh.close();
  } catch (e) {
    log.warning(`Write error writing append only file on disk: ${strerror(e)}`);
    try { fh.close(); } catch { /* ignore */ }
    try { os.fs.unlink(tmpfile); } catch { /* ignore */ }
    return false;
  }
  try {
    os.fs.rename(tmpfile, filename);
  } catch (e) {
    log.warning(`Error moving temp append only file on the final destination: ${strerror(e)}`);
    try { os.fs.unlink(tmpfile); } catch { /* ignore */ }
    return false;
  }
  return true;
}

/**
 * openNewIncrAofForAppend: switch appends to a new incr file (or the temp incr file while
 * the AOF is being turned on). The manifest is persisted first; on any failure nothing
 * changes.
 */
export function openNewIncrAofForAppend(server: RedisServer): boolean {
  const st = persistenceOf(server);
  if (st.aofState === 'off') return true;
  let tempAm = null;
  let name: string;
  if (st.aofState === 'wait_rewrite') {
    name = tempIncrName(server);
  } else {
    tempAm = st.aofManifest.clone();
    name = tempAm.newIncr(aofFilename(server));
  }
  let fh;
  try {
    fh = server.os.fs.open(aofPath(server, name), 'write', { createMode: REDIS_OPEN_CREATE_MODE });
  } catch (e) {
    server.log.warning(`Can't open the append-only file ${name}: ${strerror(e)}`);
    return false;
  }
  if (tempAm && !persistManifest(server, tempAm)) {
    try { fh.close(); } catch { /* ignore */ }
    return false;
  }
  server.log.notice(`Creating AOF incr file ${name} on background rewrite`);
  if (st.aofFd) backgroundFsyncAndClose(server, st.aofFd);
  st.aofFd = fh;
  st.aofLastIncrSize = 0;
  st.aofLastIncrFsyncOffset = 0;
  if (tempAm) st.aofManifest = tempAm;
  return true;
}

/**
 * aofRewriteLimited: after 3 consecutive failed rewrites, automatic ones back off 1, 2, 4...
 * up to 60 minutes (BGREWRITEAOF is never limited).
 */
export function aofRewriteLimited(server: RedisServer): boolean {
  const st = persistenceOf(server);
  const now = unixtime(server);
  if (st.statAofrwConsecutiveFailures < 3) {
    st.rewriteLimitNextDelayMin = 0;
    st.rewriteLimitNextTime = 0;
    return false;
  }
  if (st.rewriteLimitNextTime !== 0) {
    if (now < st.rewriteLimitNextTime) return true;
    st.rewriteLimitNextTime = 0;
    return false;
  }
  st.rewriteLimitNextDelayMin = st.rewriteLimitNextDelayMin === 0 ? 1 : Math.min(60, st.rewriteLimitNextDelayMin * 2);
  st.rewriteLimitNextTime = now + st.rewriteLimitNextDelayMin * 60;
  server.log.warning(`Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${st.rewriteLimitNextDelayMin} minutes`);
  return true;
}

/** rewriteAppendOnlyFileBackground. */
export function rewriteAppendOnlyFileBackground(server: RedisServer): boolean {
  const st = persistenceOf(server);
  if (server.hasActiveChild()) return false;
  const dir = aofDirname(server);
  const err = dirCreateIfMissing(server, dir);
  if (err) {
    server.log.warning(`Can't open or create append-only dir ${dir}: ${strerror(err)}`);
    st.aofLastBgrewriteOk = false;
    return false;
  }
  st.aofSelectedDb = -1;
  if (!flushAppendOnlyFile(server, true)) { server.terminate(1); return false; }
  if (!openNewIncrAofForAppend(server)) {
    st.aofLastBgrewriteOk = false;
    return false;
  }
  st.statAofRewrites++;
  const bytes = rewriteImage(server);
  const keys = totalKeys(server);
  const workMs = bytes.length / COST.aofRewriteBytesPerMs + keySaveDelayMs(server, keys);
  let tracked: ActiveChild | null = null;
  let proc;
  try {
    proc = forkChild(server, 'redis-aof-rewrite', async (cos) => {
      const clog = childLogger(server, cos);
      await childSpend(cos, workMs);
      const tmpfile = `temp-rewriteaof-bg-${cos.pid}.aof`;
      if (!writeRewriteFile(cos, clog, bytes, tmpfile)) return 1;
      clog.notice(`Successfully created the temporary AOF base file ${tmpfile}`);
      clog.notice(cowLine('AOF rewrite', tracked));
      return 0;
    });
  } catch (e) {
    st.aofLastBgrewriteOk = false;
    server.log.warning(`Can't rewrite append only file in background: fork: ${strerror(e)}`);
    return false;
  }
  server.log.notice(`Background append only file rewriting started by pid ${proc.pid}`);
  st.aofRewriteScheduled = false;
  st.aofRewriteTimeStart = unixtime(server);
  tracked = trackChild(server, 'aof', proc, keys, [`temp-rewriteaof-bg-${proc.pid}.aof`, `temp-rewriteaof-${proc.pid}.aof`], workMs);
  return true;
}

/** backgroundRewriteDoneHandler. */
export function backgroundRewriteDone(server: RedisServer, child: ActiveChild): boolean {
  const st = persistenceOf(server);
  const { code, signal } = child.exit!;
  let ok = false;
  if (!signal && code === 0) {
    st.aofLastCowBytes = child.cow.bytes;
    ok = installRewrittenBase(server, child.pid);
  } else if (!signal) {
    st.aofLastBgrewriteOk = false;
    st.statAofrwConsecutiveFailures++;
    server.log.warning('Background AOF rewrite terminated with error');
  } else {
    if (signal !== 'SIGUSR1') {
      st.aofLastBgrewriteOk = false;
      st.statAofrwConsecutiveFailures++;
    }
    server.log.warning(`Background AOF rewrite terminated by signal ${signalNumber(signal) ?? signal}`);
  }
  // cleanup:
  removeRewriteTempFiles(server, child.pid);
  if (st.aofState === 'wait_rewrite') {
    st.aofBuf.clear();
    deleteTempIncrFile(server);
  }
  st.aofRewriteTimeLast = unixtime(server) - st.aofRewriteTimeStart;
  st.aofRewriteTimeStart = -1;
  if (st.aofState === 'wait_rewrite') st.aofRewriteScheduled = true;
  return ok;
}

/** The success path of backgroundRewriteDoneHandler: the new base goes live. */
function installRewrittenBase(server: RedisServer, childPid: number): boolean {
  const st = persistenceOf(server);
  const fs = server.os.fs;
  const fail = () => {
    st.aofLastBgrewriteOk = false;
    st.statAofrwConsecutiveFailures++;
    return false;
  };
  server.log.notice('Background AOF rewrite terminated with success');
  const tmpfile = `temp-rewriteaof-bg-${childPid}.aof`;
  const tempAm = st.aofManifest.clone();
  const newBase = tempAm.newBase(aofFilename(server), server.config.get<boolean>('aof-use-rdb-preamble'));
  const newBasePath = aofPath(server, newBase);
  let renameStartUs = server.os.nowUs();
  try {
    fs.rename(tmpfile, newBasePath);
  } catch (e) {
    server.log.warning(`Error trying to rename the temporary AOF base file ${tmpfile} into ${newBasePath}: ${strerror(e)}`);
    return fail();
  }
  // A rename can stall on the file system's metadata journal: Redis watches it as "aof-rename".
  latencyAddSampleIfNeeded(server, 'aof-rename', Math.floor((server.os.nowUs() - renameStartUs) / 1000));
  server.log.notice(`Successfully renamed the temporary AOF base file ${tmpfile} into ${newBase}`);
  let newIncrPath: string | null = null;
  if (st.aofState === 'wait_rewrite') {
    const tempIncr = tempIncrName(server);
    const tempIncrPath = aofPath(server, tempIncr);
    const newIncr = tempAm.newIncr(aofFilename(server));
    newIncrPath = aofPath(server, newIncr);
    renameStartUs = server.os.nowUs();
    try {
      fs.rename(tempIncrPath, newIncrPath);
    } catch (e) {
      server.log.warning(`Error trying to rename the temporary AOF incr file ${tempIncrPath} into ${newIncrPath}: ${strerror(e)}`);
      try { fs.unlink(newBasePath); } catch { /* ignore */ }
      return fail();
    }
    latencyAddSampleIfNeeded(server, 'aof-rename', Math.floor((server.os.nowUs() - renameStartUs) / 1000));
    server.log.notice(`Successfully renamed the temporary AOF incr file ${tempIncr} into ${newIncr}`);
  }
  tempAm.markRewrittenIncrAsHistory(st.aofFd !== null);
  if (!persistManifest(server, tempAm)) {
    try { fs.unlink(newBasePath); } catch { /* ignore */ }
    if (newIncrPath) try { fs.unlink(newIncrPath); } catch { /* ignore */ }
    return fail();
  }
  st.aofManifest = tempAm;
  if (st.aofState !== 'off') {
    st.aofCurrentSize = aofFileSize(server, newBase).size + st.aofLastIncrSize;
    st.aofRewriteBaseSize = st.aofCurrentSize;
  }
  deleteHistoryFiles(server);
  st.aofLastBgrewriteOk = true;
  st.statAofrwConsecutiveFailures = 0;
  server.log.notice('Background AOF rewrite finished successfully');
  if (st.aofState === 'wait_rewrite') st.aofState = 'on';
  return true;
}

/** killAppendOnlyChild: stop a running rewrite and forget it. */
export function killAppendOnlyChild(server: RedisServer): void {
  const st = persistenceOf(server);
  const child = st.child;
  if (!child || child.type !== 'aof') return;
  server.log.notice(`Killing running AOF rewrite child: ${child.pid}`);
  child.proc.onExit = null;
  child.proc.kill('SIGUSR1');
  removeTempFiles(server, child);
  server.children.delete('aof');
  st.child = null;
  st.aofRewriteTimeStart = -1;
}

/** stopAppendOnly (CONFIG SET appendonly no). */
export function stopAppendOnly(server: RedisServer): void {
  const st = persistenceOf(server);
  flushAppendOnlyFile(server, true);
  if (st.aofFd) {
    try {
      st.aofFd.fsync();
      st.aofLastFsync = unixtime(server);
    } catch (e) {
      server.log.warning(`Fail to fsync the AOF file: ${strerror(e)}`);
    }
    try { st.aofFd.close(); } catch { /* ignore */ }
  }
  st.aofFd = null;
  st.aofSelectedDb = -1;
  st.aofState = 'off';
  st.aofRewriteScheduled = false;
  st.aofLastIncrSize = 0;
  st.aofLastIncrFsyncOffset = 0;
  killAppendOnlyChild(server);
  st.aofBuf.clear();
}

/** startAppendOnly (CONFIG SET appendonly yes): build the AOF from memory with a rewrite. */
export function startAppendOnly(server: RedisServer): boolean {
  const st = persistenceOf(server);
  st.aofState = 'wait_rewrite';
  if (server.hasActiveChild() && st.child?.type !== 'aof') {
    st.aofRewriteScheduled = true;
    server.log.warning('AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
  } else if (server.inExec) {
    // The rewrite starts from the cron, once the transaction's writes are all in memory.
    st.aofRewriteScheduled = true;
    server.log.warning('AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
  } else {
    if (st.child?.type === 'aof') {
      server.log.warning('AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
      killAppendOnlyChild(server);
    }
    if (!rewriteAppendOnlyFileBackground(server)) {
      st.aofState = 'off';
      server.log.warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.");
      return false;
    }
  }
  st.aofLastFsync = unixtime(server);
  if (!st.aofBioFsyncOk) {
    server.log.warning('AOF reopen, just ignore the AOF fsync error in bio job');
    st.aofBioFsyncOk = true;
  }
  if (!st.aofLastWriteOk) {
    server.log.warning('AOF reopen, just ignore the last error.');
    st.aofLastWriteOk = true;
  }
  return true;
}
