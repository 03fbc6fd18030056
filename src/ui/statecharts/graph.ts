/**
 * A statechart's drawing, from an xstate v5 machine's own definition: its top-level states
 * and the transitions between them (event names as labels; done/error events of invoked
 * actors read as "done"/"error", delayed transitions as "after <delay>", eventless ones as
 * "always"). Transitions the machine takes from any state (declared on its root) start from a
 * pseudo-state `*` ("any state"). The layout is layered: states by their distance from the
 * initial state (columns, or rows for a tall machine), in definition order within a layer; it
 * is a pure function of the definition, so the same machine always draws the same way.
 *
 * The page does not run this: `scripts/gen-statecharts.ts` computes every chart's layout at
 * build time into `layouts.generated.ts` (a test checks it matches the definitions).
 */
import type { AnyStateMachine } from 'xstate';

export interface ChartState {
  id: string;
  initial: boolean;
}

export interface ChartEdge {
  from: string;
  to: string;
  label: string;
}

export interface ChartGraph {
  id: string;
  states: ChartState[];
  edges: ChartEdge[];
}

/** The pseudo-state root-level transitions start from. */
export const ANY_STATE = '*';

function eventLabel(type: string): string {
  if (type.startsWith('xstate.done.actor')) return 'done';
  if (type.startsWith('xstate.error.actor')) return 'error';
  // xstate.after.<delay>.<state id>
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  if (after) return `after ${after[1]}`;
  if (type === '') return 'always';
  return type;
}

/** Top-level states and transitions of a machine (nested states are drawn as their parent). */
export function machineGraph(machine: AnyStateMachine): ChartGraph {
  const root = machine.root;
  const states: ChartState[] = [];
  const edges = new Map<string, ChartEdge>();
  const initialKey = (root.initial?.target?.[0]?.key as string | undefined) ?? Object.keys(root.states)[0];
  type Node = (typeof root.states)[string];
  const descendants = (n: Node): Node[] => [n, ...Object.values(n.states).flatMap((c) => descendants(c))];
  type Transition = { target?: readonly Node[] | undefined };
  const addEdges = (from: string, type: string, transitions: readonly Transition[]) => {
    for (const tr of transitions) {
      for (const target of tr.target ?? []) {
        // The top-level state this target belongs to.
        let t = target;
        while (t.parent && t.parent !== root) t = t.parent;
        const id = `${from}>${t.key}`;
        const label = eventLabel(type);
        const e = edges.get(id);
        if (e) {
          if (!e.label.split(' / ').includes(label)) e.label += ` / ${label}`;
        } else {
          edges.set(id, { from, to: t.key, label });
        }
      }
    }
  };
  for (const [key, top] of Object.entries(root.states)) {
    states.push({ id: key, initial: key === initialKey });
    for (const node of descendants(top)) {
      for (const [type, transitions] of node.transitions) addEdges(key, type, transitions);
      if (node.always) addEdges(key, '', node.always);
    }
  }
  // Root-level transitions that go somewhere (not those that only run actions).
  if ([...root.transitions.values()].some((ts) => ts.some((tr) => tr.target?.length))) {
    states.push({ id: ANY_STATE, initial: false });
    for (const [type, transitions] of root.transitions) addEdges(ANY_STATE, type, transitions);
  }
  // A self-transition on a timeout (a delayed one, or the engine's `…_TIMEOUT` events from a
  // state's Os timer) only re-arms the timer, whose deadline is recomputed when it fires:
  // drawing it as a loop on every state says nothing, so it is left out.
  const isTimeout = (label: string) => label.startsWith('after ') || label.endsWith('_TIMEOUT');
  const drawn = [...edges.values()].filter((e) => !(e.from === e.to && e.label.split(' / ').every(isTimeout)));
  return { id: root.id, states, edges: drawn };
}

