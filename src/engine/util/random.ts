/** Random identifiers drawn from the process's Os (seeded in the simulation). */
import type { Os } from '../os';

const HEX = '0123456789abcdef';

/** `n` lowercase hex characters (run IDs, replication IDs, node IDs). */
export function randomHex(os: Pick<Os, 'random'>, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[Math.floor(os.random() * 16)];
  return s;
}

/** An integer in [0, n). */
export function randomInt(os: Pick<Os, 'random'>, n: number): number {
  return Math.floor(os.random() * n);
}
