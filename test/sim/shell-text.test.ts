/**
 * The text utilities of the simulated shell against the real ones: each command line runs in the
 * simulation and in this machine's bash/coreutils (Debian, as in CI), over the same files, and
 * the outputs (stdout and stderr interleaved) and exit statuses must be identical byte for byte.
 * Only the prefix of bash's own messages differs: the real bash running a script says
 * `bash: line N: `, the simulated shell `bash: `.
 */
import { describe, expect, it } from 'vitest';
import { typeAndRun } from './helpers';
import { useShellDifferential } from './shell-differential';

/** The same files in the simulated /root and in the real temporary directory. */
const FILES: Record<string, string> = {
  'colon.txt': 'a:b:c\nd:e:f\nnodelim\n\n',
  'tabs.txt': 'one\ttwo\tthree\nfour\tfive\n',
  'words.txt': 'one\ntwo\n\nthree\n',
  'nums.txt': '1\n2\n3',
  'csv.txt': 'name,port,role\nredis-1,6379,master\nredis-2,6380,replica\nsentinel,26379,sentinel\n',
  'sort.txt': 'b 10 x\na 2 y\nc 1 z\nB 3 w\na 10 v\n10 a\n-5 neg\n2.5 frac\n',
  'mixed.txt': 'Hello World\nhello again\nfoo bar baz\nHELLO\nbarfoo\nfoo_bar\n',
  'long.txt': 'the quick brown fox jumps over the lazy dog\nshort\n\tindented line with a tab\n',
  'dir/a.conf': 'port 6379\nbind 127.0.0.1\n',
  'dir/sub/b.conf': 'port 7000\nappendonly yes\n',
  'ctx.txt': 'l1\nl2 match\nl3\nl4\nl5\nl6 match\nl7\nl8\nl9\nl10\nl11 match\n',
  'list.txt': 'colon.txt\nnums.txt\n',
  'spaces.txt': 'a  b\n  c d  \n"quoted arg" \'single q\' back\\ slash\n',
  'utf8.txt': 'héllo wörld\n日本語\n',
  'versions.txt': 'redis-5.0.10\nredis-5.0.9\nredis-6.2.0\nredis-6.2.0-rc1\nredis-6.2.0~rc1\nfile.tar.gz\nfile1.tar.gz\nfile10.txt\nfile2.txt\n.hidden\na\nA\n1.10\n1.9\n1.09\n\n',
  'months.txt': 'FEB x\njan\n mar\nfoo\nDec\n\nJANUARY\n',
  // sort -R's salt comes from the first 16 bytes of --random-source.
  'salt.bin': 'abcdefghijklmnopqrstuvwxyz0123456789',
  'short.bin': 'short',
  'rin.txt': 'b\na\nc\nd\ne\nf\ng\na\n',
  'k.txt': 'x 3\ny 1\nz 2\ny 1\n',
  'ab.txt': 'b\na\n',
  'ca.txt': 'c\na\n',
};

const { harness, expectSame, sim } = useShellDifferential('shell-text', FILES);

describe('cut (differential)', () => {
  it('fields, characters, bytes, complement, output delimiter, -s, -z', async () => {
    await expectSame([
      'cut -d: -f1 colon.txt', 'cut -d: -f2- colon.txt', 'cut -d: -f1,3 colon.txt', 'cut -d : -f 2 colon.txt',
      'cut -d: -f2 -s colon.txt', 'cut -f2 tabs.txt', 'cut -f 1,3 tabs.txt', 'cut -d, -f2 csv.txt',
      'cut -c1-3 words.txt', 'cut -c -2,4- colon.txt', 'cut -b 2 colon.txt', 'cut -c 3,1 colon.txt',
      'cut -c 2-3,1-2 colon.txt', 'cut -c1-2,3-4 --output-delimiter=: colon.txt', 'cut -c1,3 --output-delimiter=: colon.txt',
      'cut -d: --complement -f2 colon.txt', 'cut -c2- --complement colon.txt', 'cut -d: --complement -s -f1-2 colon.txt',
      'cut -d: -f2- --output-delimiter=XX colon.txt', 'cut --delimiter=: --fields=2 colon.txt', 'cut --f=1 -d: colon.txt',
      "cut -f '1 3' -d: colon.txt", "cut -d '' -f1 colon.txt", 'cut -d: -f1 colon.txt - nums.txt',
      "printf 'abc' | cut -c2", "printf 'a:b' | cut -d: -f3", "printf 'a\\tb\\n' | cut -f2", "printf 'a:b\\0c:d\\0' | cut -z -d: -f2",
      'cat csv.txt | cut -d, -f1 | head -2', 'cut -n -b2 colon.txt',
    ]);
  });

  it('usage errors and unreadable files', async () => {
    await expectSame([
      'cut colon.txt', 'cut -d: colon.txt', 'cut -d:: -f1 colon.txt', 'cut -f0 colon.txt', 'cut -f 3-1 colon.txt',
      'cut -f a colon.txt', 'cut -f 1a2 colon.txt', 'cut -c a colon.txt', 'cut -b 1-2-3 colon.txt', 'cut -c 0- colon.txt',
      'cut -b - colon.txt', 'cut -f -0 colon.txt', 'cut -f 1,,2 colon.txt', "cut -f '' colon.txt",
      'cut -f 99999999999999999999 colon.txt', 'cut -c1-2 -f1 colon.txt', 'cut -d: -c1 colon.txt', 'cut -s -c1 colon.txt',
      'cut -x colon.txt', 'cut --bogus colon.txt', 'cut -f', 'cut -f1 -d', 'cut --bogus=1 colon.txt', 'cut --c=1 colon.txt',
      'cut -f1 colon.txt nope', 'cut -c1 nope colon.txt', 'cut -c1 dir',
    ]);
  });
});

