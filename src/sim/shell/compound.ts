/**
 * The compound commands, run in the shell itself (what they set stays set): `{ …; }`, if,
 * case, for, `for ((…;…;…))`, while / until, `(( … ))`, `[[ … ]]`, and function definitions;
 * each with its own redirections. A loop's every iteration costs a little virtual time.
 */
import type { Kernel } from '../kernel/kernel';
import type { TaskGen } from '../kernel/tasks';
import type { Arith, ArithFor, Case, Cond, For, FuncDef, Group, If, List, While } from './parser';
import { evalCond } from './cond';
import { sleepWait } from './context';
import { globMatch } from './glob';
import type { ShellOptions } from './options';
import { redirect, type Fds, type RedirectionShell } from './redirect';
import { AbortLine, LoopControl, ReadonlyVariable } from './unwind';
import type { ShellVariables } from './variables';

export type Compound = Group | For | ArithFor | While | If | Case | Arith | FuncDef | Cond;

/** Every loop iteration costs this much virtual time, so `while true; do :; done` cannot freeze the world. */
const LOOP_ITERATION_MS = 0.001;

/** The loops: their bodies (and conditions) are where `break` and `continue` act. */
const LOOPS: ReadonlySet<Compound['type']> = new Set(['for', 'arith-for', 'while']);

/** What the compound commands need of their shell. */
export interface CompoundShell extends RedirectionShell {
  readonly vars: ShellVariables;
  readonly options: ShellOptions;
  readonly kernel: Kernel;
  /** The positional parameters (`for x; do`). */
  readonly args: readonly string[];
  status: number;
  /** The standard streams of the moment (a compound command's redirections change them while it runs). */
  io: Fds;
  runList(list: List): TaskGen<number>;
  /** An if/while/until condition: set -e does not apply inside it. */
  runCondition(list: List): TaskGen<number>;
  /** `name() { … }`: the function defined, where it was written remembered; false (said) for a readonly one. */
  defineFunction(def: FuncDef): boolean;
  /** set -x: a trace line. */
  trace(text: string): TaskGen<void>;
  /** How many loops the shell is running (inside a function's body, those of the function's). */
  loopDepth: number;
}

/** for / while / until / if / case / { …; } … in this shell (variables set inside persist). */
export function* runCompound(sh: CompoundShell, cmd: Compound, base: Fds): TaskGen<number> {
  const fds: Fds | null = yield* redirect(sh, cmd.redirs, base);
  if (!fds) return 1;
  const saved = sh.io;
  sh.io = fds;
  // A loop, condition and all, is where `break` and `continue` mean something.
  const loop = LOOPS.has(cmd.type);
  if (loop) sh.loopDepth++;
  try {
    return yield* runCompoundBody(sh, cmd);
  } finally {
    if (loop) sh.loopDepth--;
    sh.io = saved;
  }
}

