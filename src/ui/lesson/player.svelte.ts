/**
 * A lesson in progress on the live world: which step the learner is on, the step's checks
 * evaluated live, hints revealed, predictions made and then answered by the world, and the
 * autoplay that plays every step's solution at a watchable pace (`&autoplay=1`).
 *
 * Status (the panel's `data-lesson-status`): idle (not started), running, complete (every step
 * done), failed (autoplay could not finish a step — the reason is in `failure`).
 *
 * Checks are the lesson language's (src/lessons/check), evaluated over the lesson driver's view
 * (src/lessons/sim-adapter.ts, the same driver `npm run lessons:check` uses) with `settle`: the
 * view is a snapshot of process memory, and the servers answer asynchronously from their workers.
 */
import { evaluateCheck, type CheckResult } from '../../lessons/check';
import type { Check, Lesson, SolutionLine, Step } from '../../lessons/lesson';
import { cutOwnPower, type WorldView } from '../../lessons/world-view';
import { waitForBoot } from '../../lessons/autopilot';
import type { SimWorldDriver } from '../../lessons/sim-adapter';

export type LessonStatus = 'idle' | 'running' | 'complete' | 'failed';
export type StepState = 'pending' | 'active' | 'done' | 'failed';

/** What the player needs from the lesson driver. */
export type LessonWorld = Pick<SimWorldDriver, 'view' | 'type' | 'act' | 'waitUntil' | 'settle' | 'catchUp' | 'rewinds'>;

export interface PlayerHooks {
  /** Pause the live clock (autoplay drives time itself); returns how to resume it. */
  pauseClock(): () => void;
  /** Sleep `ms` of wall time (tests make it instant). */
  sleep(ms: number): Promise<void>;
  /** Called when a step becomes active (the panel scrolls it into view). */
  onStep?(index: number): void;
}

export interface CheckView {
  source: string;
  still: boolean;
  passed: boolean;
  explanation: string;
}

export interface PacingOptions {
  /** Wall ms between solution lines and steps in autoplay. */
  linePauseMs: number;
  stepPauseMs: number;
  /** How a `wait` plays: this many slices, `sliceMs` of wall time apart. */
  waitSlices: number;
  sliceMs: number;
}

export const WATCHABLE: PacingOptions = { linePauseMs: 600, stepPauseMs: 900, waitSlices: 12, sliceMs: 40 };

const SETTLE_MS = 1000;
const LINE_TIMEOUT_MS = 60_000;

export class LessonPlayer {
  status = $state<LessonStatus>('idle');
  current = $state(0);
  stepStates = $state<StepState[]>([]);
  checks = $state.raw<CheckView[]>([]);
  hintsShown = $state<number[]>([]);
  /** Learner's predictions: step index → predict index → chosen choice. */
  predictions = $state<Record<string, number>>({});
  /** World's answers after a step: "step:predict" → index of the true choice (or -1). */
  answers = $state<Record<string, number>>({});
  solutionShown = $state<boolean[]>([]);
  failure = $state<string | null>(null);
  autoplaying = $state(false);
  private stepStartMs: number[] = [];
  /** World time each step was completed at (unknown for steps a restored workspace said were done). */
  private stepDoneMs: number[] = [];
  private evaluating = false;
  private stopped = false;
  /** The world's rewinds when the autoplay started: one more, and the learner took the clock back. */
  private autoplayRewinds = 0;

  constructor(
    readonly lesson: Lesson,
    readonly world: LessonWorld,
    private readonly hooks: PlayerHooks,
    private readonly pacing: PacingOptions = WATCHABLE,
  ) {
    this.stepStates = lesson.steps.map(() => 'pending');
    this.hintsShown = lesson.steps.map(() => 0);
    this.solutionShown = lesson.steps.map(() => false);
  }

  get view(): WorldView {
    return this.world.view;
  }

  get step(): Step | null {
    return this.lesson.steps[this.current] ?? null;
  }

