/**
 * DEFLATE (RFC 1951) and the gzip member format (RFC 1952) in plain TypeScript, for the
 * simulated gzip and tar -z: the shell also runs in the browser, where Node's zlib is not.
 *
 * The compressor is LZ77 over a 32 KiB window (hash chains, zlib's per-level chain lengths and
 * lazy matching) with each block sent as stored, fixed or dynamic Huffman, whichever is
 * smallest. Its bytes need not be zlib's, only valid DEFLATE that every inflater reads, and
 * deterministic. The inflater reads all three block types, so real gzip's output decompresses.
 */

// ---- CRC-32 (the gzip trailer's check) --------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as gzip computes it (reflected, polynomial 0xEDB88320). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---- the code tables of RFC 1951 3.2.5 ----------------------------------------------------

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** The order the code length code's lengths are sent in. */
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Length (3..258) → its length symbol's index 0..28. */
const LENGTH_CODE = (() => {
  const t = new Uint8Array(259);
  for (let code = 0; code < 29; code++) {
    const end = code === 28 ? 259 : LENGTH_BASE[code + 1];
    for (let len = LENGTH_BASE[code]; len < end; len++) t[len] = code;
  }
  t[258] = 28;
  return t;
})();

function distCode(dist: number): number {
  let lo = 0;
  let hi = 29;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (DIST_BASE[mid] <= dist) lo = mid; else hi = mid - 1;
  }
  return lo;
}

const FIXED_LITLEN_LENGTHS = Uint8Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8));
const FIXED_DIST_LENGTHS = new Uint8Array(30).fill(5);

// ---- errors ---------------------------------------------------------------------------------

/** Input that is not valid DEFLATE (or ends before its last block). */
export class InflateError extends Error {}

// ---- inflate ----------------------------------------------------------------------------------

/**
 * A Huffman decoding table indexed by the next `maxLen` input bits (LSB first, as DEFLATE packs
 * codes reversed): each entry is symbol << 4 | code length, 0 where no code starts.
 */
interface Huffman { table: Uint16Array; maxLen: number }

function buildDecoder(lengths: ArrayLike<number>, n: number): Huffman {
  const counts = new Uint16Array(16);
  for (let i = 0; i < n; i++) counts[lengths[i]]++;
  counts[0] = 0;
  // An over-subscribed set of lengths is no prefix code.
  let left = 1;
  for (let len = 1; len < 16; len++) {
    left = (left << 1) - counts[len];
    if (left < 0) throw new InflateError('over-subscribed code');
  }
  let maxLen = 1;
  for (let len = 1; len < 16; len++) if (counts[len]) maxLen = len;
  // Canonical codes (RFC 1951 3.2.2), each spread over every index that starts with it.
  const next = new Uint16Array(16);
  let code = 0;
  for (let len = 1; len < 16; len++) { code = (code + counts[len - 1]) << 1; next[len] = code; }
  const table = new Uint16Array(1 << maxLen);
  for (let sym = 0; sym < n; sym++) {
    const len = lengths[sym];
    if (!len) continue;
    const reversed = reverseBits(next[len]++, len);
    for (let k = reversed; k < table.length; k += 1 << len) table[k] = (sym << 4) | len;
  }
  return { table, maxLen };
}

class BitReader {
  pos = 0;
  private bitBuf = 0;
  private bitCount = 0;
  constructor(private readonly data: Uint8Array, start: number) { this.pos = start; }

  bits(n: number): number {
    while (this.bitCount < n) {
      if (this.pos >= this.data.length) throw new InflateError('unexpected end of file');
      this.bitBuf |= this.data[this.pos++] << this.bitCount;
      this.bitCount += 8;
    }
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCount -= n;
    return v;
  }

  /** Drop the bits left of the current byte (a stored block starts on a byte boundary). */
  alignToByte(): void { this.bitBuf = 0; this.bitCount = 0; }

