/**
 * pidof as Debian 12's (sysvinit-utils' killall5, what /usr/bin/pidof is there): pids newest
 * first on one line, -s, -d, -o (and %PPID), -x for scripts, -q, status 1 when nothing runs
 * the program or an option is unknown; and the Redis documents' `kill -9 $(pidof redis-server)`.
 */
import { describe, expect, it } from 'vitest';
import { world } from './helpers';

describe('pidof', () => {
  it('lists pids newest first, with its options', async () => {
    const w = world();
    await w.exec('redis-1', 'sleep 1000 & sleep 1000 & printf "#!/bin/sh\\nsleep 1000\\n" > /root/job.sh; chmod +x /root/job.sh; sh /root/job.sh &');
    await w.advance(10);
    const sleeps = w.processes('redis-1').filter((p) => p.argv[0] === 'sleep').map((p) => p.pid).sort((a, b) => b - a);
    expect(sleeps.length).toBe(3);
    const run = async (cmd: string) => { const r = await w.exec('redis-1', cmd); return { out: r.output, code: r.code }; };
    expect(await run('pidof sleep')).toEqual({ out: `${sleeps.join(' ')}\n`, code: 0 });
    expect(await run('pidof -s sleep')).toEqual({ out: `${sleeps[0]}\n`, code: 0 });
    expect(await run('pidof -d, sleep')).toEqual({ out: `${sleeps.join(',')}\n`, code: 0 });
    expect(await run(`pidof -o ${sleeps[0]},${sleeps[2]} sleep`)).toEqual({ out: `${sleeps[1]}\n`, code: 0 });
    expect(await run(`pidof -o ${sleeps[0]} -o ${sleeps[1]} sleep`)).toEqual({ out: `${sleeps[2]}\n`, code: 0 });
    expect(await run('pidof -s -d: sleep sleep')).toEqual({ out: `${sleeps[0]}:${sleeps[0]}\n`, code: 0 });
    expect(await run('pidof -q sleep')).toEqual({ out: '', code: 0 });
    expect(await run('pidof nosuch')).toEqual({ out: '', code: 1 });
    expect(await run('pidof')).toEqual({ out: '', code: 1 });
    expect(await run('pidof -Z sleep')).toEqual({ out: '', code: 1 });
    expect(await run('pidof -o')).toEqual({ out: '', code: 1 });
    expect(await run('pidof /bin/nosuch')).toEqual({ out: '', code: 1 });
    const script = w.processes('redis-1').find((p) => p.argv[1] === '/root/job.sh');
    expect(script).toBeDefined();
    expect((await run('pidof -x job.sh')).out).toBe(`${script!.pid}\n`);
    expect((await run('pidof job.sh')).code).toBe(1);
    expect(await run('type -t pidof')).toEqual({ out: 'file\n', code: 0 });
  });

  it('finds a daemonized redis-server for kill -9 $(pidof redis-server)', async () => {
    const w = world();
    await w.exec('redis-1', 'redis-server --port 6379 --daemonize yes');
    await w.advance(200);
    const pid = w.processes('redis-1').find((p) => p.argv[0] === 'redis-server')!.pid;
    expect((await w.exec('redis-1', 'pidof redis-server')).output).toBe(`${pid}\n`);
    expect((await w.exec('redis-1', 'kill -9 $(pidof redis-server); echo $?')).output).toBe('0\n');
    await w.advance(100);
    expect(await w.exec('redis-1', 'pidof redis-server')).toMatchObject({ output: '', code: 1 });
  });
});
