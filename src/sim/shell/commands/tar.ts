/**
 * `tar` as GNU tar 1.34: -c (create), -x (extract), -t (list) with -f ARCHIVE (`-` or none:
 * standard input or output), -z (gzip; on reading, compression is recognized without it),
 * -v (names; twice, or -t's -v, the long listing), -C DIR, -O, -m, old-style bundles (`czvf
 * a.tgz dir`), members named on -t and -x, and tar's messages: the leading `/` removed from
 * member names, `Cannot stat`, `Not found in archive`, `This does not look like a tar
 * archive`, `Cowardly refusing to create an empty archive`, exiting 2 after errors. The archive
 * bytes are a real GNU tar archive (tar-format.ts), so the real tar reads ours and ours the real
 * one's. Directories are archived in name order (GNU tar's `--sort=name`; the default order is
 * the file system's, which the simulated disk does not have).
 */
import type { Command, CmdCtx } from '../context';
import { abs, quoted } from '../context';
import { bytesToLatin1, latin1Bytes } from '../../kernel/kernel';
import type { Inode } from '../../kernel/disk';
import type { TaskGen } from '../../kernel/tasks';
import { dirname, resolvePath } from '../../runtime/paths';
import { gunzip, gzip, isGzip } from './deflate';
import { parseOpts, type OptSpec } from './operands';
import { globRegExp } from '../glob';
import { readAll, stdinInput } from './stdio';
import { finishArchive, memberBlocks, readArchive, type TarEntry } from './tar-format';
import { TAR_HELP, TAR_USAGE } from './tar-help';

const TRY = "Try 'tar --help' or 'tar --usage' for more information.\n";
/** argp's exit status for a usage error it finds itself (EX_USAGE). */
const EX_USAGE = 64;
const TAREXIT_FAILURE = 2;
/** Options taking a value, in an old-style bundle each takes the next word. */
const WITH_ARG = 'fCbTXgKLNV';

const VERSION = `tar (GNU tar) 1.34
Copyright (C) 2021 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by John Gilmore and Jay Fenlason.
`;

type Mode = 'c' | 'x' | 't';

interface TarOpts {
  mode: Mode;
  archive: string;
  gzip: boolean;
  verbose: number;
  directory: string | null;
  toStdout: boolean;
  touch: boolean;
  /** -k: a file already there is an error, not replaced. */
  keepOld: boolean;
  /** -P: leading `/` kept in member names and on extraction. */
  absolute: boolean;
  /** --exclude patterns, each for the operands after it. */
  excludes: { pattern: string; after: number }[];
  /** --strip-components: leading name components dropped on extraction. */
  strip: number;
  /** Create mode's -C options, each taking effect before the operands after it. */
  chdirs: { value: string; after: number }[];
}

/**
 * An old-style first word (`czvf`, no dash) as the options it stands for: each letter an
 * option, the letters that take a value taking the words after the bundle in turn.
 */
function expandBundle(argv: string[]): string[] {
  if (argv.length < 2 || argv[1].startsWith('-')) return argv;
  const letters = argv[1];
  const rest = argv.slice(2);
  const out = [argv[0]];
  for (const l of letters) {
    out.push(`-${l}`);
    if (WITH_ARG.includes(l) && rest.length > 0) out.push(rest.shift()!);
  }
  return [...out, ...rest];
}

const TAR_OPTIONS: OptSpec = {
  flags: 'cxtzvOmkpPh?', withArg: 'fC',
  long: {
    create: { key: 'c', arg: false }, extract: { key: 'x', arg: false }, get: { key: 'x', arg: false }, list: { key: 't', arg: false },
    file: { key: 'f', arg: true }, directory: { key: 'C', arg: true }, gzip: { key: 'z', arg: false }, gunzip: { key: 'z', arg: false }, ungzip: { key: 'z', arg: false },
    verbose: { key: 'v', arg: false }, 'to-stdout': { key: 'O', arg: false }, touch: { key: 'm', arg: false }, 'keep-old-files': { key: 'k', arg: false },
    'preserve-permissions': { key: 'p', arg: false }, 'same-permissions': { key: 'p', arg: false }, 'absolute-names': { key: 'P', arg: false }, dereference: { key: 'h', arg: false },
    sort: { key: 'sort', arg: true }, exclude: { key: 'exclude', arg: true }, 'strip-components': { key: 'strip', arg: true }, version: { key: 'version', arg: false }, help: { key: 'help', arg: false }, usage: { key: 'usage', arg: false },
  },
};

