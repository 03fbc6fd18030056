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
import { markProcfs } from './pseudo-files';

export interface Tunable {
  /** Dotted name, e.g. vm.overcommit_memory. */
  name: string;
  defaultValue: string;
  /** Inclusive bounds the kernel accepts (proc_dointvec_minmax); writes outside: EINVAL. */
  min: number;
  max: number;
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/*
 * Bounds as Linux 6.1 declares them: somaxconn and swappiness use proc_dointvec_minmax with a
 * floor of 0 (swappiness up to 200), overcommit_memory 0..2; overcommit_ratio is a plain
 * proc_dointvec, so any int, even a negative one, is taken; icmp_echo_ignore_all is 0..1.
 */
export const TUNABLES: readonly Tunable[] = [
  { name: 'net.core.somaxconn', defaultValue: '4096', min: 0, max: INT_MAX },
  // A host that ignores pings (icmp.ts); proc_dou8vec_minmax 0..1.
  { name: 'net.ipv4.icmp_echo_ignore_all', defaultValue: '0', min: 0, max: 1 },
  { name: 'vm.overcommit_memory', defaultValue: '0', min: 0, max: 2 },
  { name: 'vm.overcommit_ratio', defaultValue: '50', min: INT_MIN, max: INT_MAX },
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

/** The kernel's isspace(). */
const SPACE = /[ \t\n\v\f\r]/;
/** What may follow a number (proc_wspace_sep). */
const AFTER_NUMBER = /[ \t\n]/;
/** proc_get_long copies at most TMPBUFLEN - 1 = 21 bytes; a number that long is refused. */
const NUMBER_MAX_CHARS = 21;

/**
 * What the kernel stores when `text` is written to an integer tunable (__do_proc_dointvec with
 * one value): blanks are skipped, then an optional `-` and a number as strtoul reads it in base
 * 0 (`0x1f` hex, `017` octal), which must end the text or be followed by a space, tab or
 * newline; whatever comes after that is ignored (`echo '1 2'` stores 1). No number, a `+`, a
 * letter glued to the digits, or a value out of the tunable's bounds: EINVAL, and the value
 * stays. Returns the stored text, or null for EINVAL.
 */
export function parseTunableValue(t: Tunable, text: string): string | null {
  let i = 0;
  while (i < text.length && SPACE.test(text[i])) i++;
  if (i === text.length) return null;
  const rest = text.slice(i, i + NUMBER_MAX_CHARS);
  const neg = rest[0] === '-' && text.length - i > 1;
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(neg ? rest.slice(1) : rest);
  if (!m) return null;
  const len = (neg ? 1 : 0) + m[1].length;
  if (len === NUMBER_MAX_CHARS) return null;
  if (i + len < text.length && !AFTER_NUMBER.test(text[i + len])) return null;
  const digits = m[1];
  const magnitude = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits[0] === '0' ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const value = neg ? -magnitude : magnitude;
  if (value < BigInt(INT_MIN) || value > BigInt(INT_MAX) || value < BigInt(t.min) || value > BigInt(t.max)) return null;
  return `${value}\n`;
}

/**
 * Make a tunable's file hold `stored`, as the kernel shows it (in memory: never dirty, always
 * cached). A write to the file goes through the kernel's parser: refused values fail with
 * EINVAL and leave it as it was (`echo abc > /proc/sys/vm/overcommit_memory`).
 */
export function setTunableFile(host: Host, path: string, stored: string, now: number): void {
  const disk = host.disk;
  disk.mkdir(path.slice(0, path.lastIndexOf('/')), true, now);
  const f = disk.lookup(path);
  if (f?.pseudo) f.pseudo = null;
  disk.writeFile(path, latin1Bytes(stored), now, true, true);
  markProcfs(host, path);
  const t = tunableAt(path);
  const file = disk.lookup(path)!;
  file.cached = true;
  if (t) {
    file.pseudo = {
      write: (bytes, at) => {
        const value = parseTunableValue(t, bytesToLatin1(bytes));
        if (value === null) return 'EINVAL';
        setTunableFile(host, path, value, at);
        return null;
      },
    };
  }
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
