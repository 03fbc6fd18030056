/**
 * The world: the public face of the simulation for the UI, the lesson runner and tests.
 *
 * - Build it from a topology (hosts, links), a seed, a program registry and a runtime.
 * - Drive time: `step()` (the next window), `advance(ms)`, `runUntil(predicate)`,
 *   `play(speed)` / `pause()` in real time with an injected wall clock.
 * - Act on it only through inputs (`type`, `interrupt`, `kill`, `powerOff`, `partition`,
 *   `exec`...). Every input is recorded with the virtual time it took effect, so a session
 *   can be replayed (`World.replay`) and rewound (`rewind(t)`: re-execute from the start up to t).
 * - Watch it: hosts, processes, connections, files, terminals, the trace and its hash.
 *
 * Text and bytes. Inside the machines, as on Linux, file names, command lines, terminal lines and
 * file contents are bytes (byte strings here: one char per byte, like the engine's). The terminal
 * side speaks bytes, as a terminal emulator does: `type` and `lineHelp` take byte strings (the UTF-8
 * of what was typed), and terminal output (`output` events, `terminal(id).text()`) and `exec`
 * output are byte strings. Everything else is human text, entering as its UTF-8 encoding and
 * handed out decoded: the topology's paths, directories and boot lines, `exec` commands, editor
 * contents, paths given to `readFile`/`readText`/`listDir`/`fileInfo`/`writeFile`, and the names
 * `listDir` returns.
 *
 * Inputs take effect at the simulation's frontier (the end of the last window, or the time
 * the clock was advanced to), between windows, so live sessions and replays see them at the
 * same point of the same sequence of windows.
 */
import { RunLog, RunLogDiverged } from './run-log';
import { MAX_FORWARD_AHEAD_MS } from './protocol';
import { Kernel, utf8, bytesToLatin1 } from './kernel/kernel';
import { bootTunables } from './kernel/sysctl';
import { mountMeminfo } from './kernel/memory';
import { mountCpuFiles } from './kernel/cpus';
import { mountThp } from './kernel/hugepages';
import { mountClocksource } from './kernel/clocksource';
import { strToUtf8, utf8ToStr } from '../engine/bytes';
import type { Host, HostSpec } from './kernel/host';
import type { LinkParams, WireMessage } from './kernel/network';
import type { ProcRecord } from './kernel/process';
import type { TraceRecord } from './kernel/trace';
import type { Wait } from './kernel/tasks';
import { fnv32 } from './kernel/hash';
import type { ProgramRegistry } from './programs';
import { STANDARD_PROGRAM_NAMES } from './program-names';
import type { Runtime } from './runtime/runtime';
import { InlineRuntime } from './runtime/runtime';
import { macrotask } from './runtime/macrotask';
import type { InspectQuery } from './runtime/inspectors';
import { SimTerminal } from './shell/terminal';
import { Shell } from './shell/shell';
import { readShebang } from './shell/shebang';
import type { ShellSys } from './shell/context';
import { cronMatches, parseCrontab } from './shell/cron';
import { startSshd, type SshdWorld } from './ssh/sshd';
import { resolvePath } from './runtime/paths';
import { SpeedMeter } from './speed-meter';

export interface WorldOptions {
  seed?: string | number;
  /** Virtual wall-clock start (ISO text or ms since the epoch). Default 2024-05-01T10:00:00Z. */
  startTime?: string | number;
  hosts: HostSpec[];
  links?: { a: string; b: string; params: Partial<LinkParams> }[];
  /**
   * The programs hosts can run, for the inline runtime; their names are the commands the shell
   * knows. Default: the standard programs (src/sim/programs.ts), loaded when the first process
   * starts, so a page whose processes run in workers never loads them.
   */
  programs?: ProgramRegistry;
  /**
   * Without `programs`: the names of the programs the runtime's workers serve (default: the
   * standard ones). A worker imports its registry itself (WebWorkerRuntime's worker factory).
   */
  programNames?: readonly string[];
  /** Default: inline. Pass a worker runtime for Web Workers / worker_threads. */
  runtime?: Runtime;
  /** Record a checkpoint (time, trace length, hash) every this many virtual ms. Default 10 s. */
  checkpointEveryMs?: number;
  /** Worker runtimes: the most the run log (run-log.ts) may hold, bytes. Default 128 MiB. */
  runLogMaxBytes?: number;
  /**
   * Let processes run ahead of timers that promise to keep quiet (Os.setTimer's quietUntil).
   * Default true; false runs the conductor as if no timer promised anything (same outcome, more
   * rounds: tests compare the two).
   */
  quietTimers?: boolean;
  /**
   * Worker runtimes: re-execute from the start (a replay of recorded inputs, a rewind with
   * nothing logged) on this thread while feeding the workers (`World.reexecute`). Default
   * true; false has the workers answer every round (tests and benchmarks compare the two).
   */
  shadowReplays?: boolean;
}

export type Input =
  | { kind: 'open-terminal'; host: string; id: number }
  | { kind: 'type'; terminal: number; line: string }
  /** The terminal's window changed size (the page's terminal was resized). */
  | { kind: 'resize'; terminal: number; columns: number; lines: number }
  | { kind: 'interrupt'; terminal: number }
  | { kind: 'eof'; terminal: number }
  /** A terminal whose login shell ended (`exit`) logs in again (the page's Enter in it). */
  | { kind: 'login'; terminal: number }
  | { kind: 'editor'; attached: boolean }
  | { kind: 'edit-done'; terminal: number; content: string | null }
  | { kind: 'exec'; host: string; command: string; id: number }
  | { kind: 'kill'; host: string; pid: number; signal: string }
  | { kind: 'power-off'; host: string; tearProbability?: number }
  | { kind: 'power-on'; host: string }
  | { kind: 'partition'; a: string[]; b: string[]; oneWay?: boolean }
  | { kind: 'heal'; a?: string[]; b?: string[] }
  | { kind: 'link'; a: string; b: string; params: Partial<LinkParams>; oneWay?: boolean }
  /**
   * The world fast-forwards to `to` (`advance`): until then processes may run further ahead
   * through quiet cron ticks (Kernel.forwardTo). Changes how the rounds fall, not what happens;
   * recorded so that a replay's rounds fall as the original's did.
   */
  | { kind: 'forward'; to: number };

export interface InputRecord { t: number; input: Input }

/** A read-only question to a process between two rounds of a `runUntil` (see `World.inspectAll`). */
export type InspectBetweenRounds = (pid: number, queries: InspectQuery[]) => Promise<unknown[] | null>;

export interface Checkpoint { t: number; traceCount: number; hash: string }

