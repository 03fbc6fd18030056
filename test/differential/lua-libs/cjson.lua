return cjson.encode({1, 2, 3, 'a', true, false})
====
return cjson.encode({a = 1})
====
return cjson.encode({})
====
return cjson.encode({[1] = 1, [2] = 2, [4] = 4})
====
return cjson.encode({[1] = 1, [20] = 2})
====
return cjson.encode({[0] = 1})
====
return cjson.encode({[1.5] = 1})
====
return cjson.encode('a"b\\c/d\n\r\t\b\f\1\127\200\255')
====
return cjson.encode(0.1)
====
return cjson.encode({1/3, 1e100, -0.0, 123456789012345, 2^53, 1e-7, 100})
====
return cjson.encode(1/0)
====
return cjson.encode({f = function() end})
====
return cjson.encode({[true] = 1})
====
return cjson.encode(cjson.null)
====
return cjson.encode({cjson.null, 1})
====
return cjson.encode()
====
return cjson.encode(1, 2)
====
return cjson.encode(nil)
====
local t = {} local c = t for i = 1, 1100 do c[1] = {} c = c[1] end return cjson.encode(t)
====
local t = {} local c = t for i = 1, 999 do c[1] = {} c = c[1] end return #cjson.encode(t)
====
return cjson.encode_max_depth(5)
====
return cjson.encode_max_depth(0)
====
return cjson.encode_max_depth('x')
====
return {cjson.encode_sparse_array(true, 3, 5)}
====
cjson.encode_sparse_array(true) return cjson.encode({[1] = 1, [20] = 2})
====
cjson.encode_sparse_array(false, 0) return cjson.encode({[1] = 1, [20] = 2})
====
return cjson.encode_sparse_array('maybe')
====
return cjson.encode_sparse_array(1, 2, 3, 4)
====
cjson.encode_invalid_numbers(true) return cjson.encode({1/0, -1/0, 0/0})
====
cjson.encode_invalid_numbers('null') return cjson.encode({1/0, -1/0, 0/0})
====
return cjson.encode_invalid_numbers('null')
====
cjson.encode_number_precision(3) return cjson.encode({3.14159, 1234567})
====
return cjson.encode_number_precision(15)
====
return cjson.encode_keep_buffer(false)
====
return cjson.decode_invalid_numbers(false)
====
return cjson.decode('[1,2,3,"a",true,false,null]')[7] == cjson.null
====
local t = cjson.decode('{"a":{"b":[1,2,{"c":"d"}]}}') return t.a.b[3].c
====
return cjson.decode('"\\u00e9\\u20ac\\ud83d\\ude00\\n\\/"')
====
return cjson.decode('"\\ud83d"')
====
return cjson.decode('"\\ude00"')
====
return cjson.decode('"\\x"')
====
return cjson.decode('"abc')
====
return cjson.decode('[1,2')
====
return cjson.decode('[1 2]')
====
return cjson.decode('{"a" 1}')
====
return cjson.decode('{1:2}')
====
return cjson.decode('{"a":}')
====
return cjson.decode('')
====
return cjson.decode('  ')
====
return cjson.decode('nul')
====
return cjson.decode('[1]x')
====
return cjson.decode('[1]\0x')[1]
====
return cjson.decode('\0x')
====
return {cjson.decode('[0x10, +5, 1e2, -0, 012, 1.5e-3]')}
====
return cjson.decode('[0x10, +5, 1e2, -0, 012, 1.5]')[1] + cjson.decode('[0x10, +5, 1e2, -0, 012, 1.5]')[2]
====
return tostring(cjson.decode('inf')) .. tostring(cjson.decode('-Infinity')) .. tostring(cjson.decode('nan') ~= cjson.decode('nan'))
====
cjson.decode_invalid_numbers(false) return cjson.decode('0x10')
====
cjson.decode_invalid_numbers(false) return cjson.decode('+1')
====
cjson.decode_invalid_numbers(false) return cjson.decode('012')
====
return cjson.decode('-')
====
return cjson.decode('1.')
====
return cjson.decode('.5')
====
return cjson.decode(5)
====
return cjson.decode({})
====
local s = string.rep('[', 1001) .. string.rep(']', 1001) return cjson.decode(s)
====
local s = string.rep('{"a":', 1001) return cjson.decode(s)
====
cjson.decode_max_depth(2) return cjson.decode('[[[1]]]')
====
local t = cjson.decode('{"a":1,"b":[1,2],"c":{}}') return cjson.encode(t.b) .. cjson.encode(t.c)
====
local j = cjson.new() j.encode_max_depth(1) return {pcall(j.encode, {{}}), cjson.encode({{}})}
====
return cjson._NAME .. cjson._VERSION
====
return cjson.encode({["1"] = 'x'})
====
return cjson.encode({[1] = 'a', [2] = 'b', x = 1})
====
return cjson.encode({[-1] = 'a'})
====
return cjson.encode({[1e10] = 1})

====
return tostring(cjson.null)
====
return tostring(cjson.new().null == cjson.null) .. type(cjson.null)
====
return cjson.decode('[]') == nil and 'nil' or cjson.encode(cjson.decode('[]'))
====
return cjson.encode(cjson.decode('{}'))
====
return cjson.encode({[1] = 'a', [2] = cjson.null, [3] = 'c'})
====
return string.format('%s %s', cjson.null, 1)
====
return cjson.encode(string.rep('é', 3))
====
return cjson.decode('"\\u0000a"')
====
return #cjson.decode('"\\u0000a"')
====
return string.format('%-5s|%5s|', 'ab', 'cd') .. string.format('%.0s|', 'abc')
====
local t = setmetatable({}, {__index = function(t, k) return k * 2 end}) return {string.gsub('1 2 3', '%d', t)}
====
return {pcall(string.gsub, 'abc', '%w', {a = true})}
====
return cmsgpack.unpack(cmsgpack.pack(setmetatable({}, {__index = function(t, k) return 'i' .. k end})))
