/**
 * A small recursive-descent parser for the part of the shell language the labs use:
 * lists (`;`, newline, `&`), `&&`/`||`, pipelines (`|`, `!`), subshells `( … )`, simple
 * commands with assignments (`X=1 cmd`), redirections (`>`, `>>`, `<`, `2>&1`, `>&2`, `&>`,
 * `<<EOF`, `<<-EOF`, `<<'EOF'`, `<<<`), `for`/`while`/`until`/`if`/`case`, `{ …; }`, functions
 * (`name() { …; }`, `function name { …; }`), arithmetic (`$(( … ))`, `(( … ))`), quoting
 * ('…', "…", \x), parameters ($X, ${X…}, $?, $$, $#, $@, $1…), command substitution ($(…) and
 * backticks), `~` and comments.
 *
 * Why not a library: shell-quote only tokenises (no heredocs, no precedence of && and ||, no
 * nested $(…)); bash-parser has been unmaintained since 2017; mvdan-sh is deprecated in favour
 * of sh-syntax, whose WebAssembly build must be loaded asynchronously in every worker and
 * returns a Go-shaped syntax tree much larger than this grammar. This grammar is small, and
 * owning it lets the interactive shell ask for continuation lines (`> `) exactly when bash would.
 */

import { CondError, evalCond } from './cond';

export type Part =
  | { t: 'lit'; v: string; q: boolean }
  | { t: 'var'; name: string; q: boolean }
  /** `$(…)`, or backquotes (`bq`): bash re-parses only a `$(…)`'s text in the shell itself when it expands it. */
  | { t: 'sub'; src: string; q: boolean; bq?: true }
  | { t: 'arith'; src: string; q: boolean }
  /** `~` (user ''), `~root`, `~+`, `~-`: at a word's start, or after `=` / `:` in an assignment's value. */
  | { t: 'tilde'; user: string };

export type Word = Part[];

export interface Redir {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&' | '&>' | '&>>' | '<<' | '<<<';
  target?: Word;
  heredoc?: { body: string; expand: boolean };
}

/**
 * `name=value`, `name+=value`, `name[index]=value`, or an array `name=(words…)` /
 * `name+=(words…)`; `index` is the subscript's text (an arithmetic expression).
 */
export interface Assign {
  name: string; value: Word; index: string | null; append: boolean; array: Word[] | null;
  /** The array's words as written (`[key]=value` is told from a plain word by its text). */
  arrayText?: string[];
}
/**
 * `compound`: the arguments of a declaration builtin written `name=( … )` (`declare -A m=(…)`),
 * by their place among the words (where the word is their text, quoted). `text`: the command as
 * bash shows it in a job's status line (words as typed, single spaces, `2> f`).
 */
/**
 * `line`: the line bash gives the command (its errors', its $LINENO, where an eval's or a
 * $(…)'s text starts counting): the line its parser had read to when it made the command — the
 * end of its first element, or, when that is a word (which might name a function), of the token
 * after it. So `eval "a<newline>b"` is on the line its string ends on.
 */
export interface Simple { type: 'simple'; assigns: Assign[]; words: Word[]; redirs: Redir[]; compound?: Map<number, Assign>; text?: string; line?: number }
export interface Subshell { type: 'subshell'; list: List; redirs: Redir[] }
export interface Group { type: 'group'; list: List; redirs: Redir[] }
/** `wordsText`: the words as written (set -x traces them so). */
export interface For { type: 'for'; name: string; words: Word[] | null; wordsText?: string; body: List; redirs: Redir[] }
/** `for (( init; cond; step ))`: arithmetic expressions, an empty cond meaning true. */
export interface ArithFor { type: 'arith-for'; init: string; cond: string; step: string; body: List; redirs: Redir[] }
export interface While { type: 'while'; until: boolean; cond: List; body: List; redirs: Redir[] }
export interface If { type: 'if'; clauses: { cond: List; body: List }[]; elseBody: List | null; redirs: Redir[] }
/** `wordText`: the word as written (set -x traces it so). */
export interface Case { type: 'case'; word: Word; wordText?: string; clauses: { patterns: Word[]; body: List }[]; redirs: Redir[] }
/** A token inside `[[ … ]]`: a word (unexpanded) or one of `&& || ( ) ! < >`. */
export type CondTok = { w: Word; raw: string } | { op: string };
/** `[[ … ]]`: a conditional expression (see cond.ts). */
export interface Cond { type: 'cond'; tokens: CondTok[]; redirs: Redir[] }
/** `(( expr ))`: status 0 when the expression is not zero. */
export interface Arith { type: 'arith'; src: string; redirs: Redir[] }
/** `name() body`: defines a function (the body is a compound command, usually a group). */
export interface FuncDef { type: 'func'; name: string; body: Command; text: string; redirs: Redir[] }
export type Command = Simple | Subshell | Group | For | ArithFor | While | If | Case | Arith | FuncDef | Cond;
/** `texts`: each command as bash shows it when it reports the job (a simple one's `text`, else its source). */
/** `time`: the pipeline is timed (`time -p`: in POSIX's format); `cmds` is empty for `time` alone. */
export interface Pipeline { negate: boolean; cmds: Command[]; texts: string[]; time?: 'bash' | 'posix' }
export interface AndOr { first: Pipeline; rest: { op: '&&' | '||'; p: Pipeline }[]; text: string }
/**
 * `line`: the source line the item starts on (1-based), for a script's error messages;
 * `endLine`: the line it ends on (its `;`, `&` or newline's), the last that bash's parser has
 * read when it runs the item (a shell reading lines reports ended jobs before the next one);
 * `newline`: a newline ends it (not `;` or `&`), which bash keeps when it prints a $(…)'s text.
 */
