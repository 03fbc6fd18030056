/**
 * Variable attributes against this machine's bash: readonly (`readonly`, `declare -r`, `-p`
 * listings, assignments refused in every form — plain, `+=`, elements, prefix assignments,
 * arithmetic, read, printf -v, for, local, export, declare, unset — with bash's messages and
 * what each one abandons), and declare's -i (values evaluated as arithmetic, `+=` adds), -l / -u
 * (cased as assigned), their `declare -p` flags in bash's order. Each script runs as `bash FILE`
 * on both sides; output and status must be the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';

const FILES: Record<string, string> = {
  'ro.sh': `readonly X=1
X=2
echo "after $? $X"
X=3 echo hi
echo "st $?"
unset X
echo "unset $?"
readonly X=5
echo "ro $?"
declare -p X
readonly -a A=(1 2)
A[1]=3
echo "\${A[@]}"
A+=(z); echo no
unset 'A[0]'; echo "ua $?"
declare -p A
readonly -A M=([k]=v); declare -p M
readonly -p | grep -Ev ' (BASHOPTS|BASH_VERSINFO|EUID|PPID|SHELLOPTS|UID)='
readonly -p X; echo "rp $?"
declare -r Y
declare -p Y
f() { local X=4; echo in; }
f
echo $?
export Y; echo "ex $?"; export X=7; echo "ex2 $?"; declare X=3; echo "d $?"; declare +r X; echo "d+r $?"; declare -r X; echo "dr $?"
declare -p X Y
: $((X=9)); echo ar $?
echo "ar2 $?"
read X <<< foo; echo rd $?
printf -v X %s q; echo pv $?
for X in a; do echo loop; done; echo for $?
g() { echo "g $X"; }; X=8 g; X=8 bash -c 'echo "c $X"'
readonly -a RA=(1); read -a RA <<< "x y"; echo "ra $? \${RA[@]}"
PPID=5
echo "ppid $?"; unset PPID; echo "uppid $?"
readonly 1a; echo "bad $?"
readonly -z; echo "z $?"
(X=2; echo sub); echo "sub $?"
readonly | grep -c X; echo "plain $?"
echo end
`,
  'attrs.sh': `declare -i n=3+4; n+=3; declare -p n; n=abc; declare -p n
declare -l lo=HeLLo; declare -u up=HeLLo; declare -p lo up
declare -irx q=5; declare -p q
declare -aix ar=(1+1 2); declare -p ar
declare -lrxi a=X; declare -ur b=x; declare -p a
declare -l c; declare -p c; c=AB; c+=CD; declare -p c; declare -u c; declare -p c; c+=ef; declare -p c; declare +u c; c+=Gh; declare -p c
declare -lu d=aB; declare -p d; declare -ul e=aB; declare -p e
declare -i i; i=2*3; i+=x; declare -p i; x=5; i+=x; declare -p i
declare -i j=5; j=; declare -p j; declare +i j; j=1+1; declare -p j
declare -ai arr; arr=(1+1 3*3); arr+=(2); arr[5]=2**3; arr[1]+=1; declare -p arr
declare -Au m; m[k]=v; m[j]+=w; declare -p m
declare -i k=010; declare -p k; k=0x10; declare -p k
declare -i r; read r <<< "2+3"; declare -p r; printf -v r '%s' '6*7'; declare -p r
declare -i s; for s in 1+1 2+2; do echo $s; done
declare -i t=1; (( t += 4 )); declare -p t; let t*=2; declare -p t
f() { local -i z=2+2; local -u w=abc; declare -p z w; }; f
declare -i | grep ' [a-z]'; declare -l; declare -u | grep ' [a-z]'
declare -i u=3; unset u; u=1+1; declare -p u
export ZZ; readonly RX=1; export RX; declare -ix NX=2; export AX=(1 2); export QX='a"b'; export -p | grep -E ' (ZZ|RX|NX|AX|QX)[=]?'
declare -ai B; read -a B <<< "1+1 2*3"; declare -p B; declare -u U; read -a U <<< "ab cd"; declare -p U
`,
  'more.sh': `readonly R=1
((1/0)); echo "x $?"; let 2/0; echo "x2 $?"
(( R=2, 5 )); echo "y $?"
let R=2 5; echo "z $?"
echo $((R=4)) "w $?"
echo "v $?"
x=$((1/0)) ; echo "u $?"
echo "t $?"
(( R++ )); echo "a $?"
echo "b $?"
declare R+=x; echo "e $? $R"
let R=3; echo "f $?"
echo "g $?"
declare -i I=1; I+=I+1; echo $I
declare -u W; W+=ab; W+=cd; echo $W
declare -l L=ABC; L=\${L}DEF; echo $L
typeset -i T=2*8; echo $T
f() { local -r lr=1; lr=2; echo "in $lr"; }; f; echo "lr=\${lr-unset}"
f2() { declare -r dr=1; }; f2; dr=2; echo "dr $? \${dr-unset}"
g() { declare -gr gr=1; }; g; gr=2
echo "gr $gr"
`,
  // Readonly functions: redefinition and unset refused, listed by readonly -f, declare -f…,
  // declare -F with their attributes; `readonly -n` undoes nothing.
  'fn-ro.sh': `f() { echo hi; }
readonly -f f
f() { echo bye; }
echo "redef $?"
f
unset -f f; echo "unset $?"
unset f; echo "unset2 $?"
readonly -f; echo "list $?"
declare -fr g; echo "g $?"
g() { :; }
declare -fr g; echo "g2 $?"
readonly -f nope; echo "nope $?"
declare +r -f f; echo "plus $?"
declare -rf
eval 'f() { :; }'; echo "ev $?"
declare -fa f; echo "fa $?"; declare -fi f; echo "fi $?"; declare -pfa f; echo "pfa $?"
readonly -n x=5; echo "$? $x"; declare -p x; readonly -n y; echo "n $?"; declare -p y; readonly -an arr=(1 2); declare -p arr
`,
  // Function attributes (r, x) in every listing: declare -f/-F/-p, export -f, readonly -f,
  // inherited by subshells, and by a new bash (exported ones, not readonly there).
  'fn-attrs.sh': `f() { echo hi; }
g() { echo g; }
export -f g
declare -f; echo "--"
declare -F; echo "--"
export -f; echo "x $?"
export -fp; echo "--"
readonly -fp f; echo "rfp $?"
declare -fp; echo "--"
declare -Fp; echo "-- Fp"
declare -pF f g; echo "--"
declare -pf f h; echo "h $?"
declare -F f h; echo "F $?"
declare -f -x; echo "--fx"
declare -F -r; echo "--Fr"
declare -fr f=1; echo "eq $?"
readonly -f f g; readonly -f f; echo "again $?"
readonly -nf f; echo "n $?"; declare -pF f
declare +x -f g; declare -pF g; echo "unx $?"
f() { :; }; echo "def $?"
function f { :; }; echo "def2 $?"
unset -f f; echo "u $?"
unset f; echo "u2 $?"
unset -v f; echo "u3 $?"
f=3; unset f; echo "u4 $? $f"
unset f; echo "u5 $?"
unset -f g h; echo "u6 $?"
export -f f; declare -pF f; echo "ex $?"
(f() { echo sub; }; echo "sub $?")
bash -c 'f; declare -pF f'
echo "$(declare -F)"
`,
};

const { expectSame, sim } = useShellDifferential('shell-attrs', FILES);

describe('readonly and declare -i -l -u -r, against bash', () => {
  it('readonly: refused assignments, unset, listings, messages and statuses', async () => {
    await expectSame(['bash ro.sh; echo "rc=$?"']);
  });

  it('at the prompt, an assignment to a readonly variable abandons the rest of the line (as bash -i does)', async () => {
    expect(await sim('readonly R=1; R=2; echo "not run"\necho "$? $R"; R+=x; echo no\necho "$R"; unset R'))
      .toEqual({ output: 'bash: R: readonly variable\n1 1\nbash: R: readonly variable\n1\nbash: unset: R: cannot unset: readonly variable\n', code: 1 });
  });

  it('declare -i, -l, -u and their declare -p flags', async () => {
    await expectSame(['bash attrs.sh; echo "rc=$?"']);
  });

  it('readonly in arithmetic ((( )), let, $(( ))), declare +=, and in functions (local -r, declare -r, declare -gr)', async () => {
    await expectSame(['bash more.sh; echo "rc=$?"']);
  });
});

describe('readonly and exported functions, against bash', () => {
  it('refuse redefinition and unset; readonly -f, declare -fr and +r, listings', async () => {
    await expectSame(['bash fn-ro.sh; echo "rc=$?"', 'bash fn-attrs.sh; echo "rc=$?"']);
  });
});

describe('names declared without a value, against bash', () => {
  it('a subshell, a $(…) and a pipeline\'s commands inherit them, with their attributes', async () => {
    await expectSame([
      'declare dx; (declare -p dx); declare -a da; declare -i di; declare -x de; declare -A dm; (declare -p da di de dm)',
      'declare -r dr; declare -l dl; (declare -p dr dl); x=$(declare -p dr); echo "$x"',
      'df() { local dv; local -a dla; (declare -p dv dla); echo "$(declare -p dv)"; }; df',
      'declare dy; declare -x dz; (dy=1; declare -p dy); bash -c "declare -p dz"; (unset dy; declare -p dy)',
      'declare dw; declare -p dw | cat; { declare -p dw; } | cat',
    ]);
  });
});
