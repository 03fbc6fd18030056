/**
 * The shell's variables: scalars, indexed arrays (sparse: holes are unset elements),
 * associative arrays, the export mark, declare's attributes (var-attributes.ts), the names
 * declared without a value, and the frames of `local` variables kept until their function
 * returns. Values are stored through here: a readonly variable refuses them (its error, then
 * ReadonlyVariable), -i evaluates them, -l / -u case them, a scalar given an element becomes
 * an array. The words and subscripts of an assignment are expanded before (expansion.ts).
 */
import { ASSOC_BUCKETS, AssocArray, DEFAULT_BUCKETS } from './assoc';
import { declareLine } from './declare-listing';
import { AbortLine, ReadonlyVariable } from './unwind';
import { VarAttributes, type VarAttr } from './var-attributes';

/** `name[subscript]` (the subscript may hold brackets). */
export const ELEMENT = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s;

/** One word of `name=( … )` expanded: `[key]=value` (shownKey: the subscript as written) or, key null, a plain value. */
export interface CompoundItem { key: string | null; shownKey: string; value: string; append: boolean }

/** `pairs`: the first word had no subscript (an associative array then takes key value key value…). */
export interface CompoundItems { items: CompoundItem[]; pairs: boolean }

/** A variable as `local` found it (at most one of scalar, array, assoc), restored when its function returns. */
interface SavedVar { scalar: string | undefined; array: (string | undefined)[] | undefined; assoc: AssocArray | undefined; declaredOnly: boolean; attrs: Set<VarAttr> | undefined }

/** What the variables need of their shell. */
export interface VariablesShell {
  /** An expression evaluated (an -i variable's value, an indexed array's subscript); an error aborts the line. */
  arith(expr: string): bigint;
  /** An error message, behind the shell's prefix (`bash: `, `x.sh: line 3: `). */
  error(message: string): void;
}

export class ShellVariables {
  /** Scalars: a name is in one of `scalars`, `arrays`, `assocs`. */
  scalars = new Map<string, string>();
  /** The names marked for export (the mark stays with a name that loses its value). */
  exported = new Set<string>();
  /** Indexed arrays (`a=(x y)`, `a[3]=z`). */
  arrays = new Map<string, (string | undefined)[]>();
  /** Associative arrays (`declare -A m`), listing their keys in bash's order (assoc.ts). */
  assocs = new Map<string, AssocArray>();
  /** Names declared without a value (`declare x`, `declare -A m`): `declare -p` shows them so until they get one. */
  readonly declaredOnly = new Set<string>();
  /** declare's -i -l -u -r (var-attributes.ts); bash's PPID is readonly from the start. */
  attrs = VarAttributes.readonlyFromStart(['PPID']);
  /** One frame per running function call: what its `local` variables were before. */
  private readonly frames: Map<string, SavedVar>[] = [];

  constructor(private readonly sh: VariablesShell) {}

  /** A subshell's: copies of its parent's variables, names declared without a value, export marks and attributes. */
  copyFrom(parent: ShellVariables): void {
    this.declaredOnly.clear();
    for (const name of parent.declaredOnly) this.declaredOnly.add(name);
    this.scalars = new Map(parent.scalars);
    this.exported = new Set(parent.exported);
    this.arrays = new Map([...parent.arrays].map(([k, v]) => [k, [...v]]));
    this.assocs = new Map([...parent.assocs].map(([k, v]) => [k, v.clone()]));
    this.attrs = parent.attrs.clone();
  }

  /** Whether `name` has a value (a scalar or an array, even an empty one). */
  has(name: string): boolean {
    return this.scalars.has(name) || this.arrays.has(name) || this.assocs.has(name);
  }

  /** A variable's value as a string: an array's element 0 (an associative array's key "0"). */
  scalar(name: string): string {
    const arr = this.arrays.get(name);
    if (arr) return arr[0] ?? '';
    const assoc = this.assocs.get(name);
    if (assoc) return assoc.get('0') ?? '';
    return this.scalars.get(name) ?? '';
  }