  decode(h: Huffman): number {
    // Take in the bytes the longest code may need (fewer at the end of the input).
    while (this.bitCount < h.maxLen && this.pos < this.data.length) {
      this.bitBuf |= this.data[this.pos++] << this.bitCount;
      this.bitCount += 8;
    }
    const entry = h.table[this.bitBuf & ((1 << h.maxLen) - 1)];
    const len = entry & 15;
    if (len === 0) throw new InflateError(this.bitCount < h.maxLen ? 'unexpected end of file' : 'invalid code');
    if (len > this.bitCount) throw new InflateError('unexpected end of file');
    this.bitBuf >>>= len;
    this.bitCount -= len;
    return entry >> 4;
  }

  byte(): number {
    if (this.pos >= this.data.length) throw new InflateError('unexpected end of file');
    return this.data[this.pos++];
  }
}

/** A growing output buffer. */
class ByteSink {
  buf = new Uint8Array(1024);
  len = 0;
  ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  push(b: number): void { this.ensure(1); this.buf[this.len++] = b; }
  bytes(): Uint8Array { return this.buf.slice(0, this.len); }
}

/**
 * Inflate raw DEFLATE from `start`: the bytes, and where the stream ended (the byte after its
 * last block), where a gzip trailer follows.
 */
export function inflateRaw(data: Uint8Array, start = 0): { bytes: Uint8Array; end: number } {
  const r = new BitReader(data, start);
  const out = new ByteSink();
  const fixedLit = buildDecoder(FIXED_LITLEN_LENGTHS, 288);
  const fixedDist = buildDecoder(FIXED_DIST_LENGTHS, 30);
  let last = 0;
  while (!last) {
    last = r.bits(1);
    const type = r.bits(2);
    if (type === 0) {
      r.alignToByte();
      const len = r.byte() | (r.byte() << 8);
      const nlen = r.byte() | (r.byte() << 8);
      if ((len ^ 0xffff) !== nlen) throw new InflateError('stored block length mismatch');
      if (r.pos + len > data.length) throw new InflateError('unexpected end of file');
      out.ensure(len);
      out.buf.set(data.subarray(r.pos, r.pos + len), out.len);
      out.len += len;
      r.pos += len;
      continue;
    }
    if (type === 3) throw new InflateError('invalid block type');
    let lit = fixedLit;
    let dist = fixedDist;
    if (type === 2) [lit, dist] = readDynamicTables(r);
    for (;;) {
      const sym = r.decode(lit);
      if (sym < 256) { out.push(sym); continue; }
      if (sym === 256) break;
      const li = sym - 257;
      if (li >= 29) throw new InflateError('invalid length code');
      const len = LENGTH_BASE[li] + r.bits(LENGTH_EXTRA[li]);
      const di = r.decode(dist);
      if (di >= 30) throw new InflateError('invalid distance code');
      const d = DIST_BASE[di] + r.bits(DIST_EXTRA[di]);
      if (d > out.len) throw new InflateError('distance too far back');
      out.ensure(len);
      const b = out.buf;
      for (let k = 0; k < len; k++) { b[out.len] = b[out.len - d]; out.len++; }
    }
  }
  return { bytes: out.bytes(), end: r.pos };
}

function readDynamicTables(r: BitReader): [Huffman, Huffman] {
  const hlit = r.bits(5) + 257;
  const hdist = r.bits(5) + 1;
  const hclen = r.bits(4) + 4;
  const clens = new Uint8Array(19);
  for (let i = 0; i < hclen; i++) clens[CLEN_ORDER[i]] = r.bits(3);
  const clenCode = buildDecoder(clens, 19);
  const lengths = new Uint8Array(hlit + hdist);
  for (let i = 0; i < hlit + hdist;) {
    const sym = r.decode(clenCode);
    if (sym < 16) { lengths[i++] = sym; continue; }
    let repeat: number;
    let value = 0;
    if (sym === 16) {
      if (i === 0) throw new InflateError('repeat with no previous length');
      value = lengths[i - 1];
      repeat = 3 + r.bits(2);
    } else if (sym === 17) repeat = 3 + r.bits(3);
    else repeat = 11 + r.bits(7);
    if (i + repeat > hlit + hdist) throw new InflateError('too many lengths');
    while (repeat--) lengths[i++] = value;
  }
  if (lengths[256] === 0) throw new InflateError('no end-of-block code');
  return [buildDecoder(lengths.subarray(0, hlit), hlit), buildDecoder(lengths.subarray(hlit), hdist)];
}

