/**
 * How a shell takes the signals sent to its process, as bash does: a trapped one is held for
 * its trap, the others get bash's dispositions (ignored, the line abandoned, the shell ended),
 * and a SIGINT that comes while the shell waits for a foreground child is decided once that
 * child is over (bash's "wait and cooperative exit").
 */
import type { ProcRecord } from '../kernel/process';
import type { TaskGen } from '../kernel/tasks';
import { waitExit, type Jobs } from './jobs';
import { EXIT_TRAP_SIGNALS, type Traps } from './traps';
import { FatalSignal, Interrupted } from './unwind';

/** What signal reception needs of its shell. */
export interface ReceptionShell {
  readonly proc: ProcRecord;
  readonly interactive: boolean;
  readonly traps: Traps;
  readonly jobs: Jobs;
  status: number;
  /** Write on the standard output of the moment. */
  out(text: string): void;
}

export class SignalReception {
  /** Reading a line at the prompt. */
  atPrompt = false;
  /** Waiting for a foreground child (not a command bash runs itself): a SIGINT then waits for it. */
  waitingForChild = false;
  /** A SIGINT came while the shell waited for a foreground child. */
  private sigintWhileWaiting = false;

  constructor(private readonly sh: ReceptionShell) {}

  /**
   * A signal for this shell's process that it does not ignore (the kernel asks before the
   * default action); true when the shell takes care of it. A trapped signal's trap runs at
   * the next point bash runs traps (after the command running now, or the foreground job it
   * waits for); it ends a `wait`, and Ctrl-C's at the prompt. Untrapped: a non-interactive
   * shell ignores SIGQUIT, holds a SIGINT until the foreground job it waits for is over
   * (afterForeground), and dies of the signals on which bash runs its EXIT trap; an
   * interactive one ignores SIGTERM and SIGQUIT, abandons its line on SIGINT, and passes
   * SIGHUP on to its jobs before it dies of it. The other signals take their default action.
   */
  receive(sig: string): boolean {
    const { interactive, traps, jobs } = this.sh;
    const raise = this.sh.proc.raise;
    if (!raise) return false;
    if (traps.trapped(sig)) {
      traps.signalCame(sig);
      if (interactive && sig === 'SIGINT' && this.atPrompt) raise(new Interrupted());
      jobs.signalCame(sig);
      return true;
    }
    if (sig === 'SIGQUIT' || (interactive && sig === 'SIGTERM')) return true;
    if (sig === 'SIGINT') {
      if (this.waitingForChild) this.sigintWhileWaiting = true;
      else raise(interactive ? new Interrupted() : new FatalSignal(sig));
      return true;
    }
    if (!EXIT_TRAP_SIGNALS.has(sig)) return false;
    if (interactive && sig === 'SIGHUP') jobs.hangUp();
    raise(new FatalSignal(sig));
    return true;
  }

  /**
   * After waiting for a foreground job: a SIGINT that killed it or came meanwhile. An
   * interactive shell abandons the rest of its line (with SIGINT trapped, it goes on after a
   * newline); a non-interactive one dies of a SIGINT it got while the job, which it killed
   * too, ran — one that handled it and exited normally lets the shell go on (bash's "wait and
   * cooperative exit"); a trapped SIGINT's trap runs next instead.
   */
  afterForeground(killedBySigint: boolean): void {
    const sigint = this.sigintWhileWaiting;
    this.sigintWhileWaiting = false;
    if (this.sh.interactive) {
      if (!killedBySigint && !sigint) return;
      if (this.sh.traps.trapped('SIGINT')) {
        if (killedBySigint) this.sh.out('\n');
        return;
      }
      this.sh.status = 130;
      throw new Interrupted();
    }
    if (sigint && killedBySigint) throw new FatalSignal('SIGINT');
  }

  /**
   * Wait for foreground process `rec` (`forks`: a child bash waits for, not a command it runs
   * itself), then take a SIGINT that killed it or came meanwhile (afterForeground).
   */
  *waitForeground(rec: ProcRecord, forks: boolean): TaskGen<[number, string | null]> {
    let ended: [number, string | null];
    this.waitingForChild = forks;
    try {
      ended = yield waitExit(rec);
    } finally {
      this.waitingForChild = false;
    }
    this.afterForeground(ended[1] === 'SIGINT');
    return ended;
  }
}
