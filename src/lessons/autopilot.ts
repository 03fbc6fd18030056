/**
 * The autopilot plays a lesson's solutions on a fresh world and proves the lesson works:
 *
 *   for each seed:
 *     build the world from the lesson's topology
 *     wait for the boot: until the servers the hosts started are listening (bootWaitMs at most)
 *     for each step:
 *       every check (except `still` ones) must be false (or unknown) before the step:
 *         a check that already holds proves nothing ("no vacuous checks")
 *       play the solution: type lines into terminals, apply world actions, wait until conditions
 *       let the world settle (settleMs, one learner's glance at the screen)
 *       every check must be true
 *       every "predict" question must have exactly one true choice (the world decides the answer)
 *
 * The first failure ends that seed's run with a message pointing at the file position of the
 * check or solution line involved. Nothing here depends on how the world is implemented: it
 * only uses WorldDriver and WorldView.
 */
import { evaluateCheck } from './check';
import type { Truth } from './check/evaluate';
import { formatDiagnostic, type SourcePos } from './diagnostics';
import type { Check, Lesson, SolutionLine, Step, TerminalLine } from './lesson';
import { cutOwnPower, type TypedResult, type WorldDriver, type WorldFactory, type WorldSpec } from './world-view';

export interface AutopilotOptions {
  /** Seeds to play; default: the lesson's seed and the next `seedCount - 1` integers. */
  seeds?: number[];
  seedCount?: number;
  /** Virtual time the world runs after a solution before its checks are read. */
  settleMs?: number;
  /** Virtual time a typed line may take before it counts as hanging. */
  lineTimeoutMs?: number;
  /** Called with every line typed and its output (for -v transcripts). */
  onLine?: (seed: number, step: string, line: TerminalLine, result: TypedResult) => void;
  /** Wall clock for reports (injected so this module stays free of ambient time). */
  wallClock?: () => number;
  /** Called after every step played (passed or failed) with what happened in it (the editor's report). */
  onStep?: (seed: number, report: StepReport) => void;
}

/** One check's truth at one moment. */
export interface CheckTruth {
  source: string;
  still: boolean;
  truth: Truth;
  explanation: string;
  pos: SourcePos;
}

/** What happened in one step: checks before, each solution line, checks after. */
export interface StepReport {
  step: string;
  /** Every check before the solution (a non-`still` one must not be true). */
  before: CheckTruth[];
  lines: { text: string; pos: SourcePos; ok: boolean; detail: string }[];
  /** Every check after the solution and the settling time (each must be true); empty if the step stopped earlier. */
  after: CheckTruth[];
  ok: boolean;
  failure: string | null;
}

export const DEFAULT_SEED_COUNT = 3;
export const DEFAULT_SETTLE_MS = 1000;
export const DEFAULT_LINE_TIMEOUT_MS = 60_000;
/**
 * The longest the autopilot waits, before the first step, for the servers the boot lines start
 * to listen. A learner arrives at a booted machine; a solution whose first line is a redis-cli
 * must not race a redis-server still starting (its exec alone takes milliseconds), which no
 * one at a keyboard can do.
 */
export const BOOT_WAIT_MS = 5000;

/**
 * Every host has booted: each redis-server and redis-sentinel alive listens (a daemonizing
 * parent has gone), and one has started unless the boot lines' shells (`/bin/sh -c LINE`, as
 * init runs them) have all ended.
 */
function booted(world: Pick<WorldDriver, 'view'>, spec: WorldSpec): boolean {
  const view = world.view;
  return spec.hosts.every((h) => {
    if (h.boot.length === 0 || !view.hosts().find((v) => v.name === h.name)?.up) return true;
    const alive = view.processes(h.name).filter((p) => p.alive);
    const servers = alive.filter((p) => p.name === 'redis-server' || p.name === 'redis-sentinel').length;
    const bootShells = alive.filter((p) => p.argv[0] === '/bin/sh' && p.argv[1] === '-c' && h.boot.includes(p.argv[2])).length;
    return servers <= view.redisPorts(h.name).length && (servers > 0 || bootShells === 0);
  });
}

/**
 * Run the clock until every host has booted (see `booted`), `BOOT_WAIT_MS` at most: before a
 * first step, so that its first line meets the servers the boot lines started. The headless
 * autopilot and the page's autoplay both start this way.
 */
