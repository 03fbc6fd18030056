/**
 * The kernel and conductor: one discrete-event simulation of hosts, disks, network and
 * processes on a virtual clock.
 *
 * Queues:
 *   - internal: the kernel's own events (retransmissions, writeback, shell steps, inputs...);
 *   - per runtime slot (a top-level process and its forked children, one runner): the
 *     deliveries waiting for it (bytes arrived, a connection accepted, a read done...) and
 *     the effects it produced that are not applied yet.
 *
 * The conductor (`step`) runs rounds. It is a conservative parallel discrete-event
 * simulation: every slot runs ahead only as far as nothing can reach it, so no event ever
 * arrives in a slot's past, and the outcome is the same as running everything one event at a
 * time in time order.
 *
 *   1. T = the earliest pending time. Each slot x has a source time F(x): its earliest
 *      pending item (delivery, timer) or unapplied effect, the earliest time it can act on
 *      anything outside itself. A timer that promises quiet (Os.setTimer's quietUntil: a cron
 *      tick with nothing due) counts from the end of its promise, so processes that only tick
 *      hold nobody back, and data for a socket whose reads are promised quiet (Socket.quietReads)
 *      does not count; a broken promise is counted in `stats.brokenQuiet` (tests assert 0).
 *   2. Lookahead: slot r may run until E(r) = the earliest time anything could reach it:
 *        - the kernel's next internal event + MIN_LATENCY_MS (it can deliver anywhere);
 *        - F(x) + lat(x, r) for every other slot x, where lat is the smallest delay of a
 *          path from x to r: the link latency between their hosts when r can receive from
 *          the network (it listens or holds connections), MIN_LATENCY_MS on the same host
 *          when one of them listens, uses a pipe or holds a loopback connection, else none;
 *        - chains of two or more hops: min over x of (F(x) + cheapest edge out of x), plus
 *          the cheapest edge into r (lower bound of any longer path);
 *        - its own unapplied effects + MIN_LATENCY_MS; and at most MAX_AHEAD_MS past the
 *          first F(x) or internal event (T itself, or later when T is a quiet tick), and
 *          MAX_QUIET_AHEAD_MS past T (while the world fast-forwards, `forwardTo`:
 *          MAX_FORWARD_AHEAD_MS, and never past the forward's end).
 *      A slot whose items start before E(r) gets a batch [T, E(r)); the runner stops sooner
 *      when one of its processes asks the kernel something whose answer comes back to it
 *      (see runner.ts), and reports the horizon it reached.
 *   3. Runners run their batches (inline: on this thread, one after another; worker
 *      runtime: in parallel). Slots without a batch move their horizon to E(r).
 *   4. K = the smallest horizon over all slots, and at most the limit `step` was given (how
 *      far the slots ran does not depend on it, only where the frontier stops). Effects and
 *      internal events before K are applied in one fixed order: time, kernel before
 *      processes, pid, the process's own sequence. Effects at or after K (a runner that ran
 *      ahead, a busy process) wait for a later round; a program started during the merge caps
 *      K at its start time.
 *   5. The frontier (`world.now`) moves to K. Inputs (typed lines, signals from the UI, faults)
 *      take effect there, between rounds; what they deliver to a process that already ran
 *      ahead of K (by at most MAX_QUIET_AHEAD_MS) is delivered at that process's horizon instead,
 *      and counted in `stats.lateDeliveries`.
 *
 * Nothing here depends on how long a runner took or in which order runners finished, so the
 * same seed and the same inputs give the same trace in every runtime.
 */
import type { Batch, BatchResult, Delivery, Effect, MetaDelta, MetaStat, SpawnInfo, DiskProfile } from '../protocol';
import { DISK_PRESETS, MAX_AHEAD_MS, MAX_FORWARD_AHEAD_MS, MAX_QUIET_AHEAD_MS, MIN_LATENCY_MS } from '../protocol';
import type { Runtime, RunnerHandle } from '../runtime/runtime';
import { Heap } from './heap';
import { Host, type HostSpec } from './host';
import { Network, type LinkParams, type NetKernel } from './network';
import { KernelSockets } from './kernel-sockets';
import { Icmp } from './icmp';
import { Rng } from './rng';
import { Trace } from './trace';
import { payloadHash } from './hash';
import { signalInfo } from '../../engine/util/signals';
import { DEFAULT_UMASK, Pipe, type ProcKind, type ProcRecord, type Sink, type Source, type Terminal } from './process';
import { Task, type TaskGen, type TaskScheduler } from './tasks';
import { DIRTY_EXPIRE_MS, WRITEBACK_INTERVAL_MS, type Inode } from './disk';
import { setResident } from './memory';
import { clockReadIsSyscall } from './clocksource';
import { basename, dirname } from '../runtime/paths';
import type { RunLog } from '../run-log';
import { utf8ToStr } from '../../engine/bytes';

export interface KernelOptions {
  seed: string;
  /** Virtual wall-clock time at the start, ms since the epoch. */
  startTimeMs: number;
  hosts: HostSpec[];
  links?: { a: string; b: string; params: Partial<LinkParams> }[];
  runtime: Runtime;
  /** See WorldOptions.quietTimers. */
  quietTimers?: boolean;
}

interface InternalEvent { t: number; seq: number; run: () => void }

interface Slot {
  id: number;
  host: Host;
  handle: RunnerHandle | null;
  /** Its inline twin while the kernel shadows its workers (startShadow). */
  shadowHandle: RunnerHandle | null;
  /** Earliest item the runner still holds (a timer, a deferred event), from its last batch. */
  wake: number;
  /** Earliest time one of those items could reach another slot (BatchResult.loudWake). */
  loudWake: number;
  /** Sockets whose data is promised quiet (BatchResult.quietReads), by quietKey. */
  quietReads: Set<number>;
  /** Everything before this time has been run by the slot's processes. */
  horizon: number;
  pids: Set<number>;
  spawn: { pid: number; info: Omit<SpawnInfo, 'meta'> }[];
  kill: number[];
  /**
   * Pids the runner hands to fork() without asking (it cannot wait for the kernel). Two to
   * start with (a BGSAVE or a rewrite child); once a process of the slot has forked, 16 (a
   * sentinel starts up to 16 scripts in one tick, one per warning of a failover's burst).
   */
  freshPids: number[];
  /** How many of freshPids the runner holds (see above). */
  pidsHeld: number;
  /** How many it is topped up to: 2, FORKING_PID_RESERVE once a process of the slot forked. */
  reserve: number;
  meta: Map<string, MetaStat | null>;
  /** Deliveries waiting for the runner, by (time, sequence). */
  deliveries: Heap<Delivery>;
  /** Effects not applied yet, sorted by (time, pid, sequence), from index `effectsAt` on. */
  effects: Effect[];
  effectsAt: number;
  /** A process of the slot reads or writes a pipe (the shell side can react at once). */
  pipes: boolean;
  // Scratch of the current round (see step()).
  listens: boolean;
  loopLinked: boolean;
  remoteLinked: boolean;
  source: number;
  end: number;
  batch: Batch | null;
}

/**
 * The mode a program's new file or directory gets: the bits it asked for (open(2)'s or
 * mkdir(2)'s mode: Redis's fopen asks 0666, its open 0644, its mkdir 0755) less its umask.
 */
function createdMode(asked: number, umask: number): number { return asked & 0o7777 & ~umask; }

/** Delivery payloads may be transferred to a worker: the record is made before the batch leaves. */
interface RecvRecord { t: number; seq: number; p: ProcRecord; kind: string; detail: string | null; sid: number; bytes: number; hash: number }

type NewDelivery = Delivery extends infer D ? D extends unknown ? Omit<D, 'seq'> : never : never;

export interface SpawnRequest {
  host: Host;
  program: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  ppid: number;
  stdin: Source;
  stdout: Sink;
  stderr: Sink;
  tty: Terminal | null;
  title?: string;
  background?: boolean;
  /** Signals it starts ignoring (ProcRecord.ignoredSignals). */
  ignoredSignals?: ReadonlySet<string>;
}

export interface KernelStats {
  windows: number;
  handled: number;
  effects: number;
  deliveries: number;
  internal: number;
  lateDeliveries: number;
  /** Effects that broke a quiet promise (Os.setTimer's quietUntil, Socket.quietReads): 0 unless a program is wrong. */
  brokenQuiet: number;
  /** Batches handed to runners (a round hands one to each slot with work due). */
  batches: number;
}

/** Broken quiet promises in every kernel of this thread, the last one described (tests assert none). */
export const brokenQuiet = { count: 0, last: '' };

