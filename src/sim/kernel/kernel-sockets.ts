/**
 * Sockets of kernel-side processes: the shell's network tools (nc, telnet, ssh, scp) and every
 * host's sshd and its sessions run as kernel tasks, not in a runtime slot, yet their bytes go
 * through the same simulated network as a program's: the same connect (SYN retries, refusals,
 * ARP timeouts), latency, partitions and iptables verdicts, `ss` and `netstat` lines, trace
 * records. The network addresses them by pid and socket id as it does a program's sockets; the
 * kernel hands their deliveries here as internal events at their arrival time (Kernel.deliver),
 * and what they send is written at the kernel's current time.
 *
 * A socket's events are callbacks (connected, data, end of input, failure): the tools relay
 * bytes between the network and their standard streams as they come, which a task's single
 * wait could not do for both directions at once.
 */
import type { Delivery } from '../protocol';
import type { Network } from './network';
import type { Trace } from './trace';
import type { ProcRecord } from './process';
import { payloadHash } from './hash';

/** What the sockets need of the kernel. */
export interface KernelSocketHost {
  readonly now: number;
  readonly network: Network;
  readonly trace: Trace;
  readonly procs: ReadonlyMap<number, ProcRecord>;
}

export interface SocketEvents {
  /** The connection is established (a client's). */
  connected?(): void;
  /** Bytes arrived (a byte string). */
  data?(text: string): void;
  /**
   * The connection ended: `code` null when the peer closed its side (end of input; the socket
   * may still send), else the errno (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, EPERM, ENOTFOUND
   * while connecting; ECONNRESET, ETIMEDOUT later) and its text.
   */
  closed?(code: string | null, message: string): void;
}

export class KernelSocket {
  state: 'connecting' | 'open' | 'closed' = 'connecting';
  localAddress = '';
  localPort = 0;
  /** The peer's address as this socket sees it (a client: the address it connected to). */
  remoteAddress = '';
  remotePort = 0;
  /** This side sent its FIN (shutdown(SHUT_WR) or close): it writes nothing more. */
  writeShut = false;
  /** The peer's FIN arrived. */
  peerClosed = false;
  events: SocketEvents = {};

  constructor(private readonly owner: KernelSockets, readonly proc: ProcRecord, readonly sid: number) {}

  /** write(2) of a byte string: sent now, in order after what was sent before. */
  write(text: string): void {
    if (this.state === 'closed' || this.writeShut || text.length === 0) return;
    this.owner.send(this, text);
  }

  /** shutdown(SHUT_WR): FIN after the data; what the peer still sends is read. */
  shutdownWrite(): void {
    if (this.writeShut || this.state === 'closed') return;
    this.writeShut = true;
    this.owner.host.network.close(this.proc.pid, this.sid);
  }

  /** close(2): FIN (if not sent yet); nothing more is read. */
  close(): void {
    if (this.state === 'closed') return;
    this.shutdownWrite();
    this.state = 'closed';
    this.owner.forget(this);
  }
}

export class KernelListener {
  constructor(readonly proc: ProcRecord, readonly lid: number, readonly onAccept: (s: KernelSocket) => void) {}
}

export class KernelSockets {
  private readonly sockets = new Map<number, Map<number, KernelSocket>>();
  private readonly listeners = new Map<number, Map<number, KernelListener>>();
  /** listen() requests waiting for their answer, by pid and request number. */
  private readonly listening = new Map<string, (lid: number, code: string | null, message: string) => void>();
  private nextSid = new Map<number, number>();
  private nextReq = 0;

  constructor(readonly host: KernelSocketHost) {}

  /** The process holds kernel-side sockets or listeners (its deliveries come here). */
  has(pid: number): boolean { return this.sockets.has(pid) || this.listeners.has(pid) || this.listeningPid(pid); }

  private listeningPid(pid: number): boolean {
    for (const k of this.listening.keys()) if (k.startsWith(`${pid}:`)) return true;
    return false;
  }

  /** connect(2) to `host` (an address or a name the network resolves) and `port`. */
  connect(proc: ProcRecord, host: string, port: number, events: SocketEvents = {}): KernelSocket {
    const sid = (this.nextSid.get(proc.pid) ?? 0) + 1;
    this.nextSid.set(proc.pid, sid);
    const s = new KernelSocket(this, proc, sid);
    s.events = events;
    s.remotePort = port;
    this.add(s);
    this.host.network.connect(proc.pid, sid, host, port);
    return s;
  }

