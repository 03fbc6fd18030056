/**
 * A runner runs the code of the processes that live in one runtime slot: a top-level process
 * and the children it forks (closures cannot cross workers, so children stay with their
 * parent). The inline runtime has one runner per top-level process on the main thread; the
 * worker runtime has one per Web Worker / worker thread. Both execute the very same
 * begin/pass/finish sequence, which is why they produce the same trace.
 *
 * One round for this runner, the batch [start, end):
 *   1. begin: drop processes the kernel killed, take fresh pids, create spawned processes,
 *      apply the metadata deltas, queue the deliveries. Items (deliveries and the processes'
 *      own timers) wait in one heap ordered by (effective time, pid, nominal time, sequence).
 *   2. passes: a pass pops items in that order while their time is before the horizon and
 *      stops before the first item of a process that already ran in this pass. Between passes
 *      the runner waits for one macrotask turn, so every promise continuation of the items
 *      just run (however deep the await chain) finishes first. Hence a process never sees
 *      its next event before it has finished reacting to the previous one, exactly as on
 *      Node's event loop, while items of different processes need no turn between them
 *      (their clocks and memory are separate). The turn is skipped when no continuation can
 *      be pending (see settle()): most events are handled synchronously. An item for a
 *      process still busy (os.busy, fsync, fork cost) is pushed back to the time the process
 *      is free. `os.whenIdle` work (Redis's beforeSleep) is an item ordered after the
 *      process's items that were ready when its turn began and before those that arrived
 *      later: one event-loop turn.
 *   3. the horizon starts at the batch's end and shrinks when a process asks the kernel
 *      something whose answer could come back to this runner (a file read, listen, connect,
 *      a loopback write, a signal to its child, its exit...): to that effect's time plus
 *      MIN_LATENCY_MS, so the answer always lands after what this runner has run.
 *   4. finish: the effects (in emission order), the horizon reached, and the next time this
 *      runner has work.
 * SIGSTOP and SIGCONT act at once, even on a busy process: a stopped process is busy until
 * SIGCONT, so its deliveries and timers wait (TCP still accepts bytes and connections for
 * it, as the kernel does) and run late when it continues, with what was left of a busy spell.
 * Bytes that reached a socket while its process was busy are read together, as one read(2)
 * of a kernel socket buffer returns everything that arrived (up to READ_CHUNK_BYTES): when a
 * `data` delivery runs, the later ones for the same socket that have already arrived by then
 * are merged into it. A server that spent 40 ms in fsync thus handles the pipelined commands
 * that came in meanwhile in one event, and one fsync, as Redis does.
 * The inline runtime runs its runners' batches one after another, each as `run()` does in a
 * worker.
 */
import type { ChildMain } from '../../engine/os';
import type { Batch, BatchResult, Delivery, Effect, SpawnInfo } from '../protocol';
import type { ProgramRegistry } from '../programs';
import { Heap } from '../kernel/heap';
import { macrotask } from './macrotask';
import { MetaMirror } from './mirror';
import { ProcCtx, type RunnerHooks } from './process-os';
import { MIN_LATENCY_MS } from '../protocol';
import { execCost } from './exec-cost';

/** Effects whose consequence can come back to the emitting runner (a delivery to it). */
const SELF_BOUND: Partial<Record<Effect['k'], true>> = {
  listen: true, connect: true, readFile: true, bgfsync: true, stdin: true, readline: true, kill: true, exit: true, exec: true,
};

/** What one read of a socket takes at most (Redis's and hiredis's PROTO_IOBUF_LEN). */
export const READ_CHUNK_BYTES = 16 * 1024;

interface Item {
  t: number;
  nt: number;
  pid: number;
  seq: number;
  /** A timer or a fork's start; or a delivery from the kernel. */
  run: (() => void) | null;
  delivery?: Delivery;
  handle: { cancelled: boolean } | null;
  /** A timer's quietUntil (see Os.setTimer), its last answer and the process's turns then. */
  quietUntil?: () => number;
  quietAt?: number;
  quietTurns?: number;
  /** End-of-turn work (os.whenIdle): not an event of its own in the statistics. */
  idle?: true;
}

/**
 * Checking the turns skipped (tests): with `enabled`, a pass after which no continuation could
 * be pending still waits for one turn, and a test host that counts the promise jobs of process
 * code (Node's async_hooks: promises made during a pass, `inPass`, or by such a job; see
 * test/support/turn-check.ts) in `jobs` tells whether any ran: it would have run after the
 * process's next event. Counted in `violations`.
 */
