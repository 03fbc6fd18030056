/**
 * The awk interpreter: walks the parsed program over records.
 *
 * Design. Values are JS numbers, strings, or `StrNum`s — text that came from the input (fields,
 * `getline var`, -v and command-line assignments, split() pieces, ENVIRON, ARGV) and looks
 * like a number, which awk compares as a number when the other side is numeric too. The
 * uninitialized value is a StrNum of "" and 0 (it is both). Numbers become text through
 * CONVFMT (or OFMT when printed), integers within a C int as plain digits, as mawk does.
 *
 * The record lives as text plus a lazily split field array: reading $3 or NF splits $0 by FS;
 * assigning a field or NF rebuilds $0 with OFS; assigning $0 drops the fields.
 *
 * The interpreter itself is synchronous; only reading standard input waits, and that is the
 * driver's business (commands/awk.ts): it feeds chunks to the `Input` and asks for records.
 * A plain `getline` in the program needs the next record in the middle of an action, so when
 * the program has one the driver reads standard input to its end first (files are whole
 * anyway). Output to stdout is buffered like stdio's (4 KiB blocks, everything at exit) unless
 * it is a terminal, so stdout and stderr interleave as with the real mawk.
 *
 * Control flow: break/continue/return are completion codes of `exec`; next, nextfile, exit and
 * run-time errors are exceptions, as they cross function calls.
 */
import type { Expr, FuncDef, LValue, Program, Stmt } from './ast';
import { awkSprintf, FormatError, looksNumeric, numberToString, strtod, type FmtArg } from './format';
import { compileEre, RegexError } from './regex';

export class StrNum {
  constructor(readonly s: string, readonly n: number) {}
}
export type Val = number | string | StrNum;
export type AwkArray = Map<string, Val>;
type Cell = Val | AwkArray | undefined;

export const UNINIT = new StrNum('', 0);

/** Text from outside the program: a StrNum if it looks like a number. */
export function fromInput(s: string): Val {
  return looksNumeric(s) ? new StrNum(s, strtod(s)) : s;
}

export class AwkRuntimeError extends Error {}
/** A fatal error outside the language (an unreadable input, an unwritable output): `awk: message`, status 2. */
export class AwkFatal extends Error {}
export class AwkExit { constructor(readonly code: number | null) {} }
class NextRecord {}
class NextFile {}

const BREAK = 1;
const CONTINUE = 2;
const RETURN = 3;

/**
 * Cut input text into records by RS: a newline or any single character, "" for paragraphs
 * (blank lines separate records, newlines also separate fields), a regex otherwise.
 */
export class RecordReader {
  /** Text received, and how much of it has been taken as records (an offset, so big inputs are not re-copied per record). */
  private buf = '';
  private pos = 0;
  private final = false;

  feed(text: string): void {
    this.buf = this.buf.slice(this.pos) + text;
    this.pos = 0;
  }

  finish(): void { this.final = true; }
  get done(): boolean { return this.final && this.pos >= this.buf.length; }

  private cut(end: number, sepLength: number): string {
    const r = this.buf.slice(this.pos, end);
    this.pos = end + sepLength;
    return r;
  }

  /** The next record, or null when there is none yet (or none left, once finished). */
  take(rs: string): string | null {
    if (rs === '') return this.paragraph();
    if (rs.length === 1) {
      const at = this.buf.indexOf(rs, this.pos);
      if (at >= 0) return this.cut(at, 1);
    } else {
      const re = new RegExp(compileEre(rs).source, 'gs');
      re.lastIndex = this.pos;
      let m = re.exec(this.buf);
      while (m && m[0] === '') { re.lastIndex = m.index + 1; m = re.lastIndex < this.buf.length ? re.exec(this.buf) : null; }
      // A match reaching the end of what has arrived may grow with the next chunk.
      if (m && (this.final || m.index + m[0].length < this.buf.length)) return this.cut(m.index, m[0].length);
    }
    if (this.final && this.pos < this.buf.length) return this.cut(this.buf.length, 0);
    return null;
  }

  private paragraph(): string | null {
    // Newlines before a paragraph are not a record.
    while (this.buf[this.pos] === '\n') this.pos++;
    if (this.pos >= this.buf.length) return null;
    const re = /\n\n+/g;
    re.lastIndex = this.pos;
    const m = re.exec(this.buf);
    if (m && (this.final || m.index + m[0].length < this.buf.length)) return this.cut(m.index, m[0].length);
    if (this.final) return this.cut(this.buf.length, 0).replace(/\n+$/, '');
    return null;
  }
}

