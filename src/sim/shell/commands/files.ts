/** File commands over the host's disk: ls, cat, cp, mv, rm, mkdir, rmdir, touch, pwd. */
import type { Command, CmdCtx } from '../context';
import { abs, ERRNO, getopt, quoted, readAllInput, readText, takeWriteError, usage, quotef, quoteaf } from '../context';
import type { Inode } from '../../kernel/disk';
import { newDirMode, newFileMode } from '../../kernel/process';
import type { TaskGen } from '../../kernel/tasks';
import { basename } from '../../runtime/paths';
import { formatDate } from './time';
import { childPath, concatPath, sortedChildren } from './fileinfo';
import { confirmer, lastOption } from './confirm';
import { displayWidth, layoutColumns, parseUnsigned } from './ls-columns';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function lsTime(ctx: CmdCtx, ms: number): string {
  const d = new Date(ms + ctx.host.tzOffsetMinutes * 60000);
  const mon = MONTHS[d.getUTCMonth()];
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const sixMonths = 182 * 86400000;
  if (Math.abs(ctx.kernel.now - ms) > sixMonths) return `${mon} ${day}  ${d.getUTCFullYear()}`;
  return `${mon} ${day} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** ls's long options we know, with the short option each means ('' when it changes nothing here). */
const LS_LONG_OPTIONS: Record<string, string> = {
  '--all': 'a', '--almost-all': 'A', '--human-readable': 'h', '--reverse': 'r', '--recursive': 'R', '--directory': 'd', '--color': '', '--colour': '',
  '--inode': 'i', '--size': 's',
};

/** ls's output formats: -1, -C (columns, sorted down), -x (across), -l. */
type LsFormat = 'one' | 'columns' | 'across' | 'long';

/**
 * The format the options ask for (null: none), the last one winning as GNU's option loop does,
 * except that -1 leaves an earlier -l alone.
 */
function lsFormatOption(argv: string[]): LsFormat | null {
  let format: LsFormat | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-' || a.startsWith('--')) continue;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      // -w and -T take the rest of the word, or the next word.
      if (c === 'w' || c === 'T') { if (j === a.length - 1) i++; break; }
      if (c === 'l') format = 'long';
      else if (c === 'C') format = 'columns';
      else if (c === 'x') format = 'across';
      else if (c === '1' && format !== 'long') format = 'one';
    }
  }
  return format;
}

/** --width and --tabsize (`=N` or the next word) as the short options they stand for. */
function lsShortenLongOptions(argv: string[]): string[] {
  return argv.flatMap((a) => {
    const m = /^--(width|tabsize)(=(.*))?$/.exec(a);
    if (!m) return [a];
    const short = m[1] === 'width' ? '-w' : '-T';
    return m[2] === undefined ? [short] : [short, m[3]];
  });
}

export const ls: Command = function* (ctx, argv) {
  argv = lsShortenLongOptions(argv);
  const { flags, args, bad } = getopt(argv, 'laAhr1tSRdFpCxis', 'wT');
  if (bad) { ctx.err(`ls: invalid option -- '${bad}'\nTry 'ls --help' for more information.\n`); return 2; }
  for (const [flag] of flags) {
    if (!flag.startsWith('--')) continue;
    const short = LS_LONG_OPTIONS[flag.replace(/=.*$/, '')];
    if (short === undefined) { ctx.err(`ls: unrecognized option '${flag}'\nTry 'ls --help' for more information.\n`); return 2; }
    if (short) flags.set(short, '');
  }
  // -w N (0 or too big: no limit) and -T N are checked as they are read, before anything is listed.
  let widthOption: number | null = null;
  if (flags.has('w')) {
    const w = parseUnsigned(flags.get('w')!);
    if (w === null) { ctx.err(`ls: invalid line width: ${quoted(flags.get('w')!)}\n`); return 2; }
    widthOption = w === Infinity ? 0 : w;
  }
  let tabSize: number | null = null;
  if (flags.has('T')) {
    const t = parseUnsigned(flags.get('T')!);
    if (t === null || t === Infinity) { ctx.err(`ls: invalid tab size: ${quoted(flags.get('T')!)}\n`); return 2; }
    tabSize = t;
  }
  const stdout = ctx.proc.stdout;
  const format: LsFormat = lsFormatOption(argv) ?? (stdout.kind === 'tty' ? 'columns' : 'one');
  // The line width of the column formats: -w; else the terminal's width when stdout is one;
  // else $COLUMNS when it is a number; else 80. The tab size: -T, else $TABSIZE, else 8.
  let lineWidth = 80;
  if (format === 'columns' || format === 'across') {
    if (widthOption !== null) lineWidth = widthOption;
    else if (stdout.kind === 'tty' && stdout.term.columns > 0) lineWidth = stdout.term.columns;
    else if (ctx.env.COLUMNS) {
      const w = parseUnsigned(ctx.env.COLUMNS);
      if (w === null) ctx.err(`ls: ignoring invalid width in environment variable COLUMNS: ${quoted(ctx.env.COLUMNS)}\n`);
      else lineWidth = w === Infinity ? 0 : w;
    }
    if (tabSize === null) {
      tabSize = 8;
      const env = ctx.env.TABSIZE;
      if (env !== undefined) {
        const t = parseUnsigned(env);
        if (t === null || t === Infinity) ctx.err(`ls: ignoring invalid tab size in environment variable TABSIZE: ${quoted(env)}\n`);
        else tabSize = t;
      }
    }
  }
  const long = format === 'long';
  const all = flags.has('a');
  const human = flags.has('h');
  const targets = args.length ? args : ['.'];
  let code = 0;
  const files: [string, Inode][] = [];
  const dirs: [string, Inode][] = [];
  for (const t of targets) {
    const n = ctx.host.disk.lookup(abs(ctx, t));
    if (!n) { ctx.err(`ls: cannot access ${quoteaf(t)}: No such file or directory\n`); code = 2; continue; }
    // -d: a directory is listed as itself, not its contents.
    if (n.isDir && !flags.has('d')) dirs.push([t, n]);
    else files.push([t, n]);
  }
  const size = (n: Inode) => (n.isDir ? 4096 : n.len);
  const sortEntries = (list: [string, Inode][]) => {
    if (flags.has('t')) list.sort((a, b) => b[1].mtimeMs - a[1].mtimeMs || a[0].localeCompare(b[0]));
    else if (flags.has('S')) list.sort((a, b) => size(b[1]) - size(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    else list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (flags.has('r')) list.reverse();
    return list;
  };
  // -h as GNU: rounded up, one decimal below 10 (4.0K, 1.5K), whole numbers from 10 (10K).
  const fmtSize = (b: number) => {
    if (!human || b < 1024) return String(b);
    const units = ['K', 'M', 'G', 'T'];
    let v = b;
    let u = -1;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    const tenths = Math.ceil(v * 10) / 10;
    if (tenths < 10) return `${tenths.toFixed(1)}${units[u]}`;
    const whole = Math.ceil(v);
    return whole >= 1024 && u < units.length - 1 ? `1.0${units[u + 1]}` : `${whole}${units[u]}`;
  };
  // -F marks directories with / and executables with *; -p only directories.
  const mark = (n: Inode) => (n.isDir ? (flags.has('F') || flags.has('p') ? '/' : '') : flags.has('F') && (n.mode & 0o111) !== 0 ? '*' : '');
  // -i: the inode number, -s: the size in 1K blocks (-h: human), each right-aligned to the widest
  // of the listing and followed by a space, before the name (before the mode with -l).
  const blocksOf = (n: Inode) => Math.ceil(size(n) / 4096) * 4;
  const fmtBlocks = (n: Inode) => (human ? fmtSize(blocksOf(n) * 1024) : String(blocksOf(n)));
  const prefixes = (entries: [string, Inode][]): string[] => {
    const inodes = entries.map(([, n]) => String(n.ino));
    const blocks = entries.map(([, n]) => fmtBlocks(n));
    const iw = Math.max(0, ...inodes.map((s) => s.length));
    const bw = Math.max(0, ...blocks.map((s) => s.length));
    return entries.map((_e, i) => (flags.has('i') ? `${inodes[i].padStart(iw)} ` : '') + (flags.has('s') ? `${blocks[i].padStart(bw)} ` : ''));
  };
  const render = (entries: [string, Inode][], showTotal: boolean) => {
    // A directory's listing starts with its total of blocks with -l or -s.
    if (showTotal && (long || flags.has('s'))) {
      const blocks = entries.reduce((t, [, n]) => t + blocksOf(n), 0);
      ctx.out(`total ${human ? fmtSize(blocks * 1024) : blocks}\n`);
    }
    const before = prefixes(entries);
    if (!long) {
      const names = entries.map((e, i) => before[i] + e[0] + mark(e[1]));
      if (names.length === 0) return;
      if (format === 'one') ctx.out(names.map((n) => n + '\n').join(''));
      else ctx.out(layoutColumns(names, names.map(displayWidth), lineWidth, tabSize ?? 8, format === 'columns'));
      return;
    }
    const sizes = entries.map(([, n]) => fmtSize(size(n)));
    const links = entries.map(([, n]) => String(n.isDir ? 2 + [...n.children!.values()].filter((c) => c.isDir).length : 1));
    const sw = Math.max(0, ...sizes.map((s) => s.length));
    const lw = Math.max(0, ...links.map((s) => s.length));
    entries.forEach(([name, n], i) => {
      const mode = n.modeString();
      ctx.out(`${before[i]}${mode} ${links[i].padStart(lw)} root root ${sizes[i].padStart(sw)} ${lsTime(ctx, n.mtimeMs)} ${name}${mark(n)}\n`);
    });
  };
  render(sortEntries(files), false);
  const recursive = flags.has('R');
  let listed = files.length > 0;
  const listDir = (t: string, n: Inode) => {
    // Directories are named when there are several operands (a missing one counts) or with -R.
    if (recursive || targets.length > 1) ctx.out(`${listed ? '\n' : ''}${t}:\n`);
    listed = true;
    const entries: [string, Inode][] = [];
    if (all) { entries.push(['.', n]); entries.push(['..', ctx.host.disk.lookup(abs(ctx, t + '/..'))!]); }
    for (const [name, c] of n.children!) if (all || flags.has('A') || !name.startsWith('.')) entries.push([name, c]);
    const sorted = sortEntries(entries);
    render(sorted, true);
    // -R: then each subdirectory, in the listing's order, depth first (as GNU ls does).
    if (recursive) for (const [name, c] of sorted) if (c.isDir && name !== '.' && name !== '..') listDir(childPath(t, name), c);
  };
  for (const [t, n] of sortEntries(dirs)) listDir(t, n);
  return code;
};

const CAT_LONG: Record<string, string> = {
  '--show-all': 'A', '--number-nonblank': 'b', '--show-ends': 'E', '--number': 'n', '--squeeze-blank': 's', '--show-tabs': 'T',
  '--show-nonprinting': 'v',
};

/** cat -v's picture of a byte: ^X for controls (but tab and newline), ^? for DEL, M- before a high byte. */
function showNonprinting(c: number, tabs: boolean): string {
  if (c === 9) return tabs ? '^I' : '\t';
  const low = (b: number) => (b < 32 ? '^' + String.fromCharCode(b + 64) : b === 127 ? '^?' : String.fromCharCode(b));
  return c >= 128 ? 'M-' + low(c - 128) : low(c);
}

/**
 * cat as GNU: -n/-b number lines (`%6d\t`), -s squeezes runs of empty lines, -E ends lines
 * with `$`, -T shows tabs as ^I, -v the other unprintable bytes; -A is -vET, -e -vE, -t -vT.
 * The state (line number, whether a line is open, empty lines seen) runs on across files, as
 * GNU's does.
 */
export const cat: Command = function* (ctx, argv) {
  const { flags, args, bad } = getopt(argv, 'nAvEbeTtsu');
  if (bad) return usage(ctx, 'cat', `invalid option -- '${bad}'`);
  for (const [flag] of flags) {
    if (!flag.startsWith('--')) continue;
    const short = CAT_LONG[flag];
    if (short === undefined) return usage(ctx, 'cat', `unrecognized option '${flag}'`);
    flags.set(short, '');
  }
  const has = (f: string) => flags.has(f);
  const showEnds = has('E') || has('A') || has('e');
  const showTabs = has('T') || has('A') || has('t');
  const nonprinting = has('v') || has('A') || has('e') || has('t');
  const numberNonblank = has('b');
  const number = has('n') || numberNonblank;
  const squeeze = has('s');
  const plain = !showEnds && !showTabs && !nonprinting && !number && !squeeze;
  let code = 0;
  let lineNo = 0;
  let atLineStart = true;
  let emptyRun = 0;
  const emit = (text: string) => {
    if (plain) { ctx.out(text); return; }
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        if (atLineStart) {
          emptyRun++;
          if (squeeze && emptyRun > 1) continue;
          if (number && !numberNonblank) out += `${String(++lineNo).padStart(6)}\t`;
        }
        out += showEnds ? '$\n' : '\n';
        atLineStart = true;
        continue;
      }
      if (atLineStart) {
        emptyRun = 0;
        if (number) out += `${String(++lineNo).padStart(6)}\t`;
        atLineStart = false;
      }
      out += nonprinting || (showTabs && c === 9) ? showNonprinting(c, showTabs) : text[i];
    }
    ctx.out(out);
  };
  // A write the file refuses (/proc/sys) ends cat at once, as a failed write ends GNU cat.
  const writeFailed = () => {
    const e = takeWriteError(ctx);
    if (e !== null) ctx.err(`cat: write error: ${ERRNO[e] ?? e}\n`);
    return e !== null;
  };
  if (args.length === 0) { emit(yield* readAllInput(ctx)); return writeFailed() ? 1 : 0; }
  for (const a of args) {
    if (a === '-') emit(yield* readAllInput(ctx));
    else {
      const r = readText(ctx, a);
      if ('error' in r) { ctx.err(`cat: ${quotef(a)}: ${ERRNO[r.error]}\n`); code = 1; continue; }
      emit(r.text);
    }
    if (writeFailed()) return 1;
  }
  return code;
};

/**
 * Copy a file or (recursively) a directory; `verbose` hears each copy, source and target as named.
 * `overwrite`: what to do with a file that exists at the destination, inside a copied directory
 * too: replace it, keep it (-n) or ask (-i).
 */
function* copyInode(ctx: CmdCtx, src: Inode, dest: string, names: { from: string; to: string }, verbose: ((from: string, to: string) => void) | null, overwrite: 'replace' | 'keep' | ((to: string) => TaskGen<boolean>) = 'replace'): TaskGen<string | null> {
  const disk = ctx.host.disk;
  const existing = disk.lookup(dest);
  const existed = existing !== null;
  if (existing && !src.isDir && !existing.isDir && overwrite !== 'replace') {
    if (overwrite === 'keep' || !(yield* overwrite(names.to))) return null;
  }
  // A new copy keeps the source's permission bits, less the umask, as cp does.
  const keepMode = () => { if (!existed) disk.chmod(dest, src.mode & ~ctx.proc.umask); };
  if (src.isDir) {
    const e = disk.mkdir(dest, true, ctx.kernel.now);
    if (e) return e;
    keepMode();
    verbose?.(names.from, names.to);
    for (const [name, c] of sortedChildren(src)) {
      const err: string | null = yield* copyInode(ctx, c, `${dest}/${name}`, { from: concatPath(names.from, name), to: concatPath(names.to, name) }, verbose, overwrite);
      if (err) return err;
    }
    return null;
  }
  const err = disk.writeFile(dest, src.bytes().slice(), ctx.kernel.now, false);
  if (!err) { ctx.kernel.dirtied(ctx.host); keepMode(); verbose?.(names.from, names.to); }
  return err;
}

/**
 * What stops cp or mv from putting a source at its target, as GNU says it (null when nothing
 * does): the same file, a directory into itself (`intoItself`: the command's words for that), a
 * directory over a file, a file over a directory. `names`: source and target as shown.
 */
function conflict(src: Inode, srcPath: string, existing: Inode | null, target: string, names: { from: string; to: string }, intoItself: string): string | null {
  if (target === srcPath) return `${quoteaf(names.from)} and ${quoteaf(names.to)} are the same file`;
  if (src.isDir && (target + '/').startsWith(srcPath + '/')) return intoItself;
  if (existing && src.isDir && !existing.isDir) return `cannot overwrite non-directory ${quoteaf(names.to)} with directory ${quoteaf(names.from)}`;
  if (existing && !src.isDir && existing.isDir) return `cannot overwrite directory ${quoteaf(names.to)} with non-directory`;
  return null;
}

/**
 * The last operand as cp and mv check it: with several sources it must be a directory (GNU's
 * `target 'x': No such file or directory` / `Not a directory`). Returns the error text or null.
 */
function checkTarget(ctx: CmdCtx, cmd: string, dest: string, sources: number): string | null {
  const node = ctx.host.disk.lookup(abs(ctx, dest));
  if (sources > 1 && !node) return `${cmd}: target ${quoteaf(dest)}: No such file or directory\n`;
  if (sources > 1 && !node!.isDir) return `${cmd}: target ${quoteaf(dest)}: Not a directory\n`;
  return null;
}

export const cp: Command = function* (ctx, argv) {
  const { flags, args, bad } = getopt(argv, 'rRfpavdnuxi');
  if (bad) return usage(ctx, 'cp', `invalid option -- '${bad}'`);
  if (args.length === 0) return usage(ctx, 'cp', 'missing file operand');
  if (args.length === 1) return usage(ctx, 'cp', `missing destination file operand after ${quoteaf(args[0])}`);
  const dest = args[args.length - 1];
  const destPath = abs(ctx, dest);
  const disk = ctx.host.disk;
  const destNode = disk.lookup(destPath);
  const recursive = flags.has('r') || flags.has('R') || flags.has('a');
  const verbose = flags.has('v') ? (from: string, to: string) => ctx.out(`${quoteaf(from)} -> ${quoteaf(to)}\n`) : null;
  const targetError = checkTarget(ctx, 'cp', dest, args.length - 1);
  if (targetError) { ctx.err(targetError); return 1; }
  // -i asks before overwriting a file (-f does not stop it), -n keeps it; the later of them wins.
  const noClobberOrAsk = lastOption(argv, 'in');
  const ask = confirmer(ctx);
  const overwrite = noClobberOrAsk === 'n' ? 'keep' : noClobberOrAsk === 'i' ? (to: string) => ask(`cp: overwrite ${quoteaf(to)}? `) : 'replace';
  let code = 0;
  const fail = (text: string) => { ctx.err(`cp: ${text}\n`); code = 1; };
  for (const s of args.slice(0, -1)) {
    const srcPath = abs(ctx, s);
    const src = disk.lookup(srcPath);
    if (!src) { fail(`cannot stat ${quoteaf(s)}: No such file or directory`); continue; }
    if (!src.isDir && s.endsWith('/')) { fail(`cannot stat ${quoteaf(s)}: Not a directory`); continue; }
    if (src.isDir && !recursive) { fail(`-r not specified; omitting directory ${quoteaf(s)}`); continue; }
    const intoDir = destNode?.isDir === true;
    const target = intoDir ? childPath(destPath, basename(srcPath)) : destPath;
    const shown = intoDir ? concatPath(dest, basename(srcPath)) : dest;
    if (!intoDir && dest.endsWith('/')) {
      // `cp file dir/` where dir/ is not a directory.
      if (destNode) fail(`cannot stat ${quoteaf(dest)}: Not a directory`);
      else if (!src.isDir) {
        // GNU names the copy before its open fails.
        verbose?.(s, dest);
        fail(`cannot create regular file ${quoteaf(dest)}: Not a directory`);
      }
      if (destNode || !src.isDir) continue;
    }
    const blocked = conflict(src, srcPath, disk.lookup(target), target, { from: s, to: shown }, `cannot copy a directory, ${quoteaf(s)}, into itself, ${quoteaf(shown)}`);
    if (blocked) { fail(blocked); continue; }
    const err = yield* copyInode(ctx, src, target, { from: s, to: shown }, verbose, overwrite);
    if (err) fail(`cannot create ${src.isDir ? 'directory' : 'regular file'} ${quoteaf(shown)}: ${ERRNO[err] ?? err}`);
  }
  return code;
};

/**
 * `chmod [-R] MODE FILE...`: octal (`755`) or symbolic (`u+x`, `go-w`, `a=r`, `+x`, several
 * separated by commas). Without a who, `+`/`-`/`=` act on all but what the umask masks
 * for `+`/`=`, as GNU chmod does.
 */
export const chmod: Command = function* (ctx, argv) {
  // A mode like -x or -w looks like an option: GNU accepts it as the mode.
  const modeLike = (a: string) => /^[-+=][rwxXst]*$/.test(a) || /^[ugoa]*[-+=]/.test(a);
  const rest = argv.slice(1);
  const recursive = rest.some((a) => a === '-R' || a === '--recursive');
  const ops = rest.filter((a) => a !== '-R' && a !== '--recursive' && a !== '-v' && a !== '-f' && a !== '-c');
  const badFlag = ops.find((a) => a.startsWith('-') && a.length > 1 && !modeLike(a));
  if (badFlag) return usage(ctx, 'chmod', badFlag.startsWith('--') ? `unrecognized option '${badFlag}'` : `invalid option -- '${badFlag[1]}'`);
  if (ops.length === 0) return usage(ctx, 'chmod', 'missing operand');
  if (ops.length === 1) return usage(ctx, 'chmod', `missing operand after ${quoted(ops[0])}`);
  const [modeText, ...files] = ops;
  const apply = parseMode(modeText, ctx.proc.umask);
  if (!apply) { ctx.err(`chmod: invalid mode: ${quoted(modeText)}\nTry 'chmod --help' for more information.\n`); return 1; }
  let code = 0;
  const disk = ctx.host.disk;
  const change = (path: string, n: Inode) => {
    disk.chmod(path, apply(n.mode, n.isDir));
    if (recursive && n.isDir) for (const [name, c] of n.children!) change(`${path === '/' ? '' : path}/${name}`, c);
  };
  for (const f of files) {
    const path = abs(ctx, f);
    const n = disk.lookup(path);
    if (!n) { ctx.err(`chmod: cannot access ${quoteaf(f)}: No such file or directory\n`); code = 1; continue; }
    change(path, n);
  }
  return code;
};

/**
 * A mode operand as a function of the old bits, or null when it is not a valid mode. `umask`:
 * the process's, which a clause without a who leaves alone.
 */
function parseMode(text: string, umask: number): ((old: number, isDir: boolean) => number) | null {
  if (/^[0-7]{1,4}$/.test(text)) { const bits = parseInt(text, 8); return () => bits; }
  const clauses = text.split(',');
  const parsed: { who: number; op: string; perm: string }[] = [];
  for (const c of clauses) {
    const m = /^([ugoa]*)([-+=])([rwxX]*)$/.exec(c);
    if (!m) return null;
    let who = 0;
    for (const w of m[1]) who |= w === 'u' ? 0o700 : w === 'g' ? 0o070 : w === 'o' ? 0o007 : 0o777;
    parsed.push({ who: m[1] === '' ? -1 : who, op: m[2], perm: m[3] });
  }
  return (old, isDir) => {
    let mode = old;
    for (const { who, op, perm } of parsed) {
      let bits = 0;
      for (const p of perm) {
        const x = p === 'X' ? (isDir || (mode & 0o111) !== 0) : p === 'x';
        bits |= p === 'r' ? 0o444 : p === 'w' ? 0o222 : x ? 0o111 : 0;
      }
      // No who: all, except the bits the umask takes away (for + and =).
      const mask = who === -1 ? (op === '-' ? 0o777 : 0o777 & ~umask) : who;
      bits &= mask;
      if (op === '+') mode |= bits;
      else if (op === '-') mode &= ~bits;
      else mode = (mode & ~(who === -1 ? 0o777 : who)) | bits;
    }
    return mode;
  };
}

export const mv: Command = function* (ctx, argv) {
  const { flags, args, bad } = getopt(argv, 'fivn');
  if (bad) return usage(ctx, 'mv', `invalid option -- '${bad}'`);
  if (args.length === 0) return usage(ctx, 'mv', 'missing file operand');
  if (args.length === 1) return usage(ctx, 'mv', `missing destination file operand after ${quoteaf(args[0])}`);
  const dest = args[args.length - 1];
  const destPath = abs(ctx, dest);
  const disk = ctx.host.disk;
  const destNode = disk.lookup(destPath);
  const targetError = checkTarget(ctx, 'mv', dest, args.length - 1);
  if (targetError) { ctx.err(targetError); return 1; }
  // The last of -f, -i, -n wins: -i asks before overwriting, -n never overwrites.
  const overwrite = lastOption(argv, 'fin');
  const ask = confirmer(ctx);
  let code = 0;
  const fail = (text: string) => { ctx.err(`mv: ${text}\n`); code = 1; };
  for (const s of args.slice(0, -1)) {
    const from = abs(ctx, s);
    const src = disk.lookup(from);
    if (!src) { fail(`cannot stat ${quoteaf(s)}: No such file or directory`); continue; }
    if (!src.isDir && s.endsWith('/')) { fail(`cannot stat ${quoteaf(s)}: Not a directory`); continue; }
    const intoDir = destNode?.isDir === true;
    const to = intoDir ? childPath(destPath, basename(from)) : destPath;
    const shown = intoDir ? concatPath(dest, basename(from)) : dest;
    if (!intoDir && !destNode && dest.endsWith('/') && !src.isDir) { fail(`cannot move ${quoteaf(s)} to ${quoteaf(dest)}: Not a directory`); continue; }
    const existing = disk.lookup(to);
    const blocked = conflict(src, from, existing, to, { from: s, to: shown }, `cannot move ${quoteaf(s)} to a subdirectory of itself, ${quoteaf(shown)}`);
    if (blocked) { fail(blocked); continue; }
    if (existing && overwrite === 'n') continue;
    if (existing && overwrite === 'i' && !(yield* ask(`mv: overwrite ${quoteaf(shown)}? `))) continue;
    const err = disk.rename(from, to, ctx.kernel.now);
    if (err) { fail(`cannot move ${quoteaf(s)} to ${quoteaf(shown)}: ${ERRNO[err] ?? err}`); continue; }
    ctx.kernel.record('rename', ctx.host.name, ctx.proc.pid, `${from} ${to}`);
    if (flags.has('v')) ctx.out(`renamed ${quoteaf(s)} -> ${quoteaf(shown)}\n`);
  }
  return code;
};

export const rm: Command = function* (ctx, argv) {
  const { flags, args, bad } = getopt(argv, 'rRfvid');
  if (bad) return usage(ctx, 'rm', `invalid option -- '${bad}'`);
  // The last of -f and -i wins: -f never asks and says nothing of missing files, -i asks for each.
  const forceOrAsk = lastOption(argv, 'fi');
  const force = forceOrAsk === 'f';
  const interactive = forceOrAsk === 'i';
  const ask = confirmer(ctx);
  const recursive = flags.has('r') || flags.has('R');
  const verbose = flags.has('v');
  if (args.length === 0) { if (force) return 0; return usage(ctx, 'rm', 'missing operand'); }
  let code = 0;
  /** -v: what rm -r removes, depth first, each directory after its entries. */
  const tell = (name: string, n: Inode) => {
    if (!verbose) return;
    if (n.isDir) for (const [child, c] of sortedChildren(n)) tell(childPath(name, child), c);
    ctx.out(`removed ${n.isDir ? 'directory ' : ''}${quoteaf(name)}\n`);
  };
  const remove = (p: string) => {
    ctx.host.disk.removeTree(p);
    ctx.kernel.record('unlink', ctx.host.name, ctx.proc.pid, p);
  };
  for (const a of args) {
    const p = abs(ctx, a);
    const n = ctx.host.disk.lookup(p);
    if (!n) { if (!force) { ctx.err(`rm: cannot remove ${quoteaf(a)}: No such file or directory\n`); code = 1; } continue; }
    if (n.isDir && !recursive) {
      // -d removes an empty directory.
      if (!flags.has('d')) { ctx.err(`rm: cannot remove ${quoteaf(a)}: Is a directory\n`); code = 1; continue; }
      if (n.children!.size > 0) { ctx.err(`rm: cannot remove ${quoteaf(a)}: Directory not empty\n`); code = 1; continue; }
    }
    if (p === '/') { ctx.err(`rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n`); code = 1; continue; }
    // /proc and /sys belong to the kernel: unlink(2) is refused even to root.
    if (n.procfs && !n.isDir) { ctx.err(`rm: cannot remove ${quoteaf(a)}: Permission denied\n`); code = 1; continue; }
    if (interactive) { yield* removeAsking(p, a, n); continue; }
    tell(a, n);
    remove(p);
  }
  return code;

  /**
   * rm -i: a question for each file; a directory with entries is descended into (if the answer
   * is yes), its entries asked for (here in name order), then the directory itself if they all
   * went. Whether it was removed.
   */
  function* removeAsking(p: string, shown: string, n: Inode): TaskGen<boolean> {
    if (n.isDir && n.children!.size > 0) {
      if (!(yield* ask(`rm: descend into directory ${quoteaf(shown)}? `))) return false;
      let all = true;
      for (const [name, c] of sortedChildren(n)) {
        if (!(yield* removeAsking(childPath(p, name), childPath(shown, name), c))) all = false;
      }
      if (!all) return false;
    }
    const what = n.isDir ? 'directory' : n.len === 0 ? 'regular empty file' : 'regular file';
    if (!(yield* ask(`rm: remove ${what} ${quoteaf(shown)}? `))) return false;
    tell(shown, n);
    remove(p);
    return true;
  }
};

export const mkdir: Command = function* (ctx, argv) {
  const { flags, args, bad } = getopt(argv, 'pv', 'm');
  if (bad) return usage(ctx, 'mkdir', `invalid option -- '${bad}'`);
  if (args.length === 0) return usage(ctx, 'mkdir', 'missing operand');
  const modeText = flags.get('m');
  const setMode = modeText === undefined ? null : parseMode(modeText, ctx.proc.umask);
  if (modeText !== undefined && !setMode) { ctx.err(`mkdir: invalid mode ${quoted(modeText)}\n`); return 1; }
  const disk = ctx.host.disk;
  let code = 0;
  for (const a of args) {
    const path = abs(ctx, a);
    // -v names each directory made (with -p, each missing parent first), as typed.
    const missing: string[] = [];
    if (flags.has('p')) {
      const parts = a.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const prefix = parts.slice(0, i).join('/');
        if (prefix === '' || parts[i - 1] === '' || parts[i - 1] === '.') continue;
        if (!disk.lookup(abs(ctx, prefix))) missing.push(i === parts.length || parts.slice(i).every((p) => p === '') ? a : prefix);
      }
    } else missing.push(a);
    // As GNU mkdir: 0777 less the umask, and a missing parent is writable and searchable by its owner whatever the umask.
    const mode = newDirMode(ctx.proc.umask);
    const err = disk.mkdir(path, flags.has('p'), ctx.kernel.now, mode, mode | 0o300);
    if (err) { ctx.err(`mkdir: cannot create directory ${quoted(a)}: ${ERRNO[err] ?? err}\n`); code = 1; continue; }
    const made = disk.lookup(path);
    if (made && setMode && missing.length > 0) disk.chmod(path, setMode(0o777, true));
    if (flags.has('v')) for (const m of missing) ctx.out(`mkdir: created directory ${quoteaf(m)}\n`);
  }
  return code;
};

export const rmdir: Command = function* (ctx, argv) {
  const { args } = getopt(argv, 'p');
  if (args.length === 0) return usage(ctx, 'rmdir', 'missing operand');
  let code = 0;
  for (const a of args) {
    const err = ctx.host.disk.rmdir(abs(ctx, a));
    if (err) { ctx.err(`rmdir: failed to remove ${quoteaf(a)}: ${ERRNO[err] ?? err}\n`); code = 1; }
  }
  return code;
};

export const touch: Command = function* (ctx, argv) {
  const { args, bad } = getopt(argv, 'acm');
  if (bad) return usage(ctx, 'touch', `invalid option -- '${bad}'`);
  if (args.length === 0) return usage(ctx, 'touch', 'missing file operand');
  let code = 0;
  for (const a of args) {
    const p = abs(ctx, a);
    const n = ctx.host.disk.lookup(p);
    if (n) { n.mtimeMs = ctx.kernel.now; continue; }
    const f = ctx.host.disk.create(p, false, ctx.kernel.now, false, newFileMode(ctx.proc.umask));
    if (typeof f === 'string') { ctx.err(`touch: cannot touch ${quoteaf(a)}: ${ERRNO[f] ?? f}\n`); code = 1; }
  }
  return code;
};

/** bash's `pwd [-LP]` (no symbolic links here: both are the working directory); operands are ignored. */
export const pwd: Command = function* (ctx, argv) {
  for (const a of argv.slice(1)) {
    if (a === '--' || !a.startsWith('-') || a === '-') break;
    const bad = [...a.slice(1)].find((c) => c !== 'L' && c !== 'P');
    if (bad !== undefined) { ctx.err(`bash: pwd: -${bad}: invalid option\npwd: usage: pwd [-LP]\n`); return 2; }
  }
  ctx.out(ctx.cwd + '\n');
  return 0;
};

export const tee: Command = function* (ctx, argv) {
  const { flags, args } = getopt(argv, 'a');
  const text: string = yield* readAllInput(ctx);
  let code = 0;
  const files: { a: string; p: string; f: Inode }[] = [];
  for (const a of args) {
    const p = abs(ctx, a);
    const f = ctx.host.disk.create(p, !flags.has('a'), ctx.kernel.now, false, newFileMode(ctx.proc.umask));
    if (typeof f === 'string') { ctx.err(`tee: ${a}: ${ERRNO[f] ?? f}\n`); code = 1; continue; }
    files.push({ a, p, f });
  }
  // Like GNU tee: standard output first, then each file (one a /proc/sys file may refuse).
  ctx.out(text);
  for (const { a, p, f } of files) {
    const err = ctx.kernel.writeInode(ctx.host, f, p, Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff));
    if (err !== null) { ctx.err(`tee: ${a}: ${ERRNO[err] ?? err}\n`); code = 1; }
  }
  return code;
};

export const sync: Command = function* (ctx) {
  ctx.host.disk.syncAll();
  ctx.kernel.record('sync', ctx.host.name, ctx.proc.pid, '');
  return 0;
};

export { formatDate };
