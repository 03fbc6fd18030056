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
    let r: IteratorResult<Wait, T>;
    try {
      r = throwIt ? this.gen.throw(value) : this.gen.next(value);
    } catch (e) {
      this.finish(undefined, e);
      return;
    }
    if (r.done) { this.finish(r.value, null); return; }
    let resumed = false;
    const cancel = r.value((v) => {
      if (resumed || this.done) return;
      resumed = true;
      this.cancelWait = null;
      this.sched.soon(() => this.step(v));
    });
    if (!resumed) this.cancelWait = cancel ?? null;
  }

  /** Stop the task (Ctrl-C, kill, power-off); its finally blocks run. */
  cancel(): void {
    if (this.done) return;
    this.cancelWait?.();
    this.cancelWait = null;
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
