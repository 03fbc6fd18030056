/**
 * base64 against GNU coreutils 9.1's: encoding text, binary and Redis files with every wrap,
 * decoding good, concatenated, broken and garbage-laden input (what comes out before
 * `invalid input` included), and the options' errors; the same lines in the simulated shell
 * and the machine's bash.
 */
import { beforeAll, describe, it } from 'vitest';
import { addRedisFiles, BYTE_FILES } from './byte-files';
import { useShellDifferential } from './shell-differential';

/** Base64 longer than one of the decoder's 4096-character blocks, with a group cut across it. */
const LONG = Buffer.from(Uint8Array.from({ length: 6000 }, (_, i) => (i * 31) & 0xff)).toString('base64');
const { harness, expectSame } = useShellDifferential('shell-base64', {
  ...BYTE_FILES, 'dir/x': 'x', 'long.b64': LONG, 'long-wrapped.b64': LONG.replace(/(.{75})/g, '$1\n'),
  'long-bad.b64': LONG.slice(0, 4094) + '\n' + LONG.slice(4094, 5000) + '*' + LONG.slice(5000),
});

beforeAll(async () => { await addRedisFiles(harness()); });

describe('base64 (differential)', () => {
  it('encodes, wrapped or not', async () => {
    await expectSame([
      'base64 text', 'base64 every', 'base64 empty', 'base64 dump.rdb', 'base64 incr.aof', 'base64 utf8', 'base64 -w 0 text', 'base64 -w0 dump.rdb', 'base64 -w 10 text', 'base64 -w 1 words',
      'base64 -w 52 text', 'base64 -w 4 text', 'base64 --wrap=20 text', 'base64 --w 20 text', 'base64 -w 99999999999999999999 text', "base64 -w ' 8' text", 'base64 -w -0 text', 'base64 -w +8 text',
      'base64 < text', 'cat every | base64', 'base64 - < words', 'base64 /dev/null', 'printf a | base64', 'printf ab | base64', 'printf abc | base64',
    ]);
  });

  it('decodes, and stops at invalid input', async () => {
    const d = (input: string, opts = '-d') => `printf '${input}' | base64 ${opts} | od -c`;
    await expectSame([
      'base64 text | base64 -d | cmp - text && echo same', 'base64 dump.rdb | base64 -d | cmp - dump.rdb && echo same', 'base64 -w 7 every | base64 --decode | cmp - every && echo same',
      'base64 -d long.b64 | md5sum', 'base64 -d long-wrapped.b64 | md5sum', 'base64 -d long-bad.b64 | md5sum', 'base64 -di long-bad.b64 | md5sum',
      d('aGVsbG8='), d('aGVsbG8'), d('aGVs\\nbG8=\\n'), d('aGV*sbG8='), d('aGV*sbG8=', '-d -i'), d('aGVsbG8=aGk='), d('aGVsbG8=\\n\\n'), d('='), d('a'), d('aG'), d('aGV'), d('aGVsbA==xx'),
      d('aGVs bG8='), d('aGVs\\tbG8='), d('aGVs\\rbG8='), d('YQ==YQ=='), d('YQ=\\n='), d('YWJj\\nZA=\\n=\\n'), d('YQ=x'), d('YQ==='), d('Y\\nQ\\n=\\n=\\n'), d('\\n\\n'), d(''), d('====', '-d'),
      d('@@aGVs@@bG8=@@', '-di'), d('aGVs\\nbG8', '-di'), d('YQ', '-di'), 'base64 -d text', 'base64 --de < text', 'base64 -di - < text', 'base64 -w 3 -d text',
    ]);
  });

  it('errors and options', async () => {
    await expectSame([
      'base64 -w x text', 'base64 -w -1 text', 'base64 -w 5x text', 'base64 -w', 'base64 text b', 'base64 nosuch', 'base64 dir', 'base64 -d dir', 'base64 text/', 'base64 -z text', 'base64 --foo',
      'base64 --help', 'base64 --version', 'base64 --he', 'type -t base64', 'command -v base64',
    ]);
  });
});
