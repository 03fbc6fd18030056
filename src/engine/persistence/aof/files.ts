/**
 * The files of a multi-part AOF on disk: the append-only directory, writing the manifest
 * atomically (temp file, fsync, rename), opening incr files, upgrading an old single
 * appendonly.aof, and deleting history files after a rewrite.
 */
import type { RedisServer } from '../../server/server';
import type { AofManifest } from './manifest';
import { persistenceOf, unixtime } from '../state';
import { strerror, errCode } from '../errno';
import { REDIS_MKDIR_MODE, REDIS_OPEN_CREATE_MODE } from '../../util/create-modes';
import { latencyAddSampleIfNeeded } from '../../server/latency-monitor';

export function aofDirname(server: RedisServer): string { return server.config.get<string>('appenddirname'); }
export function aofFilename(server: RedisServer): string { return server.config.get<string>('appendfilename'); }

/** makePath(dir, file). */
export function aofPath(server: RedisServer, name: string): string { return `${aofDirname(server)}/${name}`; }

export function manifestName(server: RedisServer): string { return `${aofFilename(server)}.manifest`; }
export function tempManifestName(server: RedisServer): string { return `temp-${aofFilename(server)}.manifest`; }
/** getTempIncrAofName: where writes go while the first rewrite after CONFIG SET appendonly yes runs. */
export function tempIncrName(server: RedisServer): string { return `temp-${aofFilename(server)}.incr`; }

export function dirExists(server: RedisServer, path: string): boolean {
  const st = server.os.fs.statSync(path);
  return !!st && st.isDirectory;
}

/** dirCreateIfMissing: returns the error, or null when the directory exists now. */
export function dirCreateIfMissing(server: RedisServer, path: string): unknown {
  try {
    server.os.fs.mkdir(path, { createMode: REDIS_MKDIR_MODE });
  } catch (e) {
    if (errCode(e) !== 'EEXIST') return e;
  }
  return null;
}

/** writeAofManifestFile: temp file, fsync, rename. Logs Redis's message on failure. */
export function writeManifest(server: RedisServer, text: string): boolean {
  const fs = server.os.fs;
  const tmpName = tempManifestName(server);
  const tmpPath = aofPath(server, tmpName);
  let fh;
  try {
    fh = fs.open(tmpPath, 'write', { createMode: REDIS_OPEN_CREATE_MODE });
  } catch (e) {
    server.log.warning(`Can't open the AOF manifest file ${tmpName}: ${strerror(e)}`);
    return false;
  }
  try {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    fh.write(bytes);
  } catch (e) {
    server.log.warning(`Error trying to write the temporary AOF manifest file ${tmpName}: ${strerror(e)}`);
    try { fh.close(); } catch { /* ignore */ }
    return false;
  }
  try {
    fh.fsync();
  } catch (e) {
    server.log.warning(`Fail to fsync the temp AOF file ${tmpName}: ${strerror(e)}.`);
    try { fh.close(); } catch { /* ignore */ }
    return false;
  }
  try { fh.close(); } catch { /* ignore */ }
  try {
    fs.rename(tmpPath, aofPath(server, manifestName(server)));
  } catch (e) {
    server.log.warning(`Error trying to rename the temporary AOF manifest file ${tmpName} into ${manifestName(server)}: ${strerror(e)}`);
    return false;
  }
  return true;
}

/** persistAofManifest: write it if it changed. */
export function persistManifest(server: RedisServer, am: AofManifest): boolean {
  if (!am.dirty) return true;
  const ok = writeManifest(server, am.format());
  if (ok) am.dirty = false;
  return ok;
}

/** getAppendOnlyFileSize: size of a file in the AOF dir, logging when it cannot be stat'ed. */
export function aofFileSize(server: RedisServer, name: string): { size: number; status: 'ok' | 'not_exist' | 'open_err' } {
  const startUs = server.os.nowUs();
  const st = server.os.fs.statSync(aofPath(server, name));
  // A stat on a busy disk can stall the event loop: Redis watches it as "aof-fstat".
  latencyAddSampleIfNeeded(server, 'aof-fstat', Math.floor((server.os.nowUs() - startUs) / 1000));
  if (!st) {
    server.log.warning(`Unable to obtain the AOF file ${name} length. stat: No such file or directory`);
    return { size: 0, status: 'not_exist' };
  }
  return { size: st.size, status: 'ok' };
}

/**
 * aofUpgradePrepare: move an old single-file appendonly.aof into the directory as the base
 * of a fresh manifest (Redis retries this on every start until it succeeds).
 */
export function aofUpgradePrepare(server: RedisServer, am: AofManifest): boolean {
  const fs = server.os.fs;
  const dir = aofDirname(server);
  const err = dirCreateIfMissing(server, dir);
  if (err) {
    server.log.warning(`Can't open or create append-only dir ${dir}: ${strerror(err)}`);
    return false;
  }
  const name = aofFilename(server);
  am.base = { name, seq: 1, type: 'b' };
  am.currBaseSeq = 1;
  am.dirty = true;
  if (!persistManifest(server, am)) return false;
  try {
    fs.rename(name, aofPath(server, name));
  } catch (e) {
    server.log.warning(`Error trying to move the old AOF file ${name} into dir ${dir}: ${strerror(e)}`);
    return false;
  }
  server.log.notice(`Successfully migrated an old-style AOF file (${name}) into the AOF directory (${dir}).`);
  return true;
}

/** aofDelHistoryFiles: unlink history files unless aof-disable-auto-gc, then save the manifest. */
export function deleteHistoryFiles(server: RedisServer): boolean {
  const st = persistenceOf(server);
  const am = st.aofManifest;
  if (server.config.get<boolean>('aof-disable-auto-gc') || am.history.length === 0) return true;
  for (const h of am.history) {
    server.log.notice(`Removing the history file ${h.name} in the background`);
    try { server.os.fs.unlink(aofPath(server, h.name)); } catch { /* already gone */ }
  }
  am.history = [];
  am.dirty = true;
  return persistManifest(server, am);
}

/** aofDelTempIncrAofFile. */
export function deleteTempIncrFile(server: RedisServer): void {
  const name = tempIncrName(server);
  server.log.notice(`Removing the temp incr aof file ${name} in the background`);
  try { server.os.fs.unlink(aofPath(server, name)); } catch { /* never created */ }
}

/** aofRemoveTempFile: the rewrite child's temp files in the working directory. */
export function removeRewriteTempFiles(server: RedisServer, childPid: number): void {
  for (const f of [`temp-rewriteaof-bg-${childPid}.aof`, `temp-rewriteaof-${childPid}.aof`]) {
    try { server.os.fs.unlink(f); } catch { /* not there */ }
  }
}

/** Close an incr file after a background fsync (aof_background_fsync_and_close). */
export function backgroundFsyncAndClose(server: RedisServer, fh: { fsyncInBackground(done: (e: unknown) => void): void; close(): void }): void {
  try {
    fh.fsyncInBackground(() => { try { fh.close(); } catch { /* ignore */ } });
  } catch {
    try { fh.close(); } catch { /* ignore */ }
  }
  persistenceOf(server).aofLastFsync = unixtime(server);
}
