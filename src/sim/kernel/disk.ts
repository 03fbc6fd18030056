/**
 * A host's disk: a directory tree of inodes, each file with two views of its bytes:
 *
 *   - the page cache (`data`): what every read sees, updated by every write;
 *   - the durable bytes: what survives a power loss.
 *
 * `fsync` (or the kernel's writeback, see `flushExpired`) makes the page cache durable. A
 * process killed with SIGKILL loses nothing that it wrote (the page cache belongs to the
 * kernel); a power loss reverts every file to its durable bytes, and can tear the last write
 * (a partial record at the end of an AOF) when the host's disk is configured to.
 *
 * Durable bytes are kept cheaply for the common pattern (append, fsync, append...): they are
 * "the first N bytes of the page cache" while nothing before N changes. Only when bytes that
 * are durable get overwritten or truncated is a copy of the durable content taken.
 *
 * Namespace operations (create, rename, unlink, mkdir) are durable at once, like a journaling
 * filesystem whose journal commit we do not model; a file created and never synced therefore
 * comes back empty after a power loss (ext4's famous zero-length files).
 *
 * Writeback, as Linux does it: an inode remembers when it first became dirty; every 5 s the
 * flusher writes back inodes dirty for more than 30 s (dirty_writeback_centisecs=500,
 * dirty_expire_centisecs=3000).
 */
import type { DiskProfile, MetaDelta, MetaStat } from '../protocol';
import type { Rng } from './rng';
import { basename, dirname } from '../runtime/paths';

export const DIRTY_EXPIRE_MS = 30_000;
export const WRITEBACK_INTERVAL_MS = 5_000;
const PAGE_CACHE_MBPS = 4000;
const MB = 1024 * 1024;

/** The permission bits of a new file and directory when their creator names none: 0666 and 0777 less a umask of 022. */
export const DEFAULT_FILE_MODE = 0o644;
export const DEFAULT_DIR_MODE = 0o755;

export class Inode {
  data = new Uint8Array(0);
  len = 0;
  /** Durable content: a prefix of `data`, or a copy when that prefix was modified. */
  durablePrefix = 0;
  durableCopy: Uint8Array | null = null;
  dirtySince: number | null = null;
  /** Offset and length of the last append (torn-write model). */
  lastWriteStart = 0;
  lastWriteLen = 0;
  /** Data is in the page cache (fast reads) until a power loss. */
  cached = true;
  children: Map<string, Inode> | null;
  mtimeMs: number;
  /** Permission bits (`chmod`, `ls -l`, `./script` needs x): those its creator asked for, less its umask. */
  mode: number;
  /** Part of /proc or /sys: a filesystem of its own, occupying no block of this disk. */
  procfs = false;
  /** A file the kernel answers for (kernel/pseudo-files.ts): its reads and writes go to it. */
  pseudo: PseudoFile | null = null;

  /**
   * `ino`: the inode number (`stat`, `ls -i`), from its disk's counter so a world replays the same.
   * `mode`: by default what a root shell's umask 022 leaves of 0666 and 0777.
   */
  constructor(readonly isDir: boolean, t: number, readonly ino: number, mode = isDir ? DEFAULT_DIR_MODE : DEFAULT_FILE_MODE) {
    this.children = isDir ? new Map() : null;
    this.mtimeMs = t;
    this.mode = mode;
  }

  /** The content a read sees: the page cache, or what the kernel makes of a pseudo file now. */
  bytes(): Uint8Array { return this.pseudo?.read ? this.pseudo.read() : this.data.subarray(0, this.len); }