describe('paste (differential)', () => {
  it('side by side, serial, delimiter lists, stdin columns', async () => {
    await expectSame([
      'paste words.txt nums.txt', 'paste -d, words.txt nums.txt', 'paste -s words.txt', 'paste -s -d, words.txt nums.txt',
      "paste -d ',;' words.txt nums.txt words.txt", 'paste - - < words.txt', "paste -s -d '' words.txt",
      "paste -d '\\n' words.txt nums.txt", "paste -d '\\0' words.txt nums.txt", "paste -s -d ':\\0' words.txt",
      'paste - words.txt - < nums.txt', "printf 'x' | paste - nums.txt", 'paste -s /dev/null', 'paste /dev/null /dev/null',
      'cut -d, -f1 csv.txt | paste -sd+',
      "paste -d '\\' words.txt", 'paste words.txt nope nums.txt', 'paste -s words.txt nope nums.txt', 'paste dir',
      'paste -s dir words.txt', 'paste -x', 'paste --x=1', 'paste --s=1 words.txt',
    ]);
  });
});

describe('tr (differential)', () => {
  it('translates, deletes and squeezes with ranges, classes, escapes and padding', async () => {
    await expectSame([
      'echo hello | tr a-z A-Z', "echo hello | tr '[:lower:]' '[:upper:]'", "echo HeLLo | tr '[:upper:]' '[:lower:]'",
      "echo 'hello world' | tr -d lo", "echo 'aabbccdd  ee' | tr -s 'a-d '", 'echo hello | tr el x', "echo abc | tr 'a-c' 'xy'",
      "echo hello | tr -c 'a-z' '_'", "echo 'hello 123' | tr -cd '[:digit:]'", "echo 'a b  c' | tr -s ' ' '\\n'",
      "echo 'a\\b' | tr '\\\\' /", "echo 'a\tb' | tr '\\t' ,", 'echo aaa | tr -s a b', "echo 'a.b.c' | tr . '\\n'",
      "echo x1y2 | tr -d '0-9'", "echo hello | tr 'a-z' '[A*]'", "echo hello | tr 'a-z' 'A-C[X*3]'", 'echo hello | tr -ds l e',
      'echo hello | tr -s l', "echo abc | tr 'a-' 'xy'", "echo 'a-b' | tr 'a-' 'xy'", "echo 'ab c' | tr '[:space:]' _",
      "echo Ab1 | tr '[:alpha:]' '*'", "echo Ab1 | tr '[:alnum:]' '*'", "echo 'a:b' | tr '[:punct:]' _", 'echo abc | tr -t abc xy',
      "echo hello | tr 'elo' '\\101\\102'", "echo abc | tr '\\q' x", "echo 'a]b[c' | tr '[]' xy", "echo abc | tr '[a-b]' x",
      "echo 'a[b]' | tr '[ab]' xyzw", "echo 'aaa bbb' | tr -s '[:alpha:]'", 'echo ab | tr -c -d a', 'echo abc | tr -cs a x',
      "echo aBc | tr '[:lower:][:upper:]' '[:upper:][:lower:]'", "echo abcdef | tr 'a-f' 'x[y*]z'", "echo abc | tr abc '[x*010]'",
      "echo abc | tr '[=a=]' x", "echo 'a  b' | tr -s '[:blank:]'", "echo 'a-b' | tr 'a\\-b' xyz", "echo 'a-b' | tr -- '-' x",
      "echo abc | tr '[:xdigit:]' x", 'echo hello | tr -s a-z A-Z', "printf 'aa\\nbb\\n' | tr -s '\\n' x", 'echo a | tr aa xy',
      "printf 'a\\0b' | tr '\\0' x", "echo ABC | tr '[:upper:]' '[:lower:]x'", "echo HELLO | tr '[:upper:]' a-z",
      'cat utf8.txt | tr -d o', 'cat csv.txt | tr , "\\t"',
    ]);
  });

  it('operand and set errors', async () => {
    await expectSame([
      'tr', 'tr a', 'tr -d', 'tr -d a b', 'tr -d a b c', 'tr a b c', 'tr -s', 'tr -s a b c', 'echo a | tr -ds a', 'echo abc | tr -c a',
      "echo abc | tr a-c ''", 'echo abc | tr z-a x', "echo abc | tr a '[:upper:]'", "echo abc | tr -d '[:foo:]'",
      "echo abc | tr '[a*]' x", "echo abc | tr abc '[x*a]'", "echo abc | tr a '[:digit:]'", "echo abc | tr -c abc '[:upper:]'",
      "echo abc | tr 'a-c' '[:upper:][:lower:]'", "echo abc | tr abc '\\'", 'echo abc | tr -x a b', 'echo abc | tr --x=1 a b', 'echo abc | tr --d=1 a',
    ]);
  });
});

