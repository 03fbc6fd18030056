/**
 * Turns on Runner's turnCheck (src/sim/runtime/runner.ts) for this Node process: the promise
 * jobs of process code are counted with async_hooks, so every pass after which a runner skipped
 * its macrotask turn is checked to have left no continuation behind. Process code's promises
 * are those made while a runner's pass runs, or while a job of such a promise runs (a
 * continuation awaiting again); the world's and the test's own promises are not counted.
 * Tests and lessons:check run with it.
 */
import { createHook } from 'node:async_hooks';
import { turnCheck } from '../../src/sim/runtime/runner';

export function enableTurnCheck(): void {
  if (turnCheck.enabled) return;
  const processCode = new Set<number>();
  let inJob = 0;
  createHook({
    init(id, type) { if (type === 'PROMISE' && (turnCheck.inPass || inJob > 0)) processCode.add(id); },
    before(id) { if (processCode.has(id)) { inJob++; turnCheck.jobs++; } },
    after(id) { if (processCode.delete(id)) inJob--; },
    destroy(id) { processCode.delete(id); },
  }).enable();
  turnCheck.enabled = true;
}
