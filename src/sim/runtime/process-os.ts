/**
 * The engine's `Os` inside the simulation, as seen from a process. It is a local proxy: it
 * never touches the kernel. Every call that changes the world outside the process (a socket
 * write, a file append, a fork, an exit, a line of output) is recorded as an effect stamped with
 * the process's virtual time; answers (a read's bytes, a connection, a listen result) come back
 * later as deliveries. Timers, `random()`, the clock and the metadata mirror are local.
 *
 * Time: `now()` is the virtual time of the event being handled plus whatever `busy`/`sleep`
 * the process spent during it. A busy process's later events wait until it is free (see
 * runner.ts), which is how fsync latency and DEBUG SLEEP cost virtual time.
 */
import type { ChildMain, ChildProcess, CpuUsage, FileHandle, FileStat, FileSystem, Listener, Os, OsError, Socket, TimerId } from '../../engine/os';
import { osError } from '../../engine/os';
import type { ProgramIo, LineEditing } from '../../engine/programs/program';
import type { Delivery, DiskProfile, Effect } from '../protocol';
import { Rng } from '../kernel/rng';
import { signalInfo, signalNumber } from '../../engine/util/signals';
import type { MetaMirror } from './mirror';
import { dirname, resolvePath } from './paths';

/** The Os's modes for a new file and directory when the program names none (see FileSystem). */
const DEFAULT_FILE_MODE = 0o644;
const DEFAULT_DIR_MODE = 0o755;

/** The runner services a process context needs. */
export interface RunnerHooks {
  emit(e: Effect): void;
  /** Something done at time t may come back to this runner at t + MIN_LATENCY_MS. */
  selfBound(t: number): void;
  /** `quietUntil`: see Os.setTimer. */
  schedule(ctx: ProcCtx, at: number, run: () => void, quietUntil?: () => number): { cancelled: boolean };
  /** Run `run` in this process after the items ready at the start of its current turn. */
  scheduleIdle(ctx: ProcCtx, run: () => void): void;
  /** A promise the process may await was settled: continuations may be pending (see Runner). */
  settled(): void;
  /** A pid for fork(), or for a thread (`thread`: see Runner); null when none is held. */
  takePid(thread?: boolean): number | null;
  forkChild(parent: ProcCtx, pid: number, name: string, main: ChildMain): ProcCtx;
  exited(ctx: ProcCtx): void;
}

export interface CtxInit {
  pid: number;
  ppid: number;
  title: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  hostname: string;
  addresses: string[];
  /** SpawnInfo.hostTable. */
  hostTable: Record<string, string>;
  worldSeed: string;
  tzOffsetMinutes: number;
  disk: DiskProfile;
  /** SpawnInfo.clockSyscall. */
  clockSyscall?: boolean;
  stdinTty: boolean;
  /** Standard output or error is a pipe. */
  pipes: boolean;
  columns?: number;
  startClock: number;
  /** Signals it starts ignoring (SpawnInfo.ignoredSignals). */
  ignoredSignals?: readonly string[];
}

/** sigaction() refuses to catch or ignore these. */
const UNCATCHABLE = new Set(['SIGKILL', 'SIGSTOP']);

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOTEMPTY: 'Directory not empty',
  EAGAIN: 'Resource temporarily unavailable',
  ETIMEDOUT: 'Connection timed out',
  EBADF: 'Bad file descriptor',
  EACCES: 'Permission denied',
  ENOEXEC: 'Exec format error',
};

export function errnoError(code: string, message?: string): OsError {
  return osError(code, message ?? ERRNO_TEXT[code] ?? code);
}

const MB = 1024 * 1024;

