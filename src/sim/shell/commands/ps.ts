/**
 * `ps` as procps-ng 4.0.2 (Debian 12) reads its options and lays out its lines.
 *
 * procps takes three kinds of options, in any mix: UNIX ones after a dash (`-ef`, `-p 1`), BSD
 * ones without (`aux`, `axjf`), GNU long ones (`--forest`, `--sort=-rss`). They do three things:
 *
 * - **select** processes. With no selection, those of the invoker's terminal (without a
 *   terminal: those without one). `-e`/`-A`/`ax` take all; `a` those with a terminal, `x`
 *   adds the invoker's without one (here everything runs as root, so all). Lists (`-p`, `p`,
 *   `--pid`, `-C`, `-u`/`-U`/`U`, `--ppid`, `-s`/`--sid`, `-t`/`t`) take their union; `-N`
 *   takes the rest.
 * - **format** them. UNIX `-f`, `-F`, `-l` (`-y` with it), `-j` combine into one column set
 *   (formatColumns); BSD `u`, `j`, `l`, `v` are sets of their own, and any other BSD option
 *   gives BSD's default (PID TTY STAT TIME COMMAND). `-o`/`o`/`--format` name the columns
 *   (`-O`/`O`: after the PID, before the default ones). A BSD set with another format
 *   conflicts.
 * - **order** them: by pid (the order of /proc), by `--sort`/`k` keys, or as a forest: each
 *   process under its parent, by start time, with `\_ ` art (`f`, `--forest`) or indented
 *   two spaces a level (`-H`), in the first command column.
 *
 * Each column has procps's header, width and alignment. A value wider than its column pushes
 * the rest of its line to the right, and later padding takes the excess back where it can,
 * as procps does; the last column, when it is a command, is cut at the screen's edge
 * (ps-width.ts).
 */
import type { Command, CmdCtx } from '../context';
import type { ProcRecord, ThreadRecord } from '../../kernel/process';
import { formatDate } from './time';
import { fitToScreen, psScreenWidth, psWidthArgs } from './ps-width';
import { memTotalKb } from '../../kernel/memory';
import { comm, visible } from './procs';

// ---- what a process shows ------------------------------------------------------------------

/**
 * A row's thread: one of the process's threads but its first (Redis's bio and jemalloc
 * threads), or undefined for the process itself or its first thread (whose id is the pid).
 */
type Thread = ThreadRecord | undefined;

/** NLWP: how many threads the process has. */
const threadCount = (p: ProcRecord) => 1 + (p.threads?.length ?? 0);

/** STAT: the state letter, then the process's flags (every thread shows them). */
function stat(ctx: CmdCtx, p: ProcRecord, th?: Thread): string {
  let s = state(ctx, p, th);
  if (p.pid === p.sid) s += 's';
  // Multithreaded (Redis's bio, I/O and jemalloc threads): 'l'.
  if (threadCount(p) > 1) s += 'l';
  if (inForegroundGroup(ctx, p)) s += '+';
  return s;
}

/** The state letter: ps itself runs (R), a stopped process (T), the rest sleep (S), as do the threads. */
function state(ctx: CmdCtx, p: ProcRecord, th?: Thread): string {
  return th === undefined && p.kind === 'builtin' && p.pid === ctx.proc.pid ? 'R' : p.stopped ? 'T' : 'S';
}

/**
 * TPGID: the foreground process group of the process's terminal (-1 without one): that of the
 * processes the terminal sends Ctrl-C to, or, with none, its session leader's (the shell at its
 * prompt).
 */
function terminalGroup(ctx: CmdCtx, p: ProcRecord): number {
  if (!p.tty) return -1;
  for (const pid of p.tty.foreground) {
    const fg = ctx.kernel.procs.get(pid);
    if (fg && fg.state === 'running') return fg.pgid;
  }
  const leader = ctx.kernel.procs.get(p.sid);
  return leader && leader.tty === p.tty ? leader.pgid : -1;
}

/**
 * '+': the process is in its terminal's foreground process group. The terminal knows the
 * processes it sends Ctrl-C to; the group is theirs. So a script's `cmd &` (no job control: the
 * script's group) is in it while the script runs in the foreground, and an interactive shell's
 * `cmd &` (a group of its own) is not, and a shell waiting at its prompt is (seen from another
 * terminal). A command the shell runs without forking a job for it (a kernel-side one, not in
 * the background) is in it too.
 */
function inForegroundGroup(ctx: CmdCtx, p: ProcRecord): boolean {
  if (!p.tty) return false;
  return p.tty.foreground.has(p.pid) || (p.kind === 'builtin' && !p.background) || p.pgid === terminalGroup(ctx, p);
}

/**
 * The kernel function a sleeping process waits in, as WCHAN cuts it to 6 characters: Redis in
 * epoll_wait, sleep in its timer, a shell waiting for its job, the rest polling.
 */