  /**
   * listen(2) on `port` at the addresses `bind` (network.ts's bind rules); `done` hears the
   * outcome (an errno such as EADDRINUSE, or null) one latency later.
   */
  listen(proc: ProcRecord, port: number, bind: string[], backlog: number, onAccept: (s: KernelSocket) => void, done?: (code: string | null, message: string) => void): void {
    const req = ++this.nextReq;
    this.listening.set(`${proc.pid}:${req}`, (lid, code, message) => {
      if (code === null) {
        let m = this.listeners.get(proc.pid);
        if (!m) this.listeners.set(proc.pid, (m = new Map()));
        m.set(lid, new KernelListener(proc, lid, onAccept));
      }
      done?.(code, message);
    });
    this.host.network.listen(proc.pid, req, port, bind, backlog);
  }

  /** A delivery for a kernel-side process, at its time (Kernel.deliver). */
  deliver(d: Delivery): void {
    const p = this.host.procs.get(d.pid);
    if (!p || p.state !== 'running') return;
    const trace = this.host.trace;
    switch (d.k) {
      case 'listened': {
        const key = `${d.pid}:${d.req}`;
        const cb = this.listening.get(key);
        this.listening.delete(key);
        trace.add(d.t, p.host.name, p.pid, 'deliver-listened', `${d.req} ${d.code ?? 'ok'}`);
        cb?.(d.lid, d.code, d.message);
        return;
      }
      case 'accept': {
        const l = this.listeners.get(d.pid)?.get(d.lid);
        trace.add(d.t, p.host.name, p.pid, 'deliver-accept', `${d.sid} ${d.remoteAddress}:${d.remotePort}`);
        if (!l) { this.host.network.close(d.pid, d.sid); return; }
        const s = new KernelSocket(this, p, d.sid);
        s.state = 'open';
        s.localAddress = d.localAddress;
        s.localPort = d.localPort;
        s.remoteAddress = d.remoteAddress;
        s.remotePort = d.remotePort;
        this.add(s);
        l.onAccept(s);
        return;
      }
      case 'connected': {
        const s = this.sockets.get(d.pid)?.get(d.sid);
        trace.add(d.t, p.host.name, p.pid, 'deliver-connected', `${d.sid} ${d.localAddress}:${d.localPort}`);
        if (!s || s.state !== 'connecting') return;
        s.state = 'open';
        s.localAddress = d.localAddress;
        s.localPort = d.localPort;
        s.events.connected?.();
        return;
      }
      case 'data': {
        trace.addPayload(d.t, p.host.name, p.pid, 'recv', d.sid, d.bytes.length, payloadHash(d.bytes));
        const s = this.sockets.get(d.pid)?.get(d.sid);
        if (!s || s.state === 'closed' || s.peerClosed) return;
        s.events.data?.(latin1(d.bytes));
        return;
      }
      case 'closed': {
        trace.add(d.t, p.host.name, p.pid, 'deliver-closed', `${d.sid} ${d.code ?? 'eof'}`);
        const s = this.sockets.get(d.pid)?.get(d.sid);
        if (!s || s.state === 'closed') return;
        if (d.code === null) {
          s.peerClosed = true;
          // Both sides have sent their FIN: nothing more will come.
          if (s.writeShut) { s.state = 'closed'; this.forget(s); }
        } else {
          s.state = 'closed';
          this.forget(s);
        }
        s.events.closed?.(d.code, d.message);
        return;
      }
      default:
        // sendq: the tools do not keep output buffers of their own (the network's queue is theirs).
        return;
    }
  }

  /** The process ended: the network closes its sockets (processGone); forget them here. */
  processGone(pid: number): void {
    this.sockets.delete(pid);
    this.listeners.delete(pid);
    this.nextSid.delete(pid);
    for (const k of [...this.listening.keys()]) if (k.startsWith(`${pid}:`)) this.listening.delete(k);
  }

  send(s: KernelSocket, text: string): void {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    const h = this.host;
    h.trace.addPayload(h.now, s.proc.host.name, s.proc.pid, 'send', s.sid, bytes.length, payloadHash(bytes));
    h.network.write(s.proc.pid, s.sid, bytes);
  }

  private add(s: KernelSocket): void {
    let m = this.sockets.get(s.proc.pid);
    if (!m) this.sockets.set(s.proc.pid, (m = new Map()));
    m.set(s.sid, s);
  }

  forget(s: KernelSocket): void {
    const m = this.sockets.get(s.proc.pid);
    if (!m) return;
    m.delete(s.sid);
    if (m.size === 0) this.sockets.delete(s.proc.pid);
  }
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
