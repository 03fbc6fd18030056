/**
 * The Lua interpreter (src/engine/lua) against real Redis 7.0.15's embedded Lua 5.1: every
 * chunk runs through `EVAL <chunk> 0` on the real server and through our interpreter directly;
 * our result is converted to RESP2 the way Redis converts Lua values (luaReplyToRedisReply),
 * errors are compared by their message text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLuaState, LuaError, LuaFunction, LuaTable, luaToBytes, luaType, numberToString, toInteger, type LuaValue } from '../../src/engine/lua/index';
import { haveRealRedis, startRealRedis, type RealRedis } from '../support/real-redis';
import type { RawClient } from '../support/raw-client';

/** Lua value → RESP2 bytes as Redis 7.0 converts a script's return value. */
function toResp(v: LuaValue): string {
  if (typeof v === 'string') return `$${luaToBytes(v).length}\r\n${v}\r\n`;
  if (typeof v === 'number') return `:${BigInt(toInteger(v))}\r\n`;
  if (v === true) return ':1\r\n';
  if (v === undefined || v === false) return '$-1\r\n';
  if (v instanceof LuaTable) {
    const err = v.get('err');
    if (typeof err === 'string') return `-${err}\r\n`;
    const ok = v.get('ok');
    if (typeof ok === 'string') return `+${ok}\r\n`;
    const items: string[] = [];
    for (let i = 1; ; i++) {
      const x = v.get(i);
      if (x === undefined) break;
      items.push(toResp(x));
    }
    return `*${items.length}\r\n${items.join('')}`;
  }
  return '$-1\r\n';
}

/** Our answer, in the shape normalizeReal() gives the real one. */
/** Redis's view of the globals: some hidden, the rest read-only, unknown names an error. */
function redisLikeState() {
  const L = newLuaState();
  for (const name of ['print', 'newproxy', 'getfenv', 'setfenv']) L.globals.set(name, undefined);
  const mt = new LuaTable();
  mt.set('__index', new LuaFunction('__index', (L, a) => L.error(`Script attempted to access nonexistent global variable '${String(a[1])}'`)));
  L.globals.metatable = mt;
  // Redis makes the globals and every table reachable from them read-only.
  const seen = new Set<LuaTable>();
  const lock = (t: LuaTable) => {
    if (seen.has(t)) return;
    seen.add(t);
    t.readonly = true;
    for (let e = t.next(undefined); e !== null && e[0] !== undefined; e = t.next(e[0])) if (e[1] instanceof LuaTable) lock(e[1]);
    if (t.metatable) lock(t.metatable);
  };
  lock(L.globals);
  return L;
}

function ours(src: string): string {
  const L = redisLikeState();
  let fn;
  try {
    fn = L.load(src, '@user_script');
  } catch (e) {
    if (e instanceof LuaError) return `COMPILE ${String(e.value)}`;
    throw e;
  }
  try {
    return toResp(L.callProtected(fn, [])[0]);
  } catch (e) {
    if (e instanceof LuaError) {
      const v = e.value;
      if (v instanceof LuaTable && typeof v.get('err') === 'string') return `ERROR ${v.get('err') as string}`;
      return `ERROR ${typeof v === 'string' ? v : typeof v === 'number' ? numberToString(v) : luaType(v)}`;
    }
    throw e;
  }
}

function normalizeReal(reply: string): string {
  if (!reply.startsWith('-')) return reply;
  let m = reply.slice(1).replace(/\r\n$/, '');
  if (m.startsWith('ERR Error compiling script (new function): ')) return `COMPILE ${m.slice(43)}`;
  m = m.replace(/ script: [0-9a-f]{40}, on .*:\d+\.$/s, '');
  if (m.startsWith('ERR ')) m = m.slice(4);
  return `ERROR ${m}`;
}

