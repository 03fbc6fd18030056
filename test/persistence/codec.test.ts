/**
 * The RDB building blocks on their own: CRC-64/Jones, LZF, listpack, intset, the string and
 * length encodings, and bytes taken from files real Redis 7.0.15 wrote.
 */
import { describe, it, expect } from 'vitest';
import { crc64, Crc64 } from '../../src/engine/persistence/rdb/crc64';
import { lzfCompress, lzfDecompress } from '../../src/engine/persistence/rdb/lzf';
import { ListpackWriter, decodeListpack } from '../../src/engine/persistence/rdb/listpack';
import { encodeIntset, decodeIntset } from '../../src/engine/persistence/rdb/intset';
import { RdbWriter, listToNodes } from '../../src/engine/persistence/rdb/encoder';
import { RdbReader, RdbReportedError, RdbEof, readObject, DEFAULT_LIMITS } from '../../src/engine/persistence/rdb/decoder';
import { RList } from '../../src/engine/keyspace/values';

const bytes = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('CRC-64/Jones', () => {
  it('has the check value 0xe9c6d914c4b8d9ca for "123456789"', () => {
    expect(crc64(ascii('123456789'))).toBe(0xe9c6d914c4b8d9can);
  });
  it('starts at 0 with no final xor, and is the same in one piece or many', () => {
    expect(crc64(new Uint8Array(0))).toBe(0n);
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31 + 7) & 0xff);
    const c = new Crc64();
    for (let i = 0; i < data.length; i += 13) c.update(data, i, Math.min(data.length, i + 13));
    expect(c.toBigInt()).toBe(crc64(data));
  });
  it('matches the checksum at the end of a dump.rdb written by Redis 7.0.15', () => {
    // A complete file from a real server: "REDIS0010", AUX fields, one key, EOF, CRC.
    const file = bytes(`524544495330303130fa0972656469732d76657206372e302e3135fa0a72656469732d62697473c040
      fa056374696d65c2172802 6bfa08757365642d6d656dc2b8d90f00fa08616f662d62617365c000fe00fb01 00
      0002733105 68656c6c6f ff`);
    const c = new Crc64();
    c.update(file);
    const withCrc = new Uint8Array(file.length + 8);
    withCrc.set(file);
    withCrc.set(c.bytesLE(), file.length);
    expect(c.equalsLE(withCrc, file.length)).toBe(true);
  });
});

describe('LZF', () => {
  it('decodes a string compressed by Redis (45 x "a" in a real dump.rdb)', () => {
    expect(String.fromCharCode(...lzfDecompress(bytes('016161e02000016161'), 45)!)).toBe('a'.repeat(45));
  });
  it('compresses like liblzf in Redis', () => {
    expect(hex(lzfCompress(ascii('a'.repeat(45)), 41)!)).toBe('016161e02000016161');
  });
  it('round-trips random data and gives up when the output does not fit', () => {
    let seed = 12345;
    const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(rnd() * 5000);
      const alpha = 1 + Math.floor(rnd() * 20);
      const data = Uint8Array.from({ length: n }, () => (rnd() < 0.2 ? Math.floor(rnd() * 256) : 97 + Math.floor(rnd() * alpha)));
      const c = lzfCompress(data, n + 64);
      expect(c).not.toBeNull();
      expect(hex(lzfDecompress(c!, n)!)).toBe(hex(data));
    }
    const noise = Uint8Array.from({ length: 64 }, (_, i) => (i * 151 + 17) & 0xff);
    expect(lzfCompress(noise, noise.length - 4)).toBeNull();
  });
  it('rejects malformed input', () => {
    expect(lzfDecompress(bytes('05616161'), 6)).toBeNull(); // literal run past the input
    expect(lzfDecompress(bytes('20ff'), 3)).toBeNull(); // back reference before the start
    expect(lzfDecompress(bytes('0161616161'), 2)).toBeNull(); // wrong length
  });
});

