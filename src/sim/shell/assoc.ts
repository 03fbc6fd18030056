/**
 * An associative array (`declare -A m`) that lists its keys in the order bash 5.2 does, which is
 * the order of bash's own hash table — deterministic, since the hash is a fixed function:
 *
 * - A key's hash is 32-bit FNV-1 over its bytes (multiply by 16777619, then xor the byte),
 *   starting from 2166136261; the bytes are C `char`s, signed on x86, so a byte of 0x80 or more
 *   is xor'ed sign-extended (0xffffff80 | b).
 * - The table has a power-of-two number of buckets (1024 for `declare -A`, 128 for a scalar
 *   turned into an associative array); a key goes to bucket `hash & (buckets - 1)`, at the
 *   head of that bucket's chain. Replacing a value keeps the key where it is; removing it
 *   unlinks it.
 * - Inserting a new key when the table holds twice as many keys as it has buckets first grows
 *   it fourfold: the old buckets are walked in order, each chain from its head, and every key
 *   is pushed onto the head of its new bucket.
 * - `${!m[@]}`, `${m[@]}` and `declare -p` walk the buckets in order, each chain from its head.
 */

/** bash's initial bucket count for `declare -A` (and `local -A`). */
export const ASSOC_BUCKETS = 1024;

/** bash's default bucket count, which a scalar converted to an associative array gets. */
export const DEFAULT_BUCKETS = 128;

interface Entry { key: string; value: string; hash: number }

/** bash's hash_string: FNV-1 over the key's bytes (chars 0..255), signed chars sign-extended. */
export function bashHash(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    const byte = key.charCodeAt(i) & 0xff;
    h = Math.imul(h, 16777619) >>> 0;
    h = (h ^ (byte >= 0x80 ? (byte | 0xffffff00) >>> 0 : byte)) >>> 0;
  }
  return h;
}

export class AssocArray {
  /** The chains, by bucket; a chain's head (the newest key) first. Holes are empty buckets. */
  private buckets: Entry[][] = [];
  private readonly index = new Map<string, Entry>();

  constructor(private nbuckets = ASSOC_BUCKETS) {}

  get size(): number { return this.index.size; }

  get(key: string): string | undefined { return this.index.get(key)?.value; }

  has(key: string): boolean { return this.index.has(key); }

  set(key: string, value: string): void {
    const e = this.index.get(key);
    if (e) { e.value = value; return; }
    if (this.index.size >= this.nbuckets * 2) this.grow();
    const entry = { key, value, hash: bashHash(key) };
    this.chain(entry.hash).unshift(entry);
    this.index.set(key, entry);
  }

  delete(key: string): boolean {
    const e = this.index.get(key);
    if (!e) return false;
    const chain = this.chain(e.hash);
    chain.splice(chain.indexOf(e), 1);
    this.index.delete(key);
    return true;
  }

  /** The entries in bash's order (see the top of this file). */
  entries(): [string, string][] {
    const out: [string, string][] = [];
    // forEach visits only the buckets in use, in order.
    this.buckets.forEach((chain) => { for (const e of chain) out.push([e.key, e.value]); });
    return out;
  }

  keys(): string[] { return this.entries().map(([k]) => k); }

  values(): string[] { return this.entries().map(([, v]) => v); }

  /** An empty table of the same size (what `m=(…)` assigns into). */
  emptied(): AssocArray { return new AssocArray(this.nbuckets); }

  clone(): AssocArray {
    const c = new AssocArray(this.nbuckets);
    this.buckets.forEach((chain, b) => {
      c.buckets[b] = chain.map((e) => ({ ...e }));
      for (const e of c.buckets[b]) c.index.set(e.key, e);
    });
    return c;
  }

  private chain(hash: number): Entry[] {
    const b = hash & (this.nbuckets - 1);
    return (this.buckets[b] ??= []);
  }

  private grow(): void {
    const old = this.buckets;
    this.nbuckets *= 4;
    this.buckets = [];
    old.forEach((chain) => { for (const e of chain) this.chain(e.hash).unshift(e); });
  }
}
