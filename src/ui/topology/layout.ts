/**
 * Geometry of the topology view, computed from the world's snapshot (pure, so it is unit
 * tested): hosts are boxes in a grid, each listing its programs (and their forked children)
 * one per row; connections join the rows of their two processes — a straight line between two
 * hosts, an arc outside the box between two processes of the same host.
 */
import type { HostView, ProcView, ConnView } from '../world/session.svelte';

/** The narrowest host box; boxes grow (all alike, to keep the grid) to fit their longest row. */
export const HOST_W = 300;
/** Width of one character of a row's label (12.5 px monospace: 0.6 em, rounded up). */
export const LABEL_CHAR_W = 7.6;
/** Room right of the label for the row's role, pid and cluster dot ("replica · pid 12345 ●", 11 px). */
export const META_W = 130;
/** Extra room for the frozen mark ("❄ ") of a process stopped by SIGSTOP. */
export const FROZEN_W = 16;
export const HEADER_H = 34;
export const ROW_H = 26;
export const PAD = 10;
export const GAP_X = 110;
export const GAP_Y = 70;
export const MARGIN = 40;

export interface GhostProc {
  host: string;
  argv: string[];
  ports: number[];
  name: string;
}

export interface RowBox {
  key: string;
  pid: number | null;
  proc: ProcView | null;
  ghost: GhostProc | null;
  x: number;
  y: number;
  w: number;
  depth: number;
}

export interface HostBox {
  name: string;
  ip: string;
  up: boolean;
  x: number;
  y: number;
  w: number;
  h: number;
  rows: RowBox[];
}

export interface Layout {
  width: number;
  height: number;
  hosts: HostBox[];
  /** Row centre by pid (for connections and pulses). */
  anchors: Map<number, { x: number; y: number; host: string; left: number; right: number }>;
}

/** The processes the topology shows: programs and what they forked, in tree order. */
export function visibleProcesses(h: HostView): { proc: ProcView; depth: number }[] {
  const shown = h.processes.filter((p) => p.kind === 'program' || p.kind === 'child');
  const byParent = new Map<number, ProcView[]>();
  const pids = new Set(shown.map((p) => p.pid));
  for (const p of shown) {
    const parent = pids.has(p.ppid) ? p.ppid : 0;
    const list = byParent.get(parent) ?? [];
    list.push(p);
    byParent.set(parent, list);
  }
  const out: { proc: ProcView; depth: number }[] = [];
  const walk = (parent: number, depth: number) => {
    for (const p of (byParent.get(parent) ?? []).sort((a, b) => (a.ports[0] ?? 1e9) - (b.ports[0] ?? 1e9) || a.pid - b.pid)) {
      out.push({ proc: p, depth });
      walk(p.pid, depth + 1);
    }
  };
  walk(0, 0);
  return out;
}

/** A row's label: the program and the ports it listens on. */
export function rowLabel(p: { name: string; ports: number[] }): string {
  return `${p.name}${p.ports.length ? ` :${p.ports.join(',')}` : ''}`;
}

/** How wide every host box must be for its rows' labels not to run into their metadata. */
function hostWidth(visible: { proc: ProcView; depth: number }[][], ghosts: GhostProc[]): number {
  let w = HOST_W;
  const need = (label: string, depth: number) => 2 * PAD + depth * 14 + 8 + label.length * LABEL_CHAR_W + META_W;
  for (const rows of visible) for (const { proc, depth } of rows) w = Math.max(w, need(rowLabel(proc), depth) + (proc.stopped ? FROZEN_W : 0));
  for (const g of ghosts) w = Math.max(w, need(rowLabel(g), 0));
  return Math.ceil(w);
}

