/**
 * The Os: everything a program in the engine may know about the world outside its own memory.
 *
 * The engine is sans-IO. It never reads a clock, opens a socket, touches a file, sets a timer or
 * draws a random number by itself; it asks its Os. Two implementations exist: `src/sim` (virtual
 * time, simulated network and disks, deterministic) and `src/native` (Node: real TCP, real
 * files, real timers). The same engine code therefore runs as a simulated process in a browser
 * tab and as a real server that real redis-cli can talk to.
 *
 * Conventions:
 * - Time is milliseconds since the Unix epoch (`now()`), fractional allowed; `nowUs()` is the
 *   same clock in microseconds for latency/slowlog measurements.
 * - Writes to files are ordered effects that land in the page cache immediately; `fsync` makes
 *   them durable. Reads are asynchronous (the simulation delivers them as events).
 * - Callbacks are always invoked later, from the Os's event loop, never re-entrantly from the
 *   call that registered them.
 */

/** Milliseconds of CPU time (see Os.cpuUsage). */
export interface CpuUsage { userMs: number; sysMs: number; childrenUserMs: number; childrenSysMs: number }

export type TimerId = number;

export interface OsError extends Error {
  /** POSIX-style code: ENOENT, EEXIST, EADDRINUSE, ECONNREFUSED, ETIMEDOUT, ... */
  code: string;
}

/** V8's knob for how many frames a new Error captures (absent in other engines). */
const ErrorWithLimit = Error as ErrorConstructor & { stackTraceLimit?: number };

/**
 * An errno as an Error. Its JS stack says nothing (the error comes from the Os's event loop),
 * and these are made on hot paths (a sentinel reconnecting to a dead master every second), so
 * where the engine supports it no stack is captured.
 */
export function osError(code: string, message: string): OsError {
  const limit = ErrorWithLimit.stackTraceLimit;
  if (typeof limit === 'number') ErrorWithLimit.stackTraceLimit = 0;
  const e = new Error(message) as OsError;
  if (typeof limit === 'number') ErrorWithLimit.stackTraceLimit = limit;
  e.code = code;
  return e;
}

export interface Socket {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** Queue bytes for sending. Returns false if the socket is already closed. */
  write(bytes: Uint8Array): boolean;
  /** Bytes queued but not yet handed to the network (client-output-buffer accounting). */
  pendingBytes(): number;
  /** Half-close after everything queued has been sent. */
  end(): void;
  /** Close now, dropping anything queued. */
  destroy(): void;
  onConnect: (() => void) | null;
  onData: ((bytes: Uint8Array) => void) | null;
  /** Fired once. `error` is set when the connection failed or was reset (ECONNREFUSED, ...). */
  onClose: ((error: OsError | null) => void) | null;
  /** Called when the pending queue has drained after a write that returned with backlog. */
  onDrain: (() => void) | null;
  /**
   * Optional, a promise about reading, like setTimer's quietUntil: while it returns true,
   * handling whatever arrives on this socket does nothing another process notices and brings
   * none of the process's quiet timers forward (a client waiting only for PONGs). Asked by the
   * simulation between its rounds; the native host ignores it.
   */
  quietReads?: (() => boolean) | null;
  /**
   * Optional: stop (true) or go on (false) reading what arrives, so the peer's writes back up
   * in the kernel as they do for a process that does not read (a diskless replica loading at
   * its own pace). Where absent, bytes keep arriving and the reader buffers them.
   */
  pauseReads?(paused: boolean): void;
}

export interface Listener {
  readonly port: number;
  readonly addresses: string[];
  close(): void;
}

export interface FileStat {
  size: number;
  isDirectory: boolean;
  mtimeMs: number;
}

