/**
 * The UI's handle on one simulated world: it builds the world (one Web Worker per process),
 * keeps a reactive snapshot of what the panels draw (hosts, processes with their ports and
 * roles, connections, cuts, virtual time), and turns clicks into the world's inputs.
 *
 * The UI only watches and asks (docs/ARCHITECTURE.md): everything here goes through the
 * world's public API — inputs, time control, `inspect` (read-only questions to a process),
 * and events. Snapshots are taken at most once per animation frame, however many windows the
 * simulation runs in between.
 */
import { World, type Runtime, type InputRecord, type HostSpec, type TraceRecord } from '../../sim';
import type { ProgramRegistry, LinkParams, ServerSummary, LoadgenSnapshot } from '../../sim';
import { markRecalled, PulseBuffer, type WireEvent } from './messages';
import { MetricSeries } from './metrics';
import { LoadgenWatch } from './loadgen-watch';
import type { GhostProc } from '../topology/layout';
import { workerRuntime } from './placement';
import { isSentinelEventKind } from '../time/until-kinds';
import { strToUtf8, utf8ToStr } from '../../engine/bytes';

export interface ProcView {
  host: string;
  pid: number;
  ppid: number;
  /** Program name (basename of argv[0]). */
  name: string;
  title: string;
  argv: string[];
  kind: string;
  ports: number[];
  tty: string | null;
  startT: number;
  /** Frozen by SIGSTOP. */
  stopped: boolean;
}

export interface HostView {
  name: string;
  ip: string;
  up: boolean;
  processes: ProcView[];
}

export interface ConnView {
  id: number;
  client: string;
  server: string;
  clientHost: string;
  serverHost: string;
  clientPid: number;
  serverPid: number;
  state: string;
  stalledBytes: number;
}

export interface WorldSetup {
  seed: number;
  hosts: HostSpec[];
  links?: { a: string; b: string; params: Partial<LinkParams> }[];
  /** Inputs to replay (a restored workspace or an imported experiment). */
  inputs?: InputRecord[];
  /** Virtual time (ms since start) to replay up to. */
  untilMs?: number;
}

export interface SessionOptions {
  /** Default: one Web Worker per process, from the page's pool (placement.ts). Tests pass an inline runtime. */
  runtime?: () => Runtime;
  /** The programs, for an inline runtime (tests); the page's workers import theirs themselves. */
  programs?: ProgramRegistry;
  /** With a worker runtime serving other programs than the standard ones: their names. */
  programNames?: readonly string[];
  /** Wall clock for pulses and polling (tests inject one). */
  wallNow?: () => number;
  /** Start the clock at 1x once built (default true). */
  autoplayClock?: boolean;
}

const SUMMARY_POLL_MS = 250;
const WIRE_KEEP = 400;
/** Sentinel events kept for the timeline (the newest). */
const SENTINEL_EVENTS_KEEP = 5000;
/** A fast-forward until a sentinel event asks the sentinels at most this often (virtual ms). */
const SENTINEL_UNTIL_POLL_MS = 10;

/** A sentinel's answer to the `sentinelEvents` inspection; null when the process is no sentinel. */
type SentinelEventsAnswer = { next: number; events: { type: string; text: string; atMs: number }[] } | null;

export class Session {
  world: World;
  readonly setup: WorldSetup;
  /** Virtual time at which the world was built (ms since the epoch). */
  readonly startT: number;