/**
 * The values of option `key` with the number of operands before each: in create mode tar 1.34
 * takes --exclude and -C in order, each for the operands after it. Found by parsing growing
 * prefixes of argv (getopt keeps no record of where an option stood among the operands).
 */
function positions(args: string[], key: string): { value: string; after: number }[] {
  const out: { value: string; after: number }[] = [];
  for (let n = 2; n <= args.length; n++) {
    const r = parseOpts(args.slice(0, n), TAR_OPTIONS);
    if ('error' in r) continue;
    const found = r.opts.filter((x) => x.key === key);
    if (found.length > out.length) out.push({ value: found[found.length - 1].value, after: r.operands.length });
  }
  return out;
}

/**
 * Whether an --exclude pattern matches a file name, as GNU tar's defaults have it (wildcards,
 * not anchored, `*` matching `/` too): the whole name or any tail of it after a `/`.
 */
function excludedBy(pattern: string, name: string): boolean {
  const re = globRegExp(pattern);
  const bare = name.replace(/\/+$/, '');
  if (re.test(bare)) return true;
  for (let i = bare.indexOf('/'); i >= 0; i = bare.indexOf('/', i + 1)) if (re.test(bare.slice(i + 1))) return true;
  return false;
}

export const tar: Command = function* (ctx, argv) {
  const args = expandBundle(argv).map((a, i) => (i === 0 ? 'tar' : a));
  const parsed = parseOpts(args, TAR_OPTIONS);
  if ('error' in parsed) { ctx.err(`${parsed.error}\n${TRY}`); return EX_USAGE; }
  const o: TarOpts = { mode: 'c', archive: '-', gzip: false, verbose: 0, directory: null, toStdout: false, touch: false, keepOld: false, absolute: false, strip: 0, excludes: positions(args, 'exclude').map(({ value, after }) => ({ pattern: value, after })), chdirs: positions(args, 'C') };
  const modes = new Set<Mode>();
  for (const { key, value } of parsed.opts) {
    switch (key) {
      case 'version': ctx.out(VERSION); return 0;
      case 'help': case '?': ctx.out(TAR_HELP); return 0;
      case 'usage': ctx.out(TAR_USAGE); return 0;
      case 'c': case 'x': case 't': modes.add(key); break;
      case 'f': o.archive = value; break;
      case 'C': o.directory = o.directory === null ? value : resolvePath(o.directory, value); break;
      case 'z': o.gzip = true; break;
      case 'v': o.verbose++; break;
      case 'O': o.toStdout = true; break;
      case 'm': o.touch = true; break;
      case 'k': o.keepOld = true; break;
      case 'P': o.absolute = true; break;
      case 'strip':
        if (!/^\d+$/.test(value)) { ctx.err(`tar: ${value}: Invalid number of elements\n${TRY}`); return TAREXIT_FAILURE; }
        o.strip = Number(value);
        break;
      case 'sort':
        if (!['none', 'name', 'inode'].includes(value)) {
          ctx.err(`tar: invalid argument ${quoted(value)} for ${quoted('--sort')}\nValid arguments are:\n${['none', 'name', 'inode'].map((v) => `  - ${quoted(v)}\n`).join('')}`);
          return TAREXIT_FAILURE;
        }
        break;
    }
  }
  if (modes.size === 0) { ctx.err(`tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\n${TRY}`); return TAREXIT_FAILURE; }
  if (modes.size > 1) { ctx.err(`tar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option\n${TRY}`); return TAREXIT_FAILURE; }
  o.mode = [...modes][0];
  if (o.mode === 'c' && parsed.operands.length === 0) { ctx.err(`tar: Cowardly refusing to create an empty archive\n${TRY}`); return TAREXIT_FAILURE; }
  return o.mode === 'c' ? yield* create(ctx, o, parsed.operands) : yield* read(ctx, o, parsed.operands);
};

