/**
 * While a script is busy Redis runs no serverCron; the tick that fell due runs as soon as the
 * script returns. So an AOF rewrite child started just before a busy script is reaped right
 * after it, and SHUTDOWN NOSAVE during the next busy script exits instead of refusing with
 * "Writing initial AOF, can't exit." (Redis's unit/scripting "SHUTDOWN NOSAVE can kill a
 * timedout script anyway", after "Timedout scripts and unblocked command").
 */
import { describe, it, expect } from 'vitest';
import { haveRealRedis, startRealRedis } from '../support/real-redis';
import { startOurRedis } from '../support/our-server';
import { RawClient } from '../support/raw-client';
import { encodeCommand } from '../../src/engine/resp/reply-parser';
import { closedAfterAll } from '../replication/helpers';

const suite = haveRealRedis() ? describe : describe.skip;
const { stops, clients } = closedAfterAll();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function shutdownAfterBusyScripts(kind: 'real' | 'ours'): Promise<string[]> {
  const s = kind === 'real' ? await startRealRedis() : await startOurRedis();
  stops.push(() => s.stop());
  const [a, b] = [await s.client(), await s.client()];
  clients.push(a, b);
  const out: string[] = [];
  out.push(await a.call('CONFIG', 'SET', 'busy-reply-threshold', '10'));
  out.push(await a.call('CONFIG', 'SET', 'appendonly', 'yes'));
  // A busy script of 300 ms starts before any cron tick could reap the rewrite child.
  out.push(await b.call('EVAL', "local t = redis.call('time') local s = t[1] * 1000000 + t[2] while true do t = redis.call('time') if t[1] * 1000000 + t[2] - s > 300000 then break end end return 1", '0'));
  // At once a script that writes and never ends: SCRIPT KILL cannot end it, SHUTDOWN NOSAVE can.
  b.write(encodeCommand(['EVAL', "redis.call('set', KEYS[1], 'y') while true do end", '1', 'x']));
  await sleep(200);
  out.push((await a.call('PING')).slice(0, 5));
  a.write(encodeCommand(['SHUTDOWN', 'NOSAVE']));
  await sleep(500);
  out.push(await RawClient.connect(s.port).then(async (c) => { clients.push(c); return `still up: ${(await c.call('PING')).slice(0, 5)}`; }, (e) => `gone: ${e.code}`));
  return out;
}

suite('a cron tick that fell due during a busy script (vs real redis-server)', () => {
  it('runs once the script returns, so SHUTDOWN NOSAVE can end a later busy script', async () => {
    const real = await shutdownAfterBusyScripts('real');
    expect(real).toEqual(['+OK\r\n', '+OK\r\n', ':1\r\n', '-BUSY', 'gone: ECONNREFUSED']);
    expect(await shutdownAfterBusyScripts('ours')).toEqual(real);
  }, 30_000);
});
