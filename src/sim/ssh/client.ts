/**
 * The client side of an SSH connection over the simulated network, for ssh and scp: connect
 * (ssh's ConnectTimeout, else the kernel's own SYN retries), the banners, key exchange and
 * publickey authentication as OpenSSH orders them (wire.ts), one session channel, and the
 * errors OpenSSH prints for each way the connection fails, with exit status 255.
 */
import type { CmdCtx } from '../shell/context';
import type { KernelSocket } from '../kernel/kernel-sockets';
import { NET_ERRORS } from '../kernel/network';
import type { TaskGen } from '../kernel/tasks';
import { Latch, timer } from '../shell/commands/net-tool';
import { KEXINIT_PAYLOAD, MSG, PacketReader, SSH_BANNER, fields, packet, splitFields } from './wire';

export interface ChannelEvents {
  data?(text: string): void;
  extended?(text: string): void;
  /** The remote terminal wants a line (null: nobody reads it now). */
  reading?(r: { prompt: string; mask: boolean; raw: boolean } | null): void;
}

/** How the session ended: the remote status, or 255 after a message already printed. */
export type SessionEnd = { kind: 'closed'; code: number } | { kind: 'failed' };

export class SshConnection {
  private sock: KernelSocket | null = null;
  private phase: 'connecting' | 'banner' | 'kex' | 'auth' | 'channel' | 'open' | 'done' = 'connecting';
  private authTried: 'none' | 'query' | 'signed' = 'none';
  readonly ready = new Latch<boolean>();
  readonly ended = new Latch<SessionEnd>();
  private exitCode: number | null = null;
  events: ChannelEvents = {};

  constructor(private readonly ctx: CmdCtx, readonly hostArg: string, readonly ip: string, readonly port: number, readonly user: string) {}

  /**
   * Connect and log in: true when the session channel is open; false after the error was
   * printed (`ssh: connect to host …`, `… Permission denied …`).
   */
  *open(connectTimeoutMs: number | null): TaskGen<boolean> {
    const ctx = this.ctx;
    const connected = new Latch<string | null>();
    const reader = new PacketReader(() => this.onBanner(), (type, payload) => this.onPacket(type, payload));
    const sock = ctx.kernel.kernelSockets.connect(ctx.proc, this.ip, this.port, {
      connected: () => {
        // The identification line goes first, before anything the server's banner sets off.
        this.phase = 'banner';
        sock.write(SSH_BANNER);
        connected.fire(null);
      },
      data: (text) => reader.push(text),
      closed: (code) => {
        if (this.phase === 'connecting') { connected.fire(code ?? 'ECONNREFUSED'); return; }
        if (!connected.done) connected.fire(null);
        this.lost(code);
      },
    });
    this.sock = sock;
    const cancel = connectTimeoutMs !== null ? timer(ctx.kernel, connectTimeoutMs, () => connected.fire('ETIMEDOUT')) : null;
    const err: string | null = yield connected.wait();
    cancel?.();
    if (err !== null) {
      sock.close();
      this.phase = 'done';
      ctx.err(`ssh: connect to host ${this.hostArg} port ${this.port}: ${NET_ERRORS[err] ?? err}\r\n`);
      return false;
    }
    return (yield this.ready.wait()) as boolean;
  }

  private send(type: number, payload = ''): void { this.sock?.write(packet(type, payload)); }

  private onBanner(): void {
    this.phase = 'kex';
    this.send(MSG.KEXINIT, KEXINIT_PAYLOAD);
    // The client's ephemeral key (curve25519: 32 bytes).
    this.send(MSG.KEX_ECDH_INIT, '\0'.repeat(32));
  }

