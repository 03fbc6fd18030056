/**
 * gzip, gunzip and zcat as gzip 1.12: compress FILE to FILE.gz (its mode and mtime kept, the
 * original removed unless -k or -c), decompress (-d) by the suffix, -c to standard output,
 * -l listing, -t testing, -v's ratio lines, and gzip's messages and exit statuses (1 for an
 * error, 2 for a warning when there was no error). gunzip and zcat are gzip -d and gzip -dc:
 * their messages say `gzip:`, as the real scripts exec gzip. The codec is deflate.ts.
 */
import type { Command, CmdCtx } from '../context';
import { abs } from '../context';
import { bytesToLatin1, latin1Bytes } from '../../kernel/kernel';
import { newFileMode } from '../../kernel/process';
import type { TaskGen } from '../../kernel/tasks';
import { basename } from '../../runtime/paths';
import { confirmer } from './confirm';
import { gunzip as gunzipBytes, gzip as gzipBytes, type GunzipResult } from './deflate';
import { parseOpts } from './operands';
import { readAll, StdioOut, stdinInput } from './stdio';

const HELP = `Usage: gzip [OPTION]... [FILE]...
Compress or uncompress FILEs (by default, compress FILES in-place).

Mandatory arguments to long options are mandatory for short options too.

  -c, --stdout      write on standard output, keep original files unchanged
  -d, --decompress  decompress
  -f, --force       force overwrite of output file and compress links
  -h, --help        give this help
  -k, --keep        keep (don't delete) input files
  -l, --list        list compressed file contents
  -L, --license     display software license
  -n, --no-name     do not save or restore the original name and timestamp
  -N, --name        save or restore the original name and timestamp
  -q, --quiet       suppress all warnings
  -r, --recursive   operate recursively on directories
      --rsyncable   make rsync-friendly archive
  -S, --suffix=SUF  use suffix SUF on compressed files
      --synchronous synchronous output (safer if system crashes, but slower)
  -t, --test        test compressed file integrity
  -v, --verbose     verbose mode
  -V, --version     display version number
  -1, --fast        compress faster
  -9, --best        compress better

With no FILE, or when FILE is -, read standard input.

Report bugs to <bug-gzip@gnu.org>.
`;

const VERSION = `gzip 1.12
Copyright (C) 2018 Free Software Foundation, Inc.
Copyright (C) 1993 Jean-loup Gailly.
This is free software.  You may redistribute copies of it under the terms of
the GNU General Public License <https://www.gnu.org/licenses/gpl.html>.
There is NO WARRANTY, to the extent permitted by law.

Written by Jean-loup Gailly.
`;

const OK = 0;
const ERROR = 1;
const WARNING = 2;

/** Suffixes gunzip knows (besides -S's): what each leaves of a name. */
const KNOWN_SUFFIXES: [string, string][] = [['.gz', ''], ['.z', ''], ['.taz', '.tar'], ['.tgz', '.tar'], ['-gz', ''], ['-z', ''], ['_z', '']];

/** The width gzip -l gives its numbers: the digits of the largest off_t. */
const LIST_WIDTH = 19;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface GzipOpts {
  stdout: boolean; decompress: boolean; force: boolean; keep: boolean; list: boolean; test: boolean;
  verbose: number; noName: boolean; level: number; suffix: string; recursive: boolean;
  /** -N when decompressing: the name and time saved in the header are given to the output. */
  restoreName: boolean;
}

/** gzip's state across its operands: the exit status and -l's totals. */
interface Run {
  code: number; listed: number; totalIn: number; totalOut: number; lastHeaderBytes: number;
  /** -l's lines go through stdio (printf): buffered, so gzip's messages come first in a file. */
  listing: StdioOut;
}