/** A socket's key in Slot.quietReads (sids count up per process, far below 2^21). */
const quietKey = (pid: number, sid: number) => pid * 2097152 + sid;

/** Effects no other slot can see (the kernel's bookkeeping only): quiet timers may have them. */
const QUIET_EFFECTS: Partial<Record<Effect['k'], true>> = { timer: true, busy: true, title: true, thread: true, threadEnd: true };

const deliveryLess = (a: Delivery, b: Delivery) => a.t < b.t || (a.t === b.t && a.seq < b.seq);
const internalLess = (a: InternalEvent, b: InternalEvent) => a.t < b.t || (a.t === b.t && a.seq < b.seq);
const recvLess = (a: RecvRecord, b: RecvRecord) => a.t < b.t || (a.t === b.t && a.seq < b.seq);
const effectOrder = (a: Effect, b: Effect) => a.t !== b.t ? a.t - b.t : a.pid !== b.pid ? a.pid - b.pid : a.seq - b.seq;

/**
 * Sorts effects by effectOrder in place. They come in a few per batch and nearly in order, so an
 * insertion sort does it in one pass without the scratch copy Array.prototype.sort makes on
 * every call; long arrays (a busy round) still go to the built-in sort.
 */
function sortEffects(a: Effect[]): void {
  const n = a.length;
  if (n > 32) { a.sort(effectOrder); return; }
  for (let i = 1; i < n; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && effectOrder(a[j], x) > 0) { a[j + 1] = a[j]; j--; }
    a[j + 1] = x;
  }
}

/** The pids a slot's runner holds once its process has forked (see Slot.freshPids). */
const FORKING_PID_RESERVE = 16;
export class Kernel implements NetKernel, TaskScheduler {
  now: number;
  /** Everything before this time has been simulated. */
  frontier: number;
  readonly seed: string;
  readonly trace = new Trace();
  readonly hosts = new Map<string, Host>();
  readonly network: Network;
  /** The sockets of kernel-side processes (the shell's network tools, sshd). */
  readonly kernelSockets: KernelSockets;
  /** ICMP echo (ping's datagrams). */
  readonly icmp: Icmp;
  readonly procs = new Map<number, ProcRecord>();
  /** The processes' threads but their first, by thread id (kill(2) of a thread id signals its process). */
  readonly threadOwners = new Map<number, ProcRecord>();
  /** Slots whose runner gave threads some of its pids: topped up at the end of the merge. */
  private readonly pidsSpent = new Set<Slot>();
  readonly stats: KernelStats = { windows: 0, handled: 0, effects: 0, deliveries: 0, internal: 0, lateDeliveries: 0, brokenQuiet: 0, batches: 0 };
  private readonly internal = new Heap<InternalEvent>(internalLess);
  /** Trace records of deliveries handed to runners, written when the merge reaches them. */
  private readonly recvRecords = new Heap<RecvRecord>(recvLess);
  private seq = 0;
  private readonly slots = new Map<number, Slot>();
  /** The same slots as an array in creation order (the conductor's hot loops). */
  private slotList: Slot[] = [];
  private nextSlot = 0;
  private nextPid: number;
  /** The round's bound on every slot's end (computeLookahead). */
  private roundEnd = Infinity;
  /** While merging: effects and events before this time are applied in this round. */
  private mergeEnd = Infinity;
  /** A worker world's run log (set by the world; see ../run-log.ts). */
  runLog: RunLog | null = null;
  /**
   * The end of the fast-forward under way (World.advance, a 'forward' input): until then quiet
   * items may run MAX_FORWARD_AHEAD_MS ahead instead of MAX_QUIET_AHEAD_MS (computeLookahead).
   */
  forwardTo = -Infinity;
  /** The inline runtime of the twins while shadowing (startShadow). */
  private shadow: Runtime | null = null;
  private merging = false;
  private currentSlot: Slot | null = null;
  /** One-way minimum latency between hosts by index (rebuilt when links change). */
  private latMatrix: number[][] = [];
  private latVersion = -1;
  private readonly hostIndex = new Map<Host, number>();
  /** Edge weights between slots (row: from, column: to), cached for `edgesFor`. */
  private edges = new Float64Array(0);
  private edgeOut = new Float64Array(0);
  private edgeIn = new Float64Array(0);
  private edgesFor: Slot[] | null = null;
  private edgesTopology = -1;
  private edgesLat: number[][] | null = null;
  private readonly rngs = new Map<string, Rng>();
  private readonly writebackAt = new Map<Host, number>();
  /** Called when a host has booted (the world starts its shell services). */
  onBoot: ((host: Host) => void) | null = null;
  /**
   * execve() by a process whose code a runner runs: an errno code when the file cannot be
   * executed, or how to start what the process becomes (the world runs scripts in its shell).
   */
  onExec: ((p: ProcRecord, argv: string[], env: Record<string, string>) => string | (() => void)) | null = null;
  /** Called when a host goes down (the world ends its terminals and tasks). */
  onHostDown: ((host: Host) => void) | null = null;
  private readonly runtime: Runtime;
  private readonly quietTimers: boolean;

  constructor(opts: KernelOptions) {
    this.seed = opts.seed;
    this.quietTimers = opts.quietTimers ?? true;
    this.now = opts.startTimeMs;
    this.frontier = opts.startTimeMs;
    this.runtime = opts.runtime;
    this.network = new Network(this);
    this.kernelSockets = new KernelSockets(this);
    this.icmp = new Icmp(this, this.network);
    this.nextPid = 1000 + new Rng(opts.seed, 'pids').int(1000);
    for (const spec of opts.hosts) {
      const profile: DiskProfile = spec.disk ?? DISK_PRESETS.ssd;
      const host = new Host(spec, opts.seed, profile, (h, d) => this.metaChanged(h, d));
      host.bootedAt = this.now;
      this.hosts.set(host.name, host);
      for (const [text, content] of Object.entries(spec.files ?? {})) {
        const bytes = typeof content === 'string' ? utf8(content) : content;
        const path = utf8ToStr(text);
        host.disk.mkdir(dirname(path), true, this.now);
        host.disk.writeFile(path, bytes, this.now, true);
      }
      for (const dir of ['/tmp', '/var/log', '/var/run', '/etc', host.home, ...(spec.dirs ?? []).map(utf8ToStr)]) host.disk.mkdir(dir, true, this.now);
    }
    for (const l of opts.links ?? []) this.network.setLink(l.a, l.b, l.params);
    let i = 0;
    for (const h of this.hosts.values()) this.hostIndex.set(h, i++);
  }

  // ---- NetKernel / TaskScheduler ----------------------------------------------------------

  at(t: number, fn: () => void): void {
    this.internal.push({ t: Math.max(t, this.now), seq: this.seq++, run: fn });
  }

  soon(fn: () => void): void { this.at(this.now, fn); }

  /** Queue a delivery for a program's process (callers pass a fresh object: it is kept). */
  deliver(d: NewDelivery): void {
    const p = this.procs.get(d.pid);
    if (!p) return;
    if (p.slot === null) {
      // A kernel-side process's socket: handled as an internal event at its arrival.
      if (!this.kernelSockets.has(d.pid)) return;
      const x = d as Delivery;
      this.at(x.t, () => this.kernelSockets.deliver(x));
      return;
    }
    const slot = this.slots.get(p.slot);
    if (!slot) return;
    const x = d as Delivery;
    // Never in the past of what the slot has run (only inputs can get here: see the top).
    if (x.t < slot.horizon) { x.t = slot.horizon; this.stats.lateDeliveries++; }
    x.seq = this.seq++;
    slot.deliveries.push(x);
  }

  recall(pid: number, deliveries: readonly object[]): Set<object> {
    const back = new Set<object>();
    const p = this.procs.get(pid);
    const slot = p && p.slot !== null ? this.slots.get(p.slot) : undefined;
    if (!slot) return back;
    const wanted = new Set(deliveries);
    slot.deliveries.removeWhere((x) => {
      if (!wanted.has(x)) return false;
      back.add(x);
      return true;
    });
    return back;
  }

  record(kind: string, host: string, pid: number, detail: string): void {
    this.trace.add(this.now, host, pid, kind, detail);
  }

  hostByName(name: string): Host | undefined { return this.hosts.get(name); }
  private hostTableCache: Record<string, string> | null = null;
  /** Every host's name and address, for a new process's resolver (the hosts are fixed at start). */
  hostTable(): Record<string, string> {
    if (!this.hostTableCache) this.hostTableCache = Object.fromEntries([...this.hosts].map(([name, h]) => [name, h.ip]));
    return this.hostTableCache;
  }

  hostByIp(ip: string): Host | undefined {
    for (const h of this.hosts.values()) if (h.ips.includes(ip)) return h;
    return undefined;
  }

