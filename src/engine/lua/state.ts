/**
 * LuaState: one Lua 5.1 universe (globals, call stack, count hook) plus the runtime operations
 * compiled code and natives share: indexing, calls, arithmetic, comparison and concatenation
 * with metamethods and Lua 5.1's error texts. See value.ts for the overview of the API.
 */

import {
  argTypeName, LuaError, LuaFunction, LuaTable, LuaThread, LuaUserdata, luaType, numberToString, str2number,
  tostringBasic, type LuaCallContext, type LuaValue,
} from './value';

/** How a call site named the function it calls (for "bad argument #1 to 'insert'"). */
export interface CallSite {
  readonly line: number;
  /** The name, or undefined when the callee came from an expression Lua cannot name. */
  readonly name: string | undefined;
  /** 'global' | 'local' | 'method' | 'field' | 'upvalue' | '' */
  readonly kind: string;
}

/** One activation record. Frames are pooled per depth and reused. */
export class Frame {
  fn: LuaFunction | undefined = undefined;
  site: CallSite | undefined = undefined;
  /** Current line of a Lua function (updated at its call sites); -1 for natives. */
  line = -1;
  /** Tail calls this frame has taken (Lua counts them as levels for error(msg, level)). */
  tailcalls = 0;
  /**
   * Debug-compiled code only (LuaState.loadDebug): the line the line hook last saw in this
   * frame, and the activation record and the locals active at the statement running, so a
   * debugger can read them (lua_getlocal).
   */
  hookLine = -1;
  /** Debug code: the frame made a tail call, so a debugger no longer sees it (Lua reuses it). */
  tailHidden = false;
  dbgAct: unknown = undefined;
  dbgVars: readonly DebugVar[] | undefined = undefined;
}

/** A local variable as a debugger sees it (lua_getlocal): its name and how to read it. */
export interface DebugVar { readonly name: string; readonly slot: number; readonly captured: boolean }

/**
 * The line hook (lua_sethook LUA_MASKLINE) for debug-compiled code: called when a statement
 * on a new line starts, or a loop jumps back. It may call requestSuspend() to stop there.
 */
export type LineHookFn = (L: LuaState, line: number) => void;

/** A Lua function compiled from source: knows its chunk for "chunk:line:" positions. */
export class LuaClosure extends LuaFunction {
  /** The function's environment (getfenv/setfenv); globals are looked up here. */
  env: LuaTable = undefined as unknown as LuaTable;
  /** Compiler-private: the captured upvalue boxes and the shared function prototype. */
  up: unknown = undefined;
  proto: unknown = undefined;
  constructor(name: string, fn: LuaFunction['fn'], readonly chunk: string, readonly lineDefined: number) {
    super(name, fn, false);
  }
}

/** What a Lua function body returns to request a tail call (see callAt). */
export const TAILCALL: LuaValue[] = [];
/** A tail-called function has no name its caller gave it (Lua reports '?'). */
const TAIL_SITE: CallSite = { line: -1, name: undefined, kind: '' };

/** Lua 5.1's LUAI_MAXCALLS: deeper Lua recursion raises "stack overflow". */
const MAX_CALL_DEPTH = 16000;
/** LUAI_MAXCCALLS: nested C calls (natives calling back, metamethods). */
const MAX_C_CALLS = 200;
/** MAXTAGLOOP: __index/__newindex chains longer than this raise "loop in gettable". */
const MAX_TAG_LOOP = 100;

export type HookFn = (L: LuaState) => void;

export interface ResumableRunLike {
  resume(): { done: true; values: LuaValue[] } | { done: false };
}
let resumableStarter: ((L: LuaState, fn: LuaValue, args: LuaValue[]) => ResumableRunLike) | undefined;
export function registerResumable(f: (L: LuaState, fn: LuaValue, args: LuaValue[]) => ResumableRunLike): void {
  resumableStarter = f;
}

