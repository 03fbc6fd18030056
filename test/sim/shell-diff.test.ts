/**
 * `diff` against GNU diffutils on this machine: the same files are written on the simulated disk
 * and in a temporary directory, the same command lines run in the simulated shell and in the
 * machine's bash, and their stdout, stderr and exit statuses must be equal byte for byte. The
 * times in the unified and context headers are masked (the real files were written just now).
 *
 * Besides hand-picked cases, a few hundred seeded random file pairs check that the simulated
 * diff chooses the same edit script as GNU's among the many minimal ones (normal and unified
 * formats, and a few with -c, -i, -b, -w).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { World } from '../../src/sim/world';
import { world } from './helpers';
import { Rng } from '../../src/sim/kernel/rng';

const HOST = 'redis-1';
/** Where the files live in the simulation; the real ones are in `<tmp>/w`. */
const SIM_DIR = '/t/w';
/** 2024-05-01 10:00:00 UTC, the modification time of the fixed files. */
const FIXED_MTIME_S = 1714557600;

const lines = (...ls: string[]) => ls.map((l) => l + '\n').join('');

/** The fixed files (directories are created from the paths). */
const FILES: Record<string, string> = {
  a: lines('one', 'two', 'three', 'four', 'five'),
  b: lines('one', 'TWO', 'three', 'five', 'six'),
  same: lines('one', 'two', 'three', 'four', 'five'),
  empty: '',
  nonl1: 'x\ny',
  nonl2: 'x\ny\n',
  nonl3: 'x\nz',
  long1: Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join(''),
  long2: Array.from({ length: 30 }, (_, i) => (i === 4 ? 'changed\n' : i === 20 ? '' : `line ${i + 1}\n`)).join('') + 'extra\n',
  case1: lines('Hello World', 'foo'),
  case2: lines('hello world', 'FOO'),
  space1: lines('a b', '  c', 'd\t', 'e f'),
  space2: lines('a   b', 'c', 'd', 'ef'),
  blank1: lines('a', '', 'b', 'c'),
  blank2: lines('a', 'b', '', 'c', ''),
  bin1: 'abc\0def\n',
  bin2: 'abc\0xyz\n',
  bin3: 'abc\0def\n',
  'we ird': lines('w'),
  func1: lines('int main(void)', '{', '  a;', '  b;', '  c;', '  d;', '  e;', '  f;', '  g;', '}', '', 'static int helper(int x)', '{', '  return x;', '}'),
  func2: lines('int main(void)', '{', '  A;', '  b;', '  c;', '  d;', '  e;', '  f;', '  G;', '}', '', 'static int helper(int x)', '{', '  return x + 1;', '}'),
  'd1/f': lines('f1'),
  'd1/same': lines('s'),
  'd1/only1': lines('o'),
  'd1/sub/g': lines('g1'),
  'd1/sub/deep/h': lines('h'),
  'd1/fd/x': lines('x'),
  'd1/ef': '',
  'd1/a': lines('one', 'two'),
  'd2/f': lines('f2'),
  'd2/same': lines('s'),
  'd2/only2': lines('o'),
  'd2/sub/g': lines('g2'),
  'd2/sub/deep/h': lines('h', 'h2'),
  'd2/fd': lines('not a dir'),
  'd2/ef': '',
  'd2/bin': 'x\0y',
  'd1/bin': 'x\0z',
  "e1/it's": '1\n', "e2/it's": '2\n', 'e1/a$b': '1\n', 'e2/a$b': '2\n', 'e1/tab\tx': '1\n', 'e2/tab\tx': '2\n',
  'e1/q"r': '1\n', 'e2/q"r': '2\n',
};
/** Directories that exist only on one side. */
const DIRS = ['d1/onlydir', 'd2/sub/only2dir'];

let tmp = '';
let w: World;

function real(script: string): string {
  try {
    return execFileSync('bash', ['--norc', '--noprofile', '-c', script], {
      cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'latin1', maxBuffer: 64 << 20,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', TZ: 'UTC' },
    });
  } catch (e) {
    throw new Error(`real bash failed: ${(e as { stderr?: string }).stderr ?? e}`);
  }
}

