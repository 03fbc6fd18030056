/**
 * What scripts send to replicas (Redis 7.0 replicates a script's effects, never the script),
 * compared with a real SYNC replica of real Redis: one write alone, several in MULTI/EXEC,
 * nothing for read-only scripts, redis.set_repl, scripts inside MULTI, SELECT in a script.
 */
import { it } from 'vitest';
import { describeDifferential } from '../support/differential';
import { Session } from '../support/dual';
import { expectSameStream } from '../support/propagation';


describeDifferential('propagation of scripts (differential)', (pair) => {
  const streamOf = (body: (s: Session) => Promise<void>) => expectSameStream(pair(), body, (x) => x.replace(/ PXAT \d+/, ' PXAT <ms>').replace(/PEXPIREAT (\S+) \d+/, 'PEXPIREAT $1 <ms>'));

  it('effects: one write alone, several in MULTI/EXEC, reads dropped, EVALSHA', () => streamOf(async (s) => {
    const a = await s.connect();
    await a.call(['EVAL', 'redis.call("SET", KEYS[1], ARGV[1])', '1', 'k1', 'v1']);
    await a.call(['EVAL', 'redis.call("SET", "a", "1") redis.call("GET", "a") redis.call("INCR", "n") return 1', '0']);
    await a.call(['EVAL', 'return redis.call("GET", "a")', '0']);
    await a.call(['EVAL', 'redis.call("DEL", "nokey") return 1', '0']);
    await a.call(['SCRIPT', 'LOAD', 'return redis.call("INCRBY", KEYS[1], ARGV[1])']);
    await a.call(['EVALSHA', '7d6a962aa4923dd6a700f73ce6ad148d2fc16ec9', '1', 'n', '5']);
    await a.call(['EVAL', 'redis.call("SET", "e", "1", "EX", "100") redis.call("EXPIRE", "a", 100) return 1', '0']);
    await a.call(['EVAL', 'redis.call("SET", "w", "1") return redis.call("INCR", "e")', '0']);
    await a.call(['EVAL', 'redis.call("PUBLISH", "ch", "m") return 1', '0']);
  }));

  it('redis.set_repl, SELECT in a script, a script inside MULTI', () => streamOf(async (s) => {
    const a = await s.connect();
    await a.call(['EVAL', 'redis.set_repl(redis.REPL_NONE) redis.call("SET", "x", "1") redis.set_repl(redis.REPL_ALL) redis.call("SET", "y", "2")', '0']);
    await a.call(['EVAL', 'redis.set_repl(redis.REPL_NONE) redis.call("SET", "x", "1")', '0']);
    await a.call(['EVAL', 'redis.call("SELECT", "3") redis.call("SET", "in3", "1") return 1', '0']);
    await a.call(['SET', 'in0', '1']);
    await a.call(['MULTI']);
    await a.call(['EVAL', 'redis.call("SET", "m1", "1") redis.call("SET", "m2", "2")', '0']);
    await a.call(['SET', 'm3', '3']);
    await a.call(['EXEC']);
  }));

  it('FUNCTION LOAD/DELETE/FLUSH are propagated as themselves, FCALL by its effects', () => streamOf(async (s) => {
    const a = await s.connect();
    await a.call(['FUNCTION', 'FLUSH']);
    await a.call(['FUNCTION', 'LOAD', '#!lua name=plib\nredis.register_function("pf", function(keys, args) redis.call("SET", keys[1], args[1]) return redis.call("INCR", "fc") end)']);
    await a.call(['FCALL', 'pf', '1', 'fk', 'fv']);
    await a.call(['FCALL_RO', 'pf', '1', 'fk', 'fv']);
    await a.call(['FUNCTION', 'DELETE', 'plib']);
    await a.call(['FUNCTION', 'DELETE', 'plib']);
  }));
});
