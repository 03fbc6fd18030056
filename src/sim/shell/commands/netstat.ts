/**
 * `netstat` as net-tools 2.10 prints its socket listing, over the same sockets as ss
 * (Network.socketsOf): `netstat -tnp`, `-tlnp`, `-antp` and their kin. The Internet section lists
 * TCP over IPv4 then IPv6 (`tcp`, `tcp6`; the simulated hosts have no UDP or raw sockets), the
 * UNIX section (with no protocol named, or -x) is empty. Without -a, -l keeps the sockets with no
 * peer port (listeners), its absence the others (TIME-WAIT included, unlike ss). Names as netstat
 * makes them: hosts by the simulated resolver (127.0.0.1 and ::1 are localhost, a host's address
 * its name), ports from the host's /etc/services (services.ts), an address and port cut to 22
 * characters unless -W; -p's `PID/Program name` from the process's command line (its title
 * once Redis sets one), cut to 19 characters; -o's timers.
 *
 * Not modelled: the routing, interface, statistics, multicast and masquerade tables (-r, -i, -s,
 * -g, -M), -e's user and inode columns, -c's repetition.
 */
import type { Command, CmdCtx } from '../context';
import type { SocketView, TcpState } from '../../kernel/network';
import { parseOpts, type OptSpec } from './operands';
import { readServices, serviceByPort, type Service } from './services';

const USAGE = `usage: netstat [-vWeenNcCF] [<Af>] -r         netstat {-V|--version|-h|--help}
       netstat [-vWnNcaeol] [<Socket> ...]
       netstat { [-vWeenNac] -i | [-cnNe] -M | -s [-6tuw] }

        -r, --route              display routing table
        -i, --interfaces         display interface table
        -g, --groups             display multicast group memberships
        -s, --statistics         display networking statistics (like SNMP)
        -M, --masquerade         display masqueraded connections

        -v, --verbose            be verbose
        -W, --wide               don't truncate IP addresses
        -n, --numeric            don't resolve names
        --numeric-hosts          don't resolve host names
        --numeric-ports          don't resolve port names
        --numeric-users          don't resolve user names
        -N, --symbolic           resolve hardware names
        -e, --extend             display other/more information
        -p, --programs           display PID/Program name for sockets
        -o, --timers             display timers
        -c, --continuous         continuous listing

        -l, --listening          display listening server sockets
        -a, --all                display all sockets (default: connected)
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB
        -Z, --context            display SELinux security context for sockets

  <Socket>={-t|--tcp} {-u|--udp} {-U|--udplite} {-S|--sctp} {-w|--raw}
           {-x|--unix} --ax25 --ipx --netrom
  <AF>=Use '-6|-4' or '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
`;

/** The end of the usage: net-tools prints its list of families to standard error, even for --help. */
const FAMILY_LIST = `    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) 
    ddp (Appletalk DDP) x25 (CCITT X.25) 
`;

const VERSION = `net-tools 2.10
Fred Baumgarten, Alan Cox, Bernd Eckenfels, Phil Blundell, Tuan Hoang, Brian Micek and others
+NEW_ADDRT +RTF_IRTT +RTF_REJECT +FW_MASQUERADE +I18N +SELINUX
AF: (inet) +UNIX +INET +INET6 +IPX +AX25 +NETROM +X25 +ATALK +ECONET +ROSE -BLUETOOTH
HW:  +ETHER +ARC +SLIP +PPP +TUNNEL -TR +AX25 +NETROM +X25 +FR +ROSE +ASH +SIT +FDDI +HIPPI +HDLC/LAPB +EUI64 
`;

/** net-tools' address family names (aftrans: alias → family), as -A and --<af> take them. */
const FAMILIES: Record<string, string> = {
  ax25: 'ax25', ip: 'inet', ip6: 'inet6', ipx: 'ipx', rose: 'rose', appletalk: 'ddp', netrom: 'netrom', inet: 'inet', inet6: 'inet6',
  ddp: 'ddp', unix: 'unix', tcpip: 'inet', econet: 'ec', x25: 'x25', ash: 'ash', bluetooth: 'bluetooth',
};

/**
 * netstat's getopt_long: the short options "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", then its long
 * ones in table order. The address families come first, all one option (val 1, read by name):
 * a prefix of several of them is no ambiguity, and `--unix` is the family before it is -x.
 */
