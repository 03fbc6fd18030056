/**
 * A sentinel-aware client, following the Redis "Sentinel clients" guidelines (and what
 * redis-py's Sentinel / ioredis do):
 *
 * - Master discovery: ask the sentinels one after the other, SENTINEL GET-MASTER-ADDR-BY-NAME
 *   <name>; the first that answers with an address wins (and is asked first next time). The
 *   address is then verified with ROLE: a server that does not say "master" (a stale
 *   sentinel, a failover in progress) is not used, and the next sentinel is asked.
 * - Replicas for reads: SENTINEL REPLICAS <name> from a sentinel; replicas flagged s_down,
 *   o_down or disconnected are skipped; reads go round-robin over the others (the master when
 *   there are none).
 * - Reconnection: the client subscribes to `+switch-master` on a sentinel; when the master it
 *   uses is switched, or its connection breaks, or it answers READONLY (it was demoted), the
 *   master connection is dropped and the next request discovers the master again.
 *
 * Everything runs on the Os (sockets, timers), so the same client works in the simulation and
 * natively. `masterFor()` / `replicaFor()` give connections (AsyncConnection); `run` wraps
 * every callback (a server's event loop, or nothing).
 */
import type { Os } from '../os';
import { AsyncConnection } from './async-connection';
import type { RespValue } from '../resp/reply-parser';

export interface HostPort { host: string; port: number }

export interface SentinelClientOptions {
  /** Sentinel addresses ("ip:port" or {host, port}). */
  sentinels: (string | HostPort)[];
  /** The master name the sentinels monitor. */
  masterName: string;
  /** Connect timeout for every connection (ms). */
  connectTimeoutMs?: number;
  /** Wraps callbacks (default: run them as they come). */
  run?: (fn: () => void) => void;
  /** Called when the sentinels announce a new address for our master. */
  onSwitch?: (from: HostPort, to: HostPort) => void;
}

export function parseHostPort(s: string | HostPort): HostPort {
  if (typeof s !== 'string') return s;
  const i = s.lastIndexOf(':');
  return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
}

function bulkText(v: RespValue | undefined): string | null {
  return v && (v.type === 'bulk' || v.type === 'status') ? v.value : null;
}

/** One request on a fresh connection, then close it. Resolves null on any failure. */
function oneShot(os: Os, run: (fn: () => void) => void, at: HostPort, argv: string[], timeoutMs: number): Promise<RespValue | null> {
  return new Promise((resolve) => {
    const c = new AsyncConnection(os, at.host, at.port, run, { timeoutMs });
    if (c.err) { resolve(null); return; }
    let done = false;
    const finish = (v: RespValue | null) => { if (done) return; done = true; c.close(); resolve(v); };
    c.onDisconnect = () => finish(null);
    c.onConnect = (err) => { if (err) finish(null); };
    c.command(argv, (r) => finish(r));
    os.setTimer(timeoutMs * 2, () => run(() => finish(null)));
  });
}

export class SentinelClient {
  readonly sentinels: HostPort[];
  private readonly run: (fn: () => void) => void;
  private readonly timeoutMs: number;
  private master: { addr: HostPort; conn: AsyncConnection } | null = null;
  private discovering: Promise<AsyncConnection | null> | null = null;
  private watcher: AsyncConnection | null = null;
  private watcherIndex = 0;
  private rr = 0;
  private closed = false;
  /** How many times a master was discovered (a reconnection after a failover counts). */
  discoveries = 0;

  constructor(private readonly os: Os, readonly opts: SentinelClientOptions) {
    this.sentinels = opts.sentinels.map(parseHostPort);
    this.run = opts.run ?? ((fn) => fn());
    this.timeoutMs = opts.connectTimeoutMs ?? 1000;
  }

  /** The master address in use, if connected. */
  get currentMaster(): HostPort | null {
    return this.master && !this.master.conn.closed ? this.master.addr : null;
  }