// ---- deflate ----------------------------------------------------------------------------------

class BitWriter {
  private out = new ByteSink();
  private bitBuf = 0;
  private bitCount = 0;

  bits(value: number, n: number): void {
    this.bitBuf |= value << this.bitCount;
    this.bitCount += n;
    while (this.bitCount >= 8) {
      this.out.push(this.bitBuf & 0xff);
      this.bitBuf >>>= 8;
      this.bitCount -= 8;
    }
  }

  /** A Huffman code, sent most significant bit first. */
  code(code: number, len: number): void { this.bits(reverseBits(code, len), len); }

  alignToByte(): void { if (this.bitCount > 0) this.bits(0, 8 - this.bitCount); }

  bytes(data: Uint8Array): void {
    this.out.ensure(data.length);
    this.out.buf.set(data, this.out.len);
    this.out.len += data.length;
  }

  finish(): Uint8Array { this.alignToByte(); return this.out.bytes(); }
}

function reverseBits(code: number, len: number): number {
  let r = 0;
  for (let i = 0; i < len; i++) { r = (r << 1) | (code & 1); code >>>= 1; }
  return r;
}

/** Canonical codes for a set of lengths (RFC 1951 3.2.2). */
function canonicalCodes(lengths: Uint8Array): Uint16Array {
  const count = new Uint16Array(16);
  for (const l of lengths) count[l]++;
  count[0] = 0;
  const next = new Uint16Array(16);
  let code = 0;
  for (let len = 1; len < 16; len++) { code = (code + count[len - 1]) << 1; next[len] = code; }
  const codes = new Uint16Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) if (lengths[i]) codes[i] = next[lengths[i]]++;
  return codes;
}

/**
 * Huffman code lengths for `freqs`, none longer than `maxBits`: a Huffman tree's depths, then
 * (when too deep) the overlong codes clamped and the Kraft sum repaired by lengthening the
 * longest codes still short enough, as miniz does. A lone used symbol gets length 1.
 */
function codeLengths(freqs: Uint32Array, maxBits: number): Uint8Array {
  const n = freqs.length;
  const lengths = new Uint8Array(n);
  const used: number[] = [];
  for (let i = 0; i < n; i++) if (freqs[i] > 0) used.push(i);
  if (used.length === 0) return lengths;
  if (used.length === 1) { lengths[used[0]] = 1; return lengths; }
  // A tree by repeated merging of the two lightest nodes (ties by index: deterministic).
  const weight: number[] = [];
  const parent: number[] = [];
  let nodes: number[] = [];
  for (const s of used) { weight.push(freqs[s]); parent.push(-1); nodes.push(weight.length - 1); }
  nodes.sort((a, b) => weight[a] - weight[b] || a - b);
  // Two queues: leaves sorted, internal nodes in creation order (their weights never decrease).
  const internal: number[] = [];
  let li = 0;
  let ii = 0;
  const takeLightest = (): number => {
    if (li < nodes.length && (ii >= internal.length || weight[nodes[li]] <= weight[internal[ii]])) return nodes[li++];
    return internal[ii++];
  };
  for (let k = 0; k < used.length - 1; k++) {
    const a = takeLightest();
    const b = takeLightest();
    weight.push(weight[a] + weight[b]);
    parent.push(-1);
    const id = weight.length - 1;
    parent[a] = id;
    parent[b] = id;
    internal.push(id);
  }
  nodes = [];
  const depthOf = (leaf: number): number => { let d = 0; for (let x = leaf; parent[x] !== -1; x = parent[x]) d++; return d; };
  const depths = used.map((_, leaf) => depthOf(leaf));
  // Count codes per length, clamped, and repair the Kraft sum.
  const numCodes = new Array<number>(Math.max(maxBits, ...depths) + 1).fill(0);
  for (const d of depths) numCodes[Math.min(d, maxBits)]++;
  let total = 0;
  for (let len = maxBits; len > 0; len--) total += numCodes[len] * 2 ** (maxBits - len);
  while (total > 2 ** maxBits) {
    numCodes[maxBits]--;
    for (let len = maxBits - 1; len > 0; len--) {
      if (numCodes[len]) { numCodes[len]--; numCodes[len + 1] += 2; break; }
    }
    total--;
  }
  // The most frequent symbols get the shortest codes.
  const byFreq = [...used].sort((a, b) => freqs[b] - freqs[a] || a - b);
  let at = 0;
  for (let len = 1; len <= maxBits; len++) {
    for (let k = 0; k < numCodes[len]; k++) lengths[byFreq[at++]] = len;
  }
  return lengths;
}

