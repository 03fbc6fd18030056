/**
 * `expr`: evaluate an expression given as separate words, as GNU coreutils' expr does —
 * arbitrary-precision integers (BigInt for its GMP), comparisons that are numeric only when
 * both sides look like integers, `STRING : REGEX` anchored BRE matching, length/substr/index/
 * match counting characters under the UTF-8 locale, and its exit statuses: 0, 1 when the result
 * is null (empty or zero), 2 for a bad expression, 3 for other errors.
 */
import type { Command } from '../context';
import { quoted } from '../context';
import { breToJs } from './text';
import { utf8Chars } from './operands';

/** A value keeps its type: a string stays a string (`00` prints as `00`) until arithmetic needs a number. */
type Value = { int: bigint } | { str: string };

class ExprError {
  constructor(readonly message: string, readonly status: number) {}
}

const syntax = (msg: string) => new ExprError(`syntax error: ${msg}`, 2);

const text = (v: Value): string => ('int' in v ? v.int.toString() : v.str);

const looksLikeInteger = (s: string) => /^-?\d+$/.test(s);

function isNull(v: Value): boolean {
  if ('int' in v) return v.int === 0n;
  return v.str === '' || /^-?0+$/.test(v.str);
}

function toInt(v: Value): bigint {
  if ('int' in v) return v.int;
  if (!looksLikeInteger(v.str)) throw new ExprError('non-integer argument', 2);
  return BigInt(v.str);
}

/** Characters as the UTF-8 locale counts them. */
const chars = (s: string) => utf8Chars(s);

class Parser {
  private p = 0;
  constructor(private readonly args: string[]) {}

  run(): Value {
    const v = this.or(true);
    if (this.p < this.args.length) throw syntax(`unexpected argument ${quoted(this.args[this.p])}`);
    return v;
  }

  private next(word: string): boolean {
    if (this.p < this.args.length && this.args[this.p] === word) { this.p++; return true; }
    return false;
  }

  private nextOf(words: string[]): string | null {
    const w = this.args[this.p];
    if (this.p < this.args.length && words.includes(w)) { this.p++; return w; }
    return null;
  }

  private or(evaluate: boolean): Value {
    let l = this.and(evaluate);
    while (this.next('|')) {
      const r = this.and(evaluate && isNull(l));
      if (isNull(l)) l = isNull(r) ? { int: 0n } : r;
    }
    return l;
  }

  private and(evaluate: boolean): Value {
    let l = this.compare(evaluate);
    while (this.next('&')) {
      const r = this.compare(evaluate && !isNull(l));
      if (isNull(l) || isNull(r)) l = { int: 0n };
    }
    return l;
  }

  private compare(evaluate: boolean): Value {
    let l = this.sum(evaluate);
    for (;;) {
      const op = this.nextOf(['<', '<=', '=', '==', '!=', '>=', '>']);
      if (!op) return l;
      const r = this.sum(evaluate);
      if (!evaluate) { l = { int: 0n }; continue; }
      const a = text(l);
      const b = text(r);
      // Numbers compare as numbers only when both sides look like integers; else bytewise (C.UTF-8 collation).
      const cmp = looksLikeInteger(a) && looksLikeInteger(b)
        ? (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0)
        : (a < b ? -1 : a > b ? 1 : 0);
      const holds = { '<': cmp < 0, '<=': cmp <= 0, '=': cmp === 0, '==': cmp === 0, '!=': cmp !== 0, '>=': cmp >= 0, '>': cmp > 0 }[op]!;
      l = { int: holds ? 1n : 0n };
    }
  }

  private sum(evaluate: boolean): Value {
    let l = this.product(evaluate);
    for (;;) {
      const op = this.nextOf(['+', '-']);
      if (!op) return l;
      const r = this.product(evaluate);
      if (evaluate) l = { int: op === '+' ? toInt(l) + toInt(r) : toInt(l) - toInt(r) };
    }
  }