export class ProcCtx implements Os {
  readonly pid: number;
  readonly ppid: number;
  readonly hostname: string;
  readonly addresses: string[];
  readonly hostTable: Record<string, string>;
  readonly info: Os['info'];
  readonly fs: ProcFs;
  readonly rng: Rng;
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly worldSeed: string;
  clock: number;
  busyUntil = 0;
  /** Set while stopped (SIGSTOP): when, and how much of a busy spell was left (runner.ts). */
  stoppedAt: number | null = null;
  busyLeftAtStop = 0;
  /** When the current turn began: the time the item being handled ran at. */
  turnStart = 0;
  dead = false;
  /** The runner's pass in which this process last ran an item. */
  passMark = 0;
  /** Items run so far (the runner keeps a timer's quietUntil answer while this stays put). */
  turns = 0;
  /** Open sockets with a quietReads promise (Socket.quietReads). */
  readonly quietSockets = new Set<SimSocket>();
  /** Set while an observer inspects the process: it must not change anything. */
  private inspecting = false;
  readonly pipes: boolean;
  private seq = 0;
  private timerSeq = 0;
  private readonly timers = new Map<number, { cancelled: boolean }>();
  private sidSeq = 0;
  readonly sockets = new Map<number, SimSocket>();
  private reqSeq = 0;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: any) => void; extra?: any }>();
  readonly listeners = new Map<number, (s: Socket) => void>();
  /** Os.onSignal's handlers by signal: the signals the program catches. */
  private readonly signalHandlers = new Map<string, ((s: string) => void)[]>();
  /**
   * Signals the process ignores (SIG_IGN): those it was started with (a shell's `trap '' HUP`,
   * the SIGINT and SIGQUIT of a script's background job) and Os.ignoreSignals'.
   */
  private readonly ignoredSignals: Set<string>;
  readonly children = new Map<number, SimChild>();
  /** The process's oom_score_adj (0 at start; a forked child inherits its parent's). */
  oomScore = 0;
  readonly oomScoreAdj: NonNullable<Os['oomScoreAdj']> = {
    read: () => this.oomScore,
    write: (value) => { this.oomScore = Math.max(-1000, Math.min(1000, value)); },
  };
  /** Line-editing callbacks of the pending readLine (terminal hints and completion). */
  lineEditing: LineEditing | null = null;
  readonly io: ProgramIo;

  constructor(readonly hooks: RunnerHooks, init: CtxInit, readonly mirror: MetaMirror, private readonly tz: number, readonly disk: DiskProfile) {
    this.pid = init.pid;
    this.ppid = init.ppid;
    this.hostname = init.hostname;
    this.addresses = init.addresses;
    this.hostTable = init.hostTable;
    this.argv = init.argv;
    this.env = init.env;
    this.clock = init.startClock;
    this.worldSeed = init.worldSeed;
    this.pipes = init.pipes;
    this.clockSyscall = !!init.clockSyscall;
    this.ignoredSignals = new Set(init.ignoredSignals);
    this.info = { osName: 'Linux 5.15.0-sim x86_64', arch: 64, processName: init.title, executable: init.argv[0] ?? '' };
    this.fs = new ProcFs(this, init.cwd);
    this.rng = new Rng(init.worldSeed, `proc:${init.hostname}:${init.pid}`);
    this.io = {
      isTty: init.stdinTty,
      columns: init.columns,
      readChunk: () => this.request<string | null>({ k: 'stdin' }),
      readLine: init.stdinTty
        ? (prompt: string, opts?: LineEditing) => {
            this.lineEditing = opts ?? null;
            return this.request<string | null>({ k: 'readline', prompt, mask: !!opts?.mask });
          }
        : undefined,
    };
  }

  // ---- effects ----------------------------------------------------------------------------

  emit(e: DistributiveOmit<Effect, 't' | 'pid' | 'seq'>): void {
    if (this.inspecting) throw new Error(`inspection must not change the process (it tried: ${e.k})`);
    if (this.dead) return;
    // Callers pass a fresh literal: stamp it in place rather than copying it.
    const x = e as Effect;
    x.t = this.clock;
    x.pid = this.pid;
    x.seq = this.seq++;
    this.hooks.emit(x);
  }

  /** An effect that expects a delivery back (matched by `req`). */
  request<T>(e: DistributiveOmit<Effect, 't' | 'pid' | 'seq' | 'req'>, extra?: any): Promise<T> {
    const req = ++this.reqSeq;
    return new Promise<T>((resolve, reject) => {
      if (this.dead) { reject(errnoError('EBADF', 'process exited')); return; }
      this.pending.set(req, {
        resolve: (v: T) => { this.hooks.settled(); resolve(v); },
        reject: (e: unknown) => { this.hooks.settled(); reject(e); },
        extra,
      });
      (e as { req?: number }).req = req;
      this.emit(e as any);
    });
  }

  // ---- Os: time ---------------------------------------------------------------------------

  now(): number { return this.clock; }
  nowUs(): number { return Math.floor(this.clock * 1000); }
  tzOffsetMinutes(_ms: number): number { return this.tz; }

  setTimer(ms: number, fire: () => void, quietUntil?: () => number): TimerId {
    if (this.inspecting) throw new Error('inspection must not change the process (it tried: setTimer)');
    const id = ++this.timerSeq;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const handle = this.hooks.schedule(this, this.clock + delay, () => {
      this.timers.delete(id);
      this.emit({ k: 'timer' });
      fire();
    }, quietUntil);
    this.timers.set(id, handle);
    return id;
  }

  clearTimer(id: TimerId): void {
    const h = this.timers.get(id);
    if (h) { h.cancelled = true; this.timers.delete(id); }
  }

  /** Async work in flight that continues from promise jobs (see Os.trackAsync and Runner). */
  asyncWork = 0;

  trackAsync(work: Promise<unknown>): void {
    this.asyncWork++;
    const done = () => { this.asyncWork--; };
    work.then(done, done);
  }

  whenIdle(fn: () => void): void {
    if (this.inspecting) throw new Error('inspection must not change the process (it tried: whenIdle)');
    if (!this.dead) this.hooks.scheduleIdle(this, fn);
  }

  busy(ms: number): void {
    if (this.block(ms)) this.cpuTime.userMs += ms;
  }

  /** Blocked without using the CPU (DEBUG SLEEP): the same delay, no CPU time. */
  sleep(ms: number): void { this.block(ms); }

  private block(ms: number): boolean {
    if (this.inspecting) throw new Error('inspection must not change the process (it tried: busy)');
    if (!(ms > 0) || this.dead) return false;
    this.emit({ k: 'busy', ms });
    this.clock += ms;
    this.busyUntil = this.clock;
    return true;
  }

  cpu(ms: number, sys = false): void {
    // An observer reads the process as it is: the cost of what it asks is not charged.
    if (this.inspecting || this.dead) return;
    this.clock += ms;
    this.busyUntil = this.clock;
    if (sys) this.cpuTime.sysMs += ms;
    else this.cpuTime.userMs += ms;
  }

  /** Reading the clock is a system call on this host (its clock source has no vDSO). */
  readonly clockSyscall: boolean;

  /**
   * A busy loop of clock_gettime() for `ms`: CPU time, spent mostly in the kernel when each
   * read is a system call (about four fifths: the HPET or ACPI timer read and the syscall
   * itself), in user space when the vDSO reads the clock.
   */
  spinClock(ms: number): void {
    if (!this.block(ms)) return;
    const sysMs = this.clockSyscall ? ms * 0.8 : 0;
    this.cpuTime.sysMs += sysMs;
    this.cpuTime.userMs += ms - sysMs;
  }

  /** The resident bytes the program last reported (Os.reportMemory); null until it does. */
  rssBytes: number | null = null;

  reportMemory(rssBytes: number): void {
    if (this.inspecting || this.dead) return;
    this.rssBytes = rssBytes;
  }

  /** CPU time charged so far (busy and cpu), with that of its children that ended. */
  readonly cpuTime: CpuUsage = { userMs: 0, sysMs: 0, childrenUserMs: 0, childrenSysMs: 0 };

  cpuUsage(): CpuUsage { return { ...this.cpuTime }; }

  random(): number {
    if (this.inspecting) throw new Error('inspection must not change the process (it tried: random)');
    return this.rng.next();
  }

  /**
   * Run a read-only observer in this process, seeing the clock at `nowMs` (the world's time).
   * Anything that would change the process or the world (an effect, a timer, a random draw)
   * throws instead, and the clock is put back afterwards.
   */
  observe<T>(nowMs: number, fn: () => T): T {
    const clock = this.clock;
    this.clock = nowMs;
    this.inspecting = true;
    try {
      return fn();
    } finally {
      this.inspecting = false;
      this.clock = clock;
    }
  }

  // ---- Os: process ------------------------------------------------------------------------

  stdout(text: string): void { if (text) this.out(1, text); }
  stderr(text: string): void { if (text) this.out(2, text); }

  private out(fd: 1 | 2, text: string): void {
    if (this.dead) return;
    this.emit({ k: 'out', fd, text });
    // Writing into a pipe can come back as SIGPIPE.
    if (this.pipes) this.hooks.selfBound(this.clock);
  }

  /** The address is this host (loopback or its own IP): the peer may live in this runner. */
  isLocalAddress(address: string): boolean {
    return address.startsWith('127.') || address === '::1' || this.addresses.includes(address);
  }

  setProcessTitle(title: string): void { this.emit({ k: 'title', title }); }

  /** Detach from the terminal (the kernel resumes whoever waits for us, as if we exited 0). */
  daemonize(): void { this.emit({ k: 'daemonize' }); }

  /** Threads started so far (numbers them for the kernel). */
  private threadSeq = 0;

  /**
   * A thread the kernel shows (Os.startThread). Its id comes from the pids this runner holds for
   * fork(), as the next pids after the process's own when it starts its threads at once (Linux
   * hands them out in turn); the kernel gives it one when none is held.
   */
  startThread(name: string): { stop(): void } {
    if (this.dead) return { stop: () => {} };
    const n = ++this.threadSeq;
    this.emit({ k: 'thread', n, tid: this.hooks.takePid(true) ?? 0, name });
    let running = true;
    return { stop: () => { if (running && !this.dead) { running = false; this.emit({ k: 'threadEnd', n }); } } };
  }

  exit(code: number): void { this.terminate(code, null); }

  /** Os.exitBySignal: the process ends as the signal's default action ends it (128 + n). */
  exitBySignal(signal: string): void { this.terminate(128 + (signalNumber(signal) ?? 6), signal); }

  /** End the process: an exit effect, then nothing more from it. */
  terminate(code: number, signal: string | null): void {
    if (this.dead) return;
    this.emit({ k: 'exit', code, signal });
    this.kill();
  }

  /** Stop locally without telling the kernel (the kernel already knows: SIGKILL, power-off). */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    for (const t of this.timers.values()) t.cancelled = true;
    this.timers.clear();
    for (const s of this.sockets.values()) s.markClosedSilently();
    this.sockets.clear();
    this.quietSockets.clear();
    for (const p of this.pending.values()) p.reject(errnoError('EBADF', 'process exited'));
    this.pending.clear();
    this.hooks.exited(this);
  }

  onSignal(handler: (signal: string) => void, signals: readonly string[]): void {
    for (const sig of signals) {
      if (UNCATCHABLE.has(sig)) continue;
      // A handler replaces an inherited SIG_IGN (Redis handles SIGINT even in a script's background job).
      this.ignoredSignals.delete(sig);
      const list = this.signalHandlers.get(sig);
      if (list) list.push(handler);
      else this.signalHandlers.set(sig, [handler]);
    }
  }

  ignoreSignals(signals: readonly string[]): void {
    for (const sig of signals) {
      if (UNCATCHABLE.has(sig)) continue;
      this.signalHandlers.delete(sig);
      this.ignoredSignals.add(sig);
    }
  }

  /** The signals a forked child starts ignoring (it inherits its parent's SIG_IGN). */
  ignored(): string[] { return [...this.ignoredSignals]; }

  fork(name: string, main: ChildMain, opts?: { memoryBytes?: number }): ChildProcess {
    const pid = this.hooks.takePid();
    if (pid === null) throw errnoError('EAGAIN');
    this.emit({ k: 'fork', child: pid, name });
    const child = new SimChild(this, pid);
    this.children.set(pid, child);
    this.hooks.forkChild(this, pid, name, main);
    const gb = (opts?.memoryBytes ?? 0) / (1024 * MB);
    this.busy(0.1 + gb * this.disk.forkMsPerGB);
    return child;
  }

  /** The kernel answers only a failure: on success this process is gone from the runner. */
  exec(argv: string[]): Promise<never> {
    return this.request<never>({ k: 'exec', argv: [...argv], env: { ...this.env } });
  }

  // ---- Os: network ------------------------------------------------------------------------

  listen(port: number, bind: string[], accept: (socket: Socket) => void, opts?: { backlog?: number }): Promise<Listener> {
    const backlog = opts?.backlog;
    return this.request<Listener>(backlog === undefined ? { k: 'listen', port, bind: [...bind] } : { k: 'listen', port, bind: [...bind], backlog }, { accept, port });
  }

  /** getaddrinfo(), as the network resolves a name when connecting (kernel/network.ts resolve). */
  resolveHostname(name: string): string | null {
    if (name === 'localhost') return '127.0.0.1';
    return Object.prototype.hasOwnProperty.call(this.hostTable, name) ? this.hostTable[name] : null;
  }

  connect(host: string, port: number, opts?: { timeoutMs?: number; bindAddress?: string }): Socket {
    const sid = ++this.sidSeq;
    const s = new SimSocket(this, sid, host, port);
    this.sockets.set(sid, s);
    this.emit({ k: 'connect', sid, host, port, bindAddress: opts?.bindAddress });
    if (opts?.timeoutMs && opts.timeoutMs > 0) {
      this.setTimer(opts.timeoutMs, () => {
        if (s.state === 'connecting') s.fail(errnoError('ETIMEDOUT'));
      });
    }
    return s;
  }

  // ---- deliveries -------------------------------------------------------------------------

  deliver(d: Delivery): void {
    switch (d.k) {
      case 'listened': {
        const p = this.pending.get(d.req);
        if (!p) return;
        this.pending.delete(d.req);
        if (d.code) { p.reject(osError(d.code, d.message)); return; }
        this.listeners.set(d.lid, p.extra.accept);
        const lid = d.lid;
        p.resolve({ port: p.extra.port, addresses: d.addresses, close: () => { if (this.listeners.delete(lid)) this.emit({ k: 'unlisten', lid }); } } satisfies Listener);
        return;
      }
      case 'accept': {
        const accept = this.listeners.get(d.lid);
        const s = new SimSocket(this, d.sid, d.remoteAddress, d.remotePort);
        s.setEndpoints(d.localAddress, d.localPort, d.bps);
        s.state = 'open';
        this.sockets.set(d.sid, s);
        if (!accept) { s.destroy(); return; }
        accept(s);
        return;
      }
      case 'connected': {
        const s = this.sockets.get(d.sid);
        if (!s || s.state !== 'connecting') return;
        s.setEndpoints(d.localAddress, d.localPort, d.bps);
        s.state = 'open';
        s.onConnect?.();
        return;
      }
      case 'data': {
        const s = this.sockets.get(d.sid);
        if (!s || s.state === 'closed') return;
        s.onData?.(d.bytes);
        return;
      }
      case 'sendq': {
        this.sockets.get(d.sid)?.setHeld(d.heldBytes);
        return;
      }
      case 'closed': {
        const s = this.sockets.get(d.sid);
        if (!s || s.state === 'closed') return;
        if (d.code) { s.closedByPeer(osError(d.code, d.message)); return; }
        // The peer's FIN is seen by a read after the bytes before it, which is the next turn of
        // an event loop: what this turn's end (Redis's beforeSleep) writes goes out first, as a
        // server replies to `PING` and then sees the end of a client that sent both at once.
        this.whenIdle(() => { if (s.state !== 'closed') s.closedByPeer(null); });
        return;
      }
      case 'execFailed': {
        const p = this.pending.get(d.req);
        if (!p) return;
        this.pending.delete(d.req);
        p.reject(errnoError(d.code));
        return;
      }
      case 'read': {
        const p = this.pending.get(d.req);
        if (!p) return;
        this.pending.delete(d.req);
        if (d.code) p.reject(osError(d.code, d.message));
        else p.resolve(d.bytes ?? new Uint8Array(0));
        return;
      }
      case 'fsynced':
      case 'stdin': {
        const p = this.pending.get(d.req);
        if (!p) return;
        this.pending.delete(d.req);
        p.resolve(d.k === 'stdin' ? d.chunk : null);
        return;
      }
      case 'child': {
        const c = this.children.get(d.child);
        if (!c) return;
        this.children.delete(d.child);
        c.exited = true;
        c.onExit?.(d.code, d.signal);
        return;
      }
      case 'signal': {
        const handlers = this.signalHandlers.get(d.signal);
        if (handlers) {
          for (const h of [...handlers]) h(d.signal);
          return;
        }
        if (this.ignoredSignals.has(d.signal)) return;
        // Uncaught: the signal's default action (stopping and resuming are the runner's).
        const info = signalInfo(d.signal);
        if (info && (info.action === 'term' || info.action === 'core')) this.terminate(128 + info.number, d.signal);
        return;
      }
      case 'start':
        return;
    }
  }

  /** Background fsync bookkeeping (resolved through `request`). */
  fsyncInBackground(fid: number, done: (e: OsError | null) => void): void {
    this.request<null>({ k: 'bgfsync', fid }).then(() => done(null), (e) => done(e));
  }

  newSid(): number { return ++this.sidSeq; }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

