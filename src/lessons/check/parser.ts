/**
 * Recursive-descent parser of the check language. Grammar, loosest binding first:
 *
 *   block    := check (NEWLINE check)*
 *   check    := ['still'] expr
 *   expr     := and ('or' and)*
 *   and      := not ('and' not)*
 *   not      := 'not' not | compare
 *   compare  := sum [('==' | '!=' | '<' | '<=' | '>' | '>=') sum]      -- no chains
 *   sum      := product (('+' | '-') product)*
 *   product  := unary (('*' | '/') unary)*
 *   unary    := '-' unary | postfix
 *   postfix  := primary ('.' NAME ['(' args ')'])*
 *   primary  := NUMBER | STRING | 'true' | 'false' | NAME '(' args ')' | '(' expr ')'
 *   args     := [arg (',' arg)*]
 *   arg      := [NAME '='] expr
 *
 * A syntax error stops the current check; parsing resumes at the next line, so one bad line
 * does not hide the errors of the others.
 */
import type { Arg, BinaryOp, CheckExpr, Expr } from './ast';
import { tokenize, type Token } from './tokenizer';

export interface SyntaxError {
  start: number;
  message: string;
}

export interface ParsedBlock {
  checks: CheckExpr[];
  errors: SyntaxError[];
}

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'still']);
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Bail extends Error {}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the check';
  if (t.kind === 'newline') return 'the end of the line';
  return `"${t.text}"`;
}

class Parser {
  pos = 0;
  errors: SyntaxError[] = [];

