/**
 * MINIMAL STAND-IN for the real lesson adapter.
 *
 * The real `WorldDriver`/`WorldView` over the simulation is being written on another branch as
 * `src/lessons/sim-adapter.ts` (`createSimLessonWorld(world, spec)`, `simWorldFactory`). Until it
 * is merged, the lesson panel uses this small bridge, which implements only what the panel
 * needs: building the world from a lesson's topology, typing a line into a host's terminal and
 * waiting for the prompt, world actions, and reading the world for checks. At merge, replace
 * `createBridge` with the real adapter; the panel only depends on the interfaces.
 *
 * Known gaps of this stand-in (the real adapter owns them): no scheduled `faults`, no load
 * generator (its counters read zero and `loadgen` actions throw), `TypedResult.exitCode` is
 * always null, and a server's `log()` is its `logfile` (or the host's syslog when it logs to
 * stdout).
 *
 * Reading Redis state: the view's methods are synchronous (checks are evaluated synchronously)
 * but a server lives in a Web Worker and answers asynchronously through `World.inspect`. So
 * checks are evaluated with `settle(fn)`: run `fn`; every question the view could not answer
 * from its cache is recorded; fetch those answers; run `fn` again; repeat until nothing is
 * missing. The cache belongs to one settle call, so an answer is never older than the call.
 */
import type { World, HostSpec, LinkParams } from '../../sim';
import { DISK_PRESETS } from '../../sim';
import type {
  WorldView, WorldDriver, WorldAction, WorldSpec, TypedResult, HostView, ProcessView, RedisView, FileView, TraceEvent,
  LoadgenCounters, KeyView,
} from '../../lessons/world-view';
import type { RedisSummary, KeyDetail } from '../../sim/inspect/redis-inspector';
import { parseInfo } from '../../sim/inspect/info-text';

/** World options for a lesson's topology (the sim's HostSpec has one address per host). */
export function worldOptionsFromSpec(spec: WorldSpec, seed: number): { seed: number; hosts: HostSpec[]; links: { a: string; b: string; params: Partial<LinkParams> }[] } {
  const hosts: HostSpec[] = spec.hosts.map((h) => ({
    name: h.name,
    ip: h.ips[0],
    disk: DISK_PRESETS[h.disk === 'slow' ? 'hdd' : h.disk],
    files: { ...h.files },
    dirs: [...h.dirs],
    boot: [...h.boot],
  }));
  const links: { a: string; b: string; params: Partial<LinkParams> }[] = [];
  const params: Partial<LinkParams> = {};
  if (spec.network.latencyMs !== null) params.latencyMs = spec.network.latencyMs;
  if (spec.network.bandwidthBytesPerSec !== null) params.bandwidthBps = spec.network.bandwidthBytesPerSec * 8;
  if (Object.keys(params).length > 0) {
    for (let i = 0; i < hosts.length; i++) for (let j = i + 1; j < hosts.length; j++) links.push({ a: hosts[i].name, b: hosts[j].name, params });
  }
  return { seed, hosts, links };
}

type Query = { q: string; [k: string]: unknown };

/** Types a line into a terminal; the UI passes one that shows the typing. */
export type Typer = (terminal: number, line: string) => void | Promise<void>;

class SimView implements WorldView {
  private cache: Map<string, unknown> | null = null;
  readonly misses = new Map<string, { pid: number; query: Query }>();
  private traceCache: TraceEvent[] = [];
  private traceNext = 0;
  private traceEpoch = -1;

  constructor(private readonly world: World, private readonly startT: number, private readonly epoch: () => number) {}

  /** Evaluate `fn` until every server question it asks is answered (see the file comment). */
  async settle<T>(fn: () => T): Promise<T> {
    const cache = new Map<string, unknown>();
    this.cache = cache;
    try {
      for (let pass = 0; pass < 6; pass++) {
        this.misses.clear();
        const result = fn();
        if (this.misses.size === 0) return result;
        const wanted = [...this.misses];
        const answers = await Promise.all(wanted.map(([, m]) => this.world.inspect(m.pid, m.query).catch(() => null)));
        wanted.forEach(([key], i) => cache.set(key, answers[i]));
      }
      return fn();
    } finally {
      this.cache = null;
      this.misses.clear();
    }
  }

