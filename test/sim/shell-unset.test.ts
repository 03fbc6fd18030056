/**
 * `unset` against this machine's bash 5.2: its options as bash reads them (`--` ends them, `-fv`
 * is refused, a bad letter is named), what -f, -v, -n and no option unset (a function, a
 * variable, an element; a name that is no identifier taken for a function's), and its errors.
 */
import { describe, it } from 'vitest';
import { useShellDifferential } from './shell-differential';

const { expectSame } = useShellDifferential('shell-unset');

describe('unset (differential)', () => {
  it('reads its options as bash does', async () => {
    await expectSame([
      'x=1; unset -- -x; echo "${x-u} $?"', 'unset -fv foo', 'unset -vf foo', 'unset -f -v foo', 'unset -n -f foo; echo $?',
      'unset -fn foo; echo $?', 'unset -q', 'unset -x -f', 'unset -fx', 'unset -; echo $?', 'unset --; echo $?', 'unset -- -; echo $?',
      'ux=1; unset -v -- ux; echo ${ux-u}', 'unset -v x -- y', 'unset -n; unset -vv x; unset -ff; unset -f; echo $?',
    ]);
  });

  it('unsets functions, variables and elements as bash does', async () => {
    await expectSame([
      'uf() { :; }; x=1; unset -f x uf; echo ${x-u}; type -t uf', 'uf() { :; }; unset -v uf; type -t uf',
      'uf() { :; }; uf=1; unset uf; echo ${uf-u}; type -t uf', 'uf() { :; }; unset uf; type -t uf',
      'uf() { :; }; unset -f -- uf; type -t uf', 'uf() { echo F; }; unset -n uf; uf', 'x=1; unset -n x; echo ${x-u}',
      'ua=(1 2); unset -f "ua[0]"; echo ${ua[@]}', 'ua=(1 2); unset -v "ua[0]"; echo ${ua[@]}', 'ua=(1 2); unset -n "ua[0]"; echo ${ua[@]}',
      'ua=(1 2); unset "ua[1]"; echo ${ua[@]} $?',
    ]);
  });

  it('answers bad names and readonly variables as bash does', async () => {
    await expectSame([
      'unset -f 1x; echo $?', 'unset -v 1x', 'unset -f a-b; echo $?', 'unset 1 2 x; echo $?',
      'unset 1x; unset a-b; unset "a b"; unset "a[0"; echo $?', 'unset -v "a[0"',
      'readonly ur1=1; unset -f ur1; echo $?', 'readonly ur2=1; unset -v ur2', 'readonly ur3=1; unset ur3; unset -n ur3',
    ]);
  });
});