export interface List { items: { andOr: AndOr; background: boolean; line: number; endLine: number; newline?: true }[] }

/**
 * The input ends in the middle of a construct: the shell should read another line. An open
 * quote knows its character and where it opened (a script's error names that line).
 */
export class Incomplete extends Error {
  quote?: string;
  at?: number;
  /** The status a script ends with on it (bash: 2, but 1 inside an array's `( … )`). */
  status?: number;
}

/** `line`: the line of the offending token, set by parse(). */
export class SyntaxError_ extends Error {
  line?: number;
  /** As Incomplete's. */
  status?: number;
  constructor(readonly token: string, message = `syntax error near unexpected token \`${token}'`) { super(message); }
}

/** An open quote's Incomplete, or `e` with the quote's place filled in if it has none yet. */
function openQuote(e: unknown, quote: string, at: number): unknown {
  if (e instanceof Incomplete && e.message === 'quote' && e.at === undefined) { e.quote = quote; e.at = at; }
  return e;
}

type Tok =
  | { k: 'word'; w: Word; raw: string; start: number }
  | { k: 'op'; v: string; start: number }
  | { k: 'redir'; fd: number | null; v: string; start: number }
  | { k: 'nl'; start: number }
  | { k: 'eof'; start: number };

const OPS = ['&&', '||', ';;', '|', '&', ';', '(', ')'];
const REDIRS = ['&>>', '<<<', '<<-', '>>', '<<', '>&', '<&', '&>', '>|', '>', '<'];

class Lexer {
  pos = 0;
  private parensInWord = false;
  private pendingHeredocs: { delim: string; strip: boolean; redir: Redir }[] = [];
  constructor(private readonly src: string) {}

  private peekc(o = 0): string { return this.src[this.pos + o] ?? ''; }

  /** `allowParens`: a word may contain `(` and `)` (the regex after `=~` in `[[ ]]`). */
  next(allowParens = false): Tok {
    this.parensInWord = allowParens;
    // skip blanks and comments
    for (;;) {
      const c = this.peekc();
      if (c === ' ' || c === '\t') { this.pos++; continue; }
      if (c === '\\' && this.peekc(1) === '\n') { this.pos += 2; continue; }
      if (c === '#') { while (this.pos < this.src.length && this.peekc() !== '\n') this.pos++; continue; }
      break;
    }
    const start = this.pos;
    if (this.pos >= this.src.length) {
      if (this.pendingHeredocs.length > 0) throw new Incomplete('heredoc');
      return { k: 'eof', start };
    }
    const c = this.peekc();
    if (c === '\n') {
      this.pos++;
      this.readHeredocBodies();
      return { k: 'nl', start };
    }
    // redirection with an fd number: 2>&1, 2>file
    const fdm = /^(\d+)(?=[<>])/.exec(this.src.slice(this.pos, this.pos + 4));
    if (fdm) {
      const after = this.src.slice(this.pos + fdm[1].length);
      const r = REDIRS.find((x) => after.startsWith(x) && !x.startsWith('&'));
      if (r) {
        this.pos += fdm[1].length + r.length;
        return { k: 'redir', fd: Number(fdm[1]), v: r, start };
      }
    }
    for (const r of REDIRS) {
      if (this.src.startsWith(r, this.pos)) {
        this.pos += r.length;
        return { k: 'redir', fd: null, v: r, start };
      }
    }
    for (const o of OPS) {
      if (this.src.startsWith(o, this.pos)) {
        this.pos += o.length;
        return { k: 'op', v: o, start };
      }
    }
    const w = this.word();
    return { k: 'word', w, raw: this.src.slice(start, this.pos), start };
  }

  /** `((` was just read as two `(` tokens starting at `start`: take the expression up to `))`. */
  arithCommand(start: number): string {
    const end = findArithClose(this.src, start + 2);
    if (end === -1) throw new Incomplete('arith');
    if (end < 0) throw new SyntaxError_('(');
    this.pos = end + 2;
    return this.src.slice(start + 2, end);
  }

  /** Register a heredoc whose body starts at the next newline. */
  heredoc(delimWord: Word, strip: boolean, redir: Redir): void {
    let delim = '';
    let quoted = false;
    for (const p of delimWord) {
      if (p.t === 'lit') { delim += p.v; if (p.q) quoted = true; }
      else if (p.t === 'var') delim += '$' + p.name;
      else if (p.t === 'tilde') delim += '~' + p.user;
    }
    redir.heredoc = { body: '', expand: !quoted };
    this.pendingHeredocs.push({ delim, strip, redir });
  }