  now = $state(0);
  playing = $state(false);
  speed = $state(1);
  /** While playing, the speed the world really runs at (World.achievedSpeed). */
  achievedSpeed = $state<number | null>(null);
  /** What the clock is busy with (stepping, fast-forwarding, rewinding), or null. */
  busy = $state<string | null>(null);
  /** A file open in the page's editor for a terminal's `vi` or `crontab -e`, or null. */
  editing = $state.raw<{ terminal: number; path: string; content: string } | null>(null);
  /** How far a fast-forward or a rewind's replay has got, 0..1 (null: unknown, or not busy). */
  busyProgress = $state<number | null>(null);
  /** The virtual time span the current busy run covers, for busyProgress. */
  private busySpan: { from: number; to: number } | null = null;
  hosts = $state.raw<HostView[]>([]);
  connections = $state.raw<ConnView[]>([]);
  cuts = $state.raw<[string, string][]>([]);
  summaries = $state.raw<Map<number, ServerSummary>>(new Map());
  /** Terminal id per host (the host's shell). */
  /** `closed`: its login shell ended, or its host is off. */
  terminals = $state.raw<{ host: string; id: number; closed: boolean }[]>([]);
  /** Incremented when the world is rebuilt (rewind) so views re-read everything. */
  epoch = $state(0);
  /** Incremented whenever new trace records arrived (the timeline reads them lazily). */
  traceVersion = $state(0);
  selectedPid = $state<number | null>(null);
  /** Servers that stopped on a host that is still up (shown greyed, with "start again"). */
  stopped = $state.raw<GhostProc[]>([]);

  readonly pulses = new PulseBuffer();
  /**
   * Sentinels' events (`+sdown`, `+odown`, `+switch-master`...) as timeline rows, oldest first.
   * They are not kernel trace records: each sentinel keeps its latest ones and the summary poll
   * collects the new ones (as the lessons' `event()` checks do, src/lessons/sim-adapter.ts). A
   * sentinel killed between two polls takes its last uncollected events with it.
   */
  sentinelEvents: TraceRecord[] = [];
  /** Per server pid: the number of its next sentinel event; -1 when it is not a sentinel. */
  private sentinelNext = new Map<number, number>();
  private sentinelSeq = 0;
  /** The most recent messages on the wire (the timeline's message diagram). */
  wire: WireEvent[] = [];
  wireVersion = $state(0);
  readonly metrics = new MetricSeries();
  /** Load generators' counters and lost writes over time. */
  readonly loadgens = new LoadgenWatch();
  private frame = 0;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private polling = false;
  private lastPolledAt = -1;
  private unsubscribers: (() => void)[] = [];
  private readonly wallNow: () => number;
  private disposed = false;

  constructor(setup: WorldSetup, private readonly options: SessionOptions = {}) {
    this.setup = setup;
    this.wallNow = options.wallNow ?? (() => performance.now());
    this.world = new World({
      seed: setup.seed,
      hosts: setup.hosts,
      links: setup.links,
      programs: options.programs,
      programNames: options.programNames,
      runtime: options.runtime ? options.runtime() : workerRuntime(),
    });
    this.startT = this.world.now;
    this.subscribe();
    this.refresh();
  }

  /** Replay recorded inputs (if any), then make sure every host has a terminal. */
  async start(): Promise<void> {
    if (this.setup.inputs?.length || this.setup.untilMs) {
      this.busy = 'replaying';
      try {
        await this.world.replayInputs(this.setup.inputs ?? [], this.setup.untilMs === undefined ? undefined : this.startT + this.setup.untilMs);
      } finally {
        this.busy = null;
      }
    }
    for (const h of this.world.hosts()) {
      if (!this.world.terminalIds().some((id) => this.world.terminal(id)?.host.name === h.name)) this.world.openTerminal(h.name);
    }
    this.attachEditor();
    this.refresh();
    this.pollTimer = setInterval(() => void this.pollSummaries(), SUMMARY_POLL_MS);
    // Run the first window now: it starts the processes' Web Workers, which load while the
    // page finishes drawing. Then the world runs unless someone pauses it (typed commands need
    // time to pass).
    if (!this.setup.inputs?.length) void this.world.step();
    if (this.options.autoplayClock !== false) this.play();
  }

