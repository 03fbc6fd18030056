/**
 * RDB encodings that Redis 7.0 no longer writes but still reads (files from Redis 2.x-6.x):
 * linked lists (1), text-score sorted sets (3), zipmap hashes (9), ziplist lists / zsets /
 * hashes (10, 12, 13), quicklist v1 (14), second-resolution expires, RDB version 9 and 6.
 * The files are built here byte by byte; real Redis 7.0.15 and the engine must load the
 * same dataset from them, and redis-check-rdb must give the same report.
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { findBinary, haveRealRedis } from '../support/real-redis';
import { readDataset, startOurs, startReal, tmpDir, withoutDumps } from '../support/persistence';
import { RdbWriter } from '../../src/engine/persistence/rdb/encoder';
import { Crc64 } from '../../src/engine/persistence/rdb/crc64';
import { checkRdbImage } from '../../src/engine/tools/redis-check-rdb';

const CHECK_RDB = findBinary('redis-check-rdb');

function le(n: number, bytes: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes; i++) out.push(Math.floor(n / 2 ** (8 * i)) & 0xff);
  return out;
}

/** A ziplist with the encodings Redis 2.6-6.2 produced. */
function ziplist(items: (string | number)[]): Uint8Array {
  const entries: number[][] = [];
  let prev = 0;
  for (const it of items) {
    const prevlen = prev < 254 ? [prev] : [0xfe, ...le(prev, 4)];
    let body: number[];
    if (typeof it === 'number') {
      if (it >= 0 && it <= 12) body = [0xf1 + it];
      else if (it >= -128 && it <= 127) body = [0xfe, it & 0xff];
      else if (it >= -32768 && it <= 32767) body = [0xc0, ...le(it & 0xffff, 2)];
      else if (it >= -8388608 && it <= 8388607) body = [0xf0, ...le(it & 0xffffff, 3)];
      else if (it >= -2147483648 && it <= 2147483647) body = [0xd0, ...le(it >>> 0, 4)];
      else { const v = BigInt.asUintN(64, BigInt(it)); body = [0xe0, ...Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn))]; }
    } else {
      const s = [...it].map((c) => c.charCodeAt(0));
      if (s.length < 64) body = [s.length, ...s];
      else if (s.length < 16384) body = [0x40 | (s.length >> 8), s.length & 0xff, ...s];
      else body = [0x80, ...le(s.length, 4).reverse(), ...s];
    }
    const e = [...prevlen, ...body];
    entries.push(e);
    prev = e.length;
  }
  const bodyLen = entries.reduce((n, e) => n + e.length, 0);
  const total = 10 + bodyLen + 1;
  const tail = entries.length ? 10 + bodyLen - entries[entries.length - 1].length : 10;
  return Uint8Array.from([...le(total, 4), ...le(tail, 4), ...le(entries.length, 2), ...entries.flat(), 0xff]);
}

function zipmap(pairs: [string, string][]): Uint8Array {
  const out = [pairs.length];
  const len = (n: number) => (n < 254 ? [n] : [254, ...le(n, 4)]);
  for (const [k, v] of pairs) {
    out.push(...len(k.length), ...[...k].map((c) => c.charCodeAt(0)), ...len(v.length), 0, ...[...v].map((c) => c.charCodeAt(0)));
  }
  out.push(0xff);
  return Uint8Array.from(out);
}

function legacyRdb(version: number): Uint8Array {
  const w = new RdbWriter({ compression: false, listFill: -2 });
  w.ascii(`REDIS${String(version).padStart(4, '0')}`);
  w.byte(0xfe); w.length(0);
  const key = (type: number, k: string) => { w.byte(type); w.string(k); };
  key(1, 'linked'); w.length(3); w.string('a'); w.string('12'); w.string('c');
  key(3, 'zset-text'); w.length(3); w.string('x'); w.byte(3); w.ascii('1.5'); w.string('y'); w.byte(254); w.string('z'); w.byte(255);
  key(9, 'zipmap'); w.blob(zipmap([['f1', 'v1'], ['f2', 'x'.repeat(300)]]));
  key(9, 'zipmap-small'); w.blob(zipmap([['a', '1'], ['b', '2']]));
  key(10, 'ziplist-list'); w.blob(ziplist(['one', 2, -100, 1000, 100000, 5000000, 10_000_000_000, 'z'.repeat(70)]));
  key(12, 'ziplist-zset'); w.blob(ziplist(['m1', 1, 'm2', '2.5', 'm3', -7]));
  key(13, 'ziplist-hash'); w.blob(ziplist(['f', 'v', 'n', 42]));
  key(14, 'quicklist-v1'); w.length(2); w.blob(ziplist(['a', 'b', 3])); w.blob(ziplist(['d', 500]));
  w.byte(0xfd); w.ascii(String.fromCharCode(...le(2000000000, 4))); key(0, 'expires-in-seconds'); w.string('v');
  w.byte(0xfc); w.millis(4102444800123); key(10, 'ziplist-with-ttl'); w.blob(ziplist(['t']));
  w.byte(0xfe); w.length(3);
  key(2, 'set-in-db3'); w.length(2); w.string('1'); w.string('two');
  w.byte(0xff);
  const body = w.view();
  const out = new Uint8Array(body.length + 8);
  out.set(body);
  const crc = new Crc64();
  crc.update(body);
  if (version >= 5) out.set(crc.bytesLE(), body.length);
  return version >= 5 ? out : body.slice();
}

describe.skipIf(!haveRealRedis())('legacy RDB encodings', () => {
  for (const version of [9, 6]) {
    it(`RDB version ${version} with ziplists, zipmaps, quicklist v1, linked lists and text scores`, async () => {
      const realDir = tmpDir('legacy-real');
      const ourDir = tmpDir('legacy-ours');
      try {
        const file = legacyRdb(version);
        fs.writeFileSync(path.join(realDir, 'dump.rdb'), file);
        fs.writeFileSync(path.join(ourDir, 'dump.rdb'), file);
        const args = ['--save', '', '--appendonly', 'no'];
        const real = await startReal(realDir, args);
        const ours = await startOurs(ourDir, args);
        expect(real.exited(), real.log()).toBe(false);
        const expected = await readDataset(await real.client());
        expect(Object.keys(expected['0']).length).toBe(10);
        expect(Object.keys(expected['3'])).toEqual(['set-in-db3']);
        expect(withoutDumps(await readDataset(await ours.client()))).toEqual(withoutDumps(expected));
        await real.kill();
        await ours.kill();
        if (CHECK_RDB) {
          const r = spawnSync(CHECK_RDB, ['dump.rdb'], { cwd: realDir, encoding: 'latin1' });
          let out = '';
          checkRdbImage(file, 'dump.rdb', Date.now(), { out: (t) => { out += t; }, terminate: () => undefined });
          expect(out).toBe(r.stdout);
        }
      } finally {
        fs.rmSync(realDir, { recursive: true, force: true });
        fs.rmSync(ourDir, { recursive: true, force: true });
      }
    });
  }
});
