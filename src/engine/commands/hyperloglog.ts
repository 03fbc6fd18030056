/**
 * The HyperLogLog family (hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST.
 *
 * An HLL is an ordinary string value, so its bytes must be exactly Redis's: GET, DUMP, RDB and
 * the replication stream all carry them. The layout (16-byte header, then registers):
 *
 *   "HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | cached cardinality, 8 bytes LE
 *
 * The cached cardinality is valid while the top bit of its last byte is clear; every write
 * sets that bit, and a single-key PFCOUNT recomputes and stores the value (a write made by a
 * read command, which Redis propagates as PFCOUNT).
 *
 * Registers: 16384 of them (P = 14), 6 bits each.
 * - dense: 12288 bytes, register i at bit 6*i counting from the least significant bit of each
 *   byte (a register can straddle two bytes);
 * - sparse: run-length opcodes. ZERO `00xxxxxx` (1..64 zero registers), XZERO `01xxxxxx
 *   xxxxxxxx` (1..16384 zero registers), VAL `1vvvvvxx` (1..4 registers of value 1..32).
 *   A new HLL is sparse; it turns dense when a value above 32 must be stored or the string
 *   would grow past `hll-sparse-max-bytes`.
 *
 * Elements are hashed with MurmurHash64A (seed 0xadc83b19): the low 14 bits pick the register
 * and the register gets the position of the first set bit above them (1..51). PFCOUNT uses
 * Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog
 * sketches", the hllTau/hllSigma form Redis 5+ uses), so counts match Redis to the unit.
 *
 * The work happens on a byte buffer (`Hll`) that is written back as a raw string: Redis
 * unshares the value (dbUnshareStringValue) before touching it, so PFADD, single-key PFCOUNT,
 * PFMERGE's destination and PFDEBUG leave it "raw" even when nothing changes.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { keySpecRange } from './command';
import { StrEnc } from '../keyspace/db';
import { sdsMakeRoomFor, sdsNew, unsharedSds, type SdsAlloc } from '../keyspace/sds';
import type { RedisValue } from '../keyspace/values';
import { bytesToStr } from '../bytes';

const G = { group: 'hyperloglog', acl: ['@hyperloglog'] };

const HDR_BYTES = 16;
const REGISTERS = 16384;
const P_BITS = 14;
const REGISTER_MAX = 63;
const DENSE_BYTES = HDR_BYTES + (REGISTERS * 6) / 8;
const ENC_DENSE = 0;
const ENC_SPARSE = 1;
/** Where the header keeps the encoding and the byte whose top bit marks the cache stale. */
const ENC_AT = 4;
const CARD_AT = 8;
const CARD_STALE_AT = 15;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
/** 0.5/ln(2), the estimator's alpha as the number of registers goes to infinity. */
const ALPHA_INF = 0.721347520444481703680;

const INVALID_HLL_ERR = '-INVALIDOBJ Corrupted HLL object detected';
const NOT_HLL_ERR = '-WRONGTYPE Key is not a valid HyperLogLog string value.';

// ---- MurmurHash64A on 32-bit halves ---------------------------------------------------------

/** The 64-bit multiplier m = 0xc6a4a7935bd1e995, as halves. */
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const SEED = 0xadc83b19;

/** Results of the 64-bit helpers (two numbers, no allocation per call). */
let rHi = 0;
let rLo = 0;

/** (aHi:aLo) * (bHi:bLo) mod 2^64 into rHi:rLo. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  // aLo*bLo needs all 64 bits: multiply 16-bit pieces so no partial product exceeds 2^53.
  const a0 = aLo & 0xffff, a1 = aLo >>> 16, b0 = bLo & 0xffff, b1 = bLo >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  rHi = (carry + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)) >>> 0;
}

/** MurmurHash64A's last steps: h ^= h >> 47; h *= m; h ^= h >> 47 (into rHi:rLo). */
function murmurFinish(hHi: number, hLo: number): void {
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  mul64(hHi, hLo, M_HI, M_LO);
  rLo = (rLo ^ (rHi >>> 15)) >>> 0;
}

/** One 8-byte block (kHi:kLo) mixed into h, the loop body of MurmurHash64A (into rHi:rLo). */
function murmurBlock(hHi: number, hLo: number, kHi: number, kLo: number): void {
  mul64(kHi, kLo, M_HI, M_LO);
  kHi = rHi;
  kLo = (rLo ^ (rHi >>> 15)) >>> 0;
  mul64(kHi, kLo, M_HI, M_LO);
  mul64((hHi ^ rHi) >>> 0, (hLo ^ rLo) >>> 0, M_HI, M_LO);
}

