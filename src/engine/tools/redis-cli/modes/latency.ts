/**
 * --latency, --latency-history and --latency-dist: PING in a loop every 10 ms and report
 * min/max/avg (or, for --latency-dist, a colour spectrum of the latency distribution).
 */
import type { RedisCli } from '../cli';
import { fixed } from '../cformat';
import { Output } from '../format';
import { reconnectingCommand } from './reconnect';

const LATENCY_SAMPLE_RATE_MS = 10;
const LATENCY_HISTORY_DEFAULT_INTERVAL_MS = 15000;
const LATENCY_DIST_DEFAULT_INTERVAL_MS = 1000;

function printStats(cli: RedisCli, min: number, max: number, avg: number, count: number): void {
  switch (cli.config.output) {
    case Output.Standard: cli.out(`min: ${min}, max: ${max}, avg: ${fixed(avg, 2)} (${count} samples)`); break;
    case Output.Csv: cli.out(`${min},${max},${fixed(avg, 2)},${count}\n`); break;
    case Output.Raw: cli.out(`${min} ${max} ${fixed(avg, 2)} ${count}\n`); break;
    case Output.Json: cli.out(`{"min": ${min}, "max": ${max}, "avg": ${fixed(avg, 2)}, "count": ${count}}\n`); break;
    default: break;
  }
}

export async function latencyMode(cli: RedisCli): Promise<never> {
  const config = cli.config;
  let min = 0, max = 0, tot = 0, count = 0, avg = 0;
  const historyIntervalMs = config.intervalUs ? Math.trunc(config.intervalUs / 1000) : LATENCY_HISTORY_DEFAULT_INTERVAL_MS;
  let historyStart = cli.nowMs();
  // Without -i, --latency with --raw/--csv or a non-tty stdout samples for one second.
  const intervalMs = config.intervalUs === 0 ? 1000 : Math.trunc(config.intervalUs / 1000);
  if (!cli.context) cli.exit(1);
  for (;;) {
    const start = cli.nowMs();
    await reconnectingCommand(cli, ['PING']);
    const latency = cli.nowMs() - start;
    count++;
    if (count === 1) {
      min = max = tot = latency;
      avg = latency;
    } else {
      if (latency < min) min = latency;
      if (latency > max) max = latency;
      tot += latency;
      avg = tot / count;
    }
    if (config.output === Output.Standard) {
      cli.out('\x1b[0G\x1b[2K');
      printStats(cli, min, max, avg, count);
    } else if (config.latencyHistory) {
      printStats(cli, min, max, avg, count);
    } else if (cli.nowMs() - historyStart > intervalMs) {
      printStats(cli, min, max, avg, count);
      cli.exit(0);
    }
    if (config.latencyHistory && cli.nowMs() - historyStart > historyIntervalMs) {
      cli.out(` -- ${fixed(Math.fround(Math.fround(cli.nowMs() - historyStart) / 1000), 2)} seconds range\n`);
      historyStart = cli.nowMs();
      min = max = tot = count = 0;
    }
    await cli.sleepMs(LATENCY_SAMPLE_RATE_MS);
  }
}

const PALETTE_COLOR = [0, 233, 234, 235, 237, 239, 241, 243, 245, 247, 144, 143, 142, 184, 226, 214, 208, 202, 196];
const PALETTE_MONO = [0, 233, 234, 235, 237, 239, 241, 243, 245, 247, 249, 251, 253];

/** Latency buckets: upper bound in microseconds (0 = everything above) and their symbol. */
const DIST_BUCKETS: [number, string][] = [
  [10, '.'], [125, '-'], [250, '*'], [500, '#'],
  [1000, '1'], [2000, '2'], [3000, '3'], [4000, '4'], [5000, '5'], [6000, '6'], [7000, '7'], [8000, '8'], [9000, '9'],
  [10000, 'A'], [20000, 'B'], [30000, 'C'], [40000, 'D'], [50000, 'E'],
  [100000, 'F'], [200000, 'G'], [300000, 'H'], [400000, 'I'], [500000, 'J'],
  [1000000, 'K'], [2000000, 'L'], [4000000, 'M'], [8000000, 'N'], [16000000, 'O'], [30000000, 'P'], [60000000, 'Q'],
  [0, '?'],
];

function legend(palette: number[]): string {
  let out = '---------------------------------------------\n'
    + '. - * #          .01 .125 .25 .5 milliseconds\n'
    + '1,2,3,...,9      from 1 to 9     milliseconds\n'
    + 'A,B,C,D,E        10,20,30,40,50  milliseconds\n'
    + 'F,G,H,I,J        .1,.2,.3,.4,.5       seconds\n'
    + 'K,L,M,N,O,P,Q,?  1,2,4,8,16,30,60,>60 seconds\n'
    + 'From 0 to 100%: ';
  for (const color of palette) out += `\x1b[48;5;${color}m `;
  return out + '\x1b[0m\n---------------------------------------------\n';
}

export async function latencyDistMode(cli: RedisCli): Promise<never> {
  const config = cli.config;
  const palette = config.monoPalette ? PALETTE_MONO : PALETTE_COLOR;
  const counts = DIST_BUCKETS.map(() => 0);
  const historyIntervalMs = config.intervalUs ? Math.trunc(config.intervalUs / 1000) : LATENCY_DIST_DEFAULT_INTERVAL_MS;
  let historyStart = cli.nowUs();
  let count = 0;
  let outputs = 0;
  if (!cli.context) cli.exit(1);
  for (;;) {
    const start = cli.nowUs();
    await reconnectingCommand(cli, ['PING']);
    const latency = cli.nowUs() - start;
    count++;
    const bucket = DIST_BUCKETS.findIndex(([max]) => max === 0 || latency <= max);
    counts[bucket]++;
    if (count && Math.trunc((cli.nowUs() - historyStart) / 1000) > historyIntervalMs) {
      if (outputs++ % 20 === 0) cli.out(legend(palette));
      let line = '\x1b[38;5;0m';
      for (let j = 0; j < DIST_BUCKETS.length; j++) {
        const idx = Math.ceil(counts[j] / count * (palette.length - 1));
        line += `\x1b[48;5;${palette[idx]}m${DIST_BUCKETS[j][1]}`;
        counts[j] = 0;
      }
      cli.out(line + '\x1b[0m\n');
      historyStart = cli.nowUs();
      count = 0;
    }
    await cli.sleepMs(LATENCY_SAMPLE_RATE_MS);
  }
}