export interface PlacedState extends ChartState {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ChartLayout {
  states: PlacedState[];
  /** `back`: the edge returns to an earlier layer (an error or retry path), drawn lighter. */
  edges: (ChartEdge & { d: string; lx: number; ly: number; back: boolean })[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  /** Layers left to right (a wide chart) or top to bottom (a tall one, for a narrow panel). */
  direction?: 'LR' | 'TB';
}

const H = 36;
const CHAR_W = 7.2;
const M = 24;
const round = (v: number) => Math.round(v * 10) / 10;

/**
 * An edge label's lines: the events of an edge that many events take are stacked one per line
 * (`A / B` as `A /` over `B`) once the label is longer than a short event name, so a label
 * stays narrow enough to sit between two layers without crossing the next edge.
 */
export const LABEL_WRAP_CHARS = 14;
export function labelLines(label: string): string[] {
  if (label.length <= LABEL_WRAP_CHARS) return [label];
  const parts = label.split(' / ');
  return parts.map((p, i) => (i < parts.length - 1 ? `${p} /` : p));
}

/** The distance between two lines of a label's baselines. */
export const LABEL_LINE_H = 12;

/** An edge label's box (10.5 px monospace, text-anchor middle, first baseline at y). */
export const LABEL_CHAR_W = 6.4;
export function labelBox(label: string, x: number, y: number): Box {
  const lines = labelLines(label);
  const w = Math.max(...lines.map((l) => l.length)) * LABEL_CHAR_W + 4;
  return { x: x - w / 2, y: y - 10, w, h: 13 + (lines.length - 1) * LABEL_LINE_H };
}

export interface Box { x: number; y: number; w: number; h: number }

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where each edge's label goes: on its curve, at the midpoint if that is free, else at the
 * first place along the curve (or just beside it) that covers no state and no label placed
 * before it; the forward path's labels are placed first (they are always shown).
 */
function placeLabels(edges: { label: string; back: boolean; curve: (t: number) => { x: number; y: number; nx: number; ny: number } }[], states: Box[]): { lx: number; ly: number }[] {
  const taken: Box[] = [];
  const out: { lx: number; ly: number }[] = new Array(edges.length);
  // Points along every edge: a label over another edge's line hides where that edge goes.
  const samples = edges.map((e) => Array.from({ length: 25 }, (_, k) => e.curve(0.04 + k * 0.0383)));
  const inside = (b: Box, p: { x: number; y: number }) => p.x > b.x && p.x < b.x + b.w && p.y > b.y && p.y < b.y + b.h;
  const order = edges.map((_, i) => i).sort((a, b) => Number(edges[a].back) - Number(edges[b].back) || a - b);
  for (const i of order) {
    const e = edges[i];
    const lines = labelLines(e.label).length;
    // Beside its own curve: far enough off it for the whole box (its half width or height).
    const half = Math.max(...labelLines(e.label).map((l) => l.length)) * LABEL_CHAR_W / 2 + 4;
    const tall = (lines - 1) * LABEL_LINE_H;
    // Nearest first, out to a box's width beyond the curve either side.
    const offs = [0];
    for (let o = 9; o <= 2 * half + 40 + tall; o += 9) offs.push(o, -o);
    let best: { x: number; y: number; cost: number } | null = null;
    for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78]) {
      const c = e.curve(t);
      for (const off of offs) {
        const x = c.x + c.nx * off;
        const y = c.y + c.ny * off + 4 - ((lines - 1) * LABEL_LINE_H) / 2;
        const box = labelBox(e.label, x, y);
        let crossing = 0;
        samples.forEach((pts, j) => {
          if (j !== i) crossing += pts.filter((p) => inside(box, p)).length;
        });
        const cost = states.reduce((a, s) => a + overlap(box, s), 0) * 40 + taken.reduce((a, l) => a + overlap(box, l), 0) * 20 + crossing * 20 + Math.abs(off) * 0.5;
        if (!best || cost < best.cost) best = { x, y, cost };
      }
      if (best && best.cost < 10) break;
    }
    out[i] = { lx: round(best!.x), ly: round(best!.y) };
    taken.push(labelBox(e.label, best!.x, best!.y));
  }
  return out;
}

