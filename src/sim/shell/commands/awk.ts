/**
 * `awk` as Debian's default one, mawk 1.3.4-20200120: options (-F, -v, -f, --, -W version),
 * the program's phases (BEGIN, the records of each operand in turn, END), command-line
 * `var=value` operands, and mawk's messages and exit statuses (2 for any error, the program's
 * `exit` code otherwise). The language itself is in ../awk/.
 */
import type { CmdCtx, Command } from '../context';
import { ERRNO, readChunk, readText, writeText } from '../context';
import { Rng } from '../../kernel/rng';
import type { Expr, Program, Stmt } from '../awk/ast';
import { AwkSyntaxError, unescapeString } from '../awk/lexer';
import { parseProgram } from '../awk/parser';
import { compileEre, RegexError } from '../awk/regex';
import { AwkExit, AwkFatal, AwkRuntimeError, fromInput, Interp, RecordReader, walk, type AwkHost, type Input } from '../awk/interp';
import { alive } from './operands';

const USAGE = `Usage: mawk [Options] [Program] [file ...]

Program:
    The -f option value is the name of a file containing program text.
    If no -f option is given, a "--" ends option processing; the following
    parameters are the program text.

Options:
    -f program-file  Program  text is read from file instead of from the
                     command-line.  Multiple -f options are accepted.
    -F value         sets the field separator, FS, to value.
    -v var=value     assigns value to program variable var.
    --               unambiguous end of options.

    Implementation-specific options are prefixed with "-W".  They can be
    abbreviated:

    -W version       show version information and exit.
    -W dump          show assembler-like listing of program and exit.
    -W help          show this message and exit.
    -W interactive   set unbuffered output, line-buffered input.
    -W exec file     use file as program as well as last option.
    -W random=number set initial random seed.
    -W sprintf=number adjust size of sprintf buffer.
    -W posix_space   do not consider "\\n" a space.
    -W usage         show this message and exit.
`;

const VERSION_OUT = 'mawk 1.3.4 20200120\nCopyright 2008-2019,2020, Thomas E. Dickey\nCopyright 1991-1996,2014, Michael D. Brennan\n\n';
const VERSION_ERR = 'random-funcs:       srandom/random\nregex-funcs:        internal\ncompiled limits:\nsprintf buffer      8192\nmaximum-integer     2147483647\n';

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

/** stdio's block size: what a full buffer writes at once when stdout is not a terminal. */
const STDIO_BUFFER_BYTES = 4096;

/** The regexes the program spells out are compiled before it runs, as mawk does (a bad one is a compile error). */
function checkLiteralRegexes(prog: Program): void {
  const check = (src: string) => {
    try { compileEre(src); } catch (e) {
      if (e instanceof RegexError) throw new AwkSyntaxError(1, `regular expression compile failed (${e.message})\n${src}`);
      throw e;
    }
  };
  const asRegex = (e: Expr | undefined) => { if (e && (e.type === 'regex' || e.type === 'str')) check(e.type === 'regex' ? e.source : e.value); };
  const onExpr = (e: Expr) => {
    if (e.type === 'regex') check(e.source);
    if (e.type === 'match') asRegex(e.re);
    if (e.type === 'builtin' && ['match', 'sub', 'gsub'].includes(e.name)) asRegex(e.name === 'match' ? e.args[1] : e.args[0]);
  };
  for (const r of prog.rules) {
    const p = r.pattern;
    if (p.type === 'expr') walk([{ type: 'expr', expr: p.expr }], onExpr);
    if (p.type === 'range') walk([{ type: 'expr', expr: p.from }, { type: 'expr', expr: p.to }], onExpr);
    if (r.action) walk(r.action, onExpr);
  }
  for (const f of prog.funcs.values()) walk(f.body, onExpr);
}

/**
 * A global used both as a scalar and as an array is a compile error in mawk, named after the
 * first use ("illegal reference to array x" when x was an array first).
 */
function checkArrayUse(prog: Program): void {
  const kind = new Map<string, 'array' | 'scalar'>();
  const use = (name: string, k: 'array' | 'scalar') => {
    const was = kind.get(name);
    if (!was) { kind.set(name, k); return; }
    if (was !== k) throw new AwkSyntaxError(1, `illegal reference to ${was === 'array' ? 'array' : 'variable'} ${name}`);
  };
  const check = (list: Stmt[], locals: Set<string>) => {
    // A bare name passed to a function may be an array or a scalar: not a use either way.
    const passed = new Set<Expr>();
    walk(list, (e) => {
      if (e.type === 'call' || e.type === 'builtin') {
        e.args.forEach((a, i) => {
          if (a.type !== 'var') return;
          passed.add(a);
          if (e.type === 'builtin' && e.name === 'split' && i === 1 && !locals.has(a.name)) use(a.name, 'array');
        });
      }
      if (e.type === 'index' || e.type === 'in') { if (!locals.has(e.name)) use(e.name, 'array'); } else if (e.type === 'var' && !passed.has(e) && !locals.has(e.name)) use(e.name, 'scalar');
    }, (s) => {
      if (s.type === 'forin' && !locals.has(s.array)) use(s.array, 'array');
      if (s.type === 'delete' && !locals.has(s.name)) use(s.name, 'array');
    });
  };
  const none = new Set<string>();
  for (const r of prog.rules) {
    const p = r.pattern;
    if (p.type === 'expr') check([{ type: 'expr', expr: p.expr }], none);
    if (p.type === 'range') check([{ type: 'expr', expr: p.from }, { type: 'expr', expr: p.to }], none);
    if (r.action) check(r.action, none);
  }
  for (const f of prog.funcs.values()) check(f.body, new Set(f.params));
}

