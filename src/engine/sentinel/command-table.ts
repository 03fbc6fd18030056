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
import { genInfoString } from '../commands/info';
import { ALL_COMMAND_FAMILIES } from '../commands';
import { sentinelCommandSpec } from './commands';
import { sentinelStateOf } from './registry';
import { SENTINEL_HELLO_CHANNEL, SRI_O_DOWN, SRI_S_DOWN } from './state';
import { processHelloMessage } from './hello';
import { announceAddr } from './addr';

export const SENTINEL_COMMAND_NAMES = [
  'acl', 'auth', 'client', 'command', 'hello', 'info', 'ping', 'psubscribe', 'publish', 'punsubscribe',
  'role', 'shutdown', 'subscribe', 'unsubscribe',
];

const INFO_SECTIONS = ['server', 'clients', 'cpu', 'stats', 'sentinel'];

/** sentinelInfoCommand(). */
export function sentinelInfoText(c: Client, args: string[]): string {
  const server = c.server;
  const st = sentinelStateOf(server)!;
  let all = false;
  const wanted = new Set<string>();
  if (args.length === 0) {
    for (const s of INFO_SECTIONS) wanted.add(s);
  } else {
    for (const a of args) {
      const l = a.toLowerCase();
      if (l === 'default') for (const s of INFO_SECTIONS) wanted.add(s);
      else if (l === 'all' || l === 'everything') all = true;
      else if (INFO_SECTIONS.includes(l)) wanted.add(l);
    }
  }
  if (all) for (const s of INFO_SECTIONS) wanted.add(s);
  const core = INFO_SECTIONS.filter((s) => s !== 'sentinel' && wanted.has(s));
  let info = core.length ? genInfoString(server, core) : '';
  if (wanted.has('sentinel')) {
    if (info.length) info += '\r\n';
    const now = st.now();
    info += '# Sentinel\r\n' +
      `sentinel_masters:${st.masters.size}\r\n` +
      `sentinel_tilt:${st.tilt ? 1 : 0}\r\n` +
      `sentinel_tilt_since_seconds:${st.tilt ? Math.trunc((now - st.tiltStartTime) / 1000) : -1}\r\n` +
      `sentinel_running_scripts:${st.runningScripts}\r\n` +
      `sentinel_scripts_queue_length:${st.scriptsQueue.length}\r\n` +
      `sentinel_simulate_failure_flags:${st.simFailureFlags}\r\n`;
    let id = 0;
    for (const ri of st.masters.values()) {
      const status = ri.flags & SRI_O_DOWN ? 'odown' : ri.flags & SRI_S_DOWN ? 'sdown' : 'ok';
      info += `master${id++}:name=${ri.name},status=${status},address=${announceAddr(st, ri.addr)}:${ri.addr.port},` +
        `slaves=${ri.slaves.size},sentinels=${ri.sentinels.size + 1}\r\n`;
    }
  }
  return info;
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
