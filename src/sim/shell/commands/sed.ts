/**
 * sed as GNU sed 4.9: the script is compiled first into a flat list of commands (a `{` knows
 * where its `}` is, a branch knows its label's index), with GNU's messages and the character
 * position at which GNU notices the error (`-e expression #2, char 7: unknown option to `s'`).
 * Then the usual cycle: read a line into the pattern space, run the commands (addresses: line
 * numbers, `$`, /regex/, `first~step`, ranges with `,N` `,/re/` `,+N` `,~N`, `0,/re/`, `!`),
 * print the pattern space unless -n, write what `a`/`r` queued. A last line without its
 * newline is printed without one, and anything printed after it starts with the missing
 * newline, as GNU does. -i (and -s) run each file on its own: line numbers and `$` restart.
 * Standard input is read line by line as it comes, so `yes | sed 3q` ends.
 */
import type { Command, CmdCtx } from '../context';
import { ERRNO, readChunk, readText, writeText } from '../context';
import type { TaskGen } from '../../kernel/tasks';
import { breToJs, regexError } from './text';

const USAGE = `Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the \`l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
`;

/** A regex of the script; `null` in an address or `s` means "the last regex used" (`//`). */
type Rx = RegExp | null;

type Addr =
  | { kind: 'line'; n: number }
  | { kind: 'last' }
  | { kind: 're'; re: Rx }
  | { kind: 'step'; first: number; step: number }
  | { kind: 'plus'; n: number }
  | { kind: 'mult'; n: number };

interface SedCmd {
  a1: Addr | null;
  a2: Addr | null;
  negate: boolean;
  name: string;
  /** A range in progress, and (for `,N` ranges decided when they start) the line that ends it. */
  active: boolean;
  endLine: number;
  /** `{`: the index of its `}`; b/t/T: the label; a/i/c: the text; r/w: the file name; q/Q: the status; y: the map. */
  jump: number;
  label: string;
  text: string;
  status: number;
  map: Map<string, string> | null;
  // s
  re: Rx;
  repl: ReplPart[];
  global: boolean;
  nth: number;
  print: boolean;
  wfile: string;
}

type ReplPart = { lit: string } | { group: number } | { case: 'L' | 'U' | 'l' | 'u' | 'E' };

class CompileError {
  constructor(readonly msg: string, readonly pos: number) {}
}

/** A cursor over one -e expression, counting characters read as GNU's `char N` does. */
class Script {
  pos = 0;
  constructor(readonly text: string) {}
  get(): string | null {
    if (this.pos >= this.text.length) return null;
    return this.text[this.pos++];
  }
  peek(): string | null { return this.pos < this.text.length ? this.text[this.pos] : null; }
  unget(): void { this.pos--; }
  fail(msg: string): never { throw new CompileError(msg, this.pos); }
  skipSpace(): string | null {
    let c = this.get();
    while (c === ' ' || c === '\t') c = this.get();
    return c;
  }
}

const isSpace = (c: string | null) => c === ' ' || c === '\t';

function newCmd(): SedCmd {
  return {
    a1: null, a2: null, negate: false, name: '', active: false, endLine: 0, jump: -1, label: '', text: '', status: 0,
    map: null, re: null, repl: [], global: false, nth: 1, print: false, wfile: '',
  };
}

/** Capturing groups in a JavaScript regex. */
function groupCount(re: RegExp): number {
  return (new RegExp(`${re.source}|`).exec('')?.length ?? 1) - 1;
}

interface CompileState { cmds: SedCmd[]; blocks: number[]; ere: boolean; wfiles: Set<string> }

/**
 * Read up to an unescaped `delim` (GNU's match_slash): `\delim` is the delimiter itself, `\n`
 * a newline; brackets are skipped whole. Returns null at the end of the expression.
 */
function matchSlash(s: Script, delim: string, regex: boolean): string | null {
  let out = '';
  for (;;) {
    const c = s.get();
    if (c === null) return null;
    // An unescaped newline ends the command unterminated (GNU does not count it).
    if (c === '\n') { s.unget(); return null; }
    if (c === delim) return out;
    if (c === '\\') {
      const n = s.get();
      if (n === null) return null;
      if (n === delim) out += delim;
      else if (n === 'n' && regex) out += '\\n';
      else if (n === '\n' && !regex) out += '\n';
      else out += '\\' + n;
      continue;
    }
    if (c === '[' && regex) {
      // A bracket expression: the delimiter inside it is an ordinary character.
      out += c;
      let first = true;
      for (;;) {
        const d = s.get();
        if (d === null) return null;
        out += d;
        if (first && d === '^') continue;
        if (d === '[' && (s.peek() === ':' || s.peek() === '.' || s.peek() === '=')) {
          const kind = s.get()!;
          out += kind;
          for (;;) {
            const e = s.get();
            if (e === null) return null;
            out += e;
            if (e === kind && s.peek() === ']') { out += s.get(); break; }
          }
        } else if (d === ']' && !first) break;
        first = false;
      }
      continue;
    }
    out += c;
  }
}

