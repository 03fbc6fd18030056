/**
 * A shell function's attributes — exported (`export -f`, `declare -fx`) and readonly
 * (`readonly -f`, `declare -fr`) — and how declare, readonly and export list a function with
 * them (bash's show_var_attributes).
 */
import type { FuncDef } from './parser';
import { formatFunction } from './function-listing';

/** Where a shell keeps its functions and their attributes. */
export interface FunctionTable {
  readonly functions: Map<string, FuncDef>;
  readonly exportedFunctions: Set<string>;
  readonly readonlyFunctions: Set<string>;
}

/** The attribute letters a function has, in bash's order: `f`, then `r`, then `x`. */
export function functionFlags(sh: FunctionTable, name: string): string {
  return `f${sh.readonlyFunctions.has(name) ? 'r' : ''}${sh.exportedFunctions.has(name) ? 'x' : ''}`;
}

/**
 * A function as a listing shows it: its definition, then the `declare -f… name` line that
 * gives its attributes back — declare leaves that line out for a function with none but `f`,
 * readonly and export always write it. `namesOnly` (-F): the `declare` line alone.
 */
export function listFunction(sh: FunctionTable, name: string, from: 'declare' | 'readonly' | 'export', namesOnly: boolean): string {
  const def = sh.functions.get(name);
  if (!def) return '';
  const flags = functionFlags(sh, name);
  const attributes = `declare -${flags} ${name}\n`;
  if (namesOnly) return attributes;
  const definition = `${formatFunction(def)}\n`;
  return from === 'declare' && flags === 'f' ? definition : definition + attributes;
}

/** Every function having each attribute of `letters` (`r`, `x`), by name, as a listing shows them. */
export function listFunctions(sh: FunctionTable, letters: string, from: 'declare' | 'readonly' | 'export', namesOnly: boolean): string {
  return [...sh.functions.keys()].sort()
    .filter((name) => [...letters].every((l) => functionFlags(sh, name).includes(l)))
    .map((name) => listFunction(sh, name, from, namesOnly))
    .join('');
}
