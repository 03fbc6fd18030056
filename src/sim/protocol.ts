/**
 * The messages between the kernel (the conductor) and the runtimes that run process code.
 * Both runtimes (inline and worker) exchange exactly these objects, which is what makes them
 * produce the same trace: a runner sees a window's batch, runs it, and answers with effects.
 *
 * Everything here is structured-clone friendly (plain objects, strings, numbers, Uint8Array).
 */

/**
 * The smallest latency any kernel-mediated interaction can have: loopback one-way latency,
 * signal delivery, the answer to a syscall such as listen(). 50 µs is a realistic loopback
 * one-way time and sets the conductor's window length: everything a process does in a window
 * reaches another process (or itself, through the kernel) in a later window.
 */
export const MIN_LATENCY_MS = 0.05;

/**
 * How far past the round's start a runner may simulate ahead of the kernel when nothing can
 * reach it sooner (a lone process, or processes nobody talks to). It bounds how late a
 * user's input (a typed line, a signal from the UI) can reach a process that ran ahead, and
 * how far process memory (inspection) can be ahead of `world.now`. See kernel.ts.
 */
export const MAX_AHEAD_MS = 5;

/**
 * How far past the round's start a runner may go when what lies ahead are items that promise
 * to keep quiet (cron ticks with nothing due, see Os.setTimer): MAX_AHEAD_MS's bound for
 * worlds where processes mostly tick. It bounds how late an input can reach a process that
 * ran ahead (see kernel.ts); more would save few rounds (lab C2 with quiet timers only, rounds
 * per virtual minute: 3 100 at 50 ms, 2 800 at 200 ms, 4 500 at 5 ms, 5 400 without promises).
 */
export const MAX_QUIET_AHEAD_MS = 50;

/**
 * MAX_QUIET_AHEAD_MS while the world fast-forwards to a time (World.advance): nobody types
 * meanwhile (inputs wait for its end) and nobody watches the frontier, so through quiet items
 * a runner may go this far ahead, never past the fast-forward's end. An idle world then takes
 * a round per thing that happens, not per cron tick. The bound keeps a round's batch of ticks
 * (and the page's wait for it) small: 10 s of a server's ticks at hz 10 is 100 items.
 */
export const MAX_FORWARD_AHEAD_MS = 10_000;

export interface DiskProfile {
  name: string;
  /** Sequential write/read bandwidth of the device. */
  bandwidthMBps: number;
  /** Time one fsync takes beyond the data transfer (cache flush / FUA). */
  fsyncLatencyMs: number;
  /** Time to the first byte of a read that misses the page cache. */
  readLatencyMs: number;
  /** fork() cost per GB of the parent's memory (page-table copy). */
  forkMsPerGB: number;
}

export const DISK_PRESETS: Record<'ssd' | 'hdd' | 'nvme' | 'slow', DiskProfile> = {
  ssd: { name: 'ssd', bandwidthMBps: 500, fsyncLatencyMs: 1, readLatencyMs: 0.1, forkMsPerGB: 15 },
  nvme: { name: 'nvme', bandwidthMBps: 2000, fsyncLatencyMs: 0.2, readLatencyMs: 0.05, forkMsPerGB: 15 },
  hdd: { name: 'hdd', bandwidthMBps: 120, fsyncLatencyMs: 10, readLatencyMs: 8, forkMsPerGB: 15 },
  /** A struggling disk (a busy network volume): the lessons' "slow", for fsync-always costs. */
  slow: { name: 'slow', bandwidthMBps: 20, fsyncLatencyMs: 40, readLatencyMs: 15, forkMsPerGB: 15 },
};

/** What a process may know synchronously about a path (the metadata mirror). */
export interface MetaStat { size: number; isDirectory: boolean; mtimeMs: number; mode: number }
/** A metadata change: the stat, or null when the path no longer exists. */
export type MetaDelta = [path: string, stat: MetaStat | null];

/** Everything a runner needs to create a top-level process. */
export interface SpawnInfo {
  pid: number;
  ppid: number;
  program: string;
  /** The process title shown by ps until the program sets its own. */
  title: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  hostname: string;
  addresses: string[];
  /** The lab's host names and their addresses (what getaddrinfo finds: Os.resolveHostname). */
  hostTable: Record<string, string>;
  worldSeed: string;
  tzOffsetMinutes: number;
  disk: DiskProfile;
  /** The host's clock source has no vDSO: every clock read is a system call (kernel/clocksource.ts). */
  clockSyscall?: boolean;
  stdinTty: boolean;
  /** Standard output or error is a pipe (writing to it can come back as SIGPIPE). */
  pipes: boolean;
  columns?: number;
  /** Signals the process starts ignoring, inherited from the shell that started it. */
  ignoredSignals?: string[];
  /** Full metadata snapshot of the host's disk. */
  meta: MetaDelta[];
}

/** An event the kernel hands to a process, due at `t`. `seq` orders equal times. */
export type Delivery = { t: number; seq: number; pid: number } & (
  | { k: 'start' }
  | { k: 'listened'; req: number; lid: number; code: string | null; message: string; addresses: string[] }
  | { k: 'accept'; lid: number; sid: number; remoteAddress: string; remotePort: number; localAddress: string; localPort: number; bps: number }
  | { k: 'connected'; sid: number; localAddress: string; localPort: number; bps: number }
  | { k: 'data'; sid: number; bytes: Uint8Array }
  | { k: 'closed'; sid: number; code: string | null; message: string }
  /** What the sender's TCP holds for this socket, stalled or behind a closed window (network.ts). */
  | { k: 'sendq'; sid: number; heldBytes: number }
  | { k: 'read'; req: number; bytes: Uint8Array | null; code: string | null; message: string }
  | { k: 'fsynced'; req: number }
  | { k: 'child'; child: number; code: number; signal: string | null }
  | { k: 'signal'; signal: string }
  | { k: 'stdin'; req: number; chunk: string | null }
  /** execve() failed (ENOENT, EACCES, ENOEXEC); when it succeeds the process leaves its runner. */
  | { k: 'execFailed'; req: number; code: string }
);

