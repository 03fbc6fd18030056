/**
 * Shell pattern matching (`*`, `?`, `[abc]`, `[!a-z]`, `\x` for a literal x) for globbing,
 * `case` and `${v#pattern}`, and pkill-style names; pathname expansion (the files a word's
 * pattern names).
 */
import type { Disk } from '../kernel/disk';
import { resolvePath } from '../runtime/paths';

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

/**
 * Pathname expansion: the existing paths that `pattern` (its quoted characters behind a
 * backslash) matches, relative to `cwd` unless it is absolute, sorted; a name starting with a
 * dot only for a component that starts with one. None: an empty list.
 */
export function expandPathname(disk: Disk, cwd: string, pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p) => p !== '');
  let bases: string[] = [absolute ? '/' : ''];
  for (const part of parts) {
    const next: string[] = [];
    for (const b of bases) {
      const dirPath = resolvePath(cwd, b || '.');
      if (/^(?:[^\\*?[]|\\.)*\\?$/.test(part)) {
        // No pattern characters in this component (quoted ones are escaped): the name itself.
        const name = part.replace(/\\(.)/g, '$1');
        next.push(b === '' ? name : b === '/' ? `/${name}` : `${b}/${name}`);
        continue;
      }
      const names = disk.list(dirPath);
      if (typeof names === 'string') continue;
      for (const n of names) {
        if (n.startsWith('.') && !part.startsWith('.')) continue;
        if (globMatch(part, n)) next.push(b === '' ? n : b === '/' ? `/${n}` : `${b}/${n}`);
      }
    }
    bases = next;
  }
  return bases.filter((b) => disk.lookup(resolvePath(cwd, b)) !== null).sort();
}
