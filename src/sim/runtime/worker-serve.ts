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
import { runnerControl } from './runtime';

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

export interface WorkerApi {
  attachBatchPort(port: BatchPort): void;
  lineHelp(pid: number, kind: 'hint' | 'complete', line: string): string | string[] | null;
  inspect(pid: number): ReturnType<ReturnType<typeof runnerControl>['inspect']>;
  query(pid: number, query: unknown): unknown;
}

export function serveRunner(endpoint: Comlink.Endpoint, programs: ProgramRegistry): void {
  const runner = new Runner(programs);
  const control = runnerControl(runner);
  const api: WorkerApi = {
    attachBatchPort(port) {
      // Windows arrive one at a time: the kernel waits for this answer before the next batch.
      listen(port, (data) => {
        void runner.run(data as Batch).then((result) => {
          port.postMessage(result, payloadBuffers(result.effects) as Transferable[]);
        });
      });
    },
    lineHelp: (pid, kind, line) => control.lineHelp(pid, kind, line),
    inspect: (pid) => control.inspect(pid),
    query: (pid, q) => control.query(pid, q),
  };
  Comlink.expose(api, endpoint);
}
