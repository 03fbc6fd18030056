/**
 * The host's /etc/services, as glibc's getservbyport and getservbyname read it (the files
 * backend): `name port/protocol aliases… # comment`, the first matching line wins. A simulated
 * host has no /etc/services unless its lab writes one, so nothing resolves there and ss and
 * netstat print numbers, as the real tools do when the file is missing.
 */
import type { CmdCtx } from '../context';
import { readText } from '../context';

export interface Service { name: string; aliases: string[]; port: number; proto: string }

export function readServices(ctx: CmdCtx): Service[] {
  const f = readText(ctx, '/etc/services');
  if (!('text' in f)) return [];
  const out: Service[] = [];
  for (const raw of f.text.split('\n')) {
    const words = raw.replace(/#.*/, '').split(/[ \t]+/).filter((w) => w !== '');
    if (words.length < 2) continue;
    const m = /^(\d+)\/(\S+)$/.exec(words[1]);
    if (!m) continue;
    const port = Number(m[1]);
    if (port > 65535) continue;
    out.push({ name: words[0], aliases: words.slice(2), port, proto: m[2] });
  }
  return out;
}

export function serviceByPort(services: readonly Service[], port: number, proto: string): string | null {
  return services.find((s) => s.port === port && s.proto === proto)?.name ?? null;
}

export function serviceByName(services: readonly Service[], name: string, proto: string): number | null {
  return services.find((s) => s.proto === proto && (s.name === name || s.aliases.includes(name)))?.port ?? null;
}

/** Linux's default net.ipv4.ip_local_port_range: the simulated hosts take their ephemeral ports there. */
export const EPHEMERAL_PORTS = { min: 32768, max: 60999 };
