/**
 * The network: TCP-like connections between host:port pairs, with per-link latency, jitter,
 * bandwidth and loss, partitions (one-way or two-way), iptables verdicts, hosts going down,
 * and listeners with Linux's bind rules.
 *
 * Decisions are made when a segment is sent (the kernel merges the process's write at time t)
 * and its delivery is scheduled at its arrival time, which is always at least MIN_LATENCY_MS
 * later, so it lands in a later conductor window. What the model does, in TCP's terms:
 *
 * - connect: the SYN travels one way; no listener on the address/port → RST →
 *   ECONNREFUSED one round trip later. An iptables REJECT → ECONNREFUSED too. The source
 *   host's OUTPUT DROP → EPERM at once (Linux's answer for locally dropped packets). A
 *   partition or a DROP on the way → the SYN is retransmitted at 1, 3, 7, 15, 31, 63 s and
 *   the connect fails with ETIMEDOUT at 127 s (tcp_syn_retries=6), unless the application's
 *   own connect timeout fires first. A host that is down, or an address nobody owns →
 *   EHOSTUNREACH after 3 s (ARP gets no answer on the LAN).
 * - established connections: bytes are ordered and reliable. Each direction of a connection
 *   has its own bandwidth queue (departure = max(now, previous departure) + size/bandwidth);
 *   arrival = departure + latency + seeded jitter, never before the previous arrival. Loss
 *   is modelled as delay, not as lost data: a write whose segments lose a packet arrives one
 *   retransmission timeout (200 ms) later, and everything behind it waits (head-of-line).
 * - a partition (or DROP, or the peer host down) stalls a direction: segments queue, and TCP
 *   retransmits with exponential backoff (200 ms doubling to 120 s). The first retransmission
 *   after the path heals delivers everything queued, in order. What the sender had not yet put
 *   on the wire when the path broke (its bandwidth queue: a large write on a slow link) is held
 *   back with them, so it no longer arrives across the cut; when the sender's host loses power
 *   that queue is lost. Bytes already on the wire (one latency) still arrive. After 15
 *   retransmissions (about 15 minutes, tcp_retries2) the sender's connection fails with
 *   ETIMEDOUT. If the peer host rebooted meanwhile, the retransmission is answered with RST →
 *   ECONNRESET.
 * - close: `end`/`destroy`/process exit sends FIN after the data already sent; the peer sees
 *   its socket close without error. A power-off sends nothing: peers see silence.
 * - receive windows: a process stopped by SIGSTOP reads nothing, so what it is sent piles up in
 *   its socket's receive buffer; past RECEIVE_WINDOW_BYTES the sender's TCP holds the rest
 *   (and any FIN behind it) until the process continues and its window update travels back.
 *   A running process reads at once: no other reader is slower than the network.
 * - what a sender's TCP holds (stalled on a broken path or behind a closed window) is still in
 *   its send buffer: the kernel tells the sending process how many bytes that is (a `sendq`
 *   delivery), and its socket counts them as not yet sent (Socket.pendingBytes), so Redis's
 *   output buffers grow as they do when write(2) would block.
 * - No keepalives, no Nagle.
 *
 * What `ss` and `netstat` list (socketsOf): every socket of a host with its TCP state, queues and
 * owner. Send-Q is what the socket's TCP has sent and the peer has not received (in flight,
 * stalled, held behind a closed window); Recv-Q what arrived for a stopped process and waits
 * unread; a listener's Send-Q its backlog (the program's, capped by net.core.somaxconn when it
 * listened) and Recv-Q the connections that wait for a stopped process to accept them. A
 * socket its program closed lingers as Linux's do: FIN-WAIT-1 until its FIN arrives,
 * FIN-WAIT-2 until the peer's, then TIME-WAIT for 60 s; the peer is in CLOSE-WAIT from the
 * FIN's arrival until its program closes, then in LAST-ACK until its own FIN is acknowledged.
 * A process's sockets hold the lowest descriptor slots it has free (socket-slots.ts).
 */
import type { Delivery } from '../protocol';
import { MIN_LATENCY_MS } from '../protocol';
import type { Host } from './host';
import type { Rng } from './rng';
import { parseIPv4 } from './firewall';
import { SocketSlots } from './socket-slots';

export interface LinkParams {
  /** One-way latency (clamped to at least MIN_LATENCY_MS). */
  latencyMs: number;
  /** Extra delay drawn uniformly in [0, jitterMs) per segment (seeded). */
  jitterMs: number;
  bandwidthBps: number;
  /** Probability that a write loses a segment and waits one retransmission timeout. */
  loss: number;
}

export const LOOPBACK_LINK: LinkParams = { latencyMs: MIN_LATENCY_MS, jitterMs: 0, bandwidthBps: 40e9, loss: 0 };
export const LAN_LINK: LinkParams = { latencyMs: 0.2, jitterMs: 0.05, bandwidthBps: 1e9, loss: 0 };

const RTO_MIN_MS = 200;
const RTO_MAX_MS = 120_000;
const TCP_RETRIES2 = 15;
const SYN_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000, 32000, 64000];
const ARP_TIMEOUT_MS = 3000;
/**
 * What a stopped reader's socket takes before its window closes: about what Linux's default
 * receive buffer (tcp_rmem 131072) holds. With the send buffer Redis's writers model
 * (SOCKET_SEND_BUFFER_BYTES, 1 MB) a writer can put about 1.1 MB towards a stopped peer before
 * its own buffers grow, close to what a real Redis shows against a peer stopped with SIGSTOP.
 */
export const RECEIVE_WINDOW_BYTES = 128 * 1024;

/** How long a socket that closed first waits in TIME-WAIT (Linux's TCP_TIMEWAIT_LEN). */
export const TIME_WAIT_MS = 60_000;

/** listen()'s backlog when the program names none (Node's and Redis's default). */
export const DEFAULT_BACKLOG = 511;

const SOMAXCONN_PATH = '/proc/sys/net/core/somaxconn';

export const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  EPERM: 'Operation not permitted',
  ENOTFOUND: 'Name or service not known',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
};

type NewDelivery = Delivery extends infer D ? D extends unknown ? Omit<D, 'seq'> : never : never;