function makeGzip(mode: 'gzip' | 'gunzip' | 'zcat'): Command {
  return function* (ctx, argv) {
    const parsed = parseOpts(argv.map((a, i) => (i === 0 ? 'gzip' : a)), {
      flags: 'cdfhklLnNqrtvV123456789', withArg: 'S',
      long: {
        ascii: { key: 'a', arg: false }, best: { key: '9', arg: false }, decompress: { key: 'd', arg: false }, fast: { key: '1', arg: false }, force: { key: 'f', arg: false },
        help: { key: 'h', arg: false }, keep: { key: 'k', arg: false }, list: { key: 'l', arg: false }, license: { key: 'L', arg: false }, name: { key: 'N', arg: false },
        'no-name': { key: 'n', arg: false }, quiet: { key: 'q', arg: false }, recursive: { key: 'r', arg: false }, rsyncable: { key: 'rsyncable', arg: false }, silent: { key: 'q', arg: false },
        stdout: { key: 'c', arg: false }, suffix: { key: 'S', arg: true }, synchronous: { key: 'synchronous', arg: false }, test: { key: 't', arg: false },
        'to-stdout': { key: 'c', arg: false }, uncompress: { key: 'd', arg: false }, verbose: { key: 'v', arg: false }, version: { key: 'V', arg: false },
      },
    });
    if ('error' in parsed) {
      ctx.err(`${parsed.error}\nTry \`gzip --help' for more information.\n`);
      return ERROR;
    }
    const o: GzipOpts = { stdout: mode === 'zcat', decompress: mode !== 'gzip', force: false, keep: false, list: false, test: false, verbose: 0, noName: false, level: 6, suffix: '.gz', recursive: false, restoreName: false };
    for (const { key, value } of parsed.opts) {
      switch (key) {
        case 'h': ctx.out(HELP); return OK;
        case 'V': ctx.out(VERSION); return OK;
        case 'c': o.stdout = true; break;
        case 'd': o.decompress = true; break;
        case 'f': o.force = true; break;
        case 'k': o.keep = true; break;
        case 'l': o.list = true; o.decompress = true; break;
        case 't': o.test = true; o.decompress = true; o.stdout = true; break;
        case 'n': o.noName = true; o.restoreName = false; break;
        case 'r': o.recursive = true; break;
        case 'N': o.noName = false; o.restoreName = true; break;
        case 'q': o.verbose = -1; break;
        case 'v': o.verbose = Math.max(0, o.verbose) + 1; break;
        case 'S':
          if (value === '' || value.includes('/')) { ctx.err(`gzip: invalid suffix '${value}'\n`); return ERROR; }
          o.suffix = value;
          break;
        default: if (/^[1-9]$/.test(key)) o.level = Number(key);
      }
    }
    const run: Run = { code: OK, listed: 0, totalIn: 0, totalOut: 0, lastHeaderBytes: 0, listing: new StdioOut(ctx) };
    const files = parsed.operands.length === 0 ? ['-'] : parsed.operands;
    for (const file of files) {
      if (file === '-') yield* treatStdin(ctx, o, run);
      else yield* treatFile(ctx, o, run, file);
    }
    // The totals follow when several operands were named, whatever became of them, unless nothing was listed.
    if (o.list && o.verbose >= 0 && files.length > 1 && run.totalIn > 0 && run.totalOut > 0) {
      if (o.verbose > 0) run.listing.write('                            ');
      run.listing.write(`${String(run.totalIn).padStart(LIST_WIDTH)} ${String(run.totalOut).padStart(LIST_WIDTH)} ${ratio(run.totalOut - (run.totalIn - run.lastHeaderBytes), run.totalOut)} (totals)\n`);
    }
    run.listing.close();
    return run.code;
  };
}

export const gzip = makeGzip('gzip');
export const gunzip = makeGzip('gunzip');
export const zcat = makeGzip('zcat');

const error = (run: Run) => { run.code = ERROR; };
const warning = (run: Run) => { if (run.code === OK) run.code = WARNING; };

/** display_ratio: `%5.1f%%` of num/den, 0 for an empty input. */
function ratio(num: number, den: number): string {
  return `${(den === 0 ? 0 : (100 * num) / den).toFixed(1).padStart(5)}%`;
}

function* treatStdin(ctx: CmdCtx, o: GzipOpts, run: Run): TaskGen<void> {
  // gzip refuses to write compressed data to a terminal, or to read it from one.
  if (!o.force && !o.list && !o.test && (o.decompress ? ctx.stdin.kind === 'tty' : ctx.proc.stdout.kind === 'tty')) {
    ctx.err(`gzip: compressed data not ${o.decompress ? 'read from' : 'written to'} a terminal. Use -f to force ${o.decompress ? 'de' : ''}compression.\nFor help, type: gzip -h\n`);
    error(run);
    return;
  }
  const data: string = yield* readAll(ctx, stdinInput(ctx));
  const bytes = latin1Bytes(data);
  // gzip -l names standard input's uncompressed side 'stdout'.
  if (o.list) { list(ctx, o, run, 'stdin', bytes, 'stdout'); return; }
  if (!o.decompress) {
    const out = gzipBytes(bytes, { level: o.level, name: null, mtimeSeconds: 0 });
    if (!o.test) ctx.out(bytesToLatin1(out));
    if (o.verbose > 0) ctx.err(`${ratio(bytes.length - (out.length - 18), bytes.length)}\n`);
    return;
  }
  const r = decompressOrReport(ctx, o, run, 'stdin', bytes);
  if (r && !o.test && !r.written) ctx.out(bytesToLatin1(r.bytes));
  if (r && o.test && o.verbose > 0) ctx.err(' OK\n');
}

