/**
 * Tokenizer of the check language (docs/LESSON-FORMAT.md, "Checks").
 *
 * Tokens: numbers with an optional unit (`30s`, `64kb`, `1.5`), strings in double or single
 * quotes with backslash escapes, names (`role`, `and`, `true`), operators, and newlines.
 * `#` starts a comment to the end of the line.
 *
 * Newlines matter because a check block holds one check per line. A newline is dropped (the
 * check continues on the next line) when it is inside parentheses, after a token that cannot
 * end a check (an operator, `and`, `or`, `not`, `(`, `,`), or before a line that starts with
 * `and`/`or`. So long checks can be broken before or after `and`.
 */
import { DURATION_UNITS, SIZE_UNITS, UNIT_HELP } from '../units';

export type TokenKind = 'number' | 'string' | 'name' | 'op' | 'newline' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  /** Offsets into the tokenized text: [start, end). */
  start: number;
  end: number;
  /** number: value in base units (ms for durations, bytes for sizes); string: decoded value. */
  value?: number | string;
  /** number: which unit family its suffix belongs to. */
  unit?: 'duration' | 'size' | null;
}

export interface TokenizeError {
  start: number;
  message: string;
}

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '(', ')', ',', '.', '='];
const MISTAKES: Record<string, string> = {
  '&&': 'use `and` instead of `&&`',
  '||': 'use `or` instead of `||`',
  '!': 'use `not` instead of `!`',
  '===': 'use `==` to compare',
  '!==': 'use `!=` to compare',
  '[': 'lists and indexing are not part of the check language',
  ']': 'lists and indexing are not part of the check language',
};

const isDigit = (c: string) => c >= '0' && c <= '9';
const isNameStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNameChar = (c: string) => isNameStart(c) || isDigit(c);

/** Tokens after which a check cannot end, so a following newline continues the check. */
function continuesAfter(t: Token): boolean {
  if (t.kind === 'op') return t.text !== ')';
  return t.kind === 'name' && (t.text === 'and' || t.text === 'or' || t.text === 'not');
}

export function tokenize(text: string): { tokens: Token[]; errors: TokenizeError[] } {
  const raw: Token[] = [];
  const errors: TokenizeError[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      // Newlines inside parentheses are plain whitespace.
      if (depth === 0) raw.push({ kind: 'newline', text: '\n', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (isDigit(c)) {
      const start = i;
      while (i < text.length && isDigit(text[i])) i++;
      if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
        i++;
        while (i < text.length && isDigit(text[i])) i++;
      }
      const digits = text.slice(start, i);
      const unitStart = i;
      while (i < text.length && isNameChar(text[i])) i++;
      const unit = text.slice(unitStart, i);
      let value = Number(digits);
      let family: Token['unit'] = null;
      if (unit !== '') {
        if (unit in DURATION_UNITS) {
          value *= DURATION_UNITS[unit];
          family = 'duration';
        } else if (unit in SIZE_UNITS) {
          value *= SIZE_UNITS[unit];
          family = 'size';
        } else {
          errors.push({ start: unitStart, message: `unknown unit "${unit}": ${UNIT_HELP}` });
        }
      }
      raw.push({ kind: 'number', text: text.slice(start, i), start, end: i, value, unit: family });
      continue;
    }
    if (c === '"' || c === "'") {
      const start = i;
      let value = '';
      i++;
      let closed = false;
      while (i < text.length && text[i] !== '\n') {
        const d = text[i];
        if (d === c) {
          closed = true;
          i++;
          break;
        }
        if (d === '\\') {
          const e = text[i + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };
          if (e !== undefined && e in map) {
            value += map[e];
            i += 2;
            continue;
          }
          errors.push({ start: i, message: `unknown escape "\\${e ?? ''}" in a string (use \\\\, \\", \\', \\n or \\t)` });
          i += e === undefined ? 1 : 2;
          continue;
        }
        value += d;
        i++;
      }
      if (!closed) errors.push({ start, message: 'unterminated string: add the closing quote on the same line' });
      raw.push({ kind: 'string', text: text.slice(start, i), start, end: i, value });
      continue;
    }
    if (isNameStart(c)) {
      const start = i;
      while (i < text.length && isNameChar(text[i])) i++;
      raw.push({ kind: 'name', text: text.slice(start, i), start, end: i });
      continue;
    }
    const mistake = Object.keys(MISTAKES)
      .sort((a, b) => b.length - a.length)
      .find((m) => text.startsWith(m, i));
    if (mistake && !(mistake === '!' && text[i + 1] === '=')) {
      errors.push({ start: i, message: MISTAKES[mistake] });
      i += mistake.length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      if (op === '(') depth++;
      if (op === ')') depth = Math.max(0, depth - 1);
      raw.push({ kind: 'op', text: op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    errors.push({ start: i, message: `unexpected character "${c}"` });
    i++;
  }
  // Drop newlines that cannot end a check (see the top-of-file comment), and collapse runs.
  const tokens: Token[] = [];
  for (let k = 0; k < raw.length; k++) {
    const t = raw[k];
    if (t.kind === 'newline') {
      const prev = tokens[tokens.length - 1];
      if (!prev || prev.kind === 'newline' || continuesAfter(prev)) continue;
      let next = k + 1;
      while (next < raw.length && raw[next].kind === 'newline') next++;
      const n = raw[next];
      if (!n) continue;
      if (n.kind === 'name' && (n.text === 'and' || n.text === 'or')) continue;
    }
    tokens.push(t);
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return { tokens, errors };
}
