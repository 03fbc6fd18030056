/**
 * Running redis-benchmark for differential tests: the real one (Debian's binary) as a child
 * process, and ours in-process (redisBenchmarkMain on a NativeOs with captured output). Both
 * give stdout/stderr as byte strings and the exit code; `normaliseBenchmarkOutput` masks what
 * depends on timing so the rest can be compared line for line.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { redisBenchmarkMain } from '../../src/engine/tools/redis-benchmark/main';
import { runInProcess } from './in-process';
import { findBinary } from './real-redis';

export const REAL_REDIS_BENCHMARK = findBinary('redis-benchmark');

export interface BenchResult { stdout: string; stderr: string; code: number }

export interface BenchRunOptions {
  stdin?: string;
  /** Stop after this long (modes that never end); the code is then -1. */
  timeoutMs?: number;
}

export function runRealBenchmark(args: string[], opts: BenchRunOptions = {}): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(REAL_REDIS_BENCHMARK!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.stdin.end(Buffer.from(opts.stdin ?? '', 'latin1'));
    let timedOut = false;
    const timer = opts.timeoutMs ? setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, opts.timeoutMs) : null;
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      // A shell's view of a process killed by a signal: 128 + the signal's number.
      const status = timedOut ? -1 : code ?? (signal ? 128 + constants.signals[signal] : -1);
      resolve({ stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), code: status });
    });
  });
}

export function runOurBenchmark(args: string[], opts: BenchRunOptions = {}): Promise<BenchResult> {
  return runInProcess(redisBenchmarkMain, ['redis-benchmark', ...args], opts);
}

const DIST_LINE = /^(\d+\.\d{3})% <= \d+\.\d{3} milliseconds \(cumulative count (\d+)\)$/;

/**
 * Drops the progress lines (everything up to each '\r': the real tool prints them every
 * 250 ms, so how many appear is timing) and masks measured figures: decimals, -nan and inf
 * become '#', the lines of the two latency distributions (how many there are depends on the
 * latencies) are left out, except their final 100% line whose cumulative count is kept.
 * Integers (requests, clients, payload bytes, counts) stay exact.
 */
export function normaliseBenchmarkOutput(text: string): string {
  const lines = text.replace(/[^\n\r]*\r/g, '').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const m = DIST_LINE.exec(line);
    // How many buckets lie below 100% depends on the latencies measured (all in one bucket
    // prints none), so they are left out.
    if (m && m[1] !== '100.000') continue;
    if (m) { out.push(`100.000% <= # milliseconds (cumulative count ${m[2]})`); continue; }
    out.push(line.replace(/-?nan|inf|\d+\.\d+/g, '#').replace(/ +#/g, ' #'));
  }
  return out.join('\n');
}
