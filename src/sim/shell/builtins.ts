/**
 * The builtins bash runs in itself, as they change the shell or read its state: cd, set,
 * shift, eval, source, exec, command, exit, return, break/continue, let, printf (for -v), and
 * those whose concept has a file of its own (declare… in declare.ts, trap in traps.ts, wait and
 * jobs in jobs.ts, read in read-builtin.ts, type in command-lookup.ts). A lone one runs in the
 * shell; in a pipeline, in a subshell of its own (shell.ts).
 */
import { bytesToLatin1 } from '../kernel/kernel';
import type { Host } from '../kernel/host';
import type { TaskGen } from '../kernel/tasks';
import { resolvePath } from '../runtime/paths';
import { Incomplete, SyntaxError_, parse, type List } from './parser';
import { printfCall, writePrintf } from './commands/text';
import { bashPrintf } from './commands/printf-format';
import { SHELL_BUILTINS, describeCommands, typeBuiltin, type LookupShell } from './command-lookup';
import { declareBuiltin, exportBuiltin, unsetBuiltin, type CompoundArg, type DeclarationShell } from './declare';
import type { Jobs } from './jobs';
import { readBuiltin, type ReadShell } from './read-builtin';
import type { Traps } from './traps';
import { umaskBuiltin, type UmaskShell } from './umask';
import { parseExec } from './exec';
import { AbortLine, ExitShell, LoopControl, ReturnFromFunction } from './unwind';

/** What the builtins need of their shell. */
export interface BuiltinShell extends DeclarationShell, LookupShell, ReadShell, UmaskShell {
  readonly host: Host;
  readonly interactive: boolean;
  readonly traps: Traps;
  readonly jobs: Jobs;
  /** The working directory (cd changes it). */
  cwd: string;
  /** The positional parameters, `$0` first (set and shift change them). */
  args: string[];
  /** `$?`. */
  readonly status: number;
  /** eval's commands, run where eval is (their lines count from its), traced one level deeper. */
  evalList(list: List): TaskGen<number>;
  /** A sourced file's commands, run in the shell; its errors name `file` and its lines. */
  sourceList(list: List, file: string): TaskGen<number>;
  /** `command NAME …` for a NAME the shell does not run itself: run as a command, never a function, and waited for. */
  runSkippingFunctions(argv: string[]): TaskGen<number>;
  /** Words run as a simple command, not expanded again (`jobs -x`): a function, a builtin or a command, traced. */
  runWords(argv: string[]): TaskGen<number>;
  /** `exec CMD`: CMD replaces the shell; a status only when it could not be executed, at the prompt. */
  execBuiltin(argv: string[], path: string, clearEnv: boolean): TaskGen<number>;
  /** How many loops are running (CompoundShell). */
  readonly loopDepth: number;
}

/**
 * Run builtin `name` in the shell (`argv` its words; `compound`: the `name=( … )` arguments of
 * declare/local/export, by their place in argv): its status, or it unwinds (exit, return…).
 */
