/**
 * --stat: one line per interval (default 1 s) with keys, memory, clients, blocked clients,
 * requests (and the delta since the last line), connections and any child (SAVE/AOF/LOAD),
 * under a header repeated every 20 lines.
 */
import type { RedisCli } from '../cli';
import { padRight } from '../cformat';
import { bytesToHuman, getLongInfoField } from './info-fields';
import { reconnectingCommand } from './reconnect';

export async function statMode(cli: RedisCli): Promise<never> {
  let requests = 0n;
  let lines = 0;
  for (;;) {
    const reply = await reconnectingCommand(cli, ['INFO']);
    if (reply.type === 'error') {
      cli.err(`ERROR: ${reply.str}\n`);
      cli.exit(1);
    }
    const info = 'str' in reply ? reply.str : '';
    if (lines++ % 20 === 0) {
      cli.out('------- data ------ --------------------- load -------------------- - child -\n'
        + 'keys       mem      clients blocked requests            connections          \n');
    }
    let keys = 0n;
    for (let j = 0; j < 20; j++) {
      const k = getLongInfoField(info, `db${j}:keys`);
      if (k !== -9223372036854775808n) keys += k;
    }
    let line = padRight(String(keys), 11);
    line += padRight(bytesToHuman(getLongInfoField(info, 'used_memory')), 8);
    line += ' ' + padRight(String(getLongInfoField(info, 'connected_clients')), 8);
    line += padRight(String(getLongInfoField(info, 'blocked_clients')), 8);
    const total = getLongInfoField(info, 'total_commands_processed');
    line += padRight(`${total} (+${requests === 0n ? 0n : total - requests})`, 19);
    requests = total;
    line += ' ' + padRight(String(getLongInfoField(info, 'total_connections_received')), 12);
    const children = getLongInfoField(info, 'bgsave_in_progress')
      | (getLongInfoField(info, 'aof_rewrite_in_progress') << 1n)
      | (getLongInfoField(info, 'loading') << 2n);
    const child = ['', 'SAVE', 'AOF', 'SAVE+AOF', 'LOAD'][Number(children)] ?? '';
    cli.out(line + (children >= 0n && children <= 4n ? child : '') + '\n');
    await cli.sleepUs(cli.config.intervalUs);
  }
}
