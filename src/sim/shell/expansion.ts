/**
 * Expansion, as bash does it to a command's words before it runs: braces, tildes, parameters
 * and their operators (`${x:-word}`, `${x#pattern}`, `${a[@]:1:2}`…), command and arithmetic
 * substitutions, field splitting and pathname expansion; the same for a here-document's body
 * (expandText), a `case` pattern, and the operands of `[[ … ]]`. Also the assignments whose
 * subscripts and values are expanded here (`a[i]=v`, `a=( … )`, `${x:=v}`, `read`'s names),
 * and arithmetic evaluation over the shell's variables. What a special parameter (`$?`, `$$`…)
 * is and running a `$(…)` are the shell's (ExpansionShell).
 */
import type { Host } from '../kernel/host';
import type { TaskGen } from '../kernel/tasks';
import { resolvePath } from '../runtime/paths';
import { Incomplete, assignmentPrefix, findArithClose, findUnquoted, parseParamWord, type Assign, type ParamWordMode, type Word } from './parser';
import { ArithError, evalArith, type ArithVars } from './arith';
import { expandBraces } from './braces';
import type { CondEnv } from './cond';
import { DEFAULT_IFS, FieldBuilder, Pieces, messageOf, patternOf, replacementOf, type Piece } from './fields';
import { expandPathname, globMatch, globQuote, globRegExp } from './glob';
import type { ShellOptions } from './options';
import { AbortLine, ReadonlyVariable } from './unwind';
import { ELEMENT, type CompoundItem, type CompoundItems, type ShellVariables } from './variables';
import { traceValue } from './xtrace';

/** A quoted parameter that expands to one field per element: "$@", "${a[@]}" (and their slices and per-element forms). */
const ALL_ELEMENTS = /^(@|[A-Za-z_][A-Za-z0-9_]*\[@\]|![A-Za-z_][A-Za-z0-9_]*\[@\])/;

/** What expansion needs of its shell. */
export interface ExpansionShell {
  readonly vars: ShellVariables;
  readonly options: ShellOptions;
  readonly host: Host;
  /** The working directory (`~+`, `$PWD`, relative globs). */
  readonly cwd: string;
  /** `$0`, `$1`…: the positional parameters. */
  readonly args: readonly string[];
  /** `$!`: the pid of the last background job, 0 before one. */
  readonly lastBgPid: number;
  /** A special parameter's value (`$?`, `$$`, `$-`, `$@`, LINENO, RANDOM…); undefined for other names. */
  special(name: string): string[] | string | undefined;
  /**
   * `$(…)` / backquotes (`backquoted`): the output of `src` run in a subshell, its final
   * newlines removed.
   */
  commandSubstitution(src: string, backquoted: boolean): TaskGen<string>;
  /** An error message, behind the shell's prefix. */
  error(message: string): void;
  /** After an unbound variable or `${x:?msg}`: the line is abandoned, or a non-interactive shell ends. */
  endOnExpansionError(): never;
  /** set -x: a trace line. */
  trace(text: string): TaskGen<void>;
}

export class Expansion {
  constructor(private readonly sh: ExpansionShell) {}

  /** Evaluate an arithmetic expression (already expanded); an error (named after `context`: `((`, `let`) aborts the line. */
  arith(src: string, context?: string): bigint {
    const vars: ArithVars = {
      get: (n) => {
        const el = ELEMENT.exec(n);
        // An unset element reads as 0 even under set -u.
        if (el) return this.sh.vars.element(el[1], el[2]);
        if (this.sh.vars.has(n)) return this.sh.vars.scalar(n);
        if (this.sh.options.nounset) this.unboundVariable(n);
        return undefined;
      },
      set: (n, v) => {
        const el = ELEMENT.exec(n);
        if (el) this.sh.vars.storeElement(el[1], el[2], v);
        else this.sh.vars.setScalar(n, v);
      },
    };
    try {
      return evalArith(src, vars);
    } catch (e) {
      if (!(e instanceof ArithError)) throw e;
      this.sh.error(context ? `${context}: ${e.message}` : e.message);
      throw new AbortLine();
    }
  }

