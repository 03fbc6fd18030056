/**
 * The bitmap family (bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
 * BITFIELD_RO over string values.
 *
 * Bit 0 is the most significant bit of the first byte. Reads treat a string as if it were
 * followed by zero bytes; writes first grow the string with zero bytes up to the highest byte
 * they touch (SETBIT, BITFIELD SET/INCRBY). A written string is always "raw", as Redis
 * unshares the value before changing it in place (even when no bit actually changes).
 *
 * Strings are immutable byte strings here, so a write converts the value to bytes, changes
 * them and stores a new string: O(length) per command, where Redis is O(1).
 *
 * BITFIELD integers are up to 64 bits (i64, u63), so they are computed with BigInt and
 * reproduce Redis's overflow handling: WRAP (modular, two's complement for signed), SAT
 * (clamp to the type's range) and FAIL (the operation is skipped and replies nil).
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec, type KeySpec } from './table';
import { keySpecRange } from './command';
import { getLongLongOrReply, optEq } from './util';
import { deleteStoreDestination } from './collection-util';
import { StrEnc } from '../keyspace/db';
import { sdsNew, unsharedSds } from '../keyspace/sds';
import { bytesToStr, strToBytes } from '../bytes';
import { string2ll } from '../util/numbers';

const G = { group: 'bitmap', acl: ['@bitmap'] };

const OFFSET_ERR = 'bit offset is not an integer or out of range';

/** getBitOffsetFromArgument(): a bit offset within proto-max-bulk-len bytes; `#n` means n*bits. */
function bitOffsetOrReply(c: Client, arg: string, hash: boolean, bits: number): number | null {
  const useHash = hash && bits > 0 && arg.charCodeAt(0) === 35 /* # */;
  let v = string2ll(useHash ? arg.slice(1) : arg);
  if (v === null) { c.replyError(OFFSET_ERR); return null; }
  if (useHash) v *= bits;
  const fromMaster = c.isMaster || c.id === -1;
  if (v < 0 || (!fromMaster && Math.floor(v / 8) >= c.server.hot.protoMaxBulkLen)) { c.replyError(OFFSET_ERR); return null; }
  return v;
}

/**
 * lookupStringForBitCommand(): the key's bytes grown with zeros to hold `maxbit`, creating
 * the key if needed; null (after WRONGTYPE) for another type. `dirty` is true when the key
 * was created or grown.
 */
function writableBits(c: Client, key: string, maxbit: number): { bytes: Uint8Array; dirty: boolean; created: boolean } | null {
  const v = c.db.lookupWrite(key);
  if (v !== undefined && typeof v !== 'string') { c.replyWrongType(); return null; }
  const need = Math.floor(maxbit / 8) + 1;
  if (v === undefined) return { bytes: new Uint8Array(need), dirty: true, created: true };
  if (v.length >= need) return { bytes: strToBytes(v), dirty: false, created: false };
  const bytes = new Uint8Array(need);
  for (let i = 0; i < v.length; i++) bytes[i] = v.charCodeAt(i);
  return { bytes, dirty: true, created: false };
}

/** Store the bytes back: dbAdd for a new key, else the unshared (raw) value in place. */
function storeBits(c: Client, key: string, bytes: Uint8Array, created: boolean): void {
  // A new key's value is sdsnewlen'd at its size (not trimmed like a SET value).
  if (created) c.db.add(key, bytesToStr(bytes), StrEnc.Raw).sds = sdsNew(bytes.length);
  else c.db.overwrite(key, bytesToStr(bytes), StrEnc.Raw, unsharedSds(c.db.getEntry(key)!, bytes.length));
}

function setbit(c: Client, argv: string[]): void {
  const key = argv[1];
  const offset = bitOffsetOrReply(c, argv[2], false, 0);
  if (offset === null) return;
  const on = getLongLongOrReply(c, argv[3], 'bit is not an integer or out of range');
  if (on === null) return;
  if (on !== 0 && on !== 1) { c.replyError('bit is not an integer or out of range'); return; }
  const w = writableBits(c, key, offset);
  if (!w) return;
  const byte = Math.floor(offset / 8);
  const bit = 7 - (offset % 8);
  const old = (w.bytes[byte] >> bit) & 1;
  if (w.dirty || old !== on) {
    w.bytes[byte] = (w.bytes[byte] & ~(1 << bit)) | (on << bit);
    storeBits(c, key, w.bytes, w.created);
    c.server.signalModifiedKey(c.db, key);
    c.server.notifyKeyspaceEvent('$', 'setbit', key, c.db.id);
    c.server.dirty++;
  } else {
    // Unshared even though nothing changed: the value is raw from now on.
    storeBits(c, key, w.bytes, false);
  }
  c.replyInt(old);
}

