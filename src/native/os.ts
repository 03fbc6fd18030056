/**
 * The engine's Os on Node.js: real TCP sockets, real timers, real files.
 *
 * Several engine processes may share one Node process (tests start a native server next to a
 * real redis-server), so the working directory is per-Os (paths are resolved against it, the
 * Node process never chdirs) and `exit` calls a callback instead of process.exit unless this is
 * the process's main program.
 */
import { signalNumber } from '../engine/util/signals';
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as nodeOs from 'node:os';
import { spawn, type ChildProcess as NodeChildProcess } from 'node:child_process';
import type { ChildMain, ChildProcess, CpuUsage, FileHandle, FileStat, FileSystem, Listener, Os, OsError, Socket, TimerId } from '../engine/os';
import { osError } from '../engine/os';

function toOsError(e: any): OsError {
  return osError(e?.code ?? 'EIO', e?.message ?? String(e));
}

function normaliseAddr(a: string | undefined): string {
  if (!a) return '?';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

class NativeSocket implements Socket {
  onConnect: (() => void) | null = null;
  onData: ((bytes: Uint8Array) => void) | null = null;
  onClose: ((error: OsError | null) => void) | null = null;
  onDrain: (() => void) | null = null;
  private closed = false;
  private error: OsError | null = null;

  constructor(readonly sock: net.Socket) {
    sock.setNoDelay(true);
    sock.on('connect', () => this.onConnect?.());
    sock.on('data', (b: Buffer) => this.onData?.(new Uint8Array(b.buffer, b.byteOffset, b.length)));
    sock.on('drain', () => this.onDrain?.());
    sock.on('error', (e) => { this.error = toOsError(e); });
    sock.on('close', () => {
      if (this.closed) return;
      this.closed = true;
      this.onClose?.(this.error);
    });
  }

  get remoteAddress(): string { return normaliseAddr(this.sock.remoteAddress); }
  get remotePort(): number { return this.sock.remotePort ?? 0; }
  get localAddress(): string { return normaliseAddr(this.sock.localAddress); }
  get localPort(): number { return this.sock.localPort ?? 0; }

  write(bytes: Uint8Array): boolean {
    if (this.sock.destroyed) return false;
    this.sock.write(bytes);
    return true;
  }
  pendingBytes(): number { return this.sock.writableLength; }
  pauseReads(paused: boolean): void {
    if (paused) this.sock.pause();
    else this.sock.resume();
  }
  end(): void { this.sock.end(); }
  destroy(): void { this.sock.destroy(); }
}

class NativeFileHandle implements FileHandle {
  private fd: number;
  private written: number;
  /** `createMode`: open(2)'s mode for a new file; Node's process umask is taken off it. */
  constructor(readonly path: string, mode: 'append' | 'write', createMode: number) {
    this.fd = fs.openSync(path, mode === 'append' ? 'a' : 'w', createMode);
    this.written = fs.fstatSync(this.fd).size;
  }
  write(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(this.fd, bytes, off, bytes.length - off);
    this.written += bytes.length;
  }
  fsync(): void { fs.fsyncSync(this.fd); }
  fsyncInBackground(done: (error: OsError | null) => void): void {
    fs.fsync(this.fd, (e) => done(e ? toOsError(e) : null));
  }
  size(): number { return this.written; }
  truncate(size: number): void { fs.ftruncateSync(this.fd, size); this.written = size; }
  close(): void { fs.closeSync(this.fd); }
}

class NativeFs implements FileSystem {
  constructor(private dir: string) {}
  resolve(p: string): string { return path.resolve(this.dir, p); }
  cwd(): string { return this.dir; }
  chdir(p: string): void {
    const abs = this.resolve(p);
    let st: fs.Stats;
    try { st = fs.statSync(abs); } catch (e) { throw toOsError(e); }
    if (!st.isDirectory()) throw osError('ENOTDIR', 'Not a directory');
    this.dir = abs;
  }
  async readFile(p: string): Promise<Uint8Array> {
    try { return new Uint8Array(await fs.promises.readFile(this.resolve(p))); } catch (e) { throw toOsError(e); }
  }
  async stat(p: string): Promise<FileStat | null> { return this.statSync(p); }
  async readdir(p: string): Promise<string[]> { return this.readdirSync(p); }
  writeFile(p: string, bytes: Uint8Array, opts?: { fsync?: boolean; createMode?: number; fchmod?: number }): void {
    try {
      const fd = fs.openSync(this.resolve(p), 'w', opts?.createMode ?? 0o644);
      if (opts?.fchmod !== undefined) fs.fchmodSync(fd, opts.fchmod);
      fs.writeSync(fd, bytes);
      if (opts?.fsync) fs.fsyncSync(fd);
      fs.closeSync(fd);
    } catch (e) { throw toOsError(e); }
  }
  open(p: string, mode: 'append' | 'write', opts?: { createMode?: number }): FileHandle {
    try { return new NativeFileHandle(this.resolve(p), mode, opts?.createMode ?? 0o644); } catch (e) { throw toOsError(e); }
  }
  rename(from: string, to: string): void { try { fs.renameSync(this.resolve(from), this.resolve(to)); } catch (e) { throw toOsError(e); } }
  unlink(p: string): void { try { fs.unlinkSync(this.resolve(p)); } catch (e) { throw toOsError(e); } }
  mkdir(p: string, opts?: { recursive?: boolean; createMode?: number }): void {
    try { fs.mkdirSync(this.resolve(p), { recursive: opts?.recursive, mode: opts?.createMode ?? 0o755 }); } catch (e) { throw toOsError(e); }
  }
  rmdir(p: string): void { try { fs.rmdirSync(this.resolve(p)); } catch (e) { throw toOsError(e); } }
  existsSync(p: string): boolean { return fs.existsSync(this.resolve(p)); }
  statSync(p: string): FileStat | null {
    try {
      const st = fs.statSync(this.resolve(p));
      return { size: st.size, isDirectory: st.isDirectory(), mtimeMs: st.mtimeMs };
    } catch { return null; }
  }
  executableSync(p: string): boolean {
    try { fs.accessSync(this.resolve(p), fs.constants.X_OK); return true; } catch { return false; }
  }
  readdirSync(p: string): string[] {
    try { return fs.readdirSync(this.resolve(p)); } catch (e) { throw toOsError(e); }
  }
}

let fakePidCounter = 0;

/** A file's first two bytes (null when it cannot be read: spawn then says why). */
function readHead(file: string): string | null {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(2);
      return buf.toString('latin1', 0, fs.readSync(fd, buf, 0, 2, 0));
    } finally { fs.closeSync(fd); }
  } catch { return null; }
}