export function layoutTopology(hosts: HostView[], ghosts: GhostProc[] = []): Layout {
  const visible = hosts.map(visibleProcesses);
  const hostW = hostWidth(visible, ghosts);
  const cols = Math.max(1, Math.min(3, hosts.length));
  const boxes: HostBox[] = [];
  const anchors: Layout['anchors'] = new Map();
  const heights = hosts.map((h, i) => {
    const n = visible[i].length + ghosts.filter((g) => g.host === h.name).length;
    return HEADER_H + PAD + Math.max(1, n) * ROW_H + PAD;
  });
  const rowHeights: number[] = [];
  hosts.forEach((_, i) => {
    const r = Math.floor(i / cols);
    rowHeights[r] = Math.max(rowHeights[r] ?? 0, heights[i]);
  });
  const rowY: number[] = [];
  let y = MARGIN;
  for (const rh of rowHeights) {
    rowY.push(y);
    y += rh + GAP_Y;
  }
  hosts.forEach((h, i) => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    const x = MARGIN + c * (hostW + GAP_X);
    const box: HostBox = { name: h.name, ip: h.ip, up: h.up, x, y: rowY[r], w: hostW, h: heights[i], rows: [] };
    let ry = box.y + HEADER_H + PAD;
    for (const { proc, depth } of visible[i]) {
      const row: RowBox = { key: `p${proc.pid}`, pid: proc.pid, proc, ghost: null, x: x + PAD + depth * 14, y: ry, w: hostW - 2 * PAD - depth * 14, depth };
      box.rows.push(row);
      anchors.set(proc.pid, { x: x + hostW / 2, y: ry + ROW_H / 2, host: h.name, left: x, right: x + hostW });
      ry += ROW_H;
    }
    for (const g of ghosts.filter((gh) => gh.host === h.name)) {
      box.rows.push({ key: `g${g.argv.join(' ')}`, pid: null, proc: null, ghost: g, x: x + PAD, y: ry, w: hostW - 2 * PAD, depth: 0 });
      ry += ROW_H;
    }
    boxes.push(box);
  });
  const width = MARGIN * 2 + cols * hostW + (cols - 1) * GAP_X;
  const height = Math.max(y - GAP_Y + MARGIN, 160);
  return { width, height, hosts: boxes, anchors };
}

/** Where a connection's end attaches: its process row, or the host's header if not shown. */
export function endPoint(layout: Layout, pid: number, host: string): { x: number; y: number; host: string; left: number; right: number } | null {
  const a = layout.anchors.get(pid);
  if (a) return a;
  const h = layout.hosts.find((b) => b.name === host);
  if (!h) return null;
  return { x: h.x + h.w / 2, y: h.y + HEADER_H / 2, host, left: h.x, right: h.x + h.w };
}

export interface ConnPath {
  conn: ConnView;
  /** SVG path data. */
  d: string;
  /** Point at fraction f (0 = client end, 1 = server end). */
  at(f: number): { x: number; y: number };
}

/** The path of a connection: straight between hosts, an arc on the box's right for loopback. */
export function connectionPath(layout: Layout, c: ConnView, index = 0): ConnPath | null {
  const a = endPoint(layout, c.clientPid, c.clientHost);
  const b = endPoint(layout, c.serverPid, c.serverHost);
  if (!a || !b) return null;
  if (a.host === b.host) {
    const x = a.right;
    const bulge = 24 + Math.abs(b.y - a.y) * 0.25 + (index % 4) * 8;
    const p0 = { x, y: a.y };
    const p2 = { x, y: b.y };
    const p1 = { x: x + bulge * 2, y: (a.y + b.y) / 2 };
    return {
      conn: c,
      d: `M${p0.x},${p0.y} Q${p1.x},${p1.y} ${p2.x},${p2.y}`,
      at: (f) => ({
        x: (1 - f) * (1 - f) * p0.x + 2 * (1 - f) * f * p1.x + f * f * p2.x,
        y: (1 - f) * (1 - f) * p0.y + 2 * (1 - f) * f * p1.y + f * f * p2.y,
      }),
    };
  }
  const ax = b.x > a.x ? a.right : a.left;
  const bx = b.x > a.x ? b.left : b.right;
  const p0 = { x: ax, y: a.y };
  const p1 = { x: bx, y: b.y };
  return {
    conn: c,
    d: `M${p0.x},${p0.y} L${p1.x},${p1.y}`,
    at: (f) => ({ x: p0.x + (p1.x - p0.x) * f, y: p0.y + (p1.y - p0.y) * f }),
  };
}

/** Cuts as undirected pairs with whether each direction is cut. */
export function cutPairs(cuts: [string, string][]): { a: string; b: string; both: boolean }[] {
  const seen = new Map<string, { a: string; b: string; both: boolean }>();
  for (const [x, y] of cuts) {
    const [a, b] = x < y ? [x, y] : [y, x];
    const key = `${a}|${b}`;
    const cur = seen.get(key);
    if (cur) cur.both = true;
    else seen.set(key, { a, b, both: false });
  }
  return [...seen.values()];
}
