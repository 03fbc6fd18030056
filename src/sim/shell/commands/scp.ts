/**
 * `scp` as OpenSSH 9.2 (Debian 12) behaves in its default SFTP mode, through the same
 * connection as ssh (ssh/client.ts) to the remote sshd's sftp-server (ssh/sftp-server.ts), so
 * the bytes cross the simulated network: a slow link takes its time, a partition stalls the
 * copy, a DROP rule or a dead sshd fails it as ssh fails (`ssh: connect to host … port 22: …`,
 * then `scp: Connection closed`, status 255).
 *
 * `scp FILE… [USER@]HOST:[PATH]` uploads, `scp HOST:PATH… LOCAL` downloads (into a directory
 * under the source's name, else to that name), `-r` copies directories, `-p` keeps the mode and
 * the modification time. Without -p a new file gets its source's permission bits less the
 * receiving side's umask (022 for the server, the shell's for a download), an existing file keeps
 * its mode, and the modification time is the copy's. Both operands local: scp runs cp (as the
 * real one does, so its errors are cp's). Errors as measured: `scp: /x: No such file or
 * directory` (status 1), `scp: stat local "/x": No such file or directory` (255), `scp: local
 * "/d" is not a regular file` and `scp: download /d/: not a regular file` without -r, `scp: dest
 * open "/a/b": No such file or directory` then `scp: failed to upload file F to T`.
 * Remote-to-remote copies (through this host, as -3) and -l's bandwidth limit are not
 * simulated.
 */
import type { CmdCtx, Command } from '../context';
import type { TaskGen } from '../../kernel/tasks';
import { resolvePath } from '../../runtime/paths';
import { SshConnection } from '../../ssh/client';
import { FXP, PacketReader, fields, packet, splitFields } from '../../ssh/wire';
import { Latch, resolveHost } from './net-tool';
import { bsdGetopt, exitsBySshExit, newSshOptions, sshOption, sshPort, SshExit, type BsdOptionError } from './ssh';
import { cp } from './files';
import { ERRNO } from '../context';

const USAGE = `usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] [-F ssh_config]
           [-i identity_file] [-J destination] [-l limit] [-o ssh_option]
           [-P port] [-S program] [-X sftp_option] source ... target
`;

/** sftp-server's status for an errno, as scp prints it (errno_to_portable). */
function fxStatus(errno: string): string {
  if (errno === 'ENOENT' || errno === 'ENOTDIR') return 'No such file or directory';
  if (errno === 'EACCES' || errno === 'EPERM') return 'Permission denied';
  return 'Failure';
}

const OPTSTRING = '12346ABCOpqRrsTvc:D:F:i:J:l:o:P:S:X:';
const UNSUPPORTED = 'vJ3';
const WRITE_CHUNK_BYTES = 32 * 1024;
/** The answer of a request whose connection broke. */
const LOST = -1;

interface Remote { user: string | null; host: string; path: string; port: number | null }

/** `[user@]host:path`, `scp://[user@]host[:port][/path]`, or null for a local path. */
function parseRemote(arg: string): Remote | null {
  const uri = /^scp:\/\/(?:([^@/]*)@)?([^:/]+)(?::(\d+))?(?:\/(.*))?$/.exec(arg);
  if (uri) return { user: uri[1] ?? null, host: uri[2], port: uri[3] ? Number(uri[3]) : null, path: uri[4] ?? '' };
  const colon = arg.indexOf(':');
  if (colon <= 0) return null;
  const slash = arg.indexOf('/');
  if (slash >= 0 && slash < colon) return null;
  const left = arg.slice(0, colon);
  const at = left.lastIndexOf('@');
  return { user: at >= 0 ? left.slice(0, at) : null, host: at >= 0 ? left.slice(at + 1) : left, path: arg.slice(colon + 1), port: null };
}

type Attrs = { dir: boolean; mode: number; size: number; mtimeMs: number };

function parseAttrs(f: string[]): Attrs {
  return { dir: f[0] === 'd', mode: Number(f[1]), size: Number(f[2]), mtimeMs: Number(f[3]) };
}

/** SFTP requests over a session channel, answered in order. */
class Sftp {
  private nextId = 0;
  private readonly waiting = new Map<string, { type: number; f: string[]; data: string[]; done: Latch<{ type: number; f: string[]; data: string }> }>();
  private readonly reader: PacketReader;

  constructor(private readonly conn: SshConnection) {
    this.reader = new PacketReader(null, (type, payload) => this.answer(type, payload));
    conn.events = { data: (t) => this.reader.push(t) };
    // The connection broke (its message is printed): every request waiting fails.
    conn.ended.wait()(() => {
      for (const w of [...this.waiting.values()]) w.done.fire({ type: LOST, f: [], data: '' });
      this.waiting.clear();
    });
  }

  private answer(type: number, payload: string): void {
    const id = payload.slice(0, payload.indexOf('\0') < 0 ? payload.length : payload.indexOf('\0'));
    const w = this.waiting.get(id);
    if (!w) return;
    if (type === FXP.DATA) { w.data.push(payload.slice(id.length + 1)); return; }
    this.waiting.delete(id);
    w.done.fire({ type, f: splitFields(payload).slice(1), data: w.data.join('') });
  }