  /** Start at step `from` (a restored workspace resumes where the learner was). */
  start(from = 0, done: number[] = []): void {
    for (const i of done) if (i < this.stepStates.length) this.stepStates[i] = 'done';
    this.current = Math.min(from, this.lesson.steps.length);
    this.status = this.current >= this.lesson.steps.length ? 'complete' : 'running';
    if (this.status === 'running') this.activate(this.current);
  }

  private activate(i: number): void {
    this.current = i;
    this.stepStates[i] = 'active';
    this.stepStartMs[i] = this.view.now();
    this.checks = [];
    this.hooks.onStep?.(i);
  }

  private evaluate(check: Check, i: number): CheckResult {
    return evaluateCheck(check.expr, { view: this.view, stepStartMs: this.stepStartMs[i] ?? 0 });
  }

  /** Evaluate the current step's checks; advance when they all pass. Returns whether it did. */
  async tick(): Promise<boolean> {
    if (this.autoplaying || this.evaluating || this.stopped) return false;
    this.undoRewoundSteps();
    if (this.status !== 'running') return false;
    this.evaluating = true;
    try {
      // The learner runs the clock: scheduled faults whose time has come happen now.
      await this.world.catchUp();
      return await this.checkStep(this.current);
    } finally {
      this.evaluating = false;
    }
  }

  /**
   * The learner rewound the world to before a step was done (or before the current step began):
   * what the step checked is undone in the world, so the step is undone in the lesson too, and
   * the steps after it are pending again. Its start is kept when it began before the new time,
   * so that `step_start()` is never in the world's future.
   */
  private undoRewoundSteps(): void {
    if (this.status !== 'running' && this.status !== 'complete') return;
    const now = this.view.now();
    const n = this.lesson.steps.length;
    let k = -1;
    for (let i = 0; i < n && k < 0; i++) {
      if (this.stepStates[i] === 'done' && (this.stepDoneMs[i] ?? -Infinity) > now) k = i;
      else if (i === this.current && this.status === 'running' && (this.stepStartMs[i] ?? -Infinity) > now) k = i;
    }
    if (k < 0) return;
    for (let i = k; i < n; i++) {
      this.stepStates[i] = 'pending';
      delete this.stepDoneMs[i];
      for (const key of Object.keys(this.answers)) if (key.startsWith(`${i}:`)) delete this.answers[key];
    }
    const start = this.stepStartMs[k];
    this.status = 'running';
    this.activate(k);
    if (start !== undefined && start <= now) this.stepStartMs[k] = start;
  }

  private async checkStep(i: number): Promise<boolean> {
    const step = this.lesson.steps[i];
    if (!step) return false;
    const results = await this.world.settle(() => step.checks.map((c) => this.evaluate(c, i)));
    this.checks = step.checks.map((c, k) => ({ source: c.source, still: c.still, passed: results[k].passed, explanation: results[k].explanation }));
    if (!results.every((r) => r.passed)) return false;
    await this.completeStep(i);
    return true;
  }

  private async completeStep(i: number): Promise<void> {
    const step = this.lesson.steps[i];
    const truths = await this.world.settle(() => step.predicts.map((p) => p.choices.map((c) => this.evaluate(c.when, i).passed)));
    truths.forEach((t, p) => {
      this.answers[`${i}:${p}`] = t.filter(Boolean).length === 1 ? t.indexOf(true) : -1;
    });
    this.stepStates[i] = 'done';
    this.stepDoneMs[i] = this.view.now();
    if (i + 1 >= this.lesson.steps.length) {
      this.status = 'complete';
      return;
    }
    this.activate(i + 1);
  }

  predict(step: number, predict: number, choice: number): void {
    const key = `${step}:${predict}`;
    if (this.answers[key] !== undefined) return;
    this.predictions[key] = choice;
  }

  revealHint(step: number): void {
    const n = this.lesson.steps[step]?.hints.length ?? 0;
    if (this.hintsShown[step] < n) this.hintsShown[step]++;
  }

