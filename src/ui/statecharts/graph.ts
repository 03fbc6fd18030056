/**
 * A statechart's drawing, from an xstate v5 machine's own definition: its top-level states
 * and the transitions between them (event names as labels; done/error events of invoked
 * actors read as "done"/"error"). The layout is layered: states by their distance from the
 * initial state (columns), in definition order within a column; it is a pure function of the
 * definition, so the same machine always draws the same way.
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

function eventLabel(type: string): string {
  if (type.startsWith('xstate.done.actor')) return 'done';
  if (type.startsWith('xstate.error.actor')) return 'error';
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
  for (const [key, top] of Object.entries(root.states)) {
    states.push({ id: key, initial: key === initialKey });
    for (const node of descendants(top)) for (const [type, transitions] of node.transitions) {
      for (const tr of transitions) {
        for (const target of tr.target ?? []) {
          // The top-level state this target belongs to.
          let t = target;
          while (t.parent && t.parent !== root) t = t.parent;
          const id = `${key}>${t.key}`;
          const label = eventLabel(type);
          const e = edges.get(id);
          if (e) {
            if (!e.label.split(' / ').includes(label)) e.label += ` / ${label}`;
          } else {
            edges.set(id, { from: key, to: t.key, label });
          }
        }
      }
    }
  }
  return { id: root.id, states, edges: [...edges.values()] };
}

export interface PlacedState extends ChartState {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ChartLayout {
  states: PlacedState[];
  edges: (ChartEdge & { d: string; lx: number; ly: number })[];
  width: number;
  height: number;
}

const W = 120;
const H = 40;
const GAP_X = 110;
const GAP_Y = 46;
const M = 24;

export function layoutChart(g: ChartGraph): ChartLayout {
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
  const maxDepth = Math.max(0, ...depth.values());
  for (const s of g.states) if (!depth.has(s.id)) depth.set(s.id, maxDepth + 1);
  const columns = new Map<number, string[]>();
  for (const s of g.states) {
    const d = depth.get(s.id)!;
    columns.set(d, [...(columns.get(d) ?? []), s.id]);
  }
  const pos = new Map<string, PlacedState>();
  let rows = 0;
  for (const [d, ids] of columns) {
    rows = Math.max(rows, ids.length);
    ids.forEach((id, i) => {
      const s = g.states.find((x) => x.id === id)!;
      pos.set(id, { ...s, x: M + d * (W + GAP_X), y: M + 20 + i * (H + GAP_Y), w: W, h: H });
    });
  }
  const edges = g.edges.map((e) => {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    if (a === b) {
      const x = a.x + a.w / 2;
      const y = a.y;
      return { ...e, d: `M${x - 14},${y} C${x - 30},${y - 40} ${x + 30},${y - 40} ${x + 14},${y}`, lx: x, ly: y - 34 };
    }
    const ax = a.x + a.w / 2;
    const ay = a.y + a.h / 2;
    const bx = b.x + b.w / 2;
    const by = b.y + b.h / 2;
    // Bend each direction of a pair to its own side so A→B and B→A do not overlap.
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy) || 1;
    const nx = -dy / len;
    const ny = dx / len;
    const bend = 42;
    const cx = (ax + bx) / 2 + nx * bend;
    const cy = (ay + by) / 2 + ny * bend;
    // Start and end on the boxes' borders rather than their centres.
    const clip = (px: number, py: number, qx: number, qy: number, box: PlacedState) => {
      const vx = qx - px;
      const vy = qy - py;
      const sx = vx === 0 ? Infinity : box.w / 2 / Math.abs(vx);
      const sy = vy === 0 ? Infinity : box.h / 2 / Math.abs(vy);
      const s = Math.min(sx, sy);
      return { x: px + vx * s, y: py + vy * s };
    };
    const p0 = clip(ax, ay, cx, cy, a);
    const p1 = clip(bx, by, cx, cy, b);
    return { ...e, d: `M${p0.x},${p0.y} Q${cx},${cy} ${p1.x},${p1.y}`, lx: cx, ly: cy };
  });
  const placed = [...pos.values()];
  return {
    states: placed,
    edges,
    width: Math.max(...placed.map((s) => s.x + s.w), 0) + M,
    height: Math.max(...placed.map((s) => s.y + s.h), 0) + M + 30,
  };
}