  /**
   * `(( … ))` and `let`: 0 when the last expression is not zero; an error in one (its message
   * printed: 1/0, a readonly variable) fails the command, and only it, as in bash.
   */
  arithCommand(context: string, exprs: string[]): number {
    try {
      let last = 0n;
      for (const e of exprs) last = this.arith(e, context);
      return last !== 0n ? 0 : 1;
    } catch (e) {
      if (!(e instanceof AbortLine)) throw e;
      return 1;
    }
  }

  /** An assignment before a command or alone (`x=v`, `a[i]+=v`, `a=( … )`), its value expanded and traced. */
  *assign(a: Assign): TaskGen<void> {
    if (a.array) {
      const items: CompoundItems = yield* this.expandCompound(a);
      // set -x shows an array assignment as written.
      if (this.sh.options.xtrace) yield* this.sh.trace(`${a.name}${a.append ? '+=' : '='}(${(a.arrayText ?? []).join(' ')})`);
      this.sh.vars.applyCompound(a.name, items, null, a.append);
      return;
    }
    const v = (yield* this.expandWords([a.value], false)).join(' ');
    if (this.sh.options.xtrace) yield* this.sh.trace(`${a.name}${a.index !== null ? `[${a.index}]` : ''}${a.append ? '+=' : '='}${traceValue(v)}`);
    if (a.index !== null) yield* this.setElement(a.name, a.index, v, a.append);
    else this.sh.vars.setScalar(a.name, v, a.append);
  }

  /**
   * The words of `name=( … )` expanded: a `[subscript]=value` word (or `+=`) gives its
   * subscript (quotes removed; still arithmetic for an indexed array) and value, unsplit; any
   * other word its fields, split and globbed as usual.
   */
  *expandCompound(a: Assign): TaskGen<CompoundItems> {
    const texts = a.arrayText ?? [];
    const items: CompoundItem[] = [];
    let firstSubscripted = false;
    for (const [k, w] of (a.array ?? []).entries()) {
      const raw = texts[k] ?? '';
      const prefix = raw.startsWith('[') ? assignmentPrefix('x' + raw) : null;
      if (prefix && prefix.index !== null) {
        if (k === 0) firstSubscripted = true;
        const key = (yield* this.operatorWord(prefix.index, 'word')).text();
        const value = (yield* this.expandWords([parseParamWord(raw.slice(prefix.text.length - 1), 'word')], false)).join(' ');
        items.push({ key, shownKey: prefix.index, value, append: prefix.append });
      } else {
        for (const value of yield* this.expandWords([w])) items.push({ key: null, shownKey: '', value, append: false });
      }
    }
    return { items, pairs: items.length > 0 && !firstSubscripted };
  }

  /**
   * The subscript of `name[subscript]` expanded: an associative array's key, quotes removed
   * (`m["a b"]`, `m[$k]`); an indexed array's arithmetic expression, still to be evaluated.
   */
  *subscriptKey(name: string, index: string): TaskGen<string> {
    if (this.sh.vars.assocs.has(name)) return (yield* this.operatorWord(index, 'word')).text();
    return yield* this.expandText(index);
  }

  /** `name[index]=value` (`+=`: appended to the element): the variable becomes an array if it is not one. */
  *setElement(name: string, index: string, value: string, append = false): TaskGen<void> {
    const key: string = yield* this.subscriptKey(name, index);
    if (key === '' && this.sh.vars.assocs.has(name)) { this.sh.error(`${name}[${index}]: bad array subscript`); throw new AbortLine(); }
    this.sh.vars.storeElement(name, key, value, append, index);
  }

  /** Assign to `name` or `name[index]` (`${x:=v}`, `printf -v`, `read`). */
  private *assignName(name: string, value: string): TaskGen<void> {
    const el = ELEMENT.exec(name);
    if (el) yield* this.setElement(el[1], el[2], value);
    else this.sh.vars.setScalar(name, value);
  }

  /** assignName for a builtin (read, printf -v): false when the variable is readonly (its error printed). */
  *assignOrFail(name: string, value: string): TaskGen<boolean> {
    try {
      yield* this.assignName(name, value);
      return true;
    } catch (e) {
      if (!(e instanceof ReadonlyVariable)) throw e;
      return false;
    }
  }

