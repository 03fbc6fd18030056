/**
 * A connected client: its socket, query parser, selected db, protocol version, reply buffer and
 * the per-client state of transactions, pub/sub, blocking operations and replication roles.
 *
 * Replies are encoded into `out` as they are produced and flushed to the socket once per event
 * (like Redis's beforeSleep → handleClientsWithPendingWrites), so a pipeline of 16 commands
 * becomes one socket write.
 */
import { ByteBuffer } from '../bytes';
import { RequestParser } from '../resp/request-parser';
import type { Socket } from '../os';
import type { Db } from '../keyspace/db';
import type { CommandSpec } from '../commands/table';
import type { RedisServer } from './server';
import type { WatchedKey } from './watch';
import { fmtG17 } from '../util/numbers';

export type ClientKind = 'normal' | 'replica' | 'master' | 'pubsub';

export interface BlockState {
  /** What the client waits for: keys (lists/zsets), WAIT acks, a pause, or SHUTDOWN's replicas. */
  kind: 'keys' | 'wait' | 'pause' | 'sleep' | 'shutdown';
  /** Db index and keys being waited on. */
  dbId: number;
  keys: string[];
  /** Absolute timeout in ms, 0 for none. */
  timeoutMs: number;
  timer: number | null;
  /** Called when a key becomes ready: returns true if the client was served. */
  tryServe?: (key: string) => boolean;
  /** Reply for a timeout (null array for BLPOP, integer for WAIT...). */
  onTimeout: () => void;
  /** The command being blocked, re-run on unblock for some kinds. */
  argv: string[];
  cmd: CommandSpec;
  blockedAtUs: number;
  /** How long the call that blocked took (c->duration): counted again when it unblocks. */
  callUs?: number;
  /** WAIT: replication offset and number of replicas waited for. */
  waitOffset?: number;
  waitReplicas?: number;
}

/** CLIENT TRACKING options (tracking.c). */
export interface TrackingState {
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  prefixes: string[];
  /** The redirection client went away (the 'R' flag, broken_redirect). */
  brokenRedirect: boolean;
}

export class Client {
  readonly parser = new RequestParser();
  readonly out = new ByteBuffer(256);
  db: Db;
  resp: 2 | 3 = 2;
  name = '';
  authenticated: boolean;
  user = 'default';
  /** Set when the reply of the current command should not be sent (our master's link). */
  replyMuted = false;

  // Flags (CLIENT LIST "flags" field is derived from these).
  isMaster = false;
  isReplica = false;
  isMonitor = false;
  inMulti = false;
  dirtyCas = false;
  dirtyExec = false;
  closeAfterReply = false;
  closeAsap = false;
  readonly = false;
  asking = false;
  noEvict = false;
  /** The connection came in over a unix socket / loopback (enable-debug-command local). */
  isLocal = false;
  /** CLIENT_UNIX_SOCKET: accepted on the `unixsocket` listener (flag U, addr "<path>:0"). */
  unixSocket = false;
  /**
   * CLIENT_DENY_BLOCKING: blocking commands must answer at once as if they timed out (set by
   * EXEC around the queued commands, and for script and AOF-loading clients). Blocking
   * commands also treat `inMulti` this way, since EXEC runs its queue with it still set.
   */
  denyBlocking = false;
  /** CLIENT_SCRIPT: the client scripts run their redis.call() commands on. */
  isScript = false;
  /**
   * The AOF loader's fake client (CLIENT_ID_AOF) outside a transaction: a script it runs that
   * passes its time limit is suspended like a client's while the load waits for it.
   */
  aofLoading = false;
  /** For the script client during a run: the client whose EVAL/FCALL runs it (Redis's server.current_client meanwhile). */
  scriptCaller: Client | null = null;

