/**
 * CRC-64/Jones as Redis uses it for RDB files and DUMP payloads.
 *
 * Parameters: polynomial 0xad93d23594c935a9, input and output reflected (so the table is built
 * from the bit-reversed polynomial 0x95ac9329ac4bc9b5), initial value 0, no final xor. Check
 * value: crc64("123456789") = 0xe9c6d914c4b8d9ca. The checksum is stored little-endian.
 *
 * JS has no fast 64-bit integers, so the running value is kept as two unsigned 32-bit halves
 * and the table as two Uint32Arrays. A reflected CRC processes one byte as:
 *   crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8)
 * which on the halves is a shift across the boundary plus two xors. We use "slicing by 8"
 * (eight derived tables, eight bytes per step) because RDB files can be large and the
 * checksum is computed over every byte written or read.
 */

const REFLECTED_POLY_HI = 0x95ac9329;
const REFLECTED_POLY_LO = 0xac4bc9b5;

/** tableHi[k*256 + i] / tableLo[...]: CRC of byte i followed by k zero bytes. */
const tableHi = new Uint32Array(256 * 8);
const tableLo = new Uint32Array(256 * 8);

(function buildTables() {
  for (let i = 0; i < 256; i++) {
    let hi = 0;
    let lo = i;
    for (let bit = 0; bit < 8; bit++) {
      const lsb = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (lsb) { hi = (hi ^ REFLECTED_POLY_HI) >>> 0; lo = (lo ^ REFLECTED_POLY_LO) >>> 0; }
    }
    tableHi[i] = hi;
    tableLo[i] = lo;
  }
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const phi = tableHi[(k - 1) * 256 + i];
      const plo = tableLo[(k - 1) * 256 + i];
      const idx = plo & 0xff;
      tableHi[k * 256 + i] = (tableHi[idx] ^ (phi >>> 8)) >>> 0;
      tableLo[k * 256 + i] = (tableLo[idx] ^ ((plo >>> 8) | ((phi & 0xff) << 24))) >>> 0;
    }
  }
})();

/** A running CRC-64 (start at 0, feed bytes, read the value). */
export class Crc64 {
  hi = 0;
  lo = 0;

  update(bytes: Uint8Array, start = 0, end = bytes.length): void {
    let hi = this.hi;
    let lo = this.lo;
    let i = start;
    // Eight bytes at a time: xor them into the current value, then look each byte up in the
    // table for its distance from the end of the block.
    while (end - i >= 8) {
      const l = lo ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
      const h = hi ^ (bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24));
      const a = 7 * 256 + (l & 0xff), b = 6 * 256 + ((l >>> 8) & 0xff);
      const c = 5 * 256 + ((l >>> 16) & 0xff), d = 4 * 256 + (l >>> 24);
      const e = 3 * 256 + (h & 0xff), f = 2 * 256 + ((h >>> 8) & 0xff);
      const g = 256 + ((h >>> 16) & 0xff), k = h >>> 24;
      hi = tableHi[a] ^ tableHi[b] ^ tableHi[c] ^ tableHi[d] ^ tableHi[e] ^ tableHi[f] ^ tableHi[g] ^ tableHi[k];
      lo = tableLo[a] ^ tableLo[b] ^ tableLo[c] ^ tableLo[d] ^ tableLo[e] ^ tableLo[f] ^ tableLo[g] ^ tableLo[k];
      i += 8;
    }
    for (; i < end; i++) {
      const idx = (lo ^ bytes[i]) & 0xff;
      const nlo = (lo >>> 8) | ((hi & 0xff) << 24);
      hi = tableHi[idx] ^ (hi >>> 8);
      lo = tableLo[idx] ^ nlo;
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
  }

  /** The value as 8 little-endian bytes (how Redis stores it). */
  bytesLE(): Uint8Array {
    const out = new Uint8Array(8);
    writeLE(out, 0, this.hi, this.lo);
    return out;
  }

  toBigInt(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** True when 8 little-endian bytes at `pos` equal the value. */
  equalsLE(bytes: Uint8Array, pos: number): boolean {
    const lo = (bytes[pos] | (bytes[pos + 1] << 8) | (bytes[pos + 2] << 16) | (bytes[pos + 3] << 24)) >>> 0;
    const hi = (bytes[pos + 4] | (bytes[pos + 5] << 8) | (bytes[pos + 6] << 16) | (bytes[pos + 7] << 24)) >>> 0;
    return lo === this.lo && hi === this.hi;
  }
}

function writeLE(out: Uint8Array, pos: number, hi: number, lo: number): void {
  out[pos] = lo & 0xff; out[pos + 1] = (lo >>> 8) & 0xff; out[pos + 2] = (lo >>> 16) & 0xff; out[pos + 3] = lo >>> 24;
  out[pos + 4] = hi & 0xff; out[pos + 5] = (hi >>> 8) & 0xff; out[pos + 6] = (hi >>> 16) & 0xff; out[pos + 7] = hi >>> 24;
}

/** crc64(0, bytes[start..end)) as a bigint. */
export function crc64(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  const c = new Crc64();
  c.update(bytes, start, end);
  return c.toBigInt();
}

/** Read 8 little-endian bytes as an unsigned bigint (the stored checksum). */
export function readU64LE(bytes: Uint8Array, pos: number): bigint {
  const lo = (bytes[pos] | (bytes[pos + 1] << 8) | (bytes[pos + 2] << 16) | (bytes[pos + 3] << 24)) >>> 0;
  const hi = (bytes[pos + 4] | (bytes[pos + 5] << 8) | (bytes[pos + 6] << 16) | (bytes[pos + 7] << 24)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}