  private subscribe(): void {
    const w = this.world;
    this.unsubscribers.push(
      w.on('time', () => this.scheduleRefresh()),
      w.on('message', (m: WireEvent) => {
        if (m.recalled) {
          this.pulses.recall(m);
          markRecalled(this.wire, m);
          this.wireDirty = true;
          this.scheduleRefresh();
          return;
        }
        this.pulses.add(m, this.wallNow());
        this.wire.push(m);
        if (this.wire.length > WIRE_KEEP * 2) this.wire = this.wire.slice(-WIRE_KEEP);
        this.wireDirty = true;
        this.scheduleRefresh();
      }),
      w.on('trace', (r: TraceRecord) => this.onTrace(r)),
      w.on('edit', (e) => {
        this.editing = { terminal: e.terminal, path: utf8ToStr(e.path), content: utf8ToStr(e.content) };
      }),
      w.on('reset', () => {
        this.editing = null;
        this.pulses.clear();
        this.metrics.clear();
        this.loadgens.clear();
        this.wire = [];
        this.summaries = new Map();
        this.stopped = [];
        this.sentinelEvents = [];
        this.sentinelNext = new Map();
        this.epoch++;
        this.scheduleRefresh();
      }),
    );
  }

  private traceDirty = false;
  private wireDirty = false;
  private onTrace(_r: TraceRecord): void {
    if (!this.traceDirty) {
      this.traceDirty = true;
      this.scheduleRefresh();
    }
  }

  private scheduleRefresh(): void {
    if (this.frame || this.disposed) return;
    const raf = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (fn: () => void) => setTimeout(fn, 16) as unknown as number;
    this.frame = raf(() => {
      this.frame = 0;
      this.refresh();
    });
  }

  /** Take a snapshot of the world for the views. */
  refresh(): void {
    if (this.disposed) return;
    const w = this.world;
    this.now = w.now;
    this.playing = w.speed !== null;
    this.achievedSpeed = w.achievedSpeed;
    const span = this.busy ? this.busySpan : null;
    // A rewind starts from the old time, beyond its span, until the world is rebuilt.
    this.busyProgress = span && w.now >= span.from && w.now <= span.to ? (w.now - span.from) / Math.max(1, span.to - span.from) : null;
    if (this.traceDirty) {
      this.traceDirty = false;
      this.traceVersion++;
    }
    if (this.wireDirty) {
      this.wireDirty = false;
      this.wireVersion++;
    }
    const ports = new Map<number, Set<number>>();
    for (const l of w.listening()) {
      let s = ports.get(l.pid);
      if (!s) ports.set(l.pid, (s = new Set()));
      s.add(l.port);
    }
    const hosts = w.hosts().map((h) => ({
      name: h.name,
      ip: h.ip,
      up: h.up,
      processes: h.processes.map((p) => ({
        host: p.host, pid: p.pid, ppid: p.ppid, title: p.title, argv: p.argv, kind: p.kind, tty: p.tty, startT: p.startT, stopped: p.stopped,
        name: (p.argv[0] ?? p.title).split('/').pop() ?? p.title,
        ports: [...(ports.get(p.pid) ?? [])].sort((a, b) => a - b),
      })),
    }));
    // Most frames only move the clock: hand the views a new value only when it changed, so
    // they do not redraw (and the topology does not lay itself out again) sixty times a second.
    if (this.changed('hosts', hosts)) {
      this.hosts = hosts;
      this.trackStopped(hosts);
    }
    const connections = w.connections().map((c) => ({ ...c }));
    if (this.changed('connections', connections)) this.connections = connections;
    const cuts = w.cuts();
    if (this.changed('cuts', cuts)) this.cuts = cuts;
    const terminals = w.terminalIds().map((id) => ({ id, host: w.terminal(id)!.host.name, closed: w.terminal(id)!.closed }));
    if (this.changed('terminals', terminals)) this.terminals = terminals;
  }

  /** The last snapshot of each view, as JSON: what `refresh` compares the next one with. */
  private readonly lastJson = new Map<string, string>();