  hostOf(pid: number): Host { return this.procs.get(pid)!.host; }

  alive(pid: number): boolean { return this.procs.get(pid)?.state === 'running'; }

  stopped(pid: number): boolean {
    const p = this.procs.get(pid);
    return p !== undefined && p.state === 'running' && p.stopped === true;
  }

  rng(name: string): Rng {
    let r = this.rngs.get(name);
    if (!r) { r = new Rng(this.seed, name); this.rngs.set(name, r); }
    return r;
  }

  allocPid(): number { return this.nextPid++; }

  // ---- the conductor ----------------------------------------------------------------------

  /** The time of the next thing that will happen (Infinity when the world is idle forever). */
  nextTime(): number {
    let t = Infinity;
    const i = this.internal.peek();
    if (i && i.t < t) t = i.t;
    for (const s of this.slotList) {
      const x = this.slotSource(s, s.wake);
      if (x < t) t = x;
    }
    return t;
  }

  /**
   * The earliest time a slot does something, `wake` being its runner's `wake` (anything at
   * all) or `loudWake` (anything another slot could notice): a pending item, a delivery (with
   * `quietReads`, not data for a socket whose reads are promised quiet), an unapplied effect.
   */
  private slotSource(s: Slot, wake: number, quietReads = false): number {
    let t = s.pids.size > 0 ? wake : Infinity;
    const d = s.deliveries.peek();
    if (d && d.t < t) {
      if (!quietReads || s.quietReads.size === 0) t = d.t;
      else for (const x of s.deliveries.values()) if (x.t < t && !(x.k === 'data' && s.quietReads.has(quietKey(x.pid, x.sid)))) t = x.t;
    }
    const e = s.effects[s.effectsAt];
    if (e && e.t < t) t = e.t;
    return t;
  }

  /** Run one round. False when nothing is due at or before `limit`. */
  async step(limit = Infinity): Promise<boolean> {
    const T = Math.max(this.nextTime(), this.frontier);
    if (T === Infinity || T > limit) return false;
    this.now = T;
    this.stats.windows++;
    const slots = this.slotList;
    this.computeLookahead(T);

    // 1. batches
    const batched: Slot[] = [];
    // New slots get their runners concurrently (starting a Web Worker takes real time); the
    // runners are requested in slot order, and which runner serves a slot does not matter.
    let starting: Promise<void>[] | null = null;
    for (const s of slots) {
      if (s.pids.size === 0 && s.spawn.length === 0) {
        // Its processes are gone (it retires after the merge): nothing to deliver to.
        while (s.deliveries.size > 0) s.deliveries.pop();
        s.batch = null;
        continue;
      }
      const d = s.deliveries.peek();
      const due = (d !== undefined && d.t < s.end) || (s.pids.size > 0 && s.wake < s.end) || s.spawn.length > 0;
      if (!due) { s.batch = null; continue; }
      const b: Batch = { start: T, end: s.end, spawn: NONE, kill: NONE, pids: NONE, meta: NONE, deliveries: [] };
      if (s.kill.length > 0) { b.kill = s.kill; s.kill = []; }
      if (s.freshPids.length > 0) { b.pids = s.freshPids; s.freshPids = []; }
      if (s.spawn.length > 0) {
        const snapshot = s.host.disk.snapshot();
        b.spawn = s.spawn.map((sp) => ({ ...sp.info, meta: snapshot }));
        s.spawn = [];
        s.meta.clear();
      }
      if (s.meta.size > 0) {
        b.meta = [...s.meta];
        s.meta.clear();
      }
      for (let x = s.deliveries.peek(); x !== undefined && x.t < s.end; x = s.deliveries.peek()) {
        s.deliveries.pop();
        const p = this.procs.get(x.pid);
        if (!p || x.t >= p.deathT) continue;
        this.stats.deliveries++;
        if (x.k === 'data') this.recvRecords.push({ t: x.t, seq: x.seq, p, kind: 'recv', detail: null, sid: x.sid, bytes: x.bytes.length, hash: payloadHash(x.bytes) });
        else if (x.k !== 'start') this.recvRecords.push({ t: x.t, seq: x.seq, p, kind: `deliver-${x.k}`, detail: deliveryDetail(x), sid: 0, bytes: 0, hash: 0 });
        b.deliveries.push(x);
      }
      s.batch = b;
      if (!s.handle) (starting ??= []).push(this.runtime.createRunner().then((h) => { s.handle = h; }));
      if (this.shadow && !s.shadowHandle) (starting ??= []).push(this.shadow.createRunner().then((h) => { s.shadowHandle = h; }));
      batched.push(s);
    }
    if (starting) await Promise.all(starting);

    // 2. run
    if (batched.length > 0) {
      this.stats.batches += batched.length;
      const results = this.runtime.parallel ? await this.runParallel(batched) : await this.runInline(batched);
      for (let i = 0; i < batched.length; i++) {
        const s = batched[i];
        const r = results[i];
        s.wake = r.wake;
        s.loudWake = r.loudWake;
        if (r.quietReads.length > 0 || s.quietReads.size > 0) {
          s.quietReads.clear();
          for (let j = 0; j < r.quietReads.length; j += 2) s.quietReads.add(quietKey(r.quietReads[j], r.quietReads[j + 1]));
        }
        if (r.effects.length > 0 && this.quietTimers) this.checkQuiet(s, r.effects);
        if (r.horizon > s.horizon) s.horizon = r.horizon;
        for (let j = 0; j < r.cpu.length; j += 3) {
          const p = this.procs.get(r.cpu[j]);
          if (p) { p.cpuUserMs = r.cpu[j + 1]; p.cpuSysMs = r.cpu[j + 2]; }
        }
        for (let j = 0; j < r.rss.length; j += 2) {
          const p = this.procs.get(r.rss[j]);
          if (p) setResident(p, r.rss[j + 1]);
        }
        this.stats.handled += r.handled;
        if (r.effects.length > 0) this.queueEffects(s, r.effects);
      }
    }
    // The kernel itself advances like any slot: one latency past its next internal event. The
    // frontier stops at the caller's limit (advance(ms) ends exactly there) even when the
    // slots ran further: what they did after it waits, as for any slot that ran ahead.
    let K = Math.min(this.roundEnd, limit);
    for (const s of slots) {
      // Nothing to run before its end: it is there already.
      if (s.batch === null) { if (s.end > s.horizon) s.horizon = s.end; } else s.batch = null;
      if (s.pids.size > 0 && s.horizon < K) K = s.horizon;
    }

    // 3. merge
    this.merge(K);

    // 4. retire slots whose processes are all gone
    // (The merge may have added slots: read the current list.)
    let retired = false;
    for (const s of this.slotList) {
      if (s.pids.size === 0 && s.spawn.length === 0) {
        s.handle?.release();
        s.shadowHandle?.release();
        this.slots.delete(s.id);
        retired = true;
      }
    }
    if (retired) this.slotList = this.slotList.filter((s) => this.slots.has(s.id));
    const end = this.mergeEnd;
    this.mergeEnd = Infinity;
    for (const s of this.slotList) if (s.horizon < end) s.horizon = end;
    this.now = end;
    this.frontier = end;
    return true;
  }

  /**
   * Worker runtimes: the runners run their batches concurrently. With a run log (../run-log.ts)
   * their answers are recorded, or, while a rewind replays the log, taken from it at once, the
   * batches fed to the workers without waiting for them.
   */
  private async runParallel(batched: Slot[]): Promise<BatchResult[]> {
    const log = this.runLog;
    if (this.shadow) {
      const results = await this.runInline(batched, (s) => s.shadowHandle!.local!);
      for (let i = 0; i < batched.length; i++) {
        const s = batched[i];
        s.handle!.feed!(s.batch!, results[i]);
        log?.recordRun(s.id, s.batch!, results[i]);
      }
      return results;
    }
    if (log?.replaying) {
      return batched.map((s) => {
        const r = log.take(s.id, s.batch!);
        s.handle!.feed!(s.batch!, r);
        return r;
      });
    }
    const results = await Promise.all(batched.map((s) => s.handle!.run(s.batch!)));
    if (log) for (let i = 0; i < batched.length; i++) log.recordRun(batched[i].id, batched[i].batch!, results[i]);
    return results;
  }

  /**
   * Shadowing: while a worker world re-executes from its start with no run log to replay, each
   * slot also gets an inline runner (from `shadow`, an inline runtime) that runs its batches on
   * this thread. The kernel takes their answers at once and feeds the workers the same batches
   * without waiting, as a log replay does, so the re-execution costs what an inline one does
   * while the workers rebuild their processes' memory behind it; the answers also fill the run
   * log. False (nothing done) when a slot already has a runner: its twin would lack its past.
   */
  startShadow(shadow: Runtime): boolean {
    if (this.slotList.some((s) => s.handle)) return false;
    this.shadow = shadow;
    return true;
  }