  /** `drwxr-xr-x` (setuid/setgid as s/S, sticky as t/T), as ls -l and stat %A show it. */
  modeString(): string {
    let out = this.isDir ? 'd' : '-';
    for (let shift = 6; shift >= 0; shift -= 3) {
      const bits = (this.mode >> shift) & 7;
      const special = (this.mode >> 9) & (1 << (shift / 3));
      const x = bits & 1;
      out += (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (special ? (shift === 0 ? (x ? 't' : 'T') : x ? 's' : 'S') : x ? 'x' : '-');
    }
    return out;
  }

  durableBytes(): Uint8Array {
    return this.durableCopy ? this.durableCopy : this.data.subarray(0, this.durablePrefix);
  }

  durableSize(): number { return this.durableCopy ? this.durableCopy.length : this.durablePrefix; }

  isDirty(): boolean { return this.durableCopy !== null || this.durablePrefix !== this.len; }

  stat(): MetaStat { return { size: this.isDir ? 4096 : this.len, isDirectory: this.isDir, mtimeMs: this.mtimeMs, mode: this.mode }; }

  /** Before modifying bytes below `offset`: keep the durable content aside if it is affected. */
  private protectDurable(offset: number): void {
    if (!this.durableCopy && offset < this.durablePrefix) this.durableCopy = this.data.slice(0, this.durablePrefix);
  }

  private markDirty(t: number): void {
    if (this.dirtySince === null) this.dirtySince = t;
    this.mtimeMs = t;
  }

  append(bytes: Uint8Array, t: number): void {
    this.ensureCapacity(this.len + bytes.length);
    this.data.set(bytes, this.len);
    this.lastWriteStart = this.len;
    this.lastWriteLen = bytes.length;
    this.len += bytes.length;
    this.markDirty(t);
  }

  truncate(size: number, t: number): void {
    if (size < this.len) this.protectDurable(size);
    if (size > this.len) {
      this.ensureCapacity(size);
      this.data.fill(0, this.len, size);
    }
    this.len = size;
    this.lastWriteStart = Math.min(this.lastWriteStart, size);
    this.lastWriteLen = 0;
    this.markDirty(t);
  }

  replace(bytes: Uint8Array, t: number): void {
    this.truncate(0, t);
    this.append(bytes, t);
  }

  sync(): void {
    this.durableCopy = null;
    this.durablePrefix = this.len;
    this.dirtySince = null;
  }

  /** A sync that covered the first `size` bytes (a background fsync issued at that size). */
  syncPrefix(size: number): void {
    if (this.durableCopy || size >= this.len) { this.sync(); return; }
    this.durablePrefix = Math.max(this.durablePrefix, size);
  }

  /** Power loss: the page cache is gone; keep the durable bytes, maybe a torn last write. */
  powerLoss(tear: boolean, rng: Rng): void {
    if (this.isDir) return;
    let keep = this.durableBytes();
    if (tear && !this.durableCopy && this.lastWriteLen > 1 && this.lastWriteStart >= this.durablePrefix) {
      const partial = 1 + rng.int(this.lastWriteLen - 1);
      keep = this.data.subarray(0, this.lastWriteStart + partial);
    }
    const copy = keep.slice();
    this.data = copy;
    this.len = copy.length;
    this.durableCopy = null;
    this.durablePrefix = copy.length;
    this.dirtySince = null;
    this.lastWriteLen = 0;
    this.cached = false;
  }

  private ensureCapacity(n: number): void {
    if (n <= this.data.length) return;
    const next = new Uint8Array(Math.max(n, this.data.length * 2, 256));
    next.set(this.data.subarray(0, this.len));
    this.data = next;
  }
}

/**
 * A file of /proc or /sys that is the kernel's: `read` makes its content when it is read
 * (/proc/meminfo), `write` takes what a write(2) hands it and answers with the errno the write
 * fails with (a tunable refusing a value: EINVAL), or null. Without `read`, reads see the bytes
 * stored in the inode (a tunable's value); without `write`, a write fails with EIO, as
 * /proc/meminfo's does for root.
 */
export interface PseudoFile {
  read?(): Uint8Array;
  write?(bytes: Uint8Array, now: number): string | null;
}

export type DiskError = 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'EINVAL' | 'EACCES';

export class Disk {
  root: Inode;

  /** The next inode number (the root is 2, as on ext4; 11 would be lost+found). */
  private nextIno = 12;

  constructor(public profile: DiskProfile, private readonly onChange: (d: MetaDelta) => void, t = 0) {
    this.root = new Inode(true, t, 2);
  }

  // ---- lookup -----------------------------------------------------------------------------

  lookup(path: string): Inode | null {
    if (path === '/') return this.root;
    let cur: Inode = this.root;
    for (const part of path.split('/')) {
      if (!part) continue;
      if (!cur.children) return null;
      const next = cur.children.get(part);
      if (!next) return null;
      cur = next;
    }
    return cur;
  }

  private parentOf(path: string): Inode | DiskError {
    const p = this.lookup(dirname(path));
    if (!p) return 'ENOENT';
    if (!p.isDir) return 'ENOTDIR';
    return p;
  }

  stat(path: string): MetaStat | null { return this.lookup(path)?.stat() ?? null; }