export function layoutChart(g: ChartGraph, opts: LayoutOptions = {}): ChartLayout {
  const tb = opts.direction === 'TB';
  // Each box as wide as its own name (a layer of long names would otherwise make every box wide).
  const width = (id: string) => Math.max(96, Math.ceil((id === ANY_STATE ? 'any state' : id).length * CHAR_W) + 24);
  // Gaps leave room for the edge labels between the layers.
  const gapAlong = tb ? 58 : 110;
  const gapAcross = tb ? 60 : 46;
  const depth = new Map<string, number>();
  const start = g.states.find((s) => s.initial)?.id ?? g.states[0]?.id;
  if (start !== undefined) {
    depth.set(start, 0);
    const queue = [start];
    while (queue.length) {
      const s = queue.shift()!;
      for (const e of g.edges) {
        if (e.from === s && !depth.has(e.to)) {
          depth.set(e.to, depth.get(s)! + 1);
          queue.push(e.to);
        }
      }
    }
  }
  // "Any state" sits beside the initial state: its transitions can start anywhere.
  if (g.states.some((s) => s.id === ANY_STATE)) depth.set(ANY_STATE, 0);
  const maxDepth = Math.max(0, ...depth.values());
  for (const s of g.states) if (!depth.has(s.id)) depth.set(s.id, maxDepth + 1);
  const layers = new Map<number, string[]>();
  for (const s of g.states) {
    const d = depth.get(s.id)!;
    layers.set(d, [...(layers.get(d) ?? []), s.id]);
  }
  // Left to right, a layer is a column as wide as its widest box.
  const columnX = new Map<number, number>();
  let nextX = M + 14;
  for (const d of [...layers.keys()].sort((a, b) => a - b)) {
    columnX.set(d, nextX);
    nextX += Math.max(...layers.get(d)!.map(width)) + gapAlong;
  }
  const pos = new Map<string, PlacedState>();
  for (const [d, ids] of layers) {
    // A tall chart keeps room on the left for the labels of edges that bend that way.
    let rowX = M + 56;
    ids.forEach((id, i) => {
      const s = g.states.find((x) => x.id === id)!;
      const w = width(id);
      const x = tb ? rowX : columnX.get(d)!;
      const y = tb ? M + 20 + d * (H + gapAlong) : M + 20 + i * (H + gapAcross);
      rowX += w + gapAcross;
      pos.set(id, { ...s, x, y, w, h: H });
    });
  }
  type Curve = (t: number) => { x: number; y: number; nx: number; ny: number };
  const quad = (p0: { x: number; y: number }, c: { x: number; y: number }, p1: { x: number; y: number }): Curve => (t) => {
    const u = 1 - t;
    const dx = 2 * u * (c.x - p0.x) + 2 * t * (p1.x - c.x);
    const dy = 2 * u * (c.y - p0.y) + 2 * t * (p1.y - c.y);
    const len = Math.hypot(dx, dy) || 1;
    return { x: u * u * p0.x + 2 * u * t * c.x + t * t * p1.x, y: u * u * p0.y + 2 * u * t * c.y + t * t * p1.y, nx: -dy / len, ny: dx / len };
  };
  const shapes = g.edges.map((e) => {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    if (a === b) {
      if (tb) {
        // A loop on the box's right side.
        const x = a.x + a.w;
        const y = a.y + a.h / 2;
        return { ...e, d: `M${round(x)},${round(y - 10)} C${round(x + 40)},${round(y - 30)} ${round(x + 40)},${round(y + 30)} ${round(x)},${round(y + 10)}`, curve: quad({ x: x + 30, y: y - 28 }, { x: x + 34, y: y - 24 }, { x: x + 38, y: y - 20 }), back: false };
      }
      const x = a.x + a.w / 2;
      const y = a.y;
      return { ...e, d: `M${round(x - 14)},${round(y)} C${round(x - 30)},${round(y - 40)} ${round(x + 30)},${round(y - 40)} ${round(x + 14)},${round(y)}`, curve: quad({ x: x - 30, y: y - 38 }, { x, y: y - 38 }, { x: x + 30, y: y - 38 }), back: false };
    }
    const ax = a.x + a.w / 2;
    const ay = a.y + a.h / 2;
    const bx = b.x + b.w / 2;
    const by = b.y + b.h / 2;
    // Bend each direction of a pair to its own side so A→B and B→A do not overlap; edges
    // that skip layers bend more so they pass beside the boxes in between.
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy) || 1;
    const nx = -dy / len;
    const ny = dx / len;
    const skipped = Math.abs(depth.get(e.from)! - depth.get(e.to)!);
    const bend = 36 + Math.max(0, skipped - 1) * 28;
    const cx = (ax + bx) / 2 + nx * bend;
    const cy = (ay + by) / 2 + ny * bend;
    // Start and end on the boxes' borders rather than their centres.
    const clip = (px: number, py: number, qx: number, qy: number, box: PlacedState) => {
      const vx = qx - px;
      const vy = qy - py;
      const sx = vx === 0 ? Infinity : box.w / 2 / Math.abs(vx);
      const sy = vy === 0 ? Infinity : box.h / 2 / Math.abs(vy);
      const k = Math.min(sx, sy);
      return { x: px + vx * k, y: py + vy * k };
    };
    const p0 = clip(ax, ay, cx, cy, a);
    const p1 = clip(bx, by, cx, cy, b);
    const back = e.from !== ANY_STATE && depth.get(e.to)! < depth.get(e.from)!;
    return { ...e, d: `M${round(p0.x)},${round(p0.y)} Q${round(cx)},${round(cy)} ${round(p1.x)},${round(p1.y)}`, curve: quad(p0, { x: cx, y: cy }, p1), back };
  });
  const labels = placeLabels(shapes, [...pos.values()]);
  const edges = shapes.map(({ curve: _curve, ...e }, i) => ({ ...e, ...labels[i] }));
  const placed = [...pos.values()];
  const extra = tb ? 60 : 0;
  const labelRight = Math.max(0, ...edges.map((e) => { const b = labelBox(e.label, e.lx, e.ly); return b.x + b.w; }));
  const labelBottom = Math.max(0, ...edges.map((e) => { const b = labelBox(e.label, e.lx, e.ly); return b.y + b.h; }));
  return {
    states: placed,
    edges,
    width: round(Math.max(Math.max(...placed.map((s) => s.x + s.w), 0) + M + extra, labelRight + 4)),
    height: round(Math.max(Math.max(...placed.map((s) => s.y + s.h), 0) + M + 30, labelBottom + 4)),
  };
}

/** A chart as the build computes it (`layouts.generated.ts`): what the page draws. */
export interface GeneratedChart {
  /** The registry key (a machine kind reported by the inspection channel, or 'ui-time'). */
  kind: string;
  title: { en: string; zh: string };
  /** The file that defines the machine. */
  source: string;
  layout: ChartLayout;
}
