/**
 * The kernel and conductor: one discrete-event simulation of hosts, disks, network and
 * processes on a virtual clock.
 *
 * Three queues:
 *   - deliveries: events for processes (a connection accepted, bytes arrived, a read done...);
 *   - internal: the kernel's own events (retransmissions, writeback, shell steps, inputs...);
 *   - effects: what processes did, waiting to be applied in time order.
 *
 * The conductor (`step`) repeats one window at a time:
 *   1. T = the earliest pending time over the three queues and every runner's next wake-up
 *      (its timers, its deferred events). The window is [T, T + MIN_LATENCY_MS). Idle time is
 *      skipped: the next window starts at the next thing that happens.
 *   2. Every delivery due before the window's end goes into its runner's batch (one batch
 *      per runner, together with new processes, SIGKILLed pids, fresh pids for fork, and the
 *      metadata of the host's files that changed since the runner's last batch).
 *   3. Each runner runs its batch (the inline runtime one after another on this thread, the
 *      worker runtime all at once in parallel) and answers with effects.
 *   4. The effects and the kernel's internal events due before the window's end are applied
 *      in one fixed order: time, then kernel before processes, then pid, then the process's
 *      own sequence. Effects stamped after the window's end (a process that was busy) wait in
 *      the effects queue for their own window.
 *   5. Anything the kernel decides at time t reaches a process at t + MIN_LATENCY_MS or later,
 *      hence in a later window, never in the one already run.
 *
 * Nothing here depends on how long a runner took or in which order runners finished, so the
 * same seed and the same inputs give the same trace in every runtime.
 */
import type { Batch, BatchResult, Delivery, Effect, MetaDelta, MetaStat, SpawnInfo, DiskProfile } from '../protocol';
import { DISK_PRESETS, MIN_LATENCY_MS } from '../protocol';
import type { Runtime, RunnerHandle } from '../runtime/runtime';
import { Heap } from './heap';
import { Host, type HostSpec } from './host';
import { Network, type LinkParams, type NetKernel } from './network';
import { Rng } from './rng';
import { Trace } from './trace';
import { fnv32 } from './hash';
import { Pipe, type ProcKind, type ProcRecord, type Sink, type Source, type Terminal } from './process';
import { Task, type TaskGen, type TaskScheduler } from './tasks';
import { DIRTY_EXPIRE_MS, WRITEBACK_INTERVAL_MS } from './disk';
import { dirname } from '../runtime/paths';

export interface KernelOptions {
  seed: string;
  /** Virtual wall-clock time at the start, ms since the epoch. */
  startTimeMs: number;
  hosts: HostSpec[];
  links?: { a: string; b: string; params: Partial<LinkParams> }[];
  runtime: Runtime;
}

interface InternalEvent { t: number; seq: number; run: () => void }

interface Slot {
  id: number;
  host: Host;
  handle: RunnerHandle | null;
  wake: number;
  pids: Set<number>;
  spawn: { pid: number; info: Omit<SpawnInfo, 'meta'> }[];
  kill: number[];
  freshPids: number[];
  meta: Map<string, MetaStat | null>;
}

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
}

export interface KernelStats {
  windows: number;
  handled: number;
  effects: number;
  deliveries: number;
  internal: number;
  lateDeliveries: number;
}

const deliveryLess = (a: Delivery, b: Delivery) => a.t < b.t || (a.t === b.t && a.seq < b.seq);
const internalLess = (a: InternalEvent, b: InternalEvent) => a.t < b.t || (a.t === b.t && a.seq < b.seq);
const effectLess = (a: Effect, b: Effect) => a.t !== b.t ? a.t < b.t : a.pid !== b.pid ? a.pid < b.pid : a.seq < b.seq;

export class Kernel implements NetKernel, TaskScheduler {
  now: number;
  /** Everything before this time has been simulated. */
  frontier: number;
  readonly seed: string;
  readonly trace = new Trace();
  readonly hosts = new Map<string, Host>();
  readonly network: Network;
  readonly procs = new Map<number, ProcRecord>();
  readonly stats: KernelStats = { windows: 0, handled: 0, effects: 0, deliveries: 0, internal: 0, lateDeliveries: 0 };
  private readonly deliveries = new Heap<Delivery>(deliveryLess);
  private readonly internal = new Heap<InternalEvent>(internalLess);
  private readonly effects = new Heap<Effect>(effectLess);
  private seq = 0;
  private readonly slots = new Map<number, Slot>();
  private nextSlot = 0;
  private nextPid: number;
  private windowEnd = -Infinity;
  private currentSlot: Slot | null = null;
  private readonly rngs = new Map<string, Rng>();
  private readonly writebackAt = new Map<Host, number>();
  /** Called when a host has booted (the world starts its shell services). */
  onBoot: ((host: Host) => void) | null = null;
  /** Called when a host goes down (the world ends its terminals and tasks). */
  onHostDown: ((host: Host) => void) | null = null;
  /** Output for a terminal-less sink that the world wants to watch (cron mail...). */
  private readonly runtime: Runtime;

