/**
 * SLOWLOG GET [count] / LEN / RESET / HELP. dispatch.ts records the entries (commands slower
 * than slowlog-log-slower-than microseconds, newest first, at most slowlog-max-len).
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { addReplyHelp } from './help';
import { string2ll } from '../util/numbers';

const G = { group: 'server', acl: [] as string[] };

function get(c: Client, argv: string[]): void {
  const log = c.server.slowlog;
  let count = 10;
  if (argv.length === 3) {
    const v = string2ll(argv[2]);
    if (v === null || v < -1) { c.replyError('count should be greater than or equal to -1'); return; }
    count = v === -1 ? log.length : v;
  }
  const entries = log.slice(0, count);
  c.replyArrayLen(entries.length);
  for (const e of entries) {
    c.replyArrayLen(6);
    c.replyInt(e.id);
    c.replyInt(e.t);
    c.replyInt(e.us);
    c.replyArrayLen(e.argv.length);
    for (const a of e.argv) c.replyBulk(a);
    c.replyBulk(e.addr);
    c.replyBulk(e.name);
  }
}

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

export const slowlogCommands: CommandSpec[] = [
  cmd('slowlog', -2, [], [0, 0, 0], { ...G, since: '2.2.12', summary: 'A container for slow log commands.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('get', -2, ['admin', 'loading', 'stale'], [0, 0, 0], {
        ...G, since: '2.2.12', summary: 'The most recent slow log entries.', complexity: 'O(N) where N is the number of entries returned',
        tips: ['request_policy:all_nodes', 'nondeterministic_output'], args: [{ name: 'count', type: 'integer', optional: true }],
      }, get, { history: [['4.0.0', 'Added client IP address, port and name to the reply.']] }),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '6.2.0', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)' },
        (c, a) => addReplyHelp(c, a, SLOWLOG_HELP)),
      cmd('len', 2, ['admin', 'loading', 'stale'], [0, 0, 0], {
        ...G, since: '2.2.12', summary: 'How many entries the slow log holds.', complexity: 'O(1)',
        tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
      }, (c) => c.replyInt(c.server.slowlog.length)),
      cmd('reset', 2, ['admin', 'loading', 'stale'], [0, 0, 0], {
        ...G, since: '2.2.12', summary: 'Empty the slow log.', complexity: 'O(N) where N is the number of entries in the slowlog',
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      }, (c) => { c.server.slowlog.length = 0; c.replyOk(); }),
    ],
  }),
];
