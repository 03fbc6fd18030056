/**
 * mulberry32: a tiny seeded PRNG for tests (the same sequence for the same seed, so a failure
 * reproduces). The simulation has its own RNG streams (src/sim/kernel/rng.ts); this one is for
 * test data and fakes.
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
