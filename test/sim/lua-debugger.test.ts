/**
 * The Lua debugger in the simulated machine room: `redis-cli --ldb --eval` typed in a host's
 * shell debugs a script on a simulated server, in a forked session (the child's writes are
 * dropped) and in SYNC mode (they stay).
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import { bytesToUtf8, strToBytes } from '../../src/engine/bytes';
import { typeAndRun } from './helpers';

const text = (s: string) => bytesToUtf8(strToBytes(s));

describe('redis-cli --ldb in the simulation', () => {
  it('steps, prints and lists; forked writes are rolled back, SYNC ones kept', async () => {
    const w = new World({ seed: 5, hosts: [{ name: 'redis-1', ip: '10.0.0.11' }] });
    await w.exec('redis-1', "redis-server --port 6379 --save '' --logfile /tmp/redis.log &");
    await w.advance(500);
    await w.exec('redis-1', `printf 'local a = 1\\nredis.call("set", KEYS[1], ARGV[1])\\nreturn redis.call("get", KEYS[1])\\n' > /tmp/s.lua`);
    const forked = await w.exec('redis-1', "printf 's\\np\\nl\\ns\\nc\\n' | redis-cli --ldb --eval /tmp/s.lua kk , vv");
    expect(forked.code).toBe(0);
    const out = text(forked.output);
    expect(out).toContain('* Stopped at 1, stop reason = step over');
    expect(out).toContain('<value> a = 1');
    expect(out).toContain('-> 2   redis.call("set", KEYS[1], ARGV[1])');
    expect(out).toContain('<redis> set kk vv');
    expect(out).toContain('(Lua debugging session ended -- dataset changes rolled back)');
    expect(text((await w.exec('redis-1', 'redis-cli exists kk')).output).trim()).toBe('0');
    const sync = await w.exec('redis-1', "printf 'c\\n' | redis-cli --ldb-sync-mode --eval /tmp/s.lua kk , vv");
    expect(text(sync.output)).toContain('vv');
    expect(text((await w.exec('redis-1', 'redis-cli exists kk')).output).trim()).toBe('1');
    const log = text((await w.exec('redis-1', 'cat /tmp/redis.log')).output);
    expect(log).toMatch(/C .*# Redis forked for debugging eval/);
    expect(log).toContain('Redis synchronous debugging eval session started');
  });

  it('in a terminal, as in the browser: the lua debugger> prompt, restart and quit', async () => {
    const w = new World({ seed: 6, hosts: [{ name: 'redis-1', ip: '10.0.0.11' }] });
    await w.exec('redis-1', "redis-server --port 6379 --save '' --daemonize yes");
    await w.advance(500);
    await w.exec('redis-1', `printf 'local a = 1\\nreturn a + 1\\n' > /tmp/s.lua`);
    const term = w.openTerminal('redis-1');
    await w.advance(300);
    let out = await typeAndRun(w, term, 'redis-cli --ldb --eval /tmp/s.lua\n');
    expect(text(out)).toContain('Lua debugging session started');
    expect(text(out)).toContain('* Stopped at 1, stop reason = step over');
    expect(text(out)).toContain('lua debugger> ');
    out = await typeAndRun(w, term, 'print\n');
    expect(text(out)).toContain('No local variables in the current context.');
    out = await typeAndRun(w, term, 'step\n');
    expect(text(out)).toContain('-> 2   return a + 1');
    out = await typeAndRun(w, term, 'continue\n');
    expect(text(out)).toContain('(integer) 2');
    expect(text(out)).toContain('(Lua debugging session ended -- dataset changes rolled back)');
    out = await typeAndRun(w, term, 'restart\n');
    expect(text(out)).toContain('* Stopped at 1, stop reason = step over');
    out = await typeAndRun(w, term, 'quit\n');
    expect(w.terminalState(term)?.reader).toBe('shell');
  });
});
