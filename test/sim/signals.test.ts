/**
 * The one signal table (src/sim/kernel/signals.ts) and what the kernel, the simulated programs
 * and the shell do with it: kill by name or number, default actions, statuses 128+n.
 */
import { describe, expect, it } from 'vitest';
import { SIGNALS, parseSignal, signalByNumber, signalInfo, signalNumber } from '../../src/engine/util/signals';
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
    // glibc's two thread signals: no name, default action term, strsignal's "Unknown signal N".
    expect(signalByNumber(32)).toMatchObject({ number: 32, unnamed: true, action: 'term', description: 'Unknown signal 32' });
    expect(signalByNumber(33)).toMatchObject({ number: 33, unnamed: true, action: 'term', description: 'Unknown signal 33' });
    expect(signalByNumber(0)).toBeUndefined();
    expect(signalByNumber(65)).toBeUndefined();
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
    expect(parseSignal('32')).toBe('SIG32');
    expect(parseSignal('33')).toBe('SIG33');
    expect(parseSignal('SIG32')).toBeNull();
    expect(parseSignal('65')).toBeNull();
    expect(parseSignal('BOGUS')).toBeNull();
    expect(parseSignal('SIG')).toBeNull();
  });
});

describe('kill and the default actions', () => {
  it('a sleep killed by SIGUSR1, SIGALRM, SIGSYS, signal 12 or SIGRTMIN reports 128+n after wait', async () => {
    const w = world();
    // wait reports the job as bash -c does (`bash: line 1:  PID Status  sleep 100`), but for SIGTERM.
    const status = async (how: string) => (await w.exec('redis-1', `sleep 100 & p=$!; kill ${how} $p; wait $p; echo $?`)).output.replace(/^bash: +\d+ /, 'bash: PID ');
    expect(await status('-USR1')).toBe('bash: PID User defined signal 1   sleep 100\n138\n');
    expect(await status('-s ALRM')).toBe('bash: PID Alarm clock             sleep 100\n142\n');
    // A background job of a non-interactive shell ignores SIGQUIT (and SIGINT).
    expect((await w.exec('redis-1', 'sleep 100 & p=$!; kill -n 3 $p; kill -0 $p && echo alive; kill -9 $p')).output).toBe('alive\n');
    expect(await status('-s SYS')).toBe('bash: PID Bad system call         sleep 100\n159\n');
    expect(await status('-12')).toBe('bash: PID User defined signal 2   sleep 100\n140\n');
    expect(await status('-s SIGRTMIN')).toBe('bash: PID Real-time signal 0      sleep 100\n162\n');
    expect(await status('-TERM')).toBe('143\n');
    expect(await status('-9')).toBe('bash: PID Killed                  sleep 100\n137\n');
  });

  it('signals 32 and 33 have no name but are sent by number, and end a process with 128+n', async () => {
    const w = world();
    const r = await w.exec('redis-1', 'sleep 100 & p=$!; kill -s 32 $p; echo $?; wait $p; echo $?; sleep 100 & p=$!; kill -33 $p; wait $p; echo $?; sleep 100 & p=$!; kill -n 32 $p; wait $p; echo $?');
    expect(r.output.replace(/^bash: +\d+ Unknown signal 3[23] +sleep 100\n/gm, '')).toBe('0\n160\n161\n160\n');
    // kill -l names neither (not even an empty line), and takes an exit status above 128.
    expect((await w.exec('redis-1', 'kill -l 31 32 33 34 160 161; echo $?')).output).toBe('SYS\nRTMIN\n0\n');
    expect((await w.exec('redis-1', 'kill -l SIG32')).output).toBe('bash: kill: SIG32: invalid signal specification\n');
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
      expect(r.output, sig).toMatch(new RegExp(`^alive\\nbash: +\\d+ [A-Z].+? +echo-server 7000 > /tmp/echo.log\\n${code}\\n$`));
      expect(w.processes('redis-1').some((p) => p.argv[0] === 'echo-server'), sig).toBe(false);
    }
  });

  it('a program gets only the signals it handles; the others take their default action', async () => {
    const w = world();
    // forker handles SIGTERM and SIGINT only: SIGUSR1 ends it as it would a program with no handler.
    const r = await w.exec('redis-1', 'forker > /tmp/forker.log & p=$!; sleep 0.1; kill -USR1 $p; wait $p; echo $?');
    expect(r.output).toMatch(/138\n$/);
    expect(w.readText('redis-1', '/tmp/forker.log')).not.toContain('got');
    const handled = await w.exec('redis-1', 'forker > /tmp/forker2.log & p=$!; sleep 0.1; kill -INT $p; wait $p; echo $?');
    expect(handled.output).toBe('0\n');
    expect(w.readText('redis-1', '/tmp/forker2.log')).toContain('got SIGINT, exiting');
  });

  it('redis-server ignores SIGHUP and SIGPIPE, shuts down on SIGTERM, and dies of SIGUSR2 (as the real one does)', async () => {
    const w = world();
    const r = await w.exec('redis-1', 'redis-server --port 6390 --save "" > /tmp/r.log & p=$!; sleep 0.5; kill -HUP $p; kill -PIPE $p; sleep 0.2; kill -0 $p && echo alive; kill -USR2 $p; wait $p; echo $?');
    expect(r.output).toMatch(/^alive\nbash: +\d+ User defined signal 2   redis-server --port 6390 --save "" > \/tmp\/r\.log\n140\n$/);
    expect(w.readText('redis-1', '/tmp/r.log')).not.toContain('signal-handler');
  });

  it('redis-server logs the signal that killed its BGSAVE child by its number in the one table, as the real one does', async () => {
    const w = world();
    await w.exec('redis-1', 'redis-server --save "" --logfile /var/log/r.log --rdb-key-save-delay 200 --enable-debug-command yes &');
    await w.advance(200);
    expect((await w.exec('redis-1', 'redis-cli debug populate 20000; redis-cli bgsave')).output).toBe('OK\nBackground saving started\n');
    await w.advance(500);
    // (SIGKILL: the child is in one modelled busy spell of 4 s, which only SIGKILL cuts short.)
    w.kill('redis-1', w.processes('redis-1').find((p) => p.title.startsWith('redis-rdb-bgsave '))!.pid, 'SIGKILL');
    await w.advance(200);
    expect(w.readText('redis-1', '/var/log/r.log')).toMatch(/ # Background saving terminated by signal 9\n/);
    expect((await w.exec('redis-1', 'redis-cli info persistence')).output).toContain('rdb_last_bgsave_status:err');
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
    for (const cmd of ['kill -s BOGUS 1', 'kill -BOGUS 1', 'kill -n 99 1', 'kill -s SIG32 1', 'kill -65 1']) {
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
    // A line run as bash -c runs it: the job's pid, status and command after the shell's name.
    const r = await w.exec('redis-1', '{ sleep 0.1; pkill -ALRM -x sleep; } & sleep 5; echo $?');
    expect(r.output).toMatch(/^bash: +\d+ Alarm clock             sleep 5\n142\n$/);
  });
});
