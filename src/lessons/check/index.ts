/**
 * The check language, compiled: parse, type-check, report every problem at its file position.
 * See docs/LESSON-FORMAT.md ("Checks") for the language itself.
 */
import type { DiagnosticSink } from '../diagnostics';
import type { TextMap } from '../text-map';
import type { CheckExpr } from './ast';
import type { StaticContext } from './functions';
import { parseCheckBlock, parseSingleCheck } from './parser';
import { typecheckCheck } from './typecheck';

export type { CheckExpr } from './ast';
export type { StaticContext, EvalContext } from './functions';
export { FUNCTIONS, signatureOf } from './functions';
export { evaluateCheck, type CheckResult, type Truth } from './evaluate';

/** Compile a check block (one check per line). Checks with errors are left out. */
export function compileCheckBlock(text: string, map: TextMap, ctx: StaticContext, sink: DiagnosticSink): CheckExpr[] {
  const { checks, errors } = parseCheckBlock(text);
  for (const e of errors) sink.error(map(e.start), e.message);
  const ok: CheckExpr[] = [];
  for (const c of checks) {
    const typeErrors = typecheckCheck(c, ctx);
    for (const e of typeErrors) sink.error(map(e.start), e.message);
    if (!typeErrors.length) ok.push(c);
  }
  return ok;
}

/** Compile one condition (`wait until ...`, a predict choice's `when:`). Null on errors. */
export function compileCondition(text: string, map: TextMap, ctx: StaticContext, sink: DiagnosticSink): CheckExpr | null {
  const { check, errors } = parseSingleCheck(text);
  for (const e of errors) sink.error(map(e.start), e.message);
  if (!check) return null;
  const typeErrors = typecheckCheck(check, ctx);
  for (const e of typeErrors) sink.error(map(e.start), e.message);
  return typeErrors.length ? null : check;
}
