/**
 * Instantaneous metrics (instantaneous_ops_per_sec, instantaneous_*_kbps): every 100 ms the
 * server cron takes a sample of "how much since the last sample, per second" for each
 * counter and keeps the last 16; INFO shows their average, like trackInstantaneousMetric.
 */
import type { RedisServer } from './server';

const SAMPLES = 16;
export type Metric = 'command' | 'netInput' | 'netOutput' | 'netReplInput' | 'netReplOutput';
const METRICS: Metric[] = ['command', 'netInput', 'netOutput', 'netReplInput', 'netReplOutput'];

interface Series { samples: number[]; idx: number; lastTimeMs: number; lastCount: number }

const state = new WeakMap<RedisServer, { series: Map<Metric, Series>; lastRunMs: number }>();

function current(server: RedisServer, m: Metric): number {
  const st = server.stats;
  switch (m) {
    case 'command': return st.numCommands;
    case 'netInput': return st.netInputBytes + st.netReplInputBytes;
    case 'netOutput': return st.netOutputBytes + st.netReplOutputBytes;
    case 'netReplInput': return st.netReplInputBytes;
    case 'netReplOutput': return st.netReplOutputBytes;
  }
}

function stateOf(server: RedisServer) {
  let s = state.get(server);
  if (!s) {
    const now = server.os.now();
    s = { series: new Map(), lastRunMs: 0 };
    for (const m of METRICS) s.series.set(m, { samples: new Array(SAMPLES).fill(0), idx: 0, lastTimeMs: now, lastCount: current(server, m) });
    state.set(server, s);
  }
  return s;
}

/** Called from every cron tick; samples at most every 100 ms (run_with_period(100)). */
export function trackInstantaneousMetrics(server: RedisServer): void {
  const s = stateOf(server);
  const now = server.os.now();
  if (now - s.lastRunMs < 100) return;
  s.lastRunMs = now;
  for (const m of METRICS) {
    const ser = s.series.get(m)!;
    const t = now - ser.lastTimeMs;
    const count = current(server, m);
    const ops = count - ser.lastCount;
    ser.samples[ser.idx] = t > 0 ? Math.floor((ops * 1000) / t) : 0;
    ser.idx = (ser.idx + 1) % SAMPLES;
    ser.lastTimeMs = now;
    ser.lastCount = count;
  }
}

/**
 * getInstantaneousMetric: the mean of the samples; 0 before the cron's first tick started them.
 * Reading starts nothing: an observer's INFO (engine/inspect.ts: the page's summaries ask every
 * server at once) would otherwise set the time and count the first sample is measured from, and
 * the same world without that observer (a rewind's replay) would show other rates.
 */
export function instantaneousMetric(server: RedisServer, m: Metric): number {
  const ser = state.get(server)?.series.get(m);
  if (!ser) return 0;
  return Math.floor(ser.samples.reduce((a, b) => a + b, 0) / SAMPLES);
}

export function resetInstantaneousMetrics(server: RedisServer): void {
  state.delete(server);
  stateOf(server);
}
