/**
 * Appending to the AOF: feedAppendOnlyFile turns each propagated write into RESP (with a
 * SELECT whenever the database changes) in an in-memory buffer; flushAppendOnlyFile writes
 * the buffer to the current incr file in beforeSleep, before any reply goes out, and then
 * applies the appendfsync policy:
 *
 *   always    fsync right away, blocking; a failed write or fsync is fatal.
 *   everysec  at most once per second, fsync in the background (Redis's bio thread). If the
 *             previous background fsync is still running, the write itself is postponed
 *             for up to 2 seconds; after that it is written anyway and counted in
 *             aof_delayed_fsync ("Asynchronous AOF fsync is taking too long").
 *   no        never fsync; the OS flushes the page cache when it wants.
 *
 * So after an acknowledged write, with `always` the data is durable, with `everysec` it is
 * in the page cache and durable within about a second, with `no` it is in the page cache.
 */
import type { RedisServer } from '../../server/server';
import { persistenceOf, unixtime } from '../state';
import { strerror, errCode } from '../errno';
import { debugState } from '../../commands/debug';
import { latencyAddSampleIfNeeded } from '../../server/latency-monitor';

/** catAppendOnlyGenericCommand: a multibulk request as a byte string. */
export function respCommand(argv: string[]): string {
  let out = `*${argv.length}\r\n`;
  for (const a of argv) out += `$${a.length}\r\n${a}\r\n`;
  return out;
}

/** feedAppendOnlyFile. */
export function feedAppendOnlyFile(server: RedisServer, dbId: number, argv: string[]): void {
  const st = persistenceOf(server);
  let buf = '';
  if (server.config.get<boolean>('aof-timestamp-enabled')) {
    const now = unixtime(server);
    if (st.aofCurTimestamp < now) {
      st.aofCurTimestamp = now;
      buf += `#TS:${now}\r\n`;
    }
  }
  if (dbId !== st.aofSelectedDb) {
    const id = String(dbId);
    buf += `*2\r\n$6\r\nSELECT\r\n$${id.length}\r\n${id}\r\n`;
    st.aofSelectedDb = dbId;
  }
  buf += respCommand(argv);
  if (st.aofState === 'on' || (st.aofState === 'wait_rewrite' && st.child?.type === 'aof')) {
    st.aofBuf.pushStr(buf);
  }
}

/** bioPendingJobsOfType(BIO_AOF_FSYNC) != 0. */
function fsyncInProgress(server: RedisServer): boolean {
  return persistenceOf(server).aofPendingBioFsync > 0;
}

/** aof_background_fsync: fsync the current incr file from the "bio thread". */
function backgroundFsync(server: RedisServer): void {
  const st = persistenceOf(server);
  const fh = st.aofFd;
  if (!fh) return;
  st.aofPendingBioFsync++;
  fh.fsyncInBackground((err) => server.event(() => {
    st.aofPendingBioFsync--;
    if (err && err.code !== 'EBADF' && err.code !== 'EINVAL') {
      const wasOk = st.aofBioFsyncOk;
      st.aofBioFsyncOk = false;
      st.aofBioFsyncErrno = err.code;
      if (wasOk) server.log.warning(`Fail to fsync the AOF file: ${strerror(err)}`);
    } else {
      st.aofBioFsyncOk = true;
    }
  }));
}

/**
 * flushAppendOnlyFile. Returns false when the process must exit (a write or fsync error
 * with appendfsync always); the caller terminates it.
 */
