/**
 * Record from the sandbox: what an instructor did in the playground becomes a lesson.
 *
 * The world already records every input with the virtual time it took effect
 * (`World.recordedInputs()`: lines typed into terminals, kills, power, partitions, heals, link
 * changes). A recording is those inputs, the times the instructor pressed "new step", and a
 * few snapshots of the servers (roles, the values of the keys the instructor wrote) taken at
 * the start of the recording, at each step mark and at the end. From that:
 *
 *   - each input becomes a solution line (docs/LESSON-FORMAT.md, "solution lines"):
 *       typed line     → `host$ line` at a shell, `host> line` when redis-cli is in the
 *                        foreground (tracked per terminal: `redis-cli` without a command enters
 *                        it, `exit`/`quit`/Ctrl-C/Ctrl-D leave it)
 *       kill           → `host$ pkill -9 -f "<process title>"` (or `kill -9 <pid>` when the
 *                        process was never seen), with the signal the menu sent
 *       power off/on   → `poweroff host` / `poweron host`
 *       partition/heal → `partition a | b` / `heal`; latency and loss on a link likewise
 *       time between two inputs of a second or more → `wait <duration>` (one, however the
 *                        time passed: played, fast-forwarded, before the recording started)
 *     what has no solution-line form (Ctrl-C on a running command, an editor session) becomes a
 *     `# comment` saying so;
 *   - checks are suggested by comparing the snapshot at the start of a step with the one at its
 *     end: a role or a key that changed gives a check (`role("redis-1:7001") == "master"`,
 *     `key("redis-1:7000", "k") == "v"`, `not up(...)` for a server that went away), one that did
 *     not change gives a `still` check. A step where nothing observable changed gets a check on
 *     the commands typed, marked TODO, because the autopilot needs one check that the step makes
 *     true.
 *
 * Everything here is pure (data in, text out); src/ui/editor/Recorder.svelte gathers the data.
 */
import type { Input, InputRecord } from '../../sim';
import type { WorldView } from '../../lessons/world-view';
import { stringify } from 'yaml';

export interface ServerState {
  /** "host:port" */
  address: string;
  role: string;
}

export interface KeyState {
  address: string;
  key: string;
  /** The string value, or null when the key does not exist (or is not a string). */
  value: string | null;
}

/** What the recorder saw of the servers at one moment. */
export interface Snapshot {
  servers: ServerState[];
  keys: KeyState[];
}

export interface Recording {
  /** Every input of the world since it was built (`World.recordedInputs()`). */
  inputs: InputRecord[];
  /** World time the world was built at (the session's start; 0 by default). */
  originT?: number;
  /** World time the recording started and ended. Inputs before the start form a first "setup" step. */
  startT: number;
  endT: number;
  /** World times of the instructor's "new step" marks (between startT and endT). */
  marks: number[];
  /** Snapshots at startT, at each mark, and at endT (marks.length + 2 of them). */
  snapshots: Snapshot[];
  /** Titles of processes seen during the recording, by host and pid (for kill lines). */
  titles: Record<string, string>;
}

export interface RecordedStep {
  id: string;
  solution: string[];
  checks: string[];
}

export const titleKey = (host: string, pid: number) => `${host}/${pid}`;

/** A duration as a lesson writes it: whole seconds as `12s`, else milliseconds (`2500ms`). */
export function formatWait(ms: number): string {
  const rounded = Math.round(ms / 100) * 100;
  return rounded % 1000 === 0 ? `${rounded / 1000}s` : `${rounded}ms`;
}

/** Words of a shell or redis-cli line, with quotes removed (enough to find commands and keys). */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return out;
}

/** redis-cli options that take a value. */
const CLI_VALUE_OPTIONS = new Set(['-h', '-p', '-a', '-n', '-s', '-u', '-r', '-i', '-d', '-e', '--user', '--pass', '--tls-cert', '--cacert']);

interface CliCall {
  host: string | null;
  port: number;
  /** The Redis command words, empty for the interactive mode. */
  command: string[];
}

