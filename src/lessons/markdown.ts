/**
 * The one Markdown configuration lessons use, for parsing their structure and (later, in the
 * lesson panel and editor) for rendering their prose.
 *
 * Lessons can come from strangers (imported files and links), so rendering must be safe:
 * `html: false` makes markdown-it escape any raw HTML instead of passing it through, and its
 * default link validation drops `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs.
 * Nothing else in a lesson is ever interpreted as code: checks are their own little language.
 */
import markdownIt, { type MarkdownIt } from 'markdown-it';

export function createMarkdown(): MarkdownIt {
  return markdownIt({ html: false, linkify: false, typographer: false });
}

let shared: MarkdownIt | null = null;

/** Render lesson prose to HTML, safely (see above). */
export function renderProse(markdown: string): string {
  shared ??= createMarkdown();
  return shared.render(markdown);
}
