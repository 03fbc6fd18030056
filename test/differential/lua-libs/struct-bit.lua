local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end return hex(struct.pack('>I2<I2bBhHlLTi3I5', 258, 258, -1, 255, -2, 65535, -3, 2^63, 5, -4, 2^40 - 1))
====
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end return hex(struct.pack('>fd<fd', 1.5, -2.25, 0.1, 1/3))
====
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end return hex(struct.pack('!4bi!8bdxc3sc0', 1, 2, 3, 4.5, 'abcdef', 'zz', 'tail'))
====
local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end return hex(struct.pack('>i16', -2)) .. ' ' .. hex(struct.pack('<I10', 2^64))
====
return {struct.unpack('>I2<I2bBhH', struct.pack('>I2<I2bBhH', 258, 258, -1, 255, -2, 65535))}
====
return {struct.unpack('>i16', struct.pack('>i16', -2))}
====
return {struct.unpack('<I9', string.rep('\255', 9))}
====
return {struct.unpack('<i9', string.rep('\255', 9))}
====
return {struct.unpack('!4bi!8bdxc3s', struct.pack('!4bi!8bdxc3s', 1, 2, 3, 4.5, 'abcdef', 'zz'))}
====
return {struct.unpack('bc0', '\3abcd')}
====
return {struct.unpack('c0', 'abc')}
====
return {struct.unpack('s', 'abc')}
====
return {struct.unpack('i', 'abc')}
====
return {struct.unpack('b', 'abc', 0)}
====
return {struct.unpack('b', 'abc', -1)}
====
return {struct.unpack('b', 'abc', 3)}
====
return {struct.unpack('', 'abc', 2)}
====
return {struct.size('>i!4bdhc5'), struct.size(''), struct.size('!8bd')}
====
return struct.size('s')
====
return struct.size('c0')
====
return struct.size('y')
====
return struct.pack('y')
====
return struct.pack('i33', 1)
====
return struct.pack('!3i', 1)
====
return struct.pack('c5', 'abc')
====
return struct.pack('i')
====
return struct.pack('i', 'x')
====
return struct.pack('i99999999999', 1)
====
return {struct.unpack('>f', struct.pack('>f', 0.1))}
====
return {bit.tobit(1), bit.tobit(2^32 + 5), bit.tobit(-1), bit.tobit(2^31), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5), bit.tobit('10')}
====
return {bit.bnot(0), bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.lshift(1, 31), bit.lshift(1, 32), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x12345678, 4), bit.ror(0x12345678, 4), bit.bswap(0x12345678)}
====
return {bit.tohex(255), bit.tohex(-1), bit.tohex(255, 2), bit.tohex(255, -4), bit.tohex(0x12345678, 12), bit.tohex(1, 0)}
====
return bit.tobit()
====
return bit.band(1, 'x')
====
return bit.band(1, {})
====
return {bit.tobit(2^52), bit.tobit(2^53 + 2), bit.tobit(1e20), bit.tobit(0/0), bit.tobit(1/0)}
====
return bit.tobit(nil)
====
return {bit.band(), 1}
