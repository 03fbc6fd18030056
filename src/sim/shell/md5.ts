/**
 * MD5 (RFC 1321) over bytes, for `md5sum`. Plain TypeScript with no Node imports: the shell also
 * runs in browsers. MD5 is long broken as a cryptographic hash; here it only has to give the same
 * digests as the real tool, so that `md5sum` output can be compared across hosts.
 */
import { toHex } from '../../engine/util/sha';

/**
 * The 64 additive constants: the integer part of |sin(i + 1)| * 2^32 (RFC 1321, 3.4). Computing
 * them keeps a table of magic numbers out of the source; a double carries 53 bits, far more than
 * the 32 needed, and the test vectors pin the result.
 */
const SINE_CONSTANTS = Uint32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32));

/** Left-rotation amounts, four per round, repeated over the round's 16 steps. */
const ROTATIONS = [
  [7, 12, 17, 22],
  [5, 9, 14, 20],
  [4, 11, 16, 23],
  [6, 10, 15, 21],
];

const rotl = (x: number, bits: number) => (x << bits) | (x >>> (32 - bits));

/** The message padded to a multiple of 64 bytes: 0x80, zeros, then the bit length (little-endian). */
function pad(message: Uint8Array): Uint8Array {
  const paddedLen = Math.ceil((message.length + 9) / 64) * 64;
  const out = new Uint8Array(paddedLen);
  out.set(message);
  out[message.length] = 0x80;
  const view = new DataView(out.buffer);
  const bitLen = message.length * 8;
  // Two 32-bit halves: the bit length of a file over 512 MiB no longer fits in 32 bits.
  view.setUint32(paddedLen - 8, bitLen >>> 0, true);
  view.setUint32(paddedLen - 4, Math.floor(bitLen / 2 ** 32), true);
  return out;
}

/** The MD5 digest of `message`, as 32 lowercase hex digits. */
export function md5Hex(message: Uint8Array): string {
  const data = pad(message);
  const view = new DataView(data.buffer);
  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const words = new Uint32Array(16);
  for (let block = 0; block < data.length; block += 64) {
    for (let i = 0; i < 16; i++) words[i] = view.getUint32(block + i * 4, true);
    let [a, b, c, d] = state;
    for (let step = 0; step < 64; step++) {
      const round = step >> 4;
      let mixed: number;
      let wordIndex: number;
      if (round === 0) { mixed = (b & c) | (~b & d); wordIndex = step; }
      else if (round === 1) { mixed = (d & b) | (~d & c); wordIndex = (5 * step + 1) % 16; }
      else if (round === 2) { mixed = b ^ c ^ d; wordIndex = (3 * step + 5) % 16; }
      else { mixed = c ^ (b | ~d); wordIndex = (7 * step) % 16; }
      const sum = (mixed + a + SINE_CONSTANTS[step] + words[wordIndex]) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + rotl(sum, ROTATIONS[round][step & 3])) | 0;
    }
    state[0] = (state[0] + a) | 0;
    state[1] = (state[1] + b) | 0;
    state[2] = (state[2] + c) | 0;
    state[3] = (state[3] + d) | 0;
  }
  // The digest is the four state words, each written little-endian.
  const digest = new DataView(new ArrayBuffer(16));
  state.forEach((w, i) => digest.setUint32(i * 4, w, true));
  return toHex(new Uint8Array(digest.buffer));
}
