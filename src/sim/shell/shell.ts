/**
 * The shell interpreter: runs parsed command lines on a host. It is a kernel task: commands
 * that take time (a program running in the foreground, `sleep`, a pipe waiting for data)
 * suspend it until the virtual time they are done.
 *
 * Each stage of a pipeline is a process with a pid: programs (redis-server, redis-cli...)
 * are spawned into a runtime; coreutils and subshells are kernel-side processes, so `ps aux |
 * grep redis` shows the grep too. `cd`, `export`, `exit`, `unset`, `source` run inside the
 * shell itself when they are not part of a pipeline, as in bash.
 *
 * This file is the core: building a shell (a subshell, a new bash), reading and running lines,
 * lists, pipelines and simple commands, and launching processes. Its parts are beside it, each
 * reaching it through the narrow interface it declares (makeLink): variables.ts, expansion.ts,
 * redirect.ts, compound.ts, builtins.ts (with declare.ts, command-lookup.ts, read-builtin.ts),
 * jobs.ts, traps.ts and signals.ts, options.ts, script.ts, unwind.ts.
 */
import type { Kernel } from '../kernel/kernel';
import type { Host } from '../kernel/host';
import type { ProcRecord, Sink, Source, Terminal } from '../kernel/process';
import type { TaskGen, Wait } from '../kernel/tasks';
import { basename, dirname, resolvePath } from '../runtime/paths';
import { Incomplete, SyntaxError_, parse, type AndOr, type Command as AstCommand, type FuncDef, type List, type Pipeline, type Simple } from './parser';
import { completeLine } from './complete';
import type { CmdCtx, Command, ShellSys } from './context';
import { COMMANDS } from './commands';
import { runBuiltin, type BuiltinShell } from './builtins';
import { runCompound, type Compound, type CompoundShell } from './compound';
import { layOutAsPrinted } from './comsub-print';
import { signalNumber } from '../../engine/util/signals';
import { readShebang } from './shebang';
import { Traps } from './traps';
import { SignalReception, type ReceptionShell } from './signals';
import { processStatus, type JobProcess } from './job-status';
import { Jobs, waitExit, type JobsShell, type Launched } from './jobs';
import { traceValue, xtraceQuote } from './xtrace';
import { ShellVariables, type VariablesShell } from './variables';
import { Expansion, type ExpansionShell } from './expansion';
import { redirect, type Fds, type RedirectionShell } from './redirect';
import { BASH_BUILTINS, SHELL_BUILTINS, commandPath } from './command-lookup';
import { DECLARATION_BUILTINS, declarationArgs } from './declare';
import { DEFAULT_TIMEFORMAT, POSIX_TIMEFORMAT, formatTimes } from './time-format';
import { DEFAULT_IFS } from './fields';
import { AbortLine, ExitShell, FatalSignal, Interrupted, LoopControl, ReturnFromFunction } from './unwind';
import { ShellOptions } from './options';
import { bashInvocation, scriptSyntaxError, type BashInvocation } from './script';
import { execCandidate } from './exec';

/** Where each function was defined (its file and that text's first line), for its errors' lines. */
const FUNCTION_ORIGINS = new WeakMap<FuncDef, { scriptName: string; lineOffset: number; sourcing: boolean }>();

/** The shell as its parts see it: each through the narrow interface it declares. */
type Link = VariablesShell & ExpansionShell & RedirectionShell & JobsShell & ReceptionShell & BuiltinShell & CompoundShell;

export class Shell {
  cwd: string;
  status = 0;
  args: string[];
  functions = new Map<string, FuncDef>();
  /** Functions marked with `export -f`: a new bash started from this one has them too. */
  exportedFunctions = new Set<string>();
  /** The functions marked with `readonly -f` (`declare -fr`): they can be neither redefined nor unset. */
  readonlyFunctions = new Set<string>();

  /** set -e, -u, -x and the other options of `set -o`. */
  private readonly options: ShellOptions;
  /** Its variables, arrays, their attributes and the function calls' local ones. */
  private readonly vars: ShellVariables;
  /** Expands its words. */
  private readonly expansion: Expansion;
  /** Its traps and the signals its process ignores. */
  private readonly traps: Traps;
  /** How it takes the signals that come. */
  private readonly signals: SignalReception;
  /** Its background jobs. */
  private readonly jobs: Jobs;
  /** What its parts see of it (makeLink). */
  private readonly link: Link;

  /** A script's name and the line it is running, for error messages (`x.sh: line 3: …`). */
  private scriptName = 'bash';
  private scriptLine = 0;
  /** Where the text this shell runs starts in its script: a $(…)'s lines are counted from its line. */
  private lineOffset = 0;
  /**
   * A $(…)'s text: the line of each of its lines as bash counts them (printedLines), before
   * lineOffset; null elsewhere.
   */
  private lineMap: readonly number[] | null = null;
  /** Running a sourced file's commands (its name is BASH_SOURCE's: functions defined there take it). */
  private sourcing = false;
  /**
   * What bash calls the file of a function defined in this shell's own text when it has none:
   * `environment` for a -c text (the world's lines are `sh -c` ones), `main` for standard
   * input; null for a script file, whose name it takes, and at the prompt (where errors say
   * `bash: `, in its subshells too). Its errors name it (`environment: line 1: `).
   */
  private functionsFrom: string | null;
  /** How many $(…) and evals deep this shell is: PS4's first character is repeated once more per level. */
  private traceLevel = 0;
  /** `$$`: the shell's pid, which its subshells keep. */
  private shellPid: number;
  /** `$PPID`: the pid of the shell's parent. */
  private parentPid: number;
  /**
   * Runs the text of a `bash -c` (or is a subshell of one): its errors name the line, `bash:
   * line 1: `, where the prompt's (and the world's headless lines') say `bash: `.
   */
  private runsBashC = false;
  /** The end of `$-`: `c` for commands given with -c (and lines run by the world), `s` for a shell reading its input. */
  private readFrom: string;
  /** What a non-interactive shell exits with on an unbound variable: 1, but 127 for `bash -c`'s own commands. */
  private unboundStatus = 1;
  /** `bash -n`: the script's syntax is checked and nothing runs. */
  private syntaxOnly = false;
  /** Inside an if/while/until condition, where set -e does not apply. */
  private conditionDepth = 0;
  /** The status of the last `$(…)` expanded for the current simple command, if any. */
  private substitutionStatus: number | null = null;
  /** Starting a background job: in a non-interactive shell its processes ignore SIGINT and SIGQUIT. */
  private launchingAsync = false;
  /** The signals the process startCommand is starting ignores, when its caller says (timeout's child). */
  private launchIgnored: ReadonlySet<string> | null = null;
  /** How many loops are running, where `break` and `continue` mean something: a subshell starts outside any, a $(…) inside its parent's. */
  loopDepth = 0;
  /** A subshell of an interactive shell, however deep: it says nothing of its jobs (Jobs.quiet). */
  private interactiveParent = false;
  /**
   * The last command of the text it runs replaces it (exec.ts): `bash -c`, and a boot line,
   * which runs like a systemd service's command (the service is the command's own process).
   */
  execsLast = false;
  /** That command, found when the text is parsed (runSource). */
  private execCandidate: Simple | null = null;
  /** A subshell (a `( … )`, a `$(…)`, a pipeline's part): bash turns job control off in it, whatever `set -m` says. */
  private subshell = false;
  /**
   * While a shell with job control launches a job: the process group its processes join, null
   * until its first process names it (joinJob).
   */
  private jobGroup: number | null | undefined = undefined;
  /** While a `time` pipeline runs: the processes its commands started (their CPU is its user time). */
  private timedProcs: ProcRecord[] | null = null;

