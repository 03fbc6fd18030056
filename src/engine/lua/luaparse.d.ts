// Minimal types for luaparse 0.3 (no maintained types package for 0.3). Nodes are kept loose:
// compile.ts reads the fields it needs per node type.
declare module 'luaparse' {
  export interface Position { line: number; column: number }
  export interface Node {
    type: string;
    loc?: { start: Position; end: Position };
    range?: [number, number];
    [field: string]: any;
  }
  export interface Chunk extends Node { type: 'Chunk'; body: Node[] }
  export interface Options {
    wait?: boolean;
    comments?: boolean;
    scope?: boolean;
    locations?: boolean;
    ranges?: boolean;
    luaVersion?: '5.1' | '5.2' | '5.3' | 'LuaJIT';
    encodingMode?: 'none' | 'pseudo-latin1' | 'x-user-defined';
  }
  /** Thrown on syntax errors: message "[line:column] text". */
  export interface LuaparseSyntaxError extends SyntaxError { line: number; column: number; index: number }
  export function parse(code: string, options?: Options): Chunk;
  const luaparse: { parse: typeof parse };
  export default luaparse;
}
