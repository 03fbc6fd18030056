/**
 * parseOpts against glibc 2.36's getopt_long itself, where the simulated tools cannot show it:
 * a small C program over a table with what no real tool's table has (one key with two argument
 * rules, one option spelled two ways after another, optional arguments, a name that is also a
 * prefix), compiled here (skipped without a C compiler); and the real ss, netstat and cut run
 * under another argv[0], which getopt's line starts with (the simulated shell runs a tool only
 * by its name, so its argv[0] is that name).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOpts, type NamedLongOpt, type OptSpec } from '../../src/sim/shell/commands/operands';
import { SS_OPTIONS } from '../../src/sim/shell/commands/ss';
import { NETSTAT_OPTIONS } from '../../src/sim/shell/commands/netstat';

/** Each key is one letter: getopt_long's val. */
const TABLE: NamedLongOpt[] = [
  { name: 'alpha', key: 'a', arg: false },
  { name: 'alpine', key: 'a', arg: true },
  { name: 'beta', key: 'b', arg: false },
  { name: 'betamax', key: 'b', arg: false },
  { name: 'betty', key: 'B', arg: false },
  { name: 'bet', key: 'X', arg: false },
  { name: 'delta', key: 'd', arg: 'optional' },
  { name: 'deltb', key: 'd', arg: 'optional' },
  { name: 'unix', key: 'u', arg: false },
  { name: 'unix', key: 'x', arg: false },
];
const SPEC: OptSpec = { flags: 'ax', withArg: 'c', optionalArg: 'e', long: TABLE };
const OPTSTRING = 'axc:e::';

const HAS_ARG = { false: 'no_argument', true: 'required_argument', optional: 'optional_argument' } as const;

/** Prints each option as `key name value` (name `-` for a short one), stops at getopt's '?', then the operands. */
const PROGRAM = `#include <getopt.h>
#include <stdio.h>
int main(int argc, char **argv) {
  static struct option table[] = {
${TABLE.map((o) => `    {"${o.name}", ${HAS_ARG[String(o.arg) as keyof typeof HAS_ARG]}, 0, '${o.key}'},`).join('\n')}
    {0, 0, 0, 0}};
  int c, index;
  setvbuf(stdout, 0, _IONBF, 0);
  while ((index = -1, c = getopt_long(argc, argv, "${OPTSTRING}", table, &index)) != -1) {
    if (c == '?') return 1;
    printf("%c %s %s\\n", c, index < 0 ? "-" : table[index].name, optarg ? optarg : "");
  }
  for (; optind < argc; optind++) printf("operand %s\\n", argv[optind]);
  return 0;
}
`;

/** What the C program would print, from parseOpts. */
function ours(argv: string[]): { stdout: string; stderr: string } {
  const r = parseOpts(argv, SPEC);
  const opts = 'error' in r ? r.parsed : r.opts;
  const stdout = opts.map((o) => `${o.key} ${o.name ?? '-'} ${o.value}\n`).join('') + ('error' in r ? '' : r.operands.map((op) => `operand ${op}\n`).join(''));
  return { stdout, stderr: 'error' in r ? `${r.error}\n` : '' };
}

const haveCc = spawnSync('cc', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'getopt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!haveCc)('parseOpts and glibc\'s getopt_long over one table', () => {
  it('exact names, prefixes ambiguous only against the first match (key and argument rule), values, errors, argv[0]', () => {
    writeFileSync(join(dir, 'g.c'), PROGRAM);
    const cc = spawnSync('cc', ['-o', join(dir, 'g'), join(dir, 'g.c')], { encoding: 'utf8' });
    expect(cc.stderr).toBe('');
    const cases = [
      // One key, two argument rules: ambiguous.
      ['--al'], ['--alp=1'], ['--alpi', 'v'], ['--alpine'], ['--alph'],
      // beta and betamax are one option: left out of the list after the first, taken when alone.
      ['--be'], ['--be=x'], ['--betam'], ['--bet'], ['--bett'], ['--beta=1'], ['--betx=1'],
      ['--de=3', 'op'], ['--de', '3'], ['--deltb='], ['--un'], ['--unix'], ['--=x'], ['--x'],
      ['-ax', 'op', '--alpha', 'op2'], ['-ac1', '-c', '2', '--', '-a'], ['-c'], ['-e5', '-e', 'op'], ['-q'], ['-a:'],
      ['op', '--foo=bar', '--alpha'], ['--foo'],
    ];
    for (const args of cases) {
      for (const argv0 of ['prog', '/tmp/other name']) {
        const real = spawnSync(join(dir, 'g'), args, { argv0, encoding: 'utf8' });
        expect(ours([argv0, ...args]), `${argv0} ${args.join(' ')}`).toEqual({ stdout: real.stdout, stderr: real.stderr });
      }
    }
  });
});

/** The first line the real program writes to standard error when run as `argv0`. */
function realFirstLine(program: string, argv0: string, args: string[]): string | null {
  const r = spawnSync(program, args, { argv0, encoding: 'utf8', input: '' });
  return r.error ? null : r.stderr.split('\n')[0];
}

describe('getopt\'s line starts with argv[0], whatever the tool calls itself', () => {
  const cases: [string, OptSpec, string[]][] = [
    ['ss', SS_OPTIONS, ['--foo=1']], ['ss', SS_OPTIONS, ['--t']], ['ss', SS_OPTIONS, ['-f']],
    ['netstat', NETSTAT_OPTIONS, ['--foo=1']], ['netstat', NETSTAT_OPTIONS, ['--in']], ['netstat', NETSTAT_OPTIONS, ['-y']],
    ['cut', { flags: 'nsz', withArg: 'bcdf', long: { bytes: { key: 'b', arg: true }, characters: { key: 'c', arg: true }, complement: { key: 'complement', arg: false } } }, ['--c=1']],
  ];
  for (const [program, spec, args] of cases) {
    const argv0 = `/tmp/my-${program}`;
    const real = realFirstLine(program, argv0, args);
    it.skipIf(real === null)(`${argv0} ${args.join(' ')}`, () => {
      const r = parseOpts([argv0, ...args], spec);
      expect('error' in r ? r.error : null).toBe(real);
    });
  }
});