export const turnCheck = { enabled: false, inPass: false, jobs: 0, violations: 0, last: '' };

/**
 * After a pass of `runner`: a macrotask turn to wait for when promise continuations of what it
 * ran may be pending (see Runner.mayHaveContinuations), so each process finishes reacting to one
 * event before it sees the next; null when none can be. Most events are handled synchronously
 * and leave none, and a turn is not free (a MessageChannel message in browsers, ~10 µs).
 */
function settle(runner: Runner): Promise<void> | null {
  if (runner.mayHaveContinuations()) return macrotask().then(() => runner.turnTaken());
  return turnCheck.enabled ? checkNothingPending(runner) : null;
}

async function checkNothingPending(runner: Runner): Promise<void> {
  const jobs = turnCheck.jobs;
  await macrotask();
  if (turnCheck.jobs === jobs) return;
  turnCheck.violations++;
  turnCheck.last = `promise continuations were pending after a pass of ${runner.lastPassPrograms()} (a handler started async work without Os.trackAsync?)`;
}

function itemLess(a: Item, b: Item): boolean {
  if (a.t !== b.t) return a.t < b.t;
  if (a.pid !== b.pid) return a.pid < b.pid;
  if (a.nt !== b.nt) return a.nt < b.nt;
  return a.seq < b.seq;
}

export class Runner {
  private readonly ctxs = new Map<number, ProcCtx>();
  private readonly programOf = new Map<number, string>();
  private readonly heap = new Heap<Item>(itemLess);
  /** Pending `data` deliveries by "pid sid", in arrival order (see the top: reads coalesce). */
  private readonly pendingData = new Map<string, Item[]>();
  private seq = 0;
  private readonly pidPool: number[] = [];
  /** How many of pidPool are still those the first batch brought with the process. */
  private startPids = 0;
  private begun = false;
  private mirror: MetaMirror | null = null;
  private effects: Effect[] = [];
  /** Items before this time may run in the current batch. */
  private horizon = 0;
  /** The latest item time run in the current batch. */
  private highWater = -Infinity;
  private handled = 0;
  private passMark = 0;
  /** The CPU total last reported per process (see finish). */
  private readonly cpuReported = new Map<number, number>();
  /** The final usage of processes that exited in this batch, in BatchResult.cpu's form. */
  private exitedCpu: number[] = [];
  /** The resident KiB last reported per process. */
  private readonly rssReported = new Map<number, number>();
  private readonly hooks: RunnerHooks;
  /** Set when a promise the processes may await is settled; cleared by a macrotask turn. */
  private turnPending = false;
  /** The pids the last pass ran (only kept for turnCheck). */
  private readonly lastPass: number[] = [];

  constructor(private readonly programs: ProgramRegistry) {
    this.hooks = {
      emit: (e) => {
        this.effects.push(e);
        if (SELF_BOUND[e.k] === true) this.selfBound(e.t);
      },
      selfBound: (t) => this.selfBound(t),
      schedule: (ctx, at, run, quietUntil) => {
        const handle = { cancelled: false };
        const item: Item = { t: at, nt: at, pid: ctx.pid, seq: this.seq++, run, handle };
        if (quietUntil) item.quietUntil = quietUntil;
        this.heap.push(item);
        return handle;
      },
      // After every item of the process that was ready when its turn began (nominal time up
      // to the turn's start, sorted before by sequence), before anything that arrived later,
      // even while a busy turn (a SAVE, an fsync) pushed them all to the same time.
      scheduleIdle: (ctx, run) => {
        this.heap.push({ t: ctx.clock, nt: ctx.turnStart, pid: ctx.pid, seq: this.seq++, run, handle: null, idle: true });
      },
      settled: () => { this.turnPending = true; },
      takePid: (thread) => {
        // A thread takes one only from the pids handed with the process (the next after its
        // own): one started later gets the pid that is next then, from the kernel.
        if (thread && this.startPids === 0) return null;
        const pid = this.pidPool.shift() ?? null;
        if (pid !== null && this.startPids > 0) this.startPids--;
        return pid;
      },
      forkChild: (parent, pid, name, main) => this.forkChild(parent, pid, name, main),
      exited: (ctx) => {
        // What it left running winds down in promise jobs (its main's, its requests' failures).
        this.turnPending = true;
        this.ctxs.delete(ctx.pid);
        this.reportCpu(ctx.pid, ctx, this.exitedCpu);
        this.cpuReported.delete(ctx.pid);
        this.rssReported.delete(ctx.pid);
        // Its parent's getrusage(RUSAGE_CHILDREN) now counts it.
        const parent = this.ctxs.get(ctx.ppid);
        if (parent) {
          parent.cpuTime.childrenUserMs += ctx.cpuTime.userMs + ctx.cpuTime.childrenUserMs;
          parent.cpuTime.childrenSysMs += ctx.cpuTime.sysMs + ctx.cpuTime.childrenSysMs;
        }
        for (const key of [...this.pendingData.keys()]) if (key.startsWith(`${ctx.pid} `)) this.pendingData.delete(key);
      },
    };
  }

