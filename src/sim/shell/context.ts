/**
 * What a shell command sees: its process, its standard streams, the host and the kernel, and
 * a few world services (the editor, power, cron). Commands are kernel tasks (generators), so
 * a command that waits (sleep, reading a pipe) yields a `Wait` and resumes at the right
 * virtual time.
 */
import type { Kernel } from '../kernel/kernel';
import { latin1Bytes, bytesToLatin1 } from '../kernel/kernel';
import type { Host } from '../kernel/host';
import { newFileMode, type ProcRecord, type Source, type Terminal } from '../kernel/process';
import type { TaskGen, Wait } from '../kernel/tasks';
import { resolvePath } from '../runtime/paths';
import type { Shell } from './shell';

export interface ShellSys {
  kernel: Kernel;
  /** Program names runnable from the shell (the program registry). */
  hasProgram(name: string): boolean;
  /** Every program name (for Tab completion). */
  programNames(): Iterable<string>;
  /**
   * Ask the UI to edit a file: resumes with the new content, or null when the user quits
   * without saving. Returns null when no editor is attached (headless).
   */
  edit(term: Terminal | null, path: string, content: string): Wait | null;
  reboot(host: Host): void;
  poweroff(host: Host): void;
  /**
   * A magic SysRq key written to /proc/sysrq-trigger: `o` powers off at once and `b` reboots
   * at once, neither syncing the disks (a pulled plug, from the shell); `s` syncs them.
   */
  sysrq(host: Host, key: string): void;
  /** The host's crontab changed: (re)schedule its cron daemon. */
  crontabChanged(host: Host): void;
}

export interface CmdCtx {
  sys: ShellSys;
  kernel: Kernel;
  host: Host;
  proc: ProcRecord;
  shell: Shell;
  cwd: string;
  env: Record<string, string>;
  stdin: Source;
  term: Terminal | null;
  out(text: string): void;
  err(text: string): void;
}

export type Command = (ctx: CmdCtx, argv: string[]) => TaskGen<number>;

export function abs(ctx: CmdCtx, p: string): string { return resolvePath(ctx.cwd, p); }

/** Wait for the next chunk of standard input (null at end). */
export function readChunk(ctx: CmdCtx): Wait {
  return (resume) => {
    const src = ctx.stdin;
    switch (src.kind) {
      case 'null': resume(null); return;
      case 'text': { const t = src.text; src.text = null; resume(t); return; }
      case 'pipe':
        // A reader that gives up (a signal, a tool that ends) leaves the next chunk to others.
        src.pipe.read(resume);
        return () => src.pipe.cancelRead(resume);
      case 'tty':
        src.term.requestLine({ pid: ctx.proc.pid, prompt: '', mask: false, resume: (l) => resume(l === null ? null : l + '\n') });
        return () => src.term.cancelReader(ctx.proc.pid);
    }
  };
}

export function* readAllInput(ctx: CmdCtx): TaskGen<string> {
  let s = '';
  for (;;) {
    const c: string | null = yield readChunk(ctx);
    if (c === null) return s;
    s += c;
  }
}

export function sleepWait(kernel: Kernel, ms: number): Wait {
  return (resume) => {
    let cancelled = false;
    kernel.at(kernel.now + Math.max(0, ms), () => { if (!cancelled) resume(null); });
    return () => { cancelled = true; };
  };
}

export type FileResult = { text: string } | { error: 'ENOENT' | 'EISDIR' | 'ENOTDIR' };

/** Read a file from the page cache (what `cat` sees), as a byte string. */
export function readText(ctx: CmdCtx, path: string): FileResult {
  if (path === '/dev/null') return { text: '' };
  // An empty name is no file (open("") fails with ENOENT), not the working directory.
  if (path === '') return { error: 'ENOENT' };
  const f = ctx.host.disk.lookup(abs(ctx, path));
  if (!f) return { error: 'ENOENT' };
  if (f.isDir) return { error: 'EISDIR' };
  return { text: bytesToLatin1(f.bytes()) };
}

/**
 * Write (or append) a byte string to a file through the page cache (or to the kernel, for a
 * /proc or /sys file). Returns the errno of the open or the write, or null.
 */
export function writeText(ctx: CmdCtx, path: string, text: string, append = false): string | null {
  const p = abs(ctx, path);
  if (p === '/dev/null') return null;
  const disk = ctx.host.disk;
  const f = disk.create(p, !append, ctx.kernel.now, false, newFileMode(ctx.proc.umask));
  if (typeof f === 'string') return f;
  const err = ctx.kernel.writeInode(ctx.host, f, p, latin1Bytes(text));
  if (err !== null) return err;
  ctx.kernel.record('fwrite', ctx.host.name, ctx.proc.pid, `${p} +${text.length}B`);
  return null;
}