  private readHeredocBodies(): void {
    for (const h of this.pendingHeredocs.splice(0)) {
      const lines: string[] = [];
      for (;;) {
        if (this.pos >= this.src.length) throw new Incomplete('heredoc');
        const nl = this.src.indexOf('\n', this.pos);
        if (nl < 0) {
          // The last line of input: it must be the delimiter to complete.
          let line = this.src.slice(this.pos);
          if (h.strip) line = line.replace(/^\t+/, '');
          if (line === h.delim) { this.pos = this.src.length; break; }
          throw new Incomplete('heredoc');
        }
        let line = this.src.slice(this.pos, nl);
        this.pos = nl + 1;
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === h.delim) break;
        lines.push(line);
      }
      h.redir.heredoc!.body = lines.length ? lines.join('\n') + '\n' : '';
    }
  }

  private word(): Word {
    const parts: Word = [];
    let lit = '';
    const flush = (q = false) => { if (lit) { parts.push({ t: 'lit', v: lit, q }); lit = ''; } };
    const wordStart = this.pos;
    const startTilde = this.tilde(false);
    if (startTilde) parts.push(startTilde);
    for (;;) {
      const c = this.peekc();
      if (c === '' || c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '|' || c === '&' || c === '<' || c === '>') break;
      if ((c === '(' || c === ')') && !this.parensInWord) break;
      if (c === '\\') {
        const n = this.peekc(1);
        if (n === '') { this.pos++; throw new Incomplete('backslash'); }
        if (n === '\n') { this.pos += 2; continue; }
        flush();
        parts.push({ t: 'lit', v: n, q: true });
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        flush();
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw openQuote(new Incomplete('quote'), "'", this.pos);
        parts.push({ t: 'lit', v: this.src.slice(this.pos + 1, end), q: true });
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        flush();
        const open = this.pos++;
        try { this.doubleQuoted(parts); } catch (e) { throw openQuote(e, '"', open); }
        continue;
      }
      if (c === '$' && this.peekc(1) === "'") {
        flush();
        const open = this.pos;
        try { parts.push({ t: 'lit', v: this.ansiC(), q: true }); } catch (e) { throw openQuote(e, "'", open); }
        continue;
      }
      if (c === '$' || c === '`') {
        const p = this.dollar(false);
        if (p) { flush(); parts.push(p); continue; }
      }
      // In an assignment's value, a tilde after the `=` or after a `:` (`PATH=~/bin:~root/bin`).
      if (c === '~' && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=([^'"\\$`]*:)?$/.test(this.src.slice(wordStart, this.pos))) {
        const t = this.tilde(true);
        if (t) { flush(); parts.push(t); continue; }
      }
      lit += c;
      this.pos++;
    }
    flush();
    return parts;
  }

  /**
   * The word of a `${x:-word}`-like operator, the whole source (see parseParamWord): quoted
   * parts are `q` (literal in a pattern, never split), the rest is not.
   */
  paramWord(mode: ParamWordMode): Word {
    const parts: Word = [];
    let lit = '';
    let litQuoted = false;
    const add = (v: string, q: boolean) => {
      if (lit && q !== litQuoted) { parts.push({ t: 'lit', v: lit, q: litQuoted }); lit = ''; }
      lit += v;
      litQuoted = q;
    };
    const flush = () => { if (lit) { parts.push({ t: 'lit', v: lit, q: litQuoted }); lit = ''; } };
    if (mode === 'word') {
      const t = this.tilde(true);
      if (t) parts.push(t);
    }
    while (this.pos < this.src.length) {
      const c = this.peekc();
      const n = this.peekc(1);
      if (c === '\\') {
        // Unquoted, a backslash quotes any character; in double quotes only these (and `}`).
        if (n === '\n') { this.pos += 2; continue; }
        if (mode === 'word' ? n !== '' : '$`"\\}'.includes(n) && n !== '') { add(n, true); this.pos += 2; continue; }
        add(c, false);
        this.pos++;
        continue;
      }
      if (c === "'" && mode === 'word') {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) { add(c, false); this.pos++; continue; }
        // A part of its own, so that an empty '' still makes a (quoted, empty) field.
        flush();
        parts.push({ t: 'lit', v: this.src.slice(this.pos + 1, end), q: true });
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        if (mode === 'word') { flush(); this.pos++; this.doubleQuoted(parts); continue; }
        // Inside double quotes already: a nested pair only groups.
        this.pos++;
        continue;
      }
      if (c === '$' && n === "'") { flush(); parts.push({ t: 'lit', v: this.ansiC(), q: true }); continue; }
      if (c === '$' || c === '`') {
        const p = this.dollar(false);
        if (p) { flush(); parts.push(p); continue; }
      }
      add(c, false);
      this.pos++;
    }
    flush();
    return parts;
  }

  /**
   * A tilde prefix at the reading position: `~`, `~+`, `~-` or `~name`, up to a `/` or the end of
   * the word (or a `:` in an assignment); null (nothing read) when it is none.
   */
  private tilde(inAssignment: boolean): Part | null {
    const m = /^~([A-Za-z0-9_.+-]*)/.exec(this.src.slice(this.pos, this.pos + 256));
    if (!m) return null;
    const next = this.src[this.pos + m[0].length] ?? '';
    const ends = next === '' || next === '/' || ' \t\n;|&)<>'.includes(next) || (inAssignment && next === ':');
    if (!ends || !/^([+-]?|[A-Za-z_][A-Za-z0-9_.-]*)$/.test(m[1])) return null;
    this.pos += m[0].length;
    return { t: 'tilde', user: m[1] };
  }

  /** `$'…'`: a quoted string with C escapes (\n, \t, \xHH, \0NNN, \', …). */
  private ansiC(): string {
    let out = '';
    let i = this.pos + 2;
    for (;;) {
      const c = this.src[i];
      if (c === undefined) throw new Incomplete('quote');
      if (c === "'") break;
      if (c !== '\\') { out += c; i++; continue; }
      const n = this.src[i + 1] ?? '';
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
      if (n in simple) { out += simple[n]; i += 2; continue; }
      const hex = /^x([0-9A-Fa-f]{1,2})/.exec(this.src.slice(i + 1));
      if (hex) { out += String.fromCharCode(parseInt(hex[1], 16)); i += 1 + hex[0].length; continue; }
      const oct = /^[0-7]{1,3}/.exec(this.src.slice(i + 1));
      if (oct) { out += String.fromCharCode(parseInt(oct[0], 8) & 0xff); i += 1 + oct[0].length; continue; }
      out += '\\' + n;
      i += 2;
    }
    this.pos = i + 1;
    return out;
  }

  private doubleQuoted(parts: Word): void {
    let lit = '';
    const flush = () => { parts.push({ t: 'lit', v: lit, q: true }); lit = ''; };
    for (;;) {
      const c = this.peekc();
      if (c === '') throw new Incomplete('quote');
      if (c === '"') { this.pos++; break; }
      if (c === '\\') {
        const n = this.peekc(1);
        if (n === '$' || n === '`' || n === '"' || n === '\\') { lit += n; this.pos += 2; continue; }
        if (n === '\n') { this.pos += 2; continue; }
        lit += c;
        this.pos++;
        continue;
      }
      if (c === '$' || c === '`') {
        const p = this.dollar(true);
        if (p) { if (lit) flush(); parts.push(p); continue; }
      }
      lit += c;
      this.pos++;
    }
    flush();
  }

  /** $name, ${name}, $?, $(…), `…`; null when the `$` is literal. */
  private dollar(q: boolean): Part | null {
    const c = this.peekc();
    if (c === '`') {
      let i = this.pos + 1;
      let src = '';
      for (;;) {
        const d = this.src[i];
        if (d === undefined) { const e = new Incomplete('backtick'); e.quote = '`'; e.at = this.pos; throw e; }
        if (d === '\\' && (this.src[i + 1] === '`' || this.src[i + 1] === '\\' || this.src[i + 1] === '$')) { src += this.src[i + 1]; i += 2; continue; }
        if (d === '`') break;
        src += d;
        i++;
      }
      this.pos = i + 1;
      return { t: 'sub', src, q, bq: true };
    }
    const n = this.peekc(1);
    if (n === '(') {
      const end = this.peekc(2) === '(' ? findArithClose(this.src, this.pos + 3) : NOT_ARITH;
      if (end === -1) throw new Incomplete('arith');
      if (end >= 0) {
        const src = this.src.slice(this.pos + 3, end);
        this.pos = end + 2;
        return { t: 'arith', src, q };
      }
      const close = findClose(this.src, this.pos + 2);
      if (close < 0) throw new Incomplete('paren');
      const src = this.src.slice(this.pos + 2, close);
      this.pos = close + 1;
      return { t: 'sub', src, q };
    }
    if (n === '{') {
      const end = findBraceClose(this.src, this.pos + 2, this.pos);
      const name = this.src.slice(this.pos + 2, end);
      this.pos = end + 1;
      return { t: 'var', name, q };
    }
    if (/[?$#@*!0-9-]/.test(n) && n !== '') { this.pos += 2; return { t: 'var', name: n, q }; }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos + 1));
    if (m) { this.pos += 1 + m[0].length; return { t: 'var', name: m[0], q }; }
    return null;
  }
}

/**
 * Where the quoted string or expansion starting at `src[i]` ends (the index just after it):
 * `\x`, `'…'`, `$'…'`, `"…"`, `` `…` ``, `$(…)`, `$((…))`, `${…}`; -1 when none starts there.
 * One left open throws Incomplete (naming its quote, as bash's error does).
 */
function skipConstruct(src: string, i: number): number {
  const c = src[i];
  const open = (quote: string): never => { const e = new Incomplete(quote === '}' ? 'brace' : quote === '`' ? 'backtick' : 'quote'); e.quote = quote; e.at = i; throw e; };
  if (c === '\\') {
    if (i + 1 >= src.length) throw new Incomplete('backslash');
    return i + 2;
  }
  if (c === "'") {
    const end = src.indexOf("'", i + 1);
    return end < 0 ? open("'") : end + 1;
  }
  if (c === '"' || c === '`') {
    for (let j = i + 1; j < src.length;) {
      const d = src[j];
      if (d === c) return j + 1;
      if (d === '\\') { j += 2; continue; }
      const k = c === '"' && (d === '$' || d === '`') ? skipConstruct(src, j) : -1;
      j = k >= 0 ? k : j + 1;
    }
    return open(c);
  }
  if (c !== '$') return -1;
  const n = src[i + 1];
  if (n === "'") {
    for (let j = i + 2; j < src.length; j++) {
      if (src[j] === '\\') j++;
      else if (src[j] === "'") return j + 1;
    }
    return open("'");
  }
  if (n === '(') {
    const arithEnd = src[i + 2] === '(' ? findArithClose(src, i + 3) : NOT_ARITH;
    if (arithEnd === -1) throw new Incomplete('arith');
    if (arithEnd >= 0) return arithEnd + 2;
    const close = findClose(src, i + 2);
    if (close < 0) throw new Incomplete('paren');
    return close + 1;
  }
  if (n === '{') return findBraceClose(src, i + 2, i) + 1;
  return -1;
}

/**
 * The first of the characters `stops` in `src` from `from` on that is not quoted or inside an
 * expansion (the `}` closing a `${`, the `/` before a replacement); -1 when there is none.
 */
export function findUnquoted(src: string, from: number, stops: string): number {
  for (let i = from; i < src.length;) {
    if (stops.includes(src[i])) return i;
    const next = skipConstruct(src, i);
    i = next >= 0 ? next : i + 1;
  }
  return -1;
}

/**
 * The `}` closing the `${` at `open` whose text starts at `from`: like bash, quotes and nested
 * expansions inside are skipped (`${x:-"}"}`, `${x:-${y}}`), but a bare `{` does not nest.
 */
function findBraceClose(src: string, from: number, open: number): number {
  const end = findUnquoted(src, from, '}');
  if (end >= 0) return end;
  const e = new Incomplete('brace');
  e.quote = '}';
  e.at = open;
  throw e;
}

/**
 * How the word of a parameter operator is read: `word` with bash's usual quote removal, for
 * one outside double quotes and for any pattern or replacement (`"${x#'*'}"` removes a literal
 * star); `dq` for the word of `-`, `+`, `=` inside double quotes, where single quotes are
 * ordinary characters (`"${x:-'a'}"` keeps them) and a backslash quotes only `$ \` " \ }`.
 */
export type ParamWordMode = 'word' | 'dq';

const PARAM_WORDS = new Map<string, Word>();

/** The word of a `${…}` operator (its text after the operator) as parts; parsed once per text and mode. */
export function parseParamWord(text: string, mode: ParamWordMode): Word {
  const key = mode + '\0' + text;
  let w = PARAM_WORDS.get(key);
  if (!w) {
    // Parsed words are kept for loops; a bound keeps a long session from growing the cache forever.
    if (PARAM_WORDS.size >= 4096) PARAM_WORDS.clear();
    w = new Lexer(text).paramWord(mode);
    PARAM_WORDS.set(key, w);
  }
  return w;
}

/** Index of the `))` closing a `$((` or `((` whose expression starts at `from`. */
export function findArithClose(src: string, from: number): number {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return src[i + 1] === ')' ? i : NOT_ARITH;
      depth--;
    }
  }
  return -1;
}

