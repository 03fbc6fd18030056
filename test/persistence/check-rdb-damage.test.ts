/**
 * redis-check-rdb's report on damaged files, one rule at a time. The expected texts are what
 * the real redis-check-rdb 7.0.15 (Debian) prints for the same bytes; the differential suite
 * test/differential/check-rdb-damage.test.ts sweeps whole dumps against the binary itself.
 */
import { describe, it, expect } from 'vitest';
import { checkRdbImage } from '../../src/engine/tools/redis-check-rdb';
import type { RdbWriter } from '../../src/engine/persistence/rdb/encoder';
import { craftRdb } from '../support/rdb-craft';

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