describe('expr (differential)', () => {
  it('arithmetic, comparisons, logic, match, length, substr, index', async () => {
    await expectSame([
      'expr 1 + 2', 'expr 7 / 2', 'expr -7 / 2', 'expr -7 % 3', 'expr 5 % -3', 'expr 3 \\* 4', 'expr 2 + 3 \\* 4', 'expr 2 - 5',
      'expr \\( 1 + 2 \\) \\* 3', 'expr 99999999999999999999 + 1', 'expr 9223372036854775807 + 1', 'expr 00010 + 1', 'expr 5 + -3',
      'expr 2 \\< 10', 'expr a \\< b', 'expr 10 \\< 9', 'expr a \\< B', 'expr 5 = 05', 'expr 1 = 1.0', 'expr abc = abc', 'expr abc != abc',
      'expr 3 == 3', "expr 1 '>=' 1", "expr 3 '<=' 3", 'expr 5 \\> 3', 'expr 10 \\> 9a', 'expr 3 + 4 = 7', 'expr 1 \\< 2 = 1',
      'expr 0', 'expr 00', 'expr -0', "expr ''", 'expr -1', 'expr 1 - 1', 'expr -- 5', 'expr -x', 'expr --foo',
      'expr 1 \\| 0', 'expr 0 \\| 0', "expr '' \\| x", "expr '' \\| ''", 'expr 1 \\& 0', 'expr 2 \\& 3', 'expr 0 \\& x', "expr x \\& ''",
      'expr 1 \\| 5 / 0', "expr abc : 'a\\(.\\)c'", "expr abc : 'x'", "expr abc : 'b'", "expr abc : '.*'", "expr abc : 'a\\(x\\)'",
      "expr x : '^x'", "expr '^x' : '^x'", "expr abc : 'a\\|b'", "expr aab : 'a\\{2\\}'", "expr 'a.c' : 'a\\.c'", "expr abc : '[a-b]*'",
      "expr foo : 'f\\(o*\\)'", "expr abc : '\\(x\\)*'", "expr 1 : '\\(1\\)' + 1", "expr '' : ''", 'expr redis-1 : "redis-\\([0-9]*\\)"',
      'expr match abc "a."', 'expr length hello', "expr length 'a b'", 'expr length + 1', 'expr + length', 'expr substr hello 2 3',
      'expr substr hello 2 10', 'expr substr hello 0 2', 'expr substr hello a 2', 'expr index hello l', 'expr index hello le',
      'expr index hello z', "expr length 'héllo'", "expr 'é' : '.'", 'expr $(expr 6 \\* 7) / 2',
      'i=0; while [ $(expr $i \\< 3) = 1 ]; do echo $i; i=$(expr $i + 1); done',
    ]);
  });

  it('errors and exit statuses', async () => {
    await expectSame([
      'expr', 'expr 1 / 0', 'expr 1 % 0', 'expr a + 1', "expr ' 5' + 1", 'expr +5 + 1', 'expr 10 + 0x1', 'expr 1 +', 'expr 1 + 2 3',
      'expr \\( 1 + 2', 'expr 1 + 2 \\)', 'expr \\( 1 2 \\)', 'expr \\)', 'expr \\(', 'expr 1 + \\( 2', 'expr 1 =', 'expr length',
      'expr length abc def', 'expr match abc', 'expr substr abc', 'expr index', 'expr + + 1', 'expr 1 -- 1', 'expr 5 / 0 \\| 1',
      "expr aXb : 'a\\(.\\)b' + 1", 'expr 1 + 1 +', 'expr 0; echo status=$?', 'expr 1 / 0; echo status=$?',
    ]);
  });
});

describe('rev, tac, nl, fold (differential)', () => {
  it('rev and tac', async () => {
    await expectSame([
      'rev words.txt', 'rev nums.txt', "printf 'abc' | rev", 'rev utf8.txt', 'rev nope', 'rev -x', 'rev --x=1',
      'tac words.txt', 'tac nums.txt', 'tac words.txt nums.txt', 'tac -s : colon.txt', "printf 'a:b:c' | tac -s :",
      "printf 'a:b:c:' | tac -s :", 'tac -b words.txt', 'tac /dev/null', 'echo | tac', 'tac nope words.txt', 'tac dir', 'tac -x', 'tac --x=1', 'tac --b=1',
    ]);
  });

  it('nl', async () => {
    await expectSame([
      'nl words.txt', 'nl nums.txt', 'nl -ba words.txt', 'nl -w3 -s: words.txt', 'nl -n ln words.txt', 'nl -n rz -w 3 words.txt',
      'nl -v 10 -i 5 words.txt', 'nl words.txt nums.txt', "nl -s '' words.txt", 'nl -ba -w1 words.txt', 'nl -b a words.txt',
      'nl -bt words.txt', 'nl -bn words.txt', "nl -bp'^t' words.txt", 'nl -nln -w3 -s: words.txt', 'nl -v -2 -nrz words.txt',
      "printf 'a\\n\\n' | nl", "printf '\\n\\n' | nl -ba", 'cat csv.txt | nl',
      'nl nope', 'nl dir', 'nl -b x words.txt', 'nl -w 0 words.txt', 'nl -w x words.txt', 'nl -v x words.txt', 'nl -i x words.txt',
      'nl -n xx words.txt', 'nl -x', 'nl --x=1', 'nl --n=1 words.txt',
    ]);
  });

  it('fold', async () => {
    await expectSame([
      'fold -w 3 words.txt', "printf 'abcdefgh ijk lmnop\\n' | fold -w 5", "printf 'abcdefgh ijk lmnop\\n' | fold -s -w 5",
      "printf 'ab\\tcd\\n' | fold -w 4", 'fold -w 10 long.txt', 'fold -s -w 10 long.txt', 'fold -b -w 10 long.txt', 'fold -80 words.txt',
      'fold --width=3 words.txt', "printf 'abc def ghi\\n' | fold -sw 6", "printf 'a\\bbc\\n' | fold -w 2", "printf 'abcdef' | fold -w 4",
      'fold -w 5 utf8.txt', 'fold -w 0 words.txt', 'fold -w x words.txt', 'fold nope', 'fold -w3 nope words.txt', 'fold dir', 'fold -x', 'fold --x=1', 'fold --b=1 words.txt',
    ]);
  });
});

