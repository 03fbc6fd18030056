/**
 * Key → hash slot mapping (Redis Cluster's keyHashSlot).
 *
 * The slot of a key is the CRC16 of the key modulo 16384 (the low 14 bits). CRC16 here is the
 * XMODEM variant: polynomial 0x1021, initial value 0, bits not reflected, no final xor. Its
 * check value, the CRC of "123456789", is 0x31C3.
 *
 * Hash tags: if the key has a '{' and, somewhere after it, a '}' with at least one byte
 * between the two, only the bytes between the first '{' and the first '}' after it are hashed.
 * That lets an application force related keys ("{user1000}.following",
 * "{user1000}.followers") into one slot. An empty "{}" or a '{' without a closing '}' means
 * the whole key is hashed.
 */

export const CLUSTER_SLOTS = 16384;

/** CRC16/XMODEM lookup table, built once from the polynomial. */
const TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    t[i] = crc;
  }
  return t;
})();

/** CRC16/XMODEM of bytes [start, end) of a byte string. */
export function crc16(s: string, start = 0, end = s.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ s.charCodeAt(i)) & 0xff];
  return crc;
}

/** The hash slot (0..16383) of a key given as a byte string. */
export function keyHashSlot(key: string): number {
  const open = key.indexOf('{');
  if (open < 0) return crc16(key) & 0x3fff;
  const close = key.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return crc16(key) & 0x3fff;
  return crc16(key, open + 1, close) & 0x3fff;
}
