/**
 * Byte strings.
 *
 * Redis strings are binary-safe byte arrays. Inside the engine we represent them as JS strings
 * whose every char code is one byte (0..255), "byte strings". They are cheap Map keys, compare
 * with ===, and slice without copying. Text typed by a human (UTF-8) is converted at the edges
 * with `utf8ToBytes`/`bytesToUtf8`.
 */

const CHUNK = 0x2000;

/** Bytes → byte string. */
export function bytesToStr(b: Uint8Array, start = 0, end = b.length): string {
  const n = end - start;
  if (n <= 0) return '';
  // Short strings (command names, small keys and values: every request has some) are made by
  // one fromCharCode call with the bytes as arguments, which allocates only the result; medium
  // ones by apply over a reused plain array, longer ones by apply over a view. Concatenating
  // one char at a time would build ropes that cost more when later hashed or compared.
  if (n <= 16) return shortStr(b, start, n);
  if (n <= 64) return mediumStr(b, start, n);
  if (n <= CHUNK) return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  const parts: string[] = [];
  for (let i = start; i < end; i += CHUNK) {
    parts.push(String.fromCharCode.apply(null, b.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]));
  }
  return parts.join('');
}

/** 1 to 16 bytes from b[s] as a string: one fromCharCode call with the bytes as arguments. */
function shortStr(b: Uint8Array, s: number, n: number): string {
  const f = String.fromCharCode;
  switch (n) {
    case 1: return f(b[s]);
    case 2: return f(b[s], b[s + 1]);
    case 3: return f(b[s], b[s + 1], b[s + 2]);
    case 4: return f(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    case 12: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
    case 13: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12]);
    case 14: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13]);
    case 15: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14]);
    default: return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15]);
  }
}

/**
 * Scratch arrays for mediumStr, one per length (fromCharCode.apply over a plain array of the
 * right length beats a typed view, and resizing one shared array costs more than the copy).
 */
const scratchByLength: number[][] = Array.from({ length: 65 }, (_, n) => new Array<number>(n).fill(0));

/** 17 to 64 bytes from b[s] as a string. */
function mediumStr(b: Uint8Array, s: number, n: number): string {
  const scratch = scratchByLength[n];
  for (let i = 0; i < n; i++) scratch[i] = b[s + i];
  return String.fromCharCode.apply(null, scratch);
}

/** Byte string → bytes. Chars above 0xff are truncated to their low byte (never happens for
 * byte strings; callers converting human text use utf8ToBytes). */
export function strToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Write a byte string into `buf` at `pos`; returns the new position. */
export function writeStr(buf: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

export function utf8ToBytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function bytesToUtf8(b: Uint8Array): string {
  return decoder.decode(b);
}

/** Human text (UTF-16 JS string) → byte string of its UTF-8 encoding. */
export function utf8ToStr(s: string): string {
  // Fast path: ASCII is already a byte string.
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) { ascii = false; break; }
  return ascii ? s : bytesToStr(encoder.encode(s));
}

/** Byte string → human text, decoding UTF-8 (invalid sequences become U+FFFD). */
export function strToUtf8(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) { ascii = false; break; }
  return ascii ? s : decoder.decode(strToBytes(s));
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let pos = 0;
  for (const p of parts) { out.set(p, pos); pos += p.length; }
  return out;
}

/** A growable byte buffer. */
export class ByteBuffer {
  buf: Uint8Array;
  len = 0;
  constructor(initial = 1024) { this.buf = new Uint8Array(initial); }
  ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }
  pushByte(b: number): void { this.ensure(1); this.buf[this.len++] = b; }
  pushStr(s: string): void { this.ensure(s.length); this.len = writeStr(this.buf, this.len, s); }
  pushBytes(b: Uint8Array): void { this.ensure(b.length); this.buf.set(b, this.len); this.len += b.length; }
  /**
   * `<prefix byte><decimal n>\r\n`, a RESP header or integer reply, written digit by digit
   * without building a string. `n` must be a safe integer.
   */
  pushIntLine(prefix: number, n: number): void {
    this.ensure(22);
    const buf = this.buf;
    let pos = this.len;
    buf[pos++] = prefix;
    if (n < 0) { buf[pos++] = 45; n = -n; }
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    pos += digits;
    for (let i = pos - 1; i >= pos - digits; i--) {
      const q = Math.floor(n / 10);
      buf[i] = 48 + (n - q * 10);
      n = q;
    }
    buf[pos++] = 13;
    buf[pos++] = 10;
    this.len = pos;
  }
  pushCrlf(): void { this.ensure(2); this.buf[this.len++] = 13; this.buf[this.len++] = 10; }
  /** Take the content and reset (the returned array is a copy-free view when possible). */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.len);
    this.len = 0;
    if (this.buf.length > 65536) this.buf = new Uint8Array(1024);
    return out;
  }
  /** Drop the first `n` bytes (written to a socket), keeping the rest at the front. */
  consume(n: number): void {
    if (n >= this.len) {
      this.len = 0;
      if (this.buf.length > 65536) this.buf = new Uint8Array(1024);
      return;
    }
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
  }
  view(): Uint8Array { return this.buf.subarray(0, this.len); }
  clear(): void { this.len = 0; }
}