class SimChild implements ChildProcess {
  onExit: ((code: number, signal: string | null) => void) | null = null;
  exited = false;
  constructor(private readonly parent: ProcCtx, readonly pid: number) {}
  kill(signal: 'SIGTERM' | 'SIGKILL' | 'SIGUSR1'): void {
    if (this.exited) return;
    this.parent.emit({ k: 'kill', target: this.pid, signal });
  }
}

// ---- sockets ----------------------------------------------------------------------------

/** Node's writable high-water mark: above it a write "returns with backlog" and onDrain follows. */
const DRAIN_THRESHOLD = 64 * 1024;

export class SimSocket implements Socket {
  onConnect: (() => void) | null = null;
  onData: ((bytes: Uint8Array) => void) | null = null;
  onClose: ((error: OsError | null) => void) | null = null;
  onDrain: (() => void) | null = null;
  state: 'connecting' | 'open' | 'closed' = 'connecting';
  localAddress = '0.0.0.0';
  localPort = 0;
  private bps = 1e9;
  /** Local model of the send queue: (departure time, bytes) of written chunks (bandwidth). */
  private readonly sendQueue: number[] = [];
  private sendHead = 0;
  private queued = 0;
  private freeAt = 0;
  /** Bytes the kernel's TCP holds for this socket (a broken path, a stopped reader): `sendq`. */
  private held = 0;
  private drainArmed = false;
  private ended = false;
  /** The peer is on this host, maybe in this runner: writes bound the runner's horizon. */
  private readonly local: boolean;
  private quiet: (() => boolean) | null = null;
  /** The runner's cache of quietReads' answer: the value and the process's turns then. */
  quietAnswer = false;
  quietTurns = -1;

