/**
 * The value types a key can hold.
 *
 * Strings are plain byte strings (JS strings with char codes 0..255). The aggregate types are
 * classes that carry their Redis encoding name, because OBJECT ENCODING, the RDB writer and the
 * conversion thresholds (hash-max-listpack-entries, set-max-intset-entries, ...) all depend on
 * it. Encodings only ever grow (listpack → hashtable, intset → hashtable, listpack → skiplist)
 * except where Redis 7.0 itself converts back.
 */
import { SkipList } from './skiplist';

export type RedisValue = string | RList | RHash | RSet | RZSet;
export type AggregateType = 'list' | 'hash' | 'set' | 'zset';

/** Name reported by TYPE. */
export function typeName(v: RedisValue): 'string' | AggregateType {
  return typeof v === 'string' ? 'string' : v.type;
}

/** A double-ended queue of byte strings backed by a ring buffer (Redis 7.0: quicklist). */
export class RList {
  readonly type = 'list' as const;
  readonly encoding = 'quicklist' as const;
  private buf: (string | undefined)[];
  private head = 0;
  length = 0;

  constructor(items?: string[]) {
    const cap = Math.max(8, items ? 1 << Math.ceil(Math.log2(items.length + 1)) : 8);
    this.buf = new Array(cap);
    if (items) for (const it of items) this.pushTail(it);
  }

  private grow(): void {
    const old = this.buf;
    const nb = new Array<string | undefined>(old.length * 2);
    for (let i = 0; i < this.length; i++) nb[i] = old[(this.head + i) & (old.length - 1)];
    this.buf = nb;
    this.head = 0;
  }

  get(i: number): string {
    return this.buf[(this.head + i) & (this.buf.length - 1)]!;
  }

  set(i: number, v: string): void {
    this.buf[(this.head + i) & (this.buf.length - 1)] = v;
  }

  pushTail(v: string): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = v;
    this.length++;
  }

  pushHead(v: string): void {
    if (this.length === this.buf.length) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = v;
    this.length++;
  }

  popHead(): string | undefined {
    if (this.length === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.length--;
    return v;
  }

  popTail(): string | undefined {
    if (this.length === 0) return undefined;
    const idx = (this.head + this.length - 1) & (this.buf.length - 1);
    const v = this.buf[idx];
    this.buf[idx] = undefined;
    this.length--;
    return v;
  }

  /** Elements [start, end] inclusive, already clamped by the caller. */
  range(start: number, end: number): string[] {
    const out: string[] = [];
    for (let i = start; i <= end; i++) out.push(this.get(i));
    return out;
  }

  toArray(): string[] {
    return this.range(0, this.length - 1);
  }

  /** Replace the whole content (LREM, LINSERT, LTRIM rebuild through this). */
  replaceAll(items: string[]): void {
    const cap = Math.max(8, 1 << Math.ceil(Math.log2(items.length + 1)));
    this.buf = new Array(cap);
    this.head = 0;
    this.length = 0;
    for (const it of items) this.pushTail(it);
  }

  insertAt(i: number, v: string): void {
    const items = this.toArray();
    items.splice(i, 0, v);
    this.replaceAll(items);
  }

  removeAt(i: number): void {
    const items = this.toArray();
    items.splice(i, 1);
    this.replaceAll(items);
  }
}

/** Field → value map. Insertion order is kept, which is listpack order. */
export class RHash {
  readonly type = 'hash' as const;
  encoding: 'listpack' | 'hashtable' = 'listpack';
  readonly map = new Map<string, string>();
}

/** A set of byte strings. `intset` iterates in ascending numeric order like Redis's intset. */
export class RSet {
  readonly type = 'set' as const;
  encoding: 'intset' | 'hashtable' = 'intset';
  readonly set = new Set<string>();

  /** Members in Redis's iteration order (sorted for intset). */
  members(): string[] {
    const arr = [...this.set];
    if (this.encoding === 'intset') arr.sort((a, b) => cmpIntStrings(a, b));
    return arr;
  }
}

/** Compare two canonical int64 strings numerically. */
export function cmpIntStrings(a: string, b: string): number {
  if (a.length <= 15 && b.length <= 15) return +a - +b;
  const x = BigInt(a), y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sorted set: member → score plus a skiplist ordered by (score, member). */
export class RZSet {
  readonly type = 'zset' as const;
  encoding: 'listpack' | 'skiplist' = 'listpack';
  readonly dict = new Map<string, number>();
  readonly zsl = new SkipList();

  get length(): number { return this.dict.size; }

  /** Insert or update. Returns true if the member is new. */
  set(member: string, score: number): boolean {
    const old = this.dict.get(member);
    if (old === undefined) {
      this.dict.set(member, score);
      this.zsl.insert(score, member);
      return true;
    }
    if (old !== score || Object.is(old, -0) !== Object.is(score, -0)) {
      this.zsl.delete(old, member);
      this.zsl.insert(score, member);
      this.dict.set(member, score);
    }
    return false;
  }

  delete(member: string): boolean {
    const old = this.dict.get(member);
    if (old === undefined) return false;
    this.dict.delete(member);
    this.zsl.delete(old, member);
    return true;
  }
}

/** Deep copy of a value (COPY, DEBUG RELOAD without serialisation). */
export function cloneValue(v: RedisValue): RedisValue {
  if (typeof v === 'string') return v;
  switch (v.type) {
    case 'list': return new RList(v.toArray());
    case 'hash': {
      const h = new RHash();
      h.encoding = v.encoding;
      for (const [f, val] of v.map) h.map.set(f, val);
      return h;
    }
    case 'set': {
      const s = new RSet();
      s.encoding = v.encoding;
      for (const m of v.set) s.set.add(m);
      return s;
    }
    case 'zset': {
      const z = new RZSet();
      z.encoding = v.encoding;
      for (const n of v.zsl) z.set(n.member, n.score);
      return z;
    }
  }
}