/** A handle to an open file for appending (the AOF) or writing (temp RDB files). */
export interface FileHandle {
  readonly path: string;
  /** Append bytes into the page cache. Synchronous: like write(2) on a regular file. */
  write(bytes: Uint8Array): void;
  /** Make everything written so far durable, blocking the process (appendfsync always). */
  fsync(): void;
  /**
   * fsync from a background thread (Redis's bio for appendfsync everysec): the process keeps
   * running; `done` fires when the data is durable.
   */
  fsyncInBackground(done: (error: OsError | null) => void): void;
  /** Current size in bytes (including page-cache data). */
  size(): number;
  truncate(size: number): void;
  close(): void;
}

export interface FileSystem {
  /** Resolve a path against the process's working directory. */
  resolve(path: string): string;
  cwd(): string;
  chdir(path: string): void;
  readFile(path: string): Promise<Uint8Array>;
  stat(path: string): Promise<FileStat | null>;
  readdir(path: string): Promise<string[]>;
  /**
   * Create/replace a whole file (page cache; not durable until fsync'd or flushed).
   * `createMode`: the permission bits a new file is asked for, as open(2)'s mode (default
   * 0644); the host takes the process's umask off them. An existing file keeps its own, unless
   * `fchmod` is given: the bits the file gets once open (fchmod(2)), whatever it had and
   * whatever the umask.
   */
  writeFile(path: string, bytes: Uint8Array, opts?: { fsync?: boolean; createMode?: number; fchmod?: number }): void;
  /** `createMode`: as writeFile's. */
  open(path: string, mode: 'append' | 'write', opts?: { createMode?: number }): FileHandle;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  /** `createMode`: mkdir(2)'s mode (default 0755), less the process's umask. */
  mkdir(path: string, opts?: { recursive?: boolean; createMode?: number }): void;
  rmdir(path: string): void;
  /**
   * Synchronous metadata. File contents are only ever read asynchronously (in the browser a
   * process's worker does not hold the disk), but which paths exist and how big they are is
   * mirrored to every process, so checks like "does dir exist" stay synchronous as in C.
   */
  existsSync(path: string): boolean;
  statSync(path: string): FileStat | null;
  /**
   * access(path, X_OK): whether the process may execute the file (or search the directory).
   * Optional: a host that cannot tell omits it, and existence is taken as permission.
   */
  executableSync?(path: string): boolean;
  readdirSync(path: string): string[];
}

export interface ChildProcess {
  readonly pid: number;
  /** Fired once, later, with the exit code (signal kills report code 255 + `signal`). */
  onExit: ((code: number, signal: string | null) => void) | null;
  kill(signal: 'SIGTERM' | 'SIGKILL' | 'SIGUSR1'): void;
}

/**
 * A forked child's work. It gets its own Os (own pid, same disk) and runs to completion,
 * returning its exit code; the data it needs was captured by the parent at fork time, which is
 * what makes it a copy-on-write snapshot.
 */
export type ChildMain = (os: Os) => Promise<number> | number;

