/**
 * Runners skip the macrotask turn between passes when no promise continuation can be pending
 * (runner.ts, settle()). A handler that starts async work without Os.trackAsync breaks that:
 * its continuation would run after the process's next event. The test setup checks every
 * skipped turn (turnCheck) and counts such a continuation.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import { turnCheck } from '../../src/sim/runtime/runner';
import { brokenQuiet } from '../../src/sim/kernel/kernel';
import { programs } from './programs';

describe('skipped macrotask turns', () => {
  it('async work a handler starts untracked is counted; tracked, it finishes before the next event', async () => {
    const w = new World({ seed: 1, hosts: [{ name: 'a', ip: '10.0.0.1' }], programs });
    const before = turnCheck.violations;
    // Checked (as in every test): the check's own turn keeps the order, and the skip is counted.
    expect((await w.exec('a', 'turn-liar')).output).toBe('continued\nnext event\n');
    expect(turnCheck.violations - before).toBe(1);
    expect(turnCheck.last).toMatch(/after a pass of turn-liar/);
    turnCheck.violations = before;

    // Unchecked, as outside tests: the continuation runs after the next event (here at the exit,
    // whose turn lets it run: its output then lands in time the kernel had already passed, which
    // the quiet-promise count notices too).
    const brokenBefore = brokenQuiet.count;
    turnCheck.enabled = false;
    try {
      expect((await w.exec('a', 'turn-liar')).output).toBe('next event\ncontinued\n');
    } finally {
      turnCheck.enabled = true;
      brokenQuiet.count = brokenBefore;
    }

    // Tracked (Os.trackAsync): a turn is taken, in order, and nothing is counted.
    expect((await w.exec('a', 'turn-liar tracked')).output).toBe('continued\nnext event\n');
    turnCheck.enabled = false;
    try {
      expect((await w.exec('a', 'turn-liar tracked')).output).toBe('continued\nnext event\n');
    } finally {
      turnCheck.enabled = true;
    }
    expect(turnCheck.violations).toBe(before);
    w.dispose();
  });
});
