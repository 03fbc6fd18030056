/**
 * Reading RDB data: the primitives (lengths, encoded strings, doubles, times) and every value
 * type Redis 7.0 can load, including the encodings older versions wrote (linked lists,
 * ziplists, zipmaps, quicklist v1, text-score sorted sets).
 *
 * Values are rebuilt with the encoding a real 7.0 server would pick after loading them, using
 * the same thresholds (hash-max-listpack-entries, set-max-intset-entries, ...), so OBJECT
 * ENCODING agrees with Redis after a restart.
 *
 * Errors follow rdb.c: a short read is a plain EOF (the caller reports "Unexpected EOF
 * reading RDB file"); corruption found while decoding is reported with rdb.c's message and
 * source line (the line numbers of the Debian 7.0.15 build, which tools print), and the
 * caller decides whether that means exiting, a RESTORE error or a redis-check-rdb report.
 * The read position only advances on successful reads, like rio's processed_bytes.
 */
import { ENC, MODULE_OPCODE, QUICKLIST_PACKED, QUICKLIST_PLAIN, T } from './format';
import { bytesToBinary, decodeListpack } from './listpack';
import { validateStreamListpack } from './stream-listpack';
import {
  RStream, StreamNode, SortedIdMap, cmpId, FLAG_SAMEFIELDS, type StreamConsumer, type StreamGroup, type StreamId,
} from '../../keyspace/stream';
import { decodeIntset } from './intset';
import { decodeZiplist, decodeZipmap } from './legacy-encodings';
import { lzfDecompress } from './lzf';
import { RHash, RList, RSet, RZSet, type RedisValue } from '../../keyspace/values';
import { isInt64String } from '../../util/numbers';

/**
 * Line numbers of rdb.c in the Debian redis-server 7.0.15 build (as printed in errors), each
 * checked against that build where redis-check-rdb can reach them (its deep sanitizing
 * catches the cases of duplicateHashFields and streamEmptyListpack first: those follow the
 * shift around them). Its security patches shifted upstream's numbering: by nothing
 * up to rdbGenericLoadStringObject, one line from the module value checker to the zipmap
 * checks, two from the old list encodings to the stream PEL, one from the stream consumers,
 * and nine after the PEL ownership check it added.
 */
export const RDB_C_LINE = {
  unknownLengthEncoding: 236,
  invalidLzf: 413,
  unknownStringEncoding: 529,
  moduleValueInt: 1540, moduleValueString: 1546, moduleValueFloat: 1553, moduleValueDouble: 1559,
  setOom: 1785, duplicateSetMembers: 1809, duplicateSetMembers2: 1829,
  zsetOom: 1851, zsetNan: 1882, duplicateZsetFields: 1894,
  hashDupElements: 1951, duplicateHashFields: 1969, hashOom: 1996, duplicateHashFields2: 2019,
  quicklistIntegrity: 2048, listpackIntegrity: 2071, ziplistIntegrity: 2081,
  zipmapIntegrity: 2130, zipmapDup: 2154, listZiplistIntegrity: 2189, intsetIntegrity: 2214,
  zsetZiplistIntegrity: 2229, zsetListpackIntegrity: 2255, hashZiplistIntegrity: 2275,
  hashListpackIntegrity: 2301,
  streamListpacksLen: 2327, streamMasterId: 2338, streamNodeKey: 2343, streamListpacks: 2355,
  streamListpackIntegrity: 2362, streamEmptyListpack: 2374, streamNodeReAdded: 2386, streamMetadata: 2424,
  streamLengthInconsistent: 2430, streamCgroupCount: 2438, streamCgroupName: 2449, streamCgroupId: 2458,
  streamCgroupOffset: 2469, streamDupCgroup: 2480, streamPelSize: 2495, streamPelId: 2502, streamPelNack: 2510,
  streamDupPel: 2516, streamConsumersNum: 2527, streamConsumerName: 2534, streamDupConsumer: 2543,
  streamSeenTime: 2549, streamConsumerPelNum: 2558, streamConsumerPelId: 2566, streamConsumerPelMissing: 2573,
  streamPelClaimedTwice: 2583, streamPelWithoutConsumer: 2611,
  moduleShortRead: 2622, moduleNoMatch: 2636,
  unknownEncodingType: 2681,
  badWhenOpcode: 3066,
  duplicateKey: 3184,
  crcError: 3225,
  unexpectedEof: 3249,
} as const;

