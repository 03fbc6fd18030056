/**
 * Writing RDB data: lengths, strings (with the integer and LZF encodings), doubles, and every
 * value type in the encoding Redis 7.0 itself writes for it, so that a real redis-server
 * loading our file ends up with the same OBJECT ENCODING for every key:
 *
 *   string                         type 0  (INT8/16/32 for small integers, LZF when it pays)
 *   list (quicklist)               type 18 (listpack nodes, split like quicklistPushTail)
 *   set intset / hashtable         type 11 / type 2
 *   zset listpack / skiplist       type 17 / type 5 (binary doubles, highest score first)
 *   hash listpack / hashtable      type 16 / type 4
 *
 * The same functions produce DUMP payloads (type byte + value + version + CRC64).
 */
import { ENC, QUICKLIST_PACKED, QUICKLIST_PLAIN, T } from './format';
import { ListpackWriter } from './listpack';
import { quicklistLayout } from '../../keyspace/quicklist-layout';
import { encodeIntset } from './intset';
import { lzfCompress } from './lzf';
import type { RedisValue, RList, RHash, RSet, RZSet } from '../../keyspace/values';
import { asInt64, FLAG_SAMEFIELDS, ID_ZERO, streamIdKey, type RStream, type StreamId, type StreamNode, type SortedIdMap, type StreamNack } from '../../keyspace/stream';
import { d2string } from '../../util/numbers';

/** Options that change how values are written. */
export interface EncodeOptions {
  /** rdbcompression: LZF-compress strings longer than 20 bytes when it saves space. */
  compression: boolean;
  /** list-max-listpack-size (fill): negative = byte limit level, positive = element count. */
  listFill: number;
  /** Elements at least this long get a plain quicklist node of their own (default 1 GB). */
  packedThreshold?: number;
}

/** A growable output buffer with the RDB primitive writers. */
export class RdbWriter {
  buf: Uint8Array;
  len = 0;
  private scratch = new Uint8Array(256);

  constructor(readonly opts: EncodeOptions, initial = 1 << 16) {
    this.buf = new Uint8Array(initial);
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Raw byte string (no length prefix). */
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.len = p;
  }

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit big-endian length. */
  length(n: number): void {
    this.ensure(9);
    const b = this.buf;
    if (n < 64) {
      b[this.len++] = n;
    } else if (n < 16384) {
      b[this.len++] = 0x40 | (n >>> 8);
      b[this.len++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      b[this.len++] = 0x80;
      b[this.len++] = n >>> 24; b[this.len++] = (n >>> 16) & 0xff; b[this.len++] = (n >>> 8) & 0xff; b[this.len++] = n & 0xff;
    } else {
      b[this.len++] = 0x81;
      let v = BigInt(n);
      for (let i = 7; i >= 0; i--) { b[this.len + i] = Number(v & 0xffn); v >>= 8n; }
      this.len += 8;
    }
  }

  /** rdbSaveLen of a full unsigned 64-bit value (stream IDs, counters that may be -1). */
  lengthBig(v: bigint): void {
    v = BigInt.asUintN(64, v);
    if (v <= 0xffffffffn) { this.length(Number(v)); return; }
    this.ensure(9);
    const b = this.buf;
    b[this.len++] = 0x81;
    for (let i = 7; i >= 0; i--) { b[this.len + i] = Number(v & 0xffn); v >>= 8n; }
    this.len += 8;
  }

  /** 8-byte little-endian millisecond time (EXPIRETIME_MS). */
  millis(ms: number | bigint): void {
    this.ensure(8);
    const v = BigInt.asUintN(64, typeof ms === 'bigint' ? ms : BigInt(Math.trunc(ms)));
    const lo = Number(v & 0xffffffffn), hi = Number(v >> 32n);
    const b = this.buf, p = this.len;
    b[p] = lo & 0xff; b[p + 1] = (lo >>> 8) & 0xff; b[p + 2] = (lo >>> 16) & 0xff; b[p + 3] = lo >>> 24;
    b[p + 4] = hi & 0xff; b[p + 5] = (hi >>> 8) & 0xff; b[p + 6] = (hi >>> 16) & 0xff; b[p + 7] = hi >>> 24;
    this.len += 8;
  }

  /** IEEE-754 binary64, little-endian (ZSET_2 scores). */
  binaryDouble(d: number): void {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 8).setFloat64(0, d, true);
    this.len += 8;
  }

