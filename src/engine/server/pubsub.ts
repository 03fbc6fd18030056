/**
 * Pub/Sub registries and message delivery (pubsub.c).
 *
 * Three kinds of subscription exist: channels (SUBSCRIBE), patterns (PSUBSCRIBE, glob-style)
 * and shard channels (SSUBSCRIBE, the cluster-scoped flavour; on a standalone server they
 * behave like plain channels that patterns never match). The server keeps name → subscribers
 * (in subscription order, which is delivery order); each client keeps its own names.
 *
 * Every confirmation and message is a push: a 3- or 4-element array in RESP2 and a `>` push
 * in RESP3, written even while CLIENT REPLY OFF/SKIP silences ordinary replies. The
 * subscription count in confirmations counts channels plus patterns (shard subscriptions are
 * counted separately).
 */
import { afterReplyAppended } from './client-eviction';
import type { Client } from './client';
import type { RedisServer } from './server';
import { stringMatch } from '../util/glob';

export type PubSubKind = 'channel' | 'shard';

function registry(server: RedisServer, kind: PubSubKind): Map<string, Set<Client>> {
  return kind === 'shard' ? server.shardChannels : server.channels;
}

function clientSet(c: Client, kind: PubSubKind): Set<string> {
  return kind === 'shard' ? c.shardChannels : c.channels;
}

/** The count a (un)subscribe confirmation carries. */
function subscriptionCount(c: Client, kind: PubSubKind): number {
  return kind === 'shard' ? c.shardChannels.size : c.channels.size + c.patterns.size;
}

/** Write a push (pub/sub confirmations and messages bypass CLIENT REPLY OFF). */
function push(c: Client, write: () => void): void {
  const old = c.pushing;
  c.pushing = true;
  try { write(); } finally { c.pushing = old; }
}

function replyConfirmation(c: Client, what: string, name: string | null, count: number): void {
  push(c, () => {
    c.replyPushLen(3);
    c.replyBulk(what);
    if (name === null) c.replyNull();
    else c.replyBulk(name);
    c.replyInt(count);
  });
}

function addSubscriber(map: Map<string, Set<Client>>, name: string, c: Client): void {
  let set = map.get(name);
  if (!set) { set = new Set(); map.set(name, set); }
  set.add(c);
}

function removeSubscriber(map: Map<string, Set<Client>>, name: string, c: Client): void {
  const set = map.get(name);
  if (!set) return;
  set.delete(c);
  if (set.size === 0) map.delete(name);
}

/** pubsubSubscribeChannel(): returns true if the client was not yet subscribed. */
export function subscribeChannel(server: RedisServer, c: Client, channel: string, kind: PubSubKind): boolean {
  const mine = clientSet(c, kind);
  let added = false;
  if (!mine.has(channel)) {
    mine.add(channel);
    addSubscriber(registry(server, kind), channel, c);
    added = true;
  }
  replyConfirmation(c, kind === 'shard' ? 'ssubscribe' : 'subscribe', channel, subscriptionCount(c, kind));
  return added;
}

/** pubsubUnsubscribeChannel(). */
export function unsubscribeChannel(server: RedisServer, c: Client, channel: string, notify: boolean, kind: PubSubKind): boolean {
  const mine = clientSet(c, kind);
  let removed = false;
  if (mine.delete(channel)) {
    removeSubscriber(registry(server, kind), channel, c);
    removed = true;
  }
  if (notify) replyConfirmation(c, kind === 'shard' ? 'sunsubscribe' : 'unsubscribe', channel, subscriptionCount(c, kind));
  return removed;
}

/** pubsubUnsubscribeAllChannelsInternal(): a nil-channel confirmation when there were none. */
export function unsubscribeAllChannels(server: RedisServer, c: Client, notify: boolean, kind: PubSubKind): number {
  let count = 0;
  for (const ch of [...clientSet(c, kind)]) {
    if (unsubscribeChannel(server, c, ch, notify, kind)) count++;
  }
  if (notify && count === 0) {
    replyConfirmation(c, kind === 'shard' ? 'sunsubscribe' : 'unsubscribe', null, subscriptionCount(c, kind));
  }
  return count;
}

/** pubsubSubscribePattern(). */
export function subscribePattern(server: RedisServer, c: Client, pattern: string): boolean {
  let added = false;
  if (!c.patterns.has(pattern)) {
    c.patterns.add(pattern);
    addSubscriber(server.patterns, pattern, c);
    added = true;
  }
  replyConfirmation(c, 'psubscribe', pattern, subscriptionCount(c, 'channel'));
  return added;
}

/** pubsubUnsubscribePattern(). */
export function unsubscribePattern(server: RedisServer, c: Client, pattern: string, notify: boolean): boolean {
  let removed = false;
  if (c.patterns.delete(pattern)) {
    removeSubscriber(server.patterns, pattern, c);
    removed = true;
  }
  if (notify) replyConfirmation(c, 'punsubscribe', pattern, subscriptionCount(c, 'channel'));
  return removed;
}

/** pubsubUnsubscribeAllPatterns(). */
export function unsubscribeAllPatterns(server: RedisServer, c: Client, notify: boolean): number {
  let count = 0;
  for (const p of [...c.patterns]) {
    if (unsubscribePattern(server, c, p, notify)) count++;
  }
  if (notify && count === 0) replyConfirmation(c, 'punsubscribe', null, subscriptionCount(c, 'channel'));
  return count;
}

/** Drop every subscription of a client without replies (freeClient, RESET). */
export function unsubscribeEverything(server: RedisServer, c: Client): void {
  unsubscribeAllChannels(server, c, false, 'channel');
  unsubscribeAllChannels(server, c, false, 'shard');
  unsubscribeAllPatterns(server, c, false);
}

/**
 * pubsubPublishMessage(): deliver to the channel's subscribers, then (not for shard
 * channels) to every client whose pattern matches. Returns the number of deliveries.
 */
export function publishMessage(server: RedisServer, channel: string, message: string, kind: PubSubKind = 'channel'): number {
  let receivers = 0;
  const subs = registry(server, kind).get(channel);
  if (subs) {
    const bulk = kind === 'shard' ? 'smessage' : 'message';
    for (const c of subs) {
      push(c, () => {
        c.replyPushLen(3);
        c.replyBulk(bulk);
        c.replyBulk(channel);
        c.replyBulk(message);
      });
      afterReplyAppended(server, c);
      receivers++;
    }
  }
  if (kind === 'shard') return receivers;
  for (const [pattern, clients] of server.patterns) {
    if (!stringMatch(pattern, channel)) continue;
    for (const c of clients) {
      push(c, () => {
        c.replyPushLen(4);
        c.replyBulk('pmessage');
        c.replyBulk(pattern);
        c.replyBulk(channel);
        c.replyBulk(message);
      });
      afterReplyAppended(server, c);
      receivers++;
    }
  }
  return receivers;
}
