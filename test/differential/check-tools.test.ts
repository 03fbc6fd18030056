/**
 * redis-check-aof and redis-check-rdb against the real tools: the same files (good, torn,
 * corrupted, wrong signature/version, manifests, RDB preambles, MULTI oddities, timestamps),
 * the same arguments and answers on stdin; stdout, exit code and the files afterwards
 * (--fix truncates) must be identical.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { findBinary, haveTools, REAL_REDIS } from '../support/real-redis';
import { NativeOs } from '../../src/native/os';
import { redisCheckAofMain } from '../../src/engine/tools/redis-check-aof';
import { redisCheckRdbMain } from '../../src/engine/tools/redis-check-rdb';
import type { ProgramMain } from '../../src/engine/programs/program';
import { cmd, startReal, tmpDir } from '../support/persistence';
import { populateRealDataset } from '../support/dataset';

const REAL_AOF = findBinary('redis-check-aof');
const REAL_RDB = findBinary('redis-check-rdb');

interface Outcome { out: string; code: number | null; files: Record<string, string> }

function snapshotFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('md5').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Log lines printed by the tools carry a pid and a time. */
function normalise(s: string): string {
  return s.replace(/^\d+:C \d+ \w+ \d+ [\d:.]+ #/gm, 'PID:C DATE #');
}

function runReal(bin: string, name: string, cwd: string, args: string[], input: string): Outcome {
  const r = spawnSync(bin, args, { cwd, argv0: name, input: Buffer.from(input, 'latin1'), encoding: 'latin1' });
  return { out: normalise(r.stdout + r.stderr), code: r.status, files: snapshotFiles(cwd) };
}

async function runOurs(main: ProgramMain, name: string, cwd: string, args: string[], input: string): Promise<Outcome> {
  let out = '';
  let code: number | null = null;
  const os = new NativeOs({ cwd, syntheticPid: true, onExit: (c) => { if (code === null) code = c; }, stdout: (t) => { out += t; }, stderr: (t) => { out += t; } });
  let fed = false;
  await main({ os, argv: [name, ...args], env: {}, io: { isTty: false, readChunk: async () => { if (fed || input === '') return null; fed = true; return input; } } });
  return { out: normalise(out), code, files: snapshotFiles(cwd) };
}

let cases = '';

async function buildCases(): Promise<void> {
  cases = tmpDir('check-cases');
  const w = (name: string, data: string | Uint8Array) => {
    fs.mkdirSync(path.dirname(path.join(cases, name)), { recursive: true });
    fs.writeFileSync(path.join(cases, name), typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  };
  // A real dump.rdb and a real multi-part AOF.
  const dir = tmpDir('check-src');
  const real = await startReal(dir, ['--save', '', '--appendonly', 'yes']);
  const c = await real.client();
  await populateRealDataset(c);
  await cmd(c, 'SAVE');
  await cmd(c, 'BGREWRITEAOF');
  await new Promise((r) => setTimeout(r, 1500));
  for (const s of [['SET', 'x', '1'], ['INCR', 'x'], ['SET', 'y', 'yy']]) await cmd(c, ...s);
  c.close();
  await real.kill();
  const rdb = fs.readFileSync(path.join(dir, 'dump.rdb'));
  w('dump.rdb', rdb);
  // Cut inside the trailing CRC: where the cut falls does not depend on the dataset's layout
  // (used-mem's digits, the real server's key order). Cuts at every length and byte flips
  // are compared in check-rdb-damage.test.ts.
  w('trunc.rdb', rdb.subarray(0, rdb.length - 4));
  w('tiny.rdb', rdb.subarray(0, 5));
  const crc = Buffer.from(rdb); crc[crc.length - 3] ^= 0xff; w('crc.rdb', crc);
  const nocrc = Buffer.from(rdb); nocrc.fill(0, nocrc.length - 8); w('nocrc.rdb', nocrc);
  w('v11.rdb', 'REDIS0011\xff');
  w('sig.rdb', 'XEDIS0010\xff');
  const badtype = Buffer.from(rdb); badtype[rdb.indexOf(0xfe) + 5] = 8; w('badtype.rdb', badtype);
  const lp = Buffer.from(rdb); const at = lp.indexOf(Buffer.from('hash:small')); lp[at + 12] ^= 0x40; w('lp.rdb', lp);
  const aofdir = path.join(dir, 'appendonlydir');
  for (const f of fs.readdirSync(aofdir)) w(`multi/${f}`, fs.readFileSync(path.join(aofdir, f)));
  const incr = fs.readdirSync(aofdir).find((f) => f.endsWith('.incr.aof'))!;
  for (const f of fs.readdirSync(aofdir)) w(`torn/${f}`, fs.readFileSync(path.join(aofdir, f)));
  const tornIncr = fs.readFileSync(path.join(aofdir, incr));
  w(`torn/${incr}`, tornIncr.subarray(0, tornIncr.length - 4));
  w('badman/appendonly.aof.manifest', 'file a seq 1 type x\n');
  w('emptyman/appendonly.aof.manifest', '# just a comment\nfile\n');
  w('nobase/appendonly.aof.manifest', 'file missing.rdb seq 1 type b\n');
  w('ok.aof', '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
  w('multi.aof', '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\nb\r\n');
  w('multi2.aof', '*1\r\n$5\r\nMULTI\r\n*1\r\n$5\r\nMULTI\r\n');
  w('exec.aof', '*1\r\n$4\r\nEXEC\r\n');
  w('garbage.aof', '*1\r\n$4\r\nPING\r\nGARBAGE\r\n');
  w('badlen.aof', '*1\r\n$4x\r\nPING\r\n');
  w('badcrlf.aof', '*1\r\n$4\r\nPINGXX');
  w('eofnum.aof', '*2\r\n$6\r\nSELECT\r\n$1');
  w('negative.aof', '*1\r\n$-5\r\nPING\r\n');
  w('empty.aof', '');
  w('ts.aof', '#TS:1000\r\n*1\r\n$4\r\nPING\r\n#TS:2000\r\n*1\r\n$4\r\nPING\r\n');
  w('badts.aof', '#TS:12a\r\n*1\r\n$4\r\nPING\r\n');
  w('preamble.aof', Buffer.concat([rdb, Buffer.from('*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET', 'latin1')]));
  w('badpreamble.aof', Buffer.concat([rdb.subarray(0, 200)]));
  fs.rmSync(dir, { recursive: true, force: true });
}

async function compare(kind: 'aof' | 'rdb', args: string[], input = ''): Promise<void> {
  const realDir = tmpDir('check-real');
  const ourDir = tmpDir('check-ours');
  try {
    fs.cpSync(cases, realDir, { recursive: true });
    fs.cpSync(cases, ourDir, { recursive: true });
    const real = runReal(kind === 'aof' ? REAL_AOF! : REAL_RDB!, `redis-check-${kind}`, realDir, args, input);
    const ours = await runOurs(kind === 'aof' ? redisCheckAofMain : redisCheckRdbMain, `redis-check-${kind}`, ourDir, args, input);
    expect(ours).toEqual(real);
  } finally {
    fs.rmSync(realDir, { recursive: true, force: true });
    fs.rmSync(ourDir, { recursive: true, force: true });
  }
}

describe.skipIf(!haveTools(REAL_REDIS, REAL_AOF, REAL_RDB))('redis-check-aof / redis-check-rdb (differential)', () => {
  beforeAll(buildCases, 60_000);
  afterAll(() => { if (cases) fs.rmSync(cases, { recursive: true, force: true }); });

  for (const f of ['dump.rdb', 'trunc.rdb', 'tiny.rdb', 'crc.rdb', 'nocrc.rdb', 'v11.rdb', 'sig.rdb', 'badtype.rdb', 'lp.rdb', 'missing.rdb']) {
    it(`redis-check-rdb ${f}`, () => compare('rdb', [f]));
  }
  it('redis-check-rdb usage and version', async () => {
    await compare('rdb', []);
    await compare('rdb', ['a', 'b']);
    await compare('rdb', ['-v']);
  });

  const aofCases: [string[], string][] = [
    [['multi/appendonly.aof.manifest'], ''], [['torn/appendonly.aof.manifest'], ''],
    [['--fix', 'torn/appendonly.aof.manifest'], 'y'], [['--fix', 'torn/appendonly.aof.manifest'], 'n'], [['--fix', 'torn/appendonly.aof.manifest'], ''],
    [['badman/appendonly.aof.manifest'], ''], [['emptyman/appendonly.aof.manifest'], ''], [['nobase/appendonly.aof.manifest'], ''],
    [['ok.aof'], ''], [['multi.aof'], ''], [['--fix', 'multi.aof'], 'Y'], [['multi2.aof'], ''], [['exec.aof'], ''], [['garbage.aof'], ''],
    [['--fix', 'garbage.aof'], 'y'], [['badlen.aof'], ''], [['badcrlf.aof'], ''], [['eofnum.aof'], ''], [['negative.aof'], ''],
    [['empty.aof'], ''], [['ts.aof'], ''], [['--truncate-to-timestamp', '1500', 'ts.aof'], ''], [['--truncate-to-timestamp', '500', 'ts.aof'], ''],
    [['--truncate-to-timestamp', '5000', 'ts.aof'], ''], [['--truncate-to-timestamp', 'x', 'ts.aof'], ''], [['--truncate-to-timestamp', '1', 'badts.aof'], ''],
    [['preamble.aof'], ''], [['--fix', 'preamble.aof'], 'y'], [['badpreamble.aof'], ''], [['dump.rdb'], ''], [['missing.aof'], ''],
    [[], ''], [['--fix'], ''], [['a', 'b', 'c', 'd'], ''], [['--bogus', 'x'], ''],
  ];
  for (const [args, input] of aofCases) {
    it(`redis-check-aof ${args.join(' ')}${input ? ` <<< ${input}` : ''}`, () => compare('aof', args, input));
  }
});
