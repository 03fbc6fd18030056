/**
 * The signals of Linux on x86-64, the one table of them: their names and numbers (what
 * kill(2), `kill -l`, exit statuses 128+n and Redis's "terminated by signal 12" speak), the
 * action each takes when the process does not catch it (signal(7)), and glibc's strsignal
 * text (what bash reports for a job a signal ended). It lives in the engine, which names the
 * signals that end its children by number, so that the simulation (which may import the
 * engine, not the other way round) delivers the same ones. Numbers 32 and 33 belong to glibc's threads and have no name (kill takes
 * them by number, `kill -l 32` prints nothing, strsignal calls them "Unknown signal 32"); 34..64
 * are the real-time signals, named from SIGRTMIN and SIGRTMAX as bash names them.
 */

/** What an uncaught signal does: end the process (dumping core or not), nothing, stop, resume. */
export type SignalAction = 'term' | 'core' | 'ignore' | 'stop' | 'continue';

export interface SignalInfo {
  /**
   * "SIGHUP": what the simulation passes around for the signal. The two nameless ones are
   * "SIG32" and "SIG33" here, a key no user can type (bash rejects `kill -s SIG32`).
   */
  name: string;
  /** Signals 32 and 33, which have no name: only their number is accepted and printed. */
  unnamed?: true;
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

/** glibc's two signals for its threads (32, 33): no name, and they end a process that gets one. */
const UNNAMED: readonly SignalInfo[] = [32, 33].map((number) => ({ name: `SIG${number}`, unnamed: true as const, number, action: 'term' as const, description: `Unknown signal ${number}` }));

/** Every signal by number, 1..64 (32 and 33 `unnamed`). */
export const SIGNALS: readonly SignalInfo[] = [
  ...STANDARD.map(([name, action, description], i) => ({ name, number: i + 1, action, description })),
  ...UNNAMED,
  ...Array.from({ length: SIGRTMAX - SIGRTMIN + 1 }, (_, i) => {
    const number = SIGRTMIN + i;
    return { name: realTimeName(number), number, action: 'term' as const, description: `Real-time signal ${number - SIGRTMIN}` };
  }),
];

/** The signals with a name, as `kill -l` and `trap -l` list them: 1..31, then 34..64. */
export const NAMED_SIGNALS: readonly SignalInfo[] = SIGNALS.filter((s) => !s.unnamed);

const BY_KEY = new Map(SIGNALS.map((s) => [s.name, s]));
const BY_NAME = new Map(NAMED_SIGNALS.map((s) => [s.name, s]));
const BY_NUMBER = new Map(SIGNALS.map((s) => [s.number, s]));

/** The signal "SIGTERM" (or "SIG32", the key of a nameless one); undefined when there is none. */
export function signalInfo(name: string): SignalInfo | undefined { return BY_KEY.get(name); }

/** The signal numbered `n`; undefined for 0 and beyond 64. */
export function signalByNumber(n: number): SignalInfo | undefined { return BY_NUMBER.get(n); }

/** "SIGTERM" → 15; undefined for a name that is no signal. */
export function signalNumber(name: string): number | undefined { return BY_KEY.get(name)?.number; }

/**
 * A signal given as bash's kill and trap take it: a number ("9", "32"), or a name with or
 * without its SIG prefix, in any case ("KILL", "sigkill"). Returns its key ("SIGKILL",
 * "SIG32"), or null.
 */
export function parseSignal(spec: string): string | null {
  if (/^\d+$/.test(spec)) return signalByNumber(Number(spec))?.name ?? null;
  const up = spec.toUpperCase();
  return BY_NAME.get(up.startsWith('SIG') ? up : `SIG${up}`)?.name ?? null;
}

/** How bash writes a signal back (`trap -p`): its name, or the number of a nameless one. */
export function signalSpec(info: SignalInfo): string { return info.unnamed ? String(info.number) : info.name; }
