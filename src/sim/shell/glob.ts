/**
 * Shell pattern matching (`*`, `?`, `[abc]`, `[!a-z]`, `\x` for a literal x) for globbing,
 * `case` and `${v#pattern}`, and pkill-style names.
 */
export function globMatch(pattern: string, name: string): boolean {
  return globRegExp(pattern).test(name);
}

export function globRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*?+^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) { re += '\\['; continue; }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(re + '$', 's');
}

/** A literal string as a pattern that matches only itself (quoted text in a pattern). */
export function globQuote(text: string): string {
  return text.replace(/[*?[\\]/g, '\\$&');
}
