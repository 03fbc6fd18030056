/**
 * Every test keeps the promises processes make to the conductor: no simulated process broke a
 * quiet promise (Os.setTimer's quietUntil, Socket.quietReads), and no runner skipped a
 * macrotask turn while promise continuations of a process were pending (a handler that started
 * async work without Os.trackAsync; see turn-check.ts). Neither fails the scenario that hit it
 * (a broken quiet promise delivers late, like an input; a continuation runs after the
 * process's next event), so without these checks a wrong promise would only show as a timing
 * oddity.
 */
import { afterEach, expect } from 'vitest';
import { brokenQuiet } from '../../src/sim/kernel/kernel';
import { turnCheck } from '../../src/sim/runtime/runner';
import { enableTurnCheck } from './turn-check';

enableTurnCheck();
let seen = 0;
let seenTurns = 0;
afterEach(() => {
  const broken = brokenQuiet.count - seen;
  seen = brokenQuiet.count;
  const turns = turnCheck.violations - seenTurns;
  seenTurns = turnCheck.violations;
  expect(broken, `broken quiet promises, the last: ${brokenQuiet.last}`).toBe(0);
  expect(turns, `skipped turns with continuations pending, the last: ${turnCheck.last}`).toBe(0);
});