  /** An effect at time t may cause a delivery to this runner at t + MIN_LATENCY_MS: stop there. */
  private selfBound(t: number): void {
    const h = Math.max(t + MIN_LATENCY_MS, this.highWater);
    if (h < this.horizon) this.horizon = h;
  }

  /** A macrotask turn has run every continuation that was pending. */
  turnTaken(): void { this.turnPending = false; }

  /** The process context for `pid` (inspection, line editing). */
  context(pid: number): ProcCtx | undefined { return this.ctxs.get(pid); }

  /** Run one batch: the worker runtime calls this; the inline runtime takes the same steps. */
  async run(batch: Batch): Promise<BatchResult> {
    this.begin(batch);
    for (let turn = this.runPasses(); turn; turn = this.runPasses()) await turn;
    return this.finish();
  }

  /**
   * Passes until one leaves continuations to wait for (the macrotask turn to await before
   * calling again) or nothing is left to run before the horizon (null).
   */
  runPasses(): Promise<void> | null {
    while (this.pass()) {
      const turn = settle(this);
      if (turn) return turn;
    }
    return null;
  }

  /**
   * Whether promise continuations of what this runner ran may be pending: a promise the
   * process may await was settled (an Os request answered or failed), or async work is in
   * flight (a program's or a child's main that has not returned, Os.trackAsync).
   */
  mayHaveContinuations(): boolean {
    if (this.turnPending) return true;
    for (const ctx of this.ctxs.values()) if (ctx.asyncWork > 0) return true;
    return false;
  }

  /** The programs whose items the last pass ran (for turnCheck's report). */
  lastPassPrograms(): string {
    return [...new Set(this.lastPass.map((pid) => this.programOf.get(pid) ?? `pid ${pid}`))].join(', ');
  }

  begin(batch: Batch): void {
    this.horizon = batch.end;
    this.highWater = -Infinity;
    this.handled = 0;
    for (const pid of batch.kill) this.ctxs.get(pid)?.kill();
    for (const pid of batch.pids) this.pidPool.push(pid);
    if (!this.begun) { this.begun = true; this.startPids = batch.pids.length; }
    for (const s of batch.spawn) this.spawn(s, batch.start);
    if (this.mirror && batch.meta.length > 0) this.mirror.apply(batch.meta);
    for (const d of batch.deliveries) {
      const item: Item = { t: d.t, nt: d.t, pid: d.pid, seq: this.seq++, run: null, delivery: d, handle: null };
      this.heap.push(item);
      if (d.k === 'data') {
        const key = `${d.pid} ${d.sid}`;
        const list = this.pendingData.get(key);
        if (list) list.push(item);
        else this.pendingData.set(key, [item]);
      }
    }
  }

  /** Run items in order until a process would run twice; true when something ran. */
  pass(): boolean {
    if (!turnCheck.enabled) return this.runPass();
    this.lastPass.length = 0;
    turnCheck.inPass = true;
    try { return this.runPass(); } finally { turnCheck.inPass = false; }
  }

