/**
 * Geometry of the topology view, computed from the world's snapshot (pure, so it is unit
 * tested): hosts are boxes in a grid, each listing its programs (and their forked children)
 * one per row; connections join the rows of their two processes — a straight line between two
 * hosts, an arc outside the box between two processes of the same host.
 *
 * The drawing is scaled to its panel, so a layout too wide for the panel shrinks every label.
 * `fitTopology` therefore lays the hosts out several ways — wide rows (a process's role and
 * pid beside its name) or stacked rows (role and pid on a second line, for boxes about two
 * thirds as wide), in three, two or one columns — and keeps the first, in that order of
 * preference, drawn at `GOOD_SCALE` or more in the measured panel (else the largest).
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
/** Height of one process row (wide rows: label, role and pid on one line). */
export const ROW_H = 26;
export const PAD = 10;
export const GAP_X = 110;
export const GAP_Y = 70;
export const MARGIN = 40;
/** Room right of the last column for the arcs between processes of one host and their pulses. */
export const LOOP_ROOM = 76;
/** A stacked row: the label on its first line, role and pid (12 px) on the second. */
export const STACKED_ROW_H = 42;
/** The narrowest host box with stacked rows. */
export const STACKED_HOST_W = 190;
/** Room a stacked row's second line needs ("sentinel · pid 12345" at 12 px, and the cluster dot). */
export const STACKED_META_W = 150;
/** Gap between columns, and left margin, of stacked rows' boxes (two channels and a pulse's room). */
export const STACKED_GAP_X = 72;
export const STACKED_MARGIN_X = 24;
/**
 * Width of one character of the host's name (14 px, bold) and of its address (12 px, digits
 * and dots) in the header, and room for " · powered off" after the address of a host that is
 * off (a stacked layout's narrow header says "powered off" instead of the address).
 */
const HOST_NAME_CHAR_W = 8.8;
const HOST_IP_CHAR_W = 6.8;
const HOST_DOWN_W = 96;
const HOST_DOWN_ALONE_W = 80;
/** The scale (drawn size over layout size) from which a layout is taken as readable (11 px labels). */
export const GOOD_SCALE = 0.9;

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
  /** Columns of the grid of hosts. */
  cols: number;
  /** Rows show role and pid under the label (narrower boxes), not beside it. */
  stacked: boolean;
  /** Height of one process row. */
  rowH: number;
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

/**
 * How wide every host box must be for its rows' labels not to run into their metadata (wide
 * rows) or out of the box (stacked rows), and for its header's name and address.
 */
function hostWidth(hosts: HostView[], visible: { proc: ProcView; depth: number }[][], ghosts: GhostProc[], stacked: boolean): number {
  let w = stacked ? STACKED_HOST_W : HOST_W;
  const need = (label: string, depth: number, frozen: boolean) => {
    const labelW = label.length * LABEL_CHAR_W;
    const metaW = (stacked ? STACKED_META_W : META_W) + (frozen ? FROZEN_W : 0);
    return 2 * PAD + depth * 14 + 8 + (stacked ? Math.max(labelW, metaW) + 8 : labelW + metaW);
  };
  for (const rows of visible) for (const { proc, depth } of rows) w = Math.max(w, need(rowLabel(proc), depth, proc.stopped));
  for (const g of ghosts) w = Math.max(w, need(rowLabel(g), 0, false));
  for (const h of hosts) {
    const right = h.up ? h.ip.length * HOST_IP_CHAR_W : stacked ? HOST_DOWN_ALONE_W : h.ip.length * HOST_IP_CHAR_W + HOST_DOWN_W;
    w = Math.max(w, 12 + h.name.length * HOST_NAME_CHAR_W + 16 + right + 12);
  }
  return Math.ceil(w);
}

/** How the hosts are laid out: columns of the grid (at most three), wide or stacked rows. */
export interface LayoutOptions {
  cols?: number;
  stacked?: boolean;
}

