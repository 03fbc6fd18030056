/**
 * A server engine in-process on a hand-driven Os: a manual clock, timers that fire only when
 * the test advances time, and fake sockets whose unsent bytes the test controls. For unit
 * tests of behaviour that depends on time or on slow readers (idle timeouts, output buffer
 * soft limits, pauses) without waiting or a network.
 */
import type { ChildProcess, FileSystem, Listener, Os, OsError, Socket } from '../../src/engine/os';
import { createServer } from '../../src/engine/programs/redis-server';
import { Config } from '../../src/engine/config/config';
import type { RedisServer } from '../../src/engine/server/server';
import type { Client } from '../../src/engine/server/client';
import { ReplyParser, encodeCommand, type RespValue } from '../../src/engine/resp/reply-parser';

class ManualOs implements Os {
  nowMs = 1_700_000_000_000;
  private timers = new Map<number, { at: number; fire: () => void }>();
  private nextTimer = 1;
  readonly log: string[] = [];
  readonly pid = 4242;
  readonly hostname = 'test';
  readonly addresses = ['127.0.0.1'];
  readonly info = { osName: 'Linux', arch: 64, processName: 'redis-server', executable: '/usr/bin/redis-server' };
  readonly fs = new Proxy({}, { get: () => () => { throw new Error('no filesystem in this harness'); } }) as unknown as FileSystem;
  now(): number { return this.nowMs; }
  nowUs(): number { return this.nowMs * 1000; }
  tzOffsetMinutes(): number { return 0; }
  setTimer(ms: number, fire: () => void): number {
    const id = this.nextTimer++;
    this.timers.set(id, { at: this.nowMs + ms, fire });
    return id;
  }
  clearTimer(id: number): void { this.timers.delete(id); }
  listen(): Promise<Listener> { throw new Error('no network in this harness'); }
  connect(): Socket { throw new Error('no network in this harness'); }
  fork(): ChildProcess { throw new Error('no fork in this harness'); }
  private seed = 12345;
  /** A small deterministic LCG: tests stay reproducible. */
  random(): number {
    this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0;
    return this.seed / 4294967296;
  }
  stdout(text: string): void { this.log.push(text); }
  stderr(text: string): void { this.log.push(text); }
  exit(): void { /* the harness outlives the server */ }
  busy(): void { /* no modelled cost */ }
  sleep(): void { /* no real blocking */ }
  onSignal(): void { /* no signals */ }
  /** Unset, the server runs beforeSleep at once after each event; a test may queue it instead. */
  whenIdle?: (fn: () => void) => void;

  /** Run every timer due up to now + ms, in time order. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      let next: [number, { at: number; fire: () => void }] | null = null;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.nowMs = Math.max(this.nowMs, next[1].at);
      next[1].fire();
    }
    this.nowMs = end;
  }
}

/** A socket whose "kernel" holds `stuckBytes` the peer did not read yet. */
export class FakeSocket implements Socket {
  readonly remoteAddress = '127.0.0.1';
  readonly localAddress = '127.0.0.1';
  readonly localPort = 6379;
  onConnect: (() => void) | null = null;
  onData: ((bytes: Uint8Array) => void) | null = null;
  onClose: ((error: OsError | null) => void) | null = null;
  onDrain: (() => void) | null = null;
  written = '';
  /** When true, written bytes stay "pending" (a client that does not read). */
  stalled = false;
  stuckBytes = 0;
  ended = false;
  destroyed = false;
  constructor(readonly remotePort: number) {}
  write(bytes: Uint8Array): boolean {
    if (this.destroyed) return false;
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    if (this.stalled) this.stuckBytes += bytes.length;
    else this.written += s;
    return true;
  }
  pendingBytes(): number { return this.stuckBytes; }
  /** The peer reads `bytes` (all by default) of what the kernel holds: the socket drains. */
  peerReads(bytes = this.stuckBytes): void {
    this.stuckBytes = Math.max(0, this.stuckBytes - bytes);
    this.onDrain?.();
  }
  end(): void { this.ended = true; }
  destroy(): void { this.destroyed = true; }
}

export class Conn {
  private parser = new ReplyParser();
  private consumed = 0;
  constructor(readonly h: Harness, readonly socket: FakeSocket, readonly client: Client) {}
  /** Send a command (argv) or raw bytes, as one event. */
  send(req: string[] | string): void {
    const s = typeof req === 'string' ? req : encodeCommand(req);
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    this.socket.onData?.(b);
  }
  /** Every complete reply received since the last call. */
  replies(): RespValue[] {
    const fresh = this.socket.written.slice(this.consumed);
    this.consumed = this.socket.written.length;
    const b = new Uint8Array(fresh.length);
    for (let i = 0; i < fresh.length; i++) b[i] = fresh.charCodeAt(i);
    this.parser.feed(b);
    const out: RespValue[] = [];
    for (let r = this.parser.next(); r; r = this.parser.next()) out.push(r.value);
    return out;
  }
  /** Send and return the replies that came back in the same event. */
  call(...argv: string[]): RespValue[] {
    this.send(argv);
    return this.replies();
  }
  get closed(): boolean { return this.socket.ended || this.socket.destroyed; }
}

export class Harness {
  readonly os = new ManualOs();
  readonly server: RedisServer;
  private nextPort = 40000;

  constructor(config: Record<string, string> = {}) {
    const cfg = new Config();
    for (const [k, v] of Object.entries(config)) {
      const err = cfg.set(k, v.split(' '), { loading: true, sentinel: false });
      if (err) throw new Error(`config ${k}: ${err}`);
    }
    this.server = createServer(this.os, { config: cfg });
    this.server.startCron();
  }

  connect(): Conn {
    const sock = new FakeSocket(this.nextPort++);
    let client!: Client;
    this.server.event(() => { client = this.server.createClient(sock); });
    return new Conn(this, sock, client);
  }

  advance(ms: number): void { this.os.advance(ms); }

  get log(): string { return this.os.log.join(''); }
}