  constructor(private readonly ctx: ProcCtx, readonly sid: number, readonly remoteAddress: string, readonly remotePort: number) {
    this.local = ctx.isLocalAddress(remoteAddress) || remoteAddress === 'localhost' || remoteAddress === ctx.hostname;
  }

  get quietReads(): (() => boolean) | null { return this.quiet; }
  set quietReads(fn: (() => boolean) | null) {
    this.quiet = fn;
    this.quietTurns = -1;
    if (fn && this.state !== 'closed') this.ctx.quietSockets.add(this);
    else this.ctx.quietSockets.delete(this);
  }

  private forget(): void {
    this.ctx.sockets.delete(this.sid);
    this.ctx.quietSockets.delete(this);
  }

  setEndpoints(localAddress: string, localPort: number, bps: number): void {
    this.localAddress = localAddress;
    this.localPort = localPort;
    this.bps = bps;
  }

  pauseReads(paused: boolean): void {
    if (this.state === 'closed') return;
    this.ctx.emit({ k: 'pauseReads', sid: this.sid, paused });
  }

  write(bytes: Uint8Array): boolean {
    if (this.state === 'closed' || this.ended) return false;
    if (bytes.length === 0) return true;
    const copy = bytes.slice();
    this.ctx.emit({ k: 'write', sid: this.sid, bytes: copy });
    if (this.local) this.ctx.hooks.selfBound(this.ctx.clock);
    const now = this.ctx.clock;
    this.freeAt = Math.max(now, this.freeAt) + (copy.length * 8 * 1000) / this.bps;
    this.sendQueue.push(this.freeAt, copy.length);
    this.queued += copy.length;
    if (!this.drainArmed && this.pendingBytes() > DRAIN_THRESHOLD) {
      this.drainArmed = true;
      this.ctx.setTimer(this.freeAt - now, () => this.checkDrain());
    }
    return true;
  }

