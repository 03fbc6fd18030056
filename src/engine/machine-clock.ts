/**
 * The clock the engine's xstate actors run on: xstate schedules delayed transitions through an
 * object with its own two method names, and this one implements them with the process's Os
 * timers (virtual time in the simulation), never the host's. `wrap` lets a caller run each
 * firing inside its server event, so beforeSleep work follows it as after any other event.
 */
import type { Os, TimerId } from './os';

/** xstate's Clock shape (the `clock` option of createActor). */
export interface ActorClock {
  setTimeout(fire: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

export function osClock(os: Os, wrap: (fire: () => void) => void = (fire) => fire()): ActorClock {
  return {
    setTimeout: (fire, ms) => os.setTimer(ms, () => wrap(fire)),
    clearTimeout: (id) => os.clearTimer(id),
  };
}
