/**
 * awk's grammar by recursive descent, one function per precedence level (lowest first):
 * assignment, ?:, ||, &&, in, ~ !~, comparisons, concatenation, + -, * / %, unary ! - +, ^,
 * ++ --, $, grouping. Newlines end statements, except after `{`, `&&`, `||`, `,`, `do`, `else`
 * and the `)` of `if`/`while`/`for`. Syntax errors carry mawk's words: "syntax error at or near
 * X", or "missing ) near X" / "missing } near end of file" when a bracket is left open.
 */
import type { Expr, FuncDef, LValue, Pattern, Program, Redirect, Rule, Stmt } from './ast';
import { AwkSyntaxError, tokenize, type Token } from './lexer';

/** Arity of each built-in function: [fewest, most] arguments. */
const ARITY: Record<string, [number, number]> = {
  length: [0, 1], substr: [2, 3], index: [2, 2], split: [2, 3], sub: [2, 3], gsub: [2, 3], match: [2, 2],
  sprintf: [1, 255], toupper: [1, 1], tolower: [1, 1], int: [1, 1], sqrt: [1, 1], exp: [1, 1], log: [1, 1], sin: [1, 1],
  cos: [1, 1], atan2: [2, 2], rand: [0, 0], srand: [0, 1], system: [1, 1], close: [1, 1], fflush: [0, 1],
};

/** Tokens that can start an operand of a concatenation (never `-` or `+`: `a -1` subtracts). */
function startsConcatOperand(t: Token): boolean {
  if (t.kind === 'number' || t.kind === 'string' || t.kind === 'ere' || t.kind === 'name' || t.kind === 'funcname' || t.kind === 'builtin') return true;
  if (t.kind === 'op') return t.text === '$' || t.text === '(' || t.text === '!' || t.text === '++' || t.text === '--';
  return false;
}

type Ctx = { inFunc: string[] | null; inLoop: number; inBeginEnd: boolean };

export function parseProgram(src: string): Program {
  return new Parser(tokenize(src)).program();
}

class Parser {
  private pos = 0;
  private ctx: Ctx = { inFunc: null, inLoop: 0, inBeginEnd: false };
  private funcs = new Map<string, FuncDef>();
  private calls: { name: string; line: number }[] = [];

  constructor(private readonly toks: Token[]) {}

  private get tok(): Token { return this.toks[this.pos]; }
  private peek(n = 1): Token { return this.toks[Math.min(this.pos + n, this.toks.length - 1)]; }
  private is(text: string): boolean { const t = this.tok; return (t.kind === 'op' || t.kind === 'keyword') && t.text === text; }
  private next(): Token { const t = this.tok; if (t.kind !== 'eof') this.pos++; return t; }