export interface NetKernel {
  readonly now: number;
  at(t: number, fn: () => void): void;
  deliver(d: NewDelivery): void;
  /** Take back deliveries not yet handed to `pid`'s runner; returns those taken back. */
  recall(pid: number, deliveries: readonly object[]): Set<object>;
  record(kind: string, host: string, pid: number, detail: string): void;
  hostByName(name: string): Host | undefined;
  hostByIp(ip: string): Host | undefined;
  hostOf(pid: number): Host;
  alive(pid: number): boolean;
  /** The process is stopped (SIGSTOP): it reads nothing until SIGCONT. */
  stopped(pid: number): boolean;
  rng(name: string): Rng;
}

export interface ListenerEntry {
  lid: number; host: Host; pid: number; port: number; address: string;
  /** The accept queue's length: the program's backlog capped by net.core.somaxconn at listen(). */
  backlog: number;
  /** The descriptor slot of its socket (SocketSlots). */
  slot: number;
}

/** TCP states as ss names them. */
export type TcpState = 'LISTEN' | 'SYN-SENT' | 'ESTAB' | 'FIN-WAIT-1' | 'FIN-WAIT-2' | 'TIME-WAIT' | 'CLOSE-WAIT' | 'LAST-ACK';

/** One socket of a host, as `ss` and `netstat` show it. */
export interface SocketView {
  state: TcpState;
  /** Addresses as the kernel holds them: 0.0.0.0 and :: for a listener on every address. */
  localIp: string;
  localPort: number;
  peerIp: string;
  /** 0 for a listener (shown as `*`). */
  peerPort: number;
  v6: boolean;
  recvQ: number;
  sendQ: number;
  /** The process holding it and its descriptor slot; null when none does (closed, not yet accepted). */
  owner: { pid: number; slot: number } | null;
  /** A TIME-WAIT socket's end; a socket with unacknowledged bytes, its retransmission timer. */
  timer: { kind: 'timewait' | 'on'; atMs: number; retries: number } | null;
}

/**
 * One transmission on an established connection, for watchers (the UI animates messages in
 * flight). Not part of the trace: watching changes nothing and is not hashed.
 */
export interface WireMessage {
  fromHost: string; fromPid: number; from: string;
  toHost: string; toPid: number; to: string;
  /** Payload bytes (0 for a FIN). */
  bytes: number;
  /** The first bytes of the payload as latin1 text (enough to tell a PING from a PSYNC). */
  head: string;
  fin: boolean;
  sentT: number;
  arrivalT: number;
  /**
   * Not a transmission but a recall: at `sentT` the path broke, and what this direction had
   * sent that was still due to arrive after then (`bytes` of it) was taken back, held for a
   * retransmission after the path heals or lost with the sender's power (pathsChanged).
   */
  recalled?: 'held' | 'lost';
  /**
   * An ICMP datagram (icmp.ts: ping), not a TCP segment: the kernel's side (request's target,
   * reply's sender) has pid 0, the addresses carry no port.
   */
  proto?: 'icmp';
  icmp?: 'echo-request' | 'echo-reply' | 'unreachable';
}

interface End {
  host: Host;
  bootId: number;
  pid: number;
  sid: number;
  ip: string;
  port: number;
  /** The application still holds the socket. */
  open: boolean;
  /** The host went down under it (no FIN was ever sent). */
  vanished: boolean;
  /** Its descriptor slot while its process holds it (SocketSlots), else -1. */
  slot: number;
  /** When its program closed it (null while open, or when it ended otherwise). */
  closedAt: number | null;
  /** The server end of a connection a stopped process has not accepted yet. */
  acceptPending: boolean;
  /** Its program does not read it for now (Socket.pauseReads): like a stopped process, for this socket. */
  readPaused?: boolean;
}

type Segment = { kind: 'data'; bytes: Uint8Array } | { kind: 'fin' };

/** A segment transmitted but still in the sender's bandwidth queue (it departs later). */
interface Queued { seg: Segment; delivery: object; departure: number; arrival: number }

interface Direction {
  from: End;
  to: End;
  freeAt: number;
  lastArrival: number;
  stalled: Segment[];
  /** Transmitted segments that have not departed yet, in order (see pathsChanged). */
  queued: Queued[];
  rtoMs: number;
  retries: number;
  retransmitAt: number | null;
  failed: boolean;
  /** Data bytes transmitted while the receiving process was stopped: its unread receive buffer. */
  unread: number;
  /** Segments the sender holds because the stopped receiver's window is full, in order. */
  windowHeld: Segment[];
  /** The held bytes (stalled and behind the window) the sender was last told of (`sendq`). */
  reportedHeld: number;
  /** When the FIN sent this way arrives (null: none sent, or it is held back). */
  finArrival: number | null;
  /** Cached link parameters (valid while `linkVersion` equals the network's version) and RNG. */
  link: LinkParams | null;
  linkVersion: number;
  rng: Rng | null;
  /** "from>to" host names: the RNG stream's name. */
  readonly name: string;
}

export interface Connection {
  id: number;
  client: End;
  server: End;
  up: Direction;
  down: Direction;
  state: 'syn' | 'established' | 'closed';
}

export class Network {
  readonly links = new Map<string, LinkParams>();
  /** Directed host pairs that cannot talk: "a>b". */
  readonly blocked = new Set<string>();
  readonly listeners = new Map<number, ListenerEntry>();
  readonly connections = new Map<number, Connection>();
  /** Connections by end (see endKey). */
  private readonly byEnd = new Map<number, Connection>();
  private nextLid = 0;
  private nextConn = 0;
  private nextKernelSid = 0;
  readonly defaultLan: LinkParams = { ...LAN_LINK };
  /** Bumped whenever a link's parameters change (the conductor caches latencies). */
  version = 0;
  /** Bumped whenever listeners or connections come or go (the conductor caches who can reach whom). */
  topology = 0;
  /**
   * Neighbour confirmations, by "neighbour>holder" host names: when `holder` last heard from
   * `neighbour` (a TCP segment arriving, an ICMP echo reply). Only the ICMP path reads them
   * (icmp.ts: how long a host that went down stays a valid neighbour); kernel memory, so a power
   * cycle of the holder forgets its entries.
   */
  readonly neighbours = new Map<string, number>();
  /** Watcher of every transmission (see WireMessage); null when nobody watches. */
  observer: ((m: WireMessage) => void) | null = null;
  /** Which descriptor slots the processes' sockets hold. */
  private readonly slots = new SocketSlots();
  /**
   * Ends of forgotten connections whose program closed them, still closing (FIN-WAIT, LAST-ACK)
   * or in TIME-WAIT: only `ss` and `netstat` see them. Pruned when they end.
   */
  private lingering: { conn: Connection; me: End }[] = [];
  private lingerPruneAt = 64;

