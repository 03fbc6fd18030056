/**
 * `nc` as Debian 12's netcat-openbsd 1.219-1 behaves, over the simulated network (its sockets
 * are kernel-side: kernel/kernel-sockets.ts), so a partition, a DROP rule or a stopped server
 * shows as on Linux: `nc: connect to 10.0.0.12 port 6379 (tcp) failed: Connection refused` at
 * once for a closed port or a REJECT, `... Connection timed out` after the SYN retries (127 s)
 * behind a DROP or a partition, `No route to host` after 3 s for a host that is down; with -w N
 * the connect gives up after N seconds (`... (tcp) timed out: Operation now in progress`).
 *
 * Client mode: ports one by one (`6379`, a range `6379-6381`, a name from /etc/services), `-z`
 * only connects, `-v` reports each connect on stderr (`Connection to redis-2 (10.0.0.12) 6379
 * port [tcp/*] succeeded!`); the exit status is 0 when any connect succeeded. Otherwise standard
 * input goes to the server and what it sends to standard output, until both the input and the
 * server's side have ended. As measured with the real nc: without -N or -q the server is not told
 * that the input ended (so `printf 'PING\r\n' | nc host 6379` prints +PONG and waits, as Redis
 * keeps the connection open); -N shuts the socket down for writing at the end of the input (Redis
 * then closes the connection and nc ends), -q N does the same and waits N seconds once both
 * sides are done; -w N also ends after N idle seconds; after the server closed, the next line
 * typed is answered by a reset, which ends nc; Ctrl-C ends it with status 0 (its SIGINT handler).
 * -C sends CRLF line ends, -i N waits N seconds between lines and between ports, -d reads no
 * input, -W N ends after N reads from the network.
 *
 * Listen mode (`nc -l 9999`, `-l -p 9999`, `-s ADDR`, `-k`): one connection at a time, -v says
 * `Listening on 0.0.0.0 9999` and `Connection received on redis-1 40312`.
 *
 * Not simulated (the simulated network has TCP over IPv4 only): UDP (-u), UNIX sockets (-U),
 * DCCP (-Z), proxies (-x, -X, -P), descriptor passing (-F), TCP MD5 (-S), routing tables (-V);
 * they answer `nc: -u: not supported by the simulated network`. The socket options (-D, -I, -O,
 * -T, -M, -m, -b, -t's telnet answers) change nothing here and are accepted.
 */
import type { CmdCtx, Command } from '../context';
import type { TaskGen } from '../../kernel/tasks';
import type { KernelSocket } from '../../kernel/kernel-sockets';
import { NET_ERRORS } from '../../kernel/network';
import { parseOpts, type ParsedOpt } from './operands';
import { readServices, serviceByName, serviceByPort } from './services';
import { Latch, pumpStdin, resolveHost, reverseName, roundTripMs, strtonum, timer } from './net-tool';
import { sleepWait } from '../context';

const USAGE = `usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
\t  [destination] [port]
`;

const HELP = `OpenBSD netcat (Debian patchlevel 1.219-1)
${USAGE}\tCommand Summary:
\t\t-4\t\tUse IPv4
\t\t-6\t\tUse IPv6
\t\t-b\t\tAllow broadcast
\t\t-C\t\tSend CRLF as line-ending
\t\t-D\t\tEnable the debug socket option
\t\t-d\t\tDetach from stdin
\t\t-F\t\tPass socket fd
\t\t-h\t\tThis help text
\t\t-I length\tTCP receive buffer length
\t\t-i interval\tDelay interval for lines sent, ports scanned
\t\t-k\t\tKeep inbound sockets open for multiple connects
\t\t-l\t\tListen mode, for inbound connects
\t\t-M ttl\t\tOutgoing TTL / Hop Limit
\t\t-m minttl\tMinimum incoming TTL / Hop Limit
\t\t-N\t\tShutdown the network socket after EOF on stdin
\t\t-n\t\tSuppress name/port resolutions
\t\t-O length\tTCP send buffer length
\t\t-P proxyuser\tUsername for proxy authentication
\t\t-p port\t\tSpecify local port for remote connects
\t\t-q secs\t\tquit after EOF on stdin and delay of secs
\t\t-r\t\tRandomize remote ports
\t\t-S\t\tEnable the TCP MD5 signature option
\t\t-s sourceaddr\tLocal source address
\t\t-T keyword\tTOS value
\t\t-t\t\tAnswer TELNET negotiation
\t\t-U\t\tUse UNIX domain socket
\t\t-u\t\tUDP mode
\t\t-V rtable\tSpecify alternate routing table
\t\t-v\t\tVerbose
\t\t-W recvlimit\tTerminate after receiving a number of packets
\t\t-w timeout\tTimeout for connects and final net reads
\t\t-X proto\tProxy protocol: "4", "5" (SOCKS) or "connect"
\t\t-x addr[:port]\tSpecify proxy address and port
\t\t-Z\t\tDCCP mode
\t\t-z\t\tZero-I/O mode [used for scanning]
\tPort numbers can be individual or ranges: lo-hi [inclusive]
`;

