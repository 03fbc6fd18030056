/**
 * The lesson parser and validator: the format examples parse into the expected model, and every
 * error path is reported as file:line:column with a helpful message.
 */
import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../src/lessons/parse-lesson';
import { renderProse } from '../../src/lessons/markdown';
import { FRONT, REMEMBER, STEP, at, diagnose, fixture, lessonText, lineOf, parseOk } from './helpers';

describe('format examples', () => {
  it('parse the persistence example into its model', () => {
    const { file, text } = fixture('format-example-persistence.md');
    const lesson = parseOk(text, file);
    expect(lesson.meta).toMatchObject({
      id: 'format-example-persistence',
      labs: ['A1'],
      sources: ['000_5714fe9f07c9a9a3.txt'],
      level: 'beginner',
      seed: 7,
      requires: [],
    });
    expect(lesson.meta.world.hosts).toEqual([
      {
        name: 'cache01',
        ips: ['10.0.0.1'],
        disk: 'ssd',
        files: { '/etc/redis/6379.conf': 'port 6379\ndir /var/redis/6379\ndbfilename dump.rdb\nappendonly no\n' },
        dirs: ['/var/redis/6379'],
        boot: ['redis-server /etc/redis/6379.conf'],
        tornWrites: false,
      },
    ]);
    expect(lesson.intro?.tries).toEqual([
      { host: 'cache01', mode: 'shell', line: 'redis-cli -p 6379 INFO persistence', pos: { line: lineOf(text, 'cache01$ redis-cli -p 6379 INFO'), column: 1 } },
    ]);
    expect(lesson.steps.map((s) => s.id)).toEqual(['write-keys', 'snapshot', 'kill-and-restart']);
    const [write, , kill] = lesson.steps;
    expect(write.title).toEqual({ en: 'Write two keys', zh: '写两个键' });
    expect(write.prose.en.markdown).toBe('Write two keys with `SET`.\n\n```try\ncache01$ redis-cli -p 6379 SET k1 v1\n```');
    expect(write.prose.en.line).toBe(lineOf(text, 'Write two keys with'));
    // Step-level blocks are not part of the prose.
    expect(write.prose.zh.markdown).not.toContain('check');
    expect(write.hints).toEqual([{ en: 'redis-cli takes the command after its options.', zh: 'redis-cli 的命令写在选项后面。' }]);
    expect(write.checks.map((c) => [c.source, c.pos.line, c.still])).toEqual([
      ['key("cache01:6379", "k1") == "v1"', lineOf(text, 'key("cache01:6379", "k1")'), false],
      ['exists("10.0.0.1:6379", "k2")', lineOf(text, 'exists("10.0.0.1:6379", "k2")'), false],
    ]);
    expect(kill.checks.filter((c) => c.still).map((c) => c.source)).toEqual([
      'not exists("cache01:6379", "k3")',
      'key("cache01:6379", "k1") == "v1"',
    ]);
    expect(kill.solution.map((l) => (l.kind === 'type' ? `${l.host}${l.mode === 'shell' ? '$' : '>'} ${l.line}` : l.kind === 'act' ? l.action : l.text))).toEqual([
      'cache01$ redis-cli -p 6379',
      'cache01> SET k3 v3',
      'cache01> exit',
      'cache01$ pkill -9 redis-server',
      { kind: 'wait', ms: 1000 },
      'cache01$ redis-server /etc/redis/6379.conf',
      'wait until up("cache01:6379")',
    ]);
    expect(kill.predicts).toHaveLength(1);
    expect(kill.predicts[0].question.en).toBe('After the restart, which keys are there?');
    expect(kill.predicts[0].choices.map((c) => c.when.source)).toEqual([
      'exists("cache01:6379", "k3")',
      'exists("cache01:6379", "k1") and not exists("cache01:6379", "k3")',
    ]);
    expect(kill.predicts[0].explain?.zh).toContain('kill -9');
    expect(lesson.remember.prose.en.markdown).toContain('kill -9');
  });

  it('parse the failover example: anchors, lists of sources, faults, loadgen, predict', () => {
    const { file, text } = fixture('format-example-failover.md');
    const lesson = parseOk(text, file);
    expect(lesson.meta.sources).toEqual(['001_e35f14b7ee375ca6.txt', '004_4af07bba0959095c.txt']);
    expect(lesson.meta.requires).toEqual(['format-example-persistence']);
    expect(lesson.meta.world.hosts.map((h) => [h.name, h.ips, h.boot.length])).toEqual([
      ['cache01', ['10.0.1.51'], 2],
      ['cache02', ['10.0.1.52'], 2],
      ['cache03', ['10.0.1.53'], 2],
      ['app', ['10.0.1.60'], 0],
    ]);
    // YAML anchors share the config text between hosts.
    expect(lesson.meta.world.hosts[2].files['/etc/redis/sentinel.conf']).toContain('sentinel monitor mymaster 10.0.1.51 6379 2');
    expect(lesson.meta.world.network).toEqual({ latencyMs: 1, bandwidthBytesPerSec: null });
    expect(lesson.meta.world.faults).toEqual([{ atMs: 3_600_000, action: { kind: 'poweroff', host: 'app' } }]);
    expect(lesson.meta.world.loadgen).toEqual({
      host: 'app',
      target: { sentinels: ['10.0.1.51:26379', '10.0.1.52:26379', '10.0.1.53:26379'], master: 'mymaster' },
      ratePerSec: 50,
      keys: 100,
      autostart: false,
    });
    const kill = lesson.steps[1];
    expect(kill.solution[0]).toMatchObject({ kind: 'act', action: { kind: 'loadgen', run: true } });
    expect(kill.solution[3]).toMatchObject({ kind: 'wait-until', timeoutMs: 60_000 });
    // A quoted `when:` keeps exact positions inside the quotes.
    const quoted = kill.predicts[0].choices[1].when;
    expect(quoted.pos).toEqual({ line: lineOf(text, `when: 'master_of`), column: 12 });
  });
});

