/**
 * The stream family (t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID, XREAD,
 * XREADGROUP, XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM and XINFO.
 *
 * The value and its node layout live in keyspace/stream.ts; this file parses arguments with
 * Redis's exact errors and does what each command notifies and propagates:
 * - XADD propagates the ID it generated (for `*` and `ms-*`), and `~` trimming as
 *   `= <what is left>` (the length for MAXLEN, the first ID for MINID), so replicas and the
 *   AOF trim exactly what the master did;
 * - XTRIM propagates only when it removed something, with the same `~` rewrite;
 * - XREADGROUP, XCLAIM and XAUTOCLAIM are never propagated as themselves: each delivery or
 *   claim goes out as `XCLAIM ... TIME <ms> RETRYCOUNT <n> FORCE JUSTID LASTID <id>`, NOACK
 *   reads as `XGROUP SETID ... ENTRIESREAD`, so a replica's PELs match the master's.
 *
 * Times (delivery, seen, idle) come from the server's clock (the Os), never from Date.
 * Blocking XREAD/XREADGROUP uses the server's per-key FIFO (server.blockClient): XADD and
 * dbAdd signal the key; a deleted or overwritten stream, a flush or a swap signal it too, so
 * a blocked XREADGROUP gets -UNBLOCKED (or -NOGROUP when its group went away), like 7.0.
 */
import type { Client } from '../server/client';
import { cmd, type ArgDoc, type CommandSpec } from './table';
import { keySpecKeyword, keySpecRange } from './command';
import { getLongLongOrReply, optEq, wrongType } from './util';
import { addReplyHelp, subcommandSyntaxError } from './help';
import {
  RStream, SortedIdMap, cmpId, decrId, idStr, incrId, ID_MAX, ID_ZERO, U64_MAX,
  type StreamConsumer, type StreamEntry, type StreamGroup, type StreamId, type StreamNack,
} from '../keyspace/stream';
import { Lookup } from '../keyspace/db';

const G = { group: 'stream', acl: ['@stream'] };

const INVALID_ID_ERR = 'Invalid stream ID specified as stream command argument';

// ---- ID parsing ---------------------------------------------------------------------------

/** string2ull: a canonical unsigned 64-bit decimal (strtoull-like, no sign, no spaces). */
function string2ull(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  for (let i = 0; i < n; i++) { const c = s.charCodeAt(i); if (c < 48 || c > 57) return null; }
  // string2ull accepts leading zeros (it is strtoull underneath), and nothing past u64.
  const v = BigInt(s);
  return v > U64_MAX ? null : v;
}

interface ParsedId { id: StreamId; seqGiven: boolean }

/**
 * streamGenericParseIDOrReply: `ms-seq`, `ms` (seq = missingSeq), `-`/`+` unless strict, and
 * `ms-*` when `allowAutoSeq`. Replies the error and returns null when invalid.
 */
function parseId(c: Client | null, s: string, missingSeq: bigint, strict: boolean, allowAutoSeq = false): ParsedId | null {
  const fail = (): null => { if (c) c.replyError(INVALID_ID_ERR); return null; };
  if (s.length > 127) return fail();
  // The C code works on a NUL-terminated copy: anything after a NUL byte is ignored.
  const nul = s.indexOf('\0');
  const buf = nul >= 0 ? s.slice(0, nul) : s;
  if (strict && (buf === '-' || buf === '+')) return fail();
  if (buf === '-') return { id: ID_ZERO, seqGiven: true };
  if (buf === '+') return { id: ID_MAX, seqGiven: true };
  const dash = buf.indexOf('-');
  const ms = string2ull(dash >= 0 ? buf.slice(0, dash) : buf);
  if (ms === null) return fail();
  if (dash < 0) return { id: { ms, seq: missingSeq }, seqGiven: true };
  const rest = buf.slice(dash + 1);
  if (allowAutoSeq && rest === '*') return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = string2ull(rest);
  if (seq === null) return fail();
  return { id: { ms, seq }, seqGiven: true };
}

/** streamParseIntervalIDOrReply: an ID that may start with `(` (exclusive). */
function parseIntervalId(c: Client, s: string, missingSeq: bigint): { id: StreamId; exclusive: boolean } | null {
  if (s.length > 1 && s[0] === '(') {
    const p = parseId(c, s.slice(1), missingSeq, true);
    return p && { id: p.id, exclusive: true };
  }
  const p = parseId(c, s, missingSeq, false);
  return p && { id: p.id, exclusive: false };
}

// ---- lookups ------------------------------------------------------------------------------

function lookupRead(c: Client, key: string): RStream | undefined | null {
  const o = c.db.lookupRead(key);
  if (o === undefined) return undefined;
  if (wrongType(c, o, 'stream')) return null;
  return o as RStream;
}

function lookupWrite(c: Client, key: string): RStream | undefined | null {
  const o = c.db.lookupWrite(key);
  if (o === undefined) return undefined;
  if (wrongType(c, o, 'stream')) return null;
  return o as RStream;
}

function nodeLimits(c: Client): [maxBytes: number, maxEntries: number] {
  return [c.server.config.get<number>('stream-node-max-bytes'), c.server.config.get<number>('stream-node-max-entries')];
}

// ---- replies ------------------------------------------------------------------------------

function replyEntry(c: Client, e: StreamEntry): void {
  c.replyArrayLen(2);
  c.replyBulk(idStr(e.id));
  c.replyArrayLen(e.fv.length);
  for (const x of e.fv) c.replyBulk(x);
}

