/** System commands: ip, iptables (chains, `-p tcp|udp|icmp`, `--icmp-type`), reboot, poweroff, shutdown, vi, crontab, which. */
import type { Command } from '../context';
import { abs, readAllInput, readText, usage, writeText } from '../context';
import type { Chain, Protocol, Rule, Target } from '../../kernel/firewall';
import { parseCrontab } from '../cron';

export const ip: Command = function* (ctx, argv) {
  const args = argv.slice(1).filter((a) => a !== '-4');
  const obj = args[0] ?? '';
  if (obj === '' ) { ctx.err('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n'); return 255; }
  if ('address'.startsWith(obj) || obj === 'a') {
    const octets = ctx.host.ip.split('.').map(Number);
    const mac = `02:42:${octets.map((o) => o.toString(16).padStart(2, '0')).join(':')}`;
    const brd = `${octets.slice(0, 3).join('.')}.255`;
    ctx.out([
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '    inet 127.0.0.1/8 scope host lo',
      '       valid_lft forever preferred_lft forever',
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
      `    link/ether ${mac} brd ff:ff:ff:ff:ff:ff`,
      `    inet ${ctx.host.ip}/24 brd ${brd} scope global eth0`,
      '       valid_lft forever preferred_lft forever',
      '',
    ].join('\n'));
    return 0;
  }
  if ('route'.startsWith(obj) || obj === 'r') {
    const net = ctx.host.ip.split('.').slice(0, 3).join('.');
    ctx.out(`default via ${net}.1 dev eth0 \n${net}.0/24 dev eth0 proto kernel scope link src ${ctx.host.ip} \n`);
    return 0;
  }
  if ('link'.startsWith(obj)) {
    ctx.out('1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \n');
    return 0;
  }
  ctx.err(`Object "${obj}" is unknown, try "ip help".\n`);
  return 255;
};

