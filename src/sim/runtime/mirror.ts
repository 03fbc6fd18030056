/**
 * A process's synchronous view of its host's filesystem metadata (which paths exist, their
 * size, whether they are directories). File contents never live here: reads go to the kernel
 * and come back as events. The kernel sends deltas with every batch; the process's own writes
 * update the mirror at once, so `existsSync` right after `writeFile` is true, as in C.
 */
import type { MetaDelta, MetaStat } from '../protocol';
import { dirname } from './paths';

export class MetaMirror {
  private readonly entries = new Map<string, MetaStat>();
  private readonly children = new Map<string, Set<string>>();

  constructor(snapshot: MetaDelta[]) {
    this.entries.set('/', { size: 4096, isDirectory: true, mtimeMs: 0, mode: 0o755 });
    this.children.set('/', new Set());
    this.apply(snapshot);
  }

  apply(deltas: readonly MetaDelta[]): void {
    for (const [path, stat] of deltas) {
      if (stat) this.set(path, stat);
      else this.remove(path);
    }
  }

  get(path: string): MetaStat | null { return this.entries.get(path) ?? null; }

  set(path: string, stat: MetaStat): void {
    if (path === '/') return;
    const had = this.entries.has(path);
    this.entries.set(path, { ...stat });
    if (!had) {
      const parent = dirname(path);
      let set = this.children.get(parent);
      if (!set) { set = new Set(); this.children.set(parent, set); }
      set.add(path.slice(parent === '/' ? 1 : parent.length + 1));
    }
    if (stat.isDirectory && !this.children.has(path)) this.children.set(path, new Set());
  }

  /** Update size/mtime of an existing file (or create it). */
  touch(path: string, size: number, mtimeMs: number): void {
    const cur = this.entries.get(path);
    if (cur && !cur.isDirectory) { cur.size = size; cur.mtimeMs = mtimeMs; return; }
    this.set(path, { size, isDirectory: false, mtimeMs, mode: 0o644 });
  }

  remove(path: string): void {
    if (path === '/' || !this.entries.has(path)) return;
    const kids = this.children.get(path);
    if (kids) for (const k of [...kids]) this.remove(path === '/' ? '/' + k : `${path}/${k}`);
    this.children.delete(path);
    this.entries.delete(path);
    const parent = dirname(path);
    this.children.get(parent)?.delete(path.slice(parent === '/' ? 1 : parent.length + 1));
  }

  rename(from: string, to: string): void {
    const st = this.entries.get(from);
    if (!st) return;
    const moved: [string, MetaStat][] = [];
    const collect = (p: string, rel: string) => {
      const s = this.entries.get(p);
      if (!s) return;
      moved.push([rel, { ...s }]);
      for (const k of this.children.get(p) ?? []) collect(p === '/' ? '/' + k : `${p}/${k}`, `${rel}/${k}`);
    };
    collect(from, '');
    this.remove(to);
    this.remove(from);
    for (const [rel, s] of moved) this.set(to + rel, s);
  }

  list(path: string): string[] | null {
    const st = this.entries.get(path);
    if (!st || !st.isDirectory) return null;
    return [...(this.children.get(path) ?? [])].sort();
  }
}