  /** Shadowing ends: the twins go; whether every worker computed what its twin did. */
  async endShadow(): Promise<boolean> {
    const shadow = this.shadow;
    if (!shadow) return true;
    this.shadow = null;
    for (const s of this.slotList) {
      s.shadowHandle?.release();
      s.shadowHandle = null;
    }
    shadow.dispose();
    return this.syncRunners();
  }

  /** After a replay fed the workers: whether every live one ran its batches as logged. */
  async syncRunners(): Promise<boolean> {
    const answers = await Promise.all(this.slotList.map((s) => s.handle?.sync?.() ?? true));
    return answers.every(Boolean);
  }

  /**
   * The inline runtime: each runner runs its batch as `Runner.run` does in a worker, one after
   * another (runners share nothing until the merge, so their order does not matter), awaiting
   * only the macrotask turns that are needed.
   */
  private async runInline(batched: Slot[], runnerOf = (s: Slot) => s.handle!.local!): Promise<BatchResult[]> {
    const n = batched.length;
    const results: BatchResult[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const runner = runnerOf(batched[i]);
      runner.begin(batched[i].batch!);
      for (let turn = runner.runPasses(); turn; turn = runner.runPasses()) await turn;
      results[i] = runner.finish();
    }
    return results;
  }

  /**
   * A timer or a socket that promised quiet (Os.setTimer's quietUntil, Socket.quietReads) and
   * broke the promise: the slot did something other slots may have run past. Counted (a
   * program bug, never silent): what it sent arrives late where a slot already ran ahead, as
   * an input does.
   */
  private checkQuiet(s: Slot, effects: Effect[]): void {
    for (const e of effects) {
      if (e.t >= s.source || QUIET_EFFECTS[e.k]) continue;
      this.stats.brokenQuiet++;
      brokenQuiet.count++;
      brokenQuiet.last = `${this.procs.get(e.pid)?.program ?? '?'} (pid ${e.pid}): '${e.k}' at ${e.t} before ${s.source}`;
    }
  }

  /** Effects of a runner, sorted, join the slot's unapplied ones. */
  private queueEffects(s: Slot, effects: Effect[]): void {
    sortEffects(effects);
    if (s.effectsAt >= s.effects.length) { s.effects = effects; s.effectsAt = 0; return; }
    const rest = s.effects.slice(s.effectsAt);
    for (const e of effects) rest.push(e);
    sortEffects(rest);
    s.effects = rest;
    s.effectsAt = 0;
  }

  /** Step 2 of the round (see the top of the file): each slot's `end`. */
  private computeLookahead(T: number): void {
    const slots = this.slotList;
    const n = slots.length;
    const lat = this.latencies();
    if (this.edgesFor !== slots || this.edgesTopology !== this.network.topology || this.edgesLat !== lat) this.computeEdges();
    const w = this.edges;
    const i0 = this.internal.peek();
    // The earliest one-hop arrival anywhere: a lower bound for every longer chain.
    let firstArrival = Infinity;
    let loud = i0 ? i0.t : Infinity;
    for (let x = 0; x < n; x++) {
      const src = this.quietTimers ? this.slotSource(slots[x], slots[x].loudWake, true) : this.slotSource(slots[x], slots[x].wake);
      slots[x].source = src;
      if (src < loud) loud = src;
      const a = src + this.edgeOut[x];
      if (a < firstArrival) firstArrival = a;
    }
    // Ahead of the round's start by MAX_AHEAD_MS past the first thing that could reach
    // anyone, and by MAX_QUIET_AHEAD_MS at most through quiet items.
    // A fast-forward (forwardTo) lets quiet items run further, and nothing past its end: once it
    // is over, no process is ahead of the frontier, and an input then reaches nobody late.
    const quietEnd = this.forwardTo > T ? Math.min(this.forwardTo, T + MAX_FORWARD_AHEAD_MS) : T + MAX_QUIET_AHEAD_MS;
    const base = Math.min(Math.max(loud, T) + MAX_AHEAD_MS, quietEnd, i0 ? i0.t + MIN_LATENCY_MS : Infinity);
    this.roundEnd = base;
    for (let r = 0; r < n; r++) {
      const slot = slots[r];
      let e = base;
      const own = slot.effects[slot.effectsAt];
      if (own && own.t + MIN_LATENCY_MS < e) e = own.t + MIN_LATENCY_MS;
      const chain = firstArrival + this.edgeIn[r];
      if (chain < e) e = chain;
      for (let x = 0; x < n; x++) {
        const a = slots[x].source + w[x * n + r];
        if (a < e) e = a;
      }
      slot.end = e;
    }
  }

  /** Who can reach whom directly, and how fast (see the top of the file); cached. */
  private computeEdges(): void {
    const slots = this.slotList;
    const n = slots.length;
    const net = this.network;
    const lat = this.latencies();
    for (const s of slots) { s.listens = false; s.loopLinked = false; s.remoteLinked = false; }
    for (const l of net.listeners.values()) {
      const s = this.slotOfPid(l.pid);
      if (s) s.listens = true;
    }
    for (const c of net.connections.values()) {
      const a = this.slotOfPid(c.client.pid);
      const b = c.server.pid ? this.slotOfPid(c.server.pid) : null;
      const same = c.client.host === c.server.host;
      if (a) { if (same) a.loopLinked = true; else a.remoteLinked = true; }
      if (b) { if (same) b.loopLinked = true; else b.remoteLinked = true; }
    }
    const relays = this.relayHosts();
    const w = new Float64Array(n * n);
    const out = new Float64Array(n).fill(Infinity);
    const inn = new Float64Array(n).fill(Infinity);
    for (let x = 0; x < n; x++) {
      for (let r = 0; r < n; r++) {
        let v = x === r ? Infinity : this.edge(slots[x], slots[r], lat);
        if (relays && x !== r) v = Math.min(v, this.relayEdge(slots[x], slots[r], lat, relays));
        w[x * n + r] = v;
        if (v < out[x]) out[x] = v;
        if (v < inn[r]) inn[r] = v;
      }
    }
    this.edges = w;
    this.edgeOut = out;
    this.edgeIn = inn;
    this.edgesFor = slots;
    this.edgesTopology = net.topology;
    this.edgesLat = lat;
  }

  /** The smallest delay of anything slot x does reaching slot r directly (Infinity: never). */
  private edge(x: Slot, r: Slot, lat: number[][]): number {
    if (x.host === r.host) {
      return x.listens || r.listens || x.pipes || r.pipes || x.loopLinked || r.loopLinked ? MIN_LATENCY_MS : Infinity;
    }
    return r.listens || r.remoteLinked ? lat[this.hostIndex.get(x.host)!][this.hostIndex.get(r.host)!] : Infinity;
  }

  /**
   * Hosts where a kernel-side process holds a connection (nc, ssh, scp, an sshd session), with
   * the shortest delays between them through one another; null when there are none. Those
   * processes relay bytes at once: what a slot sends them may go on over the network or into
   * a pipe to another slot in the same instant, a path `edge` does not see.
   */
  private relayHosts(): { hosts: number[]; dist: number[][] } | null {
    const lat = this.latencies();
    const set = new Set<number>();
    for (const c of this.network.connections.values()) {
      for (const e of [c.client, c.server]) {
        if (e.pid === 0) continue;
        const p = this.procs.get(e.pid);
        if (p && p.slot === null) set.add(this.hostIndex.get(e.host)!);
      }
    }
    if (set.size === 0) return null;
    const hosts = [...set].sort((a, b) => a - b);
    const dist = hosts.map((a) => hosts.map((b) => (a === b ? 0 : lat[a][b])));
    for (let k = 0; k < hosts.length; k++) {
      for (let i = 0; i < hosts.length; i++) {
        for (let j = 0; j < hosts.length; j++) if (dist[i][k] + dist[k][j] < dist[i][j]) dist[i][j] = dist[i][k] + dist[k][j];
      }
    }
    return { hosts, dist };
  }

