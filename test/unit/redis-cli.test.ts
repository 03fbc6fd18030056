/** Unit tests of redis-cli's building blocks (no server needed). */
import { describe, it, expect } from 'vitest';
import { splitArgs, unquoteCString } from '../../src/engine/tools/redis-cli/split-args';
import { ReplyReader, type CliReply } from '../../src/engine/tools/redis-cli/reply';
import { formatCSV, formatRaw, formatTTY } from '../../src/engine/tools/redis-cli/format';
import { atof, atoi, fixed, fixedZeroPad, strtoll } from '../../src/engine/tools/redis-cli/cformat';
import { siphash12, TypeDict } from '../../src/engine/tools/redis-cli/modes/type-dict';
import { isSensitiveCommand } from '../../src/engine/tools/redis-cli/repl';
import { parseRedisUri } from '../../src/engine/tools/redis-cli/uri';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function parseAll(s: string, chunk = s.length): (CliReply | string)[] {
  const r = new ReplyReader();
  const out: (CliReply | string)[] = [];
  try {
    for (let i = 0; i < s.length; i += chunk) {
      r.feed(bytes(s.slice(i, i + chunk)));
      for (let v = r.next(); v !== undefined; v = r.next()) out.push(v);
    }
  } catch (e) {
    out.push((e as Error).message);
  }
  return out;
}

describe('splitArgs (sdssplitargs)', () => {
  it('splits on blanks and understands both quote styles', () => {
    expect(splitArgs('set key "bar"')).toEqual(['set', 'key', 'bar']);
    expect(splitArgs('set key " bar "')).toEqual(['set', 'key', ' bar ']);
    expect(splitArgs('set key "\\"bar\\""')).toEqual(['set', 'key', '"bar"']);
    expect(splitArgs('set key "\tbar\t"')).toEqual(['set', 'key', '\tbar\t']);
    expect(splitArgs("a 'it\\'s' 'x\\ny'")).toEqual(['a', "it's", 'x\\ny']);
    expect(splitArgs('"\\x41\\x4a\\n\\r\\t\\b\\a\\z"')).toEqual(['AJ\n\r\t\b\x07z']);
    expect(splitArgs('"\\xZZ"')).toEqual(['xZZ']);
    expect(splitArgs('  \t ')).toEqual([]);
    expect(splitArgs('')).toEqual([]);
  });
  it('rejects unbalanced quotes and a closing quote followed by a non-blank', () => {
    expect(splitArgs('get ""key')).toBe(null);
    expect(splitArgs('get "key"x')).toBe(null);
    expect(splitArgs('get "key')).toBe(null);
    expect(splitArgs("get 'key")).toBe(null);
  });
  it('quotes after the start of a word just open a quoted section', () => {
    expect(splitArgs('set key"" bar')).toEqual(['set', 'key', 'bar']);
    expect(splitArgs('a"b c" d')).toEqual(['ab c', 'd']);
  });
  it('stops at a NUL byte like a C string', () => {
    expect(splitArgs('get a\0b c')).toEqual(['get', 'a']);
  });
  it('unquoteCString needs exactly one argument', () => {
    expect(unquoteCString('"\\x00\\x01"')).toBe('\0\x01');
    expect(unquoteCString('"a" "b"')).toBe(null);
    expect(unquoteCString('"a')).toBe(null);
  });
});

