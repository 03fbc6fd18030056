/**
 * The functions engine (functions.c + function_lua.c): libraries of Lua code registering
 * functions with redis.register_function, called by FCALL/FCALL_RO.
 *
 * The libraries' code lives in the persistence state (`persistenceOf(server).functions`, what
 * RDB files and FUNCTION DUMP carry); the loaded libraries here are derived from it and rebuilt
 * whenever that list changed under us (an RDB load), so persistence stays the single source.
 *
 * Library code runs once at load time with globals that only hold the library API
 * (`redis.register_function`, `redis.log`, the LOG_* and version constants); the functions it
 * registers later run with the full API, in their own Lua state (separate from EVAL's), with
 * the keys and arguments as their two parameters.
 */
import type { Client } from './client';
import type { RedisServer } from './server';
import { persistenceOf } from '../persistence/state';
import { splitArgsStr } from '../resp/request-parser';
import { sdsAllocSize } from '../keyspace/memory-usage';
import { createFunctionsVm, errorReplyTable, runScript, type FunctionsVm } from './script-run';
import { LuaClosure, type LuaState } from '../lua/state';
import { LuaError, LuaFunction, LuaTable, numberToString, type LuaCallContext, type LuaValue } from '../lua/value';

/** scripts_flags_def, as FUNCTION LIST names them. */
export const FUNCTION_FLAGS: [string, number][] = [
  ['no-writes', 1 << 0], ['allow-oom', 1 << 1], ['allow-stale', 1 << 2], ['no-cluster', 1 << 3], ['allow-cross-slot-keys', 1 << 5],
];

export interface FunctionInfo {
  name: string;
  desc: string | null;
  flags: number;
  callback: LuaFunction;
  lib: Library;
}

export interface Library {
  name: string;
  /** The whole payload, shebang included (FUNCTION LIST WITHCODE, DUMP, RDB). */
  code: string;
  /** By exact name (libraryFunctionDictType is case-sensitive). */
  functions: Map<string, FunctionInfo>;
}

/** The key of a function name in the functions maps: ASCII lower case, as dictSdsCaseHash. */
function fnKey(name: string): string {
  return name.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

interface FunctionsState {
  vm: FunctionsVm | null;
  libraries: Map<string, Library>;
  /** By fnKey(name): the server-wide functions dict is case-insensitive (functionDictType). */
  functions: Map<string, FunctionInfo>;
  /** The persisted code list these libraries were built from. */
  synced: string[];
}

/** The library whose code is running at load time (register_function adds to it); loads never nest. */
let loadingLibrary: Library | null = null;

const states = new WeakMap<RedisServer, FunctionsState>();

/** A C string's view of a byte string: up to the first NUL. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul >= 0 ? s.slice(0, nul) : s;
}

/** functionsVerifyName(). */
function validName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(cstr(name)) && cstr(name).length === name.length;
}

/** FUNCTION LOAD's time limit for running library code (LOAD_TIMEOUT_MS). */
const LOAD_TIMEOUT_MS = 500;

function stateOf(server: RedisServer): FunctionsState {
  let st = states.get(server);
  if (!st) {
    st = { vm: null, libraries: new Map(), functions: new Map(), synced: [] };
    states.set(server, st);
  }
  const persisted = persistenceOf(server).functions;
  if (persisted !== st.synced && (persisted.length !== st.synced.length || persisted.some((c, i) => c !== st!.synced[i]))) {
    rebuild(server, st, persisted);
  }
  return st;
}

/** The libraries again from the persisted code (after an RDB load replaced it). */
function rebuild(server: RedisServer, st: FunctionsState, codes: string[]): void {
  st.libraries.clear();
  st.functions.clear();
  st.vm = null;
  for (const code of codes) {
    const r = createLibrary(server, st, code, false, 0);
    if ('error' in r) server.log.warning(`Failed loading library: ${r.error}`);
  }
  st.synced = codes;
}