  /**
   * The smallest delay of slot x reaching slot r through kernel-side relays (relayHosts): into a
   * relay (at once from a pipe or a loopback socket on its host, a link's latency from another
   * host when x holds a connection), between relays, and out (MIN_LATENCY_MS into a pipe or a
   * loopback socket on its host, a link's latency to a slot elsewhere that listens or holds a
   * connection).
   */
  private relayEdge(x: Slot, r: Slot, lat: number[][], relays: { hosts: number[]; dist: number[][] }): number {
    const xi = this.hostIndex.get(x.host)!;
    const ri = this.hostIndex.get(r.host)!;
    let best = Infinity;
    for (let i = 0; i < relays.hosts.length; i++) {
      const h1 = relays.hosts[i];
      const into = h1 === xi ? (x.pipes || x.loopLinked ? 0 : Infinity) : x.remoteLinked ? lat[xi][h1] : Infinity;
      if (into === Infinity) continue;
      for (let j = 0; j < relays.hosts.length; j++) {
        const h2 = relays.hosts[j];
        const outOf = h2 === ri ? (r.pipes || r.loopLinked || r.listens ? MIN_LATENCY_MS : Infinity) : r.remoteLinked || r.listens ? lat[h2][ri] : Infinity;
        const v = into + relays.dist[i][j] + outOf;
        if (v < best) best = v;
      }
    }
    return best;
  }

  private latencies(): number[][] {
    if (this.latVersion === this.network.version) return this.latMatrix;
    const hosts = [...this.hosts.values()];
    this.latMatrix = hosts.map((a) => hosts.map((b) => Math.max(MIN_LATENCY_MS, this.network.link(a, b).latencyMs)));
    this.latVersion = this.network.version;
    return this.latMatrix;
  }

  private slotOfPid(pid: number): Slot | null {
    const p = this.procs.get(pid);
    return p && p.slot !== null ? this.slots.get(p.slot) ?? null : null;
  }

  /** Apply internal events, delivery records and effects before `end`, in the fixed order. */
  private merge(end: number): void {
    this.mergeEnd = end;
    this.merging = true;
    const round: Effect[] = [];
    for (const s of this.slotList) {
      const q = s.effects;
      let i = s.effectsAt;
      while (i < q.length && q[i].t < end) round.push(q[i++]);
      s.effectsAt = i;
      if (i >= q.length && q.length > 0) { s.effects = []; s.effectsAt = 0; }
    }
    sortEffects(round);
    let ri = 0;
    for (;;) {
      const lim = this.mergeEnd;
      const i = this.internal.peek();
      const rr = this.recvRecords.peek();
      const e = ri < round.length ? round[ri] : undefined;
      const it = i && i.t < lim ? i.t : Infinity;
      const rt = rr && rr.t < lim ? rr.t : Infinity;
      const et = e && e.t < lim ? e.t : Infinity;
      if (it === Infinity && rt === Infinity && et === Infinity) break;
      if (it <= rt && it <= et) {
        this.internal.pop();
        if (i!.t > this.now) this.now = i!.t;
        this.currentSlot = null;
        this.stats.internal++;
        i!.run();
      } else if (rt <= et) {
        this.recvRecords.pop();
        const r = rr!;
        if (r.t >= r.p.deathT) continue;
        if (r.detail === null) this.trace.addPayload(r.t, r.p.host.name, r.p.pid, r.kind, r.sid, r.bytes, r.hash);
        else this.trace.add(r.t, r.p.host.name, r.p.pid, r.kind, r.detail);
      } else {
        ri++;
        this.stats.effects++;
        this.applyEffect(e!);
      }
    }
    this.currentSlot = null;
    this.merging = false;
    // The pids threads took (Os.startThread) are given back to their runners' reserves after
    // the threads' own, so the threads a process starts at once have the pids after its own.
    if (this.pidsSpent.size > 0) {
      for (const slot of this.pidsSpent) {
        if (!this.slots.has(slot.id)) continue;
        for (; slot.pidsHeld < slot.reserve; slot.pidsHeld++) slot.freshPids.push(this.allocPid());
      }
      this.pidsSpent.clear();
    }
    // A program started during the merge moved its end: what is left waits in its slot.
    if (ri < round.length) {
      const left = new Map<Slot, Effect[]>();
      for (; ri < round.length; ri++) {
        const e = round[ri];
        const s = this.slotOfPid(e.pid);
        if (!s) continue;
        let l = left.get(s);
        if (!l) { l = []; left.set(s, l); }
        l.push(e);
      }
      for (const [s, l] of left) this.queueEffects(s, l);
    }
  }

  /** The runtime handle of a slot (control calls: line editing, inspection). */
  runnerHandle(slot: number): RunnerHandle | null { return this.slots.get(slot)?.handle ?? null; }

  /** Release every runner (the world is being discarded or rewound). */
  retireAll(): void {
    for (const s of this.slots.values()) {
      s.handle?.release();
      s.shadowHandle?.release();
    }
    this.shadow?.dispose();
    this.shadow = null;
    this.slots.clear();
    this.slotList = [];
  }

  /** Declare that nothing happens before `t` (time passes with an empty queue). */
  idleUntil(t: number): void {
    if (t > this.frontier && this.nextTime() >= t) {
      this.frontier = t;
      this.now = t;
      for (const s of this.slotList) if (s.horizon < t) s.horizon = t;
    }
  }

  // ---- processes --------------------------------------------------------------------------

  private newRecord(req: { host: Host; kind: ProcKind; title: string; argv: string[]; program: string; cwd: string; ppid: number; stdin: Source; stdout: Sink; stderr: Sink; tty: Terminal | null; background?: boolean; ignoredSignals?: ReadonlySet<string> }, pid = this.allocPid()): ProcRecord {
    const r = req.host.rng;
    const parent = req.ppid > 1 ? this.procs.get(req.ppid) : undefined;
    const rec: ProcRecord = {
      pid, ppid: req.ppid, pgid: parent?.pgid ?? pid, sid: parent?.sid ?? pid, host: req.host, kind: req.kind, title: req.title, argv: req.argv, program: req.program,
      cwd: req.cwd, umask: this.procs.get(req.ppid)?.umask ?? DEFAULT_UMASK, user: 'root', startT: this.now, deathT: Infinity, state: 'running', exitCode: null, exitSignal: null,
      cpuUserMs: 0, cpuSysMs: 0, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr, tty: req.tty, slot: null, files: new Map(),
      waiters: [], rssKb: 2000 + r.int(3000), vszKb: 8000 + r.int(8000), background: !!req.background,
    };
    if (req.kind === 'program') { rec.rssKb = 7000 + r.int(3000); rec.vszKb = 50000 + r.int(20000); }
    if (req.ignoredSignals && req.ignoredSignals.size > 0) rec.ignoredSignals = new Set(req.ignoredSignals);
    this.procs.set(pid, rec);
    this.attachSink(rec.stdout);
    this.attachSink(rec.stderr);
    return rec;
  }

  private attachSink(s: Sink): void { if (s.kind === 'pipe') s.pipe.addWriter(); }
  private detachSink(s: Sink): void { if (s.kind === 'pipe') s.pipe.closeWriter(); }

  /** Start a program in a new runtime slot; it begins running one latency later. */
  spawn(req: SpawnRequest): ProcRecord {
    const rec = this.newRecord({ ...req, kind: 'program', title: req.title ?? req.argv.join(' '), program: req.program });
    this.record('spawn', req.host.name, rec.pid, req.argv.join(' '));
    this.startProgram(rec, req);
    return rec;
  }

  /**
   * execve() by a kernel-side process (a shell's `exec CMD`, the last command of `bash -c`):
   * the process keeps its pid, parent, group, session, terminal, start time and ignored
   * signals, and takes the command's argv and the standard streams given (the shell's, with
   * the command's redirections). A program gets a runtime slot of its own; without one, the
   * caller's task goes on in the process, as the command the kernel runs. The shell's signal
   * handling (its traps) goes with its image.
   */
  exec(p: ProcRecord, req: Pick<SpawnRequest, 'argv' | 'stdin' | 'stdout' | 'stderr'> & { program?: string; env?: Record<string, string> }): void {
    if (p.slot !== null || p.state !== 'running') throw new Error(`exec: pid ${p.pid} is not a kernel-side process`);
    this.attachSink(req.stdout);
    this.attachSink(req.stderr);
    this.detachSink(p.stdout);
    this.detachSink(p.stderr);
    Object.assign(p, { argv: req.argv, title: req.argv.join(' '), program: req.program ?? req.argv[0] ?? '', stdin: req.stdin, stdout: req.stdout, stderr: req.stderr });
    p.catchSignal = undefined;
    this.record('exec', p.host.name, p.pid, req.argv.join(' '));
    if (req.program === undefined) {
      p.kind = 'builtin';
      return;
    }
    p.kind = 'program';
    // The program's task is its runner's: the shell's cancellation goes too.
    p.cancel = p.raise = undefined;
    const r = p.host.rng;
    p.rssKb = 7000 + r.int(3000);
    p.vszKb = 50000 + r.int(20000);
    this.startProgram(p, { program: req.program, argv: req.argv, env: req.env ?? {}, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr, host: p.host, cwd: p.cwd, ppid: p.ppid, tty: p.tty });
  }