/** findArithClose: the parentheses close singly, so `$((…) …)` is a command substitution. */
const NOT_ARITH = -2;

/**
 * Index of the `)` closing a `$(` whose content starts at `from`: bash finds it by parsing the
 * content as commands (parse_comsub), so a `case` pattern's `)`, a comment or a here-document
 * closes nothing. -1 when the input ends first; content that is no valid command falls back
 * to counting parentheses (its error comes when it runs).
 */
function findClose(src: string, from: number): number {
  const lx = new Lexer(src);
  lx.pos = from;
  try {
    return new Parser(lx, src).closeOfSubstitution();
  } catch (e) {
    if (e instanceof Incomplete) return -1;
    if (e instanceof SyntaxError_) return countToClose(src, from);
    throw e;
  }
}

/** Index of the `)` closing a `$(` whose content starts at `from`, counting parentheses outside quotes. */
function countToClose(src: string, from: number): number {
  let depth = 1;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') { i++; continue; }
    if (c === "'") { const e = src.indexOf("'", i + 1); if (e < 0) return -1; i = e; continue; }
    if (c === '"') {
      for (i++; i < src.length && src[i] !== '"'; i++) if (src[i] === '\\') i++;
      if (i >= src.length) return -1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') { depth--; if (depth === 0) return i; }
  }
  return -1;
}

