/**
 * `npm run redis-sentinel -- sentinel.conf [--name value ...]`: the engine as a real Redis
 * Sentinel on Node (real TCP, real files, real timers). Same program as redis-server, started
 * under the name redis-sentinel, which selects Sentinel mode like checkForSentinelMode().
 */
import { NativeOs } from './os';
import { redisServerMain } from '../engine/programs/redis-server';
import { NO_INPUT } from '../engine/programs/program';

const os = new NativeOs({ processName: 'redis-sentinel' });

redisServerMain(os, ['redis-sentinel', ...process.argv.slice(2)], { ...NO_INPUT, isTty: !!process.stdout.isTTY }).catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
