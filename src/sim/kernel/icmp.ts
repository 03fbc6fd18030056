/**
 * ICMP echo over the simulated network: the datagram path `ping` uses (shell/commands/ping.ts).
 * Unlike the TCP model (network.ts) nothing is retransmitted, ordered or held: each echo request
 * and each reply is one datagram that arrives or is gone. They share what the TCP segments see:
 *
 * - the link between the hosts: latency, seeded jitter per datagram, the time the datagram's
 *   bytes take at the link's bandwidth, and loss (a datagram is lost with the link's loss
 *   probability, each way, from a seeded stream of its own: `icmp:a>b`);
 * - partitions (one-way ones too: a request across a cut is lost, and so is a reply);
 * - iptables, as `-p icmp` rules or rules for every protocol: the sender's OUTPUT refusing the
 *   request is EPERM at once (what `sendmsg` answers); the target's INPUT dropping it is silence;
 *   its INPUT rejecting it sends back a port unreachable (REJECT's default), which the sender's
 *   INPUT may drop in turn; the reply passes the target's OUTPUT and the sender's INPUT;
 * - a host that is down or an address nobody owns: ARP gets no answer. As Linux does, the
 *   requests sent while the address is being resolved wait; after 3 s (three probes one second
 *   apart) each of them is answered by the sender's own kernel with a host unreachable, and the
 *   next request starts a new resolution. A host that came up meanwhile gets them then.
 * - but a host the sender heard from lately (an echo reply, a TCP segment: Network.neighbours)
 *   is still a valid neighbour when it goes down, and requests to it are sent into the void,
 *   silently lost, as Linux's neighbour table has it: REACHABLE for the host's reachable time
 *   (a seeded draw in [15, 45) s, base_reachable_time 30 s, redrawn every 300 s) after the last
 *   confirmation, then DELAY 5 s and PROBE 3 s (three unicast probes); only then FAILED, and the
 *   next request starts the ARP resolution above. A STALE entry (not used as it expired) starts
 *   its DELAY at its next use. Measured with two network namespaces: 5 replies, the peer's
 *   address removed, the first "Destination Host Unreachable" 32 s later, then three every 3 s.
 *
 * A request is answered by the target's kernel, not by a process: no listener and no `bind` is
 * involved, and a host whose processes are all stopped or gone still answers while it is up,
 * unless its net.ipv4.icmp_echo_ignore_all is 1 (then it drops every echo request).
 * Loopback (127.0.0.0/8, or a host's own address) answers locally over the loopback link.
 *
 * Decisions are made when a datagram leaves (the request at the sender, the reply at the target
 * when the request arrives), like the TCP model's segments: a datagram already on the wire when
 * a partition starts still arrives. A host that loses power loses what it was to answer or
 * receive. Every step is in the trace (icmp-echo, icmp-reply, icmp-recv, icmp-drop,
 * icmp-unreach) and shown to watchers as a wire message with `proto: 'icmp'`.
 */
import { MIN_LATENCY_MS } from '../protocol';
import type { Host } from './host';
import type { NetKernel, Network } from './network';

/** IPv4 and ICMP headers around the payload `ping -s` sizes. */
export const ICMP_HEADER_BYTES = 8;
export const IP_HEADER_BYTES = 20;
/** The largest IPv4 datagram. */
const IP_MAX_BYTES = 65535;
/** eth0's MTU (loopback's is 65536, where only the IPv4 limit matters). */
const ETH_MTU = 1500;
/** ARP: mcast_solicit 3 probes, retrans_time 1 s. */
export const ARP_RESOLVE_MS = 3000;
/** Linux's neighbour timers (net.ipv4.neigh.default): base_reachable_time, delay_first_probe_time, ucast_solicit × retrans_time. */
const BASE_REACHABLE_MS = 30_000;
const REACHABLE_REDRAW_MS = 300_000;
const DELAY_PROBE_MS = 5000;
const UNICAST_PROBES_MS = 3000;
/** Linux's default TTL (net.ipv4.ip_default_ttl); the hosts share one LAN, no router lowers it. */
const DEFAULT_TTL = 64;

const ECHO_REPLY = 0;
const DEST_UNREACH = 3;
const ECHO_REQUEST = 8;

