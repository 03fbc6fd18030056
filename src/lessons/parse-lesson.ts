/**
 * Parser and validator of a lesson file (docs/LESSON-FORMAT.md):
 *
 *   ---                      front matter (YAML): id, title, labs, source, level, seed, topology...
 *   ---
 *   ## intro                 optional
 *   ### en                   prose in each language
 *   ### zh
 *   ## step: <id>            one or more steps
 *   ### en: <title>          the step's text in English, may hold ```try blocks
 *   ### zh: <title>          the same in Chinese
 *   ```check / ```solution / ```hint / ```predict     the step's blocks, anywhere in the step
 *   ## remember              what to take away, in each language
 *
 * The Markdown structure comes from markdown-it's block tokens (which know exactly where a
 * fenced block starts and ends, also inside lists); the blocks' contents are then parsed by the
 * check language, the solution-line parser and the YAML validator, each reporting positions in
 * the file. All diagnostics are collected; a lesson is returned only when there are none.
 */
import type { Token } from 'markdown-it';
import type { HostNames } from './addresses';
import { LANGUAGES, type Language, type Localized } from './catalog';
import { compileCheckBlock, compileCondition, type StaticContext } from './check';
import { DiagnosticSink, didYouMean, type Diagnostic, type SourcePos } from './diagnostics';
import { parseFrontMatter } from './front-matter';
import type { Check, Lesson, Predict, Prose, SolutionLine, Step, TerminalLine, TextSection } from './lesson';
import { createMarkdown } from './markdown';
import { validators } from './schema';
import { parseSolutionLine, parseTerminalLine, type LineContext } from './solution';
import { textMap, type TextMap } from './text-map';
import { locate, parseYaml, scalarValueMap, validateYaml } from './yaml-source';

export interface ParseResult {
  lesson: Lesson | null;
  diagnostics: Diagnostic[];
}

export const DIRECTIVES = ['try', 'check', 'solution', 'hint', 'predict'] as const;
type Directive = (typeof DIRECTIVES)[number];
/** Blocks that belong to the step rather than to the prose of one language. */
const STEP_BLOCKS: readonly string[] = ['check', 'solution', 'hint', 'predict'];

const STEP_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

interface LangPart {
  lang: Language;
  title: string | null;
  headingLine: number;
  /** Body line indexes [from, to) of the prose. */
  from: number;
  to: number;
  tries: TerminalLine[];
}

interface OpenSection {
  kind: 'intro' | 'step' | 'remember';
  id: string;
  pos: SourcePos;
  headingIndex: number;
  langs: LangPart[];
  /** Body line ranges [from, to) taken out of the prose (step-level blocks). */
  excluded: [number, number][];
  /** Try lines written outside a language part. */
  sharedTries: TerminalLine[];
  checks: Check[];
  solution: SolutionLine[] | null;
  hints: Localized[];
  predicts: Predict[];
  hasCheckBlock: boolean;
}

/** The file's name without directory and `.md`, when it has one. */
function fileId(file: string): string | null {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.endsWith('.md') ? base.slice(0, -3) : null;
}

export function parseLesson(file: string, source: string): ParseResult {
  const sink = new DiagnosticSink(file);
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');

  // ---- Front matter
  if (lines[0].trimEnd() !== '---') {
    sink.error({ line: 1, column: 1 }, 'a lesson starts with its front matter: a line "---", YAML, and a closing "---"');
    return { lesson: null, diagnostics: sink.list };
  }
  let close = -1;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i].trimEnd();
    if (l === '---' || l === '...') {
      close = i;
      break;
    }
  }
  if (close < 0) {
    sink.error({ line: 1, column: 1 }, 'the front matter opened here is never closed with a "---" line');
    return { lesson: null, diagnostics: sink.list };
  }
  const yamlText = lines.slice(1, close).join('\n');
  const fm = parseFrontMatter(yamlText, textMap(yamlText, 2, () => 1), sink, { expectedId: fileId(file) });

  // ---- Body
  const bodyFirstLine = close + 2; // 1-based file line of body line 0
  const bodyLines = lines.slice(close + 1);
  const body = new BodyParser(sink, bodyLines, bodyFirstLine, fm.hosts, {
    hosts: fm.hosts,
    hasLoadgen: fm.hasLoadgen,
  });
  body.run();

  // Report in file order (the front matter, the blocks and their contents are checked in passes).
  sink.list.sort((a, b) => a.line - b.line || a.column - b.column);
  if (!sink.ok || !fm.meta || !body.remember) return { lesson: null, diagnostics: sink.list };
  return {
    lesson: { file, meta: fm.meta, intro: body.intro, steps: body.steps, remember: body.remember },
    diagnostics: [],
  };
}

