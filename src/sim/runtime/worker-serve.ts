/**
 * The worker side of the worker runtime: one Runner per worker. Control calls (line editing,
 * inspection, the batch port hand-over) go through comlink; the simulation traffic uses one
 * dedicated message port: one message in (the window's batch) and one message out (the
 * effects) per window, byte payloads transferred rather than copied.
 */
import * as Comlink from 'comlink';
import type { Batch } from '../protocol';
import { payloadBuffers } from '../protocol';
import type { ProgramRegistry } from '../programs';
import { Runner } from './runner';
import { runnerControl } from './control';
import type { InspectQuery } from './inspectors';
import { listen, RESET_RUNNER, type BatchPort } from './batch-port';

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
      // Windows arrive one at a time: the kernel waits for this answer before the next batch.
      listen(port, (data) => {
        if (data === RESET_RUNNER) {
          // The worker serves another process next: nothing of the previous one is kept.
          runner = new Runner(programs);
          control = runnerControl(runner);
          return;
        }
        void runner.run(data as Batch).then((result) => {
          port.postMessage(result, payloadBuffers(result.effects) as Transferable[]);
        });
      });
    },
    lineHelp: (pid, kind, line) => control.lineHelp(pid, kind, line),
    inspect: (pid) => control.inspect(pid),
    // Answered between batches: the kernel only asks between rounds.
    query: (pid, queries, nowMs) => control.query(pid, queries, nowMs),
  };
  Comlink.expose(api, endpoint);
}
