/**
 * While Redis loads (here an RDB at start-up, slowed by key-load-delay), its event loop runs
 * inside the load (processEventsWhileBlocked): clients are served, but serverCron does not run,
 * only whileBlockedCron. So the clients cron does not close an idle client however long the
 * load takes (`timeout 1`): it answers after 2.2 s of idling, still LOADING. Before, ours ran
 * the whole serverCron while loading and closed it. Ours vs real redis-server 7.0.15, side by
 * side on the native host.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { haveRealRedis, REAL_REDIS, startRealRedis } from '../support/real-redis';
import { freePort } from '../support/ports';
import { RawClient } from '../support/raw-client';
import { NativeOs } from '../../src/native/os';
import { redisServerMain } from '../../src/engine/programs/redis-server';

const KEYS = 200;
const DELAY_US = 14_000; // 2.8 s of loading
const ARGS = (port: number, dir: string) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
  '--timeout', '1', '--key-load-delay', String(DELAY_US), '--loading-process-events-interval-bytes', '1024'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Observed { first: string; afterIdle: string; closed: boolean }

async function idleWhileLoading(port: number): Promise<Observed> {
  let c: RawClient | null = null;
  const deadline = Date.now() + 10_000;
  while (!c) {
    try { c = await RawClient.connect(port); } catch { if (Date.now() > deadline) throw new Error('no listener'); await sleep(5); }
  }
  const first = (await c.call('INFO', 'persistence')).includes('loading:1\r\n') ? 'loading' : 'not loading';
  await sleep(2200);
  let afterIdle = 'closed';
  try {
    afterIdle = (await c.call('INFO', 'persistence')).includes('loading:1\r\n') ? 'loading' : 'not loading';
  } catch { /* closed by the server */ }
  const closed = c.closed;
  c.close();
  return { first, afterIdle, closed };
}

(haveRealRedis() ? describe : describe.skip)('serverCron does not run while loading (ours vs real)', () => {
  let rdb: Uint8Array;
  const dirs: string[] = [];
  beforeAll(async () => {
    const src = await startRealRedis();
    const c = await src.client();
    // Uncompressed 100-byte values: a 1 KB events interval is 8 keys, so clients are served
    // every ~110 ms.
    await c.command(['DEBUG', 'POPULATE', String(KEYS), 'key', '100']);
    await c.command(['CONFIG', 'SET', 'rdbcompression', 'no']);
    await c.command(['SAVE']);
    c.close();
    rdb = fs.readFileSync(path.join(src.dir, 'dump.rdb'));
    await src.stop();
  });
  afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  const copyDir = (tag: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `halab-loadcron-${tag}-`));
    fs.writeFileSync(path.join(dir, 'dump.rdb'), rdb);
    dirs.push(dir);
    return dir;
  };

  it('an idle client is not timed out during a long load', async () => {
    const realPort = await freePort();
    const realProc = spawn(REAL_REDIS!, ARGS(realPort, copyDir('real')), { stdio: 'ignore' });
    let real: Observed;
    try { real = await idleWhileLoading(realPort); } finally { realProc.kill('SIGKILL'); }
    // One after the other: ours runs in this process, and its key-load-delay sleeps block it.
    const ourPort = await freePort();
    const nos = new NativeOs({ cwd: copyDir('ours'), syntheticPid: true, onExit: () => undefined, stdout: () => undefined, stderr: () => undefined });
    const started = redisServerMain(nos, ['redis-server', ...ARGS(ourPort, nos.fs.cwd())]);
    let ours: Observed;
    try { ours = await idleWhileLoading(ourPort); } finally {
      const proc = await started;
      proc?.server.terminate(0);
    }
    expect(real).toEqual({ first: 'loading', afterIdle: 'loading', closed: false });
    expect(ours).toEqual(real);
  }, 30_000);
});
