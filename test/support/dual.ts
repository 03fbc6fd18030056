/**
 * Connection pairs for differential tests that need several connections per server (a
 * subscriber and a publisher, a watcher and a writer, a killer and a victim...).
 *
 * A `Dual` is one connection to real Redis and one to our server, opened together. Every step
 * sends the same bytes to both and compares what comes back, optionally after normalising
 * text that legitimately differs (ports, ids, timestamps). Mismatches are collected so a test
 * reports all of them at once.
 */
import { expect } from 'vitest';
import type { Pair } from './differential';
import type { RawClient } from './raw-client';
import { encodeCommand } from '../../src/engine/resp/reply-parser';

export type Normalise = (bytes: string) => string;

export class Session {
  readonly mismatches: string[] = [];
  private readonly conns: Dual[] = [];

  constructor(readonly pair: Pair) {}

  /**
   * Open a new connection to each server. The first one waits a moment so that connections
   * closed by an earlier test are gone on both servers (ids and fds in CLIENT LIST).
   */
  async connect(name = `c${this.conns.length + 1}`): Promise<Dual> {
    if (this.conns.length === 0) await new Promise((r) => setTimeout(r, 50));
    const [a, b] = await Promise.all([this.pair.real.client(), this.pair.ours.client()]);
    const d = new Dual(this, name, a, b);
    this.conns.push(d);
    return d;
  }

  record(msg: string): void {
    this.mismatches.push(msg);
  }

  close(): void {
    for (const d of this.conns) d.close();
  }

  expectClean(): void {
    this.close();
    expect(this.mismatches, this.mismatches.join('\n')).toEqual([]);
  }
}

/** Read until `n` replies arrived or the connection closed; returns the bytes and whether it closed. */
async function replies(c: RawClient, n: number, timeoutMs: number): Promise<{ bytes: string; closed: boolean; timedOut: boolean }> {
  let bytes = '';
  for (let i = 0; i < n; i++) {
    try {
      bytes += (await c.reply(timeoutMs)).bytes;
    } catch (e) {
      const msg = String((e as Error).message);
      if (msg.includes('closed')) return { bytes: bytes + c.pending(), closed: true, timedOut: false };
      return { bytes: bytes + c.pending(), closed: c.closed, timedOut: true };
    }
  }
  return { bytes, closed: c.closed, timedOut: false };
}

export class Dual {
  constructor(readonly session: Session, readonly name: string, readonly real: RawClient, readonly ours: RawClient) {}

  private compare(what: string, ra: string, rb: string, norm?: Normalise): void {
    const na = norm ? norm(ra) : ra;
    const nb = norm ? norm(rb) : rb;
    if (na !== nb) this.session.record(`[${this.name}] ${what}\n  real: ${JSON.stringify(ra)}\n  ours: ${JSON.stringify(rb)}`);
  }

  /** A step expecting n replies that did not come is a broken test (or server), never a match. */
  private checkTimeouts(what: string, a: boolean, b: boolean): void {
    if (a || b) this.session.record(`[${this.name}] ${what}: timed out waiting for replies (real ${a}, ours ${b})`);
  }

  /** Send a command and compare its reply. */
  async call(argv: string[], norm?: Normalise): Promise<string> {
    return this.raw(encodeCommand(argv), 1, norm, argv.map((a) => JSON.stringify(a)).join(' '));
  }

  /** Send raw bytes and compare the next `n` replies (and whether the connection closed). */
  async raw(bytes: string | Uint8Array, n = 1, norm?: Normalise, label?: string, timeoutMs = 3000): Promise<string> {
    this.real.write(bytes);
    this.ours.write(bytes);
    if (n === 0) return '';
    const [ra, rb] = await Promise.all([replies(this.real, n, timeoutMs), replies(this.ours, n, timeoutMs)]);
    const what = label ?? `raw ${JSON.stringify(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1')).slice(0, 200)}`;
    this.checkTimeouts(what, ra.timedOut, rb.timedOut);
    this.compare(what, ra.bytes, rb.bytes, norm);
    if (ra.closed !== rb.closed) this.session.record(`[${this.name}] ${what}: real ${ra.closed ? 'closed' : 'open'}, ours ${rb.closed ? 'closed' : 'open'}`);
    return ra.bytes;
  }