export function* runBuiltin(sh: BuiltinShell, name: string, argv: string[], compound?: Map<number, CompoundArg>): TaskGen<number> {
  // The messages below are written for the prompt (`bash: cd: …`); a script names itself.
  const err = (t: string) => sh.errOut(t.replace(/^bash: /, sh.errorPrefix()));
  switch (name) {
    case 'cd': {
      const target = argv[1] === undefined ? sh.vars.scalars.get('HOME') ?? '/' : argv[1] === '-' ? sh.vars.scalars.get('OLDPWD') ?? sh.cwd : argv[1];
      if (argv.length > 2) { err('bash: cd: too many arguments\n'); return 1; }
      const path = resolvePath(sh.cwd, target);
      const n = sh.host.disk.lookup(path);
      if (!n) { err(`bash: cd: ${argv[1]}: No such file or directory\n`); return 1; }
      if (!n.isDir) { err(`bash: cd: ${argv[1]}: Not a directory\n`); return 1; }
      sh.vars.scalars.set('OLDPWD', sh.cwd);
      sh.cwd = path;
      sh.proc.cwd = path;
      return 0;
    }
    case 'export':
      return yield* exportBuiltin(sh, argv, compound, err);
    case 'unset':
      return yield* unsetBuiltin(sh, argv, err);
    case 'umask':
      return umaskBuiltin(sh, argv, err);
    case 'set': {
      // `set -- a b c` (or `set a b c`) replaces the positional parameters after the options.
      const r = sh.options.setBuiltin(argv, (t) => sh.out(t), err);
      if ('status' in r) return r.status;
      if (r.positional) sh.args = [sh.args[0], ...r.positional];
      return 0;
    }
    case ':':
      return 0;
    case 'return': {
      if (sh.vars.localFrame() === undefined) { err("bash: return: can only `return' from a function or sourced script\n"); return 2; }
      if (argv[1] !== undefined && !/^-?\d+$/.test(argv[1])) { err(`bash: return: ${argv[1]}: numeric argument required\n`); throw new ReturnFromFunction(2); }
      throw new ReturnFromFunction(argv[1] !== undefined ? Number(argv[1]) & 255 : sh.status);
    }
    case 'declare':
    case 'typeset':
    case 'local':
    case 'readonly':
      return yield* declareBuiltin(sh, name, argv, compound);
    case 'shift': {
      const n = argv[1] === undefined ? 1 : Number(argv[1]);
      if (!Number.isInteger(n) || n < 0) { err(`bash: shift: ${argv[1]}: numeric argument required\n`); return 1; }
      if (n > sh.args.length - 1) return 1;
      sh.args = [sh.args[0], ...sh.args.slice(1 + n)];
      return 0;
    }
    case 'eval': {
      const text = argv.slice(1).join(' ');
      let list: List;
      try {
        list = parse(text + '\n');
      } catch (e) {
        if (e instanceof Incomplete) { err('bash: eval: syntax error: unexpected end of file\n'); return 2; }
        if (e instanceof SyntaxError_) { err(`bash: eval: ${e.message}\n`); return 2; }
        throw e;
      }
      // What eval runs is traced one level deeper (`++ cmd`); its lines count from eval's.
      return yield* sh.evalList(list);
    }
    case 'exec': {
      // exec CMD: the command replaces the shell (exec.ts). Without one, exec's redirections
      // stay the shell's (applied by its caller).
      const parsed = parseExec(argv);
      if ('error' in parsed) { err(parsed.error); return 2; }
      const { options, command } = parsed;
      if (command.length === 0) return 0;
      const argv0 = options.argv0 ?? command[0];
      return yield* sh.execBuiltin([options.login ? `-${argv0}` : argv0, ...command.slice(1)], command[0], options.clearEnv);
    }
    case 'trap':
      return sh.traps.builtin(argv, (t) => sh.out(t), err);
    case 'command': {
      // `command -v NAME`: how NAME would run; `command NAME …` runs it, functions aside.
      if (argv[1] === '-v' || argv[1] === '-V') return describeCommands(sh, argv, err);
      if (argv.length < 2) return 0;
      // `command cd DIR`, `command printf -v x …`: a builtin still runs in this shell.
      if (SHELL_BUILTINS.has(argv[1])) return yield* runBuiltin(sh, argv[1], argv.slice(1));
      return yield* sh.runSkippingFunctions(argv.slice(1));
    }
    case 'let': {
      if (argv.length < 2) { err('bash: let: expression expected\n'); return 1; }
      return sh.expansion.arithCommand('let', argv.slice(1));
    }
    case 'type':
      return typeBuiltin(sh, argv, err);
    case 'break':
    case 'continue': {
      // Outside a loop (a function's or a subshell's body starts outside one) it only says so.
      if (sh.loopDepth === 0) { err(`bash: ${name}: only meaningful in a \`for', \`while', or \`until' loop\n`); return 0; }
      const count = argv[1] ?? '1';
      if (!/^\s*[-+]?\d+\s*$/.test(count)) {
        // A special builtin's bad operand ends a non-interactive shell (with 128, as bash 5.2 does).
        err(`bash: ${name}: ${count}: numeric argument required\n`);
        if (sh.interactive) throw new AbortLine();
        throw new ExitShell(128);
      }
      const n = Number(count);
      // A count below 1 is refused, and the innermost loop is left (status 1); one above the
      // loops running leaves (or continues) the outermost.
      if (n < 1) { err(`bash: ${name}: ${count}: loop count out of range\n`); throw new LoopControl('break', 1, 1); }
      throw new LoopControl(name, Math.min(n, sh.loopDepth));
    }
    case 'exit':
    case 'logout': {
      const code = argv[1] !== undefined ? Number(argv[1]) & 255 : sh.status;
      if (argv[1] !== undefined && !/^-?\d+$/.test(argv[1])) { err(`bash: exit: ${argv[1]}: numeric argument required\n`); throw new ExitShell(2); }
      throw new ExitShell(code);
    }
    case 'source':
    case '.': {
      if (!argv[1]) { err(`bash: ${name}: filename argument required\n`); return 2; }
      const f = sh.host.disk.lookup(resolvePath(sh.cwd, argv[1]));
      if (!f || f.isDir) { err(`bash: ${argv[1]}: No such file or directory\n`); return 1; }
      const list = parse(bytesToLatin1(f.bytes()) + '\n');
      // Errors in a sourced file name it (as given) and its lines.
      return yield* sh.sourceList(list, argv[1]);
    }
    case 'wait':
      return yield* sh.jobs.waitBuiltin(argv, err);
    case 'jobs': {
      const r = sh.jobs.jobsBuiltin(argv, err);
      return typeof r === 'number' ? r : r.execute.length === 0 ? 0 : yield* sh.runWords(r.execute);
    }
    case 'read':
      return yield* readBuiltin(sh, argv, err);
    case 'printf': {
      // Run by the shell itself, so that `printf -v NAME` can assign to NAME.
      const call = printfCall(argv);
      if ('error' in call) { err(call.error); return 2; }
      const r = bashPrintf(call.format, call.args);
      if (call.name === null) {
        // A write the file refused marks the shell's process (takeWriteError).
        return writePrintf(r.pieces, r.status, (text) => {
          sh.proc.writeError = undefined;
          sh.out(text);
          const e = sh.proc.writeError ?? null;
          sh.proc.writeError = undefined;
          return e;
        }, err);
      }
      let output = '';
      for (const p of r.pieces) {
        if (p.fd === 2) err(`bash: printf: ${p.text}\n`);
        else output += p.text;
      }
      if (!(yield* sh.expansion.assignOrFail(call.name, output))) return 1;
      return r.status;
    }
  }
  return 0;
}
