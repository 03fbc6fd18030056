/**
 * Type checker of the check language: resolves every function, field and method name, checks
 * argument and operand types, validates literal addresses, hosts, paths, INFO sections and
 * sentinel event names against the lesson, and records each node's type in `node.ty` (the
 * evaluator's explanations use it to print durations as durations).
 *
 * Rules worth knowing (docs/LESSON-FORMAT.md has the full list):
 * - numbers and durations never mix: `x > 30` with x a duration is an error, write `30s`;
 * - sizes (`64kb`) are plain numbers of bytes;
 * - a list of events counts as true when it is not empty, anywhere a boolean is expected;
 * - text is compared with == and != only.
 */
import { didYouMean } from '../diagnostics';
import type { Arg, CheckExpr, Expr } from './ast';
import { FUNCTIONS, checkLiteral, signatureOf, type StaticContext } from './functions';
import {
  BOOL,
  DURATION,
  ERROR,
  EVENTS_FIELDS,
  NUMBER,
  STRING,
  STRING_FIELDS,
  STRING_METHODS,
  sameKind,
  typeName,
  type MethodSig,
  type Type,
} from './types';

export interface CheckTypeError {
  start: number;
  message: string;
}

const isBoolLike = (t: Type) => t.kind === 'bool' || t.kind === 'events' || t.kind === 'error';
const isErr = (t: Type) => t.kind === 'error';
const ARITHMETIC = new Set(['+', '-', '*', '/']);

class Checker {
  errors: CheckTypeError[] = [];

  constructor(readonly ctx: StaticContext) {}

  error(start: number, message: string): Type {
    this.errors.push({ start, message });
    return ERROR;
  }

  check(e: Expr): Type {
    const t = this.infer(e);
    e.ty = t;
    return t;
  }

  infer(e: Expr): Type {
    switch (e.type) {
      case 'number':
        return e.unit === 'duration' ? DURATION : NUMBER;
      case 'string':
        return STRING;
      case 'bool':
        return BOOL;
      case 'call':
        return this.call(e);
      case 'member':
        return this.member(e.target, e.name, e.nameStart);
      case 'method':
        return this.method(e.target, e.name, e.nameStart, e.args);
      case 'unary': {
        const t = this.check(e.operand);
        if (isErr(t)) return ERROR;
        if (e.op === 'not') {
          return isBoolLike(t) ? BOOL : this.error(e.operand.start, `"not" needs true or false, but this is ${typeName(t)}`);
        }
        return t.kind === 'number' || t.kind === 'duration'
          ? t
          : this.error(e.operand.start, `"-" needs a number or a duration, but this is ${typeName(t)}`);
      }
      case 'binary':
        return this.binary(e);
    }
  }

  binary(e: Extract<Expr, { type: 'binary' }>): Type {
    const l = this.check(e.left);
    const r = this.check(e.right);
    if (isErr(l) || isErr(r)) return ARITHMETIC.has(e.op) ? ERROR : BOOL;
    switch (e.op) {
      case 'and':
      case 'or': {
        if (!isBoolLike(l)) return this.error(e.left.start, `"${e.op}" needs true or false on both sides, but this is ${typeName(l)}`);
        if (!isBoolLike(r)) return this.error(e.right.start, `"${e.op}" needs true or false on both sides, but this is ${typeName(r)}`);
        return BOOL;
      }
      case '==':
      case '!=': {
        if (l.kind === 'record' || l.kind === 'events' || r.kind === 'record' || r.kind === 'events') {
          const bad = l.kind === 'record' || l.kind === 'events' ? e.left : e.right;
          const t = bad === e.left ? l : r;
          const hint = t.kind === 'events' ? ' (use count(...) to compare how many)' : ' (compare one of its fields)';
          return this.error(bad.start, `${typeName(t)} cannot be compared with "${e.op}"${hint}`);
        }
        if (!sameKind(l, r)) return this.error(e.opStart, this.mismatch(e.op, l, r));
        this.checkOneOf(l, e.right);
        this.checkOneOf(r, e.left);
        return BOOL;
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const ordered = (t: Type) => t.kind === 'number' || t.kind === 'duration';
        if (!ordered(l)) return this.error(e.left.start, `"${e.op}" compares numbers or durations, but this is ${typeName(l)}`);
        if (!ordered(r)) return this.error(e.right.start, `"${e.op}" compares numbers or durations, but this is ${typeName(r)}`);
        if (l.kind !== r.kind) return this.error(e.opStart, this.mismatch(e.op, l, r));
        return BOOL;
      }
      case '+':
      case '-': {
        if ((l.kind === 'number' || l.kind === 'duration') && l.kind === r.kind) return l;
        return this.error(e.opStart, `"${e.op}" needs two numbers or two durations, not ${typeName(l)} and ${typeName(r)}`);
      }
      case '*': {
        if (l.kind === 'number' && r.kind === 'number') return NUMBER;
        if ((l.kind === 'duration' && r.kind === 'number') || (l.kind === 'number' && r.kind === 'duration')) return DURATION;
        return this.error(e.opStart, `"*" cannot multiply ${typeName(l)} by ${typeName(r)}`);
      }
      case '/': {
        if (l.kind === 'number' && r.kind === 'number') return NUMBER;
        if (l.kind === 'duration' && r.kind === 'number') return DURATION;
        if (l.kind === 'duration' && r.kind === 'duration') return NUMBER;
        return this.error(e.opStart, `"/" cannot divide ${typeName(l)} by ${typeName(r)}`);
      }
    }
  }

