/**
 * `ssh` as OpenSSH 9.2 (Debian 12) behaves, over the simulated network to the host's sshd
 * (ssh/sshd.ts, ssh/client.ts): `ssh 10.0.0.12 'redis-cli info replication'` runs the command
 * in the remote host's shell, its output streamed back, its status ssh's; `ssh redis-2` opens a
 * login shell on the same terminal (its prompt is the remote host's; `exit` comes back,
 * `Connection to redis-2 closed.`). Failures as OpenSSH words them, status 255: `ssh: connect to
 * host 10.0.0.12 port 22: Connection refused` (sshd killed, REJECT), `... Connection timed out`
 * after the kernel's SYN retries (127 s) behind a DROP or a partition, or after `-o
 * ConnectTimeout=N`; `ssh: Could not resolve hostname foo: Name or service not known`;
 * `Connection to redis-2 closed by remote host.` when the server goes away.
 *
 * Options: `-p PORT`, `-l USER` and `USER@HOST`, `-o Option=value` (ConnectTimeout, Port, User,
 * RequestTTY, LogLevel; the others of a lab's command lines, such as BatchMode and
 * StrictHostKeyChecking, change nothing here), -t/-T, -n, -q, -V; -4/-6/-C/-x/-a/-k/-y/-i/-F do
 * nothing the simulation would show. Forwarding, multiplexing, -f, -N and the debug output of -v
 * are not simulated: `ssh: -L: not supported by the simulated network`.
 *
 * Without a terminal the standard input goes to the remote command (`-n` or a command with a
 * terminal: none is needed), its output and errors to ssh's. With a terminal (no command and a
 * terminal for standard input, or -t) the remote pty's reads are the client terminal's lines,
 * Ctrl-C and Ctrl-D go to the remote side; without -t a Ctrl-C ends ssh (status 255).
 */
import type { CmdCtx, Command } from '../context';
import type { TaskGen } from '../../kernel/tasks';
import { SshConnection, type SessionEnd } from '../../ssh/client';
import { pumpStdin, resolveHost } from './net-tool';

export const SSH_USAGE = `usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]
           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]
           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]
           [-i identity_file] [-J [user@]host[:port]] [-L address]
           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]
           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]
           [-w local_tun[:remote_tun]] destination [command [argument ...]]
`;

export const SSH_VERSION = 'OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.19 27 Jan 2026\n';

const OPTSTRING = '1246ab:c:e:fgi:kl:m:no:p:qstvxAB:CD:E:F:GI:J:KL:MNO:P:Q:R:S:TVw:W:XYy';
/** Options for forwarding, multiplexing and the like, which the simulated network has no use for. */
const UNSUPPORTED = 'fgsvADGJKLMNOQRSWwXYe';

/** What the command line and -o options set (ssh_config's names, lowercased). */
export interface SshOptions {
  port: number | null;
  user: string | null;
  connectTimeoutMs: number | null;
  requestTty: 'auto' | 'yes' | 'no' | 'force';
  quiet: boolean;
  noStdin: boolean;
}

export function newSshOptions(): SshOptions {
  return { port: null, user: null, connectTimeoutMs: null, requestTty: 'auto', quiet: false, noStdin: false };
}

/** The exit of a bad command line, its message already printed. */
export class SshExit { constructor(readonly code: number) {} }

/** What ended an option scan early: an option not in the string, one the simulation lacks, one without its argument. */
export type BsdOptionError = 'unknown' | 'unsupported' | 'missing';

/**
 * OpenBSD getopt(3), as ssh and scp parse: options from `argv[start]` up to the first operand,
 * `-` or `--` (no permutation), clustered (`-qp 22`, `-p22`). `each` gets every option in
 * order with its argument ('' for a flag) and may return an exit status to stop there; `fail`
 * says what to print for an error and returns the status. The letters of `unsupported` fail
 * before their argument is read. `next` is the index of the first operand. (OpenSSH reports
 * getopt's errors through its log, which ends a line with \r\n, the usage after it with \n.)
 */
