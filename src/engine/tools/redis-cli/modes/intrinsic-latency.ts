/**
 * --intrinsic-latency <seconds>: run a small CPU-bound loop and report the longest gap
 * between two clock readings, i.e. how long the process was kept from running.
 *
 * The loop yields to the Os every few milliseconds so a simulated process does not block its
 * host; under the simulation's virtual clock the measured gaps are the modelled ones.
 */
import type { RedisCli } from '../cli';
import { fixed } from '../cformat';

/** Some work the JIT cannot drop: an RC4-like shuffle over 256 bytes. */
function computeSomethingFast(): number {
  const s = new Uint8Array(256);
  for (let k = 0; k < 256; k++) s[k] = k;
  let i = 0, j = 0, output = 0;
  for (let count = 0; count < 1000; count++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    const t = s[i];
    s[i] = s[j];
    s[j] = t;
    output += s[(s[i] + s[j]) & 255];
  }
  return output;
}

export async function intrinsicLatencyMode(cli: RedisCli): Promise<never> {
  const runTimeUs = cli.config.intrinsicLatencyDurationSec * 1000000;
  const testEnd = cli.nowUs() + runTimeUs;
  let maxLatency = 0;
  let runs = 0;
  let sink = 0;
  let sliceStart = cli.nowUs();
  cli.installSigint('stop-loop');
  for (;;) {
    const start = cli.nowUs();
    sink += computeSomethingFast();
    const end = cli.nowUs();
    const latency = end - start;
    runs++;
    if (end - sliceStart > 10000) {
      await cli.sleepMs(0);
      sliceStart = cli.nowUs();
    }
    if (latency <= 0 && !(end > testEnd)) continue;
    if (latency > maxLatency) {
      maxLatency = latency;
      cli.out(`Max latency so far: ${maxLatency} microseconds.\n`);
    }
    const avgUs = runTimeUs / runs;
    const avgNs = avgUs * 1e3;
    if (cli.forceCancelLoop || end > testEnd) {
      cli.out(`\n${runs} total runs (avg latency: ${fixed(avgUs, 4)} microseconds / ${fixed(avgNs, 2)} nanoseconds per run).\n`);
      cli.out(`Worst run took ${fixed(maxLatency / avgUs, 0)}x longer than the average latency.\n`);
      void sink;
      cli.exit(0);
    }
  }
}
