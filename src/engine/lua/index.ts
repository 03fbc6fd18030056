/**
 * Entry point for embedders: `newLuaState()` gives a state with Redis's set of standard
 * libraries (base incl. coroutine, table, math, debug) opened; l2's string/cjson/cmsgpack/
 * struct/bit libraries are opened by the scripting layer. See value.ts for the API overview.
 */
import './compile';
import { openBase } from './lib-base';
import { openCoroutine } from './lib-coroutine';
import { openMath } from './lib-math';
import { openTable } from './lib-table';
import { LuaState } from './state';

export { LuaState } from './state';
export * from './value';
export { getRandomState, seedRandom, setRandomState } from './lib-math';
export { protectedCall } from './lib-base';

export function newLuaState(): LuaState {
  const L = new LuaState();
  openBase(L);
  openCoroutine(L);
  openTable(L);
  openMath(L);
  return L;
}