/** A shell line that runs redis-cli: where it talks to and what it sends. */
export function parseRedisCli(line: string): CliCall | null {
  const w = splitWords(line);
  if (w[0] !== 'redis-cli') return null;
  let host: string | null = null;
  let port = 6379;
  let i = 1;
  for (; i < w.length && w[i].startsWith('-'); i++) {
    if (CLI_VALUE_OPTIONS.has(w[i])) {
      if (w[i] === '-h') host = w[i + 1] ?? null;
      if (w[i] === '-p') port = Number(w[i + 1]) || 6379;
      i++;
    }
  }
  // A line joined with ; && | is not a plain call.
  const command = w.slice(i);
  if (command.some((x) => x === ';' || x === '&&' || x === '|' || x === '||')) return null;
  return { host, port, command };
}

const KEY_WRITES: Record<string, 'one' | 'pairs'> = {
  SET: 'one', SETEX: 'one', PSETEX: 'one', SETNX: 'one', GETSET: 'one', APPEND: 'one', INCR: 'one', DECR: 'one',
  INCRBY: 'one', DECRBY: 'one', INCRBYFLOAT: 'one', SETRANGE: 'one', MSET: 'pairs', MSETNX: 'pairs',
};

/** Keys a Redis command writes as strings. */
export function writtenKeys(command: readonly string[]): string[] {
  const kind = KEY_WRITES[(command[0] ?? '').toUpperCase()];
  if (!kind) return [];
  if (kind === 'one') return command[1] !== undefined ? [command[1]] : [];
  return command.slice(1).filter((_, i) => i % 2 === 0);
}

/** A check's text literal. */
export function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}"`;
}

const SIGNAL_FLAG: Record<string, string> = { SIGKILL: '-9 ', SIGTERM: '', SIGINT: '-2 ', SIGHUP: '-1 ', SIGSTOP: '-STOP ', SIGCONT: '-CONT ' };

interface TerminalTrack {
  host: string;
  mode: 'shell' | 'program';
  /** Where the interactive redis-cli talks to. */
  cli: { host: string | null; port: number } | null;
}

export interface Converted {
  steps: RecordedStep[];
  /** Keys written during the whole recording, by address (for the snapshots). */
  keys: { address: string; key: string }[];
}

/**
 * The keys written by the typed lines of `inputs` (for the recorder's snapshots), addressed as
 * "host:port" with the host the command ran on when it gave no -h.
 */
export function keysWritten(inputs: readonly InputRecord[]): { address: string; key: string }[] {
  return convertInputs(inputs, 0, Infinity, [], {}).keys;
}

/** A step's solution lines while converting: a wait is kept in ms until the end, so that waits merge. */
type Line = string | { waitMs: number };
interface StepLines { lines: Line[]; from: number; to: number }

/**
 * Add a wait at the end or the start of a step's lines. Two waits in a row become one as long as
 * both (the time before the recording started and the time before the first input, time played
 * then fast-forwarded with nothing done in between): a solution line says what was done, and
 * nothing was.
 */
function addWait(lines: Line[], ms: number, at: 'start' | 'end'): void {
  const next = at === 'end' ? lines[lines.length - 1] : lines[0];
  if (next !== undefined && typeof next !== 'string') next.waitMs += ms;
  else if (at === 'end') lines.push({ waitMs: ms });
  else lines.unshift({ waitMs: ms });
}

function solutionText(lines: readonly Line[]): string[] {
  return lines.map((l) => (typeof l === 'string' ? l : `wait ${formatWait(l.waitMs)}`));
}