function waitChannel(ctx: CmdCtx, p: ProcRecord, th?: Thread): string {
  const s = state(ctx, p, th);
  if (s === 'R') return '-';
  if (s === 'T') return 'do_sig';
  // A Redis thread waits for its next job on a condition variable.
  if (th) return 'futex_';
  if (p.kind === 'program' || p.kind === 'child') return 'do_epo';
  if (p.program === 'sleep') return 'hrtime';
  return p.kind === 'shell' ? 'do_wai' : 'do_sel';
}

/**
 * The F column: 4, a process that used root's privileges (all do here), plus 1 for one that
 * forked and did not exec since: a forked child, a daemon (which forked to detach). A thread
 * (cloned, never exec'd, no privilege used) is 1.
 */
const flags = (p: ProcRecord, th?: Thread) => (th ? 1 : p.kind === 'child' || p.detached ? 5 : 4);

const two = (n: number) => String(n).padStart(2, '0');

/** CPU time: m:ss (BSD style), or [DD-]hh:mm:ss (TIME of the standard formats). */
function cpuTime(ms: number, long: boolean): string {
  const s = Math.floor(ms / 1000);
  if (!long) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  const days = Math.floor(s / 86400);
  return `${days > 0 ? `${days}-` : ''}${two(Math.floor(s / 3600) % 24)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/** [[DD-]hh:]mm:ss (ELAPSED). */
function elapsedTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86400);
  const hours = Math.floor(s / 3600) % 24;
  const head = days > 0 ? `${days}-${two(hours)}:` : hours > 0 ? `${two(hours)}:` : '';
  return `${head}${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/** CPU time: the process's, all of it its first thread's (the others do the engine's work there). */
const cpuMsOf = (p: ProcRecord, th?: Thread) => (th ? 0 : p.cpuUserMs + p.cpuSysMs);
const cpuShare = (ctx: CmdCtx, p: ProcRecord, th?: Thread) => Math.min(99.9, (cpuMsOf(p, th) / Math.max(1, ctx.kernel.now - p.startT)) * 100);
/** When the thread (or the process) started. */
const startOf = (p: ProcRecord, th?: Thread) => th?.startT ?? p.startT;
/** procps's pr_pmem: RSS in tenths of a percent of MemTotal, truncated, at most 99.9. */
function percentMem(ctx: CmdCtx, p: ProcRecord): string {
  const tenths = Math.min(999, Math.floor((p.rssKb * 1000) / memTotalKb(ctx.host)));
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/** START/STIME: the time of day it started, or its month and day when that is over a day ago. */
function startTime(ctx: CmdCtx, p: ProcRecord, th?: Thread): string {
  const tz = ctx.host.tzOffsetMinutes;
  const t = startOf(p, th);
  if (ctx.kernel.now - t < 86400000) return formatDate('%H:%M', t, tz);
  return formatDate('%b%d', t, tz);
}

function tty(p: ProcRecord): string { return p.tty ? p.tty.name : '?'; }

/** The text segment's size in KiB (TRS): the binary's code. */
const textKb = (p: ProcRecord) => Math.min(p.vszKb, p.kind === 'program' || p.kind === 'child' ? 1556 : 770);

/** A command line as procps prints it: a newline as a space, other control characters as `?`. */
const printable = (text: string) => text.replace(/\n/g, ' ').replace(/[\x00-\x1f\x7f]/g, '?');

// ---- columns --------------------------------------------------------------------------------

/**
 * Which rows of the m and -m displays (a process's row, then one per thread) show a column:
 * procps's PO (process only: the thread rows show '-'), TO (thread only: the process row
 * shows '-') and ET (both).
 */
type Shown = 'PO' | 'TO' | 'ET';

/** An output column: procps's header, width and alignment, its text and how it sorts. */
interface Column {
  header: string;
  width: number;
  right: boolean;
  value: (ctx: CmdCtx, p: ProcRecord, th: Thread) => string;
  /** What --sort compares (numbers as numbers); the text when absent. */
  key?: (ctx: CmdCtx, p: ProcRecord, th: Thread) => number;
  shown: Shown;
  /** A command column: as wide as its text when last, cut at the end of the screen's line; the forest's art goes in the first. */
  command?: boolean;
}

const numeric = (header: string, width: number, shown: Shown, get: (p: ProcRecord, ctx: CmdCtx, th: Thread) => number): Column =>
  ({ header, width, right: true, shown, value: (ctx, p, th) => String(get(p, ctx, th)), key: (ctx, p, th) => get(p, ctx, th) });

const COLUMNS: Record<string, Column> = {
  pid: numeric('PID', 5, 'PO', (p) => p.pid),
  ppid: numeric('PPID', 5, 'PO', (p) => p.ppid),
  pgid: numeric('PGID', 5, 'PO', (p) => p.pgid),
  pgrp: numeric('PGRP', 5, 'PO', (p) => p.pgid),
  sid: numeric('SID', 5, 'PO', (p) => p.sid),
  sess: numeric('SESS', 5, 'PO', (p) => p.sid),
  tpgid: numeric('TPGID', 5, 'PO', (p, ctx) => terminalGroup(ctx, p)),
  // A thread's id: the pid for the process's first thread (and for the process's own row).
  lwp: numeric('LWP', 5, 'TO', (p, _, th) => th?.tid ?? p.pid),
  tid: numeric('TID', 5, 'TO', (p, _, th) => th?.tid ?? p.pid),
  spid: numeric('SPID', 5, 'TO', (p, _, th) => th?.tid ?? p.pid),
  nlwp: numeric('NLWP', 4, 'PO', threadCount),
  thcount: numeric('THCNT', 5, 'PO', threadCount),
  stat: { header: 'STAT', width: 4, right: false, shown: 'TO', value: stat },
  s: { header: 'S', width: 1, right: false, shown: 'TO', value: state },
  f: numeric('F', 1, 'ET', (p, _, th) => flags(p, th)),
  user: { header: 'USER', width: 8, right: false, shown: 'ET', value: (_, p) => p.user },
  ruser: { header: 'RUSER', width: 8, right: false, shown: 'ET', value: (_, p) => p.user },
  uid: numeric('UID', 5, 'ET', () => 0),
  euid: numeric('EUID', 5, 'ET', () => 0),
  // -f's UID: the user's name in UID's place.
  uid_hack: { header: 'UID', width: 8, right: false, shown: 'ET', value: (_, p) => p.user },
  '%cpu': { header: '%CPU', width: 4, right: true, shown: 'ET', value: (ctx, p, th) => cpuShare(ctx, p, th).toFixed(1), key: cpuShare },
  c: numeric('C', 2, 'ET', (p, ctx, th) => Math.floor(cpuShare(ctx, p, th))),
  cp: numeric('CP', 3, 'ET', (p, ctx, th) => Math.floor(cpuShare(ctx, p, th) * 10)),
  '%mem': { header: '%MEM', width: 4, right: true, shown: 'PO', value: percentMem, key: (_, p) => p.rssKb },
  vsz: numeric('VSZ', 6, 'PO', (p) => p.vszKb),
  rss: numeric('RSS', 5, 'PO', (p) => p.rssKb),
  rsz: numeric('RSZ', 5, 'PO', (p) => p.rssKb),
  // Pages of 4 KiB.
  sz: numeric('SZ', 5, 'PO', (p) => Math.ceil(p.vszKb / 4)),
  trs: numeric('TRS', 4, 'PO', textKb),
  drs: numeric('DRS', 5, 'PO', (p) => p.vszKb - textKb(p)),
  maj_flt: numeric('MAJFL', 6, 'ET', () => 0),
  majflt: numeric('MAJFLT', 6, 'ET', () => 0),
  min_flt: numeric('MINFL', 6, 'ET', (p) => Math.floor(p.rssKb / 4)),
  // Linux's priorities of a nice-0 process: ps -o pri, -l's (80), BSD l's (20).
  pri: numeric('PRI', 3, 'TO', () => 19),
  opri: numeric('PRI', 3, 'TO', () => 80),
  pri_bsd: numeric('PRI', 3, 'TO', () => 20),
  ni: numeric('NI', 3, 'TO', () => 0),
  psr: numeric('PSR', 3, 'TO', (p, _, th) => (th?.tid ?? p.pid) % 2),
  addr: { header: 'ADDR', width: 4, right: true, shown: 'ET', value: () => '-' },
  // -l's ADDR (procps's addr_1): left-aligned, its header's width.
  addr_1: { header: 'ADDR', width: 4, right: false, shown: 'ET', value: () => '-' },
  wchan: { header: 'WCHAN', width: 6, right: false, shown: 'TO', value: waitChannel },
  tname: { header: 'TTY', width: 8, right: false, shown: 'PO', value: (_, p) => tty(p) },
  tt: { header: 'TT', width: 8, right: false, shown: 'PO', value: (_, p) => tty(p) },
  time: { header: 'TIME', width: 8, right: true, shown: 'ET', value: (_, p, th) => cpuTime(cpuMsOf(p, th), true), key: (_, p, th) => cpuMsOf(p, th) },
  bsdtime: { header: 'TIME', width: 6, right: true, shown: 'ET', value: (_, p, th) => cpuTime(cpuMsOf(p, th), false), key: (_, p, th) => cpuMsOf(p, th) },
  etime: { header: 'ELAPSED', width: 11, right: true, shown: 'ET', value: (ctx, p, th) => elapsedTime(ctx.kernel.now - startOf(p, th)), key: (ctx, p, th) => ctx.kernel.now - startOf(p, th) },
  etimes: numeric('ELAPSED', 7, 'ET', (p, ctx, th) => Math.floor((ctx.kernel.now - startOf(p, th)) / 1000)),
  stime: { header: 'STIME', width: 5, right: false, shown: 'ET', value: startTime, key: (_, p, th) => startOf(p, th) },
  start_time: { header: 'START', width: 5, right: true, shown: 'ET', value: startTime, key: (_, p, th) => startOf(p, th) },
  start: { header: 'STARTED', width: 8, right: true, shown: 'ET', value: (ctx, p, th) => formatDate('%H:%M:%S', startOf(p, th), ctx.host.tzOffsetMinutes), key: (_, p, th) => startOf(p, th) },
  // The kernel's name of a login shell has no leading '-' (that is only in its argv[0]); a
  // thread's is its own (pthread_setname_np).
  comm: { header: 'COMMAND', width: 15, right: false, command: true, shown: 'PO', value: (_, p, th) => threadComm(p, th) },
  ucmd: { header: 'CMD', width: 15, right: false, command: true, shown: 'PO', value: (_, p, th) => threadComm(p, th) },
  // The command line is the process's: every thread shows it.
  args: { header: 'COMMAND', width: 27, right: false, command: true, shown: 'PO', value: (_, p) => printable(p.title) },
  cmd: { header: 'CMD', width: 27, right: false, command: true, shown: 'PO', value: (_, p) => printable(p.title) },
};

/** A thread's comm (ps's CMD of -L): its own name, the process's for its first thread. */
function threadComm(p: ProcRecord, th: Thread): string {
  return th ? th.comm : comm(p).replace(/^-/, '');
}

const ALIASES: Record<string, string> = {
  pcpu: '%cpu', pmem: '%mem', state: 's', tty: 'tt', cputime: 'time', ucomm: 'ucmd', command: 'args', uname: 'user', euser: 'user',
  rssize: 'rss', vsize: 'vsz', nice: 'ni', flags: 'f', flag: 'f', priority: 'opri', bsdstart: 'start_time', lstart: 'start',
  session: 'sess', pgrp: 'pgrp', cmd: 'cmd',
};

function column(name: string): Column | undefined {
  const n = name.toLowerCase();
  return COLUMNS[ALIASES[n] ?? n];
}

interface OutColumn { col: Column; header: string }

/** `-o` lists: the columns, each with its header (`pid=` or `pid=ID` renames it; a wide header widens it). */
function parseColumns(specs: string[]): OutColumn[] | string {
  const out: OutColumn[] = [];
  for (const item of specs.flatMap((spec) => spec.split(/[,\s]+/)).filter(Boolean)) {
    const eq = item.indexOf('=');
    const raw = eq >= 0 ? item.slice(0, eq) : item;
    const base = column(raw);
    if (!base) return raw;
    const header = eq >= 0 ? item.slice(eq + 1) : base.header;
    out.push({ col: { ...base, width: Math.max(base.width, header.length) }, header });
  }
  return out;
}

/** A format's columns by name; `name:N` sets the width a format gives it (-l's SZ is 2 wide, v's TRS 5). */
const named = (names: string[]): OutColumn[] => names.map((n) => {
  const [name, width] = n.split(':');
  const col = COLUMNS[name];
  return { col: width ? { ...col, width: Number(width) } : col, header: col.header };
});

/** The UNIX formats: -f (-F its extra), -l (-y its variant), -j, and their combinations, as procps builds them. */
function unixFormat(o: { f: boolean; F: boolean; l: boolean; y: boolean; j: boolean }, threads: { L: boolean; T: boolean }): string[] {
  const full = o.f || o.F;
  const long = o.l;
  const cols: string[] = [];
  if (long && !o.y) cols.push('f');
  if (long) cols.push('s');
  if (full) cols.push('uid_hack');
  else if (long) cols.push('uid');
  cols.push('pid');
  // -T's SPID after the PID; -L's LWP after the process's ids, its NLWP after C in -f.
  if (threads.T) cols.push('spid');
  if (full || long) cols.push('ppid');
  if (o.j) cols.push('pgid', 'sid');
  if (threads.L) cols.push('lwp');
  if (full || long) cols.push('c');
  if (threads.L && full) cols.push('nlwp');
  if (long) cols.push('opri', 'ni', ...(o.y ? ['rss', 'sz'] : ['addr_1', 'sz:2']), 'wchan');
  if (o.F) cols.push(...(long ? [] : ['sz']), ...(long && o.y ? [] : ['rss']), 'psr');
  if (full) cols.push('stime');
  cols.push('tname', 'time', full ? 'cmd' : 'ucmd');
  return cols;
}

const BSD_FORMATS: Record<string, string[]> = {
  '': ['pid', 'tname', 'stat', 'bsdtime', 'args'],
  u: ['user', 'pid', '%cpu', '%mem', 'vsz', 'rss', 'tname', 'stat', 'start_time', 'bsdtime', 'args'],
  j: ['ppid', 'pid', 'pgid', 'sid', 'tname', 'tpgid', 'stat', 'uid', 'bsdtime', 'args'],
  l: ['f', 'uid', 'pid', 'ppid', 'pri_bsd', 'ni', 'vsz', 'rss', 'wchan', 'stat', 'tname', 'bsdtime', 'args'],
  v: ['pid', 'tname', 'stat', 'bsdtime', 'maj_flt', 'trs:5', 'drs', 'rss', '%mem', 'args'],
};

// ---- the command line -----------------------------------------------------------------------

const PS_USAGE = `\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n`;

class PsError extends Error {}

interface PsRequest {
  every: boolean;
  /** -a: processes with a terminal but session leaders. */
  unixA: boolean;
  /** BSD a and x: processes with a terminal, and without. */
  bsdA: boolean;
  bsdX: boolean;
  negate: boolean;
  pids: number[];
  ppids: number[];
  sids: number[];
  names: string[];
  ttys: string[];
  /** Some list was given (even an empty match): no default selection then. */
  listed: boolean;
  /** -u root (or U, --user): everyone. */
  root: boolean;
  unix: { f: boolean; F: boolean; l: boolean; y: boolean; j: boolean; H: boolean };
  /** The BSD format letter ('' for BSD's default), null with no BSD option at all. */
  bsd: string | null;
  /** -o, o and --format lists: the columns, instead of a format's. */
  user: string[];
  /** -O and O lists: columns after the PID of the default ones. */
  userExtra: string[];
  /** BSD O (not -O): its default columns end with the command's name, not its line. */
  bsdExtra: boolean;
  forest: boolean;
  sort: string[];
  headers: boolean;
  /**
   * Threads: -L (an LWP column) and -T (SPID), one row per thread; BSD H, threads as if they
   * were processes; m and -m, each process's row followed by its threads'.
   */
  threads: { L: boolean; T: boolean; H: boolean; m: boolean; unixM: boolean };
}

function newRequest(): PsRequest {
  return {
    every: false, unixA: false, bsdA: false, bsdX: false, negate: false, pids: [], ppids: [], sids: [], names: [], ttys: [], listed: false, root: false,
    unix: { f: false, F: false, l: false, y: false, j: false, H: false }, bsd: null, user: [], userExtra: [], bsdExtra: false,
    forest: false, sort: [], headers: true, threads: { L: false, T: false, H: false, m: false, unixM: false },
  };
}

/** A list of numbers (`1,2 3`), or procps's error. */
function numberList(text: string): number[] {
  const t = text.trim();
  if (!/^\d+([,\s]+\d+)*$/.test(t)) throw new PsError('error: process ID list syntax error');
  return t.split(/[,\s]+/).map(Number);
}

/** Users to select: everyone here is root (uid 0), so root selects all and any other name is unknown. */
function userList(r: PsRequest, text: string): void {
  for (const u of text.split(/[,\s]+/).filter(Boolean)) {
    if (u !== 'root' && u !== '0') throw new PsError('error: user name does not exist');
  }
  r.listed = true;
  r.root = true;
}

/** An option's value: the rest of its word or the next word; `missing` is procps's error without one. */
type OptionValue = (missing: string) => string;

/** -o's, o's and --format's error without a list (`flag` as given). */
const formatMissing = (flag: string) => `error: list of user-defined format specifiers must follow ${flag}`;

/** A UNIX option letter (after a dash). */
function unixOption(r: PsRequest, c: string, value: OptionValue): void {
  switch (c) {
    case 'e': case 'A': r.every = true; break;
    case 'a': r.unixA = true; break;
    case 'N': r.negate = true; break;
    case 'f': case 'F': case 'l': case 'y': case 'j': case 'H': r.unix[c] = true; break;
    case 'L': case 'T': r.threads[c] = true; break;
    case 'm': r.threads.unixM = true; break;
    case 'o': r.user.push(value(formatMissing('-o'))); break;
    case 'O': r.userExtra.push(value(formatMissing('-O'))); break;
    case 'p': case 'q': r.pids.push(...numberList(value(`error: list of process IDs must follow -${c}`))); r.listed = true; break;
    case 'C': r.names.push(...value('error: list of command names must follow -C').split(',')); r.listed = true; break;
    case 'u': case 'U': userList(r, value(`error: list of users must follow -${c}`)); break;
    case 's': r.sids.push(...numberList(value('error: list of session IDs must follow -s'))); r.listed = true; break;
    case 't': r.ttys.push(...value('error: list of ttys must follow -t').split(',')); r.listed = true; break;
    default: throw new PsError('error: unsupported SysV option');
  }
}

/** A BSD option letter (a word without a dash). */
function bsdOption(r: PsRequest, c: string, value: OptionValue): void {
  const format = (letter: string) => {
    if (r.bsd !== null && r.bsd !== '' && letter !== '' && r.bsd !== letter) throw new PsError('error: conflicting format options');
    if (letter !== '' || r.bsd === null) r.bsd = letter;
  };
  switch (c) {
    case 'a': r.bsdA = true; format(''); break;
    case 'x': r.bsdX = true; format(''); break;
    case 'u': case 'j': case 'l': case 'v': format(c); break;
    case 'f': r.forest = true; format(''); break;
    case 'h': r.headers = false; format(''); break;
    case 'e': case 'c': case 'n': case 'S': case 'r': format(''); break;
    case 'H': r.threads.H = true; format(''); break;
    case 'm': r.threads.m = true; format(''); break;
    case 'o': r.user.push(value(formatMissing('o'))); break;
    case 'O': r.userExtra.push(value(formatMissing('O'))); r.bsdExtra = true; break;
    case 'p': r.pids.push(...numberList(value('error: list of process IDs must follow p'))); r.listed = true; format(''); break;
    case 'U': userList(r, value('error: list of users must follow U')); format(''); break;
    case 't': r.ttys.push(...value('error: list of ttys must follow t').split(',')); r.listed = true; format(''); break;
    case 'k': r.sort.push(...value('error: long sort specification must follow k').split(',')); break;
    default: throw new PsError('error: unsupported option (BSD syntax)');
  }
}

/** A GNU long option (`--name`, `--name=value`). */
function longOption(r: PsRequest, name: string, value: OptionValue): void {
  switch (name) {
    case 'forest': r.forest = true; break;
    case 'no-headers': case 'no-heading': case 'noheader': case 'noheaders': r.headers = false; break;
    case 'headers': case 'heading': r.headers = true; break;
    case 'deselect': r.negate = true; break;
    case 'format': r.user.push(value('error: format specification must follow --format')); break;
    case 'pid': r.pids.push(...numberList(value('error: list of process IDs must follow --pid'))); r.listed = true; break;
    case 'ppid': r.ppids.push(...numberList(value('error: list of process IDs must follow --ppid'))); r.listed = true; break;
    case 'sid': r.sids.push(...numberList(value('error: list of session IDs must follow --sid'))); r.listed = true; break;
    case 'user': case 'User': userList(r, value(`error: list of users must follow --${name}`)); break;
    case 'sort': r.sort.push(...value('error: long sort specification must follow --sort').split(',')); break;
    case 'tty': r.ttys.push(...value('error: list of ttys must follow --tty').split(',')); r.listed = true; break;
    default: throw new PsError('error: unknown gnu long option');
  }
}

function parseArgs(argv: string[]): PsRequest {
  const r = newRequest();
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const next = (missing: string): string => {
      const v = argv[++i];
      if (v === undefined) throw new PsError(missing);
      return v;
    };
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      longOption(r, eq >= 0 ? a.slice(2, eq) : a.slice(2), (missing) => (eq >= 0 ? a.slice(eq + 1) : next(missing)));
      continue;
    }
    // A cluster of letters (`-ef`, `aux`); one that takes a value takes the rest of the word, or the next word.
    const dash = a.startsWith('-');
    for (let j = dash ? 1 : 0; j < a.length; j++) {
      const value: OptionValue = (missing) => {
        const rest = a.slice(j + 1);
        j = a.length;
        return rest !== '' ? rest : next(missing);
      };
      (dash ? unixOption : bsdOption)(r, a[j], value);
    }
  }
  return r;
}

/** How threads are shown (procps's thread_option_check), or its error. */
type ThreadMode = 'none' | 'tasks' | 'loose' | 'both';

function threadMode(r: PsRequest): ThreadMode {
  const t = r.threads;
  if (!t.L && !t.T && !t.H && !t.m && !t.unixM) return 'none';
  if (r.forest || r.unix.H) throw new PsError('error: thread display conflicts with forest display');
  if (t.H && (t.m || t.unixM)) throw new PsError("error: thread flags conflict; can't use H with m or -m");
  if (t.m && t.unixM) throw new PsError("error: thread flags conflict; can't use both m and -m");
  if (t.L && t.T) throw new PsError("error: thread flags conflict; can't use both -L and -T");
  return t.m || t.unixM ? 'both' : t.H ? 'loose' : 'tasks';
}

/** -L or -T together with H, m or -m: their columns must find their places (procps's TF_must_use). */
const mustUse = (r: PsRequest) => (r.threads.L || r.threads.T) && (r.threads.H || r.threads.m || r.threads.unixM);

/**
 * A BSD format's thread columns: -T's SPID after the PID; -L's LWP after the first of SID,
 * SESS, PGID, PGRP, PPID and PID there is, and its NLWP after %CPU.
 */
function addThreadColumns(r: PsRequest, cols: OutColumn[]): OutColumn[] {
  const out = [...cols];
  const after = (header: string, name: string): boolean => {
    const i = out.findIndex((c) => c.header === header);
    if (i < 0) return false;
    out.splice(i + 1, 0, ...named([name]));
    return true;
  };
  if (r.threads.T && !after('PID', 'spid') && mustUse(r)) throw new PsError('error: -T with H/-m/m but no PID for SPID to follow');
  if (r.threads.L) {
    if (!['SID', 'SESS', 'PGID', 'PGRP', 'PPID', 'PID'].some((h) => after(h, 'lwp')) && mustUse(r)) {
      throw new PsError('error: -L with H/-m/m but no PID/PGID/SID/SESS for NLWP to follow');
    }
    after('%CPU', 'nlwp');
  }
  return out;
}

/** The columns `r` asks for, or procps's error. */
function formatColumns(r: PsRequest): OutColumn[] {
  const unixFormatGiven = r.unix.f || r.unix.F || r.unix.l || r.unix.j;
  const bsdLetter = r.bsd !== null && r.bsd !== '' ? r.bsd : null;
  if (r.unix.y && !r.unix.l) throw new PsError('error: modifier -y without format -l makes no sense');
  if (bsdLetter !== null && (unixFormatGiven || r.user.length > 0 || r.userExtra.length > 0)) throw new PsError('error: conflicting format options');
  if ((r.user.length > 0 || r.userExtra.length > 0) && mustUse(r)) throw new PsError('error: -L/-T with H/m/-m and -o/-O/o/O is nonsense');
  if (r.user.length > 0) {
    const cols = parseColumns(r.user);
    if (typeof cols === 'string') throw new PsError(`error: unknown user-defined format specifier "${cols}"`);
    return cols;
  }
  if (r.userExtra.length > 0) {
    const extra = parseColumns(r.userExtra);
    if (typeof extra === 'string') throw new PsError(`error: unknown user-defined format specifier "${extra}"`);
    return [...named(['pid']), ...extra, ...named(['s', 'tname', 'time', r.bsdExtra ? 'comm' : 'args'])];
  }
  if (unixFormatGiven || r.bsd === null) return named(unixFormat(r.unix, r.threads));
  return addThreadColumns(r, named(BSD_FORMATS[r.bsd]));
}

/**
 * A line of output: a process, or one of its threads (`th`, or undefined for its first one
 * where `part` is 'task'); `part` says which columns m and -m show on it (see Shown).
 */
interface Row { p: ProcRecord; th: Thread; prefix: string; part: 'all' | 'proc' | 'task' }

/**
 * The rows `r` selects, in /proc's order: processes, or with -L, -T and H each thread of them
 * (-C then matches each thread's name; -p names processes, never a thread), or with m and -m
 * each process followed by its threads. Sorted, -L and -T show processes only (procps reads
 * threads only for H then).
 */
function selectRows(ctx: CmdCtx, r: PsRequest, mode: ThreadMode, sorted: boolean): Row[] {
  const all = visible(ctx);
  let pick: (p: ProcRecord, name: string) => boolean;
  if (r.every || (r.bsdA && r.bsdX)) pick = () => true;
  else if (r.listed || r.unixA) {
    pick = (p, name) => r.root || r.pids.includes(p.pid) || r.ppids.includes(p.ppid) || r.sids.includes(p.sid) || r.names.includes(name)
      || r.ttys.some((t) => t === tty(p) || `/dev/${tty(p)}` === t || (t === '-' && !p.tty))
      || (r.unixA && p.tty !== null && p.pid !== p.sid);
  } else if (r.bsdX) pick = () => true;
  else if (r.bsdA) pick = (p) => p.tty !== null;
  // The invoker's terminal's processes; without a terminal, those that have none.
  else pick = (p) => p.tty === ctx.term;
  const threadsOf = (p: ProcRecord): Thread[] => [undefined, ...(p.threads ?? [])];
  const rows: Row[] = [];
  if (mode === 'loose' || (mode === 'tasks' && !sorted)) {
    for (const p of all) {
      for (const th of threadsOf(p)) if (pick(p, th ? th.comm : comm(p)) !== r.negate) rows.push({ p, th, prefix: '', part: 'all' });
    }
    return rows;
  }
  for (const p of all) {
    if (pick(p, comm(p)) === r.negate) continue;
    if (mode !== 'both') { rows.push({ p, th: undefined, prefix: '', part: 'all' }); continue; }
    rows.push({ p, th: undefined, prefix: '', part: 'proc' });
    if (!sorted) for (const th of threadsOf(p)) rows.push({ p, th, prefix: '', part: 'task' });
  }
  return rows;
}

/** `--sort`/`k` keys, most significant first: a comparison, or procps's error. */
function sorter(ctx: CmdCtx, keys: string[]): (a: Row, b: Row) => number {
  const parts = keys.filter(Boolean).map((k) => {
    const dir = k.startsWith('-') ? -1 : 1;
    const col = column(k.replace(/^[+-]/, ''));
    if (!col) throw new PsError('error: unknown sort specifier');
    return { dir, col };
  });
  return (a, b) => {
    for (const { dir, col } of parts) {
      const x = col.key ? col.key(ctx, a.p, a.th) : col.value(ctx, a.p, a.th);
      const y = col.key ? col.key(ctx, b.p, b.th) : col.value(ctx, b.p, b.th);
      if (x !== y) return (x < y ? -1 : 1) * dir;
    }
    return 0;
  };
}

/**
 * The forest: each root (a process whose parent is not listed) with its descendants under it,
 * siblings by start time, and each one's prefix for its command column: `\_ ` art (procps's
 * forest_helper: four characters a level, `|` where an ancestor has a later sibling) or two
 * spaces a level (-H).
 */
function forest(list: ProcRecord[], art: boolean): Row[] {
  const byStart = [...list].sort((a, b) => a.startT - b.startT || a.pid - b.pid);
  const listed = new Set(list.map((p) => p.pid));
  const children = new Map<number, ProcRecord[]>();
  for (const p of byStart) {
    if (p.ppid === p.pid || !listed.has(p.ppid)) continue;
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid)!.push(p);
  }
  const out: Row[] = [];
  const walk = (p: ProcRecord, ancestors: boolean[], last: boolean, depth: number) => {
    let prefix = '';
    if (art && depth > 0) prefix = ancestors.map((more) => (more ? ' |  ' : '    ')).join('') + ' \\_ ';
    else if (!art) prefix = '  '.repeat(depth);
    out.push({ p, th: undefined, prefix, part: 'all' });
    const kids = children.get(p.pid) ?? [];
    kids.forEach((k, i) => walk(k, depth > 0 ? [...ancestors, !last] : [], i === kids.length - 1, depth + 1));
  };
  for (const p of byStart) if (p.ppid === p.pid || !listed.has(p.ppid)) walk(p, [], true, 0);
  return out;
}