/** Write the loaded libraries' code back as the persisted list. */
function persist(server: RedisServer, st: FunctionsState): void {
  const codes = [...st.libraries.values()].map((l) => l.code);
  persistenceOf(server).functions = codes;
  st.synced = codes;
}

function vmOf(server: RedisServer, st: FunctionsState): FunctionsVm {
  if (!st.vm) st.vm = createFunctionsVm(server, registerFunction);
  return st.vm;
}

/** functionExtractLibMetaData(): engine, name and the code after the shebang line. */
export function extractLibMetadata(payload: string): { engine: string; name: string; code: string } | { error: string } {
  const p = cstr(payload);
  if (!p.startsWith('#!')) return { error: 'Missing library metadata' };
  const nl = p.indexOf('\n');
  if (nl < 0) return { error: 'Invalid library metadata' };
  const parts = splitArgsStr(payload.slice(0, nl));
  if (!parts || parts.length === 0) return { error: 'Invalid library metadata' };
  const engine = parts[0].slice(2);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return { error: 'Invalid metadata value, name argument was given multiple times' };
      name = part.slice(5);
      continue;
    }
    return { error: `Invalid metadata value given: ${cstr(part)}` };
  }
  if (name === null) return { error: 'Library name was not given' };
  return { engine, name, code: payload.slice(nl) };
}

const NAME_ERROR = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

/**
 * functionsCreateWithLibraryCtx(): compile and run a library's code, then link it (replacing
 * the library of the same name when `replace`). The library name or Redis's error text.
 */
function createLibrary(server: RedisServer, st: FunctionsState, payload: string, replace: boolean, timeoutMs: number): { name: string } | { error: string } {
  const md = extractLibMetadata(payload);
  if ('error' in md) return md;
  if (!validName(md.name)) return { error: NAME_ERROR };
  if (cstr(md.engine).toLowerCase() !== 'lua') return { error: `Engine '${md.engine}' not found` };
  const old = st.libraries.get(md.name);
  if (old && !replace) return { error: `Library '${md.name}' already exists` };
  const lib: Library = { name: md.name, code: payload, functions: new Map() };
  const err = runLibraryCode(server, st, lib, md.code, timeoutMs);
  if (err !== null) return { error: err };
  if (lib.functions.size === 0) return { error: 'No functions registered' };
  for (const f of lib.functions.values()) {
    const other = st.functions.get(fnKey(f.name));
    if (other && other.lib !== old) return { error: `Function ${f.name} already exists` };
  }
  if (old) unlink(st, old);
  link(st, lib);
  return { name: md.name };
}

function link(st: FunctionsState, lib: Library): void {
  st.libraries.set(lib.name, lib);
  // dictAdd(): of two names differing only in case (one library may have both), the first stays.
  for (const f of lib.functions.values()) if (!st.functions.has(fnKey(f.name))) st.functions.set(fnKey(f.name), f);
}

function unlink(st: FunctionsState, lib: Library): void {
  st.libraries.delete(lib.name);
  for (const f of lib.functions.keys()) st.functions.delete(fnKey(f));
}

/** luaEngineCreate(): compile, then run with the library API as globals. An error text or null. */
function runLibraryCode(server: RedisServer, st: FunctionsState, lib: Library, code: string, timeoutMs: number): string | null {
  const vm = vmOf(server, st);
  const L = vm.L;
  let fn: LuaFunction;
  try {
    fn = L.load(code, '@user_function');
  } catch (e) {
    if (e instanceof LuaError) return `Error compiling function: ${typeof e.value === 'string' ? e.value : e.message}`;
    throw e;
  }
  if (fn instanceof LuaClosure) fn.env = vm.userGlobals;
  const mt = vm.userGlobals.metatable!;
  mt.set('__index', vm.libraryApi);
  loadingLibrary = lib;
  const startMs = server.os.now();
  let cpuMs = 0;
  L.setHook(() => {
    cpuMs += 2;
    server.os.cpu?.(2);
    if (timeoutMs > 0 && Math.max(cpuMs, server.os.now() - startMs) > timeoutMs) throw new LuaError(errorReplyTable('FUNCTION LOAD timeout'));
  }, 100000);
  try {
    L.callProtected(fn, []);
    return null;
  } catch (e) {
    if (!(e instanceof LuaError)) throw e;
    return `Error registering functions: ${errorMessage(e.value)}`;
  } finally {
    L.setHook(undefined, 0);
    loadingLibrary = null;
    mt.set('__index', L.globals);
  }
}

