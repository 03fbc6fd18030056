/**
 * The shell language beyond simple commands — arithmetic, parameter operators, arrays, brace
 * expansion, functions, `case`, `[[ ]]`, builtins — checked against the real bash of this machine: the same line runs in
 * the simulated shell and in `bash -c`, and the outputs (stdout and stderr together) must be
 * the same bytes. bash -c names errors `bash: line 1: `; the simulated shell prints a line run
 * this way as typed at the prompt (`bash: `), so that prefix is normalised (promptStyle).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { world, typeAndRun } from './helpers';
import { promptStyle } from './shell-differential';
import { parse, Incomplete, SyntaxError_ } from '../../src/sim/shell/parser';
import { evalArith, ArithError } from '../../src/sim/shell/arith';

function realBash(line: string): string {
  try {
    return execFileSync('bash', ['--norc', '-c', `{ ${line}\n} 2>&1`], { encoding: 'utf8' });
  } catch (e) {
    return (e as { stdout: string }).stdout;
  }
}


const SAME_AS_BASH = [
  // arithmetic expansion
  'x=5; echo $((x * 2 + 1)) $(( x<<2 )) $((x>3 && x<9)) $((!x)) $((~x)) $((-x))',
  'echo $((7 / 2)) $((7 % 3)) $(( -7 / 2 )) $((-7 % 2)) $((2**62*2)) $((0x1f)) $((8#17)) $((010)) $((36#z)) $((64#@))',
  'echo $((9223372036854775807 + 1)) $((1 << 63)) $((-9223372036854775807 - 2))',
  'x=3; echo $((x++ + ++x)) $x; echo $((x--)) $((--x)) $x',
  'y=2+3; echo $((y*2)); z=y; echo $((z+1))',
  'echo $((a=5, a*2)) $a; b=1; echo $((b+=4)) $((b*=3)) $((b-=1)) $((b/=2)) $((b%=4)) $((b<<=3)) $((b|=1)) $((b&=12)) $((b^=5)) $b',
  'echo $(( 1 ? 2 : 3 )) $(( 0 ? 2 : 3 )) $(( 0 && 1/0 )) $(( 1 || 1/0 )) $((1 ? 4 : 1/0))',
  'echo $((  )) $((unset_var)) $((unset_var + 1))',
  'echo $(( $(echo 3) + 4 )) "$(( 10 / 3 )) r $(( 10 % 3 ))" $(( "5" + 1 ))',
  'echo $((7/0)); echo after',
  'echo $((1 +)); echo after',
  'echo $((09))',
  'echo $((2**-1))',
  'echo $((abc+))',
  'echo $(( (1 + 2) * 3 )) $(( ((4)) )) $((2**3**2))',
  '((5>3)) && echo yes; ((0)); echo $?; ((x = 7)); echo $x',
  'let q=4*2 r=q+1; echo $q $r $?; let "s = 0"; echo $?',
  'i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i',
  'i=0; while ((i < 4)); do ((i++)); done; echo $i',
  // parameter expansion
  'echo ${#HOME} ${#nope}; a=hello; echo ${#a}',
  'a=hello; echo ${a:1:3} ${a: -2} ${a:1} ${a:0:-1} ${a:10} ${a:1+1:1}',
  'a=hello; echo ${a/l/L} ${a//l/L} ${a/#h/H} ${a/%o/O} ${a/x/y} ${a//[eo]/_} ${a/l*/X}',
  'p=/var/lib/redis/dump.rdb; echo ${p##*/} ${p%/*} ${p#*/} ${p%%/*}x ${p%.rdb} ${p#/var}',
  's=Hello; echo ${s^^} ${s,,} ${s^} ${s,}',
  'echo ${nope:-default} ${nope-d2} ${nope:+alt} ${HOME:+set}; x=; echo ${x:-empty} ${x-unset} ${x:+alt} ${x+alt}',
  'echo ${a:=assigned}; echo $a',
  'echo ${nope:?must be set}; echo after',
  'echo ${nope?}',
  'set -- a b c; echo ${#@} ${2} ${@:2} ${*:1:2} ${#*}',
  'loop=loop+1; echo $((loop)); echo after',
  // case
  'case x in x) echo matched;; esac',
  'case hello.txt in *.rdb) echo rdb;; *.txt|*.md) echo text;; *) echo other;; esac',
  'v=abc; case $v in a*) echo starts-a ;; esac; case "$v" in "a*") echo literal;; *) echo no;; esac',
  'case 5 in [0-9]) echo digit;; esac; case yes in (y*) echo y-word;; esac; case z in a) echo a;; esac; echo $?',
  // functions
  'f() { echo fn $1 $#; }; f arg; f a b c',
  'f() { local x=inner; echo $x; return 3; }; x=outer; f; echo $? $x',
  'function g { echo g-called "$@"; }; g 1 2',
  'sq() { echo $(( $1 * $1 )); }; for n in 1 2 3; do sq $n; done',
  'f() { echo in-pipe; }; f | cat',
  'f() { echo a; }; f() { echo b; }; f',
  'count() { local n=0; for x in "$@"; do n=$((n+1)); done; echo $n; }; count a "b c" d',
  // "$@" / "${a[@]}" with nothing in them make no word at all, quoted or not
  'count() { echo $#; }; f() { count "$@"; count "x$@"; count "$@" ""; }; f; e=(); count "${e[@]}"; count "${e[@]}" "${e[*]}"; set --; count "$@"',
  'fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }; fact 10',
  'f() { echo hi; }; type f',
  'f() { a=1; echo x; if true; then echo y; fi; for i in 1 2; do echo $i; done; }; type f',
  'return 1; echo $?',
  'local x=1; echo $?',
  'let; echo $?',
  'type ls cd echo grep; type nosuch; echo $?',
  // brace expansion
  'echo {1..5} k{a,b,c}v {01..03} {a..c} {5..1} {1..10..3} {-2..2} x{}y {a} a{b,c{d,e}}f',
  'for i in {1..3}; do echo n$i; done; echo {1,2}{a,b} "{1..3}" \\{1..3}',
  // [[ ]]
  'x=abc; [[ $x == a* ]] && echo glob-match; [[ $x == "a*" ]] || echo quoted-literal; [[ $x != b* ]] && echo differs',
  '[[ -d /tmp && ! -f /tmp ]] && echo dir; [[ -n $HOME && -z "" ]] && echo strings; [[ -e /nope ]] || echo absent',
  '[[ 3 -lt 10 ]] && echo lt; [[ abc < abd ]] && echo str-lt; [[ b > a ]] && echo str-gt; [[ 1+1 -eq 2 ]] && echo arith',
  '[[ foo =~ ^f(o+)$ ]] && echo re; [[ foo.bar =~ "o.b" ]] && echo literal-dot; [[ ( a == a || a == b ) && ! a == c ]] && echo grouped',
  'x="two words"; [[ $x == "two words" ]] && echo no-split; [[ -v x ]] && echo set; [[ -v nope ]] || echo unset',
  // builtins
  'set -- a b c; shift; echo $@; shift 2; echo $#; shift; echo $?',
  'eval \'echo evaluated $((1+1))\'; cmd="echo via var"; eval $cmd',
  'command -v ls; command -v cd; command -v nosuch; echo $?; f() { echo fn; }; command -v f',
  'f() { echo function; }; command echo not-the-function',
  'trap "echo bye" EXIT; echo hi',
  'exec echo replaced; echo not-reached',
  // exec: the command replaces the shell (no EXIT trap); what cannot be executed is reported
  'trap "echo T" EXIT; exec echo hi; echo not-reached',
  'trap "echo T" EXIT; exec nosuch; echo not-reached',
  'exec /tmp; echo not-reached',
  'exec -x; echo $?; exec -a; echo $?; exec -- -x; echo not-reached',
  'exec -a renamed bash -c \'echo $0\'',
  'exec -l bash -c \'echo $0\'',
  'exec -c env; echo not-reached',
  'for ((i=0; i<3; i++)); do echo c$i; done; for ((;;)); do break; done; echo out',
  "echo $'tab\\there' $'q\\'s' $'\\x41\\102'",
  // arrays
  'arr=(x y z); echo ${arr[1]} ${#arr[@]} ${arr[@]} $arr ${arr[-1]}',
  'a=(one "two words" three); for x in "${a[@]}"; do echo "[$x]"; done; echo ${#a[1]}',
  "a=(1 2); a+=(3 4); a[6]=7; echo ${a[@]} ${#a[@]} ${!a[@]}; unset 'a[1]'; echo ${a[@]}",
  'f=(dump.rdb appendonly.aof); echo ${f[@]%.*} ${f[@]/a/A} ${f[@]^^}; echo ${f[@]:1}',
  '[[ foo-123 =~ ^([a-z]+)-([0-9]+)$ ]] && echo ${BASH_REMATCH[0]} ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}',
  'x=1; x+=2; echo $x; a=(p q); a[0]+=r; echo ${a[@]}; n=(); echo ${#n[@]}; a=1 b=$a; echo $b',
  'a=(a b c); echo "${a[*]}" "${a[@]:0:2}"; i=2; echo ${a[i]} ${a[i-1]}; unset x; x[2]=c; echo ${x[@]} ${#x[@]}',
  // read keeps what it did not use
  "printf 'b 2\\na 1\\nc 3\\n' > /tmp/halab-read-$$; while read a b; do echo \"[$a|$b]\"; done < /tmp/halab-read-$$; cat /tmp/halab-read-$$ | while read line; do echo \"> $line\"; done; rm /tmp/halab-read-$$",
  "printf 'x\\ny' | { read first; read second; echo $first-$second; read third; echo $?; }",
  // exit in a subshell or a pipeline ends that subshell; a line of assignments has the status of its last $(…)
  '(echo sub; exit 3); echo $?; (exit); echo $?; (exit 300); echo $?; ( cd /tmp; exit 7 ) && echo ok || echo fail $?',
  'exit 2 | true; echo $?; true | exit 4; echo $?; f() { echo in; exit 3; }; f | cat; echo $?',
  // a $(…) ends at the `)` its commands leave: not a case pattern's, a comment's, a here-document's
  'echo "f $(case x in x) echo a;; esac; echo b)"; echo $(case y in (y) echo b;; z|y) echo c;; esac); x=$(echo a # )\n); echo "[$x]"',
  'echo "$(cat <<EOF\n)\nEOF\n)"; echo $( echo ")"; echo \')\' ); echo $(echo $((1+2)) $( (echo n) ))',
  // a function whose body is a subshell runs it in one at each call (and shows it so)
  'g() ( echo hi; x=1; exit 3 ); g; echo "st $? x=$x"; g | cat; echo "$(h() ( echo in ); h)"; type g',
  'x=$(exit 5); echo $?; x=$(echo a; exit 6); echo $? $x; x=$(true)$(false); echo $?; x=$(false) true; echo $?; `false`; echo $?',
  // tilde prefixes: ~, ~root, ~+, ~-, after = and : in an assignment, in ${x:-~/…}; unknown users and quoted tildes stay
  'HOME=/h; echo ~ ~/x ~root ~root/x ~nope ~nope/x "~" \\~ a~ ~/"a b" x=~/y a=b:~/c ~x~',
  'HOME=/h; x=~/y; y=a:~/b:~root; z=~nope/q; w="~/q"; echo $x $y $z $w; echo ${u:-~/d} ${u:-~} "${u:-~}"; PATHS=~/bin:~root/sbin; echo $PATHS',
  'cd /tmp && cd / && echo ~- ~+ ~+/x ~-/y; cd "~"; echo $?; cd ~root && pwd; cd ~+ && pwd',
  // a tilde prefix leading the word of ${x:-word} and its kin: ~user, ~+ and ~- too, ended by / or :
  'HOME=/h; unset x; echo ${x:-~root} ${x:-~} ${x:-~/a} ${x:-~root/b} ${x:-~nope} "${x:-~/a}" ${x:-a~} ${x:-~:~} ${x-~root}; y=1; echo ${y:+~root/p} ${x:=~/q} $x',
  'cd /tmp && cd / && unset x && echo ${x:-~+} ${x:--~-} ${x:-~+/a} ${x:-~-/b} ${x:-~+x} "${x:-~+}"; unset OLDPWD; echo ${x:-~-}',
  'HOME=/h; case /h/x in ~/x) echo tilde-pattern;; esac; [[ /h/y == ~/y ]] && echo cond; for d in ~/a ~root; do echo $d; done',
];

