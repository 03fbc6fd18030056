/**
 * The string family (t_string.c): GET/SET and their variants, ranges, counters, MGET/MSET, LCS.
 *
 * Propagation follows Redis 7.0 so AOF files and replication offsets match byte for byte:
 * any relative expire becomes `SET key value PXAT <ms>` or `PEXPIREAT`, INCRBYFLOAT becomes
 * `SET key value KEEPTTL`, GETSET becomes SET, GETDEL becomes DEL.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec, type KeySpec } from './table';
import { keySpecRange } from './key-specs';
import { StrEnc } from '../keyspace/db';
import { sdsNew, unsharedSds } from '../keyspace/sds';
import { addInt64, incrByFloatString, string2ll, LLONG_MAX } from '../util/numbers';
import { getLongLongOrReply, optEq, wrongType, LONG_MAX } from './util';

const G = { group: 'string', acl: ['@string'] };

const NX = 1, XX = 2, EX = 4, PX = 8, KEEPTTL = 16, GET = 32, EXAT = 64, PXAT = 128, PERSIST = 256;

/** parseExtendedStringArgumentsOrReply for SET (isSet) and GETEX. */
function parseExtended(c: Client, argv: string[], isSet: boolean): { flags: number; expire: string | null; unitMs: boolean } | null {
  let flags = 0;
  let expire: string | null = null;
  let unitMs = false;
  for (let j = isSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j];
    const hasNext = j < argv.length - 1;
    const noExpire = !(flags & (EX | EXAT | PX | PXAT));
    if (optEq(opt, 'nx') && !(flags & XX) && isSet) flags |= NX;
    else if (optEq(opt, 'xx') && !(flags & NX) && isSet) flags |= XX;
    else if (optEq(opt, 'get') && isSet) flags |= GET;
    else if (optEq(opt, 'keepttl') && !(flags & PERSIST) && noExpire && isSet) flags |= KEEPTTL;
    else if (optEq(opt, 'persist') && !isSet && noExpire && !(flags & KEEPTTL)) flags |= PERSIST;
    else if (optEq(opt, 'ex') && !(flags & (KEEPTTL | PERSIST | EXAT | PX | PXAT)) && hasNext) { flags |= EX; expire = argv[++j]; }
    else if (optEq(opt, 'px') && !(flags & (KEEPTTL | PERSIST | EX | EXAT | PXAT)) && hasNext) { flags |= PX; unitMs = true; expire = argv[++j]; }
    else if (optEq(opt, 'exat') && !(flags & (KEEPTTL | PERSIST | EX | PX | PXAT)) && hasNext) { flags |= EXAT; expire = argv[++j]; }
    else if (optEq(opt, 'pxat') && !(flags & (KEEPTTL | PERSIST | EX | EXAT | PX)) && hasNext) { flags |= PXAT; unitMs = true; expire = argv[++j]; }
    else { c.replySyntaxError(); return null; }
  }
  return { flags, expire, unitMs };
}

/** getExpireMillisecondsOrReply: absolute expire time in ms, or null after replying. */
function expireMsOrReply(c: Client, expire: string, flags: number, unitMs: boolean): number | null {
  let ms = getLongLongOrReply(c, expire);
  if (ms === null) return null;
  if (ms <= 0 || (!unitMs && ms > LONG_MAX / 1000)) {
    c.replyError(`invalid expire time in '${c.cmd!.fullname}' command`);
    return null;
  }
  if (!unitMs) ms *= 1000;
  if (flags & (PX | EX)) ms += c.server.nowMs();
  if (ms <= 0 || ms > LONG_MAX) {
    c.replyError(`invalid expire time in '${c.cmd!.fullname}' command`);
    return null;
  }
  return Math.floor(ms);
}

/** getGenericCommand: reply the value; false when the key holds another type. */
function getGeneric(c: Client, key: string): boolean {
  const v = c.db.lookupRead(key);
  if (v === undefined) { c.replyNull(); return true; }
  if (typeof v !== 'string') { c.replyWrongType(); return false; }
  c.replyBulk(v);
  return true;
}

