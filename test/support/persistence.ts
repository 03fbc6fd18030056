/**
 * Helpers for persistence tests: run servers (real and ours) on a directory we control, read
 * back a whole dataset through commands (TYPE, OBJECT ENCODING, PEXPIRETIME, DUMP) and
 * compare datasets independently of hash-table iteration order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NativeOs } from '../../src/native/os';
import { redisServerMain } from '../../src/engine/programs/redis-server';
import type { RedisServer } from '../../src/engine/server/server';
import { REAL_REDIS } from './real-redis';
import { freePort } from './ports';
import { RawClient } from './raw-client';
import { RdbReader, readObject, DEFAULT_LIMITS } from '../../src/engine/persistence/rdb/decoder';
import type { RespValue } from '../../src/engine/resp/reply-parser';

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `halab-${prefix}-`));
}

export interface Running {
  port: number;
  log: () => string;
  client(): Promise<RawClient>;
  /** Stop without saving (SIGKILL for the real server, terminate for ours). */
  kill(): Promise<void>;
  exited: () => boolean;
  exitCode: () => number | null;
}

const BASE_ARGS = ['--bind', '127.0.0.1', '--enable-debug-command', 'yes'];

/** Start real redis-server on `dir`; resolves once ready or once it exited. */
export async function startReal(dir: string, args: string[] = []): Promise<Running> {
  const port = await freePort();
  const proc: ChildProcess = spawn(REAL_REDIS!, ['--port', String(port), ...BASE_ARGS, '--dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d.toString('latin1'); });
  proc.stderr!.on('data', (d) => { out += d.toString('latin1'); });
  const deadline = Date.now() + 15000;
  while (!out.includes('Ready to accept connections') && proc.exitCode === null) {
    if (Date.now() > deadline) throw new Error(`real redis-server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port,
    log: () => out,
    client: () => RawClient.connect(port),
    exited: () => proc.exitCode !== null,
    exitCode: () => proc.exitCode,
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await new Promise((r) => proc.once('exit', r));
      }
    },
  };
}

export interface OurRunning extends Running { server: RedisServer | null; os: NativeOs }

/** Start our engine natively in-process on `dir`. */
export async function startOurs(dir: string, args: string[] = []): Promise<OurRunning> {
  const port = await freePort();
  const lines: string[] = [];
  let code: number | null = null;
  const nos = new NativeOs({
    cwd: dir, syntheticPid: true,
    onExit: (c) => { code = c; },
    stdout: (t) => lines.push(t), stderr: (t) => lines.push(t),
  });
  const proc = await redisServerMain(nos, ['redis-server', '--port', String(port), ...BASE_ARGS, '--dir', dir, ...args]);
  return {
    port, server: proc?.server ?? null, os: nos,
    log: () => lines.join(''),
    client: () => RawClient.connect(port),
    exited: () => code !== null,
    exitCode: () => code,
    kill: async () => {
      if (code === null && proc) proc.server.terminate(0);
    },
  };
}

/** Run a command and return the parsed reply. */
export async function cmd(c: RawClient, ...argv: string[]): Promise<RespValue> {
  c.write(`*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`);
  return (await c.reply()).value;
}

export function str(v: RespValue): string {
  if (v.type === 'bulk' || v.type === 'status' || v.type === 'verbatim') return v.value;
  if (v.type === 'int') return String(v.value);
  if (v.type === 'error') throw new Error(`error reply: ${v.value}`);
  return JSON.stringify(v);
}

/** A value decoded from a DUMP payload, in an order-independent form. */
export function canonicalFromDump(payload: string): unknown {
  const b = Uint8Array.from(payload, (ch) => ch.charCodeAt(0));
  const r = new RdbReader(b.subarray(0, b.length - 10));
  const type = r.byte();
  const v = readObject(r, type, { limits: DEFAULT_LIMITS, deep: true, checkMode: false });
  if (typeof v === 'string') return { string: v };
  if (typeof v !== 'object' || v === null || !('type' in v)) return { other: String(v) };
  switch (v.type) {
    case 'list': return { list: v.toArray() };
    case 'set': return { set: [...v.set].sort() };
    case 'hash': return { hash: [...v.map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) };
    case 'zset': return { zset: [...v.zsl].map((n) => [n.member, Object.is(n.score, -0) ? '-0' : String(n.score)]) };
  }
}

export interface KeyInfo { type: string; encoding: string; expireAt: string; value: unknown; dump: string }

/** Every key of every non-empty database: db → key → info. */
export async function readDataset(c: RawClient, dbs = 16): Promise<Record<string, Record<string, KeyInfo>>> {
  const out: Record<string, Record<string, KeyInfo>> = {};
  for (let db = 0; db < dbs; db++) {
    await cmd(c, 'SELECT', String(db));
    const keys = await cmd(c, 'KEYS', '*');
    if (keys.type !== 'array' || keys.value.length === 0) continue;
    const entries: Record<string, KeyInfo> = {};
    for (const k of keys.value.map((x) => str(x)).sort()) {
      const dump = str(await cmd(c, 'DUMP', k));
      entries[k] = {
        type: str(await cmd(c, 'TYPE', k)),
        encoding: str(await cmd(c, 'OBJECT', 'ENCODING', k)),
        expireAt: str(await cmd(c, 'PEXPIRETIME', k)),
        value: canonicalFromDump(dump),
        dump,
      };
    }
    out[String(db)] = entries;
  }
  await cmd(c, 'SELECT', '0');
  return out;
}

/** The dataset without the DUMP bytes (for order-independent comparison). */
export function withoutDumps(d: Record<string, Record<string, KeyInfo>>): Record<string, Record<string, Omit<KeyInfo, 'dump'>>> {
  const out: Record<string, Record<string, Omit<KeyInfo, 'dump'>>> = {};
  for (const [db, keys] of Object.entries(d)) {
    out[db] = {};
    for (const [k, { dump: _dump, ...rest }] of Object.entries(keys)) out[db][k] = rest;
  }
  return out;
}

/** Wait until `cond` holds (polling), or fail after `ms`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Log lines with the "pid:R date time" prefix removed. */
export function logMessages(log: string): string[] {
  return log.split('\n').map((l) => l.replace(/^\d+:[MSCX] \d+ \w+ \d+ [\d:.]+ [.*#-] /, '')).filter((l) => l.length > 0);
}