  multiQueue: { cmd: CommandSpec; argv: string[] }[] = [];
  /** Union of flags of queued commands (EXEC is treated as write if any queued write). */
  multiFlags = new Set<string>();
  /** Sum of the queued commands' argument bytes plus 8 per argument (CLIENT LIST multi-mem). */
  multiArgvBytes = 0;
  watchedKeys: WatchedKey[] = [];
  channels = new Set<string>();
  patterns = new Set<string>();
  /** Shard channels (SSUBSCRIBE). */
  shardChannels = new Set<string>();
  blocked: BlockState | null = null;
  /** CLIENT REPLY OFF, and SKIP (the flag for the next command, and for the current one). */
  replyOff = false;
  replySkipNext = false;
  replySkip = false;
  /** Set while a pub/sub or tracking push is written: those bypass CLIENT REPLY OFF/SKIP. */
  pushing = false;
  /** Arguments replaced by "(redacted)" for MONITOR and SLOWLOG (AUTH passwords...). */
  redactedArgs: number[] | null = null;
  /** Time (seconds) the output buffer first went over the soft limit, 0 when under it. */
  obufSoftLimitReachedTimeSec = 0;
  /** Client side caching (CLIENT TRACKING) state; null when tracking is off. */
  tracking: TrackingState | null = null;
  /** CLIENT CACHING yes/no was given for the next command. */
  trackingCaching = false;
  /** The client was unblocked by CLIENT UNBLOCK/a key and has not run its next command. */
  unblocked = false;

  // Buffer bookkeeping for CLIENT LIST (see client-info.ts).
  /** File descriptor number as Redis would have assigned it (lowest free). */
  fd = -1;
  /** Bytes of the current command's arguments (argv_len_sum). */
  argvLenSum = 0;
  /** Query buffer length as Redis sees it (the whole pipeline while it runs). */
  qbufLen = 0;
  /** The clients cron released the idle query buffer. */
  qbufReleased = false;
  /**
   * The query buffer's allocation when it is not the default 16 KiB one (0): after an argument
   * of 32 KiB or more Redis takes the buffer as the argument and allocates a new one of that
   * size, "assuming another fat argument"; the clients cron trims it (querybuf_peak).
   */
  qbufAlloc = 0;
  /** The most query buffer used since the last clients cron visit (querybuf_peak). */
  qbufPeak = 0;
  /** Reply buffer size and its peak use in the current 5 s window (rbs, rbp). */
  replyBufSize = 16384;
  /**
   * Offset in `out` from which replies sit in the reply list rather than the 16 KB buffer:
   * Redis's addReplyDeferredLen adds a list node, and what follows goes to the list until it
   * is written (so a big KEYS reply counts whole against client-output-buffer-limit).
   */
  replyListFrom = Infinity;
  /** A write handler is installed: replies left by the per-event write limit or a full socket. */
  writeHandlerArmed = false;
  replyBufPeak = 16384;
  replyBufPeakResetMs = 0;
  /** Slots allocated for queued MULTI commands (0, then 2, 4, 8...). */
  multiAllocCount = 0;

  readonly ctimeMs: number;
  lastInteractionMs: number;
  lastCmd: CommandSpec | null = null;
  cmd: CommandSpec | null = null;
  argv: string[] = [];
  /** Bytes received/sent (INFO stats net_input_bytes aggregates these). */
  netInput = 0;
  netOutput = 0;
  /** Set by a handler to propagate a different argv (EXPIRE → PEXPIREAT, SET EX → PXAT). */
  propagateArgv: string[] | null = null;
  /** Set by a handler that propagated by itself (alsoPropagate) or must not propagate. */
  preventPropagation = false;
  /** forceCommandPropagation(): propagate even without a dataset change (PUBLISH → 'repl'). */
  forcePropagation: null | 'repl' | 'aof' | 'both' = null;
  /** Error replies sent so far; call() compares before/after to count failed_calls. */
  errorReplies = 0;

  // Replication bookkeeping, used by replication.ts when this is a replica or master link.
  repl: Record<string, any> = {};

