/**
 * One benchmark test (benchmark() and its event handlers): N clients, each on its own
 * connection, send the request (or a pipeline of P copies), wait for every reply, then send
 * again, until `requests` requests have been issued; the test ends when `requests` replies have
 * come back.
 *
 * A client's output buffer is built once: optional prefix commands (AUTH, CLIENT TRACKING,
 * SELECT, HELLO 3), whose replies are discarded and which are dropped from the buffer after
 * the first round, then the request P times. With -r, the offsets of every `__rand_int__` in
 * the buffer are remembered and each round overwrites those 12 characters with a fresh
 * zero-padded number below the keyspace length.
 *
 * Latency is measured per round: from the write to the first bytes of the answer (parsing is
 * not counted), the same value recorded for every reply of the round. Only the first
 * `requests` replies are recorded.
 */
import type { Os, OsError, Socket } from '../../os';
import { strToBytes } from '../../bytes';
import { encodeCommand } from '../../resp/reply-parser';
import { CLIENT_CONNECT_CPU_MS, CLIENT_READ_CPU_MS, CLIENT_READ_USER_CPU_MS, CLIENT_REPLY_USER_CPU_MS, CLIENT_WRITE_CPU_MS } from '../client-cpu-cost';
import { HdrHistogram } from '../../util/hdr-histogram';
import { ProtocolError, ReplyReader } from '../redis-cli/reply';
import { errorText } from '../redis-cli/connection';
import type { BenchConfig } from './config';
import { describeEndpoint, isNameResolutionError, TLS_UNSUPPORTED } from './server-config';

/** Latencies are kept between 10 µs and 3 s (longer ones are recorded as 3 s). */
const LATENCY_MIN_US = 10;
const LATENCY_MAX_US = 3_000_000;
const RAND_PLACEHOLDER = '__rand_int__';

export interface Printer {
  out(text: string): void;
  err(text: string): void;
  /** End the process now (from an event handler). */
  exit(code: number): void;
}

interface BenchClient {
  socket: Socket | null;
  reader: ReplyReader;
  /** Output buffer (byte string): prefix commands, then the pipelined requests. */
  obuf: string;
  prefixLen: number;
  prefixPending: number;
  /** Offsets of `__rand_int__` placeholders in obuf. */
  randOffsets: number[];
  /** The current round has been written (C's `written != 0`). */
  written: boolean;
  connected: boolean;
  startUs: number;
  latencyUs: number;
  /** Replies still expected this round. */
  pending: number;
  freed: boolean;
}

/** Counters shared by all tests of a run (the C program's globals). */
export interface RunState {
  requestsIssued: number;
  requestsFinished: number;
  previousRequestsFinished: number;
  /** mstime() of the previous progress line; persists across tests, like config.previous_tick. */
  previousTickMs: number;
  lastPrintedBytes: number;
  startMs: number;
  liveclients: number;
  title: string;
  histogram: HdrHistogram | null;
  recentHistogram: HdrHistogram | null;
  /** A client's connection failed: the real tool is stuck for good (see closed()). */
  wedged: boolean;
  /** The host name did not resolve when the settings were fetched: why (gai_strerror). */
  unresolvedHost: string | null;
}

export function newRunState(): RunState {
  return {
    requestsIssued: 0, requestsFinished: 0, previousRequestsFinished: 0, previousTickMs: 0,
    lastPrintedBytes: 0, startMs: 0, liveclients: 0, title: '', histogram: null, recentHistogram: null,
    unresolvedHost: null, wedged: false,
  };
}

export class ClientPool {
  private readonly clients = new Set<BenchClient>();
  private stopped = false;
  private dead = false;
  /** Called after each socket event is handled (ae runs overdue timers after file events). */
  afterEvent: (() => void) | null = null;
  private onStop: (() => void) | null = null;

  constructor(private readonly os: Os, private readonly config: BenchConfig, private readonly state: RunState,
    private readonly printer: Printer) {}