/**
 * The errno of the command's last write to standard output that failed (a /proc/sys file
 * refusing the value written: `echo abc > /proc/sys/vm/overcommit_memory`), taken: the next
 * call says null until another write fails.
 */
export function takeWriteError(ctx: CmdCtx): string | null {
  const e = ctx.proc.writeError ?? null;
  ctx.proc.writeError = undefined;
  return e;
}

export const ERRNO: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
  EACCES: 'Permission denied',
  EIO: 'Input/output error',
};

/**
 * GNU's quote() under LANG=C.UTF-8: ‘name’. The quotes are written as their UTF-8 bytes, since
 * what a command writes is bytes, which the terminal decodes.
 */
export function quoted(s: string): string {
  // Like quotearg's locale style: backslashes and control characters are escaped.
  const named: Record<string, string> = { '\x07': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v', '\\': '\\' };
  const body = s.replace(/[\x00-\x1f\x7f\\]/g, (c) => '\\' + (named[c] ?? c.charCodeAt(0).toString(8).padStart(3, '0')));
  return `\xe2\x80\x98${body}\xe2\x80\x99`;
}

/**
 * gnulib's shell-escape quoting (quotearg's shell_escape_quoting_style), how GNU tools show a
 * name or word for the shell to read back: as is when harmless; in single quotes when it holds
 * blanks or shell specials (a glob that matched nothing: `'*.aof'`), a leading `#` or `~`, or is
 * a lone `{` or `}`; in double quotes when it holds a single quote and nothing that is special
 * inside them; control characters as `$'\n'` between quoted parts.
 * `colon`: a colon needs quoting too (quotef, for a name in a `tool: NAME: error` line).
 * `always`: quoted even when harmless (shell_escape_always: coreutils' quoteaf, `stat %N`).
 * `xargs -t` uses the plain style.
 */
export function shellEscapeQuote(s: string, opts: { colon?: boolean; always?: boolean } = {}): string {
  if (s === '') return "''";
  const control = /[\x00-\x1f\x7f]/;
  const special = opts.colon ? /[ !"$&'()*;<=>?[\\^`|:]/ : /[ !"$&'()*;<=>?[\\^`|]/;
  const needs = opts.always || control.test(s) || special.test(s) || s[0] === '#' || s[0] === '~' || s === '{' || s === '}';
  if (!needs) return s;
  if (s.includes("'") && !control.test(s) && !/[$`"\\!]/.test(s)) return `"${s}"`;
  const named: Record<string, string> = { '\x07': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v' };
  let out = "'";
  for (const c of s) {
    if (c === "'") out += "'\\''";
    else if (control.test(c)) out += `'$'\\${named[c] ?? c.charCodeAt(0).toString(8).padStart(3, '0')}''`;
    else out += c;
  }
  out += "'";
  // A control character at the end leaves an empty '' pair, which GNU does not print.
  return control.test(s[s.length - 1]) ? out.slice(0, -2) : out;
}

/** GNU's quotef(): a file name in a message (`cat: 'a b': No such file or directory`). */
export function quotef(s: string): string {
  return shellEscapeQuote(s, { colon: true });
}

/** coreutils' quoteaf(): a file name always quoted (`cp: cannot stat 'x'`, `stat %N`). */
export function quoteaf(s: string): string {
  return shellEscapeQuote(s, { always: true });
}

/** GNU's "Try 'x --help'" trailer after a usage error. */
export function usage(ctx: CmdCtx, name: string, msg: string): number {
  ctx.err(`${name}: ${msg}\nTry '${name} --help' for more information.\n`);
  return name === 'ls' ? 2 : 1;
}

/**
 * Split GNU-style short options: returns the flags and the operands. `withArg` lists options
 * that take an argument (`-n 5`, `-n5`). Unknown options produce an error message.
 */
export function getopt(argv: string[], known: string, withArg = ''): { flags: Map<string, string>; args: string[]; bad: string | null } {
  const flags = new Map<string, string>();
  const args: string[] = [];
  let bad: string | null = null;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') { args.push(a); continue; }
    if (a.startsWith('--')) { flags.set(a, ''); continue; }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (withArg.includes(c)) {
        const v = a.slice(j + 1) || argv[++i] || '';
        flags.set(c, v);
        break;
      }
      if (!known.includes(c)) { bad ??= c; continue; }
      flags.set(c, '');
    }
  }
  for (; i < argv.length; i++) args.push(argv[i]);
  return { flags, args, bad };
}
