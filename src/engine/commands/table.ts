/**
 * The data-driven command table.
 *
 * Every command family file (`strings.ts`, `lists.ts`, ...) exports an array of CommandSpec.
 * The table holds what Redis's own command table holds: name, arity, flags, key positions, ACL
 * categories, documentation for COMMAND DOCS and redis-cli hints, and the handler. The
 * dispatcher (`server/dispatch.ts`) does arity checks, NOAUTH, MULTI queueing, READONLY and
 * friends from these fields, so handlers only implement the command itself.
 */
import type { Client } from '../server/client';
import type { RedisServer } from '../server/server';

/** Flags as COMMAND INFO prints them (lowercase, Redis 7.0 names). */
export type CommandFlag =
  | 'write' | 'readonly' | 'denyoom' | 'module' | 'admin' | 'pubsub' | 'noscript'
  | 'blocking' | 'loading' | 'stale' | 'skip_monitor' | 'skip_slowlog' | 'asking' | 'fast'
  | 'no_auth' | 'may_replicate' | 'sentinel' | 'only_sentinel' | 'no_mandatory_keys'
  | 'protected' | 'no_async_loading' | 'no_multi' | 'movablekeys' | 'allow_busy';

/** One bit per flag, for the dispatcher's per-command checks (CommandSpec.flagBits). */
export const FLAG_BIT: Readonly<Record<CommandFlag, number>> = Object.fromEntries(([
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'may_replicate', 'sentinel', 'only_sentinel',
  'no_mandatory_keys', 'protected', 'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy',
] as CommandFlag[]).map((f, i) => [f, 1 << i])) as Record<CommandFlag, number>;

/** One argument in COMMAND DOCS / redis-cli hints. */
export interface ArgDoc {
  name: string;
  type: 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  multipleToken?: boolean;
  since?: string;
  args?: ArgDoc[];
  keySpecIndex?: number;
  summary?: string;
  deprecatedSince?: string;
}

/**
 * A key specification as COMMAND INFO prints it (7.0): where the key search begins and how
 * keys are found from there, with access flags (RO/RW/OW/RM, access/update/insert/delete...).
 * Commands without explicit specs get one derived from firstKey/lastKey/step (key-specs.ts).
 */
export interface KeySpec {
  notes?: string;
  flags: string[];
  beginSearch: { type: 'index'; pos: number } | { type: 'keyword'; keyword: string; startFrom: number } | { type: 'unknown' };
  findKeys: { type: 'range'; lastKey: number; keyStep: number; limit: number }
    | { type: 'keynum'; keyNumIdx: number; firstKey: number; keyStep: number } | { type: 'unknown' };
}

export type CommandHandler = (c: Client, argv: string[]) => void;

export interface CommandSpec {
  /** Lowercase name ("get"; for subcommands just the subcommand: "encoding"). */
  name: string;
  /** Positive: exact argc. Negative: at least -arity. Counts the command name itself. */
  arity: number;
  flags: CommandFlag[];
  /** Key positions: first, last (negative counts from the end), step. 0,0,0 for no keys. */
  firstKey: number;
  lastKey: number;
  step: number;
  /** Extra ACL categories beyond those implied by flags (e.g. '@string', '@keyspace'). */
  acl?: string[];
  /** Documentation (COMMAND DOCS, HELP, redis-cli hints). Our own words. */
  group: string;
  since: string;
  summary: string;
  complexity?: string;
  args?: ArgDoc[];
  /** Request/response policy tips shown by COMMAND INFO. */
  tips?: string[];
  /** COMMAND DOCS extras: version history, doc flags, deprecation. */
  history?: [since: string, change: string][];
  docFlags?: ('deprecated' | 'syscmd')[];
  deprecatedSince?: string;
  replacedBy?: string;
  /** Explicit key specs for COMMAND INFO (derived from the key positions when absent). */
  keySpecs?: KeySpec[];
  /** Computes the key positions for movable-keys commands (ZUNIONSTORE, EVAL, ...). */
  getKeys?: (argv: string[]) => number[];
  /**
   * The flag bits processCommand checks for this call, when they depend on the arguments
   * (EVAL of a script declaring flags: evalGetCommandFlags). `bits` is `flagBits`.
   */
  getFlags?: (server: RedisServer, argv: string[], bits: number) => number;
  /** Not set for container commands, which dispatch to `subcommands`. */
  handler?: CommandHandler;
  subcommands?: CommandSpec[];
  /** Filled in when the table is built. */
  fullname?: string;
  parent?: CommandSpec;
  /** Runtime statistics (INFO commandstats). */
  stats?: CommandStats;
  /** `flags` as FLAG_BIT bits, filled in when the table is built. */
  flagBits?: number;
}

