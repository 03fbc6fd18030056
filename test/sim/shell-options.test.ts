/**
 * The shell's options (set -x / -u / -n / -o, and bash's own -x, -u, -n) against this machine's
 * bash: the same lines and scripts in the simulated shell and in the real bash, trace lines and
 * error messages compared byte for byte with their exit statuses. Options are set inside a
 * `bash -c` or a script of their own, so that the lines of the real side do not share them.
 */
import { describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';
import { typeAndRun, world } from './helpers';

const FILES: Record<string, string> = {
  // The shape of the labs' backup script: variables, a loop, a $(…), a test. (Not a pipeline:
  // the real bash traces its commands from two processes, in either order.)
  'backup.sh': '#!/bin/bash\nset -x\ndir=/tmp/bk-opts\nmkdir -p "$dir"\nfor f in a b; do\n  echo "$f" > "$dir/$f.rdb"\ndone\nkept=$(ls "$dir")\nif [ -n "$kept" ]; then echo "kept $kept"; fi\nrm -r "$dir"\nset +x\necho done\n',
  'plain.sh': 'x="a b"\necho $x "$x"\ny=$(echo in $(echo deep))\necho "$y"\n',
  'unset.sh': 'set -u\necho start\necho "${missing:-default}" "${missing-d2}" "[${missing+set}]"\necho $missing\necho not-reached\n',
  'unset-trap.sh': 'set -o nounset\ntrap "echo cleanup" EXIT\nx=$(echo $nope)\necho "after sub $?"\n(echo $nope)\necho "after subshell $?"\necho ${#nope}\necho no\n',
  'args.sh': 'echo "$#" "$@" $*\necho ${1:-none}\necho $1\necho no\n',
  'broken.sh': 'echo a\nif true; then\n  echo b\n',
  'ok.sh': 'echo should-not-run\nfor i in 1 2; do echo $i; done\n',
  // Errors (and $LINENO, and set -u) inside functions, loops, groups, eval, $(…) and sourced files.
  'lines.sh': 'f() {\n  echo in-f\n  cd /nope1\n}\nfor i in 1; do\n  cd /nope2\ndone\nif true; then\n  echo x $LINENO\n  cd /nope3\nfi\nf\neval "cd /nope4"\nx=$(\n  cd /nope5)\necho $LINENO\n{ echo g\n  cd /nope6; }\ng() {\n  echo $LINENO\n}\ng\n',
  'ps4.sh': 'PS4="+ $0:\\$LINENO: "\nset -x\nx=1\nif [ $x = 1 ]; then\n  echo one\nfi\nf() {\n  echo "in f"\n}\nf\n',
  'verbose.sh': '# comment\necho a; echo b\n\nfor i in 1; do\n  echo $i\ndone\nset +v\necho quiet\nset -v\ncat <<EOF\nhd\nEOF\necho end # trailing\n\n# last\n',
  'verbose2.sh': 'echo a\nset -v\nx=$(echo sub)\necho $x\n',
  'dash.sh': 'echo $-\n',
  'shebang-e.sh': '#!/bin/bash -e\necho one\nfalse\necho not-reached\n',
  'shebang-x.sh': '#!/bin/bash -xu\necho "traced $1"\necho $2\necho no\n',
  'local.sh': 'x=1\nf() {\n  local x y=2\n  echo "[${x-unset}] $y"\n  local y\n  echo "$y"\n  x=3\n  echo $x\n  set -u\n  local z\n  echo "$z"\n}\nf\necho no\n',
  'lib.sh': 'echo lib\ncd /nope-lib\nlf() {\n  cd /nope-lf\n}\n',
  'sources.sh': 'echo start\nsource ./lib.sh\nlf\n. lib.sh\necho $LINENO\nset -u\nif true; then\n  echo "$unset_in_if"\nfi\n',
};

const { expectSame } = useShellDifferential('shell-options', FILES);

describe('set -x (differential)', () => {
  it('traces each simple command after expansion, words quoted as bash quotes them', async () => {
    await expectSame([
      `bash -c 'set -x; echo "a b" c "" "it'\\''s" "*" "~x" a~ "#a" a# a=b x\\|y "\\$v"'`,
      `bash -xc 'echo $'\\''a\\001b'\\'' $'\\''\\t'\\'' "a\nb" \\'\\'`,
      `bash -c 'set -o xtrace; x=1; y="a b" z=; echo $x $y; set +x; echo quiet'`,
      `bash -xc 'echo $(echo in $(echo deep)); v=\`echo bq\`; echo "$v"'`,
      `bash -xc 'for i in 1 "2 3"; do :; done; ((x = 2 + 3)); if [ $x -gt 1 ]; then echo big; fi; while false; do :; done'`,
      `bash -xc 'f() { echo "in f $1"; }; f one; true && false || echo alt; ! true; eval "echo ev"'`,
      `bash -xc 'echo out; echo err >&2; ls nope; echo hidden 2>/dev/null; { echo g; } 2>/dev/null'`,
      `bash -xc 'x+=2; a=(1 2); command echo c; cd /; pwd'`,
      `bash -c 'PS4="[\\$x] "; x=7; set -x; echo p; echo $(echo q)'`,
      `bash -c 'unset PS4; set -x; echo bare'`,
      `bash -xc 'export A="x y" B= C; export D=1; echo "$A$D"'`,
      `bash -xc 'n=2; for ((i=0; i<n; i++)); do :; done; for ((;;)); do break; done'`,
      `bash -xc 'x=5; y="a b"; [[ $y == "a b" ]]; [[ $y == a* ]]; [[ $x -lt 3 ]] || [[ -n $y && ! -e /nope ]]; [[ ! ( -z $x ) ]]; [[ $x =~ ^[0-9]+$ ]]; [[ $x ]]; [[ -z "" ]]'`,
      `bash -xc 'y="a b"; case $y in "a b") echo q;; esac; case "$y" in x) ;; *) echo other;; esac'`,
    ]);
  });

  it('bash -x FILE traces a script; set -x inside one traces from there on', async () => {
    await expectSame(['chmod +x shebang-e.sh shebang-x.sh; ./shebang-e.sh; echo "rc=$?"; ./shebang-x.sh a; echo "rc=$?"', 'bash -x plain.sh', 'bash backup.sh', 'bash ps4.sh', 'bash -x ok.sh a b; echo $?', 'bash plain.sh']);
  });
});

describe('set -u (differential)', () => {
  it('an unset variable ends the script, but not ${x-word} and friends; $@ and $# are never unbound', async () => {
    await expectSame([
      'bash unset.sh; echo "rc=$?"', 'bash unset-trap.sh; echo "rc=$?"', 'bash -u args.sh; echo "rc=$?"', 'bash -u args.sh one two; echo "rc=$?"',
      `bash -uc 'echo $1'; echo "rc=$?"`, `bash -uc 'echo "[$@]" $# "$*" $? \${x:-d}; echo \${#x}'; echo "rc=$?"`,
      `bash -uc 'echo $((y + 1))'; echo "rc=$?"`, `bash -uc 'echo \${x%a}'; echo "rc=$?"`, `bash -uc 'echo $!'; echo "rc=$?"`,
      `bash -uc 'x=; echo "[$x]"; a=(); echo "\${a[@]}" "\${b[@]}" end'; echo "rc=$?"`, `bash -uc 'x=$(echo $q); echo "sub $?"'; echo "rc=$?"`,
      `bash -uc '[[ -z $q ]]; echo no'; echo "rc=$?"`, `bash -uc 'if [ -z "\${q:-}" ]; then echo empty; fi'; echo "rc=$?"`,
      `bash -c 'set -eu; echo a; echo $q; echo b'; echo "rc=$?"`, `bash -c 'echo \${x:?must be set}; echo after'; echo "rc=$?"`, `bash -ec 'echo \${x:?m}'; echo "rc=$?"`,
      `bash -c '(echo \${x:?m}); echo "sub $?"; y=$(echo \${x:?}); echo "cs $?"; echo \${x?unset}; echo no'; echo "rc=$?"`, 'bash lines.sh', 'bash sources.sh; echo "rc=$?"', 'bash local.sh; echo "rc=$?"', 'source lib.sh; . ./lib.sh', `bash -c 'x=$(. ./lib.sh); echo "$x"'`, `bash -c 'set -u; set +u; echo "[$q]"'`,
    ]);
  });
});

describe('set -v / bash -v (differential)', () => {
  it('echoes the lines as bash reads them, before the commands on them run', async () => {
    await expectSame([
      'bash -v verbose.sh', 'bash verbose2.sh', 'bash -xv verbose2.sh', 'bash -v ok.sh a', `bash -vc 'echo a
echo b'`, `bash -vc 'echo one'`,
    ]);
  });
});

describe('set -o pipefail (differential)', () => {
  it('a pipeline fails with its last failing command; with set -e that ends the script', async () => {
    await expectSame([
      `bash -c 'false | true; echo "$?"; set -o pipefail; false | true; echo "$?"; (exit 3) | (exit 4) | true; echo "$?"; true | true; echo "$?"; ls nope | cat; echo "$?"'`,
      `bash -c 'set -euo pipefail; echo a | grep -q a; echo found; cat nope | sort; echo not-reached'; echo "rc=$?"`,
      `bash -c 'set -o pipefail; if ls nope 2>/dev/null | cat; then echo yes; else echo "no $?"; fi; ! false | true; echo "$?"; set +o pipefail; false | true; echo "$?"'`,
    ]);
  });
});

describe('PIPESTATUS (differential)', () => {
  it('the statuses of the last foreground pipeline, a lone command\'s too; not negated, whatever pipefail', async () => {
    await expectSame([
      'true | false | true; echo "${PIPESTATUS[@]}"; echo "${PIPESTATUS[@]}"',
      'false | true; echo ${PIPESTATUS[1]} ${PIPESTATUS[0]} ${#PIPESTATUS[@]} ${PIPESTATUS[-1]} "[${PIPESTATUS[5]}]"',
      '(exit 3) | (exit 4); echo $? "${PIPESTATUS[@]}"; sleep 0 | exit 3 | true; echo "${PIPESTATUS[*]}" $PIPESTATUS',
      '! true | false; echo $? "${PIPESTATUS[@]}"; ! false; echo $? "${PIPESTATUS[@]}"',
      'bash -c \'set -o pipefail; false | true | true; echo $? "${PIPESTATUS[@]}"; declare -p PIPESTATUS\'',
      'x=1; echo "${PIPESTATUS[@]}"; false; x=$(exit 5); echo "${PIPESTATUS[@]}"; : $(exit 4); echo "${PIPESTATUS[@]}"',
      'false; true && echo "${PIPESTATUS[@]}"; if false | true; then echo "${PIPESTATUS[@]}"; fi',
      '{ false; (exit 3); } | true; echo "${PIPESTATUS[@]}"; { (exit 2); }; echo "${PIPESTATUS[@]}"',
      'pf() { return 3; }; pf; echo "${PIPESTATUS[@]}"; pf | pf; echo "${PIPESTATUS[@]}"; false; pg() { :; }; echo "${PIPESTATUS[@]}"',
      'for i in 1; do false; done; echo "${PIPESTATUS[@]}"; while false; do :; done; echo "${PIPESTATUS[@]}"; false; case x in y) ;; esac; echo "${PIPESTATUS[@]}"',
      '[[ -n x ]]; echo "${PIPESTATUS[@]}"; (( 0 )); echo "${PIPESTATUS[@]}"; false; [[ a = b ]] | true; echo "${PIPESTATUS[@]}"',
      'nosuchcmd 2>/dev/null | true; echo "${PIPESTATUS[@]}"; cat /nonexistent 2>/dev/null | wc -l; echo "${PIPESTATUS[@]}"',
      'false | true; PIPESTATUS=(9 8); echo "${PIPESTATUS[@]}"; unset PIPESTATUS; echo "[${PIPESTATUS[@]}]"',
      'true | (exit 6) & wait $!; echo "${PIPESTATUS[@]}"; TIMEFORMAT=; time false | true; echo "${PIPESTATUS[@]}"; time; echo "${PIPESTATUS[@]}"',
      'false | true; (exit 3) & echo "${PIPESTATUS[@]}"; wait; false | true; ! { false; }; echo "${PIPESTATUS[@]}"',
    ]);
  });
});

describe('bash -n, set -o / set +o (differential)', () => {
  it('bash -n checks the syntax and runs nothing', async () => {
    await expectSame(['bash -n ok.sh; echo "rc=$?"', 'bash -n broken.sh; echo "rc=$?"', `bash -n -c 'echo a'; echo "rc=$?"`, `bash -nx ok.sh; echo "rc=$?"`]);
  });

  it('set -o and set +o list the options; bad options are refused', async () => {
    await expectSame([
      `bash -c 'set -o'`, `bash -c 'set -eu -o pipefail; set +o'`, `bash -xc 'set +x; set -o | grep -E "xtrace|errexit|nounset"'`,
      `bash -c 'set -q; echo $?; set -o bogus; echo $?; set +o bogus; echo $?'`, `bash -o nounset -c 'echo $zz'; echo "rc=$?"`,
      // $-: the one-letter options, then c or s
      'echo $-', `bash -euxc 'echo $-' 2>/dev/null`, `bash -c 'set -o pipefail -o noclobber -f -a; echo $-; set +fa; echo "\${-}"'`, 'bash dash.sh', 'bash -v dash.sh 2>/dev/null',
      `echo 'echo $-' | bash`, `bash -c 'echo $(echo $-); (echo $-)'`,
    ]);
  });
});

describe('options at the prompt', () => {
  it('set -u abandons the line with status 1 and the shell goes on; set -x traces what is typed', async () => {
    const w = world();
    const term = w.openTerminal('redis-1');
    await typeAndRun(w, term, 'set -u');
    const out = await typeAndRun(w, term, 'echo $q; echo same-line');
    expect(out).toContain('bash: q: unbound variable\n');
    expect(out).not.toContain('\nsame-line\n');
    expect(await typeAndRun(w, term, 'echo $?')).toContain('\n1\n');
    await typeAndRun(w, term, 'set +u -x');
    expect(await typeAndRun(w, term, 'echo "a b" $(echo c)')).toContain("++ echo c\n+ echo 'a b' c\na b c\n");
    expect(await typeAndRun(w, term, 'set -o | grep -E "^(monitor|xtrace|nounset)"')).toContain('monitor        \ton\nnounset        \toff\nxtrace         \ton\n');
  });
});