  private product(evaluate: boolean): Value {
    let l = this.match(evaluate);
    for (;;) {
      const op = this.nextOf(['*', '/', '%']);
      if (!op) return l;
      const r = this.match(evaluate);
      if (!evaluate) continue;
      const a = toInt(l);
      const b = toInt(r);
      if (op !== '*' && b === 0n) throw new ExprError('division by zero', 2);
      // BigInt division truncates toward zero and % takes the dividend's sign, as GMP's tdiv does.
      l = { int: op === '*' ? a * b : op === '/' ? a / b : a % b };
    }
  }

  private match(evaluate: boolean): Value {
    let l = this.unary(evaluate);
    while (this.next(':')) {
      const r = this.unary(evaluate);
      if (evaluate) l = colon(l, r);
    }
    return l;
  }

  private unary(evaluate: boolean): Value {
    if (this.next('+')) {
      if (this.p >= this.args.length) throw syntax(`missing argument after ${quoted(this.args[this.p - 1])}`);
      return { str: this.args[this.p++] };
    }
    if (this.next('length')) {
      const s = this.unary(evaluate);
      return { int: BigInt(chars(text(s)).length) };
    }
    if (this.next('match')) {
      const s = this.unary(evaluate);
      const re = this.unary(evaluate);
      return evaluate ? colon(s, re) : { int: 0n };
    }
    if (this.next('index')) {
      const s = chars(text(this.unary(evaluate)));
      const set = new Set(chars(text(this.unary(evaluate))));
      return { int: BigInt(s.findIndex((c) => set.has(c)) + 1) };
    }
    if (this.next('substr')) {
      const s = chars(text(this.unary(evaluate)));
      const pos = text(this.unary(evaluate));
      const len = text(this.unary(evaluate));
      // A position or length that is not a positive integer gives the empty string.
      if (!/^\d+$/.test(pos) || !/^\d+$/.test(len)) return { str: '' };
      const from = Number(pos);
      const count = Number(len);
      if (from < 1 || count < 1) return { str: '' };
      return { str: s.slice(from - 1, from - 1 + count).join('') };
    }
    return this.primary(evaluate);
  }

  private primary(evaluate: boolean): Value {
    if (this.p >= this.args.length) throw syntax(`missing argument after ${quoted(this.args[this.p - 1])}`);
    if (this.next('(')) {
      const v = this.or(evaluate);
      if (this.p >= this.args.length) throw syntax(`expecting ')' after ${quoted(this.args[this.p - 1])}`);
      if (!this.next(')')) throw syntax(`expecting ')' instead of ${quoted(this.args[this.p])}`);
      return v;
    }
    if (this.next(')')) throw syntax("unexpected ')'");
    return { str: this.args[this.p++] };
  }
}

/**
 * `STRING : REGEX`: a BRE anchored at the start of STRING. With a `\(…\)` group the result is
 * what the first group matched (empty when nothing matched), else the number of characters
 * matched.
 */
function colon(l: Value, r: Value): Value {
  const s = text(l);
  let pattern = text(r);
  // A leading ^ is redundant (the match is anchored) but allowed, as in GNU.
  if (pattern.startsWith('^')) pattern = pattern.slice(1);
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${breToJs(pattern)})`);
  } catch {
    throw new ExprError('Invalid regular expression', 2);
  }
  const m = re.exec(s);
  if (/\\\(/.test(pattern)) return { str: m?.[1] ?? '' };
  return { int: BigInt(m ? chars(m[0]).length : 0) };
}

export const expr: Command = function* (ctx, argv) {
  const args = argv.slice(1);
  if (args[0] === '--') args.shift();
  if (args.length === 0) {
    ctx.err("expr: missing operand\nTry 'expr --help' for more information.\n");
    return 2;
  }
  try {
    const v = new Parser(args).run();
    ctx.out(text(v) + '\n');
    return isNull(v) ? 1 : 0;
  } catch (e) {
    if (e instanceof ExprError) { ctx.err(`expr: ${e.message}\n`); return e.status; }
    throw e;
  }
};
