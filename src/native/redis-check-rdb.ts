/** `npm run redis-check-rdb -- <file.rdb>` on Node. */
import { NativeOs } from './os';
import { redisCheckRdbMain } from '../engine/tools/redis-check-rdb';
import { nativeStdin } from './stdin';

const os = new NativeOs({ processName: 'redis-check-rdb' });
redisCheckRdbMain({ os, argv: ['redis-check-rdb', ...process.argv.slice(2)], env: {}, io: nativeStdin() }).catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
