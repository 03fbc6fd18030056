/**
 * The attributes `declare` gives a variable beyond its kind (array, associative, exported):
 * -i integer (every value assigned is evaluated as arithmetic first), -l / -u (the value is
 * lower- / upper-cased as it is assigned; both at once cancel each other, as in bash), -r
 * readonly (no assignment, no unset, no removing the attribute). `declare -p` lists them in
 * bash's order: a A i r x l u (the kind and export letters come from the shell). -i's
 * arithmetic is the shell's (assignedValue in variables.ts).
 */

export type VarAttr = 'i' | 'l' | 'r' | 'u';

export const VAR_ATTRS: readonly VarAttr[] = ['i', 'l', 'r', 'u'];

export class VarAttributes {
  private readonly byName = new Map<string, Set<VarAttr>>();

  /** A new shell's: `names` readonly. */
  static readonlyFromStart(names: readonly string[]): VarAttributes {
    const a = new VarAttributes();
    for (const n of names) a.add(n, 'r');
    return a;
  }

  /** A copy, for a subshell. */
  clone(): VarAttributes {
    const c = new VarAttributes();
    for (const [n, set] of this.byName) c.byName.set(n, new Set(set));
    return c;
  }

  has(name: string, attr: VarAttr): boolean {
    return this.byName.get(name)?.has(attr) ?? false;
  }

  add(name: string, attr: VarAttr): void {
    let set = this.byName.get(name);
    if (!set) this.byName.set(name, (set = new Set()));
    set.add(attr);
    // The last of -l / -u given wins over an earlier one.
    if (attr === 'l') set.delete('u');
    if (attr === 'u') set.delete('l');
  }

  remove(name: string, attr: VarAttr): void {
    this.byName.get(name)?.delete(attr);
  }

  /** Forget a name's attributes (unset; not for a readonly one, which cannot be unset). */
  clear(name: string): void {
    this.byName.delete(name);
  }

  /** The names with attribute `attr`. */
  named(attr: VarAttr): string[] {
    return [...this.byName].filter(([, s]) => s.has(attr)).map(([n]) => n);
  }

  /** What a variable's attributes are, to save and put back (local). */
  snapshot(name: string): Set<VarAttr> | undefined {
    const s = this.byName.get(name);
    return s ? new Set(s) : undefined;
  }

  restore(name: string, saved: Set<VarAttr> | undefined): void {
    if (saved) this.byName.set(name, saved);
    else this.byName.delete(name);
  }

  /**
   * The `declare -p` flags: `kind` (a or A) first, then i r, `x` when exported, then l u.
   */
  flags(name: string, kind: string, exported: boolean): string {
    const s = this.byName.get(name);
    const f = (a: VarAttr) => (s?.has(a) ? a : '');
    return `${kind}${f('i')}${f('r')}${exported ? 'x' : ''}${f('l')}${f('u')}`;
  }

  /** A value as -l / -u make it (ASCII letters only: values are byte strings). */
  cased(name: string, value: string): string {
    const s = this.byName.get(name);
    if (s?.has('l')) return value.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    if (s?.has('u')) return value.replace(/[a-z]+/g, (m) => m.toUpperCase());
    return value;
  }
}
