/**
 * Keyspace walking shared by --scan, --bigkeys, --memkeys and --hotkeys: SCAN with the
 * optional --pattern, with redis-cli's checks and messages on odd replies.
 */
import type { RedisCli } from '../cli';
import { repr } from '../../../util/repr';
import { Output } from '../format';
import type { CliReply } from '../reply';

export interface ScanPage {
  cursor: bigint;
  keys: string[];
}

/** sendScan. */
export async function sendScan(cli: RedisCli, cursor: bigint): Promise<ScanPage> {
  const argv = cli.config.pattern !== null ? ['SCAN', String(cursor), 'MATCH', cli.config.pattern] : ['SCAN', String(cursor)];
  const reply = await cli.command(cli.context!, argv);
  if (reply === null) {
    cli.err('\nI/O error\n');
    cli.exit(1);
  }
  if (reply.type === 'error') {
    cli.err(`SCAN error: ${reply.str}\n`);
    cli.exit(1);
  }
  if (reply.type !== 'array') {
    cli.err('Non ARRAY response from SCAN!\n');
    cli.exit(1);
  }
  if (reply.element.length !== 2) {
    cli.err('Invalid element count from SCAN!\n');
    cli.exit(1);
  }
  const [cur, keys] = reply.element;
  const next = cur.type === 'string' ? BigInt.asUintN(64, BigInt(/^\d+/.exec(cur.str)?.[0] ?? '0')) : 0n;
  const names = keys.type === 'array' ? keys.element.map((k) => ('str' in k ? k.str : '')) : [];
  return { cursor: next, keys: names };
}

/** getDbSize. */
export async function getDbSize(cli: RedisCli): Promise<number> {
  const reply: CliReply | null = await cli.command(cli.context!, ['DBSIZE']);
  if (reply === null) {
    cli.err('\nI/O error\n');
    cli.exit(1);
  }
  if (reply.type === 'error') {
    cli.err(`Couldn't determine DBSIZE: ${reply.str}\n`);
    cli.exit(1);
  }
  if (reply.type !== 'integer') {
    cli.err('Non INTEGER response from DBSIZE!\n');
    cli.exit(1);
  }
  return Number(BigInt.asIntN(32, reply.integer));
}

/** --scan: print every key (quoted in TTY mode), pausing -i between pages. */
export async function scanMode(cli: RedisCli): Promise<never> {
  cli.installSigint('stop-loop');
  let cursor = 0n;
  do {
    const page = await sendScan(cli, cursor);
    cursor = page.cursor;
    let out = '';
    for (const key of page.keys) {
      out += cli.config.output === Output.Standard ? `${repr(key)}\n` : `${key.split('\0')[0]}\n`;
    }
    cli.out(out);
    if (cli.config.intervalUs) await cli.sleepUs(cli.config.intervalUs);
  } while (!cli.forceCancelLoop && cursor !== 0n);
  cli.exit(0);
}
