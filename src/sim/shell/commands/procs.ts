/** Process commands: ps, kill, pkill, pgrep, and the tiny ones (true, false, hostname, whoami...). */
import type { Command, CmdCtx } from '../context';
import { getopt, usage } from '../context';
import { DEFAULT_UMASK, type ProcRecord } from '../../kernel/process';
import { NAMED_SIGNALS, parseSignal, signalByNumber, signalNumber } from '../../../engine/util/signals';
import { basename } from '../../runtime/paths';
import { formatDate } from './time';
import { fitToScreen, psScreenWidth, psWidthArgs } from './ps-width';
import { memTotalKb } from '../../kernel/memory';
import { ambiguousJobName } from '../jobs';
import { pgrepUsage } from './pgrep-usage';


export function comm(p: ProcRecord): string {
  const first = p.kind === 'child' ? p.title : p.title.startsWith('-') ? p.title : basename(p.argv[0] ?? p.title);
  return first.slice(0, 15);
}

function stat(ctx: CmdCtx, p: ProcRecord): string {
  let s = p.kind === 'builtin' && p.pid === ctx.proc.pid ? 'R' : p.stopped ? 'T' : 'S';
  const redis = p.kind === 'program' && p.program.startsWith('redis-');
  if (p.pid === p.sid) s += 's';
  // Redis runs background threads (bio, I/O): multithreaded, 'l'.
  if (redis) s += 'l';
  if (inForegroundGroup(ctx, p)) s += '+';
  return s;
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

const two = (n: number) => String(n).padStart(2, '0');

/** CPU time: m:ss (BSD style), or [DD-]hh:mm:ss (TIME of the standard formats). */
function cpuTime(ms: number, long: boolean): string {
  const s = Math.floor(ms / 1000);
  if (!long) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  const days = Math.floor(s / 86400);
  return `${days > 0 ? `${days}-` : ''}${two(Math.floor(s / 3600) % 24)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

const cpuMsOf = (p: ProcRecord) => p.cpuUserMs + p.cpuSysMs;
const percentCpu = (ctx: CmdCtx, p: ProcRecord) => Math.min(99.9, (cpuMsOf(p) / Math.max(1, ctx.kernel.now - p.startT)) * 100).toFixed(1);
/** procps's pr_pmem: RSS in tenths of a percent of MemTotal, truncated, at most 99.9. */
function percentMem(ctx: CmdCtx, p: ProcRecord): string {
  const tenths = Math.min(999, Math.floor((p.rssKb * 1000) / memTotalKb(ctx.host)));
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

function startTime(ctx: CmdCtx, p: ProcRecord): string {
  const tz = ctx.host.tzOffsetMinutes;
  if (ctx.kernel.now - p.startT < 86400000) return formatDate('%H:%M', p.startT, tz);
  return formatDate('%b%d', p.startT, tz);
}

function tty(p: ProcRecord): string { return p.tty ? p.tty.name : '?'; }

function visible(ctx: CmdCtx): ProcRecord[] {
  return [initRecord(ctx), ...ctx.kernel.processesOn(ctx.host).filter((p) => p.state === 'running')];
}

/** pid 1 of the host, for ps (init is not a process the kernel schedules). */
function initRecord(ctx: CmdCtx): ProcRecord {
  const host = ctx.host;
  return {
    pid: 1, ppid: 0, pgid: 1, sid: 1, host, kind: 'system', title: '/sbin/init', argv: ['/sbin/init'], program: 'init', cwd: '/', umask: DEFAULT_UMASK, user: 'root',
    startT: host.bootedAt, deathT: Infinity, state: 'running', exitCode: null, exitSignal: null, cpuUserMs: 0, cpuSysMs: 0,
    stdin: { kind: 'null' }, stdout: { kind: 'null' }, stderr: { kind: 'null' }, tty: null, slot: null, files: new Map(),
    waiters: [], rssKb: 11876, vszKb: 167744, background: false,
  };
}

/** A user-defined output column (`ps -o`): procps's header, width and alignment. */
interface Column {
  header: string; width: number; right: boolean; value: (ctx: CmdCtx, p: ProcRecord) => string;
  /** A command column: as wide as its text when last, cut at the end of the screen's line. */
  unlimited?: boolean;
}

/** A row cut to the screen's width: where the last column starts in the header, and in the row. */
type FitRow = (headerCommandStart: number, row: string, rowCommandStart: number) => string;

/** [[DD-]hh:]mm:ss (ELAPSED). */
function elapsedTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86400);
  const hours = Math.floor(s / 3600) % 24;
  const head = days > 0 ? `${days}-${two(hours)}:` : hours > 0 ? `${two(hours)}:` : '';
  return `${head}${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

const COLUMNS: Record<string, Column> = {
  pid: { header: 'PID', width: 5, right: true, value: (_, p) => String(p.pid) },
  ppid: { header: 'PPID', width: 5, right: true, value: (_, p) => String(p.ppid) },
  pgid: { header: 'PGID', width: 5, right: true, value: (_, p) => String(p.pgid) },
  pgrp: { header: 'PGRP', width: 5, right: true, value: (_, p) => String(p.pgid) },
  sid: { header: 'SID', width: 5, right: true, value: (_, p) => String(p.sid) },
  sess: { header: 'SESS', width: 5, right: true, value: (_, p) => String(p.sid) },
  tpgid: { header: 'TPGID', width: 5, right: true, value: (ctx, p) => String(terminalGroup(ctx, p)) },
  stat: { header: 'STAT', width: 4, right: false, value: (ctx, p) => stat(ctx, p) },
  s: { header: 'S', width: 1, right: false, value: (ctx, p) => stat(ctx, p)[0] },
  user: { header: 'USER', width: 8, right: false, value: (_, p) => p.user },
  '%cpu': { header: '%CPU', width: 4, right: true, value: percentCpu },
  '%mem': { header: '%MEM', width: 4, right: true, value: (ctx, p) => percentMem(ctx, p) },
  vsz: { header: 'VSZ', width: 6, right: true, value: (_, p) => String(p.vszKb) },
  rss: { header: 'RSS', width: 5, right: true, value: (_, p) => String(p.rssKb) },
  tty: { header: 'TT', width: 8, right: false, value: (_, p) => tty(p) },
  time: { header: 'TIME', width: 8, right: true, value: (_, p) => cpuTime(cpuMsOf(p), true) },
  etime: { header: 'ELAPSED', width: 11, right: true, value: (ctx, p) => elapsedTime(ctx.kernel.now - p.startT) },
  // The kernel's name of a login shell has no leading '-' (that is only in its argv[0]).
  comm: { header: 'COMMAND', width: 15, right: false, unlimited: true, value: (_, p) => comm(p).replace(/^-/, '') },
  args: { header: 'COMMAND', width: 27, right: false, unlimited: true, value: (_, p) => p.title },
  cmd: { header: 'CMD', width: 27, right: false, unlimited: true, value: (_, p) => p.title },
};
const ALIASES: Record<string, string> = {
  pcpu: '%cpu', pmem: '%mem', state: 's', tt: 'tty', cputime: 'time', ucomm: 'comm', command: 'args', uname: 'user', euser: 'user', rssize: 'rss', vsize: 'vsz',
};

/** `ps -o`: the columns, each with its header (`pid=` or `pid=ID` renames it; a wide header widens it). */
function parseColumns(specs: string[]): { col: Column; header: string }[] | string {
  const out: { col: Column; header: string }[] = [];
  for (const item of specs.flatMap((spec) => spec.split(/[,\s]+/)).filter(Boolean)) {
    const eq = item.indexOf('=');
    const raw = eq >= 0 ? item.slice(0, eq) : item;
    const name = raw.toLowerCase();
    const base = COLUMNS[ALIASES[name] ?? name];
    if (!base) return raw;
    const header = eq >= 0 ? item.slice(eq + 1) : base.header;
    out.push({ col: { ...base, width: Math.max(base.width, header.length) }, header });
  }
  return out;
}

function printColumns(ctx: CmdCtx, cols: { col: Column; header: string }[], list: ProcRecord[], fit: FitRow): void {
  const cell = (c: Column, text: string, last: boolean) => {
    if (c.right) return text.padStart(c.width);
    return last ? text : text.slice(0, c.width).padEnd(c.width);
  };
  const cells = (texts: string[]) => texts.map((t, i) => cell(cols[i].col, t, i === texts.length - 1));
  const line = (texts: string[]) => cells(texts).join(' ').replace(/\s+$/, '');
  // Where the last column starts: after the others and their one-space gaps.
  const lastStart = (texts: string[]) => cells(texts).slice(0, -1).reduce((n, c) => n + c.length + 1, 0);
  const headers = cols.map((c) => c.header);
  if (cols.some((c) => c.header !== '')) ctx.out(`${line(headers)}\n`);
  const cut = cols[cols.length - 1].col.unlimited === true;
  for (const p of list) {
    const texts = cols.map((c) => c.col.value(ctx, p));
    ctx.out(`${cut ? fit(lastStart(headers), line(texts), lastStart(texts)) : line(texts)}\n`);
  }
}

const PS_USAGE = `\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n`;

/**
 * `ps` with -o (columns), -p (pids), -C (command names), -e/-A (everyone), as procps does; with
 * none of them, the processes of this terminal as PID TTY TIME CMD (plain `ps`).
 */
function* psSelected(ctx: CmdCtx, argv: string[], fit: FitRow): Generator<never, number> {
  const specs: string[] = [];
  const pids: number[] = [];
  const names: string[] = [];
  let every = false;
  /** -j: the jobs format (PGID and SID after PID). */
  let jobsFormat = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const value = (flag: string): string | null => (a.length > flag.length ? a.slice(flag.length) : argv[++i] ?? null);
    if (a === '-e' || a === '-A') every = true;
    else if (a === '-j') jobsFormat = true;
    else if (a === '-je' || a === '-jA') { jobsFormat = true; every = true; }
    else if (a.startsWith('-o') || a === '--format') {
      const v = a === '--format' ? argv[++i] ?? null : value('-o');
      if (v === null) { ctx.err(`error: list of user-defined format specifiers must follow -o\n${PS_USAGE}`); return 1; }
      specs.push(v);
    } else if (a.startsWith('-p') || a === '--pid') {
      const v = a === '--pid' ? argv[++i] ?? null : value('-p');
      if (v === null || !/^\d+([,\s]+\d+)*$/.test(v.trim())) { ctx.err(`error: process ID list syntax error\n${PS_USAGE}`); return 1; }
      pids.push(...v.trim().split(/[,\s]+/).map(Number));
    } else if (a.startsWith('-C')) {
      const v = value('-C');
      if (v === null) { ctx.err(`error: list of command names must follow -C\n${PS_USAGE}`); return 1; }
      names.push(...v.split(','));
    } else { ctx.err(`error: unsupported option (BSD syntax)\n${PS_USAGE}`); return 1; }
  }
  // Without -o: PID TTY TIME CMD (-j: PID PGID SID TTY TIME CMD), CMD being the command's name.
  const cols = specs.length > 0 ? parseColumns(specs) : [
    { col: COLUMNS.pid, header: 'PID' },
    ...(jobsFormat ? [{ col: COLUMNS.pgid, header: 'PGID' }, { col: COLUMNS.sid, header: 'SID' }] : []),
    { col: COLUMNS.tty, header: 'TTY' }, { col: COLUMNS.time, header: 'TIME' }, { col: COLUMNS.comm, header: 'CMD' },
  ];
  if (typeof cols === 'string') { ctx.err(`error: unknown user-defined format specifier "${cols}"\n${PS_USAGE}`); return 1; }
  const all = visible(ctx);
  let list: ProcRecord[];
  if (every) list = all;
  else if (pids.length > 0 || names.length > 0) list = all.filter((p) => pids.includes(p.pid) || names.includes(comm(p)));
  else list = all.filter((p) => p.tty && p.tty === ctx.term);
  printColumns(ctx, cols, list, fit);
  // Asked for pids or names that match nothing: status 1.
  return list.length > 0 || (pids.length === 0 && names.length === 0) ? 0 : 1;
}

export const ps: Command = function* (ctx, argv) {
  // The width options first (w, ww, --cols N), then the rest as before.
  const width = psWidthArgs(argv);
  if (width.error) { ctx.err(`error: number of columns must follow --cols, --width, or --columns\n${PS_USAGE}`); return 1; }
  const { screenCols, warning } = psScreenWidth(ctx, width);
  if (warning) ctx.err(warning);
  const fit: FitRow = (headerStart, row, rowStart) => fitToScreen(screenCols, headerStart, row, rowStart);
  argv = width.argv;
  if (argv.length === 1 || argv.slice(1).some((a) => /^-[eA]?[opCj]|^-j[eA]$|^--(pid|format)$/.test(a))) {
    // -eo pid,stat is -e -o pid,stat; -ej is -e -j.
    const split = argv.flatMap((a, i) => (i > 0 && /^-[eA][opCj]/.test(a) ? [a.slice(0, 2), `-${a.slice(2)}`] : [a]));
    return yield* psSelected(ctx, split, fit);
  }
  const args = argv.slice(1).join(' ');
  const bsd = /^(a?u?x|aux|axu|-?aux|ax|x)$/.test(args.replace(/\s+/g, ''));
  const full = /-e|-A/.test(args) && /f/.test(args);
  const every = /-e|-A|ax/.test(args) || bsd;
  if (args && !bsd && !/^-(e|A|ef|eF|f|ely|el)$/.test(args.replace(/\s+/g, ' ').split(' ').join('')) && !/^-e\s*-f$|^-f\s*-e$/.test(args)) {
    ctx.err(`error: unsupported option (BSD syntax)\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n`);
    return 1;
  }
  let list = visible(ctx);
  if (!every) list = list.filter((p) => p.tty && p.tty === ctx.term);
  if (bsd) {
    const rows = list.map((p) => ({
      user: p.user, pid: String(p.pid), cpu: percentCpu(ctx, p), mem: percentMem(ctx, p),
      vsz: String(p.vszKb), rss: String(p.rssKb), tty: tty(p), stat: stat(ctx, p), start: startTime(ctx, p), time: cpuTime(cpuMsOf(p), false), cmd: p.title,
    }));
    const pw = Math.max(5, ...rows.map((r) => r.pid.length));
    const vw = Math.max(6, ...rows.map((r) => r.vsz.length));
    const rw = Math.max(5, ...rows.map((r) => r.rss.length));
    const header = `${'USER'.padEnd(8)} ${'PID'.padStart(pw)} %CPU %MEM ${'VSZ'.padStart(vw)} ${'RSS'.padStart(rw)} TTY      STAT START   TIME `;
    ctx.out(`${header}COMMAND\n`);
    for (const r of rows) {
      const before = `${r.user.padEnd(8)} ${r.pid.padStart(pw)} ${r.cpu.padStart(4)} ${r.mem.padStart(4)} ${r.vsz.padStart(vw)} ${r.rss.padStart(rw)} ${r.tty.padEnd(8)} ${r.stat.padEnd(4)} ${r.start.padStart(5)} ${r.time.padStart(6)} `;
      ctx.out(`${fit(header.length, before + r.cmd, before.length)}\n`);
    }
    return 0;
  }
  if (full) {
    const pw = Math.max(5, ...list.map((p) => String(p.pid).length));
    const header = `${'UID'.padEnd(8)} ${'PID'.padStart(pw)} ${'PPID'.padStart(pw)}  C STIME TTY          TIME `;
    ctx.out(`${header}CMD\n`);
    for (const p of list) {
      const before = `${p.user.padEnd(8)} ${String(p.pid).padStart(pw)} ${String(p.ppid).padStart(pw)}  0 ${startTime(ctx, p).padStart(5)} ${tty(p).padEnd(8)} ${cpuTime(cpuMsOf(p), true)} `;
      ctx.out(`${fit(header.length, before + p.title, before.length)}\n`);
    }
    return 0;
  }
  // -e, -A, -f, -el: the standard PID TTY TIME CMD columns.
  return yield* psSelected(ctx, every ? ['ps', '-e'] : ['ps'], fit);
};

/** `kill -l` and `trap -l`: every named signal, five to a line. */
export function signalListing(): string {
  let out = '';
  let column = 0;
  for (const { number, name } of NAMED_SIGNALS) {
    out += `${String(number).padStart(2)}) ${name}`;
    if (++column < 5) out += '\t';
    else { out += '\n'; column = 0; }
  }
  return column !== 0 ? out + '\n' : out;
}

/** `kill -l [sigspec...]`: the table, or each number's name / each name's number. */
function killList(ctx: CmdCtx, specs: string[]): number {
  if (specs.length === 0) {
    ctx.out(signalListing());
    return 0;
  }
  let code = 0;
  for (const spec of specs) {
    if (/^\d+$/.test(spec)) {
      // An exit status above 128 names the signal that ended a process (137: KILL).
      const n = Number(spec) > 128 ? Number(spec) - 128 : Number(spec);
      if (n === 0) { ctx.out('EXIT\n'); continue; }
      const info = signalByNumber(n);
      // glibc's two signals for threads (32, 33): bash knows them by number and prints nothing.
      if (info) { if (!info.unnamed) ctx.out(`${info.name.slice(3)}\n`); continue; }
    } else {
      const sig = killSignal(spec);
      if (sig !== null) { ctx.out(`${sig === 0 ? 0 : signalNumber(sig)}\n`); continue; }
    }
    ctx.err(`bash: kill: ${spec}: invalid signal specification\n`);
    code = 1;
  }
  return code;
}

/** A signal as kill takes it (parseSignal); 0 for "0" or EXIT (the pid is only checked); null when invalid. */
function killSignal(spec: string): string | 0 | null {
  if (spec === '0' || spec.toUpperCase() === 'EXIT') return 0;
  return parseSignal(spec);
}

export const kill: Command = function* (ctx, argv) {
  // bash prints a builtin's usage under the builtin's name alone.
  const usageLine = 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n';
  if (argv.length < 2) { ctx.err(usageLine); return 2; }
  // The options as bash reads them: -l anywhere among them lists; -s SIG, -n NUM, -sSIG, -nNUM
  // and the first -SIG name the signal; `--`, or a `-N` once a signal is named (a process
  // group), starts the operands.
  let spec = 'TERM';
  let sig: string | 0 | null = 'SIGTERM';
  let sawSignal = false;
  let listing = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-l' || a === '-L') listing = true;
    else if (a === '-s' || a === '-n') {
      if (argv[i + 1] === undefined) { ctx.err(`bash: kill: ${a}: option requires an argument\n`); return 1; }
      spec = argv[++i];
      sig = killSignal(spec);
      sawSignal = true;
    } else if (/^-s[A-Za-z]/.test(a) || /^-n\d/.test(a)) {
      spec = a.slice(2);
      sig = killSignal(spec);
      sawSignal = true;
    } else if (a === '--') { i++; break; }
    else if (a === '-?') { ctx.err(usageLine); return 2; }
    else if (a.startsWith('-') && !sawSignal) {
      spec = a.slice(1);
      sig = killSignal(spec);
      sawSignal = true;
    } else break;
  }
  if (listing) return killList(ctx, argv.slice(i));
  if (sig === null) { ctx.err(`bash: kill: ${spec}: invalid signal specification\n`); return 1; }
  const pids = argv.slice(i);
  if (pids.length === 0) { ctx.err(usageLine); return 2; }
  // bash goes on past an operand it fails on, and fails only if every one did.
  let succeeded = false;
  for (const p of pids) {
    if (p.startsWith('%')) {
      // A job: its process group, or each of its processes still running (Shell.jobTargets).
      const job = ctx.shell.jobTargets(p);
      if (job === 'ambiguous') { ctx.err(`bash: kill: ${ambiguousJobName(p)}: ambiguous job spec\n`); continue; }
      if (job === null) { ctx.err(`bash: kill: ${p}: no such job\n`); continue; }
      const pids = 'pids' in job ? job.pids : visible(ctx).filter((r) => r.pgid === job.pgid).map((r) => r.pid);
      for (const pid of pids) {
        const rec = ctx.kernel.procs.get(pid);
        if (rec && rec.state === 'running' && sig !== 0) ctx.kernel.signal(pid, sig);
      }
      succeeded = true;
      continue;
    }
    if (!/^-?\d+$/.test(p)) { ctx.err(`bash: kill: ${p}: arguments must be process or job IDs\n`); continue; }
    const n = Number(p);
    // `kill -- -PGID`: every process of the group (killpg).
    const targets = n < -1
      ? visible(ctx).filter((r) => r.pgid === -n && r.pid !== 1)
      : [ctx.kernel.procs.get(n)].filter((r): r is ProcRecord => r !== undefined && r.host === ctx.host);
    const delivered = targets.filter((r) => (sig === 0 ? r.state === 'running' : ctx.kernel.signal(r.pid, sig))).length > 0;
    if (delivered) { succeeded = true; continue; }
    ctx.shell.killFoundGone();
    ctx.err(`bash: kill: (${p}) - No such process\n`);
  }
  return succeeded ? 0 : 1;
};

function matching(ctx: CmdCtx, argv: string[], name: 'pgrep' | 'pkill'): { sig: string; procs: ProcRecord[]; list: boolean; full: boolean } | number {
  let sig = 'SIGTERM';
  let full = false;
  let list = false;
  let listFull = false;
  let pattern: string | null = null;
  let exact = false;
  /** -P, -g, -s: only children of these processes, members of these groups, of these sessions. */
  const among: Partial<Record<'P' | 'g' | 's', number[]>> = {};
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-f' || a === '--full') { full = true; continue; }
    // -P PPID,… or -PPPID (-PIPE is pkill's signal); -g PGID,…; -s SID,… (0: pgrep's own).
    const listed = /^-([Pgs])(\d.*)?$/.exec(a) ?? (a === '--parent' ? [a, 'P'] : a === '--pgroup' ? [a, 'g'] : a === '--session' ? [a, 's'] : null);
    if (listed) {
      const key = listed[1] as 'P' | 'g' | 's';
      const list = listed[2] ?? argv[++i];
      if (list === undefined) { ctx.err(`${name}: option requires an argument -- '${key}'\n${pgrepUsage(name)}`); return 2; }
      const bad = list.split(',').find((n) => !/^\d+$/.test(n));
      if (bad !== undefined) { ctx.err(`${name}: ${key === 'P' ? 'not a number' : key === 'g' ? 'invalid process group' : 'invalid session id'}: ${bad}\n`); return 2; }
      const own = key === 'g' ? ctx.proc.pgid : key === 's' ? ctx.proc.sid : 0;
      among[key] = [...(among[key] ?? []), ...list.split(',').map((n) => (Number(n) === 0 ? own : Number(n)))];
      continue;
    }
    if (a === '-l' && name === 'pgrep') { list = true; continue; }
    if (a === '-a' && name === 'pgrep') { listFull = true; continue; }
    if (a === '-x' || a === '--exact') { exact = true; continue; }
    if (a === '--signal') { const s = parseSignal(argv[++i] ?? ''); if (!s) return usage(ctx, name, 'invalid signal'); sig = s; continue; }
    if (a.startsWith('-') && name === 'pkill' && pattern === null) {
      const s = parseSignal(a.slice(1));
      if (!s) { ctx.err(`${name}: invalid option -- '${a.slice(1, 2)}'\n${pgrepUsage(name)}`); return 2; }
      sig = s;
      continue;
    }
    if (a.startsWith('-')) { ctx.err(`${name}: invalid option -- '${a.slice(1, 2)}'\n${pgrepUsage(name)}`); return 2; }
    pattern = a;
  }
  if (pattern === null && Object.keys(among).length === 0) {
    ctx.err(`${name}: no matching criteria specified\nTry \`${name} --help' for more information.\n`);
    return 2;
  }
  let re: RegExp;
  try { re = new RegExp(pattern === null ? '' : exact ? `^(?:${pattern})$` : pattern); } catch { ctx.err(`${name}: invalid regular expression\n`); return 2; }
  const procs = visible(ctx).filter((p) => p.pid !== ctx.proc.pid && p.kind !== 'system' && re.test(full ? p.title : comm(p))
    && (!among.P || among.P.includes(p.ppid)) && (!among.g || among.g.includes(p.pgid)) && (!among.s || among.s.includes(p.sid)));
  return { sig, procs, list: list || listFull, full: listFull };
}

