/**
 * "Run solution" in the editor: the autopilot (src/lessons/autopilot.ts, the one
 * `npm run lessons:check` runs) plays the lesson being edited on a fresh world built in the page
 * (the simulation's inline runtime, on the page's own thread), one seed, reporting every step as
 * it finishes: each check before the solution (must not be true unless `still`), each solution
 * line, each check after (must be true). The driver hands the page a turn between actions so
 * the report draws while it runs, and so the run can be stopped.
 */
import { runSeed, type SeedRun, type StepReport } from '../../lessons/autopilot';
import type { Lesson } from '../../lessons/lesson';
import { simWorldFactory } from '../../lessons/sim-adapter';
import type { WorldFactory } from '../../lessons/world-view';

export interface SolutionRun {
  done: Promise<SeedRun>;
  stop(): void;
}

const nextTurn = () => new Promise<void>((r) => setTimeout(r, 0));

export function runSolution(lesson: Lesson, seed: number, onStep: (report: StepReport) => void): SolutionRun {
  let stopped = false;
  const factory: WorldFactory = async (spec, s) => {
    const d = await simWorldFactory(spec, s);
    const turn = async <T>(p: Promise<T>): Promise<T> => {
      const v = await p;
      await nextTurn();
      if (stopped) throw new Error('stopped');
      return v;
    };
    return {
      view: d.view,
      type: (host, line, timeoutMs) => turn(d.type(host, line, timeoutMs)),
      act: (action) => turn(d.act(action)),
      waitUntil: (condition, timeoutMs) => turn(d.waitUntil(condition, timeoutMs)),
      dispose: () => d.dispose(),
    };
  };
  const done = runSeed(lesson, factory, seed, { onStep: (_seed, r) => onStep(r), wallClock: () => performance.now() });
  return { done, stop: () => (stopped = true) };
}
