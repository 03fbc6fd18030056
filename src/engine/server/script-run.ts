/**
 * Running EVAL scripts: the Lua state Redis sets up (eval.c scriptingInit, script_lua.c), the
 * redis.* API, the conversions between Lua values and RESP, and the run context script.c keeps
 * while a script runs (read-only scripts, OOM, replicas, the write-dirty flag SCRIPT KILL looks
 * at, the time limit).
 *
 * Commands a script calls run through the normal call() on a fake client (id -1, so MONITOR
 * shows them as "lua") that has the caller's user and db. Its reply bytes are parsed back and
 * converted to Lua values, as Redis does. What they change is propagated (AOF, replicas) when
 * the EVAL returns: several writes in MULTI/EXEC, a single one alone; the EVAL itself is not.
 */
import { debugState } from '../commands/debug';
import { Client } from './client';
import { REDIS_VERSION, type RedisServer } from './server';
import type { CachedScript } from './script-cache';
import { SCRIPT_FLAG, sha1hex } from './script-cache';
import { call, markErrorsAccounted } from './dispatch';
import { FLAG_BIT, type CommandSpec } from '../commands/table';
import { aclScriptCheck } from '../commands/acl';
import { ReplyParser, type RespValue } from '../resp/reply-parser';
import { LuaError, LuaFunction, LuaTable, numberToString, toNumber, type LuaCallContext, type LuaValue } from '../lua/value';
import type { LuaState, ResumableRunLike } from '../lua/state';
import { getRandomState, newLuaState, setRandomState } from '../lua';
import { openRedisLibs } from '../lua/libs';
import { catValue, type LdbSession } from './ldb';
import { bytesToStr } from '../bytes';

/** Propagation targets (PROPAGATE_AOF, PROPAGATE_REPL) for redis.set_repl. */
const REPL_AOF = 1, REPL_REPLICA = 2, REPL_ALL = 3;

const LL_DEBUG = 0, LL_VERBOSE = 1, LL_NOTICE = 2, LL_WARNING = 3;

/** scriptRunCtx. */
interface RunCtx {
  caller: Client;
  client: Client;
  /** The script's SHA or the function's name: named in errors and the slow script warning. */
  funcname: string;
  /** EVAL (KEYS/ARGV globals, SCRIPT KILL) rather than FCALL (FUNCTION KILL). */
  evalMode: boolean;
  /** The chunk name in positions: "user_script" (EVAL) or "user_function" (libraries). */
  chunk: string;
  readOnly: boolean;
  allowOom: boolean;
  /** A write command ran: SCRIPT KILL refuses, later checks are skipped. */
  writeDirty: boolean;
  killed: boolean;
  timedOut: boolean;
  startMs: number;
  repl: number;
  /** OOM state when the script started (server.pre_command_oom_state). */
  oomAtStart: boolean;
  /** Modelled CPU time the script has used (ms). */
  cpuMs: number;
  /** Instructions counted and the clock when the running slice started (past the time limit). */
  sliceInstructions: number;
  sliceStartMs: number;
  /** The line running when the script was last suspended (named by SCRIPT KILL's error). */
  line: number | undefined;
  /** Where the script's propagated writes start in server.pendingPropagation. */
  propStart: number;
  /** Writes of the slices run so far, kept out of the queue while the script is suspended. */
  heldOps: { dbId: number; argv: string[] }[];
  /** Cluster: the slot the script's keys hash to so far (-1 none yet: the caller's c->slot). */
  slot: number;
  /** Keys may hash to different slots (compat-mode scripts, allow-cross-slot-keys). */
  allowCrossSlot: boolean;
  /**
   * Past its time limit the script may be suspended with its caller held. Not for scripts from
   * our master (its stream cannot be held) nor inside EXEC (the transaction cannot be
   * suspended): those log the slow script warning and run to their end. One read from the AOF
   * is suspended: the loader waits for it, serving clients (-LOADING) meanwhile.
   */
  holdable: boolean;
  /** The debugging session this run is part of (SCRIPT DEBUG), or null. */
  ldb: LdbSession | null;
}

/**
 * A script past busy-reply-threshold that this server stopped running (see runEvalScript):
 * other clients get BUSY until SCRIPT KILL (or SHUTDOWN NOSAVE) ends it, its caller is held.
 */
interface BusyScript {
  run: RunCtx;
}

interface ScriptingState {
  L: LuaState | null;
  client: Client | null;
  run: RunCtx | null;
  /** redis.call is not reentrant (luaRedisGenericCommand's inuse). */
  inCall: boolean;
  /**
   * math.random's rand48 state: one per server in Redis (a C static), shared by EVAL and the
   * functions engine and kept across SCRIPT FLUSH; carried into whichever Lua state runs.
   */
  randState: number | undefined;
  busy: BusyScript | null;
}

const states = new WeakMap<RedisServer, ScriptingState>();

function stateOf(server: RedisServer): ScriptingState {
  let st = states.get(server);
  if (!st) {
    st = newScriptingState();
    states.set(server, st);
  }
  return st;
}

function newScriptingState(): ScriptingState {
  return { L: null, client: null, run: null, inCall: false, busy: null, randState: undefined };
}

/** The running script's context, or null (scriptIsRunning). */
export function runningScript(server: RedisServer): RunCtx | null {
  const st = states.get(server);
  return st?.run ?? st?.busy?.run ?? null;
}

/** The slow script error (shared.slowevalerr) while a timed-out script holds the server. */
export const SLOW_EVAL_ERROR = '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
/** The same for a function (shared.slowscripterr). */
export const SLOW_SCRIPT_ERROR = '-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';

/**
 * The count hook's period and the modelled CPU time per counted instruction (statements, loop
 * iterations, calls): Redis's Lua runs a simple loop iteration in a few nanoseconds, a statement
 * with a table store in a few tens.
 */
const HOOK_EVERY = 10000;
const LUA_INSTR_CPU_MS = 0.00002;
/**
 * Redis's hook runs every 100000 instructions and, past the time limit, serves events from
 * there. A suspended slice ends after as many instructions, or after SCRIPT_SLICE_MS when ours
 * is slower than that (each redis.call costs us far more than Redis), so clients are served
 * about as often as Redis serves them.
 */
