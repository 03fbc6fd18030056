/**
 * The course map's data: every lesson the page holds (whatever `lessons/*.md` contains when the
 * page is built), parsed, in course order (src/lessons/course.ts: by lab A1..D4, every lesson
 * after the lessons it `requires:`), grouped by the lab's letter, with the learner's progress
 * read from the saved workspaces.
 */
import { LAB_IDS, type Level, type Localized } from '../../lessons/catalog';
import { courseOrder, validateCourse } from '../../lessons/course';
import { formatDiagnostic } from '../../lessons/diagnostics';
import type { Lesson } from '../../lessons/lesson';
import { parseLesson } from '../../lessons/parse-lesson';
import type { Experiment } from '../workspace/experiment';
import type { LessonSource } from '../lesson/loader';

export const LAB_GROUPS: Record<string, Localized> = {
  A: { en: 'A. Persistence', zh: 'A. 持久化' },
  B: { en: 'B. Replication', zh: 'B. 主从复制' },
  C: { en: 'C. Sentinel', zh: 'C. 哨兵' },
  D: { en: 'D. Cluster', zh: 'D. 集群' },
};

export type CourseStatus = 'not-started' | 'in-progress' | 'complete';

export interface CourseEntry {
  id: string;
  /** null when the lesson does not validate (its problems are listed). */
  lesson: Lesson | null;
  title: Localized;
  level: Level | null;
  labs: string[];
  requires: string[];
  steps: number;
  /** The letter of the first lab ("A".."D"), or "?" for a lesson that does not validate. */
  group: string;
  problems: string[];
}

export function courseEntries(sources: Map<string, LessonSource>): CourseEntry[] {
  const parsed = [...sources.values()].map((s) => ({ source: s, result: parseLesson(s.file, s.text) }));
  const good = parsed.flatMap((p) => (p.result.lesson ? [p.result.lesson] : []));
  // Cross-lesson problems (an unknown or circular `requires:`) are shown, but do not hide a lesson.
  const courseProblems = new Map<string, string[]>();
  for (const d of validateCourse(good)) {
    const id = good.find((l) => l.file === d.file)?.meta.id ?? '';
    courseProblems.set(id, [...(courseProblems.get(id) ?? []), formatDiagnostic(d)]);
  }
  const acyclic = courseProblems.size === 0 ? good : good.map((l) => ({ ...l, meta: { ...l.meta, requires: l.meta.requires.filter((r) => good.some((g) => g.meta.id === r)) } }));
  let ordered: Lesson[];
  try {
    ordered = courseOrder(acyclic, LAB_IDS);
  } catch {
    ordered = acyclic;
  }
  const entries: CourseEntry[] = ordered.map((l) => ({
    id: l.meta.id,
    lesson: l,
    title: l.meta.title,
    level: l.meta.level,
    labs: l.meta.labs,
    requires: l.meta.requires,
    steps: l.steps.length,
    group: l.meta.labs.map((x) => x[0]).sort()[0] ?? '?',
    problems: courseProblems.get(l.meta.id) ?? [],
  }));
  for (const p of parsed) {
    if (p.result.lesson) continue;
    entries.push({
      id: p.source.id,
      lesson: null,
      title: { en: p.source.id, zh: p.source.id },
      level: null,
      labs: [],
      requires: [],
      steps: 0,
      group: '?',
      problems: p.result.diagnostics.map(formatDiagnostic),
    });
  }
  return entries;
}

/** A lesson's status from its saved workspace (null: never opened). */
export function lessonStatus(saved: Pick<Experiment, 'lesson' | 'inputs'> | null, steps: number): { status: CourseStatus; done: number } {
  if (!saved) return { status: 'not-started', done: 0 };
  const done = new Set(saved.lesson?.done ?? []).size;
  if (steps > 0 && done >= steps) return { status: 'complete', done };
  return { status: 'in-progress', done };
}