/** Options whose sockets the simulated network does not have. */
const UNSUPPORTED = 'uUZxXPFSV';

interface NcOptions {
  C: boolean; d: boolean; k: boolean; l: boolean; N: boolean; n: boolean; r: boolean; v: boolean; z: boolean;
  /** -i: seconds between lines and ports. */
  intervalS: number;
  /** -q: seconds to wait at the end, or -1 (never quit on its own). */
  quitS: number;
  /** -w: ms, or -1. */
  timeoutMs: number;
  /** -W: reads from the network before ending, or 0. */
  recvLimit: number;
  p: string | null;
  s: string | null;
}

/** Why nc ends (Latch value): its exit status. */
type Outcome = number;

class NcExit { constructor(readonly code: number) {} }

export const nc: Command = function* (ctx, argv) {
  const name = (argv[0] ?? 'nc').split('/').pop() || 'nc';
  try {
    return yield* ncMain(ctx, argv, name);
  } catch (e) {
    if (e instanceof NcExit) return e.code;
    throw e;
  }
};

function fail(ctx: CmdCtx, name: string, msg: string): never {
  ctx.err(`${name}: ${msg}\n`);
  throw new NcExit(1);
}

function usage(ctx: CmdCtx): never {
  ctx.err(USAGE);
  throw new NcExit(1);
}

function* ncMain(ctx: CmdCtx, argv: string[], name: string): TaskGen<number> {
  const parsed = parseOpts(argv, { flags: '46bCDdFhklNnrStUuvZz', withArg: 'IiMmOPpqsTVWwXx' });
  if ('error' in parsed) {
    ctx.err(`${parsed.error}\n`);
    usage(ctx);
  }
  const o: NcOptions = { C: false, d: false, k: false, l: false, N: false, n: false, r: false, v: false, z: false, intervalS: 0, quitS: -1, timeoutMs: -1, recvLimit: 0, p: null, s: null };
  for (const opt of parsed.opts) option(ctx, name, o, opt);
  const args = parsed.operands;

  // The operands, as nc's "cruft" sorts them out.
  let host: string | null = null;
  let ports: string[] = [];
  if (args.length === 0 && o.l) { if (o.p !== null) ports = [o.p]; host = o.s; }
  else if (args.length === 1 && o.p === null && o.s === null) { if (o.l) ports = [args[0]]; }
  else if (args.length >= 2) {
    if (o.l && (o.p !== null || o.s !== null || args.length > 2)) usage(ctx);
    host = args[0];
    ports = args.slice(1);
  } else usage(ctx);
  if (ports.length === 0 || ports[0] === '') fail(ctx, name, 'missing port number');
  if (o.l && o.z) fail(ctx, name, 'cannot use -z and -l');
  if (!o.l && o.k) fail(ctx, name, 'must use -l with -k');

  // Its SIGINT handler exits 0 (SIGPIPE is ignored: a write to a closed stdout just fails).
  const quit = new Latch<Outcome>();
  ctx.proc.catchSignal = (sig) => {
    if (sig === 'SIGINT') { quit.fire(0); return true; }
    return sig === 'SIGPIPE';
  };
  if (o.l) return yield* listenMode(ctx, name, o, host, ports[0], quit);
  return yield* clientMode(ctx, name, o, host!, ports, quit);
}