function getbit(c: Client, argv: string[]): void {
  const offset = bitOffsetOrReply(c, argv[2], false, 0);
  if (offset === null) return;
  const v = c.db.lookupRead(argv[1]);
  if (v === undefined) { c.replyInt(0); return; }
  if (typeof v !== 'string') { c.replyWrongType(); return; }
  const byte = Math.floor(offset / 8);
  c.replyInt(byte < v.length ? (v.charCodeAt(byte) >> (7 - (offset % 8))) & 1 : 0);
}

function popcount8(b: number): number {
  b = b - ((b >> 1) & 0x55);
  b = (b & 0x33) + ((b >> 2) & 0x33);
  return (b + (b >> 4)) & 0x0f;
}

/**
 * A BITCOUNT/BITPOS range in bytes: negative indexes count from the end, both ends are clamped
 * to the string (`total` bytes), and a BIT range becomes the bytes that hold it plus masks of
 * the bits outside it in the first and last byte.
 */
function byteRange(start: number, end: number, total: number, isBit: boolean): { start: number; end: number; firstMask: number; lastMask: number } {
  if (isBit) total *= 8;
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  if (!isBit || start > end) return { start, end, firstMask: 0, lastMask: 0 };
  return {
    start: Math.floor(start / 8),
    end: Math.floor(end / 8),
    firstMask: ~((1 << (8 - (start & 7))) - 1) & 0xff,
    lastMask: (1 << (7 - (end & 7))) - 1,
  };
}

/** BITCOUNT key [start end [BYTE|BIT]]. */
function bitcount(c: Client, argv: string[]): void {
  const v = c.db.lookupRead(argv[1]);
  if (v === undefined) { c.replyInt(0); return; }
  if (typeof v !== 'string') { c.replyWrongType(); return; }
  const len = v.length;
  let start: number, end: number;
  let firstMask = 0, lastMask = 0;
  if (argv.length === 4 || argv.length === 5) {
    const total = len;
    const s = getLongLongOrReply(c, argv[2]);
    if (s === null) return;
    const e = getLongLongOrReply(c, argv[3]);
    if (e === null) return;
    start = s; end = e;
    if (start < 0 && end < 0 && start > end) { c.replyInt(0); return; }
    let isBit = false;
    if (argv.length === 5) {
      if (optEq(argv[4], 'bit')) isBit = true;
      else if (!optEq(argv[4], 'byte')) { c.replySyntaxError(); return; }
    }
    ({ start, end, firstMask, lastMask } = byteRange(start, end, total, isBit));
  } else if (argv.length === 2) {
    start = 0;
    end = len - 1;
  } else {
    c.replySyntaxError();
    return;
  }
  if (start > end) { c.replyInt(0); return; }
  let count = 0;
  for (let i = start; i <= end; i++) count += popcount8(v.charCodeAt(i));
  // Bits of the edge bytes outside a BIT range were counted too: take them out again.
  if (firstMask) count -= popcount8(v.charCodeAt(start) & firstMask);
  if (lastMask) count -= popcount8(v.charCodeAt(end) & lastMask);
  c.replyInt(count);
}

/**
 * redisBitpos() over `count` bytes of `s` from `from`: the first bit equal to `bit`, -1 when
 * looking for 1 and there is none, count*8 when looking for 0 and there is none (the string
 * is taken as zero padded on the right).
 */
function bitposIn(bytes: (i: number) => number, from: number, count: number, bit: number): number {
  for (let i = 0; i < count; i++) {
    const b = bytes(from + i);
    if (b !== (bit ? 0 : 0xff)) {
      for (let k = 7; k >= 0; k--) if (((b >> k) & 1) === bit) return i * 8 + (7 - k);
    }
  }
  return bit ? -1 : count * 8;
}