export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

export class CommandTable {
  private readonly byName = new Map<string, CommandSpec>();
  /**
   * Top-level commands by the name as clients spell it ("SET", "Set"), so the common
   * uppercase names are not lowercased again for every command. Bounded: only names that
   * resolve are remembered, and only so many spellings.
   */
  private readonly bySpelling = new Map<string, CommandSpec>();

  constructor(families: CommandSpec[][]) {
    for (const family of families) {
      for (const spec of family) this.add(spec);
    }
  }

  /**
   * Each table owns copies of the specs: the family arrays are module-level objects shared by
   * every server in one JS context (the simulation's inline runtime runs many), and per-server
   * state — statistics, renames — must not leak between processes.
   */
  private add(shared: CommandSpec, parent?: CommandSpec): CommandSpec {
    const spec: CommandSpec = { ...shared, flags: [...shared.flags] };
    spec.fullname = parent ? `${parent.name}|${spec.name}` : spec.name;
    spec.parent = parent;
    spec.stats = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 };
    if (spec.getKeys && !spec.flags.includes('movablekeys')) spec.flags.push('movablekeys');
    spec.flagBits = spec.flags.reduce((bits, f) => bits | FLAG_BIT[f], 0);
    if (shared.subcommands) spec.subcommands = shared.subcommands.map((sub) => this.add(sub, spec));
    if (!parent) {
      if (this.byName.has(spec.name)) throw new Error(`duplicate command ${spec.name}`);
      this.byName.set(spec.name, spec);
    }
    return spec;
  }

  /**
   * rename-command: the command answers to `to` instead of `from` ('' removes it). COMMAND
   * still reports its original name, like Redis.
   */
  rename(from: string, to: string): boolean {
    const spec = this.byName.get(lowerAscii(from));
    if (!spec) return false;
    this.bySpelling.clear();
    this.byName.delete(lowerAscii(from));
    if (to !== '') this.byName.set(lowerAscii(to), spec);
    return true;
  }

  /** Every name the table answers to, with its command (renamed commands under their new name). */
  entries(): [string, CommandSpec][] {
    return [...this.byName.entries()];
  }

  /** The top-level command by lowercase name. */
  get(name: string): CommandSpec | undefined {
    return this.byName.get(name);
  }

  /** Resolve argv to a command or subcommand, like lookupCommand(): undefined if unknown. */
  lookup(argv: string[]): CommandSpec | undefined {
    const name = argv[0];
    let base = this.bySpelling.get(name);
    if (base === undefined) {
      base = this.byName.get(lowerAscii(name));
      if (base !== undefined && this.bySpelling.size < 4096) this.bySpelling.set(name, base);
    }
    if (!base || !base.subcommands) return base;
    if (argv.length === 1) return base; // arity error on the container
    const sub = lowerAscii(argv[1]);
    return base.subcommands.find((s) => s.name === sub);
  }

  isContainer(name: string): boolean {
    return !!this.byName.get(lowerAscii(name))?.subcommands;
  }

  all(): CommandSpec[] {
    return [...this.byName.values()];
  }

  /** Every command and subcommand (for INFO commandstats). */
  *walk(): Generator<CommandSpec> {
    for (const c of this.byName.values()) {
      yield c;
      if (c.subcommands) yield* c.subcommands;
    }
  }

  /** Key positions of argv for `spec` (COMMAND GETKEYS, cluster routing, WATCH, ...). */
  keyPositions(spec: CommandSpec, argv: string[]): number[] {
    if (spec.getKeys) return spec.getKeys(argv);
    if (spec.firstKey <= 0) return [];
    const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
    const out: number[] = [];
    for (let i = spec.firstKey; i <= last && i < argv.length; i += spec.step || 1) out.push(i);
    return out;
  }
}

/** ASCII-only lowercase (command names are ASCII; avoids locale surprises on byte strings). */
export function lowerAscii(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.toLowerCase();
  }
  return s;
}

/** Helper for concise spec definitions. */
export function cmd(
  name: string, arity: number, flags: CommandFlag[], keys: [number, number, number],
  doc: { group: string; since: string; summary: string; complexity?: string; acl?: string[]; args?: ArgDoc[]; tips?: string[] },
  handler?: CommandHandler, extra?: Partial<CommandSpec>,
): CommandSpec {
  return {
    name, arity, flags, firstKey: keys[0], lastKey: keys[1], step: keys[2],
    group: doc.group, since: doc.since, summary: doc.summary, complexity: doc.complexity,
    acl: doc.acl, args: doc.args, tips: doc.tips, handler, ...extra,
  };
}
