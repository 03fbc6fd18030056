/**
 * A Lua 5.1 syntax checker that follows llex.c and lparser.c step by step, for one purpose:
 * syntax errors worded, placed and "near"-ed exactly as Lua 5.1 words them (luaparse, which
 * builds our AST, words many of them differently). It builds nothing; checkSyntax returns the
 * message Lua would raise ("user_script:1: '=' expected near 'x'") or undefined.
 */

const RESERVED = new Set([
  'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'if', 'in', 'local',
  'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while',
]);

// Token kinds: reserved words and multi-char symbols are their own text; single chars are the
// char; and these:
const NAME = '<name>';
const STRING = '<string>';
const NUMBER = '<number>';
const EOS = '<eof>';

interface Token { t: string; raw: string }

class SyntaxFailure {
  constructor(readonly message: string) {}
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isAlpha = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isAlnum = (c: string) => isAlpha(c) || isDigit(c);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\v' || c === '\f';
const isNewline = (c: string) => c === '\n' || c === '\r';

class Lexer {
  pos = 0;
  line = 1;
  lastline = 1;
  cur: Token = { t: EOS, raw: '' };
  ahead: Token | undefined = undefined;

  constructor(readonly src: string, readonly chunk: string) {}

  private ch(off = 0): string {
    return this.pos + off < this.src.length ? this.src[this.pos + off] : '';
  }

  /** luaX_lexerror */
  error(msg: string, tok: Token | undefined): never {
    let m = `${this.chunk}:${this.line}: ${msg}`;
    if (tok) m += ` near '${txtToken(tok)}'`;
    throw new SyntaxFailure(m);
  }

  syntaxError(msg: string): never {
    return this.error(msg, this.cur);
  }

  next(): void {
    this.lastline = this.line;
    if (this.ahead !== undefined) {
      this.cur = this.ahead;
      this.ahead = undefined;
    } else {
      this.cur = this.llex();
    }
  }

  lookahead(): Token {
    this.ahead = this.llex();
    return this.ahead;
  }

  private incLine(): void {
    const old = this.ch();
    this.pos++;
    if (isNewline(this.ch()) && this.ch() !== old) this.pos++;
    this.line++;
  }

  private llex(): Token {
    for (;;) {
      const c = this.ch();
      if (c === '') return { t: EOS, raw: '' };
      if (isNewline(c)) {
        this.incLine();
        continue;
      }
      if (isSpace(c)) {
        this.pos++;
        continue;
      }
      switch (c) {
        case '-': {
          if (this.ch(1) !== '-') {
            this.pos++;
            return { t: '-', raw: '-' };
          }
          this.pos += 2;
          if (this.ch() === '[') {
            const sep = this.skipSep();
            if (sep >= 0) {
              this.readLongString(sep, true);
              continue;
            }
          }
          while (this.ch() !== '' && !isNewline(this.ch())) this.pos++;
          continue;
        }
        case '[': {
          const start = this.pos;
          const sep = this.skipSep();
          if (sep >= 0) {
            const raw = this.readLongString(sep, false);
            return { t: STRING, raw };
          }
          if (sep === -1) return { t: '[', raw: '[' };
          this.error('invalid long string delimiter', { t: STRING, raw: this.src.slice(start, this.pos) });
          break;
        }
        case '=':
          this.pos++;
          if (this.ch() !== '=') return { t: '=', raw: '=' };
          this.pos++;
          return { t: '==', raw: '==' };
        case '<':
          this.pos++;
          if (this.ch() !== '=') return { t: '<', raw: '<' };
          this.pos++;
          return { t: '<=', raw: '<=' };
        case '>':
          this.pos++;
          if (this.ch() !== '=') return { t: '>', raw: '>' };
          this.pos++;
          return { t: '>=', raw: '>=' };
        case '~':
          this.pos++;
          if (this.ch() !== '=') return { t: '~', raw: '~' };
          this.pos++;
          return { t: '~=', raw: '~=' };
        case '"':
        case "'":
          return this.readString(c);
        case '.':
          this.pos++;
          if (this.ch() === '.') {
            this.pos++;
            if (this.ch() === '.') {
              this.pos++;
              return { t: '...', raw: '...' };
            }
            return { t: '..', raw: '..' };
          }
          if (!isDigit(this.ch())) return { t: '.', raw: '.' };
          this.pos--;
          return this.readNumeral();
        default:
          if (isDigit(c)) return this.readNumeral();
          if (isAlpha(c)) {
            const start = this.pos;
            while (isAlnum(this.ch())) this.pos++;
            const w = this.src.slice(start, this.pos);
            return RESERVED.has(w) ? { t: w, raw: w } : { t: NAME, raw: w };
          }
          this.pos++;
          return { t: c, raw: c };
      }
    }
  }

