/**
 * Server-assisted client side caching (tracking.c): CLIENT TRACKING.
 *
 * Default mode: every key a tracking client reads (read-only commands) is remembered in a
 * table key → client ids. When the key is modified (signalModifiedKey), each remembered
 * client gets one invalidation message and the key is forgotten until read again. OPTIN
 * remembers only after CLIENT CACHING yes, OPTOUT all but after CLIENT CACHING no; NOLOOP
 * skips invalidations caused by the client itself.
 *
 * Broadcast mode (BCAST): clients subscribe to key prefixes ("" = every key); modified keys
 * matching a prefix are collected during the event and sent once, sorted, in beforeSleep.
 *
 * Delivery: RESP3 clients get a `>2 invalidate [keys]` push; with REDIRECT the message goes to
 * another connection instead, which may be a RESP2 connection subscribed to
 * `__redis__:invalidate` (then it arrives as a Pub/Sub message). FLUSHALL/FLUSHDB invalidate
 * everything with a null key list. Messages for the client running the command are delayed
 * until its reply is written.
 */
import type { Client } from './client';
import type { RedisServer } from './server';
import { afterReplyAppended } from './client-eviction';

const CHANNEL = '__redis__:invalidate';

/** Per-server tracking state. */
export class TrackingTables {
  /** key → ids of clients that may cache it. */
  readonly keys = new Map<string, Set<number>>();
  /** prefix → keys modified this event (with the client that modified them) and subscribers. */
  readonly prefixes = new Map<string, { keys: Map<string, Client | null>; clients: Set<Client> }>();
  /** Invalidations (null = flush) for the running client, sent after its reply. */
  pending: (string | null)[] = [];
  clientsCount = 0;
  totalItems = 0;
  /** Consecutive limitUsedSlots() runs that ended still over the limit (its effort grows). */
  limitRunsOverMax = 0;
  /** broadcastInvalidations() was hooked into beforeSleep. */
  hooked = false;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tables(server: RedisServer): TrackingTables {
  return server.tracking;
}

/** disableTracking(). */
export function disableTracking(server: RedisServer, c: Client): void {
  const t = c.tracking;
  if (!t) return;
  if (t.bcast) {
    for (const p of t.prefixes) {
      const bs = tables(server).prefixes.get(p);
      if (!bs) continue;
      bs.clients.delete(c);
      if (bs.clients.size === 0) tables(server).prefixes.delete(p);
    }
  }
  c.tracking = null;
  c.trackingCaching = false;
  tables(server).clientsCount--;
}

/** checkPrefixCollisionsOrReply(). */
export function checkPrefixCollisionsOrReply(c: Client, prefixes: string[]): boolean {
  const overlap = (a: string, b: string) => a.slice(0, Math.min(a.length, b.length)) === b.slice(0, Math.min(a.length, b.length));
  const existing = c.tracking ? [...c.tracking.prefixes].sort(byteOrder) : [];
  for (let i = 0; i < prefixes.length; i++) {
    for (const e of existing) {
      if (overlap(e, prefixes[i])) {
        c.replyError(`Prefix '${prefixes[i]}' overlaps with an existing prefix '${e}'. Prefixes for a single client must not overlap.`);
        return false;
      }
    }
    for (let j = i + 1; j < prefixes.length; j++) {
      if (overlap(prefixes[i], prefixes[j])) {
        c.replyError(`Prefix '${prefixes[i]}' overlaps with another provided prefix '${prefixes[j]}'. Prefixes for a single client must not overlap.`);
        return false;
      }
    }
  }
  return true;
}

/** enableTracking(). */
export function enableTracking(
  server: RedisServer, c: Client, redirect: number,
  opts: { bcast: boolean; optin: boolean; optout: boolean; noloop: boolean }, prefixes: string[],
): void {
  const t = tables(server);
  if (!t.hooked) {
    t.hooked = true;
    server.hooks.beforeSleep.push(() => broadcastInvalidations(server));
  }
  if (!c.tracking) {
    t.clientsCount++;
    c.tracking = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, prefixes: [], brokenRedirect: false };
  }
  const st = c.tracking;
  st.redirect = redirect;
  st.brokenRedirect = false;
  st.optin = opts.optin;
  st.optout = opts.optout;
  st.noloop = opts.noloop;
  if (opts.bcast) {
    st.bcast = true;
    for (const p of prefixes.length === 0 ? [''] : prefixes) {
      let bs = t.prefixes.get(p);
      if (!bs) { bs = { keys: new Map(), clients: new Set() }; t.prefixes.set(p, bs); }
      if (!bs.clients.has(c)) {
        bs.clients.add(c);
        if (!st.prefixes.includes(p)) st.prefixes.push(p);
      }
    }
  } else {
    st.bcast = false;
  }
}

/** trackingRememberKeys(): after a read-only command of a tracking (non-BCAST) client. */
export function rememberKeys(server: RedisServer, c: Client, keys: string[]): void {
  const st = c.tracking;
  if (!st || st.bcast) return;
  if ((st.optin && !c.trackingCaching) || (st.optout && c.trackingCaching)) return;
  const t = tables(server);
  for (const key of keys) {
    let ids = t.keys.get(key);
    if (!ids) { ids = new Set(); t.keys.set(key, ids); }
    if (!ids.has(c.id)) { ids.add(c.id); t.totalItems++; }
  }
}