function usesMainGetline(prog: Program): boolean {
  let found = false;
  const onExpr = (e: Expr) => { if (e.type === 'getline' && !e.file) found = true; };
  for (const r of prog.rules) if (r.action) walk(r.action, onExpr);
  for (const f of prog.funcs.values()) walk(f.body, onExpr);
  return found;
}

/** The main input: ARGV's operands in turn (read when reached, as BEGIN may change ARGV), else stdin. */
class MainInput implements Input {
  private index = 1;
  private reader: RecordReader | null = null;
  private readerIsStdin = false;
  private sawFile = false;
  readonly stdin = new RecordReader();

  constructor(private readonly interp: Interp, private readonly ctx: CmdCtx) {}

  next(): string | null | 'wait' {
    const it = this.interp;
    for (;;) {
      if (this.reader) {
        const rec = this.reader.take(it.str(it.getVar('RS')));
        if (rec !== null) return rec;
        if (this.readerIsStdin && !this.stdin.done) return 'wait';
        this.reader = null;
      }
      const argc = it.num(it.getVar('ARGC'));
      if (this.index >= argc) {
        if (this.sawFile) return null;
        this.sawFile = true;
        this.open('-');
        continue;
      }
      const argv = it.getArray('ARGV');
      const arg = it.str(argv.get(String(this.index++)) ?? '');
      if (arg === '') continue;
      const m = ASSIGNMENT.exec(arg);
      if (m) { it.setVar(m[1], fromInput(unescapeString(m[2]))); continue; }
      this.sawFile = true;
      this.open(arg);
    }
  }

  private open(name: string): void {
    const it = this.interp;
    it.globals.set('FNR', 0);
    it.globals.set('FILENAME', name);
    if (name === '-' || name === '/dev/stdin') {
      this.reader = this.stdin;
      this.readerIsStdin = true;
      return;
    }
    const r = readText(this.ctx, name);
    if ('error' in r) {
      if (r.error === 'EISDIR') throw new AwkFatal(`read error (${ERRNO.EISDIR})`);
      throw new AwkFatal(`cannot open ${name} (${ERRNO[r.error]})`);
    }
    this.reader = new RecordReader();
    this.reader.feed(r.text);
    this.reader.finish();
    this.readerIsStdin = false;
  }

  /** nextfile: drop the rest of the current operand. */
  skipFile(): void {
    if (this.readerIsStdin) { this.stdin.finish(); while (this.stdin.take('\n') !== null) { /* discard */ } }
    this.reader = null;
  }

  /** Whether the operands (as given) will read standard input. */
  willReadStdin(operands: string[]): boolean {
    const files = operands.filter((a) => a !== '' && !ASSIGNMENT.test(a));
    return files.length === 0 || files.includes('-') || files.includes('/dev/stdin');
  }
}

