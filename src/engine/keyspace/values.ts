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
import { isInt64String } from '../util/numbers';
import { RStream } from './stream';

export type RedisValue = string | RList | RHash | RSet | RZSet | RStream;
export type AggregateType = 'list' | 'hash' | 'set' | 'zset' | 'stream';

/** Name reported by TYPE. */
export function typeName(v: RedisValue): 'string' | AggregateType {
  return typeof v === 'string' ? 'string' : v.type;
}

/**
 * A list value (Redis 7.0 always reports the "quicklist" encoding).
 *
 * Stored as a ring buffer: a power-of-two array with a head offset, so pushes and pops at
 * both ends are O(1) amortised and any index is reached in O(1) (LINDEX, LSET, LRANGE pay
 * only for the elements they return). Inserting or removing in the middle (LINSERT, a single
 * LREM match) shifts only the shorter side of the insertion point, and bulk removal (LREM
 * with many matches) is one compaction pass. The buffer shrinks again when the list falls
 * below a quarter of its capacity, so a drained list does not pin its peak memory.
 */
export class RList {
  readonly type = 'list' as const;
  readonly encoding = 'quicklist' as const;
  private buf: (string | undefined)[];
  private mask: number;
  private head = 0;
  length = 0;

  constructor(items?: Iterable<string>) {
    this.buf = new Array(MIN_LIST_CAPACITY);
    this.mask = MIN_LIST_CAPACITY - 1;
    if (items) for (const it of items) this.pushTail(it);
  }

  /** Physical slot of logical index i (0 ≤ i < length). */
  private slot(i: number): number { return (this.head + i) & this.mask; }

  private resize(capacity: number): void {
    const nb = new Array<string | undefined>(capacity);
    for (let i = 0; i < this.length; i++) nb[i] = this.buf[this.slot(i)];
    this.buf = nb;
    this.mask = capacity - 1;
    this.head = 0;
  }

  private growIfFull(): void {
    if (this.length === this.buf.length) this.resize(this.buf.length * 2);
  }

  private maybeShrink(): void {
    const cap = this.buf.length;
    if (cap > MIN_LIST_CAPACITY && this.length < cap / 4) {
      let next = MIN_LIST_CAPACITY;
      while (next < this.length * 2) next *= 2;
      this.resize(next);
    }
  }

  get(i: number): string { return this.buf[this.slot(i)]!; }

  set(i: number, v: string): void { this.buf[this.slot(i)] = v; }

  pushTail(v: string): void {
    this.growIfFull();
    this.buf[this.slot(this.length)] = v;
    this.length++;
  }

  pushHead(v: string): void {
    this.growIfFull();
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = v;
    this.length++;
  }

