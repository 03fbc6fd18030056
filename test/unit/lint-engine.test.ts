/** The sans-IO rule is what keeps the simulation deterministic: prove it fires. */
import { describe, it, expect } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function lint(code: string, file = 'src/engine/probe.ts') {
  const [r] = await eslint.lintText(code, { filePath: file });
  return r.messages.map((m) => m.message);
}

describe('src/engine sans-IO lint rule', () => {
  it('rejects clocks, timers, randomness and Node/DOM access in the engine', async () => {
    const msgs = await lint([
      'export const a = Date.now();',
      'setTimeout(() => 1, 5);',
      'export const r = Math.random();',
      'export const p = performance.now();',
      'export const d = document.title;',
      "export const m = import('./other');",
    ].join('\n'));
    expect(msgs.filter((m) => m.includes('sans-IO')).length).toBe(6);
  });

  it('rejects Node modules and imports from sim/native/ui', async () => {
    const msgs = await lint([
      "import * as fs from 'node:fs';",
      "import * as net from 'net';",
      "import { x } from '../sim/world';",
      "import { y } from '../../native/os';",
      'export const z = [fs, net, x, y];',
    ].join('\n'), 'src/engine/server/probe.ts');
    expect(msgs.filter((m) => m.includes('sans-IO') || m.includes('must not import')).length).toBe(4);
  });

  it('allows the same code outside the engine', async () => {
    const msgs = await lint('export const a = Date.now() + Math.random();', 'src/native/probe.ts');
    expect(msgs).toEqual([]);
  });
});