describe('shell language, the same as real bash', () => {
  it.each(SAME_AS_BASH)('%s', async (line) => {
    const w = world();
    const sim = (await w.exec('redis-1', line)).output;
    expect(promptStyle(sim)).toBe(promptStyle(realBash(line)));
  });
});

describe('shell language', () => {
  it('a script goes on after an arithmetic error with its next line, naming itself and the line; ${x:?} ends it', async () => {
    const w = world();
    // What bash 5.2 prints for this script (checked against it): ${x:?} ends a non-interactive shell with 1.
    await w.exec('redis-1', "cat > /tmp/s.sh <<'EOF'\necho one\necho $((1/0)); echo skipped\necho three\nnosuchcmd\necho ${nope:?no value}\necho not-reached\nEOF");
    expect((await w.exec('redis-1', 'sh /tmp/s.sh; echo status $?')).output).toBe(
      'one\n/tmp/s.sh: line 2: 1/0: division by 0 (error token is "0")\nthree\n/tmp/s.sh: line 4: nosuchcmd: command not found\n/tmp/s.sh: line 5: nope: no value\nstatus 1\n',
    );
  });

  it('at the prompt, an expansion error abandons the rest of the line only', async () => {
    const w = world();
    const out = await typeAndRun(w, w.terminalIds()[0] ?? w.openTerminal('redis-1'), 'echo $((2/0)); echo not-run');
    expect(out).toContain('bash: 2/0: division by 0 (error token is "0")');
    expect(out).not.toContain('\nnot-run');
    expect(await typeAndRun(w, w.terminalIds()[0], 'echo $?')).toContain('1\n');
  });

  it('functions are kept by the login shell and copied into scripts it runs with source', async () => {
    const w = world();
    const term = w.openTerminal('redis-1');
    await typeAndRun(w, term, 'greet() { echo "hello $1"; }');
    expect(await typeAndRun(w, term, 'greet world')).toContain('hello world\n');
    await typeAndRun(w, term, "cat > /tmp/use.sh <<'EOF'\ngreet script\nEOF");
    expect(await typeAndRun(w, term, 'source /tmp/use.sh')).toContain('hello script\n');
  });

  it('parses case, functions and (( )) and asks for more input while they are open', () => {
    const l = parse('case $x in a) echo a;; esac; f() { echo; }; ((x++))\n');
    expect(l.items.map((i) => i.andOr.first.cmds[0].type)).toEqual(['case', 'func', 'arith']);
    for (const src of ['case x in', 'case x in a) echo', 'f() {', 'echo $((1 +', '((x', 'f()']) expect(() => parse(src), src).toThrow(Incomplete);
    expect(() => parse('case x in a echo;; esac')).toThrow(SyntaxError_);
    // A malformed [[ ]] is a syntax error, with bash's words.
    expect(() => parse('[[ a == ]]\n')).toThrow("unexpected argument `]]' to conditional binary operator");
    expect(() => parse('[[ ( a ]]\n')).toThrow(SyntaxError_);
    expect(() => parse('[[ a == b\n')).toThrow(Incomplete);
  });

  it('arithmetic wraps at 64 bits and reads variables as expressions', () => {
    const vars = new Map<string, string>([['a', '2+3'], ['b', 'a*2']]);
    const env = { get: (n: string) => vars.get(n), set: (n: string, v: string) => { vars.set(n, v); } };
    expect(evalArith('b + 1', env)).toBe(11n);
    expect(evalArith('2**63', env)).toBe(-(2n ** 63n));
    expect(evalArith('c = 4, c <<= 2', env)).toBe(16n);
    expect(vars.get('c')).toBe('16');
    vars.set('loop', 'loop+1');
    expect(() => evalArith('loop', env)).toThrow(ArithError);
  });
});

