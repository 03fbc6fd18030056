/**
 * The mode of redis-cli's history file against the real redis-cli 7.0.15: linenoise saves it
 * with fopen under umask 0177 and then fchmod()s it to 0600, so a new file is 0600 under any
 * umask (even one that takes the owner's write bit) and an existing, readable one becomes
 * 0600. The real one is driven in a pseudo-terminal (python3's pty, answering linenoise's
 * cursor-position query); ours runs in-process on the native host and in the simulation.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools, findBinary, REAL_REDIS_CLI } from '../support/real-redis';
import { runOurCli } from '../support/cli-runner';
import { freePort } from '../support/ports';
import { typeAndRun, world } from '../sim/helpers';

const PYTHON = findBinary('python3');
const enabled = haveTools(REAL_REDIS_CLI, PYTHON);

/** Type `lines` into a command run in a pseudo-terminal; linenoise's `ESC[6n` gets a cursor position back. */
const PTY_DRIVER = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp('sh', ['sh', '-c', sys.argv[1]])
lines, sent, deadline = sys.argv[2:], 0, time.time() + 10
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        if b'\\x1b[6n' in data:
            os.write(fd, b'\\x1b[1;1R')
    elif sent < len(lines):
        os.write(fd, lines[sent].encode() + b'\\r')
        sent += 1
    if os.waitpid(pid, os.WNOHANG)[0]:
        break
`;

/** The cases: the umask redis-cli runs under, and the mode of a history file already there (or none). */
const CASES: { name: string; umask: number; existing: number | null }[] = [
  { name: 'a new file under umask 022', umask: 0o022, existing: null },
  { name: 'a new file under umask 277', umask: 0o277, existing: null },
  { name: 'an existing 0644 file', umask: 0o022, existing: 0o644 },
  { name: 'an existing 0666 file under umask 0', umask: 0, existing: 0o666 },
];

describe.skipIf(!enabled)('redis-cli history file mode (differential)', () => {
  let dir = '';
  let deadPort = 0;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'halab-cli-histmode-'));
    deadPort = await freePort();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A fresh home holding the case's history file, if any. */
  function home(c: (typeof CASES)[number], who: string): string {
    const h = fs.mkdtempSync(path.join(dir, `${who}-`));
    if (c.existing !== null) {
      fs.writeFileSync(path.join(h, '.rediscli_history'), 'old\n');
      fs.chmodSync(path.join(h, '.rediscli_history'), c.existing);
    }
    return h;
  }

  const modeOf = (file: string) => (fs.statSync(file).mode & 0o7777).toString(8);

  function realMode(c: (typeof CASES)[number]): string {
    const h = home(c, 'real');
    const umask = c.umask.toString(8).padStart(3, '0');
    spawnSync(PYTHON!, ['-c', PTY_DRIVER, `umask ${umask}; exec ${REAL_REDIS_CLI} -p ${deadPort}`, 'ping', 'quit'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: h, TERM: 'xterm' }, timeout: 20_000,
    });
    return modeOf(path.join(h, '.rediscli_history'));
  }

  for (const c of CASES) {
    it(`${c.name}: ours on the native host as the real one`, async () => {
      const expected = realMode(c);
      const h = home(c, 'ours');
      const saved = process.umask(c.umask);
      try {
        await runOurCli(['-p', String(deadPort)], { terminal: { lines: ['ping'], prompts: [], editing: [] }, env: { HOME: h } });
      } finally {
        process.umask(saved);
      }
      expect(modeOf(path.join(h, '.rediscli_history'))).toBe(expected);
    });

    it(`${c.name}: ours in the simulation as the real one`, async () => {
      const expected = realMode(c);
      const w = world();
      const t = w.openTerminal('redis-1');
      if (c.existing !== null) await typeAndRun(w, t, `echo old > ~/.rediscli_history; chmod ${c.existing.toString(8)} ~/.rediscli_history`, 50);
      await typeAndRun(w, t, `umask ${c.umask.toString(8).padStart(3, '0')}; redis-cli -p 1`, 200);
      await typeAndRun(w, t, 'ping', 200);
      await typeAndRun(w, t, 'quit', 200);
      const out = await typeAndRun(w, t, 'stat -c %a ~/.rediscli_history', 50);
      expect(out.split('\n')[1]).toBe(expected);
    });
  }
});
