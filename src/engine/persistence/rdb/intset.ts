/**
 * Intset, the sorted array of integers Redis uses for small sets of integers (RDB type 11).
 *
 * Layout: 4-byte encoding (2, 4 or 8: the byte width of every element), 4-byte count, then
 * the elements in ascending order, all little-endian. The width is the smallest one that
 * holds every member.
 */
import { cmpIntStrings } from '../../keyspace/values';

/** Encode canonical integer strings (any order) as an intset blob. */
export function encodeIntset(members: string[]): Uint8Array {
  const sorted = [...members].sort(cmpIntStrings);
  let width = 2;
  for (const m of sorted) {
    if (m.length > 11) { width = 8; break; }
    const v = +m;
    if (v < -2147483648 || v > 2147483647) { width = 8; break; }
    if (v < -32768 || v > 32767) width = 4;
  }
  const out = new Uint8Array(8 + sorted.length * width);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, width, true);
  dv.setUint32(4, sorted.length, true);
  let p = 8;
  for (const m of sorted) {
    if (width === 2) dv.setInt16(p, +m, true);
    else if (width === 4) dv.setInt32(p, +m, true);
    else dv.setBigInt64(p, BigInt(m), true);
    p += width;
  }
  return out;
}

/**
 * Decode an intset blob into decimal strings. `deep` also checks that the elements are
 * strictly ascending (intsetValidateIntegrity deep mode). Null when invalid.
 */
export function decodeIntset(b: Uint8Array, deep: boolean): string[] | null {
  if (b.length < 8) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = dv.getUint32(0, true);
  if (width !== 2 && width !== 4 && width !== 8) return null;
  const count = dv.getUint32(4, true);
  if (8 + count * width !== b.length) return null;
  if (count === 0) return null;
  const out: string[] = new Array(count);
  let prev: bigint | null = null;
  for (let i = 0, p = 8; i < count; i++, p += width) {
    let s: string;
    if (width === 8) {
      const v = dv.getBigInt64(p, true);
      if (deep && prev !== null && v <= prev) return null;
      prev = v;
      s = v.toString();
    } else {
      const v = width === 2 ? dv.getInt16(p, true) : dv.getInt32(p, true);
      if (deep && prev !== null && BigInt(v) <= prev) return null;
      if (deep) prev = BigInt(v);
      s = String(v);
    }
    out[i] = s;
  }
  return out;
}
