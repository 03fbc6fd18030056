/**
 * Lesson authoring: the recorder's conversion of sandbox inputs into a lesson (and the lesson it
 * makes plays on the real simulation), the safe Markdown renderer, and the editor's mapping of
 * the parser's diagnostics to positions in the text.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world';
import { createSimLessonWorld, simWorldOptions } from '../../src/lessons/sim-adapter';
import { runSeed, type StepReport } from '../../src/lessons/autopilot';
import { parseLesson } from '../../src/lessons/parse-lesson';
import { formatDiagnostic } from '../../src/lessons/diagnostics';
import { renderProse, renderInlineProse, safeUrl } from '../../src/lessons/markdown';
import { scaffoldLesson } from '../../src/lessons/scaffold';
import { simWorldFactory } from '../../src/lessons/sim-adapter';
import type { WorldSpec } from '../../src/lessons/world-view';
import { presetById } from '../../src/ui/world/presets';
import { diagnosticsToMarks, offsetOf, positionOf } from '../../src/ui/editor/marks';
import { highlightLesson } from '../../src/ui/editor/highlight';
import {
  formatWait, keysWritten, parseRedisCli, recordedHost, recordedLessonText, recordingToSteps, snapshotFromView, suggestChecks, titleKey, writtenKeys,
  type Snapshot,
} from '../../src/ui/editor/recorder';
import type { InputRecord } from '../../src/sim';
import { decodeLessonData, encodeLessonData, lessonIdOf, MAX_LESSON_BYTES } from '../../src/ui/editor/share';

describe('recorder: inputs → solution lines', () => {
  const inputs: InputRecord[] = [
    { t: 0, input: { kind: 'open-terminal', host: 'redis-1', id: 1 } },
    { t: 1000, input: { kind: 'type', terminal: 1, line: 'redis-cli -p 7000 SET k1 v1' } },
    { t: 1200, input: { kind: 'type', terminal: 1, line: '   ' } },
    { t: 5000, input: { kind: 'kill', host: 'redis-1', pid: 12, signal: 'SIGKILL' } },
    { t: 5500, input: { kind: 'kill', host: 'redis-1', pid: 99, signal: 'SIGTERM' } },
    { t: 8000, input: { kind: 'type', terminal: 1, line: 'redis-cli -p 7001' } },
    { t: 8500, input: { kind: 'type', terminal: 1, line: 'SET "a key" b' } },
    { t: 9000, input: { kind: 'type', terminal: 1, line: 'exit' } },
    { t: 9100, input: { kind: 'power-off', host: 'redis-2' } },
    { t: 9200, input: { kind: 'partition', a: ['redis-1'], b: ['redis-2', 'redis-3'] } },
    { t: 12_500, input: { kind: 'heal' } },
    { t: 12_600, input: { kind: 'interrupt', terminal: 1 } },
    { t: 13_000, input: { kind: 'type', terminal: 1, line: 'redis-cli -p 7002' } },
    { t: 13_100, input: { kind: 'eof', terminal: 1 } },
    { t: 13_200, input: { kind: 'link', a: 'redis-1', b: 'redis-2', params: { latencyMs: 200, loss: 0.3 } } },
    { t: 13_300, input: { kind: 'power-on', host: 'redis-2' } },
  ];
  const snap = (servers: [string, string][], keys: [string, string, string | null][] = []): Snapshot => ({
    servers: servers.map(([address, role]) => ({ address, role })),
    keys: keys.map(([address, key, value]) => ({ address, key, value })),
  });

  it('turns typed lines, kills, power, partitions and time gaps into solution lines, split at the marks', () => {
    const steps = recordingToSteps({
      inputs,
      startT: 0,
      endT: 20_000,
      marks: [6000],
      titles: { [titleKey('redis-1', 12)]: 'redis-server 127.0.0.1:7000' },
      snapshots: [snap([]), snap([]), snap([])],
    });
    expect(steps.map((s) => s.id)).toEqual(['step-1', 'step-2']);
    expect(steps[0].solution).toEqual([
      'wait 1s',
      'redis-1$ redis-cli -p 7000 SET k1 v1',
      'wait 4s',
      'redis-1$ pkill -9 -f "redis-server 127.0.0.1:7000"',
      'redis-1$ kill 99',
    ]);
    expect(steps[1].solution).toEqual([
      'wait 2s',
      'redis-1$ redis-cli -p 7001',
      'redis-1> SET "a key" b',
      'redis-1> exit',
      'poweroff redis-2',
      'partition redis-1 | redis-2, redis-3',
      'wait 3300ms',
      'heal',
      '# Ctrl-C on redis-1 (a solution cannot press it: stop the command another way)',
      'redis-1$ redis-cli -p 7002',
      'redis-1> exit',
      'latency redis-1 <-> redis-2 200ms',
      'loss redis-1 <-> redis-2 30%',
      'poweron redis-2',
      'wait 6700ms',
    ]);
  });

  it('puts what happened before the recording started in a setup step', () => {
    const steps = recordingToSteps({ inputs, startT: 6000, endT: 9050, marks: [], titles: {}, snapshots: [snap([]), snap([])] });
    expect(steps.map((s) => s.id)).toEqual(['setup', 'step-1']);
    expect(steps[0].solution.slice(0, 2)).toEqual(['wait 1s', 'redis-1$ redis-cli -p 7000 SET k1 v1']);
    expect(steps[0].checks).toEqual([]);
    expect(steps[1].solution).toEqual(['wait 2s', 'redis-1$ redis-cli -p 7001', 'redis-1> SET "a key" b', 'redis-1> exit']);
  });

  it('starts with the time that passed before the recording when nothing happened then', () => {
    const late = inputs.map((r) => ({ ...r, t: r.t + 3000 }));
    late[0] = { ...late[0], t: 0 };
    const steps = recordingToSteps({ inputs: late, startT: 2500, endT: 4100, marks: [], titles: {}, snapshots: [snap([]), snap([])] });
    expect(steps.map((s) => s.id)).toEqual(['step-1']);
    // One wait, however the time passed (before the recording, then before the first input).
    expect(steps[0].solution).toEqual(['wait 4s', 'redis-1$ redis-cli -p 7000 SET k1 v1']);
  });

  it('never writes two waits in a row: they merge, summed before rounding', () => {
    const typed = (t: number, line: string): InputRecord => ({ t, input: { kind: 'type', terminal: 1, line } });
    const open: InputRecord = { t: 0, input: { kind: 'open-terminal', host: 'redis-1', id: 1 } };
    // Played 2.45 s, recording started, fast-forwarded: the first line 1.45 s later.
    let steps = recordingToSteps({ inputs: [open, typed(3900, 'redis-cli PING')], startT: 2450, endT: 3950, marks: [], titles: {}, snapshots: [snap([]), snap([])] });
    expect(steps[0].solution).toEqual(['wait 3900ms', 'redis-1$ redis-cli PING']);
    // Nothing done during the recording at all: one wait for all of it.
    steps = recordingToSteps({ inputs: [open], startT: 5000, endT: 65_000, marks: [], titles: {}, snapshots: [snap([]), snap([])] });
    expect(steps[0].solution).toEqual(['wait 65s']);
    // Something between two waits keeps them apart, and a step's waits stay in that step.
    steps = recordingToSteps({ inputs: [open, typed(2000, 'date'), typed(30_000, 'date')], startT: 0, endT: 40_000, marks: [10_000], titles: {}, snapshots: [snap([]), snap([]), snap([])] });
    expect(steps.map((st) => st.solution)).toEqual([['wait 2s', 'redis-1$ date', 'wait 8s'], ['wait 20s', 'redis-1$ date', 'wait 10s']]);
  });

  it('knows which keys redis-cli lines write, and where', () => {
    expect(parseRedisCli('redis-cli -h 10.0.0.2 -p 7001 --raw MSET a 1 b 2')).toEqual({ host: '10.0.0.2', port: 7001, command: ['MSET', 'a', '1', 'b', '2'] });
    expect(parseRedisCli('redis-cli')).toEqual({ host: null, port: 6379, command: [] });
    expect(parseRedisCli('ls -l')).toBeNull();
    expect(writtenKeys(['MSET', 'a', '1', 'b', '2'])).toEqual(['a', 'b']);
    expect(writtenKeys(['get', 'a'])).toEqual([]);
    expect(writtenKeys(['incr', 'n'])).toEqual(['n']);
    expect(keysWritten(inputs)).toEqual([
      { address: 'redis-1:7000', key: 'k1' },
      { address: 'redis-1:7001', key: 'a key' },
    ]);
  });

  it('formats waits as lesson durations', () => {
    expect([formatWait(1000), formatWait(61_000), formatWait(2549), formatWait(999.9)]).toEqual(['1s', '61s', '2500ms', '1s']);
  });

  it('suggests checks for what changed, `still` for what did not, and not up() for servers that went away', () => {
    const before = snap([['r:7000', 'master'], ['r:7001', 'slave'], ['r:7002', 'slave']], [['r:7000', 'k', 'old'], ['r:7000', 'same', 'x']]);
    const after = snap([['r:7001', 'master'], ['r:7002', 'slave']], [['r:7000', 'k', null], ['r:7001', 'k', 'new "q"'], ['r:7000', 'same', 'x']]);
    expect(suggestChecks(before, after, 2, 'r')).toEqual([
      'role("r:7001") == "master"',
      'not up("r:7000")',
      'not exists("r:7000", "k")',
      'key("r:7001", "k") == "new \\"q\\""',
      'still role("r:7002") == "slave"',
    ]);
    // Nothing changed: a TODO and a check on the typed commands, so the step still validates.
    expect(suggestChecks(before, before, 2, 'r').slice(-2)).toEqual([
      '# TODO: nothing the recorder watches changed in this step; say what the step achieves',
      'count(event("command", on="r", after=step_start())) >= 2',
    ]);
  });

  it('records a session on the real simulation and makes a lesson that validates and that the autopilot plays', async () => {
    const preset = presetById('master-replicas')!;
    const spec: WorldSpec = {
      hosts: preset.hosts.map(recordedHost).map((h) => ({ name: h.name, ips: [h.ip], disk: 'ssd', files: h.files ?? {}, dirs: h.dirs ?? [], boot: h.boot ?? [] })),
      network: { latencyMs: null, bandwidthBytesPerSec: null },
      faults: [],
      loadgen: null,
    };
    const world = new World(simWorldOptions(spec, preset.seed));
    const originT = world.now;
    const driver = await createSimLessonWorld(world, spec);
    try {
      await driver.act({ kind: 'wait', ms: 2000 });
      const snap = async (keys: { address: string; key: string }[]) => driver.settle(() => snapshotFromView(driver.view, keys));
      const startT = world.now;
      const snapshots = [await snap([])];
      await driver.type('redis-1', 'redis-cli -p 7000 SET greeting hello', 10_000);
      await driver.act({ kind: 'wait', ms: 1500 });
      const marks = [world.now];
      snapshots.push(await snap(keysWritten(world.recordedInputs())));
      const titles: Record<string, string> = {};
      const victim = world.processes('redis-1').find((p) => p.kind === 'program' && p.title.includes('7002'))!;
      titles[titleKey('redis-1', victim.pid)] = victim.title;
      world.kill('redis-1', victim.pid, 'SIGKILL');
      await driver.act({ kind: 'wait', ms: 1000 });
      snapshots.push(await snap(keysWritten(world.recordedInputs())));
      const steps = recordingToSteps({ inputs: world.recordedInputs(), startT, endT: world.now, marks, titles, snapshots, originT });
      expect(steps[0].solution[0]).toBe('wait 2s');
      expect(steps.map((s) => s.id)).toEqual(['step-1', 'step-2']);
      expect(steps[0].solution).toContain('redis-1$ redis-cli -p 7000 SET greeting hello');
      expect(steps[0].checks).toContain('key("redis-1:7000", "greeting") == "hello"');
      expect(steps[1].solution).toContain(`redis-1$ pkill -9 -f "${victim.title}"`);
      expect(steps[1].checks).toContain('not up("redis-1:7002")');

      const text = recordedLessonText({ id: 'recorded', title: { en: 'Recorded', zh: '录制' }, seed: preset.seed, hosts: preset.hosts.map(recordedHost), steps });
      const parsed = parseLesson('recorded.md', text);
      expect(parsed.diagnostics.map(formatDiagnostic)).toEqual([]);
      const reports: StepReport[] = [];
      const run = await runSeed(parsed.lesson!, simWorldFactory, preset.seed, { onStep: (_seed, r) => reports.push(r) });
      expect(run.failure).toBeNull();
      expect(reports.map((r) => r.ok)).toEqual([true, true]);
      // Per-step results: the step's own checks false (or unknown) before, all true after.
      const greeting = reports[0].before.find((c) => c.source.includes('greeting'))!;
      expect(greeting.truth).not.toBe(true);
      expect(reports[0].after.every((c) => c.truth === true)).toBe(true);
      expect(reports[1].lines.map((l) => l.ok)).toEqual(reports[1].lines.map(() => true));
    } finally {
      driver.dispose();
    }
  }, 60_000);
});

describe('safe rendering of lesson prose', () => {
  it('escapes raw HTML: no script, no event handlers, no iframes', () => {
    const html = renderProse('Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> <iframe src="https://e.com"></iframe>\n\n<div onclick="x()">d</div>');
    expect(html).not.toMatch(/<script|<img|<iframe|<div/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('drops javascript:, vbscript:, data: and file: links however they are spelt', () => {
    const bad = [
      '[a](javascript:alert(1))',
      '[a](JaVaScRiPt:alert(1))',
      '[a](java&#x73;cript:alert(1))',
      '[a](&#106;avascript:alert(1))',
      '[a](java%0ascript:alert(1))',
      '<javascript:alert(1)>',
      '[a](vbscript:msgbox)',
      '[a](data:text/html;base64,PHNjcmlwdD4=)',
      '![i](data:image/svg+xml;base64,PHN2Zz4=)',
      '![i](data:image/png;base64,AAAA)',
      '[a](file:///etc/passwd)',
      '[a](foo:bar)',
      '[ref]\n\n[ref]: javascript:alert(1)',
    ];
    for (const md of bad) {
      const html = renderProse(md);
      expect(html, md).not.toMatch(/href=|src=/);
    }
  });

  it('keeps http(s), mailto, relative and anchor links, opening external ones without an opener', () => {
    expect(renderProse('[r](https://redis.io/docs)')).toBe('<p><a href="https://redis.io/docs" target="_blank" rel="noopener noreferrer nofollow">r</a></p>\n');
    expect(renderProse('[m](mailto:a@b.c) [rel](docs/x.md) [top](#top)')).toBe('<p><a href="mailto:a@b.c" target="_blank" rel="noopener noreferrer nofollow">m</a> <a href="docs/x.md">rel</a> <a href="#top">top</a></p>\n');
    expect(safeUrl('?lesson=a0')).toBe(true);
    expect(safeUrl('a:b/c')).toBe(false);
    expect(safeUrl('\\\\evil.com')).toBe(false);
  });

  it("renders a prediction's one-line text inline: code and emphasis, raw HTML escaped, bad links dropped", () => {
    expect(renderInlineProse('What does `redis-cli -h 192.168.31.187 PING` print on *eshop-cache02*?'))
      .toBe('What does <code>redis-cli -h 192.168.31.187 PING</code> print on <em>eshop-cache02</em>?');
    expect(renderInlineProse('<img src=x onerror="alert(1)"> [a](javascript:alert(1))')).not.toMatch(/<img|href=/);
  });

  it('escapes HTML in the editor highlight too', () => {
    const html = highlightLesson('---\nid: x\n---\n<script>alert(1)</script> & "q"\n');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;');
  });
});

describe('validation as you type: diagnostics → positions', () => {
  const text = scaffoldLesson({ id: 'demo' });

  it('maps a misspelt front-matter field to its line and word', () => {
    const broken = text.replace('level: beginner', 'levle: beginner');
    const d = parseLesson('demo.md', broken).diagnostics;
    expect(d.length).toBeGreaterThan(0);
    const marks = diagnosticsToMarks(broken, d);
    const line = broken.split('\n').findIndex((l) => l.startsWith('levle:')) + 1;
    const m = marks.find((x) => x.message.includes('levle'))!;
    expect(m.line).toBe(line);
    expect(broken.slice(m.from, m.to)).toBe('levle');
    expect(positionOf(broken, m.from)).toEqual({ line, column: 1 });
  });

  it('maps an error inside a check block to its column', () => {
    const broken = text.replace('key("redis01:6379", "greeting") == "hello"\n```\n\n```solution', 'key("redis01:6379", "greeting") == "hello" and rol("redis01:6379") == "master"\n```\n\n```solution');
    const marks = diagnosticsToMarks(broken, parseLesson('demo.md', broken).diagnostics);
    const lineText = 'key("redis01:6379", "greeting") == "hello" and rol("redis01:6379") == "master"';
    const line = broken.split('\n').indexOf(lineText) + 1;
    expect(marks.length).toBeGreaterThan(0);
    expect(marks[0].line).toBe(line);
    expect(broken.slice(marks[0].from, marks[0].to)).toBe('rol');
    expect(highlightLesson(broken, marks)).toContain('<span class="fn err">rol</span>');
  });

  it('clamps positions past the end of a line or the text onto the text', () => {
    const t = 'ab\n\ncd';
    expect(offsetOf(t, 1, 99)).toBe(2);
    expect(offsetOf(t, 9, 1)).toBe(4);
    const marks = diagnosticsToMarks(t, [
      { file: 'f', line: 1, column: 50, message: 'past the end' },
      { file: 'f', line: 2, column: 1, message: 'empty line' },
      { file: 'f', line: 7, column: 3, message: 'past the text' },
    ]);
    expect(marks.map((m) => [m.line, m.column, t.slice(m.from, m.to)])).toEqual([[1, 2, 'b'], [2, 1, ''], [3, 2, 'd']]);
  });

  it('the scaffold of npm run lesson:new validates', () => {
    expect(parseLesson('lessons/demo.md', text).diagnostics).toEqual([]);
  });
});

describe('lesson data links', () => {
  it('carry a lesson exactly, compressed, and refuse what is too big or not UTF-8', async () => {
    const text = scaffoldLesson({ id: 'c2-linked' }).replace('TODO: why', '中文 and emoji 🎉: why');
    const data = await encodeLessonData(text);
    expect(data).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(data.length).toBeLessThan(text.length);
    expect(await decodeLessonData(data)).toBe(text);
    expect(lessonIdOf(text)).toBe('c2-linked');
    expect(lessonIdOf('no front matter')).toBe('lesson');
    await expect(decodeLessonData(await encodeLessonData('x'.repeat(MAX_LESSON_BYTES + 1)))).rejects.toThrow(/larger than/);
    await expect(decodeLessonData('not-deflate')).rejects.toThrow();
  });
});