  private onPacket(type: number, payload: string): void {
    switch (type) {
      case MSG.NEWKEYS:
        this.send(MSG.NEWKEYS);
        this.send(MSG.SERVICE_REQUEST, 'ssh-userauth');
        return;
      case MSG.SERVICE_ACCEPT:
        this.phase = 'auth';
        this.authTried = 'none';
        this.send(MSG.USERAUTH_REQUEST, fields(this.user, 'none'));
        return;
      case MSG.USERAUTH_FAILURE:
        if (this.authTried === 'none') {
          this.authTried = 'query';
          this.send(MSG.USERAUTH_REQUEST, fields(this.user, 'publickey', 'query'));
          return;
        }
        this.ctx.err(`${this.user}@${this.hostArg}: Permission denied (${payload}).\r\n`);
        this.finish({ kind: 'failed' });
        return;
      case MSG.USERAUTH_PK_OK:
        this.authTried = 'signed';
        this.send(MSG.USERAUTH_REQUEST, fields(this.user, 'publickey', 'signed'));
        return;
      case MSG.USERAUTH_SUCCESS:
        this.phase = 'channel';
        this.send(MSG.CHANNEL_OPEN, 'session');
        return;
      case MSG.CHANNEL_OPEN_CONFIRMATION:
        this.phase = 'open';
        this.ready.fire(true);
        return;
      case MSG.CHANNEL_DATA: this.events.data?.(payload); return;
      case MSG.CHANNEL_EXTENDED_DATA: this.events.extended?.(payload); return;
      case MSG.CHANNEL_REQUEST: {
        const f = splitFields(payload);
        if (f[0] === 'exit-status') this.exitCode = Number(f[1]) & 0xff;
        // A command killed by a signal: ssh exits 255 (it says so only with -v).
        else if (f[0] === 'exit-signal') this.exitCode = 255;
        else if (f[0] === 'read@halab') this.events.reading?.(f.length > 1 ? { prompt: f[1], mask: f[2] === '1', raw: f[3] === '1' } : null);
        return;
      }
      case MSG.CHANNEL_CLOSE:
        this.finish({ kind: 'closed', code: this.exitCode ?? 255 });
        return;
      default:
        return;
    }
  }

  /** The TCP connection ended before the channel closed: OpenSSH's messages. */
  private lost(code: string | null): void {
    if (this.phase === 'done') return;
    const remote = `${this.ip} port ${this.port}`;
    if (this.phase !== 'open') {
      const why = code === null ? 'Connection closed by remote host' : `read: ${NET_ERRORS[code] ?? code}`;
      const last = code === null ? `Connection closed by ${remote}` : code === 'ECONNRESET' ? `Connection reset by ${remote}` : `Connection to ${remote} timed out`;
      this.ctx.err(`${this.phase === 'banner' ? `kex_exchange_identification: ${why}\r\n` : ''}${last}\r\n`);
    } else if (code === null) this.ctx.err(`Connection to ${this.hostArg} closed by remote host.\r\n`);
    else this.ctx.err(`Read from remote host ${this.hostArg}: ${NET_ERRORS[code] ?? code}\r\n`);
    this.finish({ kind: 'failed' });
  }

  private finish(end: SessionEnd): void {
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.sock?.close();
    this.ready.fire(false);
    this.ended.fire(end);
  }

  /** Channel requests. */
  requestPty(termId: number, columns: number, lines: number): void { this.send(MSG.CHANNEL_REQUEST, fields('pty-req', termId, columns, lines)); }
  exec(command: string): void { this.send(MSG.CHANNEL_REQUEST, fields('exec', command)); }
  shell(): void { this.send(MSG.CHANNEL_REQUEST, 'shell'); }
  subsystem(name: string): void { this.send(MSG.CHANNEL_REQUEST, fields('subsystem', name)); }
  /** Close the channel (the client is done): the server ends the session. */
  closeChannel(): void {
    if (this.phase !== 'open') return;
    this.send(MSG.CHANNEL_CLOSE);
    this.finish({ kind: 'closed', code: 0 });
  }
  write(text: string): void { if (this.phase === 'open') this.send(MSG.CHANNEL_DATA, text); }
  eof(): void { if (this.phase === 'open') this.send(MSG.CHANNEL_EOF); }

  /** Leave now (a signal): no message, status 255. */
  abort(): void {
    if (this.phase === 'done') return;
    this.finish({ kind: 'failed' });
  }
}
