/**
 * redis-check-rdb's report on damaged files, one rule at a time. The expected texts are what
 * the real redis-check-rdb 7.0.15 (Debian) prints for the same bytes; the differential suite
 * test/differential/check-rdb-damage.test.ts sweeps whole dumps against the binary itself.
 */
import { describe, it, expect } from 'vitest';
import { checkRdbImage } from '../../src/engine/tools/redis-check-rdb';
import type { RdbWriter } from '../../src/engine/persistence/rdb/encoder';
import { lzfDecompress } from '../../src/engine/persistence/rdb/lzf';
import { validateStreamListpack } from '../../src/engine/persistence/rdb/stream-listpack';
import { ListpackWriter } from '../../src/engine/persistence/rdb/listpack';
import { craftRdb, streamId, streamNodeListpack, writeStream, type CraftedStream } from '../support/rdb-craft';

/** Our checker's full output on `bytes` (the fatal log line shortened to its message). */
function check(bytes: Uint8Array): string {
  let out = '';
  checkRdbImage(bytes, 'dump.rdb', 0, { out: (t) => { out += t; }, terminate: (m) => { out += `# ${m}\n` } });
  return out;
}

/** The error block for a key being read, as redis-check-rdb prints it. */
function keyError(offset: number, msg: string, key: string, type: string, keys = 1): string {
  return ['[offset 0] Checking RDB file dump.rdb', '--- RDB ERROR DETECTED ---', `[offset ${offset}] ${msg}`,
    '[additional info] While doing: read-object-value', `[additional info] Reading key '${key}'`,
    `[additional info] Reading type ${type}`, `[info] ${keys} keys read`, '[info] 0 expires', '[info] 0 already expired', ''].join('\n');
}

const internal = (line: number, msg: string) => `Internal error in RDB reading offset 0, function at rdb.c:${line} -> ${msg}`;
const FATAL = '# Terminating server after rdb file reading failure.\n';

function len64(w: RdbWriter, v: bigint): void {
  w.byte(0x81);
  for (let i = 7n; i >= 0n; i--) w.byte(Number((v >> (8n * i)) & 0xffn));
}

describe('redis-check-rdb offsets count only whole reads', () => {
  it('a length cut after its first byte counts that byte (rdbLoadLen reads the rest separately)', () => {
    // A 70-member set: its count is a 14-bit length, 0x40 0x46; the file ends after the 0x40.
    const set = craftRdb((w) => { w.byte(2); w.string('sb'); w.length(70); for (let i = 0; i < 70; i++) w.string(String(i)); });
    expect(check(set.subarray(0, 14))).toBe(keyError(14, 'Unexpected EOF reading RDB file', 'sb', '2 (set-hashtable)'));
    // A 20000-byte string: a 32-bit length, 0x80 and four bytes; the file ends after the 0x80.
    const str = craftRdb((w) => { w.byte(0); w.string('big'); w.length(20000); });
    expect(check(str.subarray(0, 15))).toBe(keyError(15, 'Unexpected EOF reading RDB file', 'big', '0 (string)'));
  });
});

describe('redis-check-rdb rdb.c line numbers', () => {
  it('reports the Debian build line numbers for the string and length primitives', () => {
    const key = (write: (w: RdbWriter) => void) => craftRdb((w) => { w.byte(0); w.string('k'); write(w); });
    expect(check(key((w) => w.byte(0x82)))).toContain(internal(236, 'Unknown length encoding 2 in rdbLoadLen()'));
    expect(check(key((w) => w.byte(0xc5)))).toContain(internal(529, 'Unknown RDB string encoding type 5'));
    expect(check(craftRdb((w) => { w.byte(11); w.string('k'); w.length(3); w.byte(1); w.byte(2); w.byte(3); })))
      .toContain(internal(2214, 'Intset integrity check failed.'));
  });
});

