/**
 * Sentinels on the native host for interop and differential tests: real `redis-sentinel`
 * processes (Debian's 7.0.15) and our engine's sentinel running in-process on a NativeOs, each
 * with its own sentinel.conf in a temporary directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NativeOs } from '../../src/native/os';
import { redisServerMain } from '../../src/engine/programs/redis-server';
import type { RedisServer } from '../../src/engine/server/server';
import { findBinary } from './real-redis';
import { freePort } from './ports';
import { RawClient } from './raw-client';

export const REAL_SENTINEL = findBinary('redis-sentinel');

export interface SentinelProc {
  kind: 'real' | 'ours';
  port: number;
  dir: string;
  confPath: string;
  /** Our engine's server (ours only). */
  server?: RedisServer;
  /** The OS process (real only). */
  pid?: number;
  log(): string;
  conf(): string;
  client(): Promise<RawClient>;
  /** Stop the process (SIGKILL for a real one); the directory stays until `cleanup`. */
  stop(): Promise<void>;
  cleanup(): void;
}

async function waitFor(what: string, cond: () => boolean, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function writeConf(dir: string, port: number, lines: string[]): string {
  const confPath = path.join(dir, 'sentinel.conf');
  fs.writeFileSync(confPath, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, ...lines].join('\n') + '\n');
  return confPath;
}

/** A real redis-sentinel with `lines` (sentinel monitor ...) in its config file. */
export async function startRealSentinel(lines: string[], opts: { port?: number; dir?: string } = {}): Promise<SentinelProc> {
  const port = opts.port ?? await freePort();
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'halab-rsent-'));
  const confPath = opts.dir ? path.join(dir, 'sentinel.conf') : writeConf(dir, port, lines);
  let out = '';
  const proc: ChildProcess = spawn(REAL_SENTINEL!, [confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  await waitFor('real sentinel start', () => out.includes('Sentinel ID is') || proc.exitCode !== null, 10_000, () => out);
  if (proc.exitCode !== null) throw new Error(`real redis-sentinel exited:\n${out}`);
  return {
    kind: 'real', port, dir, confPath, pid: proc.pid,
    log: () => out,
    conf: () => fs.readFileSync(confPath, 'utf8'),
    client: () => RawClient.connect(port),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await new Promise((r) => proc.once('exit', r));
      }
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Our sentinel, in this process, on real sockets. */
export async function startOurSentinel(lines: string[], opts: { port?: number; dir?: string } = {}): Promise<SentinelProc> {
  const port = opts.port ?? await freePort();
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'halab-osent-'));
  const confPath = opts.dir ? path.join(dir, 'sentinel.conf') : writeConf(dir, port, lines);
  const out: string[] = [];
  let exited = false;
  const nos = new NativeOs({
    cwd: dir, syntheticPid: true,
    onExit: () => { exited = true; },
    stdout: (t) => out.push(t), stderr: (t) => out.push(t),
  });
  const proc = await redisServerMain(nos, ['redis-sentinel', confPath]);
  if (!proc) throw new Error(`our sentinel did not start:\n${out.join('')}`);
  return {
    kind: 'ours', port, dir, confPath, server: proc.server,
    log: () => out.join(''),
    conf: () => fs.readFileSync(confPath, 'utf8'),
    client: () => RawClient.connect(port),
    stop: async () => {
      if (!exited) proc.server.shutdown({ nosave: true, now: true });
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Send one command and return its reply (value and bytes). */
export async function ask(c: RawClient, ...argv: string[]) {
  c.write(`*${argv.length}\r\n` + argv.map((x) => `$${Buffer.byteLength(x, 'latin1')}\r\n${x}\r\n`).join(''));
  return c.reply(10_000);
}

/** Poll until `cond` holds (wall clock). */
export async function until(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ServerProc {
  kind: 'real' | 'ours';
  port: number;
  dir: string;
  server?: RedisServer;
  log(): string;
  client(): Promise<RawClient>;
  /** Kill it (SIGKILL for a real one, an immediate exit for ours): a crash, the data dir stays. */
  kill(): Promise<void>;
}

const SERVER_ARGS = (port: number, dir: string) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];

/** A real redis-server on a given port and directory (so it can be restarted there). */
export async function startRealServerAt(port: number, dir: string, args: string[] = []): Promise<ServerProc> {
  fs.mkdirSync(dir, { recursive: true });
  let out = '';
  const proc = spawn(findBinary('redis-server')!, [...SERVER_ARGS(port, dir), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  await waitFor('real redis-server start', () => out.includes('Ready to accept connections') || proc.exitCode !== null, 10_000, () => out);
  return {
    kind: 'real', port, dir, log: () => out,
    client: () => RawClient.connect(port),
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await new Promise((r) => proc.once('exit', r));
      }
    },
  };
}

/** Our redis-server, in this process, on a given port and directory. */
export async function startOurServerAt(port: number, dir: string, args: string[] = []): Promise<ServerProc> {
  fs.mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  let exited = false;
  const nos = new NativeOs({ cwd: dir, syntheticPid: true, onExit: () => { exited = true; }, stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
  const proc = await redisServerMain(nos, ['redis-server', ...SERVER_ARGS(port, dir), ...args]);
  if (!proc) throw new Error(`our redis-server did not start:\n${out.join('')}`);
  return {
    kind: 'ours', port, dir, server: proc.server, log: () => out.join(''),
    client: () => RawClient.connect(port),
    kill: async () => { if (!exited) proc.server.terminate(0); },
  };
}