/** zlib's configuration per level: how hard to look for matches. */
interface LevelConfig { good: number; lazy: number; nice: number; chain: number }
const LEVELS: LevelConfig[] = [
  { good: 0, lazy: 0, nice: 0, chain: 0 },
  { good: 4, lazy: 0, nice: 8, chain: 4 },
  { good: 4, lazy: 0, nice: 16, chain: 8 },
  { good: 4, lazy: 0, nice: 32, chain: 32 },
  { good: 4, lazy: 4, nice: 16, chain: 16 },
  { good: 8, lazy: 16, nice: 32, chain: 32 },
  { good: 8, lazy: 16, nice: 128, chain: 128 },
  { good: 8, lazy: 32, nice: 128, chain: 256 },
  { good: 32, lazy: 128, nice: 258, chain: 1024 },
  { good: 32, lazy: 258, nice: 258, chain: 4096 },
];

const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const HASH_BITS = 15;
/** Symbols per block before it is sent (zlib's lit_bufsize at memLevel 8, less one). */
const BLOCK_SYMBOLS = 16383;
const MAX_STORED = 65535;

/** Compress `data` as raw DEFLATE at `level` 1..9. */
export function deflateRaw(data: Uint8Array, level = 6): Uint8Array {
  const cfg = LEVELS[Math.min(9, Math.max(1, level))];
  const w = new BitWriter();
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(WINDOW);
  const hash = (i: number) => ((data[i] << 10) ^ (data[i + 1] << 5) ^ data[i + 2]) & ((1 << HASH_BITS) - 1);
  const insert = (i: number) => {
    if (i + MIN_MATCH > data.length) return;
    const h = hash(i);
    prev[i & (WINDOW - 1)] = head[h];
    head[h] = i;
  };
  // The longest match found by `longest` (no objects: this runs for every input position).
  let foundLen = 0;
  let foundDist = 0;
  const longest = (i: number, prevLen: number): void => {
    let best = 0;
    let bestDist = 0;
    foundLen = 0;
    foundDist = 0;
    if (i + MIN_MATCH > data.length) return;
    const max = Math.min(MAX_MATCH, data.length - i);
    let chain = prevLen >= cfg.good ? cfg.chain >> 2 : cfg.chain;
    let cand = head[hash(i)];
    while (cand >= 0 && i - cand <= WINDOW && chain-- > 0) {
      if (data[cand + best] === data[i + best] && data[cand] === data[i]) {
        let len = 0;
        while (len < max && data[cand + len] === data[i + len]) len++;
        if (len > best) { best = len; bestDist = i - cand; if (len >= cfg.nice || len === max) break; }
      }
      const next = prev[cand & (WINDOW - 1)];
      if (next >= cand) break;
      cand = next;
    }
    if (best >= MIN_MATCH) { foundLen = best; foundDist = bestDist; }
  };

  // Symbols of the current block: a literal (dist 0) or a match.
  let lits: number[] = [];
  let dists: number[] = [];
  let blockStart = 0;
  const flush = (end: number, last: boolean) => {
    writeBlock(w, data.subarray(blockStart, end), lits, dists, last);
    lits = [];
    dists = [];
    blockStart = end;
  };

  let i = 0;
  const lazy = cfg.lazy > 0;
  while (i < data.length) {
    longest(i, 0);
    let len = foundLen;
    let dist = foundDist;
    if (lazy && len > 0 && len < cfg.lazy && i + 1 < data.length) {
      insert(i);
      longest(i + 1, len);
      if (foundLen > len) {
        // A longer match one byte on: this byte goes as a literal.
        lits.push(data[i]);
        dists.push(0);
        i++;
        len = foundLen;
        dist = foundDist;
      } else {
        // The match at i stands (i is in its hash chain already).
        emitMatch(len, dist, i, true);
        continue;
      }
    }
    if (len === 0) {
      insert(i);
      lits.push(data[i]);
      dists.push(0);
      i++;
    } else emitMatch(len, dist, i, false);
    if (lits.length >= BLOCK_SYMBOLS) flush(i, false);
  }
  flush(data.length, true);
  return w.finish();

  function emitMatch(len: number, dist: number, at: number, inserted: boolean): void {
    lits.push(len);
    dists.push(dist);
    for (let k = inserted ? 1 : 0; k < len; k++) insert(at + k);
    i = at + len;
    if (lits.length >= BLOCK_SYMBOLS) flush(i, false);
  }
}