// ---- XADD / XTRIM argument parsing --------------------------------------------------------

interface TrimArgs {
  strategy: 'none' | 'maxlen' | 'minid';
  /** argv index of the threshold (for the `~` rewrite). */
  argIdx: number;
  approx: boolean;
  limit: number;
  maxlen: number;
  minid: StreamId;
  /** XADD only. */
  id: StreamId;
  idGiven: boolean;
  seqGiven: boolean;
  noMkstream: boolean;
}

/** streamParseAddOrTrimArgsOrReply: returns the ID's position (XADD) or -1 after an error. */
function parseAddOrTrim(c: Client, argv: string[], xadd: boolean, a: TrimArgs): number {
  let i = 2;
  let limitGiven = false;
  const both = 'syntax error, MAXLEN and MINID options at the same time are not compatible';
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i];
    if (xadd && opt[0] === '*' && (opt.length === 1 || opt[1] === '\0')) {
      break;
    } else if (optEq(opt, 'maxlen') && more) {
      if (a.strategy !== 'none') { c.replyError(both); return -1; }
      a.approx = false;
      const next = cStr(argv[i + 1]);
      if (more >= 2 && next === '~') { a.approx = true; i++; } else if (more >= 2 && next === '=') i++;
      const v = getLongLongOrReply(c, argv[i + 1]);
      if (v === null) return -1;
      if (v < 0) { c.replyError('The MAXLEN argument must be >= 0.'); return -1; }
      a.maxlen = v;
      i++;
      a.strategy = 'maxlen';
      a.argIdx = i;
    } else if (optEq(opt, 'minid') && more) {
      if (a.strategy !== 'none') { c.replyError(both); return -1; }
      a.approx = false;
      const next = cStr(argv[i + 1]);
      if (more >= 2 && next === '~') { a.approx = true; i++; } else if (more >= 2 && next === '=') i++;
      const p = parseId(c, argv[i + 1], 0n, true);
      if (!p) return -1;
      a.minid = p.id;
      i++;
      a.strategy = 'minid';
      a.argIdx = i;
    } else if (optEq(opt, 'limit') && more) {
      const v = getLongLongOrReply(c, argv[i + 1]);
      if (v === null) return -1;
      if (v < 0) { c.replyError('The LIMIT argument must be >= 0.'); return -1; }
      a.limit = v;
      limitGiven = true;
      i++;
    } else if (xadd && optEq(opt, 'nomkstream')) {
      a.noMkstream = true;
    } else if (xadd) {
      const p = parseId(c, opt, 0n, true, true);
      if (!p) return -1;
      a.id = p.id;
      a.seqGiven = p.seqGiven;
      a.idGiven = true;
      break;
    } else {
      c.replySyntaxError();
      return -1;
    }
  }
  if (a.limit && a.strategy === 'none') {
    c.replyError('syntax error, LIMIT cannot be used without specifying a trimming strategy');
    return -1;
  }
  if (!xadd && a.strategy === 'none') {
    c.replyError('syntax error, XTRIM must be called with a trimming strategy');
    return -1;
  }
  if (c.isMaster || c.id === -1) {
    // A replica or the AOF trims exactly what the (rewritten) command says.
    a.limit = 0;
  } else if (limitGiven) {
    if (!a.approx) {
      c.replyError('syntax error, LIMIT cannot be used without the special ~ option');
      return -1;
    }
  } else if (a.approx) {
    const perNode = c.server.config.get<number>('stream-node-max-entries');
    a.limit = 100 * perNode;
    if (a.limit <= 0) a.limit = 10000;
    if (a.limit > 1000000) a.limit = 1000000;
  } else {
    a.limit = 0;
  }
  return i;
}

/** The C string view of an argument (up to its first NUL byte). */
function cStr(s: string): string {
  const nul = s.indexOf('\0');
  return nul >= 0 ? s.slice(0, nul) : s;
}

function newTrimArgs(): TrimArgs {
  return {
    strategy: 'none', argIdx: 0, approx: false, limit: 0, maxlen: 0, minid: ID_ZERO,
    id: ID_ZERO, idGiven: false, seqGiven: true, noMkstream: false,
  };
}

/** streamRewriteTrimArgument: `~ n` becomes `= <length>` or `= <first ID>` for propagation. */
function rewriteApproxTrim(c: Client, s: RStream, a: TrimArgs, out: string[]): void {
  out[a.argIdx - 1] = '=';
  out[a.argIdx] = a.strategy === 'maxlen' ? String(s.length) : idStr(s.edgeId(true, false));
}

// ---- commands -----------------------------------------------------------------------------