/** luaExtractErrorInformation()'s message: "ERR <text>" for a string, the err field of a table. */
function errorMessage(v: LuaValue): string {
  if (typeof v === 'string') return `ERR ${v}`;
  if (typeof v === 'number') return `ERR ${numberToString(v)}`;
  if (v instanceof LuaTable) {
    const e = v.get('err');
    if (typeof e === 'string') return e;
  }
  return '';
}

/** redis.register_function(name, callback) or redis.register_function{function_name=..., ...}. */
function registerFunction(L: LuaCallContext, args: LuaValue[]): LuaValue[] {
  const fail = (msg: string): never => { throw new LuaError(errorReplyTable(msg)); };
  const lib = loadingLibrary;
  if (!lib) fail('redis.register_function can only be called on FUNCTION LOAD command');
  if (args.length < 1 || args.length > 2) fail('wrong number of arguments to redis.register_function');
  let name: string | undefined, desc: string | null = null, callback: LuaFunction | undefined, flags = 0;
  const asString = (v: LuaValue): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? numberToString(v) : undefined);
  if (args.length === 1) {
    const t = args[0];
    if (!(t instanceof LuaTable)) return fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
    let k: LuaValue = undefined;
    for (;;) {
      const e = t.next(k);
      if (!e || e[0] === undefined) break;
      k = e[0];
      const key = asString(e[0]);
      if (key === undefined) fail('named argument key given to redis.register_function is not a string');
      const v = e[1];
      switch (key!.toLowerCase()) {
        case 'function_name':
          name = asString(v);
          if (name === undefined) fail('function_name argument given to redis.register_function must be a string');
          break;
        case 'description':
          desc = asString(v) ?? null;
          if (desc === null) fail('description argument given to redis.register_function must be a string');
          break;
        case 'callback':
          if (!(v instanceof LuaFunction)) fail('callback argument given to redis.register_function must be a function');
          callback = v as LuaFunction;
          break;
        case 'flags': {
          if (!(v instanceof LuaTable)) fail('flags argument to redis.register_function must be a table representing function flags');
          for (let j = 1; ; j++) {
            const f = (v as LuaTable).get(j);
            if (f === undefined) break;
            const fs = asString(f);
            const def = fs === undefined ? undefined : FUNCTION_FLAGS.find(([n]) => n === cstr(fs).toLowerCase());
            if (!def) fail('unknown flag given');
            flags |= def![1];
          }
          break;
        }
        default:
          fail('unknown argument given to redis.register_function');
      }
    }
    if (name === undefined) fail('redis.register_function must get a function name argument');
    if (!callback) fail('redis.register_function must get a callback argument');
  } else {
    name = asString(args[0]);
    if (name === undefined) fail('first argument to redis.register_function must be a string');
    if (!(args[1] instanceof LuaFunction)) fail('second argument to redis.register_function must be a function');
    callback = args[1] as LuaFunction;
  }
  if (!validName(name!)) fail(NAME_ERROR);
  if (lib!.functions.has(name!)) fail('Function already exists in the library');
  lib!.functions.set(name!, { name: name!, desc, flags, callback: callback!, lib: lib! });
  void L;
  return [];
}

// ---- the commands' operations --------------------------------------------------------------

export function functionLibraries(server: RedisServer): Library[] {
  return [...stateOf(server).libraries.values()];
}

export function findFunction(server: RedisServer, name: string): FunctionInfo | undefined {
  return stateOf(server).functions.get(fnKey(name));
}

