/**
 * npm run lessons:check [-- [paths...] [--world fake|sim] [--seeds N] [--lesson id] [-v]]
 *
 * Validates every lesson file (front matter, steps, checks, solutions) and then plays each
 * lesson's solutions with the autopilot on several seeds, proving every step's checks are false
 * before the step and true after it. Prints a table and exits non-zero on any failure.
 *
 * Paths are lesson files or directories of them (default: lessons/). The world is the real
 * simulation (`--world sim`, the default: src/lessons/sim-adapter.ts on the inline runtime) or
 * the scripted fake of test/lessons/fake-world.ts, which only the format examples in
 * test/lessons/fixtures target (`npm run lessons:check:fixtures`).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runLesson, DEFAULT_SEED_COUNT, type LessonRun } from '../src/lessons/autopilot';
import { validateCourse } from '../src/lessons/course';
import { formatDiagnostic } from '../src/lessons/diagnostics';
import type { Lesson } from '../src/lessons/lesson';
import { parseLesson } from '../src/lessons/parse-lesson';
import { formatDuration } from '../src/lessons/units';
import type { WorldFactory } from '../src/lessons/world-view';
import { brokenQuiet } from '../src/sim/kernel/kernel';
import { turnCheck } from '../src/sim/runtime/runner';
import { enableTurnCheck } from '../test/support/turn-check';

interface Args {
  paths: string[];
  world: 'fake' | 'sim';
  seeds: number;
  only: string | null;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { paths: [], world: 'sim', seeds: DEFAULT_SEED_COUNT, only: null, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--world') {
      const w = argv[++i];
      if (w !== 'fake' && w !== 'sim') throw new Error(`--world takes "fake" or "sim", not "${w}"`);
      args.world = w;
    } else if (a === '--seeds') {
      args.seeds = Number(argv[++i]);
      if (!Number.isInteger(args.seeds) || args.seeds < 1) throw new Error('--seeds takes a whole number >= 1');
    } else if (a === '--lesson') args.only = argv[++i];
    else if (a === '-v' || a === '--verbose') args.verbose = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else args.paths.push(a);
  }
  if (!args.paths.length) args.paths.push('lessons');
  return args;
}

function lessonFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new Error(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (name.endsWith('.md') && name !== 'README.md') files.push(join(p, name));
    } else files.push(p);
  }
  return files;
}

async function worldFactory(kind: 'fake' | 'sim'): Promise<WorldFactory> {
  if (kind === 'fake') return (await import('../test/lessons/fake-world')).fakeWorldFactory;
  return (await import('../src/lessons/sim-adapter')).simWorldFactory;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  enableTurnCheck();
  const files = lessonFiles(args.paths);
  const lessons: Lesson[] = [];
  let invalid = 0;
  for (const file of files) {
    const r = parseLesson(file, readFileSync(file, 'utf8'));
    for (const d of r.diagnostics) console.error(formatDiagnostic(d));
    if (r.lesson) lessons.push(r.lesson);
    else invalid++;
  }
  const course = validateCourse(lessons);
  for (const d of course) console.error(formatDiagnostic(d));
  if (!files.length) {
    console.log(`no lesson files in ${args.paths.join(', ')}`);
    return 0;
  }
  const selected = args.only ? lessons.filter((l) => l.meta.id === args.only) : lessons;
  if (args.only && !selected.length) {
    console.error(`no valid lesson with id "${args.only}"`);
    return 1;
  }

  const factory = await worldFactory(args.world);
  const results: LessonRun[] = [];
  for (const lesson of selected) {
    results.push(
      await runLesson(lesson, factory, {
        seedCount: args.seeds,
        wallClock: () => performance.now(),
        onLine: args.verbose
          ? (seed, step, line, r) => {
              console.log(`[${lesson.meta.id} seed ${seed} ${step}] ${line.host}${line.mode === 'program' ? '>' : '$'} ${line.line}`);
              if (r.output) console.log(r.output.replace(/\n$/, '').replace(/^/gm, '    '));
            }
          : undefined,
      }),
    );
  }

  const rows = [['lesson', 'seeds', 'steps', 'virtual time', 'wall time', 'result']];
  for (const r of results) {
    const failed = r.runs.find((x) => !x.ok);
    rows.push([
      r.lesson,
      String(r.runs.length),
      String(r.steps),
      formatDuration(Math.max(...r.runs.map((x) => x.virtualMs))),
      `${Math.round(r.runs.reduce((t, x) => t + x.wallMs, 0))}ms`,
      r.ok ? 'ok' : `FAIL (seed ${failed!.seed}, step ${failed!.steps.find((s) => !s.ok)?.step ?? '?'})`,
    ]);
  }
  console.log(table(rows));
  for (const r of results) for (const run of r.runs) if (run.failure) console.error(run.failure);

  const failedRuns = results.filter((r) => !r.ok).length;
  const summary = `${results.length - failedRuns}/${results.length} lessons passed` +
    (invalid ? `, ${invalid} invalid file(s)` : '') + (course.length ? `, ${course.length} course error(s)` : '');
  console.log(summary);
  // A cron tick that promised quiet and then acted (Os.setTimer) is a program bug even when
  // the lesson passed: what it sent may have reached a process that had run past it.
  if (brokenQuiet.count > 0) console.error(`${brokenQuiet.count} broken quiet promise(s) in the simulation, the last: ${brokenQuiet.last}`);
  if (turnCheck.violations > 0) console.error(`${turnCheck.violations} skipped turn(s) with promise continuations pending, the last: ${turnCheck.last}`);
  return failedRuns || invalid || course.length || brokenQuiet.count || turnCheck.violations ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`lessons:check: ${(e as Error).message}`);
    process.exit(2);
  },
);