/** setGenericCommand. */
function setGeneric(c: Client, flags: number, key: string, val: string, expire: string | null, unitMs: boolean,
  okReply?: () => void, abortReply?: () => void): void {
  let ms = 0;
  if (expire !== null) {
    const r = expireMsOrReply(c, expire, flags, unitMs);
    if (r === null) return;
    ms = r;
  }
  if (flags & GET && !getGeneric(c, key)) return;
  const found = c.db.lookupWrite(key) !== undefined;
  if ((flags & NX && found) || (flags & XX && !found)) {
    if (!(flags & GET)) (abortReply ?? (() => c.replyNull()))();
    return;
  }
  const db = c.db;
  db.set(key, val, { keepTtl: !!(flags & KEEPTTL) });
  c.server.signalModifiedKey(db, key);
  c.server.dirty++;
  c.server.notifyKeyspaceEvent('$', 'set', key, db.id);
  if (expire !== null) {
    db.setExpire(key, ms);
    c.propagateArgv = ['SET', key, val, 'PXAT', String(ms)];
    c.server.notifyKeyspaceEvent('g', 'expire', key, db.id);
  }
  if (!(flags & GET)) (okReply ?? (() => c.replyOk()))();
  if (flags & GET && expire === null) {
    c.propagateArgv = c.argv.filter((a, j) => !(j >= 3 && a.length === 3 && a.toLowerCase() === 'get'));
  }
}

function set(c: Client, argv: string[]): void {
  const p = parseExtended(c, argv, true);
  if (p) setGeneric(c, p.flags, argv[1], argv[2], p.expire, p.unitMs);
}

function setnx(c: Client, argv: string[]): void {
  setGeneric(c, NX, argv[1], argv[2], null, false, () => c.replyInt(1), () => c.replyInt(0));
}

function setex(c: Client, argv: string[]): void { setGeneric(c, EX, argv[1], argv[3], argv[2], false); }
function psetex(c: Client, argv: string[]): void { setGeneric(c, PX, argv[1], argv[3], argv[2], true); }

function get(c: Client, argv: string[]): void { getGeneric(c, argv[1]); }

function getex(c: Client, argv: string[]): void {
  const p = parseExtended(c, argv, false);
  if (!p) return;
  const db = c.db, key = argv[1], s = c.server;
  const v = db.lookupRead(key);
  if (v === undefined) { c.replyNull(); return; }
  if (wrongType(c, v, 'string')) return;
  let ms = 0;
  if (p.expire !== null) {
    const r = expireMsOrReply(c, p.expire, p.flags, p.unitMs);
    if (r === null) return;
    ms = r;
  }
  c.replyBulk(v as string);
  if (p.flags & (PXAT | EXAT) && ms <= s.nowMs() && !s.loading && !s.isReplica()) {
    db.delete(key);
    const lazy = s.config.get<boolean>('lazyfree-lazy-expire');
    c.propagateArgv = [lazy ? 'UNLINK' : 'DEL', key];
    s.signalModifiedKey(db, key);
    s.notifyKeyspaceEvent('g', 'del', key, db.id);
    s.dirty++;
  } else if (p.expire !== null) {
    db.setExpire(key, ms);
    c.propagateArgv = ['PEXPIREAT', key, String(ms)];
    s.signalModifiedKey(db, key);
    s.notifyKeyspaceEvent('g', 'expire', key, db.id);
    s.dirty++;
  } else if (p.flags & PERSIST) {
    if (db.removeExpire(key)) {
      s.signalModifiedKey(db, key);
      c.propagateArgv = ['PERSIST', key];
      s.notifyKeyspaceEvent('g', 'persist', key, db.id);
      s.dirty++;
    }
  }
}

function getdel(c: Client, argv: string[]): void {
  if (!getGeneric(c, argv[1])) return;
  const db = c.db, s = c.server;
  if (db.delete(argv[1])) {
    const lazy = s.config.get<boolean>('lazyfree-lazy-user-del');
    c.propagateArgv = [lazy ? 'UNLINK' : 'DEL', argv[1]];
    s.signalModifiedKey(db, argv[1]);
    s.notifyKeyspaceEvent('g', 'del', argv[1], db.id);
    s.dirty++;
  }
}

function getset(c: Client, argv: string[]): void {
  if (!getGeneric(c, argv[1])) return;
  c.db.set(argv[1], argv[2]);
  c.server.signalModifiedKey(c.db, argv[1]);
  c.server.notifyKeyspaceEvent('$', 'set', argv[1], c.db.id);
  c.server.dirty++;
  c.propagateArgv = ['SET', argv[1], argv[2]];
}

/** checkStringLength: refuse results larger than proto-max-bulk-len (not for our master). */
function stringTooLong(c: Client, size: number, append: number): boolean {
  if (c.isMaster) return false;
  if (size + append > c.server.config.get<number>('proto-max-bulk-len')) {
    c.replyError('string exceeds maximum allowed size (proto-max-bulk-len)');
    return true;
  }
  return false;
}