/**
 * A real process standing in for a forked child, which runs inside this Node process: an idle
 * `tail` named like the child (ps shows argv[0]), so tools that look for the server's children
 * (Redis's tests: `pgrep -P`, then `kill -9`) find one, and its death by a signal is the
 * child's. `--pid` makes it exit within a second if the server dies first. Null when it cannot
 * be started.
 */
function forkStandIn(name: string): NodeChildProcess | null {
  try {
    const p = spawn('tail', ['-f', '-s', '1', `--pid=${process.pid}`, '/dev/null'], { argv0: name, stdio: 'ignore' });
    p.on('error', () => undefined);
    return p.pid === undefined ? null : p;
  } catch { return null; }
}

export interface NativeOsOptions {
  /** Directory the process starts in (default: process.cwd()). */
  cwd?: string;
  /** Called instead of process.exit (in-process servers in tests). */
  onExit?: (code: number) => void;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Use a synthetic pid (several engine processes in one Node process). */
  syntheticPid?: boolean;
  /** An explicit pid (forked children: the same pid the parent sees in ChildProcess.pid). */
  pid?: number;
  /** A forked child's execve(): it runs a real program in its place. */
  exec?: (argv: string[]) => Promise<never>;
  processName?: string;
  /**
   * The OS process whose /proc/<pid>/oom_score_adj is this process's: Node's own for the
   * server, a forked child's stand-in for the child. Default: Node's, unless the pid is
   * synthetic (an in-process server of a test must not change the test runner's score).
   */
  oomPid?: number | null;
}

/** /proc/<pid>/oom_score_adj: read as atoi() reads it, written as "<value>\n". */
function procOomScoreAdj(pid: number): NonNullable<Os['oomScoreAdj']> {
  const file = `/proc/${pid}/oom_score_adj`;
  return {
    read: () => {
      try { return Number.parseInt(fs.readFileSync(file, 'latin1'), 10) || 0; } catch (e) { throw toOsError(e); }
    },
    write: (value) => {
      try { fs.writeFileSync(file, `${value}\n`); } catch (e) { throw toOsError(e); }
    },
  };
}

let etcHostsCache: Map<string, string> | null = null;

