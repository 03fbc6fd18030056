/**
 * The live configuration of one server process: values by canonical name, lookup by name or
 * alias (case-insensitive, like config.c's dict), parsing with exact error texts, and the apply
 * hooks that make a CONFIG SET take effect (rebinding the port, changing hz, ...).
 *
 * Apply hooks run only when a CONFIG SET really changed a value (config.c's "res == 1") and
 * each distinct hook runs once per CONFIG SET even when several of its parameters changed. A
 * hook may be asynchronous (binding a socket is); CONFIG SET then replies after it settled.
 */
import type { ConfigEnv, ParamContext, ParamDef, RewriteSink } from './types';
import { PARAMS } from './params';

/**
 * Runs after a CONFIG SET changed `name`. Returns an error text to make the CONFIG SET fail
 * (the previous values are then restored and the hooks run again to re-apply them).
 */
export type ApplyHook = (value: unknown, old: unknown) => string | null | void | Promise<string | null | void>;

/** A name as the config dict holds it: canonical names and aliases are separate entries. */
export interface ConfigEntry { name: string; def: ParamDef<any>; isAlias: boolean }

export type SetOutcome = { error: string } | { changed: boolean };

export class Config {
  private readonly defs = new Map<string, ParamDef<any>>();
  private readonly byAlias = new Map<string, ParamDef<any>>();
  private readonly values = new Map<string, unknown>();
  /** Exact integers of numeric values beyond 2^53, by canonical name. */
  private readonly exact = new Map<string, { value: unknown; exact: bigint }>();
  private readonly hooks = new Map<string, ApplyHook[]>();
  /** Parameters whose value lives in the server (replicaof is the master we follow right now). */
  private readonly readers = new Map<string, () => unknown>();
  /** Stored values by the name get() was called with (cleared on every store). */
  private readonly memo = new Map<string, unknown>();
  private readonly observers = new Map<string, ((value: unknown) => void)[]>();
  /** Absolute path of the config file this process was started with ('' when none). */
  configFile = '';
  /** Extra CONFIG REWRITE writers (Sentinel adds its `sentinel ...` lines here). */
  readonly rewriters: ((sink: RewriteSink) => void)[] = [];
  /** Working directory access for `dir` (set by the server; a stub before that). */
  env: ConfigEnv = { cwd: () => '', chdir: () => null };

  constructor(params: ParamDef<any>[] = PARAMS) {
    for (const p of params) {
      this.defs.set(p.name, p);
      if (p.alias) this.byAlias.set(p.alias, p);
      this.values.set(p.name, cloneValue(p.default));
    }
  }

  /** Find a parameter by canonical name or alias (case-insensitive, like Redis). */
  lookup(name: string): ParamDef<any> | undefined {
    const l = name.toLowerCase();
    return this.defs.get(l) ?? this.byAlias.get(l);
  }

  /** The dict entry a name resolves to (CONFIG SET reports errors with the entry's name). */
  lookupEntry(name: string): ConfigEntry | undefined {
    const l = name.toLowerCase();
    const d = this.defs.get(l);
    if (d) return { name: l, def: d, isAlias: false };
    const a = this.byAlias.get(l);
    return a ? { name: l, def: a, isAlias: true } : undefined;
  }

  get<T = any>(name: string): T {
    // Hot paths read settings for every command: remember stored values by the exact name
    // asked for, so a read is one map lookup. Any store forgets them all (see changed()).
    const memo = this.memo.get(name);
    if (memo !== undefined) return memo as T;
    const def = this.lookup(name);
    if (!def) throw new Error(`unknown config ${name}`);
    if (def.read) return def.read(this.env) as T;
    const reader = this.readers.get(def.name);
    if (reader) return reader() as T;
    const v = this.values.get(def.name);
    if (v !== undefined) this.memo.set(name, v);
    return v as T;
  }

  /** Set without validation (internal use: REPLICAOF, hz clamping, loading). */
  setRaw(name: string, value: unknown): void {
    const def = this.lookup(name);
    if (!def) throw new Error(`unknown config ${name}`);
    this.values.set(def.name, value);
    this.exact.delete(def.name);
    this.changed(def.name);
  }

