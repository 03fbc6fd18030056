/**
 * Configuration parameters: the typed table behind redis.conf, CONFIG GET/SET/REWRITE and the
 * command-line `--name value` options.
 *
 * Each parameter knows how to parse the words of a config line (or a CONFIG SET value), how to
 * print itself for CONFIG GET and CONFIG REWRITE, its default, its flags, and optionally how to
 * apply a change to the running server (e.g. `port` rebinds the listener). Error texts follow
 * config.c exactly because users see them in redis-cli and in the startup FATAL message.
 */

export type ParamFlag =
  /** Cannot be changed with CONFIG SET. */
  | 'immutable'
  /** Value is redacted in logs (passwords). */
  | 'sensitive'
  /** Only matched by CONFIG GET with its exact name, never by a pattern. */
  | 'hidden'
  /** CONFIG SET refused unless enable-protected-configs allows it. */
  | 'protected'
  /** CONFIG SET refused while loading. */
  | 'deny-loading'
  /** Value can change at runtime outside CONFIG SET; always written by CONFIG REWRITE. */
  | 'volatile'
  /** Accepts several words (save, client-output-buffer-limit, ...). */
  | 'multi-arg';

export interface ParamContext {
  /** Config file loading (no server yet) vs runtime CONFIG SET. */
  loading: boolean;
  sentinel: boolean;
}

export interface ParamDef<T = unknown> {
  name: string;
  /** Old name kept working (slaveof, slave-priority, min-slaves-to-write, ...). */
  alias?: string;
  flags?: ParamFlag[];
  default: T;
  /** Parse config words into a value, or return an error string (config.c's *err text). */
  parse(args: string[], ctx: ParamContext): { value: T } | { error: string };
  /** CONFIG GET / REWRITE text. */
  format(value: T): string;
  /** Config file words for CONFIG REWRITE (defaults to [format(value)]); null lines mean omit. */
  rewriteLines?(value: T, name: string): string[] | null;
  /** Equality for deciding whether CONFIG REWRITE may omit a default. */
  equals?(a: T, b: T): boolean;
}

/** Parse "yes"/"no" the way config.c does (yesnotoi: case-insensitive). */
export function parseYesNo(s: string): boolean | null {
  const l = s.toLowerCase();
  if (l === 'yes') return true;
  if (l === 'no') return false;
  return null;
}

/**
 * memtoull: a number with an optional unit, k/kb/m/mb/g/gb (case-insensitive). "1k" is 1000,
 * "1kb" is 1024. Returns null for anything else.
 */
export function parseMemory(s: string): number | null {
  const m = /^(-?\d+)([a-zA-Z]*)$/.exec(s);
  if (!m) return null;
  const unit = m[2].toLowerCase();
  const mul: Record<string, number> = {
    '': 1, b: 1, k: 1000, kb: 1024, m: 1000 * 1000, mb: 1024 * 1024, g: 1000 * 1000 * 1000, gb: 1024 * 1024 * 1024,
  };
  if (!(unit in mul)) return null;
  if (m[1].startsWith('-')) return null;
  return Number(m[1]) * mul[unit];
}

/** Format bytes the way CONFIG REWRITE does for memory values: the largest exact unit. */
export function formatMemoryForRewrite(n: number): string {
  const GB = 1024 * 1024 * 1024, MB = 1024 * 1024, KB = 1024;
  if (n === 0) return '0';
  if (n % GB === 0) return `${n / GB}gb`;
  if (n % MB === 0) return `${n / MB}mb`;
  if (n % KB === 0) return `${n / KB}kb`;
  return String(n);
}

const single = (args: string[]): string | null => (args.length === 1 ? args[0] : null);
const WRONG_ARGS = 'wrong number of arguments';

export function boolParam(name: string, def: boolean, opts: { alias?: string; flags?: ParamFlag[] } = {}): ParamDef<boolean> {
  return {
    name, alias: opts.alias, flags: opts.flags, default: def,
    parse(args) {
      const a = single(args);
      if (a === null) return { error: WRONG_ARGS };
      const v = parseYesNo(a);
      return v === null ? { error: "argument must be 'yes' or 'no'" } : { value: v };
    },
    format: (v) => (v ? 'yes' : 'no'),
  };
}

export function intParam(
  name: string, def: number, min: number, max: number,
  opts: { alias?: string; flags?: ParamFlag[]; memory?: boolean; percent?: boolean; octal?: boolean } = {},
): ParamDef<number> {
  return {
    name, alias: opts.alias, flags: opts.flags, default: def,
    parse(args) {
      const a = single(args);
      if (a === null) return { error: WRONG_ARGS };
      let v: number | null;
      if (opts.percent && a.endsWith('%')) {
        const p = /^\d+$/.test(a.slice(0, -1)) ? Number(a.slice(0, -1)) : null;
        if (p === null) return { error: 'argument must be a memory or percent value' };
        v = -p; // percent values are stored negated, like config.c
      } else if (opts.memory) {
        v = parseMemory(a);
        if (v === null) return { error: opts.percent ? 'argument must be a memory or percent value' : 'argument must be a memory value' };
      } else if (opts.octal) {
        v = /^[0-7]+$/.test(a) ? parseInt(a, 8) : null;
        if (v === null) return { error: "argument couldn't be parsed as an octal number" };
      } else {
        v = /^-?\d+$/.test(a) ? Number(a) : null;
        if (v === null) return { error: "argument couldn't be parsed into an integer" };
      }
      if (v < min || v > max) {
        if (opts.percent && v < 0) return { error: `argument must be between ${-max}% and ${-min}% inclusive` };
        return { error: `argument must be between ${min} and ${max} inclusive` };
      }
      return { value: v };
    },
    format: (v) => (opts.percent && v < 0 ? `${-v}%` : opts.octal ? v.toString(8) : String(v)),
    rewriteLines: opts.memory ? (v) => [opts.percent && v < 0 ? `${-v}%` : formatMemoryForRewrite(v)] : undefined,
  };
}

export function enumParam(name: string, def: string, values: string[], opts: { alias?: string; flags?: ParamFlag[] } = {}): ParamDef<string> {
  return {
    name, alias: opts.alias, flags: opts.flags, default: def,
    parse(args) {
      const a = single(args);
      if (a === null) return { error: WRONG_ARGS };
      const v = values.find((x) => x === a.toLowerCase());
      if (v === undefined) return { error: `argument(s) must be one of the following: ${values.join(', ')}` };
      return { value: v };
    },
    format: (v) => v,
  };
}

export function stringParam(
  name: string, def: string, opts: { alias?: string; flags?: ParamFlag[]; validate?: (v: string) => string | null; emptyIsNull?: boolean } = {},
): ParamDef<string> {
  return {
    name, alias: opts.alias, flags: opts.flags, default: def,
    parse(args) {
      const a = single(args);
      if (a === null) return { error: WRONG_ARGS };
      const err = opts.validate?.(a);
      return err ? { error: err } : { value: a };
    },
    format: (v) => v,
  };
}