function setrange(c: Client, argv: string[]): void {
  const offset = getLongLongOrReply(c, argv[2]);
  if (offset === null) return;
  if (offset < 0) { c.replyError('offset is out of range'); return; }
  const key = argv[1], value = argv[3], db = c.db, s = c.server;
  const o = db.lookupWrite(key);
  let cur: string;
  if (o === undefined) {
    if (value.length === 0) { c.replyInt(0); return; }
    if (stringTooLong(c, offset, value.length)) return;
    cur = '';
  } else {
    if (wrongType(c, o, 'string')) return;
    cur = o as string;
    if (value.length === 0) { c.replyInt(cur.length); return; }
    if (stringTooLong(c, offset, value.length)) return;
  }
  const padded = cur.length < offset ? cur + '\0'.repeat(offset - cur.length) : cur;
  const next = padded.slice(0, offset) + value + padded.slice(offset + value.length);
  if (o === undefined) db.add(key, next, StrEnc.Raw).sds = sdsNew(next.length);
  else db.overwrite(key, next, StrEnc.Raw, unsharedSds(db.getEntry(key)!, next.length));
  s.signalModifiedKey(db, key);
  s.notifyKeyspaceEvent('$', 'setrange', key, db.id);
  s.dirty++;
  c.replyInt(next.length);
}

function getrange(c: Client, argv: string[]): void {
  let start = getLongLongOrReply(c, argv[2]);
  if (start === null) return;
  let end = getLongLongOrReply(c, argv[3]);
  if (end === null) return;
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyBulk(''); return; }
  if (wrongType(c, o, 'string')) return;
  const str = o as string;
  const len = str.length;
  if (start < 0 && end < 0 && start > end) { c.replyBulk(''); return; }
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) c.replyBulk('');
  else c.replyBulk(str.slice(start, end + 1));
}

function mget(c: Client, argv: string[]): void {
  c.replyArrayLen(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const o = c.db.lookupRead(argv[j]);
    if (typeof o === 'string') c.replyBulk(o);
    else c.replyNull();
  }
}

function msetGeneric(c: Client, argv: string[], nx: boolean): void {
  if (argv.length % 2 === 0) { c.replyArityError(); return; }
  const db = c.db, s = c.server;
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (db.lookupWrite(argv[j]) !== undefined) { c.replyInt(0); return; }
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    db.set(argv[j], argv[j + 1]);
    s.signalModifiedKey(db, argv[j]);
    s.notifyKeyspaceEvent('$', 'set', argv[j], db.id);
  }
  s.dirty += (argv.length - 1) / 2;
  if (nx) c.replyInt(1); else c.replyOk();
}

/** incrDecrCommand over the whole int64 range. */
function incrDecr(c: Client, key: string, incr: number | bigint): void {
  const db = c.db, s = c.server;
  const o = db.lookupWrite(key);
  if (wrongType(c, o, 'string')) return;
  const cur = o === undefined ? '0' : (o as string);
  if (string2ll(cur) === null) { c.replyNotInteger(); return; }
  const next = addInt64(cur, incr);
  if (next === null) { c.replyError('increment or decrement would overflow'); return; }
  if (o === undefined) db.add(key, next);
  else db.overwrite(key, next);
  s.signalModifiedKey(db, key);
  s.notifyKeyspaceEvent('$', 'incrby', key, db.id);
  s.dirty++;
  c.replyRaw(`:${next}\r\n`);
}

function incrby(c: Client, argv: string[]): void {
  if (string2ll(argv[2]) === null) { c.replyNotInteger(); return; }
  incrDecr(c, argv[1], argv[2].length > 15 ? BigInt(argv[2]) : +argv[2]);
}

function decrby(c: Client, argv: string[]): void {
  if (string2ll(argv[2]) === null) { c.replyNotInteger(); return; }
  const v = BigInt(argv[2]);
  if (v === -LLONG_MAX - 1n) { c.replyError('decrement would overflow'); return; }
  incrDecr(c, argv[1], argv[2].length > 15 ? -v : -Number(v));
}

