import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { machineGraph, layoutChart } from '../../src/ui/statecharts/graph';
import { createTimeMachine } from '../../src/ui/time/machine';

describe('statechart drawing', () => {
  it('reads states and labelled transitions from an xstate definition', () => {
    const m = setup({}).createMachine({
      id: 'link',
      initial: 'connecting',
      states: {
        connecting: { on: { CONNECTED: 'handshake', FAIL: 'connecting' } },
        handshake: { on: { PONG: 'sync', FAIL: 'connecting' }, initial: 'ping', states: { ping: { on: { AUTH: 'auth' } }, auth: {} } },
        sync: { on: { DONE: 'connected', FAIL: 'connecting' } },
        connected: { on: { TIMEOUT: 'connecting' } },
      },
    });
    const g = machineGraph(m);
    expect(g.states).toEqual([
      { id: 'connecting', initial: true }, { id: 'handshake', initial: false }, { id: 'sync', initial: false }, { id: 'connected', initial: false },
    ]);
    expect(g.edges).toContainEqual({ from: 'connecting', to: 'connecting', label: 'FAIL' });
    expect(g.edges).toContainEqual({ from: 'handshake', to: 'sync', label: 'PONG' });
    // A transition between nested states is drawn on their top-level parent.
    expect(g.edges).toContainEqual({ from: 'handshake', to: 'handshake', label: 'AUTH' });
    const l = layoutChart(g);
    const x = (id: string) => l.states.find((s) => s.id === id)!.x;
    expect(x('connecting')).toBeLessThan(x('handshake'));
    expect(x('handshake')).toBeLessThan(x('sync'));
    expect(x('sync')).toBeLessThan(x('connected'));
    expect(l.edges.every((e) => e.d.startsWith('M'))).toBe(true);
  });

  it('draws the time-control machine with its invoked task as done/error', () => {
    const clock = { play() {}, pause() {}, setSpeed() {}, isPlaying: () => false, step: async () => {}, forward: async () => {}, forwardUntil: async () => {}, rewind: async () => {}, stopUntil() {} };
    const g = machineGraph(createTimeMachine(clock));
    expect(g.states.map((s) => s.id)).toEqual(['paused', 'playing', 'busy']);
    expect(g.edges).toContainEqual({ from: 'paused', to: 'playing', label: 'PLAY / TOGGLE' });
    expect(g.edges).toContainEqual({ from: 'busy', to: 'playing', label: 'done / error' });
  });
});
