local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end return hex(cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, 2^53, -1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, -2^63))
====
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end return hex(cmsgpack.pack(0.5, 0.1, 1/0, -1/0, 1e300, 3.25, -0.0, 2^64, 2^63, -2^64))
====
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end return hex(cmsgpack.pack('', 'abc', string.rep('x', 31), string.rep('y', 32)))
====
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end return hex(cmsgpack.pack(string.rep('x', 256))):sub(1, 10) .. hex(cmsgpack.pack(string.rep('x', 65536))):sub(1, 12)
====
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end return hex(cmsgpack.pack({}, {1, 2, 3}, {a = 1}, {[1] = 1, [3] = 3}, {nil, 2}, true, false, nil))
====
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end local t = {} for i = 1, 20 do t[i] = i end return hex(cmsgpack.pack(t))
====
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return hex(cmsgpack.pack(t))
====
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end return hex(cmsgpack.pack(string.len, {[1.5] = 1}))
====
return cmsgpack.pack()
====
return {cmsgpack.unpack(cmsgpack.pack(1, 'a', {1, 2, {3}}, -5, 1.5, 300, -300, 70000, -70000, 2^40, -2^40))}
====
local a, b, c = cmsgpack.unpack(cmsgpack.pack(true, false, nil)) return {tostring(a), tostring(b), tostring(c)}
====
return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3))}
====
return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 2)}
====
return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 3)}
====
return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)}
====
return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 0)}
====
return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 5, 1)}
====
return cmsgpack.unpack_one('abc', -1)
====
return cmsgpack.unpack_one('abc', 10)
====
return cmsgpack.unpack('\205\1')
====
return cmsgpack.unpack('\193')
====
return cmsgpack.unpack('\196\1a')
====
return cmsgpack.unpack('')
====
return {cmsgpack.unpack('\207\255\255\255\255\255\255\255\255', '\211\128\0\0\0\0\0\0\0', '\206\255\255\255\255')}
====
return {cmsgpack.unpack('\207\255\255\255\255\255\255\255\255\211\128\0\0\0\0\0\0\1\206\255\255\255\255\208\128\209\128\0\210\128\0\0\0')}
====
return cmsgpack.unpack('\129\192\1')
====
return #{cmsgpack.unpack(string.rep('\1', 7998))}
====
return #{cmsgpack.unpack(string.rep('\1', 7999))}
====
local t = cmsgpack.unpack(cmsgpack.pack({a = {b = 'c'}})) return t.a.b
====
return cmsgpack._VERSION
====
return cmsgpack.unpack_limit('x')
====
return cmsgpack.unpack(5)