  ask<T>(pid: number, query: Query): T | undefined {
    const key = `${pid}|${JSON.stringify(query)}`;
    if (this.cache?.has(key)) return this.cache.get(key) as T;
    this.misses.set(key, { pid, query });
    return undefined;
  }

  now(): number {
    return this.world.now - this.startT;
  }

  hosts(): readonly HostView[] {
    return this.world.hosts().map((h) => ({ name: h.name, ips: [h.ip], up: h.up }));
  }

  processes(host: string): readonly ProcessView[] {
    const h = this.world.hosts().find((x) => x.name === host);
    if (!h || !h.up) return [];
    return this.world.processes(host).map((p) => ({ pid: p.pid, name: (p.argv[0] ?? p.title).split('/').pop() ?? p.title, argv: p.argv, alive: true }));
  }

  private serverPid(host: string, port: number): number | null {
    const h = this.world.hosts().find((x) => x.name === host);
    if (!h || !h.up) return null;
    const l = this.world.listening(host).find((x) => x.port === port);
    if (!l) return null;
    const p = this.world.processes(host).find((x) => x.pid === l.pid);
    const name = (p?.argv[0] ?? '').split('/').pop();
    return name === 'redis-server' || name === 'redis-sentinel' ? l.pid : null;
  }

  redisPorts(host: string): readonly number[] {
    const ports = new Set<number>();
    for (const l of this.world.listening(host)) if (this.serverPid(host, l.port) !== null) ports.add(l.port);
    return [...ports].sort((a, b) => a - b);
  }

  redis(host: string, port: number): RedisView | null {
    const pid = this.serverPid(host, port);
    if (pid === null) return null;
    const ask = <T>(query: Query) => this.ask<T>(pid, query);
    const world = this.world;
    return {
      role() {
        return ask<RedisSummary>({ q: 'summary' })?.role ?? 'master';
      },
      info(section: string) {
        const text = ask<string>({ q: 'info', section });
        return typeof text === 'string' ? parseInfo(text) : {};
      },
      config(name: string) {
        const v = ask<string | null>({ q: 'config', name });
        return v ?? null;
      },
      key(db: number, name: string): KeyView | null {
        const k = ask<KeyDetail | null>({ q: 'key', db, key: name });
        if (!k) return null;
        return { type: k.type, value: k.value, length: k.length, ttlMs: k.ttlMs };
      },
      dbsize(db: number) {
        return ask<number | null>({ q: 'dbsize', db }) ?? 0;
      },
      log() {
        const logfile = ask<string | null>({ q: 'config', name: 'logfile' });
        if (logfile === undefined) return '';
        const dir = ask<string | null>({ q: 'config', name: 'dir' }) ?? '/';
        const path = !logfile ? '/var/log/syslog' : logfile.startsWith('/') ? logfile : `${dir.replace(/\/$/, '')}/${logfile}`;
        return world.readText(host, path) ?? '';
      },
    };
  }

  file(host: string, path: string): FileView | null {
    const info = this.world.fileInfo(host, path);
    if (!info || info.isDirectory) return null;
    const world = this.world;
    return { size: info.size, text: () => world.readText(host, path) ?? '' };
  }