  constructor(private readonly k: NetKernel) {}

  // ---- configuration ----------------------------------------------------------------------

  link(from: Host, to: Host): LinkParams {
    if (from === to) return this.links.get(`${from.name}>${to.name}`) ?? LOOPBACK_LINK;
    return this.links.get(`${from.name}>${to.name}`) ?? this.defaultLan;
  }

  setLink(a: string, b: string, p: Partial<LinkParams>, bothWays = true): void {
    this.version++;
    const apply = (x: string, y: string) => {
      const cur = this.links.get(`${x}>${y}`) ?? (x === y ? LOOPBACK_LINK : this.defaultLan);
      const next = { ...cur, ...p };
      next.latencyMs = Math.max(MIN_LATENCY_MS, next.latencyMs);
      this.links.set(`${x}>${y}`, next);
    };
    apply(a, b);
    if (bothWays) apply(b, a);
  }

  partition(a: string[], b: string[], oneWay = false): void {
    for (const x of a) for (const y of b) {
      if (x === y) continue;
      this.blocked.add(`${x}>${y}`);
      if (!oneWay) this.blocked.add(`${y}>${x}`);
    }
    this.pathsChanged();
  }

  heal(a?: string[], b?: string[]): void {
    if (!a || !b) { this.blocked.clear(); return; }
    for (const x of a) for (const y of b) { this.blocked.delete(`${x}>${y}`); this.blocked.delete(`${y}>${x}`); }
  }

  // ---- listeners --------------------------------------------------------------------------

  listen(pid: number, req: number, port: number, bind: string[], backlog = DEFAULT_BACKLOG): void {
    const host = this.k.hostOf(pid);
    // listen(2) caps the backlog at net.core.somaxconn, compared as unsigned numbers.
    const somaxconn = readSomaxconn(host);
    const queue = (backlog >>> 0) > somaxconn ? somaxconn : backlog;
    const t = this.k.now;
    const made: ListenerEntry[] = [];
    let error: string | null = null;
    for (const raw of bind) {
      const optional = raw.startsWith('-');
      const addr = normaliseBind(optional ? raw.slice(1) : raw);
      const err = this.bindError(host, port, addr);
      if (err) {
        if (optional) continue;
        error = err;
        break;
      }
      const lid = ++this.nextLid;
      const entry: ListenerEntry = { lid, host, pid, port, address: addr, backlog: queue, slot: -1 };
      this.listeners.set(lid, entry);
      this.topology++;
      made.push(entry);
    }
    if (error || made.length === 0) {
      for (const m of made) this.listeners.delete(m.lid);
      const code = error ?? 'EADDRNOTAVAIL';
      this.k.record('listen-fail', host.name, pid, `${port} ${code}`);
      this.k.deliver({ t: t + MIN_LATENCY_MS, pid, k: 'listened', req, lid: 0, code, message: NET_ERRORS[code] ?? code, addresses: [] });
      return;
    }
    // One lid stands for the whole bind list (the Listener object closes all of them).
    const lid = made[0].lid;
    for (const m of made) m.slot = this.slots.take(pid);
    for (const m of made.slice(1)) this.listeners.delete(m.lid);
    for (const m of made.slice(1)) this.listeners.set(++this.nextLid, { ...m, lid });
    this.k.record('listen', host.name, pid, `${made.map((m) => m.address).join(',')}:${port}`);
    this.k.deliver({ t: t + MIN_LATENCY_MS, pid, k: 'listened', req, lid, code: null, message: '', addresses: made.map((m) => displayAddr(m.address)) });
  }

  private bindError(host: Host, port: number, addr: string): string | null {
    const v6 = addr.includes(':');
    if (addr !== '0.0.0.0' && addr !== '::' && addr !== '::1' && !host.owns(addr)) return 'EADDRNOTAVAIL';
    for (const l of this.listeners.values()) {
      if (l.host !== host || l.port !== port || !this.k.alive(l.pid)) continue;
      if (l.address.includes(':') !== v6) continue;
      const wildcard = (a: string) => a === '0.0.0.0' || a === '::';
      if (wildcard(l.address) || wildcard(addr) || l.address === addr) return 'EADDRINUSE';
    }
    return null;
  }

  unlisten(pid: number, lid: number): void {
    for (const [key, l] of [...this.listeners]) if (l.lid === lid && l.pid === pid) { this.listeners.delete(key); this.slots.release(pid, l.slot); }
    this.topology++;
  }

  portInUse(host: Host, port: number): boolean {
    for (const l of this.listeners.values()) if (l.host === host && l.port === port) return true;
    for (const c of this.connections.values()) {
      if ((c.client.host === host && c.client.port === port) || (c.server.host === host && c.server.port === port)) return true;
    }
    return false;
  }

  private findListener(host: Host, ip: string, port: number): ListenerEntry | null {
    const v6 = ip.includes(':');
    for (const l of this.listeners.values()) {
      if (l.host !== host || l.port !== port || !this.k.alive(l.pid)) continue;
      if (l.address === ip || (!v6 && l.address === '0.0.0.0') || (v6 && l.address === '::')) return l;
    }
    return null;
  }

  // ---- paths ------------------------------------------------------------------------------

