-- Seeded random string.format conversions: flags, width, precision and numbers of every
-- magnitude (exact ties included), each through pcall so errors compare too.
local seed = 777
local function rnd(n) seed = (seed * 16807) % 2147483647 return seed % n end
local FLAGS = {'', '', '-', '+', ' ', '#', '0', '-0', '+0', ' #', '#0', '-+ #0'}
local CONVS = {'d', 'i', 'u', 'x', 'X', 'o', 'c', 'e', 'E', 'f', 'g', 'G', 'g', 'f', 'e', 's', 'q'}
local P = {1e-300, 1e-20, 1e-7, 1e-5, 1e-4, 1e-3, 0.1, 1, 10, 1e5, 1e6, 1e14, 1e15, 1e16, 1e17, 1e21, 1e300}
local function number()
  local k = rnd(9)
  if k == 0 then return rnd(2000) - 1000 end
  if k == 1 then return (rnd(2000) - 1000) / 8 end            -- exact binary fractions: ties
  if k == 2 then return (rnd(2000000) - 1000000) / 1000 end
  if k == 3 then return rnd(2147483647) * 4294967296 + rnd(2147483647) end
  if k == 4 then return -rnd(2147483647) * 8589934592 end
  if k == 5 then return (rnd(20000) - 10000) / 7 * P[rnd(#P) + 1] end
  if k == 6 then return 0.5 + rnd(10) end
  if k == 7 then return ({0, 0.125, 1/0, -1/0, 2^53, 2^63, -2^63, 2^64, 255, 256})[rnd(10) + 1] end
  return rnd(1000) / 1000 * P[rnd(#P) + 1]
end
local out = {}
for i = 1, 1500 do
  local spec = '%' .. FLAGS[rnd(#FLAGS) + 1]
  if rnd(2) == 0 then spec = spec .. rnd(30) end
  if rnd(2) == 0 then spec = spec .. '.' .. rnd(25) end
  local conv = CONVS[rnd(#CONVS) + 1]
  spec = spec .. conv
  local arg = number()
  if conv == 's' or conv == 'q' then arg = ({'abc', 'a\0b', '', 'quote"d\n', string.rep('z', 120)})[rnd(5) + 1] end
  if conv == 'c' then arg = rnd(300) end
  local ok, r = pcall(string.format, '[' .. spec .. ']', arg)
  out[#out + 1] = spec .. ' ' .. tostring(ok) .. ' ' .. r
end
return table.concat(out, '\n')