/** tar's fatal errors: the message, then `Error is not recoverable`; status 2. */
function fatal(ctx: CmdCtx, message: string): number {
  ctx.err(`tar: ${message}\ntar: Error is not recoverable: exiting now\n`);
  return TAREXIT_FAILURE;
}

/** The directory -C names, checked as tar's chdir does; null when it is not one. */
function baseDir(ctx: CmdCtx, o: TarOpts): string | number {
  if (o.directory === null) return ctx.cwd;
  const path = abs(ctx, o.directory);
  const node = ctx.host.disk.lookup(path);
  if (!node) return fatal(ctx, `${o.directory}: Cannot open: No such file or directory`);
  if (!node.isDir) return fatal(ctx, `${o.directory}: Cannot open: Not a directory`);
  return path;
}

/**
 * A member name from a file name, as tar's safer_name_suffix makes it: leading `/`s removed,
 * and everything up to the last `..` component (`one/../../x` is `x`); tar says what it removed,
 * once for each different prefix.
 */
function memberName(ctx: CmdCtx, name: string, said: Set<string>): string {
  let cut = 0;
  const parts = name.split('/');
  let at = 0;
  for (const part of parts) {
    at += part.length + 1;
    if (part === '..') cut = Math.min(at, name.length);
  }
  while (cut < name.length && name[cut] === '/') cut++;
  if (cut === 0) return name;
  // Several leading slashes are named as one.
  const removed = name.slice(0, cut).replace(/^\/+/, '/');
  if (!said.has(removed)) { said.add(removed); ctx.err(`tar: Removing leading \`${removed}' from member names\n`); }
  return name.slice(cut);
}