describe('xargs (differential)', () => {
  it('builds command lines like GNU xargs', async () => {
    await expectSame([
      "printf 'a b\\nc\\n' | xargs", "printf 'a b\\nc\\n' | xargs -n 1", "printf 'a b\\nc d e\\n' | xargs -n 2 echo x",
      "printf 'a b\\nc\\n' | xargs -I {} echo '<{}>'", "printf 'a b\\nc\\n' | xargs -I{} echo {}-{}", "printf '' | xargs echo hi",
      "printf '' | xargs -r echo hi", "printf 'a\\0b c\\0' | xargs -0 -n1 echo", "printf '\"a b\" c\\n' | xargs -n1",
      'xargs -n1 < spaces.txt', 'xargs -I X echo "[X]" < spaces.txt', "printf '  a   b  \\n\\n c' | xargs -n2",
      "printf 'a \\nb\\nc\\n' | xargs -L1 echo", "printf 'a\\n\\nb\\n' | xargs -L1 echo", "printf 'a\\0\\0b\\0' | xargs -0 -n1 echo x",
      "printf 'a\\nb' | xargs -d '\\n' -n1 echo x", "printf 'a b\\n' | xargs -E b echo", "printf 'a\\n' | xargs -i echo [{}]",
      "printf 'a\\n' | xargs -ix echo [x]", "printf 'ab\\n' | xargs -I {} echo {}{}", "printf 'x\\\\\\n y' | xargs -n1 echo",
      "printf 'a b c d' | xargs -n 3 -t echo", 'xargs cat < list.txt', 'xargs wc -l < list.txt', 'cat list.txt | xargs -n1 head -1',
      'cut -d, -f1 csv.txt | xargs -n2 echo', "printf 'a\\nb\\n' | xargs -n1 -I {} echo {}", "printf 'a b\\nc\\n' | xargs -L1 -n1 echo",
      "printf 'a b\\n' | xargs -n 1 -L 1 echo", "printf \"it's\\n\" | xargs -0 echo", "echo \"a'b\" | xargs -d '\\n' echo",
      "printf '1\\n2\\n' | xargs -n1 expr 5 /", "printf 'a\\n' | xargs -P 2 echo", 'echo a | xargs -x', 'echo a | xargs --max-args=1 echo',
      'xargs -a list.txt -n1 echo', 'echo x | xargs -a list.txt cat', 'xargs -a nope echo', "printf 'a b\\nc\\n' | xargs -I{} -n2 echo {}",
      "printf 'a b\\nc\\n' | xargs -L2 -I{} echo {}", "printf 'a b\\nc\\n' | xargs -I{} -L2 echo {}", "printf 'a b\\nc\\n' | xargs -n2 -L1 echo",
      "printf 'a\\0b c\\0d' | xargs -n1 echo", 'xargs -t -n2 printf "<%s>\\n" < words.txt', "printf 'a\\0b\\0' | xargs -0 -d , echo",
      'cat words.txt | xargs -0 -E c echo', 'xargs --replace=X echo [X] < nums.txt',
    ]);
  });

  it('exit statuses and errors', async () => {
    await expectSame([
      "printf 'a\\n' | xargs nosuchcmd", "printf 'a\\nb\\n' | xargs -n1 false", "printf 'a\\nb\\n' | xargs -n1 sh -c 'exit 255'",
      "echo a | xargs sh -c 'exit 127'", 'echo a | xargs cd', 'echo a | xargs ./nope', 'echo a | xargs ./dir',
      "printf \"it's\\n\" | xargs echo", "printf 'a\\n' | xargs -n 0", "printf 'a\\n' | xargs -n x", "printf 'a\\n' | xargs -q", 'xargs --foo=1', 'xargs --max=3', 'xargs --e=x', 'xargs --null=1',
      "printf 'x\\n' | xargs -I", "printf 'a\\n' | xargs -L 0", "printf 'a\\n' | xargs -P x", "printf 'a\\n' | xargs -d ab echo",
      "printf 'a\\n' | xargs echo dir | xargs cat", "printf 'a\\n' | xargs -I {} {}", 'echo a | xargs -s 5 echo',
      "echo a b | xargs -n1 sh -c 'echo $0; exit 3'; echo rc=$?", 'printf "1\\n0\\n2\\n" | xargs -n1 expr 4 /',
    ]);
  });
});

