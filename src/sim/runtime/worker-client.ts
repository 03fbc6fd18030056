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
import { listen, RESET_RUNNER, SYNC_RUNNER, type BatchPort, type FeedMessage, type SyncAnswer } from './batch-port';
import { digestResult } from '../run-log';

/** Fed batches per message. */
const FEED_CHUNK = 64;

export async function connectRunner(
  endpoint: Comlink.Endpoint,
  ports: { mine: BatchPort; theirs: BatchPort },
  worker: { terminate: () => void; reuse: (handle: RunnerHandle) => void },
): Promise<RunnerHandle> {
  const api = Comlink.wrap<WorkerApi>(endpoint);
  await api.attachBatchPort(Comlink.transfer(ports.theirs, [ports.theirs as unknown as Transferable]));
  let pending: ((r: BatchResult) => void) | null = null;
  let syncing: ((digest: number) => void) | null = null;
  // The digest of the logged results fed since the last sync, to compare with the worker's.
  let fedDigest = 0;
  // Fed batches go in chunks (one message costs more than its contents); anything else sent
  // on the port sends the chunk first.
  let fed: Batch[] = [];
  const flush = () => {
    if (fed.length === 0) return;
    // Copied, not transferred: the payloads belong to the run log.
    ports.mine.postMessage({ feed: fed } satisfies FeedMessage);
    fed = [];
  };
  listen(ports.mine, (data) => {
    if (typeof (data as SyncAnswer).synced === 'number') {
      const s = syncing;
      syncing = null;
      s?.((data as SyncAnswer).synced);
      return;
    }
    const p = pending;
    pending = null;
    p?.(data as BatchResult);
  });
  const handle: RunnerHandle = {
    run(batch: Batch): Promise<BatchResult> {
      return new Promise<BatchResult>((resolve) => {
        pending = resolve;
        flush();
        ports.mine.postMessage(batch, payloadBuffers(batch.deliveries) as Transferable[]);
      });
    },
    feed(batch: Batch, logged: BatchResult): void {
      fedDigest = digestResult(fedDigest, logged);
      fed.push(batch);
      if (fed.length >= FEED_CHUNK) flush();
    },
    sync(): Promise<boolean> {
      const expected = fedDigest;
      fedDigest = 0;
      return new Promise<boolean>((resolve) => {
        syncing = (digest) => resolve(digest === expected);
        flush();
        ports.mine.postMessage(SYNC_RUNNER);
      });
    },
    lineHelp: (pid, kind, line) => api.lineHelp(pid, kind, line) as Promise<string | string[] | null>,
    inspect: (pid) => api.inspect(pid) as Promise<ReturnType<RunnerHandle['inspect']> extends Promise<infer T> ? T : never>,
    query: (pid, queries, nowMs) => api.query(pid, queries, nowMs) as Promise<unknown[] | null>,
    release: () => {
      flush();
      // The worker's runner and digest start afresh (worker-serve.ts): so does this side's.
      fedDigest = 0;
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
