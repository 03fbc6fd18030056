/**
 * RDB files both ways between real Redis 7.0.15 and the engine: a dump.rdb written by real
 * Redis (every type and encoding, expires, several DBs, rdbcompression on and off) loads in
 * ours with the same keys, types, encodings, expire times and values; the file we save from
 * that passes the real redis-check-rdb and loads in real Redis with the same dataset.
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { findBinary, haveRealRedis } from '../support/real-redis';
import { cmd, logMessages, readDataset, startOurs, startReal, str, tmpDir, withoutDumps, type KeyInfo } from '../support/persistence';
import { populateRealDataset } from '../support/dataset';

const CHECK_RDB = findBinary('redis-check-rdb');
const NO_PERSIST = ['--save', '', '--appendonly', 'no'];

/** Encodings whose serialised form does not depend on hash-table iteration order. */
const ORDERED = new Set(['int', 'embstr', 'raw', 'listpack', 'intset', 'quicklist']);

function expectSameDumps(ours: Record<string, Record<string, KeyInfo>>, real: Record<string, Record<string, KeyInfo>>): number {
  let compared = 0;
  for (const [db, keys] of Object.entries(real)) {
    for (const [k, info] of Object.entries(keys)) {
      if (!ORDERED.has(info.encoding)) continue;
      expect(ours[db][k].dump, `DUMP of ${k} in db ${db}`).toBe(info.dump);
      compared++;
    }
  }
  return compared;
}

function keysLoadedLine(log: string): string | undefined {
  return logMessages(log).find((l) => l.startsWith('Done loading RDB'));
}

