/**
 * redis-cli's interactive loop, independent of any terminal.
 *
 * `ReplCore` is what a terminal needs: the prompt (`127.0.0.1:6379>`, `[2]` for another db,
 * `(TX)` inside MULTI, `not connected>`), the greyed hint and the Tab completions for the
 * current line, the history list, and `handleLine` for an entered line (argument splitting,
 * the `3 ping` repeat prefix, built-ins such as quit, connect, clear, :set hints, and help).
 * `runRepl` drives it from the program's terminal (readLine) or, when standard input is not
 * a terminal, from its lines with no prompt at all, like linenoise does.
 *
 * History follows linenoise: at most 100 lines, a line equal to the previous one is not added
 * again, the whole list is rewritten to ~/.rediscli_history (or $REDISCLI_HISTFILE) after each
 * line, and commands that carry passwords (AUTH, ACL SETUSER, ...) are never recorded.
 */
import type { RedisCli } from './cli';
import { atoi, cstr, eqNoCase, fixed, strtolEnd } from './cformat';
import { Output } from './format';
import { completions, hint } from './help';
import { splitArgs } from './split-args';
import { initHelp } from './help-init';
import { strToBytes, bytesToStr } from '../../bytes';
import { HISTORY_FILE_MODE } from '../../util/create-modes';

const HISTORY_MAX_LEN = 100;
const HISTFILE_ENV = 'REDISCLI_HISTFILE';
const HISTFILE_DEFAULT = '.rediscli_history';
const RCFILE_ENV = 'REDISCLI_RCFILE';
const RCFILE_DEFAULT = '.redisclirc';

/** getDotfilePath: $<env> (unless /dev/null), else $HOME/<name>, else none. */
export function dotfilePath(env: Record<string, string>, envOverride: string, name: string): string | null {
  const path = env[envOverride];
  if (path !== undefined && path !== '') return path === '/dev/null' ? null : path;
  const home = env.HOME;
  if (home !== undefined && home !== '') return `${home}/${name}`;
  return null;
}

/** isSensitiveCommand: lines that must not reach the history file. */
export function isSensitiveCommand(argv: string[]): boolean {
  const argc = argv.length;
  const is = (i: number, s: string) => argv[i] !== undefined && eqNoCase(argv[i], s);
  if (is(0, 'auth')) return true;
  if (argc > 1 && is(0, 'acl') && is(1, 'setuser')) return true;
  if (argc > 2 && is(0, 'config') && is(1, 'set') && (is(2, 'masterauth') || is(2, 'masteruser') || is(2, 'requirepass'))) return true;
  if (argc > 4 && is(0, 'hello')) {
    for (let j = 2; j < argc; j++) {
      const moreargs = argc - 1 - j;
      if (is(j, 'AUTH') && moreargs >= 2) return true;
      if (is(j, 'SETNAME') && moreargs) j++;
      else return false;
    }
    return false;
  }
  if (argc > 7 && is(0, 'migrate')) {
    for (let j = 6; j < argc; j++) {
      const moreargs = argc - 1 - j;
      if (is(j, 'auth') && moreargs) return true;
      if (is(j, 'auth2') && moreargs >= 2) return true;
      if (is(j, 'keys') && moreargs) return false;
    }
  }
  return false;
}

export type LineOutcome = 'continue' | 'restart';

export class ReplCore {
  readonly history: string[] = [];
  historyFile: string | null = null;
  /** In-memory history is kept only when standard input is a terminal. */
  keepHistory = false;

  constructor(readonly cli: RedisCli) {}

  /** The prompt for the next line. */
  prompt(): string {
    return this.cli.context ? this.cli.config.prompt : 'not connected> ';
  }

  hint(line: string): string | null {
    if (!this.cli.pref.hints || !this.cli.helpEntries) return null;
    return hint(this.cli.helpEntries, line);
  }

  complete(line: string): string[] {
    return this.cli.helpEntries ? completions(this.cli.helpEntries, line) : [];
  }

  /** Load history and preferences (only when standard input is a terminal). */
  async startTerminalSession(): Promise<void> {
    this.keepHistory = true;
    this.historyFile = dotfilePath(this.cli.ctx.env, HISTFILE_ENV, HISTFILE_DEFAULT);
    if (this.historyFile !== null) await this.loadHistory(this.historyFile);
    await this.loadPreferences();
  }

  private async readText(path: string): Promise<string | null> {
    try {
      return bytesToStr(await this.cli.os.fs.readFile(path));
    } catch {
      return null;
    }
  }

