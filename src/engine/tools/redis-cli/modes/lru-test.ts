/**
 * --lru-test <keys>: a cache workload for testing eviction. Each second, pipelined batches of
 * SETs and GETs on keys drawn with an 80-20 power-law distribution; prints hits and misses.
 */
import type { RedisCli } from '../cli';
import { fixed } from '../cformat';

const LRU_CYCLE_PERIOD_MS = 1000;
const LRU_CYCLE_PIPELINE_SIZE = 250;

/** powerLawRand: an integer in [min, max], biased towards low values (alpha 6.2 gives 80-20). */
function powerLawRand(random: () => number, min: number, max: number, alpha: number): number {
  max += 1;
  const r = random();
  const pl = Math.pow((Math.pow(max, alpha + 1) - Math.pow(min, alpha + 1)) * r + Math.pow(min, alpha + 1), 1.0 / (alpha + 1));
  return (max - 1 - Math.trunc(pl)) + min;
}

export async function lruTestMode(cli: RedisCli): Promise<never> {
  const c = cli.context!;
  const size = Number(cli.config.lruTestSampleSize);
  const random = () => cli.os.random();
  const genKey = () => `lru:${powerLawRand(random, 1, size, 6.2)}`;
  for (;;) {
    const startCycle = cli.nowMs();
    let hits = 0;
    let misses = 0;
    while (cli.nowMs() - startCycle < LRU_CYCLE_PERIOD_MS) {
      for (let j = 0; j < LRU_CYCLE_PIPELINE_SIZE; j++) {
        let val = '';
        for (let i = 0; i < 5; i++) val += String.fromCharCode(65 + Math.floor(random() * (122 - 65)));
        c.appendCommand(['SET', genKey(), val]);
      }
      for (let j = 0; j < LRU_CYCLE_PIPELINE_SIZE; j++) await c.getReply();
      for (let j = 0; j < LRU_CYCLE_PIPELINE_SIZE; j++) c.appendCommand(['GET', genKey()]);
      for (let j = 0; j < LRU_CYCLE_PIPELINE_SIZE; j++) {
        const reply = await c.getReply();
        if (reply === null) continue;
        if (reply.type === 'error') cli.err(`${reply.str}\n`);
        else if (reply.type === 'nil') misses++;
        else hits++;
      }
      if (c.err) {
        cli.err('I/O error during LRU test\n');
        cli.exit(1);
      }
    }
    const total = hits + misses;
    cli.out(`${total} Gets/sec | Hits: ${hits} (${fixed(hits / total * 100, 2)}%) | Misses: ${misses} (${fixed(misses / total * 100, 2)}%)\n`);
  }
}
