/**
 * The autopilot over the fake world: the format examples pass on several seeds; a check that is
 * already true before its step fails the run; a solution that does not reach its checks fails
 * the run; and the other ways a run can fail point at the right line.
 */
import { describe, expect, it } from 'vitest';
import { runLesson, runSeed } from '../../src/lessons/autopilot';
import type { TypedResult, WorldFactory } from '../../src/lessons/world-view';
import { FakeWorld, fakeWorldFactory } from './fake-world';
import { FRONT, at, fixture, lessonText, parseOk } from './helpers';

/** A one-step lesson (on the helpers' two-host topology) with the given blocks. */
function oneStep(checks: string, solution: string, extra = ''): string {
  return lessonText({
    steps: `## step: s\n\n### en: S\n\nText.\n\n### zh: S\n\n文字。\n\n\`\`\`check\n${checks}\n\`\`\`\n\n\`\`\`solution\n${solution}\n\`\`\`\n${extra}`,
  });
}

async function failureOf(text: string, factory: WorldFactory = fakeWorldFactory): Promise<string | null> {
  const run = await runSeed(parseOk(text), factory, 1);
  return run.failure;
}

describe('autopilot', () => {
  it('plays the format examples on several seeds', async () => {
    for (const name of ['format-example-persistence.md', 'format-example-failover.md']) {
      const { file, text } = fixture(name);
      const lesson = parseOk(text, file);
      const run = await runLesson(lesson, fakeWorldFactory, { seedCount: 4 });
      expect(run.runs.map((r) => r.failure)).toEqual([null, null, null, null]);
      expect(run.ok).toBe(true);
      expect(run.runs.map((r) => r.seed)).toEqual([0, 1, 2, 3].map((i) => lesson.meta.seed + i));
      for (const r of run.runs) {
        expect(r.steps.map((s) => s.step)).toEqual(lesson.steps.map((s) => s.id));
        expect(r.steps.every((s) => s.ok && s.virtualMs > 0)).toBe(true);
      }
    }
  });

  it('is deterministic for a seed, and the world decides the predicted answer', async () => {
    const { file, text } = fixture('format-example-failover.md');
    const lesson = parseOk(text, file);
    const promoted = new Map<number, string>();
    for (const seed of [40, 41, 42, 43, 44, 45, 46, 47, 40]) {
      let world: FakeWorld | null = null;
      const run = await runSeed(lesson, async (spec, s) => (world = new FakeWorld(spec, s)), seed);
      expect(run.ok).toBe(true);
      const switched = world!.trace().find((e) => e.kind === '+switch-master')!.text;
      if (promoted.has(seed)) expect(switched).toBe(promoted.get(seed));
      promoted.set(seed, switched);
    }
    // Different seeds promote different replicas, so the prediction cannot be hard-coded.
    expect(new Set(promoted.values()).size).toBe(2);
  });

  it('fails a check that is already true before its step', async () => {
    const text = oneStep('up("cache01:6379")', 'cache01$ redis-cli SET k v');
    expect(await failureOf(text)).toBe(
      `${at(text, 'up("cache01:6379")')} seed 1, step "s": check is already true before the step's solution runs, so it proves nothing: ` +
        'up("cache01:6379") (up("cache01:6379") is true); make it about what the step changes, or mark it "still" if it only guards something that must stay true',
    );
  });

  it('lets "still" checks hold before their step, but they must hold after', async () => {
    expect(await failureOf(oneStep('key("cache01:6379", "k") == "v"\nstill up("cache01:6379")', 'cache01$ redis-cli SET k v'))).toBeNull();
    const text = oneStep('event("command", text="pkill")\nstill up("cache01:6379")', 'cache01$ pkill redis-server');
    expect(await failureOf(text)).toBe(
      `${at(text, 'still up')} seed 1, step "s": check is false after the solution: up("cache01:6379") (up("cache01:6379") is false)`,
    );
  });

  it('counts an unknown check before the step as not true', async () => {
    // Nothing runs on cache02 yet: role() is unknown, which proves the check is not vacuous.
    const text = oneStep(
      'role("cache02:7000") == "master"',
      'cache02$ redis-server /etc/redis.conf',
    ).replace('ip: 10.0.0.2', 'ip: 10.0.0.2\n      files:\n        /etc/redis.conf: |\n          port 7000');
    expect(await failureOf(text)).toBeNull();
  });

  it('fails a solution that does not make its checks true, with the reason', async () => {
    const text = oneStep('key("cache01:6379", "k") == "v"', 'cache01$ redis-cli SET k w');
    expect(await failureOf(text)).toBe(
      `${at(text, 'key("cache01:6379", "k")')} seed 1, step "s": check is false after the solution: key("cache01:6379", "k") == "v" (key("cache01:6379", "k") is "w" (expected == "v"))`,
    );
    const unknown = oneStep('key("cache01:6379", "k") == "v"', 'cache01$ redis-cli SET other v');
    expect(await failureOf(unknown)).toContain('check is unknown after the solution: key("cache01:6379", "k") == "v" (key "k" on cache01:6379 does not exist)');
  });

  it('stops a seed at the first failing step', async () => {
    const text = lessonText({
      steps: `${oneStep('key("cache01:6379", "k") == "v"', 'cache01$ redis-cli SET k w').split('---\n\n')[1].split('## remember')[0]}
## step: two

### en: Two

Text.

### zh: 二

文字。

\`\`\`check
exists("cache01:6379", "x")
\`\`\`

\`\`\`solution
cache01$ redis-cli SET x 1
\`\`\``,
    });
    const run = await runSeed(parseOk(text), fakeWorldFactory, 5);
    expect(run.ok).toBe(false);
    expect(run.steps.map((s) => [s.step, s.ok])).toEqual([['s', false]]);
  });

  it('fails a "wait until" that times out, at its line', async () => {
    const text = oneStep('exists("cache01:6379", "k")', 'cache01$ redis-cli SET k v\nwait up to 5s until role("cache01:6379") == "slave"');
    expect(await failureOf(text)).toBe(
      `${at(text, 'wait up to')} seed 1, step "s": "wait up to 5s until role("cache01:6379") == "slave"" timed out after 5s (role("cache01:6379") is "master" (expected == "slave"))`,
    );
  });

  it('fails lines typed at the wrong prompt', async () => {
    const program = oneStep('exists("cache01:6379", "k")', 'cache01> SET k v');
    expect(await failureOf(program)).toBe(
      `${at(program, 'cache01> SET')} seed 1, step "s": "SET k v" on cache01: no program is in the foreground: start one (e.g. "host$ redis-cli -p 6379") or write this line as "host$ ..."`,
    );
    const shell = oneStep('exists("cache01:6379", "k")', 'cache01$ redis-cli\ncache01> SET k v\ncache01$ ls');
    expect(await failureOf(shell)).toBe(
      `${at(shell, 'cache01$ ls')} seed 1, step "s": "ls" on cache01: a program (redis-cli) is still in the foreground: leave it with "host> exit" first, or write this line as "host> ..."`,
    );
    const ok = oneStep('exists("cache01:6379", "k")', 'cache01$ redis-cli\ncache01> SET k v\ncache01> exit\ncache01$ ls');
    expect(await failureOf(ok)).toBeNull();
  });

  it('fails lines that hang and lines typed on a powered-off host', async () => {
    const hanging: WorldFactory = async (spec, seed) => {
      const world = new FakeWorld(spec, seed);
      const type = world.type.bind(world);
      world.type = async (host: string, line: string, timeoutMs: number): Promise<TypedResult> =>
        line.startsWith('sleep') ? { output: '', exitCode: null, state: 'busy' } : type(host, line, timeoutMs);
      return world;
    };
    const text = oneStep('exists("cache01:6379", "k")', 'cache01$ sleep 1000\ncache01$ redis-cli SET k v');
    expect(await failureOf(text, hanging)).toBe(
      `${at(text, 'cache01$ sleep')} seed 1, step "s": "sleep 1000" on cache01 was still running after 60s: start servers in the background (daemonize yes, or "&")`,
    );
    const off = oneStep('exists("cache01:6379", "k")', 'poweroff cache01\ncache01$ redis-cli SET k v');
    expect(await failureOf(off)).toBe(`${at(off, 'cache01$ redis-cli')} seed 1, step "s": cannot type on cache01: it is powered off`);
  });

  it('accepts a line that cuts its own host\'s power, and a fresh terminal after power-on', async () => {
    const crashing: WorldFactory = async (spec, seed) => {
      const world = new FakeWorld(spec, seed);
      const type = world.type.bind(world);
      world.type = async (host: string, line: string, timeoutMs: number): Promise<TypedResult> => {
        if (line !== 'echo o > /proc/sysrq-trigger') return type(host, line, timeoutMs);
        await world.act({ kind: 'poweroff', host });
        return { output: '', exitCode: null, state: 'busy' };
      };
      return world;
    };
    const text = oneStep('exists("cache01:6379", "k")', 'cache01$ redis-cli\ncache01> exit\ncache01$ echo o > /proc/sysrq-trigger\npoweron cache01\nwait 5s\ncache01$ redis-cli SET k v');
    expect(await failureOf(text, crashing)).toBeNull();
  });

  it('needs exactly one true answer to a prediction', async () => {
    const predict = (a: string, b: string) =>
      `\n\`\`\`predict\nquestion:\n  en: Q?\n  zh: 问？\nchoices:\n  - en: A\n    zh: 甲\n    when: ${a}\n  - en: B\n    zh: 乙\n    when: ${b}\n\`\`\`\n`;
    const good = oneStep('exists("cache01:6379", "k")', 'cache01$ redis-cli SET k v', predict('exists("cache01:6379", "k")', 'not exists("cache01:6379", "k")'));
    expect(await failureOf(good)).toBeNull();
    const both = oneStep('exists("cache01:6379", "k")', 'cache01$ redis-cli SET k v', predict('exists("cache01:6379", "k")', 'up("cache01:6379")'));
    expect(await failureOf(both)).toBe(
      `${at(both, '```predict')} seed 1, step "s": a predict question must have exactly one true choice after the step, found 2 ("A": true, "B": true)`,
    );
    const none = oneStep('exists("cache01:6379", "k")', 'cache01$ redis-cli SET k v', predict('not up("cache01:6379")', 'role("cache01:6379") == "slave"'));
    expect(await failureOf(none)).toContain('found 0 ("A": false, "B": false)');
  });

  it('reports a world that fails to build', async () => {
    const broken: WorldFactory = async () => {
      throw new Error('no disk');
    };
    const text = oneStep('exists("cache01:6379", "k")', 'cache01$ redis-cli SET k v');
    const run = await runSeed(parseOk(text), broken, 3);
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(/^t\.md: seed 3: the world failed: Error: no disk/);
  });

  it('runs scheduled faults and the load generator from the front matter', async () => {
    const text = lessonText({
      front: `${FRONT}\nfaults:\n  - at: 3s\n    do: cache01$ pkill -9 redis-server\nloadgen:\n  host: cache02\n  target: 10.0.0.1:6379\n  rate: 10\n  autostart: true`,
      steps: oneStep('not process("cache01", "redis-server").alive\nfailed_writes() > 0\nstill acked_writes() > 0', 'wait 5s')
        .split('---\n\n')[1]
        .split('## remember')[0],
    });
    expect(await failureOf(text)).toBeNull();
  });

  it('uses the seeds it is given', async () => {
    const lesson = parseOk(oneStep('exists("cache01:6379", "k")', 'cache01$ redis-cli SET k v'));
    const run = await runLesson(lesson, fakeWorldFactory, { seeds: [9, 99] });
    expect(run.runs.map((r) => r.seed)).toEqual([9, 99]);
    expect(run.steps).toBe(1);
  });
});
