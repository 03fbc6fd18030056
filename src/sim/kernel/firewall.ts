/**
 * A host's packet filter: iptables' INPUT and OUTPUT chains of the filter table, enough for
 * what the labs type (`iptables -A INPUT -s 10.0.0.12 -j DROP`, `-p tcp --dport 6379`,
 * `-p icmp [--icmp-type echo-request]`, `-j REJECT`, `-D`, `-F`, `-L [-n]`). Rules are
 * evaluated in order, first match wins, the policy is ACCEPT. Packets are TCP segments
 * (network.ts) or ICMP datagrams (icmp.ts: ping); a `-p udp` rule matches neither.
 */

export type Chain = 'INPUT' | 'OUTPUT';
export type Target = 'ACCEPT' | 'DROP' | 'REJECT';

export interface Rule {
  source?: string;
  destination?: string;
  protocol?: Protocol;
  dport?: number;
  sport?: number;
  /** `--icmp-type`: the ICMP type matched (8 echo-request, 0 echo-reply, 3 destination-unreachable). */
  icmpType?: number;
  target: Target;
}

export type Protocol = 'tcp' | 'udp' | 'icmp' | 'all';

/** A TCP segment (ports) or an ICMP datagram (its type; ports are 0). */
export interface Packet { src: string; dst: string; sport: number; dport: number; proto?: 'tcp' | 'icmp'; icmpType?: number }

export class Firewall {
  readonly chains: Record<Chain, Rule[]> = { INPUT: [], OUTPUT: [] };

  /** The verdict of a chain for a packet (TCP unless it says otherwise). */
  verdict(chain: Chain, p: Packet): Target {
    const proto = p.proto ?? 'tcp';
    for (const r of this.chains[chain]) {
      if (r.protocol !== undefined && r.protocol !== 'all' && r.protocol !== proto) continue;
      if (r.icmpType !== undefined && r.icmpType !== p.icmpType) continue;
      if (r.source && !cidrMatch(r.source, p.src)) continue;
      if (r.destination && !cidrMatch(r.destination, p.dst)) continue;
      if (r.dport !== undefined && r.dport !== p.dport) continue;
      if (r.sport !== undefined && r.sport !== p.sport) continue;
      return r.target;
    }
    return 'ACCEPT';
  }

  append(chain: Chain, r: Rule): void { this.chains[chain].push(r); }
  insert(chain: Chain, r: Rule, pos = 1): void { this.chains[chain].splice(Math.max(0, pos - 1), 0, r); }

  /** Delete the first rule equal to `r`; false when there is none. */
  delete(chain: Chain, r: Rule): boolean {
    const i = this.chains[chain].findIndex((x) => sameRule(x, r));
    if (i < 0) return false;
    this.chains[chain].splice(i, 1);
    return true;
  }

  flush(chain?: Chain): void {
    if (chain) this.chains[chain] = [];
    else { this.chains.INPUT = []; this.chains.OUTPUT = []; }
  }

  clone(): Firewall {
    const f = new Firewall();
    f.chains.INPUT = this.chains.INPUT.map((r) => ({ ...r }));
    f.chains.OUTPUT = this.chains.OUTPUT.map((r) => ({ ...r }));
    return f;
  }
}

function sameRule(a: Rule, b: Rule): boolean {
  return norm(a.source) === norm(b.source) && norm(a.destination) === norm(b.destination) && (a.protocol ?? 'all') === (b.protocol ?? 'all')
    && a.dport === b.dport && a.sport === b.sport && a.icmpType === b.icmpType && a.target === b.target;
}

function norm(cidr: string | undefined): string {
  if (!cidr) return '0.0.0.0/0';
  return cidr.includes('/') ? cidr : `${cidr}/32`;
}

export function parseIPv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((x) => x > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function cidrMatch(cidr: string, ip: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const a = parseIPv4(net);
  const b = parseIPv4(ip);
  if (a === null || b === null) return net === ip;
  if (bits === 0) return true;
  const mask = bits >= 32 ? 0xffffffff : (~((1 << (32 - bits)) - 1)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}
