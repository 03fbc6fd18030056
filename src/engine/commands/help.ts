/**
 * The HELP reply every container command shares (addReplyHelp) and the generic "unknown
 * subcommand" error (addReplySubcommandSyntaxError).
 */
import type { Client } from '../server/client';

/** Header with the command name as typed (upper-cased), the lines, then the HELP footer. */
export function addReplyHelp(c: Client, argv: string[], lines: string[]): void {
  c.replyArrayLen(lines.length + 3);
  c.replyStatus(`${argv[0].toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.replyStatus(l);
  c.replyStatus('HELP');
  c.replyStatus('    Prints this help.');
}

export function subcommandSyntaxError(c: Client, argv: string[]): void {
  c.replyError(`unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`);
}
