/**
 * Running redis-cli for differential tests: the real one (Debian's /usr/bin/redis-cli), ours
 * in-process (redisCliMain on a NativeOs with captured output: fast), and ours through the
 * real Node entry point (src/native/redis-cli.ts in a child process: proves the host glue).
 * All three give stdout/stderr as byte strings (latin1) and the exit code.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runInProcess } from './in-process';
import { redisCliMain } from '../../src/engine/tools/redis-cli/main';
import type { LineEditing } from '../../src/engine/programs/program';
import { REAL_REDIS_CLI } from './real-redis';

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface CliRunOptions {
  /** Standard input (byte string); default empty. */
  stdin?: string;
  /** Extra environment (HOME is always a scratch directory; TERM=dumb). */
  env?: Record<string, string>;
  /** Kill/stop after this long (for modes that never end). */
  timeoutMs?: number;
  /** Run the real one through `stdbuf -o0` (modes killed by timeout never flush stdio). */
  unbuffered?: boolean;
  /** Called once the program runs (e.g. to publish messages to a subscribed redis-cli). */
  during?: () => Promise<void>;
}

const scratchHome = fs.mkdtempSync(path.join(os.tmpdir(), 'halab-cli-home-'));

function baseEnv(extra: Record<string, string> | undefined): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratchHome, TERM: 'dumb', ...extra };
}

const TSX_LOADER = path.resolve('node_modules/tsx/dist/loader.mjs');
const NATIVE_ENTRY = path.resolve('src/native/redis-cli.ts');

function spawnAndCollect(cmd: string, args: string[], opts: CliRunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: baseEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.stdin.end(Buffer.from(opts.stdin ?? '', 'latin1'));
    let timer: NodeJS.Timeout | null = null;
    if (opts.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), code: code ?? -1 });
    });
    if (opts.during) void opts.during();
  });
}

export function runRealCli(args: string[], opts: CliRunOptions = {}): Promise<CliResult> {
  if (opts.unbuffered) return spawnAndCollect('stdbuf', ['-o0', REAL_REDIS_CLI!, ...args], opts);
  return spawnAndCollect(REAL_REDIS_CLI!, args, opts);
}

export function runOurCliSpawned(args: string[], opts: CliRunOptions = {}): Promise<CliResult> {
  return spawnAndCollect(process.execPath, ['--import', TSX_LOADER, NATIVE_ENTRY, ...args], opts);
}

/** A terminal for in-process runs: scripted lines for readLine, and what it was asked. */
export interface FakeTerminal {
  lines: string[];
  prompts: string[];
  editing: LineEditing[];
  /** When set, the hint for this text is asked at every prompt and kept in `hints`. */
  hintProbe?: string;
  hints?: (string | null)[];
}

export function runOurCli(args: string[], opts: CliRunOptions & { terminal?: FakeTerminal; tty?: boolean } = {}): Promise<CliResult> {
  const terminal = opts.terminal;
  return runInProcess(redisCliMain, ['redis-cli', ...args], {
    stdin: opts.stdin,
    env: baseEnv(opts.env),
    timeoutMs: opts.timeoutMs,
    during: opts.during,
    io: {
      isTty: !!opts.tty || !!terminal,
      readLine: terminal ? async (prompt, editing) => {
        terminal.prompts.push(prompt);
        if (editing) terminal.editing.push(editing);
        if (terminal.hintProbe !== undefined) (terminal.hints ??= []).push(editing?.hint?.(terminal.hintProbe) ?? null);
        return terminal.lines.length ? terminal.lines.shift()! : null;
      } : undefined,
    },
  });
}