  mismatch(op: string, l: Type, r: Type): string {
    const kinds = new Set([l.kind, r.kind]);
    let hint = '';
    if (kinds.has('number') && kinds.has('duration')) {
      hint = ': write the duration with a unit (30s, 500ms), or turn a number of seconds into one with seconds(...)';
    } else if (kinds.has('number') && kinds.has('string')) {
      hint = ': quote both sides, or turn text into a number with number(...)';
    }
    return `cannot compare ${typeName(l)} with ${typeName(r)} using "${op}"${hint}`;
  }

  /** `role(x) == "primary"`: a literal outside the values a text can take is always false. */
  checkOneOf(t: Type, other: Expr): void {
    if (t.kind !== 'string' || !t.oneOf || other.type !== 'string') return;
    if (!t.oneOf.includes(other.value)) {
      this.error(
        other.start,
        `"${other.value}" can never match: it is one of ${t.oneOf.map((v) => `"${v}"`).join(', ')}${didYouMean(other.value, t.oneOf)}`,
      );
    }
  }

  call(e: Extract<Expr, { type: 'call' }>): Type {
    const spec = FUNCTIONS.get(e.name);
    if (!spec) {
      for (const a of e.args) this.check(a.value);
      return this.error(e.start, `unknown function "${e.name}"${didYouMean(e.name, FUNCTIONS.keys())}; functions are ${[...FUNCTIONS.keys()].join(', ')}`);
    }
    if (spec.needsLoadgen && this.ctx.hasLoadgen === false) {
      this.error(e.start, `${e.name}() counts the load generator's writes, but this lesson has no "loadgen:" in its front matter`);
    }
    const bound: (Arg | undefined)[] = new Array(spec.params.length).fill(undefined);
    const wrongType = new Set<number>();
    let failed = false;
    let position = 0;
    for (const a of e.args) {
      const t = this.check(a.value);
      let index: number;
      if (a.name === null) {
        while (position < spec.params.length && spec.params[position].namedOnly) position++;
        if (position >= spec.params.length) {
          this.error(a.start, `too many arguments: ${signatureOf(spec)}`);
          failed = true;
          continue;
        }
        index = position++;
      } else {
        index = spec.params.findIndex((p) => p.name === a.name);
        if (index < 0) {
          const names = spec.params.map((p) => p.name);
          this.error(a.start, `${e.name}() has no argument "${a.name}"${didYouMean(a.name, names)}: ${signatureOf(spec)}`);
          failed = true;
          continue;
        }
        if (bound[index]) {
          this.error(a.start, `argument "${a.name}" is given twice`);
          failed = true;
          continue;
        }
      }
      bound[index] = a;
      const p = spec.params[index];
      if (!isErr(t) && !(sameKind(t, p.type) || (p.type.kind === 'events' && t.kind === 'events'))) {
        this.error(a.value.start, `argument "${p.name}" of ${e.name}() must be ${typeName(p.type)}, but this is ${typeName(t)}`);
        wrongType.add(index);
        failed = true;
      }
    }
    const literals: (string | number | null)[] = bound.map((a) =>
      a && (a.value.type === 'string' || a.value.type === 'number') ? a.value.value : null,
    );
    spec.params.forEach((p, i) => {
      const a = bound[i];
      if (!a) {
        if (!p.optional) {
          this.error(e.nameEnd, `${e.name}() needs the argument "${p.name}": ${signatureOf(spec)}`);
          failed = true;
        }
        return;
      }
      if (p.mustBeLiteral && literals[i] === null) {
        this.error(a.value.start, `argument "${p.name}" of ${e.name}() must be written as text in quotes`);
        failed = true;
        return;
      }
      if (p.literal && literals[i] !== null && !wrongType.has(i)) {
        const problem = checkLiteral(p.literal, literals[i]!, this.ctx);
        if (problem) {
          // Point inside the quotes for text.
          this.error(a.value.start + (a.value.type === 'string' ? 1 : 0), problem);
          if (p.mustBeLiteral) failed = true;
        }
      }
    });
    return failed ? ERROR : spec.returns(literals);
  }

