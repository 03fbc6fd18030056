/**
 * Syntax tree of the check language. Every node remembers its [start, end) offsets in the
 * source text so errors and explanations can quote and locate it. The type checker fills `ty`.
 */
import type { Type } from './types';

interface NodeBase {
  start: number;
  end: number;
  ty?: Type;
}

export interface NumberLit extends NodeBase {
  type: 'number';
  /** Value in base units (ms, bytes). */
  value: number;
  unit: 'duration' | 'size' | null;
}

export interface StringLit extends NodeBase {
  type: 'string';
  value: string;
}

export interface BoolLit extends NodeBase {
  type: 'bool';
  value: boolean;
}

export interface Arg {
  /** Set for a named argument (`on="sentinel1"`). */
  name: string | null;
  /** Offset of the argument name, or of the value for a positional argument. */
  start: number;
  value: Expr;
}

export interface Call extends NodeBase {
  type: 'call';
  name: string;
  nameEnd: number;
  args: Arg[];
}

export interface Member extends NodeBase {
  type: 'member';
  target: Expr;
  name: string;
  nameStart: number;
}

export interface MethodCall extends NodeBase {
  type: 'method';
  target: Expr;
  name: string;
  nameStart: number;
  args: Arg[];
}

export interface Unary extends NodeBase {
  type: 'unary';
  op: 'not' | '-';
  operand: Expr;
}

export type BinaryOp = 'and' | 'or' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/';

export interface Binary extends NodeBase {
  type: 'binary';
  op: BinaryOp;
  opStart: number;
  left: Expr;
  right: Expr;
}

export type Expr = NumberLit | StringLit | BoolLit | Call | Member | MethodCall | Unary | Binary;

/** A parsed check: one expression of a check block (or a `wait until`/`when:` condition). */
export interface CheckExpr {
  /** The text the offsets refer to (the whole block for checks of a block). */
  text: string;
  expr: Expr;
  /** `still <expr>`: must hold after the step, may already hold before it. */
  still: boolean;
  /** Offsets of the whole check (including `still`). */
  start: number;
  end: number;
}

export function sourceOf(text: string, node: { start: number; end: number }): string {
  return text.slice(node.start, node.end);
}