/** Something a process did at virtual time `t`; `seq` is per process. */
export type Effect = { t: number; pid: number; seq: number } & (
  | { k: 'out'; fd: 1 | 2; text: string }
  | { k: 'exit'; code: number; signal: string | null }
  | { k: 'title'; title: string }
  | { k: 'daemonize' }
  | { k: 'timer' }
  | { k: 'busy'; ms: number }
  | { k: 'listen'; req: number; port: number; bind: string[]; backlog?: number }
  | { k: 'unlisten'; lid: number }
  | { k: 'connect'; sid: number; host: string; port: number; bindAddress?: string }
  | { k: 'write'; sid: number; bytes: Uint8Array }
  | { k: 'end'; sid: number }
  | { k: 'destroy'; sid: number }
  /** The program stopped (or went on) reading the socket: its receive window closes when full. */
  | { k: 'pauseReads'; sid: number; paused: boolean }
  /** `createMode`: the permission bits a new file is asked for (before the process's umask). */
  | { k: 'writeFile'; path: string; bytes: Uint8Array; fsync: boolean; createMode: number; fchmod?: number }
  | { k: 'open'; fid: number; path: string; mode: 'append' | 'write'; createMode: number }
  | { k: 'fwrite'; fid: number; bytes: Uint8Array }
  | { k: 'fsync'; fid: number }
  | { k: 'bgfsync'; fid: number; req: number }
  | { k: 'ftruncate'; fid: number; size: number }
  | { k: 'fclose'; fid: number }
  | { k: 'rename'; from: string; to: string }
  | { k: 'unlink'; path: string }
  | { k: 'mkdir'; path: string; recursive: boolean; createMode: number }
  | { k: 'rmdir'; path: string }
  | { k: 'readFile'; req: number; path: string }
  | { k: 'fork'; child: number; name: string }
  /**
   * A thread starts (Os.startThread): `n` numbers it within its process (1, 2...); `tid` is the
   * thread id the runner took from its pids (Batch.pids), 0 when it held none (the kernel then
   * takes the next pid). `end`: the thread `n` ends.
   */
  | { k: 'thread'; n: number; tid: number; name: string }
  | { k: 'threadEnd'; n: number }
  | { k: 'exec'; req: number; argv: string[]; env: Record<string, string> }
  | { k: 'kill'; target: number; signal: string }
  | { k: 'stdin'; req: number }
  | { k: 'readline'; req: number; prompt: string; mask: boolean }
);

/** One round for one runner. */
export interface Batch {
  /**
   * The runner may run its items with start <= t < end (its lookahead: nothing can reach it
   * before `end`), and stops sooner when one of its processes asks the kernel something whose
   * answer could come back before `end` (see Runner).
   */
  start: number;
  end: number;
  /** Processes to create before anything else (their `start` delivery follows). */
  spawn: SpawnInfo[];
  /** Processes that died by the kernel's hand (SIGKILL, power-off): drop them first. */
  kill: number[];
  /** Fresh pids for fork(), per top-level process. */
  pids: number[];
  meta: MetaDelta[];
  deliveries: Delivery[];
}

export interface BatchResult {
  effects: Effect[];
  /** Everything before this time has been run (<= the batch's end). */
  horizon: number;
  /** Earliest time this runner has work (a timer, a deferred event), or Infinity. */
  wake: number;
  /**
   * Earliest time that work could reach another process (>= wake): a timer that promises to
   * keep quiet (Os.setTimer's quietUntil) counts from the end of its promise.
   */
  loudWake: number;
  /**
   * The sockets whose reads are promised quiet now (Socket.quietReads), as pid, sid pairs:
   * data arriving on them is not a reason to hold other slots back.
   */
  quietReads: number[];
  /** Events the runner handled (statistics). */
  handled: number;
  /**
   * CPU time of processes whose usage changed in this batch (ps, `time`): [pid, user ms, sys ms,
   * ...]; a process that exited in the batch is reported with its final usage.
   */
  cpu: number[];
  /** Resident memory of processes that reported a new size (Os.reportMemory): [pid, KiB, ...]. */
  rss: number[];
}

/**
 * Big byte payloads inside effects/deliveries, for transfer lists. Small ones are cheaper to
 * copy than to transfer (a transfer detaches and re-wraps the buffer), so only payloads of at
 * least TRANSFER_MIN_BYTES are transferred.
 */
export function payloadBuffers(items: readonly (Effect | Delivery)[]): ArrayBuffer[] {
  let out: ArrayBuffer[] | null = null;
  for (const x of items) {
    const b = (x as { bytes?: Uint8Array | null }).bytes;
    if (b && b.byteLength >= TRANSFER_MIN_BYTES && b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) {
      out ??= [];
      if (!out.includes(b.buffer)) out.push(b.buffer);
    }
  }
  return out ?? NO_BUFFERS;
}

const TRANSFER_MIN_BYTES = 64 * 1024;
const NO_BUFFERS: ArrayBuffer[] = [];
