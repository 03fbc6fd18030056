/**
 * A small scripted world implementing WorldView and WorldDriver, for proving the lesson
 * machinery (parser, checks, autopilot) before the real simulation exists. It is NOT Redis and
 * not a simulation: a handful of shell commands and Redis commands, replication that copies the
 * whole dataset every tick, and a scripted "sentinel" that fails over after down-after-ms.
 *
 * What it does, in 100 ms ticks of virtual time:
 * - hosts with IPs, files, processes with pids; power off/on (boot lines run again);
 *   partitions between host groups (affect replication, sentinels and the load generator);
 * - shell: redis-server <conf>, redis-sentinel <conf>, redis-cli [-h ip] [-p port] [cmd...]
 *   (interactive without a command; `exit` leaves), pkill [-9] name, kill [-9] pid, cat, ls, echo;
 * - redis: PING SET GET DEL EXISTS DBSIZE SAVE BGSAVE FLUSHALL EXPIRE TTL INFO REPLICAOF/SLAVEOF
 *   CONFIG GET/SET ROLE; "dump.rdb" is the text REDIS0010 + JSON; appendonly yes appends
 *   "SET k v" lines to appendonly.aof and replays them at start;
 * - sentinel: `sentinel monitor <name> <ip> <port> <quorum>` and `down-after-milliseconds`:
 *   +sdown per sentinel, then +odown/+try-failover/+selected-slave/+promoted-slave/
 *   +switch-master; the replica is chosen with the seeded RNG; a returning old master gets
 *   +convert-to-slave;
 * - load generator: SET loadgen:<i> <seq> at `rate`/s to the master the sentinels agree on.
 */
import type {
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
} from '../../src/lessons/world-view';
import { rng } from '../support/rng';

const TICK_MS = 100;
const TYPE_COST_MS = 10;

interface Entry {
  value: string;
  expireAt: number | null;
}

interface FakeServer {
  kind: 'redis' | 'sentinel';
  host: string;
  port: number;
  pid: number;
  conf: Map<string, string>;
  data: Map<string, Entry>;
  master: { ip: string; port: number } | null;
  linkUp: boolean;
  log: string[];
  changesSinceSave: number;
  lastSaveMs: number;
  loadedKeys: number;
  startedMs: number;
  monitors: SentinelMonitor[];
}

interface SentinelMonitor {
  name: string;
  ip: string;
  port: number;
  quorum: number;
  downAfterMs: number;
  downSince: number | null;
  sdown: boolean;
}

interface FakeProcess {
  pid: number;
  name: string;
  argv: string[];
  alive: boolean;
  server: FakeServer | null;
}

interface FakeHost {
  name: string;
  ips: string[];
  up: boolean;
  files: Map<string, string>;
  procs: FakeProcess[];
  cli: { host: string; port: number } | null;
  boot: string[];
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

export class FakeWorld implements WorldView, WorldDriver {
  readonly view: WorldView = this;
  private clock = 0;
  private readonly random: () => number;
  private nextPid = 100;
  private readonly hostMap = new Map<string, FakeHost>();
  private readonly events: TraceEvent[] = [];
  private partitions: [Set<string>, Set<string>][] = [];
  private readonly pending: { atMs: number; run: () => void }[] = [];
  private readonly lg = {
    running: false,
    acked: 0,
    errors: 0,
    seq: 0,
    /** Acknowledged writes found missing so far. */
    lostSoFar: 0,
    lastAcked: new Map<string, string>(),
    nextWriteMs: 0,
  };
  /** Failovers in progress or done, keyed by master name. */
  private readonly failovers = new Map<string, { oldIp: string; oldPort: number; doneAtMs: number | null }>();