describe('ReplyReader (hiredis)', () => {
  const stream = '+OK\r\n-ERR bad\r\n:-42\r\n$5\r\nhe\r\nl\r\n$-1\r\n*-1\r\n*0\r\n*2\r\n*1\r\n:1\r\n$0\r\n\r\n'
    + '%1\r\n+k\r\n~2\r\n,3.5\r\n#t\r\n_\r\n=9\r\ntxt:ab\ncd\r\n(123\r\n>2\r\n$1\r\na\r\n$1\r\nb\r\n';
  const expected: CliReply[] = [
    { type: 'status', str: 'OK' }, { type: 'error', str: 'ERR bad' }, { type: 'integer', integer: -42n },
    { type: 'string', str: 'he\r\nl' }, { type: 'nil' }, { type: 'nil' }, { type: 'array', element: [] },
    { type: 'array', element: [{ type: 'array', element: [{ type: 'integer', integer: 1n }] }, { type: 'string', str: '' }] },
    { type: 'map', element: [{ type: 'status', str: 'k' }, { type: 'set', element: [{ type: 'double', str: '3.5' }, { type: 'bool', integer: true }] }] },
    { type: 'nil' }, { type: 'verb', vtype: 'txt', str: 'ab\ncd' }, { type: 'bignum', str: '123' },
    { type: 'push', element: [{ type: 'string', str: 'a' }, { type: 'string', str: 'b' }] },
  ];
  it('parses every RESP2/RESP3 type hiredis knows', () => {
    expect(parseAll(stream)).toEqual(expected);
  });
  it('gives the same replies however the bytes are chunked', () => {
    for (const chunk of [1, 2, 3, 7, 13]) expect(parseAll(stream, chunk)).toEqual(expected);
  });
  it('a long array arriving in small chunks', () => {
    let s = '*1000\r\n';
    for (let i = 0; i < 1000; i++) s += `$${String(i).length}\r\n${i}\r\n`;
    const [r] = parseAll(s, 5) as CliReply[];
    expect(r.type).toBe('array');
    expect((r as { element: CliReply[] }).element[999]).toEqual({ type: 'string', str: '999' });
  });
  it('reports protocol errors with hiredis texts', () => {
    expect(parseAll('|1\r\n+a\r\n+b\r\n+c\r\n')).toEqual(['Protocol error, got "|" as reply type byte']);
    expect(parseAll('!3\r\nerr\r\n')).toEqual(['Protocol error, got "!" as reply type byte']);
    expect(parseAll('\x01')).toEqual(['Protocol error, got "\\x01" as reply type byte']);
    expect(parseAll('\n')).toEqual(['Protocol error, got "\\n" as reply type byte']);
    expect(parseAll(':12a\r\n')).toEqual(['Bad integer value']);
    expect(parseAll(',nan\r\n')).toEqual(['Bad double value']);
    expect(parseAll('#x\r\n')).toEqual(['Bad bool value']);
    expect(parseAll('_x\r\n')).toEqual(['Bad nil value']);
    expect(parseAll('$-2\r\n')).toEqual(['Bulk string length out of range']);
    expect(parseAll('*x\r\n')).toEqual(['Bad multi-bulk length']);
    expect(parseAll('=2\r\nab\r\n')).toEqual(['Verbatim string 4 bytes of content type are missing or incorrectly encoded.']);
    expect(parseAll('(1a\r\n')).toEqual(['Bad bignum value']);
  });
});

describe('reply formatting', () => {
  const str = (s: string): CliReply => ({ type: 'string', str: s });
  const int = (n: number): CliReply => ({ type: 'integer', integer: BigInt(n) });
  const ctx = { mbDelim: '\n', evalLdb: false, colorTerm: false, onLdbEndSession: () => undefined };
  it('pads indexes to the widest one and indents nested replies by its width', () => {
    const arr: CliReply = { type: 'array', element: Array.from({ length: 11 }, (_, i) => (i === 10 ? { type: 'array', element: [str('x'), int(1)] } : str(String(i)))) };
    expect(formatTTY(arr)).toBe(' 1) "0"\n 2) "1"\n 3) "2"\n 4) "3"\n 5) "4"\n 6) "5"\n 7) "6"\n 8) "7"\n 9) "8"\n10) "9"\n11) 1) "x"\n    2) (integer) 1\n');
  });
  it('maps put a multi-line value on the next line', () => {
    const map: CliReply = { type: 'map', element: [str('a'), { type: 'array', element: [int(1), int(2)] }, str('b'), { type: 'array', element: [int(3)] }] };
    expect(formatTTY(map)).toBe('1# "a" => \n   1) (integer) 1\n   2) (integer) 2\n2# "b" => 1) (integer) 3\n');
  });
  it('empty aggregates, nil, booleans, doubles', () => {
    expect(formatTTY({ type: 'set', element: [] })).toBe('(empty set)\n');
    expect(formatTTY({ type: 'map', element: [] })).toBe('(empty hash)\n');
    expect(formatTTY({ type: 'push', element: [] })).toBe('(empty push)\n');
    expect(formatTTY({ type: 'double', str: '1.5' })).toBe('(double) 1.5\n');
    expect(formatRaw({ type: 'nil' }, ctx)).toBe('');
    expect(formatCSV({ type: 'bool', integer: false })).toBe('false');
    expect(formatCSV({ type: 'error', str: 'ERR "x"' })).toBe('ERROR,"ERR \\"x\\""');
  });
  it('quotes strings with sdscatrepr in TTY mode', () => {
    expect(formatTTY(str('a\x00\xff"\\\n'))).toBe('"a\\x00\\xff\\"\\\\\\n"\n');
  });
});