  /**
   * 'drain' once nothing is pending: the bandwidth queue is timed locally; bytes the kernel
   * holds are waited for by its next `sendq` (setHeld), not polled.
   */
  private checkDrain(): void {
    if (this.state === 'closed' || !this.drainArmed) return;
    if (this.pendingBytes() > 0) {
      if (this.queued > 0) this.ctx.setTimer(this.freeAt - this.ctx.clock, () => this.checkDrain());
      return;
    }
    this.drainArmed = false;
    this.onDrain?.();
  }

  setHeld(bytes: number): void {
    this.held = bytes;
    if (this.drainArmed && this.pendingBytes() === 0) this.checkDrain();
  }

  pendingBytes(): number {
    const now = this.ctx.clock;
    const q = this.sendQueue;
    // Pairs (departure time, bytes) from `sendHead` on.
    while (this.sendHead < q.length && q[this.sendHead] <= now) {
      this.queued -= q[this.sendHead + 1];
      this.sendHead += 2;
    }
    if (this.sendHead === q.length && this.sendHead > 0) { q.length = 0; this.sendHead = 0; }
    return this.queued + this.held;
  }

  end(): void {
    if (this.state === 'closed' || this.ended) return;
    this.ended = true;
    this.ctx.emit({ k: 'end', sid: this.sid });
    if (this.local) this.ctx.hooks.selfBound(this.ctx.clock);
  }

