/**
 * What the GNU filters share: getopt_long-style option parsing (with its exact messages) and
 * reading the file operands in order, chunk by chunk. Reading in chunks matters in a pipeline:
 * a filter passes lines on before its input ends, so `yes | tr y n | head -3` finishes when
 * head has its lines, as on Linux.
 */
import type { CmdCtx } from '../context';
import { readChunk, readText } from '../context';
import type { TaskGen } from '../../kernel/tasks';

/**
 * A long option: its canonical key (what `opts` stores it under) and whether it takes a value;
 * an optional value can only be attached (`--color=never`). Two long options with the same key
 * and argument rule are one option spelled two ways (`--color`/`--colour`): getopt_long's
 * struct option entries with the same flag, has_arg and val.
 */
export interface LongOpt { key: string; arg: boolean | 'optional' }

/** A long option with its name, for a table that has one name twice (net-tools' `--unix`). */
export interface NamedLongOpt extends LongOpt { name: string }

export interface OptSpec {
  /** Short options without a value, e.g. 'snz'. */
  flags: string;
  /** Short options that take a value, e.g. 'bcdf'. */
  withArg: string;
  /** Short options whose value is optional and can only be attached (xargs' `-i[R]`, `-l[N]`). */
  optionalArg?: string;
  /** In the program's table order: the order glibc lists an ambiguous prefix's possibilities in. */
  long?: Record<string, LongOpt> | readonly NamedLongOpt[];
  /** Stop at the first operand (xargs, whose operands are a command line with its own options). */
  stopAtOperand?: boolean;
}

/**
 * One option as given: its key and value ('' when it has none). `name` is the long option's
 * full name when it was given as one (getopt_long's longindex; net-tools reads the address
 * family from it).
 */
export interface ParsedOpt { key: string; value: string; name?: string }

/** Each option occurrence in order (a later one may override or conflict with an earlier one). */
export interface ParsedOpts { opts: ParsedOpt[]; operands: string[] }

/**
 * Parse argv like glibc 2.36's getopt_long: bundled short options (`-sd:`), values attached or
 * in the next word, `--name=value` / `--name value`, long names by a prefix, `--` ending the
 * options, and options after operands unless `stopAtOperand`.
 *
 * A prefix is refused as ambiguous only when some long option it matches differs from the
 * first one it matches (in key or argument rule); glibc lists that first one and those that
 * differ from it, and otherwise takes the first one. An exact name always wins.
 *
 * On failure `error` is glibc's whole line without its newline, starting with argv[0] (the name
 * the program was run by, not its own name: `(exec -a x cut --foo)` says `x: unrecognized…`)
 * and quoting the word as given (`--foo=bar`, value included); `parsed` has the options before
 * the bad one (getopt hands those over first: a tool may act on them before it fails).
 */
export function parseOpts(argv: readonly string[], spec: OptSpec): ParsedOpts | { error: string; parsed: ParsedOpt[] } {
  const opts: ParsedOpt[] = [];
  const operands: string[] = [];
  const fail = (msg: string) => ({ error: `${argv[0]}: ${msg}`, parsed: opts });
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') {
      if (spec.stopAtOperand) break;
      operands.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const found = findLong(a.slice(2, eq < 0 ? undefined : eq), spec.long ?? {});
      if (found === null) return fail(`unrecognized option '${a}'`);
      if (Array.isArray(found)) return fail(`option '${a}' is ambiguous; possibilities:${found.map((n) => ` '--${n}'`).join('')}`);
      const { name, key, arg } = found;
      if (arg === 'optional') { opts.push({ key, value: eq >= 0 ? a.slice(eq + 1) : '', name }); continue; }
      if (!arg) {
        if (eq >= 0) return fail(`option '--${name}' doesn't allow an argument`);
        opts.push({ key, value: '', name });
        continue;
      }
      if (eq >= 0) { opts.push({ key, value: a.slice(eq + 1), name }); continue; }
      if (i + 1 >= argv.length) return fail(`option '--${name}' requires an argument`);
      opts.push({ key, value: argv[++i], name });
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (spec.optionalArg?.includes(c)) { opts.push({ key: c, value: a.slice(j + 1) }); break; }
      if (spec.withArg.includes(c)) {
        if (j + 1 < a.length) { opts.push({ key: c, value: a.slice(j + 1) }); break; }
        if (i + 1 >= argv.length) return fail(`option requires an argument -- '${c}'`);
        opts.push({ key: c, value: argv[++i] });
        break;
      }
      if (!spec.flags.includes(c)) return fail(`invalid option -- '${c}'`);
      opts.push({ key: c, value: '' });
    }
  }
  for (; i < argv.length; i++) operands.push(argv[i]);
  return { opts, operands };
}