  private runPass(): boolean {
    const mark = ++this.passMark;
    let ran = false;
    for (;;) {
      const item = this.heap.peek();
      if (!item || item.t >= this.horizon) break;
      if (item.handle?.cancelled) { this.heap.pop(); continue; }
      const ctx = this.ctxs.get(item.pid);
      if (!ctx || ctx.dead) { this.heap.pop(); continue; }
      const d = item.delivery;
      const jobControl = d?.k === 'signal' && (d.signal === 'SIGSTOP' || d.signal === 'SIGCONT') ? d.signal : null;
      if (ctx.busyUntil > item.t && jobControl === null) {
        this.heap.pop();
        item.t = ctx.busyUntil;
        this.heap.push(item);
        continue;
      }
      // Its previous event's promise continuations must finish first: end the pass here. The
      // end-of-turn work follows its last event at once, as beforeSleep did inside the event
      // (a continuation that changes the server goes through server.event, which asks for
      // another turn end).
      if (ctx.passMark === mark && !item.idle) break;
      this.heap.pop();
      ctx.passMark = mark;
      ctx.turns++;
      if (turnCheck.enabled) this.lastPass.push(ctx.pid);
      ctx.clock = item.t;
      ctx.turnStart = item.t;
      if (item.t > this.highWater) this.highWater = item.t;
      try {
        if (jobControl !== null) this.jobControl(ctx, jobControl, item.t);
        else if (d?.k === 'data') this.deliver(this.readSocket(item));
        else if (d) this.deliver(d);
        else item.run!();
      } catch (e) {
        this.crash(ctx, e);
      }
      if (!item.idle) this.handled++;
      ran = true;
    }
    return ran;
  }

  /** SIGSTOP: busy until further notice. SIGCONT: what was held runs now, in its order. */
  private jobControl(ctx: ProcCtx, signal: string, t: number): void {
    if (signal === 'SIGSTOP') {
      if (ctx.stoppedAt !== null) return;
      ctx.stoppedAt = t;
      ctx.busyLeftAtStop = Math.max(0, ctx.busyUntil - t);
      ctx.busyUntil = Infinity;
      return;
    }
    if (ctx.stoppedAt === null) return;
    ctx.stoppedAt = null;
    ctx.busyUntil = t + ctx.busyLeftAtStop;
    const resume = ctx.busyUntil;
    this.heap.update((x) => {
      if (x.pid !== ctx.pid || x.t !== Infinity) return false;
      x.t = resume;
      return true;
    });
  }

  finish(): BatchResult {
    let head = this.heap.peek();
    while (head && (head.handle?.cancelled || !this.ctxs.has(head.pid))) {
      this.heap.pop();
      head = this.heap.peek();
    }
    const effects = this.effects;
    this.effects = [];
    const cpu = this.exitedCpu;
    this.exitedCpu = [];
    const rss: number[] = [];
    for (const [pid, ctx] of this.ctxs) {
      this.reportCpu(pid, ctx, cpu);
      if (ctx.rssBytes !== null) {
        const kb = Math.ceil(ctx.rssBytes / 1024);
        if (kb !== this.rssReported.get(pid)) {
          rss.push(pid, kb);
          this.rssReported.set(pid, kb);
        }
      }
    }
    return { effects, horizon: this.horizon, wake: head ? head.t : Infinity, loudWake: this.loudWake(), quietReads: this.quietReads(), handled: this.handled, cpu, rss };
  }

  /** Adds the process's usage to `out` when it changed since last reported. */
  private reportCpu(pid: number, ctx: ProcCtx, out: number[]): void {
    const { userMs, sysMs } = ctx.cpuTime;
    if (userMs + sysMs === (this.cpuReported.get(pid) ?? 0)) return;
    out.push(pid, userMs, sysMs);
    this.cpuReported.set(pid, userMs + sysMs);
  }

  /** The sockets whose quietReads holds now; each answer is kept until its process runs again. */
  private quietReads(): number[] {
    const out: number[] = [];
    for (const ctx of this.ctxs.values()) {
      if (ctx.quietSockets.size === 0 || ctx.dead) continue;
      for (const s of ctx.quietSockets) {
        if (s.quietTurns !== ctx.turns) {
          s.quietTurns = ctx.turns;
          try { s.quietAnswer = ctx.observe(ctx.clock, s.quietReads!); } catch { s.quietAnswer = false; }
        }
        if (s.quietAnswer) out.push(ctx.pid, s.sid);
      }
    }
    return out;
  }

  /**
   * The earliest time a pending item could do something other processes notice: its time, or
   * later for a timer that says how long it keeps quiet (a cron tick with nothing due). Asked
   * with every process as it is now, so a probe sees the state its timer will find.
   */
  private loudWake(): number {
    let t = Infinity;
    for (const item of this.heap.values()) {
      if (item.t >= t || item.handle?.cancelled) continue;
      const ctx = this.ctxs.get(item.pid);
      if (!ctx || ctx.dead) continue;
      let at = item.t;
      if (item.quietUntil && ctx.stoppedAt === null) {
        // The answer depends on the process's state only: asked again once it has run.
        if (item.quietTurns !== ctx.turns) {
          item.quietTurns = ctx.turns;
          try { item.quietAt = ctx.observe(ctx.clock, item.quietUntil); } catch { item.quietAt = -Infinity; }
        }
        at = Math.max(at, item.quietAt!);
      }
      if (at < t) t = at;
    }
    return t;
  }

