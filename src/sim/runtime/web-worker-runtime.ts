/**
 * One Web Worker per top-level process (children stay in their parent's worker). Workers are
 * started ahead of need and reset for the next process when theirs are gone (worker-pool.ts).
 */
import type { Runtime, RunnerHandle } from './runtime';
import { connectRunner } from './worker-client';
import { WorkerPool } from './worker-pool';

export class WebWorkerRuntime implements Runtime {
  readonly kind = 'web-worker';
  readonly parallel = true;
  private readonly pool: WorkerPool;

  /**
   * `makeWorker` starts a worker serving another program registry (e.g. a benchmark's extra
   * programs); by default it is browser-worker.ts with the standard programs.
   */
  constructor(warmSpares = 2, private readonly makeWorker?: () => Worker) {
    this.pool = new WorkerPool(() => this.spawn(), warmSpares);
  }

  private spawn(): Promise<RunnerHandle> {
    const worker = this.makeWorker?.() ?? new Worker(new URL('./browser-worker.ts', import.meta.url), { type: 'module', name: 'sim-process' });
    const channel = new MessageChannel();
    return connectRunner(worker, { mine: channel.port1, theirs: channel.port2 }, {
      terminate: () => worker.terminate(),
      reuse: (handle) => this.pool.give(handle),
    });
  }

  createRunner(): Promise<RunnerHandle> {
    return this.pool.take();
  }

  dispose(): void {
    this.pool.dispose();
  }
}
