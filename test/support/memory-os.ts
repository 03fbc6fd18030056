/**
 * A small deterministic Os for unit tests: a manual clock with timers, and an in-memory
 * file system where every file has page-cache bytes and durable bytes. `write` changes the
 * page cache, `fsync` (or a background fsync once completed) makes it durable; `crash()`
 * keeps the page cache (kill -9), `powerOff()` keeps only the durable bytes. Every file
 * operation and socket write is recorded in `ops`, so tests can check their order.
 */
import type { ChildMain, ChildProcess, FileHandle, FileStat, FileSystem, Listener, Os, OsError, Socket, TimerId } from '../../src/engine/os';
import { osError } from '../../src/engine/os';

interface MemFile { cache: Uint8Array; durable: Uint8Array; mtimeMs: number }

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export class MemoryFs implements FileSystem {
  readonly files = new Map<string, MemFile>();
  readonly dirs = new Set<string>(['/']);
  /** Background fsyncs waiting to complete. */
  readonly pendingFsyncs: { path: string; snapshot: Uint8Array; done: (e: OsError | null) => void }[] = [];
  /** Make writes fail with this code (ENOSPC...) while set. */
  failWrites: string | null = null;

  constructor(private dir: string, readonly clock: () => number, readonly ops: string[]) { this.dirs.add(dir); }

  resolve(p: string): string {
    const abs = p.startsWith('/') ? p : `${this.dir}/${p}`;
    const parts: string[] = [];
    for (const seg of abs.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') parts.pop(); else parts.push(seg);
    }
    return '/' + parts.join('/');
  }
  cwd(): string { return this.dir; }
  chdir(p: string): void { this.dir = this.resolve(p); }
  async readFile(p: string): Promise<Uint8Array> {
    const f = this.files.get(this.resolve(p));
    if (!f) throw osError('ENOENT', 'No such file or directory');
    return f.cache.slice();
  }
  async stat(p: string): Promise<FileStat | null> { return this.statSync(p); }
  async readdir(p: string): Promise<string[]> { return this.readdirSync(p); }
  writeFile(p: string, bytes: Uint8Array, opts?: { fsync?: boolean }): void {
    const abs = this.resolve(p);
    this.files.set(abs, { cache: bytes.slice(), durable: opts?.fsync ? bytes.slice() : new Uint8Array(0), mtimeMs: this.clock() });
  }
  open(p: string, mode: 'append' | 'write'): FileHandle {
    const abs = this.resolve(p);
    const parent = abs.slice(0, abs.lastIndexOf('/')) || '/';
    if (!this.dirs.has(parent)) throw osError('ENOENT', 'No such file or directory');
    let f = this.files.get(abs);
    if (!f || mode === 'write') {
      f = { cache: new Uint8Array(0), durable: f?.durable ?? new Uint8Array(0), mtimeMs: this.clock() };
      this.files.set(abs, f);
    }
    const ops = this.ops;
    const failWrites = () => this.failWrites;
    const clock = this.clock;
    const files = this.files;
    const pending = this.pendingFsyncs;
    const name = abs.slice(abs.lastIndexOf('/') + 1);
    let closed = false;
    const current = () => files.get(abs) ?? f!;
    return {
      path: abs,
      write(bytes: Uint8Array) {
        if (closed) throw osError('EBADF', 'Bad file descriptor');
        const fail = failWrites();
        if (fail) throw osError(fail, fail);
        const file = current();
        file.cache = concat(file.cache, bytes);
        file.mtimeMs = clock();
        ops.push(`write ${name} ${bytes.length}`);
      },
      fsync() {
        const file = current();
        file.durable = file.cache.slice();
        ops.push(`fsync ${name}`);
      },
      fsyncInBackground(done) {
        ops.push(`bgfsync-start ${name}`);
        pending.push({ path: abs, snapshot: current().cache.slice(), done });
      },
      size: () => current().cache.length,
      truncate(size: number) { const file = current(); file.cache = file.cache.slice(0, size); },
      close() { closed = true; },
    };
  }
  rename(from: string, to: string): void {
    const a = this.resolve(from), b = this.resolve(to);
    const f = this.files.get(a);
    if (!f) throw osError('ENOENT', 'No such file or directory');
    this.files.delete(a);
    this.files.set(b, f);
    this.ops.push(`rename ${a.slice(a.lastIndexOf('/') + 1)} ${b.slice(b.lastIndexOf('/') + 1)}`);
  }
  unlink(p: string): void {
    if (!this.files.delete(this.resolve(p))) throw osError('ENOENT', 'No such file or directory');
  }
  mkdir(p: string): void {
    const abs = this.resolve(p);
    if (this.dirs.has(abs)) throw osError('EEXIST', 'File exists');
    this.dirs.add(abs);
  }
  rmdir(p: string): void { this.dirs.delete(this.resolve(p)); }
  existsSync(p: string): boolean { const a = this.resolve(p); return this.files.has(a) || this.dirs.has(a); }
  statSync(p: string): FileStat | null {
    const a = this.resolve(p);
    if (this.dirs.has(a)) return { size: 4096, isDirectory: true, mtimeMs: 0 };
    const f = this.files.get(a);
    return f ? { size: f.cache.length, isDirectory: false, mtimeMs: f.mtimeMs } : null;
  }
  readdirSync(p: string): string[] {
    const a = this.resolve(p);
    const out: string[] = [];
    for (const k of [...this.files.keys(), ...this.dirs]) {
      if (k !== a && k.startsWith(a + '/') && !k.slice(a.length + 1).includes('/')) out.push(k.slice(a.length + 1));
    }
    return out.sort();
  }

  /** Complete the oldest pending background fsync (the data it saw becomes durable). */
  completeBackgroundFsync(): boolean {
    const j = this.pendingFsyncs.shift();
    if (!j) return false;
    const f = this.files.get(j.path);
    if (f && f.durable.length < j.snapshot.length) f.durable = j.snapshot;
    this.ops.push('bgfsync-done');
    j.done(null);
    return true;
  }

  /** kill -9 of the process: nothing to do, the page cache belongs to the kernel. */
  crash(): void {}

  /** Power loss: everything not fsynced is gone. */
  powerOff(): void {
    for (const f of this.files.values()) f.cache = f.durable.slice();
    this.pendingFsyncs.length = 0;
  }

  text(p: string, which: 'cache' | 'durable' = 'cache'): string {
    const f = this.files.get(this.resolve(p));
    if (!f) return '';
    return String.fromCharCode(...(which === 'cache' ? f.cache : f.durable));
  }
}