/**
 * sendTrackingMessage(): `keys` null is the flush notification (a null instead of the key
 * array); a string array is sent as an array of bulks.
 */
function sendTrackingMessage(server: RedisServer, c: Client, keys: string[] | null): void {
  const st = c.tracking;
  let target = c;
  let redirected = false;
  if (st && st.redirect) {
    const redir = server.clients.get(st.redirect);
    if (!redir) {
      st.brokenRedirect = true;
      if (c.resp > 2) {
        withPush(c, () => {
          c.replyPushLen(2);
          c.replyBulk('tracking-redir-broken');
          c.replyInt(st.redirect);
        });
      }
      return;
    }
    target = redir;
    redirected = true;
  }
  withPush(target, () => {
    if (target.resp > 2) {
      target.replyPushLen(2);
      target.replyBulk('invalidate');
    } else if (redirected && target.inPubSub) {
      target.replyArrayLen(3);
      target.replyBulk('message');
      target.replyBulk(CHANNEL);
    } else {
      return;
    }
    if (keys === null) target.replyNull();
    else {
      target.replyArrayLen(keys.length);
      for (const k of keys) target.replyBulk(k);
    }
  });
  afterReplyAppended(server, target);
}

function withPush(c: Client, fn: () => void): void {
  const old = c.pushing;
  c.pushing = true;
  try { fn(); } finally { c.pushing = old; }
}

/** trackingInvalidateKey(): a key was modified. */
export function invalidateKey(server: RedisServer, key: string): void {
  const t = tables(server);
  if (t.clientsCount === 0 && t.keys.size === 0) return;
  // A script's writes are its caller's (server.current_client stays the caller in Redis): NOLOOP
  // skips them, and the caller's own invalidation waits until its reply.
  const current = server.currentClient?.scriptCaller ?? server.currentClient;
  if (t.prefixes.size > 0) {
    for (const [prefix, bs] of t.prefixes) {
      if (key.startsWith(prefix)) bs.keys.set(key, current);
    }
  }
  const ids = t.keys.get(key);
  if (!ids) return;
  for (const id of ids) {
    const target = server.clients.get(id);
    if (!target || !target.tracking || target.tracking.bcast) continue;
    if (target.tracking.noloop && target === current) continue;
    if (target === current && server.inNestedCall) t.pending.push(key);
    else sendTrackingMessage(server, target, [key]);
  }
  t.totalItems -= ids.size;
  t.keys.delete(key);
}

/** trackingHandlePendingKeyInvalidations(): after the outermost command returned. */
export function handlePendingInvalidations(server: RedisServer): void {
  const t = tables(server);
  if (t.pending.length === 0) return;
  const list = t.pending;
  t.pending = [];
  const c = server.currentClient;
  if (!c || !server.clients.has(c.id)) return;
  for (const k of list) sendTrackingMessage(server, c, k === null ? null : [k]);
}

/** trackingInvalidateKeysOnFlush(). */
export function invalidateAllOnFlush(server: RedisServer): void {
  const t = tables(server);
  if (t.clientsCount > 0) {
    for (const c of server.clients.values()) {
      if (!c.tracking) continue;
      if (c === server.currentClient) t.pending.push(null);
      else sendTrackingMessage(server, c, null);
    }
  }
  t.keys.clear();
  t.totalItems = 0;
}

/** trackingBroadcastInvalidationMessages(): once per event, from beforeSleep. */
export function broadcastInvalidations(server: RedisServer): void {
  const t = tables(server);
  if (t.clientsCount === 0 || t.prefixes.size === 0) return;
  for (const prefix of [...t.prefixes.keys()].sort(byteOrder)) {
    const bs = t.prefixes.get(prefix)!;
    if (bs.keys.size > 0) {
      const sorted = [...bs.keys.keys()].sort(byteOrder);
      for (const c of bs.clients) {
        if (!server.clients.has(c.id)) continue;
        const keys = c.tracking?.noloop ? sorted.filter((k) => bs.keys.get(k) !== c) : sorted;
        if (keys.length > 0) sendTrackingMessage(server, c, keys);
      }
    }
    bs.keys = new Map();
  }
}

/**
 * trackingLimitUsedSlots(): keep the table under tracking-table-max-keys, from every command
 * and from the cron (a CONFIG SET lowering the limit takes effect on an idle server). Each run
 * invalidates at most 100 keys per consecutive run still over the limit, as Redis's effort
 * does. Redis walks to random keys; the oldest are taken here (which one is left is not
 * specified, and the counts are the same).
 */
export function limitUsedSlots(server: RedisServer): void {
  const t = tables(server);
  const max = server.config.get<number>('tracking-table-max-keys');
  if (max === 0) return;
  if (t.keys.size <= max) { t.limitRunsOverMax = 0; return; }
  let effort = 100 * (t.limitRunsOverMax + 1);
  const prev = server.currentClient;
  server.currentClient = null;
  try {
    for (const key of t.keys.keys()) {
      if (effort-- <= 0) break;
      invalidateKey(server, key);
      if (t.keys.size <= max) { t.limitRunsOverMax = 0; return; }
    }
  } finally { server.currentClient = prev; }
  t.limitRunsOverMax++;
}