  /** Why a packet from `a` to `b` would not arrive now, or null. */
  private obstacle(a: End, b: End): 'partition' | 'drop' | 'reject' | 'down' | null {
    if (!a.host.up || !b.host.up || b.host.bootId !== b.bootId) return 'down';
    if (a.host !== b.host && this.blocked.size > 0 && this.blocked.has(`${a.host.name}>${b.host.name}`)) return 'partition';
    if (a.host.firewall.chains.OUTPUT.length === 0 && b.host.firewall.chains.INPUT.length === 0) return null;
    const pkt = { src: a.ip, dst: b.ip, sport: a.port, dport: b.port };
    const out = a.host.firewall.verdict('OUTPUT', pkt);
    if (out !== 'ACCEPT') return 'drop';
    const inp = b.host.firewall.verdict('INPUT', pkt);
    if (inp === 'DROP') return 'drop';
    if (inp === 'REJECT') return 'reject';
    return null;
  }

  private latency(from: Host, to: Host, rngName: string, bytes: number, t: number, dir: Direction | null): number {
    let p: LinkParams;
    if (dir) {
      // Cached per direction: the link's parameters (until a link changes) and its RNG.
      if (dir.linkVersion !== this.version) { dir.link = this.link(from, to); dir.linkVersion = this.version; }
      p = dir.link!;
    } else p = this.link(from, to);
    const departure = Math.max(t, dir?.freeAt ?? t) + (bytes * 8 * 1000) / p.bandwidthBps;
    if (dir) dir.freeAt = departure;
    let rng: Rng | null = null;
    if (p.jitterMs > 0 || p.loss > 0) {
      if (dir) rng = dir.rng ??= this.k.rng(`net:${rngName}`);
      else rng = this.k.rng(`net:${rngName}`);
    }
    let arrival = departure + Math.max(MIN_LATENCY_MS, p.latencyMs);
    if (rng && p.jitterMs > 0) arrival += rng.next() * p.jitterMs;
    if (rng && p.loss > 0) {
      const segments = Math.max(1, Math.ceil(bytes / 1448));
      if (rng.next() < 1 - Math.pow(1 - p.loss, segments)) arrival += RTO_MIN_MS;
    }
    if (dir) {
      arrival = Math.max(arrival, dir.lastArrival);
      dir.lastArrival = arrival;
    }
    return arrival;
  }

  // ---- connect ----------------------------------------------------------------------------

  resolve(from: Host, name: string): string | null {
    if (name === 'localhost') return '127.0.0.1';
    if (parseIPv4(name) !== null || name.includes(':')) return name;
    const h = this.k.hostByName(name);
    return h ? h.ip : null;
  }

  connect(pid: number, sid: number, hostName: string, port: number, bindAddress?: string): void {
    const t = this.k.now;
    const src = this.k.hostOf(pid);
    const fail = (code: string, at: number) => {
      this.k.record('connect-fail', src.name, pid, `${hostName}:${port} ${code}`);
      this.k.deliver({ t: at, pid, k: 'closed', sid, code, message: NET_ERRORS[code] ?? code });
    };
    const ip = this.resolve(src, hostName);
    if (ip === null) { fail('ENOTFOUND', t + MIN_LATENCY_MS); return; }
    const loopback = ip.startsWith('127.') || ip === '::1';
    const dst = loopback ? src : this.k.hostByIp(ip);
    const localIp = loopback ? (ip === '::1' ? '::1' : '127.0.0.1') : bindAddress && src.owns(bindAddress) ? bindAddress : dst === src ? ip : src.ip;
    const localPort = src.ephemeralPort((p) => this.portInUse(src, p));
    const client: End = { host: src, bootId: src.bootId, pid, sid, ip: localIp, port: localPort, open: true, vanished: false, slot: this.slots.take(pid), closedAt: null, acceptPending: false };
    if (!dst || !dst.up) {
      this.k.record('connect', src.name, pid, `${ip}:${port} (no ARP answer)`);
      fail('EHOSTUNREACH', t + ARP_TIMEOUT_MS);
      this.slots.release(pid, client.slot);
      return;
    }
    const server: End = { host: dst, bootId: dst.bootId, pid: 0, sid: 0, ip, port, open: true, vanished: false, slot: -1, closedAt: null, acceptPending: false };
    const conn: Connection = {
      id: ++this.nextConn, client, server, state: 'syn',
      up: newDirection(client, server), down: newDirection(server, client),
    };
    this.connections.set(conn.id, conn);
    this.topology++;
    this.byEnd.set(endKey(pid, sid), conn);
    this.k.record('connect', src.name, pid, `${localIp}:${localPort} -> ${ip}:${port}`);
    this.sendSyn(conn, 0);
  }

  private sendSyn(conn: Connection, attempt: number): void {
    const t = this.k.now;
    const { client, server } = conn;
    if (conn.state !== 'syn' || !client.open) return;
    const obstacle = this.obstacle(client, server);
    if (obstacle === 'drop' && client.host.firewall.verdict('OUTPUT', { src: client.ip, dst: server.ip, sport: client.port, dport: server.port }) !== 'ACCEPT') {
      this.refuse(conn, 'EPERM', t + MIN_LATENCY_MS);
      return;
    }
    if (obstacle === 'down') {
      this.refuse(conn, 'EHOSTUNREACH', t + ARP_TIMEOUT_MS);
      return;
    }
    if (obstacle === 'partition' || obstacle === 'drop') {
      if (attempt >= SYN_RETRY_DELAYS_MS.length - 1) {
        this.k.at(t + SYN_RETRY_DELAYS_MS[attempt], () => {
          if (conn.state === 'syn' && client.open) this.refuse(conn, 'ETIMEDOUT', this.k.now + MIN_LATENCY_MS);
        });
        return;
      }
      this.k.record('syn-lost', client.host.name, client.pid, `${server.ip}:${server.port} (${obstacle})`);
      this.k.at(t + SYN_RETRY_DELAYS_MS[attempt], () => this.sendSyn(conn, attempt + 1));
      return;
    }
    const there = this.latency(client.host, server.host, `${client.host.name}>${server.host.name}`, 60, t, null);
    if (obstacle === 'reject') { this.refuse(conn, 'ECONNREFUSED', there + (there - t)); return; }
    const listener = this.findListener(server.host, server.ip, server.port);
    if (!listener) {
      this.refuse(conn, 'ECONNREFUSED', there + (there - t));
      return;
    }
    const back = this.latency(server.host, client.host, `${server.host.name}>${client.host.name}`, 60, there, null);
    server.pid = listener.pid;
    this.topology++;
    server.sid = -(++this.nextKernelSid);
    // A stopped process accepts nothing: the connection waits in the listener's queue.
    if (this.k.stopped(listener.pid)) server.acceptPending = true;
    else server.slot = this.slots.take(listener.pid);
    conn.state = 'established';
    conn.up.freeAt = back;
    conn.up.lastArrival = back;
    conn.down.freeAt = there;
    conn.down.lastArrival = back;
    this.byEnd.set(endKey(server.pid, server.sid), conn);
    const bps = this.link(client.host, server.host).bandwidthBps;
    this.k.record('accept', server.host.name, server.pid, `${client.ip}:${client.port} -> ${server.ip}:${server.port}`);
    this.k.deliver({ t: there, pid: listener.pid, k: 'accept', lid: listener.lid, sid: server.sid, remoteAddress: client.ip, remotePort: client.port, localAddress: server.ip, localPort: server.port, bps });
    this.k.deliver({ t: back, pid: client.pid, k: 'connected', sid: client.sid, localAddress: client.ip, localPort: client.port, bps: this.link(server.host, client.host).bandwidthBps });
  }