const REDIS_HOOK_EVERY = 100000;
const SCRIPT_SLICE_MS = 50;


/** Globals Redis's Lua does not have (deny list, libraries not loaded, removed after init). */
const REMOVED_GLOBALS = ['debug', 'print', 'dofile', 'loadfile', 'setfenv', 'newproxy', 'module', 'require', 'package', 'os', 'io'];

/** scriptingInit(): a fresh Lua state with Redis's API; globals locked. */
function createVm(server: RedisServer, st: ScriptingState, evalMode = true): LuaState {
  const L = newLuaState();
  openRedisLibs(L);
  const g = L.globals;
  for (const name of REMOVED_GLOBALS) g.set(name, undefined);
  const baseError = g.get('error');
  if (baseError instanceof LuaFunction) {
    // Run in the caller's frame (no frame of its own) so its position prefix stays the caller's.
    g.set('error', new LuaFunction('error', (LL, args) => {
      try {
        return baseError.fn(LL, args);
      } catch (e) {
        if (e instanceof LuaError && e.luaLine === undefined) e.luaLine = lineOf(LL.where(1));
        throw e;
      }
    }));
  }
  // Redis's pcall wrapper: an {err=...} error table comes back as its message. Done by the base
  // pcall (a replacement function would run its callee unsuspendably past the time limit).
  L.pcallErrorFilter = (v) => {
    if (v instanceof LuaTable) {
      const msg = v.get('err');
      if (typeof msg === 'string') return msg;
    }
    return v;
  };
  g.set('redis', redisApi(server, st, evalMode));
  // The error handler Redis installs as a global for EVAL (scripts can see it); we format
  // errors natively. The functions engine keeps its handler in the registry.
  if (evalMode) g.set('__redis__err__handler', new LuaFunction('__redis__err__handler', (_L, args) => [errorTable(args[0])]));
  protectGlobals(L);
  return L;
}

/** The functions engine's Lua state (luaEngineInitEngine): see server/function-lua.ts. */
export interface FunctionsVm {
  L: LuaState;
  /** What library code sees while FUNCTION LOAD runs it: only `redis` with register_function & co. */
  libraryApi: LuaTable;
  /** The globals of library code: empty, reading through to libraryApi or the real globals. */
  userGlobals: LuaTable;
}

export function createFunctionsVm(server: RedisServer, registerFunction: (L: LuaCallContext, args: LuaValue[]) => LuaValue[]): FunctionsVm {
  const L = createVm(server, stateOf(server), false);
  const api = new LuaTable();
  api.set('register_function', new LuaFunction('register_function', registerFunction));
  api.set('log', new LuaFunction('log', (LL, args) => redisLog(server, LL, args)));
  api.set('LOG_DEBUG', LL_DEBUG);
  api.set('LOG_VERBOSE', LL_VERBOSE);
  api.set('LOG_NOTICE', LL_NOTICE);
  api.set('LOG_WARNING', LL_WARNING);
  api.set('REDIS_VERSION_NUM', versionNum(REDIS_VERSION));
  api.set('REDIS_VERSION', REDIS_VERSION);
  api.metatable = globalsErrorMetatable();
  const libraryApi = new LuaTable();
  libraryApi.set('redis', api);
  libraryApi.metatable = globalsErrorMetatable();
  setReadonlyRecursively(libraryApi, new Set());
  const userGlobals = new LuaTable();
  const mt = new LuaTable();
  mt.set('__index', L.globals);
  userGlobals.metatable = mt;
  mt.readonly = true;
  userGlobals.readonly = true;
  return { L, libraryApi, userGlobals };
}

/**
 * Readonly globals and tables (lua_enablereadonlytable), and the error for reading an
 * undeclared global (luaSetErrorMetatable).
 */
function protectGlobals(L: LuaState): void {
  L.globals.metatable = globalsErrorMetatable();
  setReadonlyRecursively(L.globals, new Set());
}

/** luaSetErrorMetatable(): reading a missing field is an error. */
function globalsErrorMetatable(): LuaTable {
  const mt = new LuaTable();
  mt.set('__index', new LuaFunction('__index', (LL, args): LuaValue[] => {
    const name = args[1];
    if (typeof name !== 'string' && typeof name !== 'number') LL.error('Second argument to luaProtectedTableError must be a string or number');
    return LL.error(`Script attempted to access nonexistent global variable '${typeof name === 'number' ? numberToString(name) : name}'`);
  }));
  return mt;
}

function setReadonlyRecursively(t: LuaTable, seen: Set<LuaTable>): void {
  if (seen.has(t)) return;
  seen.add(t);
  t.readonly = true;
  let k: LuaValue = undefined;
  for (;;) {
    const e = t.next(k);
    if (!e || e[0] === undefined) break;
    k = e[0];
    if (e[1] instanceof LuaTable) setReadonlyRecursively(e[1], seen);
  }
  if (t.metatable) setReadonlyRecursively(t.metatable, seen);
}

function vmOf(server: RedisServer): LuaState {
  const st = stateOf(server);
  if (!st.L) st.L = createVm(server, st);
  return st.L;
}

/** scriptingReset() for SCRIPT FLUSH: the next script gets a new Lua state. */
export function resetScriptingVm(server: RedisServer): void {
  const st = states.get(server);
  if (st && !st.run) st.L = null;
}

/** luaL_loadbuffer(code, "@user_script"): the compiled chunk or the compiler's message. */
export function compileScript(server: RedisServer, code: string, L: LuaState = vmOf(server), chunkname = '@user_script'): { fn: LuaFunction } | { error: string } {
  try {
    return { fn: L.load(code, chunkname) };
  } catch (e) {
    if (e instanceof LuaError) return { error: typeof e.value === 'string' ? e.value : e.message };
    throw e;
  }
}

// ---- errors ----------------------------------------------------------------------------

/**
 * luaPushErrorBuff(): the {err = "CODE message"} table. "-CODE message" keeps its code;
 * anything else gets "ERR"; trailing CR/LF are trimmed.
 */
