/**
 * Entry points for DEBUG RELOAD, DEBUG LOADAOF and DEBUG OBJECT's serializedlength (the DEBUG
 * command itself lives with the other debugging commands and calls these through
 * debugHooks). The reload functions return the error reply text, or null for +OK; the DEBUG
 * command logs the success lines itself.
 */
import type { RedisServer } from '../server/server';
import { persistenceOf } from './state';
import { rdbSave } from './rdb-save';
import { loadRdbIntoServer, logDoneLoading, RdbLoadFatal, checkFileAndExit } from './rdb-load';
import { startLoading, stopLoading } from './loading';
import { flushAppendOnlyFile } from './aof/append';
import { loadManifestFromDisk } from './startup';
import { deleteHistoryFiles } from './aof/files';
import { AofLoadExit, loadAppendOnlyFiles } from './aof/loader';
import { debugHooks } from '../commands/debug';
import { RdbWriter, writeValue } from './rdb/encoder';
import { encodeOptions } from './snapshot';
import type { RedisValue } from '../keyspace/values';
import { forgetReplicaKeysWithExpire } from '../keyspace/replica-expire';

export interface ReloadOptions { merge?: boolean; noflush?: boolean; nosave?: boolean }

/** Empty every database and the function libraries (emptyData(-1) without EMPTYDB_NOFUNCTIONS). */
function emptyAll(server: RedisServer): void {
  for (const db of server.dbs) db.clear();
  forgetReplicaKeysWithExpire(server);
  persistenceOf(server).functions = [];
}

function loadImage(server: RedisServer, bytes: Uint8Array, allowDup: boolean, log: boolean, keepFunctions = false): string | null {
  const filename = server.config.get<string>('dbfilename');
  startLoading(server, bytes.length);
  try {
    const stats = loadRdbIntoServer(server, bytes, filename, { allowDup, keepFunctions });
    logDoneLoading(server, stats);
  } catch (e) {
    stopLoading(server);
    if (e instanceof RdbLoadFatal) {
      if (e.kind === 'report' && e.checkFile) {
        const checking = checkFileAndExit(server, e.checkFile);
        server.os.trackAsync?.(checking);
      }
      else if (e.kind !== 'header') server.terminate(1);
      return 'Error trying to load the RDB dump';
    }
    throw e;
  }
  stopLoading(server);
  if (log) server.log.warning('DB reloaded by DEBUG RELOAD');
  return null;
}

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] when the file does not have to be read back from
 * disk (the default: save, then load what was just written). Returns undefined when NOSAVE
 * requires reading the file; use reloadFromRdb then.
 */
export function reloadFromRdbSync(server: RedisServer, opts: ReloadOptions = {}, log = true): string | null | undefined {
  if (opts.nosave) return undefined;
  const bytes = rdbSave(server);
  if (!bytes) return '-ERR';
  if (!opts.noflush) emptyAll(server);
  return loadImage(server, bytes, !!opts.merge, log, !!opts.noflush);
}

/** DEBUG RELOAD with any options (reads dump.rdb from disk for NOSAVE). */
export async function reloadFromRdb(server: RedisServer, opts: ReloadOptions = {}, log = true): Promise<string | null> {
  const sync = reloadFromRdbSync(server, opts, log);
  if (sync !== undefined) return sync;
  let bytes: Uint8Array;
  try {
    bytes = await server.os.fs.readFile(server.config.get<string>('dbfilename'));
  } catch {
    if (!opts.noflush) emptyAll(server);
    return 'Error trying to load the RDB dump';
  }
  if (!opts.noflush) emptyAll(server);
  return loadImage(server, bytes, !!opts.merge, log, !!opts.noflush);
}

/** DEBUG LOADAOF: flush the AOF, empty the dataset and replay the AOF files. */
export async function loadAofNow(server: RedisServer, log = true): Promise<string | null> {
  const st = persistenceOf(server);
  if (st.aofState !== 'off' && !flushAppendOnlyFile(server, true)) { server.terminate(1); return null; }
  emptyAll(server);
  await loadManifestFromDisk(server);
  deleteHistoryFiles(server);
  try {
    const ret = await loadAppendOnlyFiles(server, st.aofManifest);
    if (ret !== 'ok' && ret !== 'empty') { server.terminate(1); return null; }
  } catch (e) {
    if (e instanceof AofLoadExit) { server.terminate(e.exitCode); return null; }
    throw e;
  }
  server.dirty = 0;
  if (log) server.log.warning('Append Only File loaded by DEBUG LOADAOF');
  return null;
}

/** rdbSavedObjectLen: bytes of the value's RDB encoding (DEBUG OBJECT serializedlength). */
export function serializedLength(server: RedisServer, v: RedisValue): number {
  const w = new RdbWriter(encodeOptions(server), 64);
  writeValue(w, v);
  return w.len;
}

/** Let DEBUG RELOAD / LOADAOF / OBJECT use the real implementations. */
export function registerDebugHooks(server: RedisServer): void {
  const h = debugHooks(server);
  h.reload = (opts) => reloadFromRdb(server, opts, false);
  h.loadAof = () => loadAofNow(server, false);
  h.serializedLength = (_key, e) => serializedLength(server, e.v);
}