  /** Send without waiting (the reply is read later with expect()). */
  send(argv: string[]): void {
    const enc = encodeCommand(argv);
    this.real.write(enc);
    this.ours.write(enc);
  }

  /** Compare the next `n` replies (pushes, or replies to send()). */
  async expect(n = 1, what = 'next reply', norm?: Normalise, timeoutMs = 3000): Promise<string> {
    const [ra, rb] = await Promise.all([replies(this.real, n, timeoutMs), replies(this.ours, n, timeoutMs)]);
    this.checkTimeouts(what, ra.timedOut, rb.timedOut);
    this.compare(what, ra.bytes, rb.bytes, norm);
    if (ra.closed !== rb.closed) this.session.record(`[${this.name}] ${what}: real ${ra.closed ? 'closed' : 'open'}, ours ${rb.closed ? 'closed' : 'open'}`);
    return ra.bytes;
  }

  /** Wait `ms` and compare everything that arrived in the meantime (nothing, usually). */
  async quiet(ms = 150, what = 'unexpected data'): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
    this.compare(what, this.real.pending(), this.ours.pending());
  }

  /**
   * Wait `settleMs`, then read every complete reply both sides have received (pushes) and
   * compare them as one block.
   */
  async drain(what: string, settleMs = 50, norm?: Normalise): Promise<void> {
    await new Promise((r) => setTimeout(r, settleMs));
    const readAll = async (c: RawClient) => {
      let bytes = '';
      for (;;) {
        try { bytes += (await c.reply(30)).bytes; } catch { return bytes; }
      }
    };
    const [ra, rb] = await Promise.all([readAll(this.real), readAll(this.ours)]);
    this.compare(what, ra, rb, norm);
  }

  /** Wait until both connections are closed (or the timeout) and compare everything received. */
  async untilClosed(timeoutMs = 3000, what = 'bytes until close'): Promise<void> {
    const [ra, rb] = await Promise.all([this.real.readUntilClose(timeoutMs), this.ours.readUntilClose(timeoutMs)]);
    this.compare(what, ra, rb);
    if (this.real.closed !== this.ours.closed) this.session.record(`[${this.name}] ${what}: real ${this.real.closed ? 'closed' : 'open'}, ours ${this.ours.closed ? 'closed' : 'open'}`);
  }

  close(): void {
    this.real.close();
    this.ours.close();
  }
}

/** Replace the parts of CLIENT LIST / INFO / MONITOR output that depend on the run. */
export const normClientInfo: Normalise = (s) => s
  .replace(/addr=[\d.]+:\d+/g, 'addr=ADDR')
  .replace(/laddr=[\d.]+:\d+/g, 'laddr=LADDR')
  .replace(/age=\d+ idle=\d+/g, 'age=A idle=I');

/** CLIENT LIST with every allocator-dependent number blanked (field names and order kept). */
export const normClientInfoLoose: Normalise = (s) => normClientInfo(s)
  .replace(/(qbuf-free|argv-mem|multi-mem|rbs|rbp|obl|oll|omem|tot-mem)=\d+/g, '$1=N')
  .replace(/\$\d+\r\n/, '$LEN\r\n').replace(/=\d+\r\ntxt:/, '=LEN\r\ntxt:');

/** MONITOR lines: timestamps and client addresses vary. */
export const normMonitor: Normalise = (s) => s
  .replace(/\+\d+\.\d{6} \[(\d+) [\d.]+:\d+\]/g, '+TS [$1 ADDR]');
