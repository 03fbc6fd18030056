/**
 * `timeout` as GNU coreutils 9.1, on the virtual clock: it runs COMMAND as its child (in a
 * process of its own, as execvp would find it: no shell function or builtin), and if the
 * command is still running after DURATION it sends it the signal (-s, TERM by default), then
 * to the rest of its process group (its descendants here; timeout ignores the signal itself,
 * but cannot ignore KILL), then SIGCONT; -k sends KILL that long later. Its status: 124 when
 * the command timed out (--preserve-status: the command's), the command's otherwise; when
 * the command died of a signal before any timeout, timeout dies of the same signal. INT, QUIT,
 * HUP, TERM and ALRM sent to timeout are passed on the same way. Usage errors exit 125, a
 * command that cannot run 126 or 127.
 */
import type { CmdCtx, Command } from '../context';
import { abs, quoted } from '../context';
import type { ProcRecord } from '../../kernel/process';
import { waitExit } from '../jobs';
import { SIGRTMAX, SIGRTMIN, signalByNumber, signalInfo } from '../../../engine/util/signals';
import { badOption, parseOpts } from './operands';

const HELP = `Usage: timeout [OPTION] DURATION COMMAND [ARG]...
  or:  timeout [OPTION]
Start COMMAND, and kill it if still running after DURATION.

Mandatory arguments to long options are mandatory for short options too.
      --preserve-status
                 exit with the same status as COMMAND, even when the
                   command times out
      --foreground
                 when not running timeout directly from a shell prompt,
                   allow COMMAND to read from the TTY and get TTY signals;
                   in this mode, children of COMMAND will not be timed out
  -k, --kill-after=DURATION
                 also send a KILL signal if COMMAND is still running
                   this long after the initial signal was sent
  -s, --signal=SIGNAL
                 specify the signal to be sent on timeout;
                   SIGNAL may be a name like 'HUP' or a number;
                   see 'kill -l' for a list of signals
  -v, --verbose  diagnose to stderr any signal sent upon timeout
      --help        display this help and exit
      --version     output version information and exit

DURATION is a floating point number with an optional suffix:
's' for seconds (the default), 'm' for minutes, 'h' for hours or 'd' for days.
A duration of 0 disables the associated timeout.

Upon timeout, send the TERM signal to COMMAND, if no other SIGNAL specified.
The TERM signal kills any process that does not block or catch that signal.
It may be necessary to use the KILL signal, since this signal can't be caught.

EXIT status:
  124  if COMMAND times out, and --preserve-status is not specified
  125  if the timeout command itself fails
  126  if COMMAND is found but cannot be invoked
  127  if COMMAND cannot be found
  137  if COMMAND (or timeout itself) is sent the KILL (9) signal (128+9)
  -    the exit status of COMMAND otherwise

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/timeout>
or available locally via: info '(coreutils) timeout invocation'
`;

const VERSION = `timeout (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Padraig Brady.
`;

/** EXIT_TIMEDOUT, EXIT_CANCELED, EXIT_CANNOT_INVOKE, EXIT_ENOENT. */
const TIMED_OUT = 124;
const CANCELED = 125;
const CANNOT_INVOKE = 126;
const NOT_FOUND = 127;

const TRY = "Try 'timeout --help' for more information.\n";

/** The signals timeout catches to pass them on (install_cleanup), besides -s's. */
const CLEANUP_SIGNALS = ['SIGALRM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGTERM'];

/**
 * parse_duration: strtod's number (blanks before it, a sign, decimals, exponents, hex, `inf`)
 * and at most one suffix s m h d; null when invalid (negative, NaN, anything else after it).
 */
export function parseDuration(text: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:0[xX](?:[0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?))(.*)$/is.exec(text);
  if (!m) return null;
  const value = strtodValue(m[1]);
  const suffix = m[2];
  if (!(value >= 0) || suffix.length > 1) return null;
  const scale: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };
  if (scale[suffix] === undefined) return null;
  return value * scale[suffix];
}

/** The value of a number strtod accepted (JS reads all but hex fractions and `inf`/`nan` itself). */
function strtodValue(s: string): number {
  const sign = s[0] === '-' ? -1 : 1;
  const body = s.replace(/^[+-]/, '').toLowerCase();
  if (body.startsWith('inf')) return sign * Infinity;
  if (body.startsWith('nan')) return NaN;
  const hex = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/.exec(body);
  if (hex) {
    const digits = (hex[1] ?? '') + (hex[2] ?? '');
    return sign * parseInt(digits || '0', 16) * 2 ** (Number(hex[3] ?? 0) - 4 * (hex[2] ?? '').length);
  }
  return sign * Number(body);
}

