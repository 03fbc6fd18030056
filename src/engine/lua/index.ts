/**
 * Entry point for embedders: `newLuaState()` gives a state with Redis's set of standard
 * libraries (base incl. coroutine, table, math, debug) opened; l2's string/cjson/cmsgpack/
 * struct/bit libraries are opened by the scripting layer. See value.ts for the API overview.
 */
import { LuaState } from './state';

export { LuaState } from './state';
export * from './value';

export function newLuaState(): LuaState {
  return new LuaState();
}
