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
import { runOurCli, runRealCli } from '../support/cli-runner';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

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

  it('functions: locals per frame, varargs, tail calls in trace, pcall, error replies, deep tables, trimming', async () => {
    const script = [
      'local function g(t, ...)', '  local n = #t', '  return n', 'end',
      'local function f(a, b)', '  local c = a .. b', '  return g({c, c}, 1, 2)', 'end',
      'local r = f("x", "y")',
      'local ok, e = pcall(function() return redis.call("incr", "notint") end)',
      'local t = {1,2,{a=1},"x\\n",nil,true}',
      'return {r, e}',
    ].join('\n');
    await both('sync', [[['SET', 'notint', 'abc']]]);
    await both('sync', [
      [['EVAL', script, '0']], [['s']], [['s']], [['s']], [['t']], [['s']], [['p']], [['s']], [['p']], [['t']], [['p', 'c']],
      [['s']], [['s']], [['t']], [['s']], [['s']], [['s']], [['p', 't']],
      [['e', '{1,2,{a=1},"x\\n",nil,true}']], [['e', '{{{{{{{{{{{{1}}}}}}}}}}}}']], [['e', 'string.rep("a",300)']], [['e', 'string.rep("a",300)']],
      [['r', 'set']], [['r', 'mset', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5', 'f', '6']], [['s'], 2],
    ]);
  });

  it('deletes breakpoints as Redis does (its byte-wise memmove)', async () => {
    await both('sync', [
      [['EVAL', SCRIPT, '0']], [['b', '3', '5', '6', '11']], [['b', '-3']], [['b']], [['b', '-5']], [['b']],
      [['c']], [['c']], [['c']], [['c']], [['c'], 2],
    ]);
  });

  it('abort ends the script with an error; a forked session drops its writes, SYNC keeps them', async () => {
    for (const s of [real, ours]) { const c = await s.client(); await c.call('SET', 'z', '0'); c.close(); }
    const script = 'redis.call("set","z","1")\nlocal x = 2\nreturn x';
    await both('yes', [[['EVAL', script, '0']], [['s']], [['s']], [['abort'], 2]]);
    // The child compiled the script: the parent's cache does not have it (a SYNC session's does).
    const sha = createHash('sha1').update(script).digest('hex');
    await both('sync', [[['GET', 'z']], [['SCRIPT', 'EXISTS', sha]]]);
    await both('sync', [[['EVAL', script, '0']], [['s']], [['s']], [['a'], 2]]);
    await both('sync', [[['GET', 'z']], [['SCRIPT', 'EXISTS', sha]]]);
    // EVALSHA is refused; an EVAL refused before it runs still ends the session.
    await both('yes', [[['EVALSHA', 'a'.repeat(40), '0']], [['EVAL', 'return', 'x'], 2]]);
    await both('sync', [[['EVAL', 'return 1', '-1'], 2]]);
  });

  it('a forked session lets the server serve others; a SYNC one holds them until it ends', async () => {
    for (const s of [real, ours]) {
      const [dbg, other] = [await s.client(), await s.client()];
      await dbg.call('SCRIPT', 'DEBUG', 'YES');
      dbg.write(encodeCommand(['EVAL', 'return 1', '0']));
      await dbg.reply();
      expect(await other.call('PING')).toBe('+PONG\r\n');
      dbg.close();
      const dbg2 = await s.client();
      await dbg2.call('SCRIPT', 'DEBUG', 'SYNC');
      dbg2.write(encodeCommand(['EVAL', 'return 2', '0']));
      await dbg2.reply();
      other.write(encodeCommand(['PING']));
      await expect(other.reply(300)).rejects.toThrow();
      dbg2.write(encodeCommand(['c']));
      expect((await dbg2.reply()).bytes).toBe('*1\r\n+<endsession>\r\n');
      expect((await dbg2.reply()).bytes).toBe(':2\r\n');
      expect((await other.reply()).bytes).toBe('+PONG\r\n');
      other.close();
    }
  });

  it('a forked session keeps its own data and Lua state while the parent runs scripts and writes', async () => {
    const run = async (s: RealRedis | OurRedis) => {
      const [dbg, other] = [await s.client(), await s.client()];
      await other.call('CONFIG', 'RESETSTAT');
      const out: string[] = [await other.call('SET', 'z', 'before')];
      await dbg.call('SCRIPT', 'DEBUG', 'YES');
      dbg.write(encodeCommand(['EVAL', 'local x = KEYS[1]\nredis.call("set", "z", "child")\nreturn x', '1', 'mine']));
      out.push((await dbg.reply()).bytes);
      out.push(await other.call('EVAL', 'return KEYS[1]', '1', 'theirs'), await other.call('SET', 'z', 'parent'));
      for (const cmd of [['p', 'KEYS'], ['r', 'get', 'z'], ['s'], ['s'], ['r', 'get', 'z'], ['c']]) {
        dbg.write(encodeCommand(cmd));
        out.push((await dbg.reply()).bytes);
      }
      out.push((await dbg.reply()).bytes, await other.call('GET', 'z'));
      // The child's commands are not in the parent's stats.
      const info = await other.call('INFO', 'commandstats');
      out.push(...['set', 'get'].map((cmd) => new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(info)?.[1] ?? 'none'));
      dbg.close();
      other.close();
      return out;
    };
    const r = await run(real);
    expect(await run(ours)).toEqual(r);
    expect(r.slice(-3)).toEqual(['$6\r\nparent\r\n', '2', '1']);
  });

  it('SHUTDOWN kills the forked sessions (their connections close)', async () => {
    const run = async (s: RealRedis | OurRedis, log: () => string) => {
      const [dbg, other] = [await s.client(), await s.client()];
      await dbg.call('SCRIPT', 'DEBUG', 'YES');
      dbg.write(encodeCommand(['EVAL', 'return 1', '0']));
      await dbg.reply();
      other.write(encodeCommand(['SHUTDOWN', 'NOSAVE']));
      await expect(dbg.reply(2000)).rejects.toThrow('connection closed');
      await new Promise((r) => setTimeout(r, 100));
      return log().split('\n').filter((l) => /debugging/.test(l)).map((l) => l.replace(/^\d+:([CM]) .*# /, '$1 ').replace(/\d+$/, 'PID'));
    };
    const [r2, o2] = await Promise.all([startRealRedis(), startOurRedis()]);
    try {
      const r = await run(r2, () => r2.output());
      expect(await run(o2, () => o2.log.join(''))).toEqual(r);
      expect(r).toEqual(['C Redis forked for debugging eval', 'M Killing debugging session PID']);
    } finally {
      await Promise.all([r2.stop(), o2.stop()]);
    }
  });

  it('a script that runs past busy-reply-threshold stops with "timeout reached, infinite loop?"', async () => {
    for (const s of [real, ours]) { const c = await s.client(); await c.call('CONFIG', 'SET', 'busy-reply-threshold', '100'); c.close(); }
    try {
      await both('sync', [[['EVAL', 'local i = 0\nwhile true do\n  i = i + 1\nend', '0']], [['c']], [['a'], 2]]);
    } finally {
      for (const s of [real, ours]) { const c = await s.client(); await c.call('CONFIG', 'SET', 'busy-reply-threshold', '5000'); c.close(); }
    }
  });

  it('a client that hangs up mid-session: the script runs on to its end (SYNC keeps its writes)', async () => {
    const run = async (s: RealRedis | OurRedis, mode: string) => {
      const other = await s.client();
      await other.call('DEL', 'zz');
      const dbg = await s.client();
      await dbg.call('SCRIPT', 'DEBUG', mode);
      dbg.write(encodeCommand(['EVAL', 'redis.breakpoint()\nredis.call("incr","zz")\nredis.breakpoint()\nredis.call("incr","zz")\nreturn 1', '0']));
      const out = [(await dbg.reply()).bytes];
      dbg.write(encodeCommand(['c']));
      out.push((await dbg.reply()).bytes);
      dbg.close();
      await new Promise((r) => setTimeout(r, 150));
      out.push(await other.call('GET', 'zz'));
      other.close();
      return out;
    };
    for (const mode of ['sync', 'yes']) {
      const r = await run(real, mode);
      expect(await run(ours, mode)).toEqual(r);
      expect(r[2]).toBe(mode === 'sync' ? '$1\r\n2\r\n' : '$-1\r\n');
    }
  });

  it('SCRIPT DEBUG must be called outside a pipeline', async () => {
    await both('no', [[['PING']]]);
    const pipeline = encodeCommand(['PING']) + encodeCommand(['SCRIPT', 'DEBUG', 'YES']) + encodeCommand(['EVAL', 'return 1', '0']);
    const [r, o] = await Promise.all([real, ours].map(async (s) => {
      const c = await s.client();
      c.write(pipeline);
      const out = [(await c.reply()).bytes, (await c.reply()).bytes, (await c.reply()).bytes];
      c.close();
      return out;
    }));
    expect(o).toEqual(r);
    expect(r[1]).toBe('-ERR SCRIPT DEBUG must be called outside a pipeline\r\n');
  });

  it('a SYNC session holds serverCron too (no active expire) until it ends (ours: Redis is blocked in read())', async () => {
    const c = await ours.client();
    await c.call('SET', 'shortlived', 'v', 'PX', '50');
    const dbg = await ours.client();
    await dbg.call('SCRIPT', 'DEBUG', 'SYNC');
    dbg.write(encodeCommand(['EVAL', 'return 1', '0']));
    await dbg.reply();
    await new Promise((r) => setTimeout(r, 400));
    expect(ours.server.dbs[0].dict.has('shortlived')).toBe(true);
    dbg.write(encodeCommand(['c']));
    await dbg.reply();
    await dbg.reply();
    for (let i = 0; i < 50 && ours.server.dbs[0].dict.has('shortlived'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(ours.server.dbs[0].dict.has('shortlived')).toBe(false);
    dbg.close();
    c.close();
  });

  it('an EVAL inside EXEC: same end and data (ours runs it without stops: nothing can block in read() here)', async () => {
    const finals: string[] = [];
    for (const s of [real, ours]) {
      const c = await s.client();
      await c.call('SCRIPT', 'DEBUG', 'SYNC');
      for (const cmd of [['MULTI'], ['SET', 'a', '1'], ['EVAL', 'redis.call("set","a",2)\nreturn 1', '0'], ['INCR', 'a']]) await c.call(...cmd);
      c.write(encodeCommand(['EXEC']));
      let r = (await c.reply()).bytes;
      // Real Redis stops at each line: step to the end.
      while (r.includes('* Stopped at')) { c.write(encodeCommand(['s'])); r = (await c.reply()).bytes; }
      // The EXEC reply has no room for what followed the EVAL (a CLOSE_AFTER_REPLY client gets
      // no more replies), though the INCR ran: "*3" with two elements.
      finals.push(r + await c.readUntilClose());
      const o = await s.client();
      finals.push(await o.call('GET', 'a'));
      o.close();
    }
    expect(finals.slice(2)).toEqual(finals.slice(0, 2));
    expect(finals).toEqual(['*1\r\n+<endsession>\r\n*3\r\n+OK\r\n:1\r\n', '$1\r\n3\r\n', '*1\r\n+<endsession>\r\n*3\r\n+OK\r\n:1\r\n', '$1\r\n3\r\n']);
  });

  it('protocol parsing: NULs and long commands (unit/scripting "Test scripting debug protocol parsing" and "lua stack overflow")', async () => {
    await both('sync', [
      [['EVAL', "return 'hello'", '0']], [['hello\0world']], [['hello\0']], [['\0hello']], [['\0hello\0']],
      [['redis', ...Array.from({ length: 100 }, () => 'test')]], [['c'], 2],
    ]);
  });

  it('redis-cli --ldb / --ldb-sync-mode driven through stdin: ours + ours prints what real + real prints', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ldb-')), 's.lua');
    writeFileSync(file, 'local a = 1\nredis.call("set", KEYS[1], ARGV[1])\nredis.debug(a)\nreturn redis.call("get", KEYS[1])\n');
    const stdin = 's\np\nl\ns\nr get kk\ne a\nc\nrestart\nb 3\nc\nc\nquit\n';
    for (const mode of ['--ldb', '--ldb-sync-mode']) {
      const args = [mode, '--eval', file, 'kk', ',', 'vv'];
      const r = await runRealCli(['-p', String(real.port), ...args], { stdin });
      const o = await runOurCli(['-p', String(ours.port), ...args], { stdin });
      expect(o).toEqual(r);
      expect(r.stdout).toContain('<reply> "+OK"');
    }
  });
});
