/**
 * Parameter expansion's words against this machine's bash: quote removal in the word of
 * `${x:-word}` and its kin (inside and outside double quotes, nested, split and globbed when
 * unquoted), in the pattern of `${x#pat}` / `${x%pat}` and the pattern and replacement of
 * `${x/pat/rep}` (quoted pattern characters match literally; bash 5.2's `&` in a replacement),
 * and field splitting at IFS. Each script runs as `bash FILE` on both sides; output and status
 * must be the same bytes.
 */
import { describe, it } from 'vitest';
import { useShellDifferential } from './shell-differential';

const P = "p() { printf '<%s>' \"$@\"; echo; }\n";

const FILES: Record<string, string> = {
  'a.txt': '', 'b.txt': '', 'log.txt': '',
  // The word of -, +, =, ? outside and inside double quotes.
  'default.sh': P + `unset x; y='1  2'; z='*.txt'
p \${x:-"a b"} \${x:-a b} \${x:-'a b' c}
p "\${x:-'a b'}" "\${x:-"a b"}" "\${x:-a\\ b}" \${x:-a\\ b}
p "\${x:-\\"q\\"}" \${x:-\\"q\\"} "\${x:-\\$y}" \${x:-\\$y}
p \${x:-$y} \${x:-"$y"} "\${x:-$y}" \${x:-$z} \${x:-"$z"}
p \${x:-*.txt} \${x:-'*.txt'} "\${x:-*.txt}" \${x:-\\*.txt} \${x:-"*".txt} \${x:-[ab].txt} \${x:-nomatch*}
p \${x:-a\\\\b} "\${x:-a\\\\b}" "\${x:-a\\b}" \${x:-a\\b} "\${x:-\\'}" \${x:-\\'}
p \${x:-$'a\\tb'} "\${x:-$'a\\tb'}" \${x:-$'a\\'b'}
p \${x:-"}"} "\${x:-"}"}" \${x:-'}'} \${x:-\\}} "\${x:-\\}}" "\${x:-'}'}" "\${x:-'a'}'}"
p \${x:-\${y}} \${x:-\${x:-"n m"}} "\${x:-\${x:-'n m'}}"
p \${x:-$(echo "c d")} \${x:-"$(echo "c d")"} \${x:-\`echo e f\`} \${x:-$((1+2))} "\${x:-a$(echo "in sub")b}"
p \${x-"a b"} \${y:+"a b"} \${y:+a b} "\${y:+'a b'}" \${y+'x'} \${y:+"$y"} \${y:+$y} "\${y:+$y}"
p \${x:-} "\${x:-}" \${x:-""} \${x:-''} a\${x:-}b \${x:-a""b}
p "\${x:-a"b c"d}" \${x:-a"b c"d} \${x:-a"b c"d e}
p "\${x:-'$y'}" "\${x:-'a\\$'}"
p \${x:-a\\
b}
set -- a "b c"
p \${x:-"$@"} \${x:-x"$@"y} "\${x:-"$@"}" \${x:-$@} \${x:-"$*"}
arr=(1 "2 3"); p \${x:-"\${arr[@]}"} \${arr[@]:-"none"} "\${arr[@]:-none}" \${nope[@]:-"no ne"}
echo \${y:-$(echo side effect >&2)}
`,
  'assign-default.sh': P + `unset x; y='1  2'
p \${x:=' s p '}; p "$x"; unset x
p "\${x:=' s p '}"; p "$x"; unset x
p \${x:="a b"}; p "$x"; unset x
p \${x:=a\\ b}; p "$x"; unset x
p \${x:='$y'}; p "$x"; unset x
p \${x:=$y}; p "$x"; unset x
a=(); p \${a[2]:=two} "\${a[@]}" \${#a[@]}
`,
  'error-word.sh': `y='1   2'
( : \${x:?"msg  here"} ) 2>&1
( : \${x:?'m  $HOME'} ) 2>&1
( : "\${x:?'m  $HOME'}" ) 2>&1
( : \${x:?a\\ b} ) 2>&1
( : \${x:?a   b} ) 2>&1
( : \${x:?$y} ) 2>&1
( : "\${x:?$y}" ) 2>&1
( : "\${x:?"$y"}" ) 2>&1
( : \${x:?*.txt} ) 2>&1
( : \${x:?""} ) 2>&1
( : \${x?} ) 2>&1
( : \${x:?} ) 2>&1
echo \${x:?last}
echo not reached
`,
  // Used only where a word is not split: assignments, case, [[ ]], here-strings, redirections.
  'unsplit.sh': P + `unset x
y=\${x:-"a b"}; p "$y"; y=\${x:-a   b}; p "$y"; y=\${x:-'a'"b"\\c}; p "$y"
case \${x:-"a b"} in "a b") echo case-ok;; *) echo case-no;; esac
case "a*" in \${x:-"a*"}) echo lit;; esac
[[ \${x:-"a b"} == "a b" ]] && echo cond-ok
arr=(\${x:-"1 2" 3} z); p "\${arr[@]}"
for i in \${x:-"1 2" 3}; do p "$i"; done
cat <<< \${x:-"here str"}
echo hi > \${x:-"/tmp/f g"}; cat "/tmp/f g"; rm "/tmp/f g"
f() { local l=\${x:-"a  b"}; p "$l"; }; f
`,
  'heredoc.sh': `unset x; z='*ab*'; HOME=/h
cat <<EOF
1 \${x:-"a b"} \${x:-'a b'} \${x:-a\\ b} \${x:-\\$y} \${x:-"}"} \${x:-~} \${x:-"~"}
2 \${z#"*"} \${z#'*'} \${z#\\*} \${z/"*"/'q'}
EOF
echo $(( \${x:-"3"} + 1 )) $(( \${x:-3} + 1 ))
`,
  'patterns.sh': P + `x='*ab*cd*'; s='a*b'
p \${x#"*"} \${x#*} \${x#\\*} \${x#'*'a} "\${x#"*"}" "\${x#'*'}" "\${x#\\*}"
p \${x%"*"} \${x%'*'} "\${x%'*'}" "\${x%%"*"*}" \${x%%\\**}
p \${x#$s} "\${x#$s}" \${x#"$s"}
x='aXXb-c'; p "\${x#$s}" "\${x#"$s"}" \${x#$s} \${x#"$s"} "\${x#'$s'}"
v='a b c'; p \${v#a} "\${v#a}" \${v#"a "} \${v#a\\ }
w='a\\b'; p \${w#a\\\\} "\${w#a\\\\}" \${w/\\\\/X} "\${w/\\\\/X}" \${w/'\\'/X} "\${w/'\\'/X}"
HOME=/h; x=/h/q; p \${x#~/} \${x#"~"/} \${x#~}
f=(dump.rdb "my file.aof"); p \${f[@]%.*} "\${f[@]%."rdb"}" \${f[@]#"my "}
`,
  'replace.sh': P + `x='*ab*cd*'
p \${x/"*"/X} \${x//"*"/X} \${x//'*'/X} "\${x//'*'/X}" "\${x//"*"/X}" \${x//\\*/X}
p \${x//"*"/"a b"} "\${x//"*"/"a b"}" \${x//"*"/'a b'} "\${x//"*"/'a b'}" \${x//\\*/a\\ b} "\${x//\\*/a\\ b}"
p \${x//[*]/-} \${x//b*/Z}
y=hello; p \${y/l/[&]} "\${y/l/[&]}" \${y/l/[\\&]} "\${y/l/[\\&]}" \${y/l/"[&]"} "\${y/l/"[&]"}" \${y/l/'[&]'} "\${y/l/'[&]'}" \${y//l/<&&>}
p \${y/l/\\\\&} "\${y/l/\\\\&}" \${y/l/\\\\\\&}
r='[&]'; p \${y/l/$r} "\${y/l/$r}" \${y/l/"$r"} "\${y/l/"$r"}"
r='\\&'; r2='\\\\&'; r3='a\\\\b'; r4='a\\\\b&'; p \${y/l/$r} \${y/l/$r2} "\${y/l/$r}" \${y/l/$r3} \${y/l/$r4}
v='a b c'; p \${y/#h/$v} "\${y/#h/$v}" \${y/%o/"$v"}
p \${y/"l"*/X} \${y/l"*"/X} "\${y/e/a"b"c}" \${y/e/a"b c"}
p \${y/} \${y//} \${y/l} "\${y/l}" \${y//l/} \${y/l/}
p \${y/e/\\/} "\${y/e/\\/}" \${y/\\//x}
q=; p \${y/$q/X} \${y/#/X} \${y/%/X} \${y#$q} \${y#"$q"}
HOME=/h; p "\${y/l/\\a}" \${y/l/\\a} "\${y/l/~}" \${y/l/~} "\${y/l/"\\a"}" "\${y/l/"\\$"}" "\${y/l/\\$}"
`,
  'ifs.sh': P + `IFS=': '; v=' : a'; p $v; p x$v; v=' :a'; p x$v; v='a: :b'; p $v; v='a  b'; p $v; v=':'; p $v; p x\${v}y
IFS=:; v='a::b:'; p $v; p "$v"; v=''; p $v x
set -- a b; p "$*"; arr=(x y); p "\${arr[*]}" \${arr[*]}
unset IFS; v=' a  b '; p $v; p "$*"
IFS=; v=' a  b '; p $v; p "$*"
IFS=,; a=(x,y z,w); p \${a[@]} "\${a[*]}"
IFS=$' \\t\\n'; p $(printf 'l1\\nl2 x\\n')
IFS=:; export IFS; x='a:b c'; export x; bash -c 'printf "<%s>" $x; echo'
`,
};

const { expectSame } = useShellDifferential('shell-expansion', FILES);

describe('parameter expansion words (differential)', () => {
  it('${x:-word}, ${x:+word}: quotes removed, double-quoted context, nesting, splitting and globbing of the unquoted result', async () => {
    await expectSame(['bash default.sh', 'bash unsplit.sh', 'bash heredoc.sh']);
  });

  it('${x:=word} assigns the word without its quotes; ${x:?word} prints it as if unquoted', async () => {
    await expectSame(['bash assign-default.sh', 'bash error-word.sh; echo "rc=$?"']);
  });

  it('patterns of #, %, / match quoted characters literally; replacements lose their quotes, & is the match', async () => {
    await expectSame(['bash patterns.sh', 'bash replace.sh']);
  });

  it('unquoted expansions are split at IFS', async () => {
    await expectSame(['bash ifs.sh']);
  });
});
