/**
 * timeout against GNU coreutils 9.1's: the same lines in the simulated shell (on the virtual
 * clock) and the machine's bash (on the wall clock, so the durations are short and no outcome
 * depends on a race), stdout and stderr together and the exit status compared. Lines whose
 * timeout dies of a signal keep bash's report of it (which names a pid) out of the output:
 * in a $(…) or a group with stderr to /dev/null. Then what only the simulation can show: the
 * virtual time it takes, a program it stops, Ctrl-C.
 */
import { describe, expect, it } from 'vitest';
import { typeAndRun, world } from './helpers';
import { useShellDifferential } from './shell-differential';

const { expectSame } = useShellDifferential('shell-timeout', { text: 'hello\n', 'dir/x': 'x', 'script.sh': '#!/bin/sh\necho from script\n' });

const quiet = (cmd: string) => `{ ${cmd}; } 2>/dev/null; echo "status $?"`;

describe('timeout (differential)', () => {
  it('the command ends, times out, or is killed', async () => {
    await expectSame([
      'timeout 0.2 sleep 1; echo $?', 'timeout 1 sleep 0.1; echo $?', 'x=$(timeout -s KILL 0.2 sleep 1); echo $?', 'timeout --preserve-status 0.2 sleep 1; echo $?',
      'x=$(timeout --preserve-status -s KILL 0.2 sleep 1); echo $?', quiet("timeout -k 0.2 0.2 sh -c 'trap \"\" TERM; sleep 1'"), 'timeout -s INT 0.2 sleep 1; echo $?',
      "timeout 0.2 sh -c 'exit 3'; echo $?", quiet("timeout 1 sh -c 'kill -TERM $$'"), "timeout 1 sh -c 'kill -INT $$'; echo $?", quiet("timeout 1 sh -c 'kill -KILL $$'"),
      'timeout -s 0 0.2 sleep 0.5; echo $?', 'timeout -s HUP 0.2 sleep 1; echo $?', 'timeout --foreground 0.2 sleep 1; echo $?', 'x=$(timeout --foreground -s KILL 0.2 sleep 1); echo $?',
      'timeout -v 0.2 sleep 1; echo $?', 'timeout -v -s 40 0.2 sleep 1; echo $?', quiet("timeout -v -k 0.2 0.2 sh -c 'trap \"\" TERM; sleep 1' 2>&1 | cat"),
      'timeout -k 0 0.2 sleep 1; echo $?', 'timeout 0 true; echo $?', 'timeout 0.2 sleep 1 | cat; echo ${PIPESTATUS[0]}', 'timeout --pre 0.2 sleep 1; echo $?', 'timeout --f 0.2 sleep 1; echo $?',
      "timeout 0.3 sh -c 'sleep 1 & wait'; echo $?", "timeout 0.2 sh -c 'trap \"echo got TERM; exit 7\" TERM; sleep 1 & wait'; echo $?",
    ]);
  });

  it('what it runs and with what', async () => {
    await expectSame([
      'timeout 1 echo hi', 'timeout 1 type ls', 'timeout 1 nosuch', 'timeout 1 cd', 'timeout 1 ./dir', 'timeout 1 ./text', 'timeout 1 ./script.sh', 'timeout 1 sh script.sh', "f() { echo f; }; timeout 1 f",
      'echo piped | timeout 1 cat', 'FOO=bar timeout 1 sh -c \'echo $FOO\'', 'timeout 1 -s 9 true; echo $?', 'timeout -- 1 true; echo $?', 'timeout 1 -- true; echo $?', 'timeout 1 false; echo $?',
    ]);
  });

  it('durations, signals and usage', async () => {
    const durations = ['0', '1m', '1x', '1.5s', 'inf', '1e1', '0x10', "' 1'", "'1 '", '.5', '1.', '1d', '1h', '-0', '-- -1', '1ss', 'nan', "''", '0x1p3', 'INF'];
    const signals = ['32', '33', '34', '64', '65', 'RTMIN+1', 'RTMAX-1', 'RTMIN', 'sigkill', 'Kill', 'SIGKILL', 'SIGkill', '009', "' 9'", '9x', 'CHLD', '-9', '256', '128', '200', 'EXIT', 'IOT', 'RTMIN+31', 'RTMIN-1', 'USR1'];
    await expectSame([
      ...durations.map((d) => `timeout ${d} true; echo $?`),
      ...signals.map((s) => `timeout -s ${s} 5 true; echo $?`),
      'timeout', 'timeout 5', 'timeout -q 1 true', 'timeout --foo 1 true', 'timeout -k x 1 true', 'timeout -s', 'timeout --help', 'timeout --version', 'timeout --he', 'timeout -k', 'timeout --signal',
      'type -t timeout', 'command -v timeout',
    ]);
  });
});

describe('timeout in the simulation', () => {
  it('takes virtual time: the timeout, not the command', async () => {
    const w = world();
    const before = w.now;
    const r = await w.exec('redis-1', 'timeout 5 sleep 3600; echo $?');
    expect(r.output).toBe('124\n');
    expect(w.now - before).toBeGreaterThanOrEqual(5000);
    expect(w.now - before).toBeLessThan(6000);
  });

  it('stops a program: redis-cli waiting for an unreachable host, a subscriber', async () => {
    const w = world();
    await w.exec('redis-1', 'redis-server --port 6379 --daemonize yes');
    await w.advance(200);
    expect((await w.exec('redis-1', 'timeout 2 redis-cli -h 10.0.0.99 ping; echo $?')).output).toBe('124\n');
    expect((await w.exec('redis-1', 'timeout 1 redis-cli subscribe news; echo $?')).output).toBe('subscribe\nnews\n1\n124\n');
    expect((await w.exec('redis-1', 'timeout 2 redis-cli -p 1 ping; echo $?')).output).toBe('Could not connect to Redis at 127.0.0.1:1: Connection refused\n1\n');
  });

  it('passes Ctrl-C on, then dies of it (bash then abandons the line)', async () => {
    const w = world();
    const term = w.openTerminal('redis-1');
    await w.advance(100);
    w.type(term, 'timeout 10 sleep 100; echo "not reached"');
    await w.advance(1000);
    w.interrupt(term);
    await w.advance(100);
    expect(w.processes('redis-1').some((p) => p.argv[0] === 'sleep' || p.argv[0] === 'timeout')).toBe(false);
    expect(await typeAndRun(w, term, 'echo "status $?"')).toContain('status 130');
    expect(w.terminal(term)!.text()).not.toMatch(/^not reached/m);
  });

  it('kills what the command started too, and ps shows both', async () => {
    const w = world();
    const term = w.openTerminal('redis-1');
    await w.advance(100);
    w.type(term, "timeout 3 sh -c 'sleep 100 & sleep 200' &");
    await w.advance(500);
    const ps = await typeAndRun(w, term, 'ps -eo ppid,pid,args | grep -v grep | grep -E "timeout|sleep"');
    expect(ps).toMatch(/timeout 3 sh -c/);
    expect(ps).toMatch(/sleep 100/);
    await w.advance(3000);
    expect(w.processes('redis-1').some((p) => p.argv[0] === 'sleep')).toBe(false);
  });
});
