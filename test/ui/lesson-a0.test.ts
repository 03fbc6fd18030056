/**
 * The bundled lessons parse, and their solutions play on the real simulation through the
 * lesson panel's bridge (src/ui/lesson/sim-bridge.ts) with the project's autopilot: every
 * check false before its step and true after it, on three seeds.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parseLesson } from '../../src/lessons/parse-lesson';
import { formatDiagnostic } from '../../src/lessons/diagnostics';
import { runLesson } from '../../src/lessons/autopilot';
import type { WorldFactory } from '../../src/lessons/world-view';
import { World } from '../../src/sim/world';
import { SimBridge, worldOptionsFromSpec } from '../../src/ui/lesson/sim-bridge';

const factory: WorldFactory = async (spec, seed) => {
  const world = new World(worldOptionsFromSpec(spec, seed));
  return new SimBridge(world, { startT: world.now });
};

const files = readdirSync('lessons').filter((f) => f.endsWith('.md'));

describe('bundled lessons', () => {
  it('there is at least one', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const f of files) {
    it(`${f} parses and its solution plays on the simulation`, async () => {
      const parsed = parseLesson(`lessons/${f}`, readFileSync(`lessons/${f}`, 'utf8'));
      expect(parsed.diagnostics.map(formatDiagnostic)).toEqual([]);
      const run = await runLesson(parsed.lesson!, factory, { seedCount: 3 });
      expect(run.runs.map((r) => r.failure)).toEqual([null, null, null]);
      expect(run.ok).toBe(true);
    });
  }
});
