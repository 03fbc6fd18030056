/**
 * How names and words are quoted for the shell in messages, against this machine's tools:
 * gnulib's shell-escape quoting (context.ts shellEscapeQuote) in coreutils' messages (quotef:
 * cat, wc; quoteaf: stat, du) and in `xargs -t`, and bash's own in `set -x` traces — the same
 * tricky names (quotes, `!`, `$`, a lone brace, a leading `#` or `~`, colons, control
 * characters, UTF-8) through each.
 */
import { describe, it } from 'vitest';
import { useShellDifferential } from './shell-differential';

const NAMES = `names=('' a 'a b' "it's" "it's!" 'a$b' 'a\\b' '#x' 'x#' '~x' 'x~' 'a:b' : '{' '}' '{a}' 'a=b' '!x' $'\\t' $'a\\nb' $'a\\tb\\'c' $'\\x01' 'é' '*' '[' "'" "''" $'\\x7f' $'a\\x1bb' $'a\\'\\nb' "a!'" 'a$'"'" $'é\\n' $'\\n' 'x=~y' 'a:~b')`;

const { expectSame } = useShellDifferential('shell-quoting');

describe('quoting names and words (differential)', () => {
  it("gnulib's shell-escape quoting in coreutils' messages and xargs -t", async () => {
    await expectSame([
      `${NAMES}; cat -- "\${names[@]}" 2>&1; echo "rc=$?"`,
      `${NAMES}; wc -- "\${names[@]}" 2>&1 | grep -v total`,
      `${NAMES}; stat -- "\${names[@]}" 2>&1`,
      `${NAMES}; du -- "\${names[@]}" 2>&1`,
      `${NAMES}; printf '%s\\0' "\${names[@]}" | xargs -0 -t -n 1 true 2>&1`,
    ]);
  });

  it("bash's quoting in set -x traces", async () => {
    await expectSame([`${NAMES}; bash -xc ': "$@"' _ "\${names[@]}" 2>&1`]);
  });
});