function option(ctx: CmdCtx, name: string, o: NcOptions, opt: ParsedOpt): void {
  const num = (what: string, min: number, max: number): number => {
    const r = strtonum(opt.value, min, max);
    if ('error' in r) fail(ctx, name, `${what} ${r.error}: ${opt.value}`);
    return r.value;
  };
  if (UNSUPPORTED.includes(opt.key)) fail(ctx, name, `-${opt.key}: not supported by the simulated network`);
  switch (opt.key) {
    case 'h': ctx.err(HELP); throw new NcExit(0);
    case 'C': o.C = true; return;
    case 'd': o.d = true; return;
    case 'k': o.k = true; return;
    case 'l': o.l = true; return;
    case 'N': o.N = true; return;
    case 'n': o.n = true; return;
    case 'r': o.r = true; return;
    case 'v': o.v = true; return;
    case 'z': o.z = true; return;
    case 'i': o.intervalS = num('interval', 0, 4294967295); return;
    case 'q': o.quitS = num('quit timer', -2147483648, 2147483647); if (o.quitS >= 0) o.N = true; return;
    case 'w': o.timeoutMs = num('timeout', 0, Math.floor(2147483647 / 1000)) * 1000; return;
    case 'W': o.recvLimit = num('receive limit', 1, 2147483647); return;
    case 'p': o.p = opt.value; return;
    case 's': o.s = opt.value; return;
    case 'M': num('ttl is', 0, 255); return;
    case 'm': num('minttl is', 0, 255); return;
    case 'I': num('TCP receive window', 1, 65536 << 14); return;
    case 'O': num('TCP send window', 1, 65536 << 14); return;
    // -4, -6, -b, -D, -t, -T: nothing the simulated sockets would do differently.
    default: return;
  }
}