const CASES: string[] = [
  // values and conversions
  'return 1', 'return 3.99', 'return -3.99', 'return "abc"', 'return true', 'return false', 'return nil',
  'return {1, 2, {3, "x"}, nil, 5}', 'return {1, false, 3}', 'return tostring(1/3)', 'return tostring(1e15)',
  'return tostring(123456789012345)', 'return tostring(-0)', 'return tostring(2^63)', 'return tostring(1e-5)',
  'return tostring(0/0) .. tostring(1/0) .. tostring(-1/0)', 'return tostring(1e100)', 'return tostring(0.1)',
  'return tonumber("0x10")', 'return tonumber("  12  ")', 'return tonumber("1e2")', 'return tostring(tonumber("z"))',
  'return tonumber("ff", 16)', 'return tonumber("zz", 36)', 'return tostring(tonumber("8", 8))', 'return tonumber(" 11 ", 2)',
  'return tostring(tonumber(""))', 'return tostring(tonumber("1 2"))', 'return tonumber("-0x10")', 'return tonumber(" .5 ") * 10',
  'return tonumber("10", 99)', 'return tonumber()', 'return "10" + 5', 'return "3" * "4"', 'return 10 .. 20',
  'return 7 % 3', 'return -7 % 3', 'return 7 % -3', 'return tostring(5.5 % 2)', 'return 2^10', 'return 7 / 2 * 2',
  'return type(nil) .. type(1) .. type("") .. type({}) .. type(print) .. type(true)',
  // operators and errors with variable names
  'local t = nil; return t.x', 'local t = {}; return t.x.y', 'return undefinedglobal.x', 'local t = {} return t.a.b.c',
  'local x; x()', 'local t = {} t.f()', 'local t = {} t:m()', 'undefinedfn()', 'local t = {}; t[1]()',
  'return 1 + nil', 'local x; return x + 1', 'local t = {}; return t.n + 1', 'return {} + 1', 'return "a" + 1',
  'return 1 < "2"', 'return {} < {}', 'return nil < 1', 'return 1 <= nil', 'return "a" > 1',
  'return "x" .. nil', 'local v; return "x" .. v', 'return {} .. "x"', 'local t = {} return t.k .. "x"',
  'return #nil', 'local n = 5; return #n', 'return -{}', 'local s = "x"; return -s',
  'local t = {} t[nil] = 1', 'local t = {} t[0/0] = 1', 'return {[nil] = 1}',
  'local function f() local x = nil; return x.field end return f()',
  'local up; local function f() return up.x end return f()',
  // control flow, closures, varargs
  'local s = 0 for i = 1, 10 do s = s + i end return s', 'local s = 0 for i = 10, 1, -2 do s = s + i end return s',
  'local s = 0 for i = 1, 3, 0.5 do s = s + i end return tostring(s)', 'for i = 1, "x" do end', 'for i = "a", 2 do end',
  'for i = 1, 2, {} do end', 'local s = 0 local i = 0 while i < 10 do i = i + 1 if i % 2 == 0 then s = s + i end end return s',
  'local i = 0 repeat local j = i; i = i + 1 until j >= 5 return i', 'local s = 0 for i = 1, 100 do if i > 10 then break end s = s + i end return s',
  'local fs = {} for i = 1, 3 do fs[i] = function() return i end end return {fs[1](), fs[2](), fs[3]()}',
  'local function counter() local n = 0 return function() n = n + 1 return n end end local c = counter() c() c() return c()',
  'local function f(...) return select("#", ...) end return f(1, nil, 3, nil)',
  'local function f(...) return ... end return {f(1, 2, 3)}', 'local function f(...) return ... end return {(f(1, 2, 3))}',
  'local function f() return 1, 2, 3 end return {f(), f()}', 'local function f() return 1, 2, 3 end local a, b, c, d = f() return {a, b, c, tostring(d)}',
  'local a, b = 1 return tostring(b)', 'local a, b, c = (function() return 1, 2, 3 end)() return c',
  'return select(2, "a", "b", "c")', 'return select(-1, "a", "b", "c")', 'return select(0, 1)', 'return select("#")',
  'local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end return fib(20)',
  'local t = {} t.x, t.y = 1, 2 return t.x + t.y', 'local a, b = 1, 2 a, b = b, a return {a, b}',
  'local t = {1, 2} local i = 1 i, t[i] = i + 1, 20 return {i, t[1], t[2]}',
  'return (1 == 1) and "yes" or "no"', 'return nil or false', 'return false and nil', 'return 1 and 2', 'return not nil',
  'do local x = 5 end return tostring(x)',
  // tables
  'return #{1, 2, 3}', 'return #{1, nil, 3}', 'return #{nil, nil, 3}', 'return #{1, 2, nil}', 'return #{n = 1}',
  'local t = {10, 20, 30, [2] = 99} return t[2]', 'local t = {[1] = 5, 6} return t[1]',
  'local t = {} t[1.0] = "a" return t[1]', 'local t = {} t["1"] = "s" t[1] = "n" return {t["1"], t[1]}',
  'local t = {} for i = 1, 10 do t[i] = i end for i = 1, 10 do t[i] = nil end return #t',
  'local t = {1, 2, 3} local n = 0 for k, v in pairs(t) do n = n + k * v end return n',
  'local t = {10, 20, 30} local s = "" for i, v in ipairs(t) do s = s .. i .. "=" .. v .. ";" end return s',
  'local t = {1, 2, nil, 4} local n = 0 for _ in ipairs(t) do n = n + 1 end return n',
  'local t = {a = 1} t.a = nil for k in pairs(t) do return k end return "empty"',
  'local t = {} for i = 1, 5 do t["k" .. i] = i end for k in pairs(t) do t[k] = nil end return next(t) == nil',
  'return next({}, "nokey")', 'return rawequal({}, {})', 'local t = {} return rawequal(t, t)',
  'local t = setmetatable({}, {__index = function(t, k) return k .. "!" end}) return t.foo',
  'local t = setmetatable({}, {__index = {a = 1}}) return {t.a, rawget(t, "a") == nil}',
  'local log = {} local t = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 2) end}) t.x = 5 return t.x',
  'local mt = {__add = function(a, b) return 42 end} local x = setmetatable({}, mt) return x + 1',
  'local mt = {__eq = function() return true end} local a = setmetatable({}, mt) local b = setmetatable({}, mt) return a == b',
  'local mt = {__lt = function() return true end} local a = setmetatable({}, mt) local b = setmetatable({}, mt) return {a < b, a <= b}',
  'local mt = {__concat = function(a, b) return "cc" end} local a = setmetatable({}, mt) return a .. "x"',
  'local mt = {__call = function(self, x) return x * 2 end} local a = setmetatable({}, mt) return a(21)',
  'local mt = {__unm = function() return "neg" end} return -setmetatable({}, mt)',
  'local mt = {__tostring = function() return "OBJ" end} return tostring(setmetatable({}, mt))',
  'local mt = {__metatable = "locked"} local t = setmetatable({}, mt) return getmetatable(t)',
  'local t = setmetatable({}, {__metatable = 1}) setmetatable(t, {})',
  'local mt = {__len = function() return 99 end} return #setmetatable({1}, mt)',
  'local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x',
  'setmetatable(1, {})', 'setmetatable({}, 1)',
  // base library errors
  'return pcall(error, "x")', 'return {pcall(error, "msg", 0)}', 'local ok, e = pcall(error) return tostring(e)',
  'local ok, e = pcall(error, {code = 7}) return e.code', 'error("boom")', 'error("boom", 0)', 'error("boom", 2)',
  'local function f() error("deep", 2) end f()', 'error({err = "custom error"})', 'error()', 'error(nil)',
  'error(12)', 'error(12, 0)', 'error(1.5)', 'local ok, e = pcall(error, 7) return e', 'assert(false)', 'assert(nil, "my message")', 'assert(1 == 1, "unused") return "ok"', 'assert()', 'return assert(1, 2, 3)',
  'local ok, e = pcall(function() local x = nil; return x.y end) return e',
  'return xpcall(function() error("E") end, function(m) return "handled: " .. m end)',
  'return {xpcall(function() return 1, 2 end, print)}', 'return select(2, xpcall(function() error({}) end, function(e) return type(e) end))',
  'return type()', 'return tostring()', 'return rawget(1)', 'return rawget({})', 'return ipairs()',
  'return pairs(nil)', 'return next()', 'return unpack()', 'return unpack({1, 2, 3})', 'return {unpack({1, 2, 3}, 2)}',
  'return {unpack({1, 2, 3}, 2, 5)}', 'return select("x")', 'return setmetatable()',
  'local f = loadstring("return 1 + 1") return f()', 
  'local f, e = loadstring("x = ", "=mychunk") return e', 'local f = loadstring("return ...") return f(7)',
  'return loadstring("error(\'in chunk\')")()', 'return type(gcinfo())', 'return type(collectgarbage("count"))',
  'return collectgarbage("bogus")', 'return _VERSION',
  // table library
  'local t = {} table.insert(t, "a") table.insert(t, 1, "b") return t', 'local t = {1, 2, 3} table.insert(t, 2, 9) return t',
  'table.insert({}, 1, 2, 3)', 'table.insert(nil, 1)', 'table.insert({})',
  'local t = {1, 2, 3} local v = table.remove(t) return {v, #t}', 'local t = {1, 2, 3} local v = table.remove(t, 1) return {v, t[1], t[2], #t}',
  'local t = {} return table.remove(t)', 'return table.concat({1, 2, "x"}, ", ")', 'return table.concat({1, 2, 3}, "-", 2, 3)',
  'return table.concat({1, {}, 3})', 'return table.concat({}, "x")', 'return table.getn({1, 2})', 'return table.maxn({1, 2, [10] = 1})',
  'table.setn({}, 1)', 'local t = {5, 2, 8, 1, 9, 3} table.sort(t) return t',
  'local t = {5, 2, 8, 1, 9, 3} table.sort(t, function(a, b) return a > b end) return t',
  'local t = {"b", "a", "C", "c"} table.sort(t) return t', 'table.sort({1, "x"})', 'table.sort({1, 2, 3}, 1)',
  'local t = {} for i = 1, 30 do t[i] = (i * 7) % 11 end table.sort(t, function(a, b) return true end) return t',
  'local t = {} for i = 1, 50 do t[i] = (i * 37) % 23 end table.sort(t) return t',
  'local t = {} for i = 1, 20 do t[i] = {k = i % 3, id = i} end table.sort(t, function(a, b) return a.k < b.k end) local r = {} for i = 1, 20 do r[i] = t[i].id end return r',
  'local s = 0 table.foreachi({4, 5}, function(i, v) s = s + i * v end) return s',
  // math library
  'return math.floor(3.7)', 'return math.ceil(3.2)', 'return tostring(math.sqrt(2))', 'return math.max(1, 5, 3)', 'return math.min(4, 2, 8)',
  'return math.max()', 'return math.floor("x")', 'return tostring(math.pi)', 'return tostring(math.huge)', 'return math.abs(-5)',
  'return tostring(math.fmod(7, 3)) .. tostring(math.fmod(-7, 3))', 'return {math.modf(3.7)}', 'return tostring(select(2, math.modf(-3.5)))',
  'return {math.frexp(8)}', 'return math.ldexp(0.5, 4)', 'return tostring(math.log(10))', 'return math.log10(1000)', 'return tostring(math.exp(1))',
  'return math.pow(2, 8)', 'return tostring(math.sin(1))', 'return tostring(math.deg(math.pi))', 'return math.random(0)', 'return math.random(3, 1)',
  'math.randomseed(42) local a = math.random(1000) math.randomseed(42) return a == math.random(1000)',
  'math.randomseed(7) return {math.random(100), math.random(100), math.random(5, 10), tostring(math.random())}',
  'math.randomseed(0) return tostring(math.random())', 'return math.random(1, 2, 3)',
  // syntax errors
  'return 1 +', 'x = = 1', 'local 1 = 2', 'if x then', 'return "unfinished', 'for i = 1 do end', 'local t = {1, 2',
  'local function () end', 'return ...', 'break', 'x = 1e', 'return 0x',
  'return [[', 'goto continue', 'return a.b:c',
  'local f, e = loadstring("return +") return e', 'return 1 1', 'f(', 'local x <const> = 1', 'x', 'f() = 1', '(x) = 1', 'x, f() = 1, 2',
  'local t = {a = 1, b}', 'local t = {[1] = }', 'local t = {a = 1 b = 2}', 'if x then return 1 1 end', 'while true do break; x = 1 end',
  'local function f(a, b, ...) return ... end return f(1)', 'local function f(a, 1) end', 'function f(...) local function g() return ... end end',
  'return "abc\\q"', 'return "\\300"', 'return "line\nbreak"', 'return 3..2', 'return 0x1p', 'return 1e+', 'return .5', 'return a.b.c:d "x"',
  'local s = [==[ abc ]=] ]==] return s', 'return [=[ x', 'return [= x', 'return [[ a [[ b ]]', '--[[ unfinished', 'return 1 -- ok',
  'return @', 'return ~1', 'return 1 ~= 2', 'for i in 1 do end', 'for i, 2 in x do end', 'for i = 1 end',
  'if x then else elseif y then end', 'repeat local x = 1 until', 'function a.b:c.d() end', 'local a.b = 1', 'return not', 'return - - 1',
  'x = function() end end', 'return {...}', 'local t = {} t.x.y.z = 1', 'return (1)(2)',
  'local x = 1\n\n\nif x then\n  y = 2\n', 'local x = 1\nreturn x +\n\n', 'local t = {\n1,\n2\n', 'f\n(g)', 'local s = "abc\ndef"',
  'return "\\\n"', 'return \'it\\\'s\'',
  // Redis's read-only tables
  'x = 1', 'math.pi = 1', 'math.x = nil', 'table.insert(math, 1)', 'rawset(_G, "x", 1)', 'setmetatable(_G, {})', 'setmetatable(math, nil)',
  'local t = math t.y = 2', 'table.remove(table)', 'table.sort(coroutine)', 'return pcall(function() x = 1 end)', 'local t = {} t.x = 1 return t.x',
  'local co = coroutine.create(function() y = 1 end) return {coroutine.resume(co)}', 'function f() end',
  // positions on multi-line code
  'local t = nil\nlocal x = t\n  .y\nreturn x', 'local function f(a)\n  return a.b\nend\n\nreturn f(nil)', 'local x = 1\nlocal y = x +\n  nil\nreturn y',
  'local f = nil\nf(\n1,\n2)', 'local t = {}\nt.a.b = 1', 'local function f()\n  error("deep", 2)\nend\nlocal function g()\n  f()\nend\ng()',
  'local s = "a"\n  .. nil', 'local t = {}\nlocal n = #t.x', 'local x = 1\nif x < nil then end', 'error("top", 1)\n',
  'local t = setmetatable({}, {__index = function(t, k)\n  error("idx " .. k)\nend})\nreturn t.foo', 'local t = {}\ntable.insert(t,\n1, 2, 3)',
  // more error naming
  'return ("x")()', 'local s; s:foo()', 'local t = {x = {}} return t.x .. ""', 'local t = {b = true} return t.b + 1', 'return -nil',
  'local up = nil local function f() return up() end return f()', 'local up = nil local function f() return up.x end return f()',
  'local t = {} return t[1] .. "x"', 'local t = {} local k = "key" return t[k] + 1', 'return math.floor(nil)', 'return (nil)()',
  'local a = {} local b = a.b.c', 'return #{} + #"abc"', 'return {} == {}', 'return 1 == "1"', 'return "10" < "9"', 'return "a" < "b"',
  'local t = {} t[{}] = 1 local n = 0 for k in pairs(t) do n = n + 1 end return n', 'return rawset({}, nil, 1)', 'return tostring(nil) .. tostring(true)',
  'return select(2, pcall(function() return nil + 1 end))', 'return select(2, pcall(error, setmetatable({}, {__tostring = function() return "TS" end})))',
  'local ok, e = pcall(function() error() end) return tostring(e)', 'return pcall(error, 1, 2)',
  'local n = 0 local function f() n = n + 1 return 1 + f() end local ok, e = pcall(f) return e',
  'local function f(n) return 1 + f(n) end return f(1)', 'local function f(n)\n  local x = n\n  return 1 + f(n)\nend\nreturn f(1)',
  'local t = setmetatable({}, {__newindex = "oops"}) t.x = 1', 'local t = setmetatable({}, {__index = 5}) return t.x',
  'local t = setmetatable({}, {__call = 5}) return t()', 'return tostring(setmetatable({}, {__tostring = function() return 42 end}))',
  'local mt = {} mt.__index = mt local t = setmetatable({}, mt) return t.x', 'return unpack({}, 1, 3)', 'return unpack({1, 2}, -1, 1)',
  // unpack's lua_checkstack: results plus arguments within 8000 slots
  'return #{unpack({}, 1, 7997)}', 'return #{unpack({}, 1, 7998)}', 'local a = {} for i = 1, 7999 do a[i] = 1 end return #{unpack(a)}',
  'local a = {} for i = 1, 8000 do a[i] = 1 end return #{unpack(a)}', 'return select("#", unpack({}, 1, 1e7))',
  'return tonumber("1e500")', 'return tostring(tonumber("-1e500"))', 'return tostring(2^53 + 1)', 'return 2^31', 'return -2^31 - 1', 'return 1e20',
  'return tostring(3 % 0)', 'return tostring(-3 % math.huge)', 'return tostring(3 % -math.huge)', 'return tostring(0/0 == 0/0)',
  'return math.floor(-3.5) .. math.ceil(-3.5)', 'return tostring(math.max(0/0, 1))', 'return tostring(-0.0)', 'return 0.1 + 0.2 == 0.3',
  // lexical details and precedence
  'return "a\\z b"', 'return "\\x41"', 'return "\\65\\066\\0677"', 'return "tab\\tnl\\nq\\"\\\'"', 'return [[\nfirst line dropped]]', 'return [==[a]]b]==]',
  'return 0x1p4', 'return 0xA + 0Xb', 'return 1e2 + .5e1 + 3.', 'return 2^-2 * 8', 'return -2^2', 'return not 1 == 2', 'return 1 .. 2 .. 3', 'return "a" .. 1 + 2',
  'return 1 < 2 < 3', 'return 2^3^2', 'return 10 - 2 - 3', 'return 100 / 10 / 5', 'return 7 % 4 * 2', 'return #"abc" + 1', 'return -#"ab"', 'return not not nil',
  'return 1 and nil or 3', 'return false or nil', 'return (nil and 1) == nil', '--[==[ comment ]==] return 1', 'return 1 --[[ inline ]] + 1', 'return 1; ',
  'local x = 1 local x = x + 1 return x', 'local a, b, c = 1 return {a, b, c}', 'local t = {f = function(self) return self.v end, v = 9} return t:f()',
  'local function mk() local n = 0 return function() n = n + 1 return n end, function() return n end end local inc, get = mk() inc() inc() return get()',
  'local fs = {} local i = 1 while i <= 3 do local j = i fs[i] = function() return j end i = i + 1 end return {fs[1](), fs[2](), fs[3]()}',
  'local fs = {} for k, v in pairs({a = 1, b = 2}) do fs[#fs + 1] = function() return k .. v end end local r = {} for i, f in ipairs(fs) do r[i] = f() end table.sort(r) return r',
  'local fs = {} local i = 0 repeat i = i + 1 local x = i * 10 fs[i] = function() return x end until x >= 30 return {fs[1](), fs[2](), fs[3]()}',
  'local n = 0 for i = 0, 1, 0.1 do n = n + 1 end return n', 'local n = 0 for i = 1, 0 do n = n + 1 end return n', 'local n = 0 for i = 5, 5 do n = n + i end return n',
  'for i = 1, 3 do local i = i * 2 end return "ok"', 'local i = 99 for i = 1, 2 do end return i',
  'local s = 0 for i = 1, 3 do for j = 1, 3 do if j == 2 then break end s = s + 1 end end return s',
  'local t = {1, 2, 3} for i, v in ipairs(t) do t[i] = v * 2 end return t', 'local a = {} a.b = {} a.b.c = function() return "deep" end return a.b.c()',
  'return (function(...) local a, b = ... return a + b end)(3, 4)', 'return select("#", (function() end)())', 'return select("#", nil, nil)',
  'local t = {(function() return 1, 2 end)()} return #t', 'local t = {(function() return 1, 2 end)(), 3} return #t',
  'return type(function() end) == "function"', 'return tostring(nil) == "nil"', 'local x = {} x[1], x[2] = 1 return {x[1], x[2] == nil}',
  'local t = {} t.x, t.y = (function() return 1, 2 end)() return t.x + t.y', 'return math.max(unpack({3, 9, 2}))',
  // methods and OOP idioms
  'local Account = {} Account.__index = Account function Account.new(b) return setmetatable({balance = b}, Account) end function Account:deposit(v) self.balance = self.balance + v end local a = Account.new(10) a:deposit(5) return a.balance',
  'local o = {n = 1} function o.get(self) return self.n end return o:get()', 'local o = {} function o:f() return self == o end return o:f()',
  'local o = {x = {}} function o.x:f(a) return a end return o.x:f(7)', 'local s = {} function s:m() return self.v end return s.m({v = 3})',
  'local o = {} function o:bad() return self.x.y end return o:bad()', 'local o = {} o:nope()',
  // LUA_COMPAT_VARARG's arg
  'local function f(...) return arg.n end return f(1, 2)', 'local function f(...) local x = ... return type(arg) end return f(1, 2)',
  'local function f(...) return arg[2] end return f(1, "b")', 'local function f(a, ...) return {arg.n, arg[1], a} end return f(1, 2)',
  'local function f(...) return arg.n end return f()', 'local function f(...) local arg = 5 return arg end return f(1)',
  'local function f(...) return function() return arg[1] end end return f(9)()', 'return type(arg)',
  'local function f(...) local n = 0 for k in pairs(arg) do n = n + 1 end return n end return f(1, nil, 3)',
  // proper tail calls
  'local function loop(n) if n == 0 then return "done" end return loop(n - 1) end return loop(100000)',
  'local o = {} function o:m(n) if n == 0 then return n end return self:m(n - 1) end return o:m(50000)',
  'local function f() error("x", 2) end local function g() return f() end g()', 'local function f() error("x", 2) end local function g() f() end g()',
  'local function f() return tostring() end return f()', 'local function f(x) return x.y end local function g() return f(nil) end return g()',
  'local function f() local x = nil; x() end local function g() return f() end g()',
  'local function even(n) if n == 0 then return true end return odd(n - 1) end function odd(n) if n == 0 then return false end return even(n - 1) end return even(10)',
  'local t = setmetatable({}, {__call = function(self, n) return n * 2 end}) local function f() return t(21) end return f()',
  'local function f(...) return select("#", ...) end local function g() return f(1, 2, nil) end return g()',
  // table layout: pairs order and borders as Lua 5.1 lays tables out
  'local t = {a = 1, b = 2, c = 3, d = 4, e = 5} local r = {} for k in pairs(t) do r[#r + 1] = k end return r',
  'local t = {} for _, k in ipairs({"x", "y", "z", "foo", "bar", "baz", "hello", "world"}) do t[k] = true end local r = {} for k in pairs(t) do r[#r + 1] = k end return r',
  'local t = {10, 20, 30, x = 1, y = 2, [100] = 3, [-1] = 4, [2.5] = 5} local r = {} for k in pairs(t) do r[#r + 1] = tostring(k) end return r',
  'local t = {} for i = 1, 20 do t[i * 3] = i end local r = {} for k in pairs(t) do r[#r + 1] = k end return r',
  'local t = {} for i = 20, 1, -1 do t[i] = i end local r = {} for k in pairs(t) do r[#r + 1] = k end return r',
  'local t = {} t[true] = 1 t[false] = 2 t.k = 3 t[1] = 4 local r = {} for k in pairs(t) do r[#r + 1] = tostring(k) end return r',
  'local t = {a = 1, b = 2, c = 3} t.b = nil t.d = 4 t.e = 5 local r = {} for k in pairs(t) do r[#r + 1] = k end return r',
  'local t = {} for i = 1, 100 do t["key" .. i] = i end for i = 1, 100, 3 do t["key" .. i] = nil end local r = {} for k in pairs(t) do r[#r + 1] = k end return r',
  'local t = {} t[1] = 1 t[2] = 2 t[3] = 3 t[2] = nil return #t', 'local t = {} t[1] = 1 t[2] = 2 t[4] = 4 return #t',
  'local t = {1, 2, 3, 4, 5} t[3] = nil return #t', 'local t = {1, 2, 3, 4, 5, 6, 7, 8} t[8] = nil t[4] = nil return #t',
  'local t = {nil, 2} return #t', 'local t = {1, nil, 3, nil} return #t', 'local t = {} t[2] = 2 t[3] = 3 return #t',
  'local t = {} for i = 1, 10 do t[i] = i end t[5] = nil return #t', 'local t = {1, 2, 3} t[5] = 5 return #t',
  'local t = {n = 1, 1, 2, 3} t[4] = 4 t[6] = 6 return #t',
  'local t = {} for i = 1, 60 do t[#t + 1] = i end for i = 1, 60, 2 do t[i] = nil end return #t',
  'local t = {[1] = 1, [2] = 2, [3] = 3} t[4] = 4 return {#t, next(t)}',
  'local t = {} for i = 1, 100 do t[i] = i end for i = 1, 100 do t[i] = nil end t.x = 1 return next(t)',
  'local t = {} for i = 1, 10 do t[i .. ""] = i end local s = "" for k, v in pairs(t) do s = s .. k .. "," end return s',
  'local r = {} for k in pairs({1.5, 2.5, [0.5] = 1, [-0.5] = 2, [1e100] = 3}) do r[#r + 1] = tostring(k) end return r',
  'local t = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, [51] = "k", x = 1} return {t[51], t[52], #t}',
  'local function f() return 1, 2, 3 end local t = {f(), f(), k = 1} local r = {} for k in pairs(t) do r[#r + 1] = tostring(k) end return r',
  // coroutines
  'local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b) local d, e = coroutine.yield(c * 2) return d + e end) local r = {} local ok, v = coroutine.resume(co, 1, 2) r[1] = v ok, v = coroutine.resume(co, 10) r[2] = v ok, v = coroutine.resume(co, 3, 4) r[3] = v r[4] = coroutine.status(co) r[5] = select(2, coroutine.resume(co)) return r',
  'local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) return {gen(), gen(), gen()}',
  'coroutine.yield(1)', 'local co = coroutine.create(function() return pcall(coroutine.yield, 1) end) return {coroutine.resume(co)}',
  'local co = coroutine.create(function() error("oops") end) return {coroutine.resume(co)}',
  'local co = coroutine.create(function() error({}) end) local ok, e = coroutine.resume(co) return type(e)',
  'local function gen(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end local s = 0 for v in gen(10) do s = s + v end return s',
  'local co co = coroutine.create(function() return coroutine.status(co) end) return {coroutine.resume(co)}',
  'return coroutine.running() == nil', 'return coroutine.create(print)', 'return coroutine.resume(1)', 'return coroutine.status()',
  'local f = coroutine.wrap(function() error("in wrap") end) f()',
  'local f = coroutine.wrap(function() return 1 end) f() f()',
  'local co = coroutine.create(function(...) return select("#", ...), coroutine.yield() end) coroutine.resume(co, 1, 2, 3) return {coroutine.resume(co, "a", "b")}',
  'local t = setmetatable({}, {__index = function(t, k) return coroutine.yield(k) end}) local co = coroutine.create(function() return t.x end) return {coroutine.resume(co)}',
  'local inner = coroutine.create(function() coroutine.yield("i1") return "idone" end) local outer = coroutine.create(function() local ok, v = coroutine.resume(inner) coroutine.yield(v) local ok2, v2 = coroutine.resume(inner) return v2 end) local r = {} for i = 1, 2 do local ok, v = coroutine.resume(outer) r[i] = v end return r',
  'local co = coroutine.create(function() local t = {} for k, v in pairs({a = 1, b = 2}) do t[#t + 1] = coroutine.yield(v) end return #t end) local n = 0 while true do local ok, v = coroutine.resume(co, 5) if coroutine.status(co) == "dead" then return v end n = n + 1 end',
  'local co = coroutine.create(function() local x = nil; coroutine.yield(1) return x.y end) coroutine.resume(co) return {coroutine.resume(co)}',
  // Lua's limit of 200 active locals per function
  `${Array.from({ length: 200 }, (_, i) => `local v${i} = ${i}`).join('\n')}\nreturn v199`,
  `${Array.from({ length: 201 }, (_, i) => `local v${i} = ${i}`).join('\n')}\nreturn v200`,
  `local ${Array.from({ length: 201 }, (_, i) => `a${i}`).join(', ')} = 1`,
  `local function f(x)\n${Array.from({ length: 199 }, (_, i) => `local v${i} = ${i}`).join(' ')}\nfor i = 1, 2 do end\nend`,
  `local function f(...)\n${Array.from({ length: 198 }, (_, i) => `local v${i} = ${i}`).join(' ')}\nlocal z\nend`,
  `${Array.from({ length: 150 }, (_, i) => `local v${i} = ${i}`).join(' ')}\ndo ${Array.from({ length: 50 }, (_, i) => `local w${i} = ${i}`).join(' ')} end\n${Array.from({ length: 50 }, (_, i) => `local x${i} = ${i}`).join(' ')}\nreturn x49`,
  `${Array.from({ length: 197 }, (_, i) => `local v${i} = ${i}`).join(' ')}\nfor k, v in pairs({}) do end return 1`,
  `${Array.from({ length: 196 }, (_, i) => `local v${i} = ${i}`).join(' ')}\nfor i = 1, 2 do end return 1`,
  // counting / big loops
  'local t = {} for i = 1, 100000 do t[i] = i * 2 end return #t',
  'local s = 0 for i = 1, 100000 do s = (s + i * 3) % 1000003 end return s',
];

