/**
 * The file commands (ls, cp, mv, rm, mkdir, head, tail, cat) against this machine's GNU
 * coreutils: the same lines in the simulated shell and in the real bash, over the same files,
 * compared byte for byte with their exit statuses. Times differ (virtual clock against the real
 * one), so long listings are cut before the date. Lines that change files use names of their
 * own (the real lines run side by side).
 */
import { describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';
import { typeAndRun, world } from './helpers';

const FILES: Record<string, string> = {
  'redis.conf': 'port 6379\nbind 127.0.0.1\nappendonly no\n',
  'log.txt': 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n',
  'noeol.txt': 'one\ntwo',
  'run.sh': 'echo run\n',
  'data/dump.rdb': 'REDIS0009xxx',
  'data/sub/x.aof': '*1\r\n$4\r\nPING\r\n',
  'backup/20240101/dump.rdb': 'old',
  'backup/20240102/dump.rdb': 'old2',
};

const { expectSame } = useShellDifferential('shell-files', FILES);

describe('ls (differential)', () => {
  it('operands: files first, then directories in order, named when there are several', async () => {
    await expectSame([
      'ls data backup', 'ls backup data redis.conf', 'ls nope data', 'ls -l nope data | head -2', 'ls -d data backup', 'ls -1 data backup',
      'ls -R data', 'ls -a data', 'ls -r backup data',
    ]);
  });

  it('-h sizes, -S, -F and -p', async () => {
    await expectSame([
      "ls -lh data | awk '{print $1, $2, $5, $NF}'", "ls -lh data/dump.rdb | awk '{print $5, $NF}'", 'ls -S data', 'ls -Sr data', 'ls -F data', 'ls -p data',
      'ls -F run.sh', 'cp run.sh run2.sh && chmod +x run2.sh && ls -F run2.sh', "ls -lF data | awk '{print $1, $5, $NF}'", "ls -lSh backup/20240101 data | awk '{print $1, $5, $NF}'",
    ]);
  });
});

describe('cp, mv, rm, mkdir (differential)', () => {
  it('cp: targets, the same file, directories, -v, -n', async () => {
    await expectSame([
      'cp data/dump.rdb c1/', 'cp redis.conf log.txt/', 'cp -r data/sub c2/ && ls c2', 'cp data/dump.rdb c3/x', 'cp redis.conf log.txt nodir',
      'cp redis.conf log.txt noeol.txt', 'cp -v redis.conf c4.conf', 'mkdir c5 && cp -v redis.conf log.txt c5', 'cp -rv data/sub c6',
      'cp redis.conf .', 'cp redis.conf ./', 'cp redis.conf data/..', 'mkdir -p s1/d && cp -r s1/d s1/d/x', 'cp -r data .',
      'cp -r data/sub redis.conf', 'mkdir -p c7/dump.rdb && cp data/dump.rdb c7', 'cp c8.txt c9.txt', 'cp -n redis.conf log.txt; head -1 log.txt',
      'cp data c10', 'cp', 'cp redis.conf', 'cp -r data/sub c11 && cp -r data/sub c11 && ls -R c11', 'cp -x redis.conf c12', 'cp -z redis.conf c13',
    ]);
  });

  it('cp -rv and mv -v name what they copy or move into a directory given with trailing slashes as GNU does', async () => {
    // GNU cp walks a directory in the order it reads it (inode order on ext4), which differs
    // from machine to machine; ours walks by name. Sorted, only the names are compared.
    await expectSame([
      'cp -rv data/ t1 | sort', 'cp -rv data t2 | sort', 'mkdir t3 && cp -rv data/ t3/ | sort', 'mkdir t4 && cp -rv data t4/ | sort', 'cp -rv data// t5 | sort', 'mkdir t6 && cp -rv data//sub/ t6//',
      'mkdir t7 && cp -v redis.conf t7//', 'mkdir t8 && cp -rv data/sub/. t8/s', 'cp -v redis.conf/ t9', 'cp -v redis.conf t10/',
      'cp -r data t11 && mv -v t11/ t12', 'cp -r data t13 && mkdir t14 && mv -v t13// t14//', 'cp -r data t15 && mv -v t15// t16/',
      'cp redis.conf t17 && mkdir t18 && mv -v t17 t18/', 'cp redis.conf t19 && mv -v t19/ t20',
    ]);
  });

  it('mv: the same file, into itself, onto the wrong kind, missing directories, -v, -n', async () => {
    await expectSame([
      'mv log.txt log.txt', 'mv log.txt .', 'mv log.txt ./', 'cp redis.conf m1.conf; mv m1.conf nodir/', 'cp redis.conf m2.conf; mv m2.conf nodir/y',
      'mkdir m3 && mv m3 m3/sub', 'mkdir m4 && mv m4 m4', 'mkdir -p m5/sub && mv m5 m5/sub', 'mv nope1 nope2 nodir', 'mv nope1 nope2 redis.conf',
      'cp redis.conf m6.conf; mv -v m6.conf m7.conf', 'mkdir m8; cp redis.conf m9.conf; mv -v m9.conf m8', 'mkdir m10 && mv m10 noeol.txt',
      'cp redis.conf m11; mkdir -p m12/m11 && mv m11 m12', 'cp redis.conf m13; mv -n m13 redis.conf; ls m13', 'mkdir m14 && mv m14/ m15 && ls -d m15',
      'mv', 'mv redis.conf', 'mv nope m16',
    ]);
  });

  it('rm and mkdir: -v, -d, -m, -p', async () => {
    await expectSame([
      'mkdir r1 && mkdir r1; echo $?', 'mkdir -v r2', 'mkdir -pv r3/a/b', 'mkdir -p r4/a && mkdir -pv r4/a/c', 'mkdir -pv ./r5/./a/',
      'mkdir -m 700 r6 && ls -ld r6 | cut -c1-10', 'mkdir -m u=rwx,go=rx r7 && ls -ld r7 | cut -c1-10', 'mkdir -m abc r8',
      'mkdir -pm 700 r9/x && ls -ld r9 r9/x | cut -c1-10', 'mkdir r10 && rm -d r10 && echo gone', 'mkdir r11 && touch r11/f && rm -d r11',
      'mkdir r12 && touch r12/x && rm -rv r12', 'touch r13 && rm -v r13', 'mkdir -p r14/a/b && touch r14/a/b/f && rm -rv r14', 'rm data',
      'rm -r nope', 'rm -f nope; echo $?', 'rm', 'rm -f', 'mkdir', 'mkdir r15/r16', 'rmdir nope', 'rmdir data',
    ]);
  });

  it('cp -i, mv -i, rm -i: GNU\'s questions on stderr, the answer a line of stdin (none: no); the last of -i, -f, -n wins', async () => {
    await expectSame([
      'echo A > ia; echo B > ib; echo y | cp -i ia ib; echo "rc=$?"; cat ib; echo B > ib; echo n | cp -i ia ib; echo "rc=$?"; cat ib',
      'echo A > ja; echo B > jb; cp -i ja jb; echo "rc=$?"; cp -i ja jc; cat jc; cp -n -i ja jb; cp -i -n ja jb; cp -if ja jb; echo "rc=$?"; cat jb',
      'mkdir kd; echo A > ka; cp ka kd/; echo Yes | cp -iv ka kd; cat kd/ka; cp -i ka kd/kb; ls kd',
      // inside a copied directory too (one file each: GNU copies a directory's entries in the order it reads them)
      'mkdir -p lr/a lr/b && echo new > lr/a/f && echo g > lr/b/g && mkdir -p ld/a && echo old > ld/a/f; cp -rn lr/a ld/; cat ld/a/f; ls ld/a; echo n | cp -ri lr/a ld/; cat ld/a/f; echo y | cp -ri lr/a ld/; cat ld/a/f; cp -r lr/b ld/a; cp -rin lr/b ld/a; cp -rni lr/b ld/a; echo "rc=$?"',
      'echo A > ma; echo B > mb; echo no | mv -i mb ma; echo "rc=$?"; ls m?; echo yes | mv -i mb ma; ls m?; cat ma',
      'echo A > na; echo C > nc; mv -f -i nc na; echo "rc=$?"; ls n?; mv -i -f nc na; ls n?; cat na; echo D > nd; mv -n nd na; mv -n -i nd na; cat na',
      'echo x > ra; : > re; printf "y\\nn\\n" | rm -i ra re; echo "rc=$?"; ls r?; rm -if re; ls r?; echo x > rf; rm -fi rf; rm -vi rf <<< y; ls r?',
      'mkdir sd; rm -i sd; echo "rc=$?"; echo y | rm -di sd; ls -d sd; rm -i nope; rm -fi nope; rm -if nope; echo "rc=$?"',
      'mkdir -p td/s; printf "y\\ny\\ny\\n" | rm -ri td; ls -d td; mkdir -p td/s; printf "y\\nn\\n" | rm -ri td; ls -R td; echo n | rm -ri td; rm -r td',
      // (not with -v: GNU rm's stdout to a file is written at its exit, after all the questions)
      'mkdir -p ud/e && echo x > ud/e/f; printf "y\\ny\\nyes\\ny\\nY\\n" | rm -ri ud; ls -d ud',
    ]);
  });
});

describe('head and tail (differential)', () => {
  it('lines, bytes, several files with headers, a directory or a missing file in its place', async () => {
    await expectSame([
      'head -3 log.txt', 'head -n 3 log.txt', 'head -n -3 log.txt', 'head -c 5 log.txt', 'head -c -5 log.txt', 'head log.txt redis.conf',
      'head -n x log.txt', 'head nope', 'head data', 'head -2 log.txt data redis.conf', 'head -2 nope log.txt', 'head -n1 - < log.txt',
      'head -n1 log.txt - < redis.conf', 'tail -3 log.txt', 'tail -n 3 log.txt', 'tail -n +2 log.txt', 'tail -n +11 log.txt', 'tail -c 5 log.txt',
      'tail log.txt redis.conf', 'tail -n x log.txt', 'tail nope', 'tail data', 'tail -n1 log.txt data nope redis.conf', 'tail -1 noeol.txt',
      'tail -n 1 noeol.txt | wc -c', 'tail -c +3 noeol.txt', 'cat log.txt | tail -n 2', 'head -c 0 log.txt', 'tail -n 0 log.txt',
    ]);
  });
});

describe('cat (differential)', () => {
  it('-A, -E, -T, -v, -e, -t, -n, -b, -s, across files', async () => {
    await expectSame([
      'cat -A data/sub/x.aof', 'cat -A noeol.txt', 'cat -E redis.conf', "printf 'a\\tb\\r\\n\\001\\303\\251\\n\\n\\n\\nz' | cat -A",
      "printf 'a\\tb\\n' | cat -T", "printf 'x\\001\\200\\377\\177\\n' | cat -v", "printf 'a\\tb\\n' | cat -t", "printf 'a\\r\\n' | cat -e",
      "printf 'a\\n\\n\\nb\\n' | cat -s", "printf '\\n\\n\\na\\n\\n' | cat -s", "printf 'a\\n\\nb\\n' | cat -b", "printf 'a\\n\\nb\\n' | cat -bE",
      "printf 'a\\n\\n\\nb\\n' | cat -sn", 'cat -n noeol.txt log.txt', 'cat -b noeol.txt redis.conf', 'cat -n log.txt noeol.txt',
      'cat --show-all noeol.txt', 'cat --number redis.conf', 'cat --bogus', 'cat -z', 'cat -A nope redis.conf',
    ]);
  });
});

describe('find -exec (differential)', () => {
  it('runs commands per file or batched, true when they succeed, and warns of a directory it removed', async () => {
    await expectSame([
      "find data -name '*.aof' -exec cat {} \\;", "find data -name '*.aof' -exec ls {} +", 'find data -exec echo {} \\; | sort', 'find data -exec echo {}',
      'find data -exec echo {} + | tr " " "\\n" | sort', 'find data -exec \\;', 'find data -type f -exec echo file: {} \\; | sort', 'find data -exec echo x{}y \\; | sort',
      'find data -type f -exec nosuch {} \\;; echo $?', 'find data -type f -exec false \\; -print', 'find data -type f -exec true \\; -print | sort',
      "find data -type f -exec sh -c 'echo $0' {} \\; | sort", 'find data -type f -exec false {} +; echo $?', 'find data -type f -execdir echo {} \\; | sort',
      "find data -name sub -execdir pwd \\; | sed 's#.*/##'", 'find data -ok echo {} \\;',
      'cp -r backup b1 && find b1 -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} \\;; echo $?; ls b1',
      "mkdir -p b2/20240101 && find b2 -type d -name '2024*' -exec rm -rf {} \\;; echo $?; ls b2",
      "cp -r backup b3 && find b3 -type d -name '2024*' -exec rm -rf {} +; echo $?; ls b3", 'cp -r backup b4 && find b4 -name dump.rdb -exec rm {} \\; && find b4 | sort',
    ]);
  });
});

describe('cp -i / rm -i at the terminal', () => {
  it('ask on the terminal and act on the typed answer', async () => {
    const w = world();
    const term = w.openTerminal('redis-1');
    await typeAndRun(w, term, 'cd /tmp && echo A > a && echo B > b');
    expect(await typeAndRun(w, term, 'cp -i a b')).toContain("cp: overwrite 'b'? ");
    await typeAndRun(w, term, 'y');
    expect(await typeAndRun(w, term, 'cat b')).toContain('\nA\n');
    expect(await typeAndRun(w, term, 'rm -i a')).toContain("rm: remove regular file 'a'? ");
    await typeAndRun(w, term, 'n');
    expect(await typeAndRun(w, term, 'ls a')).toContain('\na\n');
  });
});

describe('names in messages are quoted as GNU quotes them (quoteaf)', () => {
  it('spaces, quotes, dollars and control characters in ls, cp, mv, rm, chmod, mkdir, rmdir, touch messages', async () => {
    await expectSame([
      "ls 'no such' \"it's\" $'n\\nl' 'a$b' plain", "chmod +x 'no such' \"it's\" $'t\\tab'",
      "cp 'no such' \"it's\" /tmp", "cp 'q1 a' 'q1 b'", "touch 'q2 a' && cp -v 'q2 a' \"q2 it's\" && cp -v 'q2 a' $'q2\\nb'",
      "touch 'q3 a' && mv -v 'q3 a' \"q3 it's\" && mv -v \"q3 it's\" $'q3\\tc'", "mv 'no such' x", "touch 'q4 a' && cp 'q4 a' 'q4 a'",
      "mkdir 'q5 d' && cp 'q5 d' 'q5 e'", "touch 'q6 a' && cp 'q6 a' 'q6 b' 'no dir'", "cp 'q7 x'", "mv \"q8'x\"",
      "touch 'q9 a' \"q9 it's\" && rm -v 'q9 a' \"q9 it's\" 'q9 none'", "mkdir -p 'q10 d/e' && rm 'q10 d' ; rm -dv 'q10 d/e' 'q10 d'",
      "mkdir -v 'q11 a' \"q11 it's\" $'q11\\nc'", "rmdir 'q12 none'", "touch 'q13/x y'", "mkdir 'q14 d' && cp -r 'q14 d' 'q14 d/sub'",
      "mkdir 'q15 d' && mv 'q15 d' 'q15 d/sub'", "mkdir 'q16 a' && mkdir 'q16 a' $'q16\\nb/c'",
    ]);
  });
});
