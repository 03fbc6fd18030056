/**
 * The shell's background jobs: what it started with `&` and follows until it ends, how it
 * reports them (the interactive `[1]+  Done` lines, a script's `name: line N:` lines of a job a
 * signal killed, what it says of a foreground job a signal killed), the `wait` and `jobs`
 * builtins, and the waits for a process's exit.
 */
import { builtinOptions } from './builtin-options';
import type { Kernel } from '../kernel/kernel';
import type { ProcRecord } from '../kernel/process';
import type { TaskGen, Wait } from '../kernel/tasks';
import { signalInfo, signalNumber } from '../../engine/util/signals';
import { longJobListing, processStatus, type JobProcess } from './job-status';

/** A command started: its process, or the status of one that was done at once (a builtin, an error). */
export type Launched = { rec: ProcRecord } | { code: number };

/**
 * A background job. `procs`: its processes with their commands' texts and, once ended, their
 * statuses (a non-interactive shell reports a job a signal killed, see notify). `doneAtMs`:
 * the virtual time it ended; `reaped`: the shell has noticed that it ended (see reap).
 * `notified`: bash's J_NOTIFIED, the shell has told of its state as it is now (`jobs` listed
 * it, `wait` waited for it, a script reported the signal that killed it); an ended job that
 * is notified is no longer listed and goes at the shell's next cleanup (cleanup).
 */
export interface Job { id: number; pids: number[]; pgid: number; text: string; done: boolean; doneAtMs: number; reaped: boolean; status: string; reported: boolean; notified: boolean; procs: JobProcess[]; signal: string | null }

/** How bash names an ambiguous jobspec (`%sl`, `%?ee`) in its error: what follows its `%` or `%?`. */
export function ambiguousJobName(spec: string): string {
  return spec.slice(spec.startsWith('%?') ? 2 : 1);
}

/** `jobs`'s usage line, which it prints after an invalid option. */
const JOBS_USAGE = 'jobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]\n';

/** What the jobs need of their shell. */
export interface JobsShell {
  readonly kernel: Kernel;
  /** The shell's process (its process group is its jobs' without job control). */
  readonly proc: ProcRecord;
  readonly interactive: boolean;
  /** Whether a signal has a trap that runs a command. */
  trapped(sig: string): boolean;
  /** Write on the standard output of the moment. */
  out(text: string): void;
  /** Write on the standard error of the moment. */
  errOut(text: string): void;
  /** `bash: ` or `x.sh: line 3: ` (`line`: another line than the current command's). */
  errorPrefix(line?: number): string;
  /**
   * The shell was started to run a text given with -c (`bash -c`, `sh -c`, a line the world
   * runs), or is a subshell of one: bash's startup_state 2.
   */
  readonly runsCommandText: boolean;
}

/** Wait for a process's exit: resumes with its [status, signal]. */
export function waitExit(rec: ProcRecord): Wait {
  return (resume) => {
    if (rec.state === 'exited') { resume([rec.exitCode ?? 0, rec.exitSignal]); return; }
    // A daemon's "parent" exited 0 when it detached.
    if (rec.detached) { resume([0, null]); return; }
    const fn = (code: number, signal: string | null) => resume([code, signal]);
    rec.waiters.push(fn);
    return () => { const i = rec.waiters.indexOf(fn); if (i >= 0) rec.waiters.splice(i, 1); };
  };
}

/**
 * How many jobs a shell lists before it drops the ended ones it still holds to make room
 * (bash compacts its table at 4096 slots, MAX_JOBS_IN_ARRAY; it then keeps CHILD_MAX ended
 * processes, which is more on a real machine): a script starting thousands of background jobs
 * it never waits for keeps a bounded list.
 */
const MAX_JOBS = 4096;

