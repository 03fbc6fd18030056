/**
 * `npm run bench`: run every bench/*.ts module's `run()` and print what it reports. Numbers,
 * not pass/fail.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

for (const f of fs.readdirSync(dir).sort()) {
  if (!f.endsWith('.ts') || f === 'run.ts') continue;
  if (only.length && !only.some((o) => f.includes(o))) continue;
  const mod = await import(pathToFileURL(path.join(dir, f)).href);
  if (typeof mod.run !== 'function') continue;
  console.log(`# ${f}`);
  await mod.run();
}
