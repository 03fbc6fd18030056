return string.format('%5.2f|%d|%x|%X|%o|%u|%e|%E|%g|%G|%c|%q|%s|%%', 3.14159, -42, 255, 255, 8, 3, 12345.6789, 0.000123, 1e20, 1e-10, 65, 'a"b\n', 'str')
====
return string.format('[%5.2s][%-5d][%+.3d][% d][%#o][%#x][%05d][%.0f][%#.0f][%10.3E][%-10s][%10s]', 'abc', 3, 7, 5, 8, 255, -42, 2.5, 2.5, -0.000123, 'hi', 'hi')
====
return string.format('%x|%x|%x|%x|%x|%d|%d', 2^63, 2^64, 2^70, -2^63, -1, 2^53+1, -3.9)
====
return string.format('%y', 1)
====
return string.format('%d', 'x')
====
return string.format('%d', '12')
====
return string.format('%')
====
return string.format('%', 1)
====
return string.format('%123d', 1)
====
return string.format('%1.123d', 1)
====
return string.format('%------d', 1)
====
return string.format('%5c|%c|%-3c|', 0, 65, 66)
====
return string.format('%s', string.rep('a', 150))
====
return string.format('%.3s|%s', 'a\0bcdef', 'x\0y')
====
return string.format('%q', 'a\0b\r\n\"\\c\200')
====
return string.format('%g %g %g %g %g %g', 0.1, 100000, 1000000, 1e-4, 1e-5, 123456789)
====
return string.format('%.14g %.14g %.3g %#g %g', 100000000000000.5, 0.1+0.2, 2.5e-7, 1.5, -0.0)
====
return string.format('%f %e %g', 1/0, -1/0, 1e308*10)
====
return string.format('%5.1f|%-8.3f|%+f|% f|%08.2f|%-08.2f', 3.14159, 2.5, 1, 1, -3.14159, 3.1)
====
return {string.find('hello world', 'o w')}
====
return {string.find('hello world', 'l+')}
====
return {string.find('hello world', '(l+)(o)')}
====
return {string.find('hello', 'l', 1, true)}
====
return {string.find('a.b', '.', 1, true)}
====
return {string.find('abc', '', 10)}
====
return {string.find('abc', 'b', -1)}
====
return {string.find('abc', '()b()')}
====
return {string.match('key:123:foo', '(%a+):(%d+):(%a+)')}
====
return {string.match('  trim  ', '^%s*(.-)%s*$')}
====
return {string.match('THE (quick) fox', '%((%a+)%)')}
====
return {string.match('f(a(b)c)d', '%b()')}
====
return {string.match('THE (quick) fox', '%f[%a]%a+', 5)}
====
return {string.match('hello hello', '(h%a+) %1')}
====
return string.match('abc', '%')
====
return string.match('abc', '[a')
====
return string.match('abc', '(a')
====
return string.match('abc', 'a)')
====
return string.match('abc', '%1')
====
return string.match('abc', '%f')
====
return string.match('abc', '%b')
====
return {string.match('x=1, y=2', '(%w+)=(%w+)')}
====
return {string.match('[]]', '[]]')}
====
return {string.match('a-b', '[a%-]+')}
====
return {string.match('hello', '[^aeiou]+')}
====
return {string.match('2024-01-02', '(%d+)-(%d+)-(%d+)')}
====
return {string.match('\0abc', '%z(.)')}
====
return {string.match('ABC def', '%u+'), string.match('ABC def', '%l+'), string.match('a1_!', '%p'), string.match(' \t x', '%S'), string.match('abc', '%x+'), string.match('ab\1', '%c')}
====
return {string.gsub('hello world', 'o', '0')}
====
return {string.gsub('hello world', 'o', '0', 1)}
====
return {string.gsub('hello world', '(%w+)', '<%1>')}
====
return {string.gsub('hello world', '%w+', '%0 %0')}
====
return {string.gsub('abc', '', '-')}
====
return {string.gsub('hello', 'l', {l='L'})}
====
return {string.gsub('$name is $age', '%$(%w+)', {name='bob', age=42})}
====
return {string.gsub('abc', '%w', function(c) return c:upper() .. '.' end)}
====
return {string.gsub('abc', '%w', function(c) if c == 'b' then return false end return '1' end)}
====
return {string.gsub('abc', '%w', function(c) return {} end)}
====
return {string.gsub('abc', '%w')}
====
return {string.gsub('abc', 'b', '%2')}
====
return {string.gsub('abc', 'b', '%')}
====
return {string.gsub('abc', '^a', 'X')}
====
return {string.gsub('abc', 'b', 5)}
====
return {string.gsub('a,b,,c', ',', ';', -1)}
====
return {string.gsub('abc', '()', '%1')}
====
local t = {} for w in string.gmatch('one two three', '%a+') do t[#t+1] = w end return t
====
local t = {} for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do t[#t+1] = k .. v end return t
====
local t = {} for w in string.gmatch('abc', '') do t[#t+1] = 'x' end return #t
====
local t = {} for p in string.gmatch('abc', '()') do t[#t+1] = p end return t
====
return {string.byte('ABC'), string.byte('ABC', 2), string.byte('ABC', -1), string.byte('ABC', 1, -1)}
====
return {string.byte('ABC', 10)}
====
return #{string.byte(string.rep('x', 7998), 1, -1)}
====
return string.char(72, 105, 0, 255)
====
return string.char(256)
====
return string.char('65', 66.7)
====
return {string.sub('hello', 2, 4), string.sub('hello', -3), string.sub('hello', 0), string.sub('hello', 10), string.sub('hello', 2, -2), string.sub('hello', -100, 100)}
====
return {string.upper('abc\200xyz'), string.lower('ABC\200XYZ'), string.rep('ab', 3), string.rep('x', 0), string.rep('x', -1), string.reverse('abc'), string.len('a\0b')}
====
return string.rep()
====
return string.sub('x')
====
return ('x'):bad()
====
return ('abc'):upper() .. ('%d'):format(5) .. ('x'):rep(3)
====
return #string
====
return string.format('%d %s', 1.5, 2)
====
return string.format('%5.1s|', 12.5)
====
return tostring(string.gfind == string.gmatch)
====
return string.dump(string.len)