/** Decompress, or say why not (gzip_error's lines start with a newline); the bytes when usable. */
function decompressOrReport(ctx: CmdCtx, o: GzipOpts, run: Run, name: string, bytes: Uint8Array): { bytes: Uint8Array; result: GunzipResult; written: boolean } | null {
  const r = gunzipBytes(bytes);
  if (r.ok) return { bytes: r.bytes, result: r, written: false };
  if (r.trailingGarbage && o.force && o.stdout && !o.test) {
    // zcat -f: what follows the members is not gzip, so it is passed through as it is.
    const rest = bytes.subarray(r.garbageAt ?? bytes.length);
    const all = new Uint8Array(r.bytes.length + rest.length);
    all.set(r.bytes);
    all.set(rest, r.bytes.length);
    return { bytes: all, result: r, written: false };
  }
  if (r.trailingGarbage) {
    // What decompressed is written before gzip looks past the member and finds the garbage.
    if (o.stdout && !o.test) ctx.out(bytesToLatin1(r.bytes));
    if (o.verbose >= 0) ctx.err(`\ngzip: ${name}: decompression OK, trailing garbage ignored\n`);
    warning(run);
    return { bytes: r.bytes, result: r, written: o.stdout && !o.test };
  }
  if (r.error === 'not in gzip format' && o.force && o.stdout && !o.test) {
    // zcat -f passes what is not compressed through unchanged.
    return { bytes, result: r, written: false };
  }
  if (o.stdout && !o.test) ctx.out(bytesToLatin1(r.bytes));
  ctx.err(r.error === 'not in gzip format' ? `\ngzip: ${name}: not in gzip format\n` : `\ngzip: ${name}: ${r.error}\n`);
  error(run);
  return null;
}

/** The output name of a decompression: the name less a known suffix; null when it has none. */
function strippedName(name: string, suffix: string): string | null {
  const base = basename(name);
  const suffixes: [string, string][] = [[suffix, ''], ...KNOWN_SUFFIXES];
  for (const [s, replacement] of suffixes) {
    if (base.length > s.length && base.toLowerCase().endsWith(s.toLowerCase())) return name.slice(0, name.length - s.length) + replacement;
  }
  return null;
}

function* treatFile(ctx: CmdCtx, o: GzipOpts, run: Run, file: string): TaskGen<void> {
  const disk = ctx.host.disk;
  // An empty name opens nothing; gzip's message then has no name in it (progerror of "").
  if (file === '') { ctx.err('gzip: No such file or directory\n'); error(run); return; }
  let name = file;
  let node = disk.lookup(abs(ctx, name));
  // gunzip looks for NAME.gz when NAME is missing.
  if (!node && o.decompress && strippedName(name, o.suffix) === null) {
    name = file + o.suffix;
    node = disk.lookup(abs(ctx, name));
  }
  if (!node || (!node.isDir && file.endsWith('/'))) {
    ctx.err(`gzip: ${name}: ${node ? 'Not a directory' : 'No such file or directory'}\n`);
    error(run);
    return;
  }
  if (node.isDir && o.recursive) {
    // -r: every file below, in name order (gzip's is the directory's own order).
    for (const child of [...node.children!.keys()].sort()) yield* treatFile(ctx, o, run, `${name.replace(/\/+$/, '')}/${child}`);
    return;
  }
  if (node.isDir) {
    if (o.verbose >= 0) ctx.err(`gzip: ${name} is a directory -- ignored\n`);
    warning(run);
    return;
  }
  const bytes = node.bytes().slice();
  if (o.list) {
    const stripped = strippedName(name, o.suffix) ?? name;
    list(ctx, o, run, name, bytes, stripped);
    return;
  }
  let outName: string;
  if (!o.decompress) {
    const had = [[o.suffix, ''], ...KNOWN_SUFFIXES].find(([s]) => basename(name).length > s.length && basename(name).toLowerCase().endsWith(s.toLowerCase()));
    if (had && !o.stdout && !o.force) {
      if (o.verbose >= 0) ctx.err(`gzip: ${name} already has ${had[0]} suffix -- unchanged\n`);
      return;
    }
    outName = name + o.suffix;
  } else {
    const stripped = strippedName(name, o.suffix);
    if (stripped === null && !o.stdout) {
      if (o.verbose >= 0) ctx.err(`gzip: ${name}: unknown suffix -- ignored\n`);
      warning(run);
      return;
    }
    outName = stripped ?? name;
  }
  let result: Uint8Array;
  let headerBytes: number;
  let written = false;
  /** -N: the time the header saved, for the output. */
  let savedMtimeMs: number | null = null;
  if (!o.decompress) {
    result = gzipBytes(bytes, { level: o.level, name: o.noName ? null : basename(name), mtimeSeconds: o.noName ? 0 : Math.floor(node.mtimeMs / 1000) });
    headerBytes = result.length - deflatedLength(result, o.noName ? null : basename(name));
  } else {
    const r = decompressOrReport(ctx, o, run, name, bytes);
    if (!r) return;
    result = r.bytes;
    written = r.written;
    headerBytes = r.result.ok ? r.result.members[0].headerBytes : 0;
    if (o.restoreName && r.result.ok) {
      const saved = r.result.members[0];
      if (saved.name !== null && !o.stdout) {
        const dir = name.lastIndexOf('/');
        outName = (dir >= 0 ? name.slice(0, dir + 1) : '') + basename(saved.name);
      }
      if (saved.mtimeSeconds !== 0) savedMtimeMs = saved.mtimeSeconds * 1000;
    }
  }
  if (o.test) {
    if (o.verbose > 0) ctx.err(`${name}:\t OK\n`);
    return;
  }
  const verboseLine = (target: string, verb: string) => {
    if (o.verbose <= 0) return;
    const r = o.decompress ? ratio(result.length - (bytes.length - headerBytes), result.length) : ratio(bytes.length - (result.length - headerBytes), bytes.length);
    ctx.err(`${name}:\t${r} -- ${verb} ${target}\n`);
  };
  if (o.stdout) {
    if (!written) ctx.out(bytesToLatin1(result));
    verboseLine('stdout', 'replaced with');
    return;
  }
  const outPath = abs(ctx, outName);
  const existing = disk.lookup(outPath);
  if (existing) {
    let overwrite = o.force;
    if (!overwrite && ctx.stdin.kind === 'tty' && o.verbose >= 0) {
      overwrite = yield* confirmer(ctx)(`gzip: ${outName} already exists; do you wish to overwrite (y or n)? `);
      if (!overwrite) ctx.err('\tnot overwritten\n');
    } else if (!overwrite) ctx.err(`gzip: ${outName} already exists;\tnot overwritten\n`);
    if (!overwrite) { warning(run); return; }
    if (existing.isDir) { ctx.err(`gzip: ${outName}: Is a directory\n`); error(run); return; }
    disk.unlink(outPath);
  }
  const err = disk.writeFile(outPath, result, ctx.kernel.now, false, false, newFileMode(ctx.proc.umask));
  if (err) { ctx.err(`gzip: ${outName}: ${err === 'ENOENT' ? 'No such file or directory' : err}\n`); error(run); return; }
  ctx.kernel.dirtied(ctx.host);
  // The output keeps the input's permission bits and modification time.
  disk.chmod(outPath, node.mode & 0o7777);
  const out = disk.lookup(outPath);
  if (out) out.mtimeMs = savedMtimeMs ?? node.mtimeMs;
  verboseLine(outName, o.keep ? 'created' : 'replaced with');
  if (!o.keep) disk.unlink(abs(ctx, name));
}

