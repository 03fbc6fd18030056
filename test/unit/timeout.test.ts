import { describe, it, expect } from 'vitest';
import { secondsToMillisCeil } from '../../src/engine/util/numbers';

// Expected values come from the C expression Redis uses, compiled with gcc on x86-64:
// (long long)ceill(strtold(s, NULL) * 1000.0).
describe('secondsToMillisCeil (BLPOP timeouts in long double)', () => {
  const cases: [string, bigint | 'overflow' | null][] = [
    ['-1e-3', 0n], // rounds to just above -1 in long double: blocks forever in Redis
    ['0.001', 1n], ['0.1', 100n], ['1.1', 1100n], ['-0.0011', -1n], ['2.0005', 2001n],
    ['0.0000001', 1n], ['-0.0000001', 0n], ['123.4567', 123457n], ['-0.1', -100n], ['0.3', 300n],
    ['9223372036854775.807', 9223372036854775807n], ['9223372036854775.808', 'overflow'],
    ['1e15', 1000000000000000000n], ['1e-400', 1n], ['0x1p-20', 1n], ['0', 0n], ['-0', 0n],
    ['inf', 'overflow'], ['-inf', 'overflow'], ['1e400', 'overflow'],
    ['nan', null], ['', null], [' 1', null], ['1x', null], ['1e-9999', null],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => expect(secondsToMillisCeil(input)).toBe(expected));
  }
});
