/**
 * How bash writes a word in a `set -x` trace line: as is when the shell would read it back as
 * the same word; in single quotes when it holds a blank, a quote, a metacharacter, a glob or
 * expansion character (or a `~` / `#` where they mean something); as $'…' when it holds a
 * control character; `''` when empty.
 */
const META = /[ \t\n'"\\|&;()<>!{}*[?\]^$`]|^[~#]|[=:]~/;

/** Control characters (UTF-8 bytes of letters from 0x80 up print as they are). */
const CONTROL = /[\x00-\x1f\x7f]/;

const ANSI_C_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\x1b': '\\E', '\\': '\\\\', "'": "\\'" };

/**
 * A word as bash's $'…' (what set -x and printf %q write for a word with control characters):
 * C escapes where there is one (`\n`, `\E`, `\\`, `\'`), other controls in octal (`\001`).
 */
export function ansiCQuote(word: string): string {
  let out = "$'";
  for (const c of word) {
    const code = c.charCodeAt(0);
    out += ANSI_C_ESCAPES[c] ?? (code < 0x20 || code === 0x7f ? `\\${code.toString(8).padStart(3, '0')}` : c);
  }
  return out + "'";
}

/** bash's sh_contains_shell_metas: whether a word needs quoting to be read back as itself. */
export function containsShellMetas(word: string): boolean {
  return META.test(word);
}

/** bash's ansic_shouldquote: whether a word holds characters only $'…' can show (controls). */
export function needsAnsiC(word: string): boolean {
  return CONTROL.test(word);
}

/** bash's sh_double_quote: in double quotes, `\`, `"`, `$` and backquotes behind a backslash. */
export function doubleQuote(word: string): string {
  return `"${word.replace(/[\\"$`]/g, '\\$&')}"`;
}

/** bash's sh_single_quote: always in single quotes (a lone `'` as `\'`). */
export function singleQuote(word: string): string {
  return word === "'" ? "\\'" : `'${word.replace(/'/g, "'\\''")}'`;
}

export function xtraceQuote(word: string): string {
  if (word === '') return "''";
  if (META.test(word)) return singleQuote(word);
  if (CONTROL.test(word)) return ansiCQuote(word);
  return word;
}

/** An assigned value in a trace line: quoted as a word is, but nothing at all when empty (`+ x=`). */
export function traceValue(v: string): string {
  return v === '' ? '' : xtraceQuote(v);
}
