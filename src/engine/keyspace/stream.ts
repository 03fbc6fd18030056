/**
 * The stream value (t_stream.c, stream.h).
 *
 * Redis keeps a stream as a radix tree of listpack "macro nodes": each node is keyed by the ID
 * of its first entry (the master ID) and starts with a master entry (valid count, deleted
 * count, the first entry's field names); the entries follow, each as flags, ms and seq deltas
 * from the master ID, the field names unless they equal the master's (SAMEFIELDS flag), the
 * values and an lp-count. Deleting (XDEL, exact trimming) only flags an entry; a node goes
 * away when its last valid entry does, and `~` trimming removes whole nodes only.
 *
 * That node layout is observable (which entries `~` trims, when a node is full, the RDB and
 * DUMP bytes), so we model it: nodes hold their entries (deleted ones too) and keep the exact
 * byte size the listpack would have, which decides when a new node starts
 * (stream-node-max-bytes / stream-node-max-entries). Nodes sit in a sorted array: XADD appends
 * to the last node, and a lookup by ID is a binary search over nodes then over one node's
 * entries, so XADD and XRANGE's seek are O(log n).
 *
 * IDs are two unsigned 64-bit numbers, kept as bigints.
 */

import { jemallocSize } from './memory-usage';

export interface StreamId { ms: bigint; seq: bigint }

export const U64_MAX = (1n << 64n) - 1n;
export const ID_ZERO: StreamId = { ms: 0n, seq: 0n };
export const ID_MAX: StreamId = { ms: U64_MAX, seq: U64_MAX };

export const FLAG_NONE = 0;
export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;

/** STREAM_LISTPACK_MAX_SIZE: a node's listpack never exceeds 1 GiB. */
export const LISTPACK_MAX_BYTES = 1 << 30;

