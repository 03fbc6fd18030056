/** The standard program registry runs the real engine tools inside the simulation. */
import { it, expect } from 'vitest';
import { World, STANDARD_PROGRAM_NAMES } from '../../src/sim';
import { STANDARD_PROGRAMS } from '../../src/sim/programs';

it('redis-cli talks to a simulated redis-server over the simulated network', async () => {
  const w = new World({
    seed: 7,
    hosts: [
      { name: 'db', ip: '10.0.0.1', files: {}, boot: ['redis-server --port 6379 --save "" --protected-mode no'] },
      { name: 'app', ip: '10.0.0.2', files: {}, boot: [] },
    ],
    programs: STANDARD_PROGRAMS,
  } as ConstructorParameters<typeof World>[0]);
  await w.advance(500);
  const local = await w.exec('db', 'redis-cli set foo bar; redis-cli get foo; redis-cli dbsize');
  expect(local.output).toBe('OK\nbar\n1\n');
  const remote = await w.exec('app', 'redis-cli -h 10.0.0.1 get foo');
  expect(remote.output).toBe('bar\n');
  const refused = await w.exec('app', 'redis-cli -h 10.0.0.1 -p 6380 ping');
  expect(refused.output).toContain('Could not connect to Redis at 10.0.0.1:6380: Connection refused');
});

it('the names the page uses are the standard registry\'s; a world without `programs` loads it on demand', async () => {
  expect([...STANDARD_PROGRAM_NAMES].sort()).toEqual(Object.keys(STANDARD_PROGRAMS).sort());
  const w = new World({ seed: 7, hosts: [{ name: 'db', ip: '10.0.0.1' }] });
  expect([...w.programNames].sort()).toEqual([...STANDARD_PROGRAM_NAMES].sort());
  expect((await w.exec('db', 'redis-check-aof')).output).toContain('Usage: redis-check-aof');
  expect((await w.exec('db', 'no-such-program')).output).toBe('bash: no-such-program: command not found\n');
  w.dispose();
});

it("Ctrl-C at redis-cli's prompt ends it like linenoise does (a newline, exit 0, no ^C); in SUBSCRIBE it returns to the prompt", async () => {
  const w = new World({
    seed: 7,
    hosts: [{ name: 'db', ip: '10.0.0.1', files: {}, boot: ['redis-server --port 6379 --save ""'] }],
    programs: STANDARD_PROGRAMS,
  });
  await w.advance(500);
  const t = w.openTerminal('db');
  await w.advance(50);
  const from = (n: number) => w.terminal(t)!.text().slice(n);
  w.type(t, 'redis-cli');
  await w.advance(200);
  // Raw mode: the key is read by linenoise, which returns nothing and prints a newline.
  let mark = w.terminal(t)!.text().length;
  w.type(t, 'subscribe ch');
  await w.advance(200);
  expect(from(mark)).toContain('Reading messages... (press Ctrl-C to quit)');
  mark = w.terminal(t)!.text().length;
  // While subscribed the terminal is cooked: ^C, SIGINT, and sigIntHandler reconnects.
  w.interrupt(t);
  await w.advance(200);
  expect(from(mark)).toBe('^C127.0.0.1:6379> ');
  mark = w.terminal(t)!.text().length;
  w.interrupt(t);
  await w.advance(200);
  expect(from(mark)).toBe('\nroot@db:~# ');
  w.type(t, 'echo $?');
  await w.advance(200);
  expect(w.terminal(t)!.text()).toMatch(/echo \$\?\n0\nroot@db:~# $/);
  w.dispose();
});
