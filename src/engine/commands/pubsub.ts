/**
 * Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, the PUBSUB
 * introspection container, and the shard flavours SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH.
 * The registries and message delivery live in server/pubsub.ts.
 *
 * Subscribing puts the connection in the subscribed state: in RESP2 only (P|S)SUBSCRIBE,
 * (P|S)UNSUBSCRIBE, PING, QUIT and RESET are accepted then (the dispatcher enforces it); RESP3
 * connections may run anything, messages arriving as out-of-band pushes. PUBLISH changes no
 * data but is forced into the replication stream (not the AOF) so replicas' subscribers hear
 * it too.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec, type KeySpec } from './table';
import { keySpecRange } from './key-specs';
import {
  publishMessage, subscribeChannel, subscribePattern, unsubscribeAllChannels, unsubscribeAllPatterns,
  unsubscribeChannel, unsubscribePattern,
} from '../server/pubsub';
import { stringMatch } from '../util/glob';
import { addReplyHelp, subcommandSyntaxError } from './help';

const G = { group: 'pubsub' };

function subscribe(c: Client, argv: string[]): void {
  if (c.denyBlocking && !c.inMulti) {
    c.replyError("SUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  for (let j = 1; j < argv.length; j++) subscribeChannel(c.server, c, argv[j], 'channel');
}

function unsubscribe(c: Client, argv: string[]): void {
  if (argv.length === 1) unsubscribeAllChannels(c.server, c, true, 'channel');
  else for (let j = 1; j < argv.length; j++) unsubscribeChannel(c.server, c, argv[j], true, 'channel');
}

function psubscribe(c: Client, argv: string[]): void {
  if (c.denyBlocking && !c.inMulti) {
    c.replyError("PSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  for (let j = 1; j < argv.length; j++) subscribePattern(c.server, c, argv[j]);
}

function punsubscribe(c: Client, argv: string[]): void {
  if (argv.length === 1) unsubscribeAllPatterns(c.server, c, true);
  else for (let j = 1; j < argv.length; j++) unsubscribePattern(c.server, c, argv[j], true);
}

function ssubscribe(c: Client, argv: string[]): void {
  if (c.denyBlocking) {
    c.replyError("SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  for (let j = 1; j < argv.length; j++) subscribeChannel(c.server, c, argv[j], 'shard');
}

function sunsubscribe(c: Client, argv: string[]): void {
  if (argv.length === 1) unsubscribeAllChannels(c.server, c, true, 'shard');
  else for (let j = 1; j < argv.length; j++) unsubscribeChannel(c.server, c, argv[j], true, 'shard');
}

function publish(c: Client, argv: string[]): void {
  const receivers = publishMessage(c.server, argv[1], argv[2], 'channel');
  c.server.clusterPublish?.(argv[1], argv[2], false);
  if (!c.server.clusterEnabled()) c.forcePropagation = 'repl';
  c.replyInt(receivers);
}

function spublish(c: Client, argv: string[]): void {
  const receivers = publishMessage(c.server, argv[1], argv[2], 'shard');
  c.server.clusterPublish?.(argv[1], argv[2], true);
  if (!c.server.clusterEnabled()) c.forcePropagation = 'repl';
  c.replyInt(receivers);
}

/** channelList(): channels with subscribers, optionally filtered by a glob pattern. */
function channelList(c: Client, pattern: string | null, registry: Map<string, Set<Client>>): void {
  const out: string[] = [];
  for (const ch of registry.keys()) if (pattern === null || stringMatch(pattern, ch)) out.push(ch);
  c.replyBulks(out);
}

function numsub(c: Client, argv: string[], registry: Map<string, Set<Client>>): void {
  c.replyArrayLen((argv.length - 2) * 2);
  for (let j = 2; j < argv.length; j++) {
    c.replyBulk(argv[j]);
    c.replyInt(registry.get(argv[j])?.size ?? 0);
  }
}

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

/** pubsubCommand(): the subcommands also re-check their argument counts like the C code. */
function pubsubSub(c: Client, argv: string[]): void {
  const s = c.server;
  const sub = argv[1].toLowerCase();
  if (sub === 'channels' && argv.length <= 3) channelList(c, argv.length === 3 ? argv[2] : null, s.channels);
  else if (sub === 'shardchannels' && argv.length <= 3) channelList(c, argv.length === 3 ? argv[2] : null, s.shardChannels);
  else if (sub === 'numsub') numsub(c, argv, s.channels);
  else if (sub === 'shardnumsub') numsub(c, argv, s.shardChannels);
  else if (sub === 'numpat') c.replyInt(s.patterns.size);
  else if (sub === 'help') addReplyHelp(c, argv, PUBSUB_HELP);
  else subcommandSyntaxError(c, argv);
}

