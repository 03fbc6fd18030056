/**
 * EVAL / EVALSHA / EVAL_RO / EVALSHA_RO / SCRIPT against real Redis 7.0.15: argument errors,
 * the script cache, shebang flags and the redis.* API, error texts with their "script: <sha>,
 * on @user_script:<line>." suffix, Lua <-> RESP2/RESP3 conversions.
 */
import { it } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';

describeDifferential('scripting (differential)', (pair) => {
  it('argument errors, SCRIPT HELP/EXISTS/FLUSH and NOSCRIPT', () => expectSame(pair(), [
    ['SCRIPT', 'FLUSH'],
    ['EVAL', 'return 1', 'abc'], ['EVAL', 'return 1', '2', 'a'], ['EVAL', 'return 1', '-1'], ['EVAL', 'return 1'],
    ['EVALSHA', 'abc', '0'], ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'], ['EVALSHA', 'abc', 'x'],
    ['EVAL_RO', 'return 1', '1'], ['EVALSHA_RO', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
    ['SCRIPT', 'HELP'], ['SCRIPT'], ['SCRIPT', 'nope'], ['SCRIPT', 'EXISTS'], ['SCRIPT', 'EXISTS', 'a', 'b'],
    ['SCRIPT', 'FLUSH', 'nope'], ['SCRIPT', 'FLUSH', 'ASYNC'], ['SCRIPT', 'FLUSH', 'sync'], ['SCRIPT', 'FLUSH', 'a', 'b'],
    ['SCRIPT', 'KILL'], ['SCRIPT', 'KILL', 'x'], ['SCRIPT', 'LOAD'], ['SCRIPT', 'DEBUG', 'maybe'], ['SCRIPT', 'DEBUG', 'no'],
    ['SCRIPT', 'LOAD', '#!lua'], ['SCRIPT', 'LOAD', '#!lua flags=bogus\nreturn 1'], ['SCRIPT', 'LOAD', '#!python\nreturn 1'],
    ['SCRIPT', 'LOAD', '#!lua name=x\nreturn 1'], ['SCRIPT', 'LOAD', '#! \nreturn 1'], ['SCRIPT', 'LOAD', '#!lua flags=no-writes,nope\nreturn 1'],
    ['EVAL', '#!lua flags=bogus\nreturn 1', '0'],
    ['COMMAND', 'GETKEYS', 'EVAL', 'return 1', '2', 'a', 'b', 'c'], ['COMMAND', 'GETKEYS', 'EVALSHA_RO', 'x', '1', 'k'],
    ['COMMAND', 'INFO', 'eval', 'evalsha', 'eval_ro', 'evalsha_ro'],
  ]));
});
