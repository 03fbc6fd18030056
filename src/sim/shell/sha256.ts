/**
 * SHA-256 (FIPS 180-4) over bytes, for `sha256sum`. Plain TypeScript with no Node imports: the
 * shell also runs in browsers, where WebCrypto's digest is asynchronous and a kernel task cannot
 * wait on a promise.
 */

/** floor(x^(1/k)) for a non-negative BigInt (Newton's method on integers, exact). */
function integerRoot(x: bigint, k: bigint): bigint {
  if (x < BigInt(2)) return x;
  let guess = BigInt(1) << (BigInt(x.toString(2).length) / k + BigInt(1));
  for (;;) {
    const next = ((k - BigInt(1)) * guess + x / guess ** (k - BigInt(1))) / k;
    if (next >= guess) return guess;
    guess = next;
  }
}

/**
 * The first 32 bits of the fractional part of the k-th root of `prime`: floor(root(p * 2^(32k)))
 * mod 2^32, computed exactly with integers instead of trusting the last bits of Math.cbrt.
 */
function rootFractionBits(prime: number, k: number): number {
  const scaled = integerRoot(BigInt(prime) << BigInt(32 * k), BigInt(k));
  return Number(scaled & BigInt(0xffffffff));
}

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
}

const PRIMES = firstPrimes(64);
/** Round constants: cube roots of the first 64 primes (FIPS 180-4, 4.2.2). */
const ROUND_CONSTANTS = Uint32Array.from(PRIMES, (p) => rootFractionBits(p, 3));
/** Initial hash value: square roots of the first 8 primes (FIPS 180-4, 5.3.3). */
const INITIAL_STATE = Uint32Array.from(PRIMES.slice(0, 8), (p) => rootFractionBits(p, 2));

const rotr = (x: number, bits: number) => (x >>> bits) | (x << (32 - bits));

/** The message padded to a multiple of 64 bytes: 0x80, zeros, then the bit length (big-endian). */
function pad(message: Uint8Array): Uint8Array {
  const paddedLen = Math.ceil((message.length + 9) / 64) * 64;
  const out = new Uint8Array(paddedLen);
  out.set(message);
  out[message.length] = 0x80;
  const view = new DataView(out.buffer);
  const bitLen = message.length * 8;
  view.setUint32(paddedLen - 8, Math.floor(bitLen / 2 ** 32), false);
  view.setUint32(paddedLen - 4, bitLen >>> 0, false);
  return out;
}

/** The SHA-256 digest of `message`, as 64 lowercase hex digits. */
export function sha256Hex(message: Uint8Array): string {
  const data = pad(message);
  const view = new DataView(data.buffer);
  const state = Uint32Array.from(INITIAL_STATE);
  const schedule = new Uint32Array(64);
  for (let block = 0; block < data.length; block += 64) {
    for (let t = 0; t < 16; t++) schedule[t] = view.getUint32(block + t * 4, false);
    for (let t = 16; t < 64; t++) {
      const w15 = schedule[t - 15];
      const w2 = schedule[t - 2];
      const sigma0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const sigma1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      schedule[t] = schedule[t - 16] + sigma0 + schedule[t - 7] + sigma1;
    }
    let [a, b, c, d, e, f, g, h] = state;
    for (let t = 0; t < 64; t++) {
      const bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const choose = (e & f) ^ (~e & g);
      const temp1 = (h + bigSigma1 + choose + ROUND_CONSTANTS[t] + schedule[t]) | 0;
      const bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const majority = (a & b) ^ (a & c) ^ (b & c);
      const temp2 = (bigSigma0 + majority) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + temp1) | 0;
      d = c;
      c = b;
      b = a;
      a = (temp1 + temp2) | 0;
    }
    // Uint32Array stores modulo 2^32, so plain additions wrap as the standard requires.
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
  }
  return [...state].map((w) => w.toString(16).padStart(8, '0')).join('');
}