  constructor(
    readonly sys: ShellSys,
    readonly host: Host,
    readonly term: Terminal | null,
    public proc: ProcRecord,
    readonly io: Fds,
    readonly interactive: boolean,
    args: string[] = ['bash'],
    ownsProcess = true,
  ) {
    this.cwd = proc.cwd;
    this.args = args;
    this.shellPid = proc.pid;
    this.parentPid = proc.ppid;
    this.options = new ShellOptions(interactive);
    this.link = this.makeLink();
    this.vars = new ShellVariables(this.link);
    this.expansion = new Expansion(this.link);
    this.traps = new Traps(new Set(proc.ignoredSignals));
    this.signals = new SignalReception(this.link);
    this.jobs = new Jobs(this.link);
    // The shell is its process's program: it decides about the process's signals (its traps,
    // what bash ignores). A helper shell (see helper) leaves them to the command it runs for.
    if (ownsProcess) {
      proc.ignoredSignals = this.traps.ignored;
      proc.catchSignal = (sig) => this.signals.receive(sig);
    }
    for (const [k, v] of Object.entries({ HOME: host.home, USER: 'root', LOGNAME: 'root', SHELL: '/bin/bash', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: host.name, TERM: 'xterm-256color', LANG: 'C.UTF-8' })) {
      this.vars.scalars.set(k, v);
      this.vars.exported.add(k);
    }
    this.vars.scalars.set('PS4', '+ ');
    this.vars.scalars.set('IFS', DEFAULT_IFS);
    this.readFrom = interactive ? 's' : 'c';
    this.functionsFrom = interactive ? null : 'environment';
    if (interactive) this.checkWindowSize();
  }

  /** The terminal's size when COLUMNS and LINES were last set (checkWindowSize). */
  private windowSize = '';

  /**
   * An interactive bash at a terminal (checkwinsize, on by default) sets COLUMNS and LINES to
   * its size, not exported: a new bash or a program does not see them, a subshell does. They
   * follow a resize of the window (checked when a line has been read).
   */
  private checkWindowSize(): void {
    const term = this.term;
    if (!term || `${term.columns}x${term.lines}` === this.windowSize) return;
    this.windowSize = `${term.columns}x${term.lines}`;
    this.vars.scalars.set('COLUMNS', String(term.columns));
    this.vars.scalars.set('LINES', String(term.lines));
  }

  get kernel(): Kernel { return this.sys.kernel; }

  /**
   * What the shell's parts (its variables, its expansion…) see of it: each is given this
   * object under the narrow interface it declares.
   */
  private makeLink(): Link {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const sh = this;
    return {
      get vars() { return sh.vars; },
      get options() { return sh.options; },
      get host() { return sh.host; },
      get cwd() { return sh.cwd; },
      set cwd(path) { sh.cwd = path; },
      get args() { return sh.args; },
      set args(args) { sh.args = args; },
      get lastBgPid() { return sh.jobs.lastBgPid; },
      get expansion() { return sh.expansion; },
      get now() { return sh.kernel.now; },
      get kernel() { return sh.kernel; },
      get interactive() { return sh.interactive; },
      get runsCommandText() { return sh.readFrom === 'c'; },
      get proc() { return sh.proc; },
      get traps() { return sh.traps; },
      get jobs() { return sh.jobs; },
      get stdin() { return sh.io.stdin; },
      get io() { return sh.io; },
      set io(fds) { (sh as { io: Fds }).io = fds; },
      get status() { return sh.status; },
      set status(code) { sh.status = code; },
      get functions() { return sh.functions; },
      get loopDepth() { return sh.loopDepth; },
      set loopDepth(n) { sh.loopDepth = n; },
      get exportedFunctions() { return sh.exportedFunctions; },
      get readonlyFunctions() { return sh.readonlyFunctions; },
      arith: (expr) => this.expansion.arith(expr),
      special: (name) => this.special(name),
      commandSubstitution: (src, backquoted) => this.commandSubstitution(src, backquoted),
      error: (message) => this.shellError(message),
      endOnExpansionError: () => this.endOnExpansionError(),
      trace: (text) => this.trace(text),
      write: (sink, text) => this.write(sink, text),
      out: (text) => this.write(this.io.stdout, text),
      errOut: (text) => this.errOut(text),
      errorPrefix: (line?: number) => this.errorPrefix(line),
      commandPath: (name) => this.commandPath(name),
      trapped: (sig) => this.traps.trapped(sig),
      sysrq: (key) => this.sys.sysrq(this.host, key),
      // What eval runs is traced one level deeper (`++ cmd`); its lines count from eval's.
      evalList: (list) => this.runAt({ lineOffset: this.scriptLine > 0 ? this.scriptLine - 1 : 0 }, true, () => this.runList(list, true)),
      // Errors in a sourced file name it (as given) and its lines.
      sourceList: (list, file) => this.runAt(this.interactive ? {} : { scriptName: file, lineOffset: 0, scriptLine: 1, sourcing: true }, true, () => this.runList(list, true)),
      runSkippingFunctions: (argv) => this.runSkippingFunctions(argv),
      execBuiltin: (argv, name, clearEnv) => this.execBuiltin(argv, name, clearEnv),
      runWords: (argv) => this.runWords(argv),
      runList: (list) => this.runList(list),
      runCondition: (list) => this.runCondition(list),
      defineFunction: (def) => {
        if (this.readonlyFunctions.has(def.name)) { this.shellError(`${def.name}: readonly function`); return false; }
        this.functions.set(def.name, def);
        // bash names a function's file after BASH_SOURCE, empty for a -c text or standard input.
        const scriptName = this.sourcing ? this.scriptName : this.functionsFrom ?? this.scriptName;
        FUNCTION_ORIGINS.set(def, { scriptName, lineOffset: this.lineOffset, sourcing: this.sourcing || this.functionsFrom === null });
        return true;
      },
    };
  }

  child(proc: ProcRecord, io: Fds, args = this.args, ownsProcess = true): Shell {
    const s = new Shell(this.sys, this.host, this.term, proc, io, false, args, ownsProcess);
    s.vars.copyFrom(this.vars);
    s.functions = new Map(this.functions);
    s.exportedFunctions = new Set(this.exportedFunctions);
    s.readonlyFunctions = new Set(this.readonlyFunctions);
    s.cwd = this.cwd;
    s.status = this.status;
    // A subshell keeps the options (a $(…) then turns set -e off; a new bash has its own).
    s.options.copyFrom(this.options);
    s.conditionDepth = this.conditionDepth;
    // A subshell's errors name the script and line it is part of.
    s.scriptName = this.scriptName;
    s.scriptLine = this.scriptLine;
    s.lineOffset = this.lineOffset;
    s.lineMap = this.lineMap;
    // It keeps its trace level too.
    s.traceLevel = this.traceLevel;
    s.readFrom = this.readFrom;
    s.runsBashC = this.runsBashC;
    // A subshell: $$ and $PPID are its parent's; its traps are reset (Traps.inheritFrom).
    s.shellPid = this.shellPid;
    s.parentPid = this.parentPid;
    s.traps.inheritFrom(this.traps);
    s.interactiveParent = this.interactive || this.interactiveParent;
    s.subshell = true;
    s.sourcing = this.sourcing;
    s.functionsFrom = this.functionsFrom;
    s.jobs.quiet = s.interactiveParent;
    return s;
  }

  /**
   * A shell that runs command lines for a command (xargs, find -exec) inside that command's
   * process, which stays the command's: its signals take the command's course (Ctrl-C ends it).
   */
  helper(proc: ProcRecord, io: Fds): Shell {
    return this.child(proc, io, this.args, false);
  }

