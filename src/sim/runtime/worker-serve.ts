/**
 * The worker side of the worker runtime: one Runner per worker. Control calls (line editing,
 * inspection, the batch port hand-over) go through comlink; the simulation traffic uses one
 * dedicated message port: one message in (the window's batch) and one message out (the
 * effects) per window, byte payloads transferred rather than copied; during a rewind, batches
 * fed without an answer (../run-log.ts).
 */
import * as Comlink from 'comlink';
import type { Batch } from '../protocol';
import { payloadBuffers } from '../protocol';
import type { ProgramRegistry } from '../programs';
import { Runner } from './runner';
import { runnerControl } from './control';
import type { InspectQuery } from './inspectors';
import { listen, RESET_RUNNER, SYNC_RUNNER, type BatchPort, type FeedMessage, type SyncAnswer } from './batch-port';
import { digestResult } from '../run-log';

export type { BatchPort };

export interface WorkerApi {
  attachBatchPort(port: BatchPort): void;
  lineHelp(pid: number, kind: 'hint' | 'complete', line: string): string | string[] | null;
  inspect(pid: number): ReturnType<ReturnType<typeof runnerControl>['inspect']>;
  query(pid: number, queries: InspectQuery[], nowMs: number): unknown[] | null;
}

export function serveRunner(endpoint: Comlink.Endpoint, programs: ProgramRegistry): void {
  let runner = new Runner(programs);
  let control = runnerControl(runner);
  const api: WorkerApi = {
    attachBatchPort(port) {
      // Messages are handled one after another: a run waits for the fed batches before it.
      let queue: Promise<void> = Promise.resolve();
      let digest = 0;
      listen(port, (data) => {
        queue = queue.then(async () => {
          if (data === RESET_RUNNER) {
            // The worker serves another process next: nothing of the previous one is kept, not
            // even the digest of what it was fed since the last sync (the page side forgets its
            // own on release). A replay that diverged before its sync, or a fed process that
            // ended before it, would otherwise fail the next sync of whichever slot reuses the
            // worker, on a rewind whose replay was right.
            runner = new Runner(programs);
            control = runnerControl(runner);
            digest = 0;
          } else if (data === SYNC_RUNNER) {
            port.postMessage({ synced: digest } satisfies SyncAnswer);
            digest = 0;
          } else if ((data as FeedMessage).feed) {
            for (const batch of (data as FeedMessage).feed) digest = digestResult(digest, await runner.run(batch));
          } else {
            const result = await runner.run(data as Batch);
            port.postMessage(result, payloadBuffers(result.effects) as Transferable[]);
          }
        }).catch((e: unknown) => { console.error(e); });
      });
    },
    lineHelp: (pid, kind, line) => control.lineHelp(pid, kind, line),
    inspect: (pid) => control.inspect(pid),
    // Answered between batches: the kernel only asks between rounds.
    query: (pid, queries, nowMs) => control.query(pid, queries, nowMs),
  };
  Comlink.expose(api, endpoint);
}