export function errorReplyTable(text: string): LuaTable {
  let code = 'ERR', msg = text;
  if (text.startsWith('-')) {
    const sp = text.indexOf(' ');
    if (sp < 0) msg = text.slice(1);
    else { code = text.slice(1, sp); msg = text.slice(sp + 1); }
  }
  msg = msg.replace(/^[\r\n]+|[\r\n]+$/g, '');
  const t = new LuaTable();
  t.set('err', `${code} ${msg}`);
  return t;
}

/** __redis__err__handler's conversion: a non-table error becomes {err = 'ERR ' .. tostring(e)}. */
function errorTable(v: LuaValue): LuaValue {
  if (v instanceof LuaTable) return v;
  const t = new LuaTable();
  t.set('err', `ERR ${v === undefined ? 'nil' : typeof v === 'boolean' ? String(v) : typeof v === 'number' ? numberToString(v) : typeof v === 'string' ? v : 'error object'}`);
  return t;
}

/** The line in "user_script:<line>: " (luaL_where's text), if any. */
function lineOf(where: string): number | undefined {
  const m = /^user_(?:script|function):(\d+): /.exec(where);
  return m ? Number(m[1]) : undefined;
}

/**
 * A Lua error raised by a native called from Lua: it remembers the calling line, which Redis's
 * error handler reports (debug.getinfo of the Lua function above the C function).
 */
function nativeError(L: LuaCallContext, value: LuaValue): LuaError {
  const e = new LuaError(value);
  e.luaLine = lineOf(L.where(1));
  return e;
}

/** The Lua line an error was raised on, as the error handler finds it (debug.getinfo). */
function errorLine(e: LuaError): number | undefined {
  if (typeof e.luaLine === 'number') return e.luaLine;
  return typeof e.value === 'string' ? lineOf(e.value) : undefined;
}

// ---- redis.* API -------------------------------------------------------------------------

function redisApi(server: RedisServer, st: ScriptingState, evalMode: boolean): LuaTable {
  const t = new LuaTable();
  const fn = (name: string, f: (L: LuaCallContext, args: LuaValue[]) => LuaValue[]) => t.set(name, new LuaFunction(name, f));
  fn('call', (L, args) => redisGenericCommand(server, st, L, args, true));
  fn('pcall', (L, args) => redisGenericCommand(server, st, L, args, false));
  fn('log', (L, args) => redisLog(server, L, args));
  t.set('LOG_DEBUG', LL_DEBUG);
  t.set('LOG_VERBOSE', LL_VERBOSE);
  t.set('LOG_NOTICE', LL_NOTICE);
  t.set('LOG_WARNING', LL_WARNING);
  t.set('REDIS_VERSION_NUM', versionNum(REDIS_VERSION));
  t.set('REDIS_VERSION', REDIS_VERSION);
  fn('setresp', (L, args) => {
    const run = st.run;
    if (!run) throw nativeError(L, errorReplyTable('redis.setresp can only be called inside a script invocation'));
    if (args.length !== 1) throw nativeError(L, errorReplyTable('redis.setresp() requires one argument.'));
    const resp = Math.trunc(toNumber(args[0]) ?? 0);
    if (resp !== 2 && resp !== 3) throw nativeError(L, errorReplyTable('RESP version must be 2 or 3.'));
    run.client.resp = resp;
    return [];
  });
  fn('sha1hex', (L, args) => {
    if (args.length !== 1) throw nativeError(L, errorReplyTable('wrong number of arguments'));
    const v = args[0];
    // lua_tolstring of a non-string gives NULL: the digest of nothing.
    return [sha1hex(typeof v === 'string' ? v : typeof v === 'number' ? numberToString(v) : '')];
  });
  fn('error_reply', (_L, args) => {
    if (args.length !== 1 || typeof args[0] !== 'string') return [errorReplyTable('wrong number or type of arguments')];
    const s = args[0];
    return [errorReplyTable(s.startsWith('-') ? s : `-${s}`)];
  });
  fn('status_reply', (_L, args) => {
    if (args.length !== 1 || typeof args[0] !== 'string') return [errorReplyTable('wrong number or type of arguments')];
    const r = new LuaTable();
    r.set('ok', args[0]);
    return [r];
  });
  fn('set_repl', (L, args) => {
    const run = st.run;
    if (!run) throw nativeError(L, errorReplyTable('redis.set_repl can only be called inside a script invocation'));
    if (args.length !== 1) throw nativeError(L, errorReplyTable('redis.set_repl() requires two arguments.'));
    const flags = Math.trunc(toNumber(args[0]) ?? 0) | 0;
    if ((flags & ~REPL_ALL) !== 0) throw nativeError(L, errorReplyTable('Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.'));
    run.repl = flags;
    return [];
  });
  t.set('REPL_NONE', 0);
  t.set('REPL_AOF', REPL_AOF);
  t.set('REPL_SLAVE', REPL_REPLICA);
  t.set('REPL_REPLICA', REPL_REPLICA);
  t.set('REPL_ALL', REPL_ALL);
  fn('acl_check_cmd', (L, args) => {
    const run = st.run;
    if (!run) throw nativeError(L, errorReplyTable('redis.acl_check_cmd can only be called inside a script invocation'));
    const argv = luaArgsToArgv(args);
    if (typeof argv === 'string') throw nativeError(L, errorReplyTable(argv));
    const spec = server.table.lookup(argv);
    if (!spec) throw nativeError(L, errorReplyTable('Invalid command passed to redis.acl_check_cmd()'));
    const u = server.acl.users.get(run.caller.user);
    if (!u) return [true];
    const r = server.acl.checkCommand(u, spec, argv, (sp, a) => server.table.keyPositions(sp, a));
    return [r.result === 0];
  });
  if (!evalMode) return t;
  // Debugging helpers: no-ops outside a debugging session.
  fn('breakpoint', () => {
    const ldb = st.run?.ldb;
    if (!ldb) return [false];
    ldb.ldb.luabp = true;
    return [true];
  });
  fn('debug', (_L, args) => {
    const ldb = st.run?.ldb;
    if (!ldb) return [];
    ldb.log(`<debug> line ${ldb.currentline}: ${args.map((a) => catValue(server, a)).join(', ')}`);
    return [];
  });
  // Scripts always replicate their effects in 7.0: kept for old scripts, always true.
  fn('replicate_commands', () => [true]);
  return t;
}

