/**
 * The shell's options, as `set -o` names them: which are on, `$-`, the listings of `set -o` /
 * `set +o`, and how `set` and a new `bash` read them from their arguments. errexit, nounset
 * and xtrace change what the shell does (shell.ts, expansion.ts), and so do pipefail, noglob,
 * noexec and verbose; the others are only remembered for the listing.
 */

/** bash's `set -o` option names, in the order `set -o` lists them. */
const OPTION_NAMES = ['allexport', 'braceexpand', 'emacs', 'errexit', 'errtrace', 'functrace', 'hashall', 'histexpand', 'history', 'ignoreeof', 'interactive-comments', 'keyword', 'monitor', 'noclobber', 'noexec', 'noglob', 'nolog', 'notify', 'nounset', 'onecmd', 'physical', 'pipefail', 'posix', 'privileged', 'verbose', 'vi', 'xtrace'];

/** The `set -o` options a new non-interactive bash has on (besides errexit, nounset, xtrace: off). */
const DEFAULT_OPTIONS: readonly string[] = ['braceexpand', 'hashall', 'interactive-comments'];

/** The one-letter options of `set` (and of `bash` itself), by option name. */
const OPTION_LETTERS: Record<string, string> = {
  a: 'allexport', B: 'braceexpand', e: 'errexit', E: 'errtrace', T: 'functrace', h: 'hashall', H: 'histexpand', k: 'keyword', m: 'monitor',
  C: 'noclobber', n: 'noexec', f: 'noglob', b: 'notify', u: 'nounset', t: 'onecmd', P: 'physical', p: 'privileged', v: 'verbose', x: 'xtrace',
};

export class ShellOptions {
  /** `set -e`: a failing command ends the shell (see runAndOr). */
  errexit = false;
  /** `set -u`: expanding an unset variable is an error (see unboundVariable). */
  nounset = false;
  /** `set -x`: each command is written to stderr after its expansion, before it runs (see trace). */
  xtrace = false;
  /** The other options that are on. */
  private others = new Set(DEFAULT_OPTIONS);

  /** A new bash's options; an interactive one also has emacs, histexpand, history and monitor. */
  constructor(interactive: boolean) {
    if (interactive) for (const o of ['emacs', 'histexpand', 'history', 'monitor']) this.others.add(o);
  }

  /** A subshell's: its parent's. */
  copyFrom(parent: ShellOptions): void {
    this.errexit = parent.errexit;
    this.nounset = parent.nounset;
    this.xtrace = parent.xtrace;
    this.others = new Set(parent.others);
  }

  /** `set -o NAME` / `set +o NAME`: false for a name bash does not know. */
  set(name: string, on: boolean): boolean {
    if (!OPTION_NAMES.includes(name)) return false;
    if (name === 'errexit') this.errexit = on;
    else if (name === 'xtrace') this.xtrace = on;
    else if (name === 'nounset') this.nounset = on;
    else if (on) this.others.add(name);
    else this.others.delete(name);
    return true;
  }

  on(name: string): boolean {
    return name === 'errexit' ? this.errexit : name === 'xtrace' ? this.xtrace : name === 'nounset' ? this.nounset : this.others.has(name);
  }

  /** The start of `$-`: the one-letter options that are on, in bash's order (`i`: `interactive`). */
  flags(interactive: boolean): string {
    let flags = '';
    for (const letter of 'abefhikmnptuvxBCEHPT') {
      if (letter === 'i' ? interactive : this.on(OPTION_LETTERS[letter])) flags += letter;
    }
    return flags;
  }

  /** `set -o` (a table) or `set +o` (the commands that would restore them), as bash lists them. */
  listing(table: boolean): string {
    return OPTION_NAMES.map((n) => (table ? `${n.padEnd(15)}\t${this.on(n) ? 'on' : 'off'}\n` : `set ${this.on(n) ? '-' : '+'}o ${n}\n`)).join('');
  }

  /**
   * The `set` builtin's options (-e, -u, -x and their -o names switch errexit, nounset,
   * xtrace; the other options are only remembered; `set -o` / `set +o` alone list them),
   * applied in turn: the positional parameters that follow them (`set -- a b c`, `set a b c`;
   * null: none given, they stay), or the status `set` ends with before that.
   */
  setBuiltin(argv: string[], out: (text: string) => void, err: (text: string) => void): { status: number } | { positional: string[] | null } {
    let i = 1;
    for (; i < argv.length && /^[-+]./.test(argv[i]) && argv[i] !== '--'; i++) {
      const on = argv[i][0] === '-';
      const arg = i;
      for (const letter of argv[arg].slice(1)) {
        // -o NAME (also at the end of a group: `set -euo pipefail`).
        if (letter === 'o') {
          if (i + 1 >= argv.length) { out(this.listing(on)); return { status: 0 }; }
          if (!this.set(argv[++i], on)) { err(`bash: set: ${argv[i]}: invalid option name\n`); return { status: 2 }; }
          continue;
        }
        const optionName = OPTION_LETTERS[letter];
        if (optionName === undefined) {
          err(`bash: set: ${argv[arg][0]}${letter}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n`);
          return { status: 2 };
        }
        this.set(optionName, on);
      }
    }
    if (argv[i] === '--') return { positional: argv.slice(i + 1) };
    return { positional: i < argv.length ? argv.slice(i) : null };
  }
}

/** What `bash`'s own options say: the options to set (name, on), whether -c was given, where the operands start. */
export interface BashOptions { options: [string, boolean][]; command: boolean; next: number }

/**
 * The options of a new bash before its script (`bash -x`, `-eu`, `-o NAME`, `-c`: set's
 * letters, -o and c); an error is reported with `err` (named after argv[0]) and gives status 2.
 */
export function parseBashOptions(argv: string[], err: (text: string) => void): BashOptions | { status: number } {
  const name = argv[0];
  const options: [string, boolean][] = [];
  let command = false;
  let k = 1;
  for (; k < argv.length && /^[-+][A-Za-z]+$/.test(argv[k]) && [...argv[k].slice(1)].every((l) => l in OPTION_LETTERS || l === 'c' || l === 'o'); k++) {
    const on = argv[k][0] === '-';
    for (const letter of argv[k].slice(1)) {
      if (letter === 'c') command = true;
      else if (letter === 'o') {
        const optionName = argv[++k];
        if (optionName === undefined) { err(`${name}: -o: option requires an argument\n`); return { status: 2 }; }
        if (!OPTION_NAMES.includes(optionName)) { err(`${name}: ${optionName}: invalid option name\n`); return { status: 2 }; }
        options.push([optionName, on]);
      } else options.push([OPTION_LETTERS[letter], on]);
    }
  }
  return { options, command, next: k };
}