  /** skip_sep: at '[' or ']'; returns the count of '=' if a bracket follows, else -count-1. */
  private skipSep(): number {
    const s = this.ch();
    let count = 0;
    this.pos++;
    while (this.ch() === '=') {
      this.pos++;
      count++;
    }
    return this.ch() === s ? count : -count - 1;
  }

  private readLongString(sep: number, comment: boolean): string {
    const start = this.pos - sep - 1;
    this.pos++; // second '['
    if (isNewline(this.ch())) this.incLine();
    for (;;) {
      const c = this.ch();
      if (c === '') this.error(comment ? 'unfinished long comment' : 'unfinished long string', { t: EOS, raw: '' });
      // Redis's Lua is built without LUA_COMPAT_LSTR's nesting check: '[[' inside is text.
      if (c === ']') {
        if (this.skipSep() === sep) {
          this.pos++;
          return this.src.slice(start, this.pos);
        }
        continue;
      }
      if (isNewline(c)) {
        this.incLine();
        continue;
      }
      this.pos++;
    }
  }

  private readString(del: string): Token {
    let raw = del;
    this.pos++;
    for (;;) {
      const c = this.ch();
      if (c === del) break;
      if (c === '') this.error('unfinished string', { t: EOS, raw: '' });
      if (isNewline(c)) this.error('unfinished string', { t: STRING, raw });
      if (c === '\\') {
        this.pos++;
        const e = this.ch();
        const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
        if (e in simple) {
          raw += simple[e];
          this.pos++;
        } else if (isNewline(e)) {
          raw += '\n';
          this.incLine();
        } else if (e === '') {
          continue; // will raise at EOS
        } else if (isDigit(e)) {
          let n = 0;
          let i = 0;
          do {
            n = n * 10 + (this.ch().charCodeAt(0) - 48);
            this.pos++;
          } while (++i < 3 && isDigit(this.ch()));
          if (n > 255) this.error('escape sequence too large', { t: STRING, raw });
          raw += String.fromCharCode(n);
        } else {
          raw += e;
          this.pos++;
        }
        continue;
      }
      raw += c;
      this.pos++;
    }
    this.pos++;
    return { t: STRING, raw: raw + del };
  }

  private readNumeral(): Token {
    const start = this.pos;
    do this.pos++; while (isDigit(this.ch()) || this.ch() === '.');
    if (this.ch() === 'e' || this.ch() === 'E') {
      this.pos++;
      if (this.ch() === '+' || this.ch() === '-') this.pos++;
    }
    while (isAlnum(this.ch())) this.pos++;
    const raw = this.src.slice(start, this.pos);
    if (!validNumber(raw)) this.error('malformed number', { t: NUMBER, raw });
    return { t: NUMBER, raw };
  }
}

function validNumber(s: string): boolean {
  if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return true;
  return /^0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?\d+)?$/.test(s);
}

function txtToken(tok: Token): string {
  if (tok.t === NAME || tok.t === STRING || tok.t === NUMBER) return tok.raw;
  return token2str(tok.t);
}

function token2str(t: string): string {
  if (t.length === 1) {
    const code = t.charCodeAt(0);
    if (code < 32 || code === 127) return `char(${code})`;
  }
  return t;
}

const BLOCK_FOLLOW = new Set(['else', 'elseif', 'end', 'until', EOS]);
const UNARY = new Set(['not', '-', '#']);
const BINARY = new Set(['+', '-', '*', '/', '%', '^', '..', '==', '~=', '<', '<=', '>', '>=', 'and', 'or']);

class Parser {
  /** Per function: whether it is vararg. */
  private varargs: boolean[] = [true];
  private loops: number[] = [0];
  /** Per function: active locals (Lua allows 200) and the line it was defined on (0: main). */
  private fns: { nactvar: number; line: number }[] = [{ nactvar: 0, line: 0 }];

  private get fn(): { nactvar: number; line: number } {
    return this.fns[this.fns.length - 1];
  }

  /** new_localvar's luaY_checklimit: the n-th local this statement declares. */
  private newLocal(n: number): void {
    const f = this.fn;
    if (f.nactvar + n + 1 > 200) {
      const what = f.line === 0 ? 'main function' : `function at line ${f.line}`;
      this.lx.error(`${what} has more than 200 local variables`, undefined);
    }
  }

  constructor(readonly lx: Lexer) {}

  private tk(): string {
    return this.lx.cur.t;
  }

  private testnext(t: string): boolean {
    if (this.tk() === t) {
      this.lx.next();
      return true;
    }
    return false;
  }

