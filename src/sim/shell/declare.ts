/**
 * The builtins that declare variables and change their attributes: declare / typeset, local,
 * readonly, export and unset, and how the words of a declaration builtin are expanded (its
 * `name=value` arguments as assignments, its `name=( … )` ones as arrays).
 */
import { builtinOptions } from './builtin-options';
import type { TaskGen } from '../kernel/tasks';
import { assignmentPrefix, type FuncDef, type Simple } from './parser';
import { AssocArray, ASSOC_BUCKETS, DEFAULT_BUCKETS } from './assoc';
import type { Expansion } from './expansion';
import { listFunction, listFunctions } from './function-attributes';
import type { ShellOptions } from './options';
import { ReadonlyVariable } from './unwind';
import type { VarAttr } from './var-attributes';
import { ELEMENT, type CompoundItems, type ShellVariables } from './variables';
import { singleQuote, traceValue } from './xtrace';

/** The builtins whose `name=value` arguments are assignments (not split), and `name=( … )` arrays. */
export const DECLARATION_BUILTINS: ReadonlySet<string> = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);

/** A declaration builtin's `name=( … )` argument, expanded. */
export interface CompoundArg { name: string; append: boolean; items: CompoundItems }

/** What the declaration builtins need of their shell. */
export interface DeclarationShell {
  readonly vars: ShellVariables;
  readonly expansion: Expansion;
  readonly options: ShellOptions;
  readonly functions: Map<string, FuncDef>;
  /** The functions marked with `export -f`. */
  readonly exportedFunctions: Set<string>;
  /** The functions marked with `readonly -f`. */
  readonly readonlyFunctions: Set<string>;
  /** Write on the standard output of the moment. */
  out(text: string): void;
  /** Write on the standard error of the moment. */
  errOut(text: string): void;
  /** `bash: ` or `x.sh: line 3: `. */
  errorPrefix(): string;
  /** set -x: a trace line. */
  trace(text: string): TaskGen<void>;
}

/**
 * A command's words expanded; for a declaration builtin (declare, typeset, local, export,
 * readonly) its `name=value` arguments are not split or globbed, as in an assignment, and
 * its `name=( … )` ones are kept aside (by their place in argv) for it to assign.
 */
export function* declarationArgs(sh: DeclarationShell, cmd: Simple): TaskGen<{ argv: string[]; compound: Map<number, CompoundArg> | undefined }> {
  // The builtin is known by its name as written (what the parser went by for `name=( … )`).
  const first = cmd.words[0];
  const written = first?.length === 1 && first[0].t === 'lit' ? first[0].v : null;
  if (written === null || !DECLARATION_BUILTINS.has(written)) return { argv: yield* sh.expansion.expandWords(cmd.words), compound: undefined };
  const argv = [written];
  const compound = new Map<number, CompoundArg>();
  for (const [k, w] of cmd.words.entries()) {
    if (k === 0) continue;
    const c = cmd.compound?.get(k);
    if (c) {
      // Expanded now; set -x shows it first (every item in single quotes), then the builtin with its name.
      const items: CompoundItems = yield* sh.expansion.expandCompound(c);
      if (sh.options.xtrace) {
        const shown = items.items.map((it) => (it.key === null ? singleQuote(it.value) : `[${singleQuote(it.key)}]=${singleQuote(it.value)}`));
        yield* sh.trace(`${c.name}${c.append ? '+=' : '='}(${shown.join(' ')})`);
      }
      compound.set(argv.length, { name: c.name, append: c.append, items });
      argv.push(c.name);
      continue;
    }
    const assignment = w[0]?.t === 'lit' && !w[0].q && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(w[0].v);
    argv.push(...(yield* sh.expansion.expandWords([w], !assignment)));
  }
  return { argv, compound };
}