describe('redis-check-rdb on streams', () => {
  const id1 = streamId(1), id2 = streamId(2);
  const stream = (over: Partial<CraftedStream> = {}) => craftRdb((w) => writeStream(w, 'st', {
    nodes: [{ key: id1, lp: streamNodeListpack([1, 2]) }], length: 2,
    groups: [{ name: 'g', pel: [id1], consumers: [{ name: 'c', pel: [id1] }] }], ...over,
  }));
  const streamError = (offset: number, line: number, msg: string) => keyError(offset, internal(line, msg), 'st', '19 (unknown)') + FATAL;

  it('a well-formed stream with a group, PEL and consumer is fine', () => {
    expect(check(stream())).toContain('\\o/ RDB looks OK! \\o/');
  });

  it('each part of a stream cut short has its own read error, at the start of the short read', () => {
    const full = stream();
    expect(check(full.subarray(0, 74))).toBe(streamError(74, 2424, 'Stream object metadata loading failed.'));
    expect(check(full.subarray(0, 82))).toBe(streamError(82, 2438, 'Stream cgroup count loading failed.'));
    expect(check(full.subarray(0, 84))).toBe(streamError(84, 2449, 'Error reading the consumer group name from Stream'));
    expect(check(full.subarray(0, 86))).toBe(streamError(86, 2458, 'Stream cgroup ID loading failed.'));
    expect(check(full.subarray(0, 87))).toBe(streamError(87, 2469, 'Stream cgroup offset loading failed.'));
    expect(check(full.subarray(0, 88))).toBe(streamError(88, 2495, 'Stream PEL size loading failed.'));
    expect(check(full.subarray(0, 100))).toBe(streamError(89, 2502, 'Stream PEL ID loading failed.'));
    expect(check(full.subarray(0, 107))).toBe(streamError(105, 2510, 'Stream PEL NACK loading failed.'));
    expect(check(full.subarray(0, 120))).toBe(streamError(117, 2549, 'Stream short read reading seen time.'));
    expect(check(full.subarray(0, 130))).toBe(streamError(126, 2566, 'Stream short read reading PEL streamID.'));
    // The node listpack itself, and the Debian build's line numbers in this part of rdb.c.
    expect(check(full.subarray(0, 60))).toBe(streamError(32, 2355, 'Stream listpacks loading failed.'));
  });

  it('a PEL entry claimed by a second consumer, or twice by one, is refused (Debian patch)', () => {
    const twoConsumers = stream({ groups: [{ name: 'g', pel: [id1], consumers: [{ name: 'c', pel: [id1] }, { name: 'd', pel: [id1] }] }] });
    expect(check(twoConsumers)).toBe(streamError(169, 2583, 'Stream consumer PEL entry already has a consumer assigned'));
    const twice = stream({ groups: [{ name: 'g', pel: [id1], consumers: [{ name: 'c', pel: [id1, id1] }] }] });
    expect(check(twice)).toBe(streamError(158, 2583, 'Stream consumer PEL entry already has a consumer assigned'));
  });

  it('a group PEL entry no consumer claims is refused', () => {
    const unclaimed = stream({ groups: [{ name: 'g', pel: [id1, id2], consumers: [{ name: 'c', pel: [id1] }] }] });
    expect(check(unclaimed)).toBe(streamError(167, 2611, 'Stream CG PEL entry without consumer'));
  });

  it('a duplicate group name is printed up to its first NUL', () => {
    const dup = stream({ nodes: [], length: 0, groups: [{ name: 'a\0b', pel: [], consumers: [] }, { name: 'a\0b', pel: [], consumers: [] }] });
    expect(check(dup)).toBe(streamError(39, 2480, 'Duplicated consumer group name a'));
  });

  it('node listpacks get the stream-shaped deep check, without the header count', () => {
    const lp = streamNodeListpack([1, 2]);
    expect(validateStreamListpack(lp, true)).not.toBeNull();
    const badCount = lp.slice(); badCount[4] = 99; // lpValidateIntegrity(deep) would refuse this
    expect(validateStreamListpack(badCount, true)).not.toBeNull();
    // An entry whose closing element count does not add up.
    const w = new ListpackWriter();
    for (const v of [1, 0, 1]) w.appendInt(v);
    w.appendString('f'); w.appendInt(0);
    for (const v of [2, 0, 0]) w.appendInt(v);
    w.appendString('v'); w.appendInt(5);
    expect(validateStreamListpack(w.finish(), true)).toBeNull();
    // A master entry without its terminating 0.
    const m = new ListpackWriter();
    for (const v of [0, 0, 1]) m.appendInt(v);
    m.appendString('f');
    expect(validateStreamListpack(m.finish(), true)).toBeNull();
  });
});

