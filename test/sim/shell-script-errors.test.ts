/**
 * What a script's errors start with, against this machine's bash: `s.sh: line N: ` (the name
 * it was started with and the line of the command) before the shell's own errors, its
 * builtins' (run in the shell or as a process of their own, in a pipeline, a subshell, the
 * background), a command not found, a file it cannot run, a redirection that fails — in
 * functions (their lines), eval, traps and $(…) too. Each script runs as `bash FILE` and as
 * `bash ./FILE` on both sides; output and status must be the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';
import { world } from './helpers';

const FILES: Record<string, string> = {
  'errs.sh': [
    'echo x >&9',
    'foo',
    'echo x > /nonexist/a',
    'cd /nonexist',
    'f() { echo x >&9; cd /nope-f; }',
    'f',
    'cat < /nonexist',
    'printf %d x',
    'read -z',
    'wait 99999',
    'kill -9 99999',
    'kill -BOGUS 1',
    'trap "" BOGUS',
    'declare -p nope',
    'unset -x y',
    'export -x',
    'shift 5',
    'echo $((1/0))',
    'echo after',
    'x=$(cd /nope-sub)',
    '(cd /nope-subsh)',
    '{ cd /nope-grp; } 2>&1',
    'echo a | cd /nope-pipe',
    'exec 3</nonexist',
    'let',
    'type nosuch',
    'command -v nosuch; command nosuch',
    'source /nonexist',
    'local v',
    'return 1 2>&1',
    'readonly R=1; R=2',
    'echo ${undefined?not set here}',
    'echo never',
    '',
  ].join('\n'),
  'lib.sh': 'lf() {\n  cd /nope-lib\n}\n',
  // A command spanning lines is on the line bash's parser had read to when it made it: its first
  // element's end, or, when that is a word, the end of the token after it. An eval's text and
  // a $(…)'s count from there; a $(…)'s blank and comment lines do not count.
  'lines.sh': [
    'echo start',
    "eval 'cd /l1' \\",
    "  'x'",
    'for i in 1; do',
    '  eval "cd /l2',
    'cd /l3"',
    'done',
    'x=$(echo a',
    'cd /l4',
    'echo b)',
    'echo "$(',
    'cd /l5',
    ')" \\',
    '  "$(cd /l6)"',
    "eval 'echo a",
    "echo b; cd /l7'; eval 'cd /l8",
    "cd /l9'",
    'eval \\',
    "'cd /l10",
    "cd /l11'",
    'echo $LINENO "a',
    'b"',
    'echo "a',
    'b" $LINENO',
    'x=$LINENO"',
    '" y=$LINENO; echo $x $y',
    'x="',
    '" cd /l12 $LINENO',
    'echo a | cd /l13 "',
    '"',
    'echo a && cd /l14 "',
    '"',
    'eval "echo a',
    '(cd /l15)"',
    'x=$(',
    '',
    '(cd /l16)',
    '# c',
    '{ cd /l17; }',
    ')',
    'y=$(echo a',
    'eval "',
    'cd /l18"',
    ')',
    'f() {',
    '  x=$(',
    '  cd /l19)',
    '}',
    'f',
    '',
  ].join('\n'),
  // A $(…) runs its command as bash printed it back (comsub-print.ts): its lines ($LINENO,
  // errors) are those of that text — compound commands over lines of their own, an elif as an
  // if in an else, functions and here-documents laid out, blank and comment lines gone,
  // counting from the line before its command's. A backquoted text runs as written.
  'comsub-lines.sh': [
    'echo "a $(if true; then',
    '  echo $LINENO',
    'fi)"',
    'echo "b $(echo $LINENO; { echo $LINENO; echo $LINENO; }; echo $LINENO)"',
    'echo "c $(for i in 1 2; do echo $LINENO; done; echo $LINENO)"',
    'echo "d $(while false; do :; done; echo $LINENO',
    'echo $LINENO)"',
    'echo "e $(',
    '  # comment',
    '',
    '  echo $LINENO',
    '  if true; then echo $LINENO; fi',
    '  echo $LINENO',
    ')"',
    'echo "g $(f() { echo $LINENO; }; f; echo $LINENO)"',
    'echo "h $( (echo $LINENO); echo $LINENO)"',
    'echo "i $(echo $LINENO && echo $LINENO || echo $LINENO; echo $LINENO)"',
    'echo "j $([[ x ]] && echo $LINENO; (( 1 )) && echo $LINENO; echo $LINENO)"',
    'echo "k $(if true; then nosuch1; fi',
    'nosuch2)"',
    'echo "l $(echo $LINENO | cat; echo $LINENO)"',
    'echo "n $(if true',
    'then echo $LINENO',
    'elif false; then :',
    'else :',
    'fi; echo $LINENO)"',
    'echo "a $(cat <<EOT',
    'x $LINENO',
    'EOT',
    'echo $LINENO)"',
    'echo "b $(cat <<EOT; echo $LINENO',
    'x',
    'EOT',
    'echo $LINENO)"',
    'echo "c $(g() {',
    'echo $LINENO',
    'echo $LINENO',
    '}',
    'g; echo $LINENO)"',
    'echo "d $(cat <<EOT | cat',
    'x',
    'EOT',
    'echo $LINENO)"',
    'echo "f $(g2() { echo a; { echo $LINENO; }; }; g2; echo $LINENO)"',
    'echo "g $(if true; then echo $LINENO; elif false; then :; elif true; then :; else :; fi; echo $LINENO)"',
    'echo "h $(echo "$(if true; then echo x; fi)" $LINENO; echo $LINENO)"',
    'echo "i $(while false; do :; done',
    'until true; do :; done; echo $LINENO)"',
    'echo "j $(for ((i=0;i<1;i++)); do echo $LINENO; done; echo $LINENO)"',
    'echo "k $({ echo $LINENO',
    'echo $LINENO; }; echo $LINENO)"',
    'echo "l $(( 1 + 1 )) $( (echo $LINENO',
    'echo $LINENO); echo $LINENO)"',
    // Each background job is waited for before the next starts: two at once race in bash too.
    'echo "m $(echo a & wait',
    'echo $LINENO & wait; echo $LINENO)"',
    'echo "n $(x=1 y=2; echo $LINENO; >/dev/null; echo $LINENO)"',
    'echo "p $(echo a |',
    'cat; echo $LINENO && ',
    'echo $LINENO)"',
    'echo "q $(! true; time true; echo $LINENO)" 2>/dev/null',
    'echo "r $(g4() {',
    'cat <<EOT',
    '$LINENO',
    'EOT',
    'echo $LINENO',
    '}; g4; echo $LINENO)"',
    'f() {',
    '  echo "s $(if true; then',
    '    echo $LINENO',
    '  fi; echo $LINENO)"',
    '}',
    'f',
    'echo "t $(echo \'a',
    'b\' $LINENO; echo $LINENO)"',
    'echo "u $(if true; then echo $LINENO; else echo no; fi; echo $LINENO)"',
    'x=$(for i in 1; do',
    '  cd /c1; done; cd /c2',
    'cd /c3)',
    'y=$(case a in',
    '  (a) cd /c4;;',
    'esac; { cd /c5',
    '}',
    'cd /c6)',
    'echo "q `',
    '# c',
    '',
    'echo $LINENO`"',
    'echo "r `echo a; if true; then echo $LINENO; fi`"',
    '',
  ].join('\n'),
  'errs2.sh': [
    '[ a -gt b ]',
    'test 1 -eq x',
    'kill',
    'pwd -x',
    './nonexist-cmd',
    '/tmp',
    'echo x | kill -BOGUS 1',
    '(kill -BOGUS 2)',
    'kill -BOGUS 3 &',
    'wait',
    "eval 'cd /nope-eval; cd /nope-eval2'",
    "trap 'cd /nope-trap' USR1",
    'kill -USR1 $$',
    'echo $(cd /nope-comsub; echo in)',
    'g() {',
    '  echo x >&8',
    '  kill -BOGUS 4',
    '}',
    'g',
    'cd /nope-last',
    '',
  ].join('\n'),
};

const { expectSame } = useShellDifferential('shell-script-errors', FILES);

describe('a script\'s errors name it and the line (differential)', () => {
  it('the shell\'s, its builtins\', a command not found, a redirection\'s', async () => {
    await expectSame(['bash errs.sh; echo "rc=$?"', 'bash ./errs2.sh; echo "rc=$?"']);
  });

  it('a function defined in a -c text names its file `environment`, one read from standard input `main`', async () => {
    await expectSame([
      'bash -c \'f() { cd /nope; }; f\'; bash -c \'f() { cd /nope; }; f\' named',
      'echo \'f() { cd /nope; }; f\' | bash; bash -c \'source ./lib.sh; lf; g() { lf; cd /nope-g; }\ng; (g); g | cat\'',
      'bash -c \'f() { echo x >&9; g() { cd /nope-g; }; }; f; g\'; bash -c \'eval "h() { cd /nope-h; }"; h\'',
    ]);
  });

  it('break and continue: outside a loop (a function\'s or a subshell\'s body) they only say so; counts out of range', async () => {
    await expectSame([
      'break; echo "st $?"; continue 2; echo "st $?"; bf() { break; }; for i in 1 2; do bf; echo $i; done',
      'for i in 1; do (break); echo sub $?; x=$(break; echo cs); echo "[$x]"; eval break; echo no; done; echo end',
      'for i in 1 2; do break 0; echo "a$i $?"; done; echo "after $?"; bash -c \'for i in 1 2; do break x; echo "b$i"; done; echo no\'; echo "rc=$?"',
      'for i in 1 2; do for j in 1 2; do continue 5; echo no; done; echo no2; done; echo end; for i in 1; do break -1; echo "c $?"; done; while break; do echo no; done; echo w',
      'for i in 1 2; do false; [ $i = 2 ] && break; done; echo $?; for i in 1 2; do false; [ $i = 2 ] && continue; done; echo $?; for i in 1 2; do break | cat; echo "p$i"; done',
      'i=0; while (( i++ < 3 )) && { [ $i = 2 ] && continue; true; }; do echo "i$i"; done; echo "end $?"; until break; do :; done; echo u $?',
      'bash -c \'for i in 1 2; do echo $i; break; done; break; echo "st $?"\' bs.sh',
    ]);
  });

  it('a command over several lines: its line, and where its eval\'s and $(…)\'s texts count from', async () => {
    await expectSame(['bash lines.sh; echo "rc=$?"']);
  });

  it('inside a $(…): the lines of the text bash printed back and runs', async () => {
    await expectSame(['bash comsub-lines.sh; echo "rc=$?"']);
  });

  it('and the builtins\' invalid options, with their usage lines', async () => {
    await expectSame(['unset -x y; echo $?; export -x; echo $?; export -fx a; echo $?; unset -n; echo $?; pwd -L -x; echo $?; pwd -LP x >/dev/null; echo $?']);
    // Each builtin's own letters, `+` where it takes them, `--`, and a word that is an operand.
    await expectSame(['type -ax ls; echo $?; type -- -a; echo $?; declare -Z; echo $?; declare +Z v; echo $?; f() { local -q v; }; f; echo $?; readonly -ai x; echo $?; umask -Sx; echo $?; umask -- 022; echo $?; trap -x; echo $?; trap -lz; echo $?; jobs -lq; echo $?; jobs -- 1; echo $?']);
  });
});

describe('bash -c names its errors as bash 5.2 does', () => {
  // `bash: line N: ` before what its commands say, `bash: -c: line N: ` before a syntax error
  // (the lines before it run first). Compared without promptStyle: the texts run in a bash -c
  // on both sides.
  const TEXTS = [
    'cd /nonexist', 'true; cd /nonexist', 'echo $((1/0))', 'echo ${x:?unset}', 'nosuch', 'exec nosuch', 'true\ncd /nonexist',
    'set -u; echo $zz', 'readonly r=1; r=2', '(nosuch)', 'echo $(nosuch)', 'f() { nosuch; }; f',
    'if true', 'echo "abc', 'true\nx=(; echo', 'echo hi; x=(; echo', 'echo hi\nif true', 'nosuch\necho )',
  ];
  it.each(TEXTS)('%j', async (text) => {
    const run = 'bash -c "$(cat /tmp/text)" 2>&1; echo "rc=$?"';
    const dir = mkdtempSync(join(tmpdir(), 'bash-c-'));
    try {
      writeFileSync(join(dir, 'text'), text);
      const real = execFileSync('bash', ['--norc', '-c', run.replace('/tmp/text', join(dir, 'text'))], { encoding: 'latin1' });
      const w = world();
      w.writeFile('redis-1', '/tmp/text', text);
      expect((await w.exec('redis-1', run)).output).toBe(real);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