  /**
   * The bytes one read of the socket returns when `item` runs: its own, then those of later
   * deliveries to the same socket that have arrived by now (merged deliveries are cancelled).
   */
  private readSocket(item: Item): Delivery {
    const d = item.delivery as Extract<Delivery, { k: 'data' }>;
    const key = `${d.pid} ${d.sid}`;
    const list = this.pendingData.get(key);
    if (!list) return d;
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
    let size = d.bytes.length;
    const merged: Uint8Array[] = [];
    while (list.length > 0) {
      const next = list[0];
      const nd = next.delivery as Extract<Delivery, { k: 'data' }>;
      if (next.handle?.cancelled) { list.shift(); continue; }
      if (next.nt > item.t || size + nd.bytes.length > READ_CHUNK_BYTES) break;
      list.shift();
      next.handle = { cancelled: true };
      merged.push(nd.bytes);
      size += nd.bytes.length;
    }
    if (list.length === 0) this.pendingData.delete(key);
    if (merged.length === 0) return d;
    const bytes = new Uint8Array(size);
    bytes.set(d.bytes, 0);
    let at = d.bytes.length;
    for (const b of merged) { bytes.set(b, at); at += b.length; }
    return { ...d, bytes };
  }

  private spawn(s: SpawnInfo, at: number): void {
    if (!this.mirror) this.mirror = new MetaMirror(s.meta);
    const ctx = new ProcCtx(this.hooks, { ...s, startClock: at }, this.mirror, s.tzOffsetMinutes, s.disk);
    this.ctxs.set(s.pid, ctx);
    this.programOf.set(s.pid, s.program);
  }

  private deliver(d: Delivery): void {
    const ctx = this.ctxs.get(d.pid)!;
    if (d.k !== 'start') { ctx.deliver(d); return; }
    const program = this.programOf.get(d.pid)!;
    const main = this.programs[program];
    if (!main) {
      ctx.stderr(`bash: ${program}: command not found\n`);
      ctx.terminate(127, null);
      return;
    }
    const cost = execCost(program);
    if (cost) {
      ctx.cpu(cost.userMs);
      ctx.cpu(cost.sysMs, true);
    }
    const r = main({ os: ctx, argv: ctx.argv, env: ctx.env, io: ctx.io });
    if (r && typeof (r as Promise<void>).then === 'function') {
      ctx.trackAsync(r as Promise<void>);
      (r as Promise<void>).catch((e) => this.crash(ctx, e));
    }
  }

  private forkChild(parent: ProcCtx, pid: number, name: string, main: ChildMain): ProcCtx {
    const ctx = new ProcCtx(this.hooks, {
      pid, ppid: parent.pid, title: name, argv: [name], env: parent.env, cwd: parent.fs.cwd(),
      hostname: parent.hostname, addresses: parent.addresses, hostTable: parent.hostTable, worldSeed: parent.worldSeed, tzOffsetMinutes: parent.tzOffsetMinutes(0),
      disk: parent.disk, stdinTty: false, pipes: parent.pipes, startClock: parent.clock, ignoredSignals: parent.ignored(), clockSyscall: parent.clockSyscall,
    }, parent.mirror, parent.tzOffsetMinutes(0), parent.disk);
    // fork() copies the OOM killer's bias.
    ctx.oomScore = parent.oomScore;
    this.ctxs.set(pid, ctx);
    this.hooks.schedule(ctx, parent.clock, () => {
      let r: number | Promise<number>;
      try { r = main(ctx); } catch (e) { this.crash(ctx, e); return; }
      if (typeof r === 'number') { ctx.terminate(r, null); return; }
      ctx.trackAsync(r);
      r.then((code) => ctx.terminate(typeof code === 'number' ? code : 0, null), (e) => this.crash(ctx, e));
    });
    return ctx;
  }

  private crash(ctx: ProcCtx, e: unknown): void {
    if (ctx.dead) return;
    const err = e as { stack?: string; message?: string } | null;
    ctx.stderr(`${err?.stack ?? err?.message ?? String(e)}\n`);
    ctx.terminate(1, null);
  }
}
