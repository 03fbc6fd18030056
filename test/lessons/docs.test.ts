/** docs/LESSON-FORMAT.md stays true: its full example validates and it documents every name. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../src/lessons/check';
import { ACTION_WORDS } from '../../src/lessons/solution';
import { frontMatterJsonSchema } from '../../src/lessons/schema';
import { parseOk } from './helpers';
import { runSeed } from '../../src/lessons/autopilot';
import { simWorldFactory } from '../../src/lessons/sim-adapter';

const doc = readFileSync(join(import.meta.dirname, '../../docs/LESSON-FORMAT.md'), 'utf8');

describe('docs/LESSON-FORMAT.md', () => {
  it('has a full example that is a valid lesson', () => {
    const m = /````markdown\n([\s\S]*?)\n````/.exec(doc);
    expect(m).not.toBeNull();
    const lesson = parseOk(m![1] + '\n', 'lessons/c2-automatic-failover.md');
    expect(lesson.steps.map((s) => s.id)).toEqual(['kill-the-master', 'old-master-returns']);
    expect(lesson.meta.world.hosts.map((h) => h.name)).toEqual(['redis01', 'redis02', 'redis03']);
  });

  it('documents every check function, world action and front matter field', () => {
    for (const name of FUNCTIONS.keys()) expect(doc, name).toMatch(new RegExp(`\\| \`${name}\\(`));
    for (const word of ACTION_WORDS) expect(doc, word).toMatch(new RegExp(`\\| \`${word}\\b`));
    for (const field of Object.keys(frontMatterJsonSchema.properties)) expect(doc, field).toContain(`| \`${field}\` |`);
  });
});

describe('README.md', () => {
  it('has a lesson example that validates and whose solution plays on the simulation', async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const m = /## Writing lessons[\s\S]*?````markdown\n([\s\S]*?)\n````/.exec(readme);
    expect(m).not.toBeNull();
    const lesson = parseOk(m![1] + '\n', 'lessons/a2-key-survives-kill.md');
    const run = await runSeed(lesson, simWorldFactory, lesson.meta.seed);
    expect(run.failure).toBeNull();
    expect(run.steps.map((s) => s.ok)).toEqual([true]);
  });
});
