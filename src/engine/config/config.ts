/**
 * The live configuration of one server process: values by canonical name, lookup by name or
 * alias, CONFIG SET with validation and apply hooks, and change listeners.
 */
import type { ParamContext, ParamDef } from './types';
import { PARAMS } from './params';

export type ApplyHook = (value: unknown, old: unknown) => string | null | void;

export class Config {
  private readonly defs = new Map<string, ParamDef<any>>();
  private readonly byAlias = new Map<string, ParamDef<any>>();
  private readonly values = new Map<string, unknown>();
  private readonly hooks = new Map<string, ApplyHook>();
  /** Path of the config file this process was started with ('' when none). */
  configFile = '';

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

  get<T = any>(name: string): T {
    const def = this.lookup(name);
    if (!def) throw new Error(`unknown config ${name}`);
    return this.values.get(def.name) as T;
  }

  /** Set without validation (internal use: REPLICAOF, dir changes, loading). */
  setRaw(name: string, value: unknown): void {
    const def = this.lookup(name);
    if (!def) throw new Error(`unknown config ${name}`);
    this.values.set(def.name, value);
  }

  /** Run `hook` after a successful CONFIG SET of `name`; return an error string to veto. */
  onApply(name: string, hook: ApplyHook): void {
    this.hooks.set(this.lookup(name)!.name, hook);
  }

  /** Parse and store; returns an error string (config.c wording) or null. */
  set(name: string, args: string[], ctx: ParamContext): string | null {
    const def = this.lookup(name);
    if (!def) return 'Config name not found';
    const r = def.parse(args, ctx);
    if ('error' in r) return r.error;
    const old = this.values.get(def.name);
    this.values.set(def.name, r.value);
    if (!ctx.loading) {
      const hook = this.hooks.get(def.name);
      const err = hook?.(r.value, old);
      if (err) {
        this.values.set(def.name, old);
        return err;
      }
    }
    return null;
  }

  format(name: string): string {
    const def = this.lookup(name)!;
    return def.format(this.values.get(def.name));
  }

  isDefault(name: string): boolean {
    const def = this.lookup(name)!;
    const v = this.values.get(def.name);
    return def.equals ? def.equals(v, def.default) : v === def.default;
  }

  /** All parameters, canonical names first then aliases (for CONFIG GET patterns). */
  *entries(): Generator<[string, ParamDef<any>]> {
    for (const [n, d] of this.defs) yield [n, d];
    for (const [n, d] of this.byAlias) yield [n, d];
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