  constructor(opts: KernelOptions) {
    this.seed = opts.seed;
    this.now = opts.startTimeMs;
    this.frontier = opts.startTimeMs;
    this.runtime = opts.runtime;
    this.network = new Network(this);
    this.nextPid = 1000 + new Rng(opts.seed, 'pids').int(1000);
    for (const spec of opts.hosts) {
      const profile: DiskProfile = spec.disk ?? DISK_PRESETS.ssd;
      const host = new Host(spec, opts.seed, profile, (h, d) => this.metaChanged(h, d));
      host.bootedAt = this.now;
      this.hosts.set(host.name, host);
      for (const [path, content] of Object.entries(spec.files ?? {})) {
        const bytes = typeof content === 'string' ? utf8(content) : content;
        host.disk.mkdir(dirname(path), true, this.now);
        host.disk.writeFile(path, bytes, this.now, true);
      }
      for (const dir of ['/tmp', '/var/log', '/etc', spec.home ?? '/root']) host.disk.mkdir(dir, true, this.now);
      for (const dir of spec.dirs ?? []) host.disk.mkdir(dir, true, this.now);
    }
    for (const l of opts.links ?? []) this.network.setLink(l.a, l.b, l.params);
  }

  // ---- NetKernel / TaskScheduler ----------------------------------------------------------

  at(t: number, fn: () => void): void {
    this.internal.push({ t: Math.max(t, this.now), seq: this.seq++, run: fn });
  }

  soon(fn: () => void): void { this.at(this.now, fn); }

  deliver(d: NewDelivery): void {
    let t = d.t;
    if (t < this.windowEnd) { t = this.windowEnd; this.stats.lateDeliveries++; }
    this.deliveries.push({ ...d, t, seq: this.seq++ } as Delivery);
  }

  record(kind: string, host: string, pid: number, detail: string): void {
    this.trace.add(this.now, host, pid, kind, detail);
  }

  hostByName(name: string): Host | undefined { return this.hosts.get(name); }

  hostByIp(ip: string): Host | undefined {
    for (const h of this.hosts.values()) if (h.ip === ip) return h;
    return undefined;
  }

  hostOf(pid: number): Host { return this.procs.get(pid)!.host; }