/** build_ports(): the ports to try, in order. */
function buildPorts(ctx: CmdCtx, name: string, specs: string[], random: boolean): number[] {
  const services = readServices(ctx);
  const toPort = (s: string): number => {
    const r = strtonum(s, 1, 65535);
    if ('error' in r) fail(ctx, name, `port number ${r.error}: ${s}`);
    return r.value;
  };
  const out: number[] = [];
  for (const spec of specs) {
    const byName = serviceByName(services, spec, 'tcp');
    const dash = spec.indexOf('-');
    if (byName !== null) out.push(byName);
    else if (/^[0-9]/.test(spec) && dash >= 0) {
      let hi = toPort(spec.slice(dash + 1));
      let lo = toPort(spec.slice(0, dash));
      if (lo > hi) [lo, hi] = [hi, lo];
      for (let p = lo; p <= hi; p++) out.push(p);
    } else out.push(toPort(spec));
  }
  if (random) {
    // arc4random's shuffle, from the host's seeded generator.
    for (let i = out.length - 1; i > 0; i--) {
      const j = ctx.host.rng.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
  }
  return out;
}

function* clientMode(ctx: CmdCtx, name: string, o: NcOptions, host: string, portSpecs: string[], quit: Latch<Outcome>): TaskGen<number> {
  const ports = buildPorts(ctx, name, portSpecs, o.r);
  const ip = resolveHost(ctx, host, o.n);
  if (ip === null) fail(ctx, name, `getaddrinfo for host "${host}" port ${ports[0]}: Name or service not known`);
  const services = readServices(ctx);
  let status = 1;
  for (let i = 0; i < ports.length; i++) {
    if (i > 0 && o.intervalS > 0) yield sleepWait(ctx.kernel, o.intervalS * 1000);
    const port = ports[i];
    const result = new Latch<{ ok: true } | { ok: false; timedOut: boolean; code: string }>();
    const sock = ctx.kernel.kernelSockets.connect(ctx.proc, ip, port, {
      connected: () => result.fire({ ok: true }),
      closed: (code) => result.fire({ ok: false, timedOut: false, code: code ?? 'ECONNRESET' }),
    });
    const cancelTimeout = o.timeoutMs > 0 ? timer(ctx.kernel, o.timeoutMs, () => result.fire({ ok: false, timedOut: true, code: '' })) : null;
    const r: { ok: true } | { ok: false; timedOut: boolean; code: string } | Outcome = yield anyOf(result, quit);
    cancelTimeout?.();
    if (typeof r === 'number') { sock.close(); return r; }
    if (!r.ok) {
      sock.close();
      if (o.v) {
        const shown = o.n || host === ip ? `${host} port ${port}` : `${host} (${ip}) port ${port}`;
        ctx.err(r.timedOut
          ? `${name}: connect to ${shown} (tcp) timed out: Operation now in progress\n`
          : `${name}: connect to ${shown} (tcp) failed: ${NET_ERRORS[r.code] ?? r.code}\n`);
      }
      continue;
    }
    status = 0;
    if (o.v) {
      const service = (o.n ? null : serviceByPort(services, port, 'tcp')) ?? '*';
      ctx.err(`Connection to ${host}${!o.n && host !== ip ? ` (${ip})` : ''} ${port} port [tcp/${service}] succeeded!\n`);
    }
    if (o.z) { sock.close(); continue; }
    const end = yield* readwrite(ctx, o, sock, quit, false);
    if (end !== null) return end;
  }
  return status;
}

function* listenMode(ctx: CmdCtx, name: string, o: NcOptions, host: string | null, portSpec: string, quit: Latch<Outcome>): TaskGen<number> {
  const services = readServices(ctx);
  const byName = serviceByName(services, portSpec, 'tcp');
  let port = byName;
  if (port === null) {
    const r = strtonum(portSpec, 0, 65535);
    if ('error' in r) fail(ctx, name, `getaddrinfo: Servname not supported for ai_socktype`);
    port = r.value;
  }
  let address = '0.0.0.0';
  if (host !== null) {
    const ip = resolveHost(ctx, host, o.n);
    if (ip === null) fail(ctx, name, 'getaddrinfo: Name or service not known');
    address = ip;
  }
  const accepted: KernelSocket[] = [];
  let next: ((s: KernelSocket) => void) | null = null;
  const bound = new Latch<string | null>();
  ctx.kernel.kernelSockets.listen(ctx.proc, port, [address], 1, (s) => {
    if (next) { const n = next; next = null; n(s); } else accepted.push(s);
  }, (code) => bound.fire(code));
  const b: string | null | Outcome = yield anyOf(bound, quit);
  if (typeof b === 'number') return b;
  if (b !== null) fail(ctx, name, NET_ERRORS[b] ?? b);
  if (o.v) ctx.err(`Listening on ${o.n ? address : reverseListenName(ctx, address)} ${port}\n`);
  for (;;) {
    const conn = new Latch<KernelSocket>();
    const waiting = accepted.shift();
    if (waiting) conn.fire(waiting);
    else next = (s) => conn.fire(s);
    const c: KernelSocket | Outcome = yield anyOf(conn, quit);
    if (typeof c === 'number') return c;
    if (o.v) ctx.err(`Connection received on ${o.n ? c.remoteAddress : reverseName(ctx.kernel, c.remoteAddress)} ${c.remotePort}\n`);
    const end = yield* readwrite(ctx, o, c, quit, true);
    c.close();
    if (end !== null) return end;
    if (!o.k) return 0;
  }
}

/** getnameinfo of a listening address: the wildcard stays numeric. */
function reverseListenName(ctx: CmdCtx, address: string): string {
  return address === '0.0.0.0' ? address : reverseName(ctx.kernel, address);
}

/**
 * readwrite(): standard input to the socket, the socket to standard output, until nc is done
 * with this connection (null) or must exit now (a status: Ctrl-C, -q's end).
 */
function* readwrite(ctx: CmdCtx, o: NcOptions, sock: KernelSocket, quit: Latch<Outcome>, listening: boolean): TaskGen<number | null> {
  const k = ctx.kernel;
  const done = new Latch<'done'>();
  let stdinOpen = !o.d;
  let netInOpen = true;
  let stdoutOpen = true;
  let reads = 0;
  let resetPending = false;
  const idle: { cancel: (() => void) | null } = { cancel: null };
  const armIdle = () => {
    if (o.timeoutMs < 0) return;
    idle.cancel?.();
    idle.cancel = timer(k, o.timeoutMs, () => done.fire('done'));
  };
  const check = () => {
    // Both inputs gone (or, listening, the network's); both outputs gone.
    if ((!stdinOpen && !netInOpen) || (listening && !netInOpen) || (!stdinOpen && !stdoutOpen)) done.fire('done');
  };
  sock.events = {
    data: (text) => {
      if (!netInOpen) return;
      armIdle();
      if (stdoutOpen && !k.writeSink(ctx.proc.stdout, text, ctx.proc)) {
        // No one reads the output: stop reading the network.
        stdoutOpen = false;
        netInOpen = false;
      }
      if (o.recvLimit > 0 && ++reads >= o.recvLimit) { netInOpen = false; stdinOpen = false; }
      check();
    },
    closed: (code) => {
      armIdle();
      netInOpen = false;
      // A reset or a timeout: the socket is gone both ways.
      if (code !== null) stdinOpen = false;
      check();
    },
  };
  armIdle();
  let stopStdin: (() => void) | null = null;
  if (stdinOpen) {
    stopStdin = pumpStdin(ctx, (chunk) => {
      if (!stdinOpen) return;
      armIdle();
      if (chunk === null) {
        stdinOpen = false;
        if (o.N) sock.shutdownWrite();
        check();
        return;
      }
      const lines = o.C || o.intervalS > 0 ? splitLines(chunk) : [chunk];
      const send = (line: string) => {
        const text = o.C ? line.replace(/(^|[^\r])\n$/, '$1\r\n') : line;
        sock.write(text);
        // The server closed: its kernel answers with a reset, which ends nc.
        if (sock.peerClosed && !resetPending) {
          resetPending = true;
          timer(k, roundTripMs(k, sock), () => { stdinOpen = false; netInOpen = false; check(); });
        }
      };
      if (o.intervalS <= 0) { for (const l of lines) send(l); return; }
      return pace(k, lines, o.intervalS * 1000, send);
    });
  }
  const r: 'done' | Outcome = yield anyOf(done, quit);
  stopStdin?.();
  idle.cancel?.();
  if (typeof r === 'number') { sock.close(); return r; }
  if (o.quitS > 0) {
    const q: 'done' | Outcome = yield anyOf(sleepLatch(k, o.quitS * 1000), quit);
    sock.close();
    return typeof q === 'number' ? q : 0;
  }
  sock.close();
  return null;
}

/** Lines with their newlines (the last one may have none). */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** -i: the lines sent one by one, the interval after each. */
function pace(k: CmdCtx['kernel'], lines: string[], ms: number, send: (l: string) => void): import('../../kernel/tasks').Wait {
  return (resume) => {
    let i = 0;
    let cancel: (() => void) | null = null;
    const step = () => {
      if (i >= lines.length) { resume(null); return; }
      send(lines[i++]);
      cancel = timer(k, ms, step);
    };
    step();
    return () => cancel?.();
  };
}

function sleepLatch(k: CmdCtx['kernel'], ms: number): Latch<'done'> {
  const l = new Latch<'done'>();
  timer(k, ms, () => l.fire('done'));
  return l;
}

/** Wait for whichever latch fires first. */
function anyOf<A, B>(a: Latch<A>, b: Latch<B>): import('../../kernel/tasks').Wait {
  return (resume) => {
    let live = true;
    let cancelA = undefined as (() => void) | void;
    let cancelB = undefined as (() => void) | void;
    cancelA = a.wait()((v) => { if (live) { live = false; cancelB?.(); resume(v); } });
    if (!live) return;
    cancelB = b.wait()((v) => { if (live) { live = false; cancelA?.(); resume(v); } });
    return () => { live = false; cancelA?.(); cancelB?.(); };
  };
}
