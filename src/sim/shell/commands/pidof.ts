/**
 * `pidof` as Debian 12 has it: /usr/bin/pidof is sysvinit-utils' killall5 (3.06), not
 * procps-ng's. The pids of the processes running each named program, newest (highest pid)
 * first, separated by spaces (-d SEP) on one line; -s one per program; -o PID[,PID] (or
 * %PPID, pidof's parent) omitted; -x also scripts run by a shell; -q no output. pidof never
 * names itself. Status 0 when a process was found, 1 when none; a bad option is silent, 1.
 */
import type { Command } from '../context';
import type { ProcRecord } from '../../kernel/process';
import { basename } from '../../runtime/paths';
import { comm, visible } from './procs';

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

/** Whether process `p` runs program `name`: its argv[0] (the path when `name` has a `/`) or its kernel name. */
function runs(p: ProcRecord, name: string, scripts: boolean): boolean {
  const argv0 = p.argv[0] ?? p.title;
  if (name.includes('/')) return argv0 === name || (scripts && p.argv[1] === name);
  if (basename(argv0) === name || comm(p) === name) return true;
  // -x: a shell whose first argument is the script.
  return scripts && SHELLS.has(basename(argv0)) && p.argv[1] !== undefined && basename(p.argv[1]) === name;
}

export const pidof: Command = function* (ctx, argv) {
  let single = false;
  let quiet = false;
  let scripts = false;
  let separator = ' ';
  const omit = new Set<number>([ctx.proc.pid]);
  const names: string[] = [];
  let i = 1;
  // getopt with POSIXLY_CORRECT off: options may follow names; an unknown one ends pidof quietly.
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { names.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { names.push(a); continue; }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if ('scnqxz'.includes(c)) {
        if (c === 's') single = true;
        if (c === 'q') quiet = true;
        if (c === 'x') scripts = true;
        continue;
      }
      if (c === 'o' || c === 'd') {
        const value = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (value === undefined) return 1;
        if (c === 'd') separator = value;
        else {
          for (const item of value.split(',')) {
            if (item === '%PPID') omit.add(ctx.proc.ppid);
            else if (/^\d+$/.test(item)) omit.add(Number(item));
          }
        }
        break;
      }
      return 1;
    }
  }
  const procs = visible(ctx).filter((p) => !omit.has(p.pid)).sort((a, b) => b.pid - a.pid);
  const found: number[] = [];
  for (const name of names) {
    for (const p of procs) {
      if (!runs(p, name, scripts)) continue;
      found.push(p.pid);
      if (single) break;
    }
  }
  if (found.length === 0) return 1;
  if (!quiet) ctx.out(`${found.join(separator)}\n`);
  return 0;
};