export const awk: Command = function* (ctx, argv) {
  // ---- options, as mawk reads them: each option's value attached or in the next word ----
  const progFiles: string[] = [];
  const assigns: string[] = [];
  let fs: string | null = null;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    const opt = a[1];
    if (!'fFvW'.includes(opt)) { ctx.err(`awk: not an option: ${a}\n`); return 2; }
    let value = a.slice(2);
    if (value === '') {
      if (i + 1 >= argv.length) { ctx.err(`awk: option -${opt} lacks argument\n`); return 2; }
      value = argv[++i];
    }
    if (opt === 'f') progFiles.push(value);
    else if (opt === 'F') fs = value;
    else if (opt === 'v') {
      if (!ASSIGNMENT.test(value)) { ctx.err(`awk: improper assignment: -v ${value}\n`); return 2; }
      assigns.push(value);
    } else if ('version'.startsWith(value) || value === 'V') {
      ctx.out(VERSION_OUT);
      ctx.err(VERSION_ERR);
      return 0;
    } else if ('usage'.startsWith(value) || 'help'.startsWith(value)) {
      ctx.out(USAGE);
      return 0;
    } else ctx.err(`awk: vacuous option: -W ${value}\n`);
  }
  let source: string;
  let where = (line: number) => `line ${line}`;
  if (progFiles.length > 0) {
    const texts: string[] = [];
    for (const f of progFiles) {
      const r = f === '-' || f === '/dev/stdin' ? { text: '' } : readText(ctx, f);
      if ('error' in r) { ctx.err(`awk: cannot open ${f} (${ERRNO[r.error]})\n`); return 2; }
      texts.push(r.text);
    }
    source = texts.join('\n');
    // Lines of the joined text are reported as `file: line N` of the file they came from.
    where = (line) => {
      let n = line;
      for (const [k, t] of texts.entries()) {
        const count = t.split('\n').length;
        if (n <= count || k === texts.length - 1) return `${progFiles[k]}: line ${n}`;
        n -= count;
      }
      return `line ${line}`;
    };
  } else {
    if (i >= argv.length) { ctx.err(USAGE); return 0; }
    source = argv[i++];
  }
  const operands = argv.slice(i);

  let prog: Program;
  try {
    prog = parseProgram(source);
    checkLiteralRegexes(prog);
    checkArrayUse(prog);
  } catch (e) {
    if (e instanceof AwkSyntaxError) {
      if (e.line === null) { ctx.err(`awk: ${e.message}\n`); return 2; }
      for (const { line, message } of [{ line: e.line, message: e.message }, ...e.more]) ctx.err(`awk: ${where(line)}: ${message}\n`);
      return 2;
    }
    throw e;
  }

  // ---- the world as awk sees it ----
  let pending = '';
  const tty = ctx.proc.stdout.kind === 'tty';
  const flush = () => { if (pending) { ctx.out(pending); pending = ''; } };
  const host: AwkHost = {
    stdout(text) {
      if (tty) { ctx.out(text); return; }
      pending += text;
      if (pending.length >= STDIO_BUFFER_BYTES) {
        const n = pending.length - (pending.length % STDIO_BUFFER_BYTES);
        ctx.out(pending.slice(0, n));
        pending = pending.slice(n);
      }
    },
    stderr(text) { ctx.err(text); },
    readFile(path) {
      const r = readText(ctx, path);
      return 'error' in r ? { error: ERRNO[r.error] } : r;
    },
    writeFile(path, text, append) {
      const err = writeText(ctx, path, text, append);
      return err === null ? null : ERRNO[err] ?? err;
    },
    env: ctx.env,
    // mawk seeds rand() from the clock at start-up; here the world's seed and the pid stand in.
    initialSeed: new Rng(ctx.kernel.seed, `awk:${ctx.host.name}:${ctx.proc.pid}`).nextU32() >>> 1,
    nowSeconds: () => Math.floor(ctx.kernel.now / 1000),
  };
  const interp = new Interp(prog, host);
  const argvArr = interp.getArray('ARGV');
  argvArr.set('0', 'awk');
  operands.forEach((a, k) => argvArr.set(String(k + 1), fromInput(a)));
  interp.globals.set('ARGC', operands.length + 1);
  if (fs !== null) interp.globals.set('FS', unescapeString(fs));
  for (const a of assigns) {
    const m = ASSIGNMENT.exec(a)!;
    interp.setVar(m[1], fromInput(unescapeString(m[2])));
  }
  const input = new MainInput(interp, ctx);
  interp.input = input;

  const fail = (msg: string) => { ctx.err(msg); flush(); return 2; };
  let exitCode = 0;
  let inEnd = false;
  try {
    try {
      // A getline in an action needs records on demand: have all of standard input first.
      if (usesMainGetline(prog) && input.willReadStdin(operands)) {
        for (;;) {
          const c: string | null = yield readChunk(ctx);
          if (c === null || !alive(ctx)) break;
          input.stdin.feed(c);
        }
        input.stdin.finish();
      }
      interp.runBegin();
      if (interp.needsInput) {
        for (;;) {
          const rec = input.next();
          if (rec === 'wait') {
            if (!alive(ctx)) break;
            const c: string | null = yield readChunk(ctx);
            if (c === null || !alive(ctx)) input.stdin.finish(); else input.stdin.feed(c);
            continue;
          }
          if (rec === null) break;
          if (interp.runRecord(rec) === 'nextfile') input.skipFile();
          if (!alive(ctx)) break;
        }
      }
    } catch (e) {
      if (!(e instanceof AwkExit)) throw e;
      if (e.code !== null) exitCode = e.code;
    }
    inEnd = true;
    interp.runEnd();
  } catch (e) {
    if (e instanceof AwkExit) {
      if (!inEnd) throw e;
      if (e.code !== null) exitCode = e.code;
    } else if (e instanceof AwkRuntimeError) {
      return fail(`awk: run time error: ${e.message}\n\t${interp.where()}\n`);
    } else if (e instanceof AwkFatal) {
      return fail(`awk: ${e.message}\n`);
    } else throw e;
  }
  flush();
  return exitCode;
};
