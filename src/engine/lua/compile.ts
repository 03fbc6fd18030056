/**
 * Lua 5.1 compiler: luaparse's AST → a tree of JS closures. A resolver pass first binds every
 * identifier to a local slot, an upvalue or a global, and marks locals captured by inner
 * functions (those live in boxes, fresh per declaration, so closures made in loops capture
 * per-iteration variables as Lua does). Runtime errors carry the chunk and line and name the
 * variable the way Lua 5.1 does ("attempt to index local 't' (a nil value)").
 */

import luaparse, { type Node } from 'luaparse';
import { Frame, LuaClosure, registerLoader, registerResumable, TAILCALL, type CallSite, type LuaState } from './state';
import { checkSyntax } from './syntax';
import { LuaError, LuaFunction, LuaTable, luaType, numberToString, truthy, type LuaValue } from './value';

interface Box { v: LuaValue }

/** What closures of one function share: the node, and its generator body once compiled. */
interface Proto {
  node: Node;
  compiler: Compiler;
  gen: GenBody | undefined;
}
/** The resumable form of a function body (coroutines): yields LuaValue[] out, gets LuaValue[] back. */
type GenBody = (cl: LuaClosure, args: LuaValue[]) => Generator<LuaValue[], LuaValue[], LuaValue[]>;

/** One activation of a Lua function. */
class Act {
  r: LuaValue[];
  constructor(n: number, readonly u: Box[], readonly env: LuaTable, public va: LuaValue[]) {
    this.r = new Array(n);
  }
}

type Expr = (a: Act) => LuaValue;
type Multi = (a: Act) => LuaValue[];
/** undefined = go on; BREAK; or the values of a return. */
type Stmt = (a: Act) => LuaValue[] | undefined;

const BREAK: LuaValue[] = [];
/** The value of a vararg function's `arg` local (boxed when captured). */
function argLocal(v: VarInfo, extra: LuaValue[], usesVararg: boolean): LuaValue {
  let x: LuaValue = undefined;
  if (!usesVararg) {
    const t = LuaTable.exactSize(extra.length, 1);
    for (let i = 0; i < extra.length; i++) t.set(i + 1, extra[i]);
    t.set('n', extra.length);
    x = t;
  }
  return v.captured ? { v: x } as unknown as LuaValue : x;
}

/** LFIELDS_PER_FLUSH: a constructor stores positional items in batches of this many. */
const FIELDS_PER_FLUSH = 50;
const NONE: LuaValue[] = [];

interface VarInfo { name: string; slot: number; captured: boolean }
interface UpDesc { fromParentLocal: boolean; idx: number; key: VarInfo }
type Ref = { k: 'local'; v: VarInfo } | { k: 'up'; idx: number; name: string } | { k: 'global'; name: string };

class FuncInfo {
  blocks: Map<string, VarInfo>[] = [new Map()];
  nslots = 0;
  upvals: UpDesc[] = [];
  vararg = false;
  /** LUA_COMPAT_VARARG: a vararg function's hidden local `arg`, and whether `...` appears. */
  argVar: VarInfo | undefined = undefined;
  usesVararg = false;
  /** The locals active now, in declaration order (lua_getlocal's order), for debug compiles. */
  active: VarInfo[] = [];
  constructor(readonly parent: FuncInfo | undefined) {}

  declare(name: string): VarInfo {
    const v: VarInfo = { name, slot: this.nslots++, captured: false };
    this.blocks[this.blocks.length - 1].set(name, v);
    this.active.push(v);
    return v;
  }