function compileRegex(s: Script, st: CompileState, src: string, flags: string): Rx {
  if (src === '') return null;
  try {
    return new RegExp(st.ere ? src : breToJs(src), `s${flags}`);
  } catch {
    return s.fail(regexError(src));
  }
}

function readNumber(s: Script, first: string): number {
  let t = first;
  while (/\d/.test(s.peek() ?? '')) t += s.get();
  return Number(t);
}

function compileAddress(s: Script, st: CompileState, c: string | null): Addr | null {
  if (c === null) return null;
  if (/\d/.test(c)) {
    const n = readNumber(s, c);
    if (s.peek() === '~') {
      s.get();
      const d = s.get();
      const step = d !== null && /\d/.test(d) ? readNumber(s, d) : (d !== null && s.unget(), 0);
      return { kind: 'step', first: n, step };
    }
    return { kind: 'line', n };
  }
  if (c === '$') return { kind: 'last' };
  if (c === '/' || c === '\\') {
    const delim = c === '\\' ? s.get() : '/';
    if (delim === null) s.fail('unterminated address regex');
    const src = matchSlash(s, delim, true);
    if (src === null) s.fail('unterminated address regex');
    let flags = '';
    for (;;) {
      const f = s.peek();
      if (f === 'I') { s.get(); flags += 'i'; } else if (f === 'M') { s.get(); flags += 'm'; } else break;
    }
    return { kind: 're', re: compileRegex(s, st, src, flags) };
  }
  return null;
}

/** A text argument of a, i, c: the one-line GNU form (`a text`) or the classic `a\` newline text. */
function readTextArg(s: Script): string {
  let c = s.skipSpace();
  if (c === null) s.fail("expected \\ after `a', `c' or `i'");
  if (c === '\\') {
    // `a\` newline text, or `a\text` with its blanks kept; `a\` at the end has no text.
    c = s.get();
    if (c === '\n') c = s.get();
    if (c === null) return '';
  }
  let out = '';
  while (c !== null && c !== '\n') {
    if (c === '\\') {
      c = s.get();
      if (c === null) break;
    }
    out += c;
    c = s.get();
  }
  return out + '\n';
}

/** A file name or label: to the end of the line (labels also end at `;` or blanks). */
function readToEol(s: Script, label: boolean): string {
  let c = s.skipSpace();
  let out = '';
  while (c !== null && c !== '\n' && !(label && (c === ';' || isSpace(c)))) { out += c; c = s.get(); }
  if (c !== null && label) s.unget();
  return out;
}

/** After a command: blanks, then the end, a newline, `;`, `}` or `#`. */
function endOfCmd(s: Script): void {
  const c = s.skipSpace();
  if (c === null || c === '\n' || c === ';') return;
  if (c === '}' || c === '#') { s.unget(); return; }
  s.fail('extra characters after command');
}

function compileSubst(s: Script, st: CompileState, cmd: SedCmd): void {
  const delim = s.get();
  if (delim === null || delim === '\n' || delim === '\\') s.fail("unterminated `s' command");
  const src = matchSlash(s, delim, true);
  if (src === null) s.fail("unterminated `s' command");
  const replText = matchSlash(s, delim, false);
  if (replText === null) s.fail("unterminated `s' command");
  let flags = '';
  let seenG = false;
  let seenP = false;
  let nth = 0;
  for (;;) {
    const c = s.get();
    if (c === 'i' || c === 'I') flags += 'i';
    else if (c === 'm' || c === 'M') flags += 'm';
    else if (c === 'e') { /* runs the pattern space as a command: not in this shell */ }
    else if (c === 'g') { if (seenG) s.fail("multiple `g' options to `s' command"); seenG = true; }
    else if (c === 'p') { if (seenP) s.fail("multiple `p' options to `s' command"); seenP = true; }
    else if (c !== null && /\d/.test(c)) {
      if (nth) s.fail("multiple number options to `s' command");
      nth = readNumber(s, c);
      if (nth === 0) s.fail("number option to `s' command may not be zero");
    } else if (c === 'w') {
      cmd.wfile = readToEol(s, false);
      if (!cmd.wfile) s.fail('missing filename in r/R/w/W commands');
      st.wfiles.add(cmd.wfile);
      break;
    } else if (c === null || c === '\n' || c === ';') break;
    else if (c === '}' || c === '#') { s.unget(); break; }
    else if (isSpace(c)) continue;
    else s.fail("unknown option to `s'");
  }
  cmd.re = compileRegex(s, st, src, flags);
  cmd.repl = parseReplacement(replText);
  const groups = cmd.re ? groupCount(cmd.re) : 9;
  for (const p of cmd.repl) if ('group' in p && p.group > groups) s.fail(`invalid reference \\${p.group} on \`s' command's RHS`);
  cmd.global = seenG;
  cmd.print = seenP;
  cmd.nth = nth || 1;
}

