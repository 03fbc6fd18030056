/**
 * ls's many-per-line formats (-C, -x) against this machine's GNU ls: the same directories in the
 * simulation and in a temporary directory, laid out for several line widths (-w, $COLUMNS, -T,
 * $TABSIZE), compared byte for byte (tabs included); and ls at a simulated terminal, which lays
 * out its columns for the terminal's width.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';
import { typeAndRun, world } from './helpers';

/** Names of lengths 1 to 23, in an order that is not their sorted one. */
function manyNames(count: number): string[] {
  const stems = ['redis', 'a', 'dump', 'appendonly', 'x', 'sentinel-26379', 'nodes', 'backup-2024-01-01', 'log', 'tmp', 'conf', 'replica_of_6380', 'q'];
  return Array.from({ length: count }, (_, i) => `${stems[(i * 7) % stems.length]}${i % 3 === 0 ? '' : `.${'z'.repeat(i % 6)}${i}`}`);
}

const FILES: Record<string, string> = {};
for (const name of manyNames(57)) FILES[`many/${name}`] = 'x';
for (const name of manyNames(9)) FILES[`nine/${name}`] = '';
for (const name of ['b', 'a', 'c']) FILES[`few/${name}`] = 'data';
FILES['one/only-one-file-with-a-rather-long-name-that-overflows-narrow-lines.txt'] = 'x';
// Unicode: é is one column (two bytes), 漢字 and ｒ two columns each (three bytes).
for (const name of ['café', '漢字', '漢字ファイル.txt', 'ｒｅｄｉｓ', 'naïve-file', 'plain', 'ü', 'zz']) FILES[`uni/${name}`] = 'u';
for (const name of ['f1', 'f2.sh', 'longer-file-name']) FILES[`mixed/${name}`] = 'm';
for (const name of ['d1', 'subdirectory']) FILES[`mixed/${name}/inner`] = 'i';
FILES['mixed/empty'] = '';

const WIDTHS = [20, 40, 80, 120, 200];

const { expectSame, sim, harness } = useShellDifferential('shell-ls-columns', FILES);

beforeAll(async () => {
  // An executable, for -F's '*', on both sides.
  harness().real(['chmod +x mixed/f2.sh']);
  expect((await sim('chmod +x mixed/f2.sh')).code).toBe(0);
});

/** A line's width on the screen, tabs going to the next multiple of 8. */
const screenWidth = (line: string) => [...line].reduce((col, c) => (c === '\t' ? col + 8 - (col % 8) : col + 1), 0);

describe('ls -C and -x (differential)', () => {
  it('the number of columns and their widths for several line widths, down and across', async () => {
    await expectSame(WIDTHS.flatMap((w) => [
      `COLUMNS=${w} ls -C many`, `ls -w ${w} -x many`, `COLUMNS=${w} ls -x nine`, `ls -w ${w} -C nine`, `COLUMNS=${w} ls -C few`, `ls -w ${w} -x one`,
    ]));
  });

  it('names of two-column characters, and -F, -p, -s whose marks and sizes count in the widths', async () => {
    await expectSame(WIDTHS.flatMap((w) => [
      `COLUMNS=${w} ls -C uni`, `ls -w ${w} -x uni`, `ls -w ${w} -C -F mixed`, `ls -w ${w} -x -p mixed`, `ls -w ${w} -Cs mixed`, `ls -w ${w} -sh -x many`,
    ]));
  });

  it('tabs: -T, --tabsize, $TABSIZE; spaces only with 0', async () => {
    await expectSame([
      'ls -T 0 -w 80 -C many', 'ls -T 3 -w 60 -C many', 'ls -T4 -w 60 -x many', 'ls --tabsize=0 -w 50 -C many', 'ls --tabsize 2 -w 50 -x nine',
      'TABSIZE=4 ls -C -w 60 many', 'TABSIZE=0 ls -x -w 60 nine', 'TABSIZE=x ls -C -w 40 few', 'ls -T y many', 'ls -T -1 many',
    ]);
  });

  it('the width: -w, --width, $COLUMNS (bad values warned of or refused), 0 for no limit, the narrowest widths', async () => {
    await expectSame([
      'ls -w 0 -C many', 'ls -w 0 -x few', 'ls -w 0x28 -C many', 'ls -w 010 -C nine', 'ls -w x many', 'ls -w 08 many', 'ls -w -5 many',
      'ls -Cw30 many', 'ls --width=30 -C many', 'ls --width 30 -x many', 'ls -w 99999999999999999999999 -C nine',
      'COLUMNS=abc ls -C few', 'COLUMNS= ls -C few', 'COLUMNS=0 ls -C nine', 'COLUMNS=35 ls -w 70 -C many', 'COLUMNS=40 ls many',
      'ls -w 1 -C few', 'ls -w 2 -x few', 'ls -w 3 -C few', 'ls -w 4 -x nine', 'ls -w 7 -C nine',
    ]);
  });

  it('the last of -1, -C, -x, -l wins (-1 after -l does not); every directory and -R laid out on its own', async () => {
    await expectSame([
      'ls -C -1 -w 40 few', 'ls -1 -C -w 40 few', 'ls -x -C -w 40 nine', 'ls -C -x -w 40 nine', "ls -C -l few | awk '{print $1, $5, $NF}'",
      'ls -l -C -w 40 few', "ls -l -1 few | awk '{print $1, $NF}'", 'ls -C -w 40 many few nine', 'ls -x -w 50 -R mixed', 'ls -C -w 40 few/a few/b one',
      'ls -C -w 40 nope few', 'ls -w 40 -Cd many few nine one uni', 'ls -w 60 -Ca mixed',
    ]);
  });
});