  /** Resolves when the test is over (the `requests`-th reply arrived). */
  stoppedPromise(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) resolve();
      else this.onStop = resolve;
    });
  }

  get live(): number { return this.clients.size; }

  /** exit(1) after an error message: the process ends; no handler runs any more. */
  private fail(text: string, code = 1): void {
    if (this.dead) return;
    this.dead = true;
    this.printer.err(text);
    this.printer.exit(code);
  }

  /** The program has exited (a failure). */
  get hasFailed(): boolean { return this.dead; }

  /** createClient: a client for `request` (or a copy of `from`'s request), connecting now. */
  createClient(request: string, from: BenchClient | null): BenchClient | null {
    const config = this.config;
    if (this.dead) return null;
    if (config.hostsocket !== null && !this.os.connectUnix) {
      // An Os without unix sockets (the simulation): nothing listens at any path.
      const exists = this.os.fs.existsSync(config.hostsocket);
      this.fail(`Could not connect to Redis at ${config.hostsocket}: ${exists ? 'Connection refused' : 'No such file or directory'}\n`);
      return null;
    }
    if (config.hostsocket === null && this.state.unresolvedHost !== null) {
      // The name did not resolve for the CONFIG fetch; hiredis resolves it again, synchronously.
      this.fail(`Could not connect to Redis at ${describeEndpoint(config)}: ${this.state.unresolvedHost}\n`);
      return null;
    }
    let socket: Socket;
    try {
      this.os.cpu?.(CLIENT_CONNECT_CPU_MS, true);
      socket = config.hostsocket !== null ? this.os.connectUnix!(config.hostsocket) : this.os.connect(config.hostip, config.hostport);
    } catch (e) {
      this.fail(`Could not connect to Redis at ${describeEndpoint(config)}: ${errorText(e as OsError)}\n`);
      return null;
    }
    if (config.tls) { socket.destroy(); this.fail(TLS_UNSUPPORTED); return null; }

    let obuf = '';
    let prefixPending = 0;
    if (config.auth !== null) {
      obuf += encodeCommand(config.user === null ? ['AUTH', config.auth] : ['AUTH', config.user, config.auth]);
      prefixPending++;
    }
    if (config.tracking) { obuf += encodeCommand(['CLIENT', 'TRACKING', 'on']); prefixPending++; }
    if (config.dbnum !== 0) { obuf += encodeCommand(['SELECT', config.dbnumStr]); prefixPending++; }
    if (config.resp3) { obuf += encodeCommand(['HELLO', '3']); prefixPending++; }
    const prefixLen = obuf.length;
    obuf += from ? from.obuf.slice(from.prefixLen) : request.repeat(config.pipeline);

    let randOffsets: number[] = [];
    if (config.randomkeys) {
      if (from) {
        randOffsets = from.randOffsets.map((o) => o + prefixLen - from.prefixLen);
      } else {
        for (let p = obuf.indexOf(RAND_PLACEHOLDER); p >= 0; p = obuf.indexOf(RAND_PLACEHOLDER, p + RAND_PLACEHOLDER.length)) randOffsets.push(p);
      }
    }
    const c: BenchClient = {
      socket, reader: new ReplyReader(), obuf, prefixLen, prefixPending, randOffsets,
      written: false, connected: false, startUs: 0, latencyUs: -1,
      pending: config.pipeline + prefixPending, freed: false,
    };
    socket.onConnect = () => {
      c.connected = true;
      // Idle clients only listen (for errors); the others start writing once connected.
      if (!config.idlemode && !this.stopped) this.writeHandler(c);
      this.afterEvent?.();
    };
    socket.onData = (bytes) => { this.readHandler(c, bytes); this.afterEvent?.(); };
    socket.onClose = (error) => { this.closed(c, error); this.afterEvent?.(); };
    this.clients.add(c);
    this.state.liveclients++;
    return c;
  }

  /** createMissingClients: top up to -c clients (pausing 50 ms after every 64, for the listen backlog). */
  createMissingClients(from: BenchClient): void {
    let n = 0;
    while (this.state.liveclients < this.config.numclients) {
      if (!this.createClient('', from)) return;
      if (++n > 64) {
        this.os.sleep(50);
        n = 0;
      }
    }
  }

  private randomizeKeys(c: BenchClient): void {
    if (c.randOffsets.length === 0) return;
    let out = '';
    let at = 0;
    for (const offset of c.randOffsets) {
      if (offset < 0) continue;
      const r = this.config.keyspacelen !== 0 ? Math.floor(this.os.random() * 0x80000000) % this.config.keyspacelen : 0;
      out += c.obuf.slice(at, offset) + String(r).padStart(12, '0').slice(-12);
      at = offset + RAND_PLACEHOLDER.length;
    }
    c.obuf = out + c.obuf.slice(at);
  }

  private writeHandler(c: BenchClient): void {
    if (c.freed || !c.socket || this.dead || this.state.wedged) return;
    if (!c.written) {
      const issued = this.state.requestsIssued;
      this.state.requestsIssued += this.config.pipeline;
      if (issued >= this.config.requests) return;
      if (this.config.randomkeys) this.randomizeKeys(c);
      c.startUs = Math.floor(this.os.nowUs());
      c.latencyUs = -1;
    }
    c.written = true;
    this.os.cpu?.(CLIENT_WRITE_CPU_MS, true);
    // A write to a connection that is gone frees the client silently (EPIPE).
    if (!c.socket.write(strToBytes(c.obuf))) this.freeClient(c);
  }

  private readHandler(c: BenchClient, bytes: Uint8Array): void {
    if (c.freed || this.dead || this.state.wedged) return;
    if (c.latencyUs < 0) c.latencyUs = Math.floor(this.os.nowUs()) - c.startUs;
    this.os.cpu?.(CLIENT_READ_CPU_MS, true);
    this.os.cpu?.(CLIENT_READ_USER_CPU_MS);
    c.reader.feed(bytes);
    while (c.pending > 0) {
      let reply;
      try {
        reply = c.reader.next();
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        this.fail(`Error: ${e.message}\n`);
        return;
      }
      if (reply === undefined) break;
      this.os.cpu?.(CLIENT_REPLY_USER_CPU_MS);
      if (reply.type === 'error') { this.fail(`Error from server: ${reply.str}\n`); return; }
      if (c.prefixPending > 0) {
        // AUTH/SELECT/... answered: drop them from the buffer for the next rounds.
        c.prefixPending--;
        c.pending--;
        if (c.prefixLen > 0) {
          c.obuf = c.obuf.slice(c.prefixLen);
          c.randOffsets = c.randOffsets.map((o) => o - c.prefixLen);
          c.prefixLen = 0;
        }
        continue;
      }
      const finishedBefore = this.state.requestsFinished++;
      if (finishedBefore < this.config.requests) {
        const us = Math.min(c.latencyUs, LATENCY_MAX_US);
        this.state.histogram?.record(us);
        this.state.recentHistogram?.record(us);
      }
      c.pending--;
      if (c.pending === 0) {
        this.clientDone(c);
        break;
      }
    }
  }

  private closed(c: BenchClient, error: OsError | null): void {
    if (c.freed || this.dead || this.state.wedged) return;
    c.socket = null;
    if (!c.connected) {
      // hiredis resolves names before connecting, and a unix socket's connect(2) succeeds or
      // fails at once, so these fail at once...
      if (error && (isNameResolutionError(error.code) || this.config.hostsocket !== null)) {
        this.fail(`Could not connect to Redis at ${describeEndpoint(this.config)}: ${errorText(error)}\n`);
      }
      // ...but a refused or unreachable connection is only noticed when writing, and the real
      // tool then retries that write forever, in a loop that lets nothing else run: no more
      // output, no end. Here the process goes quiet (without burning the CPU) until killed.
      this.state.wedged = true;
      return;
    }
    // Only a client waiting for replies reads, and so notices (idle-mode clients always read).
    if (!c.written && !this.config.idlemode) return;
    this.fail(`Error: ${error ? errorText(error) : 'Server closed the connection'}\n`);
  }

  private clientDone(c: BenchClient): void {
    if (this.state.requestsFinished >= this.config.requests) {
      this.freeClient(c);
      this.stop();
      return;
    }
    if (this.config.keepalive) {
      c.written = false;
      c.pending = this.config.pipeline;
      this.writeHandler(c);
    } else {
      this.state.liveclients--;
      this.createMissingClients(c);
      this.state.liveclients++;
      this.freeClient(c);
    }
  }

  private freeClient(c: BenchClient): void {
    if (c.freed) return;
    c.freed = true;
    if (c.socket) {
      c.socket.onData = null;
      c.socket.onClose = null;
      c.socket.onConnect = null;
      c.socket.destroy();
      c.socket = null;
    }
    this.clients.delete(c);
    this.state.liveclients--;
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const resolve = this.onStop;
    this.onStop = null;
    resolve?.();
  }

  freeAll(): void {
    for (const c of [...this.clients]) this.freeClient(c);
  }
}

export function newLatencyHistogram(precision: number): HdrHistogram {
  return new HdrHistogram(LATENCY_MIN_US, LATENCY_MAX_US, precision);
}
