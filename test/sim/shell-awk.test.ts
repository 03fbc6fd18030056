/**
 * The simulated awk against the real one (mawk 1.3.4, Debian's /usr/bin/awk, here and in CI):
 * each command line runs in the simulated shell and in this machine's bash over the same files,
 * and the output (stdout and stderr interleaved) and exit status must match byte for byte.
 * Only bash's own message prefix differs (`bash: line N: ` in a real script, `bash: ` in the
 * simulation). `for (k in a)` walks mawk's hash order, so such outputs are piped through sort.
 */
import { describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';

const FILES: Record<string, string> = {
  'ps.txt': [
    'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
    'root           1  0.0  0.1   2500  1200 ?        Ss   10:00   0:00 /sbin/init',
    'redis        101  1.5  2.0  50000 20000 ?        Ssl  10:00   0:12 redis-server *:6379',
    'redis        102  0.7  1.0  40000 10000 ?        Ssl  10:01   0:03 redis-sentinel *:26379',
    'root         230  0.0  0.0   6000   800 pts/0    S+   10:05   0:00 grep redis',
    '',
  ].join('\n'),
  'passwd.txt': 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nredis:x:110:117::/var/lib/redis:/usr/sbin/nologin\n',
  'redis.conf': '# Redis config\nport 6379\nbind 127.0.0.1 ::1\n\nmaxmemory 100mb\nappendonly yes\nport 7000\n',
  'data.txt': 'name qty price\napple 3 1.25\nbanana 12 0.5\ncherry 7 4\napple 2 1.25\n',
  'words.txt': 'the cat sat on the mat\nthe dog\n\nA cat and a dog\n',
  'para.txt': '\n\nfirst para line1\nline2\n\n\n\nsecond para\n\nthird a b\nc d\n\n',
  'nums.txt': '10\n-3.5\n2e2\n0x1A\nabc\n 7 \n',
  'csv.txt': 'host,port,role\nredis-1,6379,master\nredis-2,6380,replica\n',
  'tabs.txt': 'a b\tc d\te\n1\t2\t3\n',
  'noeol.txt': 'last line without newline',
  'prog.awk': '# count words\n{ for (i = 1; i <= NF; i++) n[$i]++ }\nEND {\n  for (w in n)\n    if (n[w] > 1) print w, n[w]\n}\n',
  'funcs.awk': 'function max(a, b) {\n  return a > b ? a : b\n}\nfunction fill(arr, n,   i) {\n  for (i = 1; i <= n; i++) arr[i] = i * i\n  return n\n}\nBEGIN { print max(3, 12), max("b", "a"); fill(sq, 4); print sq[3], length(sq), i "" }\n',
  'bad.awk': 'BEGIN {\n  x = 1\n  print (x\n}\n',
};

const { harness, expectSame } = useShellDifferential('shell-awk', FILES, (t) => t.writeBoth('adir/x', 'x\n'));

describe('awk (differential against mawk)', () => {
  it('fields, separators and the everyday one-liners', async () => {
    await expectSame([
      "grep redis ps.txt | awk '{print $2}'",
      "awk -F: '{print $1}' passwd.txt",
      "awk -F : '{print $1, $NF}' passwd.txt",
      "awk '/^port/ {print $2}' redis.conf",
      "awk 'NR>1 {s+=$2} END {print s}' data.txt",
      "awk -v n=3 'NR<=n' data.txt",
      "awk '{print NF, $NF}' words.txt",
      "awk 'length($0) > 10' words.txt",
      "awk 'length > 10' words.txt",
      "awk '{gsub(/a/, \"b\"); print}' words.txt",
      "awk '{$2 = \"\"; print}' data.txt",
      "awk 'BEGIN {OFS=\"-\"} {$1=$1; print}' data.txt",
      "awk '{print $1}' OFS=- data.txt",
      "awk -F, 'NR > 1 {print $1 \":\" $2}' csv.txt",
      "awk -F'\\t' '{print $2}' tabs.txt",
      "awk -F'[0-9]' '{print NF}' csv.txt",
      "awk -F. '{print $1}' redis.conf",
      "awk -F '' '{print $1, NF}' csv.txt",
      "awk '{print $(NF-1)}' data.txt",
      "awk '{print $NF-1}' data.txt",
      "awk '{ NF = 2; print }' data.txt",
      "awk '{ $5 = \"X\"; print; print NF }' data.txt",
      "awk '{ NF = 5; $1 = $1; print }' OFS=, data.txt",
      "awk '{ $0 = \"x y z\"; print $2, NF }' csv.txt",
      "awk '{print FILENAME, FNR, NR}' csv.txt data.txt",
      "awk '{print v, $0}' v=1 csv.txt v=2 noeol.txt",
      'awk 1 noeol.txt',
      "awk 'END {print NR, $0}' data.txt",
      "cat data.txt | awk '{print $1}' - csv.txt",
      "awk 'BEGIN { RS = \"\" } { print NR \": \" $0; print \"NF=\" NF, $3 }' para.txt",
      "awk 'BEGIN { RS = \",\" } { print NR, $0 }' csv.txt",
      "awk 'BEGIN { RS = \"[0-9]+\" } NR < 4 { print \"[\" $0 \"]\" }' csv.txt",
      "awk 'BEGIN { ORS = \"|\" } { print $1 }' csv.txt",
    ]);
  });

  it('patterns, ranges, control flow and getline', async () => {
    await expectSame([
      "awk '/banana/,/cherry/' data.txt",
      "awk 'NR==2, NR==3 { print NR \": \" $0 }' data.txt",
      "awk '/^port/, 0' redis.conf",
      "awk '$2 > 5' data.txt",
      "awk '$2 ~ /^[0-9]+$/ && $3 < 2 { print $1 }' data.txt",
      "awk '$1 !~ /a/' data.txt",
      "awk '!seen[$1]++' data.txt",
      "awk 'NR % 2 == 0 { next } { print }' data.txt",
      "awk '{ if ($2 > 5) print $1, \"big\"; else if ($2 > 2) print $1, \"mid\"; else print $1, \"small\" }' data.txt",
      "awk 'BEGIN { while (i < 3) { i++; if (i == 2) continue; print i }; do { j++ } while (j < 5); print j; for (;;) { k++; if (k > 4) break }; print k }'",
      "awk 'BEGIN { for (i = 10; i > 0; i -= 3) printf \"%d \", i; print \"\" }'",
      "awk 'NR == 3 { exit } { print }' data.txt",
      "awk 'BEGIN { exit 3 } END { print \"end runs\" }'; echo $?",
      "awk '{ exit 5 } END { print \"e\"; exit }' data.txt; echo $?",
      "awk 'NR==1 { getline; print \"got\", $0, NR } NR==3 { getline v; print \"v\", v, $0, NR }' data.txt",
      "awk '{ r = getline; print r, $0 } END { r = getline; print \"end\", r }' csv.txt",
      "awk 'BEGIN { while ((getline line < \"csv.txt\") > 0) n++; print n, line; print (getline x < \"nofile\") }'",
      "awk 'BEGIN { getline; print \"first:\", $0 } { print \"rest:\", $0 }' csv.txt",
      "printf 'a\\nb\\nc\\n' | awk '{ getline x; print $0 \"+\" x }'",
      "awk 'FNR == 1 { nextfile } { print }' csv.txt data.txt",
      "yes | awk 'NR == 3 { print; exit }'",
      "seq 1 5 | awk '{ s += $1 } END { print s, s / NR }'",
    ]);
  });

  it('expressions: numbers and strings, comparisons, operators', async () => {
    await expectSame([
      "awk 'BEGIN { print 1 + 2, 7 / 2, 7 % 3, -7 % 3, 2 ^ 10, 2 ** 3, 2 ^ 3 ^ 2, -2 ^ 2, 2 ^ -1 }'",
      "awk 'BEGIN { print 1 \" \" 2, 1 - -1, !0, !\"\", !\"a\", !1 == 2, 1 < 2 < 3 }'",
      "awk 'BEGIN { print 0.1 + 0.2, 1e6, 1e-5, 100000000000000000000, 2^31, 2147483647, -2147483648, 1/3 }'",
      "awk 'BEGIN { OFMT = \"%.2f\"; x = 3.14159; print x, x \"\"; CONVFMT = \"%.3f\"; print x \"\", 17 \"\" }'",
      "awk '{ print ($1 == 10), ($1 < 9), $1 + 0 }' nums.txt",
      "awk 'BEGIN { print (\"10\" < \"9\"), (10 < 9), (\"abc\" < \"abd\"), (x == 0), (x == \"\"), length(x) }'",
      "awk 'BEGIN { x = \"0x1A\"; print x + 0, \"1e3\" + 0, \".5\" + 0, \"+3\" + 0, \" 12 \" + 0, -\"3x\" }'",
      "awk 'BEGIN { x = 5; x += 2; x -= 1; x *= 3; x /= 2; x %= 5; x ^= 2; print x; print x++ + ++x, x--, --x }'",
      "awk 'BEGIN { a = 1; b = a++ a; print b; print 1 2 3 }'",
      "awk 'BEGIN { print 1 > 2 ? \"yes\" : \"no\" }'; cat yes; rm -f yes",
      "awk 'BEGIN { print 2 ** 3 }'",
      "awk 'BEGIN { print (1 > 2) ? \"yes\" : \"no\"; x = 3; print x > x ? \"big\" : \"small\" }'; cat big; rm -f big",
      "awk 'BEGIN { print 1e300 * 1e300, -1e300 * 1e300, log(0), 1 / 0 }'",
      "awk 'BEGIN { print int(-3.7), int(\"4.9x\"), sqrt(16), exp(1), log(10), sin(0), cos(0), atan2(0, -1) }'",
      "awk 'BEGIN { a[\"x\"] = 1; print (\"x\" in a), (\"y\" in a); a[1, 2] = 3; if ((1, 2) in a) print \"pair\"; delete a[\"x\"]; print length(a) }'",
      "awk 'BEGIN { x = \"A\"; y = x; sub(/A/, \"B\", y); print x, y }'",
      "awk '{ a[$1] += $2 } END { for (k in a) print k, a[k] }' data.txt | sort",
      "awk '{ a[$1]++ } END { for (k in a) print k, a[k] }' words.txt | sort",
      "awk 'BEGIN { n = split(\"a:b:c\", p, \":\"); for (i = n; i >= 1; i--) printf \"%s \", p[i]; print \"\" }'",
      "awk 'BEGIN { a[1]; delete a; print length(a); a[2] = 1; for (k in a) delete a[k]; print length(a) }'",
    ]);
  });

  it('built-in functions', async () => {
    await expectSame([
      "awk 'BEGIN { print substr(\"hello\", 2, 3), substr(\"hello\", 2), substr(\"hello\", 0), substr(\"hello\", -1, 3), substr(\"hello\", 1.5, 2), substr(\"hello\", 9), \"|\" substr(\"hello\", 2, -1) \"|\" }'",
      "awk 'BEGIN { print index(\"hello\", \"ll\"), index(\"hello\", \"z\"), index(\"abc\", \"\"), length(\"héllo\"), length() }'",
      "awk 'BEGIN { n = split(\"  a  b \", arr); print n, arr[1], arr[2]; n = split(\"abc\", arr, \"\"); print n, arr[3]; n = split(\"a1b22c\", arr, /[0-9]+/); print n, arr[3]; print split(\"\", arr), length(arr) }'",
      "awk 'BEGIN { s = \"hello\"; print gsub(/l/, \"[&]\", s), s; t = \"aaa\"; sub(/a/, \"\\\\&\", t); print t; u = \"abc\"; gsub(//, \"-\", u); print u; v = \"hello world\"; gsub(/o*/, \"_\", v); print v }'",
      "awk 'BEGIN { s = \"a.b.c\"; gsub(\".\", \"-\", s); print s; s2 = \"a+b\"; gsub(\"\\\\+\", \"P\", s2); print s2; s3 = \"path/to/x\"; gsub(\"/\", \"\\\\/\", s3); print s3 }'",
      "awk '{ n = gsub(/[aeiou]/, \"\"); print n \": \" $0, NF }' words.txt",
      "awk '{ sub(/^[^ ]+ /, \"\"); print }' data.txt",
      "awk '{ $2 = toupper($2); gsub(/A/, \"@\", $2); print }' data.txt",
      "awk 'BEGIN { print match(\"foobar\", /o+/), RSTART, RLENGTH; print match(\"x\", /y/), RSTART, RLENGTH; print match(\"aXbX\", \"X\") }'",
      "awk 'BEGIN { print toupper(\"abc Déf\"), tolower(\"ABC\"), toupper(substr(\"cat\", 1, 1)) substr(\"cat\", 2) }'",
      "awk 'BEGIN { printf \"%5.1f|%-5d|%05d|%+d|% d|%x|%X|%o|%e|%E|%g|%G\\n\", 3.14159, 42, 42, 42, 42, 255, 255, 8, 12345.678, 0.00012, 1e10, 0.0001 }'",
      "awk 'BEGIN { printf \"%s %5s %-5s| %.2s %*d %% %c%c%c\\n\", \"a\", \"b\", \"c\", \"hello\", 4, 7, 65, \"hello\", 256 + 66 }'",
      "awk 'BEGIN { printf \"%d %d %d %d %d\\n\", \"3abc\", \"abc\", 2^31, -2^40, 1e30; printf \"%x %o %u\\n\", -1, -1, -1 }'",
      "awk 'BEGIN { printf \"%.0f %.0f %.1f %.2f %.3e %g %g %#x %#o %.10g\\n\", 2.5, 3.5, 0.25, 1.005, 0, 123456789, 0.0001234, 255, 8, 1/3 }'",
      "awk 'BEGIN { printf(\"%s-%s\\n\", \"a\", \"b\"); x = sprintf(\"%03d|%-4s|\", 7, \"ab\"); print x, length(x) }'",
      "awk 'BEGIN { printf \"%c\", \"\" }' | wc -c",
      "awk 'BEGIN { srand(1); printf \"%.6f %.6f\\n\", rand(), rand(); srand(0); print rand(); print srand(5), srand(7) }'",
      "awk 'BEGIN { srand(42); for (i = 0; i < 5; i++) printf \"%d \", int(rand() * 100); print \"\" }'",
      "awk 'BEGIN { x = \"abc\"; print length(x), length x }'",
    ]);
  });

  it('user functions, program files, regexes', async () => {
    await expectSame([
      "awk -f prog.awk words.txt | sort",
      'awk -f funcs.awk',
      "awk 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) } BEGIN { print fact(10), fact(20) }'",
      "awk 'function f(a) { a = 5; return } BEGIN { x = 1; f(x); print x, f(x) \"|\" }'",
      "awk 'function add(arr, k, v) { arr[k] = v } BEGIN { add(m, \"a\", 1); add(m, \"b\", 2); print length(m), m[\"b\"] }'",
      "awk 'function g(s,   t) { t = s s; return t } BEGIN { print g(\"ab\"), t \"|\" }'",
      "awk '/^[[:digit:]]/' nums.txt",
      "awk '/[[:alpha:]]+[[:space:]]/ { print $1 }' redis.conf",
      "awk '$0 ~ \"^[a-c]\"' data.txt",
      "awk '/a|e/' csv.txt",
      "awk '/(ap|ch)[a-z]+ [0-9]/' data.txt",
      "awk '/\\.[0-9]+$/' data.txt",
      "awk '/^$/ { print \"blank at\", NR }' words.txt",
      "awk '/[]]/ || /[\\/]/' passwd.txt",
      "awk '/a{2}/' data.txt; echo 'a{2}' | awk '/a{2}/'",
      "awk 'BEGIN { if (\"a\\nb\" ~ /a.b/) print \"dot matches newline\" }'",
      "awk 'BEGIN { s = \"aaa\"; print gsub(/^a/, \"b\", s), s; t = \"abc\"; gsub(/$/, \"!\", t); print t }'",
      "awk 'BEGIN { print \"a\\tb\\\\n\\\"q\\\"\\/\\101\\x41\" }'",
      "awk 'BEGIN { printf \"%s\\n\", ENVIRON[\"HOME\"] != \"\" }'",
      "awk 'BEGIN { print ARGC, ARGV[0], ARGV[1], ARGV[2] }' x=1 data.txt",
      "awk 'BEGIN { ARGV[1] = \"\" } { print }' nofile csv.txt",
      "awk -v 'x=a\\tb' 'BEGIN { print x }'",
      "awk -- 'BEGIN { print \"dashdash\" }'",
      "awk 'BEGIN { print \"to stderr\" > \"/dev/stderr\"; print \"to stdout\" > \"/dev/stdout\" }'",
      "awk '{ print $1 > \"out1.txt\" } END { close(\"out1.txt\"); while ((getline l < \"out1.txt\") > 0) print \"read\", l }' csv.txt; rm -f out1.txt",
      "awk 'BEGIN { print \"a\" > \"out2.txt\"; print \"b\" > \"out2.txt\"; print \"c\" >> \"out2.txt\" }'; cat out2.txt; rm -f out2.txt",
      "awk 'BEGIN { x[1] = 1; print length(x) } { }' /dev/null",
      "awk 'BEGIN { printf \"%d items\\n\", 3 } END { print NR }' /dev/null",
    ]);
  });

  it('errors: syntax, usage, files and run time', async () => {
    await expectSame([
      "awk '{print $1'",
      "awk 'BEGIN{x=1;}}'",
      "awk '{ print 1,,2 }'",
      "awk 'BEGIN { x = ; }'",
      "awk 'BEGIN { print foo( }'",
      "awk '{ print \"abc }'",
      "awk 'BEGIN { a = \"x\" ; a ~ /[/ }'",
      "awk 'BEGIN { print 1 +* 2 }'",
      "awk 'BEGIN { f(1) }'",
      "awk 'BEGIN { x[1]=1; x=2 }'",
      "awk 'BEGIN { x=2; x[1]=1 }'",
      "awk 'END { next }'",
      "awk 'BEGIN { break }'",
      "awk 'BEGIN { return 1 }'",
      "awk 'function f(a,a) {}'",
      "awk 'BEGIN { print substr(\"abc\") }'",
      "awk 'BEGIN { print split(\"abc\") }'",
      "awk '@'",
      "awk 'BEGIN { print 1e400 }'",
      "awk '/a(/'",
      "awk 'BEGIN { if (\"x\" ~ \"[a\") print }'",
      "awk 'BEGIN { r = \"a(\"; if (\"b\" ~ r) print }'",
      "awk -f bad.awk",
      "awk -f nofile.awk",
      "awk 'BEGIN{print (1'",
      "awk 'BEGIN { print (1\n}'",
      "awk 'BEGIN { printf \"%d %s\\n\", 1 }'",
      "awk 'BEGIN { print \"partial\"; printf \"%s %s\\n\", \"a\" }'",
      "awk '{print}' nofile; echo $?",
      "awk '{print} END { print \"end\" }' csv.txt nofile",
      "awk '{print}' adir",
      "awk",
      'awk -F',
      'awk -v',
      "awk -v x 'BEGIN {}'",
      "awk -z 1",
      "awk 'BEGIN { print 1 > \"/nonexistent/x\" }'",
      "awk 'BEGIN { x = 1 2 3; print x }'",
      "awk -W version",
      "awk 'BEGIN { getline < }'",
    ]);
  });
});

describe('awk (differential, more idioms)', () => {
  it('two-file joins, FS changes, field edge cases', async () => {
    await expectSame([
      "awk 'NR == FNR { price[$1] = $3; next } $1 in price { print $1, price[$1] }' data.txt data.txt",
      "awk '{ $1 = \"\"; print substr($0, 2) }' data.txt",
      "awk '{ print length }' csv.txt",
      "awk 'BEGIN { FS = \":\" } { print $1 }' passwd.txt",
      "awk '{ FS = \",\"; print $1 }' csv.txt",
      "awk '{ $(NF + 2) = \"end\"; print; print NF }' OFS=: csv.txt",
      "awk '{ print $-1 }' csv.txt",
      "awk '{ print $NF }' FS=, csv.txt",
      "awk -F, -v OFS='\\t' '{ $1 = $1 } 1' csv.txt",
      "awk '{ printf \"%-10s|%5s|\\n\", $1, $2 }' data.txt",
      "awk 'NR > 1 { printf \"%s costs %.2f\\n\", $1, $2 * $3 }' data.txt",
      "awk '{ sum += $2; cnt++ } END { printf \"avg=%.3f n=%d\\n\", sum / cnt, cnt }' data.txt",
      "awk 'BEGIN { max = -1 } NR > 1 && $2 > max { max = $2; who = $1 } END { print who, max }' data.txt",
      "awk '{ lines[NR] = $0 } END { for (i = NR; i > 0; i--) print lines[i] }' csv.txt",
      "awk 'NF' words.txt",
      "awk 'NF == 0 { print NR }' words.txt",
      "awk '{ print NR \": \" $0 }' noeol.txt csv.txt",
      "awk '{ n = split($0, parts, \",\"); print n, parts[n] }' csv.txt",
      "awk '{ print toupper($0) }' csv.txt",
      "awk -v pat=redis '$0 ~ pat { c++ } END { print c + 0 }' ps.txt",
      "awk -v x=10 'BEGIN { print (x > 9), (x \"\" > \"9\") }'",
      "awk '$3 == 0' FS=: passwd.txt",
      "awk -F: '$3 >= 100 { print $1 }' passwd.txt",
      "awk -F: '{ print $1 > \"users.out\" } END { close(\"users.out\"); while ((getline u < \"users.out\") > 0) n++; print n }' passwd.txt; rm -f users.out",
      "awk 'BEGIN { x = 1; x = x \"\"; y = x + 1; print x, y, (x == 1) }'",
      "awk 'BEGIN { s = sprintf(\"%5.2f%%\", 12.345); print s }'",
      "awk 'BEGIN { print length(12345), length(1/4), substr(123456, 2, 3) }'",
      "awk 'BEGIN { print 100000 * 100000, 2^53, 123456789012 }'",
      "awk 'BEGIN { CONVFMT = \"%.2g\"; a[1.5] = \"x\"; a[0.123456] = 1; for (k in a) print k }' | sort",
      "awk 'BEGIN { printf \"%s %d %s\\n\", 1e6, 1e6, 1e6 \"\" ; print 1e6 \"\", 1234567.5 \"\", 0.000001 }'",
      "awk 'BEGIN { print -0, 0 * -1, -0.0 \"\" }'",
      "awk 'BEGIN { while (\"a\" < \"b\") { n++; if (n > 3) break }; print n }'",
      "awk '{ $3 = \"\"; print NF \":\" $0 \":\" }' data.txt",
      "awk 'BEGIN { OFS = \"-\" } { $2 = $2; print } END { print NR }' csv.txt",
      "echo '  lead  and  trail  ' | awk '{ print NF, \"[\" $1 \"]\"; $1 = $1; print \"[\" $0 \"]\" }'",
      "printf 'a b\\n' | awk '{ NF++; $NF = \"c\"; print }'",
      "printf 'x\\n' | awk '{ print; print \"err\" > \"/dev/stderr\"; print \"after\" }'",
    ]);
  });
});

describe('awk (differential, regexes and odd corners)', () => {
  it('escapes, dynamic regexes, uninitialized values', async () => {
    await expectSame([
      "awk '/\\$/ || /^#/' redis.conf",
      "echo 'a/b a.b' | awk '{ print match($0, /a\\/b/), match($0, \"a\\\\.b\"), gsub(/[.\\/]/, \"_\"), $0 }'",
      "echo 'cost: $5' | awk '{ sub(/\\$/, \"USD \"); print }'",
      "awk 'BEGIN { printf \"%d|%s|%i|%5.1f\\n\", u, u, \"7.9\", u }'",
      "awk '{ a[NR] = $1 } END { for (k in a) if (a[k] ~ /^a/) delete a[k]; n = 0; for (k in a) n++; print n }' data.txt",
      "awk 'BEGIN { print substr(12345, 2), substr(\"abc\", 2, 100), index(12345, 34) }'",
      "awk 'BEGIN { n = split(\" x  y \", p, \" \"); print n, p[1] p[2]; n = split(\"a b\", q, / /); print n }'",
      "awk 'BEGIN { x[\"a\"] = 1; f(x); print x[\"a\"] } function f(arr) { arr[\"a\"]++ }'",
      "awk 'function r(n) { if (n > 0) { printf \"%d \", n; r(n - 1) } } BEGIN { r(3); print \"\" }'",
      "awk 'BEGIN { if (!(3 in a)) print \"no\"; if (a[3] == \"\") print \"empty\"; print length(a) }'",
      "awk 'BEGIN { \"x\" ~ /x/ ? r = \"m\" : r = \"n\"; print r }'",
      "awk 'BEGIN { a = \"10\"; b = 9; print (a > b), (a \"\" > b \"\") }'",
      "awk '{ print ($1 > $2) }' OFS=, FS=, csv.txt",
      "awk 'BEGIN { print length(\"\"), length(0), length(0.5) }'",
      "awk 'BEGIN { printf \"[%10.3s][%-10c][%.0e][%#.3g]\\n\", \"abcdef\", \"xyz\", 15000, 1 }'",
      "awk '# comment only\nBEGIN { print \"c\" } # trailing'",
      "awk 'BEGIN {\n  x = 1 +\n  2\n  print x \\\n  , \"cont\"\n}'",
      "awk 'BEGIN { print 1; print 2 ; ; print 3 }'",
      "awk 'BEGIN{printf \"%s\"}'",
      "awk 'BEGIN { getline line < \"csv.txt\"; print line; getline line < \"csv.txt\"; print line; close(\"csv.txt\"); getline line < \"csv.txt\"; print line }'",
      "awk 'END { print NF, $1 }' data.txt",
      "awk 'BEGIN { x = \"abc\"; print x~\"b\", x~/^b/, \"b\" ~ x }'",
      "awk -F'|' '{ print $2 }' <<< 'a|b|c'",
      "awk -F'\\|' '{ print $2 }' <<< 'a|b|c'",
      "awk -F'[:,]' '{ print $2 }' <<< 'a:b,c'",
      "awk -F', *' '{ print $2 }' <<< 'a,   b,c'",
    ]);
  });
});

describe('awk (simulation only)', () => {
  it('streams a large input quickly and stops with its reader', async () => {
    const { w } = harness();
    const t0 = Date.now();
    const r = await w.exec('redis-1', "seq 1 50000 | awk '{ s += $1 } END { print s, NR }'");
    expect(r.output).toBe('1250025000 50000\n');
    const head = await w.exec('redis-1', "yes abc | awk '{ print NR, $1 }' | head -2");
    expect(head.output).toBe('1 abc\n2 abc\n');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('seeds rand() from the world without srand, and leaves out pipes with a clear error', async () => {
    const { w } = harness();
    const a = await w.exec('redis-1', "awk 'BEGIN { print rand() }'");
    const b = await w.exec('redis-1', "awk 'BEGIN { print rand() }'");
    expect(a.output).toMatch(/^0\.\d+\n$/);
    expect(b.output).toMatch(/^0\.\d+\n$/);
    expect((await w.exec('redis-1', "awk 'BEGIN { print 1 | \"cat\" }'")).output).toBe('awk: line 1: output to a command (print | "cmd") is not supported in this simulation\n');
    expect((await w.exec('redis-1', "awk 'BEGIN { \"date\" | getline d }'")).output).toBe('awk: line 1: input from a command ("cmd" | getline) is not supported in this simulation\n');
    expect((await w.exec('redis-1', "awk 'BEGIN { system(\"ls\") }'")).output).toBe('awk: run time error: system() is not supported in this simulation\n\tFILENAME="" FNR=0 NR=0\n');
  });
});