  destroy(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.ctx.emit({ k: 'destroy', sid: this.sid });
    if (this.local) this.ctx.hooks.selfBound(this.ctx.clock);
    this.forget();
    // Like Node: 'close' is emitted asynchronously after destroy().
    this.ctx.setTimer(0, () => this.onClose?.(null));
  }

  /** Connect timed out or failed locally. */
  fail(err: OsError): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.ctx.emit({ k: 'destroy', sid: this.sid });
    this.forget();
    this.onClose?.(err);
  }

  closedByPeer(err: OsError | null): void {
    this.state = 'closed';
    // At the peer's FIN the program sees EOF and its side closes too (there are no half-open
    // sockets here): the kernel hears of it, answers with its own FIN and frees the connection.
    // An error means the kernel has closed this end already.
    if (!err) {
      this.ctx.emit({ k: 'destroy', sid: this.sid });
      if (this.local) this.ctx.hooks.selfBound(this.ctx.clock);
    }
    this.forget();
    this.onClose?.(err);
  }

  markClosedSilently(): void { this.state = 'closed'; }
}

// ---- files ------------------------------------------------------------------------------

export class ProcFs implements FileSystem {
  private nextFid = 0;
  constructor(private readonly ctx: ProcCtx, private dir: string) {}

  resolve(path: string): string { return resolvePath(this.dir, path); }
  cwd(): string { return this.dir; }

