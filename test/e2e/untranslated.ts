/**
 * Finds English left in the Chinese UI: every text the page shows or says (visible text,
 * tooltips, accessible names, placeholders, options) is cut into runs of ASCII letters, and
 * a run must be a technical term a Chinese Redis user reads in English (an allow-list), or
 * have the shape of one (a command's option, a path, a snake_case field, an address, an
 * upper-case name such as RDB or SIGKILL), or be the name of a host or process of the world.
 *
 * What the world itself prints is not translated and not scanned: code, pre, the terminals,
 * and anything marked `translate="no"` (in SVG, class `notranslate`): INFO fields, keys, file
 * names, trace records, the engine's state names; nor what a lesson's file says (`data-lesson-text`: lessons are not
 * translated by the UI); nor text marked as another language (`lang="en"`: a lesson's English
 * title beside its Chinese one, a diagnostic of the lesson checker). The names of the states,
 * machines and trace kinds the page draws (its `data-state`, `data-machine` and "until" kinds)
 * are identifiers wherever they appear, tooltips included.
 */
import type { Page } from 'playwright-core';

/** Words kept in English in the Chinese UI (Redis, Linux and web terms, units). */
export const ALLOWED_WORDS = [
  // Redis and its programs, roles and concepts as Redis names them.
  'Redis', 'redis', 'master', 'slave', 'sentinel', 'pid', 'offset', 'db', 'key', 'TTL', 'PSYNC', 'RESP', 'RDB', 'AOF', 'INFO',
  'redis-server', 'redis-sentinel', 'redis-cli', 'redis-benchmark', 'redis-check-aof', 'redis-check-rdb', 'halab-loadgen',
  'aux', 'xstate', 'fsync', 'repl', 'backlog',
  // Linux and the network.
  'Linux', 'kill', 'SIGKILL', 'SIGTERM', 'SIGSTOP', 'SIGCONT', 'STOP', 'CONT', 'TCP', 'FIN', 'vi', 'crontab', 'Ctrl', 'Enter',
  // The web page.
  'HA', 'Lab', 'Web', 'Worker', 'JSON', 'English', 'http', 'https', 'md', 'tar', 'Markdown',
  // vi's commands (:wq, :q!); the lesson checks' keyword.
  'wq', 'still',
  // Units.
  's', 'ms', 'B', 'KB', 'MB', 'GB', 'KiB', 'x',
];

/** An offending run of English: where, which words, and the whole text it is in. */
export interface Untranslated {
  where: string;
  words: string[];
  text: string;
}

/**
 * The page's untranslated texts. `names`: host and process names (they are the world's, not
 * the UI's); `extra`: more allowed words for this page.
 */
export async function findUntranslated(page: Page, names: string[] = [], extra: string[] = []): Promise<Untranslated[]> {
  // Compiled with esbuild's keepNames (tsx), the function below calls a helper the page lacks.
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate(({ allowed, names }) => {
    const identifiers = [
      ...[...document.querySelectorAll('[data-state]')].map((e) => e.getAttribute('data-state')!),
      ...[...document.querySelectorAll('[data-machine]')].map((e) => e.getAttribute('data-machine')!),
      ...[...document.querySelectorAll('[data-control="until-kind"] option')].map((e) => e.getAttribute('value')!),
    ];
    const allow = new Set([...allowed, ...names, ...identifiers]);
    // The nearest `translate` and `lang` attributes decide, as they do for the browser.
    const verbatim = (el: Element): boolean =>
      el.closest('code, pre, kbd, samp, textarea, .xterm, .notranslate, [data-lesson-text]') !== null ||
      el.closest('[translate]')?.getAttribute('translate') === 'no' ||
      !(el.closest('[lang]')?.getAttribute('lang') ?? 'zh').startsWith('zh');
    /** A chunk of non-space, non-CJK text, stripped of the punctuation around it. */
    const ok = (chunk: string): boolean => {
      const w = chunk.replace(/^[("'“‘[{<«…·,;:.!?]+|[)"'”’\]}>»…·,;:.!?]+$/g, '');
      if (!/[A-Za-z]/.test(w) || w.length === 1) return true;
      if (allow.has(w)) return true;
      // A run of ASCII letters only is a word: upper-case names (RDB, SIGKILL, OK) and
      // camelCase identifiers are technical; any other word must be allowed.
      if (/^[A-Za-z]+$/.test(w)) return /^[A-Z]+$/.test(w) || /^[a-z]+[A-Z]/.test(w);
      // Machine-shaped text: an option or a sentinel event (-p, --port, +sdown), a path, a
      // snake_case field, an address or a file name (10.0.0.1:7000, 7000.conf), a number
      // with a unit (10x, 3s), a variable ($pid).
      // a key (Ctrl+S).
      if (/^[-+]/.test(w) || /[/_@=$0-9]/.test(w) || /[A-Za-z][.:+][A-Za-z]/.test(w)) return true;
      // Hyphenated words: each part allowed (redis-server is in the list whole).
      return w.split(/[-–]/).every((p) => p === '' || allow.has(p) || /^[A-Z]+$/.test(p));
    };
    const out: { where: string; words: string[]; text: string }[] = [];
    const describe = (el: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
        const id = e.getAttribute('data-testid') ?? e.getAttribute('data-action') ?? e.getAttribute('data-control') ?? e.getAttribute('aria-label');
        parts.unshift(`${e.tagName.toLowerCase()}${e.classList.length ? '.' + [...e.classList].join('.') : ''}${id ? `[${id}]` : ''}`);
      }
      return parts.join(' > ');
    };
    const check = (text: string, el: Element, what: string) => {
      const chunks = text.split(/[\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef（），。：；、“”‘’]+/).filter(Boolean);
      const bad = chunks.filter((c) => !ok(c));
      if (bad.length) out.push({ where: `${describe(el)} ${what}`, words: bad, text: text.trim().slice(0, 160) });
    };
    const shown = (el: Element): boolean => {
      // A tooltip (<title>) is shown on hover over a shown element.
      const target = el.tagName.toLowerCase() === 'title' ? el.parentElement : el;
      if (!target) return false;
      if (target.closest('[hidden], [inert]')) return false;
      if (target instanceof HTMLOptionElement || target instanceof HTMLOptGroupElement) return shown(target.closest('select')!);
      return target.checkVisibility({ visibilityProperty: true }) || target.tagName.toLowerCase() === 'title';
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim() || verbatim(el) || el.closest('script, style')) continue;
      if (!shown(el)) continue;
      check(n.textContent, el, 'text');
    }
    for (const el of document.body.querySelectorAll('[title], [aria-label], [placeholder], [alt], optgroup[label]')) {
      if (verbatim(el) || !shown(el)) continue;
      for (const a of ['title', 'aria-label', 'placeholder', 'alt', 'label']) {
        const v = el.getAttribute(a);
        if (v && (a !== 'label' || el.tagName === 'OPTGROUP')) check(v, el, `@${a}`);
      }
    }
    return out;
  }, { allowed: [...ALLOWED_WORDS, ...extra], names });
}

/** Host and process names of the page's world (none on a page without one). */
export async function worldNames(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const s = (window as unknown as { halab?: { session: { hosts: { name: string; processes: { name: string }[] }[] } } }).halab?.session;
    if (!s) return [];
    return [...new Set(s.hosts.flatMap((h) => [h.name, ...h.processes.map((p) => p.name)]))];
  });
}
