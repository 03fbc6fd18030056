/**
 * The Lua debugger (SCRIPT DEBUG YES|SYNC, then EVAL) against real redis-server 7.0.15: every
 * debugger command's reply bytes (the multi-bulk of log lines), the final "<endsession>" and
 * EVAL reply, and what each mode does to the dataset and to other clients (a forked session
 * discards its writes and the server keeps serving; a SYNC one keeps them and holds the server).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { haveRealRedis, startRealRedis, type RealRedis } from '../support/real-redis';
import { startOurRedis, type OurRedis } from '../support/our-server';
import { encodeCommand } from '../../src/engine/resp/reply-parser';

const suite = haveRealRedis() ? describe : describe.skip;

/** A step: a command and how many replies it gets (2 for the last: "<endsession>" and the EVAL's). */
type Step = [string[], number?];

const SCRIPT = [
  'local a = 1',
  'local b = {1,2,"x",{y=true}}',
  'redis.call("set","k",a)',
  'redis.debug(a,b)',
  'for i=1,2 do',
  '  a = a + i',
  'end',
  'local function f(x)',
  '  return x * 2',
  'end',
  'a = f(a)',
  'redis.breakpoint()',
  'redis.pcall("nosuchcmd")',
  'return redis.call("get","k")',
].join('\n');

async function session(server: RealRedis | OurRedis, mode: string, steps: Step[]): Promise<string[]> {
  const c = await server.client();
  const out: string[] = [];
  try {
    out.push((await c.reply(0).catch(() => null))?.bytes ?? '');
  } catch { /* nothing pending */ }
  out.length = 0;
  for (const [argv, n = 1] of [[['SCRIPT', 'DEBUG', mode]], ...steps] as Step[]) {
    c.write(encodeCommand(argv));
    for (let i = 0; i < n; i++) out.push((await c.reply()).bytes);
  }
  c.close();
  return out;
}

suite('Lua debugger (vs real redis-server)', () => {
  let real: RealRedis, ours: OurRedis;
  beforeAll(async () => { [real, ours] = await Promise.all([startRealRedis(), startOurRedis()]); });
  afterAll(async () => { await Promise.all([real?.stop(), ours?.stop()]); });

  const both = async (mode: string, steps: Step[]) => {
    const [r, o] = [await session(real, mode, steps), await session(ours, mode, steps)];
    expect(o).toEqual(r);
    return r;
  };

  it('steps through a script: print, list, whole, break, eval, redis, trace, maxlen, help, errors', async () => {
    const r = await both('sync', [
      [['EVAL', SCRIPT, '1', 'key1', 'arg1']],
      [['help']], [['s']], [['s']], [['p']], [['p', 'b']], [['p', 'KEYS']], [['p', 'ARGV']], [['p', 'nope']],
      [['l']], [['l', '3', '1']], [['list', '0', '0']], [['w']],
      [['b', '6']], [['b', '6', '99', 'x', '-3', '11']], [['b']], [['c']], [['p']], [['t']],
      [['s']], [['s']], [['s']], [['s']], [['s']], [['s']], [['t']], [['p']],
      [['e', 'a + 1']], [['eval', 'redis.call("ping")']], [['e', '1 +']], [['e', 'error("boom")']], [['e', 'nosuch']],
      [['r', 'set', 'k2', 'x'.repeat(400)]], [['r', 'get', 'k2']], [['m']], [['m', '10']], [['r', 'get', 'k2']], [['m', '0']], [['r', 'get', 'k2']],
      [['r', 'hello']], [['redis']], [['unknown']], [['b', '0']],
      [['c']], [['s']], [['c'], 2],
    ]);
    expect(r.at(-2)).toContain('<endsession>');
  });
});