  popHead(): string | undefined {
    if (this.length === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.length--;
    this.maybeShrink();
    return v;
  }

  popTail(): string | undefined {
    if (this.length === 0) return undefined;
    const idx = this.slot(this.length - 1);
    const v = this.buf[idx];
    this.buf[idx] = undefined;
    this.length--;
    this.maybeShrink();
    return v;
  }

  /** Drop `n` elements from the head (LTRIM, LPOP count). */
  removeHead(n: number): void {
    n = Math.min(n, this.length);
    for (let i = 0; i < n; i++) this.buf[this.slot(i)] = undefined;
    this.head = (this.head + n) & this.mask;
    this.length -= n;
    this.maybeShrink();
  }

  /** Drop `n` elements from the tail. */
  removeTail(n: number): void {
    n = Math.min(n, this.length);
    for (let i = this.length - n; i < this.length; i++) this.buf[this.slot(i)] = undefined;
    this.length -= n;
    this.maybeShrink();
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

  *[Symbol.iterator](): Iterator<string> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /** Replace the whole content. */
  replaceAll(items: Iterable<string>): void {
    this.buf = new Array(MIN_LIST_CAPACITY);
    this.mask = MIN_LIST_CAPACITY - 1;
    this.head = 0;
    this.length = 0;
    for (const it of items) this.pushTail(it);
  }

  /** Insert `v` so that it becomes index i (0 ≤ i ≤ length), shifting the shorter side. */
  insertAt(i: number, v: string): void {
    if (i <= 0) { this.pushHead(v); return; }
    if (i >= this.length) { this.pushTail(v); return; }
    this.growIfFull();
    if (i < this.length / 2) {
      // Move [0, i) one step towards the head.
      this.head = (this.head - 1) & this.mask;
      for (let j = 0; j < i; j++) this.buf[this.slot(j)] = this.buf[this.slot(j + 1)];
    } else {
      // Move [i, length) one step towards the tail.
      for (let j = this.length; j > i; j--) this.buf[this.slot(j)] = this.buf[this.slot(j - 1)];
    }
    this.buf[this.slot(i)] = v;
    this.length++;
  }

  /** Remove index i (0 ≤ i < length), shifting the shorter side. */
  removeAt(i: number): void {
    if (i < this.length / 2) {
      for (let j = i; j > 0; j--) this.buf[this.slot(j)] = this.buf[this.slot(j - 1)];
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) & this.mask;
    } else {
      for (let j = i; j < this.length - 1; j++) this.buf[this.slot(j)] = this.buf[this.slot(j + 1)];
      this.buf[this.slot(this.length - 1)] = undefined;
    }
    this.length--;
    this.maybeShrink();
  }

  /**
   * Remove elements equal to `v`: at most `limit` of them (0 = all), scanning from the head,
   * or from the tail when `fromTail`. One compaction pass; returns how many were removed.
   */
  removeMatching(v: string, limit: number, fromTail: boolean): number {
    const n = this.length;
    let removed = 0;
    let w = 0; // write position, counted from the scanning end
    for (let r = 0; r < n; r++) {
      const ri = fromTail ? n - 1 - r : r;
      const x = this.buf[this.slot(ri)]!;
      if (x === v && (limit === 0 || removed < limit)) { removed++; continue; }
      if (removed > 0) this.buf[this.slot(fromTail ? n - 1 - w : w)] = x;
      w++;
    }
    if (removed === 0) return 0;
    if (fromTail) {
      // Survivors now occupy [removed, n): drop the head part.
      for (let i = 0; i < removed; i++) this.buf[this.slot(i)] = undefined;
      this.head = (this.head + removed) & this.mask;
    } else {
      for (let i = n - removed; i < n; i++) this.buf[this.slot(i)] = undefined;
    }
    this.length = n - removed;
    this.maybeShrink();
    return removed;
  }

  /** Index of the first element equal to `v`, or -1 (LINSERT's pivot search). */
  indexOf(v: string): number {
    for (let i = 0; i < this.length; i++) if (this.buf[this.slot(i)] === v) return i;
    return -1;
  }
}

const MIN_LIST_CAPACITY = 8;

/** Field → value map. Insertion order is kept, which is listpack order. */
export class RHash {
  readonly type = 'hash' as const;
  encoding: 'listpack' | 'hashtable' = 'listpack';
  readonly map = new Map<string, string>();
}

/**
 * A set of byte strings (t_set.c).
 *
 * `set` holds the members; `encoding` says how Redis would store them: `intset` (every member
 * is a canonical int64 and there are at most set-max-intset-entries of them, iterated in
 * ascending numeric order) or `hashtable`. The encoding rules live in `insert()` (setTypeAdd)
 * and `RSet.createFor()` (setTypeCreate); the conversion is one way.
 *
 * Mutate through `add`/`insert`/`delete` so the two lazy side structures stay valid: the sorted
 * view of an intset, and a slot array that gives O(1) uniform random picks (SPOP, SRANDMEMBER)
 * with swap-remove deletion. Both are rebuilt from `set` when they look stale.
 */
export class RSet {
  readonly type = 'set' as const;
  encoding: 'intset' | 'hashtable' = 'intset';
  readonly set = new Set<string>();
  private sortedCache: string[] | null = null;
  private slots: string[] | null = null;
  private slotOf: Map<string, number> | null = null;

  /** setTypeCreate: an intset if the first member is an integer, else a hashtable. */
  static createFor(firstMember: string): RSet {
    const s = new RSet();
    if (!isInt64String(firstMember)) s.encoding = 'hashtable';
    return s;
  }

  get size(): number { return this.set.size; }

  has(m: string): boolean { return this.set.has(m); }

  /** Raw add with no encoding logic (loaders that know the encoding already). */
  add(m: string): boolean {
    const before = this.set.size;
    if (this.set.add(m).size === before) return false;
    this.sortedCache = null;
    if (this.slots && this.slotOf && this.slots.length === this.set.size - 1) {
      this.slotOf.set(m, this.slots.length);
      this.slots.push(m);
    } else {
      this.slots = this.slotOf = null;
    }
    return true;
  }

