/**
 * reconnectingRedisCommand: the loop behind --stat and --latency, which keep going across
 * server restarts. While the link is broken it redraws "Reconnecting... N" once a second.
 * (Like redis-cli, the new link is not re-authenticated.)
 */
import type { RedisCli } from '../cli';
import { CliConnection } from '../connection';
import type { CliReply } from '../reply';

/** hiredis error codes: IO 1, OTHER 2, EOF 3, PROTOCOL 4; the C test is `err & (IO|EOF)`. */
function isLinkError(c: CliConnection): boolean {
  return c.err !== null && (c.err.kind === 'io' || c.err.kind === 'eof' || c.err.kind === 'other');
}

export async function reconnectingCommand(cli: RedisCli, argv: string[]): Promise<CliReply> {
  let c = cli.context!;
  let tries = 0;
  let reply: CliReply | null = null;
  while (reply === null) {
    while (isLinkError(c)) {
      cli.out('\r\x1b[0K');
      cli.out(`Reconnecting... ${++tries}\r`);
      c.close();
      c = await CliConnection.connect(cli.os, cli.config.hostip, cli.config.hostport);
      cli.context = c;
      await cli.sleepMs(1000);
    }
    reply = await cli.command(c, argv);
    if (c.err && !isLinkError(c)) {
      cli.err(`Error: ${c.err.errstr}\n`);
      cli.exit(1);
    } else if (tries > 0) {
      cli.out('\r\x1b[0K');
    }
  }
  cli.context = c;
  return reply;
}