function parseReplacement(text: string): ReplPart[] {
  const parts: ReplPart[] = [];
  let lit = '';
  const flush = () => { if (lit) { parts.push({ lit }); lit = ''; } };
  const named: Record<string, string> = { n: '\n', t: '\t', a: '\x07', f: '\f', v: '\v', r: '\r' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '&') { flush(); parts.push({ group: 0 }); continue; }
    if (c !== '\\' || i + 1 >= text.length) { lit += c; continue; }
    const n = text[++i];
    if (/\d/.test(n)) { flush(); parts.push({ group: Number(n) }); } else if ('LUluE'.includes(n)) { flush(); parts.push({ case: n as 'L' }); } else lit += named[n] ?? n;
  }
  flush();
  return parts;
}

function compileExpression(text: string, st: CompileState): void {
  const s: Script = new Script(text);
  for (;;) {
    let c = s.get();
    while (c !== null && (isSpace(c) || c === '\n' || c === ';')) c = s.get();
    if (c === null) return;
    if (c === '#') {
      while (c !== null && c !== '\n') c = s.get();
      continue;
    }
    const cmd = newCmd();
    cmd.a1 = compileAddress(s, st, c);
    if (cmd.a1) {
      if (cmd.a1.kind === 'step' && cmd.a1.step === 0) cmd.a1 = { kind: 'line', n: cmd.a1.first };
      c = s.skipSpace();
      if (c === ',') {
        const d = s.skipSpace();
        if (d === '+' || d === '~') {
          const e = s.get();
          if (e === null || !/\d/.test(e)) s.fail("expected newer version of sed");
          cmd.a2 = d === '+' ? { kind: 'plus', n: readNumber(s, e) } : { kind: 'mult', n: readNumber(s, e) };
        } else {
          cmd.a2 = compileAddress(s, st, d);
          if (!cmd.a2 || cmd.a2.kind === 'step') s.fail("unexpected `,'");
        }
        c = s.skipSpace();
      }
      if (cmd.a1.kind === 'line' && cmd.a1.n === 0 && (!cmd.a2 || cmd.a2.kind !== 're')) s.fail('invalid usage of line address 0');
    }
    if (c === '!') {
      cmd.negate = true;
      c = s.skipSpace();
      if (c === '!') s.fail("multiple `!'s");
    }
    if (c === null || c === '\n' || c === ';') s.fail('missing command');
    cmd.name = c;
    const index = st.cmds.length;
    switch (c) {
      case '{':
        st.blocks.push(index);
        break;
      case '}':
        if (cmd.a1) s.fail("} doesn't want any addresses");
        if (st.blocks.length === 0) s.fail("unexpected `}'");
        st.cmds[st.blocks.pop()!].jump = index;
        endOfCmd(s);
        break;
      case ':': {
        if (cmd.a1) s.fail(": doesn't want any addresses");
        cmd.label = readToEol(s, true);
        if (!cmd.label) s.fail('":" lacks a label');
        break;
      }
      case 'a': case 'i': case 'c':
        cmd.text = readTextArg(s);
        break;
      case 'b': case 't': case 'T':
        cmd.label = readToEol(s, true);
        endOfCmd(s);
        break;
      case 'r': case 'w':
        cmd.wfile = readToEol(s, false);
        if (!cmd.wfile) s.fail('missing filename in r/R/w/W commands');
        if (c === 'w') st.wfiles.add(cmd.wfile);
        break;
      case 'q': case 'Q': case 'l': case 'L': {
        if ((c === 'q' || c === 'Q') && cmd.a2) s.fail('command only uses one address');
        const d = s.skipSpace();
        if (d !== null && /\d/.test(d)) cmd.status = readNumber(s, d);
        else if (d !== null) s.unget();
        endOfCmd(s);
        break;
      }
      case '=': case 'd': case 'D': case 'g': case 'G': case 'h': case 'H': case 'n': case 'N':
      case 'p': case 'P': case 'x': case 'z': case 'F':
        endOfCmd(s);
        break;
      case 's':
        compileSubst(s, st, cmd);
        break;
      case 'y': {
        const delim = s.get();
        if (delim === null || delim === '\n' || delim === '\\') s.fail("unterminated `y' command");
        const from = matchSlash(s, delim, false);
        const to = from === null ? null : matchSlash(s, delim, false);
        if (from === null || to === null) s.fail("unterminated `y' command");
        const unescape = (t: string) => t.replace(/\\(.)/gs, (_m, x: string) => (x === 'n' ? '\n' : x === '\\' ? '\\' : `\\${x}`));
        const f = unescape(from);
        const t = unescape(to);
        if (f.length !== t.length) s.fail("strings for `y' command are different lengths");
        cmd.map = new Map([...f].map((ch, k) => [ch, t[k]]));
        endOfCmd(s);
        break;
      }
      default:
        s.fail(`unknown command: \`${c}'`);
    }
    st.cmds.push(cmd);
  }
}

