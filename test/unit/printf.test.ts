/** printf's %.Nf as glibc prints doubles (src/engine/util/printf.ts), checked against printf(1), which uses it. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bytesToHuman, cFixed } from '../../src/engine/util/printf';

describe('cFixed', () => {
  it('prints what glibc prints: ties to even, the sign of a negative zero, inf and nan', () => {
    const cases: [number, number][] = [[0.125, 2], [0.375, 2], [2.5, 0], [3.5, 0], [-0.125, 2], [1.005, 2], [-0, 6], [0, 6], [-1e-9, 6], [123.456, 1], [1e21, 2], [-2.5, 0]];
    for (const [d, digits] of cases) {
      const real = execFileSync('printf', [`%.${digits}f`, d === 0 && Object.is(d, -0) ? '-0' : String(d)], { encoding: 'utf8', env: { LC_ALL: 'C' } });
      expect(cFixed(d, digits), `${d} %.${digits}f`).toBe(real);
    }
    expect([cFixed(Infinity, 2), cFixed(-Infinity, 2), cFixed(NaN, 2)]).toEqual(['inf', '-inf', 'nan']);
  });

  it('makes Redis\'s human sizes', () => {
    expect([bytesToHuman(100), bytesToHuman(965734), bytesToHuman(12404654)]).toEqual(['100B', '943.10K', '11.83M']);
  });
});