export class MemoryOs implements Os {
  nowMs: number;
  readonly ops: string[] = [];
  readonly fs: MemoryFs;
  readonly out: string[] = [];
  private timers = new Map<number, { at: number; fire: () => void }>();
  private nextTimer = 1;
  private nextPid: number;
  exitCode: number | null = null;
  readonly pid: number;
  readonly hostname = 'memhost';
  readonly addresses = ['127.0.0.1'];
  readonly info = { osName: 'MemoryOs', arch: 64, processName: 'redis-server', executable: 'redis-server' };
  private signalHandlers: ((s: string) => void)[] = [];
  busyMs = 0;

  constructor(opts: { nowMs?: number; pid?: number; fs?: MemoryFs; cwd?: string } = {}) {
    this.nowMs = opts.nowMs ?? 1_800_000_000_000;
    this.pid = opts.pid ?? 1000;
    this.nextPid = this.pid + 1;
    this.fs = opts.fs ?? new MemoryFs(opts.cwd ?? '/data', () => this.nowMs, this.ops);
  }

  now(): number { return this.nowMs; }
  nowUs(): number { return this.nowMs * 1000; }
  tzOffsetMinutes(): number { return 0; }
  setTimer(ms: number, fire: () => void): TimerId {
    const id = this.nextTimer++;
    this.timers.set(id, { at: this.nowMs + Math.max(0, ms), fire });
    return id;
  }
  clearTimer(id: TimerId): void { this.timers.delete(id); }

  /** Run timers due up to now + ms, in time order, moving the clock. */
  async advance(ms: number): Promise<void> {
    const end = this.nowMs + ms;
    for (;;) {
      let next: [number, { at: number; fire: () => void }] | null = null;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0]))) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.nowMs = Math.max(this.nowMs, next[1].at);
      next[1].fire();
      await Promise.resolve();
      await Promise.resolve();
    }
    // A timer that slept (os.sleep) may have taken the clock past `end`: time never goes back.
    this.nowMs = Math.max(this.nowMs, end);
  }

  async listen(port: number): Promise<Listener> { return { port, addresses: ['127.0.0.1'], close: () => undefined }; }
  connect(): Socket { throw new Error('MemoryOs has no network'); }
  fork(name: string, main: ChildMain): ChildProcess {
    const pid = this.nextPid++;
    const child: ChildProcess = { pid, onExit: null, kill: (sig) => { this.setTimer(0, () => child.onExit?.(255, sig)); } };
    const childOs = new MemoryOs({ nowMs: this.nowMs, pid, fs: this.fs });
    childOs.out.push(...[]);
    this.setTimer(0, () => {
      void (async () => {
        const code = await main(childOs);
        this.out.push(...childOs.out);
        this.setTimer(Math.ceil(childOs.busyMs), () => child.onExit?.(code, null));
      })();
    });
    this.ops.push(`fork ${name} ${pid}`);
    return child;
  }
  random(): number { return 0.5; }
  stdout(text: string): void { this.out.push(text); }
  stderr(text: string): void { this.out.push(text); }
  exit(code: number): void { if (this.exitCode === null) this.exitCode = code; }
  busy(ms: number): void { this.busyMs += ms; }
  sleep(ms: number): void { this.nowMs += ms; }
  onSignal(handler: (signal: string) => void): void { this.signalHandlers.push(handler); }
  signal(sig: string): void { for (const h of this.signalHandlers) h(sig); }

  /** A socket that records what the server sends. */
  fakeSocket(): Socket & { sent: string[] } {
    const ops = this.ops;
    const sock = {
      remoteAddress: '127.0.0.1', remotePort: 50000, localAddress: '127.0.0.1', localPort: 6379,
      sent: [] as string[],
      write(bytes: Uint8Array) { const s = String.fromCharCode(...bytes); sock.sent.push(s); ops.push(`reply ${JSON.stringify(s)}`); return true; },
      pendingBytes: () => 0, end: () => undefined, destroy: () => undefined,
      onConnect: null, onData: null, onClose: null, onDrain: null,
    };
    return sock;
  }
}
