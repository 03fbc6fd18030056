/**
 * Consumer groups (t_stream.c): XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO, and the
 * group side of XREADGROUP's reply (last IDs, read counters, PELs).
 *
 * Deliveries and claims never propagate as the commands that made them: each goes to replicas
 * and the AOF as `XCLAIM ... TIME <ms> RETRYCOUNT <n> FORCE JUSTID LASTID <id>`, and a NOACK
 * read as `XGROUP SETID ... ENTRIESREAD`, so a replica's PELs match the master's.
 */
import type { Client } from '../server/client';
import { getLongLongOrReply, optEq, wrongType } from './util';
import { addReplyHelp, subcommandSyntaxError } from './help';
import {
  RStream, SortedIdMap, cmpId, decrId, idStr, incrId, ID_MAX, ID_ZERO, U64_MAX, type StreamConsumer, type StreamEntry, type StreamGroup, type StreamId, type StreamNack,
} from '../keyspace/stream';
import {
  parseId, parseIntervalId, parseIds, replyEntry, cStr, byteOrder, INVALID_ENTRIES_READ,
} from './stream-args';

function isZero(id: StreamId): boolean { return id.ms === 0n && id.seq === 0n; }

/** streamRangeHasTombstones: a deleted entry may lie in [start, end]. */
function rangeHasTombstones(s: RStream, start: StreamId | null, end: StreamId | null): boolean {
  if (!s.length || isZero(s.maxDeletedId)) return false;
  if (cmpId(s.firstId, s.maxDeletedId) > 0) return false;
  return cmpId(start ?? ID_ZERO, s.maxDeletedId) <= 0 && cmpId(s.maxDeletedId, end ?? ID_MAX) <= 0;
}

/** streamReplyWithCGLag: the group's lag, or a null when it cannot be known. */
function replyLag(c: Client, s: RStream, g: StreamGroup): void {
  if (!s.entriesAdded) { c.replyInt(0); return; }
  if (g.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, g.lastId, null)) {
    c.replyInt(s.entriesAdded - g.entriesRead);
    return;
  }
  const read = s.estimateDistance(g.lastId);
  if (read !== INVALID_ENTRIES_READ) c.replyInt(s.entriesAdded - read);
  else c.replyNull();
}

export function lookupGroup(s: RStream, name: string): StreamGroup | undefined {
  return s.groups?.get(name);
}

/** streamCreateConsumer (SCC_DEFAULT): dirties and notifies xgroup-createconsumer. */
export function createConsumer(c: Client, g: StreamGroup, name: string, key: string, dbId: number): StreamConsumer | null {
  if (g.consumers.has(name)) return null;
  const consumer: StreamConsumer = { name, seenTime: c.server.nowMs(), pel: new SortedIdMap() };
  g.consumers.set(name, consumer);
  c.server.dirty++;
  c.server.notifyKeyspaceEvent('t', 'xgroup-createconsumer', key, dbId);
  return consumer;
}

/** streamLookupConsumer: refreshes the seen time unless `noRefresh`. */
export function lookupConsumer(c: Client, g: StreamGroup, name: string, noRefresh = false): StreamConsumer | undefined {
  const consumer = g.consumers.get(name);
  if (consumer && !noRefresh) consumer.seenTime = c.server.nowMs();
  return consumer;
}