function convertInputs(inputs: readonly InputRecord[], startT: number, endT: number, marks: readonly number[], titles: Record<string, string>, originT = 0): Converted {
  const terminals = new Map<number, TerminalTrack>();
  const keys = new Map<string, { address: string; key: string }>();
  // Step boundaries: [world start, startT) is "setup" (only if it has inputs), then one step per mark.
  const bounds = [startT, ...marks.filter((m) => m > startT && m < endT), endT];
  const steps: StepLines[] = bounds.slice(0, -1).map((from, i) => ({ lines: [], from, to: bounds[i + 1] }));
  const setup: StepLines = { lines: [], from: -Infinity, to: startT };
  const stepOf = (t: number) => (t < startT ? setup : steps.find((s) => t >= s.from && t < s.to) ?? steps[steps.length - 1]);
  const lastT = new Map<object, number>();

  const addressOf = (host: string | null, port: number, here: string) => `${host === null || host === '127.0.0.1' || host === 'localhost' ? here : host}:${port}`;
  const noteKeys = (command: string[], host: string | null, port: number, here: string) => {
    for (const k of writtenKeys(command)) {
      const address = addressOf(host, port, here);
      keys.set(`${address}\n${k}`, { address, key: k });
    }
  };

  const lineFor = (input: Input): string | null => {
    switch (input.kind) {
      case 'open-terminal':
        terminals.set(input.id, { host: input.host, mode: 'shell', cli: null });
        return null;
      case 'type': {
        const term = terminals.get(input.terminal);
        if (!term) return `# a line typed into a terminal that was never opened: ${input.line.trim()}`;
        const line = input.line.trim();
        if (line === '') return null;
        if (term.mode === 'program') {
          if (/^(exit|quit)$/i.test(line)) {
            term.mode = 'shell';
            term.cli = null;
          } else if (term.cli) noteKeys(splitWords(line), term.cli.host, term.cli.port, term.host);
          return `${term.host}> ${line}`;
        }
        const cli = parseRedisCli(line);
        if (cli && cli.command.length === 0) {
          term.mode = 'program';
          term.cli = { host: cli.host, port: cli.port };
        } else if (cli) noteKeys(cli.command, cli.host, cli.port, term.host);
        return `${term.host}$ ${line}`;
      }
      case 'interrupt':
      case 'eof': {
        const term = terminals.get(input.terminal);
        if (term?.mode === 'program') {
          term.mode = 'shell';
          term.cli = null;
          return `${term.host}> exit`;
        }
        return `# ${input.kind === 'interrupt' ? 'Ctrl-C' : 'Ctrl-D'} on ${term?.host ?? 'a terminal'} (a solution cannot press it: stop the command another way)`;
      }
      case 'exec':
        return `${input.host}$ ${input.command} &`;
      case 'kill': {
        const flag = SIGNAL_FLAG[input.signal] ?? `-${input.signal.replace(/^SIG/, '')} `;
        const title = titles[titleKey(input.host, input.pid)];
        return title ? `${input.host}$ pkill ${flag}-f ${quote(title)}` : `${input.host}$ kill ${flag}${input.pid}`;
      }
      case 'power-off':
        return `poweroff ${input.host}`;
      case 'power-on':
        return `poweron ${input.host}`;
      case 'partition':
        return `partition ${input.a.join(', ')} | ${input.b.join(', ')}${input.oneWay ? '  # was one-way; solutions cut both ways' : ''}`;
      case 'heal':
        return 'heal';
      case 'link': {
        const out: string[] = [];
        if (input.params.latencyMs !== undefined) out.push(`latency ${input.a} <-> ${input.b} ${formatWait(input.params.latencyMs)}`);
        if (input.params.loss !== undefined) out.push(`loss ${input.a} <-> ${input.b} ${Math.round(input.params.loss * 100)}%`);
        return out.length ? out.join('\n') : `# a link change between ${input.a} and ${input.b} that solutions cannot express`;
      }
      case 'login': {
        // A fresh login shell: a solution's lines go to a live terminal of the host anyway.
        const term = terminals.get(input.terminal);
        if (term) {
          term.mode = 'shell';
          term.cli = null;
        }
        return null;
      }
      case 'editor':
      case 'resize':
      // Waits come from the times between the lines (a fast-forward is time passing).
      case 'forward':
        return null;
      case 'edit-done':
        return '# an editor session (vi, crontab -e): write the file with a shell line instead';
    }
  };

  for (const r of inputs) {
    if (r.t > endT) break;
    const text = lineFor(r.input);
    if (text === null) continue;
    const step = stepOf(r.t);
    const since = lastT.get(step) ?? (step === setup ? originT : step.from);
    if (r.t - since >= 1000) addWait(step.lines, r.t - since, 'end');
    step.lines.push(...text.split('\n'));
    lastT.set(step, r.t);
  }
  for (const s of setup.lines.length ? [setup, ...steps] : steps) {
    const since = lastT.get(s) ?? s.from;
    if (s.to !== Infinity && s.to - since >= 1000) addWait(s.lines, s.to - since, 'end');
  }
  const out: RecordedStep[] = [];
  if (setup.lines.length) out.push({ id: 'setup', solution: solutionText(setup.lines), checks: [] });
  // Nothing happened before the recording, but time passed (servers started, replicas synced):
  // the lesson's world starts at its beginning, so the first step waits that long first.
  else if (steps.length && startT - originT >= 1000) addWait(steps[0].lines, startT - originT, 'start');
  steps.forEach((s, i) => out.push({ id: `step-${i + 1}`, solution: solutionText(s.lines), checks: [] }));
  return { steps: out, keys: [...keys.values()] };
}

