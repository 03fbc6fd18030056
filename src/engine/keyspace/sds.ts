/**
 * The allocation behind a raw string value, as Redis's sds.c leaves it.
 *
 * A fresh sds (sdsnewlen) is allocated for exactly its length plus header and terminator; it
 * has no spare room, and the 1-byte header of a string under 32 bytes (SDS_TYPE_5) cannot even
 * record any. Commands that change a string in place grow it greedily (sdsMakeRoomFor: twice
 * the new length below 1 MB, 1 MB more above), so APPEND, SETRANGE, SETBIT, BITFIELD and a
 * sparse HyperLogLog leave spare bytes that MEMORY USAGE and DEBUG SDSLEN report. The engine
 * keeps values as JS strings, so the allocation is tracked beside the key (Entry.sds) from the
 * first such command until the value is replaced.
 */
import { stringEncoding, type Entry } from './db';
import { jemallocSize } from './memory-usage';

/**
 * An sds buffer: its header size (which says its type), the capacity its header records
 * (`alloc`, what sdsavail counts from) and the bytes the allocator gave (what zmalloc_size,
 * and so MEMORY USAGE, sees).
 */
export interface SdsAlloc { headerBytes: number; allocBytes: number; usableBytes: number }

/** SDS_MAX_PREALLOC: above this, greedy growth adds 1 MB instead of doubling. */
const MAX_PREALLOC = 1024 * 1024;

/** sdsReqType as a header size: 1 (type 5), 3, 5, 9 or 17 bytes. */
function headerBytesFor(len: number): number {
  return len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : len < 2 ** 32 ? 9 : 17;
}

/** sdsTypeMaxSize: the largest `alloc` the header can record. */
function maxAllocFor(headerBytes: number): number {
  return headerBytes === 3 ? 255 : headerBytes === 5 ? 65535 : headerBytes === 9 ? 2 ** 32 - 1 : Number.MAX_SAFE_INTEGER;
}

/** An allocation of `len` bytes with header `headerBytes`; the header records what fits. */
function allocate(headerBytes: number, len: number): SdsAlloc {
  const usableBytes = jemallocSize(headerBytes + len + 1);
  return { headerBytes, allocBytes: Math.min(usableBytes - headerBytes - 1, maxAllocFor(headerBytes)), usableBytes };
}

/** sdsnewlen(len). */
export function sdsNew(len: number): SdsAlloc {
  // Empty strings are usually created to be appended to: type 8, not 5.
  return allocate(len === 0 ? 3 : headerBytesFor(len), len);
}

/**
 * A string value as stored by SET, RESTORE or an RDB load: tryObjectEncoding trims a raw sds
 * whose spare room is over a tenth of its length (the allocation stays, the header then
 * records no spare room).
 */
export function storedValueSds(len: number): SdsAlloc {
  const a = sdsNew(len);
  return sdsAvail(a, len) > len / 10 ? { ...a, allocBytes: len } : a;
}

/** sdsavail of a `len`-byte string in `a` (type 5 records no capacity). */
export function sdsAvail(a: SdsAlloc, len: number): number {
  return a.headerBytes === 1 ? 0 : a.allocBytes - len;
}

/** sdsMakeRoomFor (greedy): room for `addlen` more bytes after `len`. */
export function sdsMakeRoomFor(a: SdsAlloc, len: number, addlen: number): SdsAlloc {
  if (sdsAvail(a, len) >= addlen) return a;
  let newlen = len + addlen;
  newlen = newlen < MAX_PREALLOC ? newlen * 2 : newlen + MAX_PREALLOC;
  // Type 5 cannot remember spare room, so growth never picks it.
  return allocate(Math.max(3, headerBytesFor(newlen)), newlen);
}

/**
 * The allocation of `e`'s string value once dbUnshareStringValue has made it a raw sds of its
 * own (an int or embstr gets a fresh copy) and sdsgrowzero has grown it to `newLen` bytes.
 */
export function unsharedSds(e: Entry, newLen: number): SdsAlloc {
  const len = (e.v as string).length;
  const a = stringEncoding(e) === 'raw' ? e.sds ?? storedValueSds(len) : sdsNew(len);
  return newLen > len ? sdsMakeRoomFor(a, len, newLen - len) : a;
}
