/**
 * The per-slot key index of a cluster node's keyspace (Redis's "slot to keys" API).
 *
 * CLUSTER COUNTKEYSINSLOT, CLUSTER GETKEYSINSLOT, MIGRATE-based resharding and the "do I still
 * hold keys in this slot" checks must not scan the whole keyspace. Like Redis 7.0, every key of
 * db 0 is linked into a doubly linked list of the keys of its slot, newest first, and each slot
 * keeps a count: adding, deleting and counting are O(1), listing N keys of a slot is O(N).
 *
 * The index must see every insertion and deletion of db 0, wherever it comes from (commands,
 * expiry, eviction, RDB/AOF loading, FLUSHALL). Rather than asking every writer to call us, the
 * dictionary itself reports them: `installSlotIndex` gives db 0 a `Map` subclass whose
 * set/delete/clear keep the index in step, and a property accessor on `db.dict` so that code
 * replacing the whole dictionary (FLUSHALL assigns a fresh Map, loaders may build one) gets it
 * wrapped and indexed too. Only cluster mode pays for this: standalone servers keep a plain Map.
 */
import type { Db, Entry } from '../keyspace/db';
import { CLUSTER_SLOTS, keyHashSlot } from './crc16';

interface SlotLink {
  key: string;
  slot: number;
  prev: SlotLink | null;
  next: SlotLink | null;
}

export class SlotIndex {
  private readonly heads: (SlotLink | null)[] = new Array(CLUSTER_SLOTS).fill(null);
  private readonly counts = new Uint32Array(CLUSTER_SLOTS);
  private readonly links = new Map<string, SlotLink>();

  /** A new key: link it at the head of its slot's list. */
  add(key: string): void {
    if (this.links.has(key)) return;
    const slot = keyHashSlot(key);
    const link: SlotLink = { key, slot, prev: null, next: this.heads[slot] };
    if (link.next) link.next.prev = link;
    this.heads[slot] = link;
    this.counts[slot]++;
    this.links.set(key, link);
  }

  remove(key: string): void {
    const link = this.links.get(key);
    if (!link) return;
    this.links.delete(key);
    if (link.prev) link.prev.next = link.next;
    else this.heads[link.slot] = link.next;
    if (link.next) link.next.prev = link.prev;
    this.counts[link.slot]--;
  }

  clear(): void {
    this.heads.fill(null);
    this.counts.fill(0);
    this.links.clear();
  }

  count(slot: number): number { return this.counts[slot]; }

  /** Up to `max` keys of the slot, newest first (the order of GETKEYSINSLOT). */
  keys(slot: number, max: number): string[] {
    const out: string[] = [];
    for (let l = this.heads[slot]; l && out.length < max; l = l.next) out.push(l.key);
    return out;
  }
}

/** db.dict for a cluster node: a Map that reports insertions and deletions to a SlotIndex. */
class SlotIndexedDict extends Map<string, Entry> {
  index!: SlotIndex;

  override set(key: string, value: Entry): this {
    // Map's constructor calls set() before our fields exist; we never pass it entries.
    if (this.index && !super.has(key)) this.index.add(key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    const had = super.delete(key);
    if (had) this.index.remove(key);
    return had;
  }

  override clear(): void {
    super.clear();
    this.index.clear();
  }
}

function indexedCopy(source: Map<string, Entry>): SlotIndexedDict {
  const dict = new SlotIndexedDict();
  dict.index = new SlotIndex();
  for (const [k, v] of source) dict.set(k, v);
  return dict;
}

/**
 * Make `db` maintain a slot index. Returns a getter for the current index (a dictionary
 * assigned later brings a fresh index with it).
 */
export function installSlotIndex(db: Db): () => SlotIndex {
  let dict = indexedCopy(db.dict);
  Object.defineProperty(db, 'dict', {
    configurable: true,
    enumerable: true,
    get: () => dict,
    set: (m: Map<string, Entry>) => { dict = m instanceof SlotIndexedDict ? m : indexedCopy(m); },
  });
  return () => dict.index;
}
