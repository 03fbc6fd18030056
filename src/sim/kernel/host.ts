/**
 * A simulated machine: name, addresses, a disk, a packet filter, a crontab, and whether it is
 * powered. Processes live in the kernel's process table (they point at their host); the host
 * keeps what survives them.
 */
import type { DiskProfile, MetaDelta } from '../protocol';
import { Disk } from './disk';
import { Firewall } from './firewall';
import { Rng } from './rng';

export interface HostSpec {
  name: string;
  /** The host's address on the lab network, e.g. 10.0.0.11. */
  ip: string;
  disk?: DiskProfile;
  /** Probability that a power loss tears the last unsynced write of each dirty file. */
  tornWriteProbability?: number;
  /** Minutes east of UTC (what `date` and Redis's log timestamps show). */
  tzOffsetMinutes?: number;
  /** Files present at boot: path → text (UTF-8) or bytes. Directories are created as needed. */
  files?: Record<string, string | Uint8Array>;
  /** Extra empty directories present at boot (created with their parents). */
  dirs?: string[];
  /** Shell command lines run at every boot (systemd units, in effect), in order. */
  boot?: string[];
  /** Working directory of the login shell. */
  home?: string;
}

export class Host {
  readonly name: string;
  readonly ip: string;
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
  /** Installed crontab text (`crontab -l`). */
  crontab = '';
  private nextEphemeral: number;

  constructor(spec: HostSpec, seed: string, diskProfile: DiskProfile, onMeta: (host: Host, d: MetaDelta) => void) {
    this.name = spec.name;
    this.ip = spec.ip;
    this.rng = new Rng(seed, `host:${spec.name}`);
    this.disk = new Disk(diskProfile, (d) => onMeta(this, d));
    this.tornWriteProbability = spec.tornWriteProbability ?? 0;
    this.tzOffsetMinutes = spec.tzOffsetMinutes ?? 0;
    this.boot = spec.boot ?? [];
    this.home = spec.home ?? '/root';
    this.nextEphemeral = 32768 + this.rng.int(20000);
  }

  /** Addresses the host answers on (loopback first). */
  get addresses(): string[] { return ['127.0.0.1', this.ip]; }

  owns(ip: string): boolean { return ip === this.ip || ip.startsWith('127.') || ip === '::1'; }

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