/** Send one block as stored, fixed or dynamic Huffman, whichever takes fewest bits. */
function writeBlock(w: BitWriter, raw: Uint8Array, lits: number[], dists: number[], last: boolean): void {
  const litFreq = new Uint32Array(286);
  const distFreq = new Uint32Array(30);
  for (let k = 0; k < lits.length; k++) {
    if (dists[k] === 0) litFreq[lits[k]]++;
    else { litFreq[257 + LENGTH_CODE[lits[k]]]++; distFreq[distCode(dists[k])]++; }
  }
  litFreq[256] = 1;
  const litLens = codeLengths(litFreq, 15);
  const distLens = codeLengths(distFreq, 15);
  // Some inflaters want at least one distance code even when there are no matches.
  if (distLens.every((l) => l === 0)) distLens[0] = 1;
  const header = dynamicHeader(litLens, distLens);
  const bodyBits = (ll: Uint8Array, dl: Uint8Array) => {
    let bits = 0;
    for (let s = 0; s < 286; s++) bits += litFreq[s] * ll[s];
    for (let s = 0; s < 29; s++) bits += litFreq[257 + s] * LENGTH_EXTRA[s];
    for (let s = 0; s < 30; s++) bits += distFreq[s] * (dl[s] + DIST_EXTRA[s]);
    return bits;
  };
  const dynamicBits = 3 + header.bits + bodyBits(litLens, distLens);
  const fixedBits = 3 + bodyBits(FIXED_LITLEN_LENGTHS, FIXED_DIST_LENGTHS);
  // Stored: up to 7 bits to the byte boundary, then 4 length bytes per 64 KiB piece.
  const storedBits = 3 + 7 + Math.max(1, Math.ceil(raw.length / MAX_STORED)) * 32 + raw.length * 8;
  if (storedBits <= fixedBits && storedBits <= dynamicBits) {
    for (let off = 0; off < raw.length || off === 0; off += MAX_STORED) {
      const piece = raw.subarray(off, off + MAX_STORED);
      const final = last && off + MAX_STORED >= raw.length;
      w.bits(final ? 1 : 0, 1);
      w.bits(0, 2);
      w.alignToByte();
      w.bits(piece.length & 0xff, 8); w.bits(piece.length >> 8, 8);
      w.bits(~piece.length & 0xff, 8); w.bits((~piece.length >> 8) & 0xff, 8);
      w.bytes(piece);
      if (raw.length === 0) break;
    }
    return;
  }
  w.bits(last ? 1 : 0, 1);
  let ll: Uint8Array = FIXED_LITLEN_LENGTHS;
  let dl: Uint8Array = FIXED_DIST_LENGTHS;
  if (dynamicBits < fixedBits) {
    w.bits(2, 2);
    header.write(w);
    ll = litLens;
    dl = distLens;
  } else w.bits(1, 2);
  const lc = canonicalCodes(ll);
  const dc = canonicalCodes(dl);
  for (let k = 0; k < lits.length; k++) {
    if (dists[k] === 0) { w.code(lc[lits[k]], ll[lits[k]]); continue; }
    const li = LENGTH_CODE[lits[k]];
    w.code(lc[257 + li], ll[257 + li]);
    if (LENGTH_EXTRA[li]) w.bits(lits[k] - LENGTH_BASE[li], LENGTH_EXTRA[li]);
    const di = distCode(dists[k]);
    w.code(dc[di], dl[di]);
    if (DIST_EXTRA[di]) w.bits(dists[k] - DIST_BASE[di], DIST_EXTRA[di]);
  }
  w.code(lc[256], ll[256]);
}

