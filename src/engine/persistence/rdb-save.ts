/**
 * Saving RDB snapshots: SAVE (rdbSave, in the server process), BGSAVE (rdbSaveBackground, in
 * a forked child) and what the parent does when the child ends.
 *
 * A forked child sees the dataset as it was at fork time. We get the same copy-on-write
 * snapshot by serialising the dataset in the parent at fork time and handing the bytes to
 * the child, which only writes them out (temp-<pid>.rdb, fsync, rename to dbfilename). The
 * serialisation is real CPU in the parent but its modelled cost is charged to the child, and
 * the disk time is the child's too, so in the simulation the parent keeps serving while the
 * child's writes take disk time, like Redis.
 */
import type { FileHandle, Os } from '../os';
import type { RedisServer } from '../server/server';
import type { Logger } from '../server/log';
import { persistenceOf, unixtime, type ActiveChild, type ChildType } from './state';
import { COST, childSpend, keySaveDelayMs, snapshotRdb, totalKeys, usedMemory } from './snapshot';
import { childLogger, forkChild } from './fork';
import { strerror } from './errno';
import { signalNumber } from '../util/signals';
import { FOPEN_CREATE_MODE } from '../util/create-modes';
import { latencyAddSampleIfNeeded } from '../server/latency-monitor';

/**
 * The child's last words on copy-on-write (sendChildCowInfo): its private memory in MB, the
 * peak it reached and (growing steadily here) the same again as its average.
 */
export function cowLine(what: string, child: ActiveChild | null): string {
  const mb = Math.floor((child?.cow.bytes ?? 0) / (1024 * 1024));
  return `Fork CoW for ${what}: current ${mb} MB, peak ${mb} MB, average ${mb} MB`;
}

/**
 * Write an RDB image to `filename` through a temp file, the way rdbSave does (in whichever
 * process calls it). Returns false after logging Redis's error line.
 */
export function writeRdbFileAtomically(os: Os, log: Logger, bytes: Uint8Array, filename: string): boolean {
  const fh = openTempRdb(os, log);
  return fh !== null && finishRdbFile(os, log, fh, bytes, filename);
}

/** rdbSave's first step: temp-<pid>.rdb is created before any key is written. */
function openTempRdb(os: Os, log: Logger): FileHandle | null {
  const tmpfile = `temp-${os.pid}.rdb`;
  try {
    return os.fs.open(tmpfile, 'write', { createMode: FOPEN_CREATE_MODE });
  } catch (e) {
    log.warning(`Failed opening the temp RDB file ${tmpfile} (in server root dir ${cwdOrUnknown(os)}) for saving: ${strerror(e)}`);
    return null;
  }
}

/** The rest of rdbSave: the payload, fsync, close, rename over the final name. */
function finishRdbFile(os: Os, log: Logger, fh: FileHandle, bytes: Uint8Array, filename: string): boolean {
  const tmpfile = `temp-${os.pid}.rdb`;
  let op = 'rdbSaveRio';
  try {
    fh.write(bytes);
    op = 'fsync';
    fh.fsync();
    op = 'fclose';
    fh.close();
  } catch (e) {
    log.warning(`Write error saving DB on disk(${op}): ${strerror(e)}`);
    try { fh.close(); } catch { /* already closed */ }
    try { os.fs.unlink(tmpfile); } catch { /* gone */ }
    return false;
  }
  try {
    os.fs.rename(tmpfile, filename);
  } catch (e) {
    log.warning(`Error moving temp DB file ${tmpfile} on the final destination ${filename} (in server root dir ${cwdOrUnknown(os)}): ${strerror(e)}`);
    try { os.fs.unlink(tmpfile); } catch { /* gone */ }
    return false;
  }
  log.notice('DB saved on disk');
  return true;
}

function cwdOrUnknown(os: Os): string {
  const cwd = os.fs.cwd();
  return os.fs.existsSync(cwd) ? cwd : 'unknown';
}

/**
 * rdbSave in the server process (SAVE, SHUTDOWN, FLUSHALL, DEBUG RELOAD). Returns the image
 * on success (DEBUG RELOAD loads it back), null on error.
 */
export function rdbSave(server: RedisServer, filename = server.config.get<string>('dbfilename')): Uint8Array | null {
  const bytes = snapshotRdb(server, { aofBase: false, withReplInfo: true });
  server.os.busy(bytes.length / COST.rdbSaveBytesPerMs);
  const fh = openTempRdb(server.os, server.log);
  if (!fh) return null;
  // rdbSaveKeyValuePair's debugDelay: rdb-key-save-delay holds up a foreground save too.
  server.os.sleep(keySaveDelayMs(server, totalKeys(server)));
  return finishRdbSave(server, fh, bytes, filename) ? bytes : null;
}

function finishRdbSave(server: RedisServer, fh: FileHandle, bytes: Uint8Array, filename: string): boolean {
  if (!finishRdbFile(server.os, server.log, fh, bytes, filename)) return false;
  server.dirty = 0;
  server.lastSaveTimeMs = server.os.now();
  persistenceOf(server).lastBgsaveOk = true;
  return true;
}

/**
 * rdbSave for SAVE and for the final save of a shutdown that a signal asked for, when
 * rdb-key-save-delay makes it last (false, doing nothing, when it does not): the event loop
 * stays blocked for the delay (clients and cron wait) but signals are still handled, so a
 * second SIGINT ends the process during the save ("You insist...", the temp file removed), as
 * in Redis where the signal handler interrupts rdbSave. `done` gets whether the snapshot was
 * saved, in an event, before anything that waited; it is not called when the process ended.
 */
