/**
 * Entry points for DEBUG RELOAD and DEBUG LOADAOF (the DEBUG command itself lives with the
 * other debugging commands). Both return the error reply text, or null for +OK.
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

export interface ReloadOptions { merge?: boolean; noflush?: boolean; nosave?: boolean }

/** Empty every database (emptyData(-1)). */
function emptyAll(server: RedisServer): void {
  for (const db of server.dbs) db.clear();
}

function loadImage(server: RedisServer, bytes: Uint8Array, allowDup: boolean): string | null {
  const filename = server.config.get<string>('dbfilename');
  startLoading(server, bytes.length);
  try {
    const stats = loadRdbIntoServer(server, bytes, filename, { allowDup });
    logDoneLoading(server, stats);
  } catch (e) {
    stopLoading(server);
    if (e instanceof RdbLoadFatal) {
      if (e.kind === 'report' && e.checkFile) void checkFileAndExit(server, e.checkFile);
      else if (e.kind !== 'header') server.terminate(1);
      return 'Error trying to load the RDB dump';
    }
    throw e;
  }
  stopLoading(server);
  server.log.warning('DB reloaded by DEBUG RELOAD');
  return null;
}

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] when the file does not have to be read back from
 * disk (the default: save, then load what was just written). Returns undefined when NOSAVE
 * requires reading the file; use reloadFromRdb then.
 */
export function reloadFromRdbSync(server: RedisServer, opts: ReloadOptions = {}): string | null | undefined {
  if (opts.nosave) return undefined;
  const bytes = rdbSave(server);
  if (!bytes) return '-ERR';
  if (!opts.noflush) emptyAll(server);
  return loadImage(server, bytes, !!opts.merge);
}

/** DEBUG RELOAD with any options (reads dump.rdb from disk for NOSAVE). */
export async function reloadFromRdb(server: RedisServer, opts: ReloadOptions = {}): Promise<string | null> {
  const sync = reloadFromRdbSync(server, opts);
  if (sync !== undefined) return sync;
  let bytes: Uint8Array;
  try {
    bytes = await server.os.fs.readFile(server.config.get<string>('dbfilename'));
  } catch {
    if (!opts.noflush) emptyAll(server);
    return 'Error trying to load the RDB dump';
  }
  if (!opts.noflush) emptyAll(server);
  return loadImage(server, bytes, !!opts.merge);
}

/** DEBUG LOADAOF: flush the AOF, empty the dataset and replay the AOF files. */
export async function loadAofNow(server: RedisServer): Promise<string | null> {
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
  server.log.warning('Append Only File loaded by DEBUG LOADAOF');
  return null;
}
