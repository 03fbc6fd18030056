/**
 * The workers of a worker runtime (Web Workers or worker threads). Starting a worker takes
 * real time (a thread, an isolate, the engine's modules), and a fresh isolate runs the engine
 * unoptimised until its JIT has seen enough of it, so workers are kept:
 *   - spares are started ahead of need;
 *   - a worker whose processes are all gone (exited, killed, a rewind) is reset (its runner
 *     replaced by a new, empty one: nothing of the old process survives) and serves the next
 *     process, with its code already compiled and optimised. A restarted redis-server or a
 *     rewound world thus starts warm.
 * Which worker serves which process does not matter to the simulation (the trace is the same
 * inline, where every process shares one isolate).
 */
import type { RunnerHandle } from './runtime';

/** Idle workers kept at most; more are terminated (each holds an isolate's memory). */
export const MAX_IDLE_WORKERS = 16;

export class WorkerPool {
  private spares: Promise<RunnerHandle>[] = [];
  private readonly idle: RunnerHandle[] = [];
  private disposed = false;

  /** `spawn` starts a worker and resolves with its handle once it serves batches. */
  constructor(private readonly spawn: () => Promise<RunnerHandle>, private readonly warmSpares: number) {}

  async take(): Promise<RunnerHandle> {
    const reused = this.idle.pop();
    if (reused) return reused;
    while (this.spares.length < this.warmSpares + 1) this.spares.push(this.spawn());
    return this.spares.shift()!;
  }

  /** A worker whose runner was reset (RunnerHandle.release). */
  give(handle: RunnerHandle): void {
    if (this.disposed || this.idle.length >= MAX_IDLE_WORKERS) handle.terminate();
    else this.idle.push(handle);
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.spares.splice(0)) void s.then((h) => h.terminate());
    for (const h of this.idle.splice(0)) h.terminate();
  }
}
