/**
 * The persistence steps of a graceful shutdown (finishShutdown in server.c): stop a running
 * BGSAVE child, stop an AOF rewrite (refusing to exit while the very first AOF is still
 * being written, unless forced), flush and fsync the AOF, and save a final RDB when save
 * points are configured (or SHUTDOWN SAVE) unless SHUTDOWN NOSAVE. A failed final save
 * aborts the shutdown unless it was forced.
 */
import { SHUTDOWN_SAVING, type RedisServer, type ShutdownOptions } from '../server/server';
import type { SavePoint } from '../config/params';
import { persistenceOf } from './state';
import { rdbSave, rdbSaveBlocking, removeTempFiles } from './rdb-save';
import { killAppendOnlyChild } from './aof/rewrite';
import { flushAppendOnlyFile } from './aof/append';
import { strerror } from './errno';
import { ldbKillForkedSessions } from '../server/ldb';

/** The reply SHUTDOWN gets when the server refuses to exit. */
export const SHUTDOWN_ERROR = 'Errors trying to SHUTDOWN. Check logs.';

export function persistenceShutdown(server: RedisServer, opts: ShutdownOptions): string | null {
  const st = persistenceOf(server);
  const log = server.log;
  let save = !!opts.save;
  let nosave = !!opts.nosave;
  if (server.loading || server.sentinelMode) { save = false; nosave = true; }

  // Forked Lua debugging sessions die with the server.
  ldbKillForkedSessions(server);

  if (st.child?.type === 'rdb') {
    log.warning('There is a child saving an .rdb. Killing it!');
    st.child.proc.kill('SIGUSR1');
    removeTempFiles(server, st.child);
  }
  if (st.child?.type === 'aof') {
    if (st.aofState === 'wait_rewrite') {
      if (opts.force) {
        log.warning('Writing initial AOF. Exit anyway.');
      } else {
        log.warning("Writing initial AOF, can't exit.");
        return SHUTDOWN_ERROR;
      }
    }
    log.warning('There is a child rewriting the AOF. Killing it!');
    killAppendOnlyChild(server);
  }
  if (st.aofState !== 'off') {
    log.notice('Calling fsync() on the AOF file.');
    flushAppendOnlyFile(server, true);
    try {
      st.aofFd?.fsync();
    } catch (e) {
      log.warning(`Fail to fsync the AOF file: ${strerror(e)}.`);
    }
  }
  const savePoints = server.config.get<SavePoint[]>('save');
  if ((savePoints.length > 0 && !nosave) || save) {
    log.notice('Saving the final RDB snapshot before exiting.');
    const saved = (ok: boolean): string | null => {
      if (ok) return null;
      if (opts.force) {
        log.warning('Error trying to save the DB. Exit anyway.');
        return null;
      }
      log.warning("Error trying to save the DB, can't exit.");
      return SHUTDOWN_ERROR;
    };
    // A save that lasts (rdb-key-save-delay) for a caller that can wait: the rest comes after.
    if (opts.waitForSave && rdbSaveBlocking(server, (ok) => {
      const err = saved(ok);
      if (err) server.failShutdown(err);
      else server.finishShutdown();
    })) return SHUTDOWN_SAVING;
    return saved(rdbSave(server) !== null);
  }
  return null;
}
