/**
 * The latency monitor (latency.c): named events ("command", "fast-command", "fork",
 * "aof-fsync-always", ...) each keep the last 160 per-second samples of latencies at or above
 * `latency-monitor-threshold` milliseconds, plus the all-time maximum. Two samples in the
 * same second keep only the larger one. LATENCY LATEST/HISTORY/RESET/GRAPH/DOCTOR read it.
 */
import type { RedisServer } from './server';

export const LATENCY_TS_LEN = 160;

/** latencyAddSampleIfNeeded: record `ms` for `event` when the monitor is on and it is slow enough. */
export function latencyAddSampleIfNeeded(server: RedisServer, event: string, ms: number): void {
  const threshold = server.hot.latencyMonitorThresholdMs;
  if (threshold && ms >= threshold) latencyAddSample(server, event, ms);
}

export function latencyAddSample(server: RedisServer, event: string, ms: number): void {
  let ts = server.latencyEvents.get(event);
  if (!ts) {
    ts = { samples: [], maxMs: 0 };
    server.latencyEvents.set(event, ts);
  }
  if (ms > ts.maxMs) ts.maxMs = ms;
  const now = Math.floor(server.os.now() / 1000);
  const prev = ts.samples[ts.samples.length - 1];
  if (prev && prev.t === now) {
    if (ms > prev.ms) prev.ms = ms;
    return;
  }
  ts.samples.push({ t: now, ms });
  if (ts.samples.length > LATENCY_TS_LEN) ts.samples.shift();
}

/** LATENCY RESET [event ...]: number of event series removed. */
export function latencyResetEvent(server: RedisServer, event: string | null): number {
  let resets = 0;
  for (const name of [...server.latencyEvents.keys()]) {
    if (event === null || name.toLowerCase() === event.toLowerCase()) {
      server.latencyEvents.delete(name);
      resets++;
    }
  }
  return resets;
}