describe('yes', () => {
  it('is endless but stops when its reader goes away', async () => {
    await expectSame(['yes | head -3', 'yes a b | head -2', "yes '' | head -2", 'yes -- -x | head -2', 'yes | head -c 5',
      'yes | tr y n | head -n 2', 'yes | nl | head -3', 'yes 1 | head -4 | paste -sd+', 'yes -x | head -1', 'yes --x=1']);
    // Nothing is left running.
    expect(harness().w.processes('redis-1').filter((p) => p.argv[0] === 'yes' || p.argv[0] === 'tr')).toEqual([]);
  });
});

describe('printf (differential)', () => {
  it('widths, precisions and flags like bash', async () => {
    await expectSame([
      "printf '%05.2f\\n' 3.14159", "printf '%-10s|\\n' ab", "printf '%5d|%-5d|%05d\\n' 42 42 42", "printf '%+d %+d\\n' 5 -5",
      "printf '% d\\n' 5", "printf '%x %X %o %#x %#o\\n' 255 255 8 255 8", "printf '%c\\n' hello", "printf '%e\\n' 1234.5",
      "printf '%g %g %g\\n' 0.0001 1234567 100", "printf '%.3s\\n' abcdef", "printf '%5.1f|\\n' 3.14159", "printf '%d %d\\n' 1",
      "printf '%s %s\\n' a b c", "printf '%%\\n'", "printf '%i\\n' 0x1f", "printf '%d\\n' 010", "printf '%d\\n' \"'A\"",
      "printf '%s\\n'", "printf 'x\\n' extra", "printf '%*d|\\n' 5 3", "printf '%-*d|\\n' 5 3", "printf '%.*f\\n' 2 3.14159",
      "printf '%b\\n' 'a\\tb'", "printf '%5s|%-5s|\\n' abcdefg x", "printf '%d\\n' -0", "printf '%u\\n' -1", "printf '%.2e\\n' 0",
      "printf '%G %E\\n' 1e-10 1e10", "printf '%08.3f\\n' -3.14159", "printf '%+.1f\\n' 2.25", "printf '%.0f %.0f\\n' 2.5 3.5",
      "printf '%x\\n' -1", "printf '%d\\n' ''", "printf '%d\\n' ' 5'", "printf 'a\\x41\\101\\u00e9\\n'", "printf '%-+5d|\\n' 3",
      "printf '%#.3g\\n' 1", "printf '%.3d\\n' 5", "printf '%10.4d|\\n' 5", "printf '%.1f\\n' 0.15", "printf '%.2f\\n' 1.005",
      "printf '%.1f\\n' 0.25", "printf '%.17g\\n' 0.1", "printf '%s %d\\n' a 1 b", "printf '%d\\n' +5", "printf '%5c|\\n' x",
      "printf '%f\\n' 0x10", "printf '%.3x\\n' 5", "printf '%o\\n' -1", "printf '%s\\n' -v", "printf -- '%s\\n' x",
      "printf '\\c stop\\n'", "printf '%s\\n' '\\n'", "printf '%b|\\n' 'a\\cb' x", "printf '%g\\n' 0", "printf '%g\\n' 1e-5",
      "printf '%g\\n' 123456", "printf '%#x\\n' 0", "printf '%+s\\n' a", "printf '%05s|\\n' a", "printf '%-05d|\\n' 3",
      "printf '% 05d|\\n' 3", "printf '%+05d|\\n' 3", "printf '%.0e\\n' 15000", "printf '%10.3e|\\n' 3.14159",
      "printf '%u\\n' 99999999999999999999", "printf '%d\\n' -99999999999999999999", "printf '%d\\n' 99999999999999999999",
      "printf '%f\\n' '\"A'", "printf '%d\\n' \"'\"", "printf '%d\\n' \"'AB\"", "printf '%s %s %s\\n' a b c d",
      "printf '\\101\\1011\\n'", "printf '\\x4a\\x4\\n'", "printf '\\0101\\n'", "printf '%b\\n' '\\0101\\101'", "printf '%b\\n' '\\x41\\u00e9'",
      "printf '%1\\$s\\n' a", "printf '%5.2s|\\n' abc", "printf '%*s|\\n' -5 a", "printf '%.*s|\\n' -1 abc", "printf '%e\\n' 1e400",
      "printf '%f\\n' 1e5000", "printf '%f\\n' nan", "printf '%5.1f|\\n' -inf", "printf '%05f|\\n' inf", "printf '%F\\n' inf",
      "printf '%a\\n' 1", "printf '%a %A\\n' 0.1 255", "printf '%f\\n' ' 1.5'", "printf '%f\\n' .5", "printf '%f\\n' 5.", "printf '%f\\n' '+.5e1'",
      "printf '%c' ''", "printf '%c|\\n'", "printf '%5s|%d|%f|%x|%c|%b|\\n'", "printf '%d\\n' \"'é\"", "printf '%c' é",
      "printf '%q\\n' '' 'a b' \"it's\" 'x*y' '~a' 'a~' '#a' 'a#' 'a=b' 'a,b' 'é' '{a}' 'a!b' '%^' 'a:b@c+d-e.f/g'", "printf '%q\\n' \"$(printf 'a\\tb')\"",
      "printf '%.3b|\\n' abcdef", "printf '%10b|\\n' 'a\\tb'", "printf '%-5c|%5c|\\n' a b", "printf '%hd %ld %lld %Lf %jd %zd\\n' 1 2 3 4.5 6 7",
      "printf '%5.3s|\\n' ab", "printf '%i %i\\n' 077 -0x10", "printf '%e\\n' 0x1p-3", "printf '%.3g|%.10g|%#g|%g\\n' 1234.5 1234.5 1.5 100000",
      "printf '%g %g\\n' 1e-4 0.00001234", "printf '%G\\n' 1e100", "printf '%f\\n' -0", "printf '%05.1e|%+e\\n' 3 -2", "printf '%s\\n' 'a%b'",
      "printf -- '--\\n'", "printf '%d%%\\n' 50", "printf ''", "printf '%s=%s\\n' port 6379 bind 0.0.0.0", "printf '%-8s%6.2f\\n' cpu 12.345 mem 0.5",
      "printf '%s\\n' $(seq 3)", "x=$(printf '%03d' 7); echo $x", "printf '%.2f\\n' 2.675", "printf '%.15g\\n' 0.1", "printf '%.20f\\n' 0.1",
      "printf '%.0f\\n' 0.5 1.5", "printf '%g\\n' 1e300 1e-300", "printf '%.40e\\n' 1", "printf '%5.0f|\\n' 99.5",
    ]);
  });

  it('invalid numbers and formats: message, partial value, status 1', async () => {
    await expectSame([
      "printf '%d\\n' abc", "printf '%d\\n' 12abc", "printf '%f\\n' abc", "printf '%z\\n'", "printf '%d\\n' '5 '", "printf 'ab%yc\\n' 1",
      "printf '%5%|\\n'", "printf '%d\\n' 1.5", "printf '%.2f\\n' 1,5", "printf '%d\\n' 0x1g", "printf '%d\\n' 012a", "printf '%d\\n' 0a",
      "printf '%d\\n' 9a", "printf '%x\\n' 0xg", "printf '%d\\n' -", "printf '%x\\n' 3.0", "printf '%d\\n' 0x", "printf '%d\\n' 08",
      "printf '%e\\n' abc", "printf '%x %o\\n' 1e3 1", "printf '%f\\n' '1.5 '", "printf '%f\\n' 1e", "printf 'a%'", "printf '%-'",
      "printf '%5'", "printf '%.'", "printf '%*s|\\n' x a", "printf '%.*d|\\n' x 5", 'printf', 'printf -x',
      "printf '\\xg|\\u|\\U|\\q|\\e|\\E|\\?|\\\"\\n'", "printf '%b\\n' '\\q\\x\\xg'", "printf '%d\\n' abc; echo status=$?",
    ]);
  });
});