  /** The error at the current token, worded as mawk words it. */
  private fail(): never {
    const t = this.tok;
    let parens = 0;
    let braces = 0;
    for (let i = 0; i < this.pos; i++) {
      const u = this.toks[i];
      if (u.kind !== 'op') continue;
      if (u.text === '(') parens++;
      else if (u.text === ')') parens--;
      else if (u.text === '{') braces++;
      else if (u.text === '}') braces--;
    }
    const closing = t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'op' && t.text === '}');
    const line = t.line;
    if (parens > 0 && closing) {
      // At the program's final newline mawk goes on to the end of the text, and a block left open is a second error.
      const eof = this.toks[this.toks.length - 1];
      const atEnd = this.pos === this.toks.length - 2;
      const more = atEnd && braces > 0 ? [{ line: eof.line, message: 'missing } near end of file' }] : [];
      throw new AwkSyntaxError(line, `missing ) near ${t.source}`, more);
    }
    if (braces > 0 && t.kind === 'eof') throw new AwkSyntaxError(line, 'missing } near end of file');
    throw new AwkSyntaxError(line, `syntax error at or near ${t.source}`);
  }

  private expect(text: string): Token {
    if (!this.is(text)) this.fail();
    return this.next();
  }

  private skipNewlines(): void { while (this.tok.kind === 'newline') this.next(); }
  private skipTerminators(): void { while (this.tok.kind === 'newline' || this.is(';')) this.next(); }

  program(): Program {
    const rules: Rule[] = [];
    this.skipTerminators();
    while (this.tok.kind !== 'eof') {
      if (this.is('}')) {
        throw new AwkSyntaxError(this.tok.line, "extra '}'", [{ line: this.tok.line, message: 'syntax error at or near end of line' }]);
      }
      if (this.is('function')) this.funcDef();
      else rules.push(this.rule());
      this.skipTerminators();
    }
    for (const c of this.calls) {
      if (!this.funcs.has(c.name)) throw new AwkSyntaxError(this.toks[this.toks.length - 1].line, `function ${c.name} never defined`);
    }
    return { rules, funcs: this.funcs };
  }

  private funcDef(): void {
    this.next();
    const nameTok = this.next();
    if (nameTok.kind !== 'funcname' && nameTok.kind !== 'name') { this.pos--; this.fail(); }
    this.expect('(');
    const params: string[] = [];
    while (!this.is(')')) {
      if (this.tok.kind !== 'name') this.fail();
      const p = this.next().text;
      if (params.includes(p)) throw new AwkSyntaxError(this.tok.line, `${p} is duplicated in argument list`);
      params.push(p);
      if (this.is(',')) { this.next(); this.skipNewlines(); } else if (!this.is(')')) this.fail();
    }
    this.next();
    this.skipNewlines();
    const def: FuncDef = { name: nameTok.text, params, body: [] };
    this.funcs.set(def.name, def);
    this.ctx = { inFunc: params, inLoop: 0, inBeginEnd: false };
    def.body = this.block();
    this.ctx = { inFunc: null, inLoop: 0, inBeginEnd: false };
  }

  private rule(): Rule {
    let pattern: Pattern;
    if (this.is('BEGIN') || this.is('END')) {
      pattern = { type: this.next().text === 'BEGIN' ? 'begin' : 'end' };
      if (!this.is('{')) this.fail();
      this.ctx.inBeginEnd = true;
      const action = this.block();
      this.ctx.inBeginEnd = false;
      return { pattern, action };
    }
    if (this.is('{')) pattern = { type: 'all' };
    else {
      const from = this.expr(false);
      if (this.is(',')) {
        this.next();
        this.skipNewlines();
        pattern = { type: 'range', from, to: this.expr(false) };
      } else pattern = { type: 'expr', expr: from };
    }
    if (this.is('{')) return { pattern, action: this.block() };
    if (this.tok.kind !== 'newline' && this.tok.kind !== 'eof' && !this.is(';')) this.fail();
    return { pattern, action: null };
  }

  /** `{ statements }` */
  private block(): Stmt[] {
    this.expect('{');
    const body: Stmt[] = [];
    this.skipTerminators();
    while (!this.is('}')) {
      if (this.tok.kind === 'eof') this.fail();
      body.push(this.stmt());
      this.skipTerminators();
    }
    this.next();
    return body;
  }

  /** The end of a simple statement: `;`, a newline, or (left in place) `}`. */
  private endSimple(): void {
    if (this.is(';') || this.tok.kind === 'newline') { this.next(); return; }
    if (this.is('}') || this.tok.kind === 'eof') return;
    this.fail();
  }

  private loopBody(): Stmt {
    this.skipNewlines();
    this.ctx.inLoop++;
    const body = this.stmt();
    this.ctx.inLoop--;
    return body;
  }

  private stmt(): Stmt {
    const t = this.tok;
    if (this.is('{')) return { type: 'block', body: this.block() };
    if (this.is(';')) { this.next(); return { type: 'block', body: [] }; }
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'if': {
          this.next();
          this.expect('(');
          const test = this.expr(false);
          this.expect(')');
          this.skipNewlines();
          const then = this.is('}') ? { type: 'block' as const, body: [] } : this.stmt();
          // `else` may follow the statement's terminator and newlines.
          const save = this.pos;
          this.skipTerminators();
          if (this.is('else')) {
            this.next();
            this.skipNewlines();
            return { type: 'if', test, then, else: this.stmt() };
          }
          this.pos = save;
          return { type: 'if', test, then, else: null };
        }
        case 'while': {
          this.next();
          this.expect('(');
          const test = this.expr(false);
          this.expect(')');
          if (this.is(';')) { this.next(); return { type: 'while', test, body: { type: 'block', body: [] } }; }
          return { type: 'while', test, body: this.loopBody() };
        }
        case 'do': {
          this.next();
          const body = this.loopBody();
          this.skipTerminators();
          this.expect('while');
          this.expect('(');
          const test = this.expr(false);
          this.expect(')');
          this.endSimple();
          return { type: 'do', body, test };
        }
        case 'for': return this.forStmt();
        case 'break': case 'continue':
          this.next();
          if (this.ctx.inLoop === 0) throw new AwkSyntaxError(t.line, `${t.text} statement outside of loop`);
          this.endSimple();
          return { type: t.text };
        case 'next': case 'nextfile':
          this.next();
          if (this.ctx.inBeginEnd) throw new AwkSyntaxError(t.line, `improper use of ${t.text}`);
          this.endSimple();
          return { type: t.text };
        case 'exit': {
          this.next();
          const code = this.atSimpleEnd() ? null : this.expr(false);
          this.endSimple();
          return { type: 'exit', code };
        }
        case 'return': {
          this.next();
          if (!this.ctx.inFunc) throw new AwkSyntaxError(t.line, 'return outside function body');
          const value = this.atSimpleEnd() ? null : this.expr(false);
          this.endSimple();
          return { type: 'return', value };
        }
        case 'delete': {
          this.next();
          if (this.tok.kind !== 'name') this.fail();
          const name = this.next().text;
          let subs: Expr[] | null = null;
          if (this.is('[')) { this.next(); subs = this.exprList(']'); }
          this.endSimple();
          return { type: 'delete', name, subs };
        }
        case 'print': case 'printf': return this.printStmt();
      }
    }
    const expr = this.expr(false);
    this.endSimple();
    return { type: 'expr', expr };
  }

  private atSimpleEnd(): boolean {
    return this.is(';') || this.is('}') || this.tok.kind === 'newline' || this.tok.kind === 'eof';
  }

  private forStmt(): Stmt {
    this.next();
    this.expect('(');
    if (this.tok.kind === 'name' && this.peek().kind === 'keyword' && this.peek().text === 'in' && this.peek(2).kind === 'name' && this.peek(3).text === ')') {
      const key: LValue = { type: 'var', name: this.next().text };
      this.next();
      const array = this.next().text;
      this.next();
      return { type: 'forin', key, array, body: this.loopBody() };
    }
    const init = this.is(';') ? null : this.expr(false);
    this.expect(';');
    this.skipNewlines();
    const test = this.is(';') ? null : this.expr(false);
    this.expect(';');
    this.skipNewlines();
    const step = this.is(')') ? null : this.expr(false);
    this.expect(')');
    if (this.is(';')) { this.next(); return { type: 'for', init, test, step, body: { type: 'block', body: [] } }; }
    return { type: 'for', init, test, step, body: this.loopBody() };
  }

  private printStmt(): Stmt {
    const kind = this.next().text as 'print' | 'printf';
    let args: Expr[] = [];
    if (this.is('(') && this.groupedPrintArgs()) {
      this.next();
      args = this.exprList(')');
    } else if (!this.atSimpleEnd() && !this.is('>') && !this.is('>>') && !this.is('|')) {
      args.push(this.expr(true));
      while (this.is(',')) { this.next(); this.skipNewlines(); args.push(this.expr(true)); }
    }
    if (kind === 'printf' && args.length === 0) this.fail();
    let redirect: Redirect | null = null;
    if (this.is('>') || this.is('>>')) {
      const mode = this.next().text as '>' | '>>';
      // The target is a whole expression: `print 1 > 2 ? "a" : "b"` writes to the file "a".
      redirect = { mode, file: this.ternary(true) };
    } else if (this.is('|')) {
      throw new AwkSyntaxError(this.tok.line, 'output to a command (print | "cmd") is not supported in this simulation');
    }
    this.endSimple();
    return { type: kind, args, redirect };
  }

  /** Whether `print (…)` is a parenthesized argument list: its `)` ends the statement or redirects. */
  private groupedPrintArgs(): boolean {
    let depth = 0;
    for (let i = this.pos; i < this.toks.length; i++) {
      const t = this.toks[i];
      if (t.kind === 'eof') return false;
      if (t.kind !== 'op') continue;
      if (t.text === '(') depth++;
      else if (t.text === ')' && --depth === 0) {
        const after = this.toks[i + 1];
        return after.kind === 'newline' || after.kind === 'eof' || (after.kind === 'op' && [';', '}', '>', '>>', '|'].includes(after.text));
      }
    }
    return false;
  }

  /** Expressions separated by commas (a newline may follow a comma) up to `close`, which is consumed. */
  private exprList(close: string): Expr[] {
    const list: Expr[] = [];
    if (this.is(close)) { this.next(); return list; }
    for (;;) {
      list.push(this.expr(false));
      if (this.is(',')) { this.next(); this.skipNewlines(); continue; }
      this.expect(close);
      return list;
    }
  }

  // ---- expressions, lowest precedence first ----------------------------------------------

  /** `noGt`: a bare `>` is print's redirection, not a comparison. */
  expr(noGt: boolean): Expr {
    const left = this.ternary(noGt);
    const t = this.tok;
    if (t.kind === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '^='].includes(t.text)) {
      if (!isLValue(left)) this.fail();
      this.next();
      this.skipNewlines();
      return { type: 'assign', op: t.text, target: left, value: this.expr(noGt) };
    }
    return left;
  }

  private ternary(noGt: boolean): Expr {
    const test = this.or(noGt);
    if (!this.is('?')) return test;
    this.next();
    this.skipNewlines();
    const yes = this.expr(noGt);
    this.skipNewlines();
    this.expect(':');
    this.skipNewlines();
    return { type: 'cond', test, yes, no: this.expr(noGt) };
  }

  private or(noGt: boolean): Expr {
    let left = this.and(noGt);
    while (this.is('||')) { this.next(); this.skipNewlines(); left = { type: 'or', left, right: this.and(noGt) }; }
    return left;
  }

  private and(noGt: boolean): Expr {
    let left = this.inExpr(noGt);
    while (this.is('&&')) { this.next(); this.skipNewlines(); left = { type: 'and', left, right: this.inExpr(noGt) }; }
    return left;
  }

  private inExpr(noGt: boolean): Expr {
    let left = this.matchExpr(noGt);
    while (this.is('in')) {
      this.next();
      if (this.tok.kind !== 'name') this.fail();
      left = { type: 'in', subs: [left], name: this.next().text };
    }
    return left;
  }

  private matchExpr(noGt: boolean): Expr {
    let left = this.comparison(noGt);
    while (this.is('~') || this.is('!~')) {
      const negate = this.next().text === '!~';
      left = { type: 'match', negate, left, re: this.comparison(noGt) };
    }
    return left;
  }

  private comparison(noGt: boolean): Expr {
    let left = this.concat();
    for (;;) {
      const t = this.tok;
      if (t.kind !== 'op') return left;
      if (t.text === '|' && this.peek().kind === 'keyword' && this.peek().text === 'getline') {
        throw new AwkSyntaxError(t.line, 'input from a command ("cmd" | getline) is not supported in this simulation');
      }
      if (!['<', '<=', '==', '!=', '>=', '>'].includes(t.text) || (noGt && t.text === '>')) return left;
      this.next();
      left = { type: 'binary', op: t.text, left, right: this.concat() };
    }
  }

  private concat(): Expr {
    let left = this.additive();
    while (startsConcatOperand(this.tok)) left = { type: 'concat', left, right: this.additive() };
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.is('+') || this.is('-')) {
      const op = this.next().text;
      left = { type: 'binary', op, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.is('*') || this.is('/') || this.is('%')) {
      const op = this.next().text;
      left = { type: 'binary', op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    if (this.is('!') || this.is('-') || this.is('+')) {
      const op = this.next().text as '!' | '-' | '+';
      return { type: 'unary', op, arg: this.unary() };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.postfix();
    if (!this.is('^')) return base;
    this.next();
    // Right-associative, and the exponent may carry its own sign: 2^-1, 2^3^2.
    return { type: 'binary', op: '^', left: base, right: this.powerOperand() };
  }

  private powerOperand(): Expr {
    if (this.is('-') || this.is('+') || this.is('!')) {
      const op = this.next().text as '!' | '-' | '+';
      return { type: 'unary', op, arg: this.powerOperand() };
    }
    return this.power();
  }

  private postfix(): Expr {
    const e = this.primary();
    if (isLValue(e) && (this.is('++') || this.is('--'))) {
      return { type: 'incdec', op: this.next().text as '++' | '--', prefix: false, target: e };
    }
    return e;
  }

  private lvalue(): LValue {
    const e = this.is('$') ? this.primary() : this.tok.kind === 'name' ? this.primary() : this.fail();
    if (!isLValue(e)) this.fail();
    return e;
  }

  private primary(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'number': this.next(); return { type: 'num', value: t.num! };
      case 'string': this.next(); return { type: 'str', value: t.text };
      case 'ere': this.next(); return { type: 'regex', source: t.text };
      case 'name': {
        this.next();
        if (this.is('[')) { this.next(); return { type: 'index', name: t.text, subs: this.exprList(']') }; }
        return { type: 'var', name: t.text };
      }
      case 'funcname': {
        this.next();
        this.expect('(');
        const args = this.exprList(')');
        this.calls.push({ name: t.text, line: t.line });
        return { type: 'call', name: t.text, args, line: t.line };
      }
      case 'builtin': return this.builtin();
      case 'keyword':
        if (t.text === 'getline') return this.getline();
        return this.fail();
      case 'op':
        switch (t.text) {
          case '$': {
            this.next();
            // `$NF-1` is ($NF)-1 and `$i++` is ($i)++, but `$++i` and `$-1` take the operator along.
            if (this.is('++') || this.is('--')) {
              const op = this.next().text as '++' | '--';
              return { type: 'field', index: { type: 'incdec', op, prefix: true, target: this.lvalue() } };
            }
            if (this.is('-') || this.is('+') || this.is('!')) {
              const op = this.next().text as '!' | '-' | '+';
              return { type: 'field', index: { type: 'unary', op, arg: this.primary() } };
            }
            return { type: 'field', index: this.primary() };
          }
          case '(': {
            this.next();
            const list = this.exprList(')');
            if (list.length === 0) { this.pos--; this.fail(); }
            if (list.length > 1) {
              if (!this.is('in')) this.fail();
              this.next();
              if (this.tok.kind !== 'name') this.fail();
              return { type: 'in', subs: list, name: this.next().text };
            }
            return { type: 'group', expr: list[0] };
          }
          case '++': case '--': {
            this.next();
            return { type: 'incdec', op: t.text, prefix: true, target: this.lvalue() };
          }
          case '-': case '+': case '!': {
            this.next();
            return { type: 'unary', op: t.text, arg: this.unary() };
          }
        }
    }
    return this.fail();
  }

  private getline(): Expr {
    this.next();
    let target: LValue | null = null;
    if (this.is('$') || this.tok.kind === 'name') target = this.lvalue();
    let file: Expr | null = null;
    if (this.is('<')) { this.next(); file = this.primary(); }
    return { type: 'getline', target, file };
  }

  private builtin(): Expr {
    const t = this.next();
    const name = t.text;
    if (name === 'length' && !this.is('(')) return { type: 'builtin', name, args: [] };
    this.expect('(');
    let args: Expr[];
    if (name === 'split') {
      // split's second argument is an array's name, nothing else.
      const s = this.expr(false);
      this.expect(',');
      this.skipNewlines();
      if (this.tok.kind !== 'name') this.fail();
      const arr: Expr = { type: 'var', name: this.next().text };
      args = [s, arr];
      if (this.is(',')) { this.next(); this.skipNewlines(); args.push(this.expr(false)); }
      this.expect(')');
    } else args = this.exprList(')');
    const [lo, hi] = ARITY[name];
    if (args.length < lo || args.length > hi) throw new AwkSyntaxError(t.line, `wrong number of arguments in call to ${name}`);
    if ((name === 'sub' || name === 'gsub') && args.length === 3 && !isLValue(args[2])) this.failAt(t);
    return { type: 'builtin', name, args };
  }

  private failAt(t: Token): never {
    throw new AwkSyntaxError(t.line, `syntax error at or near ${t.source}`);
  }
}

function isLValue(e: Expr): e is LValue {
  return e.type === 'var' || e.type === 'index' || e.type === 'field';
}