  showSolution(step: number): void {
    this.solutionShown[step] = true;
  }

  /**
   * Play every remaining step's solution, visibly. A rewind meanwhile (the learner's time
   * controls or timeline) stops it where it is: the lines it played after the new time are gone
   * from the world, so the step's checks would fail; the steps the rewind undid are undone (as
   * `tick` does) and the lesson goes on from there, the learner's to play or to autoplay again.
   */
  async autoplay(): Promise<void> {
    if (this.autoplaying) return;
    if (this.status === 'idle') this.start();
    this.autoplaying = true;
    this.autoplayRewinds = this.world.rewinds;
    const resume = this.hooks.pauseClock();
    try {
      // As the headless autopilot does: the clock may have barely run since the world was built
      // (processes on the page start at once), and a first `redis-cli` must not race the
      // servers the boot lines are still starting.
      await waitForBoot(this.world, this.lesson.meta.world);
      while (this.status === 'running' && !this.stopped && !this.rewound()) {
        const i = this.current;
        const step = this.lesson.steps[i];
        this.solutionShown[i] = true;
        await this.hooks.sleep(this.pacing.stepPauseMs);
        for (const line of step.solution) {
          if (this.rewound()) return;
          await this.playLine(line, i);
          await this.hooks.sleep(this.pacing.linePauseMs);
        }
        await this.visibleWait(SETTLE_MS);
        const results = await this.world.settle(() => step.checks.map((c) => this.evaluate(c, i)));
        if (this.rewound()) return;
        this.checks = step.checks.map((c, k) => ({ source: c.source, still: c.still, passed: results[k].passed, explanation: results[k].explanation }));
        const failed = results.findIndex((r) => !r.passed);
        if (failed >= 0) throw new Error(`step "${step.id}": check ${results[failed].truth === false ? 'false' : 'unknown'} after the solution: ${step.checks[failed].source} (${results[failed].explanation})`);
        await this.completeStep(i);
      }
    } catch (e) {
      if (!this.rewound()) this.fail((e as Error).message);
    } finally {
      this.autoplaying = false;
      if (this.rewound()) this.undoRewoundSteps();
      resume();
    }
  }

  private rewound(): boolean {
    return this.world.rewinds !== this.autoplayRewinds;
  }

  private fail(message: string): void {
    this.failure = message;
    this.status = 'failed';
    if (this.stepStates[this.current] === 'active') this.stepStates[this.current] = 'failed';
  }

  private async visibleWait(ms: number): Promise<void> {
    const slices = Math.max(1, this.pacing.waitSlices);
    for (let k = 0; k < slices && !this.rewound(); k++) {
      await this.world.act({ kind: 'wait', ms: ms / slices });
      await this.hooks.sleep(this.pacing.sliceMs);
    }
  }

  private async playLine(line: SolutionLine, i: number): Promise<void> {
    switch (line.kind) {
      case 'type': {
        const r = await this.world.type(line.host, line.line, LINE_TIMEOUT_MS);
        if (cutOwnPower(this.world.view, line.host, r)) return;
        if (r.state === 'busy') throw new Error(`"${line.line}" on ${line.host} was still running after ${LINE_TIMEOUT_MS / 1000}s`);
        return;
      }
      case 'act':
        if (line.action.kind === 'wait') await this.visibleWait(line.action.ms);
        else await this.world.act(line.action);
        return;
      case 'wait-until': {
        const held = await this.world.waitUntil(() => this.evaluate(line.condition, i).passed, line.timeoutMs);
        if (!held) throw new Error(`"${line.text}" timed out after ${line.timeoutMs / 1000}s`);
        return;
      }
    }
  }

  /** Progress to save: the current step and the steps done. */
  progress(): { current: number; done: number[]; status: LessonStatus } {
    return { current: this.current, done: this.stepStates.flatMap((s, i) => (s === 'done' ? [i] : [])), status: this.status };
  }

  stop(): void {
    this.stopped = true;
  }
}
