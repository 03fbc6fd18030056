/**
 * Arithmetic's error messages against this machine's bash 5.2, byte for byte: the expression
 * with its leading blanks dropped and its trailing ones kept, and the error token from where
 * bash's last token began (`1 + : syntax error: operand expected (error token is "+ ")`), in
 * `$(( ))`, `(( ))`, `let`, `for (( ))`, `declare -i` and `${x:offset}`; a number's own errors;
 * `++`/`--` read as two signs where no name is beside them. Each `$(( ))` runs in a subshell,
 * as its error abandons the whole command line.
 */
import { describe, it } from 'vitest';
import { useShellDifferential } from './shell-differential';

const FILES: Record<string, string> = {
  'afor.sh': [
    'for (( i = 1 / 0 ; ; )); do :; done; echo "after $?"',
    'echo next',
    'for (( ; 1 + ; )); do :; done',
    'echo "n2 $?"',
    'for ((i=0; i<2; i++ / 0 )); do echo $i; done; echo "n3 $?"',
    '',
  ].join('\n'),
};

const { expectSame } = useShellDifferential('shell-arith-errors', FILES);

/** `( echo $(( EXPR )) )`: the expansion's error ends the subshell, not the harness's line. */
const expansion = (expr: string) => `( echo $(( ${expr} )) )`;

describe('arithmetic errors (differential)', () => {
  it('keep the expression\'s trailing blanks, and the error token\'s', async () => {
    await expectSame([
      '1 + ', '1/0 ', ' 1/0 ', '1 / 0 ', ' 5 %  0  ', '1 + + ', '2 ** -1 ', '3 +* 4 ', 'a b ', '1 2 ', 'x= ', ', ', '1, ',
      '1 +   ', '10 / (5 - 5) ', '10 / (5 - 5)  + 1 ', '"1 + "', '1 ** ', '~ ', '- ', '1 << ', '1 1 1 ', '$((1+ )) ', '7 % 0 ',
      '1 +\t ', '1 / 0 \t ', '\t 1 + ', '1 == ', '1.5 ', '1 @ 2 ',
    ].map(expansion));
  });

  it('say what bash says of conditionals, assignments, numbers and ++/--', async () => {
    await expectSame([
      '1 ? 2 ', '1 ? 2 : ', '1 ? : 2 ', '1 ? ', '1 = 2 ', '(1) = 2 ', '09 + 1 ', '2#19 + 1 ', '99#1 + 2 ', '0x1g ',
      '++5 ', '--5 ', '5++ ', '5-- ', '5 ++ x ', 'x=1, x++ ++ ', 'x=3, ++x + x++ ', 'x=3, - -x + -- x ',
    ].map(expansion));
  });

  it('in (( )), let, declare -i, a variable\'s value and ${x:offset}', async () => {
    await expectSame([
      '(( 2 ** -1 ))', '(( 1 / 0 ))', '((1/0))', '(( 4 +  ))', '(( x = 2 ** -1 ))', 'let "1 + "', 'let "x = 1 / 0 "',
      '( a=(1 2); echo $(( a[1 + ] )) )', '( declare -i d; d="1 + "; echo $d )', '( x=" 1 + "; echo $(( x )) )',
      '( x=abc; echo ${x:1:1/0} )', '( x=abc; echo ${x: -1 + } )', '( y=; echo ${y:1/0} )', '( a=(1 2); echo ${a[@]:1/0} )',
      '( set -- a b; echo ${@:1/0} )', '( set --; echo ${@:1/0} )',
      // A substring of nothing evaluates no number.
      'echo ${unset_y:1 + }; echo "r $?"', '( a=(); echo ${a[@]:1/0}; echo "r $?" )', 'echo ${9:1/0}; echo "r $?"',
    ]);
  });

  it('end a for (( )) loop with status 1 and name it `((`, the script going on', async () => {
    await expectSame(['bash afor.sh; echo "rc=$?"']);
  });
});
