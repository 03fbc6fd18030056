/**
 * printf -v and read (its options, IFS, -a arrays) against this machine's bash, and
 * assignments before a builtin or function, which last while it runs. Each script runs as
 * `bash FILE` on both sides; output and status must be the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { useShellDifferential } from './shell-differential';
import { typeAndRun, world } from './helpers';

const P = "p() { printf '<%s>' \"$@\"; echo; }\n";

const FILES: Record<string, string> = {
  'printf-v.sh': P + `printf -v x '%s-%d\\n' a 5; p "$x"
printf -vy '%05.1f' 3.14159; p "$y"
printf -v 1x 'a'; echo "rc=$?"
printf -v 'a b' 'a'; echo "rc=$?"
printf -v; echo "rc=$?"
printf -v z; echo "rc=$?"
printf -v arr[2] '%s' two; p "\${arr[@]}" "\${#arr[@]}"
printf -v w '%d' abc; echo "rc=$? w=[$w]"
printf -v w2 '%s %s' a; p "$w2"
printf -v -- '%s' a; echo "rc=$?"
printf -- -v x; echo; echo "rc=$?"
printf -v v1 -- '%s' dd; p "$v1"
printf -v e ''; p "$e" "\${e+set}"
printf -v q '%q' 'a b'; p "$q"
printf -v r '%b' 'a\\nb'; p "$r"
printf -x; echo "rc=$?"
printf -v x -v y 'q'; echo "rc=$? x=$x y=$y"
printf -v PWD2 'x'; p $PWD2
f() { local l; printf -v l '%s' local; p "$l"; }; f; p "\${l-unset}"
printf -v n '%s' a | cat; p "$n"
printf -v 'm[a b]' x; echo "rc=$?"; p "\${m[@]}"
`,
  'read.sh': P + `IFS=: read x y <<< "a:b:"; p "$x" "$y"
IFS=: read x y <<< "a:b::"; p "$x" "$y"
IFS=: read x y <<< "a:b:c:"; p "$x" "$y"
IFS=: read x y <<< "a:b"; p "$x" "$y"
IFS=: read x y z <<< "a::"; p "$x" "$y" "$z"
IFS=': ' read x y <<< " a : b : "; p "$x" "$y"
read x y <<< "  a   b   c  "; p "$x" "$y"
read x <<< "  a   b   c  "; p "$x"
read <<< "  a  b  "; p "$REPLY"
read -r <<< '  a\\tb  '; p "$REPLY"
read <<< '  a\\tb\\  '; p "$REPLY"
read x y <<< 'a\\ b c'; p "$x" "$y"
read -r x y <<< 'a\\ b c'; p "$x" "$y"
printf 'a\\\\\\nb c\\n' | { read x y; p "$x" "$y"; }
printf 'a\\\\\\nb c\\n' | { read -r x y; p "$x" "$y"; }
read -a arr <<< "  1 2   3 "; p "\${arr[@]}" "\${#arr[@]}"
IFS=, read -ra arr <<< "x,,y, z ,"; p "\${arr[@]}" "\${#arr[@]}"
arr=(old values here); read -a arr <<< "n"; p "\${arr[@]}"
IFS=, read -a arr <<< ""; p "\${arr[@]}" "\${#arr[@]}" "\${arr+set}"
read -d : x <<< "ab:cd"; p "$x" $?
printf 'a b\\nc' | { read -d '' x; echo "rc=$?"; p "$x"; }
printf 'abc' | { read x; echo "rc=$?"; p "$x"; }
printf '' | { read x; echo "rc=$?"; p "$x" "\${x+set}"; }
read -n 2 x <<< "abcd"; p "$x"
read -N 3 x <<< "a
bcd"; p "$x"
read -z x <<< a; echo "rc=$?"
read 1x <<< a; echo "rc=$?"
read -a; echo "rc=$?"
read -p "prompt> " x <<< "pp"; p "$x"
read -t 1 x <<< "tt"; echo "rc=$?"; p "$x"
read -s x <<< "ss"; p "$x"
read -a a1 a2 <<< "1 2 3"; p "\${a1[@]}" "$a2"
read x[1] <<< "el"; p "\${x[@]}"
read -r -- x <<< "--"; p "$x"
`,
  'read-loops.sh': P + `printf 'root:x:0:0\\n  daemon : x:1\\n\\n  lead  \\nlast' > /tmp/rd2-in
while IFS=: read -r user pw uid rest; do p "$user" "$pw" "$uid" "$rest"; done < /tmp/rd2-in
while IFS= read -r line; do p "$line"; done < /tmp/rd2-in
while read line; do p "$line"; done < /tmp/rd2-in
cat /tmp/rd2-in | while read -a w; do p "\${#w[@]}" "\${w[@]}"; done
printf '%q\\n' "$IFS"
IFS=, read a b <<< "1,2"; printf '%q\\n' "$IFS"
f() { echo "in:$w:$IFS"; w=changed; }; w=4 IFS=: f; echo "out:[$w]"; printf '%q\\n' "$IFS"
x=1; x=2 true; echo $x
g() { env | grep '^TMPV='; }; TMPV=hello g; echo "[\${TMPV-unset}]"
printf -v n '%s' a | cat; p "\${n-unset}"
command printf -v cp '%s' via-command; p "$cp"
command cd /tmp && pwd; cd /
read -r a b c <<< 'x\\y z'; p "$a" "$b" "$c"
read a <<< 'tr\\'; p "$a"
printf 'one\\ntwo\\n' | { read -r; p "$REPLY"; read -r; p "$REPLY"; read -r; echo "rc=$?"; }
{ read a; read b; } <<EOF
first
second
EOF
p "$a" "$b"
rm /tmp/rd2-in
`,
};

const { expectSame } = useShellDifferential('shell-read-printf', FILES);

describe('printf -v and read (differential)', () => {
  it('printf -v assigns its output (to an element too), checks the name, and assigns nothing in a pipeline', async () => {
    await expectSame(['bash printf-v.sh; echo "rc=$?"']);
  });

  it('read: -r, -a, -d, -n, -N, -p, -s, errors; IFS splitting; the last name takes the rest', async () => {
    await expectSame(['bash read.sh; echo "rc=$?"']);
  });

  it('read in loops over files and pipes; prefix assignments hold for a builtin or function only', async () => {
    await expectSame(['bash read-loops.sh; echo "rc=$?"']);
  });
});

describe('read at a terminal', () => {
  it("shows -p's prompt there, and does not echo a line read with -s", async () => {
    const w = world();
    const term = w.openTerminal('redis-1');
    expect(await typeAndRun(w, term, 'read -p "Name: " n; read -s -p "Pass: " pw; echo "[$n|$pw]"')).toMatch(/\nName: $/);
    expect(await typeAndRun(w, term, 'alice')).toBe('alice\nPass: ');
    const after = await typeAndRun(w, term, 'secret');
    expect(after).not.toContain('secret\n');
    expect(after).toContain('[alice|secret]\n');
  });
});