export const iptables: Command = function* (ctx, argv) {
  const fw = ctx.host.firewall;
  let action: 'A' | 'I' | 'D' | 'F' | 'L' | 'S' | null = null;
  let chain: string | null = null;
  const rule: Rule = { target: 'ACCEPT' };
  let numeric = false;
  let targetSet = false;
  let insertPos = 1;
  let table = 'filter';
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    switch (a) {
      case '-A': case '--append': action = 'A'; chain = next() ?? null; break;
      case '-I': case '--insert': {
        action = 'I'; chain = next() ?? null;
        if (/^\d+$/.test(argv[i + 1] ?? '')) insertPos = Number(next());
        break;
      }
      case '-D': case '--delete': action = 'D'; chain = next() ?? null; break;
      case '-F': case '--flush': action = 'F'; if (argv[i + 1] && !argv[i + 1].startsWith('-')) chain = next(); break;
      case '-L': case '--list': action = 'L'; if (argv[i + 1] && !argv[i + 1].startsWith('-')) chain = next(); break;
      case '-S': case '--list-rules': action = 'S'; if (argv[i + 1] && !argv[i + 1].startsWith('-')) chain = next(); break;
      case '-t': table = next() ?? ''; break;
      case '-n': case '--numeric': numeric = true; break;
      case '-v': case '--line-numbers': case '-nv': case '-vn': numeric = numeric || a.includes('n'); break;
      case '-s': case '--source': rule.source = next(); break;
      case '-d': case '--destination': rule.destination = next(); break;
      case '-p': case '--protocol': {
        const p = (next() ?? '').toLowerCase();
        const proto = PROTOCOLS[p];
        if (!proto) { ctx.err(`iptables v1.8.7 (nf_tables): unknown protocol "${p}" specified\nTry \`iptables -h' or 'iptables --help' for more information.\n`); return 2; }
        if (proto === 'all') delete rule.protocol;
        else rule.protocol = proto;
        break;
      }
      case '--icmp-type': {
        // The icmp match comes with `-p icmp` (without it the option is unknown).
        if (rule.protocol !== 'icmp') { ctx.err(`iptables v1.8.7 (nf_tables): unknown option "${a}"\nTry \`iptables -h' or 'iptables --help' for more information.\n`); return 2; }
        const name = next() ?? '';
        const type = icmpTypeNumber(name);
        if (type === null) { ctx.err(`iptables v1.8.7 (nf_tables): Unknown ICMP type \`${name}'\nTry \`iptables -h' or 'iptables --help' for more information.\n`); return 2; }
        rule.icmpType = type;
        break;
      }
      case '--dport': case '--destination-port': rule.dport = Number(next()); break;
      case '--sport': case '--source-port': rule.sport = Number(next()); break;
      case '-m': next(); break;
      case '--reject-with': next(); break;
      case '-i': case '-o': next(); break;
      case '-j': case '--jump': {
        const t = (next() ?? '').toUpperCase();
        if (t !== 'ACCEPT' && t !== 'DROP' && t !== 'REJECT') { ctx.err(`iptables v1.8.7 (nf_tables): Couldn't load target \`${t}':No such file or directory\n\nTry \`iptables -h' or 'iptables --help' for more information.\n`); return 2; }
        rule.target = t as Target;
        targetSet = true;
        break;
      }
      default:
        ctx.err(`iptables v1.8.7 (nf_tables): unknown option "${a}"\nTry \`iptables -h' or 'iptables --help' for more information.\n`);
        return 2;
    }
  }
  if (table !== 'filter') { ctx.err(`iptables v1.8.7 (nf_tables): table '${table}' is not supported here\n`); return 1; }
  if (!action) { ctx.err("iptables v1.8.7 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.\n"); return 2; }
  if (chain !== null && chain !== 'INPUT' && chain !== 'OUTPUT' && chain !== 'FORWARD') {
    ctx.err(`iptables: No chain/target/match by that name.\n`);
    return 1;
  }
  const ch = chain as Chain | 'FORWARD' | null;
  if (action === 'L' || action === 'S') {
    const list: (Chain | 'FORWARD')[] = ch ? [ch] : ['INPUT', 'FORWARD', 'OUTPUT'];
    list.forEach((c, idx) => {
      const rules = c === 'FORWARD' ? [] : fw.chains[c];
      if (action === 'S') {
        ctx.out(`-P ${c} ACCEPT\n`);
        for (const r of rules) {
          const m = r.protocol === 'udp' ? 'udp' : 'tcp';
          ctx.out(`-A ${c}${r.source ? ` -s ${cidr(r.source)}` : ''}${r.destination ? ` -d ${cidr(r.destination)}` : ''}${r.protocol ? ` -p ${r.protocol}` : ''}`
            + `${r.icmpType !== undefined ? ` -m icmp --icmp-type ${r.icmpType}` : ''}${r.dport !== undefined ? ` -m ${m} --dport ${r.dport}` : ''}${r.sport !== undefined ? ` -m ${m} --sport ${r.sport}` : ''} -j ${r.target}${r.target === 'REJECT' ? ' --reject-with icmp-port-unreachable' : ''}\n`);
        }
        return;
      }
      ctx.out(`${idx > 0 ? '\n' : ''}Chain ${c} (policy ACCEPT)\ntarget     prot opt source               destination         \n`);
      for (const r of rules) {
        const any = numeric ? '0.0.0.0/0' : 'anywhere';
        const src = r.source ? (numeric ? cidrShort(r.source) : r.source) : any;
        const dst = r.destination ? (numeric ? cidrShort(r.destination) : r.destination) : any;
        let extra = '';
        const m = r.protocol === 'udp' ? 'udp' : 'tcp';
        if (r.icmpType !== undefined) extra += numeric || !ICMP_TYPE_NAMES[r.icmpType] ? `icmptype ${r.icmpType}` : `icmp ${ICMP_TYPE_NAMES[r.icmpType]}`;
        if (r.dport !== undefined) extra += `${m} dpt:${r.dport}`;
        if (r.sport !== undefined) extra += `${extra ? ' ' : `${m} `}spt:${r.sport}`;
        if (r.target === 'REJECT') extra += `${extra ? ' ' : ''}reject-with icmp-port-unreachable`;
        ctx.out(`${r.target.padEnd(10)} ${(r.protocol ?? 'all').padEnd(4)} --  ${src.padEnd(20)} ${dst.padEnd(20)}${extra ? ' ' + extra : ''}\n`);
      }
    });
    return 0;
  }
  if (action === 'F') {
    if (ch === 'FORWARD') return 0;
    fw.flush(ch ?? undefined);
    ctx.kernel.record('iptables', ctx.host.name, ctx.proc.pid, `-F ${ch ?? ''}`.trim());
    return 0;
  }
  if (!ch) return usage(ctx, 'iptables', 'option requires an argument');
  if (!targetSet) { ctx.err('iptables v1.8.7 (nf_tables): no target given (-j)\n'); return 2; }
  if (ch === 'FORWARD') return 0;
  if (action === 'A') fw.append(ch, rule);
  else if (action === 'I') fw.insert(ch, rule, insertPos);
  else if (!fw.delete(ch, rule)) { ctx.err('iptables: Bad rule (does a matching rule exist in that chain?).\n'); return 1; }
  ctx.kernel.record('iptables', ctx.host.name, ctx.proc.pid, argv.slice(1).join(' '));
  // A new rule may cut connections: what their senders still queue stops arriving.
  if (action !== 'D') ctx.kernel.network.pathsChanged();
  return 0;
};

/** `-p`'s names (and numbers) of the protocols a rule can name. */
const PROTOCOLS: Record<string, Protocol> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', all: 'all', '0': 'all' };

