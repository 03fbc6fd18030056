/**
 * The lessons' world over the real simulation (src/sim): a `WorldDriver` and its `WorldView`.
 *
 * Building: `simWorldFactory(spec, seed)` builds a `World` from the lesson's topology (hosts,
 * IPs, disks, files, directories, boot lines, link latency and bandwidth) on the inline runtime;
 * `createSimLessonWorld(world, spec, options)` wraps a world someone else built (the UI builds
 * one on Web Workers with `simWorldOptions(spec, seed)`), schedules the lesson's faults and
 * starts the load generator if it autostarts. Hosts boot (and run their boot lines) when the
 * World is built. The UI passes options: the terminal to type into on each host (the one on
 * screen), how to type a line (visibly, key by key), and that the world is not the driver's to
 * dispose.
 *
 * Who runs the clock. The autopilot (`npm run lessons:check`, the page's autoplay) runs it
 * through the driver (`type`, `act`, `waitUntil`), which applies each scheduled fault at its
 * exact time. In the page the learner's clock runs on its own (`world.play`): the page calls
 * `catchUp()` every few hundred ms of wall time (before evaluating the step's checks), which
 * applies the faults that came due, so a fault then takes effect at the first `catchUp` after its
 * time. A rewind to t keeps the faults the driver applied before t (the world replays them with
 * its inputs) and plays the others again; on a world that replayed an earlier session
 * (`resumed`), the faults due before `world.now` count as done.
 *
 * Reading, and why the view is a snapshot. Hosts, processes, files and the trace are read
 * straight from the world. Redis state (role, INFO, keys, config, log) and the load generator's
 * counters live in process memory, which in the browser is inside the process's worker, so
 * reading them is asynchronous (`world.inspect`), while `WorldView` is synchronous. The view
 * therefore answers from a snapshot that the driver refreshes:
 *   - after every `type` and every `act` (so checks evaluated right after see the new state);
 *   - in `waitUntil`, before every evaluation of the condition, which runs every
 *     `REFRESH_EVERY_MS` (100 ms) of virtual time; a condition that asked for something the
 *     snapshot did not hold yet is refreshed and evaluated again at once (a condition that
 *     read no process memory, such as a file's, skips the refresh while no sentinel or load
 *     generator runs, whose events and lost writes refreshes collect);
 *   - and whenever the caller awaits `refresh()` or `settle(fn)` (the UI: `settle` evaluates
 *     its checks, refreshing again while they ask for something the snapshot did not hold).
 * The snapshot holds what was asked recently (a query not asked for `FORGET_AFTER_REFRESHES`
 * refreshes is dropped), so a refresh costs what the checks on screen need. On the inline
 * runtime a first-time query is answered at once (`world.inspectNow`); on workers it answers
 * "nothing known" (an empty INFO record, a missing key...) until the next refresh.
 * Inspection is read-only and invisible to the simulation: the same world with and without a
 * view produces the same trace. Sentinel events (`+sdown`, `+switch-master`...) are not kernel
 * records: every refresh collects the new ones each running sentinel kept
 * (`refreshSentinelEvents`), and `trace()` merges them with the kernel's records by time.
 *
 * The load generator (`halab-loadgen`, src/sim/loadgen.ts) runs on the lesson's loadgen host,
 * against a fixed address or through the sentinels (it then finds the master itself, and the new
 * one after a failover). `lost` counts acknowledged writes (the latest acknowledged value of a
 * key) found missing, or older, on the current master at a refresh — for a fixed target, the
 * target itself; through sentinels, the address a majority of the lesson's running sentinels
 * report for the master now (INFO sentinel), none while they disagree. Once counted a lost
 * write stays counted, even after the key is written again. While the current master is not
 * running, nothing is counted (it may come back with its data).
 */
import { World, type WorldOptions } from '../sim/world';
import type { HostSpec as SimHostSpec } from '../sim/kernel/host';
import { DISK_PRESETS } from '../sim/protocol';
import type { InspectQuery, LoadgenSnapshot } from '../sim/runtime/inspectors';
import type { KeyState, RedisQuery } from '../engine/inspect';
import { strToUtf8, utf8ToStr } from '../engine/bytes';
import type {
  FaultAction,
  FileView,
  HostView,
  KeyView,
  LoadgenCounters,
  ProcessView,
  RedisView,
  TraceEvent,
  TypedResult,
  WorldAction,
  WorldDriver,
  WorldFactory,
  WorldSpec,
  WorldView,
} from './world-view';

/** Virtual time between two evaluations of a `waitUntil` condition (and snapshot refreshes). */
export const REFRESH_EVERY_MS = 100;
/** A snapshot entry nobody asked for during this many refreshes is dropped. */
export const FORGET_AFTER_REFRESHES = 50;
/**
 * The world keeps only its latest 50 000 trace records (timer firings are not kept); the view
 * turns them into lesson events whenever this many have accumulated, so a long `wait` (two
 * days of cron and server activity) loses no event.
 */