  private async loadHistory(path: string): Promise<void> {
    const text = await this.readText(path);
    if (text === null) return;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const raw of lines) {
      const cr = raw.indexOf('\r');
      this.addHistory(cr >= 0 ? raw.slice(0, cr) : raw);
    }
  }

  addHistory(line: string): void {
    if (this.history.length > 0 && this.history[this.history.length - 1] === line) return;
    this.history.push(line);
    if (this.history.length > HISTORY_MAX_LEN) this.history.shift();
  }

  private saveHistory(): void {
    if (this.historyFile === null) return;
    try {
      // linenoiseHistorySave: fopen under umask 0177, then fchmod to 0600, so an existing
      // history file (however readable) and one made under any umask end 0600.
      this.cli.os.fs.writeFile(this.historyFile, strToBytes(this.history.map((l) => l + '\n').join('')), { createMode: HISTORY_FILE_MODE, fchmod: HISTORY_FILE_MODE });
    } catch {
      // linenoise ignores a history file it cannot write.
    }
  }

  private recordLine(line: string): void {
    if (this.keepHistory) this.addHistory(line);
    this.saveHistory();
  }

  /** cliLoadPreferences: ~/.redisclirc (or $REDISCLI_RCFILE), one `:set ...` per line. */
  private async loadPreferences(): Promise<void> {
    const path = dotfilePath(this.cli.ctx.env, RCFILE_ENV, RCFILE_DEFAULT);
    if (path === null) return;
    const text = await this.readText(path);
    if (text === null) return;
    for (const line of text.split(/(?<=\n)/)) {
      const argv = splitArgs(line);
      if (argv && argv.length > 0) this.setPreferences(argv, false);
    }
  }

  /** cliSetPreferences: `:set hints` / `:set nohints`. */
  setPreferences(argv: string[], interactive: boolean): void {
    const where = interactive ? '' : '.redisclirc: ';
    if (eqNoCase(argv[0], ':set') && argv.length >= 2) {
      if (eqNoCase(argv[1], 'hints')) this.cli.pref.hints = true;
      else if (eqNoCase(argv[1], 'nohints')) this.cli.pref.hints = false;
      else this.cli.out(`${where}unknown redis-cli preference '${cstr(argv[1])}'\n`);
    } else {
      this.cli.out(`${where}unknown redis-cli internal command '${cstr(argv[0])}'\n`);
    }
  }

  /** cliSplitArgs: in the Lua debugger "eval <code>" keeps the code as one argument. */
  private splitLine(line: string): string[] | null {
    if (this.cli.config.evalLdb && (line.startsWith('eval ') || line.startsWith('e '))) {
      const elen = line[1] === ' ' ? 2 : 5;
      return [line.slice(0, elen - 1), line.slice(elen)];
    }
    return splitArgs(line);
  }

  /** Handle one entered line. Exits the process on quit/exit. */
  async handleLine(input: string): Promise<LineOutcome> {
    const cli = this.cli;
    const config = cli.config;
    const line = cstr(input);
    if (line === '') return 'continue';
    const argv = this.splitLine(line);
    if (argv === null) {
      cli.out('Invalid argument(s)\n');
      this.recordLine(line);
      return 'continue';
    }
    if (argv.length === 0) return 'continue';

    let repeat = 1n;
    let skipargs = 0;
    const parsed = strtolEnd(cstr(argv[0]));
    const endsAtEnd = parsed.end === cstr(argv[0]).length;
    if (argv.length > 1 && endsAtEnd) {
      if (parsed.overflow || parsed.value <= 0n) {
        cli.out('Invalid redis-cli repeat command option value.\n');
        return 'continue';
      }
      repeat = parsed.value;
      skipargs = 1;
    }

    if (!isSensitiveCommand(argv.slice(skipargs))) this.recordLine(line);

    const cmd = cstr(argv[0]);
    if (eqNoCase(cmd, 'quit') || eqNoCase(cmd, 'exit')) {
      cli.exit(0);
    } else if (cmd.startsWith(':')) {
      this.setPreferences(argv, true);
      return 'continue';
    } else if (eqNoCase(cmd, 'restart')) {
      if (config.eval !== null) {
        config.evalLdb = true;
        config.output = Output.Raw;
        return 'restart';
      }
      cli.out("Use 'restart' only in Lua debugging mode.\n");
    } else if (argv.length === 3 && eqNoCase(cmd, 'connect')) {
      config.hostip = argv[1];
      config.hostport = atoi(argv[2]);
      cli.refreshPrompt();
      await cli.connect(1 /* CC_FORCE */);
    } else if (argv.length === 1 && eqNoCase(cmd, 'clear')) {
      cli.out('\x1b[H\x1b[2J');
    } else {
      const start = cli.nowMs();
      await cli.issueCommandRepeat(argv.slice(skipargs), repeat);
      if (config.evalLdbEnd) {
        config.evalLdbEnd = false;
        await cli.readReply(false);
        cli.out(`\n(Lua debugging session ended${config.evalLdbSync ? '' : ' -- dataset changes rolled back'})\n\n`);
        await initHelp(cli);
      }
      const elapsed = cli.nowMs() - start;
      if (elapsed >= 500 && config.output === Output.Standard) {
        cli.out(`(${fixed(elapsed / 1000, 2)}s)\n`);
      }
    }
    return 'continue';
  }
}

/** Is there an interactive terminal for line input? */
function hasTerminal(cli: RedisCli): boolean {
  return cli.ctx.io.isTty && typeof cli.ctx.io.readLine === 'function';
}

/** repl(): returns only to restart a Lua debugging session; otherwise exits. */
export async function runRepl(cli: RedisCli): Promise<void> {
  if (!cli.config.evalLdb) await initHelp(cli);
  cli.config.interactive = true;
  const core = new ReplCore(cli);
  const terminal = hasTerminal(cli);
  if (terminal) await core.startTerminalSession();
  cli.refreshPrompt();
  for (;;) {
    const line = terminal
      ? await cli.ctx.io.readLine!(core.prompt(), {
        hint: (l) => core.hint(l),
        complete: (l) => core.complete(l),
        historyKey: 'redis-cli',
        history: core.history.slice(),
      })
      : await cli.stdin.readLine();
    if (line === null) break;
    if ((await core.handleLine(line)) === 'restart') return;
  }
  cli.exit(0);
}
