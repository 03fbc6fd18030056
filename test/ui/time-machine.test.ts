import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { createTimeMachine, nextSpeed, type Clock } from '../../src/ui/time/machine';

function fakeClock() {
  const log: string[] = [];
  let playing = false;
  let release: (() => void) | null = null;
  const clock: Clock = {
    play: (s) => { playing = true; log.push(`play ${s}`); },
    pause: () => { playing = false; log.push('pause'); },
    setSpeed: (s) => log.push(`speed ${s}`),
    isPlaying: () => playing,
    step: async () => { log.push('step'); },
    forward: (ms) => new Promise<void>((r) => { log.push(`forward ${ms}`); release = r; }),
    forwardUntil: async (k, ms) => { log.push(`until ${k} ${ms}`); },
    rewind: async (ms) => { log.push(`rewind ${ms}`); },
    stopUntil: () => { log.push('stop until'); },
  };
  return { clock, log, release: () => release?.(), setPlaying: (p: boolean) => { playing = p; } };
}

describe('time controls machine', () => {
  it('starts at the clock\'s speed when the clock tells it, else at initialSpeed', () => {
    const f = fakeClock();
    expect(createActor(createTimeMachine(f.clock, 2)).start().getSnapshot().context.speed).toBe(2);
    expect(createActor(createTimeMachine({ ...f.clock, speed: () => 25 }, 2)).start().getSnapshot().context.speed).toBe(25);
    expect(createActor(createTimeMachine({ ...f.clock, speed: () => 500 })).start().getSnapshot().context.speed).toBe(100);
  });

  it('plays, pauses, and ignores commands while busy', async () => {
    const f = fakeClock();
    const actor = createActor(createTimeMachine(f.clock, 2)).start();
    expect(actor.getSnapshot().value).toBe('paused');
    actor.send({ type: 'TOGGLE' });
    expect(actor.getSnapshot().value).toBe('playing');
    actor.send({ type: 'FORWARD', ms: 5000 });
    expect(actor.getSnapshot().value).toBe('busy');
    expect(actor.getSnapshot().context.task).toBe('FORWARD');
    actor.send({ type: 'STEP' }); // ignored while busy
    actor.send({ type: 'SPEED', speed: 500 }); // clamped to 100, applied in any state
    f.release();
    await waitFor(actor, (s) => s.value !== 'busy');
    // The clock kept playing (the session resumes it), so the machine goes back to playing.
    expect(actor.getSnapshot().value).toBe('playing');
    expect(actor.getSnapshot().context.speed).toBe(100);
    actor.send({ type: 'PAUSE' });
    expect(actor.getSnapshot().value).toBe('paused');
    expect(f.log).toEqual(['play 2', 'forward 5000', 'speed 100', 'pause']);
  });

  it('Pause or Space while busy stops a fast-forward until an event, and nothing else', async () => {
    const f = fakeClock();
    let finish: (() => void) | null = null;
    f.clock.forwardUntil = (k, ms) => new Promise<void>((r) => { f.log.push(`until ${k} ${ms}`); finish = r; });
    f.clock.stopUntil = () => { f.log.push('stop until'); finish?.(); };
    const actor = createActor(createTimeMachine(f.clock)).start();
    actor.send({ type: 'FORWARD', ms: 1000 });
    actor.send({ type: 'PAUSE' });
    actor.send({ type: 'TOGGLE' });
    f.release();
    await waitFor(actor, (s) => s.value !== 'busy');
    actor.send({ type: 'UNTIL', kind: 'exit', timeoutMs: 600_000 });
    actor.send({ type: 'TOGGLE' });
    await waitFor(actor, (s) => s.value !== 'busy');
    expect(actor.getSnapshot().value).toBe('paused');
    expect(f.log).toEqual(['forward 1000', 'until exit 600000', 'stop until']);
  });

  it('starts in the state the clock is in', () => {
    const f = fakeClock();
    f.setPlaying(true);
    const actor = createActor(createTimeMachine(f.clock)).start();
    expect(actor.getSnapshot().value).toBe('playing');
    expect(f.log).toEqual([]);
  });

  it('steps the speed ladder between 0.1x and 100x', () => {
    expect(nextSpeed(1, 1)).toBe(2);
    expect(nextSpeed(1, -1)).toBe(0.5);
    expect(nextSpeed(100, 1)).toBe(100);
    expect(nextSpeed(0.1, -1)).toBe(0.1);
    expect(nextSpeed(3, 1)).toBe(5);
  });
});
