/**
 * A cluster link's send buffer (Redis 7.0's link->sndbuf, an sds string): the packets queued
 * on the link and not yet written to its socket, with the allocation sizes Redis reports.
 *
 * Redis appends every packet to the buffer (sdscatlen) and writes it when the socket is next
 * writable; what the write took is cut from the front (sdsrange), which keeps the allocation.
 * The cluster cron gives back the unused space when it is four times what is still queued
 * (sdsRemoveFreeSpace). CLUSTER LINKS shows both sizes (send-buffer-allocated / -used),
 * cluster-link-sendbuf-limit compares the allocation with the limit, and the memory the links
 * take (mem_cluster_links) counts it.
 *
 * Growth follows sdsMakeRoomFor: when the free space is too small the wanted length is doubled
 * (below 1 MB; above, 1 MB is added), the header is the smallest that can describe that length
 * (3, 5, 9 or 17 bytes), and jemalloc rounds header + length + NUL up to its size class; the
 * allocation is what that class leaves after header and NUL (capped at what the header type can
 * describe). A shrink sets the allocation to the length exactly.
 */
import { jemallocSize } from '../keyspace/memory-usage';

/** sdsMakeRoomFor's greedy growth stops doubling here (SDS_MAX_PREALLOC). */
const SDS_MAX_PREALLOC = 1024 * 1024;

/** The sds header type for a length (sdsReqType, never type 5 for a buffer that grows). */
function headerBytes(len: number): number {
  if (len < 1 << 8) return 3;
  if (len < 1 << 16) return 5;
  if (len < 2 ** 32) return 9;
  return 17;
}

/** The largest length the header type for `len` can record (sdsTypeMaxSize). */
function headerMaxLen(len: number): number {
  if (len < 1 << 8) return 255;
  if (len < 1 << 16) return 65535;
  if (len < 2 ** 32) return 2 ** 32 - 1;
  return Number.MAX_SAFE_INTEGER;
}

/** The allocation an sds gets when it must hold `wanted` bytes, growing greedily. */
export function sdsGreedyAlloc(wanted: number): number {
  const newlen = wanted < SDS_MAX_PREALLOC ? wanted * 2 : wanted + SDS_MAX_PREALLOC;
  const hdr = headerBytes(newlen);
  return Math.min(jemallocSize(hdr + newlen + 1) - hdr - 1, headerMaxLen(newlen));
}

/** sdsempty(): a type-8 header and its NUL in jemalloc's 8-byte class leave 4 bytes. */
const EMPTY_ALLOC = jemallocSize(3 + 0 + 1) - 3 - 1;

export class LinkSendBuffer {
  /** sdslen: bytes queued. */
  length = 0;
  /** sdsalloc: bytes allocated for the string (without header and NUL). */
  allocated = EMPTY_ALLOC;
  /** The queued bytes, oldest first; `headOffset` bytes of the first were already written. */
  private readonly chunks: Uint8Array[] = [];
  private headOffset = 0;

  /** sdscatlen. */
  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.allocated - this.length < bytes.length) this.allocated = sdsGreedyAlloc(this.length + bytes.length);
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  /** Up to `max` bytes from the front, still queued (what a write(2) would be handed). */
  peek(max: number): Uint8Array {
    const n = Math.min(max, this.length);
    const first = this.chunks[0];
    if (first && first.length - this.headOffset >= n) return first.subarray(this.headOffset, this.headOffset + n);
    const out = new Uint8Array(n);
    let filled = 0;
    for (let i = 0; filled < n; i++) {
      const c = this.chunks[i];
      const from = i === 0 ? this.headOffset : 0;
      const take = Math.min(c.length - from, n - filled);
      out.set(c.subarray(from, from + take), filled);
      filled += take;
    }
    return out;
  }

  /** sdsrange(buf, n, -1): drop the `n` bytes that were written; the allocation stays. */
  consume(n: number): void {
    this.length -= n;
    while (n > 0) {
      const left = this.chunks[0].length - this.headOffset;
      if (n < left) { this.headOffset += n; return; }
      n -= left;
      this.chunks.shift();
      this.headOffset = 0;
    }
  }

  /**
   * resizeClusterLinkBuffer: give back the free space when it is more than four times what is
   * queued (the factor allows for sdsMakeRoomFor's greed).
   */
  shrinkIfWasteful(): void {
    if (Math.floor((this.allocated - this.length) / 4) > this.length) this.allocated = this.length;
  }
}
