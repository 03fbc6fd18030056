/**
 * sed against this machine's GNU sed 4.9: the same lines in the simulated shell and in the real
 * bash, over the same files, compared byte for byte with their exit statuses. Lines that edit a
 * file in place work on a copy of their own (the real lines run side by side).
 */
import { describe, it } from 'vitest';
import { useShellDifferential } from './shell-differential';

const FILES: Record<string, string> = {
  'redis.conf': 'port 6379\nbind 127.0.0.1\ndaemonize no\nappendonly no\nsave 900 1\nsave 300 10\ndir /var/redis/6379\n',
  'letters.txt': 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n',
  'noeol.txt': 'one\ntwo',
  'empty.txt': '',
  'dir/x.conf': 'x\n',
};

const { expectSame } = useShellDifferential('shell-sed', FILES);

describe('sed (differential)', () => {
  it('substitutions as the labs write them, and their flags', async () => {
    await expectSame([
      "sed 's/no/yes/g' redis.conf", "sed 's/no/yes/' redis.conf > s1.conf; cat s1.conf", "sed 's/^save/# save/' redis.conf",
      "sed 's#/var#/opt#' redis.conf", "sed 's|/var|/srv|' redis.conf", "sed 's/\\//|/g' redis.conf",
      "sed 's/\\(port\\) \\([0-9]*\\)/\\2 \\1/' redis.conf", "sed -r 's/(port) ([0-9]+)/\\2 \\1/' redis.conf",
      "sed -E 's/[0-9]{2,}/N/g' redis.conf", "sed 's/[0-9]\\{3\\}/N/' redis.conf", "sed 's/[[:digit:]]\\+/N/g' redis.conf",
      "sed 's/[[:space:]]/_/g' redis.conf", "sed \"s/6379/$((6379+1))/\" redis.conf", "sed 's/.*/\"&\"/' noeol.txt",
      "sed 's/a/[&]/;s/c/\\&/' letters.txt", "sed 's/a\\|b/X/g' letters.txt", "sed 's/A/x/I' letters.txt",
      "sed -E 's/(a|b)+/<\\1>/' letters.txt", "sed 's/a/\\U&x/' letters.txt", "sed -n 's/a/X/p' letters.txt",
      "echo 'hello world' | sed 's/\\w\\+/[&]/g'", "echo aaa | sed 's/a/b/2g'", "echo a.b.c | sed 's/\\./-/2'",
      "printf 'abc\\n' | sed 's/b*/-/g'", 'echo abc | sed \'s/\\(.\\)/\\1\\n/g\'', "echo Hello | sed 's/.*/\\L&/; s/^./\\u&/'",
      "echo aXbXc | sed 's/X/\\t/g'", "echo path/to/file | sed 's/\\(.*\\)\\/\\(.*\\)/\\2 in \\1/'", "echo 1 | sed 's/1/&&/'",
      "echo 'key: value' | sed 's/: */=/'", "sed 's/a/b/ g' letters.txt", "sed 's/a/b/g ;p' letters.txt", "echo hello | sed 's/l/L/3'",
      "printf 'x\\r\\ny\\r\\n' | sed 's/\\r$//' | sed -n l", "sed 's/ *$//' redis.conf | head -2",
    ]);
  });

  it('addresses, ranges, negation and blocks', async () => {
    await expectSame([
      "sed -n '2,4p' redis.conf", "sed -n '/save/p' redis.conf", "sed '2d' redis.conf", "sed '$d' redis.conf", "sed -n '$p' redis.conf",
      "sed '/a/,/c/d' letters.txt", "sed '2!d' letters.txt", "sed '1~2d' letters.txt", "sed '2,+1d' letters.txt", "sed -n '4,2p' letters.txt",
      "sed -n '/b/,1p' letters.txt", "sed -n '/a/,/x/p' letters.txt", "sed -n '1~0p' letters.txt", "sed -n '0~4p' letters.txt",
      "sed -n '0,/a/p' letters.txt", "sed -n '1,/a/p' letters.txt", "sed -n '2,~4p' letters.txt", "sed '1d;$d' letters.txt",
      "sed -n '2{p;p}' letters.txt", "sed '2{p};p' noeol.txt", "sed -n '/a/{/b/!p}' letters.txt", "sed '  2  p' noeol.txt",
      "sed '2 !p' noeol.txt", "sed -n '/save/!p' redis.conf", "sed '/save/,$d' redis.conf", "sed -n '/bind/,+2p' redis.conf",
      "sed -n '/^save/{p;q}' redis.conf", "sed -n '/port/{s/port/PORT/;p}' redis.conf", "sed -e '/^#/d' -e '/^$/d' redis.conf",
      "sed '/^bind/s/^/# /' redis.conf", "sed -n '/^save/s/ .*//p' redis.conf", "sed '/a/I p' letters.txt", "sed -n '/[0-9]\\{4\\}/p' redis.conf",
      "sed -s -n '$p' letters.txt noeol.txt", "sed -n '$p' letters.txt noeol.txt", "sed ';;p' noeol.txt", "echo x | sed '{p;};p'",
      "echo x | sed 'p # comment'", "echo x | sed 's/x/y/ # c'", "echo x | sed ''", "echo x | sed -n ''", "sed -n p empty.txt",
    ]);
  });

  it('a, i, c, y, =, l, q, Q, n, N, D, P, G, H, x, z, r, w and labels', async () => {
    await expectSame([
      "sed '1i # top' redis.conf", "sed '/port/a added' redis.conf", "sed '/^dir/c dir /data' redis.conf", "sed '2i\\  hello' letters.txt",
      "sed '2a  hello  ' letters.txt", "sed '1,2c new' letters.txt", "sed '2!c new' noeol.txt", "sed -e 'a\\' -e 'foo' noeol.txt",
      "sed 'y/abc/xyz/' redis.conf", 'echo hello | sed y/el/ip/', 'sed = noeol.txt', "sed -n '/b/=' letters.txt", "sed -n '$=' letters.txt",
      "sed = letters.txt | sed 'N;s/\\n/ /'", "sed -n l noeol.txt", "printf 'a\\tb\\\\\\001\\n' | sed -n l", "printf 'x\\r\\ny\\r\\n' | sed -n l",
      "sed '3q' letters.txt", "sed '3q5' letters.txt; echo $?", "sed '3Q' letters.txt", "sed '2Q3' letters.txt; echo $?", 'yes | sed 3q',
      "printf '1\\n' | sed 'n;s/1/X/'", "seq 5 | sed 'n;d'", "sed n letters.txt", "sed '$!N;s/\\n/-/' letters.txt",
      "sed ':a;N;$!ba;s/\\n/,/g' letters.txt", "sed '$!{N}; P; D' letters.txt", "sed 'N;P;D' letters.txt", "sed '1!G;h;$!d' letters.txt",
      "sed 'h;d' letters.txt", 'echo hi | sed "x;G"', "sed '2,4z' letters.txt", "sed 'r noeol.txt' noeol.txt", "sed 'r nope' letters.txt",
      "sed 'w w1.txt' letters.txt > /dev/null; cat w1.txt", "sed -n 'w /dev/stdout' noeol.txt", "sed 's/b/B/w w2.txt' letters.txt >/dev/null; cat w2.txt",
    ]);
  });

  it('a last line without its newline stays without one, unless something is printed after it', async () => {
    await expectSame([
      "printf a | sed p", "printf 'a\\nb' | sed 'a x'", "printf 'a\\nb' | sed '$!d;i x'", "sed 'p' noeol.txt", "sed -n 's/two/2/p' noeol.txt",
      'sed G noeol.txt', "sed 'r nope' noeol.txt", "sed 'r letters.txt' noeol.txt", "sed '$a end' noeol.txt", "sed 'a\\' noeol.txt",
      'sed x noeol.txt', "sed 'h;x' noeol.txt", "sed '1h;2g' noeol.txt", 'sed z noeol.txt', "sed '$i x' noeol.txt",
      "sed 'w w3.txt' noeol.txt >/dev/null; cat w3.txt", "printf '' | sed p", "printf '\\n' | sed p",
    ]);
  });

  it('-i edits files in place, with a backup suffix', async () => {
    await expectSame([
      "cp noeol.txt i1.txt; sed -i 's/one/1/' i1.txt; cat i1.txt", "cp noeol.txt i2.txt; sed -i.bak -e '$d' i2.txt; cat i2.txt.bak; echo; cat i2.txt",
      "cp redis.conf i3.conf; sed -i 's/^appendonly no/appendonly yes/' i3.conf; grep append i3.conf",
      "cp redis.conf i4.conf; sed -i -e 's/^port 6379/port 6380/' -e 's#/6379#/6380#' i4.conf; cat i4.conf",
      "cp redis.conf i5.conf; sed -i '3q' i5.conf; cat i5.conf", "cp redis.conf i6.conf; sed -i -n '/save/p' i6.conf nope; echo $?; cat i6.conf",
      "cp redis.conf i7.conf; sed -i 'p' i7.conf dir i7.conf; echo $?; wc -l i7.conf", "cp redis.conf i8.conf; sed -ibak 's/a/A/' i8.conf; ls i8.conf*",
      "cp letters.txt i9.txt; sed --in-place=.orig 1d i9.txt; head -1 i9.txt i9.txt.orig", "cp letters.txt i10.txt; sed -s -i '$d' i10.txt noeol.txt.x; wc -l i10.txt",
      "sed -i 's/x/y/' nope", 'sed -i p dir', 'sed -i p',
    ]);
  });

  it('options, operands and script errors in GNU words, with their positions', async () => {
    await expectSame([
      'sed', 'sed -k p letters.txt', 'sed --bogus p letters.txt', 'sed -n', 'sed -e', 'sed 2', 'sed -f nope letters.txt',
      "sed 's/a/b/' nope", "sed 's/a/b/' dir", "sed -n '$p' letters.txt nope", 'sed --expression=1p -n letters.txt', 'sed --quiet 1p letters.txt',
      'sed -n 1p - < letters.txt', 'cat redis.conf | sed -n 1p', 'sed -n -e 2p -e 3p letters.txt', 'sed -ne 2p letters.txt', "sed -rn 's/(b)/\\1\\1/p' letters.txt",
      "sed 's/port/PORT' redis.conf", "sed 's/a/b/x' redis.conf", 'sed redis.conf', "sed 'p;k' letters.txt", 'sed -e p -e k letters.txt',
      "sed '{p' letters.txt", "sed 'p}' letters.txt", "sed '2{' letters.txt", "sed a letters.txt", "sed 'a\\' letters.txt", "sed dx letters.txt",
      "sed 0p letters.txt", "sed '1,' letters.txt", "sed ',2p' letters.txt", "sed 's/a/b/gg' letters.txt", "sed 's/a/b/pp' letters.txt",
      "sed 's/a/b/0' letters.txt", "sed 's/\\(a/b/' letters.txt", "sed 's/a/\\1/' letters.txt", "sed 'y/ab/x/' letters.txt", "sed '/\\(/p' letters.txt",
      "sed 's/[/x/' letters.txt", "sed '/[/p' letters.txt", "sed 's/a/b/w' letters.txt", "sed 'b nolabel' letters.txt", "echo x | sed '1!!p'",
      "sed '$!N;s/\n/-/' letters.txt", "sed 's/b/\n/' letters.txt",
    ]);
  });
});