/** glibc's random()/srandom() (TYPE_3, the additive feedback generator mawk's rand() uses). */
class GlibcRandom {
  private state = new Int32Array(34);
  private f = 3;
  private r = 0;

  seed(seed: number): void {
    let word = seed | 0;
    if (word === 0) word = 1;
    const s = new Int32Array(31);
    s[0] = word;
    for (let i = 1; i < 31; i++) {
      const hi = Math.trunc(word / 127773);
      const lo = word % 127773;
      word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      s[i] = word;
    }
    this.state = s;
    this.f = 3;
    this.r = 0;
    for (let i = 0; i < 310; i++) this.next();
  }

  next(): number {
    const s = this.state;
    const val = (s[this.f] + s[this.r]) | 0;
    s[this.f] = val;
    this.f = (this.f + 1) % 31;
    this.r = (this.r + 1) % 31;
    return (val >>> 0) >>> 1;
  }
}

/** What the interpreter needs from the outside world. */
export interface AwkHost {
  /** Write to standard output (already buffered by the caller's policy) or standard error. */
  stdout(text: string): void;
  stderr(text: string): void;
  /** A file's text, or why it cannot be read. */
  readFile(path: string): { text: string } | { error: string };
  /** Write or append to a file; returns an error text or null. */
  writeFile(path: string, text: string, append: boolean): string | null;
  env: Record<string, string>;
  /** The seed mawk would have picked at start-up, and the time for srand(). */
  initialSeed: number;
  nowSeconds(): number;
}

/** A source of main-input records: the operands in turn, standard input when there is none. */
export interface Input {
  /** The next record, null at the end of all input, 'wait' when standard input has nothing yet. */
  next(): string | null | 'wait';
}

export class Interp {
  readonly globals = new Map<string, Cell>();
  private frame: { locals: Cell[]; index: Map<string, number> } | null = null;
  private returnValue: Val = UNINIT;
  private record = '';
  /** FS and paragraph mode as they were when the record was read: a later change of FS applies to the next record. */
  private recordFS = ' ';
  private recordParagraph = false;
  private fields: string[] | null = [];
  private nf = 0;
  private rangeActive: boolean[];
  private outFiles = new Map<string, true>();
  private inFiles = new Map<string, RecordReader>();
  private rng = new GlibcRandom();
  private seedValue: Val;
  /** Which parameters of each function are used as arrays (for passing unset variables by reference). */
  private arrayParams = new Map<string, Set<number>>();
  input: Input | null = null;

  constructor(readonly prog: Program, private readonly host: AwkHost) {
    this.rangeActive = prog.rules.map(() => false);
    const g = this.globals;
    for (const [k, v] of Object.entries({ FS: ' ', OFS: ' ', ORS: '\n', RS: '\n', SUBSEP: '\x1c', CONVFMT: '%.6g', OFMT: '%.6g', FILENAME: '' })) g.set(k, v);
    for (const k of ['NR', 'FNR', 'RSTART']) g.set(k, 0);
    g.set('RLENGTH', -1);
    const env: AwkArray = new Map();
    for (const [k, v] of Object.entries(host.env)) env.set(k, fromInput(v));
    g.set('ENVIRON', env);
    this.seedValue = host.initialSeed;
    this.rng.seed(host.initialSeed);
    this.findArrayParams();
  }

  // ---- values ------------------------------------------------------------------------------

