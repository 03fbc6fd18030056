/**
 * Hashes for the trace. The trace keeps a running FNV-1a 64-bit hash over a canonical text
 * encoding of every record, computed with two 32-bit halves so it is fast and exact in JS
 * (no BigInt). Byte payloads are summarised by a 32-bit FNV-1a over their bytes.
 */

const PRIME_LO = 0x1b3; // FNV-64 prime is 2^40 + 0x1b3

export class Fnv64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  /** Feed the UTF-16 code units of `s` (each as two bytes when above 0xff). */
  updateString(s: string): void {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      for (;;) {
        lo = (lo ^ (c & 0xff)) >>> 0;
        // (hi:lo) * (2^40 + 0x1b3) mod 2^64
        const p = lo * PRIME_LO; // < 2^41, exact
        const carry = Math.floor(p / 4294967296);
        const newLo = p >>> 0;
        hi = (Math.imul(hi, PRIME_LO) + carry + (lo << 8)) >>> 0;
        lo = newLo;
        if (c <= 0xff) break;
        c >>>= 8;
      }
    }
    this.hi = hi;
    this.lo = lo;
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

/** FNV-1a 32-bit over bytes (payload fingerprints in trace records). */
export function fnv32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
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
