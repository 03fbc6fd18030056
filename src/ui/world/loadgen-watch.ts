/**
 * The load generators' counters over time, for the plots: writes attempted, acknowledged and
 * failed (from `halab-loadgen`'s own counters, read through the inspector) and lost writes.
 *
 * Lost writes are counted the way the lessons count them (src/lessons/sim-adapter.ts): at each
 * sample, the latest acknowledged write of every key (key, seq) is compared with the value the
 * load generator's target holds now; a key missing there, or holding an older seq, is a lost
 * write. Once counted a lost write stays counted (even after the key is written again). While
 * the target is not running nothing is counted: it may come back with its data.
 */
import type { LoadgenSnapshot } from '../../sim';

export interface LoadgenPoint {
  /** Virtual ms since the world was built. */
  t: number;
  attempted: number;
  acked: number;
  errors: number;
  lost: number;
  /** Rates since the previous point (per second of virtual time). */
  ackedPerSec: number;
  errorsPerSec: number;
}

export interface LoadgenSeries {
  pid: number;
  label: string;
  target: string;
  points: LoadgenPoint[];
}

/** The acknowledged writes a target no longer has: `key#seq` ids not counted before. */
export function newlyLost(lastAcked: readonly [string, number][], values: readonly (string | null)[], counted: ReadonlySet<string>): string[] {
  const out: string[] = [];
  lastAcked.forEach(([key, seq], i) => {
    const v = values[i];
    const have = v === null || v === undefined ? -1 : Number(v);
    const id = `${key}#${seq}`;
    if (!(have >= seq) && !counted.has(id)) out.push(id);
  });
  return out;
}

export const MAX_LOADGEN_POINTS = 600;

export class LoadgenWatch {
  readonly series = new Map<number, LoadgenSeries>();
  private readonly lost = new Map<number, Set<string>>();
  version = 0;

  /**
   * One sample of a load generator: its counters, and (when its target answered) the target's
   * values of the keys in `snap.lastAcked`, in that order.
   */
  sample(t: number, pid: number, label: string, snap: LoadgenSnapshot, targetValues: (string | null)[] | null): void {
    let ser = this.series.get(pid);
    if (!ser) this.series.set(pid, (ser = { pid, label, target: snap.target, points: [] }));
    // Through sentinels the master written to changes with a failover: the label says the current one.
    ser.label = label;
    let lost = this.lost.get(pid);
    if (!lost) this.lost.set(pid, (lost = new Set()));
    if (targetValues) for (const id of newlyLost(snap.lastAcked, targetValues, lost)) lost.add(id);
    const prev = ser.points[ser.points.length - 1];
    if (prev && prev.t >= t) return;
    const dt = prev ? (t - prev.t) / 1000 : 0;
    ser.points.push({
      t,
      attempted: snap.attempted,
      acked: snap.acked,
      errors: snap.errors,
      lost: lost.size,
      ackedPerSec: prev && dt > 0 ? Math.max(0, snap.acked - prev.acked) / dt : 0,
      errorsPerSec: prev && dt > 0 ? Math.max(0, snap.errors - prev.errors) / dt : 0,
    });
    if (ser.points.length > MAX_LOADGEN_POINTS) ser.points.splice(0, ser.points.length - MAX_LOADGEN_POINTS);
    this.version++;
  }

  /** Totals over every load generator seen (the latest point of each). */
  totals(): { acked: number; errors: number; lost: number; attempted: number } {
    const out = { acked: 0, errors: 0, lost: 0, attempted: 0 };
    for (const s of this.series.values()) {
      const p = s.points[s.points.length - 1];
      if (!p) continue;
      out.acked += p.acked;
      out.errors += p.errors;
      out.lost += p.lost;
      out.attempted += p.attempted;
    }
    return out;
  }

  clear(): void {
    this.series.clear();
    this.lost.clear();
    this.version++;
  }
}
