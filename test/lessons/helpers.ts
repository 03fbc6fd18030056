/** Building blocks for lesson tests: a small valid lesson whose parts a test can replace. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../../src/lessons/diagnostics';
import type { Lesson } from '../../src/lessons/lesson';
import { parseLesson } from '../../src/lessons/parse-lesson';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export function fixture(name: string): { file: string; text: string } {
  const file = join(FIXTURES, name);
  return { file, text: readFileSync(file, 'utf8') };
}

export const FRONT = `id: t
title:
  en: Test
  zh: 测试
labs: [A1]
source: 000_5714fe9f07c9a9a3.txt
level: beginner
seed: 1
topology:
  hosts:
    - name: cache01
      ip: 10.0.0.1
      files:
        /etc/redis.conf: |
          port 6379
      boot:
        - redis-server /etc/redis.conf
    - name: cache02
      ip: 10.0.0.2`;

export const STEP = `## step: one

### en: One

Do it.

### zh: 一

做吧。

\`\`\`check
key("cache01:6379", "k") == "v"
\`\`\`

\`\`\`solution
cache01$ redis-cli SET k v
\`\`\``;

export const REMEMBER = `## remember

### en

Remember.

### zh

记住。`;

export function lessonText(parts: { front?: string; body?: string; steps?: string; remember?: string } = {}): string {
  const body = parts.body ?? `${parts.steps ?? STEP}\n\n${parts.remember ?? REMEMBER}\n`;
  return `---\n${parts.front ?? FRONT}\n---\n\n${body}`;
}

/** Diagnostics of a text, formatted `file:line:column: message`. */
export function diagnose(text: string, file = 't.md'): string[] {
  return parseLesson(file, text).diagnostics.map(formatDiagnostic);
}

export function parseOk(text: string, file = 't.md'): Lesson {
  const r = parseLesson(file, text);
  if (!r.lesson) throw new Error(`expected a valid lesson:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
  return r.lesson;
}

/** 1-based line of the first line containing `needle` (after `from`, a 1-based line). */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  throw new Error(`"${needle}" not found`);
}

/** 1-based column of `needle` in its first line. */
export function colOf(text: string, needle: string, from = 1): number {
  return text.split('\n')[lineOf(text, needle, from) - 1].indexOf(needle) + 1;
}

/** `t.md:L:C:` position prefix of `needle` (plus `offset` columns). */
export function at(text: string, needle: string, offset = 0, file = 't.md'): string {
  return `${file}:${lineOf(text, needle)}:${colOf(text, needle) + offset}:`;
}