export type EchoAnswer =
  /** The echo reply arrived: from whom, with what TTL and how many ICMP bytes. */
  | { kind: 'reply'; from: string; ttl: number; icmpBytes: number }
  /** An ICMP destination unreachable about the request: who sent it and what it says. */
  | { kind: 'unreachable'; from: string; what: 'host' | 'port' };

export interface EchoRequest {
  /** The sending process (kernel-side; its host sends). */
  pid: number;
  /** The target address (already resolved). */
  dst: string;
  /** Payload bytes (ping -s). */
  dataBytes: number;
  seq: number;
  /** Called at the answer's arrival time (never for a request that is simply lost). */
  answer(a: EchoAnswer): void;
}

/** What sendto() answers: sent, refused by the local OUTPUT chain, or too big (with the MTU). */
export type EchoSendResult = { ok: true } | { ok: false; code: 'EPERM' } | { ok: false; code: 'EMSGSIZE'; mtu: number };

interface Pending { req: EchoRequest; src: Host; srcIp: string; bootId: number }

export class Icmp {
  /** Addresses being resolved, by "host>ip": the requests waiting for ARP's answer. */
  private readonly arp = new Map<string, Pending[]>();
  /** A neighbour's last use by the ICMP path, by "holder>neighbour" host names. */
  private readonly used = new Map<string, number>();
  /** An expired neighbour entry's end (DELAY then PROBE), for the confirmation it expired from. */
  private readonly probing = new Map<string, { confirmedAt: number; failsAt: number }>();
  /** Each host's reachable time and the 300 s period it was drawn for. */
  private readonly reachable = new Map<string, { period: number; ms: number }>();

  constructor(private readonly k: NetKernel, private readonly net: Network) {}

  /** Send an echo request now. */
  echo(req: EchoRequest): EchoSendResult {
    // A sender that is gone sends nothing (its socket went with it).
    if (!this.k.alive(req.pid)) return { ok: false, code: 'EPERM' };
    const src = this.k.hostOf(req.pid);
    const loopback = req.dst.startsWith('127.') || src.owns(req.dst);
    const srcIp = loopback ? req.dst : src.ip;
    const ipBytes = req.dataBytes + ICMP_HEADER_BYTES + IP_HEADER_BYTES;
    if (ipBytes > IP_MAX_BYTES) return { ok: false, code: 'EMSGSIZE', mtu: loopback ? IP_MAX_BYTES : ETH_MTU };
    if (src.firewall.verdict('OUTPUT', { src: srcIp, dst: req.dst, sport: 0, dport: 0, proto: 'icmp', icmpType: ECHO_REQUEST }) !== 'ACCEPT') {
      this.k.record('icmp-drop', src.name, req.pid, `${req.dst} seq=${req.seq} (output)`);
      return { ok: false, code: 'EPERM' };
    }
    this.k.record('icmp-echo', src.name, req.pid, `${srcIp} -> ${req.dst} seq=${req.seq} ${ipBytes}B`);
    const p: Pending = { req, src, srcIp, bootId: src.bootId };
    const dst = loopback ? src : this.k.hostByIp(req.dst);
    if (dst && !dst.up && this.validNeighbour(src, dst)) {
      // Sent to the address the neighbour table still holds: nobody receives it.
      this.k.record('icmp-drop', src.name, req.pid, `${req.dst} seq=${req.seq} (host down)`);
      return { ok: true };
    }
    if (dst && dst !== src) this.used.set(`${src.name}>${dst.name}`, this.k.now);
    if (!dst || !dst.up) { this.resolve(p); return { ok: true }; }
    this.request(p, dst);
    return { ok: true };
  }

  /**
   * Whether `src`'s neighbour table still holds `dst` (REACHABLE, STALE, DELAY or PROBE) now,
   * for a `dst` that no longer answers; false once its entry has FAILED (it is forgotten).
   */
  private validNeighbour(src: Host, dst: Host): boolean {
    const now = this.k.now;
    const confirmedAt = this.net.neighbours.get(`${dst.name}>${src.name}`);
    if (confirmedAt === undefined) return false;
    const key = `${src.name}>${dst.name}`;
    const lastUse = this.used.get(key);
    this.used.set(key, now);
    const expiry = confirmedAt + this.reachableMs(src, confirmedAt);
    if (now < expiry) return true;
    let p = this.probing.get(key);
    if (!p || p.confirmedAt !== confirmedAt) {
      // Used within the delay before it expired: straight to DELAY then; else STALE until now.
      const delayFrom = lastUse !== undefined && lastUse >= expiry - DELAY_PROBE_MS ? expiry : now;
      p = { confirmedAt, failsAt: delayFrom + DELAY_PROBE_MS + UNICAST_PROBES_MS };
      this.probing.set(key, p);
    }
    if (now < p.failsAt) return true;
    this.net.neighbours.delete(`${dst.name}>${src.name}`);
    this.probing.delete(key);
    return false;
  }

