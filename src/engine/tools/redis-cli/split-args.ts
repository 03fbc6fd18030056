/**
 * redis-cli's argument splitting (hiredis sdssplitargs): how a typed line becomes argv.
 *
 * Words are separated by blanks. A word may be "double quoted" (with \n \r \t \b \a, \xHH and
 * backslash escapes) or 'single quoted' (only \' is an escape). A closing quote must be
 * followed by a blank or the end of the line, and an unterminated quote is an error: both make
 * the whole line invalid (null), which the REPL reports as "Invalid argument(s)". Quotes in the
 * middle of a word (`key"" bar`) just start a quoted section, as in the C code.
 *
 * The input is a C string: it ends at the first NUL byte.
 */
import { cstr } from './cformat';

/** isspace() in the C locale. */
function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

function isHexDigit(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

export function splitArgs(input: string): string[] | null {
  const line = cstr(input);
  const out: string[] = [];
  let p = 0;
  const at = (i: number): string | undefined => (i < line.length ? line[i] : undefined);
  for (;;) {
    while (p < line.length && isSpace(line[p])) p++;
    if (p >= line.length) return out;
    let inDouble = false;
    let inSingle = false;
    let done = false;
    let current = '';
    while (!done) {
      const c = at(p);
      if (inDouble) {
        if (c === '\\' && at(p + 1) === 'x' && isHexDigit(at(p + 2)) && isHexDigit(at(p + 3))) {
          current += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === '\\' && at(p + 1) !== undefined) {
          p++;
          const e = line[p];
          current += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          const next = at(p + 1);
          if (next !== undefined && !isSpace(next)) return null;
          done = true;
        } else if (c === undefined) {
          return null;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (c === '\\' && at(p + 1) === "'") {
          p++;
          current += "'";
        } else if (c === "'") {
          const next = at(p + 1);
          if (next !== undefined && !isSpace(next)) return null;
          done = true;
        } else if (c === undefined) {
          return null;
        } else {
          current += c;
        }
      } else {
        switch (c) {
          case ' ': case '\n': case '\r': case '\t': case undefined:
            done = true;
            break;
          case '"': inDouble = true; break;
          case "'": inSingle = true; break;
          default: current += c;
        }
      }
      if (p < line.length) p++;
    }
    out.push(current);
  }
}

/** unquoteCString: a string that must split into exactly one argument, else null. */
export function unquoteCString(s: string): string | null {
  const parts = splitArgs(s);
  return parts && parts.length === 1 ? parts[0] : null;
}