/** "7.0.15" → 0x00070f. */
function versionNum(v: string): number {
  const [a, b, c] = v.split('.').map((x) => Number(x) || 0);
  return (a << 16) | (b << 8) | c;
}

/** redis.log(level, ...): joined with spaces, written at that level. */
function redisLog(server: RedisServer, L: LuaCallContext, args: LuaValue[]): LuaValue[] {
  if (args.length < 2) throw nativeError(L, errorReplyTable('redis.log() requires two arguments or more.'));
  const lvl = toNumber(args[0]);
  if (lvl === undefined) throw nativeError(L, errorReplyTable('First argument must be a number (log level).'));
  const level = Math.trunc(lvl!);
  if (level < LL_DEBUG || level > LL_WARNING) throw nativeError(L, errorReplyTable('Invalid debug level.'));
  const parts: string[] = [];
  for (let j = 1; j < args.length; j++) {
    const v = args[j];
    if (typeof v === 'string') parts.push(v);
    else if (typeof v === 'number') parts.push(numberToString(v));
  }
  const text = parts.join(' ');
  const log = server.log as unknown as Record<string, (m: string) => void>;
  const method = ['debug', 'verbose', 'notice', 'warning'][level];
  log[method]?.call(server.log, text);
  return [];
}

/**
 * luaArgsToRedisArgv(): numbers as "%.17g", strings as they are; anything else (or no
 * argument) is an error text.
 */
function luaArgsToArgv(args: LuaValue[]): string[] | string {
  if (args.length === 0) return 'Please specify at least one argument for this redis lib call';
  const argv: string[] = new Array(args.length);
  for (let j = 0; j < args.length; j++) {
    const v = args[j];
    if (typeof v === 'number') argv[j] = fmtG17(v);
    else if (typeof v === 'string') argv[j] = v;
    else return 'Lua redis lib command arguments must be strings or integers';
  }
  return argv;
}

/** C's "%.17g". */
function fmtG17(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e17) return Object.is(n, -0) ? '-0' : String(n);
  if (n !== n) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  const exp = n.toExponential(16);
  const ePos = exp.indexOf('e');
  const x = Number(exp.slice(ePos + 1));
  if (x < -4 || x >= 17) {
    let m = exp.slice(0, ePos);
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    const ax = Math.abs(x);
    return `${m}e${x < 0 ? '-' : '+'}${ax < 10 ? '0' : ''}${ax}`;
  }
  let fixed = n.toFixed(16 - x);
  if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}

/** luaRedisGenericCommand(): redis.call (raiseError) and redis.pcall. */
function redisGenericCommand(server: RedisServer, st: ScriptingState, L: LuaCallContext, args: LuaValue[], raiseError: boolean): LuaValue[] {
  const run = st.run;
  if (!run) throw nativeError(L, errorReplyTable('redis.call/pcall can only be called inside a script invocation'));
  const argv = luaArgsToArgv(args);
  const ldb = run.ldb;
  if (typeof argv === 'string') {
    if (ldb?.logging) ldb.log(`<error> ${argv}`);
    const t = errorReplyTable(argv);
    if (raiseError) throw nativeError(L, t);
    return [t];
  }
  if (st.inCall) {
    const msg = 'luaRedisGenericCommand() recursive call detected. Are you doing funny stuff with Lua debug hooks?';
    server.log.warning(msg);
    return [errorReplyTable(msg)];
  }
  st.inCall = true;
  let result: LuaValue;
  let isError = false;
  if (ldb?.logging) {
    // The command as the debugger shows it: its first ten arguments.
    let cmdlog = '<redis>';
    for (let j = 0; j < argv.length; j++) {
      if (j === 10) { cmdlog += ` ... (${argv.length - j - 1} more)`; break; }
      cmdlog += ` ${argv[j]}`;
    }
    ldb.log(cmdlog);
  }
  try {
    const err = scriptCall(server, run, argv);
    if (err !== null) {
      if (ldb?.logging) ldb.log(`<error> ${err}`);
      const t = errorReplyTable(err);
      t.set('ignore_error_stats_update', true);
      result = t;
      isError = true;
    } else {
      const c = run.client;
      const bytes = c.out.buf.subarray(0, c.out.len);
      isError = bytes.length > 0 && bytes[0] === 45 /* - */;
      const v = ReplyParser.first(bytes);
      if (ldb?.logging) {
        const reply = bytesToStr(bytes);
        // redisProtocolToLuaType_Error goes through luaPushErrorBuff, which logs it.
        if (isError) ldb.log(`<error> ${reply.slice(0, reply.indexOf('\r'))}`);
        ldb.logRedisReply(reply);
      }
      c.out.len = 0;
      result = v ? respToLua(v, c.resp) : undefined;
    }
  } finally {
    st.inCall = false;
  }
  if (raiseError && isError) throw nativeError(L, result);
  return [result];
}