/** MurmurHash64A of a byte string with Redis's HLL seed, into rHi:rLo. */
function murmurString(s: string): void {
  const len = s.length;
  // h = seed ^ (len * m)
  mul64(0, len >>> 0, M_HI, M_LO);
  let hHi = rHi, hLo = (rLo ^ SEED) >>> 0;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    const kLo = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24)) >>> 0;
    const kHi = (s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24)) >>> 0;
    murmurBlock(hHi, hLo, kHi, kLo);
    hHi = rHi; hLo = rLo;
  }
  const tail = len & 7;
  if (tail) {
    // The trailing bytes are xored in little endian, then h *= m.
    let tLo = 0, tHi = 0;
    for (let j = tail - 1; j >= 0; j--) {
      const b = s.charCodeAt(i + j);
      if (j >= 4) tHi |= b << (8 * (j - 4));
      else tLo |= b << (8 * j);
    }
    mul64((hHi ^ tHi) >>> 0, (hLo ^ tLo) >>> 0, M_HI, M_LO);
    hHi = rHi; hLo = rLo;
  }
  murmurFinish(hHi, hLo);
}

/** MurmurHash64A of one little-endian uint64 (8 bytes), as PFSELFTEST hashes its elements. */
function murmurWord(wHi: number, wLo: number): void {
  mul64(0, 8, M_HI, M_LO);
  murmurBlock(rHi, (rLo ^ SEED) >>> 0, wHi, wLo);
  murmurFinish(rHi, rLo);
}

/** Number of trailing zero bits of a non-zero 32-bit value. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * hllPatLen() of the hash in rHi:rLo: the register index (low 14 bits) and the length of the
 * run of zeros above them plus one (1..51; bit 64 counts as set so the run ends).
 */
let patIndex = 0;
function patLenOfHash(): number {
  patIndex = rLo & (REGISTERS - 1);
  const low = rLo >>> P_BITS;
  if (low !== 0) return ctz32(low) + 1;
  if (rHi !== 0) return 32 - P_BITS + ctz32(rHi) + 1;
  return 64 - P_BITS + 1;
}

// ---- the byte buffer ------------------------------------------------------------------------

/**
 * An HLL being worked on: `len` bytes of `b`. The buffer always has spare zero bytes after
 * `len`, like the sds terminator: Redis's loops may read one byte past the end of a corrupt
 * value, or of the last dense register, and see a zero there.
 */
interface Hll { b: Uint8Array; len: number }

/**
 * The last HLL string written back and the buffer it was made from. A run of PFADDs to one
 * dense key would otherwise copy its 12 KB from string to bytes and back every time; the next
 * command on that very value (=== is a pointer check when it is the stored string) takes the
 * buffer over instead. Whoever takes it owns it (the slot is emptied), so a buffer is never
 * changed while the slot still pairs it with an older string.
 */
let lastWritten: { s: string; h: Hll } | null = null;

function hllFromString(v: string): Hll {
  if (lastWritten !== null && lastWritten.s === v) {
    const h = lastWritten.h;
    lastWritten = null;
    return h;
  }
  const b = new Uint8Array(v.length + 8);
  for (let i = 0; i < v.length; i++) b[i] = v.charCodeAt(i);
  return { b, len: v.length };
}

/** Give back a buffer taken from `v` and left unchanged. */
function keepUnchanged(v: string, h: Hll): void {
  lastWritten = { s: v, h };
}

/** The string of a buffer that is not changed any more (it may be taken over later). */
function hllToString(h: Hll): string {
  const s = bytesToStr(h.b, 0, h.len);
  lastWritten = { s, h };
  return s;
}

/** createHLLObject(): an empty sparse HLL, one XZERO opcode per 16384 registers. */
function createHll(): Hll {
  const len = HDR_BYTES + Math.floor((REGISTERS + SPARSE_XZERO_MAX_LEN - 1) / SPARSE_XZERO_MAX_LEN) * 2;
  const b = new Uint8Array(len + 8);
  b.set([72, 89, 76, 76]); // "HYLL"
  b[ENC_AT] = ENC_SPARSE;
  let p = HDR_BYTES;
  for (let left = REGISTERS; left > 0;) {
    const run = Math.min(left, SPARSE_XZERO_MAX_LEN);
    setXzero(b, p, run);
    p += 2;
    left -= run;
  }
  return { b, len };
}

function invalidateCache(h: Hll): void {
  h.b[CARD_STALE_AT] |= 0x80;
}

/** Room for `extra` more bytes (plus the terminator) after `len`. */
function makeRoom(h: Hll, extra: number): void {
  if (h.b.length >= h.len + extra + 1) return;
  const b = new Uint8Array(Math.max(h.b.length * 2, h.len + extra + 8));
  b.set(h.b.subarray(0, h.len));
  h.b = b;
}

