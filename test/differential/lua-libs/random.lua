-- Seeded pseudo-random values (Park-Miller: exact in doubles), encoded with cjson and
-- cmsgpack, decoded and encoded again. Arrays only: object key order follows the Lua
-- table's hash layout, which these checks leave out.
local seed = 12345
local function rnd(n) seed = (seed * 16807) % 2147483647 return seed % n end
local function rstr()
  local t = {}
  for i = 1, rnd(40) do t[i] = string.char(rnd(256)) end
  return table.concat(t)
end
local P = {1e-20, 1e-17, 1e-9, 1e-5, 1, 1e5, 1e9, 1e17, 1e23, 1e300}
local function rnum()
  local k = rnd(8)
  if k == 0 then return rnd(128) end
  if k == 1 then return -rnd(40) end
  if k == 2 then return rnd(70000) - 35000 end
  if k == 3 then return rnd(2147483647) * 65536 + rnd(65536) end
  if k == 4 then return -rnd(2147483647) * rnd(2147483647) end
  if k == 5 then return rnd(1000000) / 1024 end
  if k == 6 then return rnd(1000000) / 7 end
  -- Literal powers of ten: Lua's '^' is C's pow, which JS's Math.pow does not always match.
  return (rnd(2000) - 1000) * P[rnd(#P) + 1]
end
local function rval(depth)
  local k = rnd(depth > 3 and 4 or 6)
  if k == 0 then return rnum() end
  if k == 1 then return rstr() end
  if k == 2 then return rnd(2) == 1 end
  if k == 3 then return rnum() end
  local t = {}
  for i = 1, rnd(k == 4 and 5 or 20) do t[i] = rval(depth + 1) end
  return t
end
local out = {}
for i = 1, 60 do
  local v = {rval(0), rval(0), rval(0)}
  local j = cjson.encode(v)
  local m = cmsgpack.pack(v)
  out[#out + 1] = j
  out[#out + 1] = cjson.encode(cjson.decode(j))
  out[#out + 1] = m
  out[#out + 1] = cmsgpack.pack(cmsgpack.unpack(m))
end
return table.concat(out, '\n')
