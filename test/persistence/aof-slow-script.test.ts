/**
 * A script read from the AOF that runs past lua-time-limit: Redis logs "Slow script detected"
 * and, from inside the script (scriptInterrupt → processEventsWhileBlocked), keeps serving
 * clients, who get -LOADING until the load is over (integration/aof "EVAL timeout with slow
 * verbatim Lua script from AOF"). Ours ran such a script to its end without serving anyone (a
 * script from the AOF client could not be suspended). Ours (in this process) vs real
 * redis-server 7.0.15, each loading the same EVAL with DEBUG LOADAOF.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { haveRealRedis, REAL_REDIS, startServerProcess, type RealRedis } from '../support/real-redis';
import { startOurRedis, type OurRedis } from '../support/our-server';
import type { RawClient } from '../support/raw-client';
import { encodeCommand } from '../../src/engine/resp/reply-parser';

const suite = haveRealRedis() && process.platform === 'linux' ? describe : describe.skip;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ARGS = ['--appendonly', 'yes', '--lua-time-limit', '1', '--aof-use-rdb-preamble', 'no'];
const SCRIPT = "redis.call('set',KEYS[1],'y'); for i=1,200000 do redis.call('ping') end return 'ok'";

const servers: (RealRedis | OurRedis)[] = [];
const clients: RawClient[] = [];
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.stop()));
});

async function scenario(s: RealRedis | OurRedis, log: () => string) {
  servers.push(s);
  const connect = async () => { const c = await s.client(); clients.push(c); return c; };
  const r = await connect();
  // The incr file the server writes to: the EVAL goes at its end, verbatim.
  const manifest = fs.readFileSync(path.join(s.dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');
  const incr = /file (\S+) seq \d+ type i/.exec(manifest)![1];
  fs.appendFileSync(path.join(s.dir, 'appendonlydir', incr), encodeCommand(['SELECT', '9']) + encodeCommand(['EVAL', SCRIPT, '1', 'x']), 'latin1');
  const loader = await connect();
  const startMs = Date.now();
  loader.write(encodeCommand(['DEBUG', 'LOADAOF']));
  const replies: string[] = [];
  const loaded = loader.reply(30_000).then((x) => x.bytes);
  let loadMs = 0;
  void loaded.then(() => { loadMs = Date.now() - startMs; });
  let loadingReplies = 0;
  while (loadMs === 0) {
    const reply = await r.call('PING');
    if (reply.startsWith('-LOADING')) loadingReplies++;
    if (replies[replies.length - 1] !== reply) replies.push(reply);
    await sleep(2);
  }
  const loadReply = await loaded;
  await cmdText(r, 'SELECT', '9');
  return {
    replies: replies.filter((x) => x.startsWith('-')), loadReply,
    // Served from inside the script again and again, not only once it is over.
    servedOften: loadingReplies >= 3, x: await cmdText(r, 'GET', 'x'), slowLogged: /Slow script detected: still in execution after \d+ milliseconds/.test(log()),
  };
}

async function cmdText(c: RawClient, ...argv: string[]): Promise<string> {
  return c.call(...argv);
}

suite('a slow script from the AOF serves clients -LOADING (ours vs real)', () => {
  it('PING gets -LOADING while the script runs; the load then ends with the key set', async () => {
    const realServer = await startServerProcess([REAL_REDIS!], ARGS);
    const real = await scenario(realServer, () => realServer.output());
    const ourServer = await startOurRedis(ARGS);
    const ours = await scenario(ourServer, () => ourServer.log.join(''));
    expect(real).toEqual({ replies: ['-LOADING Redis is loading the dataset in memory\r\n'], loadReply: '+OK\r\n', servedOften: true, x: '$1\r\ny\r\n', slowLogged: true });
    expect(ours).toEqual(real);
  }, 60_000);
});