/** A dynamic block's header: the code lengths, run-length coded, and their own code. */
function dynamicHeader(litLens: Uint8Array, distLens: Uint8Array): { bits: number; write: (w: BitWriter) => void } {
  let hlit = 286;
  while (hlit > 257 && litLens[hlit - 1] === 0) hlit--;
  let hdist = 30;
  while (hdist > 1 && distLens[hdist - 1] === 0) hdist--;
  const all = [...litLens.subarray(0, hlit), ...distLens.subarray(0, hdist)];
  // Run-length symbols: [symbol, extra bits value].
  const rle: [number, number][] = [];
  for (let i = 0; i < all.length;) {
    const v = all[i];
    let run = 1;
    while (i + run < all.length && all[i + run] === v) run++;
    let left = run;
    if (v === 0) {
      while (left >= 11) { const n = Math.min(138, left); rle.push([18, n - 11]); left -= n; }
      if (left >= 3) { rle.push([17, left - 3]); left = 0; }
    } else {
      rle.push([v, 0]);
      left--;
      while (left >= 3) { const n = Math.min(6, left); rle.push([16, n - 3]); left -= n; }
    }
    while (left-- > 0) rle.push([v, 0]);
    i += run;
  }
  const clFreq = new Uint32Array(19);
  for (const [s] of rle) clFreq[s]++;
  const clLens = codeLengths(clFreq, 7);
  let hclen = 19;
  while (hclen > 4 && clLens[CLEN_ORDER[hclen - 1]] === 0) hclen--;
  const EXTRA: Record<number, number> = { 16: 2, 17: 3, 18: 7 };
  let bits = 14 + hclen * 3;
  for (const [s] of rle) bits += clLens[s] + (EXTRA[s] ?? 0);
  return {
    bits,
    write(w) {
      w.bits(hlit - 257, 5);
      w.bits(hdist - 1, 5);
      w.bits(hclen - 4, 4);
      for (let k = 0; k < hclen; k++) w.bits(clLens[CLEN_ORDER[k]], 3);
      const codes = canonicalCodes(clLens);
      for (const [s, extra] of rle) {
        w.code(codes[s], clLens[s]);
        if (EXTRA[s]) w.bits(extra, EXTRA[s]);
      }
    },
  };
}

// ---- gzip members -------------------------------------------------------------------------

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
/** The OS byte gzip writes on Unix. */
const OS_UNIX = 3;

export interface GzipOptions {
  level?: number;
  /** The original name (FNAME), when compressing a named file and not -n. */
  name?: string | null;
  /** Modification time in seconds (0: none). */
  mtimeSeconds?: number;
}

/** A gzip member: header (with its name), deflated data, CRC-32 and size. */
export function gzip(data: Uint8Array, opts: GzipOptions = {}): Uint8Array {
  const level = opts.level ?? 6;
  const mtime = opts.mtimeSeconds ?? 0;
  const name = opts.name ?? null;
  // gzip's XFL: 2 for its slowest level, 4 for its fastest.
  const xfl = level === 9 ? 2 : level === 1 ? 4 : 0;
  const header = [0x1f, 0x8b, 8, name !== null ? FNAME : 0, mtime & 0xff, (mtime >>> 8) & 0xff, (mtime >>> 16) & 0xff, (mtime >>> 24) & 0xff, xfl, OS_UNIX];
  const nameBytes = name !== null ? [...name].map((c) => c.charCodeAt(0) & 0xff).concat(0) : [];
  const body = deflateRaw(data, level);
  const out = new Uint8Array(header.length + nameBytes.length + body.length + 8);
  out.set(header, 0);
  out.set(nameBytes, header.length);
  out.set(body, header.length + nameBytes.length);
  const t = out.length - 8;
  const crc = crc32(data);
  const size = data.length >>> 0;
  for (let k = 0; k < 4; k++) { out[t + k] = (crc >>> (8 * k)) & 0xff; out[t + 4 + k] = (size >>> (8 * k)) & 0xff; }
  return out;
}