  /**
   * rdbSaveRawString: integers of up to 11 chars that fit in 32 bits use the INT8/16/32
   * encodings; strings over 20 bytes are LZF-compressed when compression is on and it
   * saves at least 4 bytes; everything else is length + bytes.
   */
  string(s: string): void {
    const n = s.length;
    if (n <= 11 && n > 0 && this.tryIntEncoding(s)) return;
    if (n > 20 && this.opts.compression) {
      if (this.scratch.length < n) this.scratch = new Uint8Array(Math.max(n, this.scratch.length * 2));
      const tmp = this.scratch.subarray(0, n);
      for (let i = 0; i < n; i++) tmp[i] = s.charCodeAt(i);
      if (this.tryLzf(tmp)) return;
    }
    this.length(n);
    this.ascii(s);
  }

  /** rdbSaveRawString for a binary blob (listpacks, intsets, quicklist nodes). */
  blob(b: Uint8Array): void {
    if (b.length > 20 && this.opts.compression && this.tryLzf(b)) return;
    this.length(b.length);
    this.bytes(b);
  }

  private tryLzf(data: Uint8Array): boolean {
    if (data.length <= 4) return false;
    const c = lzfCompress(data, data.length - 4);
    if (!c) return false;
    this.byte(0xc0 | ENC.LZF);
    this.length(c.length);
    this.length(data.length);
    this.bytes(c);
    return true;
  }

  /** The INT8/16/32 string encodings for canonical integers in range. */
  private tryIntEncoding(s: string): boolean {
    let i = 0;
    const n = s.length;
    const neg = s.charCodeAt(0) === 45;
    if (neg) { if (n === 1) return false; i = 1; }
    const c0 = s.charCodeAt(i);
    if (c0 === 48) {
      if (n !== 1) return false;
    } else if (c0 < 49 || c0 > 57) return false;
    let v = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return false;
      v = v * 10 + (c - 48);
    }
    if (neg) v = -v;
    return this.intEncoded(v);
  }

  /** rdbEncodeInteger: write v as an encoded integer if it fits 32 bits. */
  intEncoded(v: number): boolean {
    this.ensure(5);
    const b = this.buf;
    if (v >= -128 && v <= 127) {
      b[this.len++] = 0xc0 | ENC.INT8; b[this.len++] = v & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      b[this.len++] = 0xc0 | ENC.INT16; b[this.len++] = v & 0xff; b[this.len++] = (v >> 8) & 0xff;
    } else if (v >= -2147483648 && v <= 2147483647) {
      b[this.len++] = 0xc0 | ENC.INT32;
      b[this.len++] = v & 0xff; b[this.len++] = (v >> 8) & 0xff; b[this.len++] = (v >> 16) & 0xff; b[this.len++] = (v >>> 24) & 0xff;
    } else {
      return false;
    }
    return true;
  }

  /** Everything written so far (a view, valid until the next write). */
  view(): Uint8Array { return this.buf.subarray(0, this.len); }
}

/** rdbSaveObjectType: the type byte for a value in its current encoding. */
export function objectType(v: RedisValue): number {
  if (typeof v === 'string') return T.STRING;
  switch (v.type) {
    case 'list': return T.LIST_QUICKLIST_2;
    case 'set': return v.encoding === 'intset' ? T.SET_INTSET : T.SET;
    case 'zset': return v.encoding === 'listpack' ? T.ZSET_LISTPACK : T.ZSET_2;
    case 'hash': return v.encoding === 'listpack' ? T.HASH_LISTPACK : T.HASH;
    case 'stream': return T.STREAM_LISTPACKS_2;
  }
}

/** rdbSaveObject: the value in the encoding matching objectType(). */
export function writeValue(w: RdbWriter, v: RedisValue): void {
  if (typeof v === 'string') { w.string(v); return; }
  switch (v.type) {
    case 'list': writeList(w, v); return;
    case 'set': writeSet(w, v); return;
    case 'zset': writeZset(w, v); return;
    case 'hash': writeHash(w, v); return;
    case 'stream': writeStream(w, v); return;
  }
}

/** The listpack of a stream node, byte for byte as streamAppendItem (and XDEL/XTRIM) leave it. */
export { streamIdKey };

export function streamNodeListpack(n: StreamNode): Uint8Array {
  const lp = new ListpackWriter(n.bytes);
  lp.appendInt(n.valid);
  lp.appendInt(n.deleted);
  lp.appendInt(n.masterFields.length);
  for (const f of n.masterFields) lp.appendString(f);
  lp.appendInt(0);
  for (const e of n.entries) {
    const same = (e.flags & FLAG_SAMEFIELDS) !== 0;
    const numFields = e.fv.length / 2;
    lp.appendInt(e.flags);
    lp.appendInt(asInt64(e.id.ms - n.master.ms));
    lp.appendInt(asInt64(e.id.seq - n.master.seq));
    if (!same) lp.appendInt(numFields);
    for (let i = 0; i < e.fv.length; i++) if (!same || (i & 1)) lp.appendString(e.fv[i]);
    lp.appendInt(numFields + 3 + (same ? 0 : numFields + 1));
  }
  return lp.finish();
}