/** BITPOS key bit [start [end [BYTE|BIT]]]. */
function bitpos(c: Client, argv: string[]): void {
  const bit = getLongLongOrReply(c, argv[2]);
  if (bit === null) return;
  if (bit !== 0 && bit !== 1) { c.replyError('The bit argument must be 1 or 0.'); return; }
  const v = c.db.lookupRead(argv[1]);
  if (v === undefined) { c.replyInt(bit ? -1 : 0); return; }
  if (typeof v !== 'string') { c.replyWrongType(); return; }
  const len = v.length;
  let start: number, end: number;
  let endGiven = false;
  let firstMask = 0, lastMask = 0;
  if (argv.length >= 4 && argv.length <= 6) {
    const total = len;
    const s = getLongLongOrReply(c, argv[3]);
    if (s === null) return;
    start = s;
    let isBit = false;
    if (argv.length === 6) {
      if (optEq(argv[5], 'bit')) isBit = true;
      else if (!optEq(argv[5], 'byte')) { c.replySyntaxError(); return; }
    }
    if (argv.length >= 5) {
      const e = getLongLongOrReply(c, argv[4]);
      if (e === null) return;
      end = e;
      endGiven = true;
    } else {
      end = isBit ? total * 8 + 7 : total - 1;
    }
    ({ start, end, firstMask, lastMask } = byteRange(start, end, total, isBit));
  } else if (argv.length === 3) {
    start = 0;
    end = len - 1;
  } else {
    c.replySyntaxError();
    return;
  }
  if (start > end) { c.replyInt(-1); return; }

  const at = (i: number) => v.charCodeAt(i);
  let bytes = end - start + 1;
  let pos: number;
  // The edge bytes of a BIT range are searched with the bits outside the range forced to the
  // value that is not looked for; the middle bytes are searched as they are.
  search: {
    if (firstMask) {
      let tmp = bit ? at(start) & ~firstMask & 0xff : at(start) | firstMask;
      if (lastMask && bytes === 1) tmp = bit ? tmp & ~lastMask & 0xff : tmp | lastMask;
      pos = bitposIn(() => tmp, 0, 1, bit);
      if (bytes === 1 || (pos !== -1 && pos !== 8)) break search;
      start++;
      bytes--;
    }
    const cur = bytes - (lastMask ? 1 : 0);
    if (cur > 0) {
      pos = bitposIn(at, start, cur, bit);
      if (bytes === cur || (pos !== -1 && pos !== cur * 8)) break search;
      start += cur;
      bytes -= cur;
    }
    const tmp = bit ? at(end) & ~lastMask & 0xff : at(end) | lastMask;
    pos = bitposIn(() => tmp, 0, 1, bit);
  }
  if (endGiven && bit === 0 && pos === bytes * 8) { c.replyInt(-1); return; }
  if (pos !== -1) pos += start * 8;
  c.replyInt(pos);
}

/** BITOP AND|OR|XOR|NOT destkey key [key ...]. */
function bitop(c: Client, argv: string[]): void {
  const op = argv[1];
  let kind: 'and' | 'or' | 'xor' | 'not';
  if (optEq(op, 'and')) kind = 'and';
  else if (optEq(op, 'or')) kind = 'or';
  else if (optEq(op, 'xor')) kind = 'xor';
  else if (optEq(op, 'not')) kind = 'not';
  else { c.replySyntaxError(); return; }
  if (kind === 'not' && argv.length !== 4) { c.replyError('BITOP NOT must be called with a single source key.'); return; }
  const srcs: string[] = [];
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const v = c.db.lookupRead(argv[j]);
    if (v === undefined) { srcs.push(''); continue; }
    if (typeof v !== 'string') { c.replyWrongType(); return; }
    srcs.push(v);
    if (v.length > maxlen) maxlen = v.length;
  }
  const target = argv[2];
  const s = c.server;
  if (maxlen) {
    const res = new Uint8Array(maxlen);
    for (let i = 0; i < maxlen; i++) {
      let out = i < srcs[0].length ? srcs[0].charCodeAt(i) : 0;
      if (kind === 'not') out = ~out & 0xff;
      for (let k = 1; k < srcs.length; k++) {
        const b = i < srcs[k].length ? srcs[k].charCodeAt(i) : 0;
        if (kind === 'and') out &= b;
        else if (kind === 'or') out |= b;
        else out ^= b;
      }
      res[i] = out;
    }
    // setKey() of a new raw string object.
    c.db.lookupWrite(target);
    c.db.set(target, bytesToStr(res), { enc: StrEnc.Raw });
    s.signalModifiedKey(c.db, target);
    s.notifyKeyspaceEvent('$', 'set', target, c.db.id);
    s.dirty++;
  } else {
    deleteStoreDestination(c, target);
  }
  c.replyInt(maxlen);
}