  /**
   * setTypeAdd: add a member, converting intset → hashtable when the member is not an integer
   * or the intset grows past `maxIntsetEntries` (capped at 2^30 like Redis). True if added.
   */
  insert(m: string, maxIntsetEntries: number): boolean {
    if (this.encoding === 'intset' && !isInt64String(m)) this.encoding = 'hashtable';
    if (!this.add(m)) return false;
    if (this.encoding === 'intset' && this.set.size > Math.min(maxIntsetEntries, 2 ** 30)) this.encoding = 'hashtable';
    return true;
  }

  delete(m: string): boolean {
    if (!this.set.delete(m)) return false;
    this.sortedCache = null;
    const slots = this.slots, slotOf = this.slotOf;
    if (slots && slotOf && slots.length === this.set.size + 1) {
      const i = slotOf.get(m)!;
      const last = slots.pop()!;
      slotOf.delete(m);
      if (last !== m) { slots[i] = last; slotOf.set(last, i); }
    } else {
      this.slots = this.slotOf = null;
    }
    return true;
  }

  /** Members in Redis's iteration order (ascending numbers for intset). */
  members(): string[] {
    if (this.encoding !== 'intset') return [...this.set];
    if (!this.sortedCache || this.sortedCache.length !== this.set.size) {
      this.sortedCache = [...this.set].sort(cmpIntStrings);
    }
    return this.sortedCache.slice();
  }

  /** A uniformly random member of a non-empty set; `random` returns [0, 1). */
  randomMember(random: () => number): string {
    if (!this.slots || !this.slotOf || this.slots.length !== this.set.size) {
      this.slots = [...this.set];
      this.slotOf = new Map(this.slots.map((m, i) => [m, i]));
    }
    return this.slots[Math.floor(random() * this.slots.length)];
  }
}

/** Compare two canonical int64 strings numerically. */
export function cmpIntStrings(a: string, b: string): number {
  if (a.length <= 15 && b.length <= 15) return +a - +b;
  const x = BigInt(a), y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Sorted set (t_zset.c): member → score plus a skiplist ordered by (score, member bytes).
 *
 * Both encodings share the same structures here; `encoding` records what Redis would use
 * (`listpack` while small, `skiplist` after growing past zset-max-listpack-entries/-value).
 * The one observable difference we model: a listpack stores integral scores as integers, so a
 * score of -0 becomes 0 there (ZSCORE prints "0"), while a skiplist keeps "-0".
 */
export class RZSet {
  readonly type = 'zset' as const;
  encoding: 'listpack' | 'skiplist' = 'listpack';
  readonly dict = new Map<string, number>();
  readonly zsl = new SkipList();

  get length(): number { return this.dict.size; }

  score(member: string): number | undefined { return this.dict.get(member); }

  /**
   * Insert or update a member with no encoding logic (zsetAdd decides conversions). The score
   * is only changed when it differs numerically (-0 and 0 are equal, as in C). True if new.
   */
  set(member: string, score: number): boolean {
    if (this.encoding === 'listpack' && score === 0) score = 0; // -0 → 0, see class comment
    const old = this.dict.get(member);
    if (old === undefined) {
      this.dict.set(member, score);
      this.zsl.insert(score, member);
      return true;
    }
    if (old !== score) {
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

  /** zsetConvert: switch encoding; going to listpack stores -0 scores as 0. */
  convert(encoding: 'listpack' | 'skiplist'): void {
    if (this.encoding === encoding) return;
    this.encoding = encoding;
    if (encoding === 'listpack') {
      for (const n of this.zsl) {
        if (Object.is(n.score, -0)) { n.score = 0; this.dict.set(n.member, 0); }
      }
    }
  }

  /** Longest member and total member bytes (zsetConvertToListpackIfNeeded inputs). */
  memberLengths(): { max: number; total: number } {
    let max = 0, total = 0;
    for (const m of this.dict.keys()) { total += m.length; if (m.length > max) max = m.length; }
    return { max, total };
  }
}

/** Deep copy of a value (COPY, DEBUG RELOAD without serialisation). */
export function cloneValue(v: RedisValue): RedisValue {
  if (typeof v === 'string') return v;
  switch (v.type) {
    case 'list': return new RList(v);
    case 'hash': {
      const h = new RHash();
      h.encoding = v.encoding;
      for (const [f, val] of v.map) h.map.set(f, val);
      return h;
    }
    case 'set': {
      const s = new RSet();
      s.encoding = v.encoding;
      for (const m of v.set) s.add(m);
      return s;
    }
    case 'zset': {
      const z = new RZSet();
      z.encoding = v.encoding;
      for (const n of v.zsl) z.set(n.member, n.score);
      return z;
    }
    case 'stream': return v.clone();
  }
}