/** The command itself, its redirections applied. */
function* runCompoundBody(sh: CompoundShell, cmd: Compound): TaskGen<number> {
  switch (cmd.type) {
    case 'group':
      return yield* sh.runList(cmd.list);
    case 'func':
      return sh.defineFunction(cmd) ? 0 : 1;
    case 'arith': {
      const text: string = yield* sh.expansion.expandText(cmd.src);
      if (sh.options.xtrace) yield* sh.trace(`(( ${text} ))`);
      return sh.expansion.arithCommand('((', [text]);
    }
    case 'cond':
      // Its syntax was checked when it was parsed.
      return (yield* evalCond(cmd.tokens, sh.expansion.condEnv())) ? 0 : 1;
    case 'case': {
      const word = (yield* sh.expansion.expandWords([cmd.word], false)).join(' ');
      if (sh.options.xtrace) yield* sh.trace(`case ${cmd.wordText ?? word} in`);
      for (const clause of cmd.clauses) {
        for (const p of clause.patterns) {
          const pattern: string = yield* sh.expansion.expandPattern(p);
          if (globMatch(pattern, word)) return yield* sh.runList(clause.body);
        }
      }
      return 0;
    }
    case 'if':
      for (const c of cmd.clauses) {
        if ((yield* sh.runCondition(c.cond)) === 0) return yield* sh.runList(c.body);
      }
      return cmd.elseBody ? yield* sh.runList(cmd.elseBody) : 0;
    case 'for': {
      const items: string[] = cmd.words ? yield* sh.expansion.expandWords(cmd.words) : sh.args.slice(1);
      let s = 0;
      for (const item of items) {
        if (sh.options.xtrace) yield* sh.trace(`for ${cmd.name} in ${cmd.wordsText ?? '"$@"'}`);
        try {
          sh.vars.setScalar(cmd.name, item);
        } catch (e) {
          // A readonly loop variable ends the loop (its error printed), which fails.
          if (!(e instanceof ReadonlyVariable)) throw e;
          s = 1;
          break;
        }
        const r = yield* loopBody(sh, cmd.body);
        if (r === 'break') { s = sh.status; break; }
        s = sh.status;
      }
      sh.status = s;
      return s;
    }
    case 'arith-for': {
      let s = 0;
      // set -x traces each expression as `(( i<2 ))`, an empty one as `(( 1 ))`.
      const traceArith = (text: string) => sh.trace(`(( ${text.trim() || '1'} ))`);
      // An expression's error (named after `((`, as bash does) ends the loop with status 1; the line goes on.
      const evaluate = (text: string): bigint | null => {
        try {
          return sh.expansion.arith(text, '((');
        } catch (e) {
          if (e instanceof AbortLine) return null;
          throw e;
        }
      };
      const init: string = yield* sh.expansion.expandText(cmd.init);
      if (sh.options.xtrace) yield* traceArith(init);
      if (evaluate(init) === null) { sh.status = 1; return 1; }
      for (;;) {
        const cond: string = yield* sh.expansion.expandText(cmd.cond);
        if (sh.options.xtrace) yield* traceArith(cond);
        const go = cond.trim() === '' ? 1n : evaluate(cond);
        if (go === null) { s = 1; break; }
        if (go === 0n) break;
        const r = yield* loopBody(sh, cmd.body);
        if (r === 'break') { s = sh.status; break; }
        s = sh.status;
        const step: string = yield* sh.expansion.expandText(cmd.step);
        if (sh.options.xtrace) yield* traceArith(step);
        if (evaluate(step) === null) { s = 1; break; }
      }
      sh.status = s;
      return s;
    }
    case 'while': {
      let s = 0;
      for (;;) {
        // A `break` or `continue` in the condition acts on this loop too.
        let c = 0;
        const r0 = yield* loopControlled(sh, function* () { c = yield* sh.runCondition(cmd.cond); });
        if (r0 === 'break') { s = sh.status; break; }
        if (r0 === 'continue') continue;
        if ((c === 0) === cmd.until) break;
        const r = yield* loopBody(sh, cmd.body);
        if (r === 'break') { s = sh.status; break; }
        s = sh.status;
      }
      sh.status = s;
      return s;
    }
  }
}

/**
 * One iteration of a loop's body: 'break' when a `break` ends this loop (one for an outer loop
 * goes on unwinding); `$?` is then the status of the `break` or `continue`.
 */
function* loopBody(sh: CompoundShell, body: List): TaskGen<'break' | 'next'> {
  yield sleepWait(sh.kernel, LOOP_ITERATION_MS);
  return (yield* loopControlled(sh, () => sh.runList(body))) === 'break' ? 'break' : 'next';
}

/**
 * Run part of a loop (its body, a while's condition): 'break' or 'continue' when one ends
 * it for this loop (one for an outer loop goes on unwinding), `$?` then the builtin's status.
 */
function* loopControlled(sh: CompoundShell, part: () => TaskGen<unknown>): TaskGen<'break' | 'continue' | 'done'> {
  try {
    yield* part();
  } catch (e) {
    if (!(e instanceof LoopControl)) throw e;
    if (e.levels > 1) { e.levels--; throw e; }
    sh.status = e.status;
    return e.kind;
  }
  return 'done';
}
