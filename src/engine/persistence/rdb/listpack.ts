/**
 * Listpack, Redis 7.0's compact sequence of strings and integers, as it appears inside RDB
 * files (small hashes and sorted sets, quicklist nodes) and DUMP payloads.
 *
 * Layout: 4-byte total size (LE), 2-byte element count (LE, 65535 = "too many to count"),
 * the entries, and a 0xFF terminator. Each entry is an encoding byte (which also carries the
 * length of short strings or the value of small integers), the data, and a "backlen": the
 * size of encoding+data written in 7-bit groups from the end, so the listpack can be walked
 * backwards. A string that is a canonical int64 is always stored as an integer, in the
 * smallest of the 7/13/16/24/32/64-bit forms.
 *
 * Elements are handed around as byte strings; integers decode to their decimal text, which
 * is exactly what Redis returns for them.
 */

const LP_HDR_SIZE = 6;
const LP_EOF = 0xff;
const NUMELE_UNKNOWN = 65535;

/** lpStringToInt64: the value when `s` is a canonical int64 (at most 20 chars), else null. */
export function lpStringToInt64(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n >= 21) return null;
  if (n === 1 && s === '0') return 0n;
  let i = 0;
  if (s.charCodeAt(0) === 45) { if (n === 1) return null; i = 1; }
  const c0 = s.charCodeAt(i);
  if (c0 < 49 || c0 > 57) return null;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  if (n <= 15) return BigInt(+s);
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v;
}

/** Small-value fast path for lpStringToInt64 (returns a JS number when it fits 2^31). */
function smallInt(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 10) return null;
  if (n === 1) { const c = s.charCodeAt(0); return c >= 48 && c <= 57 ? c - 48 : null; }
  let i = 0;
  if (s.charCodeAt(0) === 45) i = 1;
  const c0 = s.charCodeAt(i);
  if (c0 < 49 || c0 > 57) return null;
  let v = c0 - 48;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  if (v > 2147483647) return null;
  return s.charCodeAt(0) === 45 ? -v : v;
}

/** lpBytes of an empty listpack: the header and the terminator. */
export const LISTPACK_EMPTY_BYTES = LP_HDR_SIZE + 1;

/** The bytes `s` takes as a listpack entry (encoding, data and backlen), as appendString writes it. */
export function listpackEntryBytes(s: string): number {
  let v: number | bigint | null = smallInt(s);
  if (v === null && s.length >= 11 && s.length <= 20) v = lpStringToInt64(s);
  let size: number;
  if (v === null) {
    const n = s.length;
    size = (n < 64 ? 1 : n < 4096 ? 2 : 5) + n;
  } else {
    const num = Number(v);
    size = num >= 0 && num <= 127 ? 1 : num >= -4096 && num <= 4095 ? 2 : num >= -32768 && num <= 32767 ? 3
      : num >= -8388608 && num <= 8388607 ? 4 : num >= -2147483648 && num <= 2147483647 ? 5 : 9;
  }
  return size + backlenSize(size);
}

/** Builds a listpack by appending elements, like lpAppend/lpAppendInteger. */
export class ListpackWriter {
  private buf: Uint8Array;
  private len = LP_HDR_SIZE;
  count = 0;

  constructor(capacity = 64) { this.buf = new Uint8Array(Math.max(capacity, 16)); }

  /** Bytes used so far, including header and terminator (lpBytes after the appends). */
  get bytes(): number { return this.len + 1; }

  private ensure(extra: number): void {
    if (this.len + extra + 1 <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra + 1) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }

  /** Append a byte string; canonical integers are stored in integer form. */
  appendString(s: string): void {
    const small = smallInt(s);
    if (small !== null) { this.appendInt(small); return; }
    if (s.length >= 11 && s.length <= 20) {
      const big = lpStringToInt64(s);
      if (big !== null) { this.appendInt(big); return; }
    }
    const n = s.length;
    const head = n < 64 ? 1 : n < 4096 ? 2 : 5;
    this.ensure(head + n + 5);
    const b = this.buf;
    let p = this.len;
    if (n < 64) {
      b[p++] = 0x80 | n;
    } else if (n < 4096) {
      b[p++] = 0xe0 | (n >> 8);
      b[p++] = n & 0xff;
    } else {
      b[p++] = 0xf0;
      b[p++] = n & 0xff; b[p++] = (n >>> 8) & 0xff; b[p++] = (n >>> 16) & 0xff; b[p++] = (n >>> 24) & 0xff;
    }
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.len = p;
    this.writeBacklen(head + n);
    this.count++;
  }

