/**
 * The lesson panel's player over the lessons' own driver (src/lessons/sim-adapter.ts, the one
 * `npm run lessons:check` runs) on the real simulation, instant pacing: live checks advance the
 * steps as the learner types, predictions are answered by the world, autoplay plays every
 * solution to `complete`, and on worker threads (as in the page) `settle` gets the answers the
 * snapshot did not hold yet. Scheduled faults happen when the learner's clock passes them.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseLesson } from '../../src/lessons/parse-lesson';
import { World } from '../../src/sim/world';
import { NodeWorkerRuntime } from '../../src/sim/runtime/node-worker-runtime';
import type { Runtime } from '../../src/sim/runtime/runtime';
import { createSimLessonWorld, simWorldOptions } from '../../src/lessons/sim-adapter';
import type { Lesson } from '../../src/lessons/lesson';
import { LessonPlayer, type PacingOptions } from '../../src/ui/lesson/player.svelte';

const INSTANT: PacingOptions = { linePauseMs: 0, stepPauseMs: 0, waitSlices: 1, sliceMs: 0 };
const HOST = 'eshop-cache01';

function a0(): Lesson {
  return parseLesson('lessons/a0-first-steps.md', readFileSync('lessons/a0-first-steps.md', 'utf8')).lesson!;
}

async function setup(opts: { lesson?: Lesson; runtime?: Runtime } = {}) {
  const lesson = opts.lesson ?? a0();
  const world = new World({ ...simWorldOptions(lesson.meta.world, lesson.meta.seed), runtime: opts.runtime });
  // As in the page: the session owns the world.
  const driver = await createSimLessonWorld(world, lesson.meta.world, { ownsWorld: false });
  let paused = 0;
  const player = new LessonPlayer(lesson, driver, { pauseClock: () => { paused++; return () => undefined; }, sleep: async () => undefined }, INSTANT);
  return { lesson, world, driver, player, paused: () => paused };
}

describe('lesson player', () => {
  it('autoplays every step to complete and answers the prediction from the world', async () => {
    const { player, world, driver, paused } = await setup();
    expect(player.status).toBe('idle');
    await player.autoplay();
    expect(player.failure).toBeNull();
    expect(player.status).toBe('complete');
    expect(player.stepStates).toEqual(['done', 'done', 'done', 'done']);
    expect(paused()).toBe(1);
    // Started again after kill -9 with nothing saved: choice 0 ("none, it starts empty").
    expect(player.answers['2:0']).toBe(0);
    // The last step stopped it politely; the driver leaves the world to its owner.
    expect(world.processes(HOST).some((p) => p.argv[0] === 'redis-server')).toBe(false);
    driver.dispose();
    expect(world.host(HOST).up).toBe(true);
    world.dispose();
  });

  it.each([
    // A line that cuts its own machine's power: `...; echo o > /proc/sysrq-trigger`.
    ['a5-torn-aof', false],
    // The page's autoplay starts as soon as the world is built; with processes on the page the
    // clock may not have run at all, and B3's first `redis-cli -p 12345` met no server there:
    // autoplay waits for the boot lines' servers first.
    ['b3-master-down', true],
  ])('autoplays %s to the end', async (id, fromTimeZero) => {
    const file = `lessons/${id}.md`;
    const lesson = parseLesson(file, readFileSync(file, 'utf8')).lesson!;
    const { player, world, driver } = await setup({ lesson });
    if (fromTimeZero) expect(world.now - world.startTime).toBe(0);
    await player.autoplay();
    expect(player.failure).toBeNull();
    expect(player.status).toBe('complete');
    driver.dispose();
    world.dispose();
  }, 60_000);

  it('advances on live checks as the learner works, and not before', async () => {
    const { player, world, driver } = await setup();
    player.start();
    await world.advance(500);
    expect(await player.tick()).toBe(false);
    expect(player.checks.map((c) => c.passed)).toEqual([false, false, false, false, false]);

    await driver.type(HOST, 'cat /etc/redis/6379.conf', 5000);
    expect(await player.tick()).toBe(false);
    await driver.type(HOST, 'redis-server /etc/redis/6379.conf &', 5000);
    await world.advance(500);
    expect(await player.tick()).toBe(true);
    expect(player.current).toBe(1);

    // Typing something else does not complete the step.
    await driver.type(HOST, 'ls /var/run', 5000);
    expect(await player.tick()).toBe(false);
    await driver.type(HOST, 'kill -9 $(cat /var/run/redis_6379.pid)', 5000);
    await world.advance(100);
    expect(await player.tick()).toBe(true);

    player.predict(2, 0, 1); // the learner guesses "the same keys" before step 3
    await driver.type(HOST, 'redis-server /etc/redis/6379.conf &', 5000);
    await world.advance(500);
    expect(await player.tick()).toBe(true);
    expect(player.answers['2:0']).toBe(0);
    expect(player.predictions['2:0']).toBe(1);

    await driver.type(HOST, 'kill $(cat /var/run/redis_6379.pid)', 5000);
    await world.advance(500);
    expect(await player.tick()).toBe(true);
    expect(player.status).toBe('complete');
    expect(player.progress()).toEqual({ current: 3, done: [0, 1, 2, 3], status: 'complete' });
    world.dispose();
  });

  it('on worker threads, settle reads Redis state the snapshot did not hold yet', async () => {
    const runtime = new NodeWorkerRuntime(new URL('../sim/programs.ts', import.meta.url).href);
    const { world, driver } = await setup({ runtime });
    try {
      await driver.type(HOST, 'redis-server /etc/redis/6379.conf &', 5000);
      await world.advance(500);
      const view = driver.view;
      const read = () => {
        const s = view.redis(HOST, 6379);
        return s ? { role: s.role(), port: s.config('port'), tcpPort: s.info('server').tcp_port, dbsize: s.dbsize(0) } : null;
      };
      // Asked for the first time: the worker has not answered yet.
      await driver.refresh();
      expect(read()).toEqual({ role: 'master', port: null, tcpPort: undefined, dbsize: 0 });
      expect(await driver.settle(read)).toEqual({ role: 'master', port: '6379', tcpPort: '6379', dbsize: 0 });
      expect(view.redis(HOST, 6380)).toBeNull();
      expect(view.redisPorts(HOST)).toEqual([6379]);
    } finally {
      world.dispose();
      runtime.dispose();
    }
  }, 60_000);

  it("applies a scheduled fault at the first check after the learner's clock passed it", async () => {
    const lesson = a0();
    lesson.meta.world.faults.push({ atMs: 2000, action: { kind: 'poweroff', host: HOST } });
    const { player, world } = await setup({ lesson });
    player.start();
    await world.advance(1500);
    await player.tick();
    expect(world.host(HOST).up).toBe(true);
    await world.advance(1000);
    await player.tick();
    expect(world.host(HOST).up).toBe(false);
    world.dispose();
  });

  it('a rewind to before a step was done undoes that step and the ones after it', async () => {
    const { player, world, driver } = await setup();
    player.start();
    await driver.type(HOST, 'redis-server /etc/redis/6379.conf &', 5000);
    await world.advance(500);
    expect(await player.tick()).toBe(true);
    const step2Start = world.now;
    await world.advance(2000);
    await driver.type(HOST, 'kill -9 $(cat /var/run/redis_6379.pid)', 5000);
    await world.advance(100);
    expect(await player.tick()).toBe(true);
    expect(player.stepStates).toEqual(['done', 'done', 'active', 'pending']);

    // Back to 1 s after step 2 began, before the kill: the server runs again in the world.
    await world.rewind(step2Start + 1000);
    expect(await player.tick()).toBe(false);
    expect(player.stepStates).toEqual(['done', 'active', 'pending', 'pending']);
    expect(player.current).toBe(1);
    // The kill's check is false again, and the kill done again completes the step.
    expect(player.checks.some((c) => !c.passed)).toBe(true);
    await driver.type(HOST, 'kill -9 $(cat /var/run/redis_6379.pid)', 5000);
    await world.advance(100);
    expect(await player.tick()).toBe(true);
    expect(player.stepStates).toEqual(['done', 'done', 'active', 'pending']);

    // Back to before the first step began: everything is pending but the first step.
    await world.rewind(0);
    await player.tick();
    expect(player.stepStates).toEqual(['active', 'pending', 'pending', 'pending']);
    world.dispose();
  });

  it('a rewind during autoplay stops it without failing the lesson: the undone steps are undone, and autoplay can go on', async () => {
    const { lesson, world, driver } = await setup();
    const startedAt: number[] = [];
    let rewoundTo: number | null = null;
    const player: LessonPlayer = new LessonPlayer(lesson, driver, {
      pauseClock: () => () => undefined,
      // The learner rewinds as the third step begins: to 1 ms after the second began, before its kill.
      sleep: async () => {
        if (player.current !== 2 || rewoundTo !== null) return;
        rewoundTo = startedAt[1] - world.startTime + 1;
        await world.rewind(world.startTime + rewoundTo);
      },
      onStep: (i) => (startedAt[i] = world.now),
    }, INSTANT);
    await player.autoplay();
    expect(rewoundTo).not.toBeNull();
    // Before, the autoplay played the third step's lines into the rewound world and failed its check.
    expect(player.failure).toBeNull();
    expect(player.status).toBe('running');
    expect(player.autoplaying).toBe(false);
    expect(player.stepStates).toEqual(['done', 'active', 'pending', 'pending']);
    // Nothing ran the world on to where the autoplay was: the clock is where the learner put it.
    expect(world.now - world.startTime).toBe(rewoundTo);
    await player.autoplay();
    expect(player.failure).toBeNull();
    expect(player.status).toBe('complete');
    driver.dispose();
    world.dispose();
  });

  it('resumes saved progress (a restored workspace)', async () => {
    const { player, world } = await setup();
    player.start(2, [0, 1]);
    expect(player.status).toBe('running');
    expect(player.stepStates).toEqual(['done', 'done', 'active', 'pending']);
    expect(player.current).toBe(2);
    const done = await setup();
    done.player.start(4, [0, 1, 2, 3]);
    expect(done.player.status).toBe('complete');
    world.dispose();
    done.world.dispose();
  });
});