describe('sort (differential)', () => {
  it('keys, separators, numeric and reverse combinations', async () => {
    await expectSame([
      'sort sort.txt', 'sort -r sort.txt', 'sort -n sort.txt', 'sort -n -r sort.txt', 'sort -rn sort.txt', 'sort -k2 sort.txt',
      'sort -k2 -n sort.txt', 'sort -k2n sort.txt', 'sort -k2,2n -k1,1 sort.txt', 'sort -k2,2nr sort.txt', 'sort -k 3 sort.txt',
      'sort -k1,1 -k2,2n sort.txt', 'sort -t, -k2 -n csv.txt', 'sort -t, -k2,2nr csv.txt', 'sort -t , -k 3 csv.txt', 'sort -t, -k3,3 -k1,1r csv.txt',
      'sort -u sort.txt', 'sort -f sort.txt', 'sort -fu sort.txt', 'sort -k1,1 -u sort.txt', 'sort -nu sort.txt', 'sort -k1.2 sort.txt',
      'sort -k2.1,2.1 sort.txt', 'sort -b -k2 sort.txt', 'sort -s -k1,1 sort.txt', 'sort -r -k2,2n sort.txt', 'sort -k2 -t " " -n sort.txt',
      'sort -t: -k2 colon.txt', 'sort mixed.txt', 'sort -f mixed.txt', 'sort words.txt nums.txt', 'sort -n nums.txt words.txt',
      "printf '10\\n9\\n100\\n-1\\n1e3\\n 5\\n' | sort -n", "printf 'b\\na\\n' | sort -", "printf '1.5\\n1.10\\n1.9\\n' | sort -n",
      'sort -o /dev/stdout nums.txt', 'sort -c nums.txt', 'sort -c sort.txt', 'sort -C sort.txt; echo $?',
      "printf '2K\\n1M\\n3\\n512\\n1G\\n' | sort -h", "printf 'a\\nB\\nc\\n' | sort -f -r",
      'sort -V versions.txt', 'sort -rV versions.txt', 'sort -t- -k2V versions.txt', 'sort -M months.txt', 'sort -Mr months.txt',
      'sort -k 1.0 sort.txt', 'sort -k 1,0 sort.txt', 'sort -k 1.x sort.txt', 'sort -k1,x sort.txt', 'sort -k 1z sort.txt',
      "sort -t '' sort.txt", 'sort dir', 'sort -c nope', 'sort -cu colon.txt', "printf 'a\\na\\n' | sort -cu", 'sort -o', 'sort -n -g sort.txt',
      'sort -k', 'sort sort.txt nope', 'sort -o out.sorted nums.txt && cat out.sorted && rm out.sorted',
      'sort nope', 'sort -k 0 sort.txt', 'sort -k x sort.txt', 'sort -t ab sort.txt', 'sort -x sort.txt',
      'sort --bogus=1 sort.txt', 'sort --stable=1 sort.txt',
    ]);
  });

  it('every long option of its table: abbreviations, --sort=WORD, -R with a random source, -m, --files0-from, checked sizes', async () => {
    await expectSame([
      'sort --s', 'sort --so=n k.txt', 'sort --sort=foo k.txt', 'sort --sort=h k.txt', 'sort --sort=nu k.txt', 'sort --sort=version -k2 k.txt',
      'sort -R --random-source=salt.bin rin.txt', 'sort --random-sort --random-source=salt.bin -r rin.txt', 'sort -k2R --random-source=salt.bin k.txt',
      'sort -R --random-source=short.bin rin.txt', 'sort -R --random-source=nope rin.txt', 'sort -R rin.txt | sort | uniq -c', 'sort -nR k.txt',
      'sort -m ab.txt ca.txt', 'sort -m -u ab.txt ca.txt ab.txt', "printf 'ab.txt\\0ca.txt\\0' | sort --files0-from=-", 'sort --files0-from=nope',
      'sort --files0-from=- x </dev/null', "printf '' | sort --files0-from=-", "printf 'ab.txt\\0\\0' | sort --files0-from=-", "printf -- '-\\0' | sort --files0-from=-",
      'sort -S 0 ab.txt; sort -S 1x ab.txt; sort -S 10% ab.txt; sort --buffer-size=5b ab.txt; sort -S -1 ab.txt; sort -S 1KB ab.txt',
      'sort --parallel=0 ab.txt; sort --parallel=x ab.txt; sort --parallel=3 ab.txt', 'sort --batch-size=1 ab.txt; sort --batch-size=x ab.txt; sort --batch-size=2 ab.txt',
      'sort --compress-program=nosuch ab.txt; sort --compress-program=a --compress-program=b ab.txt',
      'sort --check=foo k.txt; sort --check=q k.txt; echo $?; sort --check=d k.txt; echo $?; sort --check=s k.txt; sort -c -C k.txt; sort -C -c k.txt',
      'sort -o a -o b ab.txt; sort -t, -t: ab.txt; sort -t, -t, ab.txt', 'sort --random-source=a --random-source=b ab.txt',
      'sort --help | head -3; sort --version | head -1', 'sort --he | tail -1; sort --ver | head -1; sort --v', 'sort --foo ab.txt -o a -o b', 'sort -o a -o b --foo ab.txt',
    ]);
  });
});

