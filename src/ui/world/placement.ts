/**
 * Where the simulated processes run: one Web Worker each (the default: isolated, the page's
 * thread stays free) or on the page's own thread through the inline runtime (no round trip
 * between threads per simulation round, so worlds with many busy processes run several times
 * faster). Both give the same trace for the same seed and inputs, which is why the page can
 * switch by replaying the recorded inputs in a new world.
 */
import { InlineRuntime, WebWorkerRuntime, borrowed, type Runtime } from '../../sim';

export type ProcessPlacement = 'workers' | 'page';

const STORAGE_KEY = 'halab-processes';

/** `?processes=page|workers`, else the learner's last choice, else workers. */
export function initialPlacement(params: URLSearchParams): ProcessPlacement {
  const p = params.get('processes');
  if (p === 'page' || p === 'workers') return p;
  try {
    return localStorage.getItem(STORAGE_KEY) === 'page' ? 'page' : 'workers';
  } catch {
    return 'workers';
  }
}

export function rememberPlacement(mode: ProcessPlacement): void {
  try {
    localStorage.setItem(STORAGE_KEY, mode);
  } catch {
    // No storage (private mode): the choice lasts for this page only.
  }
}

/** The runtime for processes on the page; the programs load (and are precached) as a chunk. */
export function pageRuntime(): Runtime {
  return new InlineRuntime(() => import('../../sim/programs').then((m) => m.STANDARD_PROGRAMS));
}

let workers: WebWorkerRuntime | null = null;

/**
 * The runtime for processes in Web Workers. Every world the page builds (a preset, a lesson, a
 * reset, the replay after a placement change) takes its workers from one pool: the workers a
 * previous world's processes left are reset and serve the new ones (sim/runtime/worker-pool.ts),
 * already started and with the engine optimised by their JIT. So a world's dispose leaves the
 * pool alone; it goes when the processes move onto the page (`releaseWorkers`) or with the page.
 */
export function workerRuntime(): Runtime {
  return borrowed((workers ??= new WebWorkerRuntime(0)));
}

/** Terminate the pooled workers (the processes now run on the page). */
export function releaseWorkers(): void {
  workers?.dispose();
  workers = null;
}
