/**
 * The kernel side of a worker runner: sends a batch on the dedicated port and resolves with
 * the worker's answer. Shared by the browser and the Node worker runtimes. `release` resets
 * the worker's runner (a message on the same port, so it comes after every batch) and hands
 * the worker back to its runtime (`reuse`).
 */
import * as Comlink from 'comlink';
import type { Batch, BatchResult } from '../protocol';
import { payloadBuffers } from '../protocol';
import type { RunnerHandle } from './runtime';
import type { WorkerApi } from './worker-serve';
import { listen, RESET_RUNNER, type BatchPort } from './batch-port';

export async function connectRunner(
  endpoint: Comlink.Endpoint,
  ports: { mine: BatchPort; theirs: BatchPort },
  worker: { terminate: () => void; reuse: (handle: RunnerHandle) => void },
): Promise<RunnerHandle> {
  const api = Comlink.wrap<WorkerApi>(endpoint);
  await api.attachBatchPort(Comlink.transfer(ports.theirs, [ports.theirs as unknown as Transferable]));
  let pending: ((r: BatchResult) => void) | null = null;
  listen(ports.mine, (data) => {
    const p = pending;
    pending = null;
    p?.(data as BatchResult);
  });
  const handle: RunnerHandle = {
    run(batch: Batch): Promise<BatchResult> {
      return new Promise<BatchResult>((resolve) => {
        pending = resolve;
        ports.mine.postMessage(batch, payloadBuffers(batch.deliveries) as Transferable[]);
      });
    },
    lineHelp: (pid, kind, line) => api.lineHelp(pid, kind, line) as Promise<string | string[] | null>,
    inspect: (pid) => api.inspect(pid) as Promise<ReturnType<RunnerHandle['inspect']> extends Promise<infer T> ? T : never>,
    query: (pid, queries, nowMs) => api.query(pid, queries, nowMs) as Promise<unknown[] | null>,
    release: () => {
      ports.mine.postMessage(RESET_RUNNER);
      worker.reuse(handle);
    },
    terminate: () => {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
  return handle;
}