function writeBoth(files: Record<string, string>, mtimeS: number | null): void {
  const disk = w.host(HOST).disk;
  for (const [path, content] of Object.entries(files)) {
    const realPath = join(tmp, 'w', path);
    mkdirSync(join(realPath, '..'), { recursive: true });
    writeFileSync(realPath, Buffer.from(content, 'latin1'));
    w.writeFile(HOST, `${SIM_DIR}/${path}`, Buffer.from(content, 'latin1'));
    if (mtimeS !== null) {
      utimesSync(realPath, mtimeS, mtimeS);
      disk.lookup(`${SIM_DIR}/${path}`)!.mtimeMs = mtimeS * 1000;
    }
  }
}

/** The header times of the unified and context formats, which only the real clock decides. */
const maskTimes = (text: string) => text.replace(/\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} [-+]\d{4}$/gm, '\t<time>');

interface Outcome { rc: number; out: string; err: string }

/** One script for both shells: each command's stdout and stderr captured apart, then its status. */
function script(cmds: string[], dir: string): string {
  return [`cd ${dir}`, ...cmds.map((c, i) =>
    `printf '\\n<<case ${i}>>\\n'; { ${c}; } >../out 2>../err; printf '\\n<<rc %s>>\\n' $?; cat ../out; printf '\\n<<err>>\\n'; cat ../err`),
  ].join('\n') + '\n';
}

function outcomes(cmds: string[], text: string): Record<string, Outcome> {
  const parts = text.split(/\n<<case \d+>>\n/).slice(1);
  expect(parts.length).toBe(cmds.length);
  const result: Record<string, Outcome> = {};
  parts.forEach((part, i) => {
    const m = /^([\s\S]*)\n<<rc (\d+)>>\n([\s\S]*)\n<<err>>\n([\s\S]*)$/.exec(part);
    if (!m) throw new Error(`unparsable output for ${cmds[i]}: ${JSON.stringify(part)}`);
    result[`${i}: ${cmds[i]}`] = { rc: Number(m[2]), out: maskTimes(m[1] + m[3]), err: m[4] };
  });
  return result;
}

async function differential(cmds: string[]): Promise<void> {
  const sim = await w.exec(HOST, script(cmds, SIM_DIR), { timeoutMs: 600_000 });
  const realText = real(script(cmds, join(tmp, 'w')));
  expect(outcomes(cmds, sim.output)).toEqual(outcomes(cmds, realText));
}


/**
 * A random file pair: lines from a small alphabet (so that many lines repeat and ties between
 * minimal scripts abound), the second file an edit of the first or unrelated, sometimes without
 * a final newline; some pairs are long enough for GNU's handling of frequent lines to matter.
 */
function randomPair(next: () => number): [string, string] {
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const alphabet = pick([['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c', 'd', 'e'], ['x', 'y', 'z', '', 'A', 'a ']]);
  const long = next() < 0.2;
  const count = long ? 20 + Math.floor(next() * 60) : Math.floor(next() * 12);
  let uniques = 0;
  const line = () => (next() < (long ? 0.15 : 0.1) ? `u${uniques++}` : pick(alphabet));
  const first = Array.from({ length: count }, line);
  let second: string[];
  if (next() < 0.2) second = Array.from({ length: Math.floor(next() * (count + 4)) }, line);
  else {
    second = [...first];
    const edits = 1 + Math.floor(next() * (long ? 12 : 4));
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(next() * (second.length + 1));
      const r = next();
      if (r < 0.35) second.splice(at, 1);
      else if (r < 0.7) second.splice(at, 0, line());
      else second.splice(at, 1, line());
    }
  }
  const text = (ls: string[]) => ls.join('\n') + (ls.length && next() < 0.9 ? '\n' : '');
  return [text(first), text(second)];
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'halab-diff-'));
  w = world();
  w.host(HOST).disk.mkdir(SIM_DIR, true, w.now);
  mkdirSync(join(tmp, 'w'), { recursive: true });
  for (const d of DIRS) {
    w.host(HOST).disk.mkdir(`${SIM_DIR}/${d}`, true, w.now);
    mkdirSync(join(tmp, 'w', d), { recursive: true });
  }
  writeBoth(FILES, FIXED_MTIME_S);
});

