/**
 * `ss` as iproute2 6.1 prints it, over the host's simulated TCP sockets (Network.socketsOf):
 * options as its getopt_long reads them, the socket tables and families they select, the state
 * filter (`state established`, `exclude listening`) and filter expressions (ss-filter.ts), the
 * table laid out as ss lays it out (ss-columns.ts), `-p`'s `users:(("name",pid=N,fd=N))`,
 * `-o`'s TIME-WAIT and retransmission timers, `-s`'s summary, `-H`, `-n`, `-r`, `-4`/`-6`.
 *
 * The simulated hosts have TCP sockets only, so the other tables (-u, -x, -w...) are empty.
 * Without -n a port is named from the host's /etc/services (services.ts; the ephemeral range
 * is never named, as in ss); with -r an address is named by the simulated resolver: 127.0.0.1
 * and ::1 are localhost, a host's address its name. Not modelled: the extra lines of -e, -m,
 * -i, -b and --tos/--cgroup/--inet-sockopt (ss prints the table without them), -K, -E, -D.
 *
 * File descriptors: a socket's slot (the lowest its process had free, socket-slots.ts) after the
 * descriptors the program opens before its first socket: Redis's server and sentinel 6 (0–2,
 * the module pipe 3–4, epoll 5), redis-benchmark 4 (its epoll at 3), the other clients 3.
 */
import type { Command, CmdCtx } from '../context';
import { readAllInput, readText } from '../context';
import type { SocketView, TcpState } from '../../kernel/network';
import { comm } from './procs';
import { parseOpts, type OptSpec } from './operands';
import { COL, renderSsTable } from './ss-columns';
import { parseFilter, runFilter, type FilterEnv } from './ss-filter';
import { EPHEMERAL_PORTS, readServices, serviceByName, serviceByPort, type Service } from './services';

const USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}
`;

/** ss's getopt_long: the short options "dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO", the long ones in its table's order. */
export const SS_OPTIONS: OptSpec = {
  flags: 'dhaletuwxnro460spTbEmMivVzZKHSO',
  withArg: 'fADFN',
  long: Object.fromEntries([
    ['numeric', 'n'], ['resolve', 'r'], ['options', 'o'], ['extended', 'e'], ['memory', 'm'], ['info', 'i'],
    ['processes', 'p'], ['threads', 'T'], ['bpf', 'b'], ['events', 'E'], ['dccp', 'd'], ['tcp', 't'], ['sctp', 'S'],
    ['udp', 'u'], ['raw', 'w'], ['unix', 'x'], ['tipc', 'tipc'], ['vsock', 'vsock'], ['all', 'a'], ['listening', 'l'],
    ['ipv4', '4'], ['ipv6', '6'], ['packet', '0'], ['family', 'f', 1], ['socket', 'A', 1], ['query', 'A', 1],
    ['summary', 's'], ['diag', 'D', 1], ['filter', 'F', 1], ['version', 'V'], ['help', 'h'], ['context', 'Z'],
    ['contexts', 'z'], ['net', 'N', 1], ['tipcinfo', 'tipcinfo'], ['tos', 'tos'], ['cgroup', 'cgroup'], ['kill', 'K'],
    ['no-header', 'H'], ['xdp', 'xdp'], ['mptcp', 'M'], ['oneline', 'O'], ['inet-sockopt', 'inet-sockopt'],
  ].map(([name, key, arg]) => [name, { key: key as string, arg: arg === 1 }])),
};

// ---- socket tables, families, states (ss's filter bits) -----------------------------------

const DB = { tcp: 0, mptcp: 1, dccp: 2, udp: 3, raw: 4, unixDg: 5, unixSt: 6, unixSq: 7, packetDg: 8, packetR: 9, netlink: 10, sctp: 11, vsockSt: 12, vsockDg: 13, tipc: 14, xdp: 15 } as const;
const AF = { inet: 0, inet6: 1, unix: 2, packet: 3, netlink: 4, vsock: 5, tipc: 6, xdp: 7 } as const;

/** TCP states by ss's numbering (its bit in a state filter). */
const STATE_BIT: Record<TcpState, number> = {
  'ESTAB': 1, 'SYN-SENT': 2, 'FIN-WAIT-1': 4, 'FIN-WAIT-2': 5, 'TIME-WAIT': 6, 'CLOSE-WAIT': 8, 'LAST-ACK': 9, 'LISTEN': 10,
};
const SS_CLOSE = 7;
const SS_LISTEN = 10;
const SS_ALL = (1 << 12) - 1;
const SS_CONN = SS_ALL & ~((1 << SS_LISTEN) | (1 << SS_CLOSE) | (1 << 6) | (1 << 3));
const TIPC_SS_CONN = (1 << 1) | (1 << SS_LISTEN) | (1 << SS_CLOSE);
const bits = (...xs: number[]) => xs.reduce((m, x) => m | (1 << x), 0);
const INET_DBS = bits(DB.tcp, DB.mptcp, DB.udp, DB.dccp, DB.sctp, DB.raw);
const UNIX_DBS = bits(DB.unixDg, DB.unixSt, DB.unixSq);
const PACKET_DBS = bits(DB.packetDg, DB.packetR);
const VSOCK_DBS = bits(DB.vsockSt, DB.vsockDg);

/** Per socket table: the states it shows by default and its families. */
const DEFAULT_DBS: { states: number; families: number }[] = [
  { states: SS_CONN, families: bits(AF.inet, AF.inet6) }, // tcp
  { states: SS_CONN, families: bits(AF.inet, AF.inet6) }, // mptcp
  { states: SS_CONN, families: bits(AF.inet, AF.inet6) }, // dccp
  { states: 1 << 1, families: bits(AF.inet, AF.inet6) }, // udp
  { states: 1 << 1, families: bits(AF.inet, AF.inet6) }, // raw
  { states: 1 << SS_CLOSE, families: bits(AF.unix) },
  { states: SS_CONN, families: bits(AF.unix) },
  { states: SS_CONN, families: bits(AF.unix) },
  { states: 1 << SS_CLOSE, families: bits(AF.packet) },
  { states: 1 << SS_CLOSE, families: bits(AF.packet) },
  { states: 1 << SS_CLOSE, families: bits(AF.netlink) },
  { states: SS_CONN, families: bits(AF.inet, AF.inet6) }, // sctp
  { states: SS_CONN, families: bits(AF.vsock) },
  { states: SS_CONN, families: bits(AF.vsock) },
  { states: TIPC_SS_CONN, families: bits(AF.tipc) },
  { states: 1 << SS_CLOSE, families: bits(AF.xdp) },
];

/** Per family: its socket tables and default states. */
const DEFAULT_AFS: { dbs: number; states: number }[] = [
  { dbs: INET_DBS, states: SS_CONN },
  { dbs: INET_DBS, states: SS_CONN },
  { dbs: UNIX_DBS, states: SS_CONN },
  { dbs: PACKET_DBS, states: 1 << SS_CLOSE },
  { dbs: bits(DB.netlink), states: 1 << SS_CLOSE },
  { dbs: VSOCK_DBS, states: SS_CONN },
  { dbs: bits(DB.tipc), states: TIPC_SS_CONN },
  { dbs: bits(DB.xdp), states: 1 << SS_CLOSE },
];

const DB_NAMES: Record<string, number[]> = {
  all: [DB.udp, DB.dccp, DB.tcp, DB.mptcp, DB.raw, DB.unixSt, DB.unixDg, DB.unixSq, DB.packetR, DB.packetDg, DB.netlink, DB.sctp, DB.vsockSt, DB.vsockDg, DB.xdp],
  inet: [DB.udp, DB.dccp, DB.tcp, DB.mptcp, DB.sctp, DB.raw],
  udp: [DB.udp], dccp: [DB.dccp], tcp: [DB.tcp], mptcp: [DB.mptcp], sctp: [DB.sctp], raw: [DB.raw],
  unix: [DB.unixSt, DB.unixDg, DB.unixSq], unix_stream: [DB.unixSt], u_str: [DB.unixSt], unix_dgram: [DB.unixDg], u_dgr: [DB.unixDg],
  unix_seqpacket: [DB.unixSq], u_seq: [DB.unixSq], packet: [DB.packetR, DB.packetDg], packet_raw: [DB.packetR], p_raw: [DB.packetR],
  packet_dgram: [DB.packetDg], p_dgr: [DB.packetDg], netlink: [DB.netlink], tipc: [DB.tipc], vsock: [DB.vsockSt, DB.vsockDg],
  vsock_stream: [DB.vsockSt], v_str: [DB.vsockSt], vsock_dgram: [DB.vsockDg], v_dgr: [DB.vsockDg], xdp: [DB.xdp],
};

const STATE_NAMES: Record<string, number> = {
  established: 1 << 1, 'syn-sent': 1 << 2, 'syn-recv': 1 << 3, 'fin-wait-1': 1 << 4, 'fin-wait-2': 1 << 5, 'time-wait': 1 << 6,
  unconnected: 1 << SS_CLOSE, 'close-wait': 1 << 8, 'last-ack': 1 << 9, listening: 1 << SS_LISTEN, closing: 1 << 11,
  close: 1 << SS_CLOSE, closed: 1 << SS_CLOSE, 'syn-rcv': 1 << 3, all: SS_ALL,
  connected: SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN)),
  synchronized: SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN) | (1 << 2)),
  bucket: (1 << 3) | (1 << 6),
  big: SS_ALL & ~((1 << 3) | (1 << 6)),
};

/** Descriptors a program opens before its first socket (see the top comment). */
const FIRST_SOCKET_FD: Record<string, number> = { 'redis-server': 6, 'redis-sentinel': 6, 'redis-benchmark': 4 };

class Filters {
  dbs = 0;
  families = 0;
  states = 0;
  /** ss's do_default: no table or family was named. */
  byDefault = true;
  /** The last family named (-4, -6, -f): a filter's addresses are read in it. */
  preferred: number | null = null;

  setDb(db: number, enable: boolean): void {
    if (enable) { this.states |= DEFAULT_DBS[db].states; this.dbs |= 1 << db; } else this.dbs &= ~(1 << db);
    this.byDefault = false;
  }

  setAf(af: number): void {
    this.states |= DEFAULT_AFS[af].states;
    this.families |= 1 << af;
    this.byDefault = false;
    this.preferred = af;
  }

  parseDb(name: string): boolean {
    const enable = !name.startsWith('!');
    const dbs = DB_NAMES[enable ? name : name.slice(1)];
    if (!dbs) return false;
    for (const db of dbs) this.setDb(db, enable);
    return true;
  }

  mergeDefaults(): void {
    for (let db = 0; db < DEFAULT_DBS.length; db++) {
      if (this.dbs & (1 << db) && !(DEFAULT_DBS[db].families & this.families)) this.families |= DEFAULT_DBS[db].families;
    }
    for (let af = 0; af < DEFAULT_AFS.length; af++) {
      if (this.families & (1 << af) && !(DEFAULT_AFS[af].dbs & this.dbs)) this.dbs |= DEFAULT_AFS[af].dbs;
    }
  }
}

const single = (mask: number) => (mask & (mask - 1)) === 0;

export const ss: Command = function* (ctx, argv) {
  const f = new Filters();
  let stateFilter = 0;
  let numeric = false;
  let resolveHosts = false;
  let processes = false;
  let timers = false;
  let summary = false;
  let header = true;
  let sawQuery = false;
  let filterFile: string | null = null;
  let filterFileText: string | null = null;
  const usageFail = (msg = ''): number => { ctx.err(msg + USAGE); return 255; };
  const getopt = parseOpts(argv, SS_OPTIONS);
  // getopt_long hands the options over one by one: those before a bad one take effect first.
  for (const o of 'error' in getopt ? getopt.parsed : getopt.opts) {
    const v = o.value;
    switch (o.key) {
      case 'n': numeric = true; break;
      case 'r': resolveHosts = true; break;
      case 'o': timers = true; break;
      case 'e': case 'b': timers = true; break;
      case 'p': case 'T': processes = true; break;
      case 'd': f.setDb(DB.dccp, true); break;
      case 't': f.setDb(DB.tcp, true); break;
      case 'S': f.setDb(DB.sctp, true); break;
      case 'u': f.setDb(DB.udp, true); break;
      case 'w': f.setDb(DB.raw, true); break;
      case 'M': f.setDb(DB.mptcp, true); break;
      case 'x': f.setAf(AF.unix); break;
      case 'vsock': f.setAf(AF.vsock); break;
      case 'tipc': f.setAf(AF.tipc); break;
      case 'xdp': f.setAf(AF.xdp); break;
      case 'a': stateFilter = SS_ALL; break;
      case 'l': stateFilter = (1 << SS_LISTEN) | (1 << SS_CLOSE); break;
      case '4': f.setAf(AF.inet); break;
      case '6': f.setAf(AF.inet6); break;
      case '0': f.setAf(AF.packet); break;
      case 'f': {
        const fam: Record<string, number> = { inet: AF.inet, inet6: AF.inet6, link: AF.packet, unix: AF.unix, netlink: AF.netlink, tipc: AF.tipc, vsock: AF.vsock, xdp: AF.xdp };
        if (v === 'help') { ctx.out(USAGE); return 0; }
        if (!(v in fam)) return usageFail(`ss: "${v}" is invalid family\n`);
        f.setAf(fam[v]);
        break;
      }
      case 'A': {
        if (!sawQuery) {
          f.dbs = 0;
          stateFilter = stateFilter || SS_CONN;
          sawQuery = true;
          f.byDefault = false;
        }
        for (const name of v.split(',')) if (!f.parseDb(name)) return usageFail(`ss: "${name}" is illegal socket table id\n`);
        break;
      }
      case 's': summary = true; break;
      case 'F': {
        if (filterFile !== null) { ctx.err('More than one filter file\n'); return 255; }
        filterFile = v;
        if (v.startsWith('-')) break;
        const r = readText(ctx, v);
        // A directory opens, and reads as nothing.
        if (!('text' in r) && r.error !== 'EISDIR') { ctx.err(`fopen filter file: ${r.error === 'ENOTDIR' ? 'Not a directory' : 'No such file or directory'}\n`); return 255; }
        filterFileText = 'text' in r ? r.text : '';
        break;
      }
      case 'V': ctx.out('ss utility, iproute2-6.1.0\n'); return 0;
      case 'z': case 'Z': ctx.err('ss: SELinux is not enabled.\n'); return 1;
      case 'N': ctx.err(`Cannot open network namespace "${v}": No such file or directory\n`); return 1;
      case 'H': header = false; break;
      case 'h': ctx.out(USAGE); return 0;
      // Accepted, not modelled (see the top comment).
      default: break;
    }
  }
  if ('error' in getopt) return usageFail(`${getopt.error}\n`);
  const { operands } = getopt;

  let filterText: string[] = [];
  if (filterFile !== null) {
    const text = filterFileText ?? (yield* readAllInput(ctx));
    // A line starting with # or 0 is skipped, as ss's lexer does.
    filterText = text.split('\n').filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('0'));
  }

  const sockets = ctx.kernel.network.socketsOf(ctx.host);
  if (summary) {
    ctx.out(summaryText(sockets));
    if (f.byDefault && operands.length === 0) return 0;
  }

  let rest = [...operands];
  let sawStates = false;
  while (rest.length > 0 && (rest[0] === 'state' || rest[0] === 'exclude' || rest[0] === 'excl')) {
    const word = rest[1];
    if (word === undefined) { ctx.err('Command line is not complete. Try option "help"\n'); return 255; }
    const named = STATE_NAMES[word.toLowerCase()];
    if (named === undefined) { ctx.err(`ss: wrong state name: ${word}\n`); return 255; }
    if (rest[0] === 'state') {
      if (!sawStates) stateFilter = 0;
      stateFilter |= named;
    } else {
      if (!sawStates) stateFilter = SS_ALL;
      stateFilter &= ~named;
    }
    sawStates = true;
    rest = rest.slice(2);
  }
  if (f.byDefault) {
    stateFilter = stateFilter || SS_CONN;
    f.parseDb('all');
  }
  if (stateFilter) f.states = stateFilter;
  f.mergeDefaults();
  if (f.dbs === 0) { ctx.err('ss: no socket tables to show with such filter.\n'); return 0; }
  if (f.families === 0) { ctx.err('ss: no families to show with such filter.\n'); return 0; }
  if (f.states === 0) { ctx.err('ss: no socket states to show with such filter.\n'); return 0; }

  const services = numeric ? [] : readServices(ctx);
  const env = filterEnv(ctx, services);
  // An address or port read in a named family (-4, -6, inet6:…) limits the listing to it, as in ss.
  env.onFamily = (v6) => { f.families = 1 << (v6 ? AF.inet6 : AF.inet); };
  const parsed = parseFilter([...rest, ...filterText], env, f.preferred === AF.inet6 ? true : f.preferred === AF.inet ? false : null);
  if ('error' in parsed) {
    if (parsed.status === 255) return usageFail(parsed.error);
    ctx.err(parsed.error);
    return 1;
  }

  const disabled = new Set<number>();
  if (single(f.dbs)) disabled.add(COL.netid);
  if (single(f.states)) disabled.add(COL.state);

  const rows: string[][] = [];
  if (f.dbs & (1 << DB.tcp)) {
    for (const v6 of [false, true]) {
      if (!(f.families & (1 << (v6 ? AF.inet6 : AF.inet)))) continue;
      for (const s of sockets) {
        if (s.v6 !== v6 || !(f.states & (1 << STATE_BIT[s.state]))) continue;
        if (parsed.filter && !runFilter(parsed.filter, s, env)) continue;
        rows.push(row(ctx, s, { numeric, resolveHosts, processes, timers, services }));
      }
    }
  }
  const stdout = ctx.proc.stdout;
  const screenWidth = stdout.kind === 'tty' && stdout.term.columns > 0 ? stdout.term.columns : null;
  ctx.out(renderSsTable({ disabled, header, rows, screenWidth }));
  return 0;
};

function ephemeral(port: number): boolean {
  return port >= EPHEMERAL_PORTS.min && port <= EPHEMERAL_PORTS.max;
}

function filterEnv(ctx: CmdCtx, services: readonly Service[]): FilterEnv {
  return {
    portByName: (name) => serviceByName(services.length > 0 ? services : readServices(ctx), name, 'tcp'),
    resolveHost: (name) => {
      if (name === 'localhost') return ['127.0.0.1', '::1'];
      const h = ctx.kernel.hostByName(name);
      return h ? [h.ip] : [];
    },
    ifIndex: (name) => (name === 'lo' ? 1 : name === 'eth0' ? 2 : 0),
    ephemeral,
  };
}

/** An address as ss prints it: bracketed IPv6 (Redis's IPv6 listeners are IPV6_V6ONLY, so `[::]`). */
function hostText(ctx: CmdCtx, ip: string, resolve: boolean): string {
  if (resolve) {
    if (ip === '127.0.0.1' || ip === '::1') return 'localhost';
    const h = ctx.kernel.hostByIp(ip);
    if (h && ip !== '0.0.0.0' && ip !== '::') return h.name;
  }
  return ip.includes(':') ? `[${ip}]` : ip;
}

function portText(port: number, numeric: boolean, services: readonly Service[]): string {
  if (port === 0) return '*';
  if (numeric || ephemeral(port)) return String(port);
  return serviceByPort(services, port, 'tcp') ?? String(port);
}

/** ss -o's timer text (print_ms_timer). */
export function msTimer(ms: number): string {
  let secs = Math.floor(ms / 1000);
  const minutes = Math.floor(secs / 60);
  secs %= 60;
  let msecs = ms % 1000;
  let out = '';
  if (minutes) {
    msecs = 0;
    out = `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    out += `${secs}${msecs ? '.' : 'sec'}`;
  }
  if (msecs) out += String(msecs).padStart(3, '0') + 'ms';
  return out;
}