export type Loader = (L: LuaState, source: string, chunkname: string, debug?: boolean) => LuaFunction;
let loader: Loader | undefined;
/** The compiler registers itself here (keeps state.ts free of a cycle with compile.ts). */
export function registerLoader(l: Loader): void {
  loader = l;
}

export class LuaState implements LuaCallContext {
  readonly globals = new LuaTable();
  /** Lua's registry, for libraries that need hidden per-state data. */
  readonly registry = new LuaTable();
  stringMetatable: LuaTable | undefined = undefined;
  /** Frames [0..depth]; frames[0] is the embedder (no function). */
  readonly frames: Frame[] = [new Frame()];
  depth = 0;
  /** Compiled code decrements this once per statement, loop iteration and call. */
  budget = Infinity;
  private hook: HookFn | undefined = undefined;
  private hookEvery = 0;
  /** The running coroutine, or undefined on the main thread. */
  currentThread: LuaThread | undefined = undefined;
  /** Counts instructions (approximately: statements, iterations, calls) run since creation. */
  instructionsBase = 0;

  // -------------------------------------------------------------------------------------------
  // Embedding

  /**
   * Compiles a chunk. `chunkname` follows Lua: "@user_script" reads as "user_script" in
   * messages, "=name" as "name", anything else as [string "..."]. Throws LuaError with Lua's
   * syntax error text (e.g. "user_script:1: '=' expected near 'x'").
   */
  load(source: string, chunkname: string): LuaFunction {
    if (!loader) throw new Error('lua: compiler not registered (import ./compile)');
    return loader(this, source, chunkname);
  }

  /**
   * Compiles a chunk for a debugger: its code, run resumably (startResumable), reports every
   * new line to the line hook and can suspend at each, and keeps its locals readable
   * (Frame.dbgVars). Slower than load(); only for debugging sessions.
   */
  loadDebug(source: string, chunkname: string): LuaFunction {
    if (!loader) throw new Error('lua: compiler not registered (import ./compile)');
    return loader(this, source, chunkname, true);
  }

  /** The line hook debug-compiled code calls (see LineHookFn). */
  lineHook: LineHookFn | undefined = undefined;
  /** The next statement reports its line to the line hook even when the line did not change. */
  lineEventPending = false;
  /**
   * An error the embedder wants raised where a suspended run stopped (a debugger's abort):
   * debug-compiled code throws it when it resumes.
   */
  resumeError: unknown = undefined;

  setGlobal(name: string, v: LuaValue): void {
    this.globals.set(name, v);
  }

  getGlobal(name: string): LuaValue {
    return this.globals.get(name);
  }

  /**
   * lua_sethook(LUA_MASK_COUNT): `hook` runs about every `everyInstructions` instructions.
   * It may charge time, or throw (a LuaError, or anything) to abort the running code: the
   * throw unwinds through the script (pcall does NOT catch non-LuaError throws, so an abort
   * cannot be swallowed by the script).
   */
  setHook(hook: HookFn | undefined, everyInstructions = 0): void {
    this.instructionsBase = this.instructionsRun();
    this.hook = hook && everyInstructions > 0 ? hook : undefined;
    this.hookEvery = this.hook ? everyInstructions : 0;
    this.budget = this.budgetStart = this.hook ? everyInstructions : Infinity;
    this.pendingInstructions = 0;
  }

  /** Approximate instructions run since the state was made (counted while a hook is set). */
  instructionsRun(): number {
    return this.budgetStart === Infinity ? this.instructionsBase : this.instructionsBase + (this.budgetStart - this.budget);
  }

  /** Called by compiled code when budget runs out. */
  /** `line`: the line of the Lua code running (so the hook's where(0) can name it). */
  onBudget(line = -1): boolean {
    if (line >= 0) this.frames[this.depth].line = line;
    const used = this.budgetStart - this.budget;
    this.instructionsBase += used;
    if (this.suspendRequested) {
      // Waiting for a point that can suspend: every instruction asks again (budget 0), and
      // the hook runs again only after a full period without reaching one.
      this.pendingInstructions += used;
      if (this.pendingInstructions < this.hookEvery) {
        this.budget = this.budgetStart = 0;
        return true;
      }
      this.pendingInstructions = 0;
    }
    this.budget = this.budgetStart = this.hookEvery || Infinity;
    if (this.hook) this.hook(this);
    if (this.suspendRequested) {
      this.pendingInstructions = 0;
      this.budget = this.budgetStart = 0;
      return true;
    }
    return false;
  }