export class Jobs {
  private list: Job[] = [];
  /** `%+` and `%-`: the newest job, and the newest one older than it that was running when it started (bash's set_current_job). */
  private current: Job | null = null;
  private previous: Job | null = null;
  private nextId = 1;
  /** The status each background job's last process ended with, by pid, for `wait PID` after the job was reported. */
  private readonly bgStatus = new Map<number, number>();
  /** `$!`: the pid of the last background job's last process; 0 before the first. */
  lastBgPid = 0;
  /** Set while the `wait` builtin waits: a trapped signal ends the wait (status 128+n). */
  private wakeWait: ((signal: string) => void) | null = null;
  /**
   * The shell says nothing of its jobs, background or foreground: it runs a `$(…)` (bash's
   * notify_of_job_status in a shell started for a command substitution; a subshell it starts
   * speaks again), or it is a subshell of an interactive shell (bash's interactive_shell is
   * still set there, and notify_and_cleanup does nothing).
   */
  quiet = false;

  constructor(private readonly sh: JobsShell) {}

  /** A new job running `text`, numbered now; followed once its processes are started (follow…, started). */
  create(text: string): Job {
    return { id: this.nextId++, pids: [], pgid: 0, text, done: false, doneAtMs: 0, reaped: false, status: 'Running', reported: false, notified: false, procs: [], signal: null };
  }

  /**
   * The jobs of `parent` as they are now, for a forked child that keeps bash's job table (a
   * `$(…)`, and `jobs` alone as a pipeline's command: bash's jobs_hack). They are copies: they
   * do not end in the child, and what it lists or forgets stays there.
   */
  inheritFrom(parent: Jobs): void {
    const copies = new Map(parent.list.map((j) => [j, { ...j, pids: [...j.pids], procs: j.procs.map((p) => ({ ...p })) }]));
    this.list = [...copies.values()];
    this.current = parent.current && (copies.get(parent.current) ?? null);
    this.previous = parent.previous && (copies.get(parent.previous) ?? null);
    this.nextId = parent.nextId;
    this.lastBgPid = parent.lastBgPid;
  }

  /**
   * A job named by a jobspec (`%2`, `%%`, `%+`, `%`, `%-`, `%sle` by the start of its command,
   * `%?le` by a part of it): null when none is, `ambiguous` when more than one job's command
   * fits.
   */
  find(spec: string): Job | 'ambiguous' | null {
    const s = spec.slice(1);
    if (s === '' || s === '%' || s === '+') return this.current;
    if (s === '-') return this.previous;
    if (/^\d+$/.test(s)) return this.list.find((j) => j.id === Number(s)) ?? null;
    const matches = s.startsWith('?') ? this.list.filter((j) => j.text.includes(s.slice(1))) : this.list.filter((j) => j.text.startsWith(s));
    return matches.length > 1 ? 'ambiguous' : matches[0] ?? null;
  }

  /**
   * bash's cleanup_dead_jobs: the ended jobs the shell has told of are dropped. A script does
   * it when it has waited for a child (a foreground command, a `$(…)`, `wait`), starts a job, or
   * has run `jobs`; so a job `wait %1` waited for is still there for a second `wait %1` until then.
   */
  cleanup(): void {
    if (this.list.some((j) => j.done && j.notified)) this.forget((j) => j.done && j.notified);
  }

  /** The job is a pipeline, started as `launched` (`texts`: each command as written). */
  followPipeline(job: Job, launched: Launched[], texts: readonly string[]): void {
    const procs = launched.flatMap((l, i) => ('rec' in l ? [{ rec: l.rec, text: texts[i] ?? '' }] : []));
    job.pids = procs.map((p) => p.rec.pid);
    job.pgid = procs[0]?.rec.pgid ?? this.sh.proc.pgid;
    job.procs = procs.map((p) => ({ pid: p.rec.pid, status: 'Running', text: p.text }));
    const last = launched[launched.length - 1];
    for (const p of procs) p.rec.background = true;
    // The job is done when all its processes are; its status is its last one's.
    let running = procs.length;
    const ended = () => {
      if (--running > 0) return;
      if ('rec' in last) this.finish(job, last.rec.exitCode ?? 0, last.rec.exitSignal);
      else this.finish(job, last.code, null);
    };
    procs.forEach((p, k) => {
      const end = (code: number, signal: string | null) => { job.procs[k].status = processStatus(code, signal); ended(); };
      if (p.rec.state === 'exited') end(p.rec.exitCode ?? 0, p.rec.exitSignal);
      else p.rec.waiters.push(end);
    });
    if (procs.length === 0 && !('rec' in last)) this.finish(job, last.code, null);
  }

