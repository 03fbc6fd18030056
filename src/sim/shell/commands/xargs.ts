/**
 * `xargs`: build command lines from standard input and run them, as GNU findutils' xargs does
 * (blank-separated items with quotes and backslashes, `-0`/`-d`, `-a`, `-n`, `-L`, `-I`, `-r`,
 * `-t`, `-p`, `-s`, `-E`; `-P` runs them one at a time). Each command runs through the shell's
 * ordinary launching — a child shell runs `command` and the words, each quoted — so programs,
 * coreutils and scripts all work, and its status maps to xargs' own: 123 when some run failed, 124 after a 255, 125 after a signal,
 * 126/127 when the command cannot be run.
 */
import type { CmdCtx, Command } from '../context';
import { abs, ERRNO, readChunk, readText, quoted, shellEscapeQuote } from '../context';
import type { TaskGen } from '../../kernel/tasks';
import { basename } from '../../runtime/paths';
import { alive, badOption, parseOpts } from './operands';
import { askTerminal } from './confirm';

/** GNU's default -s on Linux: the command buffer xargs actually uses. */
const DEFAULT_MAX_CHARS = 131072;

function usageFail(ctx: CmdCtx, msg: string): number {
  return badOption(ctx, 'xargs', `xargs: ${msg}`);
}