  /** Give `rec` a runtime slot of its own and start `req.program` there, one latency from now. */
  private startProgram(rec: ProcRecord, req: SpawnRequest): void {
    const pipes = req.stdin.kind === 'pipe' || req.stdout.kind === 'pipe' || req.stderr.kind === 'pipe';
    const slot: Slot = {
      id: ++this.nextSlot, host: req.host, handle: null, shadowHandle: null, wake: Infinity, loudWake: Infinity, quietReads: new Set(), horizon: this.now, pids: new Set([rec.pid]), spawn: [], kill: [],
      freshPids: [this.allocPid(), this.allocPid()], pidsHeld: 2, reserve: 2, meta: new Map(), deliveries: new Heap<Delivery>(deliveryLess), effects: [], effectsAt: 0,
      pipes, listens: false, loopLinked: false, remoteLinked: false, source: Infinity, end: Infinity, batch: null,
    };
    this.slots.set(slot.id, slot);
    this.slotList = [...this.slotList, slot];
    // Its first item is one latency from now: the merge in progress must not go past it.
    if (this.merging && this.now + MIN_LATENCY_MS < this.mergeEnd) this.mergeEnd = this.now + MIN_LATENCY_MS;
    rec.slot = slot.id;
    slot.spawn.push({
      pid: rec.pid,
      info: {
        pid: rec.pid, ppid: rec.ppid, program: req.program, title: rec.title, argv: req.argv, env: req.env, cwd: req.cwd,
        hostname: req.host.name, addresses: req.host.addresses, hostTable: this.hostTable(), worldSeed: this.seed, tzOffsetMinutes: req.host.tzOffsetMinutes,
        disk: req.host.disk.profile, clockSyscall: clockReadIsSyscall(req.host.clocksource), stdinTty: req.stdin.kind === 'tty', pipes, columns: req.tty?.columns,
        ignoredSignals: rec.ignoredSignals ? [...rec.ignoredSignals] : undefined,
      },
    });
    this.deliver({ t: this.now + MIN_LATENCY_MS, pid: rec.pid, k: 'start' });
  }

  /** A kernel-side process (shell, builtin, cron): a pid and a ps line, no runtime. */
  kernelProcess(req: { host: Host; kind: ProcKind; title: string; argv: string[]; cwd: string; ppid: number; stdin: Source; stdout: Sink; stderr: Sink; tty: Terminal | null; background?: boolean; ignoredSignals?: ReadonlySet<string> }, pid?: number): ProcRecord {
    return this.newRecord({ ...req, program: req.argv[0] ?? req.title }, pid);
  }

  /** Run a kernel task as (or on behalf of) process `rec`, ending it when the task ends. */
  runTask<T>(rec: ProcRecord | null, gen: TaskGen<T>, onDone?: (r: T | undefined, error: unknown) => void): Task<T> {
    const task = new Task(this, gen);
    if (rec) {
      rec.cancel = () => task.cancel();
      rec.raise = (error) => task.raise(error);
    }
    task.then((r, err) => {
      if (err) {
        const msg = (err as Error)?.message ?? String(err);
        if (rec) this.writeSink(rec.stderr, `${rec.argv[0] ?? 'sh'}: ${msg}\n`, rec);
      }
      onDone?.(r, err);
    });
    return task.start();
  }

  /** End a process: exit, a signal that killed it, or its host losing power. */
  endProcess(p: ProcRecord, code: number, signal: string | null, how: 'exit' | 'kill' | 'power'): void {
    if (p.state !== 'running') return;
    p.state = 'exited';
    p.deathT = this.now;
    p.exitCode = code;
    p.exitSignal = signal;
    this.record('exit', p.host.name, p.pid, signal ? `${code} ${signal}` : String(code));
    if (how !== 'power') this.network.processGone(p.pid);
    if (p.slot === null) this.kernelSockets.processGone(p.pid);
    this.detachSink(p.stdout);
    this.detachSink(p.stderr);
    this.releaseStdin(p);
    p.tty?.cancelReader(p.pid);
    p.tty?.foreground.delete(p.pid);
    if (p.slot !== null) {
      const slot = this.slots.get(p.slot);
      if (slot) {
        slot.pids.delete(p.pid);
        if (how !== 'exit') slot.kill.push(p.pid);
      }
    }
    if (how !== 'exit' && p.cancel) p.cancel(signal ?? 'SIGKILL');
    const parent = this.procs.get(p.ppid);
    if (p.forked && parent && parent.state === 'running' && parent.slot !== null) {
      this.deliver({ t: this.now + MIN_LATENCY_MS, pid: parent.pid, k: 'child', child: p.pid, code, signal });
    }
    for (const q of this.procs.values()) if (q.ppid === p.pid && q.state === 'running') q.ppid = 1;
    for (const w of p.waiters.splice(0)) w(code, signal);
    // Its threads end with it.
    for (const th of p.threads ?? []) this.threadOwners.delete(th.tid);
    // Keep the table small: exited processes are forgotten (no zombies to reap here).
    this.procs.delete(p.pid);
    this.exited.push(p);
    if (this.exited.length > 200) this.exited.splice(0, this.exited.length - 200);
  }

  /** The process stops reading its standard input (it ended or moved it to /dev/null). */
  private releaseStdin(p: ProcRecord): void {
    if (p.stdin.kind !== 'pipe') return;
    // The read end closes when its last reader goes: writers would then get SIGPIPE.
    const stillReading = [...this.procs.values()].some((q) => q !== p && q.state === 'running' && q.stdin === p.stdin);
    if (!stillReading) p.stdin.pipe.closeReader();
  }

  /**
   * daemonize() in server.c: fork, the parent exits 0, the child starts a new session and points
   * its standard streams at /dev/null. The simulation keeps the pid (the child is the same
   * process record): whoever waited for the parent, usually the shell, resumes as if it had
   * exited 0, the terminal is left alone, and the process runs on under init.
   */
  private daemonize(p: ProcRecord, t: number): void {
    if (p.detached) return;
    this.trace.add(t, p.host.name, p.pid, 'daemonize', p.title);
    this.detachSink(p.stdout);
    this.detachSink(p.stderr);
    this.releaseStdin(p);
    p.tty?.cancelReader(p.pid);
    p.tty?.foreground.delete(p.pid);
    p.stdin = { kind: 'null' };
    p.stdout = { kind: 'null' };
    p.stderr = { kind: 'null' };
    p.tty = null;
    p.ppid = 1;
    // setsid(): a session and a process group of its own.
    p.sid = p.pid;
    p.pgid = p.pid;
    p.background = true;
    p.detached = true;
    for (const w of p.waiters.splice(0)) w(0, null);
  }

  /** Recently exited processes (inspection, `wait`). */
  readonly exited: ProcRecord[] = [];

  /** kill(2). Returns false when there is no such process. */
  signal(pid: number, sig: string): boolean {
    // A thread's id names its thread group: the signal goes to the process (kill(2), not tgkill).
    const p = this.procs.get(pid) ?? this.threadOwners.get(pid);
    if (!p || p.state !== 'running') return false;
    pid = p.pid;
    this.record('signal', p.host.name, pid, sig);
    const info = signalInfo(sig);
    if (!info) return true;
    const catchable = sig !== 'SIGKILL' && sig !== 'SIGSTOP';
    // SIG_IGN (inherited from a shell): a program may have replaced it with a handler of its
    // own, which its runtime knows; SIGCONT resumes a stopped process even when ignored.
    const ignored = catchable && p.ignoredSignals?.has(sig) === true;
    if (ignored && (p.slot === null || info.action === 'stop')) return true;
    // A shell's traps and its own dispositions.
    if (p.slot === null && catchable && p.catchSignal?.(sig)) return true;
    // Ignored unless caught (a shell's trap, above; none of our programs catches them).
    if (info.action === 'ignore') return true;
    if (info.action === 'stop' || info.action === 'continue') {
      // Job control of the processes whose code we run (the runner holds a stopped process's
      // events until SIGCONT; the stop signals stop alike, none of our programs catching
      // SIGTSTP, SIGTTIN or SIGTTOU); the kernel's own shells and tools are not stopped.
      if (p.slot === null) return true;
      const stop = info.action === 'stop';
      const wasStopped = p.stopped === true;
      p.stopped = stop;
      this.deliver({ t: this.now + MIN_LATENCY_MS, pid, k: 'signal', signal: stop ? 'SIGSTOP' : 'SIGCONT' });
      if (wasStopped && !stop) this.network.resumed(pid);
      return true;
    }
    if (p.slot === null) {
      // Kernel-side processes: init and the system's services (cron) take only SIGKILL; a
      // shell's signals that it did not catch take their default action.
      if (p.kind === 'system' && (sig !== 'SIGKILL' || p.pid === 1)) return true;
      this.endProcess(p, 128 + info.number, sig, 'kill');
      return true;
    }
    if (sig === 'SIGKILL') {
      this.endProcess(p, 128 + 9, 'SIGKILL', 'kill');
      return true;
    }
    this.deliver({ t: this.now + MIN_LATENCY_MS, pid, k: 'signal', signal: sig });
    return true;
  }