/** streamPropagateXCLAIM: how a delivery or claim reaches replicas and the AOF. */
function propagateXclaim(c: Client, key: string, g: StreamGroup, groupName: string, id: string, nack: StreamNack): void {
  c.server.alsoPropagate(c.db.id, [
    'XCLAIM', key, groupName, nack.consumer!.name, '0', id, 'TIME', String(nack.deliveryTime),
    'RETRYCOUNT', String(nack.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', idStr(g.lastId),
  ]);
}

/** streamPropagateGroupID. */
function propagateGroupId(c: Client, key: string, g: StreamGroup, groupName: string): void {
  c.server.alsoPropagate(c.db.id, ['XGROUP', 'SETID', key, groupName, idStr(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
}

/** streamPropagateConsumerCreation. */
export function propagateConsumerCreation(c: Client, key: string, groupName: string, consumer: string): void {
  c.server.alsoPropagate(c.db.id, ['XGROUP', 'CREATECONSUMER', key, groupName, consumer]);
}

export interface GroupRead { group: StreamGroup; consumer: StreamConsumer; noack: boolean; history: boolean; key: string; groupName: string }

/**
 * streamReplyWithRange for XREAD/XREADGROUP: entries after `start` (inclusive) up to `count`
 * (0: all). With a group, new entries move the group's last ID and read counter and go into
 * the PELs (propagated as XCLAIM), unless NOACK (then the new last ID is propagated).
 */
export function replyRange(c: Client, s: RStream, start: StreamId, count: number, gr: GroupRead | null): number {
  if (gr && gr.history) return replyFromConsumerPel(c, s, start, count, gr.consumer);
  const pos = c.replyDeferredLen();
  let n = 0;
  let propagateLastId = false;
  for (const e of s.range(start, ID_MAX)) {
    if (gr) {
      const g = gr.group;
      if (cmpId(e.id, g.lastId) > 0) {
        if (g.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, e.id, null)) g.entriesRead++;
        else if (s.entriesAdded) g.entriesRead = s.estimateDistance(e.id);
        g.lastId = e.id;
        if (gr.noack) propagateLastId = true;
      }
    }
    replyEntry(c, e);
    if (gr && !gr.noack) {
      const g = gr.group;
      let nack = g.pel.get(e.id);
      const now = c.server.nowMs();
      if (!nack) {
        nack = { deliveryTime: now, deliveryCount: 1, consumer: gr.consumer };
        g.pel.set(e.id, nack);
        gr.consumer.pel.set(e.id, nack);
      } else {
        nack.consumer!.pel.delete(e.id);
        nack.consumer = gr.consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1;
        gr.consumer.pel.set(e.id, nack);
      }
      propagateXclaim(c, gr.key, g, gr.groupName, idStr(e.id), nack);
    }
    n++;
    if (count && n === count) break;
  }
  if (gr && propagateLastId) propagateGroupId(c, gr.key, gr.group, gr.groupName);
  c.setDeferredLen(pos, '*', n);
  return n;
}

/** streamReplyWithRangeFromConsumerPEL: the consumer's pending entries from `start`. */
function replyFromConsumerPel(c: Client, s: RStream, start: StreamId, count: number, consumer: StreamConsumer): number {
  const pos = c.replyDeferredLen();
  let n = 0;
  for (const [id, nack] of consumer.pel.range(start)) {
    if (count && n >= count) break;
    const e = s.find(id);
    if (!e) {
      c.replyArrayLen(2);
      c.replyBulk(idStr(id));
      c.replyNullArray();
    } else {
      replyEntry(c, e);
      nack.deliveryTime = c.server.nowMs();
      nack.deliveryCount++;
    }
    n++;
  }
  c.setDeferredLen(pos, '*', n);
  return n;
}

export const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

export function xgroup(c: Client, argv: string[]): void {
  const opt = argv[1];
  let s: RStream | undefined;
  let g: StreamGroup | undefined;
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  const isCreate = optEq(opt, 'create');
  const isSetid = optEq(opt, 'setid');
  if (argv.length >= 4) {
    for (let i = 5; i < argv.length;) {
      if (isCreate && optEq(argv[i], 'mkstream')) {
        mkstream = true;
        i++;
      } else if ((isCreate || isSetid) && optEq(argv[i], 'entriesread') && i + 1 < argv.length) {
        const v = getLongLongOrReply(c, argv[i + 1]);
        if (v === null) return;
        if (v < 0 && v !== INVALID_ENTRIES_READ) { c.replyError('value for ENTRIESREAD must be positive or -1'); return; }
        entriesRead = v;
        i += 2;
      } else {
        subcommandSyntaxError(c, argv);
        return;
      }
    }
    const o = c.db.lookupWrite(argv[2]);
    if (o !== undefined) {
      if (wrongType(c, o, 'stream')) return;
      s = o as RStream;
    }
  }
  const grp = argv.length >= 4 ? argv[3] : '';
  if (argv.length >= 4 && !mkstream) {
    if (!s) {
      c.replyError('The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.');
      return;
    }
    g = lookupGroup(s, grp);
    if (!g && (isSetid || optEq(opt, 'createconsumer') || optEq(opt, 'delconsumer'))) {
      c.replyError(`-NOGROUP No such consumer group '${cStr(grp)}' for key name '${cStr(argv[2])}'`);
      return;
    }
  }
  const key = argv[2];
  const srv = c.server;
  if (isCreate && argv.length >= 5 && argv.length <= 8) {
    let id: StreamId;
    if (cStr(argv[4]) === '$') id = s ? s.lastId : ID_ZERO;
    else {
      const p = parseId(c, argv[4], 0n, true);
      if (!p) return;
      id = p.id;
    }
    if (!s) {
      s = new RStream();
      c.db.add(key, s);
      srv.signalModifiedKey(c.db, key);
    }
    if (s.groups?.has(grp)) { c.replyError('-BUSYGROUP Consumer Group name already exists'); return; }
    (s.groups ??= new Map()).set(grp, { name: grp, lastId: id, entriesRead, pel: new SortedIdMap(), consumers: new Map() });
    c.replyOk();
    srv.dirty++;
    srv.notifyKeyspaceEvent('t', 'xgroup-create', key, c.db.id);
  } else if (isSetid && (argv.length === 5 || argv.length === 7)) {
    let id: StreamId;
    if (cStr(argv[4]) === '$') id = s!.lastId;
    else {
      const p = parseId(c, argv[4], 0n, false);
      if (!p) return;
      id = p.id;
    }
    g!.lastId = id;
    g!.entriesRead = entriesRead;
    c.replyOk();
    srv.dirty++;
    srv.notifyKeyspaceEvent('t', 'xgroup-setid', key, c.db.id);
  } else if (optEq(opt, 'destroy') && argv.length === 4) {
    if (g) {
      s!.groups!.delete(grp);
      c.replyInt(1);
      srv.dirty++;
      srv.notifyKeyspaceEvent('t', 'xgroup-destroy', key, c.db.id);
      srv.signalKeyAsReady(c.db, key);
    } else {
      c.replyInt(0);
    }
  } else if (optEq(opt, 'createconsumer') && argv.length === 5) {
    c.replyInt(createConsumer(c, g!, argv[4], key, c.db.id) ? 1 : 0);
  } else if (optEq(opt, 'delconsumer') && argv.length === 5) {
    let pending = 0;
    const consumer = lookupConsumer(c, g!, argv[4], true);
    if (consumer) {
      pending = consumer.pel.size;
      for (const [id] of consumer.pel.range(ID_ZERO)) g!.pel.delete(id);
      g!.consumers.delete(consumer.name);
      srv.dirty++;
      srv.notifyKeyspaceEvent('t', 'xgroup-delconsumer', key, c.db.id);
    }
    c.replyInt(pending);
  } else {
    subcommandSyntaxError(c, argv);
  }
}

export function xack(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (wrongType(c, o, 'stream')) return;
  const g = o && lookupGroup(o as RStream, argv[2]);
  if (!g) { c.replyInt(0); return; }
  const ids = parseIds(c, argv, 3);
  if (!ids) return;
  let acked = 0;
  for (const id of ids) {
    const nack = g.pel.get(id);
    if (!nack) continue;
    g.pel.delete(id);
    nack.consumer!.pel.delete(id);
    acked++;
    c.server.dirty++;
  }
  c.replyInt(acked);
}

export function xpending(c: Client, argv: string[]): void {
  const justInfo = argv.length === 3;
  let start: StreamId = ID_ZERO, end: StreamId = ID_MAX;
  let count = 0, minIdle = 0;
  let consumerName: string | null = null;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) { c.replySyntaxError(); return; }
  if (argv.length >= 6) {
    let startIdx = 3;
    if (optEq(argv[3], 'idle')) {
      const v = getLongLongOrReply(c, argv[4]);
      if (v === null) return;
      minIdle = v;
      if (argv.length < 8) { c.replySyntaxError(); return; }
      startIdx += 2;
    }
    const cnt = getLongLongOrReply(c, argv[startIdx + 2]);
    if (cnt === null) return;
    count = cnt < 0 ? 0 : cnt;
    const st = parseIntervalId(c, argv[startIdx], 0n);
    if (!st) return;
    start = st.id;
    if (st.exclusive) {
      const n = incrId(start);
      if (!n) { c.replyError('invalid start ID for the interval'); return; }
      start = n;
    }
    const en = parseIntervalId(c, argv[startIdx + 1], U64_MAX);
    if (!en) return;
    end = en.id;
    if (en.exclusive) {
      const n = decrId(end);
      if (!n) { c.replyError('invalid end ID for the interval'); return; }
      end = n;
    }
    if (startIdx + 3 < argv.length) consumerName = argv[startIdx + 3];
  }
  const o = c.db.lookupRead(argv[1]);
  if (wrongType(c, o, 'stream')) return;
  const g = o && lookupGroup(o as RStream, argv[2]);
  if (!g) {
    c.replyError(`-NOGROUP No such key '${cStr(argv[1])}' or consumer group '${cStr(argv[2])}'`);
    return;
  }
  if (justInfo) {
    c.replyArrayLen(4);
    c.replyInt(g.pel.size);
    if (g.pel.size === 0) {
      c.replyNull();
      c.replyNull();
      c.replyNullArray();
      return;
    }
    c.replyBulk(idStr(g.pel.first()!));
    c.replyBulk(idStr(g.pel.last()!));
    const withPending = [...g.consumers.values()].filter((x) => x.pel.size > 0).sort((a, b) => byteOrder(a.name, b.name));
    c.replyArrayLen(withPending.length);
    for (const x of withPending) {
      c.replyArrayLen(2);
      c.replyBulk(x.name);
      c.replyBulk(String(x.pel.size));
    }
    return;
  }
  let pel = g.pel;
  if (consumerName !== null) {
    const consumer = lookupConsumer(c, g, consumerName, true);
    if (!consumer) { c.replyArrayLen(0); return; }
    pel = consumer.pel;
  }
  const now = c.server.nowMs();
  const pos = c.replyDeferredLen();
  let n = 0;
  if (count) {
    for (const [id, nack] of pel.range(start, end)) {
      if (minIdle && now - nack.deliveryTime < minIdle) continue;
      n++;
      c.replyArrayLen(4);
      c.replyBulk(idStr(id));
      c.replyBulk(nack.consumer!.name);
      c.replyInt(Math.max(0, now - nack.deliveryTime));
      c.replyInt(nack.deliveryCount);
      if (--count === 0) break;
    }
  }
  c.setDeferredLen(pos, '*', n);
}

export function xclaim(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (wrongType(c, o, 'stream')) return;
  const s = o as RStream | undefined;
  const g = s && lookupGroup(s, argv[2]);
  if (!s || !g) {
    c.replyError(`-NOGROUP No such key '${cStr(argv[1])}' or consumer group '${cStr(argv[2])}'`);
    return;
  }
  const minIdleArg = getLongLongOrReply(c, argv[4], 'Invalid min-idle-time argument for XCLAIM');
  if (minIdleArg === null) return;
  const minIdle = Math.max(0, minIdleArg);
  const ids: StreamId[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const p = parseId(null, argv[j], 0n, true);
    if (!p) break;
    ids.push(p.id);
  }
  const now = c.server.nowMs();
  let deliveryTime = -1;
  let retryCount = -1;
  let force = false, justId = false;
  let lastId: StreamId = ID_ZERO;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j];
    if (optEq(opt, 'force')) force = true;
    else if (optEq(opt, 'justid')) justId = true;
    else if (optEq(opt, 'idle') && more) {
      const v = getLongLongOrReply(c, argv[++j], 'Invalid IDLE option argument for XCLAIM');
      if (v === null) return;
      deliveryTime = now - v;
    } else if (optEq(opt, 'time') && more) {
      const v = getLongLongOrReply(c, argv[++j], 'Invalid TIME option argument for XCLAIM');
      if (v === null) return;
      deliveryTime = v;
    } else if (optEq(opt, 'retrycount') && more) {
      const v = getLongLongOrReply(c, argv[++j], 'Invalid RETRYCOUNT option argument for XCLAIM');
      if (v === null) return;
      retryCount = v;
    } else if (optEq(opt, 'lastid') && more) {
      const p = parseId(c, argv[++j], 0n, true);
      if (!p) return;
      lastId = p.id;
    } else {
      c.replyError(`Unrecognized XCLAIM option '${cStr(opt)}'`);
      return;
    }
  }
  let propagateLastId = false;
  if (cmpId(lastId, g.lastId) > 0) {
    g.lastId = lastId;
    propagateLastId = true;
  }
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else {
    deliveryTime = now;
  }
  let consumer: StreamConsumer | undefined;
  const pos = c.replyDeferredLen();
  let n = 0;
  const srv = c.server;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    const idArg = argv[5 + k];
    let nack = g.pel.get(id);
    if (!s.find(id)) {
      if (nack) {
        propagateXclaim(c, argv[1], g, argv[2], idArg, nack);
        propagateLastId = false;
        srv.dirty++;
        g.pel.delete(id);
        nack.consumer!.pel.delete(id);
      }
      continue;
    }
    if (force && !nack) {
      nack = { deliveryTime: now, deliveryCount: 1, consumer: null };
      g.pel.set(id, nack);
    }
    if (!nack) continue;
    if (nack.consumer && minIdle && now - nack.deliveryTime < minIdle) continue;
    consumer ??= lookupConsumer(c, g, argv[3]) ?? createConsumer(c, g, argv[3], argv[1], c.db.id)!;
    if (nack.consumer !== consumer && nack.consumer) nack.consumer.pel.delete(id);
    nack.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack.deliveryCount = retryCount;
    else if (!justId) nack.deliveryCount++;
    if (nack.consumer !== consumer) {
      consumer.pel.set(id, nack);
      nack.consumer = consumer;
    }
    if (justId) c.replyBulk(idStr(id));
    else replyEntry(c, s.find(id)!);
    n++;
    propagateXclaim(c, argv[1], g, argv[2], idArg, nack);
    propagateLastId = false;
    srv.dirty++;
  }
  if (propagateLastId) {
    propagateGroupId(c, argv[1], g, argv[2]);
    srv.dirty++;
  }
  c.setDeferredLen(pos, '*', n);
  c.preventPropagation = true;
}

