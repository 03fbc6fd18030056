/**
 * execve() from the shell (src/sim/shell/exec.ts): which commands replace their shell's
 * process and which run in a child, checked against this machine's bash 5.2, dash and procps.
 * The same script starts each case in the background in both worlds, waits, and lists the
 * processes under the script's shell as a tree of their arguments (pids differ, the shape
 * must not).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { typeAndRun, world } from './helpers';

/** Each case runs a long sleep of its own length, so its processes can be told apart. */
const CASES = [
  `bash -c 'true; sleep 31'`, // bash execs the last command of -c
  `bash -c 'sleep 32'`,
  `sh -c 'sleep 33'`, // dash does not
  `sh -c 'exec sleep 34'`,
  `bash -c 'sleep 35 > /dev/null'`, // a redirection: forked
  `bash -c 'cd / && sleep 36'`, // the last of an && list
  `bash -c 'sleep 37; true'`, // not the last command
  `bash -c 'trap "" INT; sleep 38'`, // a trap is set
  `bash -c '! sleep 39'`, // negated
  `bash -c 'x=1 sleep 40'`, // an assignment is no obstacle
  `bash -c 'exec -a renamed sleep 41'`,
  `bash -c 'f() { sleep 42; }; f'`, // a function
  `bash -c 'bash -c "true; sleep 43"'`, // exec'd twice
];

// Their output goes nowhere, so that the script's ends when it does (the real sleeps outlive it).
const SCRIPT = `echo $$\n${CASES.map((c) => `${c} > /dev/null 2>&1 &`).join('\n')}\nsleep 1\nps -eo pid,ppid,args\n`;

/** The processes below the script's shell (the first line of `out` is its pid): `depth args` lines, sorted. */
function tree(out: string): string[] {
  const [top, , ...rows] = out.trimEnd().split('\n');
  const procs = rows.flatMap((r) => {
    const m = /^\s*(\d+)\s+(\d+)\s(.*)$/.exec(r);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), args: m[3].trim() }] : [];
  });
  const depth = new Map<number, number>([[Number(top), 0]]);
  const lines: string[] = [];
  for (const p of procs) {
    const d = depth.get(p.ppid);
    if (d === undefined || !/\b(3\d|4[0-3])\b/.test(p.args)) continue;
    depth.set(p.pid, d + 1);
    lines.push(`${d + 1} ${p.args}`);
  }
  return lines.sort();
}

describe('exec: the command takes its shell\'s process', () => {
  it('makes the same process trees as bash 5.2 and dash', async () => {
    let real: string;
    try {
      real = execFileSync('bash', ['--norc', '-c', SCRIPT], { encoding: 'utf8' });
    } finally {
      // The cases' sleeps outlive the script: end them.
      try { execFileSync('pkill', ['-f', '^(sleep|renamed) (3[1-9]|4[0-3])$']); } catch { /* none left */ }
    }
    const w = world();
    const sim = (await w.exec('redis-1', SCRIPT)).output;
    expect(tree(sim)).toEqual(tree(real));
    // What the comparison rests on: every case is there.
    expect(tree(real).filter((l) => /^\d+ (sleep|renamed) /.test(l))).toHaveLength(CASES.length);
  });
});

describe('exec at the prompt', () => {
  it('hands the login shell\'s process to the program, whose end closes the session', async () => {
    const w = world();
    await w.exec('redis-1', 'redis-server --port 7000 --save "" --daemonize yes');
    const term = w.openTerminal('redis-1');
    await w.advance(500);
    const shellPid = w.terminalState(term)!.readerPid;
    expect(await typeAndRun(w, term, 'exec redis-cli -p 7000')).toContain('127.0.0.1:7000> ');
    // The same process, now redis-cli, reads the terminal: a program, not the shell.
    expect(w.terminalState(term)).toMatchObject({ reader: 'program', readerPid: shellPid });
    expect(w.processes('redis-1').find((p) => p.pid === shellPid)?.argv).toEqual(['redis-cli', '-p', '7000']);
    expect(await typeAndRun(w, term, 'ping')).toContain('PONG');
    // No shell to come back to.
    expect(await typeAndRun(w, term, 'quit')).toBe('quit\nConnection to redis-1 closed.\r\n');
    expect(w.terminalState(term)?.closed).toBe(true);
  });

  it('a command that cannot be executed leaves the shell at its prompt, with the status', async () => {
    const w = world();
    const term = w.openTerminal('redis-1');
    await w.advance(500);
    expect(await typeAndRun(w, term, 'exec nosuch; echo $?')).toBe('exec nosuch; echo $?\nbash: exec: nosuch: not found\n127\nroot@redis-1:~# ');
  });
});
