/**
 * `diff` as GNU diffutils 3.8 behaves under LANG=C.UTF-8: the normal, unified (`-u`, `-U N`) and
 * context (`-c`, `-C N`) formats, `-q`, `-s`, `-i`, `-b`, `-w`, `-B`, `-a`, `-N`, `-d`,
 * `--label`, `-r` over directories, a directory against a file, `-` for standard input, binary
 * files, and GNU's messages and exit statuses (0 same, 1 different, 2 trouble).
 *
 * Which lines differ is decided in ../lcs.ts, which reproduces GNU's choice among minimal edit
 * scripts; this module reads the files, groups the changes into hunks and prints them.
 */
import type { Command, CmdCtx } from '../context';
import { abs, ERRNO, readAllInput } from '../context';
import type { Inode } from '../../kernel/disk';
import type { TaskGen } from '../../kernel/tasks';
import { bytesToLatin1 } from '../../kernel/kernel';
import { changedLines } from '../lcs';
import { parseOpts, type OptSpec } from './operands';
import { formatDate } from './time';

type Style = 'normal' | 'unified' | 'context';

interface DiffOptions {
  style: Style;
  /** Lines of context around a hunk (the largest asked for; 3 for a bare -u or -c). */
  contextLines: number;
  brief: boolean;
  reportIdentical: boolean;
  ignoreCase: boolean;
  ignoreAllSpace: boolean;
  ignoreSpaceChange: boolean;
  ignoreBlankLines: boolean;
  text: boolean;
  recursive: boolean;
  newFile: boolean;
  minimal: boolean;
  /** -p: name the C function (the last line starting with a letter, `_` or `$`) in hunk headers. */
  showFunction: boolean;
  labels: string[];
  /** The options as typed, shell-quoted: what `diff -r` repeats before each pair it compares. */
  switches: string;
}

const SPEC: OptSpec = {
  flags: 'qsiwbBarNducp',
  withArg: 'UCL',
  long: {
    brief: { key: 'q', arg: false },
    'report-identical-files': { key: 's', arg: false },
    'ignore-case': { key: 'i', arg: false },
    'ignore-all-space': { key: 'w', arg: false },
    'ignore-space-change': { key: 'b', arg: false },
    'ignore-blank-lines': { key: 'B', arg: false },
    text: { key: 'a', arg: false },
    recursive: { key: 'r', arg: false },
    'new-file': { key: 'N', arg: false },
    minimal: { key: 'd', arg: false },
    'show-c-function': { key: 'p', arg: false },
    unified: { key: 'unified', arg: 'optional' },
    context: { key: 'context', arg: 'optional' },
    label: { key: 'L', arg: true },
    normal: { key: 'normal', arg: false },
  },
};

/** GNU reads a file in blocks of st_blksize; a NUL byte in the first one makes it binary. */
const BINARY_SNIFF_BYTES = 4096;

/** A usage error: the message, GNU's "Try" line (with diff's prefix), status 2. */
function trouble(ctx: CmdCtx, msg: string): number {
  return troubleLine(ctx, `diff: ${msg}`);
}

/** The same after a line that names the program already (getopt's, which names it by argv[0]). */
function troubleLine(ctx: CmdCtx, line: string): number {
  ctx.err(`${line}\ndiff: Try 'diff --help' for more information.\n`);
  return 2;
}

/**
 * An option word as GNU's shell quoting shows it in the `diff -r` line: bare when harmless, in
 * double quotes when it only has a single quote to protect, else in single quotes.
 */
