/**
 * Hashes for the trace: the running hash over every record (`TraceHash`), the 32-bit
 * fingerprints of byte payloads in `send`/`recv` records and of file contents, and the one that
 * seeds RNG streams by name.
 */

/** FNV-1a 32-bit over bytes (file contents in a world's fingerprint). */
export function fnv32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A 32-bit fingerprint of a send's or a receive's bytes, four bytes per step: FNV-style
 * multiply-xor over little-endian words (typed-array order on every platform we run on; each
 * step a bijection of the state, so one changed
 * word always changes the result), the length, then murmur3's final mix so the high bits
 * reach the low ones. Several times faster than fnv32 on the INFO replies and RDB transfers
 * every trace hashes twice.
 */
export function payloadHash(bytes: Uint8Array): number {
  const n = bytes.length;
  const words = n >>> 2;
  let h = 0x811c9dc5;
  // A word view costs an allocation: worth it for payloads bigger than a PING.
  if (n >= 256 && (bytes.byteOffset & 3) === 0) {
    const w32 = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    for (let i = 0; i < words; i++) h = Math.imul(h ^ w32[i], 0x01000193);
  } else {
    for (let i = 0; i < words; i++) {
      const j = i << 2;
      h = Math.imul(h ^ (bytes[j] | (bytes[j + 1] << 8) | (bytes[j + 2] << 16) | (bytes[j + 3] << 24)), 0x01000193);
    }
  }
  for (let j = words << 2; j < n; j++) h = Math.imul(h ^ bytes[j], 0x01000193);
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a 32-bit over a string's code units (seeding RNG streams by name). */
export function fnv32s(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * The trace's running hash: two independent 32-bit FNV-1a-style lanes (different primes and
 * offsets) fed with record fields, 64 bits of state in all. Numbers are fed as the two words
 * of their IEEE-754 bits, strings as their UTF-16 code units, each field followed by a
 * separator so field boundaries count. A fingerprint for "same history", not a cryptographic
 * hash.
 */
export class TraceHash {
  private a = 0x811c9dc5;
  private b = 0x9e3779b9;

  number(n: number): void {
    f64[0] = n;
    this.word(u32[0]);
    this.word(u32[1]);
  }

  string(s: string): void {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    this.a = Math.imul(a ^ 0x1f, 0x01000193);
    this.b = Math.imul(b ^ 0x1f, 0x5bd1e995) ^ (a >>> 15);
  }

  /** End of a record. */
  end(): void {
    this.a = Math.imul(this.a ^ 0x0a, 0x01000193);
    this.b = Math.imul(this.b ^ (this.a >>> 13), 0x5bd1e995);
  }

  private word(w: number): void {
    this.a = Math.imul(this.a ^ w, 0x01000193);
    this.b = Math.imul(this.b ^ w, 0x5bd1e995) ^ (this.a >>> 15);
  }

  hex(): string {
    return (this.b >>> 0).toString(16).padStart(8, '0') + (this.a >>> 0).toString(16).padStart(8, '0');
  }
}
