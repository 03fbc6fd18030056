/**
 * Replication-protocol modes: --replica (pretend to be a replica and print, as CSV, every
 * command the master propagates) and --rdb / --functions-rdb (fetch an RDB snapshot through
 * SYNC into a file or stdout). Both read SYNC's `$<len>` or `$EOF:<40-byte mark>` header and
 * then the payload as raw bytes.
 */
import type { RedisCli } from '../cli';
import type { CliConnection } from '../connection';
import { errorText } from '../connection';
import { Output } from '../format';
import { bytesToStr } from '../../../bytes';
import type { FileHandle } from '../../../os';
import { REDIS_OPEN_CREATE_MODE } from '../../../util/create-modes';

const RDB_EOF_MARK_SIZE = 40;

export async function sendReplconf(cli: RedisCli, arg1: string, arg2: string): Promise<boolean> {
  cli.err(`sending REPLCONF ${arg1} ${arg2}\n`);
  const reply = await cli.command(cli.context!, ['REPLCONF', arg1, arg2]);
  if (reply === null) {
    cli.err('\nI/O error\n');
    cli.exit(1);
  }
  if (reply.type === 'error') {
    cli.err(`REPLCONF ${arg1} error: ${reply.str}\n`);
    return false;
  }
  return true;
}

/** sendSync: the payload size, or 0 with the EOF mark when the master streams diskless. */
async function sendSync(cli: RedisCli, c: CliConnection): Promise<{ payload: bigint; eofMark: string | null }> {
  if (!c.writeRaw('SYNC\r\n')) {
    cli.err('Error writing to master\n');
    cli.exit(1);
  }
  // Read "$<payload>\r\n" byte by byte, skipping the newlines a master sends while it waits.
  let line = '';
  for (;;) {
    const b = await c.readRaw(1);
    if (b === null || b.length === 0) {
      cli.err('Error reading bulk length while SYNCing\n');
      cli.exit(1);
    }
    const ch = String.fromCharCode(b[0]);
    if (ch === '\n' && line.length > 0) break;
    if (ch !== '\n') line += ch;
  }
  if (line.startsWith('-')) {
    cli.err(`SYNC with master failed: ${line.split('\0')[0]}\n`);
    cli.exit(1);
  }
  if (line.slice(1, 5) === 'EOF:' && line.length - 5 >= RDB_EOF_MARK_SIZE) {
    return { payload: 0n, eofMark: line.slice(5, 5 + RDB_EOF_MARK_SIZE) };
  }
  const digits = /^\s*\+?(\d+)/.exec(line.slice(1));
  return { payload: digits ? BigInt.asUintN(64, BigInt(digits[1])) : 0n, eofMark: null };
}

/** Keeps the last 40 bytes seen, to spot the EOF mark at the end of a diskless payload. */
class TailWindow {
  private last = '\0'.repeat(RDB_EOF_MARK_SIZE);
  push(chunk: Uint8Array): void {
    const s = bytesToStr(chunk.length > RDB_EOF_MARK_SIZE ? chunk.subarray(chunk.length - RDB_EOF_MARK_SIZE) : chunk);
    this.last = (this.last + s).slice(-RDB_EOF_MARK_SIZE);
  }
  is(mark: string): boolean { return this.last === mark; }
}

const ULLONG_MAX = 18446744073709551615n;

/** slaveMode. */
export async function slaveMode(cli: RedisCli): Promise<void> {
  const c = cli.context!;
  const { payload: announced, eofMark } = await sendSync(cli, c);
  let payload = announced;
  const originalOutput = cli.config.output;
  if (eofMark !== null) {
    payload = ULLONG_MAX;
    cli.err('SYNC with master, discarding bytes of bulk transfer until EOF marker...\n');
  } else {
    cli.err(`SYNC with master, discarding ${payload} bytes of bulk transfer...\n`);
  }
  const tail = new TailWindow();
  while (payload > 0n) {
    const chunk = await c.readRaw(Number(payload > 1024n ? 1024n : payload));
    if (chunk === null || chunk.length === 0) {
      cli.err('Error reading RDB payload while SYNCing\n');
      cli.exit(1);
    }
    payload -= BigInt(chunk.length);
    if (eofMark !== null) {
      tail.push(chunk);
      if (tail.is(eofMark)) break;
    }
  }
  if (eofMark !== null) {
    cli.err(`SYNC done after ${ULLONG_MAX - payload} bytes. Logging commands from master.\n`);
    await cli.sleepMs(1000);
    await sendReplconf(cli, 'ACK', '0');
  } else {
    cli.err('SYNC done. Logging commands from master.\n');
  }
  cli.config.output = Output.Csv;
  while (await cli.readReply(false)) { /* print every propagated command */ }
  cli.config.output = originalOutput;
}

/** getRDB: --rdb / --functions-rdb. */
export async function getRdb(cli: RedisCli): Promise<never> {
  const c = cli.context!;
  const filename = cli.config.rdbFilename!;
  const { payload: announced, eofMark } = await sendSync(cli, c);
  let payload = announced;
  if (eofMark !== null) {
    payload = ULLONG_MAX;
    cli.err(`SYNC sent to master, writing bytes of bulk transfer until EOF marker to '${filename}'\n`);
  } else {
    cli.err(`SYNC sent to master, writing ${payload} bytes to '${filename}'\n`);
  }
  const toStdout = filename === '-';
  let file: FileHandle | null = null;
  if (!toStdout) {
    try {
      file = cli.os.fs.open(filename, 'write', { createMode: REDIS_OPEN_CREATE_MODE });
    } catch (e: any) {
      cli.err(`Error opening '${filename}': ${errorText(e)}\n`);
      cli.exit(1);
    }
  }
  const tail = new TailWindow();
  while (payload > 0n) {
    const chunk = await c.readRaw(Number(payload > 4096n ? 4096n : payload));
    if (chunk === null || chunk.length === 0) {
      cli.err('I/O Error reading RDB payload from socket\n');
      cli.exit(1);
    }
    try {
      if (file) file.write(chunk);
      else cli.out(bytesToStr(chunk));
    } catch (e: any) {
      cli.err(`Error writing data to file: ${errorText(e)}\n`);
      cli.exit(1);
    }
    payload -= BigInt(chunk.length);
    if (eofMark !== null) {
      tail.push(chunk);
      if (tail.is(eofMark)) break;
    }
  }
  if (eofMark !== null) {
    payload = ULLONG_MAX - payload - BigInt(RDB_EOF_MARK_SIZE);
    if (file) {
      try { file.truncate(Number(payload)); } catch (e: any) { cli.err(`ftruncate failed: ${errorText(e)}.\n`); }
    }
    cli.err(`Transfer finished with success after ${payload} bytes\n`);
  } else {
    cli.err('Transfer finished with success.\n');
  }
  cli.freeContext();
  if (file) {
    try {
      file.fsync();
    } catch (e: any) {
      cli.err(`Fail to fsync '${filename}': ${errorText(e)}\n`);
      cli.exit(1);
    }
    file.close();
  }
  cli.exit(0);
}