function* create(ctx: CmdCtx, o: TarOpts, operands: string[]): TaskGen<number> {
  const toStdout = o.archive === '-';
  if (toStdout && ctx.proc.stdout.kind === 'tty') return fatal(ctx, 'Refusing to write archive contents to terminal (missing -f option?)');
  const disk = ctx.host.disk;
  // tar opens (and so truncates) its archive before it reads any file.
  const archivePath = toStdout ? null : abs(ctx, o.archive);
  const discard = archivePath === '/dev/null';
  if (archivePath !== null && !discard) {
    const made = disk.create(archivePath, true, ctx.kernel.now, false, 0o666 & ~ctx.proc.umask);
    if (typeof made === 'string') return fatal(ctx, `${o.archive}: Cannot open: ${made === 'ENOENT' ? 'No such file or directory' : made === 'EISDIR' ? 'Is a directory' : 'Not a directory'}`);
  }
  let base = ctx.cwd;
  // -v's names go to standard output, or to standard error when the archive is standard output.
  // tar flushes its listing after each name: names and messages come in order.
  const say = (line: string) => { if (toStdout) ctx.err(line); else ctx.out(line); };
  const blocks: Uint8Array[] = [];
  const said = new Set<string>();
  let failed = false;
  const archiveNode = archivePath !== null ? disk.lookup(archivePath) : null;
  const add = (shown: string, member: string, node: Inode, operand: number) => {
    if (o.excludes.some((x) => x.after <= operand && excludedBy(x.pattern, shown))) return;
    if (node === archiveNode) { ctx.err(`tar: ${shown}: file is the archive; not dumped\n`); return; }
    const name = node.isDir && !member.endsWith('/') ? `${member}/` : member;
    const entry = { name, type: node.isDir ? 'dir' as const : 'file' as const, mode: node.mode, uid: 0, gid: 0, uname: 'root', gname: 'root', mtimeSeconds: Math.floor(node.mtimeMs / 1000), data: node.isDir ? new Uint8Array(0) : node.bytes().slice() };
    if (o.verbose > 1) say(longLine(ctx, { ...entry, typeflag: node.isDir ? '5' : '0' }, widths));
    else if (o.verbose === 1) say(`${shown}${node.isDir && !shown.endsWith('/') ? '/' : ''}\n`);
    blocks.push(...memberBlocks(entry));
    if (node.isDir) {
      for (const child of [...node.children!.keys()].sort()) {
        const sep = (s: string) => (s.endsWith('/') ? s : `${s}/`);
        add(sep(shown) + child, sep(member) + child, node.children!.get(child)!, operand);
      }
    }
  };
  const widths = { ugs: 19 };
  for (const [index, operand] of operands.entries()) {
    // -C changes directory where it stands among the operands, from the directory before it.
    for (const cd of o.chdirs.filter((c) => c.after === index)) {
      const dir = resolvePath(base, cd.value);
      const node = disk.lookup(dir);
      if (!node || !node.isDir) return fatal(ctx, `${cd.value}: Cannot open: ${node ? 'Not a directory' : 'No such file or directory'}`);
      base = dir;
    }
    const path = resolvePath(base, operand);
    const node = disk.lookup(path);
    // The name is made (and its prefix announced) before the file is looked at.
    const member = o.absolute ? operand : memberName(ctx, operand, said);
    if (!node || (!node.isDir && operand.endsWith('/'))) {
      ctx.err(`tar: ${operand}: Cannot stat: ${node ? 'Not a directory' : 'No such file or directory'}\n`);
      failed = true;
      continue;
    }
    add(operand, member === '' ? './' : member, node, index);
  }
  let archive = finishArchive(blocks);
  if (o.gzip) archive = gzip(archive, { level: 6, name: null, mtimeSeconds: 0 });
  if (archivePath === null) ctx.out(bytesToLatin1(archive));
  else if (!discard) {
    const f = disk.lookup(archivePath);
    if (f && !f.isDir) {
      const err = ctx.kernel.writeInode(ctx.host, f, archivePath, archive);
      if (err) return fatal(ctx, `${o.archive}: Cannot write: ${err}`);
    }
  }
  // An --exclude after the last operand applies to nothing: tar says so and fails.
  const late = o.excludes.filter((x) => x.after >= operands.length);
  if (late.length > 0) {
    ctx.err('tar: The following options were used after any non-optional arguments in archive create or update mode.  These options are positional and affect only arguments that follow them.  Please, rearrange them properly.\n');
    for (const x of late) ctx.err(`tar: --exclude ${quoted(x.pattern)} has no effect\n`);
    failed = true;
  }
  if (failed) { ctx.err('tar: Exiting with failure status due to previous errors\n'); return TAREXIT_FAILURE; }
  return 0;
}

/** The width of a listing's date (`%Y-%m-%d %H:%M`). */
const DATE_WIDTH = 16;

/** `drwxr-xr-x` from a typeflag and permission bits (setuid/setgid as s/S, sticky as t/T). */
function modeString(typeflag: string, bits: number): string {
  let mode = typeflag === '5' ? 'd' : typeflag === '2' ? 'l' : typeflag === '1' ? 'h' : typeflag === '3' ? 'c' : typeflag === '4' ? 'b' : typeflag === '6' ? 'p' : '-';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const rwx = (bits >> shift) & 7;
    const special = (bits >> 9) & (1 << (shift / 3));
    const x = rwx & 1;
    mode += (rwx & 4 ? 'r' : '-') + (rwx & 2 ? 'w' : '-') + (special ? (shift === 0 ? (x ? 't' : 'T') : x ? 's' : 'S') : x ? 'x' : '-');
  }
  return mode;
}

