/**
 * Run a server program to completion (or until it is ready) and capture what it printed:
 * real redis-server as a child process, ours in-process through redisServerMain on a NativeOs.
 * Log lines are normalised (pid, role kept, timestamp removed) so outputs can be compared.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NativeOs } from '../../src/native/os';
import { redisServerMain, type ServerProcess } from '../../src/engine/programs/redis-server';
import { REAL_REDIS } from './real-redis';

export interface RunOutput { code: number | null; stdout: string; stderr: string }

/** "1234:M 21 Nov 2026 23:30:51.387 # msg" → "P:M # msg"; signal-handler lines lose pid and time. */
export function normaliseLog(text: string, pids: number[] = []): string {
  let t = text
    .replace(/^\d+:([CMSX]) \d{2} [A-Za-z]{3} \d{4} [\d:.]+ /gm, 'P:$1 ')
    .replace(/^\d+:signal-handler \(\d+\) /gm, 'P:signal-handler ');
  for (const pid of pids) t = t.split(`pid=${pid}`).join('pid=PID').split(`PID: ${pid}`).join('PID: PID');
  return t;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Real redis-server with `args` in `cwd`; killed with SIGTERM once `readyText` shows (if given). */
export function runReal(args: string[], cwd: string, opts: { readyText?: string; readyFile?: string; stdin?: string; timeoutMs?: number } = {}): Promise<RunOutput & { pid: number }> {
  return new Promise((resolve) => {
    const p = spawn(REAL_REDIS!, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    let killed = false;
    p.stdout.on('data', (d) => {
      stdout += d;
      if (opts.readyText && !opts.readyFile && !killed && stdout.includes(opts.readyText)) { killed = true; p.kill('SIGTERM'); }
    });
    if (opts.readyFile) {
      const poll = setInterval(() => {
        let text = '';
        try { text = fs.readFileSync(opts.readyFile!, 'latin1'); } catch { /* not yet */ }
        if (!killed && text.includes(opts.readyText ?? '')) { killed = true; clearInterval(poll); p.kill('SIGTERM'); }
      }, 20);
      p.on('exit', () => clearInterval(poll));
    }
    p.stderr.on('data', (d) => { stderr += d; });
    if (opts.stdin !== undefined) p.stdin.end(opts.stdin); else p.stdin.end();
    const t = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 5000);
    p.on('close', (code) => { clearTimeout(t); resolve({ code, stdout, stderr, pid: p.pid! }); });
  });
}

/**
 * Ours in-process. When the program starts a server, it gets a SIGTERM once started (or, with
 * `stopWith: 'none'`, runs until something else makes it exit, at most 10 s).
 */
export async function runOurs(args: string[], cwd: string, opts: { stdin?: string; isTty?: boolean; stopWith?: 'SIGTERM' | 'none' } = {}): Promise<RunOutput & { pid: number; proc: ServerProcess | null }> {
  let stdout = '', stderr = '';
  let code: number | null = null;
  let exited!: () => void;
  const done = new Promise<void>((r) => { exited = r; });
  const nos = new NativeOs({
    cwd, syntheticPid: true,
    onExit: (c) => { code = c; exited(); },
    stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; },
  });
  let fed = false;
  const proc = await redisServerMain(nos, ['redis-server', ...args], {
    isTty: !!opts.isTty,
    readChunk: async () => { if (fed || opts.stdin === undefined) return null; fed = true; return opts.stdin; },
  });
  if (proc) {
    if (opts.stopWith !== 'none') nos.signal('SIGTERM');
    await Promise.race([done, new Promise((r) => setTimeout(r, opts.stopWith === 'none' ? 10000 : 3000))]);
  }
  return { code, stdout, stderr, pid: nos.pid, proc };
}
