/**
 * The `trap` builtin's table, as bash keeps and prints it: the conditions a trap can be set on
 * (EXIT, a signal, DEBUG, ERR, RETURN), how a condition is named on the command line, and the
 * `trap -- 'action' SIGNAL` lines of `trap`, `trap -p` and `trap -p SPEC…`. What a trap does
 * when its signal comes is the shell's (shell.ts: receive, runPendingTraps).
 */
import { SIGNALS, parseSignal, signalInfo, signalSpec } from '../../engine/util/signals';

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