/**
 * declare / typeset / local / readonly: give variables attributes (-a indexed array, -A associative,
 * -x exported; -g global from inside a function) and values (`name=value`, `name=( … )`),
 * or show them as bash does (-p; -f/-F functions). Inside a function (local, or declare
 * without -g) the names are local to it.
 */
export function* declareBuiltin(sh: DeclarationShell, cmd: string, argv: string[], compound: Map<number, CompoundArg> | undefined): TaskGen<number> {
  const err = (t: string) => sh.errOut(`${sh.errorPrefix()}${cmd}: ${t}`);
  const readonly = cmd === 'readonly';
  const usage = cmd === 'local' ? 'local: usage: local [option] name[=value] ...\n'
    : readonly ? 'readonly: usage: readonly [-aAf] [name[=value] ...] or readonly -p\n'
      : `${cmd}: usage: ${cmd} [-aAfFgiIlnrtux] ${cmd === 'declare' ? '[name[=value] ...]' : 'name[=value] ...'} or ${cmd} -p [-aAfFilnrtux] [name ...]\n`;
  const parsed = builtinOptions(argv, readonly ? 'aAfnp' : 'aAfFgiIlnprtux', { plus: true });
  if ('invalid' in parsed) { err(`${parsed.invalid}: invalid option\n${usage}`); return 2; }
  const on = new Set<string>();
  const off = new Set<string>();
  for (const { sign, letter } of parsed.options) (sign === '-' ? on : off).add(letter);
  // `readonly -n`: readonly status cannot be undone, silently; names only get their values.
  const undo = readonly && on.delete('n');
  const i = parsed.operands;
  const unsupported = [...on, ...off].find((l) => 'Int'.includes(l));
  if (unsupported) { err(`-${unsupported}: not available in this shell\n`); return 2; }
  if (readonly && on.has('f')) return readonlyFunctions(sh, argv.slice(parsed.operands), err);
  // readonly is declare -r (outside a function as inside); it lists the readonly variables.
  if (readonly) { on.add('r'); on.add('g'); }
  // -l and -u together: neither.
  const casing = on.has('l') && on.has('u') ? null : on.has('l') ? 'l' : on.has('u') ? 'u' : null;
  const frame = sh.vars.localFrame();
  if (cmd === 'local' && !frame) { err('can only be used in a function\n'); return 1; }
  const local = frame && !on.has('g') ? frame : null;
  const names = argv.slice(i);
  let code = 0;
  if (on.has('f') || on.has('F')) return declareFunctions(sh, names, on, off, err);
  if (on.has('p') || names.length === 0) {
    // bash 5.2's `readonly -p NAME…` lists nothing.
    if (readonly && names.length > 0) return 0;
    // With no names: every variable (local: the function's own), sorted by name.
    const all = cmd === 'local' ? [...frame!.keys()] : [...sh.vars.scalars.keys(), ...sh.vars.arrays.keys(), ...sh.vars.assocs.keys(), ...sh.vars.declaredOnly];
    const listed = names.length > 0 ? names : [...new Set(all)].sort()
      .filter((n) => (!on.has('a') || sh.vars.arrays.has(n)) && (!on.has('A') || sh.vars.assocs.has(n)) && (!on.has('x') || sh.vars.exported.has(n))
        && [...'ilru'].every((a) => !on.has(a) || sh.vars.attrs.has(n, a as VarAttr)));
    for (const n of listed) {
      const line = sh.vars.declaration(n);
      if (line === null) { err(`${n}: not found\n`); code = 1; } else sh.out(line);
    }
    return code;
  }
  for (const [k, arg] of argv.entries()) {
    if (k < i) continue;
    const comp = compound?.get(k);
    const prefix = comp ? null : assignmentPrefix(arg);
    const name = comp ? comp.name : prefix ? prefix.name : (ELEMENT.exec(arg)?.[1] ?? arg);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) { err(`\`${arg}': not a valid identifier\n`); code = 1; continue; }
    // A readonly variable keeps its value and attributes (it may still be exported);
    // readonly and export name no builtin in the error.
    const changes = comp !== undefined || prefix !== null || off.has('r') || [...'aAilu'].some((a) => on.has(a)) || (local !== null && !local.has(name));
    if (sh.vars.attrs.has(name, 'r') && changes) {
      sh.errOut(`${sh.errorPrefix()}${readonly ? '' : `${cmd}: `}${name}: readonly variable\n`);
      code = 1;
      continue;
    }
    if (undo && !comp && !prefix) continue;
    if (local && !local.has(name)) {
      // A new local starts unset, without attributes (a value given here comes next).
      sh.vars.makeLocal(name);
    }
    if (on.has('A') && sh.vars.arrays.has(name)) { err(`${name}: cannot convert indexed to associative array\n`); code = 1; continue; }
    if (on.has('a') && sh.vars.assocs.has(name)) { err(`${name}: cannot convert associative to indexed array\n`); code = 1; continue; }
    const scalar = sh.vars.scalars.get(name);
    if (on.has('A') && !sh.vars.assocs.has(name)) {
      // A scalar becomes the element "0" of a table of bash's default size.
      const table = new AssocArray(scalar !== undefined ? DEFAULT_BUCKETS : ASSOC_BUCKETS);
      if (scalar !== undefined) table.set('0', scalar);
      sh.vars.scalars.delete(name);
      sh.vars.assocs.set(name, table);
      if (scalar === undefined) sh.vars.declaredOnly.add(name);
    }
    if (on.has('a') && !sh.vars.arrays.has(name)) {
      sh.vars.scalars.delete(name);
      sh.vars.arrays.set(name, scalar !== undefined ? [scalar] : []);
      if (scalar === undefined) sh.vars.declaredOnly.add(name);
    }
    if (on.has('x')) sh.vars.exported.add(name);
    if (off.has('x')) sh.vars.exported.delete(name);
    // The attributes that shape the value come before it; readonly after it.
    if (on.has('i')) sh.vars.attrs.add(name, 'i');
    if (off.has('i')) sh.vars.attrs.remove(name, 'i');
    if (casing) sh.vars.attrs.add(name, casing);
    if (on.has('l') && on.has('u')) { sh.vars.attrs.remove(name, 'l'); sh.vars.attrs.remove(name, 'u'); }
    for (const a of ['l', 'u'] as const) if (off.has(a)) sh.vars.attrs.remove(name, a);
    try {
      if (comp) sh.vars.applyCompound(name, comp.items, on.has('A') ? 'A' : on.has('a') ? 'a' : null, comp.append);
      else if (prefix) {
        const value = arg.slice(prefix.text.length);
        if (prefix.index !== null) yield* sh.expansion.setElement(name, prefix.index, value, prefix.append);
        else sh.vars.setScalar(name, value, prefix.append);
      } else if (!sh.vars.has(name)) sh.vars.declaredOnly.add(name);
    } catch (e) {
      if (!(e instanceof ReadonlyVariable)) throw e;
      code = 1;
      continue;
    }
    if (on.has('r') && !undo) sh.vars.attrs.add(name, 'r');
  }
  return code;
}

