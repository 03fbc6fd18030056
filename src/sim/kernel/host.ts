/**
 * A simulated machine: name, addresses, a disk, a packet filter, a crontab, and whether it is
 * powered. Processes live in the kernel's process table (they point at their host); the host
 * keeps what survives them.
 */
import type { DiskProfile, MetaDelta } from '../protocol';
import { Disk } from './disk';
import { Firewall } from './firewall';
import { Rng } from './rng';
import { DEFAULT_CLOCKSOURCES } from './clocksource';
import type { ThpMode } from './hugepages';
import { utf8ToStr } from '../../engine/bytes';

export interface HostSpec {
  name: string;
  /** The host's address on the lab network, e.g. 10.0.0.11. */
  ip: string;
  /** More addresses of the host (a second network), after `ip`. */
  extraIps?: string[];
  disk?: DiskProfile;
  /** Probability that a power loss tears the last unsynced write of each dirty file. */
  tornWriteProbability?: number;
  /** Minutes east of UTC (what `date` and Redis's log timestamps show). */
  tzOffsetMinutes?: number;
  /**
   * Files present at boot: path → text (UTF-8) or bytes. Directories are created as needed.
   * Paths, directories, boot lines and home are human text; inside the host they are byte strings
   * of their UTF-8 encoding, as a Linux kernel sees them (so `ls` prints `/root/备份` right).
   */
  files?: Record<string, string | Uint8Array>;
  /** Empty directories present at boot. */
  dirs?: string[];
  /** Shell command lines run at every boot (systemd units, in effect), in order. */
  boot?: string[];
  /** Working directory of the login shell. */
  home?: string;
  /** The machine's RAM in MiB (/proc/meminfo, free; kernel/memory.ts). Default 4096. */
  memoryMiB?: number;
  /** Its CPUs (nproc, /proc/cpuinfo). Default 2. */
  cpus?: number;
  /** The clock sources it has, the one it boots with first (kernel/clocksource.ts). Default tsc, hpet, acpi_pm. */
  clocksources?: string[];
  /** Transparent huge pages at boot (kernel/hugepages.ts). Default madvise, as Debian 12. */
  transparentHugepages?: ThpMode;
  /** Whether OpenSSH's server runs on port 22 (ssh/sshd.ts). Default true, as on a Debian server. */
  sshd?: boolean;
}

export class Host {
  readonly name: string;
  readonly ip: string;
  /** Every address of the host on the lab network(s), `ip` first. */
  readonly ips: readonly string[];
  readonly disk: Disk;
  readonly firewall = new Firewall();
  readonly rng: Rng;
  up = true;
  bootedAt = 0;
  /** Incremented at every boot: connections from a previous boot are unknown to this one. */
  bootId = 0;
  tornWriteProbability: number;
  tzOffsetMinutes: number;
  readonly boot: string[];
  readonly home: string;
  readonly memoryMiB: number;
  readonly cpus: number;
  readonly clocksources: readonly string[];
  /** The clock source in use (current_clocksource). */
  clocksource: string;
  readonly transparentHugepages: ThpMode;
  readonly sshd: boolean;
  /** Installed crontab text (`crontab -l`). */
  crontab = '';
  private nextEphemeral: number;

  constructor(spec: HostSpec, seed: string, diskProfile: DiskProfile, onMeta: (host: Host, d: MetaDelta) => void) {
    this.name = spec.name;
    this.ip = spec.ip;
    this.ips = [spec.ip, ...(spec.extraIps ?? [])];
    this.rng = new Rng(seed, `host:${spec.name}`);
    this.disk = new Disk(diskProfile, (d) => onMeta(this, d));
    this.tornWriteProbability = spec.tornWriteProbability ?? 0;
    this.tzOffsetMinutes = spec.tzOffsetMinutes ?? 0;
    this.boot = (spec.boot ?? []).map(utf8ToStr);
    this.home = utf8ToStr(spec.home ?? '/root');
    this.memoryMiB = Math.max(64, Math.floor(spec.memoryMiB ?? 4096));
    this.cpus = Math.max(1, Math.floor(spec.cpus ?? 2));
    this.clocksources = spec.clocksources && spec.clocksources.length > 0 ? [...spec.clocksources] : DEFAULT_CLOCKSOURCES;
    this.clocksource = this.clocksources[0];
    this.transparentHugepages = spec.transparentHugepages ?? 'madvise';
    this.sshd = spec.sshd ?? true;
    this.nextEphemeral = 32768 + this.rng.int(20000);
  }

  /** Addresses the host answers on (loopback first). */
  get addresses(): string[] { return ['127.0.0.1', ...this.ips]; }

  owns(ip: string): boolean { return this.ips.includes(ip) || ip.startsWith('127.') || ip === '::1'; }

  /** Linux's ephemeral range is 32768–60999. */
  ephemeralPort(inUse: (p: number) => boolean): number {
    for (let i = 0; i < 28232; i++) {
      const p = this.nextEphemeral;
      this.nextEphemeral = p >= 60999 ? 32768 : p + 1;
      if (!inUse(p)) return p;
    }
    return 0;
  }
}
