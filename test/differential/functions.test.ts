/**
 * FUNCTION and FCALL against real Redis 7.0.15: argument errors, library metadata errors,
 * empty LIST/DUMP, RESTORE of empty and of crafted payloads, FLUSH, DELETE/KILL/FCALL with
 * nothing loaded; then the Lua engine: LOAD and register_function errors, LIST, STATS, FCALL
 * and FCALL_RO, DUMP/RESTORE policies, INFO figures, DEBUG RELOAD, a function past its time limit.
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';
import { Session } from '../support/dual';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
import { Crc64 } from '../../src/engine/persistence/rdb/crc64';
import { bytesToStr } from '../../src/engine/bytes';

/** A FUNCTION DUMP-style payload: the given records, RDB version 10, CRC64. */
function payload(records: number[]): string {
  const body = new Uint8Array([...records, 10, 0]);
  const crc = new Crc64();
  crc.update(body);
  return bytesToStr(body) + bytesToStr(crc.bytesLE());
}

/** An RDB_OPCODE_FUNCTION2 record holding `code` (6-bit length, so under 64 bytes). */
function function2(code: string): number[] {
  return [245, code.length, ...Array.from(code, (ch) => ch.charCodeAt(0))];
}

describeDifferential('FUNCTION without a script engine (differential)', (pair) => {
  it('FUNCTION LOAD metadata errors, in Redis order', () => expectSame(pair(), [
    ['FUNCTION', 'LOAD', 'return 1'],
    ['FUNCTION', 'LOAD', '#!lua name=x'],
    ['FUNCTION', 'LOAD', '#!lua\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!lua name=a name=b\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!lua name=a foo=b\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!lua NAME=bad-name\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!lua name=\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!lua "name=x\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!foo name=x\nreturn 1'],
    ['FUNCTION', 'LOAD', 'REPLACE', '#!foo name=x\nreturn 1'],
    ['FUNCTION', 'LOAD', 'BOGUS', '#!foo name=x\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!foo\0 name=x\nreturn 1'],
    ['FUNCTION', 'LOAD'],
  ]));

  it('LIST, DELETE, KILL, FLUSH, FCALL with no libraries', () => expectSame(pair(), [
    ['FUNCTION', 'FLUSH'],
    ['FUNCTION', 'LIST'], ['FUNCTION', 'LIST', 'WITHCODE'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'x*'],
    ['FUNCTION', 'LIST', 'LIBRARYNAME'], ['FUNCTION', 'LIST', 'WITHCODE', 'WITHCODE'], ['FUNCTION', 'LIST', 'bogus'],
    ['FUNCTION', 'DELETE', 'nolib'], ['FUNCTION', 'DELETE'],
    ['FUNCTION', 'KILL'],
    ['FUNCTION', 'FLUSH', 'SYNC'], ['FUNCTION', 'FLUSH', 'async'], ['FUNCTION', 'FLUSH', 'now'], ['FUNCTION', 'FLUSH', 'sync', 'x'],
    ['FCALL', 'nofunc', '0'], ['FCALL', 'nofunc', 'x'], ['FCALL_RO', 'nofunc', '1', 'k'], ['FCALL'],
    ['FUNCTION', 'NOSUCH'], ['FUNCTION', 'HELP'], ['FUNCTION', 'STATS', 'x'],
    ['COMMAND', 'GETKEYS', 'FCALL', 'f', '2', 'k1', 'k2', 'a'],
  ]));

  it('DUMP and RESTORE payloads', () => expectSame(pair(), [
    ['FUNCTION', 'FLUSH'],
    ['FUNCTION', 'DUMP'],
    ['FUNCTION', 'RESTORE', payload([])], ['FUNCTION', 'RESTORE', payload([]), 'FLUSH'], ['FUNCTION', 'RESTORE', payload([]), 'replace'],
    ['FUNCTION', 'RESTORE', payload([]), 'bogus'], ['FUNCTION', 'RESTORE', payload([]), 'FLUSH', 'x'],
    ['FUNCTION', 'RESTORE', 'garbage'], ['FUNCTION', 'RESTORE', 'x'.repeat(20)],
    ['FUNCTION', 'RESTORE', payload([0, 1, 97])],
    ['FUNCTION', 'RESTORE', payload(function2('#!foo name=lib\nreturn 1'))],
    ['FUNCTION', 'RESTORE', payload(function2('no shebang'))],
    ['FUNCTION', 'RESTORE', payload([245, 60])],
    ['FUNCTION', 'RESTORE', payload([246, 3, 108, 105, 98, 3, 102, 111, 111, 0, 8, 114, 101, 116, 117, 114, 110, 32, 49])],
    ['FUNCTION', 'RESTORE', payload([246, 3, 108, 105, 98])],
    ['FUNCTION', 'DUMP'],
  ]));
});

