/**
 * The one signal table (src/sim/kernel/signals.ts) and what the kernel, the simulated programs
 * and the shell do with it: kill by name or number, default actions, statuses 128+n.
 */
import { describe, expect, it } from 'vitest';
import { SIGNALS, parseSignal, signalByNumber, signalInfo, signalNumber } from '../../src/sim/kernel/signals';
import { echoStream, world } from './helpers';

describe('the signal table', () => {
  it('numbers the 31 standard signals of Linux x86-64 as kill -l does, then the real-time ones', () => {
    const standard = SIGNALS.filter((s) => s.number <= 31);
    expect(standard.map((s) => s.number)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(signalNumber('SIGHUP')).toBe(1);
    expect(signalNumber('SIGUSR1')).toBe(10);
    expect(signalNumber('SIGALRM')).toBe(14);
    expect(signalNumber('SIGSTKFLT')).toBe(16);
    expect(signalNumber('SIGTTIN')).toBe(21);
    expect(signalNumber('SIGSYS')).toBe(31);
    expect(signalByNumber(32)).toBeUndefined();
    expect(signalByNumber(34)?.name).toBe('SIGRTMIN');
    expect(signalByNumber(64)?.name).toBe('SIGRTMAX');
    expect(signalInfo('SIGTTIN')?.action).toBe('stop');
    expect(signalInfo('SIGQUIT')?.action).toBe('core');
    expect(signalInfo('SIGWINCH')?.action).toBe('ignore');
  });

  it('parses numbers and names with or without SIG, in any case', () => {
    expect(parseSignal('21')).toBe('SIGTTIN');
    expect(parseSignal('TTIN')).toBe('SIGTTIN');
    expect(parseSignal('sigttin')).toBe('SIGTTIN');
    expect(parseSignal('0')).toBeNull();
    expect(parseSignal('32')).toBeNull();
    expect(parseSignal('BOGUS')).toBeNull();
    expect(parseSignal('SIG')).toBeNull();
  });
});

describe('kill and the default actions', () => {
  it('a sleep killed by SIGUSR1, SIGALRM, SIGQUIT, signal 12 or SIGRTMIN reports 128+n after wait', async () => {
    const w = world();
    const status = async (how: string) => (await w.exec('redis-1', `sleep 100 & p=$!; kill ${how} $p; wait $p; echo $?`)).output;
    expect(await status('-USR1')).toBe('138\n');
    expect(await status('-s ALRM')).toBe('142\n');
    expect(await status('-n 3')).toBe('131\n');
    expect(await status('-12')).toBe('140\n');
    expect(await status('-s SIGRTMIN')).toBe('162\n');
    expect(await status('-TERM')).toBe('143\n');
    expect(await status('-9')).toBe('137\n');
  });

  it('kill -0 and kill -s EXIT only check the process', async () => {
    const w = world();
    const r = await w.exec('redis-1', 'sleep 100 & p=$!; kill -0 $p; echo $?; kill -s EXIT $p; echo $?; kill -n 0 $p; echo $?; kill $p; wait $p; echo $?; kill -0 $p');
    expect(r.output).toMatch(/^0\n0\n0\n143\nbash: kill: \(\d+\) - No such process\n$/);
    expect(r.code).toBe(1);
  });

  it('a program without handlers ends with 128+n on SIGUSR2, SIGALRM or SIGIO; the ignored signals leave it be', async () => {
    const w = world();
    for (const [sig, code] of [['USR2', 140], ['s ALRM', 142], ['n 29', 157]] as const) {
      const r = await w.exec('redis-1', `echo-server 7000 > /tmp/echo.log & p=$!; sleep 0.1; kill -WINCH $p; kill -s CHLD $p; kill -URG $p; sleep 0.1; kill -0 $p && echo alive; kill -${sig} $p; wait $p; echo $?`);
      expect(r.output, sig).toBe(`alive\n${code}\n`);
      expect(w.processes('redis-1').some((p) => p.argv[0] === 'echo-server'), sig).toBe(false);
    }
  });

  it('SIGTTIN, SIGTTOU and SIGTSTP stop a program like SIGSTOP (ps: T); SIGCONT resumes it', async () => {
    const { w, server } = await echoStream(300);
    const stat = async () => (await w.exec('redis-1', 'ps aux')).output.split('\n').map((l) => l.split(/\s+/)).find((f) => f[1] === String(server))?.[7];
    for (const stop of ['-s TTIN', '-TTOU', '-21', '-n 20', '-tstp']) {
      const r = await w.exec('redis-1', `kill ${stop} ${server}; echo $?`);
      expect(r.output).toBe('0\n');
      await w.advance(10);
      expect(await stat(), stop).toBe('T');
      await w.exec('redis-1', `kill -s CONT ${server}`);
      await w.advance(10);
      expect(await stat(), stop).toBe('S');
    }
  });

  it('bad signal specifications: the error and status 1 of bash', async () => {
    const w = world();
    for (const cmd of ['kill -s BOGUS 1', 'kill -BOGUS 1', 'kill -n 99 1', 'kill -s 32 1']) {
      const spec = cmd.split(' ')[cmd.split(' ').length - 2].replace(/^-/, '');
      const r = await w.exec('redis-1', cmd);
      expect(r.output, cmd).toBe(`bash: kill: ${spec}: invalid signal specification\n`);
      expect(r.code, cmd).toBe(1);
    }
  });

  it('jobs and the foreground say what signal ended a command', async () => {
    const w = world();
    const t = w.openTerminal('redis-1');
    w.type(t, 'sleep 100 &');
    await w.advance(50);
    const pid = w.processes('redis-1').find((p) => p.argv[0] === 'sleep')!.pid;
    w.type(t, `kill -USR1 ${pid}`);
    await w.advance(50);
    w.type(t, 'jobs');
    await w.advance(50);
    expect(w.terminal(t)!.text()).toMatch(/\[1\]\+  User defined signal 1   sleep 100\n/);
    const r = await w.exec('redis-1', '{ sleep 0.1; pkill -ALRM -x sleep; } & sleep 5; echo $?');
    expect(r.output).toBe('Alarm clock\n142\n');
  });
});
