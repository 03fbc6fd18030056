/**
 * The front matter: YAML between the `---` lines at the top of a lesson. Checked in two passes:
 * the JSON Schema (schema.ts) for shape and vocabularies, then the rules a schema cannot say
 * (unique host names and IPs, the load generator's host exists, fault lines parse). Normalized
 * into LessonMeta, whose `world` is the WorldSpec a WorldFactory builds.
 */
import type { HostNames } from './addresses';
import type { Level, Localized } from './catalog';
import type { DiagnosticSink } from './diagnostics';
import type { LessonMeta } from './lesson';
import { validators } from './schema';
import { parseSolutionLine } from './solution';
import type { TextMap } from './text-map';
import { parseDuration, parseSize } from './units';
import type { DiskPreset, FaultAction, HostSpec, LoadgenSpec, ScheduledFault } from './world-view';
import { locate, nodeStart, parseYaml, scalarValueMap, validateYaml } from './yaml-source';

/** The front matter as written (after schema validation). */
export interface FrontMatter {
  id: string;
  title: Localized;
  summary?: Localized;
  labs: string[];
  source: string | string[];
  level: Level;
  requires?: string[];
  seed: number;
  topology: {
    network?: { latency?: string; bandwidth?: string };
    hosts: {
      name: string;
      ip: string | string[];
      disk?: DiskPreset;
      files?: Record<string, string>;
      dirs?: string[];
      boot?: string[];
      torn_writes?: boolean;
    }[];
  };
  faults?: { at: string; do: string }[];
  loadgen?: {
    host: string;
    target?: string;
    sentinels?: string[];
    master?: string;
    rate?: number;
    keys?: number;
    autostart?: boolean;
  };
}

export interface FrontMatterResult {
  meta: LessonMeta | null;
  /** What later checks may rely on; null when the front matter is too broken to tell. */
  hosts: HostNames[] | null;
  hasLoadgen: boolean | null;
}

export const DEFAULT_LOADGEN_RATE = 50;
export const DEFAULT_LOADGEN_KEYS = 1000;