const LIB = '#!lua name=mylib\nlocal function get(keys, args) return redis.call("GET", keys[1]) end\n' +
  'redis.register_function("myget", get)\n' +
  'redis.register_function{function_name="myset", callback=function(keys, args) return redis.call("SET", keys[1], args[1]) end, description="sets", flags={"allow-oom"}}\n' +
  'redis.register_function{function_name="ro", callback=function(keys, args) return redis.call("SET", "x", "y") end, flags={"no-writes"}}\n' +
  'redis.register_function("fail", function(keys, args) return 1 + nil end)\n';

describeDifferential('FUNCTION with the Lua engine', (pair) => {
  it('LOAD, LIST, FCALL, FCALL_RO, STATS, DELETE, errors', () => expectSame(pair(), [
    ['FUNCTION', 'FLUSH'], ['FUNCTION', 'STATS'],
    ['FUNCTION', 'LOAD', LIB], ['FUNCTION', 'LOAD', LIB], ['FUNCTION', 'LOAD', 'REPLACE', LIB],
    // (Functions are listed in dict order, random in Redis: byte comparisons use one-function libraries.)
    { cmd: ['FUNCTION', 'LIST'], compare: 'length' }, ['FUNCTION', 'LIST', 'LIBRARYNAME', 'nope*'],
    ['FUNCTION', 'STATS'],
    ['FCALL', 'myset', '1', 'k', 'v'], ['FCALL', 'myget', '1', 'k'], ['FCALL', 'nosuch', '0'], ['FCALL', 'myget', 'x'], ['FCALL', 'myget', '2', 'k'],
    ['FCALL', 'myget', '-1'], ['FCALL_RO', 'myget', '1', 'k'], ['FCALL_RO', 'myset', '1', 'k', 'v'], ['FCALL', 'ro', '0'], ['FCALL', 'fail', '0'],
    ['FUNCTION', 'LOAD', '#!lua name=other\nredis.register_function("myget", function() return 1 end)'],
    ['FUNCTION', 'LOAD', '#!lua name=empty\nlocal x = 1'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nretur'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nerror("boom")'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nredis.call("PING")'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nreturn string.len("x")'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nredis.register_function("a")'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nredis.register_function(1, 2, 3)'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nredis.register_function("a b", function() end)'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nredis.register_function("a", function() end) redis.register_function("a", function() end)'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nredis.register_function{function_name="a", callback=function() end, flags={"bogus"}}'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nredis.register_function{function_name="a", callback=function() end, what=1}'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nredis.register_function{callback=function() end}'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nredis.register_function{function_name="a"}'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nredis.register_function({})'],
    ['FUNCTION', 'LOAD', '#!lua name=bad\nredis.register_function("x", "y")'],
    ['FUNCTION', 'LOAD', '#!lua name=lib2\nredis.register_function("f2", function(keys, args) return {#keys, #args, redis.REDIS_VERSION, type(string)} end)'],
    ['FCALL', 'f2', '2', 'a', 'b', 'c'], ['FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'lib2'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'LIB*'],
    ['FUNCTION', 'LOAD', '#!LUA name=lib3\nredis.log(redis.LOG_NOTICE, "loading") redis.register_function("f3", function() return redis.setresp(3) end)'],
    ['FCALL', 'f3', '0'],
    ['FUNCTION', 'STATS'], ['FUNCTION', 'DELETE', 'lib2'], ['FUNCTION', 'DELETE', 'lib2'], ['FCALL', 'f2', '0'],
    ['FUNCTION', 'LIST', 'LIBRARYNAME', 'lib*'],
    ['FUNCTION', 'DELETE', 'lib3'],
    ['SCRIPT', 'KILL'], ['FUNCTION', 'KILL'],
  ]));

  it('function names are case-insensitive (FCALL, collisions); library names are not', () => expectSame(pair(), [
    ['FUNCTION', 'FLUSH'],
    ['FUNCTION', 'LOAD', "#!lua name=ci\nredis.register_function('Test', function() return 'hello1' end)"],
    ['FCALL', 'TEST', '0'], ['FCALL', 'test', '0'], ['FCALL', 'Test', '0'], ['FCALL_RO', 'tEsT', '0'],
    ['FUNCTION', 'LOAD', "#!lua name=ci2\nredis.register_function('TEST', function() return 2 end)"],
    ['FUNCTION', 'LOAD', "#!lua name=ci3\nredis.register_function('x', function() return 3 end) redis.register_function('X', function() return 4 end)"],
    ['FUNCTION', 'LOAD', "#!lua name=CI\nredis.register_function('other', function() return 5 end)"],
    ['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=ci\nredis.register_function('tEST', function() return 'new' end)"],
    ['FCALL', 'test', '0'], ['FUNCTION', 'STATS'],
    ['FUNCTION', 'DELETE', 'CI'], ['FCALL', 'Test', '0'], ['FCALL', 'OTHER', '0'],
    ['FUNCTION', 'FLUSH'],
  ]));

  it('DEBUG RELOAD flushes libraries unless NOFLUSH, where a loaded library already there fails without MERGE', () => expectSame(pair(), [
    ['FUNCTION', 'FLUSH'], ['FLUSHALL'],
    ['FUNCTION', 'LOAD', "#!lua name=test\nredis.register_function('test', function() return 'hello1' end)"],
    ['DEBUG', 'RELOAD', 'NOFLUSH'], ['FUNCTION', 'LIST'],
    ['DEBUG', 'RELOAD', 'NOFLUSH', 'MERGE'], ['FUNCTION', 'LIST'],
    ['FUNCTION', 'DELETE', 'test'], ['SET', 'x', '1'],
    ['FUNCTION', 'LOAD', "#!lua name=test1\nredis.register_function('test1', function() return 'hello' end)"],
    ['DEBUG', 'RELOAD'],
    ['FUNCTION', 'LOAD', "#!lua name=test2\nredis.register_function('test2', function() return 'hello' end)"],
    ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'], ['FCALL', 'test1', '0'], ['FCALL', 'test2', '0'],
    ['DEBUG', 'RELOAD', 'NOSAVE'], ['FCALL', 'test2', '0'], ['FUNCTION', 'LIST'], ['GET', 'x'],
    ['FUNCTION', 'FLUSH'], ['DEBUG', 'RELOAD'], ['FUNCTION', 'LIST'], ['FLUSHALL'],
  ]));

  it('DUMP and RESTORE with libraries', async () => {
    const p = pair();
    await expectSame(p, [['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', LIB]]);
    const dump = await p.realClient.command(['FUNCTION', 'DUMP']);
    const ours = await p.ourClient.command(['FUNCTION', 'DUMP']);
    expect(ours).toEqual(dump);
    const payloadBytes = (dump as { value: string }).value;
    await expectSame(p, [
      ['FUNCTION', 'RESTORE', payloadBytes], ['FUNCTION', 'RESTORE', payloadBytes, 'REPLACE'], ['FUNCTION', 'FLUSH'], ['FUNCTION', 'RESTORE', payloadBytes],
      ['FCALL', 'myget', '1', 'k'], ['FUNCTION', 'RESTORE', payloadBytes, 'FLUSH'], { cmd: ['FUNCTION', 'LIST'], compare: 'length' },
      ['FUNCTION', 'LOAD', '#!lua name=x\nredis.register_function("myset", function() end)'],
      ['FUNCTION', 'DELETE', 'mylib'], ['FUNCTION', 'LOAD', '#!lua name=x\nredis.register_function("myset", function() end)'],
      ['FUNCTION', 'RESTORE', payloadBytes], ['FUNCTION', 'FLUSH'],
    ]);
    // INFO memory's function figures, and the libraries surviving DEBUG RELOAD (RDB).
    const fields = async (cl: typeof p.realClient) => {
      const info = await cl.command(['INFO', 'memory']);
      const text = (info as { value: string }).value;
      return ['number_of_functions', 'number_of_libraries', 'used_memory_functions'].map((f) => new RegExp(`${f}:(\\d+)`).exec(text)?.[1]);
    };
    await expectSame(p, [
      ['FUNCTION', 'LOAD', '#!lua name=a\nredis.register_function("f1", function() return 1 end)'],
      ['FUNCTION', 'LOAD', '#!lua name=b\nredis.register_function{function_name="f2", callback=function(k, a) return a[1] end, description="hello world"}'],
    ]);
    expect(await fields(p.realClient)).toEqual(['2', '2', expect.any(String)]);
    expect(await fields(p.ourClient)).toEqual(await fields(p.realClient));
    await expectSame(p, [['DEBUG', 'RELOAD'], ['FCALL', 'f2', '0', 'x'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'b'], ['FUNCTION', 'FLUSH']]);
    expect(await fields(p.ourClient)).toEqual(await fields(p.realClient));
  });

  it('a function past busy-reply-threshold: BUSY names FUNCTION KILL, SCRIPT KILL refused, FUNCTION STATS, FUNCTION KILL', async () => {
    const s = new Session(pair());
    const a = await s.connect('a');
    const b = await s.connect('b');
    await b.call(['FUNCTION', 'LOAD', 'REPLACE', '#!lua name=slow\nredis.register_function{function_name="spin", callback=function() while true do end end, flags={"no-writes"}}']);
    await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '50']);
    a.send(['FCALL', 'spin', '0']);
    await sleep(300);
    await b.call(['PING']);
    await b.call(['SCRIPT', 'KILL']);
    await b.call(['FUNCTION', 'STATS'], (x) => x.replace(/duration_ms\r\n:\d+/, 'duration_ms\r\n:N'));
    await b.call(['FUNCTION', 'KILL']);
    await a.expect(1, 'killed function', (x) => x.replace(/on @user_function:\d+\./, 'on @user_function:N.'));
    await b.call(['FUNCTION', 'KILL']);
    await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '5000']);
    await b.call(['FUNCTION', 'DELETE', 'slow']);
    s.expectClean();
  });
});
