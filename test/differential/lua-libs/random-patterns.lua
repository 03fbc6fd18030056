-- Seeded random patterns against random subjects: find, match, gmatch and gsub results
-- (or their errors, through pcall) joined into one string.
local seed = 4242
local function rnd(n) seed = (seed * 16807) % 2147483647 return seed % n end
local ALPHA = {'a', 'b', 'c', 'A', '1', ' ', '.', '(', ')', '%', '-', '\0', '\200', 'x', ']'}
local ITEMS = {'a', 'b', 'c', 'a', '.', '.', '.', 'A', '1', ' ', '%a', '%s',
  'a', 'b', '.', '%a', '%d', '%s', '%w', '%p', '%u', '%l', '%x', '%c', '%z', '%A', '%S',
  '[abc]', '[^a]', '[a-c]', '[%a%d]', '[]]', '[%]]', '%.', '%%', '%(', 'x', '%b()', '%f[%a]', '%f[%z]', '%1'}
local QUANT = {'', '', '', '*', '+', '-', '?'}
local function subject()
  local t = {}
  for i = 1, rnd(20) do t[i] = ALPHA[rnd(#ALPHA) + 1] end
  return table.concat(t)
end
local function pattern()
  local t = {}
  if rnd(4) == 0 then t[#t + 1] = '^' end
  local open = 0
  for i = 1, rnd(5) + 1 do
    local k = rnd(10)
    if k == 0 then t[#t + 1] = '(' open = open + 1
    elseif k == 1 and open > 0 then t[#t + 1] = ')' open = open - 1
    elseif k == 2 then t[#t + 1] = '()'
    else t[#t + 1] = ITEMS[rnd(#ITEMS) + 1] .. QUANT[rnd(#QUANT) + 1] end
  end
  if rnd(4) > 0 then for i = 1, open do t[#t + 1] = ')' end end
  if rnd(5) == 0 then t[#t + 1] = '$' end
  if rnd(20) == 0 then t[#t + 1] = '(' end
  if rnd(20) == 0 then t[#t + 1] = '%' end
  return table.concat(t)
end
local function show(...)
  local t = {}
  for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end
  return table.concat(t, ',')
end
local out = {}
for i = 1, 400 do
  local s, p = subject(), pattern()
  out[#out + 1] = p .. ' | ' .. s
  out[#out + 1] = show(pcall(string.find, s, p, rnd(5) - 1))
  out[#out + 1] = show(pcall(string.match, s, p))
  out[#out + 1] = show(pcall(string.gsub, s, p, '<%0>', rnd(4) == 0 and 2 or nil))
  out[#out + 1] = show(pcall(function()
    local r = {}
    for a, b in string.gmatch(s, p) do r[#r + 1] = tostring(a) .. '/' .. tostring(b) end
    return table.concat(r, ';')
  end))
end
return table.concat(out, '\n')
