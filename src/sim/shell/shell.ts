/**
 * The shell interpreter: runs parsed command lines on a host. It is a kernel task: commands
 * that take time (a program running in the foreground, `sleep`, a pipe waiting for data)
 * suspend it until the virtual time they are done.
 *
 * Each stage of a pipeline is a process with a pid: programs (redis-server, redis-cli...)
 * are spawned into a runtime; coreutils and subshells are kernel-side processes, so `ps aux |
 * grep redis` shows the grep too. `cd`, `export`, `exit`, `unset`, `source` run inside the
 * shell itself when they are not part of a pipeline, as in bash.
 */
import type { Kernel } from '../kernel/kernel';
import { bytesToLatin1 } from '../kernel/kernel';
import type { Host } from '../kernel/host';
import type { ProcRecord, Sink, Source, Terminal } from '../kernel/process';
import type { TaskGen, Wait } from '../kernel/tasks';
import { basename, dirname, resolvePath } from '../runtime/paths';
import { Incomplete, SyntaxError_, findArithClose, parse, type AndOr, type Arith, type ArithFor, type Assign, type Case, type Cond, type Command as AstCommand, type For, type FuncDef, type Group, type If, type List, type Pipeline, type Redir, type Simple, type While, type Word } from './parser';
import { ArithError, evalArith, type ArithVars } from './arith';
import { formatFunction } from './function-listing';
import { expandBraces } from './braces';
import { completeLine } from './complete';
import { evalCond, type CondEnv } from './cond';
import { sleepWait } from './context';
import type { CmdCtx, Command, ShellSys } from './context';
import { ERRNO } from './context';
import { COMMANDS } from './commands';
import { signalListing } from './commands/procs';
import { parseSignal, signalInfo } from '../kernel/signals';
import { globMatch, globQuote, globRegExp } from './glob';
import { INTERRUPTED_LINE } from './terminal';
import { xtraceQuote } from './xtrace';

class ExitShell {
  constructor(readonly code: number) {}
}

/**
 * Ctrl-C killed the foreground job (it died of SIGINT): like bash, the shell abandons the rest
 * of what it was running — the whole line at the prompt, the rest of a script or subshell,
 * which then ends as if killed by SIGINT itself, so its parent stops too. A job that handled
 * the SIGINT and exited normally does not stop the shell (bash's "wait and cooperative exit").
 */
class Interrupted {}

/** What a subshell's body returns when Ctrl-C interrupted it. */
const INTERRUPTED = -1;

/**
 * An expansion failed (`$((1/0))`; at the prompt also `${x:?unset}` and set -u's unbound
 * variables, which end a script): the error is printed where it happened and, like bash, the
 * rest of the current line is abandoned (a script goes on with its next line).
 */
class AbortLine {}

/** `return [n]` unwinding to the function call. */
class ReturnFromFunction {
  constructor(readonly code: number) {}
}

/** `break [n]` / `continue [n]` unwinding to the enclosing loop. */
class LoopControl {
  constructor(readonly kind: 'break' | 'continue', public levels: number) {}
}

/** Where each function was defined (its file and that text's first line), for its errors' lines. */
const FUNCTION_ORIGINS = new WeakMap<FuncDef, { scriptName: string; lineOffset: number }>();

type Compound = Group | For | ArithFor | While | If | Case | Arith | FuncDef | Cond;

/** Every loop iteration costs this much virtual time, so `while true; do :; done` cannot freeze the world. */
const LOOP_ITERATION_MS = 0.001;

interface Job { id: number; pids: number[]; text: string; done: boolean; status: string; reported: boolean }

interface Fds { stdin: Source; stdout: Sink; stderr: Sink }

type Launched = { rec: ProcRecord } | { code: number };

const SHELL_BUILTINS = new Set(['cd', 'export', 'exit', 'logout', 'unset', 'source', '.', 'set', 'wait', 'jobs', 'read', 'break', 'continue', ':', 'return', 'local', 'let', 'type', 'shift', 'eval', 'command', 'exec', 'trap']);

/** What `type` calls a shell builtin (bash's own, including those that also exist as files). */
const BASH_BUILTINS = new Set([...SHELL_BUILTINS, 'echo', 'printf', 'test', '[', 'true', 'false', 'pwd', 'kill', 'eval', 'command', 'exec', 'trap', 'shift', 'umask', 'alias', 'history']);

/** bash's `set -o` option names, in the order `set -o` lists them. */
const OPTION_NAMES = ['allexport', 'braceexpand', 'emacs', 'errexit', 'errtrace', 'functrace', 'hashall', 'histexpand', 'history', 'ignoreeof', 'interactive-comments', 'keyword', 'monitor', 'noclobber', 'noexec', 'noglob', 'nolog', 'notify', 'nounset', 'onecmd', 'physical', 'pipefail', 'posix', 'privileged', 'verbose', 'vi', 'xtrace'];

/** The `set -o` options a new non-interactive bash has on (besides errexit, nounset, xtrace: off). */
const DEFAULT_OPTIONS: readonly string[] = ['braceexpand', 'hashall', 'interactive-comments'];

/** The one-letter options of `set` (and of `bash` itself), by option name. */
const OPTION_LETTERS: Record<string, string> = {
  a: 'allexport', B: 'braceexpand', e: 'errexit', E: 'errtrace', T: 'functrace', h: 'hashall', H: 'histexpand', k: 'keyword', m: 'monitor',
  C: 'noclobber', n: 'noexec', f: 'noglob', b: 'notify', u: 'nounset', t: 'onecmd', P: 'physical', p: 'privileged', v: 'verbose', x: 'xtrace',
};

/** Commands that live in /usr/sbin (the rest of the coreutils-like commands are in /usr/bin). */
const SBIN = new Set(['iptables', 'ip', 'reboot', 'poweroff', 'shutdown', 'halt']);

export class Shell {
  vars = new Map<string, string>();
  exported = new Set<string>();
  cwd: string;
  status = 0;
  args: string[];
  lastBgPid = 0;
  /** The status each background job's last process ended with, by pid, for `wait PID` after the job was reported. */
  private readonly bgStatus = new Map<number, number>();
  functions = new Map<string, FuncDef>();
  /** Indexed arrays (`a=(x y)`, `a[3]=z`); a name is either here or in `vars`. Sparse: holes are unset elements. */
  arrays = new Map<string, (string | undefined)[]>();
  /** One frame per running function call: the previous values of its `local` variables. */
  private readonly localFrames: Map<string, string | undefined>[] = [];
  /** A script's name and the line it is running, for error messages (`x.sh: line 3: …`). */
  private scriptName = 'bash';
  /** `trap CMD EXIT`: run when this shell ends (other signals' traps are accepted and not run). */
  private exitTrap: string | null = null;
  /** The status of the last `$(…)` expanded for the current simple command, if any. */
  private substitutionStatus: number | null = null;
  /** `set -e`: a failing command ends the shell (see runAndOr). */
  errexit = false;
  /** Inside an if/while/until condition, where set -e does not apply. */
  private conditionDepth = 0;
  /** `set -u`: expanding an unset variable is an error (see unboundVariable). */
  nounset = false;
  /** What a non-interactive shell exits with on an unbound variable: 1, but 127 for `bash -c`'s own commands. */
  private unboundStatus = 1;
  /** The end of `$-`: `c` for commands given with -c (and lines run by the world), `s` for a shell reading its input. */
  private readFrom: string;
  /** `bash -n`: the script's syntax is checked and nothing runs. */
  private syntaxOnly = false;
  /** The options of `set -o` that change nothing here, only remembered for the listing. */
  private otherOptions = new Set(DEFAULT_OPTIONS);
  /** `set -x`: each command is written to stderr after its expansion, before it runs (see trace). */
  xtrace = false;
  /** How many $(…) and evals deep this shell is: PS4's first character is repeated once more per level. */
  private traceLevel = 0;
  private scriptLine = 0;
  /** Where the text this shell runs starts in its script: a $(…)'s lines are counted from its line. */
  private lineOffset = 0;
  private readonly jobs: Job[] = [];
  private nextJob = 1;

  constructor(
    readonly sys: ShellSys,
    readonly host: Host,
    readonly term: Terminal | null,
    public proc: ProcRecord,
    readonly io: Fds,
    readonly interactive: boolean,
    args: string[] = ['bash'],
  ) {
    this.cwd = proc.cwd;
    this.args = args;
    for (const [k, v] of Object.entries({ HOME: host.home, USER: 'root', LOGNAME: 'root', SHELL: '/bin/bash', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: host.name, TERM: 'xterm-256color', LANG: 'C.UTF-8' })) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
    this.vars.set('PS4', '+ ');
    this.readFrom = interactive ? 's' : 'c';
    if (interactive) for (const o of ['emacs', 'histexpand', 'history', 'monitor']) this.otherOptions.add(o);
  }

  get kernel(): Kernel { return this.sys.kernel; }

  child(proc: ProcRecord, io: Fds, args = this.args): Shell {
    const s = new Shell(this.sys, this.host, this.term, proc, io, false, args);
    s.vars = new Map(this.vars);
    s.exported = new Set(this.exported);
    s.functions = new Map(this.functions);
    s.arrays = new Map([...this.arrays].map(([k, v]) => [k, [...v]]));
    s.cwd = this.cwd;
    s.status = this.status;
    // A subshell keeps set -e (a new bash for a script or a $(…) does not: they reset it).
    s.errexit = this.errexit;
    s.conditionDepth = this.conditionDepth;
    // A subshell's errors name the script and line it is part of.
    s.scriptName = this.scriptName;
    s.scriptLine = this.scriptLine;
    // It keeps set -x and set -u (and its trace level) too.
    s.xtrace = this.xtrace;
    s.nounset = this.nounset;
    s.otherOptions = new Set(this.otherOptions);
    s.traceLevel = this.traceLevel;
    s.readFrom = this.readFrom;
    return s;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    const e: Record<string, string> = {};
    for (const k of this.exported) { const v = this.vars.get(k); if (v !== undefined) e[k] = v; }
    e.PWD = this.cwd;
    return { ...e, ...extra };
  }

