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
import { isInt64String } from '../util/numbers';

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
const DICT_ENTRY = 24;
const DICT = 56;

function dictSlots(n: number): number {
  let s = 4;
  while (s < n) s *= 2;
  return s;
}

/** Bytes one listpack entry takes (encoding, data, backlen). */
function listpackEntrySize(s: string): number {
  let enc: number;
  if (s.length <= 20 && isInt64String(s)) {
    const v = BigInt(s);
    if (v >= 0n && v <= 127n) enc = 1;
    else if (v >= -4096n && v <= 4095n) enc = 2;
    else if (v >= -32768n && v <= 32767n) enc = 3;
    else if (v >= -8388608n && v <= 8388607n) enc = 4;
    else if (v >= -2147483648n && v <= 2147483647n) enc = 5;
    else enc = 9;
  } else if (s.length <= 63) {
    enc = 1 + s.length;
  } else if (s.length <= 4095) {
    enc = 2 + s.length;
  } else {
    enc = 5 + s.length;
  }
  const back = enc <= 127 ? 1 : enc < 16383 ? 2 : enc < 2097151 ? 3 : enc < 268435455 ? 4 : 5;
  return enc + back;
}

function listpackSize(items: Iterable<string>): number {
  let n = 6 + 1;
  for (const s of items) n += listpackEntrySize(s);
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
    default: return sdsAllocSize(s.length) + ROBJ;
  }
}

function listSize(l: RList, samples: number, listpackMax: number): number {
  // Split the elements into quicklist nodes of at most `listpackMax` bytes, like the fill factor.
  const items = l.toArray();
  const nodes: number[] = [];
  let cur = 7;
  let count = 0;
  for (const it of items) {
    const es = listpackEntrySize(it);
    if (count > 0 && cur + es > listpackMax) { nodes.push(cur); cur = 7; count = 0; }
    cur += es;
    count++;
  }
  if (count > 0 || nodes.length === 0) nodes.push(cur);
  let ele = 0;
  let n = 0;
  for (const sz of nodes) {
    if (n >= Math.max(1, samples)) break;
    ele += 40 + jemallocSize(sz);
    n++;
  }
  return ROBJ + 40 + Math.floor((ele / n) * nodes.length);
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
export function valueMemoryUsage(e: Entry, samples = 5, listpackMax = 8192): number {
  const v: RedisValue = e.v;
  if (typeof v === 'string') return stringValueSize(e);
  const sample = samples === 0 ? Number.MAX_SAFE_INTEGER : samples;
  switch ((v as { type: string }).type) {
    case 'list': return listSize(v as RList, sample, listpackMax);
    case 'set': return setSize(v as RSet, sample);
    case 'hash': return hashSize(v as RHash, sample);
    case 'zset': return zsetSize(v as RZSet, sample);
    case 'stream': return (v as RStream).memoryUsage(sample);
    default: return otherSize(v);
  }
}

/** MEMORY USAGE: value + key sds + the main dict entry. */
export function keyMemoryUsage(key: string, e: Entry, samples = 5, listpackMax = 8192): number {
  return valueMemoryUsage(e, samples, listpackMax) + sdsAllocSize(key.length) + DICT_ENTRY;
}

/** Bytes the list-max-listpack-size setting allows per quicklist node. */
export function listpackMaxBytes(fill: number): number {
  if (fill >= 0) return 8192; // count-limited nodes: assume they stay under 8 kB
  return [4096, 8192, 16384, 32768, 65536][Math.min(4, -fill - 1)];
}