/** The length of a member's deflated data (all but its header and 8-byte trailer). */
function deflatedLength(member: Uint8Array, name: string | null): number {
  return member.length - 10 - (name === null ? 0 : name.length + 1) - 8;
}

/** -l: one file's line (and the heading before the first). */
function list(ctx: CmdCtx, o: GzipOpts, run: Run, name: string, bytes: Uint8Array, stripped: string): void {
  const r = gunzipBytes(bytes);
  if (!r.ok && !r.trailingGarbage) {
    ctx.err(r.error === 'not in gzip format' ? `\ngzip: ${name}: not in gzip format\n` : `\ngzip: ${name}: ${r.error}\n`);
    error(run);
    return;
  }
  if (run.listed === 0 && o.verbose >= 0) {
    if (o.verbose > 0) run.listing.write('method  crc     date  time  ');
    run.listing.write(`${'compressed'.padStart(LIST_WIDTH)} ${'uncompressed'.padStart(LIST_WIDTH)}  ratio uncompressed_name\n`);
  }
  run.listed++;
  const le32 = (at: number) => (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  // As gzip: the trailer at the end of the file gives the CRC and the size.
  const crc = le32(bytes.length - 8);
  const size = le32(bytes.length - 4);
  const headerBytes = r.ok ? r.members[0].headerBytes : 0;
  run.totalIn += bytes.length;
  run.totalOut += size;
  run.lastHeaderBytes = headerBytes;
  if (o.verbose > 0) {
    const mtime = r.ok ? r.members[0].mtimeSeconds : 0;
    const d = new Date(mtime * 1000 + ctx.host.tzOffsetMinutes * 60000);
    run.listing.write(`defla ${crc.toString(16).padStart(8, '0')} ${MONTHS[d.getUTCMonth()]}${String(d.getUTCDate()).padStart(3)} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} `);
  }
  run.listing.write(`${String(bytes.length).padStart(LIST_WIDTH)} ${String(size).padStart(LIST_WIDTH)} ${ratio(size - (bytes.length - headerBytes), size)} ${stripped || name}\n`);
}