export function xautoclaim(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  const minIdleArg = getLongLongOrReply(c, argv[4], 'Invalid min-idle-time argument for XAUTOCLAIM');
  if (minIdleArg === null) return;
  const minIdle = Math.max(0, minIdleArg);
  const st = parseIntervalId(c, argv[5], 0n);
  if (!st) return;
  let start = st.id;
  if (st.exclusive) {
    const n = incrId(start);
    if (!n) { c.replyError('invalid start ID for the interval'); return; }
    start = n;
  }
  let count = 100;
  let justId = false;
  // LONG_MAX / max(sizeof(streamID), attempts_factor) = LONG_MAX / 16.
  const maxCount = 576460752303423487;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (optEq(argv[j], 'count') && more) {
      const v = getLongLongOrReply(c, argv[j + 1], 'COUNT must be > 0');
      if (v === null) return;
      if (v < 1 || v > maxCount) { c.replyError('COUNT must be > 0'); return; }
      count = v;
      j++;
    } else if (optEq(argv[j], 'justid')) {
      justId = true;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  if (wrongType(c, o, 'stream')) return;
  const s = o as RStream | undefined;
  const g = s && lookupGroup(s, argv[2]);
  if (!s || !g) {
    c.replyError(`-NOGROUP No such key '${cStr(argv[1])}' or consumer group '${cStr(argv[2])}'`);
    return;
  }
  let attempts = count * 10;
  c.replyArrayLen(3);
  const now = c.server.nowMs();
  const srv = c.server;
  let consumer: StreamConsumer | undefined;
  const claimed: StreamId[] = [];
  const deleted: StreamId[] = [];
  let next = g.pel.firstFrom(start);
  // The loop condition's order matters: `attempts--` and `count` are checked before the next
  // PEL entry is taken, so the entry after the last one examined becomes the cursor. Entries
  // are removed on the way, so the walk seeks past each one rather than iterating.
  while (attempts-- > 0 && count && next) {
    const [id, nack] = next;
    next = g.pel.firstFrom(incrId(id));
    if (!s.find(id)) {
      propagateXclaim(c, argv[1], g, argv[2], idStr(id), nack);
      srv.dirty++;
      g.pel.delete(id);
      nack.consumer!.pel.delete(id);
      deleted.push(id);
      count--;
      continue;
    }
    if (minIdle && now - nack.deliveryTime < minIdle) continue;
    consumer ??= lookupConsumer(c, g, argv[3]) ?? createConsumer(c, g, argv[3], argv[1], c.db.id)!;
    if (nack.consumer !== consumer && nack.consumer) nack.consumer.pel.delete(id);
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount++;
    if (nack.consumer !== consumer) {
      consumer.pel.set(id, nack);
      nack.consumer = consumer;
    }
    claimed.push(id);
    count--;
    propagateXclaim(c, argv[1], g, argv[2], idStr(id), nack);
    srv.dirty++;
  }
  c.replyBulk(next ? idStr(next[0]) : '0-0');
  c.replyArrayLen(claimed.length);
  for (const id of claimed) {
    if (justId) c.replyBulk(idStr(id));
    else replyEntry(c, s.find(id)!);
  }
  c.replyArrayLen(deleted.length);
  for (const id of deleted) c.replyBulk(idStr(id));
  c.preventPropagation = true;
}

export const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

function sortedGroups(s: RStream): StreamGroup[] {
  return s.groups ? [...s.groups.values()].sort((a, b) => byteOrder(a.name, b.name)) : [];
}

/** XINFO STREAM FULL's pending entries of a PEL: the first `count` (all with 0), in ID order. */
function firstNacks(pel: SortedIdMap<StreamNack>, count: number): [StreamId, StreamNack][] {
  const out: [StreamId, StreamNack][] = [];
  for (const x of pel.range(ID_ZERO)) {
    if (count && out.length >= count) break;
    out.push(x);
  }
  return out;
}

function xinfoStream(c: Client, argv: string[], s: RStream): void {
  let full = true;
  let count = 10;
  const optc = argv.length - 3;
  if (optc === 0) full = false;
  else {
    if ((optc !== 1 && optc !== 3) || !optEq(argv[3], 'full')) { subcommandSyntaxError(c, argv); return; }
    if (optc === 3) {
      if (!optEq(argv[4], 'count')) { subcommandSyntaxError(c, argv); return; }
      const v = getLongLongOrReply(c, argv[5]);
      if (v === null) return;
      count = v < 0 ? 10 : v;
    }
  }
  c.replyMapLen(full ? 9 : 10);
  c.replyBulk('length'); c.replyInt(s.length);
  c.replyBulk('radix-tree-keys'); c.replyInt(s.nodes.length);
  c.replyBulk('radix-tree-nodes'); c.replyInt(s.raxNodes());
  c.replyBulk('last-generated-id'); c.replyBulk(idStr(s.lastId));
  c.replyBulk('max-deleted-entry-id'); c.replyBulk(idStr(s.maxDeletedId));
  c.replyBulk('entries-added'); c.replyInt(s.entriesAdded);
  c.replyBulk('recorded-first-entry-id'); c.replyBulk(idStr(s.firstId));
  if (!full) {
    c.replyBulk('groups'); c.replyInt(s.groups ? s.groups.size : 0);
    c.replyBulk('first-entry');
    const first = s.range(ID_ZERO, ID_MAX).next();
    if (first.done) c.replyNull(); else replyEntry(c, first.value);
    c.replyBulk('last-entry');
    const last = s.range(ID_ZERO, ID_MAX, true).next();
    if (last.done) c.replyNull(); else replyEntry(c, last.value);
    return;
  }
  c.replyBulk('entries');
  const entries: StreamEntry[] = [];
  for (const e of s.range(ID_ZERO, ID_MAX)) {
    entries.push(e);
    if (count && entries.length >= count) break;
  }
  c.replyArrayLen(entries.length);
  for (const e of entries) replyEntry(c, e);
  c.replyBulk('groups');
  const groups = sortedGroups(s);
  c.replyArrayLen(groups.length);
  for (const g of groups) {
    c.replyMapLen(7);
    c.replyBulk('name'); c.replyBulk(g.name);
    c.replyBulk('last-delivered-id'); c.replyBulk(idStr(g.lastId));
    c.replyBulk('entries-read');
    if (g.entriesRead !== INVALID_ENTRIES_READ) c.replyInt(g.entriesRead); else c.replyNull();
    c.replyBulk('lag'); replyLag(c, s, g);
    c.replyBulk('pel-count'); c.replyInt(g.pel.size);
    c.replyBulk('pending');
    const pel = firstNacks(g.pel, count);
    c.replyArrayLen(pel.length);
    for (const [id, nack] of pel) {
      c.replyArrayLen(4);
      c.replyBulk(idStr(id));
      c.replyBulk(nack.consumer!.name);
      c.replyInt(nack.deliveryTime);
      c.replyInt(nack.deliveryCount);
    }
    c.replyBulk('consumers');
    const consumers = [...g.consumers.values()].sort((a, b) => byteOrder(a.name, b.name));
    c.replyArrayLen(consumers.length);
    for (const x of consumers) {
      c.replyMapLen(4);
      c.replyBulk('name'); c.replyBulk(x.name);
      c.replyBulk('seen-time'); c.replyInt(x.seenTime);
      c.replyBulk('pel-count'); c.replyInt(x.pel.size);
      c.replyBulk('pending');
      const cp = firstNacks(x.pel, count);
      c.replyArrayLen(cp.length);
      for (const [id, nack] of cp) {
        c.replyArrayLen(3);
        c.replyBulk(idStr(id));
        c.replyInt(nack.deliveryTime);
        c.replyInt(nack.deliveryCount);
      }
    }
  }
}

export function xinfo(c: Client, argv: string[]): void {
  if (optEq(argv[1], 'help')) {
    if (argv.length !== 2) { subcommandSyntaxError(c, argv); return; }
    addReplyHelp(c, argv, XINFO_HELP);
    return;
  }
  if (argv.length < 3) { subcommandSyntaxError(c, argv); return; }
  const opt = argv[1];
  const key = argv[2];
  const o = c.db.lookupRead(key);
  if (o === undefined) { c.replyError('no such key'); return; }
  if (wrongType(c, o, 'stream')) return;
  const s = o as RStream;
  if (optEq(opt, 'consumers') && argv.length === 4) {
    const g = lookupGroup(s, argv[3]);
    if (!g) {
      c.replyError(`-NOGROUP No such consumer group '${cStr(argv[3])}' for key name '${cStr(key)}'`);
      return;
    }
    const consumers = [...g.consumers.values()].sort((a, b) => byteOrder(a.name, b.name));
    c.replyArrayLen(consumers.length);
    const now = c.server.nowMs();
    for (const x of consumers) {
      c.replyMapLen(3);
      c.replyBulk('name'); c.replyBulk(x.name);
      c.replyBulk('pending'); c.replyInt(x.pel.size);
      c.replyBulk('idle'); c.replyInt(Math.max(0, now - x.seenTime));
    }
  } else if (optEq(opt, 'groups') && argv.length === 3) {
    const groups = sortedGroups(s);
    c.replyArrayLen(groups.length);
    for (const g of groups) {
      c.replyMapLen(6);
      c.replyBulk('name'); c.replyBulk(g.name);
      c.replyBulk('consumers'); c.replyInt(g.consumers.size);
      c.replyBulk('pending'); c.replyInt(g.pel.size);
      c.replyBulk('last-delivered-id'); c.replyBulk(idStr(g.lastId));
      c.replyBulk('entries-read');
      if (g.entriesRead !== INVALID_ENTRIES_READ) c.replyInt(g.entriesRead); else c.replyNull();
      c.replyBulk('lag'); replyLag(c, s, g);
    }
  } else if (optEq(opt, 'stream')) {
    xinfoStream(c, argv, s);
  } else {
    subcommandSyntaxError(c, argv);
  }
}