  private refuse(conn: Connection, code: string, at: number): void {
    conn.state = 'closed';
    this.forget(conn);
    const c = conn.client;
    this.k.record(code === 'ECONNREFUSED' ? 'refused' : 'connect-fail', c.host.name, c.pid, `${conn.server.ip}:${conn.server.port} ${code}`);
    this.k.deliver({ t: Math.max(at, this.k.now + MIN_LATENCY_MS), pid: c.pid, k: 'closed', sid: c.sid, code, message: NET_ERRORS[code] ?? code });
  }

  private forget(conn: Connection): void {
    this.releaseSlot(conn.client);
    this.releaseSlot(conn.server);
    this.connections.delete(conn.id);
    this.topology++;
    this.byEnd.delete(endKey(conn.client.pid, conn.client.sid));
    if (conn.server.pid) this.byEnd.delete(endKey(conn.server.pid, conn.server.sid));
  }

  // ---- data -------------------------------------------------------------------------------

  private directionFor(pid: number, sid: number): Direction | null {
    const c = this.byEnd.get(endKey(pid, sid));
    if (!c) return null;
    return c.client.pid === pid && c.client.sid === sid ? c.up : c.down;
  }

  /** The receiving end reads nothing for now: its process is stopped or paused this socket. */
  private notReading(d: Direction): boolean {
    return d.to.readPaused === true || this.k.stopped(d.to.pid);
  }

  /**
   * The program stops (or goes on) reading a socket: what is sent to it then fills its receive
   * buffer and, past the window, waits in the sender's TCP; going on opens the window again.
   */
  pauseReads(pid: number, sid: number, paused: boolean): void {
    const c = this.byEnd.get(endKey(pid, sid));
    if (!c) return;
    const d = c.client.pid === pid && c.client.sid === sid ? c.down : c.up;
    if (d.to.pid !== pid || d.to.sid !== sid) return;
    d.to.readPaused = paused;
    if (paused || this.k.stopped(pid)) return;
    d.unread = 0;
    if (d.windowHeld.length === 0) return;
    const update = this.latency(d.to.host, d.from.host, `${d.to.host.name}>${d.from.host.name}`, 0, this.k.now, null);
    this.k.at(update, () => this.releaseWindow(d));
  }

  write(pid: number, sid: number, bytes: Uint8Array): void {
    const d = this.directionFor(pid, sid);
    if (!d || !d.from.open || d.failed) return;
    this.send(d, { kind: 'data', bytes });
  }

  /** The application closed its socket (end, destroy, exit): FIN after the data. */
  close(pid: number, sid: number): void {
    const c = this.byEnd.get(endKey(pid, sid));
    if (!c) return;
    if (c.state === 'syn') {
      c.client.open = false;
      c.client.closedAt = this.k.now;
      c.state = 'closed';
      this.forget(c);
      return;
    }
    const d = c.client.pid === pid && c.client.sid === sid ? c.up : c.down;
    if (!d.from.open) return;
    d.from.open = false;
    d.from.closedAt = this.k.now;
    this.releaseSlot(d.from);
    // What the peer's TCP held for a reader that is gone will never be read.
    const toMe = d === c.up ? c.down : c.up;
    toMe.unread = 0;
    if (toMe.windowHeld.length > 0) { toMe.windowHeld = []; this.reportHeld(toMe); }
    this.byEnd.delete(endKey(pid, sid));
    this.k.record('close', d.from.host.name, pid, `${d.from.ip}:${d.from.port} -> ${d.to.ip}:${d.to.port}`);
    if (!d.failed) this.send(d, { kind: 'fin' });
    this.maybeForget(c);
  }

  private maybeForget(c: Connection): void {
    const gone = (e: End) => !e.open || e.vanished;
    if (!gone(c.client) || !gone(c.server)) return;
    if (c.state === 'established') {
      // Ends their programs closed still close (and wait in TIME-WAIT) after the connection is gone.
      const lingers = [c.client, c.server].filter((me) => !me.vanished && me.closedAt !== null);
      for (const me of lingers) this.lingering.push({ conn: c, me });
      // Only what is still in flight matters to them now (Send-Q); let the rest go.
      const now = this.k.now;
      if (lingers.length > 0) for (const d of [c.up, c.down]) d.queued = d.queued.filter((x) => x.arrival > now);
      if (this.lingering.length >= this.lingerPruneAt) {
        this.lingering = this.lingering.filter((x) => this.closingState(x.conn, x.me) !== null);
        this.lingerPruneAt = Math.max(64, 2 * this.lingering.length);
      }
    }
    c.state = 'closed';
    this.forget(c);
  }

  private releaseSlot(e: End): void {
    if (e.slot < 0) return;
    this.slots.release(e.pid, e.slot);
    e.slot = -1;
  }

  /** Every socket of `pid` closes (the process exited or was killed): FIN to the peers. */
  processGone(pid: number): void {
    for (const [key, c] of [...this.byEnd]) {
      if (c.client.pid === pid && key === endKey(pid, c.client.sid)) this.close(pid, c.client.sid);
      else if (c.server.pid === pid && key === endKey(pid, c.server.sid)) this.close(pid, c.server.sid);
    }
    for (const [key, l] of [...this.listeners]) if (l.pid === pid) this.listeners.delete(key);
    this.slots.forget(pid);
    this.topology++;
  }