/** A row cut to the screen's width: where the last column starts in the header, and in the row. */
type FitRow = (headerCommandStart: number, row: string, rowCommandStart: number) => string;

/**
 * Lay the columns out as procps does: each column has its place (the widths before it, a
 * space apart); a value goes there (right-aligned ones end there) unless the line already
 * ran past it, and then follows one space after. So a value wider than its column pushes the
 * line right, and the padding of the columns after it takes that back where it can.
 * Left-aligned columns but the last are cut to their width.
 */
function layOut(cells: string[], cols: OutColumn[]): { line: string; lastStart: number } {
  let line = '';
  let place = 0;
  let lastStart = 0;
  cells.forEach((text, i) => {
    const { col } = cols[i];
    const last = i === cells.length - 1;
    const t = col.right || last ? text : text.slice(0, col.width);
    const start = Math.max(i === 0 ? 0 : line.length + 1, col.right ? place + col.width - t.length : place);
    if (last) lastStart = start;
    line += ' '.repeat(start - line.length) + t;
    place += col.width + 1;
  });
  return { line: line.replace(/\s+$/, ''), lastStart };
}

/** A column's text on a row: '-' where m and -m leave it out (see Shown). */
function cellText(ctx: CmdCtx, col: Column, row: Row): string {
  if ((row.part === 'proc' && col.shown === 'TO') || (row.part === 'task' && col.shown === 'PO')) return '-';
  return col.value(ctx, row.p, row.th);
}