  constructor(readonly spec: WorldSpec, seed: number) {
    this.random = rng(seed);
    for (const h of spec.hosts) {
      const files = new Map<string, string>();
      for (const d of h.dirs) files.set(d + '/', '');
      for (const [path, text] of Object.entries(h.files)) files.set(path, text);
      this.hostMap.set(h.name, { name: h.name, ips: [...h.ips], up: true, files, procs: [], cli: null, boot: h.boot });
    }
    for (const f of spec.faults) {
      this.pending.push({
        atMs: f.atMs,
        run: () => {
          if (f.action.kind === 'shell') this.shell(this.host(f.action.host), f.action.line);
          else void this.act(f.action);
        },
      });
    }
    if (spec.loadgen?.autostart) this.lg.running = true;
    for (const h of this.hostMap.values()) this.boot(h);
  }

  // ------------------------------------------------------------------------------------------
  // WorldView

  now(): number {
    return this.clock;
  }

  hosts(): readonly HostView[] {
    return [...this.hostMap.values()].map((h) => ({ name: h.name, ips: h.ips, up: h.up }));
  }

  processes(host: string): readonly ProcessView[] {
    const h = this.hostMap.get(host);
    if (!h || !h.up) return [];
    return h.procs.map((p) => ({ pid: p.pid, name: p.name, argv: p.argv, alive: p.alive }));
  }

  redisPorts(host: string): readonly number[] {
    return this.liveServers().filter((s) => s.host === host).map((s) => s.port);
  }

  redis(host: string, port: number): RedisView | null {
    const s = this.serverAt(host, port);
    return s ? this.redisView(s) : null;
  }

  file(host: string, path: string): FileView | null {
    const h = this.hostMap.get(host);
    const text = h?.files.get(path);
    if (text === undefined) return null;
    return { size: new TextEncoder().encode(text).length, text: () => text };
  }

  trace(): readonly TraceEvent[] {
    return this.events;
  }

  loadgen(): LoadgenCounters {
    return { running: this.lg.running, acked: this.lg.acked, lost: this.lg.lostSoFar + this.missingWrites(false), errors: this.lg.errors };
  }

  /**
   * Acknowledged writes (the last one per key) the current master does not have. With `settle`,
   * count them as lost for good and forget them, so a later write to the same key cannot hide
   * the loss.
   */
  private missingWrites(settle: boolean): number {
    const master = this.loadgenTarget();
    if (!master || master.master !== null) return 0;
    let missing = 0;
    for (const [key, value] of this.lg.lastAcked) {
      if (master.data.get(key)?.value !== value) {
        missing++;
        if (settle) this.lg.lastAcked.delete(key);
      }
    }
    return missing;
  }

  // ------------------------------------------------------------------------------------------
  // WorldDriver

  async type(host: string, line: string, _timeoutMs: number): Promise<TypedResult> {
    const h = this.host(host);
    if (!h.up) return { output: `${host} is powered off\n`, exitCode: null, state: 'busy' };
    this.emit(h.name, 'command', line);
    let result: TypedResult;
    if (h.cli) {
      const words = line.trim().split(/\s+/);
      if (/^(exit|quit)$/i.test(words[0])) {
        h.cli = null;
        result = { output: '', exitCode: 0, state: 'shell' };
      } else {
        result = { output: this.cliCommand(h, h.cli, words) + '\n', exitCode: null, state: 'program' };
      }
    } else {
      result = this.shell(h, line);
    }
    this.advance(TYPE_COST_MS);
    return result;
  }

  async act(action: WorldAction): Promise<void> {
    switch (action.kind) {
      case 'wait':
        this.advance(action.ms);
        return;
      case 'partition':
        for (let i = 0; i < action.groups.length; i++) {
          for (let j = i + 1; j < action.groups.length; j++) {
            this.partitions.push([new Set(action.groups[i]), new Set(action.groups[j])]);
          }
        }
        this.emit('', 'partition', action.groups.map((g) => g.join(',')).join(' | '));
        return;
      case 'heal':
        this.partitions = [];
        this.emit('', 'heal', '');
        return;
      case 'poweroff': {
        const h = this.host(action.host);
        h.up = false;
        for (const p of h.procs) p.alive = false;
        h.procs = [];
        h.cli = null;
        this.emit(h.name, 'poweroff', h.name);
        return;
      }
      case 'poweron': {
        const h = this.host(action.host);
        if (h.up) return;
        h.up = true;
        this.emit(h.name, 'poweron', h.name);
        this.boot(h);
        return;
      }
      case 'latency':
      case 'loss':
        this.emit(action.a, action.kind, `${action.a} <-> ${action.b}`);
        return;
      case 'loadgen':
        this.lg.running = action.run;
        this.lg.nextWriteMs = this.clock;
        this.emit(this.spec.loadgen?.host ?? '', action.run ? 'loadgen-start' : 'loadgen-stop', '');
        return;
    }
  }