  /** The job is a subshell (a list: `a && b &`) in process `rec`. */
  followSubshell(job: Job, rec: ProcRecord): void {
    job.pids = [rec.pid];
    job.pgid = rec.pgid;
    job.procs = [{ pid: rec.pid, status: 'Running', text: job.text }];
    rec.waiters.push((code, signal) => { job.procs[0].status = processStatus(code, signal); this.finish(job, code, signal); });
  }

  private finish(job: Job, code: number, signal: string | null): void {
    job.done = true;
    // A new state, not told of yet.
    job.notified = false;
    job.doneAtMs = this.sh.kernel.now;
    job.signal = signal;
    const pid = job.pids[job.pids.length - 1];
    if (pid !== undefined) {
      this.bgStatus.set(pid, code);
      // bash remembers as many as CHILD_MAX; a few hundred is plenty here.
      if (this.bgStatus.size > 512) this.bgStatus.delete(this.bgStatus.keys().next().value!);
    }
    job.status = processStatus(code, signal);
  }

  /** The job's processes are started: it is listed, and its last process is `$!`. */
  started(job: Job): void {
    this.lastBgPid = job.pids[job.pids.length - 1] ?? 0;
    this.list.push(job);
    // bash's reset_current picks the newest running job: this one, not reaped yet.
    this.setCurrent(job);
    if (this.list.length > MAX_JOBS) this.forget((j) => j.done && j !== this.previous && j !== job);
  }

  /**
   * Drop the jobs `which` picks (listed by `jobs`, waited for): a job's number is free again
   * once no later job holds one (the next is the highest left plus one). Dropping `%+` or `%-`
   * chooses them again (bash's reset_current): the newest running job is `%+`, or there is
   * none — an ended job left keeps no mark.
   */
  private forget(which: (j: Job) => boolean): void {
    const dropped = this.list.filter(which);
    if (dropped.length === 0) return;
    this.list = this.list.filter((j) => !which(j));
    this.nextId = (this.list[this.list.length - 1]?.id ?? 0) + 1;
    if (!dropped.some((j) => j === this.current || j === this.previous)) return;
    const newestRunning = this.list.filter((j) => !j.done).pop();
    if (newestRunning) this.setCurrent(newestRunning);
    else this.current = this.previous = null;
  }

  /**
   * `job` becomes `%+` (bash's set_current_job, no job being stopped here): `%-` is the newest
   * running job older than it, or it is both.
   */
  private setCurrent(job: Job): void {
    this.current = job;
    this.previous = this.list.slice(0, this.list.indexOf(job)).filter((j) => !j.done).pop() ?? job;
  }

  /**
   * The shell has noticed the end of the jobs that ended so far. bash learns of it from
   * SIGCHLD, a little after the job's last process died: a job killed by the shell's own
   * `kill` is still unknown to it as it goes on to its next line or `$(…)` (here the process
   * is gone at once). So it counts as noticed once the shell has waited for something (a
   * foreground job, a `$(…)`, `wait`), once its `kill` found the process gone, or once any
   * virtual time has passed since it ended (noticed).
   */
  reap(): void {
    for (const j of this.list) if (j.done) j.reaped = true;
  }

  /** Whether the shell has noticed that job `j` ended (reap): SIGCHLD came in the time since. */
  private noticed(j: Job): boolean {
    return j.reaped || (j.done && j.doneAtMs < this.sh.kernel.now);
  }