const TRACE_DRAIN_RECORDS = 20_000;
/** Virtual time a fresh terminal may take to show its first prompt. */
const LOGIN_TIMEOUT_MS = 10_000;
/** The simulation's default one-way latency between hosts (a LAN). */
const DEFAULT_LATENCY_MS = 0.2;
const LOADGEN_LOG = '/var/log/halab-loadgen.log';

/** World options for a lesson's topology (the caller may add a runtime). */
export function simWorldOptions(spec: WorldSpec, seed: number): WorldOptions {
  const hosts: SimHostSpec[] = spec.hosts.map((h) => ({
    name: h.name,
    ip: h.ips[0],
    extraIps: h.ips.slice(1),
    disk: DISK_PRESETS[h.disk],
    files: { ...h.files },
    dirs: [...h.dirs],
    boot: [...h.boot],
    tornWriteProbability: h.tornWrites ? 1 : 0,
  }));
  const links: WorldOptions['links'] = [];
  const { latencyMs, bandwidthBytesPerSec } = spec.network;
  if (latencyMs !== null || bandwidthBytesPerSec !== null) {
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) {
        links.push({
          a: hosts[i].name,
          b: hosts[j].name,
          params: {
            ...(latencyMs !== null ? { latencyMs } : {}),
            ...(bandwidthBytesPerSec !== null ? { bandwidthBps: bandwidthBytesPerSec * 8 } : {}),
          },
        });
      }
    }
  }
  return { seed, hosts, links };
}

/** The driver over the simulation: a WorldDriver whose view snapshot can be refreshed on demand. */
export interface SimWorldDriver extends WorldDriver {
  readonly world: World;
  /** Re-read process memory for the view (see the top of this file). */
  refresh(): Promise<void>;
  /**
   * Evaluate `fn` over the view on a fresh snapshot: refresh, evaluate, and while the evaluation
   * asked for something the snapshot did not hold yet (worker runtime), refresh and evaluate again.
   */
  settle<T>(fn: () => T): Promise<T>;
  /** For a caller that runs the clock itself (the page): apply the scheduled faults whose time has come. */
  catchUp(): Promise<void>;
  /** How many times the world was re-executed from its start (rewound) since the driver was made. */
  readonly rewinds: number;
}

export interface SimLessonOptions {
  /** The terminal to type into on `host` (default: one the driver opens per host). */
  terminalFor?(host: string): number | undefined;
  /** Types a line into a terminal (default: `world.type`); the UI types it visibly, key by key. */
  typeLine?(terminal: number, line: string): void | Promise<void>;
  /** Whether `dispose()` disposes the world (default true; the UI's session owns its world). */
  ownsWorld?: boolean;
  /**
   * The world replayed the inputs of an earlier session (a restored workspace): the load
   * generator is not started again and the faults before `world.now` count as done.
   */
  resumed?: boolean;
}

/** Builds the lesson's world on the inline runtime (the headless autopilot, tests). */
export const simWorldFactory: WorldFactory = (spec, seed) => createSimLessonWorld(new World(simWorldOptions(spec, seed)), spec);

export async function createSimLessonWorld(world: World, spec: WorldSpec, options: SimLessonOptions = {}): Promise<SimWorldDriver> {
  const driver = new SimLessonWorld(world, spec, options);
  await driver.start();
  return driver;
}

/** Evaluations of a `settle` (or `waitUntil`) condition at most, per call, while it keeps missing. */
const SETTLE_PASSES = 6;

// ---------------------------------------------------------------------------------------------

interface Entry { query: InspectQuery; value: unknown; asked: number }

/**
 * What the view knows about process memory: query results by process and query, refreshed
 * together. `misses` counts reads the snapshot could not answer (worker runtime only).
 */
class ProcessSnapshot {
  private readonly byPid = new Map<number, Map<string, Entry>>();
  private generation = 0;
  misses = 0;
  /** Every read, answered or not (see SimLessonWorld.processReads). */
  reads = 0;

  constructor(private readonly world: World) {}

  read(pid: number, query: InspectQuery): unknown {
    this.reads++;
    const key = queryKey(query);
    let entries = this.byPid.get(pid);
    const e = entries?.get(key);
    if (e) { e.asked = this.generation; return e.value; }
    if (!entries) { entries = new Map(); this.byPid.set(pid, entries); }
    const now = this.world.inspectNow(pid, [query]);
    if (now === undefined) {
      this.misses++;
      entries.set(key, { query, value: undefined, asked: this.generation });
      return undefined;
    }
    const value = now === null ? null : now[0];
    entries.set(key, { query, value, asked: this.generation });
    return value;
  }

