/**
 * A statechart state's timeout, on the process's Os clock.
 *
 * Redis's timeouts (repl-timeout on a replica's link, the sentinel's election and failover
 * timeouts) are conditions its timers check against the current time. Our machines name each
 * one as an event (REPL_TIMEOUT, STATE_TIMEOUT, …): a state that has one arms it when entered
 * and disarms it when left (entry and exit actions), and the transition on the event re-checks
 * Redis's condition with the times of that moment; if it does not hold yet (new I/O moved the
 * deadline), the transition re-enters the state, which arms the timer again for the time left.
 *
 * The machines do not use xstate's delayed transitions (`after`): those run on a clock object
 * xstate drives with its own timer API, and every timer of the engine goes through the Os, so a
 * simulated process's timeouts fire on virtual time and are recorded like any other timer.
 * `run` lets a caller wrap each firing (the sentinel runs it as a server event, so the work
 * after each event follows it).
 */
import type { Os, TimerId } from './os';

export class StateTimeout {
  private pending: TimerId | null = null;

  constructor(private readonly os: Os, private readonly run: (fire: () => void) => void = (fire) => fire()) {}

  /** Call `fire` in `ms`, replacing the timeout pending, if any (a state has one at a time). */
  arm(ms: number, fire: () => void): void {
    this.disarm();
    this.pending = this.os.setTimer(ms, () => {
      this.pending = null;
      this.run(fire);
    });
  }

  disarm(): void {
    if (this.pending === null) return;
    this.os.clearTimer(this.pending);
    this.pending = null;
  }
}
