/**
 * FUNCTION and FCALL against real Redis 7.0.15, on every path that does not depend on the
 * Lua engine our engine lacks: argument errors, library metadata errors (the engine name is
 * checked last, so an unknown engine such as "foo" fails identically), empty LIST/DUMP,
 * RESTORE of empty and of crafted payloads, FLUSH, DELETE/KILL/FCALL with nothing loaded.
 */
import { it, expect } from 'vitest';
import { describeDifferential, expectSame } from '../support/differential';
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

describeDifferential('FUNCTION STATS without a script engine', (pair) => {
  it('reports no running script; our engine lists no engines (real Redis lists LUA)', async () => {
    const cl = pair().ourClient;
    cl.write('*2\r\n$8\r\nFUNCTION\r\n$5\r\nSTATS\r\n');
    const r = await cl.reply();
    expect(r.bytes).toBe('*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*0\r\n');
  });
});