/**
 * declare's -f and -F: with no names, list the functions having the attributes asked besides
 * (-F: their `declare -f…` lines only); -p lists the named ones (`not found` for the others);
 * otherwise the named ones get the attributes asked (r, x; +x takes the export off, +r a
 * readonly function refuses), or, with nothing asked, are shown (-F: by name) — a name that is
 * no function only fails the builtin.
 */
function declareFunctions(sh: DeclarationShell, names: string[], on: Set<string>, off: Set<string>, err: (t: string) => void): number {
  const namesOnly = on.has('F');
  const asked = [...on].filter((l) => 'rx'.includes(l)).join('');
  if (names.length === 0) { sh.out(listFunctions(sh, asked, 'declare', namesOnly)); return 0; }
  let code = 0;
  if (on.has('p')) {
    for (const name of names) {
      if (sh.functions.has(name)) sh.out(listFunction(sh, name, 'declare', namesOnly));
      else { err(`${name}: not found\n`); code = 1; }
    }
    return code;
  }
  // bash refuses -f with a type (-n before -i, -A and -a).
  const typed = ['n', 'i', 'A', 'a'].find((l) => on.has(l));
  if (typed) { err(`-${typed}: invalid option\n`); return 1; }
  for (const name of names) {
    if (assignmentPrefix(name)) { err('cannot use `-f\' to make functions\n'); return 1; }
    if (!sh.functions.has(name)) { code = 1; continue; }
    if (sh.readonlyFunctions.has(name) && off.has('r')) { err(`${name}: readonly function\n`); code = 1; continue; }
    if (asked === '' && off.size === 0) { sh.out(namesOnly ? `${name}\n` : listFunction(sh, name, 'declare', false)); continue; }
    if (on.has('r')) sh.readonlyFunctions.add(name);
    if (on.has('x')) sh.exportedFunctions.add(name);
    if (off.has('x')) sh.exportedFunctions.delete(name);
  }
  return code;
}

