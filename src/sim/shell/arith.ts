/**
 * Shell arithmetic: `$(( … ))`, `(( … ))` and `let`, as bash evaluates them.
 *
 * Integers are 64-bit and wrap (bash uses intmax_t), so values are BigInts cut to 64 bits
 * after every operation. A variable named in an expression is read as its value evaluated as
 * an expression of its own (`y=2+3; echo $((y*2))` prints 10), empty or unset reads as 0, and
 * assignments (`=`, `+=`, `++`...) write back as decimal strings. A name may be an array element
 * (`a[i+1]`, `m[key]`), which the shell resolves. Numbers are decimal, `0x`
 * hex, `0` octal or `base#digits` (bases 2 to 64).
 *
 * The parser is a precedence climber over bash's operator table (lowest first): comma,
 * assignment, `?:`, `||`, `&&`, `|`, `^`, `&`, `== !=`, `< <= > >=`, `<< >>`, `+ -`,
 * `* / %`, `**` (right-associative), unary `! ~ - +`, `++ --`. `&&`, `||` and `?:` skip the
 * side effects of the branch they do not take, like bash.
 *
 * Errors carry bash's text, `7/0: division by 0 (error token is "0")`: the expression (its
 * leading blanks dropped, its trailing ones kept), what went wrong, and the rest of the
 * expression from the offending token on, trailing blanks and all: bash's lasttp, where the last
 * token it read began (reaching the end is no token).
 */

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export class ArithError extends Error {}

const wrap = (v: bigint) => BigInt.asIntN(64, v);

type Tok = { k: 'num'; v: bigint; at: number } | { k: 'id'; v: string; at: number } | { k: 'op'; v: string; at: number } | { k: 'end'; at: number };

const OPS = ['<<=', '>>=', '**', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=',
  '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '^', '|', '?', ':', ',', '(', ')'];

const ASSIGN = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '^=', '|=']);

/** Binary operators by precedence level, lowest first (below `?:` and assignment). */
const LEVELS: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

/**
 * Depth of variables evaluated inside variables (`loop=loop+1`): bash stops the runaway
 * recursion with an error; our limit is lower than bash's 1024 to stay within a JS stack.
 */
const MAX_NESTING = 100;

export function evalArith(src: string, vars: ArithVars, nesting = 0): bigint {
  if (nesting > MAX_NESTING) throw new ArithError(`${src}: expression recursion level exceeded (error token is "${src}")`);
  return new Evaluator(src, vars, nesting).run();
}

class Evaluator {
  private pos = 0;
  private tok: Tok;
  /** Where the last consumed token started (an operand missing at the end blames it). */
  private prevAt = 0;
  /** Where the last token lexed (not the end) started. */
  private lastTokenAt = 0;
  /** While > 0, evaluate without side effects (the branch `&&`, `||` or `?:` does not take). */
  private skipping = 0;

  constructor(private readonly src: string, private readonly vars: ArithVars, private readonly nesting: number) {
    this.tok = this.lex(null);
  }

  run(): bigint {
    if (this.tok.k === 'end') return 0n;
    const v = this.comma();
    const rest = this.cur();
    if (rest.k !== 'end') this.fail('syntax error in expression', rest.at);
    return v;
  }

  private fail(msg: string, at: number): never {
    // At the end there is no token: bash names the last one read.
    const token = this.src.slice(at >= this.src.length ? this.lastTokenAt : at);
    throw new ArithError(`${this.src.replace(/^[ \t]+/, '')}: ${msg} (error token is "${token}")`);
  }

