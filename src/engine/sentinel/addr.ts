/**
 * Instance addresses (sentinel.c's sentinelAddr helpers).
 *
 * Without `resolve-hostnames yes` an address must be a numeric IP (anetResolve with
 * ANET_IP_ONLY): "localhost" or a host name fails with "Failed to resolve hostname" in the log
 * and "Can't resolve instance hostname." to the caller. With it, a name is resolved through the
 * Os (getaddrinfo: its first address is the instance's IP, as SENTINEL GET-MASTER-ADDR-BY-NAME
 * shows without announce-hostnames); an Os without a resolver keeps the name as its own "IP",
 * resolved when connecting.
 * The numeric form is normalised the way inet_ntop prints it (127.1 is 127.0.0.1).
 */
import type { SentinelAddr, SentinelState } from './state';

/** a.b.c.d with decimal parts 0-255 and no leading zeros: what inet_ntop prints. */
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** inet_aton()'s IPv4 forms (a, a.b, a.b.c, a.b.c.d; decimal, octal or hex parts), normalised. */
export function parseIpv4(s: string): string | null {
  // The usual form (every hello and INFO line names one) is already normalised.
  if (CANONICAL_IPV4.test(s)) return s;
  const parts = s.split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) n = parseInt(p, 10);
    else return null;
    nums.push(n);
  }
  let value: number;
  const last = nums[nums.length - 1];
  const head = nums.slice(0, -1);
  if (head.some((x) => x > 255)) return null;
  const room = 2 ** (8 * (5 - nums.length));
  if (last >= room) return null;
  value = last;
  head.forEach((x, i) => { value += x * 2 ** (8 * (3 - i)); });
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** A numeric IPv6 address (kept as written, lower-cased). */
function parseIpv6(s: string): string | null {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return null;
  const doubles = s.split('::').length - 1;
  if (doubles > 1) return null;
  const groups = s.split(':');
  if (groups.length > 8 || (doubles === 0 && groups.length !== 8 && !groups[groups.length - 1].includes('.'))) return null;
  return s.toLowerCase();
}

/** The numeric IP for `host`, or null when it is not an IP literal. */
export function numericIp(host: string): string | null {
  return parseIpv4(host) ?? parseIpv6(host);
}

/**
 * anetResolve() as Sentinel calls it: the IP for `host`, or null when it cannot be resolved.
 * Host names resolve only with resolve-hostnames (see the top comment).
 */
export function resolveHost(st: SentinelState, host: string): string | null {
  const ip = numericIp(host);
  if (ip !== null) return ip;
  if (!st.resolveHostnames || host.length === 0) return null;
  const os = st.server.os;
  return os.resolveHostname ? os.resolveHostname(host) : host;
}

export type AddrResult = { addr: SentinelAddr } | { errno: 'EINVAL' | 'ENOENT' };

/** createSentinelAddr(). */
export function createSentinelAddr(st: SentinelState, hostname: string, port: number, acceptUnresolved: boolean): AddrResult {
  if (port < 0 || port > 65535) return { errno: 'EINVAL' };
  let ip = resolveHost(st, hostname);
  if (ip === null) {
    st.server.log.warning(`Failed to resolve hostname '${hostname}'`);
    if (st.resolveHostnames && acceptUnresolved) ip = '';
    else return { errno: 'ENOENT' };
  }
  return { addr: { hostname, ip, port } };
}

export function dupAddr(a: SentinelAddr): SentinelAddr {
  return { hostname: a.hostname, ip: a.ip, port: a.port };
}

/** sentinelAddrOrHostnameEqual(). */
export function addrOrHostnameEqual(a: SentinelAddr, b: SentinelAddr): boolean {
  return a.port === b.port && (a.ip === b.ip || a.hostname.toLowerCase() === b.hostname.toLowerCase());
}

/** sentinelAddrEqualsHostname(). */
export function addrEqualsHostname(st: SentinelState, a: SentinelAddr, hostname: string): boolean {
  const ip = resolveHost(st, hostname);
  if (ip === null) return (st.resolveHostnames ? a.hostname : a.ip).toLowerCase() === hostname.toLowerCase();
  return a.ip.toLowerCase() === ip.toLowerCase();
}

/** announceSentinelAddr(): the hostname with announce-hostnames, else the IP. */
export function announceAddr(st: SentinelState, a: SentinelAddr): string {
  return st.announceHostnames ? a.hostname : a.ip;
}

/** announceSentinelAddrAndPort(): "ip:port", IPv6 in brackets. */
export function announceAddrAndPort(st: SentinelState, a: SentinelAddr): string {
  const host = announceAddr(st, a);
  return host.includes(':') ? `[${host}]:${a.port}` : `${host}:${a.port}`;
}
