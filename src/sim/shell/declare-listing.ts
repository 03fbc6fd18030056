/**
 * How `declare -p` shows a variable, as bash 5.2 writes it: `declare -FLAGS name=VALUE`, the
 * flags `a` (indexed array) or `A` (associative) then the others (`attrs`, in bash's order:
 * i r x l u; var-attributes.ts), `--` when there are none;
 * a value in double quotes (or `$'…'` with control characters); an array as
 * `([0]="a" [3]="b")`, an associative one as `([key]="v" [k2]="w" )` — a space after each
 * element, keys quoted only when they need it; `name` alone when it was declared without a value.
 */
import { ansiCQuote, containsShellMetas, doubleQuote, needsAnsiC } from './xtrace';

/** A variable's value for the listing; null: declared, no value yet. */
export type DeclaredValue =
  | { scalar: string | null }
  | { array: readonly (string | undefined)[] | null }
  | { assoc: readonly [string, string][] | null };

function quoteValue(v: string): string {
  return needsAnsiC(v) ? ansiCQuote(v) : doubleQuote(v);
}

/** An associative array's key: bare unless the shell would read it otherwise (or it is `@` alone). */
function quoteKey(k: string): string {
  if (needsAnsiC(k)) return ansiCQuote(k);
  return containsShellMetas(k) || k === '@' ? doubleQuote(k) : k;
}

export function declareLine(name: string, value: DeclaredValue, attrs: string): string {
  const flags = ('array' in value ? 'a' : 'assoc' in value ? 'A' : '') + attrs;
  const head = `declare -${flags || '-'} ${name}`;
  if ('scalar' in value) return value.scalar === null ? `${head}\n` : `${head}=${quoteValue(value.scalar)}\n`;
  if ('array' in value) {
    if (value.array === null) return `${head}\n`;
    const items: string[] = [];
    value.array.forEach((v, i) => { if (v !== undefined) items.push(`[${i}]=${quoteValue(v)}`); });
    return `${head}=(${items.join(' ')})\n`;
  }
  if (value.assoc === null) return `${head}\n`;
  return `${head}=(${value.assoc.map(([k, v]) => `[${quoteKey(k)}]=${quoteValue(v)} `).join('')})\n`;
}