  /** The host lost power: its sockets vanish without a word. */
  hostDown(host: Host): void {
    for (const key of [...this.neighbours.keys()]) if (key.endsWith(`>${host.name}`)) this.neighbours.delete(key);
    for (const c of [...this.connections.values()]) {
      for (const e of [c.client, c.server]) {
        if (e.host === host && e.bootId === host.bootId && e.open) {
          e.open = false;
          e.vanished = true;
          this.releaseSlot(e);
          this.byEnd.delete(endKey(e.pid, e.sid));
        }
      }
      if (c.state === 'syn' && c.client.host === host) { c.state = 'closed'; this.forget(c); continue; }
      // Held behind a window that will never open: the segments go the way of any other
      // segment towards a host that is down (stalled, then RST or a timeout).
      for (const d of [c.up, c.down]) {
        if (!d.to.vanished || d.windowHeld.length === 0) continue;
        const segs = d.windowHeld;
        d.windowHeld = [];
        d.unread = 0;
        for (const seg of segs) this.send(d, seg);
      }
      this.maybeForget(c);
    }
    for (const [key, l] of [...this.listeners]) if (l.host === host) { this.listeners.delete(key); this.slots.release(l.pid, l.slot); }
    this.topology++;
    this.pathsChanged();
  }

  private send(d: Direction, seg: Segment): void {
    const t = this.k.now;
    if (d.windowHeld.length > 0 || (seg.kind === 'data' && d.unread >= RECEIVE_WINDOW_BYTES && this.notReading(d))) {
      if (d.windowHeld.length === 0) this.k.record('window-full', d.from.host.name, d.from.pid, `${d.to.ip}:${d.to.port} ${d.unread} bytes unread`);
      d.windowHeld.push(seg);
      this.reportHeld(d);
      return;
    }
    if (d.stalled.length > 0) { d.stalled.push(seg); this.reportHeld(d); return; }
    const obstacle = this.obstacle(d.from, d.to);
    if (obstacle !== null || d.to.vanished) {
      d.stalled.push(seg);
      this.k.record('stall', d.from.host.name, d.from.pid, `${d.to.ip}:${d.to.port} ${obstacle ?? 'down'}`);
      this.armRetransmit(d, t);
      this.reportHeld(d);
      return;
    }
    this.transmit(d, seg, t);
  }

  /**
   * Tell the sending process what its TCP holds for this direction (stalled and behind a closed
   * window), when that changed: it arrives with the next ACK the sender would see, modelled as
   * the earliest delivery.
   */
  private reportHeld(d: Direction): void {
    let held = 0;
    for (const x of d.stalled) if (x.kind === 'data') held += x.bytes.length;
    for (const x of d.windowHeld) if (x.kind === 'data') held += x.bytes.length;
    if (held === d.reportedHeld || !d.from.open) return;
    d.reportedHeld = held;
    this.k.deliver({ t: this.k.now + MIN_LATENCY_MS, pid: d.from.pid, k: 'sendq', sid: d.from.sid, heldBytes: held });
  }

  /**
   * A stopped process continued (SIGCONT): it reads its sockets' receive buffers, and each
   * window update travels back to the sender, whose TCP then sends what it held.
   */
  resumed(pid: number): void {
    for (const c of this.connections.values()) {
      // The connections that waited in its listeners' queues are accepted, oldest first.
      if (c.server.pid === pid && c.server.acceptPending) {
        c.server.acceptPending = false;
        if (c.server.open) c.server.slot = this.slots.take(pid);
      }
      for (const d of [c.up, c.down]) {
        // A socket its program does not read stays full (pauseReads).
        if (d.to.pid !== pid || d.to.readPaused) continue;
        d.unread = 0;
        if (d.windowHeld.length === 0) continue;
        const update = this.latency(d.to.host, d.from.host, `${d.to.host.name}>${d.from.host.name}`, 0, this.k.now, null);
        this.k.at(update, () => this.releaseWindow(d));
      }
    }
  }

  private releaseWindow(d: Direction): void {
    const segs = d.windowHeld;
    if (segs.length === 0) return;
    d.windowHeld = [];
    this.k.record('window-open', d.from.host.name, d.from.pid, `${d.to.ip}:${d.to.port}`);
    for (const seg of segs) this.send(d, seg);
    this.reportHeld(d);
  }

  private transmit(d: Direction, seg: Segment, t: number): void {
    const size = seg.kind === 'data' ? seg.bytes.length : 0;
    // What arrives confirms its sender as the receiver's neighbour (its name is "from>to").
    if (d.from.host !== d.to.host) this.neighbours.set(d.name, t);
    if (size > 0 && this.notReading(d)) d.unread += size;
    const arrival = this.latency(d.from.host, d.to.host, d.name, size, t, d);
    if (seg.kind === 'fin') d.finArrival = arrival;
    if (this.observer) {
      this.observer({
        fromHost: d.from.host.name, fromPid: d.from.pid, from: `${d.from.ip}:${d.from.port}`,
        toHost: d.to.host.name, toPid: d.to.pid, to: `${d.to.ip}:${d.to.port}`, bytes: size, head: seg.kind === 'data' ? String.fromCharCode(...seg.bytes.subarray(0, 48)) : '', fin: seg.kind === 'fin', sentT: t, arrivalT: arrival,
      });
    }
    const delivery: NewDelivery = seg.kind === 'data'
      ? { t: arrival, pid: d.to.pid, k: 'data', sid: d.to.sid, bytes: seg.bytes }
      // The peer's application sees EOF and closes its side; the connection ends when it does.
      : { t: arrival, pid: d.to.pid, k: 'closed', sid: d.to.sid, code: null, message: '' };
    this.k.deliver(delivery);
    // Kept until they arrive: what is in flight counts in the sender's Send-Q (socketsOf).
    const q = d.queued;
    let gone = 0;
    while (gone < q.length && q[gone].arrival <= t) gone++;
    if (gone > 0) q.splice(0, gone);
    if (d.freeAt > t) q.push({ seg, delivery, departure: d.freeAt, arrival });
  }

