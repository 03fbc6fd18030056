/**
 * An experiment is everything needed to re-create a world exactly: where its topology comes
 * from (a preset, a lesson, or hosts given inline), the seed, every recorded input with the
 * virtual time it took effect, and how far the clock went. Determinism does the rest: replaying
 * the inputs on the same topology and seed lands on the same state.
 *
 * The same object is the saved workspace (IndexedDB), the exported file, and — compressed —
 * the `#x=` part of a shareable link. An imported experiment is data, never code: it is
 * validated field by field before anything is replayed.
 */
import type { HostSpec, InputRecord } from '../../sim';
import { decodeLinkData, encodeLinkData } from './link-data';

export const EXPERIMENT_FORMAT = 'halab-experiment';
export const EXPERIMENT_VERSION = 1;

export type ExperimentSource =
  | { kind: 'preset'; id: string }
  | { kind: 'lesson'; id: string }
  | { kind: 'hosts'; hosts: HostSpec[] };

export interface LessonProgress {
  current: number;
  done: number[];
}

export interface Experiment {
  format: typeof EXPERIMENT_FORMAT;
  version: number;
  source: ExperimentSource;
  seed: number;
  inputs: InputRecord[];
  /** Virtual ms since the world was built that the clock had reached. */
  untilMs: number;
  lesson?: LessonProgress;
  /** Wall-clock ISO time it was saved (informational). */
  savedAt?: string;
}

/** The key a workspace is saved under: one per preset and one per lesson. */
export function workspaceKey(source: ExperimentSource): string {
  return source.kind === 'hosts' ? 'hosts' : `${source.kind}:${source.id}`;
}

const INPUT_FIELDS: Record<string, Record<string, 'string' | 'number' | 'boolean' | 'string[]' | 'object' | 'string|null'>> = {
  'open-terminal': { host: 'string', id: 'number' },
  type: { terminal: 'number', line: 'string' },
  resize: { terminal: 'number', columns: 'number', lines: 'number' },
  interrupt: { terminal: 'number' },
  eof: { terminal: 'number' },
  login: { terminal: 'number' },
  editor: { attached: 'boolean' },
  'edit-done': { terminal: 'number', content: 'string|null' },
  exec: { host: 'string', command: 'string', id: 'number' },
  kill: { host: 'string', pid: 'number', signal: 'string' },
  'power-off': { host: 'string' },
  'power-on': { host: 'string' },
  partition: { a: 'string[]', b: 'string[]' },
  heal: {},
  link: { a: 'string', b: 'string', params: 'object' },
  forward: { to: 'number' },
};

function typeOk(v: unknown, t: string): boolean {
  switch (t) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'string[]': return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'string|null': return v === null || typeof v === 'string';
  }
  return false;
}

/** Check an untrusted object; returns the experiment or a list of problems. */
export function validateExperiment(raw: unknown): { experiment: Experiment } | { problems: string[] } {
  const problems: string[] = [];
  const o = raw as Record<string, unknown>;
  if (typeof o !== 'object' || o === null) return { problems: ['not an object'] };
  if (o.format !== EXPERIMENT_FORMAT) problems.push(`format must be "${EXPERIMENT_FORMAT}"`);
  if (o.version !== EXPERIMENT_VERSION) problems.push(`unsupported version ${String(o.version)}`);
  if (typeof o.seed !== 'number' || !Number.isInteger(o.seed)) problems.push('seed must be an integer');
  if (typeof o.untilMs !== 'number' || !(o.untilMs >= 0)) problems.push('untilMs must be a number >= 0');
  const src = o.source as Record<string, unknown> | undefined;
  if (!src || typeof src !== 'object') problems.push('source is missing');
  else if (src.kind === 'preset' || src.kind === 'lesson') {
    if (typeof src.id !== 'string' || !/^[a-z0-9-]+$/.test(src.id)) problems.push('source.id must be a kebab-case id');
  } else if (src.kind === 'hosts') {
    if (!Array.isArray(src.hosts) || src.hosts.length === 0) problems.push('source.hosts must be a non-empty list');
    else src.hosts.forEach((h: Record<string, unknown>, i: number) => {
      if (typeof h?.name !== 'string' || typeof h?.ip !== 'string') problems.push(`source.hosts[${i}] needs name and ip`);
      if (h?.files !== undefined && (typeof h.files !== 'object' || Object.values(h.files as object).some((v) => typeof v !== 'string'))) problems.push(`source.hosts[${i}].files must map paths to text`);
      if (h?.boot !== undefined && !typeOk(h.boot, 'string[]')) problems.push(`source.hosts[${i}].boot must be a list of lines`);
      if (h?.dirs !== undefined && !typeOk(h.dirs, 'string[]')) problems.push(`source.hosts[${i}].dirs must be a list of paths`);
    });
  } else problems.push('source.kind must be preset, lesson or hosts');
  if (!Array.isArray(o.inputs)) problems.push('inputs must be a list');
  else {
    let last = -Infinity;
    o.inputs.forEach((r: { t?: unknown; input?: Record<string, unknown> }, i: number) => {
      if (typeof r?.t !== 'number' || !Number.isFinite(r.t)) { problems.push(`inputs[${i}].t must be a number`); return; }
      if (r.t < last) problems.push(`inputs[${i}] is out of time order`);
      last = r.t;
      const kind = r.input?.kind;
      const fields = typeof kind === 'string' ? INPUT_FIELDS[kind] : undefined;
      if (!fields) { problems.push(`inputs[${i}]: unknown input kind ${JSON.stringify(kind)}`); return; }
      for (const [f, ty] of Object.entries(fields)) {
        if (!typeOk(r.input![f], ty)) problems.push(`inputs[${i}].${f} must be ${ty}`);
      }
    });
  }
  if (o.lesson !== undefined) {
    const l = o.lesson as Record<string, unknown>;
    if (typeof l?.current !== 'number' || !typeOk(l?.done, 'object')) problems.push('lesson progress is malformed');
  }
  if (problems.length) return { problems };
  return { experiment: o as unknown as Experiment };
}

// ---- links ------------------------------------------------------------------------------

/** The `x=` value of a link: the experiment's JSON, deflated, base64url. */
export async function encodeExperiment(e: Experiment): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(e));
  return encodeLinkData(json);
}

export async function decodeExperiment(x: string): Promise<{ experiment: Experiment } | { problems: string[] }> {
  let parsed: unknown;
  try {
    const bytes = await decodeLinkData(x);
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    return { problems: [`the link is damaged (${(err as Error).message})`] };
  }
  return validateExperiment(parsed);
}

/** A link that opens this experiment on the page at `base` (the page's own URL). */
export async function experimentLink(e: Experiment, base: string): Promise<string> {
  const url = new URL(base);
  url.search = '';
  if (e.source.kind === 'preset') url.searchParams.set('preset', e.source.id);
  if (e.source.kind === 'lesson') url.searchParams.set('lesson', e.source.id);
  url.hash = `x=${await encodeExperiment(e)}`;
  return url.toString();
}
