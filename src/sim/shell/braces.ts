/**
 * Brace expansion, bash's first expansion: `k{a,b}v` → `kav kbv`, `{1..5}`, `{01..10}`,
 * `{a..e}`, `{10..1..3}`, nested `{a,b{c,d}}`. It works on the unquoted text of a word
 * before parameters and globs are expanded; `{x}` and `{}` (no comma, no sequence) stay as
 * they are, like in bash.
 */
import type { Part, Word } from './parser';

/** The words a word expands to (the word itself when it holds no brace expression). */
export function expandBraces(word: Word): Word[] {
  for (let p = 0; p < word.length; p++) {
    const part = word[p];
    if (part.t !== 'lit' || part.q) continue;
    const found = findBrace(part.v);
    if (!found) continue;
    const { start, end, alternatives } = found;
    const before = word.slice(0, p);
    const after = word.slice(p + 1);
    const out: Word[] = [];
    for (const alt of alternatives) {
      const text = part.v.slice(0, start) + alt + part.v.slice(end + 1);
      const lit: Part = { t: 'lit', v: text, q: false };
      // The result may hold further braces (`{a,b}{c,d}`, nested ones): expand again.
      out.push(...expandBraces([...before, lit, ...after]));
    }
    return out;
  }
  return [word];
}

/** The first brace expression in `s`: its span and what it expands to. */
function findBrace(s: string): { start: number; end: number; alternatives: string[] } | null {
  for (let start = s.indexOf('{'); start >= 0; start = s.indexOf('{', start + 1)) {
    if (start > 0 && s[start - 1] === '$') continue;
    const end = matchingBrace(s, start);
    if (end < 0) return null;
    const body = s.slice(start + 1, end);
    const seq = sequence(body);
    if (seq) return { start, end, alternatives: seq };
    const items = splitTopLevel(body);
    if (items.length > 1) return { start, end, alternatives: items };
  }
  return null;
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** `a,b{c,d},e` → ['a', 'b{c,d}', 'e'] (commas inside nested braces do not split). */
function splitTopLevel(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) { items.push(body.slice(from, i)); from = i + 1; }
  }
  items.push(body.slice(from));
  return items;
}

/** `1..5`, `05..1`, `a..e`, `1..10..3`: the sequence, or null when `body` is not one. */
function sequence(body: string): string[] | null {
  const num = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body);
  if (num) {
    const from = Number(num[1]);
    const to = Number(num[2]);
    const step = Math.abs(Number(num[3] ?? 1)) || 1;
    // A leading zero on either end pads every number to the wider end's width.
    const padded = /^-?0\d/.test(num[1]) || /^-?0\d/.test(num[2]);
    const width = padded ? Math.max(num[1].length, num[2].length) : 0;
    const out: string[] = [];
    for (let v = from; from <= to ? v <= to : v >= to; v += from <= to ? step : -step) {
      const text = String(Math.abs(v)).padStart(v < 0 ? width - 1 : width, '0');
      out.push(v < 0 ? `-${text}` : text);
    }
    return out;
  }
  const chr = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  if (chr) {
    const from = chr[1].charCodeAt(0);
    const to = chr[2].charCodeAt(0);
    const step = Math.abs(Number(chr[3] ?? 1)) || 1;
    const out: string[] = [];
    for (let v = from; from <= to ? v <= to : v >= to; v += from <= to ? step : -step) out.push(String.fromCharCode(v));
    return out;
  }
  return null;
}
