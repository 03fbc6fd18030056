/**
 * Every host's OpenSSH server, as Debian 12 runs it (`/usr/sbin/sshd -D` from ssh.service):
 * a kernel-side process listening on port 22 of every address (0.0.0.0 and ::, backlog 128),
 * shown by ps as `sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups` and by ss and
 * netstat with its descriptors 3 and 4. Root logs in with its key (the hosts know each other's
 * keys, as a lab's machines would be set up): no password, no host key question. Other users
 * do not exist on the simulated hosts and are refused as a real server refuses a user without a
 * key (`Permission denied (publickey,password)`).
 *
 * A session is a process `sshd: root@notty` (or `sshd: root@pts/N` with a terminal) under the
 * listener. `exec` runs the command as `bash -c COMMAND` in root's home, its standard input,
 * output and error on the channel; the channel closes when the command has ended and its
 * output is drained (a background job that keeps the output open keeps the session, as on
 * Linux), with its exit status or the signal that killed it. `shell` with a terminal starts a
 * login shell `-bash` on a RemotePty, after the motd; without one, a bash reading commands
 * from the channel. If the connection is lost, a command without a terminal is left running
 * (its input ends, its output goes nowhere: a write gets SIGPIPE, as a real one does); the
 * processes of a terminal get SIGHUP.
 */
import type { Kernel } from '../kernel/kernel';
import type { Host } from '../kernel/host';
import { Pipe, type ProcRecord, type Sink, type Source, type Terminal } from '../kernel/process';
import type { KernelSocket } from '../kernel/kernel-sockets';
import type { TaskGen } from '../kernel/tasks';
import { KEXINIT_PAYLOAD, MSG, PacketReader, SSH_BANNER, fields, packet, splitFields } from './wire';
import { RemotePty } from './remote-pty';
import { SftpServer } from './sftp-server';

export const SSHD_TITLE = 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups';

/** What sshd needs of the world: shells, and a name for a new terminal of the host. */
export interface SshdWorld {
  kernel: Kernel;
  /** A shell owning `rec`, reading and writing `io` (interactive on a terminal). */
  runShell(host: Host, term: Terminal | null, rec: ProcRecord, io: { stdin: Source; stdout: Sink; stderr: Sink }, how: { interactive: true } | { argv: string[]; env: Record<string, string> }): TaskGen<number>;
  ptyName(host: Host): string;
}

/** Start the host's sshd (at boot). */
export function startSshd(w: SshdWorld, host: Host): ProcRecord {
  const k = w.kernel;
  const rec = k.kernelProcess({
    host, kind: 'system', title: SSHD_TITLE, argv: ['/usr/sbin/sshd', '-D'], cwd: '/', ppid: 1,
    stdin: { kind: 'null' }, stdout: { kind: 'null' }, stderr: { kind: 'null' }, tty: null,
  });
  k.kernelSockets.listen(rec, 22, ['0.0.0.0', '::'], 128, (s) => new Session(w, host, rec, s));
  return rec;
}

/** One connection to sshd, from its banner to its close. */
class Session {
  private readonly k: Kernel;
  private proc: ProcRecord | null = null;
  private user = '';
  private pty: RemotePty | null = null;
  private stdin: Pipe | null = null;
  private exit: { code: number; signal: string | null } | null = null;
  private openStreams = 0;
  /** The pipes of a command without a terminal: nobody reads them once the connection is gone. */
  private outputs: Pipe[] = [];
  private closed = false;
  private channelOpen = false;

  constructor(private readonly w: SshdWorld, private readonly host: Host, private readonly listener: ProcRecord, private readonly sock: KernelSocket) {
    this.k = w.kernel;
    const reader = new PacketReader(() => {}, (type, payload) => this.onPacket(type, payload));
    sock.events = {
      data: (text) => reader.push(text),
      closed: () => this.lost(),
    };
    sock.write(SSH_BANNER + packet(MSG.KEXINIT, KEXINIT_PAYLOAD));
  }

  private send(type: number, payload = ''): void {
    if (!this.closed) this.sock.write(packet(type, payload));
  }

  private onPacket(type: number, payload: string): void {
    switch (type) {
      case MSG.KEX_ECDH_INIT:
        // The server's host key, its ephemeral key and its signature: about what ed25519 sends.
        this.send(MSG.KEX_ECDH_REPLY, 'ssh-ed25519'.padEnd(51, '\0') + '\0'.repeat(32) + 'ssh-ed25519'.padEnd(83, '\0'));
        this.send(MSG.NEWKEYS);
        return;
      case MSG.SERVICE_REQUEST:
        this.send(MSG.SERVICE_ACCEPT, 'ssh-userauth');
        return;
      case MSG.USERAUTH_REQUEST: {
        const [user, method, stage] = splitFields(payload);
        if (user !== 'root' || method !== 'publickey') { this.send(MSG.USERAUTH_FAILURE, 'publickey,password'); return; }
        if (stage === 'query') { this.send(MSG.USERAUTH_PK_OK); return; }
        this.user = user;
        this.send(MSG.USERAUTH_SUCCESS);
        return;
      }
      case MSG.CHANNEL_OPEN:
        if (!this.user) { this.send(MSG.CHANNEL_FAILURE); return; }
        this.startProcess();
        this.channelOpen = true;
        this.send(MSG.CHANNEL_OPEN_CONFIRMATION);
        return;
      case MSG.CHANNEL_REQUEST: this.request(splitFields(payload)); return;
      case MSG.CHANNEL_DATA:
        if (this.sftp) this.sftp(payload);
        else if (this.pty) this.ptyInput(payload);
        else this.stdin?.write(payload);
        return;
      case MSG.CHANNEL_EOF:
        if (this.stdin) { this.stdin.closeWriter(); this.stdin = null; }
        return;
      case MSG.CHANNEL_CLOSE:
        this.lost();
        return;
      default:
        return;
    }
  }

