/**
 * Moving lesson files in and out of the editor: a download (`<id>.md`), a data link
 * (`?view=editor&lesson-data=...`: the file's UTF-8, deflated, base64url, so a whole lesson fits in
 * a link), and a fetch from `?lesson-url=...`. Whatever comes in is only text: it is parsed by the
 * lesson parser and rendered by the safe Markdown renderer (src/lessons/markdown.ts), never run.
 */
import { lessonSources, type LessonSource } from '../lesson/loader';
import { DRAFT_KEY } from './draft-keys';
import { decodeLinkData, encodeLinkData } from '../workspace/link-data';
import type { Localized } from '../i18n.svelte';

export { DRAFT_KEY, PREVIOUS_DRAFT_KEY } from './draft-keys';


/** The editor's draft as a one-lesson folder (for `?lesson=<id>&draft=1`, playing the draft in the lesson panel). */
export function draftSources(): Map<string, LessonSource> {
  let text: string | null = null;
  try {
    text = localStorage.getItem(DRAFT_KEY);
  } catch {
    // no storage
  }
  return text === null ? new Map() : lessonSources({ [`draft/${lessonIdOf(text)}.md`]: text });
}

/** Lessons bigger than this are refused (a lesson is a few dozen KiB). */
export const MAX_LESSON_BYTES = 512 * 1024;

/**
 * Why a lesson could not be opened, in both of the UI's languages, and a detail kept as it is
 * (a link's protocol); `message` is the English.
 */
export class LessonImportError extends Error {
  constructor(readonly text: Localized, readonly detail?: string) {
    super(text.en + (detail ?? ''));
  }
}

const tooLarge = () => new LessonImportError({ en: `the lesson is larger than ${MAX_LESSON_BYTES / 1024} KiB`, zh: `课程超过 ${MAX_LESSON_BYTES / 1024} KiB` });

export async function encodeLessonData(text: string): Promise<string> {
  return encodeLinkData(new TextEncoder().encode(text));
}

export async function decodeLessonData(data: string): Promise<string> {
  const bytes = await decodeLinkData(data);
  if (bytes.length > MAX_LESSON_BYTES) throw tooLarge();
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** A link that opens `text` in the editor of the page at `base`. */
export async function lessonDataLink(text: string, base: string): Promise<string> {
  const url = new URL(base);
  url.search = '';
  url.hash = '';
  url.searchParams.set('view', 'editor');
  url.searchParams.set('lesson-data', await encodeLessonData(text));
  return url.toString();
}

/** Fetch a lesson file from a link: http(s) or a path on this site, no cookies, size-capped. */
export async function fetchLessonText(link: string, base: string): Promise<string> {
  const url = new URL(link, base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new LessonImportError({ en: 'only http and https links can be imported, not ', zh: '只能导入 http 和 https 链接，不能导入 ' }, url.protocol);
  const r = await fetch(url, { credentials: 'omit', redirect: 'follow' });
  if (!r.ok) throw new Error(`${url.href}: HTTP ${r.status}`);
  const buf = await r.arrayBuffer();
  if (buf.byteLength > MAX_LESSON_BYTES) throw tooLarge();
  return new TextDecoder('utf-8', { fatal: true }).decode(buf);
}

/** The lesson id from a file's front matter (for the download name), or "lesson". */
export function lessonIdOf(text: string): string {
  const m = /^---\n[\s\S]*?^id:\s*["']?([a-z0-9]+(?:-[a-z0-9]+)*)["']?\s*$/m.exec(text.replace(/\r\n?/g, '\n'));
  return m ? m[1] : 'lesson';
}