  private errorExpected(t: string): never {
    return this.lx.syntaxError(`'${token2str(t)}' expected`);
  }

  private check(t: string): void {
    if (this.tk() !== t) this.errorExpected(t);
  }

  private checknext(t: string): void {
    this.check(t);
    this.lx.next();
  }

  private checkMatch(what: string, who: string, where: number): void {
    if (!this.testnext(what)) {
      if (where === this.lx.line) this.errorExpected(what);
      this.lx.syntaxError(`'${token2str(what)}' expected (to close '${token2str(who)}' at line ${where})`);
    }
  }

  private checkname(): void {
    this.check(NAME);
    this.lx.next();
  }

  mainfunc(): void {
    this.lx.next();
    this.chunk();
    this.check(EOS);
  }

  private chunk(): void {
    let islast = false;
    while (!islast && !BLOCK_FOLLOW.has(this.tk())) {
      islast = this.statement();
      this.testnext(';');
    }
  }

  private block(): void {
    const saved = this.fn.nactvar;
    this.chunk();
    this.fn.nactvar = saved;
  }

  /** Returns whether the statement must be the last of its block. */
  private statement(): boolean {
    const line = this.lx.line;
    switch (this.tk()) {
      case 'if':
        this.ifstat(line);
        return false;
      case 'while':
        this.lx.next();
        this.expr();
        this.checknext('do');
        this.loopBlock();
        this.checkMatch('end', 'while', line);
        return false;
      case 'do':
        this.lx.next();
        this.block();
        this.checkMatch('end', 'do', line);
        return false;
      case 'for':
        this.forstat(line);
        return false;
      case 'repeat': {
        this.lx.next();
        const saved = this.fn.nactvar;
        this.loops[this.loops.length - 1]++;
        this.chunk();
        this.loops[this.loops.length - 1]--;
        this.checkMatch('until', 'repeat', line);
        this.expr();
        this.fn.nactvar = saved;
        return false;
      }
      case 'function': {
        this.lx.next();
        this.checkname();
        while (this.tk() === '.') {
          this.lx.next();
          this.checkname();
        }
        let needself = false;
        if (this.tk() === ':') {
          this.lx.next();
          this.checkname();
          needself = true;
        }
        this.body(line, needself);
        return false;
      }
      case 'local':
        this.lx.next();
        if (this.testnext('function')) {
          this.checkname();
          this.newLocal(0);
          this.fn.nactvar++;
          this.body(line, false);
        } else {
          let n = 0;
          do {
            this.checkname();
            this.newLocal(n++);
          } while (this.testnext(','));
          if (this.testnext('=')) this.explist1();
          this.fn.nactvar += n;
        }
        return false;
      case 'return':
        this.lx.next();
        if (!(BLOCK_FOLLOW.has(this.tk()) || this.tk() === ';')) this.explist1();
        return true;
      case 'break':
        this.lx.next();
        if (this.loops[this.loops.length - 1] === 0) this.lx.syntaxError('no loop to break');
        return true;
      default:
        this.exprstat();
        return false;
    }
  }

  private loopBlock(): void {
    this.loops[this.loops.length - 1]++;
    this.block();
    this.loops[this.loops.length - 1]--;
  }

  private ifstat(line: number): void {
    this.lx.next();
    this.expr();
    this.checknext('then');
    this.block();
    while (this.tk() === 'elseif') {
      this.lx.next();
      this.expr();
      this.checknext('then');
      this.block();
    }
    if (this.testnext('else')) this.block();
    this.checkMatch('end', 'if', line);
  }

  private forstat(line: number): void {
    const saved = this.fn.nactvar;
    this.lx.next();
    this.checkname();
    let nvars = 1;
    switch (this.tk()) {
      case '=':
        for (let n = 0; n < 4; n++) this.newLocal(n);
        this.lx.next();
        this.expr();
        this.checknext(',');
        this.expr();
        if (this.testnext(',')) this.expr();
        break;
      case ',':
      case 'in':
        for (let n = 0; n < 4; n++) this.newLocal(n);
        while (this.testnext(',')) {
          this.checkname();
          this.newLocal(3 + nvars++);
        }
        this.checknext('in');
        this.explist1();
        break;
      default:
        this.lx.syntaxError("'=' or 'in' expected");
    }
    this.checknext('do');
    this.fn.nactvar += 3 + nvars;
    this.loopBlock();
    this.checkMatch('end', 'for', line);
    this.fn.nactvar = saved;
  }

