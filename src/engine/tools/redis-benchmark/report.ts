/**
 * What redis-benchmark prints about a finished test (showLatencyReport) and while one runs
 * (showThroughput's progress line).
 *
 * The C code keeps these figures in `float` variables, so they are rounded to single
 * precision before printf formats them; Math.fround reproduces that, and `fixed` is glibc's
 * exact `%.Nf`. The full report walks the latency histogram twice: by percentile (0, 50, 75,
 * 87.5... halving the distance to 100 each step) and linearly in 0.1 ms steps (1 ms steps once
 * past 2 ms), printing a line whenever the cumulative count moved.
 */
import type { HdrHistogram } from '../../util/hdr-histogram';
import { fixed, padLeft } from '../redis-cli/cformat';
import type { BenchConfig } from './config';

export interface FinishedTest {
  title: string;
  requestsFinished: number;
  /** Wall time of the test in whole milliseconds (mstime() difference). */
  totalMs: number;
  histogram: HdrHistogram;
  /** The server's `save` and `appendonly` settings, when CONFIG GET worked. */
  serverConfig: { save: string; appendonly: string } | null;
  /** Bytes of the last progress line, blanked out before the report. */
  lastPrintedBytes: number;
}

const f32 = Math.fround;

/** `(float)v / 1000.0f`: a histogram value in µs as float milliseconds. */
function msOf(us: number): number {
  return f32(f32(us) / 1000);
}

/** printf("%*s\r", n, " "): blank the progress line (a single space when nothing was printed). */
export function blankLine(lastPrintedBytes: number): string {
  return `${padLeft(' ', lastPrintedBytes)}\r`;
}

export function latencyReport(config: BenchConfig, t: FinishedTest): string {
  const h = t.histogram;
  const reqPerSec = f32(f32(t.requestsFinished) / f32(f32(t.totalMs) / 1000));
  const p0 = msOf(h.min());
  const p50 = msOf(h.valueAtPercentile(50));
  const p95 = msOf(h.valueAtPercentile(95));
  const p99 = msOf(h.valueAtPercentile(99));
  const p100 = msOf(h.max());
  const avg = f32(h.mean() / 1000);

  if (config.csv) {
    const q = (s: string) => `"${s}"`;
    return [q(t.title), q(fixed(reqPerSec, 2)), ...[avg, p0, p50, p95, p99, p100].map((v) => q(fixed(v, 3)))].join(',') + '\n';
  }
  if (config.quiet) {
    return `${blankLine(t.lastPrintedBytes)}${t.title}: ${fixed(reqPerSec, 2)} requests per second, p50=${fixed(p50, 3)} msec\n`;
  }
  let out = blankLine(t.lastPrintedBytes);
  out += `====== ${t.title} ======\n`;
  out += `  ${t.requestsFinished} requests completed in ${fixed(f32(f32(t.totalMs) / 1000), 2)} seconds\n`;
  out += `  ${config.numclients} parallel clients\n`;
  out += `  ${config.datasize} bytes payload\n`;
  out += `  keep alive: ${config.keepalive}\n`;
  if (t.serverConfig) {
    out += `  host configuration "save": ${t.serverConfig.save}\n`;
    out += `  host configuration "appendonly": ${t.serverConfig.appendonly}\n`;
  }
  out += `  multi-thread: ${config.threads ? 'yes' : 'no'}\n`;
  if (config.threads) out += `  threads: ${config.threads}\n`;
  out += '\nLatency by percentile distribution:\n';
  const total = h.totalCount;
  let previous = -1;
  for (const step of h.percentileIterate(1)) {
    if (previous !== step.cumulative || step.cumulative === total) {
      out += `${fixed(step.percentile, 3)}% <= ${fixed(msOf(step.highestEquivalent), 3)} milliseconds (cumulative count ${step.cumulative})\n`;
    }
    previous = step.cumulative;
  }
  out += '\nCumulative distribution of latencies:\n';
  previous = -1;
  const linear = { unitsPerBucket: 100 };
  for (const step of h.linearIterate(linear)) {
    const percentile = (step.cumulative / total) * 100;
    if (previous !== step.cumulative || step.cumulative === total) {
      out += `${fixed(percentile, 3)}% <= ${fixed(msOf(step.highestEquivalent), 3)} milliseconds (cumulative count ${step.cumulative})\n`;
    }
    // Past 2 ms, tenths of a millisecond would only add noise: whole milliseconds.
    if (step.highestEquivalent > 2000) linear.unitsPerBucket = 1000;
    previous = step.cumulative;
  }
  out += '\nSummary:\n';
  out += `  throughput summary: ${fixed(reqPerSec, 2)} requests per second\n`;
  out += '  latency summary (msec):\n';
  out += `    ${['avg', 'min', 'p50', 'p95', 'p99', 'max'].map((s) => padLeft(s, 9)).join(' ')}\n`;
  out += `    ${[avg, p0, p50, p95, p99, p100].map((v) => padLeft(fixed(v, 3), 9)).join(' ')}\n`;
  return out;
}

/** The CSV header printed once before the first test. */
export const CSV_HEADER = '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"\n';
