/**
 * Where process code runs. The kernel only talks to a runtime through `RunnerHandle.run(batch)`
 * (plus a few side-effect-free control calls), so the inline runtime and the worker runtimes
 * are interchangeable and produce the same trace.
 */
import type { Batch, BatchResult } from '../protocol';
import type { ProgramRegistry } from '../programs';
import { Runner } from './runner';
import type { InspectQuery } from './inspectors';

export interface ProcessInspection {
  pid: number;
  clock: number;
  busyUntil: number;
  sockets: number;
  listeners: number;
  children: number[];
}

export interface RunnerHandle {
  run(batch: Batch): Promise<BatchResult>;
  /**
   * The runner itself when it lives on the calling thread (inline runtime): the kernel then
   * takes `run`'s steps itself, without an await where no macrotask turn is needed (same steps
   * per runner, so the same trace).
   */
  readonly local?: Runner;
  /**
   * Worker runners: run a batch without answering, the logged result standing in for the answer
   * (a rewind replaying the run log, ../run-log.ts); batches and fed batches run in the order
   * they were sent.
   */
  feed?(batch: Batch, logged: BatchResult): void;
  /**
   * After feeding: resolves once the worker has run every fed batch, with whether its results
   * matched the logged ones (a digest of each side's).
   */
  sync?(): Promise<boolean>;
  /** Ask the readLine callbacks of a process reading a terminal line (hints, Tab completion). */
  lineHelp(pid: number, kind: 'hint' | 'complete', line: string): Promise<string | string[] | null>;
  inspect(pid: number): Promise<ProcessInspection | null>;
  /**
   * Read-only queries run inside process `pid` (see inspectors.ts), with its clock at `nowMs`.
   * Only called between rounds. Null when the runner has no such live process.
   */
  query(pid: number, queries: InspectQuery[], nowMs: number): Promise<unknown[] | null>;
  /** The same, synchronously, when the runner lives on the calling thread (inline runtime). */
  readonly queryNow?: (pid: number, queries: InspectQuery[], nowMs: number) => unknown[] | null;
  /**
   * The slot's processes are all gone: the runtime may reset the runner (a new, empty one) and
   * give it to another slot (worker runtimes keep the worker: worker-pool.ts).
   */
  release(): void;
  terminate(): void;
}

export interface Runtime {
  readonly kind: string;
  /** Runners may run a window concurrently (workers); inline runners run one after another. */
  readonly parallel: boolean;
  createRunner(): Promise<RunnerHandle>;
  dispose(): void;
}

/**
 * The same runtime for a world that must not end it: a World disposes its runtime, and this
 * view's dispose does nothing, so several worlds in turn share one runtime's workers.
 */
export function borrowed(runtime: Runtime): Runtime {
  return { kind: runtime.kind, parallel: runtime.parallel, createRunner: () => runtime.createRunner(), dispose: () => undefined };
}

/**
 * Process code on the calling thread: tests and the headless lesson runner. What only process
 * code needs — the programs (given as a loader) and the control calls with the inspection
 * queries (./control.ts, which imports the engine's) — is imported when the first runner is
 * created, so a page whose processes all run in workers never loads the engine.
 */
export class InlineRuntime implements Runtime {
  readonly kind = 'inline';
  readonly parallel = false;
  private loaded: Promise<[ProgramRegistry, typeof import('./control')]> | null = null;
  constructor(private readonly programs: ProgramRegistry | (() => Promise<ProgramRegistry>)) {}

  async createRunner(): Promise<RunnerHandle> {
    const programs = this.programs;
    this.loaded ??= Promise.all([typeof programs === 'function' ? programs() : programs, import('./control')]);
    const [registry, { runnerControl }] = await this.loaded;
    const runner = new Runner(registry);
    const control = runnerControl(runner);
    return {
      run: (batch) => runner.run(batch),
      local: runner,
      lineHelp: async (pid, kind, line) => control.lineHelp(pid, kind, line),
      inspect: async (pid) => control.inspect(pid),
      query: async (pid, queries, nowMs) => control.query(pid, queries, nowMs),
      queryNow: (pid, queries, nowMs) => control.query(pid, queries, nowMs),
      release: () => undefined,
      terminate: () => undefined,
    };
  }

  dispose(): void {}
}
