/**
 * Turning expanded text into the fields of a command line, as bash does after expansion: the
 * results of unquoted expansions are split at the characters of IFS and may be glob patterns;
 * quoted text is neither. Also what the words of `${x:-word}`, `${x#pattern}` and
 * `${x/pattern/replacement}` become once expanded: pieces that remember whether they were
 * quoted, so that `${x:-"a b"}` stays one field and `${x#"*"}` removes a literal star.
 *
 * Field splitting (POSIX 2.6.5): a separator is a run of IFS white space (space, tab, newline
 * when they are in IFS) with at most one other IFS character in it; the text between two
 * separators is a field, an empty one too when a non-white separator ends it (`a::b` with
 * IFS=: is a, '', b), but white space at either end makes no empty field, and a separator at
 * the very end makes none either.
 */
import { globQuote } from './glob';

/**
 * A piece of an expanded operator word: `quoted` (inside quotes in the word: never split or
 * globbed, literal in a pattern), `literal` (unquoted text written in the word) or `expanded`
 * (the result of an unquoted expansion in it); `break` ends a field (between the elements of a
 * quoted `"$@"`).
 */
export type Piece = { kind: 'quoted' | 'literal' | 'expanded'; s: string } | { kind: 'break' };

/** What `${x:-word}` and `${x:+word}` expand to: the pieces of their word. */
export class Pieces {
  constructor(readonly list: Piece[]) {}

  /** The text, quotes removed, fields joined by a space (a here-document, an assignment). */
  text(): string {
    return this.list.map((p) => (p.kind === 'break' ? ' ' : p.s)).join('');
  }
}

/** bash's default IFS, also what an unset IFS means. */
export const DEFAULT_IFS = ' \t\n';

/**
 * Split `text` at IFS separators: the tokens between them and, for each, whether a separator
 * with a non-white character ends it (then an empty token still is a field). The first token
 * continues whatever field came before the text; each later one starts a new field.
 * `separates(i)`: false for a character that IFS holds but that must not separate (one read
 * got behind a backslash).
 */
export function splitIfs(text: string, ifs: string, separates: (i: number) => boolean = () => true): { tokens: string[]; kept: boolean[] } {
  if (ifs === '') return { tokens: [text], kept: [false] };
  const tokens: string[] = [];
  const kept: boolean[] = [];
  const sep = (k: number) => ifs.includes(text[k]) && separates(k);
  const white = (k: number) => (text[k] === ' ' || text[k] === '\t' || text[k] === '\n') && sep(k);
  let cur = '';
  let i = 0;
  while (i < text.length) {
    if (!sep(i)) { cur += text[i]; i++; continue; }
    while (i < text.length && white(i)) i++;
    let hard = false;
    if (i < text.length && sep(i) && !white(i)) {
      hard = true;
      i++;
      while (i < text.length && white(i)) i++;
    }
    tokens.push(cur);
    kept.push(hard);
    cur = '';
  }
  tokens.push(cur);
  kept.push(false);
  return { tokens, kept };
}

/** A field being built: its text, the same as a glob pattern (quoted parts escaped), and flags. */
interface Field { s: string; pattern: string; keep: boolean; glob: boolean }

/**
 * Builds the fields of one word from its expanded parts. `split` false: a word that is not
 * split (an assignment's value, a redirection's target, `case`'s word).
 */
export class FieldBuilder {
  readonly fields: Field[] = [];
  private cur: Field | null = null;

  constructor(private readonly ifs: string, private readonly split: boolean) {}

  private field(): Field {
    if (!this.cur) { this.cur = { s: '', pattern: '', keep: false, glob: false }; this.fields.push(this.cur); }
    return this.cur;
  }

  /** Text that is not split: quoted (kept even when empty, literal as a pattern) or not (`globbable`: a glob pattern). */
  append(s: string, quoted: boolean, globbable = !quoted): void {
    const f = this.field();
    f.s += s;
    f.pattern += globbable ? s : globQuote(s);
    if (quoted) f.keep = true;
    if (globbable && /[*?[]/.test(s)) f.glob = true;
  }

  /** The end of the current field (between the elements of "$@"). */
  endField(): void {
    this.cur = null;
  }

  /** The result of an unquoted expansion: split at IFS (unless this word is not split), and a glob pattern. */
  appendSplit(s: string): void {
    if (!this.split) { this.append(s, false); return; }
    const { tokens, kept } = splitIfs(s, this.ifs);
    tokens.forEach((t, i) => {
      if (i > 0) this.cur = null;
      if (t !== '') this.append(t, false);
      else if (kept[i]) this.field().keep = true;
    });
  }

  /** The pieces of an operator's word, unquoted: its unquoted pieces are split as an expansion's result. */
  appendPieces(pieces: Pieces, quoted: boolean): void {
    for (const p of pieces.list) {
      if (p.kind === 'break') this.endField();
      else if (p.kind === 'quoted' || quoted) this.append(p.s, true);
      else this.appendSplit(p.s);
    }
  }
}

/** The pieces of a pattern word as a glob pattern: quoted pieces match literally. */
export function patternOf(pieces: Pieces): string {
  return pieces.list.map((p) => (p.kind === 'break' ? ' ' : p.kind === 'quoted' ? globQuote(p.s) : p.s)).join('');
}

/**
 * The replacement of `${x/pattern/replacement}`, given the matched text: bash 5.2's
 * patsub_replacement — an `&` that is not quoted stands for the match; in the result of an
 * unquoted expansion, `\&` is a literal `&` and `\\` a backslash.
 */
export function replacementOf(pieces: Pieces): (match: string) => string {
  if (!pieces.list.some((p) => p.kind !== 'break' && p.kind !== 'quoted' && /[&\\]/.test(p.s))) {
    const text = pieces.text();
    return () => text;
  }
  const parts: (string | null)[] = [];
  for (const p of pieces.list) {
    if (p.kind === 'break') { parts.push(' '); continue; }
    if (p.kind === 'quoted') { parts.push(p.s); continue; }
    let lit = '';
    for (let i = 0; i < p.s.length; i++) {
      const c = p.s[i];
      if (c === '\\' && (p.s[i + 1] === '&' || p.s[i + 1] === '\\')) lit += p.s[++i];
      else if (c === '&') { parts.push(lit, null); lit = ''; }
      else lit += c;
    }
    parts.push(lit);
  }
  return (match) => parts.map((x) => x ?? match).join('');
}

/**
 * The message of `${x:?word}`: the word expanded as if unquoted, the results of its expansions
 * split into fields, and the fields joined by single spaces (its literal text stays as written).
 */
export function messageOf(pieces: Pieces, ifs: string): string {
  const b = new FieldBuilder(ifs, true);
  for (const p of pieces.list) {
    if (p.kind === 'break') b.endField();
    else if (p.kind === 'expanded') b.appendSplit(p.s);
    else b.append(p.s, true);
  }
  return b.fields.map((f) => f.s).join(' ');
}
