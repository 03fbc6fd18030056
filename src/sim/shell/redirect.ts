/**
 * Redirections: the three standard streams a command runs with, and how `<`, `>`, `>>`, `&>`,
 * `2>&1`, `<<<` and here-documents change them (a target is expanded as one word; /dev/null,
 * /dev/stdout, /dev/stderr and /proc/sysrq-trigger are what they are on Linux). Their errors
 * name the script and line, as the shell's own do.
 */
import { bytesToLatin1 } from '../kernel/kernel';
import type { Host } from '../kernel/host';
import { newFileMode, type ProcRecord, type Sink, type Source } from '../kernel/process';
import type { TaskGen } from '../kernel/tasks';
import { resolvePath } from '../runtime/paths';
import { ERRNO } from './context';
import type { Expansion } from './expansion';
import type { Redir } from './parser';

/** A command's standard input, output and error. */
export interface Fds { stdin: Source; stdout: Sink; stderr: Sink }

/** What redirections need of their shell. */
export interface RedirectionShell {
  readonly expansion: Expansion;
  readonly host: Host;
  /** The virtual time now (a file's times). */
  readonly now: number;
  readonly cwd: string;
  /** The shell's process: its umask gives a new file's mode. */
  readonly proc: ProcRecord;
  /** Write to a sink as the shell's process. */
  write(sink: Sink, text: string): void;
  /** A magic SysRq key written to /proc/sysrq-trigger. */
  sysrq(key: string): void;
  /** What its errors start with: `bash: `, or in a script `s.sh: line 3: `. */
  errorPrefix(): string;
}

/**
 * The standard streams `base` with `redirs` applied, left to right: null when one fails (a
 * file that cannot be opened, a bad descriptor: its error written on the stderr of the
 * moment).
 */
export function* redirect(sh: RedirectionShell, redirs: Redir[], base: Fds): TaskGen<Fds | null> {
  const fds: Fds = { ...base };
  const disk = sh.host.disk;
  for (const r of redirs) {
    if (r.heredoc) {
      const text: string = r.heredoc.expand ? yield* sh.expansion.expandText(r.heredoc.body) : r.heredoc.body;
      fds.stdin = { kind: 'text', text };
      continue;
    }
    const target: string = (yield* sh.expansion.expandWords([r.target!], false)).join(' ');
    if (r.op === '>&' || r.op === '<&') {
      if (target === '1') { if (r.fd === 2) fds.stderr = fds.stdout; continue; }
      if (target === '2') { if (r.fd === 1) fds.stdout = fds.stderr; continue; }
      if (target === '-') continue;
      if (r.op === '>&' && !/^\d+$/.test(target)) {
        const sink = openSink(sh, target, false, fds);
        if (!sink) return null;
        fds.stdout = sink;
        fds.stderr = sink;
        continue;
      }
      sh.write(fds.stderr, `${sh.errorPrefix()}${target}: Bad file descriptor\n`);
      return null;
    }
    if (r.op === '<<<') { fds.stdin = { kind: 'text', text: target + '\n' }; continue; }
    if (r.op === '<') {
      if (target === '/dev/null') { fds.stdin = { kind: 'null' }; continue; }
      const n = disk.lookup(resolvePath(sh.cwd, target));
      if (!n) { sh.write(fds.stderr, `${sh.errorPrefix()}${target}: No such file or directory\n`); return null; }
      if (n.isDir) { sh.write(fds.stderr, `${sh.errorPrefix()}${target}: Is a directory\n`); return null; }
      fds.stdin = { kind: 'text', text: bytesToLatin1(n.bytes()), file: true };
      continue;
    }
    const append = r.op === '>>' || r.op === '&>>';
    const sink = openSink(sh, target, append, fds);
    if (!sink) return null;
    if (r.op === '&>' || r.op === '&>>') { fds.stdout = sink; fds.stderr = sink; }
    else if (r.fd === 2) fds.stderr = sink;
    else fds.stdout = sink;
  }
  return fds;
}

/** The sink a `>`, `>>` or `&>` target names (a file created or opened for appending), or null (its error written). */
function openSink(sh: RedirectionShell, target: string, append: boolean, fds: Fds): Sink | null {
  if (target === '/dev/null') return { kind: 'null' };
  if (target === '/dev/stdout') return fds.stdout;
  if (target === '/dev/stderr') return fds.stderr;
  const path = resolvePath(sh.cwd, target);
  if (path === '/proc/sysrq-trigger') return { kind: 'sysrq', trigger: (key) => sh.sysrq(key) };
  const f = sh.host.disk.create(path, !append, sh.now, false, newFileMode(sh.proc.umask));
  if (typeof f === 'string') {
    sh.write(fds.stderr, `${sh.errorPrefix()}${target}: ${ERRNO[f] ?? f}\n`);
    return null;
  }
  return { kind: 'file', host: sh.host, path, inode: f };
}
