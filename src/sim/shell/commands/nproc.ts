/**
 * `nproc` as GNU coreutils 9.1 prints it (gnulib's num_processors): the CPUs the process may
 * run on, or with --all those the kernel could bring up (/sys/devices/system/cpu/possible,
 * which glibc reads for sysconf(_SC_NPROCESSORS_CONF)); without --all, OMP_NUM_THREADS (its first
 * value, blanks around allowed) overrides the count and OMP_THREAD_LIMIT caps it, as for any
 * OpenMP program; --ignore=N takes N away, leaving at least 1.
 */
import type { Command } from '../context';
import { quoted, readText, usage } from '../context';
import { badOption, parseOpts } from './operands';
import { cpuListCount } from '../../kernel/cpus';

const HELP = `Usage: nproc [OPTION]...
Print the number of processing units available to the current process,
which may be less than the number of online processors

      --all      print the number of installed processors
      --ignore=N  if possible, exclude N processing units
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/nproc>
or available locally via: info '(coreutils) nproc invocation'
`;

const VERSION = `nproc (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Giuseppe Scrivano.
`;

const ULONG_MAX = 2n ** 64n - 1n;

/**
 * gnulib's parse_omp_threads: blanks, decimal digits (strtoul: saturating at ULONG_MAX), then
 * blanks to the end or a comma (the first of a nesting list); anything else, or nothing, is 0.
 */
function ompThreads(text: string | undefined): bigint {
  if (text === undefined) return 0n;
  const m = /^[ \t\n\v\f\r]*(\d+)(?:[ \t\n\v\f\r]*$|[ \t\n\v\f\r]*,)/.exec(text);
  if (!m) return 0n;
  const n = BigInt(m[1]);
  return n > ULONG_MAX ? ULONG_MAX : n;
}

/** xnumtoumax(…, 10, 0, ULONG_MAX, "", "invalid number"): the value, or the error's suffix. */
function ignoreCount(text: string): bigint | { suffix: string } {
  const m = /^[ \t\n\v\f\r]*\+?(\d+)$/.exec(text);
  if (!m) return { suffix: '' };
  const n = BigInt(m[1]);
  return n > ULONG_MAX ? { suffix: ': Value too large for defined data type' } : n;
}

export const nproc: Command = function* (ctx, argv) {
  const parsed = parseOpts(argv, { flags: '', withArg: '', long: { all: { key: 'all', arg: false }, ignore: { key: 'ignore', arg: true }, help: { key: 'help', arg: false }, version: { key: 'version', arg: false } } });
  let all = false;
  let ignore = 0n;
  for (const { key, value } of 'error' in parsed ? parsed.parsed : parsed.opts) {
    if (key === 'help') { ctx.out(HELP); return 0; }
    if (key === 'version') { ctx.out(VERSION); return 0; }
    if (key === 'all') all = true;
    if (key === 'ignore') {
      const n = ignoreCount(value);
      if (typeof n !== 'bigint') { ctx.err(`nproc: invalid number: ${quoted(value)}${n.suffix}\n`); return 1; }
      ignore = n;
    }
  }
  if ('error' in parsed) return badOption(ctx, 'nproc', parsed.error);
  if (parsed.operands.length > 0) return usage(ctx, 'nproc', `extra operand ${quoted(parsed.operands[0])}`);

  let count: bigint;
  if (all) {
    const possible = readText(ctx, '/sys/devices/system/cpu/possible');
    count = BigInt('error' in possible ? ctx.host.cpus : cpuListCount(possible.text) || ctx.host.cpus);
  } else {
    const threads = ompThreads(ctx.env.OMP_NUM_THREADS);
    const limit = ompThreads(ctx.env.OMP_THREAD_LIMIT) || ULONG_MAX;
    const cpus = BigInt(ctx.host.cpus);
    count = threads > 0n ? (threads < limit ? threads : limit) : cpus < limit ? cpus : limit;
  }
  ctx.out(`${ignore < count ? count - ignore : 1n}\n`);
  return 0;
};