/**
 * `readonly -f [name…]`: the functions become readonly (`-n` cannot undo that, silently); with
 * no names, the readonly functions are listed, definitions and `declare -fr` lines.
 */
function readonlyFunctions(sh: DeclarationShell, names: string[], err: (t: string) => void): number {
  if (names.length === 0) { sh.out(listFunctions(sh, 'r', 'readonly', false)); return 0; }
  let code = 0;
  for (const name of names) {
    if (!sh.functions.has(name)) { err(`${name}: not a function\n`); code = 1; continue; }
    sh.readonlyFunctions.add(name);
  }
  return code;
}

/**
 * `export [-fnp] [name[=value]…]`: mark variables for export (and assign them; -n takes the
 * mark off), or functions (-f); with no names, list the exported variables as `declare -p` does.
 */
export function* exportBuiltin(sh: DeclarationShell, argv: string[], compound: Map<number, CompoundArg> | undefined, err: (text: string) => void): TaskGen<number> {
  // -f: the names are functions; -n: take the export mark off; -p: list (as with no names).
  const parsed = builtinOptions(argv, 'fnp');
  if ('invalid' in parsed) { err(`bash: export: ${parsed.invalid}: invalid option\nexport: usage: export [-fn] [name[=value] ...] or export -p\n`); return 2; }
  const opts = new Set(parsed.options.map((o) => o.letter));
  const first = parsed.operands;
  if (opts.has('f')) {
    // With no names, the exported functions, definitions and `declare -fx` lines.
    if (argv.length === first) { sh.out(listFunctions(sh, 'x', 'export', false)); return 0; }
    let code = 0;
    for (const name of argv.slice(first)) {
      if (!sh.functions.has(name)) { err(`bash: export: ${name}: not a function\n`); code = 1; continue; }
      if (opts.has('n')) sh.exportedFunctions.delete(name);
      else sh.exportedFunctions.add(name);
    }
    return code;
  }
  let code = 0;
  for (const [idx, a] of argv.entries()) {
    if (idx < first) continue;
    const comp = compound?.get(idx);
    if (comp) {
      try {
        sh.vars.applyCompound(comp.name, comp.items, null, comp.append);
      } catch (e) {
        if (!(e instanceof ReadonlyVariable)) throw e;
        code = 1;
      }
      sh.vars.exported.add(comp.name);
      continue;
    }
    const eq = a.indexOf('=');
    const k = eq >= 0 ? a.slice(0, eq) : a;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) { err(`bash: export: \`${a}': not a valid identifier\n`); return 1; }
    // set -x shows export's assignments too (`+ export A=1` then `+ A=1`).
    if (eq >= 0 && sh.options.xtrace) yield* sh.trace(`${k}=${traceValue(a.slice(eq + 1))}`);
    try {
      if (eq >= 0) sh.vars.setScalar(k, a.slice(eq + 1));
    } catch (e) {
      // A readonly variable keeps its value, and is exported still.
      if (!(e instanceof ReadonlyVariable)) throw e;
      code = 1;
    }
    if (opts.has('n')) sh.vars.exported.delete(k);
    else sh.vars.exported.add(k);
  }
  // The listing is declare -p's (arrays, attributes, bash's quoting); a name with no value alone.
  if (argv.length === first) for (const k of [...sh.vars.exported].sort()) sh.out(sh.vars.declaration(k) ?? `declare -x ${k}\n`);
  return code;
}