/** What the recorder watches, read from a lesson view: every server's role, the written keys' values. */
export function snapshotFromView(view: WorldView, keys: readonly { address: string; key: string }[]): Snapshot {
  const servers: ServerState[] = [];
  for (const h of view.hosts()) {
    if (!h.up) continue;
    for (const port of view.redisPorts(h.name)) {
      const r = view.redis(h.name, port);
      if (r) servers.push({ address: `${h.name}:${port}`, role: r.role() });
    }
  }
  const out: KeyState[] = keys.map(({ address, key }) => {
    const [named, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
    const host = view.hosts().find((h) => h.name === named || h.ips.includes(named))?.name ?? named;
    const k = view.redis(host, port)?.key(0, key) ?? null;
    return { address, key, value: k && k.type === 'string' ? k.value : null };
  });
  return { servers, keys: out };
}

/** Checks for a step, from the snapshots at its start and end (see the top of this file). */
export function suggestChecks(before: Snapshot, after: Snapshot, typedLines: number, host: string | null): string[] {
  const changed: string[] = [];
  const still: string[] = [];
  const roleBefore = new Map(before.servers.map((s) => [s.address, s.role]));
  const roleAfter = new Map(after.servers.map((s) => [s.address, s.role]));
  for (const s of after.servers) {
    const check = `role(${quote(s.address)}) == ${quote(s.role)}`;
    (roleBefore.get(s.address) === s.role ? still : changed).push(check);
  }
  for (const s of before.servers) if (!roleAfter.has(s.address)) changed.push(`not up(${quote(s.address)})`);
  const valueBefore = new Map(before.keys.map((k) => [`${k.address}\n${k.key}`, k.value]));
  for (const k of after.keys) {
    const was = valueBefore.get(`${k.address}\n${k.key}`) ?? null;
    if (k.value === null) {
      if (was !== null) changed.push(`not exists(${quote(k.address)}, ${quote(k.key)})`);
      continue;
    }
    if (!roleAfter.has(k.address)) continue;
    const check = `key(${quote(k.address)}, ${quote(k.key)}) == ${quote(k.value)}`;
    (was === k.value ? still : changed).push(check);
  }
  const out = [...changed, ...still.map((c) => `still ${c}`)];
  if (changed.length === 0 && typedLines > 0 && host) {
    out.push(`# TODO: nothing the recorder watches changed in this step; say what the step achieves`);
    out.push(`count(event("command", on=${quote(host)}, after=step_start())) >= ${typedLines}`);
  }
  return out;
}

/** Turn a recording into steps with solutions and suggested checks. */
export function recordingToSteps(rec: Recording): RecordedStep[] {
  const { steps } = convertInputs(rec.inputs, rec.startT, rec.endT, rec.marks, rec.titles, rec.originT ?? 0);
  const hasSetup = steps[0]?.id === 'setup';
  const empty: Snapshot = { servers: [], keys: [] };
  return steps.map((s, i) => {
    if (s.id === 'setup') return s;
    const k = hasSetup ? i - 1 : i;
    const before = rec.snapshots[k] ?? empty;
    const after = rec.snapshots[k + 1] ?? rec.snapshots[rec.snapshots.length - 1] ?? empty;
    const typed = s.solution.filter((l) => /^[A-Za-z0-9][A-Za-z0-9._-]*[$>]\s/.test(l));
    const host = typed[0]?.split(/[$>]/)[0] ?? null;
    return { ...s, checks: suggestChecks(before, after, typed.filter((l) => l.startsWith(`${host}`)).length, host) };
  });
}

export interface RecordedHost {
  name: string;
  ip: string;
  files?: Record<string, string>;
  dirs?: string[];
  boot?: string[];
}

export interface LessonDraftOptions {
  id: string;
  title: { en: string; zh: string };
  seed: number;
  hosts: RecordedHost[];
  steps: RecordedStep[];
  lab?: string;
  source?: string;
}

/** A sandbox host as a lesson host: files as text (bytes decoded as UTF-8). */
export function recordedHost(h: { name: string; ip: string; extraIps?: string[]; files?: Record<string, string | Uint8Array>; dirs?: string[]; boot?: string[] }): RecordedHost {
  const files: Record<string, string> = {};
  for (const [path, content] of Object.entries(h.files ?? {})) files[path] = typeof content === 'string' ? content : new TextDecoder().decode(content);
  return { name: h.name, ip: h.ip, files, dirs: [...(h.dirs ?? [])], boot: [...(h.boot ?? [])] };
}

const block = (kind: string, lines: string[]) => `\`\`\`${kind}\n${lines.join('\n')}\n\`\`\``;

/** A whole lesson file around recorded steps: front matter from the sandbox's hosts, TODO prose. */
export function recordedLessonText(o: LessonDraftOptions): string {
  const front = {
    id: o.id,
    title: o.title,
    summary: { en: 'TODO: one sentence for the course map.', zh: 'TODO：课程地图上的一句话。' },
    labs: [o.lab ?? 'A1'],
    source: o.source ?? '000_5714fe9f07c9a9a3.txt',
    level: 'beginner',
    seed: o.seed,
    topology: {
      hosts: o.hosts.map((h) => ({
        name: h.name,
        ip: h.ip,
        ...(h.files && Object.keys(h.files).length ? { files: h.files } : {}),
        ...(h.dirs?.length ? { dirs: h.dirs } : {}),
        ...(h.boot?.length ? { boot: h.boot } : {}),
      })),
    },
  };
  const steps = o.steps.map((s, i) => {
    const tries = s.solution.filter((l) => /^[A-Za-z0-9][A-Za-z0-9._-]*[$>]\s/.test(l)).slice(0, 6);
    const tryBlock = tries.length ? `\n\n${block('try', tries)}` : '';
    const checks = s.checks.length ? s.checks : ['# TODO: how to tell the step is done'];
    const solution = s.solution.length ? s.solution : ['wait 1s'];
    return [
      `## step: ${s.id}`,
      '',
      `### en: ${s.id === 'setup' ? 'Set up' : `Step ${i + 1}`}`,
      '',
      `TODO: what to do, and why.${tryBlock}`,
      '',
      `### zh: ${s.id === 'setup' ? '准备' : `第 ${i + 1} 步`}`,
      '',
      `TODO：要做什么，为什么。${tryBlock}`,
      '',
      block('check', checks),
      '',
      block('solution', solution),
      '',
    ].join('\n');
  });
  return [
    '---',
    '# Recorded in the sandbox. Lesson format: docs/LESSON-FORMAT.md',
    stringify(front, { lineWidth: 0 }).trimEnd(),
    '---',
    '',
    '## intro',
    '',
    '### en',
    '',
    'TODO: why this lab matters, in a few sentences.',
    '',
    '### zh',
    '',
    'TODO：为什么要做这个实验，几句话说清楚。',
    '',
    ...steps,
    '## remember',
    '',
    '### en',
    '',
    '- TODO: what to take away.',
    '',
    '### zh',
    '',
    '- TODO：要记住什么。',
    '',
  ].join('\n');
}
