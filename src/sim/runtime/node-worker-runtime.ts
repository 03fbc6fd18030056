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

export class NodeWorkerRuntime implements Runtime {
  readonly kind = 'node-worker';
  readonly parallel = true;
  private spares: Promise<RunnerHandle>[] = [];
  private readonly live = new Set<Worker>();

  /** `registryUrl`: a module URL exporting `programs` (e.g. `new URL('./programs.ts', import.meta.url).href`). */
  constructor(private readonly registryUrl: string, private readonly warmSpares = 1) {}

  private spawn(): Promise<RunnerHandle> {
    const worker = new Worker(new URL('./node-worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./node-worker-entry.ts', import.meta.url).href, registry: this.registryUrl },
    });
    this.live.add(worker);
    worker.unref();
    const channel = new MessageChannel();
    return connectRunner(nodeEndpoint(worker as never), { mine: channel.port1 as unknown as BatchPort, theirs: channel.port2 as unknown as BatchPort }, () => {
      channel.port1.close();
      this.live.delete(worker);
      void worker.terminate();
    });
  }

  async createRunner(): Promise<RunnerHandle> {
    while (this.spares.length < this.warmSpares + 1) this.spares.push(this.spawn());
    return this.spares.shift()!;
  }

  dispose(): void {
    for (const s of this.spares.splice(0)) void s.then((h) => h.terminate());
    for (const w of this.live) void w.terminate();
    this.live.clear();
  }
}
