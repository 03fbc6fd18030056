/** Rules across lessons, the course order, and the lesson scaffold. */
import { describe, expect, it } from 'vitest';
import { runLesson } from '../../src/lessons/autopilot';
import { LAB_IDS } from '../../src/lessons/catalog';
import { courseOrder, validateCourse } from '../../src/lessons/course';
import { formatDiagnostic } from '../../src/lessons/diagnostics';
import type { Lesson } from '../../src/lessons/lesson';
import { scaffoldLesson } from '../../src/lessons/scaffold';
import { fakeWorldFactory } from './fake-world';
import { FRONT, lessonText, parseOk } from './helpers';

function lesson(id: string, opts: { requires?: string[]; labs?: string[]; file?: string } = {}): Lesson {
  const front = FRONT.replace('id: t', `id: ${id}`)
    .replace('labs: [A1]', `labs: [${(opts.labs ?? ['A1']).join(', ')}]`)
    .concat(opts.requires ? `\nrequires: [${opts.requires.join(', ')}]` : '');
  return parseOk(lessonText({ front }), opts.file ?? `lessons/${id}.md`);
}

describe('course', () => {
  it('accepts lessons that require existing lessons', () => {
    expect(validateCourse([lesson('a'), lesson('b', { requires: ['a'] })])).toEqual([]);
  });

  it('reports duplicate ids, unknown and self requirements, and cycles', () => {
    const d = validateCourse([
      lesson('a', { requires: ['c'] }),
      lesson('a', { file: 'other/a.md' }),
      lesson('b', { requires: ['b', 'zz'] }),
      lesson('c', { requires: ['a'] }),
    ]).map(formatDiagnostic);
    expect(d).toEqual([
      'other/a.md:2:1: lesson id "a" is also used by lessons/a.md',
      'lessons/b.md:2:1: lesson "b" cannot require itself',
      'lessons/b.md:2:1: requires unknown lesson "zz"',
      'lessons/a.md:2:1: lessons require each other in a circle: a -> c -> a',
    ]);
  });

  it('orders lessons by lab, then after what they require', () => {
    const order = courseOrder(
      [lesson('sentinel', { labs: ['C1'] }), lesson('aof', { labs: ['A2'], requires: ['replication'] }), lesson('replication', { labs: ['B1'] }), lesson('rdb', { labs: ['A1'] })],
      LAB_IDS,
    );
    expect(order.map((l) => l.meta.id)).toEqual(['rdb', 'replication', 'aof', 'sentinel']);
  });

  it('knows the 31 labs', () => {
    expect(LAB_IDS).toHaveLength(31);
    expect(LAB_IDS.slice(0, 2)).toEqual(['A1', 'A2']);
    expect(LAB_IDS.slice(-1)).toEqual(['D4']);
  });
});

describe('lesson scaffold', () => {
  it('validates, and the autopilot can play it', async () => {
    const text = scaffoldLesson({ id: 'my-lesson', lab: 'C2', source: '001_e35f14b7ee375ca6.txt' });
    const l = parseOk(text, 'lessons/my-lesson.md');
    expect(l.meta).toMatchObject({ id: 'my-lesson', labs: ['C2'], sources: ['001_e35f14b7ee375ca6.txt'] });
    expect(l.intro).not.toBeNull();
    expect(l.steps[0]).toMatchObject({ id: 'write-a-key', hints: [expect.anything()], predicts: [expect.anything()] });
    const run = await runLesson(l, fakeWorldFactory, { seedCount: 1 });
    expect(run.runs[0].failure).toBeNull();
  });
});