/** Parse and validate the YAML text of the front matter (`map` maps its offsets to the file). */
export function parseFrontMatter(
  yamlText: string,
  map: TextMap,
  sink: DiagnosticSink,
  opts: { expectedId: string | null } = { expectedId: null },
): FrontMatterResult {
  const none: FrontMatterResult = { meta: null, hosts: null, hasLoadgen: null };
  const parsed = parseYaml(yamlText, map, sink);
  if (!parsed) return none;
  const raw = parsed.value as Record<string, unknown> | null;
  const valid = validateYaml(validators().frontMatter, parsed, map, sink, '');

  // Even when the schema fails, salvage the host list if it is sound, so the body's host names
  // and addresses can still be checked.
  const hostsOk = Array.isArray((raw as any)?.topology?.hosts) &&
    (raw as any).topology.hosts.every((h: any) => h && typeof h.name === 'string');
  const hosts: HostNames[] | null = hostsOk
    ? (raw as any).topology.hosts.map((h: any) => ({
        name: h.name,
        ips: (Array.isArray(h.ip) ? h.ip : [h.ip]).filter((ip: unknown) => typeof ip === 'string'),
      }))
    : null;
  const hasLoadgen = raw && typeof raw === 'object' ? 'loadgen' in raw : null;
  if (!valid) return { meta: null, hosts, hasLoadgen };

  const fm = raw as unknown as FrontMatter;
  const at = (path: (string | number)[]) => map(nodeStart(locate(parsed.doc, path).node));
  const atKey = (path: (string | number)[]) => {
    const l = locate(parsed.doc, path);
    return map(nodeStart(l.key ?? l.node));
  };
  let ok = true;
  if (opts.expectedId !== null && fm.id !== opts.expectedId) {
    sink.error(at(['id']), `the id "${fm.id}" must match the file name "${opts.expectedId}.md"`);
    ok = false;
  }

  // Hosts: unique names and IPs; loopback is every host's own.
  const names = new Map<string, number>();
  const ips = new Map<string, string>();
  const hostSpecs: HostSpec[] = fm.topology.hosts.map((h, i) => {
    if (names.has(h.name)) {
      sink.error(at(['topology', 'hosts', i, 'name']), `host "${h.name}" is defined twice (also hosts[${names.get(h.name)}])`);
      ok = false;
    }
    names.set(h.name, i);
    const hostIps = Array.isArray(h.ip) ? h.ip : [h.ip];
    hostIps.forEach((ip, k) => {
      const path = Array.isArray(h.ip) ? ['topology', 'hosts', i, 'ip', k] : ['topology', 'hosts', i, 'ip'];
      if (ip.startsWith('127.')) {
        sink.error(at(path), `${ip} is a loopback address, which every host has: give the host a network address like 10.0.0.${i + 1}`);
        ok = false;
      } else if (ips.has(ip)) {
        sink.error(at(path), `IP ${ip} is already used by host "${ips.get(ip)}"`);
        ok = false;
      }
      ips.set(ip, h.name);
    });
    return {
      name: h.name,
      ips: hostIps,
      disk: h.disk ?? 'ssd',
      files: { ...(h.files ?? {}) },
      dirs: [...(h.dirs ?? [])],
      boot: [...(h.boot ?? [])],
      tornWrites: h.torn_writes ?? false,
    };
  });
  const hostNames: HostNames[] = hostSpecs.map((h) => ({ name: h.name, ips: h.ips }));
  const lineCtx = { hosts: hostNames, checks: { hosts: hostNames, hasLoadgen: fm.loadgen !== undefined } };

  // Faults: `do:` is a solution line that does not wait.
  const faults: ScheduledFault[] = [];
  (fm.faults ?? []).forEach((f, i) => {
    const node = locate(parsed.doc, ['faults', i, 'do']).node;
    const lineMap = scalarValueMap(yamlText, node, f.do, map);
    const line = parseSolutionLine(f.do, lineMap, lineCtx, sink, { allowWait: false });
    if (!line) {
      if (f.do.trim() === '' || f.do.trim().startsWith('#')) sink.error(at(['faults', i, 'do']), 'the fault has nothing to do');
      ok = false;
      return;
    }
    let action: FaultAction;
    if (line.kind === 'type') {
      if (line.mode !== 'shell') {
        sink.error(line.pos, 'a scheduled fault runs a shell line ("host$ ..."), not a line for a program');
        ok = false;
        return;
      }
      action = { kind: 'shell', host: line.host, line: line.line };
    } else if (line.kind === 'act') {
      action = line.action;
    } else {
      ok = false;
      return;
    }
    faults.push({ atMs: parseDuration(f.at)!, action });
  });
  faults.sort((a, b) => a.atMs - b.atMs);

  // Load generator.
  let loadgen: LoadgenSpec | null = null;
  if (fm.loadgen) {
    const lg = fm.loadgen;
    if (!names.has(lg.host)) {
      sink.error(at(['loadgen', 'host']), `unknown host "${lg.host}"; hosts are ${[...names.keys()].join(', ')}`);
      ok = false;
    }
    const viaSentinels = lg.sentinels !== undefined || lg.master !== undefined;
    if (lg.target !== undefined && viaSentinels) {
      sink.error(atKey(['loadgen', 'target']), 'loadgen: give either "target" or "sentinels" and "master", not both');
      ok = false;
    } else if (lg.target === undefined && !(lg.sentinels && lg.master)) {
      sink.error(atKey(['loadgen']), 'loadgen: needs "target: ip:port", or "sentinels: [...]" with "master: <name>"');
      ok = false;
    }
    loadgen = {
      host: lg.host,
      target: lg.target !== undefined ? { address: lg.target } : { sentinels: lg.sentinels ?? [], master: lg.master ?? '' },
      ratePerSec: lg.rate ?? DEFAULT_LOADGEN_RATE,
      keys: lg.keys ?? DEFAULT_LOADGEN_KEYS,
      autostart: lg.autostart ?? false,
    };
  }

  const network = fm.topology.network ?? {};
  const meta: LessonMeta = {
    id: fm.id,
    title: fm.title,
    summary: fm.summary ?? null,
    labs: fm.labs,
    sources: Array.isArray(fm.source) ? fm.source : [fm.source],
    level: fm.level,
    requires: fm.requires ?? [],
    seed: fm.seed,
    world: {
      hosts: hostSpecs,
      network: {
        latencyMs: network.latency ? parseDuration(network.latency)! : null,
        bandwidthBytesPerSec: network.bandwidth ? parseSize(network.bandwidth.replace(/\/s$/, ''))! : null,
      },
      faults,
      loadgen,
    },
  };
  return { meta: ok ? meta : null, hosts: hostNames, hasLoadgen: fm.loadgen !== undefined };
}