  /**
   * A new bash process (`bash -c`, `bash file`, `./file`) started by this shell, in process
   * `proc` with environment `env`: unlike a subshell it knows only what it was given, the
   * environment's variables (all exported) and the functions marked `export -f` (bash passes
   * those in the environment too); no arrays (bash never exports them), no other variables or
   * functions, its options at their defaults, its `$?` 0. The caller sets its options.
   */
  newBash(proc: ProcRecord, io: Fds, args: string[], env: Record<string, string>): Shell {
    const s = new Shell(this.sys, this.host, this.term, proc, io, false, args);
    for (const k of s.vars.exported) s.vars.scalars.delete(k);
    s.vars.exported.clear();
    for (const [k, v] of Object.entries(env)) {
      s.vars.scalars.set(k, v);
      s.vars.exported.add(k);
    }
    for (const name of this.exportedFunctions) {
      const fn = this.functions.get(name);
      if (fn) { s.functions.set(name, fn); s.exportedFunctions.add(name); }
    }
    s.cwd = proc.cwd;
    // Its errors name the file it runs (runSource sets it); the trace level is its own.
    s.scriptName = this.scriptName;
    return s;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    const e: Record<string, string> = {};
    for (const k of this.vars.exported) { const v = this.vars.scalars.get(k); if (v !== undefined) e[k] = v; }
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
   * more per level of $(…) or eval). Callers test `options.xtrace` first, so that nothing of
   * the line is built on the (hot) paths of assignments, loops and tests when tracing is off.
   */
  private *trace(text: string): TaskGen<void> {
    if (!this.options.xtrace) return;
    let ps4: string;
    this.options.xtrace = false;
    try {
      ps4 = yield* this.expansion.expandText(this.vars.scalars.get('PS4') ?? '');
    } finally {
      this.options.xtrace = true;
    }
    this.errOut(`${ps4.slice(0, 1).repeat(this.traceLevel)}${ps4}${text}\n`);
  }

  private *traceWords(words: string[]): TaskGen<void> {
    if (this.options.xtrace) yield* this.trace(words.map(xtraceQuote).join(' '));
  }

  private errOut(text: string): void { this.write(this.io.stderr, text); }

  // ---- entry points -----------------------------------------------------------------------

  /** The login shell: read a line, run it, repeat until `exit` or end of input; then its EXIT trap. */
  *interactiveLoop(): TaskGen<number> {
    return yield* this.runMain(() => this.readAndRun());
  }