describe('listpack and intset', () => {
  it('encodes a list node byte for byte like Redis (a, b, 3)', () => {
    const lp = new ListpackWriter();
    for (const s of ['a', 'b', '3']) lp.appendString(s);
    expect(hex(lp.finish())).toBe('0f00000003008161028162020301ff');
  });
  it('uses every integer width and round-trips', () => {
    const items = ['0', '127', '128', '-1', '-4096', '4095', '4096', '-32768', '32767', '40000', '-8388608', '8388607',
      '9000000', '-2147483648', '2147483647', '2147483648', '-9223372036854775808', '9223372036854775807',
      '9223372036854775808', '01', '-0', '+5', '', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096)];
    const lp = new ListpackWriter();
    for (const s of items) lp.appendString(s);
    const b = lp.finish();
    expect(decodeListpack(b, true)).toEqual(items);
  });
  it('validates headers, backlens and counts', () => {
    const good = bytes('0f0000000300 816102 816202 0301 ff');
    expect(decodeListpack(good, true)).toEqual(['a', 'b', '3']);
    expect(decodeListpack(bytes('100000000300816102816202 0301ff'), true)).toBeNull(); // total size
    expect(decodeListpack(bytes('0f0000000400816102816202 0301ff'), true)).toBeNull(); // count (deep)
    expect(decodeListpack(bytes('0f0000000400816102816202 0301ff'), false)).toEqual(['a', 'b', '3']); // shallow: header only
    expect(decodeListpack(bytes('0f0000000300816103816202 0301ff'), true)).toBeNull(); // backlen
    expect(decodeListpack(bytes('0f0000000300f56102816202 0301ff'), false)).toBeNull(); // bad encoding
  });
  it('intset picks the smallest width, sorts, and validates', () => {
    expect(hex(encodeIntset(['3', '1', '2']))).toBe('0200000003000000010002000300');
    expect(decodeIntset(encodeIntset(['70000', '-5']), true)).toEqual(['-5', '70000']);
    expect(decodeIntset(encodeIntset(['5000000000', '1']), true)).toEqual(['1', '5000000000']);
    expect(decodeIntset(bytes('0200000002000000 0200 0100'), true)).toBeNull(); // out of order
    expect(decodeIntset(bytes('0200000002000000 0200 0100'), false)).toEqual(['2', '1']);
    expect(decodeIntset(bytes('0300000001000000 0100'), false)).toBeNull(); // width 3
  });
});

describe('RDB strings and lengths', () => {
  const w = () => new RdbWriter({ compression: true, listFill: -2 });
  it('writes integers with INT8/16/32 and everything else as length + bytes or LZF', () => {
    const cases: [string, string][] = [
      ['12345', 'c13930'], ['-1', 'c0ff'], ['127', 'c07f'], ['128', 'c18000'], ['2147483647', 'c2ffffff7f'],
      ['2147483648', '0a32313437343833363438'], ['007', '03303037'], ['', '00'], ['hello', '0568656c6c6f'],
      ['a'.repeat(45), 'c3092d016161e02000016161'],
    ];
    for (const [s, want] of cases) {
      const x = w();
      x.string(s);
      expect(hex(x.view()), s).toBe(want);
      expect(new RdbReader(x.view()).string()).toBe(s);
    }
  });
  it('writes 6, 14, 32 and 64-bit lengths', () => {
    for (const [n, want] of [[63, '3f'], [64, '4040'], [16383, '7fff'], [16384, '8000004000'], [2 ** 32, '810000000100000000']] as const) {
      const x = w();
      x.length(n);
      expect(hex(x.view())).toBe(want);
      expect(new RdbReader(x.view()).length()).toBe(n);
    }
  });
  it('reports errors the way rdb.c does', () => {
    expect(() => new RdbReader(bytes('bf')).length()).toThrow(RdbReportedError);
    expect(() => new RdbReader(bytes('c5')).string()).toThrow('Unknown RDB string encoding type 5');
    expect(() => new RdbReader(bytes('05616263')).string()).toThrow(RdbEof);
    expect(() => new RdbReader(bytes('c3020561')).string()).toThrow(RdbEof);
    expect(() => new RdbReader(bytes('c302050000')).string()).toThrow('Invalid LZF compressed string');
    expect(() => readObject(new RdbReader(bytes('020000')), 11, { limits: DEFAULT_LIMITS, deep: true, checkMode: false })).toThrow('Intset integrity check failed.');
  });
  it('splits lists into listpack nodes of at most 8 KiB like quicklist', () => {
    const l = new RList(Array.from({ length: 2000 }, (_, i) => `element-${i}`));
    const nodes = listToNodes(l, -2) as Uint8Array[];
    expect(nodes.length).toBeGreaterThan(1);
    for (const n of nodes) expect(n.length).toBeLessThanOrEqual(8192);
    expect(nodes.flatMap((n) => decodeListpack(n, true)!)).toEqual(l.toArray());
    expect(listToNodes(new RList(['a', 'b', 'c', 'd', 'e']), 2).map((n) => decodeListpack(n as Uint8Array, true))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    // Elements over the packed threshold (DEBUG QUICKLIST-PACKED-THRESHOLD) get plain nodes.
    const mixed = listToNodes(new RList(['a', 'big-element', 'b', 'c']), -2, 5);
    expect(mixed.map((n) => (typeof n === 'string' ? n : decodeListpack(n, true)))).toEqual([['a'], 'big-element', ['b', 'c']]);
  });
});