/** Scripts with syntax errors or set -e, as files run by `bash file` here and in the real bash. */
const BROKEN_SCRIPTS = [
  'echo "unterminated\n', 'echo a\necho "x\ny\n', 'echo one\nif true; then\necho x\n\n', 'echo one\nfor i in 1 2; do\n  echo $i\ndone\nfi\necho after\n',
  'echo one\necho $(echo x\n', 'echo one; echo two )\n', 'echo a |\n', 'f() {\necho x\n', "echo 'a\n\n", 'case x in\n', 'then\n', 'echo x\n  fi  \n',
  'echo x\nif true; then\n  echo y\nelse\nfi\n', 'echo x\nwhile true; do\ndone\n', 'echo x\nif [ 1 -eq 1 ]\n  echo y\nfi\n', 'echo x\nfor i in 1 2\n  echo $i\ndone\n',
  'x=1\nif [ $x = 1 ]; then echo one; fi\necho > \n', 'echo `echo x\n', 'echo x\n}\n', 'echo x; done\n', 'case a in\n a) echo A;;\nesac\nesac\n',
  '{ echo g; }\necho ok\n', 'if true; then echo t; else echo f; fi\n', 'echo x\n{ }\n',
  // errors in a subshell or a $(…) of a script name the script and the line
  'cd /nonexistent\n(cd /nonexistent2)\nx=$(cd /nonexistent3)\necho "$x end"\n',
  // set -e: a failing command ends the script, except in conditions, before && / ||, negated
  '#!/bin/bash\nset -e\nfalse\necho notreached\n', 'set -e\nfalse || echo handled\nfalse && echo no\necho after-and\ntrue && false\necho not-here\n',
  'set -e\nif false; then echo y; fi\nwhile false; do :; done\n! true\necho alive\nls /nonexistent-dir\necho gone\n',
  'set -e\nf() { false; echo in-f; }\nf || echo caught\nf\necho not-here\n', 'set -e\n(exit 3)\necho no\n', 'set -e\necho a\nset +e\nfalse\necho b\n',
  'set -o errexit\nx=$(false)\necho no\n', 'set -e\nx=$(false; echo inner)\necho "got $x"\n', 'set -e\ntrap "echo bye" EXIT\nfalse\n',
  'set -e\nfor i in 1 2; do echo $i; false; done\necho no\n', 'set -e\nfalse | true\necho piped\n', 'set -- a b\necho $1 $#\nset -e -- c\necho $1 $#\n',
];

describe('scripts run from files (syntax errors, set -e), the same as real bash', () => {
  it.each(BROKEN_SCRIPTS)('%j', async (script) => {
    const dir = mkdtempSync(join(tmpdir(), 'halab-syntax-'));
    try {
      writeFileSync(join(dir, 's.sh'), script);
      let real: string;
      try {
        real = execFileSync('bash', ['--norc', '-c', 'bash s.sh 2>&1; echo "rc=$?"'], { cwd: dir, encoding: 'latin1' });
      } catch (e) {
        real = (e as { stdout: string }).stdout;
      }
      const w = world();
      w.writeFile('redis-1', '/root/s.sh', script);
      expect((await w.exec('redis-1', 'bash s.sh 2>&1; echo "rc=$?"')).output).toBe(real);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
