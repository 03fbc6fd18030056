/**
 * Live state machines the statecharts panel can draw: each entry is a machine definition and
 * its current state, kept up to date by whoever runs the machine. Today that is the UI's own
 * time-control machine; the engine's replication and sentinel machines join when they exist
 * (reported by their processes' inspectors).
 */
import type { AnyStateMachine } from 'xstate';

export interface LiveMachine {
  id: string;
  title: string;
  machine: AnyStateMachine;
  /** Current top-level state. */
  value: string;
  /** The state before the last transition (drawn as the transition just taken). */
  previous: string | null;
}

export const liveMachines = $state<{ list: LiveMachine[] }>({ list: [] });

export function publishMachine(id: string, title: string, machine: AnyStateMachine, value: string): void {
  const cur = liveMachines.list.find((m) => m.id === id);
  if (!cur) {
    liveMachines.list.push({ id, title, machine, value, previous: null });
    return;
  }
  if (cur.value !== value) {
    cur.previous = cur.value;
    cur.value = value;
  }
}

export function retractMachine(id: string): void {
  liveMachines.list = liveMachines.list.filter((m) => m.id !== id);
}
