/**
 * ps's line width as procps 4's: at a terminal a line ends at the terminal's width (only the
 * COMMAND column is cut, headers are not); `w` widens to 132, `ww` lifts the limit; through a
 * pipe nothing is cut unless $COLUMNS or --cols says so; the width is then the smallest multiple
 * of the screen's that holds the columns before COMMAND and 3 of its characters. (Pids differ
 * from the real machine's, so these are behaviour tests; the rules were read off procps 4.0.2
 * and checked with this machine's ps.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../src/sim/world';
import { typeAndRun, world } from './helpers';

let w: World;
let term: number;
let columns: number;
/** The lines of a command's output at the terminal, without the echoed command and the prompt. */
const run = async (line: string): Promise<string[]> => (await typeAndRun(w, term, line)).split('\n').slice(1, -1);
const sleeper = (lines: string[]) => lines.find((l) => / sleep( |$)/.test(l))!;

beforeAll(async () => {
  w = world();
  term = w.openTerminal('redis-1');
  columns = w.terminal(term)!.columns;
  // A command line longer than any screen here.
  await typeAndRun(w, term, `sleep 1000 ${'0 '.repeat(100)}&`);
});

describe('ps at a terminal', () => {
  it('cuts each line at the terminal\'s width (ps aux, ps -ef), not its header', async () => {
    const full = sleeper(await run('ps auxww'));
    expect(full.length).toBeGreaterThan(columns + 100);
    for (const cmd of ['ps aux', 'ps -ef']) {
      const lines = await run(cmd);
      expect(lines.length).toBeGreaterThan(3);
      for (const l of lines) expect(l.length, `${cmd}: ${l}`).toBeLessThanOrEqual(columns);
      expect(sleeper(lines).length).toBe(columns);
    }
    expect(sleeper(await run('ps aux'))).toBe(full.slice(0, columns));
  });

  it('w widens to 132 columns, ww and -ww lift the limit', async () => {
    expect(sleeper(await run('ps auxw')).length).toBe(Math.max(132, columns));
    expect(sleeper(await run('ps -efw')).length).toBe(Math.max(132, columns));
    for (const cmd of ['ps auxww', 'ps aux ww', 'ps -efww', 'ps -ef -ww', 'ps -ww -ef']) {
      expect(sleeper(await run(cmd)), cmd).toMatch(/sleep 1000 (0 ){99}0$/);
    }
  });

  it('$COLUMNS and --cols set the width; a line holds at least the columns before COMMAND and 3 of it', async () => {
    const aux = await run('COLUMNS=70 ps aux');
    expect(aux[0]).toMatch(/ COMMAND$/);
    expect(aux[0].length).toBe(72);
    expect(sleeper(aux)).toMatch(/ sleep$/);
    expect(sleeper(aux).length).toBe(70);
    // ps -ef's columns before CMD take 48: 30 is too narrow, so the line is twice that.
    expect(sleeper(await run('COLUMNS=30 ps -ef')).length).toBe(60);
    expect(sleeper(await run('COLUMNS=0x30 ps -ef')).length).toBe(96);
    expect(sleeper(await run('ps --cols 100 aux')).length).toBe(100);
    expect(sleeper(await run('ps --width=90 -ef')).length).toBe(90);
    expect(sleeper(await run('COLUMNS=90 ps auxww'))).toMatch(/sleep 1000 (0 ){99}0$/);
  });

  it('a bogus screen is warned of; --cols without a number is refused', async () => {
    expect((await run('COLUMNS=5 ps -ef'))[0]).toBe('your 5x24 screen size is bogus. expect trouble');
    expect((await run('LINES=1 ps -ef'))[0]).toBe(`your ${columns}x1 screen size is bogus. expect trouble`);
    const refused = await run('ps --cols x aux; echo "rc=$?"');
    expect(refused[0]).toBe('error: number of columns must follow --cols, --width, or --columns');
    expect(refused[refused.length - 1]).toBe('rc=1');
  });
});

describe('ps through a pipe', () => {
  it('cuts nothing, unless $COLUMNS or --cols asks', async () => {
    const fullLine = sleeper(await run('ps auxww'));
    expect(sleeper(await run('ps aux | cat'))).toBe(fullLine);
    expect(sleeper(await run('ps -ef | cat'))).toMatch(/sleep 1000 (0 ){99}0$/);
    expect(sleeper(await run('COLUMNS=80 ps aux | cat'))).toBe(fullLine.slice(0, 80));
    expect(sleeper(await run('ps --columns 75 aux | cat'))).toBe(fullLine.slice(0, 75));
    expect(sleeper(await run('COLUMNS=80 ps -o pid,args | cat')).length).toBe(80);
  });
});