export function bsdGetopt(
  argv: string[], start: number, optstring: string, unsupported: string,
  each: (c: string, value: string) => number | void,
  fail: (error: BsdOptionError, c: string) => number,
): { next: number; status: number | null } {
  let i = start;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return { next: i + 1, status: null };
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const at = optstring.indexOf(c);
      if (at < 0 || c === ':') return { next: i, status: fail('unknown', c) };
      if (unsupported.includes(c)) return { next: i, status: fail('unsupported', c) };
      let value = '';
      if (optstring[at + 1] === ':') {
        value = a.slice(j + 1) || argv[++i];
        if (value === undefined) return { next: i, status: fail('missing', c) };
        j = a.length;
      }
      const status = each(c, value);
      if (typeof status === 'number') return { next: i, status };
    }
  }
  return { next: i, status: null };
}

/** A command whose helpers end it by throwing SshExit (ssh and scp exit 255 from deep inside). */
export function exitsBySshExit(main: (ctx: CmdCtx, argv: string[]) => TaskGen<number>): Command {
  return function* (ctx, argv) {
    try {
      return yield* main(ctx, argv);
    } catch (e) {
      if (e instanceof SshExit) return e.code;
      throw e;
    }
  };
}

/** `-o Name=value` / `-o 'Name value'` (the options a lab uses; ssh's messages for bad ones). */
export function sshOption(ctx: CmdCtx, o: SshOptions, text: string): void {
  const m = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(text);
  if (!m) { ctx.err(`command-line: line 0: Bad configuration option: ${text.trim().toLowerCase()}\r\n`); throw new SshExit(255); }
  const name = m[1].toLowerCase();
  const value = m[2].trim();
  switch (name) {
    case 'connecttimeout': {
      if (!/^\d+$/.test(value)) { ctx.err('command-line line 0: invalid time value.\r\n'); throw new SshExit(255); }
      o.connectTimeoutMs ??= Number(value) * 1000;
      return;
    }
    case 'port': o.port ??= sshPort(ctx, value); return;
    case 'user': o.user ??= value; return;
    case 'requesttty': o.requestTty = value.toLowerCase() === 'force' ? 'force' : value.toLowerCase() === 'yes' ? 'yes' : value.toLowerCase() === 'no' ? 'no' : 'auto'; return;
    case 'loglevel': if (value.toLowerCase() === 'quiet') o.quiet = true; return;
    case 'batchmode': case 'stricthostkeychecking': case 'userknownhostsfile': case 'identityfile': case 'identitiesonly':
    case 'passwordauthentication': case 'pubkeyauthentication': case 'serveraliveinterval': case 'serveralivecountmax':
    case 'compression': case 'forwardagent': case 'globalknownhostsfile': case 'hostname': case 'addressfamily':
      return;
    default:
      ctx.err(`command-line: line 0: Bad configuration option: ${name}\r\n`);
      throw new SshExit(255);
  }
}

export function sshPort(ctx: CmdCtx, text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) { ctx.err(`Bad port '${text}'\r\n`); throw new SshExit(255); }
  return n;
}

export const ssh: Command = exitsBySshExit(sshMain);

