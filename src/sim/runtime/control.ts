/**
 * The control calls a runner answers besides running batches (line editing help, bookkeeping,
 * read-only inspection queries), shared by the inline runtime and the worker side
 * (worker-serve.ts). They run where the process runs; inspection imports the engine's query
 * code (engine/inspect.ts), which is why this is not part of runtime.ts, which a page imports.
 */
import type { Runner } from './runner';
import type { ProcessInspection } from './runtime';
import { runInspectQuery, type InspectQuery } from './inspectors';

/** Read-only queries inside a runner's process (see inspectors.ts). */
export function queryRunner(runner: Runner, pid: number, queries: InspectQuery[], nowMs: number): unknown[] | null {
  const c = runner.context(pid);
  if (!c || c.dead) return null;
  return c.observe(nowMs, () => queries.map((q) => runInspectQuery(c, q, nowMs)));
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
    query: (pid: number, queries: InspectQuery[], nowMs: number) => queryRunner(runner, pid, queries, nowMs),
  };
}