  chdir(path: string): void {
    const abs = this.resolve(path);
    const st = this.ctx.mirror.get(abs);
    if (!st) throw errnoError('ENOENT');
    if (!st.isDirectory) throw errnoError('ENOTDIR');
    this.dir = abs;
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.ctx.request<Uint8Array>({ k: 'readFile', path: this.resolve(path) });
  }

  async stat(path: string): Promise<FileStat | null> { return this.statSync(path); }
  async readdir(path: string): Promise<string[]> { return this.readdirSync(path); }

  private requireParent(abs: string): void {
    const parent = this.ctx.mirror.get(dirname(abs));
    if (!parent) throw errnoError('ENOENT');
    if (!parent.isDirectory) throw errnoError('ENOTDIR');
  }

  writeFile(path: string, bytes: Uint8Array, opts?: { fsync?: boolean; createMode?: number; fchmod?: number }): void {
    const abs = this.resolve(path);
    this.requireParent(abs);
    if (this.ctx.mirror.get(abs)?.isDirectory) throw errnoError('EISDIR');
    const fsync = !!opts?.fsync;
    const copy = bytes.slice();
    if (fsync) this.ctx.busy(this.ctx.disk.fsyncLatencyMs + (copy.length / MB / this.ctx.disk.bandwidthMBps) * 1000);
    this.ctx.emit({ k: 'writeFile', path: abs, bytes: copy, fsync, createMode: opts?.createMode ?? DEFAULT_FILE_MODE, ...(opts?.fchmod !== undefined ? { fchmod: opts.fchmod } : {}) });
    this.ctx.mirror.touch(abs, copy.length, this.ctx.clock);
  }

  open(path: string, mode: 'append' | 'write', opts?: { createMode?: number }): FileHandle {
    const abs = this.resolve(path);
    this.requireParent(abs);
    const cur = this.ctx.mirror.get(abs);
    if (cur?.isDirectory) throw errnoError('EISDIR');
    const fid = ++this.nextFid;
    this.ctx.emit({ k: 'open', fid, path: abs, mode, createMode: opts?.createMode ?? DEFAULT_FILE_MODE });
    const size = mode === 'append' ? cur?.size ?? 0 : 0;
    this.ctx.mirror.touch(abs, size, this.ctx.clock);
    return new SimFileHandle(this.ctx, fid, abs, size);
  }

  rename(from: string, to: string): void {
    const a = this.resolve(from);
    const b = this.resolve(to);
    if (!this.ctx.mirror.get(a)) throw errnoError('ENOENT');
    this.requireParent(b);
    this.ctx.emit({ k: 'rename', from: a, to: b });
    this.ctx.mirror.rename(a, b);
  }