/**
 * The long option `name` stands for: an exact name (the first entry with it), else the first
 * entry it is a prefix of; null when there is none, the possibilities glibc names when the
 * prefix is ambiguous.
 */
function findLong(name: string, long: Record<string, LongOpt> | readonly NamedLongOpt[]): NamedLongOpt | string[] | null {
  const table = Array.isArray(long) ? long : Object.entries(long).map(([n, def]) => ({ name: n, ...def }));
  const exact = table.find((o) => o.name === name);
  if (exact) return exact;
  const matches = table.filter((o) => o.name.startsWith(name));
  if (matches.length === 0) return null;
  const [first] = matches;
  const differ = matches.filter((o) => o.key !== first.key || o.arg !== first.arg);
  return differ.length === 0 ? first : [first, ...differ].map((o) => o.name);
}

/**
 * A GNU tool's answer to a bad option: getopt's line (parseOpts' error), then the tool's
 * "Try 'NAME --help'" line; status 1.
 */
export function badOption(ctx: CmdCtx, name: string, line: string): number {
  ctx.err(`${line}\nTry '${name} --help' for more information.\n`);
  return 1;
}

/** The process was killed (SIGPIPE after its reader went away, Ctrl-C): stop producing. */
export function alive(ctx: CmdCtx): boolean {
  return ctx.proc.state === 'running';
}

export type OpenErrno = 'ENOENT' | 'EISDIR' | 'ENOTDIR';

/** Standard input when there is no operand (a name no file can have). */
const STDIN = '\0stdin';

/** What a filter does with one operand's bytes: chunks as they come, then its end. */
export interface Consumer { chunk(text: string): void; end(): void }

/**
 * Feed each operand (`-`, or standard input when there is none) to a fresh consumer, in order
 * (`dashIsStdin` false: `-` is a file name, as for util-linux tools).
 * A file that cannot be read is reported with `openError` (the whole line after `name: `) and
 * skipped, like GNU filters do; returns whether every operand was read.
 */
export function* eachOperand(ctx: CmdCtx, files: string[], openError: (file: string, errno: OpenErrno) => string, consumer: (file: string) => Consumer, dashIsStdin = true): TaskGen<boolean> {
  let ok = true;
  for (const f of files.length > 0 ? files : [STDIN]) {
    if (f === STDIN || (f === '-' && dashIsStdin)) {
      const c = consumer('-');
      for (;;) {
        const chunk: string | null = yield readChunk(ctx);
        if (chunk === null || !alive(ctx)) break;
        c.chunk(chunk);
      }
      c.end();
      continue;
    }
    const r = readText(ctx, f);
    if ('error' in r) { ctx.err(`${openError(f, r.error)}\n`); ok = false; continue; }
    const c = consumer(f);
    c.chunk(r.text);
    c.end();
  }
  return ok;
}

/**
 * Cut a byte stream into lines ended by `sep`: `onLine` gets each line without its separator and
 * whether it had one (the last line of a file may not).
 */
export function lineSplitter(onLine: (line: string, terminated: boolean) => void, sep = '\n'): Consumer {
  let rest = '';
  return {
    chunk(text: string) {
      const parts = (rest + text).split(sep);
      rest = parts.pop()!;
      for (const p of parts) onLine(p, true);
    },
    end() {
      if (rest !== '') onLine(rest, false);
      rest = '';
    },
  };
}

/**
 * A byte string cut into characters as a UTF-8 locale sees them: each valid multibyte sequence
 * is one character, any other byte is one on its own (the simulation's text is bytes, while
 * `rev` and `expr` count characters under LANG=C.UTF-8).
 */
export function utf8Chars(s: string): string[] {
  return s.match(/[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}|[\s\S]/g) ?? [];
}