/** -t's and -vv's long line: mode, owner/group and size in a column that widens, date, name. */
function longLine(ctx: CmdCtx, e: { name: string; typeflag: string; mode: number; uname: string; gname: string; uid: number; gid: number; mtimeSeconds: number; data: Uint8Array; type: string; linkname?: string }, widths: { ugs: number }): string {
  const mode = modeString(e.typeflag, e.mode);
  const ug = `${e.uname || e.uid}/${e.gname || e.gid}`;
  const size = String(e.type === 'dir' ? 0 : e.data.length);
  const need = ug.length + 1 + size.length;
  if (need > widths.ugs) widths.ugs = need;
  const d = new Date(e.mtimeSeconds * 1000 + ctx.host.tzOffsetMinutes * 60000);
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  const link = e.typeflag === '2' ? ` -> ${e.linkname ?? ''}` : e.typeflag === '1' ? ` link to ${e.linkname ?? ''}` : '';
  return `${mode} ${ug} ${size.padStart(widths.ugs - ug.length - 1)} ${date} ${e.name}${link}\n`;
}

function* read(ctx: CmdCtx, o: TarOpts, operands: string[]): TaskGen<number> {
  let raw: Uint8Array;
  if (o.archive === '-') {
    if (ctx.stdin.kind === 'tty') return fatal(ctx, 'Refusing to read archive contents from terminal (missing -f option?)');
    raw = latin1Bytes(yield* readAll(ctx, stdinInput(ctx)));
  } else if (abs(ctx, o.archive) === '/dev/null') {
    raw = new Uint8Array(0);
  } else {
    const node = ctx.host.disk.lookup(abs(ctx, o.archive));
    if (!node) return fatal(ctx, `${o.archive}: Cannot open: No such file or directory`);
    if (node.isDir) return fatal(ctx, `${o.archive}: Cannot read: Is a directory`);
    raw = node.bytes().slice();
  }
  const base = baseDir(ctx, o);
  if (typeof base === 'number') return base;
  let data = raw;
  // GNU tar recognizes a compressed archive by its first bytes, -z or not.
  if (o.gzip || isGzip(raw)) {
    if (!isGzip(raw)) {
      ctx.err('\ngzip: stdin: not in gzip format\n');
      return fatal(ctx, 'Child returned status 1');
    }
    const r = gunzip(raw);
    if (!r.ok && !r.trailingGarbage) {
      ctx.err(r.error === 'unexpected end of file' ? '\ngzip: stdin: unexpected end of file\n' : `\ngzip: stdin: ${r.error}\n`);
      // What did decompress is read as far as it goes, as tar reads gzip's pipe.
      const partial = readArchive(r.bytes);
      listOrExtract(ctx, o, base, partial.entries, operands);
      return fatal(ctx, 'Child returned status 1');
    }
    data = r.bytes;
  }
  const archive = readArchive(data);
  if (archive.error === 'not-tar') {
    ctx.err('tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n');
    return TAREXIT_FAILURE;
  }
  let failed = listOrExtract(ctx, o, base, archive.entries, operands);
  if (archive.loneZeroAt !== undefined) ctx.err(`tar: A lone zero block at ${archive.loneZeroAt}\n`);
  if (archive.error === 'eof') return fatal(ctx, 'Unexpected EOF in archive');
  if (archive.error === 'bad-header') { ctx.err('tar: Skipping to next header\n'); failed = true; }
  if (failed) { ctx.err('tar: Exiting with failure status due to previous errors\n'); return TAREXIT_FAILURE; }
  return 0;
}