export interface WallClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * For a long run (fast-forward, a rewind's replay): every PLAY_SLICE_MS of wall time, one
 * event-loop turn (runtime/macrotask.ts), so a page stays alive (repaints, shows how far the
 * run got) instead of freezing until the run ends. The turn moves no clock.
 */
function breather(): () => Promise<void> | undefined {
  let sliceEnd = performance.now() + PLAY_SLICE_MS;
  return () => {
    if (performance.now() <= sliceEnd) return undefined;
    return macrotask().then(() => { sliceEnd = performance.now() + PLAY_SLICE_MS; });
  };
}

/**
 * A recorded fast-forward replayed only up to `until` (a rewind into it) ends there, so that no
 * process is left running ahead of `until` (an input then would reach it late). Other records
 * as they are.
 */
function forwardUntil(r: InputRecord, until: number | undefined): InputRecord {
  return r.input.kind === 'forward' && until !== undefined && r.input.to > until ? { t: r.t, input: { kind: 'forward', to: until } } : r;
}

export interface ProcessInfo {
  host: string; pid: number; ppid: number; title: string; argv: string[]; kind: string; startT: number; cpuMs: number; tty: string | null;
  /** Stopped by SIGSTOP (until SIGCONT). */
  stopped: boolean;
}

export interface HostInfo {
  name: string; ip: string; up: boolean; disk: string; crontab: string;
  firewall: { INPUT: object[]; OUTPUT: object[] };
  processes: ProcessInfo[];
}

export interface ExecResult { code: number | null; output: string; done: boolean }

type WorldEvents = {
  output: { terminal: number; text: string };
  reading: { terminal: number; reader: { pid: number; prompt: string; mask: boolean } | null };
  edit: { terminal: number; path: string; content: string };
  time: { now: number };
  /** The world was rebuilt to be re-executed up to virtual time `to` (a rewind). */
  reset: { to: number };
  trace: TraceRecord;
  /** Every transmission on a connection (not recorded; for animating messages in flight). */
  message: WireMessage;
};

const DEFAULT_START = Date.UTC(2024, 4, 1, 10, 0, 0);
const BOOT_DELAY_MS = 8000;
const SHUTDOWN_GRACE_MS = 2000;
/** While playing, the longest the world runs before it lets its caller's thread do other work. */
const PLAY_SLICE_MS = 40;
/** While playing, how far (in wall time) the world may fall behind and still catch up. */
const PLAY_MAX_LAG_MS = 250;

export class World {
  kernel!: Kernel;
  readonly options: WorldOptions;
  /** Virtual time at which the world was built (ms since the epoch). */
  readonly startTime: number;
  /** The commands the shell resolves to programs. */
  readonly programNames: ReadonlySet<string>;
  readonly runtime: Runtime;
  private inputs: InputRecord[] = [];
  private pending: Input[] = [];
  private terminals = new Map<number, SimTerminal>();
  /** The login shell of each terminal (its last exit status). */
  private loginShells = new Map<number, Shell>();
  private nextTerminal = 0;
  private nextExec = 0;
  private execResults = new Map<number, ExecResult>();
  private editorAttached = false;
  private editWaits = new Map<number, (content: string | null) => void>();
  private listeners: { [K in keyof WorldEvents]?: Set<(e: WorldEvents[K]) => void> } = {};
  private busy: Promise<unknown> = Promise.resolve();
  private running = 0;
  checkpoints: Checkpoint[] = [];
  private nextCheckpoint = 0;
  /** While playing; the anchor (wall, virtual) is NaN until the play first holds the clock. */
  private playing: { speed: number; wall: WallClock; handle: unknown; anchorWall: number; anchorVirtual: number; meter: SpeedMeter } | null = null;
  private unsubscribeTrace: (() => void) | null = null;
  /** Set while replaying recorded inputs: new inputs are not recorded twice. */
  private replaying = false;
  /** Worker runtimes: what the kernel did, so a rewind need not wait for the workers (run-log.ts). */
  private readonly runLog: RunLog | null;
  /**
   * How the last rewind rebuilt the world: 'log' (a worker world replaying its run log),
   * 'shadowed' (a worker world with nothing logged, re-executed on this thread while its
   * workers were fed: `reexecute`), 're-executed' (every round run again: inline, or with the
   * workers answering), 'diverged' (the log or the shadow did not match the workers, and the
   * world was re-executed).
   */
  rewoundBy: 'log' | 'shadowed' | 're-executed' | 'diverged' | null = null;

  constructor(options: WorldOptions) {
    this.options = options;
    this.startTime = typeof options.startTime === 'string' ? Date.parse(options.startTime) : options.startTime ?? DEFAULT_START;
    this.programNames = new Set(options.programs ? Object.keys(options.programs) : options.programNames ?? STANDARD_PROGRAM_NAMES);
    this.runtime = options.runtime ?? new InlineRuntime(options.programs ?? (() => import('./programs').then((m) => m.STANDARD_PROGRAMS)));
    this.runLog = this.runtime.parallel ? new RunLog(options.runLogMaxBytes) : null;
    this.build();
  }

  private build(): void {
    const start = this.startTime;
    this.kernel = new Kernel({ seed: String(this.options.seed ?? 1), startTimeMs: start, hosts: this.options.hosts, links: this.options.links, runtime: this.runtime, quietTimers: this.options.quietTimers });
    this.kernel.onBoot = (h) => this.boot(h);
    this.kernel.onHostDown = (h) => this.hostDown(h);
    this.kernel.onExec = (p, argv, env) => this.execve(p, argv, env);
    this.kernel.runLog = this.runLog;
    this.unsubscribeTrace?.();
    this.unsubscribeTrace = null;
    // Trace records become objects only for someone who listens (they are many).
    if (this.hasListeners('trace')) this.subscribeTrace();
    this.watchMessages();
    this.terminals = new Map();
    this.loginShells = new Map();
    this.nextTerminal = 0;
    this.nextExec = 0;
    this.execResults = new Map();
    this.editorAttached = false;
    this.editWaits = new Map();
    this.checkpoints = [];
    this.nextCheckpoint = start;
    for (const h of this.kernel.hosts.values()) this.boot(h);
  }

  // ---- events -----------------------------------------------------------------------------

  on<K extends keyof WorldEvents>(event: K, fn: (e: WorldEvents[K]) => void): () => void {
    let set = this.listeners[event] as Set<(e: WorldEvents[K]) => void> | undefined;
    if (!set) { set = new Set(); (this.listeners as Record<string, unknown>)[event] = set; }
    set.add(fn);
    if (event === 'trace' && !this.unsubscribeTrace) this.subscribeTrace();
    if (event === 'message') this.watchMessages();
    return () => {
      set!.delete(fn);
      if (event === 'trace' && set!.size === 0) { this.unsubscribeTrace?.(); this.unsubscribeTrace = null; }
      if (event === 'message') this.watchMessages();
    };
  }

  /** The network reports transmissions only while someone watches them (it costs a copy). */
  private watchMessages(): void {
    this.kernel.network.observer = this.hasListeners('message') ? (m) => this.emit('message', m) : null;
  }

  private subscribeTrace(): void {
    this.unsubscribeTrace = this.kernel.trace.subscribe((r) => this.emit('trace', r));
  }

  private hasListeners(event: keyof WorldEvents): boolean { return (this.listeners[event]?.size ?? 0) > 0; }

  private emit<K extends keyof WorldEvents>(event: K, e: WorldEvents[K]): void {
    const set = this.listeners[event] as Set<(e: WorldEvents[K]) => void> | undefined;
    if (set) for (const fn of set) fn(e);
  }

  // ---- time -------------------------------------------------------------------------------

  /** Virtual time: everything before it has happened. */
  get now(): number { return this.kernel.frontier; }

  /** Serialise everything that moves the clock (the UI may call from several places). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const body = async () => {
      this.running++;
      try { return await fn(); } finally { this.running--; }
    };
    const run = this.busy.then(body, body);
    this.busy = run.catch(() => undefined);
    return run;
  }

  /** Run the next window (skipping idle time). False when nothing will ever happen. */
  step(): Promise<boolean> {
    return this.exclusive(async () => {
      this.applyPending();
      const r = await this.kstep(Infinity);
      this.afterStep();
      return r;
    });
  }

  /**
   * Advance virtual time by `ms`: a fast-forward. Processes with only quiet cron ticks ahead run
   * up to MAX_FORWARD_AHEAD_MS per round (an idle world takes a round per thing that happens,
   * not per tick), so inputs made meanwhile wait for its end: applied mid-way, they would
   * reach those processes late.
   */
  advance(ms: number): Promise<void> {
    return this.exclusive(async () => {
      const target = this.kernel.frontier + ms;
      this.applyPending();
      if (target > this.kernel.frontier) this.applyInput({ kind: 'forward', to: target }, this.kernel.frontier);
      await this.advanceTo(target, undefined, breather(), true);
      this.applyPending();
    });
  }

  /**
   * Advance until `pred()` holds (checked between windows) or `timeoutMs` of virtual time pass.
   * The predicate may ask processes read-only questions between windows through `inspect` (like
   * `inspectAll`, which it cannot call: the clock is busy with this run), and then be async.
   */
  runUntil(pred: (w: World, inspect: InspectBetweenRounds) => boolean | Promise<boolean>, opts: { timeoutMs?: number } = {}): Promise<boolean> {
    return this.exclusive(async () => {
      const limit = this.kernel.frontier + (opts.timeoutMs ?? 60_000);
      const breathe = breather();
      const inspect: InspectBetweenRounds = (pid, queries) => {
        const h = this.handleOf(pid);
        return h ? h.query(pid, queries, this.kernel.frontier) : Promise.resolve(null);
      };
      const holds = async () => {
        const r = pred(this, inspect);
        return typeof r === 'boolean' ? r : await r;
      };
      this.applyPending();
      if (await holds()) return true;
      for (;;) {
        const next = this.kernel.nextTime();
        if (next >= limit) { this.idleUntil(limit); this.afterStep(); return holds(); }
        await this.kstep(limit);
        this.afterStep();
        await breathe();
        this.applyPending();
        if (await holds()) return true;
      }
    });
  }

  /**
   * Advance to `target`. While playing (`wall`), stop early, short of the target, when the slice's
   * wall-time deadline passes or the play it belongs to has ended (paused, or another speed).
   */
  private async advanceTo(target: number, wall?: { clock: WallClock; deadline: number; stopped: () => boolean }, breathe?: () => Promise<void> | undefined, holdInputs = false): Promise<void> {
    this.applyPending();
    for (;;) {
      if (wall && (wall.stopped() || wall.clock.now() > wall.deadline)) { this.afterStep(); return; }
      const next = this.kernel.nextTime();
      if (next >= target) break;
      await this.kstep(target);
      this.afterStep();
      await breathe?.();
      if (!holdInputs) this.applyPending();
    }
    this.idleUntil(target);
    this.afterStep();
  }

  /** One round of the kernel (false: nothing due at or before `limit`), in the run log. */
  private async kstep(limit: number): Promise<boolean> {
    const log = this.runLog;
    if (!log) return this.kernel.step(limit);
    log.beginStep();
    let ran = false;
    try {
      ran = await this.kernel.step(limit);
    } finally {
      log.endStep(ran, limit, this.kernel.frontier);
    }
    return ran;
  }

  /** Time passes with nothing due before `t`, in the run log. */
  private idleUntil(t: number): void {
    const before = this.kernel.frontier;
    this.kernel.idleUntil(t);
    if (this.kernel.frontier !== before) this.runLog?.recordIdle(t);
  }

  /** Real time × speed (0.1–100), driven by `wall` (default: the platform's clock and timers). */
  play(speed = 1, wall: WallClock = defaultWallClock()): void {
    this.pause();
    const clamped = Math.min(100, Math.max(0.1, speed));
    const state = { speed: clamped, wall, handle: null as unknown, anchorWall: NaN, anchorVirtual: NaN, meter: new SpeedMeter() };
    this.playing = state;
    const stopped = () => this.playing !== state;
    const tick = () => {
      if (stopped()) return;
      void this.exclusive(async () => {
        if (stopped()) return;
        if (Number.isNaN(state.anchorWall)) {
          // Anchor once the clock is ours: whatever ran before (an advance of the previous speed
          // finishing its slice, a command, workers starting) is not time this speed owes.
          state.anchorWall = wall.now();
          state.anchorVirtual = this.now;
          state.meter.sample(state.anchorWall, this.now);
        }
        const target = state.anchorVirtual + (wall.now() - state.anchorWall) * state.speed;
        await this.advanceTo(target, { clock: wall, deadline: wall.now() + PLAY_SLICE_MS, stopped });
        if (stopped()) return;
        state.meter.sample(wall.now(), this.now);
        if (this.now >= target - 1) {
          // Caught up: come back in a frame's time.
          state.handle = wall.setTimeout(tick, 16);
          return;
        }
        // Behind: go on at once (the page still renders between rounds; pausing here would leave
        // the machine idle for time the world could use). A short lag (a collection, a slow
        // round) is caught up; a longer one is forgiven down to PLAY_MAX_LAG_MS, so a world that
        // cannot keep up at all runs as fast as it can instead of piling up debt.
        const lagMs = wall.now() - (state.anchorWall + (this.now - state.anchorVirtual) / state.speed);
        if (lagMs > PLAY_MAX_LAG_MS) {
          state.anchorWall = wall.now() - PLAY_MAX_LAG_MS;
          state.anchorVirtual = this.now;
        }
        state.handle = wall.setTimeout(tick, 0);
      });
    };
    state.handle = wall.setTimeout(tick, 0);
  }

  pause(): void {
    if (!this.playing) return;
    this.playing.wall.clearTimeout(this.playing.handle);
    this.playing = null;
  }

  get speed(): number | null { return this.playing?.speed ?? null; }

  /**
   * While playing: the speed the world has really run at over the last seconds (speed-meter.ts),
   * below `speed` when it cannot keep up; null when paused or just started.
   */
  get achievedSpeed(): number | null { return this.playing?.meter.speed() ?? null; }

  private afterStep(): void {
    const k = this.kernel;
    if (k.frontier >= this.nextCheckpoint) {
      // The state at the frontier: everything before it has happened, nothing at or after it.
      this.checkpoints.push({ t: k.frontier, traceCount: k.trace.count, hash: k.trace.hash() });
      const every = this.options.checkpointEveryMs ?? 10_000;
      while (this.nextCheckpoint <= k.frontier) this.nextCheckpoint += every;
    }
    if (this.hasListeners('time')) this.emit('time', { now: k.frontier });
  }

  // ---- inputs -----------------------------------------------------------------------------

  /** Record an input; it takes effect at the frontier, before the next window. */
  input(i: Input): void {
    this.pending.push(i);
    // Between windows the frontier is stable: apply at once (terminals answer immediately).
    if (this.running === 0) this.applyPending();
  }

  private applyPending(): void {
    while (this.pending.length > 0) {
      const i = this.pending.shift()!;
      this.applyInput(i, this.kernel.frontier);
    }
  }

  private applyInput(i: Input, t: number): void {
    const k = this.kernel;
    k.now = t;
    if (!this.replaying) this.recordInput({ t, input: i });
    // It changes no outcome (only how the rounds fall): no trace record.
    if (i.kind === 'forward') { k.forwardTo = i.to; return; }
    k.record('input', 'host' in i && typeof i.host === 'string' ? i.host : '', 0, `${i.kind} ${JSON.stringify(i)}`);
    switch (i.kind) {
      case 'open-terminal': {
        const host = this.host(i.host);
        this.openTerminalNow(host, i.id);
        this.nextTerminal = Math.max(this.nextTerminal, i.id);
        return;
      }
      case 'type': this.terminals.get(i.terminal)?.input(i.line); return;
      case 'resize': this.terminals.get(i.terminal)?.resize(i.columns, i.lines); return;
      case 'eof': this.terminals.get(i.terminal)?.eof(); return;
      case 'login': {
        const term = this.terminals.get(i.terminal);
        if (term?.closed && term.host.up) this.loginAgain(term);
        return;
      }
      case 'interrupt': {
        const term = this.terminals.get(i.terminal);
        if (!term || term.interruptRawReader()) return;
        const fg = [...term.foreground];
        // Nothing in the foreground: the SIGINT is the login shell's (at the prompt it abandons
        // the line); one that ignores it (`trap '' INT`) does not even echo ^C.
        if (fg.length === 0 && k.procs.get(term.shellPid)?.ignoredSignals?.has('SIGINT')) return;
        term.write('^C');
        for (const pid of fg.length > 0 ? fg : [term.shellPid]) k.signal(pid, 'SIGINT');
        return;
      }
      case 'editor': this.editorAttached = i.attached; return;
      case 'edit-done': {
        const resume = this.editWaits.get(i.terminal);
        this.editWaits.delete(i.terminal);
        resume?.(i.content === null ? null : utf8ToStr(i.content));
        return;
      }
      case 'exec': {
        const host = this.host(i.host);
        const result: ExecResult = { code: null, output: '', done: false };
        this.execResults.set(i.id, result);
        const chunks: string[] = [];
        const out = { kind: 'buffer' as const, chunks };
        const command = utf8ToStr(i.command);
        const rec = k.kernelProcess({ host, kind: 'shell', title: `sh -c ${command}`, argv: ['sh', '-c', command], cwd: host.home, ppid: 1, stdin: { kind: 'null' }, stdout: out, stderr: out, tty: null });
        const shell = new Shell(this.shellSys(), host, null, rec, { stdin: { kind: 'null' }, stdout: out, stderr: out }, false, ['sh']);
        Object.defineProperty(result, 'output', { get: () => chunks.join(''), enumerable: true });
        // Told when the process ends: the shell's end, a signal's, or that of what it exec'd.
        rec.waiters.push((code) => { result.code = code; result.done = true; });
        k.runTask(rec, shell.runSource(command), (code) => k.endProcess(rec, typeof code === 'number' ? code : 1, null, 'exit'));
        return;
      }
      case 'kill': {
        const p = k.procs.get(i.pid);
        if (p && p.host.name === i.host) k.signal(i.pid, i.signal);
        return;
      }
      case 'power-off': k.powerOff(this.host(i.host), { tearProbability: i.tearProbability }); return;
      case 'power-on': k.powerOn(this.host(i.host)); return;
      case 'partition': k.network.partition(i.a, i.b, i.oneWay); k.record('partition', '', 0, `${i.a.join(',')} ${i.oneWay ? '->' : '<->'} ${i.b.join(',')}`); return;
      case 'heal': k.network.heal(i.a, i.b); k.record('heal', '', 0, i.a ? `${i.a.join(',')} ${i.b?.join(',')}` : 'all'); return;
      case 'link': k.network.setLink(i.a, i.b, i.params, !i.oneWay); return;
    }
  }

  // Convenience wrappers around `input`.

  /** Open a terminal (a login shell) on `host`; returns its id. */
  openTerminal(host: string): number {
    const id = ++this.nextTerminal;
    this.input({ kind: 'open-terminal', host, id });
    return id;
  }

  type(terminal: number, line: string): void { this.input({ kind: 'type', terminal, line }); }
  /** The terminal's size in character cells (what the page's terminal shows). */
  resizeTerminal(terminal: number, columns: number, lines: number): void { this.input({ kind: 'resize', terminal, columns, lines }); }
  interrupt(terminal: number): void { this.input({ kind: 'interrupt', terminal }); }
  eof(terminal: number): void { this.input({ kind: 'eof', terminal }); }
  /** Log in again on a terminal whose shell ended (no effect on an open one or a host that is off). */
  login(terminal: number): void { this.input({ kind: 'login', terminal }); }
  kill(host: string, pid: number, signal = 'SIGTERM'): void { this.input({ kind: 'kill', host, pid, signal }); }
  powerOff(host: string, tearProbability?: number): void { this.input({ kind: 'power-off', host, tearProbability }); }
  powerOn(host: string): void { this.input({ kind: 'power-on', host }); }
  // The recorded input keeps its own copies of the caller's arrays and objects: the caller may
  // change them later, or hand in a proxy (a Svelte $state lesson's groups), which
  // structuredClone in recordedInputs() cannot clone.
  partition(a: string[], b: string[], oneWay = false): void { this.input({ kind: 'partition', a: [...a], b: [...b], oneWay }); }
  heal(a?: string[], b?: string[]): void { this.input({ kind: 'heal', a: a && [...a], b: b && [...b] }); }
  setLink(a: string, b: string, params: Partial<LinkParams>, oneWay = false): void { this.input({ kind: 'link', a, b, params: { ...params }, oneWay }); }
  /** An editor UI is attached (see attachEditor). */
  get hasEditor(): boolean { return this.editorAttached; }
  /** Attach an editor UI: `vi` and `crontab -e` then emit `edit` events answered by `editDone`. */
  attachEditor(attached = true): void { this.input({ kind: 'editor', attached }); }
  editDone(terminal: number, content: string | null): void { this.input({ kind: 'edit-done', terminal, content }); }

  /**
   * Run a command line headlessly on `host` (tests, the lesson runner) and advance time until it
   * finishes or `timeoutMs` of virtual time pass.
   */
  async exec(host: string, command: string, opts: { timeoutMs?: number } = {}): Promise<ExecResult> {
    const id = ++this.nextExec;
    this.input({ kind: 'exec', host, command, id });
    await this.runUntil(() => this.execResults.get(id)?.done === true, { timeoutMs: opts.timeoutMs ?? 60_000 });
    const r = this.execResults.get(id)!;
    return { code: r.code, output: r.output, done: r.done };
  }

  /** Every input so far, with the virtual time it took effect. */
  recordedInputs(): InputRecord[] { return this.inputs.map((r) => ({ t: r.t, input: structuredClone(r.input) })); }

  // ---- replay and rewind ------------------------------------------------------------------

  /** Feed recorded inputs at their times, then advance to `until` (default: the last input). */
  async replayInputs(records: InputRecord[], until?: number): Promise<void> {
    await this.exclusive(async () => { await this.reexecute(records, until, breather()); });
  }

  /**
   * Run `records` up to `until` again. A worker world at its start shadows its workers
   * (Kernel.startShadow): the rounds run on this thread as in an inline world, while the workers
   * are fed the same batches and rebuild their processes behind it, and the run log fills as
   * if the workers had answered. If a worker then computed another answer than its inline twin,
   * the world is rebuilt and re-executed with the workers answering every round.
   */
  private async reexecute(records: InputRecord[], until: number | undefined, breathe: () => Promise<void> | undefined): Promise<'shadowed' | 're-executed' | 'diverged'> {
    const shadow = this.shadowRuntime();
    if (!shadow || !this.kernel.startShadow(shadow)) {
      shadow?.dispose();
      await this.replayRecords(records, until, breathe);
      return 're-executed';
    }
    let agreed = false;
    try {
      await this.replayRecords(records, until, breathe);
    } finally {
      agreed = await this.kernel.endShadow();
    }
    if (agreed) return 'shadowed';
    console.warn('shadowed re-execution: a worker did not compute what its inline twin did; re-executing');
    this.rebuild();
    this.runLog?.truncate(0);
    this.emit('reset', { to: until ?? records.at(-1)?.t ?? this.kernel.now });
    await this.replayRecords(records, until, breathe);
    return 'diverged';
  }

  /**
   * Whether a re-execution can shadow the workers: a worker world, shadowing not turned off,
   * and the workers' programs available here (workers serving other programs than the standard
   * ones import a registry this thread has not).
   */
  private shadowable(): boolean {
    return this.runtime.parallel && this.options.shadowReplays !== false && (!!this.options.programs || !this.options.programNames);
  }

  /** An inline runtime for a worker world's shadow runners (null when not `shadowable`). */
  private shadowRuntime(): Runtime | null {
    if (!this.shadowable()) return null;
    return new InlineRuntime(this.options.programs ?? (() => import('./programs').then((m) => m.STANDARD_PROGRAMS)));
  }

  /**
   * replayInputs' work, inside `exclusive`. Inputs made while the replay breathes wait until it
   * is done (it applies none of them): applied mid-replay, they would land in the replayed past.
   */
  private async replayRecords(records: InputRecord[], until: number | undefined, breathe: () => Promise<void> | undefined): Promise<void> {
    const replayTo = async (t: number) => {
      while (this.kernel.nextTime() < t) {
        await this.kstep(t);
        this.afterStep();
        await breathe();
      }
      this.idleUntil(t);
    };
    for (const r of records) {
      await replayTo(r.t);
      this.replayInput(forwardUntil(r, until), true);
    }
    if (until !== undefined) await replayTo(until);
    this.afterStep();
  }

  /** Apply a recorded input again at its time (recorded once more; in the run log when `log`). */
  private replayInput(r: InputRecord, log: boolean): void {
    if (log) this.recordInput({ t: r.t, input: r.input });
    else this.inputs.push({ t: r.t, input: r.input });
    this.replaying = true;
    try { this.applyInput(r.input, r.t); } finally { this.replaying = false; }
    if (r.input.kind === 'exec') this.nextExec = Math.max(this.nextExec, r.input.id);
  }

  private recordInput(r: InputRecord): void {
    this.inputs.push(r);
    this.runLog?.recordInput();
  }

  /** A new world with the same options, replaying `records` up to `until`. */
  static async replay(options: WorldOptions, records: InputRecord[], until?: number): Promise<World> {
    const w = new World(options);
    await w.replayInputs(records, until);
    return w;
  }

  /**
   * Go back to virtual time `t`. Process memory cannot be checkpointed (closures, timers), so
   * rewinding re-executes the world from its start with the inputs recorded before `t`;
   * determinism guarantees it reaches the same state. The checkpoints (time, trace length,
   * hash) let callers verify that it did. A worker world replays its run log instead of
   * waiting for its workers every round (run-log.ts).
   */
  async rewind(t: number): Promise<void> {
    this.pause();
    // One turn of the clock from the rebuild to the end of the replay: a call queued meanwhile
    // (the autoplay's next slice, an input) would otherwise run on the new world at its start,
    // before the replay (a round there, an input applied at the start), and the replayed log
    // would no longer be that world's. The inputs kept are those of the world as it is when the
    // rewind's turn comes (calls queued before it have run).
    await this.exclusive(async () => {
      const keep = this.inputs.filter((r) => r.t < t);
      this.rebuild();
      this.emit('reset', { to: t });
      const breathe = breather();
      // A log that stopped recording before `t` would leave the rest to run round by round
      // (workers answering, ~5 times slower than a shadowed re-execution, which logs afresh).
      if (this.runLog && this.runLog.length > 0 && (this.runLog.reaches(t) || !this.shadowable())) {
        if (await this.replayLog(keep, t, breathe)) { this.rewoundBy = 'log'; return; }
        this.rewoundBy = 'diverged';
        this.emit('reset', { to: t });
        await this.replayRecords(keep, t, breathe);
      } else {
        this.runLog?.truncate(0);
        this.rewoundBy = await this.reexecute(keep, t, breathe);
      }
    });
  }

  /** A fresh world at its start (no inputs yet). */
  private rebuild(): void {
    this.disposeKernel();
    this.inputs = [];
    this.build();
  }

  /**
   * Rewind in a worker world: replay the run log up to `t` (inputs `keep`), then run what it
   * does not cover, then check the workers ran as logged. False when the replay diverged from
   * the log: the world is then rebuilt empty and the log cleared, for a plain re-execution.
   */
  private async replayLog(keep: InputRecord[], t: number, breathe: () => Promise<void> | undefined): Promise<boolean> {
    const log = this.runLog!;
    const k = this.kernel;
    let i = 0;
    let j = 0;
    // The logged steps are valid up to here: past `t`, and, when `t` falls in a fast-forward
    // (which now ends at `t`), past MAX_FORWARD_AHEAD_MS before `t` (later rounds of the
    // logged forward ran further than the shortened one lets them).
    let validTo = t;
    try {
      for (; i < log.length; i++) {
        const op = log.op(i);
        if (op.k === 'input') {
          if (j >= keep.length) break;
          if (keep[j].t !== k.frontier) throw new RunLogDiverged(`run log: an input at ${keep[j].t} came at ${k.frontier}`);
          const recorded = keep[j++];
          const r = forwardUntil(recorded, t);
          if (r !== recorded) validTo = t - MAX_FORWARD_AHEAD_MS;
          this.replayInput(r, false);
        } else if (op.k === 'idle') {
          if (op.to > t) break;
          k.idleUntil(op.to);
          this.afterStep();
        } else {
          if (op.frontier > validTo) break;
          log.replayStep(i);
          await k.step(op.limit);
          log.endReplayStep(k.frontier);
          this.afterStep();
          await breathe();
        }
      }
      // What follows in the log was the old world's future.
      log.truncate(i);
      await this.replayRecords(keep.slice(j), t, breathe);
      if (await k.syncRunners()) return true;
      console.warn('run log: a worker did not run its batches as logged; re-executing');
    } catch (e) {
      if (!(e instanceof RunLogDiverged)) throw e;
      console.warn(e.message + '; re-executing');
    }
    this.rebuild();
    log.truncate(0);
    return false;
  }

  private disposeKernel(): void {
    for (const p of [...this.kernel.procs.values()]) this.kernel.endProcess(p, 137, 'SIGKILL', 'kill');
    this.kernel.retireAll();
  }

  dispose(): void {
    this.pause();
    this.disposeKernel();
    this.unsubscribeTrace?.();
    this.runtime.dispose();
  }

  // ---- hosts, boot, terminals -------------------------------------------------------------

  host(name: string): Host {
    const h = this.kernel.hosts.get(name);
    if (!h) throw new Error(`no such host: ${name}`);
    return h;
  }

  private shellSys(): ShellSys {
    return {
      kernel: this.kernel,
      hasProgram: (name) => this.programNames.has(name),
      programNames: () => this.programNames,
      edit: (term, path, content) => this.editWait(term, path, content),
      reboot: (host) => this.shutdownHost(host, true),
      poweroff: (host) => this.shutdownHost(host, false),
      sysrq: (host, key) => this.sysrq(host, key),
      crontabChanged: (host) => this.scheduleCron(host),
    };
  }

  /** What the hosts' sshd needs: shells, and names for the terminals of its sessions. */
  private sshdWorld(): SshdWorld {
    return {
      kernel: this.kernel,
      runShell: (host, term, rec, io, how) => {
        const shell = new Shell(this.shellSys(), host, term, rec, io, 'interactive' in how);
        return 'interactive' in how ? shell.interactiveLoop() : shell.execScript(how.argv, how.env);
      },
      // The lowest pts/N no terminal of the host holds (the page's, or another session's).
      ptyName: (host) => {
        const used = new Set<string>();
        for (const t of this.terminals.values()) if (t.host === host && !t.closed) used.add(t.name);
        for (const p of this.kernel.procs.values()) if (p.host === host && p.tty) used.add(p.tty.name);
        let n = 0;
        while (used.has(`pts/${n}`)) n++;
        return `pts/${n}`;
      },
    };
  }

  private editWait(term: { id: number } | null, path: string, content: string): Wait | null {
    if (!this.editorAttached || !term) return null;
    return (resume) => {
      this.editWaits.set(term.id, resume);
      this.emit('edit', { terminal: term.id, path: strToUtf8(path), content: strToUtf8(content) });
      return () => { this.editWaits.delete(term.id); };
    };
  }

  private boot(host: Host): void {
    const k = this.kernel;
    // Kernel tunables start from the defaults, then /etc/sysctl.conf (systemd-sysctl).
    bootTunables(host, k.now);
    mountMeminfo(host, () => k.processesOn(host), k.now);
    mountCpuFiles(host, k.now);
    mountThp(host, k.now);
    mountClocksource(host, k.now);
    const cron = k.kernelProcess({ host, kind: 'system', title: '/usr/sbin/cron -f', argv: ['/usr/sbin/cron', '-f'], cwd: '/', ppid: 1, stdin: { kind: 'null' }, stdout: { kind: 'null' }, stderr: { kind: 'null' }, tty: null });
    cronPids.set(host, cron.pid);
    if (host.sshd) startSshd(this.sshdWorld(), host);
    this.scheduleCron(host);
    for (const line of host.boot) this.runDetached(host, line);
    for (const e of parseCrontabSafe(host.crontab)) if (e.reboot) this.runDetached(host, e.command, cron.pid);
    // Terminals of a host that went down come back with a fresh login.
    for (const term of this.terminals.values()) if (term.host === host && term.closed) this.loginAgain(term);
  }

  /** A closed terminal connects again, to a fresh login shell. */
  private loginAgain(term: SimTerminal): void {
    term.closed = false;
    term.write(`\r\nConnected to ${term.host.name}.\r\n`);
    this.startLogin(term);
  }

  /**
   * execve() by a program's process (a sentinel's notification and reconfiguration scripts).
   * Linux runs a file that starts with `#!` under the interpreter named there, with the line's
   * one optional argument, the file's path and the other arguments. The interpreters these hosts
   * have are the shells (sh, bash, also through /usr/bin/env), so the process, keeping its pid,
   * becomes a shell running the file; a file without #! cannot be executed (ENOEXEC).
   */
  private execve(p: ProcRecord, argv: string[], env: Record<string, string>): string | (() => void) {
    const path = resolvePath(p.cwd, argv[0] ?? '');
    const f = p.host.disk.lookup(path);
    if (!f) return 'ENOENT';
    if (f.isDir || (f.mode & 0o111) === 0) return 'EACCES';
    const shebang = readShebang(f.bytes());
    if (!shebang) return 'ENOEXEC';
    if (!shebang.shell) return 'ENOENT';
    const { interpreter, arg, option } = shebang;
    return () => {
      const k = this.kernel;
      p.title = [interpreter, ...(arg ? [arg] : []), ...argv].join(' ');
      p.argv = [...argv];
      p.comm = undefined;
      const shell = new Shell(this.shellSys(), p.host, null, p, { stdin: p.stdin, stdout: p.stdout, stderr: p.stderr }, false);
      k.runTask(p, shell.execScript(['sh', ...(option ? [option] : []), ...argv], env), (code) => k.endProcess(p, typeof code === 'number' ? code : 1, null, 'exit'));
    };
  }

  /**
   * Run a command line in the background on `host`, output to /var/log/syslog: a boot line as
   * systemd runs a service (under init), or a job of the cron daemon `cronPid`.
   */
  private runDetached(host: Host, line: string, cronPid?: number): ProcRecord {
    const ppid = cronPid ?? 1;
    const k = this.kernel;
    const log = host.disk.create('/var/log/syslog', false, k.now);
    const sink = typeof log === 'string' ? { kind: 'null' as const } : { kind: 'file' as const, host, path: '/var/log/syslog', inode: log };
    const rec = k.kernelProcess({ host, kind: 'shell', title: `/bin/sh -c ${line}`, argv: ['/bin/sh', '-c', line], cwd: '/', ppid, stdin: { kind: 'null' }, stdout: sink, stderr: sink, tty: null });
    const shell = new Shell(this.shellSys(), host, null, rec, { stdin: { kind: 'null' }, stdout: sink, stderr: sink }, false, ['sh']);
    // A service's command is the process systemd started (and made a session leader), not a
    // child of a shell; cron's `/bin/sh -c` (dash) forks it.
    shell.execsLast = cronPid === undefined;
    k.runTask(rec, shell.runSource(line), (code) => k.endProcess(rec, typeof code === 'number' ? code : 1, null, 'exit'));
    return rec;
  }

  private openTerminalNow(host: Host, id: number): SimTerminal {
    const term = new SimTerminal(id, host, `pts/${[...this.terminals.values()].filter((t) => t.host === host).length}`, {
      output: (t, text) => this.emit('output', { terminal: t.id, text }),
      reading: (t, reader) => this.emit('reading', { terminal: t.id, reader }),
    });
    this.terminals.set(id, term);
    if (!host.up) { term.write(`ssh: connect to host ${host.name} port 22: No route to host\r\n`); term.closed = true; return term; }
    this.startLogin(term);
    return term;
  }

  private startLogin(term: SimTerminal): void {
    const k = this.kernel;
    const host = term.host;
    const tty = { kind: 'tty' as const, term };
    const rec = k.kernelProcess({ host, kind: 'shell', title: '-bash', argv: ['-bash'], cwd: host.home, ppid: 1, stdin: tty, stdout: tty, stderr: tty, tty: term });
    term.shellPid = rec.pid;
    const shell = new Shell(this.shellSys(), host, term, rec, { stdin: tty, stdout: tty, stderr: tty }, true);
    this.loginShells.set(term.id, shell);
    // The session ends with the process: the shell's exit, or that of what it exec'd.
    rec.waiters.push(() => { if (host.up) term.close(`Connection to ${host.name} closed.\r\n`); });
    k.runTask(rec, shell.interactiveLoop(), (code) => k.endProcess(rec, typeof code === 'number' ? code : 0, null, 'exit'));
  }

  terminal(id: number): SimTerminal | undefined { return this.terminals.get(id); }
  terminalIds(): number[] { return [...this.terminals.keys()]; }

  /**
   * Who reads the terminal's next line: its login shell (the prompt is shown), a program in
   * the foreground (an interactive redis-cli), or nobody (a command is running); and the exit
   * status of the shell's last command.
   */
  terminalState(id: number): { reader: 'shell' | 'program' | null; readerPid: number | null; prompt: string; lastStatus: number; closed: boolean } | null {
    const term = this.terminals.get(id);
    if (!term) return null;
    const r = term.currentReader();
    const reader = !r ? null : r.pid === term.shellPid && this.kernel.procs.get(r.pid)?.kind === 'shell' ? 'shell' : 'program';
    return { reader, readerPid: r?.pid ?? null, prompt: r?.prompt ?? '', lastStatus: this.loginShells.get(id)?.status ?? 0, closed: term.closed };
  }

  /**
   * Hints / completion from the process reading the terminal's line (redis-cli), if any; at
   * the shell prompt, the shell's Tab completion (commands, paths).
   */
  async lineHelp(terminal: number, kind: 'hint' | 'complete', line: string): Promise<string | string[] | null> {
    const term = this.terminals.get(terminal);
    const reader = term?.currentReader();
    if (!reader) return null;
    const shell = this.loginShells.get(terminal);
    if (shell && reader.pid === shell.proc.pid && shell.proc.kind === 'shell') return kind === 'complete' ? shell.completions(line) : null;
    const p = this.kernel.procs.get(reader.pid);
    if (!p || p.slot === null) return null;
    return this.kernel.runnerHandle(p.slot)?.lineHelp(p.pid, kind, line) ?? null;
  }

  private hostDown(host: Host): void {
    for (const term of this.terminals.values()) {
      if (term.host === host) term.close(`\r\nConnection to ${host.name} closed by remote host.\r\n`);
    }
  }

  /** `reboot` / `poweroff`: SIGTERM everything, sync, power off, (boot again). */
  private shutdownHost(host: Host, reboot: boolean): void {
    const k = this.kernel;
    const bootId = host.bootId;
    k.record(reboot ? 'reboot' : 'poweroff', host.name, 0, '');
    for (const term of this.terminals.values()) {
      if (term.host === host) term.write(`\r\nBroadcast message from root@${host.name} (pts/0):\r\n\r\nThe system is going down for ${reboot ? 'reboot' : 'poweroff'} NOW!\r\n\r\n`);
    }
    for (const p of k.processesOn(host)) if (p.kind === 'program') k.signal(p.pid, 'SIGTERM');
    k.at(k.now + SHUTDOWN_GRACE_MS, () => {
      if (host.bootId !== bootId || !host.up) return;
      host.disk.syncAll();
      k.powerOff(host);
      if (reboot) k.at(k.now + BOOT_DELAY_MS, () => k.powerOn(host));
    });
  }

  /**
   * Magic SysRq (`echo o > /proc/sysrq-trigger`): `o` cuts the power now and `b` resets the
   * machine now, without syncing, as when the plug is pulled; `s` is an emergency sync. Other
   * keys are accepted and do nothing here. The writer's own shell is among what stops, so the
   * power goes once the current event is over.
   */
  private sysrq(host: Host, key: string): void {
    const k = this.kernel;
    k.record('sysrq', host.name, 0, key);
    if (key === 's') { host.disk.syncAll(); return; }
    if (key !== 'o' && key !== 'b') return;
    const bootId = host.bootId;
    k.soon(() => {
      if (host.bootId !== bootId || !host.up) return;
      k.powerOff(host);
      if (key === 'b') k.at(k.now + BOOT_DELAY_MS, () => k.powerOn(host));
    });
  }

  // ---- cron -------------------------------------------------------------------------------

  private scheduleCron(host: Host): void {
    const k = this.kernel;
    const entries = parseCrontabSafe(host.crontab).filter((e) => !e.reboot);
    const token = (cronTokens.get(host) ?? 0) + 1;
    cronTokens.set(host, token);
    if (entries.length === 0 || !host.up) return;
    const bootId = host.bootId;
    const tz = host.tzOffsetMinutes * 60000;
    const nextMinute = (t: number) => Math.floor((t + tz) / 60000) * 60000 + 60000 - tz;
    const tick = (at: number) => {
      k.at(at, () => {
        if (cronTokens.get(host) !== token || host.bootId !== bootId || !host.up) return;
        for (const e of parseCrontabSafe(host.crontab)) {
          if (!cronMatches(e, at + tz)) continue;
          const p = this.runDetached(host, e.command, cronPids.get(host) ?? 1);
          k.record('cron', host.name, p.pid, e.command);
        }
        tick(nextMinute(at + 1));
      });
    };
    tick(nextMinute(k.now));
  }

  // ---- inspection -------------------------------------------------------------------------

  get trace(): { hash(): string; count: number; recent(from?: number): TraceRecord[]; subscribe(fn: (r: TraceRecord) => void): () => void } {
    const t = this.kernel.trace;
    return { hash: () => t.hash(), count: t.count, recent: (from) => t.recent(from), subscribe: (fn) => this.on('trace', fn) };
  }

  hosts(): HostInfo[] {
    return [...this.kernel.hosts.values()].map((h) => ({
      name: h.name, ip: h.ip, up: h.up, disk: h.disk.profile.name, crontab: h.crontab,
      firewall: { INPUT: h.firewall.chains.INPUT.map((r) => ({ ...r })), OUTPUT: h.firewall.chains.OUTPUT.map((r) => ({ ...r })) },
      processes: this.processes(h.name),
    }));
  }

  processes(host?: string): ProcessInfo[] {
    return [...this.kernel.procs.values()]
      .filter((p) => !host || p.host.name === host)
      .sort((a, b) => a.pid - b.pid)
      .map((p) => ({ host: p.host.name, pid: p.pid, ppid: p.ppid, title: p.title, argv: [...p.argv], kind: p.kind, startT: p.startT, cpuMs: p.cpuUserMs + p.cpuSysMs, tty: p.tty?.name ?? null, stopped: !!p.stopped }));
  }

  connections(): ReturnType<Kernel['network']['describe']> { return this.kernel.network.describe(); }

  /** Listening sockets (one per bound address) of running processes, optionally of one host. */
  listening(host?: string): { host: string; pid: number; port: number; address: string }[] {
    const out: { host: string; pid: number; port: number; address: string }[] = [];
    for (const l of this.kernel.network.listeners.values()) {
      if (host && l.host.name !== host) continue;
      if (!this.kernel.alive(l.pid)) continue;
      out.push({ host: l.host.name, pid: l.pid, port: l.port, address: l.address });
    }
    return out;
  }

  /** Directed host pairs the network currently cuts (partitions), as [from, to]. */
  cuts(): [string, string][] {
    return [...this.kernel.network.blocked].map((k) => k.split('>') as [string, string]);
  }

  /** Link parameters in force from host `a` to host `b` (latency, jitter, bandwidth, loss). */
  linkParams(a: string, b: string): LinkParams {
    return { ...this.kernel.network.link(this.host(a), this.host(b)) };
  }

  /**
   * Look inside a process's memory without changing anything: read-only queries (see
   * runtime/inspectors.ts: a redis-server's role, INFO, keys, config, log; the load generator's
   * counters) run in the process between rounds (inline: a direct call; workers: a message to
   * the process's worker), with the process's clock at `now`. Nothing is recorded in the trace
   * and the process cannot tell it happened. Null when the process is not running (or not yet).
   */
  async inspectAll(pid: number, queries: InspectQuery[]): Promise<unknown[] | null> {
    return (await this.inspectEach([{ pid, queries }]))[0];
  }

  /**
   * `inspectAll` for several processes at once: each process's queries go to it together, and
   * the processes answer concurrently (on workers, one round trip for all of them instead of
   * one after another). Answers in the order asked; null for a process not running.
   */
  inspectEach(requests: readonly { pid: number; queries: InspectQuery[] }[]): Promise<(unknown[] | null)[]> {
    return this.exclusive(() => Promise.all(requests.map(({ pid, queries }) => {
      const h = this.handleOf(pid);
      return h ? h.query(pid, queries, this.kernel.frontier) : null;
    })));
  }

  async inspect(pid: number, query: InspectQuery): Promise<unknown> {
    const r = await this.inspectAll(pid, [query]);
    return r ? r[0] : null;
  }

  /**
   * The same, synchronously, when the process's code runs on this thread (inline runtime) and
   * no round is running; undefined when that is not possible (worker runtime, or mid-round).
   */
  inspectNow(pid: number, queries: InspectQuery[]): unknown[] | null | undefined {
    if (this.running > 0) return undefined;
    const p = this.kernel.procs.get(pid);
    if (!p || p.slot === null || p.state !== 'running') return null;
    const h = this.kernel.runnerHandle(p.slot);
    if (!h) return null;
    if (!h.queryNow) return undefined;
    return h.queryNow(pid, queries, this.kernel.frontier);
  }

  /** Whether `inspectNow` can answer (inline runtime). */
  get inspectsSynchronously(): boolean { return !this.runtime.parallel; }

  private handleOf(pid: number) {
    const p = this.kernel.procs.get(pid);
    if (!p || p.slot === null || p.state !== 'running') return null;
    return this.kernel.runnerHandle(p.slot);
  }

  listDir(host: string, path: string): string[] | null {
    const r = this.host(host).disk.list(resolvePath('/', utf8ToStr(path)));
    return typeof r === 'string' ? null : r.map(strToUtf8);
  }

  /** File bytes as processes see them (page cache), or the durable bytes (what a power loss keeps). */
  readFile(host: string, path: string, opts: { durable?: boolean } = {}): Uint8Array | null {
    const f = this.host(host).disk.lookup(resolvePath('/', utf8ToStr(path)));
    if (!f || f.isDir) return null;
    return (opts.durable ? f.durableBytes() : f.bytes()).slice();
  }

  readText(host: string, path: string, opts: { durable?: boolean } = {}): string | null {
    const b = this.readFile(host, path, opts);
    return b === null ? null : new TextDecoder().decode(b);
  }

  fileInfo(host: string, path: string): { size: number; durableSize: number; dirty: boolean; mtimeMs: number; isDirectory: boolean } | null {
    const f = this.host(host).disk.lookup(resolvePath('/', utf8ToStr(path)));
    if (!f) return null;
    return { size: f.isDir ? 4096 : f.len, durableSize: f.isDir ? 4096 : f.durableSize(), dirty: !f.isDir && f.isDirty(), mtimeMs: f.mtimeMs, isDirectory: f.isDir };
  }

  /** Put a file on a host's disk directly (lesson setup); durable at once. */
  writeFile(host: string, path: string, content: string | Uint8Array): void {
    const h = this.host(host);
    const abs = resolvePath('/', utf8ToStr(path));
    h.disk.mkdir(abs.slice(0, abs.lastIndexOf('/')) || '/', true, this.kernel.now);
    h.disk.writeFile(abs, typeof content === 'string' ? utf8(content) : content, this.kernel.now, true);
  }

  /** A compact fingerprint of the whole state (replay tests): trace hash, files, processes. */
  fingerprint(): { hash: string; traceCount: number; files: Record<string, string>; processes: string[] } {
    const files: Record<string, string> = {};
    for (const h of this.kernel.hosts.values()) {
      for (const [path, f] of h.disk.files()) files[`${h.name}:${path}`] = `${f.len}/${f.durableSize()}/${fnv32(f.bytes()).toString(16)}`;
    }
    const processes = [...this.kernel.procs.values()].sort((a, b) => a.pid - b.pid).map((p) => `${p.host.name}:${p.pid}:${p.title}`);
    return { hash: this.kernel.trace.hash(), traceCount: this.kernel.trace.count, files, processes };
  }

  stats(): Kernel['stats'] { return { ...this.kernel.stats }; }
}

const cronPids = new WeakMap<Host, number>();
const cronTokens = new WeakMap<Host, number>();

function parseCrontabSafe(text: string) {
  const r = parseCrontab(text);
  return typeof r === 'string' ? [] : r;
}

function defaultWallClock(): WallClock {
  return {
    now: () => performance.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

export { bytesToLatin1 };
