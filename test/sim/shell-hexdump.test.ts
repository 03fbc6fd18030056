/**
 * hexdump against util-linux 2.38.1's (Debian 12's bsdextrautils): the same files (text,
 * binary, runs of zeros and of a repeated line, every byte, a dump.rdb and an AOF our engine
 * wrote) on both sides, the same lines run by the simulated shell and the machine's bash,
 * stdout and stderr together and the exit status compared.
 */
import { beforeAll, describe, it } from 'vitest';
import { findBinary } from '../support/real-redis';
import { addRedisFiles, BYTE_FILES } from './byte-files';
import { useShellDifferential } from './shell-differential';

const FORMATS = '"%08.8_ax " 4/1 "%02x " "\\n"\n# a comment\n\n   "%_Ax\\n"\n';
const { harness, expectSame } = useShellDifferential('shell-hexdump', { ...BYTE_FILES, 'dir/x': 'x', big: 'z'.repeat(5000), 'fmt.txt': FORMATS });

beforeAll(async () => { await addRedisFiles(harness()); });

describe.skipIf(!findBinary('hexdump'))('hexdump (differential)', () => {
  it('the default, -C and the other predefined formats', async () => {
    await expectSame([
      'hexdump text', 'hexdump -C text', 'hexdump -c text', 'hexdump -b text', 'hexdump -d words', 'hexdump -o words', 'hexdump -x words', 'hexdump -c utf8', 'hexdump -C utf8',
      'hexdump -C dump.rdb', 'hexdump dump.rdb', 'hexdump -c incr.aof', 'hexdump -C incr.aof', 'hexdump -C every', 'hexdump -c every', 'hexdump -c -C text', 'hexdump -C -x words',
      'hexdump empty', 'hexdump -C empty', 'hexdump < text', 'cat text | hexdump -C', 'hexdump --canonical text', 'hexdump --one-byte-char text', 'hexdump --two-bytes-hex words',
    ]);
  });

  it('repeated lines, -v, -n, -s', async () => {
    await expectSame([
      'hexdump holes', 'hexdump -v holes', 'hexdump -C holes', 'hexdump -C zeros', 'hexdump -C repeat', 'hexdump -v -C repeat', 'hexdump -c big', 'hexdump -C -v big | tail -2',
      'hexdump -n 5 text', 'hexdump -s 5 text', 'hexdump -s 40 text', 'hexdump -s 1k text', 'hexdump -n 1KiB text', 'hexdump -n 0 text', 'hexdump -C -n 0 text', 'hexdump -s 5 -n 3 -C text',
      'hexdump -n x text', 'hexdump -n -1 text', 'hexdump -s -1 text', 'hexdump -n 1M text', 'hexdump -n 1MB text', 'hexdump -n 1mb text', 'hexdump -n 99999999999999999999 text',
      'hexdump -n 0x10 text', 'hexdump -n 010 text', "hexdump -n ' 5' text", 'hexdump -n 5b text', 'hexdump -n 1KB text', 'hexdump -n 1Ki text', 'hexdump -s 0x10 text',
      "hexdump -n 1.5K holes", 'hexdump -n 0.5K -C holes', 'hexdump -n 1.10K holes', 'hexdump -n 1.5 text', 'hexdump -n 1.05K holes', "hexdump -n '' text", 'hexdump -n 20E text', 'hexdump -n 1e text',
      'hexdump -s 16 -n 16 -C big', 'hexdump -s 4096 -C big', 'hexdump -s 3 < text', 'cat text | hexdump -s 3', 'hexdump -C -n 20 holes', 'hexdump -n 32 -C zeros',
    ]);
  });

  it('several files, missing ones, directories', async () => {
    await expectSame([
      'hexdump nosuch', 'hexdump nosuch text', 'hexdump text nosuch', 'hexdump dir', 'hexdump dir text', 'hexdump text text', 'hexdump -C -s 10 text text', 'hexdump -s 40 text text',
      'hexdump -s 3 nosuch', 'hexdump -s 3 nosuch text', 'hexdump -s 16 dir', 'hexdump -s 16 /dev/null text', 'hexdump -s 3 -C - text', 'hexdump -C - < text', 'hexdump text/x', 'hexdump -C text/',
      'hexdump -n 4 text nosuch', 'hexdump -s 100 text text',
    ]);
  });

  it('-e and -f format strings', async () => {
    await expectSame([
      "hexdump -e '\"%x\"' text", "hexdump -e '16/1 \"%02x \" \"\\n\"' text", "hexdump -e '1/4 \"%d\\n\"' words", "hexdump -e '\"%_ad: \" 4/1 \"%c\" \"\\n\"' text",
      "hexdump -e 'x' text", "hexdump -e '\"%q\"' text", "hexdump -e '3/3 \"%x\"' text", "hexdump -e '\"%s\"' text", "hexdump -e '1/4 \"%f \"' words", "hexdump -e '\"%10.4_ax|\" 4/1 \"%_u \" \"\\n\"' words",
      "hexdump -e '\"%%\"' text", "hexdump -e '16 /1 \"%02x\" \"\\n\"' text", "hexdump -e '16/1\"%02x\"' text", "hexdump -e '16/ 1 \"%02x\" \"\\n\"' text", "hexdump -e '/1 \"%02x \"' -e '\"\\n\"' text",
      "hexdump -e '4/1 \"%02x\" \"\\n\"' -n 10 text", "hexdump -e '2/4 \"%x %x\"' text", "hexdump -e '1/8 \"%s\\n\"' text", "hexdump -e '\"%4s|\\n\"' text", "hexdump -e '\"%.4s|\\n\"' text",
      "hexdump -e '\"%_z\"' text", "hexdump -e '\"%_aq\"' text", "hexdump -e '2/1 \"%_c\"' -e '\"\\n\"' text", "hexdump -e '1/1 \"%c\"' text", "hexdump -e '1/2 \"%c\"' text", "hexdump -e 'abc' text",
      "hexdump -e '\"abc' text", "hexdump -e '5' text", "hexdump -e '' text", "hexdump -e '   ' text", "hexdump -e '\"%_Ad\\n\"' text", "hexdump -e '\"%-5d|\" \"\\n\"' words", "hexdump -e '1/4 \"%+5d|\" \"\\n\"' words",
      "hexdump -e '1/1 \"%#o \"' text", "hexdump -e '1/8 \"%g \"' words", "hexdump -e '1/4 \"%e \"' words", "hexdump -e '1/4 \"%E|%G \"' words", "hexdump -e '\"%_p\"' utf8", "hexdump -e '1/1 \"%X \"' text",
      "hexdump -e '\"%_u|\" \"\\n\"' every", "hexdump -e '\"%_Ax\"' -e '\"x\"' text", "hexdump -e '\"%_ax: \" 2/1 \"%02x\" \"\\n\"' -e '\"%_Ax\\n\"' -n 5 text", "hexdump -e '4/1 \"%3_u\"' -e '\"\\n\"' -n 4 every",
      "hexdump -e '5/1 \"%3_u|\" \"\\n\"' every", "hexdump -e '\"%-6_u|\" \"\\n\"' every", "hexdump -e '8/1 \"%02X\" \"\\n\"' dump.rdb", "hexdump -e '1/2 \"%6d\" 1/2 \" %06o\" \"\\n\"' words",
      "hexdump -e '2/8 \"%016x \" \"\\n\"' every", "hexdump -e '1/1 \"%3_c\"' -e '\"\\n\"' -n 3 text", "hexdump -e '\"%07.7_Ax\\n\"' -e '\"%07.7_ax \" 8/2 \"%04x \" \"\\n\"' text",
      "hexdump -e '\"%.3_c|\" \"\\n\"' -n 3 every", "hexdump -e '1/4 \"%.2e|\" 1/4 \"%10.3f|\" \"\\n\"' words", "hexdump -e '\"\\\\x\\q\"' text", "hexdump -e '\"a\\tb\\\\\" 1/1 \"%d\" \"\\n\"' -n 2 text",
      'hexdump -f fmt.txt text', 'hexdump -f nosuch text', 'hexdump -f fmt.txt -C -n 4 text',
    ]);
  });

  it('options', async () => {
    await expectSame([
      'hexdump -q text', 'hexdump --foo', 'hexdump -n', 'hexdump -L text', 'hexdump -Lnever -C text', 'hexdump -Lx text', 'hexdump -V', 'hexdump --version', 'hexdump -h', 'hexdump --help',
      'hexdump --len 4 text', 'hexdump --c text', 'hexdump --color=always -C -n 4 text', 'type -t hexdump', 'command -v hexdump',
    ]);
  });
});
