-- Seeded random struct formats: pack random values, unpack the result, and unpack random
-- bytes; errors compare through pcall.
local seed = 99
local function rnd(n) seed = (seed * 16807) % 2147483647 return seed % n end
local OPTS = {'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I', 'i3', 'I5', 'i8', 'I12', 'f', 'd', 'x', 'c2', 's', '<', '>', '!', '!2', '!4', ' '}
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end
local function bytes(n)
  local t = {}
  for i = 1, n do t[i] = string.char(rnd(256)) end
  return table.concat(t)
end
local function show(...)
  local t = {}
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    t[i] = type(v) == 'string' and hex(v) or type(v) == 'number' and string.format('%.17g', v) or tostring(v)
  end
  return table.concat(t, ',')
end
local out = {}
for i = 1, 400 do
  local f, vals = {}, {}
  for j = 1, rnd(6) + 1 do
    local o = OPTS[rnd(#OPTS) + 1]
    f[#f + 1] = o
    local c = o:sub(1, 1)
    if c == 'c' or c == 's' then vals[#vals + 1] = bytes(rnd(4))
    elseif c:match('[bBhHlLTiI]') then
      local k = rnd(4)
      vals[#vals + 1] = k == 0 and rnd(256) - 128 or k == 1 and rnd(2147483647) * 65536 or k == 2 and -rnd(2147483647) * 3 or 2 ^ 63
    elseif c == 'f' or c == 'd' then vals[#vals + 1] = (rnd(200000) - 100000) / 37
    end
  end
  local fmt = table.concat(f)
  local ok, p = pcall(struct.pack, fmt, unpack(vals))
  out[#out + 1] = fmt .. ' ' .. tostring(ok) .. ' ' .. (ok and hex(p) or p)
  if ok then out[#out + 1] = show(pcall(struct.unpack, fmt, p)) end
  out[#out + 1] = show(pcall(struct.unpack, fmt, bytes(rnd(40)), rnd(3) + 1))
  out[#out + 1] = tostring(pcall(struct.size, fmt)) .. ' ' .. tostring(select(2, pcall(struct.size, fmt)))
end
return table.concat(out, '\n')
