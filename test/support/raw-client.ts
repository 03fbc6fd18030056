/** A minimal RESP client that exposes the exact bytes of each reply (for byte comparisons). */
import * as net from 'node:net';
import { ReplyParser, encodeCommand, type RespValue } from '../../src/engine/resp/reply-parser';

export class RawClient {
  private parser = new ReplyParser();
  private raw: Buffer[] = [];
  private rawLen = 0;
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly sock: net.Socket) {
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => {
      this.raw.push(d);
      this.rawLen += d.length;
      this.parser.feed(new Uint8Array(d));
      this.wake();
    });
    sock.on('close', () => { this.closed = true; this.wake(); });
    sock.on('error', () => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** `localAddress`: the address the connection leaves from (bind(2) before connect). */
  static connect(port: number, host = '127.0.0.1', localAddress?: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host, localAddress }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** A connection to a unix domain socket (a server's `unixsocket`). */
  static connectPath(socketPath: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ path: socketPath }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Send raw bytes (a byte string or buffer). */
  write(data: string | Uint8Array): void {
    this.sock.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Send a command (as a RESP array of bulk strings) and wait for its reply's value. */
  async command(argv: string[]): Promise<RespValue> {
    this.write(`*${argv.length}\r\n` + argv.map((x) => `$${Buffer.byteLength(x, 'latin1')}\r\n${x}\r\n`).join(''));
    return (await this.reply()).value;
  }

  /** Wait for one complete reply; returns it and the exact bytes it took. */
  async reply(timeoutMs = 5000): Promise<{ value: RespValue; bytes: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = this.parser.next();
      if (r) {
        // The parser and `raw` hold the same unconsumed bytes; cut the reply off both.
        const all = Buffer.concat(this.raw);
        const bytes = all.subarray(0, r.bytes).toString('latin1');
        this.raw = [all.subarray(r.bytes)];
        this.rawLen = this.raw[0].length;
        return { value: r.value, bytes };
      }
      if (this.closed) throw new Error('connection closed');
      if (Date.now() > deadline) throw new Error('timeout waiting for reply');
      await new Promise<void>((res) => { this.waiters.push(res); setTimeout(res, 50); });
    }
  }

  /** Send a command (multibulk) and return its reply bytes. */
  async call(...argv: string[]): Promise<string> {
    this.write(encodeCommand(argv));
    return (await this.reply()).bytes;
  }

  /** All bytes received so far and not consumed by reply(), then until the socket closes. */
  async readUntilClose(timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return Buffer.concat(this.raw).toString('latin1');
  }

  /** Bytes received so far (not consumed by reply()). */
  pending(): string { return Buffer.concat(this.raw).toString('latin1'); }

  close(): void { this.sock.destroy(); }
}
