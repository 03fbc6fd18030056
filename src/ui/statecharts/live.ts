/**
 * What the statecharts panel draws for the engine's machines, from the servers' summaries (the
 * inspection channel reports each machine's kind, subject, state and last transition): one
 * chart per process and machine kind. A process's failure detectors (one per known node) share
 * one chart: every state a node is in is lit, with the nodes listed under it, and the most
 * recent transition among them is the one animated.
 */
import type { ServerSummary } from '../../sim';

export interface LiveChart {
  /** Unique on the page: `<kind>@<pid>`. */
  key: string;
  kind: string;
  pid: number;
  /** The process ("redis-1:7001"). */
  owner: string;
  /** What the machine is about ("following 127.0.0.1:7000", "6 nodes"). */
  subject: string;
  /** How many machines share the chart (the nodes a process's failure detectors watch). */
  count: number;
  live: string[];
  tags: Record<string, string[]>;
  last: { from: string; to: string; atMs: number; subject: string } | null;
}

export function liveCharts(servers: readonly { pid: number; label: string }[], summaries: ReadonlyMap<number, ServerSummary>): LiveChart[] {
  const out: LiveChart[] = [];
  for (const p of servers) {
    const s = summaries.get(p.pid);
    if (!s?.machines) continue;
    const byKind = new Map<string, ServerSummary['machines']>();
    for (const m of s.machines) byKind.set(m.kind, [...(byKind.get(m.kind) ?? []), m]);
    for (const [kind, ms] of byKind) {
      const live = [...new Set(ms.map((m) => m.value))];
      const tags: Record<string, string[]> = {};
      let last: LiveChart['last'] = null;
      for (const m of ms) {
        if (ms.length > 1) (tags[m.value] ??= []).push(m.subject);
        if (m.last && (!last || m.last.atMs > last.atMs)) last = { ...m.last, subject: m.subject };
      }
      const subject = ms.length > 1 ? `${ms.length} nodes` : ms[0].subject;
      out.push({ key: `${kind}@${p.pid}`, kind, pid: p.pid, owner: p.label, subject, count: ms.length, live, tags, last });
    }
  }
  return out;
}
