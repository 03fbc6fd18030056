/**
 * LZF, the small LZ77 compressor Redis uses for strings in RDB files (RDB_ENC_LZF).
 *
 * The compressed stream is a sequence of control bytes:
 *   000LLLLL <L+1 bytes>           a literal run of 1..32 bytes copied as is;
 *   LLLooooo oooooooo              a back reference of L+2 bytes (L = 1..6) starting
 *                                  (o+1) bytes back in the output (o < 8192);
 *   111ooooo LLLLLLLL oooooooo     the same with length L+9 (up to 264 bytes).
 *
 * Decompression just follows the control bytes. Compression is greedy: walk the input,
 * remember in a hash table where each 3-byte sequence was last seen, and when the current
 * 3 bytes were seen less than 8 KiB ago, emit a back reference as long as the bytes keep
 * matching; otherwise append the byte to the current literal run.
 *
 * Any valid stream decompresses in Redis, but we follow the same search parameters as the
 * liblzf build inside Redis (a 2^16-slot table, the "very fast" hash of 3 bytes, re-hashing
 * the two positions before the end of each match, and the same output-space checks) so that
 * for a given input we normally produce the very same bytes as Redis, which keeps DUMP
 * payloads and RDB files byte-comparable with a real server.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** Slot index for the 3-byte window whose bytes are the low 24 bits of `h` (32-bit unsigned). */
function slot(h: number): number {
  return ((h >>> (3 * 8 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/**
 * The hash table is reused between calls without clearing it: each call stores positions
 * offset by a base that grows from call to call, so an entry below the current base is
 * from an earlier call and counts as empty (clearing 64 K slots per string would cost more
 * than compressing it). When the base gets near the int32 limit the table is cleared.
 */
const table = new Int32Array(HSIZE);
let base = 1;
/** Output scratch buffer, grown on demand; results are copied out by the caller. */
let outBuf = new Uint8Array(1024);

/**
 * Compress `input` into at most `maxOut` bytes. Returns null when the result would not fit
 * (Redis then stores the string uncompressed). The result is a view into a shared buffer,
 * valid until the next call.
 */
export function lzfCompress(input: Uint8Array, maxOut: number): Uint8Array | null {
  const inLen = input.length;
  if (inLen === 0 || maxOut <= 0) return null;
  if (base + inLen + 2 >= 0x7fffffff) { table.fill(0); base = 1; }
  const b0 = base;
  base += inLen + 1;
  if (outBuf.length < maxOut + 1) outBuf = new Uint8Array(Math.max(maxOut + 1, outBuf.length * 2));
  const out = outBuf;
  const outEnd = maxOut;
  let ip = 0;
  let op = 1; // room for the first literal-run control byte
  let lit = 0;
  let hval = (input[0] << 8) | (inLen > 1 ? input[1] : 0);

  while (ip < inLen - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const s = slot(hval);
    const stored = table[s];
    table[s] = b0 + ip;
    const ref = stored - b0;
    const off = ip - ref - 1;
    if (stored >= b0 && ref > 0 && off >= 0 && off < MAX_OFF
      && input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      let len = 2;
      let maxlen = inLen - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outEnd && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return null;
      out[op - lit - 1] = lit - 1; // close the literal run
      if (lit === 0) op--; // ...or drop its empty control byte
      // liblzf first compares up to 16 bytes without looking at maxlen when maxlen > 16
      // (so near the end of the input a match may run up to two bytes past maxlen); then it
      // continues byte by byte up to maxlen. `len` ends as the number of matching bytes.
      let matched = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) { matched = true; break; }
        }
      }
      if (!matched) {
        do len++; while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // the encoded length field counts from 2 (and the literal below from 1)
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0; op++; // start a new literal run
      ip += len + 1;
      if (ip >= inLen - 2) break;
      // Index the two positions just before the new one, like liblzf's VERY_FAST mode.
      ip -= 2;
      hval = ((input[ip] << 8) | input[ip + 1]) >>> 0;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      table[slot(hval)] = b0 + ip;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      table[slot(hval)] = b0 + ip;
      ip++;
    } else {
      if (op >= outEnd) return null;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0; op++;
      }
    }
  }
  if (op + 3 > outEnd) return null;
  while (ip < inLen) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0; op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return out.subarray(0, op);
}

const MAX_EXPANSION = 88;

/**
 * Decompress `input`, which must expand to exactly `outLen` bytes. Returns null on a
 * malformed stream (Redis: "Invalid LZF compressed string").
 */
export function lzfDecompress(input: Uint8Array, outLen: number): Uint8Array | null {
  // No input expands more than 88 times (a 3-byte back reference copies at most 264
  // bytes): a longer promised output cannot be met, so don't allocate it.
  if (outLen > input.length * MAX_EXPANSION) return null;
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  const inLen = input.length;
  while (ip < inLen) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (op + run > outLen || ip + run > inLen) return null;
      out.set(input.subarray(ip, ip + run), op);
      ip += run; op += run;
    } else {
      let len = ctrl >>> 5;
      if (len === 7) {
        if (ip >= inLen) return null;
        len += input[ip++];
      }
      if (ip >= inLen) return null;
      const ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++];
      len += 2;
      if (op + len > outLen || ref < 0) return null;
      for (let k = 0; k < len; k++) out[op + k] = out[ref + k]; // may overlap: byte by byte
      op += len;
    }
  }
  return op === outLen ? out : null;
}