export const NETSTAT_OPTIONS: OptSpec = {
  flags: 'CFMacdeghilnNoprsStuUvVWw2fx64?Z',
  withArg: 'A',
  long: [
    ...['ax25', 'x25', 'ip', 'ipx', 'appletalk', 'netrom', 'inet', 'inet6', 'ddp', 'rose', 'unix', 'bluetooth', 'tcpip'].map((name) => ({ name, key: 'af', arg: false })),
    ...([
      ['version', 'V'], ['interfaces', 'i'], ['help', 'h'], ['route', 'r'], ['masquerade', 'M'], ['protocol', 'A', 1], ['tcp', 't'],
      ['sctp', 'S'], ['udp', 'u'], ['udplite', 'U'], ['raw', 'w'], ['unix', 'x'], ['l2cap', '2'], ['rfcomm', 'f'], ['listening', 'l'],
      ['all', 'a'], ['timers', 'o'], ['continuous', 'c'], ['extend', 'e'], ['programs', 'p'], ['verbose', 'v'], ['statistics', 's'],
      ['wide', 'W'], ['numeric', 'n'], ['numeric-hosts', '!'], ['numeric-ports', '@'], ['numeric-users', '#'], ['symbolic', 'N'],
      ['cache', 'C'], ['fib', 'F'], ['groups', 'g'], ['context', 'Z'],
    ] as const).map(([name, key, arg]) => ({ name, key, arg: arg === 1 })),
  ],
};

const STATE_NAMES: Record<TcpState, string> = {
  'ESTAB': 'ESTABLISHED', 'SYN-SENT': 'SYN_SENT', 'FIN-WAIT-1': 'FIN_WAIT1', 'FIN-WAIT-2': 'FIN_WAIT2', 'TIME-WAIT': 'TIME_WAIT',
  'CLOSE-WAIT': 'CLOSE_WAIT', 'LAST-ACK': 'LAST_ACK', 'LISTEN': 'LISTEN',
};

export const netstat: Command = function* (ctx, argv) {
  let all = false;
  let listening = false;
  let programs = false;
  let timers = false;
  let wide = false;
  let numericHosts = false;
  let numericPorts = false;
  /** -t -u -U -S -w: the Internet protocols named. */
  let inetProtocols = 0;
  /** Sections other than the Internet one named (-x, --ipx...): flag_arg counts them too. */
  let otherSections = 0;
  let tcp = false;
  let unix = false;
  let inet = false;
  let inet6 = false;
  const getopt = parseOpts(argv, NETSTAT_OPTIONS);
  const af = (names: string): boolean => {
    for (const one of names.split(',')) {
      const family = FAMILIES[one];
      if (family === undefined) { ctx.err(`Unknown address family \`${one}'.\n`); return false; }
      if (family === 'inet') inet = true;
      else if (family === 'inet6') inet6 = true;
      else if (family === 'unix') { unix = true; otherSections++; } else otherSections++;
    }
    return true;
  };
  const usageFail = (line: string): number => { ctx.err(line + USAGE + FAMILY_LIST); return 3; };
  // getopt_long hands the options over one by one: those before a bad one take effect first.
  for (const o of 'error' in getopt ? getopt.parsed : getopt.opts) {
    switch (o.key) {
      case 'af': if (!af(o.name!)) return 1; break;
      case 'A': if (!af(o.value)) return 1; break;
      // getopt's answer to an error, so netstat's usage (given as an option, without getopt's message).
      case '?': return usageFail('');
      case 'a': all = true; break;
      case 'l': listening = true; break;
      case 'p': programs = true; break;
      case 'o': timers = true; break;
      case 'W': wide = true; break;
      case 'n': numericHosts = numericPorts = true; break;
      case '!': numericHosts = true; break;
      case '@': numericPorts = true; break;
      case '4': inet = true; break;
      case '6': inet6 = true; break;
      case 't': tcp = true; inetProtocols++; break;
      case 'u': case 'U': case 'S': case 'w': inetProtocols++; break;
      case '2': case 'f': otherSections++; break;
      case 'x': unix = true; otherSections++; break;
      case 'V': ctx.out(VERSION); return 0;
      case 'h':
        // Standard output is written at exit unless it is a terminal: the list on standard error comes first.
        if (ctx.proc.stdout.kind === 'tty') { ctx.out(USAGE); ctx.err(FAMILY_LIST); } else { ctx.err(FAMILY_LIST); ctx.out(USAGE); }
        return 0;
      case 'Z': ctx.err('SELinux is not enabled on this machine.\n'); return 1;
      case 'r': case 'i': case 'g': case 's': case 'M': case 'e': case 'c':
        ctx.err(`netstat: -${o.key} is not simulated here (the socket listing is: -t, -u, -x, -l, -a, -n, -p, -o, -W, -4, -6)\n`);
        return 1;
      // -v, -N, -C, -F, -d: nothing to change in the socket listing.
      default: break;
    }
  }
  if ('error' in getopt) return usageFail(`${getopt.error}\n`);
  // A family without a protocol means all of its protocols; a protocol without a family, both families.
  if ((inet || inet6) && inetProtocols === 0) { tcp = true; inetProtocols = 5; }
  if (inetProtocols > 0 && !inet && !inet6) inet = inet6 = true;
  const named = inetProtocols + otherSections;
  const services = numericPorts ? [] : readServices(ctx);
  const name = { hosts: !numericHosts, services, wide };
  if (named === 0 || inetProtocols > 0) {
    const which = all ? '(servers and established)' : listening ? '(only servers)' : '(w/o servers)';
    ctx.out(`Active Internet connections ${which}\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ${programs ? ' PID/Program name    ' : ''}${timers ? ' Timer' : ''}\n`);
    if (named === 0 || tcp) {
      const sockets = ctx.kernel.network.socketsOf(ctx.host);
      for (const v6 of [false, true]) {
        if (named !== 0 && !(v6 ? inet6 : inet)) continue;
        for (const s of sockets) {
          if (s.v6 !== v6) continue;
          if (!all && (listening ? s.peerPort !== 0 : s.peerPort === 0)) continue;
          ctx.out(line(ctx, s, name, programs, timers));
        }
      }
    }
  }
  if (named === 0 || unix) {
    const which = all ? '(servers and established)' : listening ? '(only servers)' : '(w/o servers)';
    ctx.out(`Active UNIX domain sockets ${which}\nProto RefCnt Flags       Type       State         I-Node  ${programs ? ' PID/Program name    ' : ''} Path\n`);
  }
  return 0;
};