/** `unset [-fv] NAME…`: variables, array elements (`unset 'a[i]'`, `unset 'm[key]'`) or functions. */
export function* unsetBuiltin(sh: DeclarationShell, argv: string[], err: (text: string) => void): TaskGen<number> {
  // unset [-f] [-v] [-n] NAME…: -f functions only, -v variables only, -n namerefs only (there
  // are none here: it unsets nothing, but still refuses a readonly variable); `unset 'a[i]'`,
  // `unset 'm[key]'`: an element. Options as bash's internal getopt reads them, up to `--` or
  // the first name.
  const parsed = builtinOptions(argv, 'fvn');
  if ('invalid' in parsed) { err(`bash: unset: ${parsed.invalid}: invalid option\nunset: usage: unset [-f] [-v] [-n] [name ...]\n`); return 2; }
  const given = new Set(parsed.options.map((o) => o.letter));
  const functions = given.has('f');
  const variables = given.has('v');
  let nameref = given.has('n');
  const i = parsed.operands;
  if (functions && variables) { err('bash: unset: cannot simultaneously unset a function and a variable\n'); return 1; }
  if (functions) nameref = false;
  let code = 0;
  const unsetFunction = (name: string) => {
    if (sh.readonlyFunctions.has(name) && sh.functions.has(name)) { err(`bash: unset: ${name}: cannot unset: readonly function\n`); code = 1; return; }
    sh.functions.delete(name);
    sh.exportedFunctions.delete(name);
  };
  for (const a of argv.slice(i)) {
    // bash allows functions whose names are no identifiers: -f takes any name, and so does a
    // plain `unset` or `unset -n`, which take such a name for a function's; -v refuses it.
    const el = functions || nameref ? null : ELEMENT.exec(a);
    const name = el ? el[1] : a;
    const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
    if (functions || (!identifier && !variables)) { unsetFunction(a); continue; }
    if (!identifier) { err(`bash: unset: \`${a}': not a valid identifier\n`); code = 1; continue; }
    if (el && (sh.vars.arrays.has(name) || sh.vars.assocs.has(name))) {
      if (sh.vars.attrs.has(name, 'r')) { err(`bash: unset: ${name}: cannot unset: readonly variable\n`); code = 1; continue; }
      const key: string = yield* sh.expansion.subscriptKey(name, el[2]);
      const assoc = sh.vars.assocs.get(name);
      if (assoc) { assoc.delete(key); continue; }
      const arr = sh.vars.arrays.get(name)!;
      const k = Number(sh.expansion.arith(key));
      delete arr[k < 0 ? arr.length + k : k];
      continue;
    }
    if (sh.vars.attrs.has(name, 'r')) { err(`bash: unset: ${name}: cannot unset: readonly variable\n`); code = 1; continue; }
    if (nameref) continue;
    // A name that is no variable unsets the function of that name (not with -v or -n).
    if (!variables && !sh.vars.has(name) && !sh.vars.declaredOnly.has(name)) unsetFunction(name);
    sh.vars.clear(name);
    sh.vars.attrs.clear(name);
    sh.vars.exported.delete(name);
  }
  return code;
}