/** scriptCall(): the checks Redis makes on a command from a script, then call(). */
function scriptCall(server: RedisServer, run: RunCtx, argv: string[]): string | null {
  const c = run.client;
  c.user = run.caller.user;
  const spec = server.table.lookup(argv);
  c.cmd = spec ?? null;
  c.lastCmd = spec ?? null;
  const rejected = (err: string): string => {
    // afterErrorReply on the script client: counted in the error stats; rejected_calls.
    server.recordErrorReply(c, err.startsWith('-') ? err : `-ERR ${err}`);
    if (spec?.stats) spec.stats.rejectedCalls++;
    markErrorsAccounted(server);
    return err;
  };
  if (!spec || (spec.arity > 0 && spec.arity !== argv.length) || argv.length < -spec.arity) {
    return rejected(spec ? 'Wrong number of args calling Redis command from script' : 'Unknown Redis command called from script');
  }
  const bits = spec.flagBits ?? 0;
  // DEBUG SET-DISABLE-DENY-SCRIPTS lets tests call no-script commands (DEBUG PROTOCOL) from scripts.
  if ((bits & FLAG_BIT.noscript) && !debugState(server).disableDenyScripts) return rejected('This Redis command is not allowed from script');
  if (server.masterHost && server.replState !== 'connected' && !server.config.get<boolean>('replica-serve-stale-data') && !(bits & FLAG_BIT.stale)) {
    return rejected('Can not execute the command on a stale replica');
  }
  const aclError = aclScriptCheck(server, run.caller, spec, argv);
  if (aclError !== null) return rejected(aclError);
  const writeErr = verifyWriteAllowed(server, run, spec);
  if (writeErr !== null) return rejected(writeErr);
  if (!run.allowOom && server.hot.maxmemory && !mustObey(run.caller) && !run.writeDirty && run.oomAtStart && (bits & FLAG_BIT.denyoom)) {
    return rejected("-OOM command not allowed when used memory > 'maxmemory'.");
  }
  if (bits & FLAG_BIT.write) run.writeDirty = true;
  if (server.guards.scriptClusterQuery && !mustObey(run.caller)) {
    // scriptVerifyClusterState(): only keys this node serves, in one slot unless allowed.
    c.readonly = run.caller.readonly;
    c.asking = run.caller.asking;
    const q = server.guards.scriptClusterQuery(c, spec, argv);
    if (!q.local) {
      return rejected(q.code === 'down-ro' ? 'Script attempted to execute a write command while the cluster is down and readonly'
        : q.code === 'down' ? 'Script attempted to execute a command while the cluster is down'
          : 'Script attempted to access a non local key in a cluster node');
    }
    if (q.slot !== -1 && !run.allowCrossSlot) {
      if (run.slot === -1) run.slot = q.slot;
      else if (run.slot !== q.slot) return rejected('Script attempted to access keys that do not hash to the same slot');
    }
  }
  const before = server.pendingPropagation.length;
  call(server, c, spec, argv);
  // redis.set_repl(): what this command propagates goes only where the script asked.
  if (run.repl !== REPL_ALL && server.pendingPropagation.length > before) {
    if (run.repl === 0) server.pendingPropagation.length = before;
    else {
      for (let i = before; i < server.pendingPropagation.length; i++) {
        (server.pendingPropagation[i] as { target?: 'repl' | 'aof' }).target = run.repl === REPL_AOF ? 'aof' : 'repl';
      }
    }
  }
  return null;
}

function mustObey(c: Client): boolean {
  return c.isMaster || c.id === -1;
}

/** scriptVerifyWriteCommandAllow(). */
function verifyWriteAllowed(server: RedisServer, run: RunCtx, spec: CommandSpec): string | null {
  const bits = spec.flagBits ?? 0;
  if (run.readOnly && (bits & (FLAG_BIT.write | FLAG_BIT.may_replicate))) return 'Write commands are not allowed from read-only scripts.';
  if (!(bits & FLAG_BIT.write)) return null;
  if (run.writeDirty) return null;
  if (server.masterHost && server.config.get<boolean>('replica-read-only') && !mustObey(run.caller)) {
    return "-READONLY You can't write against a read only replica.";
  }
  const diskError = server.guards.diskError?.();
  if (diskError) return diskError;
  if (server.guards.goodReplicas && !server.guards.goodReplicas()) return '-NOREPLICAS Not enough good replicas to write.';
  return null;
}

// ---- RESP → Lua ------------------------------------------------------------------------

/** redisProtocolToLuaType(). */
function respToLua(v: RespValue, resp: 2 | 3): LuaValue {
  switch (v.type) {
    case 'int': return Number(v.value);
    case 'bulk': return v.value;
    case 'nil': return resp === 2 ? false : undefined;
    case 'nilarray': return false;
    case 'status': { const t = new LuaTable(); t.set('ok', v.value); return t; }
    case 'error': {
      const t = errorReplyTable(`-${v.value}`);
      t.set('ignore_error_stats_update', true);
      return t;
    }
    case 'array':
    case 'push': return new LuaTable(v.value.map((x) => respToLua(x, resp)));
    case 'map': {
      const inner = new LuaTable();
      for (const [k, val] of v.value) {
        const key = respToLua(k, resp);
        if (key !== undefined) inner.set(key, respToLua(val, resp));
      }
      const t = new LuaTable();
      t.set('map', inner);
      return t;
    }
    case 'set': {
      const inner = new LuaTable();
      for (const x of v.value) {
        const key = respToLua(x, resp);
        if (key !== undefined) inner.set(key, true);
      }
      const t = new LuaTable();
      t.set('set', inner);
      return t;
    }
    case 'double': {
      const t = new LuaTable();
      t.set('double', toNumber(v.value) ?? 0);
      return t;
    }
    case 'bool': return v.value;
    case 'verbatim': {
      const inner = new LuaTable();
      inner.set('string', v.value);
      inner.set('format', v.format);
      const t = new LuaTable();
      t.set('verbatim_string', inner);
      return t;
    }
    case 'bignum': {
      const t = new LuaTable();
      t.set('big_number', v.value);
      return t;
    }
    case 'attribute': return undefined;
  }
}

// ---- Lua → RESP ------------------------------------------------------------------------

/** An error reply whose stats were already counted (ERR_REPLY_FLAG_NO_STATS_UPDATE). */
function replyErrorNoStats(c: Client, text: string): void {
  c.replyRaw(`${text.replace(/[\r\n]/g, ' ')}\r\n`);
  // afterErrorReply: not counted again, but the command still failed.
  if (c.cmd?.stats) c.cmd.stats.failedCalls++;
}

/** Lua 5.1's LUAI_MAXCSTACK: how many slots lua_checkstack() lets a C caller use. */
const LUAI_MAXCSTACK = 8000;

/** A step of luaToReply(): a value to write, or a deferred length to fill in once its elements are out. */
type ReplyStep = { v: LuaValue; stackSlots: number } | { pos: number; kind: '%' | '~' | '*'; n: number };

/**
 * luaReplyToRedisReply(), walked with an explicit stack: a reply may nest ~8000 levels (a
 * self-containing table goes that deep before the limit), more than the JS stack allows.
 */
function luaToReply(c: Client, scriptResp: 2 | 3, v: LuaValue): void {
  // The error handler and the result are on the Lua stack when the walk starts.
  const work: ReplyStep[] = [{ v, stackSlots: 2 }];
  for (let step = work.pop(); step; step = work.pop()) {
    if ('pos' in step) c.setDeferredLen(step.pos, step.kind, step.n);
    else luaOneToReply(c, scriptResp, step.v, step.stackSlots, work);
  }
}

