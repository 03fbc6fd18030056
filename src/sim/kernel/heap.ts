/** A binary min-heap with a caller-supplied order (event queues). */
export class Heap<T> {
  private items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number { return this.items.length; }
  peek(): T | undefined { return this.items[0]; }

  push(x: T): void {
    const a = this.items;
    a.push(x);
    // Move the hole up rather than swapping (a destructuring swap allocates an array until
    // the JIT has optimised it away, and these run for every event).
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(x, a[p])) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }

  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    const n = a.length;
    if (n > 0) {
      // Sift the hole left at the root down to where the last item belongs.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.less(a[r], a[l]) ? r : l;
        if (!this.less(a[c], last)) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }

  /** Remove every item matching `pred` (rare: kill, cancel). */
  removeWhere(pred: (x: T) => boolean): void {
    const keep = this.items.filter((x) => !pred(x));
    if (keep.length === this.items.length) return;
    this.items = [];
    for (const x of keep) this.push(x);
  }

  /** Change items in place (`change` returns true when it changed one's order) and re-sort. */
  update(change: (x: T) => boolean): void {
    let changed = false;
    for (const x of this.items) if (change(x)) changed = true;
    if (!changed) return;
    const all = this.items;
    this.items = [];
    for (const x of all) this.push(x);
  }

  toArray(): T[] { return [...this.items]; }

  /** The items in heap order (not sorted), for a read-only scan. */
  values(): readonly T[] { return this.items; }
}
