/**
 * Encodings Redis no longer writes but still reads from old RDB files: the ziplist (lists,
 * hashes and sorted sets before 7.0) and the zipmap (hashes before 2.6).
 *
 * Ziplist: 4-byte total size, 4-byte offset of the last entry, 2-byte count (all LE), the
 * entries, 0xFF. Each entry: the previous entry's size (1 byte, or 0xFE + 4 bytes LE), an
 * encoding (strings: 00pppppp / 01pppppp qqqqqqqq / 10000000 + 4 bytes, lengths big-endian;
 * integers: 0xC0 int16, 0xD0 int32, 0xE0 int64, 0xF0 int24, 0xFE int8, 0xF1..0xFD the values
 * 0..12 inline), then the data.
 *
 * Zipmap: 1-byte count (254 = unknown), then key length, key, value length, one "free" byte,
 * value, free bytes; lengths are 1 byte, or 0xFE + 4 bytes LE; 0xFF ends it.
 */
import { bytesToBinary } from './listpack';

/** Decode a ziplist's entries; null when it fails ziplistValidateIntegrity(deep). */
export function decodeZiplist(zl: Uint8Array): string[] | null {
  const size = zl.length;
  if (size < 11) return null;
  const dv = new DataView(zl.buffer, zl.byteOffset, zl.byteLength);
  if (dv.getUint32(0, true) !== size) return null;
  if (zl[size - 1] !== 0xff) return null;
  const tail = dv.getUint32(4, true);
  if (tail > size - 1) return null;
  const headerCount = dv.getUint16(8, true);
  const out: string[] = [];
  let p = 10;
  let prevRaw = 0;
  let lastEntry = -1;
  while (p < size && zl[p] !== 0xff) {
    const start = p;
    let prevlen: number;
    if (zl[p] < 254) { prevlen = zl[p]; p += 1; } else {
      if (p + 5 > size) return null;
      prevlen = dv.getUint32(p + 1, true); p += 5;
    }
    if (prevlen !== prevRaw) return null;
    if (p >= size) return null;
    const enc = zl[p];
    let value: string;
    let dataStart: number;
    let dataLen: number;
    if ((enc & 0xc0) === 0x00) {
      dataLen = enc & 0x3f; dataStart = p + 1;
    } else if ((enc & 0xc0) === 0x40) {
      if (p + 2 > size) return null;
      dataLen = ((enc & 0x3f) << 8) | zl[p + 1]; dataStart = p + 2;
    } else if (enc === 0x80) {
      if (p + 5 > size) return null;
      dataLen = ((zl[p + 1] << 24) | (zl[p + 2] << 16) | (zl[p + 3] << 8) | zl[p + 4]) >>> 0; dataStart = p + 5;
    } else {
      dataStart = p + 1;
      if (enc === 0xc0) dataLen = 2;
      else if (enc === 0xd0) dataLen = 4;
      else if (enc === 0xe0) dataLen = 8;
      else if (enc === 0xf0) dataLen = 3;
      else if (enc === 0xfe) dataLen = 1;
      else if (enc >= 0xf1 && enc <= 0xfd) dataLen = 0;
      else return null;
    }
    if (dataStart + dataLen >= size) return null; // must leave room for the terminator
    if ((enc & 0xc0) !== 0xc0) {
      value = bytesToBinary(zl, dataStart, dataStart + dataLen);
    } else if (enc === 0xc0) value = String(dv.getInt16(dataStart, true));
    else if (enc === 0xd0) value = String(dv.getInt32(dataStart, true));
    else if (enc === 0xe0) value = dv.getBigInt64(dataStart, true).toString();
    else if (enc === 0xf0) {
      let v = zl[dataStart] | (zl[dataStart + 1] << 8) | (zl[dataStart + 2] << 16);
      if (v >= 1 << 23) v -= 1 << 24;
      value = String(v);
    } else if (enc === 0xfe) value = String(dv.getInt8(dataStart));
    else value = String((enc & 0x0f) - 1);
    out.push(value);
    p = dataStart + dataLen;
    prevRaw = p - start;
    lastEntry = start;
  }
  if (p !== size - 1) return null;
  if (lastEntry >= 0 && lastEntry !== tail) return null;
  if (headerCount !== 65535 && headerCount !== out.length) return null;
  return out;
}

/** Decode a zipmap into [field, value, field, value...]; null when invalid. */
export function decodeZipmap(zm: Uint8Array): string[] | null {
  const size = zm.length;
  if (size < 2 || zm[size - 1] !== 0xff) return null;
  const out: string[] = [];
  let p = 1;
  const readLen = (): number | null => {
    if (p > size - 1) return null;
    if (zm[p] < 254) return zm[p++];
    if (zm[p] === 255) return null;
    if (p + 5 > size - 1) return null;
    const l = (zm[p + 1] | (zm[p + 2] << 8) | (zm[p + 3] << 16) | (zm[p + 4] << 24)) >>> 0;
    p += 5;
    return l;
  };
  let count = 0;
  while (p < size && zm[p] !== 0xff) {
    const kl = readLen();
    if (kl === null || p + kl > size - 1) return null;
    const key = bytesToBinary(zm, p, p + kl);
    p += kl;
    const vl = readLen();
    if (vl === null || p > size - 1) return null;
    const free = zm[p++];
    if (p + vl + free > size - 1) return null;
    out.push(key, bytesToBinary(zm, p, p + vl));
    p += vl + free;
    count++;
  }
  if (count === 0) return null;
  if (zm[0] !== 254 && zm[0] !== count) return null;
  return out;
}