export interface Os {
  /** Milliseconds since the epoch. Virtual in the simulation. */
  now(): number;
  /** Microseconds since the epoch (same clock). */
  nowUs(): number;
  /** Minutes east of UTC for local-time formatting of logs (Redis logs in local time). */
  tzOffsetMinutes(ms: number): number;
  /**
   * `quietUntil`, optional, lets a periodic timer say how long the process will keep to
   * itself: asked at any moment before the timer fires, it returns the earliest time at which
   * this firing, or the timers it arms, could do anything another process can notice (write
   * to or open or close a connection, touch a file, signal, fork, exit), assuming nothing
   * arrives meanwhile; the timer's own time when it might act at once. A lower bound, never a
   * guess: the simulation lets other processes run ahead up to it (see sim/kernel/kernel.ts).
   * The native host ignores it.
   */
  setTimer(ms: number, fire: () => void, quietUntil?: () => number): TimerId;
  clearTimer(id: TimerId): void;
  /**
   * Run `fn` once the process has handled every event that is ready now: the end of one turn
   * of the event loop, where Redis's ae calls beforeSleep. Writes from all the clients served
   * in a turn then share one AOF write and fsync, as in Redis. Optional: without it the server
   * ends every event with its beforeSleep work.
   */
  whenIdle?(fn: () => void): void;
  /**
   * Optional: async work that a synchronous handler (a timer, a socket callback, a signal)
   * starts and does not await there, e.g. the rebind after CONFIG SET port or a replica
   * loading its RDB. The simulation lets the promise continuations of an event finish before
   * the process's next event, and skips that wait when none can be pending: this says some can
   * be until `work` settles. Async code a program's main or a forked child's main awaits needs
   * no call (the host sees those promises).
   */
  trackAsync?(work: Promise<unknown>): void;
  /**
   * Bind a listening socket on each address (`*` all IPv4, `::*` all IPv6, a `-` prefix marks
   * an address whose failure is ignored). Rejects with an OsError (EADDRINUSE, EADDRNOTAVAIL,
   * EACCES) when the port cannot be bound. `backlog`: listen(2)'s (Redis's tcp-backlog); the
   * kernel caps it at net.core.somaxconn, and the host's default is 511.
   */
  listen(port: number, bind: string[], accept: (socket: Socket) => void, opts?: { backlog?: number }): Promise<Listener>;
  /**
   * A listening unix domain socket at `path` (Redis's anetUnixServer): bind(2) creates the
   * socket file, then `perm`, when non-zero, is chmod(2)ed onto it. Rejects with an OsError
   * whose message is Redis's neterr text ("bind: Address already in use", ...). The caller
   * unlinks a stale file first and removes it at shutdown. Optional: a host without unix
   * sockets (the simulation) leaves `unixsocket` unused.
   */
  listenUnix?(path: string, accept: (socket: Socket) => void, opts?: { backlog?: number; perm?: number }): Promise<Listener>;
  /** A client connection to the unix socket at `path` (redis-cli -s). Optional, as listenUnix. */
  connectUnix?(path: string): Socket;
  connect(host: string, port: number, opts?: { timeoutMs?: number; bindAddress?: string }): Socket;
  /**
   * getaddrinfo(3) for a host name, blocking as Redis's anetResolve is: the first address the
   * name stands for ('localhost' is 127.0.0.1), or null when the name is unknown. Only for
   * names: numeric addresses are the caller's to parse. Optional: without it a program keeps a
   * name as given and leaves resolving it to `connect`.
   */
  resolveHostname?(name: string): string | null;
  readonly fs: FileSystem;
  /**
   * `memoryBytes` is the parent's memory size: the simulation charges the parent the fork's
   * page-table copy cost from its cost model (Redis's latest_fork_usec grows with the dataset).
   */
  fork(name: string, main: ChildMain, opts?: { memoryBytes?: number }): ChildProcess;
  /**
   * execve(argv[0], argv, environ), called by a forked child: the child becomes that program
   * (a script runs under the interpreter its #! line names) and the calling code never resumes;
   * its parent sees the program's exit. Rejects with an OsError (ENOENT, EACCES, ENOEXEC) when
   * the file cannot be executed, as execve returns -1. Optional: a host that cannot run
   * programs omits it.
   */
  exec?(argv: string[]): Promise<never>;
  /**
   * This process's oom_score_adj (Linux's /proc/<pid>/oom_score_adj, the OOM killer's bias):
   * `read` and `write` throw an OsError when the file cannot be (ENOENT, EACCES). Optional: a
   * host without it is a system where Redis cannot set it (oom-score-adj then fails).
   */
  readonly oomScoreAdj?: { read(): number; write(value: number): void };
  /** Uniform in [0, 1). Seeded in the simulation. */
  random(): number;
  /** A line to the process's standard output (Redis's log when no logfile is set). */
  stdout(text: string): void;
  stderr(text: string): void;
  /** The process ends now. Listeners and sockets are closed by the host. */
  exit(code: number): void;
  /**
   * The process dies of `signal` now, by its default action (a crash handler that resets the
   * signal to SIG_DFL and raises it again). Hosts without it: exit(128 + the signal's number).
   */
  exitBySignal?(signal: string): void;
  /**
   * Tell the host that the process just spent `ms` of CPU or blocking I/O (fsync, SAVE,
   * DEBUG SLEEP, loading). The sim delays the process's next events by that much; the native
   * host really blocks or ignores it (real work already took real time).
   */
  busy(ms: number): void;
  /**
   * CPU time the cost model charges for routine work (a read(2), a command, a write(2)): like
   * `busy`, without a trace record of its own; `sys` for time in system calls. Optional: the
   * native host omits it.
   */
  cpu?(ms: number, sys?: boolean): void;
  /**
   * The memory the process holds now, as the kernel counts it (its resident set: what Redis
   * reports as used_memory_rss), in bytes. The simulation's `ps` RSS and the host's used memory
   * (`free`, /proc/meminfo) follow it. Optional: on the native host the kernel knows.
   */
  reportMemory?(rssBytes: number): void;
  /**
   * CPU time used so far, as getrusage(2) tells Redis for INFO's used_cpu_*: the process's
   * own user and system time, and that of its children that ended. Optional (INFO then says 0).
   */
  cpuUsage?(): CpuUsage;
  /**
   * Busy-loop reading the monotonic clock for `ms` (redis-server --check-system's clocksource
   * test, which then compares the system and user CPU time it took): the host charges the time
   * as CPU, in system time for what each read spends in the kernel when the clock cannot be
   * read in user space. Optional: without it (or cpuUsage) the test is skipped.
   */
  spinClock?(ms: number): void;
  /**
   * Block the whole process for `ms` (DEBUG SLEEP, a slow script): the native host really
   * sleeps; the simulation treats it like `busy`.
   */
  sleep(ms: number): void;
  readonly pid: number;
  readonly hostname: string;
  /** Addresses this host owns, e.g. ['127.0.0.1', '10.0.0.2']. */
  readonly addresses: string[];
  /**
   * Set what `ps` shows for this process (Redis's setproctitle: "redis-server *:6379",
   * "redis-sentinel *:26379 [sentinel]"). Optional: hosts without process titles omit it.
   */
  setProcessTitle?(title: string): void;
  /**
   * pthread_create() of a named thread (pthread_setname_np): Redis's bio threads
   * (bio_close_file, bio_aof_fsync, bio_lazy_free), its I/O threads (io_thd_N) and jemalloc's
   * background thread (jemalloc_bg_thd). The thread runs none of the engine's code (the engine
   * does their work itself); the host only shows it, as Linux does in `ps -L` and /proc: it
   * takes a thread id from the pid space, so later processes get later pids. `stop` ends it
   * (pthread_join: jemalloc-bg-thread turned off). A forked child has none of its parent's
   * threads. Optional: the native host's threads are its own, and it omits this.
   */
  startThread?(name: string): { stop(): void };
  /**
   * Detach from the terminal like server.c's daemonize() (`daemonize yes`): whoever started
   * the process (the shell) carries on as if it had exited 0, standard input, output and error
   * go to /dev/null, and the process keeps running under init. Optional: a host that cannot
   * detach a process omits it, and the program stays in the foreground.
   */
  daemonize?(): void;
  /**
   * sigaction(): `handler` runs for each of `signals` delivered to the process (SIGTERM,
   * SIGINT, SIGUSR1...). A signal the process does not handle takes its default action (most
   * end the process, with status 128+n); SIGKILL and SIGSTOP cannot be handled.
   */
  onSignal(handler: (signal: string) => void, signals: readonly string[]): void;
  /**
   * signal(sig, SIG_IGN): `signals` do nothing to the process (Redis ignores SIGHUP and
   * SIGPIPE). Optional: a host whose processes receive no such signals omits it.
   */
  ignoreSignals?(signals: readonly string[]): void;
  /** Process environment and an identification of the host kind for INFO server. */
  readonly info: { osName: string; arch: number; processName: string; executable: string };
}
