/**
 * md5sum, sha1sum and sha256sum against GNU coreutils 9.1's: digests of text, binary and Redis
 * files, names that need escaping, getopt_long's options and digest.c's refusals, the same
 * lines run by the simulated shell and the machine's bash.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, it } from 'vitest';
import { addRedisFiles, BYTE_FILES } from './byte-files';
import { useShellDifferential } from './shell-differential';

const hex = (algo: string, content: string | Uint8Array) => createHash(algo).update(content).digest('hex');
/** A checksum file for the -c cases: GNU lines, a wrong digest, a missing file, BSD tagged lines, an escaped name. */
const SUMS: Record<string, string> = Object.fromEntries([['md5', 'MD5'], ['sha1', 'SHA1'], ['sha256', 'SHA256']].flatMap(([algo, tag]) => {
  const h = (c: string | Uint8Array) => hex(algo, c);
  return [
    [`good.${algo}`, `${h(BYTE_FILES.text)}  text\n${h(BYTE_FILES.every)} *every\n${tag} (words) = ${h(BYTE_FILES.words)}\n`],
    [`mixed.${algo}`, `# made by hand\n\n${h(BYTE_FILES.text)}  text\n${h('x')}  words\r\n${h('')}  nosuch\ngarbage\n${h('n')}  dir\n\\${h('b')}  back\\\\slash\n${h(BYTE_FILES.text).toUpperCase()}  text`],
    [`reversed.${algo}`, `${h(BYTE_FILES.text)} text\n${h(BYTE_FILES.words)} words\n${h(BYTE_FILES.words)}  words\n`],
    [`missing.${algo}`, `${h('')}  nosuch\n${h('')}  nosuch2\n`],
  ];
}));

const { harness, expectSame } = useShellDifferential('shell-checksums', {
  ...BYTE_FILES, 'dir/x': 'x', 'we ird': 'w', 'back\\slash': 'b', 'new\nline': 'n', 'car\rret': 'r', ...SUMS,
  ...Object.fromEntries([55, 56, 63, 64, 65, 119, 120].map((n) => [`len${n}`, 'a'.repeat(n)])),
});

beforeAll(async () => { await addRedisFiles(harness()); });

const TOOLS = ['md5sum', 'sha1sum', 'sha256sum'];

describe('the digest family (differential)', () => {
  it('digests and their lines', async () => {
    const lines = TOOLS.flatMap((t) => [
      `${t} text every empty utf8 dump.rdb incr.aof`, `${t} len55 len56 len63 len64 len65 len119 len120`, `${t} < text`, `cat every | ${t}`, `${t} - text < words`,
      `${t} -b text`, `${t} --tag text empty`, `${t} -z text; echo`, `${t} --tag -z text; echo`, `${t} 'we ird' 'back\\slash' new*line car*ret`, `${t} --tag back* new*line`, `${t} -z back*; echo`,
      `${t} nosuch text dir text/x text/`, `${t} /dev/null`,
    ]);
    await expectSame(lines);
  });

  it('options and their refusals', async () => {
    const lines = TOOLS.flatMap((t) => [
      `${t} --foo text`, `${t} -x text`, `${t} --bin text`, `${t} --ta text`, `${t} --t text`, `${t} -t text`, `${t} --text text`, `${t} --zero text; echo`, `${t} --help`, `${t} --version`,
      `${t} --check --tag text`, `${t} --status text`, `${t} --quiet text`, `${t} -w text`, `${t} --strict text`, `${t} --ignore-missing text`, `${t} --tag --text text`, `${t} -c -z text`,
      `${t} -c -b text`, `${t} --tag -b text`, `${t} --text --tag text`, `${t} --s text`, `${t} --st text`, `${t} --w text`, `${t} --tag -c --status`, `type -t ${t}`, `command -v ${t}`,
    ]);
    await expectSame(lines);
  });

  it('-c and its reports', async () => {
    const lines = TOOLS.flatMap((t) => {
      const a = t.replace('sum', '');
      return [
        `${t} -c good.${a}`, `${t} -c mixed.${a}`, `${t} -c -w mixed.${a}`, `${t} -c --quiet mixed.${a}`, `${t} -c --status mixed.${a}`, `${t} -c --strict good.${a}`, `${t} -c --strict -w mixed.${a}`,
        `${t} -c --ignore-missing mixed.${a}`, `${t} -c --ignore-missing missing.${a}`, `${t} -c missing.${a}`, `${t} -c --status --ignore-missing missing.${a}`, `${t} -c reversed.${a}`,
        `${t} -c good.${a} reversed.${a}`, `${t} -c nosuch good.${a}`, `${t} -c dir`, `${t} -c text`, `${t} -c < good.${a}`, `cat good.${a} | ${t} -c -`, `${t} -c good.${a} --warn --quiet`,
        `${t} text every 'we ird' 'back\\slash' new*line car*ret | ${t} -c`, `${t} --tag text new*line | ${t} -c`, `printf 'garbage\\n' | ${t} -c`, `printf 'garbage\\n' | ${t} -c -w`,
        `${t} text | sed 's/  / */' | ${t} -c`, `${t} text | sed 's/  text/ text/' | ${t} -c`, `echo "$(${t} < text | cut -d' ' -f1)  -" | ${t} -c`,
        `echo "$(${t} < text | cut -d' ' -f1)  -" > dash.${a}; ${t} -c dash.${a} < text; rm dash.${a}`, `${t} -c /dev/null`, `${t} -c --status good.${a}; echo $?`,
      ];
    });
    await expectSame(lines);
  });
});
