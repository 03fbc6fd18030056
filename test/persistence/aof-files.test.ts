/**
 * Multi-part AOF directories both ways between real Redis 7.0.15 and the engine: real AOF
 * dirs (RDB or RESP base, before and after BGREWRITEAOF) load in ours with the same data;
 * dirs we write pass the real redis-check-aof and load in real Redis with the same data.
 * Start-up cases (fresh AOF, old single-file AOF, the empty-AOF trap, torn tails, corrupt
 * files) produce the same files, log lines and datasets on both.
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { findBinary, haveRealRedis } from '../support/real-redis';
import {
  cmd, logMessages, readDataset, startOurs, startReal, str, tmpDir, waitFor, withoutDumps, type OurRunning, type Running,
} from '../support/persistence';
import { populateRealDataset } from '../support/dataset';
import { persistenceOf } from '../../src/engine/persistence/state';
import type { RawClient } from '../support/raw-client';
import { encodeCommand } from '../../src/engine/resp/reply-parser';

const CHECK_AOF = findBinary('redis-check-aof');
const AOF_ON = ['--save', '', '--appendonly', 'yes'];

async function realRewriteDone(c: RawClient, rewrites: number): Promise<void> {
  await waitFor(async () => {
    const info = str(await cmd(c, 'INFO', 'persistence'));
    return info.includes('aof_rewrite_in_progress:0') && info.includes('aof_rewrite_scheduled:0') && info.includes(`aof_rewrites:${rewrites}\r`);
  }, 15000, 'real rewrite');
}

async function ourRewriteDone(o: OurRunning, rewrites: number): Promise<void> {
  const st = persistenceOf(o.server!);
  await waitFor(() => st.child === null && !st.aofRewriteScheduled && st.statAofRewrites === rewrites, 15000, 'our rewrite');
}

async function payloadFrom(real: RawClient, argv: string[]): Promise<string> {
  await real.call('DEL', argv[1]);
  await real.call(...argv);
  real.write(encodeCommand(['DUMP', argv[1]]));
  const r = await real.reply();
  await real.call('DEL', argv[1]);
  return r.value.type === 'bulk' ? r.value.value : '';
}

/** Writes of every family, replayed from the incr file by the other server. */
async function laterWrites(c: RawClient, payloads: string[]): Promise<void> {
  const steps: string[][] = [
    ['SET', 'after:1', 'one'], ['INCR', 'after:counter'], ['INCRBY', 'after:counter', '41'], ['APPEND', 'after:1', '-more'],
    ['SET', 'after:ttl', 'v', 'EX', '100000'], ['EXPIRE', 'str:embstr', '200000'], ['DEL', 'str:raw'],
    ['SELECT', '3'], ['SET', 'db3:k', 'v'], ['MSET', 'db3:a', '1', 'db3:b', '2'], ['RENAME', 'db3:a', 'db3:renamed'],
    ['SELECT', '0'], ['INCRBYFLOAT', 'after:float', '1.5'], ['GETDEL', 'str:neg'], ['SETRANGE', 'after:range', '5', 'xyz'],
    ['SADD', 'after:set', '1', '2', 'x'], ['SREM', 'after:set', '2'], ['SMOVE', 'after:set', 'after:set2', 'x'],
    ['ZADD', 'after:zset', '1', 'a', '2', 'b'], ['ZINCRBY', 'after:zset', '2.5', 'a'], ['ZREM', 'after:zset', 'b'],
    ['SPOP', 'after:set2'], ['RPUSH', 'after:list', 'a', 'b', 'c'], ['LPOP', 'after:list'], ['LSET', 'after:list', '0', 'B'],
    ['HSET', 'after:hash', 'f', 'v', 'g', 'w'], ['HINCRBY', 'after:hash', 'n', '5'], ['HDEL', 'after:hash', 'g'],
  ];
  for (const [i, p] of payloads.entries()) steps.push(['RESTORE', `after:restored${i}`, '0', p]);
  for (const s of steps) {
    const r = await cmd(c, ...s);
    if (r.type === 'error') throw new Error(`${s[0]}: ${r.value}`);
  }
}