function* sshMain(ctx: CmdCtx, argv: string[]): TaskGen<number> {
  const o = newSshOptions();
  let forceTty = 0;
  let noTty = false;
  let host: string | null = null;
  let i = 1;
  const fail = (error: BsdOptionError, c: string): number => {
    if (error === 'unsupported') ctx.err(`ssh: -${c}: not supported by the simulated network\r\n`);
    else ctx.err(`${error === 'unknown' ? 'unknown option' : 'option requires an argument'} -- ${c}\r\n${SSH_USAGE}`);
    return 255;
  };
  const each = (c: string, value: string): number | void => {
    switch (c) {
      case 'V': ctx.err(SSH_VERSION); return 0;
      case 'p': o.port = sshPort(ctx, value); break;
      case 'l': o.user = value; break;
      case 'o': sshOption(ctx, o, value); break;
      case 't': forceTty++; break;
      case 'T': noTty = true; break;
      case 'n': o.noStdin = true; break;
      case 'q': o.quiet = true; break;
      default: break;
    }
  };
  // Options may also follow the destination, before the command.
  for (;;) {
    const scan = bsdGetopt(argv, i, OPTSTRING, UNSUPPORTED, each, fail);
    if (scan.status !== null) return scan.status;
    i = scan.next;
    if (host !== null || i >= argv.length) break;
    host = argv[i++];
    if (i >= argv.length || !argv[i].startsWith('-')) break;
  }
  if (host === null) { ctx.err(SSH_USAGE); return 255; }
  let user = o.user;
  let hostName = host;
  const uri = /^ssh:\/\/(?:([^@/]*)@)?([^:/]+)(?::(\d+))?\/?$/.exec(host);
  if (uri) {
    user ??= uri[1] ?? null;
    hostName = uri[2];
    if (uri[3] !== undefined && o.port === null) o.port = sshPort(ctx, uri[3]);
  } else {
    const at = host.lastIndexOf('@');
    if (at === 0) { ctx.err(SSH_USAGE); return 255; }
    if (at > 0) { user ??= host.slice(0, at); hostName = host.slice(at + 1); }
  }
  const command = argv.slice(i).join(' ');
  const port = o.port ?? 22;
  const ip = resolveHost(ctx, hostName);
  if (ip === null) {
    ctx.err(`ssh: Could not resolve hostname ${hostName.toLowerCase()}: Name or service not known\r\n`);
    return 255;
  }
  const stdinTty = ctx.stdin.kind === 'tty' && !o.noStdin;
  if (noTty) o.requestTty = 'no';
  else if (forceTty >= 2) o.requestTty = 'force';
  else if (forceTty === 1) o.requestTty = 'yes';
  let wantTty = o.requestTty === 'force' || (o.requestTty === 'yes' && stdinTty) || (o.requestTty === 'auto' && command === '' && stdinTty);
  if (o.requestTty === 'yes' && !stdinTty || (o.requestTty === 'auto' && command === '' && !stdinTty)) {
    if (!o.quiet) ctx.err('Pseudo-terminal will not be allocated because stdin is not a terminal.\r\n');
    wantTty = false;
  }
  const conn = new SshConnection(ctx, hostName, ip, port, user ?? 'root');
  // A signal before the session (Ctrl-C while connecting) ends ssh with 255.
  ctx.proc.catchSignal = (sig) => {
    if (sig === 'SIGINT' || sig === 'SIGTERM' || sig === 'SIGHUP' || sig === 'SIGQUIT') { conn.abort(); return true; }
    return sig === 'SIGPIPE';
  };
  // Every way of failing to log in has printed its message.
  if (!(yield* conn.open(o.connectTimeoutMs))) return 255;
  const term = wantTty ? ctx.term : null;
  const out = (t: string) => { ctx.kernel.writeSink(ctx.proc.stdout, t, ctx.proc); };
  const err = (t: string) => { ctx.kernel.writeSink(ctx.proc.stderr, t, ctx.proc); };
  conn.events = { data: out, extended: err };
  let stopStdin: (() => void) | null = null;
  if (wantTty && term) {
    // The remote terminal's reads become this terminal's; Ctrl-C goes over as 0x03.
    conn.requestPty(term.id, term.columns, term.lines);
    const pid = ctx.proc.pid;
    let reading = false;
    conn.events.reading = (r) => {
      if (reading) { term.cancelReader(pid); reading = false; }
      if (!r) return;
      reading = true;
      term.requestLine({
        pid, prompt: r.prompt, mask: r.mask, raw: r.raw,
        resume: (line) => { reading = false; conn.write(line === null ? '\x04' : `${line}\n`); },
      });
    };
    ctx.proc.catchSignal = (sig) => {
      if (sig === 'SIGINT') { conn.write('\x03'); return true; }
      if (sig === 'SIGTERM' || sig === 'SIGHUP' || sig === 'SIGQUIT') { conn.abort(); return true; }
      return sig === 'SIGPIPE';
    };
    stopStdin = () => { if (reading) term.cancelReader(pid); };
  } else if (!o.noStdin) {
    stopStdin = pumpStdin(ctx, (chunk) => { if (chunk === null) conn.eof(); else conn.write(chunk); });
  } else conn.eof();
  if (command === '') conn.shell();
  else conn.exec(command);
  const end: SessionEnd = yield conn.ended.wait();
  stopStdin?.();
  if (end.kind === 'failed') return 255;
  if (wantTty && !o.quiet) err(`Connection to ${hostName} closed.\r\n`);
  return end.code;
}
