/**
 * The kernel tunables of a simulated host (/proc/sys), the few a Redis learner meets: each is a
 * file under /proc/sys on the host's disk, so `cat`, `echo 1 > …`, `sysctl` and redis-server's
 * start-up checks all see the same value. They live in kernel memory on a real machine, so at
 * every boot they are written back to the kernel's defaults (Debian 12's values), then the
 * files systemd-sysctl reads are applied: /etc/sysctl.d/*.conf in name order, then
 * /etc/sysctl.conf (Debian links it in as /etc/sysctl.d/99-sysctl.conf).
 */
import type { Host } from './host';
import { latin1Bytes, bytesToLatin1 } from './kernel';

export interface Tunable {
  /** Dotted name, e.g. vm.overcommit_memory. */
  name: string;
  defaultValue: string;
  /** Inclusive bounds the kernel accepts (proc_dointvec_minmax); writes outside: EINVAL. */
  min: number;
  max: number;
}

const INT_MAX = 2147483647;

export const TUNABLES: readonly Tunable[] = [
  { name: 'net.core.somaxconn', defaultValue: '4096', min: 0, max: INT_MAX },
  { name: 'vm.overcommit_memory', defaultValue: '0', min: 0, max: 2 },
  { name: 'vm.overcommit_ratio', defaultValue: '50', min: 0, max: INT_MAX },
  { name: 'vm.swappiness', defaultValue: '60', min: 0, max: 200 },
];

export const PROC_SYS = '/proc/sys';

/** The file of a dotted name. */
export function tunablePath(name: string): string {
  return `${PROC_SYS}/${name.split('.').join('/')}`;
}

export function tunableAt(path: string): Tunable | undefined {
  return TUNABLES.find((t) => tunablePath(t.name) === path);
}

/**
 * What the kernel stores when `text` is written to an integer tunable (proc_dointvec_minmax):
 * blanks, an optional sign, decimal digits, trailing blanks; anything else or a value out of
 * bounds is EINVAL. Returns the stored text, or null for EINVAL.
 */
export function parseTunableValue(t: Tunable, text: string): string | null {
  const m = /^\s*([+-]?\d+)\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  if (!Number.isSafeInteger(n) || n < t.min || n > t.max) return null;
  return `${n}\n`;
}

/** Write a tunable's file as the kernel would show it (always in memory: never dirty, cached). */
export function setTunableFile(host: Host, path: string, stored: string, now: number): void {
  const disk = host.disk;
  disk.mkdir(path.slice(0, path.lastIndexOf('/')), true, now);
  disk.writeFile(path, latin1Bytes(stored), now, true);
  const f = disk.lookup(path);
  if (f) f.cached = true;
  for (let i = path.indexOf('/', 1); i >= 0; i = path.indexOf('/', i + 1)) disk.lookup(path.slice(0, i))!.procfs = true;
  if (f) f.procfs = true;
}

/** One `key = value` line of a sysctl.conf (procps's rules: # and ; comments, a leading '-'). */
export function parseConfLine(raw: string): { key: string; value: string } | 'blank' | 'invalid' {
  const line = raw.trim();
  if (line === '' || line.startsWith('#') || line.startsWith(';')) return 'blank';
  const eq = line.indexOf('=');
  if (eq < 0) return 'invalid';
  let key = line.slice(0, eq).trim();
  if (key.startsWith('-')) key = key.slice(1);
  const value = line.slice(eq + 1).trim();
  if (key === '') return 'invalid';
  return { key, value };
}

/** The files systemd-sysctl applies at boot, in order. */
export function bootConfFiles(host: Host): string[] {
  const out: string[] = [];
  const d = host.disk.list('/etc/sysctl.d');
  if (Array.isArray(d)) for (const name of d) if (name.endsWith('.conf')) out.push(`/etc/sysctl.d/${name}`);
  if (host.disk.lookup('/etc/sysctl.conf')) out.push('/etc/sysctl.conf');
  return out;
}

/** At boot: the defaults, then the settings of the sysctl.conf files (bad lines are skipped). */
export function bootTunables(host: Host, now: number): void {
  for (const t of TUNABLES) setTunableFile(host, tunablePath(t.name), `${t.defaultValue}\n`, now);
  for (const file of bootConfFiles(host)) {
    const f = host.disk.lookup(file);
    if (!f || f.isDir) continue;
    for (const raw of bytesToLatin1(f.bytes()).split('\n')) {
      const r = parseConfLine(raw);
      if (typeof r === 'string') continue;
      const t = TUNABLES.find((x) => x.name === r.key.split('/').join('.'));
      const stored = t ? parseTunableValue(t, r.value) : null;
      if (t && stored !== null) setTunableFile(host, tunablePath(t.name), stored, now);
    }
  }
}