  /** Make sure `query` is part of the next refresh. */
  want(pid: number, query: InspectQuery): void {
    let entries = this.byPid.get(pid);
    if (!entries) { entries = new Map(); this.byPid.set(pid, entries); }
    const key = queryKey(query);
    const e = entries.get(key);
    if (e) e.asked = Math.max(e.asked, this.generation);
    else entries.set(key, { query, value: undefined, asked: this.generation });
  }

  clear(): void {
    this.byPid.clear();
  }

  async refresh(): Promise<void> {
    this.generation++;
    const asked: { pid: number; list: Entry[] }[] = [];
    for (const [pid, entries] of [...this.byPid]) {
      for (const [k, e] of entries) if (this.generation - e.asked > FORGET_AFTER_REFRESHES) entries.delete(k);
      if (entries.size === 0) { this.byPid.delete(pid); continue; }
      asked.push({ pid, list: [...entries.values()] });
    }
    const answers = await inspectEach(this.world, asked.map(({ pid, list }) => ({ pid, queries: list.map((e) => e.query) })));
    asked.forEach(({ pid, list }, k) => {
      const a = answers[k];
      if (a === null) this.byPid.delete(pid);
      else list.forEach((e, i) => { e.value = a[i]; });
    });
  }
}

/**
 * Ask several processes at once: synchronously where the world can (inline runtime), the rest
 * concurrently (workers: one round trip for all, not one per process).
 */
async function inspectEach(world: World, requests: { pid: number; queries: InspectQuery[] }[]): Promise<(unknown[] | null)[]> {
  const out = requests.map(({ pid, queries }) => world.inspectNow(pid, queries));
  const later = requests.filter((_, k) => out[k] === undefined);
  if (later.length) {
    const got = await world.inspectEach(later);
    let j = 0;
    out.forEach((v, k) => { if (v === undefined) out[k] = got[j++]; });
  }
  return out as (unknown[] | null)[];
}

function queryKey(q: InspectQuery): string {
  if (q.fn !== 'redis') return q.fn;
  const r = q.query;
  switch (r.op) {
    case 'role': case 'log': case 'summary': case 'cluster': case 'sentinel': return r.op;
    case 'info': return `info ${r.section}`;
    case 'infoText': return `infoText ${r.sections.join(' ')}`;
    case 'keys': return `keys ${r.db} ${r.limit}`;
    case 'key': return `key ${r.db} ${r.key}`;
    case 'values': return `values ${r.db} ${r.keys.join('\u0000')}`;
    case 'dbsize': return `dbsize ${r.db}`;
    case 'config': return `config ${r.name.toLowerCase()}`;
    case 'sentinelEvents': return `sentinelEvents ${r.since}`;
  }
}

const redis = (query: RedisQuery): InspectQuery => ({ fn: 'redis', query });
const REDIS_PROGRAMS = new Set(['redis-server', 'redis-sentinel']);
/** Trace kinds too frequent or too low-level for lessons (payloads, timers, CPU time, appends). */
const QUIET_KINDS = new Set(['send', 'recv', 'timer', 'busy', 'fwrite']);

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

class SimLessonWorld implements SimWorldDriver, WorldView {
  readonly view: WorldView = this;
  private readonly t0: number;
  private readonly terminals = new Map<string, number>();
  /** The lesson's faults in time order; `appliedAt`: the world time the driver applied it. */
  private readonly faults: { atMs: number; action: FaultAction; appliedAt: number | null }[];
  private readonly snap: ProcessSnapshot;
  /** Port a process listened on (events of a process that is gone keep it). */
  private readonly portOfPid = new Map<number, number>();
  private readonly events: TraceEvent[] = [];
  private traceSeen = 0;
  /** Sentinel events (see refreshSentinelEvents), and the trace merged with them by time. */
  private readonly sentinelEvents: TraceEvent[] = [];
  private readonly sentinelNext = new Map<number, number>();
  private merged: TraceEvent[] | null = null;
  /** Links whose latency or loss a solution changed, and the topology's latency. */
  private readonly changedLinks = new Set<string>();
  private readonly baseLatencyMs: number;
  private readonly lg = {
    pid: null as number | null,
    /** Counters of load generator processes that ended (a host that lost power). */
    base: { acked: 0, errors: 0 },
    last: null as LoadgenSnapshot | null,
    /** "key#seq" of acknowledged writes found missing → when (ms since the world was built). */
    lost: new Map<string, number>(),
  };

  private readonly offReset: () => void;
  rewinds = 0;
  /** The time the last rewind went back to: until the world is there again, it is replaying. */
  private rebuiltTo = -Infinity;
  /** Reads of the trace and the load generator's counters (see processReads). */
  private otherReads = 0;

