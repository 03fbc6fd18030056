/**
 * How the simulation benchmarks (sim.ts on Node, sim-browser.ts in Chromium) print one run or
 * the mean of several: speed as virtual over wall time, with the slowest and fastest run's
 * speed beside a mean (this machine's noise shows) and the work the runs did.
 */
import type { Measurement } from './run';

export interface SimRun {
  virtualMs: number;
  wallMs: number;
  /** Process events handled, rounds and runner batches the conductor ran. */
  events: number;
  rounds: number;
  batches: number;
  /** CPU time of this process, all threads (Node only). */
  cpuMs?: number;
}

export function speed(r: SimRun): number { return r.virtualMs / r.wallMs; }

/** The mean speed of `runs` and their mean rate of process events, as two measurements. */
export function reportRuns(out: Measurement[], label: string, runs: SimRun[], target: { ratio?: number; events?: number } = {}): void {
  const mean = (f: (r: SimRun) => number) => runs.reduce((a, r) => a + f(r), 0) / runs.length;
  const speeds = runs.map(speed);
  const range = runs.length > 1 ? `runs ${Math.min(...speeds).toFixed(0)}-${Math.max(...speeds).toFixed(0)}x; ` : '';
  const cpu = runs.every((r) => r.cpuMs !== undefined) ? `, ${mean((r) => r.cpuMs!).toFixed(0)} ms CPU` : '';
  const note = `${range}${(mean((r) => r.virtualMs) / 1000).toFixed(1)} virtual s in ${mean((r) => r.wallMs).toFixed(0)} ms wall${cpu}, ${Math.round(mean((r) => r.events))} events in ${Math.round(mean((r) => r.rounds))} rounds (${Math.round(mean((r) => r.batches))} batches)`;
  out.push({ name: `${label}: virtual s / wall s`, value: mean(speed), unit: 'x', target: target.ratio, note });
  out.push({ name: `${label}: process events / wall s`, value: mean((r) => (r.events / r.wallMs) * 1000), unit: 'events/s', target: target.events });
}