class Parser {
  private tok: Tok;
  /** Offsets of the source's newlines, for line numbers. */
  private readonly newlines: number[] = [];
  constructor(private readonly lx: Lexer, private readonly src: string) {
    for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) this.newlines.push(i);
    this.tok = lx.next();
  }

  private lineAt(pos: number): number {
    let lo = 0;
    let hi = this.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.newlines[mid] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }

  /** The line the last token advanced past ends on. */
  private lastEndLine = 1;
  private advance(): Tok { const t = this.tok; this.lastEndLine = this.endLine(t); this.tok = this.lx.next(); return t; }

  /** The line a token ends on (a word may hold newlines; the end of input is on the last line). */
  private endLine(t: Tok): number {
    if (t.k === 'word') return this.lineAt(t.start + Math.max(0, t.raw.length - 1));
    return this.lineAt(t.k === 'eof' ? Math.max(0, Math.min(t.start, this.src.length) - 1) : t.start);
  }
  /** The line of the current token (where a syntax error is reported). */
  currentLine(): number { return this.lineAt(this.tok.start); }
  /** The current token (a method, so TypeScript does not narrow it across advance()). */
  private peek(): Tok { return this.tok; }
  /** The current token's kind (a method, so TypeScript does not narrow it across advance()). */
  private kind(): Tok['k'] { return this.tok.k; }
  private isOp(v: string): boolean { return this.tok.k === 'op' && this.tok.v === v; }
  private skipNewlines(): void { while (this.tok.k === 'nl') this.advance(); }

  /** A word token in command position that ends the current list (do, done, fi, ...). */
  private atWord(words?: readonly string[]): boolean {
    return !!words && this.tok.k === 'word' && words.includes(this.tok.raw);
  }

  /** The content of a `$(…)` parsed up to its `)`: where that `)` is. */
  closeOfSubstitution(): number {
    this.parseProgram(')');
    const t = this.peek();
    if (t.k === 'eof') throw new Incomplete('paren');
    return t.start;
  }

  parseProgram(endOp?: string, endWords?: readonly string[]): List {
    const list: List = { items: [] };
    this.skipNewlines();
    while (this.tok.k !== 'eof' && !(endOp && this.isOp(endOp)) && !this.atWord(endWords)) {
      const start = this.tok.start;
      const andOr = this.andOr();
      andOr.text = this.src.slice(start, this.tok.start).trim();
      const endLine = this.lineAt(this.tok.start);
      let background = false;
      let newline = false;
      if (this.isOp('&')) { background = true; this.advance(); }
      else if (this.isOp(';')) this.advance();
      else if (this.kind() === 'nl') { newline = true; this.advance(); }
      else if (this.kind() !== 'eof' && !(endOp && this.isOp(endOp)) && !this.atWord(endWords)) throw new SyntaxError_(this.tokText());
      list.items.push({ andOr, background, line: this.lineAt(start), endLine, ...(newline ? { newline: true as const } : {}) });
      this.skipNewlines();
    }
    return list;
  }

  private tokText(): string {
    const t = this.tok;
    if (t.k === 'op' || t.k === 'redir') return t.v;
    if (t.k === 'word') return t.raw;
    return t.k === 'nl' ? 'newline' : 'newline';
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.advance() as { v: string }).v as '&&' | '||';
      this.skipNewlines();
      if (this.tok.k === 'eof') throw new Incomplete(op);
      rest.push({ op, p: this.pipeline() });
    }
    return { first, rest, text: '' };
  }

  private pipeline(): Pipeline {
    // The `time` keyword (`time -p`) and `!` come before a pipeline, in any order and number
    // (`! ! p` is p; `time time p` times once); `time` alone times nothing.
    if (this.tok.k === 'word' && this.tok.raw === 'time') {
      this.advance();
      let time: Pipeline['time'] = 'bash';
      // (The token moved on: read it afresh, past TypeScript's narrowing.)
      const option = this.tok as Tok;
      if (option.k === 'word' && option.raw === '-p') { time = 'posix'; this.advance(); }
      const next = this.tok as Tok;
      if (next.k === 'eof' || next.k === 'nl' || (next.k === 'op' && next.v !== '(')) return { negate: false, cmds: [], texts: [], time };
      return { ...this.pipeline(), time };
    }
    if (this.tok.k === 'word' && this.tok.raw === '!') {
      this.advance();
      const inner = this.pipeline();
      return { ...inner, negate: !inner.negate };
    }
    const negate = false;
    const cmds: Command[] = [];
    const texts: string[] = [];
    const command = () => {
      const start = this.tok.start;
      const c = this.command();
      cmds.push(c);
      texts.push(c.type === 'simple' && c.text !== undefined ? c.text : this.src.slice(start, this.tok.start).trim());
    };
    command();
    while (this.isOp('|')) {
      this.advance();
      this.skipNewlines();
      if (this.tok.k === 'eof') throw new Incomplete('|');
      command();
    }
    return { negate, cmds, texts };
  }

  /** Parse a list up to one of `words`; EOF first means the input is incomplete. */
  private listUntil(words: readonly string[]): List {
    const l = this.parseProgram(undefined, words);
    if (this.tok.k === 'eof') throw new Incomplete(words[0]);
    // A condition or body cannot be empty (`while true; do done`).
    if (l.items.length === 0) throw new SyntaxError_(this.tokText());
    return l;
  }

  private expectWord(w: string): void {
    if (this.tok.k === 'eof') throw new Incomplete(w);
    if (!(this.tok.k === 'word' && this.tok.raw === w)) throw new SyntaxError_(this.tokText());
    this.advance();
  }

  private redirsAfter(): Redir[] {
    const redirs: Redir[] = [];
    while (this.tok.k === 'redir') redirs.push(this.redir());
    return redirs;
  }

  private compound(): Command | null {
    if (this.tok.k !== 'word') return null;
    switch (this.tok.raw) {
      case 'for': {
        this.advance();
        if (this.isOp('(') && this.src[this.tok.start + 1] === '(') {
          const header = this.lx.arithCommand(this.tok.start);
          this.tok = this.lx.next();
          const parts = header.split(';');
          if (parts.length !== 3) throw new SyntaxError_('(');
          if (this.isOp(';')) this.advance();
          this.skipNewlines();
          this.expectWord('do');
          const body = this.listUntil(['done']);
          this.advance();
          return { type: 'arith-for', init: parts[0], cond: parts[1], step: parts[2], body, redirs: this.redirsAfter() };
        }
        const nameTok = this.peek();
        if (nameTok.k !== 'word') throw nameTok.k === 'eof' ? new Incomplete('for') : new SyntaxError_(this.tokText());
        const name = nameTok.raw;
        this.advance();
        let words: Word[] | null = null;
        let wordsText: string | undefined;
        while (this.kind() === 'nl') this.advance();
        const inTok = this.peek();
        if (inTok.k === 'word' && inTok.raw === 'in') {
          this.advance();
          words = [];
          const raws: string[] = [];
          for (let w = this.peek(); w.k === 'word'; w = this.peek()) { words.push(w.w); raws.push(w.raw); this.advance(); }
          wordsText = raws.join(' ');
        }
        if (this.isOp(';')) this.advance();
        this.skipNewlines();
        this.expectWord('do');
        const body = this.listUntil(['done']);
        this.advance();
        return { type: 'for', name, words, wordsText, body, redirs: this.redirsAfter() };
      }
      case 'while':
      case 'until': {
        const until = this.tok.raw === 'until';
        this.advance();
        const cond = this.listUntil(['do']);
        this.advance();
        const body = this.listUntil(['done']);
        this.advance();
        return { type: 'while', until, cond, body, redirs: this.redirsAfter() };
      }
      case 'if': {
        this.advance();
        const clauses: { cond: List; body: List }[] = [];
        let elseBody: List | null = null;
        for (;;) {
          const cond = this.listUntil(['then']);
          this.advance();
          const body = this.listUntil(['elif', 'else', 'fi']);
          clauses.push({ cond, body });
          const w = (this.tok as { raw: string }).raw;
          this.advance();
          if (w === 'elif') continue;
          if (w === 'else') { elseBody = this.listUntil(['fi']); this.advance(); }
          break;
        }
        return { type: 'if', clauses, elseBody, redirs: this.redirsAfter() };
      }
      case '{': {
        this.advance();
        const list = this.listUntil(['}']);
        this.advance();
        return { type: 'group', list, redirs: this.redirsAfter() };
      }
      case 'case':
        return this.caseCommand();
      case '[[':
        return this.condCommand();
      case 'function': {
        const start = this.tok.start;
        this.advance();
        const nameTok = this.peek();
        if (nameTok.k !== 'word') throw nameTok.k === 'eof' ? new Incomplete('function') : new SyntaxError_(this.tokText());
        this.advance();
        if (this.isOp('(')) {
          this.advance();
          if (!this.isOp(')')) throw new SyntaxError_(this.tokText());
          this.advance();
        }
        return this.functionBody(nameTok.raw, start);
      }
    }
    return null;
  }

  /** `case WORD in [(]PAT[|PAT]...) LIST ;; ... esac` */
  private caseCommand(): Case {
    this.advance();
    const wordTok = this.peek();
    if (wordTok.k !== 'word') throw wordTok.k === 'eof' ? new Incomplete('case') : new SyntaxError_(this.tokText());
    this.advance();
    this.skipNewlines();
    this.expectWord('in');
    this.skipNewlines();
    const clauses: Case['clauses'] = [];
    while (!this.atWord(['esac'])) {
      if (this.kind() === 'eof') throw new Incomplete('esac');
      if (this.isOp('(')) this.advance();
      const patterns: Word[] = [];
      for (;;) {
        const t = this.peek();
        if (t.k !== 'word') throw t.k === 'eof' ? new Incomplete('esac') : new SyntaxError_(this.tokText());
        patterns.push(t.w);
        this.advance();
        if (this.isOp('|')) { this.advance(); continue; }
        break;
      }
      if (this.kind() === 'eof') throw new Incomplete('esac');
      if (!this.isOp(')')) throw new SyntaxError_(this.tokText());
      this.advance();
      const body = this.parseProgram(';;', ['esac']);
      if (this.kind() === 'eof') throw new Incomplete('esac');
      clauses.push({ patterns, body });
      if (this.isOp(';;')) this.advance();
      this.skipNewlines();
    }
    this.advance();
    return { type: 'case', word: wordTok.w, wordText: wordTok.raw, clauses, redirs: this.redirsAfter() };
  }

  /** `[[ expression ]]`: the tokens up to `]]`, evaluated later (cond.ts). */
  private condCommand(): Cond {
    this.advance();
    const tokens: CondTok[] = [];
    for (;;) {
      const t = this.peek();
      if (t.k === 'eof') throw new Incomplete('[[');
      if (t.k === 'nl') { this.advance(); continue; }
      if (t.k === 'word' && t.raw === ']]') { this.advance(); break; }
      if (t.k === 'word') {
        tokens.push({ w: t.w, raw: t.raw });
        // The regex after =~ is one word even with parentheses in it.
        if (t.raw === '=~') { this.tok = this.lx.next(true); continue; }
      } else if (t.k === 'op' && ['&&', '||', '(', ')'].includes(t.v)) tokens.push({ op: t.v });
      else if (t.k === 'redir' && t.fd === null && (t.v === '<' || t.v === '>')) tokens.push({ op: t.v });
      else throw new SyntaxError_(this.tokText());
      this.advance();
    }
    if (tokens.length === 0) throw new SyntaxError_(']]');
    // Like bash, a malformed expression is a syntax error: the line does not run at all.
    const problem = condSyntaxError(tokens);
    if (problem) throw new SyntaxError_(']]', problem);
    return { type: 'cond', tokens, redirs: this.redirsAfter() };
  }

  /** After `name()` or `function name`: the body is a compound command. */
  private functionBody(name: string, start: number): FuncDef {
    this.skipNewlines();
    if (this.kind() === 'eof') throw new Incomplete('function');
    const body = this.compound() ?? (this.isOp('(') ? this.command() : null);
    if (!body) throw new SyntaxError_(this.tokText());
    return { type: 'func', name, body, text: this.src.slice(start, this.tok.start).trim(), redirs: [] };
  }

  private command(): Command {
    // A word that only closes or continues a construct cannot start a command.
    if (this.tok.k === 'word' && CLOSING_WORDS.includes(this.tok.raw)) throw new SyntaxError_(this.tok.raw);
    const c = this.compound();
    if (c) return c;
    if (this.isOp('(') && this.src[this.tok.start + 1] === '(') {
      const src = this.lx.arithCommand(this.tok.start);
      this.tok = this.lx.next();
      return { type: 'arith', src, redirs: this.redirsAfter() };
    }
    if (this.isOp('(')) {
      this.advance();
      const list = this.parseProgram(')');
      if (this.tok.k === 'eof') throw new Incomplete('(');
      this.advance();
      const redirs: Redir[] = [];
      while (this.tok.k === 'redir') redirs.push(this.redir());
      return { type: 'subshell', list, redirs };
    }
    const cmd: Simple = { type: 'simple', assigns: [], words: [], redirs: [] };
    let commandName: string | null = null;
    const pieces: string[] = [];
    for (;;) {
      const t = this.tok;
      if (t.k === 'redir') {
        cmd.redirs.push(this.redir());
        pieces.push(this.lastRedirText);
        cmd.line ??= this.lastEndLine;
        continue;
      }
      if (t.k !== 'word') break;
      this.advance();
      if (cmd.line === undefined) cmd.line = assignmentPrefix(t.raw) ? this.endLine(t) : this.endLine(this.tok);
      if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirs.length === 0 && this.isOp('(') && /^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(t.raw)) {
        this.advance();
        if (!this.isOp(')')) throw this.kind() === 'eof' ? new Incomplete('function') : new SyntaxError_(this.tokText());
        this.advance();
        return this.functionBody(t.raw, t.start);
      }
      const prefix = assignmentPrefix(t.raw);
      if (prefix && cmd.words.length === 0) {
        const first = t.w[0];
        // The value: the word's parts after the `=` (read again when the subscript had quotes).
        const value: Word = first?.t === 'lit' && !first.q && first.v.startsWith(prefix.text)
          ? [{ t: 'lit', v: first.v.slice(prefix.text.length), q: false }, ...t.w.slice(1)]
          : parseParamWord(t.raw.slice(prefix.text.length), 'word');
        const assign: Assign = { name: prefix.name, value, index: prefix.index, append: prefix.append, array: null };
        // name=( … ): an array, when the parenthesis follows the = directly.
        if (t.raw === prefix.text && prefix.index === null && this.isOp('(') && this.tok.start === t.start + t.raw.length) {
          this.compoundValue(assign);
          pieces.push(`${t.raw}(${assign.arrayText!.join(' ')})`);
        } else pieces.push(t.raw);
        cmd.assigns.push(assign);
        continue;
      }
      // `declare -A m=( … )`, `local a=( … )`: a declaration builtin's argument may be an array too.
      if (prefix && prefix.index === null && t.raw === prefix.text && commandName !== null && DECLARATION_BUILTINS.includes(commandName) && this.isOp('(') && this.tok.start === t.start + t.raw.length) {
        const assign: Assign = { name: prefix.name, value: [], index: null, append: prefix.append, array: null };
        const end = this.compoundValue(assign);
        (cmd.compound ??= new Map()).set(cmd.words.length, assign);
        // In its place among the words, the text as written (what set -x shows).
        cmd.words.push([{ t: 'lit', v: this.src.slice(t.start, end), q: true }]);
        pieces.push(this.src.slice(t.start, end));
        continue;
      }
      if (cmd.words.length === 0) commandName = t.raw;
      cmd.words.push(t.w);
      pieces.push(t.raw);
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirs.length === 0) {
      if (this.tok.k === 'eof') throw new Incomplete('command');
      throw new SyntaxError_(this.tokText());
    }
    cmd.text = pieces.join(' ');
    return cmd;
  }

  /** After `name=`: the words of `( … )` (newlines allowed) into `assign.array`; the index after the `)`. */
  private compoundValue(assign: Assign): number {
    this.advance();
    assign.array = [];
    assign.arrayText = [];
    for (;;) {
      const x = this.peek();
      if (x.k === 'nl') { this.advance(); continue; }
      // bash's parser fails an array's value with status 1, not a syntax error's 2.
      if (x.k === 'eof') throw Object.assign(new Incomplete('paren'), { status: 1 });
      if (x.k === 'op' && x.v === ')') { this.advance(); return x.start + 1; }
      if (x.k !== 'word') throw Object.assign(new SyntaxError_(this.tokText()), { status: 1 });
      assign.array.push(x.w);
      assign.arrayText.push(x.raw);
      this.advance();
    }
  }

  /** The last redirection redir() read, as bash prints it back (`2> f`, `>&2`, `&> f`). */
  private lastRedirText = '';

  private redir(): Redir {
    const t = this.advance() as Extract<Tok, { k: 'redir' }>;
    const op = t.v === '>|' ? '>' : t.v === '<<-' ? '<<' : (t.v as Redir['op']);
    const defFd = op.startsWith('<') ? 0 : 1;
    const r: Redir = { fd: t.fd ?? defFd, op };
    if (this.tok.k !== 'word') {
      if (this.tok.k === 'eof' || this.tok.k === 'nl') throw new SyntaxError_('newline');
      throw new SyntaxError_(this.tokText());
    }
    // Register a heredoc before advancing: the next token may be the newline that reads its body.
    const w = this.tok;
    const duplicate = (op === '>&' || op === '<&') && /^(\d+|-)$/.test(w.raw);
    this.lastRedirText = `${r.fd !== defFd && !op.startsWith('&') ? r.fd : ''}${t.v}${duplicate ? '' : ' '}${w.raw}`;
    if (t.v === '<<' || t.v === '<<-') this.lx.heredoc(w.w, t.v === '<<-', r);
    else r.target = w.w;
    this.advance();
    return r;
  }
}

