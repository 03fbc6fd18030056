/** The course map's data: every lesson of a folder, in course order, with progress from saved workspaces. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { courseEntries, lessonStatus } from '../../src/ui/course/entries';
import { lessonSources } from '../../src/ui/lesson/loader';
import { scaffoldLesson } from '../../src/lessons/scaffold';

const folder = Object.fromEntries(readdirSync('lessons').filter((f) => f.endsWith('.md')).map((f) => [`/lessons/${f}`, readFileSync(join('lessons', f), 'utf8')]));

describe('course map entries', () => {
  it('lists every lesson of the folder, each after the lessons it requires, grouped by lab letter', () => {
    const entries = courseEntries(lessonSources(folder));
    expect(entries.map((e) => e.id).sort()).toEqual(Object.keys(folder).map((f) => f.slice('/lessons/'.length, -3)).sort());
    const at = new Map(entries.map((e, i) => [e.id, i]));
    for (const e of entries) {
      expect(e.problems, e.id).toEqual([]);
      for (const r of e.requires) expect(at.get(r)!, `${e.id} after ${r}`).toBeLessThan(at.get(e.id)!);
      expect(e.group).toBe(e.labs[0][0]);
    }
    // Groups in lab order: A before B before C before D.
    const groups = entries.map((e) => e.group);
    expect(groups).toEqual([...groups].sort());
  });

  it('picks up new lessons, orders them by requires across labs, and keeps broken ones with their problems', () => {
    const c1 = scaffoldLesson({ id: 'c1-new', lab: 'C1' });
    const b1 = scaffoldLesson({ id: 'b1-new', lab: 'B1' }).replace('level: beginner', 'level: beginner\nrequires: [c1-new]');
    const broken = scaffoldLesson({ id: 'b2-broken', lab: 'B2' }).replace('level: beginner', 'level: expert');
    const entries = courseEntries(lessonSources({ '/lessons/b1-new.md': b1, '/lessons/c1-new.md': c1, '/lessons/b2-broken.md': broken }));
    expect(entries.map((e) => [e.id, e.group])).toEqual([['c1-new', 'C'], ['b1-new', 'B'], ['b2-broken', '?']]);
    expect(entries[2].lesson).toBeNull();
    expect(entries[2].problems.join('\n')).toMatch(/b2-broken\.md:\d+:\d+: .*level/);
  });

  it('reports an unknown requirement without hiding the lesson', () => {
    const a = scaffoldLesson({ id: 'a1-x' }).replace('level: beginner', 'level: beginner\nrequires: [nope]');
    const [e] = courseEntries(lessonSources({ '/lessons/a1-x.md': a }));
    expect(e.lesson).not.toBeNull();
    expect(e.problems).toEqual(['lessons/a1-x.md:2:1: requires unknown lesson "nope"']);
  });

  it('derives the status from the saved workspace', () => {
    expect(lessonStatus(null, 4)).toEqual({ status: 'not-started', done: 0 });
    expect(lessonStatus({ inputs: [] }, 4)).toEqual({ status: 'in-progress', done: 0 });
    expect(lessonStatus({ inputs: [], lesson: { current: 2, done: [0, 1] } }, 4)).toEqual({ status: 'in-progress', done: 2 });
    expect(lessonStatus({ inputs: [], lesson: { current: 4, done: [0, 1, 2, 3] } }, 4)).toEqual({ status: 'complete', done: 4 });
  });
});