  private changed(view: string, next: unknown): boolean {
    const json = JSON.stringify(next);
    if (this.lastJson.get(view) === json) return false;
    this.lastJson.set(view, json);
    return true;
  }

  private trackStopped(hosts: HostView[]): void {
    const servers = hosts.flatMap((h) => h.processes.filter((p) => p.kind === 'program' && p.ports.length > 0));
    const alive = new Set(servers.map((p) => p.pid));
    const running = new Set(hosts.flatMap((h) => h.processes.filter((p) => p.kind === 'program').map((p) => `${p.host}|${p.argv.join(' ')}`)));
    const upHosts = new Set(hosts.filter((h) => h.up).map((h) => h.name));
    const next = this.stopped.filter((g) => upHosts.has(g.host) && !running.has(`${g.host}|${g.argv.join(' ')}`));
    for (const [pid, p] of this.lastServers) {
      if (alive.has(pid) || !upHosts.has(p.host)) continue;
      const key = `${p.host}|${p.argv.join(' ')}`;
      if (running.has(key) || next.some((g) => `${g.host}|${g.argv.join(' ')}` === key)) continue;
      next.push({ host: p.host, argv: p.argv, ports: p.ports, name: p.name });
    }
    this.followSelected(servers, alive);
    this.lastServers = new Map(servers.map((p) => [p.pid, p]));
    if (next.length !== this.stopped.length || next.some((g, i) => g !== this.stopped[i])) this.stopped = next;
  }

  private lastServers = new Map<number, ProcView>();
  /** The selected server that stopped (its pid, host and command line), until it starts again. */
  private selectedGone: { pid: number; key: string } | null = null;

  /**
   * A selected server that is killed and started again (the ghost's "start", Restart, the same
   * command in a terminal) is a new process with a new pid: select it, so the inspector and the
   * statecharts stay on "the server on :7000" instead of going blank. Only while nothing else
   * was selected meanwhile.
   */
  private followSelected(servers: ProcView[], alive: Set<number>): void {
    const pid = this.selectedPid;
    if (pid !== null && !alive.has(pid)) {
      const was = this.lastServers.get(pid);
      if (was) this.selectedGone = { pid, key: `${was.host}|${was.argv.join(' ')}` };
    }
    const gone = this.selectedGone;
    if (!gone) return;
    if (this.selectedPid !== gone.pid) { this.selectedGone = null; return; }
    const again = servers.find((p) => `${p.host}|${p.argv.join(' ')}` === gone.key);
    if (again) {
      this.selectedPid = again.pid;
      this.selectedGone = null;
    }
  }

  /** Processes a learner thinks of as "the servers": programs listening on a port. */
  servers(): ProcView[] {
    return this.hosts.flatMap((h) => h.processes.filter((p) => p.kind === 'program' && p.ports.length > 0));
  }

  /** A server's summary; from a sentinel, its new events too (one round trip). */
  private async inspectServer(p: ProcView): Promise<unknown> {
    const summary = { fn: 'redis', query: { op: 'summary' } } as const;
    const since = this.sentinelNext.get(p.pid) ?? 0;
    if (since < 0) return this.world.inspect(p.pid, summary).catch(() => null);
    const epoch = this.epoch;
    const got = await this.world.inspectAll(p.pid, [summary, { fn: 'redis', query: { op: 'sentinelEvents', since } }]).catch(() => null);
    // A rewind meanwhile: these events belong to the world before it.
    if (!got || epoch !== this.epoch) return got?.[0] ?? null;
    this.takeSentinelEvents(p.pid, p.host, got[1] as SentinelEventsAnswer);
    return got[0];
  }