function writeStreamId(w: RdbWriter, id: StreamId): void {
  w.lengthBig(id.ms);
  w.lengthBig(id.seq);
}

/** rdbSaveStreamPEL: the count, then each raw 16-byte ID (with its NACK for a group's PEL). */
function writePel(w: RdbWriter, pel: SortedIdMap<StreamNack>, withNacks: boolean): void {
  w.length(pel.size);
  for (const [id, nack] of pel.range(ID_ZERO)) {
    w.ascii(streamIdKey(id));
    if (withNacks) {
      w.millis(nack.deliveryTime);
      w.length(nack.deliveryCount);
    }
  }
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** STREAM_LISTPACKS_2: nodes (key, listpack), metadata, then consumer groups in name order. */
function writeStream(w: RdbWriter, s: RStream): void {
  w.length(s.nodes.length);
  for (const n of s.nodes) {
    w.string(streamIdKey(n.master));
    w.blob(streamNodeListpack(n));
  }
  w.length(s.length);
  writeStreamId(w, s.lastId);
  writeStreamId(w, s.firstId);
  writeStreamId(w, s.maxDeletedId);
  w.lengthBig(BigInt(s.entriesAdded));
  const groups = s.groups ? [...s.groups.values()].sort((a, b) => byteOrder(a.name, b.name)) : [];
  w.length(groups.length);
  for (const g of groups) {
    w.string(g.name);
    writeStreamId(w, g.lastId);
    w.lengthBig(BigInt(g.entriesRead));
    writePel(w, g.pel, true);
    const consumers = [...g.consumers.values()].sort((a, b) => byteOrder(a.name, b.name));
    w.length(consumers.length);
    for (const c of consumers) {
      w.string(c.name);
      w.millis(c.seenTime);
      writePel(w, c.pel, false);
    }
  }
}

/** The quicklist nodes of `l` (quicklist-layout.ts): listpacks, and PLAIN nodes as raw strings. */
export function listToNodes(l: RList, fill: number, packedThreshold?: number): (Uint8Array | string)[] {
  return quicklistLayout(l, fill, packedThreshold).map((node) => {
    if (node.plain) return l.get(node.start);
    const lp = new ListpackWriter(node.bytes);
    for (let i = node.start; i < node.start + node.count; i++) lp.appendString(l.get(i));
    return lp.finish();
  });
}

function writeList(w: RdbWriter, l: RList): void {
  const nodes = listToNodes(l, w.opts.listFill, w.opts.packedThreshold);
  w.length(nodes.length);
  for (const n of nodes) {
    if (typeof n === 'string') {
      w.length(QUICKLIST_PLAIN);
      w.string(n);
    } else {
      w.length(QUICKLIST_PACKED);
      w.blob(n);
    }
  }
}

function writeSet(w: RdbWriter, s: RSet): void {
  if (s.encoding === 'intset') {
    w.blob(encodeIntset([...s.set]));
    return;
  }
  w.length(s.set.size);
  for (const m of s.set) w.string(m);
}

/** double2ll(): the score as an exact int64 when it has no fractional part and is in range. */
export function scoreAsInteger(d: number): number | bigint | null {
  if (!Number.isInteger(d) || d < -4611686018427387903 || d > 4611686018427387903) return null;
  return Number.isSafeInteger(d) ? d + 0 : BigInt(d); // + 0 turns -0 into 0
}

/** The listpack a small sorted set is kept in: member, score, member, score... by rank. */
export function zsetListpack(z: RZSet): Uint8Array {
  const lp = new ListpackWriter(64);
  for (const node of z.zsl) {
    lp.appendString(node.member);
    const asInt = scoreAsInteger(node.score);
    if (asInt !== null) lp.appendInt(asInt);
    else lp.appendString(d2string(node.score));
  }
  return lp.finish();
}

function writeZset(w: RdbWriter, z: RZSet): void {
  if (z.encoding === 'listpack') {
    w.blob(zsetListpack(z));
    return;
  }
  // Highest score first, so loading inserts each element at the head of the skiplist.
  w.length(z.zsl.length);
  for (let n = z.zsl.tail; n !== null; n = n.backward) {
    w.string(n.member);
    w.binaryDouble(n.score);
  }
}

/** The listpack a small hash is kept in: field, value, field, value... in insertion order. */
export function hashListpack(h: RHash): Uint8Array {
  const lp = new ListpackWriter(64);
  for (const [f, v] of h.map) { lp.appendString(f); lp.appendString(v); }
  return lp.finish();
}

function writeHash(w: RdbWriter, h: RHash): void {
  if (h.encoding === 'listpack') {
    w.blob(hashListpack(h));
    return;
  }
  w.length(h.map.size);
  for (const [f, v] of h.map) { w.string(f); w.string(v); }
}