  /**
   * A non-interactive shell's word on the background jobs that ended since it last looked
   * (bash's notify_of_job_status): the `name: line N:` lines of those a signal killed — not
   * SIGINT, SIGTERM or SIGPIPE, nor a signal it traps. A job it looked at counts as told of
   * (and goes at the next cleanup), but for one that exited in a script, which only `jobs` or
   * `wait` tell of: a -c text's shell forgets those too. A quiet shell (a `$(…)`, a subshell of
   * an interactive one) says nothing and forgets every ended job but that of the last `&`.
   * bash looks after a foreground job, in `wait`, and each time it reads a line of input
   * (shell_getc: a script's or an eval's next line, and the text of a `$(…)`, which it parses
   * again in the shell itself before it forks it); `line`, the line it names, is then the line
   * being read.
   */
  notify(line?: number): void {
    if (this.sh.interactive) return;
    for (const j of this.list) {
      if (!this.noticed(j) || j.notified) continue;
      const sig = j.signal;
      if (this.quiet) {
        if (j.pids[j.pids.length - 1] !== this.lastBgPid) j.notified = true;
        continue;
      }
      if (sig === null && !this.sh.runsCommandText) continue;
      j.notified = true;
      if (sig === null || sig === 'SIGINT' || sig === 'SIGTERM' || sig === 'SIGPIPE' || this.sh.trapped(sig)) continue;
      this.sh.errOut(`${this.sh.errorPrefix(line)}${longJobListing(j.procs)}`);
    }
  }

  /**
   * A non-interactive shell reads a line of input (bash's shell_getc): it tells of the jobs
   * that ended (notify, naming line `line`) and forgets those told of (cleanup).
   */
  lineRead(line: number): void {
    if (this.sh.interactive) return;
    this.notify(line);
    this.cleanup();
  }

  /**
   * A foreground job has ended (bash's wait_for, not for a `$(…)`): the shell has noticed
   * the ends of the background jobs too, and says so — an interactive shell its `[1]+  Done`
   * lines at once, before the rest of the line runs; a script its lines of the killed ones.
   */
  foregroundEnded(): void {
    this.reap();
    if (this.sh.interactive) this.report();
    else { this.notify(); this.cleanup(); }
  }

  /** A `$(…)` has ended: the shell waited for it (bash's wait_for, which cleans up). */
  substitutionEnded(): void {
    this.reap();
    if (!this.sh.interactive) this.cleanup();
  }

  /** The interactive shell's `[1]+  Done  cmd` lines (before a prompt, after a foreground job) of the jobs that ended; they are forgotten. */
  report(): void {
    for (const j of this.list) {
      if (!j.done || j.reported) continue;
      j.reported = true;
      const cur = this.list.filter((x) => !x.reported || x === j).pop() === j ? '+' : '-';
      this.sh.errOut(`[${j.id}]${cur}  ${j.status.padEnd(24)}${j.text.replace(/\s*&$/, '')}\n`);
    }
    this.forget((j) => j.done && j.reported);
  }

  /**
   * What bash says when a signal killed the foreground job's last process: an interactive
   * shell its strsignal text (`Killed`); a non-interactive one the `name: line N:` line of the
   * job's processes (pid, status, command), but the text alone for SIGTERM or a signal it
   * traps; nothing for SIGINT and SIGPIPE.
   */
  reportForeground(sig: string, code: number, procs: JobProcess[]): void {
    if (this.quiet || sig === 'SIGINT' || sig === 'SIGPIPE') return;
    const text = signalInfo(sig)?.description ?? sig;
    if (this.sh.interactive) {
      // A process that exited 0 on its own after a SIGTERM was no kill to report.
      if (!(sig === 'SIGTERM' && code === 0)) this.sh.errOut(`${text}\n`);
    } else if (sig === 'SIGTERM' || this.sh.trapped(sig)) this.sh.errOut(`${text}\n`);
    else this.sh.errOut(`${this.sh.errorPrefix()}${longJobListing(procs)}`);
  }

  /** An interactive shell's SIGHUP: passed on to the jobs still running before it dies of it. */
  hangUp(): void {
    for (const j of this.list) if (!j.done) for (const pid of j.pids) this.sh.kernel.signal(pid, 'SIGHUP');
  }

