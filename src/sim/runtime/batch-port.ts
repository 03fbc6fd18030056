/**
 * The message port that carries batches and their effects between the kernel and a worker
 * (both sides use it: the page's worker-client.ts and the worker's worker-serve.ts, which is
 * why it lives apart from the worker side's code).
 */
import type { Batch } from '../protocol';

/** The message that resets a worker's runner for another process (RunnerHandle.release). */
export const RESET_RUNNER = 'reset-runner';

/**
 * Batches to run, in order, without answering (RunnerHandle.feed: a rewind replaying the run
 * log), and the message whose answer is the digest of the fed batches' results since the last
 * one.
 */
export interface FeedMessage { feed: Batch[] }
export const SYNC_RUNNER = 'sync-runner';
export interface SyncAnswer { synced: number }

/** The minimal port shape shared by DOM MessagePort and Node's worker_threads MessagePort. */
export interface BatchPort {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener?(type: 'message', fn: (ev: { data: unknown }) => void): void;
  on?(type: 'message', fn: (data: unknown) => void): void;
  start?(): void;
}

export function listen(port: BatchPort, fn: (data: unknown) => void): void {
  if (port.on) port.on('message', fn);
  else { port.addEventListener!('message', (ev) => fn(ev.data)); port.start?.(); }
}
