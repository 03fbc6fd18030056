/**
 * The signals of Linux on x86-64, the one table the simulation uses: their names and numbers
 * (what kill(2), `kill -l` and exit statuses 128+n speak), the action each takes when the
 * process does not catch it (signal(7)), and glibc's strsignal text (what bash reports for a
 * job a signal ended). Numbers 32 and 33 belong to glibc's threads and have no name; 34..64 are
 * the real-time signals, named from SIGRTMIN and SIGRTMAX as bash names them.
 */

/** What an uncaught signal does: end the process (dumping core or not), nothing, stop, resume. */
export type SignalAction = 'term' | 'core' | 'ignore' | 'stop' | 'continue';

export interface SignalInfo {
  /** "SIGHUP". */
  name: string;
  number: number;
  action: SignalAction;
  /** strsignal(3): "Hangup". */
  description: string;
}

const STANDARD: readonly [string, SignalAction, string][] = [
  ['SIGHUP', 'term', 'Hangup'],
  ['SIGINT', 'term', 'Interrupt'],
  ['SIGQUIT', 'core', 'Quit'],
  ['SIGILL', 'core', 'Illegal instruction'],
  ['SIGTRAP', 'core', 'Trace/breakpoint trap'],
  ['SIGABRT', 'core', 'Aborted'],
  ['SIGBUS', 'core', 'Bus error'],
  ['SIGFPE', 'core', 'Floating point exception'],
  ['SIGKILL', 'term', 'Killed'],
  ['SIGUSR1', 'term', 'User defined signal 1'],
  ['SIGSEGV', 'core', 'Segmentation fault'],
  ['SIGUSR2', 'term', 'User defined signal 2'],
  ['SIGPIPE', 'term', 'Broken pipe'],
  ['SIGALRM', 'term', 'Alarm clock'],
  ['SIGTERM', 'term', 'Terminated'],
  ['SIGSTKFLT', 'term', 'Stack fault'],
  ['SIGCHLD', 'ignore', 'Child exited'],
  ['SIGCONT', 'continue', 'Continued'],
  ['SIGSTOP', 'stop', 'Stopped (signal)'],
  ['SIGTSTP', 'stop', 'Stopped'],
  ['SIGTTIN', 'stop', 'Stopped (tty input)'],
  ['SIGTTOU', 'stop', 'Stopped (tty output)'],
  ['SIGURG', 'ignore', 'Urgent I/O condition'],
  ['SIGXCPU', 'core', 'CPU time limit exceeded'],
  ['SIGXFSZ', 'core', 'File size limit exceeded'],
  ['SIGVTALRM', 'term', 'Virtual timer expired'],
  ['SIGPROF', 'term', 'Profiling timer expired'],
  ['SIGWINCH', 'ignore', 'Window changed'],
  ['SIGIO', 'term', 'I/O possible'],
  ['SIGPWR', 'term', 'Power failure'],
  ['SIGSYS', 'core', 'Bad system call'],
];

export const SIGRTMIN = 34;
export const SIGRTMAX = 64;

/** The real-time signal `n` (34..64) by bash's name: SIGRTMIN, SIGRTMIN+1..+15, SIGRTMAX-14..-1, SIGRTMAX. */
function realTimeName(n: number): string {
  if (n === SIGRTMIN) return 'SIGRTMIN';
  if (n === SIGRTMAX) return 'SIGRTMAX';
  return n <= 49 ? `SIGRTMIN+${n - SIGRTMIN}` : `SIGRTMAX-${SIGRTMAX - n}`;
}

/** Every signal with a name, by number: 1..31, then 34..64. */
export const SIGNALS: readonly SignalInfo[] = [
  ...STANDARD.map(([name, action, description], i) => ({ name, number: i + 1, action, description })),
  ...Array.from({ length: SIGRTMAX - SIGRTMIN + 1 }, (_, i) => {
    const number = SIGRTMIN + i;
    return { name: realTimeName(number), number, action: 'term' as const, description: `Real-time signal ${number - SIGRTMIN}` };
  }),
];

const BY_NAME = new Map(SIGNALS.map((s) => [s.name, s]));
const BY_NUMBER = new Map(SIGNALS.map((s) => [s.number, s]));

/** The signal named "SIGTERM"; undefined when there is none. */
export function signalInfo(name: string): SignalInfo | undefined { return BY_NAME.get(name); }

/** The signal numbered `n`; undefined for 0, 32, 33 and beyond 64. */
export function signalByNumber(n: number): SignalInfo | undefined { return BY_NUMBER.get(n); }

/** "SIGTERM" → 15; undefined for a name that is no signal. */
export function signalNumber(name: string): number | undefined { return BY_NAME.get(name)?.number; }

/**
 * A signal given as bash's kill and trap take it: a number ("9"), or a name with or without its
 * SIG prefix, in any case ("KILL", "sigkill"). Returns the full name ("SIGKILL"), or null.
 */
export function parseSignal(spec: string): string | null {
  if (/^\d+$/.test(spec)) return signalByNumber(Number(spec))?.name ?? null;
  const up = spec.toUpperCase();
  return BY_NAME.get(up.startsWith('SIG') ? up : `SIG${up}`)?.name ?? null;
}
