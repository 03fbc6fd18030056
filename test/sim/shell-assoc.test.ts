/**
 * Associative arrays (and declare) against this machine's bash: `declare -A`, `m[key]=v`,
 * `${m[key]}`, `${!m[@]}`, `${#m[@]}`, `unset 'm[key]'`, `m+=([k]=v)`, key-value pairs,
 * arithmetic on elements, `local -A`, `declare -p`'s format — and the order bash lists the
 * keys in, which is its hash table's (assoc.ts): the same keys must come out in the same order,
 * after removals and after the table grows (growth.sh: 5000 keys, two growths).
 * Each script runs as `bash FILE` on both sides; output and status must be the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';
import { AssocArray, bashHash } from '../../src/sim/shell/assoc';

const P = "p() { printf '<%s>' \"$@\"; echo; }\n";

const FILES: Record<string, string> = {
  'basics.sh': P + `declare -A m
m[host]=redis-1; m[port]=6379; m["a b"]=sp; m[x]=
p "\${m[host]}" "\${m[port]}" "\${m[a b]}" "\${m[nokey]}" "\${#m[@]}"
p "\${!m[@]}"
p "\${m[@]}"
p \${!m[*]}
p "\${!m[*]}"
k=port; p "\${m[$k]}" "\${m["$k"]}" "\${m[\${k}]}"
unset 'm[port]'; p "\${!m[@]}" "\${#m[@]}"
m+=([k1]=v1 [k2]=v2); p "\${!m[@]}"
m[host]+=-x; p "\${m[host]}"
declare -p m
declare -A n=([one]=1 [two]="2 2" ["th ree"]=3 [q\\"]=4 ['$d']=5)
declare -p n
declare -A e; declare -p e
declare -A z=(); declare -p z
n=([new]=only); declare -p n
p "\${n}" "\${n[0]}" "$n"
n[0]=zero; p "$n"
unset n; declare -p n
declare -A c; c[1]=a; c[01]=b; c[1+1]=c; p "\${!c[@]}"
i=3; declare -A d; d[i]=x; d[$i]=y; p "\${!d[@]}"
[[ -v m[host] ]] && echo has-host; [[ -v m[nope] ]] || echo no-nope
p "\${m[host]:-def}" "\${m[zz]:-def}" "\${m[host]#redis}" "\${#m[host]}"
for k in "\${!m[@]}"; do echo "$k=\${m[$k]}"; done
declare -A w=([a]=1 [b]=2 [c]=3 [d]=4); p "\${w[@]:0:2}" "\${w[@]:1:2}" "\${w[@]:2}" "\${w[@]:4}" "\${w[@]: -1}" "\${w[@]: -2:1}"
a=(1 2); declare -A a; echo "rc=$?"
declare -A g; g=(k1 v1 k2 v2); declare -p g
declare -A h=([x]=1); h=([y]=2 [z]=3); declare -p h
declare -A j; j[""]=empty; echo "rc=$?"
declare -A l; l[*]=star; l[@]=at; declare -p l
`,
  'assign.sh': P + `declare -A m=([a]=1)
k='a'; unset 'm[$k]'; p "\${#m[@]}"
m[b]=2; unset m[b]; p "\${#m[@]}"
m["x y"]=3; unset 'm[x y]'; p "\${#m[@]}"
m[q]=1; unset "m[q]"; p "\${#m[@]}"
m[k]=v; p "\${m['k']}" "\${m["k"]}" "\${m[\\k]}" "\${m[k]}"
m['s q']=1; p "\${!m[@]}"
m[$k]=dollar; p "\${m[a]}"
m[" sp "]=spaces; p "\${!m[@]}"; p "\${m[ sp ]}"
declare -A g=([a]=1 b); declare -p g
declare -A h=(a 1 b); declare -p h
declare -A i=(a 1 [b]=2); declare -p i
c=([k]=v); declare -p c
v="1 2"; declare -A j=([k]=$v [l]="$v" [m]=*.txt); declare -p j
declare -A e; p "\${e[@]}" "\${#e[@]}" "\${!e[@]}"; [[ -v e ]] && echo e-set || echo e-unset
e[z]=1; [[ -v e ]] && echo e-set || echo e-unset; [[ -v e[z] ]] && echo ez-set
declare -A f=([0]=zero); [[ -v f ]] && echo f-set
echo $(( \${#m[@]} + 1 ))
declare -A n=([x]=5); echo $(( n[x] + 1 )); (( n[y] = 7 )); p "\${n[y]}"
f() { local -A lm=([in]=1); declare -p lm; declare -A dm=([d]=1); declare -p dm; }; f; declare -p lm dm 2>&1
f2() { declare -gA gm=([g]=1); }; f2; declare -p gm
declare -A u; u[a]=1; u=(); declare -p u
declare -A cp=([a]=1 [b]=2); ( cp[c]=3; declare -p cp ); declare -p cp
declare -A t; t[x]=1; t+=(y 2); declare -p t
declare -A ctl=([$'a\\tb']=$'x\\ny'); declare -p ctl
declare -A bs=(['a\\b']='c\\d' ['\`']='$' [=]='~' [a=b]=1 [~x]=2 [\\#]=3 [x#]=4 [é]=ü); declare -p bs
`,
  'idioms.sh': P + `declare -A count
for w in a b a c b a "x y"; do (( count[$w]++ )); done
for k in "\${!count[@]}"; do echo "$k: \${count[$k]}"; done
(( count[a] += 10 )); echo "\${count[a]}" $(( count[b] * 2 ))
declare -A hosts=([redis-1]=10.0.0.11 [redis-2]=10.0.0.12 [sentinel]=10.0.0.20)
for h in "\${!hosts[@]}"; do printf '%-10s %s\\n' "$h" "\${hosts[$h]}"; done
p "\${hosts[@]#10.0.}" "\${hosts[@]/0/O}" "\${hosts[redis-1]%.*}"
k=redis-2; [[ -n \${hosts[$k]} ]] && echo "found $k"; [[ -z \${hosts[nope]:-} ]] && echo "no nope"
p "\${#hosts[@]}" "\${#hosts[redis-1]}"
f() { local -A seen=(); local x; for x in "$@"; do [[ -v seen[$x] ]] && continue; seen[$x]=1; echo "first $x"; done; declare -p seen; }
f b a b c a
declare -p seen 2>&1; echo "rc=$?"
g() { local v=$1; declare w=$2; p "$v" "$w"; declare -p v w; }; g "one  two" "*"; declare -p v 2>&1
x=outer; h() { local x; p "\${x-unset}"; x=inner; declare -p x; }; h; p "$x"
a=(1 2 3); declare -p a; unset 'a[1]'; declare -p a; a+=(4); declare -p a
b=([3]=c [1]=a b); declare -p b
declare -a n=(x [5]=y z); declare -p n
export E1=v; declare -p E1; declare -x E2; declare -p E2; declare +x E1; declare -p E1
declare s=$'tab\\there' q='a"b$c\`d\\e'; declare -p s q
declare -p nope 2>&1; echo "rc=$?"
fn() { echo hi; }; declare -F; declare -F fn; declare -f fn
unset -f fn; declare -F fn; echo "rc=$?"
unset count; declare -p count 2>&1
declare -A m=([k]=v); m=x; declare -p m; m+=y; declare -p m
declare -A r; read -a r <<< "1 2" 2>&1; echo "rc=$?"
declare -A z; z[a]=1; unset 'z[a]'; declare -p z
set -x
declare -A tr=([a]=1 [b]="x y"); tr[c]=3; arr=(1 "2 3"); arr[5]=x
set +x
`,
  'scopes.sh': P + `declare -A g=([k]=global)
f() { local -A g=([k]=local); g[x]=1; declare -p g; }; f; declare -p g
h() { declare -A g; g[h]=1; }; h; declare -p g
( g[sub]=1; declare -p g ); declare -p g
echo x | while read w; do g[$w]=piped; done; declare -p g
typeset -A t=([a]=1); typeset -p t
local -A nope 2>&1; echo "rc=$?"
declare -Z 2>&1; echo "rc=$?"
declare 1x=3 2>&1; echo "rc=$?"
a=(1); declare -A a 2>&1; echo "rc=$?"
declare -A m; declare -a m 2>&1; echo "rc=$?"
s=5; declare -A s; declare -p s; s[k]=v; declare -p s
declare -A e=([$'\\n']=nl [' ']=sp [@]=at [x]=$'\\e') ; declare -p e
declare -A big; for i in $(seq 1 40); do big[key$i]=$i; done; echo "\${!big[@]}"; echo "\${big[@]}"
unset 'big[key7]' 'big[key9]'; big[key7]=back; echo "\${!big[@]}"
declare -A q=(["a b"]=1 ['c"d']=2 [e\\ f]=3); declare -p q; p "\${q[a b]}" "\${q["c\\"d"]}" "\${q['e f']}"
k='a b'; p "\${q[$k]}" "\${q["$k"]}"; unset "q[$k]"; declare -p q
(set -u; declare -A u=([a]=1); echo "\${u[a]}"; echo "\${u[b]}"; echo no) 2>&1
(set -u; declare -A u=([a]=1); echo "\${u[b]:-dflt}" "\${u[b]-d2}" "\${#u[@]}") 2>&1
declare -A cnt; while read -r line; do cnt[$line]=$(( \${cnt[$line]:-0} + 1 )); done <<EOF
redis
sentinel
redis
EOF
for k in "\${!cnt[@]}"; do echo "$k \${cnt[$k]}"; done
declare -A ref=([a]=1); [[ \${ref[a]} == 1 ]] && echo eq; [[ -v ref ]] || echo ref-unset; [[ -v ref[a] ]] && echo ref-a
lp() { local b=2 a; local -A m=([k]=v); local -p; }; lp
`,
  'growth.sh': `declare -A m
for i in $(seq 1 5000); do m[k$i]=$i; done
unset "m[k7]"; m[k7]=back
echo "\${!m[@]}" | md5sum
echo "\${m[@]}" | md5sum
declare -p m | md5sum
`,
  'arith.sh': `a=(1 2 3); i=1; echo $(( a[i] + a[2] )); (( a[0] += 5 )); echo \${a[0]}; echo $(( a[-1] )); (( a[i+3]=9 )); declare -p a; echo $(( a[1 )) 2>&1; echo $((b[0]++)) $b
`,
};

const { expectSame } = useShellDifferential('shell-assoc', FILES);

describe('associative arrays (differential)', () => {
  it('declare -A, elements, keys in bash order, counts, unset, +=, declare -p', async () => {
    await expectSame(['bash basics.sh; echo "rc=$?"', 'bash assign.sh; echo "rc=$?"']);
  });

  it('counting and lookup idioms, arithmetic on elements, indexed arrays with [i]=v, set -x', async () => {
    await expectSame(['bash idioms.sh; echo "rc=$?"', 'bash arith.sh; echo "rc=$?"']);
  });

  it('local and declare in functions, subshells, errors, quoting of keys and values, set -u', async () => {
    await expectSame(['bash scopes.sh; echo "rc=$?"']);
  });

  it('keep bash order through removals and the table growing', async () => {
    await expectSame(['bash growth.sh']);
  });
});

describe('AssocArray', () => {
  it("hashes as bash's FNV-1 over signed chars", () => {
    // FNV-1's published test vectors.
    expect(bashHash('')).toBe(0x811c9dc5);
    expect(bashHash('a')).toBe(0x050c5d7e);
    expect(bashHash('foobar')).toBe(0x31f0b262);
    // A byte of 0x80 or more is xor'ed sign-extended: such keys differ from their low 7 bits in the high bits too.
    expect((bashHash('\xe9') ^ bashHash('\x69')) >>> 0).toBe(0xffffff80);
  });

  it('keeps a replaced key in place and lists a re-added one at the head of its bucket', () => {
    const m = new AssocArray(1);
    for (const k of ['a', 'b', 'c']) m.set(k, k);
    expect(m.keys()).toEqual(['c', 'b', 'a']);
    m.set('b', 'B');
    expect(m.entries()).toEqual([['c', 'c'], ['b', 'B'], ['a', 'a']]);
    m.delete('c');
    m.set('c', 'again');
    expect(m.keys()).toEqual(['c', 'b', 'a']);
    expect(m.clone().keys()).toEqual(m.keys());
  });
});
