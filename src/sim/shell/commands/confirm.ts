/**
 * The yes/no questions of cp -i, mv -i and rm -i, as GNU asks them: the question on stderr, the
 * answer one line of standard input (the terminal's, or whatever stdin is), yes when it starts
 * with y or Y; the end of input is no. find -ok and xargs -p ask a terminal instead (askTerminal).
 */
import type { Terminal } from '../../kernel/process';
import type { TaskGen } from '../../kernel/tasks';
import { readChunk, type CmdCtx } from '../context';

/** An asker for one run of a command: what a read brought beyond a line is the next answer. */
export function confirmer(ctx: CmdCtx): (question: string) => TaskGen<boolean> {
  let buffered = '';
  let ended = false;
  return function* ask(question) {
    ctx.err(question);
    while (!buffered.includes('\n') && !ended) {
      const chunk: string | null = yield readChunk(ctx);
      if (chunk === null) ended = true;
      else buffered += chunk;
    }
    const nl = buffered.indexOf('\n');
    const line = nl >= 0 ? buffered.slice(0, nl) : buffered;
    buffered = nl >= 0 ? buffered.slice(nl + 1) : '';
    return /^[yY]/.test(line);
  };
}

/**
 * Which of `letters` is the last given among argv's short options (before `--`): for -i against
 * -f or -n the last one wins, as in GNU's cp, mv and rm.
 */
export function lastOption(argv: string[], letters: string): string | null {
  let last: string | null = null;
  for (const a of argv.slice(1)) {
    if (a === '--') break;
    if (!a.startsWith('-') || a.startsWith('--')) continue;
    for (const c of a.slice(1)) if (letters.includes(c)) last = c;
  }
  return last;
}

/**
 * A question answered on a terminal (find -ok: its standard input when that is one; xargs -p:
 * /dev/tty): the question on stderr, yes when the line typed starts with y or Y; no terminal,
 * or the end of input (Ctrl-D), is no.
 */
export function* askTerminal(ctx: CmdCtx, term: Terminal | null, question: string): TaskGen<boolean> {
  ctx.err(question);
  if (term === null) return false;
  const tty = term;
  const answer: string | null = yield (resume) => {
    tty.requestLine({ pid: ctx.proc.pid, prompt: '', mask: false, resume });
    return () => tty.cancelReader(ctx.proc.pid);
  };
  return answer !== null && /^[yY]/.test(answer);
}