  async waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const end = this.clock + timeoutMs;
    while (!condition()) {
      if (this.clock >= end) return false;
      this.advance(Math.min(TICK_MS, end - this.clock));
    }
    return true;
  }

  dispose(): void {}

  // ------------------------------------------------------------------------------------------
  // Time

  private advance(ms: number): void {
    const end = this.clock + ms;
    while (this.clock < end) {
      const nextTick = (Math.floor(this.clock / TICK_MS) + 1) * TICK_MS;
      this.clock = Math.min(nextTick, end);
      this.runPending();
      if (this.clock === nextTick) this.tick();
    }
  }

  private runPending(): void {
    this.pending.sort((a, b) => a.atMs - b.atMs);
    while (this.pending.length && this.pending[0].atMs <= this.clock) this.pending.shift()!.run();
  }

  private tick(): void {
    for (const s of this.liveServers()) {
      if (s.kind === 'redis') this.replicate(s);
    }
    for (const s of this.liveServers()) {
      if (s.kind === 'sentinel') this.watch(s);
    }
    this.loadgenTick();
  }

  // ------------------------------------------------------------------------------------------
  // Hosts, processes, files

  private host(name: string): FakeHost {
    const h = this.hostMap.get(name);
    if (!h) throw new Error(`fake world: no host ${name}`);
    return h;
  }

  private hostByIp(ip: string, from?: FakeHost): FakeHost | null {
    if ((ip === '127.0.0.1' || ip === 'localhost') && from) return from;
    return [...this.hostMap.values()].find((h) => h.ips.includes(ip) || h.name === ip) ?? null;
  }

  private boot(h: FakeHost): void {
    for (const line of h.boot) this.shell(h, line);
  }

  private emit(host: string, kind: string, text: string, port?: number): void {
    this.events.push({ atMs: this.clock, kind, host, port, text });
  }

  private connected(a: string, b: string): boolean {
    if (a === b) return true;
    if (!this.hostMap.get(a)?.up || !this.hostMap.get(b)?.up) return false;
    return !this.partitions.some(([x, y]) => (x.has(a) && y.has(b)) || (x.has(b) && y.has(a)));
  }

  private liveServers(): FakeServer[] {
    return [...this.hostMap.values()]
      .filter((h) => h.up)
      .flatMap((h) => h.procs.filter((p) => p.alive && p.server).map((p) => p.server!));
  }

  private serverAt(host: string, port: number): FakeServer | null {
    return this.liveServers().find((s) => s.host === host && s.port === port) ?? null;
  }

  /** The server at ip:port as reachable from a host (null if down or partitioned away). */
  private reach(from: string, ip: string, port: number): FakeServer | null {
    const target = this.hostByIp(ip, this.hostMap.get(from));
    if (!target || !this.connected(from, target.name)) return null;
    return this.serverAt(target.name, port);
  }

