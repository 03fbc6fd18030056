/**
 * `npm run redis-server -- [config-file] [--name value ...]`: the engine as a real
 * Redis-compatible server on Node (real TCP, real files, real timers).
 */
import { NativeOs } from './os';
import { redisServerMain } from '../engine/programs/redis-server';

const os = new NativeOs({ processName: 'redis-server' });
redisServerMain(os, ['redis-server', ...process.argv.slice(2)]).catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