export function flushAppendOnlyFile(server: RedisServer, force: boolean): boolean {
  const st = persistenceOf(server);
  const fsyncPolicy = server.config.get<string>('appendfsync');
  const now = unixtime(server);
  let syncInProgress = false;
  let doWrite = true;
  if (!st.aofFd) return true;

  if (st.aofBuf.len === 0) {
    // Nothing to write, but an earlier write may still need its fsync.
    if (fsyncPolicy === 'everysec' && st.aofLastIncrFsyncOffset !== st.aofLastIncrSize &&
        now > st.aofLastFsync && !(syncInProgress = fsyncInProgress(server))) {
      doWrite = false;
    } else if (fsyncPolicy === 'always' && st.aofLastIncrFsyncOffset !== st.aofLastIncrSize) {
      doWrite = false;
    } else {
      return true;
    }
  }

  if (doWrite) {
    if (fsyncPolicy === 'everysec') syncInProgress = fsyncInProgress(server);
    if (fsyncPolicy === 'everysec' && !force && syncInProgress) {
      if (st.aofFlushPostponedStart === 0) {
        st.aofFlushPostponedStart = now;
        return true;
      } else if (now - st.aofFlushPostponedStart < 2) {
        return true;
      }
      st.aofDelayedFsync++;
      server.log.notice('Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.');
    }
    const sleepUs = debugState(server).aofFlushSleepUs;
    if (sleepUs > 0 && st.aofBuf.len) server.os.sleep(sleepUs / 1000); // DEBUG AOF-FLUSH-SLEEP
    const bytes = st.aofBuf.view();
    const n = bytes.length;
    let error: unknown = null;
    const writeStartUs = server.os.nowUs();
    try {
      st.aofFd.write(bytes);
    } catch (e) {
      error = e;
    }
    // The latency monitor tells a slow write behind a pending fsync or beside a child's disk
    // traffic from one that happened alone; "aof-write" has them all.
    const writeMs = Math.floor((server.os.nowUs() - writeStartUs) / 1000);
    latencyAddSampleIfNeeded(server, syncInProgress ? 'aof-write-pending-fsync' : server.hasActiveChild() ? 'aof-write-active-child' : 'aof-write-alone', writeMs);
    latencyAddSampleIfNeeded(server, 'aof-write', writeMs);
    st.aofFlushPostponedStart = 0;
    if (error) {
      const canLog = now - st.lastWriteErrorLog > 30;
      if (canLog) {
        st.lastWriteErrorLog = now;
        server.log.warning(`Error writing to the AOF file: ${strerror(error)}`);
      }
      st.aofLastWriteErrno = errCode(error);
      if (fsyncPolicy === 'always') {
        server.log.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
        return false;
      }
      st.aofLastWriteOk = false;
      return true; // keep the buffer; retried from serverCron
    }
    if (!st.aofLastWriteOk) {
      server.log.warning('AOF write error looks solved, Redis can write again.');
      st.aofLastWriteOk = true;
    }
    st.aofCurrentSize += n;
    st.aofLastIncrSize += n;
    st.aofBuf.clear();
  }

  // try_fsync:
  if (server.config.get<boolean>('no-appendfsync-on-rewrite') && server.hasActiveChild()) return true;
  if (fsyncPolicy === 'always') {
    const fsyncStartUs = server.os.nowUs();
    try {
      st.aofFd.fsync();
      latencyAddSampleIfNeeded(server, 'aof-fsync-always', Math.floor((server.os.nowUs() - fsyncStartUs) / 1000));
    } catch (e) {
      server.log.warning(`Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${strerror(e)}. Exiting...`);
      return false;
    }
    st.aofLastIncrFsyncOffset = st.aofLastIncrSize;
    st.aofLastFsync = now;
  } else if (fsyncPolicy === 'everysec' && now > st.aofLastFsync) {
    if (!syncInProgress) {
      backgroundFsync(server);
      st.aofLastIncrFsyncOffset = st.aofLastIncrSize;
    }
    st.aofLastFsync = now;
  }
  return true;
}

/** The MISCONF text when AOF writes or fsyncs are failing (writeCommandsGetDiskErrorMessage). */
export function aofDiskError(server: RedisServer): string | null {
  const st = persistenceOf(server);
  if (st.aofState === 'off') return null;
  if (!st.aofLastWriteOk) return `-MISCONF Errors writing to the AOF file: ${strerror({ code: st.aofLastWriteErrno })}`;
  if (!st.aofBioFsyncOk) return `-MISCONF Errors writing to the AOF file: ${strerror({ code: st.aofBioFsyncErrno })}`;
  return null;
}