/** Parse a whole input (one or more lines). Throws Incomplete or SyntaxError_. */
/** bash's complaint about a `[[ ]]` expression's shape, or null when it is well formed. */
function condSyntaxError(tokens: CondTok[]): string | null {
  const dryRun = evalCond(tokens, {
    *word() { return ''; }, *pattern() { return ''; }, *regex() { return ''; },
    globMatch: () => false, arith: () => 0n, file: () => null, isSet: () => false, setMatch: () => undefined,
  });
  try {
    dryRun.next();
    return null;
  } catch (e) {
    if (e instanceof CondError) return e.message;
    throw e;
  }
}

const CLOSING_WORDS = ['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}'];

/** Builtins whose `name=( … )` arguments are arrays, as in an assignment. */
const DECLARATION_BUILTINS = ['declare', 'typeset', 'local', 'export', 'readonly'];

/**
 * The `name=`, `name+=`, `name[subscript]=` a word starts with when it is an assignment (the
 * subscript may hold quotes and expansions: `m["a b"]=1`, `m[$k]+=x`); null when it is not.
 */
export function assignmentPrefix(raw: string): { text: string; name: string; index: string | null; append: boolean } | null {
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(raw);
  if (!m) return null;
  let at = m[0].length;
  let index: string | null = null;
  if (raw[at] === '[') {
    let close: number;
    try { close = findUnquoted(raw, at + 1, ']'); } catch { return null; }
    if (close < 0) return null;
    index = raw.slice(at + 1, close);
    at = close + 1;
  }
  const op = raw.startsWith('+=', at) ? '+=' : raw[at] === '=' ? '=' : null;
  if (op === null) return null;
  return { text: raw.slice(0, at + op.length), name: m[0], index, append: op === '+=' };
}

export function parse(src: string): List {
  const lx = new Lexer(src);
  const p = new Parser(lx, src);
  try {
    return p.parseProgram();
  } catch (e) {
    if (e instanceof SyntaxError_ && e.line === undefined) e.line = p.currentLine();
    throw e;
  }
}
