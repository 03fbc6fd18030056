/**
 * Real Redis 7.0.15 (Debian's redis-server) as the oracle for differential tests.
 *
 * When the binary is missing the differential suites are skipped locally, but fail under
 * CI=true: CI installs it, so a missing oracle there is a broken CI, not a reason to pass.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './ports';
import { RawClient } from './raw-client';

export function findBinary(name: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return p ? p : null;
}

export const REAL_REDIS = findBinary('redis-server');
export const REAL_REDIS_CLI = findBinary('redis-cli');

/**
 * Whether the given real tools are installed. Locally a missing tool skips the suite; under
 * CI=true it throws, because CI installs them and a missing oracle must fail, not skip.
 */
export function haveTools(...paths: (string | null)[]): boolean {
  if (paths.every((p) => p)) return true;
  if (process.env.CI === 'true') throw new Error('real Redis tools are not installed but CI=true: differential tests must run in CI');
  return false;
}

/** Throws under CI when the oracle is missing; returns false (skip) locally. */
export function haveRealRedis(): boolean {
  return haveTools(REAL_REDIS);
}

export interface RealRedis {
  port: number;
  dir: string;
  proc: ChildProcess;
  /** What it printed so far (its log, without a logfile). */
  output(): string;
  stop(): Promise<void>;
  client(): Promise<RawClient>;
}

export async function startRealRedis(args: string[] = []): Promise<RealRedis> {
  return startServerProcess([REAL_REDIS!], args);
}

/** Our native redis-server as its own process, for startServerProcess. */
export const OUR_SERVER_COMMAND = ['node', '--import', path.resolve('node_modules/tsx/dist/loader.mjs'), path.resolve('src/native/redis-server.ts')];

/**
 * A redis-server as its own process: `command` is the real binary, or node running our native
 * host (for what only a separate process shows: its pid, its children, signals from outside).
 */
export async function startServerProcess(command: string[], args: string[] = []): Promise<RealRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'halab-real-'));
  const proc = spawn(command[0], [...command.slice(1), '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--enable-debug-command', 'yes', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  const deadline = Date.now() + 20000;
  while (!out.includes('Ready to accept connections')) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`${command.join(' ')} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port, dir, proc,
    output: () => out,
    client: () => RawClient.connect(port),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await new Promise((r) => proc.once('exit', r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