/** A new length; the byte after the end becomes zero, as sdsIncrLen writes the terminator. */
function setLen(h: Hll, len: number): void {
  h.len = len;
  h.b[len] = 0;
}

// ---- dense registers ------------------------------------------------------------------------

function denseGet(b: Uint8Array, regnum: number): number {
  const bit = regnum * 6;
  const at = HDR_BYTES + (bit >> 3), fb = bit & 7;
  return ((b[at] >> fb) | (b[at + 1] << (8 - fb))) & REGISTER_MAX;
}

function denseSetRaw(b: Uint8Array, regnum: number, val: number): void {
  const bit = regnum * 6;
  const at = HDR_BYTES + (bit >> 3), fb = bit & 7, fb8 = 8 - fb;
  b[at] = (b[at] & ~(REGISTER_MAX << fb)) | (val << fb);
  b[at + 1] = (b[at + 1] & ~(REGISTER_MAX >> fb8)) | (val >> fb8);
}

/** Every dense register, one byte each, into a shared scratch array (valid until the next call). */
const unpacked = new Uint8Array(REGISTERS);
function unpackDense(b: Uint8Array): Uint8Array {
  // 4 registers in every 3 bytes: a whole group per step instead of one register.
  for (let i = 0, at = HDR_BYTES; i < REGISTERS; i += 4, at += 3) {
    const b0 = b[at], b1 = b[at + 1], b2 = b[at + 2];
    unpacked[i] = b0 & 63;
    unpacked[i + 1] = ((b0 >> 6) | (b1 << 2)) & 63;
    unpacked[i + 2] = ((b1 >> 4) | (b2 << 4)) & 63;
    unpacked[i + 3] = b2 >> 2;
  }
  return unpacked;
}

/** hllDenseSet(): raise a register to `count`; 1 if it changed. */
function denseSet(b: Uint8Array, regnum: number, count: number): number {
  if (count <= denseGet(b, regnum)) return 0;
  denseSetRaw(b, regnum, count);
  return 1;
}

// ---- sparse opcodes -------------------------------------------------------------------------

const isZero = (op: number) => (op & 0xc0) === 0;
const isXzero = (op: number) => (op & 0xc0) === 0x40;
const isVal = (op: number) => (op & 0x80) !== 0;
const zeroLen = (op: number) => (op & 0x3f) + 1;
const xzeroLen = (b: Uint8Array, p: number) => (((b[p] & 0x3f) << 8) | b[p + 1]) + 1;
const valValue = (op: number) => ((op >> 2) & 0x1f) + 1;
const valLen = (op: number) => (op & 3) + 1;
const valOp = (value: number, len: number) => (((value - 1) << 2) | (len - 1) | 0x80) & 0xff;

function setXzero(b: Uint8Array, p: number, len: number): void {
  b[p] = ((len - 1) >> 8) | 0x40;
  b[p + 1] = (len - 1) & 0xff;
}

/**
 * hllSparseToDense(): the same registers in the dense encoding. The header (and so the cached
 * cardinality) is kept as it was. False when the opcodes do not cover exactly 16384 registers,
 * or when any opcode runs past the last register: the reference server (Debian's 7.0.15, which
 * carries the CVE-2025-32023 fix) rejects an opcode that overflows even if the ones before it
 * already covered every register, where plain 7.0.15 stopped there and accepted the value.
 */
function sparseToDense(h: Hll): boolean {
  const src = h.b;
  if (src[ENC_AT] === ENC_DENSE) return true;
  const b = new Uint8Array(DENSE_BYTES + 1);
  b.set(src.subarray(0, HDR_BYTES));
  b[ENC_AT] = ENC_DENSE;
  let idx = 0;
  for (let p = HDR_BYTES; p < h.len;) {
    const op = src[p];
    const run = isZero(op) ? zeroLen(op) : isXzero(op) ? xzeroLen(src, p) : valLen(op);
    if (run + idx > REGISTERS) return false;
    if (isVal(op)) {
      const value = valValue(op);
      for (let k = 0; k < run; k++) denseSetRaw(b, idx + k, value);
    }
    idx += run;
    p += isXzero(op) ? 2 : 1;
  }
  if (idx !== REGISTERS) return false;
  h.b = b;
  h.len = DENSE_BYTES;
  return true;
}

/**
 * hllSparseSet(): raise register `index` to `count` in a sparse HLL, splitting the opcode that
 * covers it and merging equal neighbours afterwards; promotes to dense when the value does
 * not fit a VAL opcode or the string would outgrow `maxBytes`. 1 changed, 0 not, -1 corrupt.
 */
