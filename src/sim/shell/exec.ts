/**
 * execve() from the shell: what replaces a shell's process instead of running in a child.
 *
 * - `exec CMD`: the command takes the shell's process (same pid, parent, group, session,
 *   terminal), and the shell is gone: no EXIT trap, nothing after it runs. When CMD cannot be
 *   executed, bash says why and a non-interactive shell exits with 127 or 126 (its EXIT trap
 *   does run then); an interactive one goes on.
 * - `bash -c TEXT`: bash 5.2 execs the last command of TEXT instead of forking it, when that
 *   command is a simple one without redirections, not negated or timed, possibly the last of
 *   an `&&`/`||` list, and no trap is set (execute_cmd.c, should_optimize_fork). So
 *   `ssh host redis-cli ping` shows redis-cli with the pid bash had. dash, Debian's /bin/sh,
 *   does not do this: `sh -c 'sleep 9'` stays in `ps` as the parent of sleep.
 *
 * The shell's part (resolving the command, handing the process over) is Shell.replaceProcess.
 */
import type { List, Simple } from './parser';

/** The command of a `bash -c` text that bash would exec rather than fork, or null. */
export function execCandidate(list: List): Simple | null {
  const item = list.items.at(-1);
  if (!item || item.background) return null;
  const last = item.andOr.rest.at(-1)?.p ?? item.andOr.first;
  if (last.negate || last.time || last.cmds.length !== 1) return null;
  const cmd = last.cmds[0];
  return cmd.type === 'simple' && cmd.redirs.length === 0 ? cmd : null;
}

/** `exec`'s options: `-c` (an empty environment), `-l` (a login shell's `-` before argv[0]), `-a NAME` (argv[0]). */
export interface ExecOptions {
  clearEnv: boolean;
  login: boolean;
  argv0: string | null;
}

export const EXEC_USAGE = 'exec: usage: exec [-cl] [-a name] [command [argument ...]] [redirection ...]\n';

/**
 * Parse exec's words (argv[0] is `exec`): its options and the command, or the error bash
 * prints (status 2). `exec -a` without a name is bash's "option requires an argument".
 */
export function parseExec(argv: string[]): { options: ExecOptions; command: string[] } | { error: string } {
  const options: ExecOptions = { clearEnv: false, login: false, argv0: null };
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'c') options.clearEnv = true;
      else if (c === 'l') options.login = true;
      else if (c === 'a') {
        const name = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (name === undefined) return { error: `bash: exec: -a: option requires an argument\n${EXEC_USAGE}` };
        options.argv0 = name;
        break;
      } else return { error: `bash: exec: -${c}: invalid option\n${EXEC_USAGE}` };
    }
  }
  return { options, command: argv.slice(i) };
}