function line(ctx: CmdCtx, s: SocketView, name: { hosts: boolean; services: readonly Service[]; wide: boolean }, programs: boolean, timers: boolean): string {
  const local = address(ctx, s.localIp, s.localPort, name);
  const peer = address(ctx, s.peerIp, s.peerPort, name);
  // /proc/net/tcp gives a listener's accept queue as its rx_queue and nothing as its tx_queue.
  const sendQ = s.state === 'LISTEN' ? 0 : s.sendQ;
  let out = `${(s.v6 ? 'tcp6' : 'tcp').padEnd(4)}  ${String(s.recvQ).padStart(6)} ${String(sendQ).padStart(6)} ${local.padEnd(23)} ${peer.padEnd(23)} ${STATE_NAMES[s.state].padEnd(11)}`;
  if (programs) out += ` ${program(ctx, s).padEnd(20)}`;
  if (timers) out += ` ${timer(ctx, s)}`;
  return out + '\n';
}

/** addr_do_one: `host:port`, the host cut so that both fit in 22 characters (unless -W). */
function address(ctx: CmdCtx, ip: string, port: number, name: { hosts: boolean; services: readonly Service[]; wide: boolean }): string {
  let host = ip;
  if (name.hosts) {
    if (ip === '127.0.0.1' || ip === '::1') host = 'localhost';
    else if (ip === '::') host = '[::]';
    else if (ip !== '0.0.0.0') host = ctx.kernel.hostByIp(ip)?.name ?? ip;
  }
  const service = port === 0 ? '*' : (serviceByPort(name.services, port, 'tcp') ?? String(port));
  if (!name.wide && host.length + service.length > 22) {
    const portLen = Math.min(service.length, 22 - 4);
    return `${host.slice(0, 22 - portLen)}:${service.slice(0, portLen)}`;
  }
  return `${host}:${service}`;
}

/** `PID/name`, the name being the first word of /proc/PID/cmdline (Redis's title once it sets one), cut to 19 characters. */
function program(ctx: CmdCtx, s: SocketView): string {
  const p = s.owner ? ctx.kernel.procs.get(s.owner.pid) : undefined;
  if (!p || p.state !== 'running') return '-';
  const cmdline = p.title === p.argv.join(' ') ? (p.argv[0] ?? '') : p.title;
  const cmd = cmdline.startsWith('/') ? cmdline.slice(cmdline.lastIndexOf('/') + 1) : cmdline;
  return `${p.pid}/${cmd}`.slice(0, 19);
}

/** -o: what /proc/net/tcp says of the socket's timer: `off (0.00/0/0)`, `on (…)`, `timewait (…)`. */
function timer(ctx: CmdCtx, s: SocketView): string {
  if (!s.timer) return 'off (0.00/0/0)';
  const left = Math.max(0, s.timer.atMs - ctx.kernel.now) / 1000;
  return `${s.timer.kind} (${left.toFixed(2)}/${s.timer.retries}/0)`;
}