class BodyParser {
  intro: TextSection | null = null;
  steps: Step[] = [];
  remember: TextSection | null = null;
  private section: OpenSection | null = null;
  private lang: LangPart | null = null;
  private readonly lineCtx: LineContext;
  private seenIntro = false;
  private seenRemember = false;
  private readonly stepIds = new Set<string>();

  constructor(
    readonly sink: DiagnosticSink,
    readonly lines: string[],
    readonly firstLine: number,
    hosts: HostNames[] | null,
    readonly checkCtx: StaticContext,
  ) {
    this.lineCtx = { hosts, checks: checkCtx };
  }

  /** File position of body line `i`, column `col` (1-based). */
  pos(i: number, col = 1): SourcePos {
    return { line: this.firstLine + i, column: col };
  }

  run(): void {
    const tokens = createMarkdown().parse(this.lines.join('\n'), {});
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      if (!t.map || t.nesting === -1) continue;
      if (t.level > 0) {
        if (t.type === 'fence' && (DIRECTIVES as readonly string[]).includes(this.infoWord(t))) {
          this.sink.error(
            this.pos(t.map[0], this.indentOf(t.map[0]) + 1),
            `a ${this.infoWord(t)} block must start at the beginning of a line, not inside a list or a quote`,
          );
        }
        continue;
      }
      if (t.type === 'heading_open') {
        this.heading(t, tokens[k + 1]?.content ?? '');
        continue;
      }
      if (t.type === 'fence' && (DIRECTIVES as readonly string[]).includes(this.infoWord(t))) {
        this.directive(t, this.infoWord(t) as Directive);
        continue;
      }
      if (t.type === 'fence') this.misspeltDirective(t);
      if (!this.lang) this.strayText(t);
    }
    this.closeSection(this.lines.length);
    if (!this.steps.length && this.sink.ok) {
      this.sink.error(this.pos(this.lines.length - 1), 'a lesson needs at least one "## step: <id>"');
    }
    if (!this.seenRemember) {
      this.sink.error(this.pos(Math.max(0, this.lines.length - 1)), 'a lesson ends with "## remember": what to take away, in each language');
    }
  }

  infoWord(t: Token): string {
    return t.info.trim().split(/\s+/)[0] ?? '';
  }

  /** ```soluton would silently become a code sample: flag names one typo away from a block. */
  misspeltDirective(t: Token): void {
    const word = this.infoWord(t);
    if (!word) return;
    const suggestion = didYouMean(word, DIRECTIVES);
    if (suggestion) {
      this.sink.error(
        this.pos(t.map![0], this.indentOf(t.map![0]) + 1),
        `unknown block "${word}"${suggestion}; blocks are ${DIRECTIVES.join(', ')} (other names are code shown as text)`,
      );
    }
  }

  indentOf(i: number): number {
    const l = this.lines[i] ?? '';
    return l.length - l.trimStart().length;
  }

  strayText(t: Token): void {
    const where = this.section ? `under "### en" or "### zh"` : 'in a section ("## intro", "## step: <id>", "## remember")';
    this.sink.error(this.pos(t.map![0], this.indentOf(t.map![0]) + 1), `text must be ${where}`);
  }

  heading(t: Token, content: string): void {
    const i = t.map![0];
    const level = Number(t.tag.slice(1));
    const at = this.pos(i, this.indentOf(i) + 1);
    if (level === 1) {
      this.sink.error(at, 'no "#" headings: the lesson\'s title is "title:" in the front matter');
      return;
    }
    if (level === 2) {
      this.closeSection(i);
      this.openSection(content.trim(), at, i);
      return;
    }
    if (level === 3) {
      const m = /^(\w+)\s*(?::\s*(.*))?$/.exec(content.trim());
      if (!this.section) {
        this.sink.error(at, 'a "###" heading must be inside a section ("## intro", "## step: <id>", "## remember")');
        return;
      }
      if (!m || !(LANGUAGES as readonly string[]).includes(m[1])) {
        this.sink.error(
          at,
          `"### ${content.trim()}" is not a language heading: a section has "### en: <title>" and "### zh: <title>" (use "####" for headings inside the text)`,
        );
        return;
      }
      const lang = m[1] as Language;
      if (this.section.langs.some((l) => l.lang === lang)) {
        this.sink.error(at, `this section already has its "### ${lang}" text`);
        return;
      }
      this.endLang(i);
      const title = m[2]?.trim() || null;
      if (this.section.kind === 'step' && !title) {
        this.sink.error(at, `a step's language heading carries its title: "### ${lang}: <title>"`);
      }
      this.lang = { lang, title, headingLine: i, from: i + 1, to: i + 1, tries: [] };
      this.section.langs.push(this.lang);
      return;
    }
    if (!this.lang) this.strayText(t);
  }

  openSection(content: string, at: SourcePos, i: number): void {
    const stepMatch = /^step\s*:\s*(.*)$/i.exec(content);
    let kind: OpenSection['kind'];
    let id = '';
    if (stepMatch) {
      kind = 'step';
      id = stepMatch[1].trim();
      if (!STEP_ID.test(id)) {
        this.sink.error(at, `"${id}" is not a step id: lower-case letters, digits and single dashes (kill-the-master)`);
      } else if (this.stepIds.has(id)) {
        this.sink.error(at, `step "${id}" is defined twice`);
      }
      this.stepIds.add(id);
      if (this.seenRemember) this.sink.error(at, 'steps come before "## remember"');
    } else if (/^intro$/i.test(content)) {
      kind = 'intro';
      if (this.seenIntro) this.sink.error(at, 'the lesson already has an intro');
      else if (this.steps.length || this.section) this.sink.error(at, '"## intro" comes before the first step');
      this.seenIntro = true;
    } else if (/^remember$/i.test(content)) {
      kind = 'remember';
      if (this.seenRemember) this.sink.error(at, 'the lesson already has a "## remember" section');
      this.seenRemember = true;
    } else {
      const word = content.split(/[\s:]/)[0];
      this.sink.error(
        at,
        `unknown section "## ${content}"${didYouMean(word, ['step', 'intro', 'remember'])}: sections are "## intro", "## step: <id>" and "## remember"`,
      );
      this.section = null;
      this.lang = null;
      return;
    }
    this.section = {
      kind,
      id,
      pos: at,
      headingIndex: i,
      langs: [],
      excluded: [],
      sharedTries: [],
      checks: [],
      solution: null,
      hints: [],
      predicts: [],
      hasCheckBlock: false,
    };
    this.lang = null;
  }

  endLang(i: number): void {
    if (this.lang) this.lang.to = i;
    this.lang = null;
  }

  /** Content lines of a fence as text, plus a map from offsets in it to file positions. */
  fenceContent(t: Token): { text: string; map: TextMap; closed: boolean; first: number } {
    const [start, end] = t.map!;
    const fenceIndent = this.indentOf(start);
    const last = this.lines[end - 1]?.trim() ?? '';
    const closed = end - 1 > start && last.startsWith(t.markup) && last.replace(/[`~]/g, '') === '';
    const contentEnd = closed ? end - 1 : end;
    const raw = this.lines.slice(start + 1, contentEnd);
    const stripped = raw.map((l) => Math.min(fenceIndent, l.length - l.trimStart().length));
    const text = raw.map((l, k) => l.slice(stripped[k])).join('\n');
    const map = textMap(text, this.firstLine + start + 1, (k) => 1 + (stripped[k] ?? 0));
    return { text, map, closed, first: start + 1 };
  }

  directive(t: Token, kind: Directive): void {
    const [start, end] = t.map!;
    const at = this.pos(start, this.indentOf(start) + 1);
    const content = this.fenceContent(t);
    if (!content.closed) {
      this.sink.error(at, `the ${kind} block opened here is never closed (add a line ${t.markup})`);
    }
    const section = this.section;
    if (!section) {
      this.sink.error(at, `a ${kind} block must be inside a step`);
      return;
    }
    if (STEP_BLOCKS.includes(kind)) {
      section.excluded.push([start, end]);
      if (section.kind !== 'step') {
        this.sink.error(at, `a ${kind} block belongs to a step, not to "## ${section.kind}"`);
        return;
      }
    }
    switch (kind) {
      case 'try': {
        if (section.kind === 'remember') {
          this.sink.error(at, 'a try block belongs to a step or the intro, not to "## remember"');
          return;
        }
        const tries: TerminalLine[] = [];
        content.text.split('\n').forEach((line, k) => {
          if (line.trim() === '' || line.trim().startsWith('#')) return;
          const lineMap = (o: number) => content.map(offsetOfLine(content.text, k) + o);
          const parsed = parseTerminalLine(line, lineMap, this.lineCtx, this.sink);
          if (parsed) tries.push(parsed);
        });
        if (!tries.length && content.closed) this.sink.error(at, 'the try block is empty');
        (this.lang ? this.lang.tries : section.sharedTries).push(...tries);
        return;
      }
      case 'check': {
        section.hasCheckBlock = true;
        const checks = compileCheckBlock(content.text, content.map, this.checkCtx, this.sink);
        for (const c of checks) {
          section.checks.push({ expr: c, source: content.text.slice(c.expr.start, c.end), pos: content.map(c.start), still: c.still });
        }
        if (!checks.length && content.text.trim() === '') this.sink.error(at, 'the check block is empty');
        return;
      }
      case 'solution': {
        if (section.solution) {
          this.sink.error(at, 'a step has one solution block');
          return;
        }
        const solution: SolutionLine[] = [];
        content.text.split('\n').forEach((line, k) => {
          const lineMap = (o: number) => content.map(offsetOfLine(content.text, k) + o);
          const parsed = parseSolutionLine(line, lineMap, this.lineCtx, this.sink);
          if (parsed) solution.push(parsed);
        });
        if (!solution.length && content.text.trim() === '') this.sink.error(at, 'the solution block is empty');
        section.solution = solution;
        return;
      }
      case 'hint': {
        const parsed = parseYaml(content.text, content.map, this.sink);
        if (!parsed) return;
        if (validateYaml(validators().hint, parsed, content.map, this.sink, 'hint')) {
          section.hints.push(parsed.value as Localized);
        }
        return;
      }
      case 'predict': {
        const parsed = parseYaml(content.text, content.map, this.sink);
        if (!parsed) return;
        if (!validateYaml(validators().predict, parsed, content.map, this.sink, 'predict')) return;
        const v = parsed.value as { question: Localized; choices: (Localized & { when: string })[]; explain?: Localized };
        let ok = true;
        const choices = v.choices.map((c, i) => {
          const node = locate(parsed.doc, ['choices', i, 'when']).node;
          const whenMap = scalarValueMap(content.text, node, c.when, content.map);
          const cond = compileCondition(c.when, whenMap, this.checkCtx, this.sink);
          if (!cond) ok = false;
          const lead = c.when.length - c.when.trimStart().length;
          const when: Check | null = cond ? { expr: cond, source: c.when.trim(), pos: whenMap(lead), still: false } : null;
          return { text: { en: c.en, zh: c.zh }, when: when! };
        });
        if (ok) section.predicts.push({ question: v.question, choices, explain: v.explain ?? null, pos: at });
        return;
      }
    }
  }

  prose(section: OpenSection, part: LangPart): Prose {
    const keep: string[] = [];
    let first = -1;
    for (let i = part.from; i < part.to; i++) {
      if (section.excluded.some(([a, b]) => i >= a && i < b)) continue;
      if (first < 0 && this.lines[i].trim() === '') continue;
      if (first < 0) first = i;
      keep.push(this.lines[i]);
    }
    while (keep.length && keep[keep.length - 1].trim() === '') keep.pop();
    return { markdown: keep.join('\n'), line: this.firstLine + (first < 0 ? part.from : first) };
  }

  closeSection(end: number): void {
    this.endLang(end);
    const s = this.section;
    this.section = null;
    if (!s) return;
    for (const lang of LANGUAGES) {
      if (!s.langs.some((l) => l.lang === lang)) {
        const what = s.kind === 'step' ? `"### ${lang}: <title>" and its text` : `"### ${lang}" and its text`;
        this.sink.error(s.pos, `this section has no ${lang === 'en' ? 'English' : 'Chinese'} text: add ${what}`);
      }
    }
    const prose = {} as Record<Language, Prose>;
    const titles = {} as Record<Language, string | null>;
    for (const part of s.langs) {
      prose[part.lang] = this.prose(s, part);
      titles[part.lang] = part.title;
      if (prose[part.lang].markdown.trim() === '') {
        this.sink.error(this.pos(part.headingLine), `the "### ${part.lang}" text is empty`);
      }
    }
    // The languages offer the same commands to try.
    const [en, zh] = LANGUAGES.map((l) => s.langs.find((p) => p.lang === l));
    if (en && zh) {
      const key = (t: TerminalLine) => `${t.host}${t.mode === 'shell' ? '$' : '>'} ${t.line}`;
      const a = en.tries.map(key).join('\n');
      const b = zh.tries.map(key).join('\n');
      if (a !== b) {
        const where = zh.tries[0]?.pos ?? this.pos(zh.headingLine);
        this.sink.error(where, `the zh text offers other commands to try than the en text; both must have the same try lines (en: ${en.tries.map(key).join(' / ') || 'none'})`);
      }
    }
    const complete = LANGUAGES.every((l) => prose[l] !== undefined);
    const tries = [...(en?.tries ?? []), ...s.sharedTries];
    const localizedTitle = (): Localized | null =>
      LANGUAGES.every((l) => titles[l]) ? (Object.fromEntries(LANGUAGES.map((l) => [l, titles[l]!])) as Localized) : null;

    if (s.kind === 'step') {
      if (!s.hasCheckBlock) this.sink.error(s.pos, `step "${s.id}" has no check block: how does the learner know the step is done?`);
      else if (s.checks.length && s.checks.every((c) => c.still)) {
        this.sink.error(s.checks[0].pos, `step "${s.id}" has only "still" checks: at least one check must become true during the step`);
      }
      if (!s.solution) this.sink.error(s.pos, `step "${s.id}" has no solution block (the autopilot plays it to prove the step works)`);
      const title = localizedTitle();
      if (complete && title) {
        this.steps.push({
          id: s.id,
          title,
          prose,
          tries,
          checks: s.checks,
          solution: s.solution ?? [],
          hints: s.hints,
          predicts: s.predicts,
          pos: s.pos,
        });
      }
      return;
    }
    if (!complete) return;
    const section: TextSection = { title: localizedTitle(), prose, tries, pos: s.pos };
    if (s.kind === 'intro') this.intro = section;
    else this.remember = section;
  }
}

function offsetOfLine(text: string, k: number): number {
  let offset = 0;
  for (let i = 0; i < k; i++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}