  /** A trapped signal came: it ends a `wait` that is waiting. */
  signalCame(sig: string): void {
    this.wakeWait?.(sig);
  }

  /** `wait [PID|%JOB…]`: a trapped signal ends the wait at once with 128+n (its trap runs next). */
  *waitBuiltin(argv: string[], err: (text: string) => void): TaskGen<number> {
    const kernel = this.sh.kernel;
    if (argv.length < 2) {
      for (const j of this.list) {
        for (const pid of j.pids) {
          const rec = kernel.procs.get(pid);
          if (!rec) continue;
          const r: [number, string | null] | string = yield this.waitJob(rec);
          if (typeof r === 'string') return 128 + (signalNumber(r) ?? 0);
        }
      }
      this.reap();
      this.notify();
      // Every job has ended and been waited for: a script forgets them (their statuses stay for
      // `wait PID`); an interactive shell tells of them at its next prompt first (report).
      if (!this.sh.interactive) this.forget((j) => j.done);
      return 0;
    }
    // wait PID|%JOB...: the status of the last one (128+n when a signal ended it).
    let code = 0;
    const waited: number[] = [];
    for (const spec of argv.slice(1)) {
      let pid: number;
      if (spec.startsWith('%')) {
        const job = this.find(spec);
        if (job === 'ambiguous') { err(`bash: wait: ${ambiguousJobName(spec)}: ambiguous job spec\n`); code = 127; continue; }
        if (!job || job.pids.length === 0) { err(`bash: wait: ${spec}: no such job\n`); code = 127; continue; }
        pid = job.pids[job.pids.length - 1];
      } else if (/^\d+$/.test(spec)) pid = Number(spec);
      else { err(`bash: wait: \`${spec}': not a pid or valid job spec\n`); code = 1; continue; }
      if (!this.list.some((j) => j.pids.includes(pid)) && !this.bgStatus.has(pid)) {
        err(`bash: wait: pid ${pid} is not a child of this shell\n`);
        code = 127;
        continue;
      }
      const rec = kernel.procs.get(pid);
      if (rec && rec.state === 'running') {
        const r: [number, string | null] | string = yield this.waitJob(rec);
        if (typeof r === 'string') return 128 + (signalNumber(r) ?? 0);
        code = r[0];
      } else code = this.bgStatus.get(pid) ?? kernel.exited.find((p) => p.pid === pid)?.exitCode ?? 0;
      waited.push(pid);
    }
    this.reap();
    this.notify();
    // A script cleans up as it waited (the jobs told of before, a job a signal killed), then
    // counts the jobs it waited for as told of: they go at its next cleanup, so a second
    // `wait %1` right after the first still finds the job (`wait PID` keeps its status after).
    if (!this.sh.interactive) {
      this.cleanup();
      for (const j of this.list) if (j.done && j.pids.some((pid) => waited.includes(pid))) j.notified = true;
    } else this.forget((j) => j.done && j.pids.some((pid) => waited.includes(pid)));
    return code;
  }