// ---- BITFIELD -------------------------------------------------------------------------------

const TYPE_ERR = 'Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

type Overflow = 'wrap' | 'sat' | 'fail';

interface BitfieldOp { op: 'get' | 'set' | 'incrby'; offset: number; value: bigint; overflow: Overflow; bits: number; signed: boolean }

/** The bits-wide unsigned integer at bit `offset` (zero past the end of `bytes`). */
function getUnsigned(bytes: (i: number) => number, offset: number, bits: number): bigint {
  let v = 0n;
  for (let j = 0; j < bits; j++, offset++) {
    const b = bytes(Math.floor(offset / 8));
    v = (v << 1n) | BigInt((b >> (7 - (offset % 8))) & 1);
  }
  return v;
}

function getSigned(bytes: (i: number) => number, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsigned(bytes, offset, bits));
}

function setBits(bytes: Uint8Array, offset: number, bits: number, value: bigint): void {
  const u = BigInt.asUintN(bits, value);
  for (let j = 0; j < bits; j++, offset++) {
    const bit = Number((u >> BigInt(bits - 1 - j)) & 1n);
    const byte = Math.floor(offset / 8), shift = 7 - (offset % 8);
    bytes[byte] = (bytes[byte] & ~(1 << shift)) | (bit << shift);
  }
}

/**
 * checkUnsigned/SignedBitfieldOverflow(): 0 when value+incr fits, else ±1 with the value the
 * overflow policy gives (wrapped or saturated). As in C, an unsigned field sees `value` as a
 * uint64, so SET u8 ... -1 is a value above the maximum (SAT gives 255), not below zero.
 */
function checkOverflow(value: bigint, incr: bigint, bits: number, signed: boolean, overflow: Overflow): { dir: number; limit: bigint } {
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  const min = signed ? -max - 1n : 0n;
  if (!signed) value = BigInt.asUintN(64, value);
  const sum = value + incr;
  const wrap = () => (signed ? BigInt.asIntN(bits, sum) : BigInt.asUintN(bits, sum));
  if (value > max || sum > max) return { dir: 1, limit: overflow === 'sat' ? max : wrap() };
  if (sum < min) return { dir: -1, limit: overflow === 'sat' ? min : wrap() };
  return { dir: 0, limit: sum };
}