/** FUNCTION LOAD: the library name, or the error. */
export function loadLibrary(server: RedisServer, payload: string, replace: boolean, timeoutMs = LOAD_TIMEOUT_MS): { name: string } | { error: string } {
  const st = stateOf(server);
  const r = createLibrary(server, st, payload, replace, timeoutMs);
  if ('name' in r) persist(server, st);
  return r;
}

export function deleteLibrary(server: RedisServer, name: string): boolean {
  const st = stateOf(server);
  const lib = st.libraries.get(name);
  if (!lib) return false;
  unlink(st, lib);
  persist(server, st);
  return true;
}

export function flushLibraries(server: RedisServer): void {
  const st = stateOf(server);
  st.libraries.clear();
  st.functions.clear();
  st.vm = null;
  persist(server, st);
}

/**
 * FUNCTION RESTORE of payloads already read: load them into a fresh set, then swap (FLUSH) or
 * join (APPEND/REPLACE) as libraryJoin() does. Null on success, else the error.
 */
export function restoreLibraries(server: RedisServer, payloads: string[], policy: 'flush' | 'append' | 'replace'): string | null {
  const st = stateOf(server);
  const fresh: FunctionsState = { vm: vmOf(server, st), libraries: new Map(), functions: new Map(), synced: [] };
  for (const p of payloads) {
    const r = createLibrary(server, fresh, p, false, 0);
    if ('error' in r) return r.error;
  }
  if (policy === 'flush') {
    st.libraries = fresh.libraries;
    st.functions = fresh.functions;
    persist(server, st);
    return null;
  }
  const replaced: Library[] = [];
  for (const lib of fresh.libraries.values()) {
    const old = st.libraries.get(lib.name);
    if (!old) continue;
    if (policy !== 'replace') {
      for (const o of replaced) link(st, o);
      return `Library ${lib.name} already exists`;
    }
    unlink(st, old);
    replaced.push(old);
  }
  for (const [key, f] of fresh.functions) {
    if (st.functions.has(key)) {
      for (const o of replaced) link(st, o);
      return `Function ${f.name} already exists`;
    }
  }
  for (const lib of fresh.libraries.values()) link(st, lib);
  persist(server, st);
  return null;
}

/** FCALL/FCALL_RO after the argument checks. */
export function callFunction(c: Client, f: FunctionInfo, keys: string[], args: string[], ro: boolean): void {
  const st = stateOf(c.server);
  const vm = vmOf(c.server, st);
  runScript(c, vm.L as LuaState, f.callback, { funcname: f.name, flags: f.flags, ro, evalMode: false, keys, args });
}

/** FUNCTION STATS' engine figures. */
export function functionCounts(server: RedisServer): { libraries: number; functions: number } {
  const st = stateOf(server);
  // Counted per library (the engine stats), so case-only twins count twice.
  let functions = 0;
  for (const lib of st.libraries.values()) functions += lib.functions.size;
  return { libraries: st.libraries.size, functions };
}

/**
 * functionsMemoryOverhead() (used_memory_functions, MEMORY STATS functions.caches): the engine's
 * 200 bytes, the functions dict, and per library and function their structs and names (fitted
 * to Redis 7.0.15's figures for short names; the library code itself is not counted by Redis).
 */
export function functionsMemoryBytes(server: RedisServer): number {
  const st = stateOf(server);
  let bytes = 200;
  const n = st.functions.size;
  if (n > 0) {
    let slots = 4;
    while (slots < n) slots *= 2;
    bytes += n * 24 + slots * 8;
  }
  for (const lib of st.libraries.values()) {
    bytes += 64 + sdsAllocSize(lib.name.length);
    for (const f of lib.functions.values()) {
      bytes += 104 + sdsAllocSize(f.name.length);
      if (f.desc !== null) bytes += 48 + sdsAllocSize(f.desc.length);
    }
  }
  return bytes;
}

/** used_memory_vm_functions: the engine's Lua heap, 33 KB empty (an estimate, like used_memory_lua). */
export function functionsVmMemoryBytes(server: RedisServer): number {
  return 33792 + stateOf(server).libraries.size * 1024;
}