describe.skipIf(!haveRealRedis())('Lua interpreter vs real Redis EVAL', () => {
  let real: RealRedis;
  let client: RawClient;
  beforeAll(async () => {
    real = await startRealRedis();
    client = await real.client();
  });
  afterAll(async () => {
    client?.close();
    await real?.stop();
  });

  it('words syntax errors as real Redis does for seeded random token soups (SCRIPT LOAD)', async () => {
    const toks = ['x', '=', '1', 'f', '(', ')', '{', '}', 'return', 'local', 'function', 'end', '...', 'while', 'do', 'break', 'if',
      'then', 'elseif', 'else', 'repeat', 'until', 'for', 'in', '.', ':', ',', '[', ']', ';', '..', '"s"', '[[x]]', '+', '-', '#',
      'not', 'and', '==', '~=', '<=', 'nil', 'true', '0x1F', '1e3', '\n', '--c\n', '@', '~', '3..4', "'u", '[=['];
    let seed = 20240601;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const mismatches: string[] = [];
    for (let i = 0; i < 600; i++) {
      const len = 1 + rnd(10);
      const parts: string[] = [];
      for (let j = 0; j < len; j++) parts.push(toks[rnd(toks.length)]);
      const src = parts.join(rnd(3) === 0 ? '' : ' ');
      const real = await client.call('SCRIPT', 'LOAD', src);
      const want = real.startsWith('-') ? normalizeReal(real) : 'OK';
      let got = 'OK';
      try {
        newLuaState().load(src, '@user_script');
      } catch (e) {
        if (!(e instanceof LuaError)) throw e;
        got = `COMPILE ${String(e.value)}`;
      }
      if (got !== want) mismatches.push(`${JSON.stringify(src)}\n   real: ${JSON.stringify(want)}\n   ours: ${JSON.stringify(got)}`);
    }
    expect(mismatches.join('\n')).toBe('');
  });

  it('evaluates seeded random operator expressions as real Redis does (values, coercions, errors)', async () => {
    const atoms = ['1', '0', '-2', '3.5', '1e15', '2^53', '0.1', '"10"', '"0x1A"', '" 7 "', '"abc"', '""', '"1e2"', 'nil', 'true', 'false',
      '{}', 'a', 'b', 't.k', 't[1]', '(1/0)', '(-1/0)', '#"xyz"', '#t'];
    const binops = ['+', '-', '*', '/', '%', '^', '..', '==', '~=', '<', '<=', '>', '>=', 'and', 'or'];
    const unops = ['-', 'not ', '#'];
    let seed = 777;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const gen = (depth: number): string => {
      const r = rnd(10);
      if (depth <= 0 || r < 4) return atoms[rnd(atoms.length)];
      if (r < 5) return `${unops[rnd(unops.length)]}${gen(depth - 1)}`;
      if (r < 6) return `(${gen(depth - 1)})`;
      return `${gen(depth - 1)} ${binops[rnd(binops.length)]} ${gen(depth - 1)}`;
    };
    const mismatches: string[] = [];
    for (let i = 0; i < 500; i++) {
      // tostring keeps floats exact in the reply (Redis truncates numbers to integers).
      const src = `local a, b, t = 5, "6", {k = 2, 9} local v = ${gen(3)} return {type(v), type(v) == "table" and "addr" or tostring(v)}`;
      const want = normalizeReal(await client.call('EVAL', src, '0'));
      const got = ours(src);
      if (got !== want) mismatches.push(`${src}\n   real: ${JSON.stringify(want)}\n   ours: ${JSON.stringify(got)}`);
    }
    expect(mismatches.slice(0, 20).join('\n')).toBe('');
  });

  it('answers each chunk as real Redis does', async () => {
    const mismatches: string[] = [];
    for (const src of CASES) {
      const want = normalizeReal(await client.call('EVAL', src, '0'));
      const got = ours(src);
      if (got !== want) mismatches.push(`${src}\n   real: ${JSON.stringify(want)}\n   ours: ${JSON.stringify(got)}`);
    }
    expect(mismatches.join('\n')).toBe('');
  });
});
