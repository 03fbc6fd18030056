/**
 * The lesson panel's player over the real simulation (inline runtime, instant pacing): live
 * checks advance the steps as the learner types, predictions are answered by the world, and
 * autoplay plays every solution to `complete`.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseLesson } from '../../src/lessons/parse-lesson';
import { World } from '../../src/sim/world';
import { SimBridge, worldOptionsFromSpec } from '../../src/ui/lesson/sim-bridge';
import { LessonPlayer, type PacingOptions } from '../../src/ui/lesson/player.svelte';

const INSTANT: PacingOptions = { linePauseMs: 0, stepPauseMs: 0, waitSlices: 1, sliceMs: 0 };

function setup() {
  const lesson = parseLesson('lessons/a0-first-steps.md', readFileSync('lessons/a0-first-steps.md', 'utf8')).lesson!;
  const world = new World(worldOptionsFromSpec(lesson.meta.world, lesson.meta.seed));
  const bridge = new SimBridge(world, { startT: world.now });
  let paused = 0;
  const player = new LessonPlayer(lesson, bridge, { pauseClock: () => { paused++; return () => undefined; }, sleep: async () => undefined }, INSTANT);
  return { lesson, world, bridge, player, paused: () => paused };
}

describe('lesson player', () => {
  it('autoplays every step to complete and answers the prediction from the world', async () => {
    const { player, world, paused } = setup();
    expect(player.status).toBe('idle');
    await player.autoplay();
    expect(player.failure).toBeNull();
    expect(player.status).toBe('complete');
    expect(player.stepStates).toEqual(['done', 'done', 'done']);
    expect(paused()).toBe(1);
    // kill -9 leaves the pid file: choice 0 ("still there") is the world's answer.
    expect(player.answers['1:0']).toBe(0);
    expect(world.processes('redis-1').some((p) => p.argv[0] === 'redis-server')).toBe(true);
    world.dispose();
  });

  it('advances on live checks as the learner works, and not before', async () => {
    const { player, world, bridge } = setup();
    player.start();
    await world.advance(500);
    expect(await player.tick()).toBe(false);
    expect(player.checks.map((c) => c.passed)).toEqual([false, false, true]);

    player.predict(1, 0, 1); // the learner guesses "gone" before step 2 (index 1)
    await bridge.type('redis-1', 'cat /etc/redis/7000.conf', 5000);
    await bridge.type('redis-1', 'ps aux', 5000);
    expect(await player.tick()).toBe(true);
    expect(player.current).toBe(1);

    // Typing something else does not complete the step.
    await bridge.type('redis-1', 'ls /var/run', 5000);
    expect(await player.tick()).toBe(false);
    await bridge.type('redis-1', 'kill -9 $(cat /var/run/redis_7000.pid)', 5000);
    await world.advance(100);
    expect(await player.tick()).toBe(true);
    expect(player.answers['1:0']).toBe(0);
    expect(player.predictions['1:0']).toBe(1);

    await bridge.type('redis-1', 'redis-server /etc/redis/7000.conf &', 5000);
    await world.advance(500);
    expect(await player.tick()).toBe(true);
    expect(player.status).toBe('complete');
    expect(player.progress()).toEqual({ current: 2, done: [0, 1, 2], status: 'complete' });
    world.dispose();
  });

  it('reads Redis state through settle (the server answers asynchronously)', async () => {
    const { world, bridge } = setup();
    await world.advance(500);
    const view = bridge.view;
    const r = await bridge.settle(() => {
      const s = view.redis('redis-1', 7000);
      return s ? { role: s.role(), port: s.config('port'), up: s.info('server').tcp_port, dbsize: s.dbsize(0) } : null;
    });
    expect(r).toEqual({ role: 'master', port: '7000', up: '7000', dbsize: 0 });
    expect(view.redis('redis-1', 7001)).toBeNull();
    expect(view.redisPorts('redis-1')).toEqual([7000]);
    world.dispose();
  });

  it('resumes saved progress (a restored workspace)', async () => {
    const { player, world } = setup();
    player.start(2, [0, 1]);
    expect(player.status).toBe('running');
    expect(player.stepStates).toEqual(['done', 'done', 'active']);
    expect(player.current).toBe(2);
    const done = setup();
    done.player.start(3, [0, 1, 2]);
    expect(done.player.status).toBe('complete');
    world.dispose();
    done.world.dispose();
  });
});