  /**
   * Add a sentinel's answer to `sentinelEvents` (null: the process is no sentinel) and return the
   * rows added. Two collections may ask with the same `since` (the summary poll and a
   * fast-forward until a sentinel event): an event is added once, by its number.
   */
  private takeSentinelEvents(pid: number, host: string, r: SentinelEventsAnswer): TraceRecord[] {
    if (r === null) {
      this.sentinelNext.set(pid, -1);
      return [];
    }
    const have = Math.max(0, this.sentinelNext.get(pid) ?? 0);
    const firstNumber = r.next - r.events.length;
    const fresh = r.events.slice(Math.max(0, have - firstNumber));
    this.sentinelNext.set(pid, Math.max(have, r.next));
    if (!fresh.length) return [];
    // Negative positions: they are not in the kernel's trace (and keep the rows' keys apart).
    const added = fresh.map((e): TraceRecord => ({ i: -++this.sentinelSeq, t: e.atMs, host, pid, kind: e.type, detail: strToUtf8(e.text) }));
    this.sentinelEvents = [...this.sentinelEvents, ...added].sort((a, b) => a.t - b.t).slice(-SENTINEL_EVENTS_KEEP);
    this.traceVersion++;
    return added;
  }

  /** Ask every server for its summary (role, offsets, ops/s) — read-only, no virtual time. */
  async pollSummaries(force = false): Promise<void> {
    if (this.polling || this.disposed) return;
    if (!force && this.lastPolledAt === this.world.now && this.summaries.size > 0) return;
    this.polling = true;
    try {
      const servers = this.servers();
      const answers = await Promise.all(servers.map((p) => this.inspectServer(p)));
      // The time the answers describe: a process answers between rounds, so a question asked
      // during a fast-forward is answered when it ends (stamped before, the plots drew the
      // forward's end values at its start, then a flat line).
      const at = this.world.now;
      const next = new Map<number, ServerSummary>();
      servers.forEach((p, i) => {
        const a = answers[i] as ServerSummary | null;
        if (a && typeof a === 'object' && 'role' in a) next.set(p.pid, a);
      });
      this.summaries = next;
      this.lastPolledAt = at;
      this.metrics.sample(at - this.startT, servers.map((p) => ({ pid: p.pid, label: `${p.host}:${p.ports[0]}`, summary: next.get(p.pid) ?? null })));
      await this.pollLoadgens();
    } finally {
      this.polling = false;
    }
  }

  /**
   * Sample every running load generator (halab-loadgen): its counters, and its target's values
   * of the keys it last had acknowledged (for the lost writes; see loadgen-watch.ts).
   */
  private async pollLoadgens(): Promise<void> {
    const gens = this.hosts.flatMap((h) => h.processes.filter((p) => p.name === 'halab-loadgen'));
    for (const g of gens) {
      const snap = (await this.world.inspect(g.pid, { fn: 'loadgen' }).catch(() => null)) as LoadgenSnapshot | null;
      if (!snap) continue;
      const snapAt = this.world.now;
      // Through sentinels the load generator follows the master itself: compare with the one it
      // writes to now (the lessons use the master a majority of the sentinels report).
      const target = this.targetPid(g.host, snap.master ?? snap.target);
      let values: (string | null)[] | null = null;
      if (target !== null && snap.lastAcked.length > 0) {
        const q = { fn: 'redis' as const, query: { op: 'values' as const, db: 0, keys: snap.lastAcked.map(([k]) => k) } };
        values = (await this.world.inspect(target, q).catch(() => null)) as (string | null)[] | null;
      }
      this.loadgens.sample(snapAt - this.startT, g.pid, `${g.host} → ${snap.master ? `${snap.master} (${snap.target})` : snap.target}`, snap, values);
    }
  }

  /** The process listening at `ip:port` as seen from `fromHost` (127.0.0.1: that host), or null. */
  private targetPid(fromHost: string, address: string): number | null {
    const colon = address.lastIndexOf(':');
    const ip = address.slice(0, colon);
    const port = Number(address.slice(colon + 1));
    const host = ip === '127.0.0.1' || ip === 'localhost' ? fromHost : this.hosts.find((h) => h.ip === ip || h.name === ip)?.name;
    if (!host || !this.hosts.find((h) => h.name === host)?.up) return null;
    return this.world.listening(host).find((l) => l.port === port)?.pid ?? null;
  }

