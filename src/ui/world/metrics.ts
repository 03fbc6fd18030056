/**
 * Time series the plots draw, sampled from the servers' own INFO (through the read-only
 * inspector) on virtual time: ops/s, replication offset, commands processed, keys, the
 * replication backlog's window. A sample
 * is taken when the summaries are polled and virtual time has moved; each series keeps the
 * most recent MAX_POINTS points.
 */
import type { ServerSummary } from '../../sim';

export interface MetricPoint {
  /** Virtual ms since the world was built. */
  t: number;
  opsPerSec: number;
  replOffset: number;
  totalCommands: number;
  keys: number;
  /** The replication backlog's window on a master: first and last stream offsets it holds (null: no backlog). */
  backlogFirst: number | null;
  backlogLast: number | null;
}

export interface Series {
  pid: number;
  label: string;
  role: string;
  points: MetricPoint[];
}

export const MAX_POINTS = 600;

export class MetricSeries {
  readonly series = new Map<number, Series>();
  version = 0;

  sample(t: number, servers: { pid: number; label: string; summary: ServerSummary | null }[]): void {
    let changed = false;
    for (const s of servers) {
      if (!s.summary) continue;
      let ser = this.series.get(s.pid);
      if (!ser) this.series.set(s.pid, (ser = { pid: s.pid, label: s.label, role: s.summary.role, points: [] }));
      ser.role = s.summary.role;
      const last = ser.points[ser.points.length - 1];
      if (last && last.t >= t) continue;
      const b = s.summary.backlog;
      const window = b?.active && b.histlenBytes > 0 ? { first: b.firstByteOffset, last: b.firstByteOffset + b.histlenBytes - 1 } : null;
      ser.points.push({
        t, opsPerSec: s.summary.opsPerSec, replOffset: s.summary.replOffset, totalCommands: s.summary.totalCommands, keys: s.summary.keys,
        backlogFirst: window?.first ?? null, backlogLast: window?.last ?? null,
      });
      if (ser.points.length > MAX_POINTS) ser.points.splice(0, ser.points.length - MAX_POINTS);
      changed = true;
    }
    if (changed) this.version++;
  }

  clear(): void {
    this.series.clear();
    this.version++;
  }
}
