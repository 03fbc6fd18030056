/**
 * Tab completion at the shell prompt, the way bash's default completion behaves: the first
 * word of a command completes to a command name (programs, coreutils, builtins, functions),
 * any other word (or a word with a `/`) to a path on the host's disk — a directory with a
 * trailing `/`, a file or command followed by a space when it is the only match. Hidden files only when
 * the typed name starts with a dot. Candidates are whole lines, for the terminal to cycle.
 */

export interface CompletionSource {
  /** Every command name the shell would run. */
  commandNames(): Iterable<string>;
  /** Entries of a directory given as typed (relative to the cwd, `~` expanded), with their kind; null when it is none. */
  listDir(typedDir: string): { name: string; isDir: boolean }[] | null;
}

/** `timeout [OPTION]... DURATION `: a command comes next (bash-completion's, after the duration). */
const TIMEOUT_COMMAND = /^\s*timeout\s+(?:(?:-[ks]|--kill-after|--signal)\s+\S+\s+|-\S+\s+)*[^-\s]\S*\s+$/;

/** Where a new command starts: after these, the next word is a command name. */
const COMMAND_SEPARATORS = /(^|[|;&(]|\$\(|`|&&|\|\|)\s*$/;

export function completeLine(line: string, src: CompletionSource): string[] {
  // The word being completed: after the last unescaped blank (quotes are not handled).
  const m = /(?:^|[^\\])[\s]([^\s]*)$/.exec(line) ?? /^([^\s]*)$/.exec(line);
  const word = m ? m[m.length - 1] : '';
  const head = line.slice(0, line.length - word.length);
  const commandPosition = COMMAND_SEPARATORS.test(head) || /^\s*(sudo|time|nohup|exec|command)\s+$/.test(head) || TIMEOUT_COMMAND.test(head);
  let candidates: string[];
  if (commandPosition && !word.includes('/')) {
    const names = new Set<string>();
    for (const n of src.commandNames()) if (n.startsWith(word)) names.add(n);
    candidates = [...names].sort();
    if (candidates.length === 1) candidates[0] += ' ';
  } else {
    candidates = completePath(word, src);
  }
  return candidates.map((c) => head + c);
}

function completePath(word: string, src: CompletionSource): string[] {
  const slash = word.lastIndexOf('/');
  const dir = slash >= 0 ? word.slice(0, slash + 1) : '';
  const base = slash >= 0 ? word.slice(slash + 1) : word;
  const entries = src.listDir(dir === '' ? '.' : dir);
  if (!entries) return [];
  const matches = entries
    .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return matches.map((e) => `${dir}${e.name}${e.isDir ? '/' : matches.length === 1 ? ' ' : ''}`);
}
