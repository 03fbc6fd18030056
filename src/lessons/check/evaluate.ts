/**
 * Evaluator of type-checked checks over a WorldView. Pure: it only calls the view's getters.
 *
 * Logic is three-valued (see values.ts): a check passes only when it is true. Every result
 * carries a one-line explanation built from the check's own source text, so a failing step can
 * say `role("127.0.0.1:7002") is "slave"` rather than just "false".
 */
import { formatDuration } from '../units';
import type { CheckExpr, Expr } from './ast';
import { sourceOf } from './ast';
import { FUNCTIONS, type EvalContext } from './functions';
import { STRING_METHODS } from './types';
import { EventList, Unknown, eventRecord, isRecord, type Value } from './values';

export type Truth = true | false | 'unknown';

export interface CheckResult {
  truth: Truth;
  passed: boolean;
  /** Why the check came out this way. */
  explanation: string;
}

interface Out {
  v: Value;
  /** Explanation of a boolean result. */
  why: string;
}

function show(v: Value, e: Expr): string {
  if (v instanceof Unknown) return `unknown (${v.reason})`;
  if (v instanceof EventList) return `${v.events.length} ${v.label}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? v.slice(0, 77) + '...' : v);
  if (typeof v === 'number') return e.ty?.kind === 'duration' ? formatDuration(v) : String(Number(v.toFixed(6)));
  if (typeof v === 'boolean') return String(v);
  return v.label;
}

function occurrences(haystack: string, needle: string): number {
  if (needle === '') return 0;
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

function stringMethod(name: string, text: string, arg: string): Value {
  switch (name) {
    case 'contains':
      return text.includes(arg);
    case 'starts_with':
      return text.startsWith(arg);
    case 'ends_with':
      return text.endsWith(arg);
    case 'count':
      return occurrences(text, arg);
  }
  return new Unknown(`no method ${name}`);
}

function truthOf(v: Value): Truth {
  if (v instanceof Unknown) return 'unknown';
  if (v instanceof EventList) return v.events.length > 0;
  return v === true;
}

class Evaluator {
  constructor(readonly text: string, readonly ctx: EvalContext) {}

  src(e: Expr): string {
    return sourceOf(this.text, e);
  }

  /** A value and, for booleans, the explanation (for unknown values: the reason). */
  eval(e: Expr): Out {
    const out = this.evalNode(e);
    return out.v instanceof Unknown ? { v: out.v, why: out.v.reason } : out;
  }

  evalNode(e: Expr): Out {
    switch (e.type) {
      case 'number':
      case 'string':
      case 'bool':
        return { v: e.value, why: this.src(e) };
      case 'call':
        return this.described(e, this.call(e));
      case 'member':
        return this.described(e, this.member(e));
      case 'method':
        return this.described(e, this.method(e));
      case 'unary': {
        const o = this.eval(e.operand);
        if (o.v instanceof Unknown) return o;
        if (e.op === '-') return { v: -(o.v as number), why: '' };
        const t = truthOf(o.v);
        return { v: !t, why: o.why };
      }
      case 'binary':
        return this.binary(e);
    }
  }

  described(e: Expr, v: Value): Out {
    if (v instanceof Unknown) return { v, why: v.reason };
    if (v instanceof EventList) return { v, why: v.events.length ? `${v.events.length} ${v.label}` : `no ${v.label}` };
    return { v, why: `${this.src(e)} is ${show(v, e)}` };
  }

  binary(e: Extract<Expr, { type: 'binary' }>): Out {
    if (e.op === 'and' || e.op === 'or') {
      const l = this.eval(e.left);
      const lt = truthOf(l.v);
      // Decided by the left side alone.
      if (e.op === 'and' && lt === false) return { v: false, why: l.why };
      if (e.op === 'or' && lt === true) return { v: true, why: l.why };
      const r = this.eval(e.right);
      const rt = truthOf(r.v);
      if (e.op === 'and') {
        if (rt === false) return { v: false, why: r.why };
        if (lt === 'unknown') return { v: l.v, why: l.why };
        if (rt === 'unknown') return { v: r.v, why: r.why };
        return { v: true, why: `${l.why}; ${r.why}` };
      }
      if (rt === true) return { v: true, why: r.why };
      if (lt === 'unknown') return { v: l.v, why: l.why };
      if (rt === 'unknown') return { v: r.v, why: r.why };
      return { v: false, why: `${l.why}; ${r.why}` };
    }
    const l = this.eval(e.left);
    if (l.v instanceof Unknown) return l;
    const r = this.eval(e.right);
    if (r.v instanceof Unknown) return r;
    const a = l.v as number | string | boolean;
    const b = r.v as number | string | boolean;
    let v: Value;
    switch (e.op) {
      case '==':
        v = a === b;
        break;
      case '!=':
        v = a !== b;
        break;
      case '<':
        v = a < b;
        break;
      case '<=':
        v = a <= b;
        break;
      case '>':
        v = a > b;
        break;
      case '>=':
        v = a >= b;
        break;
      case '+':
        return { v: (a as number) + (b as number), why: '' };
      case '-':
        return { v: (a as number) - (b as number), why: '' };
      case '*':
        return { v: (a as number) * (b as number), why: '' };
      case '/':
        return { v: b === 0 ? new Unknown(`division by zero in ${this.src(e)}`) : (a as number) / (b as number), why: '' };
    }
    const literal = (x: Expr) => x.type === 'number' || x.type === 'string' || x.type === 'bool';
    const side = (x: Expr, o: Out) => `${this.src(x)} is ${show(o.v, x)}`;
    let why: string;
    if (literal(e.right)) why = `${side(e.left, l)} (expected ${e.op} ${this.src(e.right)})`;
    else if (literal(e.left)) why = `${side(e.right, r)} (expected ${this.src(e.left)} ${e.op} it)`;
    else why = `${side(e.left, l)}, ${side(e.right, r)}`;
    return { v, why };
  }

  args(e: Extract<Expr, { type: 'call' }>): (Value | undefined)[] | Unknown {
    const spec = FUNCTIONS.get(e.name)!;
    const out: (Value | undefined)[] = new Array(spec.params.length).fill(undefined);
    let position = 0;
    for (const a of e.args) {
      let index: number;
      if (a.name === null) {
        while (spec.params[position].namedOnly) position++;
        index = position++;
      } else {
        index = spec.params.findIndex((p) => p.name === a.name);
      }
      const v = this.eval(a.value).v;
      if (v instanceof Unknown) return v;
      out[index] = v;
    }
    return out;
  }

  call(e: Extract<Expr, { type: 'call' }>): Value {
    const args = this.args(e);
    if (args instanceof Unknown) return args;
    return FUNCTIONS.get(e.name)!.evaluate(args, this.ctx);
  }

  member(e: Extract<Expr, { type: 'member' }>): Value {
    const t = this.eval(e.target).v;
    if (t instanceof Unknown) return t;
    if (t instanceof EventList) {
      if (e.name === 'count') return t.events.length;
      const ev = e.name === 'first' ? t.events[0] : t.events[t.events.length - 1];
      return ev ? eventRecord(ev) : new Unknown(`there are no ${t.label}`);
    }
    if (typeof t === 'string') {
      if (e.name === 'length') return t.length;
      if (e.name === 'lines') return t === '' ? 0 : t.split('\n').length - (t.endsWith('\n') ? 1 : 0);
    }
    if (isRecord(t)) return t.get(e.name);
    return new Unknown(`${this.src(e.target)} has no field ${e.name}`);
  }

  method(e: Extract<Expr, { type: 'method' }>): Value {
    let t = this.eval(e.target).v;
    if (t instanceof Unknown) return t;
    if (isRecord(t)) t = t.get('text');
    if (t instanceof Unknown) return t;
    if (typeof t !== 'string' || !Object.hasOwn(STRING_METHODS, e.name)) {
      return new Unknown(`${this.src(e.target)} has no method ${e.name}`);
    }
    const arg = this.eval(e.args[0].value).v;
    if (arg instanceof Unknown) return arg;
    return stringMethod(e.name, t, arg as string);
  }
}

/** Evaluate a type-checked check (or condition). */
export function evaluateCheck(check: CheckExpr, ctx: EvalContext): CheckResult {
  const out = new Evaluator(check.text, ctx).eval(check.expr);
  const truth = truthOf(out.v);
  return { truth, passed: truth === true, explanation: out.why };
}
