/**
 * The part of OpenSSH's sftp-server that scp (SFTP mode, OpenSSH 9's default) uses, on the
 * session host's disk: STAT, OPEN for writing (a new file gets the mode asked for less the
 * server's umask 022, an existing one keeps its own), WRITE, CLOSE, SETSTAT (scp -p: the mode
 * and the modification time), MKDIR, READ (a whole file, in 32 KiB DATA packets) and READDIR
 * (a directory's names with their attributes, for scp -r). A path without a leading slash is
 * relative to root's home. Errors are errno names in STATUS (No such file or directory...).
 */
import type { Kernel } from '../kernel/kernel';
import type { Host } from '../kernel/host';
import type { Inode } from '../kernel/disk';
import { resolvePath } from '../runtime/paths';
import { FXP, fields, packet, splitFields } from './wire';

const SERVER_UMASK = 0o022;
const DATA_CHUNK_BYTES = 32 * 1024;

/** A file's attributes as they travel: kind, mode, size, mtime. */
export function attrs(f: Inode): string {
  return fields(f.isDir ? 'd' : 'f', f.mode & 0o7777, f.isDir ? 4096 : f.bytes().length, f.mtimeMs);
}

export class SftpServer {
  private readonly open = new Map<string, { path: string; inode: Inode }>();
  private nextHandle = 0;

  constructor(private readonly kernel: Kernel, private readonly host: Host, private readonly reply: (text: string) => void) {}

  private abs(p: string): string { return resolvePath(this.host.home, p === '' ? '.' : p); }

  private status(id: string, errno: string | null): void { this.reply(packet(FXP.STATUS, fields(id, errno ?? 'OK'))); }

  handle(type: number, payload: string): void {
    const f = splitFields(payload);
    const id = f[0];
    const disk = this.host.disk;
    const now = this.kernel.now;
    switch (type) {
      case FXP.STAT: {
        const n = disk.lookup(this.abs(f[1]));
        if (!n) { this.status(id, 'ENOENT'); return; }
        this.reply(packet(FXP.ATTRS, fields(id, this.abs(f[1]), attrs(n))));
        return;
      }
      case FXP.OPEN: {
        const path = this.abs(f[1]);
        const mode = Number(f[2]) & 0o777 & ~SERVER_UMASK;
        // open(2) of a name ending in a slash that is no directory: EISDIR.
        const inode = f[1].endsWith('/') && !disk.lookup(path)?.isDir ? 'EISDIR' : disk.create(path, true, now, false, mode);
        if (typeof inode === 'string') { this.status(id, inode); return; }
        const h = String(++this.nextHandle);
        this.open.set(h, { path, inode });
        this.reply(packet(FXP.STATUS, fields(id, 'OK', h)));
        return;
      }
      case FXP.WRITE: {
        const o = this.open.get(f[1]);
        if (!o) return;
        const text = payload.slice(id.length + f[1].length + 2);
        const bytes = new Uint8Array(text.length);
        for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
        this.kernel.writeInode(this.host, o.inode, o.path, bytes);
        return;
      }
      case FXP.CLOSE:
        this.open.delete(f[1]);
        this.status(id, null);
        return;
      case FXP.SETSTAT: {
        const path = this.abs(f[1]);
        const n = disk.lookup(path);
        if (!n) { this.status(id, 'ENOENT'); return; }
        n.mtimeMs = Number(f[3]);
        disk.chmod(path, Number(f[2]) & 0o7777);
        this.status(id, null);
        return;
      }
      case FXP.MKDIR: {
        const e = disk.mkdir(this.abs(f[1]), false, now, Number(f[2]) & 0o777 & ~SERVER_UMASK);
        this.status(id, e === 'EEXIST' && disk.lookup(this.abs(f[1]))?.isDir ? null : e);
        return;
      }
      case FXP.READ: {
        const path = this.abs(f[1]);
        const n = disk.lookup(path);
        if (!n) { this.status(id, 'ENOENT'); return; }
        if (n.isDir) { this.status(id, 'EISDIR'); return; }
        const b = n.bytes();
        for (let at = 0; at < b.length; at += DATA_CHUNK_BYTES) {
          this.reply(packet(FXP.DATA, id + '\0' + String.fromCharCode(...b.subarray(at, Math.min(b.length, at + DATA_CHUNK_BYTES)))));
        }
        this.status(id, 'EOF');
        return;
      }
      case FXP.READDIR: {
        const path = this.abs(f[1]);
        const names = disk.list(path);
        if (typeof names === 'string') { this.status(id, names); return; }
        const entries = names.filter((x) => x !== '.' && x !== '..').map((x) => {
          const n = disk.lookup(resolvePath(path, x));
          return n ? `${x}\x01${attrs(n).replace(/\0/g, '\x01')}` : null;
        }).filter((x): x is string => x !== null);
        this.reply(packet(FXP.NAME, fields(id, ...entries)));
        return;
      }
      default:
        this.status(id, 'EINVAL');
    }
  }
}