  /** From now on `name` reads its value from the running server. */
  bindReader(name: string, read: () => unknown): void {
    this.readers.set(this.lookup(name)!.name, read);
    this.memo.clear();
  }

  /**
   * Call `fn` with the value of `name` now and again every time a value is stored for it
   * (CONFIG SET, config file, setRaw): for settings the server keeps in plain fields because
   * it reads them for every command. Unlike onApply hooks, observers run on every store and
   * cannot fail.
   */
  observe<T = any>(name: string, fn: (value: T) => void): void {
    // A table without the parameter (a reduced test table) leaves the observer's default.
    const def = this.lookup(name);
    if (!def) return;
    const canonical = def.name;
    const list = this.observers.get(canonical) ?? [];
    list.push(fn as (value: unknown) => void);
    this.observers.set(canonical, list);
    fn(this.get<T>(canonical));
  }

  /** A value was stored for `canonical`: forget remembered reads, tell the observers. */
  private changed(canonical: string): void {
    this.memo.clear();
    const list = this.observers.get(canonical);
    if (list) { const v = this.get(canonical); for (const fn of list) fn(v); }
  }

  /** Run `hook` after a CONFIG SET changed `name` (see ApplyHook). */
  onApply(name: string, hook: ApplyHook): void {
    const canonical = this.lookup(name)!.name;
    const list = this.hooks.get(canonical) ?? [];
    list.push(hook);
    this.hooks.set(canonical, list);
  }

  applyHooks(name: string): ApplyHook[] {
    return this.hooks.get(this.lookup(name)!.name) ?? [];
  }

  /**
   * Parse and store `args` for `name`. Reports whether the value changed (a volatile
   * parameter always counts as changed). No hooks run here.
   */
  setValue(name: string, args: string[], ctx: ParamContext): SetOutcome {
    const def = this.lookup(name);
    if (!def) return { error: 'Config name not found' };
    const old = this.get(def.name);
    const r = def.parse(args, { ...ctx, env: ctx.env ?? this.env, current: old });
    if ('error' in r) return { error: r.error };
    if (!def.read) this.values.set(def.name, r.value);
    if (r.exact !== undefined) this.exact.set(def.name, { value: r.value, exact: r.exact });
    else this.exact.delete(def.name);
    this.changed(def.name);
    return { changed: !def.equals(old, r.value) || def.flags.includes('volatile') };
  }

  /** Parse and store, returning an error text or null (config-file loading). */
  set(name: string, args: string[], ctx: ParamContext): string | null {
    const r = this.setValue(name, args, ctx);
    return 'error' in r ? r.error : null;
  }

  /** CONFIG GET text of a parameter. */
  format(name: string): string {
    const def = this.lookup(name)!;
    const v = this.get(def.name);
    const ex = this.exact.get(def.name);
    return def.format(v, ex && ex.value === v ? ex.exact : undefined);
  }

  /** The exact integer behind a huge numeric value, if any (for CONFIG REWRITE). */
  exactOf(name: string): bigint | undefined {
    const def = this.lookup(name)!;
    const ex = this.exact.get(def.name);
    return ex && ex.value === this.values.get(def.name) ? ex.exact : undefined;
  }

  isDefault(name: string): boolean {
    const def = this.lookup(name)!;
    return def.equals(this.get(def.name), def.default);
  }

  /** Every dict entry: canonical names then aliases (CONFIG GET patterns match both). */
  *entries(): Generator<ConfigEntry> {
    for (const [n, d] of this.defs) yield { name: n, def: d, isAlias: false };
    for (const [n, d] of this.byAlias) yield { name: n, def: d, isAlias: true };
  }

  params(): ParamDef<any>[] {
    return [...this.defs.values()];
  }
}

function cloneValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x ? { ...x } : x));
  if (v && typeof v === 'object') return JSON.parse(JSON.stringify(v));
  return v;
}
