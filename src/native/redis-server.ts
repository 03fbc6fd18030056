/**
 * `npm run redis-server -- [config-file] [--name value ...]`: the engine as a real
 * Redis-compatible server on Node (real TCP, real files, real timers).
 */
import { NativeOs } from './os';
import { redisServerMain } from '../engine/programs/redis-server';
import type { ProgramIo } from '../engine/programs/program';

const os = new NativeOs({ processName: 'redis-server' });

/** Standard input as byte-string chunks (for `redis-server -`). */
const stdinChunks: (string | null)[] = [];
let stdinWaiter: (() => void) | null = null;
let stdinStarted = false;
const io: ProgramIo = {
  isTty: !!process.stdout.isTTY,
  async readChunk() {
    if (!stdinStarted) {
      stdinStarted = true;
      process.stdin.on('data', (b: Buffer) => { stdinChunks.push(b.toString('latin1')); stdinWaiter?.(); });
      process.stdin.on('end', () => { stdinChunks.push(null); stdinWaiter?.(); });
    }
    while (stdinChunks.length === 0) await new Promise<void>((r) => { stdinWaiter = r; });
    stdinWaiter = null;
    return stdinChunks.shift()!;
  },
};

// argv[0]: this program's path without its .ts (what `ps` and INFO executable show, as the
// binary's path does for redis-server).
redisServerMain(os, [process.argv[1].replace(/\.ts$/, ''), ...process.argv.slice(2)], io).catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