  /** `append`: `name+=value` (added, for an integer variable). */
  setScalar(name: string, value: string, append = false): void {
    this.checkWritable(name);
    const arr = this.arrays.get(name);
    const assoc = this.assocs.get(name);
    const v = this.assignedValue(name, arr ? arr[0] : assoc ? assoc.get('0') : this.scalars.get(name), value, append);
    this.declaredOnly.delete(name);
    if (arr) arr[0] = v;
    else if (assoc) assoc.set('0', v);
    else this.scalars.set(name, v);
  }

  /**
   * Element `key` (already expanded: an associative array's key, an indexed array's
   * arithmetic expression) of `name`: undefined when it is not set. A scalar is the element 0
   * of an indexed array.
   */
  element(name: string, key: string): string | undefined {
    const assoc = this.assocs.get(name);
    if (assoc) return assoc.get(key);
    const arr = this.arrays.get(name) ?? (this.scalars.has(name) ? [this.scalars.get(name)!] : []);
    let i = Number(this.sh.arith(key));
    if (i < 0) i += arr.length;
    return arr[i];
  }

  /** Set element `key` of `name` (see element); a scalar or a new name becomes an indexed array. */
  storeElement(name: string, key: string, value: string, append = false, shownIndex = key): void {
    this.checkWritable(name);
    this.declaredOnly.delete(name);
    const assoc = this.assocs.get(name);
    if (assoc) { assoc.set(key, this.assignedValue(name, assoc.get(key), value, append)); return; }
    let arr = this.arrays.get(name);
    if (!arr) {
      arr = this.scalars.has(name) ? [this.scalars.get(name)!] : [];
      this.arrays.set(name, arr);
      this.scalars.delete(name);
    }
    let i = Number(this.sh.arith(key));
    if (i < 0) i += arr.length;
    if (i < 0) { this.sh.error(`${name}[${shownIndex}]: bad array subscript`); throw new AbortLine(); }
    arr[i] = this.assignedValue(name, arr[i], value, append);
  }

  /**
   * `name=( … )` / `name+=( … )` with its words expanded (expandCompound): an indexed array
   * (`kind` 'a', or the name is one or new), `[i]=v` at index i and the others after the last
   * index set; or an associative one ('A', or the name is one) from `[key]=value` items, or
   * from items taken as key, value, key, value… when the first had no subscript (bash 5.1's
   * key-value pairs).
   */
  applyCompound(name: string, compound: CompoundItems, kind: 'a' | 'A' | null, append: boolean): void {
    const { items, pairs } = compound;
    this.checkWritable(name);
    if (kind === 'A' || (kind === null && this.assocs.has(name))) {
      let table = this.assocs.get(name);
      if (!table) {
        // A scalar becomes an associative array (of bash's default size) with its value at "0".
        const scalar = this.scalars.get(name);
        table = new AssocArray(scalar !== undefined ? DEFAULT_BUCKETS : ASSOC_BUCKETS);
        if (scalar !== undefined) table.set('0', scalar);
      }
      // `m=(…)` replaces the elements (in a table of the same size), `m+=(…)` adds to them.
      if (!append) table = table.emptied();
      if (pairs) {
        // Each item is a key or a value, even one written `[k]=v` after the first.
        const flat = items.map((it) => (it.key === null ? it.value : `[${it.shownKey}]=${it.value}`));
        for (let k = 0; k < flat.length; k += 2) table.set(flat[k], this.assignedValue(name, undefined, flat[k + 1] ?? '', false));
      } else {
        for (const it of items) {
          if (it.key === null) { this.sh.error(`${name}: '${it.value}': must use subscript when assigning associative array`); continue; }
          if (it.key === '') { this.sh.error(`${name}[${it.shownKey}]: bad array subscript`); continue; }
          table.set(it.key, this.assignedValue(name, table.get(it.key), it.value, it.append));
        }
      }
      this.clear(name);
      this.assocs.set(name, table);
      return;
    }
    const arr = append ? [...(this.arrays.get(name) ?? (this.scalars.has(name) ? [this.scalars.get(name)!] : []))] : [];
    // Words without a subscript go after the last element set (`a=([3]=c [1]=a b)`: b at 2).
    let next = arr.length;
    for (const it of items) {
      let i = next;
      if (it.key !== null) {
        i = Number(this.sh.arith(it.key));
        if (i < 0) i += arr.length;
        if (i < 0) { this.sh.error(`${name}[${it.shownKey}]: bad array subscript`); continue; }
      }
      arr[i] = this.assignedValue(name, arr[i], it.value, it.append);
      next = i + 1;
    }
    this.clear(name);
    this.arrays.set(name, arr);
  }