  findLocal(name: string): VarInfo | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const v = this.blocks[i].get(name);
      if (v) return v;
    }
    return undefined;
  }

  findUp(name: string): number {
    const p = this.parent;
    if (!p) return -1;
    const v = p.findLocal(name);
    if (v) {
      v.captured = true;
      return this.addUp({ fromParentLocal: true, idx: v.slot, key: v });
    }
    const pi = p.findUp(name);
    if (pi < 0) return -1;
    return this.addUp({ fromParentLocal: false, idx: pi, key: p.upvals[pi].key });
  }

  private addUp(d: UpDesc): number {
    const i = this.upvals.findIndex((u) => u.key === d.key);
    if (i >= 0) return i;
    this.upvals.push(d);
    return this.upvals.length - 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Resolver: annotates nodes (__ref on identifier uses, __var on declarations, __fi on functions)

function resolveChunk(chunk: Node): FuncInfo {
  const fi = new FuncInfo(undefined);
  fi.vararg = true;
  chunk.__fi = fi;
  resolveBlock(fi, chunk.body, true);
  return fi;
}

function resolveBlock(fi: FuncInfo, body: Node[], sameScope = false, after?: Node): void {
  if (!sameScope) fi.blocks.push(new Map());
  const activeAtStart = fi.active.length;
  for (const s of body) {
    // The locals a debugger sees while this statement runs (debug compiles read it).
    s.__scope = fi.active.slice();
    resolveStmt(fi, s);
  }
  if (after) resolveExpr(fi, after);
  if (!sameScope) { fi.blocks.pop(); fi.active.length = activeAtStart; }
}

function resolveFunction(parent: FuncInfo, fn: Node): void {
  // `function a.b:m(...)` has an implicit first parameter `self`.
  if (fn.identifier && fn.identifier.type === 'MemberExpression' && fn.identifier.indexer === ':' && !fn.__self) {
    fn.__self = true;
    fn.parameters = [{ type: 'Identifier', name: 'self' }, ...fn.parameters];
  }
  const fi = new FuncInfo(parent);
  fn.__fi = fi;
  for (const p of fn.parameters) {
    if (p.type === 'VarargLiteral') fi.vararg = true;
    else p.__var = fi.declare(p.name);
  }
  // Lua 5.1 (LUA_COMPAT_VARARG, on in Redis): `...` also declares a local `arg`, a table of the
  // extra arguments with n = their count, unless the body uses `...` (then arg is nil).
  if (fi.vararg) fi.argVar = fi.declare('arg');
  resolveBlock(fi, fn.body, true);
}

function resolveStmt(fi: FuncInfo, s: Node): void {
  switch (s.type) {
    case 'LocalStatement':
      for (const e of s.init) resolveExpr(fi, e);
      for (const v of s.variables) v.__var = fi.declare(v.name);
      return;
    case 'AssignmentStatement':
      for (const v of s.variables) resolveExpr(fi, v);
      for (const e of s.init) resolveExpr(fi, e);
      return;
    case 'CallStatement':
      resolveExpr(fi, s.expression);
      return;
    case 'IfStatement':
      for (const c of s.clauses) {
        if (c.condition) resolveExpr(fi, c.condition);
        resolveBlock(fi, c.body);
      }
      return;
    case 'WhileStatement':
      resolveExpr(fi, s.condition);
      resolveBlock(fi, s.body);
      return;
    case 'DoStatement':
      resolveBlock(fi, s.body);
      return;
    case 'RepeatStatement':
      resolveBlock(fi, s.body, false, s.condition);
      return;
    case 'ReturnStatement':
      for (const e of s.arguments) resolveExpr(fi, e);
      return;
    case 'BreakStatement':
      return;
    case 'ForNumericStatement':
      resolveExpr(fi, s.start);
      resolveExpr(fi, s.end);
      if (s.step) resolveExpr(fi, s.step);
      fi.blocks.push(new Map());
      {
        const activeAtStart = fi.active.length;
        // Lua 5.1's hidden loop locals, which a debugger lists (lua_getlocal).
        s.__hidden = [fi.declare('(for index)'), fi.declare('(for limit)'), fi.declare('(for step)')];
        s.variable.__var = fi.declare(s.variable.name);
        resolveBlock(fi, s.body);
        fi.active.length = activeAtStart;
      }
      fi.blocks.pop();
      return;
    case 'ForGenericStatement':
      for (const e of s.iterators) resolveExpr(fi, e);
      fi.blocks.push(new Map());
      {
        const activeAtStart = fi.active.length;
        s.__hidden = [fi.declare('(for generator)'), fi.declare('(for state)'), fi.declare('(for control)')];
        for (const v of s.variables) v.__var = fi.declare(v.name);
        resolveBlock(fi, s.body);
        fi.active.length = activeAtStart;
      }
      fi.blocks.pop();
      return;
    case 'FunctionDeclaration':
      if (s.isLocal) {
        s.identifier.__var = fi.declare(s.identifier.name);
      } else if (s.identifier) {
        resolveExpr(fi, s.identifier);
      }
      resolveFunction(fi, s);
      return;
    case 'LabelStatement':
    case 'GotoStatement':
      throw new Error('lua: goto is not Lua 5.1');
  }
  throw new Error(`lua: unknown statement ${s.type}`);
}

function resolveExpr(fi: FuncInfo, e: Node): void {
  switch (e.type) {
    case 'Identifier': {
      const v = fi.findLocal(e.name);
      if (v) e.__ref = { k: 'local', v };
      else {
        const idx = fi.findUp(e.name);
        e.__ref = idx >= 0 ? { k: 'up', idx, name: e.name } : { k: 'global', name: e.name };
      }
      return;
    }
    case 'MemberExpression':
      resolveExpr(fi, e.base);
      return;
    case 'IndexExpression':
      resolveExpr(fi, e.base);
      resolveExpr(fi, e.index);
      return;
    case 'CallExpression':
      resolveExpr(fi, e.base);
      for (const x of e.arguments) resolveExpr(fi, x);
      return;
    case 'TableCallExpression':
      resolveExpr(fi, e.base);
      resolveExpr(fi, e.arguments);
      return;
    case 'StringCallExpression':
      resolveExpr(fi, e.base);
      return;
    case 'FunctionDeclaration':
      resolveFunction(fi, e);
      return;
    case 'BinaryExpression':
    case 'LogicalExpression':
      resolveExpr(fi, e.left);
      resolveExpr(fi, e.right);
      return;
    case 'UnaryExpression':
      resolveExpr(fi, e.argument);
      return;
    case 'TableConstructorExpression':
      for (const f of e.fields) {
        if (f.type === 'TableKey') resolveExpr(fi, f.key);
        resolveExpr(fi, f.value);
      }
      return;
    case 'VarargLiteral':
      if (!fi.vararg) throw new Error('vararg outside vararg function');
      fi.usesVararg = true;
      return;
    default:
      return; // literals
  }
}

// ---------------------------------------------------------------------------------------------
// Code generation

const ARITH: Record<string, string> = { '+': '__add', '-': '__sub', '*': '__mul', '/': '__div', '%': '__mod', '^': '__pow' };

class Compiler {
  /** `debug`: the resumable code reports lines to L.lineHook (LuaState.loadDebug). */
  constructor(readonly L: LuaState, readonly chunk: string, readonly src: string, readonly debug = false) {}
  /** The resumable (generator) compiler for the same chunk, made on first coroutine use. */
  gen: GenCompiler | undefined = undefined;

  /** " local 'x'" etc. for error messages; "" when Lua would not name the value. */
  desc(e: Node): string {
    if (e.type === 'Identifier') {
      const r = e.__ref as Ref;
      return r.k === 'local' ? ` local '${e.name}'` : r.k === 'up' ? ` upvalue '${e.name}'` : ` global '${e.name}'`;
    }
    if (e.type === 'MemberExpression') return ` ${e.indexer === ':' ? 'method' : 'field'} '${e.identifier.name}'`;
    // Lua names an indexed value "field" with the key when the key is a string constant, '?' otherwise.
    if (e.type === 'IndexExpression') return ` field '${e.index.type === 'StringLiteral' ? e.index.value : '?'}'`;
    return '';
  }

  site(e: Node, line: number): CallSite {
    if (e.type === 'Identifier') {
      const r = e.__ref as Ref;
      return { line, name: e.name, kind: r.k === 'local' ? 'local' : r.k === 'up' ? 'upvalue' : 'global' };
    }
    if (e.type === 'MemberExpression') return { line, name: e.identifier.name, kind: e.indexer === ':' ? 'method' : 'field' };
    if (e.type === 'IndexExpression') return { line, name: e.index.type === 'StringLiteral' ? e.index.value : '?', kind: 'field' };
    return { line, name: undefined, kind: '' };
  }

  /** Whether an expression that could yield many values is wrapped in parentheses. */
  parenthesized(e: Node, closeParenPos = -1): boolean {
    const s = this.src;
    let i = e.range![1];
    for (;;) {
      while (i < s.length && /\s/.test(s[i])) i++;
      if (s.startsWith('--', i)) {
        const m = /^--\[(=*)\[/.exec(s.slice(i, i + 64));
        if (m) {
          const end = s.indexOf(`]${m[1]}]`, i);
          i = end < 0 ? s.length : end + m[1].length + 2;
        } else {
          while (i < s.length && s[i] !== '\n') i++;
        }
        continue;
      }
      break;
    }
    return s[i] === ')' && i !== closeParenPos;
  }

  line(e: Node): number {
    return e.loc!.end.line;
  }

  // --- blocks and statements

  block(body: Node[]): Stmt {
    const stmts = body.map((s) => this.stmt(s));
    const lines = body.map((s) => s.loc!.start.line);
    const L = this.L;
    const n = stmts.length;
    if (n === 0) return () => undefined;
    if (n === 1) {
      const s0 = stmts[0];
      const line0 = lines[0];
      return (a) => {
        if (--L.budget < 0) L.onBudget(line0);
        return s0(a);
      };
    }
    return (a) => {
      for (let i = 0; i < n; i++) {
        if (--L.budget < 0) L.onBudget(lines[i]);
        const r = stmts[i](a);
        if (r !== undefined) return r;
      }
      return undefined;
    };
  }

  stmt(s: Node): Stmt {
    /** Loops report their first line to the hook (L.where(0) there). */
    const loopLine = s.loc!.start.line;
    switch (s.type) {
      case 'LocalStatement': return this.localStmt(s);
      case 'AssignmentStatement': return this.assignStmt(s);
      case 'CallStatement': {
        const m = this.multi(s.expression);
        return (a) => {
          m(a);
          return undefined;
        };
      }
      case 'IfStatement': return this.ifStmt(s);
      case 'WhileStatement': {
        const cond = this.expr(s.condition);
        const body = this.block(s.body);
        const L = this.L;
        return (a) => {
          while (truthy(cond(a))) {
            if (--L.budget < 0) L.onBudget(loopLine);
            const r = body(a);
            if (r !== undefined) {
              if (r === BREAK) break;
              return r;
            }
          }
          return undefined;
        };
      }
      case 'DoStatement': {
        const body = this.block(s.body);
        return body;
      }
      case 'RepeatStatement': {
        const cond = this.expr(s.condition);
        const body = this.block(s.body);
        const L = this.L;
        return (a) => {
          for (;;) {
            if (--L.budget < 0) L.onBudget(loopLine);
            const r = body(a);
            if (r !== undefined) {
              if (r === BREAK) break;
              return r;
            }
            if (truthy(cond(a))) break;
          }
          return undefined;
        };
      }
      case 'ReturnStatement': return this.returnStmt(s);
      case 'BreakStatement': return () => BREAK;
      case 'ForNumericStatement': return this.forNum(s);
      case 'ForGenericStatement': return this.forIn(s);
      case 'FunctionDeclaration': return this.funcDecl(s);
    }
    throw new Error(`lua: unknown statement ${s.type}`);
  }

  /** A store into a declared local (boxed when captured). */
  declStore(v: VarInfo): (a: Act, x: LuaValue) => void {
    const slot = v.slot;
    if (v.captured) return (a, x) => { a.r[slot] = { v: x } as unknown as LuaValue; };
    return (a, x) => { a.r[slot] = x; };
  }

  localStmt(s: Node): Stmt {
    const vars: VarInfo[] = s.variables.map((v: Node) => v.__var as VarInfo);
    const stores = vars.map((v) => this.declStore(v));
    const init: Node[] = s.init;
    if (vars.length === 1 && init.length === 1) {
      const e = this.expr(init[0]);
      const st = stores[0];
      const v = vars[0];
      if (!v.captured) {
        const slot = v.slot;
        return (a) => {
          a.r[slot] = e(a);
          return undefined;
        };
      }
      return (a) => {
        st(a, e(a));
        return undefined;
      };
    }
    const values = this.explist(init, vars.length);
    return (a) => {
      const xs = values(a);
      for (let i = 0; i < stores.length; i++) stores[i](a, xs[i]);
      return undefined;
    };
  }

  /** Evaluates an expression list to at least `want` values (-1: all, for multi results). */
  explist(es: Node[], want: number): Multi {
    if (es.length === 0) return () => [];
    const last = es[es.length - 1];
    const isMulti = (last.type === 'CallExpression' || last.type === 'StringCallExpression' || last.type === 'TableCallExpression' || last.type === 'VarargLiteral')
      && !this.parenthesized(last);
    const fixed = (isMulti ? es.slice(0, -1) : es).map((e) => this.expr(e));
    const lastM = isMulti ? this.multi(last) : undefined;
    const nf = fixed.length;
    if (!lastM) {
      return (a) => {
        const out = new Array(Math.max(nf, want > 0 ? want : 0));
        for (let i = 0; i < nf; i++) out[i] = fixed[i](a);
        return out;
      };
    }
    return (a) => {
      const out: LuaValue[] = new Array(nf);
      for (let i = 0; i < nf; i++) out[i] = fixed[i](a);
      const rest = lastM(a);
      for (let i = 0; i < rest.length; i++) out.push(rest[i]);
      return out;
    };
  }

  assignStmt(s: Node): Stmt {
    const targets: Node[] = s.variables;
    const init: Node[] = s.init;
    if (targets.length === 1 && init.length === 1) {
      const e = this.expr(init[0]);
      return this.assignOne(targets[0], e);
    }
    // Lua evaluates the targets' table and key expressions, then the values, then assigns
    // right to left.
    type Prepared = (a: Act) => (x: LuaValue) => void;
    const preps: Prepared[] = targets.map((t) => this.prepareTarget(t));
    const values = this.explist(init, targets.length);
    return (a) => {
      const setters = preps.map((p) => p(a));
      const xs = values(a);
      for (let i = setters.length - 1; i >= 0; i--) setters[i](xs[i]);
      return undefined;
    };
  }

  prepareTarget(t: Node): (a: Act) => (x: LuaValue) => void {
    if (t.type === 'Identifier') {
      const set = this.identSetter(t);
      return (a) => (x) => set(a, x);
    }
    const obj = this.expr(t.base);
    const key = t.type === 'MemberExpression' ? this.constExpr(t.identifier.name) : this.expr(t.index);
    const L = this.L;
    const chunk = this.chunk;
    const line = this.line(t);
    const desc = this.desc(t.base);
    return (a) => {
      const o = obj(a);
      const k = key(a);
      return (x) => L.setIndexDesc(o, k, x, chunk, line, desc);
    };
  }

  constExpr(v: LuaValue): Expr {
    return () => v;
  }

  identSetter(t: Node): (a: Act, x: LuaValue) => void {
    const r = t.__ref as Ref;
    if (r.k === 'local') {
      const slot = r.v.slot;
      if (r.v.captured) return (a, x) => { (a.r[slot] as unknown as Box).v = x; };
      return (a, x) => { a.r[slot] = x; };
    }
    if (r.k === 'up') {
      const idx = r.idx;
      return (a, x) => { a.u[idx].v = x; };
    }
    const name = r.name;
    const L = this.L;
    const chunk = this.chunk;
    const line = this.line(t);
    return (a, x) => {
      const env = a.env;
      if (env.metatable === undefined && !env.readonly) env.set(name, x);
      else L.setIndexDesc(env, name, x, chunk, line, '');
    };
  }

  assignOne(t: Node, e: Expr): Stmt {
    if (t.type === 'Identifier') {
      const r = t.__ref as Ref;
      if (r.k === 'local' && !r.v.captured) {
        const slot = r.v.slot;
        return (a) => {
          a.r[slot] = e(a);
          return undefined;
        };
      }
      const set = this.identSetter(t);
      return (a) => {
        set(a, e(a));
        return undefined;
      };
    }
    const obj = this.expr(t.base);
    const L = this.L;
    const chunk = this.chunk;
    const line = this.line(t);
    const desc = this.desc(t.base);
    if (t.type === 'MemberExpression') {
      const name: string = t.identifier.name;
      return (a) => {
        const o = obj(a);
        const x = e(a);
        if (o instanceof LuaTable && o.metatable === undefined && !o.readonly) o.set(name, x);
        else L.setIndexDesc(o, name, x, chunk, line, desc);
        return undefined;
      };
    }
    const key = this.expr(t.index);
    return (a) => {
      const o = obj(a);
      const k = key(a);
      const x = e(a);
      if (o instanceof LuaTable && o.metatable === undefined && !o.readonly && k !== undefined && k === k) o.set(k, x);
      else L.setIndexDesc(o, k, x, chunk, line, desc);
      return undefined;
    };
  }

  ifStmt(s: Node): Stmt {
    const conds: (Expr | undefined)[] = [];
    const bodies: Stmt[] = [];
    for (const c of s.clauses) {
      conds.push(c.condition ? this.expr(c.condition) : undefined);
      bodies.push(this.block(c.body));
    }
    if (conds.length === 1) {
      const c0 = conds[0]!;
      const b0 = bodies[0];
      return (a) => (truthy(c0(a)) ? b0(a) : undefined);
    }
    if (conds.length === 2 && conds[1] === undefined) {
      const c0 = conds[0]!;
      const b0 = bodies[0];
      const b1 = bodies[1];
      return (a) => (truthy(c0(a)) ? b0(a) : b1(a));
    }
    const n = conds.length;
    return (a) => {
      for (let i = 0; i < n; i++) {
        const c = conds[i];
        if (c === undefined || truthy(c(a))) return bodies[i](a);
      }
      return undefined;
    };
  }

  returnStmt(s: Node): Stmt {
    const args: Node[] = s.arguments;
    if (args.length === 0) return () => NONE;
    if (args.length === 1) {
      const e0 = args[0];
      const isMulti = (e0.type === 'CallExpression' || e0.type === 'StringCallExpression' || e0.type === 'TableCallExpression' || e0.type === 'VarargLiteral') && !this.parenthesized(e0);
      if (isMulti) {
        const m = e0.type === 'VarargLiteral' ? this.multi(e0) : this.call(e0, true);
        return (a) => m(a);
      }
      const e = this.expr(e0);
      return (a) => [e(a)];
    }
    const values = this.explist(args, -1);
    return (a) => values(a);
  }

  forNum(s: Node): Stmt {
    const start = this.expr(s.start);
    const end = this.expr(s.end);
    const step = s.step ? this.expr(s.step) : undefined;
    const v = s.variable.__var as VarInfo;
    const body = this.block(s.body);
    const L = this.L;
    const chunk = this.chunk;
    const line = s.loc!.start.line;
    const slot = v.slot;
    const captured = v.captured;
    const num = (x: LuaValue, what: string): number => {
      const n = L.tonumberOrUndefined(x);
      if (n === undefined) throw L.errorAt(chunk, line, `'for' ${what} must be a number`);
      return n;
    };
    return (a) => {
      const i0 = num(start(a), 'initial value');
      const lim = num(end(a), 'limit');
      const st = step ? num(step(a), 'step') : 1;
      const r = a.r;
      if (st > 0) {
        for (let i = i0; i <= lim; i += st) {
          if (--L.budget < 0) L.onBudget(line);
          r[slot] = captured ? { v: i } as unknown as LuaValue : i;
          const res = body(a);
          if (res !== undefined) {
            if (res === BREAK) break;
            return res;
          }
        }
      } else {
        for (let i = i0; i >= lim; i += st) {
          if (--L.budget < 0) L.onBudget(line);
          r[slot] = captured ? { v: i } as unknown as LuaValue : i;
          const res = body(a);
          if (res !== undefined) {
            if (res === BREAK) break;
            return res;
          }
        }
      }
      return undefined;
    };
  }

  forIn(s: Node): Stmt {
    const init = this.explist(s.iterators, 3);
    const vars: VarInfo[] = s.variables.map((v: Node) => v.__var as VarInfo);
    const stores = vars.map((v) => this.declStore(v));
    const nv = vars.length;
    const body = this.block(s.body);
    const L = this.L;
    const site: CallSite = { line: s.loc!.start.line, name: undefined, kind: '' };
    return (a) => {
      const xs = init(a);
      const f = xs[0];
      const st = xs[1];
      let ctl = xs[2];
      for (;;) {
        if (--L.budget < 0) L.onBudget(site.line);
        const rs = L.callAt(f, [st, ctl], site, '');
        const first = rs[0];
        if (first === undefined) break;
        ctl = first;
        for (let i = 0; i < nv; i++) stores[i](a, rs[i]);
        const res = body(a);
        if (res !== undefined) {
          if (res === BREAK) break;
          return res;
        }
      }
      return undefined;
    };
  }

  funcDecl(s: Node): Stmt {
    const mk = this.functionExpr(s, s.identifier ? this.funcName(s.identifier) : 'anonymous');
    if (s.isLocal) {
      const store = this.declStore(s.identifier.__var as VarInfo);
      const v = s.identifier.__var as VarInfo;
      if (v.captured) {
        // local function f: f is in scope in its own body, so the box exists before the closure.
        const slot = v.slot;
        return (a) => {
          const box: Box = { v: undefined };
          a.r[slot] = box as unknown as LuaValue;
          box.v = mk(a);
          return undefined;
        };
      }
      return (a) => {
        store(a, mk(a));
        return undefined;
      };
    }
    return this.assignOne(s.identifier, mk);
  }

  funcName(id: Node): string {
    if (id.type === 'Identifier') return id.name;
    if (id.type === 'MemberExpression') return id.identifier.name;
    return '?';
  }

  // --- functions

  functionExpr(fn: Node, name: string): Expr {
    const fi = fn.__fi as FuncInfo;
    const params: Node[] = fn.parameters.filter((p: Node) => p.type !== 'VarargLiteral');
    const nparams = params.length;
    const paramVars: VarInfo[] = params.map((p) => p.__var as VarInfo);
    const anyCaptured = paramVars.some((v) => v.captured);
    // The body's statements run in the function's own JS frame (no block closure between), so
    // each Lua call costs one JS frame less: deeper recursion fits in the JS stack.
    const stmts = fn.body.map((st: Node) => this.stmt(st));
    const lines: number[] = fn.body.map((st: Node) => st.loc!.start.line);
    const nstmts = stmts.length;
    const argVar = fi.argVar;
    const usesVararg = fi.usesVararg;
    const nslots = fi.nslots;
    const upDescs = fi.upvals;
    const vararg = fi.vararg;
    const chunk = this.chunk;
    const lineDefined = fn.loc!.start.line;
    const L = this.L;
    const proto: Proto = { node: fn, compiler: this, gen: undefined };
    return (a) => {
      const up: Box[] = new Array(upDescs.length);
      for (let i = 0; i < upDescs.length; i++) {
        const d = upDescs[i];
        up[i] = d.fromParentLocal ? a.r[d.idx] as unknown as Box : a.u[d.idx];
      }
      const cl: LuaClosure = new LuaClosure(name, (_L, args): LuaValue[] => {
        const act = new Act(nslots, up, cl.env, NONE);
        const r = act.r;
        if (anyCaptured) {
          for (let i = 0; i < nparams; i++) {
            const v = paramVars[i];
            r[v.slot] = v.captured ? { v: args[i] } as unknown as LuaValue : args[i];
          }
        } else {
          for (let i = 0; i < nparams; i++) r[paramVars[i].slot] = args[i];
        }
        if (vararg) {
          act.va = args.length > nparams ? args.slice(nparams) : NONE;
          if (argVar !== undefined) r[argVar.slot] = argLocal(argVar, act.va, usesVararg);
        }
        for (let i = 0; i < nstmts; i++) {
          if (--L.budget < 0) L.onBudget(lines[i]);
          const res = stmts[i](act);
          if (res !== undefined) return res;
        }
        return NONE;
      }, chunk, lineDefined);
      cl.env = a.env;
      cl.up = up;
      cl.proto = proto;
      return cl;
    };
  }

  // --- expressions

  /** Whether an expression node can produce several values. */
  isMultiNode(e: Node): boolean {
    return e.type === 'CallExpression' || e.type === 'StringCallExpression' || e.type === 'TableCallExpression' || e.type === 'VarargLiteral';
  }

  /** All values of a call or vararg expression. */
  multi(e: Node): Multi {
    if (e.type === 'VarargLiteral') return (a) => a.va;
    if (this.isMultiNode(e)) return this.call(e);
    const x = this.expr(e);
    return (a) => [x(a)];
  }

  /** A call; `tail` for `return f(...)`: Lua functions then run as a proper tail call. */
  call(e: Node, tail = false): Multi {
    return this.callFor(e, tail, false) as Multi;
  }

  /** A call as a one-value expression (no wrapper frame between: deeper recursion fits). */
  call1(e: Node): Expr {
    return this.callFor(e, false, true) as Expr;
  }

  private callFor(e: Node, tail: boolean, first: boolean): Multi | Expr {
    let argNodes: Node[];
    if (e.type === 'CallExpression') argNodes = e.arguments;
    else if (e.type === 'StringCallExpression') argNodes = [e.argument];
    else argNodes = [e.arguments];
    const L = this.L;
    const base = e.base;
    const line = e.type === 'CallExpression' ? base.loc!.end.line : this.line(e);
    const site = this.site(base, line);
    const desc = this.desc(base);
    // Arguments: fixed ones plus possibly a multi-valued last one.
    const last = argNodes[argNodes.length - 1];
    const lastMulti = last !== undefined && this.isMultiNode(last) && !this.parenthesized(last, e.range![1] - 1);
    const fixed = (lastMulti ? argNodes.slice(0, -1) : argNodes).map((x) => this.expr(x));
    const lastM = lastMulti ? this.multi(last) : undefined;
    const nf = fixed.length;
    const args = (a: Act, self: LuaValue, hasSelf: boolean): LuaValue[] => {
      const out: LuaValue[] = new Array(nf + (hasSelf ? 1 : 0));
      let j = 0;
      if (hasSelf) out[j++] = self;
      for (let i = 0; i < nf; i++) out[j++] = fixed[i](a);
      if (lastM) {
        const rest = lastM(a);
        for (let i = 0; i < rest.length; i++) out.push(rest[i]);
      }
      return out;
    };
    if (base.type === 'MemberExpression' && base.indexer === ':') {
      const obj = this.expr(base.base);
      const name: string = base.identifier.name;
      const chunk = this.chunk;
      const objDesc = this.desc(base.base);
      const oline = this.line(base);
      if (tail) {
        return (a) => {
          const o = obj(a);
          const f = o instanceof LuaTable && o.metatable === undefined ? o.getStr(name) : L.indexDesc(o, name, chunk, oline, objDesc);
          const xs = args(a, o, true);
          if (f instanceof LuaClosure) {
            L.frames[L.depth].line = line;
            L.tailFn = f;
            L.tailArgs = xs;
            return TAILCALL;
          }
          return L.callAt(f, xs, site, desc);
        };
      }
      if (first) {
        return (a: Act): LuaValue => {
          const o = obj(a);
          const f = o instanceof LuaTable && o.metatable === undefined ? o.getStr(name) : L.indexDesc(o, name, chunk, oline, objDesc);
          return L.callAt(f, args(a, o, true), site, desc)[0];
        };
      }
      return (a) => {
        const o = obj(a);
        const f = o instanceof LuaTable && o.metatable === undefined ? o.getStr(name) : L.indexDesc(o, name, chunk, oline, objDesc);
        return L.callAt(f, args(a, o, true), site, desc);
      };
    }
    const fn = this.expr(base);
    if (tail) {
      return (a) => {
        const f = fn(a);
        const xs = args(a, undefined, false);
        if (f instanceof LuaClosure) {
          L.frames[L.depth].line = line;
          L.tailFn = f;
          L.tailArgs = xs;
          return TAILCALL;
        }
        return L.callAt(f, xs, site, desc);
      };
    }
    if (nf === 1 && !lastM) {
      const a0 = fixed[0];
      if (first) {
        return (a: Act): LuaValue => {
          const f = fn(a);
          return L.callAt(f, [a0(a)], site, desc)[0];
        };
      }
      return (a) => {
        const f = fn(a);
        return L.callAt(f, [a0(a)], site, desc);
      };
    }
    if (first) {
      return (a: Act): LuaValue => {
        const f = fn(a);
        return L.callAt(f, args(a, undefined, false), site, desc)[0];
      };
    }
    return (a) => {
      const f = fn(a);
      return L.callAt(f, args(a, undefined, false), site, desc);
    };
  }

  expr(e: Node): Expr {
    switch (e.type) {
      case 'NilLiteral': return () => undefined;
      case 'BooleanLiteral': {
        const v = e.value as boolean;
        return () => v;
      }
      case 'NumericLiteral': {
        const v = e.value as number;
        return () => v;
      }
      case 'StringLiteral': {
        const v = e.value as string;
        return () => v;
      }
      case 'VarargLiteral': return (a) => a.va[0];
      case 'Identifier': return this.identExpr(e);
      case 'MemberExpression': {
        if (e.indexer === ':') throw new Error('lua: method reference outside a call');
        return this.indexExpr(e, e.base, e.identifier.name, undefined);
      }
      case 'IndexExpression': {
        if (e.index.type === 'StringLiteral') return this.indexExpr(e, e.base, e.index.value, undefined);
        if (e.index.type === 'NumericLiteral') return this.indexExpr(e, e.base, e.index.value, undefined);
        return this.indexExpr(e, e.base, undefined, this.expr(e.index));
      }
      case 'CallExpression':
      case 'StringCallExpression':
      case 'TableCallExpression':
        return this.call1(e);
      case 'FunctionDeclaration': return this.functionExpr(e, 'anonymous');
      case 'BinaryExpression': return this.binary(e);
      case 'LogicalExpression': {
        const l = this.expr(e.left);
        const r = this.expr(e.right);
        if (e.operator === 'and') return (a) => { const x = l(a); return x === undefined || x === false ? x : r(a); };
        return (a) => { const x = l(a); return x === undefined || x === false ? r(a) : x; };
      }
      case 'UnaryExpression': return this.unary(e);
      case 'TableConstructorExpression': return this.table(e);
    }
    throw new Error(`lua: unknown expression ${e.type}`);
  }

  identExpr(e: Node): Expr {
    const r = e.__ref as Ref;
    if (r.k === 'local') {
      const slot = r.v.slot;
      if (r.v.captured) return (a) => (a.r[slot] as unknown as Box).v;
      return (a) => a.r[slot];
    }
    if (r.k === 'up') {
      const idx = r.idx;
      return (a) => a.u[idx].v;
    }
    const name = r.name;
    const L = this.L;
    const chunk = this.chunk;
    const line = this.line(e);
    return (a) => {
      const env = a.env;
      const v = env.getStr(name);
      if (v !== undefined || env.metatable === undefined) return v;
      return L.indexDesc(env, name, chunk, line, '');
    };
  }

  indexExpr(e: Node, baseNode: Node, constKey: LuaValue, keyExpr: Expr | undefined): Expr {
    const obj = this.expr(baseNode);
    const L = this.L;
    const chunk = this.chunk;
    const line = this.line(e);
    const desc = this.desc(baseNode);
    if (keyExpr === undefined) {
      const k = constKey;
      if (typeof k === 'string') {
        return (a) => {
          const o = obj(a);
          if (o instanceof LuaTable) {
            const v = o.getStr(k);
            if (v !== undefined || o.metatable === undefined) return v;
          }
          return L.indexDesc(o, k, chunk, line, desc);
        };
      }
      return (a) => {
        const o = obj(a);
        if (o instanceof LuaTable) {
          const v = o.get(k);
          if (v !== undefined || o.metatable === undefined) return v;
        }
        return L.indexDesc(o, k, chunk, line, desc);
      };
    }
    return (a) => {
      const o = obj(a);
      const k = keyExpr(a);
      if (o instanceof LuaTable) {
        const v = o.get(k);
        if (v !== undefined || o.metatable === undefined) return v;
      }
      return L.indexDesc(o, k, chunk, line, desc);
    };
  }

  binary(e: Node): Expr {
    return this.binaryOp(e, this.expr(e.left), this.expr(e.right));
  }

  binaryOp(e: Node, l: Expr, r: Expr): Expr {
    const op: string = e.operator;
    const L = this.L;
    const chunk = this.chunk;
    const line = this.line(e);
    const dl = this.desc(e.left);
    const dr = this.desc(e.right);
    switch (op) {
      case '+': return (a) => { const x = l(a); const y = r(a); return typeof x === 'number' && typeof y === 'number' ? x + y : L.arith('__add', x, y, chunk, line, dl, dr); };
      case '-': return (a) => { const x = l(a); const y = r(a); return typeof x === 'number' && typeof y === 'number' ? x - y : L.arith('__sub', x, y, chunk, line, dl, dr); };
      case '*': return (a) => { const x = l(a); const y = r(a); return typeof x === 'number' && typeof y === 'number' ? x * y : L.arith('__mul', x, y, chunk, line, dl, dr); };
      case '/': return (a) => { const x = l(a); const y = r(a); return typeof x === 'number' && typeof y === 'number' ? x / y : L.arith('__div', x, y, chunk, line, dl, dr); };
      case '%': return (a) => { const x = l(a); const y = r(a); return typeof x === 'number' && typeof y === 'number' ? x - Math.floor(x / y) * y : L.arith('__mod', x, y, chunk, line, dl, dr); };
      case '^': return (a) => { const x = l(a); const y = r(a); return typeof x === 'number' && typeof y === 'number' ? Math.pow(x, y) : L.arith('__pow', x, y, chunk, line, dl, dr); };
      case '..': return (a) => {
        const x = l(a);
        const y = r(a);
        if (typeof x === 'string' && typeof y === 'string') return x + y;
        return L.concat(x, y, chunk, line, dl, dr);
      };
      case '==': return (a) => { const x = l(a); const y = r(a); return x === y || (typeof x === 'object' && typeof y === 'object' && L.eq(x, y)); };
      case '~=': return (a) => { const x = l(a); const y = r(a); return !(x === y || (typeof x === 'object' && typeof y === 'object' && L.eq(x, y))); };
      case '<': return (a) => { const x = l(a); const y = r(a); return typeof x === 'number' && typeof y === 'number' ? x < y : L.lt(x, y, chunk, line); };
      case '<=': return (a) => { const x = l(a); const y = r(a); return typeof x === 'number' && typeof y === 'number' ? x <= y : L.le(x, y, chunk, line); };
      // a > b is b < a in Lua (operands swapped, which shows in error messages).
      case '>': return (a) => { const x = l(a); const y = r(a); return typeof x === 'number' && typeof y === 'number' ? x > y : L.lt(y, x, chunk, line); };
      case '>=': return (a) => { const x = l(a); const y = r(a); return typeof x === 'number' && typeof y === 'number' ? x >= y : L.le(y, x, chunk, line); };
    }
    void ARITH;
    throw new Error(`lua: unknown operator ${op}`);
  }

  unary(e: Node): Expr {
    return this.unaryOp(e, this.expr(e.argument));
  }

  unaryOp(e: Node, x: Expr): Expr {
    const L = this.L;
    const chunk = this.chunk;
    const line = this.line(e);
    const d = this.desc(e.argument);
    switch (e.operator) {
      case 'not': return (a) => { const v = x(a); return v === undefined || v === false; };
      case '-': return (a) => { const v = x(a); return typeof v === 'number' ? -v : L.unm(v, chunk, line, d); };
      case '#': return (a) => {
        const v = x(a);
        if (v instanceof LuaTable) return v.length();
        if (typeof v === 'string') return v.length;
        return L.len(v, chunk, line, d);
      };
    }
    throw new Error(`lua: unknown unary ${e.operator}`);
  }

  table(e: Node): Expr {
    const fields: Node[] = e.fields;
    const L = this.L;
    const chunk = this.chunk;
    const line = this.line(e);
    type Field = { kind: 'pos'; value: Expr } | { kind: 'multi'; value: Multi } | { kind: 'key'; key: Expr; value: Expr };
    const fs: Field[] = fields.map((f, i): Field => {
      if (f.type === 'TableValue') {
        if (i === fields.length - 1 && this.isMultiNode(f.value) && !this.parenthesized(f.value)) return { kind: 'multi', value: this.multi(f.value) };
        return { kind: 'pos', value: this.expr(f.value) };
      }
      if (f.type === 'TableKeyString') {
        const name = f.key.name as string;
        return { kind: 'key', key: () => name, value: this.expr(f.value) };
      }
      return { kind: 'key', key: this.expr(f.key), value: this.expr(f.value) };
    });
    if (fs.length === 0) return () => new LuaTable();
    const npos = fs.filter((f) => f.kind === 'pos').length;
    const nhash = fs.filter((f) => f.kind === 'key').length;
    return (a) => {
      const t = LuaTable.sized(npos, nhash);
      // Positional values wait in registers and are stored 50 at a time (SETLIST), keyed
      // fields are stored as they come: the order decides which wins for the same key.
      let pending: LuaValue[] = [];
      let first = 1;
      for (const f of fs) {
        if (pending.length === FIELDS_PER_FLUSH) {
          t.setList(first, pending);
          first += FIELDS_PER_FLUSH;
          pending = [];
        }
        if (f.kind === 'pos') pending.push(f.value(a));
        else if (f.kind === 'multi') {
          const vs = f.value(a);
          for (let i = 0; i < vs.length; i++) pending.push(vs[i]);
        } else {
          const k = f.key(a);
          const v = f.value(a);
          if (k === undefined || (typeof k === 'number' && k !== k)) L.rawSet(t, k, v, chunk, line);
          t.set(k, v);
        }
      }
      if (pending.length > 0) t.setList(first, pending);
      return t;
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Resumable code for coroutines: the same AST compiled to generator functions, used only for
// functions running inside a coroutine. Statements and expressions without calls reuse the
// direct closures; calls to Lua functions go through yield*, and a call to coroutine.yield
// becomes a JS yield. Natives (pcall, metamethods, ...) still run directly, so yielding inside
// them raises "attempt to yield across metamethod/C-call boundary", as in Lua 5.1.

type GExpr = (a: Act) => Generator<LuaValue[], LuaValue, LuaValue[]>;
type GMulti = (a: Act) => Generator<LuaValue[], LuaValue[], LuaValue[]>;
type GStmt = (a: Act) => Generator<LuaValue[], LuaValue[] | undefined, LuaValue[]>;


/** Calls f from resumable code: Lua closures resumably, coroutine.yield as a JS yield. */
export function* genCall(L: LuaState, f: LuaValue, args: LuaValue[], site: CallSite | undefined, desc: string): Generator<LuaValue[], LuaValue[], LuaValue[]> {
  if (f instanceof LuaClosure && f.proto !== undefined) {
    const caller = L.frames[L.depth];
    if (site !== undefined) caller.line = site.line;
    const d = ++L.depth;
    if (d >= 16000) {
      L.depth--;
      throw new LuaError(L.where(0) + 'stack overflow');
    }
    let fr = L.frames[d];
    if (fr === undefined) fr = L.frames[d] = new Frame();
    fr.fn = f;
    fr.site = site;
    fr.line = -1;
    fr.tailcalls = 0;
    fr.hookLine = -1;
    fr.dbgVars = undefined;
    fr.tailHidden = false;
    if (--L.budget < 0) L.onBudget();
    const proto = f.proto as Proto;
    const c = proto.compiler;
    if (proto.gen === undefined) proto.gen = (c.gen ??= new GenCompiler(c)).body(proto.node);
    const r = yield* proto.gen(f, args);
    L.depth--;
    return r;
  }
  if (f === L.special.yieldFn && f !== undefined) {
    const caller = L.frames[L.depth];
    if (site !== undefined) caller.line = site.line;
    // Not in a coroutine (a resumable main run), or under a pcall: Lua 5.1 refuses.
    if (L.currentThread === undefined || L.nonYieldable > 0) throw new LuaError('attempt to yield across metamethod/C-call boundary');
    return yield args;
  }
  if (f !== undefined && (f === L.special.pcallFn || f === L.special.xpcallFn) && args.length > (f === L.special.pcallFn ? 0 : 1)) {
    return yield* genPcall(L, f === L.special.xpcallFn, args, site);
  }
  return L.callAt(f, args, site, desc);
}

/** pcall/xpcall from resumable code: the protected function stays resumable (hook suspension). */
function* genPcall(L: LuaState, isX: boolean, args: LuaValue[], site: CallSite | undefined): Generator<LuaValue[], LuaValue[], LuaValue[]> {
  const rel = L.depth - L.threadBase;
  const ccalls = L.ccalls;
  if (site !== undefined) L.frames[L.depth].line = site.line;
  // pcall's own frame, as when it runs directly (error levels and '?' names count it).
  const d = ++L.depth;
  let fr = L.frames[d];
  if (fr === undefined) fr = L.frames[d] = new Frame();
  fr.fn = isX ? L.special.xpcallFn : L.special.pcallFn;
  fr.site = site;
  fr.line = -1;
  fr.tailcalls = 0;
  fr.hookLine = -1;
  fr.dbgVars = undefined;
  L.nonYieldable++;
  try {
    const r = yield* genCall(L, args[0], isX ? [] : args.slice(1), undefined, '');
    L.depth--;
    return [true, ...r];
  } catch (e) {
    let v: LuaValue;
    if (e instanceof LuaError) v = e.value;
    else if (e instanceof RangeError) v = (L.normalizeError(e) as LuaError).value;
    else throw e;
    if (isX) {
      try {
        v = L.call(args[1], [v])[0];
      } catch (e2) {
        if (!(e2 instanceof LuaError || e2 instanceof RangeError)) throw e2;
        v = undefined;
      }
    }
    else if (L.pcallErrorFilter) v = L.pcallErrorFilter(v);
    L.depth = L.threadBase + rel;
    L.ccalls = ccalls;
    return [false, v];
  } finally {
    L.nonYieldable--;
  }
}

/** The value resumable code yields to suspend at a hook point (never a coroutine's values). */
const SUSPEND: LuaValue[] = [];

/**
 * Debug code at the start of a line (or a jump back): records where the frame is and what
 * locals it has, then calls the line hook when the line changed or `force` (a jump back, which
 * Lua reports even on the same line). True when the hook asked to stop here.
 */
function dbgLine(L: LuaState, a: Act, vars: readonly VarInfo[] | undefined, line: number, force: boolean): boolean {
  const fr = L.frames[L.depth];
  fr.line = line;
  fr.dbgAct = a;
  if (vars !== undefined) fr.dbgVars = vars;
  if (!force && fr.hookLine === line && !L.lineEventPending) return false;
  L.lineEventPending = false;
  fr.hookLine = line;
  const h = L.lineHook;
  if (h === undefined) return false;
  h(L, line);
  return L.suspendRequested && L.currentThread === undefined;
}

/** After a debug stop: raise the error the embedder left for this point (an abort). */
function dbgResumed(L: LuaState): void {
  const e = L.resumeError;
  if (e !== undefined) {
    L.resumeError = undefined;
    throw e;
  }
}

/** The value of a local in a debug frame (a captured local lives in its box). */
export function debugLocalValue(act: unknown, v: { slot: number; captured: boolean }): LuaValue {
  const x = (act as Act).r[v.slot];
  return v.captured && x !== undefined && x !== null && typeof x === 'object' && 'v' in (x as object) && !(x instanceof LuaTable) ? (x as unknown as { v: LuaValue }).v : x;
}

/** A resumable run of a function on the main thread (see LuaState.startResumable). */
export interface ResumableRun {
  /**
   * Runs until the function returns ({done: true, values}), or suspends at a hook point after
   * the hook called L.requestSuspend() ({done: false}). Throws LuaError if the script fails.
   */
  resume(): { done: true; values: LuaValue[] } | { done: false };
}

export function startResumable(L: LuaState, fn: LuaValue, args: LuaValue[]): ResumableRun {
  const gen = genCall(L, fn, args, undefined, '');
  let saved: Frame[] = [];
  let finished = false;
  return {
    resume() {
      if (finished) throw new Error('lua: resumable run already finished');
      const base = L.depth;
      const ccalls = L.ccalls;
      const prevBase = L.threadBase;
      const prevNonYieldable = L.nonYieldable;
      L.threadBase = base;
      L.nonYieldable = 0;
      for (const fr of saved) L.frames[++L.depth] = fr;
      saved = [];
      L.resetBudget();
      try {
        const r = gen.next([]);
        if (r.done) {
          finished = true;
          L.depth = base;
          return { done: true, values: r.value };
        }
        saved = L.frames.slice(base + 1, L.depth + 1);
        for (let i = base + 1; i <= L.depth; i++) L.frames[i] = new Frame();
        L.depth = base;
        return { done: false };
      } catch (e) {
        finished = true;
        const err = L.normalizeError(e);
        L.depth = base;
        L.ccalls = ccalls;
        throw err;
      } finally {
        L.threadBase = prevBase;
        L.nonYieldable = prevNonYieldable;
        L.suspendRequested = false;
      }
    },
  };
}

/** An expression in resumable code: a plain closure when it has no call, else a generator. */
type Ev = { g: false; f: Expr } | { g: true; f: GExpr };

class GenCompiler {
  readonly L: LuaState;
  constructor(readonly c: Compiler) {
    this.L = c.L;
  }

  hasCall(e: Node | undefined): boolean {
    if (e === undefined || e === null) return false;
    if (e.__hc !== undefined) return e.__hc as boolean;
    let r: boolean;
    switch (e.type) {
      case 'CallExpression': case 'StringCallExpression': case 'TableCallExpression': r = true; break;
      case 'MemberExpression': r = this.hasCall(e.base); break;
      case 'IndexExpression': r = this.hasCall(e.base) || this.hasCall(e.index); break;
      case 'BinaryExpression': case 'LogicalExpression': r = this.hasCall(e.left) || this.hasCall(e.right); break;
      case 'UnaryExpression': r = this.hasCall(e.argument); break;
      case 'TableConstructorExpression': r = e.fields.some((f: Node) => this.hasCall(f.value) || (f.type === 'TableKey' && this.hasCall(f.key))); break;
      default: r = false;
    }
    e.__hc = r;
    return r;
  }

  /** Whether a statement must run resumably: it calls something, or it loops. */
  stmtHasCall(s: Node): boolean {
    // Debug code runs every statement resumably: the line hook may stop at any of them.
    if (this.c.debug) return true;
    const h = (e: Node) => this.hasCall(e);
    const b = (body: Node[]) => body.some((x) => this.stmtHasCall(x));
    switch (s.type) {
      case 'LocalStatement': return s.init.some(h);
      case 'AssignmentStatement': return s.init.some(h) || s.variables.some(h);
      case 'CallStatement': return true;
      case 'IfStatement': return s.clauses.some((c: Node) => (c.condition && h(c.condition)) || b(c.body));
      // Loops always run resumably: each iteration is a point where a hook can suspend.
      case 'WhileStatement': return true;
      case 'DoStatement': return b(s.body);
      case 'RepeatStatement': return true;
      case 'ReturnStatement': return s.arguments.some(h);
      case 'ForNumericStatement': return true;
      case 'ForGenericStatement': return true;
      default: return false;
    }
  }

  /** A function without calls or loops runs directly even in resumable code (bounded work). */
  isLeaf(fn: Node): boolean {
    if (fn.__leaf === undefined) fn.__leaf = !fn.body.some((s: Node) => this.stmtHasCall(s));
    return fn.__leaf as boolean;
  }

  ev(e: Node): Ev {
    return this.hasCall(e) ? { g: true, f: this.expr(e) } : { g: false, f: this.c.expr(e) };
  }

  body(fn: Node): GenBody {
    const fi = fn.__fi as FuncInfo;
    const params: Node[] = fn.parameters.filter((p: Node) => p.type !== 'VarargLiteral');
    const nparams = params.length;
    const paramVars: VarInfo[] = params.map((p) => p.__var as VarInfo);
    const body = this.block(fn.body);
    const nslots = fi.nslots;
    const vararg = fi.vararg;
    const L = this.L;
    // A function that runs off its end executes its final RETURN on the line of its `end`.
    const endLine = this.c.debug && fn.type !== 'Chunk' ? fn.loc!.end.line : -1;
    return function* (cl, args) {
      const act = new Act(nslots, cl.up as Box[], cl.env, NONE);
      const r = act.r;
      for (let i = 0; i < nparams; i++) {
        const v = paramVars[i];
        r[v.slot] = v.captured ? { v: args[i] } as unknown as LuaValue : args[i];
      }
      if (vararg) {
        act.va = args.length > nparams ? args.slice(nparams) : NONE;
        if (fi.argVar !== undefined) r[fi.argVar.slot] = argLocal(fi.argVar, act.va, fi.usesVararg);
      }
      const res = yield* body(act);
      if (res === undefined && endLine >= 0 && dbgLine(L, act, undefined, endLine, false)) { yield SUSPEND; dbgResumed(L); }
      return res === undefined ? NONE : res;
    };
  }

  block(body: Node[]): GStmt {
    const parts = body.map((s) => (this.stmtHasCall(s) ? { g: true as const, f: this.stmt(s) } : { g: false as const, f: this.c.stmt(s) }));
    const dbg = this.c.debug;
    // A function statement's CLOSURE is coded once its body is read: on the `end` line.
    const lines = body.map((s) => (dbg && s.type === 'FunctionDeclaration' ? s.loc!.end.line : s.loc!.start.line));
    const L = this.L;
    const scopes = body.map((s) => s.__scope as VarInfo[] | undefined);
    return function* (a) {
      for (let i = 0; i < parts.length; i++) {
        if (--L.budget < 0 && L.onBudget(lines[i]) && L.currentThread === undefined) { yield SUSPEND; if (dbg) dbgResumed(L); }
        if (dbg && dbgLine(L, a, scopes[i], lines[i], false)) { yield SUSPEND; dbgResumed(L); }
        const p = parts[i];
        const r = p.g ? yield* p.f(a) : p.f(a);
        if (r !== undefined) return r;
      }
      return undefined;
    };
  }

  /** A loop body: direct when it neither calls nor loops. */
  loopBody(body: Node[]): { g: false; f: Stmt } | { g: true; f: GStmt } {
    if (body.some((s) => this.stmtHasCall(s))) return { g: true, f: this.block(body) };
    return { g: false, f: this.c.block(body) };
  }

  stmt(s: Node): GStmt {
    const L = this.L;
    const c = this.c;
    const loopLine = s.loc!.start.line;
    const dbg = c.debug;
    // The locals active at a loop's own line (its hidden control locals included).
    // (The loop's own variables are locals of its body only.)
    const loopScope: VarInfo[] | undefined = dbg ? [...((s.__scope as VarInfo[] | undefined) ?? []), ...((s.__hidden as VarInfo[] | undefined) ?? [])] : undefined;
    const hidden = s.__hidden as VarInfo[] | undefined;
    switch (s.type) {
      case 'LocalStatement': {
        const stores = s.variables.map((v: Node) => c.declStore(v.__var as VarInfo));
        const values = this.explist(s.init);
        return function* (a) {
          const xs = yield* values(a);
          for (let i = 0; i < stores.length; i++) stores[i](a, xs[i]);
          return undefined;
        };
      }
      case 'AssignmentStatement': {
        const preps = s.variables.map((t: Node) => this.prepareTarget(t));
        const values = this.explist(s.init);
        return function* (a) {
          const setters: ((x: LuaValue) => void)[] = [];
          for (const p of preps) setters.push(yield* p(a));
          const xs = yield* values(a);
          for (let i = setters.length - 1; i >= 0; i--) setters[i](xs[i]);
          return undefined;
        };
      }
      case 'CallStatement': {
        const m = this.call(s.expression);
        return function* (a) {
          yield* m(a);
          return undefined;
        };
      }
      case 'IfStatement': {
        const clauses = s.clauses.map((cl: Node, i: number) => ({
          cond: cl.condition ? this.ev(cl.condition) : undefined, body: this.block(cl.body),
          // An elseif's condition runs on its own line.
          line: dbg && i > 0 && cl.condition ? cl.condition.loc!.start.line : -1,
        }));
        const scope = s.__scope as VarInfo[] | undefined;
        return function* (a) {
          for (const cl of clauses) {
            if (cl.line >= 0 && dbgLine(L, a, scope, cl.line, false)) { yield SUSPEND; dbgResumed(L); }
            const cond = cl.cond;
            if (cond === undefined || truthy(cond.g ? yield* cond.f(a) : cond.f(a))) return yield* cl.body(a);
          }
          return undefined;
        };
      }
      case 'WhileStatement': {
        const cond = this.ev(s.condition);
        const body = this.loopBody(s.body);
        return function* (a) {
          for (let k = 0; ; k++) {
            // Each later test of the condition follows a jump back to the `while` line.
            if (dbg && k > 0 && dbgLine(L, a, loopScope, loopLine, true)) { yield SUSPEND; dbgResumed(L); }
            if (!truthy(cond.g ? yield* cond.f(a) : cond.f(a))) break;
            if (--L.budget < 0 && L.onBudget(loopLine) && L.currentThread === undefined) { yield SUSPEND; if (dbg) dbgResumed(L); }
            const r = body.g ? yield* body.f(a) : body.f(a);
            if (r !== undefined) {
              if (r === BREAK) break;
              return r;
            }
          }
          return undefined;
        };
      }
      case 'DoStatement': return this.block(s.body);
      case 'RepeatStatement': {
        const cond = this.ev(s.condition);
        const body = this.loopBody(s.body);
        const untilLine = dbg ? s.condition.loc!.start.line : -1;
        return function* (a) {
          for (;;) {
            if (--L.budget < 0 && L.onBudget(loopLine) && L.currentThread === undefined) yield SUSPEND;
            const r = body.g ? yield* body.f(a) : body.f(a);
            if (r !== undefined) {
              if (r === BREAK) break;
              return r;
            }
            if (untilLine >= 0 && dbgLine(L, a, undefined, untilLine, false)) { yield SUSPEND; dbgResumed(L); }
            if (truthy(cond.g ? yield* cond.f(a) : cond.f(a))) break;
          }
          return undefined;
        };
      }
      case 'ReturnStatement': {
        // `return f(...)` is a tail call: a debugger no longer sees the caller's frame.
        const only = s.arguments.length === 1 ? s.arguments[0] : undefined;
        if (dbg && only && (only.type === 'CallExpression' || only.type === 'StringCallExpression' || only.type === 'TableCallExpression') && !c.parenthesized(only)) only.__tail = true;
        const values = this.explist(s.arguments);
        return function* (a) {
          return yield* values(a);
        };
      }
      case 'ForNumericStatement': {
        const start = this.ev(s.start);
        const end = this.ev(s.end);
        const step = s.step ? this.ev(s.step) : undefined;
        const v = s.variable.__var as VarInfo;
        const slot = v.slot;
        const captured = v.captured;
        const body = this.loopBody(s.body);
        const chunk = c.chunk;
        const line = s.loc!.start.line;
        const num = (x: LuaValue, what: string): number => {
          const n = L.tonumberOrUndefined(x);
          if (n === undefined) throw L.errorAt(chunk, line, `'for' ${what} must be a number`);
          return n;
        };
        return function* (a) {
          const i0 = num(start.g ? yield* start.f(a) : start.f(a), 'initial value');
          const lim = num(end.g ? yield* end.f(a) : end.f(a), 'limit');
          const st = step ? num(step.g ? yield* step.f(a) : step.f(a), 'step') : 1;
          const r = a.r;
          let iterations = 0;
          for (let i = i0; st > 0 ? i <= lim : i >= lim; i += st) {
            // FORLOOP, on the `for` line, jumps back into the body.
            if (dbg && iterations++ > 0 && dbgLine(L, a, loopScope, loopLine, true)) { yield SUSPEND; dbgResumed(L); }
            if (--L.budget < 0 && L.onBudget(loopLine) && L.currentThread === undefined) { yield SUSPEND; if (dbg) dbgResumed(L); }
            if (hidden) { r[hidden[0].slot] = i; r[hidden[1].slot] = lim; r[hidden[2].slot] = st; }
            r[slot] = captured ? { v: i } as unknown as LuaValue : i;
            const res = body.g ? yield* body.f(a) : body.f(a);
            if (res !== undefined) {
              if (res === BREAK) return undefined;
              return res;
            }
          }
          // The last FORLOOP, which falls through.
          if (dbg && iterations > 0 && dbgLine(L, a, loopScope, loopLine, true)) { yield SUSPEND; dbgResumed(L); }
          return undefined;
        };
      }
      case 'ForGenericStatement': {
        const init = this.explist(s.iterators);
        const stores = s.variables.map((v: Node) => c.declStore(v.__var as VarInfo));
        const body = this.loopBody(s.body);
        const site: CallSite = { line: s.loc!.start.line, name: undefined, kind: '' };
        return function* (a) {
          const xs = yield* init(a);
          const f = xs[0];
          const st = xs[1];
          let ctl = xs[2];
          const resumable = needsGenCall(L, f);
          for (let k = 0; ; k++) {
            // TFORLOOP, on the `for` line, after each pass of the body.
            if (dbg && k > 0 && dbgLine(L, a, loopScope, loopLine, true)) { yield SUSPEND; dbgResumed(L); }
            if (--L.budget < 0 && L.onBudget(loopLine) && L.currentThread === undefined) { yield SUSPEND; if (dbg) dbgResumed(L); }
            const rs = resumable ? yield* genCall(L, f, [st, ctl], site, '') : L.callAt(f, [st, ctl], site, '');
            if (rs[0] === undefined) break;
            ctl = rs[0];
            if (hidden) { a.r[hidden[0].slot] = f; a.r[hidden[1].slot] = st; a.r[hidden[2].slot] = ctl; }
            for (let i = 0; i < stores.length; i++) stores[i](a, rs[i]);
            const r = body.g ? yield* body.f(a) : body.f(a);
            if (r !== undefined) {
              if (r === BREAK) break;
              return r;
            }
          }
          return undefined;
        };
      }
    }
    const direct = c.stmt(s);
    return function* (a) {
      return direct(a);
    };
  }

  prepareTarget(t: Node): (a: Act) => Generator<LuaValue[], (x: LuaValue) => void, LuaValue[]> {
    const c = this.c;
    if (t.type === 'Identifier') {
      const set = c.identSetter(t);
      return function* (a) {
        return (x: LuaValue) => set(a, x);
      };
    }
    const obj = this.ev(t.base);
    const key = t.type === 'MemberExpression' ? undefined : this.ev(t.index);
    const name = t.type === 'MemberExpression' ? t.identifier.name as string : undefined;
    const L = this.L;
    const chunk = c.chunk;
    const line = c.line(t);
    const desc = c.desc(t.base);
    return function* (a) {
      const o = obj.g ? yield* obj.f(a) : obj.f(a);
      const k = key ? (key.g ? yield* key.f(a) : key.f(a)) : name;
      return (x: LuaValue) => L.setIndexDesc(o, k, x, chunk, line, desc);
    };
  }

  explist(es: Node[]): GMulti {
    if (es.length === 0) return function* () { return []; };
    const last = es[es.length - 1];
    const isMulti = this.c.isMultiNode(last) && !this.c.parenthesized(last);
    const fixed = (isMulti ? es.slice(0, -1) : es).map((e) => this.ev(e));
    const lastM = isMulti ? this.multi(last) : undefined;
    return function* (a) {
      const out: LuaValue[] = [];
      for (const f of fixed) out.push(f.g ? yield* f.f(a) : f.f(a));
      if (lastM) for (const v of yield* lastM(a)) out.push(v);
      return out;
    };
  }

  multi(e: Node): GMulti {
    if (e.type === 'VarargLiteral') return function* (a) { return a.va; };
    if (this.c.isMultiNode(e)) return this.call(e);
    const x = this.expr(e);
    return function* (a) { return [yield* x(a)]; };
  }

  call(e: Node): GMulti {
    const c = this.c;
    const L = this.L;
    let argNodes: Node[];
    if (e.type === 'CallExpression') argNodes = e.arguments;
    else if (e.type === 'StringCallExpression') argNodes = [e.argument];
    else argNodes = [e.arguments];
    const base = e.base;
    const line = e.type === 'CallExpression' ? base.loc!.end.line : c.line(e);
    const tail = e.__tail === true;
    // A tail-called function has no name its caller gave it.
    const site: CallSite = tail ? { line, name: undefined, kind: '' } : c.site(base, line);
    const desc = c.desc(base);
    const last = argNodes[argNodes.length - 1];
    const lastMulti = last !== undefined && c.isMultiNode(last) && !c.parenthesized(last, e.range![1] - 1);
    const fixed = (lastMulti ? argNodes.slice(0, -1) : argNodes).map((x) => this.ev(x));
    const lastM = lastMulti ? this.multi(last) : undefined;
    const isMethod = base.type === 'MemberExpression' && base.indexer === ':';
    const obj = isMethod ? this.ev(base.base) : this.ev(base);
    const name: string | undefined = isMethod ? base.identifier.name : undefined;
    const chunk = c.chunk;
    const objDesc = isMethod ? c.desc(base.base) : '';
    const oline = c.line(base);
    return function* (a) {
      let f: LuaValue;
      const args: LuaValue[] = [];
      if (isMethod) {
        const o = obj.g ? yield* obj.f(a) : obj.f(a);
        f = L.indexDesc(o, name, chunk, oline, objDesc);
        args.push(o);
      } else {
        f = obj.g ? yield* obj.f(a) : obj.f(a);
      }
      for (const x of fixed) args.push(x.g ? yield* x.f(a) : x.f(a));
      if (lastM) for (const v of yield* lastM(a)) args.push(v);
      if (tail) {
        const fr = L.frames[L.depth];
        fr.tailHidden = true;
        try {
          return needsGenCall(L, f) ? yield* genCall(L, f, args, site, desc) : L.callAt(f, args, site, desc);
        } finally {
          fr.tailHidden = false;
        }
      }
      if (needsGenCall(L, f)) return yield* genCall(L, f, args, site, desc);
      return L.callAt(f, args, site, desc);
    };
  }

  expr(e: Node): GExpr {
    const c = this.c;
    if (!this.hasCall(e)) {
      const p = c.expr(e);
      return function* (a) { return p(a); };
    }
    switch (e.type) {
      case 'CallExpression':
      case 'StringCallExpression':
      case 'TableCallExpression': {
        const m = this.call(e);
        return function* (a) { return (yield* m(a))[0]; };
      }
      case 'MemberExpression':
      case 'IndexExpression': {
        const obj = this.ev(e.base);
        const key = e.type === 'MemberExpression' ? undefined : this.ev(e.index);
        const name = e.type === 'MemberExpression' ? e.identifier.name as string : undefined;
        const L = this.L;
        const chunk = c.chunk;
        const line = c.line(e);
        const desc = c.desc(e.base);
        return function* (a) {
          const o = obj.g ? yield* obj.f(a) : obj.f(a);
          const k = key ? (key.g ? yield* key.f(a) : key.f(a)) : name;
          return L.indexDesc(o, k, chunk, line, desc);
        };
      }
      case 'LogicalExpression': {
        const l = this.ev(e.left);
        const r = this.ev(e.right);
        const isAnd = e.operator === 'and';
        return function* (a) {
          const x = l.g ? yield* l.f(a) : l.f(a);
          if (isAnd ? truthy(x) : !truthy(x)) return r.g ? yield* r.f(a) : r.f(a);
          return x;
        };
      }
      case 'BinaryExpression': {
        const l = this.ev(e.left);
        const r = this.ev(e.right);
        const tmp: { x: LuaValue; y: LuaValue } = { x: undefined, y: undefined };
        const op = c.binaryOp(e, () => tmp.x, () => tmp.y);
        return function* (a) {
          const x = l.g ? yield* l.f(a) : l.f(a);
          const y = r.g ? yield* r.f(a) : r.f(a);
          tmp.x = x;
          tmp.y = y;
          return op(a);
        };
      }
      case 'UnaryExpression': {
        const x = this.expr(e.argument);
        const tmp: { x: LuaValue } = { x: undefined };
        const op = c.unaryOp(e, () => tmp.x);
        return function* (a) {
          tmp.x = yield* x(a);
          return op(a);
        };
      }
      case 'TableConstructorExpression': {
        const fields: Node[] = e.fields;
        const L = this.L;
        const chunk = c.chunk;
        const line = c.line(e);
        const fs = fields.map((f, i) => {
          if (f.type === 'TableValue') {
            if (i === fields.length - 1 && c.isMultiNode(f.value) && !c.parenthesized(f.value)) return { kind: 'multi' as const, m: this.multi(f.value) };
            return { kind: 'pos' as const, v: this.ev(f.value) };
          }
          const key: Ev = f.type === 'TableKeyString' ? { g: false, f: c.constExpr(f.key.name as string) } : this.ev(f.key);
          return { kind: 'key' as const, k: key, v: this.ev(f.value) };
        });
        const npos = fs.filter((f) => f.kind === 'pos').length;
        const nhash = fs.filter((f) => f.kind === 'key').length;
        return function* (a) {
          const t = LuaTable.sized(npos, nhash);
          let pending: LuaValue[] = [];
          let first = 1;
          for (const f of fs) {
            if (pending.length === FIELDS_PER_FLUSH) {
              t.setList(first, pending);
              first += FIELDS_PER_FLUSH;
              pending = [];
            }
            if (f.kind === 'pos') pending.push(f.v.g ? yield* f.v.f(a) : f.v.f(a));
            else if (f.kind === 'multi') for (const v of yield* f.m(a)) pending.push(v);
            else {
              const k = f.k.g ? yield* f.k.f(a) : f.k.f(a);
              const v = f.v.g ? yield* f.v.f(a) : f.v.f(a);
              if (k === undefined || (typeof k === 'number' && k !== k)) L.rawSet(t, k, v, chunk, line);
              t.set(k, v);
            }
          }
          if (pending.length > 0) t.setList(first, pending);
          return t;
        };
      }
    }
    const p = c.expr(e);
    return function* (a) { return p(a); };
  }
}

/** Whether a call from resumable code needs genCall (Lua functions that may suspend, yield, pcall). */
function needsGenCall(L: LuaState, f: LuaValue): boolean {
  if (f instanceof LuaClosure) {
    const proto = f.proto as Proto | undefined;
    if (proto === undefined) return false;
    const c = proto.compiler;
    return !(c.gen ??= new GenCompiler(c)).isLeaf(proto.node);
  }
  return f !== undefined && (f === L.special.yieldFn || f === L.special.pcallFn || f === L.special.xpcallFn);
}

// ---------------------------------------------------------------------------------------------
// Loading

/** luaO_chunkid: the chunk name as messages show it. */
export function chunkId(chunkname: string): string {
  const IDSIZE = 60;
  if (chunkname.startsWith('=')) return chunkname.slice(1, IDSIZE);
  if (chunkname.startsWith('@')) {
    const s = chunkname.slice(1);
    const room = IDSIZE - 8;
    return s.length > room ? '...' + s.slice(s.length - room) : s;
  }
  const nl = chunkname.search(/[\n\r]/);
  let len = nl < 0 ? chunkname.length : nl;
  const room = IDSIZE - 17;
  if (len > room) len = room;
  if (len < chunkname.length) return `[string "${chunkname.slice(0, len)}..."]`;
  return `[string "${chunkname}"]`;
}

/** luaparse's error text → Lua 5.1's. */
function syntaxMessage(msg: string, source: string): string {
  const m = /^\[\d+:\d+\] (.*)$/s.exec(msg);
  let text = m ? m[1] : msg;
  // Lua reports a string cut off by the end of input near '<eof>' (by a newline: near the text).
  const unfinished = /^unfinished string near '(.*)'$/s.exec(text);
  if (unfinished && source.endsWith(unfinished[1])) text = "unfinished string near '<eof>'";
  text = text.replace(/^<expression> expected near/, 'unexpected symbol near');
  text = text.replace(/^<name> expected near/, "'<name>' expected near");
  text = text.replace(/^(unfinished long (?:string|comment)) \(starting at line \d+\)/, '$1');
  text = text.replace(/^unexpected (?:identifier|symbol|keyword|string|number|boolean|nil|vararg) '(?:[^']*)' near '(.*)'$/s, "unexpected symbol near '$1'");
  return text;
}

export function loadLua(L: LuaState, source: string, chunkname: string, debug = false): LuaFunction {
  const chunk = chunkId(chunkname);
  // Syntax errors as Lua 5.1 words them (luaparse's own texts differ); luaparse then builds
  // the AST of code Lua accepts.
  const syntaxError = checkSyntax(source, chunk);
  if (syntaxError !== undefined) throw new LuaError(syntaxError);
  let ast: Node;
  // A leading '#' line (shebang) is skipped by luaL_loadbuffer's callers only for files; not here.
  try {
    ast = luaparse.parse(source, { luaVersion: '5.1', locations: true, ranges: true, comments: false, encodingMode: 'pseudo-latin1', scope: false });
  } catch (e) {
    const err = e as { line?: number; message: string };
    if (typeof err.line === 'number') throw new LuaError(`${chunk}:${err.line}: ${syntaxMessage(err.message, source)}`);
    throw e;
  }
  let fi: FuncInfo;
  try {
    fi = resolveChunk(ast);
  } catch (e) {
    if ((e as Error).message === 'vararg outside vararg function') {
      throw new LuaError(`${chunk}:1: cannot use '...' outside a vararg function near '...'`);
    }
    throw e;
  }
  const c = new Compiler(L, chunk, source, debug);
  const body = c.block(ast.body);
  const nslots = fi.nslots;
  const cl: LuaClosure = new LuaClosure('main chunk', (_L, args) => {
    const act = new Act(nslots, [], cl.env, args);
    const res = body(act);
    return res === undefined ? NONE : res;
  }, chunk, 0);
  cl.env = L.globals;
  cl.up = [];
  cl.proto = { node: { type: 'Chunk', body: ast.body, parameters: [{ type: 'VarargLiteral' }], __fi: fi, loc: ast.loc } as Node, compiler: c, gen: undefined } satisfies Proto;
  return cl;
}

registerLoader(loadLua);
registerResumable(startResumable);

export { numberToString, luaType };