  /**
   * `jobs [-lnprs] [jobspec…]`: each job, `+` on the current one and `-` on the previous; a
   * running one with its `&`, an ended one with its status, which the shell has then told of
   * and drops (cleanup). -l adds the processes' pids, one line each; -p prints only the job's
   * first process; -n only the jobs not told of since they changed; -r and -s only the running
   * and the stopped ones. The last of -l, -p and -n counts.
   *
   * `jobs -x command [args]`: the command to run instead (`execute`), each jobspec among its
   * words replaced by its job's process group (bash's expand_and_execute); the shell runs it
   * as a simple command whose words are not expanded again.
   */
  jobsBuiltin(argv: string[], err: (text: string) => void): number | { execute: string[] } {
    const parsed = builtinOptions(argv, 'lpnxrs');
    let form: 'standard' | 'long' | 'pids' | 'changed' = 'standard';
    let state: 'running' | 'stopped' | null = null;
    let execute = false;
    // bash reads the options in order: -x after -l, -p or -n fails before a bad letter after it.
    for (const { letter } of 'invalid' in parsed ? parsed.before : parsed.options) {
      if (letter === 'x') {
        if (form !== 'standard') { err(`${this.sh.errorPrefix()}jobs: no other options allowed with \`-x'\n`); return 1; }
        execute = true;
      } else if (letter === 'l') form = 'long';
      else if (letter === 'p') form = 'pids';
      else if (letter === 'n') form = 'changed';
      else if (letter === 'r') state = 'running';
      else state = 'stopped';
    }
    if ('invalid' in parsed) { err(`${this.sh.errorPrefix()}jobs: ${parsed.invalid}: invalid option\n${JOBS_USAGE}`); return 2; }
    if (execute) return { execute: argv.slice(parsed.operands).map((word) => this.processGroupOf(word, err)) };
    const specs = argv.slice(parsed.operands);
    const listed = (j: Job) => {
      const mark = j === this.current ? '+' : j === this.previous ? '-' : ' ';
      if (form === 'pids') this.sh.out(`${j.pids[0] ?? ''}\n`);
      else if (form === 'long' && j.procs.length > 0) {
        const procs = j.procs.map((p, k) => ({ ...p, text: p.text.replace(/\s*&$/, '') + (!j.done && k === j.procs.length - 1 ? ' &' : '') }));
        this.sh.out(`[${j.id}]${mark} ${longJobListing(procs)}`);
      } else {
        const text = j.text.replace(/\s*&$/, '');
        this.sh.out(`[${j.id}]${mark}  ${(j.done ? j.status : 'Running').padEnd(24)}${j.done ? text : `${text} &`}\n`);
      }
      if (form !== 'pids') { j.notified = true; if (j.done) j.reported = true; }
    };
    let code = 0;
    // Each jobspec in turn, its job or its error.
    for (const spec of specs) {
      const job = spec.startsWith('%') ? this.find(spec) : null;
      if (job === 'ambiguous') err(`${this.sh.errorPrefix()}jobs: ${ambiguousJobName(spec)}: ambiguous job spec\n`);
      if (job === null || job === 'ambiguous') { err(`${this.sh.errorPrefix()}jobs: ${spec}: no such job\n`); code = 1; continue; }
      listed(job);
      // bash's list_one_job cleans up after each job it lists.
      if (!this.sh.interactive) this.cleanup();
    }
    // Without any, every job but those ended and told of; -n those not told of; -r and -s by
    // state (nothing stops here). A script cleans up first (bash's list_all_jobs), so the
    // ended jobs listed stay until its next cleanup (the next line it reads, a foreground job).
    if (specs.length === 0) {
      if (!this.sh.interactive) this.cleanup();
      for (const j of this.list) {
        if ((j.done && j.notified) || (form === 'changed' && j.notified) || (state === 'stopped') || (state === 'running' && j.done)) continue;
        listed(j);
      }
    }
    if (this.sh.interactive) this.forget((j) => j.done && j.reported);
    return code;
  }

  /**
   * `jobs -x`'s word for `word`: a jobspec's job's process group; a word that names no job,
   * as it is (an ambiguous one after saying so).
   */
  private processGroupOf(word: string, err: (text: string) => void): string {
    if (!word.startsWith('%')) return word;
    const job = this.find(word);
    if (job === 'ambiguous') err(`${this.sh.errorPrefix()}jobs: ${ambiguousJobName(word)}: ambiguous job spec\n`);
    return job === null || job === 'ambiguous' ? word : String(job.pgid);
  }

  /** The `wait` builtin's wait for one process: its [status, signal], or the trapped signal that came first. */
  private waitJob(rec: ProcRecord): Wait {
    return (resume) => {
      let over = false;
      const finish = (value: unknown) => {
        if (over) return;
        over = true;
        this.wakeWait = null;
        resume(value);
      };
      const stop = waitExit(rec)(finish);
      if (over) return;
      this.wakeWait = (sig) => { stop?.(); finish(sig); };
      return () => { over = true; this.wakeWait = null; stop?.(); };
    };
  }
}
