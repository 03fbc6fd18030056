/** Our engine as a native server inside the test process, on a real loopback port. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NativeOs } from '../../src/native/os';
import { redisServerMain } from '../../src/engine/programs/redis-server';
import type { RedisServer } from '../../src/engine/server/server';
import { freePort } from './ports';
import { RawClient } from './raw-client';

export interface OurRedis {
  port: number;
  dir: string;
  server: RedisServer;
  os: NativeOs;
  log: string[];
  stop(): Promise<void>;
  client(): Promise<RawClient>;
}

export async function startOurRedis(args: string[] = []): Promise<OurRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'halab-ours-'));
  const log: string[] = [];
  let exited = false;
  const nos = new NativeOs({
    cwd: dir, syntheticPid: true,
    onExit: () => { exited = true; },
    stdout: (t) => log.push(t), stderr: (t) => log.push(t),
  });
  const proc = await redisServerMain(nos, ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--enable-debug-command', 'yes', ...args]);
  if (!proc) throw new Error(`our server did not start:\n${log.join('')}`);
  return {
    port, dir, server: proc.server, os: nos, log,
    client: () => RawClient.connect(port),
    stop: async () => {
      if (!exited) proc.server.terminate(0);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