  member(target: Expr, name: string, at: number): Type {
    const t = this.check(target);
    if (isErr(t)) return ERROR;
    let fields: Readonly<Record<string, Type>> | null = null;
    if (t.kind === 'record') {
      const f = t.field(name);
      if (f) return f;
      return this.error(at, `${typeName(t)} has no field "${name}"${didYouMean(name, t.fieldNames())}`);
    }
    if (t.kind === 'string') fields = STRING_FIELDS;
    if (t.kind === 'events') fields = EVENTS_FIELDS;
    if (fields) {
      if (Object.hasOwn(fields, name)) return fields[name];
      const methods = t.kind === 'string' ? Object.keys(STRING_METHODS) : [];
      const extra = methods.includes(name) ? ` ("${name}" is a method: write .${name}(...))` : didYouMean(name, Object.keys(fields));
      return this.error(at, `${typeName(t)} has no field "${name}"${extra}; fields are ${Object.keys(fields).join(', ')}`);
    }
    return this.error(at, `${typeName(t)} has no fields`);
  }

  method(target: Expr, name: string, at: number, args: Arg[]): Type {
    const t = this.check(target);
    const argTypes = args.map((a) => this.check(a.value));
    if (isErr(t)) return ERROR;
    const methods: Readonly<Record<string, MethodSig>> = t.kind === 'string' ? STRING_METHODS : t.kind === 'record' ? t.methods : {};
    const sig = Object.hasOwn(methods, name) ? methods[name] : undefined;
    if (!sig) {
      const names = Object.keys(methods);
      const list = names.length ? `; methods are ${names.join(', ')}` : '';
      return this.error(at, `${typeName(t)} has no method "${name}"${didYouMean(name, names)}${list}`);
    }
    const named = args.find((a) => a.name !== null);
    if (named) return this.error(named.start, `.${name}() takes no named arguments`);
    if (args.length !== sig.params.length) {
      return this.error(at, `.${name}() takes ${sig.params.length} argument${sig.params.length === 1 ? '' : 's'}, not ${args.length}`);
    }
    let failed = false;
    sig.params.forEach((p, i) => {
      if (!isErr(argTypes[i]) && !sameKind(argTypes[i], p)) {
        this.error(args[i].value.start, `.${name}() needs ${typeName(p)}, but this is ${typeName(argTypes[i])}`);
        failed = true;
      }
    });
    return failed ? ERROR : sig.returns;
  }
}

/** Type-check one check (or condition); it must come out true or false. */
export function typecheckCheck(check: CheckExpr, ctx: StaticContext): CheckTypeError[] {
  const checker = new Checker(ctx);
  const t = checker.check(check.expr);
  if (!isBoolLike(t)) {
    checker.error(
      check.expr.start,
      `a check must be true or false, but this is ${typeName(t)}: compare it with something (== != < <= > >=)`,
    );
  }
  return checker.errors;
}
