/**
 * The `trap` builtin's table, as bash keeps and prints it: the conditions a trap can be set on
 * (EXIT, a signal, DEBUG, ERR, RETURN), how a condition is named on the command line, the
 * `trap -- 'action' SIGNAL` lines of `trap`, `trap -p` and `trap -p SPEC…`; a shell's traps
 * (Traps: the actions set, the signals its process ignores, the trapped signals that came and
 * wait for their trap to run) and the `trap` builtin. How a signal is taken when it comes is
 * signals.ts; running a trap's action is the shell's (runPendingTraps, runExitTrap).
 */
import { builtinOptions } from './builtin-options';
import type { TaskGen } from '../kernel/tasks';
import { SIGNALS, parseSignal, signalInfo, signalNumber, signalSpec } from '../../engine/util/signals';
import { signalListing } from './commands/procs';

/** trap's conditions that are no signal, in the order bash lists them after the signals. */
const PSEUDO = ['DEBUG', 'ERR', 'RETURN'] as const;

/**
 * The signals on which bash runs its EXIT trap before it dies of them (its terminating
 * signals; SIGQUIT, also one, a shell ignores). The others (SIGPROF, SIGIO, the real-time
 * ones...) end it at once, EXIT trap or not.
 */
export const EXIT_TRAP_SIGNALS: ReadonlySet<string> = new Set([
  'SIGHUP', 'SIGINT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM',
  'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGSYS',
]);

/**
 * A condition as trap takes it: EXIT or 0, DEBUG, ERR, RETURN (any case), or a signal by name
 * (parseSignal) or number (as bash's legal_number reads one: blanks and a + around it do, a -
 * makes it no signal). Returns its key — "EXIT", "DEBUG"…, or the signal's ("SIGINT",
 * "SIG32") — or null when bash calls it an invalid signal specification.
 */
export function trapCondition(spec: string): string | null {
  const number = /^\s*([+-]?)(\d+)\s*$/.exec(spec);
  if (number) {
    if (number[1] === '-' && Number(number[2]) !== 0) return null;
    return Number(number[2]) === 0 ? 'EXIT' : parseSignal(String(Number(number[2])));
  }
  const up = spec.toUpperCase();
  if (up === 'EXIT') return 'EXIT';
  if ((PSEUDO as readonly string[]).includes(up)) return up;
  return parseSignal(spec);
}

/** How `trap -p` names a condition: EXIT, SIGINT, 32 (a nameless signal), DEBUG. */
function conditionName(key: string): string {
  const info = signalInfo(key);
  return info ? signalSpec(info) : key;
}

/** bash's sh_single_quote: the whole text in single quotes, each ' as '\''. */
function singleQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** One `trap -p` line. */
export function trapLine(key: string, action: string): string {
  return `trap -- ${singleQuote(action)} ${conditionName(key)}\n`;
}

/** Every key in bash's order: EXIT, the signals by number, DEBUG, ERR, RETURN. */
const ORDER: readonly string[] = ['EXIT', ...SIGNALS.map((s) => s.name), ...PSEUDO];

/** `trap` and `trap -p`: every trap that is set, in bash's order. */
export function trapListing(traps: ReadonlyMap<string, string>): string {
  return ORDER.filter((key) => traps.has(key)).map((key) => trapLine(key, traps.get(key)!)).join('');
}

/** A shell's traps. */
export class Traps {
  /** The action of each condition that has one (keys as trapCondition gives them; '' ignores a signal). */
  private actions = new Map<string, string>();
  /**
   * What `trap` lists in a subshell until it sets a trap of its own: the traps of the shell it
   * came from (so `saved=$(trap -p)` works), which do not run in it.
   */
  private inherited: ReadonlyMap<string, string> | null = null;
  /**
   * A new non-interactive shell's signals that were ignored when it started (a script run as
   * a background job: SIGINT, SIGQUIT): trap cannot catch or ignore them, and lists them as ignored.
   */
  private ignoredAtStart: ReadonlySet<string> = new Set();
  /** Trapped signals that came and whose trap has not run yet (runPending). */
  private readonly pending = new Set<string>();
  private running = false;

  /**
   * `ignored`: the signals the shell's process ignores (its ProcRecord.ignoredSignals, which
   * the processes it starts inherit); `trap ''` adds to them.
   */
  constructor(readonly ignored: Set<string>) {}

  /**
   * A subshell's: its parent's traps are reset (the ignored signals stay ignored: its process
   * inherited them), but listed as its parent's until it sets one.
   */
  inheritFrom(parent: Traps): void {
    this.inherited = new Map(parent.inherited ?? parent.actions);
    this.actions = new Map([...parent.actions].filter(([key, action]) => action === '' && signalInfo(key) !== undefined));
  }