  list(path: string): string[] | DiskError {
    const n = this.lookup(path);
    if (!n) return 'ENOENT';
    if (!n.children) return 'ENOTDIR';
    return [...n.children.keys()].sort();
  }

  /** Every path with its stat (a process's initial metadata mirror). */
  snapshot(): MetaDelta[] {
    const out: MetaDelta[] = [];
    const walk = (n: Inode, p: string) => {
      for (const [name, c] of n.children!) {
        const cp = p === '/' ? `/${name}` : `${p}/${name}`;
        out.push([cp, c.stat()]);
        if (c.isDir) walk(c, cp);
      }
    };
    walk(this.root, '/');
    return out;
  }

  /** Every file inode with its path (inspection, flush, power loss). */
  files(): [string, Inode][] {
    const out: [string, Inode][] = [];
    const walk = (n: Inode, p: string) => {
      for (const [name, c] of n.children!) {
        const cp = p === '/' ? `/${name}` : `${p}/${name}`;
        if (c.isDir) walk(c, cp);
        else out.push([cp, c]);
      }
    };
    walk(this.root, '/');
    return out;
  }

  // ---- namespace --------------------------------------------------------------------------

  /**
   * Make a directory with permission bits `mode` (the creator's umask already applied); with
   * `recursive`, its missing parents too, with `parentMode`.
   */
  mkdir(path: string, recursive: boolean, t: number, mode = DEFAULT_DIR_MODE, parentMode = mode): DiskError | null {
    if (path === '/') return recursive ? null : 'EEXIST';
    const existing = this.lookup(path);
    if (existing) return recursive && existing.isDir ? null : 'EEXIST';
    if (recursive) {
      const parent = dirname(path);
      if (!this.lookup(parent)) {
        const e = this.mkdir(parent, true, t, parentMode);
        if (e) return e;
      }
    }
    const parent = this.parentOf(path);
    if (typeof parent === 'string') return parent;
    const dir = new Inode(true, t, this.nextIno++, mode);
    parent.children!.set(basename(path), dir);
    parent.mtimeMs = t;
    this.onChange([path, dir.stat()]);
    return null;
  }

  rmdir(path: string): DiskError | null {
    const n = this.lookup(path);
    if (!n) return 'ENOENT';
    if (!n.isDir) return 'ENOTDIR';
    if (n.children!.size > 0) return 'ENOTEMPTY';
    if (n === this.root) return 'EINVAL';
    (this.lookup(dirname(path)) as Inode).children!.delete(basename(path));
    this.onChange([path, null]);
    return null;
  }

  /**
   * Create (or with `truncate`, empty) a regular file; returns its inode. `asKernel`: the kernel
   * making its own /proc or /sys file, which nobody else may create. `mode`: a new file's
   * permission bits (the creator's umask already applied); an existing file keeps its own.
   */
  create(path: string, truncate: boolean, t: number, asKernel = false, mode = DEFAULT_FILE_MODE): Inode | DiskError {
    const existing = this.lookup(path);
    if (existing) {
      if (existing.isDir) return 'EISDIR';
      // A read-only /sys attribute cannot be opened for writing, even by root.
      if (existing.procfs && !asKernel && (existing.mode & 0o200) === 0 && path.startsWith('/sys/')) return 'EACCES';
      // O_TRUNC means nothing to a /proc or /sys file: its value changes only by a write.
      if (truncate && existing.len > 0 && !existing.pseudo) {
        existing.truncate(0, t);
        this.onChange([path, existing.stat()]);
      }
      return existing;
    }
    const parent = this.parentOf(path);
    if (typeof parent === 'string') return parent;
    // No file is created in /proc (ENOENT) or /sys (EACCES) but by the kernel.
    if (parent.procfs && !asKernel) return path.startsWith('/sys/') ? 'EACCES' : 'ENOENT';
    const f = new Inode(false, t, this.nextIno++, mode);
    parent.children!.set(basename(path), f);
    this.onChange([path, f.stat()]);
    return f;
  }

  unlink(path: string): DiskError | null {
    const n = this.lookup(path);
    if (!n) return 'ENOENT';
    if (n.isDir) return 'EISDIR';
    // /proc and /sys files are the kernel's (rm: Permission denied).
    if (n.procfs) return 'EACCES';
    (this.lookup(dirname(path)) as Inode).children!.delete(basename(path));
    this.onChange([path, null]);
    return null;
  }

