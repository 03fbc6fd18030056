/**
 * The one Markdown configuration lessons use, for parsing their structure and for rendering their
 * prose (the lesson panel, the editor's preview).
 *
 * Lessons can come from strangers (imported files and links), so rendering must be safe. It is
 * safe by construction, not by cleaning HTML afterwards:
 *   - `html: false`: markdown-it escapes any raw HTML (`<script>`, `<img onerror=...>`) instead
 *     of passing it through, so the only tags in the output are the ones its renderer writes;
 *   - links and images go through an allow-list (`safeUrl`): http, https and mailto URLs,
 *     relative paths and `#anchors`. Anything else (`javascript:`, `vbscript:`, `data:`,
 *     `file:`, unknown schemes, however they are spelt: `JaVaScRiPt:`, `java&#x73;cript:`,
 *     `java\tscript:`) is refused: the link stays as plain text;
 *   - links that leave the page open in a new tab without an opener or a referrer.
 * Nothing else in a lesson is ever interpreted as code: checks are their own little language.
 */
import markdownIt, { type MarkdownIt } from 'markdown-it';

/**
 * Whether a link or image URL may be rendered. `url` is what markdown-it hands to validateLink:
 * entities already decoded, percent-encoding not yet applied.
 */
export function safeUrl(url: string): boolean {
  // Browsers ignore ASCII whitespace and control characters inside a scheme ("java\nscript:"),
  // so judge the URL with them removed.
  const u = url.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(u);
  if (scheme) return scheme[1] === 'http' || scheme[1] === 'https' || scheme[1] === 'mailto';
  // No scheme: a relative path, a query or an anchor. A colon before any slash would make a
  // browser read a scheme after all, and a backslash can be read as a slash.
  const firstSlash = u.search(/[/?#]/);
  const head = firstSlash < 0 ? u : u.slice(0, firstSlash);
  return !head.includes(':') && !u.includes('\\');
}

export function createMarkdown(): MarkdownIt {
  const md = markdownIt({ html: false, linkify: false, typographer: false });
  md.validateLink = safeUrl;
  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const href = String(tokens[idx].attrGet('href') ?? '');
    if (/^(https?:|mailto:|\/\/)/i.test(href)) {
      tokens[idx].attrSet('target', '_blank');
      tokens[idx].attrSet('rel', 'noopener noreferrer nofollow');
    }
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return md;
}

let shared: MarkdownIt | null = null;

/** One line of lesson text (a prediction's question or choice) to inline HTML, as safely: `code`, *emphasis*, links. */
export function renderInlineProse(markdown: string): string {
  shared ??= createMarkdown();
  return shared.renderInline(markdown);
}

/** Render lesson prose to HTML, safely (see above). */
export function renderProse(markdown: string): string {
  shared ??= createMarkdown();
  return shared.render(markdown);
}
