/**
 * What a command name is to the shell, in the order bash looks: a keyword, a function, a
 * builtin, or a file where our commands live (programs in /usr/local/bin, coreutils in
 * /usr/bin or /usr/sbin); the `type` builtin and `command -v` / `-V` that say so.
 */
import { builtinOptions } from './builtin-options';
import type { ShellSys } from './context';
import { COMMANDS } from './commands';
import { formatFunction } from './function-listing';
import type { FuncDef } from './parser';

/**
 * The builtins that run inside the shell itself, as they change it (cd, export, read…): a lone
 * one in this shell, one in a pipeline in a subshell of its own.
 */
export const SHELL_BUILTINS: ReadonlySet<string> = new Set(['cd', 'export', 'exit', 'logout', 'unset', 'source', '.', 'set', 'wait', 'jobs', 'read', 'printf', 'break', 'continue', ':', 'return', 'local', 'declare', 'typeset', 'readonly', 'let', 'type', 'shift', 'eval', 'command', 'exec', 'trap', 'umask']);

/** What `type` calls a shell builtin (bash's own, including those that also exist as files). */
export const BASH_BUILTINS: ReadonlySet<string> = new Set([...SHELL_BUILTINS, 'echo', 'printf', 'test', '[', 'true', 'false', 'pwd', 'kill', 'eval', 'command', 'exec', 'trap', 'shift', 'umask', 'alias', 'history']);

/** The words `type` calls shell keywords. */
const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in', 'function', 'time', '{', '}', '!', '[[', ']]', 'coproc']);

/** Commands that live in /usr/sbin (the rest of the coreutils-like commands are in /usr/bin). */
const SBIN = new Set(['iptables', 'ip', 'reboot', 'poweroff', 'shutdown', 'halt']);

/** What `type` and `command -v` need of their shell. */
export interface LookupShell {
  readonly functions: Map<string, FuncDef>;
  /** Where a command name is found (commandPath). */
  commandPath(name: string): string | null;
  /** Write on the standard output of the moment. */
  out(text: string): void;
}

/** Where `type` and `which` find a command: null when it is none of ours. */
export function commandPath(sys: ShellSys, name: string): string | null {
  if (sys.hasProgram(name)) return `/usr/local/bin/${name}`;
  if (name === 'sh' || name === 'bash') return `/usr/bin/${name}`;
  if (COMMANDS[name]) return SBIN.has(name) ? `/usr/sbin/${name}` : `/usr/bin/${name}`;
  return null;
}

/** `command -v NAME…` (how each would run: its path, or its name for a function or builtin) and `command -V` (said in words). */
export function describeCommands(sh: LookupShell, argv: string[], err: (t: string) => void): number {
  let code = 0;
  for (const n of argv.slice(2)) {
    const path = sh.functions.has(n) || BASH_BUILTINS.has(n) ? n : sh.commandPath(n);
    if (path) sh.out(argv[1] === '-v' ? `${path}\n` : `${n} is ${path === n ? 'a shell builtin' : path}\n`);
    else { code = 1; if (argv[1] === '-V') err(`bash: command: ${n}: not found\n`); }
  }
  return code;
}

/**
 * `type [-afptP] NAME…`: what each name is, in the order bash looks: keyword, function,
 * builtin, file (-a: every one, and each file on PATH; /bin and /sbin are links to /usr's).
 * -t says only the kind, -p only a file's path (-P: the path even of a builtin); with either,
 * a name that is nothing fails silently; the later of -t and -p/-P wins. -f skips functions.
 */
export function typeBuiltin(sh: LookupShell, argv: string[], err: (t: string) => void): number {
  const parsed = builtinOptions(argv, 'afptP');
  if ('invalid' in parsed) { err(`bash: type: ${parsed.invalid}: invalid option\ntype: usage: type [-afptP] name [name ...]\n`); return 2; }
  const opts = new Set<string>();
  let mode: 'describe' | 'kind' | 'path' = 'describe';
  for (const { letter } of parsed.options) {
    opts.add(letter);
    if (letter === 't') mode = 'kind';
    if (letter === 'p' || letter === 'P') mode = 'path';
  }
  const k = parsed.operands;
  const all = opts.has('a');
  let code = 0;
  for (const n of argv.slice(k)) {
    const found: { kind: string; text: string; path?: string }[] = [];
    if (!opts.has('P')) {
      const fn = opts.has('f') ? undefined : sh.functions.get(n);
      if (SHELL_KEYWORDS.has(n)) found.push({ kind: 'keyword', text: `${n} is a shell keyword\n` });
      if (fn) found.push({ kind: 'function', text: `${n} is a function\n${formatFunction(fn)}\n` });
      if (BASH_BUILTINS.has(n)) found.push({ kind: 'builtin', text: `${n} is a shell builtin\n` });
    }
    if (found.length === 0 || all || opts.has('P')) {
      const path = sh.commandPath(n);
      const paths = path === null ? [] : all && /^\/usr\/s?bin\//.test(path) ? [path, path.slice(4)] : [path];
      for (const p of paths) found.push({ kind: 'file', text: `${n} is ${p}\n`, path: p });
    }
    if (found.length === 0) {
      if (mode === 'describe' && !opts.has('P')) err(`bash: type: ${n}: not found\n`);
      code = 1;
      continue;
    }
    for (const f of all ? found : found.slice(0, 1)) {
      if (mode === 'path') { if (f.path !== undefined) sh.out(`${f.path}\n`); } else sh.out(mode === 'kind' ? `${f.kind}\n` : f.text);
    }
    if (mode === 'path' && opts.has('P') && !found.some((f) => f.path !== undefined)) code = 1;
  }
  return code;
}
