/** The awk program as the parser leaves it and the interpreter walks it. */

export type Expr =
  | { type: 'num'; value: number }
  | { type: 'str'; value: string }
  /** A regex literal on its own: a match against $0. */
  | { type: 'regex'; source: string }
  | { type: 'var'; name: string }
  | { type: 'index'; name: string; subs: Expr[] }
  | { type: 'field'; index: Expr }
  | { type: 'assign'; op: string; target: LValue; value: Expr }
  | { type: 'cond'; test: Expr; yes: Expr; no: Expr }
  | { type: 'and' | 'or'; left: Expr; right: Expr }
  | { type: 'in'; subs: Expr[]; name: string }
  | { type: 'match'; negate: boolean; left: Expr; re: Expr }
  | { type: 'binary'; op: string; left: Expr; right: Expr }
  | { type: 'concat'; left: Expr; right: Expr }
  | { type: 'unary'; op: '-' | '+' | '!'; arg: Expr }
  | { type: 'incdec'; op: '++' | '--'; prefix: boolean; target: LValue }
  | { type: 'call'; name: string; args: Expr[]; line: number }
  | { type: 'builtin'; name: string; args: Expr[] }
  /** `getline [var] [< file]` (`file` null: the current input). */
  | { type: 'getline'; target: LValue | null; file: Expr | null }
  | { type: 'group'; expr: Expr };

export type LValue = Extract<Expr, { type: 'var' | 'index' | 'field' }>;

export interface Redirect { mode: '>' | '>>'; file: Expr }

export type Stmt =
  | { type: 'expr'; expr: Expr }
  | { type: 'print'; args: Expr[]; redirect: Redirect | null }
  | { type: 'printf'; args: Expr[]; redirect: Redirect | null }
  | { type: 'if'; test: Expr; then: Stmt; else: Stmt | null }
  | { type: 'while'; test: Expr; body: Stmt }
  | { type: 'do'; body: Stmt; test: Expr }
  | { type: 'for'; init: Expr | null; test: Expr | null; step: Expr | null; body: Stmt }
  | { type: 'forin'; key: LValue; array: string; body: Stmt }
  | { type: 'block'; body: Stmt[] }
  | { type: 'next' | 'nextfile' | 'break' | 'continue' }
  | { type: 'exit'; code: Expr | null }
  | { type: 'return'; value: Expr | null }
  | { type: 'delete'; name: string; subs: Expr[] | null };

export type Pattern =
  | { type: 'begin' }
  | { type: 'end' }
  | { type: 'all' }
  | { type: 'expr'; expr: Expr }
  | { type: 'range'; from: Expr; to: Expr };

export interface Rule { pattern: Pattern; action: Stmt[] | null }

export interface FuncDef { name: string; params: string[]; body: Stmt[] }

export interface Program { rules: Rule[]; funcs: Map<string, FuncDef> }