  /** What budget was last set to (instructionsRun counts from it). */
  private budgetStart = Infinity;
  private pendingInstructions = 0;

  /** A fresh hook period (resumable runs start each slice with one). */
  resetBudget(): void {
    if (this.budgetStart !== Infinity) this.instructionsBase += this.budgetStart - this.budget;
    this.suspendRequested = false;
    this.pendingInstructions = 0;
    this.budget = this.budgetStart = this.hook ? this.hookEvery : Infinity;
  }

  /** Natives resumable code treats specially (set by the libraries that define them). */
  readonly special: { yieldFn: LuaFunction | undefined; pcallFn: LuaFunction | undefined; xpcallFn: LuaFunction | undefined } = {
    yieldFn: undefined, pcallFn: undefined, xpcallFn: undefined,
  };

  /**
   * An embedder's rewrite of the error value pcall (not xpcall) returns: Redis's pcall wrapper
   * turns an {err=...} table into its message. Applied by the base pcall itself, so pcall stays
   * the special function resumable code runs suspendably.
   */
  pcallErrorFilter: ((v: LuaValue) => LuaValue) | undefined = undefined;

  /** Set by requestSuspend(); resumable runs suspend at their next hook point. */
  suspendRequested = false;
  /** Frame index below the running thread's (coroutine's or resumable run's) first frame. */
  threadBase = 0;
  /** >0 while resumable code runs under a pcall: coroutine.yield is refused there, as in 5.1. */
  nonYieldable = 0;

  /**
   * From the hook: suspend the running resumable run (startResumable) at this hook point; its
   * resume() then returns {done: false}. Code called from natives (table.sort's comparator,
   * metamethods) and inside coroutines cannot suspend: the request then waits for the next
   * point that can. Plain call()/callProtected() runs ignore it.
   */
  requestSuspend(): void {
    this.suspendRequested = true;
  }

  /**
   * Starts `fn` as a resumable run (slower than call(): about 2-8x on call-heavy code), so a
   * count hook can suspend it and the embedder can serve others before resuming. See
   * ResumableRun in compile.ts.
   */
  startResumable(fn: LuaValue, args: LuaValue[]): ResumableRunLike {
    if (!resumableStarter) throw new Error('lua: compiler not registered');
    return resumableStarter(this, fn, args);
  }

  /** Runs a function from the embedder; restores the call stack if it throws. */
  callProtected(fn: LuaValue, args: LuaValue[]): LuaValue[] {
    const depth = this.depth;
    const ccalls = this.ccalls;
    try {
      return this.call(fn, args);
    } catch (e) {
      const err = this.normalizeError(e);
      this.depth = depth;
      this.ccalls = ccalls;
      throw err;
    }
  }