/** One value of luaToReply(): written now, or, for a table, its elements queued on `work`. */
function luaOneToReply(c: Client, scriptResp: 2 | 3, v: LuaValue, stackSlots: number, work: ReplyStep[]): void {
  // lua_checkstack(lua, 4) against LUAI_MAXCSTACK: Redis walks the reply on the Lua stack
  // (one more slot per array level, three or four per map or set level), so a too deep or
  // self-containing table ends in this error in place of the element.
  if (stackSlots + 4 > LUAI_MAXCSTACK) { c.replyError('reached lua stack limit'); return; }
  if (typeof v === 'string') { c.replyBulk(v); return; }
  if (typeof v === 'boolean') {
    if (scriptResp === 2) { if (v) c.replyInt(1); else c.replyNull(); } else c.replyBool(v);
    return;
  }
  if (typeof v === 'number') { c.replyInt(cLongLong(v)); return; }
  if (!(v instanceof LuaTable)) { c.replyNull(); return; }
  const err = v.get('err');
  if (typeof err === 'string') {
    if (v.get('ignore_error_stats_update') === true) replyErrorNoStats(c, `-${err}`);
    else c.replyError(`-${err}`);
    return;
  }
  const ok = v.get('ok');
  if (typeof ok === 'string') { c.replyStatus(ok.replace(/[\r\n]/g, ' ')); return; }
  const dbl = v.get('double');
  if (typeof dbl === 'number') { c.replyDouble(dbl); return; }
  const big = v.get('big_number');
  if (typeof big === 'string') {
    const s = big.replace(/[\r\n]/g, ' ');
    if (c.resp === 2) c.replyBulk(s); else c.replyRaw(`(${s}\r\n`);
    return;
  }
  const verb = v.get('verbatim_string');
  if (verb instanceof LuaTable) {
    const format = verb.get('format');
    const str = verb.get('string');
    if (typeof format === 'string' && typeof str === 'string') {
      if (c.resp === 2) c.replyBulk(str);
      else c.replyRaw(`=${str.length + 4}\r\n${(format + '\0\0\0').slice(0, 3)}:${str}\r\n`);
      return;
    }
  }
  const map = v.get('map');
  if (map instanceof LuaTable) {
    // Stack: the map, the key, the value and a copy of the key for its reply.
    const items: ReplyStep[] = [];
    let k: LuaValue = undefined;
    for (;;) {
      const e = map.next(k);
      if (!e || e[0] === undefined) break;
      k = e[0];
      items.push({ v: e[0], stackSlots: stackSlots + 4 }, { v: e[1], stackSlots: stackSlots + 3 });
    }
    queue(c, work, '%', items, items.length / 2);
    return;
  }
  const set = v.get('set');
  if (set instanceof LuaTable) {
    // Stack: the set, the key and its copy for the reply.
    const items: ReplyStep[] = [];
    let k: LuaValue = undefined;
    for (;;) {
      const e = set.next(k);
      if (!e || e[0] === undefined) break;
      k = e[0];
      items.push({ v: e[0], stackSlots: stackSlots + 3 });
    }
    queue(c, work, '~', items, items.length);
    return;
  }
  // Stack: the element.
  const items: ReplyStep[] = [];
  for (let j = 1; ; j++) {
    const e = v.get(j);
    if (e === undefined) break;
    items.push({ v: e, stackSlots: stackSlots + 1 });
  }
  queue(c, work, '*', items, items.length);
}

/** A deferred length now, its elements next (in order), then the length filled in. */
function queue(c: Client, work: ReplyStep[], kind: '%' | '~' | '*', items: ReplyStep[], n: number): void {
  work.push({ pos: c.replyDeferredLen(), kind, n });
  for (let j = items.length - 1; j >= 0; j--) work.push(items[j]);
}

/** C's (long long) cast of a double on x86-64: out of range and NaN give LLONG_MIN. */
function cLongLong(n: number): number | bigint {
  if (n !== n || n >= 9223372036854775808 || n < -9223372036854775808) return -9223372036854775808n;
  const t = Math.trunc(n);
  return Number.isSafeInteger(t) ? t : BigInt(t);
}

// ---- running -----------------------------------------------------------------------------

/**
 * scriptPrepareForRun() + luaCallFunction() + scriptResetRun(): checks that depend on the
 * script's flags, then the run, then the reply.
 */
export function runEvalScript(c: Client, script: CachedScript, keys: string[], args: string[], ro: boolean, ldb: LdbSession | null = null): void {
  let L = vmOf(c.server);
  let state: ScriptingState | undefined;
  if (ldb?.forked) {
    // The forked child has its own copy of the Lua state, its script client and its run: the
    // parent's scripts meanwhile neither see nor disturb them.
    state = newScriptingState();
    state.randState = stateOf(c.server).randState;
    L = state.L = createVm(c.server, state);
  }
  // A debugging session runs the script compiled for the debugger (line hook, locals).
  const fn = ldb ? L.loadDebug(script.body.slice(script.shebangLen), '@user_script') : script.compiled as LuaFunction;
  runScript(c, L, fn, { funcname: script.sha, flags: script.flags, ro, evalMode: true, keys, args, ldb, state });
}

export interface ScriptRunOptions {
  funcname: string;
  flags: number;
  ro: boolean;
  evalMode: boolean;
  keys: string[];
  args: string[];
  ldb?: LdbSession | null;
  /** The scripting state to run in (a forked debugging session's own). */
  state?: ScriptingState;
}