/** GNU's `l`: escapes, octal for other unprintables, lines folded before 70 columns with `\`. */
function listLine(ps: string, width = 70): string {
  const named: Record<string, string> = { '\\': '\\\\', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
  let out = '';
  let col = 0;
  for (const ch of ps) {
    const code = ch.charCodeAt(0);
    const esc = named[ch] ?? (code < 32 || code >= 127 ? '\\' + code.toString(8).padStart(3, '0') : ch);
    if (width > 1 && col + esc.length > width - 1) { out += '\\\n'; col = 0; }
    out += esc;
    col += esc.length;
  }
  return out + '$\n';
}

/** One input: a file's text, or standard input read as it comes. */
interface Input { name: string; text: string | null }

class Quit {
  constructor(readonly status: number) {}
}

/** Options of one run. */
interface Options { quiet: boolean; separate: boolean; inPlace: string | null }

/**
 * Run the compiled script over the inputs. `sink` receives the output (for -i, the output of
 * each file goes to that file: `onFileEnd` is then called at each file's end).
 */
function* execute(ctx: CmdCtx, cmds: SedCmd[], inputs: Input[], opts: Options, sink: (text: string) => void, onFileEnd: (index: number) => void, onError: (index: number) => 'skip' | 'stop' | null): TaskGen<number> {
  const labels = new Map<string, number>();
  cmds.forEach((c, i) => { if (c.name === ':') labels.set(c.label, i); });
  for (const c of cmds) if ((c.name === 'b' || c.name === 't' || c.name === 'T') && c.label && !labels.has(c.label)) throw new CompileError(`can't find label for jump to \`${c.label}'`, -1);

  // The line reader: the current input's buffered text and position.
  let fileIndex = -1;
  let buf = '';
  let bufPos = 0;
  let eof = true;
  let stdinDone = false;
  let lineNo = 0;
  let missingNewline = false;
  let lastRe: RegExp | null = null;

  /** The newline a last line was printed without, before anything printed after it. */
  const endMissingNewline = () => {
    if (missingNewline) { sink('\n'); missingNewline = false; }
  };
  const out = (t: string) => {
    if (t === '') return;
    endMissingNewline();
    sink(t);
  };
  /** The pattern space as a line; no newline after the last line if its input had none. */
  const outLine = (t: string, chomped: boolean) => {
    out(t + (chomped ? '\n' : ''));
    if (!chomped) missingNewline = true;
  };

  /** Make sure the buffer holds a whole line or the input's end; false when the input is over. */
  function* fill(): TaskGen<boolean> {
    for (;;) {
      if (bufPos < buf.length && buf.indexOf('\n', bufPos) >= 0) return true;
      if (eof) return bufPos < buf.length;
      const chunk: string | null = yield readChunk(ctx);
      if (chunk === null) { eof = true; stdinDone = true; } else buf += chunk;
    }
  }
  /** Open the next input that exists; false when none is left. */
  function* nextInput(): TaskGen<boolean> {
    for (;;) {
      if (fileIndex >= 0 && opts.inPlace !== null) onFileEnd(fileIndex);
      if (fileIndex >= 0 && opts.separate) lineNo = 0;
      fileIndex++;
      if (fileIndex >= inputs.length) return false;
      const inp = inputs[fileIndex];
      if (inp.text === null) {
        if (stdinDone) { buf = ''; bufPos = 0; eof = true; continue; }
        buf = ''; bufPos = 0; eof = false;
      } else { buf = inp.text; bufPos = 0; eof = true; }
      const problem = onError(fileIndex);
      if (problem === 'stop') { fileIndex = inputs.length; return false; }
      if (problem === 'skip') { buf = ''; bufPos = 0; eof = true; continue; }
      if (opts.separate) missingNewline = false;
      return true;
    }
  }
  /**
   * Is there another line, in this input or (not with -s/-i) a later one? Like GNU, this opens
   * the following inputs to know (their errors are reported then, before the line is printed).
   */
  function* moreInput(): TaskGen<boolean> {
    for (;;) {
      if (yield* fill()) return true;
      if (opts.separate || !(yield* nextInput())) return false;
    }
  }
  /** The next line and whether it had its newline; null at the end of all input (or of this file with -s). */
  function* readLine(): TaskGen<{ line: string; chomped: boolean } | null> {
    for (;;) {
      if (yield* fill()) {
        const nl = buf.indexOf('\n', bufPos);
        const line = nl < 0 ? buf.slice(bufPos) : buf.slice(bufPos, nl);
        bufPos = nl < 0 ? buf.length : nl + 1;
        lineNo++;
        return { line, chomped: nl >= 0 };
      }
      if (opts.separate) return null;
      if (!(yield* nextInput())) return null;
    }
  }

  const regex = (re: Rx): RegExp => {
    if (re) { lastRe = re; return re; }
    if (!lastRe) throw new CompileError('no previous regular expression', -1);
    return lastRe;
  };

  let quit: Quit | null = null;
  // The hold space, and whether it counts as ending in a newline (g, G and x carry that into
  // the pattern space, h and H the other way, as GNU's line structures do).
  let hold = '';
  let holdChomped = true;
  for (;;) {
    if (!(yield* nextInput())) break;
    if (quit) break;
    // The cycles of this input (of all inputs, unless -s/-i).
    let ps = '';
    let chomped = true;
    let appendQueue: string[] = [];
    const flushAppends = () => {
      // Anything queued (even a file `r` cannot read) ends a line left without its newline.
      if (appendQueue.length > 0) endMissingNewline();
      for (const a of appendQueue) out(a);
      appendQueue = [];
    };
    let pending = yield* readLine();
    while (pending && !quit) {
      ps = pending.line;
      chomped = pending.chomped;
      let isLast = !(yield* moreInput());
      let replaced = false;
      let deleted = false;
      let restartWithoutRead = false;
      const matches = (a: Addr): boolean => {
        switch (a.kind) {
          case 'line': return lineNo === a.n;
          case 'last': return isLast;
          case 're': return regex(a.re).test(ps);
          case 'step': return a.first <= 0 ? lineNo % a.step === ((a.first % a.step) + a.step) % a.step : lineNo >= a.first && (lineNo - a.first) % a.step === 0;
          default: return false;
        }
      };
      const selected = (c: SedCmd): boolean => {
        if (!c.a1) return true;
        if (!c.a2) return matches(c.a1);
        if (c.active) {
          const a2 = c.a2;
          if (a2.kind === 're') { if (regex(a2.re).test(ps)) c.active = false; return true; }
          if (a2.kind === 'last') { if (isLast) c.active = false; return true; }
          // Line-numbered ends were decided when the range started.
          if (lineNo >= c.endLine) c.active = false;
          if (lineNo > c.endLine) return matches(c.a1) ? start(c) : false;
          return true;
        }
        if (c.a1.kind === 'line' && c.a1.n === 0) {
          // 0,/re/: the range is on from before line 1, so the end regex may match line 1.
          if (lineNo !== 1) return false;
          c.active = !(c.a2.kind === 're' && regex(c.a2.re).test(ps));
          return true;
        }
        return matches(c.a1) ? start(c) : false;
      };
      const start = (c: SedCmd): boolean => {
        const a2 = c.a2!;
        switch (a2.kind) {
          case 'line': c.endLine = a2.n; c.active = a2.n > lineNo; break;
          case 'plus': c.endLine = lineNo + a2.n; c.active = a2.n > 0; break;
          case 'mult': c.endLine = a2.n <= 0 ? lineNo : Math.ceil(lineNo / a2.n) * a2.n; c.active = c.endLine > lineNo; break;
          case 'last': c.active = !isLast; break;
          default: c.active = true;
        }
        return true;
      };

      let i = 0;
      let endCycle = false;
      while (i < cmds.length && !endCycle) {
        const c = cmds[i];
        const sel = selected(c) !== c.negate;
        if (!sel) {
          i = c.name === '{' ? c.jump + 1 : i + 1;
          continue;
        }
        i++;
        switch (c.name) {
          case '{': case '}': case ':': break;
          case '=': out(`${lineNo}\n`); break;
          case 'a': appendQueue.push(c.text); break;
          case 'i': out(c.text); break;
          case 'c':
            // In a range, the text replaces the whole range: printed at its end.
            if (!c.a2 || c.negate || !c.active) out(c.text);
            deleted = true; endCycle = true;
            break;
          case 'd': deleted = true; endCycle = true; break;
          case 'D': {
            const nl = ps.indexOf('\n');
            if (nl < 0) { deleted = true; endCycle = true; break; }
            ps = ps.slice(nl + 1);
            restartWithoutRead = true; deleted = true; endCycle = true;
            break;
          }
          case 'p': outLine(ps, chomped); break;
          case 'P': { const nl = ps.indexOf('\n'); out((nl < 0 ? ps : ps.slice(0, nl)) + '\n'); break; }
          case 'l': out(listLine(ps, c.status || 70)); break;
          case 'F': out(`${inputs[fileIndex].text === null ? '-' : inputs[fileIndex].name}\n`); break;
          case 'z': ps = ''; break;
          case 'h': hold = ps; holdChomped = chomped; break;
          case 'H': hold += '\n' + ps; holdChomped = chomped; break;
          case 'g': ps = hold; chomped = holdChomped; break;
          case 'G': ps += '\n' + hold; chomped = holdChomped; break;
          case 'x': [ps, hold, chomped, holdChomped] = [hold, ps, holdChomped, chomped]; break;
          case 'y': ps = [...ps].map((ch) => c.map!.get(ch) ?? ch).join(''); break;
          case 'n': case 'N': {
            if (isLast) {
              // No next line: GNU ends here, printing the pattern space first (n here, N through
              // the end of the cycle).
              endCycle = true;
              if (c.name === 'n' && !opts.quiet) { outLine(ps, chomped); deleted = true; }
              quit = new Quit(0);
              break;
            }
            if (c.name === 'n' && !opts.quiet) outLine(ps, chomped);
            flushAppends();
            const next = yield* readLine();
            if (!next) { endCycle = true; quit = new Quit(0); break; }
            ps = c.name === 'n' ? next.line : ps + '\n' + next.line;
            chomped = next.chomped;
            isLast = !(yield* moreInput());
            break;
          }
          case 'q': endCycle = true; quit = new Quit(c.status); break;
          case 'Q': endCycle = true; deleted = true; quit = new Quit(c.status); break;
          case 'b': i = c.label ? labels.get(c.label)! : cmds.length; break;
          case 't': case 'T':
            if (replaced === (c.name === 't')) i = c.label ? labels.get(c.label)! : cmds.length;
            replaced = false;
            break;
          case 'r': {
            const r = readText(ctx, c.wfile);
            appendQueue.push('error' in r ? '' : r.text);
            break;
          }
          case 'w': writeTo(c.wfile, ps, chomped); break;
          case 's': {
            const r = substitute(ps, regex(c.re), c);
            if (r !== null) {
              ps = r;
              replaced = true;
              if (c.print) outLine(ps, chomped);
              if (c.wfile) writeTo(c.wfile, ps, chomped);
            }
            break;
          }
        }
      }
      if (!deleted && !opts.quiet) outLine(ps, chomped);
      flushAppends();
      if (quit) break;
      if (restartWithoutRead) {
        // D with a newline: the rest of the pattern space starts the next cycle.
        pending = { line: ps, chomped };
        continue;
      }
      pending = yield* readLine();
    }
    if (quit || !opts.separate) {
      if (opts.inPlace !== null && fileIndex < inputs.length) onFileEnd(fileIndex);
      break;
    }
  }

  /** `w`: the pattern space, with its newline unless the input line had none. */
  function writeTo(file: string, text: string, withNewline: boolean): void {
    if (file === '/dev/stdout') { outLine(text, withNewline); return; }
    const line = text + (withNewline ? '\n' : '');
    if (file === '/dev/stderr') { ctx.err(line); return; }
    writeText(ctx, file, line, true);
  }
  return quit ? quit.status : 0;
}

/** s///: GNU's matching loop (an empty match right after a match is skipped), the Nth and later with `Ng`. */
function substitute(ps: string, re: RegExp, c: SedCmd): string | null {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  let result = '';
  let last = 0;
  let count = 0;
  let did = false;
  let prevEnd = -1;
  g.lastIndex = 0;
  for (;;) {
    const m = g.exec(ps);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    if (m[0] === '' && start === prevEnd) {
      // An empty match where the previous one ended: try one character further.
      if (start >= ps.length) break;
      g.lastIndex = start + 1;
      continue;
    }
    count++;
    if (count >= c.nth) {
      result += ps.slice(last, start) + expand(c.repl, m);
      last = end;
      did = true;
      if (!c.global) break;
    }
    prevEnd = end;
    if (m[0] === '') {
      if (start >= ps.length) break;
      g.lastIndex = start + 1;
    } else g.lastIndex = end;
  }
  if (!did) return null;
  return result + ps.slice(last);
}

/** A replacement with its groups and GNU's case conversions (\U \L until \E, \u \l for one letter). */
function expand(parts: ReplPart[], m: RegExpExecArray): string {
  let out = '';
  let mode: 'U' | 'L' | null = null;
  let one: 'u' | 'l' | null = null;
  const add = (t: string) => {
    if (!t) return;
    let s = mode === 'U' ? t.toUpperCase() : mode === 'L' ? t.toLowerCase() : t;
    if (one) { s = (one === 'u' ? s[0].toUpperCase() : s[0].toLowerCase()) + s.slice(1); one = null; }
    out += s;
  };
  for (const p of parts) {
    if ('lit' in p) add(p.lit);
    else if ('group' in p) add(m[p.group] ?? '');
    else if (p.case === 'E') { mode = null; one = null; } else if (p.case === 'U' || p.case === 'L') { mode = p.case; one = null; } else one = p.case;
  }
  return out;
}

function badUsage(ctx: CmdCtx, msg: string): number {
  ctx.err(`sed: ${msg}\n${USAGE}`);
  return 1;
}

export const sed: Command = function* (ctx, argv) {
  const expressions: string[] = [];
  const operands: string[] = [];
  let quiet = false;
  let ere = false;
  let separate = false;
  let inPlace: string | null = null;
  /**
   * The argument of -e (an expression), -f (a script file, less its last newline) or -l (line
   * length, unused here); false when the -f file cannot be read (sed has said so, exits 4).
   */
  const addScript = (option: string, value: string): boolean => {
    if (option === 'e') expressions.push(value);
    else if (option === 'f') {
      const r = readText(ctx, value);
      if ('error' in r) { ctx.err(`sed: couldn't open file ${value}: ${ERRNO[r.error]}\n`); return false; }
      expressions.push(r.text.replace(/\n$/, ''));
    }
    return true;
  };
  const LONG: Record<string, string> = {
    quiet: 'n', silent: 'n', expression: 'e', file: 'f', 'in-place': 'i', 'regexp-extended': 'E', separate: 's',
    'line-length': 'l', 'null-data': 'z', 'zero-terminated': 'z', posix: 'posix', debug: 'debug', sandbox: 'sandbox',
    unbuffered: 'u', 'follow-symlinks': 'follow', help: 'help', version: 'version',
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { operands.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const matches = Object.keys(LONG).filter((n) => n.startsWith(name));
      const full = LONG[name] !== undefined ? name : matches.length === 1 || new Set(matches.map((n) => LONG[n])).size === 1 ? matches[0] : undefined;
      if (full === undefined) return badUsage(ctx, matches.length > 1 ? `option '${a}' is ambiguous` : `unrecognized option '${eq < 0 ? a : a.slice(0, eq)}'`);
      const key = LONG[full];
      const value = eq < 0 ? null : a.slice(eq + 1);
      if (key === 'e' || key === 'f' || key === 'l') {
        const v = value ?? argv[++i];
        if (v === undefined) return badUsage(ctx, `option '--${full}' requires an argument`);
        if (!addScript(key, v)) return 4;
        continue;
      }
      if (key === 'i') { inPlace = value ?? ''; separate = true; continue; }
      if (key === 'help') { ctx.out(USAGE); return 0; }
      if (key === 'version') { ctx.out('sed (GNU sed) 4.9\n'); return 0; }
      if (key === 'n') quiet = true;
      else if (key === 'E') ere = true;
      else if (key === 's') separate = true;
      continue;
    }
    if (!a.startsWith('-') || a === '-') { operands.push(a); continue; }
    for (let k = 1; k < a.length; k++) {
      const o = a[k];
      if (o === 'n') quiet = true;
      else if (o === 'E' || o === 'r') ere = true;
      else if (o === 's') separate = true;
      else if (o === 'u' || o === 'z') { /* line buffering and NUL-separated data: not needed here */ }
      else if (o === 'i') { inPlace = a.slice(k + 1); separate = true; break; }
      else if (o === 'e' || o === 'f' || o === 'l') {
        const v = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
        if (v === undefined) return badUsage(ctx, `option requires an argument -- '${o}'`);
        if (!addScript(o, v)) return 4;
        break;
      } else return badUsage(ctx, `invalid option -- '${o}'`);
    }
  }
  if (expressions.length === 0) {
    if (operands.length === 0) { ctx.err(USAGE); return 1; }
    expressions.push(operands.shift()!);
  }
  // `#n` as the script's first line is -n.
  if (/^#n(\n|$)/.test(expressions[0])) quiet = true;

  const st: CompileState = { cmds: [], blocks: [], ere, wfiles: new Set() };
  for (const [n, text] of expressions.entries()) {
    try {
      compileExpression(text, st);
      // `a\` ending an expression takes its text from the next one (`-e 'a\' -e 'text'`).
      const lastCmd = st.cmds[st.cmds.length - 1];
      if (lastCmd && 'aic'.includes(lastCmd.name) && lastCmd.text === '' && n + 1 < expressions.length) {
        lastCmd.text = expressions[n + 1] + '\n';
        expressions[n + 1] = '';
      }
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      ctx.err(`sed: -e expression #${n + 1}, char ${e.pos}: ${e.msg}\n`);
      return 1;
    }
  }
  if (st.blocks.length > 0) { ctx.err(`sed: -e expression #${expressions.length}, char 0: unmatched \`{'\n`); return 1; }

  for (const f of st.wfiles) if (f !== '/dev/stdout' && f !== '/dev/stderr') writeText(ctx, f, '');

  if (inPlace !== null && operands.length === 0) { ctx.err('sed: no input files\n'); return 4; }
  const files = operands.length > 0 ? operands : ['-'];
  let status = 0;
  // Each file read once, up front; `-` (but for -i) is standard input, read as the script goes.
  const reads = files.map((f) => (f === '-' && inPlace === null ? null : readText(ctx, f)));
  const inputs: Input[] = reads.map((r, k) => ({ name: files[k], text: r === null ? null : 'error' in r ? '' : r.text }));
  const problems = reads.map((r) => (r && 'error' in r ? r.error : null));

  let fileOut = '';
  const sink = inPlace !== null ? (t: string) => { fileOut += t; } : (t: string) => ctx.out(t);
  const onError = (k: number): 'skip' | 'stop' | null => {
    const e = problems[k];
    if (e === null) return null;
    if (e === 'EISDIR') {
      // GNU gives up at a directory it should edit; one it should read is a read error.
      if (inPlace !== null) { ctx.err(`sed: couldn't edit ${files[k]}: not a regular file\n`); status = 4; return 'stop'; }
      ctx.err(`sed: read error on ${files[k]}: ${ERRNO[e]}\n`);
      status = 4;
      return 'skip';
    }
    ctx.err(`sed: can't read ${files[k]}: ${ERRNO[e]}\n`);
    if (status === 0) status = 2;
    return 'skip';
  };
  const onFileEnd = (k: number) => {
    if (inPlace === null || problems[k] !== null) { fileOut = ''; return; }
    const f = files[k];
    if (inPlace !== '') {
      const backup = inPlace.includes('*') ? inPlace.replace(/\*/g, f.slice(f.lastIndexOf('/') + 1)) : f + inPlace;
      writeText(ctx, backup, inputs[k].text ?? '');
    }
    writeText(ctx, f, fileOut);
    fileOut = '';
  };
  let code: number;
  try {
    code = yield* execute(ctx, st.cmds, inputs, { quiet, separate, inPlace }, sink, onFileEnd, onError);
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    ctx.err(`sed: ${e.pos < 0 ? '' : `-e expression #1, char ${e.pos}: `}${e.msg}\n`);
    return 4;
  }
  return status === 4 ? 4 : code !== 0 ? code : status;
};
