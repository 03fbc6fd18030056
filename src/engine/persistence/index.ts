/**
 * Persistence wired into a server: RDB snapshots and the multi-part AOF attach to the
 * server's hooks (cron, beforeSleep, propagate, shutdown, INFO, start-up loading, FLUSHALL)
 * and guards (MISCONF), and to CONFIG SET appendonly.
 *
 * Other modules use:
 *   persistenceOf(server)            state (children, AOF state, last save status...)
 *   rdbSaveBackground(server, cb)    BGSAVE with a completion callback (replication)
 *   snapshotRdb(server, ...)         an RDB image of the dataset (replication, DEBUG)
 *   loadRdbIntoServer(server, ...)   load an RDB image (replication full sync)
 *   persistenceInfoFields(server)    INFO persistence (also registered as the section provider)
 *   reloadFromRdb / loadAofNow       DEBUG RELOAD / DEBUG LOADAOF (registered in debugHooks)
 *   removeRdbUsedToSyncReplicas      rdb-del-sync-files (from the replication cron)
 *   stopAppendOnly / startAppendOnly a replica turns the AOF off for a full sync and back on
 *                                    after it (restartAOFAfterSYNC)
 */
import type { RedisServer } from '../server/server';
import type { SavePoint } from '../config/params';
import { persistenceOf, unixtime } from './state';
import { persistenceCron, persistenceQuietUntil } from './cron';
import { persistenceShutdown } from './shutdown';
import { persistenceInfoFields } from './info';
import { registerDebugHooks } from './debug-api';
import { loadDataAtStartup } from './startup';
import { feedAppendOnlyFile, flushAppendOnlyFile, aofDiskError } from './aof/append';
import { startAppendOnly, stopAppendOnly } from './aof/rewrite';
import { deleteHistoryFiles } from './aof/files';
import { killRdbChild, rdbSave } from './rdb-save';

/** shared.bgsaveerr (without the trailing CRLF). */
export const BGSAVE_ERROR = "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

/** writeCommandsDeniedByDiskError + writeCommandsGetDiskErrorMessage. */
export function diskErrorMessage(server: RedisServer): string | null {
  const st = persistenceOf(server);
  if (server.config.get<boolean>('stop-writes-on-bgsave-error') && server.config.get<SavePoint[]>('save').length > 0 && !st.lastBgsaveOk) {
    return BGSAVE_ERROR;
  }
  return aofDiskError(server);
}

export function attachPersistence(server: RedisServer): void {
  const st = persistenceOf(server);
  st.aofState = server.config.get<boolean>('appendonly') ? 'on' : 'off';
  st.aofLastFsync = unixtime(server);

  server.loadDataFromDiskHook = () => loadDataAtStartup(server);
  server.hooks.cron.push({ run: () => persistenceCron(server), quietUntil: (tick) => persistenceQuietUntil(server, tick) });
  const flushAof = () => {
    if ((st.aofState === 'on' || st.aofState === 'wait_rewrite') && !flushAppendOnlyFile(server, false)) server.terminate(1);
  };
  server.hooks.beforeSleep.push(flushAof);
  server.hooks.beforeSleepWhileBlocked.push(flushAof);
  server.hooks.propagate.push((op) => {
    // PUBLISH and friends are forced to replicas only (target 'repl'), never into the AOF.
    if (st.aofState !== 'off' && op.target !== 'repl') feedAppendOnlyFile(server, op.dbId, op.argv);
  });
  server.hooks.shutdown.push((opts) => persistenceShutdown(server, opts));
  server.hooks.info.set('persistence', { fields: () => persistenceInfoFields(server) });
  registerDebugHooks(server);
  // Checked before every write command: the common "all is well" answer costs two field reads.
  server.guards.diskError = () => (st.lastBgsaveOk && st.aofState === 'off' ? null : diskErrorMessage(server));
  server.afterFlushAll = () => {
    // flushAllDataAndResetRDB: a running BGSAVE would write the old data back; with save
    // points the empty dataset is saved right away.
    killRdbChild(server);
    if (server.config.get<SavePoint[]>('save').length > 0) rdbSave(server);
  };

  server.config.onApply('appendonly', (value) => {
    if (!value && st.aofState !== 'off') {
      stopAppendOnly(server);
    } else if (value && st.aofState === 'off') {
      if (!startAppendOnly(server)) return 'Unable to turn on AOF. Check server logs.';
    }
    return null;
  });
  server.config.onApply('aof-disable-auto-gc', (value) => {
    if (!value) deleteHistoryFiles(server);
    return null;
  });
}

export { persistenceOf } from './state';
export { persistenceInfoFields, persistenceInfoLines } from './info';
export { rdbSave, rdbSaveBackground } from './rdb-save';
export { snapshotRdb } from './snapshot';
export { loadRdbIntoServer } from './rdb-load';
export { reloadFromRdb, reloadFromRdbSync, loadAofNow } from './debug-api';
export { rewriteAppendOnlyFileBackground, startAppendOnly, stopAppendOnly } from './aof/rewrite';
export { noteRdbGeneratedForReplicas, removeRdbUsedToSyncReplicas, allPersistenceDisabled } from './rdb-sync-files';