export function cmpId(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function idStr(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/** streamIncrID: the successor, or null past the last possible ID. */
export function incrId(id: StreamId): StreamId | null {
  if (id.seq === U64_MAX) {
    if (id.ms === U64_MAX) return null;
    return { ms: id.ms + 1n, seq: 0n };
  }
  return { ms: id.ms, seq: id.seq + 1n };
}

/** streamDecrID: the predecessor, or null before 0-0. */
export function decrId(id: StreamId): StreamId | null {
  if (id.seq === 0n) {
    if (id.ms === 0n) return null;
    return { ms: id.ms - 1n, seq: U64_MAX };
  }
  return { ms: id.ms, seq: id.seq - 1n };
}

// ---- listpack sizes ------------------------------------------------------------------------

/** Bytes of a listpack element's back-length for an encoding of `len` bytes (lpEncodeBacklen). */
function backlenBytes(len: number): number {
  if (len <= 127) return 1;
  if (len < 16383) return 2;
  if (len < 2097151) return 3;
  if (len < 268435455) return 4;
  return 5;
}

/** Encoded bytes (without back-length) of an integer element. */
function intEncBytes(v: bigint | number): number {
  const n = typeof v === 'bigint' ? v : BigInt(v);
  if (n >= 0n && n <= 127n) return 1;
  if (n >= -4096n && n <= 4095n) return 2;
  if (n >= -32768n && n <= 32767n) return 3;
  if (n >= -8388608n && n <= 8388607n) return 4;
  if (n >= -2147483648n && n <= 2147483647n) return 5;
  return 9;
}

/** Bytes of an integer element in a listpack (lpAppendInteger). */
export function lpIntBytes(v: bigint | number): number {
  const e = intEncBytes(v);
  return e + backlenBytes(e);
}

/** lpStringToInt64: the canonical int64 a string element is stored as, or null. */
export function lpStringInt(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) { i = 1; if (n === 1) return null; }
  const c0 = s.charCodeAt(i);
  if (c0 === 48) return n === 1 ? 0n : null;
  if (c0 < 49 || c0 > 57) return null;
  for (let j = i + 1; j < n; j++) { const c = s.charCodeAt(j); if (c < 48 || c > 57) return null; }
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v;
}

/** Bytes of a string element in a listpack (lpAppend: integers are stored as integers). */
export function lpStrBytes(s: string): number {
  const asInt = lpStringInt(s);
  if (asInt !== null) return lpIntBytes(asInt);
  const len = s.length;
  const e = len <= 63 ? 1 + len : len <= 4095 ? 2 + len : 5 + len;
  return e + backlenBytes(e);
}

/** A uint64 difference stored as the int64 lpAppendInteger receives. */
export function asInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

// ---- nodes --------------------------------------------------------------------------------

export interface StreamEntry {
  id: StreamId;
  /** field, value, field, value... */
  fv: string[];
  flags: number;
}

export class StreamNode {
  /** Entries in ID order, deleted ones included (they stay in the listpack). */
  readonly entries: StreamEntry[] = [];
  valid = 0;
  deleted = 0;
  /** Listpack bytes except the valid/deleted counters (which change size as they grow). */
  private fixedBytes = 7;
  /**
   * The listpack's allocation (zmalloc_size), which MEMORY USAGE reports: a new node
   * preallocates, lpInsert grows it to the size class of the new length when it no longer
   * fits and shrinks it when the listpack gets smaller, a full node is shrunk to fit, and a
   * node read from RDB/RESTORE or copied is allocated to its exact length.
   */
  alloc: number;

  constructor(readonly master: StreamId, readonly masterFields: string[], preallocBytes = 7) {
    this.alloc = jemallocSize(Math.max(preallocBytes, 7));
    // lpNew, then the master entry element by element: count (1), deleted (0), num-fields,
    // the fields, the zero terminator.
    let b = 7;
    const append = (n: number): void => {
      b += n;
      if (b > this.alloc) this.alloc = jemallocSize(b);
    };
    append(lpIntBytes(1));
    append(lpIntBytes(0));
    append(lpIntBytes(masterFields.length));
    for (const f of masterFields) append(lpStrBytes(f));
    append(lpIntBytes(0));
    // The counters are counted by `bytes` (valid and deleted are both 0 until push).
    this.fixedBytes = b - 2 * lpIntBytes(0);
  }

  /** lpBytes(): the node's listpack size. */
  get bytes(): number {
    return this.fixedBytes + lpIntBytes(this.valid) + lpIntBytes(this.deleted);
  }

  /** One element appended (lpInsert at the end): realloc when it no longer fits. */
  private grow(elementBytes: number): void {
    this.fixedBytes += elementBytes;
    const b = this.bytes;
    if (b > this.alloc) this.alloc = jemallocSize(b);
  }

  /** A counter replaced in place (lpReplaceInteger): realloc on growth past the allocation or any shrink. */
  private setCounter(which: 'valid' | 'deleted', v: number): void {
    const before = this.bytes;
    this[which] = v;
    const after = this.bytes;
    if ((after > before && after > this.alloc) || after < before) this.alloc = jemallocSize(after);
  }

  /** lpShrinkToFit. */
  shrinkToFit(): void {
    if (this.alloc > this.bytes) this.alloc = jemallocSize(this.bytes);
  }

  /** An exact allocation (a node loaded or copied). */
  fitAlloc(): void {
    this.alloc = jemallocSize(this.bytes);
  }

  /** Entries flagged deleted in place (XDEL, XTRIM): the counters are rewritten after. */
  markDeleted(n: number): void {
    this.setCounter('valid', this.valid - n);
    this.setCounter('deleted', this.deleted + n);
  }

  /** True when `fv`'s field names are exactly the master's. */
  sameFields(fv: string[]): boolean {
    const mf = this.masterFields;
    if (fv.length !== mf.length * 2) return false;
    for (let i = 0; i < mf.length; i++) if (fv[i * 2] !== mf[i]) return false;
    return true;
  }

  /** Append an entry (already known to belong at the end). */
  push(id: StreamId, fv: string[], flags: number): void {
    const same = (flags & FLAG_SAMEFIELDS) !== 0;
    const numFields = fv.length / 2;
    // streamAppendItem bumps the count first, then appends the entry element by element.
    if (flags & FLAG_DELETED) this.setCounter('deleted', this.deleted + 1);
    else this.setCounter('valid', this.valid + 1);
    this.grow(lpIntBytes(flags & ~FLAG_DELETED));
    this.grow(lpIntBytes(asInt64(id.ms - this.master.ms)));
    this.grow(lpIntBytes(asInt64(id.seq - this.master.seq)));
    if (!same) this.grow(lpIntBytes(numFields));
    for (let i = 0; i < fv.length; i++) if (!same || (i & 1)) this.grow(lpStrBytes(fv[i]));
    this.grow(lpIntBytes(numFields + 3 + (same ? 0 : numFields + 1)));
    this.entries.push({ id, fv, flags });
  }

  /** Index of the first entry with ID >= id (entries.length if none). */
  lowerBound(id: StreamId): number {
    let lo = 0, hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpId(this.entries[mid].id, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Last entry's ID, deleted or not (lpGetEdgeStreamID(lp, 0, ...)). */
  lastId(): StreamId {
    return this.entries[this.entries.length - 1].id;
  }
}

/**
 * rax->numnodes of a radix tree of 16-byte keys given in byte order: a chain of single-child
 * positions is one compressed node, a branching position one node, each key one leaf; an
 * empty tree is its root alone.
 */
export function raxNodeCount(keys: string[]): number {
  if (keys.length === 0) return 1;
  const count = (lo: number, hi: number, depth: number): number => {
    if (hi - lo === 1) return depth === 16 ? 1 : 2;
    // Sorted keys: the range's common prefix is its first and last key's.
    let d = depth;
    while (keys[lo].charCodeAt(d) === keys[hi - 1].charCodeAt(d)) d++;
    let total = (d > depth ? 1 : 0) + 1;
    for (let i = lo; i < hi;) {
      let k = i + 1;
      while (k < hi && keys[k].charCodeAt(d) === keys[i].charCodeAt(d)) k++;
      total += count(i, k, d + 1);
      i = k;
    }
    return total;
  };
  return count(0, keys.length, 0);
}

/** A stream ID as the 16 big-endian bytes of its radix tree key. */
export function streamIdKey(id: StreamId): string {
  let out = '';
  for (const part of [id.ms, id.seq]) {
    for (let i = 7; i >= 0; i--) out += String.fromCharCode(Number((part >> BigInt(i * 8)) & 0xffn));
  }
  return out;
}

// ---- consumer groups ----------------------------------------------------------------------

export interface StreamNack {
  /** Delivery time in ms (the engine's clock). */
  deliveryTime: number;
  deliveryCount: number;
  consumer: StreamConsumer | null;
}

export interface StreamConsumer {
  name: string;
  seenTime: number;
  /** Pending IDs of this consumer, keyed by idStr, kept sorted on demand. */
  pel: SortedIdMap<StreamNack>;
}

export interface StreamGroup {
  name: string;
  lastId: StreamId;
  entriesRead: number;
  pel: SortedIdMap<StreamNack>;
  consumers: Map<string, StreamConsumer>;
}

/** IDs to values in ID order: a sorted array of IDs plus a map (PELs are usually small). */
export class SortedIdMap<V> {
  private ids: StreamId[] = [];
  private readonly map = new Map<string, V>();

  get size(): number { return this.map.size; }
  get(id: StreamId): V | undefined { return this.map.get(idStr(id)); }
  has(id: StreamId): boolean { return this.map.has(idStr(id)); }

  private lowerBound(id: StreamId): number {
    let lo = 0, hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpId(this.ids[mid], id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  set(id: StreamId, v: V): void {
    const k = idStr(id);
    if (!this.map.has(k)) {
      const i = this.lowerBound(id);
      this.ids.splice(i, 0, id);
    }
    this.map.set(k, v);
  }

  delete(id: StreamId): boolean {
    const k = idStr(id);
    if (!this.map.delete(k)) return false;
    const i = this.lowerBound(id);
    this.ids.splice(i, 1);
    return true;
  }

  /** Entries with start <= id <= end in order (from `start`). */
  *range(start: StreamId, end: StreamId = ID_MAX): Generator<[StreamId, V]> {
    for (let i = this.lowerBound(start); i < this.ids.length; i++) {
      const id = this.ids[i];
      if (cmpId(id, end) > 0) return;
      yield [id, this.map.get(idStr(id))!];
    }
  }

  /** The first entry with an ID >= `id` (a cursor that survives deletions). */
  firstFrom(id: StreamId | null): [StreamId, V] | undefined {
    if (id === null) return undefined;
    const i = this.lowerBound(id);
    if (i >= this.ids.length) return undefined;
    const found = this.ids[i];
    return [found, this.map.get(idStr(found))!];
  }

  /** The IDs in order (not to be modified). */
  keys(): readonly StreamId[] { return this.ids; }
  first(): StreamId | undefined { return this.ids[0]; }
  last(): StreamId | undefined { return this.ids[this.ids.length - 1]; }
}

// ---- the stream ---------------------------------------------------------------------------

export class RStream {
  readonly type = 'stream' as const;
  readonly encoding = 'stream' as const;
  /** Nodes in master ID order. */
  nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamId = ID_ZERO;
  firstId: StreamId = ID_ZERO;
  maxDeletedId: StreamId = ID_ZERO;
  entriesAdded = 0;
  groups: Map<string, StreamGroup> | null = null;

  /** Index of the node that would hold `id` (last node with master <= id), or -1. */
  nodeFor(id: StreamId): number {
    let lo = 0, hi = this.nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpId(this.nodes[mid].master, id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /**
   * streamAppendItem's node choice and append, for an ID already checked to be > lastId.
   * `maxBytes`/`maxEntries` are stream-node-max-bytes/-entries.
   */
  append(id: StreamId, fv: string[], maxBytes: number, maxEntries: number): void {
    let node: StreamNode | undefined = this.nodes[this.nodes.length - 1];
    if (node) {
      let totalLen = 0;
      for (const x of fv) totalLen += x.length;
      const nodeMax = maxBytes === 0 || maxBytes > LISTPACK_MAX_BYTES ? LISTPACK_MAX_BYTES : maxBytes;
      if (node.bytes + totalLen >= nodeMax) node = undefined;
      else if (maxEntries && node.valid + node.deleted >= maxEntries) node = undefined;
    }
    if (!node) {
      this.nodes[this.nodes.length - 1]?.shrinkToFit();
      const fields: string[] = [];
      for (let i = 0; i < fv.length; i += 2) fields.push(fv[i]);
      // STREAM_LISTPACK_MAX_PRE_ALLOCATE, or stream-node-max-bytes when smaller.
      node = new StreamNode(id, fields, maxBytes > 0 && maxBytes < 4096 ? maxBytes : 4096);
      this.nodes.push(node);
    }
    node.push(id, fv, node.sameFields(fv) ? FLAG_SAMEFIELDS : FLAG_NONE);
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Valid entries with start <= id <= end, in order (reverse when `rev`). */
  *range(start: StreamId, end: StreamId, rev = false): Generator<StreamEntry> {
    if (cmpId(start, end) > 0 || this.nodes.length === 0) return;
    if (!rev) {
      let ni = Math.max(0, this.nodeFor(start));
      let ei = this.nodes[ni].lowerBound(start);
      for (; ni < this.nodes.length; ni++, ei = 0) {
        const es = this.nodes[ni].entries;
        for (; ei < es.length; ei++) {
          const e = es[ei];
          if (cmpId(e.id, end) > 0) return;
          if (!(e.flags & FLAG_DELETED)) yield e;
        }
      }
    } else {
      let ni = this.nodeFor(end);
      if (ni < 0) return;
      let ei = this.nodes[ni].lowerBound(incrId(end) ?? ID_MAX) - 1;
      if (cmpId(end, ID_MAX) === 0) ei = this.nodes[ni].entries.length - 1;
      for (; ni >= 0; ni--, ei = ni >= 0 ? this.nodes[ni].entries.length - 1 : 0) {
        const es = this.nodes[ni].entries;
        for (; ei >= 0; ei--) {
          const e = es[ei];
          if (cmpId(e.id, start) < 0) return;
          if (!(e.flags & FLAG_DELETED)) yield e;
        }
      }
    }
  }

  /** The valid entry with this ID, or undefined. */
  find(id: StreamId): StreamEntry | undefined {
    const ni = this.nodeFor(id);
    if (ni < 0) return undefined;
    const node = this.nodes[ni];
    const i = node.lowerBound(id);
    const e = node.entries[i];
    return e && cmpId(e.id, id) === 0 && !(e.flags & FLAG_DELETED) ? e : undefined;
  }

  /** streamDeleteItem: flag the entry deleted (dropping its node when it was the last valid). */
  deleteEntry(id: StreamId): boolean {
    const ni = this.nodeFor(id);
    if (ni < 0) return false;
    const node = this.nodes[ni];
    const e = node.entries[node.lowerBound(id)];
    if (!e || cmpId(e.id, id) !== 0 || (e.flags & FLAG_DELETED)) return false;
    e.flags |= FLAG_DELETED;
    if (node.valid === 1) this.nodes.splice(ni, 1);
    else node.markDeleted(1);
    this.length--;
    return true;
  }

  /** streamGetEdgeID: first/last entry ID, deleted ones too unless skipTombstones. */
  edgeId(first: boolean, skipTombstones: boolean): StreamId {
    const nodes = this.nodes;
    if (first) {
      for (const n of nodes) for (const e of n.entries) if (!skipTombstones || !(e.flags & FLAG_DELETED)) return e.id;
      return ID_MAX;
    }
    for (let i = nodes.length - 1; i >= 0; i--) {
      const es = nodes[i].entries;
      for (let j = es.length - 1; j >= 0; j--) if (!skipTombstones || !(es[j].flags & FLAG_DELETED)) return es[j].id;
    }
    return ID_ZERO;
  }

  /**
   * streamTrim: remove entries from the head by MAXLEN or MINID. Approximate trimming stops
   * at the first node it cannot drop whole; `limit` (0: none) caps the entries removed.
   * Returns how many were removed.
   */
  trim(strategy: 'maxlen' | 'minid', maxlen: number, minid: StreamId, approx: boolean, limit: number): number {
    let deleted = 0;
    let dropFront = 0;
    const nodes = this.nodes;
    for (let ni = 0; ni < nodes.length; ni++) {
      if (strategy === 'maxlen' && this.length <= maxlen) break;
      const node = nodes[ni];
      const entries = node.valid;
      if (limit && deleted + entries > limit) break;
      const removeNode = strategy === 'maxlen' ? this.length - entries >= maxlen : cmpId(node.lastId(), minid) < 0;
      if (removeNode) {
        dropFront++;
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      let fromNode = 0;
      for (const e of node.entries) {
        const stop = strategy === 'maxlen' ? this.length <= maxlen : cmpId(e.id, minid) >= 0;
        if (stop) break;
        if (!(e.flags & FLAG_DELETED)) {
          e.flags |= FLAG_DELETED;
          fromNode++;
          this.length--;
        }
      }
      deleted += fromNode;
      node.markDeleted(fromNode);
      break;
    }
    if (dropFront) nodes.splice(0, dropFront);
    if (this.length === 0) this.firstId = ID_ZERO;
    else if (deleted) this.firstId = this.edgeId(true, true);
    return deleted;
  }

  /**
   * streamEstimateDistanceFromFirstEverEntry: how many entries were added up to `id`, or -1
   * when deletions make it unknowable.
   */
  estimateDistance(id: StreamId): number {
    if (!this.entriesAdded) return 0;
    if (!this.length && cmpId(id, this.lastId) < 1) return this.entriesAdded;
    const cmpLast = cmpId(id, this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return -1;
    const cmpFirst = cmpId(id, this.firstId);
    const noTombstone = this.maxDeletedId.ms === 0n && this.maxDeletedId.seq === 0n;
    if (noTombstone || cmpId(this.maxDeletedId, this.firstId) < 0) {
      if (cmpFirst < 0) return this.entriesAdded - this.length;
      if (cmpFirst === 0) return this.entriesAdded - this.length + 1;
    }
    return -1;
  }

  /** rax->numnodes of the node index (XINFO STREAM radix-tree-nodes). */
  raxNodes(): number {
    return raxNodeCount(this.nodes.map((n) => streamIdKey(n.master)));
  }

  /**
   * objectComputeSize for a stream: the robj and stream structs, the node index, the
   * listpacks' allocations (the first `samples` averaged over all but the last node, which
   * counts as it is), and each group's structs and PELs.
   */
  memoryUsage(samples: number): number {
    const ROBJ = 16, STREAM = 80, CG = 40, NACK = 24, CONSUMER = 24;
    // streamRadixTreeMemoryUsage (whose first assignment Redis overwrites).
    const raxUsage = (numele: number, numnodes: number): number => numele * 16 + numnodes * 4 + numnodes * 8 * 30;
    let size = ROBJ + STREAM + raxUsage(this.nodes.length, this.raxNodes());
    let lpSize = 0, sampled = 0;
    for (const n of this.nodes) {
      if (sampled >= samples) break;
      lpSize += n.alloc;
      sampled++;
    }
    if (this.nodes.length <= sampled) size += lpSize;
    else {
      if (sampled) lpSize = Math.floor(lpSize / sampled);
      size += lpSize * (this.nodes.length - 1) + this.nodes[this.nodes.length - 1].alloc;
    }
    if (this.groups) {
      const pelRax = (pel: SortedIdMap<StreamNack>): number => raxUsage(pel.size, raxNodeCount(pel.keys().map(streamIdKey)));
      for (const g of this.groups.values()) {
        size += CG + pelRax(g.pel) + NACK * g.pel.size;
        for (const c of g.consumers.values()) size += CONSUMER + c.name.length + pelRax(c.pel);
      }
    }
    return size;
  }

  /** Every entry including deleted ones (persistence). */
  *allEntries(): Generator<StreamEntry> {
    for (const n of this.nodes) yield* n.entries;
  }

  /** streamDup: a deep copy (COPY, DEBUG RELOAD without serialising). */
  clone(): RStream {
    const c = new RStream();
    for (const n of this.nodes) {
      const m = new StreamNode(n.master, n.masterFields);
      for (const e of n.entries) m.push(e.id, e.fv, e.flags);
      m.fitAlloc();
      c.nodes.push(m);
    }
    c.length = this.length;
    c.lastId = this.lastId;
    c.firstId = this.firstId;
    c.maxDeletedId = this.maxDeletedId;
    c.entriesAdded = this.entriesAdded;
    if (this.groups) {
      c.groups = new Map();
      for (const [name, g] of this.groups) {
        const ng: StreamGroup = { name, lastId: g.lastId, entriesRead: g.entriesRead, pel: new SortedIdMap(), consumers: new Map() };
        for (const [id, nack] of g.pel.range(ID_ZERO)) ng.pel.set(id, { deliveryTime: nack.deliveryTime, deliveryCount: nack.deliveryCount, consumer: null });
        for (const [cname, cons] of g.consumers) {
          const nc: StreamConsumer = { name: cname, seenTime: cons.seenTime, pel: new SortedIdMap() };
          for (const [id] of cons.pel.range(ID_ZERO)) {
            const nack = ng.pel.get(id)!;
            nack.consumer = nc;
            nc.pel.set(id, nack);
          }
          ng.consumers.set(cname, nc);
        }
        c.groups.set(name, ng);
      }
    }
    return c;
  }
}