describe('line endings', () => {
  it('reads CRLF files with a byte order mark the same way', () => {
    const { file, text } = fixture('format-example-persistence.md');
    const lf = parseOk(text, file);
    const crlf = parseOk('\uFEFF' + text.replace(/\n/g, '\r\n'), file);
    expect(crlf.steps.map((s) => s.checks.map((c) => [c.source, c.pos]))).toEqual(lf.steps.map((s) => s.checks.map((c) => [c.source, c.pos])));
    expect(crlf.meta.world).toEqual(lf.meta.world);
  });
});

describe('front matter errors', () => {
  it('needs front matter, closed', () => {
    expect(diagnose('# hello\n')).toEqual(['t.md:1:1: a lesson starts with its front matter: a line "---", YAML, and a closing "---"']);
    expect(diagnose('---\nid: t\n')).toEqual(['t.md:1:1: the front matter opened here is never closed with a "---" line']);
  });

  it('reports YAML syntax errors where they are', () => {
    const text = lessonText({ front: FRONT.replace('labs: [A1]', 'labs: [A1') });
    // The YAML library reports a missing "]" where it notices it: the next line.
    expect(diagnose(text)).toEqual([
      `t.md:${lineOf(text, 'labs: [A1') + 1}:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
    const dup = lessonText({ front: `${FRONT}\nseed: 2` });
    expect(diagnose(dup)).toContain(`t.md:${lineOf(dup, 'seed: 2')}:1: YAML: Map keys must be unique`);
  });

  it('reports unknown and missing fields at the key or its mapping', () => {
    const text = lessonText({ front: FRONT.replace('ip: 10.0.0.1', 'ipp: 10.0.0.1').replace('level: beginner', 'levl: beginner') });
    const d = diagnose(text);
    expect(d).toContain(`${at(text, 'levl:')} the front matter: unknown field "levl" (did you mean "level"?); fields are id, title, summary, labs, source, level, requires, seed, topology, faults, loadgen`);
    expect(d).toContain(`${at(text, 'ipp:')} topology.hosts[0]: unknown field "ipp" (did you mean "ip"?); fields are name, ip, disk, files, dirs, boot, torn_writes`);
    expect(d).toContain('t.md:2:1: the front matter: missing "level"');
    expect(d).toContain(`${at(text, 'name: cache01')} topology.hosts[0]: missing "ip"`);
  });

  it('reports bad values with the vocabulary they come from', () => {
    const text = lessonText({
      front: FRONT.replace('labs: [A1]', 'labs: [A1, C11]')
        .replace('level: beginner', 'level: expert')
        .replace('source: 000_5714fe9f07c9a9a3.txt', 'source: 005.txt')
        .replace('ip: 10.0.0.2', 'ip: 10.0.0.300')
        .replace('seed: 1', 'seed: -1')
        .replace('id: t', 'id: T_1'),
    });
    const d = diagnose(text);
    expect(d).toContain(`${at(text, 'C11')} labs[1]: "C11" is not a lab id of docs/LABS.md (A1-A9, B1-B8, C1-C10, D1-D4)`);
    expect(d).toContain(`${at(text, 'expert')} level: "expert" is not one of beginner, intermediate, advanced`);
    expect(d).toContain(`${at(text, '005.txt')} source: "005.txt" is not a source document; they are 000_5714fe9f07c9a9a3.txt, 001_e35f14b7ee375ca6.txt, 002_67fe14c28ad9e25e.txt, 003_24b9c43767ce8d4e.txt, 004_4af07bba0959095c.txt`);
    expect(d).toContain(`${at(text, '10.0.0.300')} topology.hosts[1].ip: "10.0.0.300" is not an IPv4 address like 10.0.0.1`);
    expect(d).toContain(`${at(text, '-1')} seed must be >= 0`);
    expect(d).toContain(`${at(text, 'T_1')} id: "T_1" is not a lesson id: lower-case letters, digits and single dashes (c2-automatic-failover)`);
  });

  it('reports wrong kinds of values', () => {
    const text = lessonText({
      front: FRONT.replace('labs: [A1]', 'labs: A1').replace('seed: 1', 'seed: one').replace('  en: Test', '  en: [Test]'),
    });
    const d = diagnose(text);
    expect(d).toContain(`${at(text, 'A1')} labs must be a list, not the text "A1"`);
    expect(d).toContain(`${at(text, 'one')} seed must be a whole number, not the text "one"`);
    expect(d).toContain(`${at(text, '[Test]')} title.en must be text, not a list`);
  });

  it('reports one error for a value that may be text or a list', () => {
    const one = (from: string, to: string) => diagnose(lessonText({ front: FRONT.replace(from, to) }));
    expect(one('ip: 10.0.0.2', 'ip: bad')).toEqual(['t.md:20:11: topology.hosts[1].ip: "bad" is not an IPv4 address like 10.0.0.1']);
    expect(one('ip: 10.0.0.2', 'ip: [10.0.0.3, bad]')).toEqual(['t.md:20:22: topology.hosts[1].ip[1]: "bad" is not an IPv4 address like 10.0.0.1']);
    expect(one('ip: 10.0.0.2', 'ip: 5')).toEqual(['t.md:20:11: topology.hosts[1].ip must be text or a list, not the number 5']);
    expect(one('source: 000_5714fe9f07c9a9a3.txt', 'source: [x.txt]')).toEqual([
      expect.stringMatching(/^t\.md:7:10: source\[0\]: "x\.txt" is not a source document; they are 000_/),
    ]);
  });

  it('reports empty, duplicate and relative things', () => {
    const text = lessonText({
      front: FRONT.replace('labs: [A1]', 'labs: [A1, A1]')
        .replace('  zh: 测试', '  zh: ""')
        .replace('/etc/redis.conf: |', 'etc/redis.conf: |')
        .replace('ip: 10.0.0.2', 'ip: 10.0.0.2\n      dirs: [data]'),
    });
    const d = diagnose(text);
    expect(d).toContain(`${at(text, 'A1, A1', 4)} labs: items 1 and 2 are the same`);
    expect(d).toContain(`${at(text, '""')} title.zh must not be empty`);
    expect(d).toContain(`${at(text, 'etc/redis.conf')} topology.hosts[0].files: "etc/redis.conf" must be an absolute path without spaces (start with /)`);
    expect(d).toContain(`${at(text, 'data]')} topology.hosts[1].dirs[0]: "data" must be an absolute path without spaces (start with /)`);
  });

  it('checks hosts: unique names and IPs, no loopback', () => {
    const text = lessonText({
      front: FRONT.replace('- name: cache02\n      ip: 10.0.0.2', '- name: cache01\n      ip: 10.0.0.1\n    - name: cache03\n      ip: 127.0.0.1'),
    });
    const d = diagnose(text);
    expect(d).toContain(`t.md:${lineOf(text, '- name: cache01', lineOf(text, 'ip: 10.0.0.1') + 1)}:13: host "cache01" is defined twice (also hosts[0])`);
    expect(d).toContain(`t.md:${lineOf(text, 'ip: 10.0.0.1', lineOf(text, 'ip: 10.0.0.1') + 1)}:11: IP 10.0.0.1 is already used by host "cache01"`);
    expect(d).toContain(`${at(text, '127.0.0.1')} 127.0.0.1 is a loopback address, which every host has: give the host a network address like 10.0.0.3`);
  });

  it('checks the id against the file name', () => {
    expect(diagnose(lessonText(), 'lessons/other.md')).toEqual([
      'lessons/other.md:2:5: the id "t" must match the file name "other.md"',
    ]);
    // Imported text without a .md name is not held to it.
    expect(parseLesson('pasted', lessonText()).diagnostics).toEqual([]);
  });

  it('checks the load generator', () => {
    const base = lessonText({ front: `${FRONT}\nloadgen:\n  host: cache09\n  rate: 0` });
    const d = diagnose(base);
    expect(d).toEqual([`t.md:${lineOf(base, 'rate: 0')}:9: loadgen.rate must be >= 1`]);
    const text = lessonText({ front: `${FRONT}\nloadgen:\n  host: cache09\n  target: 10.0.0.1:6379\n  master: mymaster` });
    const d2 = diagnose(text);
    expect(d2).toContain(`${at(text, 'cache09')} unknown host "cache09"; hosts are cache01, cache02`);
    expect(d2).toContain(`${at(text, 'target:')} loadgen: give either "target" or "sentinels" and "master", not both`);
    const none = lessonText({ front: `${FRONT}\nloadgen:\n  host: cache01` });
    expect(diagnose(none)).toContain(`${at(none, 'loadgen:')} loadgen: needs "target: ip:port", or "sentinels: [...]" with "master: <name>"`);
  });

  it('checks scheduled faults', () => {
    const text = lessonText({
      front: `${FRONT}\nfaults:\n  - at: 30s\n    do: poweroff cache01\n  - at: 1m\n    do: wait 5s\n  - at: 2m\n    do: poweroff cache09\n  - at: 3m\n    do: "cache01> SET a b"`,
    });
    const d = diagnose(text);
    expect(d).toContain(`${at(text, 'wait 5s')} a scheduled fault cannot wait: give it its own "at:" time`);
    expect(d).toContain(`${at(text, 'cache09')} unknown host "cache09" (did you mean "cache01"?); hosts are cache01, cache02`);
    expect(d).toContain(`${at(text, 'cache01> SET')} a scheduled fault runs a shell line ("host$ ..."), not a line for a program`);
    expect(d).toHaveLength(3);
    const when = lessonText({ front: `${FRONT}\nfaults:\n  - at: 90 seconds\n    do: poweroff cache01` });
    expect(diagnose(when)).toEqual([
      `${at(when, '90 seconds')} faults[0].at: "90 seconds" is not a duration: write a number with ms, s, m, h or d, like 90s`,
    ]);
  });
});

describe('body structure errors', () => {
  it('rejects # headings, unknown sections, stray text and misplaced headings', () => {
    const text = lessonText({
      body: `Some text.\n\n# Title\n\n### en\n\n## stpe: two\n\n${STEP}\n\n### de: Eins\n\n${REMEMBER}\n`,
    });
    const d = diagnose(text);
    expect(d).toContain(`${at(text, 'Some text.')} text must be in a section ("## intro", "## step: <id>", "## remember")`);
    expect(d).toContain(`${at(text, '# Title')} no "#" headings: the lesson's title is "title:" in the front matter`);
    expect(d).toContain(`${at(text, '### en')} a "###" heading must be inside a section ("## intro", "## step: <id>", "## remember")`);
    expect(d).toContain(`${at(text, '## stpe')} unknown section "## stpe: two" (did you mean "step"?): sections are "## intro", "## step: <id>" and "## remember"`);
    expect(d).toContain(`${at(text, '### de')} "### de: Eins" is not a language heading: a section has "### en: <title>" and "### zh: <title>" (use "####" for headings inside the text)`);
  });

  it('needs both languages, titles on steps, and text', () => {
    const text = lessonText({
      steps: STEP.replace('### zh: 一\n\n做吧。', '').replace('### en: One', '### en'),
      remember: '## remember\n\n### en\n\n### zh\n\n记住。\n\n### zh\n\nagain',
    });
    const d = diagnose(text);
    expect(d).toContain(`${at(text, '## step: one')} this section has no Chinese text: add "### zh: <title>" and its text`);
    expect(d).toContain(`${at(text, '### en', 0)} a step's language heading carries its title: "### en: <title>"`);
    expect(d).toContain(`t.md:${lineOf(text, '### en', lineOf(text, '## remember'))}:1: the "### en" text is empty`);
    expect(d).toContain(`t.md:${lineOf(text, '### zh', lineOf(text, '记住'))}:1: this section already has its "### zh" text`);
  });

  it('needs steps with checks and solutions, in order, with unique ids', () => {
    const noCheck = STEP.replace(/```check\n.*\n```/, '');
    const text = lessonText({
      body: `${REMEMBER}\n\n${noCheck.replace('step: one', 'step: One')}\n\n${STEP.replace(/```solution\n.*\n```/, '')}\n\n${STEP}\n\n## intro\n\n### en\n\nx\n\n### zh\n\ny\n\n${REMEMBER}\n`,
    });
    const d = diagnose(text);
    expect(d).toContain(`${at(text, '## step: One')} "One" is not a step id: lower-case letters, digits and single dashes (kill-the-master)`);
    expect(d).toContain(`${at(text, '## step: One')} steps come before "## remember"`);
    expect(d).toContain(`${at(text, '## step: One')} step "One" has no check block: how does the learner know the step is done?`);
    const second = lineOf(text, '## step: one');
    expect(d).toContain(`t.md:${second}:1: step "one" has no solution block (the autopilot plays it to prove the step works)`);
    expect(d).toContain(`t.md:${lineOf(text, '## step: one', second + 1)}:1: step "one" is defined twice`);
    expect(d).toContain(`${at(text, '## intro')} "## intro" comes before the first step`);
    expect(d).toContain(`t.md:${lineOf(text, '## remember', lineOf(text, '## intro'))}:1: the lesson already has a "## remember" section`);
  });

  it('needs a remember section and at least one step', () => {
    const text = lessonText({ body: `${STEP}\n` });
    expect(diagnose(text)).toEqual([`t.md:${text.split('\n').length}:1: a lesson ends with "## remember": what to take away, in each language`]);
    const noSteps = lessonText({ body: `${REMEMBER}\n` });
    expect(diagnose(noSteps)).toEqual([`t.md:${noSteps.split('\n').length}:1: a lesson needs at least one "## step: <id>"`]);
  });

  it('refuses "still"-only checks and a second solution block', () => {
    const text = lessonText({
      steps: STEP.replace('key("cache01:6379", "k") == "v"', 'still key("cache01:6379", "k") == "v"') + '\n\n```solution\nheal\n```',
    });
    const d = diagnose(text);
    expect(d).toContain(`${at(text, 'still key')} step "one" has only "still" checks: at least one check must become true during the step`);
    expect(d).toContain(`t.md:${lineOf(text, '```solution', lineOf(text, 'redis-cli SET k v'))}:1: a step has one solution block`);
  });

  it('places blocks: not in lists, not outside steps, closed', () => {
    const text = lessonText({
      body: `## intro\n\n### en\n\nIntro.\n\n\`\`\`check\nup("cache01:6379")\n\`\`\`\n\n### zh\n\n介绍。\n\n${STEP.replace('Do it.', 'Do it:\n\n- first\n\n  ```solution\n  heal\n  ```')}\n\n${REMEMBER}\n\n\`\`\`try\ncache01$ ls\n\`\`\`\n\n\`\`\`hint\nen: x\n`,
    });
    const d = diagnose(text);
    expect(d).toContain(`${at(text, '```check')} a check block belongs to a step, not to "## intro"`);
    expect(d).toContain(`${at(text, '```solution')} a solution block must start at the beginning of a line, not inside a list or a quote`);
    expect(d).toContain(`${at(text, '```try', 0)} a try block belongs to a step or the intro, not to "## remember"`);
    expect(d).toContain(`${at(text, '```hint')} the hint block opened here is never closed (add a line \`\`\`)`);
  });

  it('flags misspelt block names, empty blocks and blocks outside sections', () => {
    const text = lessonText({
      body: `\`\`\`solution\nheal\n\`\`\`\n\n${STEP.replace('Do it.', 'Do it.\n\n```checks\nup("cache01:6379")\n```\n\n```conf\nport 6379\n```')}\n\n\`\`\`check\n\n\`\`\`\n\n\`\`\`solution\n# nothing\n\`\`\`\n\n\`\`\`hint\njust text\n\`\`\`\n\n${REMEMBER}\n`,
    });
    const d = diagnose(text);
    expect(d).toEqual([
      `${at(text, '```solution')} a solution block must be inside a step`,
      `${at(text, '```checks')} unknown block "checks" (did you mean "check"?); blocks are try, check, solution, hint, predict (other names are code shown as text)`,
      `t.md:${lineOf(text, '```check', lineOf(text, 'redis-cli SET k v'))}:1: the check block is empty`,
      `t.md:${lineOf(text, '```solution', lineOf(text, 'redis-cli SET k v'))}:1: a step has one solution block`,
      `${at(text, 'just text')} hint must be a mapping (key: value lines), not the text "just text"`,
    ]);
  });

  it('needs the same commands to try in both languages', () => {
    const text = lessonText({
      steps: STEP.replace('Do it.', 'Do it.\n\n```try\ncache01$ redis-cli SET k v\n```').replace('做吧。', '做吧。\n\n```try\ncache01$ redis-cli SET k w\n```'),
    });
    expect(diagnose(text)).toEqual([
      `${at(text, 'cache01$ redis-cli SET k w')} the zh text offers other commands to try than the en text; both must have the same try lines (en: cache01$ redis-cli SET k v)`,
    ]);
  });

  it('reports bad try lines and empty blocks', () => {
    const text = lessonText({
      steps: STEP.replace('Do it.', 'Do it.\n\n```try\nredis-cli PING\ncache07$ ls\ncache01$\n```').replace('做吧。', '做吧。\n\n```try\n```'),
    });
    const d = diagnose(text);
    expect(d).toContain(`${at(text, 'redis-cli PING')} expected "host$ command" (a shell line) or "host> line" (a line for redis-cli), found "redis-cli PING"`);
    expect(d).toContain(`${at(text, 'cache07$')} unknown host "cache07" (did you mean "cache01"?); hosts are cache01, cache02`);
    expect(d).toContain(`t.md:${lineOf(text, 'cache07$ ls') + 1}:8: nothing to type after "cache01$"`);
    expect(d).toContain(`t.md:${lineOf(text, '```try', lineOf(text, '做吧'))}:1: the try block is empty`);
  });
});

describe('errors inside blocks', () => {
  it('reports check errors at their place in the file', () => {
    const text = lessonText({
      steps: STEP.replace('key("cache01:6379", "k") == "v"', 'key("cache01:6379", "k") == "v"\nrole("cache05:6379") == "master"\n  info("cache01:6379", "replication").conected_slaves == 1\nup("cache01:6379") &&'),
    });
    expect(diagnose(text)).toEqual([
      `${at(text, 'cache05')} unknown host "cache05" (did you mean "cache01"?); hosts are cache01, cache02`,
      `${at(text, 'conected_slaves')} INFO replication has no field "conected_slaves" (did you mean "connected_slaves"?)`,
      `${at(text, '&&')} use \`and\` instead of \`&&\``,
    ]);
  });

  it('reports solution line errors at the offending word', () => {
    const lines = [
      'wait 35',
      'wait until',
      'wait up to 5s role("cache01:6379") == "master"',
      'wait until role("cache01:6379") == "primary"',
      'partition cache01',
      'partition cache01 | cache01',
      'partition cache01 | cache 02',
      'poweroff',
      'poweron cache01 now',
      'latency cache01 cache02 5ms',
      'latency cache01 <-> cache01 5ms',
      'loss cache01 <-> cache02 150%',
      'loadgen go',
      'loadgen start',
      'reboot cache01',
      'cache01 redis-cli PING',
      'heal all',
    ];
    const text = lessonText({ steps: STEP.replace('cache01$ redis-cli SET k v', `cache01$ redis-cli SET k v\n${lines.join('\n')}`) });
    const d = diagnose(text);
    const line = (l: string) => lineOf(text, l, lineOf(text, '```solution'));
    expect(d).toEqual([
      `t.md:${line('wait 35')}:6: "35" is not a duration: durations take ms, s, m, h or d (30s, 5m); sizes take b, kb, mb or gb (64kb)`,
      `t.md:${line('wait until')}:6: expected a check after "until"`,
      `t.md:${line('wait up to 5s')}:15: expected "until <check>" after "wait up to <duration>"`,
      `t.md:${line('"primary"')}:36: "primary" can never match: it is one of "master", "slave", "sentinel"`,
      `t.md:${line('partition cache01')}:1: partition: needs at least two groups separated by "|"`,
      `t.md:${line('partition cache01 | cache01')}:21: partition: host "cache01" is in two groups`,
      `t.md:${line('cache 02')}:21: partition: "cache 02" is not one host name: separate hosts with "," and groups with "|"`,
      `t.md:${line('poweroff')}:9: poweroff: expected a host name`,
      `t.md:${line('poweron cache01 now')}:17: unexpected "now" at the end of "poweron"`,
      `t.md:${line('latency cache01 cache02')}:17: latency: write "latency hostA <-> hostB ..."`,
      `t.md:${line('latency cache01 <-> cache01')}:21: latency: a link joins two different hosts`,
      `t.md:${line('loss cache01')}:26: loss: expected a percentage from 0% to 100%`,
      `t.md:${line('loadgen go')}:9: expected "loadgen start" or "loadgen stop"`,
      `t.md:${line('loadgen start')}:1: this lesson has no "loadgen:" in its front matter`,
      `t.md:${line('reboot cache01')}:1: unknown action "reboot": a line is "host$ command", "host> line", or one of wait, partition, heal, poweroff, poweron, latency, loss, loadgen`,
      `t.md:${line('cache01 redis-cli')}:8: missing prompt: write "cache01$ redis-cli PING" to type on cache01`,
      `t.md:${line('heal all')}:6: unexpected "all" at the end of "heal"`,
    ]);
  });

  it('accepts every world action', () => {
    const lines = [
      'wait 35s',
      'wait until role("cache01:6379") == "master"',
      'wait up to 90s until up("cache02:6379")',
      'partition cache01 | cache02',
      'heal',
      'poweroff cache02',
      'poweron cache02',
      'latency cache01 <-> cache02 200ms',
      'loss cache01 <-> cache02 12.5%',
      '# a comment',
      '',
      'cache01> PING',
    ];
    const lesson = parseOk(lessonText({ steps: STEP.replace('cache01$ redis-cli SET k v', `cache01$ redis-cli SET k v\n${lines.join('\n')}`) }));
    expect(lesson.steps[0].solution.map((l) => (l.kind === 'act' ? l.action : l.kind === 'wait-until' ? l.timeoutMs : l.mode))).toEqual([
      'shell',
      { kind: 'wait', ms: 35_000 },
      120_000,
      90_000,
      { kind: 'partition', groups: [['cache01'], ['cache02']] },
      { kind: 'heal' },
      { kind: 'poweroff', host: 'cache02' },
      { kind: 'poweron', host: 'cache02' },
      { kind: 'latency', a: 'cache01', b: 'cache02', ms: 200 },
      { kind: 'loss', a: 'cache01', b: 'cache02', percent: 12.5 },
      'program',
    ]);
  });

  it('validates hint and predict blocks and places errors inside them', () => {
    const text = lessonText({
      steps: `${STEP}\n\n\`\`\`hint\nen: Look.\n\`\`\`\n\n\`\`\`hint\nen: [a\n\`\`\`\n\n\`\`\`predict\nquestion:\n  en: Which?\n  zh: 哪个？\nchoices:\n  - en: A\n    zh: 甲\n    when: role("cache01:6379") == "primery"\n  - en: B\n    zh: 乙\n    wen: up("cache01:6379")\n\`\`\`\n\n\`\`\`predict\nquestion:\n  en: Which?\n  zh: 哪个？\nchoices:\n  - en: A\n    zh: 甲\n    when: |\n      up("cache01:6379") and\n        dbsize("cache01:6379") == "3"\n  - en: B\n    zh: 乙\n    when: 'true'\n\`\`\``,
    });
    const d = diagnose(text);
    expect(d).toEqual([
      `${at(text, 'en: Look.')} hint: missing "zh"`,
      `t.md:${lineOf(text, 'en: [a')}:7: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
      `${at(text, '- en: B', 2)} predict.choices[1]: missing "when"`,
      `${at(text, 'wen:')} predict.choices[1]: unknown field "wen" (did you mean "when"?); fields are en, zh, when`,
      `${at(text, '== "3"')} cannot compare a number with text using "==": quote both sides, or turn text into a number with number(...)`,
    ]);
    // (the "3" error is a choice's condition, checked like any check at its place in a block scalar)
  });
});

describe('rendering prose', () => {
  it('escapes HTML and drops script links, so imported lessons are safe to show', () => {
    const html = renderProse('Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> **bold**');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<strong>bold</strong>');
  });
});
