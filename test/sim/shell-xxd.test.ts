/**
 * xxd against the real one (Debian 12's, vim 9.0): the same files (text, binary, runs of zeros,
 * a dump.rdb and an AOF our engine wrote) on both sides, the same lines run by the simulated
 * shell and the machine's bash, stdout and stderr together and the exit status compared.
 */
import { beforeAll, describe, it } from 'vitest';
import { findBinary } from '../support/real-redis';
import { addRedisFiles, BYTE_FILES } from './byte-files';
import { useShellDifferential } from './shell-differential';

const { harness, expectSame } = useShellDifferential('shell-xxd', { ...BYTE_FILES, 'dir/x': 'x' });

beforeAll(async () => { await addRedisFiles(harness()); });

describe.skipIf(!findBinary('xxd'))('xxd (differential)', () => {
  it('the default dump, -c, -g, -u, -e, -b, -d, -o', async () => {
    await expectSame([
      'xxd text', 'xxd every', 'xxd empty', 'xxd utf8', 'xxd dump.rdb', 'xxd incr.aof', 'xxd < text', 'cat text | xxd', 'xxd - < words',
      'xxd -c 8 text', 'xxd -c8 text', 'xxd -cols 4 -l 8 text', 'xxd -c 0 text', 'xxd -c 256 -l 300 every', 'xxd -c 7 text', 'xxd -c 0x20 every',
      'xxd -g 1 text', 'xxd -g1 -l8 text', 'xxd -g 4 text', 'xxd -g 16 -l 20 text', 'xxd -g 9 -l 20 text', 'xxd -g 0 text', 'xxd -g -1 -l 20 text', 'xxd -c 7 -g 3 text',
      'xxd -u text', 'xxd -u -g 1 every', 'xxd -e text', 'xxd -e -g 2 text', 'xxd -c 7 -e -g 4 text', 'xxd -c 5 -e -g 4 text', 'xxd -e -g 8 words', 'xxd -e -c 12 words',
      'xxd -b text', 'xxd -b -c 3 -g 0 text', 'xxd -b -g 2 -l 9 text', 'xxd -b -u -l 4 text', 'xxd -bits -c 4 words',
      'xxd -d -s 20 text', 'xxd -d every', 'xxd -o 0x100 -l 20 text', 'xxd -o -16 -l 20 text', 'xxd -o-1 -l 4 text', 'xxd -d -o -16 -l 20 text', 'xxd -offset 4096 -l 8 text',
    ]);
  });

  it('-a squeezes runs of zero lines', async () => {
    await expectSame([
      'xxd -a zeros', 'xxd -a holes', 'xxd -a -c 8 holes', 'xxd -a -c 4 holes', 'xxd -a -a zeros', 'xxd -autoskip dump.rdb', 'xxd -a repeat',
      "head -c 48 zeros | xxd -a", "head -c 64 zeros | xxd -a", "head -c 33 zeros | xxd -a", "{ head -c 32 zeros; printf x; } | xxd -a",
    ]);
  });

  it('-l, -s and seeking on files and pipes', async () => {
    await expectSame([
      'xxd -l 5 text', 'xxd -l 5 -s 3 text', 'xxd -l0 text', 'xxd -l -5 text', 'xxd -len 3 text', 'xxd -l 0x10 every', 'xxd -l 010 every', 'xxd -lx text',
      'xxd -s 2 text', 'xxd -s +2 text', 'xxd -s -5 text', 'xxd -s -100 text', 'xxd -s 1000 text', 'xxd -s 0x20 text', 'xxd -s 010 text', 'xxd -s -0 text',
      'xxd -seek 30 text', 'xxd -s-4 text', 'xxd -s+4 -l 4 text', 'xxd -s 36 -d text',
      'cat text | xxd -s 2', 'cat text | xxd -s +30', 'printf abc | xxd -s 5', 'printf abc | xxd -s 3', 'printf abcdef | xxd -s -2', 'xxd -s 3 < text', 'xxd -s -3 < text',
      'printf abc | xxd -s 1 -l 0', 'printf abc | xxd -s 5 -l 0',
    ]);
  });

  it('-p and -i', async () => {
    await expectSame([
      'xxd -p text', 'xxd -ps dump.rdb', 'xxd --ps text', 'xxd -pu text', 'xxd -p -u text', 'xxd -p -c 4 text', 'xxd -c 0 -p text', 'xxd -c0 -p empty', 'xxd -p empty', 'xxd -p -c 16 every',
      'xxd -p -l 7 -s 1 text', 'xxd -p -c -1 text', 'cat text | xxd -p',
      'xxd -i text', 'xxd -i empty', 'xxd -i -c 5 text', 'xxd -i -c 0 text', 'xxd -u -i -l 3 text', 'xxd -i dir/x', 'xxd -i - < text', 'printf ab | xxd -i', 'printf ab | xxd -i -n foo',
      'xxd -n foo -i text', 'xxd -nfoo -i -l 2 text', 'xxd -name 3abc -i -l 2 text', 'xxd -i -C -n foo -l 2 text', 'xxd -C -i -l 2 dump.rdb', 'xxd -i -l 0 text', 'xxd -i -s 40 text',
    ]);
  });

  it('the last of -b, -e, -p, -i wins', async () => {
    await expectSame(['xxd -b -p text', 'xxd -p -b -l 6 text', 'xxd -i -p text', 'xxd -p -i text', 'xxd -e -p text', 'xxd -b -e text', 'xxd -i -b -l 6 text', 'xxd -e -i -l 4 text']);
  });

  it('-r: a dump, plain hex, patching a file', async () => {
    await expectSame([
      'xxd dump.rdb | xxd -r | cmp - dump.rdb && echo same', 'xxd -p dump.rdb | xxd -r -p | cmp - dump.rdb && echo same', 'xxd -c 7 -g 3 text | xxd -r -c 7 | xxd',
      'xxd -c 32 every | xxd -r | xxd -p', 'xxd -c 32 every | xxd -r -c 32 | cmp - every && echo same', 'xxd -u every | xxd -r | cmp - every && echo same',
      "echo '00000004: 4142 43' | xxd -r | xxd", "printf '00000010: 4142\\n00000004: 4344\\n' | xxd -r | xxd",
      "echo '00000000: 6162 6364 6566 6768 696a 6b6c 6d6e 6f70 7172  abcdefghijklmnopqr' | xxd -r",
      "echo '68656c6c 6f0a zz 4142' | xxd -r -p", "echo '6 8 6 5 6c' | xxd -r -p | xxd", "printf '00000000: 41 42 43 44\\n' | xxd -r",
      "printf '0: 4142 zz4344\\n8:45\\n' | xxd -r | xxd", "printf 'garbage\\n0: 41\\r\\n' | xxd -r | xxd", "printf '10: 41\\n' | xxd -r -s 0x10 | xxd",
      "printf '10: 41\\n' | xxd -r -s -8 | xxd", "printf '10: 41\\n' | xxd -r -s -0x20 | xxd", 'xxd -r dir', 'xxd -r -b text', 'xxd -r -e text', 'xxd -r -i text',
      "cp text patched1 && echo '00000004: 4142 43' | xxd -r - patched1; cat patched1; rm patched1", "echo '00000004: 4142 43' | xxd -r - newfile; xxd newfile; rm newfile",
      "cp text patched2 && printf '10: 41\\n2: 42\\n' | xxd -r - patched2; xxd patched2; rm patched2",
    ]);
  });

  it('output files, errors and usage', async () => {
    await expectSame([
      'xxd text out && cat out && rm out', 'xxd nosuch', 'xxd -r -p nosuch', 'xxd text/x', 'xxd text/', 'xxd /dev/null', 'xxd -i /dev/null', 'xxd dir', 'xxd -p dir', 'xxd -i dir', 'xxd -l 0 dir', 'xxd -s 3 dir', 'xxd text dir', 'xxd text nodir/out',
      'xxd -c 300 text', 'xxd -c 257 text', 'xxd -c -1 text', 'xxd -c 256 text | head -1', 'xxd -g 3 -e text', 'xxd -e -g 6 text', 'xxd -i -c 300 -l 2 text', 'xxd -p -c 300 -l 2 text',
      'xxd -v', 'xxd -version', 'xxd -h', 'xxd -q text', 'xxd -R always text', 'xxd --help', 'xxd text a b', 'xxd -l', 'xxd -c', 'xxd -s', 'xxd -g', 'xxd -o', 'xxd -n', 'xxd -c 300 a b c',
      'xxd -- text', 'xxd -- -x', 'xxd - - < text', 'xxd -', 'type -t xxd', 'command -v xxd',
    ]);
  });
});