  // ---- time -------------------------------------------------------------------------------

  play(speed = this.speed): void {
    this.speed = Math.min(100, Math.max(0.1, speed));
    this.world.play(this.speed);
    this.playing = true;
  }

  pause(): void {
    this.world.pause();
    this.playing = false;
    this.refresh();
  }

  setSpeed(speed: number): void {
    this.speed = Math.min(100, Math.max(0.1, speed));
    if (this.playing) this.world.play(this.speed);
  }

  /** A fast-forward until an event was stopped (`stopUntil`): it ends, and the clock stays paused. */
  private untilStopped = false;

  /**
   * Stop a fast-forward until an event (the time controls' Pause while it runs): one that waits
   * for what does not come runs up to its timeout (ten minutes of virtual time, minutes of the
   * learner's), with every other control ignored meanwhile.
   */
  stopUntil(): void {
    if (this.busy === 'forwarding') this.untilStopped = true;
  }

  private async busyWith<T>(what: string, fn: () => Promise<T>, span: { from: number; to: number } | null = null): Promise<T> {
    const wasPlaying = this.playing;
    this.untilStopped = false;
    if (wasPlaying) this.world.pause();
    this.busy = what;
    this.busySpan = span;
    try {
      return await fn();
    } finally {
      this.busy = null;
      this.busySpan = null;
      this.refresh();
      void this.pollSummaries(true);
      if (wasPlaying && !this.disposed && !this.untilStopped) this.world.play(this.speed);
      if (this.untilStopped) this.playing = false;
      this.untilStopped = false;
    }
  }

  /** Run the next window of the simulation (the next event, idle time skipped). */
  step(): Promise<boolean> {
    return this.busyWith('stepping', () => this.world.step());
  }

  forward(ms: number): Promise<void> {
    return this.busyWith('forwarding', () => this.world.advance(ms), { from: this.world.now, to: this.world.now + ms });
  }

  /**
   * Fast-forward until a trace record of `kind` appears, or with a sentinel event's kind
   * (`+switch-master`), until a sentinel logs that event (at most `timeoutMs`, or until
   * `stopUntil`). True when it came.
   */
  forwardUntil(kind: string, timeoutMs = 60_000): Promise<boolean> {
    if (isSentinelEventKind(kind)) return this.busyWith('forwarding', async () => (await this.forwardUntilSentinelEvent(kind, timeoutMs)) && !this.untilStopped);
    return this.busyWith('forwarding', async () => {
      let seen = false;
      const off = this.world.on('trace', (r) => { if (r.kind === kind) seen = true; });
      try {
        return (await this.world.runUntil(() => seen || this.untilStopped, { timeoutMs })) && seen;
      } finally {
        off();
      }
    });
  }

  /**
   * Sentinel events are not kernel records: between rounds, ask every sentinel for its new
   * events (read-only, as the summary poll does), at most once per SENTINEL_UNTIL_POLL_MS of
   * virtual time, and stop at the first round after which one of them is `kind`.
   */
  private forwardUntilSentinelEvent(kind: string, timeoutMs: number): Promise<boolean> {
    const from = this.world.now;
    let askedAt = -Infinity;
    return this.world.runUntil(async (w, inspect) => {
      if (this.untilStopped) return true;
      if (w.now - askedAt < SENTINEL_UNTIL_POLL_MS) return false;
      askedAt = w.now;
      const epoch = this.epoch;
      const listeners = new Map<number, string>();
      for (const l of w.listening()) if ((this.sentinelNext.get(l.pid) ?? 0) >= 0) listeners.set(l.pid, l.host);
      const answers = await Promise.all([...listeners.keys()].map((pid) => inspect(pid, [{ fn: 'redis', query: { op: 'sentinelEvents', since: Math.max(0, this.sentinelNext.get(pid) ?? 0) } }])));
      if (epoch !== this.epoch) return false;
      let seen = false;
      [...listeners].forEach(([pid, host], i) => {
        const got = answers[i];
        // Null: the process is gone (or not yet running); ask again next time.
        if (!got) return;
        const added = this.takeSentinelEvents(pid, host, got[0] as SentinelEventsAnswer);
        if (added.some((r) => r.kind === kind && r.t >= from)) seen = true;
      });
      return seen;
    }, { timeoutMs });
  }