  constructor(readonly world: World, readonly spec: WorldSpec, private readonly options: SimLessonOptions = {}) {
    this.t0 = world.startTime;
    this.snap = new ProcessSnapshot(world);
    this.faults = [...spec.faults].sort((a, b) => a.atMs - b.atMs).map((f) => ({ ...f, appliedAt: null }));
    this.baseLatencyMs = spec.network.latencyMs ?? DEFAULT_LATENCY_MS;
    this.offReset = world.on('reset', (e) => this.worldRebuilt(e.to));
  }

  async start(): Promise<void> {
    // A resumed world replayed the faults and the load generator's start with its inputs.
    if (this.options.resumed) {
      for (const f of this.faults) if (this.t0 + f.atMs < this.world.now) f.appliedAt = this.t0 + f.atMs;
    } else if (this.spec.loadgen?.autostart) await this.startLoadgen();
    await this.applyDueFaults();
    await this.refresh();
  }

  /** The world re-executes from its start up to `to` (a rewind): what the driver derived from it is void. */
  private worldRebuilt(to: number): void {
    this.rewinds++;
    this.rebuiltTo = to;
    for (const f of this.faults) if (f.appliedAt !== null && f.appliedAt >= to) f.appliedAt = null;
    this.events.length = 0;
    this.traceSeen = 0;
    this.sentinelEvents.length = 0;
    this.sentinelNext.clear();
    this.merged = null;
    this.portOfPid.clear();
    this.snap.clear();
    this.lg.pid = null;
    this.lg.base = { acked: 0, errors: 0 };
    this.lg.last = null;
    this.lg.lost.clear();
  }

  // ------------------------------------------------------------------------------------------
  // WorldView

  now(): number {
    return this.world.now - this.t0;
  }

  hosts(): readonly HostView[] {
    return this.spec.hosts.map((h) => ({ name: h.name, ips: h.ips, up: this.world.host(h.name).up }));
  }

  processes(host: string): readonly ProcessView[] {
    if (!this.world.host(host).up) return [];
    return this.world.processes(host).map((p) => {
      const argv = p.argv.map(strToUtf8);
      return { pid: p.pid, name: basename(argv[0] ?? strToUtf8(p.title)), argv, alive: true };
    });
  }

  redisPorts(host: string): readonly number[] {
    const ports = new Set<number>();
    for (const l of this.redisListeners(host)) ports.add(l.port);
    return [...ports].sort((a, b) => a - b);
  }

  redis(host: string, port: number): RedisView | null {
    if (!this.world.host(host).up) return null;
    const l = this.redisListeners(host).find((x) => x.port === port);
    if (!l) return null;
    const role = this.snap.read(l.pid, redis({ op: 'role' }));
    if (role === null || role === undefined) return null;
    return this.redisView(l.pid, role as 'master' | 'slave' | 'sentinel');
  }

  file(host: string, path: string): FileView | null {
    const bytes = this.world.readFile(host, path);
    if (bytes === null) return null;
    return { size: bytes.length, text: () => new TextDecoder().decode(bytes) };
  }

  trace(): readonly TraceEvent[] {
    this.otherReads++;
    const t = this.world.trace;
    if (t.count > this.traceSeen) {
      for (const r of t.recent(this.traceSeen)) {
        const e = this.event(r.t, r.host, r.pid, r.kind, r.detail);
        if (e) this.events.push(e);
      }
      this.traceSeen = t.count;
      this.merged = null;
    }
    if (!this.sentinelEvents.length) return this.events;
    // Stable: at equal times the kernel's records come before the sentinels' events.
    this.merged ??= [...this.events, ...this.sentinelEvents].sort((a, b) => a.atMs - b.atMs);
    return this.merged;
  }

  loadgen(): LoadgenCounters {
    this.otherReads++;
    const last = this.lg.last;
    const spec = this.spec.loadgen;
    const alive = spec !== null && this.lg.pid !== null && this.world.processes(spec.host).some((p) => p.pid === this.lg.pid);
    return {
      running: alive && !!last?.running,
      acked: this.lg.base.acked + (last?.acked ?? 0),
      errors: this.lg.base.errors + (last?.errors ?? 0),
      lost: this.lg.lost.size,
      lostAtMs: [...this.lg.lost.values()],
      master: alive ? last?.master ?? null : null,
      reads: last?.reads ?? 0,
    };
  }

  private redisListeners(host: string) {
    const progs = new Map(this.world.processes(host).map((p) => [p.pid, p]));
    return this.world.listening(host).filter((l) => {
      const p = progs.get(l.pid);
      return p !== undefined && p.kind === 'program' && REDIS_PROGRAMS.has(basename(p.argv[0] ?? ''));
    });
  }