function bitfieldGeneric(c: Client, argv: string[], readonlyCommand: boolean): void {
  const ops: BitfieldOp[] = [];
  let overflow: Overflow = 'wrap';
  let readonly = true;
  let highestWrite = 0;
  for (let j = 2; j < argv.length; j++) {
    const rem = argv.length - j - 1;
    const sub = argv[j];
    let op: BitfieldOp['op'];
    if (optEq(sub, 'get') && rem >= 2) op = 'get';
    else if (optEq(sub, 'set') && rem >= 3) op = 'set';
    else if (optEq(sub, 'incrby') && rem >= 3) op = 'incrby';
    else if (optEq(sub, 'overflow') && rem >= 1) {
      const t = argv[++j];
      if (optEq(t, 'wrap')) overflow = 'wrap';
      else if (optEq(t, 'sat')) overflow = 'sat';
      else if (optEq(t, 'fail')) overflow = 'fail';
      else { c.replyError('Invalid OVERFLOW type specified'); return; }
      continue;
    } else {
      c.replySyntaxError();
      return;
    }
    // getBitfieldTypeFromArgument(): i1..i64, u1..u63.
    const type = argv[j + 1];
    const signed = type[0] === 'i';
    const nulAt = type.indexOf('\0');
    const bits = type[0] === 'i' || type[0] === 'u' ? string2ll(type.slice(1, nulAt >= 0 ? nulAt : undefined)) : null;
    if (bits === null || bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) { c.replyError(TYPE_ERR); return; }
    const offset = bitOffsetOrReply(c, argv[j + 2], true, bits);
    if (offset === null) return;
    let value = 0n;
    if (op !== 'get') {
      readonly = false;
      if (highestWrite < offset + bits - 1) highestWrite = offset + bits - 1;
      if (getLongLongOrReply(c, argv[j + 3]) === null) return;
      value = BigInt(argv[j + 3]);
    }
    ops.push({ op, offset, value, overflow, bits, signed });
    j += op === 'get' ? 2 : 3;
  }

  const key = argv[1];
  let bytes: Uint8Array | null = null;
  let dirty = false, created = false;
  let readSrc: string | null = null;
  if (readonly) {
    const v = c.db.lookupRead(key);
    if (v !== undefined && typeof v !== 'string') { c.replyWrongType(); return; }
    readSrc = v ?? null;
  } else {
    if (readonlyCommand) { c.replyError('BITFIELD_RO only supports the GET subcommand'); return; }
    const w = writableBits(c, key, highestWrite);
    if (!w) return;
    ({ bytes, dirty, created } = w);
  }

  c.replyArrayLen(ops.length);
  let changes = 0;
  const readAt = (i: number) => (bytes ? (i < bytes.length ? bytes[i] : 0) : readSrc !== null && i < readSrc.length ? readSrc.charCodeAt(i) : 0);
  for (const o of ops) {
    if (o.op === 'get') {
      const v = o.signed ? getSigned(readAt, o.offset, o.bits) : getUnsigned(readAt, o.offset, o.bits);
      c.replyInt(v);
      continue;
    }
    const old = o.signed ? getSigned(readAt, o.offset, o.bits) : getUnsigned(readAt, o.offset, o.bits);
    let next: bigint, ret: bigint, fails: boolean;
    if (o.op === 'incrby') {
      const r = checkOverflow(old, o.value, o.bits, o.signed, o.overflow);
      next = r.limit;
      ret = next;
      fails = r.dir !== 0;
    } else {
      const r = checkOverflow(o.value, 0n, o.bits, o.signed, o.overflow);
      next = r.limit;
      ret = old;
      fails = r.dir !== 0;
    }
    if (fails && o.overflow === 'fail') { c.replyNull(); continue; }
    c.replyInt(ret);
    setBits(bytes!, o.offset, o.bits, next);
    if (dirty || old !== next) changes++;
  }
  if (bytes) storeBits(c, key, bytes, created);
  if (changes) {
    c.server.signalModifiedKey(c.db, key);
    c.server.notifyKeyspaceEvent('$', 'setbit', key, c.db.id);
    c.server.dirty += changes;
  }
}

const rw: KeySpec[] = [keySpecRange(1, 0, 1, ['RW', 'access', 'update'])];
const ro: KeySpec[] = [keySpecRange(1, 0, 1, ['RO', 'access'])];
const rangeArgs = (unitToken: boolean) => [{
  name: 'index', type: 'block' as const, optional: true, args: [
    { name: 'start', type: 'integer' as const }, { name: 'end', type: 'integer' as const },
    ...(unitToken ? [{ name: 'index_unit', type: 'oneof' as const, optional: true, since: '7.0.0', args: [{ name: 'byte', type: 'pure-token' as const, token: 'BYTE' }, { name: 'bit', type: 'pure-token' as const, token: 'BIT' }] }] : []),
  ],
}];