function xadd(c: Client, argv: string[]): void {
  const a = newTrimArgs();
  const idPos = parseAddOrTrim(c, argv, true, a);
  if (idPos < 0) return;
  const fieldPos = idPos + 1;
  const nfv = argv.length - fieldPos;
  if (nfv < 2 || nfv % 2 === 1) { c.replyArityError(); return; }
  if (a.idGiven && a.seqGiven && a.id.ms === 0n && a.id.seq === 0n) {
    c.replyError('The ID specified in XADD must be greater than 0-0');
    return;
  }
  const key = argv[1];
  let s = lookupWrite(c, key);
  if (s === null) return;
  if (s === undefined) {
    if (a.noMkstream) { c.replyNull(); return; }
    s = new RStream();
    c.db.add(key, s);
  }
  if (s.lastId.ms === U64_MAX && s.lastId.seq === U64_MAX) {
    c.replyError('The stream has exhausted the last possible ID, unable to add more items');
    return;
  }
  // streamAppendItem: the new ID.
  let id: StreamId | null;
  if (a.idGiven) {
    if (a.seqGiven) id = a.id;
    else if (s.lastId.ms === a.id.ms) {
      if (s.lastId.seq === U64_MAX) {
        // streamAppendItem fails here without setting errno to EDOM, so XADD reports the
        // other error it knows.
        c.replyError('Elements are too large to be stored');
        return;
      }
      id = { ms: a.id.ms, seq: s.lastId.seq + 1n };
    } else id = a.id;
  } else {
    const ms = BigInt(c.server.nowMs());
    id = ms > s.lastId.ms ? { ms, seq: 0n } : incrId(s.lastId);
  }
  if (id === null || cmpId(id, s.lastId) <= 0) {
    c.replyError('The ID specified in XADD is equal or smaller than the target stream top item');
    return;
  }
  const fv = argv.slice(fieldPos);
  let total = 0;
  for (const x of fv) total += x.length;
  if (total > 1 << 30) { c.replyError('Elements are too large to be stored'); return; }
  const [maxBytes, maxEntries] = nodeLimits(c);
  s.append(id, fv, maxBytes, maxEntries);
  const idText = idStr(id);
  c.replyBulk(idText);
  const srv = c.server;
  srv.signalModifiedKey(c.db, key);
  srv.notifyKeyspaceEvent('t', 'xadd', key, c.db.id);
  srv.dirty++;
  const out = argv.slice();
  if (a.strategy !== 'none') {
    if (s.trim(a.strategy, a.maxlen, a.minid, a.approx, a.limit)) srv.notifyKeyspaceEvent('t', 'xtrim', key, c.db.id);
    if (a.approx) rewriteApproxTrim(c, s, a, out);
  }
  if (!a.idGiven || !a.seqGiven) out[idPos] = idText;
  if (a.approx || !a.idGiven || !a.seqGiven) c.propagateArgv = out;
  srv.signalKeyAsReady(c.db, key);
}

function xrangeGeneric(c: Client, argv: string[], rev: boolean): void {
  const startArg = rev ? argv[3] : argv[2];
  const endArg = rev ? argv[2] : argv[3];
  const st = parseIntervalId(c, startArg, 0n);
  if (!st) return;
  let start: StreamId | null = st.id;
  if (st.exclusive) {
    start = incrId(start);
    if (!start) { c.replyError('invalid start ID for the interval'); return; }
  }
  const en = parseIntervalId(c, endArg, U64_MAX);
  if (!en) return;
  let end: StreamId | null = en.id;
  if (en.exclusive) {
    end = decrId(end);
    if (!end) { c.replyError('invalid end ID for the interval'); return; }
  }
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (optEq(argv[j], 'count') && argv.length - j - 1 >= 1) {
      const v = getLongLongOrReply(c, argv[j + 1]);
      if (v === null) return;
      count = v < 0 ? 0 : v;
      j++;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  const s = lookupRead(c, argv[1]);
  if (s === null) return;
  if (s === undefined) { c.replyArrayLen(0); return; }
  if (count === 0) { c.replyNullArray(); return; }
  const items: StreamEntry[] = [];
  for (const e of s.range(start, end, rev)) {
    items.push(e);
    if (count > 0 && items.length >= count) break;
  }
  c.replyArrayLen(items.length);
  for (const e of items) replyEntry(c, e);
}

function xlen(c: Client, argv: string[]): void {
  const s = lookupRead(c, argv[1]);
  if (s === null) return;
  c.replyInt(s ? s.length : 0);
}

/** The strict IDs from argv[from] on (XDEL, XACK), or null with the error of the first bad one replied. */
function parseIds(c: Client, argv: string[], from: number): StreamId[] | null {
  const ids: StreamId[] = [];
  for (let j = from; j < argv.length; j++) {
    const p = parseId(c, argv[j], 0n, true);
    if (!p) return null;
    ids.push(p.id);
  }
  return ids;
}

function xdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const s = lookupWrite(c, key);
  if (s === null) return;
  if (s === undefined) { c.replyInt(0); return; }
  // Every ID is checked before any is deleted, so a bad one deletes nothing.
  const ids = parseIds(c, argv, 2);
  if (!ids) return;
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (!s.deleteEntry(id)) continue;
    if (cmpId(id, s.firstId) === 0) firstEntry = true;
    if (cmpId(id, s.maxDeletedId) > 0) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = ID_ZERO;
    else if (firstEntry) s.firstId = s.edgeId(true, true);
    c.server.signalModifiedKey(c.db, key);
    c.server.notifyKeyspaceEvent('t', 'xdel', key, c.db.id);
    c.server.dirty += deleted;
  }
  c.replyInt(deleted);
}

function xtrim(c: Client, argv: string[]): void {
  const a = newTrimArgs();
  if (parseAddOrTrim(c, argv, false, a) < 0) return;
  const key = argv[1];
  const s = lookupWrite(c, key);
  if (s === null) return;
  if (s === undefined) { c.replyInt(0); return; }
  const deleted = s.trim(a.strategy as 'maxlen' | 'minid', a.maxlen, a.minid, a.approx, a.limit);
  if (deleted) {
    c.server.notifyKeyspaceEvent('t', 'xtrim', key, c.db.id);
    if (a.approx) {
      const out = argv.slice();
      rewriteApproxTrim(c, s, a, out);
      c.propagateArgv = out;
    }
    c.server.signalModifiedKey(c.db, key);
    c.server.dirty += deleted;
  }
  c.replyInt(deleted);
}

