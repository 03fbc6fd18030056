import { describe, expect, it } from 'vitest';
import { echoStream, typeAndRun, world } from './helpers';
import { World } from '../../src/sim/world';
import { programs } from './programs';

describe('sim processes', () => {
  it('fork creates a child visible in ps with its parent, charges the fork cost, reports the exit', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    await typeAndRun(w, t, 'forker > /tmp/forker.log &', 100);
    const ps = await typeAndRun(w, t, 'ps -ef', 10);
    const forkerPid = w.processes('redis-1').find((p) => p.argv[0] === 'forker')!.pid;
    const child = w.processes('redis-1').find((p) => p.title === 'forker-child')!;
    expect(child.ppid).toBe(forkerPid);
    expect(child.kind).toBe('child');
    expect(ps).toMatch(new RegExp(`root\\s+${child.pid}\\s+${forkerPid}\\s.*forker-child`));
    await w.advance(1000);
    const log = w.readText('redis-1', '/tmp/forker.log')!;
    expect(log).toContain(`forked ${child.pid}`);
    expect(log).toContain('child exited 7 null');
    expect(w.processes('redis-1').some((p) => p.title === 'forker-child')).toBe(false);
    // 2 GB at 15 ms/GB: the parent was busy 30.1 ms.
    expect(w.trace.recent().some((r) => r.kind === 'busy' && r.pid === forkerPid && Number(r.detail) > 30)).toBe(true);
  });

  it('SIGTERM reaches the handler (graceful), SIGKILL ends at once and closes sockets (peers see EOF)', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    await typeAndRun(w, t, 'forker > /tmp/forker.log &', 50);
    const pid = w.processes('redis-1').find((p) => p.argv[0] === 'forker')!.pid;
    await typeAndRun(w, t, `kill ${pid}`, 50);
    expect(w.readText('redis-1', '/tmp/forker.log')).toContain('got SIGTERM, exiting');
    expect(w.processes('redis-1').some((p) => p.pid === pid)).toBe(false);

    await typeAndRun(w, t, 'echo-server 7000 > /tmp/echo.log &', 10);
    await w.exec('client', 'stream-client 10.0.0.11 7000 100 > /tmp/stream.log &');
    await w.advance(300);
    const server = w.processes('redis-1').find((p) => p.argv[0] === 'echo-server')!.pid;
    const out = await typeAndRun(w, t, `kill -9 ${server}`, 100);
    expect(out).toMatch(/\[\d\]\+  Killed {18}echo-server 7000 > \/tmp\/echo.log\n/);
    expect(w.readText('client', '/tmp/stream.log')).toContain('closed eof');
  });

  it('SIGSTOP freezes a process (ps: T): its timers and the bytes it receives wait; SIGCONT runs them in order, then a SIGTERM sent meanwhile', async () => {
    const { w, server } = await echoStream(1000);
    const echoes = () => w.readText('client', '/tmp/stream.log')!.split('\n').filter((l) => l.startsWith('echo@'));
    await w.exec('redis-1', `kill -STOP ${server}`);
    await w.advance(10);
    const before = echoes().length;
    const stat = async () => (await w.exec('redis-1', 'ps aux')).output.split('\n').map((l) => l.split(/\s+/)).find((f) => f[1] === String(server))?.[7];
    expect(await stat()).toBe('T');
    await w.advance(2000);
    expect(echoes().length).toBe(before);
    // A SIGTERM to a stopped process waits for SIGCONT (Linux keeps it pending).
    await w.exec('redis-1', `kill ${server}`);
    await w.advance(500);
    expect(w.processes('redis-1').some((p) => p.pid === server)).toBe(true);
    await w.exec('redis-1', `kill -CONT ${server}`);
    await w.advance(100);
    // Everything that arrived meanwhile is echoed at once, in order; then the SIGTERM ends it.
    const after = echoes();
    expect(after.length - before).toBeGreaterThanOrEqual(24);
    const ticks = after.map((l) => Number(/tick (\d+)/.exec(l)![1]));
    expect(ticks).toEqual(ticks.map((_, i) => i));
    const resumedAt = new Set(after.slice(before).map((l) => l.split(' ')[0]));
    expect(resumedAt.size).toBe(1);
    expect(w.processes('redis-1').some((p) => p.pid === server)).toBe(false);
    expect(w.readText('client', '/tmp/stream.log')).toContain('closed eof');
  });

  it("a stopped process's timers fire late when it continues; SIGKILL ends a stopped process at once", async () => {
    const { w, client } = await echoStream(500);
    await w.exec('client', `kill -19 ${client}`);
    await w.advance(10);
    const sent = () => w.readText('redis-1', '/tmp/echo.log') ?? '';
    const received = () => w.readText('client', '/tmp/stream.log')!.split('\n').filter(Boolean).length;
    const n0 = received();
    await w.advance(3000);
    // No tick was written while it was stopped (its timer waited).
    expect(received()).toBe(n0);
    await w.exec('client', `kill -s CONT ${client}`);
    await w.advance(250);
    expect(received() - n0).toBeGreaterThanOrEqual(2);
    expect(received() - n0).toBeLessThanOrEqual(4);
    await w.exec('client', `kill -STOP ${client}`);
    await w.exec('client', `kill -9 ${client}`);
    await w.advance(10);
    expect(w.processes('client').some((p) => p.pid === client)).toBe(false);
    expect(sent()).toContain('accept 10.0.0.20');
  });

  it('power-off: everything on the host stops, peers see silence (no close), disk keeps only durable data', async () => {
    const w = world();
    await w.exec('redis-1', 'echo-server 7000 > /tmp/echo.log &');
    await w.exec('client', 'stream-client 10.0.0.11 7000 100 > /tmp/stream.log &');
    await w.advance(300);
    w.powerOff('redis-1');
    await w.advance(5000);
    expect(w.readText('client', '/tmp/stream.log')).not.toContain('closed');
    expect(w.processes('redis-1').filter((p) => p.kind === 'program')).toEqual([]);
    expect(w.hosts().find((h) => h.name === 'redis-1')!.up).toBe(false);
    w.powerOn('redis-1');
    await w.advance(2000);
    // The rebooted host answers the stalled retransmission with RST.
    expect(w.readText('client', '/tmp/stream.log')).toContain('closed ECONNRESET');
  });

  it('redis-server: a real engine process, SIGTERM is a graceful shutdown, ps shows its title', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    await typeAndRun(w, t, 'redis-server --port 6380 --save "" --logfile /var/log/redis.log &', 300);
    const ps = await typeAndRun(w, t, 'ps aux | grep redis', 20);
    expect(ps).toMatch(/root\s+\d+ .* redis-server \*:6380\n/);
    expect(ps).toContain('grep redis');
    await typeAndRun(w, t, 'pkill redis-server', 500);
    const log = w.readText('redis-1', '/var/log/redis.log')!;
    expect(log).toContain('Received SIGTERM scheduling shutdown...');
    expect(log).toContain('Redis is now ready to exit, bye bye...');
    expect(w.processes('redis-1').some((p) => p.argv[0] === 'redis-server')).toBe(false);
  });

  it('standard input: pipes, heredocs and an interactive tty reader with line hints', async () => {
    const w = world();
    expect((await w.exec('redis-1', 'echo hello | cat-stdin')).output).toBe('HELLO\n');
    expect((await w.exec('redis-1', 'cat-stdin <<EOF\nabc\nEOF')).output).toBe('ABC\n');
    const t = w.openTerminal('redis-1');
    const prompt = await typeAndRun(w, t, 'ask', 10);
    expect(prompt).toContain('ask> ');
    expect(await w.lineHelp(t, 'hint', 'qu')).toBe('it');
    expect(await typeAndRun(w, t, 'hello there', 10)).toContain('you said hello there');
    const out = await typeAndRun(w, t, 'quit', 10);
    expect(out).toMatch(/root@redis-1:~# $/);
  });

  /** Ctrl-C on the line typed, after `waitMs` of virtual time; what the terminal shows after the line's echo. */
  async function interrupted(line: string, waitMs = 1000): Promise<{ w: World; t: number; after: string }> {
    const w = world();
    const t = w.openTerminal('redis-1');
    await w.advance(50);
    const start = w.terminal(t)!.text().length;
    w.type(t, line);
    await w.advance(waitMs);
    w.interrupt(t);
    await w.advance(200);
    return { w, t, after: w.terminal(t)!.text().slice(start + line.length + 1) };
  }

  // Each expectation below is what bash 5.2 prints in a pty for the same line (checked by hand).
  it('Ctrl-C kills the foreground job and abandons the rest of the line, like bash', async () => {
    const { w, t, after } = await interrupted('sleep 100; echo after');
    expect(after).toBe('^C\nroot@redis-1:~# ');
    expect(w.now).toBeLessThan(w.checkpoints[0].t + 5000);
    expect(await typeAndRun(w, t, 'echo $?', 10)).toContain('130');
    for (const line of ['sleep 100 && echo after || echo failed', 'while true; do sleep 1; done; echo after', 'sh -c "sleep 100; echo inner"; echo after', 'echo $(sleep 100); echo after', 'sleep 100 | cat; echo after']) {
      const r = await interrupted(line, 1500);
      expect(r.after, line).toBe('^C\nroot@redis-1:~# ');
    }
  });

  it('a program killed by Ctrl-C stops the line too; one that handles SIGINT and exits lets it go on', async () => {
    const killed = await interrupted('echo-server 7000; echo after');
    expect(killed.after).toBe('listening\n^C\nroot@redis-1:~# ');
    const handled = await interrupted('forker; echo after');
    expect(handled.after).toMatch(/^forked \d+ at [\d.]+\nchild exited 7 null\n\^Cgot SIGINT, exiting\nafter\nroot@redis-1:~# $/);
    expect(await typeAndRun(handled.w, handled.t, 'echo $?', 10)).toContain('0');
  });

  it('Ctrl-C at the prompt abandons the typed line; `kill -INT` of a foreground job from elsewhere stops the line as well', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    await w.advance(50);
    const atPrompt = w.terminal(t)!.text().length;
    w.interrupt(t);
    await w.advance(10);
    expect(w.terminal(t)!.text().slice(atPrompt)).toBe('^C\nroot@redis-1:~# ');
    w.type(t, 'sleep 123; echo after');
    await w.advance(500);
    const start = w.terminal(t)!.text().length;
    const sleep = w.processes('redis-1').find((p) => p.argv.join(' ') === 'sleep 123')!;
    expect((await w.exec('redis-1', `kill -INT ${sleep.pid}`)).code).toBe(0);
    await w.advance(200);
    expect(w.terminal(t)!.text().slice(start)).toBe('\nroot@redis-1:~# ');
    // A background job ended by SIGINT is reported as bash reports it.
    await typeAndRun(w, t, 'sleep 124 &', 10);
    const reported = (await typeAndRun(w, t, 'kill -INT $!', 10)) + (await typeAndRun(w, t, 'true', 10));
    expect(reported).toContain('[1]+  Interrupt               sleep 124\n');
  });

  it('a program started in the round in which another slot ends still runs (power cycle, boot line)', async () => {
    const w = new World({ seed: 3, hosts: [{ name: 'h', ip: '10.0.0.1', boot: ['echo-server 7000 > /tmp/echo.log'] }], programs });
    await w.advance(100);
    const first = w.processes('h').find((p) => p.argv[0] === 'echo-server')!.pid;
    w.powerOff('h');
    w.powerOn('h');
    await w.advance(100);
    const second = w.processes('h').find((p) => p.argv[0] === 'echo-server');
    expect(second?.pid).not.toBe(first);
    expect(w.readText('h', '/tmp/echo.log')).toBe('listening\n');
    expect(w.listening('h').filter((l) => l.port === 7000).map((l) => l.pid)).toEqual([second!.pid]);
  });
});
