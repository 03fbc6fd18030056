/**
 * `ping` as Debian 12's iputils-ping 20221126 answers, over the simulated network's ICMP echo
 * path (kernel/icmp.ts): the same links (latency, jitter, bandwidth, loss), partitions, iptables
 * rules (`-p icmp` or every protocol), hosts that are down. What it prints follows iputils'
 * ping.c and ping_common.c line by line:
 *
 *   PING redis-2 (10.0.0.12) 56(84) bytes of data.
 *   64 bytes from redis-2 (10.0.0.12): icmp_seq=1 ttl=64 time=0.412 ms
 *   From redis-1 (10.0.0.11) icmp_seq=2 Destination Host Unreachable
 *   (a blank line, then)
 *   --- redis-2 ping statistics ---
 *   3 packets transmitted, 1 received, +2 errors, 66.6667% packet loss, time 2000ms
 *   rtt min/avg/max/mdev = 0.412/0.412/0.412/0.000 ms, pipe 3
 *
 * The times are the virtual round trip in microseconds, printed with iputils' precision (three
 * decimals below 1 ms, two below 10 ms, one below 100 ms, none above); "time" in the summary is
 * from the first request to the last one sent. A name is printed as `name (address)` (reverse
 * lookup as net-tool.ts's reverseName), a numeric target or -n prints addresses only.
 *
 * When it ends (iputils' main loop): after -c COUNT answers (replies and errors); or, the count
 * sent, after twice the longest round trip (at least the interval) if anything was received,
 * else after -W's linger time (10 s); at -w DEADLINE seconds (which also lets it send past the
 * count, and ends it at the first error); at Ctrl-C (SIGINT) or SIGALRM, printing the summary.
 * SIGQUIT (Ctrl-\) prints the running status line on stderr. Exit status: 0 when a reply came
 * (with -w, when COUNT replies came), 1 otherwise, 2 for bad options and unknown hosts.
 *
 * Options: -c -i -W -w -q -s -n -D (timestamps) -O (report outstanding replies) -V -h; options
 * that change nothing here (-4 -a -A -B -C -d -e -L -m -M -p -Q -r -S -t -U -v) are accepted;
 * those the simulated network has no model for (-f flood, -l preload, -R, -T, -I, -b, -6, -F,
 * -N) answer `ping: -f: not supported by the simulated network`.
 */
import type { CmdCtx, Command } from '../context';
import type { TaskGen } from '../../kernel/tasks';
import type { EchoAnswer } from '../../kernel/icmp';
import { ICMP_HEADER_BYTES, IP_HEADER_BYTES } from '../../kernel/icmp';
import { parseIPv4 } from '../../kernel/firewall';
import { parseOpts } from './operands';
import { Latch, resolveHost, reverseName, timer } from './net-tool';

const USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
`;

const VERSION = 'ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n';

/** getopt's string in ping.c. */
const FLAGS = 'h?4bRaABCdDfLnOqrUvV6';
const WITH_ARG = 'TFNceiIlmMpQsStwW';
/** What the simulated network has no model for. */
const UNSUPPORTED = 'fRTIlb6FN';

/** MAXWAIT: seconds to wait for a response after the last request by default. */
const MAXWAIT_MS = 10_000;
/** MININTERVAL: the gap between requests with -i 0 while one is unanswered. */
const MININTERVAL_MS = 10;
/** sizeof(struct timeval): a payload this big carries the send time, so round trips are timed. */
const TIMEVAL_BYTES = 16;
const INT_MAX = 2147483647;
const LONG_MAX = '9223372036854775807';

class PingExit { constructor(readonly code: number) {} }

export const ping: Command = function* (ctx, argv) {
  try {
    return yield* pingMain(ctx, argv);
  } catch (e) {
    if (e instanceof PingExit) return e.code;
    throw e;
  }
};

function die(ctx: CmdCtx, code: number, msg: string): never {
  ctx.err(`ping: ${msg}\n`);
  throw new PingExit(code);
}

/** iputils' strtol_or_err: a decimal long within [min, max], else exit 1. */
function strtolOrErr(ctx: CmdCtx, s: string, min: number, max: number, maxText = String(max)): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(s);
  if (!m) die(ctx, 1, `invalid argument: '${s}'`);
  const big = BigInt(m[1]);
  if (big > BigInt(LONG_MAX) || big < -BigInt(LONG_MAX) - 1n) die(ctx, 1, `invalid argument: '${s}': Numerical result out of range`);
  if (big < BigInt(min) || big > BigInt(maxText)) die(ctx, 1, `invalid argument: '${s}': out of range: ${min} <= value <= ${maxText}`);
  // A count past 2^53 is as good as endless here.
  return Math.min(Number(big), max);
}

/** iputils' ping_strtod: strtod's number, garbage after it only warned about. */
function strtod(ctx: CmdCtx, s: string, what: string): number {
  if (s === '') die(ctx, 2, `${what}: `);
  const m = /^[ \t\n\v\f\r]*([+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))/i.exec(s);
  const text = m ? m[1] : '';
  const rest = m ? s.slice(m[0].length) : s;
  if (!m || rest !== '') {
    ctx.err(`ping: option argument contains garbage: ${rest}\nping: this will become fatal error in the future\n`);
  }
  const v = m ? Number(text.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity').replace(/^[+-]?nan$/i, 'NaN')) : 0;
  if (!Number.isFinite(v)) die(ctx, 2, `${what}: ${s}: Numerical result out of range`);
  return v;
}

interface Options {
  /** -c: 0 for no count. */
  count: number;
  intervalMs: number;
  lingerMs: number;
  /** -w: seconds, 0 for none. */
  deadlineS: number;
  dataBytes: number;
  quiet: boolean;
  numeric: boolean;
  timestamps: boolean;
  outstanding: boolean;
}

function* pingMain(ctx: CmdCtx, argv: string[]): TaskGen<number> {
  const parsed = parseOpts(argv, { flags: FLAGS, withArg: WITH_ARG });
  if ('error' in parsed) {
    ctx.err(`${parsed.error}\n${USAGE}`);
    return 2;
  }
  const o: Options = { count: 0, intervalMs: 1000, lingerMs: MAXWAIT_MS, deadlineS: 0, dataBytes: 56, quiet: false, numeric: false, timestamps: false, outstanding: false };
  for (const opt of parsed.opts) {
    if (UNSUPPORTED.includes(opt.key)) die(ctx, 2, `-${opt.key}: not supported by the simulated network`);
    switch (opt.key) {
      case 'h': case '?': ctx.err(USAGE); return 2;
      case 'V': ctx.out(VERSION); return 0;
      case 'c': o.count = strtolOrErr(ctx, opt.value, 1, Number.MAX_SAFE_INTEGER, LONG_MAX); break;
      case 'i': {
        const s = strtod(ctx, opt.value, 'bad timing interval');
        if (s > INT_MAX / 1000) die(ctx, 2, `bad timing interval: ${opt.value}`);
        // (int)(s * 1000); root may ask for any interval, a negative one sends at once.
        o.intervalMs = Math.max(0, Math.trunc(s * 1000));
        break;
      }
      case 'W': {
        const s = strtod(ctx, opt.value, 'bad linger time');
        if (s < 0 || s > INT_MAX / 1000) die(ctx, 2, `bad linger time: ${opt.value}`);
        o.lingerMs = Math.trunc(s * 1000);
        break;
      }
      case 'w': o.deadlineS = strtolOrErr(ctx, opt.value, 0, INT_MAX); break;
      case 's': o.dataBytes = strtolOrErr(ctx, opt.value, 0, INT_MAX); break;
      case 'q': o.quiet = true; break;
      case 'n': o.numeric = true; break;
      case 'D': o.timestamps = true; break;
      case 'O': o.outstanding = true; break;
      case 't': strtolOrErr(ctx, opt.value, 0, 255); break;
      case 'S': strtolOrErr(ctx, opt.value, 1, INT_MAX); break;
      // The rest changes nothing the simulated network would show.
      default: break;
    }
  }
  if (parsed.operands.length === 0) die(ctx, 1, 'usage error: Destination address required');
  // More than one operand is a source route through the first ones; the last is the target.
  // ping.c resolves the target before the hops.
  const operands = parsed.operands;
  const resolved = [operands[operands.length - 1], ...operands.slice(0, -1)].map((t) => {
    const r = parseIPv4(t) !== null ? t : resolveHost(ctx, t);
    if (r === null || r.includes(':')) die(ctx, 2, `${t}: Name or service not known`);
    return r;
  });
  const target = operands[operands.length - 1];
  // 0.0.0.0 is this host: ping.c takes the source address the route gives, the loopback's.
  const ip = resolved[0] === '0.0.0.0' ? '127.0.0.1' : resolved[0];
  // A broadcast address (eth0's /24, as `ip addr` shows it): connect() is refused without -b.
  const brd = `${ctx.host.ip.split('.').slice(0, 3).join('.')}.255`;
  if (ip === brd || ip === '255.255.255.255') die(ctx, 2, 'Do you want to ping broadcast? Then -b. If not, check your local firewall rules');
  // A numeric target is printed as such (ping.c sets -n for it).
  if (parseIPv4(target) !== null) o.numeric = true;
  return yield* run(ctx, o, target, ip);
}

function* run(ctx: CmdCtx, o: Options, hostname: string, ip: string): TaskGen<number> {
  const k = ctx.kernel;
  const timing = o.dataBytes >= TIMEVAL_BYTES;
  const prAddr = (a: string): string => {
    if (o.numeric) return a;
    const name = reverseName(k, a);
    return name === a ? a : `${name} (${a})`;
  };
  const stamp = (): string => {
    if (!o.timestamps) return '';
    const us = Math.floor(k.now * 1000);
    return `[${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}] `;
  };

  ctx.out(`PING ${hostname} (${ip}) ${o.dataBytes}(${o.dataBytes + ICMP_HEADER_BYTES + IP_HEADER_BYTES}) bytes of data.\n`);

  const s = {
    ntransmitted: 0, nreceived: 0, nerrors: 0, nrepeats: 0, acked: 0, pipesize: -1,
    /** Round-trip statistics in microseconds; rtt is the EWMA times 8. */
    tmin: Infinity, tmax: 0, tsum: 0, tsum2: 0, rtt: 0,
    exiting: false,
  };
  const sentAt = new Map<number, number>();
  const received = new Set<number>();
  const startT = k.now;
  let curT = startT;
  const finished = new Latch<null>();
  const cancels: (() => void)[] = [];
  let exitScheduled = false;
  let nextSend: (() => void) | null = null;

  const inFlight = () => s.ntransmitted - s.acked;
  const acknowledge = (seq: number) => {
    const diff = s.ntransmitted - seq;
    if (diff >= 0) {
      if (diff + 1 > s.pipesize) s.pipesize = diff + 1;
      if (seq > s.acked) s.acked = seq;
    }
  };
  // The main loop's exit conditions.
  const check = () => {
    if (s.exiting || (o.count > 0 && s.nreceived + s.nerrors >= o.count) || (o.deadlineS > 0 && s.nerrors > 0)) finished.fire(null);
  };
  const countSent = () => o.count > 0 && s.ntransmitted >= o.count && o.deadlineS === 0;
  // The count is sent: wait twice the longest round trip (at least an interval) if anything
  // came back, else the linger time (schedule_exit).
  const scheduleExit = () => {
    if (exitScheduled) return;
    exitScheduled = true;
    let waitMs = o.lingerMs;
    if (s.nreceived > 0) waitMs = Math.max((2 * s.tmax) / 1000, o.intervalMs);
    cancels.push(timer(k, waitMs, () => { s.exiting = true; check(); }));
  };

  // Killed (SIGPIPE from a closed pipe, SIGTERM, SIGKILL): its timers and answers go nowhere.
  const gone = () => ctx.proc.state !== 'running';
  const answer = (seq: number) => (a: EchoAnswer) => {
    if (finished.done || gone()) return;
    if (a.kind === 'unreachable') {
      acknowledge(seq);
      s.nerrors++;
      if (!o.quiet) ctx.out(`${stamp()}From ${prAddr(a.from)} icmp_seq=${seq} Destination ${a.what === 'host' ? 'Host' : 'Port'} Unreachable\n`);
    } else {
      s.nreceived++;
      acknowledge(seq);
      let triptime = 0;
      if (timing) {
        triptime = Math.max(0, Math.round((k.now - (sentAt.get(seq) ?? k.now)) * 1000));
        s.tsum += triptime;
        s.tsum2 += triptime * triptime;
        if (triptime < s.tmin) s.tmin = triptime;
        if (triptime > s.tmax) s.tmax = triptime;
        s.rtt = s.rtt === 0 ? triptime * 8 : s.rtt + triptime - Math.trunc(s.rtt / 8);
      }
      const dup = received.has(seq);
      if (dup) { s.nrepeats++; s.nreceived--; } else received.add(seq);
      if (!o.quiet) ctx.out(`${stamp()}${a.icmpBytes} bytes from ${prAddr(a.from)}: icmp_seq=${seq} ttl=${a.ttl}${timing ? ` time=${formatTrip(triptime)}` : ''}${dup ? ' (DUP!)' : ''}\n`);
      // -i 0 sends the next request as soon as nothing is in flight.
      if (o.intervalMs === 0 && inFlight() === 0 && nextSend) nextSend();
    }
    check();
  };

  const send = () => {
    nextSend = null;
    if (finished.done || gone()) return;
    if (countSent()) { scheduleExit(); return; }
    if (o.outstanding && s.ntransmitted > 0 && !received.has(s.ntransmitted)) ctx.out(`${stamp()}no answer yet for icmp_seq=${s.ntransmitted}\n`);
    const seq = s.ntransmitted + 1;
    curT = k.now;
    sentAt.set(seq, k.now);
    const r = k.icmp.echo({ pid: ctx.proc.pid, dst: ip, dataBytes: o.dataBytes, seq, answer: answer(seq) });
    s.ntransmitted++;
    // sendto() failing is a "hard local error": counted as sent. EMSGSIZE leaves a local error on
    // the socket's error queue (reported, counted as an error); EPERM (the host's own OUTPUT
    // chain) leaves nothing there, and iputils then reports nothing at all (measured: silence).
    if (!r.ok && r.code === 'EMSGSIZE') {
      s.nerrors++;
      if (!o.quiet) ctx.err(`ping: local error: message too long, mtu=${r.mtu}\n`);
    }
    check();
    if (finished.done) return;
    if (countSent()) { scheduleExit(); return; }
    const gap = o.intervalMs === 0 ? MININTERVAL_MS : o.intervalMs;
    let cancel: (() => void) | null = null;
    nextSend = () => { cancel?.(); send(); };
    cancel = timer(k, gap, () => { if (nextSend) send(); });
    cancels.push(() => cancel?.());
  };

  // SIGINT and SIGALRM end it with the summary; SIGQUIT prints the status line.
  ctx.proc.catchSignal = (sig) => {
    if (sig === 'SIGINT' || sig === 'SIGALRM') { s.exiting = true; check(); return true; }
    if (sig === 'SIGQUIT') { ctx.err(status(s, timing)); return true; }
    return false;
  };
  if (o.deadlineS > 0) cancels.push(timer(k, o.deadlineS * 1000, () => { s.exiting = true; check(); }));
  send();
  yield finished.wait();
  for (const c of cancels) c();
  nextSend = null;
  ctx.proc.catchSignal = undefined;

  // finish()
  const elapsedMs = curT - startT;
  let out = `\n--- ${hostname} ping statistics ---\n${s.ntransmitted} packets transmitted, ${s.nreceived} received`;
  if (s.nrepeats) out += `, +${s.nrepeats} duplicates`;
  if (s.nerrors) out += `, +${s.nerrors} errors`;
  if (s.ntransmitted) {
    out += `, ${formatG(Math.fround(((s.ntransmitted - s.nreceived) * 100) / s.ntransmitted))}% packet loss`;
    out += `, time ${Math.floor(elapsedMs + 0.5)}ms`;
  }
  out += '\n';
  let comma = '';
  if (s.nreceived && timing) {
    const total = s.nreceived + s.nrepeats;
    const tmavg = Math.trunc(s.tsum / total);
    const tmvar = s.tsum < INT_MAX
      ? Math.trunc((s.tsum2 - Math.trunc((s.tsum * s.tsum) / total)) / total)
      : Math.trunc(s.tsum2 / total) - tmavg * tmavg;
    const tmdev = tmvar > 0 ? Math.floor(Math.sqrt(tmvar)) : 0;
    out += `rtt min/avg/max/mdev = ${ms3(s.tmin)}/${ms3(tmavg)}/${ms3(s.tmax)}/${ms3(tmdev)} ms`;
    comma = ', ';
  }
  if (s.pipesize > 1) { out += `${comma}pipe ${s.pipesize}`; comma = ', '; }
  if (s.nreceived && o.intervalMs === 0 && s.ntransmitted > 1) {
    const ipg = Math.trunc(Math.floor(elapsedMs * 1000) / (s.ntransmitted - 1));
    out += `${comma}ipg/ewma ${ms3(ipg)}/${ms3(Math.trunc(s.rtt / 8))} ms`;
  }
  out += '\n';
  ctx.out(out);
  return s.nreceived === 0 || (o.deadlineS > 0 && s.nreceived < o.count) ? 1 : 0;
}

/** A round trip as gather_statistics prints it: fewer decimals as it grows. */
export function formatTrip(us: number): string {
  if (us >= 100000 - 50) return `${Math.trunc((us + 500) / 1000)} ms`;
  if (us >= 10000 - 5) return `${Math.trunc((us + 50) / 1000)}.${Math.trunc(((us + 50) % 1000) / 100)} ms`;
  if (us >= 1000) return `${Math.trunc((us + 5) / 1000)}.${String(Math.trunc(((us + 5) % 1000) / 10)).padStart(2, '0')} ms`;
  return `0.${String(us).padStart(3, '0')} ms`;
}

/** Microseconds as `%ld.%03ld` milliseconds. */
function ms3(us: number): string {
  return `${Math.trunc(us / 1000)}.${String(Math.trunc(us % 1000)).padStart(3, '0')}`;
}

/** printf's %g (six significant digits, no trailing zeros) of a non-negative number. */
export function formatG(v: number): string {
  if (v === 0) return '0';
  const exp = Math.floor(Math.log10(v));
  if (exp < -4 || exp >= 6) {
    const [mant, e] = v.toExponential(5).split('e');
    const m = mant.includes('.') ? mant.replace(/\.?0+$/, '') : mant;
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const t = v.toFixed(Math.max(0, 5 - exp));
  return t.includes('.') ? t.replace(/\.?0+$/, '') : t;
}

/** SIGQUIT's status line (status() in ping_common.c). */
function status(s: { ntransmitted: number; nreceived: number; nrepeats: number; tmin: number; tmax: number; tsum: number; rtt: number }, timing: boolean): string {
  const loss = s.ntransmitted ? Math.trunc(((s.ntransmitted - s.nreceived) * 100) / s.ntransmitted) : 0;
  let line = `\r${s.nreceived}/${s.ntransmitted} packets, ${loss}% loss`;
  if (s.nreceived && timing) {
    const tavg = Math.trunc(s.tsum / (s.nreceived + s.nrepeats));
    line += `, min/avg/ewma/max = ${ms3(s.tmin)}/${ms3(tavg)}/${ms3(Math.trunc(s.rtt / 8))}/${ms3(s.tmax)} ms`;
  }
  return `${line}\n`;
}