  constructor(
    readonly server: RedisServer,
    readonly id: number,
    readonly socket: Socket | null,
    readonly addr: string,
    readonly laddr: string,
  ) {
    this.db = server.dbs[0];
    this.authenticated = !server.authRequiredForDefaultUser();
    this.ctimeMs = server.nowMs();
    this.lastInteractionMs = this.ctimeMs;
    // islocalClient(): the peer is exactly 127.0.0.1 or ::1 (not the rest of 127/8).
    const ip = addr.slice(0, addr.lastIndexOf(':'));
    this.isLocal = ip === '127.0.0.1' || ip === '::1' || ip === '[::1]' || socket === null;
  }

  /** CLIENT_PUBSUB: subscribed to at least one channel, pattern or shard channel. */
  get inPubSub(): boolean { return this.channels.size + this.patterns.size + this.shardChannels.size > 0; }

  kind(): ClientKind {
    if (this.isMaster) return 'master';
    if (this.isReplica && !this.isMonitor) return 'replica';
    if (this.inPubSub) return 'pubsub';
    return 'normal';
  }

  /** True when this connection must AUTH before running commands. */
  authRequired(): boolean {
    return !this.authenticated && this.server.authRequiredForDefaultUser();
  }

  // ---- reply encoding ------------------------------------------------------------------

  private mark(): boolean {
    if (this.replyMuted || this.closeAsap) return false;
    if ((this.replyOff || this.replySkip) && !this.pushing) return false;
    this.server.markPendingWrite(this);
    this.server.replyItemsUncharged++;
    return true;
  }

  /** Append pre-encoded protocol bytes (as a byte string). */
  replyRaw(s: string): void {
    if (this.mark()) this.out.pushStr(s);
  }

  replyOk(): void { this.replyRaw('+OK\r\n'); }

  replyStatus(s: string): void { this.replyRaw(`+${s}\r\n`); }

  /**
   * An error reply. Like addReplyError: a message not starting with '-' gets "-ERR " in
   * front; "\r\n" inside the message become spaces. Counts errorstats.
   */
  replyError(msg: string): void {
    let s = msg.replace(/[\r\n]/g, ' ');
    if (!s.startsWith('-')) s = '-ERR ' + s;
    this.server.recordErrorReply(this, s);
    this.replyRaw(s + '\r\n');
  }

  replyInt(n: number | bigint): void {
    if (typeof n === 'number' && Number.isSafeInteger(n)) {
      if (this.mark()) this.out.pushIntLine(58 /* : */, n);
      return;
    }
    const s = typeof n === 'bigint' ? n.toString() : Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
    this.replyRaw(`:${s}\r\n`);
  }

  replyBulk(s: string): void {
    if (!this.mark()) return;
    this.out.pushIntLine(36 /* $ */, s.length);
    this.out.pushStr(s);
    this.out.pushCrlf();
  }

  replyBulkBytes(b: Uint8Array): void {
    if (!this.mark()) return;
    this.out.pushStr(`$${b.length}\r\n`);
    this.out.pushBytes(b);
    this.out.pushStr('\r\n');
  }

  /** Null bulk ($-1 in RESP2, _ in RESP3). */
  replyNull(): void { this.replyRaw(this.resp === 2 ? '$-1\r\n' : '_\r\n'); }

  /** Null array (*-1 in RESP2, _ in RESP3). */
  replyNullArray(): void { this.replyRaw(this.resp === 2 ? '*-1\r\n' : '_\r\n'); }

  replyArrayLen(n: number): void { if (this.mark()) this.out.pushIntLine(42 /* * */, n); }

  /** A map of n pairs: %n in RESP3, *2n in RESP2. */
  replyMapLen(n: number): void { this.replyRaw(this.resp === 2 ? `*${n * 2}\r\n` : `%${n}\r\n`); }

  replySetLen(n: number): void { this.replyRaw(this.resp === 2 ? `*${n}\r\n` : `~${n}\r\n`); }

