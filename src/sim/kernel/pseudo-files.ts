/**
 * Files of /proc and /sys: the kernel's, not the disk's. They sit in the host's disk tree so
 * that `ls`, `cat`, redirections and programs' reads find them, marked `procfs` (no blocks, not
 * counted by df or du) and rebuilt at every boot. Each may have a `PseudoFile` (disk.ts): its
 * content made when it is read (/proc/meminfo), its writes parsed by the kernel, which may refuse
 * them (a tunable's value out of range: EINVAL) and never appends them.
 *
 * What Linux answers around them, as measured on the machine's 6.x kernel as root:
 * - a write to a read-only /proc file (/proc/meminfo) fails with EIO;
 * - a read-only /sys attribute cannot even be opened for writing (EACCES);
 * - a new file cannot be created in /proc (ENOENT) nor in /sys (EACCES);
 * - O_TRUNC does nothing (disk.ts).
 */
import type { PseudoFile } from './disk';
import type { Host } from './host';

/** Mark `path` and the directories above it (below /) as /proc or /sys. */
export function markProcfs(host: Host, path: string): void {
  for (let i = path.indexOf('/', 1); i >= 0; i = path.indexOf('/', i + 1)) host.disk.lookup(path.slice(0, i))!.procfs = true;
  const f = host.disk.lookup(path);
  if (f) f.procfs = true;
}

/** Create (or replace) a pseudo file: `mode` 0o444 for one nobody may write. */
export function mountPseudoFile(host: Host, path: string, file: PseudoFile, now: number, mode = 0o444): void {
  const disk = host.disk;
  disk.mkdir(path.slice(0, path.lastIndexOf('/')), true, now);
  const old = disk.lookup(path);
  if (old?.pseudo) old.pseudo = null;
  disk.writeFile(path, new Uint8Array(0), now, true, true);
  const f = disk.lookup(path)!;
  f.pseudo = file;
  f.cached = true;
  disk.chmod(path, mode);
  markProcfs(host, path);
}
