import { simWorldFactory } from './src/lessons/sim-adapter';
import { parseLesson } from './src/lessons/parse-lesson';
import { readFileSync } from 'node:fs';
const file = process.argv[2];
const r = parseLesson(file, readFileSync(file, 'utf8'));
const lines = process.argv.slice(3);
const d = await simWorldFactory(r.lesson!.meta.world, Number(process.env.SEED ?? 1));
for (const l of lines) {
  if (l.startsWith('wait ')) { await d.act({ kind: 'wait', ms: Number(l.slice(5)) }); console.log(`--- t=${d.view.now()}`); continue; }
  const [h, cmd] = l.split('$ ');
  const out = await d.type(h, cmd, 60000);
  console.log(`${h}$ ${cmd}\n${out.output}`);
}
d.dispose();