  private shell(h: FakeHost, line: string): TypedResult {
    const words = line.trim().split(/\s+/);
    const ok = (output = ''): TypedResult => ({ output, exitCode: 0, state: 'shell' });
    const fail = (output: string, code = 1): TypedResult => ({ output, exitCode: code, state: 'shell' });
    switch (words[0]) {
      case 'redis-server':
      case 'redis-sentinel': {
        const conf = this.readConf(h, words[1]);
        if (!conf) return fail(`Fatal error, can't open config file '${words[1]}'\n`);
        const kind = words[0] === 'redis-sentinel' ? 'sentinel' : 'redis';
        const port = Number(conf.get('port') ?? (kind === 'sentinel' ? 26379 : 6379));
        if (this.serverAt(h.name, port)) return fail(`Could not create server TCP listening socket *:${port}: bind: Address already in use\n`);
        this.startServer(h, kind, port, conf, words);
        return ok();
      }
      case 'redis-cli': {
        let ip = '127.0.0.1';
        let port = 6379;
        let i = 1;
        for (; i < words.length; i++) {
          if (words[i] === '-h') ip = words[++i];
          else if (words[i] === '-p') port = Number(words[++i]);
          else break;
        }
        const target = this.hostByIp(ip, h);
        if (!target) return fail(`Could not connect to Redis at ${ip}:${port}: Name or service not known\n`);
        const address = { host: target.name, port };
        if (i >= words.length) {
          h.cli = address;
          return { output: '', exitCode: null, state: 'program' };
        }
        return ok(this.cliCommand(h, address, words.slice(i)) + '\n');
      }
      case 'pkill':
      case 'kill': {
        const args = words.slice(1).filter((w) => !w.startsWith('-'));
        const victims = h.procs.filter((p) => p.alive && args.some((a) => (words[0] === 'kill' ? String(p.pid) === a : p.name === a)));
        if (!victims.length) return fail(words[0] === 'kill' ? `kill: (${args[0]}) - No such process\n` : '', 1);
        for (const p of victims) {
          p.alive = false;
          this.emit(h.name, 'kill', `${p.name} ${p.pid}`, p.server?.port);
        }
        return ok();
      }
      case 'cat': {
        const text = h.files.get(words[1]);
        return text === undefined ? fail(`cat: ${words[1]}: No such file or directory\n`) : ok(text);
      }
      case 'ls': {
        const dir = (words[1] ?? '/').replace(/\/$/, '');
        const names = [...h.files.keys()].filter((p) => dirname(p) === dir && !p.endsWith('/')).map((p) => p.slice(dir.length + 1));
        return ok(names.sort().join('\n') + (names.length ? '\n' : ''));
      }
      case 'echo':
        return ok(words.slice(1).join(' ') + '\n');
      default:
        return fail(`${words[0]}: command not found\n`, 127);
    }
  }