describe('ls at a terminal', () => {
  it('lays the names out in columns for the terminal\'s width, sorted down the columns', async () => {
    const w = world();
    const term = w.openTerminal('redis-1');
    const columns = w.terminal(term)!.columns;
    await typeAndRun(w, term, 'mkdir /tmp/cols && cd /tmp/cols && for i in $(seq 1 40); do touch name-number-$i; done');
    const out = await typeAndRun(w, term, 'ls');
    const lines = out.split('\n').filter((l) => l.startsWith('name-number-'));
    // 40 names of 13 or 14 columns, 16 columns apart: as many per line as fit the terminal.
    const perLine = Math.floor((columns - 14) / 16) + 1;
    expect(lines.length).toBe(Math.ceil(40 / perLine));
    expect(lines[0].split(/\s+/).length).toBe(perLine);
    // Down the columns: the second name of the first line is the first of the second column.
    const sorted = Array.from({ length: 40 }, (_, i) => `name-number-${i + 1}`).sort();
    expect(lines[0].split(/\s+/)[1]).toBe(sorted[lines.length]);
    // Padded with tabs (tab stops every 8), as GNU's ls is at a terminal; within its width.
    expect(lines[0]).toContain('\t');
    expect(Math.max(...lines.map(screenWidth))).toBeLessThan(columns);
    // Piped, one name per line; -C through the pipe uses $COLUMNS, else 80.
    expect((await typeAndRun(w, term, 'ls | head -3')).split('\n').filter((l) => l.startsWith('name'))).toEqual(sorted.slice(0, 3));
    const piped = (await typeAndRun(w, term, 'ls -C | cat')).split('\n').filter((l) => l.startsWith('name'));
    expect(Math.max(...piped.map(screenWidth))).toBeLessThan(80);
    expect(piped[0].split(/\s+/).length).toBe(5);
  });

  it('asks the terminal before $COLUMNS, which applies only when stdout is not a terminal', async () => {
    const w = world();
    const term = w.openTerminal('redis-1');
    const columns = w.terminal(term)!.columns;
    await typeAndRun(w, term, 'mkdir /tmp/c2 && cd /tmp/c2 && for i in $(seq 1 60); do touch f$i; done');
    const atTerminal = (await typeAndRun(w, term, 'COLUMNS=20 ls')).split('\n').filter((l) => l.startsWith('f'));
    expect(Math.max(...atTerminal.map(screenWidth))).toBeGreaterThan(20);
    expect(Math.max(...atTerminal.map(screenWidth))).toBeLessThan(columns);
    const piped = (await typeAndRun(w, term, 'COLUMNS=20 ls -C | cat')).split('\n').filter((l) => l.startsWith('f'));
    expect(Math.max(...piped.map(screenWidth))).toBeLessThan(20);
    expect(piped[0].split(/\s+/).length).toBe(4);
  });
});
