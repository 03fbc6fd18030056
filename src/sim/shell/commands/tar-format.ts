/**
 * The tar archive format as GNU tar 1.34 writes it by default (`--format=gnu`): 512-byte
 * headers with octal fields and a checksum, the magic `ustar  \0`, names over 100 bytes in a
 * `././@LongLink` member of type L before their own, data padded to 512 bytes, two zero
 * blocks at the end and the whole padded to a 10240-byte record (20 blocks). Reading also
 * takes POSIX ustar headers (a name's prefix field). Pure bytes: the tar command does the rest.
 */

export const BLOCK = 512;
/** tar's default blocking factor 20: an archive is a whole number of 10 KiB records. */
export const RECORD = 20 * BLOCK;

export interface TarEntry {
  /** The member name as stored: a directory's ends with `/`. */
  name: string;
  type: 'file' | 'dir' | 'other';
  /** The typeflag byte as read. */
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtimeSeconds: number;
  data: Uint8Array;
  /** A link's target (typeflag 1 or 2). */
  linkname?: string;
}

const enc = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0) & 0xff));

/** An octal field of `width` bytes: digits (zero-padded) and a NUL. */
function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, typeflag: string, e: { mode: number; uid: number; gid: number; size: number; mtimeSeconds: number; uname: string; gname: string }): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const put = (at: number, text: string, max: number) => h.set(enc(text).subarray(0, max), at);
  put(0, name, 100);
  put(100, octal(e.mode & 0o7777, 8), 8);
  put(108, octal(e.uid, 8), 8);
  put(116, octal(e.gid, 8), 8);
  put(124, octal(e.size, 12), 12);
  put(136, octal(e.mtimeSeconds, 12), 12);
  put(148, '        ', 8);
  put(156, typeflag, 1);
  put(257, 'ustar  \0', 8);
  put(265, e.uname, 32);
  put(297, e.gname, 32);
  let sum = 0;
  for (const b of h) sum += b;
  // Six octal digits, a NUL and a space, as GNU tar writes the checksum.
  put(148, sum.toString(8).padStart(6, '0') + '\0 ', 8);
  return h;
}

/** The blocks of one member (a long name's L member first when the name needs one). */
export function memberBlocks(e: Omit<TarEntry, 'type' | 'typeflag'> & { type: 'file' | 'dir' }): Uint8Array[] {
  const typeflag = e.type === 'dir' ? '5' : '0';
  const size = e.type === 'dir' ? 0 : e.data.length;
  const out: Uint8Array[] = [];
  const nameBytes = enc(e.name);
  if (nameBytes.length > 100) {
    const long = new Uint8Array(nameBytes.length + 1);
    long.set(nameBytes);
    // As GNU tar's private header: mode 0644, owner root, time 0.
    out.push(header('././@LongLink', 'L', { mode: 0o644, uid: 0, gid: 0, size: long.length, mtimeSeconds: 0, uname: 'root', gname: 'root' }));
    out.push(...padded(long));
  }
  out.push(header(e.name, typeflag, { ...e, size }));
  if (size > 0) out.push(...padded(e.data));
  return out;
}

function padded(data: Uint8Array): Uint8Array[] {
  const n = Math.ceil(data.length / BLOCK) * BLOCK;
  const out = new Uint8Array(n);
  out.set(data);
  return [out];
}

/** The end of an archive: two zero blocks, then zeros to the end of the record. */
export function finishArchive(blocks: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const b of blocks) n += b.length;
  const total = Math.ceil((n + 2 * BLOCK) / RECORD) * RECORD;
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of blocks) { out.set(b, at); at += b.length; }
  return out;
}

function field(h: Uint8Array, at: number, len: number): string {
  let end = at;
  while (end < at + len && h[end] !== 0) end++;
  return String.fromCharCode(...h.subarray(at, end));
}

function readOctal(h: Uint8Array, at: number, len: number): number | null {
  const text = field(h, at, len).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return null;
  return parseInt(text, 8);
}

function checksumOk(h: Uint8Array): boolean {
  const stored = readOctal(h, 148, 8);
  if (stored === null) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** How reading an archive went: its members, and why it stopped early if it did. */
export interface TarRead {
  entries: TarEntry[];
  /** `not-tar`: the first header is not one; `bad-header`: a later one; `eof`: a member cut short. */
  error: 'not-tar' | 'bad-header' | 'eof' | null;
  /** The 1-based number of an end block not followed by a second zero block (tar warns). */
  loneZeroAt?: number;
}

export function readArchive(data: Uint8Array): TarRead {
  const entries: TarEntry[] = [];
  let pos = 0;
  let longName: string | null = null;
  while (pos + BLOCK <= data.length) {
    const h = data.subarray(pos, pos + BLOCK);
    if (h.every((b) => b === 0)) {
      const next = data.subarray(pos + BLOCK, pos + 2 * BLOCK);
      const twice = next.length === BLOCK && next.every((b) => b === 0);
      return twice ? { entries, error: null } : { entries, error: null, loneZeroAt: pos / BLOCK + 1 };
    }
    if (!checksumOk(h)) return { entries, error: entries.length === 0 && longName === null ? 'not-tar' : 'bad-header' };
    const size = readOctal(h, 124, 12) ?? 0;
    const typeflag = String.fromCharCode(h[156] || 0x30);
    pos += BLOCK;
    const end = pos + Math.ceil(size / BLOCK) * BLOCK;
    const body = data.slice(pos, pos + size);
    const cut = pos + size > data.length;
    pos = end;
    if (typeflag === 'L' && !cut) { longName = field(body, 0, body.length); continue; }
    let name = field(h, 0, 100);
    // A POSIX ustar header may keep the start of a long name in its prefix field.
    if (field(h, 257, 6) === 'ustar' && h[345] !== 0) name = `${field(h, 345, 155)}/${name}`;
    if (longName !== null) { name = longName; longName = null; }
    entries.push({
      name, typeflag,
      type: typeflag === '5' ? 'dir' : typeflag === '0' || typeflag === '7' ? 'file' : 'other',
      mode: readOctal(h, 100, 8) ?? 0, uid: readOctal(h, 108, 8) ?? 0, gid: readOctal(h, 116, 8) ?? 0,
      uname: field(h, 265, 32), gname: field(h, 297, 32), mtimeSeconds: readOctal(h, 136, 12) ?? 0,
      data: typeflag === '5' ? new Uint8Array(0) : body,
      linkname: field(h, 157, 100),
    });
    // A member cut short is listed (and extracted as far as it goes) before tar notices.
    if (cut) return { entries, error: 'eof' };
  }
  // An archive cut inside a header block ends quietly, as GNU tar's read of a short record does.
  if (entries.length === 0 && longName === null) return { entries, error: 'not-tar' };
  return { entries, error: null };
}