/** What reading gzip data found: its bytes, or why it stopped (with the bytes before). */
export type GunzipResult =
  | { ok: true; bytes: Uint8Array; members: GzipHeader[] }
  | { ok: false; error: 'not in gzip format' | 'unexpected end of file' | 'invalid compressed data--format violated' | 'invalid compressed data--crc error' | 'invalid compressed data--length error' | 'unknown method'; bytes: Uint8Array; trailingGarbage?: boolean; garbageAt?: number };

export interface GzipHeader { name: string | null; mtimeSeconds: number; headerBytes: number; crc: number }

export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/**
 * Decompress gzip data: every member in turn (concatenated .gz files are one stream), each
 * with its CRC-32 and ISIZE checked. Zeros after a member are padding (as gzip allows); other
 * bytes after a member are trailing garbage, ignored with a warning by gzip.
 */
export function gunzip(data: Uint8Array): GunzipResult {
  const parts: Uint8Array[] = [];
  const members: GzipHeader[] = [];
  let pos = 0;
  const joined = () => concatBytes(parts);
  while (pos < data.length) {
    if (!(data[pos] === 0x1f && data[pos + 1] === 0x8b)) {
      if (members.length === 0) return { ok: false, error: 'not in gzip format', bytes: joined() };
      if (data.subarray(pos).every((b) => b === 0)) break;
      return { ok: false, error: 'not in gzip format', bytes: joined(), trailingGarbage: true, garbageAt: pos };
    }
    if (pos + 10 > data.length) return { ok: false, error: 'unexpected end of file', bytes: joined() };
    if (data[pos + 2] !== 8) return { ok: false, error: 'unknown method', bytes: joined() };
    const flags = data[pos + 3];
    const mtimeSeconds = (data[pos + 4] | (data[pos + 5] << 8) | (data[pos + 6] << 16) | (data[pos + 7] << 24)) >>> 0;
    let p = pos + 10;
    if (flags & FEXTRA) p += 2 + (data[p] | (data[p + 1] << 8));
    let name: string | null = null;
    if (flags & FNAME) {
      const end = data.indexOf(0, p);
      if (end < 0) return { ok: false, error: 'unexpected end of file', bytes: joined() };
      name = String.fromCharCode(...data.subarray(p, end));
      p = end + 1;
    }
    if (flags & FCOMMENT) {
      const end = data.indexOf(0, p);
      if (end < 0) return { ok: false, error: 'unexpected end of file', bytes: joined() };
      p = end + 1;
    }
    if (flags & FHCRC) p += 2;
    if (p > data.length) return { ok: false, error: 'unexpected end of file', bytes: joined() };
    let inflated: { bytes: Uint8Array; end: number };
    try {
      inflated = inflateRaw(data, p);
    } catch (e) {
      if (!(e instanceof InflateError)) throw e;
      return { ok: false, error: e.message === 'unexpected end of file' ? 'unexpected end of file' : 'invalid compressed data--format violated', bytes: joined() };
    }
    parts.push(inflated.bytes);
    const t = inflated.end;
    if (t + 8 > data.length) return { ok: false, error: 'unexpected end of file', bytes: joined() };
    const le32 = (o: number) => (data[o] | (data[o + 1] << 8) | (data[o + 2] << 16) | (data[o + 3] << 24)) >>> 0;
    const crc = le32(t);
    if (crc !== crc32(inflated.bytes)) return { ok: false, error: 'invalid compressed data--crc error', bytes: joined() };
    if (le32(t + 4) !== (inflated.bytes.length >>> 0)) return { ok: false, error: 'invalid compressed data--length error', bytes: joined() };
    members.push({ name, mtimeSeconds, headerBytes: p - pos + 8, crc });
    pos = t + 8;
  }
  if (members.length === 0) return { ok: false, error: 'unexpected end of file', bytes: joined() };
  return { ok: true, bytes: joined(), members };
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