  /**
   * Ask the sentinels for the master's address (GET-MASTER-ADDR-BY-NAME), in order; the one
   * that answered moves to the front.
   */
  async discoverMasterAddr(): Promise<HostPort | null> {
    for (let i = 0; i < this.sentinels.length; i++) {
      const s = this.sentinels[i];
      const r = await oneShot(this.os, this.run, s, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.opts.masterName], this.timeoutMs);
      if (!r || r.type !== 'array' || r.value.length !== 2) continue;
      const host = bulkText(r.value[0]);
      const port = Number(bulkText(r.value[1]));
      if (host === null || !Number.isInteger(port)) continue;
      if (i > 0) { this.sentinels.splice(i, 1); this.sentinels.unshift(s); }
      return { host, port };
    }
    return null;
  }

  /** A connection to the current master (discovered and verified with ROLE when needed). */
  masterFor(): Promise<AsyncConnection | null> {
    if (this.master && !this.master.conn.closed) return Promise.resolve(this.master.conn);
    if (!this.discovering) {
      this.discovering = this.connectMaster().finally(() => { this.discovering = null; });
    }
    return this.discovering;
  }

  private async connectMaster(): Promise<AsyncConnection | null> {
    this.ensureWatcher();
    for (let attempt = 0; attempt < this.sentinels.length; attempt++) {
      const addr = await this.discoverMasterAddr();
      if (!addr || this.closed) return null;
      const conn = new AsyncConnection(this.os, addr.host, addr.port, this.run, { timeoutMs: this.timeoutMs });
      if (conn.err) continue;
      const role = await new Promise<RespValue | null>((resolve) => {
        conn.onDisconnect = () => resolve(null);
        conn.onConnect = (err) => { if (err) resolve(null); };
        conn.command(['ROLE'], (r) => resolve(r));
      });
      const isMaster = role?.type === 'array' && bulkText(role.value[0]) === 'master';
      if (!isMaster || conn.closed) {
        conn.close();
        // Ask the next sentinel: this one may not know about the failover yet.
        const s = this.sentinels.shift()!;
        this.sentinels.push(s);
        continue;
      }
      conn.onDisconnect = () => { if (this.master?.conn === conn) this.master = null; };
      this.master = { addr, conn };
      this.discoveries++;
      return conn;
    }
    return null;
  }

  /** Forget the master connection (after an error such as READONLY); the next request rediscovers. */
  invalidateMaster(): void {
    const m = this.master;
    this.master = null;
    m?.conn.close();
  }

  /** The replicas a sentinel reports as usable, in its order. */
  async replicas(): Promise<HostPort[]> {
    for (const s of this.sentinels) {
      const r = await oneShot(this.os, this.run, s, ['SENTINEL', 'REPLICAS', this.opts.masterName], this.timeoutMs);
      if (!r || r.type !== 'array') continue;
      const out: HostPort[] = [];
      for (const item of r.value) {
        if (item.type !== 'array' && item.type !== 'map') continue;
        const f = new Map<string, string>();
        if (item.type === 'array') {
          for (let i = 0; i + 1 < item.value.length; i += 2) f.set(bulkText(item.value[i]) ?? '', bulkText(item.value[i + 1]) ?? '');
        } else {
          for (const [k, v] of item.value) f.set(bulkText(k) ?? '', bulkText(v) ?? '');
        }
        const flags = (f.get('flags') ?? '').split(',');
        if (flags.some((x) => x === 's_down' || x === 'o_down' || x === 'disconnected')) continue;
        out.push({ host: f.get('ip') ?? '', port: Number(f.get('port')) });
      }
      return out;
    }
    return [];
  }

  /**
   * The next replica address for a read, round-robin over the usable replicas (the master's
   * address when there is none).
   */
  async replicaFor(): Promise<HostPort | null> {
    const list = await this.replicas();
    if (list.length === 0) return this.currentMaster ?? this.discoverMasterAddr();
    const pick = list[this.rr % list.length];
    this.rr++;
    return pick;
  }

  /** Subscribe to +switch-master on one sentinel (the next one if it goes away). */
  private ensureWatcher(): void {
    if (this.watcher && !this.watcher.closed) return;
    if (this.closed || this.sentinels.length === 0) return;
    const s = this.sentinels[this.watcherIndex % this.sentinels.length];
    this.watcherIndex++;
    const w = new AsyncConnection(this.os, s.host, s.port, this.run, { timeoutMs: this.timeoutMs });
    this.watcher = w;
    if (w.err) { this.watcher = null; return; }
    const retry = () => {
      if (this.watcher !== w || this.closed) return;
      this.watcher = null;
      this.os.setTimer(this.timeoutMs, () => this.run(() => this.ensureWatcher()));
    };
    w.onDisconnect = retry;
    w.onConnect = (err) => { if (err) retry(); };
    w.subscribe(['SUBSCRIBE', '+switch-master'], (r) => {
      if (!r || r.type !== 'array' || bulkText(r.value[0]) !== 'message') return;
      // "<name> <old ip> <old port> <new ip> <new port>"
      const parts = (bulkText(r.value[2]) ?? '').split(' ');
      if (parts.length !== 5 || parts[0] !== this.opts.masterName) return;
      const from = { host: parts[1], port: Number(parts[2]) };
      const to = { host: parts[3], port: Number(parts[4]) };
      const m = this.master;
      if (m && (m.addr.host !== to.host || m.addr.port !== to.port)) this.invalidateMaster();
      this.opts.onSwitch?.(from, to);
    });
  }

  close(): void {
    this.closed = true;
    this.invalidateMaster();
    this.watcher?.close();
    this.watcher = null;
  }
}