export function layoutTopology(hosts: HostView[], ghosts: GhostProc[] = [], options: LayoutOptions = {}): Layout {
  const stacked = options.stacked ?? false;
  const rowH = stacked ? STACKED_ROW_H : ROW_H;
  const gapX = stacked ? STACKED_GAP_X : GAP_X;
  const marginX = stacked ? STACKED_MARGIN_X : MARGIN;
  const visible = hosts.map(visibleProcesses);
  const hostW = hostWidth(hosts, visible, ghosts, stacked);
  const cols = Math.max(1, Math.min(options.cols ?? 3, 3, hosts.length));
  const boxes: HostBox[] = [];
  const anchors: Layout['anchors'] = new Map();
  const heights = hosts.map((h, i) => {
    const n = visible[i].length + ghosts.filter((g) => g.host === h.name).length;
    return HEADER_H + PAD + Math.max(1, n) * rowH + PAD;
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
    const x = marginX + c * (hostW + gapX);
    const box: HostBox = { name: h.name, ip: h.ip, up: h.up, x, y: rowY[r], w: hostW, h: heights[i], rows: [] };
    let ry = box.y + HEADER_H + PAD;
    for (const { proc, depth } of visible[i]) {
      const row: RowBox = { key: `p${proc.pid}`, pid: proc.pid, proc, ghost: null, x: x + PAD + depth * 14, y: ry, w: hostW - 2 * PAD - depth * 14, depth };
      box.rows.push(row);
      anchors.set(proc.pid, { x: x + hostW / 2, y: ry + rowH / 2, host: h.name, left: x, right: x + hostW });
      ry += rowH;
    }
    for (const g of ghosts.filter((gh) => gh.host === h.name)) {
      box.rows.push({ key: `g${g.argv.join(' ')}`, pid: null, proc: null, ghost: g, x: x + PAD, y: ry, w: hostW - 2 * PAD, depth: 0 });
      ry += rowH;
    }
    boxes.push(box);
  });
  const width = marginX + cols * hostW + (cols - 1) * gapX + LOOP_ROOM;
  const height = Math.max(y - GAP_Y + MARGIN, 160);
  return { width, height, cols, stacked, rowH, hosts: boxes, anchors };
}

/** The scale a layout is drawn at in a panel: as large as fits, never above its own size. */
export function scaleIn(layout: Layout, panel: { width: number; height: number }): number {
  return Math.min(1, panel.width / layout.width, panel.height / layout.height);
}

/**
 * The layout for a panel of the given size (CSS px, the room the drawing may take): the first
 * of wide rows in three columns, stacked rows in three, then the same in two and in one column,
 * drawn at `GOOD_SCALE` or more; if none is, the one drawn largest. Without a size (not yet
 * measured), wide rows in three columns.
 */
export function fitTopology(hosts: HostView[], ghosts: GhostProc[], panel: { width: number; height: number } | null): Layout {
  const first = layoutTopology(hosts, ghosts);
  if (!panel || panel.width <= 0 || panel.height <= 0) return first;
  let best = first;
  let bestScale = scaleIn(first, panel);
  if (bestScale >= GOOD_SCALE) return first;
  for (let cols = first.cols; cols >= 1; cols--) {
    for (const stacked of [false, true]) {
      if (cols === first.cols && !stacked) continue;
      const l = layoutTopology(hosts, ghosts, { cols, stacked });
      const s = scaleIn(l, panel);
      if (s >= GOOD_SCALE) return l;
      if (s > bestScale + 1e-9) {
        best = l;
        bestScale = s;
      }
    }
  }
  return best;
}

/** A connection's end: the row's centre, its host, and the box's sides. */
export interface End {
  x: number;
  y: number;
  host: string;
  left: number;
  right: number;
}

