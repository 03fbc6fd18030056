/**
 * bash's `read` builtin: its options, how a line it read is divided among the variables it
 * names, and the builtin itself (what it reads and where what follows the line stays).
 *
 * Division (bash's read.c, in our words): without -r a backslash quotes the next character
 * (which then never separates fields) and a backslash-newline continues the line. With no name,
 * REPLY gets the line as read. Otherwise each name but the last takes one field: leading IFS
 * white space is skipped, the field runs to the next IFS character, and the separator after it
 * (IFS white space around at most one other IFS character) is consumed. The last name takes the
 * rest of the line, trailing IFS white space removed — except that when the rest is a single
 * field and its separator, it takes the field alone (`IFS=: read a b <<< 'x:y:'` gives b=y).
 * `-a NAME` puts every field, split as words are, into the array NAME.
 */
import type { ProcRecord, Source } from '../kernel/process';
import type { TaskGen, Wait } from '../kernel/tasks';
import type { Expansion } from './expansion';
import { splitIfs } from './fields';
import type { ShellVariables } from './variables';

export interface ReadOptions {
  /** -a: the array to fill (the names are then ignored). */
  array: string | null;
  /** -d: the character that ends the input ('' for NUL); a newline by default. */
  delim: string;
  /** -r: backslashes are ordinary characters. */
  raw: boolean;
  /** -p: shown before reading from a terminal. */
  prompt: string | null;
  /** -s: a terminal does not echo what is typed. */
  silent: boolean;
  /** -n: at most this many characters (a delimiter still ends the input); -N: exactly (it does not). */
  nchars: number | null;
  exact: boolean;
  names: string[];
}

const USAGE = 'read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ELEMENT = /^[A-Za-z_][A-Za-z0-9_]*\[[^\]]+\]$/;

/** read's command line; an error is bash's text (`bash: read: …`) and status. */
export function parseReadArgs(argv: string[]): ReadOptions | { error: string; status: number } {
  const o: ReadOptions = { array: null, delim: '\n', raw: false, prompt: null, silent: false, nchars: null, exact: false, names: [] };
  let i = 1;
  for (; i < argv.length && argv[i].startsWith('-') && argv[i] !== '-'; i++) {
    if (argv[i] === '--') { i++; break; }
    for (let j = 1; j < argv[i].length; j++) {
      const letter = argv[i][j];
      if ('ers'.includes(letter)) {
        if (letter === 'r') o.raw = true;
        if (letter === 's') o.silent = true;
        continue;
      }
      if (!'adinNptu'.includes(letter)) return { error: `bash: read: -${letter}: invalid option\n${USAGE}`, status: 2 };
      // An option with an argument takes the rest of this word, or the next word.
      const value = j + 1 < argv[i].length ? argv[i].slice(j + 1) : argv[++i];
      if (value === undefined) return { error: `bash: read: -${letter}: option requires an argument\n${USAGE}`, status: 2 };
      switch (letter) {
        case 'a': o.array = value; break;
        case 'd': o.delim = value.slice(0, 1); break;
        case 'p': o.prompt = value; break;
        case 'n': case 'N':
          if (!/^\d+$/.test(value)) return { error: `bash: read: ${value}: invalid number\n`, status: 1 };
          o.nchars = Number(value);
          o.exact = letter === 'N';
          break;
        case 't':
          // Accepted, but the simulated read waits for its input however long it takes.
          if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value)) return { error: `bash: read: ${value}: invalid timeout specification\n`, status: 1 };
          break;
        case 'u':
          if (value !== '0') return { error: `bash: read: ${value}: invalid file descriptor: Bad file descriptor\n`, status: 1 };
          break;
        // -i TEXT only matters to readline (-e).
      }
      break;
    }
  }
  o.names = argv.slice(i);
  for (const n of o.array !== null ? [o.array] : o.names) {
    if (!IDENTIFIER.test(n) && !(o.array === null && ELEMENT.test(n))) return { error: `bash: read: \`${n}': not a valid identifier\n`, status: 1 };
  }
  return o;
}

/**
 * The input as read up to its delimiter: its characters, backslashes removed unless -r (an
 * escaped character is marked so that it does not separate fields), backslash-newline pairs
 * dropped. `complete`: whether the text read so far is a whole input (the delimiter came, or
 * enough characters for -n/-N) — else the caller reads more and asks again.
 */
export function takeInput(text: string, o: ReadOptions, atEof: boolean): { chars: string; escaped: boolean[]; used: number; complete: boolean } {
  let chars = '';
  const escaped: boolean[] = [];
  let i = 0;
  while (i < text.length) {
    if (o.nchars !== null && chars.length >= o.nchars) return { chars, escaped, used: i, complete: true };
    const c = text[i];
    if (!o.exact && c === (o.delim === '' ? '\0' : o.delim)) return { chars, escaped, used: i + 1, complete: true };
    if (c === '\\' && !o.raw) {
      if (i + 1 >= text.length) {
        if (atEof) break;
        // The escaped character has not come yet.
        return { chars, escaped, used: i, complete: false };
      }
      if (text[i + 1] !== '\n') { chars += text[i + 1]; escaped.push(true); }
      i += 2;
      continue;
    }
    chars += c;
    escaped.push(false);
    i++;
  }
  const complete = o.nchars !== null && chars.length >= o.nchars;
  return { chars, escaped, used: i, complete };
}