afterAll(() => {
  w?.dispose();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('diff against GNU diffutils', () => {
  it('the normal format, identical files, missing newlines, exit statuses', async () => {
    await differential([
      'diff a b', 'diff b a', 'diff a same', 'diff a empty', 'diff empty a', 'diff empty empty',
      'diff nonl1 nonl2', 'diff nonl2 nonl1', 'diff nonl1 nonl3', 'diff nonl1 a', 'diff long1 long2',
      'diff a /dev/null', 'diff /dev/null b', "diff 'we ird' a",
    ]);
  });

  it('unified and context formats with their contexts and ranges', async () => {
    await differential([
      'diff -u a b', 'diff -U 0 a b', 'diff -U1 long1 long2', 'diff -u long1 long2', 'diff --unified=5 long1 long2',
      'diff -u nonl1 nonl2', 'diff -u nonl1 nonl3', 'diff -u empty a', 'diff -u a empty', 'diff -u a same',
      'diff -U 0 -u long1 long2', 'diff -u -U 1 long1 long2', 'diff --unified long1 long2',
      'diff -c a b', 'diff -C 0 long1 long2', 'diff -c long1 long2', 'diff -c empty a', 'diff -c a empty',
      'diff -c nonl1 nonl3', 'diff --context=1 long1 long2', "diff -u 'we ird' a",
      'diff -u --label x --label=y a b', 'diff -c -L x -L y a b', 'diff a b -u', 'diff --normal a b',
      'diff -up func1 func2', 'diff -cp func1 func2', 'diff -U1 --show-c-function func1 func2', 'diff -p func1 func2',
    ]);
  });

  it('-q, -s, -i, -b, -w, -B, -a and binary files', async () => {
    await differential([
      'diff -q a b', 'diff --brief a same', 'diff -s a same', 'diff -s a b', 'diff -qs a same',
      'diff case1 case2', 'diff -i case1 case2', 'diff --ignore-case -u case1 case2',
      'diff space1 space2', 'diff -b space1 space2', 'diff -w space1 space2', 'diff -bu space1 space2',
      'diff -w nonl1 nonl2', 'diff -b nonl1 nonl2', 'diff -i nonl1 nonl2', 'diff -bi case1 case2',
      'diff blank1 blank2', 'diff -B blank1 blank2', 'diff -Bu blank1 blank2',
      'diff bin1 bin2', 'diff bin1 bin3', 'diff -q bin1 bin2', 'diff bin1 a', 'diff -s bin1 bin3', 'diff -a bin1 bin2',
    ]);
  });

  it('directories: one level, -r, -q, -s, -N, a directory and a file', async () => {
    await differential([
      'diff d1 d2', 'diff -r d1 d2', 'diff -ru d1 d2', 'diff -r -u d1 d2', 'diff -rq d1 d2', 'diff -rs d1 d2',
      'diff -rN d1 d2', 'diff -U 1 -r d1 d2', 'diff --recursive -c d1 d2', 'diff d1/ d2/', 'diff -r d1/sub d2/sub',
      'diff d1 a', 'diff a d1', 'diff -u d1 a', 'diff d1 b', 'diff d1/f d2', 'diff d1 d2/f',
      'diff --unified=1 -r d1 d2', 'diff -q d1 d2', 'diff e1 e2', 'diff -u e1 e2', "diff -r -L 'a b' -L \"c'd\" e1 e2",
      "diff -r -L $'\\xc3\\xa9' e1 e2", "diff -u -L 'a b' -L $'\\xc3\\xa9' a b", "diff -u e1/it\\'s 'e2/a$b'",
    ]);
  });

  it('standard input, operand and option errors', async () => {
    await differential([
      'diff - b < a', 'diff a - < b', 'diff -u - a < a', 'diff - - < a', 'diff - d1 < a', 'cat a | diff -q - b',
      'diff nope a', 'diff a nope', 'diff nope nope2', 'diff d1 nope', 'diff -N nope a', 'diff -N a nope',
      'diff', 'diff a', 'diff -u a', 'diff a b c', 'diff -z a b', 'diff --foo a b', 'diff -U x a b', 'diff -U',
      'diff -u -c a b', 'diff -U 1 -C 1 a b', 'diff --label', 'diff -U -1 a b', 'diff --normal -u a b',
      'diff --unified=x a b', 'diff --context=2 --unified a b', 'diff --brief=1 a b', 'diff --foo=1 a b'
    ]);
  });

  it('header times: the modification time to the nanosecond, unmasked where both sides agree', async () => {
    // The fixed files have the same mtime in both worlds, so their headers can match exactly.
    const cmd = "diff -u a b; diff -c a b; diff -u -L x a b; diff -r d1/sub d2/sub; true";
    expect((await w.exec(HOST, `cd ${SIM_DIR}; ${cmd}`)).output).toBe(real(`cd w; ${cmd}`));
    expect(real('cd w; diff -u a b; true').split('\n').slice(0, 2)).toEqual(['--- a\t2024-05-01 10:00:00.000000000 +0000', '+++ b\t2024-05-01 10:00:00.000000000 +0000']);
  });

  it('chooses the same edit script as GNU on random small files', async () => {
    const random = new Rng(20240501, 'diff-test');
    const next = () => random.next();
    const pairs: Record<string, string> = {};
    const cmds: string[] = [];
    const PAIRS = 300;
    for (let k = 0; k < PAIRS; k++) {
      const [x, y] = randomPair(next);
      pairs[`r/${k}a`] = x;
      pairs[`r/${k}b`] = y;
      cmds.push(`diff r/${k}a r/${k}b`);
      if (k % 2 === 0) cmds.push(`diff -u r/${k}a r/${k}b`);
      if (k % 10 === 1) cmds.push(`diff -U1 r/${k}a r/${k}b`);
      if (k % 10 === 3) cmds.push(`diff -c r/${k}a r/${k}b`);
      if (k % 10 === 5) cmds.push(`diff -iw r/${k}a r/${k}b`);
      if (k % 10 === 7) cmds.push(`diff -bu r/${k}a r/${k}b`);
    }
    writeBoth(pairs, FIXED_MTIME_S);
    // A lighter script than differential()'s (one process per case: these are many, and the
    // real side's forks dominate): stderr joins stdout, as nothing is expected there.
    const light = (dir: string) => [`cd ${dir}`, ...cmds.map((c, i) => `echo "<<case ${i}>>"; ${c} 2>&1; echo "<<rc $?>>"`)].join('\n');
    const byCase = (text: string) => {
      const parts = text.split(/<<case \d+>>\n/).slice(1);
      expect(parts.length).toBe(cmds.length);
      return Object.fromEntries(parts.map((p, i) => [`${i}: ${cmds[i]}`, maskTimes(p)]));
    };
    const sim = await w.exec(HOST, light(SIM_DIR), { timeoutMs: 600_000 });
    expect(byCase(sim.output)).toEqual(byCase(real(light(join(tmp, 'w')))));
  });
});

describe('what only the simulation decides', () => {
  it('header times follow the host time zone and the virtual clock', async () => {
    const w2 = world({ hosts: [{ name: 'tokyo', ip: '10.0.0.5', tzOffsetMinutes: 540 }] });
    w2.writeFile('tokyo', '/etc/a.conf', 'port 6379\n');
    await w2.advance(1500);
    w2.writeFile('tokyo', '/etc/b.conf', 'port 6380\n');
    const r = await w2.exec('tokyo', 'diff -u /etc/a.conf /etc/b.conf; echo rc=$?');
    expect(r.output).toMatch(/^--- \/etc\/a\.conf\t2024-05-01 19:00:00\.000000000 \+0900\n\+\+\+ \/etc\/b\.conf\t2024-05-01 19:00:01\.5\d{8} \+0900\n@@ -1 \+1 @@\n-port 6379\n\+port 6380\nrc=1\n$/);
    w2.dispose();
  });
});