function xsetid(c: Client, argv: string[]): void {
  const p = parseId(c, argv[2], 0n, true);
  if (!p) return;
  const id = p.id;
  let maxDel: StreamId = ID_ZERO;
  let entriesAdded = -1;
  for (let i = 3; i < argv.length;) {
    const more = argv.length - 1 - i;
    if (optEq(argv[i], 'entriesadded') && more) {
      const v = getLongLongOrReply(c, argv[i + 1]);
      if (v === null) return;
      if (v < 0) { c.replyError('entries_added must be positive'); return; }
      entriesAdded = v;
      i += 2;
    } else if (optEq(argv[i], 'maxdeletedid') && more) {
      const m = parseId(c, argv[i + 1], 0n, true);
      if (!m) return;
      if (cmpId(id, m.id) < 0) { c.replyError('The ID specified in XSETID is smaller than the provided max_deleted_entry_id'); return; }
      maxDel = m.id;
      i += 2;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  const key = argv[1];
  const s = lookupWrite(c, key);
  if (s === null) return;
  if (s === undefined) { c.replyError('no such key'); return; }
  if (s.length > 0) {
    if (cmpId(id, s.edgeId(false, true)) < 0) { c.replyError('The ID specified in XSETID is smaller than the target stream top item'); return; }
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      c.replyError('The entries_added specified in XSETID is smaller than the target stream length');
      return;
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (cmpId(maxDel, ID_ZERO) !== 0) s.maxDeletedId = maxDel;
  c.replyOk();
  c.server.dirty++;
  c.server.notifyKeyspaceEvent('t', 'xsetid', key, c.db.id);
}

// ---- consumer groups ----------------------------------------------------------------------

/** SCG_INVALID_ENTRIES_READ: the group's read counter is unknown. */
const INVALID_ENTRIES_READ = -1;
/** XREAD_BLOCKED_DEFAULT_COUNT: how many entries a blocked XREAD without COUNT gets. */
const BLOCKED_DEFAULT_COUNT = 1000;

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

function lookupGroup(s: RStream, name: string): StreamGroup | undefined {
  return s.groups?.get(name);
}

/** streamCreateConsumer (SCC_DEFAULT): dirties and notifies xgroup-createconsumer. */
function createConsumer(c: Client, g: StreamGroup, name: string, key: string, dbId: number): StreamConsumer | null {
  if (g.consumers.has(name)) return null;
  const consumer: StreamConsumer = { name, seenTime: c.server.nowMs(), pel: new SortedIdMap() };
  g.consumers.set(name, consumer);
  c.server.dirty++;
  c.server.notifyKeyspaceEvent('t', 'xgroup-createconsumer', key, dbId);
  return consumer;
}

/** streamLookupConsumer: refreshes the seen time unless `noRefresh`. */
function lookupConsumer(c: Client, g: StreamGroup, name: string, noRefresh = false): StreamConsumer | undefined {
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
function propagateConsumerCreation(c: Client, key: string, groupName: string, consumer: string): void {
  c.server.alsoPropagate(c.db.id, ['XGROUP', 'CREATECONSUMER', key, groupName, consumer]);
}

interface GroupRead { group: StreamGroup; consumer: StreamConsumer; noack: boolean; history: boolean; key: string; groupName: string }

/**
 * streamReplyWithRange for XREAD/XREADGROUP: entries after `start` (inclusive) up to `count`
 * (0: all). With a group, new entries move the group's last ID and read counter and go into
 * the PELs (propagated as XCLAIM), unless NOACK (then the new last ID is propagated).
 */
function replyRange(c: Client, s: RStream, start: StreamId, count: number, gr: GroupRead | null): number {
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

// ---- XREAD / XREADGROUP ---------------------------------------------------------------------

function xread(c: Client, argv: string[]): void {
  const isGroup = argv[0].length === 10;
  /** Absolute ms the client may block until; 0 blocks forever, -1 means no BLOCK. */
  let blockUntilMs = -1;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupName: string | null = null;
  let consumerName = '';
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i];
    if (optEq(o, 'block') && more) {
      // (No scripts here, so no "not allowed with BLOCK option from scripts" case.)
      i++;
      const t = getTimeoutMsOrReply(c, argv[i]);
      if (t === null) return;
      blockUntilMs = t;
    } else if (optEq(o, 'count') && more) {
      i++;
      const v = getLongLongOrReply(c, argv[i]);
      if (v === null) return;
      count = v < 0 ? 0 : v;
    } else if (optEq(o, 'streams') && more) {
      streamsArg = i + 1;
      streamsCount = argv.length - streamsArg;
      if (streamsCount % 2 !== 0) {
        c.replyError("Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
        return;
      }
      streamsCount /= 2;
      break;
    } else if (optEq(o, 'group') && more >= 2) {
      if (!isGroup) { c.replyError('The GROUP option is only supported by XREADGROUP. You called XREAD instead.'); return; }
      groupName = argv[i + 1];
      consumerName = argv[i + 2];
      i += 2;
    } else if (optEq(o, 'noack')) {
      if (!isGroup) { c.replyError('The NOACK option is only supported by XREADGROUP. You called XREAD instead.'); return; }
      noack = true;
    } else {
      c.replySyntaxError();
      return;
    }
  }
  if (streamsArg === 0) { c.replySyntaxError(); return; }
  if (isGroup && groupName === null) { c.replyError('Missing GROUP option for XREADGROUP'); return; }

  const ids: StreamId[] = [];
  const groups: StreamGroup[] = [];
  for (let i = streamsArg + streamsCount; i < argv.length; i++) {
    const idx = i - streamsArg - streamsCount;
    const key = argv[i - streamsCount];
    const o = c.db.lookupRead(key);
    if (wrongType(c, o, 'stream')) return;
    const s = o as RStream | undefined;
    if (groupName !== null) {
      const g = s && lookupGroup(s, groupName);
      if (!g) {
        c.replyError(`-NOGROUP No such key '${cStr(key)}' or consumer group '${cStr(groupName)}' in XREADGROUP with GROUP option`);
        return;
      }
      groups[idx] = g;
    }
    const arg = cStr(argv[i]);
    if (arg === '$') {
      if (isGroup) {
        c.replyError('The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.');
        return;
      }
      ids[idx] = s ? s.lastId : ID_ZERO;
      continue;
    }
    if (arg === '>') {
      if (!isGroup) {
        c.replyError('The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
        return;
      }
      ids[idx] = ID_MAX;
      continue;
    }
    const p = parseId(c, argv[i], 0n, true);
    if (!p) return;
    ids[idx] = p.id;
  }

  let served = 0;
  let pos = -1;
  for (let i = 0; i < streamsCount; i++) {
    const key = argv[streamsArg + i];
    const s = c.db.lookupRead(key) as RStream | undefined;
    if (s === undefined) continue;
    let gt = ids[i];
    let sync = false;
    let history = false;
    if (groupName !== null) {
      if (cmpId(gt, ID_MAX) !== 0) {
        sync = true;
        history = true;
      } else if (s.length && cmpId(s.edgeId(false, true), groups[i].lastId) > 0) {
        // ">": new entries are those after the group's last delivered ID.
        sync = true;
        gt = groups[i].lastId;
      }
    } else if (s.length && cmpId(s.edgeId(false, true), gt) > 0) {
      sync = true;
    }
    if (!sync) continue;
    served++;
    if (served === 1) pos = c.replyDeferredLen();
    const start = incrId(gt) ?? ID_ZERO;
    if (c.resp === 2) c.replyArrayLen(2);
    c.replyBulk(key);
    let gr: GroupRead | null = null;
    if (groupName !== null) {
      const g = groups[i];
      let consumer = lookupConsumer(c, g, consumerName);
      if (!consumer) {
        consumer = createConsumer(c, g, consumerName, key, c.db.id)!;
        if (noack) propagateConsumerCreation(c, key, groupName, consumerName);
      }
      gr = { group: g, consumer, noack, history, key, groupName };
    }
    replyRange(c, s, start, count, gr);
    if (groupName !== null) c.server.dirty++;
  }
  c.preventPropagation = true;
  if (served) {
    c.setDeferredLen(pos, c.resp === 2 ? '*' : '%', served);
    return;
  }
  if (blockUntilMs !== -1) {
    if (c.denyBlocking || c.inMulti) { c.replyNullArray(); return; }
    const keys = argv.slice(streamsArg, streamsArg + streamsCount);
    // Each key's "greater than" ID as it was when the client blocked ($ resolved now).
    const gtByKey = new Map<string, StreamId>();
    keys.forEach((k, i) => { if (!gtByKey.has(k)) gtByKey.set(k, ids[i]); });
    const blockedCount = count ? count : BLOCKED_DEFAULT_COUNT;
    c.server.blockClient(c, {
      kind: 'keys', dbId: c.db.id, keys, timeoutMs: blockUntilMs, argv: c.argv, cmd: c.cmd!,
      onTimeout: () => c.replyNullArray(),
      tryServe: (key) => serveBlockedXread(c, key, gtByKey, blockedCount, groupName, consumerName, noack),
    });
    return;
  }
  c.replyNullArray();
}

/**
 * serveClientsBlockedOnStreamKey for one client (and unblockDeletedStreamReadgroupClients):
 * a blocked XREADGROUP whose key is gone or no longer a stream is unblocked with an error;
 * otherwise the client is served once the stream has entries past its ID.
 */
function serveBlockedXread(c: Client, key: string, gtByKey: Map<string, StreamId>, count: number,
  groupName: string | null, consumerName: string, noack: boolean): boolean {
  const o = c.db.lookup(key, Lookup.NoNotify | Lookup.NoStats);
  if (o === undefined || typeof o === 'string' || o.type !== 'stream') {
    if (groupName === null) return false;
    c.replyError('-UNBLOCKED the stream key no longer exists');
    return true;
  }
  const s = o;
  let gt = gtByKey.get(key)!;
  let group: StreamGroup | undefined;
  if (groupName !== null) {
    group = lookupGroup(s, groupName);
    if (!group) {
      c.replyError('-NOGROUP the consumer group this client was blocked on no longer exists');
      return true;
    }
    gt = group.lastId;
    gtByKey.set(key, gt);
  }
  if (cmpId(s.lastId, gt) <= 0) return false;
  const start = incrId(gt) ?? ID_ZERO;
  let gr: GroupRead | null = null;
  if (group && groupName !== null) {
    let consumer = lookupConsumer(c, group, consumerName);
    if (!consumer) {
      consumer = createConsumer(c, group, consumerName, key, c.db.id)!;
      if (noack) propagateConsumerCreation(c, key, groupName, consumerName);
    }
    gr = { group, consumer, noack, history: false, key, groupName };
  }
  if (c.resp === 2) { c.replyArrayLen(1); c.replyArrayLen(2); } else c.replyMapLen(1);
  c.replyBulk(key);
  replyRange(c, s, start, count, gr);
  return true;
}

/** getTimeoutFromObjectOrReply(UNIT_MILLISECONDS): absolute ms, 0 = forever, null after an error. */
function getTimeoutMsOrReply(c: Client, arg: string): number | null {
  const v = getLongLongOrReply(c, arg, 'timeout is not an integer or out of range');
  if (v === null) return null;
  if (v < 0) { c.replyError('timeout is negative'); return null; }
  return v > 0 ? c.server.nowMs() + v : 0;
}

// ---- XGROUP ---------------------------------------------------------------------------------

const XGROUP_HELP = [
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

function xgroup(c: Client, argv: string[]): void {
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

// ---- XACK / XPENDING / XCLAIM / XAUTOCLAIM -----------------------------------------------------

function xack(c: Client, argv: string[]): void {
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

function xpending(c: Client, argv: string[]): void {
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

function xclaim(c: Client, argv: string[]): void {
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

function xautoclaim(c: Client, argv: string[]): void {
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

// ---- XINFO ----------------------------------------------------------------------------------

const XINFO_HELP = [
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

function xinfo(c: Client, argv: string[]): void {
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

function byteOrder(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

/** xreadGetKeys: the keys after STREAMS (half of what follows it), after skipping the options. */
function xreadKeys(argv: string[]): number[] {
  let streamsPos = -1;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (optEq(a, 'block') || optEq(a, 'count')) i++;
    else if (optEq(a, 'group')) i += 2;
    else if (optEq(a, 'noack')) continue;
    else if (optEq(a, 'streams')) { streamsPos = i; break; } else break;
  }
  const num = argv.length - streamsPos - 1;
  if (streamsPos === -1 || num === 0 || num % 2 !== 0) return [];
  const out: number[] = [];
  for (let i = streamsPos + 1; i < argv.length - num / 2; i++) out.push(i);
  return out;
}

// ---- command table ------------------------------------------------------------------------

const key: ArgDoc = { name: 'key', type: 'key', keySpecIndex: 0 };
const trimArg = (optional: boolean): ArgDoc => ({
  name: 'trim', type: 'block', ...(optional ? { optional: true } : {}), args: [
    { name: 'strategy', type: 'oneof', args: [{ name: 'maxlen', type: 'pure-token', token: 'MAXLEN' }, { name: 'minid', type: 'pure-token', token: 'MINID', since: '6.2.0' }] },
    { name: 'operator', type: 'oneof', optional: true, args: [{ name: 'equal', type: 'pure-token', token: '=' }, { name: 'approximately', type: 'pure-token', token: '~' }] },
    { name: 'threshold', type: 'string' },
    { name: 'count', type: 'integer', token: 'LIMIT', since: '6.2.0', optional: true },
  ],
});
const countArg: ArgDoc = { name: 'count', type: 'integer', token: 'COUNT', optional: true };
const exclusiveHistory: [string, string][] = [['6.2.0', 'Added exclusive ranges.']];
const groupIdArg: ArgDoc = { name: 'id', type: 'oneof', args: [{ name: 'id', type: 'string' }, { name: 'new_id', type: 'pure-token', token: '$' }] };
const groupConsumerArgs: ArgDoc[] = [key, { name: 'groupname', type: 'string' }, { name: 'consumername', type: 'string' }];

export const streamCommands: CommandSpec[] = [
  cmd('xadd', -5, ['write', 'denyoom', 'fast'], [1, 1, 1], {
    ...G, since: '5.0.0', summary: 'Append an entry to a stream (creating it unless NOMKSTREAM), optionally trimming it.',
    complexity: 'O(1) to add; O(N) for the N entries a trim removes.', tips: ['nondeterministic_output'],
    args: [key,
      { name: 'nomkstream', type: 'pure-token', token: 'NOMKSTREAM', since: '6.2.0', optional: true },
      trimArg(true),
      { name: 'id_or_auto', type: 'oneof', args: [{ name: 'auto_id', type: 'pure-token', token: '*' }, { name: 'id', type: 'string' }] },
      { name: 'field_value', type: 'block', multiple: true, args: [{ name: 'field', type: 'string' }, { name: 'value', type: 'string' }] }],
  }, xadd, {
    keySpecs: [{ ...keySpecRange(1, 0, 1, ['RW', 'update']), notes: 'UPDATE instead of INSERT because of the optional trimming feature' }],
    history: [['6.2.0', 'Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option.'], ['7.0.0', 'Added support for the `<ms>-*` explicit ID form.']],
  }),
  cmd('xlen', 2, ['readonly', 'fast'], [1, 1, 1], {
    ...G, since: '5.0.0', summary: 'The number of entries in a stream.', complexity: 'O(1)', args: [key],
  }, xlen, { keySpecs: [keySpecRange(1, 0, 1, ['RO'])] }),
  cmd('xrange', -4, ['readonly'], [1, 1, 1], {
    ...G, since: '5.0.0', summary: 'The entries of a stream between two IDs, oldest first.',
    complexity: 'O(log N) to find the start, then O(M) for the M entries returned.',
    args: [key, { name: 'start', type: 'string' }, { name: 'end', type: 'string' }, countArg],
  }, (c, a) => xrangeGeneric(c, a, false), { keySpecs: [keySpecRange(1, 0, 1, ['RO', 'access'])], history: exclusiveHistory }),
  cmd('xrevrange', -4, ['readonly'], [1, 1, 1], {
    ...G, since: '5.0.0', summary: 'The entries of a stream between two IDs, newest first.',
    complexity: 'O(log N) to find the start, then O(M) for the M entries returned.',
    args: [key, { name: 'end', type: 'string' }, { name: 'start', type: 'string' }, countArg],
  }, (c, a) => xrangeGeneric(c, a, true), { keySpecs: [keySpecRange(1, 0, 1, ['RO', 'access'])], history: exclusiveHistory }),
  cmd('xdel', -3, ['write', 'fast'], [1, 1, 1], {
    ...G, since: '5.0.0', summary: 'Delete entries from a stream by ID; returns how many existed.',
    complexity: 'O(log N) for each ID.', args: [key, { name: 'id', type: 'string', multiple: true }],
  }, xdel, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'delete'])] }),
  cmd('xtrim', -4, ['write'], [1, 1, 1], {
    ...G, since: '5.0.0', summary: 'Remove the oldest entries of a stream down to a length or up to an ID.',
    complexity: 'O(N) for the N entries removed.', tips: ['nondeterministic_output'], args: [key, trimArg(false)],
  }, xtrim, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'delete'])], history: [['6.2.0', 'Added the `MINID` trimming strategy and the `LIMIT` option.']] }),
  cmd('xsetid', -3, ['write', 'denyoom', 'fast'], [1, 1, 1], {
    ...G, since: '5.0.0', summary: 'Set the last ID (and counters) of a stream; how replicas and the AOF learn them.',
    complexity: 'O(1)',
    args: [key, { name: 'last-id', type: 'string' },
      { name: 'entries_added', type: 'integer', token: 'ENTRIESADDED', since: '7.0.0', optional: true },
      { name: 'max_deleted_entry_id', type: 'string', token: 'MAXDELETEDID', since: '7.0.0', optional: true }],
  }, xsetid, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'update'])], history: [['7.0.0', 'Added the `entries_added` and `max_deleted_entry_id` arguments.']] }),
  cmd('xread', -4, ['readonly', 'blocking'], [0, 0, 0], {
    ...G, since: '5.0.0', summary: 'Read entries after given IDs from one or more streams, optionally blocking until there are some.',
    complexity: 'O(log N + M) per stream for the M entries returned.',
    args: [countArg, { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
      { name: 'streams', type: 'block', token: 'STREAMS', args: [{ name: 'key', type: 'key', keySpecIndex: 0, multiple: true }, { name: 'id', type: 'string', multiple: true }] }],
  }, xread, { getKeys: xreadKeys, keySpecs: [keySpecKeyword('STREAMS', 1, -1, 1, ['RO', 'access'], 2)] }),
  cmd('xreadgroup', -7, ['write', 'blocking'], [0, 0, 0], {
    ...G, since: '5.0.0', summary: 'Read entries as a consumer of a group: new ones (>) or the consumer\'s pending ones, optionally blocking.',
    complexity: 'O(log N + M) per stream for the M entries returned.',
    args: [{ name: 'group_consumer', type: 'block', token: 'GROUP', args: [{ name: 'group', type: 'string' }, { name: 'consumer', type: 'string' }] },
      countArg, { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
      { name: 'noack', type: 'pure-token', token: 'NOACK', optional: true },
      { name: 'streams', type: 'block', token: 'STREAMS', args: [{ name: 'key', type: 'key', keySpecIndex: 0, multiple: true }, { name: 'id', type: 'string', multiple: true }] }],
  }, xread, { getKeys: xreadKeys, keySpecs: [keySpecKeyword('STREAMS', 4, -1, 1, ['RO', 'access'], 2)] }),
  cmd('xack', -4, ['write', 'fast'], [1, 1, 1], {
    ...G, since: '5.0.0', summary: 'Acknowledge entries of a consumer group (remove them from its pending list).',
    complexity: 'O(log N) for each ID.', args: [key, { name: 'group', type: 'string' }, { name: 'id', type: 'string', multiple: true }],
  }, xack, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'update'])] }),
  cmd('xpending', -3, ['readonly'], [1, 1, 1], {
    ...G, since: '5.0.0', summary: 'A summary of a consumer group\'s pending entries, or the entries themselves in a range.',
    complexity: 'O(N) for the N entries returned (O(M) for the summary, M the consumers).', tips: ['nondeterministic_output'],
    args: [key, { name: 'group', type: 'string' },
      { name: 'filters', type: 'block', optional: true, args: [{ name: 'min-idle-time', type: 'integer', token: 'IDLE', since: '6.2.0', optional: true }, { name: 'start', type: 'string' }, { name: 'end', type: 'string' }, { name: 'count', type: 'integer' }, { name: 'consumer', type: 'string', optional: true }] }],
  }, xpending, { keySpecs: [keySpecRange(1, 0, 1, ['RO', 'access'])], history: [['6.2.0', 'Added the `IDLE` option and exclusive range intervals.']] }),
  cmd('xclaim', -6, ['write', 'fast'], [1, 1, 1], {
    ...G, since: '5.0.0', summary: 'Take over pending entries of a consumer group that have been idle long enough.',
    complexity: 'O(log N) for each ID.', tips: ['nondeterministic_output'],
    args: [key, { name: 'group', type: 'string' }, { name: 'consumer', type: 'string' }, { name: 'min-idle-time', type: 'string' },
      { name: 'id', type: 'string', multiple: true }, { name: 'ms', type: 'integer', token: 'IDLE', optional: true },
      { name: 'unix-time-milliseconds', type: 'unix-time', token: 'TIME', optional: true }, { name: 'count', type: 'integer', token: 'RETRYCOUNT', optional: true },
      { name: 'force', type: 'pure-token', token: 'FORCE', optional: true }, { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true },
      { name: 'id', type: 'string', token: 'LASTID', optional: true }],
  }, xclaim, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'update'])] }),
  cmd('xautoclaim', -6, ['write', 'fast'], [1, 1, 1], {
    ...G, since: '6.2.0', summary: 'Claim idle pending entries of a consumer group, scanning its pending list from a cursor.',
    complexity: 'O(1) per entry examined (at most 10 times COUNT).', tips: ['nondeterministic_output'],
    args: [key, { name: 'group', type: 'string' }, { name: 'consumer', type: 'string' }, { name: 'min-idle-time', type: 'string' },
      { name: 'start', type: 'string' }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }, { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true }],
  }, xautoclaim, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'delete'])], history: [['7.0.0', 'Added an element to the reply array, containing deleted entries the command cleared from the PEL']] }),
  cmd('xgroup', -2, [], [0, 0, 0], { ...G, acl: [], since: '5.0.0', summary: 'A container for consumer group commands.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('create', -5, ['write', 'denyoom'], [2, 2, 1], {
        ...G, since: '5.0.0', summary: 'Create a consumer group (and with MKSTREAM an empty stream).', complexity: 'O(1)',
        args: [key, { name: 'groupname', type: 'string' }, groupIdArg, { name: 'mkstream', type: 'pure-token', token: 'MKSTREAM', optional: true },
          { name: 'entries_read', type: 'integer', token: 'ENTRIESREAD', optional: true }],
      }, xgroup, { keySpecs: [keySpecRange(2, 0, 1, ['RW', 'insert'])], history: [['7.0.0', 'Added the `entries_read` named argument.']] }),
      cmd('createconsumer', 5, ['write', 'denyoom'], [2, 2, 1], {
        ...G, since: '6.2.0', summary: 'Create a consumer in a consumer group.', complexity: 'O(1)', args: groupConsumerArgs,
      }, xgroup, { keySpecs: [keySpecRange(2, 0, 1, ['RW', 'insert'])] }),
      cmd('delconsumer', 5, ['write'], [2, 2, 1], {
        ...G, since: '5.0.0', summary: 'Delete a consumer from a consumer group; returns how many entries it had pending.', complexity: 'O(N) for its N pending entries.', args: groupConsumerArgs,
      }, xgroup, { keySpecs: [keySpecRange(2, 0, 1, ['RW', 'delete'])] }),
      cmd('destroy', 4, ['write'], [2, 2, 1], {
        ...G, since: '5.0.0', summary: 'Delete a consumer group.', complexity: 'O(N) for its N pending entries.', args: [key, { name: 'groupname', type: 'string' }],
      }, xgroup, { keySpecs: [keySpecRange(2, 0, 1, ['RW', 'delete'])] }),
      cmd('setid', -5, ['write'], [2, 2, 1], {
        ...G, since: '5.0.0', summary: 'Set a consumer group\'s last delivered ID (and read counter).', complexity: 'O(1)',
        args: [key, { name: 'groupname', type: 'string' }, groupIdArg, { name: 'entries_read', type: 'integer', token: 'ENTRIESREAD', optional: true }],
      }, xgroup, { keySpecs: [keySpecRange(2, 0, 1, ['RW', 'update'])], history: [['7.0.0', 'Added the optional `entries_read` argument.']] }),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '5.0.0', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)' }, (c, a) => addReplyHelp(c, a, XGROUP_HELP)),
    ],
  }),
  cmd('xinfo', -2, [], [0, 0, 0], { ...G, acl: [], since: '5.0.0', summary: 'A container for stream introspection commands.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('stream', -3, ['readonly'], [2, 2, 1], {
        ...G, since: '5.0.0', summary: 'Information about a stream (FULL: its entries, groups and consumers too).', complexity: 'O(log N) (FULL: O(N) for what it lists).',
        args: [key, { name: 'full', type: 'block', token: 'FULL', optional: true, args: [{ name: 'count', type: 'integer', token: 'COUNT', optional: true }] }],
      }, xinfo, {
        keySpecs: [keySpecRange(2, 0, 1, ['RO', 'access'])],
        history: [['6.0.0', 'Added the `FULL` modifier.'], ['7.0.0', 'Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields']],
      }),
      cmd('groups', 3, ['readonly'], [2, 2, 1], {
        ...G, since: '5.0.0', summary: 'The consumer groups of a stream.', complexity: 'O(1) per group.', args: [key],
      }, xinfo, { keySpecs: [keySpecRange(2, 0, 1, ['RO', 'access'])], history: [['7.0.0', 'Added the `entries-read` and `lag` fields']] }),
      cmd('consumers', 4, ['readonly'], [2, 2, 1], {
        ...G, since: '5.0.0', summary: 'The consumers of a consumer group.', complexity: 'O(1) per consumer.', tips: ['nondeterministic_output'],
        args: [key, { name: 'groupname', type: 'string' }],
      }, xinfo, { keySpecs: [keySpecRange(2, 0, 1, ['RO', 'access'])] }),
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '5.0.0', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)' }, xinfo),
    ],
  }),
];
