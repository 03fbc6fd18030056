/**
 * `[[ … ]]`, bash's conditional command. Unlike `test`, its words are not split or globbed,
 * `==`/`!=` match the right side as a pattern (quoted parts literally), `=~` as an extended
 * regular expression, `<`/`>` compare strings, `-eq`… compare arithmetic expressions, and
 * `&&`, `||`, `!` and parentheses combine them (precedence: `!`, then `&&`, then `||`).
 */
import type { CondTok, Word } from './parser';
import type { TaskGen } from '../kernel/tasks';
import type { Inode } from '../kernel/disk';

/** What evaluating needs from the shell. */
export interface CondEnv {
  /** A word's value (no splitting, no globbing). */
  word(w: Word): TaskGen<string>;
  /** A word as a glob pattern (quoted parts match literally). */
  pattern(w: Word): TaskGen<string>;
  /** A word as a regular expression's source (quoted parts match literally). */
  regex(w: Word): TaskGen<string>;
  globMatch(pattern: string, s: string): boolean;
  arith(text: string): bigint;
  file(path: string): Inode | null;
  isSet(name: string): boolean;
  /** After `=~`: the match and its groups (BASH_REMATCH), or null when it did not match. */
  setMatch(groups: string[] | null): void;
  /** set -x: each test as it is made, its words expanded (`! -d /x`, `5 -gt 3`), for `[[ … ]]`. */
  trace?(test: string): TaskGen<void>;
}

/** A value in a trace line: as it is, `''` when empty (bash does not quote these). */
const shown = (v: string) => (v === '' ? "''" : v);

export class CondError extends Error {}

const UNARY = new Set(['-e', '-a', '-f', '-d', '-s', '-r', '-w', '-x', '-L', '-h', '-z', '-n', '-p', '-S', '-b', '-c', '-t', '-O', '-G', '-N', '-v']);
const BINARY = new Set(['==', '=', '!=', '=~', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

export function* evalCond(tokens: CondTok[], env: CondEnv): TaskGen<boolean> {
  let i = 0;
  const isOp = (v: string) => { const t = tokens[i]; return t !== undefined && 'op' in t && t.op === v; };
  const isWord = (raw?: string) => { const t = tokens[i]; return t !== undefined && 'w' in t && (raw === undefined || t.raw === raw); };
  const opText = (t: CondTok | undefined) => (t === undefined ? ']]' : 'op' in t ? t.op : t.raw);

  function* or(): TaskGen<boolean> {
    let v: boolean = yield* and();
    while (isOp('||')) { i++; const r: boolean = yield* and(); v = v || r; }
    return v;
  }
  function* and(): TaskGen<boolean> {
    let v: boolean = yield* not();
    while (isOp('&&')) { i++; const r: boolean = yield* not(); v = v && r; }
    return v;
  }
  function* not(): TaskGen<boolean> {
    if (isWord('!')) {
      i++;
      // `! test` is traced as one (`[[ ! -f x ]]`).
      if (isOp('(') || isWord('!')) return !(yield* not());
      return !(yield* primary(true));
    }
    return yield* primary(false);
  }
  function* primary(negated: boolean): TaskGen<boolean> {
    const not = negated ? '! ' : '';
    if (isOp('(')) {
      i++;
      const v: boolean = yield* or();
      if (!isOp(')')) throw new CondError(`syntax error in conditional expression: unexpected token \`${opText(tokens[i])}'`);
      i++;
      return v;
    }
    const first = tokens[i];
    if (first === undefined || !('w' in first)) throw new CondError(`unexpected token \`${opText(first)}' in conditional command`);
    const second = tokens[i + 1];
    const binop = second === undefined ? null : 'op' in second ? (second.op === '<' || second.op === '>' ? second.op : null) : BINARY.has(second.raw) ? second.raw : null;
    if (binop !== null) {
      const right = tokens[i + 2];
      if (right === undefined || !('w' in right)) throw new CondError(`unexpected argument \`${opText(right)}' to conditional binary operator`);
      i += 3;
      return yield* binary(first.w, binop, right.w, not);
    }
    if (UNARY.has(first.raw) && second !== undefined && 'w' in second) {
      i += 2;
      const v: string = yield* env.word(second.w);
      if (env.trace) yield* env.trace(`${not}${first.raw} ${shown(v)}`);
      return unary(first.raw, v);
    }
    i++;
    const v: string = yield* env.word(first.w);
    if (env.trace) yield* env.trace(`${not}-n ${shown(v)}`);
    return v !== '';
  }
  function* binary(lw: Word, op: string, rw: Word, not: string): TaskGen<boolean> {
    const left: string = yield* env.word(lw);
    const right: string = op === '==' || op === '=' || op === '!=' ? yield* env.pattern(rw) : op === '=~' ? yield* env.regex(rw) : yield* env.word(rw);
    if (env.trace) yield* env.trace(`${not}${shown(left)} ${op} ${shown(right)}`);
    switch (op) {
      case '==': case '=': return env.globMatch(right, left);
      case '!=': return !env.globMatch(right, left);
      case '=~': {
        const source = right;
        let re: RegExp;
        try { re = new RegExp(source); } catch { return false; }
        const match = re.exec(left);
        env.setMatch(match ? [...match].map((g) => g ?? '') : null);
        return match !== null;
      }
    }
    switch (op) {
      case '<': return left < right;
      case '>': return left > right;
      case '-nt': case '-ot': {
        const a = env.file(left);
        const b = env.file(right);
        if (op === '-nt') return !!a && (!b || a.mtimeMs > b.mtimeMs);
        return !!b && (!a || a.mtimeMs < b.mtimeMs);
      }
      case '-ef': { const a = env.file(left); return !!a && a === env.file(right); }
    }
    const l = env.arith(left);
    const r = env.arith(right);
    switch (op) {
      case '-eq': return l === r;
      case '-ne': return l !== r;
      case '-lt': return l < r;
      case '-le': return l <= r;
      case '-gt': return l > r;
      default: return l >= r;
    }
  }
  function unary(op: string, v: string): boolean {
    const n = () => env.file(v);
    switch (op) {
      case '-z': return v === '';
      case '-n': return v !== '';
      case '-e': case '-a': case '-r': case '-w': return n() !== null;
      // root may read and write anything; executing needs an x bit.
      case '-x': { const f = n(); return !!f && (f.mode & 0o111) !== 0; }
      case '-f': return n()?.isDir === false;
      case '-d': return n()?.isDir === true;
      case '-s': { const f = n(); return !!f && (f.isDir || f.len > 0); }
      case '-v': return env.isSet(v);
      // No links, devices, sockets or terminals on the simulated disk.
      default: return false;
    }
  }

  const v: boolean = yield* or();
  if (i < tokens.length) throw new CondError(`syntax error in conditional expression: unexpected token \`${opText(tokens[i])}'`);
  return v;
}
