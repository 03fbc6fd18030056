/**
 * `daemonize yes` in the simulation: redis-server detaches from the terminal like server.c's
 * daemonize() (the shell gets its prompt back, output goes to /dev/null, the process keeps
 * running under init) and writes its pid file (the default /var/run/redis.pid without
 * `pidfile`). On a host whose Os cannot detach, it stays in the foreground with a warning.
 */
import { describe, it, expect } from 'vitest';
import { World } from '../../src/sim/world';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';
import { NativeOs } from '../../src/native/os';
import { redisServerMain } from '../../src/engine/programs/redis-server';
import * as fs from 'node:fs';
import * as nodeOs from 'node:os';
import * as path from 'node:path';
import { freePort } from '../support/ports';

const CONF = [
  'port 6379',
  'daemonize yes',
  'pidfile /var/run/redis_6379.pid',
  'logfile /var/log/redis_6379.log',
  'dir /var/redis/6379',
  'save ""',
  '',
].join('\n');

function newWorld(files: Record<string, string> = { '/etc/redis/6379.conf': CONF }, boot: string[] = []): World {
  return new World({
    seed: 11,
    hosts: [{ name: 'eshop-cache01', ip: '192.168.31.187', files, dirs: ['/var/redis/6379'], boot }],
    programs: STANDARD_PROGRAMS,
  });
}

/** Type a line, run the clock until the shell prompt is back (or `ms` passed); the new output. */
async function typeLine(w: World, term: number, line: string, ms = 2000): Promise<{ out: string; prompt: boolean }> {
  const before = w.terminal(term)!.text().length;
  w.type(term, line);
  const prompt = await w.runUntil(() => w.terminalState(term)?.reader === 'shell', { timeoutMs: ms });
  return { out: w.terminal(term)!.text().slice(before), prompt };
}

async function login(w: World): Promise<number> {
  const term = w.openTerminal('eshop-cache01');
  await w.runUntil(() => w.terminalState(term)?.reader === 'shell', { timeoutMs: 1000 });
  return term;
}

function redisProcs(w: World) {
  return w.processes('eshop-cache01').filter((p) => p.argv[0] === 'redis-server');
}

