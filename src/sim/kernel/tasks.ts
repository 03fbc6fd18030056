/**
 * Kernel-side coroutines (the shell, coreutils, cron). They are generators, not async
 * functions: a task yields a `Wait` (sleep, a process's exit, a pipe's next chunk, a terminal
 * line) and the kernel resumes it from an event at the virtual time the wait is over. No
 * promise or microtask is involved, so kernel code stays synchronous and its effects are
 * stamped with the right virtual time.
 */

/** Register a resumption; may return a function that cancels the wait. */
export type Wait = (resume: (value: any) => void) => (() => void) | void;

export type TaskGen<T = unknown> = Generator<Wait, T, any>;

export interface TaskScheduler {
  /** Run `fn` as a kernel event at the current virtual time. */
  soon(fn: () => void): void;
}

export class Task<T = unknown> {
  private cancelWait: (() => void) | null = null;
  /** Suspended in a wait that has not resumed it yet. */
  private waiting = false;
  /** Counts waits: a resumption from a wait that `raise` abandoned is stale. */
  private waitSeq = 0;
  /** An error `raise` will throw into the generator at its next step. */
  private raised: { error: unknown } | null = null;
  done = false;
  result: T | undefined;
  private readonly onDone: ((r: T | undefined, error: unknown) => void)[] = [];

  constructor(private readonly sched: TaskScheduler, private readonly gen: TaskGen<T>) {}

  start(): this {
    this.sched.soon(() => this.step(undefined));
    return this;
  }

  then(fn: (r: T | undefined, error: unknown) => void): void {
    if (this.done) fn(this.result, null);
    else this.onDone.push(fn);
  }

  private step(value: unknown, throwIt = false): void {
    if (this.done) return;
    if (this.raised) {
      value = this.raised.error;
      throwIt = true;
      this.raised = null;
    }
    let r: IteratorResult<Wait, T>;
    try {
      r = throwIt ? this.gen.throw(value) : this.gen.next(value);
    } catch (e) {
      this.finish(undefined, e);
      return;
    }
    if (r.done) { this.finish(r.value, null); return; }
    // Raised while it ran: thrown at the wait it just reached, which is never registered.
    if (this.raised) { this.sched.soon(() => this.step(undefined)); return; }
    const seq = ++this.waitSeq;
    let resumed = false;
    const cancel = r.value((v) => {
      if (resumed || this.done || seq !== this.waitSeq) return;
      resumed = true;
      this.waiting = false;
      this.cancelWait = null;
      this.sched.soon(() => this.step(v));
    });
    if (!resumed) {
      this.waiting = true;
      this.cancelWait = cancel ?? null;
    }
  }

  /**
   * Throw `error` into the generator where it waits (a signal ending a shell that must still
   * run its EXIT trap): the wait is cancelled and never resumes it. While the task runs, or
   * with a resumption already due, the error is thrown at its next step instead.
   */
  raise(error: unknown): void {
    if (this.done || this.raised) return;
    this.raised = { error };
    if (!this.waiting) return;
    this.waiting = false;
    this.waitSeq++;
    const cancel = this.cancelWait;
    this.cancelWait = null;
    cancel?.();
    this.sched.soon(() => this.step(undefined));
  }

  /** Stop the task (Ctrl-C, kill, power-off); its finally blocks run. */
  cancel(): void {
    if (this.done) return;
    this.cancelWait?.();
    this.cancelWait = null;
    this.waiting = false;
    try { this.gen.return(undefined as T); } catch { /* a finally block failed: the task ends anyway */ }
    this.finish(undefined, null);
  }

  private finish(r: T | undefined, error: unknown): void {
    if (this.done) return;
    this.done = true;
    this.result = r;
    for (const f of this.onDone.splice(0)) f(r, error);
  }
}
