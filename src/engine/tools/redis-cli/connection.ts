/**
 * redis-cli's link to a server: a blocking hiredis context rebuilt on the Os's sockets.
 *
 * hiredis reports failures through `c->err` and `c->errstr`, and redis-cli prints those texts
 * verbatim ("Could not connect to Redis at 127.0.0.1:6380: Connection refused",
 * "Error: Server closed the connection"), so errors here carry the same kinds and the same
 * strerror()/gai_strerror() wording. Reading is a promise that settles when a whole reply is
 * buffered; replies already buffered are returned even if the socket has since closed, as
 * hiredis does.
 */
import type { Os, OsError, Socket } from '../../os';
import { strToBytes } from '../../bytes';
import { encodeCommand } from '../../resp/reply-parser';
import { ProtocolError, ReplyReader, type CliReply } from './reply';
import { CLIENT_CONNECT_CPU_MS, CLIENT_READ_CPU_MS, CLIENT_READ_USER_CPU_MS, CLIENT_WRITE_CPU_MS } from '../client-cpu-cost';

export type CliErrorKind = 'io' | 'eof' | 'protocol' | 'other';

export interface CliError {
  kind: CliErrorKind;
  errstr: string;
  /** errno name for I/O errors (ECONNRESET, EPIPE...). */
  code?: string;
}

/** glibc's strerror()/gai_strerror() texts for the errors a connection can meet. */
const ERROR_TEXT: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EHOSTDOWN: 'Host is down',
  EPIPE: 'Broken pipe',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EADDRINUSE: 'Address already in use',
  ECONNABORTED: 'Software caused connection abort',
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EINVAL: 'Invalid argument',
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
  EAI_FAIL: 'Non-recoverable failure in name resolution',
};

export function errorText(e: OsError | { code?: string; message?: string }): string {
  return (e.code && ERROR_TEXT[e.code]) || e.message || 'Unknown error';
}

/** What to do with RESP3 push messages that arrive while waiting for a reply. */
export type PushHandler = ((r: CliReply) => void) | 'discard' | null;

export class CliConnection {
  err: CliError | null = null;
  /** hiredis's default push callback frees pushes; null makes them ordinary replies. */
  pushHandler: PushHandler = 'discard';
  private readonly reader = new ReplyReader();
  private closed = false;
  private closeError: OsError | null = null;
  private wake: (() => void) | null = null;