  constructor(readonly text: string, readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.pos];
  }

  next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }

  isName(text: string): boolean {
    const t = this.peek();
    return t.kind === 'name' && t.text === text;
  }

  fail(start: number, message: string): never {
    this.errors.push({ start, message });
    throw new Bail();
  }

  expectOp(text: string, what: string): Token {
    if (!this.isOp(text)) this.fail(this.peek().start, `expected "${text}" ${what}, found ${describe(this.peek())}`);
    return this.next();
  }

  atCheckEnd(): boolean {
    const k = this.peek().kind;
    return k === 'newline' || k === 'eof';
  }

  block(): CheckExpr[] {
    const checks: CheckExpr[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'newline') {
        this.next();
        continue;
      }
      try {
        checks.push(this.check());
      } catch (e) {
        if (!(e instanceof Bail)) throw e;
        while (!this.atCheckEnd()) this.next();
      }
    }
    return checks;
  }

  check(): CheckExpr {
    const start = this.peek().start;
    let still = false;
    if (this.isName('still')) {
      still = true;
      this.next();
    }
    const expr = this.expr();
    if (!this.atCheckEnd()) {
      const t = this.peek();
      if (t.kind === 'op' && t.text === '=') this.fail(t.start, 'use "==" to compare ("=" only names an argument)');
      if (t.kind === 'op' && COMPARISONS.has(t.text)) {
        this.fail(t.start, 'comparisons cannot be chained: write "a < b and b < c"');
      }
      this.fail(t.start, `unexpected ${describe(t)} after the end of the check`);
    }
    return { text: this.text, expr, still, start, end: expr.end };
  }

  expr(): Expr {
    let left = this.and();
    while (this.isName('or')) {
      const op = this.next();
      const right = this.and();
      left = { type: 'binary', op: 'or', opStart: op.start, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  and(): Expr {
    let left = this.not();
    while (this.isName('and')) {
      const op = this.next();
      const right = this.not();
      left = { type: 'binary', op: 'and', opStart: op.start, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  not(): Expr {
    if (this.isName('not')) {
      const op = this.next();
      const operand = this.not();
      return { type: 'unary', op: 'not', operand, start: op.start, end: operand.end };
    }
    return this.compare();
  }

  compare(): Expr {
    const left = this.sum();
    const t = this.peek();
    if (t.kind === 'op' && COMPARISONS.has(t.text)) {
      this.next();
      const right = this.sum();
      const after = this.peek();
      if (after.kind === 'op' && COMPARISONS.has(after.text)) {
        this.fail(after.start, 'comparisons cannot be chained: write "a < b and b < c"');
      }
      return { type: 'binary', op: t.text as BinaryOp, opStart: t.start, left, right, start: left.start, end: right.end };
    }
    if (t.kind === 'op' && t.text === '=') this.fail(t.start, 'use "==" to compare ("=" only names an argument)');
    return left;
  }

  sum(): Expr {
    let left = this.product();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next();
      const right = this.product();
      left = { type: 'binary', op: op.text as BinaryOp, opStart: op.start, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  product(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next();
      const right = this.unary();
      left = { type: 'binary', op: op.text as BinaryOp, opStart: op.start, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  unary(): Expr {
    if (this.isOp('-')) {
      const op = this.next();
      const operand = this.unary();
      return { type: 'unary', op: '-', operand, start: op.start, end: operand.end };
    }
    return this.postfix();
  }

  postfix(): Expr {
    let target = this.primary();
    while (this.isOp('.')) {
      this.next();
      const name = this.peek();
      if (name.kind !== 'name') this.fail(name.start, `expected a field name after ".", found ${describe(name)}`);
      this.next();
      if (this.isOp('(')) {
        this.next();
        const args = this.args();
        const close = this.expectOp(')', `to close the arguments of ${name.text}(`);
        target = { type: 'method', target, name: name.text, nameStart: name.start, args, start: target.start, end: close.end };
      } else {
        target = { type: 'member', target, name: name.text, nameStart: name.start, start: target.start, end: name.end };
      }
    }
    return target;
  }

  primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.next();
        return { type: 'number', value: t.value as number, unit: t.unit ?? null, start: t.start, end: t.end };
      case 'string':
        this.next();
        return { type: 'string', value: t.value as string, start: t.start, end: t.end };
      case 'name': {
        if (t.text === 'true' || t.text === 'false') {
          this.next();
          return { type: 'bool', value: t.text === 'true', start: t.start, end: t.end };
        }
        if (KEYWORDS.has(t.text)) this.fail(t.start, `expected an expression, found the keyword "${t.text}"`);
        this.next();
        if (!this.isOp('(')) {
          this.fail(
            t.start,
            `"${t.text}" is not a function call or a value: call a function like ${t.text}(...), or quote text as "${t.text}"`,
          );
        }
        this.next();
        const args = this.args();
        const close = this.expectOp(')', `to close the arguments of ${t.text}(`);
        return { type: 'call', name: t.text, nameEnd: t.end, args, start: t.start, end: close.end };
      }
      case 'op':
        if (t.text === '(') {
          this.next();
          const inner = this.expr();
          const close = this.expectOp(')', 'to close "("');
          return { ...inner, start: t.start, end: close.end };
        }
        break;
      default:
        break;
    }
    return this.fail(t.start, `expected an expression, found ${describe(t)}`);
  }

  args(): Arg[] {
    const args: Arg[] = [];
    if (this.isOp(')')) return args;
    for (;;) {
      const t = this.peek();
      const after = this.tokens[this.pos + 1];
      if (t.kind === 'name' && after?.kind === 'op' && after.text === '=') {
        this.next();
        this.next();
        args.push({ name: t.text, start: t.start, value: this.expr() });
      } else {
        if (args.some((a) => a.name !== null)) this.fail(t.start, 'positional arguments must come before named ones');
        args.push({ name: null, start: t.start, value: this.expr() });
      }
      if (!this.isOp(',')) break;
      this.next();
    }
    return args;
  }
}

/** Parse a check block: one check per line (see the tokenizer for line continuation). */
export function parseCheckBlock(text: string): ParsedBlock {
  const { tokens, errors } = tokenize(text);
  const parser = new Parser(text, tokens);
  const checks = parser.block();
  const all = [...errors.map((e) => ({ start: e.start, message: e.message })), ...parser.errors];
  all.sort((a, b) => a.start - b.start);
  // A tokenizer error usually causes a parse error at the same spot: keep the first per spot.
  const unique = all.filter((e, i) => i === 0 || all[i - 1].start !== e.start);
  return { checks, errors: unique };
}

/** Parse a single expression (a `wait until` or `when:` condition); `still` is not allowed. */
export function parseSingleCheck(text: string): { check: CheckExpr | null; errors: SyntaxError[] } {
  const { checks, errors } = parseCheckBlock(text);
  if (errors.length) return { check: null, errors };
  if (checks.length !== 1) {
    const second = checks[1];
    return {
      check: null,
      errors: [{ start: second ? second.start : 0, message: checks.length ? 'expected a single condition' : 'expected a condition' }],
    };
  }
  if (checks[0].still) return { check: null, errors: [{ start: checks[0].start, message: '"still" is only allowed in check blocks' }] };
  return { check: checks[0], errors };
}