  /** The session's process under the listener, once the channel opens. */
  private startProcess(): void {
    this.proc = this.k.kernelProcess({
      host: this.host, kind: 'system', title: `sshd: ${this.user}@notty`, argv: ['sshd:', `${this.user}@notty`], cwd: '/', ppid: this.listener.pid,
      stdin: { kind: 'null' }, stdout: { kind: 'null' }, stderr: { kind: 'null' }, tty: null,
    });
    const proc = this.proc;
    // kill(1) of the session (SIGTERM, SIGHUP) ends it and its connection, as sshd's does.
    proc.catchSignal = (sig) => {
      if (sig === 'SIGTERM' || sig === 'SIGHUP' || sig === 'SIGINT' || sig === 'SIGQUIT') this.k.endProcess(proc, 128 + (sig === 'SIGTERM' ? 15 : sig === 'SIGHUP' ? 1 : sig === 'SIGINT' ? 2 : 3), sig, 'kill');
      return true;
    };
    proc.cancel = () => this.lost();
  }

  private request(f: string[]): void {
    const [kind] = f;
    if (!this.proc) return;
    switch (kind) {
      case 'pty-req': {
        const [, termId, cols, lines] = f;
        const name = this.w.ptyName(this.host);
        this.pty = new RemotePty(Number(termId), this.host, name, Number(cols) || 80, Number(lines) || 24, this.k, {
          output: (text) => this.data(text),
          reading: (r) => this.send(MSG.CHANNEL_REQUEST, r ? fields('read@halab', r.prompt, r.mask ? 1 : 0, r.raw ? 1 : 0) : fields('read@halab')),
        });
        this.proc.title = `sshd: ${this.user}@${name}`;
        this.proc.argv = ['sshd:', `${this.user}@${name}`];
        this.send(MSG.CHANNEL_SUCCESS);
        return;
      }
      case 'window-change':
        if (this.pty) { this.pty.columns = Number(f[1]) || this.pty.columns; this.pty.lines = Number(f[2]) || this.pty.lines; }
        return;
      case 'exec':
        this.send(MSG.CHANNEL_SUCCESS);
        this.run(f.slice(1).join('\0'));
        return;
      case 'shell':
        this.send(MSG.CHANNEL_SUCCESS);
        this.run(null);
        return;
      case 'subsystem': {
        if (f[1] !== 'sftp') { this.send(MSG.CHANNEL_FAILURE); return; }
        this.send(MSG.CHANNEL_SUCCESS);
        // scp's transfers: Debian's `Subsystem sftp /usr/lib/openssh/sftp-server`, a child of the session.
        const rec = this.k.kernelProcess({
          host: this.host, kind: 'builtin', title: '/usr/lib/openssh/sftp-server', argv: ['/usr/lib/openssh/sftp-server'], cwd: this.host.home, ppid: this.proc.pid,
          stdin: { kind: 'null' }, stdout: { kind: 'null' }, stderr: { kind: 'null' }, tty: null,
        });
        this.sftpProc = rec;
        const server = new SftpServer(this.k, this.host, (text) => this.data(text));
        const reader = new PacketReader(null, (type, payload) => server.handle(type, payload));
        this.sftp = (text) => reader.push(text);
        return;
      }
      default:
        this.send(MSG.CHANNEL_FAILURE);
    }
  }

  /** The client's SSH_CLIENT / SSH_CONNECTION, as sshd sets them. */
  private env(): Record<string, string> {
    const s = this.sock;
    return {
      SSH_CLIENT: `${s.remoteAddress} ${s.remotePort} 22`,
      SSH_CONNECTION: `${s.remoteAddress} ${s.remotePort} ${s.localAddress} 22`,
      ...(this.pty ? { SSH_TTY: `/dev/${this.pty.name}` } : {}),
    };
  }

