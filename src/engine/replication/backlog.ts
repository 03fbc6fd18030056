/**
 * The replication buffer and backlog of Redis 7.0 (replication.c: feedReplicationBuffer,
 * incrementalTrimReplicationBacklog, addReplyReplicationBacklog).
 *
 * 7.0 keeps one shared list of blocks for the backlog and for every replica's output: bytes
 * of the replication stream are appended to the last block; a replica remembers where its
 * next unsent byte is; the backlog is the window of blocks still kept. Blocks are allocated
 * at least 16 KB (PROTO_REPLY_CHUNK_BYTES) and at most max(backlog size / 16, 16 KB), and the
 * usable size is what jemalloc hands out for that request (its size classes), minus the
 * 40-byte block header. That is why `repl_backlog_histlen` exceeds `repl-backlog-size` for a
 * while and then drops by a whole block: the first block is released only when the history
 * stays above the configured size without it, and never while a replica still has to send
 * bytes from it. We model exactly that, so INFO's `repl_backlog_first_byte_offset` and
 * `repl_backlog_histlen` and the PSYNC window match a real 7.0.15 server byte for byte.
 *
 * Offsets are stream offsets: the first byte ever produced has offset 1, and `offset` of
 * the backlog is the offset of its first byte (master_repl_offset - histlen + 1).
 */

/** PROTO_REPLY_CHUNK_BYTES: the smallest block. */
export const REPL_BLOCK_MIN_BYTES = 16 * 1024;
/** sizeof(replBufBlock): refcount, id, repl_offset, size, used. */
const BLOCK_HEADER_BYTES = 40;
/** sizeof(listNode), counted in repl_buffer_mem. */
const LIST_NODE_BYTES = 24;
/** CONFIG_REPL_BACKLOG_MIN_SIZE. */
export const REPL_BACKLOG_MIN_BYTES = 16 * 1024;
/** REPL_BACKLOG_TRIM_BLOCKS_PER_CALL. */
export const TRIM_BLOCKS_PER_CALL = 64;

/**
 * jemalloc's usable size for a request: its size classes are 8, then multiples of 16 up to
 * 128, then four classes per power of two (spacing a quarter of the power).
 */
export function jemallocUsableSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const k = Math.floor(Math.log2(n - 1));
  const spacing = 2 ** (k - 2);
  return Math.ceil(n / spacing) * spacing;
}

export interface ReplBlock {
  /** Monotonic id (node counts in output-buffer accounting). */
  id: number;
  /** Stream offset of the block's first byte. */
  offset: number;
  /** Capacity in bytes. */
  size: number;
  used: number;
  buf: Uint8Array;
}

/**
 * The shared block list. `pinned(offset)` tells the backlog whether some replica still needs
 * the byte at `offset` (its next unsent byte is at or before it).
 */
export class ReplBuffer {
  blocks: ReplBlock[] = [];
  private nextId = 0;
  /** repl_buffer_mem: usable sizes plus list nodes. */
  memBytes = 0;
  /** Backlog window (only meaningful while a backlog exists). */
  histlen = 0;
  backlogOffset = 0;

  constructor(
    /** The current repl-backlog-size. */
    private readonly backlogSize: () => number,
    /** Lowest next-unsent offset among replicas fed from the buffer, or Infinity. */
    private readonly lowestReplicaOffset: () => number,
  ) {}

  /** createReplicationBacklog: empty, the first byte will be the next one produced. */
  reset(masterReplOffset: number): void {
    this.blocks = [];
    this.memBytes = 0;
    this.histlen = 0;
    this.backlogOffset = masterReplOffset + 1;
  }

  /**
   * rebaseReplicationBuffer: what was fed while master_repl_offset counted from 0 (the DELs of
   * keys expired while loading) moves after the offset the RDB restored.
   */
  rebase(baseOffset: number): void {
    for (const b of this.blocks) b.offset += baseOffset;
    this.backlogOffset += baseOffset;
  }