  /** Converts JS stack exhaustion into Lua's "stack overflow"; other values pass unchanged. */
  normalizeError(e: unknown): unknown {
    if (e instanceof RangeError) {
      // Lua raises it at the call the innermost running Lua function was making.
      for (let i = this.depth; i > 0; i--) {
        const fr = this.frames[i];
        if (fr.fn instanceof LuaClosure && fr.line >= 0) return new LuaError(`${fr.fn.chunk}:${fr.line}: stack overflow`);
      }
      return new LuaError('stack overflow');
    }
    return e;
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  /** Nested calls made through call() (natives, metamethods): Lua's nCcalls. */
  ccalls = 0;

  call(fn: LuaValue, args: LuaValue[]): LuaValue[] {
    if (++this.ccalls >= MAX_C_CALLS) {
      this.ccalls--;
      throw new LuaError(this.where(0) + 'C stack overflow');
    }
    const r = this.callAt(fn, args, undefined, '');
    this.ccalls--;
    return r;
  }

  /**
   * Calls `fn` from a call site. `desc` names the callee for "attempt to call global 'f'"
   * (" global 'f'", or "" when unnamed).
   */
  callAt(fn: LuaValue, args: LuaValue[], site: CallSite | undefined, desc: string): LuaValue[] {
    if (!(fn instanceof LuaFunction)) {
      const h = this.metamethod(fn, '__call');
      if (!(h instanceof LuaFunction)) {
        throw this.rtError(site, `attempt to call${desc ? desc : ' a'} ${desc ? `(a ${luaType(fn)} value)` : `${luaType(fn)} value`}`);
      }
      args.unshift(fn);
      fn = h;
    }
    const caller = this.frames[this.depth];
    if (site !== undefined) caller.line = site.line;
    const d = ++this.depth;
    if (d >= MAX_CALL_DEPTH) {
      this.depth--;
      throw this.rtError(site, 'stack overflow');
    }
    let fr = this.frames[d];
    if (fr === undefined) fr = this.frames[d] = new Frame();
    fr.fn = fn;
    fr.site = site;
    fr.line = -1;
    fr.tailcalls = 0;
    if (--this.budget < 0) this.onBudget();
    let r = fn.isNative ? this.callNative(fn, args, caller) : fn.fn(this, args);
    // Proper tail calls: `return f(...)` to a Lua function hands it back here to run in
    // this frame (so tail recursion does not grow the stack, as in Lua).
    while (r === TAILCALL) {
      fr = this.frames[d];
      fr.fn = this.tailFn;
      fr.site = TAIL_SITE;
      fr.line = -1;
      fr.tailcalls++;
      if (--this.budget < 0) this.onBudget();
      r = this.tailFn!.fn(this, this.tailArgs!);
    }
    this.depth = d - 1;
    return r;
  }

  /** A native called from Lua: an error leaving it remembers the calling line (LuaError.luaLine). */
  private callNative(fn: LuaFunction, args: LuaValue[], caller: Frame): LuaValue[] {
    try {
      return fn.fn(this, args);
    } catch (e) {
      if (e instanceof LuaError && e.luaLine === undefined && caller.fn instanceof LuaClosure && caller.line >= 0) e.luaLine = caller.line;
      throw e;
    }
  }

  /** Set with a TAILCALL return: the function and arguments to run next in the same frame. */
  tailFn: LuaFunction | undefined = undefined;
  tailArgs: LuaValue[] | undefined = undefined;

  /** An error raised at a call site of the running Lua function (or "" if none). */
  private rtError(site: CallSite | undefined, msg: string): LuaError {
    const fr = this.frames[this.depth];
    if (site !== undefined && fr.fn instanceof LuaClosure) return new LuaError(`${fr.fn.chunk}:${site.line}: ${msg}`);
    return new LuaError(this.where(0) + msg);
  }

  /** A runtime error at a known line of the running Lua function. */
  errorAt(chunk: string, line: number, msg: string): LuaError {
    // chunk '' = raised from inside a native (luaG_runerror adds no position there).
    return new LuaError(chunk === '' ? msg : `${chunk}:${line}: ${msg}`);
  }

  // -------------------------------------------------------------------------------------------
  // Errors for natives (lauxlib)

  where(level: number): string {
    // lua_getstack: each level is a frame; a Lua frame's tail calls count as levels too (a
    // level that lands on one of those has no position).
    let lvl = level;
    let i = this.depth;
    while (lvl > 0 && i > 0) {
      lvl--;
      const f = this.frames[i];
      if (f.fn instanceof LuaClosure) lvl -= f.tailcalls;
      i--;
    }
    if (lvl !== 0 || i <= 0) return '';
    const fr = this.frames[i];
    if (fr.fn instanceof LuaClosure && fr.line >= 0) return `${fr.fn.chunk}:${fr.line}: `;
    return '';
  }

  error(message: string): never {
    throw new LuaError(this.where(1) + message);
  }

  argError(argIndex: number, message: string): never {
    const fr = this.frames[this.depth];
    const site = fr.site;
    if (site !== undefined && site.kind === 'method') {
      argIndex--;
      if (argIndex === 0) this.error(`calling '${site.name}' on bad self (${message})`);
    }
    const name = site !== undefined && site.name !== undefined ? site.name : '?';
    return this.error(`bad argument #${argIndex} to '${name}' (${message})`);
  }

  typeError(args: LuaValue[], argIndex: number, expectedType: string): never {
    return this.argError(argIndex, `${expectedType} expected, got ${argTypeName(args, argIndex - 1)}`);
  }

  // -------------------------------------------------------------------------------------------
  // Metatables and indexing

  getMetatable(v: LuaValue): LuaTable | undefined {
    if (v instanceof LuaTable) return v.metatable;
    if (typeof v === 'string') return this.stringMetatable;
    if (v instanceof LuaUserdata) return v.metatable;
    return undefined;
  }

  metamethod(v: LuaValue, event: string): LuaValue {
    const mt = this.getMetatable(v);
    return mt === undefined ? undefined : mt.getStr(event);
  }

  /** t[k] from a native (lua_gettable): errors carry no position, as luaG_runerror adds none there. */
  index(obj: LuaValue, key: LuaValue): LuaValue {
    return this.indexDesc(obj, key, undefined, 0, '');
  }

  /** t[k] with __index; `desc` names `obj` for "attempt to index local 't' (a nil value)". */
  indexDesc(obj: LuaValue, key: LuaValue, chunk: string | undefined, line: number, desc: string): LuaValue {
    if (chunk !== undefined) this.frames[this.depth].line = line;
    for (let loop = 0; loop < MAX_TAG_LOOP; loop++) {
      let h: LuaValue;
      if (obj instanceof LuaTable) {
        const v = obj.get(key);
        if (v !== undefined) return v;
        const mt = obj.metatable;
        if (mt === undefined) return undefined;
        h = mt.getStr('__index');
        if (h === undefined) return undefined;
      } else {
        h = this.metamethod(obj, '__index');
        if (h === undefined) {
          const msg = `attempt to index${loop === 0 && desc ? desc : ' a'} ${loop === 0 && desc ? `(a ${luaType(obj)} value)` : `${luaType(obj)} value`}`;
          throw chunk !== undefined ? this.errorAt(chunk, line, msg) : new LuaError(msg);
        }
      }
      if (h instanceof LuaFunction) return this.call(h, [obj, key])[0];
      obj = h;
    }
    throw chunk !== undefined ? this.errorAt(chunk, line, 'loop in gettable') : new LuaError('loop in gettable');
  }

  setIndex(obj: LuaValue, key: LuaValue, value: LuaValue): void {
    this.setIndexDesc(obj, key, value, undefined, 0, '');
  }

  setIndexDesc(obj: LuaValue, key: LuaValue, value: LuaValue, chunk: string | undefined, line: number, desc: string): void {
    if (chunk !== undefined) this.frames[this.depth].line = line;
    for (let loop = 0; loop < MAX_TAG_LOOP; loop++) {
      let h: LuaValue;
      if (obj instanceof LuaTable) {
        // Redis's readonly tables refuse before any metamethod is looked at (luaV_settable).
        if (obj.readonly) {
          const msg = 'Attempt to modify a readonly table';
          throw chunk !== undefined ? this.errorAt(chunk, line, msg) : new LuaError(msg);
        }
        const mt = obj.metatable;
        if (mt === undefined || (h = mt.getStr('__newindex')) === undefined || obj.get(key) !== undefined) {
          this.rawSet(obj, key, value, chunk, line);
          return;
        }
      } else {
        h = this.metamethod(obj, '__newindex');
        if (h === undefined) {
          const msg = `attempt to index${loop === 0 && desc ? desc : ' a'} ${loop === 0 && desc ? `(a ${luaType(obj)} value)` : `${luaType(obj)} value`}`;
          throw chunk !== undefined ? this.errorAt(chunk, line, msg) : new LuaError(msg);
        }
      }
      if (h instanceof LuaFunction) {
        this.call(h, [obj, key, value]);
        return;
      }
      obj = h;
    }
    throw chunk !== undefined ? this.errorAt(chunk, line, 'loop in settable') : new LuaError('loop in settable');
  }

  /** rawset with Lua's key checks. */
  rawSet(t: LuaTable, key: LuaValue, value: LuaValue, chunk?: string, line = 0): void {
    if (key === undefined || (typeof key === 'number' && key !== key)) {
      const msg = key === undefined ? 'table index is nil' : 'table index is NaN';
      throw chunk !== undefined ? this.errorAt(chunk, line, msg) : new LuaError(msg);
    }
    if (t.readonly) {
      const msg = 'Attempt to modify a readonly table';
      throw chunk !== undefined ? this.errorAt(chunk, line, msg) : new LuaError(msg);
    }
    t.set(key, value);
  }

  // -------------------------------------------------------------------------------------------
  // Operators (slow paths: compiled code handles number/number inline)

  tonumberOrUndefined(v: LuaValue): number | undefined {
    if (typeof v === 'number') return v;
    if (typeof v === 'string') return str2number(v);
    return undefined;
  }

  /**
   * Arithmetic with coercion and metamethods. `op` is the event name ('__add', ...).
   * descA/descB name the operands for "attempt to perform arithmetic on local 'x' (...)".
   */
  arith(op: string, a: LuaValue, b: LuaValue, chunk: string, line: number, descA: string, descB: string): LuaValue {
    if (chunk !== '') this.frames[this.depth].line = line;
    const x = this.tonumberOrUndefined(a);
    const y = this.tonumberOrUndefined(b);
    if (x !== undefined && y !== undefined) return arithNumbers(op, x, y);
    let h = this.metamethod(a, op);
    if (h === undefined) h = this.metamethod(b, op);
    if (h !== undefined) return this.call(h, [a, b])[0];
    const bad = x === undefined ? a : b;
    const desc = x === undefined ? descA : descB;
    throw this.errorAt(chunk, line, typeErrorText('perform arithmetic on', bad, desc));
  }

  unm(a: LuaValue, chunk: string, line: number, desc: string): LuaValue {
    if (chunk !== '') this.frames[this.depth].line = line;
    const x = this.tonumberOrUndefined(a);
    if (x !== undefined) return -x;
    const h = this.metamethod(a, '__unm');
    if (h !== undefined) return this.call(h, [a, a])[0];
    throw this.errorAt(chunk, line, typeErrorText('perform arithmetic on', a, desc));
  }

  len(a: LuaValue, chunk: string, line: number, desc: string): LuaValue {
    if (chunk !== '') this.frames[this.depth].line = line;
    if (typeof a === 'string') return a.length;
    if (a instanceof LuaTable) return a.length();
    const h = this.metamethod(a, '__len');
    if (h !== undefined) return this.call(h, [a, undefined])[0];
    throw this.errorAt(chunk, line, typeErrorText('get length of', a, desc));
  }

  concat(a: LuaValue, b: LuaValue, chunk: string, line: number, descA: string, descB: string): LuaValue {
    if (chunk !== '') this.frames[this.depth].line = line;
    const ta = typeof a;
    const tb = typeof b;
    if ((ta === 'string' || ta === 'number') && (tb === 'string' || tb === 'number')) {
      return (ta === 'number' ? numberToString(a as number) : a as string) + (tb === 'number' ? numberToString(b as number) : b as string);
    }
    let h = this.metamethod(a, '__concat');
    if (h === undefined) h = this.metamethod(b, '__concat');
    if (h !== undefined) return this.call(h, [a, b])[0];
    const aOk = ta === 'string' || ta === 'number';
    throw this.errorAt(chunk, line, typeErrorText('concatenate', aOk ? b : a, aOk ? descB : descA));
  }

  eq(a: LuaValue, b: LuaValue): boolean {
    if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object') return false;
    if (!((a instanceof LuaTable && b instanceof LuaTable) || (a instanceof LuaUserdata && b instanceof LuaUserdata))) return false;
    const h1 = this.metamethod(a, '__eq');
    if (h1 === undefined) return false;
    const h2 = this.metamethod(b, '__eq');
    if (h1 !== h2) return false;
    const r = this.call(h1, [a, b])[0];
    return r !== undefined && r !== false;
  }

  lt(a: LuaValue, b: LuaValue, chunk: string, line: number): boolean {
    if (chunk !== '') this.frames[this.depth].line = line;
    if (typeof a === 'number' && typeof b === 'number') return a < b;
    if (typeof a === 'string' && typeof b === 'string') return a < b;
    return this.orderTM('__lt', a, b, chunk, line);
  }

  le(a: LuaValue, b: LuaValue, chunk: string, line: number): boolean {
    if (chunk !== '') this.frames[this.depth].line = line;
    if (typeof a === 'number' && typeof b === 'number') return a <= b;
    if (typeof a === 'string' && typeof b === 'string') return a <= b;
    if (luaType(a) === luaType(b)) {
      const h = this.compTM(a, b, '__le');
      if (h !== undefined) {
        const r = this.call(h, [a, b])[0];
        return r !== undefined && r !== false;
      }
      const h2 = this.compTM(b, a, '__lt');
      if (h2 !== undefined) {
        const r = this.call(h2, [b, a])[0];
        return !(r !== undefined && r !== false);
      }
    }
    throw this.errorAt(chunk, line, orderErrorText(a, b));
  }

  /** a < b as lua_lessthan from a native (errors carry no position). */
  ltNoPosition(a: LuaValue, b: LuaValue): boolean {
    return this.lt(a, b, '', 0);
  }

  private orderTM(event: string, a: LuaValue, b: LuaValue, chunk: string, line: number): boolean {
    if (luaType(a) === luaType(b)) {
      const h = this.compTM(a, b, event);
      if (h !== undefined) {
        const r = this.call(h, [a, b])[0];
        return r !== undefined && r !== false;
      }
    }
    throw this.errorAt(chunk, line, orderErrorText(a, b));
  }

  private compTM(a: LuaValue, b: LuaValue, event: string): LuaValue {
    const h1 = this.metamethod(a, event);
    if (h1 === undefined) return undefined;
    const h2 = this.metamethod(b, event);
    return h1 === h2 ? h1 : undefined;
  }

  /** The base library's tostring (honours __tostring). */
  tostring(v: LuaValue): string {
    const h = this.metamethod(v, '__tostring');
    if (h !== undefined) {
      const r = this.call(h, [v])[0];
      if (typeof r === 'string') return r;
      if (typeof r === 'number') return numberToString(r);
      return tostringBasic(r);
    }
    return tostringBasic(v);
  }
}

export function arithNumbers(op: string, x: number, y: number): number {
  switch (op) {
    case '__add': return x + y;
    case '__sub': return x - y;
    case '__mul': return x * y;
    case '__div': return x / y;
    case '__mod': return x - Math.floor(x / y) * y;
    case '__pow': return Math.pow(x, y);
  }
  throw new Error(`lua: unknown arithmetic event ${op}`);
}

/** luaG_typeerror's text: "attempt to <op> local 'x' (a nil value)" or "attempt to <op> a nil value". */
export function typeErrorText(op: string, v: LuaValue, desc: string): string {
  return desc ? `attempt to ${op}${desc} (a ${luaType(v)} value)` : `attempt to ${op} a ${luaType(v)} value`;
}

export function orderErrorText(a: LuaValue, b: LuaValue): string {
  const t1 = luaType(a);
  const t2 = luaType(b);
  return t1 === t2 ? `attempt to compare two ${t1} values` : `attempt to compare ${t1} with ${t2}`;
}
