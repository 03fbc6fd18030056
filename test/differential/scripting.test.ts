/**
 * EVAL / EVALSHA / EVAL_RO / EVALSHA_RO / SCRIPT against real Redis 7.0.15: argument errors,
 * the script cache, shebang flags and the redis.* API, error texts with their "script: <sha>,
 * on @user_script:<line>." suffix, Lua <-> RESP2/RESP3 conversions.
 */
import { it, expect } from 'vitest';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Lua lines where a killed loop was stopped differ run to run: hide them. */
const normLine = (x: string) => x.replace(/on @user_script:\d+\./, 'on @user_script:N.');
import { describeDifferential, expectSame } from '../support/differential';
import { Session, normMonitor, type Normalise } from '../support/dual';

/** MONITOR lines with timestamps and addresses hidden, the script client's "lua" included. */
const normMon: Normalise = (x) => normMonitor(x).replace(/\+\d+\.\d{6} \[(\d+) lua\]/g, '+TS [$1 lua]');

describeDifferential('scripting (differential)', (pair) => {
  it('argument errors, SCRIPT HELP/EXISTS/FLUSH and NOSCRIPT', () => expectSame(pair(), [
    ['SCRIPT', 'FLUSH'],
    ['EVAL', 'return 1', 'abc'], ['EVAL', 'return 1', '2', 'a'], ['EVAL', 'return 1', '-1'], ['EVAL', 'return 1'],
    ['EVALSHA', 'abc', '0'], ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'], ['EVALSHA', 'abc', 'x'],
    ['EVAL_RO', 'return 1', '1'], ['EVALSHA_RO', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
    ['SCRIPT', 'HELP'], ['SCRIPT'], ['SCRIPT', 'nope'], ['SCRIPT', 'EXISTS'], ['SCRIPT', 'EXISTS', 'a', 'b'],
    ['SCRIPT', 'FLUSH', 'nope'], ['SCRIPT', 'FLUSH', 'ASYNC'], ['SCRIPT', 'FLUSH', 'sync'], ['SCRIPT', 'FLUSH', 'a', 'b'],
    ['SCRIPT', 'KILL'], ['SCRIPT', 'KILL', 'x'], ['SCRIPT', 'LOAD'], ['SCRIPT', 'DEBUG', 'maybe'], ['SCRIPT', 'DEBUG', 'no'],
    ['SCRIPT', 'DEBUG', 'yes'], ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'], ['EVALSHA', 'short', '0'], ['SCRIPT', 'DEBUG', 'no'],
    ['SCRIPT', 'LOAD', '#!lua'], ['SCRIPT', 'LOAD', '#!lua flags=bogus\nreturn 1'], ['SCRIPT', 'LOAD', '#!python\nreturn 1'],
    ['SCRIPT', 'LOAD', '#!lua name=x\nreturn 1'], ['SCRIPT', 'LOAD', '#! \nreturn 1'], ['SCRIPT', 'LOAD', '#!lua flags=no-writes,nope\nreturn 1'],
    ['EVAL', '#!lua flags=bogus\nreturn 1', '0'],
    ['COMMAND', 'GETKEYS', 'EVAL', 'return 1', '2', 'a', 'b', 'c'], ['COMMAND', 'GETKEYS', 'EVALSHA_RO', 'x', '1', 'k'],
    ['COMMAND', 'INFO', 'eval', 'evalsha', 'eval_ro', 'evalsha_ro'],
  ]));

  it('EVAL replies, KEYS/ARGV, redis.call and errors', () => expectSame(pair(), [
    ['FLUSHALL'], ['SCRIPT', 'FLUSH'],
    ['EVAL', 'return 1', '0'], ['EVAL', 'return {1,2,{3,"x"},nil,5}', '0'], ['EVAL', 'return 3.99', '0'], ['EVAL', 'return -3.99', '0'],
    ['EVAL', 'return "hello"', '0'], ['EVAL', 'return true', '0'], ['EVAL', 'return false', '0'], ['EVAL', 'return nil', '0'], ['EVAL', 'return', '0'],
    ['EVAL', 'return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}', '2', 'k1', 'k2', 'a1', 'a2'],
    ['EVAL', 'return redis.call("SET", KEYS[1], ARGV[1])', '1', 'k', 'v'], ['EVAL', 'return redis.call("GET", KEYS[1])', '1', 'k'],
    ['EVAL', 'return redis.call("GET", "nokey")', '0'], ['EVAL', 'return redis.call("INCR", "n")', '0'],
    ['EVAL', 'redis.call("RPUSH", "l", 1, 2, 3.5) return redis.call("LRANGE", "l", 0, -1)', '0'],
    ['EVAL', 'return redis.call("nosuch")', '0'], ['EVAL', 'return redis.call("get")', '0'], ['EVAL', 'return redis.call()', '0'],
    ['EVAL', 'return redis.call({})', '0'], ['EVAL', 'return redis.pcall("get", {})', '0'], ['EVAL', 'return redis.call("multi")', '0'],
    ['EVAL', 'return redis.pcall("nosuch")', '0'], ['EVAL', 'return redis.call("LPUSH", "k", "x")', '0'], ['EVAL', 'return redis.pcall("LPUSH", "k", "x")', '0'],
    ['EVAL', '\n\nreturn redis.call("LPUSH", "k", "x")', '0'],
    ['EVAL', 'return redis.error_reply("FOO bar")', '0'], ['EVAL', 'return redis.error_reply("x")', '0'], ['EVAL', 'return redis.error_reply("-X y")', '0'],
    ['EVAL', 'return redis.status_reply("FINE")', '0'], ['EVAL', 'return {err="x"}', '0'], ['EVAL', 'return {ok="x\\r\\ny"}', '0'],
    ['EVAL', 'return redis.status_reply(1)', '0'], ['EVAL', 'return redis.sha1hex("abc")', '0'], ['EVAL', 'return redis.sha1hex("")', '0'],
    ['EVAL', 'return 1+nil', '0'], ['EVAL', 'return y', '0'], ['EVAL', 'x = 1', '0'], ['EVAL', 'string.x = 1', '0'], ['EVAL', 'redis.call = 1', '0'],
    ['EVAL', 'rawset(_G, "x", 1)', '0'], ['EVAL', 'table.insert(math, 1)', '0'], ['EVAL', 'local t = {} t.x = 1 KEYS[1] = 2 return t.x', '0'],
    ['EVAL', 'local s = string s.rep = nil', '0'], ['EVAL', 'setmetatable(_G, nil)', '0'], ['EVAL', 'return getmetatable(_G) == nil', '0'], ['EVAL', 'retur', '0'], ['EVAL', 'return {1, 2', '0'],
    ['EVAL', 'return redis.REDIS_VERSION', '0'], ['EVAL', 'return redis.REDIS_VERSION_NUM', '0'], ['EVAL', 'return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}', '0'],
    ['EVAL', 'return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}', '0'],
    ['SCRIPT', 'LOAD', 'return 42'], ['EVALSHA', '1fa00e76656cc152ad327c13fe365858fd7be306', '0'], ['EVALSHA', '1FA00E76656CC152AD327C13FE365858FD7BE306', '0'],
    ['SCRIPT', 'EXISTS', '1fa00e76656cc152ad327c13fe365858fd7be306', '1FA00E76656CC152AD327C13FE365858FD7BE306', 'nope'],
    ['EVAL_RO', 'return redis.call("SET", "a", "b")', '0'], ['EVAL_RO', 'return redis.call("GET", "k")', '0'],
    ['EVAL', '#!lua flags=no-writes\nreturn redis.call("SET", "a", "b")', '0'], ['EVAL', '#!lua\nreturn redis.call("SET", "a", "b")', '0'],
    ['EVAL_RO', '#!lua\nreturn 1', '0'], ['EVAL_RO', '#!lua flags=no-writes\nreturn 1', '0'], ['EVAL', '#!lua flags=\nreturn 2', '0'],
    ['EVAL', '#!lua\n\nreturn 1 + nil', '0'],
    ['EVAL', 'return redis.call("PUBLISH", "ch", "m")', '0'], ['EVAL_RO', 'return redis.call("PUBLISH", "ch", "m")', '0'],
    ['INFO', 'nosuchsection'],
  ]));

  const conversions = [
    ['EVAL', 'return {double=3.5}', '0'], ['EVAL', 'return {double=-0.1}', '0'], ['EVAL', 'return {big_number="1234567890123456789012"}', '0'],
    ['EVAL', 'return {verbatim_string={format="txt", string="hi"}}', '0'], ['EVAL', 'return {set={a=true}}', '0'], ['EVAL', 'return {map={a=1}}', '0'],
    ['EVAL', 'return {map={a={1,2}}}', '0'], ['EVAL', 'return {1, {double=2.5}, {ok="S"}}', '0'],
    ['EVAL', 'redis.setresp(3) return true', '0'], ['EVAL', 'redis.setresp(3) return false', '0'], ['EVAL', 'redis.setresp(2) return false', '0'],
    ['EVAL', 'redis.setresp(3) return nil', '0'],
    ['EVAL', 'redis.setresp(3) return redis.call("HGETALL", "h")', '0'], ['EVAL', 'redis.setresp(3) return redis.call("SMEMBERS", "s")', '0'],
    ['EVAL', 'redis.setresp(3) return redis.call("ZSCORE", "z", "m")', '0'], ['EVAL', 'redis.setresp(3) return redis.call("GET", "nokey")', '0'],
    ['EVAL', 'redis.setresp(3) return redis.call("EXISTS", "h")', '0'], ['EVAL', 'redis.setresp(3) return {redis.call("GET", "nokey") == nil}', '0'],
    ['EVAL', 'return {redis.call("GET", "nokey") == false}', '0'], ['EVAL', 'redis.setresp(3) local m = redis.call("HGETALL", "h") return m.map.f', '0'],
    ['EVAL', 'redis.setresp(3) local d = redis.call("ZSCORE", "z", "m") return {d.double * 2}', '0'],
    ['EVAL', 'redis.setresp(3) return redis.call("DEBUG", "PROTOCOL", "bignum")', '0'], ['EVAL', 'redis.setresp(3) return redis.call("DEBUG", "PROTOCOL", "verbatim")', '0'],
    ['EVAL', 'redis.setresp(3) return redis.call("DEBUG", "PROTOCOL", "true")', '0'], ['EVAL', 'redis.setresp(3) return redis.call("DEBUG", "PROTOCOL", "false")', '0'],
    ['EVAL', 'redis.setresp(3) return redis.call("DEBUG", "PROTOCOL", "double")', '0'], ['EVAL', 'redis.setresp(3) return redis.call("DEBUG", "PROTOCOL", "null")', '0'],
    ['EVAL', 'redis.setresp(2) return redis.call("DEBUG", "PROTOCOL", "null")', '0'], ['EVAL', 'return redis.call("DEBUG", "PROTOCOL", "attrib")', '0'],
    ['EVAL', 'redis.setresp(4)', '0'], ['EVAL', 'redis.setresp()', '0'], ['EVAL', 'redis.setresp("3") return redis.call("ZSCORE", "z", "m")', '0'],
  ];
  it('Lua <-> RESP conversions for RESP2 and RESP3 callers', () => expectSame(pair(), [
    ['FLUSHALL'], ['HSET', 'h', 'f', 'v'], ['SADD', 's', 'x'], ['ZADD', 'z', '1.5', 'm'],
    ...conversions,
    { cmd: ['HELLO', '3'], compare: 'type' },
    ...conversions,
    { cmd: ['HELLO', '2'], compare: 'type' },
  ]));

  it('MONITOR shows the script, then its commands from "lua"', async () => {
    const s = new Session(pair());
    const m = await s.connect('monitor');
    const a = await s.connect('a');
    await m.call(['MONITOR']);
    await a.call(['EVAL', 'redis.call("SET", KEYS[1], ARGV[1]) return redis.call("GET", KEYS[1])', '1', 'mk', 'mv']);
    await m.expect(3, 'eval, set, get', normMon);
    await a.call(['SCRIPT', 'LOAD', 'return redis.call("PING")']);
    await m.expect(1, 'script load', normMon);
    await a.call(['EVALSHA', 'dc9acaa27306c368e1f1eb390e9b0dc9ec7314ee', '0']);
    await a.call(['EVALSHA', 'short', '0']);
    await m.expect(2, 'evalsha', normMon);
    await a.call(['EVAL', 'return redis.call("nosuch")', '0']);
    await m.expect(1, 'failing eval', normMon);
    s.expectClean();
  });

  it('redis.log, set_repl, breakpoint, debug, replicate_commands and their errors', () => expectSame(pair(), [
    ['EVAL', 'redis.log(redis.LOG_WARNING, "from a script", 1, 2.5) return 1', '0'], ['EVAL', 'return redis.log(redis.LOG_DEBUG, "x")', '0'],
    ['EVAL', 'redis.log(redis.LOG_WARNING)', '0'], ['EVAL', 'redis.log("x", "y")', '0'], ['EVAL', 'redis.log(9, "y")', '0'], ['EVAL', 'redis.log("3", "y") return 2', '0'],
    ['EVAL', 'redis.set_repl()', '0'], ['EVAL', 'redis.set_repl(8)', '0'], ['EVAL', 'return redis.set_repl(redis.REPL_AOF)', '0'],
    ['EVAL', 'return redis.breakpoint()', '0'], ['EVAL', 'return redis.debug("x")', '0'], ['EVAL', 'return redis.replicate_commands()', '0'],
    ['EVAL', 'return redis.sha1hex()', '0'], ['EVAL', 'return redis.sha1hex(1)', '0'], ['EVAL', 'return redis.error_reply()', '0'], ['EVAL', 'return redis.status_reply("a", "b")', '0'],
    ['EVAL', 'return redis.error_reply(1)', '0'], ['EVAL', 'return {redis.error_reply("X y")}', '0'],
  ]).then(() => {
    // The server log gets the line at the script's level (debug is below the default notice).
    const log = pair().ours.log.join('');
    expect(log).toMatch(/ # from a script 1 2\.5\n/);
    expect(log).not.toMatch(/ x\n/);
  }));

  it('error(), pcall and the error handler, globals, libraries', () => expectSame(pair(), [
    ['EVAL', 'error("x")', '0'], ['EVAL', 'error({err="MY thing"})', '0'], ['EVAL', 'error({err=5})', '0'], ['EVAL', 'error(nil)', '0'], ['EVAL', 'error(12)', '0'],
    ['EVAL', 'error("x", 0)', '0'], ['EVAL', 'error({err="x", source="s", line=3})', '0'], ['EVAL', '\n\nlocal function f() error("deep") end\nf()', '0'],
    ['EVAL', 'return pcall(redis.call, "nosuch")', '0'], ['EVAL', 'return {pcall(error, {err="A b"})}', '0'],
    ['EVAL', 'local ok, e = pcall(error, {err="A b"}) return type(e)', '0'], ['EVAL', 'local ok, e = pcall(error, {x=1}) return type(e)', '0'],
    ['EVAL', 'local ok, e = pcall(function() return redis.call("nosuch") end) return {tostring(ok), e}', '0'],
    ['EVAL', 'local ok, e = pcall(function() local x = nil; return x.y end) return e', '0'],
    ['EVAL', 'return {xpcall(function() error("boom") end, function(m) return "handled: " .. m end)}', '0'],
    ['EVAL', 'local t = redis.pcall("nosuch") return t.err', '0'], ['EVAL', 'local t = redis.pcall("LPUSH", "str", 1) return {t.err, type(t)}', '0'],
    ['EVAL', 'return {type(debug), type(print)}', '0'], ['EVAL', 'return type(print)', '0'], ['EVAL', 'return type(os)', '0'], ['EVAL', 'return type(setfenv)', '0'],
    ['EVAL', 'return {type(__redis__err__handler), type(loadstring), type(load), type(coroutine), type(gcinfo), type(unpack), type(bit), type(struct), type(cjson), type(cmsgpack)}', '0'],
    ['EVAL', 'local t={} for k,v in pairs(_G) do t[#t+1]=k end table.sort(t) return t', '0'],
    ['EVAL', 'local t={} for k,v in pairs(redis) do t[#t+1]=k end table.sort(t) return t', '0'],
    ['EVAL', 'return _VERSION', '0'], ['EVAL', 'return cjson.encode({1, 2, "x"})', '0'], ['EVAL', 'return string.format("%5.2f|%d", 3.14159, 42)', '0'],
    ['EVAL', 'return redis.call("SET", "k", 10.5)', '0'], ['EVAL', 'return redis.call("GET", "k")', '0'], ['EVAL', 'return redis.call("SET", "k", 1e300)', '0'],
    ['EVAL', 'return redis.call("SET", "k", 0.1)', '0'], ['EVAL', 'return redis.call("GET", "k")', '0'], ['EVAL', 'return redis.call("SET", "k", true)', '0'],
    ['EVAL', 'return math.huge', '0'], ['EVAL', 'return -math.huge', '0'], ['EVAL', 'return 0/0', '0'], ['EVAL', 'return 2^63', '0'], ['EVAL', 'return 2^53 + 1', '0'],
    ['EVAL', 'return {1, 2, nil, 4}', '0'], ['EVAL', 'return {a=1}', '0'], ['EVAL', 'return {1, a=2, 3}', '0'], ['EVAL', 'return function() end', '0'],
    ['EVAL', 'return KEYS', '3', 'a', 'b', 'c', 'd'], ['EVAL', 'return #ARGV', '1', 'a', 'b', 'c'], ['EVAL', 'KEYS[1] = "z" return KEYS[1]', '1', 'a'],
    ['EVAL', 'return redis.call("GET", KEYS[1])', '1', 'nokey\0bin'], ['EVAL', 'return ARGV[1]', '0', 'bin\0\xff\x80'],
  ]));

  it('error stats, blocking commands, ACL checks of the commands a script calls', () => expectSame(pair(), [
    ['FLUSHALL'], ['SCRIPT', 'FLUSH'], ['CONFIG', 'RESETSTAT'], ['SET', 'str', 'x'],
    ['EVAL', 'return redis.call("nosuch")', '0'], ['EVAL', 'return redis.pcall("nosuch")', '0'], ['EVAL', 'return redis.error_reply("MY x")', '0'],
    ['EVAL', 'return redis.call("LPUSH", "str", "x")', '0'], ['EVAL', 'return redis.pcall("LPUSH", "str", "x")', '0'],
    ['EVAL', 'return redis.call("GET")', '0'], ['EVAL', 'return {err="OWN thing"}', '0'], ['EVAL', 'return 1 + nil', '0'],
    ['INFO', 'errorstats'],
    ['EVAL', 'return redis.call("BLPOP", "nolist", 0)', '0'], ['EVAL', 'return redis.call("BRPOPLPUSH", "nolist", "x", 0)', '0'],
    ['EVAL', 'return redis.call("WAIT", 0, 0)', '0'], ['EVAL', 'return redis.call("SUBSCRIBE", "x")', '0'], ['EVAL', 'return redis.call("EVAL", "return 1", 0)', '0'],
    ['EVAL', 'return redis.call("SCRIPT", "LOAD", "return 1")', '0'], ['EVAL', 'return redis.call("CLIENT", "ID") > 0', '0'],
    ['ACL', 'SETUSER', 'lim', 'on', '>pw', '~k*', '&*', '+@all', '-flushall'],
    ['ACL', 'SETUSER', 'noeval', 'on', '>pw', '~*', '+@all', '-eval'],
    ['AUTH', 'lim', 'pw'],
    ['EVAL', 'return redis.call("SET", "kx", "1")', '0'], ['EVAL', 'return redis.call("SET", "other", "1")', '0'], ['EVAL', 'return redis.pcall("GET", "other")', '0'],
    ['EVAL', 'return redis.call("FLUSHALL")', '0'], ['EVAL', 'return redis.acl_check_cmd("SET", "kx", "1")', '0'], ['EVAL', 'return redis.acl_check_cmd("SET", "other", "1")', '0'],
    ['EVAL', 'return redis.acl_check_cmd("FLUSHALL")', '0'], ['EVAL', 'return redis.acl_check_cmd("NOSUCH")', '0'], ['EVAL', 'return redis.acl_check_cmd()', '0'],
    ['EVAL', 'return 1', '1', 'other'], ['EVAL', 'return redis.call("GET", KEYS[1])', '1', 'kk'],
    ['AUTH', 'noeval', 'pw'], ['EVAL', 'return 1', '0'], ['EVAL_RO', 'return 1', '0'],
    ['AUTH', 'default', 'x'], ['ACL', 'DELUSER', 'lim', 'noeval'],
    ['INFO', 'errorstats'],
  ]));

  it('blocking stream reads refused in scripts', () => expectSame(pair(), [
    ['FLUSHALL'], ['XADD', 's', '1-1', 'f', 'v'],
    ['EVAL', "return redis.pcall('xread','BLOCK',0,'STREAMS','s','$')", '0'], ['EVAL', "return redis.pcall('XREADGROUP','group','g','c','BLOCK',0,'STREAMS','s','>')", '0'],
    ['EVAL', "return redis.call('xread','COUNT',1,'STREAMS','s','0')", '0'], ['EVAL', "return redis.call('xread','block',0,'STREAMS','s','$')", '0'],
  ]));

  it('string.dump gives a binary chunk that loadstring refuses', () => expectSame(pair(), [
    ['EVAL', 'return type(loadstring(string.dump(function() return 1 end)))', '0'], ['EVAL', 'return string.sub(string.dump(function() end), 1, 5)', '0'],
    ['EVAL', 'return loadstring(string.dump(function() return 1 end))()', '0'], ['EVAL', 'return string.dump(string.len)', '0'],
  ]));

  it('SORT BY <constant> of a set is sorted for scripts', () => expectSame(pair(), [
    ['DEL', 'myset'], ['SADD', 'myset', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'z', 'aa', 'aaa', 'azz'],
    ['EVAL', "return redis.call('sort', KEYS[1], 'by', '_')", '1', 'myset'],
    ['EVAL', "return redis.call('sort', KEYS[1], 'by', '_', 'desc')", '1', 'myset'],
    ['EVAL', "return redis.call('sort', KEYS[1], 'by', '_', 'get', '#', 'limit', 0, 5)", '1', 'myset'],
    ['RPUSH', 'mylist', 'z', 'a', 'c'], ['EVAL', "return redis.call('sort', KEYS[1], 'by', '_')", '1', 'mylist'],
    ['DEL', 'myset', 'mylist'],
  ]));

  it('DEBUG SET-DISABLE-DENY-SCRIPTS lets scripts run no-script commands (DEBUG PROTOCOL)', () => expectSame(pair(), [
    ['EVAL', "return redis.call('debug', 'protocol', 'bignum')", '0'],
    ['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '1'],
    ['EVAL', "return redis.call('debug', 'protocol', 'bignum')", '0'], ['EVAL', "return redis.call('debug', 'protocol', 'map')", '0'],
    ['EVAL', "redis.setresp(3) return redis.call('debug', 'protocol', 'set')", '0'], ['EVAL', "redis.setresp(3) return redis.call('debug', 'protocol', 'double')", '0'],
    ['EVAL', "redis.setresp(3) return redis.call('debug', 'protocol', 'verbatim')", '0'], ['EVAL', "redis.setresp(3) return redis.call('debug', 'protocol', 'true')", '0'],
    ['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '0'],
    ['EVAL', "return redis.call('debug', 'protocol', 'bignum')", '0'],
  ]));

  it('too deep or self-containing replies stop at the Lua stack limit', async () => {
    // Replies ~8000 levels deep: compared as raw bytes up to QUIT (a parser would recurse as deep).
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.call(['CONFIG', 'RESETSTAT']);
    for (const script of [
      'local a = {}; local b = {a}; a[1] = b; return a',
      'local t = {} for i = 1, 7994 do t = {t} end return t', 'local t = {} for i = 1, 7995 do t = {t} end return t',
      'local t = {} for i = 1, 2000 do t = {map={k=t}} end return t', 'local t = {} for i = 1, 3000 do t = {map={k=t}} end return t',
      'local t = {} for i = 1, 2000 do t = {map={[t]=1}} end return t', 'local t = {} for i = 1, 2666 do t = {map={[t]=1}} end return t',
      'local t = "x" for i = 1, 2000 do t = {set={[t]=true}} end return t', 'local t = "x" for i = 1, 3998 do t = {set={[t]=true}} end return t',
    ]) a.send(['EVAL', script, '0']);
    a.send(['INFO', 'errorstats']);
    a.send(['QUIT']);
    // Runs of a repeated line folded ("*1\r\n x7995") so a mismatch stays readable.
    const fold = (bytes: string) => bytes.split('\r\n').reduce<[string, number][]>((acc, line) => {
      const last = acc[acc.length - 1];
      if (last && last[0] === line) last[1]++; else acc.push([line, 1]);
      return acc;
    }, []).map(([line, n]) => (n > 1 ? `${line} x${n}` : line)).join('\n');
    const [real, ours] = await Promise.all([a.real.readUntilClose(), a.ours.readUntilClose()]);
    s.close();
    expect(fold(ours)).toBe(fold(real));
  });

  it('maxmemory: deny-oom commands in scripts, shebang flags allow-oom and no-writes', () => expectSame(pair(), [
    ['FLUSHALL'], ['SET', 'k', 'v'], ['CONFIG', 'SET', 'maxmemory', '1'],
    ['EVAL', 'return redis.call("SET", "a", "1")', '0'], ['EVAL', 'return redis.call("GET", "k")', '0'], ['EVAL', 'return redis.call("DEL", "k2")', '0'],
    ['EVAL', 'redis.call("DEL", "nokey") return redis.call("SET", "a", "1")', '0'],
    ['EVAL', '#!lua\nreturn redis.call("GET", "k")', '0'], ['EVAL', '#!lua flags=allow-oom\nreturn redis.call("SET", "a", "2")', '0'],
    ['EVAL', '#!lua flags=no-writes\nreturn redis.call("GET", "k")', '0'], ['EVAL_RO', 'return redis.call("GET", "k")', '0'],
    ['SCRIPT', 'LOAD', '#!lua\nreturn 7'], ['EVALSHA', 'ed8d22a2dd0538847dce0f01a660f76b512ed2b6', '0'],
    ['MULTI'], ['EVAL', '#!lua flags=no-writes\nreturn 1', '0'], ['EXEC'],
    ['CONFIG', 'SET', 'maxmemory', '0'],
    ['EVAL', '#!lua flags=no-writes,allow-stale,no-cluster,allow-cross-slot-keys,allow-oom\nreturn 1', '0'],
    ['MULTI'], ['EVAL', 'return redis.call("SET", "t", "1")', '0'], ['EVAL_RO', 'return redis.call("SET", "t", "2")', '0'], ['EXEC'],
    ['MULTI'], ['EVAL', 'return redis.call("MULTI")', '0'], ['EXEC'],
  ]));

  it('on a replica: READONLY and MASTERDOWN checks with and without shebang flags', () => expectSame(pair(), [
    ['REPLICAOF', '127.0.0.1', '1'],
    ['EVAL', 'return redis.call("SET", "a", "b")', '0'], ['EVAL', 'return redis.pcall("SET", "a", "b")', '0'], ['EVAL', 'return redis.call("GET", "a")', '0'],
    ['EVAL', '#!lua\nreturn 1', '0'], ['EVAL', '#!lua flags=no-writes\nreturn redis.call("GET", "a")', '0'], ['EVAL_RO', 'return 1', '0'],
    ['CONFIG', 'SET', 'replica-serve-stale-data', 'no'],
    ['EVAL', 'return 1', '0'], ['EVAL', '#!lua flags=no-writes\nreturn 1', '0'], ['EVAL', '#!lua flags=no-writes,allow-stale\nreturn 1', '0'],
    ['EVAL', '#!lua flags=no-writes,allow-stale\nreturn redis.call("GET", "a")', '0'], ['EVAL', '#!lua flags=no-writes,allow-stale\nreturn redis.call("PING")', '0'],
    ['MULTI'], ['EVAL', '#!lua flags=no-writes,allow-stale\nreturn 1', '0'], ['EXEC'],
    ['MULTI'], ['EVAL', '#!lua flags=no-writes\nreturn 1', '0'], ['EXEC'],
    ['CONFIG', 'SET', 'replica-serve-stale-data', 'yes'],
    ['MULTI'], ['EVAL', '#!lua\nreturn 1', '0'], ['EXEC'], ['MULTI'], ['EVAL', 'return 1', '0'], ['EXEC'],
    ['CONFIG', 'SET', 'replica-read-only', 'no'],
    ['EVAL', '#!lua\nreturn redis.call("SET", "ra", "1")', '0'],
    ['CONFIG', 'SET', 'replica-read-only', 'yes'], ['REPLICAOF', 'NO', 'ONE'],
  ]));

  it('SCRIPT FLUSH ASYNC frees a big cache in the background (lazyfreed_objects), INFO script figures', async () => {
    const p = pair();
    const steps: string[][] = [['SCRIPT', 'FLUSH'], ['CONFIG', 'RESETSTAT']];
    for (let i = 0; i < 3; i++) steps.push(['SCRIPT', 'LOAD', `return ${i}`]);
    await expectSame(p, steps);
    const field = (text: string, f: string) => new RegExp(`${f}:(\\d+)`).exec(text)?.[1];
    const figures = async (cl: typeof p.realClient) => {
      const text = (await cl.command(['INFO', 'memory']) as { value: string }).value;
      return ['number_of_cached_scripts', 'used_memory_scripts_eval', 'used_memory_scripts'].map((f) => field(text, f));
    };
    expect(await figures(p.realClient)).toEqual(['3', expect.any(String), expect.any(String)]);
    expect(await figures(p.ourClient)).toEqual(await figures(p.realClient));
    const more: string[][] = [];
    for (let i = 0; i < 100; i++) more.push(['SCRIPT', 'LOAD', `return ${i}`]);
    more.push(['SCRIPT', 'FLUSH', 'ASYNC']);
    await expectSame(p, more);
    await sleep(100);
    const lazy = async (cl: typeof p.realClient) => field((await cl.command(['INFO', 'memory']) as { value: string }).value, 'lazyfreed_objects');
    expect(await lazy(p.realClient)).toBe('100');
    expect(await lazy(p.ourClient)).toBe('100');
    expect(await figures(p.ourClient)).toEqual(await figures(p.realClient));
  });

  it('SLOWLOG has the script and the commands it ran (from "?:0")', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
    await a.call(['SLOWLOG', 'RESET']);
    await a.call(['EVAL', 'redis.call("SET", "sl", "v") return 1', '0']);
    await a.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
    // id, time and duration differ run to run; the arguments, address and name must not.
    await a.call(['SLOWLOG', 'GET', '3'], (x) => x.replace(/\*6\r\n:\d+\r\n:\d+\r\n:\d+\r\n/g, '*6\r\nID TS US\r\n').replace(/127\.0\.0\.1:\d+/g, 'ADDR'));
    s.expectClean();
  });

  it('INFO commandstats counts the script and its commands, failed and rejected calls', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.call(['CONFIG', 'RESETSTAT']);
    await a.call(['EVAL', 'redis.call("SET", "cs", "1") return redis.call("GET", "cs")', '0']);
    await a.call(['EVAL', 'return redis.call("GET")', '0']);
    await a.call(['EVAL', 'return redis.call("LPUSH", "cs", "x")', '0']);
    await a.call(['EVAL', 'return redis.pcall("nosuch")', '0']);
    await a.call(['EVAL_RO', 'return redis.call("SET", "cs", "2")', '0']);
    // Lines in the command dict's order (random in Redis): compared sorted, times hidden.
    await a.call(['INFO', 'commandstats'], (x) => x.replace(/usec=\d+,usec_per_call=[\d.]+/g, 'usec=U').replace(/^\$\d+\r\n/, '').split('\r\n').sort().join('\n'));
    s.expectClean();
  });

  it('math.random: one sequence per server, across scripts, SCRIPT FLUSH and functions', () => expectSame(pair(), [
    ['EVAL', 'return math.random(1000)', '0'], ['EVAL', 'return {math.random(1000), math.random(1000)}', '0'], ['SCRIPT', 'FLUSH'],
    ['EVAL', 'return math.random(1000)', '0'], ['EVAL', 'math.randomseed(7) return math.random(1000)', '0'], ['EVAL', 'return math.random(1000)', '0'],
    ['FUNCTION', 'LOAD', 'REPLACE', '#!lua name=rnd\nredis.register_function("rnd", function() return math.random(1000) end)'],
    ['FCALL', 'rnd', '0'], ['EVAL', 'return math.random(1000)', '0'], ['FUNCTION', 'DELETE', 'rnd'],
  ]));

  it('a script looping under pcall past its time limit is still suspended (BUSY) and killable', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '50']);
    await a.call(['EVAL', 'return {pcall(function() return redis.call("GET", "x", "y") end)}', '0']);
    await a.call(['EVAL', 'return {pcall(function() error({err="MINE x"}) end)}', '0']);
    await a.call(['EVAL', 'return {pcall(function() error({ok="no"}) end)}', '0']);
    await a.call(['EVAL', 'return {xpcall(function() error({err="MINE x"}) end, function(e) return e end)}', '0']);
    a.send(['EVAL', 'local f = function() while 1 do redis.call("ping") end end while 1 do pcall(f) end', '0']);
    await sleep(300);
    await b.call(['PING']);
    await b.call(['SCRIPT', 'KILL']);
    await sleep(100);
    await b.call(['PING']);
    await a.expect(1, 'killed script', normLine);
    await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '5000']);
    s.expectClean();
  });

  it('a client blocked on a key a busy script pushed to is served only once the script is over', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    const c = await s.connect('c');
    const d = await s.connect('d');
    await d.call(['DEL', 'x']);
    b.send(['BLPOP', 'x', '0']);
    await b.quiet(100, 'BLPOP waits');
    await d.call(['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '1']);
    await d.call(['CONFIG', 'SET', 'busy-reply-threshold', '10']);
    // The script pushes y, loops until a client named abortscript shows up, then pushes z.
    a.send(['EVAL', "redis.call('lpush', KEYS[1], 'y') while true do if string.find(redis.call('client', 'list'), 'abortscript') ~= nil then break end end redis.call('lpush', KEYS[1], 'z') return 1", '1', 'x']);
    await sleep(200);
    await d.call(['PING']);
    // HELLO runs while the script is busy; it must not serve BLPOP with the y pushed so far.
    await c.call(['HELLO', '2', 'SETNAME', 'abortscript'], (x) => x.replace(/\$2\r\nid\r\n:\d+/, '$2\r\nid\r\n:N'));
    await b.expect(1, 'BLPOP gets z, pushed last');
    await a.expect(1, 'the script returns');
    await d.call(['LRANGE', 'x', '0', '-1']);
    await d.call(['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '0']);
    await d.call(['CONFIG', 'SET', 'busy-reply-threshold', '5000']);
    await d.call(['DEL', 'x']);
    s.expectClean();
  });

  it('a script that writes 200000 times past its time limit ends with all its writes', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    await a.call(['CONFIG', 'SET', 'busy-reply-threshold', '20']);
    // Suspended past the limit, it holds its writes for propagation until it ends.
    await a.call(['EVAL', 'for i = 1, tonumber(ARGV[1]) do redis.call("SADD", KEYS[1], i) end return redis.call("SCARD", KEYS[1])', '1', 'big', '200000']);
    await a.call(['SCARD', 'big']);
    await a.call(['DEL', 'big']);
    await a.call(['CONFIG', 'SET', 'busy-reply-threshold', '5000']);
    s.expectClean();
  });

  it('a script past busy-reply-threshold: BUSY for others, SCRIPT KILL, UNKILLABLE after a write, FUNCTION KILL/STATS', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '50']);
    a.send(['EVAL', 'local i = 0\nwhile true do i = i + 1 end', '0']);
    await sleep(400);
    await b.call(['PING']);
    await b.call(['GET', 'x']);
    await b.call(['MULTI']); await b.call(['DISCARD']);
    await b.call(['FUNCTION', 'STATS']);
    await b.call(['SHUTDOWN']);
    await b.call(['SCRIPT', 'KILL']);
    await a.expect(1, 'killed script', normLine);
    await b.call(['SCRIPT', 'KILL']);
    await b.call(['PING']);
    // Inside EXEC a script past its limit runs to its end (here: the transaction cannot wait).
    await a.call(['MULTI']);
    await a.call(['EVAL', 'local i = 0 while i < 1000000 do i = i + 1 end return i', '0']);
    await a.call(['INCR', 'after']);
    await a.call(['EXEC']);
    // A script that ends after its time limit still ends, with its result and its writes.
    await a.call(['EVAL', 'local i = 0 while i < 1000000 do i = i + 1 end redis.call("SET", "late", i) return i', '0']);
    await b.call(['GET', 'late']);
    a.send(['EVAL', 'redis.call("SET", "x", "y") while true do end', '0']);
    await sleep(400);
    await b.call(['SCRIPT', 'KILL']);
    await b.call(['FUNCTION', 'KILL']);
    await b.call(['EVAL', 'return 1', '0']);
    await b.call(['SHUTDOWN', 'NOSAVE']);
    s.expectClean();
  });
});