  prompt(): string {
    const home = this.host.home;
    const where = this.cwd === home ? '~' : this.cwd.startsWith(home + '/') ? '~' + this.cwd.slice(home.length) : this.cwd;
    return `root@${this.host.name}:${where}# `;
  }

  private write(s: Sink, text: string): void { this.kernel.writeSink(s, text, this.proc); }

  /**
   * set -x: a trace line on stderr, behind PS4 (expanded, its first character repeated once
   * more per level of $(…) or eval). Callers test `this.xtrace` first, so that nothing of the
   * line is built on the (hot) paths of assignments, loops and tests when tracing is off.
   */
  private *trace(text: string): TaskGen<void> {
    if (!this.xtrace) return;
    let ps4: string;
    this.xtrace = false;
    try {
      ps4 = yield* this.expandText(this.vars.get('PS4') ?? '');
    } finally {
      this.xtrace = true;
    }
    this.errOut(`${ps4.slice(0, 1).repeat(this.traceLevel)}${ps4}${text}\n`);
  }

  private *traceWords(words: string[]): TaskGen<void> {
    if (this.xtrace) yield* this.trace(words.map(xtraceQuote).join(' '));
  }

  private errOut(text: string): void { this.write(this.io.stderr, text); }

  // ---- entry points -----------------------------------------------------------------------

  /** The login shell: read a line, run it, repeat until `exit` or end of input. */
  *interactiveLoop(): TaskGen<number> {
    const term = this.term!;
    let buf = '';
    for (;;) {
      this.reportJobs();
      const line: string | null = yield readLine(term, this.proc.pid, buf ? '> ' : this.prompt());
      if (line === null) {
        if (buf) { this.errOut('bash: syntax error: unexpected end of file\n'); buf = ''; continue; }
        term.write('logout\n');
        return this.status;
      }
      if (line === INTERRUPTED_LINE) { buf = ''; this.status = 130; continue; }
      buf = buf ? `${buf}\n${line}` : line;
      let list: List;
      try {
        list = parse(buf);
      } catch (e) {
        if (e instanceof Incomplete) continue;
        if (e instanceof SyntaxError_) { this.errOut(`bash: ${e.message}\n`); this.status = 2; buf = ''; continue; }
        throw e;
      }
      buf = '';
      try {
        yield* this.runList(list);
      } catch (e) {
        if (e instanceof ExitShell) { term.write('logout\n'); return e.code; }
        if (e instanceof LoopControl) continue;
        if (e instanceof AbortLine) { this.status = 1; continue; }
        // bash ends the interrupted line ("^C" is already on screen) before the next prompt.
        if (e instanceof Interrupted) { term.write('\n'); this.status = 130; continue; }
        throw e;
      }
    }
  }

  /**
   * Run a script or `sh -c` text non-interactively. `readsLines`: a new bash reading the text
   * (which set -v echoes), not a $(…) or an -exec.
   */
  *runSource(src: string, name = 'bash', file = false, readsLines = false): TaskGen<number> {
    let list: List;
    const text = src.endsWith('\n') ? src : src + '\n';
    try {
      list = parse(text);
    } catch (e) {
      if (file && (e instanceof Incomplete || e instanceof SyntaxError_)) return yield* this.runUntilSyntaxError(text, e, name, this.syntaxOnly);
      if (e instanceof Incomplete) { this.errOut(`${name}: line 1: syntax error: unexpected end of file\n`); return 2; }
      if (e instanceof SyntaxError_) { this.errOut(`${name}: line 1: ${e.message}\n`); return 2; }
      throw e;
    }
    // bash -n: the syntax is checked, nothing runs.
    if (this.syntaxOnly) return 0;
    this.scriptName = name;
    const code: number = yield* this.runScript(list, readsLines ? text : undefined);
    const trap = this.exitTrap;
    this.exitTrap = null;
    if (trap !== null) {
      // The EXIT trap runs when the script ends by itself or by exit (not when it is killed).
      try { yield* this.runList(parse(trap + '\n')); } catch (e) { if (!(e instanceof ExitShell || e instanceof AbortLine || e instanceof SyntaxError_ || e instanceof Incomplete)) throw e; }
    }
    return code;
  }

  /**
   * A script with a syntax error: bash reads and runs it a command at a time, so the commands
   * before the bad one run; then it names the line — of the token it did not expect (and shows
   * that line), of an unclosed quote's opening, or past the last line for an unexpected end.
   */
  private *runUntilSyntaxError(text: string, e: Incomplete | SyntaxError_, name: string, noexec: boolean): TaskGen<number> {
    const lines = text.split('\n');
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    const eofLine = lines.length;
    let errorLine: number;
    let message: string;
    if (e instanceof SyntaxError_) {
      errorLine = e.line ?? 1;
      message = `${name}: line ${errorLine}: ${e.message}\n${name}: line ${errorLine}: \`${lines[errorLine - 1] ?? ''}'\n`;
    } else if (e.quote !== undefined && e.at !== undefined) {
      errorLine = lineOf(e.at);
      message = `${name}: line ${errorLine}: unexpected EOF while looking for matching \`${e.quote}'\n`;
    } else {
      errorLine = eofLine;
      message = e.message === 'paren'
        ? `${name}: line ${eofLine}: unexpected EOF while looking for matching \`)'\n`
        : `${name}: line ${eofLine}: syntax error: unexpected end of file\n`;
    }
    // The longest run of whole lines before the error that parses: what bash ran before it.
    for (let k = noexec ? 0 : Math.min(errorLine, eofLine) - 1; k > 0; k--) {
      let prefix: List;
      try { prefix = parse(lines.slice(0, k).join('\n') + '\n'); } catch { continue; }
      this.scriptName = name;
      yield* this.runScript(prefix);
      break;
    }
    this.errOut(message);
    return 2;
  }

