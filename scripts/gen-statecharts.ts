/**
 * Computes the statecharts' layouts from the machines' definitions at build time
 * (`src/ui/statecharts/definitions.ts` → `src/ui/statecharts/layouts.generated.ts`), so the
 * page draws them without running the layout or bundling the engine's machines.
 *
 *   tsx scripts/gen-statecharts.ts           write the generated module
 *   tsx scripts/gen-statecharts.ts --check   exit 1 if it is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generatedModule } from '../src/ui/statecharts/generate';

const target = fileURLToPath(new URL('../src/ui/statecharts/layouts.generated.ts', import.meta.url));
const text = generatedModule();
let current = '';
try { current = readFileSync(target, 'utf8'); } catch { /* first run */ }
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('src/ui/statecharts/layouts.generated.ts is out of date: run npm run statecharts');
    process.exit(1);
  }
} else if (current !== text) {
  writeFileSync(target, text);
  console.log('wrote src/ui/statecharts/layouts.generated.ts');
}
