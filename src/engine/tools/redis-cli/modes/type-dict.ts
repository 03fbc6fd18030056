/**
 * The iteration order of redis-cli's dict of key types, reproduced.
 *
 * --bigkeys prints its per-type summary by walking a Redis dict (keys hashed with SipHash-1-2
 * and redis-cli's all-zero seed). That order is not fixed: the dict starts with 4 buckets,
 * grows to 8 while the six built-in types are added, and then rehashes incrementally, one
 * bucket per lookup. So the order depends on how many keys were looked up, and it differs
 * between an empty and a populated keyspace. This models exactly that much of dict.c:
 * head insertion into bucket chains, power-of-two growth at load factor 1, one-bucket
 * rehash steps (visiting at most 10 empty buckets) on add and find, and iteration over the
 * old table then the new one.
 */

const MASK64 = (1n << 64n) - 1n;

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK64;
}

/** Redis's siphash(): SipHash-1-2 with a 16-byte key (here all zeros, as in redis-cli). */
export function siphash12(data: string): bigint {
  let v0 = 0x736f6d6570736575n;
  let v1 = 0x646f72616e646f6dn;
  let v2 = 0x6c7967656e657261n;
  let v3 = 0x7465646279746573n;
  const round = () => {
    v0 = (v0 + v1) & MASK64; v1 = rotl(v1, 13n); v1 ^= v0; v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & MASK64; v3 = rotl(v3, 16n); v3 ^= v2;
    v0 = (v0 + v3) & MASK64; v3 = rotl(v3, 21n); v3 ^= v0;
    v2 = (v2 + v1) & MASK64; v1 = rotl(v1, 17n); v1 ^= v2; v2 = rotl(v2, 32n);
  };
  const len = data.length;
  const end = len - (len % 8);
  for (let i = 0; i < end; i += 8) {
    let m = 0n;
    for (let j = 7; j >= 0; j--) m = (m << 8n) | BigInt(data.charCodeAt(i + j) & 0xff);
    v3 ^= m;
    round();
    v0 ^= m;
  }
  let b = (BigInt(len) << 56n) & MASK64;
  for (let j = len % 8 - 1; j >= 0; j--) b |= BigInt(data.charCodeAt(end + j) & 0xff) << BigInt(8 * j);
  v3 ^= b;
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  round();
  round();
  return (v0 ^ v1 ^ v2 ^ v3) & MASK64;
}

interface Entry<V> { key: string; value: V; hash: bigint }

export class TypeDict<V> {
  private tables: Entry<V>[][][] = [[], []];
  private used = [0, 0];
  private rehashidx = -1;

  private get rehashing(): boolean { return this.rehashidx !== -1; }

  private expand(size: number): void {
    let real = 4;
    while (real < size) real *= 2;
    const table: Entry<V>[][] = Array.from({ length: real }, () => []);
    if (this.tables[0].length === 0) { this.tables[0] = table; return; }
    this.tables[1] = table;
    this.rehashidx = 0;
  }

  private rehashStep(): void {
    if (!this.rehashing) return;
    let emptyVisits = 10;
    if (this.used[0] !== 0) {
      while (this.tables[0][this.rehashidx].length === 0) {
        this.rehashidx++;
        if (--emptyVisits === 0) return;
      }
      // Chains are kept head-first; moving head-first onto new heads reverses them, as in C.
      const chain = this.tables[0][this.rehashidx];
      const mask = BigInt(this.tables[1].length - 1);
      for (const e of chain) {
        this.tables[1][Number(e.hash & mask)].unshift(e);
        this.used[0]--;
        this.used[1]++;
      }
      this.tables[0][this.rehashidx] = [];
      this.rehashidx++;
    }
    if (this.used[0] === 0) {
      this.tables[0] = this.tables[1];
      this.used[0] = this.used[1];
      this.tables[1] = [];
      this.used[1] = 0;
      this.rehashidx = -1;
    }
  }

  add(key: string, value: V): void {
    if (this.rehashing) this.rehashStep();
    if (!this.rehashing) {
      if (this.tables[0].length === 0) this.expand(4);
      else if (this.used[0] >= this.tables[0].length) this.expand(this.used[0] + 1);
    }
    const hash = siphash12(key);
    const t = this.rehashing ? 1 : 0;
    this.tables[t][Number(hash & BigInt(this.tables[t].length - 1))].unshift({ key, value, hash });
    this.used[t]++;
  }

  find(key: string): V | undefined {
    if (this.used[0] + this.used[1] === 0) return undefined;
    if (this.rehashing) this.rehashStep();
    for (const table of this.tables) {
      for (const chain of table) for (const e of chain) if (e.key === key) return e.value;
    }
    return undefined;
  }

  values(): V[] {
    const out: V[] = [];
    for (const chain of this.tables[0]) for (const e of chain) out.push(e.value);
    if (this.rehashing) for (const chain of this.tables[1]) for (const e of chain) out.push(e.value);
    return out;
  }
}