export const pkill: Command = function* (ctx, argv) {
  const m = matching(ctx, argv, 'pkill');
  if (typeof m === 'number') return m;
  for (const p of m.procs) ctx.kernel.signal(p.pid, m.sig);
  return m.procs.length > 0 ? 0 : 1;
};

export const pgrep: Command = function* (ctx, argv) {
  const m = matching(ctx, argv, 'pgrep');
  if (typeof m === 'number') return m;
  for (const p of m.procs) ctx.out(m.list ? `${p.pid} ${m.full ? p.title : comm(p)}\n` : `${p.pid}\n`);
  return m.procs.length > 0 ? 0 : 1;
};

export const trueCmd: Command = function* () { return 0; };
export const falseCmd: Command = function* () { return 1; };

export const hostname: Command = function* (ctx, argv) {
  const { flags } = getopt(argv, 'Iifs');
  if (flags.has('I') || flags.has('i')) ctx.out(`${ctx.host.ip} \n`);
  else ctx.out(`${ctx.host.name}\n`);
  return 0;
};

export const whoami: Command = function* (ctx) { ctx.out('root\n'); return 0; };

export const uname: Command = function* (ctx, argv) {
  const { flags } = getopt(argv, 'asnrvmo');
  if (flags.has('a')) ctx.out(`Linux ${ctx.host.name} 5.15.0-sim #1 SMP x86_64 GNU/Linux\n`);
  else if (flags.has('n')) ctx.out(`${ctx.host.name}\n`);
  else if (flags.has('r')) ctx.out('5.15.0-sim\n');
  else ctx.out('Linux\n');
  return 0;
};

export const env: Command = function* (ctx) {
  for (const [k, v] of Object.entries(ctx.env).sort()) ctx.out(`${k}=${v}\n`);
  return 0;
};

export const uptime: Command = function* (ctx) {
  const upMin = Math.floor((ctx.kernel.now - ctx.host.bootedAt) / 60000);
  const up = upMin < 60 ? `${upMin} min` : `${Math.floor(upMin / 60)}:${String(upMin % 60).padStart(2, '0')}`;
  ctx.out(` ${formatDate('%H:%M:%S', ctx.kernel.now, ctx.host.tzOffsetMinutes)} up ${up},  1 user,  load average: 0.00, 0.00, 0.00\n`);
  return 0;
};

export const clear: Command = function* (ctx) { ctx.out('\x1b[H\x1b[2J\x1b[3J'); return 0; };