  private redisView(pid: number, role: 'master' | 'slave' | 'sentinel'): RedisView {
    const q = (query: RedisQuery) => this.snap.read(pid, redis(query));
    return {
      role: () => role,
      info: (section) => {
        const v = q({ op: 'info', section }) as Record<string, string> | null | undefined;
        if (!v) return {};
        const out: Record<string, string> = {};
        for (const [k, x] of Object.entries(v)) out[k] = strToUtf8(x);
        return out;
      },
      config: (name) => {
        const v = q({ op: 'config', name }) as string | null | undefined;
        return v === null || v === undefined ? null : strToUtf8(v);
      },
      key: (db, name): KeyView | null => {
        const k = q({ op: 'key', db, key: utf8ToStr(name) }) as KeyState | null | undefined;
        if (!k) return null;
        return { type: k.type, value: k.value === null ? null : strToUtf8(k.value), length: k.length, ttlMs: k.ttlMs };
      },
      dbsize: (db) => (q({ op: 'dbsize', db }) as number | null | undefined) ?? 0,
      log: () => {
        const lines = q({ op: 'log' }) as string[] | null | undefined;
        return lines && lines.length ? strToUtf8(lines.join('\n')) + '\n' : '';
      },
      clusterInfo: () => {
        const v = q({ op: 'cluster' }) as { info: Record<string, string> } | null | undefined;
        return v ? v.info : null;
      },
    };
  }

  /** A trace record as a lesson event, or null for the noisy kinds. */
  private event(t: number, host: string, pid: number, kind: string, detail: string): TraceEvent | null {
    if (QUIET_KINDS.has(kind) || kind.startsWith('deliver-')) return null;
    const atMs = t - this.t0;
    if (kind === 'input') {
      // Typed lines become `command` events on the terminal's host; other inputs show up as the
      // kernel's own records (power-off, partition, signal...).
      const space = detail.indexOf(' ');
      if (detail.slice(0, space) !== 'type') return null;
      try {
        const i = JSON.parse(detail.slice(space + 1)) as { terminal: number; line: string };
        const term = this.world.terminal(i.terminal);
        return { atMs, kind: 'command', host: term?.host.name ?? host, text: i.line };
      } catch {
        return null;
      }
    }
    const renamed = kind === 'power-off' ? 'poweroff' : kind === 'power-on' ? 'poweron' : kind;
    const port = pid ? this.portOfPid.get(pid) : undefined;
    // The kernel records what processes did in bytes (paths, output); lessons read text.
    const text = strToUtf8(detail);
    return port === undefined ? { atMs, kind: renamed, host, text } : { atMs, kind: renamed, host, port, text };
  }

  // ------------------------------------------------------------------------------------------
  // Refreshing the snapshot

  /** Re-read process memory for everything the view was asked recently (see the top). */
  async refresh(): Promise<void> {
    this.notePorts();
    // Every running server's role is always known: it decides whether a server is there.
    for (const h of this.spec.hosts) {
      if (!this.world.host(h.name).up) continue;
      for (const l of this.redisListeners(h.name)) this.snap.want(l.pid, redis({ op: 'role' }));
    }
    await this.snap.refresh();
    await this.refreshSentinelEvents();
    await this.refreshLoadgen();
  }

  /**
   * Sentinel events (`+sdown`, `+switch-master`...) are not kernel records: each sentinel keeps
   * its latest ones (src/engine/sentinel/events.ts) and every refresh collects the new ones of
   * every running sentinel. A sentinel that dies between two refreshes (during a plain `wait`)
   * takes its last uncollected events with it.
   */
  private async refreshSentinelEvents(): Promise<void> {
    const asked: { host: string; pid: number; port: number; since: number }[] = [];
    for (const h of this.spec.hosts) {
      if (!this.world.host(h.name).up) continue;
      for (const l of this.redisListeners(h.name)) {
        const since = this.sentinelNext.get(l.pid) ?? 0;
        if (since >= 0) asked.push({ host: h.name, pid: l.pid, port: l.port, since });
      }
    }
    const answers = await inspectEach(this.world, asked.map((a) => ({ pid: a.pid, queries: [redis({ op: 'sentinelEvents', since: a.since })] })));
    asked.forEach((a, k) => {
      const got = answers[k];
      if (!got) return;
      const r = got[0] as { next: number; events: { type: string; text: string; atMs: number }[] } | null;
      // Not a sentinel (-1: never ask this process again).
      if (r === null) { this.sentinelNext.set(a.pid, -1); return; }
      for (const e of r.events) {
        this.sentinelEvents.push({ atMs: e.atMs - this.t0, kind: e.type, host: a.host, port: a.port, text: strToUtf8(e.text) });
      }
      if (r.events.length) this.merged = null;
      this.sentinelNext.set(a.pid, r.next);
    });
  }

