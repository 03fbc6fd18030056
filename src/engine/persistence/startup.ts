/**
 * What redis-server does with its files at start-up (server.c main → aofLoadManifestFromDisk,
 * loadDataFromDisk, aofOpenIfNeededOnServerStart, aofDelHistoryFiles):
 *
 * - With `appendonly yes` the AOF is the only source: its manifest is read, the base and
 *   incr files are replayed, and dump.rdb is ignored even when it exists. With no AOF
 *   directory at all Redis starts with an empty dataset and immediately writes an empty
 *   base file and a fresh incr file (the trap of lab A9: the next save overwrites the good
 *   dump.rdb with an empty one).
 * - With `appendonly no` dump.rdb is loaded if it exists.
 *
 * Fatal problems log Redis's lines and end the process with exit code 1.
 */
import type { RedisServer } from '../server/server';
import { persistenceOf } from './state';
import { AofManifest, ManifestError, manifestErrorLines, parseManifest } from './aof/manifest';
import { aofDirname, aofFilename, aofPath, dirCreateIfMissing, dirExists, aofFileSize, manifestName, persistManifest, deleteHistoryFiles } from './aof/files';
import { AofLoadExit, loadAppendOnlyFiles } from './aof/loader';
import { rewriteImage, writeRewriteFile } from './aof/rewrite';
import { loadRdbIntoServer, logDoneLoading, RdbLoadFatal, checkFileAndExit } from './rdb-load';
import { paceLoading, rdbLoadingStepBytes, startLoading, stopLoading } from './loading';
import { COST } from './snapshot';
import { strerror } from './errno';
import { bytesToBinary } from './rdb/listpack';
import { REDIS_OPEN_CREATE_MODE } from '../util/create-modes';

/** Thrown to stop the start-up sequence after the process was told to exit. */
class StartupExit extends Error {}

function exitNow(server: RedisServer, code: number): never {
  server.terminate(code);
  throw new StartupExit();
}

/** The whole start-up sequence; resolves when the server may print "Ready to accept connections". */
export async function loadDataAtStartup(server: RedisServer): Promise<void> {
  const st = persistenceOf(server);
  st.aofState = server.config.get<boolean>('appendonly') ? 'on' : 'off';
  try {
    await loadManifestFromDisk(server);
    await loadDataFromDisk(server);
    openAofIfNeededOnServerStart(server);
    deleteHistoryFiles(server);
  } catch (e) {
    if (e instanceof StartupExit) return;
    throw e;
  }
}

/** aofLoadManifestFromDisk. */
export async function loadManifestFromDisk(server: RedisServer): Promise<void> {
  const st = persistenceOf(server);
  st.aofManifest = new AofManifest();
  const dir = aofDirname(server);
  if (!dirExists(server, dir)) {
    server.log.debug(`The AOF directory ${dir} doesn't exist`);
    return;
  }
  const name = manifestName(server);
  const path = aofPath(server, name);
  if (!server.os.fs.existsSync(path)) {
    server.log.debug(`The AOF manifest file ${name} doesn't exist`);
    return;
  }
  let text: string;
  try {
    const b = await server.os.fs.readFile(path);
    text = bytesToBinary(b, 0, b.length);
  } catch (e) {
    server.log.warning(`Fatal error: can't open the AOF manifest file ${path} for reading: ${strerror(e)}`);
    exitNow(server, 1);
  }
  try {
    st.aofManifest = parseManifest(text);
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    for (const l of manifestErrorLines(e)) server.log.warning(l);
    exitNow(server, 1);
  }
}

/** loadDataFromDisk. */
export async function loadDataFromDisk(server: RedisServer): Promise<void> {
  const st = persistenceOf(server);
  const start = server.os.now();
  const seconds = () => ((server.os.now() - start) / 1000).toFixed(3);
  if (st.aofState === 'on') {
    let ret;
    try {
      ret = await loadAppendOnlyFiles(server, st.aofManifest);
    } catch (e) {
      if (e instanceof AofLoadExit) {
        if (e.checkFile) { await checkFileAndExit(server, e.checkFile); throw new StartupExit(); }
        exitNow(server, e.exitCode);
      }
      throw e;
    }
    if (ret === 'failed' || ret === 'open_err') exitNow(server, 1);
    if (ret !== 'not_exist') server.log.notice(`DB loaded from append only file: ${seconds()} seconds`);
    return;
  }
  const filename = server.config.get<string>('dbfilename');
  const fs = server.os.fs;
  if (!fs.existsSync(filename)) return; // ENOENT: start empty
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(filename);
  } catch (e) {
    server.log.warning(`Fatal error loading the DB: ${strerror(e)}. Exiting.`);
    exitNow(server, 1);
  }
  startLoading(server, bytes.length);
  let stats;
  try {
    stats = loadRdbIntoServer(server, bytes, filename);
  } catch (e) {
    stopLoading(server);
    if (e instanceof RdbLoadFatal) {
      if (e.kind === 'header') {
        server.log.warning('Fatal error loading the DB: Invalid argument. Exiting.');
        exitNow(server, 1);
      }
      if (e.kind === 'report' && e.checkFile) {
        await checkFileAndExit(server, e.checkFile);
        throw new StartupExit();
      }
      exitNow(server, 1);
    }
    throw e;
  }
  await paceLoading(server, bytes.length, COST.rdbLoadBytesPerMs, { items: stats.keysLoaded + stats.keysExpired, stepBytes: rdbLoadingStepBytes(server) });
  logDoneLoading(server, stats);
  stopLoading(server);
  server.log.notice(`DB loaded from disk: ${seconds()} seconds`);
  st.loadedReplInfo = stats.repl;
}

/** aofOpenIfNeededOnServerStart: make sure there is a base and an incr file to append to. */
export function openAofIfNeededOnServerStart(server: RedisServer): void {
  const st = persistenceOf(server);
  if (st.aofState !== 'on') return;
  const fs = server.os.fs;
  const dir = aofDirname(server);
  const err = dirCreateIfMissing(server, dir);
  if (err) {
    server.log.warning(`Can't open or create append-only dir ${dir}: ${strerror(err)}`);
    exitNow(server, 1);
  }
  const am = st.aofManifest;
  const hadIncr = am.incr.length > 0;
  if (!am.base && !hadIncr) {
    const baseName = am.newBase(aofFilename(server), server.config.get<boolean>('aof-use-rdb-preamble'));
    if (!writeRewriteFile(server.os, server.log, rewriteImage(server), aofPath(server, baseName))) exitNow(server, 1);
    server.log.notice(`Creating AOF base file ${baseName} on server start`);
  }
  const name = am.lastIncr(aofFilename(server));
  try {
    st.aofFd = fs.open(aofPath(server, name), 'append', { createMode: REDIS_OPEN_CREATE_MODE });
  } catch (e) {
    server.log.warning(`Can't open the append-only file ${name}: ${strerror(e)}`);
    exitNow(server, 1);
  }
  if (!persistManifest(server, am)) exitNow(server, 1);
  st.aofLastIncrSize = aofFileSize(server, name).size;
  st.aofLastIncrFsyncOffset = st.aofLastIncrSize;
  server.log.notice(hadIncr ? `Opening AOF incr file ${name} on server start` : `Creating AOF incr file ${name} on server start`);
}