describe('daemonize yes in the simulation', () => {
  it('detaches: the prompt comes back at once, the server keeps running, the pid file holds its pid', async () => {
    const w = newWorld();
    const term = await login(w);
    const r = await typeLine(w, term, 'redis-server /etc/redis/6379.conf', 200);
    expect(r.prompt).toBe(true);
    // Nothing from the server reaches the terminal: it logs to its logfile.
    expect(r.out).toBe('redis-server /etc/redis/6379.conf\n' + w.terminalState(term)!.prompt);
    await w.advance(500);
    const procs = redisProcs(w);
    expect(procs).toHaveLength(1);
    expect(procs[0].ppid).toBe(1);
    expect(w.readText('eshop-cache01', '/var/run/redis_6379.pid')).toBe(`${procs[0].pid}\n`);
    expect((await typeLine(w, term, 'redis-cli -p 6379 PING')).out).toContain('PONG');
    // ps shows it without a terminal, like a real daemon.
    const ps = (await typeLine(w, term, 'ps aux | grep [r]edis-server')).out;
    expect(ps).toMatch(new RegExp(`root +${procs[0].pid} .* \\? +\\S+ +\\S+ +\\S+ redis-server \\*:6379`));
    const log = w.readText('eshop-cache01', '/var/log/redis_6379.log')!;
    expect(log).toContain(`pid=${procs[0].pid}, just started`);
    expect(log).toContain('Ready to accept connections');
    expect(w.trace.recent().some((e) => e.kind === 'daemonize' && e.pid === procs[0].pid)).toBe(true);
    // The exit status the shell saw is the "parent's": 0.
    expect((await typeLine(w, term, 'redis-server /etc/redis/6379.conf; echo status=$?')).out).toContain('status=0');
    await w.advance(500);
    // The second one could not bind and said so in its log, not on the terminal.
    expect(redisProcs(w)).toHaveLength(1);
    expect(w.readText('eshop-cache01', '/var/log/redis_6379.log')).toContain('Address already in use');
    w.dispose();
  });

  it('without pidfile a daemon writes /var/run/redis.pid, logs to /dev/null, and removes the pid file on shutdown', async () => {
    const w = newWorld({ '/etc/redis/6379.conf': 'port 6379\ndaemonize yes\nsave ""\n' });
    const term = await login(w);
    const r = await typeLine(w, term, 'redis-server /etc/redis/6379.conf', 200);
    expect(r.prompt).toBe(true);
    await w.advance(500);
    expect(r.out).not.toContain('Redis is starting');
    expect(w.terminal(term)!.text()).not.toContain('Redis is starting');
    const pid = redisProcs(w)[0].pid;
    expect(w.readText('eshop-cache01', '/var/run/redis.pid')).toBe(`${pid}\n`);
    await typeLine(w, term, 'redis-cli -p 6379 SHUTDOWN');
    await w.advance(500);
    expect(redisProcs(w)).toHaveLength(0);
    expect(w.readText('eshop-cache01', '/var/run/redis.pid')).toBeNull();
    w.dispose();
  });

  it('`daemonize no` stays in the foreground and writes no pid file unless asked', async () => {
    const w = newWorld({ '/etc/redis/6379.conf': 'port 6379\nsave ""\n' });
    const term = await login(w);
    const r = await typeLine(w, term, 'redis-server /etc/redis/6379.conf', 1000);
    expect(r.prompt).toBe(false);
    expect(w.terminalState(term)!.reader).toBe(null);
    expect(r.out).toContain('Ready to accept connections');
    expect(w.readText('eshop-cache01', '/var/run/redis.pid')).toBeNull();
    w.dispose();
  });

  it('a config error is still printed on the terminal: the server only detaches after reading its config', async () => {
    const w = newWorld({ '/etc/redis/6379.conf': 'daemonize yes\nport 6379\nappendfsync sometimes\n' });
    const term = await login(w);
    const r = await typeLine(w, term, 'redis-server /etc/redis/6379.conf; echo status=$?', 1000);
    expect(r.out).toContain('*** FATAL CONFIG FILE ERROR');
    expect(r.out).toContain('status=1');
    expect(redisProcs(w)).toHaveLength(0);
    w.dispose();
  });

  it('a background job that daemonizes is reported Done, and `wait` does not wait for the daemon', async () => {
    const w = newWorld();
    const term = await login(w);
    await typeLine(w, term, 'redis-server /etc/redis/6379.conf &');
    await w.advance(200);
    const r = await typeLine(w, term, 'wait; echo waited');
    expect(r.prompt).toBe(true);
    expect(r.out).toContain('waited');
    const jobs = (await typeLine(w, term, 'true')).out + (await typeLine(w, term, 'jobs')).out;
    expect(r.out + jobs).toMatch(/\[1\]\+ +Done +redis-server \/etc\/redis\/6379.conf/);
    expect(redisProcs(w)).toHaveLength(1);
    w.dispose();
  });

  it('boot lines that start a daemon finish, leaving only the daemon', async () => {
    const w = newWorld({ '/etc/redis/6379.conf': CONF }, ['redis-server /etc/redis/6379.conf']);
    await w.advance(1000);
    const procs = w.processes('eshop-cache01');
    expect(procs.some((p) => p.argv[0] === '/bin/sh')).toBe(false);
    expect(redisProcs(w)).toHaveLength(1);
    expect(redisProcs(w)[0].ppid).toBe(1);
    w.dispose();
  });

  it('kill -9 of a daemon leaves its pid file behind', async () => {
    const w = newWorld();
    const term = await login(w);
    await typeLine(w, term, 'redis-server /etc/redis/6379.conf');
    await w.advance(500);
    const r = await typeLine(w, term, 'kill -9 $(cat /var/run/redis_6379.pid); sleep 0.1; redis-cli -p 6379 PING');
    expect(r.out).toContain('Connection refused');
    expect(r.out).not.toContain('Killed');
    expect(w.readText('eshop-cache01', '/var/run/redis_6379.pid')).not.toBeNull();
    w.dispose();
  });
});

describe('daemonize yes on the native host', () => {
  it('stays in the foreground, warns, and writes no default pid file', async () => {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(nodeOs.tmpdir(), 'halab-daemonize-'));
    const out: string[] = [];
    let exited = false;
    const nos = new NativeOs({ cwd: dir, syntheticPid: true, onExit: () => { exited = true; }, stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    expect((nos as { daemonize?: unknown }).daemonize).toBeUndefined();
    const proc = await redisServerMain(nos, ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--daemonize', 'yes']);
    try {
      expect(proc).not.toBeNull();
      const text = out.join('');
      expect(text).toContain('daemonize yes is not supported on this host');
      expect(text).toContain('Ready to accept connections');
      expect(proc!.server.config.get<string>('pidfile')).toBe('');
    } finally {
      if (!exited) proc?.server.terminate(0);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
