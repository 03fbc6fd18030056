/**
 * Per-command latency histograms for `latency-tracking` (INFO latencystats, LATENCY
 * HISTOGRAM). Like Redis, a command gets its histogram on its first tracked call, durations
 * are recorded in nanoseconds clamped to [1 ns, 1 s], and CONFIG RESETSTAT drops them all.
 */
import type { RedisServer } from './server';
import type { CommandSpec } from '../commands/table';
import { HdrHistogram, newLatencyHistogram } from '../util/hdr-histogram';

const histograms = new WeakMap<RedisServer, Map<CommandSpec, HdrHistogram>>();

function tableOf(server: RedisServer): Map<CommandSpec, HdrHistogram> {
  let t = histograms.get(server);
  if (!t) { t = new Map(); histograms.set(server, t); }
  return t;
}

export function recordCommandLatency(server: RedisServer, cmd: CommandSpec, durationUs: number): void {
  if (!server.hot.latencyTracking) return;
  const t = tableOf(server);
  let h = t.get(cmd);
  if (!h) { h = newLatencyHistogram(); t.set(cmd, h); }
  h.record(Math.min(1_000_000_000, Math.max(1, Math.round(durationUs * 1000))));
}

export function commandHistogram(server: RedisServer, cmd: CommandSpec): HdrHistogram | undefined {
  return histograms.get(server)?.get(cmd);
}

export function resetCommandHistograms(server: RedisServer): void {
  histograms.get(server)?.clear();
}
