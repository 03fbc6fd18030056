/**
 * The stream family (t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID.
 *
 * The value and its node layout live in keyspace/stream.ts; this file parses arguments with
 * Redis's exact errors and does what each command notifies and propagates:
 * - XADD propagates the ID it generated (for `*` and `ms-*`), and `~` trimming as
 *   `= <what is left>` (the length for MAXLEN, the first ID for MINID), so replicas and the
 *   AOF trim exactly what the master did;
 * - XTRIM propagates only when it removed something, with the same `~` rewrite.
 */
import type { Client } from '../server/client';
import { cmd, type ArgDoc, type CommandSpec } from './table';
import { keySpecRange } from './command';
import { getLongLongOrReply, optEq, wrongType } from './util';
import {
  RStream, cmpId, decrId, idStr, incrId, ID_MAX, ID_ZERO, U64_MAX, type StreamEntry, type StreamId,
} from '../keyspace/stream';

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

function xdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const s = lookupWrite(c, key);
  if (s === null) return;
  if (s === undefined) { c.replyInt(0); return; }
  // Every ID is checked before any is deleted, so a bad one deletes nothing.
  const ids: StreamId[] = [];
  for (let j = 2; j < argv.length; j++) {
    const p = parseId(c, argv[j], 0n, true);
    if (!p) return;
    ids.push(p.id);
  }
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
];