  /** Send a request; its answer comes through `wait` (null if the connection ended first). */
  request(type: number, ...args: (string | number)[]): Latch<{ type: number; f: string[]; data: string }> {
    const id = String(++this.nextId);
    const done = new Latch<{ type: number; f: string[]; data: string }>();
    this.waiting.set(id, { type, f: [], data: [], done });
    this.conn.write(packet(type, fields(id, ...args)));
    return done;
  }

  /** Send a request and wait for its answer; a broken connection ends scp (status 255). */
  *ask(ctx: CmdCtx, type: number, ...args: (string | number)[]): TaskGen<{ type: number; f: string[]; data: string }> {
    const r = (yield this.request(type, ...args).wait()) as { type: number; f: string[]; data: string };
    if (r.type === LOST) { ctx.err('scp: Connection closed\n'); throw new SshExit(255); }
    return r;
  }

  /** WRITE carries raw bytes after its handle. */
  write(handle: string, bytes: string): void {
    this.conn.write(packet(FXP.WRITE, `${++this.nextId}\0${handle}\0${bytes}`));
  }
}

export const scp: Command = exitsBySshExit(scpMain);

function* scpMain(ctx: CmdCtx, argv: string[]): TaskGen<number> {
  const o = newSshOptions();
  let recursive = false;
  let preserve = false;
  const fail = (error: BsdOptionError, c: string): number => {
    if (error === 'unsupported') ctx.err(`scp: -${c}: not supported by the simulated network\n`);
    else ctx.err(`scp: ${error === 'unknown' ? 'unknown option' : 'option requires an argument'} -- ${c}\r\n${USAGE}`);
    return 1;
  };
  const scan = bsdGetopt(argv, 1, OPTSTRING, UNSUPPORTED, (c, value) => {
    if (c === 'r') recursive = true;
    else if (c === 'p') preserve = true;
    else if (c === 'q') o.quiet = true;
    else if (c === 'P') o.port = sshPort(ctx, value);
    else if (c === 'o') sshOption(ctx, o, value);
  }, fail);
  if (scan.status !== null) return scan.status;
  const i = scan.next;
  const operands = argv.slice(i);
  if (operands.length < 2) { ctx.err(USAGE); return 1; }
  const target = operands[operands.length - 1];
  const sources = operands.slice(0, -1);
  const remoteTarget = parseRemote(target);
  const remoteSources = sources.map(parseRemote);
  if (!remoteTarget && remoteSources.every((r) => r === null)) {
    // Local to local: scp runs cp.
    return yield* cp(ctx, ['cp', ...(recursive ? ['-r'] : []), ...(preserve ? ['-p'] : []), '--', ...sources, target]);
  }
  if (remoteTarget && remoteSources.some((r) => r !== null)) { ctx.err('scp: copies between two remote hosts are not supported by the simulation\n'); return 1; }

  const remote = remoteTarget ?? remoteSources.find((r) => r !== null)!;
  const conn = yield* connect(ctx, remote, o);
  if (!conn) return 255;
  const sftp = new Sftp(conn);
  let status = 0;
  if (remoteTarget) {
    const dest = remoteTarget.path;
    const st = yield* sftp.ask(ctx, FXP.STAT, dest);
    const destIsDir = st.type === FXP.ATTRS && parseAttrs(st.f.slice(1)).dir;
    for (const src of sources) {
      const r: number = yield* upload(ctx, sftp, src, destIsDir ? joinRemote(dest, basename(src)) : dest, target, recursive, preserve);
      status = Math.max(status, r);
      if (r === 255) break;
    }
  } else {
    const local = resolvePath(ctx.cwd, target);
    const targetNode = ctx.host.disk.lookup(local);
    for (let k = 0; k < sources.length; k++) {
      const src = remoteSources[k]!;
      const name = basename(src.path === '' ? '.' : src.path);
      const r: number = yield* download(ctx, sftp, src.path, targetNode?.isDir ? resolvePath(local, name) : local, recursive, preserve);
      status = Math.max(status, r);
    }
  }
  conn.closeChannel();
  return status;
}

/** ssh's connection for scp: its errors, then `scp: Connection closed`. */
function* connect(ctx: CmdCtx, r: Remote, o: ReturnType<typeof newSshOptions>): TaskGen<SshConnection | null> {
  const ip = resolveHost(ctx, r.host);
  if (ip === null) {
    ctx.err(`ssh: Could not resolve hostname ${r.host.toLowerCase()}: Name or service not known\r\nscp: Connection closed\n`);
    return null;
  }
  const conn = new SshConnection(ctx, r.host, ip, r.port ?? o.port ?? 22, r.user ?? o.user ?? 'root');
  ctx.proc.catchSignal = (sig) => {
    if (sig === 'SIGINT' || sig === 'SIGTERM' || sig === 'SIGHUP') { conn.abort(); return true; }
    return sig === 'SIGPIPE';
  };
  if (!(yield* conn.open(o.connectTimeoutMs))) { ctx.err('scp: Connection closed\n'); return null; }
  conn.subsystem('sftp');
  return conn;
}