  /** Append an integer in the smallest encoding. */
  appendInt(v: number | bigint): void {
    this.ensure(9 + 5);
    const b = this.buf;
    let p = this.len;
    let size: number;
    const num = typeof v === 'bigint' && v >= -2147483648n && v <= 2147483647n ? Number(v) : v;
    if (typeof num === 'number') {
      if (num >= 0 && num <= 127) {
        b[p++] = num; size = 1;
      } else if (num >= -4096 && num <= 4095) {
        const u = num < 0 ? (1 << 13) + num : num;
        b[p++] = (u >> 8) | 0xc0; b[p++] = u & 0xff; size = 2;
      } else if (num >= -32768 && num <= 32767) {
        const u = num < 0 ? 65536 + num : num;
        b[p++] = 0xf1; b[p++] = u & 0xff; b[p++] = u >> 8; size = 3;
      } else if (num >= -8388608 && num <= 8388607) {
        const u = num < 0 ? (1 << 24) + num : num;
        b[p++] = 0xf2; b[p++] = u & 0xff; b[p++] = (u >> 8) & 0xff; b[p++] = u >> 16; size = 4;
      } else if (num >= -2147483648 && num <= 2147483647) {
        const u = num >>> 0;
        b[p++] = 0xf3; b[p++] = u & 0xff; b[p++] = (u >>> 8) & 0xff; b[p++] = (u >>> 16) & 0xff; b[p++] = u >>> 24; size = 5;
      } else {
        p = this.put64(BigInt(num), p); size = 9;
      }
    } else {
      p = this.put64(num, p); size = 9;
    }
    this.len = p;
    this.writeBacklen(size);
    this.count++;
  }

  private put64(v: bigint, p: number): number {
    const b = this.buf;
    let u = BigInt.asUintN(64, v);
    b[p++] = 0xf4;
    for (let i = 0; i < 8; i++) { b[p++] = Number(u & 0xffn); u >>= 8n; }
    return p;
  }

  /** lpEncodeBacklen: the entry size in 7-bit groups, most significant first. */
  private writeBacklen(l: number): void {
    const b = this.buf;
    let p = this.len;
    if (l <= 127) {
      b[p++] = l;
    } else if (l < 16383) {
      b[p++] = l >>> 7; b[p++] = (l & 127) | 128;
    } else if (l < 2097151) {
      b[p++] = l >>> 14; b[p++] = ((l >>> 7) & 127) | 128; b[p++] = (l & 127) | 128;
    } else if (l < 268435455) {
      b[p++] = l >>> 21; b[p++] = ((l >>> 14) & 127) | 128; b[p++] = ((l >>> 7) & 127) | 128; b[p++] = (l & 127) | 128;
    } else {
      b[p++] = Math.floor(l / 2 ** 28); b[p++] = ((l >>> 21) & 127) | 128; b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128; b[p++] = (l & 127) | 128;
    }
    this.len = p;
  }

  /** The finished listpack (header filled in, terminator appended). */
  finish(): Uint8Array {
    this.ensure(0);
    const b = this.buf;
    b[this.len] = LP_EOF;
    const total = this.len + 1;
    b[0] = total & 0xff; b[1] = (total >>> 8) & 0xff; b[2] = (total >>> 16) & 0xff; b[3] = total >>> 24;
    const numele = this.count < NUMELE_UNKNOWN ? this.count : NUMELE_UNKNOWN;
    b[4] = numele & 0xff; b[5] = numele >>> 8;
    return b.slice(0, total);
  }
}

/** Backlen bytes needed for an entry of `l` bytes. */
function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/**
 * Decode a listpack into its elements. With `deep` every entry is validated the way
 * lpValidateIntegrity(deep=1) does (encodings, bounds, backlen, element count); without it
 * only the header is checked like Redis does when loading an RDB, but entries are still
 * bounds-checked since we have to read them. Returns null on any inconsistency.
 * `checkCount` is off for stream listpacks: Redis validates their entries one by one
 * (lpValidateNext) but never compares the header's element count.
 */