function sparseSet(h: Hll, index: number, count: number, maxBytes: number): number {
  promote: {
    if (count > SPARSE_VAL_MAX_VALUE) break promote;
    makeRoom(h, 3);
    const b = h.b;
    let end = h.len;

    // Find the opcode covering `index`.
    let p = HDR_BYTES, first = 0, prev = -1, span = 0;
    while (p < end) {
      const op = b[p];
      let opLen = 1;
      if (isZero(op)) span = zeroLen(op);
      else if (isVal(op)) span = valLen(op);
      else { span = xzeroLen(b, p); opLen = 2; }
      if (index <= first + span - 1) break;
      prev = p;
      p += opLen;
      first += span;
    }
    if (span === 0 || p >= end) return -1;

    const op = b[p];
    let next = isXzero(op) ? p + 2 : p + 1;
    if (next >= end) next = -1;
    const zero = isZero(op), xzero = isXzero(op), val = !zero && !xzero;

    updated: {
      if (val) {
        if (valValue(op) >= count) return 0;
        if (valLen(op) === 1) { b[p] = valOp(count, 1); break updated; }
      }
      if (zero && zeroLen(op) === 1) { b[p] = valOp(count, 1); break updated; }

      // Split the opcode into up to three: what is left of the register, the register, what
      // is right of it (XZERO-VAL-XZERO at worst, 5 bytes).
      const seq: number[] = [];
      const last = first + span - 1;
      const pushZeros = (len: number) => {
        if (len > SPARSE_ZERO_MAX_LEN) seq.push(((len - 1) >> 8) | 0x40, (len - 1) & 0xff);
        else seq.push(len - 1);
      };
      if (zero || xzero) {
        if (index !== first) pushZeros(index - first);
        seq.push(valOp(count, 1));
        if (index !== last) pushZeros(last - index);
      } else {
        const cur = valValue(op);
        if (index !== first) seq.push(valOp(cur, index - first));
        seq.push(valOp(count, 1));
        if (index !== last) seq.push(valOp(cur, last - index));
      }
      const delta = seq.length - (xzero ? 2 : 1);
      if (delta > 0 && h.len + delta > maxBytes) break promote;
      if (delta && next >= 0) b.copyWithin(next + delta, next, end);
      setLen(h, h.len + delta);
      b.set(seq, p);
      end += delta;
    }

    // Merge adjacent VAL opcodes of the same value, scanning up to 5 opcodes from `prev`.
    p = prev >= 0 ? prev : HDR_BYTES;
    let scan = 5;
    while (p < end && scan-- > 0) {
      const o = b[p];
      if (isXzero(o)) { p += 2; continue; }
      if (isZero(o)) { p++; continue; }
      if (p + 1 < end && isVal(b[p + 1])) {
        const v1 = valValue(o), v2 = valValue(b[p + 1]);
        if (v1 === v2) {
          const len = valLen(o) + valLen(b[p + 1]);
          if (len <= SPARSE_VAL_MAX_LEN) {
            b[p + 1] = valOp(v1, len);
            // memmove(p, p+1, end-p): the terminator after the end moves down too.
            b.copyWithin(p, p + 1, end + 1);
            setLen(h, h.len - 1);
            end--;
            continue; // try to merge the merged opcode with the next one
          }
        }
      }
      p++;
    }
    invalidateCache(h);
    return 1;
  }
  // Promote to dense. The register was known to need raising, so the dense set changes it.
  if (!sparseToDense(h)) return -1;
  return denseSet(h.b, index, count);
}

/** hllAdd(): add an element; 1 if a register changed, 0 if not, -1 for a corrupt HLL. */
function hllAdd(h: Hll, ele: string, maxBytes: number): number {
  murmurString(ele);
  const count = patLenOfHash();
  if (h.b[ENC_AT] === ENC_DENSE) return denseSet(h.b, patIndex, count);
  if (h.b[ENC_AT] === ENC_SPARSE) return sparseSet(h, patIndex, count, maxBytes);
  return -1;
}

/**
 * hllMerge(): max[i] = MAX(max[i], register i). False for a sparse HLL whose opcodes do not
 * cover exactly 16384 registers or run past the last one (as in sparseToDense).
 */
function hllMerge(max: Uint8Array, h: Hll): boolean {
  const b = h.b;
  if (b[ENC_AT] === ENC_DENSE) {
    const regs = unpackDense(b);
    for (let i = 0; i < REGISTERS; i++) if (regs[i] > max[i]) max[i] = regs[i];
    return true;
  }
  let i = 0;
  for (let p = HDR_BYTES; p < h.len;) {
    const op = b[p];
    const run = isZero(op) ? zeroLen(op) : isXzero(op) ? xzeroLen(b, p) : valLen(op);
    if (run + i > REGISTERS) return false;
    if (isVal(op)) {
      const value = valValue(op);
      for (let k = i; k < i + run; k++) if (value > max[k]) max[k] = value;
    }
    i += run;
    p += isXzero(op) ? 2 : 1;
  }
  return i === REGISTERS;
}

