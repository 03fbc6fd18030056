/**
 * One Web Worker per top-level process (children stay in their parent's worker). Workers are
 * started ahead of need (a small pool of warm spares) because a worker's start-up takes real
 * time; a worker is terminated when its processes are gone, never reused, so no state leaks
 * from one process to the next.
 */
import type { Runtime, RunnerHandle } from './runtime';
import { connectRunner } from './worker-client';

export class WebWorkerRuntime implements Runtime {
  readonly kind = 'web-worker';
  readonly parallel = true;
  private spares: Promise<RunnerHandle>[] = [];

  /**
   * `makeWorker` starts a worker serving another program registry (e.g. a benchmark's extra
   * programs); by default it is browser-worker.ts with the standard programs.
   */
  constructor(private readonly warmSpares = 2, private readonly makeWorker?: () => Worker) {}

  private spawn(): Promise<RunnerHandle> {
    const worker = this.makeWorker?.() ?? new Worker(new URL('./browser-worker.ts', import.meta.url), { type: 'module', name: 'sim-process' });
    const channel = new MessageChannel();
    return connectRunner(worker, { mine: channel.port1, theirs: channel.port2 }, () => worker.terminate());
  }

  async createRunner(): Promise<RunnerHandle> {
    while (this.spares.length < this.warmSpares + 1) this.spares.push(this.spawn());
    return this.spares.shift()!;
  }

  dispose(): void {
    for (const s of this.spares.splice(0)) void s.then((h) => h.terminate());
  }
}
