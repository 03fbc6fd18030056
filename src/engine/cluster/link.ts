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
 */
import type { Socket } from '../os';
import type { ClusterNode } from './node';
import { peekLength } from './message';

export class ClusterLink {
  /** Bytes of the packet being received. */
  private rcv: Uint8Array = new Uint8Array(1024);
  private rcvLen = 0;
  /** Set once the outbound connection is established (inbound links start connected). */
  connected: boolean;
  closed = false;
  /** Bytes written and not yet drained by the Os (CLUSTER LINKS send-buffer-used). */
  sendBufferPeakBytes = 0;

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
      const take = Math.min(need, bytes.length - pos);
      this.append(bytes.subarray(pos, pos + take));
      pos += take;
      if (this.rcvLen === 8) {
        const len = peekLength(this.rcv);
        if (len === 'bad') return false;
      }
      if (this.rcvLen >= 8 && this.rcvLen === this.expectedLength()) {
        const packet = this.rcv.slice(0, this.rcvLen);
        this.rcvLen = 0;
        if (this.rcv.length > 1024) this.rcv = new Uint8Array(1024);
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

  send(bytes: Uint8Array): void {
    if (this.closed) return;
    this.socket.write(bytes);
    this.sendBufferPeakBytes = Math.max(this.sendBufferPeakBytes, this.socket.pendingBytes());
  }

  /** Bytes queued on the socket and not yet sent. */
  pendingBytes(): number { return this.closed ? 0 : this.socket.pendingBytes(); }
}