  /** A new bash's: no traps, and it cannot trap what it was started ignoring. */
  startedIgnoring(): void {
    this.actions = new Map();
    this.inherited = null;
    this.ignoredAtStart = new Set(this.ignored);
  }

  /** Whether `sig` has a trap that runs a command (not '': an ignored signal never comes). */
  trapped(sig: string): boolean {
    return !!this.actions.get(sig);
  }

  /** Whether any trap is set, an ignoring one too (bash then forks a `-c` text's last command rather than exec it). */
  anySet(): boolean {
    return this.actions.size > 0;
  }

  /** The EXIT trap's action, taken away: it runs once. */
  takeExitAction(): string | undefined {
    const action = this.actions.get('EXIT');
    this.actions.delete('EXIT');
    return action;
  }

  /** A trapped signal came: its trap runs at the next point bash runs traps (runPending). */
  signalCame(sig: string): void {
    this.pending.add(sig);
  }

  /** Whether traps of signals that came wait to run, and none is running (those wait until it is over). */
  due(): boolean {
    return !this.running && this.pending.size > 0;
  }

  /** Run (with `run`) the traps of the signals that came, lowest signal first, each once however many times its signal came. */
  *runPending(run: (action: string) => TaskGen<void>): TaskGen<void> {
    this.running = true;
    try {
      while (this.pending.size > 0) {
        const sig = [...this.pending].reduce((a, b) => ((signalNumber(a) ?? 0) <= (signalNumber(b) ?? 0) ? a : b));
        this.pending.delete(sig);
        const action = this.actions.get(sig);
        if (action) yield* run(action);
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * `trap [-lp] [[action] condition...]`: set (an action), ignore (''), reset (- , or the
   * conditions alone as bash reads a first argument that is one) or list traps.
   */
  builtin(argv: string[], out: (text: string) => void, err: (text: string) => void): number {
    const usage = 'trap: usage: trap [-lp] [[arg] signal_spec ...]\n';
    // `-2` is an operand (no signal), as bash's getopt leaves it.
    const parsed = builtinOptions(argv, 'lp', { isOperand: (word) => /^-\d/.test(word) });
    if ('invalid' in parsed) { err(`bash: trap: ${parsed.invalid}: invalid option\n${usage}`); return 2; }
    const list = parsed.options.some((o) => o.letter === 'l');
    const print = parsed.options.some((o) => o.letter === 'p');
    const i = parsed.operands;
    const args = argv.slice(i);
    if (list) { out(signalListing()); return 0; }
    if (args.length === 0) { out(trapListing(this.shown())); return 0; }
    // Each condition in turn (an invalid one is an error, status 1, and the others still count).
    let code = 0;
    const each = (specs: string[], fn: (key: string) => void) => {
      for (const spec of specs) {
        const key = trapCondition(spec);
        if (key !== null) fn(key);
        else { err(`bash: trap: ${spec}: invalid signal specification\n`); code = 1; }
      }
    };
    if (print) {
      const shown = this.shown();
      each(args, (key) => {
        const action = shown.get(key);
        if (action !== undefined) out(trapLine(key, action));
      });
      return code;
    }
    // A first argument that is a signal number, or a lone condition, is no action: reset.
    const first = args[0];
    const resetAll = trapCondition(first) !== null && (/^\d+$/.test(first) || (args.length === 1 && first !== '' && first !== '-'));
    if (!resetAll && args.length === 1) { err(usage); return 2; }
    const action = resetAll || first === '-' ? null : first;
    each(resetAll ? args : args.slice(1), (key) => this.set(key, action));
    return code;
  }

  /**
   * The traps `trap` lists: a subshell's parent's until it sets one itself; the signals a new
   * shell was started ignoring, as ignored.
   */
  private shown(): Map<string, string> {
    const shown = new Map(this.inherited ?? this.actions);
    for (const sig of this.ignoredAtStart) shown.set(sig, '');
    return shown;
  }

  /** Set (an action), ignore ('') or reset (null) the trap of one condition. */
  private set(key: string, action: string | null): void {
    const isSignal = signalInfo(key) !== undefined;
    // A new non-interactive shell cannot catch or ignore what it started ignoring (it can reset it).
    if (isSignal && action !== null && this.ignoredAtStart.has(key)) return;
    // A subshell lists its own traps once it sets one.
    this.inherited = null;
    if (action === null) this.actions.delete(key);
    else this.actions.set(key, action);
    // KILL and STOP are listed as trapped, and still kill and stop.
    if (!isSignal || key === 'SIGKILL' || key === 'SIGSTOP') return;
    if (action === '') this.ignored.add(key);
    else this.ignored.delete(key);
  }
}