  processesOn(host: Host): ProcRecord[] {
    return [...this.procs.values()].filter((p) => p.host === host).sort((a, b) => a.pid - b.pid);
  }

  // ---- hosts ------------------------------------------------------------------------------

  /** Pull the plug: processes stop, peers hear nothing, the page cache is lost. */
  powerOff(host: Host, opts: { tearProbability?: number } = {}): void {
    if (!host.up) return;
    this.record('power-off', host.name, 0, '');
    host.up = false;
    for (const p of this.processesOn(host)) this.endProcess(p, 128 + 9, 'SIGKILL', 'power');
    this.network.hostDown(host);
    // iptables rules live in kernel memory: a machine boots with none (nothing here runs iptables-restore).
    host.firewall.flush();
    host.disk.powerLoss(opts.tearProbability ?? host.tornWriteProbability, this.rng(`tear:${host.name}`));
    this.writebackAt.delete(host);
    this.onHostDown?.(host);
  }

  powerOn(host: Host): void {
    if (host.up) return;
    host.up = true;
    host.bootId++;
    host.bootedAt = this.now;
    for (const [, f] of host.disk.files()) f.cached = false;
    this.record('power-on', host.name, 0, '');
    this.onBoot?.(host);
  }

  // ---- output -----------------------------------------------------------------------------

  /**
   * write(2) of `bytes` to an open file: into the page cache, or to the kernel when it is a /proc
   * or /sys file (kernel/pseudo-files.ts), which may refuse it. Returns the errno, or null. A
   * write of nothing is no write (it would change the file's mtime).
   */
  writeInode(host: Host, inode: Inode, path: string | null, bytes: Uint8Array): string | null {
    if (bytes.length === 0) return null;
    if (inode.pseudo || inode.procfs) return inode.pseudo?.write ? inode.pseudo.write(bytes, this.now) : 'EIO';
    host.disk.append(inode, path, bytes, this.now);
    this.dirtied(host);
    return null;
  }

  /**
   * Output to a sink. False when nobody reads it any more (a pipe's reader is gone: SIGPIPE for
   * the writer). A write to a file the kernel refuses sets `from.writeError` (the command says
   * `write error: Invalid argument`).
   */
  writeSink(s: Sink, text: string, from?: ProcRecord): boolean {
    switch (s.kind) {
      case 'tty': s.term.write(text); return true;
      case 'pipe': return s.pipe.write(text);
      case 'buffer': s.chunks.push(text); return true;
      case 'file': {
        if (!s.host.up) return false;
        const err = this.writeInode(s.host, s.inode, s.path, latin1Bytes(text));
        if (err !== null && from) from.writeError = err;
        return true;
      }
      case 'sysrq':
        for (const key of text) if (key !== '\n') s.trigger(key);
        return true;
      case 'null': return true;
    }
    void from;
  }

  // ---- effects ----------------------------------------------------------------------------