  private *readAndRun(): TaskGen<number> {
    const term = this.term!;
    let buf = '';
    for (;;) {
      this.jobs.report();
      let line: string | null;
      this.signals.atPrompt = true;
      try {
        line = yield readLine(term, this.proc.pid, buf ? '> ' : this.prompt());
      } catch (e) {
        if (!(e instanceof Interrupted)) throw e;
        // Ctrl-C at the prompt: what was typed is dropped; a SIGINT trap runs, then a new line.
        buf = '';
        this.status = 130;
        yield* this.runPendingTraps();
        term.write('\n');
        continue;
      } finally {
        this.signals.atPrompt = false;
      }
      // A resize while the line was edited (SIGWINCH to readline) shows in what it runs.
      this.checkWindowSize();
      if (line === null) {
        if (buf) { this.errOut('bash: syntax error: unexpected end of file\n'); buf = ''; continue; }
        term.write('logout\n');
        return this.status;
      }
      // The traps of signals that came while the shell waited at its prompt run once a line is read.
      yield* this.runPendingTraps();
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
  *runSource(src: string, name = 'bash', file = false, readsLines = false, layOut?: (list: List) => void): TaskGen<number> {
    let list: List;
    const text = src.endsWith('\n') ? src : src + '\n';
    try {
      list = parse(text);
      layOut?.(list);
    } catch (e) {
      // A script, and a `bash -c` text, run up to the line before the error, which names
      // the script (`bash: -c` for a -c text).
      const bashC = this.runsBashC && !this.subshell;
      if ((file || bashC) && (e instanceof Incomplete || e instanceof SyntaxError_)) {
        const error = e;
        return yield* this.runMain(() => this.runUntilSyntaxError(text, error, name, this.syntaxOnly, file ? name : `${name}: -c`));
      }
      if (e instanceof Incomplete) { this.errOut(`${name}: line 1: syntax error: unexpected end of file\n`); return 2; }
      if (e instanceof SyntaxError_) { this.errOut(`${name}: line 1: ${e.message}\n`); return 2; }
      throw e;
    }
    // bash -n: the syntax is checked, nothing runs.
    if (this.syntaxOnly) return 0;
    if (this.execsLast) this.execCandidate = execCandidate(list);
    this.scriptName = name;
    return yield* this.runMain(() => this.runScript(list, readsLines ? text : undefined, file));
  }

  /**
   * A shell's whole run: `body`, then its EXIT trap (with $? the status the shell ends with,
   * which an `exit` in the trap replaces). A signal that ends the shell (FatalSignal) runs the
   * EXIT trap too ($? the last command's status), then ends the process as killed by it.
   */
  *runMain(body: () => TaskGen<number>): TaskGen<number> {
    let code = 0;
    let fatal: string | null = null;
    try {
      code = yield* body();
    } catch (e) {
      if (e instanceof FatalSignal) fatal = e.signal;
      else if (e instanceof ExitShell) code = e.code;
      // A subshell whose line was abandoned (its error is printed already) fails.
      else if (e instanceof AbortLine) code = 1;
      else throw e;
    }
    if (fatal === null) return yield* this.runExitTrap(code);
    // Killed: the trap sees the status of the last command, and its `exit` changes nothing.
    yield* this.runExitTrap(this.status);
    const killed = 128 + (signalNumber(fatal) ?? 0);
    this.kernel.endProcess(this.proc, killed, fatal, 'exit');
    return killed;
  }

  /** The EXIT trap, once: $? is the status the shell ends with, returned unless the trap exits. */
  private *runExitTrap(code: number): TaskGen<number> {
    const action = this.traps.takeExitAction();
    if (!action) return code;
    this.status = code;
    try {
      yield* this.runTrapAction(action);
    } catch (e) {
      if (e instanceof ExitShell) return e.code;
      if (e instanceof FatalSignal || e instanceof Interrupted || e instanceof LoopControl || e instanceof ReturnFromFunction) return code;
      throw e;
    }
    return code;
  }

  /** A script with a syntax error: what bash runs of it (scriptSyntaxError), then its error. */
  private *runUntilSyntaxError(text: string, e: Incomplete | SyntaxError_, name: string, noexec: boolean, errorName = name): TaskGen<number> {
    const { before, message } = scriptSyntaxError(text, e, errorName, noexec);
    if (before) {
      this.scriptName = name;
      yield* this.runScript(before);
    }
    this.errOut(message);
    return e.status ?? 2;
  }

  /**
   * `source`: a script file's text, which set -v echoes on stderr as bash reads it. `file`: the
   * text is a file's, whose end bash finds by reading once more (a `-c` text's, by looking).
   */
  private *runScript(list: List, source?: string, file = false): TaskGen<number> {
    const lines = source?.split('\n') ?? [];
    if (lines[lines.length - 1] === '') lines.pop();
    let read = 0;
    // set -v: bash echoes each line as it reads it: a command's lines before it runs (blank and
    // comment lines before it with them), and what is left after the last one at the end.
    const readThrough = (end: number) => {
      if (end <= read) return;
      if (this.options.on('verbose')) this.errOut(lines.slice(read, end).map((l) => `${l}\n`).join(''));
      read = end;
    };
    try {
      // Item by item: an expansion error abandons the rest of its line only.
      let abandoned = 0;
      let readTo = 0;
      for (const [k, item] of list.items.entries()) {
        readTo = this.readingLines(item, readTo);
        if (source !== undefined) {
          let end = (list.items[k + 1]?.line ?? lines.length + 1) - 1;
          while (end > item.line && /^\s*(#.*)?$/.test(lines[end - 1] ?? '')) end--;
          readThrough(Math.max(end, item.line));
        }
        if (item.line === abandoned) continue;
        this.scriptLine = this.lineOf(item.line);
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
      if (file) this.jobs.notify(readTo + 1 + this.lineOffset);
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
  /** A line of the text being run, as its errors name it (lineMap, lineOffset). */
  private lineOf(line: number): number {
    return (this.lineMap?.[line] ?? line) + this.lineOffset;
  }

  private errorPrefix(line = this.scriptLine): string {
    return this.interactive || (this.scriptName === 'bash' && !this.runsBashC) ? 'bash: ' : `${this.scriptName}: line ${line}: `;
  }

  /**
   * Before an item of a text bash reads a line at a time (a script, an eval's or a sourced
   * file's text): when it starts past `readTo`, the last line read, bash reads a line for it,
   * and a non-interactive shell first reports the jobs that ended and forgets those told of
   * (Jobs.lineRead), naming the line it reads. Returns the last line read once the item is.
   */
  private readingLines(item: List['items'][number], readTo: number): number {
    if (item.line > readTo) this.jobs.lineRead(readTo + 1 + this.lineOffset);
    return Math.max(readTo, item.endLine);
  }

  private shellError(msg: string): void {
    this.errOut(`${this.errorPrefix()}${msg}\n`);
  }

  /**
   * Its `kill` found a process gone: had it been one of its jobs, bash would have reaped it
   * first, and it has noticed the jobs that ended so far (Jobs.reap).
   */
  killFoundGone(): void {
    this.jobs.reap();
  }

  /** The job a jobspec (`%1`, `%+`, `%sleep`…) names, for `kill`: its pids, null, or `ambiguous`. */
  /**
   * What `kill %N` signals: with job control, the job's process group (bash's killpg: what its
   * processes started too); without, each of its processes (they share the shell's group).
   */
  jobTargets(spec: string): { pids: number[] } | { pgid: number } | 'ambiguous' | null {
    const job = this.jobs.find(spec);
    if (job === null || job === 'ambiguous') return job;
    return this.jobControl() && job.pgid !== this.proc.pgid ? { pgid: job.pgid } : { pids: job.pids };
  }

  /** Where `type` and `which` find a command: null when it is none of ours. */
  commandPath(name: string): string | null {
    return commandPath(this.sys, name);
  }

  /** Tab completion of a line typed at this shell's prompt (complete.ts). */
  completions(line: string): string[] {
    return completeLine(line, {
      commandNames: () => [...Object.keys(COMMANDS), ...this.sys.programNames(), ...BASH_BUILTINS, ...this.functions.keys(), 'sh', 'bash'],
      listDir: (typed) => {
        const dir = typed.startsWith('~') ? (this.vars.scalars.get('HOME') ?? '/root') + typed.slice(1) : typed;
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
  private *runAt<T>(at: { scriptName?: string; lineOffset?: number; scriptLine?: number; sourcing?: boolean }, deeper: boolean, body: () => TaskGen<T>): TaskGen<T> {
    const saved = { scriptName: this.scriptName, lineOffset: this.lineOffset, lineMap: this.lineMap, scriptLine: this.scriptLine, traceLevel: this.traceLevel, sourcing: this.sourcing };
    Object.assign(this, at);
    // Another text (an eval's, a file's, a function's) counts its own lines.
    if (at.lineOffset !== undefined) this.lineMap = null;
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
    const savedLoops = this.loopDepth;
    this.args = [this.args[0], ...argv.slice(1)];
    // A function's body starts outside any loop: `break` there is no loop's.
    this.loopDepth = 0;
    this.vars.pushFrame();
    try {
      // Errors in the body name the file and lines it was defined in. A body `( … )` runs in a
      // subshell at each call.
      const body = def.body;
      return yield* this.runAt(FUNCTION_ORIGINS.get(def) ?? {}, false, () => (body.type === 'subshell'
        ? this.runPipeline({ negate: false, cmds: [body], texts: [''] }, this.io.stdin)
        : runCompound(this.link, body as Compound, this.io)));
    } catch (e) {
      if (e instanceof ReturnFromFunction) { this.status = e.code; return e.code; }
      throw e;
    } finally {
      this.vars.popFrame();
      this.args = savedArgs;
      this.loopDepth = savedLoops;
    }
  }

  /** `readsLines`: the list is a text bash reads a line at a time (an eval's, a sourced file's; readingLines). */
  *runList(list: List, readsLines = false): TaskGen<number> {
    let readTo = 0;
    for (const item of list.items) {
      if (readsLines) readTo = this.readingLines(item, readTo);
      // The line of a command inside a compound one or a function, for errors and $LINENO.
      if (this.scriptLine > 0) this.scriptLine = this.lineOf(item.line);
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
    if (this.options.errexit && s !== 0 && last === lastOfList && !last.negate && this.conditionDepth === 0) throw new ExitShell(s);
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
    // bash's stop_pipeline cleans up before it numbers the job: `wait %1; x &` makes job 1 again.
    if (!this.interactive) this.jobs.cleanup();
    const job = this.jobs.create(a.text);
    // Without job control (a script), what it starts ignores SIGINT and SIGQUIT.
    this.launchingAsync = true;
    try {
      if (a.rest.length === 0) {
        const launched: Launched[] = yield* this.launchPipeline(a.first, { kind: 'null' }, true);
        this.jobs.followPipeline(job, launched, a.first.texts);
      } else {
        const rec = this.subProcess('bash', { stdin: { kind: 'null' }, stdout: this.io.stdout, stderr: this.io.stderr });
        rec.background = true;
        // With job control, the job is a process group of its own.
        if (this.jobControl()) rec.pgid = rec.pid;
        const sub = this.child(rec, { stdin: { kind: 'null' }, stdout: this.io.stdout, stderr: this.io.stderr });
        this.runSubshell(rec, sub.runMain(() => sub.runAndOr(a)));
        this.jobs.followSubshell(job, rec);
      }
    } finally {
      this.launchingAsync = false;
    }
    this.jobs.started(job);
    if (this.interactive) this.write(this.io.stderr, `[${job.id}] ${this.jobs.lastBgPid}\n`);
    this.status = 0;
  }

  // ---- pipelines --------------------------------------------------------------------------

  *runPipeline(p: Pipeline, stdin: Source): TaskGen<number> {
    if (p.time) return yield* this.runTimed(p, stdin);
    const code: number = yield* this.runPipelineOnly(p, stdin);
    // bash runs the traps of the signals that came once a command is over.
    yield* this.runPendingTraps();
    return code;
  }

  /**
   * `time PIPELINE`: the pipeline, then on the shell's standard error (the pipeline's
   * redirections are its own) how long it took: real, the virtual time that passed; user and
   * sys, the CPU time the runtimes charged to the processes its commands started, in user space
   * and in the kernel (a command the shell runs itself, or a kernel-side one, costs none).
   * `time` alone: since the shell started.
   */
  private *runTimed(p: Pipeline, stdin: Source): TaskGen<number> {
    const startMs = p.cmds.length === 0 ? this.proc.startT : this.kernel.now;
    const outer = this.timedProcs;
    const procs: ProcRecord[] = [];
    this.timedProcs = procs;
    let code = 0;
    try {
      code = p.cmds.length === 0 ? 0 : yield* this.runPipeline({ ...p, time: undefined }, stdin);
      // `time` alone is a command of its own that succeeded.
      if (p.cmds.length === 0) this.vars.setPipeStatus([0]);
    } finally {
      this.timedProcs = outer;
      outer?.push(...procs);
    }
    const format = p.time === 'posix' ? POSIX_TIMEFORMAT : this.vars.scalars.get('TIMEFORMAT') ?? DEFAULT_TIMEFORMAT;
    if (format === '') return code;
    const userMs = procs.reduce((total, r) => total + r.cpuUserMs, 0);
    const sysMs = procs.reduce((total, r) => total + r.cpuSysMs, 0);
    const r = formatTimes(format, this.kernel.now - startMs, userMs, sysMs);
    if ('badChar' in r) this.shellError(`TIMEFORMAT: \`${r.badChar}': invalid format character`);
    else this.write(this.io.stderr, r.text);
    return code;
  }

  private *runPipelineOnly(p: Pipeline, stdin: Source): TaskGen<number> {
    // A lone simple command runs on its own line (Simple.line), as bash sets it while the command runs.
    const lone = p.cmds.length === 1 ? p.cmds[0] : null;
    if (lone?.type !== 'simple' || lone.line === undefined || this.scriptLine === 0) return yield* this.runPipelineAt(p, stdin);
    const saved = this.scriptLine;
    this.scriptLine = this.lineOf(lone.line);
    try {
      return yield* this.runPipelineAt(p, stdin);
    } finally {
      this.scriptLine = saved;
    }
  }

  private *runPipelineAt(p: Pipeline, stdin: Source): TaskGen<number> {
    let code: number;
    if (p.cmds.length === 1 && p.cmds[0].type !== 'simple' && p.cmds[0].type !== 'subshell') {
      code = yield* runCompound(this.link, p.cmds[0], { ...this.io, stdin });
      // A lone `(( ))` or `[[ ]]` sets PIPESTATUS as a command does; a group, a loop, an if or a
      // case leave what their last command set.
      if (p.cmds[0].type === 'arith' || p.cmds[0].type === 'cond') this.vars.setPipeStatus([code]);
      code = p.negate ? (code === 0 ? 1 : 0) : code;
      this.status = code;
      return code;
    }
    // A command bash runs itself (echo, kill… are processes here) is no child it waits for.
    let forks = true;
    // A lone simple command's words are expanded once, here: their name says whether it runs in
    // this shell (a builtin, a function) or in a process of its own, which gets them as they are
    // (a `$(…)` in them must not run twice).
    let expanded: string[] | undefined;
    if (p.cmds.length === 1 && p.cmds[0].type === 'simple') {
      const simple = p.cmds[0];
      const first = simple.words[0];
      const written = first?.length === 1 && first[0].t === 'lit' ? first[0].v : null;
      // A declaration builtin is known by its name as written, and expands its own words.
      if (written === null || !DECLARATION_BUILTINS.has(written)) {
        this.substitutionStatus = null;
        expanded = simple.words.length > 0 ? yield* this.expansion.expandWords(simple.words) : [];
      }
      if (expanded === undefined || (expanded.length > 0 && (SHELL_BUILTINS.has(expanded[0]) || this.functions.has(expanded[0])))) {
        code = yield* this.runInShell(simple, stdin, expanded);
        this.vars.setPipeStatus([code]);
        code = p.negate ? (code === 0 ? 1 : 0) : code;
        this.status = code;
        return code;
      }
      forks = expanded.length > 0 && !BASH_BUILTINS.has(expanded[0]);
    }
    const launched: Launched[] = yield* this.launchPipeline(p, stdin, false, expanded);
    if (this.timedProcs) for (const l of launched) if ('rec' in l) this.timedProcs.push(l.rec);
    code = 0;
    // set -o pipefail: the status of the last command that failed, 0 when all succeeded.
    const pipefail = this.options.on('pipefail');
    let killedBySigint = false;
    const procs: JobProcess[] = [];
    const statuses: number[] = [];
    let last: [number, string | null] = [0, null];
    this.signals.waitingForChild = forks;
    try {
      for (const [i, l] of launched.entries()) {
        if ('rec' in l) {
          const [c, sig]: [number, string | null] = yield waitExit(l.rec);
          statuses.push(c);
          code = pipefail && c === 0 ? code : c;
          if (sig === 'SIGINT') killedBySigint = true;
          procs.push({ pid: l.rec.pid, status: processStatus(c, sig), text: p.texts[i] ?? '' });
          if (i === launched.length - 1) last = [c, sig];
        } else {
          statuses.push(l.code);
          code = pipefail && l.code === 0 ? code : l.code;
        }
      }
    } finally {
      this.signals.waitingForChild = false;
    }
    this.vars.setPipeStatus(statuses);
    if (last[1] !== null) this.jobs.reportForeground(last[1], last[0], procs);
    if (forks) this.jobs.foregroundEnded();
    this.signals.afterForeground(killedBySigint);
    code = p.negate ? (code === 0 ? 1 : 0) : code;
    this.status = code;
    return code;
  }

  /**
   * Run a subshell (its runMain, or runSource) as the kernel task of its process `rec`; a
   * signal that kills it has ended the process already (runMain).
   */
  private runSubshell(rec: ProcRecord, main: TaskGen<number>): void {
    this.kernel.runTask(rec, main, (code) => this.kernel.endProcess(rec, code ?? 0, null, 'exit'));
  }

  /**
   * Whether what this shell starts joins its terminal's foreground (Ctrl-C reaches it): the
   * login shell's commands, and those of a script or subshell that is in the foreground itself.
   */
  private inForeground(): boolean {
    if (!this.term || this.launchingAsync) return false;
    return this.interactive || this.term.foreground.has(this.proc.pid);
  }

  /**
   * The signals a process this shell starts ignores: those it ignores itself, and, for a
   * background job of a non-interactive shell (bash without job control), SIGINT and SIGQUIT.
   */
  private childIgnored(): ReadonlySet<string> {
    if (this.launchIgnored) return this.launchIgnored;
    if (!this.launchingAsync || this.interactive) return this.traps.ignored;
    return new Set([...this.traps.ignored, 'SIGINT', 'SIGQUIT']);
  }

  /** `expanded`: a lone simple command's words, already expanded. */
  private *launchPipeline(p: Pipeline, stdin: Source, background: boolean, expanded?: string[]): TaskGen<Launched[]> {
    const n = p.cmds.length;
    const pipes = Array.from({ length: n - 1 }, () => this.kernel.newPipe());
    const out: Launched[] = [];
    const outerGroup = this.jobGroup;
    if (this.jobControl()) this.jobGroup = null;
    try {
      for (let i = 0; i < n; i++) {
      const fds: Fds = {
        stdin: i === 0 ? stdin : { kind: 'pipe', pipe: pipes[i - 1] },
        stdout: i === n - 1 ? this.io.stdout : { kind: 'pipe', pipe: pipes[i] },
        stderr: this.io.stderr,
      };
        // Each simple command of a pipeline starts on its own line (Simple.line).
        const cmd = p.cmds[i];
        const saved = this.scriptLine;
        if (n > 1 && cmd.type === 'simple' && cmd.line !== undefined && saved > 0) this.scriptLine = this.lineOf(cmd.line);
        let l: Launched;
        try {
          l = yield* this.launch(cmd, fds, n > 1, expanded);
        } finally {
          this.scriptLine = saved;
        }
        if ('rec' in l && !background && this.inForeground() && l.rec.tty === this.term) this.term!.foreground.add(l.rec.pid);
        out.push(l);
      }
    } finally {
      this.jobGroup = outerGroup;
    }
    return out;
  }

  /**
   * Job control (bash's job_control): `set -m`, on in an interactive shell; a subshell has it
   * off. Each job then gets a process group of its own.
   */
  private jobControl(): boolean {
    return this.options.on('monitor') && !this.subshell;
  }

  /**
   * A process of the job being launched (launchPipeline) joins the job's process group, which
   * its first process names (bash's setpgid in make_child). Called before it runs anything, so
   * the processes it starts inherit the group.
   */
  private joinJob(rec: ProcRecord): void {
    if (this.jobGroup === undefined) return;
    this.jobGroup ??= rec.pid;
    rec.pgid = this.jobGroup;
  }

  private subProcess(title: string, fds: Fds, argv = [title]): ProcRecord {
    return this.kernel.kernelProcess({
      host: this.host, kind: 'shell', title, argv, cwd: this.cwd, ppid: this.proc.pid,
      stdin: fds.stdin, stdout: fds.stdout, stderr: fds.stderr, tty: this.term, ignoredSignals: this.childIgnored(),
    });
  }

  private *launch(cmd: AstCommand, base: Fds, inPipeline: boolean, expanded?: string[]): TaskGen<Launched> {
    if (cmd.type === 'subshell') {
      const fds: Fds | null = yield* redirect(this.link, cmd.redirs, base);
      if (!fds) return { code: 1 };
      const rec = this.subProcess('bash', fds);
      this.joinJob(rec);
      const sub = this.child(rec, fds);
      this.runSubshell(rec, sub.runMain(() => sub.runList(cmd.list)));
      return { rec };
    }
    if (cmd.type !== 'simple') {
      // A loop or group inside a pipeline runs in a subshell, like bash.
      const rec = this.subProcess('bash', base);
      this.joinJob(rec);
      const sub = this.child(rec, base);
      this.runSubshell(rec, sub.runMain(() => runCompound(sub.link, cmd, base)));
      return { rec };
    }
    return yield* this.launchSimple(cmd, base, inPipeline, true, true, expanded);
  }

  /** `functions`: false for `command NAME`, which skips shell functions. */
  private *launchSimple(cmd: Simple, base: Fds, inPipeline: boolean, functions = true, traced = true, expanded?: string[]): TaskGen<Launched> {
    if (expanded === undefined) this.substitutionStatus = null;
    const argv: string[] = expanded ?? (yield* this.expansion.expandWords(cmd.words));
    if (argv.length === 0) {
      // Assignments alone set shell variables, left to right (`a=1 b=$a`); in a pipeline, in
      // its subshell only (that is, nowhere).
      if (!inPipeline) for (const a of cmd.assigns) yield* this.expansion.assign(a);
      const fds: Fds | null = yield* redirect(this.link, cmd.redirs, base);
      // Without a command, the status is the last command substitution's (`x=$(false)` fails).
      return { code: fds ? this.substitutionStatus ?? 0 : 1 };
    }
    // Before a command, assignments are that command's environment.
    const assigns: Record<string, string> = {};
    for (const a of cmd.assigns) {
      assigns[a.name] = (yield* this.expansion.expandWords([a.value], false)).join(' ');
      if (traced && this.options.xtrace) yield* this.trace(`${a.name}=${traceValue(assigns[a.name])}`);
      // A readonly variable is not changed, even for one command (which still runs).
      if (this.vars.attrs.has(a.name, 'r')) { this.shellError(`${a.name}: readonly variable`); delete assigns[a.name]; }
    }
    if (traced) yield* this.traceWords(argv);
    const fds: Fds | null = yield* redirect(this.link, cmd.redirs, base);
    if (!fds) return { code: 1 };
    const name = argv[0];
    const prog = basename(name);
    const env = this.env(assigns);
    const fn = functions ? this.functions.get(name) : undefined;
    if (fn) {
      return { rec: this.runCommand((ctx, a) => {
        const sub = this.child(ctx.proc, { stdin: ctx.stdin, stdout: ctx.proc.stdout, stderr: ctx.proc.stderr });
        return sub.runMain(() => sub.callFunction(fn, a));
      }, argv, fds, env) };
    }
    if (cmd === this.execCandidate && !inPipeline && !BASH_BUILTINS.has(name) && !this.traps.anySet()) {
      const target = this.executable(name);
      if (!('error' in target)) return yield* this.replaceProcess(target, argv, fds, env);
    }
    if (this.sys.hasProgram(prog)) {
      const rec = this.kernel.spawn({
        host: this.host, program: prog, argv, env, cwd: this.cwd, ppid: this.proc.pid,
        stdin: fds.stdin, stdout: fds.stdout, stderr: fds.stderr, tty: this.term, ignoredSignals: this.childIgnored(),
      });
      this.joinJob(rec);
      return { rec };
    }
    const builtin: Command | undefined = COMMANDS[name] ?? (SHELL_BUILTINS.has(name) ? this.pipelineBuiltin(name, name === 'jobs' && (!this.launchingAsync || base.stdout !== this.io.stdout)) : undefined);
    if (builtin) return { rec: this.runCommand(builtin, argv, fds, env, BASH_BUILTINS.has(name) ? this.errorPrefix() : undefined) };
    if (name === 'sh' || name === 'bash') return { rec: this.runCommand((ctx, a) => this.shCommand(ctx, a), argv, fds, env) };
    if (name.includes('/')) {
      const script = this.scriptFile(name);
      if ('error' in script) { this.write(fds.stderr, `${this.errorPrefix()}${name}: ${script.error}\n`); return { code: script.status }; }
      return { rec: this.runCommand(script.command, argv, fds, env) };
    }
    this.write(fds.stderr, `${this.errorPrefix()}${name}: command not found\n`);
    return { code: 127 };
  }

  /**
   * Run a coreutil as a kernel-side process. `errorPrefix`: it is a bash builtin (echo, kill…),
   * whose messages, written as at the prompt (`bash: kill: …`), name the script and line in a
   * script, as the shell's own do.
   */
  private runCommand(fn: Command, argv: string[], fds: Fds, env: Record<string, string>, errorPrefix?: string): ProcRecord {
    const rec = this.kernel.kernelProcess({
      host: this.host, kind: 'builtin', title: argv.join(' '), argv, cwd: this.cwd, ppid: this.proc.pid,
      stdin: fds.stdin, stdout: fds.stdout, stderr: fds.stderr, tty: this.term, ignoredSignals: this.childIgnored(),
    });
    this.joinJob(rec);
    const ctx = this.ctxFor(rec, fds, env);
    if (errorPrefix !== undefined && errorPrefix !== 'bash: ') {
      const err = ctx.err;
      ctx.err = (t) => err(t.replace(/^bash: /gm, errorPrefix));
    }
    // A shell run this way (a script, a function in a pipeline) that a signal killed has ended
    // its process already (runMain).
    this.kernel.runTask(rec, fn(ctx, argv), (code) => this.kernel.endProcess(rec, typeof code === 'number' ? code : 1, null, 'exit'));
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

  /** A file run by its path (`./x.sh`): the shell that runs it, or why it cannot run (errno text and status). */
  private scriptFile(name: string): { command: Command } | { error: string; status: number } {
    const f = this.host.disk.lookup(resolvePath(this.cwd, name));
    if (!f) return { error: 'No such file or directory', status: 127 };
    if (f.isDir) return { error: 'Is a directory', status: 126 };
    // Even root needs an x bit to run a file (chmod +x).
    if ((f.mode & 0o111) === 0) return { error: 'Permission denied', status: 126 };
    // `#!/bin/bash -e` (or -x, -eu…): the kernel passes the option to the interpreter.
    const option = readShebang(f.bytes())?.option;
    return { command: (ctx, a) => this.shCommand(ctx, option ? ['sh', option, ...a] : ['sh', ...a]) };
  }

  /**
   * What execve() of `name` runs (exec.ts), functions and the shell's builtins aside: a
   * program, a command the kernel runs, a script's shell; or why not (`not found` when no
   * file has the name).
   */
  private executable(name: string): { program: string } | { command: Command } | { error: string; status: number } {
    if (this.sys.hasProgram(basename(name))) return { program: basename(name) };
    if (Object.hasOwn(COMMANDS, name)) return { command: COMMANDS[name] };
    if (name === 'sh' || name === 'bash') return { command: (ctx, a) => this.shCommand(ctx, a) };
    if (name.includes('/')) return this.scriptFile(name);
    return { error: 'not found', status: 127 };
  }

  /**
   * `exec CMD` (`name` the command, `argv` its words with exec's -a or -l applied): CMD replaces this shell
   * (replaceProcess). When it cannot be executed, bash's two lines (`x: Permission denied`,
   * `exec: x: cannot execute: Permission denied`) or one (`exec: x: not found`); then a
   * non-interactive shell exits with the status, an interactive one returns it.
   */
  private *execBuiltin(argv: string[], name: string, clearEnv: boolean): TaskGen<number> {
    const target = this.executable(name);
    if (!('error' in target)) return yield* this.replaceProcess(target, argv, this.io, clearEnv ? {} : this.env());
    const prefix = this.errorPrefix();
    if (target.error === 'not found') this.errOut(`${prefix}exec: ${name}: not found\n`);
    else if (target.status === 127) this.errOut(`${prefix}${name}: ${target.error}\n`);
    else this.errOut(`${prefix}${name}: ${target.error}\n${prefix}exec: ${name}: cannot execute: ${target.error}\n`);
    if (this.interactive) return target.status;
    throw new ExitShell(target.status);
  }

  /**
   * execve() by this shell's process (exec.ts): it keeps its pid and becomes the command, a
   * program in a runtime slot of its own, or a command the kernel runs in it, which then ends
   * it. The shell is gone, so nothing of it runs again (no EXIT trap, no job notice, no
   * `finally`): this task never resumes, and whoever waits for the process hears of its end
   * from the kernel.
   */
  private *replaceProcess(target: { program: string } | { command: Command }, argv: string[], fds: Fds, env: Record<string, string>): TaskGen<never> {
    const p = this.proc;
    if ('program' in target) {
      this.kernel.exec(p, { program: target.program, argv, env, stdin: fds.stdin, stdout: fds.stdout, stderr: fds.stderr });
      if (this.inForeground() && p.tty === this.term) this.term!.foreground.add(p.pid);
    } else {
      this.kernel.exec(p, { argv, stdin: fds.stdin, stdout: fds.stdout, stderr: fds.stderr });
      const code: unknown = yield* target.command(this.ctxFor(p, fds, env), argv);
      this.kernel.endProcess(p, typeof code === 'number' ? code : 1, null, 'exit');
    }
    for (;;) yield () => undefined;
  }

  /**
   * What a program's execve() of a script makes of its process (a sentinel's notification
   * script): this shell runs the file as `sh [option] FILE ARGS`, `argv` being those words, in
   * the environment the program passed.
   */
  *execScript(argv: string[], env: Record<string, string>): TaskGen<number> {
    for (const [name, value] of Object.entries(env)) {
      this.vars.scalars.set(name, value);
      this.vars.exported.add(name);
    }
    return yield* this.shCommand(this.ctxFor(this.proc, this.io, this.env()), argv);
  }

  /** `sh script [args]`, `sh -c text`, `bash ...`, `./script.sh`. */
  private *shCommand(ctx: CmdCtx, argv: string[]): TaskGen<number> {
    const invocation: BashInvocation | { status: number } = yield* bashInvocation(ctx, argv);
    if ('status' in invocation) return invocation.status;
    const { src, args, file, command, options } = invocation;
    // A new bash starts with its options off (at their defaults), but for those it was given.
    const sub = this.newBash(ctx.proc, { stdin: ctx.stdin, stdout: ctx.proc.stdout, stderr: ctx.proc.stderr }, args, ctx.env);
    // A new bash splits at the default IFS whatever its parent had (bash ignores an inherited IFS).
    sub.vars.scalars.set('IFS', DEFAULT_IFS);
    for (const [optionName, on] of options) sub.options.set(optionName, on);
    sub.unboundStatus = command ? 127 : 1;
    sub.readFrom = command ? 'c' : file ? '' : 's';
    sub.functionsFrom = command ? 'environment' : file ? null : 'main';
    sub.syntaxOnly = sub.options.on('noexec');
    // bash execs the last command of a -c text; dash, Debian's sh, does not.
    sub.execsLast = command && basename(argv[0]) === 'bash';
    sub.runsBashC = command;
    ctx.proc.kind = 'shell';
    // A new bash: no traps; it cannot trap what it was started ignoring; $$ is its own pid.
    sub.traps.startedIgnoring();
    sub.shellPid = ctx.proc.pid;
    sub.parentPid = ctx.proc.ppid;
    return yield* sub.runSource(src, args[0], file, true);
  }

  // ---- builtins run in the shell ----------------------------------------------------------

  /**
   * A builtin in a pipeline runs in a subshell of its own: its `exit` ends that subshell only.
   * `keepJobs`: it is `jobs`, and bash lets its subshell keep the table of jobs (jobs_hack)
   * unless it runs in the background with no pipe after it: `jobs | wc -l` counts this shell's.
   */
  private pipelineBuiltin(name: string, keepJobs: boolean): Command {
    return (ctx, argv) => {
      const sub = this.child(ctx.proc, { stdin: ctx.stdin, stdout: ctx.proc.stdout, stderr: ctx.proc.stderr });
      if (keepJobs) sub.jobs.inheritFrom(this.jobs);
      // bash forks a lone builtin without resetting its loop level: `break | cat` in a loop
      // ends its own subshell, silently (a `( … )` or `{ …; }` there starts outside any loop).
      sub.loopDepth = this.loopDepth;
      return sub.runMain(function* () {
        try {
          return yield* runBuiltin(sub.link, name, argv);
        } catch (e) {
          if (e instanceof LoopControl) return e.status;
          throw e;
        }
      });
    };
  }

  /** `expanded`: the command's words, already expanded (not for a declaration builtin). */
  private *runInShell(cmd: Simple, stdin: Source, expanded?: string[]): TaskGen<number> {
    const { argv, compound } = expanded ? { argv: expanded, compound: undefined } : yield* declarationArgs(this.link, cmd);
    // Assignments before a builtin or a function (`IFS=, read -ra a`) hold while it runs, in
    // the environment too; bash (not in POSIX mode) restores the variables after it.
    const restore: (() => void)[] = [];
    for (const a of cmd.assigns) {
      if (a.array || a.index !== null || this.vars.arrays.has(a.name)) continue;
      const v = (yield* this.expansion.expandWords([a.value], false)).join(' ');
      if (this.options.xtrace) yield* this.trace(`${a.name}${a.append ? '+=' : '='}${traceValue(v)}`);
      if (this.vars.attrs.has(a.name, 'r')) { this.shellError(`${a.name}: readonly variable`); continue; }
      const old = this.vars.scalars.get(a.name);
      const wasExported = this.vars.exported.has(a.name);
      restore.push(() => {
        if (old === undefined) this.vars.scalars.delete(a.name);
        else this.vars.scalars.set(a.name, old);
        if (!wasExported) this.vars.exported.delete(a.name);
      });
      this.vars.scalars.set(a.name, a.append ? (old ?? '') + v : v);
      this.vars.exported.add(a.name);
    }
    const saved = this.io;
    try {
      yield* this.traceWords(argv);
      const fds: Fds | null = yield* redirect(this.link, cmd.redirs, { ...this.io, stdin });
      if (!fds) return 1;
      (this as { io: Fds }).io = fds;
      const fn = this.functions.get(argv[0]);
      if (fn && !SHELL_BUILTINS.has(argv[0])) return yield* this.callFunction(fn, argv);
      return yield* runBuiltin(this.link, argv[0], argv, compound);
    } finally {
      (this as { io: Fds }).io = saved;
      for (const undo of restore.reverse()) undo();
    }
  }

  /**
   * Start `argv` as execvp() would run it (no function is looked for, as by `command`), in a
   * process of its own, a child of this shell's process, and do not wait for it: for a
   * command that watches what it runs (timeout), through a helper shell in its process.
   * `env`: the environment it gets; `ignored`: the signals it starts ignoring.
   */
  *startCommand(argv: string[], fds: Fds, opts: { env?: Record<string, string>; ignored?: ReadonlySet<string> } = {}): TaskGen<Launched> {
    for (const [name, value] of Object.entries(opts.env ?? {})) {
      this.vars.scalars.set(name, value);
      this.vars.exported.add(name);
    }
    this.launchIgnored = opts.ignored ?? null;
    try {
      const launched = yield* this.launchSimple({ type: 'simple', assigns: [], words: [], redirs: [] }, fds, false, false, false, argv);
      if ('rec' in launched && this.inForeground() && launched.rec.tty === this.term) this.term!.foreground.add(launched.rec.pid);
      return launched;
    } finally {
      this.launchIgnored = null;
    }
  }

  /** `command NAME …` for a NAME the shell does not run itself: run as a command, never a function, and waited for. */
  private *runSkippingFunctions(argv: string[]): TaskGen<number> {
    const outerGroup = this.jobGroup;
    if (this.jobControl()) this.jobGroup = null;
    let launched: Launched;
    try {
      launched = yield* this.launchSimple({ type: 'simple', assigns: [], words: argv.map((a) => [{ t: 'lit', v: a, q: true }]), redirs: [] }, this.io, false, false, false);
    } finally {
      this.jobGroup = outerGroup;
    }
    if ('code' in launched) return launched.code;
    if (this.inForeground() && launched.rec.tty === this.term) this.term!.foreground.add(launched.rec.pid);
    const [code]: [number, string | null] = yield* this.signals.waitForeground(launched.rec, !BASH_BUILTINS.has(argv[0]));
    if (!BASH_BUILTINS.has(argv[0])) this.jobs.foregroundEnded();
    return code;
  }

  /** Words run as a simple command, not expanded again (`jobs -x`): a function, a builtin or a command, traced. */
  private *runWords(argv: string[]): TaskGen<number> {
    if (SHELL_BUILTINS.has(argv[0]) || this.functions.has(argv[0])) return yield* this.runInShell({ type: 'simple', assigns: [], words: [], redirs: [] }, this.io.stdin, argv);
    yield* this.traceWords(argv);
    return yield* this.runSkippingFunctions(argv);
  }

  // ---- traps ------------------------------------------------------------------------------

  /**
   * Run the traps of the signals that came, lowest signal first, each once however many times
   * its signal came; $? is kept. Not from inside a trap: those wait until it is over.
   */
  private *runPendingTraps(): TaskGen<void> {
    if (!this.traps.due()) return;
    const status = this.status;
    yield* this.traps.runPending((action) => this.runTrapAction(action));
    this.status = status;
  }

  /** A trap's action, parsed when it runs (like eval); its lines count from 1 in a script's errors. */
  private *runTrapAction(action: string): TaskGen<void> {
    let list: List;
    try {
      list = parse(action + '\n');
    } catch (e) {
      if (e instanceof Incomplete) { this.errOut(`${this.scriptName}: trap: line ${action.split('\n').length + 1}: syntax error: unexpected end of file\n`); return; }
      if (e instanceof SyntaxError_) { this.errOut(`${this.scriptName}: trap: line ${e.line ?? 1}: ${e.message}\n`); return; }
      throw e;
    }
    try {
      yield* this.runAt(this.scriptLine > 0 ? { lineOffset: 0, scriptLine: 1 } : {}, false, () => this.runList(list));
    } catch (e) {
      if (!(e instanceof AbortLine)) throw e;
    }
  }

  // ---- what expansion asks of the shell ---------------------------------------------------

  /**
   * After an unbound variable or `${x:?msg}`: a non-interactive shell ends — bash -c with 127
   * (1 under set -e), a script, a subshell or a $(…) with 1; the prompt abandons the line.
   */
  private endOnExpansionError(): never {
    if (this.interactive) throw new AbortLine();
    throw new ExitShell(this.options.errexit ? 1 : this.unboundStatus);
  }

  /** A special parameter's value (`$?`, `$$`, `$#`, `$@`, `$-`, LINENO, RANDOM…); undefined for any other name. */
  private special(name: string): string[] | string | undefined {
    switch (name) {
      case '?': return String(this.status);
      case '$': return String(this.shellPid);
      case 'BASHPID': return String(this.proc.pid);
      case 'PPID': return String(this.parentPid);
      case '#': return String(Math.max(0, this.args.length - 1));
      case '!': return this.jobs.lastBgPid ? String(this.jobs.lastBgPid) : '';
      case '@': case '*': return this.args.slice(1);
      case 'PWD': return this.cwd;
      case '-': return this.options.flags(this.interactive) + this.readFrom;
      case 'LINENO': return String(this.scriptLine);
      case 'RANDOM': return String(this.host.rng.int(32768));
    }
    return undefined;
  }

  private *commandSubstitution(src: string, backquoted: boolean): TaskGen<string> {
    // bash parses a $(…)'s text again, in the shell, before it forks it: reading that line, a
    // non-interactive shell reports the jobs that ended (Jobs.notify), naming the next line.
    if (!backquoted) this.jobs.notify(this.scriptLine + 1);
    const buf: string[] = [];
    const fds: Fds = { stdin: { kind: 'null' }, stdout: { kind: 'buffer', chunks: buf }, stderr: this.io.stderr };
    const rec = this.subProcess('bash', fds);
    // In the terminal's foreground with its shell, as bash forks it: Ctrl-C reaches it too.
    if (this.inForeground()) this.term!.foreground.add(rec.pid);
    const sub = this.child(rec, fds);
    sub.jobs.quiet = true;
    // Its shell keeps the table of jobs: `$(jobs)` lists this shell's.
    sub.jobs.inheritFrom(this.jobs);
    // bash's loop level is not reset for a $(…): `break` there ends it.
    sub.loopDepth = this.loopDepth;
    sub.options.errexit = false;
    sub.traceLevel++;
    // Its lines count from the line before its command's: those of the text bash runs, the
    // command it parsed printed back (comsub-print.ts); a backquoted one's text is run as it is.
    sub.lineOffset = this.scriptLine > 0 ? this.scriptLine - 1 : 0;
    sub.lineMap = null;
    this.runSubshell(rec, sub.runSource(src, this.scriptName, false, false, backquoted ? undefined : layOutAsPrinted));
    const [code]: [number, string | null] = yield* this.signals.waitForeground(rec, true);
    this.jobs.substitutionEnded();
    this.substitutionStatus = code;
    return buf.join('').replace(/\n+$/, '');
  }

}

// ---- waits ----------------------------------------------------------------------------------

export function readLine(term: Terminal, pid: number, prompt: string): Wait {
  return (resume) => {
    term.requestLine({ pid, prompt, mask: false, resume });
    return () => term.cancelReader(pid);
  };
}

export { dirname, waitExit };
