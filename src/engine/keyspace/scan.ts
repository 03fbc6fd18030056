/**
 * SCAN cursors.
 *
 * Redis's cursor walks hash-table buckets in reverse-binary order, which guarantees that every
 * element present for the whole iteration is returned at least once, even across rehashing.
 * Our dictionaries are JS Maps/Sets with no bucket access, so a cursor instead names a snapshot
 * of the keys taken when the iteration started plus a position in it. Elements present for the
 * whole scan are in the snapshot, so the same guarantee holds; elements added later may or may
 * not be returned, exactly Redis's contract. Snapshots are few and evicted oldest first; an
 * unknown cursor restarts from a fresh snapshot at that position (Redis would also just keep
 * walking from whatever bucket the number names).
 */

const POS_BITS = 2 ** 24;
const MAX_SNAPSHOTS = 8;

export class ScanCursors {
  private snapshots = new Map<number, string[]>();
  private nextId = 1;

  /**
   * One SCAN step: returns the next cursor (0 when done) and up to `count` candidate elements
   * (callers still filter deleted/expired/non-matching ones).
   */
  step(cursor: number, count: number, keys: () => Iterable<string>): { next: number; batch: string[] } {
    let id = Math.floor(cursor / POS_BITS);
    let pos = cursor % POS_BITS;
    let snap = cursor === 0 ? undefined : this.snapshots.get(id);
    if (!snap) {
      snap = [...keys()];
      id = this.nextId++;
      if (this.nextId * POS_BITS > Number.MAX_SAFE_INTEGER) this.nextId = 1;
      this.snapshots.set(id, snap);
      if (this.snapshots.size > MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value!);
      if (cursor === 0) pos = 0;
    }
    const batch = snap.slice(pos, pos + count);
    pos += batch.length;
    if (pos >= snap.length) {
      this.snapshots.delete(id);
      return { next: 0, batch };
    }
    return { next: id * POS_BITS + pos, batch };
  }

  clear(): void { this.snapshots.clear(); }
}

/**
 * parseScanCursorOrReply's strtoul rules: optional sign, decimal digits, no leading space,
 * nothing after (the argument is read as a C string, so it ends at a NUL byte; an empty
 * string is cursor 0), no overflow past 2^64-1; a negative value wraps. Null when invalid.
 */
export function parseScanCursor(s: string): number | null {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  if (s === '') return 0;
  const m = /^([+-]?)(\d+)$/.exec(s);
  if (!m) return null;
  let v = BigInt(m[2]);
  if (v > 18446744073709551615n) return null;
  if (m[1] === '-' && v !== 0n) v = (1n << 64n) - v;
  return Number(v);
}
