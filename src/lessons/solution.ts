/**
 * Lines of `try` and `solution` blocks and of the fault schedule.
 *
 *   eshop-cache01$ redis-cli -p 6379 SET k1 v1     a shell line typed on a host
 *   eshop-cache01> SET k2 v2                       a line for the program in the foreground
 *   wait 35s                                       run the clock
 *   wait until role("10.0.0.2:6379") == "master"   run the clock until a check holds (120s max)
 *   wait up to 90s until <check>                   ... with another limit
 *   partition eshop-cache01 | eshop-cache02, eshop-cache03
 *   heal
 *   poweroff eshop-cache01        poweron eshop-cache01
 *   latency eshop-cache01 <-> eshop-cache02 200ms
 *   loss eshop-cache01 <-> eshop-cache02 30%
 *   loadgen start                 loadgen stop
 *   # a comment
 */
import type { HostNames } from './addresses';
import { compileCondition, type StaticContext } from './check';
import { didYouMean, type DiagnosticSink, type SourcePos } from './diagnostics';
import type { Check, SolutionLine, TerminalLine } from './lesson';
import type { TextMap } from './text-map';
import { UNIT_HELP, parseDuration } from './units';
import type { WorldAction } from './world-view';

export const DEFAULT_WAIT_UNTIL_MS = 120_000;

export const ACTION_WORDS = ['wait', 'partition', 'heal', 'poweroff', 'poweron', 'latency', 'loss', 'loadgen'];

const PROMPT = /^([A-Za-z0-9][A-Za-z0-9._-]*)([$>])(?=\s|$)\s*(.*)$/;

export interface LineContext {
  /** Topology hosts, or null when the front matter is too broken to know them. */
  hosts: readonly HostNames[] | null;
  checks: StaticContext;
}

interface Word {
  text: string;
  /** Offset in the line. */
  at: number;
}

function words(text: string): Word[] {
  const out: Word[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ text: m[0], at: m.index });
  return out;
}

function knownHost(name: string, ctx: LineContext, pos: SourcePos, sink: DiagnosticSink): boolean {
  if (!ctx.hosts) return true;
  if (ctx.hosts.some((h) => h.name === name)) return true;
  const names = ctx.hosts.map((h) => h.name);
  sink.error(pos, `unknown host "${name}"${didYouMean(name, names)}; hosts are ${names.join(', ')}`);
  return false;
}

/** `host$ line` or `host> line`; null (with a diagnostic) otherwise. */
export function parseTerminalLine(text: string, map: TextMap, ctx: LineContext, sink: DiagnosticSink): TerminalLine | null {
  const m = PROMPT.exec(text);
  if (!m) {
    sink.error(map(0), `expected "host$ command" (a shell line) or "host> line" (a line for redis-cli), found "${text.trim()}"`);
    return null;
  }
  const [, host, prompt, line] = m;
  if (!knownHost(host, ctx, map(0), sink)) return null;
  if (line.trim() === '') {
    sink.error(map(host.length), `nothing to type after "${host}${prompt}"`);
    return null;
  }
  return { host, mode: prompt === '$' ? 'shell' : 'program', line: line.trimEnd(), pos: map(0) };
}

