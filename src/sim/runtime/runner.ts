/**
 * A runner runs the code of the processes that live in one runtime slot: a top-level process
 * and the children it forks (closures cannot cross workers, so children stay with their
 * parent). The inline runtime has one runner per top-level process on the main thread; the
 * worker runtime has one per Web Worker / worker thread. Both execute the very same `run()`,
 * which is why they produce the same trace.
 *
 * run(batch), the process side of one conductor window [start, end):
 *   1. drop processes the kernel killed, take fresh pids, create spawned processes, apply the
 *      metadata deltas;
 *   2. queue the batch's deliveries together with the processes' own timers in one heap ordered
 *      by (effective time, pid, nominal time, sequence);
 *   3. pop items while their effective time is before `end`: an item for a process still busy
 *      (os.busy / fsync / fork cost) is pushed back to the time the process is free; otherwise
 *      the process's clock is set to the item's time, the callback runs, and one macrotask
 *      turn lets the process's promise continuations finish before anything else moves;
 *   4. answer with the effects (in emission order), the next time this runner has work, and
 *      which pids are still alive.
 */
import type { ChildMain } from '../../engine/os';
import type { Batch, BatchResult, Delivery, Effect, SpawnInfo } from '../protocol';
import type { ProgramRegistry } from '../programs';
import { Heap } from '../kernel/heap';
import { macrotask } from './macrotask';
import { MetaMirror } from './mirror';
import { ProcCtx, type RunnerHooks } from './process-os';

interface Item {
  t: number;
  nt: number;
  pid: number;
  seq: number;
  run: () => void;
  handle: { cancelled: boolean };
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
  private seq = 0;
  private readonly pidPool: number[] = [];
  private mirror: MetaMirror | null = null;
  private effects: Effect[] = [];
  private end = 0;
  private readonly hooks: RunnerHooks;

  constructor(private readonly programs: ProgramRegistry) {
    this.hooks = {
      windowEnd: () => this.end,
      emit: (e) => { this.effects.push(e); },
      schedule: (ctx, at, run) => {
        const handle = { cancelled: false };
        this.heap.push({ t: at, nt: at, pid: ctx.pid, seq: this.seq++, run, handle });
        return handle;
      },
      takePid: () => this.pidPool.shift() ?? null,
      forkChild: (parent, pid, name, main) => this.forkChild(parent, pid, name, main),
      exited: (ctx) => { this.ctxs.delete(ctx.pid); },
    };
  }

  /** The process context for `pid` (inspection, line editing). */
  context(pid: number): ProcCtx | undefined { return this.ctxs.get(pid); }

  async run(batch: Batch): Promise<BatchResult> {
    this.effects = [];
    this.end = batch.end;
    let handled = 0;
    for (const pid of batch.kill) this.ctxs.get(pid)?.kill();
    this.pidPool.push(...batch.pids);
    for (const s of batch.spawn) this.spawn(s, batch.start);
    if (this.mirror && batch.meta.length > 0) this.mirror.apply(batch.meta);
    for (const d of batch.deliveries) {
      this.heap.push({ t: d.t, nt: d.t, pid: d.pid, seq: this.seq++, run: () => this.deliver(d), handle: { cancelled: false } });
    }
    for (;;) {
      const item = this.heap.peek();
      if (!item || item.t >= this.end) break;
      this.heap.pop();
      if (item.handle.cancelled) continue;
      const ctx = this.ctxs.get(item.pid);
      if (!ctx || ctx.dead) continue;
      if (ctx.busyUntil > item.t) {
        item.t = ctx.busyUntil;
        this.heap.push(item);
        continue;
      }
      ctx.clock = item.t;
      try {
        item.run();
      } catch (e) {
        this.crash(ctx, e);
      }
      handled++;
      await macrotask();
    }
    let head = this.heap.peek();
    while (head && (head.handle.cancelled || !this.ctxs.has(head.pid))) {
      this.heap.pop();
      head = this.heap.peek();
    }
    return { effects: this.effects, wake: head ? head.t : Infinity, live: [...this.ctxs.keys()], handled };
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
    const r = main({ os: ctx, argv: ctx.argv, env: ctx.env, io: ctx.io });
    if (r && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).catch((e) => this.crash(ctx, e));
  }

  private forkChild(parent: ProcCtx, pid: number, name: string, main: ChildMain): ProcCtx {
    const ctx = new ProcCtx(this.hooks, {
      pid, ppid: parent.pid, title: name, argv: [name], env: parent.env, cwd: parent.fs.cwd(),
      hostname: parent.hostname, addresses: parent.addresses, worldSeed: parent.worldSeed, tzOffsetMinutes: parent.tzOffsetMinutes(0),
      disk: parent.disk, stdinTty: false, startClock: parent.clock,
    }, parent.mirror, parent.tzOffsetMinutes(0), parent.disk);
    this.ctxs.set(pid, ctx);
    this.hooks.schedule(ctx, parent.clock, () => {
      let r: number | Promise<number>;
      try { r = main(ctx); } catch (e) { this.crash(ctx, e); return; }
      Promise.resolve(r).then((code) => ctx.terminate(typeof code === 'number' ? code : 0, null), (e) => this.crash(ctx, e));
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
