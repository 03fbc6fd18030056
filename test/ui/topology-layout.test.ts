import { describe, expect, it } from 'vitest';
import { layoutTopology, fitTopology, scaleIn, connectionPath, cutPairs, visibleProcesses, rowLabel, clearanceFromBoxes, endPoint, pathBetween, GOOD_SCALE, HOST_W, LABEL_CHAR_W, META_W, STACKED_META_W, type Layout } from '../../src/ui/topology/layout';
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

/** The hosts of a route's boxes that a route between two processes passes through (walked finely). */
function crossings(lay: Layout, from: number, to: number) {
  const a = lay.anchors.get(from)!;
  const b = lay.anchors.get(to)!;
  const route = pathBetween(lay, endPoint(lay, from, a.host)!, endPoint(lay, to, b.host)!);
  const inside: string[] = [];
  for (let i = 1; i < 400; i++) {
    const p = route.at(i / 400);
    for (const h of lay.hosts) if (p.x > h.x + 0.5 && p.x < h.x + h.w - 0.5 && p.y > h.y + 0.5 && p.y < h.y + h.h - 0.5) inside.push(h.name);
  }
  return { route, inside: [...new Set(inside)] };
}

/** The sentinel preset's hosts: a redis-server and a redis-sentinel on each of three. */
const sentinelHosts: HostView[] = ['redis01', 'redis02', 'redis03'].map((name, i) => ({
  name,
  ip: `10.0.1.5${i + 1}`,
  up: true,
  processes: [proc(name, 100 + i, { ports: [6379] }), proc(name, 200 + i, { name: 'redis-sentinel', ports: [26379] })],
}));

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

  it('routes a connection around the boxes between its hosts, never through one', () => {
    const grid: HostView[] = ['h1', 'h2', 'h3', 'h4', 'h5'].map((name, i) => ({ name, ip: `10.0.0.${i + 1}`, up: true, processes: [proc(name, 100 + i, { ports: [6379] }), proc(name, 200 + i, { ports: [26379] })] }));
    const l = layoutTopology(grid);
    // Walk each route finely: every point lies outside every box but at its two ends.
    // Neighbours: a straight line.
    const near = crossings(l, 100, 201);
    expect(near.inside).toEqual([]);
    expect(near.route.d).not.toContain('Q');
    // h1 → h3 on one row: h2 is in the way, so the route goes above the row.
    const far = crossings(l, 100, 202);
    expect(far.inside).toEqual([]);
    expect(Math.min(...Array.from({ length: 101 }, (_, i) => far.route.at(i / 100).y))).toBeLessThan(l.hosts[1].y);
    expect(far.route.at(0)).toEqual({ x: l.hosts[0].x + l.hosts[0].w, y: l.anchors.get(100)!.y });
    expect(far.route.at(1)).toEqual({ x: l.hosts[2].x, y: l.anchors.get(202)!.y });
    // Across rows and in one column (h1 above h4), and diagonally across the grid.
    for (const [from, to] of [[100, 103], [203, 100], [202, 104], [104, 100], [102, 203]]) expect(crossings(l, from, to).inside).toEqual([]);
    // Pulses shrink near a box: the clearance is 0 on a box and grows away from it.
    expect(clearanceFromBoxes(l, { x: l.hosts[0].x + 5, y: l.hosts[0].y + 5 })).toBe(0);
    expect(clearanceFromBoxes(l, { x: l.hosts[0].x + l.hosts[0].w + 7, y: l.hosts[0].y + 5 })).toBe(7);
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

  it('fits the panel: narrower boxes with role and pid under the label when three wide boxes would be drawn small', () => {
    const wide = layoutTopology(sentinelHosts);
    // The 1280x800 window's topology panel: 844 px wide, about 300 px for the drawing.
    const panel = { width: 844, height: 300 };
    expect(scaleIn(wide, panel)).toBeLessThan(0.7);
    const fit = fitTopology(sentinelHosts, [], panel);
    expect(fit).toMatchObject({ cols: 3, stacked: true });
    expect(fit.hosts.map((h) => h.y)).toEqual([fit.hosts[0].y, fit.hosts[0].y, fit.hosts[0].y]);
    expect(scaleIn(fit, panel)).toBeGreaterThanOrEqual(0.98);
    expect(fit.rowH).toBeGreaterThan(wide.rowH);
    // Every stacked row holds its label, and under it its role and pid.
    for (const h of fit.hosts) for (const r of h.rows) expect(r.w - 16).toBeGreaterThanOrEqual(Math.max(rowLabel(r.proc!).length * LABEL_CHAR_W, STACKED_META_W));
    // Routes still go around the boxes in between, and neighbours are joined straight.
    for (const [from, to] of [[100, 202], [202, 100], [200, 102], [100, 201]]) expect(crossings(fit, from, to).inside).toEqual([]);
    expect(crossings(fit, 100, 201).route.d).not.toContain('Q');
    expect(Math.min(...Array.from({ length: 101 }, (_, i) => crossings(fit, 100, 202).route.at(i / 100).y))).toBeLessThan(fit.hosts[1].y);
    // A wide window (1920x1080) keeps the wide rows, exactly as laid out without a panel.
    expect(fitTopology(sentinelHosts, [], { width: 1266, height: 480 })).toEqual(wide);
    expect(fitTopology(sentinelHosts, [], null)).toEqual(wide);
    // A tall, narrow panel: one column, drawn at full size; routes within the column go around.
    const tall = fitTopology(sentinelHosts, [], { width: 420, height: 900 });
    expect(tall.cols).toBe(1);
    expect(scaleIn(tall, { width: 420, height: 900 })).toBeGreaterThanOrEqual(GOOD_SCALE);
    for (const [from, to] of [[100, 202], [202, 100], [101, 200]]) expect(crossings(tall, from, to).inside).toEqual([]);
    // Nothing fits well: the layout drawn largest.
    const small = { width: 500, height: 200 };
    const chosen = scaleIn(fitTopology(sentinelHosts, [], small), small);
    for (const cols of [1, 2, 3]) for (const stacked of [false, true]) expect(chosen).toBeGreaterThanOrEqual(scaleIn(layoutTopology(sentinelHosts, [], { cols, stacked }), small));
  });

  it('makes boxes wide enough for their header: a long host name, a host powered off', () => {
    const off = sentinelHosts.map((h, i) => ({ ...h, up: i !== 1 }));
    // Wide rows: " · powered off" after the address fits the narrowest box.
    expect(layoutTopology(off).hosts[0].w).toBe(layoutTopology(sentinelHosts).hosts[0].w);
    // Stacked rows: "powered off" in the address's place, so the boxes keep their width.
    expect(layoutTopology(off, [], { stacked: true }).hosts[0].w).toBe(layoutTopology(sentinelHosts, [], { stacked: true }).hosts[0].w);
    const long = sentinelHosts.map((h, i) => (i === 2 ? { ...h, name: 'sentinel-and-server-03' } : h));
    expect(layoutTopology(long, [], { stacked: true }).hosts[0].w).toBeGreaterThan(layoutTopology(sentinelHosts, [], { stacked: true }).hosts[0].w);
  });

  it('folds directed cuts into pairs', () => {
    expect(cutPairs([['a', 'b'], ['b', 'a'], ['c', 'a']])).toEqual([{ a: 'a', b: 'b', both: true }, { a: 'a', b: 'c', both: false }]);
  });
});
