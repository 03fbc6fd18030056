/**
 * `find` (GNU findutils 4.9): starting points, then an expression of tests, actions, operators
 * and options, with GNU's messages for the mistakes people make.
 *
 *   tests    -name -iname -path -ipath -wholename -type -mtime -mmin -atime -amin -ctime -cmin
 *            -size -newer -empty -true -false
 *   actions  -print -print0 -delete -prune -exec -execdir (`;` once per file, `+` batched)
 *   ops      ( ) ! -not -a -and -o -or, and juxtaposition for "and"
 *   options  -maxdepth -mindepth -depth -xdev -mount -noleaf
 *
 * Walk order: a real find lists a directory in the order the filesystem returns its entries,
 * which on ext4 is a hash order nobody can predict; here every directory is walked in sorted
 * order (like `ls`), so outputs are stable across runs and lessons can show them.
 *
 * The simulated disk records one time per inode, so -atime and -ctime test the modification time.
 */
import type { Command, CmdCtx } from '../context';
import { abs, ERRNO, quoted } from '../context';
import type { Inode } from '../../kernel/disk';
import type { TaskGen } from '../../kernel/tasks';
import { globMatch } from '../glob';
import { apparentBytes, childPath, sortedChildren } from './fileinfo';
import { cannotRun, shellQuote } from './xargs';
import { askTerminal } from './confirm';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/** What the expression sees of one entry of the walk. */
interface Visit {
  shown: string;
  absPath: string;
  node: Inode;
  /** Set by -prune: do not descend into this directory. */
  pruned: boolean;
}

/** A test decided on the spot. */
type Test = (v: Visit) => boolean;

/** A node of the expression; a generator because -exec waits for the command it runs. */
type Pred = (v: Visit) => TaskGen<boolean>;

const sync = (test: Test): Pred => function* (v) { return test(v); };

class FindError extends Error {}

/** The parsed command line: what to evaluate, and the global options it set. */
interface Program {
  expr: Pred;
  maxDepth: number;
  minDepth: number;
  depthFirst: boolean;
}