  alive(pid: number): boolean { return this.procs.get(pid)?.state === 'running'; }

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
    const d = this.deliveries.peek();
    if (d && d.t < t) t = d.t;
    const i = this.internal.peek();
    if (i && i.t < t) t = i.t;
    const e = this.effects.peek();
    if (e && e.t < t) t = e.t;
    for (const s of this.slots.values()) if (s.wake < t && s.pids.size > 0) t = s.wake;
    return t;
  }

  /** Run one window. False when nothing is due at or before `horizon`. */
  async step(horizon = Infinity): Promise<boolean> {
    const T = Math.max(this.nextTime(), this.frontier);
    if (T === Infinity || T > horizon) return false;
    const end = T + MIN_LATENCY_MS;
    this.now = T;
    this.stats.windows++;

    // 1. batches
    const batches = new Map<Slot, Batch>();
    const batchFor = (s: Slot) => {
      let b = batches.get(s);
      if (!b) { b = { start: T, end, spawn: [], kill: [], pids: [], meta: [], deliveries: [] }; batches.set(s, b); }
      return b;
    };
    while (true) {
      const d = this.deliveries.peek();
      if (!d || d.t >= end) break;
      this.deliveries.pop();
      const p = this.procs.get(d.pid);
      if (!p || d.t >= p.deathT || p.slot === null) continue;
      const slot = this.slots.get(p.slot);
      if (!slot) continue;
      this.stats.deliveries++;
      if (d.k === 'data') this.trace.add(d.t, p.host.name, p.pid, 'recv', `${d.sid} ${d.bytes.length}B ${fnv32(d.bytes).toString(16)}`);
      else if (d.k !== 'start') this.trace.add(d.t, p.host.name, p.pid, `deliver-${d.k}`, deliveryDetail(d));
      batchFor(slot).deliveries.push(d);
    }
    for (const s of this.slots.values()) if (s.pids.size > 0 && (s.wake < end || s.kill.length > 0)) batchFor(s);
    const order = [...batches.keys()].sort((a, b) => a.id - b.id);
    // New slots get their runners concurrently (starting a Web Worker takes real time); the
    // runners are created in slot order, and which runner serves a slot does not matter.
    const starting: Promise<void>[] = [];
    for (const s of order) {
      const b = batches.get(s)!;
      b.kill = s.kill.splice(0);
      b.pids = s.freshPids.splice(0);
      const snapshot = s.spawn.length > 0 ? s.host.disk.snapshot() : null;
      for (const sp of s.spawn.splice(0)) b.spawn.push({ ...sp.info, meta: snapshot! });
      if (snapshot) s.meta.clear();
      b.meta = [...s.meta.entries()];
      s.meta.clear();
      if (!s.handle) starting.push(this.runtime.createRunner().then((h) => { s.handle = h; }));
    }
    await Promise.all(starting);

    // 2. run
    const results = new Map<Slot, BatchResult>();
    if (this.runtime.parallel) {
      const rs = await Promise.all(order.map((s) => s.handle!.run(batches.get(s)!)));
      order.forEach((s, i) => results.set(s, rs[i]));
    } else {
      for (const s of order) results.set(s, await s.handle!.run(batches.get(s)!));
    }
    this.windowEnd = end;
    for (const s of order) {
      const r = results.get(s)!;
      s.wake = r.wake;
      this.stats.handled += r.handled;
      for (const e of r.effects) this.effects.push(e);
    }

    // 3. merge
    while (true) {
      const i = this.internal.peek();
      const e = this.effects.peek();
      const iDue = i && i.t < end;
      const eDue = e && e.t < end;
      if (!iDue && !eDue) break;
      if (iDue && (!eDue || i!.t <= e!.t)) {
        this.internal.pop();
        this.now = Math.max(this.now, i!.t);
        this.currentSlot = null;
        this.stats.internal++;
        i!.run();
      } else {
        this.effects.pop();
        this.stats.effects++;
        this.applyEffect(e!);
      }
    }
    this.currentSlot = null;

    // 4. retire slots whose processes are all gone
    for (const s of [...this.slots.values()]) {
      if (s.pids.size === 0 && s.spawn.length === 0) {
        s.handle?.terminate();
        this.slots.delete(s.id);
      }
    }
    this.now = end;
    this.frontier = end;
    return true;
  }

  /** The runtime handle of a slot (control calls: line editing, inspection). */
  runnerHandle(slot: number): RunnerHandle | null { return this.slots.get(slot)?.handle ?? null; }

  /** Terminate every runner (the world is being discarded or rewound). */
  retireAll(): void {
    for (const s of this.slots.values()) s.handle?.terminate();
    this.slots.clear();
  }

  /** Declare that nothing happens before `t` (time passes with an empty queue). */
  idleUntil(t: number): void {
    if (t > this.frontier && this.nextTime() >= t) { this.frontier = t; this.now = t; }
  }

  // ---- processes --------------------------------------------------------------------------

  private newRecord(req: { host: Host; kind: ProcKind; title: string; argv: string[]; program: string; cwd: string; ppid: number; stdin: Source; stdout: Sink; stderr: Sink; tty: Terminal | null; background?: boolean }, pid = this.allocPid()): ProcRecord {
    const r = req.host.rng;
    const rec: ProcRecord = {
      pid, ppid: req.ppid, host: req.host, kind: req.kind, title: req.title, argv: req.argv, program: req.program,
      cwd: req.cwd, user: 'root', startT: this.now, deathT: Infinity, state: 'running', exitCode: null, exitSignal: null,
      cpuMs: 0, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr, tty: req.tty, slot: null, files: new Map(),
      waiters: [], rssKb: 2000 + r.int(3000), vszKb: 8000 + r.int(8000), background: !!req.background,
    };
    if (req.kind === 'program') { rec.rssKb = 7000 + r.int(3000); rec.vszKb = 50000 + r.int(20000); }
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
    const slot: Slot = { id: ++this.nextSlot, host: req.host, handle: null, wake: Infinity, pids: new Set([rec.pid]), spawn: [], kill: [], freshPids: [this.allocPid(), this.allocPid()], meta: new Map() };
    this.slots.set(slot.id, slot);
    rec.slot = slot.id;
    slot.spawn.push({
      pid: rec.pid,
      info: {
        pid: rec.pid, ppid: req.ppid, program: req.program, title: rec.title, argv: req.argv, env: req.env, cwd: req.cwd,
        hostname: req.host.name, addresses: req.host.addresses, worldSeed: this.seed, tzOffsetMinutes: req.host.tzOffsetMinutes,
        disk: req.host.disk.profile, stdinTty: req.stdin.kind === 'tty', columns: req.tty ? 120 : undefined,
      },
    });
    this.record('spawn', req.host.name, rec.pid, req.argv.join(' '));
    this.deliver({ t: this.now + MIN_LATENCY_MS, pid: rec.pid, k: 'start' });
    return rec;
  }

  /** A kernel-side process (shell, builtin, cron): a pid and a ps line, no runtime. */
  kernelProcess(req: { host: Host; kind: ProcKind; title: string; argv: string[]; cwd: string; ppid: number; stdin: Source; stdout: Sink; stderr: Sink; tty: Terminal | null; background?: boolean }, pid?: number): ProcRecord {
    return this.newRecord({ ...req, program: req.argv[0] ?? req.title }, pid);
  }

  /** Run a kernel task as (or on behalf of) process `rec`, ending it when the task ends. */
  runTask<T>(rec: ProcRecord | null, gen: TaskGen<T>, onDone?: (r: T | undefined, error: unknown) => void): Task<T> {
    const task = new Task(this, gen);
    if (rec) rec.cancel = () => task.cancel();
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
    this.detachSink(p.stdout);
    this.detachSink(p.stderr);
    if (p.stdin.kind === 'pipe') {
      // The read end closes when its last reader goes: writers would then get SIGPIPE.
      const stillReading = [...this.procs.values()].some((q) => q !== p && q.state === 'running' && q.stdin === p.stdin);
      if (!stillReading) p.stdin.pipe.closeReader();
    }
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
    if (p.kind === 'child' && parent && parent.state === 'running' && parent.slot !== null) {
      this.deliver({ t: this.now + MIN_LATENCY_MS, pid: parent.pid, k: 'child', child: p.pid, code, signal });
    }
    for (const q of this.procs.values()) if (q.ppid === p.pid && q.state === 'running') q.ppid = 1;
    for (const w of p.waiters.splice(0)) w(code, signal);
    // Keep the table small: exited processes are forgotten (no zombies to reap here).
    this.procs.delete(p.pid);
    this.exited.push(p);
    if (this.exited.length > 200) this.exited.splice(0, this.exited.length - 200);
  }

  /** Recently exited processes (inspection, `wait`). */
  readonly exited: ProcRecord[] = [];

  /** kill(2). Returns false when there is no such process. */
  signal(pid: number, sig: string): boolean {
    const p = this.procs.get(pid);
    if (!p || p.state !== 'running') return false;
    this.record('signal', p.host.name, pid, sig);
    if (sig === 'SIGSTOP' || sig === 'SIGCONT' || sig === 'SIGCHLD' || sig === 'SIGWINCH') return true;
    if (p.slot === null) {
      // Kernel-side processes: an interactive shell and init ignore SIGTERM/SIGINT.
      if ((p.kind === 'shell' || p.kind === 'system') && sig !== 'SIGKILL') return true;
      if (p.kind === 'system' && p.pid === 1) return true;
      this.endProcess(p, 128 + (SIGNUM[sig] ?? 15), sig, 'kill');
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

  writeSink(s: Sink, text: string, from?: ProcRecord): boolean {
    switch (s.kind) {
      case 'tty': s.term.write(text); return true;
      case 'pipe': return s.pipe.write(text);
      case 'buffer': s.chunks.push(text); return true;
      case 'file': {
        if (!s.host.up) return false;
        s.host.disk.append(s.inode, s.path, latin1Bytes(text), this.now);
        this.dirtied(s.host);
        return true;
      }
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
    const rec = (kind: string, detail: string) => this.trace.add(e.t, host.name, p.pid, kind, detail);
    switch (e.k) {
      case 'out':
        rec(e.fd === 1 ? 'stdout' : 'stderr', clip(e.text));
        if (!this.writeSink(e.fd === 1 ? p.stdout : p.stderr, e.text, p) && e.fd === 1) {
          this.signal(p.pid, 'SIGPIPE');
        }
        return;
      case 'exit':
        this.endProcess(p, e.code, e.signal, 'exit');
        return;
      case 'title':
        p.title = e.title;
        rec('title', e.title);
        return;
      case 'timer':
        rec('timer', '');
        return;
      case 'busy':
        p.cpuMs += e.ms;
        rec('busy', String(e.ms));
        return;
      case 'listen':
        this.network.listen(p.pid, e.req, e.port, e.bind);
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
        rec('send', `${e.sid} ${e.bytes.length}B ${fnv32(e.bytes).toString(16)}`);
        this.network.write(p.pid, e.sid, e.bytes);
        return;
      case 'end':
      case 'destroy':
        this.network.close(p.pid, e.sid);
        return;
      case 'writeFile': {
        const err = disk.writeFile(e.path, e.bytes, e.t, e.fsync);
        rec('write-file', `${e.path} ${e.bytes.length}B${e.fsync ? ' fsync' : ''}${err ? ' ' + err : ''}`);
        if (!err && !e.fsync) this.dirtied(host);
        return;
      }
      case 'open': {
        const f = disk.create(e.path, e.mode === 'write', e.t);
        p.files.set(e.fid, typeof f === 'string' ? null : { inode: f, path: e.path });
        rec('open', `${e.path} ${e.mode}${typeof f === 'string' ? ' ' + f : ''}`);
        return;
      }
      case 'fwrite': {
        const f = p.files.get(e.fid);
        if (!f) return;
        disk.append(f.inode, f.path, e.bytes, e.t);
        rec('fwrite', `${f.path} +${e.bytes.length}B`);
        this.dirtied(host);
        return;
      }
      case 'fsync': {
        const f = p.files.get(e.fid);
        if (!f) return;
        f.inode.sync();
        rec('fsync', f.path);
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
        rec('truncate', `${f.path} ${e.size}`);
        this.dirtied(host);
        return;
      }
      case 'fclose':
        p.files.delete(e.fid);
        return;
      case 'rename': {
        const err = disk.rename(e.from, e.to, e.t);
        rec('rename', `${e.from} ${e.to}${err ? ' ' + err : ''}`);
        return;
      }
      case 'unlink': {
        const err = disk.unlink(e.path);
        rec('unlink', `${e.path}${err ? ' ' + err : ''}`);
        return;
      }
      case 'mkdir': {
        const err = disk.mkdir(e.path, e.recursive, e.t);
        rec('mkdir', `${e.path}${err ? ' ' + err : ''}`);
        return;
      }
      case 'rmdir': {
        const err = disk.rmdir(e.path);
        rec('rmdir', `${e.path}${err ? ' ' + err : ''}`);
        return;
      }
      case 'readFile': {
        const f = disk.lookup(e.path);
        if (!f || f.isDir) {
          const code = f ? 'EISDIR' : 'ENOENT';
          this.deliver({ t: e.t + MIN_LATENCY_MS, pid: p.pid, k: 'read', req: e.req, bytes: null, code, message: code === 'ENOENT' ? 'No such file or directory' : 'Is a directory' });
          rec('read', `${e.path} ${code}`);
          return;
        }
        const cost = disk.readCostMs(f);
        f.cached = true;
        const bytes = f.bytes().slice();
        rec('read', `${e.path} ${bytes.length}B`);
        this.deliver({ t: e.t + Math.max(cost, MIN_LATENCY_MS), pid: p.pid, k: 'read', req: e.req, bytes, code: null, message: '' });
        return;
      }
      case 'fork': {
        const child = this.newRecord({
          host, kind: 'child', title: e.name, argv: [e.name], program: e.name, cwd: p.cwd, ppid: p.pid,
          stdin: { kind: 'null' }, stdout: p.stdout, stderr: p.stderr, tty: null,
        }, e.child);
        child.slot = p.slot;
        child.rssKb = p.rssKb;
        child.vszKb = p.vszKb;
        const slot = this.currentSlot;
        if (slot) {
          slot.pids.add(child.pid);
          slot.freshPids.push(this.allocPid());
        }
        rec('fork', `${e.child} ${e.name}`);
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
          pid: p.pid, prompt: e.prompt, mask: e.mask,
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

const SIGNUM: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGPIPE: 13, SIGTERM: 15 };

function deliveryDetail(d: Delivery): string {
  switch (d.k) {
    case 'accept': return `${d.sid} ${d.remoteAddress}:${d.remotePort}`;
    case 'connected': return `${d.sid} ${d.localAddress}:${d.localPort}`;
    case 'closed': return `${d.sid} ${d.code ?? 'eof'}`;
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
