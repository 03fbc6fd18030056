/**
 * od against GNU coreutils 9.1's: the same files (text, binary, runs of zeros and of a repeated
 * line, every byte, a dump.rdb and an AOF our engine wrote) on both sides, the same lines run by
 * the simulated shell and the machine's bash, stdout and stderr together and the exit status
 * compared.
 */
import { beforeAll, describe, it } from 'vitest';
import { addRedisFiles, BYTE_FILES } from './byte-files';
import { useShellDifferential } from './shell-differential';

const { harness, expectSame } = useShellDifferential('shell-od', { ...BYTE_FILES, 'dir/x': 'x', big: 'z'.repeat(5000) });

beforeAll(async () => { await addRedisFiles(harness()); });

describe('od (differential)', () => {
  it('the default, -c, -A, -t types and their sizes', async () => {
    await expectSame([
      'od text', 'od -c text', 'od -An -c text', 'od -Ax -tx1 text', 'od -Ad -t d2 words', 'od -c dump.rdb', 'od -A x -t x1z dump.rdb', 'od -c incr.aof', 'od -c utf8', 'od -c every', 'od -t a every',
      'od -t x1z text', 'od -t x1 -t c text', 'od -t d1 words', 'od -t u8 words', 'od -t o4 words', 'od -t d8 -t c words', 'od -t x4 text', 'od -t o1 -t x2 text', 'od -t c -t x1z text',
      'od -t x1zc text', 'od -a -b text', 'od -t dC -t dS -t dI -t dL words', 'od -t uC -t oS -t xI -t xL words', 'od -tx words', 'od -to words', 'od -td words', 'od -tu words', 'od -t x8 every',
      'od -b text', 'od -d words', 'od -i words', 'od -l words', 'od -o words', 'od -s words', 'od -x words', 'od -D words', 'od -O words', 'od -X words', 'od -h words', 'od -H words',
      'od -I words', 'od -L words', 'od -B words', 'od -a text', 'od -Ao -c text', 'od -A n -t x1 text', 'od -An -tx1 -tc text', "od -t ''  text", 'od empty', 'od -c empty', 'od -An empty',
      'od < text', 'cat text | od -c', 'od - < text', 'od -c - text < words',
    ]);
  });

  it('floats', async () => {
    await expectSame([
      'od -t f4 words', 'od -t f8 words', 'od -tf -N 16 words', 'od -tfD -N 8 words', 'od -tfF -N 8 words', 'od -f words', 'od -e words', 'od -F words', 'od -t fL words',
      'od -t f4 every', 'od -t f8 every', 'od -t fL every', 'od -t f4 -t x4 dump.rdb', 'od -t f8 zeros', "printf '\\0\\0\\200\\177\\0\\0\\200\\377\\0\\0\\300\\177\\1\\0\\0\\0' | od -t f4",
      "printf '\\0\\0\\0\\0\\0\\0\\360\\177\\0\\0\\0\\0\\0\\0\\0\\200\\1\\0\\0\\0\\0\\0\\0\\0' | od -t f8", "printf '\\232\\231\\231\\231\\231\\231\\271\\077' | od -t f8",
      // A pseudo-denormal long double (a zero exponent with the integer bit): printed from its fraction.
      "printf '\\1\\0\\0\\0\\0\\0\\0\\200\\0\\0\\0\\0\\0\\0\\0\\0' | od -t fL",
    ]);
  });

  it('repeated lines, -v, -w', async () => {
    await expectSame([
      'od zeros', 'od -v zeros', 'od holes', 'od -c repeat', 'od -v -c repeat', 'od -t x1 -w 8 holes', 'od -c -w4 repeat', 'od dump.rdb', 'od -c -w32 big', 'od -c big',
      'od -w4 -tx1 text', 'od -w5 -tx2 text', 'od -w0 text', 'od -w -tx1 text', 'od -wx text', 'od -w-1 text', 'od -w 4 text', 'od --width=8 -tx1 text', 'od --width -tx1 text', 'od -w99999999999999999999 text',
      'od -w0x10 text', 'od -w010 -tx1 text', 'od -to1 -w3 text', 'od -tx4 -w6 text', 'od -tx8 -tc -w4 words',
    ]);
  });

  it('-j, -N, suffixes, --endian, -S', async () => {
    await expectSame([
      'od -N 5 text', 'od -j 40 text', 'od -j 37 text', 'od -j 0x10 -N 0x4 text', 'od -j 1k text', 'od -j 1x text', 'od -j 010 text', 'od -j 1b big', 'od -N 1kB -c zeros', 'od -N 1KiB text',
      'od -N 1K text', 'od -N 1e text', 'od -N -1 text', 'od -N 99999999999999999999 text', "od -N '' text", 'od --read-bytes=x text', 'od --skip-bytes=1x text', 'od -j 1kx text', "od -j ' 5' text",
      'od -N 1g text', 'od -N 0x text', 'od -Ad -j 3 -N 10 -c text', 'od -N 0 text', 'od -j 37 -N 0 text', 'od -An -N0 text', 'od -j 4096 -N 8 -c big', 'od -j 4999 -c big', 'od -j 5000 big',
      'cat text | od -j 5 -N 4 -c', 'cat text | od -j 50', 'od -j 3 -N 4 -c < text',
      'od --endian=big -tx2 words', 'od --endian=middle text', 'od --endian=l -tx2 words', 'od --endian= text', 'od --endian=b -tx4 words', 'od -Ax --endian=big -t x4 words', 'od --endian=big -t f8 words', 'od --endian=big -t d8 words',
      'od -S 3 text', 'od -S3 -tx1 text', 'od -S 0 text', 'od -S x text', 'od --strings text', 'od --strings=5 text', 'od -S 99999999999999999999 text', 'od -S1k text', 'od -Ax -S 2 dump.rdb', 'od -S 4 incr.aof',
      "printf 'ab\\tcd\\0xyz\\7q\\0' | od -S 3", "printf 'abcdef' | od -S 3 -N 4", "printf 'abcdef' | od -S 2 -N 5 -An", "printf 'ab\\0cdef\\0' | od -S 1 -j 1", 'od -S 2 -An every',
    ]);
  });

  it('several files, missing ones, directories', async () => {
    await expectSame([
      'od text text', 'od -j 40 text text', 'od nosuch text', 'od text nosuch', 'od -t x1 text b2', 'od -j 10 nosuch text', 'od -j 100 nosuch text', 'od dir text', 'od -c dir text', 'od -j 3 dir text',
      'od nosuch', 'od dir', 'od text/x', 'od -N 4 text nosuch', 'od -N 40 text nosuch', 'od -c text/', 'od /dev/null', 'od -j 10 /dev/null text', 'od empty empty text',
    ]);
  });

  it('traditional operands', async () => {
    await expectSame([
      'od text +10', 'od text 10', 'od text x', 'od +10 text', 'od text 10.', 'od text 10.b', 'od text 1b', 'od text 0x10', 'od text +1B', 'od text +0x8', 'od text 8', 'od text 19',
      'od -c text 10', 'od -t c text 10', 'od +10 < text', 'od --traditional text', 'od --traditional text 10', 'od --traditional text 10 x', 'od --traditional text b c', 'od --traditional text b c d',
      'od --traditional 10 20 < text', 'od --traditional -An text 10 20', 'od --traditional +10 +20 < text', 'od --traditional -Ax -tx1 text 10 20', 'od --traditional -c text 0 100',
    ]);
  });

  it('bad options and types', async () => {
    await expectSame([
      'od -t fH words', 'od -t fB words', 'od -t d3 text', 'od -t q text', 'od -t x9 text', 'od -t f5 text', 'od -t d0 text', 'od -t d99999999999 text', 'od -t x1 -t d3 -t q text', 'od -t xz2 text',
      'od -Aq text', 'od -A xd text', "od -A '' text", 'od -q text', 'od --foo text', 'od -j', 'od --format', 'od --s text', 'od --v text | head -1', 'od --help', 'od --version', 'od -t q -Az text', 'od -t q -y text',
      'type -t od', 'command -v od',
    ]);
  });
});
