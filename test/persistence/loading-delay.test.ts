/**
 * The hidden debug configs that slow a load down, ours vs real redis-server 7.0.15 on the
 * native host: key-load-delay (a pause after each key) and
 * loading-process-events-interval-bytes (how often clients are served while loading). Both
 * servers start on a copy of the same dump.rdb; while they load, PING gets the same -LOADING
 * reply and INFO says loading:1, and the load takes about keys x delay.
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

const KEYS = 300;
const DELAY_US = 2000;
const ARGS = (port: number, dir: string) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
  '--key-load-delay', String(DELAY_US), '--loading-process-events-interval-bytes', '1024'];

interface Observed { loadingReply: string; loadingInfo: boolean; loadMs: number; dbsize: string }

/** Connect as soon as the port answers, then PING until the load is over. */
async function watchLoad(port: number): Promise<Observed> {
  let c: RawClient | null = null;
  const deadline = Date.now() + 10_000;
  while (!c) {
    try { c = await RawClient.connect(port); } catch { if (Date.now() > deadline) throw new Error('no listener'); await new Promise((r) => setTimeout(r, 5)); }
  }
  const start = Date.now();
  let loadingReply = '';
  let loadingInfo = false;
  for (;;) {
    const ping = await c.call('PING');
    if (ping === '+PONG\r\n') break;
    loadingReply = ping;
    if ((await c.call('INFO', 'persistence')).includes('loading:1\r\n')) loadingInfo = true;
    if (Date.now() - start > 10_000) throw new Error(`still loading: ${ping}`);
  }
  const loadMs = Date.now() - start;
  const dbsize = await c.call('DBSIZE');
  c.close();
  return { loadingReply, loadingInfo, loadMs, dbsize };
}

(haveRealRedis() ? describe : describe.skip)('key-load-delay and loading-process-events-interval-bytes, ours vs real', () => {
  let rdb: Uint8Array;
  const dirs: string[] = [];
  beforeAll(async () => {
    const src = await startRealRedis();
    const c = await src.client();
    await c.command(['DEBUG', 'POPULATE', String(KEYS)]);
    await c.command(['SAVE']);
    c.close();
    rdb = fs.readFileSync(path.join(src.dir, 'dump.rdb'));
    await src.stop();
  });
  afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  const copyDir = (tag: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `halab-load-${tag}-`));
    fs.writeFileSync(path.join(dir, 'dump.rdb'), rdb);
    dirs.push(dir);
    return dir;
  };

  it('both stay LOADING for about keys x delay, answering -LOADING and INFO meanwhile', async () => {
    const realPort = await freePort();
    const realProc = spawn(REAL_REDIS!, ARGS(realPort, copyDir('real')), { stdio: 'ignore' });
    let real: Observed;
    try { real = await watchLoad(realPort); } finally { realProc.kill('SIGKILL'); }

    const ourPort = await freePort();
    const nos = new NativeOs({ cwd: copyDir('ours'), syntheticPid: true, onExit: () => undefined, stdout: () => undefined, stderr: () => undefined });
    const started = redisServerMain(nos, ['redis-server', ...ARGS(ourPort, nos.fs.cwd())]);
    const ours = await watchLoad(ourPort);
    const proc = await started;
    proc?.server.terminate(0);

    expect(real.loadingReply).toBe('-LOADING Redis is loading the dataset in memory\r\n');
    expect(ours.loadingReply).toBe(real.loadingReply);
    expect(real.loadingInfo).toBe(true);
    expect(ours.loadingInfo).toBe(true);
    expect(ours.dbsize).toBe(real.dbsize);
    const expectedMs = (KEYS * DELAY_US) / 1000;
    for (const o of [real, ours]) {
      expect(o.loadMs).toBeGreaterThan(expectedMs * 0.7);
      expect(o.loadMs).toBeLessThan(expectedMs * 4);
    }
  });
});