// ---- the estimator --------------------------------------------------------------------------

/** hllSigma(): x + x^2 + 2x^4 + 4x^8 + ... (infinite at 1). */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** hllTau(): (1 - x - sum of (1 - x^(2^-k))^2 * 2^-k) / 3. */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    // Redis writes pow(1 - x, 2), which compilers turn into this (exact) product.
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** The estimate from a register histogram (counts of each register value 0..63). */
function estimate(histo: Float64Array): number {
  const m = REGISTERS;
  const q = 64 - P_BITS;
  let z = m * tau((m - histo[q + 1]) / m);
  for (let j = q; j >= 1; --j) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * sigma(histo[0] / m);
  const e = (ALPHA_INF * m * m) / z;
  // llroundl() of a value beyond int64 (z is 0 when every register holds 51) gives LLONG_MIN
  // on x86, which the uint64 result keeps as 2^63: PFCOUNT then replies -9223372036854775808.
  if (!(e < 2 ** 63)) return 2 ** 63;
  // llroundl(): halves round away from zero, which for a positive number is Math.round.
  return Math.round(e);
}

/** addReplyLongLong() of the uint64 cardinality: 2^63 and above read as negative. */
function replyCard(c: Client, card: number): void {
  if (card < 2 ** 53) c.replyInt(card);
  else c.replyInt(BigInt.asIntN(64, BigInt(card)));
}

/** hllCount() of an HLL; null when a sparse HLL's opcodes do not cover 16384 registers. */
function hllCount(h: Hll): number | null {
  const histo = new Float64Array(64);
  const b = h.b;
  if (b[ENC_AT] === ENC_DENSE) {
    const regs = unpackDense(b);
    for (let i = 0; i < REGISTERS; i++) histo[regs[i]]++;
  } else {
    let idx = 0;
    for (let p = HDR_BYTES; p < h.len;) {
      const op = b[p];
      if (isZero(op)) { const run = zeroLen(op); idx += run; histo[0] += run; p++; }
      else if (isXzero(op)) { const run = xzeroLen(b, p); idx += run; histo[0] += run; p += 2; }
      else { const run = valLen(op); idx += run; histo[valValue(op)] += run; p++; }
    }
    if (idx !== REGISTERS) return null;
  }
  return estimate(histo);
}

/** hllCount() of raw registers, one byte each (the union PFCOUNT of several keys builds). */
function rawCount(regs: Uint8Array): number {
  const histo = new Float64Array(64);
  for (let i = 0; i < REGISTERS; i++) histo[regs[i]]++;
  return estimate(histo);
}

// ---- commands -------------------------------------------------------------------------------

/**
 * isHLLObjectOrReply(): the value as an HLL buffer, or null after the error reply (WRONGTYPE
 * for other types; the HLL flavour of WRONGTYPE for strings that are no HLL: too short, no
 * "HYLL" magic, an unknown encoding, or a dense one of the wrong length).
 */
function hllStringOrReply(c: Client, v: unknown): string | null {
  if (typeof v !== 'string') { c.replyWrongType(); return null; }
  if (v.length < HDR_BYTES || !v.startsWith('HYLL')) { c.replyError(NOT_HLL_ERR); return null; }
  const enc = v.charCodeAt(ENC_AT);
  if (enc > ENC_SPARSE || (enc === ENC_DENSE && v.length !== DENSE_BYTES)) { c.replyError(NOT_HLL_ERR); return null; }
  return v;
}

function hllOrReply(c: Client, v: unknown): Hll | null {
  const s = hllStringOrReply(c, v);
  return s === null ? null : hllFromString(s);
}

/** dbUnshareStringValue(): the value Redis is about to change in place is raw from now on. */
function unshare(c: Client, key: string): void {
  const e = c.db.getEntry(key);
  if (e && e.enc !== StrEnc.Raw) {
    e.enc = StrEnc.Raw;
    // A new object replaces the old: a fresh LRU clock, unless LFU keeps the counter (dbOverwrite).
    if (!c.server.hot.lfu) e.lru = c.server.lruClock();
  }
}

/** Store the buffer back as the key's (raw) value, in place, with its sds allocation. */
function store(c: Client, key: string, h: Hll, sds?: SdsAlloc): void {
  c.db.overwrite(key, hllToString(h), StrEnc.Raw, sds);
}