/**
 * Allocations of this many bytes fail on the machine the real tools run on (x86-64: a
 * 47-bit user address space; below it Linux's overcommit lets jemalloc map anything), and
 * rdb.c reports the failures it checks for: a short read for strings, "OOM in dictTryExpand"
 * for the hash tables it sizes from a set, sorted set or hash length up front.
 */
const MAX_ALLOCATION_BYTES = 2 ** 47;

/**
 * dictTryExpand(len) fails: its table of 8-byte pointers, `len` rounded up to a power of
 * two, cannot be allocated. A table whose byte size overflows 64 bits is refused before any
 * allocation, and dictTryExpand only reports allocation failures, so those pass.
 */
function dictExpandFails(len: bigint): boolean {
  if (len <= 4n) return false;
  let size = 4n;
  if (len >= (1n << 63n) - 1n) size = 1n << 63n;
  else while (size < len) size <<= 1n;
  const bytes = size * 8n;
  if (bytes >= 1n << 64n) return false;
  return bytes >= BigInt(MAX_ALLOCATION_BYTES);
}

/** A short read: the data ended before the structure did. */
export class RdbEof extends Error {
  constructor() { super('Unexpected EOF reading RDB file'); }
}

/** An error rdb.c reports through rdbReportCorruptRDB / rdbReportReadError. */
export class RdbReportedError extends Error {
  constructor(readonly corruption: boolean, readonly line: number, message: string) { super(message); }
}

const corrupt = (line: number, msg: string) => new RdbReportedError(true, line, msg);

/** Thresholds that decide the encoding of loaded values (server config). */
export interface LoadLimits {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
}

export const DEFAULT_LIMITS: LoadLimits = {
  hashMaxListpackEntries: 512, hashMaxListpackValue: 64, setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64,
};

export interface DecodeOptions {
  limits: LoadLimits;
  /** sanitize-dump-payload semantics: validate every entry of compact encodings. */
  deep: boolean;
  /** redis-check-rdb: module values are walked generically instead of rejected. */
  checkMode: boolean;
}

/** A value the engine cannot hold (streams, module types) that was read and skipped. */
export interface SkippedValue { skipped: 'stream' | 'module'; name?: string }

/** An empty aggregate (Redis skips these keys with a warning). */
export const EMPTY_KEY = Symbol('empty-key');

export type DecodedValue = RedisValue | SkippedValue | typeof EMPTY_KEY;

export function isSkipped(v: DecodedValue): v is SkippedValue {
  return typeof v === 'object' && v !== null && 'skipped' in v;
}

export class RdbReader {
  pos = 0;

  constructor(readonly buf: Uint8Array, pos = 0) { this.pos = pos; }

  get remaining(): number { return this.buf.length - this.pos; }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new RdbEof();
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /**
   * rdbLoadLenByRef: the length, or the special encoding number when `encoded`. The first
   * byte is one read and the 1, 4 or 8 bytes after it another, so a length cut short after
   * its first byte leaves the position past that byte, as rio's processed_bytes does.
   */
  lengthRef(): { len: number; encoded: boolean } {
    const b0 = this.byte();
    const type = (b0 & 0xc0) >> 6;
    if (type === 3) return { len: b0 & 0x3f, encoded: true };
    if (type === 0) return { len: b0 & 0x3f, encoded: false };
    if (type === 1) return { len: ((b0 & 0x3f) << 8) | this.byte(), encoded: false };
    if (b0 === 0x80) {
      const b = this.bytes(4);
      return { len: ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0, encoded: false };
    }
    if (b0 === 0x81) {
      const b = this.bytes(8);
      let v = 0n;
      for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(b[i]);
      return { len: Number(v), encoded: false };
    }
    throw corrupt(RDB_C_LINE.unknownLengthEncoding, `Unknown length encoding ${type} in rdbLoadLen()`);
  }

  /** rdbLoadLen as the exact 64-bit value (for the counts rdb.c prints back). */
  lengthExact(): bigint {
    if (this.pos < this.buf.length && this.buf[this.pos] === 0x81) {
      this.pos++;
      const b = this.bytes(8);
      let v = 0n;
      for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(b[i]);
      return v;
    }
    return BigInt(this.lengthRef().len);
  }

