/**
 * awk's extended regular expressions (as mawk 1.3.4-20200120 reads them) turned into JavaScript
 * ones over byte strings. Differences handled: `.` and negated brackets match a newline; a
 * backslash escapes inside brackets too (`[\]]`, `[\/]`); `[:digit:]`-style classes; `{` is an
 * ordinary character (this mawk has no interval expressions); a lone `)` is ordinary. A bad
 * pattern gets mawk's reason ("missing operand", "missing ')'", "bad class -- [], [^] or [").
 * Left alone: JS alternation is leftmost-first where POSIX wants the longest match, so
 * `match("ab", /a|ab/)` finds "a" here and "ab" in mawk.
 */

const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: '0-9A-Za-z', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\v\\f\\r', blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~', cntrl: '\\x00-\\x1f\\x7f', graph: '!-~', print: ' -~', xdigit: '0-9A-Fa-f',
};

const CONTROL: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b' };

export class RegexError extends Error {}

/** One byte as a JS regex atom that means exactly that byte. */
function lit(c: string): string {
  if (/[A-Za-z0-9_ ]/.test(c)) return c;
  return '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0');
}

/** The byte a backslash escape stands for, and how many characters it used after the `\`. */
function escaped(src: string, i: number): { ch: string; used: number } {
  const n = src[i];
  if (n in CONTROL) return { ch: CONTROL[n], used: 1 };
  const oct = /^[0-7]{1,3}/.exec(src.slice(i));
  if (oct) return { ch: String.fromCharCode(parseInt(oct[0], 8) & 0xff), used: oct[0].length };
  return { ch: n, used: 1 };
}

/** A bracket expression starting at `[`: its JS form and the index after its `]`. */
function bracket(src: string, start: number): { js: string; end: number } {
  let i = start + 1;
  let negate = false;
  if (src[i] === '^') { negate = true; i++; }
  const items: string[] = [];
  let first = true;
  for (;;) {
    if (i >= src.length) throw new RegexError('bad class -- [], [^] or [');
    const c = src[i];
    if (c === ']' && !first) { i++; break; }
    first = false;
    const cls = /^\[:([a-z]+):\]/.exec(src.slice(i));
    if (cls && cls[1] in CLASSES) { items.push(CLASSES[cls[1]]); i += cls[0].length; continue; }
    let ch = c;
    i++;
    if (c === '\\' && i < src.length) { const e = escaped(src, i); ch = e.ch; i += e.used; }
    // A range `a-z` (a `-` first or last is itself).
    if (src[i] === '-' && src[i + 1] !== undefined && src[i + 1] !== ']') {
      let hi = src[i + 1];
      i += 2;
      if (hi === '\\' && i < src.length) { const e = escaped(src, i); hi = e.ch; i += e.used; }
      if (hi < ch) throw new RegexError('bad class -- [], [^] or [');
      items.push(`${lit(ch)}-${lit(hi)}`);
      continue;
    }
    items.push(lit(ch));
  }
  if (items.length === 0) return { js: negate ? '[\\s\\S]' : '[^\\s\\S]', end: i };
  return { js: `[${negate ? '^' : ''}${items.join('')}]`, end: i };
}

/** Translate an awk ERE to the source of an equivalent JS RegExp (used with flag `s`). */
export function ereToJs(src: string): string {
  let out = '';
  let depth = 0;
  // Whether an operand has been seen since the start, `(` or `|` (a quantifier needs one).
  let operand = false;
  for (let i = 0; i < src.length;) {
    const c = src[i];
    switch (c) {
      case '\\': {
        if (i + 1 >= src.length) { out += '\\\\'; i++; operand = true; break; }
        const e = escaped(src, i + 1);
        out += lit(e.ch);
        i += 1 + e.used;
        operand = true;
        break;
      }
      case '[': {
        const b = bracket(src, i);
        out += b.js;
        i = b.end;
        operand = true;
        break;
      }
      case '(':
        depth++;
        out += '(?:';
        i++;
        operand = false;
        break;
      case ')':
        if (depth === 0) { out += '\\)'; i++; operand = true; break; }
        if (!operand && !out.endsWith('(?:')) throw new RegexError('missing operand');
        depth--;
        out += ')';
        i++;
        operand = true;
        break;
      case '|':
        if (!operand || i + 1 >= src.length || src[i + 1] === ')' || src[i + 1] === '|') throw new RegexError('missing operand');
        out += '|';
        i++;
        operand = false;
        break;
      case '*': case '+': case '?':
        if (!operand) throw new RegexError('missing operand');
        // A repeated quantifier (a**) means the same as one.
        if (/[*+?]$/.test(out) && !out.endsWith('\\*') && !out.endsWith('\\+') && !out.endsWith('\\?')) {
          out = out.slice(0, -1) + (out.endsWith(c) ? c : '*');
        } else out += c;
        i++;
        break;
      case '^':
        out += '^';
        i++;
        break;
      case '$':
        out += '$';
        i++;
        break;
      case '.':
        out += '.';
        i++;
        operand = true;
        break;
      default:
        out += lit(c);
        i++;
        operand = true;
    }
  }
  if (depth > 0) throw new RegexError("missing ')'");
  return out;
}

const cache = new Map<string, RegExp>();

/** The compiled form of an awk regex (cached: programs match the same few patterns per record). */
export function compileEre(src: string): RegExp {
  let re = cache.get(src);
  if (!re) {
    re = new RegExp(ereToJs(src), 's');
    if (cache.size > 500) cache.clear();
    cache.set(src, re);
  }
  return re;
}