/** The name -name matches: the last component, trailing slashes ignored (`/` stays `/`). */
function lastComponent(shown: string): string {
  const trimmed = shown.replace(/\/+$/, '');
  if (trimmed === '') return shown === '' ? '' : '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * A relative-time test (`-mtime 2`, `+2`, `-2`) in units of `unitMs`, as GNU find measures them
 * (checked against findutils 4.9): days are whole days rounded down, minutes are not.
 *   -mtime N: age in [N, N+1) days    +N: at least N+1 days    -N: less than N days
 *   -mmin N:  age in (N-1, N] minutes  +N: more than N minutes  -N: less than N minutes
 * A file dated in the future has a negative age.
 */
function ageTest(option: string, arg: string, now: number, unitMs: number, roundUp: boolean): Test {
  const m = /^([+-]?)(\d+(?:\.\d*)?)$/.exec(arg);
  if (!m) throw new FindError(`invalid argument \`${arg}' to \`${option}'`);
  const n = Number(m[2]);
  return ({ node }) => {
    const ageMs = now - node.mtimeMs;
    if (m[1] === '+') return roundUp ? ageMs > n * unitMs : ageMs >= (n + 1) * unitMs;
    if (m[1] === '-') return ageMs < n * unitMs;
    return roundUp ? ageMs > (n - 1) * unitMs && ageMs <= n * unitMs : ageMs >= n * unitMs && ageMs < (n + 1) * unitMs;
  };
}

const SIZE_UNITS: Record<string, number> = { b: 512, c: 1, w: 2, k: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** `-size [+-]N[cwbkMG]`: the size in units, rounded up (so `-size -1M` only finds empty files). */
function sizeTest(arg: string): Test {
  const last = arg.slice(-1);
  if (arg === '' || (!/\d/.test(last) && !(last in SIZE_UNITS))) throw new FindError(`invalid -size type \`${last}'`);
  const m = /^([+-]?)(\d+)([cwbkMG]?)$/.exec(arg);
  if (!m) throw new FindError(`Invalid argument \`${arg}' to -size`);
  const n = Number(m[2]);
  const unit = SIZE_UNITS[m[3] || 'b'];
  return ({ node }) => {
    const units = Math.ceil(apparentBytes(node) / unit);
    return m[1] === '+' ? units > n : m[1] === '-' ? units < n : units === n;
  };
}

const TYPE_LETTERS = 'bcdpflsD';

function typeTest(arg: string): Test {
  const letters = arg.split(',');
  for (const l of letters) {
    if (l.length > 1 && [...l].every((c) => TYPE_LETTERS.includes(c))) throw new FindError("Must separate multiple arguments to -type using: ','");
    if (l.length !== 1 || !TYPE_LETTERS.includes(l)) throw new FindError(`Unknown argument to -type: ${l}`);
  }
  // The disk holds only regular files and directories.
  return ({ node }) => letters.includes(node.isDir ? 'd' : 'f');
}

/**
 * Recursive descent over the expression, lowest precedence first: `-o`, then `-a` (explicit or
 * implied by juxtaposition), then `!`, then primaries and parentheses.
 */
class Parser {
  private pos = 0;
  hasAction = false;
  maxDepth = Infinity;
  minDepth = 0;
  depthFirst = false;

  /** -exec … + commands: their file lists, run when the walk is over (finish()). */
  readonly batches: { words: string[]; dir: boolean; files: string[] }[] = [];

  constructor(private readonly tokens: string[], private readonly ctx: CmdCtx, private readonly deleteEntry: Test,
    private readonly run: (words: string[], dir: string | null, ask: boolean) => TaskGen<boolean>) {}

  parse(): Pred {
    if (this.tokens.length === 0) return sync(() => true);
    const expr = this.parseOr();
    if (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t === ')') throw new FindError("you have too many ')'");
      throw new FindError(`paths must precede expression: \`${t}'`);
    }
    return expr;
  }

  private peek(): string | undefined { return this.tokens[this.pos]; }

  private parseOr(): Pred {
    let left = this.parseAnd();
    while (this.peek() === '-o' || this.peek() === '-or') {
      const op = this.tokens[this.pos++];
      if (this.atEndOfOperand()) throw new FindError(`expected an expression after '${op}'`);
      const l = left;
      const r = this.parseAnd();
      left = function* (v) { return (yield* l(v)) || (yield* r(v)); };
    }
    return left;
  }

  private parseAnd(): Pred {
    let left = this.parseNot();
    for (;;) {
      const t = this.peek();
      if (t === undefined || t === ')' || t === '-o' || t === '-or') return left;
      if (t === '-a' || t === '-and') {
        this.pos++;
        if (this.atEndOfOperand()) throw new FindError(`expected an expression after '${t}'`);
      }
      const l = left;
      const r = this.parseNot();
      left = function* (v) { return (yield* l(v)) && (yield* r(v)); };
    }
  }

  private atEndOfOperand(): boolean {
    const t = this.peek();
    return t === undefined || t === ')';
  }

  private parseNot(): Pred {
    const t = this.peek();
    if (t === '!' || t === '-not') {
      this.pos++;
      if (this.atEndOfOperand()) throw new FindError(`expected an expression after '${t}'`);
      const operand = this.parseNot();
      return function* (v) { return !(yield* operand(v)); };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Pred {
    const t = this.tokens[this.pos++];
    if (t === '-o' || t === '-or' || t === '-a' || t === '-and') {
      throw new FindError(`invalid expression; you have used a binary operator '${t}' with nothing before it.`);
    }
    if (t === '(') {
      if (this.peek() === ')') throw new FindError('invalid expression; empty parentheses are not allowed.');
      const inner = this.parseOr();
      if (this.tokens[this.pos++] !== ')') throw new FindError("invalid expression; I was expecting to find a ')' somewhere but did not see one.");
      return inner;
    }
    if (t === ')') throw new FindError("you have too many ')'");
    if (t === '-exec' || t === '-execdir' || t === '-ok' || t === '-okdir') return this.exec(t);
    return sync(this.primary(t));
  }

  /**
   * `-exec CMD ARGS… ;` runs the command for each file, `{}` in any word standing for its name,
   * and is true when it exits 0; `-exec CMD ARGS… {} +` collects names and runs the command
   * on as many at a time, after the walk, and is always true. -execdir runs it in the file's
   * directory on `./name`. -ok and -okdir ask first (`< cmd ... name > ? `), on the terminal.
   */
  private exec(option: string): Pred {
    this.hasAction = true;
    const words: string[] = [];
    for (;;) {
      const w = this.tokens[this.pos++];
      if (w === undefined) throw new FindError(`missing argument to \`${option}'`);
      if (w === ';') break;
      if (w === '+' && words[words.length - 1] === '{}' && option.startsWith('-exec')) {
        if (words.length === 1) throw new FindError(`missing argument to \`${option}'`);
        const batch = { words: words.slice(0, -1), dir: option === '-execdir', files: [] as string[] };
        this.batches.push(batch);
        return sync((v) => { batch.files.push(batch.dir ? `./${lastComponent(v.shown)}` : v.shown); return true; });
      }
      words.push(w);
    }
    if (words.length === 0) throw new FindError(`invalid argument \`;' to \`${option}'`);
    const run = this.run;
    const inDir = option.endsWith('dir');
    const ask = option.startsWith('-ok');
    return function* (v) {
      const name = inDir ? `./${lastComponent(v.shown)}` : v.shown;
      const argv = words.map((w) => w.split('{}').join(name));
      return yield* run(argv, inDir ? v.absPath.slice(0, v.absPath.lastIndexOf('/')) || '/' : null, ask);
    };
  }

  private argument(option: string): string {
    const a = this.tokens[this.pos++];
    if (a === undefined) throw new FindError(`missing argument to \`${option}'`);
    return a;
  }

  private depthOption(option: string): number {
    const a = this.argument(option);
    if (!/^\d+$/.test(a)) throw new FindError(`Expected a positive decimal integer argument to ${option}, but got ${quoted(a)}`);
    return Number(a);
  }

  private primary(t: string): Test {
    const now = this.ctx.kernel.now;
    switch (t) {
      case '-name': case '-iname': {
        const fold = t === '-iname';
        const pattern = this.argument(t);
        return ({ shown }) => (fold ? globMatch(pattern.toLowerCase(), lastComponent(shown).toLowerCase()) : globMatch(pattern, lastComponent(shown)));
      }
      case '-path': case '-wholename': case '-ipath': case '-iwholename': {
        const fold = t.startsWith('-i');
        const pattern = this.argument(t);
        return ({ shown }) => (fold ? globMatch(pattern.toLowerCase(), shown.toLowerCase()) : globMatch(pattern, shown));
      }
      case '-type': return typeTest(this.argument(t));
      case '-mtime': case '-atime': case '-ctime': return ageTest(t, this.argument(t), now, MS_PER_DAY, false);
      case '-mmin': case '-amin': case '-cmin': return ageTest(t, this.argument(t), now, MS_PER_MINUTE, true);
      case '-size': return sizeTest(this.argument(t));
      case '-newer': {
        const ref = this.argument(t);
        const n = this.ctx.host.disk.lookup(abs(this.ctx, ref));
        if (!n) throw new FindError(`${quoted(ref)}: No such file or directory`);
        const refMs = n.mtimeMs;
        return ({ node }) => node.mtimeMs > refMs;
      }
      case '-empty': return ({ node }) => (node.isDir ? node.children!.size === 0 : node.len === 0);
      case '-true': return () => true;
      case '-false': return () => false;
      case '-print': case '-print0': {
        this.hasAction = true;
        const end = t === '-print' ? '\n' : '\0';
        return ({ shown }) => { this.ctx.out(shown + end); return true; };
      }
      case '-delete':
        this.hasAction = true;
        this.depthFirst = true;
        return this.deleteEntry;
      case '-prune': return (v) => { if (!this.depthFirst) v.pruned = true; return true; };
      case '-maxdepth': this.maxDepth = this.depthOption(t); return () => true;
      case '-mindepth': this.minDepth = this.depthOption(t); return () => true;
      case '-depth': this.depthFirst = true; return () => true;
      case '-xdev': case '-mount': case '-noleaf': return () => true;
      default:
        if (t.startsWith('-')) throw new FindError(`unknown predicate \`${t}'`);
        throw new FindError(`paths must precede expression: \`${t}'`);
    }
  }
}

export const find: Command = function* (ctx, argv) {
  // Starting points run up to the first word that starts the expression.
  let i = 1;
  while (i < argv.length && !(argv[i].startsWith('-') && argv[i] !== '-') && argv[i] !== '!' && argv[i] !== '(') i++;
  const starts = argv.slice(1, i);
  let code = 0;
  const disk = ctx.host.disk;

  /** Run one command line of -exec, as xargs does (the command's status says true or false). */
  function* run(words: string[], dir: string | null, ask: boolean): TaskGen<boolean> {
    // -ok: the answer is read from find's standard input, when that is a terminal.
    if (ask && !(yield* askTerminal(ctx, ctx.stdin.kind === 'tty' ? ctx.stdin.term : null, `< ${words[0]} ... ${words[words.length - 1]} > ? `))) return false;
    const bad = cannotRun(ctx, words[0]);
    // A command that cannot run makes -exec false; only for `+` does find's status say so.
    if (bad) { ctx.err(`find: ${quoted(words[0])}: ${bad.msg}\n`); return false; }
    const sub = ctx.shell.helper(ctx.proc, { stdin: ctx.stdin, stdout: ctx.proc.stdout, stderr: ctx.proc.stderr });
    const line = `command ${words.map(shellQuote).join(' ')}`;
    const status: number = yield* sub.runSource(dir === null ? line : `cd ${shellQuote(dir)} && ${line}`);
    return status === 0;
  }

  const deleteEntry = (v: Visit): boolean => {
    // GNU find will not remove the starting point `.`.
    if (v.shown === '.') return true;
    const err = v.node.isDir ? disk.rmdir(v.absPath) : disk.unlink(v.absPath);
    if (err) {
      ctx.err(`find: cannot delete ${quoted(v.shown)}: ${ERRNO[err] ?? err}\n`);
      code = 1;
      return false;
    }
    ctx.kernel.record('unlink', ctx.host.name, ctx.proc.pid, v.absPath);
    return true;
  };

  let program: Program;
  let parser: Parser;
  try {
    parser = new Parser(argv.slice(i), ctx, deleteEntry, run);
    const expr = parser.parse();
    // With no action, GNU find prints what the whole expression matches.
    const print = (v: Visit) => { ctx.out(v.shown + '\n'); return true; };
    program = {
      expr: parser.hasAction ? expr : function* (v) { return (yield* expr(v)) && print(v); },
      maxDepth: parser.maxDepth,
      minDepth: parser.minDepth,
      depthFirst: parser.depthFirst,
    };
  } catch (e) {
    if (!(e instanceof FindError)) throw e;
    ctx.err(`find: ${e.message}\n`);
    return 1;
  }

  function* visit(shown: string, absPath: string, node: Inode, depth: number): TaskGen<void> {
    const v: Visit = { shown, absPath, node, pruned: false };
    const inRange = depth >= program.minDepth;
    if (!program.depthFirst && inRange) yield* program.expr(v);
    if (node.isDir && depth < program.maxDepth && !v.pruned) {
      // An -exec (rm -rf {}) may have removed the directory it was about to enter.
      if (disk.lookup(absPath) !== node) {
        ctx.err(`find: ${quoted(shown)}: No such file or directory\n`);
        code = 1;
      } else {
        for (const [name, child] of sortedChildren(node)) yield* visit(childPath(shown, name), childPath(absPath, name), child, depth + 1);
      }
    }
    if (program.depthFirst && inRange) yield* program.expr(v);
  }

  for (const start of starts.length ? starts : ['.']) {
    const absPath = abs(ctx, start);
    const node = disk.lookup(absPath);
    if (!node || (start.endsWith('/') && !node.isDir)) {
      ctx.err(`find: ${quoted(start)}: ${node ? 'Not a directory' : 'No such file or directory'}\n`);
      code = 1;
      continue;
    }
    yield* visit(start, absPath, node, 0);
  }
  // -exec … +: the collected names, in one command line each (as long as it is, here).
  for (const batch of parser.batches) {
    if (batch.files.length === 0) continue;
    if (!(yield* run([...batch.words, ...batch.files], null, false))) code = 1;
  }
  return code;
};