  unlink(path: string): void {
    const abs = this.resolve(path);
    const st = this.ctx.mirror.get(abs);
    if (!st) throw errnoError('ENOENT');
    if (st.isDirectory) throw errnoError('EISDIR');
    this.ctx.emit({ k: 'unlink', path: abs });
    this.ctx.mirror.remove(abs);
  }

  mkdir(path: string, opts?: { recursive?: boolean; createMode?: number }): void {
    const abs = this.resolve(path);
    const st = this.ctx.mirror.get(abs);
    if (st) {
      if (opts?.recursive && st.isDirectory) return;
      throw errnoError('EEXIST');
    }
    if (!opts?.recursive) this.requireParent(abs);
    const createMode = opts?.createMode ?? DEFAULT_DIR_MODE;
    this.ctx.emit({ k: 'mkdir', path: abs, recursive: !!opts?.recursive, createMode });
    const parts = abs.split('/').filter(Boolean);
    let p = '';
    for (const part of parts) {
      p += '/' + part;
      if (!this.ctx.mirror.get(p)) this.ctx.mirror.set(p, { size: 4096, isDirectory: true, mtimeMs: this.ctx.clock, mode: createMode });
    }
  }

  rmdir(path: string): void {
    const abs = this.resolve(path);
    const st = this.ctx.mirror.get(abs);
    if (!st) throw errnoError('ENOENT');
    if (!st.isDirectory) throw errnoError('ENOTDIR');
    if ((this.ctx.mirror.list(abs) ?? []).length > 0) throw errnoError('ENOTEMPTY');
    this.ctx.emit({ k: 'rmdir', path: abs });
    this.ctx.mirror.remove(abs);
  }

  existsSync(path: string): boolean { return this.ctx.mirror.get(this.resolve(path)) !== null; }

  statSync(path: string): FileStat | null {
    const st = this.ctx.mirror.get(this.resolve(path));
    return st ? { size: st.size, isDirectory: st.isDirectory, mtimeMs: st.mtimeMs } : null;
  }

  /** Processes run as root: any x bit will do (and a directory can always be searched). */
  executableSync(path: string): boolean {
    const st = this.ctx.mirror.get(this.resolve(path));
    return st !== null && (st.isDirectory || (st.mode & 0o111) !== 0);
  }

  readdirSync(path: string): string[] {
    const abs = this.resolve(path);
    const list = this.ctx.mirror.list(abs);
    if (list === null) throw errnoError(this.ctx.mirror.get(abs) ? 'ENOTDIR' : 'ENOENT');
    return list;
  }
}

class SimFileHandle implements FileHandle {
  private unsynced = 0;
  private closed = false;
  constructor(private readonly ctx: ProcCtx, private readonly fid: number, readonly path: string, private bytes: number) {}

  write(bytes: Uint8Array): void {
    if (this.closed) throw errnoError('EBADF');
    if (bytes.length === 0) return;
    this.ctx.emit({ k: 'fwrite', fid: this.fid, bytes: bytes.slice() });
    this.bytes += bytes.length;
    this.unsynced += bytes.length;
    if (this.ctx.mirror.get(this.path)) this.ctx.mirror.touch(this.path, this.bytes, this.ctx.clock);
  }

  fsync(): void {
    if (this.closed) throw errnoError('EBADF');
    const d = this.ctx.disk;
    this.ctx.busy(d.fsyncLatencyMs + (this.unsynced / MB / d.bandwidthMBps) * 1000);
    this.unsynced = 0;
    this.ctx.emit({ k: 'fsync', fid: this.fid });
  }

  fsyncInBackground(done: (error: OsError | null) => void): void {
    if (this.closed) { done(errnoError('EBADF')); return; }
    this.unsynced = 0;
    this.ctx.fsyncInBackground(this.fid, done);
  }

  size(): number { return this.bytes; }

  truncate(size: number): void {
    if (this.closed) throw errnoError('EBADF');
    this.bytes = Math.max(0, size);
    this.ctx.emit({ k: 'ftruncate', fid: this.fid, size: this.bytes });
    if (this.ctx.mirror.get(this.path)) this.ctx.mirror.touch(this.path, this.bytes, this.ctx.clock);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ctx.emit({ k: 'fclose', fid: this.fid });
  }
}