  /** Refuse to assign to a readonly variable: its error, and ReadonlyVariable thrown. */
  checkWritable(name: string): void {
    if (!this.attrs.has(name, 'r')) return;
    this.sh.error(`${name}: readonly variable`);
    throw new ReadonlyVariable();
  }

  /**
   * What `name` (or an element of it: `old` its value) gets from an assignment of `value`:
   * for an integer variable (-i) the value evaluated as arithmetic (`+=`: added to the old
   * one); else the value (`+=`: appended), lower- or upper-cased for -l / -u.
   */
  assignedValue(name: string, old: string | undefined, value: string, append: boolean): string {
    if (this.attrs.has(name, 'i')) {
      const n = this.sh.arith(value);
      return String(append ? this.sh.arith(old ?? '') + n : n);
    }
    return this.attrs.cased(name, append ? (old ?? '') + value : value);
  }

  /**
   * `PIPESTATUS`: the statuses of the commands of the last foreground pipeline, set once it
   * ends (before `!` negates it, whatever pipefail makes of it); a lone command's is one. It
   * is not there before the first command ends; an assignment to it lasts until the next one.
   */
  setPipeStatus(codes: readonly number[]): void {
    this.clear('PIPESTATUS');
    this.arrays.set('PIPESTATUS', codes.map(String));
  }

  /** Forget variable `name` whatever it is (its export mark stays with the name). */
  clear(name: string): void {
    this.scalars.delete(name);
    this.arrays.delete(name);
    this.assocs.delete(name);
    this.declaredOnly.delete(name);
  }

  /**
   * Whether a variable (not a special parameter) is set: an array when its element 0 is (an
   * associative one when its key "0" is); an element found by subscript always is.
   */
  paramSet(name: string): boolean {
    if (ELEMENT.test(name)) return true;
    if (this.scalars.has(name)) return true;
    const arr = this.arrays.get(name);
    if (arr) return arr[0] !== undefined;
    return this.assocs.get(name)?.has('0') ?? false;
  }

  /** How `declare -p NAME` shows a variable (null when there is none). */
  declaration(name: string): string | null {
    const exported = this.attrs.flags(name, '', this.exported.has(name));
    const declaredOnly = this.declaredOnly.has(name);
    const assoc = this.assocs.get(name);
    if (assoc) return declareLine(name, { assoc: declaredOnly && assoc.size === 0 ? null : assoc.entries() }, exported);
    const arr = this.arrays.get(name);
    if (arr) return declareLine(name, { array: declaredOnly && arr.length === 0 ? null : arr }, exported);
    const v = this.scalars.get(name);
    if (v !== undefined || declaredOnly) return declareLine(name, { scalar: v ?? null }, exported);
    return null;
  }

  // ---- local variables ----------------------------------------------------------------------

  /** A function call starts: its `local` variables are saved in a frame of their own. */
  pushFrame(): void {
    this.frames.push(new Map());
  }

  /** The function call ends: its local variables get back what they were before it. */
  popFrame(): void {
    const frame = this.frames.pop();
    if (frame) for (const [k, v] of frame) this.restore(k, v);
  }

  /** The local variables of the innermost function call running; undefined outside a function. */
  localFrame(): ReadonlyMap<string, unknown> | undefined {
    return this.frames[this.frames.length - 1];
  }

  /** Make `name` local to the innermost function call: saved, then unset and without attributes. */
  makeLocal(name: string): void {
    this.frames[this.frames.length - 1].set(name, { scalar: this.scalars.get(name), array: this.arrays.get(name), assoc: this.assocs.get(name), declaredOnly: this.declaredOnly.has(name), attrs: this.attrs.snapshot(name) });
    this.clear(name);
    this.attrs.clear(name);
  }

  private restore(name: string, saved: SavedVar): void {
    this.clear(name);
    if (saved.scalar !== undefined) this.scalars.set(name, saved.scalar);
    if (saved.array) this.arrays.set(name, saved.array);
    if (saved.assoc) this.assocs.set(name, saved.assoc);
    if (saved.declaredOnly) this.declaredOnly.add(name);
    this.attrs.restore(name, saved.attrs);
  }
}
