/**
 * The libraries Redis 7.0 loads on top of Lua's base set (script_lua.c, luaLoadLibraries):
 * string (with the string metatable), cjson, struct, cmsgpack and bit. The scripting layer
 * calls openRedisLibs on each new state.
 */
import type { LuaTable } from './value';
import { openString } from './string';
import { openCjson } from './cjson';
import { openStruct } from './struct';
import { openCmsgpack } from './cmsgpack';
import { openBit } from './bit';

export function openRedisLibs(L: { globals: LuaTable; stringMetatable: LuaTable | undefined }): void {
  openString(L);
  openCjson(L);
  openStruct(L);
  openCmsgpack(L);
  openBit(L);
}