describe('C number parsing and printing', () => {
  it('atoi/strtoll/atof accept a numeric prefix', () => {
    expect(atoi('12abc')).toBe(12);
    expect(atoi('abc')).toBe(0);
    expect(atoi('  -7')).toBe(-7);
    expect(atoi('4294967297')).toBe(1);
    expect(strtoll('99999999999999999999')).toBe(9223372036854775807n);
    expect(atof('0.5s')).toBe(0.5);
    expect(atof('.25')).toBe(0.25);
    expect(atof('x')).toBe(0);
  });
  it('%.2f rounds the exact binary value, ties to even, like glibc', () => {
    expect(fixed(0.125, 2)).toBe('0.12');
    expect(fixed(0.375, 2)).toBe('0.38');
    expect(fixed(2.5, 0)).toBe('2');
    expect(fixed(1.005, 2)).toBe('1.00');
    expect(fixed(33.333333, 2)).toBe('33.33');
    expect(fixed(-1.5, 0)).toBe('-2');
    expect(fixedZeroPad(0, 5, 2)).toBe('00.00');
    expect(fixedZeroPad(100, 5, 2)).toBe('100.00');
    expect(fixedZeroPad(0 / 0, 5, 2)).toBe(' -nan');
  });
});

describe('the --bigkeys type dict order', () => {
  it('SipHash-1-2 with a zero key', () => {
    // Reference values: Redis 7.0.15's src/siphash.c siphash(), compiled and run with a zero key.
    const hex = (s: string) => siphash12(s).toString(16).padStart(16, '0');
    expect(hex('')).toBe('3204eeb59b3cccdd');
    expect(hex('string')).toBe('c391c348a44be472');
    expect(hex('list')).toBe('fd19f5628a8f2711');
    expect(hex('a somewhat longer key!')).toBe('e375c6b19832e89b');
  });
  it('depends on how far the incremental rehash got', () => {
    const order = (finds: number) => {
      const d = new TypeDict<string>();
      for (const t of ['string', 'list', 'set', 'hash', 'zset', 'stream']) d.add(t, t);
      for (let i = 0; i < finds; i++) d.find('string');
      return d.values().join(',');
    };
    // Observed with redis-cli --bigkeys on an empty and on a populated keyspace.
    expect(order(0)).toBe('hash,list,string,stream,set,zset');
    expect(order(5)).toBe('list,hash,string,stream,set,zset');
  });
});

describe('history filter and URIs', () => {
  it('never records commands carrying passwords', () => {
    expect(isSensitiveCommand(['AUTH', 'x'])).toBe(true);
    expect(isSensitiveCommand(['acl', 'SETUSER', 'u', '>p'])).toBe(true);
    expect(isSensitiveCommand(['config', 'set', 'masterauth', 'p'])).toBe(true);
    expect(isSensitiveCommand(['config', 'set', 'maxmemory', '1'])).toBe(false);
    expect(isSensitiveCommand(['hello', '3', 'setname', 'n', 'auth', 'u', 'p'])).toBe(true);
    expect(isSensitiveCommand(['hello', '3', 'setname', 'n', 'x'])).toBe(false);
    expect(isSensitiveCommand(['migrate', 'h', 'p', '', '0', '10', 'auth', 'pw'])).toBe(true);
    expect(isSensitiveCommand(['migrate', 'h', 'p', '', '0', '10', 'keys', 'a', 'auth'])).toBe(false);
  });
  it('parses redis:// URIs like cli_common.c', () => {
    const conf = () => ({ user: null as string | null, auth: null as string | null, hostip: '127.0.0.1', hostport: 6379, inputDbnum: 0, tls: false });
    const c1 = conf();
    expect(parseRedisUri('redis://us%3Aer:p%40ss@example.com:7000/3', 'redis-cli', c1, true)).toBe(null);
    expect(c1).toEqual({ user: 'us:er', auth: 'p@ss', hostip: 'example.com', hostport: 7000, inputDbnum: 3, tls: false });
    const c2 = conf();
    expect(parseRedisUri('REDIS://:secret@/5', 'redis-cli', c2, true)).toBe(null);
    // An empty user before ':' is still a user (AUTH "" secret), as in the C code.
    expect(c2).toMatchObject({ user: '', auth: 'secret', hostip: '127.0.0.1', inputDbnum: 5 });
    expect(parseRedisUri('http://x', 'redis-cli', conf(), true)).toBe('Invalid URI scheme\n');
    expect(parseRedisUri('redis://a%g1@h', 'redis-cli', conf(), true)).toBe('Illegal character in URI encoding\n');
  });
});