/** The values for read's names (or its array's elements), from the input `chars` (see takeInput). */
export function divideInput(chars: string, escaped: boolean[], ifs: string, o: ReadOptions): string[] {
  const isIfs = (k: number) => !escaped[k] && ifs.includes(chars[k]);
  const isWhite = (k: number) => isIfs(k) && (chars[k] === ' ' || chars[k] === '\t' || chars[k] === '\n');
  if (o.array !== null) {
    const { tokens, kept } = splitIfs(chars, ifs, (k) => !escaped[k]);
    return tokens.filter((t, k) => t !== '' || kept[k]);
  }
  if (o.names.length === 0 || o.exact) return [chars];
  const values: string[] = [];
  let k = 0;
  const skipWhite = () => { while (k < chars.length && isWhite(k)) k++; };
  /** One field from k, and the separator after it. */
  const field = (): string => {
    const start = k;
    while (k < chars.length && !isIfs(k)) k++;
    const value = chars.slice(start, k);
    skipWhite();
    if (k < chars.length && isIfs(k) && !isWhite(k)) { k++; skipWhite(); }
    return value;
  };
  skipWhite();
  for (let n = 0; n < o.names.length - 1; n++) values.push(field());
  const restStart = k;
  const single = field();
  if (k >= chars.length) values.push(single);
  else {
    let end = chars.length;
    while (end > restStart && isWhite(end - 1)) end--;
    values.push(chars.slice(restStart, end));
  }
  return values;
}

/** What the `read` builtin needs of its shell. */
export interface ReadShell {
  readonly vars: ShellVariables;
  readonly expansion: Expansion;
  readonly proc: ProcRecord;
  /** The standard input of the moment. */
  readonly stdin: Source;
  /** An error message, behind the shell's prefix. */
  error(message: string): void;
}

/** `read [options] [name…]`: one input read and assigned; 1 at the end of the input. */
export function* readBuiltin(sh: ReadShell, argv: string[], err: (text: string) => void): TaskGen<number> {
  const o = parseReadArgs(argv);
  if ('error' in o) { err(o.error); return o.status; }
  if (o.array !== null && sh.vars.assocs.has(o.array)) { err(`bash: read: ${o.array}: not an indexed array\n`); return 1; }
  const stdin = sh.stdin;
  let text = '';
  let eof = false;
  let taken: ReturnType<typeof takeInput>;
  for (;;) {
    taken = takeInput(text, o, eof);
    if (taken.complete || eof) break;
    // A terminal shows -p's prompt (and, with -s, does not echo the line).
    const c: string | null = yield readChunkOf(stdin, sh.proc.pid, text === '' ? o.prompt ?? '' : '', o.silent);
    if (c === null) eof = true;
    else text += c;
  }
  // One input is read; what came after it stays in the input for the next reader.
  const rest = text.slice(taken.used);
  const src = sh.stdin;
  if (src.kind === 'text') src.text = rest.length > 0 ? rest : null;
  else if (src.kind === 'pipe' && rest.length > 0) src.pipe.unread(rest);
  const values = divideInput(taken.chars, taken.escaped, sh.expansion.ifs(), o);
  if (o.array !== null) {
    if (sh.vars.attrs.has(o.array, 'r')) { sh.error(`${o.array}: readonly variable`); return 1; }
    sh.vars.clear(o.array);
    // Each element as the array's attributes make it (-i, -l, -u).
    sh.vars.arrays.set(o.array, values.map((v) => sh.vars.assignedValue(o.array!, undefined, v, false)));
  } else if (o.names.length === 0) sh.vars.scalars.set('REPLY', values[0]);
  else {
    for (const [i, n] of o.names.entries()) if (!(yield* sh.expansion.assignOrFail(n, values[i] ?? ''))) return 1;
  }
  // Input that ends before its delimiter is still assigned, but read reports the end of input.
  return taken.complete ? 0 : 1;
}

/**
 * The next chunk of standard input; from a terminal, a line typed after `prompt` (not echoed:
 * `mask`). A signal that interrupts the shell cancels the read.
 */
export function readChunkOf(stdin: Source, pid: number, prompt = '', mask = false): Wait {
  return (resume) => {
    const src = stdin;
    if (src.kind === 'null') resume(null);
    else if (src.kind === 'text') { const t = src.text; src.text = null; resume(t); }
    else if (src.kind === 'pipe') {
      src.pipe.read(resume);
      return () => src.pipe.cancelRead(resume);
    } else {
      src.term.requestLine({ pid, prompt, mask, resume: (l) => resume(l === null ? null : l + '\n') });
      return () => src.term.cancelReader(pid);
    }
  };
}
