/**
 * Lessons by id from a folder of Markdown files. The folder is whatever the caller hands in as
 * a record of path → text: the page bundles `lessons/*.md` (bundled.ts), tests hand in other
 * folders. Parsing and validation are the lesson library's (src/lessons/parse-lesson.ts).
 */
import { parseLesson } from '../../lessons/parse-lesson';
import { formatDiagnostic } from '../../lessons/diagnostics';
import type { Lesson } from '../../lessons/lesson';

export interface LessonSource {
  id: string;
  /** Path as given (shown in error messages). */
  file: string;
  text: string;
}

export interface LoadedLesson {
  source: LessonSource;
  lesson: Lesson | null;
  /** `file:line:column: message` for every problem (a lesson is only given when there are none). */
  problems: string[];
}

/** Index a folder's files by lesson id (the file name without `.md`). */
export function lessonSources(files: Record<string, string>): Map<string, LessonSource> {
  const out = new Map<string, LessonSource>();
  for (const [path, text] of Object.entries(files)) {
    const name = path.split('/').pop() ?? path;
    if (!name.endsWith('.md')) continue;
    const id = name.slice(0, -3);
    out.set(id, { id, file: path.replace(/^\//, ''), text });
  }
  return out;
}

/** Parse one lesson by id; null when the folder has no such lesson. */
export function loadLesson(sources: Map<string, LessonSource>, id: string): LoadedLesson | null {
  const source = sources.get(id);
  if (!source) return null;
  const r = parseLesson(source.file, source.text);
  return { source, lesson: r.lesson, problems: r.diagnostics.map(formatDiagnostic) };
}

export interface ProsePart {
  kind: 'markdown' | 'try';
  text: string;
  lines: { host: string; mode: 'shell' | 'program'; line: string }[];
}

const TRY_BLOCK = /^```try[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
const TRY_LINE = /^([A-Za-z0-9][A-Za-z0-9._-]*)([$>])\s*(.*)$/;

/** Split prose at its ```try blocks so the blocks can be drawn as clickable lines. */
export function splitProse(markdown: string): ProsePart[] {
  const parts: ProsePart[] = [];
  let last = 0;
  for (const m of markdown.matchAll(TRY_BLOCK)) {
    if (m.index > last) parts.push({ kind: 'markdown', text: markdown.slice(last, m.index), lines: [] });
    const lines = m[1]
      .split('\n')
      .map((l) => TRY_LINE.exec(l.trim()))
      .filter((x) => x !== null)
      .map((x) => ({ host: x[1], mode: x[2] === '$' ? ('shell' as const) : ('program' as const), line: x[3].trimEnd() }));
    parts.push({ kind: 'try', text: m[1], lines });
    last = m.index + m[0].length;
  }
  if (last < markdown.length) parts.push({ kind: 'markdown', text: markdown.slice(last), lines: [] });
  return parts.filter((p) => p.kind === 'try' || p.text.trim() !== '');
}