  private applyEffect(e: Effect): void {
    const p = this.procs.get(e.pid);
    if (!p || e.t >= p.deathT) return;
    this.now = Math.max(this.now, e.t);
    this.currentSlot = p.slot !== null ? this.slots.get(p.slot) ?? null : null;
    const host = p.host;
    const disk = host.disk;
    const trace = this.trace;
    switch (e.k) {
      case 'out':
        trace.add(e.t, host.name, p.pid, e.fd === 1 ? 'stdout' : 'stderr', clip(e.text));
        if (!this.writeSink(e.fd === 1 ? p.stdout : p.stderr, e.text, p) && e.fd === 1) {
          this.signal(p.pid, 'SIGPIPE');
        }
        return;
      case 'exit':
        this.endProcess(p, e.code, e.signal, 'exit');
        return;
      case 'title':
        p.title = e.title;
        trace.add(e.t, host.name, p.pid, 'title', e.title);
        return;
      case 'daemonize':
        this.daemonize(p, e.t);
        return;
      case 'timer':
        trace.add(e.t, host.name, p.pid, 'timer', '');
        return;
      case 'busy':
        trace.add(e.t, host.name, p.pid, 'busy', String(e.ms));
        return;
      case 'listen':
        this.network.listen(p.pid, e.req, e.port, e.bind, e.backlog);
        if (p.kind === 'program' && p.title === p.argv.join(' ') && (p.program === 'redis-server' || p.program === 'redis-sentinel')) {
          // Redis's default proc-title-template "{title} {listen-addr} {server-mode}".
          const first = e.bind.find((b) => !b.startsWith('-')) ?? e.bind[0] ?? '*';
          const sentinel = p.program === 'redis-sentinel' || p.argv.includes('--sentinel');
          p.title = `${p.argv[0]} ${first}:${e.port}${sentinel ? ' [sentinel]' : ''}`;
        }
        return;
      case 'unlisten':
        this.network.unlisten(p.pid, e.lid);
        return;
      case 'connect':
        this.network.connect(p.pid, e.sid, e.host, e.port, e.bindAddress);
        return;
      case 'write':
        trace.addPayload(e.t, host.name, p.pid, 'send', e.sid, e.bytes.length, payloadHash(e.bytes));
        this.network.write(p.pid, e.sid, e.bytes);
        return;
      case 'end':
      case 'destroy':
        this.network.close(p.pid, e.sid);
        return;
      case 'pauseReads':
        this.network.pauseReads(p.pid, e.sid, e.paused);
        return;
      case 'writeFile': {
        const err = disk.writeFile(e.path, e.bytes, e.t, e.fsync, false, createdMode(e.createMode, p.umask));
        if (!err && e.fchmod !== undefined) disk.chmod(e.path, e.fchmod & 0o7777);
        trace.add(e.t, host.name, p.pid, 'write-file', `${e.path} ${e.bytes.length}B${e.fsync ? ' fsync' : ''}${err ? ' ' + err : ''}`);
        if (!err && !e.fsync) this.dirtied(host);
        return;
      }
      case 'open': {
        const f = disk.create(e.path, e.mode === 'write', e.t, false, createdMode(e.createMode, p.umask));
        p.files.set(e.fid, typeof f === 'string' ? null : { inode: f, path: e.path });
        trace.add(e.t, host.name, p.pid, 'open', `${e.path} ${e.mode}${typeof f === 'string' ? ' ' + f : ''}`);
        return;
      }
      case 'fwrite': {
        const f = p.files.get(e.fid);
        if (!f) return;
        disk.append(f.inode, f.path, e.bytes, e.t);
        trace.add(e.t, host.name, p.pid, 'fwrite', `${f.path} +${e.bytes.length}B`);
        this.dirtied(host);
        return;
      }
      case 'fsync': {
        const f = p.files.get(e.fid);
        if (!f) return;
        f.inode.sync();
        trace.add(e.t, host.name, p.pid, 'fsync', f.path);
        return;
      }
      case 'bgfsync': {
        const f = p.files.get(e.fid);
        const cost = f ? disk.fsyncCostMs(f.inode) : 0;
        if (f) {
          const inode = f.inode;
          const size = inode.len;
          this.at(e.t + cost, () => {
            if (!host.up) return;
            inode.syncPrefix(size);
            this.record('fsync', host.name, p.pid, `${f.path} (background)`);
          });
        }
        this.deliver({ t: e.t + Math.max(cost, MIN_LATENCY_MS), pid: p.pid, k: 'fsynced', req: e.req });
        return;
      }
      case 'ftruncate': {
        const f = p.files.get(e.fid);
        if (!f) return;
        disk.truncate(f.inode, f.path, e.size, e.t);
        trace.add(e.t, host.name, p.pid, 'truncate', `${f.path} ${e.size}`);
        this.dirtied(host);
        return;
      }
      case 'fclose':
        p.files.delete(e.fid);
        return;
      case 'rename': {
        const err = disk.rename(e.from, e.to, e.t);
        trace.add(e.t, host.name, p.pid, 'rename', `${e.from} ${e.to}${err ? ' ' + err : ''}`);
        return;
      }
      case 'unlink': {
        const err = disk.unlink(e.path);
        trace.add(e.t, host.name, p.pid, 'unlink', `${e.path}${err ? ' ' + err : ''}`);
        return;
      }
      case 'mkdir': {
        const err = disk.mkdir(e.path, e.recursive, e.t, createdMode(e.createMode, p.umask));
        trace.add(e.t, host.name, p.pid, 'mkdir', `${e.path}${err ? ' ' + err : ''}`);
        return;
      }
      case 'rmdir': {
        const err = disk.rmdir(e.path);
        trace.add(e.t, host.name, p.pid, 'rmdir', `${e.path}${err ? ' ' + err : ''}`);
        return;
      }
      case 'readFile': {
        const f = disk.lookup(e.path);
        if (!f || f.isDir) {
          const code = f ? 'EISDIR' : 'ENOENT';
          this.deliver({ t: e.t + MIN_LATENCY_MS, pid: p.pid, k: 'read', req: e.req, bytes: null, code, message: code === 'ENOENT' ? 'No such file or directory' : 'Is a directory' });
          trace.add(e.t, host.name, p.pid, 'read', `${e.path} ${code}`);
          return;
        }
        const cost = disk.readCostMs(f);
        f.cached = true;
        const bytes = f.bytes().slice();
        trace.add(e.t, host.name, p.pid, 'read', `${e.path} ${bytes.length}B`);
        this.deliver({ t: e.t + Math.max(cost, MIN_LATENCY_MS), pid: p.pid, k: 'read', req: e.req, bytes, code: null, message: '' });
        return;
      }
      case 'fork': {
        const child = this.newRecord({
          host, kind: 'child', title: e.name, argv: [e.name], program: e.name, cwd: p.cwd, ppid: p.pid,
          stdin: { kind: 'null' }, stdout: p.stdout, stderr: p.stderr, tty: null,
        }, e.child);
        child.slot = p.slot;
        child.forked = true;
        // fork() copies the comm; Redis's child only retitles itself (redisSetProcTitle with its
        // proc-title-template, "{title} {listen-addr} {server-mode}": its name in {title}).
        child.comm = p.comm ?? basename(p.argv[0] ?? p.title).slice(0, 15);
        const redis = p.program === 'redis-server' || p.program === 'redis-sentinel';
        if (redis && e.name.startsWith('redis-') && p.argv[0] !== undefined && p.title.startsWith(`${p.argv[0]} `)) {
          child.title = `${e.name}${p.title.slice(p.argv[0].length)}`;
        }
        child.rssKb = p.rssKb;
        child.vszKb = p.vszKb;
        const slot = this.currentSlot;
        if (slot) {
          slot.pids.add(child.pid);
          slot.pidsHeld--;
          slot.reserve = FORKING_PID_RESERVE;
          for (; slot.pidsHeld < slot.reserve; slot.pidsHeld++) slot.freshPids.push(this.allocPid());
        }
        trace.add(e.t, host.name, p.pid, 'fork', `${e.child} ${e.name}`);
        return;
      }
      case 'thread': {
        // Its id: the pid the runner gave it, else the next one (as the kernel would have).
        const tid = e.tid !== 0 ? e.tid : this.allocPid();
        const slot = this.currentSlot;
        if (e.tid !== 0 && slot) {
          slot.pidsHeld--;
          this.pidsSpent.add(slot);
        }
        (p.threads ??= []).push({ tid, comm: e.name.slice(0, 15), startT: e.t, n: e.n });
        this.threadOwners.set(tid, p);
        trace.add(e.t, host.name, p.pid, 'thread', `${tid} ${e.name}`);
        return;
      }
      case 'threadEnd': {
        const i = p.threads?.findIndex((x) => x.n === e.n) ?? -1;
        if (i < 0) return;
        const [th] = p.threads!.splice(i, 1);
        this.threadOwners.delete(th.tid);
        trace.add(e.t, host.name, p.pid, 'thread-exit', `${th.tid} ${th.comm}`);
        return;
      }
      case 'exec': {
        const start = this.onExec?.(p, e.argv, e.env) ?? 'ENOEXEC';
        if (typeof start === 'string') {
          trace.add(e.t, host.name, p.pid, 'exec', `${e.argv[0]} ${start}`);
          this.deliver({ t: e.t + MIN_LATENCY_MS, pid: p.pid, k: 'execFailed', req: e.req, code: start });
          return;
        }
        trace.add(e.t, host.name, p.pid, 'exec', e.argv.join(' '));
        // The process leaves its runner (its code there stops); what it became runs here.
        const slot = this.currentSlot;
        if (slot) {
          slot.pids.delete(p.pid);
          slot.kill.push(p.pid);
        }
        p.slot = null;
        start();
        return;
      }
      case 'kill': {
        const target = this.procs.get(e.target);
        if (target && target.host === host) this.signal(target.pid, e.signal);
        return;
      }
      case 'stdin':
        this.serveStdin(p, e.req);
        return;
      case 'readline': {
        const term = p.stdin.kind === 'tty' ? p.stdin.term : null;
        if (!term) { this.deliver({ t: e.t + MIN_LATENCY_MS, pid: p.pid, k: 'stdin', req: e.req, chunk: null }); return; }
        term.requestLine({
          pid: p.pid, prompt: e.prompt, mask: e.mask, raw: true,
          resume: (line) => this.deliver({ t: this.now + MIN_LATENCY_MS, pid: p.pid, k: 'stdin', req: e.req, chunk: line }),
        });
        return;
      }
    }
  }

  private serveStdin(p: ProcRecord, req: number): void {
    const reply = (chunk: string | null) => {
      if (p.state !== 'running') return;
      this.deliver({ t: this.now + MIN_LATENCY_MS, pid: p.pid, k: 'stdin', req, chunk });
    };
    const src = p.stdin;
    switch (src.kind) {
      case 'null': reply(null); return;
      case 'text': { const t = src.text; src.text = null; reply(t); return; }
      case 'pipe': src.pipe.read((c) => this.soon(() => reply(c))); return;
      case 'tty': src.term.requestLine({ pid: p.pid, prompt: '', mask: false, resume: (line) => reply(line === null ? null : line + '\n') }); return;
    }
  }

  // ---- disks ------------------------------------------------------------------------------

  private metaChanged(host: Host, d: MetaDelta): void {
    for (const s of this.slots.values()) {
      if (s.host !== host || s === this.currentSlot) continue;
      s.meta.delete(d[0]);
      s.meta.set(d[0], d[1]);
    }
  }

  /** Data became dirty on `host`: make sure the writeback flusher will visit. */
  dirtied(host: Host): void {
    if (this.writebackAt.has(host)) return;
    const oldest = host.disk.oldestDirty();
    if (oldest === null) return;
    const due = oldest + DIRTY_EXPIRE_MS;
    const k = Math.ceil((due - host.bootedAt) / WRITEBACK_INTERVAL_MS);
    const tick = host.bootedAt + Math.max(1, k) * WRITEBACK_INTERVAL_MS;
    this.writebackAt.set(host, tick);
    const bootId = host.bootId;
    this.at(tick, () => {
      if (this.writebackAt.get(host) !== tick || host.bootId !== bootId || !host.up) return;
      this.writebackAt.delete(host);
      const n = host.disk.flushExpired(this.now);
      if (n > 0) this.record('writeback', host.name, 0, `${n} files`);
      this.dirtied(host);
    });
  }

  // ---- pipes ------------------------------------------------------------------------------

  newPipe(): Pipe { return new Pipe(); }
}

/** An empty list shared by batches (runners only read these). */
const NONE: never[] = [];

function deliveryDetail(d: Delivery): string {
  switch (d.k) {
    case 'accept': return `${d.sid} ${d.remoteAddress}:${d.remotePort}`;
    case 'connected': return `${d.sid} ${d.localAddress}:${d.localPort}`;
    case 'closed': return `${d.sid} ${d.code ?? 'eof'}`;
    case 'sendq': return `${d.sid} ${d.heldBytes}B`;
    case 'listened': return `${d.req} ${d.code ?? 'ok'}`;
    case 'read': return `${d.req} ${d.code ?? (d.bytes?.length ?? 0) + 'B'}`;
    case 'child': return `${d.child} ${d.code} ${d.signal ?? ''}`;
    case 'signal': return d.signal;
    case 'stdin': return `${d.req} ${d.chunk === null ? 'eof' : d.chunk.length + 'B'}`;
    case 'fsynced': return String(d.req);
    default: return '';
  }
}

function clip(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}…(${s.length})` : s;
}

export function utf8(s: string): Uint8Array { return new TextEncoder().encode(s); }

export function latin1Bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

export function bytesToLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