  /** Stream offset of the last byte held (master_repl_offset on the feeding side). */
  get endOffset(): number {
    const last = this.blocks[this.blocks.length - 1];
    return last ? last.offset + last.used - 1 : this.backlogOffset - 1;
  }

  /**
   * feedReplicationBuffer: append bytes (a byte string) at stream offset `startOffset`
   * (master_repl_offset + 1). Returns true if a new block was created.
   */
  feed(s: string, startOffset: number): boolean {
    let pos = 0;
    let offset = startOffset;
    let added = false;
    while (pos < s.length) {
      let tail = this.blocks[this.blocks.length - 1];
      if (tail && tail.used < tail.size) {
        const copy = Math.min(tail.size - tail.used, s.length - pos);
        for (let i = 0; i < copy; i++) tail.buf[tail.used + i] = s.charCodeAt(pos + i);
        tail.used += copy;
        pos += copy;
        offset += copy;
        this.histlen += copy;
      }
      if (pos < s.length) {
        const len = s.length - pos;
        const limit = Math.max(Math.floor(this.backlogSize() / 16), REPL_BLOCK_MIN_BYTES);
        const request = Math.min(Math.max(len, REPL_BLOCK_MIN_BYTES), limit);
        const usable = jemallocUsableSize(request + BLOCK_HEADER_BYTES);
        const size = usable - BLOCK_HEADER_BYTES;
        tail = { id: this.nextId++, offset, size, used: 0, buf: new Uint8Array(size) };
        this.blocks.push(tail);
        this.memBytes += usable + LIST_NODE_BYTES;
        const copy = Math.min(size, len);
        for (let i = 0; i < copy; i++) tail.buf[i] = s.charCodeAt(pos + i);
        tail.used = copy;
        pos += copy;
        offset += copy;
        this.histlen += copy;
        added = true;
        this.trim(TRIM_BLOCKS_PER_CALL, offset - 1);
      }
    }
    return added;
  }

  /**
   * incrementalTrimReplicationBacklog: drop whole blocks from the front while the history
   * stays above the configured size without them and no replica still needs them.
   */
  trim(maxBlocks: number, masterReplOffset: number): void {
    let trimmed = 0;
    const size = this.backlogSize();
    while (this.histlen > size && trimmed < maxBlocks) {
      if (this.blocks.length <= 1) break;
      const first = this.blocks[0];
      if (this.lowestReplicaOffset() < first.offset + first.used) break;
      if (this.histlen - first.size <= size) break;
      trimmed++;
      this.histlen -= first.size;
      this.memBytes -= first.size + BLOCK_HEADER_BYTES + LIST_NODE_BYTES;
      this.blocks.shift();
    }
    this.backlogOffset = masterReplOffset - this.histlen + 1;
  }

  /** Bytes [from, to] (stream offsets, inclusive) as one array; `from` must be held. */
  read(from: number, to: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, to - from + 1));
    if (out.length === 0) return out;
    let i = this.blockIndex(from);
    let pos = 0;
    let offset = from;
    while (pos < out.length && i < this.blocks.length) {
      const b = this.blocks[i];
      const start = offset - b.offset;
      const n = Math.min(b.used - start, out.length - pos);
      out.set(b.buf.subarray(start, start + n), pos);
      pos += n;
      offset += n;
      i++;
    }
    return out.subarray(0, pos);
  }

  /** Index of the block holding `offset` (binary search; blocks are in offset order). */
  private blockIndex(offset: number): number {
    let lo = 0, hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid].offset <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /**
   * getClientOutputBufferMemoryUsage for a replica whose next unsent byte is at `next`: the
   * span from its block to the end of the last block, plus the block headers.
   */
  replicaMemory(next: number, masterReplOffset: number): number {
    if (this.blocks.length === 0 || next > masterReplOffset) return 0;
    const cur = this.blocks[this.blockIndex(Math.max(next, this.blocks[0].offset))];
    const last = this.blocks[this.blocks.length - 1];
    const nodes = last.id - cur.id + 1;
    return last.offset + last.size - cur.offset + nodes * (LIST_NODE_BYTES + BLOCK_HEADER_BYTES);
  }
}
