/**
 * A cluster bus connection (clusterLink): one TCP connection to or from another node's bus
 * port, carrying framed clusterMsg packets in both directions.
 *
 * Every node keeps an outbound link to each known node (we send PINGs on it and read the
 * PONGs) and accepts inbound links from them (they send PINGs there and we answer). An inbound
 * link does not know its node until the first packet names the sender.
 *
 * Framing: the first 8 bytes of a packet hold the "RCmb" signature and the total length; a
 * bad signature or a length below the header size kills the link, as in clusterReadHandler.
 *
 * Sending: packets are queued in the link's send buffer (send-buffer.ts) and written by the
 * bus when the event loop is next idle (see bus.ts), as Redis's write handler does.
 *
 * Memory: what Redis counts for a link (getClusterLinkMemUsage) is its struct, the send
 * buffer's allocation and the receive buffer's allocation. The receive buffer starts at 1 KB;
 * Redis reads a packet's first 8 bytes, then at most sizeof(clusterMsg) bytes per read, and
 * when a read does not fit it grows the buffer to twice what it needs (below 1 MB; above, 1 MB
 * more); once a packet is processed a grown buffer goes back to 1 KB. We follow the same
 * reads over the bytes the Os delivers, so the allocation is Redis's.
 */
import type { Socket } from '../os';
import type { ClusterNode } from './node';
import { MSG_STRUCT_LEN, peekLength } from './message';
import { LinkSendBuffer } from './send-buffer';

/** sizeof(clusterLink) on a 64-bit build: seven 8-byte fields and an int, padded. */
const LINK_STRUCT_BYTES = 64;
/** RCVBUF_INIT_LEN. */
const RCVBUF_INIT_BYTES = 1024;
/** RCVBUF_MAX_PREALLOC: above this the receive buffer grows by this much, not doubling. */
const RCVBUF_MAX_PREALLOC = 1024 * 1024;

export class ClusterLink {
  /** Bytes of the packet being received. */
  private rcv: Uint8Array = new Uint8Array(1024);
  private rcvLen = 0;
  /** rcvbuf_alloc: the receive buffer's size as Redis would have allocated it. */
  private rcvAllocBytes = RCVBUF_INIT_BYTES;
  /** Set once the outbound connection is established (inbound links start connected). */
  connected: boolean;
  closed = false;
  /** Packets queued and not yet written to the socket. */
  readonly sendBuffer = new LinkSendBuffer();

  constructor(
    readonly socket: Socket,
    public node: ClusterNode | null,
    readonly inbound: boolean,
    readonly ctimeMs: number,
  ) {
    this.connected = inbound;
  }

  /**
   * Append received bytes; calls `onPacket` for each complete packet (a copy of its bytes).
   * Returns false when the stream is corrupt (the caller frees the link).
   */
  feed(bytes: Uint8Array, onPacket: (packet: Uint8Array) => boolean): boolean {
    let pos = 0;
    while (pos < bytes.length && !this.closed) {
      const need = this.rcvLen < 8 ? 8 - this.rcvLen : this.expectedLength() - this.rcvLen;
      const take = Math.min(need, bytes.length - pos, MSG_STRUCT_LEN);
      if (take > this.rcvAllocBytes - this.rcvLen) {
        const required = this.rcvLen + take;
        this.rcvAllocBytes = required < RCVBUF_MAX_PREALLOC ? required * 2 : required + RCVBUF_MAX_PREALLOC;
      }
      this.append(bytes.subarray(pos, pos + take));
      pos += take;
      if (this.rcvLen === 8) {
        const len = peekLength(this.rcv);
        if (len === 'bad') return false;
      }
      if (this.rcvLen >= 8 && this.rcvLen === this.expectedLength()) {
        const packet = this.rcv.slice(0, this.rcvLen);
        this.rcvLen = 0;
        if (this.rcv.length > RCVBUF_INIT_BYTES) this.rcv = new Uint8Array(RCVBUF_INIT_BYTES);
        if (this.rcvAllocBytes > RCVBUF_INIT_BYTES) this.rcvAllocBytes = RCVBUF_INIT_BYTES;
        if (!onPacket(packet)) return true;
      }
    }
    return true;
  }

  private expectedLength(): number {
    const len = peekLength(this.rcv);
    return len === 'bad' ? 8 : len;
  }

  private append(b: Uint8Array): void {
    if (this.rcvLen + b.length > this.rcv.length) {
      const grown = new Uint8Array(Math.max(this.rcv.length * 2, this.rcvLen + b.length));
      grown.set(this.rcv.subarray(0, this.rcvLen));
      this.rcv = grown;
    }
    this.rcv.set(b, this.rcvLen);
    this.rcvLen += b.length;
  }

  /** Whether a write is wanted (Redis's write handler is installed while the buffer holds data). */
  wantsWrite(): boolean { return !this.closed && this.sendBuffer.length > 0; }

  /** getClusterLinkMemUsage. */
  memoryBytes(): number { return LINK_STRUCT_BYTES + this.sendBuffer.allocated + this.rcvAllocBytes; }
}