/** Runs EVAL's script or a function (FCALL) on `L`. */
export function runScript(c: Client, L: LuaState, fn: LuaFunction, o: ScriptRunOptions): void {
  const server = c.server;
  const st = o.state ?? stateOf(server);
  const { flags, ro, keys, args } = o;
  const compat = (flags & SCRIPT_FLAG.evalCompatMode) !== 0;
  const obey = mustObey(c);
  const runningStale = !!server.masterHost && server.replState !== 'connected' && !server.config.get<boolean>('replica-serve-stale-data');
  const oomAtStart = !!server.hot.maxmemory && server.preCommandOomState;
  if (!compat) {
    if ((flags & SCRIPT_FLAG.noCluster) && server.config.get<boolean>('cluster-enabled')) {
      c.replyError("Can not run script on cluster, 'no-cluster' flag is set.");
      return;
    }
    if (runningStale && !(flags & SCRIPT_FLAG.allowStale)) {
      c.replyError("-MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and 'allow-stale' flag is not set on the script.");
      return;
    }
    if (!(flags & SCRIPT_FLAG.noWrites)) {
      if (server.masterHost && server.config.get<boolean>('replica-read-only') && !obey) {
        c.replyError('-READONLY Can not run script with write flag on readonly replica');
        return;
      }
      const diskError = server.guards.diskError?.();
      if (diskError && !obey) {
        c.replyError(diskError.startsWith('-MISCONF Redis is configured to save RDB snapshots')
          ? '-MISCONF Redis is configured to save RDB snapshots, but it\'s currently unable to persist to disk. Writable scripts are blocked. Use \'no-writes\' flag for read only scripts.'
          : diskError);
        return;
      }
      if (ro) {
        c.replyError('Can not execute a script with write flag using *_ro command.');
        return;
      }
      if (!server.masterHost && server.guards.goodReplicas && !server.guards.goodReplicas()) {
        c.replyError('-NOREPLICAS Not enough good replicas to write.');
        return;
      }
    }
    if (oomAtStart && !(flags & (SCRIPT_FLAG.allowOom | SCRIPT_FLAG.noWrites))) {
      c.replyError("-OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
      return;
    }
  } else if (runningStale) {
    c.replyError("-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
    return;
  }

  if (!st.client) {
    // The script client (createClient(NULL) | CLIENT_SCRIPT): "?:0" as its address in SLOWLOG.
    st.client = new Client(server, -1, null, '?:0', '');
    st.client.authenticated = true;
    st.client.denyBlocking = true;
    st.client.isScript = true;
  }
  const sc = st.client;
  sc.scriptCaller = c;
  sc.db = c.db;
  sc.resp = 2;
  sc.out.len = 0;
  const run: RunCtx = {
    caller: c, client: sc, funcname: o.funcname, evalMode: o.evalMode, chunk: o.evalMode ? 'user_script' : 'user_function',
    readOnly: ro || (!compat && (flags & SCRIPT_FLAG.noWrites) !== 0),
    allowOom: !compat && (flags & SCRIPT_FLAG.allowOom) !== 0,
    writeDirty: false, killed: false, timedOut: false, startMs: server.os.now(), repl: REPL_ALL, oomAtStart,
    cpuMs: 0, sliceInstructions: 0, sliceStartMs: 0, line: undefined, propStart: 0, heldOps: [],
    slot: c.cmd && server.guards.clusterCommandSlot ? server.guards.clusterCommandSlot(c.cmd, c.argv) : -1,
    allowCrossSlot: compat || (flags & SCRIPT_FLAG.allowCrossSlot) !== 0,
    holdable: (!mustObey(c) || c.aofLoading) && server.callDepth <= 1,
    ldb: o.ldb ?? null,
  };
  st.run = run;
  const callArgs: LuaValue[] = [];
  if (o.evalMode) {
    const g = L.globals;
    g.readonly = false;
    g.set('KEYS', new LuaTable(keys.slice()));
    g.set('ARGV', new LuaTable(args.slice()));
    g.readonly = true;
  } else {
    // A function gets the keys and arguments as its two parameters.
    callArgs.push(new LuaTable(keys.slice()), new LuaTable(args.slice()));
  }
  run.propStart = server.pendingPropagation.length;
  if (st.randState !== undefined) setRandomState(L, st.randState);
  const ldb = run.ldb;
  if (ldb) {
    // luaLdbLineHook for lines and for the count (its timeout check).
    ldb.L = L;
    ldb.started = true;
    ldb.canStop = server.callDepth <= 1;
    ldb.startMs = server.os.now();
    L.lineHook = (LL, line) => ldb.hook(LL, line, false);
    L.setHook((LL) => ldb.hook(LL, LL.frames[LL.depth].line, true), HOOK_EVERY);
  } else L.setHook((LL) => scriptInterrupt(server, LL, run), HOOK_EVERY);
  const runner = L.startResumable(fn, callArgs);
  stepScript(server, st, L, run, runner, true);
}

/**
 * Append a script's held writes: one by one, since a slow script may hold a million of them
 * (more than a spread call may pass as arguments).
 */
function appendOps<T>(to: T[], ops: T[]): void {
  for (const op of ops) to.push(op);
}

/**
 * Runs the script until it ends or suspends. Past the time limit the count hook suspends it
 * every HOOK_EVERY instructions: the server is then BUSY (its caller held), other events run,
 * and a timer resumes it — or ends it, once SCRIPT KILL flagged it.
 */
function stepScript(server: RedisServer, st: ScriptingState, L: LuaState, run: RunCtx, runner: ResumableRunLike, first: boolean): void {
  const c = run.caller;
  let result: { done: true; values: LuaValue[] } | { done: false } | { error: LuaError } | { killed: true };
  if (run.killed) result = { killed: true };
  else {
    if (!first) {
      // A resumed slice runs as a nested call, so its writes join the script's propagation.
      server.enterCall();
      appendOps(server.pendingPropagation, run.heldOps);
      run.heldOps = [];
    }
    run.sliceInstructions = 0;
    run.sliceStartMs = server.os.now();
    run.ldb?.enterChild();
    try {
      result = runner.resume();
    } catch (e) {
      if (!(e instanceof LuaError)) { run.ldb?.exitChild(); finishRun(server, st, L, run, first); throw e; }
      result = { error: e };
    } finally {
      run.ldb?.exitChild();
      if (!first) server.exitCall();
    }
  }
  if ('done' in result && !result.done && run.ldb) {
    // Stopped by the debugger: the session serves its REPL, then resumes the script.
    run.heldOps = server.pendingPropagation.splice(run.propStart);
    run.propStart = 0;
    if (first) c.preventPropagation = true;
    if (!run.ldb.forked && !c.blocked) {
      c.blocked = {
        kind: 'sleep', dbId: c.db.id, keys: [], timeoutMs: 0, timer: null,
        onTimeout: () => undefined, argv: c.argv, cmd: c.cmd!, blockedAtUs: server.os.nowUs(),
      };
    }
    run.ldb.stopped(() => { if (!server.exiting) stepScript(server, st, L, run, runner, false); });
    return;
  }
  if ('done' in result && !result.done) {
    // Suspended past the time limit: hold the server until the next slice.
    if (!st.busy) enterBusy(server, st, run);
    run.heldOps = server.pendingPropagation.splice(run.propStart);
    run.propStart = 0;
    if (first) c.preventPropagation = true;
    server.os.setTimer(0, () => server.event(() => { if (!server.exiting) stepScript(server, st, L, run, runner, false); }));
    return;
  }
  if (st.busy) {
    // Give the caller its reply now, as its own command's end would have.
    c.blocked = null;
    st.busy = null;
    server.endYieldingLongCommand();
  }
  const sc = run.client;
  const ldb = run.ldb;
  if (ldb && c.blocked?.kind === 'sleep' && !st.busy) c.blocked = null;
  const live = ldb !== null || server.clients.has(c.id) || !c.socket;
  if (live) {
    const prev = server.currentClient;
    server.currentClient = c;
    if ('killed' in result) {
      server.log.warning('Lua script killed by user with SCRIPT KILL.');
      c.replyError(`Script killed by user with SCRIPT KILL...${run.line !== undefined ? ` script: ${run.funcname}, on @${run.chunk}:${run.line}.` : ''}`);
    } else if ('error' in result) replyScriptError(c, run, result.error);
    else luaToReply(c, sc.resp, result.values[0]);
    server.currentClient = prev;
  }
  finishRun(server, st, L, run, first);
  if (ldb) {
    if (ldb.forked) {
      // The child writes the reply itself and exits; its writes are dropped with it.
      run.heldOps = [];
      ldb.end(c.out.take());
      return;
    }
    ldb.end(null);
  }
  if (!first) {
    if (live) server.afterUnblock(c);
    // What a script from the AOF writes is not propagated (the loader drops its other writes).
    if (c.aofLoading) run.heldOps = [];
    appendOps(server.pendingPropagation, run.heldOps);
    run.heldOps = [];
    if (!server.inNestedCall && server.pendingPropagation.length > 0) server.propagatePendingCommands();
  }
}

function finishRun(server: RedisServer, st: ScriptingState, L: LuaState, run: RunCtx, first: boolean): void {
  L.setHook(undefined, 0);
  L.lineHook = undefined;
  L.resumeError = undefined;
  st.randState = getRandomState(L);
  st.run = null;
  run.client.scriptCaller = null;
  // The commands the script ran are propagated; the EVAL itself is not.
  if (first) run.caller.preventPropagation = true;
}

/** The error reply of a failed script: "<err> script: <sha>, on @user_script:<line>." */
function replyScriptError(c: Client, run: RunCtx, e: LuaError): void {
  const t = errorTable(e.value) as LuaTable;
  const msg = t.get('err');
  let text = `-${typeof msg === 'string' ? msg : typeof msg === 'number' ? numberToString(msg) : ''}`;
  const line = errorLine(e);
  if (line !== undefined) text += ` script: ${run.funcname}, on @${run.chunk}:${line}.`;
  if (t.get('ignore_error_stats_update') === true) replyErrorNoStats(c, text);
  else c.replyError(text);
}

/** scriptInterrupt() from the count hook: charges the CPU time, then the time limit. */
function scriptInterrupt(server: RedisServer, L: LuaState, run: RunCtx): void {
  const costMs = HOOK_EVERY * LUA_INSTR_CPU_MS;
  run.cpuMs += costMs;
  server.os.cpu?.(costMs);
  const holdable = run.holdable;
  run.sliceInstructions += HOOK_EVERY;
  if (run.timedOut) {
    run.line = lineOf(L.where(0)) ?? run.line;
    if (holdable && (run.sliceInstructions >= REDIS_HOOK_EVERY || server.os.now() - run.sliceStartMs >= SCRIPT_SLICE_MS)) L.requestSuspend();
    return;
  }
  const thresholdMs = server.config.get<number>('busy-reply-threshold');
  if (thresholdMs <= 0) return;
  const elapsedMs = Math.max(run.cpuMs, server.os.now() - run.startMs);
  if (elapsedMs < thresholdMs) return;
  server.log.warning(`Slow script detected: still in execution after ${Math.floor(elapsedMs)} milliseconds. You can try killing the script using the ${run.evalMode ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${run.funcname}.`);
  run.timedOut = true;
  run.line = lineOf(L.where(0));
  if (holdable) L.requestSuspend();
}

/**
 * A script stopped past its time limit: the server answers BUSY (the dispatcher asks
 * busyScriptError) and holds the caller until SCRIPT KILL or SHUTDOWN NOSAVE.
 */
function enterBusy(server: RedisServer, st: ScriptingState, run: RunCtx): void {
  const c = run.caller;
  st.busy = { run };
  server.busyScriptError = run.evalMode ? SLOW_EVAL_ERROR : SLOW_SCRIPT_ERROR;
  c.blocked = {
    kind: 'sleep', dbId: c.db.id, keys: [], timeoutMs: 0, timer: null,
    onTimeout: () => undefined, argv: c.argv, cmd: c.cmd!, blockedAtUs: server.os.nowUs(),
  };
}

/** scriptKill(): SCRIPT KILL (isEval) and FUNCTION KILL. */
export function scriptKill(c: Client, isEval: boolean): void {
  const run = runningScript(c.server);
  if (!run) { c.replyError('-NOTBUSY No scripts in execution right now.'); return; }
  if (mustObey(run.caller)) {
    c.replyError('-UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.');
    return;
  }
  if (run.writeDirty) {
    c.replyError('-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.');
    return;
  }
  if (isEval && !run.evalMode) { c.replyError(SLOW_SCRIPT_ERROR); return; }
  if (!isEval && run.evalMode) { c.replyError(SLOW_EVAL_ERROR); return; }
  run.killed = true;
  c.replyOk();
}