  /** `source`: a script file's text, which set -v echoes on stderr as bash reads it. */
  private *runScript(list: List, source?: string): TaskGen<number> {
    const lines = source?.split('\n') ?? [];
    if (lines[lines.length - 1] === '') lines.pop();
    let read = 0;
    // set -v: bash echoes each line as it reads it: a command's lines before it runs (blank and
    // comment lines before it with them), and what is left after the last one at the end.
    const readThrough = (end: number) => {
      if (end <= read) return;
      if (this.otherOptions.has('verbose')) this.errOut(lines.slice(read, end).map((l) => `${l}\n`).join(''));
      read = end;
    };
    try {
      // Item by item: an expansion error abandons the rest of its line only.
      let abandoned = 0;
      for (const [k, item] of list.items.entries()) {
        if (source !== undefined) {
          let end = (list.items[k + 1]?.line ?? lines.length + 1) - 1;
          while (end > item.line && /^\s*(#.*)?$/.test(lines[end - 1] ?? '')) end--;
          readThrough(Math.max(end, item.line));
        }
        if (item.line === abandoned) continue;
        this.scriptLine = item.line + this.lineOffset;
        try {
          if (item.background) yield* this.startBackground(item.andOr);
          else yield* this.runAndOr(item.andOr);
        } catch (e) {
          if (!(e instanceof AbortLine)) throw e;
          this.status = 1;
          abandoned = item.line;
        }
      }
      readThrough(lines.length);
      return this.status;
    } catch (e) {
      if (e instanceof ExitShell) return e.code;
      if (e instanceof LoopControl) return 0;
      if (e instanceof ReturnFromFunction) return e.code;
      throw e;
    }
  }

  /**
   * The prefix bash puts before its own errors: `bash: ` at the prompt (and for a line run by
   * `sh -c` or the world's exec), `x.sh: line N: ` in a script.
   */
  private errorPrefix(): string {
    return this.interactive || this.scriptName === 'bash' ? 'bash: ' : `${this.scriptName}: line ${this.scriptLine}: `;
  }

  private shellError(msg: string): void {
    this.errOut(`${this.errorPrefix()}${msg}\n`);
  }

  /** `set -o NAME` / `set +o NAME`: false for a name bash does not know. */
  setOption(name: string, on: boolean): boolean {
    if (!OPTION_NAMES.includes(name)) return false;
    if (name === 'errexit') this.errexit = on;
    else if (name === 'xtrace') this.xtrace = on;
    else if (name === 'nounset') this.nounset = on;
    else if (on) this.otherOptions.add(name);
    else this.otherOptions.delete(name);
    return true;
  }

  /** `$-`: the one-letter options that are on, in bash's order, then c (bash -c) or s (stdin). */
  private optionFlags(): string {
    let flags = '';
    for (const letter of 'abefhikmnptuvxBCEHPT') {
      if (letter === 'i' ? this.interactive : this.optionOn(OPTION_LETTERS[letter])) flags += letter;
    }
    return flags + this.readFrom;
  }

  private optionOn(name: string): boolean {
    return name === 'errexit' ? this.errexit : name === 'xtrace' ? this.xtrace : name === 'nounset' ? this.nounset : this.otherOptions.has(name);
  }

  /** `set -o` (a table) or `set +o` (the commands that would restore them), as bash lists them. */
  private optionListing(table: boolean): string {
    return OPTION_NAMES.map((n) => (table ? `${n.padEnd(15)}\t${this.optionOn(n) ? 'on' : 'off'}\n` : `set ${this.optionOn(n) ? '-' : '+'}o ${n}\n`)).join('');
  }

  /** Evaluate an arithmetic expression (already expanded); an error aborts the line. */
  private arith(src: string): bigint {
    const vars: ArithVars = {
      get: (n) => {
        if (this.vars.has(n) || this.arrays.has(n)) return this.scalar(n);
        if (this.nounset) this.unboundVariable(n);
        return undefined;
      },
      set: (n, v) => this.setScalar(n, v),
    };
    try {
      return evalArith(src, vars);
    } catch (e) {
      if (!(e instanceof ArithError)) throw e;
      this.shellError(e.message);
      throw new AbortLine();
    }
  }

  /** Where `type` and `which` find a command: null when it is none of ours. */
  commandPath(name: string): string | null {
    if (this.sys.hasProgram(name)) return `/usr/local/bin/${name}`;
    if (name === 'sh' || name === 'bash') return `/usr/bin/${name}`;
    if (COMMANDS[name]) return SBIN.has(name) ? `/usr/sbin/${name}` : `/usr/bin/${name}`;
    return null;
  }

  /** Tab completion of a line typed at this shell's prompt (complete.ts). */
  completions(line: string): string[] {
    return completeLine(line, {
      commandNames: () => [...Object.keys(COMMANDS), ...this.sys.programNames(), ...BASH_BUILTINS, ...this.functions.keys(), 'sh', 'bash'],
      listDir: (typed) => {
        const dir = typed.startsWith('~') ? (this.vars.get('HOME') ?? '/root') + typed.slice(1) : typed;
        const node = this.host.disk.lookup(resolvePath(this.cwd, dir));
        if (!node?.isDir) return null;
        return [...node.children!].map(([name, n]) => ({ name, isDir: n.isDir }));
      },
    });
  }

  /**
   * Run `body` at another place of a script (`at`: the file errors name, where its text starts,
   * the line), one trace level deeper when `deeper` (eval, source); the place and the level are
   * restored after it however it ends.
   */
  private *runAt<T>(at: { scriptName?: string; lineOffset?: number; scriptLine?: number }, deeper: boolean, body: () => TaskGen<T>): TaskGen<T> {
    const saved = { scriptName: this.scriptName, lineOffset: this.lineOffset, scriptLine: this.scriptLine, traceLevel: this.traceLevel };
    Object.assign(this, at);
    if (deeper) this.traceLevel++;
    try {
      return yield* body();
    } finally {
      Object.assign(this, saved);
    }
  }

  /** Run function `def` in this shell with positional parameters from argv. */
  private *callFunction(def: FuncDef, argv: string[]): TaskGen<number> {
    const savedArgs = this.args;
    this.args = [this.args[0], ...argv.slice(1)];
    const frame = new Map<string, string | undefined>();
    this.localFrames.push(frame);
    try {
      // Errors in the body name the file and lines it was defined in.
      return yield* this.runAt(FUNCTION_ORIGINS.get(def) ?? {}, false, () => this.runCompound(def.body as Compound, this.io));
    } catch (e) {
      if (e instanceof ReturnFromFunction) { this.status = e.code; return e.code; }
      throw e;
    } finally {
      this.localFrames.pop();
      for (const [k, v] of frame) { if (v === undefined) this.vars.delete(k); else this.vars.set(k, v); }
      this.args = savedArgs;
    }
  }

  *runList(list: List): TaskGen<number> {
    for (const item of list.items) {
      // The line of a command inside a compound one or a function, for errors and $LINENO.
      if (this.scriptLine > 0) this.scriptLine = item.line + this.lineOffset;
      if (item.background) yield* this.startBackground(item.andOr);
      else yield* this.runAndOr(item.andOr);
    }
    return this.status;
  }

  *runAndOr(a: AndOr): TaskGen<number> {
    const lastOfList = a.rest.length === 0 ? a.first : a.rest[a.rest.length - 1].p;
    // set -e does not apply to the pipelines before the last of a && / || list, even to the
    // commands of a function they call.
    const run = (p: Pipeline) => (p === lastOfList ? this.runPipeline(p, this.io.stdin) : this.runCondition({ items: [] }, p));
    let s: number = yield* run(a.first);
    let last = a.first;
    for (const r of a.rest) {
      if ((r.op === '&&' && s === 0) || (r.op === '||' && s !== 0)) { s = yield* run(r.p); last = r.p; }
    }
    this.status = s;
    // set -e: only the failure of the list's last pipeline counts (not `a` in `a && b`), not a
    // negated one, not inside a condition.
    if (this.errexit && s !== 0 && last === lastOfList && !last.negate && this.conditionDepth === 0) throw new ExitShell(s);
    return s;
  }

  /** An if/while/until condition (or one pipeline of it): set -e does not apply inside it. */
  private *runCondition(list: List, pipeline?: Pipeline): TaskGen<number> {
    this.conditionDepth++;
    try {
      return pipeline ? yield* this.runPipeline(pipeline, this.io.stdin) : yield* this.runList(list);
    } finally {
      this.conditionDepth--;
    }
  }

  private *startBackground(a: AndOr): TaskGen<void> {
    const job: Job = { id: this.nextJob++, pids: [], text: a.text, done: false, status: 'Running', reported: false };
    const finish = (code: number, signal: string | null) => {
      job.done = true;
      const pid = job.pids[job.pids.length - 1];
      if (pid !== undefined) {
        this.bgStatus.set(pid, code);
        // bash remembers as many as CHILD_MAX; a few hundred is plenty here.
        if (this.bgStatus.size > 512) this.bgStatus.delete(this.bgStatus.keys().next().value!);
      }
      // A signal's strsignal text: Killed, Terminated, Interrupt, User defined signal 1...
      const ending = signal === null ? undefined : signalInfo(signal)?.description;
      job.status = ending ?? (code === 0 ? 'Done' : `Exit ${code}`);
    };
    if (a.rest.length === 0) {
      const launched: Launched[] = yield* this.launchPipeline(a.first, { kind: 'null' }, true);
      const recs = launched.filter((l): l is { rec: ProcRecord } => 'rec' in l).map((l) => l.rec);
      job.pids = recs.map((r) => r.pid);
      const last = launched[launched.length - 1];
      if ('rec' in last) {
        last.rec.background = true;
        if (last.rec.state === 'exited') finish(last.rec.exitCode ?? 0, last.rec.exitSignal);
        else last.rec.waiters.push(finish);
      } else finish(last.code, null);
    } else {
      const rec = this.subProcess('bash', { stdin: { kind: 'null' }, stdout: this.io.stdout, stderr: this.io.stderr });
      rec.background = true;
      const sub = this.child(rec, { stdin: { kind: 'null' }, stdout: this.io.stdout, stderr: this.io.stderr });
      this.runSubshell(rec, sub.runAndOr(a));
      rec.waiters.push(finish);
      job.pids = [rec.pid];
    }
    this.lastBgPid = job.pids[job.pids.length - 1] ?? 0;
    this.jobs.push(job);
    if (this.interactive) this.write(this.io.stderr, `[${job.id}] ${this.lastBgPid}\n`);
    this.status = 0;
  }

  private reportJobs(): void {
    for (const j of this.jobs) {
      if (!j.done || j.reported) continue;
      j.reported = true;
      const cur = this.jobs.filter((x) => !x.reported || x === j).pop() === j ? '+' : '-';
      this.write(this.io.stderr, `[${j.id}]${cur}  ${j.status.padEnd(24)}${j.text.replace(/\s*&$/, '')}\n`);
    }
    while (this.jobs.length > 0 && this.jobs[0].reported) this.jobs.shift();
    if (this.jobs.length === 0) this.nextJob = 1;
  }

  // ---- pipelines --------------------------------------------------------------------------

  *runPipeline(p: Pipeline, stdin: Source): TaskGen<number> {
    let code: number;
    if (p.cmds.length === 1 && p.cmds[0].type !== 'simple' && p.cmds[0].type !== 'subshell') {
      code = yield* this.runCompound(p.cmds[0], { ...this.io, stdin });
      code = p.negate ? (code === 0 ? 1 : 0) : code;
      this.status = code;
      return code;
    }
    if (p.cmds.length === 1 && p.cmds[0].type === 'simple') {
      const simple = p.cmds[0];
      const argv0: string[] = simple.words.length > 0 ? yield* this.expandWords([simple.words[0]]) : [];
      if (argv0.length > 0 && (SHELL_BUILTINS.has(argv0[0]) || this.functions.has(argv0[0]))) {
        code = yield* this.runInShell(simple, stdin);
        code = p.negate ? (code === 0 ? 1 : 0) : code;
        this.status = code;
        return code;
      }
    }
    const interrupts = this.term?.interrupts;
    const launched: Launched[] = yield* this.launchPipeline(p, stdin, false);
    code = 0;
    // set -o pipefail: the status of the last command that failed, 0 when all succeeded.
    const pipefail = this.otherOptions.has('pipefail');
    let killedBySigint = false;
    for (const l of launched) {
      if ('rec' in l) {
        const [c, sig]: [number, string | null] = yield waitExit(l.rec);
        code = pipefail && c === 0 ? code : c;
        if (sig === 'SIGINT') killedBySigint = true;
        // bash says what ended the last command of the pipeline, SIGINT and SIGPIPE aside.
        const ending = sig === null || sig === 'SIGINT' || sig === 'SIGPIPE' || (sig === 'SIGTERM' && c === 0) ? undefined : signalInfo(sig)?.description;
        if (ending !== undefined && l === launched[launched.length - 1]) this.write(this.io.stderr, `${ending}\n`);
      } else code = pipefail && l.code === 0 ? code : l.code;
    }
    if (killedBySigint && this.interruptedBy(interrupts)) { this.status = 130; throw new Interrupted(); }
    code = p.negate ? (code === 0 ? 1 : 0) : code;
    this.status = code;
    return code;
  }

  /**
   * Whether a foreground job that died of SIGINT stops this shell. The login shell stops
   * whoever sent the signal (bash treats it as its own SIGINT, `kill -INT` from elsewhere
   * included); a script or subshell on the terminal stops when the terminal's Ctrl-C (which
   * reaches it too) was pressed while it waited (`interrupts`: the count before the wait).
   */
  private interruptedBy(interrupts: number | undefined): boolean {
    if (!this.term) return false;
    return this.interactive || this.term.interrupts !== interrupts;
  }

  /**
   * Run a subshell's body as the kernel task of its process `rec`; interrupted by Ctrl-C, the
   * subshell ends killed by SIGINT (its parent shell then stops too).
   */
  private runSubshell(rec: ProcRecord, body: TaskGen<number>): void {
    this.kernel.runTask(rec, interruptible(body), (code) => {
      if (code === INTERRUPTED) this.kernel.endProcess(rec, 130, 'SIGINT', 'exit');
      else this.kernel.endProcess(rec, code ?? 0, null, 'exit');
    });
  }

  private *launchPipeline(p: Pipeline, stdin: Source, background: boolean): TaskGen<Launched[]> {
    const n = p.cmds.length;
    const pipes = Array.from({ length: n - 1 }, () => this.kernel.newPipe());
    const out: Launched[] = [];
    for (let i = 0; i < n; i++) {
      const fds: Fds = {
        stdin: i === 0 ? stdin : { kind: 'pipe', pipe: pipes[i - 1] },
        stdout: i === n - 1 ? this.io.stdout : { kind: 'pipe', pipe: pipes[i] },
        stderr: this.io.stderr,
      };
      const l: Launched = yield* this.launch(p.cmds[i], fds, n > 1);
      if ('rec' in l && !background && this.term && l.rec.tty === this.term) this.term.foreground.add(l.rec.pid);
      out.push(l);
    }
    return out;
  }

  private subProcess(title: string, fds: Fds, argv = [title]): ProcRecord {
    return this.kernel.kernelProcess({
      host: this.host, kind: 'shell', title, argv, cwd: this.cwd, ppid: this.proc.pid,
      stdin: fds.stdin, stdout: fds.stdout, stderr: fds.stderr, tty: this.term,
    });
  }

  private *launch(cmd: AstCommand, base: Fds, inPipeline: boolean): TaskGen<Launched> {
    if (cmd.type === 'subshell') {
      const fds: Fds | null = yield* this.redirect(cmd.redirs, base);
      if (!fds) return { code: 1 };
      const rec = this.subProcess('bash', fds);
      const sub = this.child(rec, fds);
      this.runSubshell(rec, sub.runList(cmd.list));
      return { rec };
    }
    if (cmd.type !== 'simple') {
      // A loop or group inside a pipeline runs in a subshell, like bash.
      const rec = this.subProcess('bash', base);
      const sub = this.child(rec, base);
      this.runSubshell(rec, sub.runCompound(cmd, base));
      return { rec };
    }
    return yield* this.launchSimple(cmd, base, inPipeline);
  }

  /** for / while / until / if / { …; } in this shell (variables set inside persist). */
  *runCompound(cmd: Compound, base: Fds): TaskGen<number> {
    const fds: Fds | null = yield* this.redirect(cmd.redirs, base);
    if (!fds) return 1;
    const saved = this.io;
    (this as { io: Fds }).io = fds;
    try {
      switch (cmd.type) {
        case 'group':
          return yield* this.runList(cmd.list);
        case 'func':
          this.functions.set(cmd.name, cmd);
          FUNCTION_ORIGINS.set(cmd, { scriptName: this.scriptName, lineOffset: this.lineOffset });
          return 0;
        case 'arith': {
          const text: string = yield* this.expandText(cmd.src);
          if (this.xtrace) yield* this.trace(`(( ${text} ))`);
          return this.arith(text) !== 0n ? 0 : 1;
        }
        case 'cond':
          // Its syntax was checked when it was parsed.
          return (yield* evalCond(cmd.tokens, this.condEnv())) ? 0 : 1;
        case 'case': {
          const word = (yield* this.expandWords([cmd.word], false)).join(' ');
          if (this.xtrace) yield* this.trace(`case ${cmd.wordText ?? word} in`);
          for (const clause of cmd.clauses) {
            for (const p of clause.patterns) {
              const pattern: string = yield* this.expandPattern(p);
              if (globMatch(pattern, word)) return yield* this.runList(clause.body);
            }
          }
          return 0;
        }
        case 'if':
          for (const c of cmd.clauses) {
            if ((yield* this.runCondition(c.cond)) === 0) return yield* this.runList(c.body);
          }
          return cmd.elseBody ? yield* this.runList(cmd.elseBody) : 0;
        case 'for': {
          const items: string[] = cmd.words ? yield* this.expandWords(cmd.words) : this.args.slice(1);
          let s = 0;
          for (const item of items) {
            if (this.xtrace) yield* this.trace(`for ${cmd.name} in ${cmd.wordsText ?? '"$@"'}`);
            this.vars.set(cmd.name, item);
            const r = yield* this.loopBody(cmd.body);
            if (r === 'break') break;
            s = this.status;
          }
          this.status = s;
          return s;
        }
        case 'arith-for': {
          let s = 0;
          // set -x traces each expression as `(( i<2 ))`, an empty one as `(( 1 ))`.
          const traceArith = (text: string) => this.trace(`(( ${text.trim() || '1'} ))`);
          const init: string = yield* this.expandText(cmd.init);
          if (this.xtrace) yield* traceArith(init);
          this.arith(init);
          for (;;) {
            const cond: string = yield* this.expandText(cmd.cond);
            if (this.xtrace) yield* traceArith(cond);
            if (cond.trim() !== '' && this.arith(cond) === 0n) break;
            const r = yield* this.loopBody(cmd.body);
            if (r === 'break') break;
            s = this.status;
            const step: string = yield* this.expandText(cmd.step);
            if (this.xtrace) yield* traceArith(step);
            this.arith(step);
          }
          this.status = s;
          return s;
        }
        case 'while': {
          let s = 0;
          for (;;) {
            const c: number = yield* this.runCondition(cmd.cond);
            if ((c === 0) === cmd.until) break;
            const r = yield* this.loopBody(cmd.body);
            if (r === 'break') break;
            s = this.status;
          }
          this.status = s;
          return s;
        }
      }
    } finally {
      (this as { io: Fds }).io = saved;
    }
  }

  private *loopBody(body: List): TaskGen<'break' | 'next'> {
    yield sleepWait(this.kernel, LOOP_ITERATION_MS);
    try {
      yield* this.runList(body);
    } catch (e) {
      if (!(e instanceof LoopControl)) throw e;
      if (e.levels > 1) { e.levels--; throw e; }
      return e.kind === 'break' ? 'break' : 'next';
    }
    return 'next';
  }

  /** `functions`: false for `command NAME`, which skips shell functions. */
  private *launchSimple(cmd: Simple, base: Fds, inPipeline: boolean, functions = true, traced = true): TaskGen<Launched> {
    this.substitutionStatus = null;
    const argv: string[] = yield* this.expandWords(cmd.words);
    if (argv.length === 0) {
      // Assignments alone set shell variables, left to right (`a=1 b=$a`); in a pipeline, in
      // its subshell only (that is, nowhere).
      if (!inPipeline) for (const a of cmd.assigns) yield* this.assign(a);
      const fds: Fds | null = yield* this.redirect(cmd.redirs, base);
      // Without a command, the status is the last command substitution's (`x=$(false)` fails).
      return { code: fds ? this.substitutionStatus ?? 0 : 1 };
    }
    // Before a command, assignments are that command's environment.
    const assigns: Record<string, string> = {};
    for (const a of cmd.assigns) {
      assigns[a.name] = (yield* this.expandWords([a.value], false)).join(' ');
      if (traced && this.xtrace) yield* this.trace(`${a.name}=${traceValue(assigns[a.name])}`);
    }
    if (traced) yield* this.traceWords(argv);
    const fds: Fds | null = yield* this.redirect(cmd.redirs, base);
    if (!fds) return { code: 1 };
    const name = argv[0];
    const prog = basename(name);
    const env = this.env(assigns);
    const fn = functions ? this.functions.get(name) : undefined;
    if (fn) return { rec: this.runCommand((ctx, a) => exitEndsSubshell(this.child(ctx.proc, { stdin: ctx.stdin, stdout: ctx.proc.stdout, stderr: ctx.proc.stderr }).callFunction(fn, a)), argv, fds, env) };
    if (this.sys.hasProgram(prog)) {
      const rec = this.kernel.spawn({
        host: this.host, program: prog, argv, env, cwd: this.cwd, ppid: this.proc.pid,
        stdin: fds.stdin, stdout: fds.stdout, stderr: fds.stderr, tty: this.term,
      });
      return { rec };
    }
    const builtin: Command | undefined = COMMANDS[name] ?? (SHELL_BUILTINS.has(name) ? this.pipelineBuiltin(name) : undefined);
    if (builtin) return { rec: this.runCommand(builtin, argv, fds, env) };
    if (name === 'sh' || name === 'bash') return { rec: this.runCommand((ctx, a) => this.shCommand(ctx, a), argv, fds, env) };
    if (name.includes('/')) {
      const path = resolvePath(this.cwd, name);
      const f = this.host.disk.lookup(path);
      if (!f) { this.write(fds.stderr, `bash: ${name}: No such file or directory\n`); return { code: 127 }; }
      if (f.isDir) { this.write(fds.stderr, `bash: ${name}: Is a directory\n`); return { code: 126 }; }
      // Even root needs an x bit to run a file (chmod +x).
      if ((f.mode & 0o111) === 0) { this.write(fds.stderr, `${this.errorPrefix()}${name}: Permission denied\n`); return { code: 126 }; }
      // `#!/bin/bash -e` (or -x, -eu…): the kernel passes the option to the interpreter.
      const shebangOption = /^#![ \t]*\/\S*\b(?:bash|sh)[ \t]+([-+][A-Za-z]+)[ \t]*(?:\n|$)/.exec(bytesToLatin1(f.bytes().subarray(0, 128)))?.[1];
      return { rec: this.runCommand((ctx, a) => this.shCommand(ctx, shebangOption ? ['sh', shebangOption, ...a] : ['sh', ...a]), argv, fds, env) };
    }
    this.write(fds.stderr, `${this.errorPrefix()}${name}: command not found\n`);
    return { code: 127 };
  }

  private *assign(a: Assign): TaskGen<void> {
    if (a.array) {
      const items: string[] = yield* this.expandWords(a.array);
      if (this.xtrace) yield* this.trace(`${a.name}${a.append ? '+=' : '='}(${items.map(xtraceQuote).join(' ')})`);
      const before = a.append ? this.arrays.get(a.name) ?? (this.vars.has(a.name) ? [this.vars.get(a.name)!] : []) : [];
      this.arrays.set(a.name, [...before, ...items]);
      this.vars.delete(a.name);
      return;
    }
    const v = (yield* this.expandWords([a.value], false)).join(' ');
    if (this.xtrace) yield* this.trace(`${a.name}${a.index !== null ? `[${a.index}]` : ''}${a.append ? '+=' : '='}${traceValue(v)}`);
    if (a.index !== null) {
      let arr = this.arrays.get(a.name);
      if (!arr) {
        arr = this.vars.has(a.name) ? [this.vars.get(a.name)!] : [];
        this.arrays.set(a.name, arr);
        this.vars.delete(a.name);
      }
      let i = Number(this.arith(yield* this.expandText(a.index)));
      if (i < 0) i += arr.length;
      if (i < 0) { this.shellError(`${a.name}[${a.index}]: bad array subscript`); throw new AbortLine(); }
      arr[i] = a.append ? (arr[i] ?? '') + v : v;
      return;
    }
    this.setScalar(a.name, a.append ? this.scalar(a.name) + v : v);
  }

  /** A variable's value as a string: an array's first element. */
  private scalar(name: string): string {
    const arr = this.arrays.get(name);
    return arr ? arr[0] ?? '' : this.vars.get(name) ?? '';
  }

  private setScalar(name: string, value: string): void {
    const arr = this.arrays.get(name);
    if (arr) arr[0] = value;
    else this.vars.set(name, value);
  }

  /** Run a coreutil as a kernel-side process. */
  private runCommand(fn: Command, argv: string[], fds: Fds, env: Record<string, string>): ProcRecord {
    const rec = this.kernel.kernelProcess({
      host: this.host, kind: 'builtin', title: argv.join(' '), argv, cwd: this.cwd, ppid: this.proc.pid,
      stdin: fds.stdin, stdout: fds.stdout, stderr: fds.stderr, tty: this.term,
    });
    const ctx = this.ctxFor(rec, fds, env);
    this.kernel.runTask(rec, fn(ctx, argv), (code) => {
      if (code === INTERRUPTED) this.kernel.endProcess(rec, 130, 'SIGINT', 'exit');
      else this.kernel.endProcess(rec, typeof code === 'number' ? code : 1, null, 'exit');
    });
    return rec;
  }

  private ctxFor(rec: ProcRecord, fds: Fds, env: Record<string, string>): CmdCtx {
    return {
      sys: this.sys, kernel: this.kernel, host: this.host, proc: rec, shell: this, cwd: this.cwd, env,
      stdin: fds.stdin, term: this.term,
      out: (t) => { if (!this.kernel.writeSink(fds.stdout, t, rec)) this.kernel.signal(rec.pid, 'SIGPIPE'); },
      err: (t) => { this.kernel.writeSink(fds.stderr, t, rec); },
    };
  }

  /** `sh script [args]`, `sh -c text`, `bash ...`, `./script.sh`. */
  private *shCommand(ctx: CmdCtx, argv: string[]): TaskGen<number> {
    const name = argv[0];
    let src: string;
    let args: string[];
    let file = false;
    // The shell's own options before the script: -x, -e, -u, -n… (set's letters), -o NAME, -c.
    const options: [string, boolean][] = [];
    let command = false;
    let k = 1;
    for (; k < argv.length && /^[-+][A-Za-z]+$/.test(argv[k]) && [...argv[k].slice(1)].every((l) => l in OPTION_LETTERS || l === 'c' || l === 'o'); k++) {
      const on = argv[k][0] === '-';
      for (const letter of argv[k].slice(1)) {
        if (letter === 'c') command = true;
        else if (letter === 'o') {
          const optionName = argv[++k];
          if (optionName === undefined) { ctx.err(`${name}: -o: option requires an argument\n`); return 2; }
          if (!OPTION_NAMES.includes(optionName)) { ctx.err(`${name}: ${optionName}: invalid option name\n`); return 2; }
          options.push([optionName, on]);
        } else options.push([OPTION_LETTERS[letter], on]);
      }
    }
    if (command) {
      if (argv.length <= k) { ctx.err(`${name}: -c: option requires an argument\n`); return 2; }
      src = argv[k];
      args = [argv[k + 1] ?? name, ...argv.slice(k + 2)];
    } else if (argv.length > k) {
      const path = resolvePath(ctx.cwd, argv[k]);
      const f = this.host.disk.lookup(path);
      if (!f) { ctx.err(`${name}: ${argv[k]}: No such file or directory\n`); return 127; }
      if (f.isDir) { ctx.err(`${name}: ${argv[k]}: Is a directory\n`); return 126; }
      src = bytesToLatin1(f.bytes());
      args = argv.slice(k);
      file = true;
    } else {
      const text: string = yield* readAll(ctx);
      src = text;
      args = [name];
    }
    const sub = this.child(ctx.proc, { stdin: ctx.stdin, stdout: ctx.proc.stdout, stderr: ctx.proc.stderr }, args);
    // A new bash starts with its options off, but for those it was given.
    sub.errexit = false;
    sub.xtrace = false;
    sub.nounset = false;
    sub.traceLevel = 0;
    sub.otherOptions = new Set(DEFAULT_OPTIONS);
    for (const [optionName, on] of options) sub.setOption(optionName, on);
    sub.unboundStatus = command ? 127 : 1;
    sub.readFrom = command ? 'c' : file ? '' : 's';
    sub.syntaxOnly = sub.otherOptions.has('noexec');
    ctx.proc.kind = 'shell';
    // Interrupted by Ctrl-C, the script ends as if killed by SIGINT (see launchSimple).
    return yield* interruptible(sub.runSource(src, args[0], file, true));
  }

  // ---- builtins that change the shell -----------------------------------------------------

  /** A builtin in a pipeline runs in a subshell of its own: its `exit` ends that subshell only. */
  private pipelineBuiltin(name: string): Command {
    return (ctx, argv) => exitEndsSubshell(this.child(ctx.proc, { stdin: ctx.stdin, stdout: ctx.proc.stdout, stderr: ctx.proc.stderr }).builtinBody(name, argv));
  }

  private *runInShell(cmd: Simple, stdin: Source): TaskGen<number> {
    const argv: string[] = yield* this.expandWords(cmd.words);
    yield* this.traceWords(argv);
    const fds: Fds | null = yield* this.redirect(cmd.redirs, { ...this.io, stdin });
    if (!fds) return 1;
    const saved = this.io;
    (this as { io: Fds }).io = fds;
    try {
      const fn = this.functions.get(argv[0]);
      if (fn && !SHELL_BUILTINS.has(argv[0])) return yield* this.callFunction(fn, argv);
      return yield* this.builtinBody(argv[0], argv);
    } finally {
      (this as { io: Fds }).io = saved;
    }
  }

  *builtinBody(name: string, argv: string[]): TaskGen<number> {
    // The messages below are written for the prompt (`bash: cd: …`); a script names itself.
    const err = (t: string) => this.errOut(t.replace(/^bash: /, this.errorPrefix()));
    switch (name) {
      case 'cd': {
        const target = argv[1] === undefined ? this.vars.get('HOME') ?? '/' : argv[1] === '-' ? this.vars.get('OLDPWD') ?? this.cwd : argv[1];
        if (argv.length > 2) { err('bash: cd: too many arguments\n'); return 1; }
        const path = resolvePath(this.cwd, target);
        const n = this.host.disk.lookup(path);
        if (!n) { err(`bash: cd: ${argv[1]}: No such file or directory\n`); return 1; }
        if (!n.isDir) { err(`bash: cd: ${argv[1]}: Not a directory\n`); return 1; }
        this.vars.set('OLDPWD', this.cwd);
        this.cwd = path;
        this.proc.cwd = path;
        return 0;
      }
      case 'export':
        for (const a of argv.slice(1)) {
          const eq = a.indexOf('=');
          const k = eq >= 0 ? a.slice(0, eq) : a;
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) { err(`bash: export: \`${a}': not a valid identifier\n`); return 1; }
          // set -x shows export's assignments too (`+ export A=1` then `+ A=1`).
          if (eq >= 0 && this.xtrace) yield* this.trace(`${k}=${traceValue(a.slice(eq + 1))}`);
          if (eq >= 0) this.vars.set(k, a.slice(eq + 1));
          this.exported.add(k);
        }
        if (argv.length === 1) for (const k of [...this.exported].sort()) this.write(this.io.stdout, `declare -x ${k}="${this.vars.get(k) ?? ''}"\n`);
        return 0;
      case 'unset':
        for (const a of argv.slice(1)) {
          const el = /^([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]$/.exec(a);
          const arr = el ? this.arrays.get(el[1]) : undefined;
          if (el && arr) { const i = Number(this.arith(el[2])); delete arr[i < 0 ? arr.length + i : i]; continue; }
          this.vars.delete(a);
          this.arrays.delete(a);
          this.exported.delete(a);
        }
        return 0;
      case 'set': {
        // `set -- a b c` (or `set a b c`) replaces the positional parameters; -e, -u, -x (and
        // their -o names) switch errexit, nounset, xtrace; the other options are only
        // remembered; `set -o` / `set +o` alone list them.
        let i = 1;
        for (; i < argv.length && /^[-+]./.test(argv[i]) && argv[i] !== '--'; i++) {
          const on = argv[i][0] === '-';
          const arg = i;
          for (const letter of argv[arg].slice(1)) {
            // -o NAME (also at the end of a group: `set -euo pipefail`).
            if (letter === 'o') {
              if (i + 1 >= argv.length) { this.write(this.io.stdout, this.optionListing(on)); return 0; }
              if (!this.setOption(argv[++i], on)) { err(`bash: set: ${argv[i]}: invalid option name\n`); return 2; }
              continue;
            }
            const optionName = OPTION_LETTERS[letter];
            if (optionName === undefined) {
              err(`bash: set: ${argv[arg][0]}${letter}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n`);
              return 2;
            }
            this.setOption(optionName, on);
          }
        }
        if (argv[i] === '--') this.args = [this.args[0], ...argv.slice(i + 1)];
        else if (i < argv.length) this.args = [this.args[0], ...argv.slice(i)];
        return 0;
      }
      case ':':
        return 0;
      case 'return': {
        if (this.localFrames.length === 0) { err("bash: return: can only `return' from a function or sourced script\n"); return 2; }
        if (argv[1] !== undefined && !/^-?\d+$/.test(argv[1])) { err(`bash: return: ${argv[1]}: numeric argument required\n`); throw new ReturnFromFunction(2); }
        throw new ReturnFromFunction(argv[1] !== undefined ? Number(argv[1]) & 255 : this.status);
      }
      case 'local': {
        const frame = this.localFrames[this.localFrames.length - 1];
        if (!frame) { err('bash: local: can only be used in a function\n'); return 1; }
        for (const a of argv.slice(1)) {
          const eq = a.indexOf('=');
          const k = eq >= 0 ? a.slice(0, eq) : a;
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) { err(`bash: local: \`${a}': not a valid identifier\n`); return 1; }
          const alreadyLocal = frame.has(k);
          if (!alreadyLocal) frame.set(k, this.vars.get(k));
          // `local x` declares x unset in the function (set -u: unbound), but keeps a local's value.
          if (eq >= 0) this.vars.set(k, a.slice(eq + 1));
          else if (!alreadyLocal) this.vars.delete(k);
        }
        return 0;
      }
      case 'shift': {
        const n = argv[1] === undefined ? 1 : Number(argv[1]);
        if (!Number.isInteger(n) || n < 0) { err(`bash: shift: ${argv[1]}: numeric argument required\n`); return 1; }
        if (n > this.args.length - 1) return 1;
        this.args = [this.args[0], ...this.args.slice(1 + n)];
        return 0;
      }
      case 'eval': {
        const text = argv.slice(1).join(' ');
        let list: List;
        try {
          list = parse(text + '\n');
        } catch (e) {
          if (e instanceof Incomplete) { err('bash: eval: syntax error: unexpected end of file\n'); return 2; }
          if (e instanceof SyntaxError_) { err(`bash: eval: ${e.message}\n`); return 2; }
          throw e;
        }
        // What eval runs is traced one level deeper (`++ cmd`); its lines count from eval's.
        return yield* this.runAt({ lineOffset: this.scriptLine > 0 ? this.scriptLine - 1 : 0 }, true, () => this.runList(list));
      }
      case 'exec': {
        // exec CMD: the command replaces the shell, which ends with its status.
        if (argv.length < 2) return 0;
        const code: number = yield* this.builtinBody('command', ['command', ...argv.slice(1)]);
        throw new ExitShell(code);
      }
      case 'trap': {
        if (argv[1] === '-l') { this.write(this.io.stdout, signalListing()); return 0; }
        const args = argv[1] === '--' ? argv.slice(2) : argv.slice(1);
        if (args.length < 2) return 0;
        // Only the EXIT trap runs; the others are checked (bash's names, its pseudo-signals,
        // glibc's unnamed 32 and 33) and kept no further.
        let code = 0;
        for (const spec of args.slice(1)) {
          const up = spec.toUpperCase();
          if (up === 'EXIT' || spec === '0') this.exitTrap = args[0] === '-' || args[0] === '' ? null : args[0];
          else if (!(up === 'DEBUG' || up === 'ERR' || up === 'RETURN' || spec === '32' || spec === '33' || parseSignal(spec))) {
            err(`bash: trap: ${spec}: invalid signal specification\n`);
            code = 1;
          }
        }
        return code;
      }
      case 'command': {
        // `command -v NAME`: how NAME would run; `command NAME …` runs it, functions aside.
        if (argv[1] === '-v' || argv[1] === '-V') {
          let code = 0;
          for (const n of argv.slice(2)) {
            const path = this.functions.has(n) || BASH_BUILTINS.has(n) ? n : this.commandPath(n);
            if (path) this.write(this.io.stdout, argv[1] === '-v' ? `${path}\n` : `${n} is ${path === n ? 'a shell builtin' : path}\n`);
            else { code = 1; if (argv[1] === '-V') err(`bash: command: ${n}: not found\n`); }
          }
          return code;
        }
        if (argv.length < 2) return 0;
        const launched = yield* this.launchSimple({ type: 'simple', assigns: [], words: argv.slice(1).map((a) => [{ t: 'lit', v: a, q: true }]), redirs: [] }, this.io, false, false, false);
        if ('code' in launched) return launched.code;
        const [code]: [number, string | null] = yield waitExit(launched.rec);
        return code;
      }
      case 'let': {
        if (argv.length < 2) { err('bash: let: expression expected\n'); return 1; }
        let last = 0n;
        for (const a of argv.slice(1)) last = this.arith(a);
        return last !== 0n ? 0 : 1;
      }
      case 'type': {
        let code = 0;
        for (const n of argv.slice(1)) {
          const fn = this.functions.get(n);
          if (fn) this.write(this.io.stdout, `${n} is a function\n${formatFunction(fn)}\n`);
          else if (BASH_BUILTINS.has(n)) this.write(this.io.stdout, `${n} is a shell builtin\n`);
          else if (this.commandPath(n)) this.write(this.io.stdout, `${n} is ${this.commandPath(n)}\n`);
          else { err(`bash: type: ${n}: not found\n`); code = 1; }
        }
        return code;
      }
      case 'break':
      case 'continue':
        throw new LoopControl(name, Math.max(1, Number(argv[1] ?? 1) || 1));
      case 'exit':
      case 'logout': {
        const code = argv[1] !== undefined ? Number(argv[1]) & 255 : this.status;
        if (argv[1] !== undefined && !/^-?\d+$/.test(argv[1])) { err(`bash: exit: ${argv[1]}: numeric argument required\n`); throw new ExitShell(2); }
        throw new ExitShell(code);
      }
      case 'source':
      case '.': {
        if (!argv[1]) { err(`bash: ${name}: filename argument required\n`); return 2; }
        const f = this.host.disk.lookup(resolvePath(this.cwd, argv[1]));
        if (!f || f.isDir) { err(`bash: ${argv[1]}: No such file or directory\n`); return 1; }
        const list = parse(bytesToLatin1(f.bytes()) + '\n');
        // Errors in a sourced file name it (as given) and its lines.
        return yield* this.runAt(this.interactive ? {} : { scriptName: argv[1], lineOffset: 0, scriptLine: 1 }, true, () => this.runList(list));
      }
      case 'wait': {
        if (argv.length < 2) {
          for (const j of this.jobs) {
            for (const pid of j.pids) {
              const rec = this.kernel.procs.get(pid);
              if (rec) yield waitExit(rec);
            }
          }
          return 0;
        }
        // wait PID|%JOB...: the status of the last one (128+n when a signal ended it).
        let code = 0;
        for (const spec of argv.slice(1)) {
          let pid: number;
          if (/^%\d+$/.test(spec)) {
            const job = this.jobs.find((j) => j.id === Number(spec.slice(1)));
            if (!job || job.pids.length === 0) { err(`bash: wait: ${spec}: no such job\n`); code = 127; continue; }
            pid = job.pids[job.pids.length - 1];
          } else if (/^\d+$/.test(spec)) pid = Number(spec);
          else { err(`bash: wait: \`${spec}': not a pid or valid job spec\n`); code = 1; continue; }
          if (!this.jobs.some((j) => j.pids.includes(pid)) && !this.bgStatus.has(pid)) {
            err(`bash: wait: pid ${pid} is not a child of this shell\n`);
            code = 127;
            continue;
          }
          const rec = this.kernel.procs.get(pid);
          if (rec && rec.state === 'running') {
            const [c]: [number, string | null] = yield waitExit(rec);
            code = c;
          } else code = this.bgStatus.get(pid) ?? this.kernel.exited.find((p) => p.pid === pid)?.exitCode ?? 0;
        }
        return code;
      }
      case 'jobs':
        for (const j of this.jobs) this.write(this.io.stdout, `[${j.id}]+  ${(j.done ? j.status : 'Running').padEnd(24)}${j.text.replace(/\s*&$/, '')} &\n`);
        return 0;
      case 'read': {
        const names = argv.slice(1).filter((a) => !a.startsWith('-'));
        const ctxLike = this.ctxFor(this.proc, this.io, {});
        let line = '';
        let eof = false;
        for (;;) {
          const c: string | null = yield readChunkOf(ctxLike);
          if (c === null) { if (!line) return 1; eof = true; break; }
          line += c;
          if (line.includes('\n')) break;
        }
        // One line is read; what came after it stays in the input for the next reader.
        const nl = line.indexOf('\n');
        if (nl >= 0) {
          const rest = line.slice(nl + 1);
          const src = this.io.stdin;
          if (src.kind === 'text') src.text = rest.length > 0 ? rest : null;
          else if (src.kind === 'pipe') src.pipe.unread(rest);
          line = line.slice(0, nl);
        }
        const parts = line.trim().split(/\s+/);
        names.forEach((n, i) => this.vars.set(n, i === names.length - 1 ? parts.slice(i).join(' ') : parts[i] ?? ''));
        if (names.length === 0) this.vars.set('REPLY', line);
        // A last line without its newline is read, but read reports the end of input.
        return eof ? 1 : 0;
      }
    }
    return 0;
  }

  // ---- redirections -----------------------------------------------------------------------

  private *redirect(redirs: Redir[], base: Fds): TaskGen<Fds | null> {
    const fds: Fds = { ...base };
    const disk = this.host.disk;
    for (const r of redirs) {
      if (r.heredoc) {
        const text: string = r.heredoc.expand ? yield* this.expandText(r.heredoc.body) : r.heredoc.body;
        fds.stdin = { kind: 'text', text };
        continue;
      }
      const target: string = (yield* this.expandWords([r.target!], false)).join(' ');
      if (r.op === '>&' || r.op === '<&') {
        if (target === '1') { if (r.fd === 2) fds.stderr = fds.stdout; continue; }
        if (target === '2') { if (r.fd === 1) fds.stdout = fds.stderr; continue; }
        if (target === '-') continue;
        if (r.op === '>&' && !/^\d+$/.test(target)) {
          const sink = this.openSink(target, false, fds);
          if (!sink) return null;
          fds.stdout = sink;
          fds.stderr = sink;
          continue;
        }
        this.write(fds.stderr, `bash: ${target}: Bad file descriptor\n`);
        return null;
      }
      if (r.op === '<<<') { fds.stdin = { kind: 'text', text: target + '\n' }; continue; }
      if (r.op === '<') {
        if (target === '/dev/null') { fds.stdin = { kind: 'null' }; continue; }
        const n = disk.lookup(resolvePath(this.cwd, target));
        if (!n) { this.write(fds.stderr, `bash: ${target}: No such file or directory\n`); return null; }
        if (n.isDir) { this.write(fds.stderr, `bash: ${target}: Is a directory\n`); return null; }
        fds.stdin = { kind: 'text', text: bytesToLatin1(n.bytes()), file: true };
        continue;
      }
      const append = r.op === '>>' || r.op === '&>>';
      const sink = this.openSink(target, append, fds);
      if (!sink) return null;
      if (r.op === '&>' || r.op === '&>>') { fds.stdout = sink; fds.stderr = sink; }
      else if (r.fd === 2) fds.stderr = sink;
      else fds.stdout = sink;
    }
    return fds;
  }

  private openSink(target: string, append: boolean, fds: Fds): Sink | null {
    if (target === '/dev/null') return { kind: 'null' };
    if (target === '/dev/stdout') return fds.stdout;
    if (target === '/dev/stderr') return fds.stderr;
    const path = resolvePath(this.cwd, target);
    if (path === '/proc/sysrq-trigger') return { kind: 'sysrq', trigger: (key) => this.sys.sysrq(this.host, key) };
    const f = this.host.disk.create(path, !append, this.kernel.now);
    if (typeof f === 'string') {
      this.write(fds.stderr, `bash: ${target}: ${ERRNO[f] ?? f}\n`);
      return null;
    }
    return { kind: 'file', host: this.host, path, inode: f };
  }

  // ---- expansion --------------------------------------------------------------------------

  /** `${…}` and `$name`: the parameter's value, with bash's operators applied. */
  private *paramValue(expr: string, quoted = false): TaskGen<string[] | string> {
    const lengthOf = /^#([A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?|[0-9]+|[@*])$/.exec(expr);
    if (lengthOf) {
      if (this.isUnbound(lengthOf[1])) this.unboundVariable(lengthOf[1]);
      const v: string | string[] = yield* this.subscripted(lengthOf[1]);
      return String(v.length);
    }
    const indices = /^!([A-Za-z_][A-Za-z0-9_]*)\[[@*]\]$/.exec(expr);
    if (indices) return Object.keys(this.arrays.get(indices[1]) ?? (this.vars.has(indices[1]) ? [''] : []));
    const m = /^([A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?|[0-9]+|[@*#?$!-])/.exec(expr);
    if (!m) return this.badSubstitution(expr);
    const name = m[1];
    const op = expr.slice(name.length);
    // set -u spares `${x-word}` and the other operators that test whether x is set.
    if (!/^:?[-=+?]/.test(op) && this.isUnbound(name)) this.unboundVariable(name);
    const value: string | string[] = yield* this.subscripted(name);
    if (op === '') return value;
    const str = Array.isArray(value) ? value.join(' ') : value;
    const isSet = Array.isArray(value) ? value.length > 0 : /^[0-9]+$/.test(name) ? Number(name) < this.args.length : name.length === 1 && !/[A-Za-z_]/.test(name) ? true : name.includes('[') ? value !== '' : this.vars.has(name) || this.arrays.has(name);
    const word = /^:?[-=+?]/.exec(op);
    if (word) {
      const colon = op.startsWith(':');
      const kind = op[colon ? 1 : 0];
      // The word is expanded as a word is: a leading tilde prefix too (`${DIR:-~/backups}`,
      // `~root`, `~+`, `~-`), which a slash or, as in an assignment, a colon ends.
      const wordText = op.slice(colon ? 2 : 1);
      const prefix = quoted ? null : /^~([A-Za-z0-9._+-]*)(?=[/:]|$)/.exec(wordText);
      const tilde = prefix ? this.tildeValue(prefix[1]) : '';
      const rest: string = tilde + (yield* this.expandText(prefix ? wordText.slice(prefix[0].length) : wordText));
      const empty = !isSet || (colon && str === '');
      switch (kind) {
        case '-': return empty ? rest : value;
        case '=':
          if (!/^[A-Za-z_]/.test(name)) { this.shellError(`$${name}: cannot assign in this way`); throw new AbortLine(); }
          if (empty) this.vars.set(name, rest);
          return empty ? rest : value;
        case '+': return empty ? '' : rest;
        default:
          if (!empty) return value;
          this.shellError(`${name}: ${rest || (colon ? 'parameter null or not set' : 'parameter not set')}`);
          return this.endOnExpansionError();
      }
    }
    if (op.startsWith(':') && Array.isArray(value)) {
      // ${@:2} / ${*:1:2}: positional parameters from $offset ($0 is offset 0); ${a[@]:1}: elements.
      const [offText, lenText] = splitOnce(op.slice(1), ':');
      const all = name === '@' || name === '*' ? this.args : value;
      let off = Number(this.arith(yield* this.expandText(offText)));
      if (off < 0) off = Math.max(all === this.args ? 1 : 0, all.length + off);
      const count = lenText === null ? all.length : Number(this.arith(yield* this.expandText(lenText)));
      return all.slice(off, off + count);
    }
    if (op.startsWith(':')) {
      // ${v:offset} / ${v:offset:length}: arithmetic, a negative offset counts from the end.
      const [offText, lenText] = splitOnce(op.slice(1), ':');
      const len = str.length;
      let off = Number(this.arith(yield* this.expandText(offText)));
      if (off < 0) off = Math.max(0, len + off);
      if (lenText === null) return str.slice(off);
      let count = Number(this.arith(yield* this.expandText(lenText)));
      if (count < 0) {
        count = len + count - off;
        if (count < 0) { this.shellError(`${lenText}: substring expression < 0`); throw new AbortLine(); }
      }
      return str.slice(off, off + count);
    }
    // The operators below apply to each element of an array (${a[@]%.rdb}).
    const each = (fn: (x: string) => string) => (Array.isArray(value) ? value.map(fn) : fn(str));
    const strip = /^(##?|%%?)(.*)$/s.exec(op);
    if (strip) {
      const re = globRegExp(yield* this.expandText(strip[2]));
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
    const sub = /^\/([/#%]?)([^/]*)(?:\/(.*))?$/s.exec(op);
    if (sub) {
      const re = globRegExp(yield* this.expandText(sub[2]));
      const rep: string = yield* this.expandText(sub[3] ?? '');
      return each((x) => replacePattern(x, re, rep, sub[1] as '' | '/' | '#' | '%'));
    }
    const cas = /^(\^\^?|,,?)$/.exec(op);
    if (cas) {
      const upper = cas[1][0] === '^';
      const conv = (x: string) => (upper ? x.toUpperCase() : x.toLowerCase());
      return each((x) => (cas[1].length === 2 ? conv(x) : conv(x.slice(0, 1)) + x.slice(1)));
    }
    return this.badSubstitution(expr);
  }

  /** `name`, `name[i]`, `name[@]`: an element, or all of them (an array for @ and *). */
  private *subscripted(name: string): TaskGen<string | string[]> {
    const sub = /^([A-Za-z_][A-Za-z0-9_]*)\[([^\]]*)\]$/.exec(name);
    if (!sub) return this.varValue(name);
    const arr = this.arrays.get(sub[1]) ?? (this.vars.has(sub[1]) ? [this.vars.get(sub[1])!] : []);
    if (sub[2] === '@' || sub[2] === '*') return arr.filter((x): x is string => x !== undefined);
    let i = Number(this.arith(yield* this.expandText(sub[2])));
    if (i < 0) i += arr.length;
    return arr[i] ?? '';
  }

  /**
   * set -u: whether expanding parameter `name` is an error — an unset variable, positional
   * parameter, array element or `$!` before any background job; `$@`, `$*` and `${a[@]}` never.
   */
  private isUnbound(name: string): boolean {
    if (!this.nounset) return false;
    if (/^\d+$/.test(name)) return Number(name) >= this.args.length && name !== '0';
    if (name === '-') return false;
    if (name === '!') return this.lastBgPid === 0;
    if (name.length === 1 && !/[A-Za-z_]/.test(name)) return false;
    if (name === 'PWD' || name === 'RANDOM' || name === 'LINENO') return false;
    const element = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/.exec(name);
    if (element) return element[2] !== '@' && element[2] !== '*' && !this.arrays.has(element[1]) && !this.vars.has(element[1]);
    return !this.vars.has(name) && !this.arrays.has(name);
  }

  /** set -u: bash's error; a script (or bash -c) ends there, the prompt abandons the line. */
  private unboundVariable(name: string): never {
    this.shellError(`${/^(\d+|!)$/.test(name) ? '$' : ''}${name}: unbound variable`);
    return this.endOnExpansionError();
  }

  /**
   * After an unbound variable or `${x:?msg}`: a non-interactive shell ends — bash -c with 127
   * (1 under set -e), a script, a subshell or a $(…) with 1; the prompt abandons the line.
   */
  private endOnExpansionError(): never {
    if (this.interactive) throw new AbortLine();
    throw new ExitShell(this.errexit ? 1 : this.unboundStatus);
  }

  private badSubstitution(expr: string): never {
    this.shellError(`\${${expr}}: bad substitution`);
    throw new AbortLine();
  }

  private varValue(name: string): string[] | string {
    switch (name) {
      case '?': return String(this.status);
      case '$': return String(this.proc.pid);
      case '#': return String(Math.max(0, this.args.length - 1));
      case '!': return this.lastBgPid ? String(this.lastBgPid) : '';
      case '@': case '*': return this.args.slice(1);
      case 'PWD': return this.cwd;
      case '-': return this.optionFlags();
      case 'LINENO': return String(this.scriptLine);
      case 'RANDOM': return String(this.host.rng.int(32768));
    }
    if (/^\d+$/.test(name)) return this.args[Number(name)] ?? '';
    return this.scalar(name);
  }

  private *commandSubstitution(src: string): TaskGen<string> {
    const buf: string[] = [];
    const fds: Fds = { stdin: { kind: 'null' }, stdout: { kind: 'buffer', chunks: buf }, stderr: this.io.stderr };
    const rec = this.subProcess('bash', fds);
    const sub = this.child(rec, fds);
    sub.errexit = false;
    sub.traceLevel++;
    sub.lineOffset = this.scriptLine > 0 ? this.scriptLine - 1 : 0;
    const interrupts = this.term?.interrupts;
    this.runSubshell(rec, sub.runSource(src, this.scriptName));
    const [code, sig]: [number, string | null] = yield waitExit(rec);
    if (sig === 'SIGINT' && this.interruptedBy(interrupts)) throw new Interrupted();
    this.substitutionStatus = code;
    return buf.join('').replace(/\n+$/, '');
  }

  /**
   * Parameters, arithmetic and command substitutions in a text, quotes kept: an unquoted
   * heredoc's body, an arithmetic expression, the word of `${v:-word}`.
   */
  private *expandText(body: string): TaskGen<string> {
    let out = '';
    let i = 0;
    while (i < body.length) {
      const c = body[i];
      if (c === '\\' && (body[i + 1] === '$' || body[i + 1] === '`' || body[i + 1] === '\\')) { out += body[i + 1]; i += 2; continue; }
      if (c === '$' || c === '`') {
        const rest = body.slice(i);
        let m: RegExpExecArray | null;
        if (c === '`') {
          const end = body.indexOf('`', i + 1);
          if (end > 0) { out += yield* this.commandSubstitution(body.slice(i + 1, end)); i = end + 1; continue; }
        } else if (rest.startsWith('$((') && findArithClose(body, i + 3) >= 0) {
          const end = findArithClose(body, i + 3);
          const expr: string = yield* this.expandText(body.slice(i + 3, end));
          out += String(this.arith(expr.replace(/"/g, '')));
          i = end + 2;
          continue;
        } else if (rest.startsWith('$(')) {
          let depth = 0;
          let j = i + 1;
          for (; j < body.length; j++) { if (body[j] === '(') depth++; else if (body[j] === ')' && --depth === 0) break; }
          out += yield* this.commandSubstitution(body.slice(i + 2, j));
          i = j + 1;
          continue;
        } else if ((m = /^\$\{([^}]+)\}/.exec(rest)) || (m = /^\$([A-Za-z_][A-Za-z0-9_]*|[?$#!0-9@*])/.exec(rest))) {
          const v: string | string[] = yield* this.paramValue(m[1]);
          out += Array.isArray(v) ? v.join(' ') : v;
          i += m[0].length;
          continue;
        }
      }
      out += c;
      i++;
    }
    return out;
  }

  /** Expand words into fields: braces, parameters, substitutions, field splitting, globbing. */
  *expandWords(words: Word[], split = true): TaskGen<string[]> {
    const fields: string[] = [];
    // Brace expansion comes first, for words that become fields (not assignments or targets).
    for (const w of split ? words.flatMap(expandBraces) : words) {
      let cur: { s: string; keep: boolean; glob: boolean } | null = null;
      // "$@" (or "${a[@]}") with no elements makes no field, even quoted, unless more is in its word.
      let noElements = false;
      const out: { s: string; keep: boolean; glob: boolean }[] = [];
      const append = (s: string, quoted: boolean, globbable: boolean) => {
        if (!cur) { cur = { s: '', keep: false, glob: false }; out.push(cur); }
        cur.s += s;
        if (quoted) cur.keep = true;
        if (globbable && /[*?[]/.test(s)) cur.glob = true;
      };
      const splitAppend = (v: string) => {
        if (!split) { append(v, false, false); return; }
        const pieces = v.split(/[ \t\n]+/);
        pieces.forEach((p, idx) => {
          if (idx > 0) cur = null;
          if (p !== '') append(p, false, false);
          else if (idx === 0 && cur) { /* leading separator ends nothing */ }
        });
        if (/[ \t\n]$/.test(v)) cur = null;
      };
      for (const part of w) {
        if (part.t === 'lit') append(part.v, part.q, !part.q);
        else if (part.t === 'tilde') append(this.tildeValue(part.user), true, false);
        else if (part.t === 'var') {
          const v: string | string[] = yield* this.paramValue(part.name, part.q);
          if (Array.isArray(v)) {
            // "$@", "${a[@]}" (and their slices and per-element forms): one field per element.
            if (part.q && /^(@|[A-Za-z_][A-Za-z0-9_]*\[@\]|![A-Za-z_][A-Za-z0-9_]*\[@\])/.test(part.name)) {
              if (v.length === 0) noElements = true;
              v.forEach((x, idx) => { if (idx > 0) cur = null; append(x, true, false); });
            } else if (part.q) append(v.join(' '), true, false);
            else v.forEach((x) => splitAppend(x + ' '));
          } else if (part.q) append(v, true, false);
          else splitAppend(v);
        } else if (part.t === 'sub') {
          const v: string = yield* this.commandSubstitution(part.src);
          if (part.q) append(v, true, false);
          else splitAppend(v);
        } else if (part.t === 'arith') {
          const expr: string = yield* this.expandText(part.src);
          const v = String(this.arith(expr.replace(/"/g, '')));
          if (part.q) append(v, true, false);
          else splitAppend(v);
        }
      }
      for (const f of out) {
        if (f.s === '' && (!f.keep || (noElements && out.length === 1))) continue;
        if (f.glob && split) {
          const matches = this.glob(f.s);
          if (matches.length > 0) { fields.push(...matches); continue; }
        }
        fields.push(f.s);
      }
    }
    return fields;
  }

  private condEnv(): CondEnv {
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
      file: (path) => this.host.disk.lookup(resolvePath(this.cwd, path)),
      isSet: (name) => this.vars.has(name) || this.arrays.has(name),
      setMatch: (groups) => { if (groups) this.arrays.set('BASH_REMATCH', groups); else this.arrays.delete('BASH_REMATCH'); },
      // Only under set -x: without it evalCond builds no trace text.
      trace: this.xtrace ? (test) => this.trace(`[[ ${test} ]]`) : undefined,
    };
  }

  /**
   * A `case` or `[[ == ]]` pattern: quoted parts match literally (each of their characters behind
   * a backslash, as bash writes them in a trace), the rest as a glob.
   */
  private *expandPattern(word: Word): TaskGen<string> {
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
    if (user === '') return this.vars.get('HOME') ?? this.host.home;
    if (user === '+') return this.cwd;
    if (user === '-') return this.vars.get('OLDPWD') ?? '~-';
    if (user === 'root') return this.host.home;
    return `~${user}`;
  }

  private glob(pattern: string): string[] {
    const absolute = pattern.startsWith('/');
    const parts = pattern.split('/').filter((p) => p !== '');
    let bases: string[] = [absolute ? '/' : ''];
    for (const part of parts) {
      const next: string[] = [];
      for (const b of bases) {
        const dirPath = resolvePath(this.cwd, b || '.');
        if (!/[*?[]/.test(part)) { next.push(b === '' ? part : b === '/' ? `/${part}` : `${b}/${part}`); continue; }
        const names = this.host.disk.list(dirPath);
        if (typeof names === 'string') continue;
        for (const n of names) {
          if (n.startsWith('.') && !part.startsWith('.')) continue;
          if (globMatch(part, n)) next.push(b === '' ? n : b === '/' ? `/${n}` : `${b}/${n}`);
        }
      }
      bases = next;
    }
    return bases.filter((b) => this.host.disk.lookup(resolvePath(this.cwd, b)) !== null).sort();
  }
}

// ---- waits ----------------------------------------------------------------------------------

function* interruptible(body: TaskGen<number>): TaskGen<number> {
  try {
    return yield* body;
  } catch (e) {
    if (e instanceof Interrupted) return INTERRUPTED;
    // `exit N` in a subshell (`(…; exit 3)`, `exit 2 | true`) ends the subshell only, with N.
    if (e instanceof ExitShell) return e.code;
    // A subshell whose line was abandoned (its error is printed already) fails.
    if (e instanceof AbortLine) return 1;
    throw e;
  }
}

function* exitEndsSubshell(body: TaskGen<number>): TaskGen<number> {
  try {
    return yield* body;
  } catch (e) {
    if (e instanceof ExitShell) return e.code;
    throw e;
  }
}

/** An assigned value in a trace line: quoted as a word is, but nothing at all when empty (`+ x=`). */
function traceValue(v: string): string {
  return v === '' ? '' : xtraceQuote(v);
}

function splitOnce(s: string, sep: string): [string, string | null] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, null] : [s.slice(0, i), s.slice(i + 1)];
}

/** `${v/pat/rep}` (first match), `//` (every match), `/#` (at the start), `/%` (at the end): longest matches, like bash. */
function replacePattern(str: string, re: RegExp, rep: string, mode: '' | '/' | '#' | '%'): string {
  const longestAt = (i: number): number => {
    for (let j = str.length; j > i; j--) if (re.test(str.slice(i, j))) return j;
    return -1;
  };
  if (mode === '#') { const j = longestAt(0); return j < 0 ? str : rep + str.slice(j); }
  if (mode === '%') {
    for (let i = 0; i < str.length; i++) if (re.test(str.slice(i))) return str.slice(0, i) + rep;
    return str;
  }
  let out = '';
  let i = 0;
  let replaced = false;
  while (i < str.length) {
    const j = mode === '/' || !replaced ? longestAt(i) : -1;
    if (j >= 0) { out += rep; i = j; replaced = true; continue; }
    out += str[i++];
  }
  return out;
}

export function waitExit(rec: ProcRecord): Wait {
  return (resume) => {
    if (rec.state === 'exited') { resume([rec.exitCode ?? 0, rec.exitSignal]); return; }
    // A daemon's "parent" exited 0 when it detached.
    if (rec.detached) { resume([0, null]); return; }
    const fn = (code: number, signal: string | null) => resume([code, signal]);
    rec.waiters.push(fn);
    return () => { const i = rec.waiters.indexOf(fn); if (i >= 0) rec.waiters.splice(i, 1); };
  };
}

export function readLine(term: Terminal, pid: number, prompt: string): Wait {
  return (resume) => {
    term.requestLine({ pid, prompt, mask: false, resume });
    return () => term.cancelReader(pid);
  };
}

function readChunkOf(ctx: CmdCtx): Wait {
  return (resume) => {
    const src = ctx.stdin;
    if (src.kind === 'null') resume(null);
    else if (src.kind === 'text') { const t = src.text; src.text = null; resume(t); }
    else if (src.kind === 'pipe') src.pipe.read(resume);
    else src.term.requestLine({ pid: ctx.proc.pid, prompt: '', mask: false, resume: (l) => resume(l === null ? null : l + '\n') });
  };
}

function* readAll(ctx: CmdCtx): TaskGen<string> {
  let s = '';
  for (;;) {
    const c: string | null = yield readChunkOf(ctx);
    if (c === null) return s;
    s += c;
  }
}

export { dirname };
