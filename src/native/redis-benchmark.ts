/**
 * `npm run redis-benchmark -- [options] [command args...]`: the engine's redis-benchmark on
 * real TCP and the real clock.
 *
 * Output is byte strings (latin1 Buffers on the way out); argv, which Node has decoded from
 * UTF-8, is re-encoded on the way in. The process leaves only once stdout and stderr have
 * flushed, so a report piped into another program is never cut short.
 */
import { NativeOs } from './os';
import { redisBenchmarkMain } from '../engine/tools/redis-benchmark/main';
import { utf8ToStr } from '../engine/bytes';
import { nativeStdin } from './stdin';

const toBytes = (s: string) => Buffer.from(s, 'latin1');

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
}

const os = new NativeOs({
  processName: 'redis-benchmark',
  stdout: (t) => { process.stdout.write(toBytes(t)); },
  stderr: (t) => { process.stderr.write(toBytes(t)); },
});

const env: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = utf8ToStr(v);

redisBenchmarkMain({ os, argv: ['redis-benchmark', ...process.argv.slice(2).map(utf8ToStr)], env, io: nativeStdin() }).catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
