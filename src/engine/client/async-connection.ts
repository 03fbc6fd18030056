/**
 * A non-blocking client connection to a Redis-protocol server, in the style of hiredis's async
 * context (what Sentinel uses for its links, and what the sentinel-aware client library uses).
 *
 * - `command(argv, cb)` encodes the request and queues `cb`; replies are matched to callbacks in
 *   order. Requests issued before the TCP connection is up are buffered and sent on connect.
 * - `subscribe(argv, cb)` sends (P)SUBSCRIBE and routes every later pub/sub frame (the
 *   confirmations and the messages) to `cb` instead of the reply queue, like hiredis's channel
 *   callbacks in subscribed mode.
 * - When the connection fails, closes, or is closed with `close()`, every queued callback is
 *   called with `null` (hiredis runs pending callbacks with a NULL reply when it frees the
 *   context), then `onDisconnect`. `onConnect(error)` reports the outcome of the connect.
 *
 * Every socket callback runs through `run`, so a server can wrap it in its event loop
 * (`server.event`) and have its replies flushed afterwards.
 */
import type { Os, OsError, Socket } from '../os';
import { ReplyParser, encodeCommand, type RespValue } from '../resp/reply-parser';
import { strToBytes } from '../bytes';

export type ReplyCallback = (reply: RespValue | null) => void;

/** strerror() texts for the network errors an Os reports. */
const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EPIPE: 'Broken pipe',
  EPERM: 'Operation not permitted',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENOTFOUND: 'Name or service not known',
};

export function netErrorText(e: { code?: string; message?: string } | null): string {
  if (!e) return 'Server closed the connection';
  if (e.code && NET_ERRORS[e.code]) return NET_ERRORS[e.code];
  return e.message ?? String(e);
}

const PUBSUB_KINDS = new Set(['message', 'pmessage', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe']);

export class AsyncConnection {
  private socket: Socket | null = null;
  private readonly parser = new ReplyParser();
  private readonly callbacks: ReplyCallback[] = [];
  /** Per queued callback: whether handling its reply keeps to the process (see command). */
  private readonly quiet: ((() => boolean) | null)[] = [];
  private subscriber: ReplyCallback | null = null;
  /** Requests written before the connection was established. */
  private pendingOut: string[] = [];
  connected = false;
  closed = false;
  /** Set when the connection could not be created at all (hiredis's `c->err` right away). */
  readonly err: string | null = null;
  onConnect: ((error: string | null) => void) | null = null;
  onDisconnect: ((error: string | null) => void) | null = null;

  constructor(
    os: Os,
    readonly host: string,
    readonly port: number,
    private readonly run: (fn: () => void) => void = (fn) => fn(),
    opts: { timeoutMs?: number; bindAddress?: string } = {},
  ) {
    let s: Socket;
    try {
      s = os.connect(host, port, opts);
    } catch (e) {
      this.err = netErrorText(e as OsError);
      this.closed = true;
      return;
    }
    this.socket = s;
    s.quietReads = () => this.readsQuiet();
    s.onConnect = () => this.run(() => {
      if (this.socket !== s) return;
      this.connected = true;
      for (const chunk of this.pendingOut) s.write(strToBytes(chunk));
      this.pendingOut = [];
      this.onConnect?.(null);
    });
    s.onData = (b) => this.run(() => {
      if (this.socket !== s) return;
      this.onData(b);
    });
    s.onClose = (e) => this.run(() => {
      if (this.socket !== s) return;
      const wasConnected = this.connected;
      this.teardown();
      const text = e ? netErrorText(e) : null;
      if (!wasConnected) this.onConnect?.(text ?? 'Connection closed');
      this.onDisconnect?.(text);
    });
  }

  /** The local address of the socket (anetFdToString with FD_TO_SOCK_NAME), or null. */
  get localAddress(): string | null {
    return this.socket && this.connected ? this.socket.localAddress : null;
  }

  get localPort(): number {
    return this.socket && this.connected ? this.socket.localPort : 0;
  }

  /** Replies still expected. */
  get pendingReplies(): number {
    return this.callbacks.length;
  }

  /**
   * Queue a request. Returns false when the connection is closed (redisAsyncCommand's C_ERR).
   * `quiet`, optional: while it holds, handling the reply does nothing another process notices
   * (Socket.quietReads holds while every queued reply is such).
   */
  command(argv: string[], cb: ReplyCallback = () => undefined, quiet: (() => boolean) | null = null): boolean {
    if (this.closed || !this.socket) return false;
    this.callbacks.push(cb);
    this.quiet.push(quiet);
    this.write(encodeCommand(argv));
    return true;
  }

  /** Send SUBSCRIBE/PSUBSCRIBE; every pub/sub frame from now on goes to `cb`. */
  subscribe(argv: string[], cb: ReplyCallback): boolean {
    if (this.closed || !this.socket) return false;
    this.subscriber = cb;
    this.write(encodeCommand(argv));
    return true;
  }

  /** Close now; queued callbacks get null. No onDisconnect is called (the caller knows). */
  close(): void {
    if (this.closed) return;
    const s = this.socket;
    this.teardown();
    s?.destroy();
  }

  private write(data: string): void {
    if (!this.connected) { this.pendingOut.push(data); return; }
    this.socket!.write(strToBytes(data));
  }

  private teardown(): void {
    this.closed = true;
    this.connected = false;
    if (this.socket) { this.socket.onConnect = null; this.socket.onData = null; this.socket.onClose = null; }
    this.socket = null;
    this.pendingOut = [];
    this.subscriber = null;
    const cbs = this.callbacks.splice(0);
    this.quiet.length = 0;
    for (const cb of cbs) cb(null);
  }

  /** Whatever can arrive now answers queued requests whose replies are all quiet. */
  private readsQuiet(): boolean {
    if (this.subscriber || this.quiet.length === 0) return false;
    for (const q of this.quiet) if (!q || !q()) return false;
    return true;
  }

  private onData(b: Uint8Array): void {
    this.parser.feed(b);
    for (;;) {
      if (this.closed) return;
      let r: { value: RespValue } | undefined;
      try {
        r = this.parser.next();
      } catch {
        // A protocol error: hiredis frees the context.
        const s = this.socket;
        this.teardown();
        s?.destroy();
        this.onDisconnect?.('Protocol error');
        return;
      }
      if (!r) return;
      const v = r.value;
      if (this.subscriber && isPubSubFrame(v)) {
        this.subscriber(v);
        continue;
      }
      const cb = this.callbacks.shift();
      this.quiet.shift();
      if (!cb && v.type === 'error') {
        // An error nobody asked for (a SUBSCRIBE refused with NOAUTH or NOPERM, whose reply has
        // no queued callback; the error a server sends before closing): hiredis takes it as the
        // context's error and disconnects, so a sentinel's pub/sub link drops and is retried.
        const s = this.socket;
        this.teardown();
        s?.destroy();
        this.onDisconnect?.(v.value);
        return;
      }
      cb?.(v);
    }
  }
}

function isPubSubFrame(v: RespValue): boolean {
  if (v.type !== 'array' && v.type !== 'push') return false;
  const first = v.value[0];
  return first !== undefined && first.type === 'bulk' && PUBSUB_KINDS.has(first.value);
}
