/**
 * Proves the Web Worker runtime in a real browser: builds a page that runs the same small
 * world inline and with one Web Worker per process, opens it in headless Chromium, and compares
 * the trace hashes. `npm run check:sim-browser` (needs /usr/bin/chromium).
 */
import { build, preview } from 'vite';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), 'sim-browser-check');
const outDir = mkdtempSync(join(tmpdir(), 'sim-browser-'));
await build({ root, logLevel: 'warn', worker: { format: 'es' }, build: { target: 'es2022', outDir, emptyOutDir: true } });
const server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4173/';

const chromium = spawn(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--enable-logging=stderr', '--v=0', url]);
const result = await new Promise<string>((resolve) => {
  const timer = setTimeout(() => resolve('RESULT ERROR timeout'), 60_000);
  let buf = '';
  chromium.stderr.on('data', (d: Buffer) => {
    buf += d.toString();
    const m = /"(RESULT [^"\n]*(?:"[^\n]*)?)", source/.exec(buf);
    if (m) { clearTimeout(timer); resolve(m[1].replace(/\\"/g, '"')); }
  });
});
chromium.kill();
await server.close();
console.log(result);
process.exit(/"same":true/.test(result) ? 0 : 1);
