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
 * an optional value can only be attached (`--color=never`).
 */
export interface LongOpt { key: string; arg: boolean | 'optional' }

export interface OptSpec {
  /** Short options without a value, e.g. 'snz'. */
  flags: string;
  /** Short options that take a value, e.g. 'bcdf'. */
  withArg: string;
  /** Short options whose value is optional and can only be attached (xargs' `-i[R]`, `-l[N]`). */
  optionalArg?: string;
  long?: Record<string, LongOpt>;
  /** Stop at the first operand (xargs, whose operands are a command line with its own options). */
  stopAtOperand?: boolean;
}

/** Each option occurrence in order (a later one may override or conflict with an earlier one). */
export interface ParsedOpts { opts: { key: string; value: string }[]; operands: string[] }

/**
 * Parse argv like glibc's getopt_long: bundled short options (`-sd:`), values attached or in the
 * next word, `--name=value` / `--name value`, unambiguous prefixes of long names, `--` ending
 * the options, and options after operands unless `stopAtOperand`. Returns the error line
 * (without the program name) on failure, with the options parsed before it (getopt hands
 * those over first: a tool may act on them before the bad one).
 */
export function parseOpts(argv: string[], spec: OptSpec): ParsedOpts | { error: string; parsed: ParsedOpts['opts'] } {
  const opts: { key: string; value: string }[] = [];
  const operands: string[] = [];
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
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const long = spec.long ?? {};
      const exact = long[name];
      const candidates = exact ? [name] : Object.keys(long).filter((n) => n.startsWith(name));
      if (candidates.length === 0) return { error: `unrecognized option '${eq < 0 ? a : a.slice(0, eq)}'`, parsed: opts };
      if (candidates.length > 1 && new Set(candidates.map((n) => long[n].key)).size > 1) {
        return { error: `option '${a.slice(0, eq < 0 ? undefined : eq)}' is ambiguous; possibilities:${candidates.map((n) => ` '--${n}'`).join('')}`, parsed: opts };
      }
      const full = candidates[0];
      const def = long[full];
      if (def.arg === 'optional') { opts.push({ key: def.key, value: eq >= 0 ? a.slice(eq + 1) : '' }); continue; }
      if (!def.arg) {
        if (eq >= 0) return { error: `option '--${full}' doesn't allow an argument`, parsed: opts };
        opts.push({ key: def.key, value: '' });
        continue;
      }
      if (eq >= 0) { opts.push({ key: def.key, value: a.slice(eq + 1) }); continue; }
      if (i + 1 >= argv.length) return { error: `option '--${full}' requires an argument`, parsed: opts };
      opts.push({ key: def.key, value: argv[++i] });
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (spec.optionalArg?.includes(c)) { opts.push({ key: c, value: a.slice(j + 1) }); break; }
      if (spec.withArg.includes(c)) {
        if (j + 1 < a.length) { opts.push({ key: c, value: a.slice(j + 1) }); break; }
        if (i + 1 >= argv.length) return { error: `option requires an argument -- '${c}'`, parsed: opts };
        opts.push({ key: c, value: argv[++i] });
        break;
      }
      if (!spec.flags.includes(c)) return { error: `invalid option -- '${c}'`, parsed: opts };
      opts.push({ key: c, value: '' });
    }
  }
  for (; i < argv.length; i++) operands.push(argv[i]);
  return { opts, operands };
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