/** The allocation of the value `key` holds (`v`) once PFADD or PFMERGE unshares it. */
function valueSds(c: Client, key: string, v: RedisValue | undefined, h: Hll): SdsAlloc {
  return v === undefined ? sdsNew(h.len) : unsharedSds(c.db.getEntry(key)!, h.len);
}

/**
 * hllSparseSet's first step, sdsMakeRoomFor(3) (an XZERO may split into XZERO-VAL-XZERO),
 * then `set`; a promotion to dense leaves a fresh dense sds.
 */
function setTracked(h: Hll, sds: SdsAlloc, set: () => number): [number, SdsAlloc] {
  if (h.b[ENC_AT] !== ENC_SPARSE) return [set(), sds];
  const grown = sdsMakeRoomFor(sds, h.len, 3);
  const r = set();
  return [r, h.b[ENC_AT] === ENC_SPARSE ? grown : sdsNew(h.len)];
}

function sparseMaxBytes(c: Client): number {
  return c.server.config.get<number>('hll-sparse-max-bytes');
}

/** PFADD key [element ...]: 1 if the key was created or a register changed, else 0. */
function pfadd(c: Client, argv: string[]): void {
  const key = argv[1];
  const v = c.db.lookupWrite(key);
  let h: Hll;
  let updated = 0;
  if (v === undefined) {
    h = createHll();
    // Not through hllToString: the buffer is changed next, it must not be paired with this string.
    c.db.add(key, bytesToStr(h.b, 0, h.len), StrEnc.Raw);
    updated++;
  } else {
    const got = hllOrReply(c, v);
    if (!got) return;
    h = got;
  }
  let sds = valueSds(c, key, v, h);
  if (v !== undefined) unshare(c, key);
  const maxBytes = sparseMaxBytes(c);
  for (let j = 2; j < argv.length; j++) {
    let r: number;
    [r, sds] = setTracked(h, sds, () => hllAdd(h, argv[j], maxBytes));
    if (r === 1) updated++;
    else if (r === -1) {
      // Redis changes the value in place, so what the earlier elements did stays (unpropagated).
      store(c, key, h, sds);
      c.replyError(INVALID_HLL_ERR);
      return;
    }
  }
  if (updated) {
    invalidateCache(h);
    store(c, key, h, sds);
    c.server.signalModifiedKey(c.db, key);
    c.server.notifyKeyspaceEvent('$', 'pfadd', key, c.db.id);
    c.server.dirty += updated;
  } else {
    keepUnchanged(v as string, h);
    c.db.getEntry(key)!.sds = sds;
  }
  c.replyInt(updated ? 1 : 0);
}