  private loadgenPid(): number | null {
    const spec = this.spec.loadgen;
    if (!spec) return null;
    const p = this.world.processes(spec.host).find((x) => basename(x.argv[0] ?? '') === 'halab-loadgen');
    return p ? p.pid : null;
  }

  private async refreshLoadgen(): Promise<void> {
    const spec = this.spec.loadgen;
    if (!spec) return;
    const pid = this.loadgenPid();
    if (pid !== this.lg.pid) {
      // A new load generator process (or none): bank the counters of the old one.
      if (this.lg.last) { this.lg.base.acked += this.lg.last.acked; this.lg.base.errors += this.lg.last.errors; }
      this.lg.last = null;
      this.lg.pid = pid;
    }
    if (pid === null) return;
    const q: InspectQuery = { fn: 'loadgen' };
    const got = this.world.inspectNow(pid, [q]) ?? (await this.world.inspectAll(pid, [q]));
    const snap = got?.[0] as LoadgenSnapshot | null | undefined;
    if (!snap) return;
    this.lg.last = snap;
    // Lost writes: compare with the current master's data.
    const address = 'address' in spec.target ? spec.target.address : await this.masterFromSentinels(spec.target.sentinels, spec.target.master);
    if (address === null) return;
    const [ip, portText] = [address.slice(0, address.lastIndexOf(':')), address.slice(address.lastIndexOf(':') + 1)];
    const host = this.spec.hosts.find((h) => h.ips.includes(ip) || h.name === ip);
    if (!host || !this.world.host(host.name).up) return;
    const target = this.redisListeners(host.name).find((l) => l.port === Number(portText));
    if (!target || snap.lastAcked.length === 0) return;
    const vq: InspectQuery = { fn: 'redis', query: { op: 'values', db: 0, keys: snap.lastAcked.map(([k]) => utf8ToStr(k)) } };
    const res = this.world.inspectNow(target.pid, [vq]) ?? (await this.world.inspectAll(target.pid, [vq]));
    const values = res?.[0] as (string | null)[] | null | undefined;
    if (!values) return;
    snap.lastAcked.forEach(([key, seq], i) => {
      const v = values[i];
      const have = v === null ? -1 : Number(v);
      const id = `${key}#${seq}`;
      if (!(have >= seq) && !this.lg.lost.has(id)) this.lg.lost.set(id, this.now());
    });
  }