export async function waitForBoot(world: Pick<WorldDriver, 'view' | 'waitUntil'>, spec: WorldSpec): Promise<void> {
  if (spec.hosts.some((h) => h.boot.length > 0)) await world.waitUntil(() => booted(world, spec), BOOT_WAIT_MS);
}

export interface StepOutcome {
  step: string;
  ok: boolean;
  /** Virtual time the step's solution took, including settling. */
  virtualMs: number;
}

export interface SeedRun {
  seed: number;
  ok: boolean;
  steps: StepOutcome[];
  /** Virtual time at the end of the run. */
  virtualMs: number;
  wallMs: number;
  /** `file:line:column: message` of the failure. */
  failure: string | null;
}

export interface LessonRun {
  lesson: string;
  file: string;
  steps: number;
  ok: boolean;
  runs: SeedRun[];
}

class StepFailure extends Error {
  constructor(readonly pos: SourcePos, message: string) {
    super(message);
  }
}

function seedsFor(lesson: Lesson, opts: AutopilotOptions): number[] {
  if (opts.seeds?.length) return opts.seeds;
  const n = opts.seedCount ?? DEFAULT_SEED_COUNT;
  return Array.from({ length: n }, (_, i) => (lesson.meta.seed + i) >>> 0);
}

/** Play one lesson on every seed. */
export async function runLesson(lesson: Lesson, factory: WorldFactory, opts: AutopilotOptions = {}): Promise<LessonRun> {
  const runs: SeedRun[] = [];
  for (const seed of seedsFor(lesson, opts)) runs.push(await runSeed(lesson, factory, seed, opts));
  return { lesson: lesson.meta.id, file: lesson.file, steps: lesson.steps.length, ok: runs.every((r) => r.ok), runs };
}

/** Play one lesson on one seed. */
export async function runSeed(lesson: Lesson, factory: WorldFactory, seed: number, opts: AutopilotOptions = {}): Promise<SeedRun> {
  const wall = opts.wallClock ?? (() => 0);
  const wallStart = wall();
  const steps: StepOutcome[] = [];
  let world: WorldDriver | null = null;
  let failure: string | null = null;
  try {
    world = await factory(lesson.meta.world, seed);
    await waitForBoot(world, lesson.meta.world);
    const session = new Session(world, seed, opts);
    for (const step of lesson.steps) {
      const start = world.view.now();
      try {
        await session.playStep(step);
        steps.push({ step: step.id, ok: true, virtualMs: world.view.now() - start });
      } catch (e) {
        steps.push({ step: step.id, ok: false, virtualMs: world.view.now() - start });
        if (!(e instanceof StepFailure)) throw e;
        failure = formatDiagnostic({ file: lesson.file, ...e.pos, message: `seed ${seed}, step "${step.id}": ${e.message}` });
        break;
      }
    }
  } catch (e) {
    failure ??= `${lesson.file}: seed ${seed}: the world failed: ${(e as Error).stack ?? String(e)}`;
  }
  const virtualMs = world?.view.now() ?? 0;
  world?.dispose();
  return { seed, ok: failure === null, steps, virtualMs, wallMs: wall() - wallStart, failure };
}

function evaluate(check: Check, world: WorldDriver, stepStartMs: number) {
  return evaluateCheck(check.expr, { view: world.view, stepStartMs });
}

/** One seed's playthrough: the world and what each host's terminal is waiting for. */
class Session {
  private readonly terminals = new Map<string, 'shell' | 'program'>();

  constructor(readonly world: WorldDriver, readonly seed: number, readonly opts: AutopilotOptions) {}

  async playStep(step: Step): Promise<void> {
    const report: StepReport = { step: step.id, before: [], lines: [], after: [], ok: false, failure: null };
    try {
      await this.playStepReporting(step, report);
      report.ok = true;
    } catch (e) {
      report.failure = (e as Error).message;
      throw e;
    } finally {
      this.opts.onStep?.(this.seed, report);
    }
  }