  /** Run the command (or the login shell when null). */
  private run(command: string | null): void {
    const k = this.k;
    const host = this.host;
    const parent = this.proc!;
    if (this.pty) {
      const pty = this.pty;
      const tty = { kind: 'tty' as const, term: pty };
      if (command === null) pty.write(this.motd());
      const argv = command === null ? ['-bash'] : ['bash', '-c', command];
      const rec = k.kernelProcess({ host, kind: 'shell', title: argv.join(' '), argv, cwd: host.home, ppid: parent.pid, stdin: tty, stdout: tty, stderr: tty, tty: pty });
      // sshd's session child calls setsid() before it runs the shell.
      rec.sid = rec.pgid = rec.pid;
      pty.shellPid = rec.pid;
      const task = command === null
        ? this.w.runShell(host, pty, rec, { stdin: tty, stdout: tty, stderr: tty }, { interactive: true })
        : this.w.runShell(host, pty, rec, { stdin: tty, stdout: tty, stderr: tty }, { argv, env: this.env() });
      if (command !== null) pty.foreground.add(rec.pid);
      rec.waiters.push((code, signal) => { this.exit = { code, signal }; this.maybeDone(); });
      k.runTask(rec, task, (code) => k.endProcess(rec, typeof code === 'number' ? code : 1, null, 'exit'));
      return;
    }
    // No terminal: the streams are pipes to and from the channel.
    const stdin = new Pipe();
    stdin.addWriter();
    this.stdin = stdin;
    const out = new Pipe();
    const err = new Pipe();
    this.outputs = [out, err];
    const argv = command === null ? ['bash'] : ['bash', '-c', command];
    if (command === null) this.data(this.motd());
    const rec = k.kernelProcess({
      host, kind: 'shell', title: command === null ? '-bash' : argv.join(' '), argv: command === null ? ['-bash'] : argv, cwd: host.home, ppid: parent.pid,
      stdin: { kind: 'pipe', pipe: stdin }, stdout: { kind: 'pipe', pipe: out }, stderr: { kind: 'pipe', pipe: err }, tty: null,
    });
    rec.sid = rec.pgid = rec.pid;
    this.openStreams = 2;
    this.drain(out, (t) => this.data(t));
    this.drain(err, (t) => this.send(MSG.CHANNEL_EXTENDED_DATA, t));
    rec.waiters.push((code, signal) => { this.exit = { code, signal }; this.maybeDone(); });
    const task = this.w.runShell(host, null, rec, { stdin: { kind: 'pipe', pipe: stdin }, stdout: { kind: 'pipe', pipe: out }, stderr: { kind: 'pipe', pipe: err } }, { argv, env: this.env() });
    k.runTask(rec, task, (code) => k.endProcess(rec, typeof code === 'number' ? code : 1, null, 'exit'));
  }

  /** What the pam_motd of a Debian server prints: uname's line, then /etc/motd if there is one. */
  private motd(): string {
    const f = this.host.disk.lookup('/etc/motd');
    const motd = f && !f.isDir ? String.fromCharCode(...f.bytes()) : '';
    return `Linux ${this.host.name} 5.15.0-sim #1 SMP x86_64\n${motd ? `\n${motd}` : ''}`;
  }

  private data(text: string): void {
    if (this.channelOpen) this.send(MSG.CHANNEL_DATA, text);
  }

  /** Forward a pipe to the channel until every writer has closed it. */
  private drain(pipe: Pipe, to: (text: string) => void): void {
    const next = () => pipe.read((chunk) => {
      if (chunk === null) { this.openStreams--; this.maybeDone(); return; }
      to(chunk);
      if (!this.closed) next();
    });
    next();
  }

  /** Keys from the client's terminal: lines, Ctrl-C (0x03), Ctrl-D (0x04). */
  private ptyInput(payload: string): void {
    const pty = this.pty!;
    for (const c of payload) {
      if (c === '\x03') pty.interrupt();
      else if (c === '\x04') pty.input(null);
      else if (c === '\n') { pty.input(this.lineBuf); this.lineBuf = ''; }
      else this.lineBuf += c;
    }
  }

  private lineBuf = '';
  /** The sftp subsystem's input, and its process. */
  private sftp: ((text: string) => void) | null = null;
  private sftpProc: ProcRecord | null = null;

  /** The command ended and its output is drained: exit status, EOF, close. */
  private maybeDone(): void {
    if (this.closed || !this.exit || this.openStreams > 0) return;
    const { code, signal } = this.exit;
    if (signal) this.send(MSG.CHANNEL_REQUEST, fields('exit-signal', signal.replace(/^SIG/, '')));
    else this.send(MSG.CHANNEL_REQUEST, fields('exit-status', code));
    this.send(MSG.CHANNEL_EOF);
    this.send(MSG.CHANNEL_CLOSE);
    this.finish();
  }

  /** The connection ended (the client closed it, or it broke). */
  private lost(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.stdin) { this.stdin.closeWriter(); this.stdin = null; }
    for (const p of this.outputs) p.closeReader();
    if (this.pty) {
      this.pty.close();
      // The terminal hangs up: its processes get SIGHUP.
      for (const p of [...this.k.procs.values()]) if (p.tty === this.pty && p.state === 'running') this.k.signal(p.pid, 'SIGHUP');
    }
    this.finish();
  }

  private finish(): void {
    this.closed = true;
    this.sock.close();
    if (this.sftpProc && this.sftpProc.state === 'running') this.k.endProcess(this.sftpProc, 0, null, 'exit');
    if (this.proc && this.proc.state === 'running') this.k.endProcess(this.proc, 0, null, 'exit');
  }
}
