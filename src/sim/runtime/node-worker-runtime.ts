/**
 * The worker runtime on Node's worker_threads (vitest and benchmarks exercise the same code
 * path as browsers: comlink for control calls, one message per window on a dedicated port).
 * Only imported by Node code; the browser bundle never sees it.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Runtime, RunnerHandle } from './runtime';
import { connectRunner } from './worker-client';
import type { BatchPort } from './worker-serve';
import { WorkerPool } from './worker-pool';

export class NodeWorkerRuntime implements Runtime {
  readonly kind = 'node-worker';
  readonly parallel = true;
  private readonly pool: WorkerPool;
  private readonly live = new Set<Worker>();
  /** Worker threads started so far (reused ones count once). */
  workersStarted = 0;

  /** `registryUrl`: a module URL exporting `programs` (e.g. `new URL('./programs.ts', import.meta.url).href`). */
  constructor(private readonly registryUrl: string, warmSpares = 1) {
    this.pool = new WorkerPool(() => this.spawn(), warmSpares);
  }

  private spawn(): Promise<RunnerHandle> {
    this.workersStarted++;
    const worker = new Worker(new URL('./node-worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./node-worker-entry.ts', import.meta.url).href, registry: this.registryUrl },
    });
    this.live.add(worker);
    worker.unref();
    const channel = new MessageChannel();
    return connectRunner(nodeEndpoint(worker as never), { mine: channel.port1 as unknown as BatchPort, theirs: channel.port2 as unknown as BatchPort }, {
      terminate: () => {
        channel.port1.close();
        this.live.delete(worker);
        void worker.terminate();
      },
      reuse: (handle) => this.pool.give(handle),
    });
  }

  createRunner(): Promise<RunnerHandle> {
    return this.pool.take();
  }

  dispose(): void {
    this.pool.dispose();
    for (const w of this.live) void w.terminate();
    this.live.clear();
  }
}