function incrbyfloat(c: Client, argv: string[]): void {
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  if (wrongType(c, o, 'string')) return;
  const r = incrByFloatString(o === undefined ? '0' : (o as string), argv[2]);
  if ('error' in r) {
    c.replyError(r.error === 'naninf' ? 'increment would produce NaN or Infinity' : 'value is not a valid float');
    return;
  }
  if (o === undefined) db.add(key, r.value);
  db.overwrite(key, r.value, StrEnc.NoInt);
  s.signalModifiedKey(db, key);
  s.notifyKeyspaceEvent('$', 'incrbyfloat', key, db.id);
  s.dirty++;
  c.replyBulk(r.value);
  c.propagateArgv = ['SET', key, r.value, 'KEEPTTL'];
}

function append(c: Client, argv: string[]): void {
  const db = c.db, s = c.server, key = argv[1];
  const o = db.lookupWrite(key);
  let total: number;
  if (o === undefined) {
    db.add(key, argv[2]);
    total = argv[2].length;
  } else {
    if (wrongType(c, o, 'string')) return;
    const cur = o as string;
    if (stringTooLong(c, cur.length, argv[2].length)) return;
    const next = cur + argv[2];
    db.overwrite(key, next, StrEnc.Raw, unsharedSds(db.getEntry(key)!, next.length));
    total = next.length;
  }
  s.signalModifiedKey(db, key);
  s.notifyKeyspaceEvent('$', 'append', key, db.id);
  s.dirty++;
  c.replyInt(total);
}

function strlen(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) { c.replyInt(0); return; }
  if (wrongType(c, o, 'string')) return;
  c.replyInt((o as string).length);
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] — the classic DP table. */
function lcs(c: Client, argv: string[]): void {
  const oa = c.db.lookupRead(argv[1]);
  const ob = c.db.lookupRead(argv[2]);
  if ((oa !== undefined && typeof oa !== 'string') || (ob !== undefined && typeof ob !== 'string')) {
    c.replyError('The specified keys must contain string values');
    return;
  }
  const a = (oa as string | undefined) ?? '';
  const b = (ob as string | undefined) ?? '';
  let getlen = false, getidx = false, withmatchlen = false, minmatchlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    const more = argv.length - 1 - j;
    if (optEq(opt, 'idx')) getidx = true;
    else if (optEq(opt, 'len')) getlen = true;
    else if (optEq(opt, 'withmatchlen')) withmatchlen = true;
    else if (optEq(opt, 'minmatchlen') && more) {
      const v = getLongLongOrReply(c, argv[j + 1]);
      if (v === null) return;
      minmatchlen = Math.max(0, v);
      j++;
    } else { c.replySyntaxError(); return; }
  }
  if (getlen && getidx) { c.replyError('If you want both the length and indexes, please just use IDX.'); return; }
  const alen = a.length, blen = b.length;
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > c.server.config.get<number>('proto-max-bulk-len')) {
    c.replyError('Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
    return;
  }
  const T = new Uint32Array(cells);
  const W = blen + 1;
  for (let i = 1; i <= alen; i++) {
    for (let j = 1; j <= blen; j++) {
      T[i * W + j] = a.charCodeAt(i - 1) === b.charCodeAt(j - 1)
        ? T[(i - 1) * W + j - 1] + 1
        : Math.max(T[(i - 1) * W + j], T[i * W + j - 1]);
    }
  }
  let idx = T[alen * W + blen];
  const total = idx;
  const computeLcs = getidx || !getlen;
  const result: string[] = new Array(idx);
  const ranges: number[][] = [];
  let aStart = alen, aEnd = 0, bStart = 0, bEnd = 0;
  let i = alen, j = blen;
  while (computeLcs && i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      result[idx - 1] = a[i - 1];
      if (aStart === alen) { aStart = aEnd = i - 1; bStart = bEnd = j - 1; }
      else if (aStart === i && bStart === j) { aStart--; bStart--; }
      else emit = true;
      if (aStart === 0 || bStart === 0) emit = true;
      idx--; i--; j--;
    } else {
      if (T[(i - 1) * W + j] > T[i * W + j - 1]) i--; else j--;
      if (aStart !== alen) emit = true;
    }
    const matchLen = aEnd - aStart + 1;
    if (emit) {
      if (minmatchlen === 0 || matchLen >= minmatchlen) ranges.push([aStart, aEnd, bStart, bEnd, matchLen]);
      aStart = alen;
    }
  }
  if (getidx) {
    c.replyMapLen(2);
    c.replyBulk('matches');
    c.replyArrayLen(ranges.length);
    for (const r of ranges) {
      c.replyArrayLen(withmatchlen ? 3 : 2);
      c.replyArrayLen(2); c.replyInt(r[0]); c.replyInt(r[1]);
      c.replyArrayLen(2); c.replyInt(r[2]); c.replyInt(r[3]);
      if (withmatchlen) c.replyInt(r[4]);
    }
    c.replyBulk('len');
    c.replyInt(total);
  } else if (getlen) {
    c.replyInt(total);
  } else {
    c.replyBulk(result.join(''));
  }
}