  /**
   * A path may have broken (a partition, a DROP or REJECT rule, a host losing power): on every
   * direction that can no longer deliver, the segments still in the sender's queue are taken
   * back from the receiver and wait with the stalled ones for a retransmission, or are lost
   * if the sender's host went down. A receiver that already ran ahead past a segment's arrival
   * (by at most MAX_AHEAD_MS) keeps it: only what was not handed over comes back.
   */
  pathsChanged(): void {
    const t = this.k.now;
    for (const c of this.connections.values()) {
      for (const d of [c.up, c.down]) {
        if (d.queued.length === 0) continue;
        const senderDown = d.from.vanished;
        if (!senderDown && this.obstacle(d.from, d.to) === null) continue;
        const queued = d.queued.filter((x) => x.departure > t);
        d.queued = d.queued.filter((x) => x.departure <= t);
        if (queued.length === 0) continue;
        const back = this.k.recall(d.to.pid, queued.map((x) => x.delivery));
        if (back.size === 0) continue;
        // The receiver's order: what it keeps came first; the rest is sent again later.
        let lastKept = t;
        for (const x of queued) if (!back.has(x.delivery)) lastKept = Math.max(lastKept, x.arrival);
        d.lastArrival = lastKept;
        d.freeAt = t;
        const segs = queued.filter((x) => back.has(x.delivery)).map((x) => x.seg);
        if (segs.some((x) => x.kind === 'fin')) d.finArrival = null;
        const bytes = segs.reduce((n, x) => n + (x.kind === 'data' ? x.bytes.length : 0), 0);
        this.k.record(senderDown ? 'lost' : 'held', d.from.host.name, d.from.pid, `${d.to.ip}:${d.to.port} ${segs.length} segments ${bytes} bytes`);
        this.observer?.({
          fromHost: d.from.host.name, fromPid: d.from.pid, from: `${d.from.ip}:${d.from.port}`,
          toHost: d.to.host.name, toPid: d.to.pid, to: `${d.to.ip}:${d.to.port}`, bytes, head: '', fin: false, sentT: t, arrivalT: t, recalled: senderDown ? 'lost' : 'held',
        });
        if (senderDown) continue;
        d.stalled = [...segs, ...d.stalled];
        this.armRetransmit(d, t);
        this.reportHeld(d);
      }
    }
  }

  private armRetransmit(d: Direction, t: number): void {
    if (d.retransmitAt !== null) return;
    if (d.retries === 0) d.rtoMs = RTO_MIN_MS;
    const at = t + d.rtoMs;
    d.retransmitAt = at;
    this.k.at(at, () => this.retransmit(d));
  }

  private retransmit(d: Direction): void {
    d.retransmitAt = null;
    if (d.stalled.length === 0 || d.failed || d.from.vanished) return;
    const t = this.k.now;
    const obstacle = this.obstacle(d.from, d.to);
    const rebooted = d.to.host.up && d.to.host.bootId !== d.to.bootId;
    if (rebooted || (obstacle === null && d.to.vanished)) {
      // The peer's kernel has never heard of this connection: RST.
      this.fail(d, 'ECONNRESET', t + 2 * this.link(d.from.host, d.to.host).latencyMs);
      return;
    }
    if (obstacle === null) {
      this.k.record('retransmit', d.from.host.name, d.from.pid, `${d.to.ip}:${d.to.port} ${d.stalled.length} segments`);
      const segs = d.stalled;
      d.stalled = [];
      d.retries = 0;
      for (const s of segs) this.transmit(d, s, t);
      this.reportHeld(d);
      return;
    }
    d.retries++;
    if (d.retries > TCP_RETRIES2) { this.fail(d, 'ETIMEDOUT', t + MIN_LATENCY_MS); return; }
    d.rtoMs = Math.min(RTO_MAX_MS, d.rtoMs * 2);
    this.armRetransmit(d, t);
  }

  private fail(d: Direction, code: string, at: number): void {
    d.failed = true;
    d.stalled = [];
    d.windowHeld = [];
    const e = d.from;
    this.k.record(code === 'ECONNRESET' ? 'reset' : 'timeout', e.host.name, e.pid, `${d.to.ip}:${d.to.port} ${code}`);
    if (e.open) {
      e.open = false;
      this.releaseSlot(e);
      this.byEnd.delete(endKey(e.pid, e.sid));
      this.k.deliver({ t: at, pid: e.pid, k: 'closed', sid: e.sid, code, message: NET_ERRORS[code] ?? code });
    }
    const c = [...this.connections.values()].find((x) => x.up === d || x.down === d);
    if (c) this.maybeForget(c);
  }

  // ---- inspection -------------------------------------------------------------------------

  describe(): { id: number; client: string; server: string; clientHost: string; serverHost: string; clientPid: number; serverPid: number; state: string; stalledBytes: number }[] {
    return [...this.connections.values()].map((c) => ({
      id: c.id,
      client: `${c.client.ip}:${c.client.port}`,
      server: `${c.server.ip}:${c.server.port}`,
      clientHost: c.client.host.name,
      serverHost: c.server.host.name,
      clientPid: c.client.pid,
      serverPid: c.server.pid,
      state: c.state,
      // Held by the senders' TCP: stalled on a broken path or behind a stopped reader's window.
      stalledBytes: [...c.up.stalled, ...c.down.stalled, ...c.up.windowHeld, ...c.down.windowHeld].reduce((n, s) => n + (s.kind === 'data' ? s.bytes.length : 0), 0),
    }));
  }

