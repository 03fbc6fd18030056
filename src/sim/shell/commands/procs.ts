/** Process commands: kill, pkill, pgrep, the process list they and ps read, and the tiny ones (true, false, hostname, whoami...). ps is ps.ts. */
import type { Command, CmdCtx } from '../context';
import { getopt, usage } from '../context';
import { DEFAULT_UMASK, type ProcRecord } from '../../kernel/process';
import { NAMED_SIGNALS, parseSignal, signalByNumber, signalNumber } from '../../../engine/util/signals';
import { basename } from '../../runtime/paths';
import { ambiguousJobName } from '../jobs';
import { pgrepUsage } from './pgrep-usage';
import { formatDate } from './time';

/** The kernel's name of a process (ps's comm, pgrep's match): its program's file name, 15 bytes at most. */
export function comm(p: ProcRecord): string {
  if (p.comm !== undefined) return p.comm;
  const first = p.kind === 'child' ? p.title : p.title.startsWith('-') ? p.title : basename(p.argv[0] ?? p.title);
  return first.slice(0, 15);
}

/** The processes of the host as /proc lists them: init, then every running one, by pid. */
export function visible(ctx: CmdCtx): ProcRecord[] {
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
      // A thread's id names its process (kill(2) signals the thread group).
      : [ctx.kernel.procs.get(n) ?? ctx.kernel.threadOwners.get(n)].filter((r): r is ProcRecord => r !== undefined && r.host === ctx.host);
    const delivered = targets.filter((r) => (sig === 0 ? r.state === 'running' : ctx.kernel.signal(r.pid, sig))).length > 0;
    if (delivered) { succeeded = true; continue; }
    ctx.shell.killFoundGone();
    ctx.err(`bash: kill: (${p}) - No such process\n`);
  }
  return succeeded ? 0 : 1;
};

function matching(ctx: CmdCtx, argv: string[], name: 'pgrep' | 'pkill'): { sig: string; procs: ProcRecord[]; list: boolean; full: boolean; threads: boolean; re: RegExp } | number {
  let sig = 'SIGTERM';
  /** pgrep -w: each thread of what matches (by its own name), with its id. */
  let threads = false;
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
    if ((a === '-w' || a === '--lightweight') && name === 'pgrep') { threads = true; continue; }
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
  // With -w a process is looked at for each of its threads' names.
  const named = (p: ProcRecord) => re.test(full ? p.title : comm(p)) || (threads && !full && (p.threads ?? []).some((t) => re.test(t.comm)));
  const procs = visible(ctx).filter((p) => p.pid !== ctx.proc.pid && p.kind !== 'system' && named(p)
    && (!among.P || among.P.includes(p.ppid)) && (!among.g || among.g.includes(p.pgid)) && (!among.s || among.s.includes(p.sid)));
  return { sig, procs, list: list || listFull, full: listFull, threads, re: full ? /(?:)/ : re };
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
  let found = 0;
  for (const p of m.procs) {
    // -w: the matching threads, the process's first one by its pid (-f matches them all).
    const rows = m.threads ? [{ id: p.pid, name: comm(p) }, ...(p.threads ?? []).map((t) => ({ id: t.tid, name: t.comm }))].filter((t) => m.re.test(t.name)) : [{ id: p.pid, name: comm(p) }];
    for (const t of rows) ctx.out(m.list ? `${t.id} ${m.full ? p.title : t.name}\n` : `${t.id}\n`);
    found += rows.length;
  }
  return found > 0 ? 0 : 1;
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