  private constructor(private readonly socket: Socket | null, private readonly os: Os | null) {
    if (!socket) return;
    socket.onData = (bytes) => {
      os?.cpu?.(CLIENT_READ_CPU_MS, true);
      os?.cpu?.(CLIENT_READ_USER_CPU_MS);
      this.reader.feed(bytes);
      this.notify();
    };
    socket.onClose = (error) => { this.closed = true; this.closeError = error; this.notify(); };
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private waitForEvent(): Promise<void> {
    return new Promise((resolve) => { this.wake = resolve; });
  }

  /** redisConnect: resolves with a context whose `err` is set when the connection failed. */
  static connect(os: Os, host: string, port: number): Promise<CliConnection> {
    return CliConnection.open(os, () => os.connect(host, port));
  }

  /**
   * redisConnectUnix. An Os without unix sockets (the simulation) has nothing at any path to
   * connect to: a missing file says so, an existing one refuses, as a file no server listens on.
   */
  static connectUnix(os: Os, path: string): Promise<CliConnection> {
    if (os.connectUnix) return CliConnection.open(os, () => os.connectUnix!(path));
    const exists = os.fs.existsSync(path);
    return Promise.resolve(CliConnection.failed({
      kind: 'io', code: exists ? 'ECONNREFUSED' : 'ENOENT',
      errstr: exists ? 'Connection refused' : 'No such file or directory',
    }));
  }

  private static open(os: Os, connect: () => Socket): Promise<CliConnection> {
    return new Promise((resolve) => {
      let socket: Socket;
      os.cpu?.(CLIENT_CONNECT_CPU_MS, true);
      try {
        socket = connect();
      } catch (e: any) {
        const failed = new CliConnection(null, null);
        failed.err = { kind: 'io', errstr: errorText(e), code: e?.code };
        resolve(failed);
        return;
      }
      socket.onConnect = () => {
        socket.onConnect = null;
        resolve(new CliConnection(socket, os));
      };
      socket.onClose = (error) => {
        const failed = new CliConnection(null, null);
        failed.err = { kind: 'io', errstr: error ? errorText(error) : 'Connection refused', code: error?.code ?? 'ECONNREFUSED' };
        resolve(failed);
      };
    });
  }

  /** A context that failed before any socket existed (e.g. unix sockets, which the Os lacks). */
  static failed(err: CliError): CliConnection {
    const c = new CliConnection(null, null);
    c.err = err;
    return c;
  }

  /** redisAppendCommandArgv. */
  appendCommand(argv: string[]): void {
    this.writeRaw(encodeCommand(argv));
  }

  /** Queue raw protocol bytes (a byte string). Returns false when the link is gone. */
  writeRaw(data: string | Uint8Array): boolean {
    if (!this.socket || this.err) return false;
    if (this.closed) return false;
    this.os?.cpu?.(CLIENT_WRITE_CPU_MS, true);
    return this.socket.write(typeof data === 'string' ? strToBytes(data) : data);
  }

  /** Bytes queued for sending but not yet handed to the network. */
  pendingWriteBytes(): number {
    return this.socket ? this.socket.pendingBytes() : 0;
  }

  private setClosedError(): void {
    if (this.closeError) {
      this.err = { kind: 'io', errstr: errorText(this.closeError), code: this.closeError.code };
    } else {
      this.err = { kind: 'eof', errstr: 'Server closed the connection' };
    }
  }

  /** Parse a buffered reply without waiting; undefined if none is complete. */
  private tryParse(): CliReply | undefined | null {
    try {
      return this.reader.next();
    } catch (e) {
      if (e instanceof ProtocolError) {
        this.err = { kind: 'protocol', errstr: e.message };
        return null;
      }
      throw e;
    }
  }

  /** A reply already buffered, without reading more (push messages are handled). */
  pollReply(): CliReply | undefined | null {
    for (;;) {
      const r = this.tryParse();
      if (r === null || r === undefined) return r;
      if (r.type === 'push' && this.pushHandler !== null) {
        if (this.pushHandler !== 'discard') this.pushHandler(r);
        continue;
      }
      return r;
    }
  }

  /** redisGetReply: the next in-band reply, or null with `err` set. */
  async getReply(): Promise<CliReply | null> {
    if (this.err) return null;
    for (;;) {
      const r = this.pollReply();
      if (r === null) return null;
      if (r !== undefined) return r;
      if (this.closed) { this.setClosedError(); return null; }
      await this.waitForEvent();
    }
  }

  /** Wait until more bytes arrive or the link closes, for up to `ms` (pipe mode). */
  async waitReadable(os: Os, ms: number): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      const t = os.setTimer(ms, () => { if (this.wake === wake) this.wake = null; resolve(); });
      const wake = () => { os.clearTimer(t); resolve(); };
      this.wake = wake;
    });
  }

  /** Whether the peer has closed (pipe mode checks it between reads). */
  get isClosed(): boolean { return this.closed; }

  /** Raw read (SYNC payloads): up to `max` bytes, or null on EOF/error. */
  async readRaw(max: number): Promise<Uint8Array | null> {
    for (;;) {
      if (this.reader.buffered > 0) return this.reader.takeRaw(max);
      if (this.closed) { this.setClosedError(); return null; }
      await this.waitForEvent();
    }
  }

  close(): void {
    if (this.socket && !this.closed) {
      this.socket.onData = null;
      this.socket.onClose = null;
      this.socket.destroy();
    }
    this.closed = true;
    this.notify();
  }
}