/** The ICMP types iptables lists by name (`iptables -p icmp -h`), those a ping meets. */
const ICMP_TYPE_NAMES: Record<number, string> = { 0: 'echo-reply', 3: 'destination-unreachable', 8: 'echo-request', 11: 'time-exceeded' };
const ICMP_TYPE_ALIASES: Record<string, number> = { pong: 0, ping: 8 };

/** `--icmp-type`'s argument: a name, an alias or a number (`8` or `8/0`); null when invalid. */
function icmpTypeNumber(s: string): number | null {
  for (const [n, name] of Object.entries(ICMP_TYPE_NAMES)) if (name === s) return Number(n);
  if (s in ICMP_TYPE_ALIASES) return ICMP_TYPE_ALIASES[s];
  const m = /^(\d{1,3})(?:\/\d{1,3})?$/.exec(s);
  return m && Number(m[1]) <= 255 ? Number(m[1]) : null;
}

function cidr(s: string): string { return s.includes('/') ? s : `${s}/32`; }
function cidrShort(s: string): string { return s.endsWith('/32') ? s.slice(0, -3) : s; }

export const reboot: Command = function* (ctx) {
  ctx.sys.reboot(ctx.host);
  return 0;
};

export const poweroff: Command = function* (ctx) {
  ctx.sys.poweroff(ctx.host);
  return 0;
};

export const shutdown: Command = function* (ctx, argv) {
  if (argv.includes('-r')) ctx.sys.reboot(ctx.host);
  else ctx.sys.poweroff(ctx.host);
  return 0;
};

export const vi: Command = function* (ctx, argv) {
  const name = argv[0];
  const file = argv.slice(1).find((a) => !a.startsWith('-') && !a.startsWith('+'));
  const path = file ? abs(ctx, file) : null;
  const current = file ? readText(ctx, file) : { text: '' };
  if ('error' in current && current.error !== 'ENOENT') { ctx.err(`${name}: ${file}: Is a directory\n`); return 1; }
  const content = 'text' in current ? current.text : '';
  const wait = ctx.sys.edit(ctx.term, path ?? '', content);
  if (!wait) {
    ctx.err(`${name}: no editor is attached to this terminal. Write the file with a heredoc instead:\n  cat > ${file ?? 'FILE'} <<'EOF'\n  ...\n  EOF\n`);
    return 1;
  }
  const saved: string | null = yield wait;
  if (saved === null || !file) return 0;
  const err = writeText(ctx, file, saved);
  if (err) { ctx.err(`"${file}" E212: Can't open file for writing\n`); return 1; }
  return 0;
};

export const crontab: Command = function* (ctx, argv) {
  const host = ctx.host;
  const arg = argv[1];
  if (arg === '-l') {
    if (!host.crontab) { ctx.err('no crontab for root\n'); return 1; }
    ctx.out(host.crontab);
    return 0;
  }
  if (arg === '-r') {
    if (!host.crontab) { ctx.err('no crontab for root\n'); return 1; }
    host.crontab = '';
    ctx.sys.crontabChanged(host);
    return 0;
  }
  const install = (text: string, name: string): number => {
    const parsed = parseCrontab(text);
    if (typeof parsed === 'string') {
      ctx.err(`"${name}":${parsed}\nerrors in crontab file, can't install.\n`);
      return 1;
    }
    host.crontab = text.endsWith('\n') || text === '' ? text : text + '\n';
    ctx.kernel.record('crontab', host.name, ctx.proc.pid, `${parsed.length} entries`);
    ctx.sys.crontabChanged(host);
    return 0;
  };
  if (arg === '-e') {
    const initial = host.crontab || '# m h  dom mon dow   command\n';
    const wait = ctx.sys.edit(ctx.term, '/tmp/crontab.root', initial);
    if (!wait) {
      ctx.err("crontab: no editor is attached to this terminal. Write the table to a file and install it:\n  cat > mycron <<'EOF'\n  */5 * * * * redis-cli BGSAVE\n  EOF\n  crontab mycron\n");
      return 1;
    }
    const saved: string | null = yield wait;
    if (saved === null || saved === host.crontab) { ctx.err('crontab: no changes made to crontab\n'); return 0; }
    const code = install(saved, '/tmp/crontab.root');
    if (code === 0) ctx.err('crontab: installing new crontab\n');
    return code;
  }
  if (arg === undefined || arg === '-') {
    const text: string = yield* readAllInput(ctx);
    return install(text, '-');
  }
  if (arg.startsWith('-')) {
    ctx.err(`crontab: invalid option -- '${arg.slice(1, 2)}'\ncrontab: usage error: unrecognized option\n`);
    return 1;
  }
  const r = readText(ctx, arg);
  if ('error' in r) { ctx.err(`${arg}: No such file or directory\n`); return 1; }
  return install(r.text, arg);
};

export const which: Command = function* (ctx, argv) {
  let code = 0;
  for (const name of argv.slice(1)) {
    const path = ctx.shell.commandPath(name);
    if (path) ctx.out(`${path}\n`);
    else code = 1;
  }
  return code;
};