  /** rm -r */
  removeTree(path: string): DiskError | null {
    const n = this.lookup(path);
    if (!n) return 'ENOENT';
    if (n === this.root) return 'EINVAL';
    (this.lookup(dirname(path)) as Inode).children!.delete(basename(path));
    this.onChange([path, null]);
    return null;
  }

  rename(from: string, to: string, t: number): DiskError | null {
    const n = this.lookup(from);
    if (!n) return 'ENOENT';
    if (from === to) return null;
    const parent = this.parentOf(to);
    if (typeof parent === 'string') return parent;
    const target = parent.children!.get(basename(to));
    if (target) {
      if (target.isDir && !n.isDir) return 'EISDIR';
      if (!target.isDir && n.isDir) return 'ENOTDIR';
      if (target.isDir && target.children!.size > 0) return 'ENOTEMPTY';
    }
    if (n.isDir && (to + '/').startsWith(from + '/')) return 'EINVAL';
    (this.lookup(dirname(from)) as Inode).children!.delete(basename(from));
    parent.children!.set(basename(to), n);
    parent.mtimeMs = t;
    this.onChange([from, null]);
    this.announceTree(to, n);
    return null;
  }

  /** Set a path's permission bits (chmod): its processes see the new mode (an x bit to exec). */
  chmod(path: string, mode: number): void {
    const n = this.lookup(path);
    if (!n || n.mode === mode) return;
    n.mode = mode;
    this.onChange([path, n.stat()]);
  }

  private announceTree(path: string, n: Inode): void {
    this.onChange([path, n.stat()]);
    if (n.children) for (const [name, c] of n.children) this.announceTree(`${path}/${name}`, c);
  }

  // ---- data -------------------------------------------------------------------------------

  /** Replace a whole file (writeFile). `asKernel`, `mode`: see create. */
  writeFile(path: string, bytes: Uint8Array, t: number, fsync: boolean, asKernel = false, mode = DEFAULT_FILE_MODE): DiskError | null {
    const f = this.create(path, false, t, asKernel, mode);
    if (typeof f === 'string') return f;
    f.replace(bytes, t);
    if (fsync) f.sync();
    this.onChange([path, f.stat()]);
    return null;
  }

  /** Append through an open handle; `path` is where the inode was last seen (for deltas). */
  append(f: Inode, path: string | null, bytes: Uint8Array, t: number): void {
    f.append(bytes, t);
    if (path !== null && this.lookup(path) === f) this.onChange([path, f.stat()]);
  }

  truncate(f: Inode, path: string | null, size: number, t: number): void {
    f.truncate(size, t);
    if (path !== null && this.lookup(path) === f) this.onChange([path, f.stat()]);
  }

  /** Blocking or background fsync: the duration a sync of `f` takes now. */
  fsyncCostMs(f: Inode): number {
    const dirty = f.durableCopy ? f.len : Math.max(0, f.len - f.durablePrefix);
    return this.profile.fsyncLatencyMs + (dirty / MB / this.profile.bandwidthMBps) * 1000;
  }

  /** Time to read a whole file. */
  readCostMs(f: Inode): number {
    if (f.cached) return (f.len / MB / PAGE_CACHE_MBPS) * 1000;
    return this.profile.readLatencyMs + (f.len / MB / this.profile.bandwidthMBps) * 1000;
  }

  /** The writeback flusher at time `now`: sync inodes dirty for 30 s or more. */
  flushExpired(now: number): number {
    let n = 0;
    for (const [, f] of this.files()) {
      if (f.dirtySince !== null && now - f.dirtySince >= DIRTY_EXPIRE_MS) { f.sync(); n++; }
    }
    return n;
  }

  /** Oldest dirty time, or null when everything is durable. */
  oldestDirty(): number | null {
    let oldest: number | null = null;
    for (const [, f] of this.files()) {
      if (f.dirtySince !== null && (oldest === null || f.dirtySince < oldest)) oldest = f.dirtySince;
    }
    return oldest;
  }

  syncAll(): void {
    for (const [, f] of this.files()) f.sync();
  }

  /** Power loss: every file reverts to its durable bytes (maybe with a torn last write). */
  powerLoss(tearProbability: number, rng: Rng): void {
    for (const [path, f] of this.files()) {
      const wasDirty = f.isDirty();
      const tear = wasDirty && tearProbability > 0 && rng.next() < tearProbability;
      f.powerLoss(tear, rng);
      if (wasDirty) this.onChange([path, f.stat()]);
    }
  }
}