/** One solution line (or a fault's `do:`); null for blank lines, comments and errors. */
export function parseSolutionLine(
  text: string,
  map: TextMap,
  ctx: LineContext,
  sink: DiagnosticSink,
  opts: { allowWait: boolean } = { allowWait: true },
): SolutionLine | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  if (PROMPT.test(text)) {
    const t = parseTerminalLine(text, map, ctx, sink);
    return t ? { kind: 'type', ...t } : null;
  }
  const w = words(text);
  const at = (word: Word | undefined, extra = 0) => map(word ? word.at + extra : text.length);
  const act = (action: WorldAction): SolutionLine => ({ kind: 'act', action, pos: map(w[0].at), text: trimmed });
  const expectEnd = (n: number): boolean => {
    if (w.length > n) {
      sink.error(at(w[n]), `unexpected "${w[n].text}" at the end of "${w[0].text}"`);
      return false;
    }
    return true;
  };
  const duration = (word: Word | undefined, what: string): number | null => {
    if (!word) {
      sink.error(at(word), `${what}: expected a duration like 35s`);
      return null;
    }
    const ms = parseDuration(word.text);
    if (ms === null) sink.error(at(word), `"${word.text}" is not a duration: ${UNIT_HELP}`);
    return ms;
  };
  const host = (word: Word | undefined, what: string): string | null => {
    if (!word) {
      sink.error(at(word), `${what}: expected a host name`);
      return null;
    }
    return knownHost(word.text, ctx, at(word), sink) ? word.text : null;
  };
  /** `a <-> b`, then returns the words after it. */
  const link = (verb: string): { a: string; b: string } | null => {
    const a = host(w[1], verb);
    if (!w[2] || w[2].text !== '<->') {
      sink.error(at(w[2]), `${verb}: write "${verb} hostA <-> hostB ..."`);
      return null;
    }
    const b = host(w[3], verb);
    if (a && b && a === b) {
      sink.error(at(w[3]), `${verb}: a link joins two different hosts`);
      return null;
    }
    return a && b ? { a, b } : null;
  };

  const verb = w[0].text;
  switch (verb) {
    case 'wait': {
      if (!opts.allowWait) {
        sink.error(at(w[0]), 'a scheduled fault cannot wait: give it its own "at:" time');
        return null;
      }
      let timeoutMs = DEFAULT_WAIT_UNTIL_MS;
      let untilWord: Word | undefined;
      if (w[1]?.text === 'until') untilWord = w[1];
      else if (w[1]?.text === 'up' && w[2]?.text === 'to') {
        const ms = duration(w[3], 'wait up to');
        if (ms === null) return null;
        timeoutMs = ms;
        if (w[4]?.text !== 'until') {
          sink.error(at(w[4]), 'expected "until <check>" after "wait up to <duration>"');
          return null;
        }
        untilWord = w[4];
      }
      if (untilWord) {
        const start = untilWord.at + untilWord.text.length;
        const condText = text.slice(start);
        if (condText.trim() === '') {
          sink.error(at(untilWord), 'expected a check after "until"');
          return null;
        }
        const condition = compileCondition(condText, (o) => map(start + o), ctx.checks, sink);
        if (!condition) return null;
        const first = condText.length - condText.trimStart().length;
        const check: Check = { expr: condition, source: condText.trim(), pos: map(start + first), still: false };
        return { kind: 'wait-until', condition: check, timeoutMs, pos: map(w[0].at), text: trimmed };
      }
      const ms = duration(w[1], 'wait');
      if (ms === null || !expectEnd(2)) return null;
      return act({ kind: 'wait', ms });
    }
    case 'partition': {
      const start = w[0].at + verb.length;
      const rest = text.slice(start);
      const groups: string[][] = [];
      let offset = start;
      let ok = true;
      const seen = new Set<string>();
      for (const groupText of rest.split('|')) {
        const group: string[] = [];
        let inner = offset;
        for (const name of groupText.split(',')) {
          const lead = name.length - name.trimStart().length;
          const n = name.trim();
          const pos = map(inner + lead);
          if (n === '') {
            sink.error(pos, 'partition: empty host name (write "partition a, b | c")');
            ok = false;
          } else if (/\s/.test(n)) {
            sink.error(pos, `partition: "${n}" is not one host name: separate hosts with "," and groups with "|"`);
            ok = false;
          } else if (seen.has(n)) {
            sink.error(pos, `partition: host "${n}" is in two groups`);
            ok = false;
          } else if (knownHost(n, ctx, pos, sink)) {
            seen.add(n);
            group.push(n);
          } else ok = false;
          inner += name.length + 1;
        }
        groups.push(group);
        offset += groupText.length + 1;
      }
      if (ok && groups.length < 2) {
        sink.error(at(w[0]), 'partition: needs at least two groups separated by "|"');
        ok = false;
      }
      return ok ? act({ kind: 'partition', groups }) : null;
    }
    case 'heal':
      return expectEnd(1) ? act({ kind: 'heal' }) : null;
    case 'poweroff':
    case 'poweron': {
      const h = host(w[1], verb);
      return h && expectEnd(2) ? act({ kind: verb, host: h }) : null;
    }
    case 'latency': {
      const l = link('latency');
      if (!l) return null;
      const ms = duration(w[4], 'latency');
      return ms !== null && expectEnd(5) ? act({ kind: 'latency', ...l, ms }) : null;
    }
    case 'loss': {
      const l = link('loss');
      if (!l) return null;
      const m = w[4] ? /^(\d+(?:\.\d+)?)%$/.exec(w[4].text) : null;
      if (!m || Number(m[1]) > 100) {
        sink.error(at(w[4]), 'loss: expected a percentage from 0% to 100%');
        return null;
      }
      return expectEnd(5) ? act({ kind: 'loss', ...l, percent: Number(m[1]) }) : null;
    }
    case 'loadgen': {
      if (w[1]?.text !== 'start' && w[1]?.text !== 'stop') {
        sink.error(at(w[1]), 'expected "loadgen start" or "loadgen stop"');
        return null;
      }
      if (ctx.checks.hasLoadgen === false) {
        sink.error(at(w[0]), 'this lesson has no "loadgen:" in its front matter');
        return null;
      }
      return expectEnd(2) ? act({ kind: 'loadgen', run: w[1].text === 'start' }) : null;
    }
  }
  if (ctx.hosts?.some((h) => h.name === verb)) {
    sink.error(at(w[0], verb.length), `missing prompt: write "${verb}$ ${text.slice(w[1]?.at ?? text.length).trim()}" to type on ${verb}`);
    return null;
  }
  sink.error(
    at(w[0]),
    `unknown action "${verb}"${didYouMean(verb, ACTION_WORDS)}: a line is "host$ command", "host> line", or one of ${ACTION_WORDS.join(', ')}`,
  );
  return null;
}