export function decodeListpack(lp: Uint8Array, deep: boolean, checkCount = deep): string[] | null {
  const size = lp.length;
  if (size < LP_HDR_SIZE + 1) return null;
  const total = (lp[0] | (lp[1] << 8) | (lp[2] << 16) | (lp[3] << 24)) >>> 0;
  if (total !== size) return null;
  if (lp[size - 1] !== LP_EOF) return null;
  const numele = lp[4] | (lp[5] << 8);
  const out: string[] = [];
  let p = LP_HDR_SIZE;
  const end = size - 1;
  while (p < end) {
    const e = lp[p];
    let hdr: number;
    let dataLen: number;
    let value: string;
    if ((e & 0x80) === 0) {
      hdr = 1; dataLen = 0; value = String(e);
    } else if ((e & 0xc0) === 0x80) {
      hdr = 1; dataLen = e & 0x3f;
      if (p + 1 + dataLen > end) return null;
      value = bytesToBinary(lp, p + 1, p + 1 + dataLen);
    } else if ((e & 0xe0) === 0xc0) {
      if (p + 2 > end) return null;
      hdr = 2; dataLen = 0;
      let u = ((e & 0x1f) << 8) | lp[p + 1];
      if (u >= 1 << 12) u -= 1 << 13;
      value = String(u);
    } else if ((e & 0xf0) === 0xe0) {
      if (p + 2 > end) return null;
      hdr = 2; dataLen = ((e & 0x0f) << 8) | lp[p + 1];
      if (p + 2 + dataLen > end) return null;
      value = bytesToBinary(lp, p + 2, p + 2 + dataLen);
    } else if (e === 0xf0) {
      if (p + 5 > end) return null;
      hdr = 5; dataLen = (lp[p + 1] | (lp[p + 2] << 8) | (lp[p + 3] << 16) | (lp[p + 4] << 24)) >>> 0;
      if (p + 5 + dataLen > end) return null;
      value = bytesToBinary(lp, p + 5, p + 5 + dataLen);
    } else if (e === 0xf1) {
      if (p + 3 > end) return null;
      hdr = 3; dataLen = 0;
      let u = lp[p + 1] | (lp[p + 2] << 8);
      if (u >= 32768) u -= 65536;
      value = String(u);
    } else if (e === 0xf2) {
      if (p + 4 > end) return null;
      hdr = 4; dataLen = 0;
      let u = lp[p + 1] | (lp[p + 2] << 8) | (lp[p + 3] << 16);
      if (u >= 1 << 23) u -= 1 << 24;
      value = String(u);
    } else if (e === 0xf3) {
      if (p + 5 > end) return null;
      hdr = 5; dataLen = 0;
      value = String(lp[p + 1] | (lp[p + 2] << 8) | (lp[p + 3] << 16) | (lp[p + 4] << 24));
    } else if (e === 0xf4) {
      if (p + 9 > end) return null;
      hdr = 9; dataLen = 0;
      let u = 0n;
      for (let i = 8; i >= 1; i--) u = (u << 8n) | BigInt(lp[p + i]);
      value = BigInt.asIntN(64, u).toString();
    } else {
      return null; // 0xf5..0xfe are not valid encodings; 0xff here means a bad header
    }
    const entryLen = hdr + dataLen;
    const bl = backlenSize(entryLen);
    if (p + entryLen + bl > end) return null;
    if (deep) {
      // The backlen must decode to the entry size (lpDecodeBacklen reads from the entry's
      // last byte back while the high bit is set; only the value is compared, not how many
      // bytes it took).
      let val = 0;
      let shift = 0;
      let q = p + entryLen + bl - 1;
      for (;;) {
        val += (lp[q] & 127) * 2 ** shift;
        if (!(lp[q] & 128)) break;
        shift += 7;
        q--;
        if (shift > 28) return null;
      }
      if (val !== entryLen) return null;
    }
    out.push(value);
    p += entryLen + bl;
  }
  if (p !== end) return null;
  if (checkCount && numele !== NUMELE_UNKNOWN && numele !== out.length) return null;
  return out;
}

/** Bytes [start, end) as a byte string. */
export function bytesToBinary(b: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return '';
  if (n === 1) return String.fromCharCode(b[start]);
  // fromCharCode.apply makes a flat string in one go; building it with += creates a chain
  // of intermediate strings that costs more than the RDB parsing itself.
  if (n <= 8192) return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  let s = '';
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode.apply(null, b.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return s;
}
