/**
 * Lab C2 (c2-scenario.ts) in headless Chromium, the playground's own runtimes: every process
 * on the page, and one Web Worker per process (sim.ts measures the same world on Node, inline
 * and in worker_threads). The page (sim-browser-page/) is a production build, as users get it.
 *
 * `npm run bench -- sim` runs it with sim.ts. Needs /usr/bin/chromium (or CHROMIUM=...).
 */
import { join } from 'node:path';
import type { Measurement } from './run';
import { buildProduction, CHROMIUM, launch, servePreview } from '../test/e2e/browser';
import type { BrowserBench } from './sim-browser-page/main';
import { reportRuns } from './sim-runs';

export default async function run(): Promise<Measurement[]> {
  const out: Measurement[] = [];
  if (!CHROMIUM) {
    console.log('chromium not found: skipping the browser simulation benchmark');
    return out;
  }
  const root = join(process.cwd(), 'bench/sim-browser-page');
  const outDir = await buildProduction({ root, configFile: false, base: './', worker: { format: 'es' }, build: { target: 'es2022' } }, 'halab-sim-bench-');
  const server = await servePreview(outDir, { root, configFile: false });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(`document.getElementById('out')?.textContent !== 'running'`, undefined, { timeout: 600_000 });
    const r = (await page.evaluate('window.simBench')) as BrowserBench;
    if (r.error) throw new Error(`lab C2 in Chromium: ${r.error}`);
    const version = browser.version();
    reportRuns(out, `lab C2 failover, Chromium ${version.split('.')[0]}, on the page, first world`, r.inline.slice(0, 1), { ratio: 1000 });
    reportRuns(out, 'lab C2 failover, Chromium, on the page, JIT warm (mean of runs 6-8)', r.inline.slice(5), { ratio: 1000 });
    reportRuns(out, 'lab C2 failover, Chromium, Web Workers, fresh workers', r.workers.slice(0, 1), { ratio: 100 });
    reportRuns(out, 'lab C2 failover, Chromium, Web Workers reused (mean of runs 6-8)', r.workers.slice(5), { ratio: 100 });
    for (const [label, run] of [['on the page', r.rewind.page], ['Web Workers', r.rewind.workers]] as const) {
      if (run) out.push({ name: `rewind of a 10-minute lab C2 session, Chromium, ${label}`, value: run.wallMs, unit: 'ms wall', note: `${(run.virtualMs / run.wallMs).toFixed(0)}x real time (${run.rewoundBy})` });
    }
    for (const run of [r.restore.shadowed, r.restore.answering]) {
      if (run) out.push({ name: `replay of a 10-minute lab C2 session into Web Workers, Chromium, ${run.rewoundBy}`, value: run.wallMs, unit: 'ms wall', note: `${(run.virtualMs / run.wallMs).toFixed(0)}x real time` });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}
