import { World, type WorldOptions } from '../../src/sim/world';
import type { HostSpec } from '../../src/sim/kernel/host';
import { programs } from './programs';

export const THREE_HOSTS: HostSpec[] = [
  { name: 'redis-1', ip: '10.0.0.11' },
  { name: 'redis-2', ip: '10.0.0.12' },
  { name: 'client', ip: '10.0.0.20' },
];

export function world(opts: Partial<WorldOptions> = {}): World {
  return new World({ seed: 42, hosts: THREE_HOSTS, programs, ...opts });
}

/** Type a line and advance; returns the new terminal output. */
export async function typeAndRun(w: World, term: number, line: string, ms = 500): Promise<string> {
  const before = w.terminal(term)!.text().length;
  w.type(term, line);
  await w.advance(ms);
  return w.terminal(term)!.text().slice(before);
}