  private body(line: number, needself: boolean): void {
    this.fns.push({ nactvar: 0, line });
    if (needself) {
      this.newLocal(0);
      this.fn.nactvar++;
    }
    this.checknext('(');
    let vararg = false;
    let nparams = 0;
    if (this.tk() !== ')') {
      do {
        if (this.tk() === NAME) {
          this.lx.next();
          this.newLocal(nparams++);
        } else if (this.tk() === '...') {
          this.lx.next();
          vararg = true;
          this.newLocal(nparams++); // LUA_COMPAT_VARARG's `arg`
        } else this.lx.syntaxError("<name> or '...' expected");
      } while (!vararg && this.testnext(','));
    }
    this.fn.nactvar += nparams;
    this.checknext(')');
    this.varargs.push(vararg);
    this.loops.push(0);
    this.chunk();
    this.loops.pop();
    this.varargs.pop();
    this.checkMatch('end', 'function', line);
    this.fns.pop();
  }

  private exprstat(): void {
    const kind = this.primaryexp();
    if (kind !== 'call') this.restassign(kind);
  }

  private restassign(kind: string): void {
    if (kind !== 'var') this.lx.syntaxError('syntax error');
    if (this.testnext(',')) {
      const k = this.primaryexp();
      this.restassign(k);
    } else {
      this.checknext('=');
      this.explist1();
    }
  }

  private explist1(): void {
    this.expr();
    while (this.testnext(',')) this.expr();
  }

  /** Returns 'var' (assignable), 'call' or 'exp'. */
  private primaryexp(): string {
    let kind: string;
    const line = this.lx.line;
    if (this.tk() === NAME) {
      this.lx.next();
      kind = 'var';
    } else if (this.tk() === '(') {
      this.lx.next();
      this.expr();
      this.checkMatch(')', '(', line);
      kind = 'exp';
    } else {
      return this.lx.syntaxError('unexpected symbol');
    }
    for (;;) {
      switch (this.tk()) {
        case '.':
          this.lx.next();
          this.checkname();
          kind = 'var';
          break;
        case '[':
          this.lx.next();
          this.expr();
          this.checknext(']');
          kind = 'var';
          break;
        case ':':
          this.lx.next();
          this.checkname();
          this.funcargs();
          kind = 'call';
          break;
        case '(':
        case STRING:
        case '{':
          this.funcargs();
          kind = 'call';
          break;
        default:
          return kind;
      }
    }
  }

  private funcargs(): void {
    const line = this.lx.line;
    switch (this.tk()) {
      case '(':
        if (line !== this.lx.lastline) this.lx.syntaxError('ambiguous syntax (function call x new statement)');
        this.lx.next();
        if (this.tk() !== ')') this.explist1();
        this.checkMatch(')', '(', line);
        return;
      case '{':
        this.constructor_();
        return;
      case STRING:
        this.lx.next();
        return;
      default:
        this.lx.syntaxError('function arguments expected');
    }
  }

  private constructor_(): void {
    const line = this.lx.line;
    this.checknext('{');
    do {
      if (this.tk() === '}') break;
      switch (this.tk()) {
        case NAME: {
          if (this.lx.lookahead().t !== '=') this.expr();
          else {
            this.checkname();
            this.checknext('=');
            this.expr();
          }
          break;
        }
        case '[':
          this.lx.next();
          this.expr();
          this.checknext(']');
          this.checknext('=');
          this.expr();
          break;
        default:
          this.expr();
      }
    } while (this.testnext(',') || this.testnext(';'));
    this.checkMatch('}', '{', line);
  }

  private simpleexp(): void {
    switch (this.tk()) {
      case NUMBER: case STRING: case 'nil': case 'true': case 'false':
        this.lx.next();
        return;
      case '...':
        if (!this.varargs[this.varargs.length - 1]) this.lx.syntaxError("cannot use '...' outside a vararg function");
        this.lx.next();
        return;
      case '{':
        this.constructor_();
        return;
      case 'function': {
        const line = this.lx.line;
        this.lx.next();
        this.body(line, false);
        return;
      }
      default:
        this.primaryexp();
    }
  }

  private expr(): void {
    if (UNARY.has(this.tk())) {
      this.lx.next();
      this.expr1Unary();
    } else {
      this.simpleexp();
    }
    while (BINARY.has(this.tk())) {
      this.lx.next();
      if (UNARY.has(this.tk())) {
        this.lx.next();
        this.expr1Unary();
      } else {
        this.simpleexp();
      }
    }
  }

  /** The operand of a unary operator (more unary operators, or a simple expression). */
  private expr1Unary(): void {
    while (UNARY.has(this.tk())) this.lx.next();
    this.simpleexp();
  }
}

/** Lua 5.1's syntax error for `source`, or undefined when it parses. */
export function checkSyntax(source: string, chunk: string): string | undefined {
  try {
    new Parser(new Lexer(source, chunk)).mainfunc();
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxFailure) return e.message;
    throw e;
  }
}
