/**
 * What a new bash is given to run: its command line (`bash [options] [-c TEXT | FILE] [ARG…]`,
 * or its standard input when neither is given), and, for a script file with a syntax error,
 * what bash runs of it and the error it then names.
 */
import { bytesToLatin1 } from '../kernel/kernel';
import type { TaskGen } from '../kernel/tasks';
import { resolvePath } from '../runtime/paths';
import type { CmdCtx } from './context';
import { parseBashOptions } from './options';
import { SyntaxError_, parse, type Incomplete, type List } from './parser';
import { readChunkOf } from './read-builtin';

/**
 * A new bash's run: its text (`src`), its positional parameters (`$0` first), whether the
 * text is a file's, whether it came with -c, and the options to set first.
 */
export interface BashInvocation { src: string; args: string[]; file: boolean; command: boolean; options: [string, boolean][] }

/** `argv` read as bash's command line (`ctx` the command's): what to run, or the status bash fails with (its error written). */
export function* bashInvocation(ctx: CmdCtx, argv: string[]): TaskGen<BashInvocation | { status: number }> {
  const name = argv[0];
  let src: string;
  let args: string[];
  let file = false;
  // The shell's own options before the script: -x, -e, -u, -n… (set's letters), -o NAME, -c.
  const parsed = parseBashOptions(argv, ctx.err);
  if ('status' in parsed) return parsed;
  const { options, command, next: k } = parsed;
  if (command) {
    if (argv.length <= k) { ctx.err(`${name}: -c: option requires an argument\n`); return { status: 2 }; }
    src = argv[k];
    args = [argv[k + 1] ?? name, ...argv.slice(k + 2)];
  } else if (argv.length > k) {
    const path = resolvePath(ctx.cwd, argv[k]);
    const f = ctx.host.disk.lookup(path);
    if (!f) { ctx.err(`${name}: ${argv[k]}: No such file or directory\n`); return { status: 127 }; }
    if (f.isDir) { ctx.err(`${name}: ${argv[k]}: Is a directory\n`); return { status: 126 }; }
    src = bytesToLatin1(f.bytes());
    args = argv.slice(k);
    file = true;
  } else {
    const text: string = yield* readAll(ctx);
    src = text;
    args = [name];
  }
  return { src, args, file, command, options };
}

/** All of standard input, to its end. */
function* readAll(ctx: CmdCtx): TaskGen<string> {
  let s = '';
  for (;;) {
    const c: string | null = yield readChunkOf(ctx.stdin, ctx.proc.pid);
    if (c === null) return s;
    s += c;
  }
}

/**
 * A script with a syntax error: bash reads and runs it a command at a time, so the commands
 * before the bad one run (`before`: the longest run of whole lines before the error that
 * parses; none under -n); then it names the line — of the token it did not expect (and shows
 * that line), of an unclosed quote's opening, or past the last line for an unexpected end.
 */
export function scriptSyntaxError(text: string, e: Incomplete | SyntaxError_, name: string, noexec: boolean): { before: List | null; message: string } {
  const lines = text.split('\n');
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const eofLine = lines.length;
  let errorLine: number;
  let message: string;
  if (e instanceof SyntaxError_) {
    errorLine = e.line ?? 1;
    message = `${name}: line ${errorLine}: ${e.message}\n${name}: line ${errorLine}: \`${lines[errorLine - 1] ?? ''}'\n`;
  } else if (e.quote !== undefined && e.at !== undefined) {
    errorLine = lineOf(e.at);
    message = `${name}: line ${errorLine}: unexpected EOF while looking for matching \`${e.quote}'\n`;
  } else {
    errorLine = eofLine;
    message = e.message === 'paren'
      ? `${name}: line ${eofLine}: unexpected EOF while looking for matching \`)'\n`
      : `${name}: line ${eofLine}: syntax error: unexpected end of file\n`;
  }
  for (let k = noexec ? 0 : Math.min(errorLine, eofLine) - 1; k > 0; k--) {
    try {
      return { before: parse(lines.slice(0, k).join('\n') + '\n'), message };
    } catch {
      continue;
    }
  }
  return { before: null, message };
}