describe('redis-check-rdb on counts and lengths too big to allocate', () => {
  it('a set, sorted set or hash whose hash table cannot be allocated: OOM in dictTryExpand', () => {
    const count = 1n << 44n; // 2^44 pointers: 128 TB, past the 47-bit address space
    const file = (type: number) => craftRdb((w) => { w.byte(type); w.string('k'); len64(w, count); w.string('a'); });
    expect(check(file(2))).toBe(keyError(21, internal(1785, `OOM in dictTryExpand ${count}`), 'k', '2 (set-hashtable)') + FATAL);
    expect(check(file(5))).toBe(keyError(21, internal(1851, `OOM in dictTryExpand ${count}`), 'k', '5 (zset-v2)') + FATAL);
    expect(check(file(4))).toBe(keyError(21, internal(1996, `OOM in dictTryExpand ${count}`), 'k', '4 (hash-hashtable)') + FATAL);
  });

  it('a count whose table size overflows is not an allocation failure: the members are read', () => {
    const file = craftRdb((w) => { w.byte(2); w.string('k'); len64(w, 1n << 63n); w.string('a'); });
    // After 'a' comes the EOF opcode 0xFF, read as a string with encoding 63.
    expect(check(file)).toBe(keyError(24, internal(529, 'Unknown RDB string encoding type 63'), 'k', '2 (set-hashtable)') + FATAL);
  });

  it('an LZF string promising more than can be allocated ends before its compressed bytes', () => {
    const file = (len: bigint) => craftRdb((w) => { w.byte(0); w.string('k'); w.byte(0xc3); w.length(3); len64(w, len); w.byte(1); w.byte(1); w.byte(1); });
    expect(check(file(1n << 47n))).toBe(keyError(23, 'Unexpected EOF reading RDB file', 'k', '0 (string)'));
    // Allocatable but more than three bytes can expand to: read, then refused, without allocating it.
    expect(check(file(1n << 32n))).toBe(keyError(26, internal(413, 'Invalid LZF compressed string'), 'k', '0 (string)') + FATAL);
    expect(lzfDecompress(new Uint8Array([1, 1, 1]), 2 ** 40)).toBeNull();
  });
});

describe('redis-check-rdb listpack backlens', () => {
  it('a backlen is compared by value, however many bytes it was read from', () => {
    // Field "0" (7-bit integer 0x00) with backlen 0x81: read backwards it continues into the
    // entry's 0x00 byte and still decodes to 1, which lpValidateNext accepts.
    const lp = new Uint8Array([12, 0, 0, 0, 2, 0, 0x00, 0x81, 0x81, 0x76, 0x02, 0xff]);
    const file = craftRdb((w) => { w.byte(16); w.string('k'); w.blob(lp); });
    expect(check(file)).toContain('\\o/ RDB looks OK! \\o/');
  });
});

describe('redis-check-rdb on empty aggregates', () => {
  it('takes a value with no elements for a failed read (the server would skip the key)', () => {
    const empty = craftRdb((w) => { w.byte(2); w.string('s'); w.length(0); w.byte(0); w.string('k'); w.string('v'); });
    expect(check(empty)).toBe(keyError(13, 'Unexpected EOF reading RDB file', 's', '2 (set-hashtable)'));
  });
});
