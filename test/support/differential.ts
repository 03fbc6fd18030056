/**
 * Differential testing: send the same requests to real Redis 7.0.15 and to our engine and
 * compare the reply bytes.
 *
 * A script is a list of steps. A step is an argv array (sent as a multibulk request), or an
 * object for special cases: raw protocol bytes, replies compared after sorting (set members,
 * hash fields in hashtable order), or a reply that is only type-checked (TIME, RANDOMKEY).
 */
import { describe, beforeAll, afterAll, expect } from 'vitest';
import { haveRealRedis, startRealRedis, type RealRedis } from './real-redis';
import { startOurRedis, type OurRedis } from './our-server';
import type { RawClient } from './raw-client';
import type { RespValue } from '../../src/engine/resp/reply-parser';

export type Step =
  | string[]
  | { raw: string; replies?: number; note?: string }
  | { cmd: string[]; compare: 'sorted' | 'type' | 'length'; note?: string }
  | { sleepMs: number };

export interface Pair { real: RealRedis; ours: OurRedis; realClient: RawClient; ourClient: RawClient }

/** Declare a differential suite; `body` gets a getter for the running pair. */
export function describeDifferential(name: string, body: (pair: () => Pair) => void, args: string[] = []): void {
  const enabled = haveRealRedis();
  (enabled ? describe : describe.skip)(name, () => {
    let pair: Pair;
    beforeAll(async () => {
      const [real, ours] = await Promise.all([startRealRedis(args), startOurRedis(args)]);
      pair = { real, ours, realClient: await real.client(), ourClient: await ours.client() };
    });
    afterAll(async () => {
      pair?.realClient.close();
      pair?.ourClient.close();
      await Promise.all([pair?.real.stop(), pair?.ours.stop()]);
    });
    body(() => pair);
  });
}

function sortedShape(v: RespValue): string {
  if (v.type === 'array' || v.type === 'set') return JSON.stringify(v.value.map((x) => JSON.stringify(x, replacer)).sort());
  if (v.type === 'map') return JSON.stringify(v.value.map((x) => JSON.stringify(x, replacer)).sort());
  return JSON.stringify(v, replacer);
}

const replacer = (_k: string, x: unknown) => (typeof x === 'bigint' ? x.toString() : x);

function describeStep(s: Step): string {
  if (Array.isArray(s)) return s.map((a) => JSON.stringify(a)).join(' ');
  if ('raw' in s) return `raw ${JSON.stringify(s.raw)}`;
  if ('cmd' in s) return `${s.compare} ${s.cmd.join(' ')}`;
  return `sleep ${s.sleepMs}`;
}

/** Run a script against both servers on fresh connections; collect mismatches. */
export async function runScript(pair: Pair, steps: Step[]): Promise<string[]> {
  const { realClient: a, ourClient: b } = pair;
  const mismatches: string[] = [];
  for (const step of steps) {
    if (!Array.isArray(step) && 'sleepMs' in step) { await new Promise((r) => setTimeout(r, step.sleepMs)); continue; }
    if (!Array.isArray(step) && 'raw' in step) {
      a.write(step.raw); b.write(step.raw);
      for (let i = 0; i < (step.replies ?? 1); i++) {
        const [ra, rb] = await Promise.all([a.reply(), b.reply()]);
        if (ra.bytes !== rb.bytes) mismatches.push(`${describeStep(step)}\n  real: ${JSON.stringify(ra.bytes)}\n  ours: ${JSON.stringify(rb.bytes)}`);
      }
      continue;
    }
    const argv = Array.isArray(step) ? step : step.cmd;
    const mode = Array.isArray(step) ? 'bytes' : step.compare;
    const enc = `*${argv.length}\r\n` + argv.map((x) => `$${x.length}\r\n${x}\r\n`).join('');
    a.write(enc); b.write(enc);
    const [ra, rb] = await Promise.all([a.reply(), b.reply()]);
    let same: boolean;
    if (mode === 'bytes') same = ra.bytes === rb.bytes;
    else if (mode === 'sorted') same = sortedShape(ra.value) === sortedShape(rb.value);
    else if (mode === 'length') same = ra.value.type === rb.value.type && (('value' in ra.value && Array.isArray(ra.value.value)) ? (ra.value.value as unknown[]).length === (rb.value as { value: unknown[] }).value.length : true);
    else same = ra.value.type === rb.value.type;
    if (!same) mismatches.push(`${describeStep(step)}\n  real: ${JSON.stringify(ra.bytes)}\n  ours: ${JSON.stringify(rb.bytes)}`);
  }
  return mismatches;
}

/** Assert a script yields identical replies. */
export async function expectSame(pair: Pair, steps: Step[]): Promise<void> {
  const mismatches = await runScript(pair, steps);
  expect(mismatches, mismatches.join('\n')).toEqual([]);
}
