/**
 * Where process code runs. The kernel only talks to a runtime through `RunnerHandle.run(batch)`
 * (plus a few side-effect-free control calls), so the inline runtime and the worker runtimes
 * are interchangeable and produce the same trace.
 */
import type { Batch, BatchResult } from '../protocol';
import type { ProgramRegistry } from '../programs';
import { Runner } from './runner';
import { inspectorOf } from './inspectors';

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
  /** Ask the readLine callbacks of a process reading a terminal line (hints, Tab completion). */
  lineHelp(pid: number, kind: 'hint' | 'complete', line: string): Promise<string | string[] | null>;
  inspect(pid: number): Promise<ProcessInspection | null>;
  /** Ask the process's registered inspector (runtime/inspectors.ts); null when it has none. */
  query(pid: number, query: unknown): Promise<unknown>;
  terminate(): void;
}

export interface Runtime {
  readonly kind: string;
  /** Runners may run a window concurrently (workers); inline runners run one after another. */
  readonly parallel: boolean;
  createRunner(): Promise<RunnerHandle>;
  dispose(): void;
}

/** Runner-side implementation of the control calls, shared by every runtime. */
export function runnerControl(runner: Runner) {
  return {
    lineHelp(pid: number, kind: 'hint' | 'complete', line: string): string | string[] | null {
      const ed = runner.context(pid)?.lineEditing;
      if (!ed) return null;
      try {
        return kind === 'hint' ? ed.hint?.(line) ?? null : ed.complete?.(line) ?? [];
      } catch {
        return null;
      }
    },
    inspect(pid: number): ProcessInspection | null {
      const c = runner.context(pid);
      if (!c) return null;
      return { pid, clock: c.clock, busyUntil: c.busyUntil, sockets: c.sockets.size, listeners: c.listeners.size, children: [...c.children.keys()] };
    },
    query(pid: number, query: unknown): unknown {
      const c = runner.context(pid);
      const inspector = c && !c.dead ? inspectorOf(c) : undefined;
      if (!inspector) return null;
      try {
        return inspector(query);
      } catch (e) {
        return { error: (e as Error).message ?? String(e) };
      }
    },
  };
}

/** Process code on the calling thread: tests and the headless lesson runner. */
export class InlineRuntime implements Runtime {
  readonly kind = 'inline';
  readonly parallel = false;
  constructor(private readonly programs: ProgramRegistry) {}

  async createRunner(): Promise<RunnerHandle> {
    const runner = new Runner(this.programs);
    const control = runnerControl(runner);
    return {
      run: (batch) => runner.run(batch),
      lineHelp: async (pid, kind, line) => control.lineHelp(pid, kind, line),
      inspect: async (pid) => control.inspect(pid),
      query: async (pid, q) => control.query(pid, q),
      terminate: () => undefined,
    };
  }

  dispose(): void {}
}