function row(ctx: CmdCtx, s: SocketView, o: { numeric: boolean; resolveHosts: boolean; processes: boolean; timers: boolean; services: readonly Service[] }): string[] {
  let ext = '';
  if (o.processes && s.owner) {
    const p = ctx.kernel.procs.get(s.owner.pid);
    if (p && p.state === 'running') {
      const fd = (FIRST_SOCKET_FD[p.program] ?? 3) + s.owner.slot;
      ext += ` users:(("${comm(p)}",pid=${p.pid},fd=${fd}))`;
    }
  }
  if (o.timers && s.timer) {
    const left = Math.max(0, Math.floor(s.timer.atMs - ctx.kernel.now));
    ext += ` timer:(${s.timer.kind},${msTimer(left)},${s.timer.retries})`;
  }
  return [
    'tcp', s.state, String(s.recvQ).padEnd(6), String(s.sendQ).padEnd(6),
    `${hostText(ctx, s.localIp, o.resolveHosts)}:`, portText(s.localPort, o.numeric, o.services),
    `${hostText(ctx, s.peerIp, o.resolveHosts)}:`, portText(s.peerPort, o.numeric, o.services),
    ext, '',
  ];
}

/** ss -s: /proc/net/sockstat's counts and CurrEstab, for a host whose sockets are all TCP. */
function summaryText(sockets: readonly SocketView[]): string {
  let inuse4 = 0;
  let inuse6 = 0;
  let tw = 0;
  let orphans = 0;
  let estab = 0;
  for (const s of sockets) {
    if (s.state === 'TIME-WAIT') { tw++; continue; }
    if (s.v6) inuse6++; else inuse4++;
    if (s.owner === null && s.state !== 'ESTAB' && s.state !== 'CLOSE-WAIT') orphans++;
    if (s.state === 'ESTAB' || s.state === 'CLOSE-WAIT') estab++;
  }
  const alloc = inuse4 + inuse6;
  const col = (n: number) => String(n).padEnd(9);
  return `Total: ${alloc}\n`
    + `TCP:   ${alloc + tw} (estab ${estab}, closed ${alloc - (inuse4 + inuse6 - tw)}, orphaned ${orphans}, timewait ${tw})\n`
    + '\n'
    + 'Transport Total     IP        IPv6\n'
    + `RAW\t  ${col(0)} ${col(0)} ${col(0)}\n`
    + `UDP\t  ${col(0)} ${col(0)} ${col(0)}\n`
    + `TCP\t  ${col(inuse4 + inuse6)} ${col(inuse4)} ${col(inuse6)}\n`
    + `INET\t  ${col(inuse4 + inuse6)} ${col(inuse4)} ${col(inuse6)}\n`
    + `FRAG\t  ${col(0)} ${col(0)} ${col(0)}\n`
    + '\n';
}
