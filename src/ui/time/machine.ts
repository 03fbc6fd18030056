/**
 * The time controls' state, as an xstate machine: the clock is paused, playing, or busy with a
 * long operation (a step, a fast-forward, a rewind) during which other commands are ignored
 * rather than queued behind it. After a busy operation the clock goes back to what it was.
 *
 *   paused  --PLAY/TOGGLE-->  playing  --PAUSE/TOGGLE-->  paused
 *   paused|playing  --STEP/FORWARD/UNTIL/REWIND-->  busy  --done-->  playing|paused
 *   SPEED changes the speed in every state (and applies it at once while playing).
 *   PAUSE/TOGGLE while busy with UNTIL stops it (it may wait minutes for what never comes);
 *   the clock is then paused.
 */
import { assign, fromPromise, setup } from 'xstate';

export interface Clock {
  play(speed: number): void;
  pause(): void;
  setSpeed(speed: number): void;
  isPlaying(): boolean;
  step(): Promise<unknown>;
  forward(ms: number): Promise<unknown>;
  forwardUntil(kind: string, timeoutMs: number): Promise<unknown>;
  rewind(toMs: number): Promise<unknown>;
  /** End a running forwardUntil at once, the clock left paused. */
  stopUntil(): void;
  /** The clock's speed when the machine is made (else `initialSpeed`). */
  speed?(): number;
}

export type TimeEvent =
  | { type: 'PLAY' }
  | { type: 'PAUSE' }
  | { type: 'TOGGLE' }
  | { type: 'STEP' }
  | { type: 'FORWARD'; ms: number }
  | { type: 'UNTIL'; kind: string; timeoutMs: number }
  | { type: 'REWIND'; toMs: number }
  | { type: 'SPEED'; speed: number };

type Task = Extract<TimeEvent, { type: 'STEP' | 'FORWARD' | 'UNTIL' | 'REWIND' }>;

export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100] as const;

export function clampSpeed(speed: number): number {
  return Math.min(100, Math.max(0.1, speed));
}

/** The next speed up or down the ladder of SPEEDS. */
export function nextSpeed(speed: number, dir: 1 | -1): number {
  if (dir > 0) return SPEEDS.find((s) => s > speed + 1e-9) ?? 100;
  return [...SPEEDS].reverse().find((s) => s < speed - 1e-9) ?? 0.1;
}

export function createTimeMachine(clock: Clock, initialSpeed = 1) {
  return setup({
    types: {
      context: {} as { speed: number; task: string | null },
      events: {} as TimeEvent,
    },
    actors: {
      task: fromPromise(async ({ input }: { input: Task }) => {
        switch (input.type) {
          case 'STEP': return clock.step();
          case 'FORWARD': return clock.forward(input.ms);
          case 'UNTIL': return clock.forwardUntil(input.kind, input.timeoutMs);
          case 'REWIND': return clock.rewind(input.toMs);
        }
      }),
    },
    guards: {
      playingNow: () => clock.isPlaying(),
    },
    actions: {
      setSpeed: assign({
        speed: ({ event }) => (event.type === 'SPEED' ? clampSpeed(event.speed) : 1),
      }),
      applySpeed: ({ context }) => clock.setSpeed(context.speed),
    },
  }).createMachine({
    id: 'time',
    context: { speed: clampSpeed(clock.speed?.() ?? initialSpeed), task: null },
    // Start in the state the clock is in (the world may already be running).
    initial: clock.isPlaying() ? 'playing' : 'paused',
    on: {
      SPEED: { actions: ['setSpeed', 'applySpeed'] },
    },
    states: {
      paused: {
        entry: () => { if (clock.isPlaying()) clock.pause(); },
        on: {
          PLAY: 'playing',
          TOGGLE: 'playing',
          STEP: 'busy',
          FORWARD: 'busy',
          UNTIL: 'busy',
          REWIND: 'busy',
        },
      },
      playing: {
        entry: ({ context }) => { if (!clock.isPlaying()) clock.play(context.speed); },
        on: {
          PAUSE: 'paused',
          TOGGLE: 'paused',
          STEP: 'busy',
          FORWARD: 'busy',
          UNTIL: 'busy',
          REWIND: 'busy',
        },
      },
      busy: {
        entry: assign({ task: ({ event }) => event.type }),
        exit: assign({ task: null }),
        on: {
          PAUSE: { guard: ({ context }) => context.task === 'UNTIL', actions: () => clock.stopUntil() },
          TOGGLE: { guard: ({ context }) => context.task === 'UNTIL', actions: () => clock.stopUntil() },
        },
        invoke: {
          src: 'task',
          input: ({ event }) => event as Task,
          onDone: [{ guard: 'playingNow', target: 'playing' }, { target: 'paused' }],
          onError: [{ guard: 'playingNow', target: 'playing' }, { target: 'paused' }],
        },
      },
    },
  });
}