  str(v: Val): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return numberToString(v, this.scalarStr('CONVFMT'));
    return v.s;
  }

  private outStr(v: Val): string {
    return typeof v === 'number' ? numberToString(v, this.scalarStr('OFMT')) : this.str(v);
  }

  num(v: Val): number {
    if (typeof v === 'number') return v;
    if (typeof v === 'string') return strtod(v);
    return v.n;
  }

  private bool(v: Val): boolean {
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') return v !== '';
    return v === UNINIT ? false : v.n !== 0;
  }

  private compare(a: Val, b: Val): number {
    if (typeof a !== 'string' && typeof b !== 'string') {
      const x = this.num(a);
      const y = this.num(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    const s = this.str(a);
    const t = this.str(b);
    return s < t ? -1 : s > t ? 1 : 0;
  }

  /** A built-in scalar's text (FS, OFS, …). */
  private scalarStr(name: string): string {
    const v = this.globals.get(name);
    return v === undefined || v instanceof Map ? '' : this.str(v);
  }

  // ---- variables -----------------------------------------------------------------------------

  getVar(name: string): Val {
    const f = this.frame;
    let cell: Cell;
    if (f && f.index.has(name)) cell = f.locals[f.index.get(name)!];
    else if (name === 'NF') { this.split(); return this.nf; }
    else cell = this.globals.get(name);
    if (cell instanceof Map) throw new AwkRuntimeError(`can't use array ${name} in scalar context`);
    return cell ?? UNINIT;
  }

  setVar(name: string, v: Val): void {
    const f = this.frame;
    if (f && f.index.has(name)) {
      const i = f.index.get(name)!;
      if (f.locals[i] instanceof Map) throw new AwkRuntimeError(`can't assign to array ${name}`);
      f.locals[i] = v;
      return;
    }
    if (name === 'NF') { this.setNF(this.num(v)); return; }
    if (this.globals.get(name) instanceof Map) throw new AwkRuntimeError(`can't assign to array ${name}`);
    this.globals.set(name, v);
  }

  getArray(name: string): AwkArray {
    const f = this.frame;
    if (f && f.index.has(name)) {
      const i = f.index.get(name)!;
      const cell = f.locals[i];
      if (cell instanceof Map) return cell;
      if (cell !== undefined && cell !== UNINIT) throw new AwkRuntimeError(`can't use scalar ${name} as array`);
      const a: AwkArray = new Map();
      f.locals[i] = a;
      return a;
    }
    const cell = this.globals.get(name);
    if (cell instanceof Map) return cell;
    if (cell !== undefined) throw new AwkRuntimeError(`can't use scalar ${name} as array`);
    const a: AwkArray = new Map();
    this.globals.set(name, a);
    return a;
  }

  private subscript(subs: Expr[]): string {
    if (subs.length === 1) return this.str(this.eval(subs[0]));
    return subs.map((s) => this.str(this.eval(s))).join(this.scalarStr('SUBSEP'));
  }

  // ---- the record and its fields -------------------------------------------------------------

  setRecord(text: string): void {
    this.record = text;
    this.fields = null;
    this.recordFS = this.scalarStr('FS');
    this.recordParagraph = this.scalarStr('RS') === '';
  }

  private split(): void {
    if (this.fields) return;
    this.fields = this.splitText(this.record, this.recordFS, this.recordParagraph);
    this.nf = this.fields.length;
  }

  /** Split by a field separator: " " (blanks), one other character (itself), or a regex. */
  private splitText(text: string, fs: string, paragraph: boolean): string[] {
    if (text === '') return [];
    if (fs === ' ') return text.split(/[ \t\n]+/).filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1));
    if (fs === '') return text.split('');
    let re: RegExp;
    if (fs.length === 1 && fs !== '\\') {
      if (!paragraph) return text.split(fs);
      re = new RegExp(`[${fs === ']' || fs === '^' ? '\\' + fs : fs}\\n]`);
    } else {
      re = this.regex(paragraph ? `(${fs})|\n` : fs);
    }
    return this.splitByRegex(text, re);
  }

  getField(i: number): Val {
    if (i === 0) return fromInput(this.record);
    if (i < 0) throw new AwkRuntimeError(`negative field index $${i}`);
    this.split();
    return i <= this.nf ? fromInput(this.fields![i - 1]) : UNINIT;
  }

  setField(i: number, v: Val): void {
    if (i === 0) { this.setRecord(this.str(v)); return; }
    if (i < 0) throw new AwkRuntimeError(`negative field index $${i}`);
    this.split();
    const fields = this.fields!;
    while (fields.length < i) fields.push('');
    fields[i - 1] = this.str(v);
    this.nf = fields.length;
    this.rebuild();
  }

  private setNF(n: number): void {
    this.split();
    const count = Math.max(0, Math.trunc(n));
    const fields = this.fields!;
    fields.length = Math.min(fields.length, count);
    while (fields.length < count) fields.push('');
    this.nf = count;
    this.rebuild();
  }

  private rebuild(): void {
    this.record = this.fields!.join(this.scalarStr('OFS'));
  }

  // ---- regexes -------------------------------------------------------------------------------

  regex(src: string): RegExp {
    try {
      return compileEre(src);
    } catch (e) {
      if (e instanceof RegexError) throw new AwkRuntimeError(`regular expression compile failed (${e.message})\n${src}`);
      throw e;
    }
  }

  /** The regex an argument stands for: a literal /re/ itself, anything else as text. */
  private regexOf(e: Expr): RegExp {
    return this.regex(e.type === 'regex' ? e.source : this.str(this.eval(e)));
  }

  // ---- expressions ---------------------------------------------------------------------------

  eval(e: Expr): Val {
    switch (e.type) {
      case 'num': return e.value;
      case 'str': return e.value;
      case 'regex': return this.regex(e.source).test(this.record) ? 1 : 0;
      case 'group': return this.eval(e.expr);
      case 'var': return this.getVar(e.name);
      case 'index': {
        const a = this.getArray(e.name);
        const k = this.subscript(e.subs);
        const v = a.get(k);
        if (v !== undefined) return v;
        // Referencing an element creates it.
        a.set(k, UNINIT);
        return UNINIT;
      }
      case 'field': return this.getField(this.fieldIndex(e.index));
      case 'assign': return this.assign(e.target, e.op, e.value);
      case 'cond': return this.bool(this.eval(e.test)) ? this.eval(e.yes) : this.eval(e.no);
      case 'and': return this.bool(this.eval(e.left)) && this.bool(this.eval(e.right)) ? 1 : 0;
      case 'or': return this.bool(this.eval(e.left)) || this.bool(this.eval(e.right)) ? 1 : 0;
      case 'in': {
        const k = this.subscript(e.subs);
        return this.getArray(e.name).has(k) ? 1 : 0;
      }
      case 'match': {
        const s = this.str(this.eval(e.left));
        return this.regexOf(e.re).test(s) !== e.negate ? 1 : 0;
      }
      case 'binary': {
        const l = this.eval(e.left);
        const r = this.eval(e.right);
        switch (e.op) {
          case '+': return this.num(l) + this.num(r);
          case '-': return this.num(l) - this.num(r);
          case '*': return this.num(l) * this.num(r);
          case '/': return this.num(l) / this.num(r);
          case '%': return this.num(l) % this.num(r);
          case '^': return Math.pow(this.num(l), this.num(r));
          case '<': return this.compare(l, r) < 0 ? 1 : 0;
          case '<=': return this.compare(l, r) <= 0 ? 1 : 0;
          case '>': return this.compare(l, r) > 0 ? 1 : 0;
          case '>=': return this.compare(l, r) >= 0 ? 1 : 0;
          case '==': return this.compare(l, r) === 0 ? 1 : 0;
          case '!=': return this.compare(l, r) !== 0 ? 1 : 0;
        }
        throw new Error(`awk: unknown operator ${e.op}`);
      }
      case 'concat': {
        const l = this.str(this.eval(e.left));
        return l + this.str(this.eval(e.right));
      }
      case 'unary': {
        const v = this.eval(e.arg);
        if (e.op === '!') return this.bool(v) ? 0 : 1;
        return e.op === '-' ? -this.num(v) : this.num(v);
      }
      case 'incdec': {
        const ref = this.ref(e.target);
        const old = this.num(ref.get());
        const now = e.op === '++' ? old + 1 : old - 1;
        ref.set(now);
        return e.prefix ? now : old;
      }
      case 'call': return this.call(e.name, e.args);
      case 'builtin': return this.builtin(e.name, e.args);
      case 'getline': return this.getline(e.target, e.file);
    }
  }

  private fieldIndex(e: Expr): number {
    const n = this.num(this.eval(e));
    return Math.trunc(n);
  }

  /** An lvalue resolved once (its subscript or field number evaluated), to read and write. */
  private ref(t: LValue): { get(): Val; set(v: Val): void } {
    if (t.type === 'var') return { get: () => this.getVar(t.name), set: (v) => this.setVar(t.name, v) };
    if (t.type === 'field') {
      const i = this.fieldIndex(t.index);
      return { get: () => this.getField(i), set: (v) => this.setField(i, v) };
    }
    const a = this.getArray(t.name);
    const k = this.subscript(t.subs);
    return { get: () => a.get(k) ?? UNINIT, set: (v) => { a.set(k, v); } };
  }

  private assign(target: LValue, op: string, valueExpr: Expr): Val {
    const ref = this.ref(target);
    let v = this.eval(valueExpr);
    if (op !== '=') {
      const x = this.num(ref.get());
      const y = this.num(v);
      switch (op) {
        case '+=': v = x + y; break;
        case '-=': v = x - y; break;
        case '*=': v = x * y; break;
        case '/=': v = x / y; break;
        case '%=': v = x % y; break;
        default: v = Math.pow(x, y);
      }
    }
    ref.set(v);
    return v;
  }

  // ---- functions -----------------------------------------------------------------------------

  /** Which parameters each function uses as an array, directly or by passing them on. */
  private findArrayParams(): void {
    const uses = new Map<string, { direct: Set<string>; passes: { callee: string; arg: number; name: string }[] }>();
    for (const f of this.prog.funcs.values()) {
      const direct = new Set<string>();
      const passes: { callee: string; arg: number; name: string }[] = [];
      walk(f.body, (e) => {
        if (e.type === 'index' || e.type === 'in') direct.add(e.name);
        if (e.type === 'builtin' && e.name === 'split' && e.args[1].type === 'var') direct.add(e.args[1].name);
        if (e.type === 'call') e.args.forEach((a, i) => { if (a.type === 'var') passes.push({ callee: e.name, arg: i, name: a.name }); });
      }, (s) => {
        if (s.type === 'forin') direct.add(s.array);
        if (s.type === 'delete') direct.add(s.name);
      });
      uses.set(f.name, { direct, passes });
      this.arrayParams.set(f.name, new Set(f.params.map((p, i) => (direct.has(p) ? i : -1)).filter((i) => i >= 0)));
    }
    for (let changed = true; changed;) {
      changed = false;
      for (const f of this.prog.funcs.values()) {
        const mine = this.arrayParams.get(f.name)!;
        for (const p of uses.get(f.name)!.passes) {
          const i = f.params.indexOf(p.name);
          if (i >= 0 && !mine.has(i) && this.arrayParams.get(p.callee)?.has(p.arg)) { mine.add(i); changed = true; }
        }
      }
    }
  }

  /** The raw cell of a variable in the current scope (for passing arrays by reference). */
  private cellOf(name: string): { get(): Cell; set(c: Cell): void } {
    const f = this.frame;
    if (f && f.index.has(name)) { const i = f.index.get(name)!; return { get: () => f.locals[i], set: (c) => { f.locals[i] = c; } }; }
    return { get: () => this.globals.get(name), set: (c) => { this.globals.set(name, c); } };
  }

  private depth = 0;

  private call(name: string, args: Expr[]): Val {
    const def: FuncDef = this.prog.funcs.get(name)!;
    if (args.length > def.params.length) throw new AwkRuntimeError(`too many arguments in call to ${name}`);
    const arrays = this.arrayParams.get(name)!;
    const locals: Cell[] = def.params.map(() => undefined);
    args.forEach((a, i) => {
      // NF is computed, never a cell: it is always passed by value.
      if (a.type === 'var' && (a.name !== 'NF' || this.frame?.index.has('NF'))) {
        const cell = this.cellOf(a.name);
        const c = cell.get();
        if (c instanceof Map) { locals[i] = c; return; }
        if ((c === undefined || c === UNINIT) && arrays.has(i)) {
          const arr: AwkArray = new Map();
          cell.set(arr);
          locals[i] = arr;
          return;
        }
      }
      locals[i] = this.eval(a);
    });
    if (++this.depth > 2000) throw new AwkRuntimeError('function call nesting too deep');
    const saved = this.frame;
    this.frame = { locals, index: new Map(def.params.map((p, i) => [p, i])) };
    this.returnValue = UNINIT;
    try {
      this.execList(def.body);
      return this.returnValue;
    } finally {
      this.frame = saved;
      this.depth--;
    }
  }

  // ---- built-in functions --------------------------------------------------------------------

  private builtin(name: string, args: Expr[]): Val {
    const n = (i: number) => this.num(this.eval(args[i]));
    const s = (i: number) => this.str(this.eval(args[i]));
    switch (name) {
      case 'length': {
        if (args.length === 0) return this.record.length;
        const a = args[0];
        if (a.type === 'var') {
          const c = this.cellOf(a.name).get();
          if (c instanceof Map) return c.size;
        }
        return s(0).length;
      }
      case 'substr': return this.substr(s(0), n(1), args.length > 2 ? n(2) : Infinity);
      case 'index': {
        const hay = s(0);
        const needle = s(1);
        return needle === '' ? 1 : hay.indexOf(needle) + 1;
      }
      case 'split': {
        const text = s(0);
        const arrName = (args[1] as { name: string }).name;
        let pieces: string[];
        if (args.length < 3) pieces = this.splitText(text, this.scalarStr('FS'), false);
        else if (args[2].type === 'regex') pieces = text === '' ? [] : this.splitByRegex(text, this.regex(args[2].source));
        else pieces = this.splitText(text, s(2), false);
        const arr = this.getArray(arrName);
        arr.clear();
        pieces.forEach((p, i) => arr.set(String(i + 1), fromInput(p)));
        return pieces.length;
      }
      case 'sub': case 'gsub': return this.substitute(name === 'gsub', args);
      case 'match': {
        const text = s(0);
        const m = this.regexOf(args[1]).exec(text);
        const start = m ? m.index + 1 : 0;
        this.globals.set('RSTART', start);
        this.globals.set('RLENGTH', m ? m[0].length : -1);
        return start;
      }
      case 'sprintf': {
        const vals = args.map((a) => this.eval(a));
        return this.format(this.str(vals[0]), vals.slice(1), false);
      }
      case 'toupper': return s(0).replace(/[a-z]+/g, (c) => c.toUpperCase());
      case 'tolower': return s(0).replace(/[A-Z]+/g, (c) => c.toLowerCase());
      case 'int': return Math.trunc(n(0));
      case 'sqrt': return Math.sqrt(n(0));
      case 'exp': return Math.exp(n(0));
      case 'log': return Math.log(n(0));
      case 'sin': return Math.sin(n(0));
      case 'cos': return Math.cos(n(0));
      case 'atan2': return Math.atan2(n(0), n(1));
      case 'rand': return this.rng.next() / 2147483647;
      case 'srand': {
        const prev = this.seedValue;
        const v: Val = args.length ? this.eval(args[0]) : this.host.nowSeconds();
        this.seedValue = v;
        const seed = this.num(v);
        this.rng.seed(Number.isFinite(seed) ? Number(BigInt.asIntN(32, BigInt(Math.trunc(seed)))) : 0);
        return prev;
      }
      case 'close': {
        const file = s(0);
        const had = this.outFiles.delete(file) || this.inFiles.delete(file);
        return had ? 0 : -1;
      }
      case 'fflush': return 0;
      case 'system':
        throw new AwkRuntimeError('system() is not supported in this simulation');
    }
    throw new AwkRuntimeError(`unknown function ${name}`);
  }

  /**
   * mawk 1.3.4-20200120's substr: start and length truncated to integers, and a start below 1
   * lengthens the piece by its distance from 0 rather than shortening it (substr("hello", 0, 2)
   * is "he", substr("hello", -1, 3) is "hell") — a quirk of that release, kept for fidelity.
   */
  private substr(text: string, startArg: number, lenArg: number): string {
    if (text === '' || Number.isNaN(startArg) || Number.isNaN(lenArg)) return '';
    let start = Math.trunc(startArg);
    let len = Number.isFinite(lenArg) ? Math.trunc(lenArg) : lenArg;
    if (start < 1) { len -= start; start = 1; }
    if (len <= 0 || start > text.length) return '';
    return text.slice(start - 1, len === Infinity ? undefined : start - 1 + len);
  }

  private splitByRegex(text: string, re: RegExp): string[] {
    const out: string[] = [];
    let rest = text;
    for (;;) {
      const m = re.exec(rest);
      if (!m || m[0] === '') { out.push(rest); return out; }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
  }

  /** sub/gsub: `&` is the match, `\&` a literal &, `\\` one backslash. */
  private substitute(global: boolean, args: Expr[]): number {
    const re = this.regexOf(args[0]);
    const repl = this.str(this.eval(args[1]));
    const target: LValue = args.length > 2 ? (args[2] as LValue) : { type: 'field', index: { type: 'num', value: 0 } };
    const ref = this.ref(target);
    const text = this.str(ref.get());
    const expand = (m: string) => {
      let out = '';
      for (let i = 0; i < repl.length; i++) {
        const c = repl[i];
        if (c === '\\' && (repl[i + 1] === '&' || repl[i + 1] === '\\')) { out += repl[++i]; continue; }
        out += c === '&' ? m : c;
      }
      return out;
    };
    let out = '';
    let count = 0;
    let pos = 0;
    const g = new RegExp(re.source, 'gs');
    // An empty match right after a previous match does not count (gsub(/x*/, "-", "abc") is -a-b-c-).
    let lastEnd = -1;
    while (pos <= text.length) {
      g.lastIndex = pos;
      const m = g.exec(text);
      if (!m) break;
      if (m[0] === '' && m.index === lastEnd) {
        if (m.index >= text.length) break;
        out += text.slice(pos, m.index + 1);
        pos = m.index + 1;
        continue;
      }
      out += text.slice(pos, m.index) + expand(m[0]);
      count++;
      lastEnd = m.index + m[0].length;
      if (m[0] === '') {
        if (m.index < text.length) out += text[m.index];
        pos = m.index + 1;
      } else pos = lastEnd;
      if (!global) break;
    }
    if (count === 0) return 0;
    if (pos < text.length) out += text.slice(pos);
    ref.set(out);
    return count;
  }

  private format(fmt: string, vals: Val[], isPrintf: boolean, onPartial?: (t: string) => void): string {
    const args: FmtArg[] = vals.map((v) => ({ num: () => this.num(v), str: () => this.str(v), isNumber: typeof v === 'number' }));
    try {
      return awkSprintf(fmt, args, isPrintf ? (onPartial ?? (() => {})) : undefined);
    } catch (e) {
      if (e instanceof FormatError) throw new AwkRuntimeError(e.message);
      throw e;
    }
  }

  // ---- getline -------------------------------------------------------------------------------

  private getline(target: LValue | null, fileExpr: Expr | null): Val {
    if (fileExpr) {
      const file = this.str(this.eval(fileExpr));
      let reader = this.inFiles.get(file);
      if (!reader) {
        const r = this.host.readFile(file);
        if ('error' in r) return -1;
        reader = new RecordReader();
        reader.feed(r.text);
        reader.finish();
        this.inFiles.set(file, reader);
      }
      const rec = reader.take(this.scalarStr('RS'));
      if (rec === null) return 0;
      if (target) this.ref(target).set(fromInput(rec));
      else this.setRecord(rec);
      return 1;
    }
    const rec = this.input?.next() ?? null;
    if (rec === null || rec === 'wait') return 0;
    this.countRecord();
    if (target) this.ref(target).set(fromInput(rec));
    else this.setRecord(rec);
    return 1;
  }

  countRecord(): void {
    this.globals.set('NR', this.num(this.getVar('NR')) + 1);
    this.globals.set('FNR', this.num(this.getVar('FNR')) + 1);
  }

  // ---- statements ----------------------------------------------------------------------------

  execList(list: Stmt[]): number {
    for (const s of list) {
      const r = this.exec(s);
      if (r) return r;
    }
    return 0;
  }

  private exec(s: Stmt): number {
    switch (s.type) {
      case 'expr': this.eval(s.expr); return 0;
      case 'print': {
        let text: string;
        if (s.args.length === 0) text = this.record;
        else text = s.args.map((a) => this.outStr(this.eval(a))).join(this.scalarStr('OFS'));
        this.write(text + this.scalarStr('ORS'), s.redirect);
        return 0;
      }
      case 'printf': {
        const vals = s.args.map((a) => this.eval(a));
        const text = this.format(this.str(vals[0]), vals.slice(1), true, (partial) => this.write(partial, s.redirect));
        this.write(text, s.redirect);
        return 0;
      }
      case 'if':
        if (this.bool(this.eval(s.test))) return this.exec(s.then);
        return s.else ? this.exec(s.else) : 0;
      case 'while':
        while (this.bool(this.eval(s.test))) {
          const r = this.exec(s.body);
          if (r === BREAK) break;
          if (r === RETURN) return r;
        }
        return 0;
      case 'do':
        do {
          const r = this.exec(s.body);
          if (r === BREAK) break;
          if (r === RETURN) return r;
        } while (this.bool(this.eval(s.test)));
        return 0;
      case 'for':
        if (s.init) this.eval(s.init);
        while (!s.test || this.bool(this.eval(s.test))) {
          const r = this.exec(s.body);
          if (r === BREAK) break;
          if (r === RETURN) return r;
          if (s.step) this.eval(s.step);
        }
        return 0;
      case 'forin': {
        const arr = this.getArray(s.array);
        // The keys as they were when the loop started; deleted ones are skipped.
        for (const k of [...arr.keys()]) {
          if (!arr.has(k)) continue;
          this.ref(s.key).set(fromInput(k));
          const r = this.exec(s.body);
          if (r === BREAK) break;
          if (r === RETURN) return r;
        }
        return 0;
      }
      case 'block': return this.execList(s.body);
      case 'next': throw new NextRecord();
      case 'nextfile': throw new NextFile();
      case 'break': return BREAK;
      case 'continue': return CONTINUE;
      case 'exit': throw new AwkExit(s.code ? Math.trunc(this.num(this.eval(s.code))) & 0xff : null);
      case 'return':
        this.returnValue = s.value ? this.eval(s.value) : UNINIT;
        return RETURN;
      case 'delete':
        if (s.subs) this.getArray(s.name).delete(this.subscript(s.subs));
        else this.getArray(s.name).clear();
        return 0;
    }
  }

  private write(text: string, redirect: { mode: '>' | '>>'; file: Expr } | null): void {
    if (!redirect) { this.host.stdout(text); return; }
    const file = this.str(this.eval(redirect.file));
    if (file === '/dev/stdout' || file === '-') { this.host.stdout(text); return; }
    if (file === '/dev/stderr') { this.host.stderr(text); return; }
    // The first `>` to a file truncates it; later writes (until close) add to it.
    const append = redirect.mode === '>>' || this.outFiles.has(file);
    const err = this.host.writeFile(file, text, append);
    if (err) throw new AwkFatal(`cannot open "${file}" for output (${err})`);
    this.outFiles.set(file, true);
  }

  // ---- the program's phases (the driver calls these) ---------------------------------------

  /** Run the BEGIN actions. */
  runBegin(): void {
    for (const r of this.prog.rules) if (r.pattern.type === 'begin') this.execList(r.action!);
  }

  /** Whether the main input is read at all (a program of only BEGIN actions does not). */
  get needsInput(): boolean {
    return this.prog.rules.some((r) => r.pattern.type !== 'begin');
  }

  /** The main rules over one record; returns 'nextfile' when the action asked for it. */
  runRecord(rec: string): 'nextfile' | null {
    this.setRecord(rec);
    this.countRecord();
    try {
      this.prog.rules.forEach((r, i) => {
        if (this.matches(r.pattern, i)) {
          if (r.action) this.execList(r.action);
          else this.host.stdout(this.record + this.scalarStr('ORS'));
        }
      });
    } catch (e) {
      if (e instanceof NextRecord) return null;
      if (e instanceof NextFile) return 'nextfile';
      throw e;
    }
    return null;
  }

  private matches(p: Program['rules'][number]['pattern'], i: number): boolean {
    switch (p.type) {
      case 'begin': case 'end': return false;
      case 'all': return true;
      case 'expr': return this.bool(this.eval(p.expr));
      case 'range':
        if (this.rangeActive[i]) {
          if (this.bool(this.eval(p.to))) this.rangeActive[i] = false;
          return true;
        }
        if (!this.bool(this.eval(p.from))) return false;
        this.rangeActive[i] = !this.bool(this.eval(p.to));
        return true;
    }
  }

  runEnd(): void {
    for (const r of this.prog.rules) if (r.pattern.type === 'end') this.execList(r.action!);
  }

  /** FILENAME, FNR and NR for a run-time error's second line. */
  where(): string {
    return `FILENAME="${this.scalarStr('FILENAME')}" FNR=${this.str(this.getVar('FNR'))} NR=${this.str(this.getVar('NR'))}`;
  }
}