/** /etc/hosts as name (lower case) to its first address, the order getaddrinfo finds them in. */
function etcHosts(): Map<string, string> {
  if (etcHostsCache) return etcHostsCache;
  const table = new Map<string, string>();
  let text = '';
  try { text = fs.readFileSync('/etc/hosts', 'utf8'); } catch { /* no file: no names */ }
  for (const raw of text.split('\n')) {
    const fields = raw.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
    if (fields.length < 2 || net.isIP(fields[0]) === 0) continue;
    for (const n of fields.slice(1)) if (!table.has(n.toLowerCase())) table.set(n.toLowerCase(), fields[0]);
  }
  etcHostsCache = table;
  return table;
}

export class NativeOs implements Os {
  readonly fs: NativeFs;
  readonly pid: number;
  readonly hostname = nodeOs.hostname();
  readonly addresses: string[];
  readonly info: Os['info'];
  readonly oomScoreAdj?: Os['oomScoreAdj'];
  private timers = new Map<number, NodeJS.Timeout>();
  private nextTimer = 1;
  private readonly signalHandlers: { handler: (s: string) => void; signals: string[] }[] = [];
  private exited = false;
  private readonly sleepCell = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly opts: NativeOsOptions = {}) {
    this.fs = new NativeFs(opts.cwd ?? process.cwd());
    this.pid = opts.pid ?? (opts.syntheticPid ? 100000 + ++fakePidCounter : process.pid);
    if (opts.exec) this.exec = opts.exec;
    const oomPid = opts.oomPid !== undefined ? opts.oomPid : opts.syntheticPid ? null : process.pid;
    if (oomPid !== null && process.platform === 'linux') this.oomScoreAdj = procOomScoreAdj(oomPid);
    this.addresses = ['127.0.0.1', ...Object.values(nodeOs.networkInterfaces()).flat()
      .filter((i): i is nodeOs.NetworkInterfaceInfo => !!i && i.family === 'IPv4' && !i.internal).map((i) => i.address)];
    this.info = {
      osName: `${nodeOs.type()} ${nodeOs.release()} ${nodeOs.machine()}`,
      arch: 64,
      processName: opts.processName ?? 'redis-server',
      executable: process.argv[1] ?? '',
    };
  }

  now(): number { return Date.now(); }
  /** performance.timeOrigin is a getter; nowUs() runs several times per command. */
  private readonly timeOriginMs = performance.timeOrigin;
  nowUs(): number { return Math.floor((this.timeOriginMs + performance.now()) * 1000); }
  tzOffsetMinutes(ms: number): number { return -new Date(ms).getTimezoneOffset(); }

  /** Node's check phase follows the poll phase that ran every ready socket's callback. */
  whenIdle(fn: () => void): void { setImmediate(fn); }

  setTimer(ms: number, fire: () => void): TimerId {
    const id = this.nextTimer++;
    // Node clamps delays above 2^31-1 ms to 1 ms; chain shorter timeouts for long timers.
    const MAX_DELAY = 2 ** 31 - 1;
    const due = Date.now() + Math.max(0, ms);
    const arm = (delay: number) => {
      this.timers.set(id, setTimeout(() => {
        const left = due - Date.now();
        if (left > 0) { arm(Math.min(left, MAX_DELAY)); return; }
        this.timers.delete(id);
        fire();
      }, delay));
    };
    arm(Math.min(Math.max(0, ms), MAX_DELAY));
    return id;
  }
  clearTimer(id: TimerId): void {
    const t = this.timers.get(id);
    if (t) { clearTimeout(t); this.timers.delete(id); }
  }

  async listen(port: number, bind: string[], accept: (socket: Socket) => void, opts?: { backlog?: number }): Promise<Listener> {
    const servers: net.Server[] = [];
    const bound: string[] = [];
    for (const raw of bind) {
      const optional = raw.startsWith('-');
      const addr = optional ? raw.slice(1) : raw;
      const host = addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr;
      const srv = net.createServer({ noDelay: true }, (s) => accept(new NativeSocket(s)));
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen({ port, host, ipv6Only: host.includes(':'), exclusive: true, backlog: opts?.backlog }, () => { srv.off('error', reject); resolve(); });
        });
        servers.push(srv);
        bound.push(addr);
      } catch (e: any) {
        if (optional && (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT' || e.code === 'EADDRINUSE')) continue;
        for (const s of servers) s.close();
        throw toOsError(e);
      }
    }
    return {
      port,
      addresses: bound,
      close: () => { for (const s of servers) s.close(); },
    };
  }

  async listenUnix(file: string, accept: (socket: Socket) => void, opts?: { backlog?: number; perm?: number }): Promise<Listener> {
    const srv = net.createServer((s) => accept(new NativeSocket(s)));
    await new Promise<void>((resolve, reject) => {
      srv.once('error', (e: NodeJS.ErrnoException) => {
        // libuv reports bind(2)'s ENOENT as EACCES (as on Windows): bind's own errno is what
        // the parent directory says.
        if (e.code === 'EACCES') {
          try { fs.statSync(path.dirname(file)); } catch (pe: any) { if (pe?.code === 'ENOENT' || pe?.code === 'ENOTDIR') e = pe; }
        }
        reject(toOsError(e));
      });
      srv.listen({ path: file, backlog: opts?.backlog, exclusive: true }, () => resolve());
    });
    // anetListen: a failed chmod is not an error (the socket works with the umask's mode).
    if (opts?.perm) { try { fs.chmodSync(file, opts.perm); } catch { /* ignored, as Redis */ } }
    // libuv unlinks the socket file when the server closes: the engine removes it itself at
    // shutdown (and logs that), so closing after that finds nothing left to remove.
    return { port: 0, addresses: [file], close: () => { srv.close(); } };
  }

  connectUnix(file: string): Socket {
    return new NativeSocket(net.connect({ path: file }));
  }

  /**
   * getaddrinfo() for a name from /etc/hosts (read once, then cached: Node has no blocking
   * resolver, and the names Redis resolves this way are loopback and lab host names), with
   * localhost as the loopback when the file does not say. DNS is not asked.
   */
  resolveHostname(name: string): string | null {
    const key = name.toLowerCase();
    const ip = etcHosts().get(key);
    if (ip !== undefined) return ip;
    return key === 'localhost' || key.endsWith('.localhost') ? '127.0.0.1' : null;
  }

  connect(host: string, port: number, opts?: { timeoutMs?: number; bindAddress?: string }): Socket {
    const sock = net.connect({ host, port, localAddress: opts?.bindAddress });
    const wrapped = new NativeSocket(sock);
    if (opts?.timeoutMs) {
      const t = setTimeout(() => { if (sock.connecting) sock.destroy(osError('ETIMEDOUT', 'Connection timed out')); }, opts.timeoutMs);
      sock.once('connect', () => clearTimeout(t));
      sock.once('close', () => clearTimeout(t));
    }
    return wrapped;
  }

  exec?(argv: string[]): Promise<never>;

  /**
   * A forked child runs in this Node process (its data is the parent's, captured at fork time);
   * when it execs, a real process takes its place and its exit is the child's.
   */
  fork(name: string, main: ChildMain): ChildProcess {
    let program: NodeChildProcess | null = null;
    // As the real server, the child is also a real process (see forkStandIn): its pid is what
    // `pgrep -P <server pid>` finds and a `kill -9` from outside ends the child.
    const standIn = this.opts.onExit ? null : forkStandIn(name);
    const child: ChildProcess & { dead: boolean } = {
      pid: standIn?.pid ?? this.pid + 1000 + (++fakePidCounter % 1000),
      onExit: null,
      dead: false,
      kill: (signal) => {
        if (child.dead) return;
        if (program) { program.kill(signal); return; }
        if (standIn) { standIn.kill(signal); return; }
        child.dead = true;
        setImmediate(() => child.onExit?.(255, signal));
      },
    };
    // The stand-in died of a signal (ours or anyone's): the child's work stops where it is (its
    // timers are cleared, so a child waiting out rdb-key-save-delay never writes its file).
    standIn?.once('exit', (code, signal) => {
      if (child.dead || program) return;
      child.dead = true;
      childOs.abandon();
      child.onExit?.(code ?? 255, signal);
    });
    const endStandIn = () => { if (standIn && standIn.exitCode === null && standIn.signalCode === null) standIn.kill('SIGKILL'); };
    const exec = (argv: string[]) => new Promise<never>((_, reject) => {
      // libuv retries a file execve() refuses (ENOEXEC) with /bin/sh, as execvp does; execve
      // itself runs only a #! script or an ELF binary.
      const head = readHead(childOs.fs.resolve(argv[0]));
      if (head !== null && head !== '#!' && head !== '\x7fE') { reject(osError('ENOEXEC', 'Exec format error')); return; }
      const p = spawn(argv[0], argv.slice(1), { argv0: argv[0], cwd: childOs.fs.cwd(), stdio: ['ignore', 'inherit', 'inherit'] });
      p.once('error', (e) => reject(toOsError(e)));
      p.once('spawn', () => { program = p; endStandIn(); });
      p.once('exit', (code, signal) => {
        if (child.dead) return;
        child.dead = true;
        child.onExit?.(code ?? 255, signal);
      });
    });
    const childOs = new NativeOs({
      ...this.opts, cwd: this.fs.cwd(), onExit: () => undefined, syntheticPid: true, pid: child.pid, processName: name, exec,
      oomPid: standIn?.pid ?? null,
    });
    setImmediate(async () => {
      let code = 0;
      try { code = await main(childOs); } catch { code = 1; }
      if (child.dead) return;
      child.dead = true;
      endStandIn();
      child.onExit?.(code, null);
    });
    return child;
  }

  /** A forked child killed from outside: its pending timers never fire. */
  abandon(): void {
    this.exited = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /**
   * process.title rewrites what `ps` and /proc/<pid>/cmdline show for the Node process. Only
   * the process's own server: a forked child has its stand-in (named at spawn) and in-process
   * test servers share the test runner's process.
   */
  setProcessTitle(title: string): void {
    if (!this.opts.syntheticPid) process.title = title;
  }

  random(): number { return Math.random(); }
  // Engine output is byte strings: write them as bytes, not re-encoded as UTF-8.
  stdout(text: string): void { (this.opts.stdout ?? ((t) => process.stdout.write(Buffer.from(t, 'latin1'))))(text); }
  stderr(text: string): void { (this.opts.stderr ?? ((t) => process.stderr.write(Buffer.from(t, 'latin1'))))(text); }

  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.opts.onExit) this.opts.onExit(code);
    // Let queued output reach a pipe before the process ends.
    else process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  }

  /**
   * Dies of the signal, as a crash handler that resets it to SIG_DFL and raises it again: the
   * listener goes, then the signal is sent to this process once the output reached its pipe.
   */
  exitBySignal(signal: string): void {
    if (this.exited) return;
    if (this.opts.onExit) { this.exit(128 + (signalNumber(signal) ?? 6)); return; }
    this.exited = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    process.stdout.write('', () => process.stderr.write('', () => {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal as NodeJS.Signals);
    }));
  }

  /** Modelled costs (fsync latency, RDB load speed) already took real time here. */
  busy(_ms: number): void {}

  /** The Node process's own CPU time (forked children run inside it). */
  cpuUsage(): CpuUsage {
    const u = process.cpuUsage();
    return { userMs: u.user / 1000, sysMs: u.system / 1000, childrenUserMs: 0, childrenSysMs: 0 };
  }

  /** A real busy loop of clock reads (process.hrtime is clock_gettime(CLOCK_MONOTONIC)). */
  spinClock(ms: number): void {
    const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
    while (process.hrtime.bigint() < end) {
      // Each turn reads the clock: what the kernel's clock source makes cheap or not.
    }
  }

  /** DEBUG SLEEP really blocks the event loop, like in Redis. */
  sleep(ms: number): void {
    if (ms > 0) Atomics.wait(this.sleepCell, 0, 0, ms);
  }

  onSignal(handler: (signal: string) => void, signals: readonly string[]): void {
    for (const sig of signals) {
      if (sig === 'SIGKILL' || sig === 'SIGSTOP') continue;
      // The Node process listens for its signals only as the real server (without onExit);
      // a server inside a test process is signalled through signal().
      if (!this.opts.onExit && !this.signalHandlers.some((h) => h.signals.includes(sig))) {
        // Under `npm run`, Ctrl-C reaches the process twice: once from the terminal (the whole
        // process group gets SIGINT) and once forwarded by npm to its child. Redis would take the
        // second SIGINT as "You insist... exiting now", so one delivery within a few
        // milliseconds of the same signal counts as the same event.
        let last = -Infinity;
        process.on(sig, () => {
          const now = Date.now();
          if (now - last < 50) return;
          last = now;
          this.signal(sig);
        });
      }
    }
    this.signalHandlers.push({ handler, signals: [...signals] });
  }

  ignoreSignals(signals: readonly string[]): void {
    // As the real server only (see onSignal): a listener that does nothing keeps Node from
    // taking the signal's default action (SIGHUP would end it).
    if (this.opts.onExit) return;
    for (const sig of signals) if (sig !== 'SIGKILL' && sig !== 'SIGSTOP') process.on(sig, () => undefined);
  }

  /** Deliver a signal programmatically (tests): to the handlers registered for it. */
  signal(sig: string): void {
    for (const h of this.signalHandlers) if (h.signals.includes(sig)) h.handler(sig);
  }
}