  /**
   * The address a majority of the running sentinels (among `sentinels`, "ip:port") report for
   * `master` in INFO sentinel, or null (none running, or no majority).
   */
  private async masterFromSentinels(sentinels: string[], master: string): Promise<string | null> {
    const votes = new Map<string, number>();
    let voters = 0;
    const pids: number[] = [];
    for (const s of sentinels) {
      const colon = s.lastIndexOf(':');
      const ip = s.slice(0, colon);
      const port = Number(s.slice(colon + 1));
      const host = this.spec.hosts.find((h) => h.ips.includes(ip) || h.name === ip);
      if (!host || !this.world.host(host.name).up) continue;
      const l = this.redisListeners(host.name).find((x) => x.port === port);
      if (l) pids.push(l.pid);
    }
    const q: InspectQuery = { fn: 'redis', query: { op: 'info', section: 'sentinel' } };
    for (const got of await inspectEach(this.world, pids.map((pid) => ({ pid, queries: [q] })))) {
      const info = got?.[0] as Record<string, string> | null | undefined;
      if (!info) continue;
      for (const [field, raw] of Object.entries(info)) {
        if (!/^master\d+$/.test(field)) continue;
        const parts = new Map(raw.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]));
        if (parts.get('name') !== master) continue;
        const addr = parts.get('address');
        if (!addr) continue;
        voters++;
        votes.set(addr, (votes.get(addr) ?? 0) + 1);
      }
    }
    for (const [addr, n] of votes) if (n * 2 > voters) return addr;
    return null;
  }

  // ------------------------------------------------------------------------------------------
  // The clock

  /**
   * Run the clock to `untilMs` (world time), applying scheduled faults at their times; with
   * `stop`, return as soon as it holds (checked between rounds). True when `stop` held.
   */
  private async runClock(untilMs: number, stop?: () => boolean): Promise<boolean> {
    const traceFull = () => this.world.trace.count - this.traceSeen >= TRACE_DRAIN_RECORDS;
    const rewinds = this.rewinds;
    for (;;) {
      // Someone else rewound the world meanwhile (the page's learner): `untilMs` was the old
      // world's, and running on to it would undo most of the rewind.
      if (this.rewinds !== rewinds) return false;
      await this.applyDueFaults();
      // Again after the wait: a rewind that started meanwhile may be replaying (`world.now`
      // is then its replay's, and a time span computed from it would run the rebuilt world on).
      if (this.rewinds !== rewinds) return false;
      if (traceFull()) this.trace();
      if (stop?.()) return true;
      if (this.world.now >= untilMs) return false;
      const fault = this.faults.find((f) => f.appliedAt === null);
      const end = fault ? Math.min(untilMs, this.t0 + fault.atMs) : untilMs;
      if (stop) {
        // Pauses to turn trace records into events before the world forgets them (see above).
        await this.world.runUntil(() => traceFull() || stop(), { timeoutMs: end - this.world.now });
        continue;
      }
      // Nothing to watch for: a fast-forward (World.advance), which turns the records into
      // events as it goes.
      const off = this.world.on('time', () => { if (traceFull()) this.trace(); });
      try { await this.world.advance(end - this.world.now); } finally { off(); }
    }
  }

  private async applyDueFaults(): Promise<void> {
    // A rewind's replay is under way (the page checks on a timer, whatever the world does): its
    // clock is in the replayed past, and an input made now waits for the replay's end. Stamped
    // with the replay's time, a fault would count as replayed by a later rewind to before the
    // time it really took effect, and be lost.
    if (this.world.now < this.rebuiltTo) return;
    for (const f of this.faults) {
      if (f.appliedAt !== null || this.t0 + f.atMs > this.world.now) continue;
      f.appliedAt = this.world.now;
      if (f.action.kind === 'shell') {
        if (this.world.host(f.action.host).up) this.world.input({ kind: 'exec', host: f.action.host, command: f.action.line, id: this.nextExecId() });
      } else if (f.action.kind !== 'wait') {
        await this.apply(f.action);
      }
    }
  }

  private execIds = 1_000_000;
  private nextExecId(): number { return ++this.execIds; }

  // ------------------------------------------------------------------------------------------
  // WorldDriver

  async type(host: string, line: string, timeoutMs: number): Promise<TypedResult> {
    if (!this.world.host(host).up) return { output: '', exitCode: null, state: 'busy' };
    const term = await this.terminal(host);
    const text = () => this.world.terminal(term)!.text();
    const before = text().length;
    // A terminal sends the UTF-8 bytes of what was typed (the world's terminals speak bytes);
    // the page's typeLine goes through its terminal, which encodes.
    const typed = utf8ToStr(line);
    if (this.options.typeLine) await this.options.typeLine(term, line);
    else this.world.type(term, typed);
    // Done when someone reads the terminal again, or when it closed (its host lost power).
    const settled = () => { const st = this.world.terminalState(term); return !st || st.closed || st.reader !== null; };
    await this.runClock(this.world.now + timeoutMs, settled);
    await this.refresh();
    const st = this.world.terminalState(term);
    let output = text().slice(before);
    if (output.startsWith(`${typed}\n`)) output = output.slice(typed.length + 1);
    const state = st && !st.closed && st.reader ? st.reader : 'busy';
    if (st?.reader && st.prompt && output.endsWith(st.prompt)) output = output.slice(0, output.length - st.prompt.length);
    return { output: strToUtf8(output), exitCode: state === 'shell' ? st!.lastStatus : null, state };
  }

  /** The host's terminal, opened (and logged in) on first use. */
  private async terminal(host: string): Promise<number> {
    let id = this.options.terminalFor?.(host) ?? this.terminals.get(host);
    // A rewind to before the terminal was opened, or a host that lost power, closed it.
    if (id === undefined || !this.world.terminal(id) || this.world.terminal(id)!.closed) {
      id = this.world.openTerminal(host);
      this.terminals.set(host, id);
    }
    const term = id;
    const atPrompt = () => this.world.terminalState(term)?.reader != null;
    if (!atPrompt()) await this.runClock(this.world.now + LOGIN_TIMEOUT_MS, atPrompt);
    return id;
  }

  async act(action: WorldAction): Promise<void> {
    if (action.kind === 'wait') await this.runClock(this.world.now + action.ms);
    else await this.apply(action);
    await this.refresh();
  }

  private async apply(action: Exclude<WorldAction, { kind: 'wait' }>): Promise<void> {
    const w = this.world;
    switch (action.kind) {
      case 'partition':
        for (let i = 0; i < action.groups.length; i++) {
          for (let j = i + 1; j < action.groups.length; j++) w.partition(action.groups[i], action.groups[j]);
        }
        return;
      case 'heal':
        w.heal();
        for (const key of this.changedLinks) {
          const [a, b] = key.split('\u0000');
          w.setLink(a, b, { latencyMs: this.baseLatencyMs, loss: 0 });
        }
        this.changedLinks.clear();
        return;
      case 'poweroff':
        w.powerOff(action.host);
        return;
      case 'poweron':
        w.powerOn(action.host);
        return;
      case 'latency':
        w.setLink(action.a, action.b, { latencyMs: this.baseLatencyMs + action.ms });
        this.changedLinks.add(`${action.a}\u0000${action.b}`);
        return;
      case 'loss':
        w.setLink(action.a, action.b, { loss: action.percent / 100 });
        this.changedLinks.add(`${action.a}\u0000${action.b}`);
        return;
      case 'loadgen':
        if (action.run) await this.startLoadgen();
        else await this.signalLoadgen('SIGUSR2');
        return;
    }
  }

  private async startLoadgen(): Promise<void> {
    const spec = this.spec.loadgen;
    if (!spec) return;
    if (this.loadgenPid() !== null) { await this.signalLoadgen('SIGUSR1'); return; }
    if (!this.world.host(spec.host).up) return;
    const target = 'address' in spec.target
      ? `--target ${spec.target.address}`
      : `--sentinels ${spec.target.sentinels.join(',')} --master ${spec.target.master}`;
    const cmd = `halab-loadgen ${target} --rate ${spec.ratePerSec} --keys ${spec.keys} > ${LOADGEN_LOG} 2>&1 &`;
    this.world.input({ kind: 'exec', host: spec.host, command: cmd, id: this.nextExecId() });
    // Let the shell start it, so the next refresh finds the process.
    await this.world.runUntil(() => this.loadgenPid() !== null, { timeoutMs: 1000 });
  }

  /** Pause or resume the load generator; one millisecond later it has heard. */
  private async signalLoadgen(signal: string): Promise<void> {
    const pid = this.loadgenPid();
    if (pid === null) return;
    this.world.kill(this.spec.loadgen!.host, pid, signal);
    await this.world.advance(1);
  }

  async waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const end = this.world.now + timeoutMs;
    const rewinds = this.rewinds;
    // Until seen otherwise, the condition reads process memory.
    let readProcesses = true;
    for (;;) {
      // A condition that last read nothing of process memory (files, processes, hosts) is
      // evaluated without a refresh when a refresh would have nothing else to do
      // (quietForRefresh); should it read process memory this time, it is evaluated again on a
      // fresh snapshot. Either way it is evaluated every REFRESH_EVERY_MS, with the same result,
      // and a long wait on a file (an hourly backup) costs no round trip to the processes.
      const reads = this.processReads;
      let held: boolean;
      let fresh = true;
      if (readProcesses || !this.quietForRefresh()) held = await this.settle(condition);
      else {
        this.notePorts();
        held = condition();
        if (this.processReads !== reads) held = await this.settle(condition);
        else fresh = false;
      }
      readProcesses = this.processReads !== reads;
      if (held || this.world.now >= end) {
        // What follows (checks, the next line) reads a fresh view, as after any action.
        if (!fresh) await this.refresh();
        return held;
      }
      // Someone else rewound the world meanwhile (the page's learner): `end` was the old world's,
      // and waiting on towards it would run the rebuilt world on (as runClock does not).
      if (this.rewinds !== rewinds) return false;
      await this.runClock(Math.min(end, this.world.now + REFRESH_EVERY_MS));
    }
  }

  /** Reads of process memory through the view: Redis state, the trace (sentinel events), the load generator. */
  private get processReads(): number {
    return this.snap.reads + this.otherReads;
  }

  /**
   * Whether a `waitUntil` may skip the refresh before evaluating a condition that read no
   * process memory last time, because a refresh would collect nothing that happens over time:
   * no load generator runs (its lost writes are counted at refreshes) and no running server
   * is, or may be, a sentinel (its events are collected at refreshes).
   */
  private quietForRefresh(): boolean {
    if (this.loadgenPid() !== null) return false;
    for (const h of this.spec.hosts) {
      if (!this.world.host(h.name).up) continue;
      for (const l of this.redisListeners(h.name)) if ((this.sentinelNext.get(l.pid) ?? 0) >= 0) return false;
    }
    return true;
  }

  /** The port of every listening process (events of a process that is gone keep it). */
  private notePorts(): void {
    for (const l of this.world.listening()) if (!this.portOfPid.has(l.pid)) this.portOfPid.set(l.pid, l.port);
  }

  async settle<T>(fn: () => T): Promise<T> {
    await this.refresh();
    for (let pass = 1; ; pass++) {
      const misses = this.snap.misses;
      const result = fn();
      // It asked for something the snapshot did not hold yet: fetch it and ask again.
      if (this.snap.misses === misses || pass >= SETTLE_PASSES) return result;
      await this.refresh();
    }
  }

  catchUp(): Promise<void> {
    return this.applyDueFaults();
  }

  dispose(): void {
    this.offReset();
    if (this.options.ownsWorld !== false) this.world.dispose();
  }
}
