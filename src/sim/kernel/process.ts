/**
 * The kernel's process table entries, pipes, and where a process's standard streams go.
 *
 * Processes come in three kinds:
 *   - `program`: a ProgramMain running in a runtime slot (redis-server, redis-cli...);
 *   - `child`: forked by a program (redis-rdb-bgsave), running in its parent's slot;
 *   - `builtin`/`shell`/`system`: kernel-side (the shell, coreutils run by it, cron, init).
 *     They have pids and show in `ps` like real ones, but run as kernel tasks.
 */
import type { Host } from './host';
import type { Inode } from './disk';

export interface Terminal {
  readonly id: number;
  readonly host: Host;
  /** Text for the terminal (byte string; the UI decodes UTF-8). */
  write(text: string): void;
  /** Queue a request for the next input line (the shell, or a process reading its tty). */
  requestLine(reader: LineReader): void;
  cancelReader(pid: number): void;
  /** Foreground process ids (Ctrl-C goes to them). */
  readonly foreground: Set<number>;
  readonly name: string;
  /**
   * Its size in characters: 120x24 until the page's terminal tells its own (a `resize` input).
   * Programs started on it are told the columns; a login shell keeps COLUMNS and LINES.
   */
  readonly columns: number;
  readonly lines: number;
}

export interface LineReader {
  pid: number;
  prompt: string;
  mask: boolean;
  /**
   * A line editor in raw mode (linenoise: redis-cli's prompt): Ctrl-C is a key it reads, not a
   * SIGINT; the read ends with nothing (null) after a newline.
   */
  raw?: boolean;
  /** Line without its newline, or null at end of input (Ctrl-D). */
  resume: (line: string | null) => void;
}

export class Pipe {
  private chunks: string[] = [];
  private writers = 0;
  readerClosed = false;
  private waiters: ((chunk: string | null) => void)[] = [];
  /** Total bytes ever written (statistics). */
  bytes = 0;

  addWriter(): void { this.writers++; }

  closeWriter(): void {
    if (this.writers === 0) return;
    this.writers--;
    if (this.writers === 0) {
      const w = this.waiters;
      this.waiters = [];
      for (const r of w) r(this.takeAll());
    }
  }

  /** False when nobody will ever read it (the writer would get SIGPIPE). */
  write(text: string): boolean {
    if (this.readerClosed) return false;
    if (text.length === 0) return true;
    this.bytes += text.length;
    const w = this.waiters.shift();
    if (w) w(text);
    else this.chunks.push(text);
    return true;
  }

  private takeAll(): string | null {
    if (this.chunks.length === 0) return null;
    const s = this.chunks.join('');
    this.chunks = [];
    return s;
  }

  /** The next chunk (everything buffered), or null at end of input. */
  read(resume: (chunk: string | null) => void): void {
    if (this.chunks.length > 0) { resume(this.takeAll()); return; }
    if (this.writers === 0) { resume(null); return; }
    this.waiters.push(resume);
  }