  private readConf(h: FakeHost, path: string | undefined): Map<string, string> | null {
    if (!path) return new Map();
    const text = h.files.get(path);
    if (text === undefined) return null;
    const conf = new Map<string, string>();
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const [k, ...rest] = line.split(/\s+/);
      const key = k.toLowerCase();
      // Sentinel directives repeat; keep them all under numbered keys.
      conf.set(key === 'sentinel' ? `sentinel#${conf.size}` : key, rest.join(' '));
    }
    return conf;
  }

  private startServer(h: FakeHost, kind: 'redis' | 'sentinel', port: number, conf: Map<string, string>, argv: string[]): void {
    const server: FakeServer = {
      kind,
      host: h.name,
      port,
      pid: this.nextPid++,
      conf,
      data: new Map(),
      master: null,
      linkUp: false,
      log: [],
      changesSinceSave: 0,
      lastSaveMs: this.clock,
      loadedKeys: 0,
      startedMs: this.clock,
      monitors: [],
    };
    const replicaof = conf.get('replicaof') ?? conf.get('slaveof');
    if (replicaof) {
      const [ip, p] = replicaof.split(/\s+/);
      server.master = { ip, port: Number(p) };
    }
    if (kind === 'sentinel') {
      const downAfter = new Map<string, number>();
      for (const [k, v] of conf) {
        if (!k.startsWith('sentinel#')) continue;
        const w = v.split(/\s+/);
        if (w[0] === 'monitor') {
          server.monitors.push({ name: w[1], ip: w[2], port: Number(w[3]), quorum: Number(w[4]), downAfterMs: 30000, downSince: null, sdown: false });
        } else if (w[0] === 'down-after-milliseconds') downAfter.set(w[1], Number(w[2]));
      }
      for (const m of server.monitors) {
        m.downAfterMs = downAfter.get(m.name) ?? m.downAfterMs;
        // A sentinel started after a failover follows the new master.
        const current = this.failovers.get(m.name)?.doneAtMs != null ? this.currentMaster(m.name) : null;
        if (current) Object.assign(m, current);
        this.emit(h.name, '+monitor', `master ${m.name} ${m.ip} ${m.port} quorum ${m.quorum}`, port);
      }
    } else {
      this.load(h, server);
    }
    server.log.push(`* Ready to accept connections`);
    h.procs.push({ pid: server.pid, name: argv[0], argv, alive: true, server });
  }

  private dataPath(s: FakeServer, file: string): string {
    return `${(s.conf.get('dir') ?? '/').replace(/\/$/, '')}/${file}`;
  }

  private load(h: FakeHost, s: FakeServer): void {
    if (s.conf.get('appendonly') === 'yes') {
      const aof = h.files.get(this.dataPath(s, 'appendonly.aof')) ?? '';
      for (const line of aof.split('\n')) {
        const [cmd, k, v] = line.split(' ');
        if (cmd === 'SET') s.data.set(k, { value: v, expireAt: null });
        if (cmd === 'DEL') s.data.delete(k);
        if (cmd === 'FLUSHALL') s.data.clear();
      }
      s.loadedKeys = s.data.size;
      return;
    }
    const rdb = h.files.get(this.dataPath(s, s.conf.get('dbfilename') ?? 'dump.rdb'));
    if (rdb?.startsWith('REDIS0010')) {
      for (const [k, v] of Object.entries(JSON.parse(rdb.slice(9)) as Record<string, string>)) s.data.set(k, { value: v, expireAt: null });
      s.loadedKeys = s.data.size;
      s.log.push(`* DB loaded from disk`);
    }
  }

  private save(s: FakeServer): void {
    const data: Record<string, string> = {};
    for (const [k, e] of s.data) data[k] = e.value;
    this.host(s.host).files.set(this.dataPath(s, s.conf.get('dbfilename') ?? 'dump.rdb'), 'REDIS0010' + JSON.stringify(data));
    s.changesSinceSave = 0;
    s.lastSaveMs = this.clock;
    s.log.push('* DB saved on disk');
  }

  // ------------------------------------------------------------------------------------------
  // Redis

  private live(s: FakeServer, key: string): Entry | null {
    const e = s.data.get(key);
    if (!e) return null;
    if (e.expireAt !== null && e.expireAt <= this.clock) {
      s.data.delete(key);
      return null;
    }
    return e;
  }

  private write(s: FakeServer, line: string): void {
    s.changesSinceSave++;
    if (s.conf.get('appendonly') === 'yes') {
      const files = this.host(s.host).files;
      const path = this.dataPath(s, 'appendonly.aof');
      files.set(path, (files.get(path) ?? '') + line + '\n');
    }
  }

  private cliCommand(from: FakeHost, address: { host: string; port: number }, words: string[]): string {
    const target = this.hostMap.get(address.host)!;
    if (!this.connected(from.name, target.name) || !this.serverAt(target.name, address.port)) {
      return `Could not connect to Redis at ${target.ips[0] ?? target.name}:${address.port}: Connection refused`;
    }
    return this.command(this.serverAt(target.name, address.port)!, words);
  }

  private command(s: FakeServer, words: string[]): string {
    const cmd = (words[0] ?? '').toUpperCase();
    const readonlyReplica = s.master !== null;
    const WRITE = new Set(['SET', 'DEL', 'FLUSHALL', 'EXPIRE']);
    if (s.kind === 'sentinel' && !['PING', 'INFO', 'SENTINEL', 'ROLE'].includes(cmd)) {
      return `(error) ERR unknown command '${words[0]}'`;
    }
    if (WRITE.has(cmd) && readonlyReplica) return "(error) READONLY You can't write against a read only replica.";
    switch (cmd) {
      case 'PING':
        return 'PONG';
      case 'SET':
        s.data.set(words[1], { value: words[2], expireAt: null });
        this.write(s, `SET ${words[1]} ${words[2]}`);
        return 'OK';
      case 'GET': {
        const e = this.live(s, words[1]);
        return e ? `"${e.value}"` : '(nil)';
      }
      case 'DEL': {
        const n = words.slice(1).filter((k) => this.live(s, k) && s.data.delete(k)).length;
        for (const k of words.slice(1)) this.write(s, `DEL ${k}`);
        return `(integer) ${n}`;
      }
      case 'EXISTS':
        return `(integer) ${words.slice(1).filter((k) => this.live(s, k)).length}`;
      case 'EXPIRE': {
        const e = this.live(s, words[1]);
        if (!e) return '(integer) 0';
        e.expireAt = this.clock + Number(words[2]) * 1000;
        return '(integer) 1';
      }
      case 'TTL': {
        const e = this.live(s, words[1]);
        if (!e) return '(integer) -2';
        return `(integer) ${e.expireAt === null ? -1 : Math.ceil((e.expireAt - this.clock) / 1000)}`;
      }
      case 'DBSIZE':
        return `(integer) ${s.data.size}`;
      case 'FLUSHALL':
        s.data.clear();
        this.write(s, 'FLUSHALL');
        return 'OK';
      case 'SAVE':
      case 'BGSAVE':
        this.save(s);
        return cmd === 'SAVE' ? 'OK' : 'Background saving started';
      case 'INFO':
        return Object.entries(this.info(s, (words[1] ?? 'everything').toLowerCase()))
          .map(([k, v]) => `${k}:${v}`)
          .join('\n');
      case 'ROLE':
        return this.role(s);
      case 'REPLICAOF':
      case 'SLAVEOF':
        if ((words[1] ?? '').toUpperCase() === 'NO') {
          s.master = null;
          s.linkUp = false;
        } else {
          s.master = { ip: words[1], port: Number(words[2]) };
          s.linkUp = false;
        }
        return 'OK';
      case 'CONFIG': {
        const sub = (words[1] ?? '').toUpperCase();
        if (sub === 'GET') return `1) "${words[2]}"\n2) "${s.conf.get(words[2]) ?? ''}"`;
        if (sub === 'SET') {
          s.conf.set(words[2], words[3]);
          return 'OK';
        }
        return '(error) ERR unknown subcommand';
      }
      case 'SENTINEL': {
        const m = s.monitors.find((x) => x.name === words[2]);
        if ((words[1] ?? '').toLowerCase() === 'get-master-addr-by-name' && m) return `1) "${m.ip}"\n2) "${m.port}"`;
        return '(nil)';
      }
      default:
        return `(error) ERR unknown command '${words[0]}', with args beginning with: `;
    }
  }

  private role(s: FakeServer): 'master' | 'slave' | 'sentinel' {
    return s.kind === 'sentinel' ? 'sentinel' : s.master ? 'slave' : 'master';
  }

  private replicasOf(s: FakeServer): FakeServer[] {
    const host = this.host(s.host);
    return this.liveServers().filter(
      (r) => r.kind === 'redis' && r.master && r.linkUp && r.master.port === s.port && this.hostByIp(r.master.ip, this.host(r.host)) === host,
    );
  }

  private info(s: FakeServer, section: string): Record<string, string> {
    const all = section === 'everything' || section === 'all';
    const out: Record<string, string> = {};
    if (all || section === 'server') {
      Object.assign(out, {
        redis_version: '7.0.15',
        redis_mode: s.kind === 'sentinel' ? 'sentinel' : 'standalone',
        process_id: String(s.pid),
        tcp_port: String(s.port),
        uptime_in_seconds: String(Math.floor((this.clock - s.startedMs) / 1000)),
      });
    }
    if (s.kind === 'sentinel') {
      if (all || section === 'sentinel') {
        out.sentinel_masters = String(s.monitors.length);
        s.monitors.forEach((m, i) => {
          const status = m.sdown ? (this.failovers.has(m.name) ? 'odown' : 'sdown') : 'ok';
          const sentinels = this.liveServers().filter((x) => x.kind === 'sentinel' && x.monitors.some((y) => y.name === m.name)).length;
          const master = this.serverAt(this.hostByIp(m.ip)?.name ?? '', m.port);
          const slaves = master ? this.replicasOf(master).length : 0;
          out[`master${i}`] = `name=${m.name},status=${status},address=${m.ip}:${m.port},slaves=${slaves},sentinels=${sentinels}`;
        });
      }
      return out;
    }
    if (all || section === 'persistence') {
      Object.assign(out, {
        rdb_changes_since_last_save: String(s.changesSinceSave),
        rdb_last_save_time: String(Math.floor(s.lastSaveMs / 1000)),
        rdb_last_load_keys_loaded: String(s.loadedKeys),
        aof_enabled: s.conf.get('appendonly') === 'yes' ? '1' : '0',
      });
    }
    if (all || section === 'replication') {
      out.role = this.role(s);
      if (s.master) {
        Object.assign(out, {
          master_host: s.master.ip,
          master_port: String(s.master.port),
          master_link_status: s.linkUp ? 'up' : 'down',
        });
      }
      const replicas = this.replicasOf(s);
      out.connected_slaves = String(replicas.length);
      replicas.forEach((r, i) => {
        out[`slave${i}`] = `ip=${this.host(r.host).ips[0]},port=${r.port},state=online,offset=0,lag=0`;
      });
    }
    if ((all || section === 'keyspace') && s.data.size) out.db0 = `keys=${s.data.size},expires=0,avg_ttl=0`;
    return out;
  }

  private redisView(s: FakeServer): RedisView {
    return {
      role: () => this.role(s),
      info: (section) => this.info(s, section),
      config: (name) => s.conf.get(name) ?? null,
      key: (db, name): KeyView | null => {
        if (db !== 0) return null;
        const e = this.live(s, name);
        return e ? { type: 'string', value: e.value, length: e.value.length, ttlMs: e.expireAt === null ? null : e.expireAt - this.clock } : null;
      },
      dbsize: (db) => (db === 0 ? s.data.size : 0),
      log: () => s.log.join('\n') + '\n',
      clusterInfo: () => null,
    };
  }

  private replicate(s: FakeServer): void {
    if (!s.master) return;
    const master = this.reach(s.host, s.master.ip, s.master.port);
    if (!master || master.kind !== 'redis') {
      if (s.linkUp) s.log.push('# Connection with master lost.');
      s.linkUp = false;
      return;
    }
    if (!s.linkUp) {
      s.log.push('* MASTER <-> REPLICA sync: Finished with success');
      this.emit(s.host, 'full-resync', `from ${s.master.ip}:${s.master.port}`, s.port);
    }
    s.linkUp = true;
    s.data = new Map([...master.data].map(([k, e]) => [k, { ...e }]));
  }

  // ------------------------------------------------------------------------------------------
  // Sentinel (scripted)

  private currentMaster(name: string): { ip: string; port: number } | null {
    for (const s of this.liveServers()) {
      const m = s.monitors.find((x) => x.name === name);
      if (m) return { ip: m.ip, port: m.port };
    }
    return null;
  }

  private watch(sentinel: FakeServer): void {
    for (const m of sentinel.monitors) {
      const master = this.reach(sentinel.host, m.ip, m.port);
      const healthy = master !== null && master.master === null;
      if (healthy) {
        if (m.sdown) this.emit(sentinel.host, '-sdown', `master ${m.name} ${m.ip} ${m.port}`, sentinel.port);
        m.sdown = false;
        m.downSince = null;
      } else {
        m.downSince ??= this.clock;
        if (!m.sdown && this.clock - m.downSince >= m.downAfterMs) {
          m.sdown = true;
          this.emit(sentinel.host, '+sdown', `master ${m.name} ${m.ip} ${m.port}`, sentinel.port);
          this.maybeFailover(sentinel, m);
        }
      }
      // An old master that came back is turned into a replica of the new one.
      const fo = this.failovers.get(m.name);
      if (fo?.doneAtMs !== null && fo) {
        const old = this.reach(sentinel.host, fo.oldIp, fo.oldPort);
        if (old && old.kind === 'redis' && old.master === null && (fo.oldIp !== m.ip || fo.oldPort !== m.port)) {
          old.master = { ip: m.ip, port: m.port };
          old.linkUp = false;
          this.emit(sentinel.host, '+convert-to-slave', `slave ${fo.oldIp}:${fo.oldPort} ${fo.oldIp} ${fo.oldPort} @ ${m.name} ${m.ip} ${m.port}`, sentinel.port);
        }
      }
    }
  }

  private maybeFailover(leader: FakeServer, m: SentinelMonitor): void {
    const voters = this.liveServers().filter((s) => s.kind === 'sentinel' && s.monitors.some((x) => x.name === m.name && x.sdown));
    const all = this.liveServers().filter((s) => s.kind === 'sentinel' && s.monitors.some((x) => x.name === m.name));
    if (voters.length < m.quorum) return;
    const fo = this.failovers.get(m.name);
    if (fo && fo.doneAtMs === null) return;
    this.emit(leader.host, '+odown', `master ${m.name} ${m.ip} ${m.port} #quorum ${voters.length}/${m.quorum}`, leader.port);
    if (voters.length * 2 <= all.length) return; // no majority to elect a leader
    this.emit(leader.host, '+try-failover', `master ${m.name} ${m.ip} ${m.port}`, leader.port);
    const record = { oldIp: m.ip, oldPort: m.port, doneAtMs: null as number | null };
    this.failovers.set(m.name, record);
    this.pending.push({
      atMs: this.clock + 1000,
      run: () => {
        const candidates = this.liveServers().filter(
          (s) => s.kind === 'redis' && s.master && s.master.ip === m.ip && s.master.port === m.port && this.connected(leader.host, s.host),
        );
        if (!candidates.length) {
          this.emit(leader.host, '-failover-abort-no-good-slave', `master ${m.name} ${m.ip} ${m.port}`, leader.port);
          this.failovers.delete(m.name);
          return;
        }
        const chosen = candidates[Math.floor(this.random() * candidates.length)];
        const ip = this.host(chosen.host).ips[0];
        this.emit(leader.host, '+selected-slave', `slave ${ip}:${chosen.port} ${ip} ${chosen.port} @ ${m.name} ${m.ip} ${m.port}`, leader.port);
        chosen.master = null;
        this.emit(leader.host, '+promoted-slave', `slave ${ip}:${chosen.port} ${ip} ${chosen.port} @ ${m.name} ${m.ip} ${m.port}`, leader.port);
        for (const r of candidates) if (r !== chosen) r.master = { ip, port: chosen.port };
        for (const s of all) {
          const mon = s.monitors.find((x) => x.name === m.name)!;
          this.emit(s.host, '+switch-master', `${m.name} ${mon.ip} ${mon.port} ${ip} ${chosen.port}`, s.port);
          Object.assign(mon, { ip, port: chosen.port, sdown: false, downSince: null });
        }
        record.doneAtMs = this.clock;
      },
    });
  }

  // ------------------------------------------------------------------------------------------
  // Load generator

  private loadgenTarget(): FakeServer | null {
    const spec = this.spec.loadgen;
    if (!spec) return null;
    if ('address' in spec.target) {
      const [ip, port] = spec.target.address.split(':');
      return this.reach(spec.host, ip, Number(port));
    }
    const current = this.currentMaster(spec.target.master);
    return current ? this.reach(spec.host, current.ip, current.port) : null;
  }

  private loadgenTick(): void {
    const spec = this.spec.loadgen;
    if (!spec || !this.lg.running) return;
    this.lg.lostSoFar += this.missingWrites(true);
    while (this.lg.nextWriteMs <= this.clock) {
      this.lg.nextWriteMs += 1000 / spec.ratePerSec;
      const key = `loadgen:${this.lg.seq % spec.keys}`;
      const value = String(++this.lg.seq);
      const target = this.loadgenTarget();
      if (target && target.master === null) {
        target.data.set(key, { value, expireAt: null });
        this.lg.acked++;
        this.lg.lastAcked.set(key, value);
      } else {
        this.lg.errors++;
      }
    }
  }
}

export const fakeWorldFactory: WorldFactory = async (spec, seed) => new FakeWorld(spec, seed);
