/**
 * redis-check-rdb: walk an RDB file with full sanitization and report what it finds the way
 * the real tool does: one "[offset N]" line per AUX field and SELECTDB, then either
 * "\o/ RDB looks OK! \o/" or "--- RDB ERROR DETECTED ---" with the offset, what the walker
 * was doing, the key and its type, and the key/expire counters. Exit code 0 or 1.
 *
 * redis-server runs the same check (printing to stdout) before exiting when its own load
 * fails, and redis-check-aof runs it on RDB preambles, so the core is a function over the
 * file bytes; `redisCheckRdbMain` is the command-line program.
 */
import type { ProgramContext } from '../programs/program';
import { RdbReader, RdbEof, RdbReportedError, RDB_C_LINE, EMPTY_KEY } from '../persistence/rdb/decoder';
import { DEFAULT_LIMITS } from '../persistence/rdb/decoder';
import { walkRdb, newWalkState, RdbHeaderError, RdbInvalidTypeError, RdbFunctionError } from '../persistence/rdb/file-reader';
import { CHECK_RDB_TYPE_NAMES } from '../persistence/rdb/format';
import { REDIS_VERSION } from '../server/server';
import { formatLogTime } from '../server/log';

export interface CheckRdbIo {
  /** Standard output (the tool prints everything with printf). */
  out(text: string): void;
  /**
   * Corruption found inside the loader code makes the process log "Terminating server
   * after rdb file reading failure." with serverLog and exit(1) on the spot.
   */
  terminate(message: string): void;
}

export interface CheckRdbResult {
  ok: boolean;
  /** Position after the RDB (redis-check-aof continues with the AOF tail from here). */
  end: number;
  /** The check ended through the loader's "Terminating server" path (exit now). */
  terminated: boolean;
}

/** The printable part of a C string (printf %s stops at the first NUL). */
function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i >= 0 ? s.slice(0, i) : s;
}

/**
 * redis_check_rdb over `bytes` (null when the file cannot be opened). `start` is where the
 * RDB begins inside `bytes`; offsets are counted from there like rio's processed_bytes.
 */
export function checkRdbImage(bytes: Uint8Array | null, fileName: string, nowMs: number, io: CheckRdbIo, start = 0): CheckRdbResult {
  const info = (offset: number, msg: string) => io.out(`[offset ${offset}] ${msg}\n`);
  info(0, `Checking RDB file ${fileName}`);
  if (!bytes) return { ok: false, end: start, terminated: false };
  const buf = start === 0 ? bytes : bytes.subarray(start);
  const r = new RdbReader(buf);
  const state = newWalkState();
  let keys = 0, expires = 0, alreadyExpired = 0;

  const showGeneric = () => {
    io.out(`[info] ${keys} keys read\n`);
    io.out(`[info] ${expires} expires\n`);
    io.out(`[info] ${alreadyExpired} already expired\n`);
  };
  const checkError = (msg: string) => {
    io.out('--- RDB ERROR DETECTED ---\n');
    io.out(`[offset ${r.pos}] ${msg}\n`);
    io.out(`[additional info] While doing: ${state.doing}\n`);
    if (state.key !== null) io.out(`[additional info] Reading key '${cstr(state.key)}'\n`);
    if (state.keyType !== -1) {
      io.out(`[additional info] Reading type ${state.keyType} (${CHECK_RDB_TYPE_NAMES[state.keyType] ?? 'unknown'})\n`);
    }
    showGeneric();
  };

  try {
    walkRdb(r, {
      aux: (k, v) => info(r.pos, `AUX FIELD ${cstr(k)} = '${cstr(v)}'`),
      selectDb: (id) => info(r.pos, `Selecting DB ID ${id}`),
      moduleAux: (name) => info(r.pos, `MODULE AUX for: ${name}`),
      keyName: () => { keys++; },
      key: (_k, v, exp) => {
        // rdbLoadObject returns no object for an empty aggregate, which the server skips
        // with a warning but the checker takes for a failed read.
        if (v === EMPTY_KEY) throw new RdbEof();
        if (exp !== -1 && exp < nowMs) alreadyExpired++;
        if (exp !== -1) expires++;
      },
    }, {
      limits: DEFAULT_LIMITS, deep: true, checkMode: true, verifyChecksum: true,
    }, state);
  } catch (e) {
    if (e instanceof RdbHeaderError || e instanceof RdbInvalidTypeError) {
      checkError(e.message);
    } else if (e instanceof RdbFunctionError) {
      checkError(`Failed loading library, ${e.message}`);
    } else if (e instanceof RdbReportedError && e.line === RDB_C_LINE.badWhenOpcode) {
      checkError('bad when_opcode');
    } else if (e instanceof RdbReportedError && e.line === RDB_C_LINE.crcError) {
      checkError('RDB CRC error');
    } else if (e instanceof RdbReportedError) {
      checkError(`Internal error in RDB reading offset 0, function at rdb.c:${e.line} -> ${e.message}`);
      io.terminate('Terminating server after rdb file reading failure.');
      return { ok: false, end: start + r.pos, terminated: true };
    } else if (e instanceof RdbEof) {
      checkError('Unexpected EOF reading RDB file');
    } else {
      throw e;
    }
    return { ok: false, end: start + r.pos, terminated: false };
  }
  if (state.version >= 5) {
    let disabled = true;
    for (let i = r.pos - 8; i < r.pos; i++) if (buf[i] !== 0) disabled = false;
    info(r.pos, disabled ? 'RDB file was saved with checksum disabled: no check performed.' : 'Checksum OK');
  }
  info(r.pos, '\\o/ RDB looks OK! \\o/');
  showGeneric();
  return { ok: true, end: start + r.pos, terminated: false };
}

/** `redis-check-rdb <file>` as a program (sim shell and native entry point). */
export async function redisCheckRdbMain(ctx: ProgramContext): Promise<void> {
  const { os, argv } = ctx;
  if (argv.length !== 2) {
    os.stderr(`Usage: ${argv[0]} <rdb-file-name>\n`);
    os.exit(1);
    return;
  }
  if (argv[1] === '-v' || argv[1] === '--version') {
    os.stdout(`redis-check-rdb ${REDIS_VERSION}\n`);
    os.exit(0);
    return;
  }
  let bytes: Uint8Array | null = null;
  try { bytes = await os.fs.readFile(argv[1]); } catch { bytes = null; }
  const res = checkRdbImage(bytes, argv[1], os.now(), {
    out: (t) => os.stdout(t),
    terminate: (msg) => os.stdout(`${os.pid}:C ${formatLogTime(os, os.now())} # ${msg}\n`),
  });
  os.exit(res.ok ? 0 : 1);
}
