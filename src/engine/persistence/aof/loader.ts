/**
 * Loading the AOF at start-up (loadAppendOnlyFiles / loadSingleAppendOnlyFile): the base
 * file (an RDB, or RESP) and then every incr file in manifest order, each command replayed
 * through a fake client, MULTI/EXEC blocks applied as a whole.
 *
 * The RESP reader follows the C code's fgets/fread steps exactly, because that decides what
 * a torn tail looks like: with aof-load-truncated yes a short read in the last file
 * truncates it at the end of the last complete command (or before an unfinished MULTI) and
 * the load goes on; a short read in any other file, or a format error anywhere, is fatal.
 */
import type { RedisServer } from '../../server/server';
import type { AofManifest } from './manifest';
import { persistenceOf } from '../state';
import { aofFilename, aofPath, aofFileSize, aofUpgradePrepare, dirExists, aofDirname } from './files';
import { loadRdbIntoServer, logDoneLoading, RdbLoadFatal } from '../rdb-load';
import { COST } from '../snapshot';
import { paceLoading, startLoading, stopLoading, yieldToEventLoop } from '../loading';
import { bytesToBinary } from '../rdb/listpack';
import { lowerAscii } from '../../commands/table';
import type { Client } from '../../server/client';
import { strerror } from '../errno';

export type AofLoadResult = 'ok' | 'not_exist' | 'empty' | 'open_err' | 'failed' | 'truncated';

/** Fatal while loading: the caller logs nothing more and exits with `exitCode`. */
export class AofLoadExit extends Error {
  constructor(readonly exitCode: number, readonly checkFile: string | null = null) { super('aof load exit'); }
}

/** A FILE* over the file's bytes with the fgets/fread behaviour the loader relies on. */
class CFile {
  pos = 0;
  eof = false;
  constructor(readonly b: Uint8Array, pos = 0) { this.pos = pos; }

  /** fgets(buf, size): up to size-1 bytes, stopping after '\n'; null at end of file. */
  fgets(size: number): string | null {
    if (this.pos >= this.b.length) { this.eof = true; return null; }
    const start = this.pos;
    const limit = Math.min(this.b.length, start + size - 1);
    let p = start;
    while (p < limit) {
      if (this.b[p++] === 10) break;
    }
    this.pos = p;
    if (p >= this.b.length && this.b[p - 1] !== 10) this.eof = true;
    return bytesToBinary(this.b, start, p);
  }

