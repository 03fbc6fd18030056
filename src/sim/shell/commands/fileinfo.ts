/**
 * Commands that inspect files without changing them: cmp, du, df, stat. Their output follows
 * GNU coreutils 9 and diffutils 3 as Debian ships them (messages, columns, exit codes); `find`
 * has its own module (commands/find.ts) for its expression language, the digests theirs
 * (commands/checksums.ts).
 *
 * The storage model, shared by du, df and stat, is a fresh ext4 filesystem with 4 KiB blocks:
 * a file occupies its size rounded up to whole blocks, a directory one block (4096 bytes, what
 * `ls -l` shows too). There is no inline data, sparse file or indirect-block overhead, so for the
 * small files of a lab `du` agrees with a real ext4 disk.
 */
import type { Command, CmdCtx } from '../context';
import { abs, ERRNO, getopt, quoted, readAllInput, usage, quoteaf } from '../context';
import type { Inode } from '../../kernel/disk';
import { latin1Bytes } from '../../kernel/kernel';
import { formatDate } from './time';

export const BLOCK_BYTES = 4096;

/** Bytes the inode occupies on disk: whole blocks; a directory is one block; /proc none. */
export function allocatedBytes(n: Inode): number {
  if (n.procfs) return 0;
  return n.isDir ? BLOCK_BYTES : Math.ceil(n.len / BLOCK_BYTES) * BLOCK_BYTES;
}

/** `st_size`: the length of a file, one block for a directory; 0 in /proc. */
export function apparentBytes(n: Inode): number { return n.procfs ? 0 : n.isDir ? BLOCK_BYTES : n.len; }

const HUMAN_UNITS = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

/**
 * GNU's `-h` (du, df): powers of 1024, always rounded up, one decimal below 10 (`4.0K`, `1.5M`),
 * none from 10 on (`20K`), and a value that rounds up to 1024 moves to the next unit (`1.0G`).
 */
export function humanSize(bytes: number): string {
  let unit = 0;
  let value = bytes;
  while (value >= 1024 && unit < HUMAN_UNITS.length - 1) { value /= 1024; unit++; }
  if (unit === 0) return String(Math.ceil(value));
  if (value < 10) {
    // Dividing by 1024 is exact in binary floating point, so ceil() sees the true value.
    const tenths = Math.ceil(value * 10);
    if (tenths < 100) return `${Math.floor(tenths / 10)}.${tenths % 10}${HUMAN_UNITS[unit]}`;
  }
  const whole = Math.ceil(value);
  if (whole >= 1024 && unit < HUMAN_UNITS.length - 1) return `1.0${HUMAN_UNITS[unit + 1]}`;
  return `${whole}${HUMAN_UNITS[unit]}`;
}

