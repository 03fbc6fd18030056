/**
 * bash's `read` builtin, the parts that need no shell: its options, and how a line it read is
 * divided among the variables it names.
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
import { splitIfs } from './fields';

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