function shellQuote(word: string): string {
  if (word !== '' && /^[-A-Za-z0-9_+,./:@%\x80-\xff]+$/.test(word)) return word;
  if (word.includes("'") && !/["$`\\!]/.test(word)) return `"${word}"`;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * The argv words that are options or their values, in order (GNU repeats them in the `diff`
 * line of each pair of a directory comparison). Mirrors parseOpts' view of which word is what.
 */
function optionWords(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') continue;
    words.push(a);
    if (a.startsWith('--')) {
      const name = a.slice(2);
      if (!name.includes('=') && 'label'.startsWith(name) && name.length >= 2 && i + 1 < argv.length) words.push(argv[++i]);
      continue;
    }
    const valued = /[UCL]/.exec(a.slice(1));
    if (valued && valued.index === a.length - 2 && i + 1 < argv.length) words.push(argv[++i]);
  }
  return words;
}

/** The options, or the line that refuses them (getopt's, or diff's own after `diff: `). */
function parseOptions(argv: string[]): { opts: DiffOptions; operands: string[] } | { error: string } {
  const parsed = parseOpts(argv, SPEC);
  if ('error' in parsed) return parsed;
  const opts: DiffOptions = {
    style: 'normal', contextLines: 0, brief: false, reportIdentical: false, ignoreCase: false,
    ignoreAllSpace: false, ignoreSpaceChange: false, ignoreBlankLines: false, text: false,
    recursive: false, newFile: false, minimal: false, showFunction: false, labels: [],
    switches: optionWords(argv).map((w) => ' ' + shellQuote(w)).join(''),
  };
  let style: Style | null = null;
  const setStyle = (s: Style): string | null => {
    if (style !== null && style !== s) return 'conflicting output style options';
    style = s;
    return null;
  };
  for (const { key, value } of parsed.opts) {
    let problem: string | null = null;
    switch (key) {
      case 'q': opts.brief = true; break;
      case 's': opts.reportIdentical = true; break;
      case 'i': opts.ignoreCase = true; break;
      case 'w': opts.ignoreAllSpace = true; break;
      case 'b': opts.ignoreSpaceChange = true; break;
      case 'B': opts.ignoreBlankLines = true; break;
      case 'a': opts.text = true; break;
      case 'r': opts.recursive = true; break;
      case 'N': opts.newFile = true; break;
      case 'd': opts.minimal = true; break;
      case 'p': opts.showFunction = true; break;
      case 'L': opts.labels.push(value); break;
      case 'normal': problem = setStyle('normal'); break;
      case 'u': case 'c':
        problem = setStyle(key === 'u' ? 'unified' : 'context');
        opts.contextLines = Math.max(opts.contextLines, 3);
        break;
      case 'U': case 'C': case 'unified': case 'context': {
        problem = setStyle(key === 'U' || key === 'unified' ? 'unified' : 'context');
        const text = (key === 'unified' || key === 'context') && value === '' ? '3' : value;
        if (!/^\d+$/.test(text)) return { error: `diff: invalid context length '${value}'` };
        opts.contextLines = Math.max(opts.contextLines, Number(text));
        break;
      }
    }
    if (problem) return { error: `diff: ${problem}` };
  }
  // -p on its own asks for the context format, with its default context.
  if (style === null && opts.showFunction) {
    style = 'context';
    opts.contextLines = Math.max(opts.contextLines, 3);
  }
  opts.style = style ?? 'normal';
  if (opts.labels.length > 2) return { error: 'diff: too many file label options' };
  return { opts, operands: parsed.operands };
}

/** A file operand as found: standard input, a regular file, a directory, or nothing. */
type Found =
  | { kind: 'file'; name: string; inode: Inode | null }
  | { kind: 'stdin'; name: string }
  | { kind: 'dir'; name: string; children: Map<string, Inode> }
  | { kind: 'missing'; name: string };

function find(ctx: CmdCtx, name: string): Found {
  if (name === '-') return { kind: 'stdin', name };
  const path = abs(ctx, name);
  if (path === '/dev/null') return { kind: 'file', name, inode: null };
  const inode = ctx.host.disk.lookup(path);
  if (!inode) return { kind: 'missing', name };
  return inode.isDir ? { kind: 'dir', name, children: inode.children! } : { kind: 'file', name, inode };
}

/** A name inside a directory operand: `d` + `x` → `d/x`, and `d/` or `d//` too. */
function inside(dir: string, name: string): string {
  const trimmed = dir.replace(/\/+$/, '');
  return `${trimmed === '' && dir !== '' ? '' : trimmed}/${name}`;
}

/** What one side of a comparison holds. */
interface Side { name: string; bytes: string; mtimeMs: number }

/**
 * A file name in the `diff` line and the unified/context headers: as is, or in double quotes
 * with C escapes when it has white space, a quote, a backslash, a control character or a
 * non-ASCII byte (which GNU writes in octal).
 */
function headerName(name: string): string {
  if (!/[\s"\\\x00-\x1f\x7f-\xff]/.test(name)) return name;
  const named: Record<string, string> = { '\x07': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v', '\\': '\\', '"': '"' };
  return `"${name.replace(/[\x00-\x1f\x7f-\xff\\"]/g, (c) => '\\' + (named[c] ?? c.charCodeAt(0).toString(8).padStart(3, '0')))}"`;
}

/** One line of a file: its text without the newline, and whether it had one. */
interface Line { text: string; newline: boolean }

function splitLines(bytes: string): Line[] {
  if (bytes === '') return [];
  const parts = bytes.split('\n');
  const last = parts.pop()!;
  const lines = parts.map((text) => ({ text, newline: true }));
  if (last !== '') lines.push({ text: last, newline: false });
  return lines;
}

/**
 * The text a line is compared by. With -b or -w the newline is white space like any other, so a
 * missing one at the end of a file does not count (as with GNU); otherwise it does.
 */
function compareKey(line: Line, opts: DiffOptions): string {
  let t = line.text;
  if (opts.ignoreCase) t = t.replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (opts.ignoreAllSpace) return t.replace(/[ \t\v\f\r]/g, '');
  if (opts.ignoreSpaceChange) return t.replace(/[ \t\v\f\r]+$/, '').replace(/[ \t\v\f\r]+/g, ' ');
  return line.newline ? t + '\n' : t;
}

/** A run of deleted lines of the first file facing a run of inserted lines of the second. */
interface Change { line0: number; deleted: number; line1: number; inserted: number; ignorable: boolean }

function computeChanges(lines: [Line[], Line[]], opts: DiffOptions): Change[] {
  const classOf = new Map<string, number>();
  const classes = lines.map((ls) => ls.map((l) => {
    const key = compareKey(l, opts);
    let c = classOf.get(key);
    if (c === undefined) { c = classOf.size + 1; classOf.set(key, c); }
    return c;
  })) as [number[], number[]];
  const raw = lines.map((ls) => ls.map((l) => (l.newline ? l.text + '\n' : l.text))) as [string[], string[]];
  const { deleted, inserted } = changedLines(raw, classes, opts.contextLines, opts.minimal);
  const [a, b] = lines;
  const changes: Change[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (!deleted[i] && !inserted[j]) { i++; j++; continue; }
    const line0 = i;
    const line1 = j;
    while (i < a.length && deleted[i]) i++;
    while (j < b.length && inserted[j]) j++;
    // -B: a change whose lines are all empty does not count.
    const blank = (l: Line) => l.text === '' && l.newline;
    const ignorable = opts.ignoreBlankLines && a.slice(line0, i).every(blank) && b.slice(line1, j).every(blank);
    changes.push({ line0, deleted: i - line0, line1, inserted: j - line1, ignorable });
  }
  return changes;
}

/** One output line: its prefix and text, and GNU's marker when the file ends without newline. */
function printLine(prefix: string, line: Line): string {
  return `${prefix}${line.text}\n${line.newline ? '' : '\\ No newline at end of file\n'}`;
}

/** A range of lines (0-based, `last` may be `first - 1`) as the normal and context formats write it. */
function plainRange(first: number, last: number): string {
  return last > first ? `${first + 1},${last + 1}` : `${last + 1}`;
}

/** The same in a unified hunk header: `start,count`, `start` alone for one line, `before,0` for none. */
function unifiedRange(first: number, last: number): string {
  if (last < first) return `${last + 1},0`;
  if (last === first) return `${first + 1}`;
  return `${first + 1},${last - first + 1}`;
}

function normalFormat(changes: Change[], [a, b]: [Line[], Line[]]): string {
  let out = '';
  for (const c of changes) {
    if (c.ignorable) continue;
    const letter = c.deleted && c.inserted ? 'c' : c.deleted ? 'd' : 'a';
    out += `${plainRange(c.line0, c.line0 + c.deleted - 1)}${letter}${plainRange(c.line1, c.line1 + c.inserted - 1)}\n`;
    for (let k = 0; k < c.deleted; k++) out += printLine('< ', a[c.line0 + k]);
    if (c.deleted && c.inserted) out += '---\n';
    for (let k = 0; k < c.inserted; k++) out += printLine('> ', b[c.line1 + k]);
  }
  return out;
}

/**
 * Changes grouped into hunks: the next change joins the hunk when the unchanged lines between
 * them would not fill both contexts (at most 2 × context lines apart; a -B-ignorable change
 * joins only within one context). A hunk with only ignorable changes is not printed.
 */
function hunks(changes: Change[], contextLines: number): Change[][] {
  const groups: Change[][] = [];
  let current: Change[] = [];
  for (const c of changes) {
    const prev = current[current.length - 1];
    const threshold = c.ignorable ? contextLines : 2 * contextLines + 1;
    if (prev && c.line0 - (prev.line0 + prev.deleted) < threshold) current.push(c);
    else {
      if (current.length) groups.push(current);
      current = [c];
    }
  }
  if (current.length) groups.push(current);
  return groups.filter((g) => g.some((c) => !c.ignorable));
}

/** The lines a hunk shows in each file, context included (0-based, inclusive). */
function hunkBounds(hunk: Change[], contextLines: number, [a, b]: [Line[], Line[]]): [number, number, number, number] {
  const first = hunk[0];
  const last = hunk[hunk.length - 1];
  return [
    Math.max(0, first.line0 - contextLines), Math.min(a.length - 1, last.line0 + last.deleted - 1 + contextLines),
    Math.max(0, first.line1 - contextLines), Math.min(b.length - 1, last.line1 + last.inserted - 1 + contextLines),
  ];
}

/**
 * -p: the text after a hunk header, from the closest line above the hunk that starts like a C
 * function (a letter, `_` or `$`), at most 40 bytes without trailing white space. Like GNU, each
 * search stops where the previous one started and otherwise reuses what that one found.
 */
function functionFinder(lines: Line[], enabled: boolean): (hunkStart: number) => string {
  let searchedDown = 0;
  let found: number | null = null;
  return (hunkStart) => {
    if (!enabled) return '';
    for (let i = hunkStart - 1; i >= searchedDown; i--) {
      if (/^[A-Za-z_$]/.test(lines[i].text)) { found = i; break; }
    }
    searchedDown = hunkStart;
    if (found === null) return '';
    return ' ' + lines[found].text.slice(0, 40).replace(/[ \t\v\f\r]+$/, '');
  };
}

function unifiedFormat(changes: Change[], files: [Line[], Line[]], opts: DiffOptions): string {
  const [a, b] = files;
  const contextLines = opts.contextLines;
  const functionAt = functionFinder(a, opts.showFunction);
  let out = '';
  for (const hunk of hunks(changes, contextLines)) {
    const [first0, last0, first1, last1] = hunkBounds(hunk, contextLines, files);
    out += `@@ -${unifiedRange(first0, last0)} +${unifiedRange(first1, last1)} @@${functionAt(first0)}\n`;
    let i = first0;
    let j = first1;
    let next = 0;
    while (i <= last0 || j <= last1) {
      const c = hunk[next];
      if (!c || i < c.line0) {
        // Unchanged lines are shown as the first file has them.
        out += printLine(' ', a[i]);
        i++;
        j++;
        continue;
      }
      for (let k = 0; k < c.deleted; k++) out += printLine('-', a[i++]);
      for (let k = 0; k < c.inserted; k++) out += printLine('+', b[j++]);
      next++;
    }
  }
  return out;
}

function contextFormat(changes: Change[], files: [Line[], Line[]], opts: DiffOptions): string {
  const [a, b] = files;
  const contextLines = opts.contextLines;
  const functionAt = functionFinder(a, opts.showFunction);
  let out = '';
  for (const hunk of hunks(changes, contextLines)) {
    const [first0, last0, first1, last1] = hunkBounds(hunk, contextLines, files);
    out += `***************${functionAt(first0)}\n`;
    // Each side is listed only when it has changed lines of its own: `!` a line replaced,
    // `-` deleted, `+` inserted, two spaces for context.
    const side = (lines: Line[], from: number, to: number, start: (c: Change) => number, count: (c: Change) => number, otherCount: (c: Change) => number, mark: string) => {
      if (!hunk.some((c) => count(c) > 0)) return '';
      let text = '';
      let next = 0;
      for (let i = from; i <= to; i++) {
        while (next < hunk.length && start(hunk[next]) + count(hunk[next]) <= i) next++;
        const c = hunk[next];
        const prefix = c && start(c) <= i ? (otherCount(c) > 0 ? '! ' : mark) : '  ';
        text += printLine(prefix, lines[i]);
      }
      return text;
    };
    out += `*** ${plainRange(first0, last0)} ****\n`;
    out += side(a, first0, last0, (c) => c.line0, (c) => c.deleted, (c) => c.inserted, '- ');
    out += `--- ${plainRange(first1, last1)} ----\n`;
    out += side(b, first1, last1, (c) => c.line1, (c) => c.inserted, (c) => c.deleted, '+ ');
  }
  return out;
}

/** GNU's default header time: the modification time to the nanosecond, in the host's zone. */
function headerTime(ctx: CmdCtx, ms: number): string {
  return formatDate('%Y-%m-%d %H:%M:%S.%N %z', ms, ctx.host.tzOffsetMinutes);
}

/**
 * What a comparison needs beyond the options: where to write, standard input (read once), and
 * whether names are inside a directory comparison (then each pair gets a `diff ...` line).
 */
interface Session { ctx: CmdCtx; opts: DiffOptions; stdin: string | null }

function* sideOf(s: Session, f: Found): TaskGen<Side> {
  const { ctx } = s;
  if (f.kind === 'stdin') {
    s.stdin ??= yield* readAllInput(ctx);
    return { name: f.name, bytes: s.stdin, mtimeMs: ctx.kernel.now };
  }
  if (f.kind === 'file' && f.inode) return { name: f.name, bytes: bytesToLatin1(f.inode.bytes()), mtimeMs: f.inode.mtimeMs };
  // /dev/null, or a missing file under -N (GNU dates the latter at the epoch).
  return { name: f.name, bytes: '', mtimeMs: f.kind === 'missing' ? 0 : ctx.kernel.now };
}

/** Compare two files' contents and print the result; returns the exit status. */
function compareContents(s: Session, x: Side, y: Side, inDirectory: boolean): number {
  const { ctx, opts } = s;
  if (x.bytes === y.bytes) {
    if (opts.reportIdentical) ctx.out(`Files ${x.name} and ${y.name} are identical\n`);
    return 0;
  }
  const binary = !opts.text && (x.bytes.slice(0, BINARY_SNIFF_BYTES).includes('\0') || y.bytes.slice(0, BINARY_SNIFF_BYTES).includes('\0'));
  if (binary) {
    ctx.out(`${opts.brief ? 'Files' : 'Binary files'} ${x.name} and ${y.name} differ\n`);
    return 1;
  }
  const files: [Line[], Line[]] = [splitLines(x.bytes), splitLines(y.bytes)];
  const changes = computeChanges(files, opts);
  if (!changes.some((c) => !c.ignorable)) {
    if (opts.reportIdentical) ctx.out(`Files ${x.name} and ${y.name} are identical\n`);
    return 0;
  }
  if (opts.brief) {
    ctx.out(`Files ${x.name} and ${y.name} differ\n`);
    return 1;
  }
  let out = inDirectory ? `diff${opts.switches} ${headerName(opts.labels[0] ?? x.name)} ${headerName(opts.labels[1] ?? y.name)}\n` : '';
  if (opts.style === 'normal') out += normalFormat(changes, files);
  else {
    const [mark0, mark1] = opts.style === 'unified' ? ['---', '+++'] : ['***', '---'];
    const label = (side: Side, k: number) => opts.labels[k] ?? `${headerName(side.name)}\t${headerTime(ctx, side.mtimeMs)}`;
    out += `${mark0} ${label(x, 0)}\n${mark1} ${label(y, 1)}\n`;
    out += opts.style === 'unified' ? unifiedFormat(changes, files, opts) : contextFormat(changes, files, opts);
  }
  ctx.out(out);
  return 1;
}

/** The `file_type` words GNU uses when a directory faces a file. */
function typeWords(f: Found): string {
  if (f.kind === 'dir') return 'directory';
  return f.kind === 'file' && f.inode && f.inode.len > 0 ? 'regular file' : 'regular empty file';
}

type Directory = Found & { kind: 'dir' };

function* compareDirectories(s: Session, x: Directory, y: Directory): TaskGen<number> {
  const { ctx, opts } = s;
  const names = [...new Set([...x.children.keys(), ...y.children.keys()])]
    .sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
  let status = 0;
  for (const name of names) {
    const cx = find(ctx, inside(x.name, name));
    const cy = find(ctx, inside(y.name, name));
    if ((cx.kind === 'missing' || cy.kind === 'missing') && !opts.newFile) {
      ctx.out(`Only in ${cx.kind === 'missing' ? y.name : x.name}: ${name}\n`);
      status = Math.max(status, 1);
      continue;
    }
    // -N: the absent side is an empty file, or an empty directory facing a directory.
    const emptyFor = (absent: Found, present: Found): Found =>
      absent.kind === 'missing' && present.kind === 'dir' ? { kind: 'dir', name: absent.name, children: new Map() } : absent;
    status = Math.max(status, yield* comparePair(s, emptyFor(cx, cy), emptyFor(cy, cx), true));
  }
  return status;
}

/** Compare two operands of any kind (inside a directory comparison or not). */
function* comparePair(s: Session, x: Found, y: Found, inDirectory: boolean): TaskGen<number> {
  const { ctx, opts } = s;
  if (x.kind === 'dir' && y.kind === 'dir') {
    if (inDirectory && !opts.recursive) {
      ctx.out(`Common subdirectories: ${x.name} and ${y.name}\n`);
      return 0;
    }
    return yield* compareDirectories(s, x, y);
  }
  if (x.kind === 'dir' || y.kind === 'dir') {
    if (inDirectory) {
      ctx.out(`File ${x.name} is a ${typeWords(x)} while file ${y.name} is a ${typeWords(y)}\n`);
      return 1;
    }
    // `diff dir file` compares dir/file with file (the file's last name component).
    const [dir, other] = x.kind === 'dir' ? [x, y] : [y, x];
    if (other.kind === 'stdin') return (ctx.err("diff: cannot compare '-' to a directory\n"), 2);
    const base = other.name.replace(/\/+$/, '').split('/').pop()!;
    const within = find(ctx, inside(dir.name, base));
    if (within.kind === 'missing') return (ctx.err(`diff: ${within.name}: ${ERRNO.ENOENT}\n`), 2);
    // Should dir/file be a directory too, say so as a directory comparison would.
    return yield* comparePair(s, x.kind === 'dir' ? within : x, y.kind === 'dir' ? within : y, within.kind === 'dir');
  }
  const sx: Side = yield* sideOf(s, x);
  const sy: Side = yield* sideOf(s, y);
  return compareContents(s, sx, sy, inDirectory);
}

export const diff: Command = function* (ctx, argv) {
  const parsed = parseOptions(argv);
  if ('error' in parsed) return troubleLine(ctx, parsed.error);
  const { opts, operands } = parsed;
  if (operands.length < 2) return trouble(ctx, `missing operand after '${argv[argv.length - 1]}'`);
  if (operands.length > 2) return trouble(ctx, `extra operand '${operands[2]}'`);
  const s: Session = { ctx, opts, stdin: null };
  if (operands[0] === '-' && operands[1] === '-') return 0;
  const found = operands.map((o) => find(ctx, o));
  const missing = found.filter((f) => f.kind === 'missing');
  if (missing.length === 2 || (missing.length === 1 && !opts.newFile)) {
    for (const f of missing) ctx.err(`diff: ${f.name}: ${ERRNO.ENOENT}\n`);
    return 2;
  }
  return yield* comparePair(s, found[0], found[1], false);
};
