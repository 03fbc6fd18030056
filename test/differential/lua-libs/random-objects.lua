-- Seeded random tables with string, integer and fractional keys (some deleted again):
-- cjson.encode (object key order, sparse-array rules, errors) and cmsgpack.pack (map order).
local seed = 31337
local function rnd(n) seed = (seed * 16807) % 2147483647 return seed % n end
local out = {}
for i = 1, 200 do
  local t = {}
  for j = 1, rnd(12) do
    local k = rnd(3)
    if k == 0 then t['k' .. rnd(50)] = rnd(100) elseif k == 1 then t[rnd(30) + 1] = 'v' .. j else t[rnd(1000) / 8] = j end
  end
  if rnd(3) == 0 then for j = 1, rnd(4) do t['k' .. rnd(50)] = nil end end
  local ok, j = pcall(cjson.encode, t)
  out[#out + 1] = tostring(ok) .. ' ' .. j
  out[#out + 1] = cmsgpack.pack(t)
end
return table.concat(out, '\n')
