import { describe, expect, it } from 'vitest';
import { layoutTopology, connectionPath, cutPairs, visibleProcesses, rowLabel, HOST_W, LABEL_CHAR_W, META_W } from '../../src/ui/topology/layout';
import type { HostView, ProcView, ConnView } from '../../src/ui/world/session.svelte';

function proc(host: string, pid: number, over: Partial<ProcView> = {}): ProcView {
  return { host, pid, ppid: 1, name: 'redis-server', title: 'redis-server', argv: ['redis-server'], kind: 'program', ports: [], tty: null, startT: 0, stopped: false, ...over };
}

const hosts: HostView[] = [
  { name: 'a', ip: '10.0.0.1', up: true, processes: [proc('a', 10, { ports: [7001] }), proc('a', 11, { ports: [7000] }), proc('a', 12, { kind: 'shell', name: 'bash' }), proc('a', 13, { kind: 'child', ppid: 11, name: 'redis-rdb-bgsave' })] },
  { name: 'b', ip: '10.0.0.2', up: false, processes: [] },
];

function conn(over: Partial<ConnView>): ConnView {
  return { id: 1, client: '', server: '', clientHost: 'a', serverHost: 'a', clientPid: 10, serverPid: 11, state: 'established', stalledBytes: 0, ...over };
}

describe('topology layout', () => {
  it('shows programs and their children in tree order, by port, and hides shells', () => {
    expect(visibleProcesses(hosts[0]).map((x) => [x.proc.pid, x.depth])).toEqual([[11, 0], [13, 1], [10, 0]]);
  });

  it('places hosts side by side and anchors every shown process', () => {
    const l = layoutTopology(hosts, [{ host: 'b', argv: ['redis-server', 'x.conf'], ports: [6379], name: 'redis-server' }]);
    expect(l.hosts.map((h) => h.name)).toEqual(['a', 'b']);
    expect(l.hosts[1].x - l.hosts[0].x).toBeGreaterThanOrEqual(HOST_W);
    expect(l.hosts[0].rows.map((r) => r.pid)).toEqual([11, 13, 10]);
    expect(l.hosts[1].rows[0].ghost?.ports).toEqual([6379]);
    expect([...l.anchors.keys()].sort()).toEqual([10, 11, 13]);
    expect(l.width).toBeGreaterThan(2 * HOST_W);
  });

  it('draws loopback connections as arcs and others as lines, with points along them', () => {
    const l = layoutTopology([...hosts, { name: 'c', ip: '10.0.0.3', up: true, processes: [proc('c', 20, { ports: [6379] })] }]);
    const arc = connectionPath(l, conn({}))!;
    expect(arc.d.startsWith('M') && arc.d.includes('Q')).toBe(true);
    expect(arc.at(0)).toEqual({ x: l.anchors.get(10)!.right, y: l.anchors.get(10)!.y });
    const line = connectionPath(l, conn({ serverHost: 'c', serverPid: 20 }))!;
    expect(line.d.includes('L')).toBe(true);
    const mid = line.at(0.5);
    expect(mid.x).toBeGreaterThan(line.at(0).x);
    // A connection whose end is not shown attaches to the host header.
    expect(connectionPath(l, conn({ clientPid: 999 }))).not.toBeNull();
    expect(connectionPath(l, conn({ clientHost: 'nowhere', clientPid: 999 }))).toBeNull();
  });

  it('makes host boxes wide enough for every label beside its role and pid, all alike', () => {
    const roomy = (l: ReturnType<typeof layoutTopology>) =>
      l.hosts.every((h) => h.rows.every((r) => r.w - 8 - rowLabel(r.proc ?? r.ghost!).length * LABEL_CHAR_W >= META_W));
    const plain = layoutTopology(hosts);
    expect(plain.hosts.every((h) => h.w === HOST_W)).toBe(true);
    expect(roomy(plain)).toBe(true);
    // A cluster node listens on its port and its bus port: "redis-server :7000,17000".
    const cluster = layoutTopology([
      { name: 'a', ip: '10.0.0.1', up: true, processes: [proc('a', 10, { ports: [7000, 17000] })] },
      { name: 'b', ip: '10.0.0.2', up: true, processes: [proc('b', 20, { ports: [7001] })] },
    ]);
    const [a, b] = cluster.hosts;
    expect(a.w).toBeGreaterThan(HOST_W);
    expect(b.w).toBe(a.w);
    expect(b.x - a.x).toBeGreaterThanOrEqual(a.w);
    expect(roomy(cluster)).toBe(true);
    expect(cluster.anchors.get(10)!.right).toBe(a.x + a.w);
  });

  it('folds directed cuts into pairs', () => {
    expect(cutPairs([['a', 'b'], ['b', 'a'], ['c', 'a']])).toEqual([{ a: 'a', b: 'b', both: true }, { a: 'a', b: 'c', both: false }]);
  });
});