  /** rdbLoadLen(rdb, NULL): encoded markers read as their 6-bit number. */
  length(): number {
    return this.lengthRef().len;
  }

  /** rdbGenericLoadStringObject as a byte string. */
  string(): string {
    this.need(1);
    const b0 = this.buf[this.pos];
    let len: number;
    if (b0 < 0x40) { // the common case: a 6-bit length, no allocation for the length
      this.pos++;
      len = b0;
    } else if (b0 >= 0xc0) {
      this.pos++;
      return this.encodedString(b0 & 0x3f);
    } else {
      len = this.lengthRef().len;
    }
    this.need(len);
    const s = bytesToBinary(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** rdbGenericLoadStringObject(RDB_LOAD_PLAIN): the raw bytes of a string. */
  blob(): Uint8Array {
    const { len, encoded } = this.lengthRef();
    if (encoded) {
      if (len === ENC.LZF) return this.lzf();
      const s = this.encodedString(len);
      const out = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
      return out;
    }
    return this.bytes(len);
  }

  private encodedString(enc: number): string {
    switch (enc) {
      case ENC.INT8: { this.need(1); const v = this.buf[this.pos++]; return String(v >= 128 ? v - 256 : v); }
      case ENC.INT16: {
        this.need(2);
        let v = this.buf[this.pos] | (this.buf[this.pos + 1] << 8);
        this.pos += 2;
        if (v >= 32768) v -= 65536;
        return String(v);
      }
      case ENC.INT32: {
        this.need(4);
        const b = this.buf, p = this.pos;
        this.pos += 4;
        return String(b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24));
      }
      case ENC.LZF: return bytesToBinary(...lzfRange(this.lzf()));
      default:
        throw corrupt(RDB_C_LINE.unknownStringEncoding, `Unknown RDB string encoding type ${enc}`);
    }
  }

  private lzf(): Uint8Array {
    const clen = this.length();
    const len = this.length();
    // rdbLoadLzfStringObject allocates the output before reading the input; when that
    // fails the load ends like a short read, before the compressed bytes.
    if (len >= MAX_ALLOCATION_BYTES) throw new RdbEof();
    const c = this.bytes(clen);
    if (len === 0) return new Uint8Array(0);
    const out = lzfDecompress(c, len);
    if (!out) throw corrupt(RDB_C_LINE.invalidLzf, 'Invalid LZF compressed string');
    return out;
  }

  /** 8-byte little-endian integer (EXPIRETIME_MS), exact. */
  millisExact(): bigint {
    this.need(8);
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8);
    this.pos += 8;
    return dv.getBigInt64(0, true);
  }

  /** 8-byte little-endian integer as a number (rounded beyond 2^53). */
  millis(): number {
    return Number(this.millisExact());
  }

  /** 4-byte little-endian seconds (legacy EXPIRETIME). */
  seconds(): number {
    this.need(4);
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4);
    this.pos += 4;
    return dv.getInt32(0, true);
  }

  binaryDouble(): number {
    this.need(8);
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8);
    this.pos += 8;
    return dv.getFloat64(0, true);
  }

  binaryFloat(): number {
    this.need(4);
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4);
    this.pos += 4;
    return dv.getFloat32(0, true);
  }

  /** rdbLoadDoubleValue: the old text form with 253/254/255 for nan/+inf/-inf. */
  textDouble(): number {
    const len = this.byte();
    if (len === 255) return -Infinity;
    if (len === 254) return Infinity;
    if (len === 253) return NaN;
    const s = bytesToBinary(this.bytes(len), 0, len);
    const v = scanDouble(s);
    if (v === null) throw new RdbEof(); // rdb.c treats a failed sscanf like a short read
    return v;
  }
}

function lzfRange(b: Uint8Array): [Uint8Array, number, number] { return [b, 0, b.length]; }