const W = ['write', 'denyoom'] as const;
const RO = ['readonly'] as const;
/** Key specs (Redis 7.0.15's): INCR and friends read the value and write it back; SETEX and PSETEX replace it unread. */
const readModify: KeySpec[] = [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])];
const overwrite: KeySpec[] = [keySpecRange(1, 0, 1, ['OW', 'update'])];

export const stringCommands: CommandSpec[] = [
  cmd('get', 2, [...RO, 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Return the string value stored at a key.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }] }, get),
  cmd('set', -3, [...W], [1, 1, 1], {
    ...G, since: '1.0.0', summary: 'Set a key to a string value, optionally with an expiry and a condition.', complexity: 'O(1)',
    args: [
      { name: 'key', type: 'key' }, { name: 'value', type: 'string' },
      { name: 'condition', type: 'oneof', optional: true, since: '2.6.12', args: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }] },
      { name: 'get', type: 'pure-token', token: 'GET', optional: true, since: '6.2.0' },
      { name: 'expiration', type: 'oneof', optional: true, args: [
        { name: 'seconds', type: 'integer', token: 'EX', since: '2.6.12' },
        { name: 'milliseconds', type: 'integer', token: 'PX', since: '2.6.12' },
        { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT', since: '6.2.0' },
        { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT', since: '6.2.0' },
        { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL', since: '6.0.0' },
      ] },
    ],
  }, set, {
    keySpecs: [{ ...keySpecRange(1, 0, 1, ['RW', 'access', 'update', 'variable_flags']), notes: 'RW and ACCESS due to the optional `GET` argument' }],
    history: [['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'], ['6.0.0', 'Added the `KEEPTTL` option.'], ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
      ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.']],
  }),
  cmd('setnx', 3, [...W, 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Set a key only if it does not exist yet.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }, { name: 'value', type: 'string' }] }, setnx, { keySpecs: [keySpecRange(1, 0, 1, ['OW', 'insert'])] }),
  cmd('setex', 4, [...W], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Set a key and its time to live in seconds.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }, { name: 'seconds', type: 'integer' }, { name: 'value', type: 'string' }] }, setex, { keySpecs: overwrite }),
  cmd('psetex', 4, [...W], [1, 1, 1], { ...G, since: '2.6.0', summary: 'Set a key and its time to live in milliseconds.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }, { name: 'milliseconds', type: 'integer' }, { name: 'value', type: 'string' }] }, psetex, { keySpecs: overwrite }),
  cmd('getex', -2, ['write', 'fast'], [1, 1, 1], {
    ...G, since: '6.2.0', summary: 'Return the value of a key and optionally change its expiry.', complexity: 'O(1)',
    args: [{ name: 'key', type: 'key' }, { name: 'expiration', type: 'oneof', optional: true, args: [
      { name: 'seconds', type: 'integer', token: 'EX' }, { name: 'milliseconds', type: 'integer', token: 'PX' },
      { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' }, { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
      { name: 'persist', type: 'pure-token', token: 'PERSIST' }] }],
  }, getex, { keySpecs: [{ ...keySpecRange(1, 0, 1, ['RW', 'access', 'update']), notes: 'RW and UPDATE because it changes the TTL' }] }),
  cmd('getdel', 2, ['write', 'fast'], [1, 1, 1], { ...G, since: '6.2.0', summary: 'Return the value of a key and delete the key.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }] }, getdel, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'access', 'delete'])] }),
  cmd('getset', 3, [...W, 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Set a key and return its previous value.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }, { name: 'value', type: 'string' }] }, getset, { keySpecs: readModify, docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`SET` with the `!GET` argument' }),
  cmd('getrange', 4, [...RO], [1, 1, 1], { ...G, since: '2.4.0', summary: 'Return a substring of the value stored at a key.', complexity: 'O(N) where N is the length of the returned string.', args: [{ name: 'key', type: 'key' }, { name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }] }, getrange),
  cmd('substr', 4, [...RO], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Return a substring of the value stored at a key (old name of GETRANGE).', complexity: 'O(N) where N is the length of the returned string.', args: [{ name: 'key', type: 'key' }, { name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }] }, getrange, {
    docFlags: ['deprecated'], deprecatedSince: '2.0.0', replacedBy: '`GETRANGE`',
  }),
  cmd('setrange', 4, [...W], [1, 1, 1], { ...G, since: '2.2.0', summary: 'Overwrite part of a string starting at an offset, padding with zero bytes.', complexity: 'O(1), not counting the time taken to copy the new string in place.', args: [{ name: 'key', type: 'key' }, { name: 'offset', type: 'integer' }, { name: 'value', type: 'string' }] }, setrange),
  cmd('append', 3, [...W, 'fast'], [1, 1, 1], { ...G, since: '2.0.0', summary: 'Append a value to a string, creating the key if needed.', complexity: 'O(1) amortized.', args: [{ name: 'key', type: 'key' }, { name: 'value', type: 'string' }] }, append, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'insert'])] }),
  cmd('strlen', 2, [...RO, 'fast'], [1, 1, 1], { ...G, since: '2.2.0', summary: 'Return the length of a string value.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }] }, strlen, { keySpecs: [keySpecRange(1, 0, 1, ['RO'])] }),
  cmd('incr', 2, [...W, 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Increment the integer value of a key by one.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }] }, (c, a) => incrDecr(c, a[1], 1), { keySpecs: readModify }),
  cmd('decr', 2, [...W, 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Decrement the integer value of a key by one.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }] }, (c, a) => incrDecr(c, a[1], -1), { keySpecs: readModify }),
  cmd('incrby', 3, [...W, 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Increment the integer value of a key by an amount.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }, { name: 'increment', type: 'integer' }] }, incrby, { keySpecs: readModify }),
  cmd('decrby', 3, [...W, 'fast'], [1, 1, 1], { ...G, since: '1.0.0', summary: 'Decrement the integer value of a key by an amount.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }, { name: 'decrement', type: 'integer' }] }, decrby, { keySpecs: readModify }),
  cmd('incrbyfloat', 3, [...W, 'fast'], [1, 1, 1], { ...G, since: '2.6.0', summary: 'Increment the floating point value of a key.', complexity: 'O(1)', args: [{ name: 'key', type: 'key' }, { name: 'increment', type: 'double' }] }, incrbyfloat, { keySpecs: readModify }),
  cmd('mget', -2, [...RO, 'fast'], [1, -1, 1], { ...G, since: '1.0.0', summary: 'Return the values of several keys.', complexity: 'O(N) where N is the number of keys to retrieve.', tips: ['request_policy:multi_shard'], args: [{ name: 'key', type: 'key', multiple: true }] }, mget),
  cmd('mset', -3, [...W], [1, -1, 2], { ...G, since: '1.0.1', summary: 'Set several keys to several values.', complexity: 'O(N) where N is the number of keys to set.', tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'], args: [{ name: 'key_value', type: 'block', multiple: true, args: [{ name: 'key', type: 'key' }, { name: 'value', type: 'string' }] }] }, (c, a) => msetGeneric(c, a, false), { keySpecs: [keySpecRange(1, -1, 2, ['OW', 'update'])] }),
  cmd('msetnx', -3, [...W], [1, -1, 2], { ...G, since: '1.0.1', summary: 'Set several keys only if none of them exists.', complexity: 'O(N) where N is the number of keys to set.', tips: ['request_policy:multi_shard', 'response_policy:agg_min'], args: [{ name: 'key_value', type: 'block', multiple: true, args: [{ name: 'key', type: 'key' }, { name: 'value', type: 'string' }] }] }, (c, a) => msetGeneric(c, a, true), { keySpecs: [keySpecRange(1, -1, 2, ['OW', 'insert'])] }),
  cmd('lcs', -3, [...RO], [1, 2, 1], {
    ...G, since: '7.0.0', summary: 'Find the longest common substring of two string values.', complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
    args: [{ name: 'key1', type: 'key' }, { name: 'key2', type: 'key' }, { name: 'len', type: 'pure-token', token: 'LEN', optional: true },
      { name: 'idx', type: 'pure-token', token: 'IDX', optional: true }, { name: 'len', type: 'integer', token: 'MINMATCHLEN', optional: true },
      { name: 'withmatchlen', type: 'pure-token', token: 'WITHMATCHLEN', optional: true }],
  }, lcs),
];