/** Visit every expression and statement of a statement list. */
export function walk(list: Stmt[], onExpr: (e: Expr) => void, onStmt: (s: Stmt) => void = () => {}): void {
  const ex = (e: Expr | null | undefined): void => {
    if (!e) return;
    onExpr(e);
    switch (e.type) {
      case 'index': e.subs.forEach(ex); break;
      case 'field': ex(e.index); break;
      case 'assign': ex(e.target); ex(e.value); break;
      case 'cond': ex(e.test); ex(e.yes); ex(e.no); break;
      case 'and': case 'or': case 'binary': case 'concat': ex(e.left); ex(e.right); break;
      case 'in': e.subs.forEach(ex); break;
      case 'match': ex(e.left); ex(e.re); break;
      case 'unary': ex(e.arg); break;
      case 'incdec': ex(e.target); break;
      case 'call': case 'builtin': e.args.forEach(ex); break;
      case 'getline': ex(e.target); ex(e.file); break;
      case 'group': ex(e.expr); break;
    }
  };
  const st = (s: Stmt): void => {
    onStmt(s);
    switch (s.type) {
      case 'expr': ex(s.expr); break;
      case 'print': case 'printf': s.args.forEach(ex); ex(s.redirect?.file); break;
      case 'if': ex(s.test); st(s.then); if (s.else) st(s.else); break;
      case 'while': case 'do': ex(s.test); st(s.body); break;
      case 'for': ex(s.init); ex(s.test); ex(s.step); st(s.body); break;
      case 'forin': ex(s.key); st(s.body); break;
      case 'block': s.body.forEach(st); break;
      case 'exit': ex(s.code); break;
      case 'return': ex(s.value); break;
      case 'delete': s.subs?.forEach(ex); break;
    }
  };
  list.forEach(st);
}