/** List or extract the members the operands select (all without operands): true after an error. */
function listOrExtract(ctx: CmdCtx, o: TarOpts, base: string, entries: TarEntry[], operands: string[]): boolean {
  const disk = ctx.host.disk;
  // tar flushes its listing after each member: its lines and its messages come in order.
  const listing = { write: (text: string) => ctx.out(text) };
  const widths = { ugs: 19 };
  const said = new Set<string>();
  const wanted = operands.map((p) => p.replace(/\/+$/, ''));
  const found = new Set<number>();
  let failed = false;
  const dirTimes: [string, number][] = [];
  const root = ctx.proc.user === 'root';
  for (const e of entries) {
    if (o.excludes.some((x) => excludedBy(x.pattern, e.name))) continue;
    const bare = e.name.replace(/\/+$/, '');
    if (wanted.length > 0) {
      const i = wanted.findIndex((w) => bare === w || bare.startsWith(`${w}/`));
      if (i < 0) continue;
      found.add(i);
    }
    if (o.mode === 't') {
      // Listing an absolute name says so, as extracting it would.
      if (!o.absolute) memberName(ctx, e.name, said);
      listing.write(o.verbose > 0 ? longLine(ctx, e, widths) : `${e.name}\n`);
      continue;
    }
    // The simulated disk has only files and directories: links and devices are not made.
    if (e.type === 'other') continue;
    let name = o.absolute ? e.name : memberName(ctx, e.name, said);
    if (o.strip > 0) {
      // A member with no more components than are stripped is not extracted (nor named).
      const parts = name.split('/').filter((p) => p !== '');
      if (parts.length <= o.strip) continue;
      name = parts.slice(o.strip).join('/') + (name.endsWith('/') ? '/' : '');
    }
    if (o.verbose > 1) listing.write(longLine(ctx, e, widths));
    else if (o.verbose === 1) listing.write(`${e.name}\n`);
    if (name === '' || name === './') continue;
    if (o.toStdout) { if (e.type === 'file') ctx.out(bytesToLatin1(e.data)); continue; }
    const path = resolvePath(base, name);
    // As root tar gives a member its archived permissions; others get them less the umask.
    const mode = root ? e.mode & 0o7777 : e.mode & 0o777 & ~ctx.proc.umask;
    const parent = dirname(path);
    if (!disk.lookup(parent)) {
      // The missing directories above a member are made one by one; -vv names each.
      const dirMode = 0o777 & ~ctx.proc.umask;
      const parts = name.replace(/\/+$/, '').split('/').slice(0, -1);
      for (let k = 1; k <= parts.length; k++) {
        const sub = parts.slice(0, k).join('/');
        const subPath = resolvePath(base, sub);
        if (disk.lookup(subPath)) continue;
        if (disk.mkdir(subPath, false, ctx.kernel.now, dirMode)) break;
        if (o.verbose > 1) listing.write(`${modeString('5', dirMode)} ${'Creating directory:'.padStart(widths.ugs + 1 + DATE_WIDTH)} ${sub}\n`);
      }
    }
    const existing = disk.lookup(path);
    if (e.type === 'dir') {
      if (existing && !existing.isDir) disk.unlink(path);
      const err = disk.mkdir(path, true, ctx.kernel.now, mode);
      if (err) { ctx.err(`tar: ${e.name.replace(/\/$/, '')}: Cannot mkdir: ${err}\n`); failed = true; continue; }
      disk.chmod(path, mode);
      // A directory's time is set after its contents are in place (they change it).
      dirTimes.push([path, e.mtimeSeconds]);
      continue;
    }
    if (existing) {
      if (existing.isDir) { ctx.err(`tar: ${e.name}: Cannot open: Is a directory\n`); failed = true; continue; }
      if (o.keepOld) { ctx.err(`tar: ${name}: Cannot open: File exists\n`); failed = true; continue; }
      disk.unlink(path);
    }
    const err = disk.writeFile(path, e.data, ctx.kernel.now, false, false, mode);
    if (err) { ctx.err(`tar: ${e.name}: Cannot open: ${err === 'ENOENT' ? 'No such file or directory' : err === 'ENOTDIR' ? 'Not a directory' : err}\n`); failed = true; continue; }
    ctx.kernel.dirtied(ctx.host);
    disk.chmod(path, mode);
    const f = disk.lookup(path);
    if (f && !o.touch) f.mtimeMs = e.mtimeSeconds * 1000;
  }
  for (const [path, seconds] of dirTimes.reverse()) {
    const d = disk.lookup(path);
    if (d && !o.touch) d.mtimeMs = seconds * 1000;
  }
  for (const [i, w] of operands.entries()) {
    if (!found.has(i)) { ctx.err(`tar: ${w}: Not found in archive\n`); failed = true; }
  }
  return failed;
}
