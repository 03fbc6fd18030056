/**
 * The playground UI in headless Chromium (Debian's, via playwright-core):
 *
 * - the gzipped size of the production build (what a first visit downloads);
 * - the first load on localhost: navigation to a ready world, median of 3 fresh profiles;
 * - frame times of the real UI with 15 simulated processes (5 hosts × 2 redis-servers + a
 *   write-load client), one Web Worker each and then all on the page, playing at 10x,
 *   messages animated: p50/p95/max of requestAnimationFrame intervals over 10 s, after a 3 s
 *   warm-up, the frames that came a vsync late, and the virtual time and messages the world got
 *   through meanwhile.
 *
 * `npm run bench -- ui`. Needs /usr/bin/chromium (or CHROMIUM=...).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Measurement } from './run';
import { buildProduction, CHROMIUM, launch, servePreview } from '../test/e2e/browser';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)).map((x) => join(f, x)) : [f]));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export default async function run(): Promise<Measurement[]> {
  const out: Measurement[] = [];
  if (!CHROMIUM) {
    console.log('chromium not found: skipping the UI benchmark');
    return out;
  }

  // ---- bundle size ----------------------------------------------------------------------
  const appDir = await buildProduction({}, 'halab-bench-');
  let total = 0;
  for (const f of files(appDir)) {
    if (f.endsWith('.map')) continue;
    const gz = gzipSync(readFileSync(join(appDir, f)), { level: 9 }).length;
    total += gz;
    if (gz > 5000) out.push({ name: `gzipped ${f.replace(/-[A-Za-z0-9_-]{8}\./, '.')}`, value: gz / 1024, unit: 'KiB' });
  }
  out.push({ name: 'gzipped build, total', value: total / 1024, unit: 'KiB' });

  const browser = await launch();
  try {
    // ---- first load -----------------------------------------------------------------------
    const app = await servePreview(appDir);
    const url = app.url;
    const loads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await ctx.newPage();
      await page.goto(url);
      await page.waitForSelector('.proc[data-port="7002"]');
      loads.push(await page.evaluate(() => performance.now()));
      await ctx.close();
    }
    await app.close();
    loads.sort((a, b) => a - b);
    out.push({ name: 'first load to a running world (median of 3)', value: loads[1], unit: 'ms', target: 1000 });

    // ---- frame times: 15 processes at 10x ------------------------------------------------
    const root = join(process.cwd(), 'bench/ui-page');
    const benchDir = await buildProduction({ root, configFile: false, base: './', plugins: [svelte()], worker: { format: 'es' } }, 'halab-bench-');
    const bench = await servePreview(benchDir, { root, configFile: false });
    for (const placement of ['workers', 'page'] as const) {
      const label = placement === 'workers' ? 'UI, 15 processes at 10x (one Web Worker each)' : 'UI, 15 processes at 10x (on the page)';
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await ctx.newPage();
      await page.goto(`${bench.url}?processes=${placement}`);
      await page.waitForSelector('.app[data-ready="true"]');
      await page.waitForFunction(`window.halab.session.world.processes().filter((p) => p.kind === 'program').length === 15`, undefined, { timeout: 30_000 });
      await page.selectOption('[data-control="speed"]', '10');
      await page.waitForTimeout(3000);
      // A script string, not a closure: the TS loader would add helpers the page does not have.
      const r = (await page.evaluate(`(async () => {
        const s = window.halab.session;
        const t0 = s.world.now;
        const m0 = s.pulses.total;
        const deltas = [];
        let long = 0;
        const obs = new PerformanceObserver((list) => { long += list.getEntries().length; });
        try { obs.observe({ entryTypes: ['longtask'] }); } catch (e) { /* not supported */ }
        await new Promise((resolve) => {
          const start = performance.now();
          let last = start;
          const frame = (now) => {
            deltas.push(now - last);
            last = now;
            if (now - start < 10000) requestAnimationFrame(frame); else resolve();
          };
          requestAnimationFrame(frame);
        });
        obs.disconnect();
        return { deltas, virtualMs: s.world.now - t0, messages: s.pulses.total - m0, long };
      })()`)) as { deltas: number[]; virtualMs: number; messages: number; long: number };
      const workers = page.workers().length;
      await ctx.close();
      const d = r.deltas.slice(1).sort((a, b) => a - b);
      out.push({ name: `${label}: Web Workers`, value: workers, unit: '' });
      out.push({ name: `${label}: frames in 10 s`, value: d.length, unit: 'frames' });
      out.push({ name: `${label}: frame time p50`, value: percentile(d, 50), unit: 'ms' });
      out.push({ name: `${label}: frame time p95`, value: percentile(d, 95), unit: 'ms', target: 16.7, note: 'one 60 Hz frame; frame times are rounded to 0.1 ms' });
      out.push({ name: `${label}: frames that missed a vsync (>25 ms)`, value: d.filter((x) => x > 25).length, unit: 'frames' });
      out.push({ name: `${label}: frame time max`, value: d[d.length - 1], unit: 'ms' });
      out.push({ name: `${label}: long tasks (>50 ms)`, value: r.long, unit: '' });
      out.push({ name: `${label}: virtual time covered in 10 s`, value: r.virtualMs / 1000, unit: 's', target: 100, note: '10x would be 100 s' });
      out.push({ name: `${label}: messages on the wire`, value: r.messages, unit: '' });
    }
    await bench.close();
  } finally {
    await browser.close();
  }
  return out;
}
