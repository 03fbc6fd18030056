/**
 * Path name utilities: `basename` and `dirname` (GNU coreutils). They work on the text of their
 * operands only and never look at the disk.
 */
import type { Command } from '../context';
import { quoted, usage } from '../context';

/** The last component of `name`, trailing slashes ignored; a name of only slashes is `/`. */
export function baseName(name: string): string {
  if (name === '') return '';
  const trimmed = name.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** All but the last component, trailing slashes ignored; `.` when there is no slash. */
export function dirName(name: string): string {
  const trimmed = name.replace(/\/+$/, '');
  if (trimmed === '' && name !== '') return '/';
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  const parent = trimmed.slice(0, slash).replace(/\/+$/, '');
  return parent === '' ? '/' : parent;
}

/**
 * Split options from operands like getopt_long: `--` ends the options, `-s` takes a value
 * (`-s .h`, `-s.h`, `--suffix=.h`). dirname accepts options after operands; basename stops at
 * its first operand (`basename a -z` strips the suffix `-z`). Returns an error message on misuse.
 */
function parseOptions(argv: string[], allowed: string, stopAtOperand: boolean): { flags: Set<string>; suffix: string | null; operands: string[] } | string {
  const flags = new Set<string>();
  let suffix: string | null = null;
  const operands: string[] = [];
  const longNames: Record<string, string> = { '--multiple': 'a', '--zero': 'z', '--suffix': 's' };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { operands.push(...argv.slice(i + 1)); break; }
    if (a === '-' || !a.startsWith('-')) {
      if (stopAtOperand) { operands.push(...argv.slice(i)); break; }
      operands.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const [long, value] = a.split(/=(.*)/s);
      const letter = longNames[long];
      if (!letter || !allowed.includes(letter)) return `unrecognized option '${long}'`;
      if (letter === 's') {
        const v = value ?? argv[++i];
        if (v === undefined) return "option '--suffix' requires an argument";
        suffix = v;
      }
      flags.add(letter);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (!allowed.includes(c)) return `invalid option -- '${c}'`;
      flags.add(c);
      if (c === 's') {
        const v = a.slice(j + 1) || argv[++i];
        if (v === undefined) return "option requires an argument -- 's'";
        suffix = v;
        break;
      }
    }
  }
  return { flags, suffix, operands };
}

export const basename: Command = function* (ctx, argv) {
  const parsed = parseOptions(argv, 'asz', true);
  if (typeof parsed === 'string') return usage(ctx, 'basename', parsed);
  const { flags, operands } = parsed;
  let { suffix } = parsed;
  // -s implies -a; without either, `basename NAME SUFFIX` is the classic two-operand form.
  const multiple = flags.has('a') || flags.has('s');
  if (operands.length === 0) return usage(ctx, 'basename', 'missing operand');
  if (!multiple && operands.length > 2) return usage(ctx, 'basename', `extra operand ${quoted(operands[2])}`);
  const names = multiple ? operands : [operands[0]];
  if (!multiple && operands.length === 2) suffix = operands[1];
  const end = flags.has('z') ? '\0' : '\n';
  for (const name of names) {
    let base = baseName(name);
    // The suffix goes only when something is left of the name.
    if (suffix && base !== suffix && base.endsWith(suffix)) base = base.slice(0, -suffix.length);
    ctx.out(base + end);
  }
  return 0;
};

export const dirname: Command = function* (ctx, argv) {
  const parsed = parseOptions(argv, 'z', false);
  if (typeof parsed === 'string') return usage(ctx, 'dirname', parsed);
  if (parsed.operands.length === 0) return usage(ctx, 'dirname', 'missing operand');
  const end = parsed.flags.has('z') ? '\0' : '\n';
  for (const name of parsed.operands) ctx.out(dirName(name) + end);
  return 0;
};