  /** The host's reachable time at `t`: uniform in [base/2, 3·base/2), redrawn every 300 s. */
  private reachableMs(host: Host, t: number): number {
    const period = Math.floor(t / REACHABLE_REDRAW_MS);
    let r = this.reachable.get(host.name);
    if (!r || r.period !== period) {
      r = { period, ms: BASE_REACHABLE_MS / 2 + this.k.rng(`neigh:${host.name}:${period}`).next() * BASE_REACHABLE_MS };
      this.reachable.set(host.name, r);
    }
    return r.ms;
  }

  /** ARP for an address nobody answers for now: the request waits with the others. */
  private resolve(p: Pending): void {
    const key = `${p.src.name}>${p.req.dst}`;
    const waiting = this.arp.get(key);
    if (waiting) { waiting.push(p); return; }
    this.arp.set(key, [p]);
    this.k.at(this.k.now + ARP_RESOLVE_MS, () => {
      const queued = this.arp.get(key) ?? [];
      this.arp.delete(key);
      for (const q of queued) {
        if (!this.alive(q)) continue;
        const dst = this.k.hostByIp(q.req.dst);
        if (dst && dst.up) { this.net.neighbours.set(`${dst.name}>${q.src.name}`, this.k.now); this.request(q, dst); continue; }
        // The sender's own kernel answers: host unreachable, from its own address.
        this.k.record('icmp-unreach', q.src.name, q.req.pid, `${q.req.dst} seq=${q.req.seq} (no ARP answer)`);
        this.k.at(this.k.now + MIN_LATENCY_MS, () => { if (this.alive(q)) q.req.answer({ kind: 'unreachable', from: q.srcIp, what: 'host' }); });
      }
    });
  }

  /** The sender's host is still the one that sent (no power-off or reboot since). */
  private alive(p: Pending): boolean {
    return p.src.up && p.src.bootId === p.bootId;
  }

  /** The request leaves for `dst`. */
  private request(p: Pending, dst: Host): void {
    const { req, src, srcIp } = p;
    const bytes = req.dataBytes + ICMP_HEADER_BYTES + IP_HEADER_BYTES;
    const lost = this.lostOnTheWay(src, dst, 'request');
    const arrival = this.arrival(src, dst, bytes);
    if (lost) { this.k.record('icmp-drop', src.name, req.pid, `${req.dst} seq=${req.seq} (${lost})`); return; }
    this.watch(src.name, req.pid, srcIp, dst.name, 0, req.dst, bytes, arrival, 'echo-request');
    const dstBoot = dst.bootId;
    this.k.at(arrival, () => {
      if (!dst.up || dst.bootId !== dstBoot) return;
      // The target resolved the sender to answer it (its ARP request made the entry).
      if (dst !== src) this.net.neighbours.set(`${src.name}>${dst.name}`, this.k.now);
      // net.ipv4.icmp_echo_ignore_all: the kernel answers no echo request (after the rules).
      const inp = dst.firewall.verdict('INPUT', { src: srcIp, dst: req.dst, sport: 0, dport: 0, proto: 'icmp', icmpType: ECHO_REQUEST });
      if (inp === 'DROP') { this.k.record('icmp-drop', dst.name, 0, `${srcIp} seq=${req.seq} (input)`); return; }
      if (inp === 'REJECT') {
        this.k.record('icmp-unreach', dst.name, 0, `${srcIp} seq=${req.seq} (reject)`);
        this.back(p, dst, ICMP_HEADER_BYTES + IP_HEADER_BYTES + 28, DEST_UNREACH, { kind: 'unreachable', from: req.dst, what: 'port' });
        return;
      }
      if (ignoresEcho(dst)) { this.k.record('icmp-drop', dst.name, 0, `${srcIp} seq=${req.seq} (icmp_echo_ignore_all)`); return; }
      // The target's kernel answers with the same payload.
      if (dst.firewall.verdict('OUTPUT', { src: req.dst, dst: srcIp, sport: 0, dport: 0, proto: 'icmp', icmpType: ECHO_REPLY }) !== 'ACCEPT') {
        this.k.record('icmp-drop', dst.name, 0, `${srcIp} seq=${req.seq} (output)`);
        return;
      }
      this.k.record('icmp-reply', dst.name, 0, `${req.dst} -> ${srcIp} seq=${req.seq}`);
      this.back(p, dst, bytes, ECHO_REPLY, { kind: 'reply', from: req.dst, ttl: DEFAULT_TTL, icmpBytes: req.dataBytes + ICMP_HEADER_BYTES });
    });
  }

