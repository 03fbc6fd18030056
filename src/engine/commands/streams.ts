/**
 * The stream family (t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID, XREAD,
 * XREADGROUP; the consumer-group commands (XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO)
 * are in stream-groups.ts, the shared ID parsing and lookups in stream-args.ts.
 *
 * The value and its node layout live in keyspace/stream.ts; this file parses arguments with
 * Redis's exact errors and does what each command notifies and propagates:
 * - XADD propagates the ID it generated (for `*` and `ms-*`), and `~` trimming as
 *   `= <what is left>` (the length for MAXLEN, the first ID for MINID), so replicas and the
 *   AOF trim exactly what the master did;
 * - XTRIM propagates only when it removed something, with the same `~` rewrite;
 * - XREADGROUP is never propagated as itself (its deliveries go out as XCLAIMs: see
 *   stream-groups.ts).
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
import { addReplyHelp } from './help';
import {
  RStream, cmpId, decrId, idStr, incrId, ID_MAX, ID_ZERO, U64_MAX, type StreamEntry, type StreamGroup, type StreamId,
} from '../keyspace/stream';
import { Lookup } from '../keyspace/db';
import {
  parseId, parseIntervalId, parseIds, lookupRead, lookupWrite, replyEntry, cStr,
} from './stream-args';
import {
  lookupGroup, createConsumer, lookupConsumer, propagateConsumerCreation, type GroupRead, replyRange, XGROUP_HELP, xgroup, xack, xpending, xclaim, xautoclaim, xinfo,
} from './stream-groups';

const G = { group: 'stream', acl: ['@stream'] };

function nodeLimits(c: Client): [maxBytes: number, maxEntries: number] {
  return [c.server.config.get<number>('stream-node-max-bytes'), c.server.config.get<number>('stream-node-max-entries')];
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

/** XREAD_BLOCKED_DEFAULT_COUNT: how many entries a blocked XREAD without COUNT gets. */
const BLOCKED_DEFAULT_COUNT = 1000;

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
      // Scripts get an error rather than the non-blocking fallback (kept for compatibility).
      if (c.isScript) { c.replyError(`${argv[0]} command is not allowed with BLOCK option from scripts`); return; }
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