describe('grep (differential)', () => {
  it('recursive search, -l, -o, -w, -q, context, counts', async () => {
    await expectSame([
      'grep -r port dir | sort', 'grep -R port dir | sort', 'grep -rn port dir | sort', 'grep -rl port . | sort', 'grep -r port dir/a.conf',
      'grep -rh port dir | sort', 'grep -rc port dir | sort', 'grep -ri PORT dir | sort', 'grep port dir', 'grep -r nomatch dir; echo $?',
      'grep -l hello mixed.txt words.txt', 'grep -L hello mixed.txt words.txt', 'grep -li hello mixed.txt words.txt',
      'grep -o foo mixed.txt', 'grep -on "o[a-z]" mixed.txt', 'grep -oi hello mixed.txt', 'grep -o -E "[0-9]+" csv.txt',
      'grep -w foo mixed.txt', 'grep -w bar mixed.txt', 'grep -wc hello mixed.txt', 'grep -wi hello mixed.txt', 'grep -wo foo mixed.txt',
      'grep -q foo mixed.txt; echo $?', 'grep -q nothing mixed.txt; echo $?', 'grep -q foo nope mixed.txt; echo $?', 'grep -qs foo nope; echo $?',
      'grep -A1 match ctx.txt', 'grep -B1 match ctx.txt', 'grep -C1 match ctx.txt', 'grep -A2 -n match ctx.txt', 'grep -C 3 l6 ctx.txt',
      'grep -A1 match ctx.txt words.txt', 'grep -B2 l1 ctx.txt', 'grep -A1 -B3 l5 ctx.txt', 'grep -vc match ctx.txt', 'grep -m1 match ctx.txt',
      'grep -m2 -c match ctx.txt', 'grep -n -e l1 -e l2 ctx.txt', 'grep -x l3 ctx.txt', 'grep -E "l(1|3)$" ctx.txt', 'grep -F "a.b" colon.txt',
      'grep -c port dir/a.conf dir/sub/b.conf', 'grep -H port dir/a.conf', 'grep -h port dir/a.conf dir/sub/b.conf', 'grep -s port nope; echo $?',
      'cat mixed.txt | grep -o bar', 'grep -e foo -e HELLO mixed.txt', 'grep -i -e FOO mixed.txt', 'grep -lv foo mixed.txt',
      'grep -r --include="*.conf" port . | sort', 'grep -A1 -m1 match ctx.txt',
    ]);
  });

  it('long options as getopt_long takes them: a prefix of one option spelled two ways, the possibilities it lists, --name=value', async () => {
    // --fixed-regexp and --fixed-strings are both -F: glibc leaves the second out of the list.
    await expectSame(['grep --fi x words.txt', 'grep --f=x words.txt', 'grep --co=x x words.txt', 'grep --col=never foo mixed.txt', 'grep --fixed foo mixed.txt', 'grep --bogus=1 x words.txt']);
  });
});