/**
 * operand_to_sig: a number (masked as a wait status would be: 256 is 0, 128 is 0) or a name,
 * in any case, with or without SIG (EXIT is 0, RTMIN+n and RTMAX-n the real-time ones).
 * Returns the signal's key ('SIG0' for 0), or null.
 */
export function parseTimeoutSignal(operand: string): string | null {
  let n: number;
  if (/^[0-9]/.test(operand)) {
    if (!/^[0-9]+$/.test(operand)) return null;
    const v = BigInt(operand);
    if (v > 2147483647n) return null;
    n = Number(v);
    n &= n >= 0xff ? 0xff : 0x7f;
  } else {
    let name = operand.toUpperCase();
    const byName = (s: string): number | null => {
      if (s === 'EXIT') return 0;
      const aliases: Record<string, string> = { IOT: 'ABRT', CLD: 'CHLD', POLL: 'IO' };
      const rt = /^RT(MIN|MAX)(?:([+-])(\d+))?$/.exec(s);
      if (rt) {
        const k = rt[3] === undefined ? 0 : Number(rt[3]);
        if (rt[2] !== undefined && rt[2] !== (rt[1] === 'MIN' ? '+' : '-')) return null;
        const v = rt[1] === 'MIN' ? SIGRTMIN + k : SIGRTMAX - k;
        return v >= SIGRTMIN && v <= SIGRTMAX ? v : null;
      }
      const info = signalInfo(`SIG${aliases[s] ?? s}`);
      return info && !info.unnamed ? info.number : null;
    };
    let found = byName(name);
    if (found === null && name.startsWith('SIG')) { name = name.slice(3); found = byName(name); }
    if (found === null) return null;
    n = found;
  }
  if (n === 0) return 'SIG0';
  const info = signalByNumber(n);
  return info && !info.unnamed ? info.name : null;
}

/** sig2str's name for -v: without SIG. */
const shortName = (sig: string) => (sig === 'SIG0' ? '0' : sig.slice(3));

/**
 * Whether execvp could run `name`: ENOENT (127) or EACCES (126) as timeout reports them, or
 * null. A name without a slash is looked up as a file (no builtin, no function).
 */
function execError(ctx: CmdCtx, name: string): { msg: string; status: number } | null {
  if (!name.includes('/')) return ctx.shell.commandPath(name) ? null : { msg: 'No such file or directory', status: NOT_FOUND };
  if (ctx.sys.hasProgram(name.slice(name.lastIndexOf('/') + 1))) return null;
  const node = ctx.host.disk.lookup(abs(ctx, name));
  if (!node) return { msg: 'No such file or directory', status: NOT_FOUND };
  if (node.isDir || (node.mode & 0o111) === 0) return { msg: 'Permission denied', status: CANNOT_INVOKE };
  return null;
}

const LONG = [
  { name: 'kill-after', key: 'k', arg: true }, { name: 'signal', key: 's', arg: true }, { name: 'verbose', key: 'v', arg: false },
  { name: 'foreground', key: 'foreground', arg: false }, { name: 'preserve-status', key: 'preserve-status', arg: false },
  { name: 'help', key: 'help', arg: false }, { name: 'version', key: 'version', arg: false },
] as const;