function listDir(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

function manifest(dir: string): string {
  return fs.readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');
}

async function withDirs(n: number, body: (...dirs: string[]) => Promise<void>): Promise<void> {
  const dirs = Array.from({ length: n }, (_, i) => tmpDir(`aof${i}`));
  const running: (Running | OurRunning)[] = [];
  try {
    await body(...dirs);
  } finally {
    for (const r of running) await r.kill();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

const PAYLOAD_SOURCES = [
  ['HSET', 'src', 'f', 'v', 'n', '12'], ['SADD', 'src', '3', '1', '2'], ['ZADD', 'src', '1.5', 'a', '2', 'b'], ['RPUSH', 'src', 'x', 'y'],
];

describe.skipIf(!haveRealRedis())('AOF directories between real Redis and the engine', () => {
  for (const preamble of ['yes', 'no']) {
    it(`a real AOF dir (aof-use-rdb-preamble ${preamble}, after BGREWRITEAOF) loads in ours`, () => withDirs(2, async (realDir, ourDir) => {
      const real = await startReal(realDir, [...AOF_ON, '--aof-use-rdb-preamble', preamble]);
      const rc = await real.client();
      const payloads: string[] = [];
      for (const src of PAYLOAD_SOURCES) payloads.push(await payloadFrom(rc, src));
      await populateRealDataset(rc);
      expect(str(await cmd(rc, 'BGREWRITEAOF'))).toBe('Background append only file rewriting started');
      await realRewriteDone(rc, 1);
      await laterWrites(rc, payloads);
      rc.close();
      await real.kill(); // kill -9: the page cache (here: the files) keeps every write
      fs.cpSync(path.join(realDir, 'appendonlydir'), path.join(ourDir, 'appendonlydir'), { recursive: true });

      const real2 = await startReal(realDir, AOF_ON);
      const ours = await startOurs(ourDir, AOF_ON);
      expect(ours.exited(), ours.log()).toBe(false);
      const expected = await readDataset(await real2.client());
      const got = await readDataset(await ours.client());
      expect(withoutDumps(got)).toEqual(withoutDumps(expected));
      const interesting = (log: string) => logMessages(log).filter((l) => /^(Reading RDB|RDB is base|Done loading|Opening AOF)/.test(l));
      expect(interesting(ours.log())).toEqual(interesting(real2.log()));
      await real2.kill();
      await ours.kill();
    }));

    it(`an AOF dir written by ours (aof-use-rdb-preamble ${preamble}) passes redis-check-aof and loads in real Redis`, () => withDirs(3, async (ourDir, realDir, scratch) => {
      const helper = await startReal(scratch, ['--save', '', '--appendonly', 'no']);
      const hc = await helper.client();
      const payloads: string[] = [];
      for (const src of PAYLOAD_SOURCES) payloads.push(await payloadFrom(hc, src));
      hc.close();
      await helper.kill();

      const ours = await startOurs(ourDir, [...AOF_ON, '--aof-use-rdb-preamble', preamble]);
      const oc = await ours.client();
      for (const [i, p] of payloads.entries()) await cmd(oc, 'RESTORE', `before:${i}`, '0', p);
      await cmd(oc, 'SET', 'str:embstr', 'hello'); await cmd(oc, 'SET', 'str:raw', 'r'.repeat(60)); await cmd(oc, 'SET', 'str:neg', '-7');
      await cmd(oc, 'SET', 'ttl:x', 'v', 'PX', '900000000');
      await cmd(oc, 'SADD', 'set:many', ...Array.from({ length: 150 }, (_, i) => `member-${i}`));
      await cmd(oc, 'ZADD', 'zset:big', ...Array.from({ length: 150 }, (_, i) => [String(i / 3), `m${i}`]).flat());
      expect(str(await cmd(oc, 'BGREWRITEAOF'))).toBe('Background append only file rewriting started');
      await ourRewriteDone(ours, 1);
      await laterWrites(oc, payloads);
      const expected = await readDataset(oc);
      oc.close();
      await ours.kill();
      expect(listDir(path.join(ourDir, 'appendonlydir'))).toEqual([
        `appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'}`, 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
      expect(manifest(ourDir)).toBe(`file appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'} seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n`);
      if (CHECK_AOF) {
        const chk = spawnSync(CHECK_AOF, [path.join(ourDir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'latin1' });
        expect(chk.status, chk.stdout).toBe(0);
        expect(chk.stdout).toContain('All AOF files and manifest are valid');
      }
      fs.cpSync(path.join(ourDir, 'appendonlydir'), path.join(realDir, 'appendonlydir'), { recursive: true });
      const real = await startReal(realDir, AOF_ON);
      const got = await readDataset(await real.client());
      expect(withoutDumps(got)).toEqual(withoutDumps(expected));
      await real.kill();
    }));
  }

  it('PUBLISH reaches replicas only: the incr file is the same as real Redis writes (no PUBLISH)', () => withDirs(2, async (realDir, ourDir) => {
    const real = await startReal(realDir, AOF_ON);
    const ours = await startOurs(ourDir, AOF_ON);
    for (const r of [real, ours]) {
      const c = await r.client();
      for (const s of [['PUBLISH', 'news', 'hello'], ['SET', 'k', 'v'], ['PUBLISH', 'news', 'bye']]) await cmd(c, ...s);
      c.close();
    }
    const incr = (d: string) => fs.readFileSync(path.join(d, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'latin1');
    await waitFor(() => incr(realDir).includes('SET') && incr(ourDir).includes('SET'));
    expect(incr(ourDir)).toBe(incr(realDir));
    expect(incr(ourDir)).not.toContain('PUBLISH');
    await real.kill();
    await ours.kill();
  }));

  it('a fresh start with appendonly yes creates the same files, and the empty-AOF trap empties dump.rdb on both', () => withDirs(3, async (realDir, ourDir, seed) => {
    const s = await startReal(seed, ['--save', '', '--appendonly', 'no']);
    const sc = await s.client();
    await cmd(sc, 'SET', 'precious', 'data');
    await cmd(sc, 'SAVE');
    sc.close();
    await s.kill();
    for (const d of [realDir, ourDir]) fs.copyFileSync(path.join(seed, 'dump.rdb'), path.join(d, 'dump.rdb'));
    // Lab A9, the wrong way: appendonly yes with only a dump.rdb.
    const real = await startReal(realDir, ['--appendonly', 'yes']);
    const ours = await startOurs(ourDir, ['--appendonly', 'yes']);
    for (const d of [realDir, ourDir]) {
      expect(listDir(path.join(d, 'appendonlydir'))).toEqual(['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
      expect(manifest(d)).toBe('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    }
    const created = (log: string) => logMessages(log).filter((l) => l.startsWith('Creating AOF'));
    expect(created(ours.log())).toEqual(created(real.log()));
    expect(created(ours.log())).toEqual(['Creating AOF base file appendonly.aof.1.base.rdb on server start', 'Creating AOF incr file appendonly.aof.1.incr.aof on server start']);
    const rc = await real.client();
    const oc = await ours.client();
    expect(await cmd(oc, 'DBSIZE')).toEqual(await cmd(rc, 'DBSIZE'));
    expect(await cmd(oc, 'DBSIZE')).toEqual({ type: 'int', value: 0n });
    // The shutdown save (default save points) now overwrites the good dump.rdb.
    ours.os.signal('SIGTERM');
    await waitFor(() => ours.exited(), 5000, 'our shutdown');
    rc.close();
    spawnSync('redis-cli', ['-p', String(real.port), 'shutdown']);
    await waitFor(() => real.exited(), 5000, 'real shutdown');
    const tail = (log: string) => logMessages(log).filter((l) => /^(User requested|Calling fsync|Saving the final|DB saved|Redis is now ready)/.test(l));
    expect(tail(ours.log())).toEqual(tail(real.log()));
    if (CHECK_AOF) {
      for (const d of [realDir, ourDir]) {
        const chk = spawnSync(findBinary('redis-check-rdb')!, [path.join(d, 'dump.rdb')], { encoding: 'latin1' });
        expect(chk.stdout).toContain('[info] 0 keys read');
      }
    }
  }));

  it('CONFIG SET appendonly yes writes the AOF from memory (lab A9, the right way)', () => withDirs(2, async (realDir, ourDir) => {
    const real = await startReal(realDir, ['--save', '', '--appendonly', 'no']);
    const ours = await startOurs(ourDir, ['--save', '', '--appendonly', 'no']);
    for (const r of [real, ours]) {
      const c = await r.client();
      await cmd(c, 'SET', 'k1', 'v1'); await cmd(c, 'SET', 'k2', 'v2', 'EX', '1000');
      expect(str(await cmd(c, 'CONFIG', 'SET', 'appendonly', 'yes'))).toBe('OK');
      c.close();
    }
    await realRewriteDone(await real.client(), 1);
    await ourRewriteDone(ours, 1);
    for (const r of [real, ours]) {
      const c = await r.client();
      await cmd(c, 'SET', 'k3', 'after');
      c.close();
    }
    expect(listDir(path.join(ourDir, 'appendonlydir'))).toEqual(listDir(path.join(realDir, 'appendonlydir')));
    expect(manifest(ourDir)).toBe(manifest(realDir));
    const steps = (log: string) => logMessages(log).filter((l) => /temporary|temp-|Background|history/.test(l))
      .map((l) => l.replace(/\d+/g, 'N'));
    expect(steps(ours.log())).toEqual(steps(real.log()));
    const incr = (d: string) => fs.readFileSync(path.join(d, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'latin1');
    expect(incr(ourDir)).toBe(incr(realDir));
    await real.kill();
    await ours.kill();
  }));

  for (const preamble of [false, true]) {
    it(`an old single-file appendonly.aof${preamble ? ' with an RDB preamble' : ''} is migrated into the AOF directory`, () => withDirs(3, async (realDir, ourDir, seed) => {
      let old: Buffer = Buffer.from('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$3\r\nold\r\n$5\r\nstyle\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n', 'latin1');
      if (preamble) {
        const s = await startReal(seed, ['--save', '', '--appendonly', 'no']);
        const sc = await s.client();
        await cmd(sc, 'SET', 'from:rdb', 'x');
        await cmd(sc, 'HSET', 'h', 'f', 'v');
        await cmd(sc, 'SAVE');
        sc.close();
        await s.kill();
        old = Buffer.concat([fs.readFileSync(path.join(seed, 'dump.rdb')), old]);
      }
      for (const d of [realDir, ourDir]) fs.writeFileSync(path.join(d, 'appendonly.aof'), old);
      const real = await startReal(realDir, AOF_ON);
      const ours = await startOurs(ourDir, AOF_ON);
      const mig = (log: string) => logMessages(log).filter((l) => /migrated|loaded from|AOF incr file|Reading|Done loading/.test(l)).map((l) => l.replace(/[\d.]+ seconds/, 'S seconds'));
      expect(mig(ours.log())).toEqual(mig(real.log()));
      expect(mig(real.log()).length).toBeGreaterThan(2);
      expect(listDir(path.join(ourDir, 'appendonlydir'))).toEqual(listDir(path.join(realDir, 'appendonlydir')));
      expect(manifest(ourDir)).toBe(manifest(realDir));
      expect(withoutDumps(await readDataset(await ours.client()))).toEqual(withoutDumps(await readDataset(await real.client())));
      await real.kill();
      await ours.kill();
    }));
  }

  it('aof-disable-auto-gc yes keeps history files in the manifest until it is turned off', () => withDirs(2, async (realDir, ourDir) => {
    const real = await startReal(realDir, [...AOF_ON, '--aof-disable-auto-gc', 'yes']);
    const ours = await startOurs(ourDir, [...AOF_ON, '--aof-disable-auto-gc', 'yes']);
    const rc = await real.client();
    const oc = await ours.client();
    for (let round = 1; round <= 2; round++) {
      for (const c of [rc, oc]) { await cmd(c, 'SET', `k${round}`, 'v'); await cmd(c, 'BGREWRITEAOF'); }
      await realRewriteDone(rc, round);
      await ourRewriteDone(ours, round);
    }
    expect(manifest(ourDir)).toBe(manifest(realDir));
    expect(manifest(ourDir)).toContain(' type h\n');
    expect(listDir(path.join(ourDir, 'appendonlydir'))).toEqual(listDir(path.join(realDir, 'appendonlydir')));
    for (const c of [rc, oc]) expect(str(await cmd(c, 'CONFIG', 'SET', 'aof-disable-auto-gc', 'no'))).toBe('OK');
    expect(manifest(ourDir)).toBe(manifest(realDir));
    expect(manifest(ourDir)).not.toContain(' type h');
    expect(listDir(path.join(ourDir, 'appendonlydir'))).toEqual(listDir(path.join(realDir, 'appendonlydir')));
    rc.close(); oc.close();
    await real.kill();
    await ours.kill();
  }));
});

/** A real AOF dir with a few commands in the incr file, for the damage tests. */
async function realAofDir(dir: string): Promise<void> {
  const real = await startReal(dir, AOF_ON);
  const c = await real.client();
  for (const s of [['SET', 'a', '1'], ['SET', 'b', '2'], ['INCR', 'a'], ['SET', 'c', 'three']]) await cmd(c, ...s);
  c.close();
  await real.kill();
}

function incrPath(dir: string): string { return path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'); }

async function loadBoth(realDir: string, ourDir: string, args: string[]): Promise<{ real: Running; ours: OurRunning }> {
  const real = await startReal(realDir, args);
  const ours = await startOurs(ourDir, args);
  return { real, ours };
}

const LOAD_LINES = /^(!!!|AOF .* loaded anyway|Unexpected end|Bad file format|Unknown command|Revert incomplete|Fatal error|DB loaded from (incr|base))/;

describe.skipIf(!haveRealRedis())('damaged AOF files at start-up: same verdict, same log lines, same data', () => {
  const cases: { name: string; damage: (dir: string) => void; args: string[] }[] = [
    { name: 'torn last command, aof-load-truncated yes', args: [], damage: (d) => { const p = incrPath(d); fs.truncateSync(p, fs.statSync(p).size - 5); } },
    { name: 'torn last command, aof-load-truncated no', args: ['--aof-load-truncated', 'no'], damage: (d) => { const p = incrPath(d); fs.truncateSync(p, fs.statSync(p).size - 5); } },
    { name: 'unfinished MULTI at the end', args: [], damage: (d) => fs.appendFileSync(incrPath(d), '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$1\r\nz\r\n', 'latin1') },
    { name: 'a complete MULTI/EXEC block', args: [], damage: (d) => fs.appendFileSync(incrPath(d), '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$1\r\nz\r\n*1\r\n$4\r\nEXEC\r\n', 'latin1') },
    { name: 'garbage in the middle', args: [], damage: (d) => { const p = incrPath(d); const t = fs.readFileSync(p, 'latin1'); fs.writeFileSync(p, t.slice(0, 40) + 'XX' + t.slice(40), 'latin1'); } },
    { name: 'unknown command', args: [], damage: (d) => fs.appendFileSync(incrPath(d), '*2\r\n$7\r\nNOSUCHC\r\n$1\r\nx\r\n', 'latin1') },
    {
      name: 'torn file that is not the last one', args: [], damage: (d) => {
        const p = incrPath(d);
        fs.truncateSync(p, fs.statSync(p).size - 5);
        fs.writeFileSync(path.join(d, 'appendonlydir', 'appendonly.aof.2.incr.aof'), '*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$1\r\nq\r\n', 'latin1');
        fs.appendFileSync(path.join(d, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.2.incr.aof seq 2 type i\n');
      },
    },
    { name: 'bad manifest', args: [], damage: (d) => fs.writeFileSync(path.join(d, 'appendonlydir', 'appendonly.aof.manifest'), 'file x seq 1 type z\n') },
  ];
  for (const tc of cases) {
    it(tc.name, () => withDirs(2, async (realDir, ourDir) => {
      await realAofDir(realDir);
      tc.damage(realDir);
      fs.cpSync(path.join(realDir, 'appendonlydir'), path.join(ourDir, 'appendonlydir'), { recursive: true });
      const { real, ours } = await loadBoth(realDir, ourDir, [...AOF_ON, ...tc.args]);
      const lines = (log: string) => logMessages(log).filter((l) => LOAD_LINES.test(l) || l.includes('MANIFEST') || l.includes('>>>') || l.includes('line'))
        .map((l) => l.replace(/[\d.]+ seconds/, 'S seconds'));
      expect(lines(ours.log())).toEqual(lines(real.log()));
      expect(lines(real.log()).length).toBeGreaterThan(0);
      expect(ours.exited()).toBe(real.exited());
      if (real.exited()) {
        expect(ours.exitCode()).toBe(real.exitCode());
      } else {
        expect(withoutDumps(await readDataset(await ours.client()))).toEqual(withoutDumps(await readDataset(await real.client())));
        expect(fs.statSync(incrPath(ourDir)).size).toBe(fs.statSync(incrPath(realDir)).size);
      }
      await real.kill();
      await ours.kill();
    }));
  }
});