  /** Push header (out-of-band pub/sub messages in RESP3). */
  replyPushLen(n: number): void { this.replyRaw(this.resp === 2 ? `*${n}\r\n` : `>${n}\r\n`); }

  /** addReplyDouble: bulk "%.17g" in RESP2, ",<%.17g>" in RESP3. */
  replyDouble(d: number): void {
    if (this.resp === 2) {
      this.replyBulk(d === Infinity ? 'inf' : d === -Infinity ? '-inf' : fmtG17(d));
    } else {
      this.replyRaw(`,${d === Infinity ? 'inf' : d === -Infinity ? '-inf' : fmtG17(d)}\r\n`);
    }
  }

  /** addReplyHumanLongDouble-style: an already formatted number as bulk (RESP2) or double (RESP3). */
  replyDoubleString(s: string): void {
    if (this.resp === 2) this.replyBulk(s);
    else this.replyRaw(`,${s}\r\n`);
  }

  replyBool(b: boolean): void { this.replyRaw(this.resp === 2 ? (b ? ':1\r\n' : ':0\r\n') : (b ? '#t\r\n' : '#f\r\n')); }

  /** Verbatim string (=len\r\ntxt:...) in RESP3, plain bulk in RESP2. */
  replyVerbatim(s: string, format = 'txt'): void {
    if (this.resp === 2) { this.replyBulk(s); return; }
    if (!this.mark()) return;
    this.out.pushStr(`=${s.length + 4}\r\n${format}:`);
    this.out.pushStr(s);
    this.out.pushStr('\r\n');
  }

  replyBulks(items: string[]): void {
    this.replyArrayLen(items.length);
    for (const s of items) this.replyBulk(s);
  }

  /** Bulk or null for optional strings. */
  replyBulkOrNull(s: string | undefined | null): void {
    if (s === undefined || s === null) this.replyNull();
    else this.replyBulk(s);
  }

  /** Reserve a spot for an aggregate length known only later (addReplyDeferredLen). */
  replyDeferredLen(): number {
    if ((this.replyOff || this.replySkip) && !this.pushing) return -1;
    if (this.replyMuted || this.closeAsap) return -1;
    if (this.out.len < this.replyListFrom) this.replyListFrom = this.out.len;
    return this.out.len;
  }

  /** redactClientCommandArgument(): hide argv[i] from MONITOR and SLOWLOG. */
  redactArg(i: number): void {
    if (!this.redactedArgs) this.redactedArgs = [];
    if (!this.redactedArgs.includes(i)) this.redactedArgs.push(i);
  }

  /** Fill in a deferred length with a header of `prefix` (e.g. '*', '%', '~'). */
  setDeferredLen(pos: number, prefix: '*' | '%' | '~', n: number): void {
    if (pos < 0) return;
    const header = this.resp === 2 && prefix === '%' ? `*${n * 2}\r\n` : this.resp === 2 && prefix === '~' ? `*${n}\r\n` : `${prefix}${n}\r\n`;
    const out = this.out;
    out.ensure(header.length);
    out.buf.copyWithin(pos + header.length, pos, out.len);
    for (let i = 0; i < header.length; i++) out.buf[pos + i] = header.charCodeAt(i);
    out.len += header.length;
    this.server.markPendingWrite(this);
  }

  /** "ERR wrong number of arguments for '<fullname>' command". */
  replyArityError(): void {
    this.replyError(`wrong number of arguments for '${this.cmd?.fullname ?? ''}' command`);
  }

  replySyntaxError(): void { this.replyError('syntax error'); }
  replyWrongType(): void { this.replyError('-WRONGTYPE Operation against a key holding the wrong kind of value'); }
  replyNotInteger(): void { this.replyError('value is not an integer or out of range'); }
  replyNotFloat(): void { this.replyError('value is not a valid float'); }

  /** Schedule the connection to close once pending replies are written. */
  close(): void {
    this.closeAfterReply = true;
    this.server.markPendingWrite(this);
  }
}
