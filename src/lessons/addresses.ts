/**
 * How lessons name places in the world: a host by its topology name or one of its IPs; a Redis
 * server by `host:port` or `ip:port`; a file by `host:/absolute/path`. `127.0.0.1` and
 * `localhost` mean the lesson's only host (the 001/003 documents run everything on one machine);
 * in a lesson with several hosts they are ambiguous and rejected.
 *
 * Resolution is done twice: statically against the front matter's topology when a lesson is
 * validated (so a typo is a file:line:column error), and at run time against the world's hosts.
 */
import { didYouMean } from './diagnostics';

export interface HostNames {
  name: string;
  ips: readonly string[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

export type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };

function fail<T>(message: string): Resolved<T> {
  return { ok: false, message };
}

/** A host name, an IP of a host, or loopback in a one-host lesson → the host's name. */
export function resolveHost(text: string, hosts: readonly HostNames[]): Resolved<string> {
  const byName = hosts.find((h) => h.name === text);
  if (byName) return { ok: true, value: byName.name };
  const byIp = hosts.find((h) => h.ips.includes(text));
  if (byIp) return { ok: true, value: byIp.name };
  if (LOOPBACK.has(text)) {
    if (hosts.length === 1) return { ok: true, value: hosts[0].name };
    return fail(`"${text}" is ambiguous in a lesson with ${hosts.length} hosts: use a host name or IP (${hosts.map((h) => h.name).join(', ')})`);
  }
  const names = hosts.map((h) => h.name);
  return fail(`unknown host "${text}"${didYouMean(text, names)}; hosts are ${names.join(', ') || '(none)'}`);
}

/** `host:port` / `ip:port` → host name and port. */
export function resolveAddress(text: string, hosts: readonly HostNames[]): Resolved<{ host: string; port: number }> {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return fail(`"${text}" is not an address: write host:port or ip:port, like "10.0.0.1:6379"`);
  const portText = text.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return fail(`bad port "${portText}" in "${text}" (1..65535)`);
  const host = resolveHost(text.slice(0, colon), hosts);
  if (!host.ok) return host;
  return { ok: true, value: { host: host.value, port } };
}

/** `host:/path` → host name and absolute path. */
export function resolveFilePath(text: string, hosts: readonly HostNames[]): Resolved<{ host: string; path: string }> {
  const colon = text.indexOf(':');
  if (colon <= 0) return fail(`"${text}" does not name a host: write host:/absolute/path, like "eshop-cache01:/etc/redis/6379.conf"`);
  const path = text.slice(colon + 1);
  if (!path.startsWith('/')) return fail(`the path in "${text}" must be absolute (start with /)`);
  const host = resolveHost(text.slice(0, colon), hosts);
  if (!host.ok) return host;
  return { ok: true, value: { host: host.value, path } };
}

/** A host, or an address on a host (`on=` filters). */
export function resolveHostOrAddress(text: string, hosts: readonly HostNames[]): Resolved<{ host: string; port: number | null }> {
  if (text.includes(':')) {
    const a = resolveAddress(text, hosts);
    return a.ok ? { ok: true, value: a.value } : a;
  }
  const h = resolveHost(text, hosts);
  return h.ok ? { ok: true, value: { host: h.value, port: null } } : h;
}