  /** An answer from `dst` travels back to the sender. */
  private back(p: Pending, dst: Host, bytes: number, type: number, answer: EchoAnswer): void {
    const { req, src, srcIp } = p;
    const lost = this.lostOnTheWay(dst, src, 'answer');
    const arrival = this.arrival(dst, src, bytes);
    if (lost) { this.k.record('icmp-drop', dst.name, 0, `${srcIp} seq=${req.seq} (${lost})`); return; }
    this.watch(dst.name, 0, req.dst, src.name, req.pid, srcIp, bytes, arrival, type === ECHO_REPLY ? 'echo-reply' : 'unreachable');
    this.k.at(arrival, () => {
      if (!this.alive(p)) return;
      if (src.firewall.verdict('INPUT', { src: req.dst, dst: srcIp, sport: 0, dport: 0, proto: 'icmp', icmpType: type }) !== 'ACCEPT') {
        this.k.record('icmp-drop', src.name, req.pid, `${req.dst} seq=${req.seq} (input)`);
        return;
      }
      // ping sends its next request with MSG_CONFIRM: the reply confirms the neighbour.
      if (dst !== src) this.net.neighbours.set(`${dst.name}>${src.name}`, this.k.now);
      this.k.record('icmp-recv', src.name, req.pid, `${req.dst} seq=${req.seq} ${answer.kind === 'reply' ? 'echo-reply' : `${answer.what}-unreachable`}`);
      req.answer(answer);
    });
  }

  /** Why a datagram from `a` to `b` leaving now is lost, or null: a partition or the link's loss. */
  private lostOnTheWay(a: Host, b: Host, what: 'request' | 'answer'): string | null {
    if (a !== b && this.net.blocked.has(`${a.name}>${b.name}`)) return 'partition';
    const loss = this.net.link(a, b).loss;
    if (loss > 0 && this.k.rng(`icmp-loss:${a.name}>${b.name}`).next() < loss) return `${what} lost`;
    return null;
  }

  /** When a datagram of `bytes` leaving `a` now reaches `b`. */
  private arrival(a: Host, b: Host, bytes: number): number {
    const p = this.net.link(a, b);
    let t = this.k.now + (bytes * 8 * 1000) / p.bandwidthBps + Math.max(MIN_LATENCY_MS, p.latencyMs);
    if (p.jitterMs > 0) t += this.k.rng(`icmp:${a.name}>${b.name}`).next() * p.jitterMs;
    return t;
  }

  private watch(fromHost: string, fromPid: number, from: string, toHost: string, toPid: number, to: string, bytes: number, arrivalT: number, icmp: 'echo-request' | 'echo-reply' | 'unreachable'): void {
    this.net.observer?.({ fromHost, fromPid, from, toHost, toPid, to, bytes, head: '', fin: false, sentT: this.k.now, arrivalT, proto: 'icmp', icmp });
  }
}

const ECHO_IGNORE_PATH = '/proc/sys/net/ipv4/icmp_echo_ignore_all';

/** net.ipv4.icmp_echo_ignore_all as the host's /proc/sys shows it (sysctl.ts). */
function ignoresEcho(host: Host): boolean {
  const f = host.disk.lookup(ECHO_IGNORE_PATH);
  return f !== null && f !== undefined && !f.isDir && f.bytes()[0] === 0x31;
}
