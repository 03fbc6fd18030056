/** `npm run redis-check-aof -- [--fix|--truncate-to-timestamp ts] <file.manifest|file.aof>` on Node. */
import { NativeOs } from './os';
import { redisCheckAofMain } from '../engine/tools/redis-check-aof';
import { nativeStdin } from './stdin';

const os = new NativeOs({ processName: 'redis-check-aof' });
redisCheckAofMain({ os, argv: ['redis-check-aof', ...process.argv.slice(2)], env: {}, io: nativeStdin() }).catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