  /** The sockets of a host, listeners first, then connections oldest first (see the top comment). */
  socketsOf(host: Host): SocketView[] {
    const now = this.k.now;
    const out: SocketView[] = [];
    for (const l of this.listeners.values()) {
      if (l.host !== host) continue;
      const v6 = l.address.includes(':');
      // The queue is per listening socket; connections name the address they reached.
      let waiting = 0;
      for (const c of this.connections.values()) {
        const e = c.server;
        if (e.acceptPending && e.open && e.host === host && e.port === l.port && e.pid === l.pid && (e.ip === l.address || (e.ip.includes(':') === v6 && (l.address === '0.0.0.0' || l.address === '::')))) waiting++;
      }
      out.push({
        state: 'LISTEN', localIp: l.address, localPort: l.port, peerIp: v6 ? '::' : '0.0.0.0', peerPort: 0, v6,
        recvQ: waiting, sendQ: l.backlog, owner: { pid: l.pid, slot: l.slot }, timer: null,
      });
    }
    const ends: { conn: Connection; me: End }[] = [];
    for (const c of this.connections.values()) for (const me of [c.client, c.server]) ends.push({ conn: c, me });
    for (const x of this.lingering) ends.push(x);
    ends.sort((a, b) => a.conn.id - b.conn.id || (a.me === a.conn.client ? -1 : 1) - (b.me === b.conn.client ? -1 : 1));
    for (const { conn: c, me } of ends) {
      if (me.host !== host || me.vanished || me.bootId !== host.bootId || !host.up) continue;
      const mine = me === c.client ? c.up : c.down;
      const theirs = me === c.client ? c.down : c.up;
      const other = me === c.client ? c.server : c.client;
      let state: TcpState;
      let timer: SocketView['timer'] = null;
      if (c.state === 'syn') {
        if (me !== c.client || !me.open) continue;
        state = 'SYN-SENT';
      } else if (me.open) {
        state = theirs.finArrival !== null && theirs.finArrival <= now ? 'CLOSE-WAIT' : 'ESTAB';
      } else {
        const closing = me.closedAt === null ? null : this.closingState(c, me);
        if (!closing) continue;
        state = closing.state;
        if (state === 'TIME-WAIT') timer = { kind: 'timewait', atMs: closing.untilMs, retries: 0 };
      }
      const sendQ = c.state === 'syn' ? 0 : inFlightBytes(mine, now) + heldBytes(mine);
      if (timer === null && mine.retransmitAt !== null && sendQ > 0) timer = { kind: 'on', atMs: mine.retransmitAt, retries: mine.retries };
      out.push({
        state, localIp: me.ip, localPort: me.port, peerIp: other.ip, peerPort: other.port, v6: me.ip.includes(':'),
        recvQ: me.open && c.state !== 'syn' ? Math.max(0, theirs.unread - inFlightBytes(theirs, now)) : 0,
        sendQ, owner: me.open && me.slot >= 0 ? { pid: me.pid, slot: me.slot } : null, timer,
      });
    }
    return out;
  }

  /**
   * Where an end its program closed stands now, and until when at most; null once it is gone.
   * The end that closed first waits for the peer's FIN (FIN-WAIT-1 while its own is not there,
   * FIN-WAIT-2 after), then stays TIME_WAIT_MS in TIME-WAIT; the end that closed second is in
   * LAST-ACK until its FIN's acknowledgement comes back (one more trip, as long as the FIN's).
   */
  private closingState(c: Connection, me: End): { state: TcpState; untilMs: number } | null {
    const now = this.k.now;
    if (me.vanished || me.bootId !== me.host.bootId || !me.host.up || me.closedAt === null) return null;
    const mine = me === c.client ? c.up : c.down;
    const theirs = me === c.client ? c.down : c.up;
    const other = me === c.client ? c.server : c.client;
    if (mine.failed) return null;
    const peerFin = theirs.finArrival !== null && theirs.finArrival <= now ? theirs.finArrival : null;
    const closedSecond = other.closedAt !== null && other.closedAt < me.closedAt && peerFin !== null && peerFin <= me.closedAt;
    if (closedSecond) {
      if (mine.finArrival === null) return { state: 'LAST-ACK', untilMs: Infinity };
      const acked = mine.finArrival + (mine.finArrival - me.closedAt);
      return now < acked ? { state: 'LAST-ACK', untilMs: acked } : null;
    }
    if (peerFin === null) return { state: mine.finArrival !== null && mine.finArrival <= now ? 'FIN-WAIT-2' : 'FIN-WAIT-1', untilMs: Infinity };
    const until = Math.max(peerFin, mine.finArrival ?? peerFin) + TIME_WAIT_MS;
    return now < until ? { state: 'TIME-WAIT', untilMs: until } : null;
  }
}

/** Data bytes sent this way that have not arrived yet. */
function inFlightBytes(d: Direction, now: number): number {
  let n = 0;
  for (const x of d.queued) if (x.arrival > now && x.seg.kind === 'data') n += x.seg.bytes.length;
  return n;
}

/** Data bytes the sender's TCP holds this way (stalled on a broken path, behind a closed window). */
function heldBytes(d: Direction): number {
  let n = 0;
  for (const x of d.stalled) if (x.kind === 'data') n += x.bytes.length;
  for (const x of d.windowHeld) if (x.kind === 'data') n += x.bytes.length;
  return n;
}

/** net.core.somaxconn as the host's /proc/sys shows it (Linux's default when unreadable). */
function readSomaxconn(host: Host): number {
  const f = host.disk.lookup(SOMAXCONN_PATH);
  const m = f && !f.isDir ? /^\s*(\d+)/.exec(String.fromCharCode(...f.bytes().subarray(0, 24))) : null;
  return m ? Number(m[1]) : 4096;
}

/** One number per connection end: pid and socket id (kernel-side ids are negative). */
function endKey(pid: number, sid: number): number {
  return pid * 4194304 + sid + 2097152;
}

function newDirection(from: End, to: End): Direction {
  return {
    from, to, freeAt: 0, lastArrival: 0, stalled: [], queued: [], rtoMs: RTO_MIN_MS, retries: 0, retransmitAt: null, failed: false,
    unread: 0, windowHeld: [], reportedHeld: 0, finArrival: null, link: null, linkVersion: -1, rng: null, name: `${from.host.name}>${to.host.name}`,
  };
}

function normaliseBind(a: string): string {
  if (a === '*' || a === '0.0.0.0') return '0.0.0.0';
  if (a === '::*' || a === '::') return '::';
  if (a === 'localhost') return '127.0.0.1';
  return a;
}

function displayAddr(a: string): string {
  if (a === '0.0.0.0') return '*';
  if (a === '::') return '::*';
  return a;
}
