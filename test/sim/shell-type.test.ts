/**
 * `type` against this machine's bash: the kinds (keyword, function, builtin, file) in bash's
 * order, -t, -p, -P, -a (every match, and each file on PATH: /bin is a link to /usr/bin),
 * -f, names that are nothing (a message, or silence with -t/-p/-P; status 1), bad options.
 */
import { describe, it } from 'vitest';
import { useShellDifferential } from './shell-differential';

const FILES: Record<string, string> = {
  'type.sh': `f() { echo hi; }
type if '[[' '{' time; echo "rc=$?"
type -t if cd ls f nope; echo "rc=$?"
type -t nope; echo "rc=$?"
type f cd ls; echo "rc=$?"
type -p ls cd nope; echo "rc=$?"
type -p cd; echo "rc=$?"
type -P ls cd; echo "rc=$?"
type -tp ls; type -pt cat; type -Pt ls cd; echo "rc=$?"
type -a ls echo cd; echo "rc=$?"
type -at ls echo f; type -ap ls
type -f f; echo "rc=$?"
type -af f ls
type nope other; echo "rc=$?"
type -z ls; echo "rc=$?"
type -- ls; type; echo "rc=$?"
`,
};

const { expectSame } = useShellDifferential('shell-type', FILES);

describe('type, against bash', () => {
  it('kinds, -t -p -P -a -f, unknown names, bad options', async () => {
    await expectSame(['bash type.sh; echo "rc=$?"', 'type -t cd ls nope', 'type -a cat']);
  });
});
