/**
 * Our redis-cli against Debian's redis-cli 7.0.15: both run with the same arguments, the same
 * environment and the same standard input against the same real redis-server, and their
 * stdout, stderr and exit code must be byte-identical.
 *
 * Most cases run ours in-process (redisCliMain with captured output); a few go through the
 * real Node entry point (src/native/redis-cli.ts) to prove the host glue writes bytes as bytes.
 * Cases that change data reset it first, so both programs see the same state.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as nodeOs from 'node:os';
import * as path from 'node:path';
import { haveTools, startRealRedis, REAL_REDIS, REAL_REDIS_CLI, type RealRedis } from '../support/real-redis';
import { runOurCli, runOurCliSpawned, runRealCli, type CliResult, type CliRunOptions } from '../support/cli-runner';
import type { RawClient } from '../support/raw-client';
import { freePort } from '../support/ports';
import { startFakeNode } from '../support/fake-redis-node';

const enabled = haveTools(REAL_REDIS, REAL_REDIS_CLI);

interface Case extends CliRunOptions {
  args: string[];
  /** Commands sent to the server before each of the two runs. */
  setup?: string[][];
}

describe.skipIf(!enabled)('redis-cli (differential)', () => {
  let real: RealRedis;
  let client: RawClient;
  let deadPort: number;

  const P = () => ['-p', String(real.port)];

  async function setup(cmds: string[][]): Promise<void> {
    for (const c of cmds) await client.call(...c);
  }

  async function loadData(): Promise<void> {
    await setup([
      ['FLUSHALL'],
      ['RPUSH', 'list', 'a', 'b', 'c'],
      ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'],
      ['SADD', 's', '1', '2', '3'],
      ['ZADD', 'z', '1', 'a', '2.5', 'b'],
      ['SET', 'bin', 'a\tb\x01\xff"\\q\n'],
      ['SET', 'utf8', 'caf\xc3\xa9'],
      ['SET', 'n', '42'],
      ['SELECT', '2'], ['SET', 'k2', 'in-db-2'], ['SELECT', '0'],
    ]);
  }

  async function compare(c: Case, runOurs: (args: string[], o: CliRunOptions) => Promise<CliResult> = runOurCli): Promise<void> {
    if (c.setup) await setup(c.setup);
    const r = await runRealCli(c.args, c);
    if (c.setup) await setup(c.setup);
    const o = await runOurs(c.args, c);
    expect({ args: c.args, ...o }).toEqual({ args: c.args, ...r });
  }

  // The real server also listens on a unix socket (redis-cli -s).
  const sock = path.join(nodeOs.tmpdir(), `halab-cli-${process.pid}.sock`);

  beforeAll(async () => {
    real = await startRealRedis(['--unixsocket', sock]);
    client = await real.client();
    deadPort = await freePort();
    await loadData();
  });
  afterAll(async () => {
    client?.close();
    await real?.stop();
  });

  const READS: string[][] = [
    ['ping'], ['ping', 'hello world'], ['get', 'bin'], ['get', 'utf8'], ['get', 'missing'], ['get', 'n'], ['strlen', 'bin'],
    ['lrange', 'list', '0', '-1'], ['lrange', 'nolist', '0', '-1'], ['hgetall', 'h'], ['smembers', 's'],
    ['zrange', 'z', '0', '-1', 'withscores'], ['zscore', 'z', 'b'], ['zscore', 'z', 'nope'], ['mget', 'n', 'missing', 'bin'],
    ['command', 'info', 'get', 'set', 'nosuchcommand'], ['config', 'get', 'maxmemory*'],
    ['foo'], ['get'], ['set', 'k', 'v', 'ex', '-1'], ['incr', 'bin'], ['object', 'encoding', 'list'],
    ['debug', 'protocol', 'string'], ['debug', 'protocol', 'integer'], ['debug', 'protocol', 'double'],
    ['debug', 'protocol', 'null'], ['debug', 'protocol', 'array'], ['debug', 'protocol', 'set'], ['debug', 'protocol', 'map'],
    ['debug', 'protocol', 'true'], ['debug', 'protocol', 'false'], ['debug', 'protocol', 'verbatim'], ['debug', 'protocol', 'push'],
    ['debug', 'protocol', 'bignum'], ['debug', 'protocol', 'attrib'],
  ];

  describe('reply formatting', () => {
    for (const mode of [[], ['--no-raw'], ['--csv'], ['--json'], ['--quoted-json']]) {
      it(`every reply type, ${mode.join(' ') || 'raw (stdout not a tty)'}`, async () => {
        for (const cmd of READS) await compare({ args: [...P(), ...mode, ...cmd] });
      });
    }
    for (const mode of [[], ['--no-raw'], ['--csv']]) {
      it(`RESP3 (-3), ${mode.join(' ') || 'raw'}`, async () => {
        for (const cmd of READS) await compare({ args: [...P(), '-3', ...mode, ...cmd] });
      });
    }
    it('HELLO (client ids normalised)', async () => {
      const norm = (s: string) => s.replace(/("?id"?(?:\n|\n\s*\d+\) |,|:| => | ))(\(integer\) )?\d+/g, '$1$2N');
      for (const args of [['hello', '3'], ['-3', '--no-raw', 'hello', '3'], ['--no-raw', 'hello', '2'], ['--json', 'hello'], ['-3', '--csv', 'hello']]) {
        const r = await runRealCli([...P(), ...args]);
        const o = await runOurCli([...P(), ...args]);
        expect({ ...o, stdout: norm(o.stdout) }).toEqual({ ...r, stdout: norm(r.stdout) });
      }
    });
    it('FAKETTY makes stdout count as a terminal', async () => {
      for (const cmd of [['lrange', 'list', '0', '-1'], ['hgetall', 'h'], ['get', 'missing']]) {
        await compare({ args: [...P(), ...cmd], env: { FAKETTY: '1' } });
      }
    });
    it('nested arrays: SLOWLOG GET and COMMAND INFO', async () => {
      await setup([['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], ['SLOWLOG', 'RESET'], ['SET', 'slow', 'x'], ['GET', 'slow']]);
      // SLOWLOG GET itself is logged between the two runs: compare the entries it returned before.
      await setup([['CONFIG', 'SET', 'slowlog-log-slower-than', '-1']]);
      const r = await runRealCli([...P(), '--no-raw', 'slowlog', 'get', '2']);
      const o = await runOurCli([...P(), '--no-raw', 'slowlog', 'get', '2']);
      const shape = (s: string) => s.replace(/\(integer\) \d+/g, '(integer) N').replace(/127\.0\.0\.1:\d+/g, 'ADDR');
      expect(shape(o.stdout)).toEqual(shape(r.stdout));
      expect(o.stdout).toMatch(/^1\) 1\) \(integer\) \d+\n {3}2\) \(integer\) \d+\n/);
      await compare({ args: [...P(), '--no-raw', 'command', 'info', 'get', 'zadd', 'config'] });
      await compare({ args: [...P(), '-3', '--no-raw', 'command', 'docs', 'get'] });
    });
    it('raw delimiters -d and -D', async () => {
      await compare({ args: [...P(), '-d', ',', 'lrange', 'list', '0', '-1'] });
      await compare({ args: [...P(), '-D', '|', 'lrange', 'list', '0', '-1'] });
      await compare({ args: [...P(), '-d', '--', '-D', '##', '-3', 'hgetall', 'h'] });
    });
    it('INFO and CLIENT LIST print raw even in tty mode', async () => {
      const r = await runRealCli([...P(), '--no-raw', 'info', 'keyspace']);
      const o = await runOurCli([...P(), '--no-raw', 'info', 'keyspace']);
      expect(o).toEqual(r);
    });
  });

  describe('modes', () => {
    it('-x reads the last argument from stdin, -X a tagged one', async () => {
      await compare({ args: [...P(), '-x', 'set', 'xk'], stdin: 'hello\nworld\n\x00\xff' });
      await compare({ args: [...P(), '--no-raw', 'get', 'xk'] });
      await compare({ args: [...P(), '-X', 'tag', 'set', 'xk2', 'tag'], stdin: 'tagged' });
      await compare({ args: [...P(), '-X', 'tag', 'set', 'xk2', 'other'], stdin: 'tagged' });
      await compare({ args: [...P(), '--no-raw', 'get', 'xk2'] });
    });
    it('-r repeats, -i waits, -n selects a db', async () => {
      await compare({ args: [...P(), '-r', '3', 'incr', 'cnt'], setup: [['DEL', 'cnt']] });
      await compare({ args: [...P(), '--no-raw', '-r', '3', '-i', '0.01', 'incr', 'cnt'], setup: [['DEL', 'cnt']] });
      await compare({ args: [...P(), '-r', 'abc', 'ping'] });
      await compare({ args: [...P(), '-r', '0', 'ping'] });
      await compare({ args: [...P(), '-n', '2', '--no-raw', 'get', 'k2'] });
      await compare({ args: [...P(), '-n', '99', 'ping'] });
      await compare({ args: [...P(), '-n', 'abc', 'dbsize'] });
      await compare({ args: ['-u', `redis://127.0.0.1:${real.port}/2`, '--no-raw', 'get', 'k2'] });
    });
    it('commands from stdin when stdin is not a terminal', async () => {
      const script = 'set a 1\nget a\nfoo\nget "x\nlrange nol 0 -1\nselect 2\nget k2\n3 ping\n-1 ping\n0 ping\n"" ping\n'
        + '99999999999999999999 ping\n3abc\nmulti\nset a 2\nexec\n:set foo\n:set nohints\n:bar\nrestart\nclear\n\n   \n'
        + 'get "a\\x41\\n"\nset \'it\\\'s\' "q\\"uote"\nget it\'s\nget "a"b\nhelp\nhelp get\nhelp @connection\nhelp config get\n'
        + 'discard\nconnect 127.0.0.1 ' + deadPort + '\nping\nconnect 127.0.0.1 ' + real.port + '\nping\nquit\nping\n';
      for (const mode of [[], ['--no-raw'], ['--csv'], ['-3', '--no-raw']]) {
        await compare({ args: [...P(), ...mode], stdin: script, setup: [['DEL', 'a']] });
      }
      await compare({ args: [...P()], stdin: 'ping\nping' });
      await compare({ args: [...P(), '-e'], stdin: 'foo\nping\n' });
      await compare({ args: [...P(), '-n', '2', '--no-raw'], stdin: 'get k2\nselect 0\nget k2\n' });
    });
    it('--scan with --pattern and --quoted-pattern', async () => {
      await compare({ args: [...P(), '--scan'] });
      await compare({ args: [...P(), '--scan', '--pattern', '*i*'] });
      await compare({ args: [...P(), '--scan', '--no-raw', '--pattern', 'b*'] });
      await compare({ args: [...P(), '--scan', '--quoted-pattern', '"*\\x69*"'] });
      await compare({ args: [...P(), '--scan', '--quoted-pattern', '"bad'] });
      await compare({ args: [...P(), '-n', '2', '--scan'] });
    });
    it('--bigkeys, --memkeys, --hotkeys', async () => {
      await compare({ args: [...P(), '--bigkeys'] });
      await compare({ args: [...P(), '--memkeys'] });
      await compare({ args: [...P(), '--memkeys-samples', '2'] });
      await compare({ args: [...P(), '--hotkeys'] });
      await compare({ args: [...P(), '-n', '5', '--bigkeys'] });
      await setup([['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu']]);
      await compare({ args: [...P(), '--hotkeys'] });
      await setup([['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']]);
    });
    it('--pipe', async () => {
      const proto = '*3\r\n$3\r\nSET\r\n$2\r\npk\r\n$1\r\nv\r\n*1\r\n$3\r\nFOO\r\nPING\r\n*2\r\n$4\r\nINCR\r\n$2\r\npk\r\n';
      await compare({ args: [...P(), '--pipe'], stdin: proto });
      await compare({ args: [...P(), '--pipe'], stdin: '' });
      let many = '';
      for (let i = 0; i < 2000; i++) many += `*3\r\n$3\r\nSET\r\n$${`k${i}`.length}\r\nk${i}\r\n$${String(i).length}\r\n${i}\r\n`;
      await compare({ args: [...P(), '-n', '7', '--pipe'], stdin: many });
    });
    it('SUBSCRIBE streams messages until the connection is killed', async () => {
      for (const mode of [[], ['--no-raw'], ['-3', '--no-raw']]) {
        const during = async () => {
          // Wait until the subscriber is registered, publish, then kill it.
          for (let i = 0; i < 100; i++) {
            const n = await client.call('PUBSUB', 'NUMSUB', 'ch');
            if (n.includes(':1\r\n')) break;
            await new Promise((r) => setTimeout(r, 20));
          }
          await client.call('PUBLISH', 'ch', 'hello');
          await client.call('PUBLISH', 'ch', 'x\ny');
          await new Promise((r) => setTimeout(r, 50));
          await client.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
        };
        const args = [...P(), ...mode, 'subscribe', 'ch'];
        const r = await runRealCli(args, { during });
        const o = await runOurCli(args, { during });
        expect(o).toEqual(r);
        expect(r.stdout).toContain('hello');
      }
    });
    it('MONITOR prints what others send (timestamps and ports normalised)', async () => {
      const norm = (s: string) => s.replace(/^\d+\.\d+ \[0 127\.0\.0\.1:\d+\]/gm, 'TS [0 ADDR]');
      const run = async (fn: typeof runRealCli) => {
        const during = async () => {
          // Poll until MONITOR is registered: only the poll that sees it shows in its output.
          for (let i = 0; i < 200; i++) {
            if ((await client.call('CLIENT', 'LIST')).includes('cmd=monitor')) break;
            await new Promise((r) => setTimeout(r, 10));
          }
          await client.call('SET', 'mon', 'a"b\x01');
          await client.call('GET', 'mon');
          await new Promise((r) => setTimeout(r, 50));
          const list = await client.call('CLIENT', 'LIST');
          const id = /id=(\d+) [^\n]*cmd=monitor/.exec(list)?.[1];
          if (id) await client.call('CLIENT', 'KILL', 'ID', id);
        };
        return fn([...P(), 'monitor'], { during });
      };
      const r = await run(runRealCli);
      const o = await run(runOurCli);
      expect({ ...o, stdout: norm(o.stdout) }).toEqual({ ...r, stdout: norm(r.stdout) });
      expect(r.stdout).toContain('"SET" "mon" "a\\"b\\x01"');
    });
    it('client tracking invalidations print as "-> invalidate" in RESP3 tty mode', async () => {
      const stdin = 'client tracking on\nget tk\nset tk 2\nget tk\nset tk 3\nping\n';
      await compare({ args: [...P(), '-3'], stdin, env: { FAKETTY: '1' }, setup: [['DEL', 'tk']] });
      await compare({ args: [...P(), '-3', '--show-pushes', 'no'], stdin, env: { FAKETTY: '1' }, setup: [['DEL', 'tk']] });
      await compare({ args: [...P(), '-3'], stdin, setup: [['DEL', 'tk']] });
    });
    it('--eval runs a script file; --ldb debugs it', async () => {
      const fs = await import('node:fs');
      const path = await import('node:path');
      const script = path.join(real.dir, 's.lua');
      fs.writeFileSync(script, 'local a = 1\nredis.call("set", KEYS[1], ARGV[1])\nreturn {KEYS[1], ARGV[1], a}\n');
      const bad = path.join(real.dir, 'bad.lua');
      fs.writeFileSync(bad, 'return x(\n');
      await compare({ args: [...P(), '--eval', script, 'k1', ',', 'v1'] });
      await compare({ args: [...P(), '--no-raw', '--eval', script, 'k1', 'k2', ',', 'v1', ',', 'v2'] });
      await compare({ args: [...P(), '--eval', path.join(real.dir, 'missing.lua')] });
      await compare({ args: [...P(), '--ldb-sync-mode', '--eval', script, 'k1', ',', 'v1'], stdin: 's\nhelp\nprint\nrestart\nc\n' });
      await compare({ args: [...P(), '--ldb', '--eval', script, 'k1', ',', 'v1'], stdin: 's\ns\neval redis.call("ping")\nc\n', env: { TERM: 'xterm' } });
      await compare({ args: [...P(), '--ldb', '--eval', bad] });
      await compare({ args: [...P()], stdin: 'script debug yes\neval "return 1" 0\nc\nping\n' });
    });
    it('--latency without a tty samples one second and prints one line', async () => {
      const r = await runRealCli([...P(), '--latency', '-i', '0.2']);
      const o = await runOurCli([...P(), '--latency', '-i', '0.2']);
      expect(r.stdout).toMatch(/^\d+ \d+ \d+\.\d\d \d+\n$/);
      expect(o.stdout).toMatch(/^\d+ \d+ \d+\.\d\d \d+\n$/);
      expect([o.stderr, o.code]).toEqual([r.stderr, r.code]);
      const rc = await runRealCli([...P(), '--latency', '--csv', '-i', '0.1']);
      const oc = await runOurCli([...P(), '--latency', '--csv', '-i', '0.1']);
      expect(rc.stdout).toMatch(/^\d+,\d+,\d+\.\d\d,\d+\n$/);
      expect(oc.stdout).toMatch(/^\d+,\d+,\d+\.\d\d,\d+\n$/);
    });
    it('--stat prints the header and rolling lines', async () => {
      const r = await runRealCli([...P(), '--stat', '-i', '0.1'], { timeoutMs: 450, unbuffered: true });
      const o = await runOurCliSpawned([...P(), '--stat', '-i', '0.1'], { timeoutMs: 3000 });
      const header = '------- data ------ --------------------- load -------------------- - child -\n'
        + 'keys       mem      clients blocked requests            connections          \n';
      for (const res of [r, o]) {
        expect(res.stdout.startsWith(header)).toBe(true);
        // The header repeats every 20 lines.
        const lines = res.stdout.split(header).join('').split('\n').filter((l) => l);
        expect(lines.length).toBeGreaterThan(1);
        for (const l of lines) expect(l).toMatch(/^\d+ +\d+(\.\d\d)?[BKMG] +\d+ +\d+ +\d+ \(\+\d+\) +\d+ *$/);
        expect(lines[0]).toMatch(/\(\+0\)/);
      }
      // The keys column is the same for both.
      expect(o.stdout.split('\n')[2].split(' ')[0]).toBe(r.stdout.split('\n')[2].split(' ')[0]);
    });
    it('--replica prints the commands the master propagates, as CSV', async () => {
      // No master PINGs at cron-dependent moments: they would make the two streams differ.
      await setup([['CONFIG', 'SET', 'repl-diskless-sync-delay', '0'], ['CONFIG', 'SET', 'repl-ping-replica-period', '3600']]);
      const norm = (s: string) => s.replace(/after \d+ bytes/g, 'after N bytes');
      const run = async (fn: typeof runRealCli) => {
        const during = async () => {
          for (let i = 0; i < 100; i++) {
            if ((await client.call('INFO', 'replication')).includes('state=online')) break;
            await new Promise((r) => setTimeout(r, 20));
          }
          // redis-cli waits a second after a diskless transfer before it ACKs.
          await new Promise((r) => setTimeout(r, 1500));
          await client.call('SET', 'replicated', 'v\x00"');
          await client.call('INCR', 'replcount');
          await new Promise((r) => setTimeout(r, 100));
          await client.call('CLIENT', 'KILL', 'TYPE', 'replica');
        };
        return fn([...P(), '--replica'], { during, unbuffered: true, timeoutMs: 8000 });
      };
      const r = await run(runRealCli);
      const o = await run(runOurCli);
      expect({ ...o, stderr: norm(o.stderr) }).toEqual({ ...r, stderr: norm(r.stderr) });
      expect(r.stdout).toContain('"SET","replicated","v\\x00\\""');
    });
    it('--rdb writes the snapshot to a file', async () => {
      await setup([['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']]);
      const fs = await import('node:fs');
      const path = await import('node:path');
      const digitsOut = (s: string) => s.replace(/\d+ bytes/g, 'N bytes').replace(/'[^']*'/g, "'FILE'");
      const rFile = path.join(real.dir, 'real-cli.rdb');
      const oFile = path.join(real.dir, 'our-cli.rdb');
      const r = await runRealCli([...P(), '--rdb', rFile]);
      const o = await runOurCli([...P(), '--rdb', oFile]);
      expect({ ...o, stderr: digitsOut(o.stderr) }).toEqual({ ...r, stderr: digitsOut(r.stderr) });
      expect(fs.readFileSync(oFile).subarray(0, 9).toString()).toBe('REDIS0010');
      expect(fs.statSync(oFile).size).toBeGreaterThan(100);
    });
  });

  it('-s <unixsocket>: commands, piped input, CLIENT INFO over the socket', async () => {
    await compare({ args: ['-s', sock, 'ping'] });
    await compare({ args: ['-s', sock, '-n', '2', 'get', 'k2'] });
    await compare({ args: ['-s', sock], stdin: 'ping\nget n\n' });
    // CLIENT INFO: the id differs between the two runs, the rest (addr=<path>:0, flags=U) not.
    const maskId = (x: CliResult) => ({ ...x, stdout: x.stdout.replace(/^id=\d+ /, 'id=N ') });
    const r = maskId(await runRealCli(['-s', sock, 'client', 'info'], {}));
    expect(r.stdout).toContain(`addr=${sock}:0 laddr=${sock}:0 `);
    expect(maskId(await runOurCli(['-s', sock, 'client', 'info'], {}))).toEqual(r);
  });

  describe('errors and options', () => {
    it('connection refused', async () => {
      await compare({ args: ['-p', String(deadPort), 'ping'] });
      await compare({ args: ['-p', String(deadPort)] });
      await compare({ args: ['-p', String(deadPort)], stdin: 'ping\nget a\n' });
      await compare({ args: ['-p', String(deadPort), '--scan'] });
      await compare({ args: ['-p', String(deadPort), 'help'] });
      await compare({ args: ['-s', '/nonexistent/redis.sock', 'ping'] });
      // A file that is no socket: connect(2) refuses.
      await compare({ args: ['-s', path.join(real.dir, 'dump.rdb.none'), 'ping'], setup: [['CONFIG', 'SET', 'dbfilename', 'dump.rdb.none'], ['SAVE']] });
      await compare({ args: ['-h', 'no-such-host.invalid', 'ping'] });
    });
    it('SHUTDOWN closes the link quietly; the REPL then reports the refused reconnection', async () => {
      for (const [args, stdin] of [[['shutdown', 'nosave'], ''], [['--no-raw'], 'shutdown nosave\nping\n']] as [string[], string][]) {
        const [a, b] = await Promise.all([startRealRedis(), startRealRedis()]);
        try {
          const r = await runRealCli(['-p', String(a.port), ...args], { stdin });
          const o = await runOurCli(['-p', String(b.port), ...args], { stdin });
          expect({ ...o, stderr: o.stderr.replace(String(b.port), 'PORT') }).toEqual({ ...r, stderr: r.stderr.replace(String(a.port), 'PORT') });
        } finally {
          await Promise.all([a.stop(), b.stop()]);
        }
      }
    });
    it('bad options and their exact messages', async () => {
      const bad = [
        ['-p'], ['--foo'], ['-2', '-3'], ['-c', '-s', '/tmp/x', 'ping'], ['-x', '-X', 't', 'ping'],
        ['--functions-rdb', 'a', '--rdb', 'b'], ['-u', 'foo://x'], ['-u', 'redis://:%zz@h'], ['-u', 'redis://:%4@h'],
        ['--cluster'], ['--cluster', 'help'], ['--cluster', 'foo'], ['--cluster', 'create'], ['--cluster', 'add-node', 'a'],
        ['--quoted-pattern', '"x', '--scan'], ['--pipe-timeout'], ['-h'],
      ];
      for (const args of bad) await compare({ args });
      await compare({ args: [...P(), '--show-pushes', 'maybe', 'ping'] });
      await compare({ args: [...P(), '--quoted-input', 'get', '"bad'] });
      await compare({ args: [...P(), '--quoted-input', 'get', '"a" "b"'] });
      await compare({ args: [...P(), '--quoted-input', 'get', '"\\x62in"'] });
    });
    it('--ldb without --eval names the program as invoked', async () => {
      const r = await runRealCli(['--ldb']);
      const o = await runOurCli(['--ldb']);
      expect(o.stderr).toBe(r.stderr.replace(REAL_REDIS_CLI!, 'redis-cli'));
    });
    it('--help and --version', async () => {
      for (const args of [['--help'], ['--version'], ['-v'], ['-p', '1', '--help', '--foo']]) await compare({ args });
    });
    it('AUTH warnings and failures', async () => {
      await compare({ args: [...P(), '-a', 'pw', 'ping'] });
      await compare({ args: [...P(), '--no-auth-warning', '-a', 'pw', 'ping'] });
      await compare({ args: [...P(), '--user', 'u', '--pass', 'pw', 'ping'] });
      await compare({ args: ['-u', `redis://user:pw@127.0.0.1:${real.port}`, 'ping'] });
      await compare({ args: ['-u', `redis://:pw@127.0.0.1:${real.port}`, 'ping'] });
      await compare({ args: [...P(), 'ping'], env: { REDISCLI_AUTH: 'pw' } });
      await compare({ args: [...P(), '--askpass'], stdin: 'pw\nping\n' });
      await compare({ args: [...P(), '--askpass', 'ping'] });
    });
    it('-e exits 1 on an error reply', async () => {
      await compare({ args: [...P(), '-e', 'foo'] });
      await compare({ args: [...P(), '-e', 'ping'] });
      await compare({ args: [...P(), 'foo'] });
    });
    it('help from COMMAND DOCS', async () => {
      for (const topic of [['help'], ['help', 'set'], ['help', 'config'], ['help', 'CONFIG', 'get'], ['help', '@hyperloglog'], ['help', 'nosuch'], ['?', 'get']]) {
        await compare({ args: [...P(), ...topic] });
      }
    });
  });

  describe('-c follows cluster redirections', () => {
    it('MOVED and ASK, from argv and from stdin (where redis-cli announces the redirect)', async () => {
      const target = await startFakeNode({ 'SET FOO BAR': '+OK\r\n', 'ASKING': '+OK\r\n', 'GET FOO': '$3\r\nbar\r\n' });
      const moved = await startFakeNode({
        'SET FOO BAR': `-MOVED 12182 127.0.0.1:${target.port}\r\n`, 'GET FOO': `-ASK 12182 127.0.0.1:${target.port}\r\n`,
      });
      try {
        for (const args of [['-c', 'set', 'foo', 'bar'], ['-c', 'get', 'foo'], ['set', 'foo', 'bar'], ['-c', '--no-raw', 'get', 'foo']]) {
          await compare({ args: ['-p', String(moved.port), ...args] });
        }
        await compare({ args: ['-p', String(moved.port), '-c'], stdin: 'set foo bar\nget foo\n' });
        await compare({ args: ['-p', String(moved.port), '-c', '--no-raw'], stdin: 'get foo\nset foo bar\n' });
        // After a redirection, -r does not repeat on the old node.
        await compare({ args: ['-p', String(moved.port), '-c', '-r', '3', 'set', 'foo', 'bar'] });
      } finally {
        target.close();
        moved.close();
      }
    });
  });

  describe('through the real Node entry point', () => {
    it('bytes stay bytes on stdout and stdin', async () => {
      await compare({ args: [...P(), 'get', 'bin'] }, runOurCliSpawned);
      await compare({ args: [...P(), 'get', 'utf8'] }, runOurCliSpawned);
      await compare({ args: [...P(), '-x', 'set', 'spawned'], stdin: '\x00\xff\xc3\xa9' }, runOurCliSpawned);
      await compare({ args: [...P(), '--no-raw', 'get', 'spawned'] }, runOurCliSpawned);
    });
    it('a multi-megabyte reply reaches a pipe whole before the process exits', async () => {
      let proto = '';
      for (let i = 0; i < 100; i++) {
        proto += '*1002\r\n$5\r\nRPUSH\r\n$3\r\nbig\r\n';
        for (let j = 0; j < 1000; j++) { const v = `element-${i}-${j}`; proto += `$${v.length}\r\n${v}\r\n`; }
      }
      client.write(proto);
      for (let i = 0; i < 100; i++) await client.reply();
      await compare({ args: [...P(), 'lrange', 'big', '0', '-1'] }, runOurCliSpawned);
      await compare({ args: [...P(), '--no-raw', 'lrange', 'big', '0', '-1'] }, runOurCliSpawned);
      await setup([['DEL', 'big']]);
    });
    it('stdin commands, errors and exit codes', async () => {
      // Raw mode: a loaded machine could push a command past 500 ms, which tty mode reports.
      await compare({ args: [...P()], stdin: 'set sp 1\nget sp\nfoo\nhgetall h\n' }, runOurCliSpawned);
      await compare({ args: ['-p', String(deadPort), 'ping'] }, runOurCliSpawned);
      await compare({ args: ['--foo'] }, runOurCliSpawned);
    });
  });
});