export function rdbSaveBlocking(server: RedisServer, done: (ok: boolean) => void): boolean {
  const delayMs = keySaveDelayMs(server, totalKeys(server));
  if (delayMs <= 0) return false;
  const bytes = snapshotRdb(server, { aofBase: false, withReplInfo: true });
  server.os.busy(bytes.length / COST.rdbSaveBytesPerMs);
  const fh = openTempRdb(server.os, server.log);
  if (!fh) {
    // Told in an event of its own: the caller has not returned yet.
    server.os.setTimer(0, () => server.event(() => done(false)));
    return true;
  }
  server.blockEventLoop();
  server.os.setTimer(delayMs, () => {
    if (server.exiting) return;
    const ok = finishRdbSave(server, fh, bytes, server.config.get<string>('dbfilename'));
    // The shutdown ends (or fails) before the clients and the cron tick that waited run.
    server.unblockEventLoop(() => done(ok));
  });
  return true;
}

/** Register a forked child so INFO, hasActiveChild and the cron see it. */
export function trackChild(server: RedisServer, type: ChildType, proc: { pid: number; kill: ActiveChild['proc']['kill']; onExit: ActiveChild['proc']['onExit'] }, keysTotal: number, tempFiles: string[], workMs = 0): ActiveChild {
  const st = persistenceOf(server);
  const child: ActiveChild = {
    type, pid: proc.pid, proc: proc as ActiveChild['proc'], startMs: server.os.now(), exit: null, tempFiles, keysTotal, workMs, onDone: [],
    cow: { bytes: 0, capBytes: usedMemory(server), log: [] },
  };
  st.child = child;
  server.children.set(type, { pid: proc.pid, startMs: child.startMs });
  proc.onExit = (code, signal) => server.event(() => { if (st.child === child) child.exit = { code, signal }; });
  return child;
}

/** resetChildState(). */
export function resetChildState(server: RedisServer): void {
  const st = persistenceOf(server);
  if (st.child) server.children.delete(st.child.type);
  st.child = null;
}

/**
 * rdbSaveBackground: fork a child that writes the snapshot. Returns false (after logging)
 * when a child is already running or the fork fails.
 */
export function rdbSaveBackground(server: RedisServer, onDone?: (ok: boolean) => void): boolean {
  const st = persistenceOf(server);
  if (server.hasActiveChild()) return false;
  st.statRdbSaves++;
  st.dirtyBeforeBgsave = server.dirty;
  st.lastBgsaveTry = unixtime(server);
  const filename = server.config.get<string>('dbfilename');
  const bytes = snapshotRdb(server, { aofBase: false, withReplInfo: true });
  const keys = totalKeys(server);
  const workMs = bytes.length / COST.rdbSaveBytesPerMs + keySaveDelayMs(server, keys);
  let tracked: ActiveChild | null = null;
  let proc;
  try {
    proc = forkChild(server, 'redis-rdb-bgsave', async (cos) => {
      const clog = childLogger(server, cos);
      // The temp file exists while the child works (a slow save, rdb-key-save-delay).
      const fh = openTempRdb(cos, clog);
      if (!fh) return 1;
      await childSpend(cos, workMs);
      const ok = finishRdbFile(cos, clog, fh, bytes, filename);
      if (ok) clog.notice(cowLine('RDB', tracked));
      return ok ? 0 : 1;
    });
  } catch (e) {
    st.lastBgsaveOk = false;
    server.log.warning(`Can't save in background: fork: ${strerror(e)}`);
    return false;
  }
  server.log.notice(`Background saving started by pid ${proc.pid}`);
  st.rdbSaveTimeStart = unixtime(server);
  const child = trackChild(server, 'rdb', proc, keys, [`temp-${proc.pid}.rdb`], workMs);
  tracked = child;
  if (onDone) child.onDone.push(onDone);
  return true;
}

/** backgroundSaveDoneHandlerDisk. */
export function backgroundSaveDone(server: RedisServer, child: ActiveChild): boolean {
  const st = persistenceOf(server);
  const { code, signal } = child.exit!;
  let ok = false;
  if (!signal && code === 0) {
    server.log.notice('Background saving terminated with success');
    st.rdbLastCowBytes = child.cow.bytes;
    server.dirty -= st.dirtyBeforeBgsave;
    server.lastSaveTimeMs = server.os.now();
    st.lastBgsaveOk = true;
    ok = true;
  } else if (!signal) {
    server.log.warning('Background saving error');
    st.lastBgsaveOk = false;
  } else {
    server.log.warning(`Background saving terminated by signal ${signalNumber(signal) ?? signal}`);
    // Unlinking a big temp file can block (the file system frees its blocks): "rdb-unlink-temp-file".
    const unlinkStartUs = server.os.nowUs();
    removeTempFiles(server, child);
    latencyAddSampleIfNeeded(server, 'rdb-unlink-temp-file', Math.floor((server.os.nowUs() - unlinkStartUs) / 1000));
    if (signal !== 'SIGUSR1') st.lastBgsaveOk = false;
  }
  st.rdbSaveTimeLast = unixtime(server) - st.rdbSaveTimeStart;
  st.rdbSaveTimeStart = -1;
  return ok;
}

export function removeTempFiles(server: RedisServer, child: ActiveChild): void {
  for (const f of child.tempFiles) {
    try { server.os.fs.unlink(f); } catch { /* not created or already gone */ }
  }
}

/** killRDBChild: SIGUSR1, so the parent does not count it as a failure. */
export function killRdbChild(server: RedisServer): void {
  const st = persistenceOf(server);
  if (st.child?.type === 'rdb') st.child.proc.kill('SIGUSR1');
  else st.killSocketRdbChild?.();
}
