/**
 * Every test: no simulated process broke a quiet promise (Os.setTimer's quietUntil). A broken
 * one does not fail the scenario that hit it (the kernel delivers what was sent late, like an
 * input), so without this check a wrong quietUntil would only show as a timing oddity.
 */
import { afterEach, expect } from 'vitest';
import { brokenQuiet } from '../../src/sim/kernel/kernel';

let seen = 0;
afterEach(() => {
  const broken = brokenQuiet.count - seen;
  seen = brokenQuiet.count;
  expect(broken, `broken quiet promises, the last: ${brokenQuiet.last}`).toBe(0);
});