/** Where a connection's end attaches: its process row, or the host's header if not shown. */
export function endPoint(layout: Layout, pid: number, host: string): End | null {
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

export interface Point {
  x: number;
  y: number;
}

/** A drawn route: its SVG path data and the point at a fraction of its length. */
export interface Route {
  d: string;
  at(f: number): Point;
}

/** How far from a box's side the channels around it run (room for a full-size pulse). */
export const CHANNEL_OFFSET = 18;
/** Radius of the rounded corners of a route around the boxes. */
const CORNER_R = 8;

/**
 * Whether the segment p→q passes through the rectangle (Liang–Barsky clipping: the segment's
 * parameter range inside each pair of parallel sides must overlap).
 */
function segmentHitsBox(p: Point, q: Point, box: { x: number; y: number; w: number; h: number }): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const sides: [number, number][] = [[-dx, p.x - box.x], [dx, box.x + box.w - p.x], [-dy, p.y - box.y], [dy, box.y + box.h - p.y]];
  for (const [pp, qq] of sides) {
    if (pp === 0) {
      if (qq < 0) return false;
      continue;
    }
    const r = qq / pp;
    if (pp < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return false;
  }
  return t1 - t0 > 1e-6;
}

type Piece = { kind: 'line'; p: Point; q: Point; len: number } | { kind: 'quad'; p: Point; c: Point; q: Point; len: number };

function quadAt(p: Point, c: Point, q: Point, t: number): Point {
  const u = 1 - t;
  return { x: u * u * p.x + 2 * u * t * c.x + t * t * q.x, y: u * u * p.y + 2 * u * t * c.y + t * t * q.y };
}

function quadLength(p: Point, c: Point, q: Point): number {
  let len = 0;
  let prev = p;
  for (let i = 1; i <= 8; i++) {
    const next = quadAt(p, c, q, i / 8);
    len += Math.hypot(next.x - prev.x, next.y - prev.y);
    prev = next;
  }
  return len;
}

/** A route made of pieces, walked by length (a pulse moves evenly along it). */
function routeOf(pieces: Piece[]): Route {
  const total = pieces.reduce((n, x) => n + x.len, 0);
  let d = `M${pieces[0].p.x},${pieces[0].p.y}`;
  for (const x of pieces) d += x.kind === 'line' ? ` L${x.q.x},${x.q.y}` : ` Q${x.c.x},${x.c.y} ${x.q.x},${x.q.y}`;
  return {
    d,
    at(f) {
      let left = Math.min(1, Math.max(0, f)) * total;
      for (const x of pieces) {
        if (left <= x.len || x === pieces[pieces.length - 1]) {
          const t = x.len === 0 ? 1 : Math.min(1, left / x.len);
          return x.kind === 'line' ? { x: x.p.x + (x.q.x - x.p.x) * t, y: x.p.y + (x.q.y - x.p.y) * t } : quadAt(x.p, x.c, x.q, t);
        }
        left -= x.len;
      }
      return pieces[pieces.length - 1].q;
    },
  };
}

/** A polyline with its inner corners rounded. */
function roundedPolyline(points: Point[]): Route {
  const pts = points.filter((p, i) => i === 0 || p.x !== points[i - 1].x || p.y !== points[i - 1].y);
  const pieces: Piece[] = [];
  let from = pts[0];
  for (let i = 1; i < pts.length; i++) {
    const corner = pts[i];
    if (i === pts.length - 1) {
      pieces.push({ kind: 'line', p: from, q: corner, len: Math.hypot(corner.x - from.x, corner.y - from.y) });
      break;
    }
    const next = pts[i + 1];
    const inLen = Math.hypot(corner.x - pts[i - 1].x, corner.y - pts[i - 1].y);
    const outLen = Math.hypot(next.x - corner.x, next.y - corner.y);
    const r = Math.min(CORNER_R, inLen / 2, outLen / 2);
    const enter = { x: corner.x - ((corner.x - pts[i - 1].x) / inLen) * r, y: corner.y - ((corner.y - pts[i - 1].y) / inLen) * r };
    const leave = { x: corner.x + ((next.x - corner.x) / outLen) * r, y: corner.y + ((next.y - corner.y) / outLen) * r };
    pieces.push({ kind: 'line', p: from, q: enter, len: Math.hypot(enter.x - from.x, enter.y - from.y) });
    pieces.push({ kind: 'quad', p: enter, c: corner, q: leave, len: quadLength(enter, corner, leave) });
    from = leave;
  }
  return routeOf(pieces);
}

/**
 * The route between two points on the sides of two different hosts' boxes: straight when no
 * other box is in the way (neighbours), else around the boxes, so that a line (and the
 * messages moving on it) never crosses a box it does not belong to. The hosts sit in a grid
 * whose gaps are free: the route leaves its box sideways into the channel beside it, runs in
 * the gap between the grid's rows (above the row when both hosts share it) to the channel
 * beside the other box, and enters that box from the side.
 */
export function routeBetween(layout: Layout, a: Point & { host: string }, b: Point & { host: string }): Route {
  const A = layout.hosts.find((h) => h.name === a.host);
  const B = layout.hosts.find((h) => h.name === b.host);
  const others = layout.hosts.filter((h) => h !== A && h !== B);
  if (!A || !B || (A.x !== B.x && !others.some((h) => segmentHitsBox(a, b, h)))) {
    return roundedPolyline([a, b]);
  }
  const rowTop = (box: HostBox) => box.y;
  const rowBottom = (box: HostBox) => Math.max(...layout.hosts.filter((h) => h.y === box.y).map((h) => h.y + h.h));
  const rightOfA = B.x >= A.x;
  const leftOfB = B.x > A.x;
  const chanA = rightOfA ? A.x + A.w + CHANNEL_OFFSET : A.x - CHANNEL_OFFSET;
  const chanB = leftOfB ? B.x - CHANNEL_OFFSET : B.x + B.w + CHANNEL_OFFSET;
  let laneY: number;
  if (B.y === A.y) laneY = rowTop(A) - CHANNEL_OFFSET;
  else if (B.y > A.y) laneY = rowBottom(A) + (B.y - rowBottom(A) > 2 * CHANNEL_OFFSET ? CHANNEL_OFFSET : (B.y - rowBottom(A)) / 2);
  else laneY = rowTop(A) - CHANNEL_OFFSET;
  const sideA = { x: rightOfA ? A.x + A.w : A.x, y: a.y };
  const sideB = { x: leftOfB ? B.x : B.x + B.w, y: b.y };
  return roundedPolyline([sideA, { x: chanA, y: a.y }, { x: chanA, y: laneY }, { x: chanB, y: laneY }, { x: chanB, y: b.y }, sideB]);
}

/** The path of a connection: straight between hosts, an arc on the box's right for loopback. */
export function connectionPath(layout: Layout, c: ConnView, index = 0): ConnPath | null {
  const a = endPoint(layout, c.clientPid, c.clientHost);
  const b = endPoint(layout, c.serverPid, c.serverHost);
  if (!a || !b) return null;
  return { conn: c, ...pathBetween(layout, a, b, index) };
}

/**
 * The path between two ends (as `endPoint` gives them): an arc outside the box's right side
 * for two processes of one host, else from the facing sides of the two boxes (`routeBetween`).
 */
export function pathBetween(layout: Layout, a: End, b: End, index = 0): Route {
  if (a.host === b.host) {
    const x = a.right;
    const bulge = 24 + Math.abs(b.y - a.y) * 0.25 + (index % 4) * 8;
    const p0 = { x, y: a.y };
    const p2 = { x, y: b.y };
    const p1 = { x: x + bulge * 2, y: (a.y + b.y) / 2 };
    return {
      d: `M${p0.x},${p0.y} Q${p1.x},${p1.y} ${p2.x},${p2.y}`,
      at: (f) => quadAt(p0, p1, p2, f),
    };
  }
  // Hosts in one column (a grid of more than three) both use their right side.
  const ax = b.x >= a.x ? a.right : a.left;
  const bx = b.x > a.x ? b.left : b.right;
  return routeBetween(layout, { x: ax, y: a.y, host: a.host }, { x: bx, y: b.y, host: b.host });
}

/** How far a point lies outside every host box (0 when inside or on one). */
export function clearanceFromBoxes(layout: Layout, p: Point): number {
  let best = Infinity;
  for (const h of layout.hosts) {
    const dx = Math.max(h.x - p.x, 0, p.x - (h.x + h.w));
    const dy = Math.max(h.y - p.y, 0, p.y - (h.y + h.h));
    best = Math.min(best, Math.hypot(dx, dy));
  }
  return best;
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
