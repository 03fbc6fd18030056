/**
 * The command table of a server in Sentinel mode. Redis 7.0 keeps only the commands flagged
 * CMD_SENTINEL (populateCommandStructure): ACL, AUTH, CLIENT, COMMAND, HELLO, INFO, PING,
 * PSUBSCRIBE, PUBLISH, PUNSUBSCRIBE, ROLE, SENTINEL, SHUTDOWN, SUBSCRIBE, UNSUBSCRIBE.
 * Everything else (GET, CONFIG, MULTI, QUIT...) is an unknown command.
 *
 * Three of them behave differently in Sentinel mode:
 * - INFO only has the server, clients, cpu, stats and sentinel sections (sentinelInfoCommand),
 *   and replies with a plain bulk string even in RESP3;
 * - ROLE is ["sentinel", [master names]];
 * - PUBLISH only accepts `__sentinel__:hello`: it is how other sentinels deliver hello
 *   messages directly ("-ERR Only HELLO messages are accepted by Sentinel instances.").
 *
 * The specs are copies, so the normal servers' table in the same process is untouched.
 */
import type { Client } from '../server/client';
import type { CommandSpec } from '../commands/table';
import { ALL_COMMAND_FAMILIES } from '../commands';
import { sentinelCommandSpec } from './commands';
import { sentinelInfoString } from './info';
import { sentinelStateOf } from './registry';
import { SENTINEL_HELLO_CHANNEL } from './state';
import { processHelloMessage } from './hello';

export const SENTINEL_COMMAND_NAMES = [
  'acl', 'auth', 'client', 'command', 'hello', 'info', 'ping', 'psubscribe', 'publish', 'punsubscribe',
  'role', 'shutdown', 'subscribe', 'unsubscribe',
];

/** sentinelInfoCommand(): the text is rendered by ./info.ts (also used by inspection). */
export function sentinelInfoText(c: Client, args: string[]): string {
  return sentinelInfoString(c.server, args);
}

function info(c: Client, argv: string[]): void {
  c.replyBulk(sentinelInfoText(c, argv.slice(1)));
}

function role(c: Client): void {
  const st = sentinelStateOf(c.server)!;
  c.replyArrayLen(2);
  c.replyBulk('sentinel');
  c.replyArrayLen(st.masters.size);
  for (const ri of st.masters.values()) c.replyBulk(ri.name);
}

function publish(c: Client, argv: string[]): void {
  if (argv[1] !== SENTINEL_HELLO_CHANNEL) {
    c.replyError('Only HELLO messages are accepted by Sentinel instances.');
    return;
  }
  processHelloMessage(sentinelStateOf(c.server)!, argv[2]);
  c.replyInt(1);
}

const OVERRIDES: Record<string, (c: Client, argv: string[]) => void> = { info, role, publish };

function copySpec(spec: CommandSpec): CommandSpec {
  const copy: CommandSpec = { ...spec, flags: [...spec.flags] };
  delete copy.fullname;
  delete copy.parent;
  delete copy.stats;
  if (spec.subcommands) copy.subcommands = spec.subcommands.map(copySpec);
  return copy;
}

/** The command families of a Sentinel-mode server. */
export function sentinelCommandFamilies(): CommandSpec[][] {
  const out: CommandSpec[] = [];
  for (const family of ALL_COMMAND_FAMILIES) {
    for (const spec of family) {
      if (!SENTINEL_COMMAND_NAMES.includes(spec.name)) continue;
      const copy = copySpec(spec);
      const h = OVERRIDES[spec.name];
      if (h) copy.handler = h;
      out.push(copy);
    }
  }
  out.push(copySpec(sentinelCommandSpec));
  return [out];
}