  trace(): readonly TraceEvent[] {
    if (this.traceEpoch !== this.epoch()) {
      this.traceEpoch = this.epoch();
      this.traceCache = [];
      this.traceNext = 0;
    }
    const fresh = this.world.trace.recent(this.traceNext);
    if (fresh.length === 0) return this.traceCache;
    const portOf = new Map<number, number>();
    for (const l of this.world.listening()) if (!portOf.has(l.pid)) portOf.set(l.pid, l.port);
    for (const r of fresh) {
      let kind = r.kind;
      let text = r.detail;
      let host = r.host;
      if (r.kind === 'input' && r.detail.startsWith('type ')) {
        // A line typed into a terminal: the lesson format's `command` events.
        try {
          const i = JSON.parse(r.detail.slice(5)) as { terminal: number; line: string };
          kind = 'command';
          text = i.line;
          host = this.world.terminal(i.terminal)?.host.name ?? host;
        } catch {
          // keep the raw record
        }
      }
      const port = portOf.get(r.pid);
      this.traceCache.push({ atMs: r.t - this.startT, kind, host, ...(port !== undefined ? { port } : {}), text });
    }
    this.traceNext = fresh[fresh.length - 1].i + 1;
    return this.traceCache;
  }

  loadgen(): LoadgenCounters {
    return { running: false, acked: 0, lost: 0, errors: 0 };
  }
}

export interface BridgeOptions {
  /** Virtual time (ms since the epoch) the world was built at. */
  startT: number;
  /** Incremented when the world is rewound (the trace starts over). */
  epoch?: () => number;
  typer?: Typer;
}

export class SimBridge implements WorldDriver {
  readonly view: SimView;
  private readonly changedLinks = new Map<string, LinkParams>();

  constructor(readonly world: World, private readonly opts: BridgeOptions) {
    this.view = new SimView(world, opts.startT, opts.epoch ?? (() => 0));
  }

  settle<T>(fn: () => T): Promise<T> {
    return this.view.settle(fn);
  }

  terminalFor(host: string): number {
    const existing = this.world.terminalIds().find((id) => this.world.terminal(id)?.host.name === host);
    return existing ?? this.world.openTerminal(host);
  }

  async type(host: string, line: string, timeoutMs: number): Promise<TypedResult> {
    const id = this.terminalFor(host);
    const term = this.world.terminal(id)!;
    const before = term.text().length;
    await (this.opts.typer ?? ((t: number, l: string) => this.world.type(t, l)))(id, line);
    await this.world.runUntil(() => term.currentReader() !== null || term.closed, { timeoutMs });
    const reader = term.currentReader();
    const state = reader === null ? 'busy' : reader.pid === term.shellPid ? 'shell' : 'program';
    return { output: term.text().slice(before), exitCode: null, state };
  }

  async act(action: WorldAction): Promise<void> {
    const w = this.world;
    switch (action.kind) {
      case 'wait': await w.advance(action.ms); return;
      case 'partition':
        for (let i = 0; i < action.groups.length; i++) {
          for (let j = i + 1; j < action.groups.length; j++) w.partition(action.groups[i], action.groups[j]);
        }
        return;
      case 'heal':
        w.heal();
        for (const [key, params] of this.changedLinks) {
          const [a, b] = key.split('>');
          w.setLink(a, b, params, true);
        }
        this.changedLinks.clear();
        return;
      case 'poweroff': w.powerOff(action.host); return;
      case 'poweron': w.powerOn(action.host); return;
      case 'latency': this.link(action.a, action.b, { latencyMs: action.ms }); return;
      case 'loss': this.link(action.a, action.b, { loss: action.percent / 100 }); return;
      case 'loadgen': throw new Error('the load generator is not available yet (minimal lesson bridge)');
    }
  }

  private link(a: string, b: string, params: Partial<LinkParams>): void {
    for (const [x, y] of [[a, b], [b, a]]) {
      const key = `${x}>${y}`;
      if (!this.changedLinks.has(key)) this.changedLinks.set(key, this.world.linkParams(x, y));
    }
    this.world.setLink(a, b, params);
  }

  async waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const limit = this.world.now + timeoutMs;
    for (;;) {
      if (await this.settle(condition)) return true;
      if (this.world.now >= limit) return false;
      // One window, never past the limit (runUntil checks its predicate before and after it).
      let windows = 0;
      await this.world.runUntil(() => windows++ > 0, { timeoutMs: limit - this.world.now });
    }
  }

  dispose(): void {
    // The session owns the world.
  }
}

export function createBridge(world: World, opts: BridgeOptions): SimBridge {
  return new SimBridge(world, opts);
}