const PS = ['pubsub', 'loading', 'stale'] as const;
/** Shard channels stand where keys would (cluster slots route them) but are no keys: NOT_KEY (Redis 7.0.15's spec). */
const shardChannels: KeySpec[] = [keySpecRange(1, -1, 1, ['not_key'])];

export const pubsubCommands: CommandSpec[] = [
  cmd('subscribe', -2, ['pubsub', 'noscript', 'loading', 'stale', 'sentinel'], [0, 0, 0], { ...G, since: '2.0.0', summary: 'Listen for messages published to the given channels.', complexity: 'O(N) where N is the number of channels to subscribe to.', args: [{ name: 'channel', type: 'string', multiple: true }] }, subscribe),
  cmd('unsubscribe', -1, ['pubsub', 'noscript', 'loading', 'stale', 'sentinel'], [0, 0, 0], { ...G, since: '2.0.0', summary: 'Stop listening to the given channels, or to all of them.', complexity: 'O(N) where N is the number of clients already subscribed to a channel.', args: [{ name: 'channel', type: 'string', optional: true, multiple: true }] }, unsubscribe),
  cmd('psubscribe', -2, ['pubsub', 'noscript', 'loading', 'stale', 'sentinel'], [0, 0, 0], { ...G, since: '2.0.0', summary: 'Listen for messages published to channels matching glob patterns.', complexity: 'O(N) where N is the number of patterns the client is already subscribed to.', args: [{ name: 'pattern', type: 'block', multiple: true, args: [{ name: 'pattern', type: 'pattern' }] }] }, psubscribe),
  cmd('punsubscribe', -1, ['pubsub', 'noscript', 'loading', 'stale', 'sentinel'], [0, 0, 0], { ...G, since: '2.0.0', summary: 'Stop listening to the given patterns, or to all of them.', complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).', args: [{ name: 'pattern', type: 'pattern', optional: true, multiple: true }] }, punsubscribe),
  cmd('publish', 3, ['pubsub', 'loading', 'stale', 'fast', 'may_replicate', 'sentinel'], [0, 0, 0], { ...G, since: '2.0.0', summary: 'Send a message to a channel.', complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).', args: [{ name: 'channel', type: 'string' }, { name: 'message', type: 'string' }] }, publish),
  cmd('pubsub', -2, [], [0, 0, 0], { ...G, since: '2.8.0', summary: 'Introspect the Pub/Sub state (a container command).', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('channels', -2, [...PS], [0, 0, 0], { ...G, since: '2.8.0', summary: 'List the channels that have subscribers.', complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)', args: [{ name: 'pattern', type: 'pattern', optional: true }] }, pubsubSub),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '6.2.0', summary: 'Show what the PUBSUB subcommands do.', complexity: 'O(1)' }, pubsubSub),
      cmd('numpat', 2, [...PS], [0, 0, 0], { ...G, since: '2.8.0', summary: 'Count the distinct patterns clients are subscribed to.', complexity: 'O(1)' }, pubsubSub),
      cmd('numsub', -2, [...PS], [0, 0, 0], { ...G, since: '2.8.0', summary: 'Count the subscribers of the given channels.', complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels', args: [{ name: 'channel', type: 'string', optional: true, multiple: true }] }, pubsubSub),
      cmd('shardchannels', -2, [...PS], [0, 0, 0], { ...G, since: '7.0.0', summary: 'List the shard channels that have subscribers.', complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).', args: [{ name: 'pattern', type: 'pattern', optional: true }] }, pubsubSub),
      cmd('shardnumsub', -2, [...PS], [0, 0, 0], { ...G, since: '7.0.0', summary: 'Count the subscribers of the given shard channels.', complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels', args: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }] }, pubsubSub),
    ],
  }),
  cmd('ssubscribe', -2, ['pubsub', 'noscript', 'loading', 'stale'], [1, -1, 1], { ...G, since: '7.0.0', summary: 'Listen for messages published to the given shard channels.', complexity: 'O(N) where N is the number of shard channels to subscribe to.', args: [{ name: 'shardchannel', type: 'string', multiple: true }] }, ssubscribe, { keySpecs: shardChannels }),
  cmd('sunsubscribe', -1, ['pubsub', 'noscript', 'loading', 'stale'], [1, -1, 1], { ...G, since: '7.0.0', summary: 'Stop listening to the given shard channels, or to all of them.', complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.', args: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }] }, sunsubscribe, { keySpecs: shardChannels }),
  cmd('spublish', 3, ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], [1, 1, 1], { ...G, since: '7.0.0', summary: 'Send a message to a shard channel.', complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.', args: [{ name: 'shardchannel', type: 'string' }, { name: 'message', type: 'string' }] }, spublish, { keySpecs: [keySpecRange(1, 0, 1, ['not_key'])] }),
];
