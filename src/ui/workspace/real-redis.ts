/**
 * Export a topology to real Redis: one config file per server or sentinel (the very file the
 * simulated process was started with, plus any `--option value` it was given on its command
 * line), and a docker compose file that runs each of them in a container of the official
 * redis:7.0.15 image on a network with the topology's addresses. Processes of one simulated
 * host share one network namespace (compose `network_mode: service:...`), so `127.0.0.1:7000`
 * still means the same thing. Packed as a .tar archive for download.
 *
 * Changes made for containers, each stated in the file it is made in: `daemonize yes` becomes
 * `daemonize no` (a container's main process must stay in the foreground); the directories the
 * config names (`dir`, and those of `logfile` and `pidfile`) are volumes.
 */
import YAML from 'yaml';

export interface ExportedProcess {
  host: string;
  ip: string;
  argv: string[];
  /** The config file named on the command line, and its text (null when there is none). */
  confPath: string | null;
  confText: string | null;
}

export interface BundleFile {
  path: string;
  content: string;
}

const IMAGE = 'redis:7.0.15';
const CONF_DIR = '/usr/local/etc/redis';

function isSentinel(p: ExportedProcess): boolean {
  const prog = (p.argv[0] ?? '').split('/').pop();
  return prog === 'redis-sentinel' || p.argv.includes('--sentinel');
}

/** Command-line `--name value...` options as config lines. */
function optionLines(argv: string[]): string[] {
  const lines: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--') || a === '--sentinel') continue;
    const values: string[] = [];
    while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) values.push(argv[++i]);
    lines.push([a.slice(2), ...values].join(' '));
  }
  return lines;
}

function directive(text: string, name: string): string | null {
  let found: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [k, ...rest] = line.split(/\s+/);
    if (k.toLowerCase() === name) found = rest.join(' ').replace(/^"(.*)"$/, '$1');
  }
  return found;
}

function parentDir(path: string): string | null {
  if (!path.startsWith('/')) return null;
  const d = path.slice(0, path.lastIndexOf('/'));
  return d || null;
}

function portOf(text: string, sentinel: boolean): number {
  return Number(directive(text, 'port') ?? (sentinel ? 26379 : 6379));
}

/** The config a process runs with, adapted for a container. */
export function containerConf(p: ExportedProcess): string {
  const base = p.confText ?? '';
  const options = optionLines(p.argv);
  const header = [
    `# Exported from HA Lab: ${p.host} (${p.ip}) ran: ${p.argv.join(' ')}`,
    '# For a container: daemonize is off (the main process must stay in the foreground).',
    '',
  ];
  const body = base
    .split('\n')
    .map((l) => (/^\s*daemonize\s+yes\s*$/i.test(l) ? 'daemonize no' : l))
    .join('\n');
  const tail = options.length ? ['', '# From the command line:', ...options, ''] : [];
  return [...header, body.replace(/\n*$/, '\n'), ...tail].join('\n').replace(/\n{3,}/g, '\n\n');
}

function subnetFor(ips: string[]): string {
  const parts = ips.map((ip) => ip.split('.').map(Number));
  for (const bits of [24, 16, 8]) {
    const n = bits / 8;
    if (parts.every((p) => p.slice(0, n).join('.') === parts[0].slice(0, n).join('.'))) {
      const net = [...parts[0].slice(0, n), ...Array(4 - n).fill(0)].join('.');
      return `${net}/${bits}`;
    }
  }
  return '10.0.0.0/8';
}

/** Config files, docker-compose.yml and a README for a set of processes. */
export function realRedisBundle(processes: ExportedProcess[]): BundleFile[] {
  const files: BundleFile[] = [];
  const services: Record<string, Record<string, unknown>> = {};
  const firstOfHost = new Map<string, string>();
  const ips = [...new Set(processes.map((p) => p.ip))];
  for (const p of processes) {
    const sentinel = isSentinel(p);
    const conf = containerConf(p);
    const port = portOf(conf, sentinel);
    const confName = p.confPath ? p.confPath.split('/').pop()! : `${sentinel ? 'sentinel' : 'redis'}-${port}.conf`;
    const local = `${p.host}/${confName}`;
    files.push({ path: local, content: conf });
    const name = `${p.host}-${port}`;
    const dirs = new Set<string>();
    const dir = directive(conf, 'dir');
    if (dir?.startsWith('/')) dirs.add(dir);
    for (const f of ['logfile', 'pidfile']) {
      const v = directive(conf, f);
      const d = v ? parentDir(v) : null;
      if (d) dirs.add(d);
    }
    const service: Record<string, unknown> = {
      image: IMAGE,
      command: [sentinel ? 'redis-sentinel' : 'redis-server', `${CONF_DIR}/${confName}`],
      // Sentinel rewrites its config file, so it gets a copy it may write (a bind mount of a
      // single file cannot be replaced by rename).
      volumes: [`./${local}:${CONF_DIR}/${confName}`, ...[...dirs].sort()],
    };
    const first = firstOfHost.get(p.host);
    if (first) {
      service.network_mode = `service:${first}`;
      service.depends_on = [first];
    } else {
      firstOfHost.set(p.host, name);
      service.hostname = p.host;
      service.networks = { lab: { ipv4_address: p.ip } };
    }
    services[name] = service;
  }
  const compose = {
    name: 'halab-export',
    services,
    networks: { lab: { ipam: { config: [{ subnet: subnetFor(ips) }] } } },
  };
  files.push({ path: 'docker-compose.yml', content: `# Exported from HA Lab: one container per process, on the topology's addresses.\n${YAML.stringify(compose)}` });
  files.push({
    path: 'README.txt',
    content: [
      'HA Lab export: the same servers on real Redis 7.0.15.',
      '',
      '  docker compose up -d',
      `  docker compose exec ${Object.keys(services)[0] ?? '<service>'} redis-cli -p ${processes[0] ? portOf(containerConf(processes[0]), isSentinel(processes[0])) : 6379} INFO replication`,
      '',
      'Each <host>/<file>.conf is the config file the simulated process was started with',
      '(daemonize turned off for containers). Processes of one host share its network namespace.',
      '',
    ].join('\n'),
  });
  return files;
}

// ---- tar --------------------------------------------------------------------------------

const enc = new TextEncoder();

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** A POSIX ustar archive of text files (paths up to 100 bytes), with a fixed mtime. */
export function tarArchive(files: BundleFile[], mtimeSec = 0): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const f of files) {
    const data = enc.encode(f.content);
    const name = enc.encode(f.path);
    if (name.length > 100) throw new Error(`path too long for tar: ${f.path}`);
    const h = new Uint8Array(512);
    h.set(name, 0);
    h.set(enc.encode(octal(0o644, 8)), 100);
    h.set(enc.encode(octal(0, 8)), 108);
    h.set(enc.encode(octal(0, 8)), 116);
    h.set(enc.encode(octal(data.length, 12)), 124);
    h.set(enc.encode(octal(mtimeSec, 12)), 136);
    h.set(enc.encode('        '), 148);
    h[156] = 0x30; // regular file
    h.set(enc.encode('ustar\u000000'), 257);
    let sum = 0;
    for (const b of h) sum += b;
    h.set(enc.encode(octal(sum, 7) + ' '), 148);
    blocks.push(h);
    const padded = new Uint8Array(Math.ceil(data.length / 512) * 512);
    padded.set(data);
    blocks.push(padded);
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let pos = 0;
  for (const b of blocks) {
    out.set(b, pos);
    pos += b.length;
  }
  return out;
}