  private async playStepReporting(step: Step, report: StepReport): Promise<void> {
    const world = this.world;
    const stepStartMs = world.view.now();
    const truth = (check: Check) => {
      const r = evaluate(check, world, stepStartMs);
      return { r, t: { source: check.source, still: check.still, truth: r.truth, explanation: r.explanation, pos: check.pos } };
    };

    // 1. No vacuous checks.
    const before = step.checks.map(truth);
    report.before = before.map((b) => b.t);
    for (const [k, check] of step.checks.entries()) {
      if (check.still) continue;
      const r = before[k].r;
      if (r.truth === true) {
        throw new StepFailure(
          check.pos,
          `check is already true before the step's solution runs, so it proves nothing: ${check.source} (${r.explanation}); ` +
            'make it about what the step changes, or mark it "still" if it only guards something that must stay true',
        );
      }
    }

    // 2. The solution.
    for (const line of step.solution) {
      const text = line.kind === 'type' ? `${line.host}${line.mode === 'shell' ? '$' : '>'} ${line.line}` : line.text;
      try {
        await this.playLine(line, step, stepStartMs);
        report.lines.push({ text, pos: line.pos, ok: true, detail: '' });
      } catch (e) {
        report.lines.push({ text, pos: line.pos, ok: false, detail: (e as Error).message });
        throw e;
      }
    }
    await world.act({ kind: 'wait', ms: this.opts.settleMs ?? DEFAULT_SETTLE_MS });

    // 3. Every check holds.
    const after = step.checks.map(truth);
    report.after = after.map((a) => a.t);
    for (const [k, check] of step.checks.entries()) {
      const r = after[k].r;
      if (!r.passed) {
        throw new StepFailure(check.pos, `check is ${r.truth === false ? 'false' : 'unknown'} after the solution: ${check.source} (${r.explanation})`);
      }
    }

    // 4. Predictions have exactly one answer.
    for (const p of step.predicts) {
      const truths = p.choices.map((c) => evaluate(c.when, world, stepStartMs));
      const right = truths.filter((t) => t.passed).length;
      if (right !== 1) {
        const detail = p.choices.map((c, i) => `"${c.text.en}": ${truths[i].truth}`).join(', ');
        throw new StepFailure(p.pos, `a predict question must have exactly one true choice after the step, found ${right} (${detail})`);
      }
    }
  }

  async playLine(line: SolutionLine, step: Step, stepStartMs: number): Promise<void> {
    const world = this.world;
    switch (line.kind) {
      case 'type': {
        const timeout = this.opts.lineTimeoutMs ?? DEFAULT_LINE_TIMEOUT_MS;
        const host = world.view.hosts().find((h) => h.name === line.host);
        if (host && !host.up) throw new StepFailure(line.pos, `cannot type on ${line.host}: it is powered off`);
        const mismatch = promptMismatch(line.mode, this.terminals.get(line.host) ?? 'shell');
        if (mismatch) throw new StepFailure(line.pos, `"${line.line}" on ${line.host}: ${mismatch}`);
        const r = await world.type(line.host, line.line, timeout);
        this.opts.onLine?.(this.seed, step.id, line, r);
        if (cutOwnPower(world.view, line.host, r)) {
          // The machine comes back with a fresh terminal, like after a `poweroff` action.
          this.terminals.delete(line.host);
          return;
        }
        if (r.state === 'busy') {
          throw new StepFailure(
            line.pos,
            `"${line.line}" on ${line.host} was still running after ${timeout / 1000}s: start servers in the background (daemonize yes, or "&")`,
          );
        }
        this.terminals.set(line.host, r.state);
        return;
      }
      case 'act':
        await world.act(line.action);
        // A machine that lost power comes back with a fresh terminal.
        if (line.action.kind === 'poweroff') this.terminals.delete(line.action.host);
        return;
      case 'wait-until': {
        const held = await world.waitUntil(() => evaluate(line.condition, world, stepStartMs).passed, line.timeoutMs);
        if (!held) {
          const r = evaluate(line.condition, world, stepStartMs);
          throw new StepFailure(line.pos, `"${line.text}" timed out after ${line.timeoutMs / 1000}s (${r.explanation})`);
        }
        return;
      }
    }
  }
}

/** Why a line cannot be typed where the solution says: `host$` needs a shell, `host>` a program. */
export function promptMismatch(expected: 'shell' | 'program', current: 'shell' | 'program'): string | null {
  if (expected === current) return null;
  return expected === 'shell'
    ? 'a program (redis-cli) is still in the foreground: leave it with "host> exit" first, or write this line as "host> ..."'
    : 'no program is in the foreground: start one (e.g. "host$ redis-cli -p 6379") or write this line as "host$ ..."';
}
