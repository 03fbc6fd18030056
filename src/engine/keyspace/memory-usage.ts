/**
 * Memory estimates in Redis's own terms (object.c objectComputeSize, MEMORY USAGE, INFO
 * memory): what a key would cost in a real redis-server 7.0 with jemalloc.
 *
 * Every allocation is rounded up to a jemalloc size class (8, 16, 32, 48, ..., then four
 * classes per power of two). Strings are sds buffers with a 1/3/5/9-byte header by length;
 * small aggregates are listpacks (entry = encoding + data + backlen) or intsets; large ones
 * are dicts (a power-of-two bucket array of 8-byte pointers plus a 24-byte entry per element)
 * or skiplists. Aggregates are sampled like Redis does (the average element of the first
 * `samples` elements times the element count). For small values this matches real Redis
 * byte for byte; for large ones it is a close estimate.
 */
import type { RedisValue, RList, RHash, RSet, RZSet } from './values';
import type { RStream } from './stream';
import { stringEncoding, type Entry } from './db';
import { quicklistLayout } from './quicklist-layout';
import { listpackEntryBytes } from '../persistence/rdb/listpack';

/** jemalloc's usable size for a request of n bytes. */
export function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  // Four size classes between consecutive powers of two.
  const pow = 2 ** Math.floor(Math.log2(n - 1));
  const step = pow / 4;
  return Math.ceil(n / step) * step;
}

/** sdsReqType header size + NUL terminator. */
function sdsOverhead(len: number, forKey = true): number {
  if (len < 32 && (len > 0 || !forKey)) return 1 + 1;
  if (len < 256) return 3 + 1;
  if (len < 65536) return 5 + 1;
  return 9 + 1;
}

/** sdsZmallocSize of a freshly created sds of `len` bytes. */
export function sdsAllocSize(len: number): number {
  return jemallocSize(len + sdsOverhead(len));
}

const ROBJ = 16;
/** sizeof(quicklist) and sizeof(quicklistNode). */
const QUICKLIST = 40;
const QUICKLIST_NODE = 40;

/** How lists split into quicklist nodes (persistence/snapshot.ts encodeOptions gives the server's). */
export interface ListLayout { listFill: number; packedThreshold?: number }
const DEFAULT_LIST_LAYOUT: ListLayout = { listFill: -2 };
const DICT_ENTRY = 24;
const DICT = 56;

function dictSlots(n: number): number {
  let s = 4;
  while (s < n) s *= 2;
  return s;
}

function listpackSize(items: Iterable<string>): number {
  let n = 6 + 1;
  for (const s of items) n += listpackEntryBytes(s);
  return n;
}

function scoreString(d: number): string {
  if (Number.isInteger(d) && Math.abs(d) < 2 ** 53) return String(d);
  return String(d);
}

function stringValueSize(e: Entry): number {
  const s = e.v as string;
  switch (stringEncoding(e)) {
    case 'int': return ROBJ;
    case 'embstr': return jemallocSize(ROBJ + 3 + s.length + 1);
    default: return (e.sds?.usableBytes ?? sdsAllocSize(s.length)) + ROBJ;
  }
}

/**
 * objectComputeSize for a quicklist: the robj and quicklist headers, plus the average size of
 * the first `samples` nodes (node header and listpack allocation) times the node count.
 */
function listSize(l: RList, samples: number, layout: ListLayout): number {
  const nodes = quicklistLayout(l, layout.listFill, layout.packedThreshold);
  const sampled = nodes.slice(0, Math.max(1, samples));
  let nodeBytes = 0;
  for (const node of sampled) nodeBytes += QUICKLIST_NODE + jemallocSize(node.bytes);
  return ROBJ + QUICKLIST + Math.floor((nodeBytes / sampled.length) * nodes.length);
}

function setSize(s: RSet, samples: number): number {
  if (s.encoding === 'intset') {
    let width = 2;
    for (const m of s.set) {
      const v = BigInt(m);
      if (v < -2147483648n || v > 2147483647n) width = 8;
      else if ((v < -32768n || v > 32767n) && width < 4) width = 4;
    }
    return ROBJ + jemallocSize(8 + width * s.set.size);
  }
  let asize = ROBJ + DICT + 8 * dictSlots(s.set.size);
  let ele = 0, n = 0;
  for (const m of s.set) {
    if (n >= samples) break;
    ele += DICT_ENTRY + sdsAllocSize(m.length);
    n++;
  }
  if (n) asize += Math.floor((ele / n) * s.set.size);
  return asize;
}

function hashSize(h: RHash, samples: number): number {
  if (h.encoding === 'listpack') {
    const flat: string[] = [];
    for (const [f, v] of h.map) flat.push(f, v);
    return ROBJ + jemallocSize(listpackSize(flat));
  }
  let asize = ROBJ + DICT + 8 * dictSlots(h.map.size);
  let ele = 0, n = 0;
  for (const [f, v] of h.map) {
    if (n >= samples) break;
    ele += sdsAllocSize(f.length) + sdsAllocSize(v.length) + DICT_ENTRY;
    n++;
  }
  if (n) asize += Math.floor((ele / n) * h.map.size);
  return asize;
}

function zsetSize(z: RZSet, samples: number): number {
  if (z.encoding === 'listpack') {
    const flat: string[] = [];
    for (const [m, s] of z.dict) flat.push(m, scoreString(s));
    return ROBJ + jemallocSize(listpackSize(flat));
  }
  let asize = ROBJ + 16 + 32 + DICT + 8 * dictSlots(z.dict.size) + jemallocSize(24 + 32 * 16);
  let ele = 0, n = 0;
  for (const [m] of z.dict) {
    if (n >= samples) break;
    ele += sdsAllocSize(m.length) + DICT_ENTRY + jemallocSize(24 + 16);
    n++;
  }
  if (n) asize += Math.floor((ele / n) * z.dict.size);
  return asize;
}

/** A value type this module does not know (modules): a size from its own estimate. */
function otherSize(v: unknown): number {
  const est = (v as { memoryUsage?: () => number })?.memoryUsage;
  return typeof est === 'function' ? est.call(v) : ROBJ + 64;
}

/** objectComputeSize(): bytes of the value of `e`, sampling aggregates. */
export function valueMemoryUsage(e: Entry, samples = 5, layout: ListLayout = DEFAULT_LIST_LAYOUT): number {
  const v: RedisValue = e.v;
  if (typeof v === 'string') return stringValueSize(e);
  const sample = samples === 0 ? Number.MAX_SAFE_INTEGER : samples;
  switch ((v as { type: string }).type) {
    case 'list': return listSize(v as RList, sample, layout);
    case 'set': return setSize(v as RSet, sample);
    case 'hash': return hashSize(v as RHash, sample);
    case 'zset': return zsetSize(v as RZSet, sample);
    case 'stream': return (v as RStream).memoryUsage(sample);
    default: return otherSize(v);
  }
}

/** MEMORY USAGE: value + key sds + the main dict entry. */
export function keyMemoryUsage(key: string, e: Entry, samples = 5, layout: ListLayout = DEFAULT_LIST_LAYOUT): number {
  return valueMemoryUsage(e, samples, layout) + sdsAllocSize(key.length) + DICT_ENTRY;
}
