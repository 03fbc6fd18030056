/**
 * The EVAL script cache (eval.c's lctx.lua_scripts) and the script flags a shebang declares
 * (script.c's scripts_flags_def).
 *
 * Scripts are cached by the lowercase hex SHA1 of their whole body (shebang included); the
 * lookup is case-insensitive, as Redis's sha dict compares keys with strcasecmp. A body with a
 * `#!lua flags=...` first line runs with the declared flags; without a shebang it runs in
 * "compat mode", where the command's own flags (EVAL: may write, EVAL_RO: read-only) apply.
 *
 * The memory figures follow evalScriptsMemory(): each script costs its SHA sds, its body
 * string object, a dict entry and a luaScript struct, plus 8 bytes per dict bucket.
 */
import type { RedisServer } from './server';
import { sha1, toHex } from '../util/sha';
import { splitArgsStr } from '../resp/request-parser';
import { jemallocSize, sdsAllocSize } from '../keyspace/memory-usage';

export const SCRIPT_FLAG = {
  noWrites: 1 << 0,
  allowOom: 1 << 1,
  allowStale: 1 << 2,
  noCluster: 1 << 3,
  /** No shebang: the command's flags apply (eval.c SCRIPT_FLAG_EVAL_COMPAT_MODE). */
  evalCompatMode: 1 << 4,
  allowCrossSlot: 1 << 5,
} as const;

const FLAG_NAMES: [string, number][] = [
  ['no-writes', SCRIPT_FLAG.noWrites],
  ['allow-oom', SCRIPT_FLAG.allowOom],
  ['allow-stale', SCRIPT_FLAG.allowStale],
  ['no-cluster', SCRIPT_FLAG.noCluster],
  ['allow-cross-slot-keys', SCRIPT_FLAG.allowCrossSlot],
];

export interface CachedScript {
  sha: string;
  body: string;
  flags: number;
  /** Bytes of the body before the code the interpreter compiles (the shebang line, not its newline). */
  shebangLen: number;
  /** What the interpreter compiled (opaque here). */
  compiled: unknown;
}

/** A C string's view: up to the first NUL (sds functions like strcmp stop there). */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul >= 0 ? s.slice(0, nul) : s;
}

/**
 * evalExtractShebangFlags(): the flags of a script body and the shebang's length, or the error
 * text. Bodies not starting with "#!" are compat-mode scripts.
 */
export function extractShebangFlags(body: string): { flags: number; shebangLen: number } | { error: string } {
  if (!body.startsWith('#!')) return { flags: SCRIPT_FLAG.evalCompatMode, shebangLen: 0 };
  const cbody = cstr(body);
  const end = cbody.indexOf('\n');
  if (end < 0) return { error: 'Invalid script shebang' };
  const parts = splitArgsStr(body.slice(0, end));
  if (!parts || parts.length === 0) return { error: 'Invalid engine in script shebang' };
  if (cstr(parts[0]) !== '#!lua') return { error: `Unexpected engine in script shebang: ${cstr(parts[0])}` };
  let flags = 0;
  for (const part of parts.slice(1)) {
    if (!cstr(part).startsWith('flags=')) return { error: `Unknown lua shebang option: ${cstr(part)}` };
    // sdssplitlen of "" yields no element: "flags=" declares no flags.
    const list = part.slice(6);
    if (list.length === 0) continue;
    for (const f of list.split(',')) {
      const def = FLAG_NAMES.find(([name]) => name === cstr(f));
      if (!def) return { error: `Unexpected flag in script shebang: ${cstr(f)}` };
      flags |= def[1];
    }
  }
  return { flags, shebangLen: end };
}

/** sha1hex() of a byte string. */
export function sha1hex(s: string): string {
  return toHex(sha1(s));
}

/** The bytes a query argument's string object holds beyond its robj (getStringObjectSdsUsedMemory). */
function argObjectSdsBytes(len: number): number {
  // createStringObject: embedded (robj + sdshdr8 + data + NUL in one allocation) up to 44 bytes.
  if (len <= 44) return jemallocSize(16 + 3 + len + 1) - 16;
  return sdsAllocSize(len);
}

export class ScriptCache {
  private readonly scripts = new Map<string, CachedScript>();
  /** lctx.lua_scripts_mem: the SHA sds and body of every script. */
  private bytes = 0;

  get size(): number { return this.scripts.size; }

  /** dictFind(lua_scripts, sha): case-insensitive. */
  get(sha: string): CachedScript | undefined {
    return this.scripts.get(sha.toLowerCase());
  }

  add(script: CachedScript): void {
    this.scripts.set(script.sha, script);
    this.bytes += sdsAllocSize(40) + argObjectSdsBytes(script.body.length);
  }

  clear(): void {
    this.scripts.clear();
    this.bytes = 0;
  }

  values(): IterableIterator<CachedScript> { return this.scripts.values(); }

  /** evalScriptsMemory(): used_memory_scripts_eval. */
  memoryBytes(): number {
    const n = this.scripts.size;
    if (n === 0) return 0;
    let slots = 4;
    while (slots < n) slots *= 2;
    const DICT_ENTRY = 24, LUA_SCRIPT = 16;
    return this.bytes + n * (DICT_ENTRY + LUA_SCRIPT) + slots * 8;
  }
}

const caches = new WeakMap<RedisServer, ScriptCache>();

/** The server's EVAL script cache. */
export function scriptCacheOf(server: RedisServer): ScriptCache {
  let c = caches.get(server);
  if (!c) {
    c = new ScriptCache();
    caches.set(server, c);
  }
  return c;
}

/**
 * used_memory_lua: the Lua heap (lua_gc LUA_GCCOUNT, whole KB). A fresh state holds 32 KB; each
 * compiled script adds its function prototype and registry entry. Lua's real figure also moves
 * with garbage collection, so this is an estimate of the same order, exact for an empty cache.
 */
export function luaVmMemoryBytes(scripts: number): number {
  return 32768 + Math.ceil((scripts * 400) / 1024) * 1024;
}