  /** fread(buf, n, 1): the n bytes, or null (with eof set) when fewer remain. */
  fread(n: number): string | null {
    if (this.pos + n > this.b.length) {
      this.pos = this.b.length;
      this.eof = true;
      return null;
    }
    const s = bytesToBinary(this.b, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}

/** atoi / strtol(…, 10) on a line: leading space, sign, digits. */
function cAtol(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

/** The C-string view of an argument (for log lines). */
function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i >= 0 ? s.slice(0, i) : s;
}

/** Run one command as the AOF client would (cmd->proc directly: no stats, no propagation). */
function runCommand(server: RedisServer, c: Client, argv: string[]): void {
  const cmd = server.table.lookup(argv)!;
  const prev = server.currentClient;
  server.currentClient = c;
  c.cmd = cmd;
  c.argv = argv;
  server.enterCall();
  try {
    cmd.handler!(c, argv);
  } finally {
    server.exitCall();
    server.currentClient = prev;
    server.pendingPropagation = [];
    c.out.clear();
  }
}

/** loadSingleAppendOnlyFile. */
export async function loadSingleAppendOnlyFile(server: RedisServer, filename: string): Promise<AofLoadResult> {
  const st = persistenceOf(server);
  const fs = server.os.fs;
  const log = server.log;
  const path = aofPath(server, filename);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (e) {
    if (fs.existsSync(path) || (e as { code?: string }).code !== 'ENOENT') {
      log.warning(`Fatal error: can't open the append log file ${filename} for reading: ${strerror(e)}`);
      return 'open_err';
    }
    log.warning(`The append log file ${filename} doesn't exist: No such file or directory`);
    return 'not_exist';
  }
  if (bytes.length === 0) return 'empty';

  const oldAofState = st.aofState;
  st.aofState = 'off';
  const f = new CFile(bytes);
  const loadTruncated = server.config.get<boolean>('aof-load-truncated');
  let validUpTo = 0;
  let validBeforeMulti = 0;
  let result: AofLoadResult = 'ok';
  const fake = server.createFakeClient();
  fake.replyMuted = true;
  let multiQueue: string[][] | null = null;
  let rdbPart = 0;

  const finish = (r: AofLoadResult) => { st.aofState = oldAofState; return r; };

  if (bytes.length >= 5 && bytesToBinary(bytes, 0, 5) === 'REDIS') {
    const oldStyle = filename === aofFilename(server);
    log.notice(oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...');
    let stats;
    try {
      stats = loadRdbIntoServer(server, bytes, filename, { aofPreamble: true });
    } catch (e) {
      st.aofState = oldAofState;
      if (e instanceof RdbLoadFatal) {
        if (e.kind === 'header') {
          log.warning(oldStyle ? `Error reading the RDB preamble of the AOF file ${filename}, AOF loading aborted`
            : `Error reading the RDB base file ${filename}, AOF loading aborted`);
          log.warning(`Unrecoverable error reading the append only file ${filename}: Invalid argument`);
          return 'failed';
        }
        throw new AofLoadExit(1, e.kind === 'report' ? e.checkFile : null);
      }
      throw e;
    }
    logDoneLoading(server, stats);
    rdbPart = stats.end;
    f.pos = rdbPart;
    if (oldStyle) log.notice('Reading the remaining AOF tail...');
  }

  // Read the RESP part command by command.
  let ok = true;
  /** Commands read (key-load-delay pauses after each, MULTI and EXEC included, as Redis does). */
  let commands = 0;
  let kind: 'eof' | 'fmt' | 'done' = 'done';
  for (;;) {
    const line = f.fgets(1024);
    if (line === null) break; // clean end of file
    if (line[0] === '#') continue;
    if (line[0] !== '*') { kind = 'fmt'; ok = false; break; }
    if (line.length === 1) { kind = 'eof'; ok = false; break; }
    const argc = cAtol(line.slice(1));
    if (argc < 1) { kind = 'fmt'; ok = false; break; }
    const argv: string[] = [];
    let bad: 'eof' | 'fmt' | null = null;
    for (let j = 0; j < argc; j++) {
      const l = f.fgets(1024);
      if (l === null) { bad = 'eof'; break; }
      if (l[0] !== '$') { bad = 'fmt'; break; }
      const len = cAtol(l.slice(1));
      const arg = len > 0 ? f.fread(len) : '';
      if (arg === null) { bad = 'eof'; break; }
      argv.push(arg);
      if (f.fread(2) === null) { bad = 'eof'; break; }
    }
    if (bad) { kind = bad; ok = false; break; }

    const name = lowerAscii(argv[0]);
    const isMulti = name === 'multi' && argv.length === 1;
    const isExec = name === 'exec' && argv.length === 1;
    if (!isMulti && !isExec && !server.table.lookup(argv)) {
      log.warning(`Unknown command '${cstr(argv[0])}' reading the append only file ${filename}`);
      return finish('failed');
    }
    if (isMulti) {
      validBeforeMulti = validUpTo;
      multiQueue = [];
    } else if (multiQueue && !isExec) {
      multiQueue.push(argv);
    } else if (isExec) {
      const queued = multiQueue ?? [];
      multiQueue = null;
      for (const q of queued) runCommand(server, fake, q);
    } else {
      fake.aofLoading = true;
      runCommand(server, fake, argv);
      fake.aofLoading = false;
      // A script past its time limit was suspended (scriptInterrupt's processEventsWhileBlocked):
      // clients are served while it runs its slices, and the next command waits for its end.
      while (fake.blocked && !server.exiting) await yieldToEventLoop(server);
    }
    if (loadTruncated) validUpTo = f.pos;
    commands++;
  }

  if (ok && multiQueue) {
    // EOF inside MULTI: drop the unfinished transaction like a short read.
    log.warning(`Revert incomplete MULTI/EXEC transaction in AOF file ${filename}`);
    validUpTo = validBeforeMulti;
    kind = 'eof';
    ok = false;
  }
  await paceLoading(server, bytes.length - rdbPart, COST.aofLoadBytesPerMs, { items: commands });
  if (ok) return finish('ok');

  if (kind === 'eof' && !f.eof) {
    log.warning(`Unrecoverable error reading the append only file ${filename}: Success`);
    return finish('failed');
  }
  if (kind === 'eof') {
    if (loadTruncated) {
      log.warning(`!!! Warning: short read while loading the AOF file ${filename}!!!`);
      log.warning(`!!! Truncating the AOF ${filename} at offset ${validUpTo} !!!`);
      try {
        const fh = fs.open(path, 'append');
        fh.truncate(validUpTo);
        fh.close();
        log.warning(`AOF ${filename} loaded anyway because aof-load-truncated is enabled`);
        result = 'truncated';
        return finish(result);
      } catch (e) {
        log.warning(`Error truncating the AOF file ${filename}: ${strerror(e)}`);
      }
    }
    log.warning(`Unexpected end of file reading the append only file ${filename}. You can: ` +
      '1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. ' +
      "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
    return finish('failed');
  }
  log.warning(`Bad file format reading the append only file ${filename}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`);
  return finish('failed');
}

/** loadAppendOnlyFiles: the upgrade check, sizes, base, then incr files. */
export async function loadAppendOnlyFiles(server: RedisServer, am: AofManifest): Promise<AofLoadResult> {
  const st = persistenceOf(server);
  const log = server.log;
  const fs = server.os.fs;
  const name = aofFilename(server);
  if (fs.existsSync(name)) {
    const baseOnlyOld = am.base !== null && am.incr.length === 0 && am.base.name === name && !fs.existsSync(aofPath(server, name));
    if (!dirExists(server, aofDirname(server)) || (am.base === null && am.incr.length === 0) || baseOnlyOld) {
      if (!aofUpgradePrepare(server, am)) throw new AofLoadExit(1);
    }
  }
  if (am.base === null && am.incr.length === 0) return 'not_exist';

  const total = am.fileCount();
  let totalSize = 0;
  for (const ai of [...(am.base ? [am.base] : []), ...am.incr]) {
    const { size, status } = aofFileSize(server, ai.name);
    if (status !== 'ok') return 'failed';
    totalSize += size;
  }
  if (totalSize === 0) return 'empty';

  startLoading(server, totalSize);
  let ret: AofLoadResult = 'ok';
  let baseSize = 0;
  let n = 0;
  try {
    const files = [...(am.base ? [{ ai: am.base, base: true }] : []), ...am.incr.map((ai) => ({ ai, base: false }))];
    for (const { ai, base } of files) {
      const last = ++n === total;
      if (base) baseSize = fs.statSync(aofPath(server, ai.name))?.size ?? 0;
      const start = server.os.now();
      ret = await loadSingleAppendOnlyFile(server, ai.name);
      if (ret === 'ok' || (ret === 'truncated' && last)) {
        log.notice(`DB loaded from ${base ? 'base' : 'incr'} file ${ai.name}: ${((server.os.now() - start) / 1000).toFixed(3)} seconds`);
      }
      if (!base && ret === 'empty') ret = 'ok';
      if (ret === 'truncated' && !last) {
        ret = 'failed';
        log.warning('Fatal error: the truncated file is not the last file');
      }
      if (ret === 'open_err' || ret === 'failed') return ret;
    }
    st.aofCurrentSize = totalSize;
    st.aofRewriteBaseSize = baseSize;
    return ret;
  } finally {
    stopLoading(server);
  }
}
