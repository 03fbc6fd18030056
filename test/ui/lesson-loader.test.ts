import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { lessonSources, loadLesson, splitProse } from '../../src/ui/lesson/loader';

function folder(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => [`/${dir}/${f}`, readFileSync(`${dir}/${f}`, 'utf8')]));
}

describe('lesson loader', () => {
  it('loads lessons by id from any folder', () => {
    const fixtures = lessonSources(folder('test/lessons/fixtures'));
    expect([...fixtures.keys()].sort()).toEqual(['format-example-failover', 'format-example-persistence']);
    const l = loadLesson(fixtures, 'format-example-persistence')!;
    expect(l.problems).toEqual([]);
    expect(l.lesson?.meta.id).toBe('format-example-persistence');
    expect(l.source.file).toBe('test/lessons/fixtures/format-example-persistence.md');
    expect(loadLesson(fixtures, 'nope')).toBeNull();
  });

  it('reports problems with their file positions instead of a lesson', () => {
    const broken = lessonSources({ '/x/bad.md': '---\nid: bad\n---\n' });
    const l = loadLesson(broken, 'bad')!;
    expect(l.lesson).toBeNull();
    expect(l.problems.length).toBeGreaterThan(0);
    expect(l.problems[0]).toMatch(/^x\/bad\.md:\d+:\d+: /);
  });

  it('splits prose at try blocks into clickable lines', () => {
    const parts = splitProse('Text **a**\n\n```try\nh1$ ps aux\nh1> SET k v\n```\n\nmore\n```conf\nport 1\n```\n');
    expect(parts.map((p) => p.kind)).toEqual(['markdown', 'try', 'markdown']);
    expect(parts[1].lines).toEqual([
      { host: 'h1', mode: 'shell', line: 'ps aux' },
      { host: 'h1', mode: 'program', line: 'SET k v' },
    ]);
    expect(parts[2].text).toContain('```conf');
  });
});