  /** Go back to `msSinceStart` of virtual time (re-executes the recorded inputs). */
  rewind(msSinceStart: number): Promise<void> {
    const wasPlaying = this.playing;
    this.playing = false;
    const to = this.startT + Math.max(0, msSinceStart);
    return this.busyWith('rewinding', async () => {
      await this.world.rewind(to);
      // A rewind to the very start drops the attachment with every later input.
      this.attachEditor();
    }, { from: this.startT, to }).then(() => { if (wasPlaying) this.play(); });
  }

  // ---- actions ----------------------------------------------------------------------------

  /**
   * Let `vi FILE` and `crontab -e` open the page's editor (an input: it changes what they do,
   * so replays and rewinds must see it). Once per world: a replayed attachment stands.
   */
  private attachEditor(): void {
    if (!this.world.hasEditor) this.world.attachEditor();
  }

  /** Close the editor: save `content` (`:wq`) or leave the file as it was (null, `:q!`). */
  editDone(content: string | null): void {
    const e = this.editing;
    if (!e) return;
    this.editing = null;
    this.world.editDone(e.terminal, content === null ? null : strToUtf8(content));
    this.acted();
  }

  private acted(): void {
    this.refresh();
    void this.pollSummaries(true);
  }

  kill(host: string, pid: number, signal: 'SIGKILL' | 'SIGTERM' | 'SIGINT' | 'SIGSTOP' | 'SIGCONT' = 'SIGKILL'): void {
    this.world.kill(host, pid, signal);
    this.acted();
  }

  /**
   * Restart a server: SIGTERM, wait (virtual time) until it is gone, and start the same command
   * line again in the background, as an init script would.
   */
  async restart(p: ProcView): Promise<void> {
    const command = p.argv.map(shellQuote).join(' ');
    await this.busyWith('restarting', async () => {
      this.world.kill(p.host, p.pid, 'SIGTERM');
      await this.world.runUntil((w) => !w.processes(p.host).some((x) => x.pid === p.pid), { timeoutMs: 10_000 });
      await this.world.exec(p.host, `${command} &`, { timeoutMs: 1000 });
    });
  }

  /** Start a command line in the background on a host (`cmd &`). */
  async startDetached(host: string, command: string): Promise<void> {
    await this.busyWith('starting', () => this.world.exec(host, `${command} &`, { timeoutMs: 1000 }));
  }

  /** Change a link's latency/loss in both directions (a === b: the host's loopback). */
  setLink(a: string, b: string, params: Partial<LinkParams>): void { this.world.setLink(a, b, params); this.acted(); }
  powerOff(host: string): void { this.world.powerOff(host); this.acted(); }
  powerOn(host: string): void { this.world.powerOn(host); this.acted(); }
  partition(a: string, b: string): void { this.world.partition([a], [b]); this.acted(); }
  heal(a?: string, b?: string): void { if (a && b) this.world.heal([a], [b]); else this.world.heal(); this.acted(); }

  terminalOf(host: string): number | null {
    return this.terminals.find((t) => t.host === host)?.id ?? null;
  }

  /** Virtual ms since the world was built. */
  get elapsed(): number { return this.now - this.startT; }

  dispose(): void {
    this.disposed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const u of this.unsubscribers) u();
    this.world.dispose();
  }
}

/** Quote a word for the simulated shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