/** Quote a word for the shell so it reaches the command unchanged. */
export function shellQuote(w: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The -d argument: one character or one escape (`\n`, `\t`, `\0`, `\\`, `\NNN` octal, `\xHH`). */
function parseDelimiter(spec: string): string | null {
  if (spec.length === 1) return spec;
  if (!spec.startsWith('\\')) return null;
  const rest = spec.slice(1);
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  if (rest.length === 1 && rest in simple) return simple[rest];
  if (/^[0-7]{1,3}$/.test(rest)) return String.fromCharCode(parseInt(rest, 8) & 0xff);
  if (/^x[0-9a-fA-F]{1,2}$/.test(rest)) return String.fromCharCode(parseInt(rest.slice(1), 16));
  return null;
}

/** One input item, and whether an input line ends with it (for -L). */
interface Item { arg: string; lineEnd: boolean }

/**
 * Turns standard input into items, a chunk at a time (state carries across chunks). Default
 * mode: blanks separate, quotes and backslashes group, a line ending in a blank goes on on the
 * next line. Line mode (-I): a line is one item, leading blanks dropped. Delimiter mode (-0,
 * -d): items between delimiters, nothing special.
 */
class ItemReader {
  private cur: string | null = null;
  private quote: string | null = null;
  private escape = false;
  private blankBefore = false;
  private itemsOnLine = 0;
  error: string | null = null;
  eof = false;
  /** Messages to print before the next command runs. */
  warnings: string[] = [];
  private warnedNul = false;
  private truncated = false;

  constructor(private readonly mode: 'blank' | 'line' | 'delim', private readonly delim = '\n', private readonly eofStr: string | null = null) {}

  feed(chunk: string, out: Item[]): void {
    for (const c of chunk) {
      if (this.error || this.eof) return;
      this.put(c, out);
    }
  }

  end(out: Item[]): void {
    if (this.error || this.eof) return;
    if (this.quote) { this.unmatched(); return; }
    if (this.mode === 'delim') { if (this.cur !== null && this.cur !== '') this.emit(out, true); return; }
    if (this.cur !== null) this.emit(out, true);
    else if (this.itemsOnLine > 0 && out.length > 0) out[out.length - 1].lineEnd = true;
  }

  private unmatched(): void {
    this.error = `unmatched ${this.quote === '"' ? 'double' : 'single'} quote; by default quotes are special to xargs unless you use the -0 option`;
  }

  private emit(out: Item[], lineEnd: boolean): void {
    // An argument is a C string: it ends at a NUL (which -d items may hold).
    const arg = (this.cur ?? '').split('\0')[0];
    this.cur = null;
    if (this.eofStr !== null && this.mode === 'blank' && arg === this.eofStr) { this.eof = true; return; }
    out.push({ arg, lineEnd });
    this.itemsOnLine = lineEnd ? 0 : this.itemsOnLine + 1;
  }

  private put(c: string, out: Item[]): void {
    if (this.mode === 'delim') {
      if (c === this.delim) { this.cur ??= ''; this.emit(out, true); } else this.cur = (this.cur ?? '') + c;
      return;
    }
    // A NUL cannot be passed in an argument: it ends the word, and the rest of the word is lost.
    if (c === '\0') {
      if (!this.warnedNul) this.warnings.push('WARNING: a NUL character occurred in the input.  It cannot be passed through in the argument list.  Did you mean to use the --null option?');
      this.warnedNul = true;
      this.truncated = true;
      return;
    }
    if (this.truncated && !(c === ' ' || c === '\t' || c === '\n') && !this.quote) return;
    this.truncated = false;
    if (this.escape) { this.cur = (this.cur ?? '') + c; this.escape = false; this.blankBefore = false; return; }
    if (this.quote) {
      if (c === this.quote) this.quote = null;
      else if (c === '\n') this.unmatched();
      else this.cur += c;
      return;
    }
    const blank = c === ' ' || c === '\t';
    if (c === '\n') {
      if (this.mode === 'line') {
        if (this.cur !== null) this.emit(out, true);
      } else if (this.cur !== null) {
        this.emit(out, !this.blankBefore);
      } else if (!this.blankBefore && this.itemsOnLine > 0 && out.length > 0) {
        out[out.length - 1].lineEnd = true;
        this.itemsOnLine = 0;
      }
      this.blankBefore = false;
      return;
    }
    if (blank) {
      if (this.mode === 'line') { if (this.cur !== null) this.cur += c; return; }
      if (this.cur !== null) this.emit(out, false);
      this.blankBefore = true;
      return;
    }
    this.blankBefore = false;
    if (c === '\\') { this.escape = true; this.cur ??= ''; return; }
    if (c === '"' || c === "'") { this.quote = c; this.cur ??= ''; return; }
    this.cur = (this.cur ?? '') + c;
  }
}

/** Why the command cannot be run, as xargs reports it (exec failing), or null when it can. */
export function cannotRun(ctx: CmdCtx, name: string): { msg: string; status: number } | null {
  if (name.includes('/')) {
    if (ctx.sys.hasProgram(basename(name))) return null;
    const node = ctx.host.disk.lookup(abs(ctx, name));
    if (!node) return { msg: 'No such file or directory', status: 127 };
    return node.isDir ? { msg: 'Permission denied', status: 126 } : null;
  }
  // Shell builtins such as cd are not programs: xargs cannot run them.
  return ctx.shell.commandPath(name) ? null : { msg: 'No such file or directory', status: 127 };
}

export const xargs: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, {
    flags: '0prtx', withArg: 'adEILnPs', optionalArg: 'eil', stopAtOperand: true,
    // In findutils' table order (an ambiguous prefix lists them so).
    long: {
      null: { key: '0', arg: false }, 'arg-file': { key: 'a', arg: true }, delimiter: { key: 'd', arg: true },
      eof: { key: 'e', arg: 'optional' }, replace: { key: 'i', arg: 'optional' }, 'max-lines': { key: 'l', arg: 'optional' },
      'max-args': { key: 'n', arg: true }, interactive: { key: 'p', arg: false }, 'no-run-if-empty': { key: 'r', arg: false },
      'max-chars': { key: 's', arg: true }, verbose: { key: 't', arg: false }, exit: { key: 'x', arg: false }, 'max-procs': { key: 'P', arg: true },
    },
  });
  if ('error' in parsed) return badOption(ctx, 'xargs', parsed.error);
  let maxArgs: number | null = null;
  let maxLines: number | null = null;
  /** -L given (not just implied by -I). */
  let linesGiven = false;
  let replace: string | null = null;
  let maxChars = DEFAULT_MAX_CHARS;
  let delim: string | null = null;
  let eofStr: string | null = null;
  let argFile: string | null = null;
  let noRunIfEmpty = false;
  let trace = false;
  let confirm = false;
  const count = (opt: string, v: string, min: number): number | string => {
    if (!/^\s*[+-]?\d+$/.test(v)) return `invalid number "${v}" for -${opt} option`;
    const n = Number(v);
    return n < min ? `value ${v} for -${opt} option should be >= ${min}` : n;
  };
  for (const { key, value } of parsed.opts) {
    switch (key) {
      case '0': delim = '\0'; break;
      case 'd': {
        const d = parseDelimiter(value);
        if (d === null) { ctx.err(`xargs: Invalid input delimiter specification ${value}: the delimiter must be either a single character or an escape sequence starting with \\.\n`); return 1; }
        delim = d;
        break;
      }
      case 'a': argFile = value; break;
      case 'E': case 'e': eofStr = value === '' ? null : value; break;
      // -I, -L and -n exclude one another (-I implies -L 1); GNU warns and keeps the last,
      // except that -n 1 goes with -I.
      case 'I': case 'i':
        if (maxArgs !== null) ctx.err('xargs: warning: options --max-args and --replace/-I/-i are mutually exclusive, ignoring previous --max-args value\n');
        if (linesGiven) ctx.err('xargs: warning: options --max-lines and --replace/-I/-i are mutually exclusive, ignoring previous --max-lines value\n');
        replace = key === 'i' && value === '' ? '{}' : value;
        maxArgs = null;
        maxLines = 1;
        linesGiven = false;
        break;
      case 'L': case 'l': {
        const n = key === 'l' && value === '' ? 1 : count('L', value, 1);
        if (typeof n === 'string') return usageFail(ctx, n);
        if (maxArgs !== null) ctx.err('xargs: warning: options --max-args and -L are mutually exclusive, ignoring previous --max-args value\n');
        if (replace !== null) ctx.err('xargs: warning: options --replace and -L are mutually exclusive, ignoring previous --replace value\n');
        replace = null;
        maxLines = n;
        linesGiven = true;
        maxArgs = null;
        break;
      }
      case 'n': {
        const n = count('n', value, 1);
        if (typeof n === 'string') return usageFail(ctx, n);
        if (linesGiven) ctx.err('xargs: warning: options --max-lines and --max-args/-n are mutually exclusive, ignoring previous --max-lines value\n');
        if (replace !== null && n !== 1) {
          ctx.err('xargs: warning: options --replace and --max-args/-n are mutually exclusive, ignoring previous --replace value\n');
          replace = null;
        }
        maxArgs = n;
        if (replace === null) maxLines = null;
        linesGiven = false;
        break;
      }
      case 'P': {
        // Accepted; the commands still run one after another.
        const n = count('P', value, 0);
        if (typeof n === 'string') return usageFail(ctx, n);
        break;
      }
      case 's': {
        const n = count('s', value, 1);
        if (typeof n === 'string') return usageFail(ctx, n);
        maxChars = n;
        break;
      }
      case 'r': noRunIfEmpty = true; break;
      case 't': trace = true; break;
      case 'p': confirm = true; break;
      default: break;
    }
  }
  if (eofStr !== null && delim !== null) { ctx.err('xargs: warning: the -E option has no effect if -0 or -d is used.\n\n'); eofStr = null; }
  // -p asks on the terminal (GNU opens /dev/tty first thing).
  const term = ctx.term;
  if (confirm && !term) { ctx.err('xargs: failed to open /dev/tty for reading: No such device or address\n'); return 1; }
  const base = parsed.operands.length > 0 ? parsed.operands : ['echo'];
  const baseChars = base.reduce((n, a) => n + a.length + 1, 0);
  if (replace === null && baseChars >= maxChars) { ctx.err('xargs: argument line too long\n'); return 1; }

  let argText: string | null = null;
  if (argFile !== null) {
    const r = readText(ctx, argFile);
    if ('error' in r) { ctx.err(`xargs: Cannot open input file ${quoted(argFile)}: ${ERRNO[r.error]}\n`); return 1; }
    argText = r.text;
  }

  let status = 0;
  let ran = false;
  /** Run one command line; returns xargs' final status when it must stop at once. */
  function* run(args: string[]): TaskGen<number | null> {
    ran = true;
    const words = replace === null ? [...base, ...args] : [base[0], ...base.slice(1).map((w) => w.split(replace!).join(args[0] ?? ''))];
    if (confirm && term) {
      if (!(yield* askTerminal(ctx, term, `${words.map((w) => shellEscapeQuote(w)).join(' ')} ?...`))) return null;
    } else if (trace) ctx.err(words.map((w) => shellEscapeQuote(w)).join(' ') + '\n');
    const bad = cannotRun(ctx, words[0]);
    if (bad) { ctx.err(`xargs: ${words[0]}: ${bad.msg}\n`); return bad.status; }
    // Like GNU xargs, the command's standard input is /dev/null while xargs reads its own (with
    // -a FILE the command gets xargs' standard input).
    const sub = ctx.shell.helper(ctx.proc, { stdin: argText === null ? { kind: 'null' } : ctx.stdin, stdout: ctx.proc.stdout, stderr: ctx.proc.stderr });
    // `command`: a shell function of the same name is not what xargs would run. (Ctrl-C
    // reaches xargs too, which dies of it.)
    const code: number = yield* sub.runSource(`command ${words.map(shellQuote).join(' ')}`);
    if (code === 255) { ctx.err(`xargs: ${words[0]}: exited with status 255; aborting\n`); return 124; }
    const last = [...ctx.kernel.exited].reverse().find((p) => p.ppid === ctx.proc.pid);
    if (last?.exitSignal && code > 128) {
      ctx.err(`xargs: ${words[0]}: terminated by signal ${code - 128}\n`);
      return 125;
    }
    if (code !== 0) status = 123;
    return null;
  }

  const reader = new ItemReader(delim !== null ? 'delim' : replace !== null ? 'line' : 'blank', delim ?? '\n', eofStr);
  let pending: Item[] = [];
  let batch: string[] = [];
  let batchChars = baseChars;
  let batchLines = 0;
  /** Move pending items into command lines, running each line once it is full. */
  function* drain(final: boolean): TaskGen<number | null> {
    for (const item of pending) {
      if (replace !== null) {
        const r: number | null = yield* run([item.arg]);
        if (r !== null) return r;
        continue;
      }
      const size = item.arg.length + 1;
      if (batch.length > 0 && batchChars + size > maxChars) {
        const r: number | null = yield* run(batch);
        if (r !== null) return r;
        batch = [];
        batchChars = baseChars;
        batchLines = 0;
      }
      if (baseChars + size > maxChars) { ctx.err('xargs: argument line too long\n'); return 1; }
      batch.push(item.arg);
      batchChars += size;
      if (item.lineEnd) batchLines++;
      if ((maxArgs !== null && batch.length >= maxArgs) || (maxLines !== null && batchLines >= maxLines)) {
        const r: number | null = yield* run(batch);
        if (r !== null) return r;
        batch = [];
        batchChars = baseChars;
        batchLines = 0;
      }
    }
    pending = [];
    // GNU runs the command once even without input (unless -r), but not after a quoting error.
    if (final && (batch.length > 0 || (!ran && !noRunIfEmpty && replace === null && !reader.error))) {
      const r: number | null = yield* run(batch);
      if (r !== null) return r;
      batch = [];
    }
    return null;
  }

  let pendingFile = argText;
  for (;;) {
    let chunk: string | null;
    if (argText !== null) { chunk = pendingFile; pendingFile = null; } else chunk = yield readChunk(ctx);
    if (chunk === null || !alive(ctx)) break;
    reader.feed(chunk, pending);
    for (const w of reader.warnings.splice(0)) ctx.err(`xargs: ${w}\n`);
    if (reader.error || reader.eof) break;
    const r: number | null = yield* drain(false);
    if (r !== null) return r;
  }
  reader.end(pending);
  if (reader.error) ctx.err(`xargs: ${reader.error}\n`);
  const r: number | null = yield* drain(true);
  if (r !== null) return r;
  return reader.error ? 1 : status;
};