  /** `${…}` and `$name`: the parameter's value, with bash's operators applied. */
  private *paramValue(expr: string, quoted = false): TaskGen<string[] | string | Pieces> {
    const lengthOf = /^#([A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?|[0-9]+|[@*])$/.exec(expr);
    if (lengthOf) {
      if (!ELEMENT.test(lengthOf[1]) && this.isUnbound(lengthOf[1])) this.unboundVariable(lengthOf[1]);
      const v: string | string[] | undefined = yield* this.subscripted(lengthOf[1]);
      return String((v ?? '').length);
    }
    const indices = /^!([A-Za-z_][A-Za-z0-9_]*)\[[@*]\]$/.exec(expr);
    if (indices) return this.sh.vars.assocs.get(indices[1])?.keys() ?? Object.keys(this.sh.vars.arrays.get(indices[1]) ?? (this.sh.vars.scalars.has(indices[1]) ? [''] : []));
    const m = /^([A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?|[0-9]+|[@*#?$!-])/.exec(expr);
    if (!m) return this.badSubstitution(expr);
    const name = m[1];
    const op = expr.slice(name.length);
    // set -u spares `${x-word}` and the other operators that test whether x is set.
    const testsSet = /^:?[-=+?]/.test(op);
    if (!testsSet && !ELEMENT.test(name) && this.isUnbound(name)) this.unboundVariable(name);
    const found: string | string[] | undefined = yield* this.subscripted(name);
    if (found === undefined && !testsSet && this.sh.options.nounset) this.unboundVariable(name);
    const value = found ?? '';
    if (op === '') return value;
    const str = Array.isArray(value) ? value.join(' ') : value;
    const isSet = Array.isArray(value) ? value.length > 0 : /^[0-9]+$/.test(name) ? Number(name) < this.sh.args.length : name.length === 1 && !/[A-Za-z_]/.test(name) ? true : found !== undefined && this.sh.vars.paramSet(name);
    const word = /^:?[-=+?]/.exec(op);
    if (word) {
      const colon = op.startsWith(':');
      const kind = op[colon ? 1 : 0];
      const wordText = op.slice(colon ? 2 : 1);
      const empty = !isSet || (colon && str === '');
      // The word is expanded only when it is used (`${x:-$(cmd)}` runs cmd only for an unset x).
      switch (kind) {
        case '-': return empty ? yield* this.operatorWord(wordText, quoted ? 'dq' : 'word') : value;
        case '+': return empty ? '' : yield* this.operatorWord(wordText, quoted ? 'dq' : 'word');
        case '=': {
          if (!empty) return value;
          if (!/^[A-Za-z_]/.test(name)) { this.sh.error(`$${name}: cannot assign in this way`); throw new AbortLine(); }
          // The variable gets the word, quotes removed; what is substituted is its new value.
          const assigned = (yield* this.operatorWord(wordText, quoted ? 'dq' : 'word')).text();
          yield* this.assignName(name, assigned);
          return assigned;
        }
        default: {
          if (!empty) return value;
          // The message is the word expanded as if unquoted (even inside double quotes).
          const message = wordText === '' ? (colon ? 'parameter null or not set' : 'parameter not set') : messageOf(yield* this.operatorWord(wordText, 'word'), this.ifs());
          this.sh.error(`${name}: ${message}`);
          return this.sh.endOnExpansionError();
        }
      }
    }
    // A substring of nothing (an unset variable, an empty array) evaluates neither number; an
    // error in one names the parameter, as bash does (`x: 1/0: division by 0 …`).
    if (op.startsWith(':') && name !== '@' && name !== '*' && !isSet) return value;
    if (op.startsWith(':') && Array.isArray(value)) {
      // ${@:2} / ${*:1:2}: positional parameters from $offset ($0 is offset 0); ${a[@]:1}: elements.
      const [offText, lenText] = splitUnquoted(op.slice(1), ':');
      const all = name === '@' || name === '*' ? this.sh.args : value;
      let off = Number(this.arith(yield* this.expandText(offText), name));
      if (off < 0) off = Math.max(all === this.sh.args ? 1 : 0, all.length + off);
      // An associative array's elements count from 1 (0 is the first too).
      else if (off > 0 && this.sh.vars.assocs.has(name.replace(/\[.*$/s, ''))) off--;
      const count = lenText === null ? all.length : Number(this.arith(yield* this.expandText(lenText), name));
      return all.slice(off, off + count);
    }
    if (op.startsWith(':')) {
      // ${v:offset} / ${v:offset:length}: arithmetic, a negative offset counts from the end.
      const [offText, lenText] = splitUnquoted(op.slice(1), ':');
      const len = str.length;
      let off = Number(this.arith(yield* this.expandText(offText), name));
      if (off < 0) off = Math.max(0, len + off);
      if (lenText === null) return str.slice(off);
      let count = Number(this.arith(yield* this.expandText(lenText), name));
      if (count < 0) {
        count = len + count - off;
        if (count < 0) { this.sh.error(`${lenText}: substring expression < 0`); throw new AbortLine(); }
      }
      return str.slice(off, off + count);
    }
    // The operators below apply to each element of an array (${a[@]%.rdb}).
    const each = (fn: (x: string) => string) => (Array.isArray(value) ? value.map(fn) : fn(str));
    // Their pattern and replacement are words of their own, read as if unquoted even inside
    // double quotes: quoted parts are literal (`${x#"*"}`, `"${x#'*'}"`).
    const strip = /^(##?|%%?)/.exec(op);
    if (strip) {
      const re = globRegExp(patternOf(yield* this.operatorWord(op.slice(strip[0].length), 'word')));
      const longest = strip[1].length === 2;
      return each((x) => {
        if (strip[1][0] === '#') {
          for (let i = longest ? x.length : 0; longest ? i >= 0 : i <= x.length; i += longest ? -1 : 1) if (re.test(x.slice(0, i))) return x.slice(i);
        } else {
          for (let i = longest ? 0 : x.length; longest ? i <= x.length : i >= 0; i += longest ? 1 : -1) if (re.test(x.slice(i))) return x.slice(0, i);
        }
        return x;
      });
    }
    if (op.startsWith('/')) {
      // ${v/pat/rep}, ${v//pat/rep} (all), ${v/#pat/rep} (at the start), ${v/%pat/rep} (at the end).
      const mode = /^\/[/#%]?/.exec(op)![0].slice(1) as '' | '/' | '#' | '%';
      const [patText, repText] = splitUnquoted(op.slice(1 + mode.length), '/');
      const pattern = patternOf(yield* this.operatorWord(patText, 'word'));
      // An empty pattern replaces nothing, but anchored it matches the empty start or end.
      if (pattern === '' && (mode === '' || mode === '/')) return value;
      const re = globRegExp(pattern);
      const rep = replacementOf(yield* this.operatorWord(repText ?? '', 'word'));
      return each((x) => replacePattern(x, re, rep, mode));
    }
    const cas = /^(\^\^?|,,?)$/.exec(op);
    if (cas) {
      const upper = cas[1][0] === '^';
      const conv = (x: string) => (upper ? x.toUpperCase() : x.toLowerCase());
      return each((x) => (cas[1].length === 2 ? conv(x) : conv(x.slice(0, 1)) + x.slice(1)));
    }
    return this.badSubstitution(expr);
  }

  /**
   * The word of a parameter operator (`${x:-word}`, the pattern of `${x#pattern}`…) expanded
   * into pieces that remember their quoting, read in `mode` (see parseParamWord).
   */
  private *operatorWord(text: string, mode: ParamWordMode): TaskGen<Pieces> {
    const out: Piece[] = [];
    const inDq = mode !== 'word';
    for (const part of parseParamWord(text, mode)) {
      if (part.t === 'lit') out.push({ kind: part.q ? 'quoted' : 'literal', s: part.v });
      else if (part.t === 'tilde') out.push({ kind: 'quoted', s: this.tildeValue(part.user) });
      else if (part.t === 'var') {
        const v: string | string[] | Pieces = yield* this.paramValue(part.name, inDq || part.q);
        if (v instanceof Pieces) {
          // A nested operator's word: its text is an expansion's result here, its quoted parts stay quoted.
          for (const p of v.list) out.push(p.kind === 'break' ? p : { kind: part.q || p.kind === 'quoted' ? 'quoted' : 'expanded', s: p.s });
        } else if (Array.isArray(v)) {
          if ((inDq || part.q) && !ALL_ELEMENTS.test(part.name)) out.push({ kind: 'quoted', s: v.join(this.ifs().slice(0, 1)) });
          else v.forEach((x, i) => { if (i > 0) out.push({ kind: 'break' }); out.push({ kind: part.q ? 'quoted' : 'expanded', s: x }); });
        } else out.push({ kind: part.q ? 'quoted' : 'expanded', s: v });
      } else {
        const v: string = part.t === 'sub' ? yield* this.sh.commandSubstitution(part.src, part.bq === true) : yield* this.arithSubstitution(part.src);
        out.push({ kind: part.q ? 'quoted' : 'expanded', s: v });
      }
    }
    return new Pieces(out);
  }

  /** IFS: what field splitting splits at (unset: space, tab, newline). */
  ifs(): string {
    return this.sh.vars.scalars.get('IFS') ?? DEFAULT_IFS;
  }

  /** `name`, `name[i]`, `name[@]`: an element, or all of them (an array for @ and *). */
  private *subscripted(name: string): TaskGen<string | string[] | undefined> {
    const sub = ELEMENT.exec(name);
    if (!sub) return this.varValue(name);
    const assoc = this.sh.vars.assocs.get(sub[1]);
    const arr = this.sh.vars.arrays.get(sub[1]) ?? (this.sh.vars.scalars.has(sub[1]) ? [this.sh.vars.scalars.get(sub[1])!] : []);
    if (sub[2] === '@' || sub[2] === '*') return assoc ? assoc.values() : arr.filter((x): x is string => x !== undefined);
    return this.sh.vars.element(sub[1], yield* this.subscriptKey(sub[1], sub[2]));
  }

  /**
   * set -u: whether expanding parameter `name` is an error — an unset variable, positional
   * parameter, array element or `$!` before any background job; `$@`, `$*` and `${a[@]}` never.
   */
  private isUnbound(name: string): boolean {
    if (!this.sh.options.nounset) return false;
    if (/^\d+$/.test(name)) return Number(name) >= this.sh.args.length && name !== '0';
    if (name === '-') return false;
    if (name === '!') return this.sh.lastBgPid === 0;
    if (name.length === 1 && !/[A-Za-z_]/.test(name)) return false;
    if (name === 'PWD' || name === 'RANDOM' || name === 'LINENO' || name === 'PPID' || name === 'BASHPID') return false;
    const element = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/.exec(name);
    if (element) return element[2] !== '@' && element[2] !== '*' && !this.sh.vars.has(element[1]);
    return !this.sh.vars.has(name);
  }

  /** set -u: bash's error; a script (or bash -c) ends there, the prompt abandons the line. */
  private unboundVariable(name: string): never {
    this.sh.error(`${/^(\d+|!)$/.test(name) ? '$' : ''}${name}: unbound variable`);
    return this.sh.endOnExpansionError();
  }

  private badSubstitution(expr: string): never {
    this.sh.error(`\${${expr}}: bad substitution`);
    throw new AbortLine();
  }

  /** A parameter's value: a special parameter's, a positional one's, a variable's (an array's element 0). */
  private varValue(name: string): string[] | string {
    const special = this.sh.special(name);
    if (special !== undefined) return special;
    if (/^\d+$/.test(name)) return this.sh.args[Number(name)] ?? '';
    return this.sh.vars.scalar(name);
  }

  /**
   * Parameters, arithmetic and command substitutions in a text, quotes kept: an unquoted
   * heredoc's body, an arithmetic expression, the word of `${v:-word}`.
   */
  *expandText(body: string): TaskGen<string> {
    let out = '';
    let i = 0;
    while (i < body.length) {
      const c = body[i];
      if (c === '\\' && (body[i + 1] === '$' || body[i + 1] === '`' || body[i + 1] === '\\')) { out += body[i + 1]; i += 2; continue; }
      if (c === '$' || c === '`') {
        const rest = body.slice(i);
        let m: RegExpExecArray | [string, string] | null;
        if (c === '`') {
          const end = body.indexOf('`', i + 1);
          if (end > 0) { out += yield* this.sh.commandSubstitution(body.slice(i + 1, end), true); i = end + 1; continue; }
        } else if (rest.startsWith('$((') && findArithClose(body, i + 3) >= 0) {
          const end = findArithClose(body, i + 3);
          out += yield* this.arithSubstitution(body.slice(i + 3, end));
          i = end + 2;
          continue;
        } else if (rest.startsWith('$(')) {
          let depth = 0;
          let j = i + 1;
          for (; j < body.length; j++) { if (body[j] === '(') depth++; else if (body[j] === ')' && --depth === 0) break; }
          out += yield* this.sh.commandSubstitution(body.slice(i + 2, j), false);
          i = j + 1;
          continue;
        } else if (rest.startsWith('${') && (m = braceExpression(body, i))) {
          // As inside double quotes (`${x:-'a'}` keeps its quotes).
          const v: string | string[] | Pieces = yield* this.paramValue(m[1], true);
          out += v instanceof Pieces ? v.text() : Array.isArray(v) ? v.join(' ') : v;
          i += m[0].length;
          continue;
        } else if ((m = /^\$([A-Za-z_][A-Za-z0-9_]*|[?$#!0-9@*])/.exec(rest))) {
          const v: string | string[] | Pieces = yield* this.paramValue(m[1], true);
          out += v instanceof Pieces ? v.text() : Array.isArray(v) ? v.join(' ') : v;
          i += m[0].length;
          continue;
        }
      }
      out += c;
      i++;
    }
    return out;
  }

  /** `$((…))`: the expression expanded (as in double quotes, which are dropped), then evaluated. */
  private *arithSubstitution(src: string): TaskGen<string> {
    const expr: string = yield* this.expandText(src);
    return String(this.arith(expr.replace(/"/g, '')));
  }

  /**
   * Expand words into fields: braces, parameters, substitutions, field splitting (at IFS) and
   * globbing of what was not quoted (see fields.ts). `split` false: each word is one field
   * (an assignment's value, a redirection's target).
   */
  *expandWords(words: Word[], split = true): TaskGen<string[]> {
    const fields: string[] = [];
    const ifs = this.ifs();
    // Brace expansion comes first, for words that become fields (not assignments or targets).
    for (const w of split ? words.flatMap(expandBraces) : words) {
      const b = new FieldBuilder(ifs, split);
      // "$@" (or "${a[@]}") with no elements makes no field, even quoted, unless more is in its word.
      let noElements = false;
      for (const part of w) {
        if (part.t === 'lit') b.append(part.v, part.q);
        else if (part.t === 'tilde') b.append(this.tildeValue(part.user), true);
        else if (part.t === 'var') {
          const v: string | string[] | Pieces = yield* this.paramValue(part.name, part.q);
          if (v instanceof Pieces) b.appendPieces(v, part.q);
          else if (Array.isArray(v)) {
            // "$@", "${a[@]}" (and their slices and per-element forms): one field per element;
            // "$*" and "${a[*]}": one, joined by IFS's first character.
            if (part.q && ALL_ELEMENTS.test(part.name)) {
              if (v.length === 0) noElements = true;
              v.forEach((x, idx) => { if (idx > 0) b.endField(); b.append(x, true); });
            } else if (part.q) b.append(v.join(ifs.slice(0, 1)), true);
            else v.forEach((x, idx) => { if (idx > 0) b.endField(); b.appendSplit(x); });
          } else if (part.q) b.append(v, true);
          else b.appendSplit(v);
        } else {
          const v: string = part.t === 'sub' ? yield* this.sh.commandSubstitution(part.src, part.bq === true) : yield* this.arithSubstitution(part.src);
          if (part.q) b.append(v, true);
          else b.appendSplit(v);
        }
      }
      for (const f of b.fields) {
        if (f.s === '' && (!f.keep || (noElements && b.fields.length === 1))) continue;
        if (f.glob && split && !this.sh.options.on('noglob')) {
          const matches = expandPathname(this.sh.host.disk, this.sh.cwd, f.pattern);
          if (matches.length > 0) { fields.push(...matches); continue; }
        }
        fields.push(f.s);
      }
    }
    return fields;
  }

  condEnv(): CondEnv {
    const expand = (w: Word) => this.expandWords([w], false);
    return {
      *word(w) { return (yield* expand(w)).join(' '); },
      pattern: (w) => this.expandPattern(w),
      *regex(w) {
        let out = '';
        for (const part of w) {
          const v = part.t === 'lit' ? part.v : (yield* expand([part])).join(' ');
          out += 'q' in part && part.q ? v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : v;
        }
        return out;
      },
      globMatch,
      arith: (text) => this.arith(text),
      file: (path) => this.sh.host.disk.lookup(resolvePath(this.sh.cwd, path)),
      isSet: (name) => {
        // `[[ -v a[i] ]]`, `[[ -v m[key] ]]`: whether that element is set (its subscript is expanded).
        const el = ELEMENT.exec(name);
        if (!el) return this.sh.vars.paramSet(name);
        const key = this.sh.vars.assocs.has(el[1]) ? el[2] : this.arith(el[2]).toString();
        return this.sh.vars.element(el[1], key) !== undefined;
      },
      setMatch: (groups) => { if (groups) this.sh.vars.arrays.set('BASH_REMATCH', groups); else this.sh.vars.arrays.delete('BASH_REMATCH'); },
      // Only under set -x: without it evalCond builds no trace text.
      trace: this.sh.options.xtrace ? (test) => this.sh.trace(`[[ ${test} ]]`) : undefined,
    };
  }

  /**
   * A `case` or `[[ == ]]` pattern: quoted parts match literally (each of their characters behind
   * a backslash, as bash writes them in a trace), the rest as a glob.
   */
  *expandPattern(word: Word): TaskGen<string> {
    let out = '';
    for (const part of word) {
      if (part.t === 'lit') out += part.q ? part.v.replace(/[^]/g, '\\$&') : part.v;
      else if (part.t === 'tilde') out += globQuote(this.tildeValue(part.user));
      else {
        const v = (yield* this.expandWords([[part]], false)).join(' ');
        out += part.q ? v.replace(/[^]/g, '\\$&') : v;
      }
    }
    return out;
  }

  /**
   * What a tilde prefix stands for: `~` $HOME, `~+` the working directory, `~-` $OLDPWD, `~root`
   * root's home; as written when there is no such user (or no OLDPWD).
   */
  private tildeValue(user: string): string {
    if (user === '') return this.sh.vars.scalars.get('HOME') ?? this.sh.host.home;
    if (user === '+') return this.sh.cwd;
    if (user === '-') return this.sh.vars.scalars.get('OLDPWD') ?? '~-';
    if (user === 'root') return this.sh.host.home;
    return `~${user}`;
  }
}

/** `text` split at its first `sep` that is not quoted or inside an expansion (`${v/a\/b/c}`). */
function splitUnquoted(text: string, sep: string): [string, string | null] {
  let i: number;
  try {
    i = findUnquoted(text, 0, sep);
  } catch (e) {
    if (!(e instanceof Incomplete)) throw e;
    i = text.indexOf(sep);
  }
  return i < 0 ? [text, null] : [text.slice(0, i), text.slice(i + 1)];
}

/**
 * The `${…}` starting at `text[at]` as a match (`[0]` the whole, `[1]` inside the braces), or
 * null when it is not closed (as in a here-document, where it stays as written).
 */
function braceExpression(text: string, at: number): [string, string] | null {
  let end: number;
  try {
    end = findUnquoted(text, at + 2, '}');
  } catch (e) {
    if (e instanceof Incomplete) return null;
    throw e;
  }
  return end < 0 ? null : [text.slice(at, end + 1), text.slice(at + 2, end)];
}

/**
 * `${v/pat/rep}` (first match), `//` (every match), `/#` (at the start), `/%` (at the end):
 * longest matches, like bash; `rep` gives the replacement of a match (`&` in it is the match).
 */
function replacePattern(str: string, re: RegExp, rep: (match: string) => string, mode: '' | '/' | '#' | '%'): string {
  const longestAt = (i: number, min: number): number => {
    for (let j = str.length; j >= i + min; j--) if (re.test(str.slice(i, j))) return j;
    return -1;
  };
  if (mode === '#') { const j = longestAt(0, 0); return j < 0 ? str : rep(str.slice(0, j)) + str.slice(j); }
  if (mode === '%') {
    for (let i = 0; i <= str.length; i++) if (re.test(str.slice(i))) return str.slice(0, i) + rep(str.slice(i));
    return str;
  }
  let out = '';
  let i = 0;
  let replaced = false;
  while (i < str.length) {
    const j = mode === '/' || !replaced ? longestAt(i, 1) : -1;
    if (j >= 0) { out += rep(str.slice(i, j)); i = j; replaced = true; continue; }
    out += str[i++];
  }
  return out;
}
