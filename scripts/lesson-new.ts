/**
 * npm run lesson:new -- <id> [--lab C2] [--source 001_e35f14b7ee375ca6.txt] [--dir lessons]
 *
 * Writes lessons/<id>.md with the full structure of a lesson (see src/lessons/scaffold.ts),
 * refusing to overwrite an existing file, and validates it.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_IDS, SOURCE_DOCUMENTS } from '../src/lessons/catalog';
import { formatDiagnostic } from '../src/lessons/diagnostics';
import { parseLesson } from '../src/lessons/parse-lesson';
import { scaffoldLesson } from '../src/lessons/scaffold';

function fail(message: string): never {
  console.error(`lesson:new: ${message}`);
  process.exit(1);
}

const argv = process.argv.slice(2);
let id: string | null = null;
let lab: string | undefined;
let source: string | undefined;
let dir = 'lessons';
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--lab') lab = argv[++i];
  else if (a === '--source') source = argv[++i];
  else if (a === '--dir') dir = argv[++i];
  else if (a.startsWith('-')) fail(`unknown option ${a}`);
  else if (id === null) id = a;
  else fail(`unexpected argument ${a}`);
}
if (!id) fail('usage: npm run lesson:new -- <id> [--lab C2] [--source <seed file>] [--dir lessons]');
if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) fail(`"${id}" is not a lesson id: lower-case letters, digits and single dashes`);
if (lab !== undefined && !LAB_IDS.includes(lab)) fail(`unknown lab "${lab}" (A1-A9, B1-B8, C1-C10, D1-D4)`);
if (source !== undefined && !SOURCE_DOCUMENTS.includes(source)) fail(`unknown source "${source}"; sources are ${SOURCE_DOCUMENTS.join(', ')}`);

const file = join(dir, `${id}.md`);
if (existsSync(file)) fail(`${file} already exists`);
const text = scaffoldLesson({ id, lab, source });
const check = parseLesson(file, text);
if (check.diagnostics.length) fail(`the scaffold does not validate:\n${check.diagnostics.map(formatDiagnostic).join('\n')}`);
mkdirSync(dir, { recursive: true });
writeFileSync(file, text);
console.log(`wrote ${file}`);