function basename(p: string): string {
  const t = p.replace(/\/+$/, '');
  return t.slice(t.lastIndexOf('/') + 1) || t;
}

function joinRemote(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function* upload(ctx: CmdCtx, sftp: Sftp, src: string, dest: string, targetArg: string, recursive: boolean, preserve: boolean): TaskGen<number> {
  const path = resolvePath(ctx.cwd, src);
  const n = ctx.host.disk.lookup(path);
  if (!n) { ctx.err(`scp: stat local "${src}": No such file or directory\n`); return 255; }
  if (n.isDir) {
    if (!recursive) {
      ctx.err(`scp: local "${src}" is not a regular file\nscp: failed to upload file ${src} to ${targetArg}\n`);
      return 1;
    }
    const mk = yield* sftp.ask(ctx, FXP.MKDIR, dest, n.mode);
    if (mk.f[0] !== 'OK') { ctx.err(`scp: remote mkdir "${dest}": ${fxStatus(mk.f[0])}\n`); return 255; }
    const names = ctx.host.disk.list(path);
    let status = 0;
    if (typeof names !== 'string') {
      for (const name of names.filter((x) => x !== '.' && x !== '..')) {
        status = Math.max(status, yield* upload(ctx, sftp, `${src.replace(/\/+$/, '')}/${name}`, `${dest}/${name}`, targetArg, recursive, preserve));
      }
    }
    if (preserve) yield* sftp.ask(ctx, FXP.SETSTAT, dest, n.mode, n.mtimeMs);
    return status;
  }
  const opened = yield* sftp.ask(ctx, FXP.OPEN, dest, n.mode);
  if (opened.f[0] !== 'OK') {
    ctx.err(`scp: dest open "${dest}": ${fxStatus(opened.f[0])}\nscp: failed to upload file ${src} to ${targetArg}\n`);
    return 1;
  }
  const handle = opened.f[1];
  const bytes = n.bytes();
  for (let at = 0; at < bytes.length; at += WRITE_CHUNK_BYTES) sftp.write(handle, String.fromCharCode(...bytes.subarray(at, Math.min(bytes.length, at + WRITE_CHUNK_BYTES))));
  yield* sftp.ask(ctx, FXP.CLOSE, handle);
  if (preserve) yield* sftp.ask(ctx, FXP.SETSTAT, dest, n.mode, n.mtimeMs);
  return 0;
}

function* download(ctx: CmdCtx, sftp: Sftp, src: string, local: string, recursive: boolean, preserve: boolean): TaskGen<number> {
  const st = yield* sftp.ask(ctx, FXP.STAT, src);
  if (st.type !== FXP.ATTRS) { ctx.err(`scp: ${src}: ${fxStatus(st.f[0])}\n`); return 1; }
  const a = parseAttrs(st.f.slice(1));
  const disk = ctx.host.disk;
  const now = ctx.kernel.now;
  if (a.dir) {
    if (!recursive) { ctx.err(`scp: download ${st.f[0].replace(/\/?$/, '/')}: not a regular file\n`); return 1; }
    const e = disk.mkdir(local, false, now, a.mode & 0o777 & ~ctx.proc.umask);
    if (e !== null && !(e === 'EEXIST' && disk.lookup(local)?.isDir)) { ctx.err(`scp: local mkdir "${local}": ${ERRNO[e] ?? e}\n`); return 1; }
    const list = yield* sftp.ask(ctx, FXP.READDIR, src);
    let status = 0;
    for (const entry of list.type === FXP.NAME ? list.f.filter((x) => x !== '') : []) {
      const name = entry.split('\x01')[0];
      status = Math.max(status, yield* download(ctx, sftp, `${src.replace(/\/+$/, '')}/${name}`, resolvePath(local, name), recursive, preserve));
    }
    if (preserve) { const d = disk.lookup(local); if (d) { d.mtimeMs = a.mtimeMs; disk.chmod(local, a.mode); } }
    return status;
  }
  const got = yield* sftp.ask(ctx, FXP.READ, src);
  if (got.f[0] !== 'EOF') { ctx.err(`scp: ${src}: ${fxStatus(got.f[0])}\n`); return 1; }
  const f = disk.create(local, true, ctx.kernel.now, false, a.mode & 0o777 & ~ctx.proc.umask);
  if (typeof f === 'string') { ctx.err(`scp: open local "${local}": ${ERRNO[f] ?? f}\n`); return 1; }
  const bytes = new Uint8Array(got.data.length);
  for (let k = 0; k < got.data.length; k++) bytes[k] = got.data.charCodeAt(k) & 0xff;
  ctx.kernel.writeInode(ctx.host, f, local, bytes);
  if (preserve) { f.mtimeMs = a.mtimeMs; disk.chmod(local, a.mode); }
  return 0;
}