  /** The next token; `prev`: the one before it (the one being consumed), if any. */
  private lex(prev: Tok | null): Tok {
    const s = this.src;
    while (this.pos < s.length && /\s/.test(s[this.pos])) this.pos++;
    const at = this.pos;
    if (this.pos >= s.length) return { k: 'end', at };
    this.lastTokenAt = at;
    const c = s[this.pos];
    if (/[0-9]/.test(c)) {
      const m = /^[0-9A-Za-z_@#]+/.exec(s.slice(this.pos))!;
      this.pos += m[0].length;
      return { k: 'num', v: this.number(m[0]), at };
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.pos))!;
      this.pos += m[0].length;
      // An array element, `a[i+1]` or `m[key]`: the name with its subscript, to the matching `]`.
      if (s[this.pos] === '[') {
        let depth = 0;
        for (let i = this.pos; i < s.length; i++) {
          if (s[i] === '[') depth++;
          else if (s[i] === ']' && --depth === 0) {
            const v = s.slice(at, i + 1);
            this.pos = i + 1;
            return { k: 'id', v, at };
          }
        }
        // bash keeps the trailing blanks of both texts here.
        throw new ArithError(`${s.trimStart()}: bad array subscript (error token is "${s.slice(at)}")`);
      }
      return { k: 'id', v: m[0], at };
    }
    // `++` and `--` are one operator after a name (x++) or before one (++x); elsewhere two
    // signs (`++5` is 5, `5--` a minus missing its operand), as bash reads them.
    if ((c === '+' || c === '-') && s[this.pos + 1] === c && prev?.k !== 'id' && !/^[ \t\n]*[A-Za-z_]/.test(s.slice(this.pos + 2))) {
      this.pos++;
      return { k: 'op', v: c, at };
    }
    for (const op of OPS) {
      if (s.startsWith(op, this.pos)) {
        this.pos += op.length;
        return { k: 'op', v: op, at };
      }
    }
    this.fail('syntax error: invalid arithmetic operator', at);
  }

  /** A numeric literal: 42, 0x2a, 052, 16#2a, 64#@_ . */
  private number(text: string): bigint {
    // bash converts a number on its own: its errors show the number as the expression and the token.
    const numberError = (msg: string): never => { throw new ArithError(`${text}: ${msg} (error token is "${text}")`); };
    let base = 10;
    let digits = text;
    const hash = text.indexOf('#');
    if (hash >= 0) {
      base = Number(text.slice(0, hash));
      digits = text.slice(hash + 1);
      if (!/^\d+$/.test(text.slice(0, hash)) || base < 2 || base > 64) numberError('invalid arithmetic base');
    } else if (/^0[xX]/.test(text)) {
      base = 16;
      digits = text.slice(2);
    } else if (text.length > 1 && text[0] === '0') {
      base = 8;
      digits = text.slice(1);
    }
    let v = 0n;
    for (const ch of digits) {
      const d = digitValue(ch, base);
      if (d < 0 || d >= base) numberError('value too great for base');
      v = wrap(v * BigInt(base) + BigInt(d));
    }
    return v;
  }

  private next(): Tok {
    const t = this.tok;
    this.prevAt = t.at;
    this.tok = this.lex(t);
    return t;
  }

  /** The current token (a method, so TypeScript does not narrow it across next()). */
  private cur(): Tok { return this.tok; }

  private isOp(...ops: string[]): boolean {
    return this.tok.k === 'op' && ops.includes(this.tok.v);
  }

  private expectOperand(): void {
    if (this.tok.k === 'end' || (this.tok.k === 'op' && !['(', '!', '~', '-', '+', '++', '--'].includes(this.tok.v))) {
      this.fail('syntax error: operand expected', this.tok.k === 'end' ? this.prevAt : this.tok.at);
    }
  }

  private comma(): bigint {
    let v = this.assignment();
    while (this.isOp(',')) {
      this.next();
      v = this.assignment();
    }
    return v;
  }

  private assignment(): bigint {
    if (this.tok.k === 'id') {
      // Look ahead for `name op= …` without consuming anything else.
      const save = { pos: this.pos, tok: this.tok, prevAt: this.prevAt };
      const name = this.tok.v;
      this.next();
      const after = this.cur();
      if (after.k === 'op' && ASSIGN.has(after.v)) {
        const op = this.next() as { v: string; at: number };
        this.expectOperand();
        const rhs = this.assignment();
        const v = op.v === '=' ? rhs : this.binary(op.v.slice(0, -1), this.readVar(name), rhs, op.at);
        this.store(name, v);
        return v;
      }
      this.pos = save.pos;
      this.tok = save.tok;
      this.prevAt = save.prevAt;
      this.lastTokenAt = save.tok.at;
    }
    const v = this.conditional();
    if (this.tok.k === 'op' && ASSIGN.has(this.tok.v)) this.fail('attempted assignment to non-variable', this.tok.at);
    return v;
  }

  private conditional(): bigint {
    const cond = this.level(0);
    if (!this.isOp('?')) return cond;
    this.next();
    if (this.tok.k === 'end' || this.isOp(':')) this.fail('expression expected', this.tok.at);
    if (cond === 0n) this.skipping++;
    this.expectOperand();
    const a = this.comma();
    if (cond === 0n) this.skipping--;
    if (!this.isOp(':')) this.fail("`:' expected for conditional expression", this.tok.at);
    this.next();
    if (this.cur().k === 'end') this.fail('expression expected', this.cur().at);
    if (cond !== 0n) this.skipping++;
    this.expectOperand();
    const b = this.conditional();
    if (cond !== 0n) this.skipping--;
    return cond !== 0n ? a : b;
  }

  private level(i: number): bigint {
    if (i >= LEVELS.length) return this.power();
    let left = this.level(i + 1);
    while (this.tok.k === 'op' && LEVELS[i].includes(this.tok.v)) {
      const op = this.next() as { v: string; at: number };
      this.expectOperand();
      // `a && b` / `a || b` do not evaluate b's side effects when a decides.
      const decided = (op.v === '&&' && left === 0n) || (op.v === '||' && left !== 0n);
      if (decided) this.skipping++;
      const right = this.level(i + 1);
      if (decided) this.skipping--;
      left = this.binary(op.v, left, right, op.at);
    }
    return left;
  }

  private power(): bigint {
    const base = this.unary();
    if (!this.isOp('**')) return base;
    const op = this.next();
    this.expectOperand();
    const exp = this.power();
    return this.binary('**', base, exp, op.at);
  }

  private unary(): bigint {
    if (this.isOp('!', '~', '-', '+')) {
      const op = (this.next() as { v: string }).v;
      this.expectOperand();
      const v = this.unary();
      return op === '!' ? (v === 0n ? 1n : 0n) : op === '~' ? wrap(~v) : op === '-' ? wrap(-v) : v;
    }
    if (this.isOp('++', '--')) {
      const op = this.next() as { v: string; at: number };
      if (this.tok.k !== 'id') this.fail('syntax error: operand expected', this.tok.at);
      const name = (this.next() as { v: string }).v;
      const v = wrap(this.readVar(name) + (op.v === '++' ? 1n : -1n));
      this.store(name, v);
      return v;
    }
    return this.postfix();
  }

  private postfix(): bigint {
    const t = this.tok;
    if (t.k === 'num') { this.next(); return t.v; }
    if (t.k === 'id') {
      this.next();
      const v = this.readVar(t.v);
      if (this.isOp('++', '--')) {
        const op = (this.next() as { v: string }).v;
        this.store(t.v, wrap(v + (op === '++' ? 1n : -1n)));
      }
      return v;
    }
    if (this.isOp('(')) {
      this.next();
      this.expectOperand();
      const v = this.comma();
      if (!this.isOp(')')) this.fail("missing `)'", this.tok.at);
      this.next();
      return v;
    }
    this.fail('syntax error: operand expected', t.at);
  }

  private binary(op: string, a: bigint, b: bigint, at: number): bigint {
    switch (op) {
      case '+': return wrap(a + b);
      case '-': return wrap(a - b);
      case '*': return wrap(a * b);
      case '/':
      case '%':
        if (b === 0n) {
          if (this.skipping > 0) return 0n;
          this.fail('division by 0', this.divisorAt(at));
        }
        // BigInt division truncates toward zero, as C does.
        return wrap(op === '/' ? a / b : a % b);
      case '**':
        // bash blames the exponent's last token.
        if (b < 0n) { if (this.skipping > 0) return 0n; this.fail('exponent less than 0', this.prevAt); }
        return wrap(a ** b);
      case '<<': return wrap(a << (b & 63n));
      case '>>': return wrap(a >> (b & 63n));
      case '<': return a < b ? 1n : 0n;
      case '<=': return a <= b ? 1n : 0n;
      case '>': return a > b ? 1n : 0n;
      case '>=': return a >= b ? 1n : 0n;
      case '==': return a === b ? 1n : 0n;
      case '!=': return a !== b ? 1n : 0n;
      case '&': return wrap(a & b);
      case '^': return wrap(a ^ b);
      case '|': return wrap(a | b);
      case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
      case '||': return a !== 0n || b !== 0n ? 1n : 0n;
    }
    throw new Error(`arith: unknown operator ${op}`);
  }

  /** bash names the divisor as the error token: the text after the operator. */
  private divisorAt(opAt: number): number {
    let i = opAt + 1;
    while (i < this.src.length && /\s/.test(this.src[i])) i++;
    return i;
  }

  private readVar(name: string): bigint {
    const raw = this.vars.get(name);
    if (raw === undefined || raw.trim() === '') return 0n;
    if (/^\s*-?\d+\s*$/.test(raw) && !/^\s*-?0\d/.test(raw)) return wrap(BigInt(raw.trim()));
    return evalArith(raw, this.vars, this.nesting + 1);
  }

  private store(name: string, v: bigint): void {
    if (this.skipping === 0) this.vars.set(name, String(v));
  }
}

/** A digit's value in bash's base#n notation: 0-9, a-z, A-Z, @, _ (case-insensitive up to base 36). */
function digitValue(ch: string, base: number): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (ch >= 'a' && ch <= 'z') return ch.charCodeAt(0) - 97 + 10;
  if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 65 + (base <= 36 ? 10 : 36);
  if (ch === '@') return 62;
  if (ch === '_') return 63;
  return -1;
}