describe.skipIf(!haveRealRedis())('RDB files between real Redis and the engine', () => {
  for (const compression of ['yes', 'no']) {
    it(`real dump.rdb (rdbcompression ${compression}) loads in ours, and ours loads in real`, async () => {
      const realDir = tmpDir('rdb-real');
      const ourDir = tmpDir('rdb-ours');
      const backDir = tmpDir('rdb-back');
      try {
        // 1. Real Redis writes every type and encoding, plus a key that is expired in the file.
        const real = await startReal(realDir, [...NO_PERSIST, '--rdbcompression', compression]);
        const rc = await real.client();
        await populateRealDataset(rc);
        await cmd(rc, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0');
        await cmd(rc, 'SET', 'ttl:gone', 'soon', 'PX', '30');
        await new Promise((r) => setTimeout(r, 80));
        expect(str(await cmd(rc, 'SAVE'))).toBe('OK');
        rc.close();
        await real.kill();
        fs.copyFileSync(path.join(realDir, 'dump.rdb'), path.join(ourDir, 'dump.rdb'));

        // 2. The same file loaded by real Redis and by ours.
        const real2 = await startReal(realDir, [...NO_PERSIST, '--rdbcompression', compression]);
        const ours = await startOurs(ourDir, [...NO_PERSIST, '--rdbcompression', compression]);
        const expected = await readDataset(await real2.client());
        const got = await readDataset(await ours.client());
        expect(withoutDumps(got)).toEqual(withoutDumps(expected));
        expect(expectSameDumps(got, expected)).toBeGreaterThan(20);
        expect(keysLoadedLine(ours.log())).toBe(keysLoadedLine(real2.log()));
        expect(keysLoadedLine(ours.log())).toMatch(/keys expired: 1\.$/);
        expect(logMessages(ours.log())).toContain('Loading RDB produced by version 7.0.15');
        await real2.kill();

        // 3. Ours saves; real redis-check-rdb accepts the file and real Redis loads it.
        const oc = await ours.client();
        expect(str(await cmd(oc, 'SAVE'))).toBe('OK');
        oc.close();
        await ours.kill();
        const ourFile = path.join(ourDir, 'dump.rdb');
        if (CHECK_RDB) {
          const chk = spawnSync(CHECK_RDB, [ourFile], { encoding: 'latin1' });
          expect(chk.status, chk.stdout).toBe(0);
          expect(chk.stdout).toContain('\\o/ RDB looks OK! \\o/');
          expect(chk.stdout).toContain('Checksum OK');
        }
        fs.copyFileSync(ourFile, path.join(backDir, 'dump.rdb'));
        const real3 = await startReal(backDir, [...NO_PERSIST, '--rdbcompression', compression]);
        const back = await readDataset(await real3.client());
        expect(withoutDumps(back)).toEqual(withoutDumps(expected));
        expectSameDumps(back, expected);
        await real3.kill();
      } finally {
        for (const d of [realDir, ourDir, backDir]) fs.rmSync(d, { recursive: true, force: true });
      }
    });
  }

  it('encoding thresholds are applied on load like Redis (small configs convert to big encodings)', async () => {
    const realDir = tmpDir('rdb-thr-real');
    const ourDir = tmpDir('rdb-thr-ours');
    try {
      const real = await startReal(realDir, NO_PERSIST);
      const rc = await real.client();
      await populateRealDataset(rc);
      await cmd(rc, 'SAVE');
      rc.close();
      await real.kill();
      fs.copyFileSync(path.join(realDir, 'dump.rdb'), path.join(ourDir, 'dump.rdb'));
      const small = ['--hash-max-listpack-entries', '2', '--zset-max-listpack-entries', '3', '--set-max-intset-entries', '4',
        '--hash-max-listpack-value', '5', '--zset-max-listpack-value', '6'];
      const real2 = await startReal(realDir, [...NO_PERSIST, ...small]);
      const ours = await startOurs(ourDir, [...NO_PERSIST, ...small]);
      const expected = await readDataset(await real2.client());
      const got = await readDataset(await ours.client());
      expect(withoutDumps(got)).toEqual(withoutDumps(expected));
      await real2.kill();
      await ours.kill();
    } finally {
      for (const d of [realDir, ourDir]) fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('the same commands on both servers give files each other loads to the same dataset', async () => {
    const dirs = [tmpDir('cross-real'), tmpDir('cross-ours'), tmpDir('cross-r2'), tmpDir('cross-o2')];
    try {
      const real = await startReal(dirs[0], NO_PERSIST);
      const ours = await startOurs(dirs[1], NO_PERSIST);
      const script: string[][] = [
        ['SET', 'a', '1'], ['SET', 'b', 'text'], ['INCRBY', 'a', '100000'], ['APPEND', 'b', '-more'], ['SET', 'e', 'v', 'PXAT', '4102444800123'],
        ['SADD', 'si', '5', '3', '1'], ['SADD', 'ss', 'x', 'y'], ['SADD', 'sb', ...Array.from({ length: 700 }, (_, i) => String(i * 7))],
        ['SREM', 'sb', '7'], ['SINTERSTORE', 'sx', 'si', 'si'],
        ['ZADD', 'zs', '1', 'a', '2', 'b', '0.5', 'c'], ['ZINCRBY', 'zs', '10', 'a'],
        ['ZADD', 'zb', ...Array.from({ length: 300 }, (_, i) => [String(i % 17), `member-${i}`]).flat()], ['ZREM', 'zb', 'member-3'],
        ['SELECT', '9'], ['SADD', 'in9', 'q'], ['SELECT', '0'],
      ];
      for (const r of [real, ours]) {
        const c = await r.client();
        for (const step of script) await cmd(c, ...step);
        expect(str(await cmd(c, 'SAVE'))).toBe('OK');
        c.close();
        await r.kill();
      }
      fs.copyFileSync(path.join(dirs[0], 'dump.rdb'), path.join(dirs[3], 'dump.rdb'));
      fs.copyFileSync(path.join(dirs[1], 'dump.rdb'), path.join(dirs[2], 'dump.rdb'));
      const realFromOurs = await startReal(dirs[2], NO_PERSIST);
      const oursFromReal = await startOurs(dirs[3], NO_PERSIST);
      const a = await readDataset(await realFromOurs.client());
      const b = await readDataset(await oursFromReal.client());
      expect(withoutDumps(b)).toEqual(withoutDumps(a));
      expect(expectSameDumps(b, a)).toBeGreaterThan(5);
      await realFromOurs.kill();
      await oursFromReal.kill();
    } finally {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