/** The children of a directory in the order our commands walk them: sorted by name (bytes). */
export function sortedChildren(dir: Inode): [string, Inode][] {
  return [...dir.children!.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** How a path operand is shown for an entry below it: `d` → `d/x`, `d/` → `d/x`, `/` → `/x`. */
export function childPath(parent: string, name: string): string {
  return parent.endsWith('/') ? parent + name : `${parent}/${name}`;
}

/**
 * gnulib's file_name_concat, how cp and mv name what they copy into a directory: the
 * directory's trailing slashes give way to one (`d//` and `f` make `d/f`), where find and ls
 * keep them (childPath).
 */
export function concatPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/** GNU's "unrecognized option" / "invalid option" error for the first bad flag getopt saw. */
function badOption(ctx: CmdCtx, name: string, flag: string): number {
  return usage(ctx, name, flag.startsWith('--') ? `unrecognized option '${flag.split('=')[0]}'` : `invalid option -- '${flag}'`);
}

function unknownLong(flags: Map<string, string>, known: string[]): string | null {
  for (const f of flags.keys()) if (f.startsWith('--') && !known.includes(f.split('=')[0])) return f;
  return null;
}

/** A file's bytes for a reader (cmp); `/dev/null` reads empty, as `cat` has it. */
function readBytes(ctx: CmdCtx, name: string): Uint8Array | 'ENOENT' | 'EISDIR' {
  const path = abs(ctx, name);
  if (path === '/dev/null') return new Uint8Array(0);
  const n = ctx.host.disk.lookup(path);
  if (!n) return 'ENOENT';
  if (n.isDir) return 'EISDIR';
  return n.bytes();
}

// ---- cmp --------------------------------------------------------------------------------------

/** cmp's usage errors carry its name on both lines, and exit 2 ("trouble"). */
function cmpTrouble(ctx: CmdCtx, msg: string): number {
  ctx.err(`cmp: ${msg}\ncmp: Try 'cmp --help' for more information.\n`);
  return 2;
}

/** A byte as `cmp -b` shows it: printable as is, control characters as ^X, high bytes as M-x. */
function printableByte(b: number): string {
  const meta = b >= 0x80 ? 'M-' : '';
  const c = b & 0x7f;
  if (c < 0x20) return `${meta}^${String.fromCharCode(c + 0x40)}`;
  if (c === 0x7f) return `${meta}^?`;
  return meta + String.fromCharCode(c);
}

const octal3 = (b: number) => b.toString(8).padStart(3, ' ');

/** A byte count operand of cmp (`-n`, `-i`, SKIP): decimal, with GNU's common suffixes. */
function parseCmpCount(text: string): number | null {
  const m = /^(\d+)(|kB|K|KiB|MB|M|MiB|GB|G|GiB)$/.exec(text);
  if (!m) return null;
  const scale: Record<string, number> = { '': 1, kB: 1000, K: 1024, KiB: 1024, MB: 1e6, M: 1024 ** 2, MiB: 1024 ** 2, GB: 1e9, G: 1024 ** 3, GiB: 1024 ** 3 };
  return Number(m[1]) * scale[m[2]];
}

export const cmp: Command = function* (ctx, argv) {
  let silent = false;
  let printBytes = false;
  let listAll = false;
  let limitBytes = Infinity;
  let skips: [number, number] | null = null;
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { operands.push(...argv.slice(i + 1)); break; }
    if (a === '-' || !a.startsWith('-')) { operands.push(a); continue; }
    if (a === '--silent' || a === '--quiet') { silent = true; continue; }
    if (a === '--print-bytes') { printBytes = true; continue; }
    if (a === '--verbose') { listAll = true; continue; }
    const long = /^--(bytes|ignore-initial)(?:=(.*))?$/.exec(a);
    if (a.startsWith('--') && !long) return cmpTrouble(ctx, `unrecognized option '${a.split('=')[0]}'`);
    // Short options cluster (`-bl`); -n and -i take the rest of the word or the next argument.
    const letters = long ? [] : [...a.slice(1)];
    let valued: { opt: string; value: string | undefined } | null = long ? { opt: long[1], value: long[2] ?? argv[++i] } : null;
    for (let j = 0; j < letters.length && !valued; j++) {
      const c = letters[j];
      if (c === 's') silent = true;
      else if (c === 'b') printBytes = true;
      else if (c === 'l') listAll = true;
      else if (c === 'n' || c === 'i') valued = { opt: c === 'n' ? 'bytes' : 'ignore-initial', value: a.slice(j + 2) || argv[++i] };
      else return cmpTrouble(ctx, `invalid option -- '${c}'`);
    }
    if (!valued) continue;
    if (valued.value === undefined) return cmpTrouble(ctx, `option requires an argument -- '${valued.opt === 'bytes' ? 'n' : 'i'}'`);
    if (valued.opt === 'bytes') {
      const n = parseCmpCount(valued.value);
      if (n === null) return cmpTrouble(ctx, `invalid --bytes value '${valued.value}'`);
      limitBytes = Math.min(limitBytes, n);
    } else {
      const [s1, s2 = s1] = valued.value.split(':');
      const n1 = parseCmpCount(s1);
      const n2 = parseCmpCount(s2);
      if (n1 === null || n2 === null) return cmpTrouble(ctx, `invalid --ignore-initial value '${valued.value}'`);
      skips = [n1, n2];
    }
  }
  if (operands.length === 0) return cmpTrouble(ctx, "missing operand after 'cmp'");
  if (operands.length > 4) return cmpTrouble(ctx, `extra operand '${operands[4]}'`);
  const names = [operands[0], operands[1] ?? '-'];
  const skip: [number, number] = skips ?? [0, 0];
  for (const k of [2, 3]) {
    if (operands[k] === undefined) continue;
    const n = parseCmpCount(operands[k]);
    if (n === null) return cmpTrouble(ctx, `invalid --ignore-initial value '${operands[k]}'`);
    skip[k - 2] = n;
  }
  if (listAll && silent) return cmpTrouble(ctx, 'options -l and -s are incompatible');

  const contents: Uint8Array[] = [];
  for (const name of names) {
    const bytes = name === '-' ? latin1Bytes(yield* readAllInput(ctx)) : readBytes(ctx, name);
    if (typeof bytes === 'string') {
      if (!silent) ctx.err(`cmp: ${name}: ${ERRNO[bytes]}\n`);
      return 2;
    }
    contents.push(bytes);
  }
  const [a, b] = contents.map((c, k) => c.subarray(Math.min(skip[k], c.length)));
  const common = Math.min(a.length, b.length, limitBytes);
  // `-l` aligns byte numbers to the width of the largest one it could print.
  const offsetWidth = String(common).length;
  let newlines = 0;
  let differed = false;
  for (let i = 0; i < common; i++) {
    if (a[i] !== b[i]) {
      differed = true;
      if (silent) return 1;
      if (!listAll) {
        const bytes = printBytes ? ` is ${octal3(a[i])} ${printableByte(a[i])} ${octal3(b[i])} ${printableByte(b[i])}` : '';
        ctx.out(`${names[0]} ${names[1]} differ: byte ${i + 1}, line ${newlines + 1}${bytes}\n`);
        return 1;
      }
      const shownA = printBytes ? ` ${printableByte(a[i]).padEnd(4)}` : '';
      const shownB = printBytes ? ` ${printableByte(b[i])}` : '';
      ctx.out(`${String(i + 1).padStart(offsetWidth)} ${octal3(a[i])}${shownA} ${octal3(b[i])}${shownB}\n`);
    }
    if (a[i] === 0x0a) newlines++;
  }
  if (a.length !== b.length && common < limitBytes) {
    // One file is a prefix of the other (within the limit): report the end of the shorter one.
    if (!silent) {
      const shorter = a.length < b.length ? names[0] : names[1];
      if (common === 0) ctx.err(`cmp: EOF on ${shorter} which is empty\n`);
      else if (listAll) ctx.err(`cmp: EOF on ${shorter} after byte ${common}\n`);
      else if (a[common - 1] === 0x0a) ctx.err(`cmp: EOF on ${shorter} after byte ${common}, line ${newlines}\n`);
      else ctx.err(`cmp: EOF on ${shorter} after byte ${common}, in line ${newlines + 1}\n`);
    }
    return 1;
  }
  return differed ? 1 : 0;
};

// ---- du ---------------------------------------------------------------------------------------

export const du: Command = function* (ctx, argv) {
  const { flags, args, bad } = getopt(argv, 'sahckmbxL', 'd');
  if (bad) return badOption(ctx, 'du', bad);
  const unknown = unknownLong(flags, ['--summarize', '--all', '--human-readable', '--total', '--apparent-size', '--bytes', '--max-depth', '--one-file-system']);
  if (unknown) return badOption(ctx, 'du', unknown);
  const has = (short: string, long: string) => flags.has(short) || flags.has(long);
  const all = has('a', '--all');
  const summarize = has('s', '--summarize');
  if (all && summarize) {
    ctx.err("du: cannot both summarize and show all entries\nTry 'du --help' for more information.\n");
    return 1;
  }
  const depthText = flags.get('d') ?? [...flags.keys()].find((f) => f.startsWith('--max-depth='))?.slice('--max-depth='.length);
  let maxDepth = summarize ? 0 : Infinity;
  if (depthText !== undefined) {
    if (!/^\d+$/.test(depthText)) {
      ctx.err(`du: invalid maximum depth ${quoted(depthText)}\nTry 'du --help' for more information.\n`);
      return 1;
    }
    maxDepth = Number(depthText);
  }
  const bytesMode = has('b', '--bytes');
  const apparent = bytesMode || flags.has('--apparent-size');
  const human = has('h', '--human-readable');
  const size = (n: Inode) => (apparent ? apparentBytes(n) : allocatedBytes(n));
  // Default unit KiB; -m MiB; -b bytes; all rounded up like GNU.
  const show = (bytes: number) => {
    if (human) return humanSize(bytes);
    if (bytesMode) return String(bytes);
    return String(Math.ceil(bytes / (flags.has('m') ? 1024 * 1024 : 1024)));
  };

  // GNU du counts an inode once per run, even when two operands reach it (`du d d/e`).
  const seen = new Set<Inode>();
  const walk = (shown: string, n: Inode, depth: number): number => {
    if (seen.has(n)) return 0;
    seen.add(n);
    let total = size(n);
    if (n.isDir) for (const [name, child] of sortedChildren(n)) total += walk(childPath(shown, name), child, depth + 1);
    if (depth <= maxDepth && (n.isDir || all || depth === 0)) ctx.out(`${show(total)}\t${shown}\n`);
    return total;
  };
  let code = 0;
  let grandTotal = 0;
  for (const operand of args.length ? args : ['.']) {
    if (operand === '') { ctx.err('du: invalid zero-length file name\n'); code = 1; continue; }
    const n = ctx.host.disk.lookup(abs(ctx, operand));
    if (!n) { ctx.err(`du: cannot access ${quoteaf(operand)}: No such file or directory\n`); code = 1; continue; }
    // fts shows `d//` as `d/`: trailing slashes collapse to one.
    grandTotal += walk(operand.replace(/\/+$/, '/'), n, 0);
  }
  if (has('c', '--total')) ctx.out(`${show(grandTotal)}\ttotal\n`);
  return code;
};

// ---- df ---------------------------------------------------------------------------------------

/** The host's single filesystem, as df and stat present it. */
const ROOT_DEVICE = '/dev/vda1';
const ROOT_SIZE_KIB = 40 * 1024 * 1024;
/** ext4's default of one inode per 16 KiB. */
const ROOT_INODES = ROOT_SIZE_KIB / 16;
/** /dev/vda1 is block device 254:1 (virtio). */
const DEVICE_MAJOR = 254;
const DEVICE_MINOR = 1;

function treeTotals(root: Inode): { bytes: number; inodes: number } {
  let bytes = 0;
  let inodes = 0;
  const walk = (n: Inode) => {
    // /proc is another filesystem: df's / does not count it.
    if (n.procfs) return;
    bytes += allocatedBytes(n);
    inodes++;
    if (n.children) for (const c of n.children.values()) walk(c);
  };
  walk(root);
  return { bytes, inodes };
}

/** GNU's Use%: used / (used + available), rounded up; `-` when nothing can be used. */
function percentUsed(used: number, avail: number): string {
  if (used + avail === 0) return '-';
  return `${Math.ceil((used * 100) / (used + avail))}%`;
}

/**
 * df: the host has one filesystem, /dev/vda1 on /, 40 GiB. Used is what `du -s /` counts (every
 * file rounded up to blocks, every directory one block), and there are no reserved blocks, so
 * Size = Used + Avail; a real ext4 keeps 5% for root, which would only make the numbers harder to
 * check in a lesson.
 */
export const df: Command = function* (ctx, argv) {
  const { flags, args, bad } = getopt(argv, 'hkTiP');
  if (bad) return badOption(ctx, 'df', bad);
  const unknown = unknownLong(flags, ['--human-readable', '--print-type', '--inodes', '--portability']);
  if (unknown) return badOption(ctx, 'df', unknown);
  const human = flags.has('h') || flags.has('--human-readable');
  const inodes = flags.has('i') || flags.has('--inodes');
  const withType = flags.has('T') || flags.has('--print-type');
  let code = 0;
  let rows = 0;
  for (const operand of args) {
    if (ctx.host.disk.lookup(abs(ctx, operand))) { rows++; continue; }
    ctx.err(`df: ${operand}: No such file or directory\n`);
    code = 1;
  }
  if (args.length === 0) rows = 1;
  if (rows === 0) return code;

  const totals = treeTotals(ctx.host.disk.root);
  let values: string[];
  let headers: string[];
  if (inodes) {
    const free = ROOT_INODES - totals.inodes;
    const show = (n: number) => (human ? humanSize(n) : String(n));
    headers = ['Inodes', 'IUsed', 'IFree', 'IUse%'];
    values = [show(ROOT_INODES), show(totals.inodes), show(free), percentUsed(totals.inodes, free)];
  } else {
    const usedKiB = totals.bytes / 1024;
    const availKiB = ROOT_SIZE_KIB - usedKiB;
    const show = (kib: number) => (human ? humanSize(kib * 1024) : String(kib));
    if (human) headers = ['Size', 'Used', 'Avail', 'Use%'];
    else if (flags.has('P') || flags.has('--portability')) headers = ['1024-blocks', 'Used', 'Available', 'Capacity'];
    else headers = ['1K-blocks', 'Used', 'Available', 'Use%'];
    values = [show(ROOT_SIZE_KIB), show(usedKiB), show(availKiB), percentUsed(usedKiB, availKiB)];
  }
  // GNU's columns: Filesystem left-aligned in at least 14, numbers right-aligned in at least 5,
  // the percentage in at least 4, the mount point last and unpadded; one space between columns.
  const columns = [
    { header: 'Filesystem', value: ROOT_DEVICE, min: 14, left: true },
    ...(withType ? [{ header: 'Type', value: 'ext4', min: 4, left: true }] : []),
    ...headers.map((header, i) => ({ header, value: values[i], min: i === 3 ? 4 : 5, left: false })),
  ];
  const cell = (c: (typeof columns)[number], text: string) => {
    const width = Math.max(c.min, c.header.length, c.value.length);
    return c.left ? text.padEnd(width) : text.padStart(width);
  };
  ctx.out(columns.map((c) => cell(c, c.header)).join(' ') + ' Mounted on\n');
  const row = columns.map((c) => cell(c, c.value)).join(' ') + ' /\n';
  ctx.out(row.repeat(rows));
  return code;
};

// ---- stat -------------------------------------------------------------------------------------

/** Hard links: a directory has its entry, its `.` and one `..` per subdirectory. */
function linkCount(n: Inode): number {
  if (!n.isDir) return 1;
  let subdirs = 0;
  for (const c of n.children!.values()) if (c.isDir) subdirs++;
  return 2 + subdirs;
}

function fileTypeName(n: Inode): string {
  if (n.isDir) return 'directory';
  return n.len === 0 ? 'regular empty file' : 'regular file';
}


/**
 * One `%` directive of stat's format for `n` (shown as `name`). The simulated disk keeps only a
 * modification time, so access and change times are the modification time, and the birth time
 * is unknown (`-`, like a filesystem that does not record it).
 */
function statField(ctx: CmdCtx, n: Inode, name: string, directive: string): string | null {
  const timeText = (ms: number) => formatDate('%Y-%m-%d %H:%M:%S.%N %z', ms, ctx.host.tzOffsetMinutes);
  const seconds = String(Math.floor(n.mtimeMs / 1000));
  switch (directive) {
    case 'n': return name;
    case 'N': return quoteaf(name);
    case 's': return String(apparentBytes(n));
    case 'b': return String(allocatedBytes(n) / 512);
    case 'B': return '512';
    case 'o': return String(BLOCK_BYTES);
    case 'F': return fileTypeName(n);
    case 'a': return n.mode.toString(8);
    case 'A': return n.modeString();
    case 'f': return ((n.isDir ? 0o40000 : 0o100000) | n.mode).toString(16);
    case 'h': return String(linkCount(n));
    case 'i': return String(n.ino);
    case 'u': case 'g': return '0';
    case 'U': case 'G': return 'root';
    case 'd': return String(DEVICE_MAJOR * 256 + DEVICE_MINOR);
    case 'D': return (DEVICE_MAJOR * 256 + DEVICE_MINOR).toString(16);
    case 'm': return '/';
    case 'x': case 'y': case 'z': return timeText(n.mtimeMs);
    case 'X': case 'Y': case 'Z': return seconds;
    case 'w': return '-';
    case 'W': return '0';
    default: return null;
  }
}

/**
 * Expand a stat format: `%` directives with printf-style flags, width and precision. An unknown
 * directive letter prints `?`; a directive cut off by the end of the format is an error (null).
 */
function expandStatFormat(ctx: CmdCtx, n: Inode, name: string, format: string): string | null {
  let truncated = false;
  const text = format.replace(/%([-#+ 0']*)(\d*)(?:\.(\d+))?(.?)/gs, (whole, flagText: string, width: string, precision: string | undefined, directive: string) => {
    if (directive === '%') return '%';
    if (directive === '') { truncated ||= whole !== '%'; return whole; }
    let field = statField(ctx, n, name, directive);
    if (field === null) return '?';
    if (precision !== undefined) field = field.slice(0, Number(precision));
    const w = Number(width || 0);
    if (flagText.includes('-')) return field.padEnd(w);
    const numeric = /^\d+$/.test(field);
    return field.padStart(w, flagText.includes('0') && numeric ? '0' : ' ');
  });
  return truncated ? null : text;
}

/** Backslash escapes of `stat --printf`. */
function printfEscapes(text: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', '"': '"', a: '\x07', b: '\b', f: '\f', r: '\r', v: '\v', e: '\x1b' };
  return text.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/gs, (whole, seq: string) => {
    if (seq[0] === 'x' && seq.length > 1) return String.fromCharCode(parseInt(seq.slice(1), 16));
    if (/^[0-7]/.test(seq)) return String.fromCharCode(parseInt(seq, 8) & 0xff);
    return simple[seq] ?? whole;
  });
}

/** GNU stat's default layout (coreutils 9), one block per file. */
const DEFAULT_STAT_FORMAT = [
  '  File: %n',
  '  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F',
  `Device: ${DEVICE_MAJOR},${DEVICE_MINOR}\tInode: %-11i Links: %h`,
  'Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)',
  'Access: %x',
  'Modify: %y',
  'Change: %z',
  ' Birth: %w',
].join('\n') + '\n';

export const stat: Command = function* (ctx, argv) {
  let format: string | null = null;
  let appendNewline = true;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { files.push(...argv.slice(i + 1)); break; }
    if (a === '-' || !a.startsWith('-')) { files.push(a); continue; }
    const long = /^--(format|printf)(?:=(.*))?$/s.exec(a);
    if (long) {
      const value = long[2] ?? argv[++i];
      if (value === undefined) return usage(ctx, 'stat', `option '--${long[1]}' requires an argument`);
      format = long[1] === 'printf' ? printfEscapes(value) : value;
      appendNewline = long[1] === 'format';
      continue;
    }
    if (a === '--dereference') continue;
    if (a.startsWith('--')) return badOption(ctx, 'stat', a);
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'L') continue; // no symbolic links on this disk: following them changes nothing
      if (c !== 'c') return badOption(ctx, 'stat', c);
      const value = a.slice(j + 1) || argv[++i];
      if (value === undefined) return usage(ctx, 'stat', "option requires an argument -- 'c'");
      format = value;
      appendNewline = true;
      break;
    }
  }
  if (files.length === 0) return usage(ctx, 'stat', 'missing operand');
  let code = 0;
  for (const f of files) {
    // An empty name is no file (statx("") fails with ENOENT), not the working directory.
    const n = f === '' ? null : ctx.host.disk.lookup(abs(ctx, f));
    if (!n) { ctx.err(`stat: cannot statx ${quoteaf(f)}: No such file or directory\n`); code = 1; continue; }
    const text = expandStatFormat(ctx, n, f, format ?? DEFAULT_STAT_FORMAT);
    if (text === null) {
      ctx.err(`stat: ${quoted(/%[^%]*$/.exec(format!)![0])}: invalid directive\n`);
      return 1;
    }
    ctx.out(format !== null && appendNewline ? text + '\n' : text);
  }
  return code;
};