/** sscanf("%lg"): leading space, optional sign, inf/nan or a decimal/hex prefix. */
function scanDouble(s: string): number | null {
  const t = s.replace(/^[ \t\n\v\f\r]+/, '');
  const special = /^([+-]?)(inf(inity)?|nan)/i.exec(t);
  if (special) {
    if (special[2].toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(t);
  if (!m) return null;
  return Number(m[0]);
}

/** Parse a zset listpack/ziplist score element (integer or strtod text). */
function scoreFromElement(s: string): number {
  const v = Number(s);
  if (!Number.isNaN(v) || s === 'nan') return v;
  if (/^[+-]?inf/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  return scanDouble(s) ?? 0;
}

/** Canonical int64 members can live in an intset. */
function isIntsetMember(s: string): boolean {
  return s.length <= 20 && isInt64String(s);
}

/**
 * rdbLoadObject: read one value of `type`. Returns the value, EMPTY_KEY for an empty
 * aggregate, or a SkippedValue for types the engine cannot hold.
 */
export function readObject(r: RdbReader, type: number, opts: DecodeOptions): DecodedValue {
  const L = opts.limits;
  switch (type) {
    case T.STRING:
      return r.string();

    case T.LIST: {
      const n = r.length();
      if (n === 0) return EMPTY_KEY;
      const l = new RList();
      for (let i = 0; i < n; i++) l.pushTail(r.string());
      return l;
    }

    case T.SET: {
      const exact = r.lengthExact();
      const n = Number(exact);
      if (n === 0) return EMPTY_KEY;
      const s = new RSet();
      if (n > Math.min(L.setMaxIntsetEntries, 1 << 30)) {
        s.encoding = 'hashtable';
        if (dictExpandFails(exact)) throw corrupt(RDB_C_LINE.setOom, `OOM in dictTryExpand ${exact}`);
      }
      for (let i = 0; i < n; i++) {
        const m = r.string();
        if (s.encoding === 'intset' && !isIntsetMember(m)) s.encoding = 'hashtable';
        if (s.set.has(m)) {
          throw corrupt(s.encoding === 'intset' ? RDB_C_LINE.duplicateSetMembers : RDB_C_LINE.duplicateSetMembers2, 'Duplicate set members detected');
        }
        s.set.add(m);
      }
      return s;
    }

    case T.ZSET:
    case T.ZSET_2: {
      const exact = r.lengthExact();
      const n = Number(exact);
      if (n === 0) return EMPTY_KEY;
      if (dictExpandFails(exact)) throw corrupt(RDB_C_LINE.zsetOom, `OOM in dictTryExpand ${exact}`);
      const z = new RZSet();
      let maxLen = 0;
      for (let i = 0; i < n; i++) {
        const m = r.string();
        const score = type === T.ZSET_2 ? r.binaryDouble() : r.textDouble();
        if (Number.isNaN(score)) throw corrupt(RDB_C_LINE.zsetNan, 'Zset with NAN score detected');
        if (m.length > maxLen) maxLen = m.length;
        if (z.dict.has(m)) throw corrupt(RDB_C_LINE.duplicateZsetFields, 'Duplicate zset fields detected');
        z.set(m, score);
      }
      z.encoding = z.length <= L.zsetMaxListpackEntries && maxLen <= L.zsetMaxListpackValue ? 'listpack' : 'skiplist';
      return z;
    }

    case T.HASH: {
      const exact = r.lengthExact();
      const n = Number(exact);
      if (n === 0) return EMPTY_KEY;
      const h = new RHash();
      if (n > L.hashMaxListpackEntries) {
        h.encoding = 'hashtable';
        if (dictExpandFails(exact)) throw corrupt(RDB_C_LINE.hashOom, `OOM in dictTryExpand ${exact}`);
      }
      for (let i = 0; i < n; i++) {
        const f = r.string();
        const v = r.string();
        const dup = h.map.has(f);
        if (h.encoding === 'listpack') {
          // While still a listpack Redis only looks for duplicates when sanitizing; the field
          // that triggers the conversion to a hash table is checked by dictAdd.
          if (dup && opts.deep) throw corrupt(RDB_C_LINE.hashDupElements, 'Hash with dup elements');
          if (f.length > L.hashMaxListpackValue || v.length > L.hashMaxListpackValue) {
            h.encoding = 'hashtable';
            if (dup) throw corrupt(RDB_C_LINE.duplicateHashFields, 'Duplicate hash fields detected');
          }
        } else if (dup) {
          throw corrupt(RDB_C_LINE.duplicateHashFields2, 'Duplicate hash fields detected');
        }
        h.map.set(f, v);
      }
      return h;
    }

    case T.LIST_QUICKLIST:
    case T.LIST_QUICKLIST_2: {
      const n = r.length();
      if (n === 0) return EMPTY_KEY;
      const l = new RList();
      for (let i = 0; i < n; i++) {
        let container = QUICKLIST_PACKED;
        if (type === T.LIST_QUICKLIST_2) {
          container = r.length();
          if (container !== QUICKLIST_PACKED && container !== QUICKLIST_PLAIN) {
            throw corrupt(RDB_C_LINE.quicklistIntegrity, 'Quicklist integrity check failed.');
          }
        }
        const data = r.blob();
        if (data.length === 0) throw new RdbEof();
        if (container === QUICKLIST_PLAIN) { l.pushTail(bytesToBinary(data, 0, data.length)); continue; }
        if (type === T.LIST_QUICKLIST_2) {
          const items = decodeListpack(data, opts.deep);
          if (!items) throw corrupt(RDB_C_LINE.listpackIntegrity, 'Listpack integrity check failed.');
          for (const it of items) l.pushTail(it);
        } else {
          const items = decodeZiplist(data);
          if (!items) throw corrupt(RDB_C_LINE.ziplistIntegrity, 'Ziplist integrity check failed.');
          for (const it of items) l.pushTail(it);
        }
      }
      if (l.length === 0) return EMPTY_KEY;
      return l;
    }

    case T.HASH_ZIPMAP: {
      const data = r.blob();
      const pairs = decodeZipmap(data);
      if (!pairs) throw corrupt(RDB_C_LINE.zipmapIntegrity, 'Zipmap integrity check failed.');
      const h = new RHash();
      let maxLen = 0;
      for (let i = 0; i < pairs.length; i += 2) {
        if (h.map.has(pairs[i])) throw corrupt(RDB_C_LINE.zipmapDup, `Hash zipmap with dup elements, or big length (${pairs[i].length})`);
        maxLen = Math.max(maxLen, pairs[i].length, pairs[i + 1].length);
        h.map.set(pairs[i], pairs[i + 1]);
      }
      if (h.map.size > L.hashMaxListpackEntries || maxLen > L.hashMaxListpackValue) h.encoding = 'hashtable';
      return h;
    }

    case T.LIST_ZIPLIST: {
      const items = decodeZiplist(r.blob());
      if (!items) throw corrupt(RDB_C_LINE.listZiplistIntegrity, 'List ziplist integrity check failed.');
      if (items.length === 0) return EMPTY_KEY;
      return new RList(items);
    }

    case T.SET_INTSET: {
      const items = decodeIntset(r.blob(), opts.deep);
      if (!items) throw corrupt(RDB_C_LINE.intsetIntegrity, 'Intset integrity check failed.');
      const s = new RSet();
      for (const m of items) s.set.add(m);
      if (s.set.size > L.setMaxIntsetEntries) s.encoding = 'hashtable';
      return s;
    }

    case T.ZSET_ZIPLIST:
    case T.ZSET_LISTPACK: {
      const data = r.blob();
      const items = type === T.ZSET_ZIPLIST ? decodeZiplist(data) : decodeListpack(data, opts.deep);
      const line = type === T.ZSET_ZIPLIST ? RDB_C_LINE.zsetZiplistIntegrity : RDB_C_LINE.zsetListpackIntegrity;
      const msg = type === T.ZSET_ZIPLIST ? 'Zset ziplist integrity check failed.' : 'Zset listpack integrity check failed.';
      if (!items || items.length % 2 !== 0) throw corrupt(line, msg);
      const z = new RZSet();
      for (let i = 0; i < items.length; i += 2) {
        if (z.dict.has(items[i]) && (opts.deep || type === T.ZSET_ZIPLIST)) throw corrupt(line, msg);
        z.set(items[i], scoreFromElement(items[i + 1]));
      }
      if (z.length === 0) return EMPTY_KEY;
      if (z.length > L.zsetMaxListpackEntries) z.encoding = 'skiplist';
      return z;
    }

    case T.HASH_ZIPLIST:
    case T.HASH_LISTPACK: {
      const data = r.blob();
      const items = type === T.HASH_ZIPLIST ? decodeZiplist(data) : decodeListpack(data, opts.deep);
      const line = type === T.HASH_ZIPLIST ? RDB_C_LINE.hashZiplistIntegrity : RDB_C_LINE.hashListpackIntegrity;
      const msg = type === T.HASH_ZIPLIST ? 'Hash ziplist integrity check failed.' : 'Hash listpack integrity check failed.';
      if (!items || items.length % 2 !== 0) throw corrupt(line, msg);
      const h = new RHash();
      for (let i = 0; i < items.length; i += 2) {
        if (h.map.has(items[i]) && (opts.deep || type === T.HASH_ZIPLIST)) throw corrupt(line, msg);
        h.map.set(items[i], items[i + 1]);
      }
      if (h.map.size === 0) return EMPTY_KEY;
      if (h.map.size > L.hashMaxListpackEntries) h.encoding = 'hashtable';
      return h;
    }

    case T.STREAM_LISTPACKS:
    case T.STREAM_LISTPACKS_2:
      return loadStream(r, type, opts);

    case T.MODULE:
    case T.MODULE_2: {
      let moduleId: bigint;
      try {
        moduleId = readLength64(r);
      } catch (e) {
        if (e instanceof RdbEof) throw new RdbReportedError(false, RDB_C_LINE.moduleShortRead, 'Short read module id');
        throw e;
      }
      const name = moduleTypeName(moduleId);
      if (opts.checkMode && type === T.MODULE_2) {
        skipModuleValue(r, name);
        return { skipped: 'module', name };
      }
      throw corrupt(RDB_C_LINE.moduleNoMatch, `The RDB file contains module data I can't load: no matching module type '${name}'`);
    }

    default:
      throw new RdbReportedError(false, RDB_C_LINE.unknownEncodingType, `Unknown RDB encoding type ${type}`);
  }
}

/** A length read as a 64-bit value (module ids use the full range). */
function readLength64(r: RdbReader): bigint {
  const b0 = r.buf[r.pos];
  if (b0 === 0x81) {
    r.byte();
    const b = r.bytes(8);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(b[i]);
    return v;
  }
  return BigInt(r.length());
}

const MODULE_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** moduleTypeNameByID: the 9-char type name packed in the top 54 bits of the id. */
export function moduleTypeName(id: bigint): string {
  let v = id >> 10n;
  const chars: string[] = [];
  for (let j = 0; j < 9; j++) { chars.unshift(MODULE_CHARSET[Number(v & 63n)]); v >>= 6n; }
  return chars.join('');
}

/** rdbLoadCheckModuleValue: walk a MODULE_2 value's typed opcodes up to its EOF marker. */
export function skipModuleValue(r: RdbReader, name: string): void {
  for (;;) {
    const opcode = r.length();
    if (opcode === MODULE_OPCODE.EOF) return;
    try {
      if (opcode === MODULE_OPCODE.SINT || opcode === MODULE_OPCODE.UINT) r.lengthRef();
      else if (opcode === MODULE_OPCODE.STRING) r.string();
      else if (opcode === MODULE_OPCODE.FLOAT) r.binaryFloat();
      else if (opcode === MODULE_OPCODE.DOUBLE) r.binaryDouble();
    } catch (e) {
      if (!(e instanceof RdbEof)) throw e;
      const what = opcode === MODULE_OPCODE.STRING ? 'string' : opcode === MODULE_OPCODE.FLOAT ? 'float' : opcode === MODULE_OPCODE.DOUBLE ? 'double' : 'integer';
      const line = opcode === MODULE_OPCODE.STRING ? RDB_C_LINE.moduleValueString : opcode === MODULE_OPCODE.FLOAT ? RDB_C_LINE.moduleValueFloat
        : opcode === MODULE_OPCODE.DOUBLE ? RDB_C_LINE.moduleValueDouble : RDB_C_LINE.moduleValueInt;
      throw corrupt(line, `Error reading ${what} from module ${name} value`);
    }
  }
}

/**
 * Read a stream value (listpacks, metadata, consumer groups, PELs) into an RStream.
 * Each step that can fall short has its own message in rdb.c (a read error, reported with
 * the position where the short read started), and the consistency checks between the
 * parts (duplicate node keys, groups, consumers and PEL entries, PEL entries nobody owns)
 * are corruption reports.
 */
function loadStream(r: RdbReader, type: number, opts: DecodeOptions): RStream {
  const v2 = type === T.STREAM_LISTPACKS_2;
  /** Run a read; a short read becomes rdb.c's read error for that step. */
  const step = <V>(line: number, msg: string, read: () => V): V => {
    try { return read(); } catch (e) {
      if (e instanceof RdbEof) throw new RdbReportedError(false, line, msg);
      throw e;
    }
  };
  const s = new RStream();
  const listpacks = step(RDB_C_LINE.streamListpacksLen, 'Stream listpacks len loading failed.', () => r.length());
  const nodeKeys = new Set<string>();
  for (let i = 0; i < listpacks; i++) {
    const nodeKey = step(RDB_C_LINE.streamMasterId, 'Stream master ID loading failed: invalid encoding or I/O error.', () => r.string());
    if (nodeKey.length !== 16) throw corrupt(RDB_C_LINE.streamNodeKey, 'Stream node key entry is not the size of a stream ID');
    const lp = step(RDB_C_LINE.streamListpacks, 'Stream listpacks loading failed.', () => r.blob());
    const items = validateStreamListpack(lp, opts.deep);
    if (!items) throw corrupt(RDB_C_LINE.streamListpackIntegrity, 'Stream listpack integrity check failed.');
    if (items.length === 0) throw corrupt(RDB_C_LINE.streamEmptyListpack, 'Empty listpack inside stream');
    if (nodeKeys.has(nodeKey)) throw corrupt(RDB_C_LINE.streamNodeReAdded, 'Listpack re-added with existing key');
    nodeKeys.add(nodeKey);
    const node = streamNodeFromListpack(decodeStreamId(nodeKey, 0), items);
    if (node) s.nodes.push(node);
  }
  // Nodes are keyed by master ID: the radix tree orders them whatever the file's order.
  s.nodes.sort((a, b) => cmpId(a.master, b.master));
  // Length, last ID and (v2) first ID, max deleted ID and entries added: rdb.c reads them
  // all and checks for a read error once.
  step(RDB_C_LINE.streamMetadata, 'Stream object metadata loading failed.', () => {
    s.length = r.length();
    s.lastId = { ms: readLength64(r), seq: readLength64(r) };
    if (v2) {
      s.firstId = { ms: readLength64(r), seq: readLength64(r) };
      s.maxDeletedId = { ms: readLength64(r), seq: readLength64(r) };
      s.entriesAdded = Number(readLength64(r));
    } else {
      s.entriesAdded = s.length;
      s.firstId = s.edgeId(true, true);
    }
  });
  if (s.length !== 0 && nodeKeys.size === 0) throw corrupt(RDB_C_LINE.streamLengthInconsistent, 'Stream length inconsistent with rax entries');
  const groups = step(RDB_C_LINE.streamCgroupCount, 'Stream cgroup count loading failed.', () => r.length());
  const groupNames = new Set<string>();
  for (let g = 0; g < groups; g++) {
    const name = step(RDB_C_LINE.streamCgroupName, 'Error reading the consumer group name from Stream', () => r.string());
    const lastId = step(RDB_C_LINE.streamCgroupId, 'Stream cgroup ID loading failed.', () => ({ ms: readLength64(r), seq: readLength64(r) }));
    // v1 files have no read counter: it is estimated from the group's last ID.
    const entriesRead = v2
      ? step(RDB_C_LINE.streamCgroupOffset, 'Stream cgroup offset loading failed.', () => Number(BigInt.asIntN(64, readLength64(r))))
      : s.estimateDistance(lastId);
    if (groupNames.has(name)) throw corrupt(RDB_C_LINE.streamDupCgroup, `Duplicated consumer group name ${cstring(name)}`);
    groupNames.add(name);
    const group: StreamGroup = { name, lastId, entriesRead, pel: new SortedIdMap(), consumers: new Map() };
    /** The group's PEL: entry ID → whether a consumer claimed it. */
    const pel = new Map<string, boolean>();
    const pelSize = step(RDB_C_LINE.streamPelSize, 'Stream PEL size loading failed.', () => r.length());
    for (let i = 0; i < pelSize; i++) {
      const id = step(RDB_C_LINE.streamPelId, 'Stream PEL ID loading failed.', () => bytesToBinary(r.bytes(16), 0, 16));
      const nack = step(RDB_C_LINE.streamPelNack, 'Stream PEL NACK loading failed.', () => ({ deliveryTime: r.millis(), deliveryCount: r.length(), consumer: null }));
      if (pel.has(id)) throw corrupt(RDB_C_LINE.streamDupPel, 'Duplicated global PEL entry loading stream consumer group');
      pel.set(id, false);
      group.pel.set(decodeStreamId(id, 0), nack);
    }
    const consumers = step(RDB_C_LINE.streamConsumersNum, 'Stream consumers num loading failed.', () => r.length());
    for (let c = 0; c < consumers; c++) {
      const cname = step(RDB_C_LINE.streamConsumerName, 'Error reading the consumer name from Stream group.', () => r.string());
      if (group.consumers.has(cname)) throw corrupt(RDB_C_LINE.streamDupConsumer, 'Duplicate stream consumer detected.');
      const seenTime = step(RDB_C_LINE.streamSeenTime, 'Stream short read reading seen time.', () => r.millis());
      const consumer: StreamConsumer = { name: cname, seenTime, pel: new SortedIdMap() };
      group.consumers.set(cname, consumer);
      const cpel = step(RDB_C_LINE.streamConsumerPelNum, 'Stream consumer PEL num loading failed.', () => r.length());
      for (let i = 0; i < cpel; i++) {
        const id = step(RDB_C_LINE.streamConsumerPelId, 'Stream short read reading PEL streamID.', () => bytesToBinary(r.bytes(16), 0, 16));
        if (!pel.has(id)) throw corrupt(RDB_C_LINE.streamConsumerPelMissing, 'Consumer entry not found in group global PEL');
        // The Debian build refuses a PEL entry a consumer already claimed (this one or an
        // earlier one), which also covers upstream's duplicate-in-one-consumer check.
        if (pel.get(id)) throw corrupt(RDB_C_LINE.streamPelClaimedTwice, 'Stream consumer PEL entry already has a consumer assigned');
        pel.set(id, true);
        const sid = decodeStreamId(id, 0);
        const nack = group.pel.get(sid)!;
        nack.consumer = consumer;
        consumer.pel.set(sid, nack);
      }
    }
    if (opts.deep) {
      for (const claimed of pel.values()) {
        if (!claimed) throw corrupt(RDB_C_LINE.streamPelWithoutConsumer, 'Stream CG PEL entry without consumer');
      }
    }
    (s.groups ??= new Map()).set(name, group);
  }
  return s;
}

/** A 128-bit big-endian stream ID (node keys, PEL IDs) from a byte string at `at`. */
function decodeStreamId(b: string, at: number): StreamId {
  let ms = 0n, seq = 0n;
  for (let i = 0; i < 8; i++) ms = (ms << 8n) | BigInt(b.charCodeAt(at + i));
  for (let i = 8; i < 16; i++) seq = (seq << 8n) | BigInt(b.charCodeAt(at + i));
  return { ms, seq };
}

/**
 * A node from its listpack elements: the master entry (valid count, deleted count, fields,
 * 0) then each entry (flags, ms and seq deltas, [field count, fields,] values, lp-count).
 * Null when the elements do not follow that layout (a shallow load of a damaged node).
 */
function streamNodeFromListpack(master: StreamId, items: string[]): StreamNode | null {
  let p = 0;
  const int = (): bigint => { const x = items[p++]; return x !== undefined && /^-?\d+$/.test(x) ? BigInt(x) : 0n; };
  int(); int();
  const nMaster = Number(int());
  const fields = items.slice(p, p + nMaster);
  p += nMaster + 1;
  const node = new StreamNode(master, fields);
  while (p < items.length) {
    const flags = Number(int());
    const ms = BigInt.asUintN(64, master.ms + int());
    const seq = BigInt.asUintN(64, master.seq + int());
    let fv: string[];
    if (flags & FLAG_SAMEFIELDS) {
      fv = [];
      for (let i = 0; i < nMaster; i++) fv.push(fields[i], items[p++]);
    } else {
      const n = Number(int());
      fv = items.slice(p, p + n * 2);
      p += n * 2;
    }
    p++; // lp-count
    if (fv.some((x) => x === undefined)) return null;
    node.push({ ms, seq }, fv, flags);
  }
  // rdbLoad allocates each listpack to its exact length.
  node.fitAlloc();
  return node.entries.length ? node : null;
}

/** What printf's %s shows of a byte string (it stops at the first NUL). */
function cstring(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}