/** The cached cardinality (8 bytes little endian, top bit clear when valid). */
function cachedCard(v: string): number | bigint {
  let lo = 0;
  for (let i = 3; i >= 0; i--) lo = lo * 256 + v.charCodeAt(CARD_AT + i);
  let hi = 0;
  for (let i = 7; i >= 4; i--) hi = hi * 256 + v.charCodeAt(CARD_AT + i);
  const n = hi * 2 ** 32 + lo;
  return Number.isSafeInteger(n) ? n : (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * PFCOUNT key [key ...]. One key: the cached cardinality, or a new estimate that is cached
 * (modifying the key, so it is propagated). Several keys: the estimate of their union, never
 * cached; missing keys count as empty HLLs.
 */
function pfcount(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    const max = new Uint8Array(REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const v = c.db.lookupRead(argv[j]);
      if (v === undefined) continue;
      const h = hllOrReply(c, v);
      if (!h) return;
      if (!hllMerge(max, h)) { c.replyError(INVALID_HLL_ERR); return; }
      keepUnchanged(v as string, h);
    }
    replyCard(c, rawCount(max));
    return;
  }
  const key = argv[1];
  const v = c.db.lookupRead(key);
  if (v === undefined) { c.replyInt(0); return; }
  const s = hllStringOrReply(c, v);
  if (s === null) return;
  unshare(c, key);
  // The cached value is read from the string: no copy to bytes for the common case.
  if ((s.charCodeAt(CARD_STALE_AT) & 0x80) === 0) { c.replyInt(cachedCard(s)); return; }
  const h = hllFromString(s);
  const b = h.b;
  const card = hllCount(h);
  if (card === null) { c.replyError(INVALID_HLL_ERR); return; }
  // Little endian. A card of 2^63 sets the top bit, so the cache stays invalid.
  let rest = BigInt(card);
  for (let i = 0; i < 8; i++) {
    b[CARD_AT + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  store(c, key, h);
  // A read command that changed the value: Redis counts it dirty so it is propagated.
  c.server.signalModifiedKey(c.db, key);
  c.server.dirty++;
  replyCard(c, card);
}

/** PFMERGE destkey [sourcekey ...]: the destination (itself included) becomes the union. */
function pfmerge(c: Client, argv: string[]): void {
  const max = new Uint8Array(REGISTERS);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const v = c.db.lookupRead(argv[j]);
    if (v === undefined) continue;
    const h = hllOrReply(c, v);
    if (!h) return;
    // Any dense input makes the destination dense at once (rather than growing sparse first).
    if (h.b[ENC_AT] === ENC_DENSE) useDense = true;
    if (!hllMerge(max, h)) { c.replyError(INVALID_HLL_ERR); return; }
    keepUnchanged(v as string, h);
  }
  const key = argv[1];
  const v = c.db.lookupWrite(key);
  let h: Hll;
  if (v === undefined) {
    h = createHll();
    // Not through hllToString: the buffer is changed next, it must not be paired with this string.
    c.db.add(key, bytesToStr(h.b, 0, h.len), StrEnc.Raw);
  } else {
    // Checked as a source above, so it is an HLL.
    h = hllFromString(v as string);
  }
  let sds = valueSds(c, key, v, h);
  if (v !== undefined) unshare(c, key);
  if (useDense && h.b[ENC_AT] === ENC_SPARSE) {
    if (!sparseToDense(h)) { c.replyError(INVALID_HLL_ERR); return; }
    sds = sdsNew(h.len);
  }
  const maxBytes = sparseMaxBytes(c);
  for (let j = 0; j < REGISTERS; j++) {
    if (max[j] === 0) continue;
    if (h.b[ENC_AT] === ENC_DENSE) denseSet(h.b, j, max[j]);
    else [, sds] = setTracked(h, sds, () => sparseSet(h, j, max[j], maxBytes));
  }
  invalidateCache(h);
  store(c, key, h, sds);
  c.server.signalModifiedKey(c.db, key);
  // Redis reports a merge as a "pfadd" event: in effect a mass add of elements.
  c.server.notifyKeyspaceEvent('$', 'pfadd', key, c.db.id);
  c.server.dirty++;
  c.replyOk();
}

/** A C string argument: what strcasecmp and %s see stops at the first NUL byte. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. */
function pfdebug(c: Client, argv: string[]): void {
  const sub = cString(argv[1]);
  const key = argv[2];
  const v = c.db.lookupWrite(key);
  if (v === undefined) { c.replyError('The specified key does not exist'); return; }
  const h = hllOrReply(c, v);
  if (!h) return;
  unshare(c, key);
  const lower = sub.toLowerCase();
  if (lower === 'getreg' || lower === 'todense') {
    let converted = false;
    if (h.b[ENC_AT] === ENC_SPARSE) {
      if (!sparseToDense(h)) { c.replyError(INVALID_HLL_ERR); return; }
      store(c, key, h);
      converted = true;
      // No signal and no cache invalidation, but the new encoding is propagated.
      c.server.dirty++;
    }
    if (lower === 'todense') { c.replyInt(converted ? 1 : 0); return; }
    c.replyArrayLen(REGISTERS);
    for (let j = 0; j < REGISTERS; j++) c.replyInt(denseGet(h.b, j));
  } else if (lower === 'decode') {
    if (h.b[ENC_AT] !== ENC_SPARSE) { c.replyError('HLL encoding is not sparse'); return; }
    const parts: string[] = [];
    const b = h.b;
    for (let p = HDR_BYTES; p < h.len;) {
      const op = b[p];
      if (isZero(op)) { parts.push(`z:${zeroLen(op)}`); p++; }
      else if (isXzero(op)) { parts.push(`Z:${xzeroLen(b, p)}`); p += 2; }
      else { parts.push(`v:${valValue(op)},${valLen(op)}`); p++; }
    }
    c.replyBulk(parts.join(' '));
  } else if (lower === 'encoding') {
    c.replyStatus(h.b[ENC_AT] === ENC_DENSE ? 'dense' : 'sparse');
  } else {
    c.replyError(`Unknown PFDEBUG subcommand '${sub}'`);
  }
}

/** rand(): a C library random number, 0..2^31-1. */
function cRand(c: Client): number {
  return Math.floor(c.server.os.random() * 0x80000000);
}

/**
 * PFSELFTEST: (1) random values written to every dense register read back unchanged, (2) 10
 * million distinct elements added to a dense and a sparse HLL agree, the sparse one stays
 * sparse while small, and the estimate stays within 6 standard errors at 1, 10, 100, ...
 */
function pfselftest(c: Client): void {
  const dense = new Uint8Array(DENSE_BYTES + 1);
  const expected = new Uint8Array(REGISTERS);
  for (let cycle = 0; cycle < 1000; cycle++) {
    for (let i = 0; i < REGISTERS; i++) {
      const r = cRand(c) & REGISTER_MAX;
      expected[i] = r;
      denseSetRaw(dense, i, r);
    }
    for (let i = 0; i < REGISTERS; i++) {
      const got = denseGet(dense, i);
      if (got !== expected[i]) { c.replyError(`TESTFAILED Register ${i} should be ${expected[i]} but is ${got}`); return; }
    }
  }

  dense.fill(0, HDR_BYTES);
  const denseHll: Hll = { b: dense, len: DENSE_BYTES };
  const sparse = createHll();
  const maxBytes = sparseMaxBytes(c);
  const relErr = 1.04 / Math.sqrt(REGISTERS);
  const seedLo = cRand(c) >>> 0;
  const seedHi = cRand(c) >>> 0;
  let checkpoint = 1;
  for (let j = 1; j <= 10_000_000; j++) {
    // ele = j ^ seed, hashed as its 8 little-endian bytes.
    murmurWord(seedHi, (j ^ seedLo) >>> 0);
    const count = patLenOfHash();
    denseSet(dense, patIndex, count);
    if (sparse.b[ENC_AT] === ENC_DENSE) denseSet(sparse.b, patIndex, count);
    else sparseSet(sparse, patIndex, count, maxBytes);
    if (j !== checkpoint) continue;

    if (j < Math.floor(maxBytes / 2) && sparse.b[ENC_AT] !== ENC_SPARSE) { c.replyError('TESTFAILED sparse encoding not used'); return; }
    const card = hllCount(denseHll)!;
    if (card !== hllCount(sparse)) { c.replyError('TESTFAILED dense/sparse disagree'); return; }
    const absErr = Math.abs(checkpoint - card);
    // At 10 a collision is statistically likely now and then: allow an error of 1.
    const maxErr = j === 10 ? 1 : Math.ceil(relErr * 6 * checkpoint);
    if (absErr > maxErr) { c.replyError(`TESTFAILED Too big error. card:${checkpoint} abserr:${absErr}`); return; }
    checkpoint *= 10;
  }
  c.replyOk();
}

export const hyperloglogCommands: CommandSpec[] = [
  cmd('pfadd', -2, ['write', 'denyoom', 'fast'], [1, 1, 1], {
    ...G, since: '2.8.9', summary: 'Add elements to a HyperLogLog, creating it if needed.', complexity: 'O(1) per element.',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0 }, { name: 'element', type: 'string', optional: true, multiple: true }],
  }, pfadd, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'insert'])] }),
  cmd('pfcount', -2, ['readonly', 'may_replicate'], [1, -1, 1], {
    ...G, since: '2.8.9', summary: 'The estimated number of distinct elements added to the HyperLogLog(s), their union for several keys.',
    complexity: 'O(1) for one key (usually its cached value); O(N) for N keys, with a much larger constant.',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0, multiple: true }],
  }, pfcount, {
    keySpecs: [{ ...keySpecRange(1, -1, 1, ['RW', 'access']), notes: 'RW because it may change the internal representation of the key, and propagate to replicas' }],
  }),
  cmd('pfmerge', -2, ['write', 'denyoom'], [1, -1, 1], {
    ...G, since: '2.8.9', summary: 'Store the union of HyperLogLogs in a key.', complexity: 'O(N) for N HyperLogLogs, with a large constant.',
    args: [{ name: 'destkey', type: 'key', keySpecIndex: 0 }, { name: 'sourcekey', type: 'key', keySpecIndex: 1, multiple: true }],
  }, pfmerge, { keySpecs: [keySpecRange(1, 0, 1, ['RW', 'access', 'insert']), keySpecRange(2, -1, 1, ['RO', 'access'])] }),
  cmd('pfdebug', 3, ['write', 'denyoom', 'admin'], [2, 2, 1], {
    ...G, since: '2.8.9', summary: 'Inspect or convert the registers of a HyperLogLog (internal).', complexity: 'N/A',
    args: [{ name: 'subcommand', type: 'string' }, { name: 'key', type: 'key', keySpecIndex: 0 }],
  }, pfdebug, { keySpecs: [keySpecRange(2, 0, 1, ['RW', 'access'])], docFlags: ['syscmd'] }),
  cmd('pfselftest', 1, ['admin'], [0, 0, 0], {
    ...G, since: '2.8.9', summary: 'Test the HyperLogLog implementation (internal).', complexity: 'N/A',
  }, (c) => pfselftest(c), { docFlags: ['syscmd'] }),
];
