/**
 * The native programs bundled by scripts/build-native.ts (what `npm run redis-tests` runs for
 * its hundreds of server starts): the bundle builds from the current sources, the server starts
 * from it and serves, the bundled redis-cli reaches it over the unix socket, SIGTERM ends it.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildNative, PROGRAMS } from '../../scripts/build-native';
import { freePort } from '../support/ports';

describe('native bundle (dist/native)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'halab-bundle-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds every program; the bundled server starts, serves redis-cli -s, and exits on SIGTERM', async () => {
    const out = await buildNative(path.join(dir, 'dist'));
    for (const p of PROGRAMS) expect(fs.existsSync(path.join(out, `${p}.mjs`))).toBe(true);
    const port = await freePort();
    const sock = path.join(dir, 'redis.sock');
    const server = spawn(process.execPath, [path.join(out, 'redis-server.mjs'), '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--unixsocket', sock], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    server.stdout!.on('data', (d) => { log += d; });
    server.stderr!.on('data', (d) => { log += d; });
    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 15000;
      while (!log.includes(`ready to accept connections at ${sock}`)) {
        if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the bundled server did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const cli = spawnSync(process.execPath, [path.join(out, 'redis-cli.mjs'), '-s', sock, 'ping'], { encoding: 'utf8' });
      expect({ code: cli.status, stdout: cli.stdout }).toEqual({ code: 0, stdout: 'PONG\n' });
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(log).toContain('Redis is now ready to exit, bye bye...');
  });
});
