/**
 * Runs every benchmark file in bench/ (each default-exports an async function returning
 * measurements) and prints the numbers. Benchmarks report; they never assert.
 *
 *   npm run bench            all files
 *   npm run bench -- sim     only files whose name contains "sim"
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export interface Measurement {
  name: string;
  value: number;
  unit: string;
  /** Optional target to print a ratio against (value / target). */
  target?: number;
  note?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && f.includes(filter)).sort();

for (const f of files) {
  const mod = (await import(join(here, f))) as { default?: () => Promise<Measurement[]> };
  if (typeof mod.default !== 'function') continue;
  console.log(`\n== ${f}`);
  const started = performance.now();
  const results = await mod.default();
  for (const m of results) {
    const value = m.value >= 100 ? m.value.toFixed(0) : m.value.toFixed(2);
    const ratio = m.target ? `  (${(m.value / m.target).toFixed(2)}× target ${m.target})` : '';
    console.log(`${m.name.padEnd(58)} ${value.padStart(12)} ${m.unit}${ratio}${m.note ? `  — ${m.note}` : ''}`);
  }
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
process.exit(0);
