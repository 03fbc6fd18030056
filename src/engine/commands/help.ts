/**
 * Replies shared by container commands (CLIENT, PUBSUB, ...): the HELP listing and the
 * "unknown subcommand or wrong number of arguments" error (addReplyHelp and
 * addReplySubcommandSyntaxError in networking.c).
 */
import type { Client } from '../server/client';

/** ASCII-only upper case, like sdstoupper in the C locale. */
export function upperAscii(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** A C string view of a byte string: everything before the first NUL. */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul >= 0 ? s.slice(0, nul) : s;
}

/** `<CMD> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, the lines, then HELP. */
export function replyHelp(c: Client, lines: string[]): void {
  c.replyArrayLen(lines.length + 3);
  c.replyStatus(`${upperAscii(cString(c.argv[0]))} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.replyStatus(l);
  c.replyStatus('HELP');
  c.replyStatus('    Prints this help.');
}

export function replySubcommandSyntaxError(c: Client): void {
  c.replyError(`unknown subcommand or wrong number of arguments for '${cString(c.argv[1]).slice(0, 128)}'. Try ${upperAscii(cString(c.argv[0]))} HELP.`);
}
