/**
 * The sentinel's statechart definitions are importable on their own (the page draws them): the
 * module and what it imports reach no engine code, only xstate; and the definitions have
 * Redis's states.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { failoverMachine, FAILOVER_STATES, instanceViewMachine, INSTANCE_VIEW_STATES } from '../../src/engine/sentinel/machines';

/** Every module `file` reaches through its imports (type-only imports included: they must be light too). */
function reach(file: string, seen = new Set<string>(), bare = new Set<string>()): { files: Set<string>; bare: Set<string> } {
  if (seen.has(file)) return { files: seen, bare };
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms)) {
    const spec = m[1];
    if (spec.startsWith('.')) reach(resolve(dirname(file), `${spec}.ts`), seen, bare);
    else bare.add(spec);
  }
  return { files: seen, bare };
}

describe('sentinel machine definitions', () => {
  it('src/engine/sentinel/machines.ts pulls in nothing but the two definitions and xstate', () => {
    const root = resolve(__dirname, '../../src/engine/sentinel');
    const { files, bare } = reach(resolve(root, 'machines.ts'));
    expect([...files].map((f) => f.slice(root.length + 1)).sort()).toEqual(['failover-machine.ts', 'instance-machine.ts', 'machines.ts']);
    expect([...bare]).toEqual(['xstate']);
  });

  it('the failover machine has Redis\'s failover states; the view machine up/sdown/odown', () => {
    expect(failoverMachine.id).toBe('sentinel-failover');
    expect(Object.keys(failoverMachine.states).sort()).toEqual([...FAILOVER_STATES].sort());
    expect(FAILOVER_STATES[0]).toBe('none');
    expect(instanceViewMachine.id).toBe('sentinel-instance');
    expect(Object.keys(instanceViewMachine.states).sort()).toEqual([...INSTANCE_VIEW_STATES].sort());
  });
});