export const timeout: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, { flags: 'v', withArg: 'ks', long: LONG, stopAtOperand: true });
  let termSignal = 'SIGTERM';
  let killAfterS = 0;
  let verbose = false;
  let foreground = false;
  let preserveStatus = false;
  const invalid = (msg: string) => { ctx.err(`timeout: ${msg}\n${TRY}`); return CANCELED; };
  for (const { key, value } of 'error' in parsed ? parsed.parsed : parsed.opts) {
    switch (key) {
      case 'help': ctx.out(HELP); return 0;
      case 'version': ctx.out(VERSION); return 0;
      case 'k': {
        const d = parseDuration(value);
        if (d === null) return invalid(`invalid time interval ${quoted(value)}`);
        killAfterS = d;
        break;
      }
      case 's': {
        const sig = parseTimeoutSignal(value);
        if (sig === null) return invalid(`${quoted(value)}: invalid signal`);
        termSignal = sig;
        break;
      }
      case 'v': verbose = true; break;
      case 'foreground': foreground = true; break;
      case 'preserve-status': preserveStatus = true; break;
    }
  }
  if ('error' in parsed) { badOption(ctx, 'timeout', parsed.error); return CANCELED; }
  const operands = parsed.operands;
  if (operands.length < 2) { ctx.err(TRY); return CANCELED; }
  const durationS = parseDuration(operands[0]);
  if (durationS === null) return invalid(`invalid time interval ${quoted(operands[0])}`);
  const command = operands.slice(1);
  const cannot = execError(ctx, command[0]);
  if (cannot) { ctx.err(`timeout: failed to run command ${quoted(command[0])}: ${cannot.msg}\n`); return cannot.status; }

  const me = ctx.proc;
  const kernel = ctx.kernel;
  // What timeout catches it no longer ignores; its child starts with those at their defaults
  // (exec resets a handler, not an ignore), and ignores the rest timeout ignored.
  const caught = new Set([...CLEANUP_SIGNALS, termSignal]);
  const inherited = new Set([...me.ignoredSignals ?? []].filter((s) => !caught.has(s)));
  me.ignoredSignals = new Set([...inherited, 'SIGTTIN', 'SIGTTOU']);
  const sub = ctx.shell.helper(me, { stdin: ctx.stdin, stdout: me.stdout, stderr: me.stderr });
  const launched = yield* sub.startCommand(command, { stdin: ctx.stdin, stdout: me.stdout, stderr: me.stderr }, { env: ctx.env, ignored: inherited });
  if ('code' in launched) return launched.code;
  const child = launched.rec;

  let timedOut = false;
  let killAfter = killAfterS;
  /** Signals sent to the group, which timeout then ignores itself (send_sig's SIG_IGN). */
  const ignoredNow = new Set<string>();
  let alarm = 0;
  const settimeout = (seconds: number) => {
    const id = ++alarm;
    // A duration of 0 disarms; one too long for a timer never comes.
    if (!(seconds > 0) || !Number.isFinite(seconds) || seconds * 1000 > Number.MAX_SAFE_INTEGER) return;
    kernel.at(kernel.now + seconds * 1000, () => { if (id === alarm && me.state === 'running') cleanup('SIGALRM'); });
  };
  /** The process group, as timeout's descendants (the child and what it started). */
  const group = (): ProcRecord[] => kernel.processesOn(ctx.host).filter((p) => p.pid !== me.pid && descendsFrom(p, me.pid));
  const descendsFrom = (p: ProcRecord, ancestor: number): boolean => {
    for (let q: ProcRecord | undefined = p, hops = 0; q && hops < 1000; q = kernel.procs.get(q.ppid), hops++) if (q.ppid === ancestor) return true;
    return false;
  };
  /** kill(0, sig): to the group as it was when timeout began to signal (`members`). */
  const sendToGroup = (sig: string, members: readonly ProcRecord[]) => {
    if (sig !== 'SIGKILL') ignoredNow.add(sig);
    for (const p of members) signal(p.pid, sig);
    // timeout is in its group: it cannot ignore KILL.
    if (sig === 'SIGKILL') kernel.signal(me.pid, 'SIGKILL');
  };
  const signal = (pid: number, sig: string) => { if (sig !== 'SIG0') kernel.signal(pid, sig); };
  /** timeout's cleanup(): the alarm, or a signal it caught. */
  const cleanup = (received: string) => {
    let sig = received;
    if (sig === 'SIGALRM') { timedOut = true; sig = termSignal; }
    if (killAfter) {
      termSignal = 'SIGKILL';
      settimeout(killAfter);
      killAfter = 0;
    }
    if (verbose) ctx.err(`timeout: sending signal ${shortName(sig)} to command ${quoted(command[0])}\n`);
    // Who is in the group is taken first: a process whose parent the signal ends stays in it.
    const members = foreground ? [] : group();
    signal(child.pid, sig);
    if (!foreground) {
      sendToGroup(sig, members);
      if (sig !== 'SIGKILL' && sig !== 'SIGCONT' && me.state === 'running') {
        signal(child.pid, 'SIGCONT');
        sendToGroup('SIGCONT', members);
      }
    }
  };
  me.catchSignal = (sig) => {
    if (ignoredNow.has(sig)) return true;
    if (!caught.has(sig)) return false;
    cleanup(sig);
    return true;
  };
  settimeout(durationS);

  const [code, killedBy]: [number, string | null] = yield waitExit(child);
  alarm++;
  me.catchSignal = undefined;
  let status = code;
  if (killedBy) {
    if (!timedOut) {
      // It dies of the signal its command died of.
      if (me.ignoredSignals) me.ignoredSignals = new Set([...me.ignoredSignals].filter((s) => s !== killedBy));
      kernel.signal(me.pid, killedBy);
      return code;
    }
    if (killedBy === 'SIGKILL') preserveStatus = true;
  }
  if (timedOut && !preserveStatus) status = TIMED_OUT;
  return status;
};
