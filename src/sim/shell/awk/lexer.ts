/**
 * awk's tokens. The program is cut into tokens up front; the one real ambiguity of awk's
 * lexical grammar, `/` as division or as the start of a regular expression, is settled by the
 * token before it, as awk lexers do: after something that ends an operand (a name, a number, a
 * string, `)`, `]`, `$`-less `++`/`--`, a built-in like `length`) it divides, elsewhere it opens
 * a regex. Errors are thrown as `AwkSyntaxError` with mawk's wording.
 */

export type TokKind =
  | 'number' | 'string' | 'ere' | 'name' | 'funcname' | 'builtin' | 'keyword' | 'op' | 'newline' | 'eof';

export interface Token {
  kind: TokKind;
  /** The operator or keyword itself, a name, or a string/regex's (unescaped) value. */
  text: string;
  /** What the program said, for "syntax error at or near …". */
  source: string;
  num?: number;
  line: number;
}

/** A compile-time error: mawk prints `awk: line N: message`. */
export class AwkSyntaxError extends Error {
  /** `more`: further messages mawk prints after recovering from the first error. */
  constructor(readonly line: number | null, message: string, readonly more: { line: number; message: string }[] = []) { super(message); }
}

export const KEYWORDS = new Set([
  'BEGIN', 'END', 'function', 'func', 'if', 'else', 'while', 'for', 'do', 'break', 'continue', 'next', 'nextfile', 'exit',
  'return', 'delete', 'getline', 'print', 'printf', 'in',
]);

export const BUILTINS = new Set([
  'length', 'substr', 'index', 'split', 'sub', 'gsub', 'match', 'sprintf', 'toupper', 'tolower', 'int', 'sqrt', 'exp',
  'log', 'sin', 'cos', 'atan2', 'rand', 'srand', 'system', 'close', 'fflush',
]);

/** Longest first. (This mawk has no `**`.) */
const OPERATORS = [
  '&&', '||', '==', '!=', '<=', '>=', '>>', '+=', '-=', '*=', '/=', '%=', '^=', '++', '--', '!~',
  '{', '}', '(', ')', '[', ']', ';', ',', '+', '-', '*', '/', '%', '^', '!', '>', '<', '|', '?', ':', '~', '$', '=',
];

/** String escapes: `\"`, `\\`, `\/`-as-is, C's letters, octal `\ddd` and mawk's hex `\xhh`. */
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '/': '\\/' };

export function unescapeString(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) { out += c; continue; }
    const n = body[i + 1];
    if (n in ESCAPES) { out += ESCAPES[n]; i++; continue; }
    const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1));
    if (oct) { out += String.fromCharCode(parseInt(oct[0], 8) & 0xff); i += oct[0].length; continue; }
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(body.slice(i + 1));
    if (hex) { out += String.fromCharCode(parseInt(hex[1], 16)); i += hex[0].length; continue; }
    // An unknown escape keeps its backslash (mawk: "\q" is `\q`).
    out += c;
  }
  return out;
}

/** Tokens that end an operand: a `/` after one of them divides. */
function endsOperand(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'number' || t.kind === 'string' || t.kind === 'ere' || t.kind === 'name' || t.kind === 'builtin') return true;
  return t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '++' || t.text === '--' || t.text === '$');
}

export function tokenize(src: string): Token[] {
  const toks: Token[] = [];
  let line = 1;
  let i = 0;
  const push = (kind: TokKind, text: string, source: string, num?: number) => { toks.push({ kind, text, source, num, line }); };
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') { i++; continue; }
    if (c === '\\' && src[i + 1] === '\n') { i += 2; line++; continue; }
    if (c === '\\' && src[i + 1] === '\r' && src[i + 2] === '\n') { i += 3; line++; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '\n') { push('newline', '\n', 'end of line'); line++; i++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"' && src[j] !== '\n') j += src[j] === '\\' && j + 1 < src.length ? 2 : 1;
      if (src[j] !== '"') throw new AwkSyntaxError(line, `runaway string constant "${src.slice(i + 1, Math.min(j, i + 11))} ...`);
      push('string', unescapeString(src.slice(i + 1, j)), src.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '/' && !endsOperand(toks[toks.length - 1])) {
      // A regex literal: up to the next unescaped `/` outside a bracket expression.
      let j = i + 1;
      let inBracket = false;
      while (j < src.length && src[j] !== '\n') {
        const d = src[j];
        if (d === '\\' && j + 1 < src.length && src[j + 1] !== '\n') { j += 2; continue; }
        if (inBracket) {
          if (d === ']') inBracket = false;
          j++;
          continue;
        }
        if (d === '[') {
          inBracket = true;
          j++;
          if (src[j] === '^') j++;
          if (src[j] === ']') j++;
          continue;
        }
        if (d === '/') break;
        j++;
      }
      if (src[j] !== '/') throw new AwkSyntaxError(line, `runaway regular expression ${src.slice(i, Math.min(j, i + 10))} ...`);
      // `\/` stands for `/`; other escapes are the regex's business.
      push('ere', src.slice(i + 1, j).replace(/\\\//g, '/'), src.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(src.slice(i, i + 400));
    if (num) {
      const v = Number(num[0]);
      if (!Number.isFinite(v)) throw new AwkSyntaxError(line, `${num[0]} : decimal overflow`);
      push('number', num[0], num[0], v);
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 400));
    if (word) {
      const w = word[0];
      i += w.length;
      if (KEYWORDS.has(w)) push('keyword', w === 'func' ? 'function' : w, w);
      else if (BUILTINS.has(w)) push('builtin', w, w);
      // A user function call has its `(` right after the name.
      else if (src[i] === '(') push('funcname', w, w);
      else push('name', w, w);
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new AwkSyntaxError(null, `${line}: unexpected character '${c}'`);
    push('op', op, op);
    i += op.length;
  }
  // mawk reads the program as if it ended with a newline.
  push('newline', '\n', 'end of line');
  toks.push({ kind: 'eof', text: '', source: 'end of file', line: line + 1 });
  return toks;
}