function printRows(ctx: CmdCtx, cols: OutColumn[], rows: Row[], headers: boolean, fit: FitRow): void {
  const header = layOut(cols.map((c) => c.header), cols);
  const commandAt = cols.findIndex((c) => c.col.command === true);
  if (headers && cols.some((c) => c.header !== '')) ctx.out(`${header.line}\n`);
  const cut = cols[cols.length - 1].col.command === true;
  for (const r of rows) {
    const cells = cols.map((c, i) => (i === commandAt ? r.prefix + cellText(ctx, c.col, r) : cellText(ctx, c.col, r)));
    const row = layOut(cells, cols);
    ctx.out(`${cut ? fit(header.lastStart, row.line, row.lastStart) : row.line}\n`);
  }
}

export const ps: Command = function* (ctx, argv) {
  // The width options first (w, ww, --cols N), then the rest.
  const width = psWidthArgs(argv);
  if (width.error) { ctx.err(`error: number of columns must follow --cols, --width, or --columns\n${PS_USAGE}`); return 1; }
  const { screenCols, warning } = psScreenWidth(ctx, width);
  if (warning) ctx.err(warning);
  const fit: FitRow = (headerStart, row, rowStart) => fitToScreen(screenCols, headerStart, row, rowStart);
  let r: PsRequest;
  let cols: OutColumn[];
  let order: ((a: Row, b: Row) => number) | null;
  let mode: ThreadMode;
  try {
    r = parseArgs(width.argv);
    mode = threadMode(r);
    cols = formatColumns(r);
    order = r.sort.length > 0 ? sorter(ctx, r.sort) : null;
  } catch (e) {
    if (!(e instanceof PsError)) throw e;
    ctx.err(`${e.message}\n${PS_USAGE}`);
    return 1;
  }
  let rows = selectRows(ctx, r, mode, order !== null);
  if (order) rows = [...rows].sort(order);
  if (r.forest || r.unix.H) rows = forest(rows.map((x) => x.p), r.forest);
  printRows(ctx, cols, rows, r.headers, fit);
  // Asked for processes that are not there: status 1.
  return rows.length > 0 || !r.listed ? 0 : 1;
};