describe('wc (differential)', () => {
  it('counts, columns as wide as GNU makes them, totals, unreadable operands in their place', async () => {
    await expectSame([
      'wc csv.txt', 'wc -l csv.txt', 'wc -l < csv.txt', 'wc < csv.txt', 'cat csv.txt | wc', 'cat csv.txt | wc -l', 'wc csv.txt words.txt',
      'wc -l csv.txt words.txt nums.txt', 'wc -c nums.txt', 'wc -w nums.txt', 'wc nope', 'wc -l nope nope2', 'wc csv.txt nope words.txt',
      'wc dir', 'wc -l dir', 'wc dir csv.txt', 'wc -L long.txt', 'wc -m utf8.txt', 'wc -lwmcL utf8.txt', 'wc --lines csv.txt',
      'wc --bytes --words csv.txt', 'wc --bogus', 'wc --bogus=1', 'wc --l=1', 'wc -x', 'wc - < csv.txt', 'wc -l - csv.txt < words.txt', 'wc < /dev/null', 'wc -l /dev/null',
      "printf 'héllo 日本\\n' | wc -m -L -c -w", "printf '\\001 a\\n' | wc -w", "printf '\\001\\n' | wc -w", "printf 'a\\tb\\n' | wc -L",
      "printf 'a\\rbcd\\n' | wc -L", "printf '\\377\\376 a\\n' | wc -m -w", 'wc <<< "x y"', 'echo | wc', "printf '' | wc", "wc ''", 'wc -l *.nomatch',
    ]);
  });
});

describe('file names in messages (differential)', () => {
  it('quoted for the shell when they need it, as GNU quotef does', async () => {
    await expectSame([
      'cat *.nomatch', "cat 'a b' \"it's\" 'x$y' 'a=b' '@x' '{' '#a' 'a#' '~a' 'a,b' 'a!b' \"a'b\\$c\" 'a:b' 'a\\b' $'a\\nb' $'\\x7f' '' é",
      'wc *.nomatch', "wc -l 'a b' 'a:b'", 'sort *.nomatch', 'uniq *.nomatch', 'cut -c1 *.nomatch', 'paste *.nomatch', 'nl *.nomatch',
      'fold *.nomatch', "md5sum *.nomatch 'a b'", "sha256sum '*.rdb'", 'cat dir',
    ]);
  });
});

describe('seq (differential)', () => {
  it('decimals, steps, separators, equal width, formats and errors', async () => {
    await expectSame([
      'seq 3', 'seq 2 5', 'seq 1 0.5 2', 'seq 1 2.50', 'seq -w 8 11', 'seq -s, 3', "seq -s ', ' 1 3", "seq -f 'n%03g' 3",
      'seq 0.1 0.1 0.5', 'seq -w 0.5 1 3', 'seq 5 -2 1', 'seq 1e2 1e2 3e2', 'seq -w -3 3', 'seq 3 1', "seq -s '' 3",
      'seq 1.50 3', 'seq -5 -1', 'seq 10 -3 -4', 'seq -f %.2f 1 3', 'seq --separator=: 4', 'seq --equal-width 98 101',
      'seq x', 'seq -q', 'seq 1 0 3', 'seq', "seq -f '%d' 3", "seq -f 'x' 3", "seq -f '%g %g' 3", 'seq 1 2 3 4',
    ]);
  });

  it('long sequences are whole (written in chunks), and a reader that goes away ends one', async () => {
    await expectSame([
      'seq 1 2500000 | wc -l; seq 1 2500000 | tail -1', 'seq -s, 1 200000 | md5sum', 'seq 1 100000000 | head -2',
    ]);
  });
});

describe('on a terminal', () => {
  it('yes runs until Ctrl-C; xargs -p asks before each command', async () => {
    const w = harness().w;
    const term = w.openTerminal('redis-1');
    await typeAndRun(w, term, 'yes hi', 100);
    expect(w.processes('redis-1').some((p) => p.argv[0] === 'yes')).toBe(true);
    w.interrupt(term);
    await w.advance(50);
    expect(w.processes('redis-1').some((p) => p.argv[0] === 'yes')).toBe(false);
    expect(w.terminal(term)!.text()).toContain('hi\nhi\n');
    expect(await typeAndRun(w, term, 'printf "a\\nb\\n" | xargs -p -n1 echo', 50)).toMatch(/echo a \?\.\.\.$/);
    expect(await typeAndRun(w, term, 'y', 50)).toBe('y\na\necho b ?...');
    expect(await typeAndRun(w, term, 'n', 50)).toMatch(/^n\nroot@redis-1:~# $/);
    expect(await sim('echo a | xargs -p echo')).toEqual({ output: 'xargs: failed to open /dev/tty for reading: No such device or address\n', code: 1 });
  });
});

describe('the new commands inside the simulation', () => {
  it('are found by the shell and run in pipelines', async () => {
    const out = await sim("printf 'k1 v1\\nk2 v2\\n' | cut -d' ' -f1 | tr a-z A-Z | paste -sd, | rev");
    expect(out).toEqual({ output: '2K,1K\n', code: 0 });
    expect((await sim('seq 5 | tac | nl -w1 -s. | fold -w 2 | head -4')).output).toBe('1.\n5\n2.\n4\n');
    expect((await sim('expr $(seq 10 | paste -sd+ | tr + " " | xargs -n1 | wc -l) \\* 2')).output).toBe('20\n');
  });
});