  /** A reader waiting for the next chunk gives up (a signal interrupted it). */
  cancelRead(resume: (chunk: string | null) => void): void {
    const i = this.waiters.indexOf(resume);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  /** Give back the part of a chunk the reader did not use (`read` takes one line). */
  unread(text: string): void {
    if (text.length > 0) this.chunks.unshift(text);
  }

  closeReader(): void {
    this.readerClosed = true;
    this.chunks = [];
  }
}

export type Sink =
  | { kind: 'tty'; term: Terminal }
  | { kind: 'pipe'; pipe: Pipe }
  | { kind: 'file'; host: Host; path: string; inode: Inode }
  | { kind: 'buffer'; chunks: string[] }
  /** /proc/sysrq-trigger: each character written is a magic SysRq key for the host. */
  | { kind: 'sysrq'; trigger: (key: string) => void }
  | { kind: 'null' };

export type Source =
  | { kind: 'tty'; term: Terminal }
  | { kind: 'pipe'; pipe: Pipe }
  /** `file`: the text is a regular file's (`< file`), as fstat would tell (wc sizes its columns by it). */
  | { kind: 'text'; text: string | null; file?: boolean }
  | { kind: 'null' };

/** Debian's umask for root (login.defs, pam_umask): new files 0644, new directories 0755. */
export const DEFAULT_UMASK = 0o022;

/** The mode open(2) with O_CREAT and 0666 (as the shell's `>` and coreutils ask) gives under `umask`. */
export function newFileMode(umask: number): number { return 0o666 & ~umask; }

/** The mode mkdir(2) with 0777 gives under `umask`. */
export function newDirMode(umask: number): number { return 0o777 & ~umask; }

/** A thread of a process, but its first (see ProcRecord.threads). */
export interface ThreadRecord {
  /** Its id (ps's LWP, SPID, TID): a pid of the host's pid space. */
  tid: number;
  /** Its name (pthread_setname_np), ps's comm for its row: 15 bytes at most. */
  comm: string;
  startT: number;
  /** Its number within its process (the Os numbers them from 1). */
  n: number;
}

export type ProcKind = 'program' | 'child' | 'builtin' | 'shell' | 'system';

export interface ProcRecord {
  pid: number;
  ppid: number;
  /**
   * Its process group: its parent's (fork keeps it), its own pid for a process started by
   * init (a session's first); a shell with job control puts each job in a group of its own,
   * named after the job's first process (setpgid).
   */
  pgid: number;
  /**
   * Its session: its parent's (fork keeps it), its own pid for a process started by init, a
   * login shell (login and sshd call setsid for it) and a daemon (setsid). ps's SID, and its
   * STAT's 's' (a session leader).
   */
  sid: number;
  host: Host;
  kind: ProcKind;
  /** What ps shows in the COMMAND column. */
  title: string;
  /**
   * The kernel's name of the process (ps's comm, pgrep's match) when it is not its argv[0]'s: a
   * forked child keeps its parent's (a BGSAVE child is `redis-server`) until it execs.
   */
  comm?: string;
  argv: string[];
  program: string;
  cwd: string;
  /**
   * The permission bits its new files and directories do not get (umask(2)): inherited from
   * its parent when it starts, changed by a shell's `umask`.
   */
  umask: number;
  user: string;
  startT: number;
  /** Virtual time the process ended (Infinity while running). */
  deathT: number;
  state: 'running' | 'exited';
  exitCode: number | null;
  exitSignal: string | null;
  /** CPU time its runtime charged, in user space and in the kernel (ps's TIME is both). */
  cpuUserMs: number;
  cpuSysMs: number;
  stdin: Source;
  stdout: Sink;
  stderr: Sink;
  tty: Terminal | null;
  /** The runtime slot running its code (program and child kinds). */
  slot: number | null;
  /** Open files by the process's handle id. */
  files: Map<number, { inode: Inode; path: string } | null>;
  /** Called once when the process ends (shell waiting for a foreground job...). */
  waiters: ((code: number, signal: string | null) => void)[];
  /** Kernel-side processes: how to stop them (cancel the task). */
  cancel?: (signal: string) => void;
  /** Kernel-side processes: throw an error into the task where it waits (Task.raise). */
  raise?: (error: unknown) => void;
  /**
   * A kernel-side process that decides about its signals itself (a shell: its traps, what
   * bash ignores, the EXIT trap it runs before dying): called for each signal it does not
   * ignore but SIGKILL and SIGSTOP; false lets the signal take its default action.
   */
  catchSignal?: (signal: string) => boolean;
  /**
   * The errno of the last write to a file that failed (a /proc/sys tunable refusing a value),
   * for the command to report; commands take it (shell/context.ts takeWriteError).
   */
  writeError?: string;
  /**
   * Its threads but the first (Os.startThread: Redis's bio, I/O and jemalloc threads), in the
   * order they started: `ps -L`'s rows after the process's own. The process's own thread has
   * its pid for id. None for a process that never started one, nor for a forked child.
   */
  threads?: ThreadRecord[];
  /** Resident memory shown by ps (KiB). */
  rssKb: number;
  vszKb: number;
  /** Background job started with `&`. */
  background: boolean;
  /**
   * The process daemonized: it left its terminal and whoever waited for it was told it exited
   * 0 (a real daemon forks and its parent exits). It keeps running under init.
   */
  detached?: boolean;
  /** Forked by a program, whose code hears of its end (kept across an exec). */
  forked?: boolean;
  /** Stopped by SIGSTOP until SIGCONT (ps shows T): its code runs no event meanwhile. */
  stopped?: boolean;
  /**
   * Signals the process ignores (SIG_IGN), which the processes it starts inherit: a shell's
   * `trap '' SIG`, the SIGINT and SIGQUIT of a non-interactive shell's background jobs. A
   * program's own handlers override them (runtime/process-os.ts); SIGKILL and SIGSTOP cannot
   * be ignored.
   */
  ignoredSignals?: ReadonlySet<string>;
}