export const bitmapCommands: CommandSpec[] = [
  cmd('setbit', 4, ['write', 'denyoom'], [1, 1, 1], {
    ...G, since: '2.2.0', summary: 'Set or clear the bit at an offset of a string, returning the old bit.', complexity: 'O(1)',
    args: [{ name: 'key', type: 'key' }, { name: 'offset', type: 'integer' }, { name: 'value', type: 'integer' }],
  }, setbit, { keySpecs: rw }),
  cmd('getbit', 3, ['readonly', 'fast'], [1, 1, 1], {
    ...G, since: '2.2.0', summary: 'The bit at an offset of a string.', complexity: 'O(1)',
    args: [{ name: 'key', type: 'key' }, { name: 'offset', type: 'integer' }],
  }, getbit, { keySpecs: ro }),
  cmd('bitcount', -2, ['readonly'], [1, 1, 1], {
    ...G, since: '2.6.0', summary: 'Count the set bits of a string, optionally in a byte or bit range.', complexity: 'O(N)',
    args: [{ name: 'key', type: 'key' }, ...rangeArgs(true)],
  }, bitcount, { keySpecs: ro, history: [['7.0.0', 'Added the `BYTE|BIT` option.']] }),
  cmd('bitpos', -3, ['readonly'], [1, 1, 1], {
    ...G, since: '2.8.7', summary: 'The position of the first set or clear bit of a string.', complexity: 'O(N)',
    args: [{ name: 'key', type: 'key' }, { name: 'bit', type: 'integer' }, {
      name: 'index', type: 'block', optional: true, args: [{ name: 'start', type: 'integer' }, {
        name: 'end_index', type: 'block', optional: true, args: [{ name: 'end', type: 'integer' }, {
          name: 'index_unit', type: 'oneof', optional: true, since: '7.0.0', args: [{ name: 'byte', type: 'pure-token', token: 'BYTE' }, { name: 'bit', type: 'pure-token', token: 'BIT' }],
        }],
      }],
    }],
  }, bitpos, { keySpecs: ro, history: [['7.0.0', 'Added the `BYTE|BIT` option.']] }),
  cmd('bitop', -4, ['write', 'denyoom'], [2, -1, 1], {
    ...G, since: '2.6.0', summary: 'Bitwise AND, OR, XOR or NOT of strings, stored in a key.', complexity: 'O(N)',
    args: [{ name: 'operation', type: 'string' }, { name: 'destkey', type: 'key', keySpecIndex: 0 }, { name: 'key', type: 'key', keySpecIndex: 1, multiple: true }],
  }, bitop, { keySpecs: [keySpecRange(2, 0, 1, ['OW', 'update']), keySpecRange(3, -1, 1, ['RO', 'access'])] }),
  cmd('bitfield', -2, ['write', 'denyoom'], [1, 1, 1], {
    ...G, since: '3.2.0', summary: 'Get, set and increment integers of any width at any bit offset of a string.', complexity: 'O(1) for each subcommand specified',
    args: [{ name: 'key', type: 'key' }, {
      name: 'operation', type: 'oneof', optional: true, multiple: true, args: [
        { name: 'encoding_offset', type: 'block', token: 'GET', args: [{ name: 'encoding', type: 'string' }, { name: 'offset', type: 'integer' }] },
        { name: 'write', type: 'block', args: [{ name: 'wrap_sat_fail', type: 'oneof', token: 'OVERFLOW', optional: true, args: [{ name: 'wrap', type: 'pure-token', token: 'WRAP' }, { name: 'sat', type: 'pure-token', token: 'SAT' }, { name: 'fail', type: 'pure-token', token: 'FAIL' }] }, {
          name: 'write_operation', type: 'oneof', args: [
            { name: 'encoding_offset_value', type: 'block', token: 'SET', args: [{ name: 'encoding', type: 'string' }, { name: 'offset', type: 'integer' }, { name: 'value', type: 'integer' }] },
            { name: 'encoding_offset_increment', type: 'block', token: 'INCRBY', args: [{ name: 'encoding', type: 'string' }, { name: 'offset', type: 'integer' }, { name: 'increment', type: 'integer' }] },
          ],
        }] },
      ],
    }],
  }, (c, a) => bitfieldGeneric(c, a, false), {
    keySpecs: [{ ...keySpecRange(1, 0, 1, ['RW', 'access', 'update', 'variable_flags']), notes: 'This command allows both access and modification of the key' }],
  }),
  cmd('bitfield_ro', -2, ['readonly', 'fast'], [1, 1, 1], {
    ...G, since: '6.0.0', summary: 'BITFIELD restricted to GET, for replicas and read-only use.', complexity: 'O(1) for each subcommand specified',
    args: [{ name: 'key', type: 'key' }, { name: 'encoding_offset', type: 'block', token: 'GET', optional: true, multiple: true, multipleToken: true, args: [{ name: 'encoding', type: 'string' }, { name: 'offset', type: 'integer' }] }],
  }, (c, a) => bitfieldGeneric(c, a, true), { keySpecs: ro }),
];
